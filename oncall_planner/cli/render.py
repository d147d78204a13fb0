"""``oncall-planner render``: who is on call when, per layer and final, or at one instant.

A shift-based schedule shows its rotations where a layer-based one shows layers, each entry with
where it comes from, its empty slots, and everyone on call at an instant.
"""

from __future__ import annotations

import argparse
import datetime as dt
from collections.abc import Sequence
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
    entries_table,
    hours,
    json_text,
    load_overrides,
    load_plan,
    output,
    parse_instant,
    schedules,
    table,
    when,
    window,
    zone_arg,
)

if TYPE_CHECKING:
    from oncall_planner.model import Schedule, ShiftSchedule, User
    from oncall_planner.render import FinalSchedule

    AnySchedule = Schedule | ShiftSchedule


def register(sub: Subparsers) -> argparse.ArgumentParser:
    p = add_command(
        sub,
        "render",
        help="who is on call when: per layer and final",
        description="Render schedules: the final schedule PagerDuty would show, "
        "with --layers each layer on its own, or who is on call --at an instant.",
    )
    add_input(p)
    add_common(p)
    add_window(p)
    p.add_argument("--at", metavar="TIME", help="show who is on call at one instant instead")
    p.add_argument(
        "--schedule", action="append", metavar="NAME", help="only this schedule (repeatable)"
    )
    p.add_argument(
        "--layers",
        action="store_true",
        help="also show each layer (each rotation of a shift-based schedule) on its own",
    )
    p.add_argument(
        "--mode",
        choices=["wall", "elapsed"],
        default="wall",
        help="turn arithmetic: wall clock (PagerDuty's, default) or elapsed time",
    )
    p.add_argument("--format", choices=["text", "json"], default="text", help="output format")
    add_output(p)
    return p


def run(args: argparse.Namespace) -> int:
    from oncall_planner.render import render

    plan, _ = load_plan(args)
    overrides = load_overrides(args)
    chosen = schedules(plan, args.schedule)
    if not chosen:
        raise UsageError(f"{args.input}: the plan has no schedules to render")
    tz_in = zone_arg(args.tz, plan, args.schedule)
    if args.at is not None:
        at = parse_instant(args.at, tz_in, "--at")
        return _render_at(args, chosen, at, overrides)
    since, until = window(args, tz_in)
    finals: list[tuple[AnySchedule, FinalSchedule]] = []
    with Progress(len(chosen) if (until - since).days > 90 else 0, "Rendering") as bar:
        for schedule in chosen:
            ours = overrides.get(schedule.name, ())
            finals.append((schedule, render(schedule, since, until, ours, mode=args.mode)))
            bar.step(schedule.name)
    if args.format == "json":
        output(args, json_text(_render_json(finals, since, until)))
        return 0
    output(args, _render_text(finals, since, until, args.tz, args.layers))
    return 0


def _parts(schedule: AnySchedule) -> list[str]:
    """``Layer 1 'Name'`` or ``Rotation 1 'Name'`` for each layer (rotation), in order."""
    from oncall_planner.model import ShiftSchedule

    if isinstance(schedule, ShiftSchedule):
        return [
            f"Rotation {i + 1}" + (f" {r.name!r}" if r.name else "")
            for i, r in enumerate(schedule.rotations)
        ]
    return [f"Layer {i + 1} {layer.name!r}" for i, layer in enumerate(schedule.layers)]


def _part_names(schedule: AnySchedule) -> list[str | None]:
    from oncall_planner.model import ShiftSchedule

    if isinstance(schedule, ShiftSchedule):
        return [r.name for r in schedule.rotations]
    return [layer.name for layer in schedule.layers]


def _render_text(
    finals: Sequence[tuple[AnySchedule, FinalSchedule]],
    since: dt.datetime,
    until: dt.datetime,
    tz_out: str | None,
    layers: bool,
) -> str:
    """``render``'s text: per schedule its coverage, (with ``layers``) each layer (rotation) on
    its own, the final schedule, its empty slots and its gaps, in ``tz_out`` or the schedule's
    own zone."""
    out: list[str] = []
    for schedule, final in finals:
        tz = tz_out or schedule.time_zone
        out.append(f"Schedule {schedule.name!r} ({tz})")
        out.append(
            f"  {when(since, tz)} -> {when(until, tz)}: coverage {final.coverage:.0%}, "
            f"{len(final.gaps)} gap{'s' if len(final.gaps) != 1 else ''}"
        )
        if final.concurrent:
            count = len(final.layers)
            out.append(
                f"  shift-based: {count} rotation{'s' if count != 1 else ''} side by side, "
                "several people may be on call at once"
            )
        if layers:
            for label, entries, visible in zip(
                _parts(schedule), final.layers, final.visible, strict=True
            ):
                shown = sum((e.end - e.start for e in visible), dt.timedelta()) / (until - since)
                out.append("")
                out.append(f"{label} alone (shown in the final: {shown:.0%})")
                out.append(entries_table(entries, tz))
        out.append("")
        out.append("Final schedule")
        out.append(entries_table(final.entries, tz))
        if final.vacancies:
            out.append("")
            out.append("Empty slots (nobody on call)")
            out.append(
                table(
                    [
                        [when(v.start, tz), when(v.end, tz), hours(v.end - v.start), str(v.source)]
                        for v in final.vacancies
                    ],
                    ["Start", "End", "Hours", "From"],
                )
            )
        if final.gaps:
            out.append("")
            out.append("Gaps (nobody on call)")
            out.append(
                table(
                    [
                        [when(g.start, tz), when(g.end, tz), hours(g.end - g.start)]
                        for g in final.gaps
                    ],
                    ["Start", "End", "Hours"],
                )
            )
        out.append("")
    return "\n".join(out)


def _render_json(
    finals: Sequence[tuple[AnySchedule, FinalSchedule]], since: dt.datetime, until: dt.datetime
) -> dict[str, Any]:
    from oncall_planner.model import ShiftSchedule
    from oncall_planner.report.sarif import iso_utc

    def entry(e: Any) -> dict[str, str]:
        out = {"start": iso_utc(e.start), "end": iso_utc(e.end), "user": e.user.email}
        if e.source is not None:
            out["source"] = str(e.source)
        return out

    def one(s: AnySchedule, f: FinalSchedule) -> dict[str, Any]:
        doc: dict[str, Any] = {
            "name": s.name,
            "time_zone": s.time_zone,
            "coverage": round(f.coverage, 6),
            "final": [entry(e) for e in f.entries],
            "gaps": [{"start": iso_utc(g.start), "end": iso_utc(g.end)} for g in f.gaps],
        }
        parts = [
            {"name": name, "entries": [entry(e) for e in entries]}
            for name, entries in zip(_part_names(s), f.layers, strict=True)
        ]
        if isinstance(s, ShiftSchedule):
            doc["kind"] = "shift"
            doc["rotations"] = parts
            doc["vacancies"] = [
                {"start": iso_utc(v.start), "end": iso_utc(v.end), "source": str(v.source)}
                for v in f.vacancies
            ]
        else:
            doc["layers"] = parts
        return doc

    return {
        "since": iso_utc(since),
        "until": iso_utc(until),
        "schedules": [one(s, f) for s, f in finals],
    }


def _email(user: User | None) -> str | None:
    return user.email if user is not None else None


def _each_part_at(
    schedule: AnySchedule, at: dt.datetime, mode: str
) -> list[tuple[str | None, tuple[User, ...]]]:
    """Who each layer (each rotation, with its overrides-free shifts) has on call at ``at``."""
    from oncall_planner.model import ShiftSchedule
    from oncall_planner.render import layer_on_call_at, people_on_call_at

    if isinstance(schedule, ShiftSchedule):
        out = []
        for rotation in schedule.rotations:
            alone = ShiftSchedule(schedule.name, schedule.time_zone, [rotation])
            out.append((rotation.name, people_on_call_at(alone, at)))
        return out
    return [
        (
            layer.name,
            tuple(
                u
                for u in [layer_on_call_at(layer, schedule.time_zone, at, mode=mode)]  # type: ignore[arg-type]
                if u is not None
            ),
        )
        for layer in schedule.layers
    ]


def _render_at(
    args: argparse.Namespace,
    chosen: Sequence[AnySchedule],
    at: dt.datetime,
    overrides: dict[str, Any],
) -> int:
    from oncall_planner.model import ShiftSchedule
    from oncall_planner.render import people_on_call_at
    from oncall_planner.report.sarif import iso_utc

    if args.format == "json":
        schedules_doc = []
        for schedule in chosen:
            everyone = people_on_call_at(
                schedule, at, overrides.get(schedule.name, ()), mode=args.mode
            )
            parts = [
                {"name": name, "user": _email(people[0] if people else None)}
                | (
                    {"users": [u.email for u in people]}
                    if isinstance(schedule, ShiftSchedule)
                    else {}
                )
                for name, people in _each_part_at(schedule, at, args.mode)
            ]
            doc: dict[str, Any] = {
                "name": schedule.name,
                "time_zone": schedule.time_zone,
                "user": _email(everyone[0] if everyone else None),
                "users": [u.email for u in everyone],
            }
            doc["rotations" if isinstance(schedule, ShiftSchedule) else "layers"] = parts
            schedules_doc.append(doc)
        output(args, json_text({"at": iso_utc(at), "schedules": schedules_doc}))
        return 0
    out = []
    for schedule in chosen:
        tz = args.tz or schedule.time_zone
        everyone = people_on_call_at(schedule, at, overrides.get(schedule.name, ()), mode=args.mode)
        # Two lines, as the window's header: the schedule and zone, then the instant and people.
        out.append(f"Schedule {schedule.name!r} ({tz})")
        out.append(f"  {when(at, tz)}: {', '.join(u.name for u in everyone) or 'nobody'}")
        if args.layers:
            for label, (_, people) in zip(
                _parts(schedule), _each_part_at(schedule, at, args.mode), strict=True
            ):
                names = ", ".join(u.name for u in people) or "nobody"
                out.append(f"  {label[0].lower()}{label[1:]}: {names}")
    output(args, "\n".join(out) + "\n")
    return 0
