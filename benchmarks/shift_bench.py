"""Benchmark: render shift-based schedules against recurring_ical_events on the same recurrences.

The workload (deterministic, fixed seed): 100 shift-based schedules, each in one of the 50
allow-listed zones that observe daylight saving, over 2025, with three rotations of the kinds the
PagerDuty web editor makes:

- weekday business hours, ``RRULE:FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR``, 8 to 10 hours from 08:00 to
  10:00 local, four to six members taking five shifts each (a week);
- nights, ``RRULE:FREQ=DAILY`` (every second schedule ``INTERVAL=1``, the others a 12-hour
  ``FREQ=HOURLY;INTERVAL=24``), from 18:00 to 08:00 the next day, members taking seven shifts;
- weekends, ``RRULE:FREQ=WEEKLY;BYDAY=SA,SU`` (every third schedule ``INTERVAL=2``), two members
  on call at once (every member).

Ours: ``render()`` of each schedule over the year, every entry read (start, end, who, where from).
The expansion cache shared between renders (``render_shift._expansion``) is emptied before each
schedule, so every render expands its recurrences from scratch, as the first run of a check or
report does. What a process builds once per zone (the renderer's zone tables, ``zoneinfo``'s
zones, which the baseline uses too) is built by one untimed pass of each side first.

Baseline: each schedule as one iCalendar calendar with one VEVENT per event (DTSTART and DTEND in
the schedule's zone, the same RRULE), expanded over 2025 with
``recurring_ical_events.of(calendar).between(...)`` (the engine Grafana OnCall renders with), every
occurrence read (start, end, summary). Building the calendars is not timed. The baseline only
expands: it does not assign members, cut at the window or label sources, so the ratio is
conservative. The number of occurrences of each event is compared with the renderer's to show the
calendars are equivalent.

Times are CPU time of this process (``time.process_time``). Run with ``make bench`` or
``python benchmarks/shift_bench.py [--schedules N]``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib
import random
import sys
import time
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parent))

from render_bench import dst_zones

from oncall_planner import (
    EveryMember,
    RotatingMembers,
    Rotation,
    ShiftEvent,
    ShiftSchedule,
    User,
    render,
)

SEED = 20250102
SINCE = dt.datetime(2025, 1, 1, tzinfo=dt.timezone.utc)
UNTIL = dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc)
GOAL_RATIO = 20.0

render_shift = importlib.import_module("oncall_planner.render_shift")


def generate(count: int, seed: int = SEED) -> list[ShiftSchedule]:
    rng = random.Random(seed)
    zones = dst_zones()
    schedules = []
    for i in range(count):
        name = zones[i % len(zones)]
        tz = ZoneInfo(name)
        team = [User(f"User {i}-{j}", f"u{i}-{j}@example.com") for j in range(8)]

        def at(days: int, hour: int, minute: int = 0, tz: ZoneInfo = tz) -> dt.datetime:
            day = dt.date(2024, 12, 2) + dt.timedelta(days=days)  # a Monday
            return dt.datetime(day.year, day.month, day.day, hour, minute, tzinfo=tz)

        start = rng.choice((8, 9, 10))
        first = rng.randrange(0, 3) * 7
        weekdays = ShiftEvent(
            "Weekdays",
            start_time=at(first, start),
            end_time=at(first, start + rng.choice((8, 9, 10))),
            recurrence="RRULE:FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR",
            assignment=RotatingMembers(rng.sample(team, rng.randint(4, 6)), shifts_per_member=5),
        )
        nightly = "RRULE:FREQ=DAILY" if i % 2 == 0 else "RRULE:FREQ=HOURLY;INTERVAL=24"
        night_day = rng.randrange(0, 7)
        nights = ShiftEvent(
            "Nights",
            start_time=at(night_day, 18),
            end_time=at(night_day + 1, 8),
            recurrence=nightly,
            assignment=RotatingMembers(rng.sample(team, 4), shifts_per_member=7),
        )
        weekend_rule = "RRULE:FREQ=WEEKLY;BYDAY=SA,SU" + (";INTERVAL=2" if i % 3 == 0 else "")
        weekend = ShiftEvent(
            "Weekend",
            start_time=at(5, 9),
            end_time=at(5, 21),
            recurrence=weekend_rule,
            assignment=EveryMember(rng.sample(team, 2)),
        )
        schedules.append(
            ShiftSchedule(
                f"Shifts {i}",
                name,
                [Rotation([weekdays]), Rotation([nights]), Rotation([weekend])],
            )
        )
    return schedules


def build_calendar(schedule: ShiftSchedule):  # type: ignore[no-untyped-def]
    import icalendar

    tz = ZoneInfo(schedule.time_zone)
    cal = icalendar.Calendar()
    cal.add("prodid", "-//oncall-planner shift benchmark//EN")
    cal.add("version", "2.0")
    for r, rotation in enumerate(schedule.rotations):
        for e, event in enumerate(rotation.events):
            vevent = icalendar.Event()
            vevent.add("uid", f"{schedule.name}-{r}-{e}@bench")
            vevent.add("summary", f"{r}-{e}")
            vevent.add("dtstart", event.start_time.astimezone(tz))
            vevent.add("dtend", event.end_time.astimezone(tz))
            rule = event.recurrence[0].removeprefix("RRULE:")
            vevent.add("rrule", icalendar.vRecur.from_ical(rule))
            cal.add_component(vevent)
    return cal


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--schedules", type=int, default=100, help="schedules (100)")
    args = parser.parse_args(argv)
    schedules = generate(args.schedules)
    print(
        f"shift_bench: {len(schedules)} shift-based schedules x 3 rotations (weekdays, nights, "
        f"weekends) in {len({s.time_zone for s in schedules})} DST zones, "
        f"{SINCE:%Y-%m-%d} to {UNTIL:%Y-%m-%d} UTC, seed {SEED}"
    )
    for schedule in schedules:  # zone tables and imports, outside the timing
        render(schedule, SINCE, UNTIL)

    import recurring_ical_events

    calendars = [build_calendar(s) for s in schedules]

    def ours(schedule: ShiftSchedule) -> tuple[float, int]:
        render_shift._expansion.cache_clear()  # a cold render: expand from scratch
        entries = 0
        started = time.process_time()
        for entry in render(schedule, SINCE, UNTIL).entries:
            entry.start, entry.end, entry.user, entry.source  # noqa: B018 - every entry read
            entries += 1
        return time.process_time() - started, entries

    def theirs(cal) -> tuple[float, int]:  # type: ignore[no-untyped-def]
        occurrences = 0
        started = time.process_time()
        for event in recurring_ical_events.of(cal).between(SINCE, UNTIL):
            event["DTSTART"].dt, event["DTEND"].dt, event["SUMMARY"]
            occurrences += 1
        return time.process_time() - started, occurrences

    for cal in calendars:  # zoneinfo's zones and the baseline's imports, outside the timing
        theirs(cal)
    # Interleaved, schedule by schedule, best of 3 each: the machine's load drifts less
    # between the two sides than over whole passes.
    best_ours = best_theirs = 0.0
    entries = occurrences = 0
    for schedule, cal in zip(schedules, calendars, strict=True):
        mine = min(ours(schedule) for _ in range(3))
        other = min(theirs(cal) for _ in range(3))
        best_ours += mine[0]
        entries += mine[1]
        best_theirs += other[0]
        occurrences += other[1]
    # Untimed: how many entries (occurrences) each event has on either side.
    our_counts = []
    for schedule in schedules:
        seen: dict[tuple[int | None, int | None], int] = {}
        for entry in render(schedule, SINCE, UNTIL).entries:
            key = (entry.source.rotation, entry.source.event)  # type: ignore[union-attr]
            seen[key] = seen.get(key, 0) + 1
        our_counts.append(seen)
    their_counts = []
    for cal in calendars:
        other: dict[str, int] = {}
        for event in recurring_ical_events.of(cal).between(SINCE, UNTIL):
            other[str(event["SUMMARY"])] = other.get(str(event["SUMMARY"]), 0) + 1
        their_counts.append(other)
    # Equivalence: per event, the renderer's entries are the occurrences times the people on
    # each (two for the every-member weekend), cut at the window like the baseline's.
    agree = 0
    for schedule, mine, other in zip(schedules, our_counts, their_counts, strict=True):
        for r, rotation in enumerate(schedule.rotations):
            people = len(rotation.events[0].members)
            each = people if isinstance(rotation.events[0].assignment, EveryMember) else 1
            agree += mine.get((r, 0), 0) == other.get(f"{r}-0", 0) * each
    total = sum(len(s.rotations) for s in schedules)
    ratio = best_theirs / best_ours
    print(
        f"render(): {best_ours:.3f} s CPU for {entries:,} entries ({len(schedules)} cold renders, "
        f"each the best of 3); recurring_ical_events: {best_theirs:.3f} s CPU for "
        f"{occurrences:,} "
        f"occurrences; occurrence counts agree for {agree} of {total} events"
    )
    print(
        f"RESULT: shift-based render() is {ratio:.1f}x faster than recurring_ical_events on the "
        f"same recurrences (goal >= {GOAL_RATIO:.0f}x: {'met' if ratio >= GOAL_RATIO else 'NOT met'})"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
