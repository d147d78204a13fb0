"""What check() shares between its rules, held against what it replaced: the integer pieces the
horizon's render keeps, the tables of people per policy, the stretches in integer seconds, and the
shortcuts that read them (issue 13: check() within a few renders of the plan)."""

from __future__ import annotations

import datetime as dt
import math

import attrs
from hypothesis import given, settings
from hypothesis import strategies as st

from oncall_planner import Page, render
from oncall_planner import strategies as st_oc
from oncall_planner.checks._engine import Context, merge, policy_schedules
from oncall_planner.checks.escalation import _segment_walk, _segments, _sweep_walk
from oncall_planner.checks.pages import _first_reached
from oncall_planner.checks.rotation import (
    MAX_CYCLE,
    _above,
    _layers_above,
    _merged,
    _own,
    _render_alone,
)
from oncall_planner.fairness.horizon import layer_cycle
from oncall_planner.model import OnCallPlan, Schedule
from oncall_planner.render import Interval, _minus, _render_layered
from oncall_planner.strategies import EPOCH_2024
from oncall_planner.timeutil import to_seconds

SINCE = EPOCH_2024
UNTIL = SINCE + dt.timedelta(weeks=4)


def _triples(entries):
    return [(to_seconds(e.start), to_seconds(e.end), e.user) for e in entries]


def _pieces(columns, users):
    starts, ends, who = columns
    return [(s, e, users[n]) for s, e, n in zip(starts, ends, who, strict=True)]


@st.composite
def schedules_with_overrides(draw, max_layers=4):
    schedule = draw(st_oc.schedules(max_layers=max_layers))
    roster = [u for layer in schedule.layers for u in layer.users]
    overrides = draw(st.lists(st_oc.overrides(roster=roster), max_size=3))
    return schedule, overrides


@given(schedules_with_overrides())
def test_kept_pieces_are_the_layers_visible_and_overrides_of_the_render(drawn):
    schedule, overrides = drawn
    final, kept = _render_layered(schedule, SINCE, UNTIL, overrides)
    assert final == render(schedule, SINCE, UNTIL, overrides)
    own = [_pieces(layer.pieces(), kept.users) for layer in kept.layers]
    assert own == [_triples(entries) for entries in final.layers]
    visible = [_pieces(columns, kept.users) for columns in kept.visible]
    assert visible == [_triples(entries) for entries in final.visible]
    shown = [(s, e, kept.users[n]) for s, e, n in kept.overrides]
    assert shown == _triples(final.overrides)


@given(schedules_with_overrides())
def test_each_layers_own_pieces_are_its_render_on_its_own(drawn):
    # The top layer's own pieces are taken from its visible ones when no override is in force.
    schedule, overrides = drawn
    ctx = Context(
        OnCallPlan(schedules=[schedule]), SINCE, UNTIL, (), {schedule.name: tuple(overrides)}, ()
    )
    kept = ctx.kept(schedule)
    final = render(schedule, SINCE, UNTIL, overrides)
    assert [_pieces(c, kept.users) for c in _own(ctx, schedule)] == [
        _triples(entries) for entries in final.layers
    ]


@given(schedules_with_overrides())
def test_merged_layer_time_in_seconds_is_the_merge_of_the_entries(drawn):
    schedule, overrides = drawn
    ctx = Context(
        OnCallPlan(schedules=[schedule]), SINCE, UNTIL, (), {schedule.name: tuple(overrides)}, ()
    )
    final = render(schedule, SINCE, UNTIL, overrides)
    own, shown = _merged(ctx, schedule)

    def seconds(entries):
        ivs = merge(Interval(e.start, e.end) for e in entries)
        return [to_seconds(iv.start) for iv in ivs], [to_seconds(iv.end) for iv in ivs]

    assert own == [seconds(entries) for entries in final.layers]
    assert shown == [seconds(entries) for entries in final.visible]


@settings(max_examples=60)
@given(st_oc.schedules(max_layers=8), st.data())
def test_nearest_layers_above_agree_with_the_overlap_index(schedule, data):
    overrides = data.draw(
        st.lists(
            st_oc.overrides(roster=[u for layer in schedule.layers for u in layer.users]),
            max_size=2,
        )
    )
    ctx = Context(
        OnCallPlan(schedules=[schedule]), SINCE, UNTIL, (), {schedule.name: tuple(overrides)}, ()
    )
    own, shown = _merged(ctx, schedule)
    index = _layers_above(ctx, schedule)
    for i in range(len(schedule.layers)):
        hidden = _minus(own[i], shown[i])
        if hidden[0]:
            assert _above(ctx, schedule, i, hidden) == index[i]


@given(st_oc.schedules(), st.sampled_from([0, 3, 40]))
def test_a_layers_time_over_its_cycles_is_its_render_on_its_own(schedule, days):
    # What OCP105/OCP106 read, against rendering the layer alone over the same window.
    since = SINCE + dt.timedelta(days=days)
    ctx = Context(
        OnCallPlan(schedules=[schedule]), since, UNTIL + dt.timedelta(days=days), (), {}, ()
    )
    for i, layer in enumerate(schedule.layers):
        if layer.end is not None and layer.end <= ctx.since:
            continue
        window, per = _render_alone(ctx, schedule, i, layer)
        cycle = dt.timedelta(seconds=layer_cycle(layer))
        horizon = ctx.until - ctx.since
        length = cycle * math.ceil(horizon / cycle) if cycle <= MAX_CYCLE else horizon
        lo = max(ctx.since, layer.start)
        assert window == Interval(lo, lo + length)
        alone = Schedule(schedule.name, schedule.time_zone, [attrs.evolve(layer, end=None)])
        expected = {u: dt.timedelta() for u in layer.users}
        for e in render(alone, lo, lo + length).entries:
            expected[e.user] += e.duration
        assert per == expected
        assert list(per) == list(expected)


def _sweep(walk, lo, hi):
    steps = []
    start = lo
    while start < hi:
        got, following = walk(start)
        steps.append((start, got))
        start = following
    return steps


@settings(max_examples=60, deadline=None)
@given(st.one_of(st_oc.plans(), st_oc.mixed_plans()), st.integers(1, 10))
def test_segment_walk_sweeps_the_same_instants_with_the_same_answers(plan, days):
    ctx = Context(plan, SINCE, SINCE + dt.timedelta(days=days), (), {}, ())
    policy = plan.escalation_policies[0]
    walk = _segment_walk(ctx, policy)
    if walk is None:  # no schedule, or a pad capped below the policy's longest escalation
        return
    assert _sweep(walk, ctx.lo, ctx.hi) == _sweep(_sweep_walk(ctx, policy), ctx.lo, ctx.hi)


@given(st.one_of(st_oc.plans(), st_oc.mixed_plans()))
def test_level_table_answers_levels_at_every_change_point(plan):
    ctx = Context(plan, SINCE, UNTIL, (), {}, ())
    policy = plan.escalation_policies[0]
    points, which, distinct = ctx.level_table(policy)
    assert points[0] == ctx.lo and points == sorted(set(points))
    assert [distinct[w] for w in which] == ctx.levels_at_seconds(policy, points[:-1])
    assert len(set(distinct)) == len(distinct)
    # The segments inside the horizon are the policy's change points there.
    segments = _segments(ctx, policy)
    assert segments.starts == ctx.change_seconds(policy)
    assert [segments.distinct[w] for w in segments.which] == ctx.levels_at_seconds(
        policy, segments.starts
    )


@given(st.one_of(st_oc.plans(), st_oc.mixed_plans()))
def test_stretches_are_the_merged_entries_of_every_schedule(plan):
    ctx = Context(plan, SINCE, UNTIL, (), {}, ())
    per: dict = {}
    for sched in plan.all_schedules:
        for e in render(sched, SINCE, UNTIL).entries:
            per.setdefault(e.user, []).append(Interval(e.start, e.end))
    expected = {u: merge(v) for u, v in sorted(per.items(), key=lambda kv: kv[0].email)}
    assert ctx.stretches() == expected
    assert list(ctx.stretches()) == list(expected)


@given(st.one_of(st_oc.plans(), st_oc.mixed_plans()))
def test_entry_columns_are_the_entries_in_seconds(plan):
    ctx = Context(plan, SINCE, UNTIL, (), {}, ())
    for sched in [*plan.all_schedules, *plan.all_schedules]:  # the second time from the table
        starts, ends, users = ctx.columns(sched)
        assert list(zip(starts, ends, users, strict=True)) == _triples(ctx.final(sched).entries)
    for policy in plan.escalation_policies:
        for sched in policy_schedules(policy):
            lookup = ctx.lookup(sched)
            entries = [
                *ctx.final(sched).entries,
                *render(sched, ctx.until, ctx.until + ctx.pad).entries,
            ]
            assert list(zip(lookup.starts, lookup.ends, lookup.users, strict=True)) == [
                (s, e, (u,)) for s, e, u in _triples(entries)
            ]


@given(
    st.one_of(st_oc.plans(), st_oc.mixed_plans()), st.lists(st_oc.instants(SINCE, 28), max_size=8)
)
def test_first_person_reached_is_the_same_with_or_without_the_level_table(plan, instants):
    policy = plan.escalation_policies[0]
    pages = tuple(Page(at, policy=policy.name) for at in instants)
    without = Context(plan, SINCE, UNTIL, pages, {}, ())
    found = _first_reached(without, policy)
    assert not without.has(("level-table", policy.name))
    with_table = Context(plan, SINCE, UNTIL, pages, {}, ())
    with_table.level_table(policy)
    assert _first_reached(with_table, policy) == found
    assert set(found) == set(instants)
