"""The run list's filters and order: by period of the first meeting, by status, below minimum.

They work on the annotations ``OfferingAdmin.get_queryset`` adds (``first_meeting``, a subquery).
Periods are Amsterdam calendar days and months.
"""

from datetime import datetime, time, timedelta

from django.contrib import admin
from django.db.models import Case, F, IntegerField, Q, Value, When
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..models import Offering


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
    today = start_of_today()
    return [
        Case(
            When(first_meeting__gte=today, then=Value(0)),
            When(first_meeting__isnull=False, then=Value(1)),
            default=Value(2),
            output_field=IntegerField(),
        ).asc(),
        Case(When(first_meeting__gte=today, then=F("first_meeting"))).asc(),
        F("first_meeting").desc(nulls_last=True),
    ]
