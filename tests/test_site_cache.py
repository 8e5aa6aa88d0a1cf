"""The no-op rebuild's fast path (compiler/site/site_cache.py): with nothing changed on either side
a rebuild parses and compiles nothing; any change on either side, or any problem, builds as
usual."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

import compiler.api
import compiler.site.build
from compiler.api import build_site
from compiler.resources import examples_dir

HALF = (examples_dir() / "half-marathon.yaml").read_text("utf-8")
TODAY = dt.date(2026, 11, 22)
STAMP = dt.datetime(2026, 11, 22, tzinfo=dt.UTC)


def build(source: Path, out: Path) -> compiler.api.BuildResult:
    return build_site([source], out, today=TODAY, stamp=STAMP)


def refuse_to_load(monkeypatch: pytest.MonkeyPatch) -> None:
    def fail(*args: object, **kwargs: object) -> None:
        raise AssertionError("the no-op rebuild parsed the documents")

    # what build_site parses the documents with (it never called load_project, so patching
    # that, as this did before, could not fail)
    monkeypatch.setattr(compiler.site.build, "gather", fail)


@pytest.fixture
def source(tmp_path: Path) -> Path:
    folder = tmp_path / "athletes"
    folder.mkdir()
    (folder / "half-marathon.yaml").write_text(HALF, "utf-8")
    return folder


def test_a_rebuild_with_nothing_changed_parses_nothing(
    source: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "public"
    first = build(source, out)
    mtimes = {p: p.stat().st_mtime_ns for p in out.rglob("*") if p.is_file()}
    refuse_to_load(monkeypatch)
    again = build(source, out)
    assert again.written == ()
    assert again.skipped == first.athletes == ("half-marathon",)
    assert again.workouts == first.workouts
    assert set(again.unchanged) == set(first.written) | set(first.unchanged)
    assert {p: p.stat().st_mtime_ns for p in out.rglob("*") if p.is_file()} == mtimes


def test_a_changed_input_or_output_builds_again(source: Path, tmp_path: Path) -> None:
    out = tmp_path / "public"
    build(source, out)
    (out / "half-marathon" / "plan.md").write_text("edited by hand", "utf-8")
    again = build(source, out)
    assert "half-marathon/plan.md" in again.written, "a damaged output is rebuilt"
    (source / "half-marathon.yaml").write_text(HALF.replace("Sam Carter", "Sam C."), "utf-8")
    changed = build(source, out)
    assert "half-marathon/index.html" in changed.written


def test_problems_are_reported_on_every_rebuild(source: Path, tmp_path: Path) -> None:
    """A build with a warning records nothing, so the warning is never hidden by the cache."""
    text = HALF.replace(
        "  long_run_day: sunday\n", "  long_run_day: sunday\n  start_times:\n    friday: '07:00'\n"
    )
    (source / "half-marathon.yaml").write_text(text, "utf-8")
    out = tmp_path / "public"
    for _ in range(2):
        result = build(source, out)
        assert [d.code for d in result.diagnostics] == ["unused-start-time"]
    assert not (out / ".planc-site.json").exists()
