"""The public Python API: the CLI is a thin shell over these functions.

``load_project`` gathers and checks every document (load, validate, resolve), ``compile_plan``
runs the compiler stages for one athlete, ``build`` emits and writes the outputs.  Nothing here
prints or exits; problems come back as Diagnostics.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import os
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from functools import cache, partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .compose import Layers, compose, is_derived
from .diagnostics import (
    Diagnostic,
    PlanError,
    Position,
    UsageError,
    did_you_mean,
    error,
    has_errors,
    sorted_diagnostics,
)
from .load import Document, display_path, load_text, read_text, source_name
from .lock import locked
from .model import Blueprint, Plan
from .project import PROJECT_FILE

if TYPE_CHECKING:
    from .batch import AthleteResult, BuildOptions, Progress, Shard
    from .emit.ical_state import FeedState
    from .periodize import PhaseLength
from . import site_cache
from .batch import IndexScope
from .resolve import (
    TEMPLATE_KINDS,
    Library,
    Templates,
    build_library,
    fitness_detraining,
    resolve_athlete,
    resolve_templates,
)
from .resources import examples_dir, schemas_dir, templates_dir
from .validate import validate_document

YAML_SUFFIXES = (".yaml", ".yml")


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


def find_files(paths: Iterable[Path]) -> list[Path]:
    """YAML files under ``paths`` (folders searched recursively), in a stable order."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found.extend(
                sorted(
                    p
                    for p in path.rglob("*")
                    if p.suffix in YAML_SUFFIXES
                    and p.is_file()
                    # .github/, .pre-commit-config.yaml... are not planc documents
                    and not any(part.startswith(".") for part in p.relative_to(path).parts)
                    and p.name != PROJECT_FILE  # a repository's planc.yaml: compiler/project.py
                )
            )
        elif path.is_file():
            if path.name != PROJECT_FILE:  # named by a pre-commit hook that passes every .yaml
                found.append(path)
        else:
            raise UsageError(f"no such file or folder: {path}")
    unique: dict[str, Path] = {}  # by real path (a string: a build lists thousands of files)
    for path in found:
        unique.setdefault(os.path.realpath(path), path)
    return list(unique.values())


@dataclass(frozen=True, slots=True)
class AthleteFile:
    """An athlete's file as the first pass of a build leaves it: enough to find duplicate ids
    and to load the file again where it is built, not its data.  A build keeps one of these (a
    few hundred bytes) per athlete where a parsed ``Document`` takes about 15 KB, so its memory
    does not grow with the club: the athletes are parsed twice, once here and once in the
    worker that builds them (compiler/batch.py)."""

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


def default_paths() -> list[Path]:
    """What `planc build` and `planc check` work on when given no paths: the bundled examples."""
    return [examples_dir()]


@dataclass(frozen=True)
class _Gathered:
    """What the first pass finds: the template library, resolved, and the athletes."""

    files: tuple[str, ...]
    library: Library
    templates: Templates
    athletes: list[Document]  # with keep_athletes
    athlete_files: list[AthleteFile]  # without it
    failed: list[str]
    diagnostics: list[Diagnostic]
    sources: dict[str, str]


def _gather(
    paths: Sequence[Path], template_dirs: Sequence[Path], jobs: int, keep_athletes: bool
) -> _Gathered:
    """Load every document under ``paths``, and the templates of the search path
    (``template_dirs``, templates found in ``paths``, then the bundled library), and resolve
    the templates.  ``keep_athletes``: athletes come back whole, else as ``AthleteFile``s."""
    # one layer per coach folder, in the order given, then the templates among PATHS
    layers: list[_Loaded] = []
    seen = {os.path.realpath(p) for p in find_files([templates_dir()])}  # the bundled library
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
    composed = compose(
        Layers(
            [[d for d in layer.documents if d.kind != "athlete"] for layer in layers],
            [list(layer.broken) for layer in layers],
        )
    )
    diagnostics.extend(composed.diagnostics)
    library, problems = build_library(list(zip(composed.documents, composed.broken, strict=True)))
    diagnostics.extend(problems)
    templates, problems = resolve_templates(library)
    diagnostics.extend(problems)
    return _Gathered(
        files=tuple(files),
        library=library,
        templates=templates,
        athletes=[d for d in layers[-2].documents if d.kind == "athlete"],
        athlete_files=layers[-2].athletes,
        failed=list(layers[-2].failed),
        diagnostics=diagnostics,
        sources={path: text for layer in layers for path, text in layer.sources.items()},
    )


def _duplicates(athletes: Sequence[AthleteFile]) -> list[Diagnostic | None]:
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
    `planc explain`); `build_site` does not keep them (``_gather``)."""
    gathered = _gather(paths, template_dirs, jobs, keep_athletes=True)
    diagnostics, failed = gathered.diagnostics, gathered.failed
    athletes = gathered.athletes
    duplicates = _duplicates([AthleteFile.of(d) for d in athletes])
    blueprints: list[Blueprint] = []
    for doc, duplicate in zip(athletes, duplicates, strict=True):
        if duplicate is not None:
            diagnostics.append(duplicate)
            failed.append(doc.path)
            continue
        blueprint, problems = resolve_athlete(doc, gathered.templates, gathered.library, today)
        diagnostics.extend(problems)
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


def compile_plan(blueprint: Blueprint, today: dt.date, started: dt.date | None = None) -> Plan:
    """Run the compiler stages for one athlete: periodize, paces, schedule, expand.

    ``started``: the first day of the plan as last published (``Carried.started``).  A plan
    without ``start:`` begins the week after ``today``; once that plan has begun, a rebuild on a
    later day keeps its first day (``pinned_start``), so the current week and the weeks behind
    it stay the plan the athlete is following instead of the whole plan moving a week on."""
    from .expand import expand
    from .paces import compute_paces
    from .periodize import periodize
    from .schedule import schedule

    pinned = pinned_start(blueprint, today, started)
    if pinned is not None:
        athlete = dataclasses.replace(blueprint.athlete, start=pinned)
        try:
            return compile_plan(dataclasses.replace(blueprint, athlete=athlete), today)
        except PlanError:
            pass  # the published start no longer fits the profile (a new race): start afresh
    athlete = blueprint.athlete
    weeks, _lengths = periodize(blueprint, today)
    try:
        paces = compute_paces(
            athlete.recent_race.distance_m,
            athlete.recent_race.time_s,
            blueprint.program.distance_m,
            athlete.race.goal_s,
            weeks_off=fitness_detraining(athlete, today).weeks_off,  # stale fitness
        )
    except ValueError as exc:
        raise PlanError([error("impossible-value", str(exc), athlete.source.file)]) from None
    slots = schedule(blueprint, weeks, paces)
    return expand(blueprint, paces, slots)


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


FEEDS = ("plan.ics", "busy.ics")  # feeds whose previous version a rebuild updates in place
RECORD = ".planc-record.json"  # beside an athlete's outputs: what rebuilds carry on from


def pinned_start(blueprint: Blueprint, today: dt.date, started: dt.date | None) -> dt.date | None:
    """The first day a rebuild keeps: the published plan's, when the athlete gives no
    ``start:``, that plan has begun (on or before ``today``) and its race is still to come;
    otherwise None (the plan starts the week after ``today``, as for a first build)."""
    athlete = blueprint.athlete
    if athlete.start is not None or started is None:
        return None
    if not started <= today <= athlete.race.date or started.weekday() != athlete.week_start:
        return None
    return started


@dataclass(frozen=True)
class Carried:
    """What a rebuild carries on from the previous build of an athlete: each feed's state (read
    from the feed, with what the record remembers, ``ical_state.recover``), the first day of the
    published plan, and warnings for feeds that were damaged or missing."""

    feeds: Mapping[str, FeedState]
    started: dt.date | None = None
    warnings: tuple[Diagnostic, ...] = ()


def carry_over(previous: Mapping[str, bytes], where: str) -> Carried:
    """Read what ``published`` found in an athlete's folder (``where``, for the warnings): the
    feeds, the record (``RECORD``) and, for folders built before the record, the plan's start
    from plan.json.  A feed that is damaged, or gone while the record remembers it, is warned
    about: subscribers' calendars only update in place as long as the history is known."""
    import json

    from .emit.ical_state import read_feed, read_record, recover

    try:
        loaded = json.loads(previous.get(RECORD, b"") or b"null")
    except ValueError:  # a damaged record: the feeds alone, as before there was one
        loaded = None
    record: dict[str, Any] = loaded if isinstance(loaded, dict) else {}
    feeds: dict[str, FeedState] = {}
    warnings: list[Diagnostic] = []
    feeds_kept = record.get("feeds")
    kept: dict[str, Any] = feeds_kept if isinstance(feeds_kept, dict) else {}
    for name in FEEDS:
        data = previous.get(name)
        feed, remembered = read_feed(data), read_record(kept.get(name))
        feeds[name] = recover(feed, remembered)
        if feed.problems or (not data and len(remembered)):
            warnings.append(_feed_warning(f"{where}/{name}", feed, remembered))
    started = _date(record.get("start"))
    if started is None and RECORD not in previous:
        try:
            started = _date(json.loads(previous.get("plan.json", b"") or b"null")["start"])
        except (ValueError, TypeError, KeyError):
            started = None
    return Carried(feeds, started, tuple(warnings))


def _date(value: object) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        return None


def _feed_warning(path: str, feed: FeedState, record: FeedState) -> Diagnostic:
    """The warning for a published feed that could not be read whole: what was wrong, what was
    saved, and what it means for the calendars subscribed to it."""
    from .diagnostics import warning

    name = path.rsplit("/", 1)[-1]
    what = "; ".join(feed.problems) if feed.problems else "it is missing"
    more = len(set(record.events) - set(feed.events))
    saved = f"{len(feed)} event{'s' * (len(feed) != 1)} read from it"
    if len(record):
        message = (
            f"the published {name} is damaged ({what}): {saved}, {more} more from the build "
            f"record ({RECORD}); the history is rebuilt from the record, so no event's SEQUENCE "
            "goes down, but past sessions that are no longer in the plan leave the calendar"
        )
        hint = (
            "subscribed calendars still update in place; to keep every past session as it was, "
            f"put {name} back from a backup or the published site before the next build"
        )
    else:
        message = (
            f"the published {name} is damaged ({what}): {saved}; the history of the events "
            "that could not be read is lost (no build record to rebuild it from)"
        )
        hint = (
            "subscribed calendars may keep stale copies of the lost events: a changed workout "
            "may not update and a removed one may stay; put the feed back from a backup before "
            "building again, or ask the athletes to remove and re-add the calendar"
        )
    return warning("damaged-feed", message, path, None, hint)


def record_bytes(files: Mapping[str, bytes], plan: Plan) -> bytes:
    """The record kept beside an athlete's outputs (``RECORD``, JSON): the plan's first day and,
    per feed, every event's UID, SEQUENCE, DTSTART, a short fingerprint and whether it is
    cancelled, so a rebuild can carry the history on when a published feed is damaged or gone
    (``carry_over``).  Made from the feeds as written."""
    import json

    from .emit.ical_state import record_of

    data = {
        "start": plan.start.isoformat(),
        "feeds": {name: record_of(files[name]) for name in FEEDS if name in files},
    }
    return (json.dumps(data, separators=(",", ":"), sort_keys=True) + "\n").encode("utf-8")


def plan_files(
    plan: Plan,
    *,
    stamp: dt.datetime,
    domain: str,
    previous: Mapping[str, bytes] | Carried | None = None,
    today: dt.date | None = None,
    base_url: str | None = None,
    watch: bool = False,
) -> dict[str, bytes]:
    """One athlete's outputs, by file name.  ``previous`` holds the feeds as last published (or
    what ``carry_over`` made of them and the record), so changed events get a higher SEQUENCE
    and removed ones are cancelled, not lost.  ``watch``: the page and plan.md link each run's
    FIT file (the build writes them: ``batch.watch_outputs``)."""
    from .emit import emit_busy_ics, emit_html, emit_ics, emit_json, emit_markdown
    from .emit.text import plan_words

    carried = previous if isinstance(previous, Carried) else carry_over(previous or {}, "")
    words = plan_words(plan)  # what the outputs say of each workout, worded once for all of them
    return {
        "plan.ics": emit_ics(
            plan,
            stamp=stamp,
            domain=domain,
            previous=carried.feeds.get("plan.ics"),
            words=words,
        ),
        "busy.ics": emit_busy_ics(
            plan, stamp=stamp, domain=domain, previous=carried.feeds.get("busy.ics")
        ),
        "plan.md": emit_markdown(plan, words, watch=watch),
        "index.html": emit_html(plan, today=today, base_url=base_url, words=words, watch=watch),
        "plan.json": emit_json(plan, words),
    }


def published(folder: Path) -> dict[str, bytes]:
    """The feeds and the record a previous build left in ``folder`` (an athlete's output
    folder), by name; plan.json too where there is no record (a folder built before it)."""
    found = {}
    for name in (*FEEDS, RECORD, "plan.json"):
        if name == "plan.json" and RECORD in found:
            break
        try:
            found[name] = (folder / name).read_bytes()
        except OSError:
            continue  # first build, or unreadable: carry_over says what that means
    return found


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
    (``durable``: fsynced, see ``emit.writer.write_files``).

    The templates are loaded and checked once; the athletes are built by ``jobs`` processes
    (compiler.batch).  An athlete with problems is reported and skipped; its previous outputs stay
    untouched.  With ``shard`` only that shard's athletes are built and the site index is left to
    `planc index`; with ``check`` nothing is written and ``written`` lists what would be; with
    ``incremental`` an athlete whose inputs have not changed since the last build is skipped.
    ``index``: the site index lists every athlete folder in
    ``out_dir`` (this build's athletes, and those earlier builds left there, read from their
    manifests one at a time), or only this build's athletes.

    A build that writes holds the lock on ``out_dir`` (compiler/lock.py), so a second one into
    the same folder raises :class:`~compiler.lock.OutputLocked` at once; ``check`` takes none.
    Each athlete's files are written before its manifest, and the site index and then the no-op
    record (``.planc-site.json``) only once every athlete is done: a build killed part way leaves
    every file old or new, and is never taken for a complete one."""
    from .batch import BuildOptions, WorkerContext, build_athletes, templates_digest
    from .emit.writer import UnsafeOutput

    with contextlib.nullcontext() if check else locked(out_dir, "build"):
        started = time.perf_counter()
        key = None
        if incremental and not check and shard is None:  # shards are CI jobs: nothing to skip
            inputs = find_files([*template_dirs, *paths, templates_dir(), schemas_dir()])
            inputs += site_cache.own_files()
            key = site_cache.site_key(
                inputs, today=today, domain=domain, base_url=base_url, index=index
            )
            checked, inputs = len(inputs), []  # a list of every file: not kept through the build
            state = site_cache.unchanged(out_dir, key) if key else None
            if state is not None:  # nothing changed on either side: nothing to parse or compile
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
        gathered = _gather(paths, template_dirs, jobs, keep_athletes=False)
        diagnostics, failed, sources = gathered.diagnostics, gathered.failed, gathered.sources
        athletes: list[tuple[AthleteFile, bool]] = []  # (athlete, to build: in the shard)
        for athlete, duplicate in zip(
            gathered.athlete_files, _duplicates(gathered.athlete_files), strict=True
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
        not_templates = {a.path for a in gathered.athlete_files} | set(failed)
        context = WorkerContext(
            gathered.templates, gathered.library, templates_digest(sources, not_templates)
        )
        files_checked = len(gathered.files)
        del gathered, not_templates  # the templates live on in the context
        batch = build_athletes(athletes, out_dir, options, context, progress)
        del athletes
        results = [r for r in batch.results if r.built]
        for result in batch.results:
            if result.source is not None:
                sources[result.file] = result.source
            if result.failed:
                failed.append(result.file)
            diagnostics.extend(result.diagnostics)
            diagnostics.extend(result.warnings)  # a damaged feed, resolve's: built, and said so
        del batch
        # the site index first: the build's lists of every output are not alive while it is made
        index_written: list[str] = []
        index_unchanged: list[str] = []
        others: list[dict[str, str]] = []  # the entries of athletes built earlier, listed too
        if results and shard is None:
            try:
                others, same = _write_index(out_dir, results, index, options)
            except UnsafeOutput as exc:
                from .emit.writer import unsafe

                diagnostics.append(unsafe(exc))
            else:
                (index_unchanged if same else index_written).append("index.html")
        written = [f"{r.athlete_id}/{name}" for r in results for name in r.written]
        unchanged = [f"{r.athlete_id}/{name}" for r in results for name in r.unchanged]
        written += index_written
        unchanged += index_unchanged
        if key and not failed and not diagnostics:
            site_cache.record(
                out_dir,
                key,
                [r.athlete_id for r in results],
                sum(r.workouts for r in results),
                # not the FIT files of cancelled workouts, which the build removed
                [o for o in (*written, *unchanged) if not _removed(out_dir, o)],
                known=_known(results),
                others=others if index is IndexScope.FOLDER else None,
                durable=durable,
            )
        return BuildResult(
            athletes=tuple(r.athlete_id for r in results),
            failed=tuple(dict.fromkeys(failed)),
            workouts=sum(r.workouts for r in results),
            written=tuple(written),
            unchanged=tuple(unchanged),
            files_checked=files_checked,
            diagnostics=tuple(sorted_diagnostics(diagnostics)),
            sources=sources,
            skipped=tuple(r.athlete_id for r in results if r.skipped),
            seconds=time.perf_counter() - started,
            others=tuple(entry["id"] for entry in others),
        )


def _write_index(
    out_dir: Path, results: Sequence[AthleteResult], scope: IndexScope, options: BuildOptions
) -> tuple[list[dict[str, str]], bool]:
    """Write the site index of ``results`` and, with ``IndexScope.FOLDER``, of every other
    athlete folder in ``out_dir`` (only its small entry read, one folder at a time); with
    ``options.check`` only compare.  The entries listed from other folders, and whether the
    index already had these bytes.  Raises UnsafeOutput when it would be written elsewhere."""
    from .batch import index_entries, site_index
    from .emit import write_files

    others = []
    if scope is IndexScope.FOLDER:
        others = index_entries(out_dir, skip={r.athlete_id for r in results})
    page = site_index([*map(_entry, results), *others], options.base_url)
    if options.check:
        try:
            return others, (out_dir / "index.html").read_bytes() == page
        except OSError:
            return others, False
    report = write_files(out_dir, {"index.html": page}, durable=options.durable)
    return others, not report.written


def _removed(out_dir: Path, output: str) -> bool:
    """Whether ``output`` is a FIT file the build removed (a workout cancelled or moved)."""
    return output.endswith(".fit") and not (out_dir / output).exists()


def _known(results: Sequence[AthleteResult]) -> Callable[[str], str | None]:
    """The sha256 (hex) of an output the build made, by its path, from the results' digests."""
    from .batch import SORTED_OUTPUTS

    by_id = {r.athlete_id: r for r in results}

    def sha(path: str) -> str | None:
        athlete_id, _, name = path.rpartition("/")
        result = by_id.get(athlete_id)
        if result is None or name not in SORTED_OUTPUTS:
            return None
        index = SORTED_OUTPUTS.index(name) * 32
        return result.digests[index : index + 32].hex() or None

    return sha


def _entry(result: AthleteResult) -> dict[str, str]:
    from .batch import ENTRY_KEYS

    assert result.entry is not None
    return dict(zip(ENTRY_KEYS, result.entry, strict=True))


@dataclass(frozen=True)
class IndexResult:
    athletes: int  # athletes listed
    written: bool  # False: the index already had these bytes


def index_site(out_dir: Path, base_url: str | None = None) -> IndexResult:
    """Write ``out_dir/index.html`` from the athletes' folders in ``out_dir`` (after sharded
    builds gathered into one folder), holding the folder's lock as a build does."""
    from .batch import index_entries, site_index
    from .emit import write_files
    from .emit.writer import UnsafeOutput, unsafe

    with locked(out_dir, "index"):
        entries = index_entries(out_dir)
        if not entries:
            raise UsageError(f"no built athletes found in {out_dir} (folders with plan.json)")
        try:
            report = write_files(out_dir, {"index.html": site_index(entries, base_url)})
        except UnsafeOutput as exc:
            raise PlanError([unsafe(exc)]) from None
    return IndexResult(athletes=len(entries), written=bool(report.written))


@dataclass(frozen=True)
class Explanation:
    """Everything `planc explain` says about one athlete: the plan and the decisions behind it."""

    blueprint: Blueprint
    plan: Plan
    phase_lengths: tuple[PhaseLength, ...]  # how long each phase is, and why
    library: Library
    athlete_doc: Document


def find_athlete(project: Project, reference: str) -> Blueprint:
    """The athlete named by ``reference``: its id, or the path of its file."""
    for blueprint in project.blueprints:
        athlete = blueprint.athlete
        if reference in (athlete.id, athlete.source.file) or (
            Path(reference).exists()
            and Path(athlete.source.file).resolve() == Path(reference).resolve()
        ):
            return blueprint
    if project.failed_athletes and any(
        reference in (f, Path(f).stem) for f in project.failed_athletes
    ):
        raise PlanError(list(project.diagnostics))
    ids = sorted(b.athlete.id for b in project.blueprints)
    word = Path(reference).stem if reference.endswith(YAML_SUFFIXES) else reference
    close = did_you_mean(word, ids, most=3)
    if close:  # a mistyped id: the closest ids, not a club's whole roster
        raise UsageError(f"no athlete '{reference}' found: {close}")
    listed = ", ".join(ids[:12]) or "none"
    more = "" if len(ids) <= 12 else f" and {len(ids) - 12} more"
    raise UsageError(f"no athlete '{reference}' found (athletes: {listed}{more})")


def explain_athlete(project: Project, reference: str, today: dt.date) -> Explanation:
    from .periodize import periodize

    blueprint = find_athlete(project, reference)
    _weeks, lengths = periodize(blueprint, today)
    documents = [d for d in project.athlete_documents if d.name == blueprint.athlete.id]
    return Explanation(
        blueprint=blueprint,
        plan=compile_plan(blueprint, today),
        phase_lengths=tuple(lengths),
        library=project.library,
        athlete_doc=documents[0],
    )
