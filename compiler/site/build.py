"""Building a site: every athlete under the paths compiled and written, then the site index
(``build_site``), or the index alone from the athletes' folders (``index_site``).  The athletes
are built by compiler/site/batch.py; the no-op rebuild's fast path is compiler/site/site_cache.py.
``build_site`` reads as its steps: the no-op check (``_site_key``), the first pass and the
athletes (``_build_athletes``: ``_first_pass``, ``batch.build_athletes``, ``_take_results``), the
site index (``_index_step``), the files by what happened to them (``_Files``), the no-op record
(``_record``) and the result (``_build_result``).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..diagnostics import Diagnostic, PlanError, UsageError, has_errors, sorted_diagnostics
from ..emit.registry import PLAN_JSON, SITE_INDEX
from ..resources import schemas_dir, templates_dir
from ..sources.discover import find_files
from ..sources.file_text import read_text
from ..sources.gather import AthleteFile, duplicate_ids, gather
from . import site_cache
from .batch import build_athletes
from .build_model import (
    ENTRY_KEYS,
    AthleteResult,
    BuildOptions,
    IndexScope,
    Progress,
    Shard,
    WorkerContext,
    sorted_outputs,
)
from .folder_index import index_entries, site_index
from .lock import locked
from .manifest import read_manifest, templates_digest
from .writer import UnsafeOutput, unsafe, write_files


@dataclass(frozen=True)
class BuildResult:
    athletes: tuple[str, ...]  # ids built
    failed: tuple[str, ...]  # athlete files that could not be built
    workouts: int
    written: tuple[str, ...]
    unchanged: tuple[str, ...]
    files_checked: int
    diagnostics: tuple[Diagnostic, ...]
    sources: Mapping[str, str] = field(default_factory=dict, repr=False)
    skipped: tuple[str, ...] = ()  # ids left as they were: inputs unchanged since the last build
    seconds: float = 0.0
    # ids the site index lists that this build did not build: athletes' folders earlier builds
    # left in the output folder (IndexScope.FOLDER), or its failed athletes' previous outputs
    others: tuple[str, ...] = ()
    # family files removed (would be, with check), in ``written`` too: a cancelled workout's
    removed: tuple[str, ...] = ()


def build_site(
    paths: Sequence[Path],
    out_dir: Path,
    *,
    template_dirs: Sequence[Path] = (),
    today: dt.date,
    stamp: dt.datetime,
    domain: str = "planc.invalid",
    base_url: str | None = None,
    jobs: int = 1,
    shard: Shard | None = None,
    check: bool = False,
    incremental: bool = True,
    durable: bool = False,
    progress: Progress | None = None,
    index: IndexScope = IndexScope.FOLDER,
) -> BuildResult:
    """Compile every athlete under ``paths`` and write their outputs and the site index
    (``durable``: fsynced, see ``site.writer.write_files``).

    The templates are loaded and checked once; the athletes are built by ``jobs`` processes
    (compiler.site.batch).  An athlete with problems is reported and skipped; its previous outputs
    stay untouched.  With ``shard`` only that shard's athletes are built and the site index is left
    to `planc index`; with ``check`` nothing is written and ``written`` lists what would be; with
    ``incremental`` an athlete whose inputs have not changed since the last build is skipped.
    ``index``: the site index lists every athlete folder in ``out_dir`` (this build's athletes,
    and those earlier builds left there, read from their manifests one at a time), or only this
    build's athletes.

    A build that writes holds the lock on ``out_dir`` (compiler/site/lock.py), so a second one into
    the same folder raises :class:`~compiler.site.lock.OutputLocked` at once; ``check`` takes none.
    Each athlete's files are written before its manifest, and the site index and then the no-op
    record (``.planc-site.json``) only once every athlete is done: a build killed part way leaves
    every file old or new, and is never taken for a complete one."""
    with contextlib.nullcontext() if check else locked(out_dir, "build"):
        started = time.perf_counter()
        key = None
        if incremental and not check and shard is None:  # shards are CI jobs: nothing to skip
            key, checked = _site_key(paths, template_dirs, today, domain, base_url, index)
            state = site_cache.unchanged(out_dir, key) if key else None
            if state is not None:  # nothing changed on either side: nothing to parse or compile
                return _unchanged_build(state, checked, started)
        options = BuildOptions(
            today=today,
            stamp=stamp,
            domain=domain,
            base_url=base_url,
            jobs=jobs,
            check=check,
            incremental=incremental,
            durable=durable,
        )
        results, found = _build_athletes(paths, template_dirs, out_dir, options, shard, progress)
        # the site index first: the build's lists of every output are not alive while it is made
        others, *index_files = _index_step(out_dir, results, index, options, shard, found)
        files = _Files.of(results, *index_files)
        if key and not found.failed and not found.diagnostics:
            listed = others if index is IndexScope.FOLDER else None
            _record(out_dir, key, results, files.outputs(), listed, durable)
        return _build_result(results, found, files, others, started)


def _build_athletes(
    paths: Sequence[Path],
    template_dirs: Sequence[Path],
    out_dir: Path,
    options: BuildOptions,
    shard: Shard | None,
    progress: Progress | None,
) -> tuple[list[AthleteResult], _Found]:
    """The first pass, then the athletes built by the workers (compiler/site/batch.py): the
    ones built, and what was found.  Only the small results outlive this: the athletes' files,
    the workers' context and the batch are let go before the site index is made."""
    athletes, context, found = _first_pass(paths, template_dirs, options.jobs, shard)
    batch = build_athletes(athletes, out_dir, options, context, progress)
    return _take_results(batch.results, found), found


@dataclass(frozen=True)
class _Files:
    """A build's files by what happened to them, each "athlete id/name" (the site index by its
    own name): written (removed ones too), unchanged, removed (a cancelled workout's)."""

    written: tuple[str, ...]
    unchanged: tuple[str, ...]
    removed: tuple[str, ...]

    @classmethod
    def of(
        cls, results: Sequence[AthleteResult], index_written: list[str], index_unchanged: list[str]
    ) -> _Files:
        return cls(
            written=(
                *(f"{r.athlete_id}/{name}" for r in results for name in r.written),
                *index_written,
            ),
            unchanged=(
                *(f"{r.athlete_id}/{name}" for r in results for name in r.unchanged),
                *index_unchanged,
            ),
            removed=tuple(f"{r.athlete_id}/{name}" for r in results for name in r.removed),
        )

    def outputs(self) -> list[str]:
        """The build's outputs as the no-op record lists them: removed files are none."""
        gone = set(self.removed)
        return [o for o in (*self.written, *self.unchanged) if o not in gone]


def _build_result(
    results: Sequence[AthleteResult],
    found: _Found,
    files: _Files,
    others: Sequence[dict[str, str]],
    started: float,
) -> BuildResult:
    """What a build did, for the command line and the API."""
    return BuildResult(
        athletes=tuple(r.athlete_id for r in results),
        failed=tuple(dict.fromkeys(found.failed)),
        workouts=sum(r.workouts for r in results),
        written=files.written,
        unchanged=files.unchanged,
        files_checked=found.files_checked,
        diagnostics=tuple(sorted_diagnostics(found.diagnostics)),
        sources=found.sources,
        skipped=tuple(r.athlete_id for r in results if r.skipped),
        seconds=time.perf_counter() - started,
        others=tuple(entry["id"] for entry in others),
        removed=files.removed,
    )


def _site_key(
    paths: Sequence[Path],
    template_dirs: Sequence[Path],
    today: dt.date,
    domain: str,
    base_url: str | None,
    index: IndexScope,
) -> tuple[str | None, int]:
    """The no-op rebuild's key of every input (site_cache.site_key; None when one cannot be
    read), and how many files it read.  The list of every file is not kept through the build."""
    inputs = find_files([*template_dirs, *paths, templates_dir(), schemas_dir()])
    inputs += site_cache.own_files()
    key = site_cache.site_key(inputs, today=today, domain=domain, base_url=base_url, index=index)
    return key, len(inputs)


def _unchanged_build(state: site_cache.SiteState, checked: int, started: float) -> BuildResult:
    """The result of a build whose inputs and outputs are as the last one left them."""
    return BuildResult(
        athletes=state.athletes,
        failed=(),
        workouts=state.workouts,
        written=(),
        unchanged=tuple(sorted(state.files)),
        files_checked=checked,
        diagnostics=(),
        skipped=state.athletes,
        seconds=time.perf_counter() - started,
        others=state.others,
    )


@dataclass(frozen=True)
class _Found:
    """What the build has found so far, added to as it goes: its diagnostics, the files of the
    athletes that failed, the texts the diagnostics are shown in, how many files were read."""

    diagnostics: list[Diagnostic]
    failed: list[str]
    sources: dict[str, str]
    files_checked: int


def _first_pass(
    paths: Sequence[Path], template_dirs: Sequence[Path], jobs: int, shard: Shard | None
) -> tuple[list[tuple[AthleteFile, bool]], WorkerContext, _Found]:
    """Load and check every file once and resolve the templates (sources.gather): each athlete
    with whether to build it (it is in the shard), the workers' context, and what was found.
    An athlete whose id another has already is failed.  UsageError when there is no athlete."""
    gathered = gather(paths, template_dirs, jobs, keep_athletes=False)
    diagnostics, failed, sources = gathered.diagnostics, gathered.failed, gathered.sources
    athletes: list[tuple[AthleteFile, bool]] = []  # (athlete, to build: in the shard)
    for athlete, duplicate in zip(
        gathered.athlete_files, duplicate_ids(gathered.athlete_files), strict=True
    ):
        if duplicate is None:
            athletes.append((athlete, shard is None or shard.has(athlete.id)))
        else:
            diagnostics.append(duplicate)
            failed.append(athlete.path)
            with contextlib.suppress(PlanError):  # its text, to show the id in
                sources[athlete.path] = read_text(Path(athlete.file), athlete.path)
    if not athletes and not failed and not has_errors(diagnostics):
        raise UsageError(
            "no athlete profiles found in "
            + ", ".join(str(p) for p in paths)
            + " (files with `kind: athlete`)"
        )
    not_templates = {a.path for a in gathered.athlete_files} | set(failed)
    context = WorkerContext(
        gathered.templates, gathered.library, templates_digest(sources, not_templates)
    )
    found = _Found(diagnostics, failed, sources, len(gathered.files))
    return athletes, context, found  # the templates live on in the context only


def _take_results(batch: Sequence[AthleteResult], found: _Found) -> list[AthleteResult]:
    """The athletes built, with every result's diagnostics, failures and texts added to
    ``found``."""
    for result in batch:
        if result.source is not None:
            found.sources[result.file] = result.source
        if result.failed:
            found.failed.append(result.file)
        found.diagnostics.extend(result.diagnostics)
        found.diagnostics.extend(result.warnings)  # a damaged feed, resolve's: built, and said so
    return [r for r in batch if r.built]


def _index_step(
    out_dir: Path,
    results: Sequence[AthleteResult],
    scope: IndexScope,
    options: BuildOptions,
    shard: Shard | None,
    found: _Found,
) -> tuple[list[dict[str, str]], list[str], list[str]]:
    """The site index of a build that is not a shard (a shard leaves it to `planc index`): the
    entries of other athletes it lists, and the index written or unchanged.  An index that would
    be written outside ``out_dir`` is a diagnostic in ``found``."""
    if not results or shard is not None:
        return [], [], []
    try:
        others, same = _write_index(out_dir, results, scope, options)
    except UnsafeOutput as exc:
        found.diagnostics.append(unsafe(exc))
        return [], [], []
    return others, ([] if same else [SITE_INDEX]), ([SITE_INDEX] if same else [])


def _record(
    out_dir: Path,
    key: str,
    results: Sequence[AthleteResult],
    outputs: Sequence[str],
    others: Sequence[dict[str, str]] | None,
    durable: bool,
) -> None:
    """Leave the no-op record of a build without problems (site_cache.record): its key, its
    athletes and ``outputs`` (not the files of cancelled workouts, which are removed)."""
    site_cache.record(
        out_dir,
        key,
        [r.athlete_id for r in results],
        sum(r.workouts for r in results),
        outputs,
        known=_known(out_dir, results),
        others=others,
        durable=durable,
    )


def _write_index(
    out_dir: Path, results: Sequence[AthleteResult], scope: IndexScope, options: BuildOptions
) -> tuple[list[dict[str, str]], bool]:
    """Write the site index of ``results`` and, with ``IndexScope.FOLDER``, of every other
    athlete folder in ``out_dir`` (only its small entry read, one folder at a time); with
    ``options.check`` only compare.  The entries listed from other folders, and whether the
    index already had these bytes.  Raises UnsafeOutput when it would be written elsewhere."""
    others = []
    if scope is IndexScope.FOLDER:
        others = index_entries(out_dir, skip={r.athlete_id for r in results})
    page = site_index([*map(_entry, results), *others], options.base_url)
    if options.check:
        try:
            return others, (out_dir / SITE_INDEX).read_bytes() == page
        except OSError:
            return others, False
    report = write_files(out_dir, {SITE_INDEX: page}, durable=options.durable)
    return others, not report.written


def _known(out_dir: Path, results: Sequence[AthleteResult]) -> Callable[[str], str | None]:
    """The sha256 (hex) of an output the build made or found in place, by its path: a plan
    output's from the results' digests, any other (the watch files, a family's) from its
    athlete's manifest, which holds the sha256 of every file the build left (read once per
    athlete, as the record asks for the paths in order); None when neither knows it."""
    by_id = {r.athlete_id: r for r in results}
    order = sorted_outputs()
    manifest: dict[str, dict[str, Any]] = {}  # the last athlete's only

    def sha(path: str) -> str | None:
        athlete_id, _, name = path.partition("/")
        result = by_id.get(athlete_id)
        if result is None:
            return None
        if name in order and result.digests:
            index = order.index(name) * 32
            return result.digests[index : index + 32].hex() or None
        if athlete_id not in manifest:
            manifest.clear()
            manifest[athlete_id] = read_manifest(out_dir / athlete_id) or {}
        files = manifest[athlete_id].get("files")
        digest = files.get(name) if isinstance(files, dict) else None
        return digest if isinstance(digest, str) else None

    return sha


def _entry(result: AthleteResult) -> dict[str, str]:
    assert result.entry is not None
    return dict(zip(ENTRY_KEYS, result.entry, strict=True))


@dataclass(frozen=True)
class IndexResult:
    athletes: int  # athletes listed
    written: bool  # False: the index already had these bytes


def index_site(out_dir: Path, base_url: str | None = None) -> IndexResult:
    """Write ``out_dir/index.html`` from the athletes' folders in ``out_dir`` (after sharded
    builds gathered into one folder), holding the folder's lock as a build does."""
    with locked(out_dir, "index"):
        entries = index_entries(out_dir)
        if not entries:
            raise UsageError(
                f"no built athletes found in {out_dir} (folders with {PLAN_JSON.name})"
            )
        try:
            report = write_files(out_dir, {SITE_INDEX: site_index(entries, base_url)})
        except UnsafeOutput as exc:
            raise PlanError([unsafe(exc)]) from None
    return IndexResult(athletes=len(entries), written=bool(report.written))
