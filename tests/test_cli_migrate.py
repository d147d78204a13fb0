"""``oncall-planner migrate``: the Terraform, the proof and the exit codes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from _pagerduty_schema import check_document

from oncall_planner.cli import main

DATA = Path(__file__).resolve().parent / "data"
SEED = str(DATA / "seed-pagerduty.tf")

# A layer of 36-hour turns: each day's two windows hold one or two turns' people in a row,
# which one shifts_per_member cannot say (the migration leaves it out and says why).
UNEVEN = """
resource "pagerduty_schedule" "odd" {
  name      = "Odd"
  time_zone = "Etc/UTC"
  layer {
    name                         = "36h"
    start                        = "2025-01-06T09:00:00Z"
    rotation_virtual_start       = "2025-01-06T09:00:00Z"
    rotation_turn_length_seconds = 129600
    users                        = [pagerduty_user.ann.id, pagerduty_user.ben.id]
  }
}
resource "pagerduty_user" "ann" {
  name  = "Ann"
  email = "ann@example.com"
}
resource "pagerduty_user" "ben" {
  name  = "Ben"
  email = "ben@example.com"
}
"""


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_the_seed_migrates_to_valid_terraform_with_an_exact_proof(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    target = tmp_path / "schedules.tf.json"
    code, out, _ = run(capsys, "migrate", SEED, "--since", "2025-03-03", "-q", "-o", str(target))
    assert code == 0
    doc = json.loads(target.read_text())
    assert check_document(doc) == []
    assert list(doc["resource"]) == ["pagerduty_escalation_policy", "pagerduty_schedulev2"]
    # The seed's Terraform names stay: the policy is not re-created, the schedule keeps its name.
    assert list(doc["resource"]["pagerduty_escalation_policy"]) == ["checkout"]
    assert list(doc["resource"]["pagerduty_schedulev2"]) == ["checkout_oncall"]
    assert "exact: the same people are on call every minute" in out
    assert "takes over at 2025-03-05 00:00 EST" in out


def test_the_proof_can_be_written_as_json(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    proof = tmp_path / "proof.json"
    code, out, err = run(
        capsys, "migrate", SEED, "--since", "2025-03-03", "--proof", str(proof), "-q"
    )
    assert code == 0
    assert json.loads(out)["resource"]["pagerduty_schedulev2"]  # the Terraform on stdout
    [found] = json.loads(proof.read_text())["proofs"]
    assert found["exact"] and found["minutes"] == 525600
    assert found["readings"]["U2 duration='wallclock'"] == 0
    assert err == ""


def test_a_schedule_that_cannot_be_said_exits_1_with_every_difference_and_why(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    source = tmp_path / "odd.tf"
    source.write_text(UNEVEN)
    code, out, _err = run(
        capsys,
        "migrate",
        str(source),
        "--since",
        "2025-06-02",
        "--horizon",
        "30",
        "-q",
        "-o",
        str(tmp_path / "out.tf.json"),
    )
    assert code == 1
    assert "DIFFERS for 43,200 of 43,200 minutes" in out
    assert "why: uneven-turns:" in out
    assert "left out (uneven-turns)" in out


def test_an_unknown_schedule_name_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "migrate", SEED, "--schedule", "Nope", "-q")
    assert code == 2
    assert err.startswith("oncall-planner migrate: error: --schedule: ")
    assert len(err.splitlines()) == 1


def test_a_horizon_of_no_days_is_refused_before_reading(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, _, err = run(capsys, "migrate", "no-such-file.tf", "--horizon", "0")
    assert code == 2
    assert "--horizon must be a positive number of days" in err
