"""The API client against a real HTTP server on 127.0.0.1 (the stand-in), not mocks of our code."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from oncall_planner.errors import APIError
from oncall_planner.pagerduty_api.client import (
    EU_BASE_URL,
    PagerDutyClient,
    Recorder,
    ReplayTransport,
    base_url_from,
    credentials_from_environment,
    token_from_environment,
)
from oncall_planner.testing import READ_ONLY, PagerDutyStandIn

DATA = Path(__file__).parent / "data" / "pagerduty"
TOKEN = "pd-test-token-9f2c41"
READER = "pd-read-only-token-77ab"


def account() -> dict:
    return json.loads((DATA / "dst-account.json").read_text(encoding="utf-8"))


@pytest.fixture
def pd() -> Iterator[PagerDutyStandIn]:
    with PagerDutyStandIn(account(), {TOKEN: None, READER: READ_ONLY}) as server:
        yield server


def client(
    pd: PagerDutyStandIn, token: str = TOKEN, **options: object
) -> tuple[PagerDutyClient, list[float]]:
    slept: list[float] = []
    made = PagerDutyClient(token, pd.base_url, sleep=slept.append, seed=7, **options)  # type: ignore[arg-type]
    return made, slept


def test_classic_pagination_follows_more_and_advances_by_what_came_back(
    pd: PagerDutyStandIn,
) -> None:
    c, _ = client(pd)
    users = list(c.iter_all("/users", "users", limit=3))
    assert [u["id"] for u in users] == ["PUANA01", "PUBEN02", "PUCEM03", "PUDIA04"]
    offsets = [q["offset"] for m, p, q in pd.requests if p == "/users"]
    assert offsets == [["0"], ["3"]]


def test_cursor_pagination_follows_next_cursor(pd: PagerDutyStandIn) -> None:
    c, _ = client(pd)
    records = list(c.iter_cursor("/audit/records", "records", limit=2))
    assert [r["id"] for r in records] == ["A1", "A2", "A3"]
    cursors = [q.get("cursor") for m, p, q in pd.requests if p == "/audit/records"]
    assert cursors == [None, ["2"]]


def test_a_429_waits_what_retry_after_says(pd: PagerDutyStandIn) -> None:
    pd.fail_next(429, count=2, path="/teams", retry_after="3")
    c, slept = client(pd)
    assert [t["id"] for t in c.iter_all("/teams", "teams")] == ["PTPAY01"]
    assert slept == [3.0, 3.0]


def test_a_429_without_retry_after_uses_pagerdutys_ratelimit_reset(pd: PagerDutyStandIn) -> None:
    pd.fail_next(429, path="/teams", retry_after="5", header="ratelimit-reset")
    c, slept = client(pd)
    list(c.iter_all("/teams", "teams"))
    assert slept == [5.0]


def test_a_long_retry_after_is_capped(pd: PagerDutyStandIn) -> None:
    pd.fail_next(429, path="/teams", retry_after="3600")
    c, slept = client(pd, max_wait=20.0)
    list(c.iter_all("/teams", "teams"))
    assert slept == [20.0]


def test_5xx_is_retried_with_a_bounded_jittered_backoff_that_a_seed_makes_repeatable(
    pd: PagerDutyStandIn,
) -> None:
    pd.fail_next(503, count=3, path="/teams")
    c, slept = client(pd, backoff=1.0)
    list(c.iter_all("/teams", "teams"))
    assert len(slept) == 3
    for n, wait in enumerate(slept):  # backoff * 2**n times a jitter factor in [0.5, 1)
        assert 0.5 * 2**n <= wait < 2**n
    pd.fail_next(503, count=3, path="/teams")
    again, slept_again = client(pd, backoff=1.0)
    list(again.iter_all("/teams", "teams"))
    assert slept_again == slept


def test_5xx_gives_up_after_max_attempts_with_one_line(pd: PagerDutyStandIn) -> None:
    pd.fail_next(502, count=10, path="/teams")
    c, slept = client(pd, max_attempts=3)
    with pytest.raises(APIError) as caught:
        list(c.iter_all("/teams", "teams"))
    assert str(caught.value) == "PagerDuty answered 502 to GET /teams 3 times; try again later"
    assert len(slept) == 2


def test_401_says_to_check_the_token_and_the_region_without_showing_it(
    pd: PagerDutyStandIn,
) -> None:
    c, _ = client(pd, token="wrong-token-123456")
    with pytest.raises(APIError) as caught:
        c.get("/users")
    message = str(caught.value)
    assert caught.value.status == 401
    assert "PAGERDUTY_TOKEN" in message and EU_BASE_URL in message
    assert "wrong-token-123456" not in message and "\n" not in message


def test_403_names_the_permission_the_token_lacks(pd: PagerDutyStandIn) -> None:
    c, _ = client(pd, token=READER)
    with pytest.raises(APIError) as caught:
        c.post("/schedules/PSPAY01/overrides", {"overrides": []})
    assert caught.value.status == 403
    assert "'schedules.write'" in str(caught.value)


def test_404_names_what_was_not_found(pd: PagerDutyStandIn) -> None:
    c, _ = client(pd)
    with pytest.raises(APIError) as caught:
        c.get("/schedules/PNOPE99")
    assert str(caught.value).startswith("PagerDuty has no schedule PNOPE99 (404 Not Found")


def test_an_unreachable_server_is_one_line_after_bounded_retries() -> None:
    with PagerDutyStandIn(account(), {TOKEN: None}) as server:
        url = server.base_url
    slept: list[float] = []
    c = PagerDutyClient(TOKEN, url, sleep=slept.append, seed=1, max_attempts=2)
    with pytest.raises(APIError) as caught:
        c.get("/users")
    assert str(caught.value).startswith(f"cannot reach PagerDuty at {url} (GET /users)")
    assert len(slept) == 1


def test_the_token_comes_from_the_providers_variables() -> None:
    assert token_from_environment({"PAGERDUTY_TOKEN": " abc "}) == "abc"
    assert token_from_environment({"PAGERDUTY_USER_TOKEN": "u1"}) == "u1"
    with pytest.raises(APIError, match="set PAGERDUTY_TOKEN"):
        token_from_environment({})


def test_an_oauth_token_is_read_when_no_api_key_is_set() -> None:
    assert credentials_from_environment({"PAGERDUTY_OAUTH_TOKEN": " oa1 "}) == ("oa1", True)
    both = {"PAGERDUTY_TOKEN": "key1", "PAGERDUTY_OAUTH_TOKEN": "oa1"}
    assert credentials_from_environment(both) == ("key1", False)  # the provider's variables first
    with pytest.raises(APIError, match="PAGERDUTY_OAUTH_TOKEN to a scoped OAuth access token"):
        credentials_from_environment({})


def test_an_oauth_token_is_sent_as_a_bearer_token() -> None:
    # PagerDuty takes API keys as "Token token=…" and OAuth access tokens as "Bearer …"; the
    # stand-in accepts each only in its own scheme.
    oauth = "pd-oauth-access-5e11"
    with PagerDutyStandIn(account(), {TOKEN: None}, oauth_tokens={oauth: READ_ONLY}) as server:
        c = PagerDutyClient.from_environment(server.base_url, {"PAGERDUTY_OAUTH_TOKEN": oauth})
        assert [u["id"] for u in c.iter_all("/users", "users")][:1] == ["PUANA01"]
        with pytest.raises(APIError) as refused:  # its scopes hold, as for an API key
            c.post("/schedules/PSPAY01/overrides", {"overrides": []})
        assert refused.value.status == 403
        as_key = PagerDutyClient(oauth, server.base_url, max_attempts=1)
        with pytest.raises(APIError) as caught:
            as_key.get("/users")
        assert caught.value.status == 401


def test_the_base_url_is_https_or_a_local_stand_in() -> None:
    assert base_url_from(None, {}) == "https://api.pagerduty.com"
    assert base_url_from(None, {"PAGERDUTY_SERVICE_REGION": "eu"}) == EU_BASE_URL
    assert base_url_from("http://127.0.0.1:8080/", {}) == "http://127.0.0.1:8080"
    with pytest.raises(APIError, match="use https://"):
        base_url_from("http://pagerduty.example.com", {})
    with pytest.raises(APIError, match="'us' or 'eu'"):
        base_url_from(None, {"PAGERDUTY_SERVICE_REGION": "mars"})


def test_the_client_never_shows_its_token() -> None:
    c = PagerDutyClient(TOKEN, "https://api.pagerduty.com")
    assert TOKEN not in repr(c) and TOKEN not in str(vars(c).get("base_url"))


def test_a_recording_holds_no_token_and_replays_the_same_answers(
    pd: PagerDutyStandIn, tmp_path: Path
) -> None:
    c, _ = client(pd, recorder=Recorder(tmp_path))
    live = list(c.iter_all("/users", "users", limit=2))
    files = sorted(tmp_path.iterdir())
    assert len(files) == 2
    assert all(TOKEN not in f.read_text(encoding="utf-8") for f in files)
    replayed = PagerDutyClient("x", transport=ReplayTransport(tmp_path))
    assert list(replayed.iter_all("/users", "users", limit=2)) == live
    with pytest.raises(APIError, match="has no response for GET /teams"):
        replayed.get("/teams")
