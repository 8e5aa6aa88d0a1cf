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

This module is the command's edge: :func:`diff_folders` reads the two folders and compares what
it read, athlete by athlete.  The rest is pure and in modules of its own: the findings as data
(:mod:`.diff_model`), two plans compared (:mod:`.diff_compare`) and the report in text or JSON
(:mod:`.diff_render`).  A missing or corrupt ``plan.json`` is reported in
:attr:`~.diff_model.SiteDiff.problems`, never raised.  Exit codes follow
``diff(1)``: :func:`exit_code` is 0 when nothing differs, 1 when something does, 2 when a plan
could not be read (usage errors, such as a folder that does not exist, raise
:class:`~compiler.diagnostics.UsageError`, also exit code 2).
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Literal, cast

from ..diagnostics import EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE, UsageError
from ..emit.registry import PLAN_JSON, plan_names
from ..site.families import contents
from ..site.site_cache import NAME as SITE_RECORD
from .diff_compare import diff_plans
from .diff_model import AthleteDiff, Problem, SiteDiff

__all__ = ["diff_folders", "exit_code", "read_plan"]


def _athlete_folders(root: Path) -> dict[str, Path]:
    """The athletes' folders of a build, by id: a folder holding any of the files `planc build`
    writes for an athlete (compiler/emit/registry.py), which must then hold a plan.json."""
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
