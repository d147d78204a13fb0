"""Fairness: per-person load, indices, cycle-aligned horizons, pay previews and property audits.

The core is pure (no I/O, no clock); :mod:`oncall_planner.report` formats its results.
``audit`` needs ``hypothesis`` (the ``dev`` extra) and imports it only when called.
"""

from oncall_planner.fairness.audit import (
    PROPERTIES,
    AuditReport,
    Perturbation,
    PropertyResult,
    assert_fair,
    audit,
)
from oncall_planner.fairness.horizon import MAX_CYCLE, Horizon, cycle_length, resolve_horizon
from oncall_planner.fairness.indices import Indices
from oncall_planner.fairness.pay import Pay, PayRates
from oncall_planner.fairness.report import FairnessReport, PersonLoad, Weights, fairness_report

__all__ = [
    "MAX_CYCLE",
    "PROPERTIES",
    "AuditReport",
    "FairnessReport",
    "Horizon",
    "Indices",
    "Pay",
    "PayRates",
    "PersonLoad",
    "Perturbation",
    "PropertyResult",
    "Weights",
    "assert_fair",
    "audit",
    "cycle_length",
    "fairness_report",
    "resolve_horizon",
]
