"""Building many athletes: a process pool, shards, and incremental rebuilds.

``build_blueprints`` compiles and writes the athletes a Project resolved.  The templates were
loaded and checked once, by ``load_project``; the workers get the resolved Blueprints (frozen,
picklable), compile, emit and write their athletes' folders and send back small results.

Incremental builds: beside its outputs every athlete gets a manifest ``<id>/.planc-input`` (JSON)
holding a fingerprint of everything the outputs depend on (the athlete's file, every template
document on the search path in search order, the planc version, the build date, the base URL and
the calendar domain; not the calendar stamp, which only dates changed events) and the SHA-256 of
each output file.  When the fingerprint matches and every output file still has those bytes, the
athlete is skipped: nothing is compiled and nothing written.  The manifest is written after the
outputs, so a build killed between the two is noticed and the athlete built again.

Workers write only inside their athletes' folders and take no lock: the process that started the
build holds the output folder's lock (compiler/lock.py) for all of them.  They never hold it
themselves (a forked worker closes its copy of the lock file) and they die with that process, so
killing only the build's main process leaves no worker writing and no lock held.

Shards: athlete ``id`` belongs to shard K of N (1-based) when
``int(sha256(id).hexdigest(), 16) % N == K - 1``: stable across machines and runs, so N jobs
given 1/N .. N/N together build every athlete exactly once.
"""

from __future__ import annotations

import datetime as dt
import gc
import hashlib
import json
import os
import time
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from . import __version__
from .diagnostics import Diagnostic, PlanError
from .lock import die_with_parent
from .model import Blueprint

MANIFEST = ".planc-input"
OUTPUT_NAMES = ("plan.ics", "busy.ics", "plan.md", "index.html", "plan.json")

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


@dataclass(frozen=True)
class AthleteResult:
    """What building one athlete did (small: it crosses the process boundary)."""

    athlete_id: str
    file: str
    workouts: int = 0
    written: tuple[str, ...] = ()  # relative to the output folder (would be written: --check)
    unchanged: tuple[str, ...] = ()
    diagnostics: tuple[Diagnostic, ...] = ()
    skipped: bool = False  # up to date: not compiled
    # sha256 of each output as written, by path relative to the output folder: the site record
    # needs them, and the worker that made the bytes hashes them faster than a re-read can
    hashes: tuple[tuple[str, str], ...] = ()
    warnings: tuple[Diagnostic, ...] = ()  # of a built athlete: a published feed was damaged

    @property
    def failed(self) -> bool:
        return bool(self.diagnostics)  # only a failed athlete carries diagnostics


@dataclass(frozen=True)
class BatchResult:
    results: tuple[AthleteResult, ...]
    seconds: float


def fingerprint(
    blueprint: Blueprint, template_texts: str, athlete_text: str, options: BuildOptions
) -> str:
    """Everything ``blueprint``'s outputs depend on, hashed."""
    data = json.dumps(
        {
            "planc": __version__,
            "athlete": athlete_text,
            "athlete_file": blueprint.athlete.source.file,
            "templates": template_texts,
            "today": options.today.isoformat(),
            "base_url": options.base_url,
            "domain": options.domain,
        },
        sort_keys=True,
    )
    return hashlib.sha256(data.encode("utf-8")).hexdigest()


def templates_digest(sources: Mapping[str, str], athlete_files: set[str]) -> str:
    """A digest of every template document on the search path, in search order."""
    digest = hashlib.sha256()
    for path, text in sources.items():
        if path in athlete_files:
            continue
        digest.update(f"{len(path)}:{path}{len(text)}:".encode())
        digest.update(text.encode("utf-8"))
    return digest.hexdigest()


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def read_manifest(folder: Path) -> dict[str, Any] | None:
    try:
        data = json.loads((folder / MANIFEST).read_text("utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def up_to_date(folder: Path, print_: str) -> int | None:
    """The number of workouts of the plan in ``folder`` when it was built from inputs with
    fingerprint ``print_`` and its outputs are intact; else None."""
    manifest = read_manifest(folder)
    if manifest is None or manifest.get("fingerprint") != print_:
        return None
    files, workouts = manifest.get("files"), manifest.get("workouts")
    if not isinstance(files, dict) or set(files) != set(OUTPUT_NAMES):
        return None
    for name, digest in files.items():
        try:
            if _sha((folder / name).read_bytes()) != digest:
                return None
        except OSError:
            return None
    return workouts if isinstance(workouts, int) else None


def site_entry(blueprint: Blueprint) -> dict[str, str]:
    """What the site index shows of an athlete (kept in the manifest for `planc index`)."""
    athlete = blueprint.athlete
    return {
        "id": athlete.id,
        "name": athlete.name,
        "race": athlete.race.name,
        "date": athlete.race.date.isoformat(),
        "focus": blueprint.focus.title,
    }


def _manifest_bytes(
    print_: str, files: Mapping[str, bytes], entry: Mapping[str, str], workouts: int
) -> bytes:
    data = {
        "planc": __version__,
        "fingerprint": print_,
        "workouts": workouts,
        "files": {name: _sha(files[name]) for name in sorted(files)},
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
    from .api import RECORD, carry_over, compile_plan, plan_files, published, record_bytes
    from .emit import write_files
    from .emit.writer import UnsafeOutput, unsafe, within

    athlete = blueprint.athlete
    folder = out_dir / athlete.id
    try:
        within(out_dir, folder)  # a symlinked athlete folder must not lead the outputs away
    except UnsafeOutput as exc:
        return AthleteResult(athlete.id, athlete.source.file, diagnostics=(unsafe(exc),))
    carried = carry_over(published(folder), str(folder))  # the feeds' history, the plan's start
    try:
        plan = compile_plan(blueprint, options.today, carried.started)
    except PlanError as exc:
        return AthleteResult(athlete.id, athlete.source.file, diagnostics=tuple(exc.diagnostics))
    files = plan_files(
        plan,
        stamp=options.stamp,
        domain=options.domain,
        previous=carried,
        today=options.today,
        base_url=options.base_url,
    )
    if options.check:
        written, unchanged = _would_change(folder, files)
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
        if options.incremental:
            manifest = _manifest_bytes(print_, files, site_entry(blueprint), len(plan.workouts))
            write_files(folder, {MANIFEST: manifest}, durable=options.durable)
    return AthleteResult(
        athlete.id,
        athlete.source.file,
        workouts=len(plan.workouts),
        written=tuple(f"{athlete.id}/{name}" for name in written),
        unchanged=tuple(f"{athlete.id}/{name}" for name in unchanged),
        hashes=()
        if options.check
        else tuple((f"{athlete.id}/{name}", _sha(data)) for name, data in sorted(files.items())),
        warnings=carried.warnings,
    )


def _build_chunk(
    chunk: Sequence[tuple[Blueprint, str]], out_dir: Path, options: BuildOptions
) -> list[AthleteResult]:
    """A worker's job: a few athletes, in order."""
    return [build_one(blueprint, print_, out_dir, options) for blueprint, print_ in chunk]


def warm_up() -> None:
    """Load and compile, once and before the pool forks, what every worker would otherwise load
    and compile for itself: the compiler stages and the page templates.  (The Jinja of every
    workout template is compiled already: checking the templates rendered each text.)"""
    from . import expand, paces, periodize, schedule  # noqa: F401  (imported for the workers)
    from .emit.html import prepare as prepare_pages

    prepare_pages()


CHUNK = 4  # athletes a worker is handed at a time: each hand-over costs about a millisecond


def _chunks(items: Sequence[tuple[Blueprint, str]], jobs: int) -> list[list[tuple[Blueprint, str]]]:
    """Small chunks, so the workers finish together (athletes take from 10 to 60 ms each: a
    worker left alone with a big last chunk is time the other core idles) and progress moves:
    at least four per worker, of at most CHUNK athletes."""
    size = max(1, min(CHUNK, -(-len(items) // (jobs * 4))))
    return [list(items[i : i + size]) for i in range(0, len(items), size)]


def default_jobs() -> int:
    return os.cpu_count() or 1


def build_blueprints(
    blueprints: Sequence[Blueprint],
    out_dir: Path,
    options: BuildOptions,
    *,
    sources: Mapping[str, str],
    athlete_files: set[str],
    progress: Progress | None = None,
) -> BatchResult:
    """Build ``blueprints`` into ``out_dir`` (``<id>/...``), in parallel with ``options.jobs``
    processes (1: in this process).  Results come back in the order of ``blueprints``."""
    started = time.perf_counter()
    templates = templates_digest(sources, athlete_files)
    results: dict[int, AthleteResult] = {}
    todo: list[tuple[int, Blueprint, str]] = []
    for i, blueprint in enumerate(blueprints):
        athlete = blueprint.athlete
        print_ = fingerprint(blueprint, templates, sources.get(athlete.source.file, ""), options)
        workouts = up_to_date(out_dir / athlete.id, print_) if options.incremental else None
        if workouts is not None:
            unchanged = tuple(f"{athlete.id}/{name}" for name in sorted(OUTPUT_NAMES))
            results[i] = AthleteResult(
                athlete.id, athlete.source.file, workouts, unchanged=unchanged, skipped=True
            )
        else:
            todo.append((i, blueprint, print_))
    total, done = len(todo), 0
    if options.jobs <= 1 or total <= 1:
        for i, blueprint, print_ in todo:
            if progress is not None:
                progress(done, total, blueprint.athlete.id)
            results[i] = build_one(blueprint, print_, out_dir, options)
            done += 1
    else:
        warm_up()
        indexed = _chunks([(b, p) for _, b, p in todo], options.jobs)
        positions = _chunks_positions([i for i, _, _ in todo], [len(c) for c in indexed])
        # Forked workers share the parent's memory until they write to it, and the garbage
        # collector writes to every object it looks at: freezing the parent's objects first
        # keeps each worker from copying the whole heap on its first collection.  (No collection
        # first: it would cost the parent a pass over its whole heap; what garbage is frozen
        # with the rest is freed after the build.)
        gc.freeze()
        try:
            with ProcessPoolExecutor(
                max_workers=min(options.jobs, len(indexed)),
                initializer=die_with_parent,
                initargs=(os.getpid(),),
            ) as pool:
                futures = {
                    pool.submit(_build_chunk, chunk, out_dir, options): index
                    for index, chunk in enumerate(indexed)
                }
                try:
                    for future in as_completed(futures):
                        index = futures[future]
                        chunk = future.result()  # a worker's error (a full disk) is raised here
                        for position, result in zip(positions[index], chunk, strict=True):
                            results[position] = result
                            done += 1
                            if progress is not None:
                                progress(done, total, result.athlete_id)
                except BaseException:
                    # the build stops: the workers finish the athletes they hold, start no more
                    pool.shutdown(wait=True, cancel_futures=True)
                    raise
        finally:
            gc.unfreeze()
    if progress is not None:
        progress(total, total, "")
    return BatchResult(
        results=tuple(results[i] for i in range(len(blueprints))),
        seconds=time.perf_counter() - started,
    )


def _chunks_positions(positions: Sequence[int], sizes: Sequence[int]) -> list[list[int]]:
    out: list[list[int]] = []
    start = 0
    for size in sizes:
        out.append(list(positions[start : start + size]))
        start += size
    return out


def index_entries(out_dir: Path) -> list[dict[str, str]]:
    """The site-index entries of every athlete folder under ``out_dir``: from its manifest, else
    from its ``plan.json`` (whose focus is the focus's name, not its title)."""
    entries: list[dict[str, str]] = []
    for folder in sorted(p for p in out_dir.iterdir() if p.is_dir() and p.name[:1] != "."):
        manifest = read_manifest(folder)
        entry = manifest.get("entry") if manifest else None
        if isinstance(entry, dict) and (folder / "plan.json").is_file():
            entries.append({k: str(v) for k, v in entry.items()})
            continue
        try:
            plan = json.loads((folder / "plan.json").read_text("utf-8"))
            entries.append(
                {
                    "id": str(plan["athlete"]["id"]),
                    "name": str(plan["athlete"]["name"]),
                    "race": str(plan["race"]["name"]),
                    "date": str(plan["race"]["date"]),
                    "focus": str(plan["focus"]),
                }
            )
        except (OSError, ValueError, KeyError, TypeError):
            continue  # not an athlete's folder
    return sorted(entries, key=lambda e: e["id"])


def site_index(entries: Sequence[Mapping[str, str]], base_url: str | None) -> bytes:
    from .emit import SiteEntry, emit_site_index

    return emit_site_index(
        [
            SiteEntry(
                athlete_id=e["id"],
                athlete_name=e["name"],
                race_name=e["race"],
                race_date=dt.date.fromisoformat(e["date"]),
                focus=e["focus"],
            )
            for e in sorted(entries, key=lambda e: e["id"])
        ],
        base_url=base_url,
    )
