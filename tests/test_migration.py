"""Layer-based schedules to shift-based ones, and the proof: one behaviour a test, and the
property that schedules of the convertible class (docs/schedulev2.md) convert exactly."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from _pagerduty_schema import check_document
from hypothesis import given, settings
from hypothesis import strategies as st

from oncall_planner import (
    Conversion,
    Layer,
    Restriction,
    Schedule,
    ShiftSchedule,
    User,
    ValidationError,
    plan_rotation,
    prove_conversion,
    render,
    to_shift_plan,
    to_shift_schedule,
    to_terraform_json,
)
from oncall_planner.migration.proof import _steps, compare
from oncall_planner.strategies import schedules
from oncall_planner.timeutil import to_seconds

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "examples"))

from seed_plan import build_plan, build_schedule  # noqa: E402

UTC = dt.timezone.utc
NY = ZoneInfo("America/New_York")
WEEK = dt.timedelta(weeks=1)
DAY = dt.timedelta(days=1)
ANN, BEN, CAT, DAN = (User(n, f"{n.lower()}@example.com") for n in ("Ann", "Ben", "Cat", "Dan"))


def converted(schedule: Schedule, since: dt.datetime) -> Conversion:
    return to_shift_schedule(schedule, since)


def events(conversion: Conversion) -> list:
    return [e for r in conversion.schedule.rotations for e in r.events]


def weekly(zone: str = "America/New_York", users=(ANN, BEN, CAT)) -> Schedule:
    """Weekly turns handed over on Mondays at 09:00, Ann's first on 2 June 2025."""
    tz = ZoneInfo(zone)
    start = dt.datetime(2025, 1, 6, 9, tzinfo=tz)  # a Monday, 21 weeks (7 cycles) before 2 June
    return Schedule("Weekly", zone, [Layer("Weekly", users, start, WEEK)])


# --- the seed and the planner ------------------------------------------------------------------


def test_the_seed_schedule_migrates_with_an_exact_proof():
    conversion = converted(build_schedule(), dt.datetime(2025, 3, 3, tzinfo=NY))
    proof = prove_conversion(conversion)
    assert conversion.exact and proof.exact
    assert proof.minutes == 365 * 24 * 60


def test_the_seed_takes_over_at_the_next_handoff_with_whoever_holds_that_turn():
    conversion = converted(build_schedule(), dt.datetime(2025, 3, 3, tzinfo=NY))  # a Monday
    assert conversion.switch_at == dt.datetime(2025, 3, 5, tzinfo=NY)  # Wednesday 00:00
    main = events(conversion)[0]
    # The Secondary layer hides the Primary one all the time: its turn of 5 March is Dave's.
    holder = render(build_schedule(), conversion.switch_at, conversion.switch_at + DAY)
    assert main.members[0] == holder.entries[0].user
    assert main.effective_since == conversion.switch_at


def test_the_seed_proof_holds_under_every_other_reading_but_utc_expansion():
    proof = prove_conversion(converted(build_schedule(), dt.datetime(2025, 3, 3, tzinfo=NY)))
    failing = [r.label for r in proof.readings if not r.holds]
    assert failing == ["U1 expand_in='utc'"]
    assert len(proof.readings) == 7


def test_the_planners_rotations_migrate_with_exact_proofs():
    plan = plan_rotation(
        [ANN, BEN, CAT], dt.datetime(2025, 6, 2, 9, tzinfo=NY), "America/New_York", handoff="09:00"
    )
    migrated = to_shift_plan(plan, dt.datetime(2025, 6, 4, tzinfo=NY))
    assert migrated.exact
    assert all(prove_conversion(c, readings=False).exact for c in migrated.conversions)


def test_policies_of_a_migrated_plan_target_the_new_schedules():
    migrated = to_shift_plan(build_plan(), dt.datetime(2025, 3, 3, tzinfo=NY))
    [policy] = migrated.plan.escalation_policies
    target = policy.rules[0].targets[0].schedule
    assert isinstance(target, ShiftSchedule) and target.name == "Checkout Team On-Call"
    assert migrated.plan.schedules == ()
    doc = to_terraform_json(migrated.plan)
    assert check_document(doc) == []
    rule = doc["resource"]["pagerduty_escalation_policy"]["checkout_escalation"]["rule"][0]
    assert rule["target"] == [
        {"type": "schedule_reference", "id": "${pagerduty_schedulev2.checkout_team_on_call.id}"}
    ]


# --- how layers become rotations ----------------------------------------------------------------


def test_restrictions_become_rrule_windows_and_turns_shifts_per_member():
    office = [Restriction.weekly(day, "09:00", dt.timedelta(hours=8)) for day in range(1, 6)]
    start = dt.datetime(2025, 6, 2, 9, tzinfo=NY)
    schedule = Schedule(
        "Office",
        "America/New_York",
        [Layer("Office", [ANN, BEN], start, WEEK, restrictions=office)],
    )
    [event] = events(converted(schedule, start))
    assert event.recurrence == ("RRULE:FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR",)
    assert event.assignment.shifts_per_member == 5
    assert event.end_time - event.start_time == dt.timedelta(hours=8)


def test_a_later_layer_cuts_the_windows_of_the_one_below():
    start = dt.datetime(2025, 6, 2, 9, tzinfo=NY)
    rotation = Layer("Rotation", [ANN, BEN], start, WEEK)
    days = Layer(
        "Days", [CAT], start, WEEK, restrictions=[Restriction.daily("09:00", dt.timedelta(hours=8))]
    )
    conversion = converted(Schedule("Support", "America/New_York", [rotation, days]), start)
    by_name = {e.name: e for e in events(conversion)}
    nights = by_name["Rotation (daily 17:00-09:00)"]
    assert by_name["Days (daily 09:00-17:00)"].members == (CAT,)
    assert nights.recurrence == ("RRULE:FREQ=DAILY",) and nights.assignment.shifts_per_member == 7
    assert prove_conversion(conversion, readings=False).exact


def test_members_start_with_whoever_holds_the_first_turn_after_the_switch():
    since = dt.datetime(2025, 6, 11, 12, tzinfo=NY)  # mid-turn: Ben's week (Ann, Ben, Cat)
    conversion = converted(weekly(), since)
    assert conversion.switch_at == dt.datetime(2025, 6, 16, 9, tzinfo=NY)  # Cat's turn starts
    assert events(conversion)[0].members == (CAT, ANN, BEN)


def test_only_a_zone_with_clock_changes_gets_a_bridge_rotation():
    since = dt.datetime(2025, 6, 2, 9, tzinfo=UTC)
    assert len(converted(weekly("Etc/UTC"), since).schedule.rotations) == 1
    bridged = converted(weekly("America/New_York"), since)
    main, bridge = bridged.schedule.rotations
    assert bridge.events[0].end_time - bridge.events[0].start_time == dt.timedelta(hours=2)
    assert main.events[0].end_time - main.events[0].start_time == WEEK - dt.timedelta(hours=1)
    assert "daylight-saving bridge" in bridge.events[0].name


def test_a_start_that_spans_a_clock_change_goes_back_whole_cycles():
    since = dt.datetime(2025, 3, 3, 9, tzinfo=NY)  # the week New York springs forward
    conversion = converted(weekly(), since)
    main = events(conversion)[0]
    assert main.start_time == since - 3 * WEEK  # one cycle of three people earlier
    assert main.effective_since == since
    assert any("goes back 1 cycle" in note for note in conversion.notes)


def test_a_switch_inside_a_turn_gets_a_lead_in_that_every_reading_agrees_with():
    # Weekly turns on Saturdays under a layer with weekly turns on Sundays: no instant starts
    # both turns, so one pattern always takes over mid-turn.
    zone = ZoneInfo("Etc/UTC")
    under = Layer("Under", [ANN, BEN], dt.datetime(2024, 6, 1, tzinfo=zone), WEEK)
    over = Layer(
        "Over",
        [ANN, BEN],
        dt.datetime(2024, 6, 2, tzinfo=zone),
        WEEK,
        restrictions=[Restriction.daily("06:00", dt.timedelta(hours=18))],
    )
    conversion = converted(Schedule("Two", "Etc/UTC", [under, over]), SINCE)
    lead_in, main = conversion.schedule.rotations[0].events
    assert lead_in.name.endswith(", lead-in)") and len(lead_in.members) == 1
    assert lead_in.effective_until == main.effective_since == main.start_time
    proof = prove_conversion(conversion)
    assert proof.exact and all(r.holds for r in proof.readings)


def test_a_layer_that_ends_and_one_that_starts_become_two_events_of_a_rotation():
    start, change = dt.datetime(2025, 6, 2, 9, tzinfo=UTC), dt.datetime(2025, 8, 4, 9, tzinfo=UTC)
    old = Layer("Old", [ANN, BEN], start, WEEK, end=change)
    new = Layer("New", [ANN, BEN, CAT], change, WEEK)
    conversion = converted(Schedule("Ops", "Etc/UTC", [old, new]), start)
    [rotation] = conversion.schedule.rotations
    assert [e.effective_until for e in rotation.events] == [change, None]
    assert rotation.events[1].effective_since == change
    assert prove_conversion(conversion, readings=False).exact


# --- what cannot be said ----------------------------------------------------------------------


def test_turns_that_hold_an_uneven_number_of_windows_are_left_out_with_the_reason():
    start = dt.datetime(2025, 6, 2, 9, tzinfo=UTC)
    odd = Schedule("Odd", "Etc/UTC", [Layer("36h", [ANN, BEN, CAT], start, dt.timedelta(hours=36))])
    conversion = converted(odd, start)
    proof = prove_conversion(conversion, readings=False)
    assert {lim.code for lim in conversion.limitations} == {"uneven-turns"}
    assert not proof.exact
    assert all(d.reason.startswith("uneven-turns") for d in proof.differences)


def test_more_than_twenty_people_in_a_cycle_is_a_limit_that_cannot_be_met():
    crowd = [User(f"P{i}", f"p{i}@example.com") for i in range(21)]
    start = dt.datetime(2025, 6, 2, 9, tzinfo=UTC)
    conversion = converted(Schedule("Crowd", "Etc/UTC", [Layer("All", crowd, start, WEEK)]), start)
    assert [lim.code for lim in conversion.limitations] == ["too-many-members"]
    assert conversion.schedule.rotations == ()


def test_more_than_ten_rotations_leave_the_shortest_patterns_out():
    start = dt.datetime(2025, 6, 2, tzinfo=UTC)
    # Eleven one-hour windows a day of eleven different layers: eleven rotations.
    layers = [
        Layer(
            f"L{h}",
            [ANN, BEN],
            start,
            DAY,
            restrictions=[Restriction.daily(f"{h:02d}:00", dt.timedelta(hours=1 + (h == 0)))],
        )
        for h in range(0, 22, 2)
    ]
    conversion = converted(Schedule("Many", "Etc/UTC", layers), start)
    assert len(conversion.schedule.rotations) == 10
    [limit] = conversion.limitations
    assert limit.code == "too-many-rotations" and "L20 (daily 20:00-21:00)" in limit.message
    proof = prove_conversion(conversion, readings=False)
    assert proof.differing_minutes == 365 * 60
    assert {d.reason.split(":")[0] for d in proof.differences} == {"too-many-rotations"}


def test_a_clock_change_inside_the_last_hours_of_a_window_is_reported_under_u2():
    start = dt.datetime(2025, 3, 1, 2, 30, tzinfo=NY)  # handoffs at 02:30: half an hour after
    daily = Schedule("Daily", "America/New_York", [Layer("Daily", [ANN, BEN, CAT], start, DAY)])
    conversion = converted(daily, dt.datetime(2025, 6, 2, tzinfo=NY))
    proof = prove_conversion(conversion)
    assert [lim.code for lim in conversion.limitations] == ["daylight-saving"]
    assert proof.differences and all("(U2)" in d.reason for d in proof.differences)
    assert [r.label for r in proof.readings if r.holds] == ["U2 duration='wallclock'"]


def test_more_than_five_changes_of_layers_keep_the_first_five():
    start = dt.datetime(2025, 6, 2, tzinfo=UTC)
    layers = [
        Layer(f"L{i}", [ANN, BEN], start + i * WEEK, WEEK, end=start + (i + 1) * WEEK)
        for i in range(7)
    ]
    conversion = converted(Schedule("Churn", "Etc/UTC", layers), start)
    assert "too-many-events" in {lim.code for lim in conversion.limitations}
    assert max(len(r.events) for r in conversion.schedule.rotations) == 5


# --- the proof --------------------------------------------------------------------------------


def test_the_comparison_sees_a_second_person_on_call_as_a_difference():
    start = dt.datetime(2025, 6, 2, tzinfo=UTC)
    one = Schedule("A", "Etc/UTC", [Layer("L", [ANN], start, WEEK)])
    two = Schedule("B", "Etc/UTC", [Layer("L", [BEN], start, WEEK)])
    lo, hi = to_seconds(start), to_seconds(start + DAY)
    a = _steps(render(one, start, start + DAY), lo, hi)
    b = _steps(render(two, start, start + DAY), lo, hi)
    assert compare(a, a, hi) == []
    assert compare(a, b, hi) == [(lo, hi, frozenset({ANN}), frozenset({BEN}))]


def test_the_proof_text_says_exact_and_how_it_holds():
    text = prove_conversion(
        converted(weekly("Etc/UTC"), dt.datetime(2025, 6, 2, 9, tzinfo=UTC))
    ).to_text()
    assert "exact: the same people are on call every minute" in text
    assert "also holds if PagerDuty reads:\n    U1 expand_in='utc'\n" in text


def test_the_same_schedule_converts_to_the_same_terraform():
    a = to_shift_plan(build_plan(), dt.datetime(2025, 3, 3, tzinfo=NY))
    b = to_shift_plan(build_plan(), dt.datetime(2025, 3, 3, tzinfo=NY))
    assert a.plan == b.plan
    assert to_terraform_json(a.plan) == to_terraform_json(b.plan)


def test_bad_arguments_are_refused_in_words():
    with pytest.raises(ValidationError, match="must be a layer-based Schedule"):
        to_shift_schedule(ShiftSchedule("S", "Etc/UTC", []), dt.datetime(2025, 1, 1, tzinfo=UTC))
    with pytest.raises(ValidationError, match="since must be timezone-aware"):
        to_shift_schedule(weekly(), dt.datetime(2025, 1, 1))
    with pytest.raises(ValidationError, match="horizon must be a timedelta of at least one day"):
        to_shift_schedule(
            weekly(), dt.datetime(2025, 1, 1, tzinfo=UTC), horizon=dt.timedelta(hours=1)
        )


# --- properties ------------------------------------------------------------------------------
#
# The convertible class (docs/schedulev2.md): turns of whole weeks; or of whole days or a divisor
# of a day without weekly restrictions; or of one day (or a divisor of it) with weekly ones.
# Handoffs and window ends on the hour, never within two hours after a clock change (01:00 to
# 05:00 here, where New York, London and Sydney change), layers in force from before the switch.

ZONES = ("Etc/UTC", "America/New_York", "Europe/London", "Australia/Sydney", "Asia/Kolkata")
SAFE_HOURS = (0, 6, 7, 8, 9, 10, 12, 14, 16, 17, 18, 20, 21, 22)
POOL = (ANN, BEN, CAT, DAN, User("Eve", "eve@example.com"), User("Fay", "fay@example.com"))
SINCE = dt.datetime(2026, 1, 5, tzinfo=UTC)


@st.composite
def _until_safe_hour(draw: st.DrawFn, start_hour: int, max_days: int = 0) -> dt.timedelta:
    end = draw(st.sampled_from([h for h in SAFE_HOURS if h != start_hour]))
    return dt.timedelta(days=draw(st.integers(0, max_days)), hours=(end - start_hour) % 24)


@st.composite
def convertible_layers(draw: st.DrawFn, zone: str, index: int) -> Layer:
    tz = ZoneInfo(zone)
    kind = draw(st.sampled_from(["weeks", "days", "one day", "hours"]))
    if kind == "hours":
        length = draw(st.sampled_from([8, 12]))
        hours = [
            h
            for h in SAFE_HOURS
            if all((h + k * length) % 24 in SAFE_HOURS for k in range(24 // length))
        ]
        hour, turn = draw(st.sampled_from(hours)), dt.timedelta(hours=length)
    else:
        hour = draw(st.sampled_from(SAFE_HOURS))
        turn = {
            "weeks": WEEK * draw(st.integers(1, 2)),
            "days": DAY * draw(st.integers(1, 3)),
            "one day": DAY,
        }[kind]
    day = dt.date(2024, 6, 1) + dt.timedelta(days=draw(st.integers(0, 400)))
    anchor = dt.datetime.combine(day, dt.time(hour), tz)
    kinds = (
        ["none", "daily", "weekly"] if kind in ("weeks", "one day", "hours") else ["none", "daily"]
    )
    restriction_kind = draw(st.sampled_from(kinds))
    limits = []
    for _ in range(draw(st.integers(1, 2)) if restriction_kind != "none" else 0):
        at = draw(st.sampled_from(SAFE_HOURS))
        if restriction_kind == "daily":
            limits.append(Restriction.daily(dt.time(at), draw(_until_safe_hour(at))))
        else:
            length_ = draw(_until_safe_hour(at, 6))
            limits.append(Restriction.weekly(draw(st.integers(1, 7)), dt.time(at), length_))
    users = draw(st.lists(st.sampled_from(POOL), min_size=1, max_size=4, unique=True))
    start = min(anchor, SINCE - DAY * draw(st.integers(0, 30)))
    return Layer(
        f"L{index}", users, start, turn, rotation_virtual_start=anchor, restrictions=limits
    )


@st.composite
def convertible_schedules(draw: st.DrawFn) -> Schedule:
    zone = draw(st.sampled_from(ZONES))
    count = draw(st.integers(1, 3))
    layers = [draw(convertible_layers(zone, i)) for i in range(count)]
    # Weekly restrictions above turns of several days cut them unevenly: outside the class.
    weekly_seen = False
    for layer in reversed(layers):
        weekly_seen = weekly_seen or any(r.kind == "weekly" for r in layer.restrictions)
        if weekly_seen and layer.turn_length % WEEK and layer.turn_length > DAY:
            layer_index = layers.index(layer)
            layers[layer_index] = Layer(
                layer.name,
                layer.users,
                layer.start,
                DAY,
                layer.rotation_virtual_start,
                layer.restrictions,
            )
    return Schedule("Random", zone, layers)


@given(convertible_schedules())
def test_schedules_of_the_convertible_class_render_identically_for_a_year(schedule):
    conversion = to_shift_schedule(schedule, SINCE)
    # The class says nothing of PagerDuty's ten rotations; the converter says when they are
    # too few, and then only that is left out.
    codes = {lim.code for lim in conversion.limitations}
    assert codes <= {"too-many-rotations", "daylight-saving"}
    proof = prove_conversion(conversion)
    if not codes:
        assert proof.exact, proof.to_text()
        failing = [r.label for r in proof.readings if not r.holds]
        assert failing in ([], ["U1 expand_in='utc'"]), proof.to_text()
        if schedule.time_zone == "Etc/UTC":  # the wall clock is UTC's: U1 changes nothing
            assert failing == [], proof.to_text()
    else:
        assert all(not d.reason.startswith("not explained") for d in proof.differences)


@settings(max_examples=15)
@given(schedules())
def test_every_difference_of_any_conversion_has_a_reason(schedule):
    conversion = to_shift_schedule(schedule, dt.datetime(2025, 1, 6, tzinfo=UTC))
    proof = prove_conversion(conversion, readings=False)
    assert [d for d in proof.differences if d.reason.startswith("not explained")] == []
    assert proof.exact or conversion.limitations
