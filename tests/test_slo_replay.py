"""The replay: rate() as Prometheus extrapolates it, ``for:`` and resolution, and properties:
more errors never fire less, a higher burn threshold never fires more."""

from __future__ import annotations

import datetime as dt
import math

import attrs
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from oncall_planner.errors import ValidationError
from oncall_planner.slo import (
    SLI,
    SLO,
    BurnRateAlert,
    BurnWindow,
    CounterSeries,
    SLIHistory,
    alert_rules,
    extrapolated_rate,
    replay,
)
from oncall_planner.slo.replay import episodes_from_flags, evaluation_times, rates

UTC = dt.timezone.utc
SLO_ = SLO(
    service="shop",
    name="availability",
    objective=0.999,
    sli=SLI(bad="sum(rate(errors_total[5m]))", total="sum(rate(requests_total[5m]))"),
)


def rule(burn: float = 14.4, hold: int = 0, long: int = 3600, short: int | None = 300):
    alert = BurnRateAlert(
        severity="critical",
        windows=[BurnWindow(long=long, short=short, burn_rate=burn)],
        for_duration=hold,
    )
    (r,) = alert_rules(SLO_, alerts=[alert])
    return r


def test_rate_of_a_steady_counter_extrapolates_to_the_window() -> None:
    # samples every 60 s at 15 s past the minute, +6 per sample: 0.1 per second
    times = [15 + 60 * i for i in range(10)]
    values = [100 + 6 * i for i in range(10)]
    # at 600 s over 5 minutes: samples at 315..555 (5 samples, 24 in 240 s); 15 s to the start
    # and 45 s to the end are both under 1.1 x 60 s, so the 240 s stretch to the full 300 s
    assert extrapolated_rate(times, values, 600, 300) == pytest.approx(0.1)


def test_rate_stops_extrapolating_at_the_counters_zero() -> None:
    # a counter born at 0 s: 0 at 30 s? no: 3 at 30 s and 9 at 90 s, window [0, 120]
    # duration to zero is 60 * 3/6 = 30 s, the distance to the start: 30 s, same
    assert extrapolated_rate([30, 90], [3, 9], 120, 120) == pytest.approx((6 * 120 / 60) / 120)
    # value 1 at 30 s: zero would be 10 s before, closer than the window start
    got = extrapolated_rate([30, 90], [1, 7], 120, 120)
    assert got == pytest.approx(6 * (60 + 10 + 30) / 60 / 120)


def test_rate_counts_a_reset_as_the_value_before_it() -> None:
    assert extrapolated_rate([0, 60, 120], [50, 80, 10], 120, 120) == pytest.approx(
        (10 - 50 + 80) / 120
    )


def test_rate_needs_two_samples_and_a_far_sample_extrapolates_half_a_spacing() -> None:
    assert extrapolated_rate([0], [5], 60, 60) is None
    # samples at 200 and 260 in [0, 300]: the start is 200 s away, more than 1.1 x 60 s, so only
    # 30 s are added there; the end is 40 s away and counts in full
    assert extrapolated_rate([200, 260], [100, 160], 300, 300) == pytest.approx(
        60 * (60 + 30 + 40) / 60 / 300
    )


def test_the_window_includes_a_sample_exactly_at_its_start_as_prometheus_2_does() -> None:
    times, values = [0, 60, 120], [100, 110, 130]
    assert extrapolated_rate(times, values, 120, 120) == pytest.approx(30 / 120)
    # Prometheus 3 leaves it out: the two samples left are stretched over the whole window
    assert extrapolated_rate(times, values, 120, 120, left_open=True) == pytest.approx(
        20 * (60 + 60 + 0) / 60 / 120
    )


series_strategy = st.lists(
    st.tuples(st.integers(1, 200), st.integers(0, 50), st.booleans()), min_size=0, max_size=40
)


@given(series_strategy, st.integers(60, 1200), st.booleans())
def test_the_vectorised_rate_equals_the_readable_one(
    steps: list[tuple[int, int, bool]], window: int, left_open: bool
) -> None:
    """Irregular spacing, resets, gaps: at every instant both give the same float."""
    times, values, t, v = [], [], 0, 0
    for gap, inc, reset in steps:
        t += gap
        v = 0 if reset else v + inc
        times.append(t)
        values.append(float(v))
    series = CounterSeries.of("x", times, values)
    at = np.arange(0, t + 120, 30, dtype=np.int64) * 1000
    got = rates(series, at, window * 1000, left_open=left_open)
    for instant, value in zip(at.tolist(), got.tolist(), strict=True):
        want = extrapolated_rate(times, values, instant / 1000, window, left_open=left_open)
        if want is None:
            assert math.isnan(value)
        else:
            assert value == pytest.approx(want, rel=1e-12, abs=1e-15)


def flags_at(pattern: str) -> np.ndarray:
    return np.array([c == "#" for c in pattern])


def test_for_makes_an_alert_pending_then_firing_then_resolved() -> None:
    r = rule(hold=120)
    at = np.arange(0, 10, dtype=np.int64) * 60_000
    (episode,) = episodes_from_flags(r, flags_at("..#####..."), at, 60)
    assert episode.pending_at == dt.datetime.fromtimestamp(120, UTC)
    assert episode.start == dt.datetime.fromtimestamp(240, UTC)  # for: 2m after pending
    assert episode.end == dt.datetime.fromtimestamp(420, UTC)  # the first evaluation without it


def test_a_break_in_the_condition_resets_pending() -> None:
    r = rule(hold=120)
    at = np.arange(0, 10, dtype=np.int64) * 60_000
    assert episodes_from_flags(r, flags_at("##.##.##.."), at, 60) == []


def test_without_for_an_alert_fires_at_its_first_evaluation_and_may_still_be_firing() -> None:
    r = rule(hold=0)
    at = np.arange(0, 4, dtype=np.int64) * 60_000
    (episode,) = episodes_from_flags(r, flags_at("..##"), at, 60)
    assert episode.start == episode.pending_at == dt.datetime.fromtimestamp(120, UTC)
    assert episode.end is None


def test_evaluation_instants_are_aligned_to_the_interval() -> None:
    got = evaluation_times(90_000, 400_000, 60, offset=10)
    assert got.tolist() == [130_000, 190_000, 250_000, 310_000, 370_000]


def history(bad_per_minute: list[int], total_per_minute: int = 1000) -> SLIHistory:
    times = [60 * i for i in range(len(bad_per_minute) + 1)]
    bad = [0, *np.cumsum(bad_per_minute).tolist()]
    total = [total_per_minute * i for i in range(len(times))]
    return SLIHistory.of(times, bad=bad, total=total)


def firing(backtest) -> set[int]:
    out: set[int] = set()
    for e in backtest.episodes:
        end = backtest.until if e.end is None else e.end
        out.update(range(int(e.start.timestamp()) // 60, int(end.timestamp()) // 60))
    return out


def test_an_incident_fires_the_page_rule_and_a_clean_history_does_not() -> None:
    r = rule(hold=120)
    assert firing(replay([r], history([0] * 120))) == set()
    got = firing(replay([r], history([0] * 60 + [100] * 20 + [0] * 40)))
    assert got and min(got) > 60 and max(got) < 90


def test_replay_refuses_bad_arguments() -> None:
    with pytest.raises(ValidationError, match="interval must be a whole number"):
        replay([rule()], history([0] * 5), interval=0)
    with pytest.raises(ValidationError, match="no history for SLO shop/availability"):
        replay([rule()], {"other/slo": history([0] * 5)})


errors = st.lists(st.integers(0, 60), min_size=10, max_size=90)


@settings(deadline=None)
@given(errors, st.data())
def test_more_errors_never_fire_less(base: list[int], data: st.DataObject) -> None:
    extra = data.draw(st.lists(st.integers(0, 30), min_size=len(base), max_size=len(base)))
    hold = data.draw(st.sampled_from([0, 60, 180]))
    r = rule(hold=hold, long=1800, short=300)
    less = firing(replay([r], history(base)))
    more = firing(replay([r], history([b + e for b, e in zip(base, extra, strict=True)])))
    assert less <= more


@settings(deadline=None)
@given(errors, st.floats(1, 40), st.floats(0, 20), st.sampled_from([0, 120]))
def test_a_higher_burn_threshold_never_fires_more(
    bad: list[int], burn: float, more: float, hold: int
) -> None:
    h = history(bad)
    low = firing(replay([rule(burn=burn, hold=hold)], h))
    high = firing(replay([rule(burn=burn + more, hold=hold)], h))
    assert high <= low


def test_a_rule_with_two_conditions_fires_when_either_does() -> None:
    both = attrs.evolve(
        default_alerts_page(), windows=[BurnWindow(long=3600, short=300, burn_rate=14.4),
                                         BurnWindow(long=1800, burn_rate=1)]
    )  # fmt: skip
    (r,) = alert_rules(SLO_, alerts=[both])
    h = history([0] * 30 + [2] * 60)  # 0.2% errors: 2x the budget, under 14.4x, over 1x
    assert firing(replay([r], h))
    assert not firing(replay([rule(hold=120)], h))


def default_alerts_page() -> BurnRateAlert:
    return BurnRateAlert(severity="critical", windows=[BurnWindow(long=3600, burn_rate=1)])
