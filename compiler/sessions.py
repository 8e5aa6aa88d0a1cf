"""One session, concrete: a workout template's steps with this week's parameters, rendered text,
distances, durations and pace ranges from the athlete's paces (part of stage 7, expand)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from .diagnostics import PlanError, error
from .model import (
    Blueprint,
    PaceRange,
    Paces,
    ScheduledWeek,
    Slot,
    Step,
    StepTemplate,
    Workout,
    WorkoutTemplate,
)
from .render import RenderError, render
from .steps import is_fill, param_value, parse_target
from .units import (
    UnitError,
    format_distance,
    format_duration,
    format_metres_plain,
    format_pace,
)

WALK_PACE = 600.0  # seconds per km


@dataclass(frozen=True)
class Draft:
    """A slot being expanded: its template, context and fixed (non-fill) size."""

    slot: Slot
    template: WorkoutTemplate
    context: Mapping[str, Any]
    fixed_m: float
    has_fill: bool
    fixed_s: float = 0.0  # how long the fixed steps take (walks and strides included)


def _pace(paces: Paces, zone: str | None, kind: str) -> PaceRange | None:
    if kind == "walk":
        return None
    if kind in ("recover", "jog"):
        easy = paces.zones["easy"]
        return PaceRange(easy.slow, easy.slow) if zone is None else paces.zones[zone]
    return paces.zones[zone or "easy"]


def _context(
    bp: Blueprint, paces: Paces, week: ScheduledWeek, template: WorkoutTemplate
) -> dict[str, Any]:
    units = bp.athlete.units
    values: dict[str, Any] = {
        p.name: param_value(p, week.plan.phase_week, week.plan.phase_weeks) for p in template.params
    }
    values.update(
        athlete=bp.athlete.name,
        phase=week.plan.phase,
        week=week.plan.phase_week,
        phase_weeks=week.plan.phase_weeks,
        units=units,
        race_distance=format_metres_plain(bp.program.distance_m),
        pace=lambda zone: format_pace(paces.zones[zone].mid, units) if zone in paces.zones else "?",
    )
    return values


def _render(text: str, context: Mapping[str, Any], template: WorkoutTemplate) -> str:
    try:
        return render(text, context)
    except RenderError as exc:
        raise PlanError(
            [error("jinja-error", f"{template.name}: {exc}", template.source.file, None, exc.hint)]
        ) from None


def _build_steps(
    steps: Sequence[StepTemplate],
    context: Mapping[str, Any],
    template: WorkoutTemplate,
    paces: Paces,
    fill_m: float,
) -> tuple[Step, ...]:
    built: list[Step] = []
    for step in steps:
        if step.kind == "repeat":
            count = int(_render(step.repeat or "1", context, template))
            inner = _build_steps(step.steps, context, template, paces, fill_m)
            built.append(
                Step(
                    "repeat",
                    distance_m=count * sum(s.distance_m for s in inner),
                    duration_s=count * sum(s.duration_s for s in inner),
                    repeat=count,
                    steps=inner,
                    note=_render(step.note, context, template) if step.note else None,
                )
            )
            continue
        if step.kind == "exercise":
            detail = []
            if step.sets:
                detail.append(f"{step.sets} x {step.reps}" if step.reps else f"{step.sets} sets")
            elif step.reps:
                detail.append(str(step.reps))
            if step.target:
                detail.append(f"hold {step.target}")
            if step.note:
                detail.append(_render(step.note, context, template))
            built.append(
                Step("exercise", 0.0, 0.0, label=step.label, note=", ".join(detail) or None)
            )
            continue
        try:
            target = parse_target(_render(step.target or "", context, template))
        except UnitError as exc:
            raise PlanError(
                [error("bad-step", f"{template.name}: {exc}", template.source.file, None)]
            ) from None
        pace = _pace(paces, target.zone, step.kind)
        speed = pace.mid if pace else WALK_PACE
        if target.amount is None and fill_m < 1.0 and not _only_fill(steps):
            continue  # a fill with nothing to fill is left out
        if target.amount is None:
            distance, duration = fill_m, fill_m * speed / 1000
        elif target.amount.dimension == "distance":
            distance, duration = target.amount.value, target.amount.value * speed / 1000
        else:
            duration = target.amount.value
            distance = duration / speed * 1000
        if step.kind == "walk":
            distance = 0.0  # walking breaks do not count as running volume
        built.append(
            Step(
                step.kind,
                distance_m=distance,
                duration_s=duration,
                zone=target.zone or (None if step.kind == "walk" else "easy"),
                pace=pace,
                measure="distance" if target.amount is None else target.amount.dimension,
                note=_render(step.note, context, template) if step.note else None,
            )
        )
    return tuple(built)


def _only_fill(steps: Sequence[StepTemplate]) -> bool:
    """Whether a session is nothing but its fill (an easy run): it keeps its one step."""
    return len(steps) == 1 and steps[0].kind != "repeat" and is_fill(steps[0].target)


def fixed_and_fill(
    template: WorkoutTemplate, context: Mapping[str, Any], paces: Paces
) -> tuple[float, bool, float]:
    """A session's fixed metres, whether it has a fill step, and its fixed seconds."""
    steps = _build_steps(template.steps, context, template, paces, 0.0)
    fixed_m = sum(s.distance_m for s in steps)
    return fixed_m, _has_fill(template.steps), sum(s.duration_s for s in steps)


def _has_fill(steps: Sequence[StepTemplate]) -> bool:
    return any(_has_fill(s.steps) if s.kind == "repeat" else is_fill(s.target) for s in steps)


def draft(bp: Blueprint, paces: Paces, week: ScheduledWeek, slot: Slot) -> Draft:
    template = bp.workouts[slot.workout]
    context = _context(bp, paces, week, template)
    return Draft(slot, template, context, *fixed_and_fill(template, context, paces))


def build_steps(bp: Blueprint, paces: Paces, draft: Draft, fill_m: float = 0.0) -> tuple[Step, ...]:
    """A draft's steps with ``fill_m`` of fill: its size before the week's volume is shared."""
    return _build_steps(draft.template.steps, draft.context, draft.template, paces, fill_m)


def build_workout(bp: Blueprint, paces: Paces, draft: Draft, fill_m: float) -> Workout:
    template, slot = draft.template, draft.slot
    steps = _build_steps(template.steps, draft.context, template, paces, fill_m)
    distance = sum(s.distance_m for s in steps)
    duration = sum(s.duration_s for s in steps)
    if template.duration_s is not None and not distance:
        duration = template.duration_s
    units = bp.athlete.units
    context = dict(draft.context)
    context.update(
        distance=format_distance(distance, units) if distance else "",
        duration=format_duration(duration) if duration else "",
    )
    start_time = bp.athlete.availability.start_times.get(slot.date.weekday())
    athlete_id = bp.athlete.id
    return Workout(
        uid=f"{athlete_id}-{slot.date:%Y%m%d}-{slot.slot}",
        date=slot.date,
        slot=slot.slot,
        role=slot.role,
        template=template.name,
        category=template.category,
        intensity=template.intensity,
        title=_render(template.title, context, template).strip(),
        description=_render(template.description, context, template).strip(),
        steps=steps,
        distance_m=round(distance),
        duration_s=round(duration),
        start_time=start_time,
        reason=slot.reason,
    )
