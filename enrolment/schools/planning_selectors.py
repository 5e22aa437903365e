"""What the coordinator's planning pages read, each in a fixed number of queries.

The month calendar (:func:`get_month_calendar`): per activity and day its visits, places taken
and pupils, and the days its host does not receive groups; the mobile hub's route (per day the
school it is at); and the open requests beside it. A request's page
(:func:`get_request_for_planning`) and the days worth offering it (:func:`suggest_days`).
"""

from __future__ import annotations

import calendar
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import Count, Prefetch, Q, Sum

from catalogue.models import SchoolActivity

from ..models import SchoolGroup, SchoolRequest, SchoolVisit
from . import rules
from .planning import is_mobile_visit, mobile_hub_visits

# How far into a window the suggestions look, so a window of a whole year stays a short list.
MAX_SUGGESTIONS = 12


@dataclass
class ActivityDay:
    day: date
    receives: bool
    visits: list[SchoolVisit] = field(default_factory=list)

    @property
    def places_taken(self) -> int:
        return sum(1 for visit in self.visits if visit.status in SchoolVisit.LIVE_STATUSES)

    @property
    def pupils(self) -> int:
        return sum(
            visit.pupils for visit in self.visits if visit.status in SchoolVisit.LIVE_STATUSES
        )


@dataclass
class ActivityMonth:
    activity: SchoolActivity
    days: list[ActivityDay]


@dataclass
class MobileDay:
    day: date
    visits: list[SchoolVisit]


@dataclass
class MonthCalendar:
    first_day: date
    previous_month: date
    next_month: date
    activities: list[ActivityMonth]
    mobile_route: list[MobileDay]
    open_requests: list[SchoolRequest]


def month_days(first_day: date) -> list[date]:
    """Every day of the month that starts on ``first_day``."""
    count = calendar.monthrange(first_day.year, first_day.month)[1]
    return [first_day + timedelta(days=offset) for offset in range(count)]


def _with_pupils(queryset):
    return queryset.annotate(pupil_count=Sum("groups__pupils"))


def get_month_calendar(*, first_day: date) -> MonthCalendar:
    """The planning calendar of the month starting on ``first_day`` (5 queries)."""
    days = month_days(first_day)
    last_day = days[-1]
    visits = list(
        SchoolVisit.objects.filter(
            date__gte=first_day, date__lte=last_day, status__in=SchoolVisit.LIVE_STATUSES
        )
        .select_related("request__school", "activity")
        .order_by("starts_at", "pk")
    )
    by_activity_day: dict[tuple[int, date], list[SchoolVisit]] = defaultdict(list)
    for visit in visits:
        by_activity_day[(visit.activity_id, visit.date)].append(visit)
    busy_activities = {visit.activity_id for visit in visits}
    activities = list(
        SchoolActivity.objects.filter(Q(is_published=True) | Q(pk__in=busy_activities))
        .select_related("host")
        .order_by("title")
    )
    months = [
        ActivityMonth(
            activity=activity,
            days=[
                ActivityDay(
                    day=day,
                    receives=rules.host_receives_on(day, activity.weekdays),
                    visits=by_activity_day.get((activity.pk, day), []),
                )
                for day in days
            ],
        )
        for activity in activities
    ]
    mobile_by_day: dict[date, list[SchoolVisit]] = defaultdict(list)
    for visit in (
        mobile_hub_visits()
        .filter(date__gte=first_day, date__lte=last_day, status__in=SchoolVisit.LIVE_STATUSES)
        .select_related("request__school", "activity")
        .order_by("starts_at", "pk")
    ):
        mobile_by_day[visit.date].append(visit)
    route = [
        MobileDay(day=day, visits=mobile_by_day.get(day, []))
        for day in days
        if day.weekday() < 5 or mobile_by_day.get(day)
    ]
    previous_month = (first_day - timedelta(days=1)).replace(day=1)
    return MonthCalendar(
        first_day=first_day,
        previous_month=previous_month,
        next_month=last_day + timedelta(days=1),
        activities=months,
        mobile_route=route,
        open_requests=list_open_requests(),
    )


def list_open_requests() -> list[SchoolRequest]:
    """The requests waiting for a slot, longest waiting first, with their groups (2 queries)."""
    return list(
        _with_pupils(SchoolRequest.objects.filter(status=SchoolRequest.Status.REQUESTED))
        .select_related("school", "activity")
        .prefetch_related(Prefetch("groups", queryset=SchoolGroup.objects.order_by("pk")))
        .order_by("created_at", "pk")
    )


def get_request_for_planning(*, pk: int) -> SchoolRequest:
    """A request with everything its planning page shows. Raises SchoolRequest.DoesNotExist."""
    return (
        _with_pupils(SchoolRequest.objects.all())
        .select_related("school", "teacher", "activity__host", "activity__host_contact")
        .prefetch_related(
            Prefetch("groups", queryset=SchoolGroup.objects.order_by("pk")),
            Prefetch(
                "visits",
                queryset=SchoolVisit.objects.select_related("location", "planned_by").order_by(
                    "created_at", "pk"
                ),
            ),
            "activity__locations",
        )
        .get(pk=pk)
    )


@dataclass(frozen=True)
class Suggestion:
    day: date
    free_places: int
    mobile_elsewhere: str  # the school the mobile hub is at that day, if it is needed elsewhere


def suggest_days(*, school_request: SchoolRequest, today: date) -> list[Suggestion]:
    """The days the teacher asked for, from today, on which the host receives groups, with the
    places still free (2 queries). Days without a free place are left out."""
    activity = school_request.activity
    candidates = set(school_request.preferred_dates)
    if school_request.window_from and school_request.window_to:
        day = max(school_request.window_from, today)
        while day <= school_request.window_to and len(candidates) < 60:
            candidates.add(day)
            day += timedelta(days=1)
    days = sorted(
        day
        for day in candidates
        if day >= today
        and rules.host_receives_on(day, activity.weekdays)
        and rules.is_wanted(
            day,
            preferred_dates=school_request.preferred_dates,
            window_from=school_request.window_from,
            window_to=school_request.window_to,
            blackout_dates=school_request.blackout_dates,
        )
    )
    if not days:
        return []
    taken = dict(
        SchoolVisit.objects.filter(
            activity=activity, date__in=days, status__in=SchoolVisit.LIVE_STATUSES
        )
        .values_list("date")
        .annotate(count=Count("pk"))
        .values_list("date", "count")
    )
    mobile_elsewhere: dict[date, str] = {}
    if is_mobile_visit(activity=activity, transport=school_request.transport):
        for day, school in (
            mobile_hub_visits()
            .filter(date__in=days, status__in=SchoolVisit.LIVE_STATUSES)
            .exclude(request__school_id=school_request.school_id)
            .values_list("date", "request__school__name")
        ):
            mobile_elsewhere.setdefault(day, school)
    suggestions = [
        Suggestion(
            day=day,
            free_places=activity.places_per_day - taken.get(day, 0),
            mobile_elsewhere=mobile_elsewhere.get(day, ""),
        )
        for day in days
    ]
    return [s for s in suggestions if s.free_places > 0 and not s.mobile_elsewhere][
        :MAX_SUGGESTIONS
    ]
