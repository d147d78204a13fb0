"""Benchmark: render one year of 1,000 schedules and compare with recurring-event expansion.

What it does (all deterministic, fixed seed):

1. Generates 1,000 schedules of 3 layers, 6 users per layer, each in a time zone from PagerDuty's
   allow-list that observes daylight saving in 2025 (50 zones, used in turn):
   - layer 1: weekly turns, no restriction (24/7);
   - layer 2: daily turns with a daily restriction (business hours);
   - layer 3: either weekly turns with a weekly restriction (a weekend) or daily turns with five
     weekly restrictions (weekday evenings).
2. Renders each schedule over 2025 with ``oncall_planner.render``, one after the other, and reports
   final entries per second. The zone tables are built during this pass, so it is a cold run.
3. Peak memory, two ways: the process's peak resident set size (``resource.getrusage``
   ``ru_maxrss``) right after the timed pass, before the baseline library is imported; and the
   peak of Python allocations (``tracemalloc``) in untimed passes, rendering one schedule at a time
   and keeping all 1,000 results alive.
4. Baseline: the same rotations written as iCalendar recurring events, one calendar per schedule,
   expanded over 2025 with ``recurring_ical_events.of(calendar).between(...)`` (the engine Grafana
   OnCall renders with). Each layer becomes one VEVENT per on-call piece of its repeating cycle
   (a cycle is ``users x turn_length``, stretched to a whole number of weeks when restrictions
   repeat weekly): DTSTART and DTEND in the schedule's zone and ``RRULE:FREQ=DAILY|WEEKLY;
   INTERVAL=<cycle>``. Restrictions are applied when the pieces are cut, so each VEVENT is a turn
   slot already intersected with its restriction windows. Only the expansion is timed (building the
   calendars is not), and the baseline does *not* resolve layer precedence or merge entries: it
   does less work than the renderer, so the ratio is conservative. It runs on the first 50
   schedules (all 50 zones) and is compared per schedule. The per-layer on-call hours of both are
   compared to show the calendars are equivalent.

Times are CPU time of this process (``time.process_time``), so other work on the machine skews
the ratio less. Run with ``make bench`` or ``python benchmarks/render_bench.py [--schedules N]
[--baseline N]``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import math
import random
import resource
import sys
import time
import tracemalloc
from zoneinfo import ZoneInfo

from oncall_planner import PAGERDUTY_TIME_ZONES, Layer, Restriction, Schedule, User, render

SEED = 20250101
SINCE = dt.datetime(2025, 1, 1, tzinfo=dt.timezone.utc)
UNTIL = dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc)
DAY = dt.timedelta(days=1)
WEEK = dt.timedelta(weeks=1)
GOAL_RATIO = 20.0
GOAL_PEAK_MB = 300.0


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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--schedules", type=int, default=1000, help="schedules to render (1000)")
    parser.add_argument("--baseline", type=int, default=50, help="schedules for the baseline (50)")
    args = parser.parse_args(argv)

    schedules = generate(args.schedules)
    zones = sorted({s.time_zone for s in schedules})
    print(
        f"render_bench: {len(schedules)} schedules x 3 layers x 6 users in {len(zones)} DST zones "
        f"of PagerDuty's list, window {SINCE:%Y-%m-%d} to {UNTIL:%Y-%m-%d} UTC, seed {SEED}"
    )

    # 1. Timed: render every schedule once, cold (zone tables are built on first use and
    #    counted), keeping only counts, as a check or report run that goes schedule by schedule.
    started = time.process_time()
    entries = 0
    for schedule in schedules:
        entries += len(render(schedule, SINCE, UNTIL).entries)
    ours = time.process_time() - started
    rss = peak_rss_mb()
    print(
        f"render(): {ours:.2f} s CPU, {entries:,} final entries = {entries / ours:,.0f} final "
        f"entries/s ({len(schedules) / ours:,.0f} schedules/s; zone tables built on first use "
        f"included; per-layer views built lazily, not counted)"
    )

    # 2. Memory, untimed: peak of Python allocations (tracemalloc) going schedule by schedule,
    #    and when every FinalSchedule is kept alive at once.
    tracemalloc.start()
    for schedule in schedules:
        render(schedule, SINCE, UNTIL)
    _, streaming_peak = tracemalloc.get_traced_memory()
    tracemalloc.reset_peak()
    kept = [render(schedule, SINCE, UNTIL) for schedule in schedules]
    _, kept_peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    del kept
    mb = 1024 * 1024
    print(
        f"peak memory: {rss:.0f} MB resident (resource.getrusage ru_maxrss: the whole process, "
        f"interpreter and the {len(schedules)} generated schedules included, after the timed "
        f"pass); tracemalloc peak of Python allocations {streaming_peak / mb:.0f} MB rendering "
        f"one schedule at a time, {kept_peak / mb:.0f} MB keeping all {len(schedules)} results"
    )

    # 3. Baseline: recurring_ical_events over equivalent calendars (built untimed).
    import recurring_ical_events

    subset = schedules[: args.baseline]
    calendars = [build_calendar(s) for s in subset]
    vevents = sum(len(c.walk("VEVENT")) for c in calendars)
    expanded = []
    started = time.process_time()
    for cal in calendars:
        expanded.append(list(recurring_ical_events.of(cal).between(SINCE, UNTIL)))
    theirs = time.process_time() - started
    occurrences = sum(len(x) for x in expanded)
    # How equivalent is it? Compare each layer's on-call hours with the renderer's.
    worst = 0.0
    for schedule, occ in zip(subset, expanded, strict=True):
        ours_h = layer_hours_ours(render(schedule, SINCE, UNTIL))
        theirs_h = layer_hours_baseline(occ, len(schedule.layers))
        for a, b in zip(ours_h, theirs_h, strict=True):
            worst = max(worst, abs(a - b))
    print(
        f"baseline: recurring_ical_events.of(calendar).between() on the first {len(subset)} "
        f"schedules: {theirs:.2f} s CPU, {occurrences:,} occurrences of {vevents:,} VEVENTs "
        f"(one per on-call piece of a layer's repeating cycle, RRULE FREQ=DAILY/WEEKLY with "
        f"INTERVAL, restriction windows cut into the pieces; calendars built untimed; no layer "
        f"precedence, no merging). Per-layer on-call hours agree with render() within "
        f"{worst:.1f} h per layer-year"
    )
    per_ours = ours / len(schedules)
    per_theirs = theirs / len(subset)
    ratio = per_theirs / per_ours
    print(
        f"per schedule: render() {1000 * per_ours:.2f} ms, baseline {1000 * per_theirs:.1f} ms "
        f"(scaled to {len(schedules)} schedules: {per_theirs * len(schedules):.1f} s)"
    )
    peak = max(rss, streaming_peak / mb)
    print(
        f"RESULT: render() is {ratio:.1f}x faster than the baseline (goal >= {GOAL_RATIO:.0f}x: "
        f"{'met' if ratio >= GOAL_RATIO else 'NOT met'}); peak memory {peak:.0f} MB (goal < "
        f"{GOAL_PEAK_MB:.0f} MB: {'met' if peak < GOAL_PEAK_MB else 'NOT met'})"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
