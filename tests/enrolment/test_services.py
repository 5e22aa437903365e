"""Enrolling, the waiting list and cancelling, against the real database."""

from datetime import timedelta

import pytest
from django.db import IntegrityError
from django.db.models import F
from django.utils import timezone

from catalogue.models import Offering
from enrolment import services
from enrolment.models import Enrolment, Notification
from enrolment.services import EnrolmentRefused, enrolling
from technohub.errors import violated_constraint
from technohub.models import AuditLog

pytestmark = pytest.mark.django_db


def enrol(learner, offering, **kwargs) -> Enrolment:
    return services.enrol_learner(learner=learner, offering_id=offering.pk, **kwargs)


def line(offering) -> list[tuple[str, int | None]]:
    """The offering's waiting list as (email, position), in order."""
    return list(
        Enrolment.objects.filter(offering=offering, status="waitlisted")
        .order_by("waitlist_position")
        .values_list("learner__email", "waitlist_position")
    )


def test_enrol_learner_confirms_while_seats_are_free(make_offering, learners):
    offering = make_offering(capacity=2)
    (anna,) = learners(1)
    enrolment = enrol(anna, offering)
    offering.refresh_from_db()
    assert enrolment.status == Enrolment.Status.CONFIRMED
    assert offering.confirmed_count == 1
    assert enrolment.price_excl_vat == offering.course.price_excl_vat
    mail = Notification.objects.get(enrolment=enrolment)
    assert (mail.template, mail.to_email) == ("enrolment_confirmed", anna.email)
    assert AuditLog.objects.filter(action="enrolment.confirmed", object_id=enrolment.pk).exists()


def test_enrol_learner_waitlists_when_offering_full(make_offering, learners):
    offering = make_offering(capacity=1)
    first, second, third = learners(3)
    enrol(first, offering)
    assert enrol(second, offering).waitlist_position == 1
    assert enrol(third, offering).waitlist_position == 2
    assert Notification.objects.filter(template="enrolment_waitlisted").count() == 2
    assert line(offering) == [(second.email, 1), (third.email, 2)]


def test_enrol_learner_refuses_a_second_active_enrolment(make_offering, learners):
    offering = make_offering()
    (anna,) = learners(1)
    enrol(anna, offering)
    with pytest.raises(EnrolmentRefused, match="al ingeschreven"):
        enrol(anna, offering)


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"status": Offering.Status.CANCELLED}, "niet \\(meer\\) inschrijven"),
        ({"status": Offering.Status.CONCEPT}, "niet \\(meer\\) inschrijven"),
        ({"enrolment_opens_at": timezone.now() + timedelta(days=3)}, "opent op"),
        ({"enrolment_closes_at": timezone.now() - timedelta(hours=1)}, "gesloten"),
    ],
)
def test_enrol_learner_refuses_outside_the_window_or_for_closed_offerings(
    make_offering, learners, fields, message
):
    offering = make_offering(**fields)
    with pytest.raises(EnrolmentRefused, match=message):
        enrol(learners(1)[0], offering)
    assert not Enrolment.objects.exists()
    assert not Notification.objects.exists()


def test_enrol_learner_refuses_a_offering_that_started(make_offering, learners):
    offering = make_offering(days=-1)
    with pytest.raises(EnrolmentRefused, match="begonnen of voorbij"):
        enrol(learners(1)[0], offering)


def test_enrolment_needing_hr_approval_is_requested_and_holds_no_seat(
    make_offering, approving_company, employee_of
):
    offering = make_offering(capacity=1)
    employee = employee_of(approving_company)
    enrolment = enrol(employee, offering)
    offering.refresh_from_db()
    assert enrolment.status == Enrolment.Status.REQUESTED
    assert enrolment.company == approving_company
    assert offering.confirmed_count == 0
    assert Notification.objects.get().template == "enrolment_requested"


def test_hr_enrolling_an_employee_needs_no_approval(make_offering, approving_company, employee_of):
    offering = make_offering()
    employee, hr = employee_of(approving_company), employee_of(approving_company)
    assert enrol(employee, offering, enrolled_by=hr).status == Enrolment.Status.CONFIRMED


def test_cancelling_a_confirmed_seat_promotes_the_first_in_line(make_offering, learners):
    offering = make_offering(capacity=1)
    seated, first, second = learners(3)
    seat = enrol(seated, offering)
    enrol(first, offering)
    enrol(second, offering)

    services.cancel_enrolment(enrolment_id=seat.pk, actor=seated)

    offering.refresh_from_db()
    assert offering.confirmed_count == 1
    assert Enrolment.objects.get(learner=first).status == Enrolment.Status.CONFIRMED
    assert line(offering) == [(second.email, 1)]

    def templates_of(person):
        return set(
            Notification.objects.filter(to_email=person.email).values_list("template", flat=True)
        )

    assert templates_of(first) == {"enrolment_waitlisted", "enrolment_promoted"}
    assert templates_of(second) == {"enrolment_waitlisted"}
    assert set(
        Notification.objects.filter(to_email=seated.email).values_list("template", flat=True)
    ) == {"enrolment_confirmed", "enrolment_cancelled"}


def test_leaving_the_waiting_list_closes_the_gap(make_offering, learners):
    offering = make_offering(capacity=1)
    people = learners(5)
    enrolments = [enrol(person, offering) for person in people]
    services.cancel_enrolment(enrolment_id=enrolments[2].pk, actor=people[2])
    assert [position for _, position in line(offering)] == [1, 2, 3]
    assert [email for email, _ in line(offering)] == [
        p.email for p in (people[1], people[3], people[4])
    ]


def test_learner_cannot_cancel_after_the_deadline(make_offering, learners):
    offering = make_offering(days=3)  # default deadline: a week before the start
    (anna,) = learners(1)
    enrolment = enrol(anna, offering)
    with pytest.raises(EnrolmentRefused, match=r"info@technohub-nop\.nl"):
        services.cancel_enrolment(enrolment_id=enrolment.pk, actor=anna)
    enrolment.refresh_from_db()
    assert enrolment.status == Enrolment.Status.CONFIRMED


def test_after_the_deadline_a_freed_seat_is_not_given_away_and_newcomers_queue(
    make_offering, learners, staff_user
):
    offering = make_offering(capacity=1, days=3)
    seated, waiting, newcomer = learners(3)
    seat = enrol(seated, offering)
    enrol(waiting, offering)
    services.cancel_enrolment(enrolment_id=seat.pk, actor=staff_user, enforce_deadline=False)
    assert line(offering) == [(waiting.email, 1)]
    # Nobody jumps the line: with someone waiting, a newcomer waits too.
    assert enrol(newcomer, offering).waitlist_position == 2


def test_offering_specific_cancellation_deadline_is_respected(make_offering, learners):
    offering = make_offering(days=3, cancellation_deadline=timezone.now() + timedelta(days=2))
    (anna,) = learners(1)
    enrolment = enrol(anna, offering)
    assert services.cancel_enrolment(enrolment_id=enrolment.pk, actor=anna).status == "cancelled"


def test_cancelling_twice_is_refused(make_offering, learners):
    offering = make_offering()
    (anna,) = learners(1)
    enrolment = enrol(anna, offering)
    services.cancel_enrolment(enrolment_id=enrolment.pk, actor=anna)
    with pytest.raises(EnrolmentRefused):
        services.cancel_enrolment(enrolment_id=enrolment.pk, actor=anna)


def test_cancel_offering_cancels_and_mails_everyone_once(make_offering, learners, staff_user):
    offering = make_offering(capacity=2)
    people = learners(4)
    for person in people:
        enrol(person, offering)
    assert (
        services.cancel_offering(offering_id=offering.pk, actor=staff_user, reason="Docent ziek")
        == 4
    )
    offering.refresh_from_db()
    assert (offering.status, offering.confirmed_count) == ("cancelled", 0)
    assert not Enrolment.objects.filter(status__in=Enrolment.ACTIVE_STATUSES).exists()
    mails = Notification.objects.filter(template="offering_cancelled")
    assert sorted(mails.values_list("to_email", flat=True)) == sorted(p.email for p in people)
    assert {mail.context["reason"] for mail in mails} == {"Docent ziek"}


def test_queue_reminders_writes_each_reminder_once(make_offering, learners):
    soon = make_offering(days=5)
    (anna,) = learners(1)
    enrolment = enrol(anna, soon)
    Enrolment.objects.filter(pk=enrolment.pk).update(created_at=timezone.now() - timedelta(days=20))
    assert services.queue_reminders(now=timezone.now()) == 1
    assert services.queue_reminders(now=timezone.now()) == 0
    reminder = Notification.objects.get(template="enrolment_reminder")
    assert reminder.context == {"days": 7}
    # Four days later the one-day reminder is due as well, once.
    later = timezone.now() + timedelta(days=4, hours=1)
    assert services.queue_reminders(now=later) == 1
    assert Notification.objects.filter(template="enrolment_reminder").count() == 2


def test_no_reminder_for_enrolments_made_inside_the_window(make_offering, learners):
    offering = make_offering(days=5)
    enrol(learners(1)[0], offering)
    assert services.queue_reminders(now=timezone.now()) == 0


def test_a_double_enrolment_caught_by_the_database_is_told_as_already_enrolled(
    make_offering, learners, monkeypatch
):
    offering = make_offering(capacity=5)
    (anna,) = learners(1)
    take_seat = enrolling._take_seat_or_wait

    def someone_else_wrote_first(offering, enrolment):
        # A write that bypassed the service's check, between the check and the insert.
        Enrolment.objects.create(
            offering=offering, learner=anna, status="waitlisted", waitlist_position=1
        )
        take_seat(offering, enrolment)

    monkeypatch.setattr(enrolling, "_take_seat_or_wait", someone_else_wrote_first)

    with pytest.raises(EnrolmentRefused, match="al ingeschreven"):
        services.enrol_learner(learner=anna, offering_id=offering.pk)


def test_an_overbooking_caught_by_the_database_is_not_hidden_as_a_message(
    make_offering, learners, monkeypatch
):
    offering = make_offering(capacity=1)
    (anna,) = learners(1)

    def overbook(offering, enrolment):
        Offering.objects.filter(pk=offering.pk).update(confirmed_count=F("capacity") + 1)

    monkeypatch.setattr(enrolling, "_take_seat_or_wait", overbook)

    with pytest.raises(IntegrityError) as error:
        services.enrol_learner(learner=anna, offering_id=offering.pk)
    assert violated_constraint(error.value) == "offering_seats_lte_capacity"
