"""Stage 7, expand: each scheduled slot becomes a concrete workout.

Parameters take their value for the week of the phase, Jinja text is rendered in the sandbox, every
step gets a distance, a duration and a pace range from the athlete's paces.  The week's volume is
shared out: fixed steps first, the long run takes the focus's share (capped by the program's
long_run_max and by +10% on the longest run of the previous 30 days), and `fill` steps of the other
runs share what is left.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from .diagnostics import PlanError, error
from .model import (
    Blueprint,
    PaceRange,
    Paces,
    Plan,
    ScheduledWeek,
    Slot,
    Step,
    StepTemplate,
    Week,
    Workout,
    WorkoutTemplate,
)
from .render import RenderError, render
from .steps import param_value, parse_target
from .units import (
    METRES_PER,
    UnitError,
    format_distance,
    format_duration,
    format_metres_plain,
    format_pace,
)

WALK_PACE = 600.0  # seconds per km
# How big a session's `fill` is next to an easy run's: a recovery run is shorter, and a quality
# session's easy running comes on top of its fixed work.
FILL_WEIGHTS = {"easy": 1.0, "recovery": 0.75, "quality": 0.5}
LONG_RUN_GROWTH = 0.10  # a long run is at most this much longer than the longest of 30 days
LONG_RUN_WINDOW = dt.timedelta(days=30)


@dataclass(frozen=True)
class _Draft:
    """A slot being expanded: its template, context and fixed (non-fill) size."""

    slot: Slot
    template: WorkoutTemplate
    context: Mapping[str, Any]
    fixed_m: float
    has_fill: bool


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


def _fixed_and_fill(
    template: WorkoutTemplate, context: Mapping[str, Any], paces: Paces
) -> tuple[float, bool]:
    steps = _build_steps(template.steps, context, template, paces, 0.0)
    return sum(s.distance_m for s in steps), _has_fill(template.steps)


def _has_fill(steps: Sequence[StepTemplate]) -> bool:
    return any(
        _has_fill(s.steps)
        if s.kind == "repeat"
        else (s.target or "").split("@")[0].strip() == "fill"
        for s in steps
    )


def _round_unit(metres: float, unit_m: float, step: float) -> float:
    return round(metres / (unit_m * step)) * unit_m * step


def expand(bp: Blueprint, paces: Paces, weeks: Sequence[ScheduledWeek]) -> Plan:
    athlete, program, focus = bp.athlete, bp.program, bp.focus
    units = athlete.units
    unit_m = METRES_PER[units]
    # Long-run history: (date, metres); the profile's current long run counts as just done.
    first_day = weeks[0].plan.start if weeks else athlete.race.date
    history: list[tuple[dt.date, float]] = [(first_day - dt.timedelta(days=1), athlete.long_run_m)]
    long_cap_m = program.long_run_max_s / paces.zones["easy"].mid * 1000
    built_weeks: list[Week] = []
    for week in weeks:
        phase_title = bp.phases[week.plan.phase].title
        drafts = []
        for slot in week.slots:
            template = bp.workouts[slot.workout]
            context = _context(bp, paces, week, template)
            fixed, has_fill = _fixed_and_fill(template, context, paces)
            drafts.append(_Draft(slot, template, context, fixed, has_fill))
        target = week.plan.target_m
        notes = list(week.notes)
        fill: dict[int, float] = {}
        # 1. the long run
        long_total = 0.0
        for i, draft in enumerate(drafts):
            if draft.slot.role != "long":
                continue
            recent = [m for day, m in history if draft.slot.date - day <= LONG_RUN_WINDOW]
            longest = max(recent) if recent else history[-1][1]
            wanted = focus.long_run_share * target
            limit = min(long_cap_m, longest * (1 + LONG_RUN_GROWTH))
            total = max(min(wanted, limit), draft.fixed_m)
            if wanted > limit:
                why = (
                    f"{program.long_run_max_s / 60:.0f} min at easy pace"
                    if limit == long_cap_m
                    else f"+{LONG_RUN_GROWTH:.0%} on the longest run of the last 30 days"
                )
                notes.append(f"long run held to {format_distance(total, units)} ({why})")
            total = _round_unit(total, unit_m, 0.5)
            fill[i] = max(total - draft.fixed_m, 0.0) if draft.has_fill else 0.0
            long_total = draft.fixed_m + fill[i]
        # 2. the other fill steps share what is left
        fixed_others = sum(d.fixed_m for i, d in enumerate(drafts) if drafts[i].slot.role != "long")
        sharing = [i for i, d in enumerate(drafts) if d.has_fill and d.slot.role != "long"]
        dropped: set[int] = set()
        while True:
            active = [i for i in sharing if i not in dropped]
            left = target - long_total - fixed_others
            weights = {i: FILL_WEIGHTS.get(drafts[i].slot.role, 1.0) for i in active}
            total_weight = sum(weights.values())
            shares = {
                i: (left * weights[i] / total_weight if total_weight else 0.0) for i in active
            }
            short = [
                i
                for i in active
                if drafts[i].slot.role in ("easy", "recovery")
                and shares[i] + drafts[i].fixed_m < program.min_easy_run_m
            ]
            if not short:
                break
            drop = max(
                short, key=lambda i: (drafts[i].slot.role == "recovery", drafts[i].slot.date)
            )
            dropped.add(drop)
            notes.append(
                f"{drafts[drop].slot.date}: easy run dropped, the week's volume is too small "
                "to share out"
            )
        ceiling = max(long_total, program.min_easy_run_m) if long_total else float("inf")
        for i, share in shares.items():
            room = ceiling - drafts[i].fixed_m  # no session longer than the long run
            fill[i] = max(_round_unit(min(share, room), unit_m, 0.5), 0.0)
        # 3. rounding to half units leaves a small error: the largest easy run absorbs it
        planned = long_total + fixed_others + sum(fill[i] for i in shares)
        if shares:
            limit = 0.5 * unit_m * len(shares)
            error_m = max(-limit, min(limit, target - planned))
            easy = [i for i in shares if drafts[i].slot.role == "easy"] or list(shares)
            largest = max(easy, key=lambda i: (fill[i], -i))
            room = ceiling - drafts[largest].fixed_m
            fill[largest] = max(0.0, min(room, fill[largest] + _round_unit(error_m, unit_m, 0.1)))
            planned = long_total + fixed_others + sum(fill[i] for i in shares)
        if planned < 0.95 * target:
            notes.append(
                f"the week's runs hold {format_distance(planned, units)} of the "
                f"{format_distance(target, units)} target (no easy run longer than the long run)"
            )
        workouts: list[Workout] = []
        for i, draft in enumerate(drafts):
            if i in dropped:
                continue
            workouts.append(_workout(bp, paces, draft, fill.get(i, 0.0)))
        for workout in workouts:
            if workout.role == "long" or workout.category == "race":
                history.append((workout.date, workout.distance_m))
        planned_m = sum(w.distance_m for w in workouts)
        built_weeks.append(
            Week(
                index=week.plan.index,
                start=week.plan.start,
                phase=week.plan.phase,
                phase_title=phase_title,
                phase_week=week.plan.phase_week,
                target_m=round(target),
                planned_m=planned_m,
                rule=week.plan.rule,
                cutback=week.plan.cutback,
                workouts=tuple(workouts),
                notes=tuple(notes),
            )
        )
    return Plan(athlete, program, focus, paces, tuple(built_weeks))


def _workout(bp: Blueprint, paces: Paces, draft: _Draft, fill_m: float) -> Workout:
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


__all__ = ["expand", "replace"]
