"""Checks of the collections that functions take (pages, overrides, time off, rosters).

Every public function that takes "a list of X" or "overrides per schedule" checks it here, so the
errors read the same everywhere: ``check: time_off must hold TimeOff objects, got User …``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TypeVar

from oncall_planner.errors import ValidationError
from oncall_planner.model.schedule import Override
from oncall_planner.model.shift import ShiftOverride

T = TypeVar("T")


def sequence_of(value: object, kind: type[T], where: str, field: str) -> tuple[T, ...]:
    """``value`` as a tuple, if it is an iterable (not a string) of ``kind`` objects."""
    if isinstance(value, (str, bytes)) or not isinstance(value, Iterable):
        raise ValidationError(f"{where}: {field} must be a list of {kind.__name__}, got {value!r}")
    items = tuple(value)
    for item in items:
        if not isinstance(item, kind):
            raise ValidationError(
                f"{where}: {field} must hold {kind.__name__} objects, "
                f"got {type(item).__name__} {item!r}"
            )
    return items


def overrides_by_schedule(
    value: object,
    where: str,
    schedules: Iterable[str] | None = None,
    field: str = "overrides",
) -> dict[str, tuple[Override, ...]]:
    """Overrides keyed by schedule name (``None`` is no overrides), each a list of Override.

    With ``schedules``, a name outside it is refused: overrides for a schedule that is not in the
    plan would be silently ignored otherwise.
    """
    if value is None:
        return {}
    if not isinstance(value, Mapping):
        raise ValidationError(
            f"{where}: {field} must map schedule names to lists of Override, "
            f"got {type(value).__name__}"
        )
    known = None if schedules is None else list(schedules)
    out: dict[str, tuple[Override, ...]] = {}
    for name, items in value.items():
        if not isinstance(name, str):
            raise ValidationError(f"{where}: {field} must be keyed by schedule name, got {name!r}")
        if known is not None and name not in known:
            raise ValidationError(
                f"{where}: {field} name the schedule {name!r}, which is not in the plan; "
                f"the plan has {known}"
            )
        out[name] = sequence_of(items, Override, where, f"{field}[{name!r}]")
    return out


def mixed_overrides_by_schedule(
    value: object,
    where: str,
    schedules: Iterable[str] | None,
    shift_schedules: Iterable[str],
    field: str = "overrides",
) -> dict[str, tuple[Override, ...] | tuple[ShiftOverride, ...]]:
    """:func:`overrides_by_schedule` for a plan with both kinds of schedule: lists of Override for
    the names in ``schedules``, of ShiftOverride for those in ``shift_schedules``. With
    ``schedules=None`` any other name takes a list of Override (as :func:`overrides_by_schedule`
    without ``schedules``)."""
    shifted = list(shift_schedules)
    layered = overrides_by_schedule(
        {k: v for k, v in value.items() if k not in shifted}
        if isinstance(value, Mapping)
        else value,
        where,
        None if schedules is None else [*schedules, *shifted],
        field,
    )
    out: dict[str, tuple[Override, ...] | tuple[ShiftOverride, ...]] = dict(layered)
    if isinstance(value, Mapping):
        for name in shifted:
            if name in value:
                out[name] = sequence_of(value[name], ShiftOverride, where, f"{field}[{name!r}]")
    return out
