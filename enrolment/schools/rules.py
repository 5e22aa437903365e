"""The rules of school visits as plain functions, free of the database.

A group's level and year decide its target group (``catalogue.SchoolTargetGroup``); an activity
asks one supervisor per ``pupils_per_supervisor`` pupils; the school year runs from 1 August to
31 July; the teacher may move or cancel online until ``SCHOOL_RESCHEDULE_DAYS`` before the visit.
"""

from collections.abc import Iterable
from datetime import date, timedelta
from math import ceil

from django.conf import settings

from catalogue.models import SchoolTargetGroup

MAX_PREFERRED_DATES = 3
MAX_BLACKOUT_DATES = 30
SCHOOL_YEAR_FIRST_MONTH = 8  # 1 August


def target_group(level: str, year: int) -> str | None:
    """The target group of a group (``SchoolGroup.Level`` and its year), or None when the
    activities for schools are not made for it (primary school groups 1–4)."""
    if level == "po":
        return SchoolTargetGroup.PO_5_8 if 5 <= year <= 8 else None
    if level == "vmbo":
        return SchoolTargetGroup.VMBO_1_2 if year <= 2 else SchoolTargetGroup.VMBO_3_4
    if level == "havo_vwo":
        return SchoolTargetGroup.HAVO_VWO
    if level == "mbo":
        return SchoolTargetGroup.MBO
    return None


def unsuited_groups(
    groups: Iterable[tuple[str, int]], target_groups: Iterable[str]
) -> list[tuple[str, int]]:
    """The (level, year) pairs of ``groups`` an activity for ``target_groups`` is not made for."""
    wanted = set(target_groups)
    return [(level, year) for level, year in groups if target_group(level, year) not in wanted]


def supervisors_needed(pupils: int, pupils_per_supervisor: int) -> int:
    """How many supervisors ``pupils`` need at one per ``pupils_per_supervisor`` (rounded up)."""
    return ceil(pupils / pupils_per_supervisor) if pupils > 0 else 0


def school_year(day: date) -> tuple[date, date]:
    """The first and last day of the school year ``day`` falls in (1 August – 31 July)."""
    first_year = day.year if day.month >= SCHOOL_YEAR_FIRST_MONTH else day.year - 1
    return date(first_year, SCHOOL_YEAR_FIRST_MONTH, 1), date(
        first_year + 1, SCHOOL_YEAR_FIRST_MONTH, 1
    ) - timedelta(days=1)


def change_deadline(visit_date: date) -> date:
    """The last day the teacher may move or cancel a visit on ``visit_date`` online."""
    return visit_date - timedelta(days=settings.SCHOOL_RESCHEDULE_DAYS)


def may_change(visit_date: date, today: date) -> bool:
    """Whether the teacher may still move or cancel the visit online on ``today``."""
    return today <= change_deadline(visit_date)


def is_wanted(
    day: date,
    *,
    preferred_dates: Iterable[date],
    window_from: date | None,
    window_to: date | None,
    blackout_dates: Iterable[date],
) -> bool:
    """Whether the teacher's request asks for ``day``: one of the preferred dates or inside the
    window, and not one of the dates that cannot."""
    if day in set(blackout_dates):
        return False
    if day in set(preferred_dates):
        return True
    return window_from is not None and window_to is not None and window_from <= day <= window_to


def host_receives_on(day: date, weekdays: Iterable[int]) -> bool:
    """Whether the host receives groups on ``day`` (``weekdays``: 0 = Monday)."""
    return day.weekday() in set(weekdays)


def due_reminders(visit_date: date, today: date, *, already_sent: Iterable[int]) -> list[int]:
    """The reminders (days before the visit, from ``SCHOOL_REMINDER_DAYS``) due on ``today`` and
    not yet sent, nearest first. A reminder missed on its day is still due while the visit is
    ahead. When several are due, one mail goes (for the nearest) and all of them count as sent."""
    days_left = (visit_date - today).days
    if days_left < 0:
        return []
    sent = set(already_sent)
    return sorted(
        days for days in settings.SCHOOL_REMINDER_DAYS if days >= days_left and days not in sent
    )
