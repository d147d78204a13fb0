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
        if self.path == "/api/conversations.create":
            answer = {"ok": True, "channel": {"id": "C0123", "name": body.get("name")}}
            status = 200
        elif self.path == "/api/chat.postMessage":
            answer = {"ok": True, "channel": body.get("channel"), "ts": "1741717920.000100"}
            status = 200
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


@pytest.fixture
def stand_ins(
    tmp_path: Path,
) -> Iterator[tuple[str, str, list[dict[str, Any]], list[dict[str, Any]]]]:
    cert, key = certificate(tmp_path)
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
        for name in trust:
            del os.environ[name]
        for server in servers:
            server.shutdown()
            server.server_close()


def run_bot(slack: str, events: str, *args: str) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "SLACK_BOT_TOKEN": TOKEN,
        "PAGERDUTY_ROUTING_KEY": ROUTING_KEY,
        "SLACK_API_URL": slack,
        "PAGERDUTY_EVENTS_URL": events,
    }
    return subprocess.run(
        [sys.executable, str(BOT), *args], env=env, capture_output=True, text=True, timeout=120,
        check=False,
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
    assert body["dedup_key"] == "INC-20250311-1832"
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
