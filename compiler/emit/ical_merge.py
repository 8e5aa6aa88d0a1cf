"""How a new build updates a published feed in place: ``merge_events`` decides, event by event,
what the new feed says given the previous one's ``FeedState`` (the rules are in
compiler/emit/ical_state.py's docstring), and ``cancelled`` withdraws an event.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from .ical_state import Block, EventState, FeedState, NewEvent, stamped, stamps
from .ics_lines import fold, text

KEEP_DAYS = 60  # events no longer in the plan are dropped this many days after their date


CANCELLED_PREFIX = "Cancelled: "


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
    return b"BEGIN:VEVENT\r\n" + stamps(sequence, stamp) + body + b"END:VEVENT\r\n"


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
