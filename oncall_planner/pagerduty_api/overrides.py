"""Apply planned overrides to PagerDuty: a diff first, then only what the diff says.

The wanted overrides come from :func:`~oncall_planner.cover_time_off` (``result.overrides``,
saved with :func:`overrides_to_json`) or a hand-written rota (CSV: ``schedule,start,end,user``).
:func:`plan_overrides` reads the overrides already in PagerDuty and says, per schedule, what to
create, what to delete and what is already there; :func:`apply_overrides` does it, one call per
override, and stops at the first error with the list of what was done and what was not.

**Which overrides are ours.** PagerDuty's v2 overrides have no field for a note or a tag, so a
marker inside the override is impossible. Ours are recorded in a **ledger**, a small JSON file
(by default beside the wanted file: ``cover.json`` -> ``cover.ledger.json``) that lists the ID of
every override this tool created. Only overrides in the ledger are ever deleted; an override
someone made by hand is never touched, even when it overlaps (the diff says so). An override
already in PagerDuty with the same start, end and person counts as done, ours or not, so a second
run changes nothing. The trade-off: keep the ledger with the wanted file (commit both). Lost, it
costs no harm (nothing is deleted that is not in it) but stale overrides of ours stay until
removed by hand.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import os
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any, Literal

import attrs

import oncall_planner.pagerduty_api.convert as convert
from oncall_planner.errors import APIError, InputReadError, OnCallPlannerError, ValidationError
from oncall_planner.files import write_atomic
from oncall_planner.model import OnCallPlan, Override, User
from oncall_planner.pagerduty_api.client import (
    MaybeDoneError,
    PagerDutyClient,
    api_path,
    items_of,
)
from oncall_planner.pagerduty_api.planfile import Account, read_json
from oncall_planner.timeutil import parse_iso8601, zone

UTC = dt.timezone.utc
FORMAT = "oncall-planner overrides"
LEDGER_FORMAT = "oncall-planner override ledger"
VERSION = 1


def _iso(value: dt.datetime) -> str:
    utc = value.astimezone(UTC)
    return f"{utc.year:04d}-{utc:%m-%dT%H:%M:%S}Z"


# ---------------------------------------------------------------------------------------------
# The wanted overrides: JSON (from cover_time_off) or a CSV rota
# ---------------------------------------------------------------------------------------------


def overrides_to_json(overrides: Mapping[str, Sequence[Override]]) -> dict[str, Any]:
    """The overrides file for ``overrides`` (schedule name -> overrides, the shape of
    ``CoverResult.overrides``): ``{"format": "oncall-planner overrides", "version": 1,
    "overrides": [{"schedule", "start", "end", "user"}]}``, users by email. Layer-based
    schedules' overrides only: a shift-based schedule's ``ShiftOverride`` goes through the v3
    API, which this file does not serve."""
    for name in sorted(overrides):
        if any(not isinstance(o, Override) for o in overrides[name]):
            raise ValidationError(
                f"overrides_to_json: overrides[{name!r}] must hold Override objects (layer-based "
                "schedules); a shift-based schedule's ShiftOverride objects are applied through "
                "PagerDuty's v3 API, which this file does not serve"
            )
    items = [
        {"schedule": name, "start": _iso(o.start), "end": _iso(o.end), "user": o.user.email}
        for name in sorted(overrides)
        for o in overrides[name]
    ]
    return {"format": FORMAT, "version": VERSION, "overrides": items}


def dumps_overrides(overrides: Mapping[str, Sequence[Override]]) -> str:
    """The text of :func:`overrides_to_json`, deterministic."""
    return json.dumps(overrides_to_json(overrides), indent=2, sort_keys=True) + "\n"


def _find_user(plan: OnCallPlan, who: str) -> User | None:
    key = who.strip().lower()
    for user in plan.users:
        if user.email.lower() == key:
            return user
    for user in plan.users:
        if user.name.strip().lower() == key:
            return user
    return None


def overrides_from_rows(
    rows: Iterable[Mapping[str, Any]], plan: OnCallPlan, source: str
) -> dict[str, tuple[Override, ...]]:
    """Wanted overrides from rows with ``schedule``, ``start``, ``end`` and ``user`` (email or
    name, a user of ``plan``). A time without an offset is in the schedule's zone."""
    out: dict[str, list[Override]] = {}
    for n, row in enumerate(rows, start=1):
        where = f"{source}: override {n}"
        if not isinstance(row, Mapping):
            raise InputReadError(f"{where}: must be an object, got {row!r}")
        missing = [k for k in ("schedule", "start", "end", "user") if not row.get(k)]
        if missing:
            raise InputReadError(f"{where}: missing {', '.join(missing)}")
        name = str(row["schedule"]).strip()
        if any(s.name == name for s in plan.shift_schedules):
            raise InputReadError(
                f"{where}: {name!r} is a shift-based schedule; overrides apply makes the "
                "overrides of layer-based schedules only (a shift-based one's override is scoped "
                "to a rotation and names the member it replaces: make it in PagerDuty's web app "
                "or its v3 API)"
            )
        try:
            schedule = plan.schedule(name)
        except OnCallPlannerError:
            known = ", ".join(repr(s.name) for s in plan.schedules) or "none"
            raise InputReadError(
                f"{where}: no schedule named {name!r} in the plan (schedules: {known})"
            ) from None
        user = _find_user(plan, str(row["user"]))
        if user is None:
            raise InputReadError(f"{where}: nobody in the plan has email or name {row['user']!r}")
        times = []
        for field in ("start", "end"):
            text = str(row[field]).strip()
            try:
                value = parse_iso8601(text)
            except ValueError:
                raise InputReadError(
                    f"{where}: {field} must be an RFC 3339 time, got {text!r}"
                ) from None
            if value.tzinfo is None:
                value = value.replace(tzinfo=zone(schedule.time_zone))
            times.append(value.astimezone(UTC))
        try:
            out.setdefault(name, []).append(Override(times[0], times[1], user))
        except OnCallPlannerError as error:
            raise InputReadError(f"{where}: {error}") from None
    return {name: tuple(items) for name, items in out.items()}


def load_overrides(
    path: str | os.PathLike[str], plan: OnCallPlan
) -> dict[str, tuple[Override, ...]]:
    """The wanted overrides in ``path``: the JSON of :func:`overrides_to_json`, or a CSV rota
    with the header ``schedule,start,end,user``; told apart by content."""
    source = os.fspath(path)
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except OSError as error:
        raise InputReadError(f"{source}: cannot read: {error.strerror or error}") from None
    except UnicodeDecodeError as error:
        raise InputReadError(f"{source}: not UTF-8 text: {error}") from None
    if text.lstrip().startswith("{"):
        data = read_json(path)
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            raise InputReadError(
                f'{source}: not an overrides file (no "format": {FORMAT!r}); write one with '
                "overrides_to_json, or give a CSV with schedule,start,end,user"
            )
        if data.get("version") != VERSION:
            raise InputReadError(
                f"{source}: this oncall-planner reads version {VERSION} of the overrides file, "
                f"got {data.get('version')!r}"
            )
        rows = data.get("overrides")
        if not isinstance(rows, list):
            raise InputReadError(f"{source}: 'overrides' must be a list")
        return overrides_from_rows(rows, plan, source)
    reader = csv.DictReader(io.StringIO(text))
    header = [h.strip().lower() for h in reader.fieldnames or []]
    if not {"schedule", "start", "end", "user"} <= set(header):
        raise InputReadError(
            f"{source}: a CSV rota needs the columns schedule,start,end,user; got "
            f"{','.join(header) or 'nothing'}"
        )
    rows_csv = [
        {(k or "").strip().lower(): (v or "").strip() for k, v in row.items()}
        for row in reader
        if any((v or "").strip() for v in row.values())
    ]
    return overrides_from_rows(rows_csv, plan, source)


# ---------------------------------------------------------------------------------------------
# The ledger of overrides this tool created
# ---------------------------------------------------------------------------------------------


@attrs.frozen
class LedgerItem:
    """An override oncall-planner created: its schedule's and its own PagerDuty ID, its times
    and its user's ID."""

    schedule_id: str
    override_id: str
    start: dt.datetime
    end: dt.datetime
    user_id: str


class OverrideLedger:
    """The overrides oncall-planner created, kept in a JSON file (see the module text)."""

    def __init__(
        self, items: Iterable[LedgerItem] = (), path: str | os.PathLike[str] | None = None
    ):
        self.items = list(items)
        self.path = Path(path) if path is not None else None

    @classmethod
    def load(cls, path: str | os.PathLike[str]) -> OverrideLedger:
        """The ledger at ``path``; an empty one when the file does not exist yet."""
        target = Path(path)
        if not target.exists():
            return cls((), target)
        data = read_json(target)
        source = os.fspath(path)
        if not isinstance(data, dict) or data.get("format") != LEDGER_FORMAT:
            raise InputReadError(
                f'{source}: not an override ledger (no "format": {LEDGER_FORMAT!r})'
            )
        rows = data.get("overrides") or []
        if not isinstance(rows, list):
            raise InputReadError(f"{source}: overrides must be a list, got {type(rows).__name__}")
        items = []
        for n, row in enumerate(rows, start=1):
            try:
                items.append(
                    LedgerItem(
                        str(row["schedule_id"]),
                        str(row["override_id"]),
                        convert.instant(row["start"], "start"),
                        convert.instant(row["end"], "end"),
                        str(row["user_id"]),
                    )
                )
            except (KeyError, TypeError, OnCallPlannerError) as error:
                raise InputReadError(f"{source}: override {n}: {error}") from None
        return cls(items, target)

    def to_json(self) -> dict[str, Any]:
        rows = sorted(
            (
                {
                    "schedule_id": i.schedule_id,
                    "override_id": i.override_id,
                    "start": _iso(i.start),
                    "end": _iso(i.end),
                    "user_id": i.user_id,
                }
                for i in self.items
            ),
            key=lambda r: (r["schedule_id"], r["start"], r["end"], r["override_id"]),
        )
        return {"format": LEDGER_FORMAT, "version": VERSION, "overrides": rows}

    def save(self) -> None:
        if self.path is None:
            return
        text = json.dumps(self.to_json(), indent=2, sort_keys=True) + "\n"
        try:
            # whole or not at all: half a ledger would make the next run refuse it
            write_atomic(self.path, text, make_folders=True)
        except OSError as error:
            raise OnCallPlannerError(
                f"ledger {self.path}: cannot write: {error.strerror or error}"
            ) from None

    def ids(self) -> set[str]:
        return {i.override_id for i in self.items}


def default_ledger_path(wanted: str | os.PathLike[str]) -> Path:
    """``cover.json`` -> ``cover.ledger.json``, beside it."""
    path = Path(wanted)
    return path.with_name(f"{path.stem}.ledger.json")


# ---------------------------------------------------------------------------------------------
# The diff and the apply
# ---------------------------------------------------------------------------------------------

Kind = Literal["create", "delete", "keep", "skip", "forget"]
_SIGNS = {"create": "+", "delete": "-", "keep": "=", "skip": "~", "forget": "?"}


@attrs.frozen
class OverrideAction:
    """One line of the diff: ``create`` a wanted override, ``delete`` one of ours no longer
    wanted, ``keep`` one already there, ``skip`` one of ours PagerDuty can no longer remove (over
    already), ``forget`` a ledger line whose override is gone from PagerDuty."""

    kind: Kind
    schedule: str
    schedule_id: str
    start: dt.datetime
    end: dt.datetime
    user: str
    user_id: str
    time_zone: str
    override_id: str | None = None
    why: str = ""

    def line(self) -> str:
        tz = zone(self.time_zone)
        a = self.start.astimezone(tz).strftime("%a %Y-%m-%d %H:%M")
        b = self.end.astimezone(tz).strftime("%a %Y-%m-%d %H:%M %Z")
        return f"  {_SIGNS[self.kind]} {a} → {b}  {self.user}  ({self.why})"


@attrs.frozen
class OverridesPlan:
    """The diff between the wanted overrides and PagerDuty's, schedule by schedule."""

    actions: tuple[OverrideAction, ...]

    @property
    def changes(self) -> tuple[OverrideAction, ...]:
        """What :func:`apply_overrides` will do, in that order: creates, deletes, forgets."""
        order = {"create": 0, "delete": 1, "forget": 2}
        return tuple(
            sorted((a for a in self.actions if a.kind in order), key=lambda a: order[a.kind])
        )

    def to_text(self) -> str:
        lines = []
        by_schedule: dict[tuple[str, str], list[OverrideAction]] = {}
        for action in self.actions:
            by_schedule.setdefault((action.schedule, action.schedule_id), []).append(action)
        for (name, ident), actions in sorted(by_schedule.items()):
            counts = {k: sum(1 for a in actions if a.kind == k) for k in _SIGNS}
            summary = ", ".join(
                f"{n} {label}"
                for n, label in (
                    (counts["create"], "to create"),
                    (counts["delete"], "to delete"),
                    (counts["keep"], "already there"),
                    (counts["skip"], "over already"),
                    (counts["forget"], "gone from PagerDuty"),
                )
                if n
            )
            lines.append(f"Schedule {name!r} ({ident}): {summary}")
            lines.extend(a.line() for a in sorted(actions, key=lambda a: (a.start, a.end, a.kind)))
        if not lines:
            lines.append("No overrides wanted and none of ours in PagerDuty.")
        return "\n".join(lines) + "\n"


@attrs.frozen
class OverridesApplied:
    """What :func:`apply_overrides` did: ``done`` in order, and on an error the action that
    failed, PagerDuty's answer, and the actions not attempted."""

    done: tuple[OverrideAction, ...]
    failed: OverrideAction | None = None
    error: str | None = None
    not_attempted: tuple[OverrideAction, ...] = ()

    @property
    def ok(self) -> bool:
        return self.failed is None

    def to_text(self) -> str:
        verbs = {"create": "created", "delete": "deleted", "forget": "forgot"}
        lines = [f"{verbs[a.kind]}:{a.line()[3:]}" for a in self.done]
        if not self.done and self.failed is None:
            lines.append("Nothing to change: PagerDuty already has the wanted overrides.")
        if self.failed is not None:
            lines.append(f"FAILED {self.failed.kind}:{self.failed.line()[3:]}")
            lines.append(f"  PagerDuty said: {self.error}")
            lines.extend(f"not attempted {a.kind}:{a.line()[3:]}" for a in self.not_attempted)
        return "\n".join(lines) + "\n"


class _Ids:
    """PagerDuty IDs of schedules and users: from the plan file when it has them, else looked
    up by exact name and email."""

    def __init__(self, client: PagerDutyClient, account: Account) -> None:
        self.client = client
        self.account = account

    def schedule(self, name: str) -> str:
        known = self.account.ids.schedules.get(name)
        if known:
            return known
        found = [
            s
            for s in self.client.iter_all("/schedules", "schedules", {"query": name})
            if s.get("name") == name and isinstance(s.get("id"), str)
        ]
        if len(found) != 1:
            raise APIError(
                f"PagerDuty has {'no' if not found else len(found)} schedule(s) named {name!r}; "
                "pull the account (oncall-planner pull) and use its plan file, which has the IDs"
            )
        return str(found[0]["id"])

    def user(self, user: User) -> str:
        known = self.account.ids.user(user)
        if known:
            return known
        found = [
            u
            for u in self.client.iter_all("/users", "users", {"query": user.email})
            if str(u.get("email", "")).lower() == user.email.lower()
            and isinstance(u.get("id"), str)
        ]
        if len(found) != 1:
            raise APIError(f"PagerDuty has no user with email {user.email!r}")
        return str(found[0]["id"])


def plan_overrides(
    client: PagerDutyClient,
    plan: Account | OnCallPlan,
    wanted: Mapping[str, Sequence[Override]],
    ledger: OverrideLedger,
    now: dt.datetime | None = None,
) -> OverridesPlan:
    """The diff: for each schedule with wanted overrides or overrides of ours in the ledger,
    what to create, delete and keep. Reads PagerDuty, changes nothing."""
    account = plan if isinstance(plan, Account) else Account(plan)
    now = now or dt.datetime.now(UTC)
    ids = _Ids(client, account)
    names_by_id: dict[str, str] = {}
    targets: dict[str, str] = {}
    for name in sorted(wanted):
        account.plan.schedule(name)  # a ValidationError naming the plan's schedules
        targets[name] = ids.schedule(name)
        names_by_id[targets[name]] = name
    for item in ledger.items:
        if item.schedule_id not in names_by_id:
            name = next(
                (n for n, i in account.ids.schedules.items() if i == item.schedule_id),
                item.schedule_id,
            )
            names_by_id[item.schedule_id] = name
    user_names = {i: email for email, i in account.ids.users.items()}
    actions: list[OverrideAction] = []
    for sid, name in sorted(names_by_id.items(), key=lambda p: (p[1], p[0])):
        tz_name = _zone_of(account.plan, name)
        want = [(o, ids.user(o.user)) for o in wanted.get(name, ())]
        ours = [i for i in ledger.items if i.schedule_id == sid]
        spans = [(o.start, o.end) for o, _ in want] + [(i.start, i.end) for i in ours]
        lo = min(a for a, _ in spans)
        hi = max(b for _, b in spans)
        path = api_path("schedules", sid, "overrides")
        answer = client.get(path, {"since": _iso(lo), "until": _iso(hi)})
        existing = []
        for doc in items_of(answer, "overrides", path):
            user = doc.get("user")
            if not isinstance(user, dict) or not isinstance(doc.get("id"), str):
                raise APIError(
                    f"PagerDuty's answer to GET {path} lists an override without an id or a user"
                )
            existing.append(
                (
                    str(doc.get("id")),
                    convert.instant(doc.get("start"), "override start"),
                    convert.instant(doc.get("end"), "override end"),
                    str(user.get("id")),
                    str(user.get("summary") or user.get("id")),
                )
            )
        mine = ledger.ids()
        matched: set[str] = set()
        for override, uid in want:
            twins = [
                e
                for e in existing
                if e[0] not in matched and (e[1], e[2], e[3]) == (override.start, override.end, uid)
            ]
            # ours first: an identical one made by hand must not make ours look unwanted
            same = next((e for e in twins if e[0] in mine), twins[0] if twins else None)
            base: dict[str, Any] = dict(
                schedule=name,
                schedule_id=sid,
                start=override.start,
                end=override.end,
                user=override.user.name,
                user_id=uid,
                time_zone=tz_name,
            )
            if same is not None:
                matched.add(same[0])
                why = "made by oncall-planner" if same[0] in mine else "already in PagerDuty"
                actions.append(OverrideAction("keep", override_id=same[0], why=why, **base))
                continue
            others = [
                e
                for e in existing
                if e[0] not in mine and e[1] < override.end and override.start < e[2]
            ]
            why = "wanted"
            if others:
                why += f"; overlaps an override made by hand ({others[0][4]}): the newest wins"
            actions.append(OverrideAction("create", why=why, **base))
        present = {e[0]: e for e in existing}
        for item in ours:
            if item.override_id in matched:
                continue
            base = dict(
                schedule=name,
                schedule_id=sid,
                start=item.start,
                end=item.end,
                user=user_names.get(item.user_id, item.user_id),
                user_id=item.user_id,
                time_zone=tz_name,
                override_id=item.override_id,
            )
            if item.override_id not in present:
                actions.append(OverrideAction("forget", why="no longer in PagerDuty", **base))
            elif item.end <= now:
                actions.append(
                    OverrideAction(
                        "skip", why="over already: PagerDuty keeps past overrides", **base
                    )
                )
            else:
                why = "made by oncall-planner, no longer wanted"
                if item.start < now:
                    why += "; in progress, so PagerDuty ends it now"
                actions.append(OverrideAction("delete", why=why, **base))
    return OverridesPlan(tuple(actions))


def _zone_of(plan: OnCallPlan, name: str) -> str:
    for schedule in plan.schedules:
        if schedule.name == name:
            return schedule.time_zone
    return "Etc/UTC"


def apply_overrides(
    client: PagerDutyClient, diff: OverridesPlan, ledger: OverrideLedger
) -> OverridesApplied:
    """Do what ``diff`` says, creates first (so nobody is left uncovered in between), then
    deletes, one call each; the ledger is saved after every change. Stops at the first error:
    the result lists what was done, what failed with PagerDuty's answer, and what was not
    attempted."""
    done: list[OverrideAction] = []
    changes = list(diff.changes)
    for n, action in enumerate(changes):
        try:
            if action.kind == "create":
                created = _create(client, action)
                ledger.items.append(
                    LedgerItem(
                        action.schedule_id, created, action.start, action.end, action.user_id
                    )
                )
                action = attrs.evolve(action, override_id=created)
            elif action.kind == "delete":
                try:
                    client.delete(
                        api_path("schedules", action.schedule_id, "overrides", action.override_id)
                    )
                except APIError as error:
                    if error.status != 404:
                        raise
                ledger.items = [i for i in ledger.items if i.override_id != action.override_id]
            else:  # forget
                ledger.items = [i for i in ledger.items if i.override_id != action.override_id]
            ledger.save()
        except OnCallPlannerError as error:
            return OverridesApplied(tuple(done), action, str(error), tuple(changes[n + 1 :]))
        done.append(action)
    return OverridesApplied(tuple(done))


def _create(client: PagerDutyClient, action: OverrideAction) -> str:
    body = {
        "overrides": [
            {
                "start": _iso(action.start),
                "end": _iso(action.end),
                "time_zone": action.time_zone,
                "user": {"id": action.user_id, "type": "user_reference"},
            }
        ]
    }
    try:
        answer = client.post(api_path("schedules", action.schedule_id, "overrides"), body)
    except MaybeDoneError as error:
        raise MaybeDoneError(
            f"{error}; run the dry run again: an override PagerDuty made all the same shows as "
            "already there",
            error.status,
        ) from None
    item = answer[0] if isinstance(answer, list) and answer else answer
    if isinstance(item, dict) and "override" in item:
        status = item.get("status", 201)
        if isinstance(status, (int, float)) and not 200 <= status < 300:
            errors = "; ".join(str(e) for e in item.get("errors") or []) or f"status {status}"
            raise APIError(f"PagerDuty refused the override: {errors}", int(status))
        override = item["override"]
        if isinstance(override, dict) and override.get("id"):
            return str(override["id"])
    raise APIError(
        f"PagerDuty's answer to POST /schedules/{action.schedule_id}/overrides names no "
        "override ID; check the schedule in PagerDuty before running again"
    )
