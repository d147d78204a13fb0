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


def test_demo_words_findings_as_the_command_line_does(capsys: pytest.CaptureFixture[str]) -> None:
    # `oncall-planner check` says "when: A -> B"; the demo said "proof: A → B".
    tour_checks.run()
    out = capsys.readouterr().out
    assert "proof:" not in out and "→" not in out
    assert "      when: Mon 2025-03-03 00:00 EST -> Mon 2025-04-28 00:00 EDT" in out


def test_demo_render_uses_the_command_lines_arrow(capsys: pytest.CaptureFixture[str]) -> None:
    import seed_team

    seed_team.show_render()
    out = capsys.readouterr().out
    assert "→" not in out and "  Mon 2025-03-03 00:00 EST  ->  Wed 2025-03-05 00:00 EST" in out
