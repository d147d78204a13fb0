"""Terraform's own evaluation as input: plan JSON, state JSON and raw state."""

from __future__ import annotations

import copy
import json
import re
from pathlib import Path
from typing import Any

import pytest

from oncall_planner import InputReadError
from oncall_planner.ingest import import_terraform

DATA = Path(__file__).resolve().parent / "data" / "tfjson"


@pytest.mark.parametrize("name", ["state.json", "terraform.tfstate", "plan.json"])
def test_plan_and_state_import_to_the_same_plan_as_the_configuration(name: str) -> None:
    configuration = import_terraform(DATA / "config")
    evaluated = import_terraform(DATA / name)
    assert configuration.warnings == () and evaluated.warnings == ()
    assert evaluated.plan == configuration.plan


def test_the_fixtures_are_what_make_fixtures_writes() -> None:
    import runpy

    module = runpy.run_path(str(DATA / "make_fixtures.py"), run_name="fixtures")
    assert json.loads((DATA / "state.json").read_text()) == module["state_json"]()
    assert json.loads((DATA / "terraform.tfstate").read_text()) == module["raw_state"]()
    assert json.loads((DATA / "plan.json").read_text()) == module["plan_json"]()


def test_the_kind_of_input_is_told_by_its_content(tmp_path: Path) -> None:
    renamed = tmp_path / "whatever.json"
    renamed.write_text((DATA / "terraform.tfstate").read_text())
    assert import_terraform(renamed).kind == "state"
    assert import_terraform(DATA / "plan.json").kind == "plan"
    assert import_terraform(DATA / "config").kind == "configuration"


def test_state_keeps_each_objects_full_address() -> None:
    result = import_terraform(DATA / "state.json")
    assert result.addresses[("Schedule", "Payments Primary")] == (
        'module.rota["payments"].pagerduty_schedule.primary'
    )
    assert result.addresses[("User", "Ada Quist", "ada@example.com")] == (
        'pagerduty_user.people["ada"]'
    )
    file, line = result.locations[("Schedule", "Payments Primary")]
    assert file == str(DATA / "state.json")
    text = (DATA / "state.json").read_text().splitlines()
    assert '"address": "module.rota[\\"payments\\"].pagerduty_schedule.primary"' in text[line]


def _state() -> dict[str, Any]:
    return json.loads((DATA / "state.json").read_text())


def test_an_id_nothing_in_the_state_resolves_becomes_a_flagged_placeholder(
    tmp_path: Path,
) -> None:
    doc = _state()
    schedule = doc["values"]["root_module"]["child_modules"][0]["resources"][0]
    schedule["values"]["layer"][0]["users"].append("PZZZZ99")
    path = tmp_path / "state.json"
    path.write_text(json.dumps(doc))
    result = import_terraform(path)
    layer = result.plan.schedule("Payments Primary").layers[0]
    assert [u.email for u in layer.users][-1] == "PZZZZ99@unknown.invalid"
    (note,) = result.placeholders
    assert note.code == "OCP602" and "'PZZZZ99'" in note.message


def test_raw_state_of_an_old_format_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "terraform.tfstate"
    path.write_text(json.dumps({"version": 3, "terraform_version": "0.11.14", "resources": []}))
    with pytest.raises(InputReadError, match="version 3 is not supported"):
        import_terraform(path)


CREATE_PLAN: dict[str, Any] = {
    "format_version": "1.2",
    "terraform_version": "1.11.4",
    "planned_values": {
        "root_module": {
            "resources": [
                {
                    "address": "pagerduty_user.ann",
                    "mode": "managed",
                    "type": "pagerduty_user",
                    "name": "ann",
                    "values": {"email": "ann@example.com", "name": "Ann", "time_zone": "Etc/UTC"},
                },
                {
                    "address": "pagerduty_schedule.s",
                    "mode": "managed",
                    "type": "pagerduty_schedule",
                    "name": "s",
                    "values": {
                        "name": "S",
                        "time_zone": "Etc/UTC",
                        "layer": [
                            {
                                "start": "2025-01-06T09:00:00Z",
                                "rotation_virtual_start": "2025-01-06T09:00:00Z",
                                "rotation_turn_length_seconds": 86400,
                                "restriction": [],
                            }
                        ],
                    },
                },
            ]
        }
    },
    "resource_changes": [
        {
            "address": "pagerduty_user.ann",
            "change": {"actions": ["create"], "after_unknown": {"id": True}},
        },
        {
            "address": "pagerduty_schedule.s",
            "change": {
                "actions": ["create"],
                "after_unknown": {"id": True, "layer": [{"users": True}]},
            },
        },
    ],
    "configuration": {
        "root_module": {
            "resources": [
                {
                    "address": "pagerduty_schedule.s",
                    "expressions": {
                        "layer": [
                            {
                                "users": {
                                    "references": ["pagerduty_user.ann.id", "pagerduty_user.ann"]
                                }
                            }
                        ]
                    },
                }
            ]
        }
    },
}


def test_a_plan_resolves_new_objects_through_the_configurations_references() -> None:
    result = import_terraform(CREATE_PLAN)
    (schedule,) = result.plan.schedules
    assert [u.email for u in schedule.layers[0].users] == ["ann@example.com"]


def test_a_value_a_plan_does_not_know_is_reported_not_guessed() -> None:
    doc = copy.deepcopy(CREATE_PLAN)
    doc["configuration"]["root_module"]["resources"][0]["expressions"]["layer"][0]["users"] = {
        "references": ["each.value"]
    }
    result = import_terraform(doc)
    assert result.plan.schedules == ()
    (warning,) = result.warnings
    assert warning.code == "OCP601"
    assert "known only after Terraform applies the plan" in warning.message


def _put(doc: Any, path: tuple[Any, ...], value: Any) -> Any:
    doc = copy.deepcopy(doc)
    node = doc
    for key in path[:-1]:
        node = node[key]
    node[path[-1]] = value
    return doc


@pytest.mark.parametrize(
    ("name", "path", "value", "message"),
    [
        (
            "state.json",
            ("values",),
            "x",
            "values must be an object, as Terraform writes it, got a string",
        ),
        (
            "state.json",
            ("values", "root_module", "resources"),
            3,
            "values.root_module.resources must be a list",
        ),
        (
            "state.json",
            ("values", "root_module", "resources", 0, "address"),
            ["a"],
            "values.root_module.resources[0].address must be a string, got a list",
        ),
        (
            "state.json",
            ("values", "root_module", "child_modules"),
            True,
            "child_modules must be a list",
        ),
        (
            "plan.json",
            ("resource_changes", 2, "change"),
            1.5,
            "resource_changes[2].change must be an object",
        ),
        ("plan.json", ("prior_state",), False, "prior_state must be an object"),
        (
            "terraform.tfstate",
            ("resources", 1, "instances"),
            7,
            "resources[1].instances must be a list",
        ),
        (
            "terraform.tfstate",
            ("resources", 2, "instances", 0, "index_key"),
            {"k": 1},
            "resources[2].instances[0].index_key must be a string or a whole number, got an object",
        ),
    ],
)
def test_a_document_not_shaped_as_terraform_writes_it_is_an_error_naming_where(
    tmp_path: Path, name: str, path: tuple[Any, ...], value: Any, message: str
) -> None:
    # found by mutating the fixtures: each raised TypeError or AttributeError with a traceback
    doc = _put(json.loads((DATA / name).read_text(encoding="utf-8")), path, value)
    target = tmp_path / name
    target.write_text(json.dumps(doc), encoding="utf-8")
    with pytest.raises(InputReadError, match=re.escape(message)):
        import_terraform(target)
