"""Celery tasks of the enrolment app. Tasks take ids, re-read rows, and are safe to repeat."""

import logging

from celery import shared_task
from django.utils import timezone

from . import outbox, services

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
    """Write the reminder mails that are due (7 and 1 days before a run starts, by default)."""
    return services.queue_reminders(now=timezone.now())
