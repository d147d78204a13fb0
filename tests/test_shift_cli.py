"""Every command on a plan mixing both kinds of schedule (a Python plan file)."""

from __future__ import annotations

import json
from pathlib import Path

import icalendar
import pytest

from oncall_planner.cli import main

TESTS = Path(__file__).resolve().parent

PLAN_PY = f"""
import sys
sys.path.insert(0, {str(TESTS)!r})
from shiftkit import mixed_plan
plan = mixed_plan()
"""
SINCE = ["--since", "2025-01-06", "--days", "14"]


@pytest.fixture
def plan(tmp_path: Path) -> str:
    path = tmp_path / "plan.py"
    path.write_text(PLAN_PY, encoding="utf-8")
    return str(path)


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_render_at_shows_everyone_on_call(plan: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "render", plan, "--at", "2025-01-06T13:00", "--layers")
    assert code == 0
    assert out.splitlines()[3:] == [
        "Schedule 'Support' (Etc/UTC)",
        "  Mon 2025-01-06 13:00: Cat, Eve",
        "  rotation 1 'Days': Cat",
        "  rotation 2 'Pair': Cat, Eve",
    ]


def test_render_at_as_json_lists_users(plan: str, capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = run(capsys, "render", plan, "--at", "2025-01-06T13:00", "--format", "json")
    primary, support = json.loads(out)["schedules"]
    assert primary["users"] == ["ann@example.com"] and "layers" in primary
    assert (support["user"], support["users"]) == (
        "cat@example.com",
        ["cat@example.com", "eve@example.com"],
    )
    assert [r["name"] for r in support["rotations"]] == ["Days", "Pair"]


def test_schedule_finds_a_shift_based_schedule(
    plan: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, "render", plan, "--schedule", "Support", *SINCE, "--layers")
    assert code == 0
    assert out.startswith("Schedule 'Support' (Etc/UTC)")
    assert out.splitlines()[2] == (
        "  shift-based: 2 rotations side by side, several people may be on call at once"
    )
    assert "Rotation 2 'Pair' alone" in out
    assert "  Mon 2025-01-06 12:00  Mon 2025-01-06 14:00  2h     Eve  rotation 2" in out
    assert max(len(line) for line in out.splitlines()) <= 80


def test_an_unknown_schedule_lists_both_kinds(
    plan: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(capsys, "render", plan, "--schedule", "Nope")
    assert code == 2
    assert "(schedules: 'Primary', 'Support')" in err


def test_render_json_has_rotations_sources_and_vacancies(
    plan: str, capsys: pytest.CaptureFixture[str]
) -> None:
    _, out, _ = run(capsys, "render", plan, "--schedule", "Support", *SINCE, "--format", "json")
    (support,) = json.loads(out)["schedules"]
    assert support["kind"] == "shift" and support["vacancies"] == []
    assert support["final"][0] == {
        "start": "2025-01-06T09:00:00Z",
        "end": "2025-01-06T17:00:00Z",
        "user": "cat@example.com",
        "source": "rotation 1 'Days', event 'Weekdays'",
    }


def test_check_reads_both_kinds(plan: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "check", plan, *SINCE, "--select", "OCP201,OCP301", "-q")
    assert code == 1
    assert "error OCP201 first-level-gap: ShiftSchedule 'Support'" in out


def test_escalation_lists_each_person_notified(
    plan: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, "escalation", plan, "--at", "2025-01-06T13:00", "-q")
    assert code == 0
    rows = [line.split() for line in out.splitlines()[3:]]
    assert [(r[0], r[5], r[7]) for r in rows] == [
        ("+0m", "Cat", "Support"),
        ("+0m", "Eve", "Support"),
        ("+10m", "Ann", "Primary"),
    ]


def test_report_counts_shift_based_hours(plan: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(
        capsys, "report", plan, "--since", "2025-01-06", "--until", "2025-01-20", "--format", "csv"
    )
    assert code == 0
    hours = {row.split(",")[0]: row.split(",")[5] for row in out.splitlines()[1:]}
    assert hours == {"Ann": "168.0", "Ben": "168.0", "Cat": "58.0", "Dan": "40.0", "Eve": "28.0"}


def test_audit_runs_on_a_mixed_plan(plan: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(
        capsys, "audit", plan, "--property", "not_starved", "--max-examples", "5", "-q"
    )
    assert (code, "not_starved: held" in out) == (0, True)


def test_ics_of_a_shift_based_schedule(
    plan: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(
        capsys, "ics", plan, "--schedule", "Support", "--since", "2025-01-06", "--days", "1"
    )
    assert code == 0
    events = list(icalendar.Calendar.from_ical(out).walk("VEVENT"))
    assert len(events) == 3
    code, _, _ = run(
        capsys, "ics", plan, *SINCE, "--split", "person", "--output-dir", str(tmp_path / "out")
    )
    cat = (tmp_path / "out" / "cat-example-com.ics").read_text(encoding="utf-8")
    assert code == 0 and "On call: Support" in cat


def test_diff_of_a_plan_with_itself_is_empty(plan: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "diff", plan, plan, *SINCE, "--exit-code", "-q")
    assert (code, out) == (0, "No changes: the same people are on call in both plans.\n")


def test_diff_shows_sets_of_people(
    plan: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    other = tmp_path / "other.py"
    other.write_text(
        PLAN_PY.replace(
            "plan = mixed_plan()",
            "from oncall_planner import OnCallPlan\n"
            "from shiftkit import C, D, shift_schedule, days_rotation, event, Rotation, T0, HOUR\n"
            "from oncall_planner import Rotation\n"
            "base = mixed_plan()\n"
            "noon = Rotation([event('Noon', [C, D], T0 + 12 * HOUR, 2 * HOUR, every=True)])\n"
            "support = shift_schedule('Support', days_rotation(), noon)\n"
            "plan = OnCallPlan(schedules=base.schedules, shift_schedules=[support])\n",
        ),
        encoding="utf-8",
    )
    code, out, _ = run(capsys, "diff", plan, str(other), "--since", "2025-01-06", "--days", "1")
    assert code == 0
    assert "Cat, Eve → Cat, Dan" in out
