"""Shift-based schedules through PagerDuty's v3 API: pull, the plan file, verify, and what the
commands do with a pulled plan's overrides, against the stand-in on 127.0.0.1."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from oncall_planner import (
    EMPTY_MEMBER,
    EscalationPolicy,
    EscalationRule,
    InputReadError,
    Layer,
    OnCallPlan,
    Override,
    Restriction,
    RotatingMembers,
    Rotation,
    Schedule,
    ShiftEvent,
    ShiftOverride,
    ShiftRenderOptions,
    ShiftSchedule,
    Target,
    User,
    render,
    strategies,
)
from oncall_planner.cli import main
from oncall_planner.pagerduty_api import (
    PagerDutyClient,
    account_from_json,
    compare_shift_schedule,
    pull,
    verify,
)
from oncall_planner.pagerduty_api.planfile import dumps, load_account
from oncall_planner.testing import PagerDutyStandIn, account_from_plan, render_v3_schedule

DATA = Path(__file__).parent / "data" / "pagerduty"
TOKEN = "pd-v3-token-9e2f41c7"
UTC = dt.timezone.utc
SINCE = dt.datetime(2025, 3, 3, 14, tzinfo=UTC)
UNTIL = dt.datetime(2025, 3, 17, 13, tzinfo=UTC)
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


def _v3_paths(pd: PagerDutyStandIn) -> list[str]:
    return [path for _, path, _ in pd.requests if path.startswith("/v3/")]


# --- pull ---------------------------------------------------------------------------------------


def test_pull_reads_a_shift_based_schedule_with_its_rotations_events_and_members(
    pd: PagerDutyStandIn,
) -> None:
    account = pull(client(pd), since=SINCE, until=UNTIL, pages=False)
    support = account.plan.shift_schedule("Support Shifts")
    assert (support.time_zone, support.description) == (
        "America/New_York",
        "Weekly support with a weekend pair",
    )
    assert [t.name for t in support.teams] == ["Payments"]
    weekly, weekend = (r.events[0] for r in support.rotations)
    assert weekly.start_time == dt.datetime(2025, 3, 3, 9, tzinfo=UTC)
    assert weekly.time_zone is None  # the schedule's own zone
    assert weekly.recurrence == ("RRULE:FREQ=WEEKLY",)
    assert weekly.assignment == RotatingMembers(
        [account.plan.user("ana@example.com"), account.plan.user("ben@example.com")], 1
    )
    # written with an offset by PagerDuty: the same instant
    assert weekend.start_time == dt.datetime(2025, 3, 8, 14, tzinfo=UTC)
    assert [m.name for m in weekend.members] == ["Cem Aydin", "Dia Mensah"]
    assert type(weekend.assignment).__name__ == "EveryMember"


def test_pull_keeps_the_custom_shifts_and_overrides_of_the_window_and_every_id(
    pd: PagerDutyStandIn,
) -> None:
    account = pull(client(pd), since=SINCE, until=UNTIL, pages=False)
    support = account.plan.shift_schedule("Support Shifts")
    (custom,) = support.custom_shifts
    assert (custom.start, custom.member.name) == (
        dt.datetime(2025, 3, 12, 22, tzinfo=UTC),
        "Cem Aydin",
    )
    (swap,) = account.overrides["Support Shifts"]
    assert isinstance(swap, ShiftOverride)
    assert swap.rotation is support.rotations[0]
    assert (swap.overridden_member.name, swap.overriding_member.name) == ("Ana Ruiz", "Dia Mensah")
    ids = account.ids
    assert ids.schedules["Support Shifts"] == "PSV3001"
    assert ids.rotations == {("Support Shifts", 0): "PRV3A01", ("Support Shifts", 1): "PRV3B01"}
    assert ids.events == {("Support Shifts", 0, 0): "PEV3A01", ("Support Shifts", 1, 0): "PEV3B01"}
    assert ids.custom_shifts == {("Support Shifts", 0): "PCS0001"}
    assert ids.overrides[("Support Shifts", 0)] == "PVO0001"


def test_pull_asks_for_custom_shifts_and_overrides_in_the_window(pd: PagerDutyStandIn) -> None:
    pull(client(pd), since=SINCE, until=UNTIL, pages=False)
    asked = {path: query for _, path, query in pd.requests if path.startswith("/v3/schedules/")}
    for path in ("/v3/schedules/PSV3001/custom_shifts", "/v3/schedules/PSV3001/overrides"):
        assert asked[path]["since"] == ["2025-03-03T14:00:00Z"]
        assert asked[path]["until"] == ["2025-03-17T13:00:00Z"]


def test_a_policy_that_pages_a_shift_based_schedule_targets_it(pd: PagerDutyStandIn) -> None:
    account = pull(client(pd), since=SINCE, until=UNTIL, pages=False)
    policy = account.plan.escalation_policy("Support Escalation")
    first = policy.rules[0].targets[0]
    assert first.schedule is account.plan.shift_schedule("Support Shifts")


def test_pull_by_the_id_of_a_shift_based_schedule_brings_its_policy(pd: PagerDutyStandIn) -> None:
    account = pull(client(pd), since=SINCE, until=UNTIL, schedule_ids=["PSV3001"], pages=False)
    assert [s.name for s in account.plan.all_schedules] == ["Support Shifts"]
    assert [p.name for p in account.plan.escalation_policies] == ["Support Escalation"]
    assert "/schedules/PSV3001" not in [path for _, path, _ in pd.requests]  # never asked of v2


def test_pull_by_team_asks_the_v3_list_for_the_team(pd: PagerDutyStandIn) -> None:
    account = pull(client(pd), since=SINCE, until=UNTIL, team_ids=["PTPAY01"], pages=False)
    assert "Support Shifts" in [s.name for s in account.plan.shift_schedules]
    assert any(
        path == "/v3/schedules" and query.get("team_ids[]") == ["PTPAY01"]
        for _, path, query in pd.requests
    )


def test_a_rotation_listed_without_its_events_has_them_read_from_its_own_list() -> None:
    account_doc = {**dst_account(), "v3_events_apart": True}
    with PagerDutyStandIn(account_doc, {TOKEN: None}) as server:
        account = pull(client(server), since=SINCE, until=UNTIL, pages=False)
        asked = _v3_paths(server)
    weekly, weekend = (r.events[0] for r in account.plan.shift_schedule("Support Shifts").rotations)
    assert (weekly.name, weekend.name) == ("Weekly", "Weekend days")
    assert "/v3/schedules/PSV3001/rotations/PRV3A01/events" in asked
    assert "/v3/schedules/PSV3001/rotations/PRV3B01/events" in asked


def test_a_token_that_may_not_read_v3_schedules_pulls_the_rest_and_says_so() -> None:
    scopes = frozenset({"users.read", "teams.read", "schedules.read", "escalation_policies.read"})
    with PagerDutyStandIn(dst_account(), {TOKEN: scopes}) as server:
        server.fail_next(403, count=1, path="/v3/schedules")
        account = pull(client(server), since=SINCE, until=UNTIL, pages=False)
    assert account.plan.shift_schedules == ()
    assert any("403" in note and "shift-based" in note for note in account.notes)
    # the policy that pages the schedule it could not read is left out, noted
    assert any("Support Escalation" in note for note in account.notes)


def test_times_with_seconds_are_taken_to_the_minute_and_noted_once() -> None:
    account_doc = dst_account()
    event = account_doc["v3_schedules"][0]["rotations"][0]["events"][0]
    event["effective_since"] = "2025-03-03T09:00:41.512Z"  # clamped to when it was created
    with PagerDutyStandIn(account_doc, {TOKEN: None}) as server:
        account = pull(client(server), since=SINCE, until=UNTIL, pages=False)
    weekly = account.plan.shift_schedule("Support Shifts").rotations[0].events[0]
    assert weekly.effective_since == dt.datetime(2025, 3, 3, 9, tzinfo=UTC)
    assert sum("taken to the minute" in note for note in account.notes) == 1


def test_a_schedule_the_model_refuses_is_left_out_with_a_note() -> None:
    account_doc = dst_account()
    event = account_doc["v3_schedules"][0]["rotations"][0]["events"][0]
    event["recurrence"] = ["EXDATE;VALUE=DATE:20250310", "RRULE:FREQ=WEEKLY"]
    with PagerDutyStandIn(account_doc, {TOKEN: None}) as server:
        account = pull(client(server), since=SINCE, until=UNTIL, pages=False)
    assert account.plan.shift_schedules == ()
    assert any(
        note.startswith("shift-based schedule PSV3001 (Support Shifts) left out:")
        and "VALUE=DATE" in note
        for note in account.notes
    )


@st.composite
def _mixed_with_overrides(draw: st.DrawFn) -> tuple[OnCallPlan, dict[str, list[ShiftOverride]]]:
    plan = draw(strategies.mixed_plans())
    emails = {u.email.lower(): u for u in plan.users}

    def one_person(o: ShiftOverride) -> bool:  # an account has one user per email
        by = o.overriding_member
        if not isinstance(by, User):
            return True
        return emails.setdefault(by.email.lower(), by) == by

    overrides = {
        s.name: [
            o for o in draw(st.lists(strategies.shift_overrides(s), max_size=2)) if one_person(o)
        ]
        for s in plan.shift_schedules
    }
    return plan, overrides


def _without_rotation_names(schedule: ShiftSchedule) -> ShiftSchedule:
    """The API has no rotation name: a schedule as the API can give it back."""
    return attrs.evolve(
        schedule, rotations=[attrs.evolve(r, name=None) for r in schedule.rotations]
    )


@settings(max_examples=8)
@given(_mixed_with_overrides())
def test_a_mixed_plan_served_by_the_stand_in_is_pulled_back_as_it_was(
    case: tuple[OnCallPlan, dict[str, list[ShiftOverride]]],
) -> None:
    plan, overrides = case
    since, until = dt.datetime(2023, 1, 1, tzinfo=UTC), dt.datetime(2025, 1, 1, tzinfo=UTC)
    with PagerDutyStandIn(account_from_plan(plan, overrides), {TOKEN: None}) as server:
        account = pull(client(server), since=since, until=until, pages=False)
    assert account.plan.schedules == tuple(sorted(plan.schedules, key=lambda s: s.name))
    for schedule in plan.shift_schedules:
        pulled = account.plan.shift_schedule(schedule.name)
        kept = [c for c in schedule.custom_shifts if c.start < until and since < c.end]
        assert pulled == attrs.evolve(_without_rotation_names(schedule), custom_shifts=kept)
        wanted = [o for o in overrides[schedule.name] if o.start < until and since < o.end]
        got = account.overrides.get(schedule.name, ())
        assert [(o.start, o.end, o.overridden_member, o.overriding_member) for o in got] == [
            (o.start, o.end, o.overridden_member, o.overriding_member) for o in wanted
        ]
    assert [p.name for p in account.plan.escalation_policies] == [
        p.name for p in plan.escalation_policies
    ]


# --- the plan file, version 2 -------------------------------------------------------------------


def test_a_plan_file_with_a_shift_based_schedule_round_trips_byte_for_byte(
    pd: PagerDutyStandIn,
) -> None:
    account = pull(client(pd), since=SINCE, until=UNTIL, pages=False)
    text = dumps(account)
    doc = json.loads(text)
    assert doc["version"] == 2
    (support,) = doc["shift_schedules"]
    assert support["rotations"][0]["events"][0]["assignment"] == {
        "type": "rotating_members",
        "members": ["ana@example.com", "ben@example.com"],
        "shifts_per_member": 1,
    }
    assert support["overrides"][0]["rotation"] == 0
    again = account_from_json(doc)
    assert again == account and dumps(again) == text


def test_an_empty_slot_is_written_as_null_and_read_back() -> None:
    ann = User("Ann", "ann@example.com")
    event = ShiftEvent(
        "Weekly",
        dt.datetime(2026, 6, 1, 9, tzinfo=UTC),
        dt.datetime(2026, 6, 8, 9, tzinfo=UTC),
        "RRULE:FREQ=WEEKLY",
        RotatingMembers([ann, EMPTY_MEMBER]),
    )
    plan = OnCallPlan(shift_schedules=[ShiftSchedule("S", "Etc/UTC", [Rotation([event])])])
    doc = json.loads(dumps(plan))
    assert doc["shift_schedules"][0]["rotations"][0]["events"][0]["assignment"]["members"] == [
        "ann@example.com",
        None,
    ]
    assert account_from_json(doc).plan == plan


def test_a_version_1_plan_file_is_still_read(pd: PagerDutyStandIn) -> None:
    account = pull(client(pd), since=SINCE, until=UNTIL, pages=False)
    doc = json.loads(dumps(account))
    doc["version"] = 1
    del doc["shift_schedules"]
    doc["escalation_policies"] = [
        p for p in doc["escalation_policies"] if p["name"] != "Support Escalation"
    ]
    read = account_from_json(doc)
    assert [s.name for s in read.plan.schedules] == ["Ops Daytime", "Payments"]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            lambda d: d.update(version=1),
            "shift_schedules: needs version 2 of the plan file (the file says 1)",
        ),
        (
            lambda d: d["shift_schedules"][0]["overrides"][0].update(rotation=5),
            "shift_schedules[0].overrides[0].rotation: must be a position in the schedule's "
            "rotations, 0 to 1, got 5",
        ),
        (
            lambda d: d["shift_schedules"][0]["custom_shifts"][0].update(member="zed@example.com"),
            "shift_schedules[0].custom_shifts[0].member: no user with email 'zed@example.com'",
        ),
        (
            lambda d: d["shift_schedules"][0]["rotations"][0]["events"][0]["assignment"].update(
                type="round_robin"
            ),
            "shift_schedules[0].rotations[0].events[0].assignment.type: must be "
            "'rotating_members' or 'every_member', got 'round_robin'",
        ),
        (
            lambda d: d["shift_schedules"][0]["rotations"][0]["events"][0].update(
                recurrence=["FREQ=DAILY"]
            ),
            "shift_schedules[0].rotations[0].events[0]: ShiftEvent 'Weekly': recurrence lines",
        ),
        (
            lambda d: d["shift_schedules"].append(dict(d["shift_schedules"][0])),
            "shift_schedules[1]: a second schedule named 'Support Shifts'",
        ),
    ],
)
def test_a_broken_shift_schedule_in_a_plan_file_names_the_field(
    pd: PagerDutyStandIn, tmp_path: Path, change: object, message: str
) -> None:
    doc = json.loads(dumps(pull(client(pd), since=SINCE, until=UNTIL, pages=False)))
    change(doc)  # type: ignore[operator]
    path = tmp_path / "plan.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    with pytest.raises(InputReadError) as caught:
        load_account(path)
    assert str(caught.value).startswith(f"{path}: ") and message in str(caught.value)


def test_emit_writes_a_pulled_shift_based_schedule_as_schedulev2(
    pd: PagerDutyStandIn, tmp_path: Path, env: None, capsys: pytest.CaptureFixture[str]
) -> None:
    plan_file = tmp_path / "plan.json"
    main(["pull", "--base-url", pd.base_url, *WINDOW, "--no-pages", "-o", str(plan_file)])
    capsys.readouterr()
    out = tmp_path / "out.tf.json"
    assert main(["emit", str(plan_file), "-o", str(out)]) == 0
    err = capsys.readouterr().err
    doc = json.loads(out.read_text())
    assert [b["name"] for b in doc["resource"]["pagerduty_schedulev2"].values()] == [
        "Support Shifts"
    ]
    # Its custom shift has no Terraform block: left out, and said so.
    assert "left out: ShiftSchedule 'Support Shifts': 1 custom shift(s)" in err
    assert "Traceback" not in err


def test_pull_counts_the_shift_based_schedules(
    pd: PagerDutyStandIn, tmp_path: Path, env: None, capsys: pytest.CaptureFixture[str]
) -> None:
    plan_file = tmp_path / "plan.json"
    assert main(["pull", "--base-url", pd.base_url, *WINDOW, "-o", str(plan_file)]) == 0
    assert "pulled 3 schedules (1 shift-based), 2 escalation policies" in capsys.readouterr().err


# --- verify -------------------------------------------------------------------------------------


def test_verify_reports_the_v3_disagreement_and_the_option_that_explains_it(
    pd: PagerDutyStandIn,
) -> None:
    result = verify(client(pd), since=SINCE, until=UNTIL)
    support = next(s for s in result.schedules if s.name == "Support Shifts")
    assert support.kind == "shift-based" and support.pagerduty_id == "PSV3001"
    (found,) = support.disagreements
    assert (found.start, found.end) == (
        dt.datetime(2025, 3, 17, 8, tzinfo=UTC),
        dt.datetime(2025, 3, 17, 9, tzinfo=UTC),
    )
    assert (found.ours_people, found.theirs_people) == (("Ana Ruiz",), ("Ana Ruiz", "Ben Okafor"))
    assert found.theirs_from == "Ben Okafor from rotation 1 (PagerDuty's PRV3A01)"
    assert found.layers == ("rotation 1 on its own: ours Ana Ruiz, PagerDuty Ana Ruiz, Ben Okafor",)
    assert found.options == (
        "ShiftRenderOptions(duration='wallclock'): U2 (how long an occurrence lasts across a "
        "daylight-saving change)",
    )
    assert any("168 h of real time but 169 h on the wall clock" in h for h in found.hints)
    (settled,) = support.settled
    assert "your account answers the open question U2" in settled and "'wallclock'" in settled


def test_verify_with_the_option_pagerduty_uses_agrees_at_every_minute(
    pd: PagerDutyStandIn,
) -> None:
    result = verify(
        client(pd),
        since=SINCE,
        until=UNTIL,
        schedule_ids=["PSV3001"],
        options=ShiftRenderOptions(duration="wallclock"),
    )
    (support,) = result.schedules
    assert support.ok and result.ok


def test_verify_asks_pagerduty_for_the_final_schedule_of_the_window(pd: PagerDutyStandIn) -> None:
    verify(client(pd), since=SINCE, until=UNTIL, schedule_ids=["PSV3001"])
    (query,) = [q for _, path, q in pd.requests if path == "/v3/schedules/PSV3001"]
    assert query == {
        "include[]": ["final_schedule"],
        "since": ["2025-03-03T14:00:00Z"],
        "until": ["2025-03-17T13:00:00Z"],
    }


def test_verify_on_the_command_line_says_how_to_settle_the_question(
    pd: PagerDutyStandIn, env: None, capsys: pytest.CaptureFixture[str]
) -> None:
    url = ["--base-url", pd.base_url]
    assert main(["verify", *url, *WINDOW, "--schedule", "PSV3001"]) == 1
    out = capsys.readouterr().out
    assert "Schedule 'Support Shifts' (PSV3001)" in out
    assert "ours Ana Ruiz, PagerDuty Ana Ruiz, Ben Okafor" in out
    assert "    explained by ShiftRenderOptions(duration='wallclock'): U2" in out
    assert "  settled: with ShiftRenderOptions(duration='wallclock') our render agrees" in out
    wallclock = ["--shift-option", "duration=wallclock"]
    assert main(["verify", *url, *WINDOW, "--schedule", "PSV3001", *wallclock]) == 0
    assert "agrees with PagerDuty at every minute" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("option", "message"),
    [
        ("duration", "--shift-option must be NAME=VALUE with NAME one of expand_in, duration"),
        ("colour=red", "--shift-option must be NAME=VALUE with NAME one of"),
        ("duration=sometimes", "duration must be one of 'exact', 'wallclock', got 'sometimes'"),
        ("overflow=maybe", "--shift-option overflow must be true or false, got 'maybe'"),
    ],
)
def test_a_bad_shift_option_is_refused_before_any_call(
    pd: PagerDutyStandIn, env: None, capsys: pytest.CaptureFixture[str], option: str, message: str
) -> None:
    code = main(["verify", "--base-url", pd.base_url, *WINDOW, "--shift-option", option])
    assert code == 2 and message in capsys.readouterr().err
    assert pd.requests == []


def test_verify_records_the_v3_calls_and_replays_them(
    pd: PagerDutyStandIn, tmp_path: Path, env: None, capsys: pytest.CaptureFixture[str]
) -> None:
    recorded = tmp_path / "recorded"
    args = [*WINDOW, "--schedule", "PSV3001"]
    assert main(["verify", "--base-url", pd.base_url, *args, "--record", str(recorded)]) == 1
    live = capsys.readouterr().out
    names = sorted(p.name for p in recorded.iterdir())
    assert "0003-GET-v3-schedules-PSV3001.json" in names
    assert any("custom-shifts" in n for n in names) and any("overrides" in n for n in names)
    assert all(TOKEN not in p.read_text(encoding="utf-8") for p in recorded.iterdir())
    assert main(["verify", *args, "--replay", str(recorded)]) == 1
    assert capsys.readouterr().out == live


def test_the_committed_v3_recording_replays(capsys: pytest.CaptureFixture[str]) -> None:
    """tests/data/pagerduty/recorded-v3 was made with --record against the DST fixture."""
    replay = ["--replay", str(DATA / "recorded-v3"), "--format", "json"]
    code = main(["verify", *WINDOW, "--schedule", "PSV3001", *replay])
    doc = json.loads(capsys.readouterr().out)
    assert code == 1
    (support,) = doc["schedules"]
    assert support["kind"] == "shift-based" and support["minutes_apart"] == 60
    (found,) = support["disagreements"]
    assert found["pagerduty_people"] == ["Ana Ruiz", "Ben Okafor"]
    assert found["explained_by"][0].startswith("ShiftRenderOptions(duration='wallclock')")


def _stand_in_case(
    draw: st.DrawFn,
) -> tuple[ShiftSchedule, list[ShiftOverride], int]:
    schedule = draw(strategies.shift_schedules())
    overrides = draw(st.lists(strategies.shift_overrides(schedule), max_size=3))
    return schedule, overrides, draw(st.sampled_from([3, 10, 40]))


@settings(max_examples=12)
@given(st.composite(_stand_in_case)())
def test_the_stand_ins_own_v3_renderer_agrees_with_ours(
    case: tuple[ShiftSchedule, list[ShiftOverride], int],
) -> None:
    """Two implementations of the reference rendering model (the stand-in's expands one
    occurrence at a time with python-dateutil): any disagreement is a bug in one of them."""
    schedule, overrides, days = case
    plan = OnCallPlan(shift_schedules=[schedule])
    start = min(e.effective_since for r in schedule.rotations for e in r.events)
    with PagerDutyStandIn(account_from_plan(plan, {schedule.name: overrides}), {TOKEN: None}) as pd:
        result = verify(client(pd), since=start, until=start + dt.timedelta(days=days))
    assert result.ok, result.to_text()


def test_the_stand_ins_renderer_can_stretch_occurrences_on_the_wall_clock() -> None:
    doc = dst_account()["v3_schedules"][0]
    since = dt.datetime(2025, 3, 17, 7, tzinfo=UTC)
    until = dt.datetime(2025, 3, 17, 10, tzinfo=UTC)
    rows = {
        rule: [
            (a["start_time"], a["end_time"], a["member"]["user_id"])
            for a in render_v3_schedule(doc, [], [], since, until, {"duration": rule})[
                "computed_shift_assignments"
            ]
        ]
        for rule in ("exact", "wallclock")
    }
    assert rows["exact"] == [
        ("2025-03-17T07:00:00+00:00", "2025-03-17T08:00:00+00:00", "PUBEN02"),
        ("2025-03-17T08:00:00+00:00", "2025-03-17T10:00:00+00:00", "PUANA01"),
    ]
    assert rows["wallclock"] == [
        ("2025-03-17T07:00:00+00:00", "2025-03-17T09:00:00+00:00", "PUBEN02"),
        ("2025-03-17T08:00:00+00:00", "2025-03-17T10:00:00+00:00", "PUANA01"),
    ]


def test_compare_counts_people_not_entries_and_ignores_empty_slots() -> None:
    ann, ben = User("Ann", "ann@example.com"), User("Ben", "ben@example.com")
    event = ShiftEvent(
        "Days",
        dt.datetime(2026, 6, 1, 9, tzinfo=UTC),
        dt.datetime(2026, 6, 1, 17, tzinfo=UTC),
        "RRULE:FREQ=DAILY",
        RotatingMembers([ann, EMPTY_MEMBER, ben]),
    )
    schedule = ShiftSchedule("Days", "Etc/UTC", [Rotation([event])])
    since, until = dt.datetime(2026, 6, 1, tzinfo=UTC), dt.datetime(2026, 6, 4, tzinfo=UTC)
    assignments = []
    for e in render(schedule, since, until).entries:  # PagerDuty cuts each shift at 12:00
        noon = e.start.replace(hour=12)
        for a, b in ((e.start, noon), (noon, e.end)):
            assignments.append(
                {
                    "start_time": a.isoformat(),
                    "end_time": b.isoformat(),
                    "member": {"type": "user_member", "user_id": e.user.email},
                    "source": {"type": "schedule_rotation", "rotation_id": "R1"},
                }
            )
    assignments.append(  # the empty slot's day, which PagerDuty lists
        {
            "start_time": "2026-06-02T09:00:00Z",
            "end_time": "2026-06-02T17:00:00Z",
            "member": {"type": "empty_member"},
            "source": {"type": "schedule_rotation", "rotation_id": "R1"},
        }
    )
    doc = {"id": "PX", "final_schedule": {"computed_shift_assignments": assignments}}
    check = compare_shift_schedule(schedule, doc, since, until, pagerduty_ids={"rotations": ["R1"]})
    assert check.ok, check.disagreements


def test_compare_names_the_override_pagerduty_applied_and_we_did_not() -> None:
    ann = User("Ann", "ann@example.com")
    event = ShiftEvent(
        "Days",
        dt.datetime(2026, 6, 1, 9, tzinfo=UTC),
        dt.datetime(2026, 6, 1, 17, tzinfo=UTC),
        "RRULE:FREQ=DAILY",
        RotatingMembers([ann]),
    )
    schedule = ShiftSchedule("Days", "Etc/UTC", [Rotation([event])])
    since, until = dt.datetime(2026, 6, 1, 9, tzinfo=UTC), dt.datetime(2026, 6, 1, 17, tzinfo=UTC)
    doc = {
        "id": "PX",
        "final_schedule": {
            "computed_shift_assignments": [
                {
                    "start_time": "2026-06-01T09:00:00Z",
                    "end_time": "2026-06-01T17:00:00Z",
                    "member": {"type": "user_member", "user_id": "PBEN"},
                    "source": {
                        "type": "schedule_rotation_override",
                        "rotation_id": "R1",
                        "override_id": "O9",
                    },
                }
            ]
        },
    }
    check = compare_shift_schedule(
        schedule,
        doc,
        since,
        until,
        user_ids={"ann@example.com": "PANN", "ben@example.com": "PBEN"},
        pagerduty_ids={"rotations": ["R1"], "overrides": []},
    )
    (found,) = check.disagreements
    assert found.ours_from == "Ann from rotation 1, event 'Days'"
    assert found.theirs_from == "PBEN from override O9 on rotation 1 (PagerDuty's R1)"
    assert found.options == ()
    assert any("no single render option" in note for note in check.notes)


# --- commands apply the overrides a pulled plan carries ---------------------------------------

ANN = User("Ann Lee", "ann@example.com")
BEN = User("Ben Cho", "ben@example.com")
JAN6 = dt.datetime(2025, 1, 6, tzinfo=UTC)  # a Monday


def _office_plan_file(tmp_path: Path, env: None) -> Path:
    """Pulled: a daytime-only schedule paged first by a policy, and one override by Ben that
    covers the night of 6 to 7 January."""
    office = Schedule(
        "Office",
        "Etc/UTC",
        [
            Layer(
                "Days",
                [ANN],
                JAN6,
                dt.timedelta(days=7),
                JAN6,
                [Restriction.daily("09:00", dt.timedelta(hours=8))],
            )
        ],
    )
    plan = OnCallPlan(
        escalation_policies=[EscalationPolicy("P", [EscalationRule(5, [Target.schedule(office)])])]
    )
    night = Override(JAN6.replace(hour=17), JAN6.replace(day=7, hour=9), BEN)
    plan_file = tmp_path / "office.json"
    with PagerDutyStandIn(account_from_plan(plan, {"Office": [night]}), {TOKEN: None}) as server:
        args = ["--base-url", server.base_url, "--since", "2025-01-06T00:00Z", "--days", "7"]
        assert main(["pull", *args, "--no-pages", "-o", str(plan_file)]) == 0
    return plan_file


def _without_overrides(plan_file: Path) -> Path:
    doc = json.loads(plan_file.read_text(encoding="utf-8"))
    for schedule in doc["schedules"]:
        schedule["overrides"] = []
    bare = plan_file.with_name("bare.json")
    bare.write_text(json.dumps(doc), encoding="utf-8")
    return bare


def test_render_of_a_pulled_plan_shows_the_override_pagerduty_shows(
    tmp_path: Path, env: None, capsys: pytest.CaptureFixture[str]
) -> None:
    plan_file = _office_plan_file(tmp_path, env)
    capsys.readouterr()
    at = ["--at", "2025-01-06T20:00Z", "-q"]
    assert main(["render", str(plan_file), *at]) == 0
    assert "Mon 2025-01-06 20:00: Ben Cho" in capsys.readouterr().out
    assert main(["render", str(_without_overrides(plan_file)), *at]) == 0
    assert "Mon 2025-01-06 20:00: nobody" in capsys.readouterr().out


def test_check_of_a_pulled_plan_counts_the_override_as_cover(
    tmp_path: Path, env: None, capsys: pytest.CaptureFixture[str]
) -> None:
    plan_file = _office_plan_file(tmp_path, env)
    window = ["--since", "2025-01-06T00:00Z", "--days", "3", "--select", "OCP201", "-q"]
    capsys.readouterr()
    main(["check", str(plan_file), *window])
    with_override = capsys.readouterr().out
    main(["check", str(_without_overrides(plan_file)), *window])
    without = capsys.readouterr().out
    assert "nobody on call for 32 h in 3 gap(s)" in with_override
    assert "nobody on call for 48 h in 4 gap(s)" in without


def test_escalation_of_a_pulled_plan_notifies_the_override(
    tmp_path: Path, env: None, capsys: pytest.CaptureFixture[str]
) -> None:
    plan_file = _office_plan_file(tmp_path, env)
    capsys.readouterr()
    assert main(["escalation", str(plan_file), "--at", "2025-01-06T20:00Z", "-q"]) == 0
    assert "Ben Cho" in capsys.readouterr().out
