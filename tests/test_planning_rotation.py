"""plan_rotation: primary and secondary schedules from a roster, and the policy paging them."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from oncall_planner import (
    PAGERDUTY_TIME_ZONES,
    CheckConfig,
    OnCallPlan,
    PolicyOptions,
    Team,
    User,
    ValidationError,
    check,
    on_call_at,
    plan_rotation,
    render,
)

NY = ZoneInfo("America/New_York")
ALICE = User("Alice", "alice@example.com")
BOB = User("Bob", "bob@example.com")
CAROL = User("Carol", "carol@example.com")
DAVE = User("Dave", "dave@example.com")
BOSS = User("Boss", "boss@example.com")
ROSTER = [ALICE, BOB, CAROL, DAVE]
START = dt.datetime(2025, 1, 6, 9, tzinfo=NY)


def weekly_names(plan: OnCallPlan, which: int, weeks: int = 5) -> list[str]:
    schedule = plan.schedules[which]
    return [
        on_call_at(schedule, START + dt.timedelta(weeks=w, hours=1)).name  # type: ignore[union-attr]
        for w in range(weeks)
    ]


def test_builds_two_schedules_with_one_layer_each() -> None:
    plan = plan_rotation(ROSTER, START, "America/New_York", name="Checkout")
    assert [s.name for s in plan.schedules] == ["Checkout - Primary", "Checkout - Secondary"]
    assert [len(s.layers) for s in plan.schedules] == [1, 1]


def test_primary_rotates_the_roster_in_order() -> None:
    plan = plan_rotation(ROSTER, START, "America/New_York")
    assert weekly_names(plan, 0) == ["Alice", "Bob", "Carol", "Dave", "Alice"]


def test_secondary_previous_is_last_turns_primary() -> None:
    plan = plan_rotation(ROSTER, START, "America/New_York", secondary="previous")
    assert weekly_names(plan, 1) == ["Dave", "Alice", "Bob", "Carol", "Dave"]


def test_secondary_next_is_next_turns_primary() -> None:
    plan = plan_rotation(ROSTER, START, "America/New_York", secondary="next")
    assert weekly_names(plan, 1) == ["Bob", "Carol", "Dave", "Alice", "Bob"]


def test_secondary_apart_is_half_the_roster_away() -> None:
    plan = plan_rotation(ROSTER, START, "America/New_York", secondary="apart")
    assert weekly_names(plan, 1) == ["Carol", "Dave", "Alice", "Bob", "Carol"]


@pytest.mark.parametrize(("secondary", "long_stretches"), [("previous", 4), ("apart", 0)])
def test_apart_leaves_rest_between_shifts_where_previous_does_not(
    secondary: str, long_stretches: int
) -> None:
    plan = plan_rotation(ROSTER, START, "America/New_York", secondary=secondary)  # type: ignore[arg-type]
    findings = check(
        plan, START, START + dt.timedelta(weeks=8), config=CheckConfig(select=["OCP4"])
    )
    assert [f.code for f in findings].count("OCP401") == long_stretches


def test_policy_pages_primary_then_secondary_then_manager() -> None:
    plan = plan_rotation(ROSTER, START, "America/New_York", manager=BOSS)
    (policy,) = plan.escalation_policies
    assert [[t.name for t in r.targets] for r in policy.rules] == [
        ["On-Call - Primary"],
        ["On-Call - Secondary"],
        ["Boss"],
    ]
    assert [r.delay_minutes for r in policy.rules] == [10, 10, 15]


def test_policy_options_set_delays_loops_and_name() -> None:
    options = PolicyOptions(name="Pager", primary_delay=5, secondary_delay=7, num_loops=1)
    plan = plan_rotation(ROSTER, START, "America/New_York", policy=options)
    (policy,) = plan.escalation_policies
    assert (policy.name, [r.delay_minutes for r in policy.rules], policy.num_loops) == (
        "Pager",
        [5, 7],
        1,
    )


def test_team_roster_names_the_plan_and_owns_the_policy() -> None:
    team = Team("Payments", ROSTER)
    plan = plan_rotation(team, START, "America/New_York")
    assert plan.schedules[0].name == "Payments - Primary"
    assert plan.escalation_policies[0].team == team


def test_handoff_time_sets_the_turn_boundaries() -> None:
    plan = plan_rotation(
        ROSTER,
        dt.datetime(2025, 1, 6, 12, tzinfo=NY),
        "America/New_York",
        turn_length=dt.timedelta(days=1),
        handoff="09:30",
    )
    entries = render(
        plan.schedules[0],
        dt.datetime(2025, 1, 6, 12, tzinfo=NY),
        dt.datetime(2025, 1, 8, 12, tzinfo=NY),
    ).entries
    assert [(e.start.astimezone(NY).hour, e.start.astimezone(NY).minute) for e in entries[1:]] == [
        (9, 30),
        (9, 30),
    ]


def test_roster_of_one_is_refused_with_a_clear_error() -> None:
    with pytest.raises(ValidationError, match=r"at least 2 people.*got 1 \(Alice\)"):
        plan_rotation([ALICE], START, "America/New_York")


def test_roster_listing_a_person_twice_is_refused() -> None:
    with pytest.raises(ValidationError, match=r"lists 'bob@example\.com' twice"):
        plan_rotation([ALICE, BOB, BOB], START, "America/New_York")


def test_manager_in_the_roster_is_refused() -> None:
    with pytest.raises(ValidationError, match="manager 'Alice' is also in the roster"):
        plan_rotation(ROSTER, START, "America/New_York", manager=ALICE)


def test_secondary_mode_must_be_known() -> None:
    with pytest.raises(ValidationError, match="secondary must be 'previous', 'next' or 'apart'"):
        plan_rotation(ROSTER, START, "America/New_York", secondary="later")  # type: ignore[arg-type]


POOL = [User(f"P{i}", f"p{i}@example.com") for i in range(6)]


@given(
    size=st.integers(2, 6),
    hours=st.sampled_from([8, 12, 24, 72, 168]),
    secondary=st.sampled_from(["previous", "next", "apart"]),
    zone=st.sampled_from(["America/New_York", "Europe/London", "Etc/UTC", "Australia/Sydney"]),
)
def test_secondary_is_never_the_primary(size: int, hours: int, secondary: str, zone: str) -> None:
    start = dt.datetime(2025, 3, 1, 9, tzinfo=ZoneInfo(zone))
    plan = plan_rotation(
        POOL[:size], start, zone, turn_length=dt.timedelta(hours=hours), secondary=secondary
    )  # type: ignore[arg-type]
    until = start + dt.timedelta(hours=hours * (size + 1))
    primary = render(plan.schedules[0], start, until)
    second = render(plan.schedules[1], start, until)
    assert not primary.gaps and not second.gaps
    for p in primary.entries:
        for s in second.entries:
            if p.start < s.end and s.start < p.end:
                assert p.user != s.user


@pytest.mark.parametrize("handoff", ["25:00", 9, "9am"])
def test_a_bad_handoff_is_named_as_the_handoff(handoff: object) -> None:
    with pytest.raises(ValidationError, match=r"^plan_rotation: handoff must be a datetime.time"):
        plan_rotation(
            [ALICE, BOB],
            dt.datetime(2025, 1, 6, 9, tzinfo=NY),
            "America/New_York",
            handoff=handoff,  # type: ignore[arg-type]
        )


SANTIAGO = ZoneInfo("America/Santiago")


def _local_starts(
    schedule_index: int, plan: OnCallPlan, since: dt.datetime, days: int
) -> list[str]:
    tz = ZoneInfo(plan.schedules[schedule_index].time_zone)
    entries = render(plan.schedules[schedule_index], since, since + dt.timedelta(days=days)).entries
    return [e.start.astimezone(tz).strftime("%m-%d %H:%M") for e in entries[1:]]


def test_a_handoff_the_clocks_skip_keeps_its_wall_clock_time_on_later_days() -> None:
    # Midnight does not exist in Santiago on 2025-09-07 (00:00 -> 01:00): that day's handoff is
    # at the jump, every later one at midnight again.
    start = dt.datetime(2025, 9, 7, 12, tzinfo=SANTIAGO)
    plan = plan_rotation(
        [ALICE, BOB], start, "America/Santiago", turn_length=dt.timedelta(days=1), handoff="00:00"
    )
    assert _local_starts(0, plan, start, 3) == ["09-08 00:00", "09-09 00:00", "09-10 00:00"]
    assert _local_starts(1, plan, start, 3) == ["09-08 00:00", "09-09 00:00", "09-10 00:00"]


def test_a_weekly_handoff_at_a_skipped_time_stays_at_that_time() -> None:
    start = dt.datetime(2025, 3, 9, 12, tzinfo=NY)  # 02:30 does not exist that Sunday
    plan = plan_rotation(ROSTER, start, "America/New_York", handoff="02:30")
    assert _local_starts(0, plan, start, 21) == ["03-16 02:30", "03-23 02:30", "03-30 02:30"]


def test_a_secondary_handoff_on_the_skipped_day_never_doubles_up_with_the_primary() -> None:
    # The primary's first handoff exists (2025-09-06 00:00); the secondary's, a turn later, is
    # the skipped midnight of 2025-09-07.
    start = dt.datetime(2025, 9, 6, 12, tzinfo=SANTIAGO)
    until = start + dt.timedelta(days=28)
    plan = plan_rotation(
        [ALICE, BOB], start, "America/Santiago", turn_length=dt.timedelta(days=1), handoff="00:00"
    )
    codes = {f.code for f in check(plan, start, until)}
    assert not codes & {"OCP203", "OCP303", "OCP304", "OCP307"}


def test_turns_shorter_than_a_day_put_the_first_person_on_at_start() -> None:
    start = dt.datetime(2025, 1, 6, 9, tzinfo=NY)
    plan = plan_rotation(
        [ALICE, BOB, CAROL], start, "America/New_York", dt.timedelta(hours=12), handoff="19:00"
    )
    entries = render(plan.schedules[0], start, start + dt.timedelta(days=1)).entries
    assert [(e.start.astimezone(NY).strftime("%d %H:%M"), e.user.name) for e in entries] == [
        ("06 09:00", "Alice"),
        ("06 19:00", "Bob"),
        ("07 07:00", "Carol"),
    ]


def test_turns_shorter_than_a_day_hand_off_at_handoff_plus_whole_turns() -> None:
    start = dt.datetime(2025, 1, 6, 9, tzinfo=NY)
    plan = plan_rotation(
        [ALICE, BOB, CAROL], start, "America/New_York", dt.timedelta(hours=8), handoff="23:00"
    )
    entries = render(plan.schedules[0], start, start + dt.timedelta(days=1)).entries
    assert [(e.start.astimezone(NY).strftime("%d %H:%M"), e.user.name) for e in entries] == [
        ("06 09:00", "Alice"),
        ("06 15:00", "Bob"),
        ("06 23:00", "Carol"),
        ("07 07:00", "Alice"),
    ]


def _transition_days(zone: str) -> list[dt.date]:
    """The local days of 2025 on which the zone's UTC offset changes (empty without DST)."""
    tz = ZoneInfo(zone)
    days = []
    day = dt.date(2025, 1, 1)
    while day.year == 2025:
        before = dt.datetime.combine(day, dt.time(0), tzinfo=tz).utcoffset()
        after = dt.datetime.combine(day + dt.timedelta(days=1), dt.time(0), tzinfo=tz).utcoffset()
        if before != after:
            days.append(day)
        day += dt.timedelta(days=1)
    return days


# Every zone PagerDuty accepts whose offset changes in 2025 (midnight gaps in Santiago and Cairo,
# 02:45 in Chatham, half-hour offsets in St John's), and one without daylight saving.
DST_ZONES = [*sorted(z for z in PAGERDUTY_TIME_ZONES if _transition_days(z)), "Etc/UTC"]


@given(
    zone=st.sampled_from(DST_ZONES),
    which=st.integers(0, 3),
    days_before=st.integers(0, 3),
    handoff_minutes=st.integers(0, 95).map(lambda quarters: quarters * 15),
    start_hour=st.integers(0, 23),
    size=st.integers(2, 4),
    hours=st.sampled_from([6, 8, 12, 24, 48, 168]),
    secondary=st.sampled_from(["previous", "next", "apart"]),
)
def test_plan_rotation_is_consistent_across_daylight_saving(
    zone: str,
    which: int,
    days_before: int,
    handoff_minutes: int,
    start_hour: int,
    size: int,
    hours: int,
    secondary: str,
) -> None:
    tz = ZoneInfo(zone)
    transitions = _transition_days(zone) or [dt.date(2025, 3, 9)]
    day = transitions[which % len(transitions)] - dt.timedelta(days=days_before)
    start = dt.datetime.combine(day, dt.time(start_hour), tzinfo=tz)
    start = start.astimezone(
        dt.timezone.utc
    )  # a real instant (UTC: PEP 495 folds never compare equal)
    handoff = dt.time(handoff_minutes // 60, handoff_minutes % 60)
    turn = dt.timedelta(hours=hours)
    plan = plan_rotation(POOL[:size], start, zone, turn, handoff=handoff, secondary=secondary)  # type: ignore[arg-type]
    until = start + max(turn * (size + 2), dt.timedelta(days=10))
    primary = render(plan.schedules[0], start, until)
    second = render(plan.schedules[1], start, until)
    assert primary.entries[0].start == start and primary.entries[0].user == POOL[0]
    assert not primary.gaps and not second.gaps
    for p in primary.entries:
        for s in second.entries:
            if p.start < s.end and s.start < p.end:
                assert p.user != s.user, (p, s)
    findings = check(plan, start, until)
    assert [f.code for f in findings if f.severity == "error"] == []
    assert not {f.code for f in findings} & {"OCP203", "OCP303", "OCP304", "OCP307"}
