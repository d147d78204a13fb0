"""render_each: an organisation rendered schedule by schedule, each result the same as render()'s."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest

from oncall_planner import (
    Layer,
    OnCallPlan,
    Override,
    RotatingMembers,
    Rotation,
    Schedule,
    ShiftEvent,
    ShiftSchedule,
    User,
    ValidationError,
    render,
    render_each,
)

UTC = dt.timezone.utc
SINCE = dt.datetime(2025, 3, 1, tzinfo=UTC)
UNTIL = dt.datetime(2025, 4, 1, tzinfo=UTC)
ANN, BEN, CAT = (User(n, f"{n.lower()}@example.com") for n in ("Ann", "Ben", "Cat"))


def _layered(name: str) -> Schedule:
    start = dt.datetime(2025, 1, 6, 9, tzinfo=UTC)
    return Schedule(
        name, "America/New_York", [Layer("L", [ANN, BEN], start, dt.timedelta(weeks=1))]
    )


SHIFTED = ShiftSchedule(
    "Shifts",
    "Europe/London",
    [
        Rotation(
            [
                ShiftEvent(
                    "Days",
                    start_time=dt.datetime(2025, 1, 6, 9, tzinfo=UTC),
                    end_time=dt.datetime(2025, 1, 6, 17, tzinfo=UTC),
                    recurrence="RRULE:FREQ=DAILY",
                    assignment=RotatingMembers([BEN, CAT]),
                )
            ]
        )
    ],
)


def test_each_result_is_what_render_gives_for_that_schedule() -> None:
    schedules = [_layered("A"), _layered("B"), SHIFTED]
    cover = {"B": [Override(SINCE + dt.timedelta(days=2), SINCE + dt.timedelta(days=3), CAT)]}
    got = list(render_each(schedules, SINCE, UNTIL, cover))
    assert [f.schedule for f in got] == schedules
    for final, schedule in zip(got, schedules, strict=True):
        assert final == render(schedule, SINCE, UNTIL, cover.get(schedule.name, ()))
    assert got[1].entries != got[0].entries  # B's override is applied, A has none


def test_a_plan_gives_its_layer_based_schedules_then_its_shift_based_ones() -> None:
    plan = OnCallPlan(schedules=[_layered("A")], shift_schedules=[SHIFTED])
    assert [f.schedule.name for f in render_each(plan, SINCE, UNTIL)] == ["A", "Shifts"]


def test_schedules_are_read_and_rendered_one_at_a_time() -> None:
    pulled: list[str] = []

    def schedules() -> Iterator[Schedule]:
        for name in ("A", "B", "C"):
            pulled.append(name)
            yield _layered(name)

    results = render_each(schedules(), SINCE, UNTIL)
    assert pulled == []  # nothing is read or rendered before the first result is asked for
    first = next(results)
    assert (first.schedule.name, pulled) == ("A", ["A"])
    assert [f.schedule.name for f in results] == ["B", "C"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("nope", SINCE, UNTIL), "schedules must be an OnCallPlan or an iterable"),
        (([], UNTIL, SINCE), "until must be after since"),
        (([], SINCE, UNTIL, [Override(SINCE, UNTIL, ANN)]), "overrides must map schedule names"),
        (([], dt.datetime(2025, 3, 1), UNTIL), "since must be timezone-aware"),
    ],
)
def test_bad_arguments_are_refused_before_anything_is_rendered(
    args: tuple[object, ...], message: str
) -> None:
    with pytest.raises(ValidationError, match=message):
        render_each(*args)  # type: ignore[arg-type]


def test_something_that_is_not_a_schedule_is_refused_when_reached() -> None:
    results = render_each([_layered("A"), "B"], SINCE, UNTIL)  # type: ignore[list-item]
    assert next(results).schedule.name == "A"
    with pytest.raises(ValidationError, match="must be Schedule or ShiftSchedule objects, got str"):
        next(results)
