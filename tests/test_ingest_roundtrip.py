"""Round trips: a plan emitted as Terraform JSON and imported again is the same plan; the seed's
HCL imported and emitted keeps every layer, restriction, rule and target."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from oncall_planner import (
    EscalationPolicy,
    EscalationRule,
    Layer,
    OnCallPlan,
    Restriction,
    Schedule,
    Target,
    Team,
    User,
)
from oncall_planner.emit import to_terraform_json
from oncall_planner.ingest import import_terraform, load_terraform
from oncall_planner.timeutil import PAGERDUTY_TIME_ZONES

SEED = Path(__file__).resolve().parent / "data" / "seed-pagerduty.tf"
UTC = dt.timezone.utc
ZONES = sorted(PAGERDUTY_TIME_ZONES)

# Names may hold quotes, accents, spaces and template openers ("${", "%{", which the emitter
# escapes): anything Terraform strings carry. (Policy names may not hold / \\ & < >.)
NAME_CHARS = st.characters(
    codec="utf-8", exclude_characters="/\\&<>", exclude_categories=("Cs", "Cc", "Zl", "Zp")
)
names = st.one_of(
    st.text(NAME_CHARS, min_size=1, max_size=12),
    st.sampled_from(["Cost ${var.x}", "%{ if x }", "$${already}", "50% {off}"]),
).filter(lambda s: s.strip() == s and s)
# PagerDuty (and the model) refuse unprintable policy names: no format or unassigned characters.
policy_names = names.filter(str.isprintable)
instants = st.integers(0, 3 * 365 * 24 * 60).map(
    lambda m: dt.datetime(2025, 1, 1, tzinfo=UTC) + dt.timedelta(minutes=m)
)


@st.composite
def users(draw: st.DrawFn) -> list[User]:
    count = draw(st.integers(1, 4))
    locals_ = draw(
        st.lists(
            st.from_regex(r"[a-z][a-z0-9._-]{0,8}", fullmatch=True),
            min_size=count,
            max_size=count,
            unique=True,
        )
    )
    return [
        User(draw(names), f"{local}@example.com", draw(st.none() | st.sampled_from(ZONES)))
        for local in locals_
    ]


@st.composite
def restrictions(draw: st.DrawFn) -> list[Restriction]:
    kind = draw(st.sampled_from(["none", "daily", "weekly"]))
    count = 0 if kind == "none" else draw(st.integers(1, 2))
    out = []
    for _ in range(count):
        start = dt.time(draw(st.integers(0, 23)), draw(st.integers(0, 59)))
        if kind == "daily":
            out.append(Restriction.daily(start, dt.timedelta(minutes=draw(st.integers(1, 1439)))))
        else:
            minutes = draw(st.integers(1, 7 * 1440 - 1))
            out.append(
                Restriction.weekly(draw(st.integers(1, 7)), start, dt.timedelta(minutes=minutes))
            )
    return out


@st.composite
def layers(draw: st.DrawFn, roster: list[User]) -> Layer:
    start = draw(instants)
    end = draw(st.none() | st.integers(1, 10**6).map(lambda m: start + dt.timedelta(minutes=m)))
    return Layer(
        draw(names),
        draw(st.lists(st.sampled_from(roster), min_size=1, max_size=5)),
        start,
        dt.timedelta(minutes=draw(st.integers(60, 365 * 24 * 60))),
        rotation_virtual_start=draw(instants),
        restrictions=draw(restrictions()),
        end=end,
    )


@st.composite
def plans(draw: st.DrawFn) -> OnCallPlan:
    roster = draw(users())
    team_names = draw(st.lists(names, max_size=2, unique=True))
    teams = [
        Team(
            name,
            sorted(draw(st.lists(st.sampled_from(roster), unique=True)), key=lambda u: u.email),
            draw(st.none() | names),
        )
        for name in team_names
    ]
    schedules = [
        Schedule(
            name,
            draw(st.sampled_from(ZONES)),
            [draw(layers(roster)) for _ in range(draw(st.integers(1, 3)))],
            description=draw(st.none() | names),
            teams=draw(st.lists(st.sampled_from(teams), unique=True)) if teams else [],
        )
        for name in draw(st.lists(names, max_size=2, unique=True))
    ]
    targets = [Target.user(u) for u in roster] + [Target.schedule(s) for s in schedules]
    policies = [
        EscalationPolicy(
            name,
            [
                EscalationRule(
                    draw(st.integers(1, 60)),
                    draw(st.lists(st.sampled_from(targets), min_size=1, max_size=3, unique=True)),
                    round_robin=draw(st.booleans()),
                )
                for _ in range(draw(st.integers(1, 3)))
            ],
            draw(st.integers(0, 9)),
            team=draw(st.none() | st.sampled_from(teams)) if teams else None,
            description=draw(st.none() | names),
        )
        for name in draw(st.lists(policy_names, max_size=2, unique=True))
    ]
    return OnCallPlan(schedules, policies, roster, teams)


def canonical(plan: OnCallPlan) -> tuple[object, ...]:
    """The plan's contents regardless of the order of its top-level collections (Terraform
    resources have no order: the emitter sorts them by name)."""
    return (
        sorted(plan.schedules, key=lambda s: s.name),
        sorted(plan.escalation_policies, key=lambda p: p.name),
        sorted(plan.users, key=lambda u: u.email),
        sorted(plan.teams, key=lambda t: t.name),
    )


@given(plans())
def test_emitted_terraform_json_imports_back_to_an_equal_plan(plan: OnCallPlan) -> None:
    doc = json.loads(json.dumps(to_terraform_json(plan, users="resource")))
    result = import_terraform(doc)
    assert result.warnings == () and result.placeholders == ()
    assert canonical(result.plan) == canonical(plan)


@given(plans())
def test_import_then_emit_is_a_fixed_point(plan: OnCallPlan) -> None:
    doc = to_terraform_json(plan, users="resource")
    assert to_terraform_json(load_terraform(doc), users="resource") == doc


def test_data_users_come_back_by_email() -> None:
    plan = load_terraform(SEED)
    again = load_terraform(to_terraform_json(plan))
    assert [u.email for u in again.users] == sorted(u.email for u in plan.users)


def test_seed_hcl_imported_and_emitted_keeps_every_layer_rule_and_target() -> None:
    doc = to_terraform_json(load_terraform(SEED))
    (schedule,) = doc["resource"]["pagerduty_schedule"].values()
    assert [layer["name"] for layer in schedule["layer"]] == ["Primary", "Secondary"]
    assert [layer["rotation_virtual_start"] for layer in schedule["layer"]] == [
        "2025-01-01T05:00:00Z",
        "2025-01-08T05:00:00Z",
    ]
    assert all(layer["rotation_turn_length_seconds"] == 604800 for layer in schedule["layer"])
    assert [len(layer["users"]) for layer in schedule["layer"]] == [4, 4]
    (policy,) = doc["resource"]["pagerduty_escalation_policy"].values()
    assert policy["num_loops"] == 2
    assert [rule["escalation_delay_in_minutes"] for rule in policy["rule"]] == [10, 15]
    assert [rule["target"][0]["type"] for rule in policy["rule"]] == [
        "schedule_reference",
        "user_reference",
    ]
    plan = load_terraform(SEED)
    assert load_terraform(to_terraform_json(plan, users="resource")).schedules == plan.schedules
