"""`planc check` (and `planc explain`): every document under the paths loaded, checked and
resolved, every athlete kept whole as its ``Blueprint`` and its document (``load_project``).
A build does not keep them (compiler/site/build.py streams its athletes instead).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ..diagnostics import Diagnostic, PlanError, has_errors, sorted_diagnostics
from ..model import Blueprint
from ..plan.pipeline import compile_checked
from ..plan.resolve import resolve_athlete
from ..sources.document import Document
from ..sources.gather import AthleteFile, duplicate_ids, gather
from ..sources.library import Library, Templates


@dataclass(frozen=True)
class Project:
    """Everything found under the given paths, checked: the athletes ready to compile, and all
    diagnostics of all files."""

    files: tuple[str, ...]
    library: Library
    templates: Templates
    blueprints: tuple[Blueprint, ...]
    failed_athletes: tuple[str, ...]  # files of athletes that cannot be compiled
    diagnostics: tuple[Diagnostic, ...] = field(default=())
    sources: Mapping[str, str] = field(default_factory=dict, repr=False)  # path -> text
    athlete_documents: tuple[Document, ...] = field(default=(), repr=False)

    @property
    def ok(self) -> bool:
        return not has_errors(self.diagnostics)


def check_changes(blueprint: Blueprint, today: dt.date) -> tuple[bool, list[Diagnostic]]:
    """Whether the athlete's changes fit their plan, and what checking them found: they can
    only be checked against the compiled plan, so an athlete with changes is compiled here
    (the others are not: `check` stays fast for a club)."""
    try:
        return True, list(compile_checked(blueprint, today).warnings)
    except PlanError as exc:
        return False, list(exc.diagnostics)


def load_project(
    paths: Sequence[Path],
    *,
    template_dirs: Sequence[Path] = (),
    today: dt.date,
    jobs: int = 1,
) -> Project:
    """Load, validate and resolve every document under ``paths`` (athletes and templates) against
    the template search path: ``template_dirs``, templates found in ``paths``, then the bundled
    library.  ``jobs`` > 1 parses the files under ``paths`` in that many processes when there are
    enough of them; the result is the same.  Every athlete is kept whole (for `planc check` and
    `planc explain`); `build_site` does not keep them (``gather``)."""
    gathered = gather(paths, template_dirs, jobs, keep_athletes=True)
    diagnostics, failed = gathered.diagnostics, gathered.failed
    athletes = gathered.athletes
    duplicates = duplicate_ids([AthleteFile.of(d) for d in athletes])
    blueprints: list[Blueprint] = []
    for doc, duplicate in zip(athletes, duplicates, strict=True):
        if duplicate is not None:
            diagnostics.append(duplicate)
            failed.append(doc.path)
            continue
        blueprint, problems = resolve_athlete(doc, gathered.templates, gathered.library, today)
        diagnostics.extend(problems)
        if blueprint is not None and blueprint.athlete.changes:
            changes_ok, found = check_changes(blueprint, today)
            diagnostics.extend(found)
            blueprint = blueprint if changes_ok else None
        if blueprint is None:
            failed.append(doc.path)
        else:
            blueprints.append(blueprint)
    return Project(
        files=gathered.files,
        library=gathered.library,
        templates=gathered.templates,
        blueprints=tuple(blueprints),
        failed_athletes=tuple(dict.fromkeys(failed)),
        diagnostics=tuple(sorted_diagnostics(diagnostics)),
        sources=gathered.sources,
        athlete_documents=tuple(athletes),
    )
