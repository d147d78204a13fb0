"""The builders for plain blocks of Terraform JSON (``plainbuild``) against the general ones.

``plainbuild`` reads the decoded objects of plain memberships, data users, schedules and
escalation policies directly; ``build.READ_PLAIN = False`` reads every object through the
general builders. These tests hold the two to the same imports: plans, locations, addresses,
findings, messages, refusals and evaluation steps.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
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


def test_the_plain_builders_build_the_emitters_organisation(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # what the comparisons below rest on: the plain builders do build such a file
    built: Counter[str] = Counter()
    for key, entry in build.BUILDERS.items():
        if entry.plain is not None:

            def counted(obj: Any, ctx: Any, plain: Any = entry.plain, rtype: str = key[1]) -> Any:
                made = plain(obj, ctx)
                if made is not None:
                    built[rtype] += 1
                return made

            monkeypatch.setattr(entry, "plain", counted)
    import_terraform(_emitted_seed(tmp_path))
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


_USER_REFS = [
    "${data.pagerduty_user.a.id}",
    "${data.pagerduty_user.b.id}",
    "${pagerduty_user.m.id}",
    "${pagerduty_user.nobody.id}",
    "${pagerduty_team.t.id}",
    "PUSER01",
]
_SCHEDULE_REFS = [
    "${pagerduty_schedule.s.id}",
    "${pagerduty_schedule.r.id}",
    "${data.pagerduty_schedule.d.id}",
    "${pagerduty_team.t.id}",
    "PSCHED1",
]
_TIMES = st.sampled_from(
    [
        "2025-01-06T00:00:00Z",
        "2025-01-06T09:00:00-05:00",
        "2025-01-06T00:00:30Z",
        "2025-02-01T00:00:00Z",
        "yesterday",
        "${var.when}",
        7,
    ]
)


def _maybe(strategy: Any) -> Any:
    return st.one_of(st.just(_ABSENT), st.none(), strategy)


_ABSENT = object()


def _dict(**fields: Any) -> Any:
    return st.fixed_dictionaries(fields).map(
        lambda d: {k: v for k, v in d.items() if v is not _ABSENT}
    )


_NAMES = st.sampled_from(["S", "Primary", "", "x" * 300, "a\x00b", "${var.name}", 3])
_RESTRICTION = _dict(
    type=st.sampled_from(["daily_restriction", "weekly_restriction", "monthly"]),
    start_time_of_day=st.sampled_from(["09:00:00", "25:00:00"]),
    duration_seconds=st.sampled_from([3600, 32101, 0]),
    start_day_of_week=_maybe(st.sampled_from([1, 8])),
)
_LAYER = _dict(
    name=_maybe(_NAMES),
    start=_maybe(_TIMES),
    rotation_virtual_start=_maybe(_TIMES),
    end=_maybe(_TIMES),
    rotation_turn_length_seconds=_maybe(
        st.sampled_from([86400, 3600, 60, 604800, True, "86400", 99_999_999])
    ),
    users=_maybe(st.lists(st.sampled_from(_USER_REFS), max_size=3)),
    restriction=st.one_of(st.just(_ABSENT), _RESTRICTION, st.lists(_RESTRICTION, max_size=2)),
)
_SCHEDULE = _dict(
    name=_NAMES,
    time_zone=st.sampled_from(["Etc/UTC", "America/New_York", "Mars/Base", "${var.tz}"]),
    description=_maybe(st.sampled_from(["on call", "${var.text}"])),
    teams=_maybe(st.sampled_from([["${pagerduty_team.t.id}"], []])),
    layer=st.one_of(st.just(_ABSENT), _LAYER, st.lists(_LAYER, max_size=2)),
)
_TARGET = _dict(
    type=_maybe(st.sampled_from(["user_reference", "schedule_reference", "schedule", "team", ""])),
    id=_maybe(st.sampled_from(_USER_REFS + _SCHEDULE_REFS)),
)
_RULE = _dict(
    escalation_delay_in_minutes=_maybe(st.sampled_from([10, 0, True, 600_000])),
    target=st.one_of(st.just(_ABSENT), _TARGET, st.lists(_TARGET, max_size=2)),
    escalation_rule_assignment_strategy=st.one_of(
        st.just(_ABSENT), _dict(type=st.sampled_from(["round_robin", "assign_to_everyone"]))
    ),
)
_POLICY = _dict(
    name=_NAMES,
    description=_maybe(st.just("pages")),
    num_loops=_maybe(st.sampled_from([0, 2, 12, True])),
    teams=_maybe(
        st.sampled_from(
            [
                ["${pagerduty_team.t.id}"],
                [],
                ["${pagerduty_team.t.id}", "${pagerduty_team.t.id}"],
                ["${pagerduty_user.m.id}"],
                ["PTEAM01"],
            ]
        )
    ),
    rule=st.one_of(st.just(_ABSENT), _RULE, st.lists(_RULE, max_size=2)),
)
_MEMBERSHIP = _dict(
    team_id=st.sampled_from(["${pagerduty_team.t.id}", "${pagerduty_user.m.id}", "PTEAM01"]),
    user_id=st.sampled_from(_USER_REFS),
)
_EMAILS = st.sampled_from(["a@example.com", "M@example.com", "b@example.com", "", "${var.e}", 5])


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(
    schedules=st.dictionaries(st.sampled_from(["s", "r"]), _SCHEDULE, max_size=2),
    policies=st.dictionaries(st.sampled_from(["p", "q"]), _POLICY, max_size=2),
    memberships=st.dictionaries(st.sampled_from(["x", "y"]), _MEMBERSHIP, max_size=2),
    emails=st.tuples(_EMAILS, _EMAILS),
    with_team=st.booleans(),
)
def test_any_organisation_imports_alike_both_ways(
    schedules: dict[str, Any],
    policies: dict[str, Any],
    memberships: dict[str, Any],
    emails: tuple[Any, Any],
    with_team: bool,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    resources: dict[str, Any] = {
        "pagerduty_user": {"m": {"name": "M", "email": "m@example.com"}},
        "pagerduty_schedule": schedules,
        "pagerduty_escalation_policy": policies,
        "pagerduty_team_membership": memberships,
    }
    if with_team:
        resources["pagerduty_team"] = {"t": {"name": "T"}}
    document = {
        "resource": resources,
        "data": {
            "pagerduty_user": {"a": {"email": emails[0]}, "b": {"email": emails[1]}},
            "pagerduty_schedule": {"d": {"name": "Elsewhere"}},
        },
    }
    path = tmp_path / "main.tf.json"
    path.write_text(json.dumps(document, indent=1), encoding="utf-8")
    with monkeypatch.context() as patch:
        plain, general = _both_ways(path, patch)
    assert plain == general
