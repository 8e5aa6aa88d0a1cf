"""The iCalendar content-line writer (compiler/emit/ics_lines.py) held against the icalendar
library: the same bytes for the values planc writes, so feeds published before the writer existed
keep their events' SEQUENCE; and RFC 5545's rules where icalendar is laxer."""

from __future__ import annotations

import datetime as dt
import importlib.util
import os
import re
from dataclasses import replace
from pathlib import Path
from typing import Any

import icalendar
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from icalendar.parser.string import _escape_char, _foldline
from plan_factory import make_plan

from compiler.api import compile_plan, load_project
from compiler.emit import emit_busy_ics, emit_ics
from compiler.emit import ics_lines as ics
from compiler.emit.ical_state import stamped
from compiler.model import Plan
from compiler.resources import examples_dir

EXAMPLES = int(os.environ.get("PLANC_PROPERTY_EXAMPLES", "60")) * 5

# text as coaches and athletes write it: accents, emoji, the characters TEXT escapes, and the
# backslash and caret a fold must not separate from what they escape
_CHARS = st.sampled_from(list("ab z09 .:;,\\^\"'é€ñ😀—·\t\n")) | st.characters(
    blacklist_categories=("Cs", "Cc")
)
TEXT = st.text(_CHARS, max_size=300)
LINE = TEXT.map(ics.text)  # a content line's value is escaped before it is folded


@settings(max_examples=EXAMPLES, deadline=None)
@given(LINE)
def test_folding_is_icalendars(line: str) -> None:
    assert ics.fold(line) == (_foldline(line) + "\r\n").encode()


@settings(max_examples=EXAMPLES, deadline=None)
@given(LINE)
def test_folded_lines_keep_to_75_octets_and_unfold_to_the_line(line: str) -> None:
    data = ics.fold(line)
    assert data.endswith(b"\r\n")
    physical = data[:-2].split(b"\r\n")
    assert all(len(p) <= 75 for p in physical)
    assert all(p.startswith(b" ") for p in physical[1:])
    assert b"".join([physical[0], *(p[1:] for p in physical[1:])]).decode() == line


@settings(max_examples=EXAMPLES, deadline=None)
@given(TEXT.filter(lambda t: "\\N" not in t))
def test_text_escaping_is_icalendars(value: str) -> None:
    # icalendar turns a literal backslash-N into a line break first; planc escapes the backslash
    assert ics.text(value) == _escape_char(value)


def test_a_literal_backslash_n_stays_text() -> None:
    assert ics.text(r"C:\Notes") == r"C:\\Notes"


@settings(max_examples=EXAMPLES, deadline=None)
@given(st.text(max_size=80))
def test_text_reads_back_as_written_without_control_characters(value: str) -> None:
    line = ics.prop("SUMMARY", ics.text(value))
    event = icalendar.Event.from_ical(b"BEGIN:VEVENT\r\n" + line + b"END:VEVENT\r\n")
    expected = "".join(
        c for c in value.replace("\r\n", "\n").replace("\r", "\n") if c >= " " or c in "\t\n"
    ).replace("\x7f", "")
    assert str(event["SUMMARY"]) == expected


def test_control_characters_cannot_start_a_property() -> None:
    line = ics.prop("SUMMARY", ics.text("Easy\r\nATTACH:http://evil.example\x00\x1b"))
    assert line == b"SUMMARY:Easy\\nATTACH:http://evil.example\r\n"
    assert line.count(b"\r\n") == 1


@given(st.integers(-10 * 86400, 10 * 86400))
def test_durations_are_icalendars(seconds: int) -> None:
    delta = dt.timedelta(seconds=seconds)
    assert ics.duration(delta) == icalendar.vDuration(delta).to_ical().decode()


def test_dates_and_times() -> None:
    assert ics.date(dt.date(2027, 3, 7)) == "20270307"
    assert ics.local_time(dt.datetime(2027, 3, 7, 6, 5, 4)) == "20270307T060504"
    berlin = dt.datetime(2027, 3, 7, 7, 0, tzinfo=dt.timezone(dt.timedelta(hours=1)))
    assert ics.utc_time(berlin) == "20270307T060000Z"
    assert ics.utc_time(dt.datetime(2027, 3, 7, 6, 0)) == "20270307T060000Z"


def test_parameter_values_are_quoted_when_they_must_be() -> None:
    assert ics.param("Europe/Berlin") == "Europe/Berlin"
    assert ics.param("a;b") == '"a;b"'
    assert ics.param('say "hi":now') == '"say hi:now"'
    assert ics.param("x\r\ny") == "xy"


# --------------------------------------------------------------------------- whole feeds


def _bench() -> Any:
    """bench/run.py, whose baseline builds planc's feeds with the icalendar library."""
    path = Path(__file__).resolve().parent.parent / "bench" / "run.py"
    spec = importlib.util.spec_from_file_location("planc_bench", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _without_timezones(feed: bytes) -> bytes:
    return re.sub(rb"BEGIN:VTIMEZONE\r\n.*?END:VTIMEZONE\r\n", b"", feed, flags=re.S)


def _stamps_first(feed: bytes, stamp: dt.datetime) -> bytes:
    """icalendar writes DTSTAMP, SEQUENCE and LAST-MODIFIED among the other properties; planc
    writes them first in each VEVENT (as ``ical_state.stamped`` does)."""
    return re.sub(
        rb"BEGIN:VEVENT\r\n.*?END:VEVENT\r\n",
        lambda m: stamped(m.group(), 0, stamp),
        feed,
        flags=re.S,
    )


def _plans() -> list[Plan]:
    today = dt.date(2026, 11, 22)
    project = load_project([examples_dir()], today=today)
    plans = [compile_plan(bp, today) for bp in project.blueprints]
    plans += [make_plan(units="mi"), make_plan(units="km")]
    with_alarms = [
        replace(plan, athlete=replace(plan.athlete, calendar_alarm_s=seconds))
        for plan, seconds in zip(plans[-2:], (900, 5400), strict=True)
    ]
    return plans + with_alarms


@pytest.mark.skipif(not (Path(__file__).parent.parent / "bench").is_dir(), reason="source only")
def test_the_feeds_are_what_icalendar_writes_for_the_same_events() -> None:
    bench = _bench()
    stamp = bench.stamp()
    for plan in _plans():
        written = bench.icalendar_feeds(bench.feed_contents(plan, "bench.invalid"))
        expected = [_stamps_first(feed, stamp) for feed in written]
        feeds = [
            emit_ics(plan, stamp=stamp, domain="bench.invalid"),
            emit_busy_ics(plan, stamp=stamp, domain="bench.invalid"),
        ]
        assert [_without_timezones(feed) for feed in feeds] == expected, plan.athlete.id
    assert any(b"BEGIN:VALARM" in feed for feed in expected)
