"""`make demo`, planning section: the seed team's rotation planned, then Erin joins and Bob leaves.

Prints (fixed dates, never "now"):

1. the seed's set-up the right way: primary and secondary as two schedules, the secondary one
   turn behind, and a policy paging primary, secondary, then the manager;
2. a membership change on the seed's own schedule (Erin joins, Bob leaves, effective Friday
   2025-03-14): the layers it produces and the diff of who is on call, next to what a naive edit
   of the ``users`` lists would do.
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import attrs

sys.path.insert(0, str(Path(__file__).resolve().parent))

from seed_plan import MANAGER, NEW_YORK, TEAM, build_schedule

from oncall_planner import (
    PolicyOptions,
    User,
    change_schedule_members,
    diff,
    format_diff,
    plan_rotation,
    render,
)

ERIN = User("Erin", "erin@example.com", "America/New_York")
START = dt.datetime(2025, 1, 1, tzinfo=NEW_YORK)  # the seed's own start
EFFECTIVE = dt.datetime(2025, 3, 14, 12, tzinfo=NEW_YORK)  # a Friday, mid-turn
SINCE = dt.datetime(2025, 3, 5, tzinfo=NEW_YORK)
UNTIL = SINCE + dt.timedelta(weeks=8)


def _day(value: dt.datetime) -> str:
    return value.astimezone(NEW_YORK).strftime("%a %Y-%m-%d %H:%M %Z")


def show_rotation() -> None:
    print("-- The seed's rotation, the right way")
    seed = render(build_schedule(), SINCE, UNTIL)
    shown = sum((e.duration for e in seed.visible[0]), dt.timedelta()) / (UNTIL - SINCE)
    print(
        "The seed puts Primary and Secondary in ONE schedule: the later layer wins, so the "
        f"Primary layer shows {shown:.0%} of the time and the primary is never paged."
    )
    plan = plan_rotation(
        TEAM,
        START,
        "America/New_York",
        manager=MANAGER,
        policy=PolicyOptions(name="Checkout Escalation", num_loops=2),
        name="Checkout Team On-Call",
    )
    print("plan_rotation() builds two schedules instead:")
    finals = [render(s, SINCE, SINCE + dt.timedelta(weeks=4)) for s in plan.schedules]
    print(f"  {'week from':<26}{'primary':<10}secondary")
    for p, s in zip(finals[0].entries, finals[1].entries, strict=True):
        print(f"  {_day(p.start):<26}{p.user.name:<10}{s.user.name}")
    (policy,) = plan.escalation_policies
    levels = " → ".join(f"{r.targets[0].name} ({r.delay_minutes} min)" for r in policy.rules)
    print(f"Policy {policy.name!r}: {levels}, {policy.num_loops} loops\n")


def show_membership_change() -> None:
    print("-- Erin joins, Bob leaves, effective " + _day(EFFECTIVE))
    before = build_schedule()
    roster = [u for u in TEAM if u.name != "Bob"] + [ERIN]
    after = change_schedule_members(before, roster, EFFECTIVE)
    print("change_members() keeps each layer up to its next handoff and adds a successor:")
    for layer in after.layers:
        end = f"ends {_day(layer.end)}" if layer.end else "no end"
        names = ", ".join(u.name for u in layer.users)
        print(f"  layer {layer.name!r:<12} starts {_day(layer.start)}, {end:<34} [{names}]")
    print("\nWho is on call, before vs after (8 weeks):")
    print(format_diff(diff(before, after, SINCE, UNTIL), "America/New_York"), end="")

    naive = attrs.evolve(
        before, layers=[attrs.evolve(layer, users=roster) for layer in before.layers]
    )
    changes = diff(before, naive, SINCE, UNTIL)
    first = changes[0]
    print(
        f"\nA naive edit of the users lists changes {len(changes)} stretches instead, starting "
        f"with the turn in progress: from {_day(first.start)} "
        f"{first.before.name if first.before else 'nobody'} → "
        f"{first.after.name if first.after else 'nobody'}.\n"
    )


def run() -> None:
    show_rotation()
    show_membership_change()


if __name__ == "__main__":
    run()
