"""Many people clicking at once: real threads, each with its own PostgreSQL connection."""

import pytest
from django.test import Client

from enrolment import services
from enrolment.models import Enrolment, Notification
from tests.admin_forms import offering_form
from tests.factories import CompanyFactory
from tests.races import assert_offering_is_consistent, race

pytestmark = pytest.mark.django_db(transaction=True)


def test_twenty_learners_racing_for_five_seats(make_offering, learners):
    offering = make_offering(capacity=5)
    people = learners(20)

    results = race(
        [
            lambda person=person: services.enrol_learner(learner=person, offering_id=offering.pk)
            for person in people
        ]
    )

    assert all(isinstance(result, Enrolment) for result in results), results
    statuses = sorted(result.status for result in results)
    assert statuses.count("confirmed") == 5
    assert statuses.count("waitlisted") == 15
    positions = sorted(result.waitlist_position for result in results if result.waitlist_position)
    assert positions == list(range(1, 16))
    assert_offering_is_consistent(offering)


def test_one_learner_clicking_twice_at_once_gets_one_enrolment(make_offering, learners):
    offering = make_offering(capacity=5)
    (anna,) = learners(1)
    results = race(
        [lambda: services.enrol_learner(learner=anna, offering_id=offering.pk) for _ in range(4)]
    )
    assert sum(isinstance(result, Enrolment) for result in results) == 1
    assert sum(isinstance(result, services.EnrolmentRefused) for result in results) == 3
    assert Enrolment.objects.filter(learner=anna).count() == 1
    assert_offering_is_consistent(offering)


def test_enrolments_and_cancellations_racing_keep_the_offering_consistent(make_offering, learners):
    offering = make_offering(capacity=5)
    seated = learners(5)
    waiting = learners(5)
    newcomers = learners(10)
    seats = [services.enrol_learner(learner=p, offering_id=offering.pk) for p in seated]
    for person in waiting:
        services.enrol_learner(learner=person, offering_id=offering.pk)

    results = race(
        [
            *(
                lambda seat=seat: services.cancel_enrolment(
                    enrolment_id=seat.pk, actor=seat.learner
                )
                for seat in seats[:4]
            ),
            *(
                lambda person=person: services.enrol_learner(
                    learner=person, offering_id=offering.pk
                )
                for person in newcomers
            ),
        ]
    )

    assert not [result for result in results if isinstance(result, Exception)]
    assert_offering_is_consistent(offering)
    # The four freed seats went to the first four who were already waiting.
    promoted = set(
        Enrolment.objects.filter(offering=offering, status="confirmed").values_list(
            "learner__email", flat=True
        )
    )
    assert {person.email for person in waiting[:4]} <= promoted
    assert Enrolment.objects.filter(offering=offering, status="waitlisted").count() == 11


def test_team_and_individual_enrolments_racing_never_overbook(make_offering, learners):
    offering = make_offering(capacity=5)
    company = CompanyFactory()
    hr_user = learners(1)[0]
    team = learners(4)
    individuals = learners(6)

    results = race(
        [
            lambda: services.enrol_team(
                hr_user=hr_user, company=company, offering_id=offering.pk, learners=team
            ),
            *(
                lambda person=person: services.enrol_learner(
                    learner=person, offering_id=offering.pk
                )
                for person in individuals
            ),
        ]
    )

    assert not [result for result in results if isinstance(result, Exception)], results
    assert_offering_is_consistent(offering)
    assert Enrolment.objects.filter(offering=offering, status="confirmed").count() == 5
    assert Enrolment.objects.filter(offering=offering, status="waitlisted").count() == 5
    # The team was placed in one go: its members hold consecutive places in the order given.
    team_result = results[0]
    placed = team_result.confirmed + team_result.waitlisted
    assert placed == team


@pytest.mark.parametrize("round_", range(3))
def test_rejection_racing_a_cancellation_only_one_wins(
    round_, make_offering, approving_company, employee_of
):
    offering = make_offering(capacity=5)
    person = employee_of(approving_company)
    request = services.enrol_learner(learner=person, offering_id=offering.pk)
    hr_user = employee_of(approving_company)

    results = race(
        [
            lambda: services.reject_request(
                enrolment_id=request.pk, hr_user=hr_user, reason="Geen budget dit jaar"
            ),
            lambda: services.cancel_enrolment(enrolment_id=request.pk, actor=person),
        ]
    )

    refused = [result for result in results if isinstance(result, services.EnrolmentRefused)]
    won = [result for result in results if isinstance(result, Enrolment)]
    assert (len(won), len(refused)) == (1, 1), results
    request.refresh_from_db()
    assert request.status == won[0].status
    # The loser changed nothing: one mail, and HR's reason only if HR won.
    mails = Notification.objects.filter(enrolment=request).exclude(template="enrolment_requested")
    assert list(mails.values_list("template", flat=True)) == [f"enrolment_{request.status}"]
    assert (request.reason == "Geen budget dit jaar") == (request.status == "rejected")
    assert_offering_is_consistent(offering)


@pytest.mark.parametrize("round_", range(3))
def test_approval_racing_a_cancellation_keeps_the_seats_true(
    round_, make_offering, approving_company, employee_of
):
    offering = make_offering(capacity=1)
    person = employee_of(approving_company)
    request = services.enrol_learner(learner=person, offering_id=offering.pk)
    hr_user = employee_of(approving_company)

    approved, cancelled = race(
        [
            lambda: services.approve_requests(enrolment_ids=[request.pk], hr_user=hr_user),
            lambda: services.cancel_enrolment(enrolment_id=request.pk, actor=person),
        ]
    )

    assert isinstance(cancelled, Enrolment), cancelled
    request.refresh_from_db()
    assert request.status == "cancelled"
    assert_offering_is_consistent(offering)
    offering.refresh_from_db()
    assert offering.confirmed_count == 0
    # Approved first and then cancelled, or cancelled before HR got to it: never both undone.
    templates = list(
        Notification.objects.filter(enrolment=request)
        .exclude(template="enrolment_requested")
        .order_by("pk")
        .values_list("template", flat=True)
    )
    expected = (
        ["enrolment_confirmed", "enrolment_cancelled"] if approved else ["enrolment_cancelled"]
    )
    assert templates == expected


def test_raising_capacity_while_learners_enrol_gives_the_new_seats_to_who_waited(
    make_offering, learners, staff_user
):
    offering = make_offering(capacity=6)
    seated = learners(6)
    waiting = learners(2)
    newcomers = learners(6)
    for person in [*seated, *waiting]:
        services.enrol_learner(learner=person, offering_id=offering.pk)
    manager = Client()
    manager.force_login(staff_user)
    url, data = offering_form(manager, offering)
    data["capacity"] = "8"

    results = race(
        [
            lambda: manager.post(url, data).status_code,
            *(
                lambda person=person: services.enrol_learner(
                    learner=person, offering_id=offering.pk
                )
                for person in newcomers
            ),
        ]
    )

    assert results[0] == 302
    assert all(result.status == "waitlisted" for result in results[1:]), results
    confirmed = set(
        Enrolment.objects.filter(offering=offering, status="confirmed").values_list(
            "learner__email", flat=True
        )
    )
    assert confirmed == {person.email for person in [*seated, *waiting]}
    assert sorted(
        Notification.objects.filter(template="enrolment_promoted").values_list(
            "to_email", flat=True
        )
    ) == sorted(person.email for person in waiting)
    assert_offering_is_consistent(offering)
