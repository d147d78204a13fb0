"""Mutation fuzzing of the page-history loaders (PagerDuty JSON and CSV exports): every mutant
loads or raises the documented error, and what loads goes through the checks and the fairness
report without any other exception; the command line exits 0, 1 or 2."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from fuzzkit import DATA, SCALE, SEED, Crashes, mutants, no_raw_control

from oncall_planner import OnCallPlannerError, check, fairness_report, import_terraform, load_pages
from oncall_planner.cli import main

SEEDS = [
    DATA / "pagerduty-incidents.json",
    DATA / "pagerduty-incidents.csv",
    DATA / "health" / "incidents.csv",
    DATA / "health" / "analytics_incidents.json",
]
PLAN = import_terraform(DATA / "seed-pagerduty.tf").plan
SINCE = dt.datetime(2025, 3, 3, tzinfo=dt.timezone.utc)


@pytest.mark.parametrize("suffix", [".json", ".csv"])
def test_mutated_page_history_loads_or_is_refused(tmp_path: Path, suffix: str) -> None:
    seeds = [p for p in SEEDS if p.suffix == suffix]
    texts = [p.read_bytes() for p in seeds]
    crashes = Crashes((OnCallPlannerError,))
    for index, case, data in mutants(texts, 40 * SCALE, SEED + len(suffix)):
        path = tmp_path / f"export{suffix}"
        path.write_bytes(data)
        label = f"{seeds[index].name} case {case}"
        history = crashes.run(label, lambda path=path: load_pages(path))
        if history is None:
            continue
        no_raw_control(history.summary(), label)
        crashes.run(
            f"{label}: check",
            lambda h=history: check(PLAN, SINCE, SINCE + dt.timedelta(days=28), pages=h),
        )
        crashes.run(
            f"{label}: fairness",
            lambda h=history: fairness_report(
                PLAN, SINCE, SINCE + dt.timedelta(days=28), pages=h
            ).to_text(),
        )
    assert not crashes.found, crashes.report()


def test_the_command_line_exits_0_1_or_2_on_mutated_page_history(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    texts = [p.read_bytes() for p in SEEDS]
    crashes = Crashes(())
    seed_plan = str(DATA / "seed-pagerduty.tf")
    for index, case, data in mutants(texts, 6 * SCALE, SEED + 7):
        path = tmp_path / f"export{SEEDS[index].suffix}"
        path.write_bytes(data)
        argv = ["check", seed_plan, "-q", "--since", "2025-03-03", "--pages", str(path)]
        code = crashes.run(f"{SEEDS[index].name} case {case}", lambda argv=argv: main(argv))
        out, err = capsys.readouterr()
        if code is not None:
            assert code in (0, 1, 2)
            no_raw_control(out + err, f"{SEEDS[index].name} case {case}")
            if code == 2:
                assert err.count("\n") == 1, err[:300]
    assert not crashes.found, crashes.report()
