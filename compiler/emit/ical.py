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
from ..vocabulary import Category
from . import ics_lines as ics
from .ical_merge import merge_events
from .ical_state import Block, FeedState, NewEvent
from .text import day_label, plan_title, race_distance_text
from .workout_words import PlanWords, Words, plan_words, workout_text

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


def session_start(day: dt.date, clock: dt.time, zone: ZoneInfo) -> dt.datetime:
    """When a session that starts at ``clock`` on ``day`` in ``zone`` starts: an aware datetime in
    ``zone`` that names one instant and reads as that instant in every calendar.

    A clock time that happens twice that day (the hour repeated when clocks go back) is its first
    occurrence, as RFC 5545 reads a local time (3.3.5).  A clock time that does not happen that day
    (inside the gap when clocks go forward) is taken with the UTC offset before the gap, as RFC 5545
    reads it too, which is the same clock time moved forward by the gap's length: 02:30 on New
    York's spring-forward day is 03:30 EDT.  That existing time is what is written, because
    readers disagree about a time in a gap (some take the offset after it, an hour earlier) and
    none can disagree about 03:30.
    """
    first = dt.datetime.combine(day, clock, tzinfo=zone)  # fold=0: the offset before a change
    return first.astimezone(dt.UTC).astimezone(zone)


def session_end(start: dt.datetime, duration_s: float) -> dt.datetime | None:
    """When a session that starts at ``start`` (``session_start``'s) and takes ``duration_s``
    ends, in the same zone; None for a session of no length.  Elapsed time (to the minute, as the
    text says it), not wall-clock time: a session across a change of the clocks lasts as long as
    it takes (01:30 plus 60 minutes on the night clocks go forward is 03:30), and the result
    carries the right ``fold`` when it falls in a repeated hour."""
    if duration_s <= 0:
        return None
    elapsed = dt.timedelta(minutes=max(1, round(duration_s / 60)))
    return (start.astimezone(dt.UTC) + elapsed).astimezone(start.tzinfo)


def _reads_as_itself(moment: dt.datetime) -> bool:
    """Whether ``moment``'s wall-clock time, written with its zone's TZID, is read back as
    ``moment``: false for the second occurrence of a repeated time, since a reader takes the
    first (RFC 5545 3.3.5), as ``fold=0`` does."""
    return moment.replace(fold=0).utcoffset() == moment.utcoffset()


def _times(workout: Workout, timezone: str) -> tuple[list[str], frozenset[str], bool]:
    """DTSTART and DTEND lines: a whole day when the workout has no start time (free time: it does
    not fill the day), otherwise the time it takes at its paces in the athlete's zone (busy).
    Also the time zones used, and whether the event is timed.

    The start is ``session_start``'s and the end ``session_end``'s.  Both are written as
    wall-clock times with the athlete's TZID, except an end whose wall-clock time happens twice
    and that is its second occurrence (a session that ends in the repeated hour after the clocks
    go back): a reader would take the first one, and see an end before the start or a run an
    hour short, so that end is written in UTC (DTEND may be UTC while DTSTART has a TZID,
    RFC 5545 3.8.2.2).
    """
    if workout.start_time is None:
        day = workout.date
        lines = [
            f"DTSTART;VALUE=DATE:{ics.date(day)}",
            f"DTEND;VALUE=DATE:{ics.date(day + dt.timedelta(days=1))}",
        ]
        return lines, frozenset(), False
    tzid = ics.param(timezone)
    start = session_start(workout.date, workout.start_time, ZoneInfo(timezone))
    lines = [f"DTSTART;TZID={tzid}:{ics.local_time(start)}"]
    end = session_end(start, workout.duration_s)
    if end is not None:
        if _reads_as_itself(end):
            lines.append(f"DTEND;TZID={tzid}:{ics.local_time(end)}")
        else:
            lines.append(f"DTEND:{ics.utc_time(end)}")
    return lines, frozenset({timezone}), True


def _last_day(plan: Plan) -> dt.date | None:
    """The local date the plan's last timed session ends on (or starts on, when it has no
    length), which may be after the date it is planned for; None when no session is timed."""
    zone = ZoneInfo(plan.athlete.timezone)
    last = None
    for workout in plan.workouts:
        if workout.start_time is None:
            continue
        start = session_start(workout.date, workout.start_time, zone)
        day = (session_end(start, workout.duration_s) or start).date()
        last = day if last is None else max(last, day)
    return last


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


# icalendar finds a zone's changes by stepping 64 days at a time while the offset stays the same,
# so it misses a change that is undone within 64 days: Morocco's DST suspended for Ramadan (four
# changes a year), Egypt's in 2010 and 2014.  A reader that takes the offsets from the VTIMEZONE
# (Outlook does) then puts a month of sessions an hour off.  Stepping a day at a time finds every
# change more than a day apart, and writes the same bytes for every zone icalendar gets right.
_ZONE_STEPS = [
    dt.timedelta(days=1),
    dt.timedelta(hours=4),
    dt.timedelta(hours=1),
    dt.timedelta(minutes=20),
    dt.timedelta(minutes=5),
    dt.timedelta(minutes=1),
    dt.timedelta(seconds=20),
    dt.timedelta(seconds=5),
    dt.timedelta(seconds=1),
]


@functools.lru_cache(maxsize=64)
def vtimezone(tzid: str, first_year: int, last_year: int) -> bytes | None:
    """A VTIMEZONE for ``tzid`` from zoneinfo, bounded to whole years (``first_year`` to the end of
    ``last_year``) so its bytes depend on the events' years only; None when the zone is unknown
    on this system.  Built with icalendar, searching for changes a day at a time (``_ZONE_STEPS``),
    once per zone and years in a process."""
    import icalendar  # only here: a build whose plans have no start times never loads it

    class Zone(icalendar.Timezone):
        _from_tzinfo_skip_search = _ZONE_STEPS

    first, last = dt.date(first_year, 1, 1), dt.date(last_year + 1, 1, 1)
    try:
        zone = Zone.from_tzid(tzid, first_date=first, last_date=last)
    except Exception:  # a zone a previous feed used that this system does not know
        return None
    for observance in zone.subcomponents:
        # DTSTART is an observance's first onset (RFC 5545 3.6.5), but some readers take the
        # onsets from RRULE and RDATE only and would miss a change that happens once in the
        # range: say it again as an RDATE (the set of onsets stays the same).
        observance.add("rdate", observance.decoded("DTSTART"))
    data: bytes = zone.to_ical()
    return data


def _feed(head: bytes, blocks: list[Block], last_day: dt.date | None) -> bytes:
    """The whole feed: ``head``, a VTIMEZONE for every zone the events use, the events.  The
    VTIMEZONEs cover the years of the first event to the last, or to ``last_day`` (the day the
    last timed session ends) when that is later: a session on New Year's Eve that ends after a
    change of the clocks on New Year's Day needs that change described."""
    tzids = sorted({tzid for block in blocks for tzid in block.tzids})
    zones: list[bytes] = []
    unknown: set[str] = set()
    if tzids:
        last_year = blocks[-1].day.year
        if last_day is not None:
            last_year = max(last_year, last_day.year)
        years = (blocks[0].day.year, last_year)
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
    if race is None:  # a training block: no race to name
        return (
            f"{what} {athlete.name}'s {plan.program.title.lower()} block "
            f"({plan.focus.title} focus), no race: {len(plan.weeks)} weeks from "
            f"{day_label(first)} to {day_label(plan.end)}. Compiled by planc."
        )
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
    the plan are cancelled (see ``ical_state`` and ``ical_merge``).  The same plan and previous
    state give the same bytes whatever the stamp.
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
    new = [_busy_event(w, plan, domain) for w, _ in _dated(plan) if w.category != Category.REST]
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
    return _feed(_calendar(plan, name, description), blocks, _last_day(plan))
