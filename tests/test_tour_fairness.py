"""The demo's fairness section (examples/tour_fairness.py)."""

from __future__ import annotations

import fairness_helpers  # noqa: F401  (puts examples/ on sys.path)
import tour_fairness


def test_demo_writes_markdown_and_html_and_prints_the_audit(tmp_path, capsys):
    tour_fairness.run(tmp_path)
    printed = capsys.readouterr().out
    assert (tmp_path / "seed-fairness.md").read_text().startswith("# Fairness report")
    assert '<svg class="timeline"' in (tmp_path / "seed-fairness.html").read_text()
    assert "3 whole rotation cycles of 28 days" in printed
    assert "3 of 4 properties held" in printed
    assert "max_streak: VIOLATED" in printed


def test_demo_output_is_the_same_every_run(tmp_path, capsys):
    tour_fairness.run(tmp_path / "a")
    first = capsys.readouterr().out
    tour_fairness.run(tmp_path / "b")
    assert capsys.readouterr().out == first
    assert (tmp_path / "a" / "seed-fairness.html").read_bytes() == (
        tmp_path / "b" / "seed-fairness.html"
    ).read_bytes()
