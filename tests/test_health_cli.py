"""``oncall-planner health``: exit codes like check, every format, errors on one line."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from oncall_planner.cli import main

REPO = Path(__file__).resolve().parents[1]
EX = REPO / "examples" / "health"
PLAN = str(EX / "plan.py")
PAGES = [str(EX / n) for n in ("incidents.json", "log_entries.json", "alerts.json")]
WINDOW = ["--since", "2025-03-01", "--until", "2025-04-01", "--now", "2025-04-01", "-q"]


def run(capsys, *argv):
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_errors_among_the_findings_exit_1(capsys):
    code, out, err = run(capsys, "health", PLAN, "--pages", *PAGES, *WINDOW)
    assert code == 1
    assert "error OCP801 on-call-hours-cap: User 'Dave' <dave@example.com>: on call 240" in out
    assert max(len(line) for line in out.splitlines()) <= 80
    assert err == ""  # -q: the skipped duplicate is in the report, not on stderr


def test_caps_the_team_meets_exit_0(capsys, tmp_path):
    config = tmp_path / "health.toml"
    config.write_text(
        "[caps]\non_call_hours = 1000\noutside_business_hours = 1000\nlongest_stretch_hours = 1000\n"
        "interruptions_per_on_call_hour = 1\n"
        "[checks]\nignore = ['OCP807']\n"
    )
    code, out, _ = run(capsys, "health", PLAN, "--pages", *PAGES, *WINDOW, "--config", config)
    assert code == 0
    assert "0 error(s), 0 warning(s), 0 info" in out


def test_the_skipped_records_go_to_stderr_without_quiet(capsys):
    code, _, err = run(
        capsys,
        "health",
        PLAN,
        "--pages",
        PAGES[1],
        "--since",
        "2025-03-01",
        "--until",
        "2025-04-01",
    )
    assert code == 1
    assert "duplicate of log entry 100" in err


@pytest.mark.parametrize("fmt", ["markdown", "json", "csv", "html"])
def test_every_format(capsys, fmt):
    code, out, _ = run(capsys, "health", PLAN, "--pages", *PAGES, *WINDOW, "--format", fmt)
    assert code == 1
    if fmt == "json":
        doc = json.loads(out)
        assert doc["incidents"]["count"] == 62
        assert {f["code"] for f in doc["findings"]} >= {"OCP801", "OCP802"}
    elif fmt == "csv":
        rows = list(csv.reader(io.StringIO(out)))
        assert rows[0] == ["section", "subject", "period", "key", "value"]
    elif fmt == "html":
        assert out.startswith("<!DOCTYPE html>") and "<script" not in out
    else:
        assert out.startswith("# On-call health report")


def test_postmortems_add_their_numbers_and_the_overdue_p1_item(capsys):
    code, out, _ = run(
        capsys,
        "health",
        PLAN,
        "--pages",
        *PAGES,
        *WINDOW,
        "--postmortems",
        REPO / "examples" / "postmortems",
    )
    assert code == 1
    flat = " ".join(out.split())
    assert "3 postmortem(s) as of 2025-04-01" in flat
    assert "error OCP806 overdue-p1-action: Postmortem" in flat
    assert (
        "'Alert on disk latency over 15 minutes, not one sample' (owner bob@example.com) was due 2025-03-21"
        in flat
    )


def test_output_to_a_file(capsys, tmp_path):
    target = tmp_path / "health.html"
    code, out, _ = run(
        capsys, "health", PLAN, "--pages", *PAGES, *WINDOW, "--format", "html", "-o", target
    )
    assert code == 1 and out == ""
    assert target.read_text().startswith("<!DOCTYPE html>")


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--pages", "nope.json"], "--pages nope.json: no such file"),
        (["--pages", *PAGES, "--since", "2025-03-01"], "give both --since and --until"),
        (["--pages", *PAGES, "--postmortems", "nowhere"], "--postmortems nowhere: no such folder"),
        (
            ["--pages", *PAGES, "--postmortems", PAGES[0]],
            f"--postmortems {PAGES[0]}: is a file, not a folder",
        ),
        (["--pages", *PAGES, "--config", "none.toml"], "--config none.toml: no such file"),
        (["--pages", *PAGES, "--pages-tz", "Mars/Olympus"], "--pages-tz"),
        (
            ["--pages", *PAGES, "--since", "2025-04-01", "--until", "2025-03-01"],
            "must be after --since",
        ),
    ],
)
def test_bad_usage_exits_2_with_one_line(capsys, extra, message):
    code, out, err = run(capsys, "health", PLAN, *extra)
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and message in err
    assert err.startswith("oncall-planner health: error:")


def test_a_pipe_given_as_history_or_configuration_is_named_as_such(capsys, tmp_path):
    import os

    pipe = tmp_path / "history.json"
    os.mkfifo(pipe)  # reading it would wait for a writer for ever
    code, _, err = run(capsys, "health", PLAN, "--pages", pipe)
    assert code == 2
    assert f"--pages {pipe}: not a regular file (a folder, pipe or device)" in err
    code, _, err = run(capsys, "health", PLAN, "--pages", *PAGES, "--config", tmp_path)
    assert code == 2
    assert f"--config {tmp_path}: not a regular file" in err


def test_a_bad_configuration_names_file_key_and_value(capsys, tmp_path):
    config = tmp_path / "health.toml"
    config.write_text("[caps]\non_call_hours = -1\n")
    code, _, err = run(capsys, "health", PLAN, "--pages", *PAGES, "--config", config)
    assert code == 2
    assert f"{config}: caps.on_call_hours must be a number > 0, got -1" in err


def test_a_malformed_record_names_the_file_and_the_record(capsys, tmp_path):
    bad = tmp_path / "log.json"
    bad.write_text(
        '{"log_entries": [{"id": "X1", "type": "notify_log_entry", "created_at": "soon"}]}'
    )
    code, _, err = run(capsys, "health", PLAN, "--pages", bad)
    assert code == 2
    assert (
        f"{bad}: log entry 1 (id X1): created_at must be an ISO-8601 date-time, got 'soon'" in err
    )


def test_a_history_without_a_dated_record_asks_for_the_window_in_options(capsys, tmp_path):
    # The window comes from the history's days; an empty export has none. The message spoke
    # of health_report()'s arguments, not of the options the user can give.
    empty = tmp_path / "log.json"
    empty.write_text('{"log_entries": [], "more": false}')
    code, out, err = run(capsys, "health", PLAN, "--pages", empty, "-q")
    assert code == 2 and out == ""
    assert err == (
        "oncall-planner health: error: --pages: no dated record to take the window from; "
        "give --since and --until\n"
    )


def test_an_empty_pages_file_names_every_kind_it_could_have_been(capsys, tmp_path):
    empty = tmp_path / "incidents.json"
    empty.write_text("\n", encoding="utf-8")
    code, out, err = run(capsys, "health", PLAN, "--pages", str(empty), *WINDOW)
    assert (code, out) == (2, "")
    assert err == (
        f"oncall-planner health: error: {empty}: the file is empty; expected a PagerDuty export: "
        "incidents, log entries, alerts or Analytics as JSON, or the incidents report CSV\n"
    )


def test_thousands_of_records_left_out_are_counted_not_listed_unless_verbose(capsys, tmp_path):
    doc = json.loads((EX / "incidents.json").read_text(encoding="utf-8"))
    doc["incidents"] += [dict(doc["incidents"][0]) for _ in range(500)]  # 500 duplicates
    pages = tmp_path / "incidents.json"
    pages.write_text(json.dumps(doc), encoding="utf-8")
    window = [a for a in WINDOW if a != "-q"]
    _, out, err = run(capsys, "health", PLAN, "--pages", pages, *window)
    assert (
        len(err.splitlines()) == 12 and err.splitlines()[-1] == "  ... and 490 more (-v lists each)"
    )
    assert sum(line.startswith("  left out") for line in out.splitlines()) == 20
    assert "... and 480 more record(s) left out (the JSON and CSV reports list each)" in out
    _, _, err = run(capsys, "health", PLAN, "--pages", pages, *window, "-v")
    assert err.count("duplicate of incident 1") == 500
    _, out, _ = run(capsys, "health", PLAN, "--pages", pages, *window, "--format", "json")
    assert len(json.loads(out)["history"]["skipped"]) == 500
