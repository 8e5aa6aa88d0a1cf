"""RFC 5545 content lines, written directly: TEXT escaping, parameter values, dates, times,
durations, and line folding.

The feeds are written with these instead of the icalendar library's object model, which spends
most of a build in per-property objects and in folding one character at a time; the bytes are the
same as icalendar writes for the properties planc uses (tests/test_ics_lines.py holds the two
against each other), so a feed published by an earlier planc keeps its events' SEQUENCE.  Reading
feeds back (``ical_state``) and describing time zones (VTIMEZONE) still go through icalendar.

Three things are stricter than icalendar: control characters other than tab, which RFC 5545 does
not allow in TEXT (3.3.11), are dropped rather than written raw; a backslash is always escaped
(icalendar first turns a literal ``\\N`` into a line break); and a fold never parts an escaped
backslash (``\\\\``), which icalendar's does when the cut falls just after one (see ``fold``).
"""

from __future__ import annotations

import datetime as dt
import re

CRLF = b"\r\n"
LIMIT = 75  # octets a physical line holds before the line break (RFC 5545 3.1)

# C0 controls but tab, and DEL: not allowed in TEXT; CR and LF are line breaks, handled apart
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_TEXT_SPECIAL = re.compile(r"[\\;,\r\n]")
_TEXT_ESCAPES = {"\\": "\\\\", ";": "\\;", ",": "\\,", "\n": "\\n", "\r": "\\n"}
_PARAM_UNSAFE = re.compile(r"[;:,]")
_BACKSLASH, _CARET = ord("\\"), ord("^")  # escape the character after them


def text(value: str) -> str:
    """A TEXT value (RFC 5545 3.3.11): backslash, semicolon and comma escaped, CRLF, LF and a
    lone CR written as ``\\n``, other control characters dropped."""
    if _CONTROL.search(value):
        value = _CONTROL.sub("", value)
    if not _TEXT_SPECIAL.search(value):
        return value
    value = value.replace("\r\n", "\n")
    return _TEXT_SPECIAL.sub(lambda m: _TEXT_ESCAPES[m.group()], value)


def param(value: str) -> str:
    """A parameter value (RFC 5545 3.2): quoted when it holds ``;``, ``:`` or ``,``; double
    quotes and control characters, which no parameter value may hold, dropped."""
    value = _CONTROL.sub("", value).replace('"', "").replace("\r", "").replace("\n", "")
    return f'"{value}"' if _PARAM_UNSAFE.search(value) else value


def date(value: dt.date) -> str:
    """A DATE value: ``YYYYMMDD``."""
    return f"{value.year:04d}{value.month:02d}{value.day:02d}"


def local_time(value: dt.datetime) -> str:
    """A DATE-TIME in local ("floating" or TZID) form: ``YYYYMMDDTHHMMSS``."""
    return f"{date(value)}T{value.hour:02d}{value.minute:02d}{value.second:02d}"


def utc_time(value: dt.datetime) -> str:
    """A DATE-TIME in UTC: ``YYYYMMDDTHHMMSSZ`` (a naive value is taken as UTC)."""
    if value.tzinfo is not None:
        value = value.astimezone(dt.UTC)
    return local_time(value) + "Z"


def duration(value: dt.timedelta) -> str:
    """A DURATION value (RFC 5545 3.3.6) as icalendar writes it: ``-PT15M``, ``P1DT2H``, ``P0D``
    (microseconds are dropped)."""
    sign = ""
    if value.days < 0:
        sign, value = "-", -value
    clock = ""
    if value.seconds:
        hours, rest = divmod(value.seconds, 3600)
        minutes, seconds = divmod(rest, 60)
        clock = "T"
        if hours:
            clock += f"{hours}H"
        if minutes or (hours and seconds):
            clock += f"{minutes}M"
        if seconds:
            clock += f"{seconds}S"
    if value.days == 0 and clock:
        return f"{sign}P{clock}"
    return f"{sign}P{value.days}D{clock}"


def fold(line: str) -> bytes:
    """One content line as UTF-8, folded (RFC 5545 3.1) into physical lines of at most 75 octets
    (a continuation starts with a space), never inside a character nor inside an escape; ends
    with CRLF.

    Readers unfold before they unescape, so any cut is legal; but some calendar apps unescape
    each physical line, and a backslash left at the end of one makes the next line's first
    character an escape of its own.  Which backslashes escape is a matter of counting: in a run
    of them, the first escapes the second, the third the fourth, and so on, so a cut after a run
    of odd length would part a pair and moves back one (``\\\\`` pairs stay whole; icalendar's
    folding, which planc's matches otherwise, looks only at the last backslash and parts them).
    Carets, which escape in parameter values (RFC 6868: ``^^``, ``^n``, ``^'``), are counted the
    same way; backslashes last, so a TEXT value, in which a caret is plain, is always cut right.
    """
    data = line.encode()
    size = len(data)
    if size < LIMIT:
        return data + CRLF
    # Physical lines of at most 74 octets of the line (75 with the leading space).  No cut is
    # inside a backslash escape, so counting a run from the previous cut gives the parity that
    # counting from the start of the line would.  A chunk gives back at most 3 octets to a
    # character and 2 to escapes, so it is never empty.
    chunks: list[bytes] = []
    start = 0
    while size - start >= LIMIT:
        end = start + LIMIT - 1
        while data[end] & 0xC0 == 0x80:  # a continuation byte: the character does not fit
            end -= 1
        for escaper in (_CARET, _BACKSLASH):
            run = end
            while run > start and data[run - 1] == escaper:
                run -= 1
            if (end - run) % 2:  # the run's last one escapes the character after the cut
                end -= 1
        chunks.append(data[start:end])
        start = end
    chunks.append(data[start:])
    return b"\r\n ".join(chunks) + CRLF


def prop(name: str, value: str, params: str = "") -> bytes:
    """A whole content line ``NAME;PARAMS:VALUE``, folded; ``value`` is written as it is (escape
    TEXT with ``text`` first), ``params`` is ``;KEY=VALUE...`` or empty."""
    return fold(f"{name}{params}:{value}")
