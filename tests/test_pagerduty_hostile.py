"""The API client and the commands against servers that misbehave on purpose: redirects to
another host, answers that are not JSON, too big or too slow, IDs with path characters, shapes
the schema does not allow. Each server is a real one on 127.0.0.1, started and stopped here."""

from __future__ import annotations

import http.server
import json
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from oncall_planner.errors import APIError
from oncall_planner.pagerduty_api.client import PagerDutyClient

TOKEN = "pd-hostile-token-4e7a19"

#: ``reply(handler)`` writes the whole answer; it may read ``handler.path`` and the headers.
Reply = Callable[[http.server.BaseHTTPRequestHandler], None]


@contextmanager
def serve(reply: Reply) -> Iterator[tuple[str, list[tuple[str, str | None]]]]:
    """A server on a free port of 127.0.0.1 answering every request with ``reply``; yields its
    base URL and the log of ``(path, Authorization header)`` it received."""
    seen: list[tuple[str, str | None]] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: object) -> None:
            return

        def _any(self) -> None:
            seen.append((self.path, self.headers.get("Authorization")))
            try:
                reply(self)
            except OSError:  # the client hung up, as it should on some of these
                self.close_connection = True

        do_GET = do_POST = do_DELETE = _any  # noqa: N815

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", seen
    finally:
        server.shutdown()
        server.server_close()


def answer(status: int, body: bytes = b"", headers: dict[str, str] | None = None) -> Reply:
    def reply(h: http.server.BaseHTTPRequestHandler) -> None:
        h.send_response(status)
        for name, value in (headers or {}).items():
            h.send_header(name, value)
        h.send_header("Content-Length", str(len(body)))
        h.end_headers()
        h.wfile.write(body)

    return reply


def client(url: str, **options: object) -> PagerDutyClient:
    return PagerDutyClient(TOKEN, url, sleep=lambda s: None, seed=1, **options)  # type: ignore[arg-type]


def test_a_redirect_to_another_host_is_not_followed_and_never_gets_the_token() -> None:
    with (
        serve(answer(200, b'{"users": []}')) as (elsewhere, seen_there),
        serve(answer(302, headers={"Location": elsewhere + "/users"})) as (url, _),
        pytest.raises(APIError) as caught,
    ):
        client(url).get("/users")
    assert seen_there == []
    message = str(caught.value)
    assert "redirect" in message and "not followed" in message
    assert TOKEN not in message


@pytest.mark.parametrize(
    "token", ["Zq7k\r\nX-Evil: 1", "Zq7k Wx9j", "Zq7k\u2019Wx9j", "Zq7k\tWx9j"]
)
def test_a_token_no_api_key_could_be_is_refused_without_showing_it(
    token: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from oncall_planner.cli import main

    monkeypatch.setenv("PAGERDUTY_TOKEN", token)
    with serve(answer(200, b'{"users": [], "more": false}')) as (url, seen):
        code = main(["verify", "--base-url", url, "--since", "2025-03-03T00:00Z", "--days", "1"])
    out = capsys.readouterr()
    assert code == 2 and seen == []
    assert "PAGERDUTY_TOKEN" in out.err and len(out.err.strip().splitlines()) == 1
    assert "Zq7k" not in out.err + out.out and "Wx9j" not in out.err + out.out


def _stand_in_account() -> dict[str, object]:
    import json
    from pathlib import Path

    path = Path(__file__).parent / "data" / "pagerduty" / "dst-account.json"
    return json.loads(path.read_text(encoding="utf-8"))  # type: ignore[no-any-return]


@pytest.mark.parametrize("ident", ["PSPAY01?x=1", "PSPAY01/overrides", "PSPAY01#top", "a%2Fb"])
def test_an_id_with_path_characters_is_one_segment_of_the_path(ident: str) -> None:
    import datetime as dt

    from oncall_planner.pagerduty_api import pull
    from oncall_planner.testing import PagerDutyStandIn

    since = dt.datetime(2025, 3, 3, tzinfo=dt.timezone.utc)
    with PagerDutyStandIn(_stand_in_account(), {TOKEN: None}) as pd:
        with pytest.raises(APIError) as caught:
            pull(client(pd.base_url), since=since, until=since + dt.timedelta(days=7),
                 schedule_ids=[ident], pages=False)  # fmt: skip
        asked = [(p, q) for m, p, q in pd.requests if p.startswith("/schedules/")]
    assert str(caught.value).startswith(f"PagerDuty has no schedule {ident} (404 Not Found")
    assert len(asked) == 1 and asked[0][1] == {}  # one path segment, nothing in the query


@pytest.mark.parametrize("ident", ["", ".", ".."])
def test_an_id_that_is_no_path_segment_is_refused(ident: str) -> None:
    from oncall_planner.pagerduty_api.client import api_path

    with pytest.raises(APIError, match="not a PagerDuty ID"):
        api_path("schedules", ident, "overrides")


def test_an_override_id_with_slashes_deletes_that_override_and_nothing_else(
    tmp_path: object,
) -> None:
    import datetime as dt
    from pathlib import Path

    from oncall_planner.pagerduty_api import OverrideLedger, apply_overrides, plan_overrides
    from oncall_planner.pagerduty_api.overrides import LedgerItem
    from oncall_planner.pagerduty_api.planfile import Account
    from oncall_planner.testing import PagerDutyStandIn

    odd = "Q1/../../../users/PUANA01"
    account = _stand_in_account()
    user = {"id": "PUBEN02", "type": "user_reference", "summary": "Ben Okafor"}
    theirs = {"id": odd, "start": "2031-01-01T00:00:00Z", "end": "2031-01-02T00:00:00Z"}
    account["overrides"] = {"PSPAY01": [{**theirs, "type": "override", "user": user}]}
    ledger = OverrideLedger(
        [
            LedgerItem(
                "PSPAY01",
                odd,
                dt.datetime(2031, 1, 1, tzinfo=dt.timezone.utc),
                dt.datetime(2031, 1, 2, tzinfo=dt.timezone.utc),
                "PUBEN02",
            )
        ],
        Path(str(tmp_path)) / "ledger.json",
    )
    with PagerDutyStandIn(account, {TOKEN: None}) as pd:
        from oncall_planner.pagerduty_api import pull

        since = dt.datetime(2025, 3, 3, tzinfo=dt.timezone.utc)
        c = client(pd.base_url)
        pulled: Account = pull(c, since=since, until=since + dt.timedelta(days=7), pages=False)
        done = apply_overrides(c, plan_overrides(c, pulled, {}, ledger), ledger)
        deletes = [p for m, p, _ in pd.requests if m == "DELETE"]
        users = [u["id"] for u in pd.account["users"]]
        left = pd.account["overrides"]["PSPAY01"]
    assert done.ok and [a.kind for a in done.done] == ["delete"]
    assert deletes == ["/schedules/PSPAY01/overrides/Q1%2F..%2F..%2F..%2Fusers%2FPUANA01"]
    assert left == [] and "PUANA01" in users


def _endless(h: http.server.BaseHTTPRequestHandler) -> None:
    h.send_response(200)
    h.send_header("Content-Type", "application/json")
    h.end_headers()  # no length: the body ends when the connection does, here never
    h.close_connection = True
    h.wfile.write(b'{"users": ["')
    while True:
        h.wfile.write(b"a" * 65536)


def _trickle(h: http.server.BaseHTTPRequestHandler) -> None:
    import time

    h.send_response(200)
    h.send_header("Content-Length", "100000")
    h.end_headers()
    h.close_connection = True
    while True:  # a byte now and then: never a socket timeout, never an end
        h.wfile.write(b" ")
        h.wfile.flush()
        time.sleep(0.05)


def test_an_answer_larger_than_the_cap_is_refused_unread_and_not_asked_again() -> None:
    with serve(_endless) as (url, seen):
        c = client(url, max_bytes=1_000_000)
        with pytest.raises(APIError, match="larger than 1 MB"):
            c.get("/users")
    assert len(seen) == 1


def test_an_answer_that_trickles_forever_is_given_up_after_the_deadline() -> None:
    with serve(_trickle) as (url, seen):
        c = client(url, deadline=0.5, max_attempts=2)
        with pytest.raises(APIError, match=r"cannot reach PagerDuty.*took longer than 0\.5 s"):
            c.get("/users")
    assert len(seen) == 2


def _short(h: http.server.BaseHTTPRequestHandler) -> None:
    h.send_response(200)
    h.send_header("Content-Length", "1000")
    h.end_headers()
    h.wfile.write(b'{"users": []}')
    h.close_connection = True


def test_an_answer_cut_short_is_retried_then_one_line() -> None:
    with (
        serve(_short) as (url, seen),
        pytest.raises(APIError, match=r"cannot reach PagerDuty .*tried 3 times"),
    ):
        client(url, max_attempts=3).get("/users")
    assert len(seen) == 3


@pytest.mark.parametrize(
    "body",
    [
        b"<html><body>502 Bad Gateway</body></html>",
        b'{"users": [{"id": "P1", "na',
        b"[" * 100_000 + b"]" * 100_000,
        b"\xff\xfe{}",
    ],
)
def test_an_answer_that_is_not_json_is_one_line(body: bytes) -> None:
    with serve(answer(200, body)) as (url, _), pytest.raises(APIError) as caught:
        client(url).get("/users")
    assert "is not JSON" in str(caught.value) and "\n" not in str(caught.value)


@pytest.mark.parametrize("reply", [answer(502, b"{}"), _short], ids=["502", "cut short"])
def test_a_post_is_not_sent_again_when_the_answer_may_hide_a_success(reply: Reply) -> None:
    with serve(reply) as (url, seen), pytest.raises(APIError) as caught:
        client(url).post("/schedules/PX/overrides", {"overrides": []})
    assert len(seen) == 1
    assert "may or may not have been done" in str(caught.value)


def test_a_get_is_asked_again_after_a_502() -> None:
    with serve(answer(502, b"{}")) as (url, seen), pytest.raises(APIError):
        client(url, max_attempts=3).get("/users")
    assert len(seen) == 3


def _mutated(path: str, change: Callable[[Any], None]) -> Any:
    """The stand-in serving the DST account, with ``change`` applied to a copy of its answer to
    ``GET path``."""
    import copy

    from oncall_planner.testing import PagerDutyStandIn

    pd = PagerDutyStandIn(_stand_in_account(), {TOKEN: None})
    served = pd.handle

    def handle(method: str, target: str, auth: str, raw: bytes) -> Any:
        status, body, headers = served(method, target, auth, raw)
        if method == "GET" and target.split("?")[0] == path and isinstance(body, dict):
            body = copy.deepcopy(body)
            change(body)
        return status, body, headers

    pd.handle = handle  # type: ignore[method-assign]
    return pd


SHAPES: dict[str, tuple[str, Callable[[Any], None]]] = {
    "overrides not a list": ("/schedules/PSOPS02/overrides", lambda b: b.update(overrides=5)),
    "an override a string": ("/schedules/PSOPS02/overrides", lambda b: b.update(overrides=["x"])),
    "a rule a string": (
        "/escalation_policies",
        lambda b: b["escalation_policies"][0].update(escalation_rules=["x"]),
    ),
    "a target a list": (
        "/escalation_policies",
        lambda b: b["escalation_policies"][0]["escalation_rules"][0].update(targets=[[1]]),
    ),
    "a v3 schedule without id": ("/v3/schedules", lambda b: b["schedules"][0].pop("id")),
    "a layer a string": (
        "/schedules/PSPAY01",
        lambda b: b["schedule"].update(schedule_layers=["x"]),
    ),
    "a layer's users a number": (
        "/schedules/PSPAY01",
        lambda b: b["schedule"]["schedule_layers"][0].update(users=7),
    ),
    "a rotation a string": (
        "/v3/schedules/PSV3001",
        lambda b: b["schedule"].update(rotations=["x"]),
    ),
    "a turn of 10**30 seconds": (
        "/schedules/PSPAY01",
        lambda b: b["schedule"]["schedule_layers"][0].update(rotation_turn_length_seconds=10**30),
    ),
    "a restriction of 1e300 seconds": (
        "/schedules/PSPAY01",
        lambda b: b["schedule"]["schedule_layers"][0].update(
            restrictions=[
                {
                    "type": "daily_restriction",
                    "start_time_of_day": "08:00:00",
                    "duration_seconds": 1e300,
                }
            ]
        ),
    ),
    "final entries a string": (
        "/schedules/PSPAY01",
        lambda b: b["schedule"].update(final_schedule={"rendered_schedule_entries": "x"}),
    ),
}


@pytest.mark.parametrize("shape", sorted(SHAPES))
def test_an_answer_in_a_shape_the_schema_does_not_allow_is_a_note_or_one_line(shape: str) -> None:
    import datetime as dt

    from oncall_planner.errors import OnCallPlannerError
    from oncall_planner.pagerduty_api import pull, verify

    path, change = SHAPES[shape]
    since = dt.datetime(2025, 3, 3, 14, tzinfo=dt.timezone.utc)
    window = {"since": since, "until": since + dt.timedelta(days=1)}
    with _mutated(path, change) as pd:
        for run in (
            lambda c: pull(c, **window, now=window["until"]),
            lambda c: verify(c, **window),
        ):
            try:
                run(client(pd.base_url))
            except OnCallPlannerError as error:
                assert "\n" not in str(error)


def test_a_cursor_that_comes_back_again_ends_the_listing_with_one_line() -> None:
    import json

    body = json.dumps({"records": [{"id": "A"}], "next_cursor": "c1"}).encode()
    with serve(answer(200, body)) as (url, seen), pytest.raises(APIError) as caught:
        for _ in client(url).iter_cursor("/audit/records", "records"):
            assert len(seen) < 10, "the same cursor was followed again and again"
    assert "cursor" in str(caught.value) and "\n" not in str(caught.value)
    assert len(seen) == 2


@pytest.mark.parametrize("token", ["Zq7k\\Wx9j", 'Zq7k"Wx9j'])
def test_a_recording_holds_no_token_even_one_that_json_escapes(token: str, tmp_path: Path) -> None:
    import json

    from oncall_planner.pagerduty_api.client import Recorder

    folder = tmp_path
    echoed = json.dumps({"users": [{"id": "U1", "name": token}], "more": False}).encode()
    with serve(answer(200, echoed)) as (url, _):
        PagerDutyClient(token, url, recorder=Recorder(folder), sleep=lambda s: None).get("/users")
    (saved,) = folder.glob("*.json")
    doc = json.loads(saved.read_text(encoding="utf-8"))
    assert doc["response"]["body"]["users"][0]["name"] == "<redacted>"


def test_a_base_url_with_a_password_is_refused_without_showing_it() -> None:
    with pytest.raises(APIError) as caught:
        PagerDutyClient(TOKEN, "https://me:s3cretpw@api.pagerduty.com")
    message = str(caught.value)
    assert "s3cretpw" not in message and "user name or password" in message


@pytest.mark.parametrize("url", ["http://me:s3cretpw@example.com", "https://:s3cretpw@"])
def test_a_base_url_refused_for_another_reason_does_not_show_its_password(url: str) -> None:
    with pytest.raises(APIError) as caught:
        PagerDutyClient(TOKEN, url)
    assert "s3cretpw" not in str(caught.value)


NOT_PAGERDUTY_JSON = {
    "a number of 5,000 digits": b'{"users": [], "more": false, "limit": ' + b"9" * 5000 + b"}",
    "NaN": b'{"users": [{"id": NaN}], "more": false}',
    "Infinity": b'{"users": [{"id": "U1", "x": -Infinity}], "more": false}',
    "a number too large for a float": b'{"users": [{"id": "U1", "x": 1e999}], "more": false}',
}


@pytest.mark.parametrize("what", sorted(NOT_PAGERDUTY_JSON))
def test_an_answer_with_a_number_json_cannot_hold_is_one_line_on_the_command_line(
    what: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    from oncall_planner.cli import main

    monkeypatch.setenv("PAGERDUTY_TOKEN", TOKEN)
    argv = ["--since", "2025-03-03T00:00Z", "--days", "1", "--record", str(tmp_path / "rec")]
    with serve(answer(200, NOT_PAGERDUTY_JSON[what])) as (url, _):
        code = main(["verify", "--base-url", url, *argv])
    err = capsys.readouterr().err
    assert code == 2 and "not JSON" in err and len(err.strip().splitlines()) == 1


def test_an_incident_without_an_id_is_left_out_of_the_page_history_with_a_note() -> None:
    import datetime as dt

    from oncall_planner.pagerduty_api import pull

    def drop_first_id(body: Any) -> None:
        body["incidents"][0].pop("id")

    since = dt.datetime(2025, 3, 3, 14, tzinfo=dt.timezone.utc)
    until = since + dt.timedelta(days=2)  # both incidents of the account
    with _mutated("/incidents", drop_first_id) as pd:
        account = pull(client(pd.base_url), since=since, until=until, now=until)
    assert [page.id for page in account.pages] == ["PINC002"]
    assert any("incident without an id" in note for note in account.notes)


@pytest.mark.parametrize(
    ("path", "ident"), [("/schedules/PSPAY01", "PSPAY01"), ("/v3/schedules/PSV3001", "PSV3001")]
)
def test_a_schedule_pagerduty_gives_no_final_schedule_for_is_not_verified_rather_than_judged(
    path: str, ident: str
) -> None:
    """Without PagerDuty's rendering there is nothing to compare with: neither "agrees at every
    minute" nor a disagreement with a PagerDuty that has nobody on call."""
    import datetime as dt

    from oncall_planner.pagerduty_api import verify

    def drop(body: Any) -> None:
        body["schedule"].pop("final_schedule", None)

    since = dt.datetime(2025, 3, 3, 14, tzinfo=dt.timezone.utc)
    with _mutated(path, drop) as pd:
        result = verify(client(pd.base_url), since=since, until=since + dt.timedelta(days=14))
    assert ident not in [check.pagerduty_id for check in result.schedules]
    assert any(ident in note and "not verified" in note for note in result.notes)
    assert len(result.schedules) >= 1  # the others still are


def test_verify_that_compared_nothing_is_exit_2_not_a_green_gate(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from oncall_planner.cli import main

    def drop(body: Any) -> None:
        body["schedule"].pop("final_schedule", None)

    monkeypatch.setenv("PAGERDUTY_TOKEN", TOKEN)
    argv = ["--since", "2025-03-03T14:00Z", "--days", "1", "--schedule", "PSPAY01"]
    with _mutated("/schedules/PSPAY01", drop) as pd:
        code = main(["verify", "--base-url", pd.base_url, *argv])
    captured = capsys.readouterr()
    assert code == 2
    assert "PSPAY01" in captured.out and "not verified" in captured.out  # the note says why
    assert captured.err.strip().endswith(
        "nothing verified: no schedule could be compared with PagerDuty (1 note(s) above say why)"
    )


def _recording(tmp_path: Path) -> Path:
    import shutil

    folder = tmp_path / "recording"
    shutil.copytree(Path(__file__).parent / "data" / "pagerduty" / "recorded-dst", folder)
    return folder


@pytest.mark.parametrize("target", ["outside", "/dev/zero"])
def test_a_replayed_recording_never_reads_through_a_link_out_of_its_folder(
    target: str, tmp_path: Path
) -> None:
    """A recording comes from a bug report, someone else's folder: a link in it to a file of
    yours (or to /dev/zero, which never ends) is refused before anything is read."""
    from oncall_planner.errors import OnCallPlannerError
    from oncall_planner.pagerduty_api.client import ReplayTransport

    folder = _recording(tmp_path)
    secret = tmp_path / "secret.json"
    secret.write_text('{"request": {}, "response": {}}', encoding="utf-8")
    (folder / "0999-GET-users.json").symlink_to(secret if target == "outside" else target)
    with pytest.raises(OnCallPlannerError) as caught:
        ReplayTransport(folder)
    assert "0999-GET-users.json" in str(caught.value) and "outside" in str(caught.value)


def test_a_replayed_recording_refuses_a_fifo_and_a_huge_file_unread(tmp_path: Path) -> None:
    import os

    from oncall_planner.errors import OnCallPlannerError
    from oncall_planner.pagerduty_api.client import MAX_BYTES, ReplayTransport

    folder = _recording(tmp_path)
    os.mkfifo(folder / "0998-GET-users.json")  # reading it would wait for ever
    with pytest.raises(OnCallPlannerError) as caught:
        ReplayTransport(folder)
    assert "not a file" in str(caught.value)
    (folder / "0998-GET-users.json").unlink()
    with open(folder / "0997-GET-users.json", "wb") as huge:
        huge.truncate(MAX_BYTES + 1)  # sparse: nothing written
    with pytest.raises(OnCallPlannerError) as caught:
        ReplayTransport(folder)
    assert "larger than" in str(caught.value)


def _trickle_headers(h: http.server.BaseHTTPRequestHandler) -> None:
    """The status line, then a header that never ends, a byte at a time."""
    import time

    h.wfile.write(b"HTTP/1.1 200 OK\r\nX-Slow: ")
    h.wfile.flush()
    for _ in range(100):  # 10 s at most, so the server thread ends after the test
        time.sleep(0.1)
        h.wfile.write(b"a")
        h.wfile.flush()
    h.close_connection = True


def test_headers_that_trickle_forever_are_given_up_after_the_deadline() -> None:
    with serve(_trickle_headers) as (url, seen):
        c = client(url, deadline=0.5, max_attempts=1)
        with pytest.raises(APIError, match=r"cannot reach PagerDuty.*0\.5 s"):
            c.get("/users")
    assert len(seen) == 1


@pytest.mark.parametrize(
    "url",
    [
        "u+Zq7kWx9jSecret",  # the token, pasted where the URL goes
        "https://api.pagerduty.com/?token=Zq7kWx9jSecret",
        "http://api.pagerduty.com/Zq7kWx9jSecret",
        "https://[::1/Zq7kWx9jSecret",
        "https://api.pagerduty.com:99999/Zq7kWx9jSecret",
    ],
)
def test_a_refused_base_url_is_one_line_that_never_echoes_what_may_be_a_secret(
    url: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from oncall_planner.cli import main

    monkeypatch.setenv("PAGERDUTY_TOKEN", TOKEN)
    code = main(["verify", "--base-url", url, "--since", "2025-03-03T00:00Z", "--days", "1"])
    err = capsys.readouterr().err
    assert code == 2 and len(err.strip().splitlines()) == 1
    assert "Zq7kWx9jSecret" not in err and "--base-url" in err


def test_a_ledger_whose_overrides_are_not_a_list_is_one_line(tmp_path: Path) -> None:
    from oncall_planner.errors import InputReadError
    from oncall_planner.pagerduty_api.overrides import LEDGER_FORMAT, OverrideLedger

    path = tmp_path / "cover.ledger.json"
    path.write_text(f'{{"format": "{LEDGER_FORMAT}", "overrides": 5}}', encoding="utf-8")
    with pytest.raises(InputReadError, match="overrides must be a list"):
        OverrideLedger.load(path)


def test_a_ledger_that_cannot_be_written_whole_keeps_the_previous_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The ledger is what says which overrides are ours: a full disk mid-write must not leave
    half a file (the next run could not read it) but the previous ledger."""
    import datetime as dt
    import errno
    import os

    from oncall_planner.errors import OnCallPlannerError
    from oncall_planner.pagerduty_api.overrides import LedgerItem, OverrideLedger

    path = tmp_path / "cover.ledger.json"
    at = dt.datetime(2025, 3, 3, tzinfo=dt.timezone.utc)
    ledger = OverrideLedger([LedgerItem("PS1", "PO1", at, at + dt.timedelta(hours=1), "PU1")], path)
    ledger.save()
    before = path.read_bytes()
    ledger.items.append(LedgerItem("PS1", "PO2", at, at + dt.timedelta(hours=2), "PU1"))

    def full(fd: int) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", full)
    with pytest.raises(OnCallPlannerError, match="No space left"):
        ledger.save()
    assert path.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["cover.ledger.json"]


def test_a_page_history_reaching_before_1970_is_refused_before_any_call(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """--history-days 739000 asked PagerDuty for 4,000 half-years of incidents, back to year 2."""
    from oncall_planner.cli import main

    monkeypatch.setenv("PAGERDUTY_TOKEN", TOKEN)
    window = ["--since", "2025-03-03", "--history-days", "739000"]
    with serve(answer(200, b'{"users": [], "more": false}')) as (url, seen):
        code = main(["pull", "--base-url", url, *window, "-o", str(tmp_path / "plan.json")])
    err = capsys.readouterr().err
    assert code == 2 and seen == []
    assert "--history-days 739000" in err and "1970" in err


def test_recording_twice_into_one_folder_keeps_the_first_recording(tmp_path: Path) -> None:
    """`pull --record rec` then `verify --record rec`: the second run numbered its files from 1
    again and wrote over the first run's (0001-GET-users.json, ...), leaving a mix of both."""
    from oncall_planner.pagerduty_api.client import Recorder

    folder = tmp_path / "rec"
    with serve(answer(200, b'{"users": [{"id": "U1"}], "more": false}')) as (url, _):
        PagerDutyClient(TOKEN, url, recorder=Recorder(folder)).get("/users")
    first = {p.name: p.read_bytes() for p in folder.iterdir()}
    with serve(answer(200, b'{"users": [{"id": "U2"}], "more": false}')) as (url, _):
        PagerDutyClient(TOKEN, url, recorder=Recorder(folder)).get("/users")
    now = {p.name: p.read_bytes() for p in folder.iterdir()}
    assert len(now) == 2 and all(now[name] == body for name, body in first.items())


def test_a_recording_never_writes_through_a_link_planted_at_its_next_name(tmp_path: Path) -> None:
    from oncall_planner.errors import OnCallPlannerError
    from oncall_planner.pagerduty_api.client import Recorder

    folder = tmp_path / "rec"
    folder.mkdir()
    outside = tmp_path / "precious.txt"
    outside.write_text("keep me", encoding="utf-8")
    recorder = Recorder(folder)  # the folder is empty: the next file is 0001-...
    (folder / "0001-GET-users.json").symlink_to(outside)
    body = json.dumps({"users": [], "more": False}).encode()
    with serve(answer(200, body)) as (url, _):
        client = PagerDutyClient("tok", url, recorder=recorder, sleep=lambda s: None)
        with pytest.raises(OnCallPlannerError, match="appeared while recording"):
            client.get("/users")
    assert outside.read_text(encoding="utf-8") == "keep me"
