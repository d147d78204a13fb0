"""Fairness reports as plain data: a dict, JSON (sorted keys) and CSV (one row per person)."""

from __future__ import annotations

import json
from typing import Any

import attrs

from oncall_planner.fairness.report import FairnessReport, PersonLoad
from oncall_planner.report.csvfile import csv_text
from oncall_planner.textutil import json_safe

#: Decimal places kept for hours and ratios in JSON and CSV.
PLACES = 4

CSV_COLUMNS = (
    "name",
    "email",
    "rostered",
    "time_zone",
    "holiday_region",
    "hours",
    "level1_hours",
    "later_hours",
    "shifts",
    "longest_stretch_hours",
    "business_hours",
    "off_hours",
    "sleep_hours",
    "night_hours",
    "weekend_hours",
    "holiday_hours",
    "burden",
    "above_average_hours",
    "above_average_burden",
    "pages",
    "sleep_pages",
    "pay_hourly",
    "pay_shifts",
    "pay_total",
)


def _r(x: float | None) -> float | None:
    return None if x is None else round(x, PLACES) + 0.0


def person_dict(p: PersonLoad) -> dict[str, Any]:
    """One person's row as plain data (floats rounded to :data:`PLACES`)."""
    region = None if p.holiday_region is None else "-".join(x for x in p.holiday_region if x)
    return {
        "name": p.user.name,
        "email": p.user.email,
        "rostered": p.rostered,
        "time_zone": p.time_zone,
        "holiday_region": region,
        "hours": _r(p.hours),
        "level1_hours": _r(p.level1_hours),
        "later_hours": _r(p.later_hours),
        "shifts": p.shifts,
        "longest_stretch_hours": _r(p.longest_stretch_hours),
        "business_hours": _r(p.business_hours),
        "off_hours": _r(p.off_hours),
        "sleep_hours": _r(p.sleep_hours),
        "night_hours": _r(p.night_hours),
        "weekend_hours": _r(p.weekend_hours),
        "holiday_hours": _r(p.holiday_hours),
        "burden": _r(p.burden),
        "above_average_hours": _r(p.above_average_hours),
        "above_average_burden": _r(p.above_average_burden),
        "pages": p.pages,
        "sleep_pages": p.sleep_pages,
        "pay_hourly": None if p.pay is None else p.pay.hourly,
        "pay_shifts": None if p.pay is None else p.pay.shifts,
        "pay_total": None if p.pay is None else round(p.pay.total, 2),
    }


def report_dict(report: FairnessReport) -> dict[str, Any]:
    """The whole report as plain data (what :func:`to_json` writes)."""
    h = report.horizon
    return {
        "horizon": {
            "since": h.since.isoformat(),
            "until": h.until.isoformat(),
            "kind": h.kind,
            "cycle_hours": None if h.cycle is None else _r(h.cycle.total_seconds() / 3600),
            "description": h.describe(),
        },
        "levels": dict(report.levels),
        "weights": attrs.asdict(report.weights),
        "rates": None if report.rates is None else attrs.asdict(report.rates),
        "indices": {
            "hours": {k: _r(v) for k, v in attrs.asdict(report.hours).items()},
            "burden": {k: _r(v) for k, v in attrs.asdict(report.burden).items()},
        },
        "people": [person_dict(p) for p in report.people],
        "pages_given": report.pages_given,
        "unattributed_pages": report.unattributed_pages,
        "pages_outside_horizon": report.pages_outside,
        "pages_note": report.pages_note(),
    }


def to_json(report: FairnessReport) -> str:
    """The report as JSON with sorted keys and a final newline."""
    return (
        json_safe(json.dumps(report_dict(report), indent=2, sort_keys=True, ensure_ascii=False))
        + "\n"
    )


def to_csv(report: FairnessReport) -> str:
    """One row per person (columns :data:`CSV_COLUMNS`); empty cells for values not computed.
    Written by :func:`oncall_planner.report.csvfile.csv_text`: a name or email that a spreadsheet
    would run as a formula starts with a single quote; numbers stay numbers."""
    rows = (person_dict(p) for p in report.people)
    return csv_text(CSV_COLUMNS, ([row[c] for c in CSV_COLUMNS] for row in rows))


__all__ = ["CSV_COLUMNS", "person_dict", "report_dict", "to_csv", "to_json"]
