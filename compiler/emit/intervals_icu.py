"""intervals.icu events: ``intervals.json``, the body of one call to intervals.icu's bulk events
endpoint (``POST /api/v1/athlete/{id}/events/bulk?upsert=true``), from which intervals.icu sends
the workouts on to Garmin, COROS, Wahoo, Suunto and Polar.

Each run of the plan is a planned event: ``category`` WORKOUT, ``type`` Run, its local start
(midnight when the athlete gave no time), its title, ``external_id`` its planc UID (so uploading
the file again updates the same events instead of adding new ones) and ``description`` the
workout in intervals.icu's workout text: one ``- <cue> <distance or time> <pace> Pace`` line a
step, absolute paces in the athlete's unit (``- Warmup 15m 5:40-6:10/km Pace``; none for a step
run by effort, ``- Run by effort 1m``), and a repeat as an ``Nx`` line before its steps with a
blank line either side.  intervals.icu does not nest
repeats, so a repeat inside a repeat is written out in full inside the outer one.
"""

from __future__ import annotations

import json
from typing import Any

from ..model import Plan, Step, Workout
from ..units import METRES_PER, Unit
from ..vocabulary import StepKind
from .watch import Measure, measure, pace_target, runs, target_pace

CUES = {
    StepKind.WARMUP: "Warmup",
    StepKind.COOLDOWN: "Cooldown",
    StepKind.RECOVER: "Recover",
    StepKind.JOG: "Jog",
    StepKind.WALK: "Walk",
    StepKind.RUN: "Run",
}


def time_text(seconds: float) -> str:
    """``1h5m``, ``15m``, ``1m30s``, ``20s``: whole seconds in intervals.icu's units."""
    total = max(1, round(seconds))
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    parts = (f"{hours}h", f"{minutes}m", f"{secs}s")
    return "".join(part for part, value in zip(parts, (hours, minutes, secs), strict=True) if value)


def distance_text(metres: float, unit: Unit) -> str:
    """``0.4km``, ``4.523km``, ``3.1mi``: in the athlete's unit, to three decimals (intervals.icu
    reads a bare ``m`` as minutes, so metres are never written as such)."""
    value = f"{metres / METRES_PER[unit]:.3f}".rstrip("0").rstrip(".")
    return f"{value}{unit}"


def _pace_clock(s_per_km: float, unit: Unit) -> str:
    per_unit = round(s_per_km * METRES_PER[unit] / 1000.0)
    minutes, secs = divmod(per_unit, 60)
    return f"{minutes}:{secs:02d}"


def step_text(step: Step, unit: Unit) -> str:
    """One step line: ``- Run 0.4km 3:55/km Pace``; a step without a pace (a walk) has none,
    nor has a step run by effort (hill repeats): ``- Run by effort 1m``, the cue its only
    target (text before the amount is a cue in intervals.icu's syntax; no digits in it, which
    it could read as an amount)."""
    if measure(step, unit) is Measure.DISTANCE:
        amount = distance_text(step.distance_m, unit)
    else:
        amount = time_text(step.duration_s)
    cue = CUES.get(step.kind, "Run")
    parts = ["-", f"{cue} by effort" if step.effort else cue, amount]
    pace = target_pace(step)
    if pace is not None:
        target = pace_target(pace, unit, widen=False)
        fast, slow = _pace_clock(target.fast, unit), _pace_clock(target.slow, unit)
        parts.append(f"{fast}/{unit} Pace" if fast == slow else f"{fast}-{slow}/{unit} Pace")
    return " ".join(parts)


def _flat(step: Step, unit: Unit) -> list[str]:
    """A step's lines with every repeat written out (inside a repeat, where none can nest)."""
    if step.kind != StepKind.REPEAT:
        return [step_text(step, unit)]
    body = [line for inner in step.steps for line in _flat(inner, unit)]
    return body * step.repeat


def workout_text(workout: Workout, unit: Unit) -> str:
    """The workout in intervals.icu's workout syntax."""
    blocks: list[list[str]] = []
    plain: list[str] = []
    for step in workout.steps:
        if step.kind != StepKind.REPEAT:
            plain.append(step_text(step, unit))
            continue
        body = [line for inner in step.steps for line in _flat(inner, unit)]
        if not body:
            continue
        if plain:
            blocks.append(plain)
            plain = []
        blocks.append([f"{step.repeat}x", *body])
    if plain:
        blocks.append(plain)
    return "\n\n".join("\n".join(block) for block in blocks)


def event(workout: Workout, unit: Unit) -> dict[str, Any]:
    start = workout.start_time.strftime("%H:%M:%S") if workout.start_time else "00:00:00"
    return {
        "start_date_local": f"{workout.date.isoformat()}T{start}",
        "category": "WORKOUT",
        "type": "Run",
        "name": workout.title,
        "external_id": workout.uid,
        "description": workout_text(workout, unit),
    }


def emit_intervals(plan: Plan) -> bytes:
    """Every run of the plan as intervals.icu events (a JSON array, by date), with a final
    newline.  The same plan gives the same bytes."""
    unit = plan.athlete.units
    events = [event(workout, unit) for workout in runs(plan)]
    return (json.dumps(events, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
