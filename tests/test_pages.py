"""Page values and page metrics."""

from __future__ import annotations

import datetime as dt

import pytest
from checkkit import T0, WEEK, A, B

from oncall_planner import Entry, Page, ValidationError, page_metrics

MIN = dt.timedelta(minutes=1)


def test_page_needs_an_aware_instant():
    with pytest.raises(ValidationError, match=r"at must be (a )?timezone-aware"):
        Page(dt.datetime(2025, 1, 1))


def test_page_ack_before_trigger_is_rejected():
    with pytest.raises(ValidationError, match="Page 'P1': acknowledged_at must not be before at"):
        Page(T0, acknowledged_at=T0 - MIN, id="P1")


def test_page_urgency_is_high_or_low():
    with pytest.raises(ValidationError, match="urgency must be 'high', 'low' or None, got 'P1'"):
        Page(T0, urgency="P1")


def test_metrics_mean_and_median():
    pages = [
        Page(T0, acknowledged_at=T0 + 2 * MIN, resolved_at=T0 + 10 * MIN),
        Page(T0, acknowledged_at=T0 + 4 * MIN, resolved_at=T0 + 20 * MIN),
        Page(T0, acknowledged_at=T0 + 12 * MIN, resolved_at=T0 + 90 * MIN),
        Page(T0),
    ]
    m = page_metrics(pages)
    assert (m.time_to_acknowledge.mean, m.time_to_acknowledge.median) == (6 * MIN, 4 * MIN)
    assert (m.time_to_resolve.mean, m.time_to_resolve.median) == (40 * MIN, 20 * MIN)
    assert (m.time_to_acknowledge.count, m.time_to_acknowledge.missing) == (3, 1)


def test_metrics_leave_merged_pages_out_of_time_to_resolve():
    pages = [Page(T0, resolved_at=T0 + 10 * MIN), Page(T0, resolved_at=T0 + MIN, merged=True)]
    m = page_metrics(pages)
    assert m.time_to_resolve.mean == 10 * MIN
    assert (m.total, m.merged) == (2, 1)


def test_metrics_count_by_urgency_with_unknown_last():
    m = page_metrics(
        [Page(T0, urgency="low"), Page(T0), Page(T0, urgency="high"), Page(T0, urgency="high")]
    )
    assert list(m.by_urgency.items()) == [("high", 2), ("low", 1), ("unknown", 1)]


def test_metrics_pages_per_shift():
    shifts = [Entry(T0, T0 + WEEK, A), Entry(T0 + WEEK, T0 + 2 * WEEK, B)]
    pages = [
        Page(T0 + MIN),
        Page(T0 + 2 * MIN, user="ann@example.com"),
        Page(T0 + WEEK),
        Page(T0 - WEEK),
    ]
    m = page_metrics(pages, shifts)
    assert [load.count for load in m.per_shift] == [2, 1]
    assert m.outside_shifts == 1


def test_metrics_text_is_deterministic():
    pages = [Page(T0, urgency="high", acknowledged_at=T0 + 3 * MIN)]
    text = page_metrics(pages).to_text()
    assert text == page_metrics(pages).to_text()
    assert "Time to acknowledge: mean 3.0 min, median 3.0 min over 1 page (0 without)" in text
