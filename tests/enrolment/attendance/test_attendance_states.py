"""Attendance as it happens: present (with hours), absent or excused; only for meetings that
have started; completion a few days after the last meeting, or earlier by hand; outcomes named
for what happened."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from catalogue.models import Offering
from enrolment import services, tasks
from enrolment.attendance.views import list_meetings_around
from enrolment.models import Attendance, Certificate, Enrolment
from enrolment.services import AttendanceRefused
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

THREE_HOURS = timedelta(hours=3)


def make_run(*, meetings: int = 3, threshold: int = 80, last_ended: timedelta = timedelta(days=5)):
    """An open run of ``meetings`` three-hour evenings a day apart, the last one ended
    ``last_ended`` ago (negative: still to come)."""
    offering = OfferingFactory(
        course=CourseFactory(attendance_threshold=threshold), capacity=10, min_participants=1
    )
    last_start = timezone.now() - last_ended - THREE_HOURS
    for day in range(meetings):
        starts_at = last_start - timedelta(days=meetings - 1 - day)
        MeetingFactory(offering=offering, starts_at=starts_at, ends_at=starts_at + THREE_HOURS)
    return offering


def meetings_of(offering):
    return list(offering.meetings.order_by("starts_at"))


def marks(meeting) -> dict[int, tuple[str, Decimal]]:
    return {
        pk: (state, hours)
        for pk, state, hours in Attendance.objects.filter(meeting=meeting).values_list(
            "enrolment_id", "state", "hours"
        )
    }


def take(meeting, *, present=(), excused=(), hours=None, now=None):
    return services.record_attendance(
        meeting_id=meeting.pk,
        present_enrolment_ids=[e.pk for e in present],
        excused_enrolment_ids=[e.pk for e in excused],
        hours={e.pk: value for e, value in (hours or {}).items()},
        actor=None,
        now=now,
    )


def status_of(enrolment) -> str:
    enrolment.refresh_from_db()
    return enrolment.status


# --- States and hours -----------------------------------------------------------------------


def test_present_gets_the_meetings_length_absent_and_excused_get_no_hours():
    offering = make_run()
    anna, bert, carla = (EnrolmentFactory(offering=offering) for _ in range(3))
    meeting = meetings_of(offering)[0]

    present = take(meeting, present=[anna], excused=[carla])

    assert present == 1
    assert marks(meeting) == {
        anna.pk: ("present", Decimal("3.00")),
        bert.pk: ("absent", Decimal("0.00")),
        carla.pk: ("excused", Decimal("0.00")),
    }
    log = AuditLog.objects.get(action="attendance.recorded")
    assert (log.data["present"], log.data["absent"], log.data["excused"]) == (1, 1, 1)


def test_hours_of_someone_who_left_early_are_kept():
    offering = make_run()
    anna = EnrolmentFactory(offering=offering)
    meeting = meetings_of(offering)[0]

    take(meeting, present=[anna], hours={anna: Decimal("1.5")})

    assert marks(meeting) == {anna.pk: ("present", Decimal("1.50"))}


@pytest.mark.parametrize("hours", [Decimal("3.01"), Decimal("-0.5"), Decimal("24")])
def test_hours_outside_zero_to_the_meetings_length_are_refused_and_nothing_changes(hours):
    offering = make_run()
    anna = EnrolmentFactory(offering=offering)
    meeting = meetings_of(offering)[0]
    take(meeting, present=[anna])

    with pytest.raises(AttendanceRefused, match="0 tot en met 3,00"):
        take(meeting, present=[anna], hours={anna: hours})

    assert marks(meeting) == {anna.pk: ("present", Decimal("3.00"))}


def test_the_bounds_themselves_are_allowed():
    offering = make_run()
    anna, bert = EnrolmentFactory(offering=offering), EnrolmentFactory(offering=offering)
    meeting = meetings_of(offering)[0]

    take(meeting, present=[anna, bert], hours={anna: Decimal("0"), bert: Decimal("3")})

    assert marks(meeting) == {
        anna.pk: ("present", Decimal("0.00")),
        bert.pk: ("present", Decimal("3.00")),
    }


def test_hours_given_for_someone_absent_or_excused_are_not_kept():
    offering = make_run()
    anna, bert = EnrolmentFactory(offering=offering), EnrolmentFactory(offering=offering)
    meeting = meetings_of(offering)[0]

    take(meeting, excused=[bert], hours={anna: Decimal("2"), bert: Decimal("2")})

    assert marks(meeting) == {
        anna.pk: ("absent", Decimal("0.00")),
        bert.pk: ("excused", Decimal("0.00")),
    }


def test_a_mark_moves_between_every_state_in_place():
    offering = make_run()
    anna = EnrolmentFactory(offering=offering)
    meeting = meetings_of(offering)[0]
    take(meeting, present=[anna], hours={anna: Decimal("2")})
    row = Attendance.objects.get().pk

    seen = []
    for step in ("excused", "absent", "present", "excused"):
        take(
            meeting,
            present=[anna] if step == "present" else [],
            excused=[anna] * (step == "excused"),
        )
        seen.append(marks(meeting)[anna.pk])

    assert seen == [
        ("excused", Decimal("0.00")),
        ("absent", Decimal("0.00")),
        ("present", Decimal("3.00")),  # back to present: the whole meeting unless told
        ("excused", Decimal("0.00")),
    ]
    assert list(Attendance.objects.values_list("pk", flat=True)) == [row]
    assert AuditLog.objects.filter(action="attendance.recorded").count() == 5


def test_present_and_excused_at_once_counts_as_present():
    offering = make_run()
    anna = EnrolmentFactory(offering=offering)
    meeting = meetings_of(offering)[0]

    take(meeting, present=[anna], excused=[anna])

    assert marks(meeting) == {anna.pk: ("present", Decimal("3.00"))}


# --- Only meetings that have started ----------------------------------------------------------


def test_a_meeting_that_has_not_started_is_refused():
    offering = make_run(last_ended=-timedelta(days=2))
    anna = EnrolmentFactory(offering=offering)
    coming = meetings_of(offering)[-1]

    with pytest.raises(AttendanceRefused, match="nog niet begonnen"):
        take(coming, present=[anna])

    assert not Attendance.objects.exists()


def test_a_meeting_can_be_taken_from_the_moment_it_starts():
    offering = make_run(last_ended=-timedelta(days=2))
    anna = EnrolmentFactory(offering=offering)
    coming = meetings_of(offering)[-1]

    with pytest.raises(AttendanceRefused):
        take(coming, present=[anna], now=coming.starts_at - timedelta(seconds=1))
    assert take(coming, present=[anna], now=coming.starts_at) == 1


def test_posting_attendance_for_a_coming_meeting_says_why_and_saves_nothing(client, staff_user):
    client.force_login(staff_user)
    offering = make_run(last_ended=-timedelta(days=2))
    anna = EnrolmentFactory(offering=offering)
    url = reverse("backoffice:attendance", args=[meetings_of(offering)[-1].pk])

    response = client.post(url, {f"state-{anna.pk}": "present"}, follow=True)

    html = response.content.decode()
    assert "Deze bijeenkomst is nog niet begonnen" in html
    assert not Attendance.objects.exists()


def test_the_page_of_a_coming_meeting_is_read_only(client, staff_user):
    client.force_login(staff_user)
    offering = make_run(last_ended=-timedelta(days=2))
    EnrolmentFactory(offering=offering)

    html = client.get(
        reverse("backoffice:attendance", args=[meetings_of(offering)[-1].pk])
    ).content.decode()

    assert "nog niet begonnen" in html
    assert "Aanwezigheid opslaan" not in html
    assert '<fieldset class="attendance-row__states" disabled' in html


# --- The morning after, and the grace period --------------------------------------------------


def test_the_last_meeting_takes_attendance_the_morning_after_while_the_task_waits():
    offering = make_run(last_ended=timedelta(hours=14))
    anna = EnrolmentFactory(offering=offering)
    first, second, last = meetings_of(offering)
    take(first, present=[anna])
    take(second, present=[anna])

    assert tasks.complete_ended_offerings() == 0
    take(last, present=[anna])

    assert marks(last) == {anna.pk: ("present", Decimal("3.00"))}
    assert status_of(anna) == "confirmed"


def test_the_task_completes_only_after_the_grace_period(settings):
    settings.COMPLETION_GRACE_DAYS = 3
    offering = make_run(last_ended=timedelta(days=1))
    last_end = meetings_of(offering)[-1].ends_at

    assert services.complete_ended_offerings(now=last_end + timedelta(days=3, seconds=-1)) == 0
    offering.refresh_from_db()
    assert offering.status == Offering.Status.OPEN

    assert services.complete_ended_offerings(now=last_end + timedelta(days=3)) == 1
    offering.refresh_from_db()
    assert offering.status == Offering.Status.COMPLETED


def test_the_manager_completes_before_the_grace_period_from_the_completion_page(client, staff_user):
    client.force_login(staff_user)
    offering = make_run(last_ended=timedelta(hours=2))
    anna = EnrolmentFactory(offering=offering)
    for meeting in meetings_of(offering):
        take(meeting, present=[anna])
    url = reverse("backoffice:complete_offering", args=[offering.pk])

    html = client.get(url).content.decode()
    assert "Ja, afronden" in html
    assert "gebeurt dit vanzelf na" in html
    response = client.post(url)

    assert response.status_code == 302
    assert status_of(anna) == "completed"
    assert Certificate.objects.filter(enrolment=anna).exists()
    assert tasks.complete_ended_offerings() == 0


# --- Outcomes -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("pattern", "outcome"),
    [
        ("PPP", "completed"),
        ("PPA", "not_completed"),  # 67 % < 80 %
        ("PAA", "not_completed"),
        ("AAA", "no_show"),
        ("---", "no_show"),  # never recorded
        ("EEE", "not_completed"),  # excused every time: not completed, never a no-show
        ("EAA", "not_completed"),
        ("PPE", "not_completed"),  # excused is not present
    ],
)
def test_outcome_per_attendance_pattern_with_an_80_percent_threshold(pattern, outcome):
    offering = make_run(meetings=3, threshold=80)
    anna = EnrolmentFactory(offering=offering)
    bystander = EnrolmentFactory(offering=offering)
    for meeting, mark in zip(meetings_of(offering), pattern, strict=True):
        if mark == "-":
            continue
        take(meeting, present=[anna] * (mark == "P") + [bystander], excused=[anna] * (mark == "E"))

    result = services.complete_offering(offering_id=offering.pk)

    assert status_of(anna) == outcome
    # Someone else present at every recorded meeting is unaffected by anna's marks.
    assert status_of(bystander) == ("no_show" if pattern == "---" else "completed")
    assert anna.pk in getattr(result, outcome)
    log = AuditLog.objects.get(action=f"enrolment.{outcome}", object_id=anna.pk)
    assert log.data == {
        "present": pattern.count("P"),
        "excused": pattern.count("E"),
        "meetings": 3,
        "threshold": 80,
    }


def test_only_those_who_completed_get_a_certificate():
    offering = make_run(meetings=3, threshold=80)
    done, short, away = (EnrolmentFactory(offering=offering) for _ in range(3))
    first, second, third = meetings_of(offering)
    take(first, present=[done, short])
    take(second, present=[done, short])
    take(third, present=[done], excused=[short])

    services.finish_offering(offering_id=offering.pk)

    assert (status_of(done), status_of(short), status_of(away)) == (
        "completed",
        "not_completed",
        "no_show",
    )
    assert list(Certificate.objects.values_list("enrolment_id", flat=True)) == [done.pk]


def test_completion_preview_names_each_outcome_truly(client, staff_user):
    client.force_login(staff_user)
    offering = make_run(meetings=3, threshold=80)
    done, short, _away = (EnrolmentFactory(offering=offering) for _ in range(3))
    first, second, third = meetings_of(offering)
    take(first, present=[done, short])
    take(second, present=[done], hours={done: Decimal("2.5")})
    take(third, present=[done])

    html = client.get(reverse("backoffice:complete_offering", args=[offering.pk])).content.decode()

    assert html.count("niet afgerond — onvoldoende aanwezig") == 1
    assert html.count("<strong>niet verschenen</strong>") == 1
    assert "8,50" in html  # done's hours: 3 + 2.5 + 3


def test_completion_message_counts_every_outcome(client, staff_user):
    client.force_login(staff_user)
    offering = make_run(meetings=3, threshold=80)
    done, short, _away = (EnrolmentFactory(offering=offering) for _ in range(3))
    for meeting in meetings_of(offering):
        take(meeting, present=[done], excused=[short])

    response = client.post(reverse("backoffice:complete_offering", args=[offering.pk]), follow=True)

    assert (
        "1 afgerond, 1 niet afgerond, 1 niet verschenen, 0 zonder plaats geannuleerd"
        in response.content.decode()
    )


# --- The tablet page ------------------------------------------------------------------------


def test_one_post_saves_states_and_hours_typed_with_a_comma(client, staff_user):
    client.force_login(staff_user)
    offering = make_run()
    anna, bert, carla = (EnrolmentFactory(offering=offering) for _ in range(3))
    meeting = meetings_of(offering)[0]
    url = reverse("backoffice:attendance", args=[meeting.pk])

    response = client.post(
        url,
        {
            f"state-{anna.pk}": "present",
            f"hours-{anna.pk}": "2,5",
            f"state-{bert.pk}": "present",
            f"hours-{bert.pk}": "",
            f"state-{carla.pk}": "excused",
        },
    )

    assert response.status_code == 302
    assert marks(meeting) == {
        anna.pk: ("present", Decimal("2.50")),
        bert.pk: ("present", Decimal("3.00")),
        carla.pk: ("excused", Decimal("0.00")),
    }
    html = client.get(url).content.decode()
    assert f'id="hours-{anna.pk}" value="2,50"' in html
    assert f'id="hours-{bert.pk}" value=""' in html  # the whole meeting: nothing to type


@pytest.mark.parametrize("typed", ["4", "-1", "twee", "1,255"])
def test_hours_out_of_bounds_get_a_message_next_to_the_field(client, staff_user, typed):
    client.force_login(staff_user)
    offering = make_run()
    anna = EnrolmentFactory(offering=offering)
    meeting = meetings_of(offering)[0]

    response = client.post(
        reverse("backoffice:attendance", args=[meeting.pk]),
        {f"state-{anna.pk}": "present", f"hours-{anna.pk}": typed},
    )

    assert response.status_code == 200
    html = response.content.decode()
    assert f'id="hours-{anna.pk}-error"' in html
    assert f'aria-describedby="hours-{anna.pk}-error"' in html
    assert f'value="{typed}"' in html
    assert not Attendance.objects.exists()


def test_the_attendance_page_reads_in_english(client, staff_user):
    client.force_login(staff_user)
    offering = make_run()
    EnrolmentFactory(offering=offering)
    with translation.override("en"):
        url = reverse("backoffice:attendance", args=[meetings_of(offering)[0].pk])
        complete = reverse("backoffice:complete_offering", args=[offering.pk])

    html = client.get(url).content.decode()
    assert ">present<" in html
    assert ">absent<" in html
    assert ">excused<" in html
    assert "Hours present" in html
    assert "niet verschenen" not in client.get(complete).content.decode()


def test_the_index_lists_todays_coming_meeting_as_not_started(staff_user):
    ten = timezone.localtime().replace(hour=10, minute=0, second=0, microsecond=0)
    offering = OfferingFactory(course=CourseFactory(title="Cobot programmeren"))
    morning = MeetingFactory(offering=offering, starts_at=ten - timedelta(hours=2))
    afternoon = MeetingFactory(offering=offering, starts_at=ten + timedelta(hours=4))
    tomorrow = MeetingFactory(offering=offering, starts_at=ten + timedelta(days=1))

    around = list_meetings_around(user=staff_user, now=ten)

    assert [(m.pk, m.started) for m in around.today] == [
        (morning.pk, True),
        (afternoon.pk, False),
    ]
    assert tomorrow.pk not in [m.pk for m in around.today + around.last_week]


def test_the_index_costs_the_same_queries_for_many_meetings(client, staff_user):
    client.force_login(staff_user)
    url = reverse("backoffice:attendance_index")
    make_run(meetings=1, last_ended=timedelta(days=1))
    few = page_queries(client, url)
    for _ in range(4):
        offering = make_run(meetings=2, last_ended=timedelta(days=1))
        EnrolmentFactory(offering=offering, company=CompanyFactory())
    assert page_queries(client, url) == few


def test_my_courses_and_hr_lists_say_not_completed(client):
    offering = make_run(meetings=1)
    company = CompanyFactory()
    enrolment = EnrolmentFactory(offering=offering, company=company)
    take(meetings_of(offering)[0], excused=[enrolment])
    services.complete_offering(offering_id=offering.pk)
    assert status_of(enrolment) == Enrolment.Status.NOT_COMPLETED
    client.force_login(enrolment.learner)

    html = client.get(reverse("enrolment:my_courses")).content.decode()

    assert "niet afgerond" in html
    assert "niet verschenen" not in html
