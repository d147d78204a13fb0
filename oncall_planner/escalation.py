"""Escalation simulation: who PagerDuty notifies, and when, for an incident triggered at an instant.

PagerDuty's behaviour (reference §6): an incident goes to every target of level 1 (for a schedule
target, whoever is on call there at that moment). If nobody acknowledges within the level's delay,
it moves to level 2, and so on; after the last level it starts again at level 1, ``num_loops``
more times. A level with nobody on call is skipped at once: the incident goes straight to the next
level, so later levels come earlier. A round-robin level hands each new incident to the next target
of its ring; which one depends on earlier incidents, so the timeline lists every target of such a
level and notes that only one of them gets this incident.

A level that targets a shift-based schedule notifies *everyone* on call there at that moment (one
notification each, in schedule order): PagerDuty's developer guide says shift-based schedules put
"more than one user on call simultaneously", and nothing says it picks one of them
(docs/schedulev2.md, "What every command does with shift-based schedules").
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator, Mapping, Sequence

import attrs

from oncall_planner.errors import ValidationError
from oncall_planner.model import (
    EscalationPolicy,
    EscalationRule,
    Override,
    Schedule,
    ShiftOverride,
    ShiftSchedule,
    Target,
    User,
)
from oncall_planner.model.inputs import mixed_overrides_by_schedule
from oncall_planner.render import ShiftRenderOptions, people_on_call_at
from oncall_planner.timeutil import RENDER_YEARS, check_aware

SKIPPED = "skipped: nobody on call"
ROUND_ROBIN = "round robin: this incident goes to one target of this level, the next in the ring"
DUPLICATE = "also reached through another target of this level: notified once"

#: Who is on call on a schedule (of either kind) at an instant: everyone, in schedule order
#: (empty in a gap). A lookup may also answer with one ``User`` or ``None``, as lookups written
#: for layer-based schedules do.
OnCallLookup = Callable[
    [Schedule | ShiftSchedule, dt.datetime], "tuple[User, ...] | Sequence[User] | User | None"
]


def _everyone(found: object) -> tuple[User, ...]:
    """A lookup's answer as a tuple of people (see :data:`OnCallLookup`)."""
    if found is None:
        return ()
    if isinstance(found, User):
        return (found,)
    return tuple(found)  # type: ignore[arg-type]


@attrs.frozen
class Notification:
    """One step of an escalation timeline.

    ``minute`` is the offset from the trigger, ``at`` the instant (UTC); ``level`` (1 = first
    rule) and ``loop`` (1 = first pass, up to ``num_loops + 1``) say where in the policy it
    happens.
    ``target`` is the rule's target and ``user`` the person notified, or ``None`` when the level
    was skipped because nobody was on call (``note`` says so). Round-robin levels carry a note.
    A schedule target with several people on call (a shift-based schedule) gives one
    notification per person, with the same ``target``.
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
    """One level reached in one loop: its rule and who is on call on each of its targets.

    ``people`` has one tuple per target of the rule, in order: everyone on call on a schedule
    target (empty in a gap; several people on a shift-based schedule), the user of a user
    target.
    """

    minute: int
    at: dt.datetime
    level: int
    loop: int
    rule: EscalationRule
    people: tuple[tuple[User, ...], ...]

    @property
    def reached(self) -> tuple[User, ...]:
        """The distinct people of this level, in the order of its targets."""
        return tuple(dict.fromkeys(p for found in self.people for p in found))


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
                (t.user,) if t.user is not None else _everyone(lookup(t.schedule, when))
                for t in rule.targets
            )
            yield Step(minute, when, level, loop, rule, people)
            if any(people):
                minute += rule.delay_minutes


def simulate(
    policy: EscalationPolicy, at: dt.datetime, lookup: OnCallLookup
) -> tuple[Notification, ...]:
    """The timeline of ``policy`` from ``at``, asking ``lookup`` who is on call on each schedule.

    :func:`escalation_timeline` is this with :func:`oncall_planner.render.people_on_call_at`; the
    checks pass a lookup into schedules they have already rendered.
    """
    out: list[Notification] = []
    for step in steps(policy, at, lookup):
        rule = step.rule
        reached = any(step.people)
        seen: set[User] = set()
        for target, people in zip(rule.targets, step.people, strict=True):
            if not people:
                note = SKIPPED if not reached else "nobody on call on this target"
                out.append(
                    Notification(step.minute, step.at, step.level, step.loop, target, None, note)
                )
                continue
            for person in people:
                if rule.round_robin and len(rule.targets) > 1:
                    note_: str | None = ROUND_ROBIN
                else:
                    note_ = DUPLICATE if person in seen else None
                    seen.add(person)
                out.append(
                    Notification(step.minute, step.at, step.level, step.loop, target, person, note_)
                )
    return tuple(out)


def escalation_timeline(
    policy: EscalationPolicy,
    at: dt.datetime,
    overrides: Mapping[str, Sequence[Override] | Sequence[ShiftOverride]] | None = None,
    *,
    options: ShiftRenderOptions | None = None,
) -> tuple[Notification, ...]:
    """Who ``policy`` notifies, and when, for an incident triggered at ``at`` nobody acknowledges.

    ``overrides`` maps schedule names to their overrides (``ShiftOverride`` objects for a
    shift-based schedule); ``options`` are the shift-based render options. Levels follow in order
    after their delays and the whole list repeats ``num_loops`` times; a level where nobody is on
    call gives one notification per target with ``user=None`` and no delay, and a shift-based
    schedule with several people on call gives one notification to each. See the module
    docstring.
    """
    if not isinstance(policy, EscalationPolicy):
        raise ValidationError(
            f"escalation_timeline: policy must be an EscalationPolicy, got {type(policy).__name__}"
        )
    check_aware(at, "escalation_timeline", "at")
    if options is not None and not isinstance(options, ShiftRenderOptions):
        raise ValidationError(
            "escalation_timeline: options must be ShiftRenderOptions or None, got "
            f"{type(options).__name__}"
        )
    shift_names = {
        t.schedule.name
        for r in policy.rules
        for t in r.targets
        if isinstance(t.schedule, ShiftSchedule)
    }
    by_name = mixed_overrides_by_schedule(overrides, "escalation_timeline", None, shift_names)

    def lookup(schedule: Schedule | ShiftSchedule, when: dt.datetime) -> tuple[User, ...]:
        return people_on_call_at(schedule, when, by_name.get(schedule.name, ()), options=options)

    return simulate(policy, at, lookup)


def first_responder(timeline: Sequence[Notification]) -> User | None:
    """The first person a timeline notifies (``None`` when every level was skipped)."""
    for note in timeline:
        if note.user is not None:
            return note.user
    return None


__all__ = ["Notification", "Step", "escalation_timeline", "first_responder", "simulate", "steps"]
