"""The builders for plain blocks of Terraform JSON (``plainbuild``) against the general ones.

``plainbuild`` reads the decoded objects of plain memberships, data users, schedules and
escalation policies directly; ``build.READ_PLAIN = False`` reads every object through the
general builders. These tests hold the two to the same imports: plans, locations, addresses,
findings, messages, refusals and evaluation steps.
"""

from __future__ import annotations

import json
import tempfile
from collections import Counter
from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from oncall_planner import InputReadError, OnCallPlan, Team
from oncall_planner.emit.terraform_json import dumps, to_terraform_json
from oncall_planner.ingest import import_terraform
from oncall_planner.ingest.terraform import build

DATA = Path(__file__).resolve().parent / "data"


def _outcome(source: Any, monkeypatch: pytest.MonkeyPatch) -> Any:
    from oncall_planner.ingest.terraform.expressions import Evaluator

    made: list[Evaluator] = []
    original = Evaluator.__init__

    def record(self: Evaluator, *args: Any) -> None:
        original(self, *args)
        made.append(self)

    monkeypatch.setattr(Evaluator, "__init__", record)
    try:
        result = import_terraform(source)
    except InputReadError as exc:
        return ("refused", str(exc))
    finally:
        monkeypatch.setattr(Evaluator, "__init__", original)
    return (
        repr(result.plan),
        list(result.locations.items()),
        list(result.addresses.items()),
        [(repr(n), str(n), n.hint) for n in result.notes],
        result.ignored,
        result.report(),
        made[-1].steps if made else None,
    )


def _both_ways(source: Any, monkeypatch: pytest.MonkeyPatch) -> tuple[Any, Any]:
    plain = _outcome(source, monkeypatch)
    monkeypatch.setattr(build, "READ_PLAIN", False)
    general = _outcome(source, monkeypatch)
    monkeypatch.setattr(build, "READ_PLAIN", True)
    return plain, general


def _emitted_seed(tmp_path: Path) -> Path:
    """The seed organisation as the emitter writes it, with its users in two teams."""
    path = tmp_path / "org.tf.json"
    plan = import_terraform(DATA / "seed-pagerduty.tf").plan
    users = sorted(plan.users, key=lambda u: u.email)
    teams = [Team("Platform", users[::2]), Team("Payments", users[1::2])]
    policies = [
        attrs.evolve(policy, team=teams[i % 2]) for i, policy in enumerate(plan.escalation_policies)
    ]
    organisation = OnCallPlan(plan.schedules, policies, plan.users, teams)
    path.write_text(dumps(to_terraform_json(organisation)), encoding="utf-8")
    return path


def _plain_built(path: Path, monkeypatch: pytest.MonkeyPatch) -> Counter[str]:
    """How many objects of each type the plain builders built importing ``path``."""
    built: Counter[str] = Counter()
    for key, entry in build.BUILDERS.items():
        if entry.plain is not None:

            def counted(obj: Any, ctx: Any, plain: Any = entry.plain, rtype: str = key[1]) -> Any:
                made = plain(obj, ctx)
                if made is not None:
                    built[rtype] += 1
                return made

            monkeypatch.setattr(entry, "plain", counted)
    import_terraform(path)
    return built


def test_the_plain_builders_build_the_emitters_organisation(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # what the comparisons below rest on: the plain builders do build such a file
    built = _plain_built(_emitted_seed(tmp_path), monkeypatch)
    assert set(built) == {
        "pagerduty_user",
        "pagerduty_team_membership",
        "pagerduty_schedule",
        "pagerduty_escalation_policy",
    }


def test_the_emitters_organisation_imports_alike_both_ways(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    plain, general = _both_ways(_emitted_seed(tmp_path), monkeypatch)
    assert plain == general
    assert plain[-1] > 20  # steps were counted


@pytest.mark.parametrize(
    "path", sorted([*DATA.rglob("*.tf.json"), DATA / "cdk.tf.json"]), ids=lambda p: p.name
)
def test_json_files_of_the_tests_import_alike_both_ways(
    path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    plain, general = _both_ways(path, monkeypatch)
    assert plain == general


_ABSENT = "<absent>"


def _valid_organisation() -> dict[str, Any]:
    """An organisation every plain builder builds: the base the mutations below change."""
    layer = {
        "name": "Weekly",
        "start": "2025-01-06T14:00:00Z",
        "rotation_virtual_start": "2025-01-06T14:00:00Z",
        "rotation_turn_length_seconds": 604800,
        "users": ["${data.pagerduty_user.a.id}", "${pagerduty_user.m.id}"],
    }
    return {
        "data": {
            "pagerduty_user": {"a": {"email": "a@example.com"}, "b": {"email": "b@example.com"}},
            "pagerduty_schedule": {"d": {"name": "Elsewhere"}},
        },
        "resource": {
            "pagerduty_user": {"m": {"name": "M", "email": "m@example.com"}},
            "pagerduty_team": {"t": {"name": "T"}},
            "pagerduty_team_membership": {
                "x": {
                    "team_id": "${pagerduty_team.t.id}",
                    "user_id": "${data.pagerduty_user.a.id}",
                },
                "y": {"team_id": "${pagerduty_team.t.id}", "user_id": "${pagerduty_user.m.id}"},
            },
            "pagerduty_schedule": {
                "s": {
                    "name": "Primary",
                    "time_zone": "America/New_York",
                    "layer": [
                        dict(layer),
                        {**layer, "name": "Second", "end": "2026-01-01T00:00:00Z"},
                    ],
                },
                "r": {"name": "Secondary", "time_zone": "Etc/UTC", "layer": [dict(layer)]},
            },
            "pagerduty_escalation_policy": {
                "p": {
                    "name": "P",
                    "num_loops": 2,
                    "teams": ["${pagerduty_team.t.id}"],
                    "rule": [
                        {
                            "escalation_delay_in_minutes": 10,
                            "target": [
                                {"id": "${pagerduty_schedule.s.id}", "type": "schedule_reference"},
                                {"id": "${data.pagerduty_user.b.id}", "type": "user_reference"},
                            ],
                        },
                        {
                            "escalation_delay_in_minutes": 30,
                            "target": [
                                {"id": "${pagerduty_schedule.r.id}", "type": "schedule_reference"}
                            ],
                        },
                    ],
                }
            },
        },
    }


_REFS = [
    "${data.pagerduty_user.b.id}",
    "${pagerduty_user.m.id}",
    "${pagerduty_user.nobody.id}",
    "${pagerduty_team.t.id}",
    "${pagerduty_schedule.r.id}",
    "${data.pagerduty_schedule.d.id}",
    "${var.x}",
    "PUSER01",
]
_TIMES = [
    _ABSENT,
    None,
    "2025-01-06T09:00:00-05:00",
    "2025-01-06T00:00:30Z",
    "2024-01-01T00:00:00Z",
    "yesterday",
    "${var.when}",
    7,
]
_NAMES = ["", "x" * 300, "a\x00b", "\x00ID(x)", "${var.name}", 3, "Secondary", "T"]
_LAYER = ("resource", "pagerduty_schedule", "s", "layer", 0)
_RULE = ("resource", "pagerduty_escalation_policy", "p", "rule", 0)
_MUTATIONS: list[tuple[tuple[Any, ...], list[Any]]] = [
    (("data", "pagerduty_user", "a", "email"), ["", "${var.e}", 5, "M@example.com", None]),
    (("resource", "pagerduty_team", "t"), [_ABSENT]),
    (("resource", "pagerduty_user", "m", "email"), ["b@example.com", "${var.e}"]),
    (("resource", "pagerduty_team_membership", "x", "team_id"), _REFS),
    (("resource", "pagerduty_team_membership", "x", "user_id"), _REFS),
    (("resource", "pagerduty_schedule", "s", "name"), _NAMES),
    (("resource", "pagerduty_schedule", "s", "time_zone"), ["Mars/Base", "${var.tz}", 3]),
    (("resource", "pagerduty_schedule", "s", "description"), ["on call", "${var.t}", None]),
    (("resource", "pagerduty_schedule", "s", "teams"), [["${pagerduty_team.t.id}"], [], None]),
    (("resource", "pagerduty_schedule", "s", "layer"), [[], {"name": "L"}, _ABSENT]),
    ((*_LAYER, "name"), [_ABSENT, None, *_NAMES]),
    ((*_LAYER, "start"), _TIMES),
    ((*_LAYER, "rotation_virtual_start"), _TIMES),
    ((*_LAYER, "end"), _TIMES),
    ((*_LAYER, "rotation_turn_length_seconds"), [_ABSENT, 60, 3600, True, "86400", 10**9]),
    ((*_LAYER, "users"), [[], ["${var.u}"], "${var.u}", [*_REFS[:3], "${pagerduty_user.m.id}"]]),
    ((*_LAYER, "users", 0), _REFS),
    (
        (*_LAYER, "restriction"),
        [
            {
                "type": "daily_restriction",
                "start_time_of_day": "09:00:00",
                "duration_seconds": 3600,
            },
            {
                "type": "weekly_restriction",
                "start_time_of_day": "09:00:00",
                "duration_seconds": 32101,
            },
        ],
    ),
    (("resource", "pagerduty_escalation_policy", "p", "name"), _NAMES),
    (("resource", "pagerduty_escalation_policy", "p", "description"), ["pages", None, "${var.d}"]),
    (("resource", "pagerduty_escalation_policy", "p", "num_loops"), [_ABSENT, None, 0, 12, True]),
    (
        ("resource", "pagerduty_escalation_policy", "p", "teams"),
        [_ABSENT, [], ["${pagerduty_team.t.id}"] * 2, ["${pagerduty_user.m.id}"], ["PTEAM01"]],
    ),
    (
        ("resource", "pagerduty_escalation_policy", "p", "rule"),
        [[], {"escalation_delay_in_minutes": 5}],
    ),
    ((*_RULE, "escalation_delay_in_minutes"), [_ABSENT, 0, True, 600_000, "10"]),
    ((*_RULE, "target"), [_ABSENT, []]),
    ((*_RULE, "escalation_rule_assignment_strategy"), [{"type": "round_robin"}, {"type": "x"}]),
    (
        (*_RULE, "target", 0, "type"),
        [_ABSENT, None, "", "schedule", "team", "user", "schedule_v3_reference"],
    ),
    ((*_RULE, "target", 0, "id"), [_ABSENT, *_REFS, "PSCHED1"]),
]


def _mutated(document: dict[str, Any], path: tuple[Any, ...], value: Any) -> None:
    where: Any = document
    for step in path[:-1]:
        if (isinstance(where, dict) and step in where) or (
            isinstance(where, list) and isinstance(step, int) and step < len(where)
        ):
            where = where[step]
        else:
            return  # an earlier mutation took it away
    last = path[-1]
    if isinstance(where, list):
        if isinstance(last, int) and last < len(where):
            where[last] = value
    elif isinstance(where, dict):
        if value == _ABSENT:
            where.pop(last, None)
        else:
            where[last] = value


#: Every single mutation: the path and the value it writes there.
_SINGLE = [(path, value) for path, values in _MUTATIONS for value in values]


def _imports_alike(mutations: list[tuple[tuple[Any, ...], Any]], indent: int | None) -> None:
    document = _valid_organisation()
    for path, value in mutations:
        _mutated(document, path, value)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "main.tf.json"
        path.write_text(json.dumps(document, indent=indent), encoding="utf-8")
        with pytest.MonkeyPatch.context() as monkeypatch:
            plain, general = _both_ways(path, monkeypatch)
    assert plain == general


@pytest.mark.parametrize(
    "mutation", _SINGLE, ids=[f"{'.'.join(map(str, p[2:]))}={v!r:.20}" for p, v in _SINGLE]
)
def test_each_change_to_an_organisation_imports_alike_both_ways(
    mutation: tuple[tuple[Any, ...], Any],
) -> None:
    _imports_alike([mutation], 1)


@given(mutations=st.lists(st.sampled_from(_SINGLE), min_size=2, max_size=4))
def test_changes_together_import_alike_both_ways(
    mutations: list[tuple[tuple[Any, ...], Any]],
) -> None:
    _imports_alike(mutations, None)


def test_the_valid_organisation_is_built_by_the_plain_builders(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # the base of the mutations takes the plain builders' path for every object
    path = tmp_path / "main.tf.json"
    path.write_text(json.dumps(_valid_organisation()), encoding="utf-8")
    assert _plain_built(path, monkeypatch) == Counter(
        {
            "pagerduty_user": 2,
            "pagerduty_team_membership": 2,
            "pagerduty_schedule": 2,
            "pagerduty_escalation_policy": 1,
        }
    )
