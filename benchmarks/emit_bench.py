"""Terraform for 300 teams: the native JSON emitter against CDKTF, measured in the same run.

Each team has four engineers, a primary and a secondary schedule and one escalation policy, so the
plan has 1,200 users (data sources), 300 teams, 1,200 team memberships, 600 schedules and 300
policies. Each path runs in its own fresh Python process:

- native: ``to_terraform_json`` + canonical dump + write (best of 5 runs);
- CDKTF: ``App`` + ``TerraformStack`` + ``PagerDutyOnCall`` + ``app.synth()``, the work that
  ``cdktf synth`` does in the app process (one run: it is slow). Importing the jsii bindings
  (which starts Node.js and loads the provider's assembly) is timed apart; the ``cdktf`` CLI's
  own start-up (about 2 s) is not counted at all, so the ratio is conservative.

Printed: both times, the ratio (goal: native at least 50 times faster), the Python heap peak
(tracemalloc, native only: tracing would slow the CDKTF run several times) and the peak resident
memory of each process (Linux: the Node.js process jsii runs for CDKTF is counted apart).
Run with ``make bench``.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from oncall_planner import (
    EscalationPolicy,
    EscalationRule,
    Layer,
    OnCallPlan,
    Schedule,
    Target,
    Team,
    User,
)
from oncall_planner.emit.cdktf_synth import cdktf_environment

TEAMS = 300
UTC = dt.timezone.utc
WEEK = dt.timedelta(weeks=1)
START = dt.datetime(2025, 1, 6, 14, tzinfo=UTC)


def build_plan(teams: int = TEAMS) -> OnCallPlan:
    policies = []
    for t in range(teams):
        people = [User(f"Engineer {t}-{i}", f"eng{t}.{i}@example.com") for i in range(4)]
        team = Team(f"Team {t}", people)
        primary = Schedule(
            f"Team {t} Primary", "America/New_York", [Layer("Weekly", people, START, WEEK)]
        )
        secondary = Schedule(
            f"Team {t} Secondary",
            "America/New_York",
            [Layer("Weekly", people, START, WEEK, rotation_virtual_start=START + WEEK)],
        )
        policies.append(
            EscalationPolicy(
                f"Team {t} Escalation",
                [
                    EscalationRule(10, [Target.schedule(primary)]),
                    EscalationRule(10, [Target.schedule(secondary)]),
                ],
                num_loops=2,
                team=team,
            )
        )
    return OnCallPlan(escalation_policies=policies)


def _node_peak_kib() -> int | None:
    """Peak resident memory of this process's Node.js children (jsii), from /proc (Linux)."""
    peak = None
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            fields = dict(
                line.split(":", 1) for line in status.read_text().splitlines() if ":" in line
            )
        except OSError:
            continue
        if fields.get("PPid", "").strip() == str(os.getpid()) and "node" in fields.get("Name", ""):
            hwm = int(fields.get("VmHWM", "0 kB").split()[0])
            peak = max(peak or 0, hwm)
    return peak


def measure_native(out_dir: Path) -> dict[str, float | int | None]:
    from oncall_planner.emit.terraform_json import dumps, to_terraform_json

    plan = build_plan()
    best = float("inf")
    for i in range(5):
        started = time.perf_counter()
        text = dumps(to_terraform_json(plan))
        (out_dir / f"native-{i}.tf.json").write_text(text, encoding="utf-8")
        best = min(best, time.perf_counter() - started)
    # The heap peak in a separate, untimed run: tracing slows Python down several times.
    tracemalloc.start()
    dumps(to_terraform_json(plan))
    _, heap = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return {"seconds": best, "heap_peak": heap, "bytes": len(text.encode("utf-8")), "node": None}


def measure_cdktf(out_dir: Path) -> dict[str, float | int | None]:
    plan = build_plan()
    started = time.perf_counter()
    from cdktf import App, TerraformStack
    from cdktf_cdktf_provider_pagerduty.provider import PagerdutyProvider

    from oncall_planner.cdktf import PagerDutyOnCall

    imported = time.perf_counter() - started
    started = time.perf_counter()
    app = App(outdir=str(out_dir / "cdktf.out"))
    stack = TerraformStack(app, "teams")
    PagerdutyProvider(stack, "pagerduty")
    PagerDutyOnCall(stack, "oncall", plan)
    app.synth()
    seconds = time.perf_counter() - started
    synthesised = out_dir / "cdktf.out" / "stacks" / "teams" / "cdk.tf.json"
    return {
        "seconds": seconds,
        "import_seconds": imported,
        "heap_peak": None,  # not traced: tracing would slow the timed run
        "bytes": synthesised.stat().st_size,
        "node": _node_peak_kib(),
    }


def run_child(mode: str) -> dict[str, float | int | None]:
    """Run one measurement in a fresh interpreter; add its peak RSS (KiB) from wait4."""
    with tempfile.TemporaryDirectory(prefix="emit-bench-") as tmp:
        child = subprocess.Popen(
            [sys.executable, __file__, "--measure", mode, tmp],
            stdout=subprocess.PIPE,
            env=cdktf_environment(),
        )
        assert child.stdout is not None
        output = child.stdout.read()
        _, status, usage = os.wait4(child.pid, 0)
        child.returncode = os.waitstatus_to_exitcode(status)
        if child.returncode != 0:
            raise SystemExit(f"{mode} measurement failed (exit {child.returncode})")
        result: dict[str, float | int | None] = json.loads(output)
        result["rss_kib"] = usage.ru_maxrss
        return result


def _mib(kib: float | int | None) -> str:
    return "n/a" if kib is None else f"{kib / 1024:.0f} MiB"


def _heap(result: dict[str, float | int | None]) -> str:
    heap = result["heap_peak"]
    return "not traced" if heap is None else f"{heap / 2**20:.1f} MiB"


def main() -> None:
    plan = build_plan()
    print(
        f"emit_bench: {TEAMS} teams = {len(plan.users)} users, {len(plan.teams)} teams, "
        f"{len(plan.schedules)} schedules, {len(plan.escalation_policies)} policies"
    )
    native = run_child("native")
    cdktf = run_child("cdktf")
    ratio = float(cdktf["seconds"] or 0) / float(native["seconds"] or 1)
    print(
        f"  native JSON : {native['seconds']:8.3f} s   Python heap peak {_heap(native)}"
        f"   process peak RSS {_mib(native['rss_kib'])}   ({native['bytes']:,} bytes)"
    )
    print(
        f"  CDKTF synth : {cdktf['seconds']:8.3f} s   Python heap peak {_heap(cdktf)}"
        f"   process peak RSS {_mib(cdktf['rss_kib'])} + Node.js {_mib(cdktf['node'])}"
        f"   ({cdktf['bytes']:,} bytes)"
    )
    print(f"  CDKTF import of the jsii bindings (Node.js start): {cdktf['import_seconds']:.3f} s")
    verdict = "goal met" if ratio >= 50 else "goal NOT met"
    total = float(cdktf["seconds"] or 0) + float(cdktf["import_seconds"] or 0)
    print(f"  ratio CDKTF / native: {ratio:,.0f}x  (goal ≥ 50x: {verdict})")
    print(f"  ratio with the jsii start-up counted: {total / float(native['seconds'] or 1):,.0f}x")


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "--measure":
        measure = measure_native if sys.argv[2] == "native" else measure_cdktf
        print(json.dumps(measure(Path(sys.argv[3]))))
    else:
        main()
