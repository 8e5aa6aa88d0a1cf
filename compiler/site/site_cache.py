"""The no-op rebuild's fast path: a fingerprint of every input file's bytes and every option that
shapes the outputs, kept in the output folder with the hash of every file the build left there.

When a rebuild finds the same fingerprint and every output file as it was, nothing was changed
on either side and nothing is parsed, checked or compiled.  Otherwise the ordinary build runs
(with its per-athlete manifests, compiler/site/batch.py, which skip the athletes whose inputs did
not change).  Only a clean build (no failures, no diagnostics) records the fingerprint, so a
rebuild always reports the problems a build had, and it records it after every other output is
in place, so a build killed part way is never taken for a complete one.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import os
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .. import __version__
from .build_model import IndexScope
from .families import strays
from .folder_index import index_entries
from .manifest import sha_hex, watch_enabled
from .writer import write_files

NAME = ".planc-site.json"
_PACKAGE = Path(__file__).resolve().parent.parent  # compiler/, not compiler/site/
_ROOT = str(_PACKAGE.parent) + os.sep  # what _name takes off a path inside planc


def own_files() -> list[Path]:
    """planc's own code and page templates: a changed planc is a changed input (a development
    checkout changes them without changing the version)."""
    return sorted(p for p in _PACKAGE.rglob("*") if p.suffix in (".py", ".j2") and p.is_file())


@dataclass(frozen=True)
class SiteState:
    key: str
    athletes: tuple[str, ...]
    workouts: int
    files: dict[str, str]  # output path relative to the output folder -> sha256 of its bytes
    others: tuple[str, ...] = ()  # ids the site index lists from earlier builds


def site_key(
    inputs: Iterable[Path],
    *,
    today: dt.date,
    domain: str,
    base_url: str | None,
    index: IndexScope = IndexScope.FOLDER,
) -> str | None:
    """The fingerprint of a build's inputs, or None when one cannot be read."""
    digest = hashlib.sha256()
    watch = "watch" if watch_enabled() else ""  # installing planc[watch] adds the FIT files
    for part in (__version__, today.isoformat(), domain, base_url or "", index.value, watch):
        digest.update(part.encode() + b"\0")
    for name, path in sorted((_name(path), path) for path in inputs):
        try:
            data = path.read_bytes()
        except OSError:
            return None
        digest.update(name.encode() + b"\0" + hashlib.sha256(data).digest())
    return digest.hexdigest()


def _name(path: Path) -> str:
    """A path as it is named on any machine: inside planc, relative to it; else as given."""
    resolved = os.path.realpath(path)
    if resolved.startswith(_ROOT):
        return Path(resolved[len(_ROOT) :]).as_posix()
    return path.as_posix()


def unchanged(out_dir: Path, key: str) -> SiteState | None:
    """The recorded state when it has ``key`` and every output file is as it was left: each
    recorded file has its bytes, and no athlete's folder holds a family file (a FIT file) the
    record does not list."""
    try:
        data: Any = json.loads((out_dir / NAME).read_text("utf-8"))
        if data.get("key") != key:
            return None
        files = {str(k): str(v) for k, v in data["files"].items()}
        for name, digest in files.items():
            if sha_hex((out_dir / name).read_bytes()) != digest:
                return None
        athletes = tuple(str(a) for a in data["athletes"])
        by_athlete = _by_athlete(files)
        if any(strays(out_dir / a, by_athlete.get(a, set())) for a in athletes):
            return None  # a family file the build did not make is there: the build removes it
        others = data.get("others")
        if others is not None:  # the index lists the folder's other athletes: the same ones?
            if index_entries(out_dir, skip=set(athletes)) != others:
                return None
            others = tuple(str(entry["id"]) for entry in others)
        return SiteState(key, athletes, int(data["workouts"]), files, others or ())
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None  # no record, or a damaged one: build as usual


def _by_athlete(files: Mapping[str, str]) -> dict[str, set[str]]:
    """The paths ``files`` (the record's, by path in the output folder) holds, by the folder
    they are in (an athlete's id) and by path in it."""
    found: dict[str, set[str]] = {}
    for name in files:
        folder, _, path = name.partition("/")
        if path:
            found.setdefault(folder, set()).add(path)
    return found


def record(
    out_dir: Path,
    key: str,
    athletes: Sequence[str],
    workouts: int,
    outputs: Iterable[str],
    *,
    known: Callable[[str], str | None] | None = None,
    others: Sequence[Mapping[str, str]] | None = None,
    durable: bool = False,
) -> None:
    """Record a clean build's fingerprint and output hashes, atomically.

    Call it last, when every output is in place: a build killed before then leaves the previous
    record, whose hashes no longer match the outputs it changed, so the fast path never mistakes
    a partial build for a complete one.  ``known``: the sha256 of an output whose bytes the build
    wrote (or found already in place) itself, else None and it is read back.  The record is
    written a file a line as it is made: for thousands of athletes no table of every output is
    held besides (issue 12).  ``others``: the site-index entries of the athletes of earlier
    builds in the folder (``IndexScope.FOLDER``: ``folder_index.index_entries``), so the fast path
    is not taken once the index would list other ones; None when it lists only the build's own
    (``IndexScope.BUILD``)."""
    text = io.BytesIO()
    text.write(b'{"athletes": %s, ' % json.dumps(sorted(athletes)).encode())
    if others is not None:
        text.write(b'"others": [')
        for index, entry in enumerate(others):
            text.write(b"%s\n %s" % (b"," * (index > 0), json.dumps(entry).encode("utf-8")))
        text.write(b"\n], ")
    text.write(b'"files": {')
    for index, name in enumerate(sorted(outputs)):
        sha = known(name) if known is not None else None
        if sha is None:
            try:
                sha = sha_hex((out_dir / name).read_bytes())
            except OSError:
                return  # an output is missing: record nothing, the next build runs in full
        text.write(b"%s\n %s: %s" % (b"," * (index > 0), _json(name), _json(sha)))
    text.write(b'\n}, "key": %s, "workouts": %d}\n' % (_json(key), workouts))
    write_files(out_dir, {NAME: text.getvalue()}, durable=durable)


def _json(text: str) -> bytes:
    return json.dumps(text).encode("utf-8")
