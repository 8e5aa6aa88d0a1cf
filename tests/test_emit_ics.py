"""The iCalendar feeds: parsed back with icalendar and with ical (a second, strict RFC 5545 parser),
one event per workout, stable and exact; time zones, alarms, colour and the busy feed."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from typing import Any

import icalendar
import pytest
from ical.calendar import Calendar as IcalCalendar
from ical.calendar_stream import IcsCalendarStream
from ical.timezone import IcsTimezoneInfo
from jsonschema import Draft202012Validator
from plan_factory import make_plan

from compiler.emit import emit_busy_ics, emit_ics
from compiler.emit.ical import CSS_COLORS, css_color_name
from compiler.model import Plan, Workout
from compiler.sources.validate import schema_for
from compiler.units import parse_duration
from compiler.vocabulary import Category

STAMP = dt.datetime(2026, 1, 2, 3, 4, 5, tzinfo=dt.UTC)


def parse(plan: Plan, **kwargs: Any) -> icalendar.Calendar:
    kwargs.setdefault("stamp", STAMP)
    return icalendar.Calendar.from_ical(emit_ics(plan, **kwargs))


def strict(data: bytes) -> IcalCalendar:
    """The feed read by ical, which rejects what RFC 5545 does not allow."""
    return IcsCalendarStream.calendar_from_ics(data.decode("utf-8"))


def events(cal: icalendar.Calendar) -> list[dict[str, Any]]:
    """The VEVENTs as plain mappings of property name to (untyped) icalendar value."""
    return [dict(e) for e in cal.walk("VEVENT")]


def by_uid(cal: icalendar.Calendar) -> dict[str, dict[str, Any]]:
    return {str(e["UID"]): e for e in events(cal)}


def with_athlete(plan: Plan, **changes: Any) -> Plan:
    return dataclasses.replace(plan, athlete=dataclasses.replace(plan.athlete, **changes))


def moved(plan: Plan, days: int, timezone: str) -> Plan:
    """The plan ``days`` later (or earlier), in another time zone: same weekdays, same clocks."""
    delta = dt.timedelta(days=days)

    def move(w: Workout) -> Workout:
        day = w.date + delta
        return dataclasses.replace(w, date=day, uid=f"{plan.athlete.id}-{day.isoformat()}-{w.slot}")

    weeks = tuple(
        dataclasses.replace(
            week, start=week.start + delta, workouts=tuple(map(move, week.workouts))
        )
        for week in plan.weeks
    )
    assert plan.athlete.race is not None
    race = dataclasses.replace(plan.athlete.race, date=plan.athlete.race.date + delta)
    return dataclasses.replace(with_athlete(plan, timezone=timezone, race=race), weeks=weeks)


# --------------------------------------------------------------------------- events and UIDs


@pytest.mark.parametrize("units", ["km", "mi"])
def test_one_event_per_workout_with_stable_unique_uids(units: str) -> None:
    plan = make_plan(units=units)
    first = [str(e["UID"]) for e in events(parse(plan))]
    later = [str(e["UID"]) for e in events(parse(plan, stamp=STAMP + dt.timedelta(days=30)))]
    assert len(first) == len(plan.workouts) == 10
    assert len(set(first)) == len(first)
    assert first == later
    assert set(first) == {f"{w.uid}@planc.invalid" for w in plan.workouts}
    assert [e.uid for e in strict(emit_ics(plan, stamp=STAMP)).events] == first


def test_domain_goes_into_the_uid() -> None:
    uids = by_uid(parse(make_plan(), domain="plans.example.org"))
    assert uids and all(uid.endswith("@plans.example.org") for uid in uids)


@pytest.mark.parametrize("units", ["km", "mi"])
def test_both_parsers_read_the_same_events(units: str) -> None:
    plan = make_plan(units=units)
    data = emit_ics(plan, stamp=STAMP)
    loose = by_uid(icalendar.Calendar.from_ical(data))
    tight = strict(data)
    assert len(tight.events) == len(loose) == len(plan.workouts)
    for event in tight.events:
        other = loose[event.uid]
        assert event.summary == str(other["SUMMARY"])
        assert event.description == str(other["DESCRIPTION"])
        assert event.dtstart == other["DTSTART"].dt
        assert event.dtend == other["DTEND"].dt
        assert event.categories == [str(c) for c in other["CATEGORIES"].cats]
        assert event.sequence == 0
        assert event.dtstamp == event.last_modified == STAMP
        assert event.status is not None and event.status.value == "CONFIRMED"


def test_calendar_properties() -> None:
    plan = make_plan(units="mi")
    data = emit_ics(plan, stamp=STAMP)
    cal: dict[str, Any] = dict(icalendar.Calendar.from_ical(data))
    assert str(cal["PRODID"]) == "-//planc//planc 0.1//EN"
    assert str(cal["VERSION"]) == "2.0"
    assert str(cal["CALSCALE"]) == "GREGORIAN"
    assert str(cal["METHOD"]) == "PUBLISH"
    assert str(cal["NAME"]) == "Bob Smith: Riverside Half"
    assert str(cal["X-WR-CALNAME"]) == "Bob Smith: Riverside Half"
    description = str(cal["DESCRIPTION"])
    # an X- property's value is TEXT (RFC 5545 3.8.8.2): escaped, but icalendar does not know
    assert str(cal["X-WR-CALDESC"]).replace("\\,", ",") == description
    assert "Riverside Half, 13.1 mi, on Sun 2027-03-21" in description
    assert "3 weeks from Mon 2027-03-01" in description
    assert str(cal["X-WR-TIMEZONE"]) == "America/New_York"
    assert cal["REFRESH-INTERVAL"].dt == dt.timedelta(hours=12)
    assert cal["REFRESH-INTERVAL"].params["VALUE"] == "DURATION"
    assert str(cal["X-PUBLISHED-TTL"]) == "PT12H"
    assert str(cal["COLOR"]) == "dodgerblue"
    assert str(cal["X-APPLE-CALENDAR-COLOR"]) == "#1E90FF"
    assert b"\r\nREFRESH-INTERVAL;VALUE=DURATION:PT12H\r\n" in data
    tight = strict(data)
    assert tight.name == ["Bob Smith: Riverside Half"]
    assert tight.description == [description]
    assert tight.refresh_interval == dt.timedelta(hours=12)
    assert tight.color == "dodgerblue"
    assert tight.method == "PUBLISH"


def test_colour_from_the_profile() -> None:
    cal = dict(parse(with_athlete(make_plan(), calendar_color="#e4572e")))
    assert str(cal["X-APPLE-CALENDAR-COLOR"]) == "#E4572E"
    assert str(cal["COLOR"]) == css_color_name("#E4572E") == "chocolate"  # the nearest name


def test_css_colour_names() -> None:
    assert all(css_color_name(f"#{value}") == name for name, value in CSS_COLORS.items())
    assert css_color_name("#010203") == "black"
    assert css_color_name("#FE0101") == "red"
    assert css_color_name("#1D8FFE") == "dodgerblue"


# --------------------------------------------------------------------------- times


def test_all_day_events_without_start_times() -> None:
    plan = make_plan(units="km")
    data = emit_ics(plan, stamp=STAMP)
    cal = icalendar.Calendar.from_ical(data)
    assert not cal.walk("VTIMEZONE")
    uids = by_uid(cal)
    for workout in plan.workouts:
        event = uids[f"{workout.uid}@planc.invalid"]
        start, end = event["DTSTART"].dt, event["DTEND"].dt
        assert type(start) is dt.date and start == workout.date
        assert type(end) is dt.date and end == workout.date + dt.timedelta(days=1)
        assert str(event["TRANSP"]) == "TRANSPARENT"
    assert b"DTSTART;VALUE=DATE:20261201" in data
    assert b"DTEND;VALUE=DATE:20261202" in data
    for read in strict(data).events:
        assert type(read.dtstart) is dt.date
        assert read.dtend == read.dtstart + dt.timedelta(days=1)
        assert read.transparency == "TRANSPARENT"


DST_CHANGES = [
    # zone, the Sunday of the change, UTC offset (hours) at 07:00 the Sunday before, and on it
    ("America/New_York", dt.date(2027, 3, 14), -5, -4),
    ("America/New_York", dt.date(2026, 11, 1), -4, -5),
    ("Europe/Berlin", dt.date(2027, 3, 28), 1, 2),
    ("Europe/Berlin", dt.date(2026, 10, 25), 2, 1),
]


@pytest.mark.parametrize(("zone", "change", "before", "after"), DST_CHANGES)
def test_timed_events_keep_their_local_time_across_dst(
    zone: str, change: dt.date, before: int, after: int
) -> None:
    # Bob's plan has its long run at 07:00 on 2027-03-14: moved so it falls on ``change``
    plan = moved(make_plan(units="mi"), (change - dt.date(2027, 3, 14)).days, zone)
    data = emit_ics(plan, stamp=STAMP)
    cal = icalendar.Calendar.from_ical(data)
    assert [str(z["TZID"]) for z in cal.walk("VTIMEZONE")] == [zone]
    uids = by_uid(cal)
    offsets = {}
    for workout in plan.workouts:
        event = uids[f"{workout.uid}@planc.invalid"]
        assert event["DTSTART"].params["TZID"] == zone
        assert event["DTEND"].params["TZID"] == zone
        assert str(event["TRANSP"]) == "OPAQUE"
        start, end = event["DTSTART"].dt, event["DTEND"].dt
        assert isinstance(start, dt.datetime)
        assert (start.date(), start.time()) == (workout.date, workout.start_time)
        elapsed = end.astimezone(dt.UTC) - start.astimezone(dt.UTC)
        assert elapsed == dt.timedelta(minutes=round(workout.duration_s / 60))
        offsets[workout.date] = start.utcoffset()
    week_before = change - dt.timedelta(days=7)
    assert offsets[week_before] == dt.timedelta(hours=before)
    assert offsets[change] == dt.timedelta(hours=after)

    # ical reads the same times, and the VTIMEZONE alone (not the zone's name) gives the offsets
    tight = strict(data)
    (vtimezone,) = tight.timezones
    rules = IcsTimezoneInfo.from_timezone(vtimezone)
    starts = [e.dtstart for e in tight.events if isinstance(e.dtstart, dt.datetime)]
    assert len(starts) == len(tight.events), "every event has a time"
    for when in starts:
        assert rules.utcoffset(when.replace(tzinfo=None)) == when.utcoffset()
    sundays = {when.date(): when for when in starts if when.weekday() == 6}
    assert rules.utcoffset(sundays[week_before].replace(tzinfo=None)) == dt.timedelta(hours=before)
    assert rules.utcoffset(sundays[change].replace(tzinfo=None)) == dt.timedelta(hours=after)


def test_a_session_across_the_change_lasts_its_time() -> None:
    # 01:30 on the night clocks go forward in New York: 60 minutes later it is 03:30 EDT
    plan = make_plan(units="mi")
    weeks = list(plan.weeks)
    long_run = next(w for w in weeks[1].workouts if w.date == dt.date(2027, 3, 14))
    early = dataclasses.replace(long_run, start_time=dt.time(1, 30), duration_s=3600.0)
    weeks[1] = dataclasses.replace(
        weeks[1], workouts=tuple(early if w is long_run else w for w in weeks[1].workouts)
    )
    event = by_uid(parse(dataclasses.replace(plan, weeks=tuple(weeks))))[
        f"{long_run.uid}@planc.invalid"
    ]
    assert event["DTEND"].dt.time() == dt.time(3, 30)
    assert event["DTEND"].dt.utcoffset() == dt.timedelta(hours=-4)


def test_dtstamp_is_the_given_stamp_in_utc() -> None:
    local = dt.datetime(2026, 1, 2, 4, 4, 5, tzinfo=dt.timezone(dt.timedelta(hours=1)))
    plan = make_plan()
    data = emit_ics(plan, stamp=local)
    assert data.count(b"\r\nDTSTAMP:20260102T030405Z\r\n") == len(plan.workouts)
    assert data.count(b"\r\nLAST-MODIFIED:20260102T030405Z\r\n") == len(plan.workouts)
    assert data.count(b"\r\nSEQUENCE:0\r\n") == len(plan.workouts)
    naive = emit_ics(plan, stamp=STAMP.replace(tzinfo=None))
    assert naive == data


# --------------------------------------------------------------------------- words


def test_summary_and_description_in_the_athletes_units() -> None:
    km = by_uid(parse(make_plan(units="km")))
    long_run = km["ana-km-2026-12-06-run@planc.invalid"]
    assert str(long_run["SUMMARY"]) == "Long run 18 km"
    intervals = km["ana-km-2026-12-01-run@planc.invalid"]
    assert str(intervals["SUMMARY"]) == "Intervals 6x400 m @ 3:55/km"
    assert "6 x (400 m @ 3:55/km, walk 90 s)" in str(intervals["DESCRIPTION"])
    assert "Quick but relaxed; walk the recoveries." in str(intervals["DESCRIPTION"])
    assert "Week 1 of 3 · Build" in str(intervals["DESCRIPTION"])

    mi = by_uid(parse(make_plan(units="mi")))
    long_run = mi["bob-mi-2027-03-07-run@planc.invalid"]
    assert str(long_run["SUMMARY"]) == "Long run 11.2 mi"
    assert "11.2 mi @ 8:20-9:05/mi" in str(long_run["DESCRIPTION"])
    assert "km" not in str(long_run["SUMMARY"]) + str(long_run["DESCRIPTION"])
    race = mi["bob-mi-2027-03-21-race@planc.invalid"]
    assert str(race["SUMMARY"]) == "Race day: Riverside Half · 13.1 mi"
    strength = mi["bob-mi-2027-03-03-strength@planc.invalid"]
    assert "Squats: 3 x 12" in str(strength["DESCRIPTION"])


def test_race_day_summary() -> None:
    plan = make_plan(units="km")
    weeks = list(plan.weeks)
    race = weeks[2].workouts[-1]
    assert race.category == "race"
    renamed = dataclasses.replace(race, title="Race day")
    weeks[2] = dataclasses.replace(weeks[2], workouts=(*weeks[2].workouts[:-1], renamed))
    uids = by_uid(parse(dataclasses.replace(plan, weeks=tuple(weeks))))
    assert str(uids[f"{race.uid}@planc.invalid"]["SUMMARY"]) == "Race day · 21.1 km"
    assert uids[f"{race.uid}@planc.invalid"]["CATEGORIES"].cats == ["race"]


def test_categories() -> None:
    plan = make_plan()
    uids = by_uid(parse(plan))
    for workout in plan.workouts:
        event = uids[f"{workout.uid}@planc.invalid"]
        assert event["CATEGORIES"].cats == [workout.category]


# --------------------------------------------------------------------------- alarms


def test_no_alarm_unless_the_profile_asks() -> None:
    for units in ("km", "mi"):
        data = emit_ics(make_plan(units=units), stamp=STAMP)
        assert b"VALARM" not in data
        assert all(not e.alarm for e in strict(data).events)


def test_alarms_before_timed_workouts_and_the_evening_before_all_day_ones() -> None:
    timed = with_athlete(make_plan(units="mi"), calendar_alarm_s=1800.0)
    all_day = with_athlete(make_plan(units="km"), calendar_alarm_s=1800.0)
    for plan, trigger in (
        (timed, dt.timedelta(minutes=-30)),
        (all_day, dt.timedelta(hours=-4)),
    ):
        data = emit_ics(plan, stamp=STAMP)
        cal = icalendar.Calendar.from_ical(data)
        for event in cal.walk("VEVENT"):
            (alarm,) = event.walk("VALARM")
            assert str(alarm["ACTION"]) == "DISPLAY"
            assert alarm.decoded("TRIGGER") == trigger
            assert str(alarm["DESCRIPTION"]) == str(event["SUMMARY"])
        tight = strict(data)
        assert len(tight.events) == len(plan.workouts)
        assert all([a.trigger for a in e.alarm] == [trigger] for e in tight.events)
    assert b"TRIGGER:-PT30M" in emit_ics(timed, stamp=STAMP)


# --------------------------------------------------------------------------- determinism


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
    assert b"\n" not in first.replace(b"\r\n", b"")
    other = emit_ics(make_plan(units=units), stamp=STAMP + dt.timedelta(seconds=1))
    differing = [
        a for a, b in zip(first.split(b"\r\n"), other.split(b"\r\n"), strict=True) if a != b
    ]
    assert differing
    assert all(line.startswith((b"DTSTAMP:", b"LAST-MODIFIED:")) for line in differing)


# --------------------------------------------------------------------------- busy.ics

DETAILS = re.compile(rb"\d+(\.\d+)? ?(km|mi|m|min|s)\b|\d+:\d\d/|@ ")


@pytest.mark.parametrize("units", ["km", "mi"])
def test_busy_feed_has_the_same_times_and_no_details(units: str) -> None:
    plan = with_athlete(make_plan(units=units), calendar_alarm_s=600.0)
    main = by_uid(parse(plan))
    data = emit_busy_ics(plan, stamp=STAMP)
    busy = by_uid(icalendar.Calendar.from_ical(data))
    assert len(busy) == len(main) == len(plan.workouts)
    for workout in plan.workouts:
        event = busy[f"busy-{workout.uid}@planc.invalid"]
        twin = main[f"{workout.uid}@planc.invalid"]
        assert event["DTSTART"].dt == twin["DTSTART"].dt
        assert event["DTEND"].dt == twin["DTEND"].dt
        assert event["DTSTART"].params == twin["DTSTART"].params
        assert str(event["SUMMARY"]) == "Training"
        assert str(event["CLASS"]) == "PRIVATE"
        timed = workout.start_time is not None
        assert str(event["TRANSP"]) == ("OPAQUE" if timed else "TRANSPARENT")
        assert {"DESCRIPTION", "CATEGORIES", "LOCATION"}.isdisjoint(event)
        assert not icalendar.Event.from_ical(event_bytes(data, event["UID"])).walk("VALARM")
    # nothing of the workouts: no titles, race name, distances, durations or paces
    events_part = data[data.index(b"BEGIN:VEVENT") :]
    assert not DETAILS.search(data), DETAILS.search(data)
    for workout in plan.workouts:
        assert workout.title.encode() not in data
    assert plan.athlete.race is not None
    assert plan.athlete.race.name.encode() not in data
    assert b"VALARM" not in data and b"DESCRIPTION" not in events_part
    tight = strict(data)
    assert {e.summary for e in tight.events} == {"Training"}
    assert {e.classification.value for e in tight.events if e.classification} == {"PRIVATE"}
    assert len(tight.events) == len(plan.workouts)


def event_bytes(data: bytes, uid: object) -> bytes:
    start = data.index(b"BEGIN:VEVENT", data.index(f"UID:{uid}".encode()) - 400)
    return data[start : data.index(b"END:VEVENT", start) + len(b"END:VEVENT\r\n")]


def test_busy_feed_uids_differ_from_the_main_feed() -> None:
    plan = make_plan(units="mi")
    main = set(by_uid(parse(plan, domain="example.org")))
    busy = set(
        by_uid(icalendar.Calendar.from_ical(emit_busy_ics(plan, stamp=STAMP, domain="example.org")))
    )
    assert main.isdisjoint(busy)
    assert busy == {f"busy-{uid}" for uid in main}


def test_busy_feed_calendar_properties() -> None:
    plan = make_plan(units="mi")
    cal: dict[str, Any] = dict(icalendar.Calendar.from_ical(emit_busy_ics(plan, stamp=STAMP)))
    assert str(cal["NAME"]) == str(cal["X-WR-CALNAME"]) == "Bob Smith: training"
    assert str(cal["METHOD"]) == "PUBLISH"
    assert str(cal["X-PUBLISHED-TTL"]) == "PT12H"
    assert "Riverside" not in str(cal["DESCRIPTION"])


def test_busy_feed_leaves_rest_days_out() -> None:
    plan = make_plan(units="mi")
    weeks = list(plan.weeks)
    easy = weeks[0].workouts[2]
    rest = dataclasses.replace(easy, category=Category.REST, title="Rest", steps=(), distance_m=0.0)
    weeks[0] = dataclasses.replace(
        weeks[0], workouts=(*weeks[0].workouts[:2], rest, weeks[0].workouts[3])
    )
    plan = dataclasses.replace(plan, weeks=tuple(weeks))
    busy = by_uid(icalendar.Calendar.from_ical(emit_busy_ics(plan, stamp=STAMP)))
    assert len(busy) == len(plan.workouts) - 1
    assert f"busy-{rest.uid}@planc.invalid" not in busy


# --------------------------------------------------------------------------- the profile's settings


@pytest.mark.parametrize(
    ("calendar", "valid"),
    [
        ({}, True),
        ({"alarm": "30min", "color": "#E4572E"}, True),
        ({"alarm": "1h30min"}, True),
        ({"alarm": "90s", "color": "#1e90ff"}, True),
        ({"alarm": "soon"}, False),
        ({"alarm": "30"}, False),
        ({"color": "red"}, False),
        ({"color": "#E4572"}, False),
        ({"colour": "#E4572E"}, False),
    ],
)
def test_the_athlete_schema_takes_a_calendar_object(calendar: dict[str, str], valid: bool) -> None:
    schema = schema_for("athlete")
    validator = Draft202012Validator(schema["properties"]["calendar"])
    assert validator.is_valid(calendar) == valid
    assert schema["properties"]["calendar"]["additionalProperties"] is False
    if valid and "alarm" in calendar:  # resolve reads it with the usual duration parser
        assert parse_duration(calendar["alarm"]) > 0
