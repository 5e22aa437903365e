"""The outbox: mail is written with the change, sent after commit, never lost, never twice."""

import threading
import time
from pathlib import Path
from unittest import mock

import pytest
from django.conf import settings
from django.core import mail
from django.db import connection

from enrolment import outbox, services
from enrolment.models import Notification
from technohub import embedded

pytestmark = pytest.mark.django_db
# For tests that need real commits: hooks that run after one, threads, a worker in a process.
committing = pytest.mark.django_db(transaction=True)


def enrol_someone(make_offering, learners):
    offering = make_offering(capacity=5)
    (learner,) = learners(1)
    return services.enrol_learner(learner=learner, offering_id=offering.pk)


def wait_for(condition, *, seconds: float = 30.0) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.2)


def mails_in(folder: Path) -> list[str]:
    return [path.read_text() for path in sorted(folder.iterdir())]


@committing
def test_notification_is_published_only_after_commit(make_offering, learners):
    with mock.patch.object(outbox, "publish") as publish:
        enrolment = enrol_someone(make_offering, learners)
    notification = Notification.objects.get(enrolment=enrolment)
    publish.assert_called_once_with(notification.pk)


@committing
def test_failed_enrolment_leaves_no_mail(make_offering, learners):
    offering = make_offering(status="cancelled")
    with mock.patch.object(outbox, "publish") as publish, pytest.raises(services.EnrolmentRefused):
        services.enrol_learner(learner=learners(1)[0], offering_id=offering.pk)
    assert not Notification.objects.exists()
    publish.assert_not_called()


def test_deliver_sends_once_even_when_run_twice(make_offering, learners):
    enrolment = enrol_someone(make_offering, learners)
    notification = Notification.objects.get(enrolment=enrolment)
    mail.outbox.clear()

    assert outbox.deliver(notification.pk) is True
    assert outbox.deliver(notification.pk) is False

    assert len(mail.outbox) == 1
    sent = mail.outbox[0]
    assert sent.to == [enrolment.learner.email]
    assert enrolment.offering.course.title in sent.subject
    assert sent.alternatives[0].mimetype == "text/html"
    # Sent again after a crash, it is the same message to every mail server and client.
    assert sent.extra_headers["Message-ID"] == f"<notification-{notification.pk}@technohub-nop.nl>"
    assert [name for name, _content, _type in sent.attachments] == [
        f"{enrolment.offering.course.slug}-{enrolment.offering.pk}.ics"
    ]
    notification.refresh_from_db()
    assert notification.sent_at is not None
    assert notification.attempts == 1


@committing
def test_two_workers_delivering_at_once_send_one_mail(make_offering, learners):
    enrolment = enrol_someone(make_offering, learners)
    notification = Notification.objects.get(enrolment=enrolment)
    sent = []
    barrier = threading.Barrier(4)

    def worker():
        barrier.wait()
        try:
            sent.append(outbox.deliver(notification.pk))
        finally:
            connection.close()

    with mock.patch("technohub.mail.send_mail") as send:
        threads = [threading.Thread(target=worker) for _ in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    assert sorted(sent) == [False, False, False, True]
    assert send.call_count == 1


def test_a_failed_send_is_recorded_and_tried_again_later(make_offering, learners):
    enrolment = enrol_someone(make_offering, learners)
    notification = Notification.objects.get(enrolment=enrolment)
    with (
        mock.patch("technohub.mail.send_mail", side_effect=ConnectionRefusedError("smtp down")),
        pytest.raises(ConnectionRefusedError),
    ):
        outbox.deliver(notification.pk)
    notification.refresh_from_db()
    assert notification.sent_at is None
    assert notification.claimed_until is None
    assert "smtp down" in notification.last_error
    assert outbox.deliver(notification.pk) is True


def test_mail_is_rendered_in_the_recipients_language(make_offering, learners):
    offering = make_offering()
    (learner,) = learners(1)
    learner.preferred_language = "en"
    learner.save()
    services.enrol_learner(learner=learner, offering_id=offering.pk)
    mail.outbox.clear()
    outbox.deliver(Notification.objects.get().pk)
    dutch_subject = "Je bent ingeschreven"
    assert dutch_subject not in mail.outbox[0].subject
    assert 'lang="en"' in mail.outbox[0].alternatives[0].content


def test_sweep_publishes_only_unsent_unclaimed_rows_past_the_grace_period(make_offering, learners):
    enrolment = enrol_someone(make_offering, learners)
    fresh = Notification.objects.get(enrolment=enrolment)
    with mock.patch.object(outbox, "publish", return_value=True) as publish:
        assert outbox.sweep() == 0
        later = fresh.created_at + outbox.SWEEP_GRACE * 2
        assert outbox.sweep(now=later) == 1
        publish.assert_called_once_with(fresh.pk)
        outbox.deliver(fresh.pk)
        assert outbox.sweep(now=later) == 0  # sent: nothing left to publish
        assert publish.call_count == 1


@committing
def test_a_real_worker_delivers_through_the_broker(make_offering, learners, celery_worker):
    enrolment = enrol_someone(make_offering, learners)
    notification = Notification.objects.get(enrolment=enrolment)

    wait_for(
        lambda: Notification.objects.filter(pk=notification.pk, sent_at__isnull=False).exists()
    )

    sent = mails_in(celery_worker)
    assert len(sent) == 1
    assert enrolment.learner.email in sent[0]
    assert "text/calendar" in sent[0]


@committing
def test_with_redis_down_enrolling_works_and_the_mail_follows_once_it_is_back(
    make_offering, learners, celery_worker
):
    profile = settings.EMBEDDED_PROFILE
    if not settings.CELERY_BROKER_URL.startswith(embedded.redis_url(profile)[:-2]):
        pytest.fail("This drill stops the embedded Redis; run it without REDIS_URL.")
    embedded.stop_redis(profile)
    try:
        enrolment = enrol_someone(make_offering, learners)
    finally:
        embedded.start_redis(profile)
    notification = Notification.objects.get(enrolment=enrolment)
    assert notification.sent_at is None
    assert enrolment.status == "confirmed"

    later = notification.created_at + outbox.SWEEP_GRACE * 2
    assert outbox.sweep(now=later) == 1
    wait_for(
        lambda: Notification.objects.filter(pk=notification.pk, sent_at__isnull=False).exists()
    )
    outbox.sweep(now=later)
    time.sleep(1)
    assert len(mails_in(celery_worker)) == 1
