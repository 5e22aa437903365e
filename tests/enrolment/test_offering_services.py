"""The services behind the programme manager's offering actions, against the real database: moving
participants, duplicating an offering, reminding now, and the mail a move sends."""

from datetime import timedelta

import pytest
from django.utils import timezone

from catalogue.models import Meeting, Offering
from enrolment import emails, services
from enrolment.models import Enrolment, Notification
from enrolment.services import EnrolmentRefused
from technohub.models import AuditLog
from tests.factories import MeetingFactory
from tests.races import assert_offering_is_consistent, race, statuses

pytestmark = pytest.mark.django_db


def enrol(learner, offering) -> Enrolment:
    return services.enrol_learner(learner=learner, offering_id=offering.pk)


# --- move_enrolments -------------------------------------------------------------------------


def test_move_enrolments_fills_free_seats_exactly_then_waitlists_and_promotes_old_line(
    make_offering, learners, staff_user
):
    source = make_offering(capacity=3)
    target = make_offering(capacity=2, course=source.course)
    anna, bert, carla, dirk, eva, tom = learners(6)
    for learner in (anna, bert, carla, dirk, eva):
        enrol(learner, source)  # anna, bert, carla seated; dirk 1st and eva 2nd in line
    enrol(tom, target)  # one seat left in the target
    moving = Enrolment.objects.filter(offering=source, learner__in=[dirk, bert, anna])

    result = services.move_enrolments(
        enrolment_ids=list(moving.values_list("pk", flat=True)),
        to_offering_id=target.pk,
        actor=staff_user,
    )

    # Seat holders go first, then the waiting list in its order: anna, bert, dirk.
    assert statuses(target) == {
        tom.email: ("confirmed", None),
        anna.email: ("confirmed", None),
        bert.email: ("waitlisted", 1),
        dirk.email: ("waitlisted", 2),
    }
    assert statuses(source) == {carla.email: ("confirmed", None), eva.email: ("confirmed", None)}
    source.refresh_from_db()
    target.refresh_from_db()
    assert (target.confirmed_count, source.confirmed_count) == (2, 2)
    assert [e.learner for e in result.confirmed] == [anna]
    assert [e.learner for e in result.waitlisted] == [bert, dirk]
    assert [e.learner for e in result.promoted] == [eva]
    old = Enrolment.objects.filter(pk__in=moving.values("pk"))
    assert {e.status for e in old} == {"cancelled"}
    assert all(e.reason.startswith("verplaatst naar ") for e in old)
    moved_mail = Notification.objects.filter(template="enrolment_moved")
    assert sorted(moved_mail.values_list("to_email", flat=True)) == sorted(
        [anna.email, bert.email, dirk.email]
    )
    assert all(n.enrolment.offering_id == target.pk for n in moved_mail)
    assert all(n.context["from_date"] for n in moved_mail)
    assert Notification.objects.filter(template="enrolment_promoted", to_email=eva.email).exists()
    assert AuditLog.objects.filter(action="enrolment.moved").count() == 6  # old and new, each


def test_move_enrolments_skips_learners_already_in_the_target(make_offering, learners, staff_user):
    source = make_offering(capacity=2)
    target = make_offering(capacity=2, course=source.course)
    anna, bert = learners(2)
    enrol(anna, source)
    enrol(bert, source)
    enrol(anna, target)

    result = services.move_enrolments(
        enrolment_ids=list(Enrolment.objects.filter(offering=source).values_list("pk", flat=True)),
        to_offering_id=target.pk,
        actor=staff_user,
    )

    assert [e.learner for e in result.already_enrolled] == [anna]
    assert [e.learner for e in result.confirmed] == [bert]
    assert statuses(source) == {anna.email: ("confirmed", None)}


def test_move_enrolments_keeps_a_request_a_request(
    make_offering, approving_company, employee_of, staff_user
):
    source = make_offering(capacity=2)
    target = make_offering(capacity=2, course=source.course)
    request = enrol(employee_of(approving_company), source)

    result = services.move_enrolments(
        enrolment_ids=[request.pk], to_offering_id=target.pk, actor=staff_user
    )

    (moved,) = result.requested
    assert (moved.status, moved.company) == ("requested", approving_company)
    target.refresh_from_db()
    assert target.confirmed_count == 0


def test_move_enrolments_closes_the_gaps_in_the_old_waiting_list(
    make_offering, learners, staff_user
):
    source = make_offering(capacity=1)
    target = make_offering(capacity=1, course=source.course)
    anna, bert, carla, dirk, tom = learners(5)
    for learner in (anna, bert, carla, dirk):
        enrol(learner, source)  # anna seated; bert 1, carla 2, dirk 3 in line
    enrol(tom, target)  # the target is full
    moving = Enrolment.objects.filter(offering=source, learner__in=[carla, bert])

    services.move_enrolments(
        enrolment_ids=list(moving.values_list("pk", flat=True)),
        to_offering_id=target.pk,
        actor=staff_user,
    )

    assert statuses(source) == {anna.email: ("confirmed", None), dirk.email: ("waitlisted", 1)}
    assert statuses(target) == {
        tom.email: ("confirmed", None),
        bert.email: ("waitlisted", 1),
        carla.email: ("waitlisted", 2),
    }


@pytest.mark.parametrize("target_kind", ["other course", "concept", "started", "same offering"])
def test_move_enrolments_refuses_a_wrong_target(make_offering, learners, staff_user, target_kind):
    source = make_offering(capacity=2)
    target = {
        "other course": lambda: make_offering(),
        "concept": lambda: make_offering(course=source.course, status=Offering.Status.CONCEPT),
        "started": lambda: make_offering(course=source.course, days=-1),
        "same offering": lambda: source,
    }[target_kind]()
    enrolment = enrol(learners(1)[0], source)

    with pytest.raises(EnrolmentRefused):
        services.move_enrolments(
            enrolment_ids=[enrolment.pk], to_offering_id=target.pk, actor=staff_user
        )

    enrolment.refresh_from_db()
    assert enrolment.status == "confirmed"
    assert not Notification.objects.filter(template="enrolment_moved").exists()


@pytest.mark.django_db(transaction=True)
def test_moves_both_ways_and_sign_ups_at_once_neither_deadlock_nor_overbook(
    make_offering, learners, staff_user
):
    north = make_offering(capacity=4)
    south = make_offering(capacity=4, course=north.course)
    for learner in learners(3):
        enrol(learner, north)
    for learner in learners(3):
        enrol(learner, south)
    north_ids = list(Enrolment.objects.filter(offering=north).values_list("pk", flat=True))
    south_ids = list(Enrolment.objects.filter(offering=south).values_list("pk", flat=True))

    def move(ids, to):
        return lambda: services.move_enrolments(
            enrolment_ids=ids, to_offering_id=to.pk, actor=staff_user
        )

    results = race(
        [
            move(north_ids, south),
            move(south_ids, north),
            *(
                lambda person=person, offering=offering: enrol(person, offering)
                for person, offering in zip(learners(6), [north, south] * 3, strict=True)
            ),
        ]
    )

    assert not [r for r in results if isinstance(r, Exception)], results
    for offering in (north, south):
        assert_offering_is_consistent(offering)
    active = Enrolment.objects.filter(status__in=Enrolment.ACTIVE_STATUSES)
    assert active.count() == 12  # nobody lost, nobody doubled


# --- duplicate_offering ----------------------------------------------------------------------


def test_duplicate_offering_shifts_every_date_by_whole_weeks_and_copies_no_enrolments(
    make_offering, learners, staff_user
):
    source = make_offering(capacity=8, days=10, instructor="Piet Jansen")
    first = Meeting.objects.get(offering=source)
    MeetingFactory(
        offering=source,
        starts_at=first.starts_at + timedelta(days=7),
        ends_at=first.ends_at + timedelta(days=7),
        topic="Praktijk",
    )
    now = timezone.now()
    Offering.objects.filter(pk=source.pk).update(
        enrolment_opens_at=now - timedelta(days=5),
        enrolment_closes_at=now + timedelta(days=8),
        cancellation_deadline=now + timedelta(days=3),
    )
    source.refresh_from_db()
    enrol(learners(1)[0], source)

    copy = services.duplicate_offering(offering_id=source.pk, weeks=3, actor=staff_user)

    assert copy.pk != source.pk
    assert copy.status == Offering.Status.CONCEPT
    assert (copy.course, copy.location, copy.capacity, copy.min_participants) == (
        source.course,
        source.location,
        8,
        source.min_participants,
    )
    assert copy.instructor == "Piet Jansen"
    assert copy.confirmed_count == 0
    assert not copy.enrolments.exists()

    def wall_clock(moment):
        return timezone.localtime(moment).replace(tzinfo=None)

    three_weeks = timedelta(weeks=3)
    old_meetings = list(source.meetings.order_by("starts_at"))
    new_meetings = list(copy.meetings.order_by("starts_at"))
    assert len(new_meetings) == 2
    for old, new in zip(old_meetings, new_meetings, strict=True):
        assert wall_clock(new.starts_at) == wall_clock(old.starts_at) + three_weeks
        assert wall_clock(new.ends_at) == wall_clock(old.ends_at) + three_weeks
        assert new.topic == old.topic
    for name in ("enrolment_opens_at", "enrolment_closes_at", "cancellation_deadline"):
        assert wall_clock(getattr(copy, name)) == wall_clock(getattr(source, name)) + three_weeks
    assert AuditLog.objects.filter(action="offering.duplicated", object_id=copy.pk).exists()


def test_duplicate_offering_refuses_zero_weeks(make_offering, staff_user):
    source = make_offering()
    with pytest.raises(EnrolmentRefused):
        services.duplicate_offering(offering_id=source.pk, weeks=0, actor=staff_user)
    assert Offering.objects.count() == 1


# --- send_reminder_now -----------------------------------------------------------------------


def test_send_reminder_now_mails_confirmed_learners_once_a_day(make_offering, learners, staff_user):
    offering = make_offering(capacity=2, days=30)
    anna, bert, carla = learners(3)
    for learner in (anna, bert, carla):
        enrol(learner, offering)  # carla waits
    now = timezone.now()

    assert services.send_reminder_now(offering_id=offering.pk, actor=staff_user, now=now) == 2
    assert services.send_reminder_now(offering_id=offering.pk, actor=staff_user, now=now) == 0
    tomorrow = now + timedelta(days=1)
    assert services.send_reminder_now(offering_id=offering.pk, actor=staff_user, now=tomorrow) == 2

    reminders = Notification.objects.filter(template="enrolment_reminder")
    assert sorted(reminders.values_list("to_email", flat=True)) == sorted(
        [anna.email, bert.email] * 2
    )
    enrolment = Enrolment.objects.get(learner=anna, offering=offering)
    today = reminders.get(dedupe_key=f"reminder:manual:{enrolment.pk}:{timezone.localdate(now)}")
    assert today.context == {"days": 30}


def test_send_reminder_now_refuses_a_cancelled_offering(make_offering, staff_user):
    offering = make_offering()
    services.cancel_offering(offering_id=offering.pk, actor=staff_user, reason="Docent ziek")
    with pytest.raises(EnrolmentRefused):
        services.send_reminder_now(offering_id=offering.pk, actor=staff_user)


@pytest.mark.parametrize("language", ["nl", "en"])
def test_moved_mail_names_the_old_date_and_the_new_place_with_a_calendar(
    make_offering, learners, staff_user, language
):
    source = make_offering(capacity=1)
    target = make_offering(capacity=1, course=source.course, days=60)
    anna, bert = learners(2)
    for learner in (anna, bert):
        learner.preferred_language = language
        learner.save(update_fields=["preferred_language"])
    enrol(anna, target)
    moving = [enrol(bert, source).pk]
    services.move_enrolments(enrolment_ids=moving, to_offering_id=target.pk, actor=staff_user)
    notification = Notification.objects.get(template="enrolment_moved")

    rendered = emails.render(notification)

    from_date = notification.context["from_date"]
    assert from_date and from_date in rendered.text and from_date in rendered.html
    assert source.course.title in rendered.subject
    assert "\n" not in rendered.subject
    assert "1" in rendered.text  # bert is first on the target's waiting list
    # The new meetings into the calendar, the old ones out of it.
    assert [a.mimetype for a in rendered.attachments] == [
        "text/calendar; method=REQUEST",
        "text/calendar; method=CANCEL",
    ]
