"""Reads of the catalogue. Selectors own the joins and prefetches their pages need."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import NamedTuple

from django.contrib.postgres.aggregates import ArrayAgg
from django.contrib.postgres.search import SearchRank
from django.db.models import Exists, F, Min, OuterRef, Prefetch, QuerySet
from django.utils import timezone
from django.utils.dateformat import format as format_date
from django.utils.text import slugify
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from companies.models import StaffPermission, User

from . import search
from .models import Course, Location, Meeting, Offering, Sector, Theme


def with_waiting(offerings: QuerySet[Offering]) -> QuerySet[Offering]:
    """Offerings that know whether anyone is on their waiting list (``Offering.seats_open``)."""
    return offerings.annotate(
        anyone_waiting=Exists(
            Offering.objects.filter(pk=OuterRef("pk"), enrolments__status="waitlisted")
        )
    )


def upcoming_offerings(*, now: datetime | None = None, viewer=None) -> QuerySet[Offering]:
    """Open offerings of published courses whose first meeting is still ahead, soonest first.

    Public runs only, unless a ``viewer`` is given: then also the closed runs
    (*besloten uitvoeringen*) for a company the viewer works at."""
    now = now or timezone.now()
    offerings = Offering.objects.public() if viewer is None else Offering.objects.visible_to(viewer)
    return with_waiting(
        offerings.filter(status=Offering.Status.OPEN, course__is_published=True)
        .annotate(first_starts_at=Min("meetings__starts_at"))
        .filter(first_starts_at__gt=now)
        .order_by("first_starts_at", "pk")
    )


def _with_meetings(offerings: QuerySet[Offering]) -> QuerySet[Offering]:
    return offerings.select_related("course", "location").prefetch_related(
        Prefetch("meetings", queryset=Meeting.objects.order_by("starts_at"))
    )


def list_upcoming_offerings(*, limit: int, now: datetime | None = None) -> list[Offering]:
    """The next ``limit`` offerings with course, location and meetings loaded, for the home page."""
    return list(_with_meetings(upcoming_offerings(now=now))[:limit])


# --- The course list: search, filters and their counts ----------------------------------------


class Sort:
    RELEVANCE = "relevantie"
    START = "start"
    TITLE = "titel"
    PRICE = "prijs"


@dataclass(frozen=True)
class CatalogueFilters:
    """What a visitor asked the course list for; every field comes from the URL."""

    q: str = ""
    sector: str = ""
    theme: str = ""
    place: str = ""
    mode: str = ""
    month: str = ""
    free_seats: bool = False
    funding: bool = False
    price_min: Decimal | None = None
    price_max: Decimal | None = None
    sort: str = ""
    # Only read from the search words ("beginners", "avond"), not from a field of their own.
    level: str = ""
    daypart: str = ""


@dataclass
class OfferingFacts:
    """What the course list needs to know of one upcoming offering."""

    course_id: int
    place: str
    month: str
    starts_at: datetime
    seats_left: int
    id: int = 0
    daypart: str = "day"


@dataclass
class CourseFacts:
    """What the course list needs to know of one course to filter, count, sort and show it.

    ``title`` and ``summary`` are in the active language; ``sort_title`` is the title lowered.
    """

    id: int
    slug: str
    title: str
    sort_title: str
    summary: str
    provider: str
    sector: str
    mode: str
    level: str
    price: Decimal
    funding_eligible: bool
    theme_slugs: list[str]
    rank: float = 0.0
    offerings: list[OfferingFacts] = field(default_factory=list)
    # Set on the courses that match, from their offerings that pass the filters: the soonest,
    # their places (labels, soonest first) and whether they are in the day, the evening or both.
    next_offering: OfferingFacts | None = None
    places: list[str] = field(default_factory=list)
    in_the_day: bool = False
    in_the_evening: bool = False


@dataclass
class FacetOption:
    value: str
    label: str
    count: int
    selected: bool


@dataclass(frozen=True)
class Chip:
    """A filter read from the search words, shown with a link that takes it off again."""

    label: str
    remove_q: str


@dataclass
class CatalogueResult:
    """The courses that match, in order, with the counts each filter option would leave.

    ``chips`` are the filters read from the search words. When nothing matches, ``suggestion``
    is a "did you mean" and ``closest`` the courses that come nearest.
    """

    courses: list[CourseFacts]
    facets: dict[str, list[FacetOption]]
    suggestion: str | None = None
    chips: list[Chip] = field(default_factory=list)
    closest: list[CourseFacts] = field(default_factory=list)

    @property
    def course_ids(self) -> list[int]:
        return [course.id for course in self.courses]


def place_of(location_kind: str, city: str) -> str:
    """The place filter value of a location: its town for hubs, else its kind."""
    if location_kind == Location.Kind.HUB:
        return slugify(city)
    return location_kind


class Place(NamedTuple):
    """A location as the place filter sees it."""

    value: str
    kind: str
    city: str


def _places_by_location() -> dict[int, Place]:
    """Every location's place: a handful of rows, read once per search."""
    return {
        row["id"]: Place(place_of(row["kind"], row["city"]), row["kind"], row["city"])
        for row in Location.objects.values("id", "kind", "city")
    }


EVENING_FROM_HOUR = 17


def _course_facts(
    filters: CatalogueFilters,
    now: datetime,
    places: dict[int, Place],
    *,
    course_ids: list[int] | None = None,
) -> list[CourseFacts]:
    """Two queries: the published courses matching the search words (or with ``course_ids``),
    and their upcoming offerings."""
    courses = Course.objects.filter(is_published=True)
    query = search.build_query(filters.q)
    if course_ids is not None:
        courses = courses.filter(pk__in=course_ids).annotate(rank=F("pk") * 0.0)
    elif query is not None:
        courses = courses.filter(search_vector=query).annotate(
            rank=SearchRank(F("search_vector"), query)
        )
    else:
        courses = courses.annotate(rank=F("pk") * 0.0)
    english = (get_language() or "nl").startswith("en")
    rows = courses.annotate(theme_slugs=ArrayAgg("themes__slug", distinct=True, default=[])).values(
        "id",
        "slug",
        "title",
        "title_en",
        "summary",
        "summary_en",
        "provider__name",
        "sector",
        "mode",
        "level",
        "price_excl_vat",
        "funding_eligible",
        "theme_slugs",
        "rank",
    )
    facts = {
        row["id"]: CourseFacts(
            id=row["id"],
            slug=row["slug"],
            # Course.localized() on the values: the English text where there is one.
            title=(english and row["title_en"]) or row["title"],
            sort_title=((english and row["title_en"]) or row["title"]).lower(),
            summary=(english and row["summary_en"]) or row["summary"],
            provider=row["provider__name"],
            sector=row["sector"],
            mode=row["mode"],
            level=row["level"],
            price=row["price_excl_vat"],
            funding_eligible=row["funding_eligible"],
            theme_slugs=[slug for slug in row["theme_slugs"] if slug],
            # The title's match first: a course named after the words beats one that mentions
            # them often.
            rank=search.title_score(filters.q, [row["title"], row["title_en"]])
            + (row["rank"] or 0.0),
        )
        for row in rows
    }
    offerings = (
        upcoming_offerings(now=now)
        .filter(course__in=list(facts))
        .values(
            "id",
            "course_id",
            "location_id",
            "first_starts_at",
            "capacity",
            "confirmed_count",
            "reserved_count",
            "anyone_waiting",
        )
    )
    zone = timezone.get_current_timezone()
    for offering in offerings:
        starts_at = offering["first_starts_at"].astimezone(zone)
        facts[offering["course_id"]].offerings.append(
            OfferingFacts(
                course_id=offering["course_id"],
                place=places[offering["location_id"]].value,
                month=f"{starts_at:%Y-%m}",
                starts_at=offering["first_starts_at"],
                # None free while anyone waits: a newcomer would queue behind them.
                seats_left=0
                if offering["anyone_waiting"]
                else (
                    offering["capacity"] - offering["confirmed_count"] - offering["reserved_count"]
                ),
                id=offering["id"],
                daypart="evening" if starts_at.hour >= EVENING_FROM_HOUR else "day",
            )
        )
    return list(facts.values())


# Course-level tests: does the course match the filter's value?
COURSE_TESTS = {
    "sector": lambda course, value: course.sector in (value, Sector.BOTH),
    "theme": lambda course, value: value in course.theme_slugs,
    "mode": lambda course, value: course.mode == value,
    "level": lambda course, value: course.level == value,
    "funding": lambda course, value: course.funding_eligible,
    "price_min": lambda course, value: course.price >= value,
    "price_max": lambda course, value: course.price <= value,
}
# Offering-level tests: a course matches when one of its upcoming offerings passes all of them.
OFFERING_TESTS = {
    "place": lambda offering, value: offering.place == value,
    "month": lambda offering, value: offering.month == value,
    "free_seats": lambda offering, value: offering.seats_left > 0,
    "daypart": lambda offering, value: offering.daypart == value,
}


def _active(filters: CatalogueFilters, names) -> list[tuple[str, object]]:
    return [
        (name, getattr(filters, name))
        for name in names
        if getattr(filters, name) not in ("", None, False)
    ]


@dataclass
class CheckedCourse:
    """A course with the filters it fails, and each of its offerings with the offering filters it
    fails.

    Every filter is tested once; counting a facet then only leaves that facet's filter out.
    """

    course: CourseFacts
    failed: set[str]
    offerings: list[tuple[OfferingFacts, set[str]]]


def _check(course: CourseFacts, course_filters, offering_filters) -> CheckedCourse:
    return CheckedCourse(
        course=course,
        failed={name for name, value in course_filters if not COURSE_TESTS[name](course, value)},
        offerings=[
            (
                offering,
                {
                    name
                    for name, value in offering_filters
                    if not OFFERING_TESTS[name](offering, value)
                },
            )
            for offering in course.offerings
        ],
    )


def _matching_offerings(
    checked: CheckedCourse, offering_filters: set[str], *, ignore: str = ""
) -> list[OfferingFacts] | None:
    """The course's offerings that pass the offering filters, or None when it fails a course filter.

    ``ignore`` names a filter to leave out. With no offering filter active every course passes,
    offerings or not.
    """
    if checked.failed - {ignore}:
        return None
    offerings = [offering for offering, failed in checked.offerings if not failed - {ignore}]
    if offering_filters - {ignore} and not offerings:
        return None
    return offerings


def _facet_counts(checked_courses, offering_filters, name, values_of) -> dict[str, int]:
    """How many courses each value of facet ``name`` would leave, the other filters applied."""
    counts: dict[str, int] = {}
    for checked in checked_courses:
        offerings = _matching_offerings(checked, offering_filters, ignore=name)
        if offerings is None:
            continue
        for value in set(values_of(checked.course, offerings)):
            counts[value] = counts.get(value, 0) + 1
    return counts


def _sort_key(sort: str, has_query: bool):
    """Sort (course, offerings) pairs; courses without an upcoming offering go last by date."""
    never = datetime.max.replace(tzinfo=UTC)

    def first_offering(item):
        return min((offering.starts_at for offering in item[1]), default=never)

    keys = {
        Sort.TITLE: lambda item: (item[0].sort_title,),
        Sort.PRICE: lambda item: (item[0].price, item[0].sort_title),
        Sort.START: lambda item: (first_offering(item), item[0].sort_title),
        Sort.RELEVANCE: lambda item: (-item[0].rank, first_offering(item), item[0].sort_title),
    }
    return keys.get(sort) or keys[Sort.RELEVANCE if has_query else Sort.START]


# What each facet counts: the values a course (with its offerings that pass the filters) offers.
FACET_VALUES = {
    "sector": lambda course, offerings: _sectors_of(course),
    "theme": lambda course, offerings: course.theme_slugs,
    "place": lambda course, offerings: [offering.place for offering in offerings],
    "mode": lambda course, offerings: [course.mode],
    "month": lambda course, offerings: [offering.month for offering in offerings],
    "free_seats": lambda course, offerings: (
        ["1"] if any(offering.seats_left > 0 for offering in offerings) else []
    ),
    "funding": lambda course, offerings: ["1"] if course.funding_eligible else [],
}


def search_catalogue(
    *, filters: CatalogueFilters, themes: list[Theme], now: datetime | None = None
) -> CatalogueResult:
    """Search and filter the published courses; count what every filter option would leave.

    Filtering, counting and sorting work on compact facts of the catalogue loaded in two
    queries (three with the places), so the number of queries does not grow with the
    catalogue or with the filters.
    """
    now = now or timezone.now()
    places = _places_by_location()
    reading = _read_query(filters, places, now)
    searched = replace(
        filters, q=reading.text, **{read.name: read.value for read in reading.filters}
    )
    course_filters = _active(searched, COURSE_TESTS)
    offering_filters = _active(searched, OFFERING_TESTS)
    checked_courses = [
        _check(course, course_filters, offering_filters)
        for course in _course_facts(searched, now, places)
    ]
    offering_filter_names = {name for name, _value in offering_filters}
    matches = []
    for checked in checked_courses:
        offerings = _matching_offerings(checked, offering_filter_names)
        if offerings is not None:
            matches.append((checked.course, offerings))
    matches.sort(key=_sort_key(filters.sort, bool(searched.q)))

    # The drop-downs show what the visitor chose; filters read from the words show as chips.
    labels = _facet_labels(themes, places)
    selected = {
        name: ("1" if value is True else value or "")
        for name, value in vars(filters).items()
        if name in FACET_VALUES
    }
    facets = {}
    for name, values_of in FACET_VALUES.items():
        counts = _facet_counts(checked_courses, offering_filter_names, name, values_of)
        if name == "month":
            labels["month"] = {
                month: _month_label(month) for month in sorted({*counts, selected["month"]} - {""})
            }
        facets[name] = [
            FacetOption(
                value=value,
                label=label,
                count=counts.get(value, 0),
                selected=value == selected[name],
            )
            for value, label in labels[name].items()
        ]
    for course, offerings in matches:
        _describe_offerings(course, offerings, labels["place"])
    result = CatalogueResult(
        courses=[course for course, _offerings in matches],
        facets=facets,
        chips=[
            Chip(label=_chip_label(read.name, read.value, labels), remove_q=read.remove_q)
            for read in reading.filters
        ],
    )
    if not matches and filters.q:
        _add_nearest(result, filters, reading, checked_courses, now, places, labels["place"])
    elif not matches:
        # Only the filters rule everything out: the soonest courses without them.
        never = datetime.max.replace(tzinfo=UTC)
        result.closest = _with_offerings_described(
            sorted(
                (checked.course for checked in checked_courses),
                key=lambda course: (
                    min((offering.starts_at for offering in course.offerings), default=never),
                    course.sort_title,
                ),
            )[:NEAREST],
            labels["place"],
        )
    return result


def _with_offerings_described(
    courses: list[CourseFacts], place_labels: dict[str, str]
) -> list[CourseFacts]:
    for course in courses:
        _describe_offerings(course, course.offerings, place_labels)
    return courses


NEAREST = 5


def _read_query(filters: CatalogueFilters, places: dict[int, Place], now: datetime):
    """The search words, and the filters the other words of the query name."""
    towns = {
        place.city: place.value
        for place in places.values()
        if place.kind == Location.Kind.HUB and place.city
    }
    taken = [name for name in search.FILTER_NAMES if getattr(filters, name)]
    return search.read_query(filters.q, towns=towns, now=now, title_words=_title_words, taken=taken)


def _title_words() -> set[str]:
    """Every word of the published courses' titles (one query), so a title is never a filter."""
    words: set[str] = set()
    titles = Course.objects.filter(is_published=True).values_list("title", "title_en")
    for title, title_en in titles:
        words.update(search.query_words(f"{title} {title_en}"))
    return words


def _chip_label(name: str, value: str, labels: dict[str, dict[str, str]]) -> str:
    if name == "month":
        return _month_label(value)
    if name == "level":
        return str(Course.Level(value).label)
    if name == "daypart":
        return str(DAYPART_LABELS[value])
    return labels[name].get(value, value)


DAYPART_LABELS = {"day": _("overdag"), "evening": _("'s avonds")}


def _add_nearest(
    result: CatalogueResult,
    filters: CatalogueFilters,
    reading,
    checked_courses: list[CheckedCourse],
    now: datetime,
    places: dict[int, Place],
    place_labels: dict[str, str],
) -> None:
    """Nothing matches: a "did you mean" and the courses that come nearest.

    When the words match courses that the filters rule out, those courses are the nearest and
    the words alone the suggestion; else the courses whose words look most like the query's.
    Two to four queries, only when nothing is found.
    """
    words = search.course_words()
    filter_words = set(search.query_words(filters.q)) - set(search.query_words(reading.text))
    suggestion = search.suggest(filters.q, search.vocabulary(words), keep=filter_words)
    if reading.text and checked_courses:
        closest = sorted(
            (checked.course for checked in checked_courses),
            key=lambda course: (-course.rank, course.sort_title),
        )[:NEAREST]
        suggestion = suggestion or (reading.text if reading.filters else closest[0].title)
    else:
        ids = search.closest_courses(reading.text or filters.q, words, limit=NEAREST)
        if not ids:
            ids = list(words)[:NEAREST]
        order = {pk: index for index, pk in enumerate(ids)}
        closest = sorted(
            _course_facts(CatalogueFilters(), now, places, course_ids=ids),
            key=lambda course: order[course.id],
        )
    result.closest = _with_offerings_described(closest, place_labels)
    result.suggestion = suggestion or (closest[0].title if closest else None)


def _describe_offerings(
    course: CourseFacts, offerings: list[OfferingFacts], place_labels: dict[str, str]
) -> None:
    """What a result card tells of the course's offerings that pass the filters."""
    soonest_first = sorted(offerings, key=lambda offering: offering.starts_at)
    course.next_offering = soonest_first[0] if soonest_first else None
    course.places = list(
        dict.fromkeys(
            place_labels.get(offering.place, offering.place) for offering in soonest_first
        )
    )
    course.in_the_day = any(offering.daypart == "day" for offering in offerings)
    course.in_the_evening = any(offering.daypart == "evening" for offering in offerings)


def _facet_labels(themes: list[Theme], places: dict[int, Place]) -> dict[str, dict[str, str]]:
    """The options of every facet but the month, in display order, with their labels."""
    hubs = sorted(
        (place for place in places.values() if place.kind == Location.Kind.HUB),
        key=lambda place: place.city,
    )
    towns = {place.value: place.city for place in hubs}
    return {
        "sector": {value: str(label) for value, label in Sector.choices if value != Sector.BOTH},
        "theme": {theme.slug: theme.localized("name") for theme in themes},
        "place": {
            **towns,
            Location.Kind.MOBILE: str(_("Mobiele hub (bij je bedrijf)")),
            Location.Kind.ONLINE: str(_("Online")),
        },
        "mode": {value: str(label) for value, label in Course.Mode.choices},
        "free_seats": {"1": str(_("Alleen met vrije plaatsen"))},
        "funding": {"1": str(_("Alleen subsidiabel"))},
    }


def _sectors_of(course: CourseFacts) -> list[str]:
    if course.sector == Sector.BOTH:
        return [Sector.METAL, Sector.AGRI]
    return [course.sector]


def _month_label(value: str) -> str:
    year, month = (int(part) for part in value.split("-"))
    return format_date(date(year, month, 1), "F Y")


# --- Pages of single things ---------------------------------------------------------------


def get_published_course(*, slug: str) -> Course:
    """A published course with provider and themes; Course.DoesNotExist otherwise."""
    return (
        Course.objects.select_related("provider")
        .prefetch_related(Prefetch("themes", queryset=Theme.objects.order_by("name")))
        .get(slug=slug, is_published=True)
    )


def list_course_offerings(
    *, course: Course, now: datetime | None = None, viewer=None
) -> list[Offering]:
    """The upcoming open offerings of a course, soonest first, with location and meetings.

    With a ``viewer``, also the closed runs for the viewer's companies, each with
    ``closed_for`` (those companies the viewer works at, by name); public runs get an empty one.
    """
    offerings = list(
        _with_meetings(upcoming_offerings(now=now, viewer=viewer).filter(course=course))
    )
    _mark_closed_for(offerings, viewer=viewer)
    return offerings


def _mark_closed_for(offerings: list[Offering], *, viewer) -> None:
    """Set ``closed_for`` on each offering: the viewer's companies a closed run is for (one
    query for all)."""
    for offering in offerings:
        offering.closed_for = []
        offering.closed_for_ids = set()
    if viewer is None or not viewer.is_authenticated or not offerings:
        return
    by_pk = {offering.pk: offering for offering in offerings}
    rows = (
        Offering.private_for.through.objects.filter(
            offering_id__in=by_pk, company__memberships__user=viewer
        )
        .order_by("company__name")
        .values_list("offering_id", "company_id", "company__name")
    )
    for offering_id, company_id, name in rows:
        by_pk[offering_id].closed_for.append(name)
        by_pk[offering_id].closed_for_ids.add(company_id)


def list_location_offerings(*, location: Location, now: datetime | None = None) -> list[Offering]:
    """The upcoming open offerings at a location, soonest first, with course and meetings."""
    return list(_with_meetings(upcoming_offerings(now=now).filter(location=location)))


def get_offering_for_calendar(*, pk: int, viewer=None) -> Offering:
    """An offering of a published course that is open or done, with its meetings, for an .ics
    file; a closed run only for a ``viewer`` of one of its companies."""
    return _with_meetings(
        Offering.objects.visible_to(viewer).filter(
            course__is_published=True,
            status__in=[Offering.Status.OPEN, Offering.Status.COMPLETED],
        )
    ).get(pk=pk)


def offerings_for_staff(
    *, user: User, offerings: QuerySet[Offering] | None = None
) -> QuerySet[Offering]:
    """The offerings ``user`` works on as hub staff, narrowed from ``offerings`` (default: all).

    Whoever may run any provider's offerings (the programme manager) gets them all; a college's
    staff (an *Opleider*) only those of the courses of the provider they work for; anyone else
    none. Whether they may do anything with those offerings is for their other permissions to say.
    """
    offerings = Offering.objects.all() if offerings is None else offerings
    if user.has_perm(StaffPermission.ANY_PROVIDER):
        return offerings
    if user.provider_id is None:
        return offerings.none()
    return offerings.filter(course__provider_id=user.provider_id)
