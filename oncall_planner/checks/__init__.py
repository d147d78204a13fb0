"""Fatigue and health checks: a linter for on-call set-ups, run on the rendered plan.

``check(plan, since, until)`` runs every registered rule (see ``RULES`` and docs/checks.md) and
returns the findings sorted by severity, code, subject and first interval.
"""

# Importing the families registers their rules, in code order.
from oncall_planner.checks import coverage, escalation, pages, rest, rotation, slo  # noqa: F401
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

__all__ = [
    "RULES",
    "SEVERITIES",
    "CheckConfig",
    "Context",
    "Finding",
    "Hit",
    "Rule",
    "check",
    "rule",
]
