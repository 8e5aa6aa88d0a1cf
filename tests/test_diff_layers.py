"""`planc diff` names the athlete's change behind each difference (issue 15, item 4): two real
builds of the bundled half-marathon example through build_site, one with a changes list in the
profile, compared by diff_folders; the text and JSON reports are parsed back."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

from test_changes import CHANGES

from compiler.api import build_site
from compiler.commands.diff import diff_folders, exit_code
from compiler.commands.diff_render import render_json, render_text
from compiler.resources import examples_dir

TODAY = dt.date(2026, 11, 22)
STAMP = dt.datetime(2026, 11, 22, 12, 0, tzinfo=dt.UTC)
PROFILE = "half-marathon.yaml"


def _build(tmp_path: Path, name: str, changes: str) -> tuple[Path, int]:
    """A build of the example with ``changes`` after it, and the line of the first change's
    action (the line the layers name)."""
    folder, out = tmp_path / f"{name}-athletes", tmp_path / name
    folder.mkdir()
    source = (examples_dir() / PROFILE).read_text("utf-8")
    (folder / PROFILE).write_text(source + changes, "utf-8")
    result = build_site([folder], out, today=TODAY, stamp=STAMP, incremental=False)
    assert not any(d.severity.value == "error" for d in result.diagnostics)
    return out, source.count("\n") + 2


def test_diff_names_the_layer_behind_each_change(tmp_path: Path) -> None:
    before, _ = _build(tmp_path, "before", "")
    after, line = _build(tmp_path, "after", CHANGES)
    site = diff_folders(before, after)
    assert exit_code(site) == 1
    text = render_text(site)
    moved = re.search(r"^  2026-12-09 (.*): date 2026-12-08 -> 2026-12-09.* \[(.*)\]$", text, re.M)
    assert moved is not None, text
    assert moved.group(2) == (f"moved by {PROFILE}:{line}: travel, work trip (from 2026-12-08)")
    skipped = re.search(r"^  - 2026-12-10 .* \[(.*)\]$", text, re.M)
    assert skipped is not None and skipped.group(1) == f"skipped by {PROFILE}:{line + 4}: work"
    replaced = re.search(r"^  2026-12-13 .*: .* \[(.*)\]$", text, re.M)
    assert replaced is not None and replaced.group(1).startswith(f"replaced by {PROFILE}:")
    # a workout the changes did not touch names no layer: the rest of the plan is as compiled
    assert len(re.findall(r"\[.*\]$", text, re.M)) == 3

    (athlete,) = json.loads(render_json(site))["athletes"]
    changed = {w["date"]: w for w in athlete["workouts"]["changed"]}
    (layer,) = changed["2026-12-09"]["layers"]
    assert layer == {
        "action": "moved",
        "file": PROFILE,  # the file's own name, not the path the build was given
        "line": line,
        "reason": "travel",
        "note": "work trip",
        "undone": False,
        "text": f"moved by {PROFILE}:{line}: travel, work trip (from 2026-12-08)",
    }
    assert {"field": "date", "old": "2026-12-08", "new": "2026-12-09"} in changed["2026-12-09"][
        "changes"
    ]
    (removed,) = athlete["workouts"]["removed"]
    assert [(x["action"], x["reason"]) for x in removed["layers"]] == [("skipped", "work")]


def test_diff_says_which_layer_was_undone(tmp_path: Path) -> None:
    """Removing the changes restores the plan; diff names each change undone."""
    changed, line = _build(tmp_path, "changed", CHANGES)
    restored, _ = _build(tmp_path, "restored", "")
    text = render_text(diff_folders(changed, restored))
    back = re.search(r"^  2026-12-08 .*: date 2026-12-09 -> 2026-12-08.* \[(.*)\]$", text, re.M)
    assert back is not None, text
    moved = f"moved by {PROFILE}:{line}: travel, work trip (from 2026-12-08)"
    assert back.group(1) == f"undone: {moved}"
    added = re.search(r"^  \+ 2026-12-10 .* \[(.*)\]$", text, re.M)
    assert added is not None and added.group(1) == f"undone: skipped by {PROFILE}:{line + 4}: work"
    data = json.loads(render_json(diff_folders(changed, restored)))
    (athlete,) = data["athletes"]
    assert all(x["undone"] for w in athlete["workouts"]["added"] for x in w["layers"])


def test_a_template_change_names_no_layer(tmp_path: Path) -> None:
    """Two builds with the same changes and a changed line number (a comment above them): the
    changes did the same, so nothing differs and no layer is named."""
    first, _ = _build(tmp_path, "first", CHANGES)
    second, _ = _build(tmp_path, "second", "# the athlete's changes\n" + CHANGES)
    site = diff_folders(first, second)
    assert not site.changed, render_text(site)
