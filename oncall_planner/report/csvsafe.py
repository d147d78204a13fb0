"""Formula-safe CSV for the health report, through one function (:func:`csv_text`).

A spreadsheet opens a cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage
return as a formula; names, emails and messages come from users' inputs, so such a text cell is
written with a leading single quote (OWASP's advice for CSV injection) and quoted. Numbers the
library computes are written as numbers, negative ones included. A cell holding a line break
(``\\n`` or a lone ``\\r``) or a comma or a quote is quoted, with quotes doubled.

This is the health report's writer until the library's shared formula-safe writer lands; the
report calls nothing else, so switching is a one-line change here.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> str:
    """One cell as CSV text: numbers as they are, text neutralised and quoted as needed."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value) if isinstance(value, float) else str(value)
    text = str(value)
    if text.startswith(FORMULA_STARTS):
        text = "'" + text
    if any(c in text for c in ',"\n\r') or text.startswith("'"):
        text = '"' + text.replace('"', '""') + '"'
    return text


def csv_text(rows: Iterable[Sequence[Any]]) -> str:
    """The rows as CSV text, ``\\n`` between rows and after the last."""
    return "".join(",".join(safe_cell(c) for c in row) + "\n" for row in rows)


__all__ = ["FORMULA_STARTS", "csv_text", "safe_cell"]
