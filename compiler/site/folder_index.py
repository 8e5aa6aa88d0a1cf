"""The site index of an output folder: which folders are athletes', the entry each one shows
(from its manifest, else its ``plan.json``) and the front page made of them.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from collections.abc import Container, Iterable, Mapping
from pathlib import Path
from typing import Any

from ..emit import SiteEntry, emit_site_index
from ..emit.registry import PLAN_JSON
from .build_model import ENTRY_KEYS
from .manifest import read_manifest


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
        race, date = _race_columns(plan)
        return _checked(
            {
                "id": plan["athlete"]["id"],
                "name": plan["athlete"]["name"],
                "race": race,
                "date": date,
                "focus": plan["focus"],
            }
        )
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None  # not an athlete's folder


def _race_columns(plan: Mapping[str, Any]) -> tuple[str, str]:
    """The index's race and date of a ``plan.json``: the race's; for a training block (no race)
    what ``manifest.entry_of`` shows, the block's program ('Base-building block', its title
    without the weeks) and its last day."""
    if plan["race"] is not None:
        return plan["race"]["name"], plan["race"]["date"]
    block = plan["block"]
    return block["title"].rsplit(", ", 1)[0], block["end"]


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
