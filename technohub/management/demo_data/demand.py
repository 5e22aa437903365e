"""Demo demand: training needs companies submitted and interest people registered."""

from typing import NamedTuple

from .places import HUB_DRONTEN, HUB_FIRDA, MOBILE_HUB, ONLINE


class NeedSpec(NamedTuple):
    """A company's training need; the period runs from ``start_week`` to ``end_week``."""

    company: str
    title: str
    theme: str
    headcount: int
    locations: tuple[str, ...]
    start_week: int
    end_week: int
    urgency: str
    status: str
    description: str
    course: str | None = None
    offering: int | None = None  # the course's n-th offering (from 1) that meets the need


TRAINING_NEEDS = (
    NeedSpec(
        company="kampstaal",
        title="Lascertificaat voor vier constructielassers",
        theme="lassen",
        headcount=4,
        locations=(HUB_FIRDA,),
        start_week=4,
        end_week=16,
        urgency="high",
        status="in_progress",
        description=(
            "Vier lassers moeten voor een nieuwe opdrachtgever gecertificeerd zijn volgens "
            "NEN-EN-ISO 9606-1, ook in RVS."
        ),
        course="tig-lassen-rvs",
    ),
    NeedSpec(
        company="loonbedrijf-van-der-veen",
        title="Chauffeurs leren werken met taakkaarten",
        theme="precisielandbouw",
        headcount=6,
        locations=(HUB_DRONTEN,),
        start_week=2,
        end_week=10,
        urgency="normal",
        status="planned",
        description=(
            "Klanten vragen steeds vaker om plaatsspecifiek spuiten; onze chauffeurs moeten "
            "taakkaarten kunnen laden en controleren."
        ),
        course="taakkaarten-precisielandbouw",
        offering=1,
    ),
    NeedSpec(
        company="kaskracht-techniek",
        title="PLC-basis voor servicemonteurs",
        theme="plc-automatisering",
        headcount=3,
        locations=(HUB_FIRDA, ONLINE),
        start_week=8,
        end_week=20,
        urgency="normal",
        status="new",
        description=(
            "Onze monteurs zoeken storingen in kasinstallaties en moeten Siemens-besturingen "
            "kunnen lezen. Liefst 's avonds."
        ),
    ),
    NeedSpec(
        company="telerscooperatie-nop",
        title="Drones voor gewasmonitoring in de pootaardappelteelt",
        theme="drones",
        headcount=5,
        locations=(HUB_DRONTEN,),
        start_week=10,
        end_week=24,
        urgency="low",
        status="new",
        description=(
            "Leden willen virusziekten en droogte eerder zien. Graag een middag extra over "
            "pootaardappelen."
        ),
    ),
    NeedSpec(
        company="polder-machinebouw",
        title="Cobot-lassen op eigen locatie",
        theme="robotica",
        headcount=3,
        locations=(MOBILE_HUB,),
        start_week=6,
        end_week=18,
        urgency="high",
        status="in_progress",
        description=(
            "We zetten een lascobot in en willen drie operators op onze eigen vloer laten trainen."
        ),
        course="cobot-programmeren",
    ),
    NeedSpec(
        company="suplacon",
        title="Leidinggeven en feedback voor ploegleiders",
        theme="communicatie",
        headcount=5,
        locations=(HUB_FIRDA,),
        start_week=3,
        end_week=12,
        urgency="normal",
        status="fulfilled",
        description=(
            "Vijf nieuwe ploegleiders hebben hulp nodig bij werkoverleg en lastige gesprekken."
        ),
        course="communiceren-leidinggevende",
        offering=1,
    ),
    NeedSpec(
        company="loonbedrijf-van-der-veen",
        title="Veilig werken aan elektrische trekkers",
        theme="onderhoud",
        headcount=4,
        locations=(HUB_DRONTEN,),
        start_week=0,
        end_week=12,
        urgency="high",
        status="new",
        description=(
            "Onze eerste elektrische trekker komt dit voorjaar. Vier monteurs moeten veilig aan "
            "het hoogvoltsysteem kunnen werken."
        ),
        course="elektrificatie-landbouwmachines",
    ),
    # Any location will do: it counts toward Kampstaal's welding group at Firda, which with it
    # is ready to schedule (the board says which part asked for any location).
    NeedSpec(
        company="suplacon",
        title="MIG/MAG-lassen voor plaatwerkers",
        theme="lassen",
        headcount=4,
        locations=(),
        start_week=4,
        end_week=16,
        urgency="normal",
        status="new",
        description="Vier plaatwerkers moeten dunne plaat leren lassen zonder vervorming.",
    ),
    # Planned: Polder Machinebouw's HR sees the run and a button to enrol the team.
    NeedSpec(
        company="polder-machinebouw",
        title="Hydrauliek voor onderhoudsmonteurs",
        theme="hydrauliek",
        headcount=2,
        locations=(),
        start_week=8,
        end_week=20,
        urgency="normal",
        status="planned",
        description="Twee monteurs moeten storingen in de hydrauliek van onze persen vinden.",
        course="hydrauliek",
        offering=2,
    ),
)


class InterestSpec(NamedTuple):
    """ "Houd me op de hoogte" on a course: HR for ``headcount`` unnamed employees of
    ``company``, or (no company) the first ``learners`` employees of the course's sector."""

    course: str
    location: str | None
    company: str | None = None
    headcount: int = 1
    learners: int = 0


# Together with the need above, enough to make a group on the demand board ready to schedule.
INTERESTS = (
    InterestSpec("elektrificatie-landbouwmachines", HUB_DRONTEN, "telerscooperatie-nop", 3),
    InterestSpec("elektrificatie-landbouwmachines", HUB_DRONTEN, learners=2),
)
