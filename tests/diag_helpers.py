"""Shared helpers for the diagnostics tests (load, validate, resolve).

Expected positions are computed from the input text itself (``at``), so a test says *what* it
points at ("the value of long_run_day") rather than hard-coding line numbers that would drift when
the example it is based on changes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from pathlib import Path

import pytest

from compiler.api import Project, load_project
from compiler.diagnostics import Diagnostic, PlanError
from compiler.resources import examples_dir, templates_dir
from compiler.sources.document import Document
from compiler.sources.file_text import read_text, source_name
from compiler.sources.load import load_text

HALF = (examples_dir() / "half-marathon.yaml").read_text("utf-8")
TODAY = dt.date(2026, 11, 1)  # before the example's start date (2026-11-30)


def load_file(path: Path, display: str | None = None) -> Document:
    """The document in the file at ``path``, read and parsed as planc does (raises PlanError)."""
    display = display or source_name(path)
    return load_text(read_text(path, display), display, path)


def bundled(relative: str) -> str:
    """The text of a bundled template, e.g. ``bundled("workouts/easy-run.yaml")``."""
    return (templates_dir() / relative).read_text("utf-8")


def edit(text: str, old: str, new: str) -> str:
    """``text`` with the single occurrence of ``old`` replaced by ``new`` (one change per test)."""
    count = text.count(old)
    assert count == 1, f"expected {old!r} exactly once in the input, found it {count} times"
    return text.replace(old, new)


def at(text: str, needle: str) -> tuple[int, int]:
    """The 1-based (line, column) of ``needle`` in ``text``, which must occur exactly once.

    A ``^`` in the needle marks the character meant (it is not part of the text searched for):
    ``at(text, "long_run_day: ^sunday")`` is where the value starts.  Without a marker it is the
    needle's first character.
    """
    offset = needle.find("^")
    plain = needle.replace("^", "", 1) if offset >= 0 else needle
    count = text.count(plain)
    assert count == 1, f"expected {plain!r} exactly once in the input, found it {count} times"
    index = text.index(plain) + max(offset, 0)
    line = text.count("\n", 0, index) + 1
    column = index - (text.rfind("\n", 0, index) + 1) + 1
    return line, column


def line_of(text: str, needle: str) -> int:
    return at(text, needle)[0]


def where(d: Diagnostic) -> tuple[str, str | None, int | None, int | None]:
    """A diagnostic's code and place: (code, file, line, column)."""
    return d.code, d.file, d.line, d.column


def only(diagnostics: Iterable[Diagnostic], code: str) -> Diagnostic:
    """The single diagnostic with ``code``; fails, listing everything, when there is not one."""
    diagnostics = list(diagnostics)
    found = [d for d in diagnostics if d.code == code]
    assert len(found) == 1, f"expected one {code!r}, got:\n" + "\n".join(
        d.format() for d in diagnostics
    )
    return found[0]


def load_errors(text: str, display: str = "t.yaml") -> list[Diagnostic]:
    """The diagnostics of loading ``text``, which must fail."""
    with pytest.raises(PlanError) as info:
        load_text(text, display)
    assert info.value.diagnostics, "a PlanError must carry diagnostics"
    return list(info.value.diagnostics)


def load_ok(text: str, display: str = "t.yaml") -> Document:
    return load_text(text, display)


def write_files(root: Path, files: Mapping[str, str | bytes]) -> None:
    for relative, content in files.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, "utf-8")


def project(
    root: Path,
    athletes: Mapping[str, str | bytes],
    coach: Mapping[str, str | bytes] | None = None,
    today: dt.date = TODAY,
) -> Project:
    """Write ``athletes`` into root/athletes and ``coach`` templates into root/coach, and load them
    with root/coach as the template folder.  Call with the working directory at ``root`` (see the
    ``in_tmp`` fixture) so that files are shown as ``athletes/x.yaml``."""
    write_files(root / "athletes", athletes)
    template_dirs: list[Path] = []
    if coach is not None:
        write_files(root / "coach", coach)
        template_dirs.append(Path("coach"))
    return load_project([Path("athletes")], template_dirs=template_dirs, today=today)


def errors_in(p: Project, file: str) -> list[Diagnostic]:
    return [d for d in p.diagnostics if d.file == file]
