"""The library's one CSV writer: safe to open in a spreadsheet, readable by any CSV parser.

A spreadsheet runs a cell that starts with ``=``, ``+``, ``-`` or ``@`` as a formula (``=cmd|'
/C calc'!A0``, ``=HYPERLINK(...)``), and some also after a leading tab, carriage return, line
feed or spaces, or with the full-width forms of those signs. Following OWASP's advice on CSV
injection, a *text* cell that starts that way is written with a single quote in front, and
quoted, so that every spreadsheet shows it as text (``'=cmd|' /C calc'!A0``). Numbers that the
library computes (``int`` and ``float``, negative ones included) are written as plain numbers:
they cannot be formulas, and a spreadsheet must read them as numbers. ``None`` is an empty cell.

Every field that holds a line break (``\\r`` or ``\\n``), a comma or a double quote is quoted,
with double quotes doubled (RFC 4180), so a lone carriage return can never split a row. Rows end
in ``\\n``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

#: First characters that make a spreadsheet read a text cell as a formula (OWASP's list, plus
#: the line feed and the full-width signs some spreadsheets convert).
FORMULA_START = frozenset("=+-@\t\r\n\uff1d\uff0b\uff0d\uff20")
#: Characters that oblige a field to be quoted.
_QUOTE_IF = frozenset(',"\r\n')


def neutralise(text: str) -> str:
    """``text`` with a single quote in front when a spreadsheet would read it as a formula."""
    if not text:
        return text
    if text[0] in FORMULA_START or text.lstrip(" ")[:1] in FORMULA_START:
        return "'" + text
    return text


def csv_cell(value: object) -> str:
    """One field as written: numbers as they are, text neutralised and quoted when needed."""
    if value is None:
        return ""
    if isinstance(value, (bool, int, float)):
        return str(value)
    text = str(value)
    safe = neutralise(text)
    if safe is not text or any(c in _QUOTE_IF for c in safe):
        return '"' + safe.replace('"', '""') + '"'
    return safe


def csv_text(header: Sequence[str], rows: Iterable[Sequence[object]]) -> str:
    """A CSV document: the header row, then ``rows``; every cell through :func:`csv_cell`."""
    lines = [",".join(csv_cell(c) for c in header)]
    lines.extend(",".join(csv_cell(c) for c in row) for row in rows)
    return "\n".join(lines) + "\n"


__all__ = ["FORMULA_START", "csv_cell", "csv_text", "neutralise"]
