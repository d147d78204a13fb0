"""Who is who: the plan's users matched with the people exports name, their zones and countries.

- **Matching.** An export names a person by PagerDuty user id and a label (display name, or an
  email when the export has it). :class:`PersonIndex` matches the id through the configuration
  (``[people."ana@example.com"] pagerduty_id = "PUSR001"``), else the label as an email, else as
  a display name (case-insensitive) that only one user of the plan has. Names nobody in the
  plan, or two people: ``None``, counted as unattributed.
- **Zone.** ``User.time_zone``, else the zone of the first schedule that rosters the person (or
  has them on call), else the report's zone.
- **Country** (for public holidays): the configuration's ``country`` (and ``subdivision``) for the
  person, else, unless turned off, the country of their zone (:data:`COUNTRY_OF_ZONE`, from the tz
  database's ``zone.tab``), else none.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import attrs

from oncall_planner.health.countries import COUNTRY_OF_ZONE
from oncall_planner.health.history import PersonRef
from oncall_planner.model import User


@attrs.frozen
class PersonSettings:
    """What the configuration says about one person (by email): their PagerDuty user id, and
    the country and subdivision of their public holidays."""

    pagerduty_id: str | None = None
    country: str | None = None
    subdivision: str | None = None


class PersonIndex:
    """Matches :class:`PersonRef` values with the plan's users (see the module docstring)."""

    def __init__(self, users: Iterable[User], settings: Mapping[str, PersonSettings]) -> None:
        self.users = tuple(users)
        by_email = {u.email.lower(): u for u in self.users}
        self.by_id: dict[str, User] = {}
        for email, s in settings.items():
            if s.pagerduty_id and email.lower() in by_email:
                self.by_id[s.pagerduty_id] = by_email[email.lower()]
        self.by_email = by_email
        self.by_name: dict[str, User] = {}
        shared: set[str] = set()
        for u in self.users:
            name = u.name.strip().lower()
            if self.by_name.setdefault(name, u) != u:
                shared.add(name)
        for name in shared:  # a name two people share says neither: configure pagerduty_id
            del self.by_name[name]
        self._cache: dict[PersonRef, User | None] = {}

    def find(self, ref: PersonRef | None) -> User | None:
        if ref is None:
            return None
        if ref in self._cache:
            return self._cache[ref]
        found = None
        if ref.id is not None:
            found = self.by_id.get(ref.id)
        if found is None and ref.label is not None:
            key = ref.label.strip().lower()
            found = self.by_email.get(key) or self.by_name.get(key)
        if found is None and ref.id is not None:  # an export that gives emails as ids
            found = self.by_email.get(ref.id.lower())
        self._cache[ref] = found
        return found


def schedule_roster(schedule: Any) -> tuple[User, ...]:
    """The people a schedule rosters, for either kind of schedule: a layer-based schedule's
    layers' users, or a shift-based schedule's ``users()``."""
    roster = getattr(schedule, "users", None)
    if callable(roster):
        return tuple(roster())
    out: list[User] = []
    for layer in getattr(schedule, "layers", ()):
        out.extend(u for u in layer.users if u not in out)
    return tuple(out)


def home_zones(schedules: Sequence[Any]) -> dict[str, tuple[str, str]]:
    """Email (lower case) -> (zone, schedule name) of the first schedule that rosters them."""
    out: dict[str, tuple[str, str]] = {}
    for schedule in schedules:
        for user in schedule_roster(schedule):
            out.setdefault(user.email.lower(), (schedule.time_zone, schedule.name))
    return out


def person_zone(
    user: User, homes: Mapping[str, tuple[str, str]], report_zone: str
) -> tuple[str, str]:
    """(zone, where it comes from) for a person: their own, their schedule's, or the report's."""
    if user.time_zone:
        return user.time_zone, "their own"
    home = homes.get(user.email.lower())
    if home is not None:
        return home[0], f"schedule {home[1]!r}"
    return report_zone, "the report's"


def person_region(
    user: User, zone: str, settings: Mapping[str, PersonSettings], from_zone: bool
) -> tuple[tuple[str, str | None] | None, str]:
    """((country, subdivision) or None, where it comes from)."""
    mine = settings.get(user.email.lower())
    if mine is not None and mine.country:
        return (mine.country, mine.subdivision), "configuration"
    if from_zone and zone in COUNTRY_OF_ZONE:
        return (COUNTRY_OF_ZONE[zone], None), f"time zone {zone}"
    return None, "none"


__all__ = [
    "PersonIndex",
    "PersonSettings",
    "home_zones",
    "person_region",
    "person_zone",
    "schedule_roster",
]
