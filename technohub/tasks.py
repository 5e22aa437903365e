"""Project-wide periodic tasks."""

import logging

from celery import shared_task
from django.core.cache import cache
from django.utils import timezone

from technohub.privacy import retention

logger = logging.getLogger(__name__)

HEARTBEAT_KEY = "celery:heartbeat"


@shared_task
def heartbeat() -> str:
    """Note in the cache that a worker ran a task just now (beat schedules this every minute)."""
    now = timezone.now().isoformat()
    cache.set(HEARTBEAT_KEY, now, timeout=None)
    logger.info("Celery heartbeat at %s", now)
    return now


# --- Retention (technohub.privacy.retention): nightly, each safe to repeat -------------------


@shared_task
def warn_inactive_accounts() -> int:
    """Mail the owners of accounts that will soon be erased for inactivity (once a period)."""
    return _run(retention.warn_inactive_accounts)


@shared_task
def erase_inactive_accounts() -> int:
    """Erase accounts unused for the stated period whose owners were warned long enough ago."""
    return _run(retention.erase_inactive_accounts)


@shared_task
def purge_mail_bodies() -> int:
    """Empty the content of outbox rows older than the mail retention period."""
    return _run(retention.purge_mail_bodies)


@shared_task
def purge_login_records() -> int:
    """Delete lock-out counters and log-in history older than their period."""
    return _run(retention.purge_login_records)


@shared_task
def purge_sessions() -> int:
    """Delete expired sessions."""
    return _run(retention.purge_sessions)


@shared_task
def purge_invitations() -> int:
    """Delete invitations that expired or were accepted longer ago than their period."""
    return _run(retention.purge_invitations)


@shared_task
def purge_logs() -> int:
    """Delete audit and admin log rows older than the records period."""
    return _run(retention.purge_logs)


@shared_task
def purge_certificates() -> int:
    """Delete certificates (and their PDFs) issued longer ago than the certificate period."""
    return _run(retention.purge_certificates)


@shared_task
def purge_enrolments() -> int:
    """Delete ended enrolments of offerings that ended longer ago than the records period."""
    return _run(retention.purge_enrolments)


def _run(service) -> int:
    count = service(now=timezone.now())
    if count:
        logger.info("%s: %s row(s)", service.__name__, count)
    return count


@shared_task
def purge_expired_qualifications() -> int:
    """Delete held qualifications that expired longer ago than their retention period."""
    return _run(retention.purge_expired_qualifications)


@shared_task
def purge_school_requests() -> int:
    """Strip the teacher's data from school requests older than their retention period."""
    return _run(retention.purge_school_requests)
