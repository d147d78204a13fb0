"""The planner: from a roster and constraints to a fair, stable rotation (docs/planning.md).

- :func:`plan_rotation`: primary and secondary schedules and the policy that pages them;
- :func:`cover_time_off` and :func:`balance_holidays`: overrides that cover absences and spread
  public holidays fairly, with a :class:`Ledger` of who owes whom;
- :func:`follow_the_sun`: one layer per :class:`Region`, each on call in its own daytime;
- :func:`change_members`: a new rotation order from the next handoff on, nothing before it moves
  (:func:`change_rotation_members` for a primary/secondary plan);
- :func:`diff` and :func:`format_diff`: who is on call when, before vs after.
"""

from oncall_planner.planning.cover import (
    Cover,
    CoverResult,
    Debt,
    Ledger,
    LedgerEntry,
    balance_holidays,
    cover_time_off,
    holiday_dates,
)
from oncall_planner.planning.diff import Change, diff, format_diff
from oncall_planner.planning.members import (
    change_members,
    change_rotation_members,
    change_schedule_members,
    next_handoff,
)
from oncall_planner.planning.rotation import PolicyOptions, plan_rotation
from oncall_planner.planning.sun import FollowTheSun, Region, follow_the_sun

__all__ = [
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
    "change_rotation_members",
    "change_schedule_members",
    "cover_time_off",
    "diff",
    "follow_the_sun",
    "format_diff",
    "holiday_dates",
    "next_handoff",
    "plan_rotation",
]
