"""Tour section: PagerDuty's own API, through a stand-in on this machine.

Starts the stand-in of PagerDuty's REST API (oncall_planner.testing) on 127.0.0.1, serving the
seed team's account: the seed's schedule and policy, one override someone made by hand, two
incidents with their log entries, and a shift-based schedule the team made in PagerDuty's web
app (weekend cover, served by the v3 API) with the policy that pages it. Then runs the command
line against it as against PagerDuty: `pull` writes the plan file every command takes, `render`
reads it, and `verify` compares our render with the stand-in's own, minute by minute.

The stand-in is told to play a PagerDuty that answers one of the open questions of shift-based
schedules (docs/schedulev2.md, U2) the other way from our default: it keeps every weekend as
long on the wall clock as the first one, which spans the change to daylight saving time. So
`verify` reports the hour it differs each Monday, names the render option that explains it, and
a second run with that option agrees: this is how a user settles the question on their own
account. The token is a throwaway one, set for the tour only; the base URL (a free port) is shown
as $STANDIN, so the output is the same on every run.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from seed_plan import BOB, CAROL, DAVE, MANAGER, NEW_YORK, build_plan

from oncall_planner import (
    EscalationPolicy,
    EscalationRule,
    OnCallPlan,
    Override,
    RotatingMembers,
    Rotation,
    ShiftEvent,
    ShiftSchedule,
    Target,
)
from oncall_planner.cli import main as cli
from oncall_planner.testing import PagerDutyStandIn, account_from_plan, pd_id

OUT = Path(__file__).resolve().parent / "out" / "api"
TOKEN = "demo-token-not-a-secret"
WINDOW = ["--since", "2025-03-03T00:00-05:00", "--days", "28"]


WEEKEND = "Checkout Weekend Cover"


def weekend_cover() -> ShiftSchedule:
    """A shift-based schedule: Friday 18:00 to Monday 08:00 in New York, Bob, Carol and Dave in
    turn. Its first weekend spans the change to daylight saving time (9 March 2025): 61 hours of
    real time, 62 on the wall clock."""
    weekend = ShiftEvent(
        "Weekend",
        dt.datetime(2025, 3, 7, 18, tzinfo=NEW_YORK),
        dt.datetime(2025, 3, 10, 8, tzinfo=NEW_YORK),
        "RRULE:FREQ=WEEKLY",
        RotatingMembers([BOB, CAROL, DAVE]),
    )
    return ShiftSchedule(WEEKEND, "America/New_York", [Rotation([weekend])])


def seed_account() -> dict[str, object]:
    """The seed team's account as PagerDuty would hold it, with a hand-made override, two
    incidents (a night page Bob acknowledged, a daytime one nobody acknowledged) and the
    shift-based weekend cover with its policy, rendered by a PagerDuty that stretches weekends on
    the wall clock."""
    seed = build_plan()
    cover = weekend_cover()
    weekend_policy = EscalationPolicy(
        "Weekend Escalation",
        [EscalationRule(10, [Target.schedule(cover)]), EscalationRule(15, [Target.user(MANAGER)])],
    )
    plan = OnCallPlan(
        schedules=seed.schedules,
        escalation_policies=[*seed.escalation_policies, weekend_policy],
    )
    swap = Override(
        dt.datetime(2025, 3, 14, 18, tzinfo=NEW_YORK),
        dt.datetime(2025, 3, 15, 9, tzinfo=NEW_YORK),
        CAROL,
    )
    account = account_from_plan(plan, {"Checkout Team On-Call": [swap]}, "America/New_York")
    account["v3_rendering"] = {"duration": "wallclock"}  # PagerDuty's answer to U2, in this tour
    policy = {
        "id": pd_id("escalation_policy", "Checkout Escalation"),
        "type": "escalation_policy_reference",
        "summary": "Checkout Escalation",
    }
    bob = {"id": pd_id("user", BOB.email), "type": "user_reference", "summary": BOB.name}
    service = {"id": "PSVCHK1", "type": "service_reference", "summary": "checkout-api"}
    account["incidents"] = [
        {
            "id": "PINC101",
            "type": "incident",
            "incident_number": 101,
            "title": "checkout 5xx > 5%",
            "status": "resolved",
            "urgency": "high",
            "created_at": "2025-02-26T03:12:00Z",
            "resolved_at": "2025-02-26T03:58:00Z",
            "service": service,
            "escalation_policy": policy,
        },
        {
            "id": "PINC102",
            "type": "incident",
            "incident_number": 102,
            "title": "slow payments page",
            "status": "resolved",
            "urgency": "high",
            "created_at": "2025-03-04T15:05:00Z",
            "resolved_at": "2025-03-04T16:00:00Z",
            "service": service,
            "escalation_policy": policy,
        },
    ]
    account["log_entries"] = {
        "PINC101": [
            {
                "id": "L1",
                "type": "notify_log_entry",
                "created_at": "2025-02-25T22:12:30-05:00",
                "user": bob,
            },
            {
                "id": "L2",
                "type": "acknowledge_log_entry",
                "created_at": "2025-02-25T22:16:00-05:00",
                "agent": bob,
            },
        ],
        "PINC102": [
            {
                "id": "L3",
                "type": "notify_log_entry",
                "created_at": "2025-03-04T10:05:20-05:00",
                "user": bob,
            },
        ],
    }
    return account


def _run(args: list[str], url: str) -> int:
    shown = " ".join(a if a != url else "$STANDIN" for a in args).replace(str(OUT), "out")
    print(f"\n$ oncall-planner {shown}")
    errors = io.StringIO()
    with contextlib.redirect_stderr(errors):
        code = cli(args)
    for line in errors.getvalue().splitlines():
        print(line.replace(str(OUT), "out"))
    return code


def run() -> None:
    print("A stand-in of PagerDuty's REST API serves the seed team's account on 127.0.0.1")
    print("($STANDIN below); the commands talk to it exactly as they would to PagerDuty.")
    before = os.environ.get("PAGERDUTY_TOKEN")
    os.environ["PAGERDUTY_TOKEN"] = TOKEN
    try:
        with PagerDutyStandIn(seed_account(), {TOKEN: None}) as server:
            url = server.base_url
            OUT.mkdir(parents=True, exist_ok=True)  # -o writes into a folder that exists
            plan_file = str(OUT / "plan.json")
            _run(["pull", "--base-url", url, *WINDOW, "-o", plan_file], url)
            _run(["render", plan_file, "--since", "2025-03-10", "--days", "7", "--quiet"], url)
            code = _run(["verify", "--base-url", url, *WINDOW], url)
            print(
                f"(exit code {code}: the layer-based schedule agrees at every minute; the "
                "shift-based one differs\n by an hour each Monday, and one render option "
                "explains it all: this account\n answers the open question U2 with 'wallclock')"
            )
            weekend = ["--schedule", pd_id("schedule", WEEKEND)]
            wallclock = ["--shift-option", "duration=wallclock"]
            code = _run(["verify", "--base-url", url, *WINDOW, *weekend, *wallclock], url)
            print(f"(exit code {code}: with that option our render agrees at every minute)")
    finally:
        if before is None:
            os.environ.pop("PAGERDUTY_TOKEN", None)
        else:
            os.environ["PAGERDUTY_TOKEN"] = before


if __name__ == "__main__":
    run()
