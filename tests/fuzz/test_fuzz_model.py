"""The model's constructors on hostile values: either a ValidationError (or another documented
error) or a value, never another exception; and a value that was built renders."""

from __future__ import annotations

import datetime as dt
from typing import Any

from fuzzkit import Crashes
from hypothesis import given
from hypothesis import strategies as st

from oncall_planner import (
    CheckConfig,
    EscalationPolicy,
    EscalationRule,
    Layer,
    OnCallPlannerError,
    Override,
    Page,
    PayRates,
    Restriction,
    Schedule,
    Target,
    Team,
    TimeOff,
    User,
    Weights,
    escalation_timeline,
    on_call_at,
    render,
)

UTC = dt.timezone.utc
TEXT = st.one_of(
    st.text(max_size=30),
    st.text(st.characters(codec=None, categories=("Cc", "Cs", "Zl", "Zp", "Cf")), max_size=6),
    st.sampled_from(["", " ", "=cmd|' /C calc'!A0", "a@b.co", "x" * 300, "${x}", "\ud800", "UTC"]),
)
NUMBER = st.one_of(
    st.integers(-(10**30), 10**30),
    st.sampled_from([0, 1, -1, 10**22, 10**400, 2**63]),
    st.floats(allow_nan=True, allow_infinity=True),
    st.booleans(),
)
INSTANT = st.one_of(
    st.datetimes(min_value=dt.datetime(1, 1, 2), max_value=dt.datetime(9999, 12, 30)).map(
        lambda d: d.replace(tzinfo=UTC)
    ),
    st.datetimes(min_value=dt.datetime(1, 1, 2), max_value=dt.datetime(9999, 12, 30)),
    st.integers(1960, 9100).map(lambda y: dt.datetime(y, 1, 1, tzinfo=UTC)),
)
DURATION = st.one_of(
    st.timedeltas(min_value=dt.timedelta(days=-10), max_value=dt.timedelta(days=999_999_999)),
    st.sampled_from([dt.timedelta(0), dt.timedelta(hours=1), dt.timedelta(minutes=90)]),
)
ANYTHING: st.SearchStrategy[Any] = st.one_of(
    TEXT, NUMBER, INSTANT, DURATION, st.none(), st.lists(st.integers(), max_size=3)
)
ANN = User("Ann", "ann@example.com")
START = dt.datetime(2025, 1, 6, tzinfo=UTC)
DOCUMENTED = (OnCallPlannerError,)


@given(name=ANYTHING, email=ANYTHING, zone=st.one_of(TEXT, st.just("Etc/UTC"), st.none()))
def test_users_and_teams(name: Any, email: Any, zone: Any) -> None:
    crashes = Crashes(DOCUMENTED)
    user = crashes.run("User", lambda: User(name, email, zone))
    crashes.run("Team", lambda: Team(name, [user] if user else [], description=email))
    assert not crashes.found, crashes.report()


@given(
    name=ANYTHING,
    start=ANYTHING,
    turn=ANYTHING,
    virtual=ANYTHING,
    end=ANYTHING,
    sod=st.one_of(TEXT, st.sampled_from(["09:00", "23:59", "24:00", "9:61"])),
    length=ANYTHING,
    day=NUMBER,
)
def test_layers_and_schedules(
    name: Any, start: Any, turn: Any, virtual: Any, end: Any, sod: Any, length: Any, day: Any
) -> None:
    crashes = Crashes(DOCUMENTED)
    daily = crashes.run("daily", lambda: Restriction.daily(sod, length))
    crashes.run("weekly", lambda: Restriction.weekly(day, sod, length))
    layer = crashes.run(
        "Layer",
        lambda: Layer(name, [ANN], start, turn, virtual, [daily] if daily else [], end),
    )
    schedule = crashes.run("Schedule", lambda: Schedule(name, "Etc/UTC", [layer]))
    if isinstance(schedule, Schedule):
        crashes.run("render", lambda: render(schedule, START, START + dt.timedelta(days=14)))
        crashes.run("on_call_at", lambda: on_call_at(schedule, START))
    assert not crashes.found, crashes.report()


@given(a=ANYTHING, b=ANYTHING, delay=NUMBER, loops=NUMBER, name=ANYTHING)
def test_overrides_time_off_and_policies(a: Any, b: Any, delay: Any, loops: Any, name: Any) -> None:
    crashes = Crashes(DOCUMENTED)
    crashes.run("Override", lambda: Override(a, b, ANN))
    crashes.run("TimeOff", lambda: TimeOff(ANN, a, b))
    rule = crashes.run("EscalationRule", lambda: EscalationRule(delay, [Target.user(ANN)]))
    policy = crashes.run(
        "EscalationPolicy", lambda: EscalationPolicy(name, [rule], loops, description=name)
    )
    if isinstance(policy, EscalationPolicy):
        crashes.run("escalation_timeline", lambda: escalation_timeline(policy, a))
    assert not crashes.found, crashes.report()


@given(at=ANYTHING, later=ANYTHING, text=ANYTHING, factor=NUMBER, threshold=ANYTHING)
def test_pages_weights_rates_and_config(
    at: Any, later: Any, text: Any, factor: Any, threshold: Any
) -> None:
    crashes = Crashes(DOCUMENTED)
    crashes.run("Page", lambda: Page(at, text, text, text, None, later, later, id=text, title=text))
    crashes.run("Weights", lambda: Weights(night=factor, weekend=factor))
    crashes.run("PayRates", lambda: PayRates(per_hour=factor, currency=text))
    config = CheckConfig(thresholds={"OCP101": {"warn_days": threshold}})
    crashes.run("CheckConfig", config.validate)
    assert not crashes.found, crashes.report()
