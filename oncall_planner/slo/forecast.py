"""The forecast: the backtest's page rate carried over a future window through the rota.

Each alert's rate is its incidents in the replayed history divided by the history's length
(pages per hour, assumed steady over the day and the week). A shift is one continuous stretch
in which the same person is the one the policy reaches first; its expected pages are the
summed rates times its length. The number of pages in a shift is taken as Poisson with that
mean: the 90% interval is from its 5% to its 95% quantile, and ``p_over`` is the chance of
more than ``max_pages`` (2, the article's rule). A person's figures add up their shifts'
(a sum of independent Poisson counts is Poisson with the summed mean).

The interval says how many pages a shift may get if the rate holds; it does not include the
uncertainty of the rate itself, which a short history makes large: the forecast says how many
pages the rate rests on (``AlertRate.pages``).
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Mapping, Sequence

import attrs

from oncall_planner.errors import ValidationError
from oncall_planner.escalation import steps
from oncall_planner.model import EscalationPolicy, Override, User
from oncall_planner.slo.paging import Incident, RotaLookup
from oncall_planner.slo.replay import Backtest
from oncall_planner.timeutil import check_instant

HOUR = 3600.0


def poisson_quantile(mean: float, q: float) -> int:
    """The smallest ``k`` with ``P(N <= k) >= q`` for ``N`` Poisson with ``mean``."""
    if mean < 0 or not math.isfinite(mean):
        raise ValidationError(f"poisson_quantile: mean must be a finite number ≥ 0, got {mean}")
    if not 0 < q < 1:
        raise ValidationError(f"poisson_quantile: q must be between 0 and 1, got {q}")
    if mean == 0:
        return 0
    log_mean = math.log(mean)
    cumulative = 0.0
    k = 0
    while True:
        cumulative += math.exp(k * log_mean - mean - math.lgamma(k + 1))
        if cumulative >= q or k > mean + 40 * math.sqrt(mean) + 100:
            return k
        k += 1


def poisson_tail(mean: float, k: int) -> float:
    """``P(N > k)`` for ``N`` Poisson with ``mean``."""
    if mean == 0:
        return 0.0
    log_mean = math.log(mean)
    below = math.fsum(math.exp(i * log_mean - mean - math.lgamma(i + 1)) for i in range(k + 1))
    return max(0.0, 1.0 - below)


@attrs.frozen
class AlertRate:
    """One paging alert's rate in the history: ``pages`` incidents over ``hours``."""

    key: str
    slo: str
    alert: str
    pages: int
    hours: float

    @property
    def per_hour(self) -> float:
        return self.pages / self.hours if self.hours else 0.0

    @property
    def per_week(self) -> float:
        return self.per_hour * 168


@attrs.frozen
class ShiftForecast:
    """One shift (``user`` first to be paged over ``[start, end)``) and its expected pages, the
    90% interval ``[low, high]``, ``p_over`` (the chance of more than ``max_pages``) and the
    expected pages per alert (``by_alert``: rate key to pages, largest first)."""

    user: User | None
    start: dt.datetime
    end: dt.datetime
    expected: float
    low: int
    high: int
    p_over: float
    by_alert: tuple[tuple[str, float], ...]

    @property
    def hours(self) -> float:
        return (self.end - self.start).total_seconds() / HOUR


@attrs.frozen
class PersonForecast:
    """One person's shifts in the window, added up."""

    user: User
    shifts: int
    hours: float
    expected: float
    low: int
    high: int


@attrs.frozen
class Forecast:
    """What :func:`forecast` returns: the rates it rests on, and the shifts and people of
    ``policy`` over ``[since, until)``."""

    policy: str
    since: dt.datetime
    until: dt.datetime
    history_since: dt.datetime
    history_until: dt.datetime
    rates: tuple[AlertRate, ...]
    shifts: tuple[ShiftForecast, ...]
    people: tuple[PersonForecast, ...]
    max_pages: int = 2

    @property
    def per_week(self) -> float:
        return sum(r.per_week for r in self.rates)

    def busy(self) -> tuple[ShiftForecast, ...]:
        """Shifts expected to get more than ``max_pages`` pages."""
        return tuple(s for s in self.shifts if s.expected > self.max_pages)

    def rate(self, key: str) -> AlertRate:
        for r in self.rates:
            if r.key == key:
                return r
        raise ValidationError(f"Forecast: no alert {key!r}")


def alert_rates(backtest: Backtest, found: Iterable[Incident]) -> tuple[AlertRate, ...]:
    """Incidents per paging rule over the replayed window (every paging rule listed)."""
    hours = (backtest.until - backtest.since).total_seconds() / HOUR
    counts: dict[str, int] = {}
    for incident in found:
        counts[incident.rule_key] = counts.get(incident.rule_key, 0) + 1
    return tuple(
        AlertRate(key=r.key, slo=r.slo.key, alert=r.alert, pages=counts.get(r.key, 0), hours=hours)
        for r in backtest.rules
        if r.page
    )


def shifts_of(
    policy: EscalationPolicy,
    since: dt.datetime,
    until: dt.datetime,
    lookup: RotaLookup,
) -> list[tuple[User | None, dt.datetime, dt.datetime]]:
    """The stretches of ``[since, until)`` in which one person is first to be paged: the
    change points are the entry boundaries of the policy's schedules (render's entries)."""
    points = {since}
    for rule in policy.rules:
        for target in rule.targets:
            if target.schedule is not None:
                for entry in lookup.final(target.schedule).entries:
                    points.update((entry.start, entry.end))
    ordered = sorted(p for p in points if since <= p < until)
    out: list[tuple[User | None, dt.datetime, dt.datetime]] = []
    for start, end in zip(ordered, [*ordered[1:], until], strict=True):
        person = None
        for step in steps(policy, start, lookup):
            person = step.reached[0] if step.reached else None
            if person is not None:
                break
        if out and out[-1][0] == person and out[-1][2] == start:
            out[-1] = (person, out[-1][1], end)
        else:
            out.append((person, start, end))
    return out


def forecast(
    backtest: Backtest,
    found: Iterable[Incident],
    policy: EscalationPolicy,
    since: dt.datetime,
    until: dt.datetime,
    *,
    overrides: Mapping[str, Sequence[Override]] | None = None,
    max_pages: int = 2,
) -> Forecast:
    """Expected pages per shift and per person of ``policy`` over ``[since, until)``, from the
    rates of the backtest's incidents (see the module docstring)."""
    check_instant(since, "forecast", "since")
    check_instant(until, "forecast", "until")
    if until <= since:
        raise ValidationError(
            f"forecast: until ({until.isoformat()}) must be after since ({since.isoformat()})"
        )
    if not isinstance(policy, EscalationPolicy):
        raise ValidationError(f"forecast: policy must be an EscalationPolicy, got {policy!r}")
    utc = dt.timezone.utc
    since, until = since.astimezone(utc), until.astimezone(utc)
    rates = alert_rates(backtest, found)
    lookup = RotaLookup(since, until, overrides)
    shifts = []
    for user, start, end in shifts_of(policy, since, until, lookup):
        hours = (end - start).total_seconds() / HOUR
        parts = sorted(
            ((r.key, r.per_hour * hours) for r in rates if r.pages),
            key=lambda kv: (-kv[1], kv[0]),
        )
        mean = math.fsum(v for _, v in parts)
        shifts.append(
            ShiftForecast(
                user=user,
                start=start,
                end=end,
                expected=mean,
                low=poisson_quantile(mean, 0.05),
                high=poisson_quantile(mean, 0.95),
                p_over=poisson_tail(mean, max_pages),
                by_alert=tuple(parts),
            )
        )
    people = []
    users = sorted({s.user for s in shifts if s.user is not None}, key=lambda u: u.email)
    for user in users:
        mine = [s for s in shifts if s.user == user]
        mean = math.fsum(s.expected for s in mine)
        people.append(
            PersonForecast(
                user=user,
                shifts=len(mine),
                hours=math.fsum(s.hours for s in mine),
                expected=mean,
                low=poisson_quantile(mean, 0.05),
                high=poisson_quantile(mean, 0.95),
            )
        )
    return Forecast(
        policy=policy.name,
        since=since,
        until=until,
        history_since=backtest.since,
        history_until=backtest.until,
        rates=rates,
        shifts=tuple(shifts),
        people=tuple(people),
        max_pages=max_pages,
    )


__all__ = [
    "AlertRate",
    "Forecast",
    "PersonForecast",
    "ShiftForecast",
    "alert_rates",
    "forecast",
    "poisson_quantile",
    "poisson_tail",
    "shifts_of",
]
