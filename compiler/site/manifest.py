"""Incremental builds: the manifest beside each athlete's outputs, and whether they are up to
date.

Beside its outputs every athlete gets a manifest ``<id>/.planc-input`` (JSON) holding a
fingerprint of everything the outputs depend on (the athlete's file, every template document on
the search path in search order, the planc version, the build date, the base URL and the
calendar domain; not the calendar stamp, which only dates changed events) and the SHA-256 of
each output file.  When the fingerprint matches and every output file still has those bytes, the
athlete is skipped: nothing is compiled and nothing written.  The manifest is written after the
outputs, so a build killed between the two is noticed and the athlete built again.  It also
keeps the athlete's line of the site index, for `planc index`.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from .. import __version__
from ..emit import fit
from ..emit.registry import plan_names
from ..model import Blueprint
from .build_model import ENTRY_KEYS, BuildOptions, Entry
from .families import strays

MANIFEST = ".planc-input"


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
    # a training block: its program and last day in the race's columns
    name = race.name if race is not None else f"{blueprint.program.title} block"
    return (athlete.id, athlete.name, name, athlete.last_day.isoformat(), blueprint.focus.title)


def site_entry(blueprint: Blueprint) -> dict[str, str]:
    """``entry_of`` by key, as the manifest keeps it for `planc index`."""
    return dict(zip(ENTRY_KEYS, entry_of(blueprint), strict=True))


def manifest_bytes(
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
