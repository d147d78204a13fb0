"""Importing Terraform: the importer against the bare reading of the same files, in one run.

The input is the emitter benchmark's organisation (four engineers, two schedules and a policy
per team; users as data sources, memberships, ``${…}`` references between everything), written
as ``.tf.json`` by ``to_terraform_json`` and as HCL by a small writer below.

- ``.tf.json``: ``import_terraform`` of 1,000 teams against ``json.load`` plus a walk over
  every value of the same file (goal: within 10x);
- HCL: ``import_terraform`` of 1,000 teams against the chosen parser's bare parse of the same
  files, ``hcl.parse_file`` (goal: within 2x);
- growth: ``.tf.json`` import of 100, 1,000 and 3,000 teams, the exponent of a least-squares
  fit of log(time) on log(teams) (goal: at most 1.2, i.e. no quadratic part).

- what an import leaves for Python's cyclic garbage collector: the time of ``gc.collect()``
  right after a 1,000-team ``.tf.json`` import, and the objects it finds unreachable (goal:
  none; the import frees what it made on return).

Times are CPU time (``time.process_time``: the benchmark machines are shared), the best of
3 runs (5 for the ``.tf.json`` ratio, its baseline and import run alternately). Run with
``make bench``.
"""

from __future__ import annotations

import gc
import json
import math
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from emit_bench import build_plan

from oncall_planner.emit.terraform_json import dumps, to_terraform_json
from oncall_planner.ingest import import_terraform
from oncall_planner.ingest.terraform.hcl import parse_file
from oncall_planner.ingest.terraform.jsonsyntax import BLOCK_SCHEMA
from oncall_planner.ingest.terraform.syntax import Source

TEAMS = 1000


def best_of(runs: int, func: Callable[[], Any]) -> float:
    times = []
    for _ in range(runs):
        start = time.process_time()
        func()
        times.append(time.process_time() - start)
    return min(times)


def alternately(runs: int, first: Callable[[], Any], second: Callable[[], Any]) -> list[float]:
    """The best CPU time of each of two functions, run one after the other ``runs`` times."""
    times: list[list[float]] = [[], []]
    for _ in range(runs):
        times[0].append(best_of(1, first))
        times[1].append(best_of(1, second))
    return [min(times[0]), min(times[1])]


def collection_after(func: Callable[[], Any]) -> tuple[float, int]:
    """CPU time of ``gc.collect()`` right after ``func()`` (its result held), and the objects
    it found unreachable."""
    gc.collect()
    result = func()
    start = time.process_time()
    found = gc.collect()
    elapsed = time.process_time() - start
    del result
    return elapsed, found


def walk(value: Any) -> int:
    if isinstance(value, dict):
        return 1 + sum(walk(v) for v in value.values())
    if isinstance(value, list):
        return 1 + sum(walk(v) for v in value)
    return 1


def hcl_value(value: Any) -> str:
    if isinstance(value, str):
        return json.dumps(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return str(value)
    if isinstance(value, list):
        return "[" + ", ".join(hcl_value(v) for v in value) + "]"
    if isinstance(value, dict):
        return (
            "{ " + ", ".join(f"{json.dumps(k)} = {hcl_value(v)}" for k, v in value.items()) + " }"
        )
    return "null"


def hcl_body(body: dict[str, Any], schema: dict[str, Any], indent: str) -> list[str]:
    lines = []
    for key, value in body.items():
        if key == "//":
            continue
        if key in schema:
            for item in value if isinstance(value, list) else [value]:
                lines.append(f"{indent}{key} {{")
                lines.extend(hcl_body(item, schema[key], indent + "  "))
                lines.append(f"{indent}}}")
        else:
            lines.append(f"{indent}{key} = {hcl_value(value)}")
    return lines


def to_hcl(doc: dict[str, Any]) -> str:
    lines: list[str] = []
    for kind in ("data", "resource"):
        for rtype, by_name in doc.get(kind, {}).items():
            for name, body in by_name.items():
                lines.append(f'{kind} "{rtype}" "{name}" {{')
                lines.extend(hcl_body(body, BLOCK_SCHEMA.get(rtype, {}), "  "))
                lines.append("}")
                lines.append("")
    return "\n".join(lines)


def write_json(folder: Path, teams: int) -> Path:
    path = folder / f"teams-{teams}.tf.json"
    path.write_text(dumps(to_terraform_json(build_plan(teams))), encoding="utf-8")
    return path


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        json_path = write_json(folder, TEAMS)

        def json_baseline() -> None:
            with open(json_path, encoding="utf-8") as handle:
                walk(json.load(handle))

        base_json, imp_json = alternately(5, json_baseline, lambda: import_terraform(json_path))
        result = import_terraform(json_path)
        collection = min(
            (collection_after(lambda: import_terraform(json_path)) for _ in range(3)),
            key=lambda c: c[0],
        )
        size = json_path.stat().st_size

        hcl_dir = folder / "hcl"
        hcl_dir.mkdir()
        doc = json.loads(json_path.read_text(encoding="utf-8"))
        (hcl_dir / "main.tf").write_text(to_hcl(doc), encoding="utf-8")
        hcl_files = sorted(hcl_dir.glob("*.tf"))

        def hcl_baseline() -> None:
            for path in hcl_files:
                parse_file(Source(str(path), path.read_text(encoding="utf-8")))

        base_hcl = best_of(3, hcl_baseline)
        imp_hcl = best_of(3, lambda: import_terraform(hcl_dir))
        assert import_terraform(hcl_dir).plan == result.plan

        sizes = (100, 1000, 3000)
        growth = []
        for teams in sizes:
            path = json_path if teams == TEAMS else write_json(folder, teams)
            growth.append(best_of(3, lambda path=path: import_terraform(path)))

    plan = result.plan
    print(
        f"import_bench: {TEAMS} teams = {len(plan.users)} users, {len(plan.teams)} teams, "
        f"{len(plan.schedules)} schedules, {len(plan.escalation_policies)} policies "
        f"({size:,} bytes of .tf.json)"
    )
    ratio_json = imp_json / base_json
    print(f"  json.load + walk (baseline) : {base_json * 1000:8.1f} ms")
    print(f"  import .tf.json             : {imp_json * 1000:8.1f} ms")
    print(
        f"  ratio import / baseline     : {ratio_json:8.1f}x  (goal <= 10x: "
        f"{'goal met' if ratio_json <= 10 else 'goal NOT met'})"
    )
    ratio_hcl = imp_hcl / base_hcl
    print(f"  bare HCL parse (baseline)   : {base_hcl * 1000:8.1f} ms")
    print(f"  import HCL                  : {imp_hcl * 1000:8.1f} ms")
    print(
        f"  ratio import / parse        : {ratio_hcl:8.1f}x  (goal <= 2x: "
        f"{'goal met' if ratio_hcl <= 2 else 'goal NOT met'})"
    )
    seconds, found = collection
    print(
        f"  gc.collect() after import   : {seconds * 1000:8.1f} ms, {found:,} objects unreachable "
        f"(goal: none: {'goal met' if found == 0 else 'goal NOT met'})"
    )
    xs = [math.log(n) for n in sizes]
    ys = [math.log(t) for t in growth]
    mx, my = sum(xs) / len(xs), sum(ys) / len(ys)
    slope = sum((x - mx) * (y - my) for x, y in zip(xs, ys)) / sum((x - mx) ** 2 for x in xs)
    shown = ", ".join(f"{n:,} teams {t * 1000:.0f} ms" for n, t in zip(sizes, growth))
    print(f"  .tf.json import growth      : {shown}")
    print(
        f"  growth exponent             : {slope:8.2f}   (goal <= 1.2: "
        f"{'goal met' if slope <= 1.2 else 'goal NOT met'})"
    )


if __name__ == "__main__":
    main()
