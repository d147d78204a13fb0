"""What the SLO readers share: error messages that quote an input value briefly, and reading a
file up to a size limit with every failure as one :class:`~oncall_planner.errors.InputReadError`."""

from __future__ import annotations

import reprlib
from pathlib import Path

from oncall_planner.errors import InputReadError

_REPR = reprlib.Repr()
_REPR.maxstring = _REPR.maxother = 80
_REPR.maxlist = _REPR.maxtuple = _REPR.maxdict = _REPR.maxset = 6
_REPR.maxlevel = 3


def _show(value: object) -> str:
    """``repr(value)`` cut short (long strings, big lists, deep nesting), for messages: an
    input value never makes an error message longer than a line or two."""
    return _REPR.repr(value)


def _bytes(size: int) -> str:
    mib = 1024 * 1024
    return f"{size // mib} MiB" if size % mib == 0 else f"{size:,} bytes"


def _read_capped(file: Path, limit: int, hint: str, encoding: str) -> str:
    """The text of ``file``, read up to ``limit`` bytes (a pipe or device that never ends stops
    there); every failure is one :class:`InputReadError` naming the file."""
    try:
        with file.open("rb") as handle:
            data = handle.read(limit + 1)
        if len(data) > limit:
            raise InputReadError(f"{file}: is larger than {_bytes(limit)}; {hint}")
        return data.decode(encoding)
    except FileNotFoundError:
        raise InputReadError(f"{file}: no such file") from None
    except IsADirectoryError:
        raise InputReadError(f"{file}: is a folder; name the file in it") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise InputReadError(f"{file}: cannot be read: {exc}") from None
