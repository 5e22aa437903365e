"""Reads about people and companies. Every company read is scoped to what the user may see."""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from django.db.models import Case, Exists, Max, Min, OuterRef, Prefetch, Q, QuerySet, When
from django.utils import timezone

from catalogue.models import Course, Offering
from enrolment import pricing
from enrolment.models import Enrolment, SeatReservation
from enrolment.pricing import Cost
from enrolment.seats import reservation_deadline

from ..models import Company, Invitation, Membership, StaffPermission, User
from ..names import dutch_name_order, fold

# Enrolments the company pays for.
BILLABLE = (Enrolment.Status.CONFIRMED, *Enrolment.OUTCOME_STATUSES)

# What HR still sees of someone taken off the roster: the enrolments the company paid or still
# pays for, for its accounts and funding claims. Requests, cancellations and rejections go.
KEPT_AFTER_LEAVING = (*BILLABLE, Enrolment.Status.WAITLISTED)


def list_memberships(*, user: User) -> list[Membership]:
    """The companies ``user`` belongs to, with their role, by company name."""
    return list(
        Membership.objects.filter(user=user).select_related("company").order_by("company__name")
    )


def hr_companies(*, user: User) -> QuerySet[Company]:
    """The companies whose portal ``user`` may use: as HR, or all of them with the permission
    to use any company's portal (the programme manager)."""
    if not user.is_authenticated:
        return Company.objects.none()
    if user.has_perm(StaffPermission.ANY_COMPANY_PORTAL):
        return Company.objects.order_by("name")
    return Company.objects.filter(
        memberships__user=user, memberships__role=Membership.Role.HR
    ).order_by("name")


def list_team_companies(*, user: User) -> list[Company]:
    """The companies whose teams ``user`` enrols as HR (staff use the admin for that)."""
    if not user.is_authenticated:
        return []
    return list(
        Company.objects.filter(
            memberships__user=user, memberships__role=Membership.Role.HR
        ).order_by("name")
    )


def get_company_for_hr(*, user: User, slug: str) -> Company:
    """A company whose portal ``user`` may use (``hr_companies``); Company.DoesNotExist else."""
    return hr_companies(user=user).get(slug=slug)


def may_export_personal_data(*, user: User, company: Company) -> bool:
    """Whether ``user`` may download the company's people: as its HR, or with the permission
    to export personal data (hub staff using the portal need both permissions)."""
    return user.has_perm(StaffPermission.EXPORT_PERSONAL_DATA) or (
        Membership.objects.filter(user=user, company=company, role=Membership.Role.HR).exists()
    )


def list_roster(*, company: Company) -> list[Membership]:
    """The company's members with their accounts: HR first, then in Dutch order."""
    return list(
        Membership.objects.filter(company=company)
        .select_related("user")
        .order_by(
            Case(When(role=Membership.Role.HR, then=0), default=1),
            *dutch_name_order("user"),
        )
    )


# --- Finding people in a roster of thousands -------------------------------------------------

ROSTER_PAGE_SIZE = 50
# What counts as having taken a course: booked (confirmed) or done, paid by the company.
TAKEN = (Enrolment.Status.CONFIRMED, Enrolment.Status.COMPLETED)


@dataclass(frozen=True)
class RosterQuery:
    """What HR looks for in the roster: words, department, function, a course taken or not.

    ``course`` is a course id, or None for any course; ``taken`` is True (has taken it),
    False (has not) or None (either).
    """

    text: str = ""
    department: str = ""
    job_title: str = ""
    course: int | None = None
    taken: bool | None = None

    @property
    def is_empty(self) -> bool:
        return self == RosterQuery()


def search_members(*, company: Company, query: RosterQuery) -> QuerySet[Membership]:
    """The company's members matching ``query``, in Dutch order, with their accounts.

    Every word of ``query.text`` must occur in the name (case and accents aside), the e-mail
    address or the personnel number. Only enrolments the company pays for count as taken: what
    an employee does on their own is none of the company's business. Lazy: page it.
    """
    members = Membership.objects.filter(company=company).select_related("user")
    for word in query.text.split()[:10]:
        folded = fold(word)
        match = Q(user__email__icontains=word) | Q(personnel_number__icontains=word)
        if folded:
            match |= Q(user__name_sort_key__contains=folded)
        members = members.filter(match)
    if query.department:
        members = members.filter(department=query.department)
    if query.job_title:
        members = members.filter(job_title=query.job_title)
    if query.taken is not None:
        taken = Enrolment.objects.filter(
            company=company, learner=OuterRef("user"), status__in=TAKEN
        )
        if query.course is not None:
            taken = taken.filter(offering__course_id=query.course)
        members = members.filter(Exists(taken) if query.taken else ~Exists(taken))
    return members.order_by(*dutch_name_order("user"))


@dataclass
class RosterFilters:
    """The values HR can filter the roster on: its departments, functions and courses."""

    departments: list[str]
    job_titles: list[str]
    courses: list[tuple[int, str]]


def get_roster_filters(*, company: Company) -> RosterFilters:
    """The company's departments and functions, and the courses it paid for: three queries."""
    members = Membership.objects.filter(company=company)
    courses = (
        Course.objects.filter(
            offerings__enrolments__company=company,
            offerings__enrolments__status__in=TAKEN,
        )
        .distinct()
        .order_by("title")
    )
    return RosterFilters(
        departments=list(
            members.exclude(department="")
            .order_by("department")
            .values_list("department", flat=True)
            .distinct()
        ),
        job_titles=list(
            members.exclude(job_title="")
            .order_by("job_title")
            .values_list("job_title", flat=True)
            .distinct()
        ),
        courses=[(course.pk, course.localized("title")) for course in courses],
    )


def members_by_user_ids(*, company: Company, user_ids: Iterable[int]) -> list[Membership]:
    """The company's memberships of these users, in Dutch order; others' ids are left out."""
    ids = list(user_ids)
    if not ids:
        return []
    return list(
        Membership.objects.filter(company=company, user_id__in=ids)
        .select_related("user")
        .order_by(*dutch_name_order("user"))
    )


def get_membership(*, company: Company, pk: int) -> Membership:
    """One membership of ``company``; Membership.DoesNotExist for anyone else's."""
    return Membership.objects.select_related("user").get(company=company, pk=pk)


def company_enrolments(*, company: Company) -> QuerySet[Enrolment]:
    """The enrolments the company pays for that HR may see, with offering, course, learner, dates.

    Of its members, all of them; of people who left the company (or never belonged to it),
    only those it paid or still pays for (``KEPT_AFTER_LEAVING``). ``is_member`` tells which.
    """
    return (
        Enrolment.objects.filter(company=company)
        .annotate(
            is_member=Exists(Membership.objects.filter(company=company, user=OuterRef("learner")))
        )
        .filter(Q(is_member=True) | Q(status__in=KEPT_AFTER_LEAVING))
        .select_related("learner", "offering__course", "offering__location")
        .annotate(
            first_starts_at=Min("offering__meetings__starts_at"),
            last_ends_at=Max("offering__meetings__ends_at"),
        )
        .order_by("first_starts_at", *dutch_name_order("learner"))
    )


@dataclass
class Person:
    membership: Membership
    upcoming: list[Enrolment] = field(default_factory=list)
    waitlisted: list[Enrolment] = field(default_factory=list)
    requested: list[Enrolment] = field(default_factory=list)
    past: list[Enrolment] = field(default_factory=list)


@dataclass
class YearCosts:
    """A year's costs, excl. VAT with the VAT on it: committed (seats booked, still to come),
    spent (seats taken part in, or paid for without showing up) and both together."""

    year: int
    committed: Cost = field(default_factory=Cost)
    spent: Cost = field(default_factory=Cost)

    @property
    def total(self) -> Cost:
        return self.committed + self.spent


@dataclass
class CostSummary:
    """The company's costs per year, counted twice: by the year the run takes place (this year
    and next) and by the year it was booked (last year and this year)."""

    by_run_year: list[YearCosts]
    by_booking_year: list[YearCosts]

    @property
    def this_year(self) -> YearCosts:
        return self.by_run_year[0]

    @property
    def next_year(self) -> YearCosts:
        return self.by_run_year[1]


# Committed: seats that still cost the company something, once the run has taken place.
COMMITTED = (Enrolment.Status.CONFIRMED, Enrolment.Status.REQUESTED)
# Spent: what the company pays for a run that took place (the seat of someone who did not
# complete it, or never came, is paid too).
SPENT = Enrolment.OUTCOME_STATUSES


def cost_kind(enrolment: Enrolment, *, now: datetime) -> str | None:
    """``"committed"``, ``"spent"`` or None (costs nothing) for an enrolment annotated with
    ``last_ends_at``, as ``company_enrolments`` does.

    A confirmed seat in a run that is over counts as spent before attendance is recorded; a
    request that nobody approved before the run ended never cost anything; a place on the
    waiting list costs nothing until it becomes a seat.
    """
    over = enrolment.last_ends_at is not None and enrolment.last_ends_at < now
    if enrolment.status in SPENT or (enrolment.status == Enrolment.Status.CONFIRMED and over):
        return "spent"
    if enrolment.status in COMMITTED and not over:
        return "committed"
    return None


@dataclass
class Dashboard:
    people: list[Person]
    pending: list[Enrolment]
    costs: CostSummary
    funding_hours_this_year: Decimal

    @property
    def costs_this_year(self) -> Decimal:
        """What the runs of this year cost, committed and spent, excl. VAT."""
        return self.costs.this_year.total.excl_vat


def get_dashboard(*, company: Company, now: datetime | None = None) -> Dashboard:
    """The HR overview: each member's enrolments, open requests, costs per year and this year's
    funding-eligible hours, from one read of the company's enrolments.

    Costs (see ``cost_kind``) are the prices recorded on the enrolments, per year of the run's
    first meeting and per year of booking, in local time. Funding hours are the study hours of
    this year's billable enrolments (confirmed, completed, no-show) in eligible courses.
    """
    now = now or timezone.now()
    this_year = timezone.localdate(now).year
    by_run = {year: YearCosts(year) for year in (this_year, this_year + 1)}
    by_booking = {year: YearCosts(year) for year in (this_year - 1, this_year)}
    roster = list_roster(company=company)
    people = {membership.user_id: Person(membership=membership) for membership in roster}
    pending, hours = [], Decimal("0")
    for enrolment in company_enrolments(company=company):
        started = enrolment.first_starts_at
        run_year = timezone.localdate(started).year if started else None
        ended = enrolment.last_ends_at is not None and enrolment.last_ends_at < now
        kind = cost_kind(enrolment, now=now)
        if kind is not None:
            cost = pricing.enrolment_cost(enrolment)
            for year_costs in (
                by_run.get(run_year),
                by_booking.get(timezone.localdate(enrolment.created_at).year),
            ):
                if year_costs is not None:
                    setattr(year_costs, kind, getattr(year_costs, kind) + cost)
        if (
            enrolment.status in BILLABLE
            and run_year == this_year
            and enrolment.offering.course.funding_eligible
        ):
            hours += enrolment.offering.course.study_hours
        if enrolment.status == Enrolment.Status.REQUESTED and not ended:
            pending.append(enrolment)
        person = people.get(enrolment.learner_id)
        if person is None:
            continue  # a former employee: still billed, no longer on the roster
        if ended or not enrolment.is_active:
            person.past.append(enrolment)
        else:
            {
                Enrolment.Status.CONFIRMED: person.upcoming,
                Enrolment.Status.WAITLISTED: person.waitlisted,
                Enrolment.Status.REQUESTED: person.requested,
            }[enrolment.status].append(enrolment)
    return Dashboard(
        people=list(people.values()),
        pending=pending,
        costs=CostSummary(
            by_run_year=list(by_run.values()), by_booking_year=list(by_booking.values())
        ),
        funding_hours_this_year=hours,
    )


def team_statuses(*, company: Company, offering: Offering, user_ids: list[int]) -> dict[int, str]:
    """Of these users, those with an active enrolment in ``offering`` that the company pays
    for, with its status: an enrolment paid by another company is none of this company's
    business."""
    return dict(
        Enrolment.objects.filter(
            offering=offering,
            company=company,
            learner_id__in=user_ids,
            status__in=Enrolment.ACTIVE_STATUSES,
        ).values_list("learner_id", "status")
    )


def list_pending_requests(*, company: Company) -> list[Enrolment]:
    """Requests of the company's employees waiting for HR, oldest first (members only: a
    request of someone who left is not the company's to approve), each with ``seat``: what
    approving it costs (``pricing.Cost``). One query, however many requests."""
    pending = list(
        company_enrolments(company=company)
        .filter(status=Enrolment.Status.REQUESTED)
        .order_by("created_at", "pk")
    )
    for enrolment in pending:
        enrolment.seat = pricing.seats_cost(offering=enrolment.offering, seats=1)
    return pending


def get_pending_request(*, company: Company, pk: int) -> Enrolment:
    """One request of the company's employees still waiting for HR; DoesNotExist otherwise."""
    return company_enrolments(company=company).get(pk=pk, status=Enrolment.Status.REQUESTED)


@dataclass
class ReservationView:
    """A reservation as HR sees it: its offering, the people named and until when."""

    reservation: SeatReservation
    offering: Offering
    named: list[Enrolment]
    deadline: datetime | None

    @property
    def open(self) -> bool:
        """Whether people can still be named for it now."""
        return (
            self.reservation.seats > 0
            and self.deadline is not None
            and timezone.now() < self.deadline
        )


def _reservation_view(reservation: SeatReservation) -> ReservationView:
    offering = reservation.offering
    first = offering.first_starts_at
    return ReservationView(
        reservation=reservation,
        offering=offering,
        named=list(reservation.enrolments.all()),
        deadline=reservation_deadline(offering=offering, first_starts_at=first) if first else None,
    )


def _reservations(*, company: Company) -> QuerySet[SeatReservation]:
    named = Enrolment.objects.select_related("learner").order_by(
        "learner__last_name", "learner__first_name"
    )
    return (
        SeatReservation.objects.filter(company=company)
        .select_related("offering__course", "offering__location")
        .annotate(first_starts_at=Min("offering__meetings__starts_at"))
        .prefetch_related(Prefetch("enrolments", queryset=named))
    )


def list_reservations(*, company: Company) -> list[ReservationView]:
    """The company's seat reservations, the next offering first."""
    reservations = _reservations(company=company).order_by("first_starts_at", "pk")
    views = []
    for reservation in reservations:
        reservation.offering.first_starts_at = reservation.first_starts_at
        views.append(_reservation_view(reservation))
    return views


def unnamed_reservation(*, company: Company, offering: Offering) -> SeatReservation | None:
    """The company's reservation in ``offering`` that still holds seats without a name, if any:
    people enrolled there take those seats, not free ones. One query."""
    return (
        SeatReservation.objects.filter(
            company=company, offering=offering, seats__gt=0, released_at__isnull=True
        )
        .order_by("pk")
        .first()
    )


def get_reservation(*, company: Company, pk: int) -> ReservationView:
    """One of the company's reservations; SeatReservation.DoesNotExist for any other."""
    reservation = _reservations(company=company).prefetch_related("offering__meetings").get(pk=pk)
    reservation.offering.first_starts_at = reservation.first_starts_at
    return _reservation_view(reservation)


# --- Invitations ------------------------------------------------------------------------------

INVITATION_PAGE_SIZE = 50


def list_invitations(
    *, company: Company, status: str = "", now: datetime | None = None
) -> QuerySet[Invitation]:
    """The company's invitations, newest first, optionally of one ``Invitation.Status``."""
    now = now or timezone.now()
    invitations = Invitation.objects.filter(company=company).select_related("invited_by")
    open_ = Q(accepted_at__isnull=True, withdrawn_at__isnull=True)
    by_status = {
        Invitation.Status.PENDING: open_ & Q(expires_at__gt=now),
        Invitation.Status.EXPIRED: open_ & Q(expires_at__lte=now),
        Invitation.Status.ACCEPTED: Q(accepted_at__isnull=False),
        Invitation.Status.WITHDRAWN: Q(accepted_at__isnull=True, withdrawn_at__isnull=False),
    }
    if status in by_status:
        invitations = invitations.filter(by_status[status])
    return invitations.order_by("-updated_at", "-pk")


def has_pending_invitation(*, company: Company, email: str) -> bool:
    """Whether ``email`` has an invitation to ``company`` that is neither accepted nor withdrawn."""
    return (
        Invitation.objects.pending().filter(company=company, email=email.strip().lower()).exists()
    )


def get_invitation(*, company: Company, pk: int) -> Invitation:
    """One of the company's invitations; Invitation.DoesNotExist for anyone else's."""
    return Invitation.objects.select_related("company", "invited_by").get(company=company, pk=pk)
