"""What the fuzz suite shares: fixed seeds, how many cases, a watchdog per case, byte and token
mutations of the corpus, and the oracles every output must pass.

Everything is deterministic: the same seed gives the same mutants in the same order, so a failure
names the seed, the file and the case number that reproduce it. ``FUZZ_SCALE`` (or
``HYPOTHESIS_PROFILE=long``, which sets it to 20) multiplies the number of mutants; ``make fuzz``
runs the long profile. ``FUZZ_SEED`` changes the seed.
"""

from __future__ import annotations

import contextlib
import csv
import html.parser
import io
import json
import os
import random
import re
import signal
import traceback
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[2]
DATA = REPO / "tests" / "data"

LONG = os.environ.get("HYPOTHESIS_PROFILE") == "long"
SCALE = int(os.environ.get("FUZZ_SCALE", "20" if LONG else "1"))
SEED = int(os.environ.get("FUZZ_SEED", "20250310"))
#: A watchdog, not a speed test: a case takes milliseconds, this only catches a hang.
CASE_SECONDS = float(os.environ.get("FUZZ_CASE_SECONDS", "60"))

#: What the library raises on purpose; anything else from a public function is a crash.
RAW_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")


class HangError(Exception):
    """A case ran past :data:`CASE_SECONDS`."""


@contextlib.contextmanager
def watchdog(seconds: float = CASE_SECONDS) -> Iterator[None]:
    """Raise :class:`HangError` in the block if it runs longer than ``seconds`` (POSIX, main thread;
    elsewhere the block just runs)."""
    if not hasattr(signal, "setitimer"):
        yield
        return

    def ring(signum: int, frame: Any) -> None:
        raise HangError(f"no answer within {seconds:g} s")

    try:
        previous = signal.signal(signal.SIGALRM, ring)
    except ValueError:  # not the main thread
        yield
        return
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


# --- mutations -------------------------------------------------------------------------------

#: Tokens inserted or swapped in: syntax, escapes, hostile text, extreme numbers, deep nesting.
TOKENS: tuple[bytes, ...] = (
    b"{", b"}", b"[", b"]", b"(", b")", b'"', b"'", b",", b":", b"=", b"\n", b"\r", b"\t",
    b"\\", b"\\u", b"\\ud800", b"${", b"%{", b"${var.x}", b"<<EOT\n", b"EOT\n", b"#", b"//",
    b"/*", b"*/", b"\x00", b"\x1b[31m", b"\x1b]0;x\x07", b"\xc2\x9b", b"\xff\xfe", b"\xed\xa0\x80",
    b"=cmd|' /C calc'!A0", b"@SUM(1)", b"-1", b"0", b"1e400", b"-1e400", b"NaN", b"Infinity",
    b"1" * 40, b"9" * 5000, b"0.000000001", b"true", b"null", b"2025-03-09T02:30:00-05:00",
    b"0001-01-01T00:00:00Z", b"9999-12-31T23:59:59Z", b"Etc/UTC", b"UTC", "é".encode(),
    "\u202e".encode(), "\U0001f600".encode(),
)  # fmt: skip

_NUMBER = re.compile(rb"-?\d+(\.\d+)?")
_EXTREMES = (b"0", b"-1", b"1e400", b"10000000000000000000000", b"9" * 5000, b"-9" * 3, b"1.5")


def _span(rng: random.Random, data: bytes) -> tuple[int, int]:
    a = rng.randrange(len(data) + 1)
    return a, min(len(data), a + rng.randrange(1, 64))


def mutate(data: bytes, rng: random.Random, others: list[bytes]) -> bytes:
    """One to three random edits of ``data``: flip a byte, delete, duplicate or move a span,
    insert a token, swap a number for an extreme one, splice in another file, nest deeply or cut
    short."""
    out = bytearray(data)
    for _ in range(rng.randint(1, 3)):
        op = rng.randrange(9)
        if op == 0 and out:
            i = rng.randrange(len(out))
            out[i] ^= 1 << rng.randrange(8)
        elif op == 1 and out:
            a, b = _span(rng, bytes(out))
            del out[a:b]
        elif op == 2 and out:
            a, b = _span(rng, bytes(out))
            out[b:b] = out[a:b]
        elif op == 3:
            i = rng.randrange(len(out) + 1)
            out[i:i] = rng.choice(TOKENS)
        elif op == 4:
            numbers = list(_NUMBER.finditer(bytes(out)))
            if numbers:
                m = rng.choice(numbers)
                out[m.start() : m.end()] = rng.choice(_EXTREMES)
        elif op == 5 and others:
            other = rng.choice(others)
            a, b = _span(rng, other)
            i = rng.randrange(len(out) + 1)
            out[i:i] = other[a:b]
        elif op == 6:
            depth = rng.choice((50, 2000, 100_000))
            opener, closer = rng.choice(((b"[", b"]"), (b"{", b"}"), (b"(", b")")))
            i = rng.randrange(len(out) + 1)
            out[i:i] = opener * depth + b"1" + closer * depth
        elif op == 7 and out:
            del out[rng.randrange(len(out)) :]
        elif op == 8 and len(out) > 1:
            a, b = _span(rng, bytes(out))
            chunk = bytes(out[a:b])
            del out[a:b]
            i = rng.randrange(len(out) + 1)
            out[i:i] = chunk
    return bytes(out)


def mutants(seeds: list[bytes], count: int, seed: int) -> Iterator[tuple[int, int, bytes]]:
    """``count`` mutants of each of ``seeds`` as ``(seed index, case number, bytes)``, the same
    for the same ``seed``."""
    rng = random.Random(seed)
    for index, data in enumerate(seeds):
        for case in range(count):
            yield index, case, mutate(data, rng, seeds)


# --- running cases ---------------------------------------------------------------------------


class Crashes:
    """Collects the cases that raised something other than the documented errors, or hung."""

    def __init__(self, expected: tuple[type[BaseException], ...]) -> None:
        self.expected = expected
        self.found: list[str] = []
        self.cases = 0

    def run(self, label: str, func: Callable[[], Any]) -> Any:
        """``func()`` under the watchdog; a documented error gives ``None``."""
        self.cases += 1
        try:
            with watchdog():
                return func()
        except self.expected:
            return None
        except Exception as exc:  # the crash is the finding
            where = traceback.extract_tb(exc.__traceback__)[-1]
            self.found.append(
                f"{label}: {type(exc).__name__}: {str(exc)[:200]} "
                f"(at {Path(where.filename).name}:{where.lineno})"
            )
            return None

    def report(self) -> str:
        return f"{len(self.found)} of {self.cases} cases crashed:\n" + "\n".join(self.found[:40])


# --- oracles ---------------------------------------------------------------------------------


def no_raw_control(text: str, what: str, allowed: str = "\n") -> None:
    """No control character, lone surrogate or other unprintable character but ``allowed``, and
    the text encodes to UTF-8."""
    text.encode("utf-8")
    for m in RAW_CONTROL.finditer(text):
        if m.group() not in allowed:
            raise AssertionError(f"{what}: raw U+{ord(m.group()):04X} at {m.start()}")
    if "\r" in text and "\r" not in allowed:
        raise AssertionError(f"{what}: a carriage return")


def _refuse_constant(name: str) -> Any:
    raise AssertionError(f"JSON holds {name}, which is not JSON")


def json_doc(text: str, what: str) -> Any:
    """Strict JSON (no NaN or Infinity), UTF-8, no raw control character."""
    no_raw_control(text, what)
    return json.loads(text, parse_constant=_refuse_constant)


def csv_table(text: str, what: str) -> list[list[str]]:
    """Every row as long as the header; no text cell a spreadsheet would run as a formula."""
    text.encode("utf-8")
    # A 4 MB postmortem may make one cell longer than the csv module's default field limit
    # (131,072): that is the reader's limit, not a malformed table. Raised for this read only
    # (the library's own CSV readers rely on the default).
    limit = csv.field_size_limit()
    csv.field_size_limit(max(limit, len(text) + 1))
    try:
        rows = list(csv.reader(io.StringIO(text, newline="")))
    finally:
        csv.field_size_limit(limit)
    assert rows, f"{what}: no header"
    for n, row in enumerate(rows):
        assert len(row) == len(rows[0]), f"{what}: row {n} has {len(row)} cells, not {len(rows[0])}"
        for cell in row:
            if cell[:1] in ("=", "+", "-", "@", "\t", "\r"):
                try:
                    float(cell)
                except ValueError:
                    raise AssertionError(f"{what}: a formula cell {cell[:40]!r}") from None
    return rows


class _Strict(html.parser.HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []

    def handle_starttag(self, tag: str, attrs: Any) -> None:
        self.tags.append(tag)


def html_page(text: str, what: str) -> None:
    """Parses as HTML, no script, nothing raw a browser would choke on."""
    no_raw_control(text, what)
    parser = _Strict()
    parser.feed(text)
    parser.close()
    assert "script" not in parser.tags, f"{what}: a <script> element"


def ics_calendar(text: str, what: str) -> None:
    """RFC 5545: CRLF lines of at most 75 octets, no control character but the tab, and
    icalendar reads it."""
    import icalendar

    assert text.endswith("\r\n"), f"{what}: no final CRLF"
    for line in text[:-2].split("\r\n"):
        assert len(line.encode("utf-8")) <= 75, f"{what}: a line of {len(line.encode())} octets"
        no_raw_control(line, what, allowed="\t")
    icalendar.Calendar.from_ical(text)


_URI = re.compile(r"^[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=%]+$")


def sarif_log(text: str, what: str) -> None:
    """JSON with SARIF 2.1.0's shape; artifact URIs are URI references (percent-encoded)."""
    doc = json_doc(text, what)
    assert doc["version"] == "2.1.0"
    for run in doc["runs"]:
        for result in run["results"]:
            for loc in result.get("locations", ()):
                uri = loc["physicalLocation"]["artifactLocation"]["uri"]
                assert _URI.match(uri), f"{what}: URI {uri!r} is not percent-encoded"
