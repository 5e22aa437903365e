"""The benchmark's data: a large catalogue seeded once per data folder, and a fresh batch of
offerings and learners for each benchmark run (the enrolment rush must start from empty offerings).

Seeding uses ``bulk_create`` and writes no mail and no audit rows: it stands for years of
history, not for actions anyone took. Seat counters and waiting-list positions are written
consistent with the enrolments, as the services would have left them.
"""

import random
import secrets
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.auth.hashers import make_password
from django.contrib.sessions.backends.db import SessionStore
from django.db import connection, transaction
from django.utils import timezone

from catalogue.models import Course, Location, Meeting, Offering, Provider, Sector, Theme
from catalogue.services import refresh_search_vectors
from companies.accounts.user_cache import CachedModelBackend
from companies.models import Cluster, Company, Membership, User
from enrolment.models import Enrolment, Notification
from technohub import page_cache

COURSES = 300
OFFERINGS_PER_COURSE = 5
ENROLMENTS = 20_000
COMPANIES = 50
LEARNERS = 2_000
SLUG_PREFIX = "bench-"
RUSH_COURSE_SLUG = "bench-inschrijfdrukte"
SEED_EMAIL_DOMAIN = "seed.bench.invalid"
BATCH_EMAIL_DOMAIN = "batch.bench.invalid"

TOPICS = [
    ("MIG/MAG-lassen", "lassen", Sector.METAL),
    ("TIG-lassen RVS", "lassen", Sector.METAL),
    ("CNC-draaien", "cnc", Sector.METAL),
    ("CNC-frezen", "cnc", Sector.METAL),
    ("PLC-programmeren (TIA Portal)", "plc-automatisering", Sector.BOTH),
    ("Cobot programmeren", "robotica", Sector.METAL),
    ("Tekeninglezen", "cnc", Sector.METAL),
    ("Hydrauliek", "veiligheid", Sector.BOTH),
    ("GPS/RTK en automatisch sturen", "precisielandbouw", Sector.AGRI),
    ("Taakkaarten precisielandbouw", "precisielandbouw", Sector.AGRI),
    ("Drones A1/A3 en gewasmonitoring", "drones", Sector.AGRI),
    ("ISOBUS in de praktijk", "precisielandbouw", Sector.AGRI),
    ("Melkrobot onderhoud", "robotica", Sector.AGRI),
    ("VCA basisveiligheid", "veiligheid", Sector.BOTH),
    ("NEN 3140 werken aan installaties", "veiligheid", Sector.BOTH),
    ("Digitale vaardigheden op de werkvloer", "digitale-vaardigheden", Sector.BOTH),
    ("Communiceren met collega's", "communicatie", Sector.BOTH),
    ("3D-printen voor de werkplaats", "digitale-vaardigheden", Sector.METAL),
]
VARIANTS = ["basis", "gevorderd", "praktijkdag", "opfrisser", "voor leidinggevenden"]
THEMES = sorted({theme for _title, theme, _sector in TOPICS})
HUBS = [("Emmeloord", "emmeloord"), ("Emmeloord", "emmeloord-2"), ("Dronten", "dronten")]


@dataclass
class Batch:
    """What one benchmark run drives: session cookies and the offerings to enrol in."""

    my_courses_sessions: list[str]
    post_sessions: list[str]
    post_offering_ids: list[int]
    rush_sessions: list[str]
    rush_offering_ids: list[int]
    course_slugs: list[str]
    location_slugs: list[str]


def is_seeded() -> bool:
    return Course.objects.filter(slug__startswith=SLUG_PREFIX).count() >= COURSES


@transaction.atomic
def seed_catalogue(*, rng: random.Random) -> None:
    """300 courses, 1,500 upcoming offerings, 20,000 enrolments, 50 companies and their learners."""
    now = timezone.now()
    providers = Provider.objects.bulk_create(
        Provider(name=f"Opleider {n}", slug=f"{SLUG_PREFIX}opleider-{n}", kind="college")
        for n in range(4)
    )
    locations = Location.objects.bulk_create(
        [
            *(
                Location(name=f"Hub {slug}", slug=f"{SLUG_PREFIX}{slug}", kind="hub", city=city)
                for city, slug in HUBS
            ),
            Location(name="Mobiele hub", slug=f"{SLUG_PREFIX}mobiel", kind="mobile"),
            Location(name="Online in oZone", slug=f"{SLUG_PREFIX}online", kind="online"),
        ]
    )
    created_themes = Theme.objects.bulk_create(
        Theme(name=slug.replace("-", " ").capitalize(), slug=f"{SLUG_PREFIX}{slug}")
        for slug in THEMES
    )
    themes = dict(zip(THEMES, created_themes, strict=True))
    courses = []
    course_themes = []
    for n in range(COURSES):
        title, theme, sector = TOPICS[n % len(TOPICS)]
        variant = VARIANTS[(n // len(TOPICS)) % len(VARIANTS)]
        courses.append(
            Course(
                title=f"{title} – {variant} {n}",
                slug=f"{SLUG_PREFIX}cursus-{n}",
                summary=f"{title}: een praktijkgerichte cursus, {variant}.",
                description=f"{title} in de hal van de hub. " * 20,
                sector=sector,
                provider=providers[n % len(providers)],
                mode=rng.choice(["on_site", "on_site", "blended", "online", "mobile"]),
                study_hours=Decimal(rng.choice([4, 8, 16, 24, 40])),
                price_excl_vat=Decimal(rng.randrange(150, 2500, 5)),
                funding_eligible=n % 3 == 0,
                is_published=True,
            )
        )
        course_themes.append(themes[theme])
    courses = Course.objects.bulk_create(courses)
    Course.themes.through.objects.bulk_create(
        Course.themes.through(course=course, theme=theme)
        for course, theme in zip(courses, course_themes, strict=True)
    )
    offerings = Offering.objects.bulk_create(
        Offering(
            course=course,
            location=rng.choice(locations),
            status="open",
            capacity=rng.randint(8, 20),
            min_participants=4,
        )
        for course in courses
        for _offering in range(OFFERINGS_PER_COURSE)
    )
    meetings = []
    for offering in offerings:
        first = now + timedelta(days=rng.randint(14, 180), hours=rng.randint(0, 8))
        for week in range(rng.randint(1, 3)):
            starts_at = first + timedelta(weeks=week)
            meetings.append(
                Meeting(
                    offering=offering, starts_at=starts_at, ends_at=starts_at + timedelta(hours=4)
                )
            )
    Meeting.objects.bulk_create(meetings)
    _seed_learners_and_enrolments(offerings, rng=rng)
    refresh_search_vectors()


def _seed_learners_and_enrolments(offerings: list[Offering], *, rng: random.Random) -> None:
    cluster, _created = Cluster.objects.get_or_create(
        slug=f"{SLUG_PREFIX}cluster", defaults={"name": "Benchmarkcluster"}
    )
    companies = Company.objects.bulk_create(
        Company(
            name=f"Bedrijf {n}",
            slug=f"{SLUG_PREFIX}bedrijf-{n}",
            kvk_number=f"{90000000 + n}",
            cluster=cluster,
        )
        for n in range(COMPANIES)
    )
    learners = _create_learners([f"deelnemer{n}@{SEED_EMAIL_DOMAIN}" for n in range(LEARNERS)])
    Membership.objects.bulk_create(
        Membership(user=learner, company=companies[n % COMPANIES], role="employee")
        for n, learner in enumerate(learners)
    )
    per_offering, extra = divmod(ENROLMENTS, len(offerings))
    enrolments = []
    for index, offering in enumerate(offerings):
        count = per_offering + (index < extra)
        start = rng.randrange(LEARNERS)
        for place in range(count):
            learner = learners[(start + place) % LEARNERS]
            confirmed = place < offering.capacity
            enrolments.append(
                Enrolment(
                    offering=offering,
                    learner=learner,
                    enrolled_by=learner,
                    company=companies[(start + place) % LEARNERS % COMPANIES],
                    status="confirmed" if confirmed else "waitlisted",
                    waitlist_position=None if confirmed else place - offering.capacity + 1,
                    price_excl_vat=Decimal("500"),
                )
            )
        offering.confirmed_count = min(count, offering.capacity)
    Enrolment.objects.bulk_create(enrolments, batch_size=2_000)
    Offering.objects.bulk_update(offerings, ["confirmed_count"], batch_size=500)


def _create_learners(emails: list[str]) -> list[User]:
    """Learners with one random password between them: nobody logs in, sessions are made."""
    password = make_password(secrets.token_urlsafe())
    return User.objects.bulk_create(
        User(email=email, first_name="Deelnemer", last_name=str(n), password=password)
        for n, email in enumerate(emails)
    )


def analyze() -> None:
    """Fresh planner statistics, as autovacuum would gather them a while after a bulk load.

    Without them PostgreSQL guesses a handful of rows per table and picks plans that are ten
    times slower on the seeded catalogue.
    """
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def _login_session(user: User) -> str:
    """A session of ``user`` as a log-in would leave it; returns the session key."""
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = CachedModelBackend.path
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    return session.session_key


def _remove_previous_batch() -> None:
    offerings = Offering.objects.filter(course__slug=RUSH_COURSE_SLUG)
    Notification.objects.filter(enrolment__offering__in=offerings).delete()
    Enrolment.objects.filter(offering__in=offerings).delete()
    Meeting.objects.filter(offering__in=offerings).delete()
    offerings.delete()
    User.objects.filter(email__endswith=BATCH_EMAIL_DOMAIN).delete()


@transaction.atomic
def prepare_batch(
    *,
    post_clients: int,
    post_offerings: int,
    rush_clients: int,
    rush_offerings: int,
    rush_seats: int,
) -> Batch:
    """Empty offerings for this benchmark run, new learners with sessions, and what to request."""
    _remove_previous_batch()
    course = Course.objects.filter(slug=RUSH_COURSE_SLUG).first() or Course.objects.create(
        title="Benchmark: inschrijfdrukte",
        slug=RUSH_COURSE_SLUG,
        summary="Runs die de benchmark vult.",
        description="Runs die de benchmark vult.",
        sector=Sector.METAL,
        provider=Provider.objects.filter(slug__startswith=SLUG_PREFIX).first(),
        study_hours=Decimal(8),
        price_excl_vat=Decimal(100),
        is_published=True,
    )
    location = Location.objects.get(slug=f"{SLUG_PREFIX}emmeloord")
    starts_at = timezone.now() + timedelta(days=30)
    offerings = Offering.objects.bulk_create(
        Offering(
            course=course, location=location, status="open", capacity=capacity, min_participants=1
        )
        for capacity in [rush_seats] * rush_offerings + [1_000] * post_offerings
    )
    Meeting.objects.bulk_create(
        Meeting(offering=offering, starts_at=starts_at, ends_at=starts_at + timedelta(hours=4))
        for offering in offerings
    )
    tag = secrets.token_hex(4)
    learners = _create_learners(
        [f"{tag}-{n}@{BATCH_EMAIL_DOMAIN}" for n in range(post_clients + rush_clients)]
    )
    page_cache.invalidate()
    seeded_learners = User.objects.filter(email__endswith=f"@{SEED_EMAIL_DOMAIN}").order_by("pk")
    return Batch(
        my_courses_sessions=[_login_session(user) for user in seeded_learners[:post_clients]],
        post_sessions=[_login_session(user) for user in learners[:post_clients]],
        post_offering_ids=[offering.pk for offering in offerings[rush_offerings:]],
        rush_sessions=[_login_session(user) for user in learners[post_clients:]],
        rush_offering_ids=[offering.pk for offering in offerings[:rush_offerings]],
        course_slugs=list(
            Course.objects.filter(slug__startswith=f"{SLUG_PREFIX}cursus-")
            .order_by("pk")
            .values_list("slug", flat=True)[:20]
        ),
        location_slugs=list(
            Location.objects.filter(slug__startswith=SLUG_PREFIX).values_list("slug", flat=True)
        ),
    )


@dataclass
class RushOutcome:
    confirmed: int
    waitlisted: int
    offerings_with_gaps: int
    counters_off: int


def rush_outcome(offering_ids: list[int]) -> RushOutcome:
    """Seats and waiting lists of the rush offerings, and whether positions and counters are
    right."""
    gaps = counters_off = 0
    for offering in Offering.objects.filter(pk__in=offering_ids):
        enrolments = Enrolment.objects.filter(offering=offering)
        positions = sorted(
            enrolments.filter(status="waitlisted").values_list("waitlist_position", flat=True)
        )
        gaps += positions != list(range(1, len(positions) + 1))
        counters_off += offering.confirmed_count != enrolments.filter(status="confirmed").count()
    enrolments = Enrolment.objects.filter(offering__in=offering_ids)
    return RushOutcome(
        confirmed=enrolments.filter(status="confirmed").count(),
        waitlisted=enrolments.filter(status="waitlisted").count(),
        offerings_with_gaps=gaps,
        counters_off=counters_off,
    )
