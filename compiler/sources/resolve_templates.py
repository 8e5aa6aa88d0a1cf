"""Stage 3a, resolve templates: workouts, phases, programs and foci in their typed form.

Everything that needs more than one document is checked here: references to workouts and phases,
names that must match their files, categories a phase does not allow, Jinja text that does not
render (statically too, in branches the sample values do not take), step sizes no session could
have.  Every problem is reported; nothing stops at the first one.  Each kind has its module:
resolve_workout.py (with template_text.py, the static checks of Jinja text), resolve_program.py
(phases and programs) and resolve_focus.py."""

from __future__ import annotations

from collections.abc import Callable

from ..diagnostics import Diagnostic
from .library import Library, Templates
from .load import Document
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

    workouts = each("workout", resolve_workout)
    phases = each("phase", resolve_phase)
    programs = each("program", lambda doc: resolve_program(doc, library))
    foci = each("focus", lambda doc: resolve_focus(doc, library, workouts, phases))
    return Templates(workouts, phases, foci, programs), diagnostics
