"""Fatigue and health checks: a linter for on-call set-ups, run on the rendered plan.

``check(plan, since, until)`` runs every registered rule (see ``RULES`` and docs/checks.md) and
returns the findings sorted by severity, code, subject and first interval.
"""

# Importing the families registers their rules, in code order.
from oncall_planner.checks import (  # noqa: F401
    coverage,
    escalation,
    health,
    imports,
    pages,
    rest,
    rotation,
    shifts,
    slo,
)
from oncall_planner.checks._engine import (
    RULES,
    SEVERITIES,
    CheckConfig,
    Context,
    Finding,
    Hit,
    Rule,
    check,
    rule,
)
from oncall_planner.checks.shifts import position_changes

__all__ = [
    "RULES",
    "SEVERITIES",
    "CheckConfig",
    "Context",
    "Finding",
    "Hit",
    "Rule",
    "check",
    "position_changes",
    "rule",
]
