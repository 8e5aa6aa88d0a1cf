"""Reports: diagnostics rendered for people (text, optionally colored), for programs (JSON) and
for GitHub Actions (workflow commands).

Everything here is a pure function of a :class:`Report`: nothing prints, exits or reads files, and
nothing imports the compiler stages, so the command line can render what any stage reported.  The
command line decides where the text goes and whether it is colored (see docs/diagnostics.md).

Columns are 1-based and counted in characters, like the columns of :class:`Diagnostic`.  The
*token* a diagnostic points at starts at its column and is a quoted string up to its closing
quote, a flow collection up to its closing bracket, or else the run of characters up to ``: ``,
``,``, ``]``, ``}``, `` #`` or the end of the line (trailing blanks dropped; at least one
character).  ``end_column`` is the column of the token's last character (inclusive).
"""

from __future__ import annotations

import json
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Final, Literal

from .diagnostics import EXIT_OK, EXIT_PROBLEMS, Diagnostic, Severity, sorted_diagnostics

Format = Literal["text", "json", "github"]
FORMATS: Final[tuple[Format, ...]] = ("text", "json", "github")
JSON_VERSION: Final = 1
SCHEMA_ID: Final = "https://planc.dev/schemas/diagnostics.schema.json"
TAB_WIDTH: Final = 4


def count(n: int, noun: str) -> str:
    """``1 file``, ``2 files``, ``0 files``: every count planc prints (nouns with a plain -s)."""
    return f"{n} {noun}{'s' * (n != 1)}"


@dataclass(frozen=True)
class Report:
    """The outcome of a run: its diagnostics (sorted by file, line, column; exact duplicates
    dropped), how many files were checked, and the text of the files read (display path -> text)
    for showing each diagnostic in its context."""

    diagnostics: tuple[Diagnostic, ...]
    files: int
    sources: Mapping[str, str] = field(default_factory=dict, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "diagnostics", tuple(sorted_diagnostics(self.diagnostics)))

    @property
    def errors(self) -> int:
        return sum(1 for d in self.diagnostics if d.severity is Severity.ERROR)

    @property
    def warnings(self) -> int:
        return sum(1 for d in self.diagnostics if d.severity is Severity.WARNING)

    def failed(self, strict: bool = False) -> bool:
        """Whether the run failed: any error, or with ``strict`` any warning too."""
        return self.errors > 0 or (strict and self.warnings > 0)

    def exit_code(self, strict: bool = False) -> int:
        """0 (clean) or 1 (problems found), like black's report: --strict counts warnings."""
        return EXIT_PROBLEMS if self.failed(strict) else EXIT_OK

    def summary(self) -> str:
        """``2 errors, 1 warning in 3 files``, or ``no problems in 3 files``."""
        where = f"in {count(self.files, 'file')}"
        if not self.diagnostics:
            return f"no problems {where}"
        return f"{count(self.errors, 'error')}, {count(self.warnings, 'warning')} {where}"


# --------------------------------------------------------------------------- source context


@dataclass(frozen=True)
class Snippet:
    """The source line a diagnostic points at and the span of the token there (1-based,
    inclusive columns; None when the diagnostic has no column)."""

    line: int
    text: str
    column: int | None
    end_column: int | None


def token_end(text: str, column: int) -> int:
    """The column of the last character of the token starting at ``column`` in ``text``."""
    column = max(column, 1)
    start = column - 1
    if start >= len(text) or text[start] in " \t":
        return column
    first = text[start]
    if first in "\"'":
        i = start + 1
        while i < len(text):
            if first == '"' and text[i] == "\\":
                i += 2
                continue
            if text[i] == first:
                if first == "'" and text[i + 1 : i + 2] == "'":  # '' inside '...'
                    i += 2
                    continue
                return i + 1
            i += 1
        end = len(text)
    elif first in "[{":
        depth = 0
        for i in range(start, len(text)):
            depth += (text[i] in "[{") - (text[i] in "]}")
            if depth == 0:
                return i + 1
        return column
    else:
        end = start
        while end < len(text):
            char = text[end]
            if char in ",]}" or (char == ":" and text[end + 1 : end + 2] in ("", " ", "\t")):
                break
            if char == "#" and end > start and text[end - 1] in " \t":
                break
            end += 1
    while end > start + 1 and text[end - 1] in " \t":
        end -= 1
    return max(end, start + 1)


@lru_cache(maxsize=16)
def _lines(source: str) -> tuple[str, ...]:
    return tuple(source.split("\n"))


def snippet(diagnostic: Diagnostic, sources: Mapping[str, str]) -> Snippet | None:
    """The source line of ``diagnostic`` and its token, when its file was read and has the line."""
    if diagnostic.file is None or diagnostic.line is None or diagnostic.line < 1:
        return None
    source = sources.get(diagnostic.file)
    if source is None:
        return None
    lines = _lines(source)
    if diagnostic.line > len(lines):
        return None
    text = lines[diagnostic.line - 1].removesuffix("\r")
    if diagnostic.column is None:
        return Snippet(diagnostic.line, text, None, None)
    column = max(diagnostic.column, 1)
    return Snippet(diagnostic.line, text, column, token_end(text, column))


# --------------------------------------------------------------------------- text

_BIDI = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def _unsafe(char: str) -> bool:
    """Characters a terminal would act on instead of showing: controls and bidi overrides."""
    return unicodedata.category(char) == "Cc" or char in _BIDI


_ESCAPES = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _one_line(text: str) -> str:
    """``text`` with control characters escaped, so one diagnostic stays one line."""
    if not any(_unsafe(c) for c in text):
        return text
    return "".join((_ESCAPES.get(c) or f"\\u{ord(c):04x}") if _unsafe(c) else c for c in text)


def _width(char: str) -> int:
    if unicodedata.category(char) in ("Mn", "Me", "Cf"):
        return 0
    return 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1


def _expand(text: str) -> tuple[str, list[int]]:
    """``text`` as shown (tabs expanded, unsafe characters replaced by U+FFFD) and the screen
    cell where each character starts (plus one entry for the end of the line)."""
    shown: list[str] = []
    cells: list[int] = []
    cell = 0
    for char in text:
        cells.append(cell)
        if char == "\t":
            pad = TAB_WIDTH - cell % TAB_WIDTH
            shown.append(" " * pad)
            cell += pad
            continue
        if _unsafe(char):
            char = "\ufffd"
        shown.append(char)
        cell += _width(char)
    cells.append(cell)
    return "".join(shown), cells


_RESET = "\x1b[0m"
_STYLES: Final[Mapping[str, str]] = {
    "error": "\x1b[1;31m",  # bold red
    "warning": "\x1b[33m",  # yellow
    "location": "\x1b[36m",  # cyan
    "hint": "\x1b[32m",  # green
    "caret": "\x1b[1m",  # bold
}


def _painter(color: bool) -> Callable[[str, str], str]:
    def paint(text: str, style: str) -> str:
        return f"{_STYLES[style]}{text}{_RESET}" if color and text else text

    return paint


SHOWN = 160  # characters of a source line the text report shows, around the token


def _window(text: str, column: int | None) -> tuple[str, int, str, str]:
    """The part of a long source line worth showing: SHOWN characters from a little before the
    token; with the offset of its first character and the marks for what was cut before and
    after.  A short line is shown whole."""
    if len(text) <= SHOWN:
        return text, 0, "", ""
    start = (column or 1) - 1
    first = max(0, min(start - SHOWN // 4, len(text) - SHOWN))
    last = first + SHOWN
    return text[first:last], first, "…" if first else "", "…" if last < len(text) else ""


@dataclass(frozen=True)
class TextParts:
    """A diagnostic as the text report writes it, in parts: the ``file:line:column: error[code]:
    message`` line, the source lines (the line and its caret, which must stay aligned) and the
    ``= hint: ...`` line.  For layouts that wrap prose but not code (`planc serve`'s panel)."""

    head: str
    code: tuple[str, ...]
    hint: str | None


def text_parts(diagnostic: Diagnostic, sources: Mapping[str, str]) -> TextParts:
    lines = _text_block(diagnostic, sources, color=False)
    hint = lines.pop() if diagnostic.hint else None
    return TextParts(lines[0], tuple(lines[1:]), hint)


def _text_block(diagnostic: Diagnostic, sources: Mapping[str, str], color: bool) -> list[str]:
    paint = _painter(color)
    d = diagnostic
    kind = paint(f"{d.severity.value}[{_one_line(d.code)}]", d.severity.value)
    lines = [f"{paint(_one_line(d.location()), 'location')}: {kind}: {_one_line(d.message)}"]
    found = snippet(d, sources)
    if found is not None:
        number = str(found.line)
        text, offset, before, after = _window(found.text, found.column)
        shown, cells = _expand(text)
        lines.append(f" {number} | {before}{shown}{after}".rstrip())
        if found.column is not None and found.end_column is not None:
            start = min(max(found.column - 1 - offset, 0), len(text))  # past the end: after it
            end = max(min(found.end_column - offset, len(text)), start)
            first = cells[start] + len(before)
            width = max(1, cells[end] + len(before) - first)
            caret = paint("^" + "~" * (width - 1), "caret")
            lines.append(f" {' ' * len(number)} | {' ' * first}{caret}")
    if d.hint:
        lines.append(paint(f"  = hint: {_one_line(d.hint)}", "hint"))
    return lines


def render_text(report: Report, *, color: bool = False) -> str:
    """Each diagnostic as ``file:line:column: error[code]: message``, its source line with a
    ``NN |`` gutter, a caret line under the token and ``= hint: ...``; then the summary line."""
    out: list[str] = []
    for diagnostic in report.diagnostics:
        out.extend(_text_block(diagnostic, report.sources, color))
        out.append("")
    out.append(report.summary())
    return "\n".join(out) + "\n"


# --------------------------------------------------------------------------- JSON


def diagnostic_data(diagnostic: Diagnostic, sources: Mapping[str, str]) -> dict[str, Any]:
    """One diagnostic as the JSON object of schemas/diagnostics.schema.json (fixed key order)."""
    found = snippet(diagnostic, sources)
    return {
        "severity": diagnostic.severity.value,
        "code": diagnostic.code,
        "message": diagnostic.message,
        "file": diagnostic.file,
        "line": diagnostic.line,
        "column": diagnostic.column,
        "end_column": found.end_column if found is not None else None,
        "hint": diagnostic.hint,
        "source": found.text if found is not None else None,
    }


def json_document(report: Report) -> dict[str, Any]:
    """The report as the document described by schemas/diagnostics.schema.json."""
    return {
        "version": JSON_VERSION,
        "summary": {"errors": report.errors, "warnings": report.warnings, "files": report.files},
        "diagnostics": [diagnostic_data(d, report.sources) for d in report.diagnostics],
    }


def render_json(report: Report) -> str:
    text = json.dumps(json_document(report), indent=2, ensure_ascii=False, allow_nan=False)
    return text + "\n"


# --------------------------------------------------------------------------- GitHub Actions


def escape_data(text: str) -> str:
    """A workflow command's message, escaped as the GitHub Actions runner expects."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """A workflow command's property value (file, title): also ``:`` and ``,``."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def github_annotation(diagnostic: Diagnostic, sources: Mapping[str, str]) -> str:
    """``::error file=F,line=L,col=C,endColumn=E,title=planc CODE::message (hint: ...)``;
    properties that are not known are left out."""
    d = diagnostic
    found = snippet(d, sources)
    properties: list[tuple[str, object]] = [
        ("file", d.file),
        ("line", d.line),
        ("col", d.column if d.line is not None else None),
        ("endColumn", found.end_column if found is not None else None),
        ("title", f"planc {d.code}"),
    ]
    listed = ",".join(
        f"{name}={escape_property(str(value))}" for name, value in properties if value is not None
    )
    message = d.message + (f" (hint: {d.hint})" if d.hint else "")
    return f"::{d.severity.value} {listed}::{escape_data(message)}"


def render_github(report: Report) -> str:
    """One workflow command per diagnostic, then the plain summary line."""
    lines = [github_annotation(d, report.sources) for d in report.diagnostics]
    return "\n".join([*lines, report.summary()]) + "\n"


# --------------------------------------------------------------------------- dispatch


def render(report: Report, format: Format = "text", *, color: bool = False) -> str:
    """The report in ``format``; ``color`` adds ANSI colors to the text format only."""
    if format == "json":
        return render_json(report)
    if format == "github":
        return render_github(report)
    return render_text(report, color=color)


def files_of(diagnostics: Iterable[Diagnostic]) -> int:
    """How many distinct files the diagnostics are about (for reports without a file count)."""
    return len({d.file for d in diagnostics if d.file is not None})
