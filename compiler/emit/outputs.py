"""One athlete's output files, by name, from its Plan and what the previous build published
(``plan_files``), and the record kept beside them so a rebuild can carry the feeds' history on
(``record_bytes``, ``carry_over``).  Pure: the bytes come in and go out; reading the previous
build's folder is compiler/site/published.py, writing is compiler/site/writer.py.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from ..diagnostics import Diagnostic, warning
from ..model import Plan
from .html import emit_html
from .ical import emit_busy_ics, emit_ics
from .ical_read import read_feed, read_record, record_of, recover
from .ical_state import FeedState
from .json_plan import emit_json
from .markdown import emit_markdown
from .registry import BUSY_ICS, INDEX_HTML, PLAN_ICS, PLAN_JSON, PLAN_MD, plan_outputs
from .registry import feeds as feed_names
from .workout_words import PlanWords, plan_words

FEEDS = feed_names()  # feeds whose previous version a rebuild updates in place
RECORD = ".planc-record.json"  # beside an athlete's outputs: what rebuilds carry on from


@dataclass(frozen=True)
class Carried:
    """What a rebuild carries on from the previous build of an athlete: each feed's state (read
    from the feed, with what the record remembers, ``ical_read.recover``), the first day of the
    published plan, and warnings for feeds that were damaged or missing."""

    feeds: Mapping[str, FeedState]
    started: dt.date | None = None
    warnings: tuple[Diagnostic, ...] = ()


def carry_over(previous: Mapping[str, bytes], where: str) -> Carried:
    """Read what ``published`` found in an athlete's folder (``where``, for the warnings): the
    feeds, the record (``RECORD``) and, for folders built before the record, the plan's start
    from plan.json.  A feed that is damaged, or gone while the record remembers it, is warned
    about: subscribers' calendars only update in place as long as the history is known."""
    try:
        loaded = json.loads(previous.get(RECORD, b"") or b"null")
    except ValueError:  # a damaged record: the feeds alone, as before there was one
        loaded = None
    record: dict[str, Any] = loaded if isinstance(loaded, dict) else {}
    feeds: dict[str, FeedState] = {}
    warnings: list[Diagnostic] = []
    feeds_kept = record.get("feeds")
    kept: dict[str, Any] = feeds_kept if isinstance(feeds_kept, dict) else {}
    for name in feed_names():
        data = previous.get(name)
        feed, remembered = read_feed(data), read_record(kept.get(name))
        feeds[name] = recover(feed, remembered)
        if feed.problems or (not data and len(remembered)):
            warnings.append(_feed_warning(f"{where}/{name}", feed, remembered))
    started = _date(record.get("start"))
    if started is None and RECORD not in previous:
        try:
            started = _date(json.loads(previous.get(PLAN_JSON.name, b"") or b"null")["start"])
        except (ValueError, TypeError, KeyError):
            started = None
    return Carried(feeds, started, tuple(warnings))


def _date(value: object) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        return None


def _feed_warning(path: str, feed: FeedState, record: FeedState) -> Diagnostic:
    """The warning for a published feed that could not be read whole: what was wrong, what was
    saved, and what it means for the calendars subscribed to it."""
    name = path.rsplit("/", 1)[-1]
    what = "; ".join(feed.problems) if feed.problems else "it is missing"
    more = len(set(record.events) - set(feed.events))
    saved = f"{len(feed)} event{'s' * (len(feed) != 1)} read from it"
    if len(record):
        message = (
            f"the published {name} is damaged ({what}): {saved}, {more} more from the build "
            f"record ({RECORD}); the history is rebuilt from the record, so no event's SEQUENCE "
            "goes down, but past sessions that are no longer in the plan leave the calendar"
        )
        hint = (
            "subscribed calendars still update in place; to keep every past session as it was, "
            f"put {name} back from a backup or the published site before the next build"
        )
    else:
        message = (
            f"the published {name} is damaged ({what}): {saved}; the history of the events "
            "that could not be read is lost (no build record to rebuild it from)"
        )
        hint = (
            "subscribed calendars may keep stale copies of the lost events: a changed workout "
            "may not update and a removed one may stay; put the feed back from a backup before "
            "building again, or ask the athletes to remove and re-add the calendar"
        )
    return warning("damaged-feed", message, path, None, hint)


def record_bytes(files: Mapping[str, bytes], plan: Plan) -> bytes:
    """The record kept beside an athlete's outputs (``RECORD``, JSON): the plan's first day and,
    per feed, every event's UID, SEQUENCE, DTSTART, a short fingerprint and whether it is
    cancelled, so a rebuild can carry the history on when a published feed is damaged or gone
    (``carry_over``).  Made from the feeds as written."""
    data = {
        "start": plan.start.isoformat(),
        "feeds": {name: record_of(files[name]) for name in feed_names() if name in files},
    }
    return (json.dumps(data, separators=(",", ":"), sort_keys=True) + "\n").encode("utf-8")


@dataclass(frozen=True)
class Emission:
    """What an emitter is given: the plan, its words (worded once for every output), and the
    build's options.  ``carried``: the feeds' history (``carry_over``)."""

    plan: Plan
    words: PlanWords
    stamp: dt.datetime
    domain: str
    carried: Carried
    today: dt.date | None
    base_url: str | None
    watch: bool


Emitter = Callable[[Emission], bytes]


def _plan_ics(e: Emission) -> bytes:
    previous = e.carried.feeds.get(PLAN_ICS.name)
    return emit_ics(e.plan, stamp=e.stamp, domain=e.domain, previous=previous, words=e.words)


def _busy_ics(e: Emission) -> bytes:
    previous = e.carried.feeds.get(BUSY_ICS.name)
    return emit_busy_ics(e.plan, stamp=e.stamp, domain=e.domain, previous=previous)


def _plan_md(e: Emission) -> bytes:
    return emit_markdown(e.plan, e.words, watch=e.watch)


def _index_html(e: Emission) -> bytes:
    return emit_html(e.plan, today=e.today, base_url=e.base_url, words=e.words, watch=e.watch)


def _plan_json(e: Emission) -> bytes:
    return emit_json(e.plan, e.words)


# How each of ``registry.plan_outputs()`` is made, by name (a test checks none is missing).
EMITTERS: dict[str, Emitter] = {
    PLAN_ICS.name: _plan_ics,
    BUSY_ICS.name: _busy_ics,
    PLAN_MD.name: _plan_md,
    INDEX_HTML.name: _index_html,
    PLAN_JSON.name: _plan_json,
}


def plan_files(
    plan: Plan,
    *,
    stamp: dt.datetime,
    domain: str,
    previous: Mapping[str, bytes] | Carried | None = None,
    today: dt.date | None = None,
    base_url: str | None = None,
    watch: bool = False,
) -> dict[str, bytes]:
    """One athlete's outputs (``registry.plan_outputs()``, in order), by file name.
    ``previous`` holds the feeds as last published (or what ``carry_over`` made of them and the
    record), so changed events get a higher SEQUENCE and removed ones are cancelled, not lost.
    ``watch``: the page and plan.md link each run's FIT file (the build writes them:
    ``site.athlete_build.watch_outputs``)."""
    carried = previous if isinstance(previous, Carried) else carry_over(previous or {}, "")
    words = plan_words(plan)  # what the outputs say of each workout, worded once for all of them
    emission = Emission(plan, words, stamp, domain, carried, today, base_url, watch)
    return {output.name: EMITTERS[output.name](emission) for output in plan_outputs()}
