"""The corpus: configurations modelled on real public PagerDuty Terraform (tests/data/corpus,
SOURCES.md says which), each with the facts it declares written by hand in ``expected.json``.

The expected facts are read from ``expected.json`` and compared with what the importer made;
nothing here derives them from the importer. A configuration imports *fully* when nothing is
left out (no OCP601/OCP603); ``expected.json`` lists what is unknowable offline where the
original is written that way. Where the input folder calls modules above it (a repository's
``examples/`` calling ``../modules``), ``expected.json`` names the ``root`` that holds them and
the module calls that lead above the input (``above_the_input``): without ``root`` they are not
read, with it everything is.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest

from oncall_planner import InputReadError
from oncall_planner.ingest import TerraformImport, import_terraform

CORPUS = Path(__file__).resolve().parent / "data" / "corpus"
ALL = sorted(p.parent.name for p in CORPUS.glob("*/expected.json"))


def expectation(name: str) -> dict[str, Any]:
    return json.loads((CORPUS / name / "expected.json").read_text(encoding="utf-8"))  # type: ignore[no-any-return]


#: Configurations Terraform (with the provider) accepts, and those it refuses.
CASES = [n for n in ALL if "error" not in expectation(n)]
REFUSED = [n for n in ALL if "error" in expectation(n)]


def load(name: str) -> tuple[dict[str, Any], TerraformImport]:
    expected = expectation(name)
    source = CORPUS / name / expected.get("input", ".")
    root = CORPUS / name / expected["root"] if "root" in expected else None
    result = import_terraform(source, variables=expected.get("variables"), root=root)
    return expected, result


#: Configurations whose input folder calls modules above it.
ABOVE = [n for n in ALL if "above_the_input" in expectation(n)]


@pytest.mark.parametrize("name", REFUSED)
def test_refused_configurations_are_refused_naming_the_line(name: str) -> None:
    expected = expectation(name)
    with pytest.raises(InputReadError) as info:
        import_terraform(CORPUS / name / expected.get("input", "."))
    assert expected["error"] in str(info.value)


@pytest.mark.parametrize("name", ABOVE)
def test_without_a_root_modules_above_the_input_are_not_read_and_the_hint_names_the_root(
    name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    expected = expectation(name)
    monkeypatch.chdir(CORPUS)
    result = import_terraform(Path(name) / expected["input"], variables=expected.get("variables"))
    outside = [w for w in result.warnings if w.code == "OCP603"]
    assert sorted(w.subject for w in outside) == sorted(expected["above_the_input"])
    for warning in outside:
        assert "leads outside the folder the import was given" in warning.message
        assert warning.location.line is not None, str(warning)
        assert warning.hint is not None
        assert f"--root {Path(name) / expected['root']} " in warning.hint


@pytest.mark.parametrize("name", ABOVE)
def test_with_the_root_given_no_module_is_left_unread(name: str) -> None:
    # What the modules declare is compared with expected.json by the tests below.
    _, result = load(name)
    assert [w for w in result.warnings if w.code == "OCP603"] == []


def utc(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text.replace("Z", "+00:00")).astimezone(dt.timezone.utc)


def restriction_facts(restriction: Any) -> list[Any]:
    return [
        restriction.kind,
        restriction.start_time_of_day.strftime("%H:%M"),
        int(restriction.duration.total_seconds()),
        restriction.start_day_of_week,
    ]


def target_fact(target: Any) -> str:
    if target.schedule is not None:
        return f"schedule:{target.schedule.name}"
    return f"user:{target.user.email}"


def test_the_corpus_has_at_least_thirty_configurations() -> None:
    assert len(ALL) >= 30


def test_every_configuration_names_its_source() -> None:
    sources = (CORPUS / "SOURCES.md").read_text(encoding="utf-8")
    for name in ALL:
        assert f"`{name}`" in sources, f"SOURCES.md does not name {name}"


@pytest.mark.parametrize("name", CASES)
def test_schedules_are_those_the_configuration_declares(name: str) -> None:
    expected, result = load(name)
    got = {s.name: s for s in result.plan.schedules}
    assert sorted(got) == sorted(expected.get("schedules", {}))
    for sname, want in expected.get("schedules", {}).items():
        schedule = got[sname]
        assert schedule.time_zone == want["time_zone"], sname
        assert len(schedule.layers) == len(want["layers"]), sname
        for layer, facts in zip(schedule.layers, want["layers"]):
            assert layer.name == facts["name"], sname
            assert [u.email for u in layer.users] == facts["users"], (sname, layer.name)
            assert layer.start == utc(facts["start"]), (sname, layer.name)
            virtual = facts.get("rotation_virtual_start", facts["start"])
            assert layer.rotation_virtual_start == utc(virtual), (sname, layer.name)
            assert layer.turn_length.total_seconds() == facts["turn"], (sname, layer.name)
            end = facts.get("end")
            assert layer.end == (utc(end) if end else None), (sname, layer.name)
            got_restrictions = [restriction_facts(r) for r in layer.restrictions]
            assert got_restrictions == facts.get("restrictions", []), (sname, layer.name)


def member_fact(member: Any) -> str:
    return getattr(member, "email", "empty")


def event_facts(event: Any) -> dict[str, Any]:
    """An event as ``expected.json`` writes it: instants in UTC, members by email."""

    def z(value: dt.datetime | None) -> str | None:
        if value is None:
            return None
        return value.astimezone(dt.timezone.utc).isoformat().replace("+00:00", "Z")

    strategy = type(event.assignment).__name__
    facts: dict[str, Any] = {
        "name": event.name,
        "start": z(event.start_time),
        "end": z(event.end_time),
        "since": z(event.effective_since),
        "recurrence": list(event.recurrence),
        "members": [member_fact(m) for m in event.members],
    }
    if event.effective_until is not None:
        facts["until"] = z(event.effective_until)
    if strategy == "RotatingMembers":
        facts["shifts_per_member"] = event.assignment.shifts_per_member
    else:
        facts["every_member"] = True
    return facts


@pytest.mark.parametrize("name", CASES)
def test_shift_schedules_are_those_the_configuration_declares(name: str) -> None:
    expected, result = load(name)
    got = {s.name: s for s in result.plan.shift_schedules}
    assert sorted(got) == sorted(expected.get("shift_schedules", {}))
    for sname, want in expected.get("shift_schedules", {}).items():
        schedule = got[sname]
        assert schedule.time_zone == want["time_zone"], sname
        assert schedule.description == want.get("description"), sname
        assert [t.name for t in schedule.teams] == want.get("teams", []), sname
        rotations = [[event_facts(e) for e in r.events] for r in schedule.rotations]
        assert rotations == want["rotations"], sname


@pytest.mark.parametrize("name", CASES)
def test_policies_are_those_the_configuration_declares(name: str) -> None:
    expected, result = load(name)
    got = {p.name: p for p in result.plan.escalation_policies}
    assert sorted(got) == sorted(expected.get("policies", {}))
    for pname, want in expected.get("policies", {}).items():
        policy = got[pname]
        assert policy.num_loops == want.get("num_loops", 0), pname
        assert (policy.team.name if policy.team else None) == want.get("team"), pname
        rules = [
            {
                "delay": r.delay_minutes,
                "targets": [target_fact(t) for t in r.targets],
                **({"round_robin": True} if r.round_robin else {}),
            }
            for r in policy.rules
        ]
        assert rules == want["rules"], pname


@pytest.mark.parametrize("name", CASES)
def test_users_and_teams_are_those_the_configuration_declares(name: str) -> None:
    expected, result = load(name)
    if "users" in expected:
        assert sorted(u.email for u in result.plan.users) == sorted(expected["users"])
    if "teams" in expected:
        got = {t.name: sorted(u.email for u in t.members) for t in result.plan.teams}
        assert got == {k: sorted(v) for k, v in expected["teams"].items()}


@pytest.mark.parametrize("name", CASES)
def test_what_is_left_out_is_named_precisely(name: str) -> None:
    expected, result = load(name)
    left_out = sorted(w.subject for w in result.warnings if w.code in ("OCP601", "OCP603"))
    assert left_out == sorted(expected.get("not_imported", []))
    for warning in result.warnings:
        assert warning.location.line is not None, str(warning)
    assert len(result.placeholders) == expected.get("placeholders", 0)
