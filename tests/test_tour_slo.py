"""The SLO part of `make demo`, and the bundled history it replays."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
sys.path.insert(0, str(EXAMPLES))
sys.path.insert(0, str(EXAMPLES / "slo"))

import synthetic_history  # noqa: E402
import tour_slo  # noqa: E402


def test_demo_output_is_the_same_on_every_run(capsys: pytest.CaptureFixture[str]) -> None:
    tour_slo.run()
    first = capsys.readouterr().out
    tour_slo.run()
    assert capsys.readouterr().out == first


def test_demo_pages_the_primary_for_the_incident_and_forecasts_every_person(
    capsys: pytest.CaptureFixture[str],
) -> None:
    tour_slo.run()
    out = capsys.readouterr().out
    assert "Tue 03-11 14:32  Bob  CheckoutAvailabilityHighErrorBudgetBurn" in out
    assert "warning OCP502 night-page: User 'Bob'" in out
    for name in ("Alice", "Bob", "Carol", "Dave"):
        assert f"  {name}: 1.00 pages expected" in out
    assert "seed: warning OCP902 slow-response-for-severity" in out


def test_the_bundled_history_is_what_its_script_writes() -> None:
    lines = ["timestamp,good,total", *(f"{t},{g},{n}" for t, g, n in synthetic_history.rows())]
    assert (EXAMPLES / "slo" / "checkout-history.csv").read_text() == "\n".join(lines) + "\n"
