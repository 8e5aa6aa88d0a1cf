"""The iCalendar feeds: ``plan.ics`` (one event per workout, race day included) and ``busy.ics``
(the same times as detail-free "Training" blocks, for a work calendar).

Both are subscription feeds: stable UIDs from (athlete, date, slot) so a re-published feed updates
events in place, and, given the previous feed's state (``read_feed``), SEQUENCE and LAST-MODIFIED
that move only for events that changed, and cancellations for workouts that left the plan (see
``ical_state``).  Pure functions: the build's time comes in as ``stamp``, the previous feed as bytes
read by the caller.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Iterable
from zoneinfo import ZoneInfo

from ..model import Plan, Week, Workout
from . import ics_lines as ics
from .ical_state import Block, FeedState, NewEvent, merge_events
from .text import (
    PlanWords,
    Words,
    day_label,
    plan_title,
    plan_words,
    race_distance_text,
    workout_text,
)

PRODID = "-//planc//planc 0.1//EN"
REFRESH = dt.timedelta(hours=12)
PUBLISHED_TTL = "PT12H"
DEFAULT_COLOR = "#1E90FF"  # dodgerblue
ALL_DAY_ALARM = dt.timedelta(hours=-4)  # all-day workouts: 20:00 the evening before
BUSY_SUMMARY = "Training"
BUSY_UID_PREFIX = "busy-"
_HEX_COLOR = re.compile(r"^#[0-9A-Fa-f]{6}$")
_END = b"END:VCALENDAR\r\n"

# RFC 7986 COLOR takes a CSS3 colour name: the profile's "#RRGGBB" becomes the nearest of these
# (and goes as it is into X-APPLE-CALENDAR-COLOR, which takes hex).
_CSS_COLORS = """
black 000000 dimgray 696969 gray 808080 darkgray a9a9a9 silver c0c0c0 lightgray d3d3d3
white ffffff slategray 708090 maroon 800000 darkred 8b0000 firebrick b22222 red ff0000
crimson dc143c indianred cd5c5c salmon fa8072 tomato ff6347 coral ff7f50 orangered ff4500
darkorange ff8c00 orange ffa500 gold ffd700 yellow ffff00 khaki f0e68c goldenrod daa520
olive 808000 yellowgreen 9acd32 limegreen 32cd32 lime 00ff00 lightgreen 90ee90 green 008000
darkgreen 006400 forestgreen 228b22 seagreen 2e8b57 mediumseagreen 3cb371 teal 008080
darkcyan 008b8b cadetblue 5f9ea0 turquoise 40e0d0 aqua 00ffff skyblue 87ceeb
deepskyblue 00bfff dodgerblue 1e90ff cornflowerblue 6495ed steelblue 4682b4 royalblue 4169e1
blue 0000ff mediumblue 0000cd navy 000080 midnightblue 191970 indigo 4b0082 purple 800080
darkviolet 9400d3 blueviolet 8a2be2 mediumpurple 9370db orchid da70d6 violet ee82ee
fuchsia ff00ff plum dda0dd deeppink ff1493 hotpink ff69b4 pink ffc0cb brown a52a2a
sienna a0522d chocolate d2691e peru cd853f tan d2b48c
"""
_PAIRS = _CSS_COLORS.split()
CSS_COLORS = dict(zip(_PAIRS[::2], _PAIRS[1::2], strict=True))


def _rgb(hex_color: str) -> tuple[int, int, int]:
    value = int(hex_color.lstrip("#"), 16)
    return value >> 16, (value >> 8) & 0xFF, value & 0xFF


def css_color_name(hex_color: str) -> str:
    """The CSS3 colour name nearest to '#RRGGBB' (the 'redmean' weighted RGB distance)."""
    r, g, b = _rgb(hex_color)

    def distance(name: str) -> float:
        r2, g2, b2 = _rgb(CSS_COLORS[name])
        mean = (r + r2) / 2
        return (
            (2 + mean / 256) * (r - r2) ** 2
            + 4 * (g - g2) ** 2
            + (2 + (255 - mean) / 256) * (b - b2) ** 2
        )

    return min(CSS_COLORS, key=distance)


def feed_color(plan: Plan) -> str:
    """The profile's calendar colour, '#RRGGBB' in capitals, or the default."""
    color = plan.athlete.calendar_color
    return (color if color and _HEX_COLOR.match(color) else DEFAULT_COLOR).upper()


def _stamp_utc(stamp: dt.datetime) -> dt.datetime:
    if stamp.tzinfo is None:
        return stamp.replace(tzinfo=dt.UTC)
    return stamp.astimezone(dt.UTC)


# --------------------------------------------------------------------------- events


def _times(workout: Workout, timezone: str) -> tuple[list[str], frozenset[str], bool]:
    """DTSTART and DTEND lines: a whole day when the workout has no start time (free time: it does
    not fill the day), otherwise the time it takes at its paces in the athlete's zone (busy).
    Also the time zones used, and whether the event is timed."""
    if workout.start_time is None:
        day = workout.date
        lines = [
            f"DTSTART;VALUE=DATE:{ics.date(day)}",
            f"DTEND;VALUE=DATE:{ics.date(day + dt.timedelta(days=1))}",
        ]
        return lines, frozenset(), False
    zone = ZoneInfo(timezone)
    tzid = ics.param(timezone)
    start = dt.datetime.combine(workout.date, workout.start_time, tzinfo=zone)
    lines = [f"DTSTART;TZID={tzid}:{ics.local_time(start)}"]
    if workout.duration_s > 0:
        # Elapsed time (to the minute, as the text says it), not wall-clock time: computed in UTC
        # so that a DST change during the session is respected.
        elapsed = dt.timedelta(minutes=max(1, round(workout.duration_s / 60)))
        end = (start.astimezone(dt.UTC) + elapsed).astimezone(zone)
        lines.append(f"DTEND;TZID={tzid}:{ics.local_time(end)}")
    return lines, frozenset({timezone}), True


def _alarm(summary: str, before_s: float, timed: bool) -> list[str]:
    trigger = -dt.timedelta(seconds=before_s) if timed else ALL_DAY_ALARM
    return [
        "BEGIN:VALARM",
        "ACTION:DISPLAY",
        f"DESCRIPTION:{ics.text(summary)}",
        f"TRIGGER:{ics.duration(trigger)}",
        "END:VALARM",
    ]


def _workout_event(workout: Workout, week: Week, plan: Plan, domain: str, said: Words) -> NewEvent:
    """A workout's VEVENT, its properties in the order icalendar writes them (the canonical
    ones, then the rest by name)."""
    athlete = plan.athlete
    uid = f"{workout.uid}@{domain}"
    summary = said.summary
    times, tzids, timed = _times(workout, athlete.timezone)
    description = workout_text(workout, athlete.units, week, len(plan.weeks), said)
    lines = [
        f"SUMMARY:{ics.text(summary)}",
        *times,
        f"UID:{ics.text(uid)}",
        f"CATEGORIES:{ics.text(workout.category)}",
        f"DESCRIPTION:{ics.text(description)}",
        "STATUS:CONFIRMED",
        "TRANSP:OPAQUE" if timed else "TRANSP:TRANSPARENT",
    ]
    if athlete.calendar_alarm_s is not None:
        lines += _alarm(summary, athlete.calendar_alarm_s, timed)
    return NewEvent(uid=uid, day=workout.date, lines=tuple(lines), tzids=tzids)


def _busy_event(workout: Workout, plan: Plan, domain: str) -> NewEvent:
    uid = f"{BUSY_UID_PREFIX}{workout.uid}@{domain}"
    times, tzids, timed = _times(workout, plan.athlete.timezone)
    lines = (
        f"SUMMARY:{BUSY_SUMMARY}",
        *times,
        f"UID:{ics.text(uid)}",
        "CLASS:PRIVATE",
        "STATUS:CONFIRMED",
        "TRANSP:OPAQUE" if timed else "TRANSP:TRANSPARENT",
    )
    return NewEvent(uid=uid, day=workout.date, lines=lines, tzids=tzids)


def _dated(plan: Plan) -> list[tuple[Workout, Week]]:
    return sorted(
        ((w, week) for week in plan.weeks for w in week.workouts),
        key=lambda pair: (pair[0].date, pair[0].slot, pair[0].uid),
    )


# --------------------------------------------------------------------------- the calendar


def _calendar(plan: Plan, name: str, description: str) -> bytes:
    """The VCALENDAR's own properties, from BEGIN:VCALENDAR on."""
    color = feed_color(plan)
    lines = (
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{ics.text(PRODID)}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"DESCRIPTION:{ics.text(description)}",
        f"X-WR-CALDESC:{ics.text(description)}",
        f"NAME:{ics.text(name)}",
        f"X-WR-CALNAME:{ics.text(name)}",
        f"COLOR:{css_color_name(color)}",
        f"REFRESH-INTERVAL;VALUE=DURATION:{ics.duration(REFRESH)}",
        f"X-APPLE-CALENDAR-COLOR:{color}",
        f"X-PUBLISHED-TTL:{PUBLISHED_TTL}",
        f"X-WR-TIMEZONE:{ics.text(plan.athlete.timezone)}",
    )
    return b"".join(ics.fold(line) for line in lines)


@functools.lru_cache(maxsize=64)
def vtimezone(tzid: str, first_year: int, last_year: int) -> bytes | None:
    """A VTIMEZONE for ``tzid`` from zoneinfo, bounded to whole years (``first_year`` to the end of
    ``last_year``) so its bytes depend on the events' years only; None when the zone is unknown
    on this system.  Built with icalendar, once per zone and years in a process."""
    import icalendar  # only here: a build whose plans have no start times never loads it

    first, last = dt.date(first_year, 1, 1), dt.date(last_year + 1, 1, 1)
    try:
        zone = icalendar.Timezone.from_tzid(tzid, first_date=first, last_date=last)
    except Exception:  # a zone a previous feed used that this system does not know
        return None
    for observance in zone.subcomponents:
        # DTSTART is an observance's first onset (RFC 5545 3.6.5), but some readers take the
        # onsets from RRULE and RDATE only and would miss a change that happens once in the
        # range: say it again as an RDATE (the set of onsets stays the same).
        observance.add("rdate", observance.decoded("DTSTART"))
    data: bytes = zone.to_ical()
    return data


def _feed(head: bytes, blocks: list[Block]) -> bytes:
    tzids = sorted({tzid for block in blocks for tzid in block.tzids})
    zones: list[bytes] = []
    unknown: set[str] = set()
    if tzids:
        years = (blocks[0].day.year, blocks[-1].day.year)
        for tzid in tzids:
            zone = vtimezone(tzid, *years)
            if zone is None:
                unknown.add(tzid)
            else:
                zones.append(zone)
    # an event kept from a previous feed whose zone cannot be described is left out
    events = [block.data for block in blocks if not (unknown and block.tzids & unknown)]
    return b"".join([head, *zones, *events, _END])


def _description(plan: Plan, what: str) -> str:
    athlete, race = plan.athlete, plan.athlete.race
    first = min(week.start for week in plan.weeks)
    return (
        f"{what} {athlete.name}'s {plan.program.title.lower()} plan ({plan.focus.title} focus): "
        f"{race.name}, {race_distance_text(plan)}, on {day_label(race.date)}. "
        f"{len(plan.weeks)} weeks from {day_label(first)}. Compiled by planc."
    )


def emit_ics(
    plan: Plan,
    *,
    stamp: dt.datetime,
    domain: str = "planc.invalid",
    previous: FeedState | None = None,
    words: PlanWords | None = None,
) -> bytes:
    """The plan as an iCalendar subscription feed: one event per workout, race day included.

    ``stamp`` (a naive one is taken as UTC) is the build's time: DTSTAMP and LAST-MODIFIED of the
    events that are new or changed; pass a fixed one (SOURCE_DATE_EPOCH) for reproducible bytes.
    ``previous`` is the state of the feed as last published (``read_feed``): events it holds
    unchanged are written exactly as they were, changed ones get SEQUENCE + 1, workouts that left
    the plan are cancelled (see ``ical_state``).  The same plan and previous state give the same
    bytes whatever the stamp.
    """
    said = words if words is not None else plan_words(plan)
    new = [_workout_event(w, week, plan, domain, said[w.uid]) for w, week in _dated(plan)]
    return _emit(plan, new, stamp, previous, plan_title(plan), _description(plan, "Workouts of"))


def emit_busy_ics(
    plan: Plan,
    *,
    stamp: dt.datetime,
    domain: str = "planc.invalid",
    previous: FeedState | None = None,
) -> bytes:
    """The plan's workouts as detail-free "Training" blocks for a work calendar (UIDs
    ``busy-<uid>@<domain>``, so both feeds can be subscribed side by side).

    Timed workouts are busy (TRANSP:OPAQUE); workouts without a start time are all-day and free
    (TRANSP:TRANSPARENT), so they do not block the working day; rest days are left out.  No summary
    but "Training", no description, no categories, no alarm; CLASS:PRIVATE.  ``stamp`` and
    ``previous`` work as for ``emit_ics`` (pass the state of the previous busy.ics).
    """
    new = [_busy_event(w, plan, domain) for w, _ in _dated(plan) if w.category != "rest"]
    return _emit(plan, new, stamp, previous, *busy_calendar_text(plan))


def busy_calendar_text(plan: Plan) -> tuple[str, str]:
    """busy.ics's calendar name and description."""
    name = plan.athlete.name
    return (
        f"{name}: training",
        f"When {name} is training: busy blocks without details, for a work calendar. "
        "Compiled by planc.",
    )


def _emit(
    plan: Plan,
    new: Iterable[NewEvent],
    stamp: dt.datetime,
    previous: FeedState | None,
    name: str,
    description: str,
) -> bytes:
    blocks = merge_events(new, previous, _stamp_utc(stamp))
    return _feed(_calendar(plan, name, description), blocks)
