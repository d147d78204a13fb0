"""The article's incident bot, rebuilt on the plan: who leads and who responds come from the rota.

The article's ``IncidentManager`` opens a Slack channel per incident, posts its template there,
and triggers PagerDuty (Events API v2) for SEV-1 and SEV-2, with the incident commander and the
responder left as "Unassigned". Here they are filled in from the plan at the moment the incident
is declared: the commander is whoever is on call on the commander role's schedule
(``on_call_at``), the responder whoever the service's escalation policy pages first.

It uses Slack's ``slack_sdk`` and PagerDuty's official ``pagerduty`` client (the ``bot`` extra:
``pip install 'oncall-planner[bot]'``). Secrets come from the environment, never from a file or
the command line, and are never printed:

- ``SLACK_BOT_TOKEN``: a bot token with ``channels:manage`` and ``chat:write``;
- ``PAGERDUTY_ROUTING_KEY``: the integration key of the service's Events API v2 integration;
- ``SLACK_API_URL`` and ``PAGERDUTY_EVENTS_URL`` (optional): other base URLs, for a local
  stand-in (the test runs the bot against one on 127.0.0.1).

Run: ``python examples/incident_bot.py "Checkout errors" --severity SEV-1 --service checkout
--at 2025-03-11T14:32-04:00``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import re
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE / "slo"))

from oncall_planner import (  # noqa: E402
    EscalationPolicy,
    OnCallPlan,
    Schedule,
    User,
    on_call_at,
    people_on_call_at,
)
from oncall_planner.escalation import steps  # noqa: E402
from oncall_planner.slo.incident import DEFAULT_SEVERITIES, Severity  # noqa: E402

#: Severities that page through PagerDuty (the article: SEV-1 and SEV-2), with the Events API's
#: own severity for each.
PAGED = {"SEV-1": "critical", "SEV-2": "error"}

TEMPLATE = """:rotating_light: *{id}: {title}*
*Severity:* {severity} (respond within {response})
*Service:* {service}
*Incident Commander:* {commander}
*Primary Responder:* {responder}
*Status:* Investigating
*Started:* {started}

*Next steps*
1. Commander: confirm the roles and post an update here every 30 minutes.
2. Responder: stop the bleeding first, find the cause after.
3. Everyone: keep the timeline in this channel; the postmortem starts from it."""


@dataclass(frozen=True)
class Declared:
    """What :meth:`IncidentManager.declare` did: the incident's id, its Slack channel, who leads
    and who responds, and the PagerDuty deduplication key (``None`` when not paged)."""

    id: str
    channel: str
    channel_id: str
    commander: User | None
    responder: User | None
    dedup_key: str | None


def _person(user: User | None) -> str:
    return "Unassigned" if user is None else f"{user.name} ({user.email})"


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


class IncidentManager:
    """Declares incidents: a Slack channel with the template, and a PagerDuty trigger for the
    severities in :data:`PAGED`. ``slack`` is a ``slack_sdk.WebClient``; ``events`` a
    ``pagerduty.EventsApiV2Client``; ``roles`` maps role names to schedules and ``policies``
    services to the escalation policy that pages them."""

    def __init__(
        self,
        plan: OnCallPlan,
        *,
        slack: Any,
        events: Any,
        roles: Mapping[str, Schedule],
        policies: Mapping[str, EscalationPolicy],
        severities: tuple[Severity, ...] = DEFAULT_SEVERITIES,
    ) -> None:
        self.plan = plan
        self.slack = slack
        self.events = events
        self.roles = dict(roles)
        self.policies = dict(policies)
        self.severities = {s.name: s for s in severities}

    def commander(self, at: dt.datetime) -> User | None:
        schedule = self.roles.get("commander")
        return None if schedule is None else on_call_at(schedule, at)

    def responder(self, service: str, at: dt.datetime) -> User | None:
        policy = self.policies.get(service)
        if policy is None:
            return None
        for step in steps(policy, at, lambda schedule, when: people_on_call_at(schedule, when)):
            if step.reached:
                return step.reached[0]
        return None

    def declare(
        self, title: str, severity: str, service: str, at: dt.datetime, description: str = ""
    ) -> Declared:
        if severity not in self.severities:
            known = ", ".join(self.severities)
            raise ValueError(f"severity must be one of {known}, got {severity!r}")
        level = self.severities[severity]
        ident = f"INC-{at.astimezone(dt.timezone.utc):%Y%m%d-%H%M}"
        commander, responder = self.commander(at), self.responder(service, at)
        name = f"{ident.lower()}-{_slug(title)}"[:80]
        created = self.slack.conversations_create(name=name)
        channel_id = created["channel"]["id"]
        text = TEMPLATE.format(
            id=ident,
            title=title,
            severity=severity,
            response=level.response,
            service=service,
            commander=_person(commander),
            responder=_person(responder),
            started=at.strftime("%Y-%m-%d %H:%M %Z"),
        )
        if description:
            text += f"\n\n{description}"
        self.slack.chat_postMessage(channel=channel_id, text=text)
        dedup_key = None
        if severity in PAGED:
            dedup_key = self.events.trigger(
                summary=f"[{severity}] {title}",
                source=service,
                dedup_key=ident,
                severity=PAGED[severity],
                custom_details={
                    "incident": ident,
                    "slack_channel": name,
                    "incident_commander": _person(commander),
                    "primary_responder": _person(responder),
                },
            )
        return Declared(ident, name, channel_id, commander, responder, dedup_key)


def default_manager(slack: Any, events: Any) -> IncidentManager:
    """The seed team's corrected rota; last week's primary (the secondary) is commander."""
    from corrected_plan import build_corrected_plan

    plan = build_corrected_plan()
    _primary, secondary = plan.schedules
    (policy,) = plan.escalation_policies
    return IncidentManager(
        plan,
        slack=slack,
        events=events,
        roles={"commander": secondary},
        policies={"checkout": policy},
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Declare an incident: Slack channel, page.")
    parser.add_argument("title")
    parser.add_argument("--severity", default="SEV-2", choices=[s.name for s in DEFAULT_SEVERITIES])
    parser.add_argument("--service", default="checkout")
    parser.add_argument("--at", help="when (ISO 8601 with an offset; default: now)")
    parser.add_argument("--description", default="")
    args = parser.parse_args(argv)
    token = os.environ.get("SLACK_BOT_TOKEN")
    routing_key = os.environ.get("PAGERDUTY_ROUTING_KEY")
    if not token or (args.severity in PAGED and not routing_key):
        print("incident_bot: set SLACK_BOT_TOKEN (and PAGERDUTY_ROUTING_KEY for SEV-1/SEV-2)",
              file=sys.stderr)  # fmt: skip
        return 2
    import pagerduty
    from slack_sdk import WebClient

    slack = WebClient(token=token, base_url=os.environ.get("SLACK_API_URL", WebClient.BASE_URL))
    events = pagerduty.EventsApiV2Client(
        routing_key or "unused", base_url=os.environ.get("PAGERDUTY_EVENTS_URL")
    )
    at = (
        dt.datetime.fromisoformat(args.at)
        if args.at
        else dt.datetime.now(dt.timezone.utc).replace(second=0, microsecond=0)
    )
    declared = default_manager(slack, events).declare(
        args.title, args.severity, args.service, at, args.description
    )
    print(f"{declared.id}: #{declared.channel}")
    print(f"  incident commander: {_person(declared.commander)}")
    print(f"  primary responder:  {_person(declared.responder)}")
    print(
        f"  PagerDuty: {'triggered, dedup key ' + declared.dedup_key if declared.dedup_key else 'not paged'}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
