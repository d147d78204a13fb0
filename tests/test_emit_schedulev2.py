"""``pagerduty_schedulev2`` out of the native emitter: the provider's schema and the emitter
checklist of the reference (§4.6), one rule a test, and determinism for random schedules."""

from __future__ import annotations

import datetime as dt
import json
import warnings
from zoneinfo import ZoneInfo

import pytest
from _pagerduty_schema import check_document
from hypothesis import given
from hypothesis import strategies as st

from oncall_planner import (
    EMPTY_MEMBER,
    CustomShift,
    EscalationPolicy,
    EscalationRule,
    EveryMember,
    Layer,
    OnCallPlan,
    RotatingMembers,
    Rotation,
    Schedule,
    ShiftEvent,
    ShiftSchedule,
    Target,
    Team,
    TerraformEmitWarning,
    User,
    ValidationError,
    to_terraform_json,
)
from oncall_planner.emit.terraform_json import dumps
from oncall_planner.strategies import shift_schedules

UTC = dt.timezone.utc
NY = ZoneInfo("America/New_York")
ANN = User("Ann", "ann@example.com")
BEN = User("Ben", "ben@example.com")
START = dt.datetime(2026, 6, 1, 9, tzinfo=NY)  # a Monday, 09:00 EDT


def event(name: str = "Days", **changes: object) -> ShiftEvent:
    fields: dict[str, object] = {
        "name": name,
        "start_time": START,
        "end_time": START + dt.timedelta(hours=8),
        "recurrence": "RRULE:FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR",
        "assignment": RotatingMembers([ANN, BEN], shifts_per_member=5),
    }
    fields.update(changes)
    return ShiftEvent(**fields)  # type: ignore[arg-type]


def schedule(*rotations: Rotation, zone: str = "America/New_York", **kw: object) -> ShiftSchedule:
    return ShiftSchedule("Support", zone, rotations or [Rotation([event()])], **kw)  # type: ignore[arg-type]


def emitted(shifts: ShiftSchedule, **kw: object) -> dict:
    doc = to_terraform_json(OnCallPlan(shift_schedules=[shifts]), **kw)  # type: ignore[arg-type]
    return doc


def block(doc: dict, name: str = "support") -> dict:
    return doc["resource"]["pagerduty_schedulev2"][name]


def first_event(doc: dict) -> dict:
    return block(doc)["rotation"][0]["event"][0]


def test_a_shift_schedule_is_a_valid_schedulev2_block():
    doc = emitted(schedule())
    assert check_document(doc) == []
    assert list(doc["resource"]) == ["pagerduty_schedulev2"]


def test_start_and_end_are_the_instants_of_the_local_times_in_utc():
    # 09:00-17:00 in New York in June is 13:00Z-21:00Z: the local anchor, not 09:00Z (§2.4).
    body = first_event(emitted(schedule()))
    assert (body["start_time"], body["end_time"]) == (
        "2026-06-01T13:00:00Z",
        "2026-06-01T21:00:00Z",
    )
    assert body["effective_since"] == "2026-06-01T13:00:00Z"


def test_description_is_always_written():
    # The provider leaves an omitted description unknown after create (§4.4-4).
    assert block(emitted(schedule()))["description"] == "Managed by Terraform"
    assert block(emitted(schedule(description="Office hours")))["description"] == "Office hours"


def test_utc_is_refused_with_the_name_to_use():
    with pytest.raises(ValidationError, match="use 'Etc/UTC'"):
        emitted(schedule(zone="UTC"))


def test_a_zone_the_provider_does_not_list_is_refused():
    with pytest.raises(ValidationError, match="not one the Terraform provider accepts"):
        emitted(schedule(zone="America/Boise"))


def test_etc_utc_ignores_the_time_zone_the_provider_reads_back_as_utc():
    body = block(emitted(schedule(zone="Etc/UTC")))
    assert body["time_zone"] == "Etc/UTC"
    assert body["lifecycle"] == {"ignore_changes": ["time_zone"]}
    assert "lifecycle" not in block(emitted(schedule()))


def test_rotating_members_always_say_how_many_shifts_each():
    one = event(assignment=RotatingMembers([ANN, BEN]))
    strategy = first_event(emitted(schedule(Rotation([one]))))["assignment_strategy"]
    assert strategy == [
        {
            "type": "rotating_member_assignment_strategy",
            "shifts_per_member": 1,
            "member": [
                {"type": "user_member", "user_id": "${data.pagerduty_user.ann.id}"},
                {"type": "user_member", "user_id": "${data.pagerduty_user.ben.id}"},
            ],
        }
    ]


def test_every_member_leaves_shifts_per_member_out_and_empty_slots_have_no_user():
    everyone = event(assignment=EveryMember([ANN, EMPTY_MEMBER]))
    strategy = first_event(emitted(schedule(Rotation([everyone]))))["assignment_strategy"][0]
    assert strategy == {
        "type": "every_member_assignment_strategy",
        "member": [
            {"type": "user_member", "user_id": "${data.pagerduty_user.ann.id}"},
            {"type": "empty_member"},
        ],
    }


def test_effective_until_is_written_only_when_set():
    assert "effective_until" not in first_event(emitted(schedule()))
    ending = event(effective_until=dt.datetime(2026, 9, 1, tzinfo=UTC))
    assert first_event(emitted(schedule(Rotation([ending]))))["effective_until"] == (
        "2026-09-01T00:00:00Z"
    )


def test_events_of_a_rotation_come_in_effective_since_order_and_rotations_keep_theirs():
    later = event("Later", effective_since=dt.datetime(2026, 8, 3, 13, tzinfo=UTC))
    earlier = event("Earlier", effective_until=dt.datetime(2026, 8, 3, 13, tzinfo=UTC))
    other = event("Other", assignment=RotatingMembers([BEN]))
    body = block(emitted(schedule(Rotation([later, earlier]), Rotation([other]))))
    assert [e["name"] for e in body["rotation"][0]["event"]] == ["Earlier", "Later"]
    assert [r["event"][0]["name"] for r in body["rotation"]] == ["Earlier", "Other"]


def test_custom_shifts_are_left_out_with_a_warning():
    cover = CustomShift(START, START + dt.timedelta(hours=2), ANN)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        doc = emitted(schedule(custom_shifts=[cover]))
    assert check_document(doc) == []
    assert [w.category for w in caught] == [TerraformEmitWarning]
    assert "custom shift" in str(caught[0].message)


def test_an_event_in_a_zone_of_its_own_is_refused():
    # The provider stamps the schedule's zone on every event it writes (§4.6-7).
    odd = event(time_zone="Europe/London")
    with pytest.raises(ValidationError, match="differs from the schedule's"):
        emitted(schedule(Rotation([odd])))
    same = event(time_zone="America/New_York")
    assert check_document(emitted(schedule(Rotation([same])))) == []


def test_policies_target_shift_schedules_with_schedule_reference():
    shifts = schedule(teams=[Team("Ops", [ANN, BEN])])
    policy = EscalationPolicy("Support", [EscalationRule(10, [Target.schedule(shifts)])])
    doc = to_terraform_json(OnCallPlan(escalation_policies=[policy]))
    target = doc["resource"]["pagerduty_escalation_policy"]["support"]["rule"][0]["target"]
    assert target == [{"type": "schedule_reference", "id": "${pagerduty_schedulev2.support.id}"}]
    assert block(doc)["teams"] == ["${pagerduty_team.ops.id}"]
    assert check_document(doc) == []


def test_the_provider_version_is_one_with_a_working_schedulev2():
    doc = emitted(schedule())
    assert doc["terraform"]["required_providers"]["pagerduty"]["version"] == ">= 3.32.4, < 4.0.0"
    layered = Schedule("Old", "America/New_York", [Layer("L", [ANN], START, dt.timedelta(weeks=1))])
    plain = to_terraform_json(OnCallPlan(schedules=[layered]))
    assert plain["terraform"]["required_providers"]["pagerduty"]["version"] == "~> 3.30"


def test_adding_a_shift_schedule_renames_no_layer_based_one():
    layered = Schedule(
        "Support", "America/New_York", [Layer("L", [ANN], START, dt.timedelta(weeks=1))]
    )
    shifts = ShiftSchedule("Support!", "America/New_York", [Rotation([event()])])
    doc = to_terraform_json(OnCallPlan(schedules=[layered], shift_schedules=[shifts]))
    assert list(doc["resource"]["pagerduty_schedule"]) == ["support"]
    [name] = doc["resource"]["pagerduty_schedulev2"]
    assert name.startswith("support_") and len(name) == len("support_") + 8
    assert check_document(doc) == []


@given(shift_schedules(custom=False), st.sampled_from(["data", "resource"]))
def test_random_shift_schedules_give_valid_and_identical_bytes(shifts, users):
    doc = to_terraform_json(OnCallPlan(shift_schedules=[shifts]), users=users)
    again = to_terraform_json(OnCallPlan(shift_schedules=[shifts]), users=users)
    problems = check_document(doc)
    # The strategy may draw what the API itself refuses (more than 5 events, 20 members); the
    # emitter writes the model as it is and leaves those to the lints (OCP701, OCP703).
    assert [p for p in problems if "blocks, got" not in p] == []
    assert dumps(doc) == dumps(again)
    assert json.loads(dumps(doc)) == doc
