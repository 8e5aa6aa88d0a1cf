"""What a previously published feed said, and how a new build updates it in place.

``read_feed`` reads the bytes of the last ``plan.ics`` (or ``busy.ics``) into a ``FeedState``: per
UID the SEQUENCE, a fingerprint of everything the athlete sees, LAST-MODIFIED and the whole VEVENT.
``merge_events`` then decides, event by event, what the new feed says:

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

A damaged feed is not forgotten.  ``read_feed`` keeps what it can, event by event: the VEVENTs
that read whole, and the UID, SEQUENCE and DTSTART still visible in the damaged ones (a truncated
last event, an event that does not parse, a UID written twice); ``FeedState.problems`` says in
words what could not be read, so the build can warn.  ``record_of`` keeps, beside the feed, each
event's UID, SEQUENCE, DTSTART, a short fingerprint and whether it is cancelled, and
``read_record`` and ``recover`` rebuild the history from it when the feed cannot be read: a
SEQUENCE that either of them can still see is never lowered.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

from .ics_lines import fold, text, utc_time

KEEP_DAYS = 60  # events no longer in the plan are dropped this many days after their date
STAMP_PROPERTIES = frozenset({b"DTSTAMP", b"LAST-MODIFIED", b"SEQUENCE"})
CANCELLED_PREFIX = "Cancelled: "
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
        return b"BEGIN:VEVENT\r\n" + _stamps(sequence, stamp) + body + b"END:VEVENT\r\n"


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


def _name(line: bytes) -> bytes:
    match = _NAME.match(line)
    return match.group(1).upper() if match else b""


def _digest(lines: list[bytes]) -> str:
    return hashlib.sha256(b"\n".join(lines)).hexdigest()


def fingerprint(vevent: bytes) -> str:
    """A digest of what the athlete sees in a VEVENT: all its lines (unfolded) but the stamps."""
    return _digest(
        [line for line, _ in content_lines(vevent) if _name(line) not in STAMP_PROPERTIES]
    )


def tzids_of(vevent: bytes) -> frozenset[str]:
    """The TZIDs a VEVENT's times refer to."""
    return frozenset(
        m.group(2).decode() for line, _ in content_lines(vevent) for m in _TZID.finditer(line)
    )


def _vevents(lines: list[tuple[bytes, bytes]]) -> list[bytes] | None:
    """The VEVENTs (as written) of one VCALENDAR's lines, or None when it is not one well-nested
    VCALENDAR."""
    stack: list[bytes] = []
    blocks: list[bytes] = []
    for index, (line, raw) in enumerate(lines):
        upper = line.upper()
        if upper.startswith(b"BEGIN:"):
            if (index == 0) != (upper == b"BEGIN:VCALENDAR") or (index > 0 and not stack):
                return None
            stack.append(upper[6:])
            if stack == [b"VCALENDAR", b"VEVENT"]:
                blocks.append(b"")
        if len(stack) >= 2 and stack[1] == b"VEVENT":
            blocks[-1] += raw
        if upper.startswith(b"END:") and (not stack or stack.pop() != upper[4:]):
            return None
        if not stack and index != len(lines) - 1:
            return None
    return blocks if lines and not stack else None


def _zone(name: str | None) -> dt.tzinfo | None:
    try:
        return ZoneInfo(name) if name else None
    except (ValueError, KeyError, OSError):  # not a zone this system knows
        return None


def _start(line: bytes, zone: dt.tzinfo | None) -> tuple[dt.date, dt.datetime | None] | None:
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
        where = dt.UTC if utc else _zone(tzids[0]) if tzids else zone
        if where is None:
            return day, None
        return day, dt.datetime.combine(day, clock, tzinfo=where).astimezone(dt.UTC)
    except (ValueError, OverflowError):
        return None


def _read_event(block: bytes, zone: dt.tzinfo | None) -> EventState | None:
    import icalendar  # only to read a previous feed back

    event = icalendar.Event.from_ical(block)
    if not isinstance(event, icalendar.Event) or event.errors:
        return None
    uid, start = event.get("UID"), event.get("DTSTART")
    if uid is None or start is None or not isinstance(start.dt, dt.date):
        return None
    modified = event.get("LAST-MODIFIED")
    glimpse = _glimpse(block, zone)
    return EventState(
        uid=str(uid),
        sequence=int(event.get("SEQUENCE", 0)),
        fingerprint=fingerprint(block),
        last_modified=modified.dt if modified is not None else None,
        day=glimpse.day if glimpse else _as_date(start.dt),
        cancelled=str(event.get("STATUS", "")).upper() == "CANCELLED",
        tzids=tzids_of(block),
        raw=block,
        dtstart=glimpse.dtstart if glimpse else b"",
        past_from=glimpse.past_from if glimpse else None,
    )


def _as_date(value: dt.date | dt.datetime) -> dt.date:
    return value.date() if isinstance(value, dt.datetime) else value


@dataclass(frozen=True)
class _Glimpse:
    """What the plain lines of a VEVENT show, without a full parse."""

    uid: str
    sequence: int | None
    dtstart: bytes
    day: dt.date
    past_from: dt.datetime | None
    cancelled: bool


def _glimpse(block: bytes, zone: dt.tzinfo | None) -> _Glimpse | None:
    """UID, SEQUENCE, DTSTART and STATUS of a VEVENT (whole or cut short) read from its lines
    alone; None without a UID and a DTSTART planc could have written."""
    uid = dtstart = None
    sequence: int | None = None
    cancelled = False
    depth = 0
    for line, _raw in content_lines(block):
        name = _name(line)
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
    start = _start(dtstart, zone) if dtstart is not None else None
    if not uid or dtstart is None or start is None:
        return _Glimpse(uid, sequence, b"", dt.date.min, None, cancelled) if uid else None
    return _Glimpse(uid, sequence, dtstart, start[0], start[1], cancelled)


def _from_glimpse(glimpse: _Glimpse, sequence: int) -> EventState:
    return EventState(
        uid=glimpse.uid,
        sequence=sequence,
        fingerprint="",
        last_modified=None,
        day=glimpse.day,
        cancelled=glimpse.cancelled,
        tzids=tzids_of(glimpse.dtstart),
        raw=None,
        dtstart=glimpse.dtstart,
        past_from=glimpse.past_from,
    )


def _scan(lines: list[tuple[bytes, bytes]]) -> tuple[list[bytes], list[bytes]]:
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


def _shape(lines: list[tuple[bytes, bytes]]) -> str:
    """Why ``lines`` are not one well-nested VCALENDAR, in words."""
    if not lines or lines[0][0].upper() != b"BEGIN:VCALENDAR":
        first = lines[0][0][:40].decode("utf-8", "replace") if lines else ""
        shown = "".join(c if c.isprintable() else "?" for c in first)
        return f"it is not a calendar (it starts with {shown!r}: an error page, another file?)"
    if lines[-1][0].upper() != b"END:VCALENDAR":
        return "it is cut short (it does not end with END:VCALENDAR)"
    return "its BEGIN and END lines do not match"


def _timezone(lines: list[tuple[bytes, bytes]]) -> str | None:
    for line, _raw in lines:
        if line.upper() == b"BEGIN:VEVENT":
            return None
        if _name(line) == b"X-WR-TIMEZONE":
            name = line.split(b":", 1)[1].decode("utf-8", "replace")
            return name if _zone(name) is not None else None
    return None


def read_feed(data: bytes | None) -> FeedState:
    """The events of a previously published feed, as many as can be read.  A missing (None or
    empty) feed gives an empty state without problems; a damaged one keeps, event by event, what
    it can, and says in ``problems`` what it could not read.  Never raises."""
    if not data:
        return FeedState()
    try:
        return _salvage(data)
    except Exception:  # whatever a broken file does to the parser, the build goes on
        return FeedState(problems=("it cannot be read at all",))


def _salvage(data: bytes) -> FeedState:
    lines = content_lines(data)
    problems: list[str] = []
    if _vevents(lines) is None or lines[0][0].upper() != b"BEGIN:VCALENDAR":
        problems.append(_shape(lines))
    timezone = _timezone(lines)
    zone = _zone(timezone)
    whole, cut = _scan(lines)
    events: dict[str, EventState] = {}
    doubled: set[str] = set()
    partial: list[_Glimpse] = []
    for block in whole:
        try:
            state = _read_event(block, zone)
        except Exception:
            state = None
        if state is None:
            glimpse = _glimpse(block, zone)
            if glimpse is None:
                problems.append("an event without a UID cannot be read")
            else:
                partial.append(glimpse)
            continue
        other = events.get(state.uid)
        if other is not None:
            doubled.add(state.uid)
            keep = max(other, state, key=lambda e: e.sequence)
            if other.fingerprint != state.fingerprint:  # which one a calendar holds is unknown
                keep = dataclasses.replace(keep, fingerprint="")
            state = keep
        events[state.uid] = state
    for block in cut:
        glimpse = _glimpse(block, zone)
        if glimpse is not None:
            partial.append(glimpse)
    unread = sorted({g.uid for g in partial} - set(events))
    seen: dict[str, int] = {}
    for glimpse in partial:  # the damaged copies: a SEQUENCE they show is never lowered
        sequence = glimpse.sequence or 0
        have = events.get(glimpse.uid)
        if have is not None:
            if sequence > have.sequence:
                events[glimpse.uid] = dataclasses.replace(have, sequence=sequence, fingerprint="")
        elif glimpse.dtstart:
            events[glimpse.uid] = _from_glimpse(glimpse, max(sequence, seen.pop(glimpse.uid, 0)))
        else:
            seen[glimpse.uid] = max(seen.get(glimpse.uid, 0), sequence)
    for uid in list(seen):
        if uid in events:
            state = events[uid]
            events[uid] = dataclasses.replace(state, sequence=max(state.sequence, seen.pop(uid)))
    if unread:
        problems.append(
            f"{len(unread)} event{'s' * (len(unread) != 1)} cannot be read whole (e.g. {unread[0]})"
        )
    if doubled:
        first = sorted(doubled)[0]
        problems.append(
            f"{len(doubled)} UID{'s' * (len(doubled) != 1)} appear more than once (e.g. {first})"
        )
    return FeedState(events, seen, tuple(problems), timezone)


# --------------------------------------------------------------------------- the record


def record_of(data: bytes) -> dict[str, Any]:
    """What the record keeps of a feed planc has just written (JSON-ready): the athlete's zone
    and, per event, [UID, SEQUENCE, DTSTART line, fingerprint prefix, cancelled].  Read from the
    lines alone (the feed is planc's own): fast enough to do on every build."""
    lines = content_lines(data)
    timezone = _timezone(lines)
    events = []
    for block in _scan(lines)[0]:
        glimpse = _glimpse(block, None)
        if glimpse is None or not glimpse.dtstart:
            continue
        events.append(
            [
                glimpse.uid,
                glimpse.sequence or 0,
                glimpse.dtstart.decode("utf-8", "replace"),
                fingerprint(block)[:RECORD_FINGERPRINT],
                glimpse.cancelled,
            ]
        )
    return {"timezone": timezone, "events": events}


def read_record(data: Any) -> FeedState:
    """The state ``record_of`` kept (as loaded from JSON); empty when it is missing or not one.
    Its events have no raw VEVENT: unchanged ones are re-stamped at the same SEQUENCE, changed
    ones get SEQUENCE + 1, and ones that left the plan are cancelled from their DTSTART."""
    if not isinstance(data, dict) or not isinstance(data.get("events"), list):
        return FeedState()
    timezone = data.get("timezone") if isinstance(data.get("timezone"), str) else None
    zone = _zone(timezone)
    events: dict[str, EventState] = {}
    for item in data["events"]:
        try:
            uid, sequence, dtstart, digest, cancelled = item
            line = str(dtstart).encode()
            start = _start(line, zone)
            if not isinstance(uid, str) or start is None or int(sequence) < 0:
                continue
        except (TypeError, ValueError):
            continue
        before = events.get(uid)
        if before is not None and before.sequence >= int(sequence):
            continue
        events[uid] = EventState(
            uid=uid,
            sequence=int(sequence),
            fingerprint=str(digest)[:RECORD_FINGERPRINT],
            last_modified=None,
            day=start[0],
            cancelled=bool(cancelled),
            tzids=tzids_of(line),
            raw=None,
            dtstart=line,
            past_from=start[1],
        )
    return FeedState(events, timezone=timezone)


def recover(feed: FeedState, record: FeedState) -> FeedState:
    """The feed's state with what the record remembers: per UID the one with the higher
    SEQUENCE (the feed's on a tie, for its bytes, unless the feed's copy is damaged).  The record
    fills in events the feed lost and outranks a feed older than the last build (a backup put
    back): no SEQUENCE goes down."""
    events = dict(feed.events)
    for uid, kept in record.events.items():
        have = events.get(uid)
        if (
            have is None
            or kept.sequence > have.sequence
            or (not have.fingerprint and kept.sequence == have.sequence)
        ):
            sequence = max(kept.sequence, feed.seen.get(uid, 0))
            events[uid] = dataclasses.replace(kept, sequence=sequence)
    seen = {uid: n for uid, n in feed.seen.items() if uid not in events}
    return FeedState(events, seen, feed.problems, feed.timezone or record.timezone)


# --------------------------------------------------------------------------- updates


def stamped(content: bytes, sequence: int, stamp: dt.datetime) -> bytes:
    """A serialized VEVENT with DTSTAMP and LAST-MODIFIED at ``stamp`` (UTC) and the given
    SEQUENCE, in place of any it had.  Works on the bytes: the event is serialized once."""
    lines = [raw for line, raw in content_lines(content) if _name(line) not in STAMP_PROPERTIES]
    return lines[0] + _stamps(sequence, stamp) + b"".join(lines[1:])  # just after BEGIN:VEVENT


def _stamps(sequence: int, stamp: dt.datetime) -> bytes:
    when = utc_time(stamp).encode()
    return (
        b"DTSTAMP:" + when + b"\r\n"
        b"LAST-MODIFIED:" + when + b"\r\n"
        b"SEQUENCE:" + str(sequence).encode() + b"\r\n"
    )


def cancelled(previous: EventState, stamp: dt.datetime) -> bytes:
    """A published event withdrawn from the plan: STATUS:CANCELLED, free time, no alarm, the
    summary saying so, SEQUENCE + 1.  An event known without its VEVENT (from the record) is
    written from its UID and DTSTART alone."""
    if previous.raw is None:
        return _cancelled_bare(previous, previous.sequence + 1, stamp)
    import icalendar

    event = icalendar.Event.from_ical(previous.raw)
    event.subcomponents = [c for c in event.subcomponents if c.name != "VALARM"]
    summary = str(event.pop("SUMMARY", ""))
    if not summary.startswith(CANCELLED_PREFIX):
        summary = CANCELLED_PREFIX + summary
    for name in ("STATUS", "TRANSP"):
        event.pop(name, None)
    event.add("summary", summary)
    event.add("status", "CANCELLED")
    event.add("transp", "TRANSPARENT")
    return stamped(event.to_ical(), previous.sequence + 1, stamp)


def _cancelled_bare(previous: EventState, sequence: int, stamp: dt.datetime) -> bytes:
    lines = (
        "SUMMARY:" + CANCELLED_PREFIX.rstrip(": "),
        previous.dtstart.decode("utf-8", "replace"),
        f"UID:{text(previous.uid)}",
        "STATUS:CANCELLED",
        "TRANSP:TRANSPARENT",
    )
    body = b"".join(fold(line) for line in lines)
    return b"BEGIN:VEVENT\r\n" + _stamps(sequence, stamp) + body + b"END:VEVENT\r\n"


def _same(before: EventState, digest: str) -> bool:
    """Whether ``digest`` (a new event's fingerprint) is what ``before`` was published with."""
    return bool(before.fingerprint) and digest.startswith(before.fingerprint)


def merge_events(
    new: Iterable[NewEvent], previous: FeedState | None, stamp: dt.datetime
) -> list[Block]:
    """The events of the new feed, sorted by date then UID, given the previous feed's state.

    ``stamp`` is the build's time in UTC: a session already past then (``EventState.is_past``)
    keeps its published VEVENT, whether the plan still has it, words it differently or has moved
    on; one still to come that left the plan is cancelled; its date decides which are old enough
    to drop.  A UID the previous feed showed only in a damaged part gets a SEQUENCE above the one
    seen there.
    """
    old = previous.events if previous is not None else {}
    seen_before = previous.seen if previous is not None else {}
    today = stamp.date()
    blocks: list[Block] = []
    seen: set[str] = set()
    for event in new:
        seen.add(event.uid)
        before = old.get(event.uid)
        digest = event.fingerprint()
        if before is not None and before.raw is not None and before.is_past(stamp):
            data, tzids = before.raw, before.tzids  # history is not rewritten
        elif before is not None and _same(before, digest):
            data, tzids = before.raw or event.stamped(before.sequence, stamp), event.tzids
        else:
            if before is not None:
                sequence = before.sequence + 1
            elif event.uid in seen_before:
                sequence = seen_before[event.uid] + 1
            else:
                sequence = 0
            data, tzids = event.stamped(sequence, stamp), event.tzids
        blocks.append(Block(event.day, event.uid, data, tzids))
    for uid, before in old.items():
        if uid in seen or (today - before.day).days > KEEP_DAYS:
            continue
        past = before.is_past(stamp)  # the plan moved on: the session happened, not withdrawn
        if before.raw is None:
            if past or not before.dtstart:
                continue  # lost with the damaged feed: nothing to keep it as
            sequence = before.sequence + (not before.cancelled)
            data = _cancelled_bare(before, sequence, stamp)
        else:
            data = before.raw if before.cancelled or past else cancelled(before, stamp)
        blocks.append(Block(before.day, uid, data, before.tzids))
    return sorted(blocks, key=lambda b: (b.day, b.uid))
