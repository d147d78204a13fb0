"""The library's exceptions.

Every error raised for bad input derives from :class:`OnCallPlannerError`, so callers (and the
command line) can catch one type and show its message without a traceback.
"""

from __future__ import annotations


class OnCallPlannerError(Exception):
    """Base class of every error this library raises on purpose."""


class ValidationError(OnCallPlannerError, ValueError):
    """A value breaks one of PagerDuty's limits or one of the library's rules.

    The message names the object, the field, the limit and the value given, e.g.
    ``Layer 'Primary': turn_length must be between 1 hour and 365 days, got 0:30:00``.
    """


class ImportError_(OnCallPlannerError):  # noqa: N801, N818 - the underscore avoids the builtin
    """An input file (Terraform, page history) cannot be read or resolved."""
