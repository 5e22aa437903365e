"""Reading held qualifications: the latest per person and qualification, HR's matrix and export,
the next runs that renew a qualification, and what the demand board counts.

The latest row per person and qualification counts (:func:`latest_held`): a newer one, from a
refresher course or entered by HR, supersedes the older. Every reader here takes a fixed number
of queries, however many people or qualifications there are.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.conf import settings
from django.db.models import Exists, Min, OuterRef, Q, QuerySet
from django.utils import timezone

from catalogue.models import Course, Offering, Qualification
from companies.models import Company, Membership
from companies.names import dutch_name_order, fold

from ..models import Enrolment, HeldQualification

MATRIX_PAGE_SIZE = 50
# The demand board still counts a qualification that expired this many days ago.
EXPIRED_DEMAND_DAYS = 90

# The state of one cell of the matrix (and the matrix's status filter).
VALID = "valid"
EXPIRING = "expiring"
EXPIRED = "expired"
NEVER = "never"


def latest_held() -> QuerySet[HeldQualification]:
    """Held qualifications that are the latest of their person and qualification (the newest
    ``obtained_on``, the newest row on the same day)."""
    newer = HeldQualification.objects.filter(
        person=OuterRef("person"), qualification=OuterRef("qualification")
    ).filter(
        Q(obtained_on__gt=OuterRef("obtained_on"))
        | Q(obtained_on=OuterRef("obtained_on"), pk__gt=OuterRef("pk"))
    )
    return HeldQualification.objects.filter(~Exists(newer))


def expiring_until(today: date) -> date:
    """The last expiry date the matrix marks as expiring soon."""
    return today + timedelta(days=settings.QUALIFICATION_EXPIRING_DAYS)


def status_of(expires_on: date | None, *, today: date) -> str:
    """``NEVER``, ``EXPIRED`` (before ``today``), ``EXPIRING`` (within
    ``QUALIFICATION_EXPIRING_DAYS``) or ``VALID``."""
    if expires_on is None:
        return NEVER
    if expires_on < today:
        return EXPIRED
    if expires_on <= expiring_until(today):
        return EXPIRING
    return VALID


def status_filter(status: str, *, today: date) -> Q:
    """Held qualifications in ``status`` (``VALID`` includes those that never expire)."""
    if status == EXPIRED:
        return Q(expires_on__lt=today)
    if status == EXPIRING:
        return Q(expires_on__gte=today, expires_on__lte=expiring_until(today))
    if status == VALID:
        return Q(expires_on__isnull=True) | Q(expires_on__gt=expiring_until(today))
    return Q()


def held_by_members_of(company: Company) -> QuerySet[HeldQualification]:
    """The latest held qualifications of the people on ``company``'s roster."""
    return latest_held().filter(
        Exists(Membership.objects.filter(company=company, user=OuterRef("person")))
    )


# --- HR's matrix ---------------------------------------------------------------------------


@dataclass(frozen=True)
class MatrixQuery:
    """What HR filters the matrix on; ``qualification`` is an id, ``status`` one of the cell
    states (``NEVER`` aside)."""

    text: str = ""
    department: str = ""
    qualification: int | None = None
    status: str = ""


@dataclass(frozen=True)
class Cell:
    qualification: Qualification
    held: HeldQualification | None
    status: str  # "" when the person does not hold the qualification

    @property
    def marked(self) -> bool:
        return self.status in (EXPIRING, EXPIRED)


@dataclass
class MatrixRow:
    membership: Membership
    cells: list[Cell] = field(default_factory=list)


def list_matrix_qualifications(*, company: Company) -> list[Qualification]:
    """The qualifications anyone on ``company``'s roster holds, by name."""
    return list(
        Qualification.objects.filter(
            Exists(held_by_members_of(company).filter(qualification=OuterRef("pk")))
        ).order_by("name")
    )


def list_departments(*, company: Company) -> list[str]:
    return list(
        Membership.objects.filter(company=company)
        .exclude(department="")
        .order_by("department")
        .values_list("department", flat=True)
        .distinct()
    )


def _matching_held(company: Company, query: MatrixQuery, today: date):
    held = held_by_members_of(company).filter(status_filter(query.status, today=today))
    if query.qualification is not None:
        held = held.filter(qualification_id=query.qualification)
    return held


def search_matrix_members(
    *, company: Company, query: MatrixQuery, today: date
) -> QuerySet[Membership]:
    """The roster's people matching ``query``, in Dutch order (lazy: page it). Every word must
    occur in the name, e-mail address or personnel number; a qualification or status filter
    keeps those who hold a matching (latest) qualification."""
    members = Membership.objects.filter(company=company, user__erased_at__isnull=True)
    for word in query.text.split()[:10]:
        folded = fold(word)
        match = Q(user__email__icontains=word) | Q(personnel_number__icontains=word)
        if folded:
            match |= Q(user__name_sort_key__contains=folded)
        members = members.filter(match)
    if query.department:
        members = members.filter(department=query.department)
    if query.qualification is not None or query.status:
        members = members.filter(
            Exists(_matching_held(company, query, today).filter(person=OuterRef("user")))
        )
    return members.select_related("user").order_by(*dutch_name_order("user"))


def matrix_rows(
    *,
    memberships: Iterable[Membership],
    qualifications: list[Qualification],
    today: date,
) -> list[MatrixRow]:
    """A row per membership (one page of them), a cell per qualification: one query."""
    memberships = list(memberships)
    held = latest_held().filter(
        person_id__in=[membership.user_id for membership in memberships],
        qualification__in=qualifications,
    )
    by_key = {(row.person_id, row.qualification_id): row for row in held}
    rows = []
    for membership in memberships:
        row = MatrixRow(membership)
        for qualification in qualifications:
            found = by_key.get((membership.user_id, qualification.pk))
            row.cells.append(
                Cell(
                    qualification, found, status_of(found.expires_on, today=today) if found else ""
                )
            )
        rows.append(row)
    return rows


def list_export_rows(
    *, company: Company, query: MatrixQuery, today: date
) -> list[tuple[Membership, HeldQualification]]:
    """Every (person, latest held qualification) of the filtered matrix, people in Dutch order
    and qualifications by name: two queries, whatever the size."""
    members = list(search_matrix_members(company=company, query=query, today=today))
    order = {membership.user_id: index for index, membership in enumerate(members)}
    by_user = {membership.user_id: membership for membership in members}
    held = (
        _matching_held(company, query, today)
        .filter(person_id__in=list(order))
        .select_related("qualification", "enrolment__offering__course")
    )
    rows = sorted(held, key=lambda row: (order[row.person_id], row.qualification.name))
    return [(by_user[row.person_id], row) for row in rows]


def get_held_for_hr(*, company: Company, pk: int) -> HeldQualification:
    """A held qualification of someone on ``company``'s roster that HR entered (not one earned
    at the hub); HeldQualification.DoesNotExist else."""
    return (
        HeldQualification.objects.filter(
            Exists(Membership.objects.filter(company=company, user=OuterRef("person"))),
            enrolment__isnull=True,
        )
        .select_related("person", "qualification")
        .get(pk=pk)
    )


def list_members_to_choose(*, company: Company) -> QuerySet[Membership]:
    """Whom HR may enter a qualification for: the roster, in Dutch order."""
    return (
        Membership.objects.filter(company=company, user__erased_at__isnull=True)
        .select_related("user")
        .order_by(*dutch_name_order("user"))
    )


# --- Refresher runs --------------------------------------------------------------------------


def renewing_course_ids(qualification_ids: Iterable[int]) -> dict[int, set[int]]:
    """Per qualification, the courses that renew it: its refresher courses, else the courses
    that grant it. Two queries."""
    ids = list(qualification_ids)
    refreshers: dict[int, set[int]] = defaultdict(set)
    for qualification_id, course_id in Qualification.refresher_courses.through.objects.filter(
        qualification_id__in=ids
    ).values_list("qualification_id", "course_id"):
        refreshers[qualification_id].add(course_id)
    granting: dict[int, set[int]] = defaultdict(set)
    for course_id, qualification_id in Course.objects.filter(qualification_id__in=ids).values_list(
        "pk", "qualification_id"
    ):
        granting[qualification_id].add(course_id)
    return {pk: refreshers.get(pk) or granting.get(pk, set()) for pk in ids}


def upcoming_runs(*, course_ids: Iterable[int], now: datetime) -> list[Offering]:
    """Open runs of published courses among ``course_ids`` that start after ``now``, soonest
    first, with ``first_starts_at``, course, location and the companies a closed run is for
    (``private_for``). Two queries."""
    return list(
        Offering.objects.filter(
            status=Offering.Status.OPEN, course__is_published=True, course_id__in=list(course_ids)
        )
        .annotate(first_starts_at=Min("meetings__starts_at"))
        .filter(first_starts_at__gt=now)
        .select_related("course", "location")
        .prefetch_related("private_for")
        .order_by("first_starts_at", "pk")
    )


def run_is_open_to(offering: Offering, company_ids: set[int]) -> bool:
    """A public run, or a closed run for one of ``company_ids`` (``private_for`` prefetched)."""
    closed_for = {company.pk for company in offering.private_for.all()}
    return not closed_for or bool(closed_for & company_ids)


def enrolled_in_renewal(
    *, pairs: Iterable[tuple[int, int]], course_ids: dict[int, set[int]], now: datetime
) -> set[tuple[int, int]]:
    """Which (person, qualification) pairs hold an active enrolment in an upcoming run of a
    course that renews the qualification. One query."""
    pairs = list(pairs)
    all_courses = set().union(*course_ids.values()) if course_ids else set()
    if not pairs or not all_courses:
        return set()
    enrolled = (
        Enrolment.objects.filter(
            learner_id__in={person for person, _qualification in pairs},
            status__in=Enrolment.ACTIVE_STATUSES,
            offering__course_id__in=all_courses,
        )
        .annotate(first_starts_at=Min("offering__meetings__starts_at"))
        .filter(first_starts_at__gt=now)
        .values_list("learner_id", "offering__course_id")
    )
    courses_of: dict[int, set[int]] = defaultdict(set)
    for learner_id, course_id in enrolled:
        courses_of[learner_id].add(course_id)
    return {
        (person, qualification)
        for person, qualification in pairs
        if courses_of.get(person, set()) & course_ids.get(qualification, set())
    }


# --- The demand board ------------------------------------------------------------------------


@dataclass
class ExpiringDemand:
    """People whose ``qualification`` expires soon (or expired lately) while no run that renews
    it is planned for them; ``companies`` is (company name, people) with the most first."""

    qualification: Qualification
    people: int
    expired: int
    companies: list[tuple[str, int]]


def list_expiring_without_run(
    *, today: date | None = None, now: datetime | None = None
) -> list[ExpiringDemand]:
    """Per qualification, the people (active accounts) whose latest one expires within
    ``QUALIFICATION_EXPIRING_DAYS`` or expired less than ``EXPIRED_DEMAND_DAYS`` ago, for whom
    no upcoming open run of a course that renews it is planned (a public run, or a closed run
    for their company), counted per company. Most people first. Seven queries."""
    now = now or timezone.now()
    today = today or timezone.localdate(now)
    held = list(
        latest_held()
        .filter(
            expires_on__gte=today - timedelta(days=EXPIRED_DEMAND_DAYS),
            expires_on__lte=expiring_until(today),
            person__is_active=True,
            person__erased_at__isnull=True,
        )
        .values_list("person_id", "qualification_id", "expires_on")
    )
    if not held:
        return []
    qualification_ids = {qualification_id for _person, qualification_id, _day in held}
    course_ids = renewing_course_ids(qualification_ids)
    runs = upcoming_runs(course_ids=set().union(*course_ids.values()), now=now)
    companies_of: dict[int, list[tuple[int, str]]] = defaultdict(list)
    for user_id, company_id, name in Membership.objects.filter(
        user_id__in={person for person, _q, _d in held}
    ).values_list("user_id", "company_id", "company__name"):
        companies_of[user_id].append((company_id, name))
    people: dict[int, set[int]] = defaultdict(set)
    expired: dict[int, set[int]] = defaultdict(set)
    per_company: dict[int, dict[str, set[int]]] = defaultdict(lambda: defaultdict(set))
    for person, qualification_id, expires_on in held:
        courses = course_ids.get(qualification_id, set())
        company_ids = {company_id for company_id, _name in companies_of.get(person, [])}
        if any(run.course_id in courses and run_is_open_to(run, company_ids) for run in runs):
            continue
        people[qualification_id].add(person)
        if expires_on < today:
            expired[qualification_id].add(person)
        for _company_id, name in companies_of.get(person, []):
            per_company[qualification_id][name].add(person)
    qualifications = Qualification.objects.in_bulk(list(people))
    demand = [
        ExpiringDemand(
            qualification=qualifications[pk],
            people=len(people[pk]),
            expired=len(expired[pk]),
            companies=sorted(
                ((name, len(who)) for name, who in per_company[pk].items()),
                key=lambda pair: (-pair[1], pair[0]),
            ),
        )
        for pk in people
    ]
    return sorted(demand, key=lambda row: (-row.people, row.qualification.name))
