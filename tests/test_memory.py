"""A build's main process keeps little per athlete (issue 12, item 10): the athletes are parsed
once to learn their ids and parsed again, resolved and built one at a time where they are built,
so no athlete's parsed ``Document`` or ``Blueprint`` stays alive in it while the others build;
yet the build says what `planc check` says of every file.

Counted, not timed: live objects at moments of the build (``gc.get_objects``), so these tests
do not depend on the machine.  bench/run.py measures the resident memory of ``jobs=2`` builds of
50, 500 and 5,000 athletes."""

from __future__ import annotations

import datetime as dt
import gc
import json
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from compiler.api import PARALLEL_LOAD_MIN, build_site, load_project
from compiler.model import Blueprint
from compiler.resources import examples_dir
from compiler.site import athlete_build
from compiler.site import build as site_build
from compiler.sources.document import Document

TODAY = dt.date(2026, 11, 22)
STAMP = dt.datetime(2026, 11, 18, tzinfo=dt.UTC)
HALF = (examples_dir() / "half-marathon.yaml").read_text("utf-8")


def athletes(folder: Path, count: int) -> None:
    """The examples and ``count`` copies of the half-marathon one with their own ids."""
    shutil.copytree(examples_dir(), folder)
    for n in range(count):
        text = HALF.replace("id: half-marathon", f"id: runner-{n:03d}")
        (folder / f"runner-{n:03d}.yaml").write_text(text, "utf-8")


def live() -> tuple[int, int]:
    """The athlete Documents and the Blueprints alive in this process (reachable: garbage an
    earlier test left in a reference cycle is collected first, it is not the build's)."""
    gc.collect()
    objects = gc.get_objects()
    documents = sum(1 for o in objects if isinstance(o, Document) and o.kind == "athlete")
    return documents, sum(1 for o in objects if isinstance(o, Blueprint))


def spy(
    monkeypatch: pytest.MonkeyPatch, module: Any, name: str, seen: list[tuple[int, int]]
) -> None:
    """Count the live athletes each time ``module.name`` is called."""
    original: Callable[..., Any] = getattr(module, name)

    def counted(*args: Any, **kwargs: Any) -> Any:
        seen.append(live())
        return original(*args, **kwargs)

    monkeypatch.setattr(module, name, counted)


def test_one_athlete_at_a_time_is_alive_in_a_build(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """In one process: while an athlete is built, no other athlete's Document or Blueprint is
    alive (before streaming, every one of them was, until the build ended)."""
    athletes(tmp_path / "athletes", 12)
    during: list[tuple[int, int]] = []
    spy(monkeypatch, athlete_build, "build_one", during)
    result = build_site([tmp_path / "athletes"], tmp_path / "out", today=TODAY, stamp=STAMP)
    assert not result.failed and len(during) == len(result.athletes) >= 12
    assert max(documents for documents, _ in during) <= 1, during
    assert max(blueprints for _, blueprints in during) <= 1, during


def test_no_athlete_is_alive_in_the_main_process_once_the_pool_built_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With a pool (jobs=2) the main process parses the athletes only to learn their ids: when
    the site index is made, none of them is alive there."""
    athletes(tmp_path / "athletes", PARALLEL_LOAD_MIN + 4)  # enough to parse them in the pool
    at_index: list[tuple[int, int]] = []
    spy(monkeypatch, site_build, "site_index", at_index)  # as build_site calls it
    result = build_site(
        [tmp_path / "athletes"], tmp_path / "out", today=TODAY, stamp=STAMP, jobs=2, check=True
    )
    assert not result.failed and len(result.athletes) >= PARALLEL_LOAD_MIN + 4
    assert at_index == [(0, 0)]


def test_a_streamed_build_says_what_check_says(tmp_path: Path) -> None:
    """The build resolves athletes where it builds them, yet reports what ``load_project`` (as
    `planc check` runs it) reports: the same diagnostics (a duplicate id at its id, an unknown
    program, a schema error, resolve's warnings), the same failed files, and the text of every
    file a diagnostic points into, with one process and with a pool."""
    source = tmp_path / "athletes"
    athletes(source, PARALLEL_LOAD_MIN)

    def variant(name: str, old: str, new: str, athlete_id: str | None = None) -> None:
        text = HALF.replace("id: half-marathon", f"id: {athlete_id or name}")
        (source / f"{name}.yaml").write_text(text.replace(old, new), "utf-8")

    variant("a-twin", "name: Sam Carter", "name: Twin", athlete_id="runner-007")
    variant("b-program", "program: half-marathon", "program: no-such-program")
    variant("c-schema", "units: km", "units: furlongs")
    variant(
        "d-warned",
        "  long_run_day: sunday",
        '  long_run_day: sunday\n  start_times:\n    friday: "07:00"',
    )
    (source / "e-broken.yaml").write_text("kind: athlete\nid: [broken\n", "utf-8")

    checked = load_project([source], today=TODAY)
    codes = {d.code for d in checked.diagnostics}
    assert codes >= {"duplicate-id", "unknown-reference", "bad-value", "unused-start-time"}
    for jobs in (1, 2):
        built = build_site([source], tmp_path / f"out-{jobs}", today=TODAY, stamp=STAMP, jobs=jobs)
        assert built.diagnostics == checked.diagnostics
        assert sorted(built.failed) == sorted(checked.failed_athletes)
        for diagnostic in built.diagnostics:
            if diagnostic.line is not None:
                assert diagnostic.file is not None, diagnostic
                assert built.sources[diagnostic.file] == checked.sources[diagnostic.file]
        assert set(built.athletes) == {b.athlete.id for b in checked.blueprints}


def test_the_site_record_lists_every_output_with_its_hash(tmp_path: Path) -> None:
    """The record written a line at a time is JSON with every output's sha256, so the next
    build with nothing changed takes the fast path."""
    athletes(tmp_path / "athletes", 3)
    first = build_site([tmp_path / "athletes"], tmp_path / "out", today=TODAY, stamp=STAMP)
    data = json.loads((tmp_path / "out" / ".planc-site.json").read_text("utf-8"))
    assert set(data["files"]) == {*first.written, *first.unchanged}
    assert sorted(data["athletes"]) == sorted(first.athletes)
    again = build_site([tmp_path / "athletes"], tmp_path / "out", today=TODAY, stamp=STAMP)
    assert again.written == () and again.skipped == tuple(sorted(first.athletes))
