"""Builders for plans that mix both kinds of schedule, in Etc/UTC from checkkit's T0 (a Monday).

``support()`` is a shift-based schedule with people on call at once: rotation 1 "Days" hands
weekdays 09:00-17:00 between Cat and Dan weekly (five shifts each), rotation 2 "Pair" puts Cat and
Eve on together every day 12:00-14:00 (so on weekdays Cat holds two overlapping shifts at noon).
"""

from __future__ import annotations

import datetime as dt

from checkkit import DAY, T0, WEEK, A, B, C, D, layer, policy, schedule, user

from oncall_planner import (
    EMPTY_MEMBER,
    CustomShift,
    EveryMember,
    OnCallPlan,
    RotatingMembers,
    Rotation,
    ShiftEvent,
    ShiftMember,
    ShiftSchedule,
)

E = user("Eve")
HOUR = dt.timedelta(hours=1)


def event(
    name: str,
    members: list[ShiftMember],
    start: dt.datetime = T0,
    length: dt.timedelta = DAY,
    rule: str = "RRULE:FREQ=DAILY",
    *,
    every: bool = False,
    shifts_per_member: int = 1,
    **kw: object,
) -> ShiftEvent:
    assignment = EveryMember(members) if every else RotatingMembers(members, shifts_per_member)
    return ShiftEvent(name, start, start + length, rule, assignment, **kw)  # type: ignore[arg-type]


def shift_schedule(
    name: str,
    *rotations: Rotation,
    custom: list[CustomShift] | None = None,
    tz: str = "Etc/UTC",
) -> ShiftSchedule:
    return ShiftSchedule(name, tz, list(rotations), custom_shifts=custom or [])


WEEKDAYS = "RRULE:FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR"


def days_rotation(members: list[ShiftMember] | None = None) -> Rotation:
    return Rotation(
        [
            event(
                "Weekdays",
                members or [C, D],
                T0 + 9 * HOUR,
                8 * HOUR,
                WEEKDAYS,
                shifts_per_member=5,
            )
        ],
        name="Days",
    )


def pair_rotation() -> Rotation:
    return Rotation([event("Noon", [C, E], T0 + 12 * HOUR, 2 * HOUR, every=True)], name="Pair")


def support(name: str = "Support", **kw: object) -> ShiftSchedule:
    return shift_schedule(name, days_rotation(), pair_rotation(), **kw)  # type: ignore[arg-type]


def around_the_clock(
    name: str = "Around", members: list[ShiftMember] | None = None
) -> ShiftSchedule:
    """24/7: daily 24-hour shifts, a week (seven shifts) per member."""
    return shift_schedule(
        name,
        Rotation([event("Daily", members or [C, D], shifts_per_member=7)], name="Main"),
    )


def mixed_plan() -> OnCallPlan:
    """Level 1 pages the shift-based Support, level 2 the layer-based Primary (Ann/Ben weekly)."""
    primary = schedule("Primary", layer("L", [A, B]))
    return OnCallPlan(
        escalation_policies=[policy("Ops", (10, [support()]), (10, [primary]))],
    )


__all__ = [
    "DAY",
    "EMPTY_MEMBER",
    "HOUR",
    "T0",
    "WEEK",
    "WEEKDAYS",
    "A",
    "B",
    "C",
    "D",
    "E",
    "around_the_clock",
    "days_rotation",
    "event",
    "mixed_plan",
    "pair_rotation",
    "shift_schedule",
    "support",
]
