"""A small client for PagerDuty's REST API (v2, and the v3 schedules it shares a host with).

It does what the commands need and no more: the token from the environment, sent only in the
``Authorization`` header and never logged or written anywhere; classic (``offset``/``limit``/
``more``) and cursor (``next_cursor``) pagination; ``429`` answered by waiting as ``Retry-After``
(or PagerDuty's ``ratelimit-reset``) says; ``5xx`` and network errors retried with a bounded,
jittered exponential back-off (the jitter comes from a seeded generator when one is given, so
tests are deterministic); ``401``/``403``/``404`` as one-line :class:`~oncall_planner.errors.APIError`
messages that say what to do. docs/architecture.md says why this is not PagerDuty's own
``pagerduty`` package.

Every response can be saved (:class:`Recorder`, ``--record DIR``) and served again
(:class:`ReplayTransport`, ``--replay DIR``): the request line and PagerDuty's answer, never a
header of the request, so a recording carries no token.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import json
import os
import random
import re
import time
import urllib.parse
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any, Protocol

import attrs

from oncall_planner.errors import APIError, OnCallPlannerError

#: PagerDuty's REST API in the US service region, and in the EU one.
DEFAULT_BASE_URL = "https://api.pagerduty.com"
EU_BASE_URL = "https://api.eu.pagerduty.com"
#: Where the token is read from, in order: the Terraform provider's own variables.
TOKEN_VARIABLES = ("PAGERDUTY_TOKEN", "PAGERDUTY_USER_TOKEN")
ACCEPT = "application/vnd.pagerduty+json;version=2"
USER_AGENT = "oncall-planner (+https://pypi.org/project/oncall-planner/)"
#: PagerDuty refuses ``offset + limit`` above this in classic pagination.
OFFSET_LIMIT = 10_000
_LOOPBACK = ("127.0.0.1", "localhost", "::1", "[::1]")

Params = Mapping[str, Any]


@attrs.frozen
class Response:
    """What PagerDuty answered: the status, the headers (names in lower case) and the body."""

    status: int
    headers: Mapping[str, str]
    body: bytes


class Transport(Protocol):
    """Sends one request; the real one is :class:`UrllibTransport`, :class:`ReplayTransport`
    serves a recording."""

    def send(
        self, method: str, url: str, headers: Mapping[str, str], body: bytes | None
    ) -> Response: ...


class UrllibTransport:
    """HTTP(S) through the standard library; nothing to install."""

    def __init__(self, timeout: float = 30.0) -> None:
        self.timeout = timeout

    def send(
        self, method: str, url: str, headers: Mapping[str, str], body: bytes | None
    ) -> Response:
        import urllib.error
        import urllib.request

        request = urllib.request.Request(url, data=body, headers=dict(headers), method=method)
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as answer:
                return Response(answer.status, _lower(answer.headers.items()), answer.read())
        except urllib.error.HTTPError as error:
            with error:
                return Response(error.code, _lower(error.headers.items()), error.read())


def _lower(items: Any) -> dict[str, str]:
    return {str(k).lower(): str(v) for k, v in items}


# ---------------------------------------------------------------------------------------------
# Recording and replay
# ---------------------------------------------------------------------------------------------

#: Response headers kept in a recording (the others say nothing a bug report needs).
_KEPT_HEADERS = ("retry-after", "ratelimit-reset", "content-type")


def _request_key(method: str, path: str, query: Sequence[tuple[str, str]]) -> str:
    return json.dumps([method, path, sorted(query)])


def _split(url: str) -> tuple[str, list[tuple[str, str]]]:
    parts = urllib.parse.urlsplit(url)
    return parts.path or "/", urllib.parse.parse_qsl(parts.query, keep_blank_values=True)


class Recorder:
    """Saves every response into ``folder``, one JSON file per request, numbered in order.

    A file holds the request line (method, path below the base URL, query) and the answer
    (status, the headers that matter, the body). Request headers are never saved, and any
    occurrence of the token in a body is replaced by ``<redacted>``, so a recording can be
    attached to a bug report as it is.
    """

    def __init__(self, folder: str | os.PathLike[str]) -> None:
        self.folder = Path(folder)
        self.count = 0

    def save(
        self,
        method: str,
        path: str,
        query: Sequence[tuple[str, str]],
        body: Any,
        response: Response,
        secret: str,
    ) -> None:
        self.count += 1
        slug = re.sub(r"[^A-Za-z0-9]+", "-", path).strip("-")[:60] or "root"
        try:
            decoded: Any = json.loads(response.body.decode("utf-8")) if response.body else None
        except (UnicodeDecodeError, json.JSONDecodeError):
            decoded = response.body.decode("utf-8", "replace")
        doc = {
            "request": {"method": method, "path": path, "query": sorted(query), "body": body},
            "response": {
                "status": response.status,
                "headers": {k: response.headers[k] for k in _KEPT_HEADERS if k in response.headers},
                "body": decoded,
            },
        }
        text = json.dumps(doc, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
        if secret:
            text = text.replace(secret, "<redacted>")
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            target = self.folder / f"{self.count:04d}-{method}-{slug}.json"
            target.write_text(text, encoding="utf-8")
        except OSError as error:
            raise OnCallPlannerError(
                f"--record {self.folder}: cannot write: {error.strerror or error}"
            ) from None


class NotRecordedError(APIError):
    """A replayed request that the recording does not hold. A recording made by an older
    oncall-planner lacks the calls it did not make (``/v3/schedules`` before shift-based schedules
    were verified): callers that can do without an answer catch this and say so."""


class ReplayTransport:
    """Serves the responses a :class:`Recorder` saved, for the same requests in any order (each
    recorded response is served once); a request the recording does not hold is an error."""

    def __init__(self, folder: str | os.PathLike[str]) -> None:
        self.folder = Path(folder)
        files = sorted(self.folder.glob("*.json")) if self.folder.is_dir() else []
        if not files:
            raise OnCallPlannerError(f"--replay {self.folder}: no recorded responses there")
        self.pending: dict[str, list[Response]] = {}
        for path in files:
            try:
                doc = json.loads(path.read_text(encoding="utf-8"))
                request, answer = doc["request"], doc["response"]
                key = _request_key(
                    request["method"], request["path"], [tuple(q) for q in request["query"]]
                )
                body = answer["body"]
                raw = b"" if body is None else json.dumps(body).encode("utf-8")
                response = Response(int(answer["status"]), dict(answer["headers"]), raw)
            except (OSError, ValueError, KeyError, TypeError) as error:
                raise OnCallPlannerError(
                    f"--replay {path}: not a recorded response ({type(error).__name__}: {error})"
                ) from None
            self.pending.setdefault(key, []).append(response)

    def send(
        self, method: str, url: str, headers: Mapping[str, str], body: bytes | None
    ) -> Response:
        path, query = _split(url)
        queue = self.pending.get(_request_key(method, path, query))
        if not queue:
            shown = path + ("?" + urllib.parse.urlencode(query) if query else "")
            raise NotRecordedError(
                f"the recording in {self.folder} has no response for {method} {shown}"
            )
        return queue.pop(0)


# ---------------------------------------------------------------------------------------------
# The client
# ---------------------------------------------------------------------------------------------

#: The permission (scoped OAuth scope) each family of paths needs, for 403 messages and docs.
SCOPES = (
    ("/users", "users.read"),
    ("/teams", "teams.read"),
    ("/v3/schedules", "schedules.read"),
    ("/schedules", "schedules.read"),
    ("/escalation_policies", "escalation_policies.read"),
    ("/incidents", "incidents.read"),
    ("/log_entries", "incidents.read"),
    ("/audit/records", "audit_records.read"),
)


def required_scope(method: str, path: str) -> str:
    """The scope PagerDuty wants for ``method path`` (``schedules.write`` to change overrides)."""
    for prefix, scope in SCOPES:
        if path.startswith(prefix):
            return scope if method == "GET" else scope.replace(".read", ".write")
    return "the matching read scope"


def token_from_environment(environ: Mapping[str, str] | None = None) -> str:
    """The API token of ``PAGERDUTY_TOKEN``, else ``PAGERDUTY_USER_TOKEN`` (the names the
    Terraform provider reads); an :class:`APIError` saying so when neither is set."""
    env = os.environ if environ is None else environ
    for name in TOKEN_VARIABLES:
        value = env.get(name, "").strip()
        if value:
            return value
    raise APIError(
        "no PagerDuty API token: set PAGERDUTY_TOKEN (or PAGERDUTY_USER_TOKEN) to an API key "
        "(read-only is enough except for 'overrides apply --yes'; see docs/pagerduty-api.md)"
    )


def base_url_from(value: str | None, environ: Mapping[str, str] | None = None) -> str:
    """``value`` checked, else the region of ``PAGERDUTY_SERVICE_REGION`` (``eu``), else the US
    API. ``https://`` only, except for a stand-in on this machine (``http://127.0.0.1:PORT``):
    the token must never cross a network in clear text."""
    env = os.environ if environ is None else environ
    if value is None:
        region = env.get("PAGERDUTY_SERVICE_REGION", "").strip().lower()
        if region in ("", "us"):
            return DEFAULT_BASE_URL
        if region == "eu":
            return EU_BASE_URL
        raise APIError(
            f"PAGERDUTY_SERVICE_REGION must be 'us' or 'eu', got {region!r}; or give --base-url"
        )
    parts = urllib.parse.urlsplit(value.strip())
    if parts.scheme not in ("https", "http") or not parts.hostname:
        raise APIError(f"--base-url must look like https://api.pagerduty.com, got {value!r}")
    if parts.scheme == "http" and parts.hostname not in _LOOPBACK:
        raise APIError(
            f"--base-url {value}: use https:// (plain http is only for a stand-in on this "
            "machine, 127.0.0.1 or localhost: the token must not cross a network in clear text)"
        )
    if parts.query or parts.fragment:
        raise APIError(f"--base-url must not have a query or fragment, got {value!r}")
    return value.strip().rstrip("/")


def _retry_after(headers: Mapping[str, str], now: float) -> float | None:
    """Seconds to wait from ``Retry-After`` (seconds or an HTTP date) or ``ratelimit-reset``."""
    value = headers.get("retry-after", "").strip()
    if value:
        if re.fullmatch(r"\d+(\.\d+)?", value):
            return float(value)
        try:
            when = email.utils.parsedate_to_datetime(value)
        except (TypeError, ValueError):
            when = None
        if when is not None:
            if when.tzinfo is None:
                when = when.replace(tzinfo=dt.timezone.utc)
            seconds: float = when.timestamp() - now
            return max(0.0, seconds)
    reset = headers.get("ratelimit-reset", "").strip()
    if re.fullmatch(r"\d+(\.\d+)?", reset):
        return float(reset)
    return None


def _one_line(text: str, limit: int = 300) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


class PagerDutyClient:
    """PagerDuty's REST API with ``token`` at ``base_url``.

    ``max_attempts`` bounds every request (429, 5xx and network errors included); the wait
    before retry ``n`` (from 0) of a 5xx or network error is ``backoff * 2**n`` seconds, at most
    ``max_wait``, times a jitter factor in [0.5, 1) drawn from ``random.Random(seed)``. A 429
    waits what ``Retry-After`` (or ``ratelimit-reset``) says, at most ``max_wait``. ``sleep`` and
    ``clock`` are ``time.sleep`` and ``time.time`` unless a test gives its own. ``recorder``
    saves every response (``--record``); ``transport`` replaces the network (``--replay``).
    """

    def __init__(
        self,
        token: str,
        base_url: str = DEFAULT_BASE_URL,
        *,
        max_attempts: int = 5,
        backoff: float = 1.0,
        max_wait: float = 60.0,
        seed: int | None = None,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.time,
        recorder: Recorder | None = None,
        transport: Transport | None = None,
        timeout: float = 30.0,
    ) -> None:
        if not isinstance(token, str) or not token.strip():
            raise APIError("the PagerDuty API token is empty")
        if max_attempts < 1:
            raise APIError(f"max_attempts must be at least 1, got {max_attempts}")
        self._token = token.strip()
        self.base_url = base_url_from(base_url)
        self.max_attempts = max_attempts
        self.backoff = backoff
        self.max_wait = max_wait
        self._random = random.Random(seed)
        self._sleep = sleep
        self._clock = clock
        self.recorder = recorder
        self.transport: Transport = transport or UrllibTransport(timeout)
        #: How many requests were sent and how long the client waited, for reports and tests.
        self.requests = 0
        self.waited = 0.0

    @classmethod
    def from_environment(
        cls,
        base_url: str | None = None,
        environ: Mapping[str, str] | None = None,
        **options: Any,
    ) -> PagerDutyClient:
        """A client with the token of ``PAGERDUTY_TOKEN`` (or ``PAGERDUTY_USER_TOKEN``) and the
        base URL of :func:`base_url_from`."""
        return cls(token_from_environment(environ), base_url_from(base_url, environ), **options)

    def __repr__(self) -> str:  # never the token
        return f"PagerDutyClient(base_url={self.base_url!r}, token=<hidden>)"

    # -- one request ------------------------------------------------------------------------

    def request(
        self, method: str, path: str, params: Params | None = None, body: Any = None
    ) -> Any:
        """The decoded JSON PagerDuty answers to ``method path`` (``None`` for an empty body).

        ``params`` values may be lists (sent as ``key[]=a&key[]=b`` when the key ends in
        ``[]``). Raises :class:`~oncall_planner.errors.APIError` with one line for every
        refusal, after the retries for 429, 5xx and network errors.
        """
        query = _query(params or {})
        url = self.base_url + path + ("?" + urllib.parse.urlencode(query) if query else "")
        shown = f"{method} {path}"
        headers = {
            "Authorization": f"Token token={self._token}",
            "Accept": ACCEPT,
            "User-Agent": USER_AGENT,
        }
        data = None
        if body is not None:
            headers["Content-Type"] = "application/json"
            data = json.dumps(body).encode("utf-8")
        for attempt in range(self.max_attempts):
            last = attempt == self.max_attempts - 1
            try:
                self.requests += 1
                response = self.transport.send(method, url, headers, data)
            except OSError as error:  # URLError, timeouts, refused connections
                reason = getattr(error, "reason", error)
                if last:
                    raise APIError(
                        f"cannot reach PagerDuty at {self.base_url} ({shown}): "
                        f"{_one_line(str(reason))}; tried {self.max_attempts} times"
                    ) from None
                self._wait(self._backoff(attempt))
                continue
            if self.recorder is not None:
                self.recorder.save(method, path, query, body, response, self._token)
            status = response.status
            if status == 429 and not last:
                wait = _retry_after(response.headers, self._clock())
                self._wait(min(self.max_wait, wait) if wait is not None else self._backoff(attempt))
                continue
            if status >= 500 and not last:
                self._wait(self._backoff(attempt))
                continue
            if 200 <= status < 300:
                return self._decode(response, shown)
            raise self._error(method, path, response)
        raise AssertionError("unreachable")  # pragma: no cover

    def _backoff(self, attempt: int) -> float:
        base: float = min(self.max_wait, self.backoff * 2.0**attempt)
        return base * (0.5 + 0.5 * self._random.random())

    def _wait(self, seconds: float) -> None:
        self.waited += seconds
        if seconds > 0:
            self._sleep(seconds)

    def _decode(self, response: Response, shown: str) -> Any:
        if not response.body.strip():
            return None
        try:
            return json.loads(response.body.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError):
            raise APIError(
                f"PagerDuty's answer to {shown} is not JSON (status {response.status}); is "
                f"{self.base_url} PagerDuty's API?",
                response.status,
            ) from None

    def _detail(self, response: Response) -> str:
        try:
            doc = json.loads(response.body.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError):
            return ""
        error = doc.get("error") if isinstance(doc, dict) else None
        if not isinstance(error, dict):
            return ""
        parts = [str(error.get("message") or "")]
        errors = error.get("errors")
        if isinstance(errors, list):
            parts.extend(str(e) for e in errors)
        elif isinstance(errors, dict):
            parts.extend(f"{k}: {v}" for k, v in sorted(errors.items()))
        text = _one_line("; ".join(p for p in parts if p))
        return text.replace(self._token, "<redacted>") if self._token else text

    def _error(self, method: str, path: str, response: Response) -> APIError:
        status = response.status
        shown = f"{method} {path}"
        detail = self._detail(response)
        said = f" ({detail})" if detail else ""
        if status == 401:
            return APIError(
                f"PagerDuty refused the API token (401 Unauthorized on {shown}): check "
                "PAGERDUTY_TOKEN, and the region (EU accounts: --base-url "
                f"{EU_BASE_URL})",
                status,
            )
        if status == 403:
            return APIError(
                f"PagerDuty refused {shown} (403 Forbidden): the token lacks the permission "
                f"'{required_scope(method, path)}'{said}; see docs/pagerduty-api.md",
                status,
            )
        if status == 404:
            return APIError(
                f"PagerDuty has no {_what(path)} (404 Not Found on {shown}){said}", status
            )
        if status == 429:
            return APIError(
                f"PagerDuty kept rate-limiting {shown} (429 Too Many Requests) after "
                f"{self.max_attempts} attempts; try again in a minute",
                status,
            )
        if status >= 500:
            return APIError(
                f"PagerDuty answered {status} to {shown} {self.max_attempts} times; try again "
                "later",
                status,
            )
        return APIError(f"PagerDuty answered {status} to {shown}{said}", status)

    def get(self, path: str, params: Params | None = None) -> Any:
        return self.request("GET", path, params)

    def post(self, path: str, body: Any, params: Params | None = None) -> Any:
        return self.request("POST", path, params, body)

    def delete(self, path: str) -> Any:
        return self.request("DELETE", path)

    # -- pagination -------------------------------------------------------------------------

    def iter_all(
        self, path: str, key: str, params: Params | None = None, limit: int = 100
    ) -> Iterator[dict[str, Any]]:
        """Every item of a classically paginated list (``offset``/``limit``/``more``), as the
        objects under ``key``. The offset advances by the number of items received, so a server
        that gives fewer than asked loses nothing; past PagerDuty's cap of 10,000 it is an
        error (narrow the query) rather than a silent truncation."""
        offset = 0
        while True:
            if offset + limit > OFFSET_LIMIT:
                raise APIError(
                    f"GET {path} has more than {OFFSET_LIMIT} items, PagerDuty's limit for one "
                    "listing: narrow it (a shorter window, --team or --schedule)"
                )
            doc = self.get(path, {**(params or {}), "limit": limit, "offset": offset})
            items = _items(doc, key, path)
            yield from items
            if not (isinstance(doc, dict) and doc.get("more")) or not items:
                return
            offset += len(items)

    def iter_cursor(
        self, path: str, key: str, params: Params | None = None, limit: int = 100
    ) -> Iterator[dict[str, Any]]:
        """Every item of a cursor-paginated list (``cursor`` in, ``next_cursor`` out)."""
        cursor: str | None = None
        while True:
            query = {**(params or {}), "limit": limit}
            if cursor:
                query["cursor"] = cursor
            doc = self.get(path, query)
            yield from _items(doc, key, path)
            cursor = doc.get("next_cursor") if isinstance(doc, dict) else None
            if not cursor:
                return


def _query(params: Params) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    for name, value in params.items():
        if value is None:
            continue
        values = value if isinstance(value, (list, tuple)) else [value]
        for item in values:
            text = ("true" if item else "false") if isinstance(item, bool) else str(item)
            out.append((name, text))
    return out


def _items(doc: Any, key: str, path: str) -> list[dict[str, Any]]:
    items = doc.get(key) if isinstance(doc, dict) else None
    if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
        raise APIError(f"PagerDuty's answer to GET {path} has no list of objects '{key}'")
    return items


def _what(path: str) -> str:
    """``schedule PABC123`` for ``/schedules/PABC123``: what a 404 did not find."""
    parts = [p for p in path.split("/") if p and p != "v3"]
    names = {
        "users": "user",
        "teams": "team",
        "schedules": "schedule",
        "escalation_policies": "escalation policy",
        "incidents": "incident",
        "overrides": "override",
    }
    for i in range(len(parts) - 1, 0, -1):
        if parts[i - 1] in names:
            return f"{names[parts[i - 1]]} {parts[i]}"
    return path
