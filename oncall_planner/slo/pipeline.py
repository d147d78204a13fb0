"""The whole way from rules and SLI history to pages per shift, in one call.

:func:`slo_report` replays the history (:func:`~oncall_planner.slo.replay.replay`), folds the
paging episodes into incidents, pages the person the policy reaches first for each
(:func:`~oncall_planner.slo.paging.pages_through_rota`) and forecasts the pages per shift and
per person over a future window (:func:`~oncall_planner.slo.forecast.forecast`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence

import attrs

from oncall_planner.model import EscalationPolicy, Override
from oncall_planner.pages import Page
from oncall_planner.slo.forecast import Forecast, forecast
from oncall_planner.slo.paging import Incident, incidents, pages_through_rota
from oncall_planner.slo.replay import Backtest, SLIHistory, replay
from oncall_planner.slo.rules import AlertRule


@attrs.frozen
class SLOReport:
    """The backtest, its incidents, the pages they would have sent through the rota, and the
    forecast."""

    backtest: Backtest
    incidents: tuple[Incident, ...]
    pages: tuple[Page, ...]
    forecast: Forecast


def slo_report(
    rules: Iterable[AlertRule],
    history: SLIHistory | Mapping[str, SLIHistory],
    policy: EscalationPolicy,
    since: dt.datetime,
    until: dt.datetime,
    *,
    history_since: dt.datetime | None = None,
    history_until: dt.datetime | None = None,
    interval: int = 60,
    overrides: Mapping[str, Sequence[Override]] | None = None,
    group_by: str = "alert",
    group_gap: dt.timedelta = dt.timedelta(minutes=5),
    max_pages: int = 2,
) -> SLOReport:
    """Replay ``history`` over ``[history_since, history_until)`` (default: all of it) and
    forecast the pages ``policy`` sends per shift over ``[since, until)``."""
    backtest = replay(rules, history, since=history_since, until=history_until, interval=interval)
    found = incidents(backtest, group_by=group_by, group_gap=group_gap)
    pages = pages_through_rota(found, policy, overrides=overrides)
    outlook = forecast(
        backtest, found, policy, since, until, overrides=overrides, max_pages=max_pages
    )
    return SLOReport(backtest=backtest, incidents=found, pages=pages, forecast=outlook)


__all__ = ["SLOReport", "slo_report"]
