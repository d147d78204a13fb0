"""Invariants of the health metrics, searched by hypothesis."""

from __future__ import annotations

import datetime as dt

from health_helpers import ANN, BEN, BOSS, NY, notify, weekly_plan
from hypothesis import given
from hypothesis import strategies as st

from oncall_planner.health import PRESETS, History, health_report, interruptions, preset
from oncall_planner.timeutil import PAGERDUTY_TIME_ZONES, clock, to_seconds

T0 = dt.datetime(2025, 3, 8, 22, tzinfo=NY)  # a Saturday night, the DST change hours away
PEOPLE = (ANN, BEN, BOSS)


@st.composite
def notifications(draw, min_size=0):
    n = draw(st.integers(min_size, 25))
    out = []
    for _ in range(n):
        who = draw(st.sampled_from(PEOPLE))
        method = draw(st.sampled_from(("push", "phone", "sms", "email")))
        address = None
        if method in ("phone", "sms"):
            address = draw(st.sampled_from(("+15550101", "+15550102")))
        at = T0 + dt.timedelta(seconds=draw(st.integers(0, 4 * 3600)))
        incident = draw(st.sampled_from(("Q1", "Q2", "Q3")))
        out.append(notify(who, at.astimezone(dt.timezone.utc), method, address, incident))
    return out


@given(notifications())
def test_merging_is_idempotent(notes):
    once = interruptions(notes)
    again = interruptions([n for i in once for n in i.notifications])
    assert [(i.person, i.at, i.notifications) for i in again] == [
        (i.person, i.at, i.notifications) for i in once
    ]


@given(notifications(), st.randoms(use_true_random=False))
def test_the_order_of_the_log_entries_does_not_matter(notes, rnd):
    shuffled = list(notes)
    rnd.shuffle(shuffled)
    assert interruptions(shuffled) == interruptions(notes)


@given(notifications())
def test_every_interrupting_notification_is_in_exactly_one_interruption(notes):
    found = interruptions(notes)
    merged = [n for i in found for n in i.notifications]
    assert sorted(n.id for n in merged) == sorted(n.id for n in notes if n.method != "email")
    assert len(found) <= len(merged)
    for i in found:  # an interruption's notifications are one person's, at most a minute after
        assert {n.user for n in i.notifications} == {i.person}
        assert all(dt.timedelta(0) <= n.at - i.at for n in i.notifications)


@given(notifications(), st.integers(1, 5))
def test_email_never_changes_the_count(notes, extra):
    emails = [
        notify(ANN, T0.astimezone(dt.timezone.utc) + dt.timedelta(minutes=7 * k), "email")
        for k in range(extra)
    ]
    assert len(interruptions(notes + emails)) == len(interruptions(notes))


@given(
    st.sampled_from(sorted(PRESETS)),
    st.sampled_from(sorted(PAGERDUTY_TIME_ZONES)),
    st.integers(0, 400 * 86400),
    st.integers(1, 20 * 86400),
)
def test_the_kinds_of_hours_add_up_to_the_time(name, zone_name, offset, length):
    windows = preset(name)
    start = to_seconds(dt.datetime(2024, 1, 1, tzinfo=dt.timezone.utc)) + offset
    split = windows.split([(start, start + length)], clock(zone_name))
    assert sum(split.values()) == length
    assert all(v >= 0 for v in split.values())


@given(notifications(min_size=1))
def test_interruptions_by_kind_of_hour_add_up_and_match_the_heat_map(notes):
    plan = weekly_plan(dt.datetime(2025, 3, 3, tzinfo=NY), people=(ANN, BEN))
    out = health_report(
        plan, History(log_entries=notes), T0 - dt.timedelta(days=1), T0 + dt.timedelta(days=1)
    )
    for p in out.people:
        assert sum(p.interruptions_by_bucket.values()) == p.interruptions
        assert sum(map(sum, p.heat_map)) == p.interruptions
    assert out.incidents.interruptions == sum(p.interruptions for p in out.people)


@given(st.integers(0, 6), st.integers(1, 21))
def test_levels_and_kinds_of_hours_partition_the_time_on_call(start_day, days):
    start = dt.datetime(2025, 3, 1, tzinfo=NY) + dt.timedelta(days=start_day)
    plan = weekly_plan(dt.datetime(2025, 3, 3, tzinfo=NY), people=(ANN, BEN))
    out = health_report(plan, None, start, start + dt.timedelta(days=days))
    for p in out.people:
        assert p.level_1_seconds + p.level_2_plus_seconds == p.on_call_seconds
        assert sum(p.hours_by_bucket.values()) == p.on_call_seconds
        assert sum(x.on_call_seconds for x in p.periods) == p.on_call_seconds
        assert round(sum(p.pay.hours.values()) * 3600) == p.on_call_seconds
        assert abs(sum(p.pay.amounts.values()) - p.pay.total) < 0.01 * (1 + len(p.pay.amounts))
