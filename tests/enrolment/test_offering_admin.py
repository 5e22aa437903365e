"""The programme manager runs the hub from the admin: cancel, move, duplicate, remind, export,
and send outbox mail again, each action through the test client as a superuser. The services
behind them are tested in ``test_offering_services``."""

import csv
import io
from datetime import timedelta

import openpyxl
import pytest
from django.core import mail
from django.forms import modelform_factory
from django.urls import reverse
from django.utils import timezone

from catalogue.admin.offering_forms import OfferingForm
from catalogue.models import Meeting, Offering
from enrolment import outbox, services
from enrolment.models import Attendance, Enrolment, Notification
from tests.factories import CompanyFactory, MeetingFactory, UserFactory
from tests.races import statuses

pytestmark = pytest.mark.django_db(transaction=True)

CHANGELIST = "admin:catalogue_offering_changelist"


def enrol(learner, offering) -> Enrolment:
    return services.enrol_learner(learner=learner, offering_id=offering.pk)


def run_action(client, action: str, *offerings):
    """Choose ``action`` for the offerings on the changelist, as the action drop-down does."""
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


# --- Admin: access ---------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["anonymous", "learner"])
def test_offering_action_pages_send_non_staff_to_the_admin_login(client, make_offering, who):
    offering = make_offering()
    if who == "learner":
        client.force_login(UserFactory())
    urls = [
        reverse("admin:catalogue_offering_cancel") + f"?ids={offering.pk}",
        reverse("admin:catalogue_offering_move", args=[offering.pk]),
        reverse("admin:catalogue_offering_duplicate") + f"?ids={offering.pk}",
        reverse("admin:catalogue_offering_remind") + f"?ids={offering.pk}",
    ]
    for url in urls:
        for response in (client.get(url), client.post(url, {"ids": offering.pk, "reason": "x"})):
            assert response.status_code == 302, url
            assert response.url.startswith(reverse("admin:login")), url
    offering.refresh_from_db()
    assert offering.status == Offering.Status.OPEN


# --- Admin: cancel with a reason -------------------------------------------------------------


def test_cancel_action_shows_a_confirmation_page_and_requires_a_reason(
    manager, make_offering, learners
):
    offering = make_offering(capacity=2)
    for learner in learners(3):
        enrol(learner, offering)

    response = run_action(manager, "cancel_offerings", offering)
    assert response.status_code == 302
    page = manager.get(response.url)
    assert page.status_code == 200
    assert "3 deelnemers krijgen een e-mail" in page.content.decode()
    assert 'name="reason"' in page.content.decode()

    refused = manager.post(response.url, {"ids": offering.pk, "reason": ""})

    assert refused.status_code == 200
    assert "reason" in refused.context["form"].errors
    offering.refresh_from_db()
    assert offering.status == Offering.Status.OPEN


def test_cancelling_a_offering_with_50_participants_sends_50_mails_once_each(
    manager, make_offering, learners
):
    offering = make_offering(capacity=40)
    people = learners(50)
    for learner in people:
        enrol(learner, offering)  # 40 seated, 10 waiting

    confirm = run_action(manager, "cancel_offerings", offering).url
    response = manager.post(confirm, {"ids": offering.pk, "reason": "De docent is ziek."})

    assert response.status_code == 302
    assert any("50 deelnemers krijgen een e-mail" in text for text in page_messages(response))
    offering.refresh_from_db()
    assert (offering.status, offering.cancellation_reason, offering.confirmed_count) == (
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


def test_cancel_action_reports_a_offering_it_could_not_cancel(manager, make_offering, staff_user):
    done, fresh = make_offering(), make_offering()
    services.cancel_offering(offering_id=done.pk, actor=staff_user, reason="Eerder")
    confirm = run_action(manager, "cancel_offerings", done, fresh).url

    response = manager.post(confirm, {"ids": [done.pk, fresh.pk], "reason": "Te weinig animo"})

    assert response.status_code == 302
    texts = page_messages(response)
    assert any("al geannuleerd" in text for text in texts)
    assert any("1 uitvoering geannuleerd" in text for text in texts)
    fresh.refresh_from_db()
    assert fresh.status == Offering.Status.CANCELLED


# --- Admin: move participants ----------------------------------------------------------------


def test_move_action_lists_participants_and_target_offerings_and_moves(
    manager, make_offering, learners
):
    source = make_offering(capacity=2)
    target = make_offering(capacity=3, course=source.course)
    make_offering()  # another course: not offered as a target
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


def test_move_action_wants_one_offering_and_a_target(manager, make_offering, learners):
    source, other = make_offering(), make_offering()
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


def test_duplicate_action_makes_a_concept_copy_weeks_later(manager, make_offering):
    offering = make_offering(days=10)

    response = run_action(manager, "duplicate_offerings", offering)
    page = manager.get(response.url)
    assert page.status_code == 200
    assert page.context["form"]["weeks"].value() == 1

    assert manager.post(response.url, {"ids": offering.pk, "weeks": 0}).status_code == 200
    assert manager.post(response.url, {"ids": offering.pk, "weeks": 53}).status_code == 200
    assert Offering.objects.count() == 1

    done = manager.post(response.url, {"ids": offering.pk, "weeks": 2})

    copy = Offering.objects.exclude(pk=offering.pk).get()
    assert done.status_code == 302
    assert done.url == reverse("admin:catalogue_offering_change", args=[copy.pk])
    assert copy.status == Offering.Status.CONCEPT
    first_old = offering.meetings.get().starts_at
    assert timezone.localtime(copy.meetings.get().starts_at).date() == (
        timezone.localtime(first_old).date() + timedelta(weeks=2)
    )


# --- Admin: remind now -----------------------------------------------------------------------


def test_remind_action_sends_once_per_day(manager, make_offering, learners):
    offering = make_offering(capacity=2)
    for learner in learners(3):
        enrol(learner, offering)

    response = run_action(manager, "send_reminders", offering)
    page = manager.get(response.url)
    assert page.status_code == 200
    assert "2 bevestigde deelnemers" in page.content.decode()

    first = manager.post(response.url, {"ids": offering.pk})
    second = manager.post(response.url, {"ids": offering.pk})

    assert any("2 herinneringen verstuurd" in text for text in page_messages(first))
    assert any("0 herinneringen verstuurd" in text for text in page_messages(second))
    assert Notification.objects.filter(template="enrolment_reminder").count() == 2


# --- Admin: status on the change form --------------------------------------------------------


def test_status_is_read_only_once_a_offering_is_past_concept(manager, make_offering):
    offering = make_offering()
    url = reverse("admin:catalogue_offering_change", args=[offering.pk])

    page = manager.get(url)
    assert "status" not in page.context["adminform"].form.fields

    manager.post(
        url,
        {
            "course": offering.course_id,
            "location": offering.location_id,
            "status": Offering.Status.CANCELLED,
            "capacity": offering.capacity,
            "min_participants": 1,
            "meetings-TOTAL_FORMS": 0,
            "meetings-INITIAL_FORMS": 0,
            "enrolments-TOTAL_FORMS": 0,
            "enrolments-INITIAL_FORMS": 0,
        },
    )
    offering.refresh_from_db()
    assert offering.status == Offering.Status.OPEN
    # The course page's inline uses the same form: there the field is shown, but disabled.
    inline_form = modelform_factory(Offering, form=OfferingForm, fields=["status", "capacity"])
    assert inline_form(instance=offering).fields["status"].disabled


def test_concept_offering_can_be_opened_on_the_change_form(manager, make_offering):
    offering = make_offering(status=Offering.Status.CONCEPT)
    url = reverse("admin:catalogue_offering_change", args=[offering.pk])
    assert "status" in manager.get(url).context["adminform"].form.fields

    response = manager.post(
        url,
        {
            "course": offering.course_id,
            "location": offering.location_id,
            "status": Offering.Status.OPEN,
            "capacity": offering.capacity,
            "min_participants": 1,
            "meetings-TOTAL_FORMS": 0,
            "meetings-INITIAL_FORMS": 0,
            "enrolments-TOTAL_FORMS": 0,
            "enrolments-INITIAL_FORMS": 0,
        },
    )

    assert response.status_code == 302
    offering.refresh_from_db()
    assert offering.status == Offering.Status.OPEN


# --- Admin: participant list exports ---------------------------------------------------------


@pytest.fixture
def offering_with_attendance(make_offering, learners):
    """An offering with two meetings: anna attended the first and missed the second, bert waits,
    carla cancelled (not on the list); anna's company has a name that is a formula."""
    offering = make_offering(capacity=1)
    first = Meeting.objects.get(offering=offering)
    second = MeetingFactory(
        offering=offering,
        starts_at=first.starts_at + timedelta(days=7),
        ends_at=first.ends_at + timedelta(days=7),
    )
    anna, bert, carla = learners(3)
    anna.last_name = '=HYPERLINK("https://evil.example","Klik")'
    anna.save(update_fields=["last_name"])
    company = CompanyFactory(name="@Kampstaal")
    seated = services.enrol_learner(learner=anna, offering_id=offering.pk, company=company)
    enrol(bert, offering)
    services.cancel_enrolment(enrolment_id=enrol(carla, offering).pk, actor=carla)
    Attendance.objects.create(enrolment=seated, meeting=first, state="present")
    Attendance.objects.create(enrolment=seated, meeting=second, state="absent")
    return offering, [first, second], (anna, bert, carla)


def test_csv_export_has_a_row_per_participant_with_attendance_per_meeting(
    manager, offering_with_attendance
):
    offering, meetings, (anna, bert, _carla) = offering_with_attendance

    response = run_action(manager, "export_participants_csv", offering)

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
    manager, offering_with_attendance, make_offering
):
    offering, _meetings, (anna, bert, _carla) = offering_with_attendance
    empty = make_offering(course=offering.course)

    response = run_action(manager, "export_participants_xlsx", offering, empty)

    assert response.status_code == 200
    assert "spreadsheetml" in response["Content-Type"]
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    header, *rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert header[-2:] == ["Bijeenkomst 1", "Bijeenkomst 2"]  # several offerings: numbered
    assert len(rows) == 2
    by_email = {row[header.index("E-mailadres")]: row for row in rows}
    assert by_email[anna.email][-2:] == ["aanwezig", "afwezig"]
    assert by_email[bert.email][-2:] == ["–", "–"]
    assert by_email[anna.email][header.index("Achternaam")].startswith("'=")
    assert by_email[bert.email][header.index("Plaats op wachtlijst")] == 1


# --- Admin: the outbox -----------------------------------------------------------------------


def test_resend_action_sends_a_failed_mail_again_once(manager, make_offering, learners):
    enrolment = enrol(learners(1)[0], make_offering())
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


def test_resend_action_sends_a_sent_mail_again_but_skips_unsent_ones(
    manager, make_offering, learners
):
    offering = make_offering()
    sent = Notification.objects.get(enrolment=enrol(learners(1)[0], offering))
    pending = Notification.objects.get(enrolment=enrol(learners(1)[0], offering))
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
    manager, make_offering, learners, settings
):
    old = Notification.objects.get(enrolment=enrol(learners(1)[0], make_offering()))
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
