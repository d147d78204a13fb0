"""Rotation rules (OCP1xx): each fires on a set-up that breaks it and stays quiet otherwise."""

from __future__ import annotations

import datetime as dt

from checkkit import DAY, T0, WEEK, A, B, C, D, layer, policy, run, schedule, user

from oncall_planner import CheckConfig, OnCallPlan, Override, Restriction, change_members, check


def plan_of(*schedules):
    return OnCallPlan(schedules=list(schedules))


# OCP101 long-turn


def test_long_turn_warns_above_seven_days():
    found = run("OCP101", plan_of(schedule("S", layer("L", [A, B], turn=10 * DAY))))
    assert [(f.severity, f.subject) for f in found] == [("warning", "Schedule 'S', layer 'L'")]
    assert found[0].intervals[0].end - found[0].intervals[0].start == 10 * DAY


def test_long_turn_error_threshold_holds_when_warn_days_is_raised_past_it():
    plan = plan_of(schedule("S", layer("L", [A, B], turn=15 * DAY)))
    found = run("OCP101", plan, weeks=6, thresholds={"warn_days": 20})
    assert [f.severity for f in found] == ["error"]


def test_long_turn_is_an_error_above_fourteen_days():
    found = run("OCP101", plan_of(schedule("S", layer("L", [A, B], turn=15 * DAY))), weeks=6)
    assert [f.severity for f in found] == ["error"]
    assert "15 days" in found[0].message


def test_long_turn_quiet_for_weekly_turns():
    assert run("OCP101", plan_of(schedule("S", layer("L", [A, B], turn=WEEK)))) == []


def test_long_turn_threshold_is_configurable():
    plan = plan_of(schedule("S", layer("L", [A, B], turn=10 * DAY)))
    assert run("OCP101", plan, thresholds={"warn_days": 10}) == []


# OCP102 too-few-people


def test_too_few_people_fires_for_a_one_person_rotation():
    found = run("OCP102", plan_of(schedule("S", layer("L", [A]))))
    assert [f.subject for f in found] == ["Schedule 'S', layer 'L'"]


def test_rotation_rules_skip_a_layer_that_ended_before_the_horizon():
    # A real pagerduty.tf keeps old layers with an `end` in the past; PagerDuty no longer shows
    # them, and how they rotated is no finding about the weeks being checked.
    old = layer("Old nights", [A], DAY * 20, start=T0 - 10 * WEEK, end=T0 - WEEK)
    plan = plan_of(schedule("S", layer("Weekly", [A, B]), old))
    assert run("OCP102", plan) == []
    assert run("OCP101", plan) == []
    ending_later = layer("Old nights", [A], start=T0 - 10 * WEEK, end=T0 + DAY)
    assert len(run("OCP102", plan_of(schedule("S", layer("Weekly", [A, B]), ending_later)))) == 1


def test_too_few_people_counts_distinct_people():
    assert len(run("OCP102", plan_of(schedule("S", layer("L", [A, A]))))) == 1


def test_too_few_people_quiet_for_two():
    assert run("OCP102", plan_of(schedule("S", layer("L", [A, B])))) == []


# OCP103 shadowed-layer


def test_shadowed_layer_fires_when_a_later_layer_covers_everything():
    sched = schedule("S", layer("Primary", [A, B]), layer("Secondary", [C, D]))
    found = run("OCP103", plan_of(sched))
    assert [f.subject for f in found] == ["Schedule 'S', layer 'Primary'"]
    assert found[0].severity == "error"
    assert found[0].intervals[0].start == T0
    assert "'Secondary'" in found[0].message


def test_shadowed_layer_quiet_when_the_upper_layer_is_restricted():
    nights = layer(
        "Nights", [C, D], restrictions=[Restriction.daily("20:00", dt.timedelta(hours=12))]
    )
    assert run("OCP103", plan_of(schedule("S", layer("Days", [A, B]), nights))) == []


def test_shadowed_layer_quiet_for_a_layer_that_has_not_started():
    later = layer("Later", [A, B], start=T0 + 10 * WEEK)
    assert run("OCP103", plan_of(schedule("S", later, layer("Top", [C, D])))) == []


def test_shadowed_layer_names_what_hides_it():
    # The weekend layer above hides weekends only; an override hides the rest. Layers that
    # never meet the hidden layer's time are not blamed.
    weekends = layer("Weekends", [C, D], restrictions=[Restriction.weekly(6, "00:00", 2 * DAY)])
    nights = layer("Nights", [C, D], start=T0 + 10 * WEEK)
    sched = schedule("S", layer("Base", [A, B]), weekends, nights)
    cover = Override(T0, T0 + 4 * WEEK, C)
    found = run("OCP103", plan_of(sched), overrides={"S": [cover]})
    by_layer = {f.subject.split("layer ")[1]: f.message.split(": ", 1)[1] for f in found}
    assert by_layer == {
        "'Base'": "layer(s) 'Weekends' above it and overrides cover all 672 h of its time",
        "'Weekends'": "overrides cover all 192 h of its time",
    }


# OCP104 partly-shadowed-layer


def test_partly_shadowed_layer_names_overrides_when_they_hide_it():
    cover = Override(T0 + DAY, T0 + 3 * DAY, C)
    found = run("OCP104", plan_of(schedule("S", layer("Base", [A, B]))), overrides={"S": [cover]})
    assert found[0].message.endswith("; overrides hide the rest")


def test_partly_shadowed_layer_reports_the_visible_share():
    weekends = layer("Weekends", [C, D], restrictions=[Restriction.weekly(6, "00:00", 2 * DAY)])
    found = run("OCP104", plan_of(schedule("S", layer("Base", [A, B]), weekends)))
    assert [f.subject for f in found] == ["Schedule 'S', layer 'Base'"]
    assert "shows 71%" in found[0].message
    assert found[0].intervals[0].start == T0 + 5 * DAY
    assert len(found[0].intervals) == 4


def test_partly_shadowed_layer_quiet_for_a_fully_visible_layer():
    assert run("OCP104", plan_of(schedule("S", layer("Base", [A, B])))) == []


def test_partly_shadowed_layer_threshold_allows_some_hiding():
    weekends = layer("Weekends", [C, D], restrictions=[Restriction.weekly(6, "00:00", 2 * DAY)])
    plan = plan_of(schedule("S", layer("Base", [A, B]), weekends))
    assert run("OCP104", plan, thresholds={"max_hidden_share": 0.3}) == []


# OCP105 starved-member and OCP106 under-share-member

WEEKDAYS = [Restriction.weekly(1, "00:00", 5 * DAY)]


def test_starved_member_fires_for_people_whose_days_are_always_masked():
    team = [user(f"P{i}") for i in range(7)]  # daily turns from a Monday: P5, P6 get weekends
    found = run("OCP105", plan_of(schedule("S", layer("L", team, turn=DAY, restrictions=WEEKDAYS))))
    assert [f.message.split(" ")[0] for f in found] == ["P5", "P6"]
    assert found[0].severity == "error"


def test_starvation_rules_quiet_for_a_layer_ended_by_a_membership_change():
    # Ann, Ben, Cat, Dan weekly; Ben leaves and the old layer ends before some of them get a
    # turn in the horizon. Nobody is masked (there are no restrictions): the layer just stopped.
    # That used to be reported as OCP105 errors.
    old = layer("Primary", [A, B, C, D])
    ended, successor = change_members(
        old, [A, C, D], effective=T0 + 4 * WEEK + DAY, time_zone="Etc/UTC"
    )
    plan = plan_of(schedule("S", ended, successor))
    since = T0 + 3 * WEEK
    config = CheckConfig(select=["OCP105", "OCP106"])
    assert check(plan, since, since + 4 * WEEK, config=config) == ()


def test_starved_member_quiet_when_the_cycle_walks_through_every_day():
    team = [user(f"P{i}") for i in range(5)]
    assert (
        run("OCP105", plan_of(schedule("S", layer("L", team, turn=DAY, restrictions=WEEKDAYS))))
        == []
    )


def test_starved_member_looks_at_a_full_cycle_beyond_a_short_horizon():
    # In the first week P5 only has Saturday, but over the 42-day cycle everyone gets weekdays.
    team = [user(f"P{i}") for i in range(6)]
    plan = plan_of(schedule("S", layer("L", team, turn=DAY, restrictions=WEEKDAYS)))
    assert run("OCP105", plan, weeks=1) == []


def test_under_share_member_fires_for_a_sliver_of_time():
    team = [user(f"P{i}") for i in range(7)]
    short_friday = [Restriction.weekly(1, "00:00", 4 * DAY + dt.timedelta(hours=2))]
    plan = plan_of(schedule("S", layer("L", team, turn=DAY, restrictions=short_friday)))
    found = run("OCP106", plan)
    assert [f.message.split(" ")[0] for f in found] == ["P4"]
    assert "of the fair share" in found[0].message


def test_under_share_member_quiet_for_an_even_cycle():
    team = [user(f"P{i}") for i in range(5)]
    assert (
        run("OCP106", plan_of(schedule("S", layer("L", team, turn=DAY, restrictions=WEEKDAYS))))
        == []
    )


# OCP107 handoff-splits-window

OFFICE = [Restriction.daily("09:00", dt.timedelta(hours=8))]


def test_handoff_splits_window_fires_for_a_midday_handoff():
    noon = T0 + dt.timedelta(hours=12)
    lay = layer("L", [A, B], turn=DAY, restrictions=OFFICE, rotation_virtual_start=noon)
    found = run("OCP107", plan_of(schedule("S", lay)), weeks=1)
    assert len(found) == 1
    first = found[0].intervals[0]
    assert (first.start, first.end) == (T0 + dt.timedelta(hours=9), T0 + dt.timedelta(hours=17))
    assert "Ben hands over to Ann" in found[0].message  # turn -1 (before noon) is Ben's


def test_handoff_splits_window_quiet_for_a_midnight_handoff():
    lay = layer("L", [A, B], turn=DAY, restrictions=OFFICE)
    assert run("OCP107", plan_of(schedule("S", lay))) == []


def test_handoff_splits_window_quiet_for_daily_turns_inside_a_weekday_window():
    # A daily rotation restricted to Monday-Friday as one window hands over inside it every
    # midnight, and no virtual start could avoid that.
    lay = layer("L", [A, B, C], turn=DAY, restrictions=WEEKDAYS)
    assert run("OCP107", plan_of(schedule("S", lay))) == []


def test_handoff_splits_window_counts_each_window_once():
    # Weekly turns handed over on Wednesday noon cut the Monday 09:00 to Friday 17:00 window.
    working_week = [Restriction.weekly(1, "09:00", dt.timedelta(hours=104))]
    wednesday_noon = T0 + 2 * DAY + dt.timedelta(hours=12)
    lay = layer(
        "L", [A, B], restrictions=working_week, rotation_virtual_start=wednesday_noon - WEEK
    )
    found = run("OCP107", plan_of(schedule("S", lay)), weeks=3)
    assert found[0].message.startswith("3 restriction window(s) cut by a handoff")
    assert [i.start for i in found[0].intervals] == [
        T0 + k * WEEK + dt.timedelta(hours=9) for k in range(3)
    ]


def test_rotation_rules_see_the_policy_plan_too():
    sched = schedule("S", layer("Solo", [A]))
    found = run("OCP102", OnCallPlan(escalation_policies=[policy("P", (10, [sched]))]))
    assert len(found) == 1


# Work grows like n log n in the number of layers (500 layers took 70 s when every hidden layer
# was compared with every layer above it). Counted in intervals built, not timed.


def _intervals_built(monkeypatch, layers: int) -> int:
    from oncall_planner.render import Interval

    built = 0
    new = Interval.__new__  # a named tuple: made by __new__

    def counting(cls, *args, **kwargs):
        nonlocal built
        built += 1
        return new(cls, *args, **kwargs)

    monkeypatch.setattr(Interval, "__new__", counting)
    people = [A, B, C, D]
    stack = [layer(f"L{i}", people[i % 4 :] + people[: i % 4], turn=DAY) for i in range(layers)]
    check(plan_of(schedule("S", *stack)), T0, T0 + 4 * WEEK, config=CheckConfig(select=["OCP10"]))
    monkeypatch.undo()
    return built


def test_shadowed_layer_rules_grow_linearly_with_the_layers(monkeypatch):
    small, large = _intervals_built(monkeypatch, 40), _intervals_built(monkeypatch, 160)
    assert large < 6 * small  # four times the layers: 4x (n log n) but not 16x (n²)


def test_a_layer_hidden_by_many_names_the_nearest_ones_above_it():
    people = [A, B, C, D]
    stack = [layer(f"L{i}", people, turn=DAY) for i in range(9)]
    found = run("OCP103", plan_of(schedule("S", *stack)))
    bottom = next(f for f in found if f.subject.endswith("layer 'L0'"))
    assert "layer(s) 'L1', 'L2', 'L3', 'L4', 'L5' and others above it" in bottom.message
    top_hidden = next(f for f in found if f.subject.endswith("layer 'L7'"))
    assert "layer(s) 'L8' above it cover" in top_hidden.message
