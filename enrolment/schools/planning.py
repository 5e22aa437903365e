"""The coordinator's planning: a slot for a request (``allocate``) and the hub's cancellation.

Capacity follows the lock protocol of seats (``enrolment.seats``): one durable transaction per
service; inside it the activity's row first (``SELECT … FOR NO KEY UPDATE``), then, for a visit
of the mobile hub, the mobile hub itself (a transaction-level advisory lock: there is one mobile
hub, whichever activity or location the visit uses), then the request's row; every count is read
again under those locks. Two coordinators allocating the last place of a day, or the mobile hub
at two schools on one day, wait for each other and the second one sees the first one's visit.
Waits are bounded: a lock held too long becomes ``PlanningBusy`` ("busy, try again").

The host's answer to a planned visit is in ``host_links``.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from catalogue.models import Location, SchoolActivity
from enrolment import outbox
from technohub import audit
from technohub.errors import DomainError, busy_after

from ..models import SchoolRequest, SchoolVisit
from . import rules

if TYPE_CHECKING:
    from companies.models import User

LOCK_TIMEOUT = "3s"
# The key of the advisory lock that serialises every visit of the (one) mobile hub.
MOBILE_HUB_LOCK_KEY = 2020_0001


class PlanningRefused(DomainError):
    """A slot cannot be allocated, or a request not cancelled; the message says which rule."""


class PlanningBusy(PlanningRefused):
    """Someone else holds the activity or the mobile hub for too long; trying again works."""


def host_token_hash(token: str) -> str:
    """The SHA-256 (hex) of a host link's token, as ``SchoolVisit.host_token_hash`` keeps it."""
    return hashlib.sha256(token.encode()).hexdigest()


def is_mobile_visit(*, activity: SchoolActivity, transport: str) -> bool:
    """Whether a visit takes the mobile hub to the school: a mobile-hub activity, or a request
    that asks for the mobile hub as its transport."""
    return (
        activity.kind == SchoolActivity.Kind.MOBILE_HUB
        or transport == SchoolRequest.Transport.MOBILE_HUB
    )


def mobile_hub_visits():
    """The visits (any status) that take the mobile hub out, as a queryset to filter."""
    return SchoolVisit.objects.filter(
        Q(activity__kind=SchoolActivity.Kind.MOBILE_HUB)
        | Q(request__transport=SchoolRequest.Transport.MOBILE_HUB)
    )


def visit_times(day: date, start_time: time, duration_minutes: int) -> tuple[datetime, datetime]:
    """When a visit on ``day`` starting at ``start_time`` (the hub's local time) begins and ends."""
    starts_at = timezone.make_aware(datetime.combine(day, start_time))
    return starts_at, starts_at + timedelta(minutes=duration_minutes)


def allocate(
    *,
    school_request: SchoolRequest,
    day: date,
    start_time: time,
    location: Location | None,
    planner: User,
    outside_wanted_dates: bool = False,
    today: date | None = None,
) -> SchoolVisit:
    """Give a requested visit a slot: the activity on ``day`` at ``start_time`` and ``location``.

    Preconditions checked under the locks: the request is still requested; the day is not past,
    is one the teacher asked for (unless ``outside_wanted_dates``: the coordinator agreed another
    day with the school), the host receives groups that weekday; the activity has a place left
    that day and room for the request's pupils; the location is one of the activity's (none for
    an activity at the school); a visit of the mobile hub finds it free that day.

    Side effects: a planned visit and the request planned, audited. With a host contact the
    contact is mailed a single-use link to confirm or decline (valid ``SCHOOL_HOST_LINK_DAYS``,
    never past the visit); without one the hub confirms at once and the teacher is mailed the
    confirmation. Raises PlanningRefused naming the rule that failed, PlanningBusy after a
    bounded wait for the locks.
    """
    today = today or timezone.localdate()
    now = timezone.now()
    with transaction.atomic(durable=True):
        activity_id = school_request.activity_id
        # Two allocations of the last place of a day: the activity's row decides who is first.
        with busy_after(LOCK_TIMEOUT, refusal=PlanningBusy):
            activity = (
                SchoolActivity.objects.select_for_update(no_key=True, of=("self",))
                .select_related("host_contact")
                .get(pk=activity_id)
            )
            locked = (
                SchoolRequest.objects.select_for_update(of=("self",))
                .select_related("school", "teacher")
                .get(pk=school_request.pk)
            )
            mobile = is_mobile_visit(activity=activity, transport=locked.transport)
            if mobile:
                # The mobile hub at two schools on one day: one at a time, whatever the activity.
                with connection.cursor() as cursor:
                    cursor.execute("SELECT pg_advisory_xact_lock(%s)", [MOBILE_HUB_LOCK_KEY])
        pupils = sum(group.pupils for group in locked.groups.all())
        _check_allocation(
            activity=activity,
            school_request=locked,
            day=day,
            location=location,
            pupils=pupils,
            mobile=mobile,
            outside_wanted_dates=outside_wanted_dates,
            today=today,
        )
        starts_at, ends_at = visit_times(day, start_time, activity.duration_minutes)
        visit = SchoolVisit(
            request=locked,
            activity=activity,
            location=None if activity.at_school else location,
            date=day,
            starts_at=starts_at,
            ends_at=ends_at,
            pupils=pupils,
            planned_by=planner,
        )
        token = None
        if activity.host_contact is not None and activity.host_contact.is_active:
            token = secrets.token_urlsafe(32)
            visit.host_token_hash = host_token_hash(token)
            visit.host_link_expires_at = min(
                now + timedelta(days=settings.SCHOOL_HOST_LINK_DAYS), starts_at
            )
            locked.status = SchoolRequest.Status.PLANNED
        else:
            visit.status = SchoolVisit.Status.CONFIRMED
            locked.status = SchoolRequest.Status.CONFIRMED
        visit.save()
        locked.save(update_fields=["status", "updated_at"])
        audit.record(
            action="school_visit.allocated",
            target=locked,
            actor=planner,
            visit=visit.pk,
            date=day.isoformat(),
        )
        if token is not None:
            _mail_host(visit=visit, host=activity.host_contact, token=token)
        else:
            audit.record(action="school_visit.confirmed", target=locked, actor=planner)
            mail_confirmation(visit=visit, school_request=locked)
    return visit


def _check_allocation(
    *,
    activity: SchoolActivity,
    school_request: SchoolRequest,
    day: date,
    location: Location | None,
    pupils: int,
    mobile: bool,
    outside_wanted_dates: bool,
    today: date,
) -> None:
    if school_request.status != SchoolRequest.Status.REQUESTED:
        raise PlanningRefused(
            _("Deze aanvraag is niet meer open: ze is al ingepland of geannuleerd.")
        )
    if day < today:
        raise PlanningRefused(_("Deze dag is al voorbij."), field="day")
    if not outside_wanted_dates and not rules.is_wanted(
        day,
        preferred_dates=school_request.preferred_dates,
        window_from=school_request.window_from,
        window_to=school_request.window_to,
        blackout_dates=school_request.blackout_dates,
    ):
        raise PlanningRefused(
            _("De school heeft niet om deze dag gevraagd (of hij kan juist niet)."), field="day"
        )
    if not rules.host_receives_on(day, activity.weekdays):
        raise PlanningRefused(
            _("Het gastbedrijf ontvangt op deze dag van de week geen groepen."), field="day"
        )
    if pupils > activity.max_pupils:
        raise PlanningRefused(
            _("De aanvraag heeft %(pupils)s leerlingen; de activiteit kan er %(max)s aan.")
            % {"pupils": pupils, "max": activity.max_pupils}
        )
    if activity.at_school:
        if location is not None:
            raise PlanningRefused(
                _("Deze activiteit is op de school zelf; kies geen plaats."), field="location"
            )
    elif location is None or not activity.locations.filter(pk=location.pk).exists():
        raise PlanningRefused(
            _("Kies een van de plaatsen waar deze activiteit kan."), field="location"
        )
    taken = SchoolVisit.objects.filter(
        activity=activity, date=day, status__in=SchoolVisit.LIVE_STATUSES
    ).count()
    if taken >= activity.places_per_day:
        raise PlanningRefused(
            _("Deze dag is vol: alle %(places)s plaatsen van de activiteit zijn bezet.")
            % {"places": activity.places_per_day},
            field="day",
        )
    if mobile:
        elsewhere = (
            mobile_hub_visits()
            .filter(date=day, status__in=SchoolVisit.LIVE_STATUSES)
            .exclude(request__school_id=school_request.school_id)
            .select_related("request__school")
            .first()
        )
        if elsewhere is not None:
            raise PlanningRefused(
                _("De mobiele hub is die dag al bij %(school)s.")
                % {"school": elsewhere.request.school.name},
                field="day",
            )


def cancel_by_hub(
    *, school_request: SchoolRequest, reason: str, actor: User, now: datetime | None = None
) -> SchoolRequest:
    """Cancel a request for the hub, with a reason the teacher reads.

    Preconditions: the request is requested, planned or confirmed, and ``reason`` is not empty.
    Side effects: the request cancelled by the hub, its live visit cancelled, the teacher mailed
    ``school_visit_cancelled``, and the host contact too when a visit was live; audited. Raises
    PlanningRefused otherwise, PlanningBusy after a bounded wait.
    """
    now = now or timezone.now()
    reason = reason.strip()
    if not reason:
        raise PlanningRefused(_("Geef een reden; de docent leest die."), field="reason")
    with transaction.atomic(durable=True):
        # A cancellation racing an allocation or the host's answer: the activity's row first.
        with busy_after(LOCK_TIMEOUT, refusal=PlanningBusy):
            SchoolActivity.objects.select_for_update(no_key=True).get(pk=school_request.activity_id)
            locked = (
                SchoolRequest.objects.select_for_update(of=("self",))
                .select_related("teacher", "activity__host_contact")
                .get(pk=school_request.pk)
            )
        if locked.status in (SchoolRequest.Status.CANCELLED, SchoolRequest.Status.DONE):
            raise PlanningRefused(_("Deze aanvraag is al geannuleerd of afgerond."))
        live = (
            SchoolVisit.objects.select_for_update()
            .filter(request=locked, status__in=SchoolVisit.LIVE_STATUSES)
            .first()
        )
        if live is not None:
            live.status = SchoolVisit.Status.CANCELLED
            live.cancelled_at = now
            live.save(update_fields=["status", "cancelled_at", "updated_at"])
        locked.status = SchoolRequest.Status.CANCELLED
        locked.cancelled_at = now
        locked.cancelled_by = SchoolRequest.Party.HUB
        locked.cancel_reason = reason[:500]
        locked.save(
            update_fields=["status", "cancelled_at", "cancelled_by", "cancel_reason", "updated_at"]
        )
        audit.record(action="school_request.cancelled", target=locked, actor=actor, by="hub")
        context = (
            {"school_visit_id": live.pk} if live is not None else {"school_request_id": locked.pk}
        )
        if locked.teacher is not None:
            outbox.queue_for(locked.teacher, template="school_visit_cancelled", context=context)
        host = locked.activity.host_contact
        if live is not None and host is not None and host.is_active:
            outbox.queue_for(host, template="school_visit_cancelled", context=context)
    return locked


def mail_confirmation(*, visit: SchoolVisit, school_request: SchoolRequest) -> None:
    """Queue the teacher's confirmation of a visit (inside the caller's transaction)."""
    if school_request.teacher is not None:
        outbox.queue_once_for(
            school_request.teacher,
            template="school_visit_confirmed",
            dedupe_key=f"school_visit_confirmed:{visit.pk}",
            context={"school_visit_id": visit.pk},
        )


def _mail_host(*, visit: SchoolVisit, host: User, token: str) -> None:
    # The raw token lives only in this mail; the visit keeps its hash.
    with translation.override(host.preferred_language):
        path = reverse("school_requests:host_answer", args=[token])
    outbox.queue_for(
        host,
        template="school_host_request",
        context={
            "school_visit_id": visit.pk,
            "answer_url": f"{settings.SITE_URL}{path}",
        },
    )
