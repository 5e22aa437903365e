"""The programme manager runs the hub from the admin: cancel, move, duplicate, remind, export,
and send outbox mail again. The services against the real database, then each admin action
through the test client as a superuser."""

import csv
import io
from datetime import timedelta

import openpyxl
import pytest
from django.core import mail
from django.forms import modelform_factory
from django.urls import reverse
from django.utils import timezone

from catalogue.admin.runs import OfferingForm
from catalogue.models import Meeting, Offering
from enrolment import emails, outbox, services
from enrolment.models import Attendance, Enrolment, Notification
from enrolment.services import EnrolmentRefused
from technohub.models import AuditLog
from tests.factories import CompanyFactory, MeetingFactory, UserFactory
from tests.races import assert_run_is_consistent, race

pytestmark = pytest.mark.django_db(transaction=True)

CHANGELIST = "admin:catalogue_offering_changelist"


def enrol(learner, offering) -> Enrolment:
    return services.enrol_learner(learner=learner, offering_id=offering.pk)


def statuses(offering) -> dict[str, tuple[str, int | None]]:
    """Each active learner's (status, waiting-list position) in a run, by email."""
    return {
        email: (status, position)
        for email, status, position in Enrolment.objects.filter(
            offering=offering, status__in=Enrolment.ACTIVE_STATUSES
        ).values_list("learner__email", "status", "waitlist_position")
    }


def run_action(client, action: str, *offerings):
    """Choose ``action`` for the runs on the changelist, as the action drop-down does."""
    return client.post(
        reverse(CHANGELIST),
        {"action": action, "_selected_action": [offering.pk for offering in offerings]},
    )


def page_messages(response) -> list[str]:
    return [str(message) for message in response.wsgi_request._messages]


@pytest.fixture
def manager(client, staff_user):
    client.force_login(staff_user)
    return client


# --- move_enrolments -------------------------------------------------------------------------


def test_move_enrolments_fills_free_seats_exactly_then_waitlists_and_promotes_old_line(
    make_run, learners, staff_user
):
    source = make_run(capacity=3)
    target = make_run(capacity=2, course=source.course)
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


def test_move_enrolments_skips_learners_already_in_the_target(make_run, learners, staff_user):
    source = make_run(capacity=2)
    target = make_run(capacity=2, course=source.course)
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
    make_run, approving_company, employee_of, staff_user
):
    source = make_run(capacity=2)
    target = make_run(capacity=2, course=source.course)
    request = enrol(employee_of(approving_company), source)

    result = services.move_enrolments(
        enrolment_ids=[request.pk], to_offering_id=target.pk, actor=staff_user
    )

    (moved,) = result.requested
    assert (moved.status, moved.company) == ("requested", approving_company)
    target.refresh_from_db()
    assert target.confirmed_count == 0


def test_move_enrolments_closes_the_gaps_in_the_old_waiting_list(make_run, learners, staff_user):
    source = make_run(capacity=1)
    target = make_run(capacity=1, course=source.course)
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


@pytest.mark.parametrize("target_kind", ["other course", "concept", "started", "same run"])
def test_move_enrolments_refuses_a_wrong_target(make_run, learners, staff_user, target_kind):
    source = make_run(capacity=2)
    target = {
        "other course": lambda: make_run(),
        "concept": lambda: make_run(course=source.course, status=Offering.Status.CONCEPT),
        "started": lambda: make_run(course=source.course, days=-1),
        "same run": lambda: source,
    }[target_kind]()
    enrolment = enrol(learners(1)[0], source)

    with pytest.raises(EnrolmentRefused):
        services.move_enrolments(
            enrolment_ids=[enrolment.pk], to_offering_id=target.pk, actor=staff_user
        )

    enrolment.refresh_from_db()
    assert enrolment.status == "confirmed"
    assert not Notification.objects.filter(template="enrolment_moved").exists()


def test_moves_both_ways_and_sign_ups_at_once_neither_deadlock_nor_overbook(
    make_run, learners, staff_user
):
    north = make_run(capacity=4)
    south = make_run(capacity=4, course=north.course)
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
                lambda person=person, run=run: enrol(person, run)
                for person, run in zip(learners(6), [north, south] * 3, strict=True)
            ),
        ]
    )

    assert not [r for r in results if isinstance(r, Exception)], results
    for run in (north, south):
        assert_run_is_consistent(run)
    active = Enrolment.objects.filter(status__in=Enrolment.ACTIVE_STATUSES)
    assert active.count() == 12  # nobody lost, nobody doubled


# --- duplicate_offering ----------------------------------------------------------------------


def test_duplicate_offering_shifts_every_date_by_whole_weeks_and_copies_no_enrolments(
    make_run, learners, staff_user
):
    source = make_run(capacity=8, days=10, instructor="Piet Jansen")
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


def test_duplicate_offering_refuses_zero_weeks(make_run, staff_user):
    source = make_run()
    with pytest.raises(EnrolmentRefused):
        services.duplicate_offering(offering_id=source.pk, weeks=0, actor=staff_user)
    assert Offering.objects.count() == 1


# --- send_reminder_now -----------------------------------------------------------------------


def test_send_reminder_now_mails_confirmed_learners_once_a_day(make_run, learners, staff_user):
    run = make_run(capacity=2, days=30)
    anna, bert, carla = learners(3)
    for learner in (anna, bert, carla):
        enrol(learner, run)  # carla waits
    now = timezone.now()

    assert services.send_reminder_now(offering_id=run.pk, actor=staff_user, now=now) == 2
    assert services.send_reminder_now(offering_id=run.pk, actor=staff_user, now=now) == 0
    tomorrow = now + timedelta(days=1)
    assert services.send_reminder_now(offering_id=run.pk, actor=staff_user, now=tomorrow) == 2

    reminders = Notification.objects.filter(template="enrolment_reminder")
    assert sorted(reminders.values_list("to_email", flat=True)) == sorted(
        [anna.email, bert.email] * 2
    )
    enrolment = Enrolment.objects.get(learner=anna, offering=run)
    today = reminders.get(dedupe_key=f"reminder:manual:{enrolment.pk}:{timezone.localdate(now)}")
    assert today.context == {"days": 30}


def test_send_reminder_now_refuses_a_cancelled_run(make_run, staff_user):
    run = make_run()
    services.cancel_offering(offering_id=run.pk, actor=staff_user, reason="Docent ziek")
    with pytest.raises(EnrolmentRefused):
        services.send_reminder_now(offering_id=run.pk, actor=staff_user)


# --- Admin: access ---------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["anonymous", "learner"])
def test_run_action_pages_send_non_staff_to_the_admin_login(client, make_run, who):
    run = make_run()
    if who == "learner":
        client.force_login(UserFactory())
    urls = [
        reverse("admin:catalogue_offering_cancel") + f"?ids={run.pk}",
        reverse("admin:catalogue_offering_move", args=[run.pk]),
        reverse("admin:catalogue_offering_duplicate") + f"?ids={run.pk}",
        reverse("admin:catalogue_offering_remind") + f"?ids={run.pk}",
    ]
    for url in urls:
        for response in (client.get(url), client.post(url, {"ids": run.pk, "reason": "x"})):
            assert response.status_code == 302, url
            assert response.url.startswith(reverse("admin:login")), url
    run.refresh_from_db()
    assert run.status == Offering.Status.OPEN


# --- Admin: cancel with a reason -------------------------------------------------------------


def test_cancel_action_shows_a_confirmation_page_and_requires_a_reason(manager, make_run, learners):
    run = make_run(capacity=2)
    for learner in learners(3):
        enrol(learner, run)

    response = run_action(manager, "cancel_runs", run)
    assert response.status_code == 302
    page = manager.get(response.url)
    assert page.status_code == 200
    assert "3 deelnemers krijgen een e-mail" in page.content.decode()
    assert 'name="reason"' in page.content.decode()

    refused = manager.post(response.url, {"ids": run.pk, "reason": ""})

    assert refused.status_code == 200
    assert "reason" in refused.context["form"].errors
    run.refresh_from_db()
    assert run.status == Offering.Status.OPEN


def test_cancelling_a_run_with_50_participants_sends_50_mails_once_each(
    manager, make_run, learners
):
    run = make_run(capacity=40)
    people = learners(50)
    for learner in people:
        enrol(learner, run)  # 40 seated, 10 waiting

    confirm = run_action(manager, "cancel_runs", run).url
    response = manager.post(confirm, {"ids": run.pk, "reason": "De docent is ziek."})

    assert response.status_code == 302
    assert any("50 deelnemers krijgen een e-mail" in text for text in page_messages(response))
    run.refresh_from_db()
    assert (run.status, run.cancellation_reason, run.confirmed_count) == (
        Offering.Status.CANCELLED,
        "De docent is ziek.",
        0,
    )
    owed = list(
        Notification.objects.filter(template="offering_cancelled").values_list("pk", flat=True)
    )
    assert len(owed) == 50
    for _round in range(2):  # a retried task must not send anything twice
        for notification_id in owed:
            outbox.deliver(notification_id)
    assert len(mail.outbox) == 50
    assert {message.to[0] for message in mail.outbox} == {learner.email for learner in people}
    assert all("De docent is ziek." in message.body for message in mail.outbox)


def test_cancel_action_reports_a_run_it_could_not_cancel(manager, make_run, staff_user):
    done, fresh = make_run(), make_run()
    services.cancel_offering(offering_id=done.pk, actor=staff_user, reason="Eerder")
    confirm = run_action(manager, "cancel_runs", done, fresh).url

    response = manager.post(confirm, {"ids": [done.pk, fresh.pk], "reason": "Te weinig animo"})

    assert response.status_code == 302
    texts = page_messages(response)
    assert any("al geannuleerd" in text for text in texts)
    assert any("1 uitvoering geannuleerd" in text for text in texts)
    fresh.refresh_from_db()
    assert fresh.status == Offering.Status.CANCELLED


# --- Admin: move participants ----------------------------------------------------------------


def test_move_action_lists_participants_and_target_runs_and_moves(manager, make_run, learners):
    source = make_run(capacity=2)
    target = make_run(capacity=3, course=source.course)
    make_run()  # another course: not offered as a target
    anna, bert, carla = learners(3)
    for learner in (anna, bert, carla):
        enrol(learner, source)

    response = run_action(manager, "move_participants", source)
    assert response.status_code == 302
    page = manager.get(response.url)
    assert page.status_code == 200
    html = page.content.decode()
    for learner in (anna, bert, carla):
        assert learner.email in html
    assert list(page.context["form"].fields["target"].queryset) == [target]
    assert "3 plaatsen vrij" in html

    chosen = Enrolment.objects.filter(offering=source, learner__in=[anna, carla])
    done = manager.post(
        response.url,
        {"enrolments": list(chosen.values_list("pk", flat=True)), "target": target.pk},
    )

    assert done.status_code == 302
    assert any("2 deelnemers verplaatst" in text for text in page_messages(done))
    assert statuses(target) == {anna.email: ("confirmed", None), carla.email: ("confirmed", None)}
    assert statuses(source) == {bert.email: ("confirmed", None)}


def test_move_action_wants_one_run_and_a_target(manager, make_run, learners):
    source, other = make_run(), make_run()
    response = run_action(manager, "move_participants", source, other)
    assert response.status_code == 302
    assert response.url == reverse(CHANGELIST)
    assert any("precies één" in text for text in page_messages(response))

    enrolment = enrol(learners(1)[0], source)
    url = reverse("admin:catalogue_offering_move", args=[source.pk])
    refused = manager.post(url, {"enrolments": [enrolment.pk], "target": other.pk})
    assert refused.status_code == 200
    assert "target" in refused.context["form"].errors
    enrolment.refresh_from_db()
    assert enrolment.status == "confirmed"


# --- Admin: duplicate ------------------------------------------------------------------------


def test_duplicate_action_makes_a_concept_copy_weeks_later(manager, make_run):
    run = make_run(days=10)

    response = run_action(manager, "duplicate_runs", run)
    page = manager.get(response.url)
    assert page.status_code == 200
    assert page.context["form"]["weeks"].value() == 1

    assert manager.post(response.url, {"ids": run.pk, "weeks": 0}).status_code == 200
    assert manager.post(response.url, {"ids": run.pk, "weeks": 53}).status_code == 200
    assert Offering.objects.count() == 1

    done = manager.post(response.url, {"ids": run.pk, "weeks": 2})

    copy = Offering.objects.exclude(pk=run.pk).get()
    assert done.status_code == 302
    assert done.url == reverse("admin:catalogue_offering_change", args=[copy.pk])
    assert copy.status == Offering.Status.CONCEPT
    first_old = run.meetings.get().starts_at
    assert timezone.localtime(copy.meetings.get().starts_at).date() == (
        timezone.localtime(first_old).date() + timedelta(weeks=2)
    )


# --- Admin: remind now -----------------------------------------------------------------------


def test_remind_action_sends_once_per_day(manager, make_run, learners):
    run = make_run(capacity=2)
    for learner in learners(3):
        enrol(learner, run)

    response = run_action(manager, "send_reminders", run)
    page = manager.get(response.url)
    assert page.status_code == 200
    assert "2 bevestigde deelnemers" in page.content.decode()

    first = manager.post(response.url, {"ids": run.pk})
    second = manager.post(response.url, {"ids": run.pk})

    assert any("2 herinneringen verstuurd" in text for text in page_messages(first))
    assert any("0 herinneringen verstuurd" in text for text in page_messages(second))
    assert Notification.objects.filter(template="enrolment_reminder").count() == 2


# --- Admin: status on the change form --------------------------------------------------------


def test_status_is_read_only_once_a_run_is_past_concept(manager, make_run):
    run = make_run()
    url = reverse("admin:catalogue_offering_change", args=[run.pk])

    page = manager.get(url)
    assert "status" not in page.context["adminform"].form.fields

    manager.post(
        url,
        {
            "course": run.course_id,
            "location": run.location_id,
            "status": Offering.Status.CANCELLED,
            "capacity": run.capacity,
            "min_participants": 1,
            "meetings-TOTAL_FORMS": 0,
            "meetings-INITIAL_FORMS": 0,
            "enrolments-TOTAL_FORMS": 0,
            "enrolments-INITIAL_FORMS": 0,
        },
    )
    run.refresh_from_db()
    assert run.status == Offering.Status.OPEN
    # The course page's inline uses the same form: there the field is shown, but disabled.
    inline_form = modelform_factory(Offering, form=OfferingForm, fields=["status", "capacity"])
    assert inline_form(instance=run).fields["status"].disabled


def test_concept_run_can_be_opened_on_the_change_form(manager, make_run):
    run = make_run(status=Offering.Status.CONCEPT)
    url = reverse("admin:catalogue_offering_change", args=[run.pk])
    assert "status" in manager.get(url).context["adminform"].form.fields

    response = manager.post(
        url,
        {
            "course": run.course_id,
            "location": run.location_id,
            "status": Offering.Status.OPEN,
            "capacity": run.capacity,
            "min_participants": 1,
            "meetings-TOTAL_FORMS": 0,
            "meetings-INITIAL_FORMS": 0,
            "enrolments-TOTAL_FORMS": 0,
            "enrolments-INITIAL_FORMS": 0,
        },
    )

    assert response.status_code == 302
    run.refresh_from_db()
    assert run.status == Offering.Status.OPEN


# --- Admin: participant list exports ---------------------------------------------------------


@pytest.fixture
def run_with_attendance(make_run, learners):
    """A run with two meetings: anna attended the first and missed the second, bert waits,
    carla cancelled (not on the list); anna's company has a name that is a formula."""
    run = make_run(capacity=1)
    first = Meeting.objects.get(offering=run)
    second = MeetingFactory(
        offering=run,
        starts_at=first.starts_at + timedelta(days=7),
        ends_at=first.ends_at + timedelta(days=7),
    )
    anna, bert, carla = learners(3)
    anna.last_name = '=HYPERLINK("https://evil.example","Klik")'
    anna.save(update_fields=["last_name"])
    company = CompanyFactory(name="@Kampstaal")
    seated = services.enrol_learner(learner=anna, offering_id=run.pk, company=company)
    enrol(bert, run)
    services.cancel_enrolment(enrolment_id=enrol(carla, run).pk, actor=carla)
    Attendance.objects.create(enrolment=seated, meeting=first, present=True)
    Attendance.objects.create(enrolment=seated, meeting=second, present=False)
    return run, [first, second], (anna, bert, carla)


def test_csv_export_has_a_row_per_participant_with_attendance_per_meeting(
    manager, run_with_attendance
):
    run, meetings, (anna, bert, _carla) = run_with_attendance

    response = run_action(manager, "export_participants_csv", run)

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    text = response.content.decode("utf-8-sig")
    header, *rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    dates = [timezone.localdate(meeting.starts_at).isoformat() for meeting in meetings]
    assert header[-2:] == [f"Bijeenkomst 1 ({dates[0]})", f"Bijeenkomst 2 ({dates[1]})"]
    assert len(rows) == 2  # carla cancelled
    by_email = {row[header.index("E-mailadres")]: row for row in rows}
    assert set(by_email) == {anna.email, bert.email}
    anna_row, bert_row = by_email[anna.email], by_email[bert.email]
    assert anna_row[-2:] == ["aanwezig", "afwezig"]
    assert bert_row[-2:] == ["–", "–"]
    assert anna_row[header.index("Status")] == "bevestigd"
    assert (bert_row[header.index("Status")], bert_row[header.index("Plaats op wachtlijst")]) == (
        "wachtlijst",
        "1",
    )
    # Formula injection neutralised: the cells start with an apostrophe.
    assert anna_row[header.index("Achternaam")] == "'" + anna.last_name
    assert anna_row[header.index("Bedrijf")] == "'@Kampstaal"


def test_xlsx_export_has_a_row_per_participant_with_attendance_per_meeting(
    manager, run_with_attendance, make_run
):
    run, _meetings, (anna, bert, _carla) = run_with_attendance
    empty = make_run(course=run.course)

    response = run_action(manager, "export_participants_xlsx", run, empty)

    assert response.status_code == 200
    assert "spreadsheetml" in response["Content-Type"]
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    header, *rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert header[-2:] == ["Bijeenkomst 1", "Bijeenkomst 2"]  # several runs: numbered
    assert len(rows) == 2
    by_email = {row[header.index("E-mailadres")]: row for row in rows}
    assert by_email[anna.email][-2:] == ["aanwezig", "afwezig"]
    assert by_email[bert.email][-2:] == ["–", "–"]
    assert by_email[anna.email][header.index("Achternaam")].startswith("'=")
    assert by_email[bert.email][header.index("Plaats op wachtlijst")] == 1


# --- Admin: the outbox -----------------------------------------------------------------------


def test_resend_action_sends_a_failed_mail_again_once(manager, make_run, learners):
    enrolment = enrol(learners(1)[0], make_run())
    failed = Notification.objects.get(enrolment=enrolment)
    Notification.objects.filter(pk=failed.pk).update(
        failed_at=timezone.now(), attempts=outbox.MAX_ATTEMPTS, last_error="SMTPException: boom"
    )
    changelist = reverse("admin:enrolment_notification_changelist")
    listed = manager.get(changelist, {"status": "failed"}).context["cl"].result_list
    assert [n.pk for n in listed] == [failed.pk]
    change = manager.get(reverse("admin:enrolment_notification_change", args=[failed.pk]))
    assert "SMTPException: boom" in change.content.decode()

    response = manager.post(changelist, {"action": "resend", "_selected_action": [failed.pk]})

    assert response.status_code == 302
    assert any("1 bericht wordt opnieuw verstuurd" in text for text in page_messages(response))
    assert outbox.deliver(failed.pk) is True
    assert outbox.deliver(failed.pk) is False
    assert len(mail.outbox) == 1
    failed.refresh_from_db()
    assert failed.sent_at is not None
    assert failed.failed_at is None
    assert [
        n.pk for n in manager.get(changelist, {"status": "sent"}).context["cl"].result_list
    ] == [failed.pk]


def test_resend_action_sends_a_sent_mail_again_but_skips_unsent_ones(manager, make_run, learners):
    run = make_run()
    sent = Notification.objects.get(enrolment=enrol(learners(1)[0], run))
    pending = Notification.objects.get(enrolment=enrol(learners(1)[0], run))
    assert outbox.deliver(sent.pk) is True
    changelist = reverse("admin:enrolment_notification_changelist")
    assert [
        n.pk for n in manager.get(changelist, {"status": "unsent"}).context["cl"].result_list
    ] == [pending.pk]

    response = manager.post(
        changelist, {"action": "resend", "_selected_action": [sent.pk, pending.pk]}
    )

    texts = page_messages(response)
    assert any("1 bericht wordt opnieuw verstuurd" in text for text in texts)
    assert any("overgeslagen" in text for text in texts)
    assert outbox.deliver(sent.pk) is True
    assert len(mail.outbox) == 2


def test_resend_action_skips_a_mail_whose_content_the_retention_period_emptied(
    manager, make_run, learners, settings
):
    old = Notification.objects.get(enrolment=enrol(learners(1)[0], make_run()))
    assert outbox.deliver(old.pk) is True
    long_ago = timezone.now() - timedelta(days=settings.PRIVACY_MAIL_RETENTION_DAYS + 1)
    Notification.objects.filter(pk=old.pk).update(created_at=long_ago, context={})

    response = manager.post(
        reverse("admin:enrolment_notification_changelist"),
        {"action": "resend", "_selected_action": [old.pk]},
    )

    assert any("te oud" in text for text in page_messages(response))
    assert not any("opnieuw verstuurd" in text for text in page_messages(response))
    assert outbox.deliver(old.pk) is False
    assert len(mail.outbox) == 1


@pytest.mark.parametrize("language", ["nl", "en"])
def test_moved_mail_names_the_old_date_and_the_new_place_with_a_calendar(
    make_run, learners, staff_user, language
):
    source = make_run(capacity=1)
    target = make_run(capacity=1, course=source.course, days=60)
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
    assert [a.mimetype for a in rendered.attachments] == ["text/calendar"]
