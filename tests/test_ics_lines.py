"""The iCalendar content-line writer (compiler/emit/ics_lines.py) held against the icalendar
library: the same bytes for the values planc writes, so feeds published before the writer existed
keep their events' SEQUENCE; and RFC 5545's rules where icalendar is laxer."""

from __future__ import annotations

import datetime as dt
import importlib.util
import os
import re
import sys
from dataclasses import replace
from pathlib import Path
from typing import Any

import icalendar
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from ical.calendar_stream import IcsCalendarStream
from icalendar.parser.string import _escape_char, _foldline
from plan_factory import make_plan

from compiler.api import compile_plan, load_project
from compiler.emit import emit_busy_ics, emit_ics
from compiler.emit import ics_lines as ics
from compiler.emit.ical_state import stamped
from compiler.model import Plan
from compiler.resources import examples_dir

EXAMPLES = int(os.environ.get("PLANC_PROPERTY_EXAMPLES", "60")) * 5
STAMP = dt.datetime(2026, 1, 2, 3, 4, 5, tzinfo=dt.UTC)

# text as coaches and athletes write it: accents, emoji, the characters TEXT escapes, and the
# backslash and caret a fold must not separate from what they escape
_CHARS = st.sampled_from(list("ab z09 .:;,\\^\"'é€ñ😀—·\t\n")) | st.characters(
    blacklist_categories=("Cs", "Cc")
)
TEXT = st.text(_CHARS, max_size=300)
LINE = TEXT.map(ics.text)  # a content line's value is escaped before it is folded


def physical_lines(data: bytes) -> list[bytes]:
    """A folded content line's physical lines, without their CRLF and leading space."""
    assert data.endswith(b"\r\n")
    physical = data[:-2].split(b"\r\n")
    assert all(p.startswith(b" ") for p in physical[1:])
    return [physical[0], *(p[1:] for p in physical[1:])]


def parted_escapes(data: bytes) -> list[int]:
    """Where a fold of ``data`` (one folded content line) falls between a backslash and the
    character it escapes: offsets into the unfolded line.  Escapes are read from the left, as a
    TEXT value is (RFC 5545 3.3.11): a backslash escapes the character after it, whatever it is."""
    parts = physical_lines(data)
    line = b"".join(parts)
    cuts, at = set(), 0
    for part in parts[:-1]:
        at += len(part)
        cuts.add(at)
    escaped, i = set(), 0
    while i < len(line):
        if line[i : i + 1] == b"\\":
            escaped.add(i + 1)
            i += 2
        else:
            i += 1
    return sorted(cuts & escaped)


def unescape(value: str) -> str:
    """A TEXT value read back (RFC 5545 3.3.11), written here from the RFC, not taken from a
    library: ``\\\\``, ``\\;``, ``\\,`` and ``\\n`` or ``\\N`` from the left."""
    out, i = [], 0
    while i < len(value):
        if value[i] == "\\":
            escaped = value[i + 1]
            out.append("\n" if escaped in "nN" else escaped)
            i += 2
        else:
            out.append(value[i])
            i += 1
    return "".join(out)


def as_written(value: str) -> str:
    """What a TEXT value reads back as: line breaks as LF, control characters (but tab and line
    feed) and DEL dropped."""
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    return "".join(c for c in value if (c >= " " or c in "\t\n") and c != "\x7f")


@settings(max_examples=EXAMPLES, deadline=None)
@given(LINE)
def test_folding_is_icalendars_unless_icalendar_parts_an_escape(line: str) -> None:
    ours, theirs = ics.fold(line), (_foldline(line) + "\r\n").encode()
    assert not parted_escapes(ours)
    if ours != theirs:
        # icalendar moves a cut back from any backslash, so a cut just after an escaped
        # backslash ("\\\\" at the end of a physical line) parts that pair
        assert parted_escapes(theirs), (ours, theirs)
        assert b"".join(physical_lines(ours)) == b"".join(physical_lines(theirs))


def test_an_escaped_backslash_is_not_parted_where_icalendar_parts_it() -> None:
    # "SUMMARY:" and 64 letters are 72 octets, and the escaped backslash ends the 74 a physical
    # line holds: icalendar moves the cut back one, between the two backslashes
    line = "SUMMARY:" + "a" * 64 + ics.text("\\") + "b" * 10
    theirs = (_foldline(line) + "\r\n").encode()
    assert parted_escapes(theirs) == [73]
    assert ics.fold(line) == ("SUMMARY:" + "a" * 64 + "\\\\\r\n " + "b" * 10 + "\r\n").encode()


# Text made to be hard to fold: runs of backslashes (escaped as runs of pairs), the other
# characters TEXT escapes, line breaks of all three kinds, carets, and characters of two, three
# and four octets, combining marks included; and a prefix of 0 to 80 letters, so that the cuts
# fall at every offset of the escapes and characters.
_HOSTILE = st.sampled_from(
    [
        *("\\", "\\\\", "\\\\\\", ",", ";", "\n", "\r\n", "\r", "^", "^^", ":", '"', "a", " "),
        *("é", "ß", "€", "中", "😀", "𝄞", "e\u0301", "\u200d", "👩\u200d💻", "\\é", "\\😀", ";\\,"),
    ]
)
HOSTILE_TEXT = st.lists(_HOSTILE | st.characters(exclude_categories=["Cs"]), max_size=200).map(
    "".join
)


@settings(max_examples=EXAMPLES, deadline=None)
@given(st.sampled_from(["SUMMARY", "DESCRIPTION", "LOCATION"]), st.integers(0, 80), HOSTILE_TEXT)
def test_folding_never_parts_an_escape_or_a_character_and_text_reads_back_exactly(
    name: str, pad: int, value: str
) -> None:
    value = "a" * pad + value
    data = ics.prop(name, ics.text(value))
    parts = physical_lines(data)
    assert len(parts[0]) <= 75 and all(len(part) <= 74 for part in parts[1:])  # + the space
    for part in parts:
        part.decode("utf-8")  # a whole number of characters: no character is cut in two
    assert not parted_escapes(data)
    # each physical line unescapes on its own: no line ends inside an escape
    for part in parts:
        backslashes = len(part) - len(part.rstrip(b"\\"))
        assert backslashes % 2 == 0, part

    # unfolded and unescaped by hand, from the RFC
    line = b"".join(parts).decode("utf-8")
    assert line.startswith(f"{name}:")
    assert unescape(line[len(name) + 1 :]) == as_written(value)

    # and by two libraries: icalendar, and ical (strict RFC 5545) in a whole calendar
    event = icalendar.Event.from_ical(b"BEGIN:VEVENT\r\n" + data + b"END:VEVENT\r\n")
    assert str(event[name]) == as_written(value)
    calendar = IcsCalendarStream.calendar_from_ics(
        (
            b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//planc//tests//EN\r\n"
            b"BEGIN:VEVENT\r\nUID:x@planc.invalid\r\nDTSTAMP:20260101T000000Z\r\n"
            b"DTSTART:20260101T000000Z\r\n" + data + b"END:VEVENT\r\nEND:VCALENDAR\r\n"
        ).decode("utf-8")
    )
    assert getattr(calendar.events[0], name.lower()) == as_written(value)


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
    theirs: Any = icalendar.vDuration(delta)  # to_ical is untyped
    assert ics.duration(delta) == theirs.to_ical().decode()


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
    sys.modules[spec.name] = module  # its dataclasses look their module up there
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


def content_lines(feed: bytes) -> list[bytes]:
    """A whole feed's content lines, each still folded and ending with CRLF."""
    assert feed.endswith(b"\r\n")
    return [line + b"\r\n" for line in re.split(rb"\r\n(?! )", feed[:-2])]


@settings(max_examples=EXAMPLES // 10, deadline=None)
@given(HOSTILE_TEXT, HOSTILE_TEXT)
def test_hostile_names_and_notes_fold_and_read_back_in_whole_feeds(name: str, note: str) -> None:
    name, note = f"<{name}>", f"<{note}>"  # the text's own ends, which planc would strip
    plan = make_plan(units="mi")
    first = plan.weeks[0]
    workout = replace(first.workouts[0], description=note)
    plan = replace(
        plan,
        athlete=replace(plan.athlete, name=name),
        weeks=(replace(first, workouts=(workout, *first.workouts[1:])), *plan.weeks[1:]),
    )
    feed = emit_ics(plan, stamp=STAMP)
    for data in (feed, emit_busy_ics(plan, stamp=STAMP)):
        for line in content_lines(data):
            assert not parted_escapes(line), line
            for part in physical_lines(line):
                part.decode("utf-8")
    uid = f"{workout.uid}@planc.invalid"
    loose = icalendar.Calendar.from_ical(feed)
    assert as_written(name) in str(loose["DESCRIPTION"])
    (event,) = (e for e in loose.walk("VEVENT") if str(e["UID"]) == uid)
    assert as_written(note) in str(event["DESCRIPTION"])
    tight = IcsCalendarStream.calendar_from_ics(feed.decode("utf-8"))
    (strict_event,) = (e for e in tight.events if e.uid == uid)
    assert strict_event.description is not None and as_written(note) in strict_event.description
