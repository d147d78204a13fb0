"""escalation_timeline: levels after their delays, loops, skipped levels, overrides, round robin."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import pytest
from checkkit import BOSS, T0, UTC, WEEK, A, B, C, layer, policy, schedule, weekly_pair

from oncall_planner import Override, Restriction, ValidationError, escalation_timeline
from oncall_planner.escalation import ROUND_ROBIN, SKIPPED

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "examples"))
from seed_plan import DAVE, MANAGER, NEW_YORK, build_plan

AT = T0 + dt.timedelta(hours=12)


def steps(timeline):
    return [(n.minute, n.level, n.loop, n.user.name if n.user else None) for n in timeline]


def test_seed_policy_pages_the_week_then_the_manager_three_times():
    policy = build_plan().escalation_policy("Checkout Escalation")
    timeline = escalation_timeline(policy, dt.datetime(2025, 3, 4, 12, tzinfo=NEW_YORK))
    assert timeline[0].user == DAVE  # the Secondary layer's week from Wednesday 2025-02-26
    assert [(n.minute, n.level, n.loop) for n in timeline] == [
        (0, 1, 1),
        (10, 2, 1),
        (25, 1, 2),
        (35, 2, 2),
        (50, 1, 3),
        (60, 2, 3),
    ]
    assert [n.user for n in timeline[1::2]] == [MANAGER] * 3


def test_instants_follow_the_minutes():
    timeline = escalation_timeline(policy("P", (10, [weekly_pair()]), (5, [BOSS])), AT)
    assert [n.at - AT for n in timeline] == [dt.timedelta(0), dt.timedelta(minutes=10)]


def test_delays_are_elapsed_minutes_when_the_clocks_fall_back():
    # 01:50 EDT on 2 November 2025; half an hour later it is 01:20 EST, not 02:20 EST (an hour
    # more), so level 2 still finds Ann, whose turn ends at 02:00 EST.
    at = dt.datetime(2025, 11, 2, 1, 50, tzinfo=NEW_YORK)
    handoff = dt.datetime(2025, 11, 2, 7, tzinfo=UTC)
    pair = schedule("Pair", layer("L", [A, B], start=handoff - WEEK))
    timeline = escalation_timeline(policy("P", (30, [pair]), (30, [pair])), at)
    assert [n.at - at for n in timeline] == [dt.timedelta(0), dt.timedelta(minutes=30)]
    assert [n.user for n in timeline] == [A, A]
    assert [n.at.utcoffset() for n in timeline] == [dt.timedelta(0)] * 2


def test_a_level_with_nobody_on_call_is_skipped_at_once():
    office = schedule(
        "Office", layer("L", [A], restrictions=[Restriction.daily("09:00", dt.timedelta(hours=8))])
    )
    night = T0 + dt.timedelta(hours=2)
    timeline = escalation_timeline(policy("P", (10, [office]), (10, [BOSS])), night)
    assert steps(timeline) == [(0, 1, 1, None), (0, 2, 1, "Boss")]
    assert timeline[0].note == SKIPPED


def test_each_level_asks_who_is_on_call_when_it_is_reached():
    pair = weekly_pair()
    just_before = T0 + WEEK - dt.timedelta(minutes=5)
    timeline = escalation_timeline(policy("P", (10, [pair]), (10, [pair])), just_before)
    assert steps(timeline) == [(0, 1, 1, "Ann"), (10, 2, 1, "Ben")]


def test_overrides_are_keyed_by_schedule_name():
    pair = weekly_pair()
    over = {"Primary": [Override(T0, T0 + WEEK, C)]}
    timeline = escalation_timeline(policy("P", (10, [pair])), AT, overrides=over)
    assert timeline[0].user == C


def test_round_robin_levels_are_noted():
    timeline = escalation_timeline(policy("P", (10, [A, B]), round_robin=True), AT)
    assert [n.note for n in timeline] == [ROUND_ROBIN, ROUND_ROBIN]


def test_no_loops_means_one_pass():
    assert len(escalation_timeline(policy("P", (10, [A]), (10, [B])), AT)) == 2


def test_naive_instant_is_rejected():
    with pytest.raises(ValidationError, match=r"at must be (a )?timezone-aware"):
        escalation_timeline(policy("P", (10, [A])), dt.datetime(2025, 1, 1))


def test_overrides_must_be_a_mapping():
    with pytest.raises(ValidationError, match="overrides must map schedule names"):
        escalation_timeline(policy("P", (10, [A])), AT, overrides=[Override(T0, T0 + WEEK, C)])


def test_a_person_reached_through_two_targets_of_one_level_is_notified_once():
    primary = weekly_pair()  # Ann this week
    timeline = escalation_timeline(policy("Ops", (5, [primary, A])), AT)
    assert [(n.user, n.note) for n in timeline] == [
        (A, None),
        (A, "also reached through another target of this level: notified once"),
    ]
