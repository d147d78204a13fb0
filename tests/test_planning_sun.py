"""follow_the_sun: one layer per region, each on call in its own daytime, 24/7 together."""

from __future__ import annotations

import datetime as dt
import functools
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from oncall_planner import Region, User, ValidationError, follow_the_sun, render

UTC = dt.timezone.utc
START = dt.datetime(2025, 1, 6, tzinfo=UTC)
SHORT = dt.timedelta(weeks=3)


def people(prefix: str, n: int = 2) -> list[User]:
    return [User(f"{prefix}{i}", f"{prefix.lower()}{i}@example.com") for i in range(n)]


AMERICAS = Region("Americas", people("Am"), "America/Los_Angeles", "06:00", "18:00")
EMEA = Region("EMEA", people("Em"), "Europe/London", "07:00", "19:00")
APAC = Region("APAC", people("Ap"), "Australia/Sydney", "07:00", "19:00")


def test_three_regions_cover_the_clock_over_a_year() -> None:
    plan = follow_the_sun([AMERICAS, EMEA, APAC], START)
    final = render(plan.schedule, START, START + dt.timedelta(days=365))
    assert final.gaps == ()


def test_each_region_is_on_call_only_in_its_own_hours() -> None:
    plan = follow_the_sun([AMERICAS, EMEA, APAC], START)
    assert all(v == dt.timedelta() for v in plan.outside_hours.values())


def test_overlaps_are_split_in_the_middle() -> None:
    plan = follow_the_sun([AMERICAS, EMEA, APAC], START)
    windows = {layer.name: str(layer.restrictions[0]) for layer in plan.schedule.layers}
    # EMEA 07-19 UTC and Americas 14-02 UTC (winter) overlap 14-19: the handoff is 16:30.
    assert windows == {
        "Americas": "daily from 16:30 for 6 hours 30 minutes",
        "EMEA": "daily from 07:30 for 9 hours",
        "APAC": "daily from 23:00 for 8 hours 30 minutes",
    }


def test_turns_hand_off_at_the_start_of_each_window() -> None:
    plan = follow_the_sun([AMERICAS, EMEA, APAC], START)
    emea = plan.schedule.layers[1]
    assert emea.rotation_virtual_start == dt.datetime(2025, 1, 5, 7, 30, tzinfo=UTC)


def test_gap_in_the_hours_is_named() -> None:
    short = Region("EMEA", people("Em"), "Europe/London", "09:00", "17:00")
    with pytest.raises(ValidationError, match=r"leave 08:00–09:00 Etc/UTC uncovered"):
        follow_the_sun([AMERICAS, short, APAC], START, horizon=SHORT)


def test_gap_that_only_daylight_saving_opens_is_found() -> None:
    # 8-hour days that meet exactly in January drift apart when clocks change in March.
    regions = [
        Region("A", people("A"), "America/New_York", "09:00", "17:00"),  # 14-22 UTC in winter
        Region("B", people("B"), "Asia/Tokyo", "07:00", "15:00"),  # 22-06 UTC, no DST
        Region("C", people("C"), "Europe/London", "06:00", "14:00"),  # 06-14 UTC in winter
    ]
    with pytest.raises(ValidationError, match=r"leave 21:00–22:00 Etc/UTC uncovered"):
        follow_the_sun(regions, START)


def test_region_inside_another_is_refused() -> None:
    inner = Region("Inner", people("In"), "Europe/London", "09:00", "12:00")
    with pytest.raises(ValidationError, match=r"region 'Inner' works .* inside region 'EMEA'"):
        follow_the_sun([AMERICAS, EMEA, APAC, inner], START, horizon=SHORT)


def test_one_region_all_day_needs_no_restriction() -> None:
    region = Region("Everyone", people("E"), "Etc/UTC", "09:00", "09:00")
    plan = follow_the_sun([region], START, horizon=SHORT)
    assert plan.schedule.layers[0].restrictions == ()


def test_region_names_must_be_unique() -> None:
    with pytest.raises(ValidationError, match="region names must be unique"):
        follow_the_sun([EMEA, EMEA], START, horizon=SHORT)


def test_region_hours_must_be_times_of_day() -> None:
    with pytest.raises(
        ValidationError, match=r"Region: end_time must be a datetime\.time or 'HH:MM'"
    ):
        Region("X", people("X"), "Etc/UTC", "09:00", "25:00")


def test_region_hours_must_be_whole_minutes() -> None:
    with pytest.raises(ValidationError, match="start_time must be in whole minutes"):
        Region("X", people("X"), "Etc/UTC", "09:00:30", "17:00")


FIXED_ZONES = ["Etc/UTC", "Asia/Kolkata", "Asia/Tokyo", "America/Phoenix", "Asia/Kathmandu"]


@st.composite
def sun_regions(draw: st.DrawFn) -> list[Region]:
    n = draw(st.integers(2, 4))
    cuts = sorted(draw(st.lists(st.integers(0, 23), min_size=n, max_size=n, unique=True)))
    gaps = [(cuts[(i + 1) % n] - cuts[i]) % 24 or 24 for i in range(n)]
    if min(gaps) < 2:
        cuts = [i * (24 // n) for i in range(n)]
        gaps = [24 // n] * (n - 1) + [24 - (24 // n) * (n - 1)]
    regions = []
    for i, (cut, gap) in enumerate(zip(cuts, gaps, strict=True)):
        zone = draw(st.sampled_from(FIXED_ZONES))
        overlap = draw(st.integers(0, 60))
        offset = (
            dt.datetime(2025, 1, 6, tzinfo=UTC)
            .astimezone(__import__("zoneinfo").ZoneInfo(zone))
            .utcoffset()
        )
        assert offset is not None
        begin = dt.datetime(2025, 1, 6, cut, tzinfo=UTC) + offset
        end = begin + dt.timedelta(hours=gap, minutes=overlap)
        regions.append(
            Region(
                f"R{i}",
                people(f"R{i}x"),
                zone,
                begin.time(),
                end.time() if gap < 24 else begin.time(),
            )
        )
    return regions


@given(sun_regions(), st.sampled_from(["Etc/UTC", "America/New_York", "Europe/Berlin"]))
def test_follow_the_sun_renders_without_gaps(regions: list[Region], zone: str) -> None:
    plan = follow_the_sun(regions, START, time_zone=zone, horizon=SHORT)
    final = render(plan.schedule, START, START + SHORT)
    assert final.gaps == ()
    assert all(hours > dt.timedelta() for hours in plan.hours.values())


def test_handoff_moves_into_the_overlap_that_lasts_all_year() -> None:
    # New York 08-20 overlaps Singapore 08-20 by an hour (00-01 UTC) in winter and only touches
    # it (at 00:00 UTC) in summer: a handoff at 00:00 keeps both in their own hours all year,
    # the middle of the winter overlap (00:30) put New York on call past 20:00 all summer.
    regions = [
        Region("EU", people("Eu"), "Europe/London", "08:00", "20:00"),
        Region("US", people("Us"), "America/New_York", "08:00", "20:00"),
        Region("SG", people("Sg"), "Asia/Singapore", "08:00", "20:00"),
    ]
    plan = follow_the_sun(regions, START)
    windows = {layer.name: str(layer.restrictions[0]) for layer in plan.schedule.layers}
    assert windows["SG"] == "daily from 00:00 for 10 hours"
    assert all(v == dt.timedelta() for v in plan.outside_hours.values())
    assert render(plan.schedule, START, START + dt.timedelta(days=365)).gaps == ()


def test_without_a_lasting_overlap_the_handoff_stays_in_the_middle() -> None:
    # In a Europe/London schedule New York and Singapore touch at different times across the
    # year (00:00 in March, 01:00 in summer), so no single handoff keeps both in their hours.
    regions = [
        Region("EU", people("Eu"), "Europe/London", "08:00", "20:00"),
        Region("US", people("Us"), "America/New_York", "08:00", "20:00"),
        Region("SG", people("Sg"), "Asia/Singapore", "08:00", "20:00"),
    ]
    plan = follow_the_sun(regions, START, time_zone="Europe/London")
    windows = {layer.name: str(layer.restrictions[0]) for layer in plan.schedule.layers}
    assert windows["SG"] == "daily from 00:30 for 9 hours 30 minutes"
    assert plan.outside_hours["SG"] > dt.timedelta()


@pytest.mark.parametrize(
    "horizon", [dt.timedelta(0), dt.timedelta(days=-3), dt.timedelta(hours=5), 7]
)
def test_horizon_must_be_at_least_a_day(horizon: object) -> None:
    with pytest.raises(ValidationError, match="horizon must be a timedelta of at least 1 day"):
        follow_the_sun([AMERICAS, EMEA, APAC], START, horizon=horizon)  # type: ignore[arg-type]


DST_ZONES = ["Europe/London", "America/New_York", "America/Los_Angeles", "Australia/Sydney"]


@st.composite
def drifting_regions(draw: st.DrawFn) -> list[Region]:
    """Three regions, about 8 hours apart in UTC in January, in zones that change their clocks."""
    regions = []
    for i, base in enumerate((0, 8, 16)):
        zone = draw(st.sampled_from([*DST_ZONES, "Asia/Singapore"]))
        begin = dt.datetime(2025, 1, 6, base, tzinfo=UTC) + dt.timedelta(
            minutes=30 * draw(st.integers(-2, 2))
        )
        length = dt.timedelta(hours=8, minutes=30 * draw(st.integers(2, 8)))
        local = begin.astimezone(ZoneInfo(zone))
        regions.append(
            Region(f"R{i}", people(f"D{i}x"), zone, local.time(), (local + length).time())
        )
    return regions


def lasting_handoffs_exist(regions: list[Region], since: dt.datetime, days: int) -> bool:
    """Brute force: for each pair of neighbours (by their start in UTC on the first day), is
    there a quarter hour of the UTC day at which both are at work (ends included) every day?"""

    def at_work(region: Region, t: dt.datetime) -> bool:
        tz = ZoneInfo(region.time_zone)
        for back in (0, 1):
            day = t.astimezone(tz).date() - dt.timedelta(days=back)
            a = dt.datetime.combine(day, region.start_time, tzinfo=tz).astimezone(UTC)
            if a <= t <= a + region.hours:
                return True
        return False

    first = dt.datetime.combine(since.date(), dt.time(), tzinfo=UTC)

    def start_minute(region: Region) -> int:
        local = dt.datetime.combine(
            since.date(), region.start_time, tzinfo=ZoneInfo(region.time_zone)
        )
        return int((local.astimezone(UTC) - first).total_seconds() // 60) % 1440

    order = sorted(regions, key=start_minute)
    for i, region in enumerate(order):
        after = order[(i + 1) % len(order)]
        good = set(range(0, 1440, 15))
        for k in range(days):
            midnight = first + dt.timedelta(days=k)
            good = {
                m
                for m in good
                if at_work(region, midnight + dt.timedelta(minutes=m))
                and at_work(after, midnight + dt.timedelta(minutes=m))
            }
            if not good:
                return False
    return True


@functools.cache
def _change_days_of(zone: str) -> tuple[dt.date, ...]:
    return tuple(_change_days([zone]))


def _change_days(zones: list[str]) -> list[dt.date]:
    """The days of 2025 on which one of ``zones`` changes its UTC offset."""
    days = set()
    for zone in zones:
        tz = ZoneInfo(zone)
        day = dt.date(2025, 1, 1)
        while day.year == 2025:
            a = dt.datetime.combine(day, dt.time(), tzinfo=tz).utcoffset()
            b = dt.datetime.combine(day + dt.timedelta(days=1), dt.time(), tzinfo=tz).utcoffset()
            if a != b:
                days.add(day)
            day += dt.timedelta(days=1)
    return sorted(days)


#: Start days: 6 January (the other tests' start), every daylight-saving change of the zones the
#: regions are drawn from, and the day after each.
START_DAYS = sorted(
    {START.date()} | {d + dt.timedelta(days=k) for d in _change_days(DST_ZONES) for k in (0, 1)}
)


@settings(max_examples=15)
@given(drifting_regions(), st.sampled_from(START_DAYS))
def test_no_one_is_on_call_outside_their_hours_when_lasting_handoffs_exist(
    regions: list[Region], day: dt.date
) -> None:
    start = dt.datetime.combine(day, dt.time(), tzinfo=UTC)
    horizon = dt.timedelta(days=365)
    try:
        plan = follow_the_sun(regions, start, horizon=horizon)
    except ValidationError:
        return  # the hours leave a gap somewhere in the year, or a region is inside another
    if lasting_handoffs_exist(regions, start, 365):
        assert all(v == dt.timedelta() for v in plan.outside_hours.values()), plan.to_text()


def test_a_boundary_the_clocks_skip_on_the_start_day_costs_no_outside_hours() -> None:
    # 02:00 does not exist in New York on 2025-03-09. Started that day, the plan used the day's
    # 03:00 jump as region A's start for the whole year: B was on call an hour outside its hours
    # every day (363 h); started a day later it was 0.
    regions = [
        Region("A", people("A"), "America/New_York", "02:00", "14:00"),
        Region("B", people("B"), "America/New_York", "14:00", "02:00"),
    ]
    start = dt.datetime(2025, 3, 9, tzinfo=ZoneInfo("America/New_York"))
    plan = follow_the_sun(regions, start, time_zone="America/New_York")
    windows = [str(layer.restrictions[0]) for layer in plan.schedule.layers]
    assert windows == ["daily from 02:00 for 12 hours", "daily from 14:00 for 12 hours"]
    assert all(v == dt.timedelta() for v in plan.outside_hours.values()), plan.to_text()


#: Zones whose clocks change at midnight (Santiago, Cairo), at 01:00 (London, GMT), 02:00 (New
#: York, Sydney) or 02:45 (Chatham), in both hemispheres.
SAME_ZONES = [
    "America/Santiago",
    "Africa/Cairo",
    "Europe/London",
    "America/New_York",
    "Australia/Sydney",
    "Pacific/Chatham",
]


@functools.cache
def _skipped_times(zone: str) -> list[int]:
    """The quarter hours of the day (0-95) that the zone's clocks skip on some day of 2025."""
    tz = ZoneInfo(zone)
    skipped = set()
    for day in _change_days([zone]):
        for quarter in range(96):
            local = dt.datetime.combine(day, dt.time(quarter // 4, quarter % 4 * 15), tzinfo=tz)
            if local.astimezone(UTC).astimezone(tz).replace(tzinfo=None) != local.replace(
                tzinfo=None
            ):
                skipped.add(quarter)
    return sorted(skipped)


@st.composite
def one_zone_regions(draw: st.DrawFn) -> tuple[list[Region], str]:
    """Two to four regions in one zone that changes its clocks, each a few hours long and
    overlapping the next by up to an hour, one of them starting at a local time that the clocks
    skip once a year (or at any quarter hour)."""
    zone = draw(st.sampled_from(SAME_ZONES))
    n = draw(st.integers(2, 4))
    skipped = _skipped_times(zone)
    first = draw(st.sampled_from(skipped)) if draw(st.booleans()) else draw(st.integers(0, 95))
    lengths = [8 + draw(st.integers(0, 8)) for _ in range(n - 1)]  # quarter hours, 2-4 h
    lengths.append(96 - sum(lengths))
    regions = []
    cut = first
    for i, length in enumerate(lengths):
        overlap = draw(st.sampled_from([0, 1, 2, 4]))  # quarter hours
        begin, end = cut % 96, (cut + length + overlap) % 96
        regions.append(
            Region(
                f"R{i}",
                people(f"S{i}x"),
                zone,
                dt.time(begin // 4, begin % 4 * 15),
                dt.time(end // 4, end % 4 * 15),
            )
        )
        cut += length
    return regions, zone


@given(one_zone_regions(), st.integers(-1, 1), st.integers(0, 5), st.integers(0, 23))
def test_regions_of_the_schedules_own_zone_are_never_on_call_outside_their_hours(
    drawn: tuple[list[Region], str], shift: int, which: int, hour: int
) -> None:
    regions, zone = drawn
    days = _change_days_of(zone)
    day = days[which % len(days)] + dt.timedelta(days=shift)
    start = dt.datetime.combine(day, dt.time(hour), tzinfo=ZoneInfo(zone)).astimezone(UTC)
    plan = follow_the_sun(regions, start, time_zone=zone, horizon=dt.timedelta(days=60))
    assert all(v == dt.timedelta() for v in plan.outside_hours.values()), plan.to_text()
