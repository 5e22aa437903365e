"""Reads of a company's funding claims: what HR may claim, how much, by when, how far it got.

A row is an enrolment the company pays for that a fund may pay part of: confirmed or completed
(a request is not yet a seat, a cancelled seat costs nothing to claim, and not completing or not
showing up earns no *bewijs van deelname*), with an estimate under the company's fund's schemes
(``rules.estimate``, from the enrolment's price snapshot and its run's local first and last
meeting days); and every enrolment that already has a ``FundingClaim``, whatever became of it.
Estimates are arithmetic in Python, so a list reads a fixed number of queries and then filters,
marks and sorts in memory.
"""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.conf import settings
from django.db.models import OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from catalogue.models import Meeting
from enrolment.models import Enrolment

from ..models import Company, FundingClaim, FundingScheme
from ..names import dutch_name_order, fold
from . import rules

Status = FundingClaim.Status

# Enrolments a fund may pay part of: a seat taken, or a run completed.

CLAIM_PAGE_SIZE = 50


def first_alarm_days() -> int:
    """The first (largest) number of days before a deadline that HR is warned."""
    return max(settings.FUNDING_ALARM_DAYS)


@dataclass
class ClaimRow:
    """One enrolment on HR's funding page, with its claim (None: never touched) and estimate."""

    enrolment: Enrolment
    claim: FundingClaim | None
    estimate: rules.Estimate | None
    scheme: FundingScheme | None
    start: date | None
    end: date | None
    deadline: date | None
    today: date

    @property
    def status(self) -> str:
        return self.claim.status if self.claim else Status.NOT_APPLIED

    @property
    def status_label(self) -> str:
        return Status(self.status).label

    @property
    def is_applied(self) -> bool:
        return self.status != Status.NOT_APPLIED

    @property
    def amount(self) -> Decimal | None:
        """What was applied for, or else the estimate."""
        if self.claim and self.claim.amount is not None:
            return self.claim.amount
        return self.estimate.amount if self.estimate else None

    @property
    def amount_is_estimate(self) -> bool:
        return not (self.claim and self.claim.amount is not None)

    @property
    def days_left(self) -> int | None:
        return (self.deadline - self.today).days if self.deadline else None

    @property
    def overdue(self) -> bool:
        """The last day to apply has passed."""
        return self.deadline is not None and self.deadline < self.today

    @property
    def urgent(self) -> bool:
        """Not applied yet, and the deadline is within the first alarm's window."""
        days = self.days_left
        return not self.is_applied and days is not None and 0 <= days <= first_alarm_days()

    @property
    def applies_before_start(self) -> bool:
        return bool(self.scheme and self.scheme.window == FundingScheme.Window.BEFORE_START)

    @property
    def conditions(self) -> list[str]:
        if self.scheme is None:
            return []
        return [line for line in self.scheme.localized("conditions").splitlines() if line.strip()]


@dataclass(frozen=True)
class ClaimQuery:
    """What HR filters on: a claim status, the run's start (from/to, local dates), words."""

    status: str = ""
    start_from: date | None = None
    start_to: date | None = None
    text: str = ""


@dataclass
class ClaimTotals:
    """The amounts of a list of rows by where they stand: still to apply for (the estimates),
    applied for, granted and paid (what was applied for, or else the estimate)."""

    estimated: Decimal = Decimal("0.00")
    applied: Decimal = Decimal("0.00")
    granted: Decimal = Decimal("0.00")
    paid: Decimal = Decimal("0.00")
    counts: dict[str, int] = field(default_factory=dict)


def first_starts_at():
    """The first meeting's start of an enrolment's run, as a subquery to annotate."""
    return Subquery(
        Meeting.objects.filter(offering=OuterRef("offering_id"))
        .order_by("starts_at")
        .values("starts_at")[:1]
    )


def last_ends_at():
    """The last meeting's end of an enrolment's run, as a subquery to annotate."""
    return Subquery(
        Meeting.objects.filter(offering=OuterRef("offering_id"))
        .order_by("-ends_at")
        .values("ends_at")[:1]
    )


def claim_candidates(*, company: Company | None = None) -> QuerySet[Enrolment]:
    """Enrolments that may have a row: claimable ones of a course marked *subsidiabel*, and any
    with a claim; with learner, course, claim and scheme, the run's first/last meeting and the
    course's themes. All companies' when ``company`` is None (the alarms)."""
    enrolments = Enrolment.objects.filter(company__isnull=False)
    if company is not None:
        enrolments = enrolments.filter(company=company)
    return (
        enrolments.filter(
            Q(status__in=rules.CLAIMABLE_STATUSES, offering__course__funding_eligible=True)
            | Q(funding_claim__isnull=False)
        )
        .select_related(
            "learner", "offering__course", "company", "funding_claim", "funding_claim__scheme"
        )
        .prefetch_related("offering__course__themes", "funding_claim__scheme__themes")
        .annotate(first_starts_at=first_starts_at(), last_ends_at=last_ends_at())
    )


def build_row(
    enrolment: Enrolment, *, schemes: list[FundingScheme], today: date
) -> ClaimRow | None:
    """The row of one enrolment from :func:`claim_candidates`, or None when it has nothing to
    claim. Once applied, a claim keeps its scheme; before that, the estimate picks it."""
    start = timezone.localdate(enrolment.first_starts_at) if enrolment.first_starts_at else None
    end = timezone.localdate(enrolment.last_ends_at) if enrolment.last_ends_at else None
    claim = getattr(enrolment, "funding_claim", None)
    estimate = None
    if enrolment.status in rules.CLAIMABLE_STATUSES:
        candidates = schemes
        if claim is not None and claim.status != Status.NOT_APPLIED:
            candidates = [claim.scheme]
        estimate = rules.estimate_for_enrolment(candidates, enrolment)
    if estimate is None and (claim is None or not _kept(claim, enrolment)):
        return None
    scheme = estimate.scheme if estimate else claim.scheme
    if claim is not None and claim.status != Status.NOT_APPLIED:
        scheme = claim.scheme
    deadline = rules.application_deadline(scheme, start=start) if start else None
    return ClaimRow(
        enrolment=enrolment,
        claim=claim,
        estimate=estimate,
        scheme=scheme,
        start=start,
        end=end,
        deadline=deadline,
        today=today,
    )


def _kept(claim: FundingClaim, enrolment: Enrolment) -> bool:
    """A claim HR recorded a step of stays on the page; one only alarmed about goes with its
    seat (a cancelled enrolment has nothing to claim)."""
    return claim.status != Status.NOT_APPLIED or enrolment.status in rules.CLAIMABLE_STATUSES


def _filtered(enrolments: QuerySet[Enrolment], query: ClaimQuery) -> QuerySet[Enrolment]:
    if query.status == Status.NOT_APPLIED:
        enrolments = enrolments.filter(
            Q(funding_claim__isnull=True) | Q(funding_claim__status=Status.NOT_APPLIED)
        )
    elif query.status:
        enrolments = enrolments.filter(funding_claim__status=query.status)
    if query.start_from:
        enrolments = enrolments.filter(
            first_starts_at__date__gte=query.start_from
        )  # the run's first day, local
    if query.start_to:
        enrolments = enrolments.filter(first_starts_at__date__lte=query.start_to)
    for word in query.text.split()[:10]:
        folded = fold(word)
        match = Q(learner__email__icontains=word)
        if folded:
            match |= Q(learner__name_sort_key__contains=folded)
        enrolments = enrolments.filter(match)
    return enrolments


def list_claim_rows(
    *, company: Company, query: ClaimQuery = ClaimQuery(), today: date | None = None
) -> list[ClaimRow]:
    """The company's rows matching ``query``: those to apply for within the first alarm's window
    first (soonest deadline first), then by the run's start (latest first) and name. Three
    queries, however many rows (enrolments; the fund's schemes and their themes; the courses' and
    the claims' schemes' themes)."""
    today = today or timezone.localdate()
    enrolments = _filtered(claim_candidates(company=company), query).order_by(
        "-first_starts_at", *dutch_name_order("learner"), "pk"
    )
    schemes = rules.schemes_for(company)
    rows = [
        row
        for enrolment in enrolments
        if (row := build_row(enrolment, schemes=schemes, today=today)) is not None
    ]
    urgent = sorted((row for row in rows if row.urgent), key=lambda row: row.deadline)
    return urgent + [row for row in rows if not row.urgent]


def get_claim_row(*, company: Company, enrolment_id: int, today: date | None = None) -> ClaimRow:
    """The row of one of the company's enrolments; Enrolment.DoesNotExist for another
    company's, or one with nothing to claim."""
    today = today or timezone.localdate()
    enrolment = claim_candidates(company=company).get(pk=enrolment_id)
    row = build_row(enrolment, schemes=rules.schemes_for(company), today=today)
    if row is None:
        raise Enrolment.DoesNotExist
    return row


def get_totals(rows: list[ClaimRow]) -> ClaimTotals:
    """The sums of ``rows`` by status (rejected claims count nowhere)."""
    totals = ClaimTotals()
    slot = {
        Status.NOT_APPLIED: "estimated",
        Status.APPLIED: "applied",
        Status.GRANTED: "granted",
        Status.PAID: "paid",
    }
    for row in rows:
        totals.counts[row.status] = totals.counts.get(row.status, 0) + 1
        name = slot.get(row.status)
        if name and row.amount is not None and not (row.overdue and not row.is_applied):
            setattr(totals, name, getattr(totals, name) + row.amount)
    return totals
