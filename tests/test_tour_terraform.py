"""The Terraform part of `make demo`: both outputs written, and they agree."""

from __future__ import annotations

import contextlib
import io
import sys
from pathlib import Path

import pytest

from oncall_planner import to_terraform_json
from oncall_planner.emit.terraform_json import dumps

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "examples"))

import tour_terraform
from checkout_plan import build_checkout_plan

EXAMPLES = Path(tour_terraform.__file__).resolve().parent


@pytest.fixture(scope="module")
def demo_output() -> str:
    assert tour_terraform.CDKTF_CLI.is_file(), "run `make test`: it installs cdktf-cli from npm"
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        tour_terraform.run()
    return out.getvalue()


def test_demo_says_cdktf_and_native_have_the_same_resources(demo_output: str) -> None:
    assert "same resources and data sources in both: yes" in demo_output


def test_demo_writes_the_native_json_for_its_fixed_now(demo_output: str) -> None:
    written = (EXAMPLES / "out" / "checkout.tf.json").read_text(encoding="utf-8")
    assert written == dumps(to_terraform_json(build_checkout_plan(), now=tour_terraform.NOW))


def test_demo_leaves_the_cdktf_synth_output_in_the_example(demo_output: str) -> None:
    assert (EXAMPLES / "cdktf" / "cdktf.out" / "stacks" / "checkout" / "cdk.tf.json").is_file()


def test_demo_prints_the_override_as_an_api_body(demo_output: str) -> None:
    assert '"id": "<PagerDuty ID of bob@example.com>"' in demo_output
