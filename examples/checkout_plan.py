"""The seed's checkout team, set up the way it is meant to be for Terraform.

The seed Terraform puts "Primary" and "Secondary" as two layers of one schedule, so the secondary
layer hides the primary one entirely and nobody is ever paged as secondary. Built correctly they are
two schedules, and the escalation policy pages the primary, then the secondary, then the
engineering manager. The people are the seed's (examples/seed_plan.py).

``build_checkout_plan()`` is used by the CDKTF project in examples/cdktf/, by `make demo` and by the
tests that compare ``cdktf synth`` with the native Terraform JSON. Nothing here has side effects.
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from seed_plan import ALICE, BOB, CAROL, DAVE, MANAGER, NEW_YORK, TEAM

from oncall_planner import (
    EscalationPolicy,
    EscalationRule,
    Layer,
    OnCallPlan,
    Schedule,
    Target,
    Team,
)

WEEK = dt.timedelta(weeks=1)
START = dt.datetime(2025, 1, 6, 9, tzinfo=NEW_YORK)  # a Monday, 09:00 in New York

__all__ = ["ALICE", "BOB", "CAROL", "DAVE", "MANAGER", "build_checkout_plan"]


def build_checkout_plan() -> OnCallPlan:
    """Primary and secondary as two schedules (the secondary is last week's primary, as in the
    seed), one team of the four engineers and their manager, one policy."""
    team = Team("Checkout", (*TEAM, MANAGER), description="Checkout service owners")
    primary = Schedule(
        "Checkout Primary",
        "America/New_York",
        [Layer("Weekly", TEAM, START, WEEK)],
        teams=[team],
    )
    secondary = Schedule(
        "Checkout Secondary",
        "America/New_York",
        [Layer("Weekly", TEAM, START, WEEK, rotation_virtual_start=START + WEEK)],
        teams=[team],
    )
    policy = EscalationPolicy(
        "Checkout Escalation",
        [
            EscalationRule(10, [Target.schedule(primary)]),
            EscalationRule(10, [Target.schedule(secondary)]),
            EscalationRule(15, [Target.user(MANAGER)]),
        ],
        num_loops=2,
        team=team,
    )
    return OnCallPlan(escalation_policies=[policy])
