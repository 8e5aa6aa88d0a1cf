"""The one list of outputs (compiler/emit/registry.py): adding a format is one ``Output`` in the
registry and its emitter, and the writer, the manifest, the site record, ``--check``, ``planc
diff``, ``planc serve`` and the page links all follow; and no other module spells an output's
file name, so the list cannot drift from a copy of it."""

from __future__ import annotations

import ast
import datetime as dt
import json
import shutil
from pathlib import Path

import pytest

from compiler.api import BuildResult, build_site
from compiler.commands.diff import diff_folders
from compiler.commands.serve_page import content_type
from compiler.emit import outputs, registry
from compiler.emit.outputs import Emission
from compiler.resources import examples_dir
from compiler.site.manifest import MANIFEST
from compiler.site.site_cache import NAME as SITE_RECORD

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "compiler"
TODAY = dt.date(2026, 11, 22)
STAMP = dt.datetime(2026, 11, 18, tzinfo=dt.UTC)
EXTRA = registry.Output("plan.txt", "text/plain; charset=utf-8", "the plan as plain text", "Text")


def _plan_txt(e: Emission) -> bytes:
    return f"{e.plan.athlete.name}: {len(e.plan.workouts)} workouts\n".encode()


@pytest.fixture
def extra_output(monkeypatch: pytest.MonkeyPatch) -> registry.Output:
    """A sixth plan output, added as a new format would be: one entry in the registry, one
    emitter."""
    monkeypatch.setattr(registry, "OUTPUTS", (*registry.OUTPUTS, EXTRA))
    monkeypatch.setattr(outputs, "EMITTERS", {**outputs.EMITTERS, EXTRA.name: _plan_txt})
    return EXTRA


def _build(source: Path, out: Path, *, check: bool = False) -> BuildResult:
    return build_site([source], out, today=TODAY, stamp=STAMP, check=check)


def test_an_added_output_is_written_recorded_skipped_and_checked(
    tmp_path: Path, extra_output: registry.Output
) -> None:
    source, out = tmp_path / "athletes", tmp_path / "out"
    source.mkdir()
    (source / "half.yaml").write_bytes((examples_dir() / "half-marathon.yaml").read_bytes())
    result = _build(source, out)
    folder = out / "half-marathon"
    name = extra_output.name
    assert (folder / name).read_text("utf-8").endswith(" workouts\n")
    assert f"half-marathon/{name}" in result.written
    manifest = json.loads((folder / MANIFEST).read_text("utf-8"))
    assert name in manifest["files"]
    assert f"half-marathon/{name}" in json.loads((out / SITE_RECORD).read_text("utf-8"))["files"]
    # the page's "Also as" line and the site index's Files column link it under its label
    page = (folder / registry.INDEX_HTML.name).read_text("utf-8")
    assert f'<a href="{name}">Text ({name})</a>' in page
    site = (out / registry.SITE_INDEX).read_text("utf-8")
    assert f'<a href="half-marathon/{name}">Text</a>' in site

    again = _build(source, out)  # a no-op rebuild: nothing written
    assert again.written == ()

    (folder / name).write_text("edited by hand\n", "utf-8")
    checked = _build(source, out, check=True)
    assert f"half-marathon/{name}" in checked.written
    assert (folder / name).read_text("utf-8") == "edited by hand\n", "--check writes nothing"
    rebuilt = _build(source, out)
    assert f"half-marathon/{name}" in rebuilt.written
    assert (folder / name).read_text("utf-8") != "edited by hand\n"


def test_diff_and_serve_know_an_added_output(tmp_path: Path, extra_output: registry.Output) -> None:
    """A folder holding only the new file is an athlete's (so a missing plan.json is reported,
    not the folder ignored), and serve sends the file as the registry says."""
    for side in ("old", "new"):
        (tmp_path / side / "someone").mkdir(parents=True)
        (tmp_path / side / "someone" / extra_output.name).write_text("x", "utf-8")
    found = diff_folders(tmp_path / "old", tmp_path / "new")
    assert {(p.athlete_id, p.side) for p in found.problems} == {
        ("someone", "old"),
        ("someone", "new"),
    }
    assert content_type(extra_output.name) == extra_output.media_type


def test_every_plan_output_has_an_emitter_and_a_unique_name() -> None:
    names = [o.name for o in registry.OUTPUTS]
    assert len(names) == len(set(names))
    assert set(outputs.EMITTERS) == set(registry.plan_names())
    assert registry.feeds() == (registry.PLAN_ICS.name, registry.BUSY_ICS.name)


# Modules allowed to spell an output's file name as a string literal.
ALLOWED = {
    "compiler/emit/registry.py",  # the registry itself: where every name is declared
}


def _spelled(path: Path, names: frozenset[str], root: Path = ROOT) -> list[str]:
    """Where ``path`` spells one of ``names`` as a whole string literal (docstrings and prose
    that mention a file inside a longer text do not count: they name it, they do not use it)."""
    tree = ast.parse(path.read_text("utf-8"), str(path))
    return [
        f"{path.relative_to(root)}:{node.lineno}: {node.value!r}"
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and node.value in names
    ]


def test_a_family_is_declared_once_and_owns_its_files(tmp_path: Path) -> None:
    """The FIT files are a family of the registry: their names come from it, serve sends them
    as it says, and no single output's name could be taken for one of them."""
    family = registry.WORKOUT_FILES
    assert family in registry.FAMILIES and family.optional and family.binary
    name = family.name("2027-03-01-run")
    assert name == "workouts/2027-03-01-run.fit" and family.holds(name)
    assert content_type(name.rpartition("/")[2]) == family.media_type
    for output in registry.OUTPUTS:
        assert not any(f.holds(output.name) for f in registry.FAMILIES), output.name


def test_no_module_but_the_registry_spells_an_output_name() -> None:
    names = frozenset(o.name for o in registry.OUTPUTS)
    found = [
        hit
        for path in sorted(PACKAGE.rglob("*.py"))
        if path.relative_to(ROOT).as_posix() not in ALLOWED
        for hit in _spelled(path, names)
    ]
    assert found == [], "use compiler/emit/registry.py's Output instead:\n" + "\n".join(found)


def test_no_page_template_spells_an_output_name() -> None:
    """The page templates get every file name from the registry (through html.py)."""
    names = [o.name for o in registry.OUTPUTS]
    templates = sorted((PACKAGE / "emit" / "templates").glob("*.j2"))
    assert templates
    found = [
        f"{t.name}: {name}" for t in templates for name in names if name in t.read_text("utf-8")
    ]
    assert found == []


def test_the_scan_finds_a_spelled_name(tmp_path: Path) -> None:
    """The scan is shown to fail on what it guards against, and to pass prose by."""
    probe = tmp_path / "probe.py"
    probe.write_text('"""Writes plan.json."""\nNAME = "plan.json"\n', "utf-8")
    assert _spelled(probe, frozenset({"plan.json"}), tmp_path) == ["probe.py:2: 'plan.json'"]


@pytest.fixture
def extra_family(monkeypatch: pytest.MonkeyPatch) -> registry.Family:
    """A second family of files, added as a new one would be: one entry in the registry."""
    family = registry.Family("notes", ".note", "text/plain; charset=utf-8", "a note per run")
    monkeypatch.setattr(registry, "FAMILIES", (*registry.FAMILIES, family))
    return family


def test_an_added_family_is_checked_removed_and_compared(
    tmp_path: Path, extra_family: registry.Family
) -> None:
    """A family declared in the registry alone: a file of it that the build did not make is
    noticed by the no-op fast path and the manifest, named by ``--check``, removed by the build
    (and left out of the records), and listed by ``planc diff``."""
    source, out = tmp_path / "athletes", tmp_path / "out"
    source.mkdir()
    (source / "half.yaml").write_bytes((examples_dir() / "half-marathon.yaml").read_bytes())
    _build(source, out)
    shutil.copytree(out, tmp_path / "before")
    name = extra_family.name("2026-12-01-run")
    path = f"half-marathon/{name}"
    (out / "half-marathon" / extra_family.folder).mkdir()
    (out / path).write_text("left over\n", "utf-8")
    found = diff_folders(tmp_path / "before", out)
    assert [a.files_added for a in found.athletes] == [(name,)]
    checked = _build(source, out, check=True)
    assert checked.written == checked.removed == (path,) and (out / path).exists()
    rebuilt = _build(source, out)
    assert rebuilt.removed == (path,) and not (out / path).exists()
    assert path not in json.loads((out / SITE_RECORD).read_text("utf-8"))["files"]
    assert _build(source, out).written == ()
    assert diff_folders(tmp_path / "before", out).changed is False
