"""Collections given to the library's functions are checked the same way everywhere."""

from __future__ import annotations

import datetime as dt

import pytest

from oncall_planner import Override, User, ValidationError
from oncall_planner.model.inputs import overrides_by_schedule, sequence_of

UTC = dt.timezone.utc
ALICE = User("Alice", "alice@example.com")
OV = Override(dt.datetime(2025, 1, 1, tzinfo=UTC), dt.datetime(2025, 1, 2, tzinfo=UTC), ALICE)


def test_a_string_is_not_a_list() -> None:
    with pytest.raises(ValidationError, match="f: pages must be a list of User, got 'alice'"):
        sequence_of("alice", User, "f", "pages")


def test_items_of_the_wrong_type_are_named() -> None:
    with pytest.raises(ValidationError, match="f: users must hold User objects, got str 'bob'"):
        sequence_of([ALICE, "bob"], User, "f", "users")


def test_generators_become_tuples() -> None:
    assert sequence_of((u for u in [ALICE]), User, "f", "users") == (ALICE,)


def test_overrides_are_keyed_by_schedule_name() -> None:
    assert overrides_by_schedule(None, "f") == {}
    assert overrides_by_schedule({"Ops": [OV]}, "f") == {"Ops": (OV,)}
    with pytest.raises(ValidationError, match="f: overrides must map schedule names"):
        overrides_by_schedule([OV], "f")
    with pytest.raises(ValidationError, match="must be keyed by schedule name, got 3"):
        overrides_by_schedule({3: [OV]}, "f")
    with pytest.raises(ValidationError, match=r"f: overrides\['Ops'\] must hold Override objects"):
        overrides_by_schedule({"Ops": [ALICE]}, "f")


def test_overrides_for_a_schedule_outside_the_plan_are_refused() -> None:
    with pytest.raises(ValidationError, match="name the schedule 'Nope', which is not in the plan"):
        overrides_by_schedule({"Nope": [OV]}, "f", ["Ops"])
