"""The commands built on other parts of the library: check, report, escalation and emit."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from oncall_planner.cli import main

DATA = Path(__file__).resolve().parent / "data"
SEED = str(DATA / "seed-pagerduty.tf")
WINDOW = ["--since", "2025-03-03", "--days", "28", "-q"]


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


# --- check --------------------------------------------------------------------------------------


def test_check_finds_the_seed_shadowed_layer_and_exits_1(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, _ = run(capsys, "check", SEED, *WINDOW)
    assert code == 1
    assert out.startswith(
        "error OCP103 shadowed-layer: Schedule 'Checkout Team On-Call', layer 'Primary'\n"
    )
    # five OCP602 warnings: the seed's users are placeholders (it never declares them)
    assert out.endswith("1 error(s), 6 warning(s), 0 info\n")
    assert max(len(line) for line in out.splitlines()) <= 80


def test_check_exits_0_when_no_error_is_left(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "check", SEED, *WINDOW, "--ignore", "OCP103")
    assert code == 0
    assert "OCP103" not in out and "OCP306" in out


def test_check_select_runs_only_the_chosen_codes(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "check", SEED, *WINDOW, "--select", "OCP3", "--format", "json")
    assert code == 0
    assert [f["code"] for f in json.loads(out)["findings"]] == ["OCP306"]


def test_check_json_summary(capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = run(capsys, "check", SEED, *WINDOW, "--format", "json")
    doc = json.loads(out)
    assert doc["summary"] == {"error": 1, "warning": 6, "info": 0}
    assert doc["findings"][0]["intervals"] == [["2025-03-03T05:00:00Z", "2025-03-31T04:00:00Z"]]


def test_check_sarif_points_at_the_primary_layer_block(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(DATA.parent.parent)  # the repository root, as in CI
    _, out, _ = run(capsys, "check", SEED, *WINDOW, "--format", "sarif")
    results = json.loads(out)["runs"][0]["results"]
    location = results[0]["locations"][0]["physicalLocation"]
    assert results[0]["ruleId"] == "OCP103"
    assert location == {
        "artifactLocation": {"uri": "tests/data/seed-pagerduty.tf", "uriBaseId": "%SRCROOT%"},
        "region": {"startLine": 7},
    }


def test_check_unknown_rule_code_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "check", SEED, *WINDOW, "--select", "NOPE")
    assert code == 2
    assert err.startswith("oncall-planner check: error: CheckConfig: select names 'NOPE'")


def test_check_reads_page_history(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    pages = tmp_path / "incidents.json"
    pages.write_text('{"incidents": []}', encoding="utf-8")
    code, out, _ = run(capsys, "check", SEED, *WINDOW, "--pages", str(pages))
    assert code == 1 and "OCP103" in out


def test_check_unreadable_page_history_exits_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pages = tmp_path / "incidents.json"
    pages.write_text('{"incidents": [', encoding="utf-8")
    code, _, err = run(capsys, "check", SEED, *WINDOW, "--pages", str(pages))
    assert code == 2
    assert str(pages) in err and "Traceback" not in err


def test_check_reads_a_csv_without_offsets_in_the_zone_given(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pages = tmp_path / "incidents.csv"
    pages.write_text("id,created_on,urgency\nP1,2025-03-04 02:10:00,high\n", encoding="utf-8")
    code, _, err = run(capsys, "check", SEED, *WINDOW, "--pages", str(pages))
    assert code == 2 and "--pages-tz" in err
    argv = [*WINDOW, "--pages", str(pages), "--pages-tz", "America/New_York"]
    code, out, _ = run(capsys, "check", SEED, *argv, "--select", "OCP502")
    assert code == 0 and "first 2025-03-04 02:10 EST" in out.replace("\n      ", " ")


def test_check_says_which_page_rows_were_skipped(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pages = tmp_path / "incidents.csv"
    row = "P1,2025-03-04T02:10:00-05:00,high\n"
    pages.write_text("id,created_on,urgency\n" + row + "\n" + row, encoding="utf-8")
    argv = ["--since", "2025-03-03", "--days", "28", "--pages", str(pages)]
    _, _, err = run(capsys, "check", SEED, *argv)
    assert err.endswith(
        f"1 page(s) read from {pages}, 2 skipped (row 2 (line 3): blank row; "
        "row 3 (line 4): duplicate of row 1 (line 2))\n"
    )
    _, _, err = run(capsys, "check", SEED, *argv, "-q")
    assert err == ""


# --- report -------------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["text", "markdown", "json", "csv", "html"])
def test_report_formats(fmt: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / f"report.{fmt}"
    code, _, err = run(capsys, "report", SEED, "-q", "--format", fmt, "--output", str(target))
    assert code == 0
    assert "engineering_manager" in target.read_text(encoding="utf-8")
    assert f"wrote {target}" in err


def test_report_csv_lists_each_person(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(
        capsys,
        "report",
        SEED,
        "-q",
        "--since",
        "2025-03-03",
        "--until",
        "2025-03-31",
        "--format",
        "csv",
    )
    assert code == 0
    emails = [line.split(",")[1] for line in out.splitlines()[1:]]
    assert emails[:4] == [f"{n}@unknown.invalid" for n in ("alice", "bob", "carol", "dave")]


PAGES_2024 = str(DATA / "pagerduty-incidents.csv")  # page history of 2024
REPORT_2025 = ["--since", "2025-03-03", "--until", "2025-03-31", "--pages", PAGES_2024]


def test_report_says_when_no_page_falls_in_its_window(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "report", SEED, "-q", *REPORT_2025)
    assert code == 0
    assert "Pages: none of the" in out and "pages given falls in the horizon" in out


@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_report_data_formats_say_on_stderr_when_no_page_falls_in_the_window(
    fmt: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(capsys, "report", SEED, *REPORT_2025, "--format", fmt)
    assert code == 0
    assert "note: none of the" in err and "pages given falls in the horizon" in err


def test_report_until_without_since_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "report", SEED, "-q", "--until", "2025-03-31")
    assert code == 2 and "--until needs --since" in err


# --- escalation ---------------------------------------------------------------------------------


def test_escalation_timeline_at_an_instant(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "escalation", SEED, "-q", "--at", "2025-03-06T12:00")
    assert code == 0
    lines = out.splitlines()
    assert lines[1] == "Incident at Thu 2025-03-06 12:00 (America/New_York), never acknowledged"
    assert lines[3].split() == [
        "+0m",
        "Thu",
        "2025-03-06",
        "12:00",
        "1/1",
        "alice",
        "schedule",
        "Checkout…",
    ]
    assert lines[4].split()[-2:] == ["engineering_manager", "direct"]
    assert len(lines) == 3 + 6  # two levels, three passes (num_loops = 2)
    assert max(len(line) for line in lines) <= 80


def test_escalation_unknown_policy(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "escalation", SEED, "-q", "--at", "2025-03-06", "--policy", "X")
    assert code == 2
    assert "no escalation policy named 'X' ('Checkout Escalation')" in err


# --- emit ---------------------------------------------------------------------------------------


def test_emit_writes_terraform_json_that_imports_back(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "pagerduty.tf.json"
    code, _, _ = run(capsys, "emit", SEED, "-q", "--users", "resource", "--output", str(target))
    assert code == 0
    doc = json.loads(target.read_text(encoding="utf-8"))
    assert sorted(doc["resource"]["pagerduty_user"]) == [
        "alice",
        "bob",
        "carol",
        "dave",
        "engineering_manager",
    ]
    code, out, _ = run(capsys, "render", str(target), "--at", "2025-03-06T12:00", "-q")
    assert code == 0 and out.endswith(": alice\n")


def test_emit_is_byte_identical_across_runs(capsys: pytest.CaptureFixture[str]) -> None:
    _, first, _ = run(capsys, "emit", SEED, "-q")
    _, second, _ = run(capsys, "emit", SEED, "-q")
    assert first == second
    assert '"pagerduty_user": {' in first and "${data.pagerduty_user.alice.id}" in first


# --- audit --------------------------------------------------------------------------------------


def test_audit_exits_1_with_a_plain_counterexample(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "audit", SEED, "-q", "--max-examples", "20")
    assert code == 1
    assert out.startswith("Fairness audit (seed 0, up to 20 cases per property): 3 of 4")
    assert "  max_streak: VIOLATED" in out
    assert max(len(line) for line in out.splitlines()) <= 80


def test_audit_of_a_property_that_holds_exits_0(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(
        capsys,
        "audit",
        SEED,
        "-q",
        "--property",
        "balanced",
        "--max-examples",
        "10",
        "--format",
        "json",
    )
    assert code == 0
    doc = json.loads(out)
    assert doc["ok"] is True and [r["name"] for r in doc["results"]] == ["balanced"]


def test_audit_unknown_property_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "audit", SEED, "-q", "--property", "kind")
    assert code == 2 and "--property: unknown 'kind'" in err


@pytest.mark.parametrize("command", ["render", "audit", "ics", "emit"])
def test_pages_is_refused_where_page_history_is_not_used(
    command: str, capsys: pytest.CaptureFixture[str]
) -> None:
    # --pages was accepted everywhere and ignored outside check and report, even for no file
    with pytest.raises(SystemExit) as exit_info:
        main([command, SEED, "--pages", "no-such-incidents.csv"])
    assert exit_info.value.code == 2
    assert "unrecognized arguments: --pages" in capsys.readouterr().err


def test_until_and_days_together_are_refused(capsys: pytest.CaptureFixture[str]) -> None:
    # the synopsis offers [--until T | --days N]; --days was silently ignored next to --until
    argv = ["--since", "2025-03-03", "--until", "2025-03-10", "--days", "3", "-q"]
    code, out, err = run(capsys, "render", SEED, *argv)
    assert code == 2 and out == ""
    assert "--until and --days both give the end of the window" in err
    code, out, _ = run(capsys, "render", SEED, "--since", "2025-03-03", "-q")
    assert code == 0 and "Mon 2025-03-03 00:00 -> Mon 2025-03-31 00:00" in out
    _, default, _ = run(capsys, "ics", SEED, "--since", "2025-03-03", "-q")
    _, ninety, _ = run(capsys, "ics", SEED, "--since", "2025-03-03", "--days", "90", "-q")
    assert default == ninety and default.count("BEGIN:VEVENT") == 14  # ics: 90 days


def test_audit_usage_reads_as_the_docs_write_it(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["audit", "--help"])
    usage = " ".join(capsys.readouterr().out.split())
    assert "[--max-examples N] [--seed N]" in usage  # not MAX_EXAMPLES and SEED


@pytest.mark.parametrize(
    ("argv", "prog"),
    [
        (["render", SEED, "--fromat", "json"], "oncall-planner render"),
        (
            ["slo", "rules", "examples/slo/slo-definition.yaml", "--format", "json"],
            "oncall-planner slo rules",
        ),
    ],
)
def test_an_unknown_option_is_refused_by_the_command_it_was_given_to(
    argv: list[str], prog: str, capsys: pytest.CaptureFixture[str]
) -> None:
    # argparse hands unknown options up to the top parser, whose usage blamed the COMMAND
    with pytest.raises(SystemExit) as exit_info:
        main(argv)
    assert exit_info.value.code == 2
    err = capsys.readouterr().err
    assert err.startswith(f"usage: {prog} [-h]")
    assert err.endswith(f"{prog}: error: unrecognized arguments: {' '.join(argv[-2:])}\n")
