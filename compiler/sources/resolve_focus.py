"""Resolve foci: a focus's workouts per phase in their typed form, with every problem found.

A focus picks the workouts of each role (quality, long, easy...) per phase, with defaults for
the phases it does not name; every workout it puts in a phase must be of a category that phase
allows."""

from __future__ import annotations

from collections.abc import Mapping

from ..diagnostics import Diagnostic, choices_hint, listed
from ..model import Focus, FocusPhase, PhaseTemplate, WorkoutTemplate
from ..units import parse_distance, parse_duration, parse_percent
from .document import Document, PathKey
from .library import Library
from .reader import Reader


def _focus_phase(r: Reader, path: PathKey, library: Library) -> FocusPhase:
    data = r.get(*path, default={})
    quality: list[tuple[str, ...]] = []
    for index, slot in enumerate(data.get("quality", [])):
        if isinstance(slot, str):
            names = [r.reference("workout", (*path, "quality", index), library)]
        else:
            names = [
                r.reference("workout", (*path, "quality", index, j), library)
                for j in range(len(slot))
            ]
        quality.append(tuple(n for n in names if n))
    easy = data.get("easy")
    if isinstance(easy, str):
        easy_names = [r.reference("workout", (*path, "easy"), library)]
    else:
        easy_names = [
            r.reference("workout", (*path, "easy", j), library) for j in range(len(easy or []))
        ]
    return FocusPhase(
        quality=tuple(q for q in quality if q),
        long=r.reference("workout", (*path, "long"), library),
        easy=tuple(n for n in easy_names if n),
        recovery=r.reference("workout", (*path, "recovery"), library),
        strength=r.reference("workout", (*path, "strength"), library),
        quality_long=r.reference("workout", (*path, "quality_long"), library),
        medium_long=r.reference("workout", (*path, "medium_long"), library),
    )


def resolve_focus(
    doc: Document,
    library: Library,
    workouts: Mapping[str, WorkoutTemplate],
    phases: Mapping[str, PhaseTemplate],
) -> tuple[Focus, list[Diagnostic]]:
    r = Reader(doc)
    r.check_name()
    defaults = _focus_phase(r, ("defaults",), library)
    for role in ("long", "easy"):
        if r.get("defaults", role) is None:
            r.fail(
                "missing-key",
                f"the focus's defaults need {'an' if role[0] in 'aeiou' else 'a'} `{role}` workout",
                ("defaults",),
                f"add `{role}: <workout name>` under `defaults:`",
                key=True,
            )
    per_phase = _per_phase(r, library)
    focus = Focus(
        name=str(r.get("name")),
        title=str(r.get("title", default=str(r.get("name")).title())),
        description=str(r.get("description", default="")),
        long_run_share=r.convert(parse_percent, ("long_run_share",), 0.25),
        max_runs_per_week=int(r.get("max_runs_per_week", default=6)),
        min_easy_share=r.convert(parse_percent, ("min_easy_share",), 0.80),
        min_easy_share_distance=r.convert(parse_percent, ("min_easy_share_distance",), 0.78),
        long_run_max_s=(
            r.convert(parse_duration, ("long_run_max", "time"), 0.0)
            if r.get("long_run_max") is not None
            else None
        ),
        long_run_max_races_up_to_m=r.convert(parse_distance, ("long_run_max", "races_up_to"), 0.0),
        defaults=defaults,
        phases=per_phase,
        source=r.source(),
    )
    _check_categories(r, focus, workouts, phases)
    return focus, r.diagnostics


def _per_phase(r: Reader, library: Library) -> dict[str, FocusPhase]:
    """The workouts the focus picks for the phases it names (an unknown phase reported)."""
    per_phase: dict[str, FocusPhase] = {}
    for phase_name in r.get("phases", default={}):
        path: PathKey = ("phases", phase_name)
        if not library.known("phase", phase_name):
            r.fail(
                "unknown-reference",
                f"there is no phase named '{phase_name}'",
                path,
                choices_hint(phase_name, library.names("phase")),
                key=True,
            )
            continue
        per_phase[phase_name] = _focus_phase(r, path, library)
    return per_phase


def _check_categories(
    r: Reader,
    focus: Focus,
    workouts: Mapping[str, WorkoutTemplate],
    phases: Mapping[str, PhaseTemplate],
) -> None:
    """Every workout the focus puts in a phase must be of a category that phase allows: a
    refused one is reported once per place, naming every phase that refuses it."""
    refused: dict[tuple[str, PathKey], list[str]] = {}
    for phase_name, phase in phases.items():
        chosen = focus.for_phase(phase_name)
        roles: list[tuple[str, PathKey]] = []
        quality = max(phase.quality_sessions, phase.quality_sessions_raced) if chosen.quality else 0
        for index, slot in enumerate(chosen.quality[:quality]):
            roles.extend((name, ("phases", phase_name, "quality", index)) for name in slot)
        roles.extend((name, ("phases", phase_name, "easy")) for name in chosen.easy)
        for name, path in roles:
            workout = workouts.get(name)
            if workout and workout.category not in phase.allowed_categories:
                own = r.get(*path[:3]) is not None  # the phase names it, or the defaults do
                where = path if own else ("defaults", *path[2:])
                refused.setdefault((name, where), []).append(phase_name)
    for (name, where), phase_names in refused.items():
        workout = workouts[name]
        allowed = {n: ", ".join(sorted(phases[n].allowed_categories)) for n in phase_names}
        r.fail(
            "category-not-allowed",
            f"'{name}' is a {workout.category} workout, which the "
            f"{listed(phase_names)} phase{'s' * (len(phase_names) > 1)} "
            f"do{'es' * (len(phase_names) == 1)} not allow",
            where,
            "; ".join(f"{n} allows: {a}" for n, a in allowed.items()),
        )
