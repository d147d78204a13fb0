"""The native Terraform JSON emitter: shape, drift-safe forms, names, determinism, validity."""

from __future__ import annotations

import copy
import datetime as dt
import json
import subprocess
import sys
import warnings
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from _pagerduty_schema import check_document
from hypothesis import given
from hypothesis import strategies as st

from oncall_planner import (
    EscalationPolicy,
    EscalationRule,
    Layer,
    OnCallPlan,
    Override,
    Restriction,
    Schedule,
    Target,
    Team,
    TerraformEmitWarning,
    User,
    ValidationError,
    overrides_api_body,
    to_terraform_json,
    write_terraform_json,
)
from oncall_planner.emit.terraform_json import base_identifier, dumps, unique_identifiers

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "examples"))

from checkout_plan import build_checkout_plan  # noqa: E402
from seed_plan import build_plan  # noqa: E402

UTC = dt.timezone.utc
NY = ZoneInfo("America/New_York")
WEEK = dt.timedelta(weeks=1)
ALICE = User("Alice", "alice@example.com")
BOB = User("Bob", "bob@example.com")
T0 = dt.datetime(2025, 1, 6, 9, tzinfo=NY)


def one_layer_plan(layer: Layer, zone: str = "America/New_York") -> OnCallPlan:
    return OnCallPlan(schedules=[Schedule("Ops", zone, [layer])])


def layer_of(doc: dict, schedule: str = "ops", index: int = 0) -> dict:
    return doc["resource"]["pagerduty_schedule"][schedule]["layer"][index]


# --- shape -----------------------------------------------------------------------------------


def test_seed_schedule_layers_come_out_in_order_with_utc_times_and_user_references():
    doc = to_terraform_json(build_plan())
    schedule = doc["resource"]["pagerduty_schedule"]["checkout_team_on_call"]
    assert schedule["name"] == "Checkout Team On-Call"
    assert schedule["time_zone"] == "America/New_York"
    assert [layer["name"] for layer in schedule["layer"]] == ["Primary", "Secondary"]
    assert schedule["layer"][1] == {
        "name": "Secondary",
        "start": "2025-01-01T05:00:00Z",
        "rotation_virtual_start": "2025-01-08T05:00:00Z",
        "rotation_turn_length_seconds": 604800,
        "users": [
            "${data.pagerduty_user.alice.id}",
            "${data.pagerduty_user.bob.id}",
            "${data.pagerduty_user.carol.id}",
            "${data.pagerduty_user.dave.id}",
        ],
    }


def test_seed_policy_rules_target_the_schedule_then_the_manager():
    doc = to_terraform_json(build_plan())
    policy = doc["resource"]["pagerduty_escalation_policy"]["checkout_escalation"]
    assert policy["num_loops"] == 2
    assert policy["rule"] == [
        {
            "escalation_delay_in_minutes": 10,
            "target": [
                {
                    "type": "schedule_reference",
                    "id": "${pagerduty_schedule.checkout_team_on_call.id}",
                }
            ],
        },
        {
            "escalation_delay_in_minutes": 15,
            "target": [
                {"type": "user_reference", "id": "${data.pagerduty_user.engineering_manager.id}"}
            ],
        },
    ]


def test_checkout_example_pages_primary_then_secondary_then_manager():
    doc = to_terraform_json(build_checkout_plan())
    policy = doc["resource"]["pagerduty_escalation_policy"]["checkout_escalation"]
    targets = [rule["target"][0]["id"] for rule in policy["rule"]]
    assert targets == [
        "${pagerduty_schedule.checkout_primary.id}",
        "${pagerduty_schedule.checkout_secondary.id}",
        "${data.pagerduty_user.engineering_manager.id}",
    ]
    assert policy["teams"] == ["${pagerduty_team.checkout.id}"]


def test_users_are_looked_up_by_email_by_default():
    doc = to_terraform_json(build_plan())
    assert doc["data"]["pagerduty_user"]["alice"] == {"email": "alice@example.com"}
    assert "pagerduty_user" not in doc["resource"]


def test_users_as_resources_carry_name_email_and_time_zone():
    doc = to_terraform_json(build_plan(), users="resource")
    assert "data" not in doc
    assert doc["resource"]["pagerduty_user"]["alice"] == {
        "name": "Alice",
        "email": "alice@example.com",
        "time_zone": "America/New_York",
    }
    layer = doc["resource"]["pagerduty_schedule"]["checkout_team_on_call"]["layer"][0]
    assert layer["users"][0] == "${pagerduty_user.alice.id}"


def test_user_without_time_zone_gets_no_time_zone_field():
    doc = to_terraform_json(OnCallPlan(users=[ALICE]), users="resource")
    assert doc["resource"]["pagerduty_user"]["alice"] == {
        "name": "Alice",
        "email": "alice@example.com",
    }


def test_teams_become_teams_with_one_membership_per_member():
    team = Team("Payments", [ALICE, BOB], description="Pays")
    doc = to_terraform_json(OnCallPlan(teams=[team]))
    assert doc["resource"]["pagerduty_team"] == {
        "payments": {"name": "Payments", "description": "Pays"}
    }
    assert doc["resource"]["pagerduty_team_membership"] == {
        "payments_alice": {
            "team_id": "${pagerduty_team.payments.id}",
            "user_id": "${data.pagerduty_user.alice.id}",
        },
        "payments_bob": {
            "team_id": "${pagerduty_team.payments.id}",
            "user_id": "${data.pagerduty_user.bob.id}",
        },
    }


def test_schedule_teams_and_description_are_emitted_when_set():
    team = Team("Payments")
    schedule = Schedule(
        "Ops", "Etc/UTC", [Layer("L", [ALICE], T0, WEEK)], description="d", teams=[team]
    )
    body = to_terraform_json(OnCallPlan(schedules=[schedule]))["resource"]["pagerduty_schedule"]
    assert body["ops"]["teams"] == ["${pagerduty_team.payments.id}"]
    assert body["ops"]["description"] == "d"
    assert body["ops"]["time_zone"] == "Etc/UTC"


def test_template_openers_in_names_are_escaped_so_terraform_reads_them_literally():
    layer = Layer("Nights %{ if x }", [ALICE], T0, WEEK)
    schedule = Schedule("Ops ${var.x}", "Etc/UTC", [layer], description="100% {sure}")
    doc = to_terraform_json(OnCallPlan(schedules=[schedule]))
    body = doc["resource"]["pagerduty_schedule"]["ops_var_x"]
    assert body["name"] == "Ops $${var.x}"
    assert body["layer"][0]["name"] == "Nights %%{ if x }"
    assert body["description"] == "100% {sure}"  # "% {" opens nothing
    assert body["layer"][0]["users"] == ["${data.pagerduty_user.alice.id}"]  # references stay


def test_round_robin_rule_asks_for_the_round_robin_strategy():
    policy = EscalationPolicy(
        "P", [EscalationRule(5, [Target.user(ALICE), Target.user(BOB)], round_robin=True)]
    )
    rule = to_terraform_json(OnCallPlan(escalation_policies=[policy]))["resource"][
        "pagerduty_escalation_policy"
    ]["p"]["rule"][0]
    assert rule["escalation_rule_assignment_strategy"] == {"type": "round_robin"}


def test_rule_without_round_robin_has_no_strategy_block():
    policy = EscalationPolicy("P", [EscalationRule(5, [Target.user(ALICE)])])
    rule = to_terraform_json(OnCallPlan(escalation_policies=[policy]))["resource"][
        "pagerduty_escalation_policy"
    ]["p"]["rule"][0]
    assert "escalation_rule_assignment_strategy" not in rule


def test_required_providers_block_names_the_pagerduty_provider():
    doc = to_terraform_json(build_plan())
    assert doc["terraform"]["required_providers"]["pagerduty"]["source"] == "PagerDuty/pagerduty"


def test_required_providers_can_be_left_out():
    assert "terraform" not in to_terraform_json(build_plan(), required_providers=False)


# --- drift-safe forms ------------------------------------------------------------------------


def test_emails_are_emitted_in_lower_case():
    user = User("Mixed", "Mixed.Case@Example.COM")
    doc = to_terraform_json(OnCallPlan(users=[user]))
    assert doc["data"]["pagerduty_user"]["mixed"] == {"email": "mixed.case@example.com"}


def test_instants_with_offsets_come_out_as_utc_z_times():
    start = dt.datetime(2025, 7, 1, 9, 30, tzinfo=NY)  # EDT, UTC-4
    layer = Layer("L", [ALICE], start, WEEK, end=start + WEEK)
    body = layer_of(to_terraform_json(one_layer_plan(layer)))
    assert body["start"] == "2025-07-01T13:30:00Z"
    assert body["rotation_virtual_start"] == "2025-07-01T13:30:00Z"
    assert body["end"] == "2025-07-08T13:30:00Z"


def test_daily_restriction_has_no_start_day_of_week():
    layer = Layer(
        "L", [ALICE], T0, WEEK, restrictions=[Restriction.daily("09:00", dt.timedelta(hours=8))]
    )
    assert layer_of(to_terraform_json(one_layer_plan(layer)))["restriction"] == [
        {"type": "daily_restriction", "start_time_of_day": "09:00:00", "duration_seconds": 28800}
    ]


def test_weekly_restriction_carries_its_start_day_of_week():
    restriction = Restriction.weekly(5, "17:30", dt.timedelta(days=2, hours=15))
    layer = Layer("L", [ALICE], T0, WEEK, restrictions=[restriction])
    assert layer_of(to_terraform_json(one_layer_plan(layer)))["restriction"] == [
        {
            "type": "weekly_restriction",
            "start_time_of_day": "17:30:00",
            "start_day_of_week": 5,
            "duration_seconds": 226800,
        }
    ]


def test_layer_that_ended_before_now_is_left_out_with_a_warning():
    old = Layer("Old", [ALICE], T0, WEEK, end=T0 + WEEK)
    new = Layer("New", [BOB], T0 + WEEK, WEEK)
    plan = OnCallPlan(schedules=[Schedule("Ops", "America/New_York", [old, new])])
    with pytest.warns(TerraformEmitWarning, match=r"layer 'Old' ended at 2025-01-13T14:00:00Z"):
        doc = to_terraform_json(plan, now=T0 + 2 * WEEK)
    assert [layer["name"] for layer in doc["resource"]["pagerduty_schedule"]["ops"]["layer"]] == [
        "New"
    ]


def test_layer_ending_after_now_is_kept_with_its_end():
    layer = Layer("L", [ALICE], T0, WEEK, end=T0 + 3 * WEEK)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        body = layer_of(to_terraform_json(one_layer_plan(layer), now=T0 + WEEK))
    assert body["end"] == "2025-01-27T14:00:00Z"


def test_without_now_no_layer_counts_as_ended():
    layer = Layer("L", [ALICE], T0, WEEK, end=T0 + WEEK)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        doc = to_terraform_json(one_layer_plan(layer))
    assert layer_of(doc)["name"] == "L"


def test_schedule_whose_layers_all_ended_is_an_error_naming_it():
    layer = Layer("L", [ALICE], T0, WEEK, end=T0 + WEEK)
    with (
        pytest.warns(TerraformEmitWarning),
        pytest.raises(ValidationError, match=r"Schedule 'Ops': every layer ended before now"),
    ):
        to_terraform_json(one_layer_plan(layer), now=T0 + 2 * WEEK)


def test_naive_now_is_rejected():
    with pytest.raises(ValidationError, match="now must be a timezone-aware datetime"):
        to_terraform_json(build_plan(), now=dt.datetime(2025, 1, 1))


def test_unknown_users_mode_is_rejected():
    with pytest.raises(ValidationError, match=r"users must be 'data' .* or 'resource'"):
        to_terraform_json(build_plan(), users="import")  # type: ignore[arg-type]


def test_something_else_than_a_plan_is_rejected():
    with pytest.raises(ValidationError, match="plan must be an OnCallPlan"):
        to_terraform_json([build_plan()])  # type: ignore[arg-type]


# --- names -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Checkout Team On-Call", "checkout_team_on_call"),
        ("  Zoë -- Ops!! ", "zoe_ops"),
        ("24x7 Primary", "schedule_24x7_primary"),
        ("日本", "schedule"),
    ],
)
def test_names_become_terraform_identifiers(name, expected):
    assert base_identifier(name, "schedule") == expected


def test_colliding_names_keep_the_first_and_suffix_the_rest_by_key():
    names = unique_identifiers([("a@x.io", "Alice"), ("b@x.io", "alice")], "user")
    assert names["a@x.io"] == "alice"
    assert names["b@x.io"].startswith("alice_")
    assert len(names["b@x.io"]) == len("alice_") + 8


def test_collision_suffix_does_not_change_when_another_object_joins():
    before = unique_identifiers([("a", "Ops"), ("b", "ops")], "x")
    after = unique_identifiers([("a", "Ops"), ("c", "OPS"), ("b", "ops")], "x")
    assert after["a"] == before["a"]
    assert after["b"] == before["b"]
    assert len(set(after.values())) == 3


def test_users_with_the_same_name_get_distinct_valid_names():
    twin = User("Alice", "alice.two@example.com")
    doc = to_terraform_json(OnCallPlan(users=[ALICE, twin]))
    names = sorted(doc["data"]["pagerduty_user"])
    assert names[0] == "alice"
    assert names[1].startswith("alice_")
    assert check_document(doc) == []


# --- bytes -----------------------------------------------------------------------------------


def test_writing_twice_gives_identical_bytes(tmp_path):
    now = dt.datetime(2025, 3, 1, tzinfo=UTC)
    first = write_terraform_json(
        build_checkout_plan(), tmp_path / "a.tf.json", now=now
    ).read_bytes()
    second = write_terraform_json(
        build_checkout_plan(), tmp_path / "b.tf.json", now=now
    ).read_bytes()
    assert first == second


def test_written_file_has_sorted_keys_and_a_trailing_newline(tmp_path):
    path = write_terraform_json(build_plan(), tmp_path / "seed.tf.json", now=T0)
    text = path.read_text(encoding="utf-8")
    assert text.endswith("}\n")
    assert text == json.dumps(json.loads(text), indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def test_written_file_is_the_document_of_to_terraform_json(tmp_path):
    path = write_terraform_json(build_plan(), tmp_path / "seed.tf.json", users="resource", now=T0)
    assert path.read_text(encoding="utf-8") == dumps(to_terraform_json(build_plan(), "resource"))


def test_importing_the_library_loads_no_cdktf_jsii_or_constructs():
    code = (
        "import sys, oncall_planner, oncall_planner.emit; "
        "bad = [m for m in sys.modules if m.split('.')[0] in ('cdktf', 'jsii', 'constructs')]; "
        "print(bad)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"


# --- overrides -------------------------------------------------------------------------------


def test_overrides_become_the_create_overrides_api_body():
    schedule = build_plan().schedules[0]
    override = Override(
        dt.datetime(2025, 3, 10, 9, tzinfo=NY), dt.datetime(2025, 3, 11, 9, tzinfo=NY), BOB
    )
    body = overrides_api_body(schedule, [override], user_ids={"BOB@example.com": "PBOB123"})
    assert body == {
        "overrides": [
            {
                "start": "2025-03-10T13:00:00Z",
                "end": "2025-03-11T13:00:00Z",
                "time_zone": "America/New_York",
                "user": {"type": "user_reference", "id": "PBOB123"},
            }
        ]
    }


def test_override_user_without_an_id_gets_a_visible_placeholder():
    schedule = build_plan().schedules[0]
    override = Override(T0, T0 + WEEK, User("Eve", "Eve@Example.com"))
    body = overrides_api_body(schedule, [override])
    assert body["overrides"][0]["user"]["id"] == "<PagerDuty ID of eve@example.com>"


def test_overrides_api_body_rejects_something_else_than_overrides():
    with pytest.raises(ValidationError, match="must be Override objects"):
        overrides_api_body(build_plan().schedules[0], [(T0, T0 + WEEK, BOB)])


def test_overrides_api_body_checks_its_list_and_the_user_ids():
    schedule = build_plan().schedules[0]
    override = Override(T0, T0 + WEEK, BOB)
    with pytest.raises(ValidationError, match=r"overrides for schedule .* must be a list of"):
        overrides_api_body(schedule, override)
    with pytest.raises(ValidationError, match="user_ids must map emails to PagerDuty user IDs"):
        overrides_api_body(schedule, [override], user_ids=["PBOB123"])
    with pytest.raises(ValidationError, match="user_ids must map emails to PagerDuty user IDs"):
        overrides_api_body(schedule, [override], user_ids={"bob@example.com": 5})


# --- the schema checker catches what it should ------------------------------------------------


def _broken(change):
    doc = copy.deepcopy(to_terraform_json(build_checkout_plan()))
    change(doc)
    return check_document(doc)


def test_schema_checker_accepts_the_emitted_checkout_plan():
    assert check_document(to_terraform_json(build_checkout_plan(), users="resource")) == []


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            lambda d: d["resource"]["pagerduty_schedule"]["checkout_primary"].update(
                time_zone="UTC"
            ),
            "time zone",
        ),
        (
            lambda d: d["resource"]["pagerduty_schedule"]["checkout_primary"]["layer"][0].pop(
                "start"
            ),
            "required field 'start'",
        ),
        (
            lambda d: d["resource"]["pagerduty_schedule"]["checkout_primary"]["layer"][0].update(
                start="2025-01-06T14:00:30Z"
            ),
            "whole-minute",
        ),
        (
            lambda d: d["resource"]["pagerduty_schedule"]["checkout_primary"]["layer"][0].update(
                restriction=[
                    {
                        "type": "daily_restriction",
                        "start_time_of_day": "09:00:00",
                        "duration_seconds": 3600,
                        "start_day_of_week": 1,
                    }
                ]
            ),
            "daily restriction must not set",
        ),
        (
            lambda d: d["resource"]["pagerduty_escalation_policy"]["checkout_escalation"]["rule"][
                0
            ].update(target=[{"id": "x"}] * 11),
            "1..10 blocks",
        ),
        (
            lambda d: d["resource"]["pagerduty_escalation_policy"]["checkout_escalation"].update(
                teams=["a", "b"]
            ),
            "0..1 items",
        ),
        (
            lambda d: d["resource"]["pagerduty_escalation_policy"]["checkout_escalation"].update(
                num_loops=10
            ),
            "0..9",
        ),
        (
            lambda d: d["data"]["pagerduty_user"]["alice"].update(email="Alice@example.com"),
            "lower case",
        ),
        (
            lambda d: d["resource"]["pagerduty_team"]["checkout"].update(colour="red"),
            "unknown field 'colour'",
        ),
        (lambda d: d["data"]["pagerduty_user"].pop("bob"), "points to no block"),
    ],
)
def test_schema_checker_catches_a_broken_document(change, message):
    problems = _broken(change)
    assert any(message in p for p in problems), problems


# --- hypothesis: any plan emits valid JSON ---------------------------------------------------

_ZONES = st.sampled_from(["Etc/UTC", "America/New_York", "Europe/Berlin", "Australia/Sydney"])
_NAMES = st.text(alphabet="Aab 1-ëZ_", min_size=1, max_size=8).filter(lambda s: s.strip())


@st.composite
def users(draw):
    n = draw(st.integers(1, 5))
    out = []
    for i in range(n):
        name = draw(_NAMES)
        local = draw(st.sampled_from(["ann", "Bob", "c.d"]))
        out.append(User(name, f"{local}{i}@Example.com", draw(st.none() | _ZONES)))
    return out


@st.composite
def instants(draw):
    minutes = draw(st.integers(0, 60 * 24 * 400))
    return dt.datetime(2025, 1, 1, tzinfo=UTC) + dt.timedelta(minutes=minutes)


@st.composite
def restrictions(draw):
    kind = draw(st.sampled_from(["daily", "weekly"]))
    start = dt.time(draw(st.integers(0, 23)), draw(st.integers(0, 59)))
    if kind == "daily":
        length = dt.timedelta(minutes=draw(st.integers(1, 24 * 60 - 1)))
        return [Restriction.daily(start, length)]
    length = dt.timedelta(minutes=draw(st.integers(1, 7 * 24 * 60 - 1)))
    return [Restriction.weekly(draw(st.integers(1, 7)), start, length)]


@st.composite
def layers(draw, people):
    start = draw(instants())
    end = draw(
        st.none() | st.integers(60, 60 * 24 * 60).map(lambda m: start + dt.timedelta(minutes=m))
    )
    return Layer(
        draw(_NAMES),
        draw(st.lists(st.sampled_from(people), min_size=1, max_size=4)),
        start,
        dt.timedelta(hours=draw(st.integers(1, 24 * 14))),
        rotation_virtual_start=draw(instants()),
        restrictions=draw(st.just([]) | restrictions()),
        end=end,
    )


@st.composite
def plans(draw):
    people = draw(users())
    teams = [
        Team(f"Team {i}", draw(st.lists(st.sampled_from(people), unique=True, max_size=3)))
        for i in range(draw(st.integers(0, 2)))
    ]
    schedules = [
        Schedule(
            f"{draw(_NAMES)} #{i}",
            draw(_ZONES),
            draw(st.lists(layers(people), min_size=1, max_size=3)),
            teams=draw(st.lists(st.sampled_from(teams), unique=True, max_size=2)) if teams else [],
        )
        for i in range(draw(st.integers(1, 3)))
    ]
    targets = [Target.user(u) for u in people] + [Target.schedule(s) for s in schedules]
    policies = [
        EscalationPolicy(
            f"Policy {i}",
            [
                EscalationRule(
                    draw(st.integers(1, 60)),
                    draw(st.lists(st.sampled_from(targets), min_size=1, max_size=10)),
                    round_robin=draw(st.booleans()),
                )
                for _ in range(draw(st.integers(1, 3)))
            ],
            num_loops=draw(st.integers(0, 9)),
            team=draw(st.none() | st.sampled_from(teams)) if teams else None,
        )
        for i in range(draw(st.integers(0, 2)))
    ]
    return OnCallPlan(schedules=schedules, escalation_policies=policies, teams=teams)


@given(plans(), st.sampled_from(["data", "resource"]), st.none() | instants())
def test_any_plan_emits_json_the_provider_accepts(plan, mode, now):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", TerraformEmitWarning)
        try:
            doc = to_terraform_json(plan, users=mode, now=now)
        except ValidationError as error:
            # Only when a whole schedule has ended before now.
            assert now is not None
            assert "every layer ended before now" in str(error)
            return
        again = to_terraform_json(plan, users=mode, now=now)
    assert check_document(doc) == []
    blocks = {**doc.get("resource", {}), **{f"data.{k}": v for k, v in doc.get("data", {}).items()}}
    user_kind = "data.pagerduty_user" if mode == "data" else "pagerduty_user"
    counts = {kind: len(named) for kind, named in blocks.items()}
    assert counts.get(user_kind) == len(plan.users)  # distinct names: nothing overwritten
    assert counts.get("pagerduty_schedule") == len(plan.schedules)
    assert counts.get("pagerduty_escalation_policy", 0) == len(plan.escalation_policies)
    assert counts.get("pagerduty_team_membership", 0) == sum(len(t.members) for t in plan.teams)
    assert dumps(doc) == json.dumps(doc, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
    assert dumps(again) == dumps(doc)


def test_removing_the_first_namesake_gives_the_other_the_plain_name():
    # What docs/terraform.md promises, and the one rename it warns about.
    both = unique_identifiers([("a", "Checkout Primary"), ("b", "Checkout-Primary")], "schedule")
    later = unique_identifiers(
        [("a", "Checkout Primary"), ("b", "Checkout-Primary"), ("c", "Search")], "schedule"
    )
    alone = unique_identifiers([("b", "Checkout-Primary")], "schedule")
    assert later["a"] == both["a"] == "checkout_primary"
    assert later["b"] == both["b"] != "checkout_primary"
    assert alone["b"] == "checkout_primary"


def test_instants_always_have_a_four_digit_year():
    from oncall_planner.emit.terraform_json import rfc3339

    assert rfc3339(dt.datetime(2025, 1, 6, 9, 30, tzinfo=NY)) == "2025-01-06T14:30:00Z"
    assert rfc3339(dt.datetime(999, 12, 31, 23, 59, tzinfo=UTC)) == "0999-12-31T23:59:00Z"
