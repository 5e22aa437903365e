"""Attendance per meeting, and closing an offering once its last meeting has ended.

Both write under the offering's row lock (``enrolment.seats.lock_offering``, as every seat change),
so a save of attendance and the completion of the offering never interleave: completion counts
either all of a save or none of it, and nobody is marked present in an offering that was just
closed.

Attendance: per participant and meeting one of present, absent or excused (*afgemeld*: told the
hub beforehand), and for present the hours attended (the meeting's length unless told otherwise,
never more; 0 for absent and excused). Only a meeting that has started can get attendance; an
open offering's meetings keep taking it until the offering is completed.

Completion rule: a confirmed participant whose share of meetings attended (present meetings /
all meetings of the offering; a meeting without an attendance row counts as absent, and so does
excused: it explains an absence, it does not replace the lesson) is at least the course's
``attendance_threshold`` percent is ``completed``. Everyone else is ``not_completed``, except
who attended no meeting and was excused for none: ``no_show`` (see ``outcome``). Requests and
waiting-list places of an ended offering never got a seat; they are cancelled.

The hourly task completes an offering ``COMPLETION_GRACE_DAYS`` after its last meeting ended,
so the last meeting's attendance can still be taken the morning after; the programme manager
can complete it any time after the last meeting ended.
"""

import logging
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.db.models import Count, Max, Q
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
HOUR = Decimal("0.01")


class AttendanceRefused(DomainError):
    """Attendance cannot be recorded for this meeting: its offering was cancelled or completed,
    the meeting has not started, or the hours are out of bounds."""


class CompletionRefused(DomainError):
    """The offering cannot be completed: it has not ended yet, was cancelled, or never opened."""


@dataclass
class CompletionResult:
    """What ``complete_offering`` changed; all lists are empty when the offering was done
    already."""

    offering: Offering
    completed: list[int] = field(default_factory=list)
    not_completed: list[int] = field(default_factory=list)
    no_show: list[int] = field(default_factory=list)
    cancelled: list[int] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.completed or self.not_completed or self.no_show or self.cancelled)


def passes_threshold(*, present: int, meetings: int, threshold: int) -> bool:
    """Whether ``present`` of ``meetings`` is at least ``threshold`` percent.

    Whole numbers only, so 3 of 4 against 75 % is exactly on the line, never a rounding hair
    below it. A run without meetings has nothing to attend: only a 0 % threshold passes.
    """
    return present * 100 >= threshold * meetings


def outcome(*, present: int, excused: int, meetings: int, threshold: int) -> str:
    """The status completing an offering gives a confirmed participant.

    ``completed`` when ``present`` of ``meetings`` reaches the threshold; else ``no_show`` only
    when they attended no meeting and were excused for none; else ``not_completed`` (came, or
    excused themselves, but not enough).
    """
    if passes_threshold(present=present, meetings=meetings, threshold=threshold):
        return Enrolment.Status.COMPLETED
    if present == 0 and excused == 0:
        return Enrolment.Status.NO_SHOW
    return Enrolment.Status.NOT_COMPLETED


def meeting_hours(meeting: Meeting) -> Decimal:
    """A meeting's length in hours, to the hundredth: what someone present all of it attended."""
    seconds = int((meeting.ends_at - meeting.starts_at).total_seconds())
    return (Decimal(seconds) / 3600).quantize(HOUR)


def record_attendance(
    *,
    meeting_id: int,
    present_enrolment_ids: Iterable[int],
    excused_enrolment_ids: Iterable[int] = (),
    hours: Mapping[int, Decimal | None] | None = None,
    actor,
    now: datetime | None = None,
) -> int:
    """Save how each confirmed participant attended one meeting that has started.

    Participants in ``present_enrolment_ids`` are present, those in ``excused_enrolment_ids``
    (and not present) excused, all other confirmed participants absent. ``hours`` gives the
    hours attended of a present participant when it differs from the meeting's length (missing
    or None: the whole meeting); absent and excused get 0. Ids that are not confirmed
    enrolments of this offering are ignored. Saving the same thing twice writes nothing the
    second time: only new and changed rows are upserted, and the audit row
    ``attendance.recorded`` (on the offering, with the counts) is written only when something
    changed. Returns how many participants are present. Raises Meeting.DoesNotExist,
    AttendanceRefused (offering cancelled or completed, meeting not started, hours outside
    0..the meeting's length) or OfferingBusy.
    """
    now = now or timezone.now()
    wanted = {int(pk) for pk in present_enrolment_ids}
    excused = {int(pk) for pk in excused_enrolment_ids} - wanted
    asked_hours = {int(pk): value for pk, value in (hours or {}).items() if value is not None}
    meeting = Meeting.objects.only("offering_id", "starts_at", "ends_at").get(pk=meeting_id)
    length = meeting_hours(meeting)
    with transaction.atomic(durable=True):
        # The offering lock orders this save against completion and against other saves of the
        # same offering, so the rows read below are the rows the upsert replaces.
        offering = lock_offering(meeting.offering_id)
        if offering.status == Offering.Status.CANCELLED:
            raise AttendanceRefused(_("Deze uitvoering is geannuleerd."))
        if offering.status == Offering.Status.COMPLETED:
            raise AttendanceRefused(
                _("Deze uitvoering is al afgerond. De aanwezigheid kan niet meer worden gewijzigd.")
            )
        if meeting.starts_at > now:
            raise AttendanceRefused(
                _(
                    "Deze bijeenkomst is nog niet begonnen. De aanwezigheid kan worden "
                    "opgenomen vanaf %(start)s."
                )
                % {
                    "start": formats.date_format(
                        timezone.localtime(meeting.starts_at), "j F Y, H:i"
                    )
                }
            )
        confirmed = set(
            Enrolment.objects.filter(
                offering=offering, status=Enrolment.Status.CONFIRMED
            ).values_list("pk", flat=True)
        )
        saved = {
            enrolment_id: (state, value)
            for enrolment_id, state, value in Attendance.objects.filter(
                meeting_id=meeting_id, enrolment_id__in=confirmed
            ).values_list("enrolment_id", "state", "hours")
        }
        marks = {}
        for enrolment_id in sorted(confirmed):
            if enrolment_id in wanted:
                attended = Decimal(asked_hours.get(enrolment_id, length))
                if not Decimal(0) <= attended <= length:
                    raise AttendanceRefused(
                        _("Vul een aantal uren in van 0 tot en met %(hours)s.")
                        % {"hours": formats.number_format(length, decimal_pos=2)}
                    )
                marks[enrolment_id] = (Attendance.State.PRESENT, attended.quantize(HOUR))
            elif enrolment_id in excused:
                marks[enrolment_id] = (Attendance.State.EXCUSED, Decimal(0))
            else:
                marks[enrolment_id] = (Attendance.State.ABSENT, Decimal(0))
        rows = [
            Attendance(
                enrolment_id=enrolment_id,
                meeting_id=meeting_id,
                state=state,
                hours=value,
                recorded_by=actor,
                recorded_at=now,
            )
            for enrolment_id, (state, value) in marks.items()
            if saved.get(enrolment_id) != (state, value)
        ]
        counts = dict.fromkeys(Attendance.State, 0)
        for state, _value in marks.values():
            counts[state] += 1
        if rows:
            # An upsert, so a row written by anything that bypassed the lock is updated, not
            # duplicated (the unique constraint on enrolment and meeting backs this up).
            Attendance.objects.bulk_create(
                rows,
                update_conflicts=True,
                unique_fields=["enrolment", "meeting"],
                update_fields=["state", "hours", "recorded_by", "recorded_at"],
            )
            audit.record(
                action="attendance.recorded",
                target=offering,
                actor=actor,
                meeting=meeting_id,
                present=counts[Attendance.State.PRESENT],
                absent=counts[Attendance.State.ABSENT],
                excused=counts[Attendance.State.EXCUSED],
                changed=len(rows),
            )
        return counts[Attendance.State.PRESENT]


def complete_offering(
    *, offering_id: int, actor=None, now: datetime | None = None
) -> CompletionResult:
    """Close an offering whose last meeting has ended: each participant's outcome decided,
    offering completed.

    Each confirmed enrolment becomes ``completed``, ``not_completed`` or ``no_show`` by its
    attendance (see ``outcome``); requested and waitlisted enrolments are cancelled with the reason
    ``ENDED_REASON`` (they never got a seat). The offering's status becomes ``completed``; its seat
    counter keeps the final head count for the reports. Audit: one row per enrolment
    (``enrolment.completed`` / ``enrolment.not_completed`` / ``enrolment.no_show`` with the
    attendance that decided it, ``enrolment.cancelled`` with the reason), so each learner's own
    history explains the outcome, plus ``offering.completed`` on the offering with the totals. Safe
    to repeat: a completed offering with nothing left to decide is returned unchanged. No mail is
    sent. Raises CompletionRefused (not ended, cancelled, concept, no meetings) or OfferingBusy.
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
        counted = {
            enrolment_id: (present, excused)
            for enrolment_id, present, excused in Attendance.objects.filter(
                enrolment__in=[e.pk for e in open_enrolments],
                meeting__offering=offering,
            )
            .values("enrolment_id")
            .annotate(
                present=Count("pk", filter=Q(state=Attendance.State.PRESENT)),
                excused=Count("pk", filter=Q(state=Attendance.State.EXCUSED)),
            )
            .values_list("enrolment_id", "present", "excused")
        }
        lists = {
            Enrolment.Status.COMPLETED: result.completed,
            Enrolment.Status.NOT_COMPLETED: result.not_completed,
            Enrolment.Status.NO_SHOW: result.no_show,
        }
        threshold = offering.course.attendance_threshold
        decided = []
        for enrolment in open_enrolments:
            if enrolment.status != Enrolment.Status.CONFIRMED:
                result.cancelled.append(enrolment.pk)
                continue
            present, excused = counted.get(enrolment.pk, (0, 0))
            status = outcome(
                present=present, excused=excused, meetings=meetings, threshold=threshold
            )
            lists[status].append(enrolment.pk)
            decided.append((enrolment, present, excused, status))

        if offering.status == Offering.Status.COMPLETED and not result.changed:
            return result  # completed before, nothing left to decide: a repeat changes nothing

        for status, decided_ids in lists.items():
            Enrolment.objects.filter(pk__in=decided_ids).update(
                status=status, status_changed_at=now, updated_at=now
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

        for enrolment, present, excused, status in decided:
            audit.record(
                action=f"enrolment.{status}",
                target=enrolment,
                actor=actor,
                present=present,
                excused=excused,
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
            not_completed=len(result.not_completed),
            no_show=len(result.no_show),
            cancelled=len(result.cancelled),
            threshold=threshold,
            meetings=meetings,
        )
        return result


def complete_ended_offerings(*, now: datetime) -> int:
    """Complete every open offering whose last meeting ended at least ``COMPLETION_GRACE_DAYS``
    before ``now`` (so its attendance can still be taken in the days after).

    Each offering is completed in its own transaction, so one busy or failing offering does not hold
    back the others; it is logged and tried again on the next call. Safe to run as often as
    wanted: completed offerings are no longer open. Returns how many offerings were completed.
    """
    ended = (
        Offering.objects.filter(status=Offering.Status.OPEN)
        .annotate(last_ends_at=Max("meetings__ends_at"))
        .filter(last_ends_at__lte=now - timedelta(days=settings.COMPLETION_GRACE_DAYS))
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
