"""Seat reservations: HR holds seats for the company, names people later; unnamed seats go
back at the deadline, to the waiting list first."""

from datetime import timedelta

import pytest
from django.utils import timezone

from catalogue.models import Offering
from companies.models import Membership
from enrolment import services
from enrolment.models import Enrolment, Notification, SeatReservation
from tests.factories import CompanyFactory, MembershipFactory
from tests.races import assert_offering_is_consistent, race

pytestmark = pytest.mark.django_db


@pytest.fixture
def company():
    return CompanyFactory(name="Kampstaal")


@pytest.fixture
def hr(company):
    return MembershipFactory(company=company, role=Membership.Role.HR).user


@pytest.fixture
def staff(company):
    return [MembershipFactory(company=company).user for _ in range(4)]


def reserve(hr, company, offering, seats, **kwargs):
    return services.reserve_seats(
        hr_user=hr, company=company, offering_id=offering.pk, seats=seats, **kwargs
    )


def test_reserved_seats_are_taken_from_the_offering_and_hr_is_mailed(make_offering, company, hr):
    offering = make_offering(capacity=6)

    reservation = reserve(hr, company, offering, 4)

    offering.refresh_from_db()
    assert (offering.reserved_count, offering.seats_left) == (4, 2)
    assert (reservation.reserved_seats, reservation.seats) == (4, 4)
    assert reservation.price_excl_vat == offering.course.price_excl_vat
    mail = Notification.objects.get(template="reservation_made")
    assert mail.to_email == hr.email
    assert mail.context == {"reservation_id": reservation.pk}


def test_a_reservation_larger_than_the_seats_left_holds_nothing(make_offering, company, hr):
    offering = make_offering(capacity=3)

    with pytest.raises(services.ReservationRefused, match="nog 3 plaatsen vrij"):
        reserve(hr, company, offering, 4)

    offering.refresh_from_db()
    assert offering.reserved_count == 0
    assert not SeatReservation.objects.exists()


def test_nobody_reserves_past_people_on_the_waiting_list(make_offering, company, hr, learners):
    offering = make_offering(capacity=1)
    for person in learners(2):
        services.enrol_learner(learner=person, offering_id=offering.pk)
    Offering.objects.filter(pk=offering.pk).update(capacity=3)  # seats appear, people wait

    with pytest.raises(services.ReservationRefused, match="nog 0 plaatsen vrij"):
        reserve(hr, company, offering, 1)


def test_individual_sign_ups_wait_once_the_rest_is_reserved(make_offering, company, hr, learners):
    offering = make_offering(capacity=3)
    reserve(hr, company, offering, 2)
    first, second = learners(2)

    assert services.enrol_learner(learner=first, offering_id=offering.pk).status == "confirmed"
    assert services.enrol_learner(learner=second, offering_id=offering.pk).status == "waitlisted"
    assert_offering_is_consistent(offering)


def test_naming_people_turns_held_seats_into_confirmed_enrolments(
    make_offering, company, hr, staff
):
    offering = make_offering(capacity=5)
    reservation = reserve(hr, company, offering, 4)

    result = services.name_reserved_seats(
        hr_user=hr, reservation_id=reservation.pk, learners=staff[:2]
    )

    assert result.confirmed == staff[:2]
    reservation.refresh_from_db()
    offering.refresh_from_db()
    assert reservation.seats == 2
    assert (offering.confirmed_count, offering.reserved_count, offering.seats_left) == (2, 2, 1)
    enrolments = Enrolment.objects.filter(reservation=reservation)
    assert {e.learner for e in enrolments} == set(staff[:2])
    assert {(e.status, e.company, e.enrolled_by) for e in enrolments} == {
        ("confirmed", company, hr)
    }
    confirmations = Notification.objects.filter(template="enrolment_confirmed")
    assert sorted(n.to_email for n in confirmations) == sorted(p.email for p in staff[:2])
    assert_offering_is_consistent(offering)


def test_naming_more_people_than_seats_held_names_nobody(make_offering, company, hr, staff):
    offering = make_offering(capacity=5)
    reservation = reserve(hr, company, offering, 2)

    with pytest.raises(services.ReservationRefused, match="2 plaatsen zonder naam voor 3"):
        services.name_reserved_seats(hr_user=hr, reservation_id=reservation.pk, learners=staff[:3])

    assert not Enrolment.objects.filter(offering=offering).exists()
    reservation.refresh_from_db()
    assert reservation.seats == 2


def test_only_the_companys_own_people_can_be_named(make_offering, company, hr, learners):
    offering = make_offering(capacity=5)
    reservation = reserve(hr, company, offering, 2)
    stranger = MembershipFactory(company=CompanyFactory()).user

    with pytest.raises(services.ReservationRefused, match="Niet van dit bedrijf"):
        services.name_reserved_seats(hr_user=hr, reservation_id=reservation.pk, learners=[stranger])

    assert not Enrolment.objects.filter(offering=offering).exists()


def test_someone_already_enrolled_keeps_their_place_and_takes_no_held_seat(
    make_offering, company, hr, staff
):
    offering = make_offering(capacity=5)
    services.enrol_learner(learner=staff[0], offering_id=offering.pk)
    reservation = reserve(hr, company, offering, 1)

    result = services.name_reserved_seats(
        hr_user=hr, reservation_id=reservation.pk, learners=staff[:2]
    )

    assert result.already_enrolled == [staff[0]]
    assert result.confirmed == [staff[1]]
    reservation.refresh_from_db()
    assert reservation.seats == 0
    assert_offering_is_consistent(offering)


def test_releasing_gives_unnamed_seats_to_the_waiting_list_first(
    make_offering, company, hr, staff, learners
):
    offering = make_offering(capacity=3)
    reservation = reserve(hr, company, offering, 3)
    services.name_reserved_seats(hr_user=hr, reservation_id=reservation.pk, learners=staff[:1])
    waiting = learners(3)
    for person in waiting:
        assert services.enrol_learner(learner=person, offering_id=offering.pk).status == (
            "waitlisted"
        )

    released = services.release_reserved_seats(reservation_id=reservation.pk, actor=hr)

    assert released == 2
    statuses = dict(
        Enrolment.objects.filter(learner__in=waiting).values_list("learner_id", "status")
    )
    assert [statuses[p.pk] for p in waiting] == ["confirmed", "confirmed", "waitlisted"]
    assert Notification.objects.filter(template="enrolment_promoted").count() == 2
    reservation.refresh_from_db()
    assert reservation.seats == 0 and reservation.released_at is not None
    assert_offering_is_consistent(offering)
    # Released by HR herself: no mail about it.
    assert not Notification.objects.filter(template="reservation_released").exists()
    assert services.release_reserved_seats(reservation_id=reservation.pk, actor=hr) == 0
    with pytest.raises(services.ReservationRefused, match="geen plaatsen zonder naam meer"):
        services.name_reserved_seats(hr_user=hr, reservation_id=reservation.pk, learners=staff[1:2])


def test_unnamed_seats_go_back_at_the_deadline_and_hr_is_told(make_offering, company, hr, staff):
    offering = make_offering(capacity=4, days=30)
    deadline = timezone.now() + timedelta(days=10)
    Offering.objects.filter(pk=offering.pk).update(reservation_deadline=deadline)
    reservation = reserve(hr, company, offering, 3)
    services.name_reserved_seats(hr_user=hr, reservation_id=reservation.pk, learners=staff[:1])

    assert services.release_expired_reservations(now=deadline - timedelta(minutes=1)) == 0
    assert services.release_expired_reservations(now=deadline) == 2

    offering.refresh_from_db()
    assert (offering.confirmed_count, offering.reserved_count) == (1, 0)
    mail = Notification.objects.get(template="reservation_released")
    assert (mail.to_email, mail.context["reason"]) == (hr.email, "deadline")
    assert services.release_expired_reservations(now=deadline + timedelta(hours=1)) == 0
    with pytest.raises(services.ReservationRefused, match="termijn"):
        reserve(hr, company, offering, 1, now=deadline)


def test_without_its_own_deadline_an_offering_takes_names_until_the_cancellation_deadline(
    make_offering, company, hr
):
    offering = make_offering(capacity=4, days=30)
    reserve(hr, company, offering, 2)
    cancel_until = timezone.now() + timedelta(days=30) - services.CANCELLATION_NOTICE

    assert services.release_expired_reservations(now=cancel_until - timedelta(hours=1)) == 0
    assert services.release_expired_reservations(now=cancel_until + timedelta(minutes=1)) == 2


def test_hr_is_reminded_once_a_few_days_before_the_deadline(make_offering, company, hr):
    offering = make_offering(capacity=4, days=30)
    deadline = timezone.now() + timedelta(days=10)
    Offering.objects.filter(pk=offering.pk).update(reservation_deadline=deadline)
    reserve(hr, company, offering, 2)

    assert services.queue_reservation_reminders(now=deadline - timedelta(days=4)) == 0
    assert services.queue_reservation_reminders(now=deadline - timedelta(days=2)) == 1
    assert services.queue_reservation_reminders(now=deadline - timedelta(days=1)) == 0
    assert Notification.objects.get(template="reservation_reminder").to_email == hr.email


def test_cancelling_the_offering_gives_reserved_seats_back_and_tells_hr(
    make_offering, company, hr, staff
):
    offering = make_offering(capacity=4)
    reservation = reserve(hr, company, offering, 3)
    services.name_reserved_seats(hr_user=hr, reservation_id=reservation.pk, learners=staff[:1])

    services.cancel_offering(offering_id=offering.pk, actor=None, reason="Te weinig animo")

    offering.refresh_from_db()
    reservation.refresh_from_db()
    assert (offering.confirmed_count, offering.reserved_count) == (0, 0)
    assert reservation.seats == 0 and reservation.released_at is not None
    assert Notification.objects.get(template="reservation_released").context["reason"] == (
        "cancelled"
    )
    assert Notification.objects.get(template="offering_cancelled").to_email == staff[0].email


def test_the_capacity_cannot_drop_below_confirmed_and_reserved_seats(make_offering, company, hr):
    from django.db import IntegrityError, transaction

    offering = make_offering(capacity=4)
    reserve(hr, company, offering, 3)

    with pytest.raises(IntegrityError), transaction.atomic():
        Offering.objects.filter(pk=offering.pk).update(capacity=2)


@pytest.mark.parametrize("language", ["nl", "en"])
def test_reservation_mails_read_in_the_recipients_language(
    make_offering, company, hr, staff, language
):
    from enrolment.emails import render

    hr.preferred_language = language
    hr.save()
    offering = make_offering(capacity=4)
    reservation = reserve(hr, company, offering, 2)
    services.release_expired_reservations(now=timezone.now() + timedelta(days=40))

    made = render(Notification.objects.get(template="reservation_made"))
    released = render(Notification.objects.get(template="reservation_released"))

    expected = {
        "nl": ("2 plaatsen gereserveerd", "Geef de namen door vóór", "vrijgegeven"),
        "en": ("2 seats reserved", "Give the names before", "released"),
    }[language]
    assert expected[0] in made.subject
    assert expected[1] in made.text
    assert expected[2] in released.subject
    assert f"/{'en/company' if language == 'en' else 'bedrijf'}/" in made.text
    assert str(reservation.pk) in made.text


@pytest.mark.django_db(transaction=True)
def test_reservations_and_sign_ups_racing_never_overbook(make_offering, learners):
    offering = make_offering(capacity=8)
    companies = [CompanyFactory() for _ in range(2)]
    hrs = [
        MembershipFactory(company=company, role=Membership.Role.HR).user for company in companies
    ]
    individuals = learners(6)

    results = race(
        [
            *(
                lambda hr=hr, company=company: services.reserve_seats(
                    hr_user=hr, company=company, offering_id=offering.pk, seats=3
                )
                for hr, company in zip(hrs, companies, strict=True)
            ),
            *(
                lambda person=person: services.enrol_learner(
                    learner=person, offering_id=offering.pk
                )
                for person in individuals
            ),
        ]
    )

    refused = [result for result in results if isinstance(result, services.ReservationRefused)]
    errors = [
        result
        for result in results
        if isinstance(result, Exception) and not isinstance(result, services.ReservationRefused)
    ]
    assert not errors, errors
    assert_offering_is_consistent(offering)
    offering.refresh_from_db()
    held = SeatReservation.objects.filter(offering=offering).count()
    assert held + len(refused) == 2
    # Every seat went to someone: the reservations that succeeded and the sign-ups that fitted.
    assert offering.confirmed_count + offering.reserved_count == 8
    assert offering.reserved_count == 3 * held


@pytest.mark.django_db(transaction=True)
def test_naming_and_releasing_racing_never_lose_or_double_a_seat(make_offering, learners):
    company = CompanyFactory()
    hr = MembershipFactory(company=company, role=Membership.Role.HR).user
    staff = [MembershipFactory(company=company).user for _ in range(3)]
    offering = make_offering(capacity=4)
    reservation = services.reserve_seats(
        hr_user=hr, company=company, offering_id=offering.pk, seats=3
    )
    waiting = learners(2)
    enrol = [services.enrol_learner(learner=p, offering_id=offering.pk) for p in waiting]
    assert [e.status for e in enrol] == ["confirmed", "waitlisted"]

    results = race(
        [
            lambda: services.name_reserved_seats(
                hr_user=hr, reservation_id=reservation.pk, learners=staff[:2]
            ),
            lambda: services.release_reserved_seats(reservation_id=reservation.pk, actor=hr),
        ]
    )

    named, released = results
    assert_offering_is_consistent(offering)
    offering.refresh_from_db()
    assert offering.reserved_count == 0
    if isinstance(named, services.ReservationRefused):
        # Released first: the waiting learner got a seat, the other two are free again.
        assert released == 3
        assert offering.confirmed_count == 2
    else:
        # Named first: two seats became enrolments, the third went to the waiting learner.
        assert named.confirmed == staff[:2] and released == 1
        assert offering.confirmed_count == 4
    assert not Enrolment.objects.filter(offering=offering, status="waitlisted").exists()


def test_seats_unnamed_at_the_default_deadline_go_to_the_waiting_list(
    make_offering, company, hr, learners
):
    # Without a deadline of its own, names are due at the cancellation deadline: the seats that
    # come back then still go to who waits, not to nobody.
    offering = make_offering(capacity=2, days=30)
    reserve(hr, company, offering, 2)
    waiting = learners(3)
    for person in waiting:
        services.enrol_learner(learner=person, offering_id=offering.pk)
    offering.refresh_from_db()
    first = offering.meetings.get().starts_at
    deadline = services.cancellation_deadline(offering=offering, first_starts_at=first)

    assert services.release_expired_reservations(now=deadline + timedelta(minutes=5)) == 2

    statuses = dict(
        Enrolment.objects.filter(learner__in=waiting).values_list("learner_id", "status")
    )
    assert [statuses[p.pk] for p in waiting] == ["confirmed", "confirmed", "waitlisted"]
    assert_offering_is_consistent(offering)
