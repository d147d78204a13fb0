"""oncall-planner: check PagerDuty on-call set-ups before ``terraform apply``.

The public API is re-exported here; see README.md and docs/ for a tour.

``import oncall_planner`` loads none of it: each name is imported from its module on first use
(``from oncall_planner import render`` loads the renderer and what it needs, not the importer or
the reports), so the command line and scripts start fast. Type checkers and IDEs read the
imports under ``TYPE_CHECKING`` below; :data:`_EXPORTS` says where each name lives at run time,
and ``tests/test_package.py`` keeps the two in step.
"""

from __future__ import annotations

import importlib
import sys
import types
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

if TYPE_CHECKING:
    from oncall_planner.checks import (
        RULES,
        CheckConfig,
        Finding,
        check,
        position_changes,
    )
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
    )
    from oncall_planner.escalation import (
        Notification,
        escalation_timeline,
    )
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
    from oncall_planner.health import (
        HealthConfig,
        HealthReport,
        History,
        health_report,
    )
    from oncall_planner.ingest import (
        TerraformImport,
        import_terraform,
        load_terraform,
    )
    from oncall_planner.ingest.health import (
        load_health_config,
        load_history,
    )
    from oncall_planner.ingest.pages import (
        PageHistory,
        load_pages,
        load_pages_csv,
        load_pages_json,
    )
    from oncall_planner.ingest.postmortems import (
        load_postmortems,
    )
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
    from oncall_planner.pages import (
        Page,
        PageMetrics,
        page_metrics,
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
        render_each,
    )
    from oncall_planner.timeutil import (
        PAGERDUTY_TIME_ZONES,
    )

    ImportError_ = InputReadError  # deprecated: use InputReadError

#: Where each public name lives: the module it is imported from on first use.
_EXPORTS: dict[str, str] = {
    "AuditReport": "oncall_planner.fairness",
    "Change": "oncall_planner.planning",
    "CheckConfig": "oncall_planner.checks",
    "Conversion": "oncall_planner.migration",
    "ConversionProof": "oncall_planner.migration",
    "Cover": "oncall_planner.planning",
    "CoverResult": "oncall_planner.planning",
    "CustomShift": "oncall_planner.model",
    "Debt": "oncall_planner.planning",
    "EMPTY_MEMBER": "oncall_planner.model",
    "EmptyMember": "oncall_planner.model",
    "Entry": "oncall_planner.render",
    "EscalationPolicy": "oncall_planner.model",
    "EscalationRule": "oncall_planner.model",
    "EveryMember": "oncall_planner.model",
    "FairnessReport": "oncall_planner.fairness",
    "FinalSchedule": "oncall_planner.render",
    "Finding": "oncall_planner.checks",
    "FollowTheSun": "oncall_planner.planning",
    "HealthConfig": "oncall_planner.health",
    "HealthReport": "oncall_planner.health",
    "History": "oncall_planner.health",
    "InputReadError": "oncall_planner.errors",
    "Interval": "oncall_planner.render",
    "Layer": "oncall_planner.model",
    "Ledger": "oncall_planner.planning",
    "LedgerEntry": "oncall_planner.planning",
    "Notification": "oncall_planner.escalation",
    "OnCallPlan": "oncall_planner.model",
    "OnCallPlannerError": "oncall_planner.errors",
    "Override": "oncall_planner.model",
    "PAGERDUTY_TIME_ZONES": "oncall_planner.timeutil",
    "Page": "oncall_planner.pages",
    "PageHistory": "oncall_planner.ingest.pages",
    "PageMetrics": "oncall_planner.pages",
    "PayRates": "oncall_planner.fairness",
    "PersonLoad": "oncall_planner.fairness",
    "PlanConversion": "oncall_planner.migration",
    "PolicyOptions": "oncall_planner.planning",
    "RULES": "oncall_planner.checks",
    "Region": "oncall_planner.planning",
    "Restriction": "oncall_planner.model",
    "RotatingMembers": "oncall_planner.model",
    "Rotation": "oncall_planner.model",
    "Schedule": "oncall_planner.model",
    "ShiftEvent": "oncall_planner.model",
    "ShiftMember": "oncall_planner.model",
    "ShiftOverride": "oncall_planner.model",
    "ShiftRenderOptions": "oncall_planner.render",
    "ShiftSchedule": "oncall_planner.model",
    "Source": "oncall_planner.render",
    "Target": "oncall_planner.model",
    "Team": "oncall_planner.model",
    "TerraformEmitWarning": "oncall_planner.emit",
    "TerraformImport": "oncall_planner.ingest",
    "TimeOff": "oncall_planner.model",
    "User": "oncall_planner.model",
    "Vacancy": "oncall_planner.render",
    "ValidationError": "oncall_planner.errors",
    "Weights": "oncall_planner.fairness",
    "assert_fair": "oncall_planner.fairness",
    "audit": "oncall_planner.fairness",
    "balance_holidays": "oncall_planner.planning",
    "change_members": "oncall_planner.planning",
    "change_rotation_members": "oncall_planner.planning",
    "change_schedule_members": "oncall_planner.planning",
    "check": "oncall_planner.checks",
    "cover_time_off": "oncall_planner.planning",
    "diff": "oncall_planner.planning",
    "escalation_timeline": "oncall_planner.escalation",
    "fairness_report": "oncall_planner.fairness",
    "follow_the_sun": "oncall_planner.planning",
    "format_diff": "oncall_planner.planning",
    "health_report": "oncall_planner.health",
    "holiday_dates": "oncall_planner.planning",
    "import_terraform": "oncall_planner.ingest",
    "load_health_config": "oncall_planner.ingest.health",
    "load_history": "oncall_planner.ingest.health",
    "load_pages": "oncall_planner.ingest.pages",
    "load_pages_csv": "oncall_planner.ingest.pages",
    "load_pages_json": "oncall_planner.ingest.pages",
    "load_postmortems": "oncall_planner.ingest.postmortems",
    "load_terraform": "oncall_planner.ingest",
    "next_handoff": "oncall_planner.planning",
    "on_call_at": "oncall_planner.render",
    "overrides_api_body": "oncall_planner.emit",
    "page_metrics": "oncall_planner.pages",
    "people_on_call_at": "oncall_planner.render",
    "plan_rotation": "oncall_planner.planning",
    "position_changes": "oncall_planner.checks",
    "prove_conversion": "oncall_planner.migration",
    "render": "oncall_planner.render",
    "render_each": "oncall_planner.render",
    "to_shift_plan": "oncall_planner.migration",
    "to_shift_schedule": "oncall_planner.migration",
    "to_terraform_json": "oncall_planner.emit",
    "write_terraform_json": "oncall_planner.emit",
}


def __getattr__(name: str) -> Any:
    """Import a public name from its module on first use and keep it here; ``ImportError_``,
    the old name of :class:`InputReadError`, warns for one release."""
    module = _EXPORTS.get(name)
    if module is None:
        from oncall_planner.errors import deprecated_error

        return deprecated_error(name, __name__)
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})


class _Package(types.ModuleType):
    """The package's module type: importing the submodule ``oncall_planner.render`` binds the
    name ``render`` in the package, where the public name is the function ``render``. Such a
    binding keeps the function (as the eager imports this package once made did)."""

    def __setattr__(self, name: str, value: Any) -> None:
        if isinstance(value, types.ModuleType) and _EXPORTS.get(name) == value.__name__:
            value = getattr(value, name)
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Package


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
    "render_each",
    "to_shift_plan",
    "to_shift_schedule",
    "to_terraform_json",
    "write_terraform_json",
]
