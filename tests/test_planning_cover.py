"""cover_time_off and balance_holidays: fair substitutes, a ledger, no one on two levels."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from oncall_planner import (
    Ledger,
    LedgerEntry,
    OnCallPlan,
    Override,
    TimeOff,
    User,
    ValidationError,
    balance_holidays,
    cover_time_off,
    holiday_dates,
    plan_rotation,
    render,
)

NY = ZoneInfo("America/New_York")
ALICE = User("Alice", "alice@example.com")
BOB = User("Bob", "bob@example.com")
CAROL = User("Carol", "carol@example.com")
DAVE = User("Dave", "dave@example.com")
BOSS = User("Boss", "boss@example.com")
START = dt.datetime(2025, 1, 6, 9, tzinfo=NY)
UNTIL = START + dt.timedelta(weeks=8)
# Primary: Alice, Bob, Carol, Dave weekly from Mon 6 Jan 09:00; secondary: last week's primary.
PLAN = plan_rotation([ALICE, BOB, CAROL, DAVE], START, "America/New_York", manager=BOSS)
PRIMARY, SECONDARY = (s.name for s in PLAN.schedules)


def day(d: int, hour: int = 0) -> dt.datetime:
    return dt.datetime(2025, 1, d, hour, tzinfo=NY)


def test_covers_exactly_the_stretch_on_call_during_time_off() -> None:
    result = cover_time_off(PLAN, [TimeOff(ALICE, day(8), day(10))], START, UNTIL)
    (cover,) = result.covers
    assert (cover.schedule, cover.start, cover.end, cover.absent) == (
        PRIMARY,
        day(8),
        day(10),
        ALICE,
    )
    assert result.overrides[PRIMARY][0].user == cover.substitute


def test_substitute_is_never_on_the_other_level_then() -> None:
    # Alice is primary; Dave is secondary that week, so he cannot also be primary.
    result = cover_time_off(PLAN, [TimeOff(ALICE, day(8), day(10))], START, UNTIL)
    assert result.covers[0].substitute != DAVE


def test_prefers_someone_not_on_call_right_after() -> None:
    # Bob is off for the last day of his primary week; Carol is primary right after, Alice is
    # secondary during it, so Dave (secondary the week before, not adjacent) covers.
    result = cover_time_off(PLAN, [TimeOff(BOB, day(19, 9), day(20, 9))], START, UNTIL)
    assert result.covers[0].substitute == DAVE


def test_prefers_the_least_loaded() -> None:
    heavy = cover_time_off(PLAN, [TimeOff(ALICE, day(8), day(10))], START, UNTIL)
    # Whoever took Alice's days carries more load; the next cover in the same week goes elsewhere.
    first = heavy.covers[0].substitute
    second = cover_time_off(
        PLAN, [TimeOff(ALICE, day(10), day(11))], START, UNTIL, overrides=heavy.overrides
    )
    assert second.covers[0].substitute not in (first, DAVE, ALICE)


def test_ledger_records_who_owes_whom() -> None:
    result = cover_time_off(PLAN, [TimeOff(ALICE, day(8), day(10))], START, UNTIL)
    sub = result.covers[0].substitute
    assert sub is not None
    assert result.ledger.owed(ALICE, sub) == dt.timedelta(days=2)
    assert result.ledger.owed(sub, ALICE) == -dt.timedelta(days=2)


def test_ledger_asks_the_debtor_to_repay_first() -> None:
    # Carol covered Alice once; when Carol is away, Alice is asked before the least loaded.
    ledger = Ledger([LedgerEntry(ALICE, CAROL, PRIMARY, day(1), day(2))])
    result = cover_time_off(PLAN, [TimeOff(CAROL, day(22), day(23))], START, UNTIL, ledger=ledger)
    assert result.covers[0].substitute == ALICE
    assert "repays cover from Carol" in result.covers[0].reason
    assert result.ledger.debts() == ()


def test_nobody_free_leaves_the_stretch_uncovered() -> None:
    pair = plan_rotation([ALICE, BOB], START, "America/New_York")
    result = cover_time_off(pair, [TimeOff(ALICE, day(8), day(9))], START, UNTIL)
    assert result.covers == () and len(result.uncovered) == 1
    assert result.uncovered[0].substitute is None


def test_splits_a_stretch_when_nobody_is_free_for_all_of_it() -> None:
    offs = [
        TimeOff(ALICE, day(7), day(11)),
        TimeOff(BOB, day(7), day(9)),
        TimeOff(CAROL, day(9), day(11)),
    ]
    result = cover_time_off(PLAN, offs, START, UNTIL, schedules=[PRIMARY])
    assert [(c.start, c.end, c.substitute) for c in result.covers] == [
        (day(7), day(9), CAROL),
        (day(9), day(11), BOB),
    ]


def test_unknown_schedule_is_refused() -> None:
    with pytest.raises(ValidationError, match=r"schedules \['Nope'\] are not in the plan"):
        cover_time_off(PLAN, [], START, UNTIL, schedules=["Nope"])


def test_overrides_must_be_keyed_by_schedule_name() -> None:
    with pytest.raises(ValidationError, match="overrides must map schedule names"):
        cover_time_off(PLAN, [], START, UNTIL, overrides=[])  # type: ignore[arg-type]


def test_time_off_must_hold_time_off() -> None:
    with pytest.raises(ValidationError, match="time_off must hold TimeOff objects"):
        cover_time_off(PLAN, [ALICE], START, UNTIL)  # type: ignore[list-item]


def holiday_hours(plan: OnCallPlan, overrides: dict[str, tuple]) -> dict[str, float]:  # type: ignore[type-arg]
    hours: dict[str, float] = {}
    for schedule in plan.schedules:
        for date in holiday_dates("US", 2025):
            a = dt.datetime.combine(date, dt.time(), tzinfo=NY)
            for e in render(
                schedule, a, a + dt.timedelta(days=1), overrides.get(schedule.name, ())
            ).entries:
                hours[e.user.name] = hours.get(e.user.name, 0.0) + e.duration.total_seconds() / 3600
    return hours


def test_holidays_are_spread_evenly_over_the_year() -> None:
    before = holiday_hours(PLAN, {})
    result = balance_holidays(PLAN, "US", 2025)
    after = holiday_hours(PLAN, result.overrides)
    assert max(before.values()) - min(before.values()) > 24
    assert max(after.values()) - min(after.values()) <= 24


def test_holiday_swaps_go_in_the_ledger() -> None:
    result = balance_holidays(PLAN, "US", 2025)
    assert result.ledger.entries and all(
        e.reason.startswith("holiday: ") for e in result.ledger.entries
    )


def test_holidays_of_several_countries_are_balanced_together() -> None:
    days = {**holiday_dates("US", 2025), **holiday_dates("GB", 2025)}

    def spread(overrides: dict[str, tuple[Override, ...]]) -> float:
        hours: dict[User, float] = {}
        for schedule in PLAN.schedules:
            for day in days:
                a = dt.datetime.combine(day, dt.time(), tzinfo=NY)
                final = render(
                    schedule, a, a + dt.timedelta(days=1), overrides.get(schedule.name, ())
                )
                for e in final.entries:
                    hours[e.user] = hours.get(e.user, 0.0) + e.duration.total_seconds() / 3600
        return max(hours.values()) - min(hours.values())

    result = balance_holidays(PLAN, ["US", "GB"], 2025)
    assert spread({}) > 24
    assert spread(result.overrides) <= 24


def test_subdivision_needs_a_single_country() -> None:
    with pytest.raises(ValidationError, match="subdiv 'NY' needs a single country"):
        balance_holidays(PLAN, ["US", "GB"], 2025, subdiv="NY")


def test_unknown_country_is_refused() -> None:
    with pytest.raises(ValidationError, match="no public-holiday calendar for country 'XX'"):
        holiday_dates("XX", 2025)


POOL = [User(f"P{i}", f"p{i}@example.com") for i in range(5)]


@st.composite
def absences(draw: st.DrawFn) -> tuple[OnCallPlan, list[TimeOff]]:
    size = draw(st.integers(2, 5))
    hours = draw(st.sampled_from([12, 24, 168]))
    plan = plan_rotation(
        POOL[:size], START, "America/New_York", turn_length=dt.timedelta(hours=hours)
    )
    offs = []
    for _ in range(draw(st.integers(1, 4))):
        who = draw(st.sampled_from(POOL[:size]))
        begin = START + dt.timedelta(hours=draw(st.integers(0, 24 * 20)))
        offs.append(TimeOff(who, begin, begin + dt.timedelta(hours=draw(st.integers(1, 24 * 5)))))
    return plan, offs


WINDOW = (START, START + dt.timedelta(weeks=4))


@given(absences())
def test_cover_never_uncovers_a_covered_stretch(case: tuple[OnCallPlan, list[TimeOff]]) -> None:
    plan, offs = case
    result = cover_time_off(plan, offs, *WINDOW)
    for schedule in plan.schedules:
        before = render(schedule, *WINDOW)
        after = render(schedule, *WINDOW, overrides=result.overrides.get(schedule.name, ()))
        assert after.gaps == before.gaps


@given(absences())
def test_cover_never_puts_one_person_on_two_levels(case: tuple[OnCallPlan, list[TimeOff]]) -> None:
    plan, offs = case
    result = cover_time_off(plan, offs, *WINDOW)
    primary, secondary = (
        render(s, *WINDOW, overrides=result.overrides.get(s.name, ())).entries
        for s in plan.schedules
    )
    for p in primary:
        for s in secondary:
            if p.start < s.end and s.start < p.end:
                assert p.user != s.user


@given(absences())
def test_cover_takes_absent_people_off_call_unless_reported(
    case: tuple[OnCallPlan, list[TimeOff]],
) -> None:
    plan, offs = case
    result = cover_time_off(plan, offs, *WINDOW)
    for schedule in plan.schedules:
        final = render(schedule, *WINDOW, overrides=result.overrides.get(schedule.name, ()))
        for off in offs:
            for e in final.entries:
                overlap = (max(e.start, off.start), min(e.end, off.end))
                if e.user != off.user or overlap[0] >= overlap[1]:
                    continue
                assert any(
                    (u.schedule == schedule.name and u.start <= overlap[0] and overlap[1] <= u.end)
                    or (u.schedule == schedule.name and u.start < overlap[1] and overlap[0] < u.end)
                    for u in result.uncovered
                )
