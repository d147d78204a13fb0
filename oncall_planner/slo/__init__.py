"""SLOs to pages per shift: specs, burn-rate alert rules, a replay of SLI history the way
Prometheus evaluates the rules, pages through the rota and a forecast (docs/slo.md).

The package is pure: reading spec files and history (:mod:`oncall_planner.ingest.slo`) and
writing rule files (:mod:`oncall_planner.emit.prometheus_rules`) live at the edge.
"""

from oncall_planner.slo.forecast import Forecast, PersonForecast, ShiftForecast, forecast
from oncall_planner.slo.incident import DEFAULT_SEVERITIES, ROLES, IncidentSetup, Severity
from oncall_planner.slo.paging import Incident, incidents, pages_through_rota
from oncall_planner.slo.pipeline import SLOReport, slo_report
from oncall_planner.slo.replay import (
    Backtest,
    CounterSeries,
    Episode,
    SLIHistory,
    extrapolated_rate,
    replay,
)
from oncall_planner.slo.rules import AlertRule, Condition, alert_rules
from oncall_planner.slo.spec import (
    SLI,
    SLO,
    BurnRateAlert,
    BurnWindow,
    SLOSpec,
    default_alerts,
    format_duration,
    parse_duration,
)

__all__ = [
    "DEFAULT_SEVERITIES",
    "ROLES",
    "SLI",
    "SLO",
    "AlertRule",
    "Backtest",
    "BurnRateAlert",
    "BurnWindow",
    "Condition",
    "CounterSeries",
    "Episode",
    "Forecast",
    "Incident",
    "IncidentSetup",
    "PersonForecast",
    "SLIHistory",
    "SLOReport",
    "SLOSpec",
    "Severity",
    "ShiftForecast",
    "alert_rules",
    "default_alerts",
    "extrapolated_rate",
    "forecast",
    "format_duration",
    "incidents",
    "pages_through_rota",
    "parse_duration",
    "replay",
    "slo_report",
]
