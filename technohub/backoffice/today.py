"""Reads for the programme manager's start page ("Vandaag"): what needs attention today.

``get_today`` answers in a fixed number of queries (:data:`QUERIES`), whatever the number of
offerings, meetings, enrolments, needs or mails: one per section, counts computed in PostgreSQL.
The page and the admin index show the same numbers, each linked to the list behind it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import (
    Count,
    Exists,
    F,
    IntegerField,
    Max,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
)
from django.db.models.functions import Coalesce
from django.urls import NoReverseMatch, reverse

from catalogue.college.selectors import DraftCounts, count_drafts_to_publish
from catalogue.models import Meeting, Offering
from companies.demand.selectors import OPEN_NEED_STATUSES
from companies.models import TrainingNeed
from companies.proposals.selectors import count_proposals_waiting
from enrolment.models import Attendance, Enrolment, Notification
from technohub.audit import action_label
from technohub.models import AuditLog

# Runs starting this soon that lack participants need a go/no-go decision now.
GO_NO_GO_WINDOW = timedelta(days=14)
# An enrolment request HR has not answered in this long waits too long.
REQUEST_WAITING = timedelta(days=3)
# An unsent mail older than this is stuck: the outbox normally sends within a minute.
MAIL_STUCK_AFTER = timedelta(minutes=15)
RECENT_CHANGES = 10
# The queries ``get_today`` runs: one per section below, two for the colleges' drafts.
QUERIES = 11


@dataclass(frozen=True)
class TodayOffering:
    """One run as the start page lists it."""

    offering_id: int
    course_title: str
    location_name: str
    first_starts_at: datetime | None
    last_ends_at: datetime | None
    capacity: int
    min_participants: int
    confirmed: int
    waitlisted: int


@dataclass(frozen=True)
class MeetingToRecord:
    """A meeting that has started, with confirmed participants whose attendance is missing."""

    meeting_id: int
    offering_id: int
    course_title: str
    location_name: str
    starts_at: datetime
    unrecorded: int


@dataclass(frozen=True)
class Change:
    """One audit row, readable: what happened to which object, who did it and when."""

    created_at: datetime
    action: str
    action_label: str  # what the action means, in the active language
    actor_name: str | None  # None: the system did it (a task, a timer)
    target_label: str  # e.g. "uitvoering #12"
    target_url: str | None  # the object's admin page, when it has one


@dataclass(frozen=True)
class Today:
    """The start page as of ``now``."""

    now: datetime
    go_no_go: list[TodayOffering]
    attendance: list[MeetingToRecord]
    to_complete: list[TodayOffering]
    requests_waiting: int
    needs_waiting: int
    proposals_waiting: int
    drafts: DraftCounts
    mail_stuck: int
    mail_failed: int
    full_with_waiting_list: list[TodayOffering]
    recent_changes: list[Change]

    @property
    def mail_stuck_before(self) -> datetime:
        """Unsent mails created before this moment count as stuck."""
        return _mail_cutoff(self.now)

    @property
    def requests_waiting_before(self) -> datetime:
        """Requests made before this moment wait too long."""
        return _requests_cutoff(self.now)


# The lists behind these counts take the moment from a link, which carries whole seconds.
def _mail_cutoff(now: datetime) -> datetime:
    return (now - MAIL_STUCK_AFTER).replace(microsecond=0)


def _requests_cutoff(now: datetime) -> datetime:
    return (now - REQUEST_WAITING).replace(microsecond=0)


def get_today(*, now: datetime) -> Today:
    """What needs the programme manager's attention as of ``now``, in :data:`QUERIES` queries.

    - ``go_no_go``: open runs whose first meeting is after ``now`` and within 14 days, with fewer
      confirmed participants than their minimum and no go decision yet; soonest first.
    - ``attendance``: meetings of open runs that have started, with confirmed participants
      without an attendance row for that meeting; oldest first.
    - ``to_complete``: open runs whose last meeting has ended; oldest first.
    - ``requests_waiting``: enrolment requests still waiting for HR, asked more than 3 days ago.
    - ``needs_waiting``: training needs on the demand board that are not planned yet (new, in
      progress).
    - ``proposals_waiting``: open proposals with an offer to decide on, or without any offer
      after 14 days (``count_proposals_waiting``).
    - ``drafts``: concept courses and runs a college drafted, to check and publish.
    - ``mail_stuck`` / ``mail_failed``: outbox rows unsent for more than 15 minutes and not
      failed / given up after their attempts.
    - ``full_with_waiting_list``: open runs without a free seat and with people waiting.
    - ``recent_changes``: the last 10 audit rows, newest first.
    """
    offerings = _open_offerings_with_dates()
    go_no_go = offerings.filter(
        first_starts_at__gt=now,
        first_starts_at__lte=now + GO_NO_GO_WINDOW,
        confirmed_count__lt=F("min_participants"),
        go_decided_at__isnull=True,
    ).order_by("first_starts_at", "pk")
    to_complete = offerings.filter(last_ends_at__lte=now).order_by("last_ends_at", "pk")
    full = offerings.filter(
        confirmed_count__gte=F("capacity") - F("reserved_count"), waitlisted__gt=0
    ).order_by("first_starts_at", "pk")
    requests = Enrolment.objects.filter(
        status=Enrolment.Status.REQUESTED, created_at__lt=_requests_cutoff(now)
    ).count()
    needs = TrainingNeed.objects.filter(status__in=OPEN_NEED_STATUSES).count()
    mail = Notification.objects.aggregate(
        stuck=Count(
            "pk",
            filter=Q(sent_at=None, failed_at=None, created_at__lt=_mail_cutoff(now)),
        ),
        failed=Count("pk", filter=Q(failed_at__isnull=False)),
    )
    return Today(
        now=now,
        go_no_go=[_today_offering(offering) for offering in go_no_go],
        attendance=_list_meetings_to_record(now=now),
        to_complete=[_today_offering(offering) for offering in to_complete],
        requests_waiting=requests,
        needs_waiting=needs,
        proposals_waiting=count_proposals_waiting(now=now),
        drafts=count_drafts_to_publish(),
        mail_stuck=mail["stuck"],
        mail_failed=mail["failed"],
        full_with_waiting_list=[_today_offering(offering) for offering in full],
        recent_changes=_list_recent_changes(),
    )


def _open_offerings_with_dates() -> QuerySet[Offering]:
    """Open runs with course, location, first start, last end and waiting list.

    Subqueries rather than joins, so that no count is multiplied by the meetings.
    """
    meetings = Meeting.objects.filter(offering=OuterRef("pk")).order_by().values("offering")
    waitlisted = (
        Enrolment.objects.filter(offering=OuterRef("pk"), status=Enrolment.Status.WAITLISTED)
        .order_by()
        .values("offering")
        .annotate(total=Count("pk"))
        .values("total")
    )
    return (
        Offering.objects.filter(status=Offering.Status.OPEN)
        .select_related("course", "location")
        .annotate(
            first_starts_at=Subquery(meetings.annotate(first=Min("starts_at")).values("first")),
            last_ends_at=Subquery(meetings.annotate(last=Max("ends_at")).values("last")),
            waitlisted=Coalesce(Subquery(waitlisted, output_field=IntegerField()), 0),
        )
    )


def _today_offering(offering: Offering) -> TodayOffering:
    return TodayOffering(
        offering_id=offering.pk,
        course_title=offering.course.localized("title"),
        location_name=offering.location.localized("name"),
        first_starts_at=offering.first_starts_at,
        last_ends_at=offering.last_ends_at,
        capacity=offering.capacity,
        min_participants=offering.min_participants,
        confirmed=offering.confirmed_count,
        waitlisted=offering.waitlisted,
    )


def _list_meetings_to_record(*, now: datetime) -> list[MeetingToRecord]:
    recorded = Attendance.objects.filter(enrolment=OuterRef("pk"), meeting=OuterRef(OuterRef("pk")))
    unrecorded = (
        Enrolment.objects.filter(offering=OuterRef("offering"), status=Enrolment.Status.CONFIRMED)
        .filter(~Exists(recorded))
        .order_by()
        .values("offering")
        .annotate(total=Count("pk"))
        .values("total")
    )
    meetings = (
        Meeting.objects.filter(starts_at__lte=now, offering__status=Offering.Status.OPEN)
        .select_related("offering__course", "offering__location")
        .annotate(unrecorded=Subquery(unrecorded, output_field=IntegerField()))
        .filter(unrecorded__gt=0)
        .order_by("starts_at", "pk")
    )
    return [
        MeetingToRecord(
            meeting_id=meeting.pk,
            offering_id=meeting.offering_id,
            course_title=meeting.offering.course.localized("title"),
            location_name=meeting.offering.location.localized("name"),
            starts_at=meeting.starts_at,
            unrecorded=meeting.unrecorded,
        )
        for meeting in meetings
    ]


def _list_recent_changes() -> list[Change]:
    rows = AuditLog.objects.select_related("actor", "content_type").order_by("-created_at", "-pk")
    return [change_of(row) for row in rows[:RECENT_CHANGES]]


def change_of(row: AuditLog) -> Change:
    """``row`` as people read it; needs its ``actor`` and ``content_type`` loaded."""
    content_type = row.content_type
    try:
        url = reverse(
            f"admin:{content_type.app_label}_{content_type.model}_change", args=[row.object_id]
        )
    except NoReverseMatch:
        url = None
    return Change(
        created_at=row.created_at,
        action=row.action,
        action_label=action_label(row.action),
        actor_name=str(row.actor) if row.actor else None,
        target_label=f"{content_type.name} #{row.object_id}",
        target_url=url,
    )
