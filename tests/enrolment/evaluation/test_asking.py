"""Asking: who attended a run that ended gets one mail with a personal link, and one reminder."""

from datetime import timedelta
from unittest import mock

import pytest
from django.core import signing
from django.db.models import ForeignKey, OneToOneField
from django.test import override_settings
from django.utils import timezone

from enrolment import emails
from enrolment.evaluation import services, tokens
from enrolment.models import EvaluationAnswer, EvaluationRequest, Notification
from enrolment.tasks import queue_evaluations

from .helpers import ended_offering, participant

pytestmark = pytest.mark.django_db


def test_who_was_present_is_asked_and_who_was_not_is_not():
    offering = ended_offering()
    present = participant(offering, state="present")
    absent = participant(offering, state="absent")
    excused = participant(offering, state="excused")
    no_show = participant(offering, state=None, status="no_show")
    cancelled = participant(offering, state="present", status="cancelled")

    asked = services.queue_evaluation_requests(now=timezone.now())

    assert asked == 1
    assert list(EvaluationRequest.objects.values_list("enrolment", flat=True)) == [present.pk]
    assert not EvaluationRequest.objects.filter(
        enrolment__in=[absent, excused, no_show, cancelled]
    ).exists()


def test_without_any_attendance_the_outcome_decides_who_attended():
    offering = ended_offering(status="completed")
    completed = participant(offering, state=None, status="completed")
    not_completed = participant(offering, state=None, status="not_completed")
    no_show = participant(offering, state=None, status="no_show")
    confirmed = participant(offering, state=None, status="confirmed")

    services.queue_evaluation_requests(now=timezone.now())

    asked = set(EvaluationRequest.objects.values_list("enrolment", flat=True))
    assert asked == {completed.pk, not_completed.pk}
    assert no_show.pk not in asked and confirmed.pk not in asked


def test_once_attendance_was_taken_an_outcome_without_presence_is_not_asked():
    offering = ended_offering(status="completed")
    participant(offering, state="present", status="completed")
    excused_only = participant(offering, state="excused", status="not_completed")

    services.queue_evaluation_requests(now=timezone.now())

    assert not EvaluationRequest.objects.filter(enrolment=excused_only).exists()


def test_runs_not_ended_cancelled_or_long_ago_are_not_asked_about():
    now = timezone.now()
    running = ended_offering(days_ago=-2)  # its meeting is the day after tomorrow
    cancelled = ended_offering(status="cancelled")
    long_ago = ended_offering(days_ago=45)
    for offering in (running, cancelled, long_ago):
        participant(offering)

    assert services.queue_evaluation_requests(now=now) == 0
    assert not EvaluationRequest.objects.exists()


def test_an_erased_learner_is_not_asked():
    offering = ended_offering()
    participant(offering, erased_at=timezone.now())

    assert services.queue_evaluation_requests(now=timezone.now()) == 0


def test_the_task_run_twice_asks_once_and_reminds_once():
    offering = ended_offering()
    enrolment = participant(offering, preferred_language="en")
    first = timezone.now()

    queue_evaluations()
    queue_evaluations()

    request = EvaluationRequest.objects.get(enrolment=enrolment)
    mails = Notification.objects.filter(recipient=enrolment.learner)
    assert list(mails.values_list("template", flat=True)) == ["evaluation_request"]
    assert mails.get().language == "en"

    later = first + timedelta(days=7, minutes=1)
    assert services.queue_evaluation_reminders(now=later - timedelta(days=1)) == 0
    assert services.queue_evaluation_reminders(now=later) == 1
    assert services.queue_evaluation_reminders(now=later) == 0
    assert services.queue_evaluation_reminders(now=later + timedelta(days=30)) == 0
    assert services.queue_evaluation_requests(now=later) == 0
    request.refresh_from_db()
    assert request.reminded_at == later
    assert sorted(mails.values_list("template", flat=True)) == [
        "evaluation_reminder",
        "evaluation_request",
    ]


def test_who_answered_is_not_reminded():
    offering = ended_offering()
    enrolment = participant(offering)
    now = timezone.now()
    services.queue_evaluation_requests(now=now)
    request = EvaluationRequest.objects.get(enrolment=enrolment)
    services.answer_evaluation(request_id=request.pk, content=4, trainer=4, practical=4, now=now)

    assert services.queue_evaluation_reminders(now=now + timedelta(days=8)) == 0
    assert not Notification.objects.filter(template="evaluation_reminder").exists()


@override_settings(EVALUATION_REMINDER_DAYS=3)
def test_the_reminder_waits_the_days_the_setting_says():
    participant(ended_offering())
    now = timezone.now()
    services.queue_evaluation_requests(now=now)

    assert services.queue_evaluation_reminders(now=now + timedelta(days=2)) == 0
    assert services.queue_evaluation_reminders(now=now + timedelta(days=3)) == 1


def test_the_mail_carries_a_personal_link_in_the_learners_language():
    offering = ended_offering(course__title="TIG-lassen RVS", course__title_en="TIG welding")
    dutch = participant(offering, first_name="Fenna")
    english = participant(offering, first_name="Piotr", preferred_language="en")
    services.queue_evaluation_requests(now=timezone.now())

    for enrolment, prefix, words in (
        (dutch, "/evaluatie/", "Hoe was TIG-lassen RVS?"),
        (english, "/en/evaluation/", "How was TIG welding?"),
    ):
        notification = Notification.objects.get(recipient=enrolment.learner)
        assert "token" not in str(notification.context)  # the token is never stored
        rendered = emails.render(notification)
        assert words in rendered.subject or words in rendered.text
        link = next(line for line in rendered.text.split() if prefix in line)
        token = link.rstrip("/").rsplit("/", 1)[1]
        request = EvaluationRequest.objects.get(enrolment=enrolment)
        assert tokens.read_token(token) == request.pk
        assert link in rendered.html


def test_the_admins_preview_of_the_mail_holds_no_working_link():
    enrolment = participant(ended_offering())
    services.queue_evaluation_requests(now=timezone.now())
    notification = Notification.objects.get(recipient=enrolment.learner)

    preview = emails.render(notification, with_attachments=False)

    assert f"/evaluatie/{tokens.PLACEHOLDER}/" in preview.text
    with pytest.raises(tokens.BadToken):
        tokens.read_token(tokens.PLACEHOLDER)


def test_a_changed_token_is_bad_and_an_old_one_expired():
    token = tokens.make_token(41)
    assert tokens.read_token(token) == 41
    with pytest.raises(tokens.BadToken):
        tokens.read_token(token[:-2] + ("AA" if not token.endswith("AA") else "BB"))
    with pytest.raises(tokens.BadToken):
        tokens.read_token(signing.dumps({"r": 41}, salt="another.purpose"))
    with pytest.raises(tokens.BadToken):
        tokens.read_token(signing.dumps({"r": "41"}, salt=tokens.SALT))
    sixty_one_days = timezone.now() + timedelta(days=61)
    with (
        mock.patch("django.core.signing.time.time", return_value=sixty_one_days.timestamp()),
        pytest.raises(tokens.ExpiredToken),
    ):
        tokens.read_token(token)


def test_an_answer_has_no_path_to_a_person_and_no_time_of_day():
    fields = {field.name: field for field in EvaluationAnswer._meta.get_fields()}
    relations = [
        field.related_model._meta.label
        for field in fields.values()
        if isinstance(field, (ForeignKey, OneToOneField)) or field.is_relation
    ]
    assert relations == ["catalogue.Offering"]
    assert fields["answered_on"].get_internal_type() == "DateField"
    assert not any(
        field.get_internal_type() == "DateTimeField"
        for field in fields.values()
        if not field.is_relation
    )
