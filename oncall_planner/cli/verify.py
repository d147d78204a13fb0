"""``oncall-planner verify``: our render of each schedule against PagerDuty's, minute by minute."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from oncall_planner.cli._common import (
    PhaseProgress,
    Subparsers,
    UsageError,
    add_api,
    add_command,
    add_output,
    add_window,
    api_client,
    output,
    window,
)

if TYPE_CHECKING:
    from oncall_planner.render import ShiftRenderOptions


def register(sub: Subparsers) -> argparse.ArgumentParser:
    p = add_command(
        sub,
        "verify",
        help="our render of each schedule against PagerDuty's own (exit 1 on a disagreement)",
        description="For each schedule of the account (or --schedule/--team), render the "
        "definition PagerDuty returns and compare it with PagerDuty's final_schedule for the "
        "same window, minute by minute: for a shift-based schedule, the sets of people on call. "
        "Each disagreement names who each side has on call, the layers, rotations, custom "
        "shifts and overrides involved, what is near (a daylight-saving change, a handoff, a "
        "restriction edge) and, for a shift-based schedule, the render option that would "
        "explain it: how you settle an open question of docs/schedulev2.md on your own "
        "account. Exit 1 when there is one. --record DIR saves the API responses, without the "
        "token, to attach to a bug report.",
    )
    which = p.add_mutually_exclusive_group()
    which.add_argument(
        "--schedule", action="append", metavar="ID", help="only this schedule (repeatable)"
    )
    which.add_argument(
        "--team", action="append", metavar="ID", help="only this team's schedules (repeatable)"
    )
    add_window(p)
    p.add_argument(
        "--mode",
        choices=["wall", "elapsed"],
        default="wall",
        help="our turn arithmetic: wall clock (default) or elapsed time",
    )
    p.add_argument(
        "--shift-option",
        action="append",
        metavar="NAME=VALUE",
        help="a ShiftRenderOptions choice for shift-based schedules, e.g. duration=wallclock "
        "(repeatable; docs/schedulev2.md lists them)",
    )
    p.add_argument("--format", choices=["text", "json"], default="text", help="output format")
    add_api(p, replay=True)
    add_output(p)
    return p


def shift_options(pairs: list[str] | None) -> ShiftRenderOptions:
    """The :class:`~oncall_planner.ShiftRenderOptions` that ``--shift-option NAME=VALUE`` pairs
    describe (``true``/``false`` for the yes-or-no ones)."""
    import attrs

    from oncall_planner.errors import ValidationError
    from oncall_planner.render import ShiftRenderOptions

    fields = {f.name: f for f in attrs.fields(ShiftRenderOptions)}
    chosen: dict[str, object] = {}
    for pair in pairs or ():
        name, sep, value = pair.partition("=")
        name, value = name.strip(), value.strip()
        if not sep or name not in fields:
            raise UsageError(
                f"--shift-option must be NAME=VALUE with NAME one of {', '.join(fields)}, "
                f"got {pair!r}"
            )
        if fields[name].type in (bool, "bool"):
            if value.lower() not in ("true", "false"):
                raise UsageError(f"--shift-option {name} must be true or false, got {value!r}")
            chosen[name] = value.lower() == "true"
        else:
            chosen[name] = value
    try:
        return ShiftRenderOptions(**chosen)  # type: ignore[arg-type]
    except ValidationError as error:
        raise UsageError(f"--shift-option: {error}") from None


def run(args: argparse.Namespace) -> int:
    from oncall_planner.pagerduty_api.verify import verify

    options = shift_options(args.shift_option)
    since, until = window(args, "Etc/UTC")
    client = api_client(args)
    progress = PhaseProgress()
    try:
        result = verify(
            client,
            since=since,
            until=until,
            schedule_ids=args.schedule or (),
            team_ids=args.team or (),
            mode=args.mode,
            options=options,
            progress=progress,
        )
    finally:
        progress.close()
    output(args, result.to_json() if args.format == "json" else result.to_text())
    if not result.schedules:
        # A CI gate must not pass having compared nothing (as `check` on an empty import).
        left = f" ({len(result.notes)} note(s) above say why)" if result.notes else ""
        raise UsageError(f"nothing verified: no schedule could be compared with PagerDuty{left}")
    return 0 if result.ok else 1
