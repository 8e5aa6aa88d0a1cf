"""A folder that does not exist yet is written whole and put in place by one rename
(writer._NewFolders): no temporary file a file, and still no reader ever sees a file partly
written, nor a new folder before all its files are in (the bench's ``watch_vs_no_watch``: a
fresh build's ``workouts/`` is hundreds of small files, and a rename a file was a third of their
cost)."""

from __future__ import annotations

import errno
import os
import tempfile
import time
from pathlib import Path
from typing import Any

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from compiler.site.lock import TEMP_PREFIX, sweep_temporaries
from compiler.site.writer import write_files

_NAMES = st.sampled_from(["a", "b", "workouts", "w2", "x.fit", "y.fit"])
_PATHS = st.lists(_NAMES, min_size=1, max_size=3).map("/".join)
_FILES = st.dictionaries(_PATHS, st.binary(max_size=40), min_size=1, max_size=12)


def _consistent(files: dict[str, bytes]) -> dict[str, bytes]:
    """``files`` without a path that is also another's folder (a file cannot be both)."""
    folders = {"/".join(p.split("/")[:i]) for p in files for i in range(1, p.count("/") + 1)}
    return {path: data for path, data in files.items() if path not in folders}


def _replaces(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The files put in place by ``os.replace`` (a temporary file renamed over its name)."""
    done: list[str] = []
    real = os.replace

    def replace(src: Any, dst: Any, **kwargs: Any) -> None:
        done.append(str(dst))
        real(src, dst, **kwargs)

    monkeypatch.setattr(os, "replace", replace)
    return done


@settings(max_examples=40, deadline=None)
@given(files=_FILES, kept=st.sets(st.integers(0, 11), max_size=12))
@example(files={"a": b"1", "workouts/x.fit": b"2", "workouts/y.fit": b"3"}, kept={0})
@example(files={"a/a/a": b"", "a/b": b""}, kept={0})  # a/ is there, though only as a folder
def test_new_folders_come_whole_and_existing_files_by_a_rename_each(
    files: dict[str, bytes], kept: set[int]
) -> None:
    """Over generated trees, some of whose files (``kept``) a build before wrote: every file
    has its bytes and mode, nothing temporary is left, and only the files of folders that were
    there already are renamed one by one (on the code before, every file was)."""
    after = _consistent(files)
    before = {p: after[p] + b"old" for i, p in enumerate(sorted(after)) if i in kept}
    with tempfile.TemporaryDirectory() as tmp, pytest.MonkeyPatch.context() as patch:
        root = Path(tmp) / "site"
        write_files(root, before)
        existing = {p for p in root.rglob("*") if p.is_dir()} | {root}  # every folder there
        replaced = _replaces(patch)
        report = write_files(root, after)
        found = {p.relative_to(root).as_posix(): p for p in root.rglob("*") if p.is_file()}
        assert {name: path.read_bytes() for name, path in found.items()} == after
        assert not [p for p in root.rglob("*") if p.name.startswith(TEMP_PREFIX)], "temporaries"
        assert all(stat_mode(found[name]) == 0o644 for name in report.written)
        old_folder = {name for name in report.written if (root / name).parent in existing}
        assert sorted(Path(p).relative_to(root).as_posix() for p in replaced) == sorted(old_folder)


def stat_mode(path: Path) -> int:
    return path.stat().st_mode & 0o777


def test_a_failure_in_a_new_folder_leaves_no_folder_and_no_temporary(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A full disk while a new folder's files are written: the folder never appears, the old
    files are untouched, nothing temporary is left."""
    write_files(tmp_path, {"plan.ics": b"old"})
    real_write, calls = os.write, [0]

    def write(fd: int, data: Any) -> int:
        calls[0] += 1
        if calls[0] == 3:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return real_write(fd, data)

    monkeypatch.setattr(os, "write", write)
    files = {"plan.ics": b"new", **{f"workouts/{n}.fit": b"x" * n for n in range(1, 6)}}
    with pytest.raises(OSError):
        write_files(tmp_path, files)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["plan.ics"]
    assert (tmp_path / "plan.ics").read_bytes() == b"old"


def test_a_killed_builds_staged_folder_is_swept(tmp_path: Path) -> None:
    staged = tmp_path / "ana" / f"{TEMP_PREFIX}workouts.123-4.tmp"
    (staged / "inner").mkdir(parents=True)
    (staged / "inner" / "2026-11-30-run.fit").write_bytes(b"half")
    kept = tmp_path / "ana" / "workouts"
    kept.mkdir()
    past = time.time() - 60
    os.utime(staged, (past, past))
    assert sweep_temporaries(tmp_path, time.time() - 1) == [staged]
    assert not staged.exists() and kept.is_dir()
