"""examples/incident_bot.py against local stand-ins of Slack's Web API and PagerDuty's Events
API v2 (http.server threads on 127.0.0.1): the requests they receive, and no secret in output."""

from __future__ import annotations

import json
import os
import re
import ssl
import subprocess
import sys
import threading
import time
import urllib.parse
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[1]
BOT = REPO / "examples" / "incident_bot.py"
TOKEN = "xoxb-test-0000-not-a-real-token"
ROUTING_KEY = "R0UTINGKEY0000000000000000000000"


#: Paths the stand-ins refuse, echoing the request's secrets back (as a careless proxy might).
REFUSING: set[str] = set()
#: Paths the stand-ins answer a byte at a time for ever ("drip") or with 429 Too Many Requests
#: every time ("throttle").
MISBEHAVING: dict[str, str] = {}


class Recorder(BaseHTTPRequestHandler):
    """Answers like Slack (``/api/<method>``) or the Events API (``/v2/enqueue``) and records
    every request: path, headers and decoded body."""

    received: list[dict[str, Any]]

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length).decode("utf-8")
        if "json" in (self.headers.get("Content-Type") or ""):
            body: Any = json.loads(raw)
        else:
            body = dict(urllib.parse.parse_qsl(raw))
        self.received.append({"path": self.path, "headers": dict(self.headers), "body": body})
        if MISBEHAVING.get(self.path) == "drip":
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", "1000000")
            self.end_headers()
            for _ in range(600):  # stops when the bot hangs up, or after 5 minutes
                try:
                    self.wfile.write(b" ")
                    self.wfile.flush()
                except OSError:
                    return
                time.sleep(0.5)
            return
        if MISBEHAVING.get(self.path) == "throttle":
            answer, status = {"status": "throttle event", "message": "Requests throttled"}, 429
        elif self.path in REFUSING:
            echo = {"authorization": self.headers.get("Authorization"), "request": raw}
            if self.path.startswith("/api/"):
                answer, status = {"ok": False, "error": "invalid_auth", "echo": echo}, 200
            else:
                answer, status = {"status": "invalid event", "errors": [echo]}, 400
        elif self.path == "/api/conversations.create":
            answer = {"ok": True, "channel": {"id": "C0123", "name": body.get("name")}}
            status = 200
        elif self.path == "/api/chat.postMessage":
            answer = {"ok": True, "channel": body.get("channel"), "ts": "1741717920.000100"}
            status = 200
        elif self.path == "/v2/enqueue" and len(body["payload"]["summary"]) > 1024:
            # the Events API's documented limit for payload.summary
            answer, status = {"status": "invalid event", "errors": ["summary too long"]}, 400
        elif self.path == "/v2/enqueue":
            answer = {"status": "success", "message": "Event processed",
                      "dedup_key": body.get("dedup_key", "generated")}  # fmt: skip
            status = 202
        else:
            answer, status = {"ok": False, "error": "unknown_method"}, 404
        data = json.dumps(answer).encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, format: str, *args: Any) -> None:
        pass


def certificate(folder: Path) -> tuple[Path, Path]:
    """A throwaway self-signed certificate for 127.0.0.1: PagerDuty's client speaks only
    https, so the Events API stand-in does too, and the bot trusts it through
    ``SSL_CERT_FILE``."""
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
         "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
         "-keyout", str(key), "-out", str(cert)],
        check=True, capture_output=True, timeout=60,
    )  # fmt: skip
    return cert, key


@pytest.fixture(scope="module")
def key_pair(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    return certificate(tmp_path_factory.mktemp("tls"))


@pytest.fixture
def stand_ins(
    key_pair: tuple[Path, Path],
) -> Iterator[tuple[str, str, list[dict[str, Any]], list[dict[str, Any]]]]:
    cert, key = key_pair
    servers, logs = [], []
    for secure in (False, True):
        received: list[dict[str, Any]] = []
        handler = type("Handler", (Recorder,), {"received": received})
        server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        if secure:
            context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            context.load_cert_chain(cert, key)
            server.socket = context.wrap_socket(server.socket, server_side=True)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        logs.append(received)
    slack = f"http://127.0.0.1:{servers[0].server_address[1]}/api/"
    events = f"https://127.0.0.1:{servers[1].server_address[1]}"
    trust = ("SSL_CERT_FILE", "REQUESTS_CA_BUNDLE")  # httpx and requests read these
    for name in trust:
        os.environ[name] = str(cert)
    try:
        yield slack, events, logs[0], logs[1]
    finally:
        REFUSING.clear()
        MISBEHAVING.clear()
        for name in trust:
            del os.environ[name]
        for server in servers:
            server.shutdown()
            server.server_close()


def run_bot(
    slack: str, events: str, *args: str, timeout: float = 120
) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "SLACK_BOT_TOKEN": TOKEN,
        "PAGERDUTY_ROUTING_KEY": ROUTING_KEY,
        "SLACK_API_URL": slack,
        "PAGERDUTY_EVENTS_URL": events,
    }
    return subprocess.run(
        [sys.executable, str(BOT), *args], env=env, capture_output=True, text=True,
        timeout=timeout, check=False,
    )  # fmt: skip


def test_a_sev1_opens_a_channel_with_the_rota_and_pages(stand_ins) -> None:  # type: ignore[no-untyped-def]
    slack, events, slack_log, events_log = stand_ins
    # Tuesday 11 March 2025, 14:32 New York: Bob is the week's primary, Alice last week's
    result = run_bot(slack, events, "Checkout errors", "--severity", "SEV-1",
                     "--at", "2025-03-11T14:32:00-04:00")  # fmt: skip
    assert result.returncode == 0, result.stderr
    create, post = slack_log
    assert create["path"] == "/api/conversations.create"
    assert create["body"]["name"] == "inc-20250311-1832-checkout-errors"
    assert create["headers"]["Authorization"] == f"Bearer {TOKEN}"
    assert post["path"] == "/api/chat.postMessage" and post["body"]["channel"] == "C0123"
    text = post["body"]["text"]
    assert "*Incident Commander:* Alice (alice@example.com)" in text
    assert "*Primary Responder:* Bob (bob@example.com)" in text
    assert "Unassigned" not in text and "*Severity:* SEV-1 (respond within 5 minutes)" in text
    (event,) = events_log
    assert event["path"] == "/v2/enqueue"
    body = event["body"]
    assert body["routing_key"] == ROUTING_KEY and body["event_action"] == "trigger"
    assert body["dedup_key"] == "inc-20250311-1832-checkout-errors"  # the channel: unique
    assert body["payload"]["custom_details"]["incident"] == "INC-20250311-1832"
    assert body["payload"]["severity"] == "critical" and body["payload"]["source"] == "checkout"
    assert body["payload"]["summary"] == "[SEV-1] Checkout errors"
    assert body["payload"]["custom_details"]["primary_responder"] == "Bob (bob@example.com)"
    assert "primary responder:  Bob (bob@example.com)" in result.stdout


def test_a_sev3_opens_a_channel_and_pages_nobody(stand_ins) -> None:  # type: ignore[no-untyped-def]
    slack, events, slack_log, events_log = stand_ins
    result = run_bot(slack, events, "Slow search", "--severity", "SEV-3",
                     "--at", "2025-03-19T10:00:00-04:00")  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert [r["path"] for r in slack_log] == ["/api/conversations.create", "/api/chat.postMessage"]
    assert "*Primary Responder:* Dave (dave@example.com)" in slack_log[1]["body"]["text"]
    assert events_log == []
    assert "PagerDuty: not paged" in result.stdout


def test_secrets_stay_out_of_everything_the_bot_prints(stand_ins) -> None:  # type: ignore[no-untyped-def]
    slack, events, _, _ = stand_ins
    result = run_bot(slack, events, "Checkout errors", "--severity", "SEV-2",
                     "--at", "2025-03-11T14:32:00-04:00")  # fmt: skip
    assert result.returncode == 0
    for secret in (TOKEN, ROUTING_KEY):
        assert secret not in result.stdout and secret not in result.stderr


def test_without_the_secrets_in_the_environment_the_bot_refuses() -> None:
    env = {
        k: v for k, v in os.environ.items() if k not in ("SLACK_BOT_TOKEN", "PAGERDUTY_ROUTING_KEY")
    }
    result = subprocess.run(
        [sys.executable, str(BOT), "x", "--severity", "SEV-1"], env=env, capture_output=True,
        text=True, timeout=60, check=False,
    )  # fmt: skip
    assert result.returncode == 2 and "set SLACK_BOT_TOKEN" in result.stderr


def test_no_secret_is_written_into_the_repository() -> None:
    tracked = subprocess.run(
        ["git", "ls-files"], cwd=REPO, capture_output=True, text=True, check=True
    ).stdout.split()
    for name in tracked:
        path = REPO / name
        if path.suffix in (".py", ".md", ".yaml", ".toml") and path.is_file():
            text = path.read_text(encoding="utf-8", errors="replace")
            assert not any(
                re.search(pattern, text) for pattern in (r"xoxb-\d{6,}", r"xoxp-\d{6,}")
            ), name


def test_a_slack_refusal_is_one_line_without_the_token(stand_ins) -> None:  # type: ignore[no-untyped-def]
    slack, events, _, events_log = stand_ins
    REFUSING.add("/api/conversations.create")
    result = run_bot(slack, events, "Checkout errors", "--severity", "SEV-1",
                     "--at", "2025-03-11T14:32:00-04:00")  # fmt: skip
    assert result.returncode == 1 and result.stdout == ""
    (line,) = result.stderr.splitlines()
    assert "Slack" in line and "invalid_auth" in line and TOKEN not in line
    assert events_log == []  # nobody paged for an incident without a channel


def test_an_events_api_refusal_says_the_channel_is_open(stand_ins) -> None:  # type: ignore[no-untyped-def]
    slack, events, slack_log, _ = stand_ins
    REFUSING.add("/v2/enqueue")
    result = run_bot(slack, events, "Checkout errors", "--severity", "SEV-1",
                     "--at", "2025-03-11T14:32:00-04:00")  # fmt: skip
    assert result.returncode == 1 and len(slack_log) == 2
    (line,) = result.stderr.splitlines()
    assert "#inc-20250311-1832-checkout-errors" in line and "PagerDuty" in line
    assert "400" in line and ROUTING_KEY not in line and TOKEN not in line


@pytest.mark.parametrize("at", ["2025-03-11T14:32", "next tuesday", "2025-02-30T10:00Z"])
def test_an_instant_without_an_offset_or_no_instant_at_all(at: str) -> None:
    result = run_bot("http://127.0.0.1:9/api/", "https://127.0.0.1:9", "x", "--at", at)
    assert result.returncode == 2 and result.stdout == ""
    (line,) = result.stderr.splitlines()
    assert "--at" in line and "offset" in line


def test_an_unknown_service_is_refused_before_anything_is_sent(stand_ins) -> None:  # type: ignore[no-untyped-def]
    slack, events, slack_log, events_log = stand_ins
    # the routing key is the checkout service's: paging it for another service would wake the
    # wrong team, with "Unassigned" as the responder
    result = run_bot(slack, events, "Payments down", "--severity", "SEV-1", "--service", "payments",
                     "--at", "2025-03-11T14:32:00-04:00")  # fmt: skip
    assert result.returncode == 2 and result.stdout == ""
    (line,) = result.stderr.splitlines()
    assert "'payments'" in line and "checkout" in line
    assert slack_log == [] and events_log == []


def test_two_incidents_declared_in_the_same_minute_are_two_pagerduty_incidents(stand_ins) -> None:  # type: ignore[no-untyped-def]
    slack, events, _, events_log = stand_ins
    for title in ("Checkout errors", "Payments timing out"):
        result = run_bot(slack, events, title, "--severity", "SEV-1",
                         "--at", "2025-03-11T14:32:00-04:00")  # fmt: skip
        assert result.returncode == 0, result.stderr
    first, second = (event["body"]["dedup_key"] for event in events_log)
    assert first != second  # one key would fold the second incident into the first: no page


def test_slack_control_sequences_in_the_title_are_shown_not_obeyed(stand_ins) -> None:  # type: ignore[no-untyped-def]
    slack, events, slack_log, _ = stand_ins
    result = run_bot(slack, events, "<!channel> A&B <https://example.com|down>", "--severity",
                     "SEV-3", "--at", "2025-03-19T10:00:00-04:00")  # fmt: skip
    assert result.returncode == 0, result.stderr
    text = slack_log[1]["body"]["text"]
    assert "&lt;!channel&gt; A&amp;B &lt;https://example.com|down&gt;" in text
    assert "<!channel>" not in text and "<https:" not in text


@pytest.mark.parametrize("title", ["", "   ", "???"])
def test_a_title_without_letters_or_digits_is_refused(title: str) -> None:
    result = run_bot("http://127.0.0.1:9/api/", "https://127.0.0.1:9", title,
                     "--at", "2025-03-19T10:00:00-04:00")  # fmt: skip
    assert result.returncode == 2 and result.stdout == ""
    (line,) = result.stderr.splitlines()
    assert "title" in line


def test_an_instant_the_plan_cannot_compute_is_refused(stand_ins) -> None:  # type: ignore[no-untyped-def]
    slack, events, slack_log, _ = stand_ins
    result = run_bot(slack, events, "x", "--at", "0001-01-01T00:00:00+05:00")
    assert result.returncode == 2 and result.stdout == "" and slack_log == []
    (line,) = result.stderr.splitlines()
    assert "Traceback" not in line


def test_a_slack_that_answers_a_byte_at_a_time_is_cut_off(stand_ins) -> None:  # type: ignore[no-untyped-def]
    slack, events, _, events_log = stand_ins
    MISBEHAVING["/api/conversations.create"] = "drip"
    # without a deadline for the whole answer this runs into the 60 s guard below
    result = run_bot(slack, events, "Checkout errors", "--severity", "SEV-1", "--timeout", "2",
                     "--at", "2025-03-11T14:32:00-04:00", timeout=60)  # fmt: skip
    assert result.returncode == 1 and result.stdout == ""
    (line,) = result.stderr.splitlines()
    assert "Slack" in line and "2 seconds" in line and TOKEN not in line
    assert events_log == []


def test_an_events_api_that_always_throttles_is_given_up_on(stand_ins) -> None:  # type: ignore[no-untyped-def]
    slack, events, slack_log, _ = stand_ins
    # PagerDuty's client retries a 429 without limit (3 s, 6 s, 12 s, ... for ever)
    MISBEHAVING["/v2/enqueue"] = "throttle"
    result = run_bot(slack, events, "Checkout errors", "--severity", "SEV-1", "--timeout", "2",
                     "--at", "2025-03-11T14:32:00-04:00", timeout=60)  # fmt: skip
    assert result.returncode == 1 and len(slack_log) == 2
    (line,) = result.stderr.splitlines()
    assert "#inc-20250311-1832-checkout-errors is open" in line and "PagerDuty" in line
    assert ROUTING_KEY not in line


@pytest.mark.parametrize("timeout", ["0", "-1", "nan", "inf", "soon"])
def test_a_timeout_that_is_not_a_positive_number_of_seconds_is_refused(timeout: str) -> None:
    result = run_bot("http://127.0.0.1:9/api/", "https://127.0.0.1:9", "x", "--timeout", timeout,
                     "--at", "2025-03-19T10:00:00-04:00")  # fmt: skip
    assert result.returncode == 2 and result.stdout == ""
    (line,) = result.stderr.splitlines()
    assert "--timeout" in line and "positive number of seconds" in line


def load_bot(monkeypatch: pytest.MonkeyPatch) -> Any:
    """The bot as a module, in this process; what it adds to sys.path and sys.modules goes."""
    import importlib.util

    monkeypatch.setattr(sys, "path", list(sys.path))  # the bot puts examples/ on it
    before = set(sys.modules)
    try:
        spec = importlib.util.spec_from_file_location("incident_bot", BOT)
        assert spec is not None and spec.loader is not None
        bot = importlib.util.module_from_spec(spec)
        sys.modules["incident_bot"] = bot  # dataclasses look their module up there
        spec.loader.exec_module(bot)
        bot.default_manager(slack=None, events=None)  # imports the plan while sys.path has it
        return bot
    finally:
        for name in set(sys.modules) - before:  # the examples' modules, not numpy's
            if str(getattr(sys.modules[name], "__file__", "")).startswith(str(BOT.parent)):
                del sys.modules[name]


def test_the_deadline_outside_the_main_thread_leaves_the_clients_timeouts(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    bot = load_bot(monkeypatch)
    done: list[BaseException | None] = []

    def declare() -> None:  # signals can only be set in the main thread
        try:
            with bot.deadline(5):
                pass
            done.append(None)
        except BaseException as exc:
            done.append(exc)

    worker = threading.Thread(target=declare)
    worker.start()
    worker.join()
    assert done == [None]


def test_the_commander_and_the_responder_follow_the_overrides(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import datetime as dt

    from oncall_planner import Override

    bot = load_bot(monkeypatch)
    manager = bot.default_manager(slack=None, events=None)
    primary, secondary = manager.plan.schedules
    at = dt.datetime(2025, 3, 11, 14, 32, tzinfo=dt.timezone(dt.timedelta(hours=-4)))
    assert (manager.commander(at).name, manager.responder("checkout", at).name) == ("Alice", "Bob")
    carol = next(u for u in manager.plan.users if u.name == "Carol")
    dave = next(u for u in manager.plan.users if u.name == "Dave")
    hour = dt.timedelta(hours=1)
    manager.overrides = {
        primary.name: (Override(user=carol, start=at - hour, end=at + hour),),
        secondary.name: (Override(user=dave, start=at - hour, end=at + hour),),
    }
    assert (manager.commander(at).name, manager.responder("checkout", at).name) == ("Dave", "Carol")


def test_a_long_title_still_pages(stand_ins) -> None:  # type: ignore[no-untyped-def]
    slack, events, slack_log, events_log = stand_ins
    title = "Checkout errors " + "and more " * 250  # 2,266 characters
    result = run_bot(slack, events, title, "--severity", "SEV-1",
                     "--at", "2025-03-11T14:32:00-04:00")  # fmt: skip
    assert result.returncode == 0, result.stderr
    summary = events_log[0]["body"]["payload"]["summary"]
    assert len(summary) == 1024 and summary.startswith("[SEV-1] Checkout errors and more")
    assert summary.endswith("…") and title.strip() in slack_log[1]["body"]["text"]
    assert len(slack_log[0]["body"]["name"]) <= 80
