"""The first and last parts of `make demo`: the render and the command line on the seed's file."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "examples"))

import seed_team
import tour_cli

REPO = Path(__file__).resolve().parents[1]


def _run(capsys: pytest.CaptureFixture[str]) -> str:
    seed_team.show_render()
    tour_cli.run()
    captured = capsys.readouterr()
    assert captured.err == ""
    return captured.out


def test_same_output_on_every_run_and_no_paths_of_the_machine(
    capsys: pytest.CaptureFixture[str],
) -> None:
    first = _run(capsys)
    assert _run(capsys) == first
    assert str(REPO) not in first and "/tmp" not in first


def test_each_command_line_stands_apart_from_the_output_before_it(
    capsys: pytest.CaptureFixture[str],
) -> None:
    lines = _run(capsys).splitlines()
    prompts = [i for i, line in enumerate(lines) if line.startswith("$ oncall-planner")]
    assert len(prompts) == 2
    assert all(lines[i - 1] == "" for i in prompts)
    assert lines[-2].startswith("(exit code 1: the Primary layer is never on call")
