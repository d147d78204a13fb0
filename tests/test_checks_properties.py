"""Invariants of the checks and the escalation timeline on random plans."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from oncall_planner import RULES, check, escalation_timeline, on_call_at, render
from oncall_planner import strategies as st_oc
from oncall_planner.checks import SEVERITIES, CheckConfig
from oncall_planner.checks._engine import Context, sort_key
from oncall_planner.checks.escalation import _fast_walk, _second_minute
from oncall_planner.strategies import EPOCH_2024
from oncall_planner.timeutil import to_seconds

SINCE = EPOCH_2024
UNTIL = SINCE + dt.timedelta(weeks=4)


@settings(max_examples=25)
@given(st_oc.plans())
def test_findings_are_sorted_valid_and_repeatable(plan):
    found = check(plan, SINCE, UNTIL)
    assert list(found) == sorted(found, key=sort_key)
    assert check(plan, SINCE, UNTIL) == found
    for f in found:
        assert f.code in RULES and f.rule == RULES[f.code].name
        assert f.severity in SEVERITIES
        assert all(iv.start < iv.end for iv in f.intervals)


@settings(max_examples=25)
@given(st_oc.plans())
def test_shadowed_layer_agrees_with_render(plan):
    found = check(plan, SINCE, UNTIL, config=CheckConfig(select=["OCP103"]))
    flagged = {f.subject for f in found}
    expected = set()
    for sched in plan.schedules:
        final = render(sched, SINCE, UNTIL)
        for layer, own, visible in zip(sched.layers, final.layers, final.visible, strict=True):
            if own and not visible:
                expected.add(f"Schedule {sched.name!r}, layer {layer.name!r}")
    assert flagged == expected


@given(st_oc.plans(), st_oc.instants(SINCE, 28))
def test_timeline_visits_every_level_of_every_loop_in_order(plan, at):
    policy = plan.escalation_policies[0]
    timeline = escalation_timeline(policy, at)
    per_pass = sum(len(r.targets) for r in policy.rules)
    assert len(timeline) == per_pass * (policy.num_loops + 1)
    assert [(n.loop, n.level) for n in timeline] == sorted((n.loop, n.level) for n in timeline)
    assert [n.minute for n in timeline] == sorted(n.minute for n in timeline)
    assert all(n.at == at + dt.timedelta(minutes=n.minute) for n in timeline)


@given(st_oc.plans(), st_oc.instants(SINCE, 28))
def test_timeline_notifies_whoever_is_on_call_at_that_minute(plan, at):
    for n in escalation_timeline(plan.escalation_policies[0], at):
        if n.target.schedule is not None:
            assert n.user == on_call_at(n.target.schedule, n.at)
        else:
            assert n.user == n.target.user


@pytest.mark.parametrize("prefix", ["OCP1", "OCP2", "OCP3", "OCP4", "OCP5"])
def test_every_family_prefix_selects_only_its_rules(prefix):
    config = CheckConfig(select=[prefix])
    assert all(config.enabled(c) == c.startswith(prefix) for c in RULES)


@given(st_oc.plans(), st_oc.instants(SINCE, 28))
def test_fast_second_person_walk_agrees_with_the_timeline(plan, at):
    ctx = Context(plan, SINCE, UNTIL, (), {}, ())
    policy = plan.escalation_policies[0]
    assert _fast_walk(ctx, policy)(to_seconds(at)) == _second_minute(ctx.steps(policy, at))


@settings(max_examples=20, deadline=None)
@given(st_oc.plans(), st_oc.instants(SINCE, 28))
def test_slow_second_person_finds_the_worst_trigger_minute(plan, since):
    # Every trigger minute of a day, walked through the timeline one by one: the rule's worst
    # case must be the true worst case, levels brought forward by skipped ones included.
    until = since + dt.timedelta(days=1)
    ctx = Context(plan, since, until, (), {}, ())
    policy = plan.escalation_policies[0]
    minutes = [
        _second_minute(ctx.steps(policy, since + dt.timedelta(minutes=m))) for m in range(24 * 60)
    ]
    worst = max((m for m in minutes if m is not None), default=0)
    config = CheckConfig(select=["OCP304"], thresholds={"OCP304": {"max_minutes": 0}})
    found = check(plan, since, until, config=config)
    got = [(f.intervals[0].end - f.intervals[0].start) // dt.timedelta(minutes=1) for f in found]
    assert got == ([worst] if worst else [])


@given(st_oc.plans(), st_oc.instants(SINCE, 28), st_oc.instants(SINCE, 28))
def test_levels_at_many_instants_agree_with_level_people_one_by_one(plan, a, b):
    ctx = Context(plan, SINCE, UNTIL, (), {}, ())
    policy = plan.escalation_policies[0]
    points = sorted({a, b, *ctx.policy_changes(policy)[:20]})
    batched = ctx.levels_at(policy, points)
    assert [[list(people) for people in levels] for levels in batched] == [
        ctx.level_people(policy, p) for p in points
    ]


@given(st_oc.plans(), st_oc.instants(SINCE, 28))
def test_first_person_reached_is_the_first_staffed_level_at_the_instant(plan, at):
    # What the page rules rely on to attribute pages without walking each escalation.
    ctx = Context(plan, SINCE, UNTIL, (), {}, ())
    policy = plan.escalation_policies[0]
    walked = next((p for s in ctx.steps(policy, at) for p in s.reached), None)
    (levels,) = ctx.levels_at(policy, [at])
    assert next((p for people in levels for p in people), None) == walked


@given(st_oc.plans(), st_oc.instants(SINCE, 28), st.integers(0, 999_999))
def test_stretch_at_is_the_stretch_holding_the_instant(plan, at, micro):
    ctx = Context(plan, SINCE, UNTIL, (), {}, ())
    at = at.replace(microsecond=micro)
    for user, stretches in ctx.stretches().items():
        holding = [s for s in stretches if s.start <= at < s.end]
        assert ctx.stretch_at(user, at) == (holding[0] if holding else None)
        for s in stretches[:3]:  # the bounds themselves, and a microsecond either side
            for t in (s.start, s.end, s.start - dt.timedelta(microseconds=1)):
                inside = [x for x in stretches if x.start <= t < x.end]
                assert ctx.stretch_at(user, t) == (inside[0] if inside else None)
