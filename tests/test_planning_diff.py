"""diff and format_diff: who is on call when, before vs after."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from oncall_planner import (
    Change,
    Layer,
    OnCallPlan,
    Override,
    Schedule,
    User,
    ValidationError,
    change_schedule_members,
    diff,
    format_diff,
)

NY = ZoneInfo("America/New_York")
ALICE = User("Alice", "alice@example.com")
BOB = User("Bob", "bob@example.com")
ERIN = User("Erin", "erin@example.com")
WEEK = dt.timedelta(weeks=1)
MONDAY = dt.datetime(2025, 3, 3, 9, tzinfo=NY)
SCHEDULE = Schedule("Ops", "America/New_York", [Layer("L", [ALICE, BOB], MONDAY, WEEK)])


def test_same_plan_has_no_changes() -> None:
    assert diff(SCHEDULE, SCHEDULE, MONDAY, MONDAY + 4 * WEEK) == ()


def test_membership_change_lists_each_changed_turn() -> None:
    after = change_schedule_members(SCHEDULE, [ALICE, ERIN], MONDAY + dt.timedelta(days=2))
    changes = diff(SCHEDULE, after, MONDAY, MONDAY + 4 * WEEK)
    assert changes == (
        Change("Ops", MONDAY + WEEK, MONDAY + 2 * WEEK, BOB, ERIN),
        Change("Ops", MONDAY + 3 * WEEK, MONDAY + 4 * WEEK, BOB, ERIN),
    )
    assert all(c.start.utcoffset() == dt.timedelta() for c in changes)


def test_schedule_only_in_after_changes_from_nobody() -> None:
    other = Schedule("New", "America/New_York", [Layer("L", [ERIN], MONDAY, WEEK)])
    changes = diff(OnCallPlan([SCHEDULE]), OnCallPlan([SCHEDULE, other]), MONDAY, MONDAY + WEEK)
    assert changes == (Change("New", MONDAY, MONDAY + WEEK, None, ERIN, presence="after"),)
    assert format_diff(changes).startswith("Schedule 'New' (new): 1 change\n")


def test_schedule_only_in_before_says_removed_not_just_nobody() -> None:
    other = Schedule("Old", "America/New_York", [Layer("L", [ERIN], MONDAY, WEEK)])
    changes = diff(OnCallPlan([SCHEDULE, other]), OnCallPlan([SCHEDULE]), MONDAY, MONDAY + WEEK)
    assert [c.presence for c in changes] == ["before"]
    assert format_diff(changes).startswith("Schedule 'Old' (removed): 1 change\n")


def test_format_diff_shows_each_schedule_in_its_own_zone_unless_tz_is_given() -> None:
    tokyo = Schedule("Tokyo", "Asia/Tokyo", [Layer("L", [ERIN], MONDAY, WEEK)])
    changes = diff(OnCallPlan([SCHEDULE]), OnCallPlan([SCHEDULE, tokyo]), MONDAY, MONDAY + WEEK)
    zones = {"Ops": SCHEDULE.time_zone, "Tokyo": "Asia/Tokyo"}
    text = format_diff(changes, zones=zones)
    start = MONDAY.astimezone(ZoneInfo("Asia/Tokyo")).strftime("%a %Y-%m-%d %H:%M")
    assert text.startswith("Schedule 'Tokyo' (Asia/Tokyo) (new): 1 change\n")
    assert f"  {start} JST" in text
    assert "JST" not in format_diff(changes, "Etc/UTC", zones=zones)


def test_overrides_on_each_side_are_rendered() -> None:
    cover = Override(MONDAY, MONDAY + dt.timedelta(hours=5), ERIN)
    changes = diff(SCHEDULE, SCHEDULE, MONDAY, MONDAY + WEEK, overrides_after={"Ops": [cover]})
    assert changes == (Change("Ops", cover.start, cover.end, ALICE, ERIN),)


def test_adjacent_stretches_with_the_same_pair_merge() -> None:
    a = Override(MONDAY, MONDAY + dt.timedelta(hours=2), ERIN)
    b = Override(MONDAY + dt.timedelta(hours=2), MONDAY + dt.timedelta(hours=3), ERIN)
    changes = diff(SCHEDULE, SCHEDULE, MONDAY, MONDAY + WEEK, overrides_after={"Ops": [a, b]})
    assert [(c.start, c.end) for c in changes] == [(a.start, b.end)]


def test_window_must_be_ordered() -> None:
    with pytest.raises(ValidationError, match="until must be after since"):
        diff(SCHEDULE, SCHEDULE, MONDAY, MONDAY)


def test_format_diff_shows_times_in_the_zone_asked() -> None:
    change = Change("Ops", MONDAY + WEEK, MONDAY + 2 * WEEK, BOB, ERIN)
    assert format_diff([change], "America/New_York") == (
        "Schedule 'Ops': 1 change\n"
        "  Mon 2025-03-10 09:00 EDT → Mon 2025-03-17 09:00 EDT (168 h)  Bob → Erin\n"
    )


def test_format_diff_says_nobody_for_empty_sides() -> None:
    change = Change("Ops", MONDAY, MONDAY + WEEK, None, ERIN)
    assert "nobody → Erin" in format_diff([change])


def test_format_diff_without_changes_says_so() -> None:
    assert format_diff([]) == "No changes: the same people are on call in both plans.\n"
