"""The library's exceptions, and the old name of InputReadError kept for one release."""

from __future__ import annotations

import importlib

import pytest

import oncall_planner
from oncall_planner import errors
from oncall_planner.errors import InputReadError, OnCallPlannerError


@pytest.mark.parametrize("module", [oncall_planner, errors], ids=lambda m: m.__name__)
def test_the_old_name_warns_and_is_the_same_class(module: object) -> None:
    with pytest.warns(DeprecationWarning, match=r"ImportError_ is deprecated.*InputReadError"):
        old = module.ImportError_  # type: ignore[attr-defined]
    assert old is InputReadError


def test_importing_the_old_name_warns_where_the_user_imports_it() -> None:
    with pytest.warns(DeprecationWarning) as caught:
        exec("from oncall_planner import ImportError_", {})
    assert caught[0].filename == "<string>"


def test_an_error_raised_as_the_new_name_is_caught_by_the_old_one() -> None:
    with pytest.warns(DeprecationWarning):
        old = errors.ImportError_
    with pytest.raises(old):
        raise InputReadError("main.tf:1: broken")


def test_other_missing_names_are_still_attribute_errors() -> None:
    with pytest.raises(AttributeError, match="has no attribute 'NoSuchError'"):
        _ = oncall_planner.NoSuchError  # type: ignore[attr-defined]


def test_the_new_name_is_public_and_an_oncall_planner_error() -> None:
    assert "InputReadError" in oncall_planner.__all__
    assert "ImportError_" not in oncall_planner.__all__
    assert issubclass(InputReadError, OnCallPlannerError)
    assert importlib.import_module("oncall_planner").InputReadError is InputReadError
