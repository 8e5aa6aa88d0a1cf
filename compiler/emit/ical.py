"""The iCalendar feed: one event per workout, with stable UIDs so a re-published feed updates
events in place."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import icalendar

from ..model import Plan, Week, Workout
from .text import plan_title, workout_summary, workout_text

PRODID = "-//planc//planc 0.1//EN"
REFRESH = dt.timedelta(hours=12)


def _event(
    workout: Workout, week: Week, plan: Plan, stamp: dt.datetime, domain: str
) -> icalendar.Event:
    unit = plan.athlete.units
    event = icalendar.Event()
    event.add("uid", f"{workout.uid}@{domain}")
    event.add("dtstamp", stamp)
    if workout.start_time is None:
        event.add("dtstart", workout.date)
        event.add("dtend", workout.date + dt.timedelta(days=1))
        event.add("transp", "TRANSPARENT")
    else:
        zone = ZoneInfo(plan.athlete.timezone)
        start = dt.datetime.combine(workout.date, workout.start_time, tzinfo=zone)
        event.add("dtstart", start)
        if workout.duration_s > 0:
            # Elapsed time (to the minute, as the text says it), not wall-clock time: computed in
            # UTC so that a DST change during the session is respected.
            elapsed = dt.timedelta(minutes=max(1, round(workout.duration_s / 60)))
            end = (start.astimezone(dt.UTC) + elapsed).astimezone(zone)
            event.add("dtend", end)
    event.add("summary", workout_summary(workout, unit))
    event.add("description", workout_text(workout, unit, week, len(plan.weeks)))
    event.add("categories", [workout.category])
    return event


def _stamp_utc(stamp: dt.datetime) -> dt.datetime:
    if stamp.tzinfo is None:
        return stamp.replace(tzinfo=dt.UTC)
    return stamp.astimezone(dt.UTC)


def emit_ics(plan: Plan, *, stamp: dt.datetime, domain: str = "planc.invalid") -> bytes:
    """The plan as an iCalendar feed.

    ``stamp`` becomes every event's DTSTAMP (in UTC; a naive stamp is taken as UTC); pass a fixed
    one (SOURCE_DATE_EPOCH) so the same plan gives the same bytes.
    """
    stamp = _stamp_utc(stamp)
    name = plan_title(plan)
    cal = icalendar.Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("name", name)
    cal.add("x-wr-calname", name)
    cal.add("x-wr-timezone", plan.athlete.timezone)
    cal.add("refresh-interval", REFRESH, parameters={"VALUE": "DURATION"})
    cal.add("x-published-ttl", "PT12H")

    dated = sorted(
        ((w, week) for week in plan.weeks for w in week.workouts),
        key=lambda pair: (pair[0].date, pair[0].slot, pair[0].uid),
    )
    for workout, week in dated:
        cal.add_component(_event(workout, week, plan, stamp, domain))

    if any(w.start_time is not None for w, _ in dated):
        # VTIMEZONE from zoneinfo, bounded to whole years around the plan so the bytes depend on
        # the plan's dates only.
        first = dt.date(dated[0][0].date.year, 1, 1)
        last = dt.date(dated[-1][0].date.year + 1, 1, 1)
        cal.add_missing_timezones(first_date=first, last_date=last)
    data: bytes = cal.to_ical()
    return data
