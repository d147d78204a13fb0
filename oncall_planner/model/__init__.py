"""The model: frozen, validated values for everything PagerDuty schedules and escalates."""

from oncall_planner.model.escalation import EscalationPolicy, EscalationRule, Target
from oncall_planner.model.people import Team, User
from oncall_planner.model.plan import OnCallPlan
from oncall_planner.model.schedule import Layer, Override, Restriction, Schedule, TimeOff
from oncall_planner.model.shift import (
    EMPTY_MEMBER,
    AssignmentStrategy,
    CustomShift,
    EmptyMember,
    EveryMember,
    RotatingMembers,
    Rotation,
    ShiftEvent,
    ShiftMember,
    ShiftOverride,
    ShiftSchedule,
)

__all__ = [
    "EMPTY_MEMBER",
    "AssignmentStrategy",
    "CustomShift",
    "EmptyMember",
    "EscalationPolicy",
    "EscalationRule",
    "EveryMember",
    "Layer",
    "OnCallPlan",
    "Override",
    "Restriction",
    "RotatingMembers",
    "Rotation",
    "Schedule",
    "ShiftEvent",
    "ShiftMember",
    "ShiftOverride",
    "ShiftSchedule",
    "Target",
    "Team",
    "TimeOff",
    "User",
]
