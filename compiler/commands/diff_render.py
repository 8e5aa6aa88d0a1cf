"""The report of `planc diff`, pure: :func:`render_text` for people (a paragraph per athlete that
changed, then a summary line) and :func:`render_json` for tools (format ``planc-diff/1``,
documented in docs/publishing.md).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from ..report import count
from ..units import Unit
from .diff_compare import field_text
from .diff_model import FORMAT, AthleteDiff, FieldChange, SiteDiff, WorkoutChange

# How fields are named in the text output.
_LABELS = {
    "distance_m": "distance",
    "duration_s": "duration",
    "start_time": "start",
    "target_m": "target",
    "planned_m": "planned",
}


def _fields_text(fields: Iterable[FieldChange], unit: Unit) -> str:
    return "; ".join(
        f"{_LABELS.get(f.name, f.name)} {field_text(f.name, f.old, unit)} -> "
        f"{field_text(f.name, f.new, unit)}"
        for f in fields
    )


def _why(change: WorkoutChange) -> str:
    """The athlete's changes behind a workout's difference, after it: " [moved by
    sam.yaml:31: travel (from 2027-01-13)]"; nothing when a template or the engine made it."""
    if not change.layers:
        return ""
    return " [" + "; ".join(layer.words for layer in change.layers) + "]"


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
        (c.date, 1, f"  {c.date} {c.title}: {_fields_text(c.fields, unit)}{_why(c)}")
        for c in athlete.workouts_changed
    ]
    rows += [(c.date, 0, f"  - {c.date} {c.title}{_why(c)}") for c in athlete.workouts_removed]
    rows += [(c.date, 2, f"  + {c.date} {c.title}{_why(c)}") for c in athlete.workouts_added]
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
    data["layers"] = [
        {
            "action": layer.action,
            "file": layer.file,
            "line": layer.line,
            "reason": layer.reason,
            "note": layer.note,
            "undone": layer.undone,
            "text": layer.text,
        }
        for layer in change.layers
    ]
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
