"""SLOs to pages per shift: specs, burn-rate alert rules, a replay of SLI history the way
Prometheus evaluates the rules, pages through the rota and a forecast (docs/slo.md).

The package is pure: reading spec files and history (:mod:`oncall_planner.ingest.slo`) and
writing rule files (:mod:`oncall_planner.emit.prometheus_rules`) live at the edge.
"""

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
    "SLI",
    "SLO",
    "AlertRule",
    "Backtest",
    "BurnRateAlert",
    "BurnWindow",
    "Condition",
    "CounterSeries",
    "Episode",
    "SLIHistory",
    "SLOSpec",
    "alert_rules",
    "default_alerts",
    "extrapolated_rate",
    "format_duration",
    "parse_duration",
    "replay",
]
