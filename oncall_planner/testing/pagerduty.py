"""A stand-in for PagerDuty's REST API on 127.0.0.1, for tests and the demo.

:class:`PagerDutyStandIn` serves an account (a dict in PagerDuty's own shapes, as the published
OpenAPI schema describes them) over real HTTP on a free port of this machine, so the client runs
unmodified against it through its base URL. It implements the calls oncall-planner makes:

- ``GET /users``, ``/teams``, ``/schedules``, ``/escalation_policies``, ``/incidents``,
  ``/incidents/{id}/log_entries``, ``/v3/schedules`` with classic pagination (``limit`` up to
  100, ``offset``, ``more``, ``total``; ``offset + limit`` over 10,000 is a 400) and the filters
  ``query`` and ``team_ids[]``; ``GET /audit/records`` with cursor pagination;
- ``GET /schedules/{id}`` with layers newest first, as PagerDuty lists them, and with
  ``since``/``until`` each layer's ``rendered_schedule_entries``, the ``final_schedule`` and the
  ``overrides_subschedule``, rendered by a minute-by-minute renderer of its own (independent of
  :mod:`oncall_planner.render`), or taken from the account's ``rendered`` entries when a fixture
  gives them (to stand for a PagerDuty that disagrees);
- ``GET``/``POST /schedules/{id}/overrides`` (the batch form, one status per override) and
  ``DELETE /schedules/{id}/overrides/{id}`` (an override in progress is cut at ``now``: 200);
- ``Authorization: Token token=…`` checked (401), scopes per token (403), unknown IDs (404), and
  failures on demand: :meth:`PagerDutyStandIn.fail_next` answers the next requests with 429 and
  ``Retry-After`` (or ``ratelimit-reset``), or a 5xx.

:func:`account_from_plan` builds such an account from an :class:`~oncall_planner.OnCallPlan`,
with IDs derived from names, so the same plan always gives the same account.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import http.server
import json
import re
import threading
import urllib.parse
from collections.abc import Iterable, Mapping, Sequence
from typing import Any
from zoneinfo import ZoneInfo

from oncall_planner.errors import ValidationError
from oncall_planner.model import OnCallPlan, Override, Schedule, User

UTC = dt.timezone.utc
MINUTE = dt.timedelta(minutes=1)
SELF = "https://api.pagerduty.com"
ALL_SCOPES = frozenset(
    {
        "users.read",
        "teams.read",
        "schedules.read",
        "schedules.write",
        "escalation_policies.read",
        "incidents.read",
        "audit_records.read",
    }
)
READ_ONLY = frozenset(s for s in ALL_SCOPES if s.endswith(".read"))


def pd_id(kind: str, key: str) -> str:
    """A PagerDuty-looking ID (``P`` and six characters) derived from ``kind`` and ``key``."""
    digest = hashlib.sha256(f"{kind}:{key}".encode()).hexdigest().upper()
    letters = "".join(c for c in digest if c.isalnum())
    return "P" + letters[:6]


def _iso(value: dt.datetime, tz: dt.tzinfo = UTC) -> str:
    return value.astimezone(tz).isoformat()


def _parse(text: str) -> dt.datetime:
    value = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(UTC)


# ---------------------------------------------------------------------------------------------
# An account from a plan
# ---------------------------------------------------------------------------------------------


def _ref(kind: str, ident: str, summary: str) -> dict[str, Any]:
    path = {"user": "users", "team": "teams", "schedule": "schedules"}.get(kind, kind + "s")
    return {
        "id": ident,
        "type": f"{kind}_reference",
        "summary": summary,
        "self": f"{SELF}/{path}/{ident}",
    }


def account_from_plan(
    plan: OnCallPlan,
    overrides: Mapping[str, Sequence[Override]] | None = None,
    time_zone: str = "Etc/UTC",
) -> dict[str, Any]:
    """The stand-in account for ``plan``: users, teams, schedules (layers in the order they were
    written), policies, and ``overrides`` (schedule name -> overrides, in creation order)."""
    uid = {u.email.lower(): pd_id("user", u.email.lower()) for u in plan.users}
    team_of: dict[str, list[str]] = {}
    for team in plan.teams:
        for member in team.members:
            team_of.setdefault(member.email.lower(), []).append(team.name)
    tid = {t.name: pd_id("team", t.name) for t in plan.teams}
    sid = {s.name: pd_id("schedule", s.name) for s in plan.schedules}
    users = [
        {
            "id": uid[u.email.lower()],
            "type": "user",
            "summary": u.name,
            "name": u.name,
            "email": u.email,
            "time_zone": u.time_zone,
            "role": "user",
            "self": f"{SELF}/users/{uid[u.email.lower()]}",
            "teams": [_ref("team", tid[n], n) for n in team_of.get(u.email.lower(), [])],
        }
        for u in plan.users
    ]
    teams = [
        {
            "id": tid[t.name],
            "type": "team",
            "summary": t.name,
            "name": t.name,
            "description": t.description,
            "self": f"{SELF}/teams/{tid[t.name]}",
        }
        for t in plan.teams
    ]

    def user_ref(user: User) -> dict[str, Any]:
        return _ref("user", uid[user.email.lower()], user.name)

    schedules = []
    for s in plan.schedules:
        layers = []
        for i, layer in enumerate(s.layers):
            layers.append(
                {
                    "id": pd_id("layer", f"{s.name}/{i}"),
                    "name": layer.name,
                    "start": _iso(layer.start),
                    "end": _iso(layer.end) if layer.end else None,
                    "rotation_virtual_start": _iso(layer.rotation_virtual_start),
                    "rotation_turn_length_seconds": int(layer.turn_length.total_seconds()),
                    "users": [{"user": user_ref(u)} for u in layer.users],
                    "restrictions": [
                        {
                            "type": f"{r.kind}_restriction",
                            "start_time_of_day": r.start_time_of_day.strftime("%H:%M:%S"),
                            "duration_seconds": int(r.duration.total_seconds()),
                            **(
                                {"start_day_of_week": r.start_day_of_week}
                                if r.kind == "weekly"
                                else {}
                            ),
                        }
                        for r in layer.restrictions
                    ],
                }
            )
        schedules.append(
            {
                "id": sid[s.name],
                "type": "schedule",
                "summary": s.name,
                "name": s.name,
                "time_zone": s.time_zone,
                "description": s.description,
                "self": f"{SELF}/schedules/{sid[s.name]}",
                "teams": [_ref("team", tid[t.name], t.name) for t in s.teams],
                "schedule_layers": layers,
            }
        )
    policies = []
    for p in plan.escalation_policies:
        ident = pd_id("escalation_policy", p.name)
        rules = []
        for level, rule in enumerate(p.rules):
            targets = []
            for target in rule.targets:
                if isinstance(target.ref, Schedule):
                    targets.append(_ref("schedule", sid[target.ref.name], target.ref.name))
                elif isinstance(target.ref, User):
                    targets.append(user_ref(target.ref))
                else:  # this stand-in serves the v2 (layer-based) API only
                    raise ValidationError(
                        f"the PagerDuty stand-in serves layer-based schedules only; "
                        f"{target.ref.name!r} is a ShiftSchedule"
                    )
            rules.append(
                {
                    "id": pd_id("rule", f"{p.name}/{level}"),
                    "escalation_delay_in_minutes": rule.delay_minutes,
                    "targets": targets,
                    "escalation_rule_assignment_strategy": "round_robin"
                    if rule.round_robin
                    else "assign_to_everyone",
                }
            )
        policies.append(
            {
                "id": ident,
                "type": "escalation_policy",
                "summary": p.name,
                "name": p.name,
                "description": p.description,
                "num_loops": p.num_loops,
                "self": f"{SELF}/escalation_policies/{ident}",
                "teams": [_ref("team", tid[p.team.name], p.team.name)] if p.team else [],
                "escalation_rules": rules,
            }
        )
    by_schedule: dict[str, list[dict[str, Any]]] = {}
    for name, items in (overrides or {}).items():
        for n, o in enumerate(items):
            by_schedule.setdefault(sid[name], []).append(
                {
                    "id": pd_id("override", f"{name}/{n}"),
                    "type": "override",
                    "start": _iso(o.start),
                    "end": _iso(o.end),
                    "user": user_ref(o.user),
                }
            )
    return {
        "time_zone": time_zone,
        "users": users,
        "teams": teams,
        "schedules": schedules,
        "escalation_policies": policies,
        "overrides": by_schedule,
        "incidents": [],
        "log_entries": {},
        "v3_schedules": [],
    }


# ---------------------------------------------------------------------------------------------
# The stand-in's own renderer: minute by minute, straight from the documented rules
# ---------------------------------------------------------------------------------------------


def _from_local(naive: dt.datetime, tz: ZoneInfo) -> dt.datetime:
    """The instant of a local wall-clock time: the first occurrence when it happens twice, the
    instant the clocks jump when it does not exist."""
    first = naive.replace(tzinfo=tz, fold=0).astimezone(UTC)
    if first.astimezone(tz).replace(tzinfo=None) == naive:
        return first
    lo = naive.replace(tzinfo=tz, fold=1).astimezone(UTC)
    hi = first
    if lo > hi:
        lo, hi = hi, lo
    while hi - lo > MINUTE:
        mid = lo + ((hi - lo) // 2 // MINUTE) * MINUTE
        if mid.astimezone(tz).replace(tzinfo=None) < naive:
            lo = mid
        else:
            hi = mid
    return hi


class _LayerRules:
    def __init__(self, doc: Mapping[str, Any], tz: ZoneInfo) -> None:
        self.tz = tz
        self.start = _parse(doc["start"])
        self.end = _parse(doc["end"]) if doc.get("end") else None
        self.anchor = _parse(doc["rotation_virtual_start"]).astimezone(tz).replace(tzinfo=None)
        self.length = dt.timedelta(seconds=int(doc["rotation_turn_length_seconds"]))
        self.users = [u["user"] for u in doc.get("users") or []]
        self.restrictions = list(doc.get("restrictions") or [])
        self._bounds: dict[int, dt.datetime] = {}
        self._windows: dict[dt.date, list[tuple[dt.datetime, dt.datetime]]] = {}

    def bound(self, k: int) -> dt.datetime:
        if k not in self._bounds:
            self._bounds[k] = _from_local(self.anchor + k * self.length, self.tz)
        return self._bounds[k]

    def windows(self, day: dt.date) -> list[tuple[dt.datetime, dt.datetime]]:
        if day not in self._windows:
            out = []
            for r in self.restrictions:
                clock = dt.time.fromisoformat(r["start_time_of_day"])
                if r["type"] == "weekly_restriction" and day.isoweekday() != r["start_day_of_week"]:
                    continue
                naive = dt.datetime.combine(day, clock)
                length = dt.timedelta(seconds=int(r["duration_seconds"]))
                out.append((_from_local(naive, self.tz), _from_local(naive + length, self.tz)))
            self._windows[day] = out
        return self._windows[day]

    def who(self, t: dt.datetime) -> Mapping[str, Any] | None:
        if t < self.start or (self.end is not None and t >= self.end) or not self.users:
            return None
        if self.restrictions:
            today = t.astimezone(self.tz).date()
            days = [today - dt.timedelta(days=d) for d in range(8)]
            if not any(a <= t < b for day in days for a, b in self.windows(day)):
                return None
        local = t.astimezone(self.tz).replace(tzinfo=None)
        k = (local - self.anchor) // self.length
        while self.bound(k) > t:
            k -= 1
        while self.bound(k + 1) <= t:
            k += 1
        return self.users[k % len(self.users)]  # type: ignore[no-any-return]


def _entries(
    who: Any, since: dt.datetime, until: dt.datetime, tz: ZoneInfo
) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    t = since
    current: Mapping[str, Any] | None = None
    start = since
    while t <= until:
        person = who(t) if t < until else None
        if (person or {}).get("id") != (current or {}).get("id") or t == until:
            if current is not None and start < t:
                out.append({"user": dict(current), "start": _iso(start, tz), "end": _iso(t, tz)})
            current, start = person, t
        t += MINUTE
    return out


def render_schedule(
    doc: Mapping[str, Any],
    overrides: Sequence[Mapping[str, Any]],
    since: dt.datetime,
    until: dt.datetime,
) -> dict[str, Any]:
    """Each layer's entries (by layer ID), the overrides' and the final schedule's, over
    ``[since, until)``, in the schedule's zone, minute by minute."""
    tz = ZoneInfo(doc["time_zone"] if doc["time_zone"] != "UTC" else "Etc/UTC")
    layers = [_LayerRules(layer, tz) for layer in doc.get("schedule_layers") or []]
    spans = [(_parse(o["start"]), _parse(o["end"]), o["user"]) for o in overrides]

    def override_at(t: dt.datetime) -> Mapping[str, Any] | None:
        for start, end, user in reversed(spans):  # the latest created wins
            if start <= t < end:
                return user  # type: ignore[no-any-return]
        return None

    def final_at(t: dt.datetime) -> Mapping[str, Any] | None:
        person = override_at(t)
        if person is not None:
            return person
        for layer in reversed(layers):  # the last layer wins
            person = layer.who(t)
            if person is not None:
                return person
        return None

    return {
        "layers": {
            str(layer_doc.get("id")): _entries(rules.who, since, until, tz)
            for layer_doc, rules in zip(doc.get("schedule_layers") or [], layers)
        },
        "overrides": _entries(override_at, since, until, tz),
        "final": _entries(final_at, since, until, tz),
    }


def _clip(
    entries: Iterable[Mapping[str, Any]], since: dt.datetime, until: dt.datetime
) -> list[dict[str, Any]]:
    out = []
    for e in entries:
        start, end = max(_parse(e["start"]), since), min(_parse(e["end"]), until)
        if start < end:
            out.append({**e, "start": _iso(start), "end": _iso(end)})
    return out


# ---------------------------------------------------------------------------------------------
# The HTTP server
# ---------------------------------------------------------------------------------------------


class _Fail:
    def __init__(self, status: int, count: int, path: str | None, headers: Mapping[str, str]):
        self.status, self.count, self.path, self.headers = status, count, path, dict(headers)


_ROUTES: list[tuple[str, re.Pattern[str], str, str]] = [
    (m, re.compile(p), handler, scope)
    for m, p, handler, scope in [
        ("GET", r"/users", "list_users", "users.read"),
        ("GET", r"/users/(?P<id>[^/]+)", "get_user", "users.read"),
        ("GET", r"/teams", "list_teams", "teams.read"),
        ("GET", r"/schedules", "list_schedules", "schedules.read"),
        ("GET", r"/schedules/(?P<id>[^/]+)", "get_schedule", "schedules.read"),
        ("GET", r"/schedules/(?P<id>[^/]+)/overrides", "list_overrides", "schedules.read"),
        ("POST", r"/schedules/(?P<id>[^/]+)/overrides", "create_overrides", "schedules.write"),
        (
            "DELETE",
            r"/schedules/(?P<id>[^/]+)/overrides/(?P<oid>[^/]+)",
            "delete_override",
            "schedules.write",
        ),
        ("GET", r"/escalation_policies", "list_policies", "escalation_policies.read"),
        ("GET", r"/incidents", "list_incidents", "incidents.read"),
        ("GET", r"/incidents/(?P<id>[^/]+)/log_entries", "list_log_entries", "incidents.read"),
        ("GET", r"/v3/schedules", "list_v3", "schedules.read"),
        ("GET", r"/v3/schedules/(?P<id>[^/]+)", "get_v3", "schedules.read"),
        ("GET", r"/audit/records", "list_audit", "audit_records.read"),
    ]
]


class _Answer(Exception):  # noqa: N818 (an answer to send, not an error)
    def __init__(self, status: int, body: Any = None, headers: Mapping[str, str] | None = None):
        self.status, self.body, self.headers = status, body, dict(headers or {})


def _error(status: int, message: str, code: int, *errors: str) -> _Answer:
    body: dict[str, Any] = {"error": {"message": message, "code": code}}
    if errors:
        body["error"]["errors"] = list(errors)
    return _Answer(status, body)


class PagerDutyStandIn:
    """``with PagerDutyStandIn(account, {token: scopes}) as pd: ...`` serves ``account`` at
    ``pd.base_url`` (``http://127.0.0.1:PORT``). ``tokens`` maps each accepted token to its
    scopes (``None``: all of them). ``now`` is the clock for deleting overrides in progress.
    ``requests`` logs ``(method, path, query)`` of every request (never a header)."""

    def __init__(
        self,
        account: Mapping[str, Any],
        tokens: Mapping[str, frozenset[str] | None],
        now: dt.datetime | None = None,
    ) -> None:
        self.account = json.loads(json.dumps(account))  # a private copy it may change
        self.account.setdefault("overrides", {})
        self.tokens = dict(tokens)
        self.now = now
        self.requests: list[tuple[str, str, dict[str, list[str]]]] = []
        self._failures: list[_Fail] = []
        self._lock = threading.Lock()
        self._counter = 0
        self._server: http.server.ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # -- life cycle ---------------------------------------------------------------------------

    def start(self) -> str:
        stand_in = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: Any) -> None:  # quiet
                return

            def _serve(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length) if length else b""
                status, body, headers = stand_in.handle(
                    self.command, self.path, self.headers.get("Authorization", ""), raw
                )
                data = b"" if body is None else json.dumps(body).encode("utf-8")
                self.send_response(status)
                if body is not None:
                    self.send_header("Content-Type", "application/json")
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            do_GET = do_POST = do_DELETE = do_PUT = _serve  # noqa: N815 (http.server's names)

        self._server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()
        return self.base_url

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def __enter__(self) -> PagerDutyStandIn:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def base_url(self) -> str:
        if self._server is None:
            raise RuntimeError("the stand-in is not started")
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def fail_next(
        self,
        status: int,
        count: int = 1,
        path: str | None = None,
        retry_after: str | None = None,
        header: str = "Retry-After",
    ) -> None:
        """Answer the next ``count`` requests (to ``path`` only, when given) with ``status``;
        with ``retry_after``, also send it as ``header``."""
        headers = {header: retry_after} if retry_after is not None else {}
        with self._lock:
            self._failures.append(_Fail(status, count, path, headers))

    # -- dispatch -----------------------------------------------------------------------------

    def handle(
        self, method: str, target: str, authorization: str, raw: bytes
    ) -> tuple[int, Any, dict[str, str]]:
        parts = urllib.parse.urlsplit(target)
        path = parts.path
        query = urllib.parse.parse_qs(parts.query, keep_blank_values=True)
        with self._lock:
            self.requests.append((method, path, query))
            try:
                return self._dispatch(method, path, query, authorization, raw)
            except _Answer as answer:
                return answer.status, answer.body, answer.headers

    def _dispatch(
        self,
        method: str,
        path: str,
        query: dict[str, list[str]],
        authorization: str,
        raw: bytes,
    ) -> tuple[int, Any, dict[str, str]]:
        token = (
            authorization.removeprefix("Token token=")
            if authorization.startswith("Token token=")
            else None
        )
        if token is None or token not in self.tokens:
            raise _error(401, "Unauthorized", 2006)
        for fail in self._failures:
            if fail.count > 0 and (fail.path is None or fail.path == path):
                fail.count -= 1
                message = "Rate Limit Exceeded" if fail.status == 429 else "Internal Server Error"
                raise _Answer(
                    fail.status, {"error": {"message": message, "code": 2020}}, fail.headers
                )
        for route_method, pattern, handler, scope in _ROUTES:
            match = pattern.fullmatch(path)
            if match and route_method == method:
                scopes = self.tokens[token]
                if scopes is not None and scope not in scopes:
                    raise _error(403, "Access Denied", 2010, f"the token lacks {scope}")
                body = json.loads(raw.decode("utf-8")) if raw else None
                status, answer = getattr(self, handler)(query, body, **match.groupdict())
                return status, answer, {}
        raise _error(404, "Not Found", 2100)

    # -- helpers --------------------------------------------------------------------------------

    @staticmethod
    def _one(query: Mapping[str, list[str]], name: str) -> str | None:
        values = query.get(name)
        return values[-1] if values else None

    def _page(
        self, query: Mapping[str, list[str]], key: str, items: list[Any]
    ) -> tuple[int, dict[str, Any]]:
        try:
            limit = int(self._one(query, "limit") or 25)
            offset = int(self._one(query, "offset") or 0)
        except ValueError:
            raise _error(
                400, "Invalid Input Provided", 2001, "limit and offset are numbers"
            ) from None
        limit = max(1, min(limit, 100))
        if offset + limit > 10_000:
            raise _error(400, "Invalid Input Provided", 2001, "Offset must be less than 10000")
        chunk = items[offset : offset + limit]
        total = len(items) if self._one(query, "total") == "true" else None
        return 200, {
            key: chunk,
            "limit": limit,
            "offset": offset,
            "more": offset + len(chunk) < len(items),
            "total": total,
        }

    @staticmethod
    def _filter(
        items: list[dict[str, Any]], query: Mapping[str, list[str]], *fields: str
    ) -> list[dict[str, Any]]:
        text = (query.get("query") or [""])[-1].lower()
        teams = set(query.get("team_ids[]") or [])
        out = []
        for item in items:
            if text and not any(text in str(item.get(f, "")).lower() for f in fields):
                continue
            if teams and not teams & {t.get("id") for t in item.get("teams") or []}:
                continue
            out.append(item)
        return out

    def _find(self, kind: str, ident: str) -> dict[str, Any]:
        for item in self.account.get(kind) or []:
            if item.get("id") == ident:
                return item  # type: ignore[no-any-return]
        raise _error(404, "Not Found", 2100)

    def _window(self, query: Mapping[str, list[str]]) -> tuple[dt.datetime, dt.datetime] | None:
        since, until = self._one(query, "since"), self._one(query, "until")
        if since is None and until is None:
            return None
        try:
            start = _parse(since) if since else _parse(str(until)) - dt.timedelta(weeks=2)
            end = _parse(until) if until else start + dt.timedelta(weeks=2)
        except ValueError:
            raise _error(
                400, "Invalid Input Provided", 2001, "since/until must be ISO 8601"
            ) from None
        if end <= start:
            raise _error(400, "Invalid Input Provided", 2001, "until must be after since")
        return start, end

    def _now(self) -> dt.datetime:
        return self.now or dt.datetime.now(UTC)

    # -- handlers -------------------------------------------------------------------------------

    def list_users(self, query: Any, body: Any) -> tuple[int, Any]:
        items = self._filter(list(self.account.get("users") or []), query, "name", "email")
        return self._page(query, "users", items)

    def get_user(self, query: Any, body: Any, id: str) -> tuple[int, Any]:
        return 200, {"user": self._find("users", id)}

    def list_teams(self, query: Any, body: Any) -> tuple[int, Any]:
        return self._page(
            query, "teams", self._filter(list(self.account.get("teams") or []), query, "name")
        )

    def list_schedules(self, query: Any, body: Any) -> tuple[int, Any]:
        items = [
            {k: v for k, v in s.items() if k != "schedule_layers"}
            for s in self._filter(list(self.account.get("schedules") or []), query, "name")
        ]
        return self._page(query, "schedules", items)

    def get_schedule(self, query: Any, body: Any, id: str) -> tuple[int, Any]:
        doc = json.loads(json.dumps(self._find("schedules", id)))
        window = self._window(query)
        if window is not None:
            since, until = window
            overrides = self.account["overrides"].get(id, [])
            rendered = render_schedule(doc, overrides, since, until)
            given = (self.account.get("rendered") or {}).get(id) or {}
            if "final_schedule" in given:
                rendered["final"] = _clip(given["final_schedule"], since, until)
            for lid, entries in (given.get("layers") or {}).items():
                rendered["layers"][lid] = _clip(entries, since, until)
            for layer in doc["schedule_layers"]:
                layer["rendered_schedule_entries"] = rendered["layers"].get(str(layer["id"]), [])
            doc["final_schedule"] = {
                "name": "Final Schedule",
                "rendered_schedule_entries": rendered["final"],
            }
            doc["overrides_subschedule"] = {
                "name": "Overrides",
                "rendered_schedule_entries": rendered["overrides"],
            }
        doc["schedule_layers"] = list(reversed(doc.get("schedule_layers") or []))  # newest first
        return 200, {"schedule": doc}

    def list_overrides(self, query: Any, body: Any, id: str) -> tuple[int, Any]:
        self._find("schedules", id)
        window = self._window(query)
        if window is None:
            raise _error(400, "Invalid Input Provided", 2001, "since and until are required")
        since, until = window
        items = [
            o
            for o in self.account["overrides"].get(id, [])
            if _parse(o["start"]) < until and since < _parse(o["end"])
        ]
        return 200, {"overrides": items}

    def create_overrides(self, query: Any, body: Any, id: str) -> tuple[int, Any]:
        self._find("schedules", id)
        single = isinstance(body, dict) and "override" in body
        items = [body["override"]] if single else (body or {}).get("overrides")
        if not isinstance(items, list) or not items:
            raise _error(400, "Invalid Input Provided", 2001, "overrides must be a list")
        users = {u["id"]: u for u in self.account.get("users") or []}
        out = []
        for item in items:
            try:
                start, end = _parse(item["start"]), _parse(item["end"])
                user = users.get((item.get("user") or {}).get("id"))
            except (KeyError, TypeError, ValueError):
                out.append({"status": 400, "errors": ["Invalid override"], "override": item})
                continue
            if end <= start:
                out.append(
                    {
                        "status": 400,
                        "errors": ["Override must end after its start"],
                        "override": item,
                    }
                )
                continue
            if user is None:
                out.append({"status": 400, "errors": ["User not found"], "override": item})
                continue
            self._counter += 1
            created = {
                "id": f"Q{self._counter:06d}",
                "type": "override",
                "start": _iso(start),
                "end": _iso(end),
                "user": _ref("user", user["id"], user["name"]),
            }
            self.account["overrides"].setdefault(id, []).append(created)
            out.append({"status": 201, "override": created})
        if single:
            if out[0]["status"] != 201:
                raise _error(400, "Invalid Input Provided", 2001, *out[0]["errors"])
            return 201, {"override": out[0]["override"]}
        return 201, out

    def delete_override(self, query: Any, body: Any, id: str, oid: str) -> tuple[int, Any]:
        self._find("schedules", id)
        items = self.account["overrides"].get(id, [])
        for n, item in enumerate(items):
            if item["id"] == oid:
                now = self._now().replace(second=0, microsecond=0)
                if _parse(item["end"]) <= now:
                    raise _error(
                        400, "Invalid Input Provided", 2001, "cannot remove a past override"
                    )
                if _parse(item["start"]) < now:
                    item["end"] = _iso(now)
                    return 200, None
                del items[n]
                return 204, None
        raise _error(404, "Not Found", 2100)

    def list_policies(self, query: Any, body: Any) -> tuple[int, Any]:
        items = self._filter(list(self.account.get("escalation_policies") or []), query, "name")
        return self._page(query, "escalation_policies", items)

    def list_incidents(self, query: Any, body: Any) -> tuple[int, Any]:
        items = self._filter(list(self.account.get("incidents") or []), query)
        window = self._window(query)
        if window is not None and self._one(query, "date_range") != "all":
            since, until = window
            items = [i for i in items if since <= _parse(i["created_at"]) < until]
        return self._page(query, "incidents", items)

    def list_log_entries(self, query: Any, body: Any, id: str) -> tuple[int, Any]:
        self._find("incidents", id)
        entries = (self.account.get("log_entries") or {}).get(id, [])
        return self._page(query, "log_entries", list(entries))

    def list_v3(self, query: Any, body: Any) -> tuple[int, Any]:
        items = [
            {
                "id": s["id"],
                "type": "schedule_v3_reference",
                "summary": s.get("name"),
                "self": f"{SELF}/v3/schedules/{s['id']}",
            }
            for s in self._filter(list(self.account.get("v3_schedules") or []), query, "name")
        ]
        return self._page(query, "schedules", items)

    def get_v3(self, query: Any, body: Any, id: str) -> tuple[int, Any]:
        for item in self.account.get("v3_schedules") or []:
            if item.get("id") == id:
                return 200, {"schedule": item}
        if any(s.get("id") == id for s in self.account.get("schedules") or []):
            raise _error(
                400, "This is a layer-based schedule. Use the v2 Schedules API to access it.", 2001
            )
        raise _error(404, "Not Found", 2100)

    def list_audit(self, query: Any, body: Any) -> tuple[int, Any]:
        records = list(self.account.get("audit_records") or [])
        limit = max(1, min(int(self._one(query, "limit") or 10), 100))
        start = int(self._one(query, "cursor") or 0)
        chunk = records[start : start + limit]
        more = start + limit < len(records)
        return 200, {
            "records": chunk,
            "limit": limit,
            "next_cursor": str(start + limit) if more else None,
        }
