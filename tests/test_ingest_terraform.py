"""Importing Terraform: HCL, JSON, CDKTF JSON and directories into an OnCallPlan."""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import string
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from oncall_planner import InputReadError, Restriction, User, render
from oncall_planner.ingest import import_terraform, load_terraform

DATA = Path(__file__).resolve().parent / "data"
SEED = DATA / "seed-pagerduty.tf"
NY = ZoneInfo("America/New_York")

USERS_TF = """
resource "pagerduty_user" "alice" {
  name      = "Alice"
  email     = "alice@example.com"
  time_zone = "Europe/Berlin"
}
data "pagerduty_user" "bob" {
  email = "bob@example.com"
}
"""

LAYER = """
resource "pagerduty_schedule" "s" {
  name      = "S"
  time_zone = "Etc/UTC"
  layer {
    name                         = "L"
    start                        = "2025-01-06T09:00:00Z"
    rotation_virtual_start       = "2025-01-06T09:00:00Z"
    rotation_turn_length_seconds = %s
    users                        = [pagerduty_user.alice.id]
  }
}
"""


def write(tmp_path: Path, text: str, name: str = "main.tf") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def load_text(tmp_path: Path, text: str, name: str = "main.tf"):
    return import_terraform(write(tmp_path, text, name))


# --- the seed ----------------------------------------------------------------------------------


def test_seed_imports_one_schedule_with_both_layers_in_block_order() -> None:
    plan = load_terraform(SEED)
    (schedule,) = plan.schedules
    assert schedule.name == "Checkout Team On-Call"
    assert schedule.time_zone == "America/New_York"
    assert [layer.name for layer in schedule.layers] == ["Primary", "Secondary"]


def test_seed_timestamps_keep_their_offset_instant() -> None:
    secondary = load_terraform(SEED).schedules[0].layers[1]
    assert secondary.start == dt.datetime(2025, 1, 1, 5, tzinfo=dt.timezone.utc)
    assert secondary.rotation_virtual_start == dt.datetime(2025, 1, 8, tzinfo=NY)
    assert secondary.turn_length == dt.timedelta(weeks=1)


def test_seed_primary_layer_is_never_on_call() -> None:
    schedule = load_terraform(SEED).schedules[0]
    final = render(schedule, dt.datetime(2025, 1, 1, tzinfo=NY), dt.datetime(2026, 1, 1, tzinfo=NY))
    primary_visible, _secondary_visible = final.visible
    assert primary_visible == ()
    assert final.coverage == 1


def test_seed_undeclared_users_get_placeholder_identities() -> None:
    result = import_terraform(SEED)
    assert result.plan.users[0] == User("alice", "alice@unknown.invalid")
    assert [d.subject for d in result.placeholders] == [
        "pagerduty_user.alice",
        "pagerduty_user.bob",
        "pagerduty_user.carol",
        "pagerduty_user.dave",
        "pagerduty_user.engineering_manager",
    ]
    assert result.placeholders[0].location.line == 12
    assert result.warnings == () and result.ignored == ()


def test_seed_policy_targets_the_schedule_then_the_manager() -> None:
    plan = load_terraform(SEED)
    (policy,) = plan.escalation_policies
    assert policy.num_loops == 2
    assert [r.delay_minutes for r in policy.rules] == [10, 15]
    assert policy.rules[0].targets[0].schedule is plan.schedules[0]
    assert policy.rules[1].targets[0].user.name == "engineering_manager"


# --- references, data sources, variables, locals -------------------------------------------


def test_declared_and_looked_up_users(tmp_path: Path) -> None:
    plan = load_text(tmp_path, USERS_TF).plan
    assert plan.users == (
        User("Alice", "alice@example.com", "Europe/Berlin"),
        User("bob@example.com", "bob@example.com"),
    )


def test_variable_defaults_locals_and_templates_are_resolved(tmp_path: Path) -> None:
    text = (
        USERS_TF
        + """
variable "zone" { default = "America/New_York" }
variable "weeks" { default = 2 }
locals {
  team  = [pagerduty_user.alice.id, data.pagerduty_user.bob.id]
  start = "2025-01-06T09:00:00-05:00"
  prefix = "Checkout"
}
resource "pagerduty_schedule" "s" {
  name      = "${local.prefix} ${var.zone}"
  time_zone = var.zone
  layer {
    name                         = "L"
    start                        = local.start
    rotation_virtual_start       = local.start
    rotation_turn_length_seconds = 604800
    users                        = local.team
  }
}
"""
    )
    (schedule,) = load_text(tmp_path, text).plan.schedules
    assert schedule.name == "Checkout America/New_York"
    assert schedule.time_zone == "America/New_York"
    assert [u.email for u in schedule.layers[0].users] == ["alice@example.com", "bob@example.com"]
    assert schedule.layers[0].start == dt.datetime(2025, 1, 6, 9, tzinfo=NY)


def test_given_variables_replace_defaults(tmp_path: Path) -> None:
    text = USERS_TF + 'variable "turn" { default = 3600 }\n' + LAYER % "var.turn"
    path = write(tmp_path, text)
    plan = load_terraform(path, variables={"turn": 7200})
    assert plan.schedules[0].layers[0].turn_length == dt.timedelta(hours=2)


def test_variable_without_default_is_reported_and_its_schedule_left_out(tmp_path: Path) -> None:
    text = USERS_TF + 'variable "turn" {}\n' + LAYER % "var.turn"
    result = load_text(tmp_path, text)
    assert result.plan.schedules == ()
    (warning,) = result.warnings
    assert warning.subject == "pagerduty_schedule.s"
    assert "has no default" in warning.message
    assert warning.location.line == 19


def test_function_calls_are_evaluated_as_terraform_does(tmp_path: Path) -> None:
    result = load_text(tmp_path, USERS_TF + LAYER % 'parseint("3600", 10) * max(1, 2)')
    (schedule,) = result.plan.schedules
    assert schedule.layers[0].turn_length == dt.timedelta(hours=2)
    assert result.warnings == ()


def test_a_value_known_only_when_terraform_runs_is_reported_with_its_line(
    tmp_path: Path,
) -> None:
    text = USERS_TF + (LAYER % "3600").replace('"2025-01-06T09:00:00Z"', "timestamp()", 1)
    result = load_text(tmp_path, text)
    assert result.plan.schedules == ()
    (warning,) = result.warnings
    assert warning.code == "OCP601"
    assert "`timestamp()` is the time when Terraform runs" in warning.message
    assert str(warning).startswith(f"{tmp_path / 'main.tf'}:16: pagerduty_schedule.s:")


def test_policy_targeting_a_skipped_schedule_is_left_out_too(tmp_path: Path) -> None:
    text = (
        USERS_TF
        + LAYER % "max(1, 2)"
        + """
resource "pagerduty_escalation_policy" "p" {
  name = "P"
  rule {
    escalation_delay_in_minutes = 5
    target {
      type = "schedule_reference"
      id   = pagerduty_schedule.s.id
    }
  }
}
"""
    )
    result = load_text(tmp_path, text.replace("max(1, 2)", 'timeadd(timestamp(), "1h")'))
    assert result.plan.escalation_policies == ()
    assert [w.subject for w in result.warnings] == [
        "pagerduty_schedule.s",
        "pagerduty_escalation_policy.p",
    ]


def test_modules_are_reported_and_other_resources_ignored(tmp_path: Path) -> None:
    text = """
module "pd" { source = "./modules/pd" }
resource "pagerduty_service" "api" { name = "API" }
data "pagerduty_vendor" "dd" { name = "Datadog" }
output "x" { value = 1 }
"""
    result = load_text(tmp_path, text)
    assert [w.subject for w in result.warnings] == ["module.pd"]
    assert [i.subject for i in result.ignored] == [
        "pagerduty_service.api",
        "data.pagerduty_vendor.dd",
        "output.x",
    ]


def test_restrictions_round_robin_and_teams(tmp_path: Path) -> None:
    text = (
        USERS_TF
        + """
resource "pagerduty_team" "sre" {
  name        = "SRE"
  description = "Site reliability"
}
resource "pagerduty_team_membership" "alice_sre" {
  team_id = pagerduty_team.sre.id
  user_id = pagerduty_user.alice.id
}
resource "pagerduty_schedule" "s" {
  name      = "S"
  time_zone = "Etc/UTC"
  teams     = [pagerduty_team.sre.id]
  layer {
    start                        = "2025-01-06T09:00:00Z"
    rotation_virtual_start       = "2025-01-06T09:00:00Z"
    rotation_turn_length_seconds = "86400"
    users                        = [pagerduty_user.alice.id]
    restriction {
      type              = "weekly_restriction"
      start_day_of_week = 1
      start_time_of_day = "09:00:00"
      duration_seconds  = 432000
    }
  }
}
resource "pagerduty_escalation_policy" "p" {
  name  = "P"
  teams = [pagerduty_team.sre.id]
  rule {
    escalation_delay_in_minutes = 5
    escalation_rule_assignment_strategy { type = "round_robin" }
    target { id = data.pagerduty_user.bob.id }
  }
}
"""
    )
    plan = load_text(tmp_path, text).plan
    (schedule,) = plan.schedules
    layer = schedule.layers[0]
    assert layer.name == "Layer 1"
    assert layer.restrictions == (Restriction.weekly(1, "09:00", dt.timedelta(days=5)),)
    assert schedule.teams[0].members == (plan.user("alice@example.com"),)
    (policy,) = plan.escalation_policies
    assert policy.team == schedule.teams[0]
    assert policy.rules[0].round_robin is True
    assert policy.rules[0].targets[0].user == plan.user("bob@example.com")


def test_cdktf_json_with_interpolated_references(tmp_path: Path) -> None:
    doc = {
        "//": {"metadata": {"stackName": "oncall"}},
        "provider": {"pagerduty": [{}]},
        "resource": {
            "pagerduty_user": {
                "alice_1A2B": {"name": "Alice", "email": "alice@example.com", "//": {"x": 1}}
            },
            "pagerduty_schedule": {
                "s_3C4D": {
                    "name": "S",
                    "time_zone": "Europe/London",
                    "layer": [
                        {
                            "name": "L",
                            "start": "2025-01-06T09:00:00+00:00",
                            "rotation_virtual_start": "2025-01-06T09:00:00+00:00",
                            "rotation_turn_length_seconds": 86400,
                            "users": ["${pagerduty_user.alice_1A2B.id}"],
                            "restriction": [
                                {
                                    "type": "daily_restriction",
                                    "start_time_of_day": "09:00:00",
                                    "duration_seconds": 28800,
                                }
                            ],
                        }
                    ],
                }
            },
        },
    }
    path = write(tmp_path, json.dumps(doc), "cdk.tf.json")
    plan = load_terraform(path)
    layer = plan.schedules[0].layers[0]
    assert layer.users == (User("Alice", "alice@example.com"),)
    assert layer.restrictions == (Restriction.daily("09:00", dt.timedelta(hours=8)),)
    assert load_terraform(doc) == plan


def test_directory_reads_tf_and_tf_json_together(tmp_path: Path) -> None:
    write(tmp_path, USERS_TF, "users.tf")
    write(
        tmp_path,
        json.dumps({"variable": {"turn": {"default": 3600}}}),
        "vars.tf.json",
    )
    write(tmp_path, LAYER % "var.turn", "schedule.tf")
    write(tmp_path, "not terraform", "README.md")
    result = import_terraform(tmp_path)
    assert [Path(f).name for f in result.files] == ["schedule.tf", "users.tf", "vars.tf.json"]
    assert result.plan.schedules[0].layers[0].turn_length == dt.timedelta(hours=1)


# --- errors: one clear message with file and line ----------------------------------------------


def error_of(tmp_path: Path, text: str, name: str = "main.tf") -> str:
    with pytest.raises(InputReadError) as info:
        import_terraform(write(tmp_path, text, name))
    return str(info.value)


def test_syntax_error_names_file_line_and_column(tmp_path: Path) -> None:
    message = error_of(tmp_path, 'resource "a" "b" {\n  x = \n}\n')
    assert message.startswith(f"{tmp_path / 'main.tf'}:2:")
    assert "HCL syntax error" in message


def test_wrong_type_names_the_attribute_line(tmp_path: Path) -> None:
    message = error_of(tmp_path, USERS_TF + LAYER % '"a week"')
    assert message.startswith(f"{tmp_path / 'main.tf'}:18: pagerduty_schedule.s.layer[0]:")
    assert "rotation_turn_length_seconds must be a whole number, got the string 'a week'" in message


def test_unknown_time_zone_names_the_line(tmp_path: Path) -> None:
    message = error_of(tmp_path, USERS_TF + (LAYER % "3600").replace("Etc/UTC", "UTC"))
    assert message.startswith(f"{tmp_path / 'main.tf'}:13:")
    assert "use 'Etc/UTC'" in message


def test_invalid_timestamp_names_the_line(tmp_path: Path) -> None:
    text = USERS_TF + (LAYER % "3600").replace(
        'start                        = "2025-01-06T09:00:00Z"', 'start = "2025-01-06 09:00"'
    )
    message = error_of(tmp_path, text)
    assert message.startswith(f"{tmp_path / 'main.tf'}:16:")
    assert "RFC 3339" in message


def test_model_limit_is_reported_at_the_attribute(tmp_path: Path) -> None:
    message = error_of(tmp_path, USERS_TF + LAYER % "60")
    assert message.startswith(f"{tmp_path / 'main.tf'}:18:")
    assert "rotation_turn_length_seconds must be between 3,600 and 31,536,000, got 60" in message


def test_missing_file_is_an_import_error(tmp_path: Path) -> None:
    with pytest.raises(InputReadError, match="no such file or directory"):
        load_terraform(tmp_path / "absent.tf")


def test_directory_without_terraform_is_an_import_error(tmp_path: Path) -> None:
    with pytest.raises(InputReadError, match=r"holds no \.tf or \.tf\.json files"):
        load_terraform(tmp_path)


def test_undeclared_variable_is_an_error(tmp_path: Path) -> None:
    message = error_of(tmp_path, USERS_TF + LAYER % "var.nope")
    assert message.startswith(
        f"{tmp_path / 'main.tf'}:18: var.nope: no variable 'nope' is declared"
    )


def test_invalid_json_names_line_and_column(tmp_path: Path) -> None:
    message = error_of(tmp_path, '{\n  "resource": [\n}', "main.tf.json")
    assert message.startswith(f"{tmp_path / 'main.tf.json'}:3:1: invalid JSON")


def test_duplicate_resource_is_an_error(tmp_path: Path) -> None:
    message = error_of(tmp_path, USERS_TF + USERS_TF)
    assert "pagerduty_user.alice is declared twice (first at" in message


# --- robustness: malformed input never escapes as anything but InputReadError --------------------

SEED_TEXT = SEED.read_text(encoding="utf-8")


@given(st.data())
def test_mutated_hcl_raises_only_import_errors(tmp_path_factory, data) -> None:  # type: ignore[no-untyped-def]
    text = SEED_TEXT
    for _ in range(data.draw(st.integers(1, 4))):
        i = data.draw(st.integers(0, len(text)))
        j = data.draw(st.integers(i, min(len(text), i + 12)))
        insert = data.draw(st.text(alphabet=string.printable + '${}[]"', max_size=6))
        text = text[:i] + insert + text[j:]
    path = tmp_path_factory.mktemp("fuzz") / "main.tf"
    path.write_text(text, encoding="utf-8")
    with contextlib.suppress(InputReadError):
        import_terraform(path)


JSON_VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-5, 10**6)
    | st.text(max_size=8)
    | st.sampled_from(["${pagerduty_user.a.id}", "${var.x}", "2025-01-06T09:00:00Z", "Etc/UTC"]),
    lambda inner: (
        st.lists(inner, max_size=3)
        | st.dictionaries(
            st.sampled_from(
                ["name", "time_zone", "layer", "users", "start", "rule", "target", "id"]
            ),
            inner,
            max_size=4,
        )
    ),
    max_leaves=12,
)


@given(
    st.dictionaries(
        st.sampled_from(["resource", "data", "variable", "locals", "module"]),
        st.dictionaries(
            st.sampled_from(
                ["pagerduty_schedule", "pagerduty_user", "pagerduty_escalation_policy", "x"]
            ),
            st.dictionaries(st.sampled_from(["a", "b"]), JSON_VALUES, max_size=2),
            max_size=2,
        )
        | JSON_VALUES,
        max_size=3,
    )
)
def test_random_terraform_json_raises_only_import_errors(doc) -> None:  # type: ignore[no-untyped-def]
    with contextlib.suppress(InputReadError):
        import_terraform(doc)


def test_json_errors_name_the_object_line_and_the_path(tmp_path: Path) -> None:
    doc = {
        "resource": {
            "pagerduty_user": {"a": {"name": "A", "email": "a@example.com"}},
            "pagerduty_schedule": {
                "s": {
                    "name": "S",
                    "time_zone": "Etc/UTC",
                    "layer": [
                        {
                            "start": "2025-01-06T09:00:00Z",
                            "rotation_turn_length_seconds": [1],
                            "users": ["${pagerduty_user.a.id}"],
                        }
                    ],
                }
            },
        }
    }
    text = json.dumps(doc, indent=2)
    line = next(
        i for i, row in enumerate(text.splitlines(), 1) if "rotation_turn_length_seconds" in row
    )
    message = error_of(tmp_path, text, "main.tf.json")
    assert message.startswith(
        f"{tmp_path / 'main.tf.json'}:{line}: pagerduty_schedule.s.layer[0]: "
    )
    assert "must be a whole number, got a list of 1" in message


# --- the expression subset ---------------------------------------------------------------------


def test_escaped_interpolation_and_heredoc_are_literal_text(tmp_path: Path) -> None:
    text = """
resource "pagerduty_team" "t" {
  name        = "costs $${not_a_var} and 100%%{x}"
  description = <<-EOT
    line one
      line two
    EOT
}
"""
    (team,) = load_text(tmp_path, text).plan.teams
    assert team.name == "costs ${not_a_var} and 100%{x}"
    assert team.description == "line one\n  line two\n"


def test_data_schedule_target_is_reported_not_guessed(tmp_path: Path) -> None:
    text = (
        USERS_TF
        + """
data "pagerduty_schedule" "elsewhere" { name = "Elsewhere" }
resource "pagerduty_escalation_policy" "p" {
  name = "P"
  rule {
    escalation_delay_in_minutes = 5
    target {
      type = "schedule_reference"
      id   = data.pagerduty_schedule.elsewhere.id
    }
  }
}
"""
    )
    result = load_text(tmp_path, text)
    (policy,) = result.plan.escalation_policies
    assert policy.rules[0].targets[0].schedule.name == "Elsewhere"
    (note,) = result.placeholders
    assert note.code == "OCP602"
    assert "looks up the schedule 'Elsewhere' defined outside the configuration" in note.message


def test_literal_pagerduty_ids_become_flagged_placeholders(tmp_path: Path) -> None:
    text = USERS_TF + (LAYER % "3600").replace("[pagerduty_user.alice.id]", '["PABC123"]')
    result = load_text(tmp_path, text)
    (schedule,) = result.plan.schedules
    assert schedule.layers[0].users[0].email == "PABC123@unknown.invalid"
    (note,) = result.placeholders
    assert note.code == "OCP602"
    assert "literal PagerDuty ID 'PABC123'" in note.message


@given(st.text(max_size=40))
def test_expression_parser_raises_only_syntax_errors(text: str) -> None:
    from oncall_planner.ingest.terraform.hcl import (
        HclSyntaxError,
        parse_expression,
        parse_template,
    )
    from oncall_planner.ingest.terraform.syntax import Source

    for parse in (parse_expression, parse_template):
        with contextlib.suppress(HclSyntaxError):
            parse(Source("x", text))


def test_real_cdktf_synth_output_imports_like_the_plan_it_came_from() -> None:
    # tests/data/cdk.tf.json is `cdktf synth` of examples/cdktf/main.py (examples/checkout_plan.py)
    import sys

    sys.path.insert(0, str(DATA.parents[1] / "examples"))
    try:
        from checkout_plan import build_checkout_plan
    finally:
        sys.path.pop(0)
    original = build_checkout_plan()
    result = import_terraform(DATA / "cdk.tf.json")
    assert result.warnings == () and result.placeholders == ()
    for imported, schedule in zip(result.plan.schedules, original.schedules, strict=True):
        assert imported.name == schedule.name
        for got, want in zip(imported.layers, schedule.layers, strict=True):
            assert [u.email for u in got.users] == [u.email for u in want.users]
            assert (got.start, got.rotation_virtual_start, got.turn_length, got.restrictions) == (
                want.start,
                want.rotation_virtual_start,
                want.turn_length,
                want.restrictions,
            )
    (policy,) = result.plan.escalation_policies
    assert [r.delay_minutes for r in policy.rules] == [
        r.delay_minutes for r in original.escalation_policies[0].rules
    ]


def test_windows_line_endings_and_a_byte_order_mark_are_read(tmp_path: Path) -> None:
    path = tmp_path / "main.tf"
    path.write_bytes(b"\xef\xbb\xbf" + SEED.read_bytes().replace(b"\n", b"\r\n"))
    assert load_terraform(path) == load_terraform(SEED)


def test_an_object_left_out_because_of_another_says_which_one(tmp_path: Path) -> None:
    # A computed restriction drops the schedule; the policy paging it is dropped too, and its
    # warning points at its own target and names the schedule, not only the far-away cause.
    byot = DATA / "byot" / "payments"
    for source in byot.iterdir():
        (tmp_path / source.name).write_bytes(source.read_bytes())
    schedules = tmp_path / "schedules.tf"
    text = schedules.read_text(encoding="utf-8")
    schedules.write_text(
        text.replace("= local.business_hours.duration", "= uuid()"),
        encoding="utf-8",
    )
    warnings = [str(w) for w in import_terraform(tmp_path).warnings]
    cause = (
        f"{schedules}:30: pagerduty_schedule.payments_primary.layer[1].restriction[0]"
        f".duration_seconds is unknown: {schedules}:30: `uuid()` is random"
    )
    assert warnings == [
        f"{schedules}:30: pagerduty_schedule.payments_primary: not imported: "
        + cause.split(": ", 1)[1],
        f"{tmp_path / 'escalation.tf'}:10: pagerduty_escalation_policy.payments: not imported: "
        f"needs pagerduty_schedule.payments_primary, which is not imported ({cause})",
    ]


def test_a_restriction_of_32101_seconds_is_accepted_as_the_provider_accepts_it(
    tmp_path: Path,
) -> None:
    text = USERS_TF + (LAYER % "86400").replace(
        "users                        = [pagerduty_user.alice.id]",
        'users = [pagerduty_user.alice.id]\n    restriction {\n      type = "daily_restriction"\n'
        '      start_time_of_day = "08:00:00"\n      duration_seconds = 32101\n    }',
    )
    (schedule,) = load_text(tmp_path, text).plan.schedules
    assert schedule.layers[0].restrictions == (
        Restriction.daily("08:00", dt.timedelta(seconds=32101)),
    )


def test_seconds_in_a_layer_start_are_dropped_as_pagerduty_drops_them(tmp_path: Path) -> None:
    text = USERS_TF + (LAYER % "86400").replace(
        'start                        = "2025-01-06T09:00:00Z"',
        'start                        = "2025-01-06T09:00:30Z"',
    )
    result = load_text(tmp_path, text)
    assert result.plan.schedules[0].layers[0].start == dt.datetime(
        2025, 1, 6, 9, tzinfo=dt.timezone.utc
    )
    (note,) = [n for n in result.notes if n.code == "OCP605"]
    assert "'2025-01-06T09:00:30Z' has seconds; PagerDuty drops them" in note.message


def test_a_file_that_does_not_parse_and_mentions_no_pagerduty_is_a_warning(tmp_path: Path) -> None:
    write(tmp_path, USERS_TF + LAYER % "86400")
    (tmp_path / "aws.tf").write_text('resource "aws_s3_bucket" "b" {\n  bucket = = "x"\n}\n')
    result = import_terraform(tmp_path)
    assert len(result.plan.schedules) == 1
    (note,) = result.warnings
    assert note.code == "OCP604" and "declares nothing PagerDuty" in note.message


def test_a_newline_inside_an_interpolation_is_valid_hcl(tmp_path: Path) -> None:
    text = USERS_TF + (LAYER % "86400").replace('name      = "S"', 'name      = "S${\n  ""\n}"')
    (schedule,) = load_text(tmp_path, text).plan.schedules
    assert schedule.name == "S"


def test_a_schedulev2_without_rotations_is_imported_as_an_empty_shift_schedule(
    tmp_path: Path,
) -> None:
    # The provider's schema has no minimum of rotation blocks: an empty schedule is valid.
    text = (
        USERS_TF
        + """
resource "pagerduty_schedulev2" "flex" {
  name      = "Flex"
  time_zone = "Etc/UTC"
}
"""
    )
    result = load_text(tmp_path, text)
    assert result.warnings == ()
    (flex,) = result.plan.shift_schedules
    assert (flex.name, flex.rotations) == ("Flex", ())
    assert all(i.subject != "pagerduty_schedulev2.flex" for i in result.ignored)


JSON_KEYS = st.text(alphabet='ab"\\:{} ,é\n', max_size=4)
JSON_DOCS = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(alphabet='ab"\\:{}[], é\n', max_size=5),
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(JSON_KEYS, children, max_size=3)
    ),
    max_leaves=12,
)


PAIRS_DOCS = st.recursive(
    st.none() | st.integers() | st.text(alphabet='ab"\\:{}[], ', max_size=4),
    lambda children: (
        st.lists(children, max_size=3).map(lambda items: ("list", items))
        | st.lists(st.tuples(JSON_KEYS, children), max_size=3).map(lambda pairs: ("obj", pairs))
    ),
    max_leaves=12,
)


def pairs_text(doc: object) -> str:
    """JSON text of a tree whose objects are lists of pairs (so a key may be written twice)."""
    if isinstance(doc, tuple) and doc[0] == "list":
        return "[" + ", ".join(pairs_text(v) for v in doc[1]) + "]"
    if isinstance(doc, tuple):
        return "{" + ", ".join(f"{json.dumps(k)}: {pairs_text(v)}" for k, v in doc[1]) + "}"
    return json.dumps(doc)


def has_duplicate(doc: object) -> bool:
    if not isinstance(doc, tuple):
        return False
    if doc[0] == "obj":
        keys = [k for k, _ in doc[1]]
        if len(set(keys)) != len(keys):
            return True
        return any(has_duplicate(v) for _, v in doc[1])
    return any(has_duplicate(v) for v in doc[1])


@given(st.lists(st.tuples(JSON_KEYS, PAIRS_DOCS), max_size=4).map(lambda p: ("obj", p)))
def test_a_json_key_written_twice_anywhere_is_refused_and_only_then(doc: object) -> None:
    from oncall_planner.ingest.terraform.jsonsyntax import read_document
    from oncall_planner.ingest.terraform.syntax import Source

    text = pairs_text(doc)
    if has_duplicate(doc):
        with pytest.raises(InputReadError, match="duplicate key"):
            read_document(Source("x", text), keep_depth=3)
    else:
        data, _ = read_document(Source("x", text), keep_depth=3)
        assert data == json.loads(text)


@given(st.dictionaries(JSON_KEYS, JSON_DOCS, max_size=4), st.booleans())
def test_json_key_offsets_point_at_their_keys(doc: dict[str, object], indent: bool) -> None:
    from oncall_planner.ingest.terraform.jsonsyntax import read_document
    from oncall_planner.ingest.terraform.syntax import Source

    text = json.dumps(doc, indent=2 if indent else None)
    data, offsets = read_document(Source("x", text), keep_depth=64)
    assert data == doc
    for path, pos in offsets.items():
        if isinstance(path[-1], str):
            assert text.startswith(json.dumps(path[-1]), pos), (path, pos)


def every_key_written(text: str) -> list[int]:
    """The oracle for key_offsets: every JSON string read from its first quote to its end, each
    one followed by a colon being a key (slow and plain)."""
    found, i, in_string, start = [], 0, False, 0
    while i < len(text):
        c = text[i]
        if in_string:
            if c == "\\":
                i += 2
                continue
            if c == '"':
                in_string = False
                if text[i + 1 :].lstrip(" \t\r\n").startswith(":"):
                    found.append(start)
        elif c == '"':
            in_string, start = True, i
        i += 1
    return found


@given(
    JSON_DOCS,
    st.sampled_from([None, 1, "\t"]),
    st.sampled_from([(", ", ": "), (",", ":"), (" ,", " :\t")]),
    st.booleans(),
)
def test_json_key_offsets_are_every_key_in_document_order(
    doc: object, indent: object, separators: tuple[str, str], ascii_only: bool
) -> None:
    from oncall_planner.ingest.terraform.jsonsyntax import key_offsets

    text = json.dumps(doc, indent=indent, separators=separators, ensure_ascii=ascii_only)  # type: ignore[arg-type]
    assert key_offsets(text) == every_key_written(text)


def resource_doc(body: object) -> object:
    """A .tf.json document (as pairs) with one schedule resource whose body is ``body``."""
    schedule = ("obj", [("s", body)])
    return ("obj", [("resource", ("obj", [("pagerduty_schedule", schedule)]))])


BODIES = st.lists(
    st.tuples(st.sampled_from(["name", "layer", "//", "time_zone", "dynamic", "x"]), PAIRS_DOCS),
    max_size=4,
).map(lambda pairs: ("obj", pairs))


@given(BODIES)
def test_a_tf_json_key_written_twice_anywhere_is_refused_and_only_then(body: object) -> None:
    from oncall_planner.ingest.terraform.jsonsyntax import terraform_blocks
    from oncall_planner.ingest.terraform.syntax import Source

    text = pairs_text(resource_doc(body))
    try:
        terraform_blocks(Source("x.tf.json", text))
    except InputReadError as exc:
        refused = "duplicate key" in str(exc)
    else:
        refused = False
    assert refused == has_duplicate(resource_doc(body))


def walk_blocks(blocks: list[Any]) -> Any:
    for block in blocks:
        yield block
        yield from walk_blocks(block.blocks)


TF_JSON_BODIES = st.dictionaries(
    st.sampled_from(["name", "layer", "//", "time_zone", "users", "x", "dynamic"]),
    st.one_of(
        st.text(alphabet='ab${}."\\ :', max_size=6),
        st.lists(st.dictionaries(st.sampled_from(["start", "restriction", "y"]), JSON_DOCS)),
        st.dictionaries(st.sampled_from(["layer", "start", "content", "for_each"]), JSON_DOCS),
        JSON_DOCS,
    ),
)


@given(st.lists(TF_JSON_BODIES, min_size=1, max_size=3), st.booleans())
def test_tf_json_blocks_and_attributes_are_located_at_their_keys(
    bodies: list[dict[str, Any]], indent: bool
) -> None:
    from oncall_planner.ingest.terraform.jsonsyntax import terraform_blocks
    from oncall_planner.ingest.terraform.syntax import Source

    doc = {
        "//": {"note": ["a", {"b": 1}]},
        "terraform": {"required_providers": {"pagerduty": {"source": "x"}}},
        "resource": {"pagerduty_schedule": {f"s{i}": b for i, b in enumerate(bodies)}},
    }
    text = json.dumps(doc, indent=2 if indent else None)
    try:
        blocks = terraform_blocks(Source("x.tf.json", text))
    except InputReadError:
        return  # a body Terraform would refuse (a nested block that is not an object)
    for block in walk_blocks(blocks):
        shown = [json.dumps(label) for label in (*block.labels[-1:], block.type)]
        assert text[block.pos] == "{" or any(text.startswith(s, block.pos) for s in shown), (
            block.type,
            text[block.pos : block.pos + 20],
        )
        for name, attr in block.attributes.items():
            assert text.startswith(json.dumps(name), attr.pos), name


@given(
    st.text(alphabet="ab\n\r", max_size=3000),
    st.lists(st.integers(min_value=0, max_value=3000), min_size=1, max_size=20),
)
def test_a_source_line_is_one_plus_the_newlines_before_the_offset(
    text: str, offsets: list[int]
) -> None:
    from oncall_planner.ingest.terraform.syntax import Source

    src = Source("x", text)
    for pos in offsets:
        pos = min(pos, len(text))
        assert src.line(pos) == text.count("\n", 0, pos) + 1


@given(
    st.text(alphabet="ab\n", max_size=2000),
    st.lists(st.integers(min_value=-5, max_value=2100), max_size=30),
)
def test_source_lines_of_many_offsets_are_each_offsets_line(text: str, offsets: list[int]) -> None:
    from oncall_planner.ingest.terraform.syntax import Source

    src = Source("x", text)
    assert src.lines(offsets) == [src.line(pos) for pos in offsets]


@pytest.mark.parametrize("name", ["seed-pagerduty.tf", "cdk.tf.json"])
def test_import_locations_are_the_lines_of_their_blocks(name: str) -> None:
    path = Path(__file__).parent / "data" / name
    result = import_terraform(path)
    lines = path.read_text(encoding="utf-8").splitlines()
    checked = 0
    for key, (file, line) in result.locations.items():
        assert file == str(path) and line is not None
        if key[0] == "User" or (key[0] in ("Schedule", "EscalationPolicy") and len(key) == 2):
            label = result.addresses[key].split(".")[-1]
            assert f'"{label}"' in lines[line - 1], (key, line, lines[line - 1])
            checked += 1
        elif name.endswith(".tf"):  # a layer or a rule: its block's first line
            kind = result.addresses[key].split(".")[-1].split("[")[0]
            assert lines[line - 1].strip() == kind + " {", (key, line, lines[line - 1])
            checked += 1
    assert checked >= 4
