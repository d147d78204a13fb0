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
    # -q leaves only the warnings: the switch comes two days after --since, in the past
    assert [line.split(":")[0] for line in err.splitlines()] == ["warning", "warning"]


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


def test_something_left_out_beyond_the_horizon_still_exits_1(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    # The odd layer takes over in 2027, after the 30 days compared: the proof is exact, but the
    # Terraform does not carry the whole schedule.
    source = tmp_path / "later.tf"
    later = UNEVEN.replace("2025-01-06T09:00:00Z", "2027-01-06T09:00:00Z")
    source.write_text(later)
    code, out, _err = run(
        capsys,
        "migrate",
        str(source),
        "--since",
        "2026-12-01",
        "--horizon",
        "30",
        "-q",
        "-o",
        str(tmp_path / "out.tf.json"),
    )
    assert "exact: the same people are on call every minute" in out
    assert "left out (uneven-turns)" in out
    assert code == 1


def test_overrides_of_a_pulled_plan_file_are_said_not_to_be_migrated(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    # PagerDuty keeps an override on the schedule it was made on: the new schedule starts
    # without it, and the proof (schedules only) cannot show that.
    import datetime as dt
    import sys

    from oncall_planner import Override
    from oncall_planner.pagerduty_api.planfile import Account, dumps

    sys.path.insert(0, str(DATA.parents[1] / "examples"))
    from seed_plan import build_plan

    plan = build_plan()
    [schedule] = plan.schedules
    utc = dt.timezone.utc
    cover = Override(
        dt.datetime(2025, 3, 10, tzinfo=utc),
        dt.datetime(2025, 3, 11, tzinfo=utc),
        schedule.layers[0].users[0],
    )
    past = Override(
        dt.datetime(2025, 1, 10, tzinfo=utc),
        dt.datetime(2025, 1, 11, tzinfo=utc),
        schedule.layers[0].users[0],
    )
    source = tmp_path / "pulled.json"
    source.write_text(dumps(Account(plan, overrides={schedule.name: (past, cover)})))
    code, _out, err = run(
        capsys,
        "migrate",
        str(source),
        "--since",
        "2025-03-03",
        "--no-readings",
        "-o",
        str(tmp_path / "out.tf.json"),
    )
    assert code == 0
    assert "note: 'Checkout Team On-Call': 1 override from 2025-03-05 on is not migrated" in err


def test_a_switch_after_since_warns_that_the_policies_must_wait_for_it(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    # The seed hands over on Wednesdays: asked on Monday, the new schedule takes over two days
    # later and has nobody on call before, while the output's policy already points at it.
    code, _out, err = run(
        capsys,
        "migrate",
        SEED,
        "--since",
        "2025-03-03",
        "--no-readings",
        "-q",
        "-o",
        str(tmp_path / "out.tf.json"),
    )
    assert code == 0
    assert (
        "warning: 'Checkout Team On-Call': the new schedule has nobody on call before "
        "2025-03-05 00:00 EST" in err
    )


def test_no_switch_warning_when_the_switch_is_since_itself(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code, _out, err = run(
        capsys,
        "migrate",
        SEED,
        "--since",
        "2025-03-05T00:00:00-05:00",
        "--no-readings",
        "-q",
        "-o",
        str(tmp_path / "out.tf.json"),
    )
    assert code == 0
    assert "nobody on call before" not in err


def test_a_switch_in_the_past_warns_that_pagerduty_moves_it_to_now(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    # PagerDuty moves a past effective_since to the moment the event is created: the new
    # schedule cannot start in the past, and the readings counting from effective_since (U4)
    # or cutting at it (U6) are not what the proof compared.
    code, _out, err = run(
        capsys,
        "migrate",
        SEED,
        "--since",
        "2025-03-05T00:00:00-05:00",
        "--no-readings",
        "-q",
        "-o",
        str(tmp_path / "out.tf.json"),
    )
    assert code == 0
    assert (
        "warning: 'Checkout Team On-Call': the new schedule takes over at 2025-03-05 00:00 EST, "
        "in the past" in err
    )
