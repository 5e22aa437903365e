"""The run list's filters and order: by period of the first meeting, by status, below minimum.

The filters work on the annotation ``OfferingAdmin.get_queryset`` adds (``first_meeting``, a
subquery); the order needs none, as the admin also orders the runs of other pages' drop-downs by
it. Periods are Amsterdam calendar days and months.
"""

from datetime import datetime, time, timedelta

from django.contrib import admin
from django.db.models import Case, Count, F, IntegerField, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.db.models.lookups import GreaterThanOrEqual, IsNull
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from enrolment.models import Enrolment

from ..models import Meeting, Offering


def first_meeting_start() -> Subquery:
    """An offering's first meeting's start, as a subquery: no join that multiplies rows."""
    return Subquery(
        Meeting.objects.filter(offering=OuterRef("pk"))
        .order_by("starts_at")
        .values("starts_at")[:1]
    )


def enrolment_count(*statuses: str) -> Coalesce:
    """How many of an offering's enrolments have one of ``statuses``, as a subquery."""
    counted = (
        Enrolment.objects.filter(offering=OuterRef("pk"), status__in=statuses)
        .order_by()
        .values("offering")
        .annotate(count=Count("pk"))
        .values("count")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def start_of_today(now: datetime | None = None) -> datetime:
    """Midnight at the start of today, in the hub's time zone."""
    today = timezone.localdate(now)
    return timezone.make_aware(datetime.combine(today, time.min))


def _month_start(moment: datetime, months_ahead: int) -> datetime:
    year, month = moment.year, moment.month + months_ahead
    year, month = year + (month - 1) // 12, (month - 1) % 12 + 1
    return timezone.make_aware(datetime(year, month, 1))


class PeriodFilter(admin.SimpleListFilter):
    """When the run starts: soon, this month, next month, anything to come, or over."""

    title = _("periode")
    parameter_name = "periode"

    def lookups(self, request, model_admin):
        return (
            ("14-dagen", _("komende 14 dagen")),
            ("deze-maand", _("deze maand")),
            ("volgende-maand", _("volgende maand")),
            ("komend", _("vanaf vandaag")),
            ("voorbij", _("begonnen of voorbij")),
            ("zonder-bijeenkomsten", _("zonder bijeenkomsten")),
        )

    def queryset(self, request, queryset):
        today = start_of_today()
        this_month = _month_start(today, 0)
        ranges = {
            "14-dagen": (today, today + timedelta(days=14)),
            "deze-maand": (this_month, _month_start(today, 1)),
            "volgende-maand": (_month_start(today, 1), _month_start(today, 2)),
        }
        value = self.value()
        if value in ranges:
            start, end = ranges[value]
            return queryset.filter(first_meeting__gte=start, first_meeting__lt=end)
        if value == "komend":
            return queryset.filter(first_meeting__gte=today)
        if value == "voorbij":
            return queryset.filter(first_meeting__lt=today)
        if value == "zonder-bijeenkomsten":
            return queryset.filter(first_meeting__isnull=True)
        return queryset


class BelowMinimumFilter(admin.SimpleListFilter):
    """Open runs with fewer confirmed participants than their minimum: go or no-go?"""

    title = _("bezetting")
    parameter_name = "bezetting"

    def lookups(self, request, model_admin):
        return (("onder-minimum", _("onder minimum")),)

    def queryset(self, request, queryset):
        if self.value() == "onder-minimum":
            return queryset.filter(
                Q(status=Offering.Status.OPEN) & Q(confirmed_count__lt=F("min_participants"))
            )
        return queryset


def upcoming_first() -> list:
    """The list's default order: runs from today on, soonest first; then past runs, latest
    first; runs without meetings last."""
    today = Value(start_of_today())
    upcoming = GreaterThanOrEqual(first_meeting_start(), today)
    return [
        Case(
            When(upcoming, then=Value(0)),
            When(IsNull(first_meeting_start(), False), then=Value(1)),
            default=Value(2),
            output_field=IntegerField(),
        ).asc(),
        Case(When(upcoming, then=first_meeting_start())).asc(),
        first_meeting_start().desc(nulls_last=True),
    ]
