"""Building many athletes: a process pool, shards, and incremental rebuilds.

``build_athletes`` builds the athletes the first pass of ``build.build_site`` found.  The templates
were loaded and resolved once, before the pool starts (each worker gets them once, as its
``WorkerContext``); the workers get only the athletes' files (``gather.AthleteFile``), and load,
check, resolve, compile, emit and write each athlete's folder in turn, sending back a small
result.  So the build's main process never holds an athlete's parsed document or Blueprint, and
its memory stays flat however many athletes there are (issue 12, item 10).

Incremental builds: beside its outputs every athlete gets a manifest ``<id>/.planc-input`` (JSON)
holding a fingerprint of everything the outputs depend on (the athlete's file, every template
document on the search path in search order, the planc version, the build date, the base URL and
the calendar domain; not the calendar stamp, which only dates changed events) and the SHA-256 of
each output file.  When the fingerprint matches and every output file still has those bytes, the
athlete is skipped: nothing is compiled and nothing written.  The manifest is written after the
outputs, so a build killed between the two is noticed and the athlete built again.

Workers write only inside their athletes' folders and take no lock: the process that started the
build holds the output folder's lock (compiler/site/lock.py) for all of them.  They never hold it
themselves (a forked worker closes its copy of the lock file) and they die with that process, so
killing only the build's main process leaves no worker writing and no lock held.

Shards: athlete ``id`` belongs to shard K of N (1-based) when
``int(sha256(id).hexdigest(), 16) % N == K - 1``: stable across machines and runs, so N jobs
given 1/N .. N/N together build every athlete exactly once.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import gc
import hashlib
import itertools
import json
import os
import time
from collections.abc import Callable, Container, Iterable, Mapping, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import Any

from .. import __version__
from ..diagnostics import Diagnostic, PlanError, Severity
from ..emit import SiteEntry, emit_site_index, fit
from ..emit.outputs import RECORD, carry_over, plan_files, record_bytes
from ..emit.registry import PLAN_JSON, plan_names
from ..emit.watch_files import RECORD as FIT_RECORD
from ..emit.watch_files import watch_files
from ..model import Blueprint, Plan
from ..plan.pipeline import compile_checked
from ..plan.resolve import resolve_athlete
from ..sources.gather import AthleteFile
from ..sources.library import Library, Templates
from ..sources.load import load_text, read_text
from ..sources.validate import validate_document
from .families import stale, strays
from .lock import die_with_parent
from .published import published
from .writer import UnsafeOutput, unsafe, within, write_files

MANIFEST = ".planc-input"

Progress = Callable[[int, int, str], None]  # (done, total, athlete id being built)


@dataclass(frozen=True)
class Shard:
    """Shard ``index`` (1-based) of ``count``."""

    index: int
    count: int

    def __post_init__(self) -> None:
        if not (self.count >= 1 and 1 <= self.index <= self.count):
            raise ValueError(f"shard {self.index}/{self.count}: want K/N with 1 <= K <= N")

    @classmethod
    def parse(cls, text: str) -> Shard:
        """``K/N``, e.g. ``2/4``; ValueError saying what is wrong."""
        parts = text.split("/")
        if len(parts) != 2 or not all(p.strip().isdigit() for p in parts):
            raise ValueError(f"'{text}' is not K/N (e.g. 2/4)")
        return cls(int(parts[0]), int(parts[1]))

    def has(self, athlete_id: str) -> bool:
        return shard_of(athlete_id, self.count) == self.index


def shard_of(athlete_id: str, count: int) -> int:
    """The 1-based shard of ``count`` that builds ``athlete_id``."""
    digest = hashlib.sha256(athlete_id.encode("utf-8")).hexdigest()
    return int(digest, 16) % count + 1


class IndexScope(Enum):
    """Which athletes a build's site index (``OUT/index.html``) lists."""

    # every athlete folder in OUT: this build's athletes and those earlier builds left there,
    # so building one athlete into a shared folder keeps the others on the site, as
    # `planc index` would list them (a folder deleted is an athlete taken off the site)
    FOLDER = "folder"
    # this build's athletes only: `planc serve`, whose site is a preview of its sources
    BUILD = "build"


@dataclass(frozen=True)
class BuildOptions:
    today: dt.date
    stamp: dt.datetime
    domain: str = "planc.invalid"
    base_url: str | None = None
    jobs: int = 1
    check: bool = False  # compute what would change; write nothing
    incremental: bool = True
    durable: bool = False  # fsync every file and folder written (survives a power cut)


def sorted_outputs() -> tuple[str, ...]:
    """The plan outputs' names, sorted: the order of AthleteResult.digests (read from the
    registry at call time, so an output added to it is hashed too)."""
    return tuple(sorted(plan_names()))


Entry = tuple[str, str, str, str, str]  # what the site index shows: see site_entry
ENTRY_KEYS = ("id", "name", "race", "date", "focus")


@dataclass(frozen=True, slots=True)
class AthleteResult:
    """What building one athlete did.  Small: it crosses the process boundary, and the build's
    main process keeps one per athlete until the end (for the site index, the site record and
    the BuildResult), so outputs are named, not pathed, and hashed as raw digests."""

    athlete_id: str
    file: str
    workouts: int = 0
    written: tuple[str, ...] = ()  # names in the athlete's folder (would be written: --check)
    unchanged: tuple[str, ...] = ()
    diagnostics: tuple[Diagnostic, ...] = ()
    skipped: bool = False  # up to date: not compiled
    # sha256 of each output as written, in sorted_outputs() order (none with --check): the site
    # record needs them, and the worker that made the bytes hashes them faster than a re-read can
    digests: bytes = b""
    warnings: tuple[Diagnostic, ...] = ()  # of an athlete not failed (a damaged feed, resolve's)
    entry: Entry | None = None  # its line in the site index: None when not built
    source: str | None = None  # the file's text, when diagnostics or warnings name it
    # family files removed (would be, with --check): a cancelled workout's; in written too
    removed: tuple[str, ...] = ()

    @property
    def failed(self) -> bool:
        return bool(self.diagnostics)  # only a failed athlete carries diagnostics

    @property
    def built(self) -> bool:
        """Built or up to date; not when it failed or was only resolved (outside the shard)."""
        return self.entry is not None


@dataclass(frozen=True)
class BatchResult:
    results: tuple[AthleteResult, ...]
    seconds: float


@dataclass(frozen=True)
class WorkerContext:
    """What every athlete is built against, made once before the pool starts and handed to each
    worker once: the resolved templates, the library (for resolve's diagnostics) and the digest
    of the template texts (for the fingerprint)."""

    templates: Templates
    library: Library
    templates_digest: str


def fingerprint(athlete_file: str, athlete_sha: str, templates: str, options: BuildOptions) -> str:
    """Everything an athlete's outputs depend on, hashed: its file's name and the sha256 of its
    text (not the text: the caller need not keep it), the template texts' digest, the options."""
    data = json.dumps(
        {
            "planc": __version__,
            "athlete": athlete_sha,
            "athlete_file": athlete_file,
            "templates": templates,
            "today": options.today.isoformat(),
            "base_url": options.base_url,
            "domain": options.domain,
            "watch": watch_enabled(),  # installing planc[watch] adds the FIT files
        },
        sort_keys=True,
    )
    return hashlib.sha256(data.encode("utf-8")).hexdigest()


def watch_enabled() -> bool:
    """Whether builds write FIT workout files: the FIT SDK (``planc[watch]``) is installed."""
    return fit.available()  # looked up on the module, so a test can say the SDK is missing


def templates_digest(sources: Mapping[str, str], athlete_files: set[str]) -> str:
    """A digest of every template document on the search path, in search order."""
    digest = hashlib.sha256()
    for path, text in sources.items():
        if path in athlete_files:
            continue
        digest.update(f"{len(path)}:{path}{len(text)}:".encode())
        digest.update(text.encode("utf-8"))
    return digest.hexdigest()


def sha_hex(data: bytes) -> str:
    """The sha256 of ``data`` in hex, as manifests and the site record keep it."""
    return hashlib.sha256(data).hexdigest()


def read_manifest(folder: Path) -> dict[str, Any] | None:
    try:
        data = json.loads((folder / MANIFEST).read_text("utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def up_to_date(folder: Path, print_: str) -> int | None:
    """The number of workouts of the plan in ``folder`` when it was built from inputs with
    fingerprint ``print_`` and its outputs are intact (each file the manifest lists has its
    bytes, and no family file it does not list is there); else None."""
    manifest = read_manifest(folder)
    if manifest is None or manifest.get("fingerprint") != print_:
        return None
    files, workouts = manifest.get("files"), manifest.get("workouts")
    if not isinstance(files, dict) or not set(plan_names()) <= set(files):
        return None
    for name, digest in files.items():
        try:
            if sha_hex((folder / name).read_bytes()) != digest:
                return None
        except OSError:
            return None
    if strays(folder, files):  # a family file the build did not make: to be removed
        return None
    return workouts if isinstance(workouts, int) else None


def entry_of(blueprint: Blueprint) -> Entry:
    """What the site index shows of an athlete, in ENTRY_KEYS order."""
    athlete = blueprint.athlete
    race = athlete.race
    return (athlete.id, athlete.name, race.name, race.date.isoformat(), blueprint.focus.title)


def site_entry(blueprint: Blueprint) -> dict[str, str]:
    """``entry_of`` by key, as the manifest keeps it for `planc index`."""
    return dict(zip(ENTRY_KEYS, entry_of(blueprint), strict=True))


def _manifest_bytes(
    print_: str, files: Mapping[str, bytes], entry: Mapping[str, str], workouts: int
) -> bytes:
    data = {
        "planc": __version__,
        "fingerprint": print_,
        "workouts": workouts,
        "files": {name: sha_hex(files[name]) for name in sorted(files)},
        "entry": dict(entry),
    }
    return (json.dumps(data, indent=2, sort_keys=True) + "\n").encode("utf-8")


def _would_change(folder: Path, files: Mapping[str, bytes]) -> tuple[list[str], list[str]]:
    changed: list[str] = []
    same: list[str] = []
    for name in sorted(files):
        try:
            ok = (folder / name).read_bytes() == files[name]
        except OSError:
            ok = False
        (same if ok else changed).append(name)
    return changed, same


def build_one(
    blueprint: Blueprint, print_: str, out_dir: Path, options: BuildOptions
) -> AthleteResult:
    """Compile, emit and write one athlete (or, with ``options.check``, say what would change)."""
    athlete = blueprint.athlete
    folder = out_dir / athlete.id
    try:
        within(out_dir, folder)  # a symlinked athlete folder must not lead the outputs away
    except UnsafeOutput as exc:
        return AthleteResult(athlete.id, athlete.source.file, diagnostics=(unsafe(exc),))
    carried = carry_over(published(folder), str(folder))  # the feeds' history, the plan's start
    try:
        compiled = compile_checked(blueprint, options.today, carried.started)
    except PlanError as exc:
        return AthleteResult(athlete.id, athlete.source.file, diagnostics=tuple(exc.diagnostics))
    plan = compiled.plan
    files = plan_files(
        plan,
        stamp=options.stamp,
        domain=options.domain,
        previous=carried,
        today=options.today,
        base_url=options.base_url,
        watch=watch_enabled(),
    )
    files.update(watch_outputs(plan, folder, options))
    gone = stale(folder, files)  # family files the build did not make: workouts cancelled
    if options.check:
        written, unchanged = _would_change(folder, files)
        written += gone
    else:
        # The outputs with the feeds' record (staged together, the record renamed first: a
        # record ahead of its feed only raises SEQUENCEs), the manifest that vouches for them
        # last: a build killed in between leaves the old manifest, whose hashes do not match,
        # so the athlete is built again.
        staged = {RECORD: record_bytes(files, plan), **files}
        try:
            report = write_files(folder, staged, durable=options.durable)
        except UnsafeOutput as exc:
            return AthleteResult(athlete.id, athlete.source.file, diagnostics=(unsafe(exc),))
        written = [name for name in report.written if name != RECORD]
        unchanged = [name for name in report.unchanged if name != RECORD]
        gone = remove_stale(folder, gone)
        written += gone
        if options.incremental:
            manifest = _manifest_bytes(print_, files, site_entry(blueprint), len(plan.workouts))
            write_files(folder, {MANIFEST: manifest}, durable=options.durable)
    return AthleteResult(
        athlete.id,
        athlete.source.file,
        workouts=len(plan.workouts),
        written=tuple(written),
        unchanged=tuple(unchanged),
        digests=b"" if options.check else b"".join(_digest(files[n]) for n in sorted_outputs()),
        warnings=(*compiled.warnings, *carried.warnings),
        removed=tuple(gone),
    )


def watch_outputs(plan: Plan, folder: Path, options: BuildOptions) -> dict[str, bytes]:
    """The athlete's watch files (compiler/emit/watch_files.py), FIT times carried over from
    the record the last build left in ``folder``."""
    try:
        previous: bytes | None = (folder / FIT_RECORD).read_bytes()
    except OSError:
        previous = None
    return watch_files(
        plan, stamp=options.stamp, today=options.today, previous_record=previous,
        with_fit=watch_enabled(), folder=folder,
    )  # fmt: skip


def remove_stale(folder: Path, names: Sequence[str]) -> list[str]:
    """Remove ``names`` (paths in ``folder``); the ones removed."""
    removed = []
    for name in names:
        try:
            (folder / name).unlink()
        except FileNotFoundError:
            continue
        removed.append(name)
    return removed


def _digest(data: bytes) -> bytes:
    return hashlib.sha256(data).digest()


def build_file(
    athlete: AthleteFile, build: bool, out_dir: Path, options: BuildOptions, context: WorkerContext
) -> AthleteResult:
    """Load, check and resolve one athlete's file and, when ``build`` (it is in the shard), build
    it unless it is up to date.  The first pass reported the file's load and schema diagnostics
    already: only an error (the file changed since) is reported again.  Resolve's diagnostics
    come back with the result, with the file's text to show them in."""

    def failed(diagnostics: Sequence[Diagnostic], text: str | None) -> AthleteResult:
        return AthleteResult(athlete.id, athlete.path, diagnostics=tuple(diagnostics), source=text)

    text = None
    try:
        text = read_text(Path(athlete.file), athlete.path)
        doc = load_text(text, athlete.path, Path(athlete.file))
    except PlanError as exc:
        return failed(exc.diagnostics, text)
    errors = [d for d in validate_document(doc) if d.severity is Severity.ERROR]
    if errors:
        return failed(errors, text)
    blueprint, problems = resolve_athlete(doc, context.templates, context.library, options.today)
    source = text if problems else None
    if blueprint is None:
        return failed(problems, source)
    del doc  # what the rest needs is in the blueprint
    warnings = tuple(problems)
    if not build:
        return AthleteResult(athlete.id, athlete.path, warnings=warnings, source=source)
    entry = entry_of(blueprint)
    print_ = fingerprint(
        athlete.path, hashlib.sha256(text.encode("utf-8")).hexdigest(), context.templates_digest,
        options,
    )  # fmt: skip
    workouts = up_to_date(out_dir / athlete.id, print_) if options.incremental else None
    if workouts is not None:
        manifest = read_manifest(out_dir / athlete.id) or {}
        names = tuple(sorted(manifest.get("files", {}))) or sorted_outputs()  # the watch files too
        return AthleteResult(
            athlete.id, athlete.path, workouts, unchanged=names, skipped=True,
            warnings=warnings, entry=entry, source=source,
        )  # fmt: skip
    result = build_one(blueprint, print_, out_dir, options)
    if result.failed:
        diagnostics = (*warnings, *result.diagnostics)
        return dataclasses.replace(result, diagnostics=diagnostics, source=text)
    return dataclasses.replace(
        result,
        warnings=(*warnings, *result.warnings),
        entry=entry,
        source=text if result.warnings else source,  # the changes' warnings name the file
    )


_CONTEXT: WorkerContext | None = None  # a worker's, set once as it starts (_start_worker)


def _start_worker(parent: int, context: WorkerContext) -> None:
    global _CONTEXT
    die_with_parent(parent)
    _CONTEXT = context


def _build_chunk(
    chunk: Sequence[tuple[AthleteFile, bool]], out_dir: Path, options: BuildOptions
) -> list[AthleteResult]:
    """A worker's job: a few athletes, in order."""
    assert _CONTEXT is not None, "a worker starts with _start_worker"
    return [build_file(a, build, out_dir, options, _CONTEXT) for a, build in chunk]


def warm_up() -> None:
    """Load and compile, once and before the pool forks, what every worker would otherwise load
    and compile for itself: the compiler stages, resolve and the page templates.  (The Jinja of
    every workout template is compiled already: checking the templates rendered each text.)"""
    from ..emit.html import prepare as prepare_pages
    from ..plan import expand, paces, periodize, resolve, schedule  # noqa: F401
    from ..sources import validate  # noqa: F401

    prepare_pages()


CHUNK = 4  # athletes a worker is handed at a time: each hand-over costs about a millisecond
IN_FLIGHT = 4  # chunks a worker given at a time: one at work, the others queued for it


def default_jobs() -> int:
    return os.cpu_count() or 1


def build_athletes(
    athletes: Sequence[tuple[AthleteFile, bool]],
    out_dir: Path,
    options: BuildOptions,
    context: WorkerContext,
    progress: Progress | None = None,
) -> BatchResult:
    """Build each (athlete, build) into ``out_dir`` (``<id>/...``) with ``build_file`` (an
    athlete not to build, outside the shard, is only resolved), in parallel with
    ``options.jobs`` processes (1: in this process).  Results come back in the order of
    ``athletes``; each chunk's is taken as it arrives, so no more than the pool's few chunks
    are in flight: the main process holds the athletes' files and results, nothing more."""
    started = time.perf_counter()
    total = sum(1 for _, build in athletes if build)
    done = 0
    names: dict[tuple[str, ...], tuple[str, ...]] = {}  # few: subsets of the outputs

    def share(some: tuple[str, ...]) -> tuple[str, ...]:
        return names.setdefault(some, some)

    def keep(result: AthleteResult, build: bool) -> AthleteResult:
        """Count ``result`` in, and share its tuples of names with the results before it: the
        main process keeps every result until the build ends."""
        nonlocal done
        done += build
        if build and progress is not None:
            progress(done, total, result.athlete_id)
        written, unchanged = share(result.written), share(result.unchanged)
        return dataclasses.replace(result, written=written, unchanged=unchanged)

    if options.jobs <= 1 or len(athletes) <= 1:
        results = []
        for athlete, build in athletes:
            results.append(keep(build_file(athlete, build, out_dir, options, context), build))
    else:
        results = _in_pool(athletes, out_dir, options, context, keep)
    if progress is not None:
        progress(total, total, "")
    return BatchResult(results=tuple(results), seconds=time.perf_counter() - started)


def _in_pool(
    athletes: Sequence[tuple[AthleteFile, bool]],
    out_dir: Path,
    options: BuildOptions,
    context: WorkerContext,
    keep: Callable[[AthleteResult, bool], AthleteResult],
) -> list[AthleteResult]:
    """``build_athletes`` over a pool of ``options.jobs`` processes, CHUNK athletes a job."""
    warm_up()
    size = max(1, min(CHUNK, -(-len(athletes) // (options.jobs * 4))))
    starts = range(0, len(athletes), size)
    results: list[AthleteResult | None] = [None] * len(athletes)
    # Forked workers share the parent's memory until they write to it, and the garbage
    # collector writes to every object it looks at: freezing the parent's objects first
    # keeps each worker from copying the whole heap on its first collection.  (No collection
    # first: it would cost the parent a pass over its whole heap; what garbage is frozen
    # with the rest is freed after the build.)
    gc.freeze()
    try:
        with ProcessPoolExecutor(
            max_workers=min(options.jobs, len(starts)),
            initializer=_start_worker,
            initargs=(os.getpid(), context),
        ) as pool:
            queue = iter(starts)
            pending: dict[Future[list[AthleteResult]], int] = {}

            def submit(count: int) -> None:
                for start in itertools.islice(queue, count):
                    chunk = athletes[start : start + size]
                    pending[pool.submit(_build_chunk, chunk, out_dir, options)] = start

            # a few chunks a worker in flight: enough to keep it busy, and the chunks waiting
            # (futures, their athletes and results) do not grow with the club
            submit(IN_FLIGHT * options.jobs)
            try:
                while pending:
                    finished, _ = wait(pending, return_when=FIRST_COMPLETED)
                    for future in finished:
                        start = pending.pop(future)
                        for offset, result in enumerate(future.result()):  # a worker's error
                            results[start + offset] = keep(result, athletes[start + offset][1])
                        submit(1)
            except BaseException:
                # the build stops: the workers finish the athletes they hold, start no more
                pool.shutdown(wait=True, cancel_futures=True)
                raise
    finally:
        gc.unfreeze()
    return [r for r in results if r is not None]


def athlete_folders(out_dir: Path) -> list[str]:
    """The names of the folders under ``out_dir`` that hold an athlete's outputs (a
    ``plan.json``), sorted: what the site index of ``out_dir`` lists.  A hidden folder (a
    temporary one a killed build left) is never one."""
    try:
        with os.scandir(out_dir) as found:
            names = [e.name for e in found if e.name[:1] != "." and e.is_dir()]
    except OSError:
        return []
    return sorted(name for name in names if (out_dir / name / PLAN_JSON.name).is_file())


def index_entries(out_dir: Path, skip: Container[str] = frozenset()) -> list[dict[str, str]]:
    """The site-index entries of every athlete folder under ``out_dir`` but those named in
    ``skip`` (a build has their entries already): from its manifest, else from its
    ``plan.json`` (whose focus is the focus's name, not its title).  One folder is read at a
    time and only its entry kept, so the index of a large folder costs no plan in memory."""
    entries: list[dict[str, str]] = []
    for name in athlete_folders(out_dir):
        if name in skip:
            continue
        entry = _folder_entry(out_dir / name)
        if entry is not None:
            entries.append(entry)
    return sorted(entries, key=lambda e: e["id"])


def _folder_entry(folder: Path) -> dict[str, str] | None:
    """An athlete folder's site-index entry: its manifest's, else made from its ``plan.json``;
    None when neither is whole (a folder damaged by hand is left off the index, not a crash)."""
    manifest = read_manifest(folder)
    entry = _checked(manifest.get("entry") if manifest else None)
    if entry is not None:
        return entry
    try:
        plan = json.loads((folder / PLAN_JSON.name).read_text("utf-8"))
        return _checked(
            {
                "id": plan["athlete"]["id"],
                "name": plan["athlete"]["name"],
                "race": plan["race"]["name"],
                "date": plan["race"]["date"],
                "focus": plan["focus"],
            }
        )
    except (OSError, ValueError, KeyError, TypeError):
        return None  # not an athlete's folder


def _checked(entry: object) -> dict[str, str] | None:
    """``entry`` as ``site_index`` takes it, when it has every key and a date."""
    if not isinstance(entry, dict) or not all(isinstance(entry.get(k), str) for k in ENTRY_KEYS):
        return None
    try:
        dt.date.fromisoformat(entry["date"])
    except ValueError:
        return None
    return {k: entry[k] for k in ENTRY_KEYS}


def site_index(entries: Iterable[Mapping[str, str]], base_url: str | None) -> bytes:
    """The site's front page of ``entries`` (``site_entry``'s, in any order)."""
    return emit_site_index(
        [
            SiteEntry(
                athlete_id=e["id"],
                athlete_name=e["name"],
                race_name=e["race"],
                race_date=dt.date.fromisoformat(e["date"]),
                focus=e["focus"],
            )
            for e in entries
        ],
        base_url=base_url,
    )
