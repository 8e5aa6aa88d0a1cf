"""A race-pace block progresses from the one the athlete last ran (part of stage 7, expand).

A race-specific session's block at race pace (a long run's marathon-pace block, a race-pace
tempo) is sized by its template's param at the week's place in its phase, then trimmed to fit
the week.  Week by week, that made the block jump and fall: a marathoner's block went 54 ->
56 -> 52 min at race pace in three 30 km long runs (a tenth trimmed off a bigger param lands
lower), and 35 -> 65 min in the first full week after a 10-day trip (review round 22).  Here
the block is held to what the athlete last ran of the same session: at most the program's
`race_block_step` more, and, in a full building week (no cutback, taper or week back from a
break), no less, so the trims to the week shrink it only where the last size no longer fits.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

from ..model import Blueprint, Paces, Step, WeekPlan, Workout, WorkoutTemplate
from ..units import Amount, UnitError, parse_amount
from .sessions import Draft, build_workout, fixed_and_fill
from .sizing import oversized

_RACE_BLOCK = re.compile(r"^\s*\{\{\s*([a-z_][a-z0-9_]*)\s*\}\}\s*@\s*race\s*$")


def race_block_param(template: WorkoutTemplate) -> str | None:
    """The param that sizes a single (not repeated) block at race pace, or None."""
    for step in template.steps:
        match = _RACE_BLOCK.match(step.target or "") if step.kind != "repeat" else None
        if match:
            return match.group(1)
    return None


def race_block_s(steps: Iterable[Step]) -> float:
    """Seconds of the top-level steps run at race pace (a block, not reps)."""
    return sum(s.duration_s for s in steps if s.kind != "repeat" and s.zone == "race")


def light(week: WeekPlan) -> bool:
    """A week whose sessions may step back: a cutback, a taper or recovery week, a week back
    from a break."""
    return week.cutback or week.share_of_peak is not None or week.returning


def held_to_last(
    bp: Blueprint, paces: Paces, week: WeekPlan, session: Draft, last: Mapping[str, float]
) -> tuple[Draft, str | None]:
    """``session`` with its race-pace block within the program's `race_block_step` of the
    block last run in the same session (``last``, seconds by template), and no shorter than
    it in a full week (see the module); and a note saying how.  The session itself and None
    when it has no such block, was not run before, or is already within."""
    name = race_block_param(session.template)
    before = last.get(session.template.name)
    if name is None or before is None:
        return session, None
    try:
        amount = parse_amount(str(session.context.get(name)))
    except UnitError:
        return session, None
    if amount.dimension != "duration":
        return session, None
    step = bp.program.rules.race_block_step_s
    most = (before + step) // 60 * 60
    least = -(-before // 60) * 60
    if amount.value > most:
        value, why = most, f"at most {step / 60:.0f} min more than the last one run"
    elif amount.value < least and not light(week):
        value, why = least, "no shorter than the last one run, in a full week"
    else:
        return session, None
    context = {**session.context, name: str(Amount("duration", value))}
    fixed, has_fill, fixed_s = fixed_and_fill(session.template, context, paces)
    held = Draft(session.slot, session.template, context, fixed, has_fill, fixed_s)
    note = (
        f"{session.slot.date}: {session.template.name} with {name} {context[name]} "
        f"instead of {session.context[name]}: {why}"
    )
    return held, note


def longest_block(
    bp: Blueprint, paces: Paces, session: Draft, workout: Workout, before: float
) -> tuple[Draft, Workout] | None:
    """``session`` (built as ``workout``) with its race-pace block the longest whole minute up
    to ``before`` that fits (sizing.oversized) in a run of the same distance, the easy fill
    shorter by as much; None when its block is no shorter than ``before`` or none fits."""
    name = race_block_param(session.template)
    now = race_block_s(workout.steps)
    if name is None or now <= 0 or now >= before - 1:
        return None
    fill_m = workout.distance_m - session.fixed_m
    value = before // 60 * 60
    while value > now:
        context = {**session.context, name: str(Amount("duration", value))}
        fixed, has_fill, fixed_s = fixed_and_fill(session.template, context, paces)
        fill = fill_m - (fixed - session.fixed_m)
        if fill >= 0:
            bigger = Draft(session.slot, session.template, context, fixed, has_fill, fixed_s)
            built = build_workout(bp, paces, bigger, fill)
            if abs(built.distance_m - workout.distance_m) < 1 and not oversized(
                bp, built.distance_m, built
            ):
                return bigger, built
        value -= 60
    return None
