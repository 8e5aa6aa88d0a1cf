"""A workout's steps in words, the same in every output: '6 x (400 m @ 3:55/km, walk 90 s)',
'warm-up 15 min @ 5:10-5:40/km', 'Squats: 3 x 12', each step sized as the coach wrote it (a
distance or a time, ``measured_by_distance``).
"""

from __future__ import annotations

import math
from collections.abc import Iterable

from ..model import Step, Workout
from ..units import Unit, format_distance, format_duration, to_unit
from ..vocabulary import StepKind
from .text import (
    RACE_DISTANCES_M,
    STEP_LABELS,
    effort_text,
    pace_text,
    zone_label,
)


def _near_multiple(value: float, step: float) -> bool:
    return math.isclose(value / step, round(value / step), abs_tol=1e-6)


def measured_by_distance(step: Step, unit: Unit) -> bool:
    """Whether the coach wrote the step as a distance ("400m") rather than a time ("15min").

    Compiled steps say so (``Step.measure``).  For a step made without it, guess: the number the
    coach wrote is round and the other, computed from the pace, seldom is; so a multiple of 50 m
    (or of 0.05 in the athlete's unit) or a race distance was written as a distance, a multiple of
    5 s as a time; when both or neither are round, runs are distances and the rest times.
    """
    if step.measure is not None:
        return step.measure == "distance"
    round_distance = (
        _near_multiple(step.distance_m, 50.0)
        or _near_multiple(to_unit(step.distance_m, unit), 0.05)
        or any(math.isclose(step.distance_m, d, abs_tol=1.0) for d in RACE_DISTANCES_M)
    )
    round_duration = _near_multiple(step.duration_s, 5.0)
    if round_distance != round_duration:
        return round_distance
    return step.kind == StepKind.RUN


def step_amount(step: Step, unit: Unit) -> str:
    """The size of a step as the coach meant it: '400 m', '15 min', '1.5 mi'."""
    if step.distance_m <= 0 and step.duration_s <= 0:
        return ""
    if step.distance_m <= 0:
        return format_duration(step.duration_s)
    if step.duration_s <= 0 or measured_by_distance(step, unit):
        return format_distance(step.distance_m, unit)
    return format_duration(step.duration_s)


def _notes(steps: Iterable[Step]) -> list[str]:
    return [s.note for s in walk_steps(steps) if s.note and s.kind != StepKind.EXERCISE]


def step_line(step: Step, unit: Unit) -> str:
    """One step in words: '6 x (400 m @ 3:55/km, walk 90 s)', 'warm-up 15 min @ 5:10-5:40/km',
    'Squats: 3 x 12'.  Notes follow the step after a dash."""
    notes = _notes((step,))  # the step's own note, then those of its nested steps
    return " — ".join([_bare_step(step, unit), *dict.fromkeys(notes)])


def _bare_step(step: Step, unit: Unit) -> str:
    """A step without its notes (nested repeats keep their structure)."""
    if step.kind == StepKind.REPEAT:
        inner = ", ".join(_bare_step(s, unit) for s in step.steps)
        return f"{step.repeat} x ({inner})"
    if step.kind == StepKind.EXERCISE:
        name = step.label or "exercise"
        if step.note:
            return f"{name}: {step.note}"
        amount = step_amount(step, unit)
        return f"{name}: {amount}" if amount else name
    parts = [STEP_LABELS.get(step.kind, step.kind), step_amount(step, unit)]
    if step.effort:
        parts.append(f"@ {effort_text(step.zone)}")
    elif step.pace is not None:
        parts.append(f"@ {pace_text(step.pace, unit)}")
    elif step.zone:
        parts.append(f"@ {zone_label(step.zone).lower()}")
    return " ".join(p for p in parts if p)


def step_lines(workout: Workout, unit: Unit) -> tuple[str, ...]:
    return tuple(step_line(s, unit) for s in workout.steps)


def walk_steps(steps: Iterable[Step]) -> Iterable[Step]:
    for step in steps:
        yield step
        yield from walk_steps(step.steps)
