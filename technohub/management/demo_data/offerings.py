"""Demo offerings: when and where each course is given, planned in weeks from today."""

from typing import NamedTuple

from .places import HUB_AERES_MBO, HUB_DRONTEN, HUB_FIRDA, MOBILE_HUB, ONLINE

# Meeting times in Europe/Amsterdam.
SLOTS = {"day": ((9, 0), (16, 0)), "evening": ((18, 30), (21, 30))}

MON, TUE, WED, THU, FRI = range(5)


class Plan(NamedTuple):
    """One planned offering and how full it is.

    The first meeting falls on ``weekday`` in the week that starts ``week`` weeks from today
    (or, with ``days``, on the first teaching day ``days`` from today: forward when ahead,
    backward when in the past); the next ones follow every ``every`` days, skipping weekends.
    Learners come from the
    companies whose cluster matches the course's sector; ``requested`` ones from companies that
    need HR approval.
    """

    course: str
    location: str
    week: int
    weekday: int
    sessions: int
    slot: str
    capacity: int
    instructor: str
    confirmed: int = 0
    waitlisted: int = 0
    requested: int = 0
    every: int = 7
    status: str = "open"
    days: int | None = None
    # A closed run (*besloten uitvoering*) for these companies (slugs), at ``agreed_price``.
    private_for: tuple[str, ...] = ()
    agreed_price: str | None = None
    # Learners only from these companies (slugs); a closed run takes its own companies' people.
    pool: tuple[str, ...] = ()
    # People (emails) this run does not take.
    leave_out: tuple[str, ...] = ()


# Kampstaal's two people whose VCA expires next month (see ``qualifications``): one earned it
# in the B-VCA run of almost ten years ago, the other elsewhere. Neither is booked on a B-VCA run
# yet, so the expiry mails go to them and their HR, listing the runs to book.
VCA_TO_RENEW = ("jeroen.kok@kampstaal.example", "ruben.meijer@kampstaal.example")

# fmt: off
OFFERINGS = (
    # History, so attendance and certificates can be tried: an offering in progress (two evenings
    # behind it, two ahead) and an offering that ended a month ago.
    Plan("tekeninglezen", HUB_AERES_MBO, -2, THU, 4, "evening", 12, "Anja Kuipers", 9),
    Plan("cnc-frezen", HUB_FIRDA, -7, MON, 3, "day", 10, "Jeroen Smit", 8, status="completed"),
    # Technohub Firda Emmeloord
    Plan("mig-mag-lassen", HUB_FIRDA, 2, MON, 5, "day", 8, "Henk Visser", 8, waitlisted=3, every=1),
    Plan("mig-mag-lassen", HUB_FIRDA, 9, TUE, 8, "evening", 8, "Henk Visser", 7),
    Plan("mig-mag-lassen", HUB_FIRDA, 18, MON, 5, "day", 8, "Henk Visser", 2, every=1),
    Plan("tig-lassen-rvs", HUB_FIRDA, 4, WED, 6, "evening", 8, "Gerrit Postma", 5),  # 3 left
    Plan("tig-lassen-rvs", HUB_FIRDA, 16, MON, 4, "day", 8, "Gerrit Postma", 1, every=1),
    Plan("robotlassen", HUB_FIRDA, 11, MON, 3, "day", 8, "Gerrit Postma", 4, requested=2, every=1),
    Plan("tekeninglezen", HUB_FIRDA, 3, THU, 4, "evening", 14, "Anja Kuipers", 9),
    Plan("tekeninglezen", HUB_FIRDA, 14, TUE, 4, "evening", 14, "Anja Kuipers", 3),
    Plan("cnc-draaien", HUB_FIRDA, 5, MON, 4, "day", 10, "Jeroen Smit", 9),
    Plan("cnc-draaien", HUB_FIRDA, 19, MON, 4, "day", 10, "Jeroen Smit", status="concept"),
    Plan("cnc-frezen", HUB_FIRDA, 6, WED, 4, "day", 10, "Jeroen Smit", 5),
    Plan("plc-programmeren-tia-portal", HUB_FIRDA, 3, TUE, 5, "evening", 12, "Marco Dekker", 10),
    Plan("plc-programmeren-tia-portal", HUB_FIRDA, 15, TUE, 5, "evening", 12, "Marco Dekker", 4),
    Plan("cobot-programmeren", HUB_FIRDA, 7, THU, 2, "day", 8, "Erik Mulder", 6, requested=1,
        every=1),
    Plan("cobot-programmeren", HUB_FIRDA, 20, THU, 2, "day", 8, "Erik Mulder", status="concept",
        every=1),
    Plan("3d-printen", HUB_FIRDA, 8, FRI, 1, "day", 12, "Lisa Hoekstra", 6),
    Plan("storingzoeken-onderhoud", HUB_FIRDA, 10, WED, 3, "day", 10, "Wim Brouwer", 5),
    Plan("b-vca", HUB_FIRDA, 2, THU, 2, "day", 16, "Peter Jansen", 15, every=1,
        leave_out=VCA_TO_RENEW),
    Plan("b-vca", HUB_FIRDA, 12, THU, 2, "day", 16, "Peter Jansen", 6, every=1,
        leave_out=VCA_TO_RENEW),
    Plan("vol-vca", HUB_FIRDA, 5, TUE, 3, "day", 16, "Peter Jansen", 12, requested=2, every=1),
    Plan("vol-vca", HUB_FIRDA, 21, TUE, 3, "day", 16, "Peter Jansen", 2, every=1),
    Plan("communiceren-leidinggevende", HUB_FIRDA, 4, THU, 4, "evening", 12, "Ingrid van Dijk",
        8, every=14),
    # Technohub Aeres MBO Emmeloord
    Plan("hydrauliek", HUB_AERES_MBO, 3, WED, 3, "day", 10, "Klaas Bakker", 9),
    Plan("hydrauliek", HUB_AERES_MBO, 17, WED, 3, "day", 10, "Klaas Bakker", 2),
    Plan("communiceren-leidinggevende", HUB_AERES_MBO, 13, TUE, 4, "evening", 12,
        "Ingrid van Dijk", 3, every=14),
    Plan("klimaatcomputer-kas", HUB_AERES_MBO, 6, TUE, 3, "evening", 12, "Anton Kooistra", 7),
    Plan("onderhoud-trekkers-werktuigen", HUB_AERES_MBO, 8, MON, 3, "day", 10, "Klaas Bakker", 8),
    Plan("onderhoud-trekkers-werktuigen", HUB_AERES_MBO, 22, MON, 3, "day", 10, "Klaas Bakker"),
    Plan("b-vca", HUB_AERES_MBO, 7, THU, 2, "day", 16, "Peter Jansen", 10, every=1,
        leave_out=VCA_TO_RENEW),
    # Agri Innovatiecenter Dronten
    Plan("gps-rtk-automatisch-sturen", HUB_DRONTEN, 2, TUE, 2, "day", 12, "Rick Zwart", 11),
    Plan("gps-rtk-automatisch-sturen", HUB_DRONTEN, 10, TUE, 2, "day", 12, "Rick Zwart", 5),
    Plan("gps-rtk-automatisch-sturen", HUB_DRONTEN, 23, TUE, 2, "day", 12, "Rick Zwart",
        status="concept"),
    Plan("taakkaarten-precisielandbouw", HUB_DRONTEN, 4, THU, 3, "evening", 12, "Rick Zwart", 6,
        requested=1),
    Plan("taakkaarten-precisielandbouw", HUB_DRONTEN, 16, THU, 3, "evening", 12, "Rick Zwart", 1),
    Plan("drones-a1-a3-gewasmonitoring", HUB_DRONTEN, 5, WED, 2, "day", 10, "Femke Hartman", 10,
        waitlisted=2),
    Plan("drones-a1-a3-gewasmonitoring", HUB_DRONTEN, 14, WED, 2, "day", 10, "Femke Hartman", 4),
    Plan("isobus", HUB_DRONTEN, 6, FRI, 1, "day", 10, "Bart Wolters", 8),
    Plan("isobus", HUB_DRONTEN, 18, FRI, 1, "day", 10, "Bart Wolters", 2),
    Plan("hydrauliek", HUB_DRONTEN, 9, WED, 3, "day", 10, "Klaas Bakker", 6),
    # Mobile hub
    Plan("nen-3140", MOBILE_HUB, 3, MON, 1, "day", 12, "Sandra de Boer", 11),
    Plan("nen-3140", MOBILE_HUB, 15, MON, 1, "day", 12, "Sandra de Boer", 3),
    Plan("melkrobot-onderhoud", MOBILE_HUB, 4, TUE, 2, "day", 8, "Bart Wolters", 6),
    Plan("melkrobot-onderhoud", MOBILE_HUB, 17, TUE, 2, "day", 8, "Bart Wolters"),
    Plan("reparatielassen-landbouw", MOBILE_HUB, 7, WED, 2, "day", 8, "Dirk Schouten", 7,
        every=1),
    Plan("reparatielassen-landbouw", MOBILE_HUB, 20, WED, 2, "day", 8, "Dirk Schouten",
        status="concept", every=1),
    # Online (oZone)
    Plan("excel-werkvloer", ONLINE, 2, TUE, 3, "evening", 16, "Lisa Hoekstra", 12),
    Plan("excel-werkvloer", ONLINE, 13, TUE, 3, "evening", 16, "Lisa Hoekstra", 4),
    Plan("sensordata-akkerbouw", ONLINE, 5, THU, 2, "evening", 16, "Rick Zwart", 9),
    Plan("sensordata-akkerbouw", ONLINE, 19, THU, 2, "evening", 16, "Rick Zwart"),
    Plan("cyberveilig-werken", ONLINE, 6, MON, 1, "evening", 16, "Marco Dekker", 14),
    # The programme manager's day, whatever day the demo is loaded: a run that starts within
    # days with too few participants (go/no-go: cancel it or let it go ahead), and a one-day
    # course given on the last teaching day before today, its attendance still to take.
    Plan("3d-printen", HUB_AERES_MBO, 0, MON, 1, "day", 10, "Lisa Hoekstra", 2, days=5),
    Plan("nen-3140", HUB_FIRDA, 0, MON, 1, "day", 12, "Sandra de Boer", 8, days=-1),
    # Evaluations (see ``evaluations``): two finished Firda runs, one with enough answers for
    # the college and the course page to show them, one with too few.
    Plan("plc-programmeren-tia-portal", HUB_FIRDA, -9, TUE, 3, "evening", 12, "Marco Dekker", 8,
        status="completed"),
    Plan("b-vca", HUB_FIRDA, -5, THU, 2, "day", 16, "Peter Jansen", 4, status="completed",
        every=1, leave_out=VCA_TO_RENEW),
    # A closed run for Kampstaal at its own premises (the mobile hub), at the price agreed with
    # it: only Kampstaal's people see and book it.
    Plan("mig-mag-lassen", MOBILE_HUB, 6, THU, 3, "day", 8, "Henk Visser", 4, every=1,
        private_for=("kampstaal",), agreed_price="995.00"),
    # A run that ended more than three months ago: HR of Kampstaal and Polder Machinebouw have
    # the question "wordt het geleerde toegepast?" for its participants.
    Plan("b-vca", HUB_FIRDA, 0, MON, 2, "day", 16, "Peter Jansen", 8, every=1,
        status="completed", days=-100, pool=("kampstaal", "polder-machinebouw"),
        leave_out=VCA_TO_RENEW),
    # Funding (see ``funding``). Kampstaal (A+O Metalektro) sent four people to a PLC course
    # that started five months and a week ago and has not applied yet: the six-month window
    # closes in about three weeks, so its HR has the alarm. A digital-skills evening four months
    # ago has one claim applied for and one paid. Suplacon (OOM) has a run starting in three
    # weeks: OOM wants the application before the start.
    Plan("plc-programmeren-tia-portal", HUB_FIRDA, 0, TUE, 5, "evening", 12, "Marco Dekker", 4,
        status="completed", days=-160, pool=("kampstaal",)),
    Plan("cyberveilig-werken", ONLINE, 0, MON, 1, "evening", 16, "Marco Dekker", 3,
        status="completed", days=-120, pool=("kampstaal",)),
    Plan("cnc-draaien", HUB_FIRDA, 0, MON, 4, "day", 10, "Jeroen Smit", 3, days=21,
        pool=("suplacon",)),
    # Qualifications (see ``qualifications``): a B-VCA run of almost ten years ago, so the
    # VCA it granted expires next month.
    Plan("b-vca", HUB_FIRDA, 0, THU, 2, "day", 16, "Peter Jansen", 2, every=1,
        status="completed", days=-3632, pool=("kampstaal",)),
)
# fmt: on
