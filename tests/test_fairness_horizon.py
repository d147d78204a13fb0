"""The report horizon: whole rotation cycles by default, or the caller's window."""

from __future__ import annotations

import datetime as dt

import pytest
from fairness_helpers import DAY, WEEK, A, B, C, at, one_layer
from seed_plan import build_plan

from oncall_planner import Layer, OnCallPlan, Restriction, Schedule, ValidationError
from oncall_planner.fairness import cycle_length, resolve_horizon


def test_seed_cycle_is_four_weekly_turns():
    assert cycle_length(build_plan().schedules) == 4 * WEEK


def test_cycle_is_the_lcm_of_every_layers_period():
    s = Schedule(
        "Ops",
        "Etc/UTC",
        [
            Layer("Days", [A, B, C], at(2025, 1, 6), DAY),
            Layer("Weeks", [A, B], at(2025, 1, 6), WEEK),
        ],
    )
    assert cycle_length([s]) == 42 * DAY  # lcm(3 days × 1, 2 weeks)


def test_weekly_restrictions_add_the_week_to_the_cycle():
    s = Schedule(
        "Ops",
        "Etc/UTC",
        [
            Layer(
                "Days",
                [A, B],
                at(2025, 1, 6),
                DAY,
                restrictions=[Restriction.weekly(1, "09:00", dt.timedelta(hours=8))],
            )
        ],
    )
    assert cycle_length([s]) == 14 * DAY


def test_default_horizon_starts_when_the_last_layer_starts():
    h = resolve_horizon(build_plan())
    assert (h.since, h.until - h.since, h.kind) == (at(2025, 1, 1), 4 * WEEK, "cycle")


def test_several_cycles_on_request():
    h = resolve_horizon(build_plan(), cycles=3)
    assert h.until == at(2025, 3, 26)  # 12 weeks on the wall clock: 1 hour short (DST on 9 March)
    assert "3 whole rotation cycles" in h.describe()


def test_elapsed_mode_counts_the_cycle_in_absolute_time():
    h = resolve_horizon(build_plan(), cycles=3, mode="elapsed")
    assert h.until - h.since == 12 * WEEK


def test_a_window_from_the_caller_is_reported_as_such():
    h = resolve_horizon(build_plan(), at(2025, 2, 1), at(2025, 2, 11))
    assert h.kind == "window"
    assert "window chosen by the caller" in h.describe()


def test_a_cycle_longer_than_the_limit_is_cut_and_said_so():
    h = resolve_horizon(build_plan(), max_cycle=WEEK)
    assert (h.kind, h.until - h.since) == ("truncated-cycle", WEEK)
    assert "not cycle-aligned" in h.describe()


def test_until_before_since_is_refused():
    with pytest.raises(ValidationError, match="until must be after since"):
        resolve_horizon(build_plan(), at(2025, 2, 11), at(2025, 2, 1))


def test_a_plan_without_layers_needs_a_window():
    with pytest.raises(ValidationError, match="no layers"):
        resolve_horizon(OnCallPlan(users=[A]))


def test_description_names_the_cycle_count_in_the_schedules_zone():
    text = resolve_horizon(OnCallPlan(schedules=[one_layer([A, B])]), cycles=2).describe()
    assert text.startswith("Mon 2025-01-06 00:00 EST")
    assert "2 whole rotation cycles of 14 days" in text
