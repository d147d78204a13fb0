"""`make demo`, health section: the seed team's on-call health in March 2025, PagerDuty's way.

Reads the bundled page history (examples/health/: incidents, log entries and alerts in
PagerDuty's export formats, made up by make_history.py) and postmortems (examples/postmortems/),
with the configuration examples/health/health.toml, and prints what ``oncall-planner health``
prints. Writes the report as Markdown, HTML, JSON and CSV into ``out/health/`` (git-ignored).
Every date is fixed, so the output is the same on every run.
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from seed_plan import NEW_YORK, build_plan

from oncall_planner.health import health_report
from oncall_planner.ingest.health import load_health_config, load_history
from oncall_planner.ingest.postmortems import load_postmortems

REPO = Path(__file__).resolve().parents[1]
HERE = REPO / "examples" / "health"
OUT = REPO / "out" / "health"
PAGES = ("incidents.json", "log_entries.json", "alerts.json")
SINCE = dt.datetime(2025, 3, 1, tzinfo=NEW_YORK)
UNTIL = dt.datetime(2025, 4, 1, tzinfo=NEW_YORK)  # also "now", for the postmortems' due dates
COMMAND = (
    "$ oncall-planner health examples/health/plan.py --pages examples/health/*.json \\\n"
    "    --postmortems examples/postmortems --config examples/health/health.toml \\\n"
    "    --since 2025-03-01 --until 2025-04-01 --now 2025-04-01"
)


def _short(text: str) -> str:
    """Paths relative to the repository, so the output is the same in every checkout."""
    return text.replace(str(REPO) + "/", "")


def run(out_dir: Path | None = None) -> None:
    """Print the health section; write the reports into ``out_dir`` (default ``out/health``)."""
    out = OUT if out_dir is None else out_dir
    config = load_health_config(HERE / "health.toml")
    history = load_history([HERE / name for name in PAGES], severity_field=config.severity_field)
    posts, _ = load_postmortems(REPO / "examples" / "postmortems")
    print("The seed team's page history for March 2025 (made up, in PagerDuty's export formats):")
    print(_short(history.summary()))
    report = health_report(
        build_plan(), history, SINCE, UNTIL, config=config, postmortems=posts, now=UNTIL
    )
    print(f"\n{COMMAND}\n")
    print(_short(report.to_text()), end="")
    print(
        f"\n(exit code {1 if report.errors else 0}: weekly 24/7 turns put everyone over the 160 h "
        "cap in a month,\n and the manager, a level-2 user target, is on call all month)"
    )
    out.mkdir(parents=True, exist_ok=True)
    for suffix, text in (
        ("md", report.to_markdown()),
        ("html", report.to_html()),
        ("json", report.to_json()),
        ("csv", report.to_csv()),
    ):
        (out / f"seed-health.{suffix}").write_text(_short(text), encoding="utf-8")
    where = " in out/health/" if out_dir is None else ""
    print(f"Wrote seed-health.md, .html, .json and .csv{where}")


if __name__ == "__main__":
    run()
