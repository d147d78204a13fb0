"""Time arithmetic: PagerDuty's zone allow-list, instants as integer seconds, local wall clocks.

Everything inside the renderer works on integer POSIX seconds (``int``). A *local* time is kept the
same way: the number of seconds from 1970-01-01 00:00 on the zone's wall clock to the local time, so
that adding a day on the wall clock is adding 86 400. :class:`ZoneClock` converts between the two
and applies the library's convention for local times that do not exist (spring forward: the instant
the clocks jump) or happen twice (fall back: the first occurrence).
"""

from __future__ import annotations

import bisect
import contextlib
import datetime as dt
import functools
import re
import sys
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from oncall_planner.errors import ValidationError

if TYPE_CHECKING:
    from zoneinfo import ZoneInfo

UTC = dt.timezone.utc
EPOCH = dt.datetime(1970, 1, 1, tzinfo=UTC)
MINUTE = 60
HOUR = 3600
DAY = 86400
WEEK = 7 * DAY

#: The 135 zone names PagerDuty and its Terraform provider accept (``Etc/UTC``, not ``UTC``).
PAGERDUTY_TIME_ZONES: frozenset[str] = frozenset(
    [
        "Africa/Algiers",
        "Africa/Cairo",
        "Africa/Casablanca",
        "Africa/Harare",
        "Africa/Johannesburg",
        "Africa/Monrovia",
        "Africa/Nairobi",
        "America/Argentina/Buenos_Aires",
        "America/Bogota",
        "America/Caracas",
        "America/Chicago",
        "America/Chihuahua",
        "America/Denver",
        "America/Godthab",
        "America/Guatemala",
        "America/Guyana",
        "America/Halifax",
        "America/Indiana/Indianapolis",
        "America/Juneau",
        "America/La_Paz",
        "America/Lima",
        "America/Los_Angeles",
        "America/Mazatlan",
        "America/Mexico_City",
        "America/Monterrey",
        "America/Montevideo",
        "America/New_York",
        "America/Phoenix",
        "America/Puerto_Rico",
        "America/Regina",
        "America/Santiago",
        "America/Sao_Paulo",
        "America/St_Johns",
        "America/Tijuana",
        "Asia/Almaty",
        "Asia/Baghdad",
        "Asia/Baku",
        "Asia/Bangkok",
        "Asia/Chongqing",
        "Asia/Colombo",
        "Asia/Dhaka",
        "Asia/Hong_Kong",
        "Asia/Irkutsk",
        "Asia/Jakarta",
        "Asia/Jerusalem",
        "Asia/Kabul",
        "Asia/Kamchatka",
        "Asia/Karachi",
        "Asia/Kathmandu",
        "Asia/Kolkata",
        "Asia/Krasnoyarsk",
        "Asia/Kuala_Lumpur",
        "Asia/Kuwait",
        "Asia/Magadan",
        "Asia/Muscat",
        "Asia/Novosibirsk",
        "Asia/Rangoon",
        "Asia/Riyadh",
        "Asia/Seoul",
        "Asia/Shanghai",
        "Asia/Singapore",
        "Asia/Srednekolymsk",
        "Asia/Taipei",
        "Asia/Tashkent",
        "Asia/Tbilisi",
        "Asia/Tehran",
        "Asia/Tokyo",
        "Asia/Ulaanbaatar",
        "Asia/Urumqi",
        "Asia/Vladivostok",
        "Asia/Yakutsk",
        "Asia/Yekaterinburg",
        "Asia/Yerevan",
        "Atlantic/Azores",
        "Atlantic/Cape_Verde",
        "Atlantic/South_Georgia",
        "Australia/Adelaide",
        "Australia/Brisbane",
        "Australia/Darwin",
        "Australia/Hobart",
        "Australia/Melbourne",
        "Australia/Perth",
        "Australia/Sydney",
        "Etc/GMT+12",
        "Etc/UTC",
        "Europe/Amsterdam",
        "Europe/Athens",
        "Europe/Belgrade",
        "Europe/Berlin",
        "Europe/Bratislava",
        "Europe/Brussels",
        "Europe/Bucharest",
        "Europe/Budapest",
        "Europe/Copenhagen",
        "Europe/Dublin",
        "Europe/Helsinki",
        "Europe/Istanbul",
        "Europe/Kaliningrad",
        "Europe/Kiev",
        "Europe/Lisbon",
        "Europe/Ljubljana",
        "Europe/London",
        "Europe/Madrid",
        "Europe/Minsk",
        "Europe/Moscow",
        "Europe/Paris",
        "Europe/Prague",
        "Europe/Riga",
        "Europe/Rome",
        "Europe/Samara",
        "Europe/Sarajevo",
        "Europe/Skopje",
        "Europe/Sofia",
        "Europe/Stockholm",
        "Europe/Tallinn",
        "Europe/Vienna",
        "Europe/Vilnius",
        "Europe/Volgograd",
        "Europe/Warsaw",
        "Europe/Zagreb",
        "Europe/Zurich",
        "Pacific/Apia",
        "Pacific/Auckland",
        "Pacific/Chatham",
        "Pacific/Fakaofo",
        "Pacific/Fiji",
        "Pacific/Guadalcanal",
        "Pacific/Guam",
        "Pacific/Honolulu",
        "Pacific/Majuro",
        "Pacific/Midway",
        "Pacific/Noumea",
        "Pacific/Pago_Pago",
        "Pacific/Port_Moresby",
        "Pacific/Tongatapu",
    ]
)

_SUGGESTIONS = {"UTC": "Etc/UTC", "GMT": "Etc/UTC", "Etc/GMT": "Etc/UTC", "Z": "Etc/UTC"}


def check_time_zone(name: object, where: str) -> str:
    """Return ``name`` if PagerDuty accepts it as a time zone, else raise ValidationError."""
    if not isinstance(name, str):
        raise ValidationError(
            f"{where}: time_zone must be a string such as 'Etc/UTC', got {name!r}"
        )
    if name not in PAGERDUTY_TIME_ZONES:
        hint = _SUGGESTIONS.get(name)
        extra = f"; use {hint!r}" if hint else " (see oncall_planner.PAGERDUTY_TIME_ZONES)"
        raise ValidationError(
            f"{where}: time_zone must be one of the 135 names PagerDuty accepts, got {name!r}{extra}"
        )
    return name


@functools.cache
def zone(name: str) -> ZoneInfo:
    """The ``zoneinfo`` zone for a name (cached)."""
    from zoneinfo import ZoneInfo  # here: loading zoneinfo reads the interpreter's configuration

    return ZoneInfo(name)


def to_seconds(value: dt.datetime) -> int:
    """An aware datetime as integer POSIX seconds, rounded down to the second."""
    delta = value - EPOCH
    return delta.days * DAY + delta.seconds


def from_seconds(seconds: int) -> dt.datetime:
    """Integer POSIX seconds as an aware UTC datetime."""
    try:
        return _fromtimestamp(seconds, UTC)  # one C call: the fast path
    except (OverflowError, OSError, ValueError):  # outside the platform's time_t
        return EPOCH + dt.timedelta(seconds=seconds)


_fromtimestamp = dt.datetime.fromtimestamp


def is_aware(value: dt.datetime) -> bool:
    return value.tzinfo is not None and value.tzinfo.utcoffset(value) is not None


#: The years every instant the library takes must fall in: from the Python API (models, windows,
#: ``at``), files and the command line alike. Every real schedule fits, and the arithmetic on top
#: (turns of up to a year, horizons of whole rotation cycles, escalations, calendar margins) stays
#: far from the year 9999 where Python's datetime ends.
TIMESTAMP_YEARS = range(1970, 9000)
YEARS_TEXT = f"{TIMESTAMP_YEARS.start} to {TIMESTAMP_YEARS.stop - 1}"
#: The wider years :func:`~oncall_planner.render.render` and ``on_call_at`` take: other functions
#: call them with margins around the caller's dates (a calendar's whole shifts, a check's
#: escalation timelines, a cycle past the horizon), which may step a little outside
#: :data:`TIMESTAMP_YEARS`.
RENDER_YEARS = range(1960, 9990)


def year_in_range(value: dt.datetime) -> bool:
    """Whether ``value`` (naive or aware, as written) falls in :data:`TIMESTAMP_YEARS`."""
    return value.year in TIMESTAMP_YEARS


def is_plain_instant(value: object) -> bool:
    """Whether :func:`check_instant` accepts ``value`` with its default years, for the common
    case only: a datetime in a ``zoneinfo`` zone or a fixed offset, in whole minutes. False says
    nothing (ask :func:`check_instant`, which builds the message); validators call this first."""
    if type(value) is not dt.datetime:
        return False
    kind = type(value.tzinfo)
    if kind is not dt.timezone:
        # zoneinfo is imported where zones are made (see zone()): a ZoneInfo means it is loaded
        module = sys.modules.get("zoneinfo")
        if module is None or kind is not module.ZoneInfo:
            return False
    if value.year not in TIMESTAMP_YEARS:
        return False
    delta = value - EPOCH
    return not delta.microseconds and not delta.seconds % MINUTE


def check_aware(
    value: object, where: str, field: str, years: range = TIMESTAMP_YEARS
) -> dt.datetime:
    """Check that ``value`` is an aware datetime in ``years`` (seconds allowed, as page history
    has them); return it unchanged."""
    if not isinstance(value, dt.datetime):
        raise ValidationError(
            f"{where}: {field} must be a timezone-aware datetime, got {type(value).__name__} {value!r}"
        )
    if not is_aware(value):
        raise ValidationError(
            f"{where}: {field} must be timezone-aware (give tzinfo, e.g. ZoneInfo('Etc/UTC')), "
            f"got naive {value.isoformat()}"
        )
    check_year(value, where, field, years)
    return value


def check_year(value: dt.datetime, where: str, field: str, years: range = TIMESTAMP_YEARS) -> None:
    """Refuse a datetime (as written) outside ``years``, by default :data:`TIMESTAMP_YEARS`."""
    if value.year not in years:
        raise ValidationError(
            f"{where}: {field} must be in the years {years.start} to {years.stop - 1} (the "
            "library computes turns, cycles and escalations on top of it within the dates "
            f"Python holds), got {value.isoformat()}"
        )


def check_instant(
    value: object, where: str, field: str, years: range = TIMESTAMP_YEARS
) -> dt.datetime:
    """Check that ``value`` is an aware datetime in ``years`` (by default
    :data:`TIMESTAMP_YEARS`), in whole minutes; return it unchanged."""
    check_aware(value, where, field, years)
    assert isinstance(value, dt.datetime)
    tz = value.tzinfo
    # pytz: a zone attached with tzinfo= (not localize) carries the wrong offset.
    normalize = getattr(tz, "localize", None) and getattr(tz, "normalize", None)
    if normalize is not None and normalize(value).utcoffset() != value.utcoffset():
        raise ValidationError(
            f"{where}: {field} carries the offset {value.isoformat()[19:]} of a pytz zone attached "
            f"with tzinfo=, which is local mean time; build it with zone.localize(naive) instead"
        )
    seconds = value - EPOCH
    if seconds.microseconds or seconds.seconds % MINUTE:
        hint = ""
        if (value.utcoffset() or dt.timedelta()).seconds % MINUTE:
            hint = (
                " (its UTC offset has seconds: a pytz zone passed as tzinfo= means local mean time;"
                " use zone.localize(naive) instead)"
            )
        raise ValidationError(
            f"{where}: {field} must be in whole minutes (PagerDuty drops seconds), "
            f"got {value.isoformat()}{hint}"
        )
    return value


def check_duration(value: object, where: str, field: str) -> dt.timedelta:
    if not isinstance(value, dt.timedelta):
        raise ValidationError(
            f"{where}: {field} must be a datetime.timedelta, got {type(value).__name__} {value!r}"
        )
    if value.microseconds or value.seconds % MINUTE:
        raise ValidationError(f"{where}: {field} must be in whole minutes, got {value}")
    return value


def parse_iso8601(text: str) -> dt.datetime:
    """An ISO 8601 / RFC 3339 date-time (or a date, meaning its midnight), naive when the text has
    no offset. Accepts what PagerDuty, Terraform and people write: ``Z``, ``+00:00``, ``-0500``,
    a space or ``T`` between date and time, and fractions of a second, on every supported Python
    (``datetime.fromisoformat`` takes fewer of these before 3.11). Raises ``ValueError``."""
    cleaned = text.strip()
    if len(cleaned) > 10 and cleaned[10] in " t":
        cleaned = f"{cleaned[:10]}T{cleaned[11:]}"
    from dateutil.parser import isoparse  # here: dateutil's parser takes long to load

    return isoparse(cleaned)


def public_holidays(
    country: str, years: Iterable[int], subdivision: str | None = None, where: str = "holidays"
) -> dict[dt.date, str]:
    """Public holidays (date -> name, sorted) of ``country`` (ISO 3166-1, e.g. ``"US"``) and
    optionally one of its subdivisions, from the ``holidays`` package. An unknown country or
    subdivision is a ValidationError that says which of the two is unknown."""
    import holidays

    try:
        table: Any = holidays.country_holidays(country, subdiv=subdivision, years=list(years))
    except NotImplementedError:
        known: Any = holidays.list_supported_countries()
        if country in known and subdivision is not None:
            subdivisions = ", ".join(known[country]) or "none"
            raise ValidationError(
                f"{where}: the holidays package does not know this subdivision of {country} "
                f"({subdivision!r}; it knows: {subdivisions})"
            ) from None
        raise ValidationError(
            f"{where}: no public-holiday calendar for country {country!r} in the holidays "
            "package (use an ISO 3166-1 code such as 'US' or 'GB')"
        ) from None
    except Exception as exc:  # the package reports other bad arguments in its own ways
        raise ValidationError(f"{where}: {exc}") from None
    return dict(sorted(table.items()))


_TIME_RE = re.compile(r"^(\d{1,2}):(\d{2})(?::(\d{2}))?$")


def parse_time_of_day(
    value: object, where: str = "Restriction", field: str = "start_time_of_day"
) -> dt.time:
    """``"09:00"``, ``"09:00:00"`` or a :class:`datetime.time` as a naive ``time``; errors name
    ``where`` and ``field``."""
    if isinstance(value, dt.time):
        if value.tzinfo is not None:
            raise ValidationError(
                f"{where}: {field} must be a local wall-clock time without tzinfo, got {value!r}"
            )
        return value
    if isinstance(value, str):
        m = _TIME_RE.match(value.strip())
        if m:
            hour, minute, second = int(m[1]), int(m[2]), int(m[3] or 0)
            if hour < 24 and minute < 60 and second < 60:
                return dt.time(hour, minute, second)
    raise ValidationError(
        f"{where}: {field} must be a datetime.time or 'HH:MM' / 'HH:MM:SS', got {value!r}"
    )


def describe_duration(value: dt.timedelta) -> str:
    """A short human form of a duration: '30 minutes', '7 days', '1 day 4 hours'."""
    total = int(value.total_seconds())
    if total < 0:
        return f"-{describe_duration(-value)}"
    parts = []
    for unit, size in (("day", DAY), ("hour", HOUR), ("minute", MINUTE), ("second", 1)):
        amount, total = divmod(total, size)
        if amount:
            parts.append(f"{amount} {unit}{'s' if amount != 1 else ''}")
    return " ".join(parts) or "0 seconds"


def iso_weekday(local_seconds: int) -> int:
    """ISO weekday (1 = Monday … 7 = Sunday) of a local time given in local seconds."""
    return (local_seconds // DAY + 3) % 7 + 1


@functools.cache
def year_start(year: int) -> int:
    """POSIX seconds of 1 January of ``year`` (1 to 9999), 00:00 UTC."""
    return to_seconds(dt.datetime(year, 1, 1, tzinfo=UTC))


def year_of(seconds: int) -> int:
    """The UTC year of an instant (or of a local time in local seconds), clamped to 1..9999."""
    days = seconds // DAY
    if days < -719_162:  # before 0001-01-01
        return 1
    if days >= 2_932_897:  # from 10000-01-01 on
        return 9999
    return (EPOCH + dt.timedelta(days=days)).year


class _Table:
    """The UTC offsets of one zone over a stretch of whole years ``first`` to ``last``:
    transitions ``starts`` (instants) with the offset from each on, and the same starts on the
    local wall clock. ``ok_lo``/``ok_hi`` bound the instants and local times it answers for
    (two days inside its edges, since local times are within a day of the instant)."""

    __slots__ = ("first", "last", "local_starts", "offsets", "ok_hi", "ok_lo", "starts")

    def __init__(self, first: int, last: int, starts: list[int], offsets: list[int]) -> None:
        self.first, self.last = first, last
        self.starts, self.offsets = starts, offsets
        self.local_starts = [s + o for s, o in zip(starts, offsets, strict=True)]
        # Years 1 and 9999 are the edges of datetime: beyond them the first or last offset holds.
        self.ok_lo = year_start(first) + 2 * DAY if first > 1 else -(2**62)
        self.ok_hi = year_start(last + 1) - 2 * DAY if last < 9999 else 2**62


class ZoneClock:
    """Converts between POSIX seconds and local wall-clock seconds for one zone.

    The zone's UTC offsets are kept as sorted lists of transitions, found by sampling
    ``utcoffset`` once a day and bisecting each change to the second. Only the years asked
    for are sampled: an instant in an unknown year adds a table of that year and its neighbours
    (joined to a table that ends or starts within a few years, so a window moving forward grows
    one table), and a batch conversion covers the years it spans. Rendering a day in year 8990
    samples three years, not the 6,965 since the layer's anchor in 2025.

    A day is safe: in the 135 zones PagerDuty accepts, two changes of offset are never less than
    ten days apart from 1900 to 2100 (Vienna, April 1945), so no change and its reversal fall
    between two samples (``tests/test_timeutil.py`` checks the closest pairs against an hourly
    scan). Sampling every six hours, as before, made building the tables of a year in 50 zones a
    sixth of the time of rendering 1,000 schedules.
    """

    _SAMPLE = DAY
    #: Tables this many years apart or closer are joined by sampling the years between.
    _JOIN_GAP = 3

    def __init__(self, name: str) -> None:
        self.name = name
        self._tz = zone(name)
        self._tables: list[_Table] = []  # sorted by year, disjoint and not adjacent
        # The table in use: instants in [_ok_lo, _ok_hi) need no other (empty at first).
        self._ok_lo = 1
        self._ok_hi = 0
        # Transition instants; _offsets[i] holds from _starts[i] (inclusive) on.
        self._starts: list[int] = []
        self._offsets: list[int] = []
        self._local_starts: list[int] = []

    def _offset_at(self, seconds: int) -> int:
        """The UTC offset at an instant, in whole minutes.

        Old offsets of local mean time have seconds (New York until 1883: -4:56:02; Monrovia until
        1972: -0:44:30). They are cut to the minute (towards zero), so that a local time of a whole
        minute is an instant of a whole minute, as PagerDuty's timestamps are.
        """
        try:
            off = dt.datetime.fromtimestamp(seconds, self._tz).utcoffset()
        except (OverflowError, OSError, ValueError):  # outside the platform's time_t
            off = from_seconds(seconds).astimezone(self._tz).utcoffset()
        assert off is not None
        total = off.days * DAY + off.seconds
        whole = abs(total) // MINUTE * MINUTE
        return whole if total >= 0 else -whole

    def _scan(self, lo: int, hi: int) -> tuple[list[int], list[int]]:
        starts, offsets = [lo], [self._offset_at(lo)]
        t = lo
        tz, step = self._tz, self._SAMPLE
        current: dt.timedelta | None = dt.timedelta(seconds=offsets[-1])
        while t < hi:
            nxt = min(t + step, hi)
            try:  # the common case inline: one sample, no change
                if _fromtimestamp(nxt, tz).utcoffset() == current:
                    t = nxt
                    continue
            except (OverflowError, OSError, ValueError):
                pass
            off = self._offset_at(nxt)
            # The offset as zoneinfo gives it, seconds and all, for the fast path above.
            with contextlib.suppress(OverflowError, OSError, ValueError):
                current = _fromtimestamp(nxt, tz).utcoffset()
            if off != offsets[-1]:
                a, b = t, nxt  # offset(a) == previous, offset(b) == new
                while b - a > 1:
                    mid = (a + b) // 2
                    if self._offset_at(mid) == offsets[-1]:
                        a = mid
                    else:
                        b = mid
                starts.append(b - b % MINUTE)  # a change at 00:44:30 counts from 00:44
                offsets.append(off)
            t = nxt
        return starts, offsets

    def _scan_years(self, first: int, last: int) -> tuple[list[int], list[int]]:
        # From 2 January in year 1: 1 January 00:00 UTC is still year 0 west of Greenwich; and
        # up to 30 December in year 9999, whose last day is already year 10000 east of it.
        lo = year_start(first) + (DAY if first == 1 else 0)
        hi = year_start(last + 1) if last < 9999 else year_start(9999) + 363 * DAY
        return self._scan(lo, hi)

    @staticmethod
    def _join(
        starts: list[int], offsets: list[int], more_starts: list[int], more_offsets: list[int]
    ) -> tuple[list[int], list[int]]:
        """Append a later scan, dropping its entries that repeat the offset in force."""
        starts, offsets = list(starts), list(offsets)
        for start, off in zip(more_starts, more_offsets, strict=True):
            if start > starts[-1] and off != offsets[-1]:
                starts.append(start)
                offsets.append(off)
        return starts, offsets

    def _use(self, table: _Table) -> None:
        self._starts, self._offsets = table.starts, table.offsets
        self._local_starts = table.local_starts
        self._ok_lo, self._ok_hi = table.ok_lo, table.ok_hi

    def _cover(self, first: int, last: int) -> _Table:
        """A table covering the years ``first`` to ``last`` (1..9999), made from the tables
        that overlap or nearly touch them and samples of the years none of them holds."""
        first, last = max(first, 1), min(last, 9999)
        gap = self._JOIN_GAP
        near = [t for t in self._tables if t.first - gap <= last and first <= t.last + gap]
        keep = [t for t in self._tables if t not in near]
        if len(near) == 1 and near[0].first <= first and last <= near[0].last:
            return near[0]
        first = min([first, *(t.first for t in near)])
        last = max([last, *(t.last for t in near)])
        starts: list[int] = []
        offsets: list[int] = []
        year = first
        for table in near:  # in year order
            if year < table.first:
                starts, offsets = self._extend(starts, offsets, year, table.first - 1)
            starts, offsets = self._append(starts, offsets, table.starts, table.offsets)
            year = table.last + 1
        if year <= last:
            starts, offsets = self._extend(starts, offsets, year, last)
        table = _Table(first, last, starts, offsets)
        self._tables = sorted([*keep, table], key=lambda t: t.first)
        return table

    def _extend(
        self, starts: list[int], offsets: list[int], first: int, last: int
    ) -> tuple[list[int], list[int]]:
        return self._append(starts, offsets, *self._scan_years(first, last))

    def _append(
        self, starts: list[int], offsets: list[int], more_starts: list[int], more_offsets: list[int]
    ) -> tuple[list[int], list[int]]:
        if not starts:
            return list(more_starts), list(more_offsets)
        return self._join(starts, offsets, more_starts, more_offsets)

    def _ensure(self, seconds: int) -> None:
        """Make the table that holds ``seconds`` (an instant or a local time) the one in use."""
        for table in self._tables:
            if table.ok_lo <= seconds < table.ok_hi:
                self._use(table)
                return
        year = year_of(seconds)
        self._use(self._cover(year - 1, year + 1))

    def _ensure_range(self, lo: int, hi: int) -> None:
        """Make one table that holds every instant (or local time) from ``lo`` to ``hi`` the one
        in use."""
        if self._ok_lo <= lo and hi < self._ok_hi:
            return
        for table in self._tables:
            if table.ok_lo <= lo and hi < table.ok_hi:
                self._use(table)
                return
        self._use(self._cover(year_of(lo) - 1, year_of(hi) + 1))

    def offset(self, seconds: int) -> int:
        """UTC offset in seconds at an instant."""
        if not self._ok_lo <= seconds < self._ok_hi:
            self._ensure(seconds)
        i = bisect.bisect_right(self._starts, seconds) - 1
        return self._offsets[max(i, 0)]

    def to_local(self, seconds: int) -> int:
        """The local wall-clock time (local seconds) at an instant."""
        return seconds + self.offset(seconds)

    def from_local(self, local: int) -> int:
        """The instant of a local wall-clock time.

        A time inside a spring-forward gap maps to the instant the clocks jump; a time that happens
        twice maps to its first occurrence. The mapping never decreases.
        """
        if not self._ok_lo <= local < self._ok_hi:
            self._ensure(local)
        starts, offsets = self._starts, self._offsets
        j = bisect.bisect_right(self._local_starts, local) - 1
        if j < 0:
            j = 0
        if j > 0 and local - offsets[j - 1] < starts[j]:
            return local - offsets[j - 1]  # first occurrence of a repeated time
        if j + 1 < len(starts) and local - offsets[j] >= starts[j + 1]:
            return starts[j + 1]  # inside a gap: the instant the clocks jump
        return local - offsets[j]

    def skipped(self, lo: int, hi: int) -> list[tuple[int, int]]:
        """The spring-forward gaps that meet the local times ``[lo, hi]``, as ``(a, b)``: the
        local times from ``a`` to ``b``, both included, all map to one instant (the clocks jump
        at ``b``), and :meth:`from_local` is strictly increasing everywhere else."""
        self._ensure_range(lo, hi)
        starts, offsets = self._starts, self._offsets
        out: list[tuple[int, int]] = []
        for j in range(max(bisect.bisect_left(self._local_starts, lo) - 1, 1), len(starts)):
            a = starts[j] + offsets[j - 1]
            if a > hi:
                break
            b = starts[j] + offsets[j]
            if b > a and b >= lo:
                out.append((a, b))
        return out

    def from_local_sorted(self, locals_: list[int]) -> list[int]:
        """:meth:`from_local` of each of ``locals_``, which must be sorted.

        Works a stretch of constant offset at a time: bisect for where the stretch's repeated
        times (after a fall-back) and skipped times (before a spring-forward) begin, and convert
        the rest with one subtraction each.
        """
        if not locals_:
            return []
        self._ensure_range(locals_[0], locals_[-1])  # one table for every year in between
        starts, offsets, local_starts = self._starts, self._offsets, self._local_starts
        last = len(starts) - 1
        bisect_left = bisect.bisect_left
        j = max(bisect.bisect_right(local_starts, locals_[0]) - 1, 0)
        out: list[int] = []
        i, n = 0, len(locals_)
        while i < n:
            while j < last and local_starts[j + 1] <= locals_[i]:
                j += 1
            # This stretch takes the locals before the next stretch's local start.
            stop = bisect_left(locals_, local_starts[j + 1], i) if j < last else n
            off = offsets[j]
            if j > 0:  # repeated times: before starts[j] + offsets[j - 1] on the wall clock
                fold_end = bisect_left(locals_, starts[j] + offsets[j - 1], i, stop)
                prev = offsets[j - 1]
                out.extend([local - prev for local in locals_[i:fold_end]])
                i = fold_end
            if j < last:  # skipped times: from starts[j + 1] + off on, map to starts[j + 1]
                gap = bisect_left(locals_, starts[j + 1] + off, i, stop)
                out.extend([local - off for local in locals_[i:gap]])
                out.extend([starts[j + 1]] * (stop - gap))
            else:
                out.extend([local - off for local in locals_[i:stop]])
            i = stop
        return out


@functools.cache
def clock(name: str) -> ZoneClock:
    """The shared :class:`ZoneClock` of a zone."""
    return ZoneClock(name)
