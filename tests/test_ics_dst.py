"""Timed events across changes of the clocks (issue 12, item 3): every session lasts, in every
reader, the time it takes, and starts when RFC 5545 says its clock time is.

Starts are put on and around every change of UTC offset of many zones (DST both ways, in both
hemispheres, with half-hour and 45-minute offsets, half-hour and two-hour DST, days that were
skipped), the feed is emitted, and it is read back by two parsers that share no code with planc's
writer: icalendar (zone by TZID, from zoneinfo) and ical (strict RFC 5545; its datetimes, and again
through the feed's own VTIMEZONE, as a reader without a time-zone database does).  Each event's
start and end are then checked as instants, with zoneinfo, against what the session is: the clock
time's first occurrence (a time in a spring-forward gap is read with the offset before it, RFC 5545
3.3.5, and written as the existing time that is), plus the session's minutes.

``PLANC_PROPERTY_EXAMPLES`` (60 by default) sets the depth of the generated search.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import os
from zoneinfo import ZoneInfo

import icalendar
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from ical.calendar_stream import IcsCalendarStream
from ical.timezone import IcsTimezoneInfo
from plan_factory import make_plan

from compiler.emit import emit_busy_ics, emit_ics
from compiler.emit.ical import session_start
from compiler.model import Plan, Workout
from compiler.vocabulary import Category

STAMP = dt.datetime(2026, 1, 2, 3, 4, 5, tzinfo=dt.UTC)
UTC = dt.UTC
FIRST_YEAR, LAST_YEAR = 1970, 2050  # the changes looked at (plans may be dated 1900 to 2999)

ZONES = (
    "America/New_York",  # the issue's case: 01:45 on the fall-back day ended at 01:10
    "America/St_Johns",  # -3:30, DST at 00:01 until 2011
    "America/Havana",  # changes at midnight: the gap and the repeat straddle two dates
    "America/Santiago",  # southern hemisphere, changes at 24:00
    "America/Sao_Paulo",  # southern hemisphere, DST until 2019
    "America/Asuncion",
    "America/Nuuk",
    "Atlantic/Azores",  # changes at 00:00 UTC, -1 and 0
    "Europe/Berlin",
    "Europe/London",
    "Europe/Dublin",  # tzdata's "negative DST": winter is the daylight observance
    "Europe/Moscow",  # standard offset changed twice (2011, 2014)
    "Africa/Casablanca",  # DST suspended each Ramadan: four changes a year
    "Africa/Cairo",
    "Asia/Tehran",  # +3:30 / +4:30
    "Asia/Kathmandu",  # +5:30 to +5:45 in 1986
    "Asia/Pyongyang",  # +9 to +8:30 (2015) and back (2018)
    "Asia/Jerusalem",
    "Australia/Sydney",  # the issue's case: an 82-minute run read as 22 minutes
    "Australia/Adelaide",  # +9:30 / +10:30
    "Australia/Lord_Howe",  # +10:30 / +11: a half-hour DST
    "Australia/Eucla",  # +8:45 / +9:45 (DST 2006-2009)
    "Pacific/Chatham",  # +12:45 / +13:45: the issue's other case
    "Pacific/Auckland",
    "Pacific/Apia",  # 2011-12-30 did not happen: -10 to +14
    "Pacific/Kiritimati",  # 1994-12-31 did not happen: -10 to +14
    "Pacific/Norfolk",  # +11:30 to +11, DST since 2019
    "Antarctica/Troll",  # +0 / +2: a two-hour DST
)


def _offset(zone: ZoneInfo, moment: dt.datetime) -> dt.timedelta:
    offset = moment.astimezone(zone).utcoffset()
    assert offset is not None
    return offset


@functools.cache
def transitions(name: str) -> tuple[tuple[dt.datetime, dt.timedelta, dt.timedelta], ...]:
    """Every change of UTC offset of zone ``name`` from FIRST_YEAR to LAST_YEAR: (the instant in
    UTC, the offset before, the offset after), found by stepping a day at a time through zoneinfo
    and halving to the second."""
    zone = ZoneInfo(name)
    found = []
    moment = dt.datetime(FIRST_YEAR, 1, 1, tzinfo=UTC)
    end = dt.datetime(LAST_YEAR + 1, 1, 1, tzinfo=UTC)
    step = dt.timedelta(hours=12)
    before = _offset(zone, moment)
    while moment < end:
        later = moment + step
        after = _offset(zone, later)
        if after != before:
            low, high = moment, later  # offset(low) == before, offset(high) == after
            while high - low > dt.timedelta(seconds=1):
                middle = low + dt.timedelta(seconds=(high - low).total_seconds() // 2)
                if _offset(zone, middle) == before:
                    low = middle
                else:
                    high = middle
            found.append((high, before, after))
            before = after
        moment = later
    return tuple(found)


def test_the_zones_change_their_clocks() -> None:
    # the list is worth something only if its zones change clocks in the years looked at
    for name in ZONES:
        assert transitions(name), name
    chatham = transitions("Pacific/Chatham")
    assert any(b - a == dt.timedelta(hours=1) for _, b, a in chatham)
    lord_howe = transitions("Australia/Lord_Howe")
    assert any(b - a == dt.timedelta(minutes=30) for _, b, a in lord_howe)
    kathmandu = transitions("Asia/Kathmandu")
    assert [(b, a) for _, b, a in kathmandu] == [
        (dt.timedelta(hours=5, minutes=30), dt.timedelta(hours=5, minutes=45))
    ]


# --------------------------------------------------------------------------- plans


@dataclasses.dataclass(frozen=True)
class Session:
    """A timed session: its clock time on its date in the plan's zone and its minutes."""

    day: dt.date
    clock: dt.time
    minutes: int


def plan_of(zone: str, sessions: list[Session]) -> Plan:
    """Bob's plan (plan_factory) with its first week's workouts replaced by ``sessions``, in
    ``zone``; each has its own UID, so sessions on the same day are separate events."""
    base = make_plan(units="mi")
    week = base.weeks[0]
    template = next(w for w in week.workouts if w.category == Category.LONG)
    workouts = tuple(
        dataclasses.replace(
            template,
            date=s.day,
            uid=f"{base.athlete.id}-{s.day.isoformat()}-s{i}",
            start_time=s.clock,
            duration_s=s.minutes * 60.0,
        )
        for i, s in enumerate(sessions)
    )
    first = min(s.day for s in sessions)
    assert base.athlete.race is not None
    race = dataclasses.replace(base.athlete.race, date=max(s.day for s in sessions))
    athlete = dataclasses.replace(base.athlete, timezone=zone, race=race)
    week = dataclasses.replace(week, start=first, workouts=workouts)
    return dataclasses.replace(base, athlete=athlete, weeks=(week,))


def expected(zone: str, workout: Workout) -> tuple[dt.datetime, dt.datetime]:
    """The instants (UTC) a session starts and ends: its clock time read as RFC 5545 reads a local
    time (fold=0: the first of a repeated time, the offset before a gap), plus its minutes."""
    assert workout.start_time is not None
    naive = dt.datetime.combine(workout.date, workout.start_time)
    start = naive.replace(tzinfo=ZoneInfo(zone)).astimezone(UTC)
    return start, start + dt.timedelta(minutes=round(workout.duration_s / 60))


def _utc(value: object) -> dt.datetime:
    assert isinstance(value, dt.datetime) and value.tzinfo is not None, value
    return value.astimezone(UTC)


def check_feed(plan: Plan, data: bytes, uid_prefix: str = "") -> None:
    """Every event of ``data`` starts and ends when its workout does, read three ways."""
    zone = plan.athlete.timezone
    want = {f"{uid_prefix}{w.uid}@planc.invalid": (w, *expected(zone, w)) for w in plan.workouts}

    # icalendar: the zone by its TZID, from zoneinfo
    loose = icalendar.Calendar.from_ical(data)
    seen = set()
    for event in loose.walk("VEVENT"):
        uid = str(event["UID"])
        workout, start, end = want[uid]
        seen.add(uid)
        first, last = event.decoded("DTSTART"), event.decoded("DTEND")
        assert first.tzinfo is not None and str(first.tzinfo) == zone, uid
        assert _utc(first) == start, (uid, first)
        assert _utc(last) == end, (uid, last)
        assert _utc(last) - _utc(first) == dt.timedelta(minutes=round(workout.duration_s / 60))
        assert workout.start_time is not None
        real = start.astimezone(ZoneInfo(zone))
        if (real.date(), real.time()) == (workout.date, workout.start_time):
            # a clock time that exists is written as it is (its first occurrence when repeated)
            assert (first.date(), first.time()) == (workout.date, workout.start_time), uid
        else:
            # a clock time in a gap is written as the time it is read as: moved forward
            assert first.replace(tzinfo=None) > dt.datetime.combine(
                workout.date, workout.start_time
            ), uid
            assert (first.date(), first.time()) == (real.date(), real.time()), uid
    assert seen == set(want)

    # ical: its own datetimes, then the local times again through the feed's VTIMEZONE only
    tight = IcsCalendarStream.calendar_from_ics(data.decode("utf-8"))
    (vtimezone,) = tight.timezones
    assert vtimezone.tz_id == zone
    rules = IcsTimezoneInfo.from_timezone(vtimezone)
    assert len(tight.events) == len(want)
    for read in tight.events:
        workout, start, end = want[read.uid]
        assert _utc(read.dtstart) == start, (read.uid, read.dtstart)
        assert _utc(read.dtend) == end, (read.uid, read.dtend)
        for value, instant in ((read.dtstart, start), (read.dtend, end)):
            assert isinstance(value, dt.datetime)
            if value.utcoffset() == dt.timedelta(0) and str(value.tzinfo) == "UTC":
                continue  # written in UTC: nothing for the VTIMEZONE to say
            local = value.replace(tzinfo=None)
            by_rules = (local - rules.utcoffset(local)).replace(tzinfo=UTC)
            assert by_rules == instant, (read.uid, value, rules.utcoffset(local))


# --------------------------------------------------------------------------- the property


@st.composite
def sessions_around_changes(draw: st.DrawFn) -> tuple[str, list[Session]]:
    """A zone and one to four sessions, each starting near one of its changes of offset: from
    three hours before the change's clock time to three hours after it, edges favoured, lasting
    1 minute to 6 hours."""
    zone = draw(st.sampled_from(ZONES))
    changes = transitions(zone)
    sessions = []
    for _ in range(draw(st.integers(1, 4))):
        moment, before, after = draw(st.sampled_from(changes))
        wall = (moment + before).replace(tzinfo=None)  # the clock time the change happens at
        jump = int((after - before).total_seconds() // 60)
        edges = sorted({0, -1, 1, jump, jump - 1, jump + 1, -jump, -jump - 1, -jump + 1})
        shift = draw(st.sampled_from(edges) | st.integers(-180, 180))
        start = (wall + dt.timedelta(minutes=shift)).replace(second=0, microsecond=0)
        minutes = draw(st.sampled_from([1, 22, 30, 45, 60, 82, 90, 120]) | st.integers(1, 360))
        sessions.append(Session(start.date(), start.time(), minutes))
    return zone, sessions


@settings(
    max_examples=int(os.environ.get("PLANC_PROPERTY_EXAMPLES", "60")) * 3,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(sessions_around_changes())
def test_sessions_around_a_change_of_the_clocks_last_their_time(
    case: tuple[str, list[Session]],
) -> None:
    zone, sessions = case
    plan = plan_of(zone, sessions)
    check_feed(plan, emit_ics(plan, stamp=STAMP))
    check_feed(plan, emit_busy_ics(plan, stamp=STAMP), uid_prefix="busy-")


# --------------------------------------------------------------------------- every change


@pytest.mark.parametrize("zone", ZONES)
def test_every_change_of_every_zone(zone: str) -> None:
    """Every change of the zone from FIRST_YEAR to LAST_YEAR, with sessions that start before it
    and end after it, start in its gap or its repeated time, and start as it happens.

    At a change at wall-clock time W (before it) by J (+1 h forward, -1 h back): forward, W to
    W + J does not happen; back, W + J to W happens twice."""
    sessions = []
    for moment, before, after in transitions(zone):
        wall = (moment + before).replace(tzinfo=None)
        jump = after - before
        for shift, minutes in (
            (-dt.timedelta(minutes=45), 82),  # across the change (back: ends in the second W+J..W)
            (-dt.timedelta(minutes=1), 22),  # the last minute before it
            (jump / 2, 82),  # in the gap, or in the repeated time (its first occurrence)
            (dt.timedelta(0), 45),  # at W: the gap's first minute, or just after the repeat
            (jump, 30),  # forward: the first minute after the gap; back: the repeat's first
        ):
            start = (wall + shift).replace(second=0, microsecond=0)
            sessions.append(Session(start.date(), start.time(), minutes))
    plan = plan_of(zone, sessions)
    check_feed(plan, emit_ics(plan, stamp=STAMP))


# --------------------------------------------------------------------------- the issue's cases


@pytest.mark.parametrize(
    ("zone", "day", "clock", "minutes", "start", "end"),
    [
        # fall-back in New York: 01:45 EDT plus 25 minutes is 01:10 EST, the second 01:10
        (
            "America/New_York",
            dt.date(2026, 11, 1),
            dt.time(1, 45),
            25,
            ";TZID=America/New_York:20261101T014500",
            ":20261101T061000Z",
        ),
        # Sydney goes back at 03:00 AEDT: 01:40 AEDT plus 82 minutes is 02:02 AEST
        (
            "Australia/Sydney",
            dt.date(2027, 4, 4),
            dt.time(1, 40),
            82,
            ";TZID=Australia/Sydney:20270404T014000",
            ":20270403T160200Z",
        ),
        # Chatham goes back at 03:45 (+13:45 to +12:45)
        (
            "Pacific/Chatham",
            dt.date(2027, 4, 4),
            dt.time(2, 40),
            82,
            ";TZID=Pacific/Chatham:20270404T024000",
            ":20270403T141700Z",
        ),
        # an end in the repeated hour's first occurrence stays a local time
        (
            "America/New_York",
            dt.date(2026, 11, 1),
            dt.time(0, 45),
            30,
            ";TZID=America/New_York:20261101T004500",
            ";TZID=America/New_York:20261101T011500",
        ),
        # forward in New York: 02:30 does not exist that day; it is 03:30 EDT
        (
            "America/New_York",
            dt.date(2027, 3, 14),
            dt.time(2, 30),
            60,
            ";TZID=America/New_York:20270314T033000",
            ";TZID=America/New_York:20270314T043000",
        ),
        # Lord Howe goes forward half an hour at 02:00: 02:10 is 02:40
        (
            "Australia/Lord_Howe",
            dt.date(2026, 10, 4),
            dt.time(2, 10),
            30,
            ";TZID=Australia/Lord_Howe:20261004T024000",
            ";TZID=Australia/Lord_Howe:20261004T031000",
        ),
    ],
)
def test_the_issues_cases(
    zone: str, day: dt.date, clock: dt.time, minutes: int, start: str, end: str
) -> None:
    plan = plan_of(zone, [Session(day, clock, minutes)])
    data = emit_ics(plan, stamp=STAMP)
    assert f"\r\nDTSTART{start}\r\n".encode() in data
    assert f"\r\nDTEND{end}\r\n".encode() in data
    check_feed(plan, data)


def test_session_start_is_the_clock_times_first_instant() -> None:
    new_york = ZoneInfo("America/New_York")
    repeated = session_start(dt.date(2026, 11, 1), dt.time(1, 30), new_york)
    assert repeated.utcoffset() == dt.timedelta(hours=-4)  # EDT: the first 01:30
    gap = session_start(dt.date(2027, 3, 14), dt.time(2, 30), new_york)
    assert (gap.time(), gap.utcoffset()) == (dt.time(3, 30), dt.timedelta(hours=-4))
    # a day that did not happen: Apia went from -10 to +14 at the end of 2011-12-29
    apia = session_start(dt.date(2011, 12, 30), dt.time(7, 0), ZoneInfo("Pacific/Apia"))
    assert (apia.date(), apia.time()) == (dt.date(2011, 12, 31), dt.time(7, 0))
