"""oncall-planner: check PagerDuty on-call set-ups before ``terraform apply``.

The public API is re-exported here; see README.md and docs/ for a tour.
"""

from typing import TYPE_CHECKING

from oncall_planner.checks import RULES, CheckConfig, Finding, check, position_changes
from oncall_planner.emit import (
    TerraformEmitWarning,
    overrides_api_body,
    to_terraform_json,
    write_terraform_json,
)
from oncall_planner.errors import (
    InputReadError,
    OnCallPlannerError,
    ValidationError,
    deprecated_error,
)
from oncall_planner.escalation import Notification, escalation_timeline
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
from oncall_planner.health import HealthConfig, HealthReport, History, health_report
from oncall_planner.ingest import TerraformImport, import_terraform, load_terraform
from oncall_planner.ingest.health import load_health_config, load_history
from oncall_planner.ingest.pages import PageHistory, load_pages, load_pages_csv, load_pages_json
from oncall_planner.ingest.postmortems import load_postmortems
from oncall_planner.migration import (
    Conversion,
    ConversionProof,
    PlanConversion,
    prove_conversion,
    to_shift_plan,
    to_shift_schedule,
)
from oncall_planner.model import (
    EMPTY_MEMBER,
    CustomShift,
    EmptyMember,
    EscalationPolicy,
    EscalationRule,
    EveryMember,
    Layer,
    OnCallPlan,
    Override,
    Restriction,
    RotatingMembers,
    Rotation,
    Schedule,
    ShiftEvent,
    ShiftMember,
    ShiftOverride,
    ShiftSchedule,
    Target,
    Team,
    TimeOff,
    User,
)
from oncall_planner.pages import Page, PageMetrics, page_metrics
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
    change_rotation_members,
    change_schedule_members,
    cover_time_off,
    diff,
    follow_the_sun,
    format_diff,
    holiday_dates,
    next_handoff,
    plan_rotation,
)
from oncall_planner.render import (
    Entry,
    FinalSchedule,
    Interval,
    ShiftRenderOptions,
    Source,
    Vacancy,
    on_call_at,
    people_on_call_at,
    render,
)
from oncall_planner.timeutil import PAGERDUTY_TIME_ZONES

__version__ = "0.1.0"

if TYPE_CHECKING:
    ImportError_ = InputReadError  # deprecated: use InputReadError
else:

    def __getattr__(name: str) -> type[OnCallPlannerError]:
        """``ImportError_``, the old name of :class:`InputReadError`, warns for one release."""
        return deprecated_error(name, __name__)


__all__ = [
    "EMPTY_MEMBER",
    "PAGERDUTY_TIME_ZONES",
    "RULES",
    "AuditReport",
    "Change",
    "CheckConfig",
    "Conversion",
    "ConversionProof",
    "Cover",
    "CoverResult",
    "CustomShift",
    "Debt",
    "EmptyMember",
    "Entry",
    "EscalationPolicy",
    "EscalationRule",
    "EveryMember",
    "FairnessReport",
    "FinalSchedule",
    "Finding",
    "FollowTheSun",
    "HealthConfig",
    "HealthReport",
    "History",
    "InputReadError",
    "Interval",
    "Layer",
    "Ledger",
    "LedgerEntry",
    "Notification",
    "OnCallPlan",
    "OnCallPlannerError",
    "Override",
    "Page",
    "PageHistory",
    "PageMetrics",
    "PayRates",
    "PersonLoad",
    "PlanConversion",
    "PolicyOptions",
    "Region",
    "Restriction",
    "RotatingMembers",
    "Rotation",
    "Schedule",
    "ShiftEvent",
    "ShiftMember",
    "ShiftOverride",
    "ShiftRenderOptions",
    "ShiftSchedule",
    "Source",
    "Target",
    "Team",
    "TerraformEmitWarning",
    "TerraformImport",
    "TimeOff",
    "User",
    "Vacancy",
    "ValidationError",
    "Weights",
    "__version__",
    "assert_fair",
    "audit",
    "balance_holidays",
    "change_members",
    "change_rotation_members",
    "change_schedule_members",
    "check",
    "cover_time_off",
    "diff",
    "escalation_timeline",
    "fairness_report",
    "follow_the_sun",
    "format_diff",
    "health_report",
    "holiday_dates",
    "import_terraform",
    "load_health_config",
    "load_history",
    "load_pages",
    "load_pages_csv",
    "load_pages_json",
    "load_postmortems",
    "load_terraform",
    "next_handoff",
    "on_call_at",
    "overrides_api_body",
    "page_metrics",
    "people_on_call_at",
    "plan_rotation",
    "position_changes",
    "prove_conversion",
    "render",
    "to_shift_plan",
    "to_shift_schedule",
    "to_terraform_json",
    "write_terraform_json",
]
