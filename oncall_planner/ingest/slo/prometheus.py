"""SLI history fetched live: the raw counter samples of an SLO asked of a Prometheus server.

:func:`fetch_sli_history` asks ``/api/v1/query`` for the counters that
:func:`counter_selector` finds in the SLI's queries, a day at a time, over HTTP with one deadline
per request, a size limit per answer, and credentials kept out of messages and off other sites.
The answers are read as a saved Prometheus JSON file is (:mod:`oncall_planner.ingest.slo.history`).
"""

from __future__ import annotations

import base64
import contextlib
import datetime as dt
import http.client
import json
import re
import socket
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Mapping
from typing import Any

from oncall_planner.errors import InputReadError
from oncall_planner.ingest.slo._common import _show
from oncall_planner.ingest.slo.history import _history, _label_text, _matrix
from oncall_planner.slo.replay import SLIHistory
from oncall_planner.slo.spec import SLO

_SUM_RATE = re.compile(
    r"^\s*sum\s*\(\s*(?:rate|increase)\s*\(\s*(?P<sel>[^\[\]()]+?)\s*\[[^\]]+\]\s*\)\s*\)\s*$"
)


def counter_selector(query: str) -> str:
    """The counter selector inside ``sum(rate(selector[5m]))`` (also with ``{{.window}}``), or a
    bare selector as it is: what :func:`fetch_sli_history` asks Prometheus for."""
    from oncall_planner.slo.rules import _SELECTOR, _WINDOW

    text = _WINDOW.sub("5m", query.strip())
    match = _SUM_RATE.match(text)
    if match:
        return match.group("sel").strip()
    if _SELECTOR.match(text):
        return text
    raise InputReadError(
        f"--prometheus reads raw counter samples, so each SLI query must be "
        f"sum(rate(selector[window])) or a bare counter selector, got {_show(query.strip())}; "
        "save the history with query_range instead (docs/slo.md)"
    )


def _split_credentials(url: str) -> tuple[str, dict[str, str]]:
    """The URL without ``user:password@`` and the Basic authorization header it gave, so that
    credentials go in a header and never into a message."""
    parts = urllib.parse.urlsplit(url)
    if parts.username is None:
        return url, {}
    host = parts.hostname or ""
    netloc = f"{host}:{parts.port}" if parts.port else host
    token = f"{urllib.parse.unquote(parts.username)}:{urllib.parse.unquote(parts.password or '')}"
    header = "Basic " + base64.b64encode(token.encode("utf-8")).decode("ascii")
    return parts._replace(netloc=netloc).geturl(), {"Authorization": header}


#: The most one answer from Prometheus may hold (a day of one series scraped every 15 s is
#: about 200 KB).
MAX_ANSWER_BYTES = 256 * 1024 * 1024


class _Deadline:
    """One request's deadline: when it passes, every socket the request opened is shut down,
    so a server that answers a byte at a time cannot hold the read for ever (a socket timeout
    only bounds the wait for each byte)."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.at = time.monotonic() + seconds
        self.expired = False
        self._sockets: list[socket.socket] = []
        self._lock = threading.Lock()
        self._timer = threading.Timer(seconds, self._expire)
        self._timer.daemon = True
        self._timer.start()

    def remaining(self) -> float:
        return max(0.001, self.at - time.monotonic())

    def watch(self, sock: socket.socket) -> None:
        with self._lock:
            self._sockets.append(sock)
            if self.expired:
                self._shut(sock)

    def _expire(self) -> None:
        with self._lock:
            self.expired = True
            for sock in self._sockets:
                self._shut(sock)

    @staticmethod
    def _shut(sock: socket.socket) -> None:
        with contextlib.suppress(OSError):  # the plain socket's shutdown, under any TLS
            socket.socket.shutdown(sock, socket.SHUT_RDWR)

    def cancel(self) -> None:
        self._timer.cancel()


class _WatchedHTTP(http.client.HTTPConnection):
    deadline: _Deadline

    def connect(self) -> None:
        self.timeout = min(self.timeout or self.deadline.remaining(), self.deadline.remaining())
        super().connect()
        self.deadline.watch(self.sock)


class _WatchedHTTPS(http.client.HTTPSConnection):
    deadline: _Deadline

    def connect(self) -> None:
        self.timeout = min(self.timeout or self.deadline.remaining(), self.deadline.remaining())
        super().connect()
        self.deadline.watch(self.sock)


def _same_site(old: str, new: str) -> bool:
    """Whether credentials for ``old`` may go to ``new``: the same host and port, or the same
    host moving from http to https on the default ports."""
    a, b = urllib.parse.urlsplit(old), urllib.parse.urlsplit(new)
    if a.hostname != b.hostname:
        return False
    if a.scheme == b.scheme:
        return a.port == b.port
    return (
        (a.scheme, b.scheme) == ("http", "https")
        and a.port in (None, 80)
        and b.port
        in (
            None,
            443,
        )
    )


class _Redirects(urllib.request.HTTPRedirectHandler):
    """Follows http and https redirects only, and drops the Authorization header when one
    leads to another site (urllib would send it on to any host)."""

    def redirect_request(
        self,
        req: urllib.request.Request,
        fp: Any,
        code: int,
        msg: str,
        headers: Any,
        newurl: str,
    ) -> urllib.request.Request | None:
        scheme = urllib.parse.urlsplit(newurl).scheme
        if scheme not in ("http", "https"):
            shown = urllib.parse.urlsplit(req.full_url)._replace(query="", netloc=_host(req))
            raise InputReadError(
                f"{shown.geturl()}: redirected to {_show(newurl)[1:-1]}; only http and https "
                "redirects are followed"
            )
        new = super().redirect_request(req, fp, code, msg, headers, newurl)
        if new is not None and not _same_site(req.full_url, new.full_url):
            new.remove_header("Authorization")
        return new


def _host(req: urllib.request.Request) -> str:
    parts = urllib.parse.urlsplit(req.full_url)
    return f"{parts.hostname}:{parts.port}" if parts.port else parts.hostname or ""


def _opener(deadline: _Deadline) -> urllib.request.OpenerDirector:
    class Plain(_WatchedHTTP):
        pass

    class Secure(_WatchedHTTPS):
        pass

    Plain.deadline = Secure.deadline = deadline

    class HTTP(urllib.request.HTTPHandler):
        def http_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
            return self.do_open(Plain, req)

    class HTTPS(urllib.request.HTTPSHandler):
        def https_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
            context = getattr(self, "_context", None)
            return self.do_open(Secure, req, context=context)

    return urllib.request.build_opener(HTTP(), HTTPS(), _Redirects())


def _read_bounded(response: Any, shown: str) -> bytes:
    chunks, size = [], 0
    while block := response.read(65536):
        size += len(block)
        if size > MAX_ANSWER_BYTES:
            raise InputReadError(f"{shown}: the answer is larger than {MAX_ANSWER_BYTES:,} bytes")
        chunks.append(block)
    return b"".join(chunks)


def _get_json(url: str, timeout: float, headers: Mapping[str, str] | None = None) -> Any:
    """The JSON answer to a GET of ``url``, all of it within ``timeout`` seconds and
    :data:`MAX_ANSWER_BYTES`; redirects only to http(s), credentials only to the same site."""
    request = urllib.request.Request(url, headers={"Accept": "application/json", **(headers or {})})
    shown = urllib.parse.urlsplit(url)._replace(query="", fragment="").geturl()
    deadline = _Deadline(timeout)
    late = InputReadError(f"{shown}: no answer within {timeout:g} s")
    try:
        with _opener(deadline).open(request, timeout=timeout) as response:
            data = _read_bounded(response, shown)
        if deadline.expired:
            raise late
        return json.loads(data.decode("utf-8"))
    except urllib.error.HTTPError as exc:
        if deadline.expired:
            raise late from None
        detail = ""
        with contextlib.suppress(ValueError, AttributeError, OSError, http.client.HTTPException):
            detail = str(json.loads(exc.read(65536).decode("utf-8")).get("error", ""))
        raise InputReadError(f"{shown}: HTTP {exc.code} {_show(detail)[1:-1]}".rstrip()) from None
    except (urllib.error.URLError, OSError, http.client.HTTPException) as exc:
        if deadline.expired:
            raise late from None
        reason = getattr(exc, "reason", exc)
        raise InputReadError(f"{shown}: cannot reach Prometheus: {reason}") from None
    except ValueError:
        if deadline.expired:
            raise late from None
        raise InputReadError(f"{shown}: the answer is not JSON") from None
    finally:
        deadline.cancel()


def fetch_sli_history(
    url: str,
    slo: SLO,
    since: dt.datetime,
    until: dt.datetime,
    *,
    chunk: int = 86400,
    timeout: float = 60.0,
) -> SLIHistory:
    """The raw samples of the SLO's counters in ``[since, until]`` from the Prometheus at
    ``url`` (``/api/v1/query`` with a range selector, a day at a time), so the replay sees
    exactly what Prometheus's rules would. Credentials in the URL are never shown in errors,
    and never sent on when a redirect leads to another site.

    Each request must be answered in full within ``timeout`` seconds (a server that answers
    slowly is cut off at that point) and hold at most :data:`MAX_ANSWER_BYTES`."""
    base, headers = _split_credentials(url.rstrip("/"))
    sides = {"total": slo.sli.total}
    sides["bad" if slo.sli.bad is not None else "good"] = slo.sli.bad or slo.sli.good or ""
    selectors = {side: counter_selector(q) for side, q in sides.items()}
    start, end = since.timestamp(), until.timestamp()
    parts: dict[str, list[tuple[str, list[float], list[float]]]] = {}
    for side, selector in selectors.items():
        merged: dict[str, dict[float, float]] = {}
        at = start
        while at < end:
            stop = min(at + chunk, end)
            query = f"{selector}[{round(stop - at)}s]"
            params = urllib.parse.urlencode({"query": query, "time": f"{stop:.3f}"})
            doc = _get_json(f"{base}/api/v1/query?{params}", timeout, headers)
            for metric, times, values in _matrix(doc, base, side):
                series = merged.setdefault(_label_text(metric), {})
                series.update(zip(times, values, strict=True))
            at = stop
        parts[side] = [
            (name, sorted(points), [points[t] for t in sorted(points)])
            for name, points in sorted(merged.items())
        ]
        if not parts[side]:
            raise InputReadError(f"{base}: no samples of {selector} between {since} and {until}")
    return _history(parts, base)


__all__ = ["counter_selector", "fetch_sli_history"]
