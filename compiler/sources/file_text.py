"""A file's text and its name: ``read_text`` reads a file as UTF-8 within ``MAX_BYTES`` and
``MAX_LINES`` (never more than the limit into memory), and ``source_name``/``display_path``
name a file as diagnostics and `planc explain` show it.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from ..diagnostics import Position, plan_error
from ..resources import templates_dir

MAX_BYTES = 512 * 1024  # a template or profile is a few KB; anything this big is a mistake


MAX_LINES = 10_000  # lines of one file (the YAML scanner spends its time per line and char)


def read_text(path: Path, display: str) -> str:
    """Read a file as UTF-8 text; any I/O or encoding problem becomes a diagnostic."""
    try:
        raw = path.read_bytes() if path.stat().st_size <= MAX_BYTES else b""
        size = len(raw) or path.stat().st_size
    except OSError as exc:
        raise plan_error(
            "io",
            f"cannot read the file: {exc.strerror}",
            display,
            hint="check that the file exists and that its permissions let you read it",
        ) from None
    if size > MAX_BYTES or len(raw) > MAX_BYTES:  # never reads more than the limit into memory
        raise plan_error(
            "file-too-big",
            f"the file is {size // 1024} KiB; planc reads at most {MAX_BYTES // 1024} KiB",
            display,
            Position(1, 1),
            "check that this is the right file: a plan file is a few KB",
        )
    lines = raw.count(b"\n") + 1
    if lines > MAX_LINES:
        raise plan_error(
            "file-too-big",
            f"the file has {lines} lines; planc reads at most {MAX_LINES}",
            display,
            Position(1, 1),
            "check that this is the right file: a plan file is a few hundred lines",
        )
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        line_start = raw.rfind(b"\n", 0, exc.start) + 1
        column = len(raw[line_start : exc.start].decode("utf-8", errors="replace")) + 1
        raise plan_error(
            "encoding",
            "the file is not valid UTF-8",
            display,
            Position(line, column),
            "save the file as UTF-8",
        ) from None


def display_path(path: Path) -> str:
    """A path as people should see it: relative to the working directory when inside it."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


BUNDLED_PREFIX = "bundled:"


def source_name(path: Path) -> str:
    """The name of a planc document in diagnostics and `planc explain`: a file of the bundled
    template library as ``bundled:workouts/long-run.yaml`` (the same wherever planc is installed
    or run from: an installed planc's library sits deep in site-packages), any other file as
    ``display_path`` shows it."""
    resolved = path.resolve()
    try:
        return BUNDLED_PREFIX + resolved.relative_to(_bundled_root()).as_posix()
    except (ValueError, FileNotFoundError):
        return display_path(path)


@cache
def _bundled_root() -> Path:
    return templates_dir().resolve()
