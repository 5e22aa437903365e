"""Demo evaluations: what participants of two finished Firda runs answered.

By the run's tag (``demo:<course>:<n>``, see ``offerings``): each answer as (content, trainer,
practical, open answer). PLC programmeren has six answers, so the college's page and the course
page show its results; B-VCA has three, too few to show anything but the count.
"""

ANSWERS = {
    "demo:plc-programmeren-tia-portal:3": (
        (5, 5, 4, "Veel praktijk met echte PLC's, precies wat ik nodig had."),
        (4, 5, 4, "Goede docent; het tempo lag in de derde avond wel hoog."),
        (4, 4, 5, ""),
        (5, 4, 4, "Ik heb de volgende dag meteen een storing in onze lijn kunnen vinden."),
        (3, 4, 3, "Meer tijd voor de oefeningen met HMI-schermen graag."),
        (4, 5, 4, ""),
    ),
    "demo:b-vca:4": (
        (4, 4, 5, "Duidelijk en to the point."),
        (3, 4, 4, ""),
        (4, 5, 4, ""),
    ),
}
# Days after the run's last meeting on which the answers came in, in turn.
ANSWERED_AFTER_DAYS = (1, 1, 2, 3, 5, 8)
