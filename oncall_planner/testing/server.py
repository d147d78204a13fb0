"""A stand-in for PagerDuty's REST API on 127.0.0.1, for tests and the demo.

:class:`PagerDutyStandIn` serves an account (a dict in PagerDuty's own shapes, as the published
OpenAPI schema describes them) over real HTTP on a free port of this machine, so the client runs
unmodified against it through its base URL. It implements the calls oncall-planner makes:

- ``GET /users``, ``/teams``, ``/schedules``, ``/escalation_policies``, ``/incidents``,
  ``/incidents/{id}/log_entries``, ``/v3/schedules`` with classic pagination (``limit`` up to
  100, ``offset``, ``more``, ``total``; ``offset + limit`` over 10,000 is a 400) and the filters
  ``query`` and ``team_ids[]``; ``GET /audit/records`` with cursor pagination;
- ``GET /v3/schedules/{id}`` with its rotations and events (or, when the account says
  ``"v3_events_apart": true``, rotations without them, read from ``/rotations/{id}/events``), and
  with ``include[]=final_schedule&since&until`` the ``final_schedule`` rendered by a renderer of
  its own (:mod:`~oncall_planner.testing.render_v3`) that expands one occurrence at a time with
  python-dateutil (the account's
  ``"v3_rendering"`` may make it stretch occurrences on the wall clock, to stand for a PagerDuty
  that disagrees); ``/custom_shifts`` and ``/overrides`` of a window (``since`` and ``until``
  required, as the schema says);
- ``GET /schedules/{id}`` with layers newest first, as PagerDuty lists them, and with
  ``since``/``until`` each layer's ``rendered_schedule_entries``, the ``final_schedule`` and the
  ``overrides_subschedule``, rendered by a minute-by-minute renderer of its own
  (:mod:`~oncall_planner.testing.render_v2`, independent of :mod:`oncall_planner.render`), or
  taken from the account's ``rendered`` entries when a fixture gives them (to stand for a
  PagerDuty that disagrees);
- ``GET``/``POST /schedules/{id}/overrides`` (the batch form, one status per override) and
  ``DELETE /schedules/{id}/overrides/{id}`` (an override in progress is cut at ``now``: 200);
- IDs in paths percent-decoded, one segment each;
- ``Authorization: Token token=…`` checked (401), scopes per token (403), unknown IDs (404), and
  failures on demand: :meth:`PagerDutyStandIn.fail_next` answers the next requests with 429 and
  ``Retry-After`` (or ``ratelimit-reset``), or a 5xx.

:func:`~oncall_planner.testing.account.account_from_plan` builds such an account from an
:class:`~oncall_planner.OnCallPlan`, with IDs derived from names, so the same plan always gives
the same account.
"""

from __future__ import annotations

import datetime as dt
import http.server
import json
import re
import threading
import urllib.parse
from collections.abc import Iterable, Mapping
from typing import Any
from zoneinfo import ZoneInfo

from oncall_planner.testing._common import SELF, UTC, _iana, _iso, _parse, _ref
from oncall_planner.testing.render_v2 import render_schedule
from oncall_planner.testing.render_v3 import render_v3_schedule

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


def _clip(
    entries: Iterable[Mapping[str, Any]], since: dt.datetime, until: dt.datetime
) -> list[dict[str, Any]]:
    out = []
    for e in entries:
        start, end = max(_parse(e["start"]), since), min(_parse(e["end"]), until)
        if start < end:
            out.append({**e, "start": _iso(start), "end": _iso(end)})
    return out


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
        (
            "GET",
            r"/v3/schedules/(?P<id>[^/]+)/rotations/(?P<rid>[^/]+)/events",
            "list_v3_events",
            "schedules.read",
        ),
        (
            "GET",
            r"/v3/schedules/(?P<id>[^/]+)/custom_shifts",
            "list_v3_custom_shifts",
            "schedules.read",
        ),
        ("GET", r"/v3/schedules/(?P<id>[^/]+)/overrides", "list_v3_overrides", "schedules.read"),
        ("GET", r"/audit/records", "list_audit", "audit_records.read"),
    ]
]


class _Answer(Exception):  # noqa: N818 (an answer to send, not an error)
    def __init__(self, status: int, body: Any = None, headers: Mapping[str, str] | None = None):
        self.status, self.body, self.headers = status, body, dict(headers or {})


def _v3_error(
    status: int,
    message: str,
    errors: Mapping[str, list[str]] | None = None,
    code: int = 2001,
) -> _Answer:
    """An error in the v3 API's shape: ``errors`` maps a field to its messages."""
    body: dict[str, Any] = {"error": {"message": message, "code": code}}
    if errors:
        body["error"]["errors"] = dict(errors)
    return _Answer(status, body)


def _error(status: int, message: str, code: int, *errors: str) -> _Answer:
    body: dict[str, Any] = {"error": {"message": message, "code": code}}
    if errors:
        body["error"]["errors"] = list(errors)
    return _Answer(status, body)


class PagerDutyStandIn:
    """``with PagerDutyStandIn(account, {token: scopes}) as pd: ...`` serves ``account`` at
    ``pd.base_url`` (``http://127.0.0.1:PORT``). ``tokens`` maps each accepted API key
    (``Authorization: Token token=…``) to its scopes (``None``: all of them); ``oauth_tokens``
    the same for OAuth access tokens (``Authorization: Bearer …``). ``now`` is the clock for deleting overrides in progress.
    ``requests`` logs ``(method, path, query)`` of every request (never a header)."""

    def __init__(
        self,
        account: Mapping[str, Any],
        tokens: Mapping[str, frozenset[str] | None],
        now: dt.datetime | None = None,
        oauth_tokens: Mapping[str, frozenset[str] | None] | None = None,
    ) -> None:
        self.account = json.loads(json.dumps(account))  # a private copy it may change
        self.account.setdefault("overrides", {})
        self.tokens = dict(tokens)
        self.oauth_tokens = dict(oauth_tokens or {})
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
        scopes_of: dict[str, frozenset[str] | None] = {}
        token = None
        if authorization.startswith("Token token="):
            token, scopes_of = authorization.removeprefix("Token token="), self.tokens
        elif authorization.startswith("Bearer "):
            token, scopes_of = authorization.removeprefix("Bearer "), self.oauth_tokens
        if token is None or token not in scopes_of:
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
                scopes = scopes_of[token]
                if scopes is not None and scope not in scopes:
                    raise _error(403, "Access Denied", 2010, f"the token lacks {scope}")
                body = json.loads(raw.decode("utf-8")) if raw else None
                ids = {k: urllib.parse.unquote(v) for k, v in match.groupdict().items()}
                status, answer = getattr(self, handler)(query, body, **ids)
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

    def _v3_doc(self, id: str) -> dict[str, Any]:
        for item in self.account.get("v3_schedules") or []:
            if item.get("id") == id:
                return item  # type: ignore[no-any-return]
        if any(s.get("id") == id for s in self.account.get("schedules") or []):
            raise _v3_error(
                400, "This is a layer-based schedule. Use the v2 Schedules API to access it."
            )
        raise _v3_error(404, "Not Found", code=2100)

    def _v3_window(self, query: Mapping[str, list[str]]) -> tuple[dt.datetime, dt.datetime]:
        since, until = self._one(query, "since"), self._one(query, "until")
        missing = [n for n, v in (("since", since), ("until", until)) if not v]
        if missing:
            raise _v3_error(400, "Invalid Input Provided", {n: ["is required"] for n in missing})
        try:
            start, end = _parse(str(since)), _parse(str(until))
        except ValueError:
            raise _v3_error(
                400, "Invalid Input Provided", {"since": ["must be an ISO 8601 date-time"]}
            ) from None
        if end <= start:
            raise _v3_error(400, "Invalid Input Provided", {"until": ["must be after since"]})
        return start, end

    def _v3_items(self, kind: str, id: str, query: Any) -> list[dict[str, Any]]:
        """The custom shifts or overrides of schedule ``id`` that meet the window."""
        self._v3_doc(id)
        since, until = self._v3_window(query)
        return [
            item
            for item in (self.account.get(kind) or {}).get(id, [])
            if _parse(item["start_time"]) < until and since < _parse(item["end_time"])
        ]

    def get_v3(self, query: Any, body: Any, id: str) -> tuple[int, Any]:
        doc = json.loads(json.dumps(self._v3_doc(id)))
        full = json.loads(json.dumps(doc))  # what is rendered, whatever is shown
        if self.account.get("v3_events_apart"):  # rotations listed without their events
            for rotation in doc.get("rotations") or []:
                rotation.pop("events", None)
        include = query.get("include[]") or []
        if any(value != "final_schedule" for value in include):
            raise _v3_error(400, "Invalid Input Provided", {"include": ["must be final_schedule"]})
        if include and (self._one(query, "since") or self._one(query, "until")):
            since, until = self._v3_window(query)
            zone = self._one(query, "time_zone") or doc["time_zone"]
            doc["final_schedule"] = render_v3_schedule(
                full,
                (self.account.get("v3_custom_shifts") or {}).get(id, []),
                (self.account.get("v3_overrides") or {}).get(id, []),
                since,
                until,
                self.account.get("v3_rendering"),
                overflow=self._one(query, "overflow") == "true",
                tz=ZoneInfo(_iana(zone)),
            )
        return 200, {"schedule": doc}

    def list_v3_events(self, query: Any, body: Any, id: str, rid: str) -> tuple[int, Any]:
        for rotation in self._v3_doc(id).get("rotations") or []:
            if rotation.get("id") == rid:
                return self._page(query, "events", list(rotation.get("events") or []))
        raise _v3_error(404, "Not Found", code=2100)

    def list_v3_custom_shifts(self, query: Any, body: Any, id: str) -> tuple[int, Any]:
        return self._page(query, "custom_shifts", self._v3_items("v3_custom_shifts", id, query))

    def list_v3_overrides(self, query: Any, body: Any, id: str) -> tuple[int, Any]:
        return self._page(query, "overrides", self._v3_items("v3_overrides", id, query))

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
