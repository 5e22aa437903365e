"""Two providers, A and B, each with runs and people; and every role that may knock."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone

from companies.models import Membership
from enrolment.models import Attendance, Enrolment
from tests.factories import (
    CompanyFactory,
    CourseFactory,
    EnrolmentFactory,
    MeetingFactory,
    MembershipFactory,
    OfferingFactory,
    ProviderFactory,
    UserFactory,
)

ROLES = (
    "anonymous",
    "learner",
    "hr",
    "alleen_lezen",
    "opleider_a",
    "opleider_b",
    "programmamanager",
)


def staff_in(group: str, **fields):
    user = UserFactory(is_staff=True, email_verified_at=timezone.now(), **fields)
    user.groups.add(Group.objects.get(name=group))
    return user


@pytest.fixture
def college(db):
    """Provider A with a published course (a run that ended yesterday with two participants,
    a closed run to come) and a concept course; provider B with a run of its own."""
    now = timezone.now()
    provider_a = ProviderFactory(name="Firda", slug="firda")
    provider_b = ProviderFactory(name="Aeres MBO", slug="aeres-mbo")
    course = CourseFactory(provider=provider_a, title="TIG-lassen RVS")
    concept = CourseFactory(provider=provider_a, title="Cobot programmeren", is_published=False)
    ended = OfferingFactory(course=course, confirmed_count=2)
    meeting = MeetingFactory(
        offering=ended, starts_at=now - timedelta(days=1), ends_at=now - timedelta(hours=20)
    )
    kampstaal = CompanyFactory(name="Kampstaal")
    suplacon = CompanyFactory(name="Suplacon")
    people = {}
    for first, last, company, present in (
        ("Yara", "Zijlstra", kampstaal, True),
        ("Bram", "de Boer", suplacon, False),
    ):
        learner = UserFactory(
            first_name=first,
            last_name=last,
            email=f"{first.lower()}@{company.name.lower()}.example",
            phone="0612345678",
        )
        enrolment = EnrolmentFactory(
            offering=ended,
            learner=learner,
            company=company,
            motivation="Ik wil beter leren lassen.",
            po_number="PO-4711",
        )
        Attendance.objects.create(
            enrolment=enrolment,
            meeting=meeting,
            state=Attendance.State.PRESENT if present else Attendance.State.ABSENT,
            hours=7 if present else 0,
        )
        people[first] = learner
    closed = OfferingFactory(course=course)
    closed.private_for.set([kampstaal])
    MeetingFactory(offering=closed, starts_at=now + timedelta(days=20))
    other = OfferingFactory(course=CourseFactory(provider=provider_b, title="Melkrobot"))
    MeetingFactory(offering=other, starts_at=now + timedelta(days=10))
    hr = UserFactory()
    MembershipFactory(user=hr, company=kampstaal, role=Membership.Role.HR)
    users = {
        "anonymous": None,
        "learner": people["Yara"],
        "hr": hr,
        "alleen_lezen": staff_in("Alleen lezen"),
        "opleider_a": staff_in("Opleider", provider=provider_a),
        "opleider_b": staff_in("Opleider", provider=provider_b),
        "programmamanager": staff_in("Programmamanager"),
    }
    return {
        "provider_a": provider_a,
        "provider_b": provider_b,
        "course": course,
        "concept": concept,
        "ended": ended,
        "meeting": meeting,
        "closed": closed,
        "other": other,
        "companies": (kampstaal, suplacon),
        "people": people,
        "users": users,
        "enrolment_status": Enrolment.Status,
    }
