"""iCalendar output: RFC 5545 folding and escaping, deterministic UIDs and DTSTAMP."""

from __future__ import annotations

import datetime as dt

import icalendar
import recurring_ical_events
from hypothesis import given
from hypothesis import strategies as st

from oncall_planner import Layer, OnCallPlan, Schedule, User
from oncall_planner.report.ics import Event, escape_text, fold, person_ics, schedule_ics, to_ics

UTC = dt.timezone.utc
T0 = dt.datetime(2025, 1, 6, 9, tzinfo=UTC)
ANNA = User("Anna Müller-Lüdenscheidt; Zweite Bereitschaft, Nachtschicht", "anna@example.com")
BEN = User("Ben", "ben@example.com")
SCHEDULE = Schedule("Ops", "Europe/Berlin", [Layer("L", [ANNA, BEN], T0, dt.timedelta(days=1))])


@given(st.text(min_size=0, max_size=300))
def test_folded_lines_are_at_most_75_octets_and_unfold_to_the_original(line: str) -> None:
    line = line.replace("\r", "").replace("\n", "")
    folded = fold(line)
    pieces = folded.split("\r\n")
    assert pieces[-1] == ""
    assert all(len(p.encode("utf-8")) <= 75 for p in pieces)
    assert folded[:-2].replace("\r\n ", "") == line


def test_text_values_are_escaped() -> None:
    assert escape_text("a,b;c\\d\ne") == "a\\,b\\;c\\\\d\\ne"


def test_schedule_calendar_lists_each_shift_once() -> None:
    text = schedule_ics(SCHEDULE, T0, T0 + dt.timedelta(days=3))
    calendar = icalendar.Calendar.from_ical(text)
    events = recurring_ical_events.of(calendar).between(T0, T0 + dt.timedelta(days=3))
    assert [(e["DTSTART"].dt, str(e["SUMMARY"])) for e in events] == [
        (T0, f"{ANNA.name} on call (Ops)"),
        (T0 + dt.timedelta(days=1), "Ben on call (Ops)"),
        (T0 + dt.timedelta(days=2), f"{ANNA.name} on call (Ops)"),
    ]


def test_lines_end_in_crlf_and_long_summaries_are_folded() -> None:
    text = schedule_ics(SCHEDULE, T0, T0 + dt.timedelta(days=1))
    assert "\n" not in text.replace("\r\n", "")
    assert "\r\n " in text  # the long summary is folded


def test_same_input_gives_the_same_bytes_and_no_clock() -> None:
    first = schedule_ics(SCHEDULE, T0, T0 + dt.timedelta(days=2))
    assert schedule_ics(SCHEDULE, T0, T0 + dt.timedelta(days=2)) == first
    assert "DTSTAMP:20250106T090000Z" in first


def test_uids_are_unique_per_shift() -> None:
    text = schedule_ics(SCHEDULE, T0, T0 + dt.timedelta(days=6))
    uids = [line for line in text.split("\r\n") if line.startswith("UID:")]
    assert len(uids) == 6 and len(set(uids)) == 6


def test_person_calendar_holds_only_that_person() -> None:
    text = person_ics(OnCallPlan([SCHEDULE]), BEN, T0, T0 + dt.timedelta(days=4))
    events = icalendar.Calendar.from_ical(text).walk("VEVENT")
    assert [e["DTSTART"].dt for e in events] == [
        T0 + dt.timedelta(days=1),
        T0 + dt.timedelta(days=3),
    ]
    assert {str(e["SUMMARY"]) for e in events} == {"On call: Ops"}


def test_events_are_sorted_by_start() -> None:
    late = Event("b@x", T0 + dt.timedelta(hours=2), T0 + dt.timedelta(hours=3), "late")
    early = Event("a@x", T0, T0 + dt.timedelta(hours=1), "early")
    text = to_ics("c", [late, early], T0)
    assert text.index("SUMMARY:early") < text.index("SUMMARY:late")


def test_shifts_are_whole_so_a_subscription_keeps_its_events_between_fetches() -> None:
    # Fetched at 15:30 and again at 21:00 on the same day: the shift in progress is the same
    # event, from its real handoff at 09:00 to the next one, with the same UID.
    def first_event(since: dt.datetime) -> icalendar.Event:
        text = schedule_ics(SCHEDULE, since, since + dt.timedelta(days=2))
        return next(c for c in icalendar.Calendar.from_ical(text).walk() if c.name == "VEVENT")

    a = first_event(T0 + dt.timedelta(days=2, hours=6, minutes=30))
    b = first_event(T0 + dt.timedelta(days=2, hours=12))
    assert a["DTSTART"].dt == T0 + dt.timedelta(days=2)
    assert a["DTEND"].dt == T0 + dt.timedelta(days=3)
    assert (a["UID"], a["DTSTART"].dt) == (b["UID"], b["DTSTART"].dt)


def test_a_long_stretch_is_followed_past_the_first_margin() -> None:
    solo = Schedule("Solo", "Etc/UTC", [Layer("L", [BEN], T0, dt.timedelta(weeks=1))])
    text = schedule_ics(solo, T0 + dt.timedelta(days=100), T0 + dt.timedelta(days=101))
    event = next(c for c in icalendar.Calendar.from_ical(text).walk() if c.name == "VEVENT")
    assert event["DTSTART"].dt == T0  # the layer's start, 100 days before the window
