"""The writer: atomic replacement, unchanged files untouched, nothing outside the output folder."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from compiler.site.writer import write_files


def _mtime_ns(path: Path) -> int:
    return path.stat().st_mtime_ns


def test_writes_files_and_folders(tmp_path: Path) -> None:
    out = tmp_path / "site"
    report = write_files(out, {"index.html": b"<h1>x</h1>", "ana/plan.ics": b"BEGIN"})
    assert report.written == ("ana/plan.ics", "index.html")
    assert report.unchanged == ()
    assert (out / "index.html").read_bytes() == b"<h1>x</h1>"
    assert (out / "ana" / "plan.ics").read_bytes() == b"BEGIN"
    leftovers = [p.name for p in out.rglob("*") if p.name.endswith(".tmp")]
    assert leftovers == []


def test_unchanged_file_keeps_its_mtime(tmp_path: Path) -> None:
    write_files(tmp_path, {"a.txt": b"same", "b.txt": b"old"})
    past = 1_000_000_000_000_000_000
    for name in ("a.txt", "b.txt"):
        os.utime(tmp_path / name, ns=(past, past))
    report = write_files(tmp_path, {"a.txt": b"same", "b.txt": b"new"})
    assert report.unchanged == ("a.txt",)
    assert report.written == ("b.txt",)
    assert _mtime_ns(tmp_path / "a.txt") == past
    assert _mtime_ns(tmp_path / "b.txt") != past
    assert (tmp_path / "b.txt").read_bytes() == b"new"


def test_replaces_atomically_and_durably(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "plan.md"
    target.write_bytes(b"old")
    os.chmod(target, 0o640)
    old_inode = target.stat().st_ino
    calls: list[str] = []
    replaced: list[tuple[str, str]] = []
    real_fsync, real_replace = os.fsync, os.replace

    def fsync(fd: int) -> None:
        calls.append("fsync file" if stat.S_ISREG(os.fstat(fd).st_mode) else "fsync dir")
        real_fsync(fd)

    def replace(src: str, dst: str) -> None:
        calls.append("replace")
        replaced.append((str(src), str(dst)))
        assert Path(dst).read_bytes() in (b"old", b"new")  # the old file is whole till the rename
        real_replace(src, dst)

    monkeypatch.setattr(os, "fsync", fsync)
    monkeypatch.setattr(os, "replace", replace)
    write_files(tmp_path, {"plan.md": b"new"}, durable=True)
    assert target.read_bytes() == b"new"
    assert target.stat().st_ino != old_inode
    assert target.stat().st_mode & 0o777 == 0o640
    assert calls == ["fsync file", "replace", "fsync dir"]  # data on disk before the rename
    [(src, dst)] = replaced
    assert Path(src).parent == tmp_path and dst == str(target)
    calls.clear()
    write_files(tmp_path, {"plan.md": b"newer"})  # by default: atomic, no flush
    assert calls == ["replace"] and target.read_bytes() == b"newer"


def test_failed_write_leaves_old_file_and_no_temp(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "plan.json"
    target.write_bytes(b"old")

    def broken(src: str, dst: str) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", broken)
    with pytest.raises(OSError, match="disk full"):
        write_files(tmp_path, {"plan.json": b"new"})
    assert target.read_bytes() == b"old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["plan.json"]


@pytest.mark.parametrize(
    "bad",
    [
        "../escape.txt",
        "a/../../escape.txt",
        "/etc/passwd",
        "C:\\x.txt",
        "..\\x.txt",
        "",
        ".",
        "a/..",
    ],
)
def test_paths_outside_the_folder_are_refused(tmp_path: Path, bad: str) -> None:
    out = tmp_path / "out"
    with pytest.raises(ValueError):
        write_files(out, {"fine.txt": b"ok", bad: b"x"})
    assert not out.exists()  # nothing written, not even the good file
    assert not (tmp_path / "escape.txt").exists()


def test_symlink_out_of_the_folder_is_refused(tmp_path: Path) -> None:
    out, elsewhere = tmp_path / "out", tmp_path / "elsewhere"
    out.mkdir()
    elsewhere.mkdir()
    (out / "link").symlink_to(elsewhere, target_is_directory=True)
    with pytest.raises(ValueError):
        write_files(out, {"link/x.txt": b"x"})
    assert list(elsewhere.iterdir()) == []


def test_two_names_for_one_file_are_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError):
        write_files(tmp_path, {"a/b.txt": b"1", "a/./b.txt": b"2"})
