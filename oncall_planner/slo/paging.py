"""From firing episodes to pages: who the escalation policy reaches first, and incidents.

**Grouping, as PagerDuty does with Alertmanager's events.** Alertmanager sends a trigger when
an alert starts firing and a resolve when it stops; PagerDuty keeps one incident per
deduplication key while it is open and folds every trigger with that key into it. Alertmanager
sends the resolve only at its next group interval (5 minutes by default), so an alert that fires
again within that time never closed its incident. Hence the rule used here: the paging
episodes of one **group key** (by default the alert: its SLO and alert name; ``group_by="slo"``
puts all of an SLO's alerts into one) form one incident while each next episode starts less
than ``group_gap`` (default 5 minutes) after the previous one ended. An incident pages once,
at its first episode's start, and resolves when its last episode does.

Only alerts that page (``AlertRule.page``: severity ``critical`` or ``page`` by default) make
incidents; ticket alerts do not wake anyone.

**Who is paged**: whoever the policy reaches first at the incident's start (level 1's person;
when nobody is on call there, the next level's, as PagerDuty skips an empty level), read from
the rendered schedules with their overrides through :func:`oncall_planner.render.render`.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable, Mapping, Sequence

import attrs

from oncall_planner.errors import ValidationError
from oncall_planner.escalation import steps
from oncall_planner.model import EscalationPolicy, Override, Schedule, ShiftSchedule, User
from oncall_planner.model.inputs import overrides_by_schedule
from oncall_planner.pages import Page
from oncall_planner.render import FinalSchedule, people_on_call_at, render
from oncall_planner.slo.replay import Backtest, Episode

GROUP_BY = ("alert", "slo", "service")
_MINUTE = dt.timedelta(minutes=1)


@attrs.frozen
class Incident:
    """Paging episodes folded into one incident: it pages at ``start`` and resolves at ``end``
    (``None`` while still open at the end of the replay). ``key`` is the group key; ``alert``
    and ``slo`` name its first episode's rule."""

    key: str
    start: dt.datetime
    end: dt.datetime | None
    episodes: tuple[Episode, ...] = attrs.field(eq=False, repr=False)

    @property
    def first(self) -> Episode:
        return self.episodes[0]

    @property
    def alert(self) -> str:
        return self.first.rule.alert

    @property
    def slo(self) -> str:
        return self.first.rule.slo.key

    @property
    def rule_key(self) -> str:
        return self.first.key


def _group_key(episode: Episode, group_by: str) -> str:
    rule = episode.rule
    if group_by == "slo":
        return rule.slo.key
    if group_by == "service":
        return rule.slo.service
    return rule.key


def incidents(
    episodes: Backtest | Iterable[Episode],
    *,
    group_by: str = "alert",
    group_gap: dt.timedelta = dt.timedelta(minutes=5),
) -> tuple[Incident, ...]:
    """The incidents the paging episodes make (see the module docstring), in time order."""
    if group_by not in GROUP_BY:
        raise ValidationError(
            f"incidents: group_by must be one of {', '.join(GROUP_BY)}, got {group_by!r}"
        )
    if not isinstance(group_gap, dt.timedelta) or group_gap < dt.timedelta():
        raise ValidationError(f"incidents: group_gap must be a duration ≥ 0, got {group_gap!r}")
    items = episodes.episodes if isinstance(episodes, Backtest) else tuple(episodes)
    paging = sorted((e for e in items if e.rule.page), key=lambda e: (e.start, e.key))
    open_: dict[str, list[Episode]] = {}
    ends: dict[str, dt.datetime | None] = {}
    done: list[tuple[str, list[Episode], dt.datetime | None]] = []
    for ep in paging:
        key = _group_key(ep, group_by)
        if key in open_:
            end = ends[key]
            if end is None or ep.start < end + group_gap:
                open_[key].append(ep)
                ends[key] = None if end is None or ep.end is None else max(end, ep.end)
                continue
            done.append((key, open_.pop(key), ends.pop(key)))
        open_[key] = [ep]
        ends[key] = ep.end
    done.extend((key, eps, ends[key]) for key, eps in open_.items())
    out = [
        Incident(key=k, start=eps[0].start, end=end, episodes=tuple(eps)) for k, eps, end in done
    ]
    return tuple(sorted(out, key=lambda i: (i.start, i.key)))


class RotaLookup:
    """Who is on call on each schedule, from :func:`render` over a window (with overrides),
    and :func:`people_on_call_at` outside it. Each schedule is rendered once."""

    def __init__(
        self,
        since: dt.datetime,
        until: dt.datetime,
        overrides: Mapping[str, Sequence[Override]] | None = None,
    ) -> None:
        # render takes whole minutes; evaluation instants need not be (a 30 s interval)
        utc = dt.timezone.utc
        self.since = since.astimezone(utc).replace(second=0, microsecond=0)
        self.until = until.astimezone(utc).replace(second=0, microsecond=0) + _MINUTE
        self.overrides = overrides_by_schedule(overrides, "pages_through_rota")
        self._finals: dict[str, FinalSchedule] = {}

    def final(self, schedule: Schedule | ShiftSchedule) -> FinalSchedule:
        if schedule.name not in self._finals:
            self._finals[schedule.name] = render(
                schedule, self.since, self.until, self.overrides.get(schedule.name, ())
            )
        return self._finals[schedule.name]

    def __call__(self, schedule: Schedule | ShiftSchedule, at: dt.datetime) -> tuple[User, ...]:
        if self.since <= at < self.until:
            return self.final(schedule).people_on_call_at(at)
        return people_on_call_at(schedule, at, self.overrides.get(schedule.name, ()))

    def first_responder(self, policy: EscalationPolicy, at: dt.datetime) -> User | None:
        """The first person ``policy`` notifies for an incident at ``at`` (``None``: nobody)."""
        for step in steps(policy, at, self):
            if step.reached:
                return step.reached[0]
        return None


def _page_id(incident: Incident) -> str:
    digest = hashlib.sha256(f"{incident.key}@{incident.start.isoformat()}".encode()).hexdigest()
    return f"slo-{digest[:12]}"


def policy_for(
    policy: EscalationPolicy | Mapping[str, EscalationPolicy], service: str
) -> EscalationPolicy:
    """The policy of ``service``: the one policy, or the mapping's entry for the service."""
    if isinstance(policy, EscalationPolicy):
        return policy
    if service not in policy:
        known = ", ".join(sorted(policy)) or "none"
        raise ValidationError(
            f"pages_through_rota: no escalation policy for service {service!r} ({known})"
        )
    chosen = policy[service]
    if not isinstance(chosen, EscalationPolicy):
        raise ValidationError(
            f"pages_through_rota: policy for {service!r} is not an EscalationPolicy"
        )
    return chosen


def pages_through_rota(
    episodes: Backtest | Iterable[Episode] | Iterable[Incident],
    policy: EscalationPolicy | Mapping[str, EscalationPolicy],
    *,
    overrides: Mapping[str, Sequence[Override]] | None = None,
    group_by: str = "alert",
    group_gap: dt.timedelta = dt.timedelta(minutes=5),
) -> tuple[Page, ...]:
    """One :class:`~oncall_planner.pages.Page` per incident, to the person ``policy`` reaches
    first when it starts (``policy`` may map service names to policies).

    The pages are the page-history values ``check(pages=...)`` reads, so the busy-shift and
    night-page rules (OCP501, OCP502) apply to them as to a PagerDuty export.
    """
    items = tuple(episodes.episodes if isinstance(episodes, Backtest) else episodes)
    if items and all(isinstance(i, Incident) for i in items):
        found: tuple[Incident, ...] = items  # type: ignore[assignment]
    else:
        found = incidents(items, group_by=group_by, group_gap=group_gap)  # type: ignore[arg-type]
    if not found:
        return ()
    longest = max(
        sum(r.delay_minutes for r in p.rules) * (p.num_loops + 1)
        for p in ([policy] if isinstance(policy, EscalationPolicy) else policy.values())
    )
    lookup = RotaLookup(
        found[0].start,
        found[-1].start + dt.timedelta(minutes=longest + 1),
        overrides,
    )
    pages = []
    for incident in found:
        chosen = policy_for(policy, incident.first.rule.slo.service)
        user = lookup.first_responder(chosen, incident.start)
        pages.append(
            Page(
                at=incident.start,
                user=user,
                service=incident.first.rule.slo.service,
                policy=chosen.name,
                urgency="high",
                resolved_at=incident.end,
                id=_page_id(incident),
                title=f"{incident.alert} ({incident.slo})",
            )
        )
    return tuple(pages)


__all__ = ["GROUP_BY", "Incident", "RotaLookup", "incidents", "pages_through_rota", "policy_for"]
