"""``oncall-planner escalation``: who is notified when, for an incident nobody acknowledges."""

from __future__ import annotations

import argparse
import textwrap

from oncall_planner.cli._common import (
    WIDTH,
    Subparsers,
    UsageError,
    add_command,
    add_common,
    add_input,
    add_output,
    layered_overrides,
    load_overrides,
    load_plan,
    output,
    parse_instant,
    table,
    when,
    zone_arg,
)


def register(sub: Subparsers) -> argparse.ArgumentParser:
    p = add_command(
        sub,
        "escalation",
        help="who is notified when, for an incident at an instant",
        description="The notification timeline of an escalation policy for an "
        "incident nobody acknowledges.",
    )
    add_input(p)
    add_common(p)
    p.add_argument("--at", metavar="TIME", required=True, help="when the incident is triggered")
    p.add_argument("--policy", metavar="NAME", help="the policy (needed when there are several)")
    add_output(p)
    return p


def run(args: argparse.Namespace) -> int:
    from oncall_planner.escalation import escalation_timeline

    plan, _ = load_plan(args)
    policies = plan.escalation_policies
    if args.policy is not None:
        found = [p for p in policies if p.name == args.policy]
        if not found:
            known = ", ".join(repr(p.name) for p in policies) or "none"
            raise UsageError(f"--policy: no escalation policy named {args.policy!r} ({known})")
        policy = found[0]
    elif len(policies) == 1:
        policy = policies[0]
    elif not policies:
        raise UsageError(f"{args.input}: the plan has no escalation policies")
    else:
        known = ", ".join(repr(p.name) for p in policies) or "none"
        raise UsageError(f"--policy is needed: the plan has {len(policies)} policies ({known})")
    tz = zone_arg(args.tz, plan)
    at = parse_instant(args.at, tz, "--at")
    # escalation_timeline takes Override lists: the layer-based schedules' overrides
    overrides = layered_overrides(load_overrides(args), plan)
    timeline = escalation_timeline(policy, at, overrides)
    # Notes (round robin, skipped levels) would be cut off at the end of a row: each row gets a
    # [n] mark instead, and the notes are written out in full under the table.
    notes: list[str] = []
    rows = []
    for n in timeline:
        who = n.user.name if n.user is not None else "nobody"
        via = "direct" if n.target.kind == "user" else f"schedule {n.target.name}"
        mark = ""
        if n.note:
            if n.note not in notes:
                notes.append(n.note)
            mark = f"[{notes.index(n.note) + 1}]"
        row = [f"+{n.minute}m", when(n.at, tz), f"{n.level}/{n.loop}", who]
        rows.append([*row, mark, via] if any(m.note for m in timeline) else [*row, via])
    head = (
        f"Escalation policy {policy.name!r}\nIncident at {when(at, tz)} ({tz}), never acknowledged"
    )
    header = ["After", "When", "Lvl/loop", "Who"] + (["Note"] if notes else []) + ["Via"]
    body = table(rows, header) if rows else "  nobody is notified"
    for i, note in enumerate(notes):
        body += "\n" + "\n".join(
            textwrap.wrap(
                f"[{i + 1}] {note}", WIDTH, initial_indent="  ", subsequent_indent="      "
            )
        )
    output(args, f"{head}\n{body}\n")
    return 0
