"""What the load stage makes: a ``Document`` (plain data, as YAML gives it, with the position of
every key and value) and ``Located``, the position of one value.

Kept apart from the loader so the stages that only read documents (validate, compose, the
resolvers) import the type, not the YAML parsers.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..diagnostics import Position

PathKey = tuple[str | int, ...]


@dataclass(frozen=True)
class Located:
    """Where a value sits: the position of its key (None for list items and the root) and value."""

    key: Position | None
    value: Position
    block: bool = False  # the value is a | or > block scalar (its text starts on the next line)
    file: str | None = None  # set when the value comes from another file (a template extended)


@dataclass(frozen=True)
class Document:
    path: str  # as shown to people: relative to where planc was run when possible
    data: Any
    positions: Mapping[PathKey, Located] = field(repr=False)
    file: Path | None = field(default=None, compare=False)
    # composed templates: where a value was before this document overrode it (file, position)
    overrides: Mapping[PathKey, tuple[str, Position]] = field(default_factory=dict, repr=False)
    extends: tuple[str, ...] = ()  # the chain of files this document was composed from
    text: str = field(default="", repr=False, compare=False)  # the source, to place problems

    @property
    def kind(self) -> str | None:
        kind = self.data.get("kind") if isinstance(self.data, dict) else None
        return kind if isinstance(kind, str) else None

    @property
    def name(self) -> str | None:
        if not isinstance(self.data, dict):
            return None
        value = self.data.get("id" if self.kind == "athlete" else "name")
        return value if isinstance(value, str) else None

    def where(self, path: Iterable[str | int], *, key: bool = False) -> Position:
        """The position of the value at ``path`` (or of its key); the nearest known ancestor's
        position when the path does not exist (e.g. a missing key)."""
        return self.locate(path, key=key)[1]

    def locate(self, path: Iterable[str | int], *, key: bool = False) -> tuple[str, Position]:
        """The file and position of the value at ``path`` (or of its key).  In a composed
        template a value may come from the template it extends, in another file."""
        path = tuple(path)
        while path not in self.positions and path:
            path = path[:-1]
        located = self.positions.get(path)
        if located is None:
            return self.path, Position(1, 1)
        file = located.file or self.path
        if key and located.key is not None:
            return file, located.key
        return file, located.value
