"""The article's incident bot, rebuilt on the plan: who leads and who responds come from the rota.

The article's ``IncidentManager`` opens a Slack channel per incident, posts its template there,
and triggers PagerDuty (Events API v2) for SEV-1 and SEV-2, with the incident commander and the
responder left as "Unassigned". Here they are filled in from the plan at the moment the incident
is declared: the commander is whoever is on call on the commander role's schedule
(``on_call_at``, with the overrides you give), the responder whoever the service's escalation
policy pages first. A service the bot has no policy for is refused rather than paged through
another service's routing key.

It uses Slack's ``slack_sdk`` and PagerDuty's official ``pagerduty`` client (the ``bot`` extra:
``pip install 'oncall-planner[bot]'``). Secrets come from the environment, never from a file or
the command line, and are never printed:

- ``SLACK_BOT_TOKEN``: a bot token with ``channels:manage`` and ``chat:write``;
- ``PAGERDUTY_ROUTING_KEY``: the integration key of the service's Events API v2 integration;
- ``SLACK_API_URL`` and ``PAGERDUTY_EVENTS_URL`` (optional): other base URLs, for a local
  stand-in (the test runs the bot against one on 127.0.0.1).

The title is shown as typed (Slack's ``&``, ``<`` and ``>`` are escaped, so ``<!channel>`` in a
title notifies nobody). The PagerDuty deduplication key is the channel's name, which Slack keeps
unique, so two incidents declared in the same minute are two PagerDuty incidents. Slack and
PagerDuty together get ``--timeout`` seconds (60) to answer in full: PagerDuty's client retries
a 429 without limit, and a server that answers a byte at a time would hold the bot for ever.
A refusal, an unreachable service or the deadline is one line on stderr saying which service
failed (and that the channel is open when only PagerDuty did), exit 1; bad arguments exit 2.

Run: ``python examples/incident_bot.py "Checkout errors" --severity SEV-1 --service checkout
--at 2025-03-11T14:32-04:00``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import logging
import math
import os
import re
import signal
import sys
import threading
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE / "slo"))

from oncall_planner import (  # noqa: E402
    EscalationPolicy,
    OnCallPlan,
    OnCallPlannerError,
    Override,
    Schedule,
    ShiftSchedule,
    User,
    on_call_at,
    people_on_call_at,
)
from oncall_planner.escalation import steps  # noqa: E402
from oncall_planner.slo.incident import DEFAULT_SEVERITIES, Severity  # noqa: E402

#: Severities that page through PagerDuty (the article: SEV-1 and SEV-2), with the Events API's
#: own severity for each.
PAGED = {"SEV-1": "critical", "SEV-2": "error"}
#: The Events API's limit for ``payload.summary``: a longer title is cut short there (the Slack
#: channel keeps it whole), so that a long title cannot keep the page from going out.
SUMMARY_LIMIT = 1024

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


def _slack_text(text: str) -> str:
    """``text`` shown as it is in a Slack message: Slack reads ``&``, ``<`` and ``>`` as the
    start of entities, links and mentions (``<!channel>``), so they are escaped."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


class ServiceError(Exception):
    """Slack or PagerDuty refused, could not be reached or did not answer in time. ``channel``
    is the incident's Slack channel when it was opened before PagerDuty failed."""

    def __init__(self, service: str, cause: BaseException, channel: str | None = None) -> None:
        super().__init__(service, cause, channel)
        self.service = service
        self.cause = cause
        self.channel = channel


class DeadlineError(Exception):
    """The time given to Slack and PagerDuty ran out."""

    def __init__(self, seconds: float) -> None:
        super().__init__(seconds)
        self.seconds = seconds


class IncidentManager:
    """Declares incidents: a Slack channel with the template, and a PagerDuty trigger for the
    severities in :data:`PAGED`. ``slack`` is a ``slack_sdk.WebClient``; ``events`` a
    ``pagerduty.EventsApiV2Client``; ``roles`` maps role names to schedules and ``policies``
    services to the escalation policy that pages them; ``overrides`` maps schedule names to
    their overrides."""

    def __init__(
        self,
        plan: OnCallPlan,
        *,
        slack: Any,
        events: Any,
        roles: Mapping[str, Schedule],
        policies: Mapping[str, EscalationPolicy],
        severities: tuple[Severity, ...] = DEFAULT_SEVERITIES,
        overrides: Mapping[str, Sequence[Override]] | None = None,
    ) -> None:
        self.plan = plan
        self.slack = slack
        self.events = events
        self.roles = dict(roles)
        self.policies = dict(policies)
        self.severities = {s.name: s for s in severities}
        self.overrides = {name: tuple(found) for name, found in (overrides or {}).items()}

    def commander(self, at: dt.datetime) -> User | None:
        schedule = self.roles.get("commander")
        if schedule is None:
            return None
        return on_call_at(schedule, at, self.overrides.get(schedule.name, ()))

    def responder(self, service: str, at: dt.datetime) -> User | None:
        """Whoever ``service``'s policy pages first at ``at`` (a level with nobody on call is
        skipped, as PagerDuty does); ``None`` when the policy reaches nobody."""
        if service not in self.policies:
            known = ", ".join(sorted(self.policies)) or "none"
            raise ValueError(f"no escalation policy for service {service!r}; known: {known}")

        def lookup(schedule: Schedule | ShiftSchedule, when: dt.datetime) -> tuple[User, ...]:
            return people_on_call_at(schedule, when, self.overrides.get(schedule.name, ()))

        for step in steps(self.policies[service], at, lookup):
            if step.reached:
                return step.reached[0]
        return None

    def declare(
        self, title: str, severity: str, service: str, at: dt.datetime, description: str = ""
    ) -> Declared:
        """Open the channel, post the template and page. Bad arguments (a severity or service
        not known, a title without a letter or digit, an instant the plan cannot compute) raise
        ``ValueError`` or ``OnCallPlannerError`` before anything is sent; a failure of Slack or
        PagerDuty raises :class:`ServiceError`."""
        if severity not in self.severities:
            known = ", ".join(self.severities)
            raise ValueError(f"severity must be one of {known}, got {severity!r}")
        if not _slug(title):
            raise ValueError(f"the title needs a letter or digit for the channel's name: {title!r}")
        level = self.severities[severity]
        commander, responder = self.commander(at), self.responder(service, at)
        ident = f"INC-{at.astimezone(dt.timezone.utc):%Y%m%d-%H%M}"
        name = f"{ident.lower()}-{_slug(title)}"[:80].rstrip("-")
        try:
            created = self.slack.conversations_create(name=name)
            channel_id = created["channel"]["id"]
            text = TEMPLATE.format(
                id=ident,
                title=_slack_text(title),
                severity=severity,
                response=level.response,
                service=_slack_text(service),
                commander=_slack_text(_person(commander)),
                responder=_slack_text(_person(responder)),
                started=at.strftime("%Y-%m-%d %H:%M %Z"),
            )
            if description:
                text += f"\n\n{_slack_text(description)}"
            self.slack.chat_postMessage(channel=channel_id, text=text)
        except Exception as exc:
            raise ServiceError("Slack", exc) from exc
        dedup_key = None
        if severity in PAGED:
            try:
                summary = f"[{severity}] {title}"
                if len(summary) > SUMMARY_LIMIT:  # the Events API refuses a longer one
                    summary = summary[: SUMMARY_LIMIT - 1] + "…"
                dedup_key = self.events.trigger(
                    summary=summary,
                    source=service,
                    dedup_key=name,
                    severity=PAGED[severity],
                    custom_details={
                        "incident": ident,
                        "slack_channel": name,
                        "incident_commander": _person(commander),
                        "primary_responder": _person(responder),
                    },
                )
            except Exception as exc:
                raise ServiceError("PagerDuty", exc, channel=name) from exc
        return Declared(ident, name, channel_id, commander, responder, dedup_key)


def _reason(exc: BaseException, service: str) -> str:
    from pagerduty.errors import HttpError
    from slack_sdk.errors import SlackApiError

    if isinstance(exc, DeadlineError):
        return f"no answer in full from {service} within {exc.seconds:g} seconds (retries included)"
    if isinstance(exc, SlackApiError):
        error = exc.response.get("error") if hasattr(exc.response, "get") else None
        return (
            f"Slack refused {exc.response.api_url.rsplit('/', 1)[-1]}: {error or 'no reason given'}"
        )
    if isinstance(exc, HttpError) and exc.response is not None:
        return f"PagerDuty's Events API answered HTTP {exc.response.status_code}"
    detail = str(exc).splitlines()[0][:200] if str(exc) else ""
    return f"{service} failed: {type(exc).__name__}: {detail}"


def failure(exc: BaseException, secrets: tuple[str, ...]) -> str:
    """One line saying what went wrong, in which service, with no secret in it: an answer is
    never quoted whole (a proxy may echo the request, token and routing key included)."""
    if isinstance(exc, ServiceError) and exc.channel is not None:
        reason = _reason(exc.cause, exc.service)
        text = f"#{exc.channel} is open, but PagerDuty was not triggered: {reason}"
    elif isinstance(exc, ServiceError):
        text = f"no incident channel: {_reason(exc.cause, exc.service)}"
    else:
        detail = str(exc).splitlines()[0][:200] if str(exc) else ""
        text = f"{type(exc).__name__}: {detail}"
    for secret in secrets:
        if secret:
            text = text.replace(secret, "***")
    return text


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


@contextmanager
def deadline(seconds: float) -> Iterator[None]:
    """Raise :class:`DeadlineError` in the main thread once ``seconds`` have passed (where the
    platform has ``SIGALRM`` and this is the main thread; elsewhere the clients' own socket
    timeouts are all there is)."""
    if not hasattr(signal, "SIGALRM") or threading.current_thread() is not threading.main_thread():
        yield
        return

    def expire(signum: int, frame: object) -> None:
        raise DeadlineError(seconds)

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _refuse(message: str) -> int:
    print(f"incident_bot: {message}", file=sys.stderr)
    return 2


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Declare an incident: Slack channel, page.")
    parser.add_argument("title")
    parser.add_argument("--severity", default="SEV-2", choices=[s.name for s in DEFAULT_SEVERITIES])
    parser.add_argument("--service", default="checkout")
    parser.add_argument("--at", help="when (ISO 8601 with an offset; default: now)")
    parser.add_argument("--description", default="")
    parser.add_argument(
        "--timeout", default="60", help="seconds Slack and PagerDuty get to answer in all (60)"
    )
    args = parser.parse_args(argv)
    try:
        timeout = float(args.timeout)
    except ValueError:
        timeout = math.nan
    if not (0 < timeout <= 3600):
        return _refuse(
            f"--timeout must be a positive number of seconds up to 3600, got {args.timeout!r}"
        )
    if not _slug(args.title):
        return _refuse(
            f"the title needs a letter or digit (it names the channel), got {args.title!r}"
        )
    at = dt.datetime.now(dt.timezone.utc).replace(second=0, microsecond=0)
    if args.at:
        try:
            at = dt.datetime.fromisoformat(args.at)
        except ValueError:
            at = None  # type: ignore[assignment]
        if at is None or at.tzinfo is None:
            return _refuse(f"--at must be ISO 8601 with an offset, such as "
                           f"2025-03-11T14:32-04:00; got {args.at!r}")  # fmt: skip
    token = os.environ.get("SLACK_BOT_TOKEN")
    routing_key = os.environ.get("PAGERDUTY_ROUTING_KEY")
    if not token or (args.severity in PAGED and not routing_key):
        return _refuse("set SLACK_BOT_TOKEN (and PAGERDUTY_ROUTING_KEY for SEV-1/SEV-2)")
    import pagerduty
    from slack_sdk import WebClient

    # the clients log their retries as warnings: the one line below says what happened
    logging.getLogger().addHandler(logging.NullHandler())
    slack = WebClient(token=token, base_url=os.environ.get("SLACK_API_URL", WebClient.BASE_URL))
    events = pagerduty.EventsApiV2Client(
        routing_key or "unused", base_url=os.environ.get("PAGERDUTY_EVENTS_URL")
    )
    manager = default_manager(slack, events)
    try:
        with deadline(timeout):
            declared = manager.declare(
                args.title, args.severity, args.service, at, args.description
            )
    except ServiceError as exc:  # a service refused or could not be reached: say which, briefly
        print(f"incident_bot: {failure(exc, (token, routing_key or ''))}", file=sys.stderr)
        return 1
    except DeadlineError as exc:  # out of time before Slack was even asked
        print(f"incident_bot: gave up after {exc.seconds:g} seconds", file=sys.stderr)
        return 1
    except (ValueError, OverflowError, OnCallPlannerError) as exc:  # before anything was sent
        return _refuse((str(exc).splitlines() or [type(exc).__name__])[0][:300])
    print(f"{declared.id}: #{declared.channel}")
    print(f"  incident commander: {_person(declared.commander)}")
    print(f"  primary responder:  {_person(declared.responder)}")
    print(
        f"  PagerDuty: {'triggered, dedup key ' + declared.dedup_key if declared.dedup_key else 'not paged'}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
