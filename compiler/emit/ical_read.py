"""Reading a published feed back: ``read_feed`` reads the last ``plan.ics`` (or ``busy.ics``)
into a ``FeedState``, and ``record_of``, ``read_record`` and ``recover`` keep and use the record
beside it.

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
from typing import Any

from .ical_state import (
    RECORD_FINGERPRINT,
    EventState,
    FeedState,
    Glimpse,
    content_lines,
    feed_timezone,
    fingerprint,
    glimpse_of,
    scan,
    start_of,
    tzids_of,
    zone_named,
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


def _read_event(block: bytes, zone: dt.tzinfo | None) -> EventState | None:
    import icalendar  # only to read a previous feed back

    event = icalendar.Event.from_ical(block)
    if not isinstance(event, icalendar.Event) or event.errors:
        return None
    uid, start = event.get("UID"), event.get("DTSTART")
    if uid is None or start is None or not isinstance(start.dt, dt.date):
        return None
    modified = event.get("LAST-MODIFIED")
    glimpse = glimpse_of(block, zone)
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


def _from_glimpse(glimpse: Glimpse, sequence: int) -> EventState:
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


def _shape(lines: list[tuple[bytes, bytes]]) -> str:
    """Why ``lines`` are not one well-nested VCALENDAR, in words."""
    if not lines or lines[0][0].upper() != b"BEGIN:VCALENDAR":
        first = lines[0][0][:40].decode("utf-8", "replace") if lines else ""
        shown = "".join(c if c.isprintable() else "?" for c in first)
        return f"it is not a calendar (it starts with {shown!r}: an error page, another file?)"
    if lines[-1][0].upper() != b"END:VCALENDAR":
        return "it is cut short (it does not end with END:VCALENDAR)"
    return "its BEGIN and END lines do not match"


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


def _damaged_copies(events: dict[str, EventState], partial: list[Glimpse]) -> dict[str, int]:
    """Take in the damaged copies of events, whose SEQUENCE is never lowered: an event read
    whole gets a higher SEQUENCE one shows (and no fingerprint: its content is unsure), one
    with a DTSTART is kept from its glimpse (in ``events``, updated in place); the UIDs seen
    without a DTSTART are returned with the highest SEQUENCE seen (``FeedState.seen``)."""
    seen: dict[str, int] = {}
    for glimpse in partial:
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
    return seen


def _salvage(data: bytes) -> FeedState:
    """``read_feed`` of a feed that is there: every event it can read, whole or glimpsed.  A
    last line the end of the data cuts (no line break after it) is not read: a feed cut in the
    middle of `UID:half-marathon-2027...` would otherwise keep an event with the UID `ha`."""
    if not data.endswith(b"\n"):
        data = data[: data.rfind(b"\n") + 1]
    lines = content_lines(data)
    problems: list[str] = []
    if _vevents(lines) is None or lines[0][0].upper() != b"BEGIN:VCALENDAR":
        problems.append(_shape(lines))
    timezone = feed_timezone(lines)
    zone = zone_named(timezone)
    whole, cut = scan(lines)
    events: dict[str, EventState] = {}
    doubled: set[str] = set()
    partial: list[Glimpse] = []
    for block in whole:
        try:
            state = _read_event(block, zone)
        except Exception:
            state = None
        if state is None:
            glimpse = glimpse_of(block, zone)
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
        glimpse = glimpse_of(block, zone)
        if glimpse is not None:
            partial.append(glimpse)
    unread = sorted({g.uid for g in partial} - set(events))
    seen = _damaged_copies(events, partial)
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


def record_of(data: bytes) -> dict[str, Any]:
    """What the record keeps of a feed planc has just written (JSON-ready): the athlete's zone
    and, per event, [UID, SEQUENCE, DTSTART line, fingerprint prefix, cancelled].  Read from the
    lines alone (the feed is planc's own): fast enough to do on every build."""
    lines = content_lines(data)
    timezone = feed_timezone(lines)
    events = []
    for block in scan(lines)[0]:
        glimpse = glimpse_of(block, None)
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
    zone = zone_named(timezone)
    events: dict[str, EventState] = {}
    for item in data["events"]:
        try:
            uid, sequence, dtstart, digest, cancelled = item
            line = str(dtstart).encode()
            start = start_of(line, zone)
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
