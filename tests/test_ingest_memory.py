"""What an import leaves behind: nothing for Python's cyclic garbage collector.

Everything an import makes in passing (blocks, nodes, resource instances, evaluated values)
must be freed by reference counting when it returns. Were any of it held in a reference cycle,
all it refers to would stay in memory until the cyclic collector ran, and that collection
(about 100 ms of CPU time after 1,000 teams) would fall on whatever the program did next.
"""

from __future__ import annotations

import contextlib
import gc
import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from oncall_planner.emit.terraform_json import dumps, to_terraform_json
from oncall_planner.ingest import import_terraform

DATA = Path(__file__).resolve().parent / "data"
CORPUS = DATA / "corpus"


def _corpus() -> Iterator[Any]:
    for expected_file in sorted(CORPUS.glob("*/expected.json")):
        expected = json.loads(expected_file.read_text(encoding="utf-8"))
        folder = expected_file.parent
        root = folder / expected["root"] if "root" in expected else None
        yield pytest.param(
            folder / expected.get("input", "."),
            {"variables": expected.get("variables"), "root": root},
            id=folder.name,
        )


INPUTS = [
    *_corpus(),
    pytest.param(DATA / "seed-pagerduty.tf", {}, id="seed-hcl"),
    pytest.param(DATA / "cdk.tf.json", {}, id="cdktf-json"),
    pytest.param(DATA / "tfjson" / "config", {}, id="modules"),
    pytest.param(DATA / "tfjson" / "plan.json", {}, id="plan-json"),
    pytest.param(DATA / "tfjson" / "state.json", {}, id="state-json"),
    pytest.param(DATA / "tfjson" / "terraform.tfstate", {}, id="raw-state"),
]


def _garbage_cycles_left_by(run: Callable[[], Any]) -> int:
    """How many objects the cyclic collector finds unreachable after ``run()``, which runs
    with the collector paused (so nothing is collected behind the count's back)."""
    with contextlib.suppress(Exception):
        run()  # the first import loads modules and fills caches that are not garbage
    gc.collect()
    enabled = gc.isenabled()
    gc.disable()
    try:
        try:
            result = run()
        except Exception as exc:  # a refused corpus input: the error is the result
            result = type(exc).__name__
        found = gc.collect()
        del result
        return found
    finally:
        if enabled:
            gc.enable()


@pytest.mark.parametrize(("source", "kwargs"), INPUTS)
def test_an_import_leaves_nothing_for_the_cyclic_collector(
    source: Path, kwargs: dict[str, Any]
) -> None:
    assert _garbage_cycles_left_by(lambda: import_terraform(source, **kwargs)) == 0


def test_a_tf_json_import_leaves_nothing_for_the_cyclic_collector(tmp_path: Path) -> None:
    # the emitter's .tf.json: users as data sources, memberships, references everywhere
    plan = import_terraform(DATA / "seed-pagerduty.tf").plan
    path = tmp_path / "org.tf.json"
    path.write_text(dumps(to_terraform_json(plan)), encoding="utf-8")
    assert _garbage_cycles_left_by(lambda: import_terraform(path)) == 0


def test_an_import_of_parsed_json_leaves_nothing_for_the_cyclic_collector() -> None:
    plan = import_terraform(DATA / "seed-pagerduty.tf").plan
    document = json.loads(dumps(to_terraform_json(plan)))
    assert _garbage_cycles_left_by(lambda: import_terraform(document)) == 0
