"""The demo's health section (examples/tour_health.py)."""

from __future__ import annotations

import json

import health_helpers  # noqa: F401  (puts examples/ on sys.path)
import tour_health


def test_demo_prints_the_report_and_writes_every_format(tmp_path, capsys):
    tour_health.run(tmp_path)
    printed = capsys.readouterr().out
    assert "read 62 incident(s), 532 log entries, 62 alert(s) from 3 file(s)" in printed
    assert (
        "  Bob                  168 168   0     118   34    28  0.20 6.7m    5.9h  5,020" in printed
    )
    assert "11 error(s), 2 warning(s), 2 info" in printed
    assert (tmp_path / "seed-health.md").read_text().startswith("# On-call health report")
    assert '<svg class="chart heatmap"' in (tmp_path / "seed-health.html").read_text()
    doc = json.loads((tmp_path / "seed-health.json").read_text())
    assert doc["incidents"]["count"] == 62
    assert (tmp_path / "seed-health.csv").read_text().startswith("section,subject,period,key,value")
    assert str(tour_health.REPO) not in printed


def test_demo_output_is_the_same_every_run(tmp_path, capsys):
    tour_health.run(tmp_path / "a")
    first = capsys.readouterr().out
    tour_health.run(tmp_path / "b")
    assert capsys.readouterr().out == first
    for name in ("seed-health.html", "seed-health.json", "seed-health.csv", "seed-health.md"):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()
