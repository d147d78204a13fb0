"""Rotation anchors on the wall clock, the one rule the planners share.

A layer's turns start at ``local(rotation_virtual_start) + k * turn_length`` on the schedule's
wall clock (docs/semantics.md). An anchor whose local time the clocks skip cannot be written as
an instant that reads back as that local time: the instant of the jump reads an hour later, and
every later handoff would be an hour late. So the planners move the anchor back by whole rotation
cycles, which changes nobody's turn, until its local time exists.
"""

from __future__ import annotations

from oncall_planner.errors import ValidationError
from oncall_planner.timeutil import ZoneClock, from_seconds

_TRIES = 8


def wall_anchor(zclock: ZoneClock, local: int, cycle: int, where: str) -> int:
    """An instant whose local time is ``local`` minus a whole number (0, 1, …) of ``cycle``
    seconds, and reads back as exactly that local time.

    ``cycle`` is the length of one rotation (turn length times the number of people), so the
    rotation it anchors gives every instant the same turn and the same person as one anchored at
    ``local`` itself would. One step back is nearly always enough.
    """
    for extra in range(_TRIES):
        candidate = local - extra * cycle
        instant = zclock.from_local(candidate)
        if zclock.to_local(instant) == candidate:
            return instant
    raise ValidationError(
        f"{where}: cannot find a rotation_virtual_start outside the daylight-saving gaps for "
        f"the handoff at local {from_seconds(local).replace(tzinfo=None).isoformat()}"
    )
