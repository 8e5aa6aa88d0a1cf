"""Comparing two ``plan.json`` documents of one athlete, pure: the plan's fields, its weeks and
its workouts (by ``uid``) that were added, removed or changed.

A workout the athlete's changes touched carries ``layers`` in plan.json (a skipped one is in
its week's ``skipped``): a workout that differs is given the layers one build has and the other
has not (:func:`causes`), so the report says "moved by sam.yaml:31: travel".  A moved workout
keeps its uid (its calendar event moves), so it is a changed workout whose ``date`` changed.

Figures are compared as people read them (:func:`field_text`, also the text report's
wording): a distance of 5.01 km and one of 5.04 km both read '5 km', so they are no change.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from ..units import Unit, format_clock, format_distance, format_duration
from .diff_model import AthleteDiff, FieldChange, LayerCause, Status, WeekChange, WorkoutChange

# Compared fields, in the order they are reported.
_PLAN_FIELDS = ("units", "program", "focus", "vdot", "race", "start", "end")


_WEEK_FIELDS = ("phase", "target_m", "planned_m", "cutback")


_WORKOUT_FIELDS = (
    "date",
    "title",
    "category",
    "intensity",
    "role",
    "template",
    "distance_m",
    "duration_s",
    "start_time",
    "steps",
    "description",
)


# Figures compared as the text output writes them (rounded); other fields are compared exactly
# (a description is shown cut short, and a change past the cut is still a change).
_FIGURES = frozenset({"vdot", "target_m", "planned_m", "distance_m", "duration_s"})


def _workouts(plan: Mapping[str, Any] | None) -> dict[str, Mapping[str, Any]]:
    found: dict[str, Mapping[str, Any]] = {}
    for week in (plan or {}).get("weeks") or ():
        for workout in week.get("workouts") or ():
            found[str(workout["uid"])] = workout
    return found


def _layers(plan: Mapping[str, Any] | None) -> dict[str, Sequence[Mapping[str, Any]]]:
    """Each workout's layers by uid, the skipped workouts' included."""
    found: dict[str, Sequence[Mapping[str, Any]]] = {}
    for week in (plan or {}).get("weeks") or ():
        for workout in (*(week.get("workouts") or ()), *(week.get("skipped") or ())):
            if isinstance(workout, Mapping) and workout.get("layers"):
                found[str(workout.get("uid"))] = workout["layers"]
    return found


def _cause(layer: Mapping[str, Any], undone: bool) -> LayerCause:
    return LayerCause(
        str(layer.get("action", "")),
        str(layer.get("file", "")),
        int(layer.get("line") or 0),
        str(layer.get("text", "")),
        layer.get("reason"),
        layer.get("note"),
        undone,
    )


def _layer_key(layer: Mapping[str, Any]) -> tuple[Any, ...]:
    """What a layer did, not where it is written: a line added above a change in the profile
    moves its line number and changes nothing it did."""
    return (layer.get("action"), layer.get("reason"), layer.get("note"), layer.get("was"))


def causes(
    old: Sequence[Mapping[str, Any]], new: Sequence[Mapping[str, Any]]
) -> tuple[LayerCause, ...]:
    """The layers ``new`` has and ``old`` has not (in order), then those undone (``old``'s
    that ``new`` has not): the athlete's changes behind a workout's difference."""
    old_keys, new_keys = [_layer_key(layer) for layer in old], [_layer_key(layer) for layer in new]
    added = [_cause(layer, False) for layer in new if _unmatched(layer, old_keys)]
    undone = [_cause(layer, True) for layer in old if _unmatched(layer, new_keys)]
    return (*added, *undone)


def _unmatched(layer: Mapping[str, Any], keys: list[tuple[Any, ...]]) -> bool:
    """Whether ``layer`` is not among ``keys``; one that is uses its key up (a workout moved
    twice by equal changes has two layers)."""
    key = _layer_key(layer)
    if key in keys:
        keys.remove(key)
        return False
    return True


def _weeks(plan: Mapping[str, Any] | None) -> dict[str, Mapping[str, Any]]:
    return {str(w.get("start")): w for w in (plan or {}).get("weeks") or ()}


def _units(plan: Mapping[str, Any] | None) -> Unit:
    units = ((plan or {}).get("athlete") or {}).get("units")
    return "mi" if units == "mi" else "km"


def _changes(
    old: Mapping[str, Any], new: Mapping[str, Any], names: Iterable[str], unit: Unit
) -> tuple[FieldChange, ...]:
    """The fields that differ as people read them: a figure that rounds to the same text
    (a distance of 5.01 km and 5.04 km, both '5 km') has not changed."""
    return tuple(
        FieldChange(name, old.get(name), new.get(name))
        for name in names
        if old.get(name) != new.get(name)
        and (
            name not in _FIGURES
            or field_text(name, old.get(name), unit) != field_text(name, new.get(name), unit)
        )
    )


def steps_text(steps: Sequence[Mapping[str, Any]] | None, unit: Unit = "km") -> str:
    """A one-line summary of plan.json steps: 'warmup 2 km @ easy, 6 x (run 400 m @ interval,
    recover 90 s)'."""
    return ", ".join(_step_text(step, unit) for step in steps or ())


def _step_text(step: Mapping[str, Any], unit: Unit) -> str:
    children = step.get("steps") or ()
    repeat = step.get("repeat") or 1
    if children:
        inner = steps_text(children, unit)
        return f"{repeat} x ({inner})" if repeat > 1 else f"({inner})"
    distance, duration = step.get("distance_m") or 0, step.get("duration_s") or 0
    amount = (
        format_distance(distance, unit)
        if distance
        else format_duration(duration)
        if duration
        else ""
    )
    text = " ".join(
        part for part in (str(step.get("label") or step.get("kind") or "step"), amount) if part
    )
    if step.get("zone"):
        text += f" @ {step['zone']}"
    return f"{repeat} x {text}" if repeat > 1 else text


def _workout_change(
    uid: str,
    old: Mapping[str, Any],
    new: Mapping[str, Any],
    unit: Unit,
    layers: tuple[LayerCause, ...] = (),
) -> WorkoutChange | None:
    fields = []
    for change in _changes(old, new, _WORKOUT_FIELDS, unit):
        if change.name == "steps":
            before, after = steps_text(change.old, unit), steps_text(change.new, unit)
            if before == after:  # only paces or notes moved
                before, after = before + " (details differ)", after
            change = FieldChange("steps", before, after)
        fields.append(change)
    if not fields:
        return None
    return WorkoutChange(uid, str(new.get("date")), str(new.get("title")), tuple(fields), layers)


def _ref(uid: str, workout: Mapping[str, Any], layers: tuple[LayerCause, ...]) -> WorkoutChange:
    return WorkoutChange(uid, str(workout.get("date")), str(workout.get("title")), layers=layers)


def _by_date(changes: Iterable[WorkoutChange]) -> tuple[WorkoutChange, ...]:
    return tuple(sorted(changes, key=lambda c: (c.date, c.uid)))


def _week_changes(
    old: Mapping[str, Any] | None, new: Mapping[str, Any] | None, units: Unit
) -> list[WeekChange]:
    """The weeks added, removed or changed, by start date."""
    weeks: list[WeekChange] = []
    old_weeks, new_weeks = _weeks(old), _weeks(new)
    for start in sorted(old_weeks.keys() | new_weeks.keys()):
        before, after = old_weeks.get(start), new_weeks.get(start)
        if before is None and after is not None:
            weeks.append(WeekChange(start, int(after.get("index", 0)), "added"))
        elif after is None and before is not None:
            weeks.append(WeekChange(start, int(before.get("index", 0)), "removed"))
        elif before is not None and after is not None:
            fields = _changes(before, after, _WEEK_FIELDS, units)
            if fields:
                weeks.append(WeekChange(start, int(after.get("index", 0)), "changed", fields))
    return weeks


def diff_plans(
    old: Mapping[str, Any] | None,
    new: Mapping[str, Any] | None,
    *,
    athlete_id: str | None = None,
) -> AthleteDiff:
    """Compare two plan.json documents (as parsed JSON) of one athlete; ``None`` means the
    athlete is not in that build.  ``athlete_id`` defaults to the plans' ``athlete.id``."""
    if athlete_id is None:
        athlete_id = str(((new or old or {}).get("athlete") or {}).get("id", ""))
    units = _units(new if new is not None else old)
    if old is None and new is None:
        return AthleteDiff(athlete_id, "unchanged", units)
    old_plan, new_plan = old or {}, new or {}
    plan_fields = () if old is None or new is None else _changes(old, new, _PLAN_FIELDS, units)

    weeks = _week_changes(old, new, units)
    old_workouts, new_workouts = _workouts(old_plan), _workouts(new_plan)
    old_layers, new_layers = _layers(old_plan), _layers(new_plan)

    def why(uid: str) -> tuple[LayerCause, ...]:
        return causes(old_layers.get(uid, ()), new_layers.get(uid, ()))

    added = [_ref(u, w, why(u)) for u, w in new_workouts.items() if u not in old_workouts]
    removed = [_ref(u, w, why(u)) for u, w in old_workouts.items() if u not in new_workouts]
    changed = [
        change
        for uid, after in new_workouts.items()
        if uid in old_workouts
        and (change := _workout_change(uid, old_workouts[uid], after, units, why(uid))) is not None
    ]

    status: Status
    if old is None:
        status = "added"
    elif new is None:
        status = "removed"
    elif plan_fields or weeks or added or removed or changed:
        status = "changed"
    else:
        status = "unchanged"
    return AthleteDiff(
        athlete_id,
        status,
        units,
        plan_fields,
        tuple(weeks),
        _by_date(added),
        _by_date(removed),
        _by_date(changed),
    )


def field_text(name: str, value: Any, unit: Unit) -> str:
    """A field's value as the text output writes it, and as changes are compared."""
    if value is None or value == "":
        return "-"
    number = isinstance(value, int | float) and not isinstance(value, bool)
    if name in ("distance_m", "target_m", "planned_m") and number:
        return format_distance(value, unit) if value > 0 else f"0 {unit}"
    if name == "duration_s" and number:
        return format_duration(value)  # '45 min', '1 h 05 min': as the plan's pages write it
    if name == "goal_s" and number:
        return format_clock(value)  # a race time: '1:45:00'
    if name == "vdot" and number:
        return f"{value:.1f}"
    if name == "race" and isinstance(value, Mapping):
        return ", ".join(
            f"{key} {field_text(key, item, unit)}"
            for key, item in value.items()
            if key in ("name", "date", "distance_m", "goal_s")
        )
    if name == "description":
        text = str(value)
        return repr(text if len(text) <= 40 else text[:37] + "...")
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)
