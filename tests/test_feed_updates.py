"""Re-published feeds update in place: read_feed, SEQUENCE, LAST-MODIFIED, DTSTAMP and cancellations
over successive builds, byte-identical rebuilds, and a previous feed that is missing or broken."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable
from typing import Any

import icalendar
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from ical.calendar_stream import IcsCalendarStream
from plan_factory import by_distance, make_plan

from compiler.emit import FeedState, emit_busy_ics, emit_ics, read_feed
from compiler.emit.ical_state import KEEP_DAYS, fingerprint
from compiler.model import Plan, Workout

S1 = dt.datetime(2026, 1, 2, 3, 4, 5, tzinfo=dt.UTC)
S2 = dt.datetime(2026, 2, 3, 4, 5, 6, tzinfo=dt.UTC)
S3 = dt.datetime(2026, 3, 4, 5, 6, 7, tzinfo=dt.UTC)
Emit = Callable[..., bytes]


def uid(workout_uid: str, busy: bool = False) -> str:
    return f"{'busy-' if busy else ''}{workout_uid}@planc.invalid"


def parsed(data: bytes) -> dict[str, icalendar.Event]:
    """The feed's events by UID, read by icalendar; ical must accept the feed too."""
    strict = IcsCalendarStream.calendar_from_ics(data.decode())
    events = {str(e["UID"]): e for e in icalendar.Calendar.from_ical(data).walk("VEVENT")}
    assert sorted(e.uid for e in strict.events) == sorted(events)
    return events


def vevent(data: bytes, event_uid: str) -> bytes:
    """One VEVENT of a feed, as written."""
    for block in data.split(b"BEGIN:VEVENT\r\n")[1:]:
        block = b"BEGIN:VEVENT\r\n" + block[: block.index(b"END:VEVENT\r\n")] + b"END:VEVENT\r\n"
        if f"\r\nUID:{event_uid}\r\n".encode() in block:
            return block
    raise KeyError(event_uid)


def edit(plan: Plan, workout_uid: str, change: Callable[[Workout], Workout | None]) -> Plan:
    """The plan with one workout changed (or removed when ``change`` gives None)."""
    weeks = []
    for week in plan.weeks:
        workouts = []
        for w in week.workouts:
            new = change(w) if w.uid == workout_uid else w
            if new is not None:
                workouts.append(new)
        weeks.append(dataclasses.replace(week, workouts=tuple(workouts)))
    assert any(w.uid == workout_uid for w in plan.workouts), workout_uid
    return dataclasses.replace(plan, weeks=tuple(weeks))


def longer(w: Workout) -> Workout:
    """The long run 2 km longer."""
    step = by_distance("run", w.distance_m + 2000.0, "easy")
    return dataclasses.replace(
        w, steps=(step,), distance_m=step.distance_m, duration_s=step.duration_s
    )


def stamps(event: icalendar.Event) -> tuple[int, dt.datetime, dt.datetime]:
    return int(event["SEQUENCE"]), event["DTSTAMP"].dt, event["LAST-MODIFIED"].dt


# --------------------------------------------------------------------------- read_feed


@pytest.mark.parametrize("units", ["km", "mi"])
def test_read_feed_reads_what_emit_wrote(units: str) -> None:
    plan = make_plan(units=units)
    data = emit_ics(plan, stamp=S1)
    state = read_feed(data)
    assert isinstance(state, FeedState)
    assert sorted(state.events) == sorted(uid(w.uid) for w in plan.workouts)
    for workout in plan.workouts:
        event = state.events[uid(workout.uid)]
        assert event.sequence == 0
        assert event.last_modified == S1
        assert event.day == workout.date
        assert not event.cancelled
        assert event.raw == vevent(data, event.uid)
        assert event.raw in data
        assert event.fingerprint == fingerprint(event.raw)
        assert event.tzids == (frozenset() if units == "km" else frozenset({"America/New_York"}))
    assert len({e.fingerprint for e in state.events.values()}) == len(plan.workouts)


BROKEN: list[bytes | None] = [
    None,
    b"",
    b"\x00\xff\xfe garbage",
    b"<!doctype html><title>404</title>",
    b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\n",  # never ends
    b"BEGIN:VEVENT\r\nUID:x\r\nDTSTART:20260101\r\nEND:VEVENT\r\n",  # no calendar
    b"BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:x\r\nEND:VCALENDAR\r\n",  # badly nested
    b"BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nDTSTART:20260101\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n",
    b"BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:x\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n",  # no DTSTART
    b"BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\nBEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n",
]


@pytest.mark.parametrize("data", BROKEN)
def test_a_missing_or_broken_feed_reads_as_empty(data: bytes | None) -> None:
    assert read_feed(data) == FeedState()
    assert len(read_feed(data)) == 0


def test_broken_feeds_made_from_a_real_one_read_as_empty() -> None:
    data = emit_ics(make_plan(units="mi"), stamp=S1)
    first = data.index(b"BEGIN:VEVENT")
    second = data.index(b"BEGIN:VEVENT", first + 1)
    duplicate = data.replace(b"END:VCALENDAR", data[first:second] + b"END:VCALENDAR")
    for broken in (
        data[: len(data) // 2],  # truncated
        data.replace(b"SEQUENCE:0", b"SEQUENCE:zero", 1),
        data.replace(b"END:VEVENT\r\n", b"", 1),
        duplicate,  # the same UID twice
        data.decode().encode("utf-16"),
    ):
        assert read_feed(broken) == FeedState()


def test_a_broken_previous_feed_starts_again_at_sequence_zero() -> None:
    plan = make_plan(units="mi")
    fresh = emit_ics(plan, stamp=S2)
    assert emit_ics(plan, stamp=S2, previous=read_feed(b"not a calendar")) == fresh
    assert emit_ics(plan, stamp=S2, previous=FeedState()) == fresh


@settings(max_examples=60, deadline=None)
@given(cut=st.integers(min_value=0), noise=st.binary(max_size=40))
def test_read_feed_never_raises(cut: int, noise: bytes) -> None:
    data = emit_ics(make_plan(units="km"), stamp=S1)
    cut %= len(data) + 1
    state = read_feed(data[:cut] + noise + data[cut:])
    assert isinstance(state, FeedState)


def test_line_ends_and_folding_do_not_matter() -> None:
    plan = make_plan(units="km")
    data = emit_ics(plan, stamp=S1)
    unix = data.replace(b"\r\n", b"\n")
    state = read_feed(unix)
    assert {k: v.fingerprint for k, v in state.events.items()} == {
        k: v.fingerprint for k, v in read_feed(data).events.items()
    }
    # nothing changed, so nothing is re-stamped: the events come back as they were (CRLF)
    assert emit_ics(plan, stamp=S2, previous=state) == data


# --------------------------------------------------------------------------- fingerprints


def test_the_fingerprint_ignores_the_stamps_only() -> None:
    block = vevent(emit_ics(make_plan(), stamp=S1), uid("ana-km-2026-12-06-run"))
    restamped = (
        block.replace(b"DTSTAMP:20260102T030405Z", b"DTSTAMP:20300101T000000Z")
        .replace(b"LAST-MODIFIED:20260102T030405Z", b"LAST-MODIFIED:20300101T000000Z")
        .replace(b"SEQUENCE:0", b"SEQUENCE:7")
    )
    assert restamped != block
    assert fingerprint(restamped) == fingerprint(block)
    for before, after in (
        (b"SUMMARY:Long run 18 km", b"SUMMARY:Long run 19 km"),
        (b"DTSTART;VALUE=DATE:20261206", b"DTSTART;VALUE=DATE:20261207"),
        (b"STATUS:CONFIRMED", b"STATUS:CANCELLED"),
        (b"TRANSP:TRANSPARENT", b"TRANSP:OPAQUE"),
        (b"END:VEVENT", b"LOCATION:Park\r\nEND:VEVENT"),
    ):
        assert before in block
        assert fingerprint(block.replace(before, after)) != fingerprint(block)


# --------------------------------------------------------------------------- successive builds


@pytest.mark.parametrize("units", ["km", "mi"])
def test_rebuilding_the_same_plan_rewrites_nothing(units: str) -> None:
    plan = make_plan(units=units)
    first = emit_ics(plan, stamp=S1)
    second = emit_ics(plan, stamp=S2, previous=read_feed(first))
    assert second == first
    assert emit_ics(plan, stamp=S3, previous=read_feed(second)) == first
    busy = emit_busy_ics(plan, stamp=S1)
    assert emit_busy_ics(plan, stamp=S2, previous=read_feed(busy)) == busy


@pytest.mark.parametrize("units", ["km", "mi"])
def test_three_builds_change_remove_keep(units: str) -> None:
    plan1 = make_plan(units=units)
    athlete = plan1.athlete.id
    monday = plan1.weeks[0].start
    long_run = f"{athlete}-{(monday + dt.timedelta(days=6)).isoformat()}-run"
    tempo = f"{athlete}-{(monday + dt.timedelta(days=8)).isoformat()}-run"
    plan2 = edit(edit(plan1, long_run, longer), tempo, lambda w: None)
    kept = [w.uid for w in plan2.workouts if w.uid != long_run]
    assert len(kept) == len(plan1.workouts) - 2

    build1 = emit_ics(plan1, stamp=S1)
    build2 = emit_ics(plan2, stamp=S2, previous=read_feed(build1))
    events1, events2 = parsed(build1), parsed(build2)
    assert len(events2) == len(events1) == len(plan1.workouts)  # the removed one stays, cancelled

    # changed: SEQUENCE + 1, stamped now, and it says the new distance
    changed = events2[uid(long_run)]
    assert stamps(changed) == (1, S2, S2)
    assert str(changed["STATUS"]) == "CONFIRMED"
    assert str(changed["SUMMARY"]) != str(events1[uid(long_run)]["SUMMARY"])
    assert str(changed["SUMMARY"]) in ("Long run 20 km", "Long run 12.4 mi")

    # removed: cancelled, SEQUENCE + 1, stamped now, no longer busy
    cancelled = events2[uid(tempo)]
    assert stamps(cancelled) == (1, S2, S2)
    assert str(cancelled["STATUS"]) == "CANCELLED"
    assert str(cancelled["TRANSP"]) == "TRANSPARENT"
    assert str(cancelled["SUMMARY"]).startswith("Cancelled: Tempo")
    assert cancelled["DTSTART"].dt == events1[uid(tempo)]["DTSTART"].dt

    # unchanged: exactly as published, first stamps included
    for workout_uid in kept:
        assert stamps(events2[uid(workout_uid)]) == (0, S1, S1)
        assert vevent(build2, uid(workout_uid)) == vevent(build1, uid(workout_uid))

    # a third build of the same plan: nothing moves, the cancelled event stays as it was
    build3 = emit_ics(plan2, stamp=S3, previous=read_feed(build2))
    assert build3 == build2

    # a fourth that changes the long run again and brings the tempo back
    plan4 = edit(plan1, long_run, lambda w: longer(longer(w)))
    build4 = emit_ics(plan4, stamp=S3, previous=read_feed(build3))
    events4 = parsed(build4)
    assert stamps(events4[uid(long_run)]) == (2, S3, S3)
    assert stamps(events4[uid(tempo)]) == (2, S3, S3)
    assert str(events4[uid(tempo)]["STATUS"]) == "CONFIRMED"
    assert str(events4[uid(tempo)]["SUMMARY"]).startswith("Tempo")
    for workout_uid in kept:
        assert vevent(build4, uid(workout_uid)) == vevent(build1, uid(workout_uid))


def test_whatever_the_athlete_sees_counts_as_a_change() -> None:
    plan = make_plan(units="mi")
    first = emit_ics(plan, stamp=S1)
    target = plan.workouts[3].uid
    changes: dict[str, Callable[[Workout], Workout]] = {
        "title": lambda w: dataclasses.replace(w, title="Long run, hilly"),
        "description": lambda w: dataclasses.replace(w, description="Bring water."),
        "start time": lambda w: dataclasses.replace(w, start_time=dt.time(8, 0)),
        "duration": lambda w: dataclasses.replace(w, duration_s=w.duration_s + 600),
        "category": lambda w: dataclasses.replace(w, category="easy"),
    }
    for what, change in changes.items():
        again = emit_ics(edit(plan, target, change), stamp=S2, previous=read_feed(first))
        events = parsed(again)
        assert stamps(events[uid(target)]) == (1, S2, S2), what
        assert sum(int(e["SEQUENCE"]) for e in events.values()) == 1, what


def test_an_alarm_set_in_the_profile_updates_every_event() -> None:
    plan = make_plan(units="km")
    first = emit_ics(plan, stamp=S1)
    alarmed = dataclasses.replace(
        plan, athlete=dataclasses.replace(plan.athlete, calendar_alarm_s=900.0)
    )
    events = parsed(emit_ics(alarmed, stamp=S2, previous=read_feed(first)))
    assert {stamps(e) for e in events.values()} == {(1, S2, S2)}
    assert all(e.walk("VALARM") for e in events.values())


def test_the_busy_feed_moves_only_when_times_do() -> None:
    plan = make_plan(units="mi")
    target = plan.workouts[0].uid
    first = emit_busy_ics(plan, stamp=S1)
    retitled = edit(plan, target, lambda w: dataclasses.replace(w, title="Something else"))
    assert emit_busy_ics(retitled, stamp=S2, previous=read_feed(first)) == first
    later = edit(plan, target, lambda w: dataclasses.replace(w, start_time=dt.time(7, 0)))
    events = parsed(emit_busy_ics(later, stamp=S2, previous=read_feed(first)))
    assert stamps(events[uid(target, busy=True)]) == (1, S2, S2)
    assert events[uid(target, busy=True)]["DTSTART"].dt.time() == dt.time(7, 0)
    removed = parsed(
        emit_busy_ics(edit(plan, target, lambda w: None), stamp=S2, previous=read_feed(first))
    )
    gone = removed[uid(target, busy=True)]
    assert str(gone["STATUS"]) == "CANCELLED" and str(gone["TRANSP"]) == "TRANSPARENT"
    assert int(gone["SEQUENCE"]) == 1


def test_a_new_domain_cancels_the_old_uids() -> None:
    plan = make_plan(units="km")
    first = emit_ics(plan, stamp=S1)
    events = parsed(emit_ics(plan, stamp=S2, domain="example.org", previous=read_feed(first)))
    assert len(events) == 2 * len(plan.workouts)
    for workout in plan.workouts:
        assert str(events[uid(workout.uid)]["STATUS"]) == "CANCELLED"
        assert stamps(events[f"{workout.uid}@example.org"]) == (0, S2, S2)


# --------------------------------------------------------------------------- the past


def test_workouts_that_left_the_plan_in_the_past_are_kept_then_dropped() -> None:
    plan = make_plan(units="km")  # workouts from 2026-12-01 to 2026-12-20
    first = emit_ics(plan, stamp=S1)
    later_plan = dataclasses.replace(plan, weeks=plan.weeks[1:])  # the first week is over
    gone = [w.uid for w in plan.weeks[0].workouts]
    first_gone = min(w.date for w in plan.weeks[0].workouts)
    last_gone = max(w.date for w in plan.weeks[0].workouts)

    def at(day: dt.date, previous: bytes) -> bytes:
        stamp = dt.datetime.combine(day, dt.time(12, 0), tzinfo=dt.UTC)
        return emit_ics(later_plan, stamp=stamp, previous=read_feed(previous))

    # the week after: the past days stay as they were (not cancelled: the plan moved on)
    week_later = at(plan.weeks[1].start, first)
    for workout_uid in gone:
        assert vevent(week_later, uid(workout_uid)) == vevent(first, uid(workout_uid))
    # KEEP_DAYS after the first of them: all still there; a day after the last one's: all gone
    kept = at(first_gone + dt.timedelta(days=KEEP_DAYS), week_later)
    assert all(uid(u) in parsed(kept) for u in gone)
    dropped = at(last_gone + dt.timedelta(days=KEEP_DAYS + 1), week_later)
    assert not any(uid(u) in parsed(dropped) for u in gone)


def test_cancelled_events_are_dropped_after_keep_days() -> None:
    plan = make_plan(units="mi")
    target = plan.workouts[-1]  # race day, 2027-03-21
    first = emit_ics(plan, stamp=S1)
    without = edit(plan, target.uid, lambda w: None)
    cancelled = emit_ics(without, stamp=S2, previous=read_feed(first))
    assert str(parsed(cancelled)[uid(target.uid)]["STATUS"]) == "CANCELLED"

    def rebuilt(days_after: int) -> dict[str, Any]:
        day = target.date + dt.timedelta(days=days_after)
        stamp = dt.datetime.combine(day, dt.time(23, 0), tzinfo=dt.UTC)
        return parsed(emit_ics(without, stamp=stamp, previous=read_feed(cancelled)))

    assert uid(target.uid) in rebuilt(KEEP_DAYS)
    assert uid(target.uid) not in rebuilt(KEEP_DAYS + 1)


def test_a_cancelled_workout_rings_no_alarm() -> None:
    plan = make_plan(units="mi")
    plan = dataclasses.replace(
        plan, athlete=dataclasses.replace(plan.athlete, calendar_alarm_s=1800.0)
    )
    target = plan.workouts[1].uid
    first = emit_ics(plan, stamp=S1)
    assert parsed(first)[uid(target)].walk("VALARM")
    events = parsed(
        emit_ics(edit(plan, target, lambda w: None), stamp=S2, previous=read_feed(first))
    )
    assert str(events[uid(target)]["STATUS"]) == "CANCELLED"
    assert not events[uid(target)].walk("VALARM")
    assert all(e.walk("VALARM") for u, e in events.items() if u != uid(target))


# --------------------------------------------------------------------------- the bundled examples


@pytest.fixture(scope="module")
def example_plans() -> dict[str, Plan]:
    from compiler.api import compile_plan, load_project
    from compiler.resources import examples_dir

    today = dt.date(2026, 11, 22)
    project = load_project([examples_dir()], today=today)
    return {bp.athlete.id: compile_plan(bp, today) for bp in project.blueprints}


@pytest.mark.parametrize("emit", [emit_ics, emit_busy_ics])
def test_the_examples_feeds_are_strict_and_stable(
    example_plans: dict[str, Plan], emit: Emit
) -> None:
    assert example_plans
    for plan in example_plans.values():
        first = emit(plan, stamp=S1, domain="plans.example.org")
        events = parsed(first)
        assert len(events) == len(plan.workouts)
        again = emit(plan, stamp=S2, domain="plans.example.org", previous=read_feed(first))
        assert again == first
