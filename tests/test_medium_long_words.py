"""A medium-long run is called one everywhere the athlete reads it: its card's title said
"Medium-long run · 16.5 km" while the calendar grid and the feed's summary called it an "Easy
run" (its category), in the page of round 21's 7-day 5K runner."""

from __future__ import annotations

import datetime as dt
import re

import icalendar
from review_athletes import R21_INJURY_MARATHON as INJURY_MARATHON
from test_properties import compile_profile

from compiler.emit import emit_html, emit_ics


def test_a_medium_long_run_is_named_so_in_the_calendar_and_the_feed() -> None:
    plan = compile_profile(INJURY_MARATHON).plan
    medium = [w for w in plan.workouts if w.role == "medium-long"]
    assert medium, "the pinned marathoner runs medium-long runs"
    feed = icalendar.Calendar.from_ical(
        emit_ics(plan, stamp=dt.datetime(2026, 11, 22, 8, 0, tzinfo=dt.UTC))
    )
    summaries = {str(event["UID"]): str(event["SUMMARY"]) for event in feed.walk("VEVENT")}
    for workout in medium:
        (summary,) = [text for uid, text in summaries.items() if uid.startswith(workout.uid)]
        assert summary.startswith("Medium-long run"), summary
    page = emit_html(plan, today=dt.date(2026, 11, 22))
    text = page.decode() if isinstance(page, bytes) else page
    # the calendar grid's cells: the long word and the phone's short one
    cells = re.findall(r'<span class="long">([^<]+)</span><span class="short">([^<]+)</span>', text)
    assert cells.count(("Medium-long run", "Med-long")) == len(medium), cells
