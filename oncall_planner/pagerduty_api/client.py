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

import contextlib
import datetime as dt
import email.utils
import http.client
import json
import math
import os
import random
import re
import socket
import ssl
import stat
import threading
import time
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any, Protocol

import attrs

from oncall_planner.errors import APIError, OnCallPlannerError

#: PagerDuty's REST API in the US service region, and in the EU one.
DEFAULT_BASE_URL = "https://api.pagerduty.com"
EU_BASE_URL = "https://api.eu.pagerduty.com"
#: Where the token is read from, in order: the Terraform provider's own variables.
TOKEN_VARIABLES = ("PAGERDUTY_TOKEN", "PAGERDUTY_USER_TOKEN")
#: Where an OAuth access token is read from when neither of :data:`TOKEN_VARIABLES` is set.
OAUTH_TOKEN_VARIABLE = "PAGERDUTY_OAUTH_TOKEN"
ACCEPT = "application/vnd.pagerduty+json;version=2"
USER_AGENT = "oncall-planner (+https://pypi.org/project/oncall-planner/)"
#: PagerDuty refuses ``offset + limit`` above this in classic pagination.
OFFSET_LIMIT = 10_000
#: The largest answer read (a page of 100 schedules with a month of rendered entries is a few
#: MB), and the longest one answer may take to arrive, however slowly its bytes trickle in.
MAX_BYTES = 64_000_000
DEADLINE = 120.0
_LOOPBACK = ("127.0.0.1", "localhost", "::1", "[::1]")
#: What an API key or OAuth token is made of: visible ASCII, nothing a header could not carry.
_TOKEN_CHARACTERS = re.compile(r"[\x21-\x7e]+")

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


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    """Redirects are answers, never followed: urllib would send every request header, the
    ``Authorization`` with the token included, to whatever host a ``Location`` names."""

    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


class _WatchedHTTPHandler(urllib.request.HTTPHandler):
    """Plain http (a stand-in on 127.0.0.1), with each connection listed for the deadline."""

    def __init__(self, connections: list[http.client.HTTPConnection]) -> None:
        super().__init__()
        self._connections = connections

    def http_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
        def make(*args: Any, **kwargs: Any) -> http.client.HTTPConnection:
            connection = http.client.HTTPConnection(*args, **kwargs)
            self._connections.append(connection)
            return connection

        return self.do_open(make, req)


class _WatchedHTTPSHandler(urllib.request.HTTPSHandler):
    """https with the default certificate checks, each connection listed for the deadline."""

    def __init__(self, connections: list[http.client.HTTPConnection]) -> None:
        super().__init__()
        self._connections = connections
        self._tls = ssl.create_default_context()

    def https_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
        def make(*args: Any, **kwargs: Any) -> http.client.HTTPConnection:
            connection = http.client.HTTPSConnection(*args, **kwargs)
            self._connections.append(connection)
            return connection

        return self.do_open(make, req, context=self._tls)


class UrllibTransport:
    """HTTP(S) through the standard library; nothing to install. A redirect is returned as it
    came (the client refuses it), never followed.

    ``timeout`` bounds each wait on the socket; ``deadline`` the whole answer (a server that
    sends a byte now and then never trips the first), and ``max_bytes`` its size: past it the
    answer is refused unread (:class:`ResponseTooLargeError`), past the deadline it is a
    :class:`TimeoutError`, which the client retries like any network error."""

    def __init__(
        self, timeout: float = 30.0, max_bytes: int = MAX_BYTES, deadline: float = DEADLINE
    ) -> None:
        self.timeout = timeout
        self.max_bytes = max_bytes
        self.deadline = deadline
        self._connections: list[http.client.HTTPConnection] = []
        self._opener = urllib.request.build_opener(
            _NoRedirects(),
            _WatchedHTTPHandler(self._connections),
            _WatchedHTTPSHandler(self._connections),
        )

    def send(
        self, method: str, url: str, headers: Mapping[str, str], body: bytes | None
    ) -> Response:
        import urllib.error

        until = time.monotonic() + self.deadline
        request = urllib.request.Request(url, data=body, headers=dict(headers), method=method)
        # The socket timeout bounds each wait, not the whole: a server may trickle the status
        # line and headers a byte at a time. At the deadline the connection is cut.
        expired = threading.Event()
        self._connections.clear()
        timer = threading.Timer(self.deadline, self._cut, (expired,))
        timer.daemon = True
        timer.start()
        try:
            try:
                with self._opener.open(request, timeout=self.timeout) as answer:
                    data = self._read(answer, until)
                    got = Response(answer.status, _lower(answer.headers.items()), data)
            except urllib.error.HTTPError as error:
                with error:
                    data = self._read(error, until)
                    got = Response(error.code, _lower(error.headers.items()), data)
        except (OSError, http.client.HTTPException):
            if expired.is_set():
                raise TimeoutError(f"the answer took longer than {self.deadline:g} s") from None
            raise
        finally:
            timer.cancel()
            self._connections.clear()
        if expired.is_set():  # cut short, though it may look whole
            raise TimeoutError(f"the answer took longer than {self.deadline:g} s")
        return got

    def _cut(self, expired: threading.Event) -> None:
        expired.set()
        for connection in list(self._connections):
            sock = connection.sock
            if sock is not None:
                with contextlib.suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)

    def _read(self, stream: Any, until: float) -> bytes:
        read = getattr(stream, "read1", None) or stream.read
        chunks: list[bytes] = []
        size = 0
        while True:
            chunk = read(65536)
            if not chunk:
                promised = str(stream.headers.get("Content-Length") or "").strip()
                if promised.isdigit() and size < int(promised):
                    raise ConnectionError(f"the answer stopped after {size} of {promised} bytes")
                return b"".join(chunks)
            size += len(chunk)
            if size > self.max_bytes:
                raise ResponseTooLargeError(
                    f"PagerDuty's answer is larger than {_megabytes(self.max_bytes)}; not read "
                    "further (narrow the query: a shorter window, --schedule or --team)"
                )
            if time.monotonic() > until:
                raise TimeoutError(f"the answer took longer than {self.deadline:g} s")
            chunks.append(chunk)


class ResponseTooLargeError(APIError):
    """An answer over the transport's ``max_bytes``: refused, never retried."""


def _megabytes(count: int) -> str:
    return f"{count / 1_000_000:g} MB"


def _lower(items: Any) -> dict[str, str]:
    return {str(k).lower(): str(v) for k, v in items}


class NotJSONError(ValueError):
    """Bytes that are not JSON as RFC 8259 has it: not UTF-8, not the grammar, nested too deep,
    ``NaN`` or ``Infinity`` (Python's ``json`` reads them; PagerDuty never writes them), a number
    no float can hold (``1e999``), or an integer longer than Python converts (4,300 digits)."""


def _refuse_constant(name: str) -> Any:
    raise NotJSONError(f"{name} is not a JSON value")


def _finite(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise NotJSONError(f"{text[:20]} is too large for a number")
    return value


def loads(raw: bytes) -> Any:
    """The JSON value of an answer's bytes, or a :class:`NotJSONError`."""
    try:
        return json.loads(raw.decode("utf-8"), parse_constant=_refuse_constant, parse_float=_finite)
    except (ValueError, RecursionError) as error:  # UnicodeDecodeError is a ValueError too
        raise NotJSONError(str(error)[:100]) from None


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
    """Saves every response into ``folder``, one JSON file per request, numbered in order (after
    the files of an earlier recording into the same folder).

    A file holds the request line (method, path below the base URL, query) and the answer
    (status, the headers that matter, the body). Request headers are never saved, and any
    occurrence of the token in a body is replaced by ``<redacted>``, so a recording can be
    attached to a bug report as it is.
    """

    def __init__(self, folder: str | os.PathLike[str]) -> None:
        self.folder = Path(folder)
        # numbered on from a recording already there (``pull --record rec`` then ``verify
        # --record rec``), never over it: replaying the folder serves both runs' answers
        numbers = [
            int(match.group(1))
            for name in (os.listdir(self.folder) if self.folder.is_dir() else ())
            if (match := re.match(r"(\d{4,})-", name))
        ]
        self.count = max(numbers, default=0)

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
            decoded: Any = loads(response.body) if response.body else None
        except NotJSONError:
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
            # as written, and as JSON writes it (a token with a quote or a backslash is escaped)
            for form in (secret, json.dumps(secret, ensure_ascii=False)[1:-1]):
                text = text.replace(form, "<redacted>")
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            target = self.folder / f"{self.count:04d}-{method}-{slug}.json"
            # "x": a new file or an error, never through a link or over a file that appeared
            # since the folder was listed (O_CREAT | O_EXCL does not follow a symbolic link)
            with target.open("x", encoding="utf-8") as handle:
                handle.write(text)
        except FileExistsError:
            raise OnCallPlannerError(
                f"--record {self.folder}: {target.name} appeared while recording (another "
                "run writing the same folder, or a link); record into a folder of its own"
            ) from None
        except OSError as error:
            raise OnCallPlannerError(
                f"--record {self.folder}: cannot write: {error.strerror or error}"
            ) from None


class MaybeDoneError(APIError):
    """A POST that got a 5xx or no answer: PagerDuty may have done it all the same, so it was
    not sent again (a second POST could make a second override)."""


class NotRecordedError(APIError):
    """A replayed request that the recording does not hold. A recording made by an older
    oncall-planner lacks the calls it did not make (``/v3/schedules`` before shift-based schedules
    were verified): callers that can do without an answer catch this and say so."""


def _recorded_text(path: Path, root: Path) -> str:
    """The text of one file of a recording. A recording may come from someone else (a bug
    report): a link out of its folder is not followed, a FIFO or device not opened, a file over
    :data:`MAX_BYTES` not read."""
    real = Path(os.path.realpath(path))
    if root not in real.parents:
        raise OnCallPlannerError(
            f"--replay {path}: leads outside the folder {root} (a symbolic link?); not read"
        )
    info = real.stat()
    if not stat.S_ISREG(info.st_mode):
        raise OnCallPlannerError(f"--replay {path}: not a file (a FIFO or a device?); not read")
    if info.st_size > MAX_BYTES:
        raise OnCallPlannerError(
            f"--replay {path}: larger than {_megabytes(MAX_BYTES)}, no recorded answer is; not read"
        )
    return real.read_text(encoding="utf-8")


class ReplayTransport:
    """Serves the responses a :class:`Recorder` saved, for the same requests in any order (each
    recorded response is served once); a request the recording does not hold is an error."""

    def __init__(self, folder: str | os.PathLike[str]) -> None:
        self.folder = Path(folder)
        files = sorted(self.folder.glob("*.json")) if self.folder.is_dir() else []
        if not files:
            raise OnCallPlannerError(f"--replay {self.folder}: no recorded responses there")
        self.pending: dict[str, list[Response]] = {}
        root = Path(os.path.realpath(self.folder))
        for path in files:
            try:
                doc = json.loads(_recorded_text(path, root))
                request, answer = doc["request"], doc["response"]
                key = _request_key(
                    request["method"], request["path"], [tuple(q) for q in request["query"]]
                )
                body = answer["body"]
                raw = b"" if body is None else json.dumps(body).encode("utf-8")
                response = Response(int(answer["status"]), dict(answer["headers"]), raw)
            except (OSError, ValueError, KeyError, TypeError, RecursionError) as error:
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
    token, oauth = credentials_from_environment(environ)
    if oauth:
        raise APIError(f"{OAUTH_TOKEN_VARIABLE} holds an OAuth token, not an API key")
    return token


def credentials_from_environment(environ: Mapping[str, str] | None = None) -> tuple[str, bool]:
    """``(token, oauth)``: the API key of ``PAGERDUTY_TOKEN``, else ``PAGERDUTY_USER_TOKEN``
    (``oauth`` false), else the OAuth access token of ``PAGERDUTY_OAUTH_TOKEN`` (``oauth``
    true); an :class:`APIError` saying so when none is set."""
    env = os.environ if environ is None else environ
    for name in TOKEN_VARIABLES:
        value = env.get(name, "").strip()
        if value:
            return value, False
    value = env.get(OAUTH_TOKEN_VARIABLE, "").strip()
    if value:
        return value, True
    raise APIError(
        "no PagerDuty API token: set PAGERDUTY_TOKEN (or PAGERDUTY_USER_TOKEN) to an API key, or "
        "PAGERDUTY_OAUTH_TOKEN to a scoped OAuth access token (read-only is enough except for "
        "'overrides apply --yes'; see docs/pagerduty-api.md)"
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
    # What is refused is never echoed whole: a token pasted as the URL (or in its query, or
    # before an '@') would end up in a terminal or a CI log.
    try:
        parts = urllib.parse.urlsplit(value.strip())
        _ = parts.port  # a port that is not a number, or out of range, raises
    except ValueError:
        raise APIError(
            "--base-url is not a URL (a bracket or the port is wrong); give it as "
            "https://api.pagerduty.com"
        ) from None
    if parts.username is not None or parts.password is not None:
        raise APIError(
            "--base-url must not hold a user name or password (the token comes from "
            "PAGERDUTY_TOKEN); give it as https://api.pagerduty.com"
        )
    if parts.scheme not in ("https", "http") or not parts.hostname:
        raise APIError(
            "--base-url must look like https://api.pagerduty.com (a scheme and a host; the "
            "token goes in PAGERDUTY_TOKEN, never in an option)"
        )
    host = f"{parts.scheme}://{parts.netloc}"
    if parts.scheme == "http" and parts.hostname not in _LOOPBACK:
        raise APIError(
            f"--base-url {host}: use https:// (plain http is only for a stand-in on this "
            "machine, 127.0.0.1 or localhost: the token must not cross a network in clear text)"
        )
    if parts.query or parts.fragment:
        raise APIError(f"--base-url {host}...: must not have a query or fragment")
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
    """PagerDuty's REST API with ``token`` at ``base_url``: an API key, sent as
    ``Authorization: Token token=…``, or with ``oauth=True`` an OAuth access token, sent as
    ``Authorization: Bearer …``.

    ``max_attempts`` bounds every request (429, 5xx and network errors included); the wait
    before retry ``n`` (from 0) of a 5xx or network error is ``backoff * 2**n`` seconds, at most
    ``max_wait``, times a jitter factor in [0.5, 1) drawn from ``random.Random(seed)``. A 429
    waits what ``Retry-After`` (or ``ratelimit-reset``) says, at most ``max_wait``. ``sleep`` and
    ``clock`` are ``time.sleep`` and ``time.time`` unless a test gives its own. ``recorder``
    saves every response (``--record``); ``transport`` replaces the network (``--replay``).
    ``timeout``, ``max_bytes`` and ``deadline`` bound each answer (see :class:`UrllibTransport`).
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
        max_bytes: int = MAX_BYTES,
        deadline: float = DEADLINE,
        oauth: bool = False,
    ) -> None:
        if not isinstance(token, str) or not token.strip():
            raise APIError("the PagerDuty API token is empty")
        if not _TOKEN_CHARACTERS.fullmatch(token.strip()):
            # never sent: http.client would refuse it with the token in its message
            raise APIError(
                "the PagerDuty API token has a character no API key has (a space, a line "
                "break, a control or non-ASCII character): check PAGERDUTY_TOKEN"
            )
        if max_attempts < 1:
            raise APIError(f"max_attempts must be at least 1, got {max_attempts}")
        self._token = token.strip()
        self._authorization = f"Bearer {self._token}" if oauth else f"Token token={self._token}"
        self.base_url = base_url_from(base_url)
        self.max_attempts = max_attempts
        self.backoff = backoff
        self.max_wait = max_wait
        self._random = random.Random(seed)
        self._sleep = sleep
        self._clock = clock
        self.recorder = recorder
        self.transport: Transport = transport or UrllibTransport(timeout, max_bytes, deadline)
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
        """A client with the token of :func:`credentials_from_environment` (``PAGERDUTY_TOKEN``,
        ``PAGERDUTY_USER_TOKEN`` or ``PAGERDUTY_OAUTH_TOKEN``) and the base URL of
        :func:`base_url_from`."""
        token, oauth = credentials_from_environment(environ)
        return cls(token, base_url_from(base_url, environ), oauth=oauth, **options)

    def __repr__(self) -> str:  # never the token
        return f"PagerDutyClient(base_url={self.base_url!r}, token=<hidden>)"

    # -- one request ------------------------------------------------------------------------

    def request(
        self, method: str, path: str, params: Params | None = None, body: Any = None
    ) -> Any:
        """The decoded JSON PagerDuty answers to ``method path`` (``None`` for an empty body).

        ``params`` values may be lists (sent as ``key[]=a&key[]=b`` when the key ends in
        ``[]``). Raises :class:`~oncall_planner.errors.APIError` with one line for every
        refusal, after the retries for 429, 5xx and network errors (a POST is sent again only
        after a 429: after a 5xx or no answer it may have been done).
        """
        query = _query(params or {})
        url = self.base_url + path + ("?" + urllib.parse.urlencode(query) if query else "")
        shown = f"{method} {path}"
        headers = {
            "Authorization": self._authorization,
            "Accept": ACCEPT,
            "User-Agent": USER_AGENT,
        }
        data = None
        if body is not None:
            headers["Content-Type"] = "application/json"
            data = json.dumps(body).encode("utf-8")
        # A POST that got no answer, or a 5xx, may have been done all the same: sending it again
        # could make a second override. Only a 429 (refused before any work) is sent again.
        again = method != "POST"
        for attempt in range(self.max_attempts):
            last = attempt == self.max_attempts - 1
            try:
                self.requests += 1
                response = self.transport.send(method, url, headers, data)
            except (OSError, http.client.HTTPException) as error:
                # URLError, timeouts, refused connections, answers cut short or garbled
                reason = _one_line(str(getattr(error, "reason", error)))
                if not again:
                    raise MaybeDoneError(
                        f"no answer from PagerDuty at {self.base_url} to {shown} ({reason}): it "
                        "may or may not have been done, so it was not sent again"
                    ) from None
                if last:
                    raise APIError(
                        f"cannot reach PagerDuty at {self.base_url} ({shown}): "
                        f"{reason}; tried {self.max_attempts} times"
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
            if status >= 500 and not again:
                raise MaybeDoneError(
                    f"PagerDuty answered {status} to {shown}: it may or may not have been done, "
                    "so it was not sent again",
                    status,
                )
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
            return loads(response.body)
        except NotJSONError:
            raise APIError(
                f"PagerDuty's answer to {shown} is not JSON (status {response.status}); is "
                f"{self.base_url} PagerDuty's API?",
                response.status,
            ) from None

    def _detail(self, response: Response) -> str:
        try:
            doc = loads(response.body)
        except NotJSONError:
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
        if 300 <= status < 400:
            where = urllib.parse.urlsplit(response.headers.get("location", ""))
            to = f" to {where.scheme}://{where.netloc}" if where.scheme and where.netloc else ""
            return APIError(
                _one_line(
                    f"PagerDuty answered {status} to {shown}, a redirect{to}; not followed: the "
                    f"token is only ever sent to {self.base_url} (check --base-url)"
                ).replace(self._token, "<redacted>"),
                status,
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
        """Every item of a cursor-paginated list (``cursor`` in, ``next_cursor`` out); a cursor
        given twice is an :class:`APIError` (the listing would never end)."""
        cursor: str | None = None
        followed: set[str] = set()
        while True:
            query = {**(params or {}), "limit": limit}
            if cursor:
                query["cursor"] = cursor
            doc = self.get(path, query)
            yield from _items(doc, key, path)
            cursor = doc.get("next_cursor") if isinstance(doc, dict) else None
            if not cursor:
                return
            cursor = str(cursor)
            if cursor in followed:
                # a server that hands out a cursor again would keep the listing going forever
                raise APIError(
                    f"PagerDuty's answer to GET {path} gave a next_cursor it had given before; "
                    "the listing stops there rather than go round for ever"
                )
            followed.add(cursor)


def api_path(*parts: object) -> str:
    """``/schedules/PX/overrides`` from its segments, each percent-encoded as one segment.

    IDs come from PagerDuty's answers, the command line and the ledger file: an ID with ``/``,
    ``?``, ``#`` or ``%`` must never turn into another path or a query (``..`` could make
    ``DELETE /schedules/S/overrides/../../users/U`` out of a ledger line). An empty ID, ``.``
    and ``..`` are no path segment at all and are refused."""
    segments = []
    for part in parts:
        text = str(part)
        if text in ("", ".", ".."):
            raise APIError(f"{text!r} is not a PagerDuty ID")
        segments.append(urllib.parse.quote(text, safe=""))
    return "/" + "/".join(segments)


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


def items_of(doc: Any, key: str, path: str) -> list[dict[str, Any]]:
    """The list of objects under ``key`` of an answer that is not paginated (``GET
    /schedules/{id}/overrides``); an :class:`APIError` when it is anything else."""
    return _items(doc, key, path)


def ids_of(items: Iterable[Mapping[str, Any]]) -> list[str]:
    """The ``id`` of each listed object that has one (a string); others are skipped."""
    return [str(i["id"]) for i in items if isinstance(i.get("id"), str) and i["id"]]


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
            return f"{names[parts[i - 1]]} {urllib.parse.unquote(parts[i])}"
    return path
