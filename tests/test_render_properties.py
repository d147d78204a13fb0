"""Invariants of the renderer over generated schedules (hypothesis)."""

from __future__ import annotations

import datetime as dt
from itertools import pairwise

import pytz
from hypothesis import assume, given
from hypothesis import strategies as st

from oncall_planner import Layer, Override, Schedule, on_call_at, render
from oncall_planner import strategies as st_oc
from oncall_planner.render import Entry

MINUTE = dt.timedelta(minutes=1)
AROUND = st_oc.EPOCH_2024


@st.composite
def windows(draw: st.DrawFn, max_days: int = 60) -> tuple[dt.datetime, dt.datetime]:
    since = draw(st_oc.instants(AROUND - dt.timedelta(days=200), 400))
    length = dt.timedelta(minutes=draw(st.integers(1, max_days * 24 * 60)))
    return since, since + length


@st.composite
def scenario(draw: st.DrawFn) -> tuple[Schedule, list[Override], dt.datetime, dt.datetime, str]:
    schedule = draw(st_oc.schedules())
    roster = sorted({u for layer in schedule.layers for u in layer.users}, key=lambda u: u.email)
    ovs = draw(st.lists(st_oc.overrides(roster=roster), max_size=3))
    since, until = draw(windows())
    return schedule, ovs, since, until, draw(st.sampled_from(["wall", "elapsed"]))


def _joined(parts: list[Entry]) -> list[tuple[dt.datetime, dt.datetime, str]]:
    out: list[tuple[dt.datetime, dt.datetime, str]] = []
    for e in parts:
        if out and out[-1][1] == e.start and out[-1][2] == e.user.email:
            out[-1] = (out[-1][0], e.end, e.user.email)
        else:
            out.append((e.start, e.end, e.user.email))
    return out


@given(scenario())
def test_entries_are_sorted_disjoint_merged_and_inside_the_window(case) -> None:  # type: ignore[no-untyped-def]
    schedule, ovs, since, until, mode = case
    final = render(schedule, since, until, ovs, mode)  # type: ignore[arg-type]
    for entry in final.entries:
        assert since <= entry.start < entry.end <= until
    for a, b in pairwise(final.entries):
        assert a.end <= b.start
        assert not (a.end == b.start and a.user == b.user), (
            "adjacent entries of one user not merged"
        )
    for layer_entries in final.layers + final.visible:
        for a, b in pairwise(layer_entries):
            assert a.end <= b.start


@given(scenario(), st.data())
def test_on_call_at_agrees_with_render(case, data) -> None:  # type: ignore[no-untyped-def]
    schedule, ovs, since, until, mode = case
    final = render(schedule, since, until, ovs, mode)  # type: ignore[arg-type]
    probes = {e.start for e in final.entries} | {e.end for e in final.entries}
    probes |= {g.start for g in final.gaps} | {g.end for g in final.gaps}
    probes = {p + d for p in probes for d in (-MINUTE, dt.timedelta(), MINUTE)}
    span = int((until - since) / MINUTE)
    probes |= {since + MINUTE * data.draw(st.integers(0, span - 1)) for _ in range(5)}
    for t in sorted(p for p in probes if since <= p < until):
        expected = next((e.user for e in final.entries if e.start <= t < e.end), None)
        assert on_call_at(schedule, t, ovs, mode) == expected, t  # type: ignore[arg-type]


@given(scenario(), st.data())
def test_rendering_in_two_parts_equals_rendering_at_once(case, data) -> None:  # type: ignore[no-untyped-def]
    schedule, ovs, since, until, mode = case
    span = int((until - since) / MINUTE)
    assume(span >= 2)
    middle = since + MINUTE * data.draw(st.integers(1, span - 1))
    whole = render(schedule, since, until, ovs, mode)  # type: ignore[arg-type]
    left = render(schedule, since, middle, ovs, mode)  # type: ignore[arg-type]
    right = render(schedule, middle, until, ovs, mode)  # type: ignore[arg-type]
    assert _joined(list(left.entries + right.entries)) == _joined(list(whole.entries))
    for i in range(len(schedule.layers)):
        assert _joined(list(left.layers[i] + right.layers[i])) == _joined(list(whole.layers[i]))


@given(scenario())
def test_coverage_is_covered_time_over_the_window(case) -> None:  # type: ignore[no-untyped-def]
    schedule, ovs, since, until, mode = case
    final = render(schedule, since, until, ovs, mode)  # type: ignore[arg-type]
    covered = sum((e.duration for e in final.entries), dt.timedelta())
    gaps = sum((g.duration for g in final.gaps), dt.timedelta())
    assert covered + gaps == until - since
    assert abs(final.coverage - covered / (until - since)) < 1e-12


@given(scenario())
def test_a_round_the_clock_top_layer_hides_every_lower_layer(case) -> None:  # type: ignore[no-untyped-def]
    schedule, _, since, until, mode = case
    top = Layer(
        "Top", [schedule.layers[0].users[0]], since - dt.timedelta(days=1), dt.timedelta(weeks=1)
    )
    covered = Schedule(schedule.name, schedule.time_zone, [*schedule.layers, top])
    final = render(covered, since, until, mode=mode)  # type: ignore[arg-type]
    assert all(v == () for v in final.visible[:-1])
    assert [(e.start, e.end) for e in final.entries] == [(since, until)]
    assert final.coverage == 1.0


@given(scenario())
def test_visible_parts_and_overrides_make_up_the_final_schedule(case) -> None:  # type: ignore[no-untyped-def]
    schedule, ovs, since, until, mode = case
    final = render(schedule, since, until, ovs, mode)  # type: ignore[arg-type]
    pieces = sorted(
        [e for v in final.visible for e in v] + list(final.overrides), key=lambda e: e.start
    )
    assert _joined(pieces) == _joined(list(final.entries))


def _as_pytz(value: dt.datetime, zone: str) -> dt.datetime:
    tz = pytz.timezone(zone)
    return tz.normalize(value.astimezone(tz))


@given(scenario())
def test_pytz_and_zoneinfo_inputs_give_identical_output(case) -> None:  # type: ignore[no-untyped-def]
    schedule, ovs, since, until, mode = case
    from zoneinfo import ZoneInfo

    zi = ZoneInfo(schedule.time_zone)

    def convert(layer: Layer, to_pytz: bool) -> Layer:
        def c(v: dt.datetime | None) -> dt.datetime | None:
            if v is None:
                return None
            return _as_pytz(v, schedule.time_zone) if to_pytz else v.astimezone(zi)

        return Layer(
            layer.name,
            layer.users,
            c(layer.start),  # type: ignore[arg-type]
            layer.turn_length,
            c(layer.rotation_virtual_start),
            layer.restrictions,
            c(layer.end),
        )

    a = Schedule(schedule.name, schedule.time_zone, [convert(x, False) for x in schedule.layers])
    b = Schedule(schedule.name, schedule.time_zone, [convert(x, True) for x in schedule.layers])
    ra = render(a, since.astimezone(zi), until.astimezone(zi), ovs, mode)  # type: ignore[arg-type]
    rb = render(
        b,
        _as_pytz(since, schedule.time_zone),
        _as_pytz(until, schedule.time_zone),
        ovs,
        mode,  # type: ignore[arg-type]
    )
    assert repr(ra.entries) == repr(rb.entries)
    assert repr(ra.layers) == repr(rb.layers)


@st.composite
def unrestricted_schedules(draw: st.DrawFn) -> Schedule:
    """One layer with no restrictions and two or more distinct people."""
    layer = draw(st_oc.layers(roster=draw(st_oc.rosters(min_size=2))))
    layer = Layer(
        layer.name,
        layer.users,
        layer.start,
        layer.turn_length,
        layer.rotation_virtual_start,
        end=layer.end,
    )
    return Schedule("Elapsed", draw(st_oc.time_zones()), [layer])


@given(unrestricted_schedules(), windows(max_days=40))
def test_elapsed_turns_are_exactly_one_turn_long(schedule, window) -> None:  # type: ignore[no-untyped-def]
    layer = schedule.layers[0]
    final = render(schedule, *window, mode="elapsed")
    # Inner entries (not cut by the window or the layer's dates) last exactly one turn.
    for e in final.entries[1:-1]:
        assert e.duration == layer.turn_length


@given(
    st_oc.schedules(),
    windows(max_days=40),
    st.integers(0, 30 * 24 * 60),
    st.integers(0, 30 * 24 * 60),
    st.sampled_from(["wall", "elapsed"]),
)
def test_a_window_cut_from_a_wider_render_is_the_render_of_that_window(  # type: ignore[no-untyped-def]
    schedule, window, before, after, mode
) -> None:
    """The audit renders a schedule once over many windows and cuts each from it
    (render._narrowed): every field must be what rendering the window itself gives."""
    from oncall_planner.render import _narrowed
    from oncall_planner.timeutil import to_seconds

    since, until = window
    wide = render(
        schedule,
        since - dt.timedelta(minutes=before),
        until + dt.timedelta(minutes=after),
        mode=mode,
    )
    direct = render(schedule, since, until, mode=mode)
    cut = _narrowed(wide, to_seconds(since), to_seconds(until))
    assert cut == direct
    assert repr(cut) == repr(direct)
    for name in ("gaps", "coverage", "layers", "visible", "overrides"):
        assert getattr(cut, name) == getattr(direct, name), name
