"""Mutation fuzzing of what the health report reads: log entries, Analytics responder rows,
alerts, the TOML configuration and postmortems. Every mutant loads or raises the documented
error (an ``OnCallPlannerError``); what loads goes through ``health_report`` and every format,
which hold no raw control character (and the JSON is strict JSON); the command line exits 0, 1
or 2, with one line on stderr for 2."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import pytest
from fuzzkit import DATA, REPO, SCALE, SEED, Crashes, csv_table, json_doc, mutants, no_raw_control

from oncall_planner import OnCallPlannerError
from oncall_planner.cli import main
from oncall_planner.health import health_report
from oncall_planner.ingest.health import health_config_from_toml, load_history
from oncall_planner.ingest.postmortems import postmortem_from_markdown

sys.path.insert(0, str(REPO / "examples"))
from seed_plan import build_plan

PLAN = build_plan()
HISTORY = [
    DATA / "health" / "log_entries.json",
    DATA / "health" / "responders.json",
    DATA / "health" / "alerts.json",
]
CONFIG = REPO / "examples" / "health" / "health.toml"
POSTMORTEMS = sorted((REPO / "examples" / "postmortems").glob("2*.md"))
UTC = dt.timezone.utc
SINCE, UNTIL = dt.datetime(2025, 3, 3, tzinfo=UTC), dt.datetime(2025, 3, 17, tzinfo=UTC)


def _formats(report: object, label: str) -> None:
    no_raw_control(report.to_text(), f"{label}: text")  # type: ignore[attr-defined]
    no_raw_control(report.to_markdown(), f"{label}: markdown")  # type: ignore[attr-defined]
    json_doc(report.to_json(), f"{label}: json")  # type: ignore[attr-defined]
    csv_table(report.to_csv(), f"{label}: csv")  # type: ignore[attr-defined]
    no_raw_control(report.to_html(), f"{label}: html")  # type: ignore[attr-defined]


def test_mutated_page_history_loads_or_is_refused(tmp_path: Path) -> None:
    texts = [p.read_bytes() for p in HISTORY]
    crashes = Crashes((OnCallPlannerError,))
    for index, case, data in mutants(texts, 40 * SCALE, SEED + 14):
        path = tmp_path / "export.json"
        path.write_bytes(data)
        label = f"{HISTORY[index].name} case {case}"
        history = crashes.run(label, lambda path=path: load_history([path], time_zone="Etc/UTC"))
        if history is None:
            continue
        no_raw_control(history.summary(), label)
        crashes.run(
            f"{label}: report",
            lambda h=history, label=label: _formats(health_report(PLAN, h, SINCE, UNTIL), label),
        )
    assert not crashes.found, crashes.report()


def test_a_mutated_configuration_is_read_or_refused() -> None:
    texts = [CONFIG.read_bytes()]
    crashes = Crashes((OnCallPlannerError,))
    for _, case, data in mutants(texts, 80 * SCALE, SEED + 15):
        label = f"health.toml case {case}"
        text = data.decode("utf-8", "replace")
        config = crashes.run(label, lambda text=text: health_config_from_toml(text, "h.toml"))
        if config is not None:
            crashes.run(
                f"{label}: report",
                lambda c=config, label=label: _formats(
                    health_report(PLAN, None, SINCE, UNTIL, config=c), label
                ),
            )
    assert not crashes.found, crashes.report()


def test_a_mutated_postmortem_is_read_or_refused() -> None:
    texts = [p.read_bytes() for p in POSTMORTEMS]
    crashes = Crashes((OnCallPlannerError,))
    for index, case, data in mutants(texts, 30 * SCALE, SEED + 16):
        label = f"{POSTMORTEMS[index].name} case {case}"
        text = data.decode("utf-8", "replace")
        post = crashes.run(label, lambda text=text: postmortem_from_markdown(text, "pm.md"))
        if post is not None:
            crashes.run(
                f"{label}: report",
                lambda p=post, label=label: _formats(
                    health_report(PLAN, None, SINCE, UNTIL, postmortems=[p]), label
                ),
            )
    assert not crashes.found, crashes.report()


def test_the_command_line_exits_0_1_or_2_on_mutated_history(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    texts = [p.read_bytes() for p in (*HISTORY, CONFIG)]
    crashes = Crashes(())
    plan = str(REPO / "examples" / "health" / "plan.py")
    for index, case, data in mutants(texts, 4 * SCALE, SEED + 17):
        name = (*HISTORY, CONFIG)[index].name
        path = tmp_path / name
        path.write_bytes(data)
        argv = ["health", plan, "-q", "--since", "2025-03-03", "--until", "2025-03-10"]
        if name.endswith(".toml"):
            argv += ["--pages", str(HISTORY[0]), "--config", str(path)]
        else:
            argv += ["--pages", str(path), "--pages-tz", "Etc/UTC"]
        code = crashes.run(f"{name} case {case}", lambda argv=argv: main(argv))
        out, err = capsys.readouterr()
        if code is not None:
            assert code in (0, 1, 2)
            no_raw_control(out + err, f"{name} case {case}")
            if code == 2:
                assert err.count("\n") == 1, err[:300]
    assert not crashes.found, crashes.report()
