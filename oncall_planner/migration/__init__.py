"""From layer-based schedules to shift-based ones, with a proof that nobody's time changes.

:func:`to_shift_schedule` converts one :class:`~oncall_planner.Schedule` into a
:class:`~oncall_planner.ShiftSchedule` (Terraform ``pagerduty_schedulev2``), :func:`to_shift_plan`
a whole plan, escalation policies retargeted; :func:`prove_conversion` renders both over the horizon and
compares who is on call minute by minute, listing every difference with its reason.
docs/schedulev2.md ("Migrating from layers") describes the conversion, the class of schedules it
converts exactly and the proof.
"""

from oncall_planner.migration.convert import (
    DEFAULT_HORIZON,
    Conversion,
    Limitation,
    PlanConversion,
    to_shift_plan,
    to_shift_schedule,
)
from oncall_planner.migration.proof import ConversionProof, Difference, Reading, prove_conversion

__all__ = [
    "DEFAULT_HORIZON",
    "Conversion",
    "ConversionProof",
    "Difference",
    "Limitation",
    "PlanConversion",
    "Reading",
    "prove_conversion",
    "to_shift_plan",
    "to_shift_schedule",
]
