"""Building blocks for the qualification tests: a company with HR, people holding things."""

from datetime import date, timedelta

from django.utils import timezone

from companies.models import Membership
from enrolment.models import HeldQualification
from tests.factories import (
    CompanyFactory,
    MeetingFactory,
    MembershipFactory,
    OfferingFactory,
    UserFactory,
)


def make_company(name: str = "Kampstaal", slug: str = "kampstaal"):
    company = CompanyFactory(name=name, slug=slug)
    company.hr = MembershipFactory(
        company=company, role=Membership.Role.HR, user=UserFactory(first_name="Hanna")
    ).user
    return company


def member(company, **fields) -> Membership:
    membership_fields = {
        key: fields.pop(key) for key in ("department", "personnel_number") if key in fields
    }
    return MembershipFactory(company=company, user=UserFactory(**fields), **membership_fields)


def hold(
    person, qualification, *, expires_on: date | None, obtained_on: date | None = None, **fields
) -> HeldQualification:
    """A qualification earned elsewhere, valid until ``expires_on``."""
    if obtained_on is None:
        obtained_on = (expires_on or timezone.localdate()) - timedelta(days=3650)
    return HeldQualification.objects.create(
        person=person,
        qualification=qualification,
        obtained_on=obtained_on,
        expires_on=expires_on,
        issuer=fields.pop("issuer", "SSVV"),
        **fields,
    )


def upcoming_run(course, *, days: int = 20, **fields):
    """An open run of ``course`` whose first meeting is ``days`` days ahead."""
    offering = OfferingFactory(course=course, **fields)
    MeetingFactory(offering=offering, starts_at=timezone.now() + timedelta(days=days))
    return offering
