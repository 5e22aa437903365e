"""Celery tasks of the companies app. Safe to repeat: they only write through the outbox."""

from celery import shared_task
from django.utils import timezone

from .funding import alarms
from .portal import digest


@shared_task
def send_hr_digests() -> int:
    """Write today's digest mail for every HR member whose company had enrolment news in the
    last 24 hours (beat runs it daily at 07:00). A second run the same day writes nothing;
    the outbox sends the mails. Returns how many were written."""
    return digest.queue_hr_digests(now=timezone.now())


@shared_task
def send_funding_deadline_alarms() -> int:
    """Mail HR about funding claims whose application window closes in 30 or 7 days (beat runs
    it daily at 07:15). Each alarm goes once; a second run the same day writes nothing. Returns
    how many mails were written."""
    return alarms.send_deadline_alarms(today=timezone.localdate())
