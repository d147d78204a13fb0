"""Fairness reports, audits, page metrics, ICS, HTML and diff on shift-based schedules: load is
counted for each person on call, several at once."""

from __future__ import annotations

import datetime as dt

import icalendar
import pytest
from checkkit import layer, schedule
from shiftkit import (
    DAY,
    EMPTY_MEMBER,
    HOUR,
    T0,
    WEEK,
    WEEKDAYS,
    A,
    B,
    C,
    D,
    E,
    around_the_clock,
    days_rotation,
    mixed_plan,
    pair_rotation,
    shift_schedule,
    support,
)

from oncall_planner import (
    Change,
    OnCallPlan,
    Page,
    RotatingMembers,
    ShiftEvent,
    ShiftOverride,
    ShiftSchedule,
    User,
    ValidationError,
    audit,
    diff,
    fairness_report,
    format_diff,
    page_metrics,
    render,
)
from oncall_planner.fairness import cycle_length
from oncall_planner.fairness.audit import Perturbation, apply
from oncall_planner.fairness.horizon import event_cycle
from oncall_planner.report.html import timeline_svg
from oncall_planner.report.ics import person_ics, schedule_ics

# --- fairness ----------------------------------------------------------------------------------


def test_the_cycle_of_a_shift_based_event_is_whole_rounds_of_its_members() -> None:
    three = ShiftEvent(
        "Weekdays",
        T0 + 9 * HOUR,
        T0 + 17 * HOUR,
        WEEKDAYS,
        RotatingMembers([C, D, E], shifts_per_member=5),
    )
    assert event_cycle(three) == 3 * WEEK // dt.timedelta(seconds=1)
    # Two members, two shifts each: 4 slots against 5 shifts a week meet after 4 weeks.
    two = ShiftEvent(
        "Weekdays", T0, T0 + 8 * HOUR, WEEKDAYS, RotatingMembers([C, D], shifts_per_member=2)
    )
    assert event_cycle(two) == 4 * WEEK // dt.timedelta(seconds=1)
    assert cycle_length([support()]) == 2 * WEEK  # Days: 2 weeks; Pair (everyone): a day


def test_a_shift_only_plan_gets_a_report_over_whole_cycles() -> None:
    report = fairness_report(OnCallPlan(shift_schedules=[around_the_clock()]))
    assert report.horizon.kind == "cycle"
    assert report.horizon.length == 2 * WEEK
    assert [(p.user.name, p.hours) for p in report.rostered] == [("Cat", 168.0), ("Dan", 168.0)]
    assert report.hours.balance == 1.0


def test_load_is_counted_for_each_person_on_call_and_once_per_person() -> None:
    report = fairness_report(mixed_plan(), T0, T0 + 2 * WEEK)
    hours = {p.user.name: p.hours for p in report.people}
    # Cat: 40 h of Days and 28 h of Pair, 10 h of which overlap her own Days shifts.
    assert hours == {"Ann": 168.0, "Ben": 168.0, "Cat": 58.0, "Dan": 40.0, "Eve": 28.0}
    assert report.person("cat@example.com").level1_hours == 58.0
    assert report.person("ann@example.com").later_hours == 168.0


def test_people_only_in_a_shift_based_schedule_are_rostered_in_its_zone() -> None:
    kei = User("Kei", "kei@example.com")
    tokyo = ShiftSchedule("Tokyo", "Asia/Tokyo", [days_rotation([kei, D])])
    report = fairness_report(OnCallPlan(shift_schedules=[tokyo]), T0, T0 + 2 * WEEK)
    load = report.person("kei@example.com")
    assert load.rostered and load.time_zone == "Asia/Tokyo"


def test_fairness_report_takes_shift_overrides() -> None:
    plan = OnCallPlan(shift_schedules=[around_the_clock()])
    main = plan.shift_schedule("Around").rotations[0]
    swap = ShiftOverride(T0, T0 + DAY, C, E, rotation=main)
    report = fairness_report(plan, T0, T0 + 2 * WEEK, overrides={"Around": [swap]})
    assert {p.user.name: p.hours for p in report.people} == {
        "Cat": 144.0,
        "Dan": 168.0,
        "Eve": 24.0,
    }
    with pytest.raises(ValidationError, match="must hold ShiftOverride"):
        fairness_report(plan, T0, T0 + WEEK, overrides={"Around": [object()]})  # type: ignore[list-item]


# --- audits ------------------------------------------------------------------------------------


def test_an_audit_of_a_shift_only_plan_searches_its_perturbations() -> None:
    report = audit(OnCallPlan(shift_schedules=[around_the_clock()]), max_examples=15, seed=3)
    assert report.result("balanced").held
    assert report.result("not_starved").held
    streak = report.result("max_streak")
    assert not streak.held and "336 h straight" in (streak.violation or "")


def test_a_week_off_on_a_shift_based_schedule_is_covered_by_shift_overrides() -> None:
    plan = OnCallPlan(shift_schedules=[around_the_clock("Around", [C, D, E])])
    scenario = apply(plan, int(T0.timestamp()), Perturbation(time_off=(0, 0, 1)), "Etc/UTC")
    (cover,) = scenario.overrides["Around"]
    assert isinstance(cover, ShiftOverride)
    assert (cover.overridden_member, cover.overriding_member) == (C, D)
    assert cover.rotation == plan.shift_schedule("Around").rotations[0]
    assert (cover.start, cover.end) == (T0, T0 + WEEK)
    assert "Cat takes the week from Mon 2025-01-06 00:00 UTC off and Dan covers" in scenario.words


def test_joining_and_leaving_change_every_event_of_a_shift_based_schedule() -> None:
    plan = OnCallPlan(shift_schedules=[support()])
    joined = apply(plan, int(T0.timestamp()), Perturbation(join=True), "Etc/UTC")
    events = [e for r in joined.plan.shift_schedules[0].rotations for e in r.events]
    assert [e.members[-1].name for e in events] == ["Newcomer", "Newcomer"]
    left = apply(plan, int(T0.timestamp()), Perturbation(leave=0), "Etc/UTC")  # Cat leaves
    events = [e for r in left.plan.shift_schedules[0].rotations for e in r.events]
    assert [[m.name for m in e.members] for e in events] == [["Dan"], ["Eve"]]


# --- page metrics ------------------------------------------------------------------------------


def test_a_page_in_concurrent_shifts_counts_once_for_the_person_listed_first() -> None:
    final = render(support(), T0, T0 + DAY)
    metrics = page_metrics([Page(T0 + 13 * HOUR)], final)
    counted = [
        (load.shift.user.name, str(load.shift.source)) for load in metrics.per_shift if load.count
    ]
    assert counted == [("Cat", "rotation 1 'Days', event 'Weekdays'")]
    assert metrics.outside_shifts == 0


def test_a_page_naming_someone_counts_for_their_shift() -> None:
    final = render(support(), T0, T0 + DAY)
    metrics = page_metrics([Page(T0 + 13 * HOUR, user=E)], final)
    assert [load.shift.user for load in metrics.per_shift if load.count] == [E]


def test_page_metrics_counts_a_page_once_from_bare_entries_too() -> None:
    entries = render(support(), T0, T0 + DAY).entries
    metrics = page_metrics([Page(T0 + 13 * HOUR)], entries)
    assert sum(load.count for load in metrics.per_shift) == 1


# --- ICS ---------------------------------------------------------------------------------------


def vevents(text: str) -> list[icalendar.Event]:
    return list(icalendar.Calendar.from_ical(text).walk("VEVENT"))


def test_a_shift_based_calendar_has_one_event_per_shift_with_its_source() -> None:
    final = render(support(), T0, T0 + DAY)
    events = vevents(schedule_ics(support(), T0, T0 + DAY))
    assert len(events) == len(final.entries) == 3
    assert sorted((e["DTSTART"].dt, str(e["SUMMARY"])) for e in events) == sorted(
        (x.start, f"{x.user.name} on call (Support)") for x in final.entries
    )
    assert any("rotation 2 'Pair', event 'Noon'" in str(e["DESCRIPTION"]) for e in events)
    assert len({str(e["UID"]) for e in events}) == 3


def test_empty_slots_are_free_events_of_the_schedule_calendar() -> None:
    office = shift_schedule("Office", days_rotation([EMPTY_MEMBER, D]))
    events = vevents(schedule_ics(office, T0, T0 + DAY))
    assert [(str(e["SUMMARY"]), str(e["TRANSP"])) for e in events] == [
        ("Empty slot (Office)", "TRANSPARENT")
    ]


def test_shifts_crossing_the_window_are_whole() -> None:
    events = vevents(schedule_ics(support(), T0 + 10 * HOUR, T0 + 11 * HOUR))
    assert [(e["DTSTART"].dt, e["DTEND"].dt) for e in events] == [(T0 + 9 * HOUR, T0 + 17 * HOUR)]


def test_a_person_calendar_takes_both_kinds_of_schedule() -> None:
    plan = OnCallPlan(schedules=[schedule("Nights", layer("L", [C]))], shift_schedules=[support()])
    events = vevents(person_ics(plan, C, T0, T0 + DAY))
    assert sorted(str(e["DESCRIPTION"]).split(" for ")[1].split(" ")[0] for e in events) == [
        "Nights",
        "Support",
        "Support",
    ]


# --- HTML --------------------------------------------------------------------------------------


def rows(svg: str) -> list[str]:
    """The labels of the rows, '' for a lane under the row above."""
    out = []
    for line in svg.splitlines():
        if 'fill="none" stroke="#bbb"' in line:
            out.append("")
        elif line.startswith('<text x="4"') and out is not None:
            out.append(line.split(">")[1].split("<")[0])
    # A label comes just before its outline: fold each label onto the outline after it.
    labelled: list[str] = []
    pending = None
    for item in out:
        if item:
            pending = item
        else:
            labelled.append(pending or "")
            pending = None
    return labelled


def test_concurrent_people_get_lanes_and_empty_slots_a_row() -> None:
    office = shift_schedule("Office", days_rotation([C, EMPTY_MEMBER]), pair_rotation())
    final = render(office, T0, T0 + 2 * WEEK)
    svg = timeline_svg(final, {}, 0)
    assert rows(svg) == [
        "Rotation Days",
        "Rotation Pair",
        "",  # Eve's lane under Cat's
        "Empty slots",
        "Final schedule",
        "",
        "",  # at noon in week 1: Cat twice (Days, Pair) and Eve
    ]
    assert svg.count('stroke-dasharray="3,2"') == len(final.vacancies) == 5


def test_a_layer_based_timeline_keeps_one_row_per_layer() -> None:
    final = render(schedule("Pair", layer("L", [A, B])), T0, T0 + 2 * WEEK)
    assert rows(timeline_svg(final, {}, 0)) == ["Layer L", "Final schedule"]


def test_the_html_report_of_a_mixed_plan_is_the_same_every_time() -> None:
    html = fairness_report(mixed_plan(), T0, T0 + WEEK).to_html()
    assert html == fairness_report(mixed_plan(), T0, T0 + WEEK).to_html()
    assert "Rotation Pair" in html and "Layer L" in html


# --- diff --------------------------------------------------------------------------------------


def test_diff_compares_the_sets_of_people_on_call() -> None:
    pair = support().rotations[1]
    swap = ShiftOverride(T0 + 12 * HOUR, T0 + 14 * HOUR, E, D, rotation=pair)
    changes = diff(support(), support(), T0, T0 + DAY, overrides_after={"Support": [swap]})
    assert changes == (Change("Support", T0 + 12 * HOUR, T0 + 14 * HOUR, C, C, (C, E), (C, D)),)
    assert (changes[0].left, changes[0].joined) == ((E,), (D,))
    assert "Cat, Eve → Cat, Dan" in format_diff(changes)


def test_the_same_people_in_another_order_is_no_change() -> None:
    swapped = shift_schedule("Support", pair_rotation(), days_rotation())
    assert diff(support(), swapped, T0, T0 + 2 * WEEK) == ()


def test_a_schedule_that_changes_kind_is_compared_by_who_is_on_call() -> None:
    layered = schedule("Around", layer("L", [C, D]))
    assert diff(layered, around_the_clock(), T0, T0 + 4 * WEEK) == ()
    late = around_the_clock("Around", [D, C])
    (first, second) = diff(OnCallPlan(schedules=[layered]), late, T0, T0 + 2 * WEEK)
    assert (first.before, first.after, second.before, second.after) == (C, D, D, C)
