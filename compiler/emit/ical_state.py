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
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from .ics_lines import fold, utc_time

KEEP_DAYS = 60  # events no longer in the plan are dropped this many days after their date
STAMP_PROPERTIES = frozenset({b"DTSTAMP", b"LAST-MODIFIED", b"SEQUENCE"})
CANCELLED_PREFIX = "Cancelled: "
_TZID = re.compile(rb";TZID=(\"?)([^;:\"]+)\1")
_NAME = re.compile(rb"^([A-Za-z0-9-]+)[;:]")


@dataclass(frozen=True)
class EventState:
    """One VEVENT of a published feed."""

    uid: str
    sequence: int
    fingerprint: str
    last_modified: dt.datetime | None
    day: dt.date  # the date of DTSTART
    cancelled: bool
    tzids: frozenset[str]  # the time zones its times refer to
    raw: bytes  # the whole VEVENT as published, folded, CRLF line ends, ending with CRLF


@dataclass(frozen=True)
class FeedState:
    """A published feed's events by UID; empty when there was none or it could not be read."""

    events: Mapping[str, EventState] = field(default_factory=dict)

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


def _as_date(value: dt.date | dt.datetime) -> dt.date:
    return value.date() if isinstance(value, dt.datetime) else value


def _read_event(block: bytes) -> EventState | None:
    import icalendar  # only to read a previous feed back

    event = icalendar.Event.from_ical(block)
    if not isinstance(event, icalendar.Event) or event.errors:
        return None
    uid, start = event.get("UID"), event.get("DTSTART")
    if uid is None or start is None or not isinstance(start.dt, dt.date):
        return None
    modified = event.get("LAST-MODIFIED")
    return EventState(
        uid=str(uid),
        sequence=int(event.get("SEQUENCE", 0)),
        fingerprint=fingerprint(block),
        last_modified=modified.dt if modified is not None else None,
        day=_as_date(start.dt),
        cancelled=str(event.get("STATUS", "")).upper() == "CANCELLED",
        tzids=tzids_of(block),
        raw=block,
    )


def read_feed(data: bytes | None) -> FeedState:
    """The events of a previously published feed.  A missing (None or empty), unreadable or
    malformed feed gives an empty state, so every event starts again at SEQUENCE 0; never
    raises."""
    try:
        blocks = _vevents(content_lines(data or b""))
        if blocks is None:
            return FeedState()
        events: dict[str, EventState] = {}
        for block in blocks:
            state = _read_event(block)
            if state is None or state.uid in events:
                return FeedState()
            events[state.uid] = state
        return FeedState(events)
    except Exception:  # whatever a broken file does to the parser, the build goes on
        return FeedState()


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
    summary saying so, SEQUENCE + 1."""
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


def merge_events(
    new: Iterable[NewEvent], previous: FeedState | None, stamp: dt.datetime
) -> list[Block]:
    """The events of the new feed, sorted by date then UID, given the previous feed's state.

    ``stamp`` is the build's time in UTC; its date decides which events left the plan in the past
    (kept as they were) or in the future (cancelled), and which are old enough to drop.
    """
    old = previous.events if previous is not None else {}
    today = stamp.date()
    blocks: list[Block] = []
    seen: set[str] = set()
    for event in new:
        seen.add(event.uid)
        before = old.get(event.uid)
        if before is not None and before.fingerprint == event.fingerprint():
            data = before.raw
        else:
            sequence = before.sequence + 1 if before is not None else 0
            data = event.stamped(sequence, stamp)
        blocks.append(Block(event.day, event.uid, data, event.tzids))
    for uid, before in old.items():
        if uid in seen or (today - before.day).days > KEEP_DAYS:
            continue
        past = before.day < today  # the plan moved on: the day happened, it was not withdrawn
        data = before.raw if before.cancelled or past else cancelled(before, stamp)
        blocks.append(Block(before.day, uid, data, before.tzids))
    return sorted(blocks, key=lambda b: (b.day, b.uid))
