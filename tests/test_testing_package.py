"""The stand-in was one module, ``oncall_planner.testing.pagerduty``; it is now a module a job, and
the old module still hands on every name it defined, so code that imports it keeps working."""

from __future__ import annotations

import oncall_planner.testing as testing
from oncall_planner.testing import pagerduty

#: Every name ``oncall_planner/testing/pagerduty.py`` defined before the split.
OLD_NAMES = {
    "UTC",
    "MINUTE",
    "SELF",
    "ALL_SCOPES",
    "READ_ONLY",
    "pd_id",
    "_iso",
    "_parse",
    "_ref",
    "account_from_plan",
    "_v3_member",
    "_v3_schedule",
    "_v3_extras",
    "_at",
    "_from_local",
    "_LayerRules",
    "_entries",
    "render_schedule",
    "_clip",
    "V3_RENDERING",
    "_v3_dates",
    "_v3_rule",
    "_v3_event_shifts",
    "_iana",
    "_same_member",
    "render_v3_schedule",
    "_Fail",
    "_ROUTES",
    "_Answer",
    "_v3_error",
    "_error",
    "PagerDutyStandIn",
}


def test_the_old_module_hands_on_every_name_it_defined() -> None:
    assert set(pagerduty.__all__) == OLD_NAMES
    assert sorted(name for name in OLD_NAMES if not hasattr(pagerduty, name)) == []


def test_the_package_and_the_old_module_hand_on_the_same_objects() -> None:
    assert {name: getattr(pagerduty, name) for name in testing.__all__} == {
        name: getattr(testing, name) for name in testing.__all__
    }
