"""Escalation simulation: who PagerDuty notifies, and when, for an incident triggered at an instant.

PagerDuty's behaviour (reference §6): an incident goes to every target of level 1 (for a schedule
target, whoever is on call there at that moment). If nobody acknowledges within the level's delay,
it moves to level 2, and so on; after the last level it starts again at level 1, ``num_loops``
more times. A level with nobody on call is skipped at once: the incident goes straight to the next
level, so later levels come earlier. A round-robin level hands each new incident to the next target
of its ring; which one depends on earlier incidents, so the timeline lists every target of such a
level and notes that only one of them gets this incident.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator, Mapping, Sequence

import attrs

from oncall_planner.errors import ValidationError
from oncall_planner.model import EscalationPolicy, EscalationRule, Override, Schedule, Target, User
from oncall_planner.model.inputs import overrides_by_schedule
from oncall_planner.render import on_call_at
from oncall_planner.timeutil import RENDER_YEARS, check_aware

SKIPPED = "skipped: nobody on call"
ROUND_ROBIN = "round robin: this incident goes to one target of this level, the next in the ring"
DUPLICATE = "also reached through another target of this level: notified once"

#: Who is on call on a schedule at an instant (``None`` in a gap).
OnCallLookup = Callable[[Schedule, dt.datetime], "User | None"]


@attrs.frozen
class Notification:
    """One step of an escalation timeline.

    ``minute`` is the offset from the trigger, ``at`` the instant (UTC); ``level`` (1 = first
    rule) and ``loop`` (1 = first pass, up to ``num_loops + 1``) say where in the policy it
    happens.
    ``target`` is the rule's target and ``user`` the person notified, or ``None`` when the level
    was skipped because nobody was on call (``note`` says so). Round-robin levels carry a note.
    """

    minute: int
    at: dt.datetime
    level: int
    loop: int
    target: Target
    user: User | None
    note: str | None = None


@attrs.frozen
class Step:
    """One level reached in one loop: its rule and who is on call on each of its targets."""

    minute: int
    at: dt.datetime
    level: int
    loop: int
    rule: EscalationRule
    people: tuple[User | None, ...]


def steps(policy: EscalationPolicy, at: dt.datetime, lookup: OnCallLookup) -> Iterator[Step]:
    """The levels of ``policy`` as an incident triggered at ``at`` reaches them, lazily, so a
    caller that has seen enough can stop early. A level with nobody on call takes no time.

    Delays are elapsed minutes, so the instants are counted in UTC: adding minutes to a local
    datetime would move along its wall clock and gain or lose the hour the clocks change."""
    at = at.astimezone(dt.timezone.utc)
    minute = 0
    for loop in range(1, policy.num_loops + 2):
        for level, rule in enumerate(policy.rules, start=1):
            try:
                when = at + dt.timedelta(minutes=minute)
            except OverflowError:
                when = dt.datetime.max.replace(tzinfo=dt.timezone.utc)
            if when.year not in RENDER_YEARS:
                raise ValidationError(
                    f"EscalationPolicy {policy.name!r}: the escalation timeline from "
                    f"{at.isoformat()} reaches level {level} of loop {loop} {minute} minutes "
                    f"later, past the year {RENDER_YEARS.stop - 1}, the last the library "
                    "computes in"
                )
            people = tuple(
                t.user if t.user is not None else lookup(t.schedule, when) for t in rule.targets
            )
            yield Step(minute, when, level, loop, rule, people)
            if any(p is not None for p in people):
                minute += rule.delay_minutes


def simulate(
    policy: EscalationPolicy, at: dt.datetime, lookup: OnCallLookup
) -> tuple[Notification, ...]:
    """The timeline of ``policy`` from ``at``, asking ``lookup`` who is on call on each schedule.

    :func:`escalation_timeline` is this with :func:`oncall_planner.render.on_call_at`; the checks
    pass a lookup into schedules they have already rendered.
    """
    out: list[Notification] = []
    for step in steps(policy, at, lookup):
        rule = step.rule
        reached = any(p is not None for p in step.people)
        seen: set[User] = set()
        for target, person in zip(rule.targets, step.people, strict=True):
            if person is None:
                note: str | None = SKIPPED if not reached else "nobody on call on this target"
            elif rule.round_robin and len(rule.targets) > 1:
                note = ROUND_ROBIN
            else:
                note = DUPLICATE if person in seen else None
                seen.add(person)
            out.append(
                Notification(step.minute, step.at, step.level, step.loop, target, person, note)
            )
    return tuple(out)


def escalation_timeline(
    policy: EscalationPolicy,
    at: dt.datetime,
    overrides: Mapping[str, Sequence[Override]] | None = None,
) -> tuple[Notification, ...]:
    """Who ``policy`` notifies, and when, for an incident triggered at ``at`` nobody acknowledges.

    ``overrides`` maps schedule names to their overrides. Levels follow in order after their
    delays and the whole list repeats ``num_loops`` times; a level where nobody is on call gives
    one notification per target with ``user=None`` and no delay. See the module docstring.
    """
    if not isinstance(policy, EscalationPolicy):
        raise ValidationError(
            f"escalation_timeline: policy must be an EscalationPolicy, got {type(policy).__name__}"
        )
    check_aware(at, "escalation_timeline", "at")
    by_name = overrides_by_schedule(overrides, "escalation_timeline")

    def lookup(schedule: Schedule, when: dt.datetime) -> User | None:
        return on_call_at(schedule, when, by_name.get(schedule.name, ()))

    return simulate(policy, at, lookup)


def first_responder(timeline: Sequence[Notification]) -> User | None:
    """The first person a timeline notifies (``None`` when every level was skipped)."""
    for note in timeline:
        if note.user is not None:
            return note.user
    return None


__all__ = ["Notification", "Step", "escalation_timeline", "first_responder", "simulate", "steps"]
