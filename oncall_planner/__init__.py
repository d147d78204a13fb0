"""oncall-planner: check PagerDuty on-call set-ups before ``terraform apply``.

The public API is re-exported here; see README.md and docs/ for a tour.
"""

from oncall_planner.emit import (
    TerraformEmitWarning,
    overrides_api_body,
    to_terraform_json,
    write_terraform_json,
)
from oncall_planner.errors import ImportError_, OnCallPlannerError, ValidationError
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
from oncall_planner.planning import (
    Change,
    Cover,
    CoverResult,
    Debt,
    FollowTheSun,
    Ledger,
    LedgerEntry,
    PolicyOptions,
    Region,
    balance_holidays,
    change_members,
    change_schedule_members,
    cover_time_off,
    diff,
    follow_the_sun,
    format_diff,
    holiday_dates,
    next_handoff,
    plan_rotation,
)
from oncall_planner.render import Entry, FinalSchedule, Interval, on_call_at, render
from oncall_planner.timeutil import PAGERDUTY_TIME_ZONES

__version__ = "0.1.0"

__all__ = [  # noqa: RUF022 - each feature appends its names; sorted when merged
    "PAGERDUTY_TIME_ZONES",
    "Entry",
    "EscalationPolicy",
    "EscalationRule",
    "FinalSchedule",
    "ImportError_",
    "Interval",
    "Layer",
    "OnCallPlan",
    "OnCallPlannerError",
    "Override",
    "Restriction",
    "Schedule",
    "Target",
    "Team",
    "TerraformEmitWarning",
    "TimeOff",
    "User",
    "ValidationError",
    "__version__",
    "on_call_at",
    "overrides_api_body",
    "render",
    "to_terraform_json",
    "write_terraform_json",
    "Change",
    "Cover",
    "CoverResult",
    "Debt",
    "FollowTheSun",
    "Ledger",
    "LedgerEntry",
    "PolicyOptions",
    "Region",
    "balance_holidays",
    "change_members",
    "change_schedule_members",
    "cover_time_off",
    "diff",
    "follow_the_sun",
    "format_diff",
    "holiday_dates",
    "next_handoff",
    "plan_rotation",
]
