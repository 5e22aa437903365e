"""A funding scheme's rules as arithmetic: which run it covers, how much, and the last day to apply.

Pure functions over a ``FundingScheme`` and plain values, except :func:`schemes_by_fund` (two
queries) that loads the schemes; a course's themes are what the caller prefetched. Every page
that says "komt waarschijnlijk in aanmerking voor … (ca. € …)" and every alarm starts from
:func:`estimate`.

- **Base**: the course fee excl. VAT, plus the VAT only when the scheme covers VAT; nothing when the
  scheme does not cover course fees.
- **Amount**: the scheme's percentage of the base, rounded half up to cents, at most the scheme's
  maximum per application.
- **Deadline** (the last day to apply, inclusive): the day before the first meeting for a scheme
  that wants the application before the start; the same day N calendar months after the start for
  one that allows N months after it (31 August + 6 months is the last day of February).
- **Covered**: the course is marked *subsidiabel*, shares a theme with the scheme (any theme when
  the scheme names none), starts within the scheme's validity (its cao period) and, when the
  scheme has a maximum duration, ends within that many months of its start.
"""

import calendar
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.utils import timezone

from enrolment.models import Enrolment

from ..models import Company, FundingScheme

CENT = Decimal("0.01")
# The seats a claim can be made for: a request is not a seat yet, and a seat not completed (or
# not shown up for) earns no proof of participation.
CLAIMABLE_STATUSES = (Enrolment.Status.CONFIRMED, Enrolment.Status.COMPLETED)


@dataclass(frozen=True)
class Estimate:
    """What one participant's run probably brings in under ``scheme``."""

    scheme: FundingScheme
    amount: Decimal
    deadline: date
    # The scheme's maximum made the amount smaller than its percentage would.
    capped: bool

    @property
    def conditions(self) -> list[str]:
        """The scheme's conditions, one per line, in the active language."""
        return [line for line in self.scheme.localized("conditions").splitlines() if line.strip()]

    @property
    def applies_before_start(self) -> bool:
        return self.scheme.window == FundingScheme.Window.BEFORE_START


def add_months(day: date, months: int) -> date:
    """``day`` plus ``months`` calendar months; the month's last day when it is shorter."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def application_deadline(scheme: FundingScheme, *, start: date) -> date:
    """The last day (inclusive) to apply for a run that starts on ``start``."""
    if scheme.window == FundingScheme.Window.BEFORE_START:
        return start - timedelta(days=1)
    return add_months(start, scheme.window_months)


def claimable_base(scheme: FundingScheme, *, price_excl_vat: Decimal, vat_rate: Decimal) -> Decimal:
    """The part of one seat's price the scheme counts: the fee, with VAT only if it covers VAT."""
    if FundingScheme.CostType.COURSE_FEE not in scheme.eligible_costs:
        return Decimal("0")
    if scheme.vat_claimable:
        vat = (price_excl_vat * vat_rate / 100).quantize(CENT, rounding=ROUND_HALF_UP)
        return price_excl_vat + vat
    return price_excl_vat


def share(scheme: FundingScheme, *, price_excl_vat: Decimal, vat_rate: Decimal) -> Decimal:
    """The scheme's percentage of the base, half up to cents, before its maximum."""
    base = claimable_base(scheme, price_excl_vat=price_excl_vat, vat_rate=vat_rate)
    return (base * scheme.percentage / 100).quantize(CENT, rounding=ROUND_HALF_UP)


def amount(scheme: FundingScheme, *, price_excl_vat: Decimal, vat_rate: Decimal) -> Decimal:
    """The scheme's share (:func:`share`), at most its maximum per application."""
    value = share(scheme, price_excl_vat=price_excl_vat, vat_rate=vat_rate)
    if scheme.max_amount is not None:
        return min(value, scheme.max_amount)
    return value


def covers(scheme: FundingScheme, *, course, start: date, end: date) -> bool:
    """Whether ``scheme`` covers a run of ``course`` from ``start`` to ``end`` (local dates).

    Reads ``course.themes.all()`` and ``scheme.themes.all()``: prefetch them for a list.
    """
    if not course.funding_eligible:
        return False
    if start < scheme.valid_from or (scheme.valid_to is not None and start > scheme.valid_to):
        return False
    if scheme.max_duration_months is not None and end > add_months(
        start, scheme.max_duration_months
    ):
        return False
    scheme_themes = {theme.pk for theme in scheme.themes.all()}
    return not scheme_themes or bool(scheme_themes & {theme.pk for theme in course.themes.all()})


def estimate(
    schemes: list[FundingScheme],
    *,
    course,
    price_excl_vat: Decimal,
    vat_rate: Decimal,
    start: date | None,
    end: date | None,
) -> Estimate | None:
    """The best of ``schemes`` (the highest amount) for one seat in a run, or None.

    ``schemes`` are the company's fund's (:func:`schemes_for`); a run without meetings yet
    (``start`` None) or a seat the schemes pay nothing for has no estimate.
    """
    if start is None or end is None:
        return None
    best = None
    for scheme in schemes:
        if not covers(scheme, course=course, start=start, end=end):
            continue
        value = amount(scheme, price_excl_vat=price_excl_vat, vat_rate=vat_rate)
        if value <= 0 or (best is not None and value <= best.amount):
            continue
        best = Estimate(
            scheme=scheme,
            amount=value,
            deadline=application_deadline(scheme, start=start),
            capped=value < share(scheme, price_excl_vat=price_excl_vat, vat_rate=vat_rate),
        )
    return best


def estimate_for_enrolment(schemes: list[FundingScheme], enrolment) -> Estimate | None:
    """:func:`estimate` for one seat taken: the enrolment's price snapshot and its run's local
    first and last meeting days (``first_starts_at`` and ``last_ends_at``, annotated)."""
    if enrolment.first_starts_at is None or enrolment.last_ends_at is None:
        return None
    return estimate(
        schemes,
        course=enrolment.offering.course,
        price_excl_vat=enrolment.price_excl_vat,
        vat_rate=enrolment.vat_rate,
        start=timezone.localdate(enrolment.first_starts_at),
        end=timezone.localdate(enrolment.last_ends_at),
    )


def schemes_by_fund(funds: Iterable[str]) -> dict[str, list[FundingScheme]]:
    """The schemes of each of ``funds`` (a key for each, "geen" left out), themes prefetched:
    two queries, none without a fund."""
    funds = {fund for fund in funds if fund and fund != Company.Fund.NONE}
    found: dict[str, list[FundingScheme]] = {fund: [] for fund in funds}
    if funds:
        for scheme in FundingScheme.objects.filter(fund__in=funds).prefetch_related("themes"):
            found[scheme.fund].append(scheme)
    return found


def schemes_for(company: Company | None) -> list[FundingScheme]:
    """The schemes of ``company``'s sector fund, themes prefetched; none without a company or
    a fund."""
    if company is None:
        return []
    return schemes_by_fund([company.sector_fund]).get(company.sector_fund, [])
