"""Helpers for testing code that talks to PagerDuty: a local stand-in of its REST API."""

from oncall_planner.testing.pagerduty import (
    ALL_SCOPES,
    READ_ONLY,
    PagerDutyStandIn,
    account_from_plan,
    pd_id,
    render_schedule,
    render_v3_schedule,
)

__all__ = [
    "ALL_SCOPES",
    "READ_ONLY",
    "PagerDutyStandIn",
    "account_from_plan",
    "pd_id",
    "render_schedule",
    "render_v3_schedule",
]
