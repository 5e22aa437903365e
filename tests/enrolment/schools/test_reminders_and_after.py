"""Reminders before a school visit, the request done after it, and the teacher's evaluation."""

from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone, translation

from enrolment import outbox, tasks
from enrolment.models import Notification, SchoolEvaluation, SchoolRequest, SchoolVisit
from enrolment.schools import after, reminders
from technohub.models import AuditLog
from tests.factories import UserFactory
from tests.races import race

from .conftest import confirmed_visit

pytestmark = pytest.mark.django_db


def today():
    """Read at each use, as the visits are made: a run that passes midnight sees one day."""
    return timezone.localdate()


def reminder_mails() -> list[Notification]:
    return list(Notification.objects.filter(template="school_visit_reminder").order_by("pk"))


# --- Reminders ---------------------------------------------------------------------------------


def test_reminders_go_two_weeks_and_two_days_before_once_each():
    visit = confirmed_visit(days=20)

    assert reminders.send_reminders(today=visit.date - timedelta(days=15)) == 0
    assert reminders.send_reminders(today=visit.date - timedelta(days=14)) == 1
    assert reminders.send_reminders(today=visit.date - timedelta(days=14)) == 0
    assert reminders.send_reminders(today=visit.date - timedelta(days=13)) == 0
    assert reminders.send_reminders(today=visit.date - timedelta(days=2)) == 1
    assert reminders.send_reminders(today=visit.date - timedelta(days=1)) == 0

    sent = reminder_mails()
    assert [mail.context["days_before"] for mail in sent] == [14, 2]
    assert all(mail.recipient == visit.request.teacher for mail in sent)
    visit.refresh_from_db()
    assert visit.reminders_sent == [2, 14]


def test_a_missed_reminder_goes_late_once_and_counts_for_both():
    visit = confirmed_visit(days=5)  # confirmed after the two weeks' reminder day

    assert reminders.send_reminders(today=today()) == 1
    assert reminders.send_reminders(today=visit.date - timedelta(days=2)) == 1
    assert reminders.send_reminders(today=visit.date - timedelta(days=1)) == 0

    assert [mail.context["days_before"] for mail in reminder_mails()] == [14, 2]


def test_a_visit_confirmed_the_day_before_gets_one_reminder():
    visit = confirmed_visit(days=1)

    assert reminders.send_reminders(today=today()) == 1
    assert reminders.send_reminders(today=today()) == 0
    assert [mail.context["days_before"] for mail in reminder_mails()] == [2]
    visit.refresh_from_db()
    assert visit.reminders_sent == [2, 14]


@pytest.mark.parametrize("status", ["planned", "cancelled", "declined"])
def test_no_reminder_without_a_confirmed_visit(status):
    visit = confirmed_visit(days=2)
    SchoolVisit.objects.filter(pk=visit.pk).update(status=status)

    assert reminders.send_reminders(today=today()) == 0


def test_reminder_mail_says_when_and_carries_the_files():
    visit = confirmed_visit(days=2)
    reminders.send_reminders(today=today())

    outbox.deliver(reminder_mails()[0].pk)

    (message,) = mail.outbox
    assert message.subject.startswith("Overmorgen:")
    assert "Overmorgen komt je klas" in message.body
    assert [attachment.filename[-4:] for attachment in message.attachments] == [".ics", ".pdf"]
    assert reverse("school_requests:arrival_sheet", args=[visit.request.pk]) in message.body


def test_two_weeks_reminder_in_english():
    teacher = UserFactory(preferred_language="en")
    confirmed_visit(days=14, teacher=teacher)
    reminders.send_reminders(today=today())

    outbox.deliver(reminder_mails()[0].pk)

    (message,) = mail.outbox
    assert message.subject.startswith("In two weeks:")
    assert "In two weeks your class comes" in message.body


def test_the_daily_task_sends_them():
    confirmed_visit(days=2)
    assert tasks.send_school_visit_reminders() == 1
    assert tasks.send_school_visit_reminders() == 0


@pytest.mark.django_db(transaction=True)
def test_two_runs_at_once_mail_once():
    visit = confirmed_visit(days=2)

    results = race([lambda: reminders.send_reminders(today=today())] * 2)

    assert sorted(results) == [0, 1]
    assert Notification.objects.filter(template="school_visit_reminder").count() == 1
    visit.refresh_from_db()
    assert visit.reminders_sent == [2, 14]


# --- After the visit ---------------------------------------------------------------------------


def test_a_past_visit_makes_the_request_done_and_asks_for_the_evaluation_once():
    visit = confirmed_visit(days=3)
    future = confirmed_visit(days=10)

    assert after.finish_visits(today=visit.date) == 0  # the day itself: not yet
    assert after.finish_visits(today=visit.date + timedelta(days=1)) == 1
    assert after.finish_visits(today=visit.date + timedelta(days=2)) == 0

    visit.request.refresh_from_db()
    future.request.refresh_from_db()
    assert visit.request.status == SchoolRequest.Status.DONE
    assert future.request.status == SchoolRequest.Status.CONFIRMED
    (asked,) = Notification.objects.filter(template="school_evaluation_request")
    assert asked.recipient == visit.request.teacher
    assert asked.context == {"school_request_id": visit.request.pk}
    assert AuditLog.objects.filter(action="school_request.done").count() == 1

    outbox.deliver(asked.pk)
    assert reverse("school_requests:evaluate", args=[visit.request.pk]) in mail.outbox[0].body


def test_a_cancelled_or_unconfirmed_visit_is_not_finished():
    for status in ("planned", "cancelled"):
        visit = confirmed_visit(days=1)
        SchoolVisit.objects.filter(pk=visit.pk).update(status=status)

    assert after.finish_visits(today=today() + timedelta(days=5)) == 0


def test_the_daily_finish_task_runs_once():
    visit = confirmed_visit(days=0)
    SchoolVisit.objects.filter(pk=visit.pk).update(date=today() - timedelta(days=1))
    assert tasks.finish_school_visits() == 1
    assert tasks.finish_school_visits() == 0


@pytest.mark.django_db(transaction=True)
def test_two_finishing_runs_at_once_mail_once():
    visit = confirmed_visit(days=1)
    tomorrow = visit.date + timedelta(days=1)

    results = race([lambda: after.finish_visits(today=tomorrow)] * 2)

    assert sorted(results) == [0, 1]
    assert Notification.objects.filter(template="school_evaluation_request").count() == 1


def done_request():
    visit = confirmed_visit(days=1)
    after.finish_visits(today=visit.date + timedelta(days=1))
    visit.request.refresh_from_db()
    return visit.request


def evaluate_url(school_request) -> str:
    return reverse("school_requests:evaluate", args=[school_request.pk])


def test_teacher_evaluates_once(client):
    school_request = done_request()
    client.force_login(school_request.teacher)

    page = client.get(evaluate_url(school_request))
    assert page.status_code == 200
    assert "Hoe enthousiast waren je leerlingen?" in page.content.decode()
    assert "Evaluatie versturen" in page.content.decode()
    response = client.post(
        evaluate_url(school_request),
        {"engagement": "5", "fit": "4", "improvement": "Meer tijd voor de drone."},
    )
    assert response.status_code == 302
    evaluation = SchoolEvaluation.objects.get()
    assert (evaluation.engagement, evaluation.fit) == (5, 4)
    assert evaluation.improvement == "Meer tijd voor de drone."

    again = client.post(evaluate_url(school_request), {"engagement": "1", "fit": "1"})
    assert again.status_code == 200
    assert "al geëvalueerd" in again.content.decode()
    assert SchoolEvaluation.objects.get().engagement == 5


def test_evaluation_form_shows_errors_next_to_the_questions_in_english(client):
    school_request = done_request()
    client.force_login(school_request.teacher)

    with_errors = client.post(
        _english(evaluate_url, school_request),
        {"improvement": "x" * 1001},
    )

    html = with_errors.content.decode()
    assert with_errors.status_code == 200
    assert "Choose a score from 1 to 5." in html
    assert "Send evaluation" in html
    assert not SchoolEvaluation.objects.exists()


def _english(url_of, school_request) -> str:
    with translation.override("en"):
        return url_of(school_request)


def test_evaluation_is_the_teachers_only_and_after_the_visit(client):
    school_request = done_request()
    url = evaluate_url(school_request)
    assert client.get(url).status_code == 302  # to the login
    client.force_login(UserFactory())
    assert client.get(url).status_code == 404
    assert client.post(url, {"engagement": "5", "fit": "5"}).status_code == 404

    not_yet = confirmed_visit(days=5).request
    client.force_login(not_yet.teacher)
    assert client.get(evaluate_url(not_yet)).status_code == 404
    client.force_login(school_request.teacher)
    assert client.put(url).status_code == 405


def test_evaluate_service_refuses_a_second_answer_and_another_teacher():
    school_request = done_request()
    after.evaluate(
        school_request=school_request, teacher=school_request.teacher, engagement=4, fit=4
    )

    with pytest.raises(after.EvaluationRefused):
        after.evaluate(
            school_request=school_request, teacher=school_request.teacher, engagement=1, fit=1
        )
    with pytest.raises(after.EvaluationRefused):
        after.evaluate(school_request=school_request, teacher=UserFactory(), engagement=1, fit=1)
    assert SchoolEvaluation.objects.count() == 1
