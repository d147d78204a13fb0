"""What text the library accepts, and how it shows text it did not check.

Decided once, here (docs/semantics.md, "Text"):

- **Names** (of users, teams, schedules, layers, escalation policies, regions) and **emails**
  hold one line of printable text: no C0 control character (tab and line breaks included), no
  DEL, no C1 control character, no lone surrogate, no Unicode line or paragraph separator.
- **Descriptions** may hold tabs and line breaks (``\\n``, ``\\r``), since PagerDuty shows them as
  paragraphs; every other character refused in names is refused there too.
- **Page history** (titles, services, policies, ids, people as an export names them) is kept as
  the export gives it, control characters included, since monitoring systems write what they
  like into titles; only lone surrogates are refused, because no UTF-8 output can hold them.

What a model refuses is a :class:`~oncall_planner.errors.ValidationError` naming the object, the
field and the character (``U+001B at position 4``). Everything the library displays as text goes
through :func:`printable`, so an escape sequence from page history (or from an object built
around the model's checks) is shown as ``\\x1b`` and never reaches a terminal raw; JSON goes
through :func:`json_safe`.
"""

from __future__ import annotations

import re

from oncall_planner.errors import ValidationError

#: Characters no name may hold: C0 controls, DEL, C1 controls, lone surrogates, line and
#: paragraph separators.
_NOT_IN_NAMES = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff\u2028\u2029]")
#: The same for descriptions, which may hold tabs and line breaks.
_NOT_IN_DESCRIPTIONS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\u2028\u2029]")
#: What no UTF-8 output can hold at all.
_SURROGATE = re.compile("[\ud800-\udfff]")
#: What :func:`printable` escapes (it keeps ``\\t``, ``\\n`` and ``\\r\\n``).
_UNPRINTABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\u2028\u2029]|\r(?!\n)")
#: What :func:`json_safe` escapes: what ``json.dumps(ensure_ascii=False)`` leaves raw.
_JSON_RAW = re.compile("[\x7f-\x9f\ud800-\udfff\u2028\u2029]")


def _describe_char(char: str) -> str:
    return f"U+{ord(char):04X}"


def _kind(char: str) -> str:
    code = ord(char)
    if 0xD800 <= code <= 0xDFFF:
        return "a lone surrogate, which no UTF-8 output can hold"
    if char in "\t\n\r\u2028\u2029":
        return "a tab or line break"
    return "a control character"


def _refuse(regex: re.Pattern[str], value: str, where: str, field: str, what: str) -> None:
    found = regex.search(value)
    if found is None:
        return
    char = found.group()
    raise ValidationError(
        f"{where}: {field} must not hold {what}; it holds {_kind(char)}, "
        f"{_describe_char(char)} at position {found.start()}"
    )


def is_name_text(value: str) -> bool:
    """Whether :func:`check_name_text` accepts ``value`` (for validators that build their message
    only for what they refuse)."""
    return _NOT_IN_NAMES.search(value) is None


def check_name_text(value: str, where: str, field: str = "name") -> None:
    """Refuse control characters, line breaks and lone surrogates in a name or an email."""
    _refuse(
        _NOT_IN_NAMES, value, where, field, "control characters, tabs or line breaks (one line)"
    )


def check_description_text(value: str, where: str, field: str = "description") -> None:
    """Refuse control characters other than tabs and line breaks, and lone surrogates."""
    _refuse(
        _NOT_IN_DESCRIPTIONS,
        value,
        where,
        field,
        "control characters other than tabs and line breaks",
    )


def check_unicode(value: str, where: str, field: str) -> None:
    """Refuse lone surrogates (text from exports keeps every other character)."""
    _refuse(_SURROGATE, value, where, field, "lone surrogates")


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def printable(text: str) -> str:
    """``text`` safe to show: control characters, lone surrogates and line separators written as
    ``\\x1b``/``\\ud800``; tabs, line feeds and CRLF pairs kept, a lone carriage return escaped."""
    if _UNPRINTABLE.search(text) is None:
        return text
    return _UNPRINTABLE.sub(_escape, text)


def _json_escape(match: re.Match[str]) -> str:
    return f"\\u{ord(match.group()):04x}"


def json_safe(text: str) -> str:
    """JSON text from ``json.dumps(..., ensure_ascii=False)`` with DEL, C1 controls, lone
    surrogates and line separators written as ``\\u`` escapes (they can only stand inside
    strings, where the escape means the same character), so it encodes to UTF-8 and shows
    nothing raw in a terminal."""
    if _JSON_RAW.search(text) is None:
        return text
    return _JSON_RAW.sub(_json_escape, text)


__all__ = [
    "check_description_text",
    "check_name_text",
    "check_unicode",
    "json_safe",
    "printable",
]
