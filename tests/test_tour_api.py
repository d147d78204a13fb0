"""The API part of `make demo`: pull and verify against the stand-in serving the seed account."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "examples"))

import tour_api

REPO = Path(__file__).resolve().parents[1]


def _run(capsys: pytest.CaptureFixture[str]) -> str:
    tour_api.run()
    captured = capsys.readouterr()
    assert captured.err == ""
    return captured.out


def test_same_output_on_every_run_without_the_port_the_paths_or_the_token(
    capsys: pytest.CaptureFixture[str],
) -> None:
    first = _run(capsys)
    assert _run(capsys) == first
    assert "http://127.0.0.1" not in first and str(REPO) not in first
    assert tour_api.TOKEN not in first


def test_the_tour_pulls_the_seed_account_and_verify_agrees_on_the_layer_based_schedule(
    capsys: pytest.CaptureFixture[str],
) -> None:
    out = _run(capsys)
    assert (
        "pulled 2 schedules (1 shift-based), 2 escalation policies, 5 users, 0 teams, "
        "1 override, 2 pages" in out
    )
    assert (
        "Schedule 'Checkout Team On-Call' (PB93243), Mon 2025-03-03 00:00 → Mon 2025-03-31 01:00 "
        "America/New_York: agrees with PagerDuty at every minute (40320 minutes)" in out
    )
    assert tour_api.TOKEN not in (tour_api.OUT / "plan.json").read_text(encoding="utf-8")


def test_the_tour_settles_an_open_question_of_the_shift_based_schedule(
    capsys: pytest.CaptureFixture[str],
) -> None:
    out = _run(capsys)
    assert "'Checkout Weekend Cover' (P6E1EC4)" in out
    assert "2 disagreements with PagerDuty, 120 of 40320 minutes" in out
    assert (
        "Mon 2025-03-17 07:00 → Mon 2025-03-17 08:00 (60 min): ours nobody, PagerDuty Carol" in out
    )
    assert "  settled: with ShiftRenderOptions(duration='wallclock') our render agrees" in out
    assert out.rstrip().endswith(
        "(exit code 0: with that option our render agrees at every minute)"
    )
