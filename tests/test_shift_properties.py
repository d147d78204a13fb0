"""Properties of every consumer on plans that mix both kinds of schedule
(``oncall_planner.strategies.mixed_plans``)."""

from __future__ import annotations

import datetime as dt

import attrs
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from oncall_planner import (
    ShiftRenderOptions,
    ShiftSchedule,
    audit,
    check,
    diff,
    escalation_timeline,
    fairness_report,
    people_on_call_at,
    render,
)
from oncall_planner import strategies as st_oc
from oncall_planner.render import _union
from oncall_planner.report.ics import schedule_events
from oncall_planner.timeutil import to_seconds

SINCE = dt.datetime(2024, 1, 1, tzinfo=dt.timezone.utc)
UNTIL = SINCE + dt.timedelta(days=21)
# Half the profile's examples (30 by default; HYPOTHESIS_PROFILE=long searches 1,000).
SLOW = settings(
    max_examples=settings().max_examples // 2,
    suppress_health_check=[HealthCheck.too_slow],
    deadline=None,
)


@SLOW
@given(st_oc.mixed_plans())
def test_check_never_raises_on_a_mixed_plan(plan) -> None:  # type: ignore[no-untyped-def]
    findings = check(plan, SINCE, UNTIL)
    assert findings == check(plan, SINCE, UNTIL)  # and it is deterministic


@SLOW
@given(st_oc.mixed_plans())
def test_everyone_on_call_carries_the_time_and_nobody_more_than_the_window(plan) -> None:  # type: ignore[no-untyped-def]
    report = fairness_report(plan, SINCE, UNTIL)
    spans = [
        (to_seconds(e.start), to_seconds(e.end)) for final in report.finals for e in final.entries
    ]
    covered = sum(b - a for a, b in _union(spans, ())) / 3600
    assert sum(p.hours for p in report.people) >= covered - 1e-6
    assert all(p.hours <= (UNTIL - SINCE) / dt.timedelta(hours=1) + 1e-6 for p in report.people)
    by_email = {p.user.email: p.hours for p in report.people}
    for final in report.finals:
        for user, hours in final.hours_by_user().items():
            assert by_email[user.email] >= hours - 1e-6  # one schedule's time, at least


@SLOW
@given(st_oc.mixed_plans())
def test_a_shift_based_calendar_has_an_event_per_shift_and_per_empty_slot(plan) -> None:  # type: ignore[no-untyped-def]
    for schedule in plan.shift_schedules:
        whole = render(schedule, SINCE, UNTIL, options=ShiftRenderOptions(overflow=True))
        events = schedule_events(schedule, SINCE, UNTIL)
        assert len(events) == len(whole.entries) + len(whole.vacancies)
        assert len({e.uid for e in events}) == len(events)


@SLOW
@given(st_oc.mixed_plans())
def test_the_diff_of_a_plan_with_itself_is_empty(plan) -> None:  # type: ignore[no-untyped-def]
    assert diff(plan, plan, SINCE, UNTIL) == ()


@SLOW
@given(st_oc.mixed_plans())
def test_reordering_rotations_changes_nobody_on_call(plan) -> None:  # type: ignore[no-untyped-def]
    before = plan.shift_schedules[0]
    after = attrs.evolve(before, rotations=before.rotations[::-1])
    assert diff(before, after, SINCE, UNTIL) == ()


@SLOW
@given(st_oc.mixed_plans(), st_oc.instants(SINCE, 21))
def test_the_first_level_notifies_everyone_on_call_on_its_targets(plan, at) -> None:  # type: ignore[no-untyped-def]
    policy = plan.escalation_policies[0]
    timeline = escalation_timeline(policy, at)
    first = {n.user for n in timeline if n.level == 1 and n.loop == 1 and n.user is not None}
    wanted = set()
    for target in policy.rules[0].targets:
        if target.user is not None:
            wanted.add(target.user)
        else:
            wanted.update(people_on_call_at(target.schedule, at))
    assert first == wanted


@SLOW
@given(st_oc.mixed_plans())
def test_the_html_report_of_a_mixed_plan_is_deterministic(plan) -> None:  # type: ignore[no-untyped-def]
    first = fairness_report(plan, SINCE, UNTIL).to_html()
    assert first == fairness_report(plan, SINCE, UNTIL).to_html()
    for schedule in plan.shift_schedules:
        assert f"{schedule.name} <small>" in first


@settings(
    max_examples=8,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.nested_given],
    deadline=None,
)
@given(st_oc.mixed_plans(), st.integers(0, 2**16))
def test_an_audit_of_a_mixed_plan_reports_and_never_raises(plan, seed) -> None:  # type: ignore[no-untyped-def]
    # Every perturbation, the week off covered by overrides of both kinds included.
    report = audit(plan, max_examples=3, seed=seed)
    assert [r.name for r in report.results] == [
        "balanced",
        "max_streak",
        "not_starved",
        "distinct_levels",
    ]
    assert report == audit(plan, max_examples=3, seed=seed)


@settings(max_examples=30, deadline=None)
@given(st_oc.rotating_shift_plans())
def test_rotating_shift_based_teams_score_perfectly_over_whole_cycles(plan) -> None:  # type: ignore[no-untyped-def]
    report = fairness_report(plan)
    assert isinstance(plan.all_schedules[0], ShiftSchedule)
    assert report.horizon.kind == "cycle"
    assert report.hours.gini == 0.0, [(p.user.name, p.hours) for p in report.rostered]
