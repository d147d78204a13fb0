"""Structural fuzzing of the importer: mutants that stay valid JSON or valid HCL, where the byte
mutations of ``test_fuzz_terraform.py`` mostly stop at the parser.

- Plan JSON, state JSON and raw state: one value anywhere in the document replaced by a value of
  another kind (null, a number, a list, an object, a long or empty string) or a key removed.
- Configuration: a reference to another object (``pagerduty_team.ops.id``) replaced by a
  reference to an undeclared object of each kind, a literal ID, a variable that does not exist.

Every mutant imports (and its plan is checked) or raises the documented error, never another
exception. Both found crashes the byte mutations had not: ``AttributeError`` on an undeclared
user named where a schedule or team must be, and ``TypeError``/``AttributeError`` on a plan or
state document whose parts are not shaped as Terraform writes them.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
import random
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from fuzzkit import DATA, SCALE, SEED, Crashes

from oncall_planner import OnCallPlannerError, check, import_terraform

DOCUMENTS = [DATA / "tfjson" / name for name in ("plan.json", "state.json", "terraform.tfstate")]
VALUES: list[Any] = [None, 0, -5, 1.5, True, [], {}, "", "P123ABC", "x" * 300, [None], {"a": 1}]
SINCE = dt.datetime(2025, 3, 3, tzinfo=dt.timezone.utc)


def _paths(node: Any, prefix: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    items = (
        node.items()
        if isinstance(node, dict)
        else enumerate(node)
        if isinstance(node, list)
        else ()
    )
    for key, value in items:
        yield (*prefix, key)
        yield from _paths(value, (*prefix, key))


def _import_and_check(path: Path) -> None:
    result = import_terraform(path)
    check(result.plan, SINCE, SINCE + dt.timedelta(days=10))


def test_plan_and_state_documents_with_a_part_of_another_kind(tmp_path: Path) -> None:
    rng = random.Random(SEED)
    crashes = Crashes((OnCallPlannerError,))
    for source in DOCUMENTS:
        original = json.loads(source.read_text(encoding="utf-8"))
        paths = list(_paths(original))
        for case in range(150 * SCALE):
            doc = copy.deepcopy(original)
            path = rng.choice(paths)
            node = doc
            for key in path[:-1]:
                node = node[key]
            if isinstance(node, dict) and rng.random() < 0.2:
                del node[path[-1]]
            else:
                node[path[-1]] = copy.deepcopy(rng.choice(VALUES))
            target = tmp_path / source.name
            target.write_text(json.dumps(doc), encoding="utf-8")
            crashes.run(f"{source.name} #{case} {path}", lambda t=target: _import_and_check(t))
    assert not crashes.found, crashes.report()


REFERENCE = re.compile(r"\b(?:data\.)?pagerduty_[a-z0-9_]+\.[A-Za-z0-9_-]+\.id\b")
REPLACEMENTS = [
    "pagerduty_user.nobody.id",
    "pagerduty_team.nobody.id",
    "pagerduty_schedule.nobody.id",
    "pagerduty_schedulev2.nobody.id",
    "pagerduty_escalation_policy.nobody.id",
    "data.pagerduty_user.nobody.id",
    "data.pagerduty_schedule.nobody.id",
    '"P123ABC"',
    "null",
    "[]",
    "var.nope",
]


def test_configurations_with_a_reference_to_an_undeclared_object(tmp_path: Path) -> None:
    rng = random.Random(SEED + 1)
    crashes = Crashes((OnCallPlannerError,))
    sources = sorted(
        p
        for p in DATA.rglob("*.tf")
        if "pagerduty_" in p.read_text(encoding="utf-8", errors="replace")
    )
    for source in sources:
        text = source.read_text(encoding="utf-8")
        spots = list(REFERENCE.finditer(text))
        for match in rng.sample(spots, min(len(spots), 3 * SCALE)):
            for replacement in REPLACEMENTS:
                folder = tmp_path / "case"
                if folder.exists():
                    shutil.rmtree(folder)
                shutil.copytree(source.parent, folder, ignore=shutil.ignore_patterns("expected*"))
                mutant = text[: match.start()] + replacement + text[match.end() :]
                (folder / source.name).write_text(mutant, encoding="utf-8")
                label = f"{source.relative_to(DATA)} {match.group(0)} -> {replacement}"
                crashes.run(label, lambda f=folder: _import_and_check(f))
    assert crashes.cases > 100
    assert not crashes.found, crashes.report()
