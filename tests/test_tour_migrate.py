"""The migration part of `make demo`: the seed migrates exactly, and both emitters agree."""

from __future__ import annotations

import contextlib
import io
import sys
from pathlib import Path

import pytest

from oncall_planner import to_terraform_json
from oncall_planner.emit.terraform_json import dumps

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "examples"))

import tour_migrate
from seed_plan import build_migrated_plan

EXAMPLES = Path(tour_migrate.__file__).resolve().parent


@pytest.fixture(scope="module")
def demo_output() -> str:
    assert tour_migrate.CDKTN_CLI.is_file(), "run `make test`: it installs cdktn-cli from npm"
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        tour_migrate.run()
    return out.getvalue()


def test_demo_proves_the_seed_migration_exact(demo_output: str) -> None:
    assert "exact: the same people are on call every minute" in demo_output
    assert "(525,600 minutes)" in demo_output


def test_demo_proves_the_planners_rotations_too(demo_output: str) -> None:
    assert demo_output.count("migrates: exact for 525,600 minutes") == 2


def test_demo_says_cdktn_and_native_agree(demo_output: str) -> None:
    assert "same pagerduty_schedulev2 and policy as native: yes" in demo_output


def test_demo_writes_the_migrated_plan_as_the_native_emitter_does(demo_output: str) -> None:
    written = (EXAMPLES / "out" / "seed-schedulev2.tf.json").read_text(encoding="utf-8")
    assert written == dumps(to_terraform_json(build_migrated_plan()))


def test_demo_lines_fit_in_80_columns(demo_output: str) -> None:
    assert max(len(line) for line in demo_output.splitlines()) <= 80
