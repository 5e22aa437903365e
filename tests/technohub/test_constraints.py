"""Each database constraint refuses bad rows, whatever the forms and services do."""

from datetime import timedelta

import pytest
from django.db import DataError, IntegrityError, connection, transaction
from django.db.models import F

from catalogue.models import Offering
from companies.models import Membership
from enrolment.models import Enrolment
from tests.factories import (
    CompanyFactory,
    CourseFactory,
    EnrolmentFactory,
    MeetingFactory,
    MembershipFactory,
    OfferingFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def refuses(create) -> bool:
    """True when the database refuses what ``create`` writes.

    Deferred constraints are made immediate so they are checked here, not at commit.
    """
    try:
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            create()
    except (IntegrityError, DataError):
        return True
    return False


def test_offering_capacity_must_be_at_least_one():
    assert refuses(lambda: OfferingFactory(capacity=0, min_participants=0))


def test_offering_minimum_cannot_exceed_capacity():
    assert refuses(lambda: OfferingFactory(capacity=5, min_participants=6))
    assert not refuses(lambda: OfferingFactory(capacity=5, min_participants=5))


def test_offering_confirmed_count_cannot_exceed_capacity():
    offering = OfferingFactory(capacity=2, min_participants=1)
    Offering.objects.filter(pk=offering.pk).update(confirmed_count=2)
    assert refuses(
        lambda: Offering.objects.filter(pk=offering.pk).update(confirmed_count=F("capacity") + 1)
    )


def test_offering_status_must_be_known():
    assert refuses(lambda: OfferingFactory(status="booked"))


def test_meeting_must_end_after_it_starts():
    meeting = MeetingFactory.build()
    assert refuses(
        lambda: MeetingFactory(
            offering=OfferingFactory(), starts_at=meeting.starts_at, ends_at=meeting.starts_at
        )
    )
    assert refuses(
        lambda: MeetingFactory(
            offering=OfferingFactory(),
            starts_at=meeting.starts_at,
            ends_at=meeting.starts_at - timedelta(hours=1),
        )
    )


def test_course_slug_is_unique():
    CourseFactory(slug="tig-lassen-rvs")
    assert refuses(lambda: CourseFactory(slug="tig-lassen-rvs"))


def test_course_price_cannot_be_negative():
    assert refuses(lambda: CourseFactory(price_excl_vat=-1))


@pytest.mark.parametrize("kvk", ["1234567", "123456789", "1234567a", ""])
def test_company_kvk_number_must_be_eight_digits(kvk):
    assert refuses(lambda: CompanyFactory(kvk_number=kvk))


def test_company_kvk_number_is_unique():
    CompanyFactory(kvk_number="12345678")
    assert refuses(lambda: CompanyFactory(kvk_number="12345678"))


def test_one_membership_per_user_per_company():
    membership = MembershipFactory(role=Membership.Role.EMPLOYEE)
    assert refuses(
        lambda: MembershipFactory(
            user=membership.user, company=membership.company, role=Membership.Role.HR
        )
    )


def test_membership_role_must_be_known():
    assert refuses(lambda: MembershipFactory(role="boss"))


def test_user_email_is_unique_whatever_the_case():
    UserFactory(email="piet@kampstaal.nl")
    assert refuses(lambda: UserFactory(email="Piet@Kampstaal.nl"))


@pytest.mark.parametrize("status", Enrolment.ACTIVE_STATUSES)
def test_one_active_enrolment_per_learner_per_offering(status):
    first = EnrolmentFactory(status=Enrolment.Status.CONFIRMED)
    position = 1 if status == Enrolment.Status.WAITLISTED else None
    assert refuses(
        lambda: EnrolmentFactory(
            offering=first.offering,
            learner=first.learner,
            status=status,
            waitlist_position=position,
        )
    )


def test_ended_enrolments_do_not_block_a_new_one():
    first = EnrolmentFactory(status=Enrolment.Status.CANCELLED)
    EnrolmentFactory(
        offering=first.offering, learner=first.learner, status=Enrolment.Status.CANCELLED
    )
    assert not refuses(lambda: EnrolmentFactory(offering=first.offering, learner=first.learner))


def test_enrolment_status_must_be_known():
    assert refuses(lambda: EnrolmentFactory(status="maybe"))


def test_waitlist_position_only_and_always_when_waitlisted():
    assert refuses(lambda: EnrolmentFactory(status=Enrolment.Status.WAITLISTED))
    assert refuses(lambda: EnrolmentFactory(status=Enrolment.Status.CONFIRMED, waitlist_position=1))


def test_waitlist_positions_are_unique_per_offering():
    first = EnrolmentFactory(status=Enrolment.Status.WAITLISTED, waitlist_position=1)
    assert refuses(
        lambda: EnrolmentFactory(
            offering=first.offering, status=Enrolment.Status.WAITLISTED, waitlist_position=1
        )
    )
