"""The command line on Terraform input: plan and state JSON, variables, what was not checked."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from oncall_planner.cli import main

DATA = Path(__file__).resolve().parent / "data"
TFJSON = DATA / "tfjson"
WINDOW = ["--since", "2025-03-03", "--days", "14", "-q"]


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def write(folder: Path, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "main.tf").write_text(text, encoding="utf-8")
    return folder


ONLY_A_SERVICE = 'resource "pagerduty_service" "api" {\n  name = "API"\n}\n'
UNKNOWN_START = """
resource "pagerduty_user" "u" {
  name  = "U"
  email = "u@example.com"
}
resource "pagerduty_schedule" "s" {
  name      = "S"
  time_zone = "Etc/UTC"
  layer {
    start                        = timestamp()
    rotation_turn_length_seconds = 86400
    users                        = [pagerduty_user.u.id]
  }
}
"""


def test_check_on_input_with_nothing_to_check_exits_2_with_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = write(tmp_path / "cfg", ONLY_A_SERVICE)
    code, out, err = run(capsys, "check", folder, *WINDOW)
    assert code == 2 and out == ""
    assert err.strip().splitlines() == [
        f"oncall-planner check: error: {folder}: nothing to check: the input yields no "
        "schedule and no escalation policy"
    ]


def test_check_sarif_on_input_with_nothing_to_check_exits_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = write(tmp_path / "cfg", UNKNOWN_START)
    code, out, err = run(capsys, "check", folder, *WINDOW, "--format", "sarif")
    assert code == 2 and out == ""
    assert "(1 left out; -v for details)" in err


def test_what_was_left_out_is_a_sarif_result_pointing_at_its_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    text = (
        UNKNOWN_START
        + """
resource "pagerduty_escalation_policy" "p" {
  name = "P"
  rule {
    escalation_delay_in_minutes = 5
    target {
      id = pagerduty_user.u.id
    }
  }
}
"""
    )
    folder = write(tmp_path / "cfg", text)
    monkeypatch.chdir(tmp_path)  # SARIF names files relative to where it runs (the checkout)
    code, out, _ = run(capsys, "check", folder, *WINDOW, "--format", "sarif")
    assert code == 0  # a warning is no error
    results = json.loads(out)["runs"][0]["results"]
    (left_out,) = [r for r in results if r["ruleId"] == "OCP601"]
    assert left_out["level"] == "warning"
    assert left_out["locations"][0]["physicalLocation"] == {
        "artifactLocation": {"uri": "cfg/main.tf", "uriBaseId": "%SRCROOT%"},
        "region": {"startLine": 10},
    }
    assert "timestamp()" in left_out["message"]["text"]


def test_plan_json_is_an_input_like_any_other(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "check", TFJSON / "plan.json", *WINDOW, "--format", "json")
    assert code in (0, 1)
    from_config = run(capsys, "check", TFJSON / "config", *WINDOW, "--format", "json")[1]
    assert json.loads(out)["findings"] == json.loads(from_config)["findings"]


def test_var_and_var_file_are_read_as_terraform_reads_them(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = (
        UNKNOWN_START.replace("timestamp()", "var.start").replace('"Etc/UTC"', "var.zones[0]")
        + 'variable "start" {\n  type = string\n}\nvariable "zones" {\n  type = list(string)\n}\n'
    )
    folder = write(tmp_path / "cfg", text)
    values = tmp_path / "prod.tfvars"
    values.write_text('zones = ["Europe/Stockholm", "Etc/UTC"]\n', encoding="utf-8")
    code, out, err = run(
        capsys, "render", folder, *WINDOW, "-var", "start=2025-03-03T09:00:00Z",
        "--var-file", values,
    )  # fmt: skip
    assert code == 0, err
    assert "U" in out


def test_a_var_for_an_undeclared_variable_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = write(tmp_path / "cfg", ONLY_A_SERVICE)
    code, _, err = run(capsys, "check", folder, *WINDOW, "--var", "nope=1")
    assert code == 2
    assert "variable 'nope' was given a value but the configuration declares no such" in err


def test_emit_keeps_the_terraform_names_of_an_imported_configuration(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, _ = run(capsys, "emit", DATA / "byot" / "payments", "-q")
    assert code == 0
    doc = json.loads(out)
    assert sorted(doc["resource"]["pagerduty_schedule"]) == [
        "payments_primary",
        "payments_secondary",
    ]
    assert list(doc["resource"]["pagerduty_escalation_policy"]) == ["payments"]
    assert sorted(doc["data"]["pagerduty_user"]) == ["amara", "bjorn", "chen", "dolores", "lead"]


def test_emit_writes_a_placeholder_email_only_with_a_note_that_says_so(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, err = run(capsys, "emit", DATA / "seed-pagerduty.tf", "-q")
    assert code == 0
    alice = json.loads(out)["data"]["pagerduty_user"]["alice"]
    assert alice["email"] == "alice@unknown.invalid"
    assert alice["//"].startswith("placeholder:")
    assert "placeholder: OCP602" in err and "placeholder user 'alice'" in err
