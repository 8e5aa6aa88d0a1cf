"""A full disk is an I/O error (issue 12, item 8): exit 2, naming the folder and the free space
the files need, never "internal error, a bug in planc" (exit 3); every published file stays
whole (old or new) and no temporary file is left.

The disk fills up by injection: the file object the writer writes a temporary file through
raises ENOSPC for one athlete's folder.  Forked workers inherit the injection, so the same fault
hits the worker path (``--jobs 2``), where the error crosses a process boundary."""

from __future__ import annotations

import errno
import os
import pickle
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from hang_guard import hang_guard

from compiler.cli import main
from compiler.diagnostics import EXIT_USAGE, UsageError
from compiler.resources import examples_dir
from compiler.site.lock import LOCK_NAME, TEMP_PREFIX
from compiler.site.writer import NoSpace, write_files

HALF = (examples_dir() / "half-marathon.yaml").read_text("utf-8")
OLD = ("2026-11-15", "1794700000")  # --today and SOURCE_DATE_EPOCH of the published build
NEW = ("2026-11-22", "1795300000")  # of a build that changes every output
FULL = "runner-03"  # the athlete whose files no longer fit


def make_athletes(folder: Path, count: int) -> None:
    """Copies of the half-marathon example without a start date: every output moves with
    --today."""
    folder.mkdir(parents=True)
    for n in range(count):
        text = HALF.replace("id: half-marathon", f"id: runner-{n:02d}")
        text = "".join(line for line in text.splitlines(True) if not line.startswith("start:"))
        (folder / f"runner-{n:02d}.yaml").write_text(text, "utf-8")


def build(source: Path, out: Path, when: tuple[str, str], *extra: str) -> tuple[int, str]:
    today, epoch = when
    args = ["build", str(source), "--out", str(out), "--today", today, "--quiet", *extra]
    with hang_guard("a build on a full disk"):
        result = CliRunner().invoke(main, args, env={"SOURCE_DATE_EPOCH": epoch})
    return result.exit_code, result.stderr


def files(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and p.name != LOCK_NAME
    }


def _no_space(only: str | None) -> Any:
    """An ``os.write`` that fails as a full disk does for planc's temporary files (those in the
    folder ``only``, or all of them), and writes anything else (pytest's own output)."""
    real_write = os.write

    def write(fd: int, data: Any) -> int:
        target = Path(os.readlink(f"/proc/self/fd/{fd}")) if fd > 2 else Path()
        if target.name.startswith(TEMP_PREFIX) and (only is None or target.parent.name == only):
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return real_write(fd, data)

    return write


@pytest.fixture
def full_disk(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Writing a temporary file into FULL's folder fails with ENOSPC (other folders work)."""
    if not Path("/proc/self/fd").is_dir():
        pytest.skip("needs /proc to tell which file a descriptor writes")
    monkeypatch.setattr(os, "write", _no_space(FULL))
    yield


@pytest.fixture
def published(tmp_path: Path) -> tuple[Path, Path, dict[str, bytes]]:
    source, out = tmp_path / "athletes", tmp_path / "public"
    make_athletes(source, 6)
    code, err = build(source, out, OLD, "--jobs", "1")
    assert code == 0, err
    return source, out, files(out)


@pytest.mark.parametrize("jobs", ["1", "2"], ids=["in-process", "workers"])
def test_a_full_disk_is_an_io_error_and_changes_no_published_file(
    published: tuple[Path, Path, dict[str, bytes]], full_disk: None, jobs: str
) -> None:
    source, out, old = published
    code, err = build(source, out, NEW, "--jobs", jobs)
    assert code == EXIT_USAGE, err
    assert "internal error" not in err and "bug in planc" not in err
    folder = (out / FULL).resolve()
    assert f"cannot write to {folder}/: No space left on device" in err, err
    assert "of free space" in err and "free some space or build into another --out" in err
    now = files(out)
    assert set(now) == set(old), "no file lost, none added"
    for name in now:
        if name.startswith(f"{FULL}/") or name == ".planc-site.json":
            assert now[name] == old[name], f"{name} changed on a full disk"
    assert not any(p.name.startswith(TEMP_PREFIX) for p in out.rglob("*")), "temporaries left"
    assert not (out / LOCK_NAME).exists(), "the lock is given back"


def test_after_space_is_freed_the_next_build_completes(
    published: tuple[Path, Path, dict[str, bytes]], monkeypatch: pytest.MonkeyPatch
) -> None:
    source, out, old = published
    monkeypatch.setattr(os, "write", _no_space(None))
    code, err = build(source, out, NEW, "--jobs", "1")
    assert code == EXIT_USAGE and "No space left on device" in err, err
    assert files(out) == old, "nothing fit: nothing changed"
    monkeypatch.undo()
    code, err = build(source, out, NEW, "--jobs", "1")
    assert code == 0, err
    now = files(out)
    assert now[".planc-site.json"] != old[".planc-site.json"], "the NEW build is recorded whole"
    assert not any(p.name.startswith(TEMP_PREFIX) for p in out.rglob("*"))


def test_no_space_is_an_oserror_and_a_usage_error_that_crosses_processes(tmp_path: Path) -> None:
    error = NoSpace(str(tmp_path / "runner-03"), 190_000, 12_000)
    for each in (error, pickle.loads(pickle.dumps(error))):
        assert isinstance(each, NoSpace)
        assert isinstance(each, OSError) and each.errno == errno.ENOSPC
        assert isinstance(each, UsageError) and each.exit_code == EXIT_USAGE
        assert str(each).startswith(
            f"cannot write to {tmp_path / 'runner-03'}/: No space left on device "
            "(these files need 186 KB of free space; 12 KB are free); "
        )
        assert (each.folder, each.needed, each.free) == (error.folder, 190_000, 12_000)


def test_the_writer_reports_the_folder_and_the_bytes_it_needed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_files(tmp_path, {"a/one.txt": b"old", "a/two.txt": b"old"})
    real_replace = os.replace

    def replace(src: str, dst: str) -> None:  # a full disk even at the rename (a new entry)
        if Path(dst).name == "two.txt":
            raise OSError(errno.EDQUOT, os.strerror(errno.EDQUOT))
        real_replace(src, dst)

    monkeypatch.setattr(os, "replace", replace)
    data = {"a/one.txt": b"x" * 3000, "a/two.txt": b"y" * 2000}
    with pytest.raises(NoSpace) as caught:
        write_files(tmp_path, data)
    assert caught.value.errno == errno.EDQUOT and caught.value.needed == 5000
    assert caught.value.folder == str((tmp_path / "a").resolve())
    assert "(these files need 4.9 KB of free space; " in str(caught.value)
    assert (tmp_path / "a" / "two.txt").read_bytes() == b"old", "each file old or new"
    assert sorted(p.name for p in (tmp_path / "a").iterdir()) == ["one.txt", "two.txt"]
