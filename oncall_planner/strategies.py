"""Hypothesis strategies for property tests of on-call set-ups.

Use them in your own tests to check that a rotation keeps its promises whatever the details::

    from hypothesis import given
    from oncall_planner import strategies as st_oc

    @given(st_oc.schedules())
    def test_my_rule(schedule): ...

Every value drawn is valid (it passes the model's validators). Instants are whole minutes; time
zones come from PagerDuty's allow-list, favouring zones with daylight saving. Importing this module
needs ``hypothesis`` (in the ``dev`` extra).

Shift-based schedules come from :func:`shift_schedules` (and :func:`rotations`,
:func:`shift_events`, :func:`recurrences`, :func:`custom_shifts`, :func:`shift_overrides`);
:func:`mixed_plans` draws plans that hold both kinds, :func:`mixed_overrides` overrides of the
right kind for each of their schedules, and :func:`rotating_shift_plans` shift-based teams that
must score perfectly.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Sequence
from typing import Any
from zoneinfo import ZoneInfo

from hypothesis import strategies as st

from oncall_planner.model import (
    EMPTY_MEMBER,
    CustomShift,
    EscalationPolicy,
    EscalationRule,
    EveryMember,
    Layer,
    OnCallPlan,
    Override,
    Restriction,
    RotatingMembers,
    Rotation,
    Schedule,
    ShiftEvent,
    ShiftMember,
    ShiftOverride,
    ShiftSchedule,
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
    draw: st.DrawFn, targets: Sequence[Schedule | ShiftSchedule] = (), name: str = "Escalation"
) -> EscalationPolicy:
    """A policy of one to four levels targeting the given schedules (of either kind) and/or
    users."""
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


# --- shift-based schedules ------------------------------------------------------------------

_DAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
HOUR = dt.timedelta(hours=1)


@st.composite
def recurrences(draw: st.DrawFn) -> tuple[str, dt.timedelta]:
    """An RRULE the PagerDuty web editor can open, and the shortest time between two of its
    occurrences (so an event no longer than that never overlaps itself in a zone without
    daylight saving): ``("RRULE:FREQ=WEEKLY;BYDAY=MO,WE", timedelta(days=2))``."""
    freq = draw(st.sampled_from(["DAILY", "WEEKLY", "WEEKLY", "HOURLY", "MONTHLY"]))
    if freq == "DAILY":
        interval = draw(st.integers(1, 3))
        return f"RRULE:FREQ=DAILY{_interval(interval)}", dt.timedelta(days=interval)
    if freq == "HOURLY":
        interval = draw(st.sampled_from([4, 6, 8, 12]))
        return f"RRULE:FREQ=HOURLY;INTERVAL={interval}", interval * HOUR
    if freq == "MONTHLY":
        return "RRULE:FREQ=MONTHLY", dt.timedelta(days=28)
    interval = draw(st.integers(1, 2))
    days = sorted(draw(st.sets(st.integers(0, 6), min_size=1, max_size=7)))
    gaps = [b - a for a, b in itertools.pairwise(days)] + [days[0] + 7 * interval - days[-1]]
    byday = ",".join(_DAYS[d] for d in days)
    return (
        f"RRULE:FREQ=WEEKLY{_interval(interval)};BYDAY={byday}",
        dt.timedelta(days=min(gaps)),
    )


def _interval(interval: int) -> str:
    return f";INTERVAL={interval}" if interval > 1 else ""


def _first_match(rule: str, local: dt.datetime) -> dt.datetime:
    """``local`` moved forward to the first day the rule's BYDAY allows (unchanged without one)."""
    if "BYDAY=" not in rule:
        return local
    allowed = {_DAYS.index(d) for d in rule.split("BYDAY=")[1].split(";")[0].split(",")}
    while local.weekday() not in allowed:
        local += dt.timedelta(days=1)
    return local


def shift_members(
    roster: Sequence[User], empty: bool = True
) -> st.SearchStrategy[tuple[ShiftMember, ...]]:
    """One to five members from ``roster`` (distinct), sometimes with an empty slot."""
    picked = st.lists(st.sampled_from(list(roster)), min_size=1, max_size=5, unique=True)
    if not empty:
        return picked.map(tuple)

    def with_empty(drawn: tuple[list[User], int, bool]) -> tuple[ShiftMember, ...]:
        people, at, add = drawn
        members: list[ShiftMember] = list(people)
        if add:
            members.insert(at, EMPTY_MEMBER)
        return tuple(members)

    return st.tuples(picked, st.integers(0, 5), st.booleans()).map(with_empty)


@st.composite
def shift_events(
    draw: st.DrawFn,
    name: str | None = None,
    roster: Sequence[User] | None = None,
    time_zone: str = "Etc/UTC",
    around: dt.datetime = EPOCH_2024,
    since: dt.datetime | None = None,
    until: dt.datetime | None = None,
    tidy: bool = False,
) -> ShiftEvent:
    """An event whose first occurrence starts at a whole quarter hour of local time (04:00 to
    21:45, clear of daylight-saving changes) in ``time_zone``: within half a year of ``around``,
    or, given ``since``, up to 90 days before it (or a week after).

    ``since``/``until`` set the effective range (default: a random one around ``start_time``).
    With ``tidy``, the start matches the rule and occurrences are no longer than the shortest
    time between two of them, so the event never overlaps itself in a zone without daylight
    saving; otherwise anything valid, exdates and all.
    """
    people = tuple(roster) if roster is not None else draw(rosters())
    rule, spacing = draw(recurrences())
    tz = ZoneInfo(time_zone)
    if since is None:
        day = (around - dt.timedelta(days=180)).date() + dt.timedelta(
            days=draw(st.integers(0, 365))
        )
    else:  # the first occurrence a little before (or just after) the effective range opens
        day = (since - dt.timedelta(days=90)).date() + dt.timedelta(days=draw(st.integers(0, 97)))
    local = dt.datetime.combine(
        day, dt.time(draw(st.integers(4, 21)), draw(st.sampled_from([0, 15, 30, 45])))
    )
    if tidy:
        local = _first_match(rule, local)
    start = local.replace(tzinfo=tz).astimezone(UTC)
    longest = spacing if tidy else 2 * spacing
    quarters = int(longest / dt.timedelta(minutes=15))
    length = dt.timedelta(minutes=15 * draw(st.integers(1, max(1, quarters))))
    lines = [rule]
    if not tidy and draw(st.booleans()):
        skipped = local + spacing * draw(st.integers(1, 6))
        lines.append(f"EXDATE;TZID={time_zone}:{skipped:%Y%m%dT%H%M%S}")
    members = draw(shift_members(people))
    assignment: RotatingMembers | EveryMember
    if draw(st.integers(0, 4)) == 0:
        assignment = EveryMember(members)
    else:
        assignment = RotatingMembers(members, draw(st.integers(1, 5)))
    effective_since = since or draw(instants(start - dt.timedelta(days=20), 60))
    effective_until = until
    if until is None and since is None and draw(st.booleans()):
        effective_until = effective_since + dt.timedelta(
            minutes=draw(st.integers(1, 200 * 24 * 60))
        )
    return ShiftEvent(
        name or draw(st.sampled_from(["Weekdays", "Nights", "Weekend", "Follow the sun"])),
        start,
        start + length,
        lines,
        assignment,
        effective_since=effective_since,
        effective_until=effective_until,
    )


@st.composite
def rotations(
    draw: st.DrawFn,
    roster: Sequence[User] | None = None,
    time_zone: str = "Etc/UTC",
    around: dt.datetime = EPOCH_2024,
    max_events: int = 3,
    tidy: bool = False,
) -> Rotation:
    """A rotation of one to ``max_events`` events in time order: each effective from where the
    previous one ends (the last one perhaps for good), so their effective ranges never overlap."""
    people = tuple(roster) if roster is not None else draw(rosters())
    count = draw(st.integers(1, max_events))
    since = draw(instants(around - dt.timedelta(days=120), 120))
    events = []
    for i in range(count):
        last = i == count - 1
        until = (
            None
            if last and draw(st.booleans())
            else since + dt.timedelta(minutes=draw(st.integers(60, 120 * 24 * 60)))
        )
        events.append(
            draw(
                shift_events(
                    name=f"Event {i + 1}",
                    roster=people,
                    time_zone=time_zone,
                    around=since,
                    since=since,
                    until=until,
                    tidy=tidy,
                )
            )
        )
        if until is not None:
            since = until
    return Rotation(events, name=draw(st.none() | st.sampled_from(["Primary", "Secondary"])))


@st.composite
def custom_shifts(
    draw: st.DrawFn, roster: Sequence[User], around: dt.datetime = EPOCH_2024
) -> CustomShift:
    """A custom shift of a quarter of an hour to a week for someone on ``roster`` (or nobody)."""
    start = draw(instants(around - dt.timedelta(days=60), 120))
    length = dt.timedelta(minutes=15 * draw(st.integers(1, 7 * 24 * 4)))
    options: list[ShiftMember] = [*roster, EMPTY_MEMBER]
    member: ShiftMember = draw(st.sampled_from(options))
    return CustomShift(start, start + length, member)


@st.composite
def shift_schedules(
    draw: st.DrawFn,
    name: str | None = None,
    max_rotations: int = 3,
    around: dt.datetime = EPOCH_2024,
    zones: Sequence[str] | None = None,
    tidy: bool = False,
    custom: bool = True,
) -> ShiftSchedule:
    """A shift-based schedule of one to ``max_rotations`` rotations (and, with ``custom``, maybe
    some custom shifts) in a zone from ``zones`` (default: :data:`INTERESTING_ZONES`).

    With ``tidy`` every rotation keeps its occurrences apart (see :func:`shift_events`); use a zone
    without daylight saving (:data:`STEADY_ZONES`) for rotations that never overlap themselves.
    """
    zone = draw(st.sampled_from(list(zones or INTERESTING_ZONES)))
    roster = draw(rosters(1, 6))
    found = [
        draw(rotations(roster=roster, time_zone=zone, around=around, tidy=tidy))
        for _ in range(draw(st.integers(1, max_rotations)))
    ]
    extra: list[CustomShift] = []
    if custom and draw(st.booleans()):
        extra = draw(st.lists(custom_shifts(roster, around), max_size=3))
    return ShiftSchedule(
        name or draw(st.sampled_from(["Checkout", "Payments", "Search", "Platform"])),
        zone,
        found,
        custom_shifts=extra,
    )


@st.composite
def shift_overrides(draw: st.DrawFn, schedule: ShiftSchedule) -> ShiftOverride:
    """An override on one of the schedule's rotations (or custom shifts) that replaces one of its
    members with someone (or nobody) for a few minutes to a few weeks. It may replace nothing
    (the member may have no shift then): render it with
    ``ShiftRenderOptions(unmatched_overrides="ignore")``."""
    targets: list[Rotation | CustomShift] = [*schedule.rotations, *schedule.custom_shifts]
    target = draw(st.sampled_from(targets))
    if isinstance(target, Rotation):
        event = draw(st.sampled_from(list(target.events)))
        replaced = draw(st.sampled_from(list(event.members)))
        start = draw(instants(event.effective_since - dt.timedelta(days=7), 60))
    else:
        replaced = target.member
        start = draw(instants(target.start - dt.timedelta(days=2), 4))
    length = dt.timedelta(minutes=15 * draw(st.integers(1, 21 * 24 * 4)))
    known: list[ShiftMember] = [*schedule.users(), EMPTY_MEMBER]
    by: ShiftMember = draw(st.sampled_from(known) | users())
    return ShiftOverride(
        start,
        start + length,
        replaced,
        by,
        rotation=target if isinstance(target, Rotation) else None,
        custom_shift=target if isinstance(target, CustomShift) else None,
    )


@st.composite
def mixed_plans(draw: st.DrawFn, max_schedules: int = 2) -> OnCallPlan:
    """A plan holding both kinds of schedule (distinct names) and one policy over all of them."""
    names = draw(
        st.lists(
            st.sampled_from(["Checkout", "Payments", "Search", "Platform", "Data", "Edge"]),
            min_size=2,
            max_size=2 * max_schedules,
            unique=True,
        )
    )
    cut = draw(st.integers(1, len(names) - 1))
    layered = [draw(schedules(name=n)) for n in names[:cut]]
    shifted = [draw(shift_schedules(name=n)) for n in names[cut:]]
    targets: list[Any] = [*layered, *shifted]
    policy = draw(escalation_policies(targets))
    return OnCallPlan(schedules=layered, escalation_policies=[policy], shift_schedules=shifted)


@st.composite
def rotating_shift_plans(draw: st.DrawFn, max_members: int = 6) -> OnCallPlan:
    """A perfectly rotating shift-based team: one schedule in a zone without daylight saving,
    one rotation of one event in force for good, members taking ``shifts_per_member``
    occurrences each of a rule that repeats in a fixed time (no MONTHLY), occurrences apart.
    Over whole cycles every member gets exactly the same hours."""
    roster = draw(rosters(1, max_members))
    zone = draw(st.sampled_from(STEADY_ZONES))
    rule, spacing = draw(recurrences().filter(lambda r: "MONTHLY" not in r[0]))
    local = dt.datetime.combine(
        draw(instants()).date(),
        dt.time(draw(st.integers(0, 23)), draw(st.sampled_from([0, 15, 30, 45]))),
    )
    start = _first_match(rule, local).replace(tzinfo=ZoneInfo(zone)).astimezone(UTC)
    quarters = int(spacing / dt.timedelta(minutes=15))
    length = dt.timedelta(minutes=15 * draw(st.integers(1, quarters)))
    event = ShiftEvent(
        "Rotation",
        start,
        start + length,
        rule,
        RotatingMembers(roster, draw(st.integers(1, 5))),
    )
    schedule = ShiftSchedule(
        draw(st.sampled_from(["Checkout", "Payments"])), zone, [Rotation([event])]
    )
    return OnCallPlan(shift_schedules=[schedule])


@st.composite
def mixed_overrides(draw: st.DrawFn, plan: OnCallPlan) -> dict[str, Any]:
    """Overrides for some schedules of ``plan``, keyed by name, each of its kind: ``Override``
    lists for layer-based schedules, ``ShiftOverride`` lists for shift-based ones (render these
    with ``ShiftRenderOptions(unmatched_overrides="ignore")``, as :func:`shift_overrides`
    says)."""
    out: dict[str, Any] = {}
    for schedule in plan.all_schedules:
        if not draw(st.booleans()):
            continue
        if isinstance(schedule, ShiftSchedule):
            out[schedule.name] = draw(st.lists(shift_overrides(schedule), max_size=3))
        else:
            roster = [u for layer in schedule.layers for u in layer.users]
            out[schedule.name] = draw(st.lists(overrides(roster=roster), max_size=3))
    return out


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
    "custom_shifts",
    "escalation_policies",
    "holiday_regions",
    "instants",
    "layers",
    "mixed_overrides",
    "mixed_plans",
    "overrides",
    "pay_rates",
    "plans",
    "recurrences",
    "restrictions",
    "rosters",
    "rotating_plans",
    "rotating_shift_plans",
    "rotations",
    "schedules",
    "shift_events",
    "shift_members",
    "shift_overrides",
    "shift_schedules",
    "time_off",
    "time_zones",
    "turn_lengths",
    "users",
    "weights",
]
