"""The outbox: every mail the hub owes someone is a ``Notification`` row until it is sent.

Services call :func:`queue` inside their transaction; the row commits with the change that
caused it, and only then is a Celery task published to send it. If the broker is down the
publish fails quietly and :func:`sweep` (offering by beat every minute) publishes it again later.
:func:`deliver` claims a row with a compare-and-set before sending and marks it sent after,
so a task that runs twice, or two workers at once, send one mail.
"""

import logging
from datetime import datetime, timedelta
from email.utils import parseaddr

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone

from technohub import audit, celery_app, mail
from technohub.errors import violated_constraint

from . import emails
from .models import Enrolment, Notification

logger = logging.getLogger(__name__)

CLAIM_DURATION = timedelta(minutes=5)
SWEEP_GRACE = timedelta(seconds=30)
SWEEP_BATCH = 500
MAX_ATTEMPTS = 8
PUBLISH_RETRY = {"max_retries": 1, "interval_start": 0, "interval_step": 0.2, "interval_max": 0.2}


def queue(
    *,
    template: str,
    to_email: str,
    language: str,
    recipient=None,
    enrolment: Enrolment | None = None,
    context: dict | None = None,
    dedupe_key: str = "",
) -> Notification:
    """Write a mail to the outbox; it is published for sending once the transaction commits."""
    notification = Notification.objects.create(
        template=template,
        to_email=to_email,
        language=language,
        recipient=recipient,
        enrolment=enrolment,
        context=context or {},
        dedupe_key=dedupe_key,
    )
    transaction.on_commit(lambda: publish(notification.pk))
    return notification


def queue_for(user, *, template: str, **fields) -> Notification:
    """:func:`queue` to a user's address, in the user's language."""
    return queue(
        template=template,
        to_email=user.email,
        language=user.preferred_language,
        recipient=user,
        **fields,
    )


def queue_once_for(user, *, template: str, dedupe_key: str, **fields) -> bool:
    """:func:`queue_for` a mail that goes out once per event, named by ``dedupe_key``.

    Returns False, writing nothing, when a mail with that key was written before (the unique
    key refused it, in a savepoint of its own so the caller's transaction goes on).
    """
    try:
        with transaction.atomic():
            queue_for(user, template=template, dedupe_key=dedupe_key, **fields)
    except IntegrityError as error:
        if violated_constraint(error) != "notification_dedupe_key_unique":
            raise
        return False
    return True


def queue_many(notifications: list[Notification]) -> list[Notification]:
    """:func:`queue` for many mails at once: one INSERT and one on-commit hook.

    For bulk actions (a roster import of thousands of people), where a row and a hook per mail
    would make the transaction slow. After commit one task is published that hands the rows
    to workers one by one, so the web request does not publish thousands of messages itself.
    """
    created = Notification.objects.bulk_create(notifications)
    ids = [notification.pk for notification in created]
    if ids:
        transaction.on_commit(lambda: publish_many(ids))
    return created


def publish_each(notification_ids: list[int]) -> int:
    """Publish the rows one by one, stopping at the first broker failure (the sweep resumes)."""
    published = 0
    for notification_id in notification_ids:
        if not publish(notification_id):
            break
        published += 1
    return published


def publish(notification_id: int) -> bool:
    """Ask a worker to send the mail. A broker outage is logged, not raised: the sweep retries."""
    return publish_task("enrolment.tasks.send_notification", notification_id)


def publish_many(notification_ids: list[int]) -> bool:
    """Ask a worker to publish many rows (see :func:`queue_many`)."""
    return publish_task("enrolment.tasks.publish_notifications", notification_ids)


def publish_task(name: str, argument) -> bool:
    """Hand the task ``name`` with its one argument to the broker; False if it is unreachable.

    By name, so that the services never import the tasks module (which imports them).
    """
    try:
        # One quick retry gets past a pooled connection that died with a restarted broker.
        celery_app.send_task(name, args=[argument], retry=True, retry_policy=PUBLISH_RETRY)
    except Exception:  # the broker is unreachable; kombu raises several kinds of error
        logger.warning("Could not publish %s(%s)", name, argument, exc_info=True)
        return False
    return True


def deliver(notification_id: int, *, now: datetime | None = None) -> bool:
    """Send one notification unless it was sent or another sender holds it.

    Returns True when this call sent it. Errors are recorded on the row and re-raised so the
    task can retry; after ``MAX_ATTEMPTS`` the row is marked failed and left for staff.
    """
    now = now or timezone.now()
    claimed = Notification.objects.filter(
        Q(claimed_until__isnull=True) | Q(claimed_until__lt=now),
        pk=notification_id,
        sent_at__isnull=True,
        failed_at__isnull=True,
    ).update(claimed_until=now + CLAIM_DURATION, attempts=F("attempts") + 1)
    if not claimed:
        return False
    notification = Notification.objects.get(pk=notification_id)
    try:
        mail.send_mail(
            emails.render(notification),
            to=notification.to_email,
            message_id=_message_id(notification),
        )
    except Exception as error:
        failed = notification.attempts >= MAX_ATTEMPTS
        Notification.objects.filter(pk=notification_id).update(
            claimed_until=None,
            last_error=f"{type(error).__name__}: {error}"[:2000],
            failed_at=timezone.now() if failed else None,
        )
        raise
    Notification.objects.filter(pk=notification_id, sent_at__isnull=True).update(
        sent_at=timezone.now(), claimed_until=None, last_error=""
    )
    return True


def _message_id(notification: Notification) -> str:
    """One Message-ID per outbox row. A sender that dies after the mail server took the mail
    but before the row was marked sent cannot know it was sent; the mail then goes out once
    more, under the same id, so that the copy can be recognised (many mail clients show it as
    one message)."""
    domain = parseaddr(settings.DEFAULT_FROM_EMAIL)[1].rpartition("@")[2] or "localhost"
    return f"<notification-{notification.pk}@{domain}>"


def sweep(*, now: datetime | None = None) -> int:
    """Publish every unsent, unclaimed notification older than a short grace period.

    The grace period leaves fresh rows to their own on-commit publish. Returns how many
    were published.
    """
    now = now or timezone.now()
    pending = (
        Notification.objects.filter(
            Q(claimed_until__isnull=True) | Q(claimed_until__lt=now),
            sent_at__isnull=True,
            failed_at__isnull=True,
            created_at__lt=now - SWEEP_GRACE,
        )
        .order_by("created_at")
        .values_list("pk", flat=True)[:SWEEP_BATCH]
    )
    return publish_each(list(pending))


def resend(*, notification_id: int, actor=None) -> bool:
    """Let staff send a sent or failed notification again: a fresh claim, attempts from zero,
    and a ``notification.resent`` audit row (which the outbox counts as its resends).

    Returns False, and does nothing, when the row is unsent: it is on its way already, so a
    second click (or a colleague's at the same moment) sends nothing more and counts nothing.
    """
    with transaction.atomic(durable=True):
        # Compare-and-set: of two resends racing, only the first finds the row sent or failed.
        reset = Notification.objects.filter(
            Q(sent_at__isnull=False) | Q(failed_at__isnull=False), pk=notification_id
        ).update(sent_at=None, failed_at=None, claimed_until=None, attempts=0)
        if not reset:
            return False
        audit.record(
            action="notification.resent",
            target=Notification.objects.get(pk=notification_id),
            actor=actor,
        )
        transaction.on_commit(lambda: publish(notification_id))
    return True
