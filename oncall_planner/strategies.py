"""Hypothesis strategies for property tests of on-call set-ups.

Use them in your own tests to check that a rotation keeps its promises whatever the details::

    from hypothesis import given
    from oncall_planner import strategies as st_oc

    @given(st_oc.schedules())
    def test_my_rule(schedule): ...

Every value drawn is valid (it passes the model's validators). Instants are whole minutes; time
zones come from PagerDuty's allow-list, favouring zones with daylight saving. Importing this module
needs ``hypothesis`` (in the ``dev`` extra).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from hypothesis import strategies as st

from oncall_planner.model import (
    EscalationPolicy,
    EscalationRule,
    Layer,
    OnCallPlan,
    Override,
    Restriction,
    Schedule,
    Target,
    Team,
    TimeOff,
    User,
)
from oncall_planner.timeutil import PAGERDUTY_TIME_ZONES, UTC

#: Zones with daylight saving in both hemispheres, a half-hour offset and none at all.
INTERESTING_ZONES = (
    "America/New_York",
    "Europe/London",
    "Australia/Sydney",
    "Australia/Adelaide",
    "America/Santiago",
    "Pacific/Auckland",
    "Asia/Kolkata",
    "Etc/UTC",
)

_NAMES = (
    "Alice", "Bob", "Carol", "Dave", "Erin", "Frank", "Grace", "Heidi",
    "Ivan", "Judy", "Mallory", "Niaj", "Olivia", "Peggy", "Rupert", "Sybil",
)  # fmt: skip

EPOCH_2024 = dt.datetime(2024, 1, 1, tzinfo=UTC)


def time_zones() -> st.SearchStrategy[str]:
    """Zone names PagerDuty accepts, mostly the interesting ones."""
    return st.one_of(
        st.sampled_from(INTERESTING_ZONES), st.sampled_from(sorted(PAGERDUTY_TIME_ZONES))
    )


def instants(
    start: dt.datetime = EPOCH_2024, days: int = 3 * 365
) -> st.SearchStrategy[dt.datetime]:
    """Whole-minute UTC instants in ``[start, start + days)``."""
    return st.integers(0, days * 24 * 60 - 1).map(lambda m: start + dt.timedelta(minutes=m))


def users(index: int | None = None) -> st.SearchStrategy[User]:
    """A user from a fixed pool of sixteen, with an optional zone of their own."""
    idx = st.just(index) if index is not None else st.integers(0, len(_NAMES) - 1)
    return st.builds(
        lambda i, tz: User(_NAMES[i], f"{_NAMES[i].lower()}@example.com", tz),
        idx,
        st.none() | time_zones(),
    )


def rosters(min_size: int = 1, max_size: int = 6) -> st.SearchStrategy[tuple[User, ...]]:
    """Distinct users (by email), in rotation order."""
    return st.lists(
        st.integers(0, len(_NAMES) - 1), min_size=min_size, max_size=max_size, unique=True
    ).map(lambda idx: tuple(User(_NAMES[i], f"{_NAMES[i].lower()}@example.com") for i in idx))


def _times_of_day() -> st.SearchStrategy[dt.time]:
    return st.builds(dt.time, st.integers(0, 23), st.sampled_from([0, 15, 30, 45]))


def restrictions(kind: str | None = None) -> st.SearchStrategy[Restriction]:
    """A daily or weekly restriction."""
    daily = st.builds(
        Restriction.daily,
        _times_of_day(),
        st.integers(1, 24 * 4 - 1).map(lambda q: dt.timedelta(minutes=15 * q)),
    )
    weekly = st.builds(
        Restriction.weekly,
        st.integers(1, 7),
        _times_of_day(),
        st.integers(1, 7 * 24 * 4 - 1).map(lambda q: dt.timedelta(minutes=15 * q)),
    )
    if kind == "daily":
        return daily
    if kind == "weekly":
        return weekly
    return daily | weekly


def turn_lengths() -> st.SearchStrategy[dt.timedelta]:
    """Common turn lengths (12 h, a day, a week, two weeks) and odd ones in whole hours."""
    common = st.sampled_from([12, 24, 7 * 24, 14 * 24]).map(lambda h: dt.timedelta(hours=h))
    odd = st.integers(1, 21 * 24).map(lambda h: dt.timedelta(hours=h))
    return common | odd


@st.composite
def layers(
    draw: st.DrawFn,
    name: str | None = None,
    roster: Sequence[User] | None = None,
    around: dt.datetime = EPOCH_2024,
) -> Layer:
    """A layer starting within a year of ``around``, perhaps restricted, perhaps ending."""
    people = tuple(roster) if roster is not None else draw(rosters())
    start = draw(instants(around - dt.timedelta(days=180), 365))
    anchor = draw(st.none() | instants(start - dt.timedelta(days=60), 120))
    kind = draw(st.sampled_from(["none", "daily", "weekly"]))
    limits: tuple[Restriction, ...] = ()
    if kind != "none":
        limits = tuple(draw(st.lists(restrictions(kind), min_size=1, max_size=3)))
    end = draw(
        st.none() | st.integers(60, 400 * 24 * 60).map(lambda m: start + dt.timedelta(minutes=m))
    )
    return Layer(
        name or draw(st.sampled_from(["Primary", "Secondary", "Weekend", "Nights"])),
        people,
        start,
        draw(turn_lengths()),
        rotation_virtual_start=anchor if anchor is not None else start,
        restrictions=limits,
        end=end,
    )


@st.composite
def schedules(
    draw: st.DrawFn, name: str | None = None, max_layers: int = 3, around: dt.datetime = EPOCH_2024
) -> Schedule:
    """A schedule of one to ``max_layers`` layers in a PagerDuty zone."""
    count = draw(st.integers(1, max_layers))
    return Schedule(
        name or draw(st.sampled_from(["Checkout", "Payments", "Search", "Platform"])),
        draw(time_zones()),
        [draw(layers(name=f"Layer {i + 1}", around=around)) for i in range(count)],
    )


@st.composite
def overrides(
    draw: st.DrawFn, around: dt.datetime = EPOCH_2024, roster: Sequence[User] | None = None
) -> Override:
    """An override of a few minutes to a few weeks."""
    start = draw(instants(around - dt.timedelta(days=30), 60))
    length = dt.timedelta(minutes=draw(st.integers(1, 21 * 24 * 60)))
    user = draw(st.sampled_from(list(roster))) if roster else draw(users())
    return Override(start, start + length, user)


@st.composite
def time_off(draw: st.DrawFn, roster: Sequence[User], around: dt.datetime = EPOCH_2024) -> TimeOff:
    """A stretch of time off (an hour to three weeks) for someone on the roster."""
    start = draw(instants(around - dt.timedelta(days=30), 60))
    length = dt.timedelta(hours=draw(st.integers(1, 21 * 24)))
    return TimeOff(draw(st.sampled_from(list(roster))), start, start + length)


@st.composite
def escalation_policies(
    draw: st.DrawFn, targets: Sequence[Schedule] = (), name: str = "Escalation"
) -> EscalationPolicy:
    """A policy of one to four levels targeting the given schedules and/or users."""
    rules = []
    for _ in range(draw(st.integers(1, 4))):
        options = [Target.schedule(s) for s in targets]
        options += [Target.user(u) for u in draw(rosters(0, 2))]
        if not options:
            options = [Target.user(draw(users()))]
        picked = draw(st.lists(st.sampled_from(options), min_size=1, max_size=3, unique=True))
        rules.append(EscalationRule(draw(st.integers(1, 60)), picked, draw(st.booleans())))
    return EscalationPolicy(name, rules, num_loops=draw(st.integers(0, 9)))


@st.composite
def plans(draw: st.DrawFn, max_schedules: int = 3) -> OnCallPlan:
    """A plan of schedules with distinct names and one policy over them, perhaps with a team."""
    names = draw(
        st.lists(
            st.sampled_from(["Checkout", "Payments", "Search", "Platform", "Data"]),
            min_size=1,
            max_size=max_schedules,
            unique=True,
        )
    )
    found = [draw(schedules(name=n)) for n in names]
    policy = draw(escalation_policies(found))
    if draw(st.booleans()):
        members = sorted(
            {u for s in found for layer in s.layers for u in layer.users}, key=lambda u: u.email
        )
        team = Team("Team " + names[0], members)
        policy = EscalationPolicy(policy.name, policy.rules, policy.num_loops, team=team)
    return OnCallPlan(schedules=found, escalation_policies=[policy])


#: Zones without daylight saving: a rotation there has turns of exactly equal length.
STEADY_ZONES = ("Etc/UTC", "Asia/Kolkata", "Asia/Tokyo", "Africa/Nairobi")

#: Countries the ``holidays`` package knows, for :func:`holiday_regions`.
HOLIDAY_COUNTRIES = ("US", "GB", "DE", "FR", "IN", "JP", "AU", "CA", "BR", "NL")


@st.composite
def rotating_plans(draw: st.DrawFn, max_members: int = 6) -> OnCallPlan:
    """A perfectly rotating team: one schedule, one unrestricted layer that never ends, in a zone
    without daylight saving. Over whole cycles every member gets exactly the same hours."""
    roster = draw(rosters(1, max_members))
    start = draw(instants())
    layer = Layer(
        "Rotation",
        roster,
        start,
        draw(turn_lengths().filter(lambda t: t <= dt.timedelta(days=14))),
        rotation_virtual_start=draw(instants(start - dt.timedelta(days=60), 120)),
    )
    schedule = Schedule(
        draw(st.sampled_from(["Checkout", "Payments"])),
        draw(st.sampled_from(STEADY_ZONES)),
        [layer],
    )
    return OnCallPlan(schedules=[schedule])


def holiday_regions(
    roster: Sequence[User],
) -> st.SearchStrategy[dict[str, tuple[str, str | None]]]:
    """A mapping email -> (country, None) for some of ``roster``, as ``fairness_report`` takes."""
    return st.fixed_dictionaries(
        {},
        optional={
            u.email: st.sampled_from(HOLIDAY_COUNTRIES).map(lambda c: (c, None)) for u in roster
        },
    )


def _factors() -> st.SearchStrategy[float]:
    return st.integers(0, 12).map(lambda q: q / 4)


def weights() -> st.SearchStrategy[Any]:
    """Burden weights for night, weekend and holiday hours (0 to 3 in quarter steps)."""
    from oncall_planner.fairness import Weights

    return st.builds(Weights, night=_factors(), weekend=_factors(), holiday=_factors())


def pay_rates() -> st.SearchStrategy[Any]:
    """Pay rates: per hour and/or per shift, with day-type multipliers."""
    from oncall_planner.fairness import PayRates

    return st.builds(
        PayRates,
        per_hour=st.integers(0, 100).map(float),
        per_shift=st.integers(0, 500).map(float),
        weekday=_factors(),
        weekend=_factors(),
        holiday=_factors(),
    )


__all__ = [
    "HOLIDAY_COUNTRIES",
    "INTERESTING_ZONES",
    "STEADY_ZONES",
    "escalation_policies",
    "holiday_regions",
    "instants",
    "layers",
    "overrides",
    "pay_rates",
    "plans",
    "restrictions",
    "rosters",
    "rotating_plans",
    "schedules",
    "time_off",
    "time_zones",
    "turn_lengths",
    "users",
    "weights",
]
