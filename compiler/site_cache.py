"""The no-op rebuild's fast path: a fingerprint of every input file's bytes and every option that
shapes the outputs, kept in the output folder with the hash of every file the build left there.

When a rebuild finds the same fingerprint and every output file as it was, nothing was changed
on either side and nothing is parsed, checked or compiled.  Otherwise the ordinary build runs
(with its per-athlete manifests, compiler/batch.py, which skip the athletes whose inputs did not
change).  Only a clean build (no failures, no diagnostics) records the fingerprint, so a
rebuild always reports the problems a build had, and it records it after every other output is
in place, so a build killed part way is never taken for a complete one.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from . import __version__

NAME = ".planc-site.json"
_PACKAGE = Path(__file__).resolve().parent
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


def site_key(
    inputs: Iterable[Path],
    *,
    today: dt.date,
    domain: str,
    base_url: str | None,
) -> str | None:
    """The fingerprint of a build's inputs, or None when one cannot be read."""
    digest = hashlib.sha256()
    for part in (__version__, today.isoformat(), domain, base_url or ""):
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


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def unchanged(out_dir: Path, key: str) -> SiteState | None:
    """The recorded state when it has ``key`` and every output file is as it was left."""
    try:
        data: Any = json.loads((out_dir / NAME).read_text("utf-8"))
        if data.get("key") != key:
            return None
        files = {str(k): str(v) for k, v in data["files"].items()}
        for name, digest in files.items():
            if _sha((out_dir / name).read_bytes()) != digest:
                return None
        return SiteState(key, tuple(data["athletes"]), int(data["workouts"]), files)
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None  # no record, or a damaged one: build as usual


def record(
    out_dir: Path,
    key: str,
    athletes: Sequence[str],
    workouts: int,
    outputs: Iterable[str],
    *,
    known: Mapping[str, str] | None = None,
    durable: bool = False,
) -> None:
    """Record a clean build's fingerprint and output hashes, atomically.

    Call it last, when every output is in place: a build killed before then leaves the previous
    record, whose hashes no longer match the outputs it changed, so the fast path never mistakes
    a partial build for a complete one.  ``known``: the sha256 of outputs whose bytes the build
    wrote (or found already in place) itself; the others are read back."""
    from .emit.writer import write_files

    files = {}
    for name in sorted(outputs):
        if known is not None and name in known:
            files[name] = known[name]
            continue
        try:
            files[name] = _sha((out_dir / name).read_bytes())
        except OSError:
            return  # an output is missing: record nothing, the next build runs in full
    text = json.dumps(
        {"key": key, "athletes": sorted(athletes), "workouts": workouts, "files": files},
        indent=1,
        sort_keys=True,
    )
    write_files(out_dir, {NAME: (text + "\n").encode("utf-8")}, durable=durable)
