"""Benchmark: render against recurring-event expansion, two workloads; memory kept and streamed.

Everything is deterministic (fixed seeds). Times are CPU time of this process
(``time.process_time``), so other work on the machine skews them less; each ratio is measured in
this run, the two sides interleaved schedule by schedule (each the best of a few runs), so a
change in the machine's load hits both alike.

Workloads:

- **Layered** (issue 13's render workload): 1,000 schedules of 3 layers, 6 users per layer, each
  in one of the 50 zones of PagerDuty's list that observe daylight saving in 2025, over 2025:
  layer 1 weekly turns around the clock; layer 2 daily turns with a daily restriction (business
  hours); layer 3 weekly turns with a weekly restriction (a weekend) or daily turns with five
  weekly restrictions (weekday evenings).
- **Plain rotations**: 40 one-layer schedules, daily or weekly turns of 4 to 8 people, in 4
  zones (New York, London, Sydney, Kolkata), over 2025.

Baseline: the same rotations written as iCalendar recurring events, one calendar per schedule,
expanded over 2025 with ``recurring_ical_events.of(calendar).between(...)`` (the engine Grafana
OnCall renders with). Each layer becomes one VEVENT per on-call piece of its repeating cycle (a
cycle is ``users x turn_length``, stretched to a whole number of weeks when restrictions repeat
weekly): DTSTART and DTEND in the schedule's zone and ``RRULE:FREQ=DAILY|WEEKLY;INTERVAL=<cycle>``.
Restrictions are applied when the pieces are cut, so each VEVENT is a turn slot already
intersected with its restriction windows. Building the calendars is not timed, and the baseline
does *not* resolve layer precedence or merge entries: it does less work than the renderer, so the
ratio is conservative. The per-layer on-call hours of both are compared to show the calendars are
equivalent.

Both sides read every result in the timed loop: ``entry.start``, ``.end`` and ``.user`` of each
final entry; ``DTSTART``, ``DTEND`` and ``SUMMARY`` of each occurrence. The renderer's zone
tables and ``zoneinfo``'s zones are built by an untimed pass of each side first; a separate cold
pass over all 1,000 layered schedules reports throughput with the zone tables included.

Memory (``tracemalloc``, the peak of Python allocations): the 1,000 layered schedules rendered
and every result kept with its ``.layers`` (goal under 150 MB); and 10,000 schedules rendered one
at a time with ``render_each`` in a child process (goal under 100 MB, the child's whole peak
resident set, interpreter and the 10,000 schedules included).

Run with ``make bench`` or ``python benchmarks/render_bench.py [--schedules N] [--baseline N]
[--streamed N]``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import math
import random
import resource
import subprocess
import sys
import time
import tracemalloc
from collections.abc import Sequence
from zoneinfo import ZoneInfo

from oncall_planner import (
    PAGERDUTY_TIME_ZONES,
    Layer,
    Restriction,
    Schedule,
    User,
    render,
)

SEED = 20250101
SINCE = dt.datetime(2025, 1, 1, tzinfo=dt.timezone.utc)
UNTIL = dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc)
DAY = dt.timedelta(days=1)
WEEK = dt.timedelta(weeks=1)
GOAL_RATIO = 50.0
GOAL_KEPT_MB = 150.0
GOAL_STREAMED_MB = 100.0
PLAIN_ZONES = ("America/New_York", "Europe/London", "Australia/Sydney", "Asia/Kolkata")


def dst_zones() -> list[str]:
    """The allow-listed zones whose UTC offset differs between January and July 2025."""
    out = []
    for name in sorted(PAGERDUTY_TIME_ZONES):
        tz = ZoneInfo(name)
        winter = dt.datetime(2025, 1, 15, 12, tzinfo=tz).utcoffset()
        summer = dt.datetime(2025, 7, 15, 12, tzinfo=tz).utcoffset()
        if winter != summer:
            out.append(name)
    return out


def generate(count: int, seed: int = SEED) -> list[Schedule]:
    """``count`` schedules of 3 layers, 6 users each, in DST zones (deterministic)."""
    rng = random.Random(seed)
    zones = dst_zones()
    schedules = []
    for i in range(count):
        zone_name = zones[i % len(zones)]
        tz = ZoneInfo(zone_name)
        team = [User(f"User {i}-{j}", f"u{i}-{j}@example.com") for j in range(9)]

        def local(days_before: int, hour: int, minute: int = 0, tz: ZoneInfo = tz) -> dt.datetime:
            day = dt.date(2024, 12, 30) - dt.timedelta(days=days_before)
            return dt.datetime(day.year, day.month, day.day, hour, minute, tzinfo=tz)

        weekly = Layer(
            "Weekly 24/7",
            rng.sample(team, 6),
            start=local(rng.randrange(0, 60), rng.choice((0, 8, 9, 10))),
            turn_length=WEEK,
        )
        business_start = rng.choice(("08:00", "08:30", "09:00", "10:00"))
        daily = Layer(
            "Business hours",
            rng.sample(team, 6),
            start=local(rng.randrange(0, 60), rng.choice((0, 9, 12))),
            turn_length=DAY,
            restrictions=[
                Restriction.daily(business_start, dt.timedelta(hours=rng.randint(8, 10)))
            ],
        )
        if rng.random() < 0.5:
            third = Layer(
                "Weekend",
                rng.sample(team, 6),
                start=local(rng.randrange(0, 60), rng.choice((9, 18))),
                turn_length=WEEK,
                restrictions=[
                    Restriction.weekly(rng.choice((5, 6)), "18:00", dt.timedelta(hours=54))
                ],
            )
        else:
            third = Layer(
                "Weekday evenings",
                rng.sample(team, 6),
                start=local(rng.randrange(0, 60), 18),
                turn_length=DAY,
                restrictions=[
                    Restriction.weekly(day, "18:00", dt.timedelta(hours=4)) for day in range(1, 6)
                ],
            )
        schedules.append(Schedule(f"Schedule {i}", zone_name, [weekly, daily, third]))
    return schedules


def generate_plain(count: int = 40, seed: int = SEED + 1) -> list[Schedule]:
    """``count`` one-layer schedules, daily or weekly turns of 4 to 8 people, in 4 zones."""
    rng = random.Random(seed)
    schedules = []
    for i in range(count):
        zone_name = PLAIN_ZONES[i % len(PLAIN_ZONES)]
        tz = ZoneInfo(zone_name)
        team = [User(f"Plain {i}-{j}", f"p{i}-{j}@example.com") for j in range(rng.randint(4, 8))]
        day = dt.date(2024, 12, 2) - dt.timedelta(days=rng.randrange(0, 60))
        start = dt.datetime(day.year, day.month, day.day, rng.choice((0, 9, 10)), tzinfo=tz)
        turn = DAY if i % 2 == 0 else WEEK
        layer = Layer("Primary", team, start, turn)
        schedules.append(Schedule(f"Plain {i}", zone_name, [layer]))
    return schedules


# --- The baseline: the same rotations as iCalendar recurring events ---------------------------


def _local_naive(value: dt.datetime, tz: ZoneInfo) -> dt.datetime:
    return value.astimezone(tz).replace(tzinfo=None)


def _restriction_windows(
    layer: Layer, lo: dt.datetime, hi: dt.datetime
) -> list[tuple[dt.datetime, dt.datetime]]:
    """Restriction windows in naive local time meeting [lo, hi)."""
    out = []
    day = dt.datetime(lo.year, lo.month, lo.day) - 8 * DAY
    while day < hi:
        for r in layer.restrictions:
            if r.kind == "weekly" and day.isoweekday() != r.start_day_of_week:
                continue
            start = dt.datetime.combine(day.date(), r.start_time_of_day)
            end = start + r.duration
            if end > lo and start < hi:
                out.append((max(start, lo), min(end, hi)))
        day += DAY
    return out


def layer_events(layer: Layer, tz: ZoneInfo) -> list[tuple[dt.datetime, dt.datetime, str, str]]:
    """One layer as recurring pieces: (local start, local end, user email, RRULE)."""
    n = len(layer.users)
    cycle = n * layer.turn_length
    period = {"daily": DAY, "weekly": WEEK}.get(
        layer.restrictions[0].kind if layer.restrictions else "", cycle
    )
    if cycle % DAY or period % DAY:
        raise ValueError("the baseline only models cycles of whole days")
    days = math.lcm(cycle // DAY, period // DAY)
    length = dt.timedelta(days=days)
    rule = f"FREQ=WEEKLY;INTERVAL={days // 7}" if days % 7 == 0 else f"FREQ=DAILY;INTERVAL={days}"
    anchor = _local_naive(layer.rotation_virtual_start, tz)
    first = _local_naive(layer.start, tz)
    # Start the cycle at the first cycle boundary at or after the layer's start.
    skip = max(0, math.ceil((first - anchor) / length))
    cycle_start = anchor + skip * length
    windows = (
        _restriction_windows(layer, cycle_start, cycle_start + length)
        if layer.restrictions
        else None
    )
    pieces = []
    turns = length // layer.turn_length
    for k in range(turns):
        a = cycle_start + k * layer.turn_length
        b = a + layer.turn_length
        email = layer.users[(skip * (length // layer.turn_length) + k) % n].email
        if windows is None:
            pieces.append((a, b, email, rule))
            continue
        for ws, we in windows:
            s, e = max(a, ws), min(b, we)
            if s < e:
                pieces.append((s, e, email, rule))
    return pieces


def build_calendar(schedule: Schedule):  # type: ignore[no-untyped-def]
    import icalendar

    tz = ZoneInfo(schedule.time_zone)
    cal = icalendar.Calendar()
    cal.add("prodid", "-//oncall-planner benchmark//EN")
    cal.add("version", "2.0")
    for index, layer in enumerate(schedule.layers):
        for n, (start, end, email, rule) in enumerate(layer_events(layer, tz)):
            event = icalendar.Event()
            event.add("uid", f"{schedule.name}-{index}-{n}@bench")
            event.add("summary", email)
            event.add("priority", index + 1)
            event.add("dtstart", start.replace(tzinfo=tz))
            event.add("dtend", end.replace(tzinfo=tz))
            event.add("rrule", icalendar.vRecur.from_ical(rule))
            cal.add_component(event)
    return cal


# --- Running -----------------------------------------------------------------------------------


def peak_rss_mb() -> float:
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return rss / (1024 * 1024) if sys.platform == "darwin" else rss / 1024


def layer_hours_ours(result) -> list[float]:  # type: ignore[no-untyped-def]
    return [sum(e.duration.total_seconds() for e in layer) / 3600 for layer in result.layers]


def layer_hours_baseline(occurrences, layers: int) -> list[float]:  # type: ignore[no-untyped-def]
    hours = [0.0] * layers
    for event in occurrences:
        start = max(event["DTSTART"].dt, SINCE)
        end = min(event["DTEND"].dt, UNTIL)
        if start < end:
            hours[int(event["PRIORITY"]) - 1] += (end - start).total_seconds() / 3600
    return hours


def read_ours(schedule: Schedule) -> tuple[float, int]:
    """CPU seconds to render ``schedule`` over the year and read every final entry."""
    count = 0
    started = time.process_time()
    for entry in render(schedule, SINCE, UNTIL).entries:
        entry.start, entry.end, entry.user  # noqa: B018 - read, as a consumer would
        count += 1
    return time.process_time() - started, count


def read_theirs(calendar) -> tuple[float, int]:  # type: ignore[no-untyped-def]
    """CPU seconds to expand ``calendar`` over the year and read every occurrence."""
    import recurring_ical_events

    count = 0
    started = time.process_time()
    for event in recurring_ical_events.of(calendar).between(SINCE, UNTIL):
        event["DTSTART"].dt, event["DTEND"].dt, event["SUMMARY"]
        count += 1
    return time.process_time() - started, count


def compare(name: str, schedules: Sequence[Schedule]) -> float:
    """Render against the baseline on ``schedules``, interleaved; print and return the ratio."""
    import recurring_ical_events

    calendars = [build_calendar(s) for s in schedules]
    for schedule, calendar in zip(schedules, calendars, strict=True):  # warm both sides
        render(schedule, SINCE, UNTIL)
        read_theirs(calendar)
    ours = theirs = 0.0
    entries = occurrences = 0
    worst = 0.0
    for schedule, calendar in zip(schedules, calendars, strict=True):
        mine = min(read_ours(schedule) for _ in range(3))
        other = min(read_theirs(calendar) for _ in range(2))
        ours, entries = ours + mine[0], entries + mine[1]
        theirs, occurrences = theirs + other[0], occurrences + other[1]
        expanded = list(recurring_ical_events.of(calendar).between(SINCE, UNTIL))
        ours_h = layer_hours_ours(render(schedule, SINCE, UNTIL))
        theirs_h = layer_hours_baseline(expanded, len(schedule.layers))
        worst = max([worst, *(abs(a - b) for a, b in zip(ours_h, theirs_h, strict=True))])
    ratio = theirs / ours
    print(
        f"{name}: {len(schedules)} schedules; render() {1000 * ours / len(schedules):.2f} ms per "
        f"schedule ({entries:,} final entries read), recurring_ical_events "
        f"{1000 * theirs / len(schedules):.1f} ms ({occurrences:,} occurrences read, "
        f"{sum(len(c.walk('VEVENT')) for c in calendars):,} VEVENTs); per-layer on-call hours "
        f"agree within {worst:.1f} h per layer-year"
    )
    print(
        f"RESULT: render() is {ratio:.1f}x faster than recurring_ical_events on the {name} "
        f"workload (goal >= {GOAL_RATIO:.0f}x: {'met' if ratio >= GOAL_RATIO else 'NOT met'})"
    )
    return ratio


# The child reads its own high-water mark: on Linux ``ru_maxrss`` of a child started by fork and
# exec also counts the parent's memory at the fork, ``VmHWM`` does not.
STREAM_CHILD = """
import resource, sys
sys.path.insert(0, {here!r})
import render_bench as rb
from oncall_planner import OnCallPlan, render_each
plan = OnCallPlan(schedules=rb.generate({count}))
entries = 0
for final in render_each(plan, rb.SINCE, rb.UNTIL):
    for entry in final.entries:
        entries += 1
try:
    with open("/proc/self/status") as status:
        peak = next(int(line.split()[1]) for line in status if line.startswith("VmHWM:"))
except OSError:
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(entries, peak)
"""


def streamed(count: int) -> None:
    """Peak resident memory of a child process that renders ``count`` schedules one at a time."""
    from pathlib import Path

    code = STREAM_CHILD.format(here=str(Path(__file__).resolve().parent), count=count)
    started = time.perf_counter()
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout.split()
    spent = time.perf_counter() - started
    entries, rss_kb = int(out[0]), int(out[1])
    mb = rss_kb / (1024 * 1024) if sys.platform == "darwin" else rss_kb / 1024
    print(
        f"streamed: {count:,} schedules in one OnCallPlan rendered with render_each() in a child "
        f"process ({entries:,} final entries, {spent:.0f} s): peak resident set {mb:.0f} MB, "
        f"interpreter, library and the {count:,} schedules included"
    )
    print(
        f"RESULT: {count:,} schedules streamed in {mb:.0f} MB (goal < {GOAL_STREAMED_MB:.0f} MB: "
        f"{'met' if mb < GOAL_STREAMED_MB else 'NOT met'})"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--schedules", type=int, default=1000, help="layered schedules (1000)")
    parser.add_argument("--baseline", type=int, default=50, help="compared one to one (50)")
    parser.add_argument("--streamed", type=int, default=10000, help="streamed (10000)")
    args = parser.parse_args(argv)

    schedules = generate(args.schedules)
    zones = sorted({s.time_zone for s in schedules})
    print(
        f"render_bench: {len(schedules)} schedules x 3 layers x 6 users in {len(zones)} DST zones "
        f"of PagerDuty's list, window {SINCE:%Y-%m-%d} to {UNTIL:%Y-%m-%d} UTC, seed {SEED}"
    )

    # 1. Cold throughput: every schedule once, zone tables built on first use and counted.
    started = time.process_time()
    entries = 0
    for schedule in schedules:
        for entry in render(schedule, SINCE, UNTIL).entries:
            entry.start, entry.end, entry.user  # noqa: B018
            entries += 1
    ours = time.process_time() - started
    print(
        f"cold pass: render() {ours:.2f} s CPU for {entries:,} final entries read = "
        f"{entries / ours:,.0f} entries/s ({len(schedules) / ours:,.0f} schedules/s, zone tables "
        f"built on first use included); peak resident set so far {peak_rss_mb():.0f} MB"
    )

    # 2. Against the baseline, schedule by schedule.
    compare("layered", schedules[: args.baseline])
    compare("plain-rotation", generate_plain())

    # 3. Memory: every result kept, with its per-layer views.
    tracemalloc.start()
    kept = [render(schedule, SINCE, UNTIL) for schedule in schedules]
    for final in kept:
        final.layers  # noqa: B018 - built and kept
    _, kept_peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    mb = kept_peak / (1024 * 1024)
    layer_entries = sum(len(layer) for final in kept for layer in final.layers)
    del kept
    print(
        f"kept: {len(schedules)} results with .layers ({layer_entries:,} layer entries): "
        f"tracemalloc peak of Python allocations {mb:.0f} MB"
    )
    print(
        f"RESULT: {len(schedules)} schedules x 3 layers x a year kept with .layers in {mb:.0f} MB "
        f"(goal < {GOAL_KEPT_MB:.0f} MB: {'met' if mb < GOAL_KEPT_MB else 'NOT met'})"
    )

    # 4. Memory: an organisation streamed schedule by schedule.
    if args.streamed > 0:
        streamed(args.streamed)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
