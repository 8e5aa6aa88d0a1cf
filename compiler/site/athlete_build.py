"""Building one athlete, as a worker does: load, check and resolve its file (``build_file``),
then compile, emit and write its folder (``build_one``), or skip it when its manifest says it is
up to date.  What comes back is a small ``AthleteResult``.

Workers write only inside their athletes' folders and take no lock: the process that started the
build holds the output folder's lock (compiler/site/lock.py) for all of them.
"""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Mapping, Sequence
from pathlib import Path

from ..diagnostics import Diagnostic, PlanError, Severity
from ..emit.fit import Encoded
from ..emit.outputs import RECORD, carry_over, plan_files, record_bytes
from ..emit.watch_files import RECORD as FIT_RECORD
from ..emit.watch_files import watch_files
from ..model import Blueprint, Plan
from ..plan.pipeline import compile_checked
from ..plan.resolve import resolve_athlete
from ..sources.file_text import read_text
from ..sources.gather import AthleteFile
from ..sources.load import load_text
from ..sources.validate import validate_document
from .build_model import AthleteResult, BuildOptions, WorkerContext, sorted_outputs
from .families import stale
from .manifest import (
    MANIFEST,
    entry_of,
    fingerprint,
    manifest_bytes,
    read_manifest,
    site_entry,
    up_to_date,
    watch_enabled,
)
from .published import published
from .writer import UnsafeOutput, unsafe, within, write_files


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
    blueprint: Blueprint,
    print_: str,
    out_dir: Path,
    options: BuildOptions,
    memo: Encoded | None = None,
) -> AthleteResult:
    """Compile, emit and write one athlete (or, with ``options.check``, say what would change).
    ``memo``: the FIT messages this build's worker encoded already (``watch_files``)."""
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
    files.update(watch_outputs(plan, folder, options, memo))
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
            manifest = manifest_bytes(print_, files, site_entry(blueprint), len(plan.workouts))
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


def watch_outputs(
    plan: Plan, folder: Path, options: BuildOptions, memo: Encoded | None = None
) -> dict[str, bytes]:
    """The athlete's watch files (compiler/emit/watch_files.py), FIT times carried over from
    the record the last build left in ``folder``."""
    try:
        previous: bytes | None = (folder / FIT_RECORD).read_bytes()
    except OSError:
        previous = None
    return watch_files(
        plan, stamp=options.stamp, today=options.today, previous_record=previous,
        with_fit=watch_enabled(), folder=folder, memo=memo,
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
    result = build_one(blueprint, print_, out_dir, options, context.fit_memo)
    if result.failed:
        diagnostics = (*warnings, *result.diagnostics)
        return dataclasses.replace(result, diagnostics=diagnostics, source=text)
    return dataclasses.replace(
        result,
        warnings=(*warnings, *result.warnings),
        entry=entry,
        source=text if result.warnings else source,  # the changes' warnings name the file
    )
