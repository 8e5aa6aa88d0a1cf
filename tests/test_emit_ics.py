"""The iCalendar feed: parsed back with icalendar, one event per workout, stable and exact."""

from __future__ import annotations

import datetime as dt
from typing import Any

import icalendar
import pytest
from plan_factory import make_plan

from compiler.emit import emit_ics
from compiler.model import Plan

STAMP = dt.datetime(2026, 1, 2, 3, 4, 5, tzinfo=dt.UTC)


def parse(plan: Plan, **kwargs: Any) -> icalendar.Calendar:
    kwargs.setdefault("stamp", STAMP)
    return icalendar.Calendar.from_ical(emit_ics(plan, **kwargs))


def events(cal: icalendar.Calendar) -> list[dict[str, Any]]:
    """The VEVENTs as plain mappings of property name to (untyped) icalendar value."""
    return [dict(e) for e in cal.walk("VEVENT")]


def by_uid(cal: icalendar.Calendar) -> dict[str, dict[str, Any]]:
    return {str(e["UID"]): e for e in events(cal)}


@pytest.mark.parametrize("units", ["km", "mi"])
def test_one_event_per_workout_with_stable_unique_uids(units: str) -> None:
    plan = make_plan(units=units)
    first = [str(e["UID"]) for e in events(parse(plan))]
    later = [str(e["UID"]) for e in events(parse(plan, stamp=STAMP + dt.timedelta(days=30)))]
    assert len(first) == len(plan.workouts) == 10
    assert len(set(first)) == len(first)
    assert first == later
    assert set(first) == {f"{w.uid}@planc.invalid" for w in plan.workouts}


def test_domain_goes_into_the_uid() -> None:
    uids = by_uid(parse(make_plan(), domain="plans.example.org"))
    assert all(uid.endswith("@plans.example.org") for uid in uids)


def test_calendar_properties() -> None:
    cal: dict[str, Any] = dict(parse(make_plan(units="mi")))
    assert str(cal["PRODID"]) == "-//planc//planc 0.1//EN"
    assert str(cal["VERSION"]) == "2.0"
    assert str(cal["CALSCALE"]) == "GREGORIAN"
    assert str(cal["NAME"]) == "Bob Smith: Riverside Half"
    assert str(cal["X-WR-CALNAME"]) == "Bob Smith: Riverside Half"
    assert str(cal["X-WR-TIMEZONE"]) == "America/New_York"
    assert cal["REFRESH-INTERVAL"].dt == dt.timedelta(hours=12)
    assert cal["REFRESH-INTERVAL"].params["VALUE"] == "DURATION"
    assert str(cal["X-PUBLISHED-TTL"]) == "PT12H"


def test_all_day_events_without_start_times() -> None:
    plan = make_plan(units="km")
    cal = parse(plan)
    assert not cal.walk("VTIMEZONE")
    for workout in plan.workouts:
        event = by_uid(cal)[f"{workout.uid}@planc.invalid"]
        start, end = event["DTSTART"].dt, event["DTEND"].dt
        assert type(start) is dt.date and start == workout.date
        assert type(end) is dt.date and end == workout.date + dt.timedelta(days=1)
    assert b"DTSTART;VALUE=DATE:20261201" in emit_ics(plan, stamp=STAMP)


def test_timed_events_carry_tzid_and_vtimezone_across_dst() -> None:
    plan = make_plan(units="mi")
    cal = parse(plan)
    zones = cal.walk("VTIMEZONE")
    assert [str(z["TZID"]) for z in zones] == ["America/New_York"]
    uids = by_uid(cal)
    offsets = {}
    for workout in plan.workouts:
        event = uids[f"{workout.uid}@planc.invalid"]
        assert event["DTSTART"].params["TZID"] == "America/New_York"
        start, end = event["DTSTART"].dt, event["DTEND"].dt
        assert isinstance(start, dt.datetime)
        assert (start.date(), start.time()) == (workout.date, workout.start_time)
        assert end - start == dt.timedelta(minutes=round(workout.duration_s / 60))
        offsets[workout.date] = start.utcoffset()
    # The long runs either side of the change on 2027-03-14: 07:00 EST, then 07:00 EDT.
    assert offsets[dt.date(2027, 3, 7)] == dt.timedelta(hours=-5)
    assert offsets[dt.date(2027, 3, 14)] == dt.timedelta(hours=-4)


def test_dtstamp_is_the_given_stamp_in_utc() -> None:
    local = dt.datetime(2026, 1, 2, 4, 4, 5, tzinfo=dt.timezone(dt.timedelta(hours=1)))
    plan = make_plan()
    data = emit_ics(plan, stamp=local)
    assert data.count(b"\r\nDTSTAMP:20260102T030405Z\r\n") == len(plan.workouts)
    naive = emit_ics(plan, stamp=STAMP.replace(tzinfo=None))
    assert naive == data


def test_summary_and_description_in_the_athletes_units() -> None:
    km = by_uid(parse(make_plan(units="km")))
    long_run = km["ana-km-2026-12-06-run@planc.invalid"]
    assert str(long_run["SUMMARY"]) == "Long run 18 km"
    intervals = km["ana-km-2026-12-01-run@planc.invalid"]
    assert str(intervals["SUMMARY"]) == "Intervals 6x400 m @ 3:55/km"
    assert "6 x (400 m @ 3:55/km, walk 90 s)" in str(intervals["DESCRIPTION"])
    assert "Quick but relaxed; walk the recoveries." in str(intervals["DESCRIPTION"])

    mi = by_uid(parse(make_plan(units="mi")))
    long_run = mi["bob-mi-2027-03-07-run@planc.invalid"]
    assert str(long_run["SUMMARY"]) == "Long run 11.2 mi"
    assert "11.2 mi @ 8:20-9:05/mi" in str(long_run["DESCRIPTION"])
    assert "km" not in str(long_run["SUMMARY"]) + str(long_run["DESCRIPTION"])
    race = mi["bob-mi-2027-03-21-race@planc.invalid"]
    assert str(race["SUMMARY"]) == "Race day: Riverside Half · 13.1 mi"
    strength = mi["bob-mi-2027-03-03-strength@planc.invalid"]
    assert "Squats: 3 x 12" in str(strength["DESCRIPTION"])


def test_categories() -> None:
    plan = make_plan()
    uids = by_uid(parse(plan))
    for workout in plan.workouts:
        event = uids[f"{workout.uid}@planc.invalid"]
        assert event["CATEGORIES"].cats == [workout.category]


def test_events_sorted_by_date_then_slot() -> None:
    plan = make_plan()
    reversed_weeks = tuple(
        type(week)(**{**week.__dict__, "workouts": tuple(reversed(week.workouts))})
        for week in reversed(plan.weeks)
    )
    shuffled = make_plan(weeks=reversed_weeks)
    keys = [(e["DTSTART"].dt, str(e["UID"]).split("-")[-1]) for e in events(parse(shuffled))]
    assert keys == sorted(keys)
    assert emit_ics(shuffled, stamp=STAMP) == emit_ics(plan, stamp=STAMP)


@pytest.mark.parametrize("units", ["km", "mi"])
def test_deterministic_bytes_and_valid_lines(units: str) -> None:
    first = emit_ics(make_plan(units=units), stamp=STAMP)
    assert first == emit_ics(make_plan(units=units), stamp=STAMP)
    lines = first.split(b"\r\n")
    assert lines[-1] == b""
    assert all(len(line) <= 75 for line in lines)
    other = emit_ics(make_plan(units=units), stamp=STAMP + dt.timedelta(seconds=1))
    differing = [
        a for a, b in zip(first.split(b"\r\n"), other.split(b"\r\n"), strict=True) if a != b
    ]
    assert differing and all(line.startswith(b"DTSTAMP:") for line in differing)
