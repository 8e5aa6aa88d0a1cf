"""What a previously published feed said, and how a new build updates it in place.

``ical_read.read_feed`` reads the bytes of the last ``plan.ics`` (or ``busy.ics``) into a
``FeedState``: per UID the SEQUENCE, a fingerprint of everything the athlete sees, LAST-MODIFIED
and the whole VEVENT.  ``ical_merge.merge_events`` then decides, event by event, what the new
feed says:

- unchanged (same fingerprint): the previous VEVENT, byte for byte, so its SEQUENCE, DTSTAMP and
  LAST-MODIFIED stay and an incremental rebuild rewrites nothing;
- changed: the new VEVENT with SEQUENCE + 1 and DTSTAMP = LAST-MODIFIED = the build's stamp;
- new: SEQUENCE 0 and the stamp;
- gone from the plan, in the future: STATUS:CANCELLED with SEQUENCE + 1, so subscribed calendars
  drop it; gone and already in the past (the plan moved on, the day happened): kept as it was;
- already cancelled or kept: left as they were until their day is more than ``KEEP_DAYS`` before
  the stamp, then dropped.

The fingerprint covers every line of the VEVENT and its VALARMs except DTSTAMP, LAST-MODIFIED and
SEQUENCE.  Nothing here does I/O or reads the clock.

"Past" is judged by the time of the session, not by the date: a timed session is past once it has
begun, an all-day one once its day is over in the athlete's zone (the feed's X-WR-TIMEZONE).  A
past session keeps its published VEVENT even when the new plan words it differently: subscribers'
history is not rewritten.

This module holds the state (``EventState``, ``FeedState``, ``NewEvent``, ``Block``) and the
reading of a feed's content lines both sides share: fingerprints, a VEVENT's UID, SEQUENCE and
DTSTART read from its lines alone (``glimpse_of``), the stamps.  Reading a damaged feed back and
the record kept beside it are in ``ical_read``; the update itself is in ``ical_merge``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from .ics_lines import fold, utc_time

STAMP_PROPERTIES = frozenset({b"DTSTAMP", b"LAST-MODIFIED", b"SEQUENCE"})
_TZID = re.compile(rb";TZID=(\"?)([^;:\"]+)\1")
_NAME = re.compile(rb"^([A-Za-z0-9-]+)[;:]")
_DTSTART = re.compile(rb"^DTSTART(;[^:]*)?:([0-9]{8})(?:T([0-9]{6})(Z?))?$", re.IGNORECASE)
RECORD_FINGERPRINT = 16  # hex digits of the fingerprint the record keeps: enough to see a change


@dataclass(frozen=True)
class EventState:
    """One VEVENT of a published feed (or of the record kept beside it)."""

    uid: str
    sequence: int
    # a digest of what the athlete sees (``fingerprint``), or its first RECORD_FINGERPRINT digits;
    # "" when it is not known for sure (a damaged or duplicated event): any content is a change
    fingerprint: str
    last_modified: dt.datetime | None
    day: dt.date  # the date of DTSTART
    cancelled: bool
    tzids: frozenset[str]  # the time zones its times refer to
    # the whole VEVENT as published, folded, CRLF line ends, ending with CRLF; None when only
    # its UID, SEQUENCE and DTSTART are known (from the record, or a damaged part of the feed)
    raw: bytes | None
    dtstart: bytes = b""  # its DTSTART content line, unfolded: enough to cancel it without raw
    past_from: dt.datetime | None = None  # when the session counts as past (UTC); None: its day

    def is_past(self, stamp: dt.datetime) -> bool:
        """Whether the session is past at ``stamp`` (UTC): begun, when timed; its day over in the
        athlete's zone, when all day.  Without a known time, its date before the stamp's."""
        if self.past_from is not None:
            return self.past_from <= stamp
        return self.day < stamp.date()


@dataclass(frozen=True)
class FeedState:
    """A published feed's events by UID; empty when there was none or nothing could be read.

    ``seen``: UIDs found only in damaged parts of the feed, with the highest SEQUENCE seen (their
    DTSTART could not be read, so they can be neither kept nor cancelled, only never given a
    lower SEQUENCE).  ``problems``: what could not be read, in words; empty when the feed read
    whole (or there was none).  ``timezone``: the feed's X-WR-TIMEZONE, the athlete's zone."""

    events: Mapping[str, EventState] = field(default_factory=dict)
    seen: Mapping[str, int] = field(default_factory=dict)
    problems: tuple[str, ...] = ()
    timezone: str | None = None

    def __len__(self) -> int:
        return len(self.events)


@dataclass(frozen=True)
class NewEvent:
    """An event of the new build before it is stamped: its content lines, unfolded and escaped,
    between BEGIN:VEVENT and END:VEVENT (VALARMs included), without DTSTAMP, LAST-MODIFIED or
    SEQUENCE."""

    uid: str
    day: dt.date
    lines: tuple[str, ...]
    tzids: frozenset[str]

    def fingerprint(self) -> str:
        """The same digest ``fingerprint`` gives for this event once written."""
        return _digest([b"BEGIN:VEVENT", *(line.encode() for line in self.lines), b"END:VEVENT"])

    def stamped(self, sequence: int, stamp: dt.datetime) -> bytes:
        """The VEVENT as written: folded, with DTSTAMP and LAST-MODIFIED at ``stamp`` (UTC) and
        the given SEQUENCE just after BEGIN:VEVENT."""
        body = b"".join(fold(line) for line in self.lines)
        return b"BEGIN:VEVENT\r\n" + stamps(sequence, stamp) + body + b"END:VEVENT\r\n"


@dataclass(frozen=True)
class Block:
    """A VEVENT ready to be written, with what the calendar needs to hold it."""

    day: dt.date
    uid: str
    data: bytes
    tzids: frozenset[str]


# --------------------------------------------------------------------------- lines


def content_lines(data: bytes) -> list[tuple[bytes, bytes]]:
    """Each content line unfolded (RFC 5545 3.1), with its bytes as written (folds kept, CRLF
    line ends, CRLF at the end).  Bare LF line ends are read too."""
    lines: list[tuple[bytes, bytes]] = []
    for physical in data.replace(b"\r\n", b"\n").split(b"\n"):
        if physical[:1] in (b" ", b"\t") and lines:
            logical, raw = lines[-1]
            lines[-1] = (logical + physical[1:], raw + physical + b"\r\n")
        elif physical:
            lines.append((physical, physical + b"\r\n"))
    return lines


def line_name(line: bytes) -> bytes:
    match = _NAME.match(line)
    return match.group(1).upper() if match else b""


def _digest(lines: list[bytes]) -> str:
    return hashlib.sha256(b"\n".join(lines)).hexdigest()


def fingerprint(vevent: bytes) -> str:
    """A digest of what the athlete sees in a VEVENT: all its lines (unfolded) but the stamps."""
    return _digest(
        [line for line, _ in content_lines(vevent) if line_name(line) not in STAMP_PROPERTIES]
    )


def tzids_of(vevent: bytes) -> frozenset[str]:
    """The TZIDs a VEVENT's times refer to."""
    return frozenset(
        m.group(2).decode() for line, _ in content_lines(vevent) for m in _TZID.finditer(line)
    )


def zone_named(name: str | None) -> dt.tzinfo | None:
    try:
        return ZoneInfo(name) if name else None
    except (ValueError, KeyError, OSError):  # not a zone this system knows
        return None


def start_of(line: bytes, zone: dt.tzinfo | None) -> tuple[dt.date, dt.datetime | None] | None:
    """The day of a DTSTART content line and the instant (UTC) its session counts as past: the
    start of a timed session, the end of an all-day one's day in ``zone`` (the athlete's).  None
    when the line is not one planc writes (a date, a UTC time or a TZID time)."""
    match = _DTSTART.match(line)
    if match is None:
        return None
    params, day_text, time_text, utc = match.groups()
    try:
        day = dt.datetime.strptime(day_text.decode(), "%Y%m%d").date()
        if time_text is None:
            if zone is None:
                return day, None
            end = dt.datetime.combine(day + dt.timedelta(days=1), dt.time(), tzinfo=zone)
            return day, end.astimezone(dt.UTC)
        clock = dt.datetime.strptime(time_text.decode(), "%H%M%S").time()
        tzids = [m.group(2).decode() for m in _TZID.finditer(params or b"")]
        where = dt.UTC if utc else zone_named(tzids[0]) if tzids else zone
        if where is None:
            return day, None
        return day, dt.datetime.combine(day, clock, tzinfo=where).astimezone(dt.UTC)
    except (ValueError, OverflowError):
        return None


@dataclass(frozen=True)
class Glimpse:
    """What the plain lines of a VEVENT show, without a full parse."""

    uid: str
    sequence: int | None
    dtstart: bytes
    day: dt.date
    past_from: dt.datetime | None
    cancelled: bool


def glimpse_of(block: bytes, zone: dt.tzinfo | None) -> Glimpse | None:
    """UID, SEQUENCE, DTSTART and STATUS of a VEVENT (whole or cut short) read from its lines
    alone; None without a UID and a DTSTART planc could have written."""
    uid = dtstart = None
    sequence: int | None = None
    cancelled = False
    depth = 0
    for line, _raw in content_lines(block):
        name = line_name(line)
        upper = line.upper()
        if upper.startswith(b"BEGIN:"):
            depth += 1
        elif upper.startswith(b"END:"):
            depth -= 1
        if depth != 1:
            continue  # a VALARM's lines are not the event's
        value = line.split(b":", 1)[1] if b":" in line else b""
        if name == b"UID":
            uid = value.decode("utf-8", "replace").replace("\\,", ",").replace("\\;", ";")
        elif name == b"SEQUENCE" and value.strip().isdigit():
            sequence = int(value)
        elif name == b"DTSTART":
            dtstart = line
        elif name == b"STATUS":
            cancelled = value.strip().upper() == b"CANCELLED"
    start = start_of(dtstart, zone) if dtstart is not None else None
    if not uid or dtstart is None or start is None:
        return Glimpse(uid, sequence, b"", dt.date.min, None, cancelled) if uid else None
    return Glimpse(uid, sequence, dtstart, start[0], start[1], cancelled)


def scan(lines: list[tuple[bytes, bytes]]) -> tuple[list[bytes], list[bytes]]:
    """The VEVENTs among ``lines``, wherever they are: those that end (END:VEVENT at their own
    depth) and those cut short (by the end of the data, another BEGIN:VEVENT or a calendar's
    BEGIN or END)."""
    whole: list[bytes] = []
    cut: list[bytes] = []
    current: bytes | None = None
    depth = 0
    for line, raw in lines:
        upper = line.upper()
        if upper in (b"BEGIN:VEVENT", b"BEGIN:VCALENDAR", b"END:VCALENDAR"):
            if current is not None:
                cut.append(current)
                current = None
            if upper == b"BEGIN:VEVENT":
                current, depth = raw, 1
            continue
        if current is None:
            continue
        current += raw
        if upper.startswith(b"BEGIN:"):
            depth += 1
        elif upper.startswith(b"END:"):
            depth -= 1
            if depth == 0:
                (whole if upper == b"END:VEVENT" else cut).append(current)
                current = None
    if current is not None:
        cut.append(current)
    return whole, cut


def feed_timezone(lines: list[tuple[bytes, bytes]]) -> str | None:
    for line, _raw in lines:
        if line.upper() == b"BEGIN:VEVENT":
            return None
        if line_name(line) == b"X-WR-TIMEZONE":
            name = line.split(b":", 1)[1].decode("utf-8", "replace")
            return name if zone_named(name) is not None else None
    return None


# --------------------------------------------------------------------------- stamps


def stamped(content: bytes, sequence: int, stamp: dt.datetime) -> bytes:
    """A serialized VEVENT with DTSTAMP and LAST-MODIFIED at ``stamp`` (UTC) and the given
    SEQUENCE, in place of any it had.  Works on the bytes: the event is serialized once."""
    lines = [raw for line, raw in content_lines(content) if line_name(line) not in STAMP_PROPERTIES]
    return lines[0] + stamps(sequence, stamp) + b"".join(lines[1:])  # just after BEGIN:VEVENT


def stamps(sequence: int, stamp: dt.datetime) -> bytes:
    when = utc_time(stamp).encode()
    return (
        b"DTSTAMP:" + when + b"\r\n"
        b"LAST-MODIFIED:" + when + b"\r\n"
        b"SEQUENCE:" + str(sequence).encode() + b"\r\n"
    )
