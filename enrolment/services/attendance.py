"""Attendance per meeting, and closing an offering once its last meeting has ended.

Both write under the offering's row lock (``enrolment.seats.lock_offering``, as every seat change),
so a save of attendance and the completion of the offering never interleave: completion counts
either all of a save or none of it, and nobody is marked present in an offering that was just
closed.

Completion rule: a confirmed participant whose share of meetings attended (present meetings /
all meetings of the offering; a meeting without an attendance row counts as absent) is at least
the course's ``attendance_threshold`` percent is ``completed``, everyone else ``no_show``.
Requests and waiting-list places of an ended offering never got a seat; they are cancelled.
"""

import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from django.db import transaction
from django.db.models import Count, Max
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from catalogue.models import Meeting, Offering
from technohub import audit, page_cache
from technohub.errors import DomainError

from ..models import Attendance, Enrolment
from ..seats import lock_offering
from .certificates import issue_certificates_for_offering

logger = logging.getLogger(__name__)

# Stored on the enrolment (not shown translated): why a request or waiting-list place ended.
ENDED_REASON = "uitvoering afgelopen"


class AttendanceRefused(DomainError):
    """Attendance cannot be recorded for this meeting (its offering was cancelled or completed)."""


class CompletionRefused(DomainError):
    """The offering cannot be completed: it has not ended yet, was cancelled, or never opened."""


@dataclass
class CompletionResult:
    """What ``complete_offering`` changed; all lists are empty when the offering was done
    already."""

    offering: Offering
    completed: list[int] = field(default_factory=list)
    no_show: list[int] = field(default_factory=list)
    cancelled: list[int] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.completed or self.no_show or self.cancelled)


def passes_threshold(*, present: int, meetings: int, threshold: int) -> bool:
    """Whether ``present`` of ``meetings`` is at least ``threshold`` percent.

    Whole numbers only, so 3 of 4 against 75 % is exactly on the line, never a rounding hair
    below it. A run without meetings has nothing to attend: only a 0 % threshold passes.
    """
    return present * 100 >= threshold * meetings


def record_attendance(*, meeting_id: int, present_enrolment_ids: Iterable[int], actor) -> int:
    """Save who was present at one meeting: every confirmed participant of the offering gets a row.

    Participants whose enrolment id is in ``present_enrolment_ids`` are present, all other confirmed
    participants absent. Ids that are not confirmed enrolments of this offering (another offering's,
    a cancelled one's, made up) are ignored. Saving the same thing twice writes nothing the second
    time: only new and changed rows are upserted, and the audit row ``attendance.recorded`` (on the
    offering, with the counts) is written only when something changed. Returns how many participants
    are present. Raises Meeting.DoesNotExist, AttendanceRefused (offering cancelled or completed) or
    OfferingBusy.
    """
    wanted = {int(pk) for pk in present_enrolment_ids}
    offering_id = Meeting.objects.values_list("offering_id", flat=True).get(pk=meeting_id)
    with transaction.atomic(durable=True):
        # The offering lock orders this save against completion and against other saves of the
        # same offering, so the rows read below are the rows the upsert replaces.
        offering = lock_offering(offering_id)
        if offering.status == Offering.Status.CANCELLED:
            raise AttendanceRefused(_("Deze uitvoering is geannuleerd."))
        if offering.status == Offering.Status.COMPLETED:
            raise AttendanceRefused(
                _("Deze uitvoering is al afgerond. De aanwezigheid kan niet meer worden gewijzigd.")
            )
        confirmed = set(
            Enrolment.objects.filter(
                offering=offering, status=Enrolment.Status.CONFIRMED
            ).values_list("pk", flat=True)
        )
        saved = dict(
            Attendance.objects.filter(
                meeting_id=meeting_id, enrolment_id__in=confirmed
            ).values_list("enrolment_id", "present")
        )
        now = timezone.now()
        rows = [
            Attendance(
                enrolment_id=enrolment_id,
                meeting_id=meeting_id,
                present=enrolment_id in wanted,
                recorded_by=actor,
                recorded_at=now,
            )
            for enrolment_id in sorted(confirmed)
            if saved.get(enrolment_id) != (enrolment_id in wanted)
        ]
        present = len(confirmed & wanted)
        if rows:
            # An upsert, so a row written by anything that bypassed the lock is updated, not
            # duplicated (the unique constraint on enrolment and meeting backs this up).
            Attendance.objects.bulk_create(
                rows,
                update_conflicts=True,
                unique_fields=["enrolment", "meeting"],
                update_fields=["present", "recorded_by", "recorded_at"],
            )
            audit.record(
                action="attendance.recorded",
                target=offering,
                actor=actor,
                meeting=meeting_id,
                present=present,
                absent=len(confirmed) - present,
                changed=len(rows),
            )
        return present


def complete_offering(
    *, offering_id: int, actor=None, now: datetime | None = None
) -> CompletionResult:
    """Close an offering whose last meeting has ended: participants completed or no-show, offering
    completed.

    Each confirmed enrolment becomes ``completed`` when its attendance share reaches the course's
    threshold (see ``passes_threshold``), else ``no_show``; requested and waitlisted enrolments are
    cancelled with the reason ``ENDED_REASON`` (they never got a seat). The offering's status
    becomes ``completed``; its seat counter keeps the final head count for the reports. Audit: one
    row per enrolment (``enrolment.completed`` / ``enrolment.no_show`` with the attendance that
    decided it, ``enrolment.cancelled`` with the reason), so each learner's own history explains the
    outcome, plus ``offering.completed`` on the offering with the totals. Safe to repeat: a
    completed offering with nothing left to decide is returned unchanged. No mail is sent. Raises
    CompletionRefused (not ended, cancelled, concept, no meetings) or OfferingBusy.
    """
    now = now or timezone.now()
    with transaction.atomic(durable=True):
        # Under the offering lock no attendance save, enrolment or cancellation of this offering can
        # land between counting attendance and deciding the outcomes.
        offering = lock_offering(offering_id)
        if offering.status == Offering.Status.CANCELLED:
            raise CompletionRefused(
                _("Deze uitvoering is geannuleerd en kan niet worden afgerond.")
            )
        if offering.status == Offering.Status.CONCEPT:
            raise CompletionRefused(_("Deze uitvoering is nooit opengesteld."))
        schedule = Meeting.objects.filter(offering=offering).aggregate(
            meetings=Count("pk"), last_ends_at=Max("ends_at")
        )
        meetings, last_ends_at = schedule["meetings"], schedule["last_ends_at"]
        if last_ends_at is None:
            raise CompletionRefused(_("Deze uitvoering heeft geen bijeenkomsten."))
        if last_ends_at > now:
            raise CompletionRefused(
                _(
                    "Deze uitvoering is nog niet afgelopen: "
                    "de laatste bijeenkomst eindigt op %(end)s."
                )
                % {"end": formats.date_format(timezone.localtime(last_ends_at), "j F Y, H:i")}
            )
        result = CompletionResult(offering=offering)
        # Row locks too: a HR rejection of a request (which does not lock the offering) either
        # commits first and is skipped here, or waits and then finds the request cancelled.
        open_enrolments = list(
            Enrolment.objects.select_for_update(of=("self",))
            .filter(offering=offering, status__in=Enrolment.ACTIVE_STATUSES)
            .order_by("pk")
        )
        present_counts = dict(
            Attendance.objects.filter(
                enrolment__in=[e.pk for e in open_enrolments],
                meeting__offering=offering,
                present=True,
            )
            .values("enrolment_id")
            .annotate(attended=Count("pk"))
            .values_list("enrolment_id", "attended")
        )
        threshold = offering.course.attendance_threshold
        decided = []
        for enrolment in open_enrolments:
            if enrolment.status != Enrolment.Status.CONFIRMED:
                result.cancelled.append(enrolment.pk)
                continue
            present = present_counts.get(enrolment.pk, 0)
            passed = passes_threshold(present=present, meetings=meetings, threshold=threshold)
            (result.completed if passed else result.no_show).append(enrolment.pk)
            decided.append((enrolment, present, passed))

        if offering.status == Offering.Status.COMPLETED and not result.changed:
            return result  # completed before, nothing left to decide: a repeat changes nothing

        Enrolment.objects.filter(pk__in=result.completed).update(
            status=Enrolment.Status.COMPLETED, status_changed_at=now, updated_at=now
        )
        Enrolment.objects.filter(pk__in=result.no_show).update(
            status=Enrolment.Status.NO_SHOW, status_changed_at=now, updated_at=now
        )
        Enrolment.objects.filter(pk__in=result.cancelled).update(
            status=Enrolment.Status.CANCELLED,
            waitlist_position=None,
            reason=ENDED_REASON,
            status_changed_at=now,
            updated_at=now,
        )
        Offering.objects.filter(pk=offering.pk).update(
            status=Offering.Status.COMPLETED, updated_at=now
        )
        page_cache.invalidate()
        offering.status = Offering.Status.COMPLETED

        for enrolment, present, passed in decided:
            audit.record(
                action="enrolment.completed" if passed else "enrolment.no_show",
                target=enrolment,
                actor=actor,
                present=present,
                meetings=meetings,
                threshold=threshold,
            )
        for enrolment in open_enrolments:
            if enrolment.pk in result.cancelled:
                audit.record(
                    action="enrolment.cancelled",
                    target=enrolment,
                    actor=actor,
                    reason=ENDED_REASON,
                    previous_status=enrolment.status,
                )
        audit.record(
            action="offering.completed",
            target=offering,
            actor=actor,
            completed=len(result.completed),
            no_show=len(result.no_show),
            cancelled=len(result.cancelled),
            threshold=threshold,
            meetings=meetings,
        )
        return result


def complete_ended_offerings(*, now: datetime) -> int:
    """Complete every open offering whose last meeting ended at or before ``now``.

    Each offering is completed in its own transaction, so one busy or failing offering does not hold
    back the others; it is logged and tried again on the next call. Safe to run as often as
    wanted: completed offerings are no longer open. Returns how many offerings were completed.
    """
    ended = (
        Offering.objects.filter(status=Offering.Status.OPEN)
        .annotate(last_ends_at=Max("meetings__ends_at"))
        .filter(last_ends_at__lte=now)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    completed = 0
    for offering_id in list(ended):
        try:
            finish_offering(offering_id=offering_id, now=now)
        except DomainError as refused:
            # E.g. the offering was cancelled meanwhile, or is locked right now: next offering
            # retries.
            logger.warning("Offering %s not completed: %s", offering_id, refused.message)
            continue
        completed += 1
    return completed


def finish_offering(*, offering_id: int, actor=None, now: datetime | None = None):
    """Complete an offering that ended and issue the certificates of everyone who completed it.

    Completion is one transaction; certificates follow, one short transaction each, and
    their PDFs and mails are made in the background. Returns the CompletionResult.
    """
    result = complete_offering(offering_id=offering_id, actor=actor, now=now)
    issue_certificates_for_offering(offering_id=offering_id, actor=actor)
    return result
