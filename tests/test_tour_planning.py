"""The planning part of `make demo`: deterministic, and the change only moves the future."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "examples"))

import tour_planning


def test_demo_output_is_the_same_on_every_run(capsys: pytest.CaptureFixture[str]) -> None:
    tour_planning.run()
    first = capsys.readouterr().out
    tour_planning.run()
    assert capsys.readouterr().out == first


def test_demo_shows_the_membership_change_diff(capsys: pytest.CaptureFixture[str]) -> None:
    tour_planning.run()
    out = capsys.readouterr().out
    assert "Wed 2025-04-02 00:00 EDT → Wed 2025-04-09 00:00 EDT (168 h)  Alice → Erin" in out
    assert "Wed 2025-04-09 00:00 EDT → Wed 2025-04-16 00:00 EDT (168 h)  Bob → Alice" in out
