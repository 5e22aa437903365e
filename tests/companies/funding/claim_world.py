"""A company with a sector fund, its HR, and enrolments a fund pays part of, for the claim tests."""

from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.utils import timezone

from companies.models import Company, FundingScheme, Membership
from tests.factories import (
    CompanyFactory,
    CourseFactory,
    EnrolmentFactory,
    FundingSchemeFactory,
    MeetingFactory,
    MembershipFactory,
    OfferingFactory,
    UserFactory,
)


def make_company(*, fund: str = "other", **fields) -> Company:
    """A company of ``fund`` with one HR member (``company.hr``)."""
    company = CompanyFactory(sector_fund=fund, **fields)
    company.hr = MembershipFactory(company=company, role=Membership.Role.HR).user
    return company


def make_scheme(**fields) -> FundingScheme:
    """A scheme of the fund "other": 80 % within 3 months after the start, valid for years."""
    fields.setdefault("valid_from", date(2000, 1, 1))
    return FundingSchemeFactory(**fields)


def run_starting(start: date, *, course=None, days: int = 1):
    """A run of a *subsidiabel* course whose meetings are on ``start`` and ``days - 1`` later."""
    course = course or CourseFactory(funding_eligible=True)
    offering = OfferingFactory(course=course, status="open")
    for offset in (0, days - 1) if days > 1 else (0,):
        starts_at = timezone.make_aware(datetime.combine(start + timedelta(days=offset), time(9)))
        ends_at = starts_at + timedelta(hours=7)
        MeetingFactory(offering=offering, starts_at=starts_at, ends_at=ends_at)
    return offering


def make_enrolment(
    company: Company,
    offering,
    *,
    status: str = "confirmed",
    learner=None,
    price: Decimal = Decimal("1000.00"),
    **user,
):
    """A seat ``company`` pays for, with its price snapshot; the learner a member of it."""
    if learner is None:
        learner = MembershipFactory(company=company, user=UserFactory(**user)).user
    return EnrolmentFactory(
        offering=offering,
        learner=learner,
        company=company,
        status=status,
        price_excl_vat=price,
        vat_rate=Decimal("21.00"),
    )
