"""Reminders of a confirmed school visit: two weeks and two days before (``SCHOOL_REMINDER_DAYS``).

The daily task asks :func:`send_reminders`; each visit is handled in a transaction of its own
that locks the visit's row, so two workers running at once never mail a teacher twice.
"""

from datetime import date, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from technohub import audit

from .. import outbox
from ..models import SchoolVisit
from . import rules

TEMPLATE = "school_visit_reminder"


def _candidates(today: date) -> list[int]:
    """Confirmed visits from today on that still miss one of the reminders (read unlocked;
    each is checked again under its lock)."""
    return list(
        SchoolVisit.objects.filter(
            status=SchoolVisit.Status.CONFIRMED,
            request__status="confirmed",
            request__teacher__isnull=False,
            date__gte=today,
            date__lte=today + timedelta(days=max(settings.SCHOOL_REMINDER_DAYS, default=0)),
        )
        .order_by("date", "pk")
        .values_list("pk", flat=True)
    )


def send_reminders(*, today: date | None = None) -> int:
    """Mail the teacher of every confirmed visit whose reminder is due (``rules.due_reminders``):
    one ``school_visit_reminder`` mail, with the visit's files, for the nearest due reminder,
    and record every due value in ``reminders_sent`` so none goes later (a reminder missed on
    its day still goes, once). Returns how many mails were queued. Safe to run again and from
    two workers at once."""
    today = today or timezone.localdate()
    queued = 0
    for pk in _candidates(today):
        # The visit's row lock: a second worker waits here and then finds the reminder sent.
        with transaction.atomic(durable=True):
            visit = (
                SchoolVisit.objects.select_for_update(no_key=True, of=("self",))
                .select_related("request__teacher")
                .filter(pk=pk, status=SchoolVisit.Status.CONFIRMED)
                .first()
            )
            if visit is None or visit.request.teacher is None:
                continue
            due = rules.due_reminders(visit.date, today, already_sent=visit.reminders_sent)
            if not due:
                continue
            visit.reminders_sent = sorted({*visit.reminders_sent, *due})
            visit.save(update_fields=["reminders_sent", "updated_at"])
            days_before = due[0]
            outbox.queue_once_for(
                visit.request.teacher,
                template=TEMPLATE,
                dedupe_key=f"school-visit-reminder:{visit.pk}:{days_before}",
                context={"school_visit_id": visit.pk, "days_before": days_before},
            )
            audit.record(action="school_visit.reminded", target=visit, days_before=days_before)
        queued += 1
    return queued
