"""The checks part of `make demo`: deterministic, and it leads with the shadowed Primary layer."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "examples"))

import tour_checks


def test_demo_output_is_the_same_on_every_run(capsys: pytest.CaptureFixture[str]) -> None:
    tour_checks.run()
    first = capsys.readouterr().out
    tour_checks.run()
    assert capsys.readouterr().out == first


def test_demo_starts_with_the_shadowed_primary_layer(capsys: pytest.CaptureFixture[str]) -> None:
    tour_checks.run()
    findings = [line for line in capsys.readouterr().out.splitlines() if " OCP" in line]
    assert findings[0].startswith(
        "  error OCP103 shadowed-layer: Schedule 'Checkout Team On-Call', layer 'Primary'"
    )


def test_demo_shows_the_page_rules(capsys: pytest.CaptureFixture[str]) -> None:
    tour_checks.run()
    out = capsys.readouterr().out
    assert "warning OCP501 busy-shift: User 'Alice'" in out
    assert "warning OCP502 night-page: User 'Alice'" in out
    assert "Time to acknowledge: mean 4.8 min, median 4.0 min" in out
