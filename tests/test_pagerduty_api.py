"""Pull, the plan file, verify and overrides apply, end to end against the stand-in on 127.0.0.1."""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from oncall_planner import InputReadError, render, strategies
from oncall_planner.cli import main
from oncall_planner.pagerduty_api import (
    OverrideLedger,
    PagerDutyClient,
    account_from_json,
    compare_schedule,
    plan_overrides,
    pull,
    verify,
)
from oncall_planner.pagerduty_api.planfile import dumps, load_account
from oncall_planner.testing import PagerDutyStandIn, account_from_plan

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "examples"))
from seed_plan import build_plan

DATA = Path(__file__).parent / "data" / "pagerduty"
TOKEN = "pd-e2e-token-5c1d7a0b"
UTC = dt.timezone.utc
SINCE = dt.datetime(2025, 3, 3, 14, tzinfo=UTC)  # Monday 09:00 in New York
UNTIL = dt.datetime(2025, 3, 17, 13, tzinfo=UTC)  # two weeks later, after the DST change
WINDOW = ["--since", "2025-03-03T14:00Z", "--until", "2025-03-17T13:00Z"]


def dst_account() -> dict:
    return json.loads((DATA / "dst-account.json").read_text(encoding="utf-8"))


@pytest.fixture
def pd() -> Iterator[PagerDutyStandIn]:
    with PagerDutyStandIn(dst_account(), {TOKEN: None}, now=SINCE) as server:
        yield server


@pytest.fixture
def env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PAGERDUTY_TOKEN", TOKEN)


def client(pd: PagerDutyStandIn) -> PagerDutyClient:
    return PagerDutyClient(TOKEN, pd.base_url, sleep=lambda s: None, seed=1)


# --- pull ---------------------------------------------------------------------------------------


def test_pull_reads_every_object_into_the_librarys_values(pd: PagerDutyStandIn) -> None:
    account = pull(client(pd), since=SINCE, until=UNTIL, now=UNTIL)
    plan = account.plan
    assert [s.name for s in plan.schedules] == ["Ops Daytime", "Payments"]
    ops = plan.schedule("Ops Daytime")
    # GET lists layers newest first: the pull puts them back in precedence order
    assert [layer.name for layer in ops.layers] == ["Base", "Weekdays"]
    assert [str(r) for r in ops.layers[1].restrictions] == [
        "weekly from Monday 09:00 for 9 hours",
        "weekly from Wednesday 09:00 for 9 hours",
    ]
    policy = plan.escalation_policy("Payments Escalation")
    assert [[t.name for t in r.targets] for r in policy.rules] == [
        ["Payments"],
        ["Cem Aydin", "Ops Daytime"],
    ]
    assert policy.rules[1].round_robin and policy.num_loops == 1 and policy.team.name == "Payments"
    assert [m.email for m in plan.teams[0].members] == ["ana@example.com", "ben@example.com"]
    assert [(o.user.name, o.start) for o in account.overrides["Ops Daytime"]] == [
        ("Ana Ruiz", dt.datetime(2025, 3, 5, 9, tzinfo=UTC))
    ]
    assert account.ids.schedules == {
        "Ops Daytime": "PSOPS02",
        "Payments": "PSPAY01",
        "Support Shifts": "PSV3001",
    }
    assert [s.name for s in plan.shift_schedules] == ["Support Shifts"]  # from /v3/schedules


def test_pull_turns_incidents_and_log_entries_into_pages(pd: PagerDutyStandIn) -> None:
    account = pull(client(pd), since=SINCE, until=UNTIL, now=UNTIL)
    first, merged = account.pages
    assert first.id == "PINC001" and first.user.email == "ana@example.com"  # the notified user
    assert first.time_to_acknowledge == dt.timedelta(minutes=3, seconds=30)
    assert first.time_to_resolve == dt.timedelta(minutes=47, seconds=20)
    assert merged.user.email == "ben@example.com"  # no notify entry: the first assignee
    assert merged.merged and merged.time_to_resolve is None and merged.urgency == "low"


def test_pull_by_schedule_keeps_its_policies_and_brings_the_schedules_they_page(
    pd: PagerDutyStandIn,
) -> None:
    account = pull(client(pd), since=SINCE, until=UNTIL, schedule_ids=["PSPAY01"], pages=False)
    assert [s.name for s in account.plan.schedules] == ["Ops Daytime", "Payments"]
    assert any("pulled 1 more schedule(s)" in note for note in account.notes)


@settings(max_examples=8)
@given(strategies.plans(max_schedules=2))
def test_a_plan_served_by_the_stand_in_is_pulled_back_as_it_was(plan: object) -> None:
    with PagerDutyStandIn(account_from_plan(plan), {TOKEN: None}) as server:  # type: ignore[arg-type]
        account = pull(client(server), since=SINCE, until=UNTIL, pages=False)
    assert sorted(account.plan.schedules, key=lambda s: s.name) == sorted(
        plan.schedules,
        key=lambda s: s.name,  # type: ignore[attr-defined]
    )
    assert sorted(account.plan.escalation_policies, key=lambda p: p.name) == sorted(
        plan.escalation_policies,
        key=lambda p: p.name,  # type: ignore[attr-defined]
    )


# --- the plan file ------------------------------------------------------------------------------


def test_the_plan_file_round_trips_byte_for_byte(pd: PagerDutyStandIn) -> None:
    account = pull(client(pd), since=SINCE, until=UNTIL, now=UNTIL)
    text = dumps(account)
    again = account_from_json(json.loads(text))
    assert again == account
    assert dumps(again) == text


def test_every_command_takes_the_plan_file(pd: PagerDutyStandIn, tmp_path: Path, env: None) -> None:
    plan_file = tmp_path / "plan.json"
    url = ["--base-url", pd.base_url]
    assert main(["pull", *url, *WINDOW, "--schedule", "PSPAY01", "-o", str(plan_file)]) == 0
    out = tmp_path / "pagerduty.tf.json"
    assert main(["emit", str(plan_file), "-o", str(out), "-q"]) == 0
    doc = json.loads(out.read_text(encoding="utf-8"))
    assert set(doc["resource"]["pagerduty_schedule"]) == {"ops_daytime", "payments"}
    assert main(["render", str(plan_file), *WINDOW, "-o", str(tmp_path / "r.txt"), "-q"]) == 0
    assert main(["report", str(plan_file), *WINDOW, "-o", str(tmp_path / "f.txt"), "-q"]) == 0


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            lambda d: d.update(version=3),
            "reads versions 1 and 2 of the plan file, got 3 (written by a newer",
        ),
        (
            lambda d: d["schedules"][0]["layers"][0]["users"].append("zed@example.com"),
            "schedules[0].layers[0].users[2]: no user with email 'zed@example.com'",
        ),
        (lambda d: d["users"][0].update(nickname="x"), "users[0]: unknown key 'nickname'"),
        (
            lambda d: d["schedules"][0]["layers"][0].update(turn_length_seconds=60),
            "schedules[0].layers[0]: Layer 'Base': turn_length must be between 1 hour",
        ),
    ],
)
def test_a_broken_plan_file_names_the_field(
    pd: PagerDutyStandIn, tmp_path: Path, change: object, message: str
) -> None:
    doc = json.loads(dumps(pull(client(pd), since=SINCE, until=UNTIL, pages=False)))
    change(doc)  # type: ignore[operator]
    path = tmp_path / "plan.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    with pytest.raises(InputReadError) as caught:
        load_account(path)
    assert str(caught.value).startswith(f"{path}: ") and message in str(caught.value)


# --- verify -------------------------------------------------------------------------------------


def test_the_stand_ins_renderer_agrees_with_ours_on_the_seed(tmp_path: Path) -> None:
    with PagerDutyStandIn(account_from_plan(build_plan()), {TOKEN: None}) as server:
        result = verify(client(server), since=SINCE, until=SINCE + dt.timedelta(days=28))
    assert result.ok and len(result.schedules) == 1


@settings(max_examples=8)
@given(strategies.schedules(), st.sampled_from([3, 10]))
def test_the_stand_ins_independent_renderer_agrees_with_ours(schedule: object, days: int) -> None:
    """Two implementations of the documented rules: any disagreement is a bug in one of them."""
    from oncall_planner import OnCallPlan

    plan = OnCallPlan(schedules=[schedule])  # type: ignore[list-item]
    start = schedule.layers[0].start  # type: ignore[attr-defined]
    with PagerDutyStandIn(account_from_plan(plan), {TOKEN: None}) as server:
        result = verify(client(server), since=start, until=start + dt.timedelta(days=days))
    assert result.ok, result.to_text()


def test_verify_reports_the_known_disagreement_with_the_layer_and_the_dst_change(
    pd: PagerDutyStandIn,
) -> None:
    result = verify(client(pd), since=SINCE, until=UNTIL)
    ops, payments, _ = result.schedules
    assert ops.ok and payments.kind == "layer-based"
    (found,) = payments.disagreements
    assert (found.start, found.end) == (
        dt.datetime(2025, 3, 10, 13, tzinfo=UTC),
        dt.datetime(2025, 3, 10, 14, tzinfo=UTC),
    )
    assert (found.ours, found.theirs) == ("Ben Okafor", "Ana Ruiz")
    assert found.ours_from == "layer 1 'Weekly'"
    assert found.layers == ("layer 1 'Weekly' on its own: ours Ben Okafor, PagerDuty Ana Ruiz",)
    assert any("daylight-saving change in America/New_York on 2025-03-09" in h for h in found.hints)


def test_verify_on_the_command_line_exits_1_and_replays_its_recording(
    pd: PagerDutyStandIn, tmp_path: Path, env: None, capsys: pytest.CaptureFixture[str]
) -> None:
    recorded = tmp_path / "recorded"
    code = main(["verify", "--base-url", pd.base_url, *WINDOW, "--record", str(recorded)])
    live = capsys.readouterr().out
    assert code == 1
    assert "Schedule 'Payments' (PSPAY01)" in live and "1 disagreement with PagerDuty" in live
    assert main(["verify", *WINDOW, "--replay", str(recorded)]) == 1
    assert capsys.readouterr().out == live


def test_the_committed_recording_of_a_disagreement_replays(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """tests/data/pagerduty/recorded-dst was made with --record against the DST fixture."""
    code = main(["verify", *WINDOW, "--replay", str(DATA / "recorded-dst"), "--format", "json"])
    doc = json.loads(capsys.readouterr().out)
    assert code == 1
    payments = next(s for s in doc["schedules"] if s["name"] == "Payments")
    assert payments["minutes_apart"] == 60
    # recorded before shift-based schedules were verified: it has no /v3 calls, and says so
    assert [s["kind"] for s in doc["schedules"]] == ["layer-based", "layer-based"]
    assert any("no GET /v3/schedules" in note for note in doc["notes"])


def test_compare_schedule_sees_a_split_only_difference_as_agreement() -> None:
    schedule = build_plan().schedules[0]
    since, until = SINCE, SINCE + dt.timedelta(days=3)
    final = render(schedule, since, until)
    entries = []
    for e in final.entries:  # PagerDuty cuts the same stretch at midnight UTC
        middle = e.start + (e.end - e.start) / 2
        for a, b in ((e.start, middle), (middle, e.end)):
            entries.append(
                {"user": {"id": e.user.email}, "start": a.isoformat(), "end": b.isoformat()}
            )
    doc = {
        "id": "PX",
        "final_schedule": {"rendered_schedule_entries": entries},
        "schedule_layers": [],
    }
    check = compare_schedule(schedule, doc, since, until)
    assert check.ok
    assert any("only split differently" in n for n in check.notes)


# --- overrides apply ----------------------------------------------------------------------------


def _wanted(tmp_path: Path) -> Path:
    path = tmp_path / "cover.csv"
    path.write_text(
        "schedule,start,end,user\n"
        "Payments,2030-03-20T09:00,2030-03-21T09:00,ben@example.com\n"
        "Payments,2030-03-22T09:00,2030-03-23T09:00,Ana Ruiz\n",
        encoding="utf-8",
    )
    return path


def _writes(pd: PagerDutyStandIn) -> list[tuple[str, str]]:
    return [(m, p) for m, p, _ in pd.requests if m in ("POST", "DELETE")]


def test_overrides_apply_is_a_dry_run_by_default(
    pd: PagerDutyStandIn, tmp_path: Path, env: None, capsys: pytest.CaptureFixture[str]
) -> None:
    plan_file = tmp_path / "plan.json"
    main(["pull", "--base-url", pd.base_url, *WINDOW, "-o", str(plan_file), "--no-pages"])
    code = main(
        [
            "overrides",
            "apply",
            str(plan_file),
            "--from",
            str(_wanted(tmp_path)),
            "--base-url",
            pd.base_url,
        ]
    )
    out = capsys.readouterr()
    assert code == 0 and _writes(pd) == []
    assert "Schedule 'Payments' (PSPAY01): 2 to create" in out.out
    assert "dry run: 2 changes to make; nothing changed" in out.err


def test_overrides_apply_twice_changes_nothing_the_second_time_and_deletes_only_its_own(
    pd: PagerDutyStandIn, tmp_path: Path, env: None, capsys: pytest.CaptureFixture[str]
) -> None:
    plan_file = tmp_path / "plan.json"
    main(["pull", "--base-url", pd.base_url, *WINDOW, "-o", str(plan_file), "--no-pages"])
    wanted = _wanted(tmp_path)
    args = [
        "overrides",
        "apply",
        str(plan_file),
        "--from",
        str(wanted),
        "--base-url",
        pd.base_url,
        "--yes",
    ]
    assert main(args) == 0
    assert [m for m, _ in _writes(pd)] == ["POST", "POST"]
    ledger = OverrideLedger.load(tmp_path / "cover.ledger.json")
    assert len(ledger.items) == 2
    before = len(pd.requests)
    assert main(args) == 0
    assert [m for m, _, _ in pd.requests[before:] if m != "GET"] == []
    assert "Nothing to change" in capsys.readouterr().out
    # someone adds an override by hand; the rota drops its second line
    pd.account["overrides"]["PSPAY01"].append(
        {
            "id": "PHAND99",
            "start": "2030-03-22T13:00:00Z",
            "end": "2030-03-22T20:00:00Z",
            "user": {"id": "PUBEN02", "type": "user_reference"},
        }
    )
    wanted.write_text(
        wanted.read_text(encoding="utf-8").splitlines()[0]
        + "\n"
        + wanted.read_text(encoding="utf-8").splitlines()[1]
        + "\n",
        encoding="utf-8",
    )
    before = len(pd.requests)
    assert main(args) == 0
    deleted = [p for m, p, _ in pd.requests[before:] if m == "DELETE"]
    assert len(deleted) == 1 and "PHAND99" not in deleted[0]
    ids = [o["id"] for o in pd.account["overrides"]["PSPAY01"]]
    assert "PHAND99" in ids and len(ids) == 2


def test_overrides_apply_stops_at_the_first_error_and_says_what_was_done(
    pd: PagerDutyStandIn, tmp_path: Path, env: None, capsys: pytest.CaptureFixture[str]
) -> None:
    plan_file = tmp_path / "plan.json"
    main(["pull", "--base-url", pd.base_url, *WINDOW, "-o", str(plan_file), "--no-pages"])
    wanted = _wanted(tmp_path)
    account = load_account(plan_file)
    from oncall_planner.pagerduty_api import apply_overrides, load_overrides

    c = client(pd)
    diff = plan_overrides(c, account, load_overrides(wanted, account.plan), OverrideLedger())
    pd.fail_next(500, count=1, path="/schedules/PSPAY01/overrides")  # the first POST succeeds...
    pd.requests.clear()
    first = apply_overrides(
        PagerDutyClient(TOKEN, pd.base_url, max_attempts=1), diff, ledger := OverrideLedger()
    )
    assert not first.ok and len(first.done) == 0 and len(first.not_attempted) == 1
    assert "answered 500" in (first.error or "")
    again = apply_overrides(
        c, plan_overrides(c, account, load_overrides(wanted, account.plan), ledger), ledger
    )
    assert again.ok and [a.kind for a in again.done] == ["create", "create"]
    lines = first.to_text().splitlines()
    assert lines[0].startswith("FAILED create:") and "Nothing to change" not in lines[0]
    assert lines[-1].startswith("not attempted create:")


def test_overrides_apply_after_an_answer_lost_on_the_way_makes_no_duplicate(
    pd: PagerDutyStandIn, tmp_path: Path
) -> None:
    from oncall_planner.pagerduty_api import apply_overrides, load_overrides, pull

    account = pull(client(pd), since=SINCE, until=SINCE + dt.timedelta(days=14), pages=False)
    wanted = load_overrides(_wanted(tmp_path), account.plan)
    ledger = OverrideLedger(path=tmp_path / "ledger.json")
    c = client(pd)
    served = pd.handle

    def lose_the_second_answer(method: str, target: str, auth: str, raw: bytes) -> Any:
        status, body, headers = served(method, target, auth, raw)  # PagerDuty does it...
        if method == "POST" and sum(m == "POST" for m, _, _ in pd.requests) == 2:
            return 504, {"error": {"message": "Gateway Timeout"}}, {}  # ...the answer is lost
        return status, body, headers

    pd.handle = lose_the_second_answer  # type: ignore[method-assign]
    first = apply_overrides(c, plan_overrides(c, account, wanted, ledger), ledger)
    pd.handle = served  # type: ignore[method-assign]
    assert not first.ok and "may or may not have been done" in (first.error or "")
    assert [m for m, _ in _writes(pd)] == ["POST", "POST"]
    again = plan_overrides(c, account, wanted, ledger)
    assert sorted(a.kind for a in again.actions) == ["keep", "keep"]
    assert len(pd.account["overrides"]["PSPAY01"]) == 2


def test_an_identical_override_made_by_hand_does_not_displace_ours(
    pd: PagerDutyStandIn, tmp_path: Path
) -> None:
    from oncall_planner.pagerduty_api import apply_overrides, load_overrides, pull

    account = pull(client(pd), since=SINCE, until=SINCE + dt.timedelta(days=14), pages=False)
    wanted = load_overrides(_wanted(tmp_path), account.plan)
    ledger = OverrideLedger(path=tmp_path / "ledger.json")
    c = client(pd)
    assert apply_overrides(c, plan_overrides(c, account, wanted, ledger), ledger).ok
    ours = list(pd.account["overrides"]["PSPAY01"])
    twin = {**ours[0], "id": "PHAND01"}  # a colleague made the same one; PagerDuty lists it first
    pd.account["overrides"]["PSPAY01"] = [twin, *ours]
    again = plan_overrides(c, account, wanted, ledger)
    assert sorted(a.kind for a in again.actions) == ["keep", "keep"]
    assert {a.override_id for a in again.actions} == {o["id"] for o in ours}


# --- the whole story, and the token nowhere ------------------------------------------------------


def test_end_to_end_pull_verify_apply_twice_and_the_token_is_in_no_output(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("PAGERDUTY_TOKEN", TOKEN)
    work = tmp_path / "work"
    work.mkdir()
    logs = []
    with PagerDutyStandIn(dst_account(), {TOKEN: None}, now=SINCE) as server:
        url = ["--base-url", server.base_url]
        plan_file = work / "plan.json"
        assert (
            main(["pull", *url, *WINDOW, "-o", str(plan_file), "--record", str(work / "pull")]) == 0
        )
        assert (
            main(
                [
                    "verify",
                    *url,
                    *WINDOW,
                    "--record",
                    str(work / "verify"),
                    "-o",
                    str(work / "verify.txt"),
                ]
            )
            == 1
        )
        assert "ours Ben Okafor, PagerDuty Ana Ruiz" in (work / "verify.txt").read_text(
            encoding="utf-8"
        )
        shutil.copy(_wanted(tmp_path), work / "cover.csv")
        apply = [
            "overrides",
            "apply",
            str(plan_file),
            "--from",
            str(work / "cover.csv"),
            *url,
            "--yes",
            "--record",
            str(work / "apply"),
        ]
        assert main(apply) == 0
        posts = sum(1 for m, _, _ in server.requests if m == "POST")
        assert main(apply) == 0
        assert sum(1 for m, _, _ in server.requests if m == "POST") == posts == 2
        # the pulled account has a shift-based schedule: pagerduty_schedulev2, its custom
        # shift left out with a note
        assert main(["emit", str(plan_file), "-o", str(work / "pagerduty.tf.json")]) == 0
        captured = capsys.readouterr()
        assert "pagerduty_schedulev2" in (work / "pagerduty.tf.json").read_text()
        logs = [captured.out, captured.err]
    files = [p for p in work.rglob("*") if p.is_file()]
    assert len(files) > 10
    for path in files:
        assert TOKEN not in path.read_text(encoding="utf-8"), path
    for text in logs:
        assert TOKEN not in text
    assert TOKEN not in json.dumps(os.listdir(work))
