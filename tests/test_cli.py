"""The oncall-planner command line: commands, exit codes, bad input, tables and calendars."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import icalendar
import pytest

from oncall_planner.cli import Progress, main

DATA = Path(__file__).resolve().parent / "data"
SEED = str(DATA / "seed-pagerduty.tf")
WINDOW = ["--since", "2025-03-03", "--days", "21"]

PLAN_PY = """
import datetime as dt
from zoneinfo import ZoneInfo
from oncall_planner import Layer, OnCallPlan, Schedule, User

tz = ZoneInfo("Europe/Berlin")
team = [User("Zoë Ångström, the very long named SRE", "zoe@example.com"),
        User("Bob", "bob@example.com")]
layer = Layer("Primary", team, dt.datetime(2025, 1, 6, 9, tzinfo=tz), dt.timedelta(days=7))
plan = OnCallPlan([Schedule("Payments", "Europe/Berlin", [layer])])
"""


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def write(tmp_path: Path, name: str, text: str) -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


# --- help ---------------------------------------------------------------------------------------

COMMANDS = ["render", "check", "report", "audit", "escalation", "emit", "ics", "diff"]


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help(command: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main([command, "--help"])
    assert exit_info.value.code == 0
    out = capsys.readouterr().out
    assert out.startswith(f"usage: oncall-planner {command}")
    assert max(len(line) for line in out.splitlines()) <= 80


def test_top_level_help_lists_every_command(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["--help"])
    out = capsys.readouterr().out
    assert all(command in out for command in COMMANDS)


def test_unknown_option_is_a_usage_error_with_code_2(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["render", SEED, "--no-such-flag"])
    assert exit_info.value.code == 2


# --- render -------------------------------------------------------------------------------------


def test_render_seed_shows_primary_layer_never_shown(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "render", SEED, *WINDOW, "--layers", "-v")
    assert code == 0
    assert "Layer 1 'Primary' alone (shown in the final: 0%)" in out
    assert "Layer 2 'Secondary' alone (shown in the final: 100%)" in out
    assert "Mon 2025-03-03 00:00  Wed 2025-03-05 00:00  48h    dave" in out
    assert "placeholder user 'alice', alice@unknown.invalid" in err


def test_render_quiet_hides_import_notes(capsys: pytest.CaptureFixture[str]) -> None:
    _, _, err = run(capsys, "render", SEED, *WINDOW, "--quiet")
    assert err == ""


def test_render_at_an_instant(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "render", SEED, "--at", "2025-03-06T12:00", "--layers", "-q")
    assert code == 0
    assert out.splitlines() == [
        "Schedule 'Checkout Team On-Call' (America/New_York)",
        "  Thu 2025-03-06 12:00: alice",
        "  layer 1 'Primary': bob",
        "  layer 2 'Secondary': alice",
    ]


def test_render_at_fits_80_columns(capsys: pytest.CaptureFixture[str]) -> None:
    # The header said schedule, instant, zone and person on one line of 82 characters.
    _, out, _ = run(capsys, "render", SEED, "--at", "2025-03-06T12:00", "-q")
    assert max(len(line) for line in out.splitlines()) <= 80


def test_render_json_is_deterministic(capsys: pytest.CaptureFixture[str]) -> None:
    _, first, _ = run(capsys, "render", SEED, *WINDOW, "--format", "json", "-q")
    _, second, _ = run(capsys, "render", SEED, *WINDOW, "--format", "json", "-q")
    assert first == second
    doc = json.loads(first)
    assert doc["schedules"][0]["final"][0] == {
        "start": "2025-03-03T05:00:00Z",
        "end": "2025-03-05T05:00:00Z",
        "user": "dave@unknown.invalid",
    }


def test_render_tables_fit_80_columns_even_with_long_names(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    plan = write(tmp_path, "plan.py", PLAN_PY)
    code, out, _ = run(capsys, "render", plan, "--since", "2025-03-03", "--layers")
    assert code == 0
    assert max(len(line) for line in out.splitlines()) <= 80
    assert "Zoë Ångström" in out and "…" in out


def test_python_plan_is_read_from_the_plan_variable(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    plan = write(tmp_path, "plan.py", PLAN_PY)
    code, out, _ = run(capsys, "render", plan, "--at", "2025-01-14T09:00+01:00")
    assert code == 0
    assert out.splitlines() == [
        "Schedule 'Payments' (Europe/Berlin)",
        "  Tue 2025-01-14 09:00: Bob",
    ]


def test_render_json_keeps_names_in_utf8_like_every_other_json_output(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    plan = write(tmp_path, "plan.py", PLAN_PY.replace('"Payments"', '"Bereitschaft Zürich"'))
    code, out, _ = run(capsys, "render", plan, "--since", "2025-01-06", "--format", "json", "-q")
    assert code == 0
    assert json.loads(out)["schedules"][0]["name"] == "Bereitschaft Zürich"
    assert "Zürich" in out and "\\u00fc" not in out


def test_output_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "out.txt"
    code, out, err = run(capsys, "render", SEED, *WINDOW, "-q", "--output", str(target))
    assert code == 0 and out == ""
    assert "Final schedule" in target.read_text(encoding="utf-8")
    assert f"wrote {target}" in err


def test_output_file_in_a_folder_that_does_not_exist_yet_is_an_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # A typo in -o used to make a folder silently; it is one line and exit code 2, before the
    # plan is read, and nothing is made.
    target = tmp_path / "new" / "folder" / "alice.ics"
    code, out, err = run(capsys, "ics", SEED, *WINDOW, "-q", "--output", str(target))
    assert code == 2 and out == ""
    assert err == (
        f"oncall-planner ics: error: --output {target}: the folder {target.parent} does not exist\n"
    )
    assert not (tmp_path / "new").exists()


# --- bad input: one message with its location, exit code 2, no traceback -------------------


def assert_one_clean_error(code: int, err: str, *parts: str) -> None:
    assert code == 2
    assert "Traceback" not in err
    assert len(err.strip().splitlines()) == 1, err
    for part in parts:
        assert part in err


def test_missing_file(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "render", "/nonexistent/pagerduty.tf")
    assert_one_clean_error(code, err, "/nonexistent/pagerduty.tf: no such file or directory")


def test_malformed_tf(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write(
        tmp_path, "bad.tf", 'resource "pagerduty_schedule" "x" {\n  name = "X"\n  layer {\n'
    )
    code, _, err = run(capsys, "render", path, *WINDOW)
    assert_one_clean_error(code, err, f"{path}:", "HCL syntax error")


def test_wrong_type(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    text = Path(SEED).read_text(encoding="utf-8").replace("num_loops = 2", 'num_loops = "twice"')
    path = write(tmp_path, "main.tf", text)
    code, _, err = run(capsys, "render", path, *WINDOW)
    assert_one_clean_error(code, err, f"{path}:36:", "num_loops must be a whole number")


def test_unknown_time_zone_in_terraform(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    text = Path(SEED).read_text(encoding="utf-8").replace("America/New_York", "US/Eastern")
    path = write(tmp_path, "main.tf", text)
    code, _, err = run(capsys, "render", path, *WINDOW)
    assert_one_clean_error(code, err, f"{path}:5:", "'US/Eastern'")


def test_unknown_time_zone_option(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "render", SEED, *WINDOW, "--tz", "UTC", "-q")
    assert_one_clean_error(code, err, "--tz", "use 'Etc/UTC'")


def test_invalid_timestamp_option(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "render", SEED, "--since", "next monday", "-q")
    assert_one_clean_error(code, err, "--since: invalid timestamp 'next monday'")


def test_invalid_timestamp_in_terraform(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    text = (
        Path(SEED)
        .read_text(encoding="utf-8")
        .replace('"2025-01-08T00:00:00-05:00"', '"2025-01-08"')
    )
    path = write(tmp_path, "main.tf", text)
    code, _, err = run(capsys, "render", path, *WINDOW)
    assert_one_clean_error(code, err, f"{path}:23:", "RFC 3339")


def test_python_file_without_plan(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write(tmp_path, "plan.py", "plan = 42\n")
    code, _, err = run(capsys, "render", path)
    assert_one_clean_error(code, err, "must define an OnCallPlan named 'plan', found int")


def test_python_file_that_fails_names_its_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write(tmp_path, "plan.py", "x = 1\nraise RuntimeError('boom')\n")
    code, _, err = run(capsys, "render", path)
    assert_one_clean_error(code, err, f"{path}:2: RuntimeError: boom")


def test_unknown_schedule(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "render", SEED, "--schedule", "Nope", "-q")
    assert_one_clean_error(code, err, "no schedule named 'Nope'", "'Checkout Team On-Call'")


def test_installed_console_script_exits_2_without_traceback(tmp_path: Path) -> None:
    path = write(tmp_path, "bad.tf.json", '{"resource": ')
    proc = subprocess.run(
        [sys.executable, "-m", "oncall_planner.cli", "render", path],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 2
    assert proc.stderr.startswith(f"oncall-planner render: error: {path}:1:")
    assert "Traceback" not in proc.stderr


# --- ics ----------------------------------------------------------------------------------------


def test_ics_is_deterministic_and_parses(capsysbinary: pytest.CaptureFixture[bytes]) -> None:
    main(["ics", SEED, *WINDOW, "-q"])
    first = capsysbinary.readouterr().out
    main(["ics", SEED, *WINDOW, "-q"])
    assert capsysbinary.readouterr().out == first
    calendar = icalendar.Calendar.from_ical(first)
    events = [c for c in calendar.walk("VEVENT")]
    assert [str(e["SUMMARY"]) for e in events] == [
        f"{who} on call (Checkout Team On-Call)" for who in ("dave", "alice", "bob", "carol")
    ]
    assert {e["DTSTAMP"].dt.isoformat() for e in events} == {"2025-03-03T05:00:00+00:00"}


def test_ics_per_person_and_split(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(
        capsys, "ics", SEED, *WINDOW, "-q", "--split", "person", "--output-dir", str(tmp_path)
    )
    assert code == 0
    names = sorted(p.name for p in tmp_path.iterdir())
    assert names[0] == "alice-unknown-invalid.ics" and len(names) == 5
    alice = icalendar.Calendar.from_ical((tmp_path / names[0]).read_bytes())
    (event,) = alice.walk("VEVENT")
    assert event["DTSTART"].dt.isoformat() == "2025-03-05T05:00:00+00:00"
    assert "wrote 5 calendar(s)" in err


# --- progress -----------------------------------------------------------------------------------


class FakeTerminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_draws_on_a_terminal() -> None:
    stream = FakeTerminal()
    with Progress(4, "Rendering", stream) as bar:
        bar.step("a")
    assert "Rendering [######..................] 1/4 a" in stream.getvalue()


def test_progress_is_silent_when_piped() -> None:
    stream = io.StringIO()
    with Progress(4, "Rendering", stream) as bar:
        bar.step("a")
    assert stream.getvalue() == ""


# --- diff ---------------------------------------------------------------------------------------


def shifted_seed(tmp_path: Path) -> str:
    text = (
        Path(SEED)
        .read_text(encoding="utf-8")
        .replace(
            'rotation_virtual_start       = "2025-01-08T00:00:00-05:00"',
            'rotation_virtual_start       = "2025-01-15T00:00:00-05:00"',
        )
    )
    return write(tmp_path, "after.tf", text)


def test_diff_lists_who_changes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "diff", SEED, shifted_seed(tmp_path), *WINDOW, "-q")
    assert code == 0
    assert "Schedule 'Checkout Team On-Call' (America/New_York): 4 changes" in out
    assert "(48 h)  dave → carol" in out


def test_diff_exit_code_flags_changes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    changed, _, _ = run(capsys, "diff", SEED, shifted_seed(tmp_path), *WINDOW, "-q", "--exit-code")
    same, out, _ = run(capsys, "diff", SEED, SEED, *WINDOW, "-q", "--exit-code")
    assert (changed, same) == (1, 0)
    assert out.startswith("No changes")


def test_render_of_a_plan_without_schedules_says_so(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write(tmp_path, "main.tf", 'resource "pagerduty_service" "api" { name = "API" }\n')
    code, _, err = run(capsys, "render", path, "-q")
    assert_one_clean_error(code, err, "the plan has no schedules to render")


TWO_ZONES = """
import datetime as dt
from zoneinfo import ZoneInfo
from oncall_planner import Layer, OnCallPlan, Schedule, User

ann = User("Ann", "ann@example.com")
start = dt.datetime(2025, 1, 6, tzinfo=ZoneInfo("Etc/UTC"))
plan = OnCallPlan([
    Schedule("NY", "America/New_York", [Layer("L", [ann], start, dt.timedelta(days=7))]),
    Schedule("Tokyo", "Asia/Tokyo", [Layer("L", [ann], start, dt.timedelta(days=7))]),
])
"""


def test_times_without_an_offset_are_in_the_zone_of_the_schedule_chosen(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write(tmp_path, "plan.py", TWO_ZONES)
    window = ["--since", "2025-03-03", "--days", "1", "--format", "json", "-q"]
    code, out, _ = run(capsys, "render", path, "--schedule", "Tokyo", *window)
    assert code == 0
    assert json.loads(out)["since"] == "2025-03-02T15:00:00Z"  # midnight in Tokyo
    code, out, _ = run(capsys, "render", path, *window)
    assert json.loads(out)["since"] == "2025-03-03T05:00:00Z"  # midnight in New York
