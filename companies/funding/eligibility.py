"""Where a decision is made, what a company's fund probably pays: reads for the estimate blocks.

The arithmetic is :func:`companies.funding.rules.estimate`; this module only gathers what it
needs (the companies' schemes with their themes, the courses' themes, the run's first and last
meeting as local dates, the seat's price) for a page, in a fixed number of queries however many
runs or enrolments the page shows. Every block renders ``templates/funding/_estimate.html``.

- **Before booking** (course page, team enrolment, reservation): the run's price for a seat,
  ``offering.price_excl_vat`` (the agreed price of a closed run) and the course's VAT rate.
- **After booking** (HR's overview): the enrolment's own price snapshot.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import prefetch_related_objects
from django.utils import timezone

from catalogue.models import Course, Offering
from enrolment.models import Enrolment

from ..models import Company, FundingClaim, FundingScheme, Membership
from .rules import CLAIMABLE_STATUSES, Estimate, estimate, schemes_by_fund


# Enrolments whose seat the company pays (or will): the ones a fund may be asked about.
def _estimate_for_run(schemes: list[FundingScheme], offering: Offering, course: Course):
    """``estimate`` for one seat in ``offering`` before enrolling: the run's price and dates,
    ``course`` with its themes loaded."""
    start, end = _offering_dates(offering)
    return estimate(
        schemes,
        course=course,
        price_excl_vat=offering.price_excl_vat,
        vat_rate=offering.course.vat_rate,
        start=start,
        end=end,
    )


def _courses_with_themes(courses: Iterable[Course]) -> dict[int, Course]:
    """One instance per course, its themes loaded (one query, none when already loaded)."""
    unique = {course.pk: course for course in courses}
    prefetch_related_objects(list(unique.values()), "themes")
    return unique


def _local_dates(*, first_starts_at, last_ends_at) -> tuple[date | None, date | None]:
    if first_starts_at is None or last_ends_at is None:
        return None, None
    return timezone.localdate(first_starts_at), timezone.localdate(last_ends_at)


def _offering_dates(offering: Offering) -> tuple[date | None, date | None]:
    """The local dates of the run's first and last meeting, from its prefetched meetings."""
    meetings = list(offering.meetings.all())
    if not meetings:
        return None, None
    return _local_dates(
        first_starts_at=min(meeting.starts_at for meeting in meetings),
        last_ends_at=max(meeting.ends_at for meeting in meetings),
    )


def estimates_for_offerings(
    *, company: Company | None, offerings: Iterable[Offering], today: date | None = None
) -> dict[int, Estimate]:
    """What ``company``'s fund probably pays per seat in each of ``offerings``, by offering id.

    Runs no scheme covers, or whose last day to apply has passed, are left out. Reads the
    offerings' prefetched meetings and course; at most three queries (the schemes, their themes,
    the courses' themes) however many runs.
    """
    today = today or timezone.localdate()
    offerings = list(offerings)
    if company is None or not offerings:
        return {}
    schemes = schemes_by_fund([company.sector_fund]).get(company.sector_fund, [])
    if not schemes:
        return {}
    courses = _courses_with_themes(offering.course for offering in offerings)
    found = {}
    for offering in offerings:
        result = _estimate_for_run(schemes, offering, courses[offering.course_id])
        if result is not None and result.deadline >= today:
            found[offering.pk] = result
    return found


def estimate_for_offering(
    *, company: Company | None, offering: Offering, today: date | None = None
) -> Estimate | None:
    """What ``company``'s fund probably pays for one seat in ``offering`` (meetings
    prefetched), or None."""
    return estimates_for_offerings(company=company, offerings=[offering], today=today).get(
        offering.pk
    )


@dataclass(frozen=True)
class MemberEstimate:
    """An estimate for one of the viewer's companies; ``company`` is None unless the viewer
    works at several companies with a fund (then the block names it)."""

    company: Company | None
    estimate: Estimate


def mark_member_estimates(*, user, offerings: list[Offering], today: date | None = None) -> None:
    """Set ``funding_estimates`` on each offering: what the funds of the companies ``user``
    works at (as employee or HR) probably pay for a seat (:func:`estimates_for_member`)."""
    found = estimates_for_member(user=user, offerings=offerings, today=today)
    for offering in offerings:
        offering.funding_estimates = found.get(offering.pk, [])


def estimates_for_member(
    *, user, offerings: Iterable[Offering], today: date | None = None
) -> dict[int, list[MemberEstimate]]:
    """For a logged-in employee or HR member: per offering id, what each of their companies'
    funds probably pays for a seat. Nothing for anyone else, nor for a closed run's companies
    it is not for, nor once the last day to apply has passed. A constant number of queries
    (memberships, schemes, their themes, the courses' themes)."""
    today = today or timezone.localdate()
    offerings = list(offerings)
    if not user.is_authenticated or not offerings:
        return {}
    companies = [
        membership.company
        for membership in Membership.objects.filter(user=user)
        .exclude(company__sector_fund=Company.Fund.NONE)
        .select_related("company")
        .order_by("company__name")
    ]
    schemes = schemes_by_fund(company.sector_fund for company in companies)
    if not any(schemes.values()):
        return {}
    courses = _courses_with_themes(offering.course for offering in offerings)
    found: dict[int, list[MemberEstimate]] = {}
    for offering in offerings:
        closed_for = getattr(offering, "closed_for_ids", None)
        for company in companies:
            if closed_for and company.pk not in closed_for:
                continue
            result = _estimate_for_run(
                schemes.get(company.sector_fund, []), offering, courses[offering.course_id]
            )
            if result is not None and result.deadline >= today:
                named = company if len(companies) > 1 else None
                found.setdefault(offering.pk, []).append(MemberEstimate(named, result))
    return found


def estimates_for_enrolments(
    *, company: Company, enrolments: Iterable[Enrolment]
) -> dict[int, Estimate]:
    """What ``company``'s fund probably pays for each of ``enrolments``, by enrolment id, at the
    enrolment's own price. The enrolments carry ``first_starts_at`` and ``last_ends_at``
    (``companies.portal.selectors.company_enrolments``) and their offering's course; at most
    three queries however many."""
    schemes = schemes_by_fund([company.sector_fund]).get(company.sector_fund, [])
    return _estimate_enrolments(schemes, list(enrolments))


def _estimate_enrolments(
    schemes: list[FundingScheme], enrolments: list[Enrolment]
) -> dict[int, Estimate]:
    if not schemes or not enrolments:
        return {}
    courses = _courses_with_themes(enrolment.offering.course for enrolment in enrolments)
    found = {}
    for enrolment in enrolments:
        start, end = _local_dates(
            first_starts_at=enrolment.first_starts_at, last_ends_at=enrolment.last_ends_at
        )
        result = estimate(
            schemes,
            course=courses[enrolment.offering.course_id],
            price_excl_vat=enrolment.price_excl_vat,
            vat_rate=enrolment.vat_rate,
            start=start,
            end=end,
        )
        if result is not None:
            found[enrolment.pk] = result
    return found


@dataclass
class FundingSummary:
    """HR's overview panel: the enrolments still to claim that probably qualify."""

    count: int = 0
    total: Decimal = Decimal("0")
    nearest_deadline: date | None = None
    estimates: dict[int, Estimate] = field(default_factory=dict)


def get_funding_summary(
    *, company: Company, enrolments: Iterable[Enrolment], today: date | None = None
) -> FundingSummary | None:
    """Of ``enrolments`` (``company_enrolments``), the paid seats (confirmed or completed) a
    scheme probably covers whose last day to apply is today or later and that have no claim
    made yet (applied, granted or paid): how many, the estimated total, the nearest deadline.

    None when the company's fund has no scheme (the panel is not shown). Four queries at most.
    """
    today = today or timezone.localdate()
    schemes = schemes_by_fund([company.sector_fund]).get(company.sector_fund)
    if not schemes:
        return None
    candidates = [
        enrolment
        for enrolment in enrolments
        if enrolment.status in CLAIMABLE_STATUSES and enrolment.first_starts_at is not None
    ]
    claimed = set(
        FundingClaim.objects.filter(
            company=company, status__in=FundingClaim.LIVE_STATUSES
        ).values_list("enrolment_id", flat=True)
    )
    estimates = {
        pk: found
        for pk, found in _estimate_enrolments(
            schemes, [enrolment for enrolment in candidates if enrolment.pk not in claimed]
        ).items()
        if found.deadline >= today
    }
    return FundingSummary(
        count=len(estimates),
        total=sum((found.amount for found in estimates.values()), Decimal("0")),
        nearest_deadline=min((found.deadline for found in estimates.values()), default=None),
        estimates=estimates,
    )
