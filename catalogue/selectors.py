"""Reads of the catalogue. Selectors own the joins and prefetches their pages need."""

from datetime import datetime

from django.db.models import Min, Prefetch, QuerySet
from django.utils import timezone

from .models import Meeting, Offering


def upcoming_offerings(*, now: datetime | None = None) -> QuerySet[Offering]:
    """Open runs of published courses whose first meeting is still ahead, soonest first."""
    now = now or timezone.now()
    return (
        Offering.objects.filter(status=Offering.Status.OPEN, course__is_published=True)
        .annotate(first_starts_at=Min("meetings__starts_at"))
        .filter(first_starts_at__gt=now)
        .order_by("first_starts_at", "pk")
    )


def list_upcoming_offerings(*, limit: int, now: datetime | None = None) -> list[Offering]:
    """The next ``limit`` runs with course, location and meetings loaded, for the home page."""
    return list(
        upcoming_offerings(now=now)
        .select_related("course", "location")
        .prefetch_related(Prefetch("meetings", queryset=Meeting.objects.order_by("starts_at")))[
            :limit
        ]
    )
