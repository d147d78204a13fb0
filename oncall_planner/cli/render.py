"""``oncall-planner render``: who is on call when, per layer and final, or at one instant."""

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
    from oncall_planner.model import Schedule, User
    from oncall_planner.render import FinalSchedule


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
    p.add_argument("--layers", action="store_true", help="also show each layer on its own")
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
    tz_in = zone_arg(args.tz, plan)
    if args.at is not None:
        at = parse_instant(args.at, tz_in, "--at")
        return _render_at(args, chosen, at, overrides)
    since, until = window(args, tz_in)
    finals: list[tuple[Schedule, FinalSchedule]] = []
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


def _render_text(
    finals: Sequence[tuple[Schedule, FinalSchedule]],
    since: dt.datetime,
    until: dt.datetime,
    tz_out: str | None,
    layers: bool,
) -> str:
    """``render``'s text: per schedule its coverage, (with ``layers``) each layer on its own,
    the final schedule and its gaps, in ``tz_out`` or the schedule's own zone."""
    out: list[str] = []
    for schedule, final in finals:
        tz = tz_out or schedule.time_zone
        out.append(f"Schedule {schedule.name!r} ({tz})")
        out.append(
            f"  {when(since, tz)} -> {when(until, tz)}: coverage {final.coverage:.0%}, "
            f"{len(final.gaps)} gap{'s' if len(final.gaps) != 1 else ''}"
        )
        if layers:
            for i, (layer, entries, visible) in enumerate(
                zip(schedule.layers, final.layers, final.visible, strict=True)
            ):
                shown = sum((e.end - e.start for e in visible), dt.timedelta()) / (until - since)
                out.append("")
                out.append(f"Layer {i + 1} {layer.name!r} alone (shown in the final: {shown:.0%})")
                out.append(entries_table(entries, tz))
        out.append("")
        out.append("Final schedule")
        out.append(entries_table(final.entries, tz))
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
    finals: Sequence[tuple[Schedule, FinalSchedule]], since: dt.datetime, until: dt.datetime
) -> dict[str, Any]:
    from oncall_planner.report.sarif import iso_utc

    def entry(e: Any) -> dict[str, str]:
        return {"start": iso_utc(e.start), "end": iso_utc(e.end), "user": e.user.email}

    return {
        "since": iso_utc(since),
        "until": iso_utc(until),
        "schedules": [
            {
                "name": s.name,
                "time_zone": s.time_zone,
                "coverage": round(f.coverage, 6),
                "final": [entry(e) for e in f.entries],
                "gaps": [{"start": iso_utc(g.start), "end": iso_utc(g.end)} for g in f.gaps],
                "layers": [
                    {"name": layer.name, "entries": [entry(e) for e in entries]}
                    for layer, entries in zip(s.layers, f.layers, strict=True)
                ],
            }
            for s, f in finals
        ],
    }


def _email(user: User | None) -> str | None:
    return user.email if user is not None else None


def _render_at(
    args: argparse.Namespace,
    chosen: Sequence[Schedule],
    at: dt.datetime,
    overrides: dict[str, Any],
) -> int:
    from oncall_planner.render import layer_on_call_at, on_call_at
    from oncall_planner.report.sarif import iso_utc

    if args.format == "json":
        doc = {
            "at": iso_utc(at),
            "schedules": [
                {
                    "name": schedule.name,
                    "time_zone": schedule.time_zone,
                    "user": _email(
                        on_call_at(schedule, at, overrides.get(schedule.name, ()), mode=args.mode)
                    ),
                    "layers": [
                        {
                            "name": layer.name,
                            "user": _email(
                                layer_on_call_at(layer, schedule.time_zone, at, mode=args.mode)
                            ),
                        }
                        for layer in schedule.layers
                    ],
                }
                for schedule in chosen
            ],
        }
        output(args, json_text(doc))
        return 0
    out = []
    for schedule in chosen:
        tz = args.tz or schedule.time_zone
        who = on_call_at(schedule, at, overrides.get(schedule.name, ()), mode=args.mode)
        # Two lines, as the window's header: the schedule and zone, then the instant and person.
        out.append(f"Schedule {schedule.name!r} ({tz})")
        out.append(f"  {when(at, tz)}: {who.name if who else 'nobody'}")
        if args.layers:
            for i, layer in enumerate(schedule.layers):
                user = layer_on_call_at(layer, schedule.time_zone, at, mode=args.mode)
                out.append(f"  layer {i + 1} {layer.name!r}: {user.name if user else 'nobody'}")
    output(args, "\n".join(out) + "\n")
    return 0
