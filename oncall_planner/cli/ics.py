"""``oncall-planner ics``: iCalendar files of on-call shifts, per schedule or per person."""

from __future__ import annotations

import argparse
import functools
import re
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from oncall_planner.cli._common import (
    Progress,
    Subparsers,
    UsageError,
    add_command,
    add_common,
    add_input,
    add_output,
    add_window,
    check_writable,
    layered_overrides,
    load_overrides,
    load_plan,
    output,
    say,
    schedules,
    user,
    window,
    write,
    zone_arg,
)

if TYPE_CHECKING:
    from oncall_planner.model import Schedule, ShiftSchedule, User


def register(sub: Subparsers) -> argparse.ArgumentParser:
    p = add_command(
        sub,
        "ics",
        help="iCalendar of shifts, per schedule or per person",
        description="iCalendar (RFC 5545) of on-call shifts for calendar "
        "subscriptions. Output depends only on the input.",
    )
    add_input(p)
    add_common(p)
    add_window(p, days=90)
    p.add_argument(
        "--schedule", action="append", metavar="NAME", help="only this schedule (repeatable)"
    )
    p.add_argument(
        "--person",
        action="append",
        metavar="EMAIL",
        help="one person's shifts on every schedule (email or name)",
    )
    p.add_argument(
        "--split",
        choices=["schedule", "person"],
        help="write one file per schedule or per person into --output-dir",
    )
    p.add_argument("--output-dir", metavar="DIR", help="directory for --split")
    add_output(p)
    return p


def _slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9]+", "-", text).strip("-").lower() or "calendar"


def _file_names(names: Sequence[str]) -> list[str]:
    """``slug.ics`` for each name; names that slug alike ('Ops (EU)', 'Ops EU') get a short hash
    of the name as well, so no calendar overwrites another."""
    slugs = [_slug(n) for n in names]
    out = []
    for name, slug in zip(names, slugs, strict=True):
        if slugs.count(slug) > 1:
            import hashlib  # here: it loads OpenSSL, which `--help` does not need

            slug += "-" + hashlib.sha256(name.encode("utf-8")).hexdigest()[:8]
        out.append(f"{slug}.ics")
    return out


def _check(args: argparse.Namespace) -> None:
    """The options that cannot go together, refused before the plan is read."""
    if args.split:
        if not args.output_dir:
            raise UsageError("--split needs --output-dir DIR")
        if args.output is not None:
            raise UsageError("--split writes one file per calendar into --output-dir, not --output")
        if args.split == "schedule" and args.person:
            raise UsageError("--person picks one calendar; with --split schedule, leave it out")
        check_writable(args.output_dir, "--output-dir", folder=True)
    else:
        if args.output_dir is not None:
            raise UsageError("--output-dir is where --split writes; give --split schedule|person")
        if args.person and len(args.person) > 1:
            raise UsageError("give one --person, or --split person --output-dir DIR")


def run(args: argparse.Namespace) -> int:
    from oncall_planner.report.ics import schedule_events, schedule_ics, to_ics, whole_shifts

    _check(args)
    plan, _ = load_plan(args)
    since, until = window(args, zone_arg(args.tz, plan, args.schedule))
    chosen = schedules(plan, args.schedule)
    # the report takes Override lists: the layer-based schedules' overrides
    overrides = layered_overrides(load_overrides(args), plan)

    # Each schedule is rendered once, for every person's calendar.
    rendered: dict[str, Any] = {}

    def shifts(s: Schedule | ShiftSchedule) -> Any:
        if s.name not in rendered:
            rendered[s.name] = whole_shifts(s, since, until, overrides.get(s.name, ()))
        return rendered[s.name]

    def person_calendar(person: User) -> str:
        # The person's shifts on the chosen schedules (every schedule without --schedule).
        events = [
            e
            for s in chosen
            for e in schedule_events(
                s, since, until, overrides.get(s.name, ()), person=person, rendered=shifts(s)
            )
        ]
        return to_ics(f"On call: {person.name}", events, since)

    if args.split:
        out_dir = Path(args.output_dir)
        try:
            out_dir.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise UsageError(f"--output-dir {out_dir}: {exc.strerror or exc}") from None
        items: list[tuple[str, Callable[[], str]]]
        if args.split == "schedule":
            items = [
                (
                    s.name,
                    functools.partial(schedule_ics, s, since, until, overrides.get(s.name, ())),
                )
                for s in chosen
            ]
        else:
            people = [user(plan, p) for p in args.person] if args.person else list(plan.users)
            items = [(u.email, functools.partial(person_calendar, u)) for u in people]
        names = _file_names([name for name, _ in items])
        with Progress(len(items), "Calendars") as bar:
            for (name, build), file_name in zip(items, names, strict=True):
                write(out_dir / file_name, build(), "--output-dir")
                bar.step(name)
        say(f"wrote {len(items)} calendar(s) to {out_dir}")
        return 0
    if args.person:
        text = person_calendar(user(plan, args.person[0]))
    elif len(chosen) == 1:
        text = schedule_ics(chosen[0], since, until, overrides.get(chosen[0].name, ()))
    else:
        events = [
            e for s in chosen for e in schedule_events(s, since, until, overrides.get(s.name, ()))
        ]
        text = to_ics("On call", events, since)
    output(args, text)
    return 0
