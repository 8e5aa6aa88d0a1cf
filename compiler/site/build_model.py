"""The data a build passes between its steps: what to build (``BuildOptions``, ``Shard``,
``IndexScope``), what the workers are handed once (``WorkerContext``) and what they send back
(``AthleteResult``, ``BatchResult``).

Shards: athlete ``id`` belongs to shard K of N (1-based) when
``int(sha256(id).hexdigest(), 16) % N == K - 1``: stable across machines and runs, so N jobs
given 1/N .. N/N together build every athlete exactly once.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import Enum

from ..diagnostics import Diagnostic
from ..emit.fit import Encoded
from ..emit.registry import plan_names
from ..sources.library import Library, Templates

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
    of the template texts (for the fingerprint).  ``fit_memo``: the FIT messages the worker has
    encoded in this build, shared by its athletes (``watch_files``): each worker has its own
    copy, made empty with the build's context, so no build is served from the one before."""

    templates: Templates
    library: Library
    templates_digest: str
    fit_memo: Encoded = field(default_factory=Encoded, compare=False, repr=False)
