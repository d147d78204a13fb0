"""The HTML report opened in headless Chromium (installed by `make test`'s set-up)."""

from __future__ import annotations

import shutil
import subprocess

from seed_plan import build_plan

from oncall_planner import fairness_report

FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def test_chromium_renders_the_timeline_and_the_table(tmp_path):
    chromium = shutil.which("chromium")
    assert chromium, "chromium is missing: `make test` installs it (apt-get install chromium)"
    page = tmp_path / "fairness.html"
    page.write_text(fairness_report(build_plan()).to_html(), encoding="utf-8")
    done = subprocess.run(
        [chromium, *FLAGS, f"--user-data-dir={tmp_path / 'profile'}", "--dump-dom", page.as_uri()],
        capture_output=True,
        text=True,
        timeout=180,
        check=True,
    )
    dom = done.stdout
    assert '<svg class="timeline" id="timeline-0"' in dom
    assert dom.count("<rect") > 10
    assert '<table id="load-table">' in dom
    assert "<td>Alice</td>" in dom
