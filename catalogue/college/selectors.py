"""Reads of a college's own pages, each in a fixed number of queries.

A college's staff see their provider's people by name, company and attendance only: the
participant list selects nothing else about them.
"""

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Exists, Max, Min, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.utils.translation import gettext as _

from companies.models import Company
from companies.names import dutch_name_order
from enrolment.models import Attendance, Enrolment
from technohub.models import AuditLog

from ..models import Course, Meeting, Offering, Provider

# How far back the overview shows runs that have ended.
RECENT_DAYS = 90
# Participants of a run: confirmed now, or decided by completing the run.
PARTICIPANT_STATUSES = (Enrolment.Status.CONFIRMED, *Enrolment.OUTCOME_STATUSES)
# The audit actions that mark a course or run as drafted by a college.
COURSE_DRAFTED = "course.drafted"
OFFERING_DRAFTED = "offering.drafted"


def list_providers() -> QuerySet[Provider]:
    """Every provider, by name, for whoever manages them all to choose one."""
    return Provider.objects.order_by("name")


@dataclass
class Overview:
    """A provider's courses and runs: ``upcoming`` (not ended yet, soonest first) and
    ``recent`` (ended in the last :data:`RECENT_DAYS` days, latest first)."""

    courses: list[Course] = field(default_factory=list)
    upcoming: list[Offering] = field(default_factory=list)
    recent: list[Offering] = field(default_factory=list)


def _provider_offerings(provider: Provider) -> QuerySet[Offering]:
    return Offering.objects.filter(course__provider=provider)


def get_overview(*, provider: Provider, now: datetime) -> Overview:
    """The provider's courses (published and concept) and runs, in four queries.

    Each run carries ``first_starts_at``, ``last_ends_at``, ``waiting`` (people on the waiting
    list), ``attendance_meeting_id`` (the first meeting that has started without attendance,
    while the run is not cancelled or completed), ``may_complete`` (open and over) and
    ``private_companies`` (the companies of a closed run, by name).
    """
    courses = list(
        provider.courses.order_by("-is_published", "title").annotate(
            runs=Count("offerings", distinct=True)
        )
    )
    untaken = (
        Meeting.objects.filter(offering=OuterRef("pk"), starts_at__lte=now)
        .exclude(Exists(Attendance.objects.filter(meeting=OuterRef("pk"))))
        .order_by("starts_at", "pk")
        .values("pk")[:1]
    )
    waiting = (
        Enrolment.objects.filter(offering=OuterRef("pk"), status=Enrolment.Status.WAITLISTED)
        .order_by()
        .values("offering")
        .annotate(count=Count("pk"))
        .values("count")
    )
    offerings = (
        _provider_offerings(provider)
        .select_related("course", "location")
        .prefetch_related(
            Prefetch(
                "private_for",
                queryset=Company.objects.order_by("name").only("pk", "name"),
                to_attr="private_companies",
            )
        )
        .annotate(
            first_starts_at=Min("meetings__starts_at"),
            last_ends_at=Max("meetings__ends_at"),
            waiting=Subquery(waiting),
            untaken_meeting_id=Subquery(untaken),
        )
        .filter(Q(last_ends_at__isnull=True) | Q(last_ends_at__gte=now - timedelta(RECENT_DAYS)))
    )
    overview = Overview(courses=courses)
    for offering in offerings:
        offering.waiting = offering.waiting or 0
        active = offering.status in (Offering.Status.OPEN, Offering.Status.CONCEPT)
        offering.attendance_meeting_id = offering.untaken_meeting_id if active else None
        offering.may_complete = (
            offering.status == Offering.Status.OPEN
            and offering.last_ends_at is not None
            and offering.last_ends_at <= now
        )
        if offering.last_ends_at is None or offering.last_ends_at >= now:
            overview.upcoming.append(offering)
        else:
            overview.recent.append(offering)
    far = datetime.max.replace(tzinfo=now.tzinfo)
    overview.upcoming.sort(key=lambda o: (o.first_starts_at or far, o.pk))
    overview.recent.sort(key=lambda o: (o.last_ends_at, o.pk), reverse=True)
    return overview


def get_offering(*, provider: Provider, pk: int) -> Offering:
    """One run of ``provider``'s courses, with course, location and meetings in order; else
    Offering.DoesNotExist (another provider's run does not exist here)."""
    return (
        _provider_offerings(provider)
        .select_related("course", "location")
        .prefetch_related(
            Prefetch("meetings", queryset=Meeting.objects.order_by("starts_at", "pk")),
            Prefetch(
                "private_for",
                queryset=Company.objects.order_by("name").only("pk", "name"),
                to_attr="private_companies",
            ),
        )
        .get(pk=pk)
    )


@dataclass
class Participant:
    """What a college sees of a participant: a name, a company and attendance, nothing more."""

    name: str
    company: str
    status: str
    attendance: list[str | None]


def list_participants(*, offering: Offering) -> list[Participant]:
    """The run's participants in Dutch name order, each with the state of their attendance
    per meeting of ``offering.meetings`` (None where none was taken). Two queries."""
    meetings = list(offering.meetings.all())
    enrolments = (
        Enrolment.objects.filter(offering=offering, status__in=PARTICIPANT_STATUSES)
        .order_by(*dutch_name_order("learner"))
        .values_list(
            "pk",
            "learner__first_name",
            "learner__last_name",
            "learner__erased_at",
            "company__name",
            "status",
        )
    )
    states = {
        (enrolment_id, meeting_id): state
        for enrolment_id, meeting_id, state in Attendance.objects.filter(
            enrolment__offering=offering
        ).values_list("enrolment_id", "meeting_id", "state")
    }
    return [
        Participant(
            name=str(_("verwijderd account")) if erased else f"{first} {last}".strip(),
            company=company or "",
            status=status,
            attendance=[states.get((pk, meeting.pk)) for meeting in meetings],
        )
        for pk, first, last, erased, company, status in enrolments
    ]


def count_message_recipients(*, offering: Offering) -> int:
    """How many people a message to the run's participants reaches: its confirmed learners,
    exactly those ``enrolment.services.mail_participants`` mails."""
    return Enrolment.objects.filter(offering=offering, status=Enrolment.Status.CONFIRMED).count()


def get_draft_course(*, provider: Provider, pk: int) -> Course:
    """One of ``provider``'s courses, with its themes; else Course.DoesNotExist."""
    return provider.courses.prefetch_related("themes").get(pk=pk)


def _drafted(action: str, model) -> Exists:
    return Exists(
        AuditLog.objects.filter(
            action=action,
            content_type=ContentType.objects.get_for_model(model),
            object_id=OuterRef("pk"),
        )
    )


@dataclass(frozen=True)
class DraftCounts:
    """How many of the colleges' drafts wait for the programme manager."""

    courses: int
    offerings: int

    @property
    def total(self) -> int:
        return self.courses + self.offerings


def count_drafts_to_publish() -> DraftCounts:
    """Concept courses and concept runs that a college drafted, for the programme manager's
    start page: each waits to be checked and published in the admin. Two queries."""
    courses = Course.objects.filter(is_published=False).filter(_drafted(COURSE_DRAFTED, Course))
    offerings = Offering.objects.filter(status=Offering.Status.CONCEPT).filter(
        _drafted(OFFERING_DRAFTED, Offering)
    )
    return DraftCounts(courses=courses.count(), offerings=offerings.count())
