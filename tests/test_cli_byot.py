"""Bring your own Terraform: realistic configurations an SRE would point the tool at first.

The files under tests/data/byot/ are written the way teams write them: several files with
variables, locals and a terraform.tfvars; users looked up by email; a module and function calls;
hand-written .tf.json; and CDKTF's cdk.tf.json.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from oncall_planner import InputReadError, import_terraform
from oncall_planner.cli import main

BYOT = Path(__file__).resolve().parent / "data" / "byot"
PAYMENTS = BYOT / "payments"


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def copy_dir(source: Path, target: Path) -> Path:
    target.mkdir()
    for path in source.iterdir():
        (target / path.name).write_bytes(path.read_bytes())
    return target


# --- terraform.tfvars and *.auto.tfvars, as Terraform reads them ------------------------------


def test_directory_reads_terraform_tfvars_over_defaults() -> None:
    # variables.tf says Europe/London and one week; terraform.tfvars says Berlin and two weeks.
    result = import_terraform(PAYMENTS)
    primary = result.plan.schedules[0]
    assert primary.name == "Payments Primary"
    assert primary.time_zone == "Europe/Berlin"
    assert primary.layers[0].turn_length.days == 14
    assert str(PAYMENTS / "terraform.tfvars") in result.files


def test_auto_tfvars_override_terraform_tfvars_and_given_values_override_both(
    tmp_path: Path,
) -> None:
    config = copy_dir(PAYMENTS, tmp_path / "payments")
    (config / "b.auto.tfvars").write_text('time_zone = "Asia/Tokyo"\n', encoding="utf-8")
    (config / "a.auto.tfvars.json").write_text('{"time_zone": "Asia/Seoul"}', encoding="utf-8")
    assert import_terraform(config).plan.schedules[0].time_zone == "Asia/Tokyo"
    given = import_terraform(config, variables={"time_zone": "Europe/Paris"})
    assert given.plan.schedules[0].time_zone == "Europe/Paris"


def test_a_single_file_reads_no_tfvars(tmp_path: Path) -> None:
    # Terraform runs in a directory; a single file is read on its own, with its defaults.
    main_tf = tmp_path / "main.tf"
    main_tf.write_text(
        'variable "tz" {\n  default = "Europe/London"\n}\n'
        'resource "pagerduty_user" "a" {\n  name = "A"\n  email = "a@example.com"\n'
        "  time_zone = var.tz\n}\n",
        encoding="utf-8",
    )
    (tmp_path / "terraform.tfvars").write_text('tz = "Asia/Tokyo"\n', encoding="utf-8")
    assert import_terraform(main_tf).plan.users[0].time_zone == "Europe/London"
    assert import_terraform(tmp_path).plan.users[0].time_zone == "Asia/Tokyo"


def test_tfvars_for_an_undeclared_variable_is_listed_as_ignored(tmp_path: Path) -> None:
    config = copy_dir(PAYMENTS, tmp_path / "payments")
    (config / "extra.auto.tfvars").write_text('region = "eu"\n', encoding="utf-8")
    result = import_terraform(config)
    assert any(
        str(d).startswith(f"{config / 'extra.auto.tfvars'}:1: var.region: set in a variable")
        for d in result.ignored
    )


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("turn_seconds = var.other\n", "holds only constant values"),
        ("turn_seconds = max(1, 2)\n", "holds only constant values"),
        ('variable "x" {}\n', "holds only assignments"),
        ("turn_seconds = [\n", "HCL syntax error"),
    ],
)
def test_bad_tfvars_is_an_error_with_its_location(tmp_path: Path, text: str, message: str) -> None:
    config = copy_dir(PAYMENTS, tmp_path / "payments")
    (config / "terraform.tfvars").write_text(text, encoding="utf-8")
    with pytest.raises(InputReadError, match=message) as info:
        import_terraform(config)
    assert str(info.value).startswith(f"{config / 'terraform.tfvars'}:")


# --- dates out of range: one line and exit code 2, never a traceback -------------------------


@pytest.mark.parametrize(
    "argv",
    [
        ["render", "--since", "9999-12-30"],
        ["render", "--since", "0001-01-01"],
        ["render", "--since", "2025-03-03", "--days", "999999999"],
        ["render", "--since", "8999-12-01", "--days", "40"],
        ["check", "--since", "9999-12-01", "--until", "9999-12-31"],
        ["report", "--since", "9999-12-01", "--until", "9999-12-31"],
        ["escalation", "--at", "9999-12-31T23:50", "--policy", "Payments Escalation"],
        ["audit", "--since", "9999-12-01", "--max-examples", "2"],
        ["ics", "--since", "9999-12-01", "--until", "9999-12-31"],
    ],
)
def test_dates_out_of_range_are_usage_errors(
    argv: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(capsys, argv[0], PAYMENTS, "-q", *argv[1:])
    assert code == 2
    assert len(err.splitlines()) == 1
    assert "out of range" in err and "Traceback" not in err


def test_terraform_timestamp_out_of_range_names_its_line(tmp_path: Path) -> None:
    config = copy_dir(PAYMENTS, tmp_path / "payments")
    schedules = config / "schedules.tf"
    schedules.write_text(
        schedules.read_text(encoding="utf-8").replace(
            '"2024-12-31T00:00:00Z"', '"9999-12-31T23:59:00Z"'
        ),
        encoding="utf-8",
    )
    with pytest.raises(InputReadError) as info:
        import_terraform(config)
    assert str(info.value) == (
        f"{schedules}:37: pagerduty_schedule.payments_primary.layer[2]: end "
        "'9999-12-31T23:59:00Z' is out of range; use a time in the years 1970 to 8999"
    )


# --- escalation: notes are read in full, not cut at the end of a row -------------------------


def test_escalation_round_robin_note_is_shown_in_full(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "escalation", PAYMENTS, "-q", "--at", "2025-03-04T12:00")
    assert code == 0
    lines = out.splitlines()
    assert max(len(line) for line in lines) <= 80
    assert lines[2].split() == ["After", "When", "Lvl/loop", "Who", "Note", "Via"]
    assert lines[4].split()[-4:] == ["Amara", "Okafor", "[1]", "direct"]
    assert lines[-2:] == [
        "  [1] round robin: this incident goes to one target of this level, the next in",
        "      the ring",
    ]


def test_escalation_skipped_level_says_why(capsys: pytest.CaptureFixture[str]) -> None:
    # Saturday evening: the AMER layer is restricted to weekdays, so nobody is on call.
    code, out, _ = run(
        capsys, "escalation", BYOT / "sun", "-q", "--at", "2025-03-08T18:00", "--policy", "Platform"
    )
    assert code == 0
    assert out.splitlines()[3].split()[-5:] == ["nobody", "[1]", "schedule", "Platform", "follow…"]
    assert out.splitlines()[-1] == "  [1] skipped: nobody on call"


# --- check: --tz is the zone of the text output too ------------------------------------------


def test_check_text_shows_when_in_the_zone_given(capsys: pytest.CaptureFixture[str]) -> None:
    argv = ["check", PAYMENTS, "-q", "--since", "2025-03-03T00:00Z", "--select", "OCP203"]
    _, default, _ = run(capsys, *argv)
    _, new_york, _ = run(capsys, *argv, "--tz", "America/New_York")
    assert "    when: Mon 2025-03-24 10:00 -> Mon 2025-03-31 02:00 Europe/Berlin\n" in default
    assert "    when: Mon 2025-03-24 05:00 -> Sun 2025-03-30 20:00 America/New_York\n" in new_york


# --- diff: fits 80 columns with real names ---------------------------------------------------


def test_diff_of_two_versions_fits_80_columns(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # The proposed change: Dolores joins the weekly rotation and Bjørn moves after Chen.
    after = copy_dir(PAYMENTS, tmp_path / "after")
    schedules = after / "schedules.tf"
    text = schedules.read_text(encoding="utf-8")
    old = "      pagerduty_user.bjorn.id,\n      pagerduty_user.chen.id,\n    ]"
    new = (
        "      pagerduty_user.chen.id,\n      pagerduty_user.bjorn.id,\n"
        "      pagerduty_user.dolores.id,\n    ]"
    )
    schedules.write_text(text.replace(old, new, 1), encoding="utf-8")
    code, out, _ = run(
        capsys, "diff", PAYMENTS, after, "-q", "--since", "2025-03-03", "--days", "28"
    )
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == "Schedule 'Payments Primary' (Europe/Berlin): 5 changes"
    assert lines[1:3] == [
        "  Mon 2025-03-03 00:00 CET → Mon 2025-03-03 09:00 CET (9 h)",
        "      Bjørn Lindqvist → Chen Wei",
    ]
    assert max(len(line) for line in lines) <= 80
    assert "      Chen Wei → Bjørn Lindqvist" in lines


# --- every option of every command is documented ---------------------------------------------


def test_every_option_is_in_docs_cli_md() -> None:
    import argparse

    from oncall_planner.cli import build_parser

    docs = (Path(__file__).resolve().parents[1] / "docs" / "cli.md").read_text(encoding="utf-8")
    parser = build_parser()
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    missing = [
        f"{command} {option}"
        for command, command_parser in sub.choices.items()
        for action in command_parser._actions
        for option in action.option_strings
        if option.startswith("--") and option != "--help" and option not in docs
    ]
    assert missing == []


# --- SARIF: each result points at the block it is about ---------------------------------------

REPO = BYOT.parents[2]


@pytest.fixture
def at_repo_root(monkeypatch: pytest.MonkeyPatch) -> None:
    """SARIF URIs are relative to the folder the command runs in (the checkout in CI)."""
    monkeypatch.chdir(REPO)


def rel(path: Path) -> str:
    """How SARIF names a file of the repository: relative to its root, with forward slashes."""
    return path.relative_to(REPO).as_posix()


def sarif_locations(capsys: pytest.CaptureFixture[str], config: Path) -> dict[str, tuple[str, int]]:
    import json

    _, out, _ = run(capsys, "check", config, "-q", "--since", "2025-03-03", "--format", "sarif")
    out_map = {}
    for result in json.loads(out)["runs"][0]["results"]:
        subject = result["message"]["text"].split(": ")[0]
        physical = result["locations"][0]["physicalLocation"]
        out_map[subject] = (physical["artifactLocation"]["uri"], physical["region"]["startLine"])
    return out_map


def test_sarif_tells_a_schedule_from_a_policy_of_the_same_name(
    capsys: pytest.CaptureFixture[str], at_repo_root: None
) -> None:
    # CDKTF stacks (and the README) often call the schedule and its policy the same: 'Ops'.
    cdk = rel(BYOT / "cdktf-ops" / "cdk.tf.json")
    locations = sarif_locations(capsys, BYOT / "cdktf-ops")
    assert locations["Schedule 'Ops'"] == (cdk, 22)
    assert locations["Schedule 'Ops', layer 'Weekdays'"] == (cdk, 25)
    assert locations["EscalationPolicy 'Ops'"] == (cdk, 41)


def test_sarif_points_users_and_levels_at_their_blocks(
    capsys: pytest.CaptureFixture[str], at_repo_root: None
) -> None:
    # check infra/pagerduty --format sarif: a directory is no file for code scanning to show.
    locations = sarif_locations(capsys, PAYMENTS)
    users = rel(PAYMENTS / "users.tf")
    escalation = rel(PAYMENTS / "escalation.tf")
    assert locations["User 'Amara Okafor' <amara@payments.example>"] == (users, 1)
    assert locations["User 'Chen Wei' <chen@payments.example>"] == (users, 13)
    assert locations["EscalationPolicy 'Payments Escalation', level 2"] == (escalation, 14)
    assert locations["EscalationPolicy 'Payments Escalation', level 3"] == (escalation, 32)
    assert locations["EscalationPolicy 'Payments Escalation'"] == (escalation, 1)


# --- Python plans and empty plans: messages that say what is wrong ---------------------------


def test_python_plan_syntax_error_names_its_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    plan = tmp_path / "plan.py"
    plan.write_text("from oncall_planner import OnCallPlan\nplan = OnCallPlan(\n", encoding="utf-8")
    code, _, err = run(capsys, "render", plan)
    assert code == 2
    assert err == f"oncall-planner render: error: {plan}:2: SyntaxError: '(' was never closed\n"


def test_escalation_on_a_plan_without_policies_says_so(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    plan = tmp_path / "plan.py"
    plan.write_text(
        "from oncall_planner import OnCallPlan\nplan = OnCallPlan()\n", encoding="utf-8"
    )
    code, _, err = run(capsys, "escalation", plan, "--at", "2025-03-03")
    assert code == 2
    assert err == f"oncall-planner escalation: error: {plan}: the plan has no escalation policies\n"


# --- emit --now: no ended layer written back into Terraform ----------------------------------


def test_emit_now_leaves_out_ended_layers_and_says_so(capsys: pytest.CaptureFixture[str]) -> None:
    import json

    code, out, err = run(capsys, "emit", PAYMENTS, "--now", "2025-03-03")
    assert code == 0
    layers = json.loads(out)["resource"]["pagerduty_schedule"]["payments_primary"]["layer"]
    assert [layer["name"] for layer in layers] == ["Weekly", "Weekday days"]
    assert "left out: Schedule 'Payments Primary': layer 'Old nights' ended at" in err
    _, kept, _ = run(capsys, "emit", PAYMENTS, "-q")
    kept_layers = json.loads(kept)["resource"]["pagerduty_schedule"]["payments_primary"]["layer"]
    assert [layer["name"] for layer in kept_layers] == ["Weekly", "Weekday days", "Old nights"]


def test_render_at_with_format_json_gives_json(capsys: pytest.CaptureFixture[str]) -> None:
    import json

    code, out, _ = run(
        capsys, "render", PAYMENTS, "-q", "--at", "2025-03-04T12:00", "--format", "json"
    )
    assert code == 0
    doc = json.loads(out)
    assert doc["at"] == "2025-03-04T11:00:00Z"  # 12:00 in Berlin, the first schedule's zone
    primary = doc["schedules"][0]
    assert (primary["name"], primary["user"]) == ("Payments Primary", "chen@payments.example")
    assert [layer["user"] for layer in primary["layers"]] == ["chen@payments.example", None, None]


def test_sarif_for_a_directory_never_points_at_the_directory(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], at_repo_root: None
) -> None:
    import json

    # Pages outside the window give a finding about "page history", which no block declares.
    pages = tmp_path / "incidents.csv"
    pages.write_text(
        "id,created_on,escalation_policy_name,assigned_to_user_names\n"
        "P1,2024-01-02T03:04:00Z,Payments Escalation,Amara Okafor\n",
        encoding="utf-8",
    )
    _, out, _ = run(
        capsys,
        "check",
        PAYMENTS,
        "-q",
        "--since",
        "2025-03-03",
        "--format",
        "sarif",
        "--pages",
        pages,
        "--select",
        "OCP503",
    )
    results = json.loads(out)["runs"][0]["results"]
    uris = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in results}
    assert results and uris == {rel(PAYMENTS / "escalation.tf")}


# --- ics: options that pick calendars are honoured or refused, never ignored -----------------


def test_ics_person_on_one_schedule(capsys: pytest.CaptureFixture[str]) -> None:
    argv = [
        "ics",
        PAYMENTS,
        "-q",
        "--since",
        "2025-03-03",
        "--days",
        "28",
        "--person",
        "amara@payments.example",
    ]
    _, everywhere, _ = run(capsys, *argv)
    code, secondary, _ = run(capsys, *argv, "--schedule", "Payments Secondary")
    assert code == 0
    assert "SUMMARY:On call: Payments Primary" in everywhere
    assert "SUMMARY:On call: Payments Primary" not in secondary
    assert secondary.count("BEGIN:VEVENT") == 2  # weeks 2 and 4 of a three-person rotation
    assert "X-WR-CALNAME:On call: Amara Okafor" in secondary


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--split", "person", "-o", "x.ics"], "not --output"),
        (
            ["--split", "schedule", "--person", "amara@payments.example"],
            "with --split schedule, leave it out",
        ),
    ],
)
def test_ics_options_that_cannot_go_together_are_refused(
    tmp_path: Path, extra: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(capsys, "ics", PAYMENTS, "-q", "--output-dir", tmp_path, *extra)
    assert code == 2
    assert message in err and len(err.splitlines()) == 1


def test_ics_split_never_overwrites_a_calendar_whose_name_slugs_alike(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    plan = tmp_path / "plan.py"
    plan.write_text(
        "import datetime as dt\n"
        "from zoneinfo import ZoneInfo\n"
        "from oncall_planner import Layer, OnCallPlan, Schedule, User\n"
        "team = [User('Ann', 'ann@example.com'), User('Ben', 'ben@example.com')]\n"
        "start = dt.datetime(2025, 3, 3, tzinfo=ZoneInfo('Etc/UTC'))\n"
        "layer = Layer('L', team, start, dt.timedelta(weeks=1))\n"
        "plan = OnCallPlan([Schedule('Ops (EU)', 'Etc/UTC', [layer]),\n"
        "                   Schedule('Ops EU', 'Etc/UTC', [layer])])\n",
        encoding="utf-8",
    )
    out_dir = tmp_path / "calendars"
    code, _, err = run(
        capsys, "ics", plan, "--since", "2025-03-03", "--split", "schedule", "--output-dir", out_dir
    )
    assert code == 0 and "wrote 2 calendar(s)" in err
    files = sorted(out_dir.iterdir())
    assert len(files) == 2 and all(f.name.startswith("ops-eu-") for f in files)
    texts = [f.read_bytes().decode("utf-8") for f in files]
    names = {text.split("X-WR-CALNAME:")[1].split("\r\n")[0] for text in texts}
    assert names == {"Ops (EU)", "Ops EU"}
