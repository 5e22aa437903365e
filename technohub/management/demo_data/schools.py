"""Demo *Techniek beleven*: activities for schools, the schools, their teachers and requests.

Four activities: two company assignments at a hub, Kampstaal's bridge section at Firda and the
drone scan of Agrotechniek Dronten at the Agri Innovatiecenter (both confirmed by the host's
contact from a mailed link), a guest lesson the hub confirms itself, and the mobile hub at the
school. Three worksheets come as small PDFs.

Requests in every state, dated from the day the demo is loaded:

- requested: waiting for the coordinator (dates next month, or a window);
- planned: a visit allocated through the planning service, the host's link in the outbox;
- confirmed: allocated and answered yes through the host link service (the teacher's
  confirmation mail, with the calendar file and the arrival sheet, is queued);
- declined once by the host and planned again on the next preferred date;
- done: visits earlier this school year, some evaluated; they fill the public counter;
- cancelled by the school, with the reason.

A request is found again by its teacher, its activity and its first group's class, so seeding
twice adds nothing. Requests, groups and the visits of the past are written directly in the
seed's transaction; planning and the host's answer go through their services after it
(:func:`plan_visits`), each in a transaction of its own, so what the planner and the host do
on the site is exactly what the demo shows, mails included. No pupil is named anywhere: groups
are a class, a level, a year and a count.
"""

import secrets
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.core.files.base import ContentFile
from fpdf import FPDF

from catalogue.models import Location, SchoolActivity, SchoolMaterial, SchoolTargetGroup
from companies.models import Company, User
from enrolment.models import School, SchoolEvaluation, SchoolGroup, SchoolRequest, SchoolVisit
from enrolment.schools import after, host_links, planning, rules

from .accounts import (
    AGRI_CONTACT_EMAIL,
    KAMPSTAAL_CONTACT_EMAIL,
    SECOND_TEACHER_EMAIL,
    TEACHER_EMAIL,
)
from .places import HUB_DRONTEN, HUB_FIRDA

HUB_TIMEZONE = ZoneInfo("Europe/Amsterdam")

# --- Teachers --------------------------------------------------------------------------------

# The teachers, as (email, full name, BRIN of their school); all have ``accounts.TEACHER_PASSWORD``.
TEACHERS = (
    (TEACHER_EMAIL, "Sanne Kuipers", "02TZ"),
    (SECOND_TEACHER_EMAIL, "Rutger Hofman", "09ZB"),
    ("m.dekker@polderlicht.example", "Mirjam Dekker", "14PL"),
    ("a.smit@hetkompas.example", "Arjen Smit", "27KD"),
    ("l.vandermolen@dewieken.example", "Lotte van der Molen", "11WE"),
)

# --- Schools (invented, in the region; BRIN codes made up in the right format) ---------------

SCHOOLS = (
    ("02TZ", "Zuyderzee College Emmeloord", "Emmeloord"),
    ("09ZB", "Basisschool De Zeebodem", "Marknesse"),
    ("14PL", "Polderlicht Mavo", "Emmeloord"),
    ("27KD", "Het Kompas vmbo", "Dronten"),
    ("11WE", "Obs De Wieken", "Ens"),
)

# --- Activities ------------------------------------------------------------------------------

BRIDGE = "kampstaal-bouw-een-brugdeel"
DRONE = "drone-scan-van-een-perceel"
GUEST_LESSON = "gastles-werken-in-de-metaal"
MOBILE = "de-mobiele-hub-op-je-school"

ACTIVITIES = (
    {
        "slug": BRIDGE,
        "title": "Kampstaal: bouw een brugdeel",
        "title_en": "Kampstaal: build a bridge section",
        "kind": SchoolActivity.Kind.AT_HUB,
        "summary": "Jullie bouwen in teams een echt stuk stalen brug, van tekening tot bout.",
        "summary_en": "In teams you build a real piece of steel bridge, from drawing to bolt.",
        "what_pupils_do": (
            "Een werkvoorbereider van Kampstaal laat zien hoe een brug voor de N50 ontstaat. "
            "Daarna bouwen jullie in teams van vier een brugdeel van een meter: je leest de "
            "tekening, meet af, boort de gaten en zet het deel met bouten in elkaar. Aan het eind "
            "testen we welk brugdeel het meeste gewicht houdt."
        ),
        "what_pupils_do_en": (
            "A Kampstaal work planner shows how a bridge for the N50 comes about. Then, in teams "
            "of four, you build a one-metre bridge section: you read the drawing, measure, drill "
            "the holes and bolt the section together. At the end we test which section holds the "
            "most weight."
        ),
        "target_groups": [SchoolTargetGroup.VMBO_3_4, SchoolTargetGroup.MBO],
        "duration_minutes": 240,
        "max_pupils": 32,
        "pupils_per_supervisor": 8,
        "places_per_day": 1,
        "weekdays": [1, 2, 3],
        "start_time": time(9, 0),
        "locations": (HUB_FIRDA,),
        "host": "kampstaal",
        "host_contact": KAMPSTAAL_CONTACT_EMAIL,
        "safety_rules": (
            "Veiligheidsschoenen aan in de werkplaats (we hebben leenschoenen in maat 36 tot 47)\n"
            "Veiligheidsbril op bij het boren\n"
            "Lang haar vast, geen loshangende sjaals of kettingen\n"
            "Alleen aan de boormachine met een begeleider van Kampstaal erbij"
        ),
        "safety_rules_en": (
            "Safety shoes in the workshop (we lend shoes in sizes 36 to 47)\n"
            "Safety glasses on when drilling\n"
            "Long hair tied back, no loose scarves or necklaces\n"
            "Only use the drill with a Kampstaal supervisor present"
        ),
        "what_to_bring": "Werkkleding of kleding die vies mag worden, en een lunchpakket.",
        "what_to_bring_en": "Work clothes or clothes that may get dirty, and a packed lunch.",
        "preparation": (
            "Bekijk in de klas het werkblad 'Hoe draagt een brug?' (20 minuten). Je leerlingen "
            "weten dan wat trek en druk is."
        ),
        "preparation_en": (
            "Go through the worksheet 'How does a bridge carry?' in class (20 minutes). Your "
            "pupils then know what tension and compression are."
        ),
        "follow_up": (
            "Laat je leerlingen met het verwerkingsblad opschrijven welk beroep ze zagen en wat "
            "ze zelf het leukst vonden."
        ),
        "follow_up_en": (
            "Have your pupils write down on the follow-up sheet which job they saw and what they "
            "liked best themselves."
        ),
        "cost_excl_vat": Decimal("0.00"),
        "cost_terms": "Gratis: Kampstaal betaalt het materiaal.",
        "cost_terms_en": "Free: Kampstaal pays for the materials.",
    },
    {
        "slug": DRONE,
        "title": "Drone-scan van een perceel",
        "title_en": "Drone scan of a field",
        "kind": SchoolActivity.Kind.AT_HUB,
        "summary": "Jullie vliegen met een drone over een proefveld en zoeken waar het gewas "
        "dorst heeft.",
        "summary_en": "You fly a drone over a trial field and find where the crop is thirsty.",
        "what_pupils_do": (
            "Op het proefveld van het Agri Innovatiecenter plannen jullie een vlucht, laat een "
            "piloot van Agrotechniek Dronten de drone het perceel scannen en maken jullie van de "
            "beelden een kaart. Op die kaart zie je waar aardappels te weinig water of mest "
            "krijgen, en je rekent uit hoeveel een boer bespaart door alleen daar te strooien."
        ),
        "what_pupils_do_en": (
            "On the trial field of the Agri Innovation Centre you plan a flight, an Agrotechniek "
            "Dronten pilot has the drone scan the field and you turn the images into a map. The "
            "map shows where potatoes get too little water or fertiliser, and you work out how "
            "much a farmer saves by spreading only there."
        ),
        "target_groups": [
            SchoolTargetGroup.VMBO_1_2,
            SchoolTargetGroup.VMBO_3_4,
            SchoolTargetGroup.HAVO_VWO,
        ],
        "duration_minutes": 180,
        "max_pupils": 60,
        "pupils_per_supervisor": 10,
        "places_per_day": 2,
        "weekdays": [0, 1, 2, 3, 4],
        "start_time": time(9, 0),
        "locations": (HUB_DRONTEN,),
        "host": "agrotechniek-dronten",
        "host_contact": AGRI_CONTACT_EMAIL,
        "safety_rules": (
            "Op het proefveld blijf je achter het lint tot de drone geland is\n"
            "Laarzen of stevige schoenen aan: het veld kan nat zijn\n"
            "Alleen de piloot bedient de drone"
        ),
        "safety_rules_en": (
            "On the trial field you stay behind the tape until the drone has landed\n"
            "Boots or sturdy shoes: the field may be wet\n"
            "Only the pilot flies the drone"
        ),
        "what_to_bring": "Laarzen, een regenjas en een opgeladen telefoon of tablet per team.",
        "what_to_bring_en": "Boots, a raincoat and a charged phone or tablet per team.",
        "preparation": (
            "Laat je klas met het werkblad een luchtfoto van hun eigen dorp bekijken en "
            "opschrijven wat je van bovenaf wel en niet ziet."
        ),
        "preparation_en": (
            "Have your class look at an aerial photo of their own village with the worksheet and "
            "write down what you can and cannot see from above."
        ),
        "follow_up": "Jullie krijgen de kaart van jullie vlucht mee voor een les aardrijkskunde.",
        "follow_up_en": "You take the map of your flight home for a geography lesson.",
        "cost_excl_vat": Decimal("0.00"),
        "cost_terms": "Gratis voor scholen in de Noordoostpolder en Dronten.",
        "cost_terms_en": "Free for schools in the Noordoostpolder and Dronten.",
    },
    {
        "slug": GUEST_LESSON,
        "title": "Gastles: werken in de metaal",
        "title_en": "Guest lesson: working in metal",
        "kind": SchoolActivity.Kind.GUEST_LESSON,
        "summary": "Een lasser komt met zijn lasmasker en een stuk werk in jullie klas vertellen.",
        "summary_en": "A welder comes to your class with his welding mask and a piece of work.",
        "what_pupils_do": (
            "Een vakman van Hoekstra Lastechniek vertelt hoe zijn werkdag eruitziet en wat hij "
            "maakt. Je leerlingen proberen een lasmasker op, voelen het verschil tussen staal en "
            "aluminium en mogen met een lassimulator een eerste naad trekken."
        ),
        "what_pupils_do_en": (
            "A craftsman from Hoekstra Lastechniek tells what his working day looks like and "
            "what he makes. Your pupils try on a welding mask, feel the difference between steel "
            "and aluminium and draw a first seam on a welding simulator."
        ),
        "target_groups": [
            SchoolTargetGroup.PO_5_8,
            SchoolTargetGroup.VMBO_1_2,
            SchoolTargetGroup.VMBO_3_4,
        ],
        "duration_minutes": 90,
        "max_pupils": 32,
        "pupils_per_supervisor": 16,
        "places_per_day": 2,
        "weekdays": [0, 1, 2, 3, 4],
        "start_time": time(10, 0),
        "locations": (),
        "host": "hoekstra-lastechniek",
        "host_contact": None,
        "safety_rules": "De lassimulator gebruik je alleen met de gastdocent erbij",
        "safety_rules_en": "You only use the welding simulator with the guest teacher present",
        "what_to_bring": "Een lokaal met een stopcontact en een digibord.",
        "what_to_bring_en": "A classroom with a power socket and a digital whiteboard.",
        "preparation": "Laat je leerlingen drie vragen voor de lasser bedenken.",
        "preparation_en": "Have your pupils think of three questions for the welder.",
        "follow_up": "",
        "follow_up_en": "",
        "cost_excl_vat": Decimal("0.00"),
        "cost_terms": "Gratis.",
        "cost_terms_en": "Free.",
    },
    {
        "slug": MOBILE,
        "title": "De mobiele hub op je school",
        "title_en": "The mobile hub at your school",
        "kind": SchoolActivity.Kind.MOBILE_HUB,
        "summary": "De vrachtwagen van de Technohub staat een dag op jullie schoolplein.",
        "summary_en": "The Technohub's lorry spends a day in your school yard.",
        "what_pupils_do": (
            "In de mobiele hub programmeren je leerlingen een kleine robotarm, bouwen ze een "
            "stroomkring en sturen ze een sensor aan die meet hoe droog de grond is. Elke groep "
            "draait een blok van anderhalf uur; de hub blijft de hele dag."
        ),
        "what_pupils_do_en": (
            "In the mobile hub your pupils programme a small robot arm, build a circuit and "
            "control a sensor that measures how dry the soil is. Each group does a block of an "
            "hour and a half; the hub stays all day."
        ),
        "target_groups": [SchoolTargetGroup.PO_5_8, SchoolTargetGroup.VMBO_1_2],
        "duration_minutes": 360,
        "max_pupils": 60,
        "pupils_per_supervisor": 15,
        "places_per_day": 1,
        "weekdays": [0, 1, 2, 3, 4],
        "start_time": time(8, 30),
        "locations": (),
        "host": None,
        "host_contact": None,
        "safety_rules": "Maximaal vijftien leerlingen tegelijk in de vrachtwagen",
        "safety_rules_en": "At most fifteen pupils in the lorry at a time",
        "what_to_bring": (
            "Een vlakke plek van 20 bij 5 meter op het schoolplein en een stopcontact (16 A) "
            "binnen 25 meter."
        ),
        "what_to_bring_en": (
            "A level spot of 20 by 5 metres in the school yard and a power socket (16 A) within "
            "25 metres."
        ),
        "preparation": "Maak met het werkblad een rooster: welke groep komt wanneer.",
        "preparation_en": "Use the worksheet to make a timetable: which group comes when.",
        "follow_up": "",
        "follow_up_en": "",
        "cost_excl_vat": Decimal("150.00"),
        "cost_terms": "Per dag; voor scholen in de Noordoostpolder betaalt de gemeente.",
        "cost_terms_en": "Per day; for schools in the Noordoostpolder the municipality pays.",
    },
)

# (activity slug, use, title, title_en, file name, lines of the PDF)
MATERIALS = (
    (
        BRIDGE,
        SchoolMaterial.Use.PREPARATION,
        "Werkblad: hoe draagt een brug?",
        "Worksheet: how does a bridge carry?",
        "kampstaal-brug-werkblad.pdf",
        (
            "Hoe draagt een brug?",
            "1. Leg een liniaal over twee boeken en druk in het midden. Wat zie je?",
            "2. Welke kant wordt korter (druk) en welke langer (trek)?",
            "3. Teken een vakwerkbrug en kleur de staven op druk rood en op trek blauw.",
        ),
    ),
    (
        BRIDGE,
        SchoolMaterial.Use.FOLLOW_UP,
        "Verwerkingsblad: wie maakt een brug?",
        "Follow-up sheet: who makes a bridge?",
        "kampstaal-brug-verwerking.pdf",
        (
            "Wie maakt een brug?",
            "Schrijf op welke beroepen je bij Kampstaal zag.",
            "Wat vond je het leukst om te doen, en waarom?",
        ),
    ),
    (
        DRONE,
        SchoolMaterial.Use.PREPARATION,
        "Werkblad: je dorp van bovenaf",
        "Worksheet: your village from above",
        "drone-scan-werkblad.pdf",
        (
            "Je dorp van bovenaf",
            "Zoek een luchtfoto van je eigen dorp.",
            "Wat zie je van bovenaf wel, en wat niet?",
            "Waar zou een boer een drone voor gebruiken?",
        ),
    ),
)


# --- Requests --------------------------------------------------------------------------------


@dataclass(frozen=True)
class RequestSpec:
    """A demo request: who asks what for which groups, and what became of it.

    ``state``: ``requested``, ``planned``, ``confirmed``, ``replanned`` (declined by the host,
    then planned again), ``done``, ``done_evaluated`` or ``cancelled``. ``weeks`` is when, in
    weeks from today: the first preferred date (ahead) or the visit (negative: the past).
    """

    teacher: str  # email
    activity: str  # slug
    groups: tuple[tuple[str, str, int, int], ...]  # (class, level, year, pupils)
    supervisors: int
    transport: str
    state: str
    weeks: int
    window: bool = False  # a window of three weeks instead of preferred dates
    accessibility: str = ""
    question: str = ""
    evaluation: tuple[int, int, str] | None = None
    cancel_reason: str = ""


OWN, BUS, AT_SCHOOL = (
    SchoolRequest.Transport.OWN,
    SchoolRequest.Transport.BUS,
    SchoolRequest.Transport.MOBILE_HUB,
)
ZUYDERZEE, ZEEBODEM, POLDERLICHT, KOMPAS, WIEKEN = (email for email, *_ in TEACHERS)

REQUESTS = (
    # Waiting for the coordinator.
    RequestSpec(
        ZUYDERZEE,
        BRIDGE,
        (("3K", "vmbo", 3, 15), ("4K", "vmbo", 4, 13)),
        supervisors=4,
        transport=BUS,
        state="requested",
        weeks=5,
        accessibility="Eén leerling loopt met krukken; graag een route zonder trappen.",
        question="Kunnen we de bus om 8.15 uur bij school laten vertrekken?",
    ),
    RequestSpec(
        KOMPAS,
        DRONE,
        (("2A", "vmbo", 2, 24), ("2B", "vmbo", 2, 23)),
        supervisors=5,
        transport=OWN,
        state="requested",
        weeks=6,
        window=True,
    ),
    # Allocated, waiting for the host.
    RequestSpec(
        POLDERLICHT,
        DRONE,
        (("3M", "vmbo", 3, 26),),
        supervisors=3,
        transport=BUS,
        state="planned",
        weeks=4,
    ),
    # Declined by Kampstaal once, planned again on the next preferred date.
    RequestSpec(
        KOMPAS,
        BRIDGE,
        (("4T", "vmbo", 4, 18),),
        supervisors=3,
        transport=BUS,
        state="replanned",
        weeks=4,
    ),
    # Confirmed and ahead.
    RequestSpec(
        ZUYDERZEE,
        DRONE,
        (("2H", "havo_vwo", 2, 28), ("2V", "havo_vwo", 2, 27)),
        supervisors=6,
        transport=BUS,
        state="confirmed",
        weeks=3,
        question="We nemen twee collega's van aardrijkskunde mee.",
    ),
    RequestSpec(
        ZEEBODEM,
        GUEST_LESSON,
        (("groep 7", "po", 7, 27),),
        supervisors=2,
        transport=OWN,
        state="confirmed",
        weeks=3,
    ),
    # Cancelled by the school.
    RequestSpec(
        WIEKEN,
        MOBILE,
        (("groep 6", "po", 6, 22), ("groep 8", "po", 8, 25)),
        supervisors=4,
        transport=AT_SCHOOL,
        state="cancelled",
        weeks=7,
        cancel_reason="Die week is de schoolverbouwing begonnen; we vragen in het voorjaar "
        "opnieuw aan.",
    ),
    # Earlier this school year: the visits happened (the public counter adds them up).
    RequestSpec(
        ZUYDERZEE,
        MOBILE,
        (("1A", "vmbo", 1, 26), ("1B", "vmbo", 1, 25)),
        supervisors=4,
        transport=AT_SCHOOL,
        state="done_evaluated",
        weeks=-3,
        evaluation=(5, 4, "Meer tijd bij de robotarm: iedereen wilde nog een keer."),
    ),
    RequestSpec(
        POLDERLICHT,
        BRIDGE,
        (("4M", "vmbo", 4, 24),),
        supervisors=3,
        transport=BUS,
        state="done_evaluated",
        weeks=-5,
        evaluation=(4, 5, ""),
    ),
    RequestSpec(
        ZEEBODEM,
        MOBILE,
        (("groep 5", "po", 5, 24), ("groep 6", "po", 6, 28)),
        supervisors=4,
        transport=AT_SCHOOL,
        state="done_evaluated",
        weeks=-7,
        evaluation=(5, 5, "Duidelijke uitleg, op het niveau van groep 5."),
    ),
    RequestSpec(
        KOMPAS,
        DRONE,
        (("3A", "vmbo", 3, 25), ("3B", "vmbo", 3, 24)),
        supervisors=5,
        transport=OWN,
        state="done",
        weeks=-2,
    ),
    RequestSpec(
        WIEKEN,
        GUEST_LESSON,
        (("groep 8", "po", 8, 29),),
        supervisors=2,
        transport=OWN,
        state="done",
        weeks=-9,
    ),
    RequestSpec(
        ZUYDERZEE,
        BRIDGE,
        (("4B", "vmbo", 4, 20),),
        supervisors=3,
        transport=OWN,
        state="done",
        weeks=-11,
    ),
    RequestSpec(
        POLDERLICHT,
        MOBILE,
        (("1M", "vmbo", 1, 28), ("2M", "vmbo", 2, 27)),
        supervisors=4,
        transport=AT_SCHOOL,
        state="done",
        weeks=-13,
    ),
    RequestSpec(
        ZEEBODEM,
        GUEST_LESSON,
        (("groep 8", "po", 8, 26),),
        supervisors=2,
        transport=OWN,
        state="done_evaluated",
        weeks=-4,
        evaluation=(4, 3, "Voor groep 8 mocht het wel wat meer doen en minder vertellen."),
    ),
    RequestSpec(
        KOMPAS,
        MOBILE,
        (("1C", "vmbo", 1, 27), ("1D", "vmbo", 1, 26)),
        supervisors=4,
        transport=AT_SCHOOL,
        state="done",
        weeks=-6,
    ),
)

HOST_DECLINE_REASON = "Die week staat onze lasserij stil voor groot onderhoud."
# States whose visit the seed writes itself, and those planned through the services after it.
PAST_STATES = ("done", "done_evaluated")
PLANNED_STATES = ("planned", "confirmed", "replanned")


# --- Writing ---------------------------------------------------------------------------------


def seed_schools(
    *,
    companies: dict[str, Company],
    locations: dict[str, Location],
    teachers: dict[str, User],
    coordinator: User,
    today: date,
    now: datetime,
) -> None:
    """Activities, materials, schools, requests, and the visits already behind us. Call inside
    the seed's transaction; :func:`plan_visits` does the planning after it."""
    activities = {
        spec["slug"]: _upsert_activity(spec, companies=companies, locations=locations)
        for spec in ACTIVITIES
    }
    for spec in MATERIALS:
        _upsert_material(activities[spec[0]], *spec[1:])
    schools = {
        brin: School.objects.update_or_create(brin=brin, defaults={"name": name, "city": city})[0]
        for brin, name, city in SCHOOLS
    }
    school_of = {email: schools[brin] for email, _, brin in TEACHERS}
    past_days = _past_school_days(today)
    for index, spec in enumerate(REQUESTS):
        activity = activities[spec.activity]
        request = _upsert_request(
            spec,
            activity=activity,
            school=school_of[spec.teacher],
            teacher=teachers[spec.teacher],
            today=today,
        )
        if spec.state in PAST_STATES:
            day = _past_day(today, spec.weeks, activity, past_days, index)
            _write_past_visit(request, spec, day=day, planner=coordinator, today=today)
        elif spec.state == "cancelled":
            _write_cancelled(request, spec, now=now)
        elif request.status == SchoolRequest.Status.REQUESTED:
            # Not planned yet (or planned in an earlier demo and declined since): ask for dates
            # ahead of today, again.
            _set_dates(request, spec, activity=activity, today=today)


def plan_visits(*, planner: User, today: date) -> int:
    """Allocate the demo's planned and confirmed requests through the planning service and let
    the host answer through the host link service, as the coordinator and the host would on the
    site; mails go to the outbox. Requests planned in an earlier demo are left alone. Then the
    visits that passed since an earlier demo are finished. Returns how many visits were made."""
    made = 0
    for spec in REQUESTS:
        if spec.state not in PLANNED_STATES:
            continue
        request = _find_request(spec)
        if request is None or request.status != SchoolRequest.Status.REQUESTED:
            continue
        if request.visits.exists():
            continue  # planned in an earlier demo, since declined: left for the coordinator
        days = [day for day in request.preferred_dates if day > today]
        if len(days) < 2:
            continue
        activity = request.activity
        location = activity.locations.order_by("pk").first()
        try:
            made += _plan(spec, request, days=days, location=location, planner=planner)
        except planning.PlanningRefused:
            # Someone planned that day full in the demo meanwhile: the request stays open.
            continue
    after.finish_visits(today=today)
    return made


def _plan(
    spec: RequestSpec,
    request: SchoolRequest,
    *,
    days: list[date],
    location: Location | None,
    planner: User,
) -> int:
    """Plan ``request`` as ``spec`` says, on its first preferred day (a declined one: on its
    second), and answer for the host. Returns how many visits were made."""
    start_time = request.activity.start_time
    visit = planning.allocate(
        school_request=request,
        day=days[0],
        start_time=start_time,
        location=location,
        planner=planner,
    )
    if spec.state == "replanned":
        host_links.answer(token=_new_token(visit), accept=False, reason=HOST_DECLINE_REASON)
        request.refresh_from_db()
        planning.allocate(
            school_request=request,
            day=days[1],
            start_time=start_time,
            location=location,
            planner=planner,
        )
        return 2
    if spec.state == "confirmed" and visit.status == SchoolVisit.Status.PLANNED:
        host_links.answer(token=_new_token(visit), accept=True)
    return 1


def _upsert_activity(
    spec: dict, *, companies: dict[str, Company], locations: dict[str, Location]
) -> SchoolActivity:
    fields = {key: value for key, value in spec.items() if key not in ("slug", "locations")}
    fields["host"] = companies[spec["host"]] if spec["host"] else None
    fields["host_contact"] = (
        User.objects.get(email=spec["host_contact"]) if spec["host_contact"] else None
    )
    fields["is_published"] = True
    activity, _ = SchoolActivity.objects.update_or_create(slug=spec["slug"], defaults=fields)
    activity.locations.set([locations[slug] for slug in spec["locations"]])
    return activity


def _upsert_material(
    activity: SchoolActivity, use: str, title: str, title_en: str, name: str, lines: tuple
) -> None:
    material, _ = SchoolMaterial.objects.update_or_create(
        activity=activity, use=use, title=title, defaults={"title_en": title_en}
    )
    path = f"schools/materials/{name}"
    storage = material.file.storage
    if not storage.exists(path):
        path = storage.save(path, ContentFile(_worksheet_pdf(lines)))
    if material.file.name != path:
        material.file.name = path
        material.save(update_fields=["file"])


def _worksheet_pdf(lines: tuple[str, ...]) -> bytes:
    """A one-page worksheet: a heading and its lines."""
    pdf = FPDF(format="A4")
    pdf.set_title(lines[0])
    pdf.add_page()
    pdf.set_font("helvetica", "B", 18)
    pdf.multi_cell(0, 10, lines[0], new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("helvetica", size=12)
    for line in lines[1:]:
        pdf.ln(4)
        pdf.multi_cell(0, 7, line, new_x="LMARGIN", new_y="NEXT")
        pdf.ln(14)
    return bytes(pdf.output())


def _find_request(spec: RequestSpec) -> SchoolRequest | None:
    first_class = spec.groups[0][0]
    return (
        SchoolRequest.objects.filter(
            activity__slug=spec.activity,
            groups__label=first_class,
            teacher__email=spec.teacher,
        )
        .select_related("activity")
        .distinct()
        .order_by("pk")
        .first()
    )


def _upsert_request(
    spec: RequestSpec, *, activity: SchoolActivity, school: School, teacher: User, today: date
) -> SchoolRequest:
    """The request of ``spec``, made with a date far ahead when new (the caller sets the
    dates), its groups as the spec says."""
    request = (
        SchoolRequest.objects.filter(
            school=school,
            activity=activity,
            teacher=teacher,
            groups__label=spec.groups[0][0],
        )
        .order_by("pk")
        .first()
    )
    if request is None:
        request = SchoolRequest.objects.create(
            activity=activity,
            school=school,
            teacher=teacher,
            supervisors=spec.supervisors,
            preferred_dates=[today + timedelta(days=365)],
            transport=spec.transport,
        )
        SchoolGroup.objects.bulk_create(
            SchoolGroup(request=request, label=label, level=level, year=year, pupils=pupils)
            for label, level, year, pupils in spec.groups
        )
    request.contact_phone = "0527 61 24 00"
    request.supervisors = spec.supervisors
    request.transport = spec.transport
    request.accessibility = spec.accessibility
    request.question = spec.question
    request.save(
        update_fields=["contact_phone", "supervisors", "transport", "accessibility", "question"]
    )
    return request


def _set_dates(
    request: SchoolRequest, spec: RequestSpec, *, activity: SchoolActivity, today: date
) -> None:
    """Three preferred dates on days the host receives, a week apart from ``spec.weeks`` ahead;
    or a window of three weeks, with one day that cannot."""
    first = _receiving_day(today + timedelta(weeks=spec.weeks), activity)
    if spec.window:
        request.preferred_dates = []
        request.window_from = first
        request.window_to = first + timedelta(weeks=3)
        request.blackout_dates = [_receiving_day(first + timedelta(days=8), activity)]
    else:
        request.preferred_dates = [
            _receiving_day(first + timedelta(weeks=n), activity) for n in range(3)
        ]
        request.window_from = request.window_to = None
        request.blackout_dates = []
    request.save(update_fields=["preferred_dates", "window_from", "window_to", "blackout_dates"])


def _write_past_visit(
    request: SchoolRequest, spec: RequestSpec, *, day: date, planner: User, today: date
) -> None:
    """A visit that took place on ``day``: confirmed by the host ten days before, the request
    done, and the teacher's evaluation when the spec has one."""
    activity = request.activity
    starts_at = datetime.combine(day, activity.start_time, tzinfo=HUB_TIMEZONE)
    pupils = sum(group[3] for group in spec.groups)
    visit = request.visits.order_by("pk").first() or SchoolVisit(request=request)
    visit.activity = activity
    visit.location = activity.locations.order_by("pk").first()
    visit.date = day
    visit.starts_at = starts_at
    visit.ends_at = starts_at + timedelta(minutes=activity.duration_minutes)
    visit.pupils = pupils
    visit.status = SchoolVisit.Status.CONFIRMED
    visit.planned_by = planner
    visit.host_answered_at = starts_at - timedelta(days=10) if activity.host_contact else None
    visit.host_link_expires_at = starts_at - timedelta(days=7)
    visit.reminders_sent = [14, 2]
    visit.save()
    request.preferred_dates = [day]
    request.window_from = request.window_to = None
    request.blackout_dates = []
    request.status = SchoolRequest.Status.DONE
    request.save(
        update_fields=["preferred_dates", "window_from", "window_to", "blackout_dates", "status"]
    )
    if spec.evaluation:
        engagement, fit, improvement = spec.evaluation
        SchoolEvaluation.objects.update_or_create(
            request=request,
            defaults={
                "engagement": engagement,
                "fit": fit,
                "improvement": improvement,
                "answered_on": min(day + timedelta(days=2), today),
            },
        )


def _write_cancelled(request: SchoolRequest, spec: RequestSpec, *, now: datetime) -> None:
    """Cancelled by the school three days ago, before anything was planned."""
    today = now.astimezone(HUB_TIMEZONE).date()
    _set_dates(request, spec, activity=request.activity, today=today)
    request.status = SchoolRequest.Status.CANCELLED
    request.cancelled_by = SchoolRequest.Party.TEACHER
    request.cancel_reason = spec.cancel_reason
    if request.cancelled_at is None:
        request.cancelled_at = now - timedelta(days=3)
    request.save(update_fields=["status", "cancelled_by", "cancel_reason", "cancelled_at"])


def _receiving_day(day: date, activity: SchoolActivity) -> date:
    """``day``, or the first day after it the host receives groups outside the Christmas
    break."""
    while not rules.host_receives_on(day, activity.weekdays) or _christmas_break(day):
        day += timedelta(days=1)
    return day


def _christmas_break(day: date) -> bool:
    return (day.month, day.day) >= (12, 21) or (day.month, day.day) <= (1, 3)


def _past_school_days(today: date) -> list[date]:
    """The weekdays of this school year before today, latest first (none on 1 August)."""
    first, _ = rules.school_year(today)
    days, day = [], today - timedelta(days=1)
    while day >= first:
        if day.weekday() < 5 and not _christmas_break(day):
            days.append(day)
        day -= timedelta(days=1)
    return days


def _past_day(
    today: date, weeks: int, activity: SchoolActivity, past_days: list[date], index: int
) -> date:
    """A host's receiving day about ``-weeks`` weeks back, inside this school year so that the
    public counter counts it; early in the school year, one of its first days (or today)."""
    day = today + timedelta(weeks=weeks)
    while not rules.host_receives_on(day, activity.weekdays) or _christmas_break(day):
        day -= timedelta(days=1)
    if past_days and day >= past_days[-1]:
        return day
    if not past_days:
        return today
    return past_days[-1 - index % len(past_days)]


def _new_token(visit: SchoolVisit) -> str:
    """A fresh host link token for ``visit`` (the seed answers for the host with it)."""
    token = secrets.token_urlsafe(32)
    visit.host_token_hash = planning.host_token_hash(token)
    visit.save(update_fields=["host_token_hash"])
    return token
