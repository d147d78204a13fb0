"""Time arithmetic: ISO parsing, the zone allow-list, and local wall clocks with gaps and folds."""

from __future__ import annotations

import datetime as dt
import itertools
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from oncall_planner import PAGERDUTY_TIME_ZONES, ValidationError
from oncall_planner.timeutil import (
    ZoneClock,
    check_time_zone,
    clock,
    from_seconds,
    parse_iso8601,
    public_holidays,
    to_seconds,
)

UTC = dt.timezone.utc


@pytest.mark.parametrize(
    "text",
    [
        "2024-03-09T03:12:40Z",
        "2024-03-09T03:12:40+00:00",
        "2024-03-09T03:12:40+0000",
        "2024-03-09 03:12:40Z",
        "2024-03-08T22:12:40-05:00",
        "2024-03-08T22:12:40.000-0500",
        " 2024-03-09t03:12:40z ",
    ],
)
def test_iso_timestamps_in_the_forms_exports_use(text: str) -> None:
    assert parse_iso8601(text) == dt.datetime(2024, 3, 9, 3, 12, 40, tzinfo=UTC)


def test_a_date_alone_means_its_midnight_without_an_offset() -> None:
    assert parse_iso8601("2025-03-03") == dt.datetime(2025, 3, 3)


@pytest.mark.parametrize("text", ["", "yesterday", "2025-13-01", "2025-03-03T25:00"])
def test_bad_timestamps_raise_value_error(text: str) -> None:
    with pytest.raises(ValueError):
        parse_iso8601(text)


def test_the_allow_list_has_pagerdutys_135_names() -> None:
    assert len(PAGERDUTY_TIME_ZONES) == 135
    assert "Etc/UTC" in PAGERDUTY_TIME_ZONES
    assert "UTC" not in PAGERDUTY_TIME_ZONES
    assert check_time_zone("Asia/Kolkata", "x") == "Asia/Kolkata"
    with pytest.raises(ValidationError, match="x: time_zone must be a string"):
        check_time_zone(5, "x")


def _local(*args: int) -> int:
    return to_seconds(dt.datetime(*args, tzinfo=UTC))  # local wall clock as seconds


def test_local_time_in_the_spring_forward_gap_maps_to_the_jump() -> None:
    ny = clock("America/New_York")
    jump = to_seconds(dt.datetime(2025, 3, 9, 7, tzinfo=UTC))  # 02:00 EST = 03:00 EDT
    assert ny.from_local(_local(2025, 3, 9, 2, 0)) == jump
    assert ny.from_local(_local(2025, 3, 9, 2, 59)) == jump
    assert ny.from_local(_local(2025, 3, 9, 3, 0)) == jump
    assert ny.from_local(_local(2025, 3, 9, 1, 59)) == jump - 60


def test_repeated_local_time_maps_to_its_first_occurrence() -> None:
    ny = clock("America/New_York")
    first = to_seconds(dt.datetime(2025, 11, 2, 5, 30, tzinfo=UTC))  # 01:30 EDT
    assert ny.from_local(_local(2025, 11, 2, 1, 30)) == first
    assert ny.to_local(first) == _local(2025, 11, 2, 1, 30)
    assert ny.to_local(first + 3600) == _local(2025, 11, 2, 1, 30)  # 01:30 EST, the repeat


def test_southern_and_half_hour_zones() -> None:
    adelaide = clock("Australia/Adelaide")
    # Adelaide: +10:30 in January (daylight saving), +09:30 in July.
    assert adelaide.offset(to_seconds(dt.datetime(2025, 1, 15, tzinfo=UTC))) == 10 * 3600 + 1800
    assert adelaide.offset(to_seconds(dt.datetime(2025, 7, 15, tzinfo=UTC))) == 9 * 3600 + 1800


def test_batch_conversion_matches_one_by_one() -> None:
    sydney = clock("Australia/Sydney")
    locals_ = sorted(_local(2025, 4, 6, 1, 0) + 900 * k for k in range(-20, 40))
    assert sydney.from_local_sorted(locals_) == [sydney.from_local(x) for x in locals_]


def test_offsets_of_local_mean_time_are_cut_to_whole_minutes() -> None:
    # Monrovia kept -0:44:30 until 1972 and New York -4:56:02 until 1883.
    monrovia = clock("Africa/Monrovia")
    assert monrovia.offset(to_seconds(dt.datetime(1970, 1, 1, tzinfo=UTC))) == -44 * 60
    assert clock("America/New_York").offset(to_seconds(dt.datetime(1850, 1, 1, tzinfo=UTC))) == (
        -(4 * 3600 + 56 * 60)
    )
    # The change to GMT (at 00:44:30 UTC on 7 January 1972) counts from the whole minute.
    change = to_seconds(dt.datetime(1972, 1, 7, 0, 44, tzinfo=UTC))
    assert monrovia.offset(change - 60) == -44 * 60
    assert monrovia.offset(change) == 0
    assert monrovia.from_local(_local(1972, 1, 7, 0, 30)) == change  # skipped: the jump


def test_a_rotation_anchored_in_local_mean_time_hands_off_on_whole_minutes() -> None:
    from oncall_planner import Layer, Schedule, User, render

    ann, ben = User("Ann", "ann@example.com"), User("Ben", "ben@example.com")
    layer = Layer(
        "Daily",
        [ann, ben],
        start=dt.datetime(2025, 1, 1, tzinfo=UTC),
        turn_length=dt.timedelta(days=1),
        rotation_virtual_start=dt.datetime(1970, 1, 1, tzinfo=UTC),  # 23:16 local in Monrovia
    )
    final = render(
        Schedule("Liberia", "Africa/Monrovia", [layer]),
        dt.datetime(2025, 1, 1, tzinfo=UTC),
        dt.datetime(2025, 1, 3, tzinfo=UTC),
    )
    assert [e.end.time() for e in final.entries] == [dt.time(23, 16), dt.time(23, 16), dt.time(0)]


@pytest.mark.parametrize("name", ["America/New_York", "Pacific/Apia", "Asia/Kathmandu"])
@pytest.mark.parametrize(
    "instant",
    [dt.datetime(1, 1, 1, 12, tzinfo=UTC), dt.datetime(9999, 12, 31, 23, 59, tzinfo=UTC)],
)
def test_clocks_work_at_the_edges_of_datetime(name: str, instant: dt.datetime) -> None:
    zclock = ZoneClock(name)  # a fresh table: growing the shared one to year 9999 takes seconds
    seconds = to_seconds(instant)
    local = zclock.to_local(seconds)
    assert zclock.from_local(local) == seconds
    assert zclock.from_local_sorted([local - 86400, local]) == [
        zclock.from_local(local - 86400),
        seconds,
    ]


def test_public_holidays_come_sorted_with_their_names() -> None:
    days = public_holidays("US", [2025])
    assert days[dt.date(2025, 7, 4)].startswith("Independence Day")
    assert list(days) == sorted(days)


def test_public_holidays_say_whether_the_country_or_the_subdivision_is_unknown() -> None:
    with pytest.raises(ValidationError, match="x: no public-holiday calendar for country 'XX'"):
        public_holidays("XX", [2025], where="x")
    with pytest.raises(ValidationError, match="does not know this subdivision of US \\('ZZ'"):
        public_holidays("US", [2025], "ZZ", where="x")


# The zone tables sample the offset once a day (ZoneClock's docstring says why that is safe): the
# closest pairs of changes in PagerDuty's zones, from 1900 to 2100, found by an hourly scan.
CLOSEST_CHANGES = [
    ("Europe/Vienna", 1945),  # 10 days apart
    ("Europe/Riga", 1944),  # 11 days
    ("Africa/Cairo", 2010),  # 21 days
    ("Pacific/Fiji", 2020),  # 28 days
]


@pytest.mark.parametrize(("name", "year"), CLOSEST_CHANGES)
def test_daily_sampling_finds_every_change_an_hourly_scan_finds(name: str, year: int) -> None:
    lo = to_seconds(dt.datetime(year, 1, 1, tzinfo=UTC))
    hi = to_seconds(dt.datetime(year + 1, 1, 1, tzinfo=UTC))
    table, probe = ZoneClock(name), ZoneClock(name)
    hours = range(lo, hi, 3600)
    hourly = [probe._offset_at(t) for t in hours]  # zoneinfo's offset, cut to the minute
    changes = [t for t, a, b in zip(hours[1:], hourly, hourly[1:]) if a != b]
    assert len(changes) >= 2
    # Whatever day the samples fall on, no change and its reversal fit between two of them.
    assert min(b - a for a, b in itertools.pairwise(changes)) > ZoneClock._SAMPLE
    assert [table.offset(t) for t in hours] == hourly


@pytest.mark.parametrize("year", [2025, 3000, 5000, 8990, 9998])
@pytest.mark.parametrize("name", ["America/New_York", "Australia/Sydney", "Europe/London"])
def test_a_fresh_clock_gives_the_offsets_of_any_year(name: str, year: int) -> None:
    zclock = ZoneClock(name)
    for month in (1, 4, 7, 10):
        instant = dt.datetime(year, month, 15, 12, tzinfo=UTC)
        offset = instant.astimezone(ZoneInfo(name)).utcoffset()
        assert offset is not None
        assert zclock.offset(to_seconds(instant)) == offset.total_seconds()


def _scanned_years(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The years the zone tables sample, recorded as they are scanned."""
    scanned: list[int] = []
    scan = ZoneClock._scan

    def recording(self: ZoneClock, lo: int, hi: int) -> tuple[list[int], list[int]]:
        scanned.extend(range(from_seconds(lo).year, from_seconds(hi - 1).year + 1))
        return scan(self, lo, hi)

    monkeypatch.setattr(ZoneClock, "_scan", recording)
    return scanned


def test_far_apart_instants_scan_only_the_years_around_them(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # One day in 8990 on a layer anchored in 2025: the zone table used to grow year by year
    # from 2025 to 8990 (28 s for five zones).
    scanned = _scanned_years(monkeypatch)
    zclock = ZoneClock("Europe/Berlin")
    for year in (2025, 8990, 2025, 5000, 8990):
        instant = to_seconds(dt.datetime(year, 7, 1, tzinfo=UTC))
        assert zclock.from_local(zclock.to_local(instant)) == instant
    assert len(scanned) <= 12, sorted(set(scanned))


def test_a_batch_conversion_scans_the_years_it_spans(monkeypatch: pytest.MonkeyPatch) -> None:
    scanned = _scanned_years(monkeypatch)
    zclock = ZoneClock("America/Santiago")
    locals_ = [to_seconds(dt.datetime(y, 3, 1, tzinfo=UTC)) for y in range(2030, 2040)]
    assert zclock.from_local_sorted(locals_) == [zclock.from_local(x) for x in locals_]
    assert set(range(2030, 2040)) <= set(scanned) and len(set(scanned)) <= 14


@given(
    st.datetimes(
        min_value=dt.datetime(1900, 1, 1),
        max_value=dt.datetime(9100, 1, 1),
        timezones=st.sampled_from(
            [
                dt.timezone.utc,
                dt.timezone(dt.timedelta(hours=5, minutes=30)),
                dt.timezone(dt.timedelta(seconds=-3723)),
                ZoneInfo("Europe/Berlin"),
                ZoneInfo("America/St_Johns"),
            ]
        ),
    ).map(lambda v: v.replace(second=0, microsecond=0) if v.microsecond % 2 else v)
)
def test_a_plain_instant_is_one_check_instant_accepts(value: dt.datetime) -> None:
    from oncall_planner.timeutil import check_instant, is_plain_instant

    try:
        check_instant(value, "X", "start")
        accepted = True
    except ValidationError:
        accepted = False
    assert is_plain_instant(value) == accepted
