"""PagerDuty's own API, at the edge: pull an account, verify our render against PagerDuty's,
apply planned overrides. docs/pagerduty-api.md is the guide.

- :class:`PagerDutyClient`: the HTTP client (an API key from ``PAGERDUTY_TOKEN`` or an OAuth
  access token from ``PAGERDUTY_OAUTH_TOKEN``, pagination, rate
  limits, retries, one-line errors, recording and replay);
- :func:`pull` -> :class:`Account`, saved and read as the plan file (:func:`write_account`,
  :func:`load_account`), which every command takes as its input;
- :func:`verify` -> :class:`Verification`: minute-by-minute agreement, disagreements explained
  (for shift-based schedules, with the render option that would explain each);
- :func:`plan_overrides` and :func:`apply_overrides`: the overrides diff and its application.
"""

from oncall_planner.pagerduty_api.client import (
    DEFAULT_BASE_URL,
    EU_BASE_URL,
    PagerDutyClient,
    Recorder,
    ReplayTransport,
)
from oncall_planner.pagerduty_api.overrides import (
    OverrideAction,
    OverrideLedger,
    OverridesApplied,
    OverridesPlan,
    apply_overrides,
    default_ledger_path,
    dumps_overrides,
    load_overrides,
    overrides_to_json,
    plan_overrides,
)
from oncall_planner.pagerduty_api.planfile import (
    Account,
    PagerDutyIds,
    account_from_json,
    account_to_json,
    load_account,
    write_account,
)
from oncall_planner.pagerduty_api.pull import pull
from oncall_planner.pagerduty_api.verify import (
    Disagreement,
    ScheduleCheck,
    Verification,
    compare_schedule,
    compare_shift_schedule,
    verify,
)

__all__ = [
    "DEFAULT_BASE_URL",
    "EU_BASE_URL",
    "Account",
    "Disagreement",
    "OverrideAction",
    "OverrideLedger",
    "OverridesApplied",
    "OverridesPlan",
    "PagerDutyClient",
    "PagerDutyIds",
    "Recorder",
    "ReplayTransport",
    "ScheduleCheck",
    "Verification",
    "account_from_json",
    "account_to_json",
    "apply_overrides",
    "compare_schedule",
    "compare_shift_schedule",
    "default_ledger_path",
    "dumps_overrides",
    "load_account",
    "load_overrides",
    "overrides_to_json",
    "plan_overrides",
    "pull",
    "verify",
    "write_account",
]
