"""Templates by kind and name along the search path: the coach's folders first (in the order
given), then templates found among the paths planc was given, then the bundled library.  The
first of a kind and name wins, even a broken one (a coach's broken template must not silently
fall back to the bundled one)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from ..diagnostics import Diagnostic, error
from ..frozen import frozen_map
from ..model import (
    Focus,
    PhaseTemplate,
    Program,
    WorkoutTemplate,
)
from .document import Document

TEMPLATE_KINDS = ("workout", "phase", "focus", "program")
FOLDERS = {"workout": "workouts", "phase": "phases", "focus": "foci", "program": "programs"}


@dataclass(frozen=True)
class Library:
    """Template documents by kind and name, in search-path order (first wins)."""

    documents: Mapping[str, Mapping[str, Document]]
    broken: frozenset[tuple[str, str]] = frozenset()  # templates with errors: known, not resolved

    def names(self, kind: str) -> list[str]:
        return sorted(self.documents.get(kind, {}))

    def known(self, kind: str, name: str) -> bool:
        return name in self.documents.get(kind, {}) or (kind, name) in self.broken

    def get(self, kind: str, name: str) -> Document | None:
        return self.documents.get(kind, {}).get(name)


@dataclass(frozen=True)
class Templates:
    workouts: Mapping[str, WorkoutTemplate]
    phases: Mapping[str, PhaseTemplate]
    foci: Mapping[str, Focus]
    programs: Mapping[str, Program]

    def __post_init__(self) -> None:
        for name in ("workouts", "phases", "foci", "programs"):
            object.__setattr__(self, name, frozen_map(getattr(self, name)))


def build_library(
    layers: Sequence[tuple[Sequence[Document], Sequence[tuple[str, str]]]],
) -> tuple[Library, list[Diagnostic]]:
    """Index template documents.  ``layers`` are (documents, broken names) in search-path order
    (coach folders first, the bundled library last): the first layer that has a kind and name
    wins, even when its template is broken (a coach's broken template must not silently fall back
    to the bundled one).  The same kind and name twice in one layer is an error."""
    documents: dict[str, dict[str, Document]] = {kind: {} for kind in TEMPLATE_KINDS}
    broken: set[tuple[str, str]] = set()
    diagnostics: list[Diagnostic] = []
    for layer, layer_broken in layers:
        claimed = {(kind, name) for kind in documents for name in documents[kind]} | broken
        seen: dict[tuple[str, str], Document] = {}
        for doc in layer:
            kind, name = doc.kind, doc.name
            if kind not in TEMPLATE_KINDS or name is None:
                continue
            if (kind, name) in seen:
                first = seen[(kind, name)]
                diagnostics.append(
                    error(
                        "duplicate-name",
                        f"a {kind} named '{name}' is also defined in {first.path}",
                        doc.path,
                        doc.where(("name",)),
                        "rename one of them; names must be unique within a template folder",
                    )
                )
                continue
            seen[(kind, name)] = doc
            if (kind, name) not in claimed:
                documents[kind][name] = doc
        broken.update(key for key in layer_broken if key not in claimed and key not in seen)
    return Library(documents, frozenset(broken)), diagnostics
