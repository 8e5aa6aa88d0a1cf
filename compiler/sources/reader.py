"""Reading one document's values into typed ones, with every problem reported at the exact file,
line and column it concerns (inside a | or > block, at the line of the text it is about)."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from ..diagnostics import Diagnostic, Position, choices_hint, error, warning
from ..model import Source
from ..units import UnitError
from . import lexical
from .document import Document, Located
from .library import Library

T = TypeVar("T")


def _block_lines(text: Sequence[str], located: Located) -> list[tuple[int, str]]:
    """The source lines (1-based number, text) of a | or > block scalar's content."""
    key_indent = (located.key.column - 1) if located.key else -1
    lines = []
    for number in range(located.value.line + 1, len(text) + 1):
        row = text[number - 1]
        if row.strip() and len(row) - len(row.lstrip()) <= key_indent:
            break
        lines.append((number, row))
    return lines


def _folded_line(block: Sequence[tuple[int, str]], line: int) -> int | None:
    """The source line where line ``line`` of a folded (>) block's text begins: folding joins
    lines with spaces, and each blank line ends a line."""
    current = 1
    for number, row in block:
        if not row.strip():
            current += 1
        elif current == line:
            return number
    return None


class Reader:
    """Reads one document's values into typed ones, collecting diagnostics at exact positions."""

    def __init__(self, doc: Document) -> None:
        self.doc = doc
        self.diagnostics: list[Diagnostic] = []

    def source(self, path: tuple[str | int, ...] = ()) -> Source:
        file, pos = self.doc.locate(path)
        return Source(file, pos.line, pos.column)

    def get(self, *path: str | int, default: Any = None) -> Any:
        value: Any = self.doc.data
        for part in path:
            if isinstance(value, list) and isinstance(part, int) and 0 <= part < len(value):
                value = value[part]
            elif isinstance(value, dict) and isinstance(part, str) and part in value:
                value = value[part]
            else:
                return default
        return default if value is None else value

    def fail(
        self,
        code: str,
        message: str,
        path: tuple[str | int, ...],
        hint: str | None = None,
        *,
        key: bool = False,
    ) -> None:
        self.diagnostics.append(error(code, message, *self.doc.locate(path, key=key), hint))

    def fail_in_text(
        self,
        code: str,
        message: str,
        path: tuple[str | int, ...],
        line: int | None,
        hint: str | None = None,
        needle: str | None = None,
    ) -> None:
        """A problem inside a text value: in a | or > block, at the line it is on (the first
        Jinja expression naming ``needle``, else Jinja's ``line``) and that line's indentation."""
        located = self.doc.positions.get(path)
        text = self.doc.text.splitlines()
        if located is None or not located.block or located.file or not text:
            self.fail(code, message, path, hint)
            return
        block = _block_lines(text, located)
        found = None
        if needle:
            uses = re.compile(r"(\{\{|\{%)[^}]*\b" + re.escape(needle) + r"\b")
            found = next((n for n, row in block if uses.search(row)), None)
        if found is None and line:
            folded = text[located.value.line - 1][located.value.column - 1 :].startswith(">")
            found = _folded_line(block, line) if folded else located.value.line + line
        if found is None:
            self.fail(code, message, path, hint)
            return
        row = text[found - 1]
        pos = Position(found, len(row) - len(row.lstrip()) + 1)
        self.diagnostics.append(error(code, message, self.doc.path, pos, hint))

    def warn(self, code: str, message: str, path: tuple[str | int, ...], hint: str | None) -> None:
        self.diagnostics.append(warning(code, message, *self.doc.locate(path), hint))

    def convert(self, parse: Callable[[str], T], path: tuple[str | int, ...], default: T) -> T:
        value = self.get(*path)
        if value is None:
            return default
        try:
            return parse(str(value))
        except (UnitError, ValueError) as exc:
            located = self.doc.positions.get(path)
            cause = (
                lexical.value_cause(self.doc.text, self.doc.path, value, located.value)
                if located is not None and not located.file
                else None
            )
            if cause is not None:  # a curly quote or a pasted space, named for what it is
                self.diagnostics.append(cause)
            else:
                self.fail("bad-value", str(exc), path)
            return default

    def reference(self, kind: str, path: tuple[str | int, ...], library: Library) -> str | None:
        name = self.get(*path)
        if not isinstance(name, str):
            return None
        if not library.known(kind, name):
            self.fail(
                "unknown-reference",
                f"there is no {kind} named '{name}'",
                path,
                choices_hint(name, library.names(kind)),
            )
            return None
        return name

    def check_name(self) -> None:
        file, name = self.doc.file, self.doc.name
        if file is not None and name is not None and file.stem != name:
            self.fail(
                "name-mismatch",
                f"the {self.doc.kind} is named '{name}' but its file is '{file.name}'",
                ("name",),
                f"rename the file to '{name}.yaml' or set `name: {file.stem}`",
            )
