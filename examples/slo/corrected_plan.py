"""The seed team's corrected rota as a plan file for the command line (``plan`` is read by
``oncall-planner forecast examples/slo/corrected_plan.py ...``).

The seed put Primary and Secondary as two layers of one schedule, so the primary was never
paged. Corrected as the planning tour does it (examples/tour_planning.py): ``plan_rotation``
builds a primary and a secondary schedule, the secondary one turn behind, and a policy paging
the primary, the secondary, then the engineering manager.
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from seed_plan import MANAGER, NEW_YORK, TEAM

from oncall_planner import OnCallPlan, PolicyOptions, plan_rotation

START = dt.datetime(2025, 1, 1, tzinfo=NEW_YORK)  # the seed's own start


def build_corrected_plan() -> OnCallPlan:
    return plan_rotation(
        TEAM,
        START,
        "America/New_York",
        manager=MANAGER,
        policy=PolicyOptions(name="Checkout Escalation", num_loops=2),
        name="Checkout Team On-Call",
    )


plan = build_corrected_plan()
