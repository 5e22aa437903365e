"""Attendance per meeting, completing ended offerings, and the staff pages for both."""

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from catalogue.models import Offering
from enrolment import services, tasks
from enrolment.models import Attendance, Certificate, Enrolment
from enrolment.services import AttendanceRefused, CompletionRefused
from technohub.models import AuditLog
from tests.factories import (
    CompanyFactory,
    CourseFactory,
    EnrolmentFactory,
    MeetingFactory,
    OfferingFactory,
)
from tests.queries import page_queries

pytestmark = pytest.mark.django_db


def make_past_offering(*, meetings: int = 4, threshold: int = 80, ended: bool = True, **fields):
    """An offering of ``meetings`` daily meetings: all over when ``ended``, else the last is
    tomorrow."""
    offering = OfferingFactory(
        course=CourseFactory(attendance_threshold=threshold),
        capacity=10,
        min_participants=1,
        **fields,
    )
    first = timezone.now() - timedelta(days=meetings + 1 if ended else meetings - 1)
    for day in range(meetings):
        MeetingFactory(offering=offering, starts_at=first + timedelta(days=day))
    return offering


def confirmed(offering, n: int) -> list[Enrolment]:
    return [EnrolmentFactory(offering=offering) for _ in range(n)]


def attend(offering, enrolments, *, meetings: int, actor=None) -> None:
    """Record ``enrolments`` present at the first ``meetings`` meetings, absent at the rest."""
    for number, meeting in enumerate(offering.meetings.order_by("starts_at")):
        present = [e.pk for e in enrolments] if number < meetings else []
        services.record_attendance(
            meeting_id=meeting.pk, present_enrolment_ids=present, actor=actor
        )


def rows(meeting) -> list[tuple]:
    return list(
        Attendance.objects.filter(meeting=meeting)
        .order_by("enrolment_id")
        .values_list("pk", "enrolment_id", "state", "hours", "recorded_at")
    )


def status_of(enrolment) -> str:
    enrolment.refresh_from_db()
    return enrolment.status


# --- Recording attendance -------------------------------------------------------------------


def test_record_attendance_gives_every_confirmed_participant_a_row(staff_user):
    offering = make_past_offering()
    anna, bert, carla = confirmed(offering, 3)
    meeting = offering.meetings.first()

    present = services.record_attendance(
        meeting_id=meeting.pk, present_enrolment_ids={anna.pk, carla.pk}, actor=staff_user
    )

    assert present == 2
    saved = {
        pk: (state, hours)
        for pk, state, hours in Attendance.objects.filter(meeting=meeting).values_list(
            "enrolment_id", "state", "hours"
        )
    }
    # The factory's meetings last seven hours: present means all seven unless told otherwise.
    assert saved == {
        anna.pk: ("present", Decimal("7.00")),
        bert.pk: ("absent", Decimal("0.00")),
        carla.pk: ("present", Decimal("7.00")),
    }
    assert set(Attendance.objects.values_list("recorded_by", flat=True)) == {staff_user.pk}
    log = AuditLog.objects.get(action="attendance.recorded")
    assert log.object_id == offering.pk
    assert log.actor == staff_user
    assert log.data == {
        "meeting": meeting.pk,
        "present": 2,
        "absent": 1,
        "excused": 0,
        "changed": 3,
    }


def test_record_attendance_twice_changes_nothing_the_second_time(staff_user):
    offering = make_past_offering()
    anna, _bert = confirmed(offering, 2)
    meeting = offering.meetings.first()
    services.record_attendance(
        meeting_id=meeting.pk, present_enrolment_ids=[anna.pk], actor=staff_user
    )
    first = rows(meeting)

    again = services.record_attendance(
        meeting_id=meeting.pk, present_enrolment_ids=[anna.pk], actor=staff_user
    )

    assert again == 1
    assert rows(meeting) == first
    assert AuditLog.objects.filter(action="attendance.recorded").count() == 1


def test_record_attendance_updates_a_changed_row_in_place(staff_user):
    offering = make_past_offering()
    anna, bert = confirmed(offering, 2)
    meeting = offering.meetings.first()
    services.record_attendance(
        meeting_id=meeting.pk, present_enrolment_ids=[anna.pk], actor=staff_user
    )
    before = {pk: row_id for row_id, pk, *_rest in rows(meeting)}

    services.record_attendance(
        meeting_id=meeting.pk, present_enrolment_ids=[anna.pk, bert.pk], actor=staff_user
    )

    after = rows(meeting)
    assert {pk: row_id for row_id, pk, *_rest in after} == before
    assert [state for _id, _pk, state, _hours, _at in after] == ["present", "present"]
    assert AuditLog.objects.filter(action="attendance.recorded").latest("id").data["changed"] == 1


def test_record_attendance_ignores_ids_that_are_not_confirmed_in_this_offering(staff_user):
    offering = make_past_offering()
    (anna,) = confirmed(offering, 1)
    waiting = EnrolmentFactory(offering=offering, status="waitlisted", waitlist_position=1)
    cancelled = EnrolmentFactory(offering=offering, status="cancelled")
    other_offering = make_past_offering()
    (stranger,) = confirmed(other_offering, 1)
    meeting = offering.meetings.first()

    present = services.record_attendance(
        meeting_id=meeting.pk,
        present_enrolment_ids=[waiting.pk, cancelled.pk, stranger.pk, 999_999],
        actor=staff_user,
    )

    assert present == 0
    assert list(Attendance.objects.values_list("enrolment_id", "state")) == [(anna.pk, "absent")]


def test_record_attendance_is_refused_once_the_offering_is_completed(staff_user):
    offering = make_past_offering()
    (anna,) = confirmed(offering, 1)
    services.complete_offering(offering_id=offering.pk)
    with pytest.raises(AttendanceRefused, match="al afgerond"):
        services.record_attendance(
            meeting_id=offering.meetings.first().pk,
            present_enrolment_ids=[anna.pk],
            actor=staff_user,
        )
    assert not Attendance.objects.exists()


# --- Completing an offering ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("threshold", "attended", "outcome"),
    [
        (80, 3, "not_completed"),  # 75 % < 80 %
        (80, 4, "completed"),
        (75, 3, "completed"),  # exactly on the line
        (75, 2, "not_completed"),
        (0, 0, "completed"),
        (100, 3, "not_completed"),
        (80, 0, "no_show"),
    ],
)
def test_complete_offering_decides_by_the_attendance_threshold(threshold, attended, outcome):
    offering = make_past_offering(meetings=4, threshold=threshold)
    (anna,) = confirmed(offering, 1)
    attend(offering, [anna], meetings=attended)

    result = services.complete_offering(offering_id=offering.pk)

    assert status_of(anna) == outcome
    decided = {
        "completed": result.completed,
        "not_completed": result.not_completed,
        "no_show": result.no_show,
    }
    assert decided == {status: [anna.pk] if status == outcome else [] for status in decided}
    offering.refresh_from_db()
    assert offering.status == Offering.Status.COMPLETED


def test_complete_offering_uses_each_courses_own_threshold():
    lenient, strict = make_past_offering(threshold=50), make_past_offering(threshold=80)
    (anna,), (bert,) = confirmed(lenient, 1), confirmed(strict, 1)
    attend(lenient, [anna], meetings=2)
    attend(strict, [bert], meetings=2)

    services.complete_offering(offering_id=lenient.pk)
    services.complete_offering(offering_id=strict.pk)

    assert (status_of(anna), status_of(bert)) == ("completed", "not_completed")


def test_complete_offering_counts_a_meeting_without_attendance_as_absent():
    offering = make_past_offering(meetings=4, threshold=75)
    anna, bert = confirmed(offering, 2)
    first, second, third, _never_recorded = offering.meetings.order_by("starts_at")
    for meeting in (first, second, third):
        services.record_attendance(
            meeting_id=meeting.pk, present_enrolment_ids=[anna.pk], actor=None
        )

    services.complete_offering(offering_id=offering.pk)

    assert (status_of(anna), status_of(bert)) == ("completed", "no_show")


def test_complete_offering_audits_each_outcome_with_the_attendance_behind_it(staff_user):
    offering = make_past_offering(meetings=4, threshold=80)
    anna, bert = confirmed(offering, 2)
    attend(offering, [anna], meetings=4)  # bert is recorded absent at every meeting

    services.complete_offering(offering_id=offering.pk, actor=staff_user)

    completed = AuditLog.objects.get(action="enrolment.completed")
    assert (completed.object_id, completed.actor) == (anna.pk, staff_user)
    assert completed.data == {"present": 4, "excused": 0, "meetings": 4, "threshold": 80}
    no_show = AuditLog.objects.get(action="enrolment.no_show")
    assert no_show.object_id == bert.pk
    assert no_show.data == {"present": 0, "excused": 0, "meetings": 4, "threshold": 80}
    summary = AuditLog.objects.get(action="offering.completed")
    assert summary.object_id == offering.pk
    assert summary.data == {
        "completed": 1,
        "not_completed": 0,
        "no_show": 1,
        "cancelled": 0,
        "threshold": 80,
        "meetings": 4,
    }


def test_complete_offering_cancels_requests_and_waiting_list_places():
    offering = make_past_offering()
    (anna,) = confirmed(offering, 1)
    attend(offering, [anna], meetings=4)
    first = EnrolmentFactory(offering=offering, status="waitlisted", waitlist_position=1)
    second = EnrolmentFactory(offering=offering, status="waitlisted", waitlist_position=2)
    asked = EnrolmentFactory(offering=offering, status="requested")

    result = services.complete_offering(offering_id=offering.pk)

    assert sorted(result.cancelled) == sorted([first.pk, second.pk, asked.pk])
    for enrolment in (first, second, asked):
        enrolment.refresh_from_db()
        assert (enrolment.status, enrolment.reason, enrolment.waitlist_position) == (
            "cancelled",
            "uitvoering afgelopen",
            None,
        )
    assert status_of(anna) == "completed"
    assert AuditLog.objects.filter(action="enrolment.cancelled").count() == 3


def test_complete_offering_twice_changes_nothing_the_second_time():
    offering = make_past_offering()
    anna, _bert = confirmed(offering, 2)
    attend(offering, [anna], meetings=4)
    services.complete_offering(offering_id=offering.pk)
    statuses = list(Enrolment.objects.order_by("pk").values_list("status", "status_changed_at"))
    logged = AuditLog.objects.count()

    again = services.complete_offering(offering_id=offering.pk)

    assert not again.changed
    assert list(Enrolment.objects.order_by("pk").values_list("status", "status_changed_at")) == (
        statuses
    )
    assert AuditLog.objects.count() == logged


def test_complete_offering_refuses_a_offering_that_has_not_ended():
    offering = make_past_offering(ended=False)
    (anna,) = confirmed(offering, 1)
    with pytest.raises(CompletionRefused, match="nog niet afgelopen"):
        services.complete_offering(offering_id=offering.pk)
    offering.refresh_from_db()
    assert (offering.status, status_of(anna)) == ("open", "confirmed")


def test_complete_offering_refuses_a_cancelled_offering():
    offering = make_past_offering(status=Offering.Status.CANCELLED)
    with pytest.raises(CompletionRefused, match="geannuleerd"):
        services.complete_offering(offering_id=offering.pk)
    offering.refresh_from_db()
    assert offering.status == "cancelled"


def test_complete_offering_checks_the_end_against_the_given_time():
    offering = make_past_offering(ended=False)
    last_end = offering.meetings.order_by("-ends_at").first().ends_at
    with pytest.raises(CompletionRefused):
        services.complete_offering(offering_id=offering.pk, now=last_end - timedelta(seconds=1))
    services.complete_offering(offering_id=offering.pk, now=last_end)
    offering.refresh_from_db()
    assert offering.status == "completed"


def test_complete_ended_offerings_completes_only_ended_open_offerings_and_is_idempotent():
    ended = make_past_offering()
    (anna,) = confirmed(ended, 1)
    attend(ended, [anna], meetings=4)
    running = make_past_offering(ended=False)
    (bert,) = confirmed(running, 1)
    cancelled = make_past_offering(status=Offering.Status.CANCELLED)
    concept = make_past_offering(status=Offering.Status.CONCEPT)
    done = make_past_offering(status=Offering.Status.COMPLETED)
    without_meetings = OfferingFactory()
    after_grace = timezone.now() + timedelta(days=settings.COMPLETION_GRACE_DAYS)

    assert services.complete_ended_offerings(now=after_grace) == 1
    assert services.complete_ended_offerings(now=after_grace) == 0

    statuses = dict(Offering.objects.values_list("pk", "status"))
    assert statuses == {
        ended.pk: "completed",
        running.pk: "open",
        cancelled.pk: "cancelled",
        concept.pk: "concept",
        done.pk: "completed",
        without_meetings.pk: "open",
    }
    assert (status_of(anna), status_of(bert)) == ("completed", "confirmed")


def test_complete_ended_offerings_task_runs_hourly_from_beat(settings):
    make_past_offering()  # the last meeting ended yesterday
    settings.COMPLETION_GRACE_DAYS = 1
    assert tasks.complete_ended_offerings() == 1
    entry = settings.CELERY_BEAT_SCHEDULE["complete-ended-offerings"]
    assert entry["task"] == "enrolment.tasks.complete_ended_offerings"
    assert entry["schedule"].minute == {15}
    assert len(entry["schedule"].hour) == 24


# --- Staff pages ----------------------------------------------------------------------------


@pytest.fixture
def staff(client, staff_user):
    client.force_login(staff_user)
    return staff_user


def page_urls(offering) -> list[str]:
    meeting = offering.meetings.first()
    return [
        reverse("backoffice:attendance_index"),
        reverse("backoffice:attendance", args=[meeting.pk]),
        reverse("backoffice:complete_offering", args=[offering.pk]),
    ]


def shown_state(html: str, enrolment) -> str:
    """Which of aanwezig / afwezig / afgemeld the page has chosen for ``enrolment``."""
    chosen = []
    for state in ("present", "absent", "excused"):
        tag = re.search(rf'<input[^>]*id="state-{enrolment.pk}-{state}"[^>]*>', html)
        assert tag, f"no {state} choice for enrolment {enrolment.pk}"
        if " checked" in tag.group(0):
            chosen.append(state)
    assert len(chosen) == 1, chosen
    return chosen[0]


def checked(html: str, enrolment) -> bool:
    return shown_state(html, enrolment) == "present"


def test_staff_pages_send_guests_to_the_admin_log_in(client):
    for url in page_urls(make_past_offering()):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("admin:login")), url


def test_staff_pages_are_closed_to_a_logged_in_learner(client, learner):
    client.force_login(learner)
    offering = make_past_offering()
    (anna,) = confirmed(offering, 1)
    for url in page_urls(offering):
        assert client.get(url).status_code == 403, url
    response = client.post(page_urls(offering)[1], {f"state-{anna.pk}": "present"})
    assert response.status_code == 403
    assert not Attendance.objects.exists()


def test_attendance_index_lists_todays_and_last_weeks_meetings_that_started(client, staff):
    now = timezone.now()
    midnight = timezone.localtime(now).replace(hour=0, minute=0, second=0, microsecond=0)
    today = OfferingFactory(course=CourseFactory(title="CNC-draaien"))
    MeetingFactory(offering=today, starts_at=midnight)
    soon = OfferingFactory(course=CourseFactory(title="PLC-programmeren"))
    MeetingFactory(offering=soon, starts_at=now + timedelta(days=3))
    past = OfferingFactory(course=CourseFactory(title="Hydrauliek"))
    MeetingFactory(offering=past, starts_at=now - timedelta(days=3))
    far = OfferingFactory(course=CourseFactory(title="Drones A1/A3"))
    MeetingFactory(offering=far, starts_at=now + timedelta(days=30))
    off = OfferingFactory(course=CourseFactory(title="ISOBUS"), status="cancelled")
    MeetingFactory(offering=off, starts_at=now + timedelta(days=1))

    response = client.get(reverse("backoffice:attendance_index"))

    assert response.status_code == 200
    html = response.content.decode()
    for title in ("CNC-draaien", "Hydrauliek"):
        assert title in html
    # A meeting to come cannot take attendance: the index does not offer it.
    assert "PLC-programmeren" not in html
    assert reverse("backoffice:attendance", args=[soon.meetings.get().pk]) not in html
    assert "Drones A1/A3" not in html
    assert "ISOBUS" not in html
    assert reverse("backoffice:attendance", args=[today.meetings.get().pk]) in html


def test_attendance_page_lists_confirmed_participants_present_by_default(client, staff):
    offering = make_past_offering()
    anna, bert = confirmed(offering, 2)
    waiting = EnrolmentFactory(offering=offering, status="waitlisted", waitlist_position=1)
    first, second = offering.meetings.order_by("starts_at")[:2]

    response = client.get(reverse("backoffice:attendance", args=[second.pk]))

    assert response.status_code == 200
    html = response.content.decode()
    assert str(anna.learner) in html
    assert str(waiting.learner) not in html
    assert checked(html, anna)
    assert checked(html, bert)
    assert offering.course.title in html
    assert offering.location.name in html
    assert reverse("backoffice:attendance", args=[first.pk]) in html  # previous meeting
    assert 'type="radio"' in html
    assert "<legend" in html


def test_attendance_page_shows_the_saved_values(client, staff):
    offering = make_past_offering()
    anna, bert = confirmed(offering, 2)
    meeting = offering.meetings.first()
    services.record_attendance(meeting_id=meeting.pk, present_enrolment_ids=[bert.pk], actor=None)

    html = client.get(reverse("backoffice:attendance", args=[meeting.pk])).content.decode()

    assert not checked(html, anna)
    assert checked(html, bert)


def test_attendance_post_saves_and_redirects_back(client, staff):
    offering = make_past_offering()
    anna, bert = confirmed(offering, 2)
    meeting = offering.meetings.first()
    url = reverse("backoffice:attendance", args=[meeting.pk])

    response = client.post(url, {f"state-{anna.pk}": "present", f"state-{bert.pk}": "absent"})

    assert response.status_code == 302
    assert response["Location"] == url
    saved = dict(Attendance.objects.filter(meeting=meeting).values_list("enrolment_id", "state"))
    assert saved == {anna.pk: "present", bert.pk: "absent"}
    assert Attendance.objects.get(enrolment=anna).recorded_by == staff
    page = client.get(url).content.decode()
    assert "De aanwezigheid is opgeslagen: 1 aanwezig." in page


def test_attendance_post_with_nonsense_changes_nothing(client, staff):
    offering = make_past_offering()
    (anna,) = confirmed(offering, 1)
    response = client.post(
        reverse("backoffice:attendance", args=[offering.meetings.first().pk]),
        {f"state-{anna.pk}": "x"},
    )
    assert response.status_code == 200
    assert "kon niet worden opgeslagen" in response.content.decode()
    assert not Attendance.objects.exists()


def test_attendance_page_of_an_unknown_meeting_is_404(client, staff):
    assert client.get(reverse("backoffice:attendance", args=[999_999])).status_code == 404


def test_attendance_page_refuses_other_methods(client, staff):
    offering = make_past_offering()
    url = reverse("backoffice:attendance", args=[offering.meetings.first().pk])
    assert client.put(url).status_code == 405


def test_attendance_page_query_count_does_not_grow_with_participants(client, staff):
    small, large = make_past_offering(), make_past_offering()
    for offering, n in ((small, 2), (large, 12)):
        for _ in range(n):
            EnrolmentFactory(offering=offering, company=CompanyFactory())
    counts = []
    for offering in (small, large):
        meeting = offering.meetings.first()
        services.record_attendance(meeting_id=meeting.pk, present_enrolment_ids=[], actor=None)
        counts.append(page_queries(client, reverse("backoffice:attendance", args=[meeting.pk])))
    assert counts[0] == counts[1]


def test_attendance_page_offers_completion_once_the_offering_has_ended(client, staff):
    ended, running = make_past_offering(), make_past_offering(ended=False)
    complete_url = reverse("backoffice:complete_offering", args=[ended.pk])
    html = client.get(
        reverse("backoffice:attendance", args=[ended.meetings.last().pk])
    ).content.decode()
    assert complete_url in html
    html = client.get(
        reverse("backoffice:attendance", args=[running.meetings.first().pk])
    ).content.decode()
    assert reverse("backoffice:complete_offering", args=[running.pk]) not in html


def test_complete_page_asks_first_then_completes(client, staff):
    offering = make_past_offering()
    anna, bert = confirmed(offering, 2)
    attend(offering, [anna], meetings=4)
    url = reverse("backoffice:complete_offering", args=[offering.pk])

    html = client.get(url).content.decode()
    assert "Weet je zeker" in html
    assert "niet verschenen" in html
    assert status_of(anna) == "confirmed"

    response = client.post(url)
    last = offering.meetings.order_by("-ends_at").first()
    assert response.status_code == 302
    assert response["Location"] == reverse("backoffice:attendance", args=[last.pk])
    assert (status_of(anna), status_of(bert)) == ("completed", "no_show")
    assert AuditLog.objects.get(action="offering.completed").actor == staff


def test_complete_page_refuses_a_offering_that_has_not_ended(client, staff):
    offering = make_past_offering(ended=False)
    (anna,) = confirmed(offering, 1)
    url = reverse("backoffice:complete_offering", args=[offering.pk])
    assert "nog niet afgelopen" in client.get(url).content.decode()
    response = client.post(url)
    assert response.status_code == 200
    assert "nog niet afgelopen" in response.content.decode()
    assert status_of(anna) == "confirmed"


def test_finishing_an_ended_offering_issues_certificates_to_those_who_completed(
    make_offering, learners
):
    offering = make_offering(capacity=2, days=10)
    present, absent = learners(2)
    for person in (present, absent):
        services.enrol_learner(learner=person, offering_id=offering.pk)
    meeting = offering.meetings.get()
    services.record_attendance(
        meeting_id=meeting.pk,
        present_enrolment_ids=list(
            Enrolment.objects.filter(learner=present).values_list("pk", flat=True)
        ),
        actor=None,
        now=meeting.ends_at,
    )
    later = meeting.ends_at + timedelta(days=settings.COMPLETION_GRACE_DAYS, hours=1)
    assert services.complete_ended_offerings(now=later) == 1
    assert list(Certificate.objects.values_list("enrolment__learner", flat=True)) == [present.pk]
