"""oncall-planner: check PagerDuty on-call set-ups before ``terraform apply``.

The public API is re-exported here; see README.md and docs/ for a tour.
"""

from oncall_planner.checks import RULES, CheckConfig, Finding, check
from oncall_planner.errors import ImportError_, OnCallPlannerError, ValidationError
from oncall_planner.escalation import Notification, escalation_timeline
from oncall_planner.ingest.pages import PageHistory, load_pages, load_pages_csv, load_pages_json
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
from oncall_planner.pages import Page, PageMetrics, page_metrics
from oncall_planner.render import Entry, FinalSchedule, Interval, on_call_at, render
from oncall_planner.timeutil import PAGERDUTY_TIME_ZONES

__version__ = "0.1.0"

__all__ = [
    "PAGERDUTY_TIME_ZONES",
    "RULES",
    "CheckConfig",
    "Entry",
    "EscalationPolicy",
    "EscalationRule",
    "FinalSchedule",
    "Finding",
    "ImportError_",
    "Interval",
    "Layer",
    "Notification",
    "OnCallPlan",
    "OnCallPlannerError",
    "Override",
    "Page",
    "PageHistory",
    "PageMetrics",
    "Restriction",
    "Schedule",
    "Target",
    "Team",
    "TimeOff",
    "User",
    "ValidationError",
    "__version__",
    "check",
    "escalation_timeline",
    "load_pages",
    "load_pages_csv",
    "load_pages_json",
    "on_call_at",
    "page_metrics",
    "render",
]
