"""The project file, ``planc.yaml``: a coach's repository said once, found from anywhere in it.

A repository made by ``planc init`` has a ``planc.yaml`` at its root naming the athlete files
or folders, the template folders, the output folder, and the build's defaults (the calendar
domain, the base URL).  ``planc check``, ``build``, ``serve``, ``explain``, ``diff`` and
``index`` look for it in the working folder and then in each folder above it, as git, dbt and
mkdocs do, so a command run anywhere inside the repository works on the whole repository, and
building one athlete's file finds the repository's templates.

Precedence, for every setting: the command line, then planc.yaml, then the built-in default.
Paths in planc.yaml are relative to the folder it is in; they are resolved here, once, to
absolute paths.  A broken planc.yaml is reported like any other file, as diagnostics at
file:line:column (exit code 2: no command can run as configured).

Without a project file planc works as it always has, with one exception: when given no PATHS
inside a folder that looks like a coach's repository (``templates/`` and ``athletes/`` side by
side, in the working folder or above it up to the git root), planc refuses to fall back on its
bundled examples, which would build someone else's athletes into the coach's folder, and says how
to point it at the repository instead.  ``--no-project`` turns both discovery and that guard off.
"""

from __future__ import annotations

import dataclasses
import json
import os
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator

from ..diagnostics import (
    EXIT_USAGE,
    Diagnostic,
    PlanError,
    UsageError,
    did_you_mean,
    error,
)
from ..resources import schemas_dir
from ..sources.discover import PROJECT_FILE
from ..sources.document import Document
from ..sources.file_text import display_path, read_text
from ..sources.load import load_text

DEFAULT_OUT = "public"  # beside planc.yaml, so a build run in a subfolder writes the same site
COACH_FOLDERS = ("templates", "athletes")  # side by side: a coach's repository
_START_HINT = "start it with the athletes' folder, e.g. `athletes: [athletes]`"


class ProjectFileError(PlanError):
    """planc.yaml has problems (diagnostics at file:line:column); nothing can run until it is
    fixed, so it is a usage error (exit code 2), not a problem found in the plans."""

    exit_code = EXIT_USAGE


class NoProjectHere(UsageError):
    """No PATHS, no planc.yaml, and the working folder looks like a coach's repository."""


@dataclass(frozen=True)
class ProjectFile:
    """A loaded planc.yaml: every path absolute; None where the file leaves a setting out."""

    file: Path
    root: Path  # the folder of the file: its relative paths start here
    athletes: tuple[Path, ...]
    templates: tuple[Path, ...]
    out: Path
    domain: str | None = None
    base_url: str | None = None  # normalized: absolute http(s), ending in '/'


@dataclass(frozen=True)
class Inputs:
    """What a command works on, after the command line, planc.yaml and the defaults.

    ``paths`` is empty when the command falls back on the bundled examples (the caller's
    ``api.default_paths()``).  ``notes`` are one-line remarks for people (a coach's templates
    the command will not see), for stderr in the text format only."""

    project: ProjectFile | None
    paths: tuple[Path, ...]
    template_dirs: tuple[Path, ...]
    notes: tuple[str, ...] = ()


# --- finding ---------------------------------------------------------------------------------


def find_project_file(start: Path) -> Path | None:
    """The nearest planc.yaml in ``start`` or a folder above it, or None."""
    start = Path(start).absolute()
    for folder in (start, *start.parents):
        candidate = folder / PROJECT_FILE
        if candidate.is_file():
            return candidate
    return None


def coach_folder(start: Path) -> Path | None:
    """The nearest folder with ``templates/`` and ``athletes/`` side by side: ``start`` and the
    folders above it up to the root of its git repository (only ``start`` outside of one)."""
    start = Path(start).absolute()
    folders = [start, *start.parents]
    top = next((i for i, f in enumerate(folders) if (f / ".git").exists()), 0)
    for folder in folders[: top + 1]:
        if all((folder / name).is_dir() for name in COACH_FOLDERS):
            return folder
    return None


def choose_project(explicit: Path | None, *, ignore: bool, cwd: Path) -> ProjectFile | None:
    """The project file a command uses: ``explicit`` (``--project``: planc.yaml or the folder
    holding it), else the one found from ``cwd``; None with ``ignore`` (``--no-project``)."""
    if ignore:
        return None
    if explicit is not None:
        path = Path(explicit)
        path = path / PROJECT_FILE if path.is_dir() else path
        if not path.is_file():
            raise UsageError(f"--project: there is no {path}")
        return load_project_file(path)
    found = find_project_file(cwd)
    return load_project_file(found) if found is not None else None


# --- loading ---------------------------------------------------------------------------------


@cache
def _validator() -> Draft202012Validator:
    schema = json.loads((schemas_dir() / "project.schema.json").read_text("utf-8"))
    return Draft202012Validator(schema)


def _retarget(diagnostic: Diagnostic) -> Diagnostic:
    """A loader diagnostic whose hint speaks of plan documents (``kind:``), made to fit."""
    if diagnostic.code in ("empty-file", "not-a-mapping"):
        return dataclasses.replace(diagnostic, hint=_START_HINT)
    return diagnostic


def load_project_file(path: Path) -> ProjectFile:
    """Read, check and resolve a planc.yaml; raise :class:`ProjectFileError` with every problem,
    each at its line and column: YAML, the schema, a path that is not there, a bad base URL."""
    path = Path(path).absolute()
    display = display_path(path)
    try:
        doc = load_text(read_text(path, display), display, path)
    except PlanError as exc:
        raise ProjectFileError([_retarget(d) for d in exc.diagnostics]) from None
    problems = _validator_problems(doc)
    if problems:
        raise ProjectFileError(problems)
    root = path.parent
    data: dict[str, Any] = doc.data
    problems = [
        *_missing(doc, root, "athletes", data["athletes"], folder_only=False),
        *_missing(doc, root, "templates", data.get("templates", []), folder_only=True),
    ]
    out = root / data.get("out", DEFAULT_OUT)
    if out.exists() and not out.is_dir():
        problems.append(
            error(
                "bad-value",
                f"'out' is {display_path(out)}, which is a file, not a folder",
                *doc.locate(("out",)),
                "name the folder the site is built into, e.g. `out: public`",
            )
        )
    base_url = _base_url(doc, data.get("base_url"), problems)
    if problems:
        raise ProjectFileError(problems)
    return ProjectFile(
        file=path,
        root=root,
        athletes=tuple(root / p for p in data["athletes"]),
        templates=tuple(root / p for p in data.get("templates", [])),
        out=out,
        domain=data.get("domain"),
        base_url=base_url,
    )


def _validator_problems(doc: Document) -> list[Diagnostic]:
    from ..sources.validate import (
        schema_problems,  # the plan schemas are not needed to read planc.yaml
    )

    return schema_problems(doc, _validator())


def _missing(
    doc: Document, root: Path, key: str, entries: Sequence[str], *, folder_only: bool
) -> list[Diagnostic]:
    """A diagnostic at every entry of ``key`` that is not there (or is not a folder)."""
    problems: list[Diagnostic] = []
    for index, entry in enumerate(entries):
        target = root / entry
        if target.is_dir() or (target.is_file() and not folder_only):
            continue
        what = "folder" if folder_only else "file or folder"
        found = "a file, not a folder" if target.exists() else "not there"
        nearby = [p.name for p in root.iterdir() if p.is_dir()] if root.is_dir() else []
        problems.append(
            error(
                "bad-value",
                f"the {what} '{entry}' in '{key}' is {found}",
                *doc.locate((key, index)),
                did_you_mean(entry, nearby)
                or f"paths in {PROJECT_FILE} are relative to its folder, {root}",
            )
        )
    return problems


def _base_url(doc: Document, value: str | None, problems: list[Diagnostic]) -> str | None:
    if value is None:
        return None
    from ..emit.html_links import normalize_base_url  # loads the page templates: only when needed

    try:
        return normalize_base_url(value)
    except ValueError as exc:
        problems.append(error("bad-value", str(exc), *doc.locate(("base_url",))))
        return None


# --- what a command works on -----------------------------------------------------------------


def command_inputs(
    command: str,
    paths: Sequence[Path],
    template_dirs: Sequence[Path],
    *,
    project: ProjectFile | None,
    ignore_project: bool,
    cwd: Path,
) -> Inputs:
    """PATHS and ``--templates`` of ``planc COMMAND``, from the command line when given, else
    from ``project``; no PATHS and no project means the bundled examples, unless ``cwd`` is in
    what looks like a coach's repository (then :class:`NoProjectHere`, with the way out)."""
    if project is not None:
        return Inputs(
            project, tuple(paths) or project.athletes, tuple(template_dirs) or project.templates
        )
    notes: list[str] = []
    coach = None if ignore_project else coach_folder(cwd)
    if coach is not None and not paths:
        raise NoProjectHere(_no_project_message(command, coach, cwd))
    if coach is not None and not template_dirs and _unsearched(coach, paths):
        templates = _shown(coach / "templates", cwd)
        notes.append(
            f"note: there is no {PROJECT_FILE}, so {templates}/ is not searched for templates: "
            f"pass --templates {templates}, or create {PROJECT_FILE} with "
            f"`planc init --project-file-only {_shown(coach, cwd)}`"
        )
    return Inputs(None, tuple(paths), tuple(template_dirs), tuple(notes))


def _unsearched(coach: Path, paths: Sequence[Path]) -> bool:
    """Whether PATHS reach into the coach's repository but not into its templates/ folder."""
    templates = (coach / "templates").resolve()
    resolved = [Path(p).resolve() for p in paths]
    inside = any(p == coach.resolve() or coach.resolve() in p.parents for p in resolved)
    covered = any(p == templates or p in templates.parents for p in resolved)
    return inside and not covered


def _shown(path: Path, cwd: Path) -> str:
    """``path`` as typed in ``cwd`` (inside the coach's folder): relative, ``..`` when above."""
    return Path(os.path.relpath(path, cwd)).as_posix()


def _no_project_message(command: str, coach: Path, cwd: Path) -> str:
    athletes, templates = (_shown(coach / name, cwd) for name in ("athletes", "templates"))
    where = "this folder" if coach == cwd else f"the folder {coach}"
    return (
        f"{where} looks like a coach's repository (it has templates/ and athletes/) but has no "
        f"{PROJECT_FILE}, so planc does not know what to {command}; with no PATHS it would work "
        "on its own bundled examples, and it will not do that here.\n"
        f"  Point planc at the repository: create {PROJECT_FILE} with "
        f"`planc init --project-file-only {_shown(coach, cwd)}` (then `planc {command}` works "
        "from anywhere inside it),\n"
        f"  or name the folders: `planc {command} {athletes} --templates {templates}`,\n"
        "  or add --no-project to work on the bundled examples anyway."
    )
