"""The library's exceptions.

Every error raised for bad input derives from :class:`OnCallPlannerError`, so callers (and the
command line) can catch one type and show its message without a traceback.
"""

from __future__ import annotations

import warnings
from typing import TYPE_CHECKING


class OnCallPlannerError(Exception):
    """Base class of every error this library raises on purpose."""


class ValidationError(OnCallPlannerError, ValueError):
    """A value breaks one of PagerDuty's limits or one of the library's rules.

    The message names the object, the field, the limit and the value given, e.g.
    ``Layer 'Primary': turn_length must be between 1 hour and 365 days, got 0:30:00``.
    """


class InputReadError(OnCallPlannerError):
    """An input (Terraform, page history) cannot be read as written: a syntax error, a value of
    the wrong type, an unknown time zone, a reference to nothing. The message starts with where:
    ``main.tf:5: ...`` or ``incidents.csv: row 4 ...``."""


class APIError(OnCallPlannerError):
    """PagerDuty's API refused a request or could not be reached. One line that says which call,
    what PagerDuty answered (``status``, ``None`` when it could not be reached) and what to do;
    never the API token."""

    def __init__(self, message: str, status: int | None = None) -> None:
        super().__init__(message)
        self.status = status


#: Names kept for one release, each with the name that replaces it.
DEPRECATED = {"ImportError_": "InputReadError"}

if TYPE_CHECKING:
    ImportError_ = InputReadError  # deprecated: use InputReadError
else:

    def __getattr__(name: str) -> type[OnCallPlannerError]:
        return deprecated_error(name, __name__)


def deprecated_error(name: str, module: str) -> type[OnCallPlannerError]:
    """The error a deprecated ``name`` stands for, with a :class:`DeprecationWarning`; for the
    module ``__getattr__`` of this module and of the package."""
    new = DEPRECATED.get(name)
    if new is None:
        raise AttributeError(f"module {module!r} has no attribute {name!r}")
    warnings.warn(
        f"{module}.{name} is deprecated and will be removed in the next release; "
        f"use {module}.{new}, the same class",
        DeprecationWarning,
        stacklevel=3,
    )
    cls: type[OnCallPlannerError] = globals()[new]
    return cls
