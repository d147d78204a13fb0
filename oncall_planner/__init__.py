"""oncall-planner: check PagerDuty on-call set-ups before ``terraform apply``.

The public API is re-exported here; see README.md and docs/ for a tour.
"""

from oncall_planner.errors import ImportError_, OnCallPlannerError, ValidationError
from oncall_planner.fairness import (
    AuditReport,
    FairnessReport,
    PayRates,
    PersonLoad,
    Weights,
    assert_fair,
    audit,
    fairness_report,
)
from oncall_planner.model import (
    EscalationPolicy,
    EscalationRule,
    Layer,
    OnCallPlan,
    Override,
    Restriction,
    Schedule,
    Target,
    Team,
    TimeOff,
    User,
)
from oncall_planner.render import Entry, FinalSchedule, Interval, on_call_at, render
from oncall_planner.timeutil import PAGERDUTY_TIME_ZONES

__version__ = "0.1.0"

__all__ = [
    "PAGERDUTY_TIME_ZONES",
    "AuditReport",
    "Entry",
    "EscalationPolicy",
    "EscalationRule",
    "FairnessReport",
    "FinalSchedule",
    "ImportError_",
    "Interval",
    "Layer",
    "OnCallPlan",
    "OnCallPlannerError",
    "Override",
    "PayRates",
    "PersonLoad",
    "Restriction",
    "Schedule",
    "Target",
    "Team",
    "TimeOff",
    "User",
    "ValidationError",
    "Weights",
    "__version__",
    "assert_fair",
    "audit",
    "fairness_report",
    "on_call_at",
    "render",
]
