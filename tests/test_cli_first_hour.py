"""A new user's first hour (issue 10): argument errors come before anything is read, and the
import notes are one summary line on stderr, every note with -v, none with -q."""

from __future__ import annotations

from pathlib import Path

import pytest

from oncall_planner.cli import main

DATA = Path(__file__).resolve().parent / "data"
SEED = str(DATA / "seed-pagerduty.tf")  # five undeclared users: the importer always has notes
PAYMENTS = str(DATA / "byot" / "payments")
MODULES = str(DATA / "byot" / "modules-and-functions")
WINDOW = ["--since", "2025-03-03", "--days", "7"]


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


# --- argument errors come first ----------------------------------------------------------------

BAD_ARGUMENTS = [
    (["render", SEED, "--days", "0"], "--days must be a positive number of days, got 0"),
    (["render", SEED, "--since", "2025-03-03", "--days", "999999999"], "out of range"),
    (["render", SEED, "--tz", "UTC"], "--tz: time_zone must be one of the 135"),
    (["render", SEED, "--since", "next monday"], "--since: invalid timestamp 'next monday'"),
    (["render", SEED, "--since", "2025-03-03T09:00:30"], "--since: use whole minutes"),
    (
        ["render", SEED, "--since", "2025-03-03", "--until", "2025-03-10", "--days", "3"],
        "--until and --days both give the end of the window",
    ),
    (
        ["render", SEED, "--since", "2025-03-10", "--until", "2025-03-03"],
        "--until (2025-03-03T00:00:00) must be after --since (2025-03-10T00:00:00)",
    ),
    (
        ["render", SEED, "--since", "2025-03-10T09:00Z", "--until", "2025-03-03T09:00+01:00"],
        "--until (2025-03-03T09:00:00+01:00) must be after --since (2025-03-10T09:00:00+00:00)",
    ),
    (["render", SEED, "--until", "2001-01-01"], "must be after --since"),
    (["render", SEED, "--at", "noon"], "--at: invalid timestamp 'noon'"),
    (["render", SEED, "--var", "novalue"], "--var must look like NAME=VALUE"),
    (["check", SEED, "--pages-tz", "Etc/UTC"], "--pages-tz needs --pages"),
    (
        ["check", SEED, "--var-file", "/nonexistent/x.tfvars"],
        "--var-file /nonexistent/x.tfvars: no such",
    ),
    (["render", SEED, "--var-file", str(DATA)], "--var-file " + str(DATA) + ": not a regular file"),
    (["check", SEED, "--pages", "/nonexistent/incidents.csv"], "/incidents.csv: no such file"),
    (["check", SEED, "--pages", str(DATA)], "not a regular file (a folder, pipe or device)"),
    (["check", SEED, "--pages", SEED, "--pages-tz", "CET"], "--pages-tz: time_zone must be"),
    (["report", SEED, "--until", "2025-03-03"], "--until needs --since"),
    (["report", SEED, "--since", "2025-02-30"], "--since: invalid timestamp"),
    (["audit", SEED, "--property", "nope"], "--property: unknown 'nope'"),
    (["audit", SEED, "--max-examples", "0"], "--max-examples must be at least 1"),
    (["escalation", SEED, "--at", "tomorrow"], "--at: invalid timestamp 'tomorrow'"),
    (["emit", SEED, "--now", "2025-03-03T09:00:01"], "--now: use whole minutes"),
    (["ics", SEED, "--split", "person"], "--split needs --output-dir DIR"),
    (
        ["ics", SEED, "--split", "schedule", "--output-dir", "x", "--person", "alice"],
        "with --split schedule, leave it out",
    ),
    (["ics", SEED, "--person", "alice", "--person", "bob"], "give one --person"),
    (["ics", SEED, "--output-dir", "calendars"], "--output-dir is where --split writes"),
    (["diff", SEED, SEED, "--days", "-1"], "--days must be a positive number of days, got -1"),
    (["overrides", "apply", SEED, "--from", str(DATA)], "--from " + str(DATA) + ": not a regular"),
]


@pytest.mark.parametrize(
    ("argv", "message"),
    BAD_ARGUMENTS,
    ids=[message for _, message in BAD_ARGUMENTS],
)
def test_an_argument_error_is_the_only_thing_printed(
    argv: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(capsys, *argv)
    assert code == 2 and out == ""
    command = " ".join(argv[:2]) if argv[0] in ("overrides", "slo") else argv[0]
    assert len(err.splitlines()) == 1 and err.startswith(f"oncall-planner {command}: error: ")
    assert message in err
    assert "note:" not in err and "placeholder" not in err


def test_output_into_a_folder_is_refused_before_reading(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(capsys, "render", SEED, *WINDOW, "-o", str(tmp_path))
    assert code == 2
    assert err == (
        f"oncall-planner render: error: --output {tmp_path}: is a folder; name a file in it, "
        f"such as {tmp_path / 'out'}\n"
    )


def test_output_under_a_file_is_refused_before_reading(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    a_file = tmp_path / "report.txt"
    a_file.write_text("keep me", encoding="utf-8")
    code, _, err = run(capsys, "report", SEED, "-o", str(a_file / "out.txt"))
    assert code == 2
    assert err == (
        f"oncall-planner report: error: --output {a_file / 'out.txt'}: {a_file} is a file, "
        "not a folder\n"
    )


def test_split_into_a_file_is_refused_before_reading(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    a_file = tmp_path / "calendars"
    a_file.write_text("", encoding="utf-8")
    code, _, err = run(capsys, "ics", SEED, "--split", "person", "--output-dir", str(a_file))
    assert code == 2
    assert err == f"oncall-planner ics: error: --output-dir {a_file}: is a file, not a folder\n"


def test_quiet_and_verbose_together_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["render", SEED, "-q", "-v"])
    assert exit_info.value.code == 2
    assert "-v/--verbose: not allowed with argument -q/--quiet" in capsys.readouterr().err


def test_a_time_without_offset_is_still_read_in_the_plans_zone(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """The early check must not refuse what the plan's zone makes valid: 00:00-05:00 is 05:00
    UTC, and 01:00 in New York (the seed's zone) is an hour later."""
    code, out, _ = run(
        capsys, "render", SEED, "--since", "2025-03-03T00:00-05:00", "--until", "2025-03-03T01:00"
    )
    assert code == 0 and "Final schedule" in out


# --- import notes: one summary line, details with -v --------------------------------------------


def test_import_notes_are_one_summary_line(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "render", SEED, *WINDOW)
    assert code == 0
    assert err == (
        f"note: {SEED}: imported 1 schedule, 1 escalation policy; 5 placeholders (-v for details)\n"
    )


def test_verbose_prints_every_note_with_its_line(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "render", SEED, *WINDOW, "-v")
    lines = err.splitlines()
    assert code == 0
    assert lines[0] == f"note: {SEED}: imported 1 schedule, 1 escalation policy; 5 placeholders"
    assert lines[1] == "placeholders (5):"
    assert (
        f"  OCP602 {SEED}:12: pagerduty_user.alice: not declared in the configuration: "
        "placeholder user 'alice', " in err
    )
    assert len(lines) == 7


@pytest.mark.parametrize(
    ("path", "counts"),
    [
        (PAYMENTS, "imported 2 schedules, 1 escalation policy; 4 ignored"),
        (MODULES, "imported 2 schedules, 1 escalation policy; 2 not imported"),
    ],
    ids=["ignored", "not imported"],
)
def test_the_summary_counts_each_kind_of_note(
    path: str, counts: str, capsys: pytest.CaptureFixture[str]
) -> None:
    _, _, err = run(capsys, "render", path, *WINDOW)
    assert err == f"note: {path}: {counts} (-v for details)\n"


def test_the_summary_counts_notes_of_other_kinds_too(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # A layer start with seconds (OCP605: PagerDuty cuts it to the minute) is neither left out
    # nor a placeholder; the summary used to end in "; " with nothing after it.
    (tmp_path / "main.tf").write_text(
        'resource "pagerduty_user" "a" {\n  name = "Ann"\n  email = "ann@example.com"\n}\n'
        'resource "pagerduty_schedule" "s" {\n  name = "S"\n  time_zone = "Europe/London"\n'
        '  layer {\n    name = "L"\n    start = "2025-01-06T09:00:30Z"\n'
        '    rotation_virtual_start = "2025-01-06T09:00:00Z"\n'
        "    rotation_turn_length_seconds = 86400\n    users = [pagerduty_user.a.id]\n  }\n}\n",
        encoding="utf-8",
    )
    _, _, err = run(capsys, "render", str(tmp_path), *WINDOW)
    assert err == (
        f"note: {tmp_path}: imported 1 schedule, 0 escalation policies; 1 other note "
        "(-v for details)\n"
    )


def test_quiet_still_silences_the_summary(capsys: pytest.CaptureFixture[str]) -> None:
    _, _, err = run(capsys, "check", SEED, *WINDOW, "-q")
    assert err == ""


def test_diff_summarises_each_input_on_its_own_line(capsys: pytest.CaptureFixture[str]) -> None:
    _, _, err = run(capsys, "diff", SEED, PAYMENTS, *WINDOW)
    assert [line.split(": ")[1] for line in err.splitlines()] == [SEED, PAYMENTS]


def test_replay_of_a_file_says_it_is_not_a_folder(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    a_file = tmp_path / "recorded.json"
    a_file.write_text("{}", encoding="utf-8")
    code, _, err = run(capsys, "verify", "--since", "2025-03-03", "--replay", str(a_file))
    assert code == 2
    assert err == (
        f"oncall-planner verify: error: --replay {a_file}: is a file, not a folder "
        "(it names what --record wrote)\n"
    )


def test_replay_of_a_missing_folder_says_so(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(capsys, "verify", "--since", "2025-03-03", "--replay", str(tmp_path / "x"))
    assert code == 2
    assert err.endswith(
        f"--replay {tmp_path / 'x'}: no such folder (it names what --record wrote)\n"
    )
