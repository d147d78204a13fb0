"""The HTML reports at 400 px wide, in headless Chromium (installed by `make test`'s set-up):
a screenshot at that width, and no horizontal overflow of the page.

Chromium's window is at least 500 px wide even headless, so the overflow is measured on the
report inside an iframe exactly 400 px wide (``srcdoc``, the same origin as the wrapper), by a
small script in the wrapper page; the reports themselves carry no script.
"""

from __future__ import annotations

import datetime as dt
import html
import re
import shutil
import struct
import subprocess
from pathlib import Path

import pytest
from health_helpers import NY, REPO

from oncall_planner import fairness_report
from oncall_planner.health import health_report
from oncall_planner.ingest.health import load_history
from oncall_planner.ingest.postmortems import load_postmortems

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
WIDTH = 400
PROBE = """<!DOCTYPE html><html><head><meta charset="utf-8"><style>
body{margin:0}iframe{border:0;width:%dpx;height:40000px;display:block}</style></head><body>
<iframe id="report" srcdoc="%s"></iframe>
<script>
document.getElementById("report").addEventListener("load", function () {
  var root = this.contentDocument.documentElement;
  var out = document.createElement("pre");
  out.id = "probe";
  out.textContent = "scrollWidth=" + root.scrollWidth + " clientWidth=" + root.clientWidth;
  document.body.appendChild(out);
});
</script></body></html>"""


def _chromium() -> str:
    found = shutil.which("chromium")
    assert found, "chromium is missing: `make test` installs it (apt-get install chromium)"
    return found


def _seed_health_html() -> str:
    from seed_plan import build_plan

    pages = [
        REPO / "examples" / "health" / n
        for n in ("incidents.json", "log_entries.json", "alerts.json")
    ]
    posts, _ = load_postmortems(REPO / "examples" / "postmortems")
    since, until = dt.datetime(2025, 3, 1, tzinfo=NY), dt.datetime(2025, 4, 1, tzinfo=NY)
    report = health_report(build_plan(), load_history(pages), since, until, postmortems=posts)
    return report.to_html()


def _seed_fairness_html() -> str:
    from seed_plan import build_plan

    return fairness_report(build_plan()).to_html()


REPORTS = {"health": _seed_health_html, "fairness": _seed_fairness_html}


def _widths(page: str, tmp_path: Path) -> tuple[int, int]:
    wrapper = tmp_path / "probe.html"
    wrapper.write_text(PROBE % (WIDTH, html.escape(page, quote=True)), encoding="utf-8")
    done = subprocess.run(
        [
            _chromium(),
            *FLAGS,
            f"--user-data-dir={tmp_path / 'profile'}",
            "--dump-dom",
            wrapper.as_uri(),
        ],
        capture_output=True,
        text=True,
        timeout=180,
        check=True,
    )
    found = re.search(r"scrollWidth=(\d+) clientWidth=(\d+)", done.stdout)
    assert found, f"the probe did not run: {done.stdout[-500:]}"
    return int(found.group(1)), int(found.group(2))


@pytest.mark.parametrize("name", sorted(REPORTS))
def test_the_report_does_not_run_off_the_screen_at_400_px(name, tmp_path):
    page = REPORTS[name]()
    assert "<script" not in page
    scroll_width, client_width = _widths(page, tmp_path)
    assert client_width == WIDTH
    assert scroll_width <= WIDTH, f"the {name} report is {scroll_width} px wide at {WIDTH} px"


def test_the_probe_sees_a_page_that_runs_off_the_screen(tmp_path):
    wide = '<!DOCTYPE html><html><body><div style="width:900px">wide</div></body></html>'
    scroll_width, _ = _widths(wide, tmp_path)
    assert scroll_width > WIDTH


@pytest.mark.parametrize("name", sorted(REPORTS))
def test_a_screenshot_at_400_px(name, tmp_path):
    page = tmp_path / f"{name}.html"
    page.write_text(REPORTS[name](), encoding="utf-8")
    shot = tmp_path / f"{name}.png"
    subprocess.run(
        [
            _chromium(),
            *FLAGS,
            f"--user-data-dir={tmp_path / 'profile'}",
            f"--window-size={WIDTH},1600",
            "--hide-scrollbars",
            f"--screenshot={shot}",
            page.as_uri(),
        ],
        capture_output=True,
        timeout=180,
        check=True,
    )
    header = shot.read_bytes()[:24]
    assert header[:8] == b"\x89PNG\r\n\x1a\n"
    assert struct.unpack(">II", header[16:24]) == (WIDTH, 1600)
