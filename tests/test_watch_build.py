"""The watch files in a build (issue 16): every run's FIT file, the zip of the upcoming weeks and
intervals.json beside the other outputs; the same inputs give the same bytes; a rebuild leaves
an unchanged workout's file alone (its time_created too, whatever the new stamp); a cancelled
workout's file goes; the page and plan.md link files that exist; without the FIT SDK the build
writes the rest and says once how to get them."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import re
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

import compiler.emit.fit
from compiler.api import build_site
from compiler.cli import main
from compiler.resources import examples_dir

pytest.importorskip("garmin_fit_sdk")

HALF = examples_dir() / "half-marathon.yaml"
TODAY = dt.date(2026, 11, 22)
STAMP = dt.datetime(2026, 11, 22, tzinfo=dt.UTC)
LATER = dt.datetime(2026, 11, 29, 12, tzinfo=dt.UTC)


def build(out: Path, stamp: dt.datetime = STAMP, **options: object) -> None:
    result = build_site([HALF], out, today=TODAY, stamp=stamp, **options)  # type: ignore[arg-type]
    assert not result.failed, [d.format() for d in result.diagnostics]


def digests(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and not p.name.startswith(".planc-input")
    }


def runs(folder: Path) -> list[dict[str, object]]:
    plan = json.loads((folder / "plan.json").read_text("utf-8"))
    workouts = [w for week in plan["weeks"] for w in week["workouts"]]
    return [w for w in workouts if w["category"] not in ("strength", "rest")]


def test_every_run_has_its_fit_file_and_the_pages_link_them(tmp_path: Path) -> None:
    build(tmp_path)
    folder = tmp_path / "half-marathon"
    names = {f"workouts/{w['date']}-{w['slot']}.fit" for w in runs(folder)}
    assert {p.relative_to(folder).as_posix() for p in folder.glob("workouts/*.fit")} == names
    events = json.loads((folder / "intervals.json").read_text("utf-8"))
    assert {e["external_id"] for e in events} == {w["uid"] for w in runs(folder)}
    page = (folder / "index.html").read_text("utf-8")
    linked = set(re.findall(r'href="(workouts/[^"]+\.fit)"', page))
    assert linked == names
    markdown = (folder / "plan.md").read_text("utf-8")
    assert set(re.findall(r"\((workouts/[^)]+\.fit)\)", markdown)) == names
    assert 'href="workouts.zip"' in page and 'href="intervals.json"' in page
    with zipfile.ZipFile(io.BytesIO((folder / "workouts.zip").read_bytes())) as archive:
        assert archive.testzip() is None
        members = archive.namelist()
        assert members and all(f"workouts/{m}" in names for m in members)
        for member in members:
            assert archive.read(member) == (folder / "workouts" / member).read_bytes()


def test_same_inputs_same_bytes_and_a_new_stamp_rewrites_no_unchanged_workout(
    tmp_path: Path,
) -> None:
    build(tmp_path / "a")
    build(tmp_path / "b")
    first = digests(tmp_path / "a")
    assert first == digests(tmp_path / "b")
    fit = {k: v for k, v in first.items() if k.endswith(".fit")}
    build(tmp_path / "a", stamp=LATER, incremental=False)
    again = digests(tmp_path / "a")
    assert {k: v for k, v in again.items() if k.endswith(".fit")} == fit


def test_a_cancelled_workouts_file_is_removed_and_check_says_so(tmp_path: Path) -> None:
    """The athlete gives up Mondays: the Monday runs' files go (`--check` says they would)."""
    source = tmp_path / "athletes" / "half-marathon.yaml"
    source.parent.mkdir()
    source.write_text(HALF.read_text("utf-8"), "utf-8")
    out = tmp_path / "public"
    build_site([source], out, today=TODAY, stamp=STAMP)
    mondays = {
        f"half-marathon/workouts/{w['date']}-{w['slot']}.fit"
        for w in runs(out / "half-marathon")
        if dt.date.fromisoformat(str(w["date"])).weekday() == 0
    }
    assert mondays
    text = source.read_text("utf-8")
    source.write_text(text.replace("days: [monday, tuesday,", "days: [tuesday,"), "utf-8")
    checked = build_site([source], out, today=TODAY, stamp=STAMP, check=True)
    assert mondays <= set(checked.written)
    assert all((out / name).exists() for name in mondays)
    result = build_site([source], out, today=TODAY, stamp=STAMP)
    assert mondays <= set(result.written)
    assert not any((out / name).exists() for name in mondays)
    left = {f"workouts/{w['date']}-{w['slot']}.fit" for w in runs(out / "half-marathon")}
    found = (out / "half-marathon").glob("workouts/*.fit")
    assert {p.relative_to(out / "half-marathon").as_posix() for p in found} == left


def test_without_the_fit_sdk_the_build_says_once_how_to_get_the_watch_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(compiler.emit.fit, "available", lambda: False)
    result = CliRunner().invoke(
        main,
        ["build", str(HALF), "--out", str(tmp_path), "--today", TODAY.isoformat()],
        catch_exceptions=False,
    )
    assert result.exit_code == 0, result.output
    assert result.output.count("pip install 'planc[watch]'") == 1
    assert "Traceback" not in result.output
    folder = tmp_path / "half-marathon"
    assert (folder / "intervals.json").is_file()
    assert not (folder / "workouts").exists() and not (folder / "workouts.zip").exists()
    assert ".fit" not in (folder / "index.html").read_text("utf-8")


def test_a_rebuild_encodes_only_what_changed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An unchanged workout's file, still as the record says, is taken as it is: not encoded."""
    build(tmp_path)
    encoded: list[str] = []
    encode = compiler.emit.fit.encode

    def counting(file: object, *args: object) -> bytes:
        encoded.append(str(file))
        return encode(file, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(compiler.emit.fit, "encode", counting)
    build(tmp_path, stamp=LATER, incremental=False)
    assert encoded == []
    damaged = next((tmp_path / "half-marathon" / "workouts").glob("*.fit"))
    damaged.write_bytes(b"damaged")
    build(tmp_path, stamp=LATER, incremental=False)
    assert len(encoded) == 1 and damaged.read_bytes()[8:12] == b".FIT"


def site_record(out: Path) -> dict[str, str]:
    files: dict[str, str] = json.loads((out / ".planc-site.json").read_text("utf-8"))["files"]
    return files


def manifest_files(folder: Path) -> dict[str, str]:
    files: dict[str, str] = json.loads((folder / ".planc-input").read_text("utf-8"))["files"]
    return files


def fit_files(folder: Path) -> set[str]:
    return {p.relative_to(folder).as_posix() for p in folder.glob("workouts/*.fit")}


def test_the_incremental_records_vouch_for_every_fit_file(tmp_path: Path) -> None:
    """The manifest and the site record list every FIT file with the sha256 of its bytes (the
    site record's taken from the manifest, not read again), and nothing else of the family."""
    build(tmp_path)
    folder = tmp_path / "half-marathon"
    names = fit_files(folder)
    assert names
    manifest = manifest_files(folder)
    record = site_record(tmp_path)
    for name in names:
        sha = hashlib.sha256((folder / name).read_bytes()).hexdigest()
        assert manifest[name] == sha and record[f"half-marathon/{name}"] == sha
    listed = {n for n in manifest if n.endswith(".fit")}
    assert listed == names
    assert {n for n in record if n.endswith(".fit")} == {f"half-marathon/{n}" for n in names}


def test_a_deleted_fit_file_is_noticed_checked_and_written_again(tmp_path: Path) -> None:
    """The no-op rebuild's fast path and the athlete's manifest both see the file is gone:
    `--check` says it would be written, the next build writes it, the one after is a no-op."""
    build(tmp_path)
    folder = tmp_path / "half-marathon"
    deleted = sorted(fit_files(folder))[3]
    before = (folder / deleted).read_bytes()
    (folder / deleted).unlink()
    checked = build_site([HALF], tmp_path, today=TODAY, stamp=LATER, check=True)
    assert checked.written == (f"half-marathon/{deleted}",) and checked.removed == ()
    assert not (folder / deleted).exists(), "--check writes nothing"
    again = build_site([HALF], tmp_path, today=TODAY, stamp=LATER)
    assert again.written == (f"half-marathon/{deleted}",) and again.skipped == ()
    assert (folder / deleted).read_bytes() == before, "its time carried over: the same bytes"
    assert build_site([HALF], tmp_path, today=TODAY, stamp=LATER).written == ()


def test_a_fit_file_the_build_did_not_make_is_checked_and_removed(tmp_path: Path) -> None:
    """A cancelled workout's file put back (a copy from a backup, a sync): the fast path and
    the manifest do not take the folder for up to date; `--check` says it would go, the
    build removes it and says so, and the records never list it."""
    build(tmp_path)
    folder = tmp_path / "half-marathon"
    stray = "workouts/2026-11-23-run.fit"
    assert stray not in fit_files(folder)
    (folder / stray).write_bytes(next(iter(sorted(folder.glob("workouts/*.fit")))).read_bytes())
    checked = build_site([HALF], tmp_path, today=TODAY, stamp=STAMP, check=True)
    assert checked.written == checked.removed == (f"half-marathon/{stray}",)
    assert (folder / stray).exists(), "--check removes nothing"
    result = build_site([HALF], tmp_path, today=TODAY, stamp=STAMP)
    assert result.removed == (f"half-marathon/{stray}",) and result.written == result.removed
    assert not (folder / stray).exists()
    assert stray not in manifest_files(folder)
    assert f"half-marathon/{stray}" not in site_record(tmp_path)
    assert build_site([HALF], tmp_path, today=TODAY, stamp=STAMP).skipped == ("half-marathon",)


def test_a_cancelled_workouts_file_leaves_the_records(tmp_path: Path) -> None:
    """The athlete gives up Mondays: the build says which files it removed, and the manifest
    and the site record no longer list them (the next build is a no-op)."""
    source = tmp_path / "athletes" / "half-marathon.yaml"
    source.parent.mkdir()
    source.write_text(HALF.read_text("utf-8"), "utf-8")
    out = tmp_path / "public"
    build_site([source], out, today=TODAY, stamp=STAMP)
    folder = out / "half-marathon"
    before = fit_files(folder)
    text = source.read_text("utf-8")
    source.write_text(text.replace("days: [monday, tuesday,", "days: [tuesday,"), "utf-8")
    result = build_site([source], out, today=TODAY, stamp=STAMP)
    gone = before - fit_files(folder)
    assert gone and set(result.removed) == {f"half-marathon/{name}" for name in gone}
    assert not gone & set(manifest_files(folder))
    assert not {f"half-marathon/{name}" for name in gone} & set(site_record(out))
    assert build_site([source], out, today=TODAY, stamp=STAMP).written == ()


def test_the_cli_says_which_files_a_build_removes(tmp_path: Path) -> None:
    """`planc build --check` names a file it would remove as such (exit 1), and the build's
    summary counts the files it removed apart from those it wrote."""
    args = ["build", str(HALF), "--out", str(tmp_path), "--today", TODAY.isoformat()]
    assert CliRunner().invoke(main, args).exit_code == 0
    stray = tmp_path / "half-marathon" / "workouts" / "2026-11-23-run.fit"
    stray.write_bytes(b"left over")
    checked = CliRunner().invoke(main, [*args, "--check"])
    assert checked.exit_code == 1, checked.output
    assert "a build would write 0 files and remove 1 file:" in checked.output
    assert "2026-11-23-run.fit (to be removed: its workout is gone)" in checked.output
    built = CliRunner().invoke(main, args)
    assert built.exit_code == 0 and ", 0 files written, " in built.output
    assert ", 1 removed (cancelled workouts' files)" in built.output
    assert not stray.exists()
