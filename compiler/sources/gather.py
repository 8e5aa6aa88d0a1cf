"""The first pass of every command: load and schema-check every file, compose the templates
along the search path, and resolve them once (``gather``); the athletes come back as documents,
or only as ``AthleteFile``s when a build re-reads them in its workers (compiler/site/batch.py).
"""

from __future__ import annotations

import os
from collections.abc import Hashable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from functools import cache, partial
from pathlib import Path

from ..diagnostics import Diagnostic, PlanError, Position, error, has_errors
from ..resources import templates_dir
from .compose import Layers, compose, is_derived
from .discover import find_files
from .document import Document
from .file_text import display_path, read_text, source_name
from .library import TEMPLATE_KINDS, Library, Templates, build_library
from .load import load_text
from .resolve_templates import resolve_templates
from .validate import validate_document


@dataclass(frozen=True, slots=True)
class AthleteFile:
    """An athlete's file as the first pass of a build leaves it: enough to find duplicate ids
    and to load the file again where it is built, not its data.  A build keeps one of these (a
    few hundred bytes) per athlete where a parsed ``Document`` takes about 15 KB, so its memory
    does not grow with the club: the athletes are parsed twice, once here and once in the
    worker that builds them (compiler/site/batch.py)."""

    path: str  # as shown to people (``Document.path``)
    file: str  # the file to read
    id: str
    id_at: Position  # where the id is written: a duplicate id is reported there

    @classmethod
    def of(cls, doc: Document) -> AthleteFile:
        return cls(doc.path, str(doc.file or doc.path), doc.name or "", doc.where(("id",)))


@dataclass(frozen=True)
class _Loaded:
    documents: list[Document]  # schema-valid documents (athletes too, unless kept as files)
    diagnostics: list[Diagnostic]
    failed: list[str]  # files that failed and are not templates (athletes, or too broken to tell)
    broken: list[tuple[str, str]]  # (kind, name) of templates with errors: known, not resolved
    sources: dict[str, str]  # display path -> text, for showing diagnostics in context
    athletes: list[AthleteFile] = field(default_factory=list)  # schema-valid, not kept whole


def _load_all(files: Sequence[Path], keep_athletes: bool = True) -> _Loaded:
    """Load and schema-check ``files``.  Without ``keep_athletes`` a valid athlete is reduced to
    an ``AthleteFile`` and its text is kept only when it has diagnostics (the report shows
    them in context): what a build needs of the athletes before it builds them."""
    documents: list[Document] = []
    diagnostics: list[Diagnostic] = []
    failed: list[str] = []
    broken: list[tuple[str, str]] = []
    sources: dict[str, str] = {}
    athletes: list[AthleteFile] = []
    for path in files:
        display = source_name(path)
        try:
            text = read_text(path, display)
            sources[display] = text
            doc = load_text(text, display, path)
        except PlanError as exc:
            diagnostics.extend(exc.diagnostics)
            failed.append(display)
            continue
        if is_derived(doc):
            documents.append(doc)  # checked once composed with what it extends
            continue
        problems = validate_document(doc)
        diagnostics.extend(problems)
        if not has_errors(problems):
            if doc.kind == "athlete" and not keep_athletes:
                athletes.append(AthleteFile.of(doc))
                if not problems:
                    del sources[display]
            else:
                documents.append(doc)
        elif doc.kind in TEMPLATE_KINDS and doc.name is not None:
            broken.append((doc.kind, doc.name))
        else:
            failed.append(doc.path)
    return _Loaded(documents, diagnostics, failed, broken, sources, athletes)


PARALLEL_LOAD_MIN = 64  # files below which starting processes to parse them does not pay


def _load_parallel(files: Sequence[Path], jobs: int, keep_athletes: bool = True) -> _Loaded:
    """``_load_all`` spread over ``jobs`` processes, in chunks, the results joined in the order of
    ``files``: the same result as loading them here, sooner.  Parsing YAML is most of a check, and
    a build with ``jobs`` processes would otherwise spend it on one core before the pool starts."""
    if jobs <= 1 or len(files) < PARALLEL_LOAD_MIN:
        return _load_all(files, keep_athletes)
    size = -(-len(files) // (jobs * 4))  # about four chunks a process: they finish together
    chunks = [list(files[i : i + size]) for i in range(0, len(files), size)]
    with ProcessPoolExecutor(max_workers=min(jobs, len(chunks))) as pool:
        parts = list(pool.map(partial(_load_all, keep_athletes=keep_athletes), chunks))
    return _Loaded(
        documents=[d for part in parts for d in part.documents],
        diagnostics=[d for part in parts for d in part.diagnostics],
        failed=[f for part in parts for f in part.failed],
        broken=[b for part in parts for b in part.broken],
        sources={path: text for part in parts for path, text in part.sources.items()},
        athletes=[a for part in parts for a in part.athletes],
    )


@cache
def _bundled_templates() -> _Loaded:
    return _load_all(find_files([templates_dir()]))


@cache
def _bundled_paths() -> frozenset[str]:
    """The real paths of the bundled library's files, read once as ``_bundled_templates`` is:
    a coach folder that holds them does not load them twice."""
    return frozenset(os.path.realpath(p) for p in find_files([templates_dir()]))


@dataclass(frozen=True)
class _Resolved:
    """The template library composed, indexed and resolved, with what that found."""

    library: Library
    templates: Templates
    diagnostics: tuple[Diagnostic, ...]


# Libraries resolved, by the content of their template layers: a process that gathers the same
# templates again (`planc serve` after an athlete changes, an API user or a test checking
# athlete after athlete) resolves them once.  A few keys cover a session; a bound, not a policy.
RESOLVED_LIBRARIES_KEPT = 8
_RESOLVED: dict[tuple[Hashable, ...], _Resolved] = {}


def _resolved(layers: Sequence[_Loaded]) -> _Resolved:
    """The templates of ``layers`` (search-path order) composed, indexed and resolved, from
    memory when the same templates were resolved before in this process.  Composing and
    resolving read nothing but the documents (no files, no clock), a document is a function of
    its path, file and text (compiler/sources/load.py), and the results are immutable, so the
    key is those of every template of every layer (the bundled layer is loaded once per
    process, ``_bundled_templates``): a template edited on disk is a new key, never an old
    answer.  Resolving is about half of loading a small project (issue 14)."""
    key = tuple(_layer_key(layer) for layer in layers)
    known = _RESOLVED.get(key)
    if known is None:
        known = _resolve(layers)
        if len(_RESOLVED) >= RESOLVED_LIBRARIES_KEPT:
            _RESOLVED.clear()
        _RESOLVED[key] = known
    return known


def _layer_key(layer: _Loaded) -> Hashable:
    if layer is _bundled_templates():
        return "bundled"
    templates = tuple((d.path, str(d.file), d.text) for d in layer.documents if d.kind != "athlete")
    return templates, tuple(layer.broken)


def _resolve(layers: Sequence[_Loaded]) -> _Resolved:
    composed = compose(
        Layers(
            [[d for d in layer.documents if d.kind != "athlete"] for layer in layers],
            [list(layer.broken) for layer in layers],
        )
    )
    diagnostics = list(composed.diagnostics)
    library, problems = build_library(list(zip(composed.documents, composed.broken, strict=True)))
    diagnostics.extend(problems)
    templates, problems = resolve_templates(library)
    diagnostics.extend(problems)
    return _Resolved(library, templates, tuple(diagnostics))


@dataclass(frozen=True)
class Gathered:
    """What the first pass finds: the template library, resolved, and the athletes."""

    files: tuple[str, ...]
    library: Library
    templates: Templates
    athletes: list[Document]  # with keep_athletes
    athlete_files: list[AthleteFile]  # without it
    failed: list[str]
    diagnostics: list[Diagnostic]
    sources: dict[str, str]


def gather(
    paths: Sequence[Path], template_dirs: Sequence[Path], jobs: int, keep_athletes: bool
) -> Gathered:
    """Load every document under ``paths``, and the templates of the search path
    (``template_dirs``, templates found in ``paths``, then the bundled library), and resolve
    the templates.  ``keep_athletes``: athletes come back whole, else as ``AthleteFile``s."""
    # one layer per coach folder, in the order given, then the templates among PATHS
    layers: list[_Loaded] = []
    seen = set(_bundled_paths())  # the bundled library
    files: list[str] = []
    for folder in [*(Path(d) for d in template_dirs), None]:
        found = find_files([folder] if folder is not None else paths)
        own = [f for f in found if os.path.realpath(f) not in seen]
        seen.update(os.path.realpath(f) for f in own)
        files.extend(display_path(f) for f in own)
        if folder is None:
            layers.append(_load_parallel(own, jobs, keep_athletes))
        else:
            layers.append(_load_all(own))
    layers.append(_bundled_templates())
    diagnostics = [d for layer in layers for d in layer.diagnostics]
    resolved = _resolved(layers)
    diagnostics.extend(resolved.diagnostics)
    return Gathered(
        files=tuple(files),
        library=resolved.library,
        templates=resolved.templates,
        athletes=[d for d in layers[-2].documents if d.kind == "athlete"],
        athlete_files=layers[-2].athletes,
        failed=list(layers[-2].failed),
        diagnostics=diagnostics,
        sources={path: text for layer in layers for path, text in layer.sources.items()},
    )


def duplicate_ids(athletes: Sequence[AthleteFile]) -> list[Diagnostic | None]:
    """For each athlete in order, the duplicate-id error when an earlier file has its id (that
    athlete is not built: the id names its output folder and calendar), else None."""
    first: dict[str, str] = {}  # id -> path: all a build keeps of the ids
    found: list[Diagnostic | None] = []
    for athlete in athletes:
        if athlete.id not in first:
            first[athlete.id] = athlete.path
            found.append(None)
            continue
        found.append(
            error(
                "duplicate-id",
                f"athlete id '{athlete.id}' is also used by {first[athlete.id]}",
                athlete.path,
                athlete.id_at,
                "every athlete needs its own id: it names the output folder and calendar",
            )
        )
    return found
