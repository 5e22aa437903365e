"""Reads about school visits shared by the public pages and the reports."""

from datetime import date

from django.db.models import Sum
from django.utils import timezone

from ..models import SchoolVisit
from . import rules


def pupils_this_school_year(*, today: date | None = None) -> int:
    """How many pupils came to a confirmed visit this school year, up to and including today:
    the public counter on the schools page."""
    today = today or timezone.localdate()
    first_day, _ = rules.school_year(today)
    return (
        SchoolVisit.objects.filter(
            status=SchoolVisit.Status.CONFIRMED, date__gte=first_day, date__lte=today
        ).aggregate(pupils=Sum("pupils"))["pupils"]
        or 0
    )
