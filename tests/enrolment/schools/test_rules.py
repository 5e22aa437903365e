"""The rules of school visits: target groups, supervisors, the school year and deadlines."""

from datetime import date

import pytest

from enrolment.schools import rules


@pytest.mark.parametrize(
    ("level", "year", "expected"),
    [
        ("po", 4, None),
        ("po", 5, "po_5_8"),
        ("po", 8, "po_5_8"),
        ("vmbo", 1, "vmbo_1_2"),
        ("vmbo", 2, "vmbo_1_2"),
        ("vmbo", 3, "vmbo_3_4"),
        ("vmbo", 4, "vmbo_3_4"),
        ("havo_vwo", 6, "havo_vwo"),
        ("mbo", 2, "mbo"),
        ("unknown", 1, None),
    ],
)
def test_a_groups_level_and_year_decide_its_target_group(level, year, expected):
    assert rules.target_group(level, year) == expected


def test_groups_an_activity_is_not_made_for_are_named():
    groups = [("vmbo", 2), ("vmbo", 3), ("po", 6)]
    assert rules.unsuited_groups(groups, ["vmbo_3_4", "po_5_8"]) == [("vmbo", 2)]
    assert rules.unsuited_groups(groups, ["vmbo_1_2", "vmbo_3_4", "po_5_8"]) == []


@pytest.mark.parametrize(
    ("pupils", "per_supervisor", "needed"),
    [(0, 8, 0), (1, 8, 1), (8, 8, 1), (9, 8, 2), (48, 8, 6), (49, 8, 7), (25, 1, 25)],
)
def test_supervisors_are_rounded_up(pupils, per_supervisor, needed):
    assert rules.supervisors_needed(pupils, per_supervisor) == needed


@pytest.mark.parametrize(
    ("day", "first", "last"),
    [
        (date(2026, 12, 1), date(2026, 8, 1), date(2027, 7, 31)),
        (date(2026, 8, 1), date(2026, 8, 1), date(2027, 7, 31)),
        (date(2026, 7, 31), date(2025, 8, 1), date(2026, 7, 31)),
        (date(2028, 2, 29), date(2027, 8, 1), date(2028, 7, 31)),
    ],
)
def test_the_school_year_runs_from_august_to_july(day, first, last):
    assert rules.school_year(day) == (first, last)


def test_the_teacher_may_change_until_the_deadline(settings):
    settings.SCHOOL_RESCHEDULE_DAYS = 10
    visit = date(2027, 3, 18)
    assert rules.change_deadline(visit) == date(2027, 3, 8)
    assert rules.may_change(visit, date(2027, 3, 8))
    assert not rules.may_change(visit, date(2027, 3, 9))


def test_a_wanted_day_is_preferred_or_in_the_window_and_never_a_blackout_date():
    wanted = {
        "preferred_dates": [date(2027, 3, 2)],
        "window_from": date(2027, 4, 1),
        "window_to": date(2027, 4, 30),
        "blackout_dates": [date(2027, 4, 15)],
    }
    assert rules.is_wanted(date(2027, 3, 2), **wanted)
    assert rules.is_wanted(date(2027, 4, 1), **wanted)
    assert rules.is_wanted(date(2027, 4, 30), **wanted)
    assert not rules.is_wanted(date(2027, 4, 15), **wanted)
    assert not rules.is_wanted(date(2027, 3, 3), **wanted)
    assert not rules.is_wanted(
        date(2027, 3, 3), preferred_dates=[], window_from=None, window_to=None, blackout_dates=[]
    )


def test_the_host_receives_on_its_weekdays():
    assert rules.host_receives_on(date(2026, 12, 7), [0, 2])  # a Monday
    assert not rules.host_receives_on(date(2026, 12, 8), [0, 2])


def test_reminders_go_on_their_day_or_late_and_never_twice(settings):
    settings.SCHOOL_REMINDER_DAYS = [14, 2]
    visit = date(2027, 3, 18)
    assert rules.due_reminders(visit, date(2027, 3, 3), already_sent=[]) == []
    assert rules.due_reminders(visit, date(2027, 3, 4), already_sent=[]) == [14]
    assert rules.due_reminders(visit, date(2027, 3, 10), already_sent=[]) == [14]
    assert rules.due_reminders(visit, date(2027, 3, 10), already_sent=[14]) == []
    assert rules.due_reminders(visit, date(2027, 3, 16), already_sent=[14]) == [2]
    # Planned late: both are due; one mail goes for the nearest and both count as sent.
    assert rules.due_reminders(visit, date(2027, 3, 17), already_sent=[]) == [2, 14]
    assert rules.due_reminders(visit, date(2027, 3, 19), already_sent=[]) == []
