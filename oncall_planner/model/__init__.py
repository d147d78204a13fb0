"""The model: frozen, validated values for everything PagerDuty schedules and escalates."""

from oncall_planner.model.escalation import EscalationPolicy, EscalationRule, Target
from oncall_planner.model.people import Team, User
from oncall_planner.model.plan import OnCallPlan
from oncall_planner.model.schedule import Layer, Override, Restriction, Schedule, TimeOff

__all__ = [
    "EscalationPolicy",
    "EscalationRule",
    "Layer",
    "OnCallPlan",
    "Override",
    "Restriction",
    "Schedule",
    "Target",
    "Team",
    "TimeOff",
    "User",
]
