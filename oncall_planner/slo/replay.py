"""Replay SLI history through alerting rules the way Prometheus evaluates them.

What Prometheus does, and so what this module does (docs/slo.md works an example through):

- **Evaluation**: a rule group is evaluated every ``interval`` seconds, at instants aligned to
  the interval (plus an ``offset``); each rule's expression is evaluated at that instant.
- **Range selection**: ``x[w]`` at instant ``t`` takes the raw samples of each series with
  timestamps in ``[t - w, t]`` (Prometheus 2.x includes a sample exactly at ``t - w``;
  Prometheus 3 does not: ``left_open=True``). There is no look-back for range selectors, and
  a sample that is not a number (a staleness marker) is no sample.
- **rate()**: per series, from the first and last sample in the window: the increase
  ``last - first`` plus, for every drop (a counter reset), the value before the drop; then
  extrapolated to the window's edges: towards each edge by the distance to it when that is
  shorter than 1.1 times the average spacing of the samples, else by half the average
  spacing; towards the start never past the instant the counter would have been zero. The
  result is divided by the window in seconds. A series with fewer than two samples in the
  window gives no value, and ``sum`` over no values gives no value, so the rule does not fire.
- **Ratios and comparisons** follow IEEE arithmetic: ``0/0`` is NaN and NaN compares false.
- **for:** an alert whose condition holds becomes *pending* at that evaluation; it *fires* at
  the first evaluation at least ``for`` after that while the condition keeps holding; the first
  evaluation where it does not hold drops a pending alert and *resolves* a firing one. A later
  firing starts pending again.

The arithmetic is vectorised with numpy over all evaluation instants at once, in the order of
operations Prometheus uses, so the same samples give the same floats.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Mapping, Sequence
from typing import Literal

import attrs
import numpy as np
import numpy.typing as npt

from oncall_planner.errors import ValidationError
from oncall_planner.model.inputs import sequence_of
from oncall_planner.slo.rules import AlertRule
from oncall_planner.timeutil import is_aware

Times = npt.NDArray[np.int64]
Values = npt.NDArray[np.float64]
Flags = npt.NDArray[np.bool_]

UTC = dt.timezone.utc
_MINUTE = dt.timedelta(minutes=1)


def _ms(value: dt.datetime) -> int:
    if not isinstance(value, dt.datetime) or not is_aware(value):
        raise ValidationError(f"replay: instants must be timezone-aware datetimes, got {value!r}")
    delta = value.astimezone(UTC) - dt.datetime(1970, 1, 1, tzinfo=UTC)
    return (delta.days * 86400 + delta.seconds) * 1000 + delta.microseconds // 1000


def _dt(ms: int) -> dt.datetime:
    return dt.datetime(1970, 1, 1, tzinfo=UTC) + dt.timedelta(milliseconds=int(ms))


@attrs.frozen(eq=False)
class CounterSeries:
    """The raw samples of one counter series: ``times`` (POSIX milliseconds, increasing) and
    ``values``, as read-only numpy arrays. ``name`` says which series it is (its labels)."""

    name: str
    times: Times
    values: Values

    @classmethod
    def of(
        cls,
        name: str,
        times: Iterable[float | int | dt.datetime],
        values: Iterable[float],
    ) -> CounterSeries:
        """A series from instants (datetimes, or POSIX seconds) and values. Samples that are
        not numbers (staleness markers) are left out; instants must increase."""
        stamps = [(_ms(t) if isinstance(t, dt.datetime) else round(float(t) * 1000)) for t in times]
        t = np.asarray(stamps, dtype=np.int64)
        v = np.asarray(list(values), dtype=np.float64)
        if t.shape != v.shape:
            raise ValidationError(
                f"CounterSeries {name!r}: {t.size} timestamps but {v.size} values"
            )
        keep = ~np.isnan(v)
        t, v = t[keep], v[keep]
        if t.size > 1 and not bool(np.all(np.diff(t) > 0)):
            i = int(np.argmax(np.diff(t) <= 0))
            raise ValidationError(
                f"CounterSeries {name!r}: timestamps must increase, but sample {i + 2} "
                f"({_dt(int(t[i + 1])).isoformat()}) is not after the one before it"
            )
        t.setflags(write=False)
        v.setflags(write=False)
        return cls(name, t, v)

    def __len__(self) -> int:
        return int(self.times.size)


def _series(value: object) -> tuple[CounterSeries, ...]:
    if isinstance(value, CounterSeries):
        return (value,)
    return sequence_of(value, CounterSeries, "SLIHistory", "series")


@attrs.frozen(eq=False)
class SLIHistory:
    """Samples of the SLI's counters: the ``total`` series and the ``good`` or the ``bad`` ones
    (each side may have several series: ``sum(rate(...))`` adds their rates). ``source`` says
    where they were read from."""

    total: tuple[CounterSeries, ...] = attrs.field(converter=_series)
    good: tuple[CounterSeries, ...] = attrs.field(default=(), converter=_series)
    bad: tuple[CounterSeries, ...] = attrs.field(default=(), converter=_series)
    source: str = ""

    def __attrs_post_init__(self) -> None:
        if not self.total:
            raise ValidationError("SLIHistory: total needs at least one series")
        if bool(self.good) == bool(self.bad):
            raise ValidationError("SLIHistory: give the good or the bad series (one of them)")

    @classmethod
    def of(
        cls,
        times: Sequence[float | int | dt.datetime],
        *,
        total: Sequence[float],
        good: Sequence[float] | None = None,
        bad: Sequence[float] | None = None,
        source: str = "",
    ) -> SLIHistory:
        """One series per side from one list of instants: ``SLIHistory.of(times, good=...,
        total=...)``."""
        if (good is None) == (bad is None):
            raise ValidationError("SLIHistory.of: give good or bad (one of them), and total")
        side = "good" if good is not None else "bad"
        counts = good if good is not None else bad
        return cls(
            total=CounterSeries.of("total", times, total),
            **{side: CounterSeries.of(side, times, counts or ())},
            source=source,
        )

    @property
    def kind(self) -> Literal["good", "bad"]:
        return "good" if self.good else "bad"

    @property
    def start(self) -> dt.datetime:
        """The first sample's instant (UTC)."""
        return _dt(min(int(s.times[0]) for s in self._all() if len(s)))

    @property
    def end(self) -> dt.datetime:
        """The last sample's instant (UTC)."""
        return _dt(max(int(s.times[-1]) for s in self._all() if len(s)))

    def _all(self) -> tuple[CounterSeries, ...]:
        series = (*self.total, *self.good, *self.bad)
        if not any(len(s) for s in series):
            raise ValidationError(
                f"SLIHistory {self.source}: no samples" if self.source else "SLIHistory: no samples"
            )
        return series

    @property
    def samples(self) -> int:
        return sum(len(s) for s in (*self.total, *self.good, *self.bad))


def extrapolated_rate(
    times: Sequence[float],
    values: Sequence[float],
    at: float,
    window: float,
    *,
    left_open: bool = False,
) -> float | None:
    """``rate(x[window])`` at instant ``at`` for one series, one instant at a time (seconds).

    The readable form of what :func:`rates` computes for every instant at once; the docs and
    tests use it. ``None`` when fewer than two samples fall into the window.
    """
    lo = at - window
    pts = [
        (t, v)
        for t, v in zip(times, values, strict=True)
        if (lo < t if left_open else lo <= t) and t <= at and not math.isnan(v)
    ]
    if len(pts) < 2:
        return None
    result = pts[-1][1] - pts[0][1]
    last = 0.0
    for _, v in pts:  # a drop is a counter reset: the value before it was lost
        if v < last:
            result += last
        last = v
    to_start = pts[0][0] - lo
    to_end = at - pts[-1][0]
    sampled = pts[-1][0] - pts[0][0]
    spacing = sampled / (len(pts) - 1)
    if result > 0 and pts[0][1] >= 0:
        to_zero = sampled * (pts[0][1] / result)
        if to_zero < to_start:
            to_start = to_zero
    limit = spacing * 1.1
    span = sampled
    span += to_start if to_start < limit else spacing / 2
    span += to_end if to_end < limit else spacing / 2
    return result * ((span / sampled) / window)  # one factor, as Prometheus 2.40+ computes it


def rates(series: CounterSeries, at: Times, window_ms: int, *, left_open: bool = False) -> Values:
    """``rate(series[window])`` at every instant of ``at`` (POSIX ms): NaN where the window
    holds fewer than two samples. See the module docstring for the arithmetic."""
    t, v = series.times, series.values
    out = np.full(at.shape, np.nan)
    if t.size < 2:
        return out
    start = at - window_ms
    lo = np.searchsorted(t, start, side="right" if left_open else "left")
    hi = np.searchsorted(t, at, side="right") - 1
    ok = (hi - lo) >= 1
    if not bool(ok.any()):
        return out
    lo, hi, start, end = lo[ok], hi[ok], start[ok], at[ok]
    # Resets: a drop adds the value before it. The running sum of those values gives the
    # correction of any window as a difference.
    drops = np.zeros(t.size)
    dropped = v[1:] < v[:-1]
    drops[1:][dropped] = v[:-1][dropped]
    corrections = np.cumsum(drops)
    first, last = v[lo], v[hi]
    result = last - first
    has_resets = corrections[hi] != corrections[lo]
    if bool(has_resets.any()):
        result = np.where(has_resets, result + (corrections[hi] - corrections[lo]), result)
    to_start = (t[lo] - start).astype(np.float64) / 1000
    to_end = (end - t[hi]).astype(np.float64) / 1000
    sampled = (t[hi] - t[lo]).astype(np.float64) / 1000
    spacing = sampled / (hi - lo).astype(np.float64)
    with np.errstate(divide="ignore", invalid="ignore"):
        to_zero = sampled * (first / result)
    clamp = (result > 0) & (first >= 0) & (to_zero < to_start)
    to_start = np.where(clamp, to_zero, to_start)
    limit = spacing * 1.1
    span = sampled + np.where(to_start < limit, to_start, spacing / 2)
    span = span + np.where(to_end < limit, to_end, spacing / 2)
    out[ok] = result * ((span / sampled) / (window_ms / 1000))
    return out


def _sum_rates(
    series: Sequence[CounterSeries], at: Times, window_ms: int, left_open: bool
) -> Values:
    """``sum(rate(...))``: NaN where no series has a value (the sum of nothing is nothing)."""
    total: Values | None = None
    for s in series:
        r = rates(s, at, window_ms, left_open=left_open)
        if total is None:
            total = r
        else:
            both = ~np.isnan(total) & ~np.isnan(r)
            total = np.where(both, total + r, np.where(np.isnan(total), r, total))
    assert total is not None
    return total


@attrs.frozen
class Episode:
    """One firing of an alert rule: pending from ``pending_at``, firing from ``start``,
    resolved at ``end`` (``None`` when it was still firing at the end of the replay)."""

    rule: AlertRule = attrs.field(eq=False, repr=False)
    key: str
    pending_at: dt.datetime
    start: dt.datetime
    end: dt.datetime | None

    @property
    def alert(self) -> str:
        return self.rule.alert

    @property
    def duration(self) -> dt.timedelta | None:
        return None if self.end is None else self.end - self.start


@attrs.frozen
class Backtest:
    """What :func:`replay` returns: the episodes in time order, the replayed window
    ``[since, until)``, the evaluation ``interval`` (seconds) and how many evaluations ran."""

    episodes: tuple[Episode, ...]
    rules: tuple[AlertRule, ...] = attrs.field(eq=False, repr=False)
    since: dt.datetime
    until: dt.datetime
    interval: int
    evaluations: int

    def by_rule(self) -> dict[str, tuple[Episode, ...]]:
        """Episodes per rule key, every rule listed (in rule order), with none when it never
        fired."""
        return {r.key: tuple(e for e in self.episodes if e.key == r.key) for r in self.rules}

    def firing_time(self, key: str) -> dt.timedelta:
        """How long the rule ``key`` fired inside the window."""
        total = dt.timedelta()
        for e in self.episodes:
            if e.key == key:
                total += (e.end or self.until) - e.start
        return total


def evaluation_times(since_ms: int, until_ms: int, interval: int, offset: int = 0) -> Times:
    """The evaluation instants in ``[since, until)``: multiples of ``interval`` seconds since
    the epoch, shifted by ``offset`` seconds, in POSIX ms."""
    step = interval * 1000
    off = (offset * 1000) % step
    first = -((off - since_ms) // step) * step + off  # ceil to the grid
    if first < since_ms:
        first += step
    return np.arange(first, until_ms, step, dtype=np.int64)


def condition_flags(
    rule: AlertRule,
    history: SLIHistory,
    at: Times,
    *,
    left_open: bool = False,
    cache: dict[tuple[str, int], Values] | None = None,
) -> Flags:
    """Where the rule's expression has a result at each instant of ``at`` (before ``for:``)."""
    memo: dict[tuple[str, int], Values] = {} if cache is None else cache

    def side(name: str, series: Sequence[CounterSeries], window: int) -> Values:
        key = (name, window)
        if key not in memo:
            memo[key] = _sum_rates(series, at, window * 1000, left_open)
        return memo[key]

    def ratio(window: int) -> Values:
        key = ("ratio", window)
        if key not in memo:
            total = side("total", history.total, window)
            with np.errstate(divide="ignore", invalid="ignore"):
                if history.good:
                    memo[key] = 1 - (side("good", history.good, window) / total)
                else:
                    memo[key] = side("bad", history.bad, window) / total
        return memo[key]

    fires = np.zeros(at.shape, dtype=np.bool_)
    for cond in rule.conditions:
        threshold = cond.threshold
        held = np.ones(at.shape, dtype=np.bool_)
        for window in cond.windows:
            r = ratio(window)
            with np.errstate(invalid="ignore"):
                held &= (r > threshold) if cond.op == ">" else (r >= threshold)
        fires |= held
    return fires


def episodes_from_flags(rule: AlertRule, flags: Flags, at: Times, interval: int) -> list[Episode]:
    """Apply ``for:`` to a condition timeline: pending at the first instant of each run of
    ``True``, firing once ``for`` has passed, resolved at the first ``False``."""
    if not flags.size:
        return []
    edges = np.diff(np.concatenate(([0], flags.astype(np.int8), [0])))
    starts = np.flatnonzero(edges == 1)
    ends = np.flatnonzero(edges == -1)
    hold_ms = rule.for_duration * 1000
    out = []
    for s, e in zip(starts.tolist(), ends.tolist(), strict=True):
        # the first evaluation of the run at least `for` after the run's first one
        need = int(np.searchsorted(at[s:e], at[s] + hold_ms, side="left"))
        fire = s + need
        if fire >= e:
            continue
        out.append(
            Episode(
                rule=rule,
                key=rule.key,
                pending_at=_dt(int(at[s])),
                start=_dt(int(at[fire])),
                end=_dt(int(at[e])) if e < at.size else None,
            )
        )
    return out


def _check_interval(value: object, name: str) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or value < 1:
        raise ValidationError(
            f"replay: {name} must be a whole number of seconds ≥ 1, got {value!r}"
        )
    return value


def replay(
    rules: Iterable[AlertRule],
    history: SLIHistory | Mapping[str, SLIHistory],
    *,
    since: dt.datetime | None = None,
    until: dt.datetime | None = None,
    interval: int = 60,
    offset: int = 0,
    left_open: bool = False,
) -> Backtest:
    """Evaluate ``rules`` over ``history`` every ``interval`` seconds in ``[since, until)``
    (default: from the minute of the first sample to the minute after the last one's) into
    firing episodes.

    ``history`` is one :class:`SLIHistory` for every rule, or a mapping from SLO key
    (``service/name``) to each SLO's history. ``left_open`` selects Prometheus 3's range
    selection (a sample exactly ``w`` before the instant is outside ``[w]``).
    """
    rules_t = tuple(rules)
    for rule in rules_t:
        if not isinstance(rule, AlertRule):
            raise ValidationError(f"replay: rules must hold AlertRule objects, got {rule!r}")
    interval = _check_interval(interval, "interval")
    if not isinstance(offset, int) or isinstance(offset, bool):
        raise ValidationError(f"replay: offset must be whole seconds, got {offset!r}")

    def history_of(rule: AlertRule) -> SLIHistory:
        if isinstance(history, SLIHistory):
            return history
        if rule.slo.key not in history:
            known = ", ".join(sorted(history)) or "none"
            raise ValidationError(f"replay: no history for SLO {rule.slo.key} (have: {known})")
        return history[rule.slo.key]

    histories = {id(h): h for h in (history_of(r) for r in rules_t)}
    if since is None:  # the minute of the first sample
        first = min((h.start for h in histories.values()), default=None)
        since = None if first is None else first.replace(second=0, microsecond=0)
    if until is None:  # the minute after the last sample's
        last = max((h.end for h in histories.values()), default=None)
        until = None if last is None else last.replace(second=0, microsecond=0) + _MINUTE
    if since is None or until is None:
        raise ValidationError("replay: give since and until, or at least one rule and its history")
    lo, hi = _ms(since), _ms(until)
    if hi <= lo:
        raise ValidationError(
            f"replay: until ({until.isoformat()}) must be after since ({since.isoformat()})"
        )
    at = evaluation_times(lo, hi, interval, offset)
    caches: dict[int, dict[tuple[str, int], Values]] = {k: {} for k in histories}
    episodes: list[Episode] = []
    for rule in rules_t:
        h = history_of(rule)
        flags = condition_flags(rule, h, at, left_open=left_open, cache=caches[id(h)])
        episodes.extend(episodes_from_flags(rule, flags, at, interval))
    episodes.sort(key=lambda e: (e.start, e.key))
    return Backtest(
        episodes=tuple(episodes),
        rules=rules_t,
        since=since.astimezone(UTC),
        until=until.astimezone(UTC),
        interval=interval,
        evaluations=int(at.size),
    )


def flags_by_rule(
    rules: Iterable[AlertRule],
    history: SLIHistory,
    at: Times,
    *,
    left_open: bool = False,
) -> dict[str, Flags]:
    """Each rule's condition timeline at the instants ``at`` (for comparisons with Prometheus)."""
    cache: dict[tuple[str, int], Values] = {}
    return {r.key: condition_flags(r, history, at, left_open=left_open, cache=cache) for r in rules}


__all__ = [
    "Backtest",
    "CounterSeries",
    "Episode",
    "SLIHistory",
    "condition_flags",
    "episodes_from_flags",
    "evaluation_times",
    "extrapolated_rate",
    "flags_by_rule",
    "rates",
    "replay",
]
