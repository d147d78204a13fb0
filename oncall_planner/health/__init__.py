"""On-call health as PagerDuty measures it: interruptions, business/off/sleep hours, response
effort, caps, equity and pay, from the plan and the page history (docs/health.md).

Pure core: :func:`health_report` takes values; reading exports, configuration files and
postmortems is :mod:`oncall_planner.ingest.health` and :mod:`oncall_planner.ingest.postmortems`.
"""

from oncall_planner.health.config import (
    CompensationRates,
    HealthConfig,
    config_from_dict,
)
from oncall_planner.health.history import (
    Alert,
    AnalyticsIncident,
    History,
    IncidentDetails,
    LogEntry,
    PersonRef,
    ResponderIncident,
    SkippedRecord,
)
from oncall_planner.health.hours import PRESETS, HourWindows, Window, preset
from oncall_planner.health.interruptions import MERGE_SECONDS, Interruption, interruptions
from oncall_planner.health.people import PersonSettings
from oncall_planner.health.postmortems import (
    ActionItem,
    Postmortem,
    PostmortemStats,
    TimelineEntry,
    postmortem_stats,
)
from oncall_planner.health.report import (
    NOT_AVAILABLE,
    HealthReport,
    IncidentStats,
    PayBreakdown,
    PeriodLoad,
    PersonHealth,
    TeamHealth,
    Unavailable,
    WeekTrend,
    equity_score,
    health_report,
)

__all__ = [
    "MERGE_SECONDS",
    "NOT_AVAILABLE",
    "PRESETS",
    "ActionItem",
    "Alert",
    "AnalyticsIncident",
    "CompensationRates",
    "HealthConfig",
    "HealthReport",
    "History",
    "HourWindows",
    "IncidentDetails",
    "IncidentStats",
    "Interruption",
    "LogEntry",
    "PayBreakdown",
    "PeriodLoad",
    "PersonHealth",
    "PersonRef",
    "PersonSettings",
    "Postmortem",
    "PostmortemStats",
    "ResponderIncident",
    "SkippedRecord",
    "TeamHealth",
    "TimelineEntry",
    "Unavailable",
    "WeekTrend",
    "Window",
    "config_from_dict",
    "equity_score",
    "health_report",
    "interruptions",
    "postmortem_stats",
    "preset",
]
