"""change_rotation_members: a membership change on a primary/secondary plan keeps them apart."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from oncall_planner import (
    OnCallPlan,
    Target,
    User,
    ValidationError,
    change_rotation_members,
    change_schedule_members,
    diff,
    next_handoff,
    plan_rotation,
    render,
)

NY = ZoneInfo("America/New_York")
TEAM = [User(n, f"{n.lower()}@example.com") for n in ("Ann", "Ben", "Cat", "Dan", "Eve", "Fay")]
ANN, BEN, CAT, DAN, EVE, FAY = TEAM
GUS = User("Gus", "gus@example.com")
START = dt.datetime(2025, 1, 6, 9, tzinfo=NY)
WEDNESDAY = dt.datetime(2025, 1, 22, 12, tzinfo=NY)  # Cat is primary, Ben secondary


def overlaps(plan: OnCallPlan, since: dt.datetime, until: dt.datetime) -> list[dt.datetime]:
    primary, secondary = (render(s, since, until).entries for s in plan.schedules[:2])
    return [
        max(p.start, s.start)
        for p in primary
        for s in secondary
        if p.user == s.user and p.start < s.end and s.start < p.end
    ]


def test_changing_each_schedule_alone_can_make_primary_and_secondary_the_same() -> None:
    # Why change_rotation_members exists: both schedules skip the leaver to the same person.
    plan = plan_rotation(TEAM, START, "America/New_York", handoff="09:00")
    primary, secondary = plan.schedules
    new = [ANN, BEN, DAN, EVE, FAY]
    p2 = change_schedule_members(primary, new, WEDNESDAY)
    s2 = change_schedule_members(secondary, new, WEDNESDAY)
    assert overlaps(OnCallPlan(schedules=[p2, s2]), START, START + dt.timedelta(weeks=10))


def test_removing_the_current_primary_keeps_primary_and_secondary_apart() -> None:
    plan = plan_rotation(TEAM, START, "America/New_York", handoff="09:00")
    changed = change_rotation_members(plan, [ANN, BEN, DAN, EVE, FAY], WEDNESDAY)
    until = START + dt.timedelta(weeks=20)
    assert overlaps(changed, START, until) == []
    handoff = dt.datetime(2025, 1, 27, 9, tzinfo=NY)
    assert all(c.start >= handoff for c in diff(plan, changed, START, until))
    # The policy pages the new schedules, in the same order.
    policy = changed.escalation_policies[0]
    assert [r.targets[0].schedule for r in policy.rules] == list(changed.schedules)


def test_nothing_to_change_returns_the_plan() -> None:
    plan = plan_rotation(TEAM, START, "America/New_York")
    assert change_rotation_members(plan, TEAM, WEDNESDAY) is plan


def test_a_plan_without_two_paged_schedules_is_refused() -> None:
    plan = OnCallPlan(schedules=plan_rotation(TEAM, START, "America/New_York").schedules[:1])
    with pytest.raises(ValidationError, match="no escalation policy of the plan pages two"):
        change_rotation_members(plan, TEAM[:3], WEDNESDAY)


def test_one_person_is_refused() -> None:
    plan = plan_rotation(TEAM, START, "America/New_York")
    with pytest.raises(ValidationError, match="at least 2 different people"):
        change_rotation_members(plan, [ANN], WEDNESDAY)


POOL = [*TEAM, GUS, User("Hal", "hal@example.com")]


@st.composite
def plan_changes(draw: st.DrawFn) -> tuple[OnCallPlan, list[User], dt.datetime, str | None]:
    zone = draw(st.sampled_from(["America/New_York", "Europe/London", "Etc/UTC"]))
    size = draw(st.integers(2, 6))
    hours = draw(st.sampled_from([24, 168, 336]))
    plan = plan_rotation(
        POOL[:size],
        START,
        zone,
        turn_length=dt.timedelta(hours=hours),
        handoff="09:00",
        secondary=draw(st.sampled_from(["previous", "next", "apart"])),
    )
    new = draw(st.lists(st.sampled_from(POOL), min_size=2, max_size=7, unique=True))
    effective = START + dt.timedelta(hours=draw(st.integers(-48, 24 * 60)))
    keep = draw(st.sampled_from([None, "previous", "next", "apart"]))
    return plan, new, effective, keep


@given(plan_changes())
def test_rotation_change_never_puts_one_person_on_both_levels_nor_touches_the_current_turn(
    case: tuple[OnCallPlan, list[User], dt.datetime, str | None],
) -> None:
    plan, new, effective, keep = case
    changed = change_rotation_members(plan, new, effective, secondary=keep)  # type: ignore[arg-type]
    layer = plan.schedules[0].layers[0]
    handoff = next_handoff(layer, plan.schedules[0].time_zone, effective)
    until = handoff + 8 * layer.turn_length
    assert overlaps(changed, START, until) == []
    assert all(c.start >= handoff for c in diff(plan, changed, START, until))


def test_a_second_change_builds_on_the_first() -> None:
    plan = plan_rotation(TEAM, START, "America/New_York", handoff="09:00")
    first = change_rotation_members(plan, [ANN, BEN, DAN, EVE, FAY], WEDNESDAY)
    for effective in (WEDNESDAY + dt.timedelta(days=2), WEDNESDAY + dt.timedelta(weeks=3)):
        second = change_rotation_members(first, [ANN, BEN, DAN, EVE, FAY, GUS], effective)
        until = START + dt.timedelta(weeks=20)
        assert overlaps(second, START, until) == []
        handoff = next_handoff(first.schedules[0].layers[-1], "America/New_York", effective)
        assert all(c.start >= handoff for c in diff(first, second, START, until))
        assert GUS in {e.user for e in render(second.schedules[0], START, until).entries}


def test_layers_on_call_together_are_refused() -> None:
    plan = plan_rotation(TEAM, START, "America/New_York")
    primary = plan.schedules[0]
    layered = attrs.evolve(primary, layers=[*primary.layers, *primary.layers])
    policy = plan.escalation_policies[0]
    rules = [attrs.evolve(policy.rules[0], targets=[Target.schedule(layered)]), *policy.rules[1:]]
    bad = OnCallPlan(escalation_policies=[attrs.evolve(policy, rules=rules)])
    with pytest.raises(ValidationError, match="2 layers on call at the same time"):
        change_rotation_members(bad, TEAM[:3], WEDNESDAY)


def test_secondary_says_which_side_to_keep_when_two_people_cannot_tell() -> None:
    plan = plan_rotation([ANN, BEN], START, "America/New_York", handoff="09:00", secondary="next")
    changed = change_rotation_members(plan, [ANN, BEN, CAT, DAN], WEDNESDAY, secondary="next")
    primary, secondary = changed.schedules
    later = dt.datetime(2025, 3, 5, 12, tzinfo=NY)
    for week in range(4):
        at = later + week * dt.timedelta(weeks=1)
        following = render(primary, at + dt.timedelta(weeks=1), at + dt.timedelta(weeks=1, hours=1))
        now = render(secondary, at, at + dt.timedelta(hours=1))
        assert now.entries[0].user == following.entries[0].user
    with pytest.raises(ValidationError, match="secondary must be 'previous', 'next', 'apart'"):
        change_rotation_members(plan, TEAM, WEDNESDAY, secondary="after")  # type: ignore[arg-type]
