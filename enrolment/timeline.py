"""An enrolment's one history: its own events and its run's, with who and when.

The enrolment's admin page showed two histories: the audit rows the services write, and
Django's own history of edits made in the admin (``LogEntry``), empty for everything the
services did. The timeline merges both, and adds what happened to the run the enrolment is
in (cancelled, moved, meetings changed, reminders sent), in three queries.
"""

from dataclasses import dataclass
from datetime import datetime

from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db.models import Q
from django.utils.translation import gettext

from catalogue.models import Offering
from technohub.audit import action_label
from technohub.models import AuditLog

from .models import Enrolment


@dataclass(frozen=True)
class TimelineEntry:
    """One event in an enrolment's history."""

    at: datetime
    what: str  # readable, in the active language
    by: str | None  # who did it; None: the system (a task, a timer, the learner's own page)
    of_offering: bool  # an event of the run, not of the enrolment itself
    detail: str  # a reason, or what an admin edit changed; may be empty


def list_enrolment_timeline(*, enrolment: Enrolment) -> list[TimelineEntry]:
    """Everything that happened to ``enrolment`` and to its run, newest first."""
    enrolment_type = ContentType.objects.get_for_model(Enrolment)
    offering_type = ContentType.objects.get_for_model(Offering)
    rows = AuditLog.objects.filter(
        Q(content_type=enrolment_type, object_id=enrolment.pk)
        | Q(content_type=offering_type, object_id=enrolment.offering_id)
    ).select_related("actor")
    entries = [
        TimelineEntry(
            at=row.created_at,
            what=action_label(row.action),
            by=str(row.actor) if row.actor else None,
            of_offering=row.content_type_id == offering_type.pk,
            detail=str(row.data.get("reason", "") if isinstance(row.data, dict) else ""),
        )
        for row in rows
    ]
    edits = LogEntry.objects.filter(
        content_type=enrolment_type, object_id=str(enrolment.pk)
    ).select_related("user")
    entries += [
        TimelineEntry(
            at=edit.action_time,
            what=_edit_label(edit),
            by=str(edit.user) if edit.user else None,
            of_offering=False,
            detail=edit.get_change_message(),
        )
        for edit in edits
    ]
    return sorted(entries, key=lambda entry: entry.at, reverse=True)


def _edit_label(edit: LogEntry) -> str:
    if edit.is_addition():
        return gettext("toegevoegd in het beheer")
    if edit.is_deletion():
        return gettext("verwijderd in het beheer")
    return gettext("gewijzigd in het beheer")
