"""audit(): hypothesis hunts for perturbations that break fairness properties."""

from __future__ import annotations

import datetime as dt

import pytest
from fairness_helpers import DAY, WEEK, A, B, C, at, one_layer
from seed_plan import build_plan

from oncall_planner import (
    EscalationPolicy,
    EscalationRule,
    Layer,
    OnCallPlan,
    Restriction,
    Schedule,
    Target,
    User,
    ValidationError,
    assert_fair,
    audit,
)

FEW = 25  # cases per property: enough for these small plans


@pytest.fixture(scope="module")
def seed_audit():
    return audit(build_plan(), max_examples=FEW, seed=1)


def test_seed_rotation_stays_balanced_fed_and_split_across_levels(seed_audit):
    held = {r.name for r in seed_audit.results if r.held}
    assert held == {"balanced", "not_starved", "distinct_levels"}


def test_seed_covering_a_week_off_makes_a_double_week_streak(seed_audit):
    result = seed_audit.result("max_streak")
    assert not result.held
    assert "takes the week" in result.counterexample
    assert "336 h straight" in result.violation


def test_the_same_seed_gives_the_same_report(seed_audit):
    assert audit(build_plan(), max_examples=FEW, seed=1) == seed_audit


def test_a_held_property_reports_how_many_cases_were_tried(seed_audit):
    # the plan as written, then up to FEW generated perturbations
    assert seed_audit.result("balanced").tried == FEW + 1


def test_weekday_only_daily_rotation_starves_the_weekend_people():
    week = [User(n, f"{n.lower()}@example.com") for n in ("Mo", "Tu", "We", "Th", "Fr", "Sa", "Su")]
    layer = Layer(
        "Weekdays",
        week,
        at(2025, 1, 6),
        DAY,
        restrictions=[Restriction.weekly(1, "00:00", dt.timedelta(days=5))],
    )
    plan = OnCallPlan(schedules=[Schedule("Ops", "America/New_York", [layer])])
    result = audit(plan, ["not_starved"], max_examples=FEW).result("not_starved")
    assert not result.held
    assert result.tried == 1  # the plan as written already fails
    assert result.violation.startswith("Sa is a member of 'Ops' but never on call")


def test_a_weekend_layer_for_one_person_unbalances_a_daily_rotation():
    weekend = Restriction.weekly(6, "00:00", dt.timedelta(days=2))
    s = Schedule(
        "Ops",
        "America/New_York",
        [
            Layer("Days", [A, B], at(2025, 1, 6), DAY),
            Layer("Weekend", [A], at(2025, 1, 6), DAY, restrictions=[weekend]),
        ],
    )
    result = audit(OnCallPlan(schedules=[s]), ["balanced"], max_examples=FEW).result("balanced")
    assert not result.held
    assert "more than one turn (24 h)" in result.violation


def _two_levels() -> OnCallPlan:
    """Primary A, B, C and secondary B, C, A: one week apart, so never the same person."""
    first = Schedule("Primary", "America/New_York", [Layer("L", [A, B, C], at(2025, 1, 6), WEEK)])
    second = Schedule("Second", "America/New_York", [Layer("L", [B, C, A], at(2025, 1, 6), WEEK)])
    policy = EscalationPolicy(
        "Ops",
        [EscalationRule(5, [Target.schedule(first)]), EscalationRule(5, [Target.schedule(second)])],
    )
    return OnCallPlan(escalation_policies=[policy])


def test_cover_for_a_week_off_can_put_one_person_on_both_levels():
    report = audit(_two_levels(), ["distinct_levels"], FEW, perturbations=["window", "time_off"])
    result = report.result("distinct_levels")
    assert not result.held
    assert "takes the week" in result.counterexample
    assert "at level 1 and level 2 at once" in result.violation


def test_with_two_people_nobody_is_free_to_cover_so_the_other_takes_both_levels():
    first = Schedule("Primary", "America/New_York", [Layer("L", [A, B], at(2025, 1, 6), WEEK)])
    second = Schedule("Second", "America/New_York", [Layer("L", [B, A], at(2025, 1, 6), WEEK)])
    policy = EscalationPolicy(
        "Ops",
        [EscalationRule(5, [Target.schedule(first)]), EscalationRule(5, [Target.schedule(second)])],
    )
    plan = OnCallPlan(escalation_policies=[policy])
    result = audit(plan, ["distinct_levels"], FEW, perturbations=["time_off"]).result(
        "distinct_levels"
    )
    assert not result.held
    assert "(nobody else was free that week)" in result.counterexample


def test_a_week_off_is_covered_by_someone_free_when_the_team_has_one():
    d = User("Dan", "dan@example.com")
    first = Schedule(
        "Primary", "America/New_York", [Layer("L", [A, B, C, d], at(2025, 1, 6), WEEK)]
    )
    second = Schedule(
        "Second", "America/New_York", [Layer("L", [C, d, A, B], at(2025, 1, 6), WEEK)]
    )
    policy = EscalationPolicy(
        "Ops",
        [EscalationRule(5, [Target.schedule(first)]), EscalationRule(5, [Target.schedule(second)])],
    )
    plan = OnCallPlan(escalation_policies=[policy])
    report = audit(plan, ["distinct_levels"], FEW, perturbations=["time_off"])
    assert report.result("distinct_levels").held


def test_a_membership_change_breaks_the_one_week_offset_between_levels():
    # Removing Ann leaves [B, C] twice; appending a newcomer to both lists lines them up too.
    result = audit(_two_levels(), ["distinct_levels"], FEW, perturbations=["leave"])
    assert result.result("distinct_levels").counterexample.startswith("Ann leaves every layer")
    result = audit(_two_levels(), ["distinct_levels"], FEW, perturbations=["join"])
    assert "reaches Newcomer at level 1 and level 2" in result.result("distinct_levels").violation


def test_a_tighter_streak_limit_breaks_a_weekly_rotation():
    plan = OnCallPlan(schedules=[one_layer([A, B])])
    report = audit(plan, ["max_streak"], max_examples=FEW, max_streak=dt.timedelta(hours=72))
    assert "more than the limit of 72 h" in report.result("max_streak").violation


def test_perturbations_can_be_narrowed():
    plan = OnCallPlan(schedules=[one_layer([A, B])])
    report = audit(plan, ["max_streak"], max_examples=FEW, perturbations=["window", "join"])
    assert report.ok


def test_assert_fair_passes_quietly_on_a_fair_plan():
    plan = OnCallPlan(schedules=[one_layer([A, B, C])])
    assert assert_fair(plan, ["balanced", "not_starved"], max_examples=FEW).ok


def test_assert_fair_fails_with_the_plain_words_report():
    with pytest.raises(AssertionError, match="max_streak: VIOLATED"):
        assert_fair(build_plan(), ["max_streak"], max_examples=FEW)


def test_an_unknown_property_is_refused():
    with pytest.raises(ValidationError, match="unknown property 'kind'"):
        audit(build_plan(), ["kind"])


def test_text_report_counts_the_properties_that_held(seed_audit):
    assert seed_audit.to_text().startswith(
        "Fairness audit (seed 1, up to 25 cases per property): 3 of 4 properties held"
    )


def test_one_property_or_perturbation_may_be_named_by_a_plain_string():
    plan = OnCallPlan(schedules=[one_layer([A, B, C])])
    report = audit(plan, "balanced", max_examples=3, perturbations="window")
    assert [r.name for r in report.results] == ["balanced"]
    assert report.results[0].searched == ("window",)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"since": dt.datetime(2025, 1, 6)}, "audit: since must be timezone-aware"),
        ({"since": "2025-01-06"}, "audit: since must be a timezone-aware datetime, got str"),
        ({"max_streak": 72}, "audit: max_streak must be a positive timedelta, got int 72"),
        ({"max_streak": dt.timedelta(0)}, "audit: max_streak must be a positive timedelta"),
    ],
)
def test_bad_audit_arguments_are_named_not_a_traceback(kwargs, message):
    with pytest.raises(ValidationError, match=message):
        audit(OnCallPlan(schedules=[one_layer([A, B])]), max_examples=1, **kwargs)


def test_a_violation_found_at_once_says_one_case():
    plan = OnCallPlan(schedules=[one_layer([A, B])])
    text = audit(plan, ["max_streak"], 3, max_streak=dt.timedelta(hours=72)).to_text()
    assert "1 of 1 property held" not in text
    assert "0 of 1 property held" in text
    assert "VIOLATED after 1 case (" in text


def test_held_counts_the_plan_apart_from_the_cases_of_the_header(seed_audit):
    # "up to 25 cases per property" and then "held over 26 cases" contradicted each other
    line = next(x for x in seed_audit.to_text().splitlines() if "balanced:" in x)
    assert f"held on the plan as written and {FEW} more cases" in line


def test_a_week_off_renders_again_only_the_schedules_that_got_overrides(monkeypatch):
    import importlib

    from oncall_planner.render import render

    audit_module = importlib.import_module("oncall_planner.fairness.audit")

    d = User("Dee", "dee@example.com")
    plan = OnCallPlan(schedules=[one_layer([A, B], name="Ops"), one_layer([C, d], name="Web")])
    base = int(at(2025, 1, 6).timestamp())
    scenario = audit_module.apply(
        plan, base, audit_module.Perturbation(time_off=(0, 0, 1)), "America/New_York"
    )
    assert list(scenario.overrides) == ["Ops"]  # Ann's week off touches only her schedule
    rendered = []

    def counting(schedule, *args, **kwargs):
        rendered.append(schedule.name)
        return render(schedule, *args, **kwargs)

    monkeypatch.setattr(audit_module, "render", counting)
    finals = audit_module._finals(scenario)
    assert rendered == ["Ops"]
    since = dt.datetime.fromtimestamp(scenario.since, dt.timezone.utc)
    until = dt.datetime.fromtimestamp(scenario.until, dt.timezone.utc)
    for schedule, final in zip(plan.schedules, finals, strict=True):
        expected = render(schedule, since, until, scenario.overrides.get(schedule.name, ()))
        assert final.entries == expected.entries


def test_a_leaver_rebuilds_only_the_schedules_they_were_on():
    """Perturbed plans keep the objects a perturbation does not change, so renders of them are
    shared across the audit's scenarios (and nothing unchanged is validated again)."""
    import importlib

    audit_module = importlib.import_module("oncall_planner.fairness.audit")
    d = User("Dee", "dee@example.com")
    ops, web = one_layer([A, B], name="Ops"), one_layer([C, d], name="Web")
    policy = EscalationPolicy("Web", [EscalationRule(5, [Target.schedule(web)])])
    plan = OnCallPlan(schedules=[ops, web], escalation_policies=[policy])
    base = int(at(2025, 1, 6).timestamp())
    roster = [A, B, C, d]
    leave = audit_module.Perturbation(leave=roster.index(A))
    scenario = audit_module.apply(plan, base, leave, "America/New_York")
    new_ops, new_web = scenario.plan.schedules
    assert new_web is web and scenario.plan.escalation_policies[0] is policy
    assert new_ops is not ops and new_ops.layers[0].users == (B,)
