"""Stage 3a, resolve templates: workouts, phases, programs and foci in their typed form.

Everything that needs more than one document is checked here: references to workouts and phases,
names that must match their files, categories a phase does not allow, Jinja text that does not
render (statically too, in branches the sample values do not take), step sizes no session could
have.  Every problem is reported; nothing stops at the first one.  Each kind has its module:
resolve_workout.py (with template_text.py, the static checks of Jinja text), resolve_program.py
(phases and programs) and resolve_focus.py.

A workout is resolved once per content: checking its texts statically renders each with every
value it can come to, most of a check's time, and a process that gathers the same library again
(`planc serve` after an athlete changes, an API user checking athlete after athlete) gets the
same answer from memory.  The key is everything ``resolve_workout`` reads of the document, so a
changed document is a new key and never an old answer."""

from __future__ import annotations

from collections.abc import Callable, Hashable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from ..diagnostics import Diagnostic
from ..model import WorkoutTemplate
from .document import Document
from .library import Library, Templates
from .reader import T
from .resolve_focus import resolve_focus
from .resolve_program import resolve_phase, resolve_program
from .resolve_workout import resolve_workout


def resolve_templates(library: Library) -> tuple[Templates, list[Diagnostic]]:
    """Every template of the library in its typed form, with every problem found."""
    diagnostics: list[Diagnostic] = []

    def each(kind: str, convert: Callable[[Document], tuple[T, list[Diagnostic]]]) -> dict[str, T]:
        result = {}
        for name, doc in sorted(library.documents[kind].items()):
            value, problems = convert(doc)
            diagnostics.extend(problems)
            if not any(p.severity.value == "error" for p in problems):
                result[name] = value  # a template with errors is known but never compiled
        return result

    workouts = each("workout", resolved_workout)
    phases = each("phase", resolve_phase)
    programs = each("program", lambda doc: resolve_program(doc, library))
    foci = each("focus", lambda doc: resolve_focus(doc, library, workouts, phases))
    return Templates(workouts, phases, foci, programs), diagnostics


RESOLVED_WORKOUTS_KEPT = 512  # a library's workouts many times over: bounds a long `serve`


def resolved_workout(doc: Document) -> tuple[WorkoutTemplate, list[Diagnostic]]:
    """``resolve_workout(doc)``, from memory when a document with the same content was resolved
    before.  Both results are immutable (frozen dataclasses and tuples), so sharing them is
    safe; the list of diagnostics is a new one each time."""
    workout, diagnostics = _resolve_once(_ByContent(doc, _content_key(doc)))
    return workout, list(diagnostics)


@dataclass(frozen=True, eq=False)
class _ByContent:
    """A document compared and hashed by its content (``key``) alone."""

    doc: Document
    key: tuple[Hashable, ...]

    def __hash__(self) -> int:
        return hash(self.key)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _ByContent) and self.key == other.key


@lru_cache(maxsize=RESOLVED_WORKOUTS_KEPT)
def _resolve_once(keyed: _ByContent) -> tuple[WorkoutTemplate, tuple[Diagnostic, ...]]:
    workout, diagnostics = resolve_workout(keyed.doc)
    return workout, tuple(diagnostics)


def _content_key(doc: Document) -> tuple[Hashable, ...]:
    """Everything ``resolve_workout`` reads of ``doc``: its names (a workout's name must match
    its file's), text (diagnostics point into it), data, the positions of its values and, for
    a composed template, where its values were before and what it extends."""
    return (
        doc.path,
        doc.file,
        doc.text,
        doc.extends,
        _frozen(doc.data),
        tuple(doc.positions.items()),
        tuple(doc.overrides.items()),
    )


def _frozen(value: Any) -> Hashable:
    """Plain data (what compiler/sources/load.py makes: mappings, lists, str, int, float, bool,
    None) as a hashable value, each scalar with its type: 1, 1.0 and true are equal in Python
    but not in a template (a count, a size, a flag), and a float by its repr (0.0 and -0.0)."""
    if isinstance(value, dict):
        return ("map", tuple((_frozen(k), _frozen(v)) for k, v in value.items()))
    if isinstance(value, list):
        return ("list", tuple(_frozen(item) for item in value))
    if isinstance(value, float):
        return ("float", repr(value))
    return (type(value).__name__, value)
