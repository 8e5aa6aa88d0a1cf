"""Building many athletes: the process pool that hands them to the workers.

``build_athletes`` builds the athletes the first pass of ``build.build_site`` found.  The templates
were loaded and resolved once, before the pool starts (each worker gets them once, as its
``WorkerContext``); the workers get only the athletes' files (``gather.AthleteFile``), and load,
check, resolve, compile, emit and write each athlete's folder in turn, sending back a small
result.  So the build's main process never holds an athlete's parsed document or Blueprint, and
its memory stays flat however many athletes there are (issue 12, item 10).

The pool is this module; the rest of a build's work is in modules of their own: the data the
steps pass (``build_model``: options, shards, results), one athlete as a worker builds it
(``athlete_build``), the manifests that let an up-to-date athlete be skipped (``manifest``) and
the site index of an output folder (``folder_index``).

Workers write only inside their athletes' folders and take no lock: the process that started the
build holds the output folder's lock (compiler/site/lock.py) for all of them.  They never hold it
themselves (a forked worker closes its copy of the lock file) and they die with that process, so
killing only the build's main process leaves no worker writing and no lock held.
"""

from __future__ import annotations

import dataclasses
import gc
import itertools
import os
import time
from collections.abc import Callable, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from pathlib import Path

from ..sources.gather import AthleteFile
from .athlete_build import build_file
from .build_model import AthleteResult, BatchResult, BuildOptions, Progress, WorkerContext
from .lock import die_with_parent

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
