"""`planc diff`: what changed between two builds, athlete by athlete.

Two output folders (OLD and NEW, each holding ``<athlete id>/plan.json``) are compared through
their ``plan.json`` files, the documented contract (``docs/outputs.md``), so a reviewer of a
template change sees its effect on every athlete before it ships: athletes added and removed,
weeks whose target, plan or phase moved, and per athlete the workouts added, removed and changed
with the fields that changed; and the files of the output registry's families (a FIT file per
run, compiler/site/families.py) added, removed and changed, compared by what they hold (a file
made again at another time, with the same workout in it, is no change).

A workout's identity is its ``uid`` (athlete, date and slot): a workout moved to another day is
removed on one date and added on the other, exactly as the calendar feeds see it.  Figures are
compared as people read them (distances to a tenth of the athlete's unit, durations to the minute,
VDOT to a tenth): a change that rounds to the same figure (5.01 km to 5.04 km) is no change.

Everything here is pure except :func:`diff_folders`, which reads the files; a missing or corrupt
``plan.json`` is reported in :attr:`SiteDiff.problems`, never raised.  Exit codes follow
``diff(1)``: :func:`exit_code` is 0 when nothing differs, 1 when something does, 2 when a plan
could not be read (usage errors, such as a folder that does not exist, raise
:class:`~compiler.diagnostics.UsageError`, also exit code 2).
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, cast

from ..diagnostics import EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE, UsageError
from ..emit.registry import PLAN_JSON, plan_names
from ..report import count
from ..site.families import contents
from ..site.site_cache import NAME as SITE_RECORD
from ..units import Unit, format_clock, format_distance, format_duration

__all__ = [
    "FORMAT",
    "AthleteDiff",
    "FieldChange",
    "Problem",
    "SiteDiff",
    "WeekChange",
    "WorkoutChange",
    "diff_folders",
    "diff_plans",
    "exit_code",
    "render_json",
    "render_text",
]

FORMAT = "planc-diff/1"  # the "format" key of render_json's document

Status = Literal["added", "removed", "changed", "unchanged"]

# The files `planc build` writes in every athlete's folder (compiler/emit/registry.py): a folder
# holding any of them is an athlete's, and must then hold a readable plan.json.

# Compared fields, in the order they are reported.
_PLAN_FIELDS = ("units", "program", "focus", "vdot", "race", "start", "end")
_WEEK_FIELDS = ("phase", "target_m", "planned_m", "cutback")
_WORKOUT_FIELDS = (
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

# How fields are named in the text output.
_LABELS = {
    "distance_m": "distance",
    "duration_s": "duration",
    "start_time": "start",
    "target_m": "target",
    "planned_m": "planned",
}


@dataclass(frozen=True)
class FieldChange:
    """One field that differs: its plan.json name and its old and new values (as in plan.json,
    except ``steps``, which is compared whole and reported as a one-line summary)."""

    name: str
    old: Any
    new: Any


@dataclass(frozen=True)
class WorkoutChange:
    """A workout added, removed or changed (``fields`` is empty for added and removed ones).
    ``date`` and ``title`` are the new ones, or the old ones for a removed workout."""

    uid: str
    date: str
    title: str
    fields: tuple[FieldChange, ...] = ()


@dataclass(frozen=True)
class WeekChange:
    """A week (keyed by its start date) added, removed, or with a changed phase, target, planned
    volume or cutback."""

    start: str
    index: int
    status: Status
    fields: tuple[FieldChange, ...] = ()


@dataclass(frozen=True)
class AthleteDiff:
    athlete_id: str
    status: Status
    units: Unit = "km"  # the athlete's units (the new plan's, or the old one's when removed)
    plan: tuple[FieldChange, ...] = ()  # program, focus, race, start, end...
    weeks: tuple[WeekChange, ...] = ()
    workouts_added: tuple[WorkoutChange, ...] = ()
    workouts_removed: tuple[WorkoutChange, ...] = ()
    workouts_changed: tuple[WorkoutChange, ...] = ()
    # the registry's families of files (a FIT file per run), by path in the athlete's folder,
    # compared by what they hold (their family's record), not by when they were made
    files_added: tuple[str, ...] = ()
    files_removed: tuple[str, ...] = ()
    files_changed: tuple[str, ...] = ()


@dataclass(frozen=True)
class Problem:
    """A plan.json that could not be compared: ``side`` is "old" or "new"."""

    athlete_id: str
    side: Literal["old", "new"]
    path: str
    message: str


@dataclass(frozen=True)
class SiteDiff:
    old: str
    new: str
    athletes: tuple[AthleteDiff, ...]  # by id; athletes with a problem are left out
    problems: tuple[Problem, ...] = ()

    @property
    def changed(self) -> bool:
        return any(a.status != "unchanged" for a in self.athletes)


# -- comparing plans ----------------------------------------------------------------------------


def _workouts(plan: Mapping[str, Any] | None) -> dict[str, Mapping[str, Any]]:
    found: dict[str, Mapping[str, Any]] = {}
    for week in (plan or {}).get("weeks") or ():
        for workout in week.get("workouts") or ():
            found[str(workout["uid"])] = workout
    return found


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
            or _value(name, old.get(name), unit) != _value(name, new.get(name), unit)
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
    uid: str, old: Mapping[str, Any], new: Mapping[str, Any], unit: Unit
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
    return WorkoutChange(uid, str(new.get("date")), str(new.get("title")), tuple(fields))


def _ref(uid: str, workout: Mapping[str, Any]) -> WorkoutChange:
    return WorkoutChange(uid, str(workout.get("date")), str(workout.get("title")))


def _by_date(changes: Iterable[WorkoutChange]) -> tuple[WorkoutChange, ...]:
    return tuple(sorted(changes, key=lambda c: (c.date, c.uid)))


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

    old_workouts, new_workouts = _workouts(old_plan), _workouts(new_plan)
    added = [_ref(u, w) for u, w in new_workouts.items() if u not in old_workouts]
    removed = [_ref(u, w) for u, w in old_workouts.items() if u not in new_workouts]
    changed = [
        change
        for uid, after in new_workouts.items()
        if uid in old_workouts
        and (change := _workout_change(uid, old_workouts[uid], after, units)) is not None
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


# -- reading two builds -------------------------------------------------------------------------


def _athlete_folders(root: Path) -> dict[str, Path]:
    found = {}
    for child in sorted(root.iterdir()):
        if child.name.startswith(".") or not child.is_dir():
            continue
        if any((child / name).is_file() for name in plan_names()):
            found[child.name] = child
    return found


def _check(data: Any) -> Mapping[str, Any]:
    """``data`` if it has the shape diff relies on, else ValueError saying what is wrong."""
    if not isinstance(data, dict):
        raise ValueError("not a plan: the document is not a JSON object")
    weeks = data.get("weeks")
    if not isinstance(weeks, list):
        raise ValueError("not a plan: no 'weeks' list")
    for week in weeks:
        if not isinstance(week, dict) or not isinstance(week.get("workouts"), list):
            raise ValueError("not a plan: a week without a 'workouts' list")
        for workout in week["workouts"]:
            if not isinstance(workout, dict) or not isinstance(workout.get("uid"), str):
                raise ValueError("not a plan: a workout without a 'uid'")
    return cast(Mapping[str, Any], data)


def read_plan(path: Path) -> Mapping[str, Any]:
    """A plan.json, parsed and checked; ValueError (with a reason) when missing or unreadable."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ValueError("missing: the athlete's folder has no plan.json") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ValueError(f"unreadable: {exc}") from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ValueError(
            f"not valid JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}"
        ) from None
    return _check(data)


def _build_folders(folder: Path) -> dict[str, Path]:
    """The athlete folders of ``folder``; UsageError when it is not the output of `planc build`
    (not a folder, or one with neither the build's record nor an athlete's folder): comparing
    the wrong folder must not pass for "no differences"."""
    if not folder.is_dir():
        raise UsageError(f"{folder}: not a folder (expected the output of `planc build`)")
    found = _athlete_folders(folder)
    if not found and not (folder / SITE_RECORD).is_file():
        hint = (
            f"; it is one athlete's folder: pass the build's output folder, {folder.parent}"
            if (folder / PLAN_JSON.name).is_file()
            else ""
        )
        raise UsageError(
            f"{folder}: not the output of `planc build` (no {SITE_RECORD} and no athlete "
            f"folder with a plan.json){hint}"
        )
    return found


def diff_folders(old: Path, new: Path) -> SiteDiff:
    """Compare two output folders of `planc build`.  Raises UsageError when either is not one
    (see ``_build_folders``); an athlete whose plan.json is missing or corrupt (on either side)
    is reported in ``problems`` and left out of ``athletes``."""
    old_folders, new_folders = _build_folders(old), _build_folders(new)
    athletes: list[AthleteDiff] = []
    problems: list[Problem] = []
    for athlete_id in sorted(old_folders.keys() | new_folders.keys()):
        plans: dict[str, Mapping[str, Any] | None] = {}
        sides: tuple[tuple[Literal["old", "new"], dict[str, Path]], ...] = (
            ("old", old_folders),
            ("new", new_folders),
        )
        for side, folders in sides:
            athlete_folder = folders.get(athlete_id)
            if athlete_folder is None:
                plans[side] = None
                continue
            path = athlete_folder / PLAN_JSON.name
            try:
                plans[side] = read_plan(path)
            except ValueError as exc:
                problems.append(Problem(athlete_id, side, str(path), str(exc)))
        if len(plans) == 2:
            athlete = diff_plans(plans["old"], plans["new"], athlete_id=athlete_id)
            files = _files(old_folders.get(athlete_id), new_folders.get(athlete_id))
            athletes.append(_with_files(athlete, *files))
    return SiteDiff(str(old), str(new), tuple(athletes), tuple(problems))


def _files(old: Path | None, new: Path | None) -> tuple[list[str], list[str], list[str]]:
    """The family files (compiler/site/families.py) added, removed and changed between an
    athlete's two folders (None: not in that build), by path, sorted."""
    before = contents(old) if old is not None else {}
    after = contents(new) if new is not None else {}
    added = [path for path in after if path not in before]
    removed = [path for path in before if path not in after]
    changed = [path for path, held in after.items() if before.get(path, held) != held]
    return added, removed, changed


def _with_files(
    athlete: AthleteDiff, added: list[str], removed: list[str], changed: list[str]
) -> AthleteDiff:
    """``athlete`` with its files' differences; changed when they differ, its plan or not."""
    status = athlete.status
    if status == "unchanged" and (added or removed or changed):
        status = "changed"
    return dataclasses.replace(
        athlete,
        status=status,
        files_added=tuple(added),
        files_removed=tuple(removed),
        files_changed=tuple(changed),
    )


def exit_code(site: SiteDiff) -> int:
    """As diff(1): 0 when nothing differs, 1 when something does, 2 when a plan was unreadable."""
    if site.problems:
        return EXIT_USAGE
    return EXIT_PROBLEMS if site.changed else EXIT_OK


# -- text ---------------------------------------------------------------------------------------


def _value(name: str, value: Any, unit: Unit) -> str:
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
            f"{key} {_value(key, item, unit)}"
            for key, item in value.items()
            if key in ("name", "date", "distance_m", "goal_s")
        )
    if name == "description":
        text = str(value)
        return repr(text if len(text) <= 40 else text[:37] + "...")
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


def _fields_text(fields: Iterable[FieldChange], unit: Unit) -> str:
    return "; ".join(
        f"{_LABELS.get(f.name, f.name)} {_value(f.name, f.old, unit)} -> "
        f"{_value(f.name, f.new, unit)}"
        for f in fields
    )


def _athlete_text(athlete: AthleteDiff, unit: Unit) -> list[str]:
    added, removed = len(athlete.workouts_added), len(athlete.workouts_removed)
    if athlete.status == "added":
        return [f"{athlete.athlete_id}: athlete added ({count(added, 'workout')})"]
    if athlete.status == "removed":
        return [f"{athlete.athlete_id}: athlete removed ({count(removed, 'workout')})"]
    lines = [
        f"{athlete.athlete_id}: {count(len(athlete.workouts_changed), 'workout')} changed, "
        f"{added} added, {removed} removed"
    ]
    if athlete.plan:
        lines.append(f"  plan: {_fields_text(athlete.plan, unit)}")
    for week in athlete.weeks:
        head = f"  week {week.index} ({week.start})"
        if week.status == "changed":
            lines.append(f"{head}: {_fields_text(week.fields, unit)}")
        else:
            lines.append(f"{head}: {week.status}")
    rows = [
        (c.date, 1, f"  {c.date} {c.title}: {_fields_text(c.fields, unit)}")
        for c in athlete.workouts_changed
    ]
    rows += [(c.date, 0, f"  - {c.date} {c.title}") for c in athlete.workouts_removed]
    rows += [(c.date, 2, f"  + {c.date} {c.title}") for c in athlete.workouts_added]
    lines.extend(row for _, _, row in sorted(rows))
    return lines + _files_text(athlete)


def _files_text(athlete: AthleteDiff) -> list[str]:
    """The files that differ: a count line, then each by path (``+`` added, ``-`` removed,
    ``~`` changed), in path order (a workout file's path starts with its date)."""
    added, removed, changed = athlete.files_added, athlete.files_removed, athlete.files_changed
    if not (added or removed or changed):
        return []
    rows = sorted(
        [(path, f"    + {path}") for path in added]
        + [(path, f"    - {path}") for path in removed]
        + [(path, f"    ~ {path}") for path in changed]
    )
    head = f"  files: {len(changed)} changed, {len(added)} added, {len(removed)} removed"
    return [head, *(row for _, row in rows)]


def render_text(site: SiteDiff, *, units_from_plan: bool = True) -> str:
    """The differences for people: a paragraph per athlete that changed (unchanged ones are
    only counted), then a summary line.  Distances are in each athlete's units (from
    plan.json's ``athlete.units``) unless ``units_from_plan`` is false (then km); durations
    as the plan's pages write them ('45 min', '1 h 05 min').  Ends with a newline."""
    lines: list[str] = []
    for problem in site.problems:
        lines.append(f"{problem.path}: error: {problem.message}")
    for athlete in site.athletes:
        if athlete.status == "unchanged":
            continue
        lines.extend(_athlete_text(athlete, athlete.units if units_from_plan else "km"))
    counts = {
        status: sum(1 for a in site.athletes if a.status == status)
        for status in ("changed", "added", "removed", "unchanged")
    }
    if not site.changed and not site.problems:
        lines.append(f"no differences ({count(len(site.athletes), 'athlete')} compared)")
    else:
        summary = ", ".join(f"{n} {status}" for status, n in counts.items())
        lines.append(f"athletes: {summary}")
        if site.problems:
            lines.append(f"{count(len(site.problems), 'plan')} could not be compared")
    return "\n".join(lines) + "\n"


# -- JSON ---------------------------------------------------------------------------------------


def _fields_data(fields: Iterable[FieldChange]) -> list[dict[str, Any]]:
    return [{"field": f.name, "old": f.old, "new": f.new} for f in fields]


def _workout_data(change: WorkoutChange, with_fields: bool) -> dict[str, Any]:
    data: dict[str, Any] = {"uid": change.uid, "date": change.date, "title": change.title}
    if with_fields:
        data["changes"] = _fields_data(change.fields)
    return data


def site_data(site: SiteDiff) -> dict[str, Any]:
    """render_json's document as Python data (dicts keep the key order)."""
    statuses = ("changed", "added", "removed", "unchanged")
    return {
        "format": FORMAT,
        "old": site.old,
        "new": site.new,
        "changed": site.changed,
        "summary": {
            "athletes": {s: sum(1 for a in site.athletes if a.status == s) for s in statuses},
            "workouts": {
                "changed": sum(len(a.workouts_changed) for a in site.athletes),
                "added": sum(len(a.workouts_added) for a in site.athletes),
                "removed": sum(len(a.workouts_removed) for a in site.athletes),
            },
            "files": {
                "changed": sum(len(a.files_changed) for a in site.athletes),
                "added": sum(len(a.files_added) for a in site.athletes),
                "removed": sum(len(a.files_removed) for a in site.athletes),
            },
            "problems": len(site.problems),
        },
        "problems": [
            {"athlete": p.athlete_id, "side": p.side, "path": p.path, "message": p.message}
            for p in site.problems
        ],
        "athletes": [
            {
                "id": a.athlete_id,
                "status": a.status,
                "units": a.units,
                "plan": _fields_data(a.plan),
                "weeks": [
                    {
                        "start": w.start,
                        "index": w.index,
                        "status": w.status,
                        "changes": _fields_data(w.fields),
                    }
                    for w in a.weeks
                ],
                "workouts": {
                    "changed": [_workout_data(c, True) for c in a.workouts_changed],
                    "added": [_workout_data(c, False) for c in a.workouts_added],
                    "removed": [_workout_data(c, False) for c in a.workouts_removed],
                },
                "files": {
                    "changed": list(a.files_changed),
                    "added": list(a.files_added),
                    "removed": list(a.files_removed),
                },
            }
            for a in site.athletes
        ],
    }


def render_json(site: SiteDiff) -> str:
    """The differences as JSON (format ``planc-diff/1``, keys in a fixed order, documented in
    docs/publishing.md): indent 2, not ASCII-escaped, final newline."""
    return json.dumps(site_data(site), indent=2, ensure_ascii=False) + "\n"
