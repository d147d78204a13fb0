"""Benchmark: start-up time of ``import oncall_planner`` and ``oncall-planner --help``.

Each is a fresh interpreter started by this script, against ``python -c pass`` started the same
way in the same run (the interpreter and ``site``, which every command pays); each figure is the
best of 15 runs, the three taken in turn. Goal: both within 4x ``python -c pass``.

``--help`` runs the console script installed with the package (``oncall-planner`` next to the
interpreter), as a user types it; without it, ``python -m oncall_planner.cli --help``.

Run with ``make bench`` or ``python benchmarks/startup_bench.py [--runs N]``.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import time
from pathlib import Path

GOAL_RATIO = 4.0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--runs", type=int, default=15, help="runs of each (15)")
    args = parser.parse_args(argv)
    script = Path(sys.executable).with_name("oncall-planner")
    if not script.exists():
        found = shutil.which("oncall-planner")
        script = Path(found) if found else script
    help_command = (
        [str(script), "--help"]
        if script.exists()
        else [sys.executable, "-m", "oncall_planner.cli", "--help"]
    )
    commands = {
        "python -c pass": [sys.executable, "-c", "pass"],
        "import oncall_planner": [sys.executable, "-c", "import oncall_planner"],
        "oncall-planner --help": help_command,
    }
    best = dict.fromkeys(commands, float("inf"))
    for _ in range(args.runs):
        for name, command in commands.items():
            started = time.perf_counter()
            subprocess.run(command, stdout=subprocess.DEVNULL, check=True, cwd="/")
            best[name] = min(best[name], time.perf_counter() - started)
    base = best["python -c pass"]
    print(
        "startup_bench: "
        + ", ".join(f"{name} {1000 * seconds:.0f} ms" for name, seconds in best.items())
        + f" (wall clock, best of {args.runs})"
    )
    for name in ("import oncall_planner", "oncall-planner --help"):
        ratio = best[name] / base
        verdict = "met" if ratio <= GOAL_RATIO else "NOT met"
        print(
            f"RESULT: {name} takes {ratio:.1f}x python -c pass (goal <= {GOAL_RATIO:.0f}x: "
            f"{verdict})"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
