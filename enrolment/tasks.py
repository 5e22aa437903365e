"""Celery tasks of the enrolment app. Tasks take ids, re-read rows, and are safe to repeat."""

import logging

from celery import shared_task
from django.utils import timezone

from . import outbox, services
from .evaluation import services as evaluation_services
from .models import Certificate

logger = logging.getLogger(__name__)


@shared_task(bind=True, max_retries=outbox.MAX_ATTEMPTS, default_retry_delay=60)
def send_notification(self, notification_id: int) -> bool:
    """Send one outbox row. Does nothing if it was sent already or another worker holds it;
    retries with back-off when the mail server fails."""
    try:
        return outbox.deliver(notification_id)
    except Exception as error:
        raise self.retry(exc=error, countdown=60 * 2**self.request.retries) from error


@shared_task
def publish_notifications(notification_ids: list[int]) -> int:
    """Hand many outbox rows to workers one by one (a bulk action's mail, off the request)."""
    return outbox.publish_each(notification_ids)


@shared_task
def sweep_outbox() -> int:
    """Re-publish mail that was never handed to a worker (e.g. the broker was down)."""
    published = outbox.sweep()
    if published:
        logger.info("Outbox sweep published %s notification(s)", published)
    return published


@shared_task
def queue_reminders() -> int:
    """Write the reminder mails that are due (7 and 1 days before an offering starts, by
    default)."""
    return services.queue_reminders(now=timezone.now())


@shared_task
def release_expired_reservations() -> int:
    """Give back reserved seats nobody was named for by the offering's reservation deadline."""
    return services.release_expired_reservations(now=timezone.now())


@shared_task
def queue_reservation_reminders() -> int:
    """Remind HR of reserved seats still without a name, a few days before the deadline."""
    return services.queue_reservation_reminders(now=timezone.now())


@shared_task
def queue_request_bundles() -> int:
    """Mail HR who chose it the employees' requests of the last hour, in one mail each."""
    return services.queue_request_bundles(now=timezone.now())


@shared_task
def complete_ended_offerings() -> int:
    """Complete the open offerings whose last meeting has ended (hourly): participants with enough
    attendance become completed, the others no-show. Safe to repeat; each offering commits alone."""
    completed = services.complete_ended_offerings(now=timezone.now())
    if completed:
        logger.info("Completed %s ended offering(s)", completed)
    return completed


@shared_task
def ask_transfer_checks() -> int:
    """Ask HR, per participant, whether what they learned is applied, ``TRANSFER_CHECK_AFTER_DAYS``
    after the run (daily; at most one mail per company and HR member a day). Safe to repeat."""
    from .transfer.services import ask_transfer_checks as ask

    asked = ask(now=timezone.now())
    if asked:
        logger.info("Asked %s application question(s)", asked)
    return asked


@shared_task
def send_qualification_alarms() -> int:
    """Mail holders and their HR before a qualification expires (daily; each alarm value
    once per qualification held). Safe to repeat."""
    from .qualifications.alarms import send_expiry_alarms

    queued = send_expiry_alarms()
    if queued:
        logger.info("Queued %s qualification expiry mail(s)", queued)
    return queued


@shared_task(bind=True, max_retries=5, default_retry_delay=60)
def generate_certificate_pdf(self, certificate_id: int) -> bool:
    """Render and store a certificate's PDF once, then publish its "certificate_issued" mail.

    Runs outside any transaction (rendering is slow). Safe to repeat: a stored PDF is not
    rendered again and the outbox sends the mail once. Retries with back-off on failure; if it
    gives up, the outbox sweep still sends the mail, with the PDF rendered at send time.
    """
    try:
        return services.store_certificate_pdf(certificate_id=certificate_id)
    except Certificate.DoesNotExist:
        return False  # the certificate is gone; nothing to draw
    except Exception as error:
        raise self.retry(exc=error, countdown=60 * 2**self.request.retries) from error


@shared_task
def queue_evaluations() -> int:
    """Ask who attended a run that ended to evaluate it, and remind once who has not answered
    (hourly). Safe to repeat: each person is asked once and reminded once."""
    now = timezone.now()
    asked = evaluation_services.queue_evaluation_requests(now=now)
    reminded = evaluation_services.queue_evaluation_reminders(now=now)
    if asked or reminded:
        logger.info("Evaluations: %s asked, %s reminded", asked, reminded)
    return asked + reminded


@shared_task
def send_school_visit_reminders() -> int:
    """Mail the teachers of confirmed school visits their reminders, two weeks and two days
    before (daily; each reminder once, also when two workers run). Safe to repeat."""
    from .schools.reminders import send_reminders

    return send_reminders(today=timezone.localdate())


@shared_task
def finish_school_visits() -> int:
    """Mark done the school requests whose confirmed visit has passed and ask the teacher to
    evaluate it (daily; once per request). Safe to repeat."""
    from .schools.after import finish_visits

    return finish_visits(today=timezone.localdate())
