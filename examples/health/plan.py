"""The seed plan as a file the command line reads: ``oncall-planner health examples/health/plan.py
--pages examples/health/*.json``. A Python plan file defines an ``OnCallPlan`` named ``plan``."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from seed_plan import build_plan

plan = build_plan()
