"""Reads for the programme manager's dashboard: fill rates, go/no-go, waiting lists, demand.

Everything the page shows comes from ``get_staff_dashboard`` in four queries, whatever the number of
offerings, enrolments or needs: the offerings of the coming weeks, the longest waiting lists, the
enrolments per week and the demand per theme. Aggregation happens in PostgreSQL; Python only shapes
the rows.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.db.models import Count, F, IntegerField, OuterRef, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce, TruncWeek
from django.utils import timezone

from catalogue.models import Meeting, Offering, Theme
from companies.demand.services import OPEN_NEED_STATUSES
from companies.models import TrainingNeed
from enrolment.models import Enrolment

# The hub's weeks run Monday to Sunday in Dutch time, whatever the server's clock says.
HUB_TIMEZONE = ZoneInfo("Europe/Amsterdam")
UPCOMING_WINDOW = timedelta(weeks=8)
WEEKS_SHOWN = 12
TOP_N = 10
# Needs that still ask for something; planned, fulfilled and rejected ones have an answer.


@dataclass(frozen=True)
class OfferingFill:
    """One open offering with its seats: how full it is and how many wait for a place."""

    offering_id: int
    course_title: str
    location_name: str
    first_starts_at: datetime | None
    capacity: int
    min_participants: int
    confirmed: int
    waitlisted: int
    fill_rate: int  # confirmed / capacity, in whole percent (rounded half up)


@dataclass(frozen=True)
class WeekCount:
    """Enrolments created in one ISO week (Monday to Sunday, Dutch time)."""

    week_start: date
    count: int

    @property
    def iso_year(self) -> int:
        return self.week_start.isocalendar().year

    @property
    def iso_week(self) -> int:
        return self.week_start.isocalendar().week


@dataclass(frozen=True)
class ThemeDemand:
    """How much a theme is asked for: by companies' open needs and by waiting lists."""

    theme_id: int
    name: str
    needed: int  # head count of open training needs (status new or in progress)
    waitlisted: int  # waitlisted enrolments in open offerings of courses with this theme
    total: int  # needed + waitlisted: the "vraag" the dashboard ranks themes by


@dataclass(frozen=True)
class StaffDashboard:
    """What the programme manager watches, as of ``now``."""

    now: datetime
    upcoming: list[OfferingFill]
    waiting_lists: list[OfferingFill]
    weekly_enrolments: list[WeekCount]
    theme_demand: list[ThemeDemand]


def get_staff_dashboard(*, now: datetime) -> StaffDashboard:
    """The staff dashboard as of ``now``, in four queries.

    - ``upcoming``: open offerings whose first meeting is after ``now`` and at most 8 weeks ahead,
      soonest first, with confirmed and waitlisted enrolments counted from the enrolment rows.
    - ``waiting_lists``: the 10 open offerings (any date) with the most waitlisted enrolments, more
      than zero; ties go to the sooner offering.
    - ``weekly_enrolments``: enrolments *created* per ISO week, Europe/Amsterdam, for the
      current week and the 11 before it, oldest first, weeks without any included as 0. Every
      enrolment counts whatever its status now — requested, waitlisted and since-cancelled ones
      too — so the figure measures sign-ups and a past week's count never changes afterwards.
    - ``theme_demand``: per theme, the head count of open training needs (new, in progress)
      plus the waitlisted enrolments in open offerings of courses with that theme (a course with two
      themes counts for both); the top 10 themes with any demand, most first. Needs without a
      theme are left out.
    """
    return StaffDashboard(
        now=now,
        upcoming=_list_upcoming_offerings(now=now),
        waiting_lists=_list_longest_waiting_lists(),
        weekly_enrolments=_list_weekly_enrolments(now=now),
        theme_demand=_list_theme_demand(),
    )


def _open_offerings_with_counts() -> QuerySet[Offering]:
    """Open offerings with course and location, their first meeting, and their seat counts.

    The first meeting is a subquery rather than ``Min`` over a join, so joining the enrolments
    for the counts does not multiply rows.
    """
    first_meeting = (
        Meeting.objects.filter(offering=OuterRef("pk")).order_by("starts_at").values("starts_at")
    )
    return (
        Offering.objects.filter(status=Offering.Status.OPEN)
        .select_related("course", "location")
        .annotate(
            first_starts_at=Subquery(first_meeting[:1]),
            confirmed=Count("enrolments", filter=Q(enrolments__status=Enrolment.Status.CONFIRMED)),
            waitlisted=Count(
                "enrolments", filter=Q(enrolments__status=Enrolment.Status.WAITLISTED)
            ),
        )
    )


def _offering_fill(offering: Offering) -> OfferingFill:
    # Whole percent, rounded half up without floats: 1 of 8 is 13%, not banker's 12%.
    fill_rate = (200 * offering.confirmed + offering.capacity) // (2 * offering.capacity)
    return OfferingFill(
        offering_id=offering.pk,
        course_title=offering.course.localized("title"),
        location_name=offering.location.localized("name"),
        first_starts_at=offering.first_starts_at,
        capacity=offering.capacity,
        min_participants=offering.min_participants,
        confirmed=offering.confirmed,
        waitlisted=offering.waitlisted,
        fill_rate=fill_rate,
    )


def _list_upcoming_offerings(*, now: datetime) -> list[OfferingFill]:
    offerings = (
        _open_offerings_with_counts()
        .filter(first_starts_at__gt=now, first_starts_at__lte=now + UPCOMING_WINDOW)
        .order_by("first_starts_at", "pk")
    )
    return [_offering_fill(offering) for offering in offerings]


def _list_longest_waiting_lists() -> list[OfferingFill]:
    offerings = (
        _open_offerings_with_counts()
        .filter(waitlisted__gt=0)
        .order_by("-waitlisted", F("first_starts_at").asc(nulls_last=True), "pk")
    )
    return [_offering_fill(offering) for offering in offerings[:TOP_N]]


def _week_start(moment: datetime) -> date:
    """The Monday of the ISO week ``moment`` falls in, in Dutch time."""
    local = timezone.localtime(moment, HUB_TIMEZONE).date()
    return local - timedelta(days=local.weekday())


def _list_weekly_enrolments(*, now: datetime) -> list[WeekCount]:
    this_week = _week_start(now)
    weeks = [this_week - timedelta(weeks=n) for n in range(WEEKS_SHOWN - 1, -1, -1)]
    # Midnight in Amsterdam: a sign-up at 00:30 on Monday belongs to the new week.
    since = datetime.combine(weeks[0], time.min, tzinfo=HUB_TIMEZONE)
    until = datetime.combine(this_week + timedelta(weeks=1), time.min, tzinfo=HUB_TIMEZONE)
    rows = (
        Enrolment.objects.filter(created_at__gte=since, created_at__lt=until)
        .annotate(week=TruncWeek("created_at", tzinfo=HUB_TIMEZONE))
        .order_by()
        .values("week")
        .annotate(count=Count("pk"))
    )
    counts = {_week_start(row["week"]): row["count"] for row in rows}
    return [WeekCount(week_start=week, count=counts.get(week, 0)) for week in weeks]


def _list_theme_demand() -> list[ThemeDemand]:
    needed = (
        TrainingNeed.objects.filter(theme=OuterRef("pk"), status__in=OPEN_NEED_STATUSES)
        .order_by()
        .values("theme")
        .annotate(total=Sum("headcount"))
        .values("total")
    )
    waitlisted = (
        Enrolment.objects.filter(
            status=Enrolment.Status.WAITLISTED,
            offering__status=Offering.Status.OPEN,
            offering__course__themes=OuterRef("pk"),
        )
        .order_by()
        .values("offering__course__themes")
        .annotate(total=Count("pk"))
        .values("total")
    )
    zero = Value(0, output_field=IntegerField())
    themes = (
        Theme.objects.annotate(
            needed=Coalesce(Subquery(needed, output_field=IntegerField()), zero),
            waitlisted=Coalesce(Subquery(waitlisted, output_field=IntegerField()), zero),
        )
        .annotate(total=F("needed") + F("waitlisted"))
        .filter(total__gt=0)
        .order_by("-total", "name", "pk")
    )
    return [
        ThemeDemand(
            theme_id=theme.pk,
            name=theme.localized("name"),
            needed=theme.needed,
            waitlisted=theme.waitlisted,
            total=theme.total,
        )
        for theme in themes[:TOP_N]
    ]
