"""Re-published feeds update in place: read_feed, SEQUENCE, LAST-MODIFIED, DTSTAMP and cancellations
over successive builds, byte-identical rebuilds, and a previous feed that is missing or broken."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from collections.abc import Callable
from typing import Any
from zoneinfo import ZoneInfo

import icalendar
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from ical.calendar_stream import IcsCalendarStream
from plan_factory import by_distance, make_plan

from compiler.emit import FeedState, emit_busy_ics, emit_ics, read_feed
from compiler.emit.ical_merge import KEEP_DAYS
from compiler.emit.ical_read import read_record, record_of, recover
from compiler.emit.ical_state import fingerprint
from compiler.model import Plan, Workout
from compiler.vocabulary import Category

S1 = dt.datetime(2026, 1, 2, 3, 4, 5, tzinfo=dt.UTC)
S2 = dt.datetime(2026, 2, 3, 4, 5, 6, tzinfo=dt.UTC)
S3 = dt.datetime(2026, 3, 4, 5, 6, 7, tzinfo=dt.UTC)
Emit = Callable[..., bytes]


def uid(workout_uid: str, busy: bool = False) -> str:
    return f"{'busy-' if busy else ''}{workout_uid}@planc.invalid"


def parsed(data: bytes) -> dict[str, icalendar.Event]:
    """The feed's events by UID, read by icalendar; ical must accept the feed too."""
    strict = IcsCalendarStream.calendar_from_ics(data.decode())
    found = icalendar.Calendar.from_ical(data).walk("VEVENT")
    events = {str(e["UID"]): e for e in found if isinstance(e, icalendar.Event)}
    assert len(events) == len(found)
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
    return int(event.decoded("SEQUENCE")), event.decoded("DTSTAMP"), event.decoded("LAST-MODIFIED")


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


def test_a_missing_feed_reads_as_empty_without_problems() -> None:
    assert read_feed(None) == FeedState() == read_feed(b"")


@pytest.mark.parametrize("data", [b for b in BROKEN if b])
def test_a_broken_feed_says_what_is_wrong_and_keeps_only_whole_events(data: bytes) -> None:
    state = read_feed(data)
    assert state.problems, "a damaged feed is never taken for an empty one"
    assert set(state.events) <= {"x"}
    assert all(e.raw is None or e.day == dt.date(2026, 1, 1) for e in state.events.values())


def test_broken_feeds_made_from_a_real_one_keep_what_they_can() -> None:
    data = emit_ics(make_plan(units="mi"), stamp=S1)
    whole = read_feed(data)
    assert not whole.problems
    first = data.index(b"BEGIN:VEVENT")
    second = data.index(b"BEGIN:VEVENT", first + 1)
    duplicate = data.replace(b"END:VCALENDAR", data[first:second] + b"END:VCALENDAR")
    for broken, problem in (
        (data[: len(data) // 2], "cut short"),
        (data.replace(b"SEQUENCE:0", b"SEQUENCE:zero", 1), "cannot be read whole"),
        (data.replace(b"END:VEVENT\r\n", b"", 1), "BEGIN and END"),
        (duplicate, "more than once"),
        (data.decode().encode("utf-16"), "not a calendar"),
    ):
        state = read_feed(broken)
        assert any(problem in p for p in state.problems), (problem, state.problems)
        for event_uid, event in state.events.items():
            assert event.sequence >= whole.events[event_uid].sequence
            assert event.raw is None or event.raw == whole.events[event_uid].raw
    assert len(read_feed(data[: len(data) // 2])) >= len(whole) // 3


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
    assert cancelled.decoded("DTSTART") == events1[uid(tempo)].decoded("DTSTART")

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
        "category": lambda w: dataclasses.replace(w, category=Category.EASY),
    }
    for what, change in changes.items():
        again = emit_ics(edit(plan, target, change), stamp=S2, previous=read_feed(first))
        events = parsed(again)
        assert stamps(events[uid(target)]) == (1, S2, S2), what
        assert sum(int(e.decoded("SEQUENCE")) for e in events.values()) == 1, what


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
    assert events[uid(target, busy=True)].decoded("DTSTART").time() == dt.time(7, 0)
    removed = parsed(
        emit_busy_ics(edit(plan, target, lambda w: None), stamp=S2, previous=read_feed(first))
    )
    gone = removed[uid(target, busy=True)]
    assert str(gone["STATUS"]) == "CANCELLED" and str(gone["TRANSP"]) == "TRANSPARENT"
    assert int(gone.decoded("SEQUENCE")) == 1


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


# --------------------------------------------------------------------------- damaged feeds


def changed_twice() -> tuple[Plan, bytes, str, str]:
    """A feed three builds old: the long run changed twice (SEQUENCE 2), the tempo removed
    (cancelled, SEQUENCE 1); and the plan of the last build."""
    plan1 = make_plan(units="mi")
    athlete, monday = plan1.athlete.id, plan1.weeks[0].start
    long_run = f"{athlete}-{(monday + dt.timedelta(days=6)).isoformat()}-run"
    tempo = f"{athlete}-{(monday + dt.timedelta(days=8)).isoformat()}-run"
    build1 = emit_ics(plan1, stamp=S1)
    plan2 = edit(plan1, long_run, longer)
    build2 = emit_ics(plan2, stamp=S1, previous=read_feed(build1))
    plan3 = edit(edit(plan2, long_run, longer), tempo, lambda w: None)
    build3 = emit_ics(plan3, stamp=S1, previous=read_feed(build2))
    events = parsed(build3)
    assert int(events[uid(long_run)].decoded("SEQUENCE")) == 2
    assert str(events[uid(tempo)]["STATUS"]) == "CANCELLED"
    return plan3, build3, long_run, tempo


def sequences(data: bytes) -> dict[str, int]:
    return {u: int(e.decoded("SEQUENCE")) for u, e in parsed(data).items()}


def test_a_truncated_feed_keeps_its_whole_events_and_the_sequences_it_shows() -> None:
    plan, published, long_run, _tempo = changed_twice()
    cut = published[: published.index(uid(long_run).encode()) + 40]  # in the long run's event
    state = read_feed(cut)
    assert any("cut short" in p for p in state.problems)
    assert uid(long_run) in state.events and state.events[uid(long_run)].sequence == 2
    assert state.events[uid(long_run)].raw is None, "its VEVENT is cut: only what it shows"
    rebuilt = emit_ics(plan, stamp=S2, previous=state)
    before, after = sequences(published), sequences(rebuilt)
    for event_uid, event in state.events.items():
        assert after[event_uid] >= before[event_uid], event_uid  # never lowered
        if event.raw is not None:
            assert vevent(rebuilt, event_uid) == vevent(published, event_uid)


@pytest.mark.parametrize(
    "damage",
    [
        lambda data: b"<!doctype html><title>502 Bad Gateway</title>",
        lambda data: data[: len(data) // 3],
        lambda data: b"",  # deleted
    ],
)
def test_the_record_rebuilds_the_history_without_the_feed(damage: Callable[[bytes], bytes]) -> None:
    plan, published, long_run, tempo = changed_twice()
    record = read_record(json.loads(json.dumps(record_of(published))))
    assert sorted(record.events) == sorted(read_feed(published).events)
    state = recover(read_feed(damage(published)), record)
    rebuilt = emit_ics(plan, stamp=S2, previous=state)
    before, after = sequences(published), sequences(rebuilt)
    assert sorted(after) == sorted(before), "every UID is still in the feed"
    assert after == before, "nothing changed: no SEQUENCE moves, none goes down"
    assert str(parsed(rebuilt)[uid(tempo)]["STATUS"]) == "CANCELLED"
    # the next change moves on from the SEQUENCE subscribers have, not from 0
    again = emit_ics(edit(plan, long_run, longer), stamp=S3, previous=state)
    assert sequences(again)[uid(long_run)] == 3
    # a workout that leaves the plan now is cancelled from the record alone
    gone = next(w.uid for w in plan.workouts if w.uid != long_run)
    cancelled = parsed(emit_ics(edit(plan, gone, lambda w: None), stamp=S3, previous=state))
    assert str(cancelled[uid(gone)]["STATUS"]) == "CANCELLED"
    assert int(cancelled[uid(gone)].decoded("SEQUENCE")) == before[uid(gone)] + 1
    was = parsed(published)[uid(gone)]
    assert cancelled[uid(gone)].decoded("DTSTART") == was.decoded("DTSTART")


def test_an_old_feed_put_back_does_not_lower_what_the_record_saw() -> None:
    plan, published, long_run, _tempo = changed_twice()
    first = emit_ics(make_plan(units="mi"), stamp=S1)  # a backup from the first build
    state = recover(read_feed(first), read_record(record_of(published)))
    rebuilt = emit_ics(plan, stamp=S2, previous=state)
    assert sequences(rebuilt)[uid(long_run)] == 2, "what subscribers have, not the backup's 0"
    assert all(after >= sequences(published)[u] for u, after in sequences(rebuilt).items())


def test_a_duplicated_event_is_kept_at_its_highest_sequence_and_sent_again() -> None:
    plan, published, long_run, _tempo = changed_twice()
    older = vevent(emit_ics(make_plan(units="mi"), stamp=S1), uid(long_run))  # SEQUENCE 0
    doubled = published.replace(b"END:VCALENDAR", older + b"END:VCALENDAR")
    state = read_feed(doubled)
    assert any("more than once" in p for p in state.problems)
    assert state.events[uid(long_run)].sequence == 2
    rebuilt = emit_ics(plan, stamp=S2, previous=state)
    assert sequences(rebuilt)[uid(long_run)] == 3, "which copy a calendar kept is unknown"
    assert rebuilt.count(f"UID:{uid(long_run)}".encode()) == 1


def test_past_is_the_time_of_the_session_in_the_athletes_zone() -> None:
    # Ana (Europe/Madrid, all-day sessions): a session is past once its day is over in Madrid
    plan = make_plan(units="km")
    first = emit_ics(plan, stamp=S1)
    session = plan.workouts[2]
    without = edit(plan, session.uid, lambda w: None)
    late = dt.datetime.combine(session.date, dt.time(23, 30), tzinfo=dt.UTC)  # 00:30 in Madrid
    kept = emit_ics(without, stamp=late, previous=read_feed(first))
    assert vevent(kept, uid(session.uid)) == vevent(first, uid(session.uid)), "over: kept"
    early = dt.datetime.combine(session.date, dt.time(22, 30), tzinfo=dt.UTC)  # 23:30 in Madrid
    cancelled = emit_ics(without, stamp=early, previous=read_feed(first))
    assert str(parsed(cancelled)[uid(session.uid)]["STATUS"]) == "CANCELLED"

    # Bob (America/New_York, timed): past once it has begun, whatever the UTC date says
    plan = make_plan(units="mi")
    first = emit_ics(plan, stamp=S1)
    session = plan.workouts[2]
    assert session.start_time is not None
    begins = dt.datetime.combine(
        session.date, session.start_time, tzinfo=ZoneInfo("America/New_York")
    ).astimezone(dt.UTC)
    without = edit(plan, session.uid, lambda w: None)
    after = emit_ics(without, stamp=begins + dt.timedelta(minutes=1), previous=read_feed(first))
    assert vevent(after, uid(session.uid)) == vevent(first, uid(session.uid)), "begun: kept"
    before = emit_ics(without, stamp=begins - dt.timedelta(minutes=1), previous=read_feed(first))
    assert str(parsed(before)[uid(session.uid)]["STATUS"]) == "CANCELLED"
    # a past session the plan now words differently stays as it was published
    retitled = edit(plan, session.uid, lambda w: dataclasses.replace(w, title="Renamed"))
    later = emit_ics(retitled, stamp=begins + dt.timedelta(hours=2), previous=read_feed(first))
    assert vevent(later, uid(session.uid)) == vevent(first, uid(session.uid))
