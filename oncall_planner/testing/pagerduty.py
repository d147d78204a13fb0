"""The stand-in's first home, one module for all its jobs, kept so that
``from oncall_planner.testing.pagerduty import X`` still works for every name it defined: they
now live in :mod:`~oncall_planner.testing.account`, :mod:`~oncall_planner.testing.render_v2`,
:mod:`~oncall_planner.testing.render_v3`, :mod:`~oncall_planner.testing.server` and their shared
:mod:`~oncall_planner.testing._common`, and this module hands them on."""

from oncall_planner.testing._common import (
    MINUTE,
    SELF,
    UTC,
    _from_local,
    _iana,
    _iso,
    _parse,
    _ref,
)
from oncall_planner.testing.account import (
    _at,
    _v3_extras,
    _v3_member,
    _v3_schedule,
    account_from_plan,
    pd_id,
)
from oncall_planner.testing.render_v2 import (
    _entries,
    _LayerRules,
    render_schedule,
)
from oncall_planner.testing.render_v3 import (
    V3_RENDERING,
    _same_member,
    _v3_dates,
    _v3_event_shifts,
    _v3_rule,
    render_v3_schedule,
)
from oncall_planner.testing.server import (
    _ROUTES,
    ALL_SCOPES,
    READ_ONLY,
    PagerDutyStandIn,
    _Answer,
    _clip,
    _error,
    _Fail,
    _v3_error,
)

__all__ = [
    "ALL_SCOPES",
    "MINUTE",
    "READ_ONLY",
    "SELF",
    "UTC",
    "V3_RENDERING",
    "_ROUTES",
    "PagerDutyStandIn",
    "_Answer",
    "_Fail",
    "_LayerRules",
    "_at",
    "_clip",
    "_entries",
    "_error",
    "_from_local",
    "_iana",
    "_iso",
    "_parse",
    "_ref",
    "_same_member",
    "_v3_dates",
    "_v3_error",
    "_v3_event_shifts",
    "_v3_extras",
    "_v3_member",
    "_v3_rule",
    "_v3_schedule",
    "account_from_plan",
    "pd_id",
    "render_schedule",
    "render_v3_schedule",
]
