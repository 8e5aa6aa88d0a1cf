"""Every workout worded once per build (``Words``: its summary line, facts, pace and steps) and
shared by every output format, so the calendar, the page, the Markdown and the JSON say the same
numbers in the same words; and the calendar's full plain-text account of a workout.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from ..model import EASY_ZONES, Plan, Step, Week, Workout
from ..units import Unit
from ..vocabulary import Category, StepKind
from .step_text import step_amount, step_lines, walk_steps
from .text import (
    clock_text,
    distance_text,
    duration_text,
    layer_text,
    week_heading,
    workout_label,
)
from .work_pace import accent_pace_text, first_rep, main_pace_text, main_work, work_pace_text


def _repeat_of(workout: Workout, step: Step) -> Step:
    """The top-level repeat that holds ``step`` (``step`` itself when none does)."""
    return next(
        (
            s
            for s in workout.steps
            if s.kind == StepKind.REPEAT and any(i is step for i in walk_steps(s.steps))
        ),
        step,
    )


def workout_summary(workout: Workout, unit: Unit) -> str:
    """A short one-line summary of the workout at its main work's pace (``main_work``): 'Long
    run 18 km', 'Intervals 6x400 m @ 3:55/km', 'Tempo 20 min @ 5:20/km', 'Progression run 9.1 km
    @ 6:15-6:55 → 5:20/km', 'Easy run + strides 4.9 km', 'Easy run 3.2 km + 4x15 s' (easy
    running with faster reps), 'Race day · 21.1 km', 'Strength 25 min'."""
    label = workout_label(workout)
    work = main_work(workout)
    step = work.step if work is not None else None
    if workout.category == Category.RACE:
        amount = step_amount(step, unit) if step is not None else ""
        return f"{workout.title} · {amount}" if amount else workout.title
    if workout.category in (Category.STRENGTH, Category.CROSS_TRAINING):
        duration = duration_text(workout.duration_s)
        return f"{label} {duration}" if duration else label
    if workout.category == Category.REST:
        return label
    distance = distance_text(workout.distance_m, unit)
    plain = f"{label} {distance}" if distance else label
    if work is None or step is None or step.pace is None:
        return plain
    if step.zone in EASY_ZONES:
        # easy running; faster reps (strides) named after it, unless the label already does
        rep = first_rep(workout, fast=True)
        if rep is None or workout.category == Category.STRIDES:
            return plain
        return f"{plain} + {_repeat_of(workout, rep).repeat}x{step_amount(rep, unit)}"
    pace = work_pace_text(work, unit)
    if work.start is not None:
        return f"{plain} @ {pace}"
    repeat = _repeat_of(workout, step)
    if repeat.repeat:
        return f"{label} {repeat.repeat}x{step_amount(step, unit)} @ {pace}"
    return f"{label} {step_amount(step, unit)} @ {pace}"


def workout_facts(workout: Workout, unit: Unit, pace: str | None = None) -> str:
    """'9.3 km · 52 min · 3:55/km': what a table row says about a workout (``pace``: its main
    pace text, when already worked out)."""
    if pace is None:
        pace = main_pace_text(workout, unit)
    parts = [distance_text(workout.distance_m, unit), duration_text(workout.duration_s), pace]
    return " · ".join(p for p in parts if p)


@dataclass(frozen=True)
class Words:
    """What every output says about one workout, worded once per build: the summary line, the
    facts ('9.3 km · 52 min · 3:55/km'), the main pace and a line per step."""

    summary: str
    facts: str
    pace: str
    steps: tuple[str, ...]


def words(workout: Workout, unit: Unit) -> Words:
    pace = ", ".join(
        p for p in (main_pace_text(workout, unit), accent_pace_text(workout, unit)) if p
    )
    return Words(
        summary=workout_summary(workout, unit),
        facts=workout_facts(workout, unit, pace),
        pace=pace,
        steps=step_lines(workout, unit),
    )


PlanWords = Mapping[str, Words]  # by workout uid


def plan_words(plan: Plan) -> PlanWords:
    """The words of every workout of ``plan``, by uid: the emitters share them."""
    unit = plan.athlete.units
    return {w.uid: words(w, unit) for week in plan.weeks for w in week.workouts}


def workout_text(
    workout: Workout,
    unit: Unit,
    week: Week | None = None,
    weeks: int = 0,
    said: Words | None = None,
) -> str:
    """The full plain-text account of a workout (the calendar's DESCRIPTION); ``said``: its
    words, when already worded."""
    said = said or words(workout, unit)
    lines = [workout.title]
    facts = said.facts
    if facts:
        lines.append(facts)
    if workout.start_time is not None:
        lines.append(f"Start: {clock_text(workout.start_time)}")
    steps = said.steps
    if steps:
        lines.append("")
        lines.extend(f"- {s}" for s in steps)
    if workout.description.strip():
        lines.append("")
        lines.append(workout.description.strip())
    if workout.layers:
        lines.append("")
        lines.extend(layer_text(layer) for layer in workout.layers)
    if week is not None:
        lines.append("")
        lines.append(week_heading(week, weeks or week.index))
    return "\n".join(lines)
