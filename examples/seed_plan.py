"""The seed's on-call set-up, built in Python.

This is ``tests/data/seed-pagerduty.tf`` (the Terraform from the article this project started from)
as it stands: one schedule, "Checkout Team On-Call", with a "Primary" and a "Secondary" layer
that both rotate the same four people weekly around the clock, and an escalation policy that pages
the schedule, then the engineering manager, looping twice.

Import ``build_plan()`` from other examples and tests; nothing here has side effects.
``build_migrated_plan()`` is the same set-up moved to a shift-based schedule
(``pagerduty_schedulev2``) taking over at the first handoff from :data:`MIGRATION_SINCE`.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from oncall_planner import (
    EscalationPolicy,
    EscalationRule,
    Layer,
    OnCallPlan,
    Schedule,
    Target,
    User,
    to_shift_plan,
)

NEW_YORK = ZoneInfo("America/New_York")
WEEK = dt.timedelta(weeks=1)
#: When the demo's migration asks to take over (a fixed date: the output never depends on now).
MIGRATION_SINCE = dt.datetime(2025, 3, 3, tzinfo=NEW_YORK)

ALICE = User("Alice", "alice@example.com", "America/New_York")
BOB = User("Bob", "bob@example.com", "America/New_York")
CAROL = User("Carol", "carol@example.com", "America/New_York")
DAVE = User("Dave", "dave@example.com", "America/New_York")
MANAGER = User("Engineering Manager", "engineering_manager@example.com", "America/New_York")
TEAM = (ALICE, BOB, CAROL, DAVE)


def build_schedule() -> Schedule:
    """The seed's schedule, with both layers exactly as the Terraform gives them."""
    start = dt.datetime(2025, 1, 1, tzinfo=NEW_YORK)
    return Schedule(
        "Checkout Team On-Call",
        "America/New_York",
        [
            Layer("Primary", TEAM, start, WEEK),
            Layer(
                "Secondary",
                TEAM,
                start,
                WEEK,
                rotation_virtual_start=dt.datetime(2025, 1, 8, tzinfo=NEW_YORK),
            ),
        ],
    )


def build_plan() -> OnCallPlan:
    """The seed's schedule and escalation policy as one plan."""
    schedule = build_schedule()
    policy = EscalationPolicy(
        "Checkout Escalation",
        [
            EscalationRule(10, [Target.schedule(schedule)]),
            EscalationRule(15, [Target.user(MANAGER)]),
        ],
        num_loops=2,
    )
    return OnCallPlan(schedules=[schedule], escalation_policies=[policy])


def build_migrated_plan() -> OnCallPlan:
    """The seed's plan with its schedule converted to a shift-based one from the first handoff
    at or after :data:`MIGRATION_SINCE`, and the policy targeting it."""
    return to_shift_plan(build_plan(), MIGRATION_SINCE).plan
