"""Closed runs (*besloten uitvoeringen*) in the portal: the runs only this company's people may
join, at the price agreed for them."""

from datetime import datetime

from django.db.models import Min, Prefetch, QuerySet
from django.utils import timezone

from catalogue.models import Meeting, Offering

from ..models import Company


def closed_runs_for(*, company: Company) -> QuerySet[Offering]:
    """Every closed run for ``company``, whatever its status."""
    return Offering.objects.filter(private_for=company)


def list_closed_runs(*, company: Company, now: datetime | None = None) -> list[Offering]:
    """The company's closed runs that are open for booking and still to start, soonest first,
    with course, location and meetings (three queries)."""
    now = now or timezone.now()
    return list(
        closed_runs_for(company=company)
        .filter(status=Offering.Status.OPEN, course__is_published=True)
        .annotate(first_starts_at=Min("meetings__starts_at"))
        .filter(first_starts_at__gt=now)
        .select_related("course", "location")
        .prefetch_related(Prefetch("meetings", queryset=Meeting.objects.order_by("starts_at")))
        .order_by("first_starts_at", "pk")
    )
