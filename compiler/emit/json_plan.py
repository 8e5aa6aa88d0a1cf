"""The plan as JSON for other programs: metres, seconds and seconds per km, described by
``schemas/plan.schema.json``.  Keys come out in a fixed order: the same plan gives the same
bytes."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from ..model import ZONES, Layer, PaceRange, Plan, Step, Week, Workout
from ..vocabulary import Category, Zone
from .text import block_text, clock_text, pace_cycles
from .workout_words import PlanWords, Words, plan_words

SCHEMA_ID = "https://planc.dev/schemas/plan.schema.json"


def _pace(pace: PaceRange) -> dict[str, float]:
    fast, slow = sorted((pace.fast, pace.slow))
    return {"min_s_per_km": round(fast, 1), "max_s_per_km": round(slow, 1)}


def _step(step: Step) -> dict[str, Any]:
    """A step; ``effort`` only on a step run by effort (its pace only sized it)."""
    data = {
        "kind": step.kind,
        "distance_m": round(step.distance_m),
        "duration_s": round(step.duration_s),
        "zone": step.zone,
        "pace": _pace(step.pace) if step.pace is not None else None,
        "repeat": step.repeat,
        "steps": [_step(s) for s in step.steps],
        "label": step.label,
        "note": step.note,
    }
    if step.effort:
        data["effort"] = True
    return data


def _layer(layer: Layer) -> dict[str, Any]:
    return {
        "action": layer.action,
        "file": layer.file_name,
        "line": layer.source.line,
        "reason": layer.reason,
        "note": layer.note or None,
        "was": layer.was or None,
        "text": layer.words(),
    }


def _workout(workout: Workout, said: Words) -> dict[str, Any]:
    """A workout; ``layers`` only on one the athlete's changes touched, so a plan without
    changes reads as it always did."""
    data = {
        "uid": workout.uid,
        "date": workout.date.isoformat(),
        "slot": workout.slot,
        "role": workout.role,
        "category": workout.category,
        "intensity": workout.intensity,
        "title": workout.title,
        "summary": said.summary,
        "template": workout.template,
        "distance_m": round(workout.distance_m),
        "duration_s": round(workout.duration_s),
        "start_time": clock_text(workout.start_time) or None,
        "description": workout.description,
        "steps": [_step(s) for s in workout.steps],
    }
    if workout.layers:
        data["layers"] = [_layer(layer) for layer in workout.layers]
    return data


def _skipped(workout: Workout) -> dict[str, Any]:
    return {
        "uid": workout.uid,
        "date": workout.date.isoformat(),
        "slot": workout.slot,
        "role": workout.role,
        "title": workout.title,
        "distance_m": round(workout.distance_m),
        "layers": [_layer(layer) for layer in workout.layers],
    }


def _week(week: Week, said: PlanWords) -> dict[str, Any]:
    """A week; ``skipped`` only in one where the athlete's changes skipped sessions."""
    data: dict[str, Any] = {
        "index": week.index,
        "start": week.start.isoformat(),
        "days": week.days,
        "phase": week.phase,
        "phase_title": week.phase_title,
        "phase_week": week.phase_week,
        "target_m": round(week.target_m),
        "planned_m": round(week.planned_m),
        "cutback": week.cutback,
        "rule": week.rule,
        "notes": list(week.notes),
        "workouts": [_workout(w, said[w.uid]) for w in sorted(week.workouts, key=_order)],
    }
    if week.skipped:
        data["skipped"] = [_skipped(w) for w in sorted(week.skipped, key=_order)]
    return data


def _order(workout: Workout) -> tuple[str, str, str]:
    return (workout.date.isoformat(), workout.slot, workout.uid)


def _cycle(view: Plan, start: dt.date) -> dict[str, Any]:
    """A training cycle's race, program and paces (a season of two A races: the first cycle's
    are the plan's headline ones, the second's its own race zone and goal)."""
    race = view.athlete.race
    assert race is not None, "a cycle of a season ends in an A race"
    zones = view.paces.zones
    return {
        "start": start.isoformat(),
        "race": race.name,
        "race_date": race.date.isoformat(),
        "program": view.program.name,
        "vdot": round(view.paces.vdot, 1),
        "paces": {z: _pace(zones[z]) for z in ZONES if z in zones},
    }


def plan_data(plan: Plan, words: PlanWords | None = None) -> dict[str, Any]:
    """The JSON document as Python data (dicts keep the key order)."""
    athlete = plan.athlete
    said = words if words is not None else plan_words(plan)
    zones = plan.paces.zones
    shown = [z for z in ZONES if z in zones and (athlete.race is not None or z != Zone.RACE)]
    data: dict[str, Any] = {
        "schema": SCHEMA_ID,
        "athlete": {
            "id": athlete.id,
            "name": athlete.name,
            "timezone": athlete.timezone,
            "units": athlete.units,
        },
        "program": plan.program.name,
        "focus": plan.focus.name,
        "vdot": round(plan.paces.vdot, 1),
        "paces": {z: _pace(zones[z]) for z in shown},
        "race_times_s": {
            name: round(seconds, 1)
            for name, seconds in sorted(plan.paces.race_times.items(), key=lambda kv: kv[1])
        },
        "race": _race(plan),
    }
    if athlete.other_races or athlete.second_race:  # only a season of several races has it
        data["races"] = _races(plan)
    if plan.second_cycle is not None:  # only a season of two A races has it
        starts = (plan.start, plan.second_cycle.start)
        cycles = zip(pace_cycles(plan), starts, strict=True)
        data["cycles"] = [_cycle(cycle.plan, start) for cycle, start in cycles]
    if athlete.block is not None:  # only a block's plan has the key: a race's is unchanged
        data["block"] = {
            "program": athlete.block.program,
            "title": block_text(plan),
            "weeks": len(plan.weeks),
            "end": plan.end.isoformat(),
        }
    data["start"] = plan.start.isoformat()
    data["end"] = plan.end.isoformat()
    data["weeks"] = [_week(w, said) for w in sorted(plan.weeks, key=lambda w: w.start)]
    return data


def _race(plan: Plan) -> dict[str, Any] | None:
    """The race, or None for a training block (which has none)."""
    race = plan.athlete.race
    if race is None:
        return None
    return {
        "name": race.name,
        "date": race.date.isoformat(),
        "distance_m": round(plan.program.distance_m),
        "goal_s": round(race.goal_s) if race.goal_s is not None else None,
    }


def _races(plan: Plan) -> list[dict[str, Any]]:
    """Every race of the season by date, with its priority and its workout's UID."""
    uids = {w.date: w.uid for w in plan.workouts if w.category == Category.RACE}
    return [
        {
            "name": race.name,
            "date": race.date.isoformat(),
            "priority": race.priority,
            "distance_m": round(race.distance_m or plan.program.distance_m),
            "goal_s": round(race.goal_s) if race.goal_s is not None else None,
            "uid": uids.get(race.date),
        }
        for race in plan.athlete.races
    ]


# One workout a line: everything above a workout is indented by two spaces, a workout (with its
# steps) is written on one line.  A diff of two builds then shows one line per changed workout,
# and the whole document goes through the json module's C encoder, not its pure-Python indenter.
_COMPACT = json.JSONEncoder(ensure_ascii=False, allow_nan=False, separators=(", ", ": "))
_FLAT_DEPTH = 4  # document > weeks > a week > workouts > a workout


def _pretty(value: Any, depth: int, out: list[str]) -> None:
    if depth >= _FLAT_DEPTH or not isinstance(value, dict | list) or not value:
        out.append(_COMPACT.encode(value))
        return
    inner = "\n" + "  " * (depth + 1)
    if isinstance(value, dict):
        out.append("{")
        for index, (key, item) in enumerate(value.items()):
            out.append(("," if index else "") + inner + _COMPACT.encode(key) + ": ")
            _pretty(item, depth + 1, out)
        out.append("\n" + "  " * depth + "}")
    else:
        out.append("[")
        for index, item in enumerate(value):
            out.append(("," if index else "") + inner)
            _pretty(item, depth + 1, out)
        out.append("\n" + "  " * depth + "]")


def dumps(data: Any) -> str:
    """``data`` as planc writes JSON documents: indented by two spaces down to a plan's workouts,
    each workout on a line of its own; UTF-8 (not ASCII-escaped); NaN refused."""
    out: list[str] = []
    _pretty(data, 0, out)
    return "".join(out)


def emit_json(plan: Plan, words: PlanWords | None = None) -> bytes:
    """The plan as JSON (see ``dumps``), with a final newline."""
    return (dumps(plan_data(plan, words)) + "\n").encode("utf-8")
