"""Demand pooled across companies: the programme manager's board and the public summary.

Open needs and open interest are pooled into groups by subject (a theme, or a course),
location and quarter. A need counts in each location it would accept; an interest in its
course's themes when pooled by theme. The quarter is that of the wanted start, but never before
the current quarter: interest, and needs without a period or with a start already past, want the
training as soon as possible.

A need or interest for "any location" counts in every location's group of its subject and
quarter, so that it helps a group at a named place get ready; a group shows which part of its
people asked for any location. Only when nobody named a place for that subject and quarter do
they form a group of their own ("elke locatie"). Within a group nothing counts twice: each need
and interest once, a learner once, and a company's interest in one course once (its largest head
count), however many ways it arrived.

Both readers load the open needs and interests in a fixed number of queries and pool them in
Python, however many there are. The board also lists qualifications that expire with no run
planned to renew them (``enrolment.qualifications.selectors.list_expiring_without_run``): a
row per qualification, the people counted per company.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from itertools import chain
from urllib.parse import urlencode

from django.conf import settings
from django.db.models import Prefetch
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from catalogue.models import Course, Location, Theme
from enrolment.qualifications.selectors import ExpiringDemand, list_expiring_without_run

from ..models import Interest, TrainingNeed
from .selectors import OPEN_NEED_STATUSES

BY_THEME = "theme"
BY_COURSE = "course"


@dataclass(frozen=True, order=True)
class Quarter:
    year: int
    number: int

    @classmethod
    def of(cls, day: date) -> "Quarter":
        return cls(day.year, (day.month - 1) // 3 + 1)

    def __str__(self) -> str:
        return _("%(quarter)se kwartaal %(year)s") % {"quarter": self.number, "year": self.year}


@dataclass(frozen=True)
class Threshold:
    """A group is ready to schedule from ``people`` people of ``companies`` companies."""

    people: int
    companies: int

    @classmethod
    def configured(cls) -> "Threshold":
        """The hub's threshold: settings ``DEMAND_READY_PEOPLE`` and ``DEMAND_READY_COMPANIES``."""
        return cls(settings.DEMAND_READY_PEOPLE, settings.DEMAND_READY_COMPANIES)


@dataclass
class DemandGroup:
    subject: Theme | Course
    location: Location | None  # None: any location will do
    quarter: Quarter
    needs: list[TrainingNeed] = field(default_factory=list)
    interests: list[Interest] = field(default_factory=list)
    ready: bool = False
    # Which of the needs and interests asked for any location, as (kind, pk).
    any_location_keys: set[tuple[str, int]] = field(default_factory=set)
    _keys: set[tuple[str, int]] = field(default_factory=set, repr=False)

    def add(self, asked: TrainingNeed | Interest, *, any_location: bool = False) -> None:
        """Count a need or an interest in this group, once however often it is added."""
        key = _key(asked)
        if key in self._keys:
            return
        self._keys.add(key)
        (self.needs if isinstance(asked, TrainingNeed) else self.interests).append(asked)
        if any_location:
            self.any_location_keys.add(key)

    @property
    def subject_name(self) -> str:
        return self.subject.localized("name" if isinstance(self.subject, Theme) else "title")

    def _count(self, *, any_location: bool) -> int:
        """People asking; without those who asked for any location unless ``any_location``."""

        def counted(asked) -> bool:
            return any_location or _key(asked) not in self.any_location_keys

        people = sum(need.headcount for need in self.needs if counted(need))
        # A learner is one person; a company's interest in a course is one number.
        largest: dict[tuple, int] = {}
        for interest in filter(counted, self.interests):
            who = (
                ("learner", interest.learner_id)
                if interest.learner_id is not None
                else ("company", interest.company_id, interest.course_id)
            )
            largest[who] = max(largest.get(who, 0), interest.headcount)
        return people + sum(largest.values())

    @property
    def people(self) -> int:
        return self._count(any_location=True)

    @property
    def any_location_people(self) -> int:
        """The part of ``people`` that asked for any location, not this group's place."""
        if self.location is None:
            return 0
        return self.people - self._count(any_location=False)

    @property
    def need_rows(self) -> list[tuple[TrainingNeed, bool]]:
        """Each need with whether it asked for any location."""
        return [(need, _key(need) in self.any_location_keys) for need in self.needs]

    @property
    def interest_rows(self) -> list[tuple[Interest, bool]]:
        """Each interest with whether it asked for any location."""
        return [(i, _key(i) in self.any_location_keys) for i in self.interests]

    @property
    def company_count(self) -> int:
        companies = {need.company_id for need in self.needs}
        companies.update(i.company_id for i in self.interests if i.company_id is not None)
        return len(companies)

    @property
    def learners(self) -> int:
        """People who asked for themselves (not through their company's HR)."""
        return len({i.learner_id for i in self.interests if i.learner_id is not None})

    @property
    def course(self) -> Course | None:
        """The course to plan: the subject, or the course most asked for within the theme."""
        if isinstance(self.subject, Course):
            return self.subject
        counts: dict[Course, int] = defaultdict(int)
        for need in self.needs:
            if need.course is not None:
                counts[need.course] += need.headcount
        for interest in self.interests:
            counts[interest.course] += interest.headcount
        return max(counts, key=lambda course: (counts[course], -course.pk), default=None)

    @property
    def schedule_url(self) -> str:
        """The admin's new-offering form, filled in with this group's course, place and needs."""
        initial = {"training_needs": ",".join(str(need.pk) for need in self.needs)}
        if self.course is not None:
            initial["course"] = self.course.pk
        if self.location is not None:
            initial["location"] = self.location.pk
        return f"{reverse('admin:catalogue_offering_add')}?{urlencode(initial)}"

    @property
    def proposal_url(self) -> str:
        """A new proposal (``proposals:new``) filled in with this group: subject, place,
        quarter, head count and its needs."""
        first_month = (self.quarter.number - 1) * 3 + 1
        start = date(self.quarter.year, first_month, 1)
        end = (
            date(self.quarter.year + 1, 1, 1)
            if first_month == 10
            else date(self.quarter.year, first_month + 3, 1)
        ) - timedelta(days=1)
        initial = {
            "title": self.subject_name,
            "headcount": self.people,
            "period_start": start.isoformat(),
            "period_end": end.isoformat(),
            "needs": ",".join(str(need.pk) for need in self.needs),
        }
        if isinstance(self.subject, Theme):
            initial["theme"] = self.subject.pk
        if self.course is not None:
            initial["course"] = self.course.pk
        if self.location is not None:
            initial["location"] = self.location.pk
        return f"{reverse('proposals:new')}?{urlencode(initial)}"


def _key(asked: TrainingNeed | Interest) -> tuple[str, int]:
    return ("need" if isinstance(asked, TrainingNeed) else "interest", asked.pk)


@dataclass
class DemandBoard:
    groups: list[DemandGroup]
    threshold: Threshold
    by: str
    # Needs that cannot be pooled this way: free text without a theme, or without a course.
    unpooled_needs: list[TrainingNeed]
    # Qualifications expiring (or lately expired) with no run planned to renew them: demand of
    # the holders' companies that nobody had to state.
    expiring: list[ExpiringDemand] = field(default_factory=list)

    @property
    def ready_count(self) -> int:
        return sum(1 for group in self.groups if group.ready)


def _open_needs() -> list[TrainingNeed]:
    return list(
        TrainingNeed.objects.filter(status__in=OPEN_NEED_STATUSES, offering__isnull=True)
        .select_related("company", "theme", "course")
        .prefetch_related(
            Prefetch("preferred_locations", queryset=Location.objects.order_by("name"))
        )
        .order_by("pk")
    )


def _open_interests() -> list[Interest]:
    return list(
        Interest.objects.filter(notified_at__isnull=True)
        .select_related("course", "location", "company")
        .prefetch_related(Prefetch("course__themes", queryset=Theme.objects.order_by("name")))
        .order_by("pk")
    )


def _need_subjects(need: TrainingNeed, by: str) -> list[Theme | Course]:
    subject = need.theme if by == BY_THEME else need.course
    return [subject] if subject is not None else []


def _interest_subjects(interest: Interest, by: str) -> list[Theme | Course]:
    return list(interest.course.themes.all()) if by == BY_THEME else [interest.course]


def _quarter(wanted: date | None, now: Quarter) -> Quarter:
    return max(Quarter.of(wanted), now) if wanted else now


def pool_demand(
    *, by: str = BY_THEME, threshold: Threshold | None = None, today: date | None = None
) -> DemandBoard:
    """Pool every open need and interest; ready groups first, then by number of people."""
    threshold = threshold or Threshold.configured()
    current = Quarter.of(today or timezone.localdate())
    groups: dict[tuple, DemandGroup] = {}
    # Per (subject, quarter): what asked for any location, added to the places' groups below.
    anywhere: dict[tuple, list[TrainingNeed | Interest]] = defaultdict(list)
    subjects: dict[tuple, Theme | Course] = {}

    def group(subject, location, quarter) -> DemandGroup:
        key = (type(subject), subject.pk, location.pk if location else None, quarter)
        return groups.setdefault(key, DemandGroup(subject, location, quarter))

    def ask(subject, location, quarter, asked) -> None:
        if location is not None:
            group(subject, location, quarter).add(asked)
        else:
            subjects[(type(subject), subject.pk, quarter)] = subject
            anywhere[(type(subject), subject.pk, quarter)].append(asked)

    unpooled = []
    for need in _open_needs():
        need_subjects = _need_subjects(need, by)
        if not need_subjects:
            unpooled.append(need)
        quarter = _quarter(need.period_start, current)
        for subject in need_subjects:
            for location in need.preferred_locations.all() or [None]:
                ask(subject, location, quarter, need)
    for interest in _open_interests():
        for subject in _interest_subjects(interest, by):
            ask(subject, interest.location, current, interest)

    placed: dict[tuple, list[DemandGroup]] = defaultdict(list)
    for pooled in groups.values():
        placed[(type(pooled.subject), pooled.subject.pk, pooled.quarter)].append(pooled)
    for key, asked_anywhere in anywhere.items():
        subject, quarter = subjects[key], key[2]
        for pooled in placed.get(key) or [group(subject, None, quarter)]:
            for asked in asked_anywhere:
                pooled.add(asked, any_location=pooled.location is not None)

    for pooled in groups.values():
        pooled.ready = (
            pooled.people >= threshold.people and pooled.company_count >= threshold.companies
        )
    ordered = sorted(
        groups.values(),
        key=lambda g: (not g.ready, -g.people, g.quarter, str(g.subject), str(g.location or "")),
    )
    return DemandBoard(
        groups=ordered,
        threshold=threshold,
        by=by,
        unpooled_needs=unpooled,
        expiring=list_expiring_without_run(today=today),
    )


@dataclass
class ThemeDemand:
    theme: Theme
    people: int
    companies: int


def summarise_demand(*, limit: int = 8) -> list[ThemeDemand]:
    """The themes most asked for, for the public: counts only, never who asked.

    Each open need and interest counts once per theme, whatever its places and periods.
    Three queries: the needs' and the interests' (theme, company, head count), then the themes.
    """
    asked = chain(
        TrainingNeed.objects.filter(
            status__in=OPEN_NEED_STATUSES, offering__isnull=True, theme__isnull=False
        ).values_list("theme_id", "company_id", "headcount"),
        Interest.objects.filter(notified_at__isnull=True, course__themes__isnull=False).values_list(
            "course__themes", "company_id", "headcount"
        ),
    )
    people: dict[int, int] = defaultdict(int)
    companies: dict[int, set[int]] = defaultdict(set)
    for theme_id, company_id, headcount in asked:
        people[theme_id] += headcount
        if company_id is not None:
            companies[theme_id].add(company_id)
    themes = Theme.objects.in_bulk(people)
    ranked = sorted(people, key=lambda pk: (-people[pk], themes[pk].name))[:limit]
    return [ThemeDemand(themes[pk], people[pk], len(companies[pk])) for pk in ranked]
