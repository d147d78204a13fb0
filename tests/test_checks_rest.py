"""Rest and streak rules (OCP4xx)."""

from __future__ import annotations

import datetime as dt

from checkkit import DAY, T0, WEEK, A, B, C, layer, run, schedule, user, weekly_pair

from oncall_planner import CheckConfig, OnCallPlan, Restriction, check


def back_to_back():
    """Each person is primary one week and secondary the next."""
    primary = schedule("Primary", layer("L", [A, B, C]))
    secondary = schedule("Secondary", layer("L", [C, A, B]))
    return OnCallPlan(schedules=[primary, secondary])


def test_long_stretch_counts_primary_then_secondary_as_one():
    found = run("OCP401", back_to_back(), weeks=3)
    assert [f.subject for f in found] == [
        "User 'Ann' <ann@example.com>",
        "User 'Ben' <ben@example.com>",
    ]
    assert "336 h" in found[0].message
    assert (found[0].intervals[0].start, found[0].intervals[0].end) == (T0, T0 + 2 * WEEK)


def test_long_stretch_quiet_for_weekly_turns():
    assert run("OCP401", OnCallPlan(schedules=[weekly_pair()])) == []


def test_long_stretch_threshold_is_configurable():
    assert run("OCP401", back_to_back(), weeks=3, thresholds={"max_hours": 336}) == []


def days_from(start: str, hours: int):
    return schedule(
        "S", layer("L", [A], restrictions=[Restriction.daily(start, dt.timedelta(hours=hours))])
    )


def test_short_rest_fires_for_ten_hours_between_shifts():
    found = run("OCP402", OnCallPlan(schedules=[days_from("08:00", 14)]), weeks=1)
    assert "the shortest 10 h" in found[0].message
    first = found[0].intervals[0]
    assert (first.start, first.end) == (
        T0 + dt.timedelta(hours=22),
        T0 + DAY + dt.timedelta(hours=8),
    )


def test_short_rest_quiet_for_twelve_hours():
    assert run("OCP402", OnCallPlan(schedules=[days_from("08:00", 12)]), weeks=1) == []


def test_above_fair_share_fires_for_a_person_listed_twice():
    sched = schedule("S", layer("L", [A, A, B]))
    found = run("OCP403", OnCallPlan(schedules=[sched]), weeks=3)
    assert [f.message.split(" ")[0] for f in found] == ["Ann"]
    assert "+33%" in found[0].message


def test_above_fair_share_quiet_for_an_even_rotation():
    assert run("OCP403", OnCallPlan(schedules=[weekly_pair()])) == []


def test_above_fair_share_quiet_for_a_weekday_team_with_a_weekend_layer():
    # Four people share the weekdays, Eve alone covers every weekend: she has 8 of 28 days, far
    # above a fifth of the schedule, but exactly the share of the layer she is on.
    eve = user("Eve", None)
    weekend = [Restriction.weekly(6, "00:00", dt.timedelta(days=1, hours=23, minutes=59))]
    weekdays = layer("Weekdays", [A, B, C, user("Dee", None)])
    sched = schedule("S", weekdays, layer("Weekend", [eve], restrictions=weekend))
    assert run("OCP403", OnCallPlan(schedules=[sched]), weeks=4) == []


def test_long_stretch_measures_on_the_wall_clock_across_fall_back():
    ny = [user("Nia", "America/New_York"), user("Ola", "America/New_York")]
    start = dt.datetime(2025, 10, 27, 4, tzinfo=dt.timezone.utc)  # Monday 00:00 in New York
    sched = schedule("S", layer("L", ny, start=start), tz="America/New_York")
    found = check(
        OnCallPlan(schedules=[sched]),
        start,
        start + 2 * WEEK,
        config=CheckConfig(select=["OCP401"]),
    )
    assert found == ()  # the week of 2 November lasts 169 real hours, 168 on the clock


def test_rest_and_stretch_messages_use_the_schedule_zone_for_people_without_one():
    # Like the page rules, the times read in the person's zone, else their schedule's, not UTC.
    ann, ben = user("Ann", None), user("Ben", None)
    ny = dt.timezone(dt.timedelta(hours=-5))
    start = dt.datetime(2025, 1, 6, 9, tzinfo=ny)
    nine_to_five = [Restriction.daily("09:00", dt.timedelta(hours=8))]
    primary = schedule("P", layer("L", [ann, ben], start=start), tz="America/New_York")
    office = layer("L", [ann, ben], start=start, restrictions=nine_to_five)
    plan = OnCallPlan(schedules=[primary, schedule("O", office, tz="America/New_York")])
    config = CheckConfig(select=["OCP203", "OCP401"], thresholds={"OCP401": {"max_hours": 100}})
    found = check(plan, start, start + 3 * WEEK, config=config)
    assert {f.code for f in found} == {"OCP203", "OCP401"}
    for f in found:
        assert "EST to " in f.message and "UTC" not in f.message, f.message
