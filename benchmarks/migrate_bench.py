"""Benchmark: migrate 100 layer-based schedules to shift-based ones, each with its proof.

The schedules (deterministic, four zones, three with daylight saving): a fifth each of the
seed's shape (two weekly layers, the later hiding the earlier), a weekly rotation under a
business-hours layer, a daily rotation restricted to weekdays, 12-hour turns, and two-week turns
over the working week. Each is converted (:func:`~oncall_planner.to_shift_schedule`) and proved
over a year (:func:`~oncall_planner.prove_conversion`): both schedules rendered and compared
minute by minute, once under PagerDuty's documented defaults and, for the full proof, again
under each of the seven other readings of its open questions. The baseline is rendering the 100
layer-based schedules over the same year, which any proof must do at least once.

Goal: the 100 migrations with full proofs within 60 seconds on the project's 2-core machine
(``oncall-planner migrate`` on a large account stays interactive).

Run with ``make bench`` (or ``python benchmarks/migrate_bench.py [--schedules N]``).
"""

from __future__ import annotations

import argparse
import datetime as dt
import time
from zoneinfo import ZoneInfo

from oncall_planner import (
    Layer,
    Restriction,
    Schedule,
    User,
    prove_conversion,
    render,
    to_shift_schedule,
)

ZONES = ("America/New_York", "Europe/London", "Australia/Sydney", "Asia/Kolkata")
SINCE = dt.datetime(2026, 1, 5, tzinfo=dt.timezone.utc)
WEEK, DAY = dt.timedelta(weeks=1), dt.timedelta(days=1)
GOAL_SECONDS = 60.0


def build(count: int) -> list[Schedule]:
    out = []
    for n in range(count):
        zone = ZONES[n % len(ZONES)]
        tz = ZoneInfo(zone)
        people = [User(f"S{n}P{i}", f"s{n}p{i}@example.com") for i in range(3 + n % 4)]
        start = dt.datetime(2025, 6, 2 + n % 7, 9 if n % 2 else 0, tzinfo=tz)
        shape = n % 5
        office = [Restriction.daily("09:00", dt.timedelta(hours=8))]
        weekdays = [Restriction.weekly(d, "09:00", dt.timedelta(hours=8)) for d in range(1, 6)]
        if shape == 0:
            layers = [
                Layer("Primary", people, start, WEEK),
                Layer("Secondary", people, start, WEEK, rotation_virtual_start=start + WEEK),
            ]
        elif shape == 1:
            layers = [
                Layer("Rotation", people, start, WEEK),
                Layer("Office", people[::-1], start, DAY, restrictions=office),
            ]
        elif shape == 2:
            layers = [Layer("Weekdays", people, start, DAY, restrictions=weekdays)]
        elif shape == 3:
            layers = [Layer("Halves", people, start.replace(hour=8), dt.timedelta(hours=12))]
        else:
            week = [Restriction.weekly(1, "09:00", dt.timedelta(days=4, hours=8))]
            layers = [Layer("Fortnights", people, start, 2 * WEEK, restrictions=week)]
        out.append(Schedule(f"Schedule {n}", zone, layers))
    return out


CPU: list[float] = []


def timed(func: object) -> tuple[float, object]:
    """Wall-clock seconds of ``func()`` and its result; its CPU seconds go to :data:`CPU`
    (on a shared machine the wall clock also counts other processes' turns)."""
    start, cpu = time.perf_counter(), time.process_time()
    result = func()  # type: ignore[operator]
    CPU.append(time.process_time() - cpu)
    return time.perf_counter() - start, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--schedules", type=int, default=100)
    args = parser.parse_args()
    schedules = build(args.schedules)
    until = SINCE + dt.timedelta(days=365)

    base, _ = timed(lambda: [render(s, SINCE, until) for s in schedules])
    convert, conversions = timed(lambda: [to_shift_schedule(s, SINCE) for s in schedules])
    assert isinstance(conversions, list)
    plain, proofs = timed(lambda: [prove_conversion(c, readings=False) for c in conversions])
    full, full_proofs = timed(lambda: [prove_conversion(c) for c in conversions])
    assert isinstance(proofs, list) and isinstance(full_proofs, list)
    exact = sum(1 for p in proofs if p.exact)
    rotations = sum(len(c.schedule.rotations) for c in conversions)
    holding = sum(all(r.holds or r.label.startswith("U1") for r in p.readings) for p in full_proofs)
    total = convert + full
    print(
        f"migrate: {args.schedules} schedules ({rotations} rotations after conversion), proofs "
        f"over a year ({365 * 24 * 60:,} minutes each)"
    )
    print(f"  render the layer-based schedules (baseline): {base:7.2f} s")
    print(f"  convert:                                     {convert:7.2f} s")
    print(f"  prove under the defaults:                    {plain:7.2f} s")
    print(f"  prove under the defaults and 7 readings:     {full:7.2f} s")
    cpu = CPU[1] + CPU[3]
    print(
        f"  convert + full proofs:                       {total:7.2f} s  ({total / base:.0f}x "
        f"baseline; {cpu:.2f} s of CPU)"
    )
    print(f"  exact: {exact}/{len(proofs)}; holding under U2-U6 too: {holding}/{len(full_proofs)}")
    verdict = "goal met" if total <= GOAL_SECONDS else "goal NOT met"
    print(f"  goal: 100 migrations with full proofs within {GOAL_SECONDS:.0f} s: {verdict}")


if __name__ == "__main__":
    main()
