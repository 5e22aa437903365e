"""Reads of enrolments, always scoped to the person asking."""

from dataclasses import dataclass, field
from datetime import UTC, datetime

from django.db.models import Max, Min, Prefetch
from django.utils import timezone

from catalogue.models import Meeting, Offering
from catalogue.selectors import with_waiting

from .models import Certificate, Enrolment
from .seats import cancellation_deadline, may_leave

# A learner's enrolment pages show a course's title, not its long texts or search document.
UNSHOWN_COURSE_FIELDS = [
    f"offering__course__{name}"
    for name in (
        "description",
        "description_en",
        "learning_outcomes",
        "learning_outcomes_en",
        "audience",
        "audience_en",
        "funding_note",
        "funding_note_en",
        "search_vector",
    )
]


def _with_offering(enrolments):
    return (
        # The certificate rides along (a LEFT JOIN), so "Mijn cursussen" links it for free.
        enrolments.select_related("offering__course", "offering__location", "certificate")
        .defer(*UNSHOWN_COURSE_FIELDS)
        .prefetch_related(
            Prefetch("offering__meetings", queryset=Meeting.objects.order_by("starts_at"))
        )
    )


def _add_offering_dates(enrolment: Enrolment) -> Enrolment:
    """The offering's first start and last end, from its prefetched meetings (no GROUP BY)."""
    meetings = enrolment.offering.meetings.all()
    enrolment.first_starts_at = meetings[0].starts_at if meetings else None
    enrolment.last_ends_at = max((meeting.ends_at for meeting in meetings), default=None)
    return enrolment


def _by_first_start(enrolment: Enrolment) -> tuple:
    """Soonest offering first; offerings without meetings last, as PostgreSQL sorts NULLs."""
    first = enrolment.first_starts_at
    return (first is None, first or datetime.min.replace(tzinfo=UTC), enrolment.pk)


@dataclass
class MyCourses:
    """A learner's enrolments, sorted the way "Mijn cursussen" shows them."""

    upcoming: list[Enrolment] = field(default_factory=list)
    waitlisted: list[Enrolment] = field(default_factory=list)
    requested: list[Enrolment] = field(default_factory=list)
    past: list[Enrolment] = field(default_factory=list)


def list_my_courses(*, learner, now: datetime | None = None) -> MyCourses:
    """Every enrolment of ``learner`` with its offering, meetings and cancellation deadline."""
    now = now or timezone.now()
    result = MyCourses()
    enrolments = [
        _add_offering_dates(enrolment)
        for enrolment in _with_offering(Enrolment.objects.filter(learner=learner))
    ]
    for enrolment in sorted(enrolments, key=_by_first_start):
        _annotate_deadline(enrolment, now=now)
        ended = enrolment.last_ends_at is not None and enrolment.last_ends_at < now
        if enrolment.status == Enrolment.Status.CONFIRMED and not ended:
            result.upcoming.append(enrolment)
        elif enrolment.status == Enrolment.Status.WAITLISTED and not ended:
            result.waitlisted.append(enrolment)
        elif enrolment.status == Enrolment.Status.REQUESTED and not ended:
            result.requested.append(enrolment)
        else:
            result.past.append(enrolment)
    result.past.reverse()
    return result


def _annotate_deadline(enrolment: Enrolment, *, now: datetime) -> None:
    enrolment.cancel_until = (
        cancellation_deadline(
            offering=enrolment.offering, first_starts_at=enrolment.first_starts_at
        )
        if enrolment.first_starts_at is not None
        else None
    )
    enrolment.can_cancel = may_leave(
        status=enrolment.status, deadline=enrolment.cancel_until, now=now
    )


def get_own_enrolment(*, learner, pk: int, now: datetime | None = None) -> Enrolment:
    """One of ``learner``'s own enrolments; Enrolment.DoesNotExist for anyone else's."""
    enrolment = _add_offering_dates(
        _with_offering(Enrolment.objects.filter(learner=learner)).get(pk=pk)
    )
    _annotate_deadline(enrolment, now=now or timezone.now())
    return enrolment


def get_offering_for_enrolment(
    *, pk: int, viewer=None, company=None, now: datetime | None = None
) -> Offering:
    """An open offering of a published course, with course, location and meetings, and its
    terms: ``cancel_until`` (the cancellation deadline, ``None`` without meetings) and
    ``cancel_until_passed``.

    A closed run (*besloten uitvoering*) only for a ``viewer`` who works at one of its companies,
    or when booking for ``company``, one of them; else Offering.DoesNotExist as for any other
    run one cannot book. ``closed_for`` names the run's companies (empty for a public run)."""
    offerings = Offering.objects.all()
    if company is not None:
        offerings = offerings.for_company(company)
    else:
        offerings = offerings.visible_to(viewer)
    offering = (
        with_waiting(offerings.filter(status=Offering.Status.OPEN, course__is_published=True))
        .select_related("course", "location")
        .prefetch_related(Prefetch("meetings", queryset=Meeting.objects.order_by("starts_at")))
        .annotate(first_starts_at=Min("meetings__starts_at"))
        .get(pk=pk)
    )
    offering.cancel_until = (
        cancellation_deadline(offering=offering, first_starts_at=offering.first_starts_at)
        if offering.first_starts_at is not None
        else None
    )
    offering.cancel_until_passed = bool(
        offering.cancel_until and offering.cancel_until <= (now or timezone.now())
    )
    offering.closed_for = list(offering.private_for.order_by("name").values_list("name", flat=True))
    return offering


def get_active_enrolment(*, learner, offering: Offering) -> Enrolment | None:
    """The learner's requested, confirmed or waitlisted enrolment in an offering, if any."""
    return Enrolment.objects.filter(
        learner=learner, offering=offering, status__in=Enrolment.ACTIVE_STATUSES
    ).first()


def _certificates():
    """Certificates with what the PDF and the public page show: learner, course, provider and
    the offering's first and last meeting (``first_starts_at``, ``last_ends_at``)."""
    return Certificate.objects.select_related(
        "enrolment__learner", "enrolment__offering__course__provider"
    ).annotate(
        first_starts_at=Min("enrolment__offering__meetings__starts_at"),
        last_ends_at=Max("enrolment__offering__meetings__ends_at"),
    )


def get_certificate(*, pk: int) -> Certificate:
    """One certificate with everything its PDF shows (for tasks and mail, not for people)."""
    return _certificates().get(pk=pk)


def get_own_certificate(*, learner, enrolment_pk: int) -> Certificate:
    """The certificate of one of ``learner``'s own enrolments; Certificate.DoesNotExist for
    anyone else's, and for an enrolment without one."""
    return _certificates().get(enrolment__pk=enrolment_pk, enrolment__learner=learner)


def get_certificate_by_code(*, code: str) -> Certificate:
    """The certificate with this verification code; Certificate.DoesNotExist if none."""
    return _certificates().get(verification_code=code)
