"""The files of the output registry's families (compiler/emit/registry.py: a FIT file per run) in
an athlete's folder, as they are on disk: which there are (``found``), which of them a build
no longer makes (``stale``: a cancelled workout's), whether one is there that a build's record
does not list (``strays``) and what each holds (``contents``).

The build, the incremental checks (the manifest, the site record), ``--check`` and ``planc
diff`` all read a family through here, so a family added to the registry is written, removed,
checked and compared with no other change.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Container
from pathlib import Path
from typing import Any

from ..emit import registry
from ..emit.registry import Family


def found(folder: Path) -> list[str]:
    """Every family file in ``folder`` (an athlete's), by path in it, sorted.  A hidden file
    (a record, or a temporary file a killed build left) is never one."""
    return sorted(path for family in registry.FAMILIES for path in _found(folder, family))


def _found(folder: Path, family: Family) -> list[str]:
    try:
        with os.scandir(folder / family.folder) as entries:
            names = [e.name for e in entries if e.name[:1] != "." and family.holds(e.name)]
    except OSError:  # no such folder: none of the family
        return []
    return [f"{family.folder}/{name}" for name in names]


def stale(folder: Path, made: Container[str]) -> list[str]:
    """The family files in ``folder`` that a build did not make (``made``: the paths it
    wrote), by path: a workout cancelled or moved.  The build removes them."""
    return [path for path in found(folder) if path not in made]


def strays(folder: Path, recorded: Container[str]) -> bool:
    """Whether ``folder`` holds a family file a build's record (``recorded``: its paths in the
    folder) does not list: one put back by hand or by a copy, which the next build removes."""
    return any(path not in recorded for path in found(folder))


def contents(folder: Path) -> dict[str, str]:
    """What each family file in ``folder`` holds, by path: the digest its family's record keeps
    for it (what it holds, not when it was made: two builds at other times agree), or, for a
    file the record does not vouch for (none, or edited since), the sha256 of its bytes.  An
    unreadable file is left out."""
    held: dict[str, str] = {}
    for family in registry.FAMILIES:  # read at call time: a test may add one
        record = _record(folder, family.record_path)
        for path in _found(folder, family):
            try:
                sha = hashlib.sha256((folder / path).read_bytes()).hexdigest()
            except OSError:
                continue
            entry = record.get(path)
            if isinstance(entry, dict) and entry.get("sha") == sha and "key" in entry:
                held[path] = f"key:{entry['key']}"
            else:
                held[path] = f"sha:{sha}"
    return dict(sorted(held.items()))


def _record(folder: Path, path: str) -> dict[str, Any]:
    """A family's record in ``folder`` (see ``registry.Family``); empty when there is none, or
    it cannot be read."""
    if not path:
        return {}
    try:
        data = json.loads((folder / path).read_bytes())
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}
