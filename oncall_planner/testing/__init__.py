"""Helpers for testing code that talks to PagerDuty: a local stand-in of its REST API.

One job a module: :mod:`~oncall_planner.testing.account` builds an account from a plan,
:mod:`~oncall_planner.testing.render_v2` and :mod:`~oncall_planner.testing.render_v3` are the
stand-in's own reference renderers of layer-based and shift-based schedules, and
:mod:`~oncall_planner.testing.server` serves the account over HTTP on 127.0.0.1.
"""

from oncall_planner.testing.account import account_from_plan, pd_id
from oncall_planner.testing.render_v2 import render_schedule
from oncall_planner.testing.render_v3 import render_v3_schedule
from oncall_planner.testing.server import ALL_SCOPES, READ_ONLY, PagerDutyStandIn

__all__ = [
    "ALL_SCOPES",
    "READ_ONLY",
    "PagerDutyStandIn",
    "account_from_plan",
    "pd_id",
    "render_schedule",
    "render_v3_schedule",
]
