"""change_members: a new rotation order from the next handoff, nothing before it moves."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from oncall_planner import (
    Layer,
    Restriction,
    Schedule,
    User,
    ValidationError,
    change_members,
    change_schedule_members,
    next_handoff,
    on_call_at,
    render,
)
from oncall_planner.render import layer_on_call_at

NY = ZoneInfo("America/New_York")
ALICE = User("Alice", "alice@example.com")
BOB = User("Bob", "bob@example.com")
CAROL = User("Carol", "carol@example.com")
DAVE = User("Dave", "dave@example.com")
ERIN = User("Erin", "erin@example.com")
WEEK = dt.timedelta(weeks=1)
MONDAY = dt.datetime(2025, 3, 3, 9, tzinfo=NY)
LAYER = Layer("Primary", [ALICE, BOB, CAROL, DAVE], MONDAY, WEEK)
WEDNESDAY = MONDAY + dt.timedelta(days=2)


def names(layers: tuple[Layer, ...], weeks: int, since: dt.datetime = MONDAY) -> list[str]:
    schedule = Schedule("S", "America/New_York", layers)
    out = []
    for w in range(weeks):
        user = on_call_at(schedule, since + w * WEEK + dt.timedelta(hours=1))
        out.append(user.name if user else "-")
    return out


def test_mid_turn_change_ends_the_layer_at_the_next_handoff() -> None:
    ended, successor = change_members(
        LAYER, [ALICE, CAROL, DAVE, ERIN], WEDNESDAY, "America/New_York"
    )
    assert ended.end == successor.start == MONDAY + WEEK


def test_the_turn_in_progress_keeps_its_person() -> None:
    layers = change_members(LAYER, [CAROL, DAVE, ERIN], WEDNESDAY, "America/New_York")
    assert names(layers, 1) == ["Alice"]


def test_new_order_carries_on_with_the_next_person_still_in_it() -> None:
    layers = change_members(LAYER, [ALICE, CAROL, DAVE, ERIN], WEDNESDAY, "America/New_York")
    # Bob was next and leaves: Carol, who followed him, goes on at the handoff.
    assert names(layers, 6) == ["Alice", "Carol", "Dave", "Erin", "Alice", "Carol"]


def test_new_order_keeps_the_next_person_when_they_stay() -> None:
    layers = change_members(LAYER, [ALICE, ERIN, BOB, CAROL, DAVE], WEDNESDAY, "America/New_York")
    assert names(layers, 6) == ["Alice", "Bob", "Carol", "Dave", "Alice", "Erin"]


def test_start_with_picks_who_goes_on_at_the_handoff() -> None:
    layers = change_members(
        LAYER, [ALICE, BOB, ERIN], WEDNESDAY, "America/New_York", start_with=ERIN
    )
    assert names(layers, 4) == ["Alice", "Erin", "Alice", "Bob"]


def test_start_with_must_be_among_the_new_users() -> None:
    with pytest.raises(ValidationError, match="start_with 'Dave' is not among the new users"):
        change_members(LAYER, [ALICE, BOB], WEDNESDAY, "America/New_York", start_with=DAVE)


def test_change_at_a_handoff_keeps_the_turn_that_starts_there() -> None:
    layers = change_members(LAYER, [ERIN, ALICE], MONDAY + WEEK, "America/New_York")
    assert layers[1].start == MONDAY + 2 * WEEK
    assert names(layers, 3) == ["Alice", "Bob", "Alice"]


def test_same_users_change_nothing() -> None:
    assert change_members(LAYER, LAYER.users, WEDNESDAY, "America/New_York") == (LAYER,)


def test_layer_not_started_by_the_handoff_changes_in_place() -> None:
    (layer,) = change_members(LAYER, [ERIN, DAVE], MONDAY - 3 * WEEK, "America/New_York")
    assert layer.users == (ERIN, DAVE) and layer.start == MONDAY and layer.end is None


def test_layer_that_ends_before_the_handoff_is_left_alone() -> None:
    short = Layer("Primary", [ALICE, BOB], MONDAY, WEEK, end=MONDAY + dt.timedelta(days=3))
    assert change_members(short, [ERIN], WEDNESDAY, "America/New_York") == (short,)


def test_successor_keeps_restrictions_and_the_original_end() -> None:
    end = MONDAY + 10 * WEEK
    layer = Layer(
        "Day",
        [ALICE, BOB],
        MONDAY,
        WEEK,
        restrictions=[Restriction.daily("09:00", dt.timedelta(hours=8))],
        end=end,
    )
    _, successor = change_members(layer, [ERIN, BOB], WEDNESDAY, "America/New_York")
    assert (successor.restrictions, successor.end) == (layer.restrictions, end)


def test_next_handoff_is_the_end_of_the_turn_in_progress() -> None:
    assert next_handoff(LAYER, "America/New_York", WEDNESDAY) == MONDAY + WEEK


def test_empty_users_are_refused() -> None:
    with pytest.raises(ValidationError, match="users must have at least 1 User"):
        change_members(LAYER, [], WEDNESDAY, "America/New_York")


def two_layer_schedule() -> Schedule:
    secondary = Layer(
        "Secondary",
        [ALICE, BOB, CAROL, DAVE],
        MONDAY,
        WEEK,
        rotation_virtual_start=MONDAY + WEEK,
        restrictions=[Restriction.daily("18:00", dt.timedelta(hours=12))],
    )
    return Schedule("S", "America/New_York", [LAYER, secondary])


def test_schedule_change_appends_successors_when_handoffs_agree() -> None:
    changed = change_schedule_members(two_layer_schedule(), [ALICE, CAROL, ERIN], WEDNESDAY)
    shape = [(layer.name, layer.end is not None) for layer in changed.layers]
    assert shape == [
        ("Primary", True),
        ("Secondary", True),
        ("Primary", False),
        ("Secondary", False),
    ]


def test_schedule_change_inserts_after_when_an_unchanged_layer_sits_above() -> None:
    changed = change_schedule_members(
        two_layer_schedule(), [ALICE, ERIN], WEDNESDAY, layers=["Primary"]
    )
    assert [(layer.name, layer.end is not None) for layer in changed.layers] == [
        ("Primary", True),
        ("Primary", False),
        ("Secondary", False),
    ]


def test_schedule_change_names_unknown_layers() -> None:
    with pytest.raises(ValidationError, match="has no layer named 'Tertiary'"):
        change_schedule_members(two_layer_schedule(), [ERIN], WEDNESDAY, layers=["Tertiary"])


POOL = [ALICE, BOB, CAROL, DAVE, ERIN, User("Frank", "frank@example.com")]


@st.composite
def layer_changes(draw: st.DrawFn) -> tuple[Schedule, list[User], dt.datetime, str]:
    zone = draw(st.sampled_from(["America/New_York", "Europe/London", "Etc/UTC"]))
    tz = ZoneInfo(zone)
    hours = draw(st.sampled_from([1, 5, 8, 12, 24, 36, 168]))
    start = dt.datetime(2025, 3, 1, tzinfo=tz) + dt.timedelta(minutes=30 * draw(st.integers(0, 96)))
    virtual = start - dt.timedelta(minutes=15 * draw(st.integers(0, 200)))
    old = draw(st.lists(st.sampled_from(POOL), min_size=1, max_size=5, unique=True))
    new = draw(st.lists(st.sampled_from(POOL), min_size=1, max_size=6, unique=True))
    restricted = draw(st.booleans())
    restrictions = [Restriction.daily("22:00", dt.timedelta(hours=10))] if restricted else []
    layer = Layer(
        "L",
        old,
        start,
        dt.timedelta(hours=hours),
        rotation_virtual_start=virtual,
        restrictions=restrictions,
    )
    base = Layer("Base", [POOL[5]], start - dt.timedelta(days=30), dt.timedelta(days=1))
    schedule = Schedule("S", zone, [base, layer])
    effective = start + dt.timedelta(minutes=draw(st.integers(-3000, 60 * 24 * 30)))
    return schedule, new, effective, draw(st.sampled_from(["wall", "elapsed"]))


@given(layer_changes())
def test_change_members_never_changes_the_past_or_the_current_turn(
    case: tuple[Schedule, list[User], dt.datetime, str],
) -> None:
    schedule, new, effective, mode = case
    layer = schedule.layers[1]
    handoff = next_handoff(layer, schedule.time_zone, effective, mode)  # type: ignore[arg-type]
    changed = change_schedule_members(schedule, new, effective, layers=["L"], mode=mode)  # type: ignore[arg-type]
    since = min(effective, layer.start) - dt.timedelta(days=2)
    if handoff > since:
        before = render(schedule, since, handoff, mode=mode)  # type: ignore[arg-type]
        after = render(changed, since, handoff, mode=mode)  # type: ignore[arg-type]
        assert after.entries == before.entries


@given(layer_changes())
def test_change_members_starts_the_new_order_at_the_handoff(
    case: tuple[Schedule, list[User], dt.datetime, str],
) -> None:
    schedule, new, effective, mode = case
    layer = schedule.layers[1]
    layers = change_members(layer, new, effective, schedule.time_zone, mode)  # type: ignore[arg-type]
    successor = layers[-1]
    handoff = next_handoff(layer, schedule.time_zone, effective, mode)  # type: ignore[arg-type]
    plain = Layer(
        "P",
        successor.users,
        successor.start,
        successor.turn_length,
        rotation_virtual_start=successor.rotation_virtual_start,
    )
    alone = Schedule("X", schedule.time_zone, [plain])
    since = max(handoff, successor.start)
    turns = render(alone, since, since + len(new) * layer.turn_length, mode=mode).entries  # type: ignore[arg-type]
    seen = [e.user for e in turns]
    old_plain = Layer(
        "O",
        layer.users,
        layer.start - dt.timedelta(days=400),
        layer.turn_length,
        rotation_virtual_start=layer.rotation_virtual_start,
    )
    next_old = layer_on_call_at(old_plain, schedule.time_zone, handoff, mode)  # type: ignore[arg-type]
    assert next_old is not None
    i = layer.users.index(next_old)
    current = layer.users[(i - 1) % len(layer.users)]
    stays = [u for u in layer.users[i:] + layer.users[:i] if u in new and u != current]
    stays += [u for u in new if u != current] or [new[0]]
    if since != handoff or not turns or turns[0].start != handoff:
        return  # the layer starts later, or its first turn is empty (a DST gap)
    assert seen[0] == stays[0]
    if len(new) > 1 and layer.turn_length > dt.timedelta(hours=1):  # no turn fits in a DST gap
        # Each person of the new order goes on in turn, starting at the handoff.
        first = new.index(seen[0])
        assert seen[: len(new)] == [new[(first + i) % len(new)] for i in range(len(new))]


def test_next_handoff_checks_its_arguments() -> None:
    with pytest.raises(ValidationError, match="next_handoff: at must be timezone-aware"):
        next_handoff(LAYER, "America/New_York", dt.datetime(2025, 3, 5))
    with pytest.raises(ValidationError, match="next_handoff: time_zone must be one of"):
        next_handoff(LAYER, "UTC", WEDNESDAY)


def test_layers_given_as_one_string_are_refused() -> None:
    with pytest.raises(ValidationError, match=r"layers must be a list of layer names such as \["):
        change_schedule_members(two_layer_schedule(), [ERIN], WEDNESDAY, layers="Primary")  # type: ignore[arg-type]
