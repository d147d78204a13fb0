"""Small builders shared by the fairness tests."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path
from zoneinfo import ZoneInfo

from oncall_planner import Layer, Schedule, User

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "examples"))

NY = ZoneInfo("America/New_York")
WEEK = dt.timedelta(weeks=1)
DAY = dt.timedelta(days=1)

A = User("Ann", "ann@example.com")
B = User("Ben", "ben@example.com")
C = User("Cat", "cat@example.com")


def at(*args: int) -> dt.datetime:
    """A New York wall-clock time."""
    return dt.datetime(*args, tzinfo=NY)  # type: ignore[misc]


def one_layer(
    users: list[User], turn: dt.timedelta = WEEK, name: str = "Ops", tz: str = "America/New_York"
) -> Schedule:
    start = at(2025, 1, 6)  # a Monday
    return Schedule(name, tz, [Layer("Rota", users, start, turn)])
