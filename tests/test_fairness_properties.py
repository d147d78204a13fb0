"""Invariants of the fairness report, drawn with the public strategies."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from oncall_planner import (
    Layer,
    OnCallPlan,
    Override,
    Schedule,
    User,
    audit,
    fairness_report,
)
from oncall_planner import strategies as st_oc
from oncall_planner.fairness.indices import Indices
from oncall_planner.strategies import EPOCH_2024

WINDOW = (EPOCH_2024, EPOCH_2024 + dt.timedelta(days=15))
loads = st.lists(st.integers(0, 2000).map(float), min_size=1, max_size=12)


@given(st_oc.rotating_plans())
def test_a_perfectly_rotating_team_scores_perfectly_over_its_cycle(plan):
    report = fairness_report(plan)
    assert len({p.hours for p in report.rostered}) == 1
    assert report.hours == Indices(1.0, 1.0, 0.0, 1.0)


@given(st_oc.plans(max_schedules=2))
def test_everyone_rostered_appears_even_with_zero_hours(plan):
    # Rostered: a member of a layer in force at some moment of the window (a layer that ended
    # before it or starts after it rosters nobody there); everyone in the plan is listed.
    report = fairness_report(plan, *WINDOW)
    since, until = WINDOW
    rostered = {
        u.email
        for s in plan.schedules
        for layer in s.layers
        if layer.start < until and (layer.end is None or layer.end > since)
        for u in layer.users
    }
    assert {p.user.email for p in report.rostered} == rostered
    assert {p.user.email for p in report.people} >= {u.email for u in plan.users}


@given(st_oc.plans(max_schedules=2), st_oc.weights())
def test_buckets_partition_each_persons_hours(plan, weights):
    for p in fairness_report(plan, *WINDOW, weights=weights).people:
        assert p.business_hours + p.off_hours + p.sleep_hours == pytest.approx(p.hours)
        assert p.level1_hours + p.later_hours == pytest.approx(p.hours)
        assert 0 <= p.weekend_hours <= p.hours + 1e-9
        assert p.night_hours == p.sleep_hours


@given(st_oc.schedules(max_layers=2))
def test_hours_of_one_schedule_add_up_to_its_covered_time(schedule):
    report = fairness_report(OnCallPlan(schedules=[schedule]), *WINDOW)
    covered = sum(f.coverage for f in report.finals) * (WINDOW[1] - WINDOW[0]).total_seconds()
    assert sum(p.hours for p in report.people) * 3600 == pytest.approx(covered)


#: People who are in no layer and no policy of the drawn plans (the strategies' pool is others).
OUTSIDERS = [User(f"Outsider {i}", f"outsider{i}@example.net") for i in range(3)]


@given(st.data())
def test_hours_add_up_to_the_covered_time_with_overrides_by_outsiders(data):
    schedule = data.draw(st_oc.schedules(max_layers=2))
    roster = [*OUTSIDERS, *(u for layer in schedule.layers for u in layer.users)]
    extra = data.draw(
        st.lists(st_oc.overrides(around=WINDOW[0], roster=roster), min_size=1, max_size=4)
    )
    plan = OnCallPlan(schedules=[schedule])
    report = fairness_report(plan, *WINDOW, overrides={schedule.name: extra})
    covered = sum(f.coverage for f in report.finals) * (WINDOW[1] - WINDOW[0]).total_seconds()
    assert sum(p.hours for p in report.people) * 3600 == pytest.approx(covered)


def test_an_override_by_someone_outside_the_plan_is_counted():
    # Two weeks of a weekly rotation; a contractor in no layer or policy covers one day of it.
    ny = "America/New_York"
    alice, bob = User("Alice", "alice@example.com"), User("Bob", "bob@example.com")
    start = dt.datetime(2025, 1, 6, tzinfo=dt.timezone.utc)
    layer = Layer("Weekly", [alice, bob], start, dt.timedelta(weeks=1))
    plan = OnCallPlan(schedules=[Schedule("Checkout", ny, [layer])])
    contractor = User("Casey Contractor", "casey@contractor.example")
    cover = Override(start + dt.timedelta(days=2), start + dt.timedelta(days=3), contractor)
    report = fairness_report(
        plan, start, start + dt.timedelta(weeks=2), overrides={"Checkout": [cover]}
    )
    assert sum(p.hours for p in report.people) == 336
    casey = report.person("casey@contractor.example")
    assert (casey.hours, casey.rostered, casey.time_zone) == (24, False, ny)
    assert casey.above_average_hours is None  # listed, not scored: the rotation is Alice and Bob


@given(st.data())
def test_holiday_hours_never_exceed_hours_and_pay_is_never_negative(data):
    plan = data.draw(st_oc.plans(max_schedules=1))
    regions = data.draw(st_oc.holiday_regions(plan.users))
    report = fairness_report(plan, *WINDOW, holidays=regions, rates=data.draw(st_oc.pay_rates()))
    for p in report.people:
        assert 0 <= p.holiday_hours <= p.hours + 1e-9
        assert p.pay is not None and p.pay.total >= 0


@given(loads)
def test_indices_stay_in_their_ranges(xs):
    ix = Indices.of(xs)
    assert 0 <= ix.balance <= 1
    assert 0 <= ix.gini < 1
    assert ix.max_over_mean >= 1
    assert ix.one_minus_cv <= 1


@given(loads, st.integers(1, 50))
def test_indices_do_not_depend_on_the_unit(xs, k):
    a, b = Indices.of(xs), Indices.of([k * x for x in xs])
    assert b.balance == pytest.approx(a.balance)
    assert b.gini == pytest.approx(a.gini)
    assert b.one_minus_cv == pytest.approx(a.one_minus_cv)


@settings(max_examples=10, suppress_health_check=[HealthCheck.nested_given])
@given(st_oc.rotating_plans(max_members=4), st.integers(0, 2**32))
def test_audit_is_deterministic_for_a_seed(plan, seed):
    first = audit(plan, ["balanced", "not_starved"], max_examples=5, seed=seed)
    assert audit(plan, ["balanced", "not_starved"], max_examples=5, seed=seed) == first


@settings(max_examples=10, suppress_health_check=[HealthCheck.nested_given])
@given(st_oc.rotating_plans(max_members=5))
def test_a_rotating_team_stays_balanced_whatever_the_window_and_membership(plan):
    report = audit(plan, ["balanced"], max_examples=10, perturbations=["window", "join", "leave"])
    assert report.ok, report.to_text()
