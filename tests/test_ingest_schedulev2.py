"""Importing ``pagerduty_schedulev2``: HCL, ``.tf.json`` (the native emitter's and CDK Terrain's),
plan and state JSON, and what the provider or the API refuses. The provider's own examples and
acceptance-test configurations are in the corpus (tests/data/corpus, SOURCES.md)."""

from __future__ import annotations

import copy
import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from oncall_planner import (
    EMPTY_MEMBER,
    EscalationPolicy,
    EscalationRule,
    EveryMember,
    InputReadError,
    OnCallPlan,
    Rotation,
    ShiftEvent,
    ShiftSchedule,
    Target,
    User,
    import_terraform,
    to_terraform_json,
)
from oncall_planner.emit.terraform_json import dumps
from oncall_planner.strategies import shift_schedules

UTC = dt.timezone.utc

CORPUS = Path(__file__).resolve().parent / "data" / "corpus"
STATE = CORPUS / "state-schedulev2-v3-reference" / "state.json"

USERS = """
resource "pagerduty_user" "ann" {
  name  = "Ann"
  email = "ann@example.com"
}
"""


def schedule_tf(strategy: str, extra: str = "") -> str:
    return (
        USERS
        + """
resource "pagerduty_schedulev2" "s" {
  name      = "S"
  time_zone = "Europe/London"
  rotation {
    event {
      name            = "E"
      start_time      = "2026-06-01T08:00:00Z"
      end_time        = "2026-06-01T16:00:00Z"
      effective_since = "2026-06-01T08:00:00Z"
      recurrence      = ["RRULE:FREQ=DAILY"]
"""
        + strategy
        + """
    }
  }
}
"""
        + extra
    )


def load(tmp_path: Path, text: str, name: str = "main.tf") -> Any:
    path = tmp_path / name
    path.write_text(text)
    return import_terraform(path)


def _utc(when: Any) -> Any:
    # Instants compared in UTC: by PEP 495 an aware datetime at an ambiguous local time (01:00
    # on the night London's clocks go back) never equals one in another zone, even the same
    # instant, and the importer gives times in the schedule's zone.
    return when.astimezone(UTC) if when is not None else None


def facts(schedule: ShiftSchedule) -> list[Any]:
    """What survives Terraform: everything but rotation names (the API has none)."""
    return [
        schedule.name,
        schedule.time_zone,
        [
            [
                (
                    e.name,
                    _utc(e.start_time),
                    _utc(e.end_time),
                    e.recurrence,
                    e.assignment,
                    _utc(e.effective_since),
                    _utc(e.effective_until),
                )
                for e in r.events
            ]
            for r in schedule.rotations
        ],
    ]


@given(shift_schedules(custom=False), st.sampled_from(["hcl-json", "plan"]))
def test_what_the_native_emitter_writes_imports_back_to_the_same_schedule(
    schedule: ShiftSchedule, _: str
) -> None:
    import tempfile

    plan = OnCallPlan(
        shift_schedules=[schedule],
        escalation_policies=[
            EscalationPolicy("P", [EscalationRule(5, [Target.schedule(schedule)])])
        ],
    )
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "main.tf.json"
        path.write_text(dumps(to_terraform_json(plan, users="resource")))
        result = import_terraform(path)
    assert result.warnings == ()
    (back,) = result.plan.shift_schedules
    assert facts(back) == facts(schedule)
    assert result.plan.escalation_policies[0].rules[0].targets[0].schedule == back


def test_an_event_ending_in_the_repeated_hour_imports_back_to_the_same_instant() -> None:
    # Found by the property above: an event ending at 00:00 UTC on 2023-10-29, which is 01:00
    # BST, an hour London's clock shows twice that night.
    alice = User("Alice", "alice@example.com")
    event = ShiftEvent(
        name="Late",
        start_time=dt.datetime(2023, 10, 28, 4, tzinfo=UTC),
        end_time=dt.datetime(2023, 10, 29, tzinfo=UTC),
        recurrence=("RRULE:FREQ=DAILY",),
        assignment=EveryMember(members=(alice,)),
        effective_since=dt.datetime(2023, 10, 31, tzinfo=UTC),
    )
    schedule = ShiftSchedule("Checkout", "Europe/London", rotations=(Rotation(events=(event,)),))
    test_what_the_native_emitter_writes_imports_back_to_the_same_schedule.hypothesis.inner_test(  # type: ignore[attr-defined]
        schedule, "hcl-json"
    )


def test_a_cdk_terrain_synth_imports_with_its_two_rotations() -> None:
    result = import_terraform(CORPUS / "cdk-schedulev2" / "cdk.tf.json")
    (schedule,) = result.plan.shift_schedules
    assert [r.events[0].name for r in schedule.rotations] == [
        "Secondary (Wed 00:00 for 7 days)",
        "Secondary (Wed 00:00 for 7 days, daylight-saving bridge)",
    ]


def test_state_with_a_schedule_v3_reference_target_resolves_to_the_schedule() -> None:
    result = import_terraform(STATE)
    (schedule,) = result.plan.shift_schedules
    (policy,) = result.plan.escalation_policies
    assert policy.rules[0].targets[0].schedule is schedule
    assert result.placeholders == ()
    assert result.addresses[("ShiftSchedule", "Night Watch")] == "pagerduty_schedulev2.night"


def test_a_plan_that_creates_the_schedule_resolves_the_target_through_the_configuration(
    tmp_path: Path,
) -> None:
    state = json.loads(STATE.read_text())
    planned = copy.deepcopy(state["values"])
    resources = planned["root_module"]["resources"]
    policy = next(r for r in resources if r["type"] == "pagerduty_escalation_policy")
    schedule = next(r for r in resources if r["type"] == "pagerduty_schedulev2")
    del schedule["values"]["id"], policy["values"]["id"]
    policy["values"]["rule"][0]["target"][0]["id"] = None
    changes = []
    for r in resources:
        unknown: dict[str, Any] = {}
        if r is schedule:
            unknown = {"id": True}
        if r is policy:
            unknown = {"id": True, "rule": [{"target": [{"id": True}]}]}
        changes.append(
            {
                **{k: r[k] for k in ("address", "mode", "type", "name")},
                "change": {
                    "actions": ["create"],
                    "before": None,
                    "after": r["values"],
                    "after_unknown": unknown,
                },
            }
        )
    target_ref = {"references": ["pagerduty_schedulev2.night.id", "pagerduty_schedulev2.night"]}
    doc = {
        "format_version": "1.2",
        "terraform_version": "1.11.4",
        "planned_values": planned,
        "resource_changes": changes,
        "prior_state": {"format_version": "1.0", "values": {"root_module": {"resources": []}}},
        "configuration": {
            "root_module": {
                "resources": [
                    {
                        "address": "pagerduty_escalation_policy.night",
                        "mode": "managed",
                        "type": "pagerduty_escalation_policy",
                        "name": "night",
                        "expressions": {"rule": [{"target": [{"id": target_ref}]}]},
                    }
                ]
            }
        },
    }
    path = tmp_path / "plan.json"
    path.write_text(json.dumps(doc))
    result = import_terraform(path)
    assert result.kind == "plan"
    (imported,) = result.plan.shift_schedules
    assert result.plan.escalation_policies[0].rules[0].targets[0].schedule is imported


def test_a_schedule_v3_reference_in_configuration_is_read_as_schedule_reference(
    tmp_path: Path,
) -> None:
    strategy = """
      assignment_strategy {
        type = "rotating_member_assignment_strategy"
        member {
          type    = "user_member"
          user_id = pagerduty_user.ann.id
        }
      }"""
    policy = """
resource "pagerduty_escalation_policy" "p" {
  name = "P"
  rule {
    escalation_delay_in_minutes = 5
    target {
      type = "schedule_v3_reference"
      id   = pagerduty_schedulev2.s.id
    }
  }
}
"""
    result = load(tmp_path, schedule_tf(strategy, policy))
    (schedule,) = result.plan.shift_schedules
    assert result.plan.escalation_policies[0].rules[0].targets[0].schedule is schedule
    assert schedule.rotations[0].events[0].assignment.shifts_per_member == 1


def test_an_empty_member_has_no_user(tmp_path: Path) -> None:
    strategy = """
      assignment_strategy {
        type              = "rotating_member_assignment_strategy"
        shifts_per_member = 2
        member {
          type = "empty_member"
        }
        member {
          type    = "user_member"
          user_id = pagerduty_user.ann.id
        }
      }"""
    (schedule,) = load(tmp_path, schedule_tf(strategy)).plan.shift_schedules
    assert schedule.rotations[0].events[0].members[0] is EMPTY_MEMBER


def test_a_user_member_without_a_user_is_refused_naming_the_line(tmp_path: Path) -> None:
    strategy = """
      assignment_strategy {
        type = "rotating_member_assignment_strategy"
        member {
          type = "user_member"
        }
      }"""
    with pytest.raises(InputReadError, match=r"main\.tf:\d+: .*a user_member needs a user_id"):
        load(tmp_path, schedule_tf(strategy))


def test_two_assignment_strategies_are_refused(tmp_path: Path) -> None:
    one = """
      assignment_strategy {
        type = "every_member_assignment_strategy"
        member {
          type    = "user_member"
          user_id = pagerduty_user.ann.id
        }
      }"""
    with pytest.raises(InputReadError, match="exactly one assignment_strategy block"):
        load(tmp_path, schedule_tf(one + one))


def test_shifts_per_member_of_every_member_is_left_out_with_a_note(tmp_path: Path) -> None:
    strategy = """
      assignment_strategy {
        type              = "every_member_assignment_strategy"
        shifts_per_member = 3
        member {
          type    = "user_member"
          user_id = pagerduty_user.ann.id
        }
      }"""
    result = load(tmp_path, schedule_tf(strategy))
    (note,) = result.warnings
    assert note.code == "OCP601" and "shifts_per_member is not imported" in note.message
    assert len(result.plan.shift_schedules) == 1


def test_a_data_source_target_becomes_a_placeholder_schedule(tmp_path: Path) -> None:
    text = """
data "pagerduty_schedulev2" "other" {
  name = "Elsewhere"
}
resource "pagerduty_escalation_policy" "p" {
  name = "P"
  rule {
    escalation_delay_in_minutes = 5
    target {
      type = "schedule_reference"
      id   = data.pagerduty_schedulev2.other.id
    }
  }
}
"""
    result = load(tmp_path, text)
    target = result.plan.escalation_policies[0].rules[0].targets[0].schedule
    assert target.name == "Elsewhere"
    assert [p.code for p in result.placeholders] == ["OCP602"]


def test_migrate_reads_an_imported_plan_of_both_kinds(tmp_path: Path, capsys: Any) -> None:
    from oncall_planner.cli import main

    both = tmp_path / "both"
    both.mkdir()
    (both / "seed.tf").write_text(
        (Path(__file__).resolve().parent / "data" / "seed-pagerduty.tf").read_text()
    )
    (both / "v2.tf").write_text((CORPUS / "acc-schedulev2-every-member" / "main.tf").read_text())
    out = tmp_path / "out.tf.json"
    code = main(["migrate", str(both), "--since", "2025-03-03", "-q", "-o", str(out)])
    assert code == 0
    doc = json.loads(out.read_text())
    # Both keep their Terraform names: the migrated one under its new type, and the policy
    # (a rename would make Terraform destroy and create it).
    assert sorted(doc["resource"]["pagerduty_schedulev2"]) == ["all", "checkout_oncall"]
    assert list(doc["resource"]["pagerduty_escalation_policy"]) == ["checkout"]
    capsys.readouterr()
