"""Crash safety (issue 7): atomic files, a killed or failed build leaves every published file whole
(old or new), the no-op record is written last, stray temporary files are swept and never
published, and one build at a time writes to an output folder."""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import icalendar
import pytest
from click.testing import CliRunner
from hang_guard import hang_guard

from compiler.api import build_site, index_site
from compiler.cli import main
from compiler.resources import examples_dir
from compiler.site import site_cache
from compiler.site.lock import (
    LOCK_NAME,
    TEMP_PREFIX,
    Holder,
    OutputLocked,
    acquire,
    locked,
    release,
)
from compiler.site.writer import write_files

POSIX = pytest.mark.skipif(os.name != "posix", reason="needs POSIX signals and process groups")

HALF = (examples_dir() / "half-marathon.yaml").read_text("utf-8")
OLD = ("2026-11-15", "1794700000")  # --today and SOURCE_DATE_EPOCH of the published build
NEW = ("2026-11-22", "1795300000")  # of the build that changes every output
NEW_START = "2026-11-23"  # the NEW build's plans start a week after the OLD build's
ATHLETES = 24  # enough that a build takes a while: it is killed part way


def make_athletes(folder: Path, count: int, start: str | None = None) -> list[str]:
    """``count`` copies of the half-marathon example without a start date (or with ``start``).
    A plan without one that has begun keeps its first day when rebuilt later (issue 12), so
    the NEW build gives them a start a week later: every output moves."""
    folder.mkdir(parents=True, exist_ok=True)
    ids = [f"runner-{n:02d}" for n in range(count)]
    for athlete_id in ids:
        text = HALF.replace("id: half-marathon", f"id: {athlete_id}")
        text = "".join(line for line in text.splitlines(True) if not line.startswith("start:"))
        text += f"start: {start}\n" if start else ""
        (folder / f"{athlete_id}.yaml").write_text(text, "utf-8")
    return ids


def is_temporary(path: Path) -> bool:
    return path.name.startswith(TEMP_PREFIX)


def tree(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` (dot files too) but the lock file, temporary files and the
    watch's FIT files (a rebuild removes those of workouts that moved: tests/test_watch_build.py
    covers them)."""
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and p.name != LOCK_NAME and not is_temporary(p)
        and "workouts" not in p.relative_to(folder).parts and p.name != "workouts.zip"
    }  # fmt: skip


def outputs(folder: Path) -> dict[str, bytes]:
    """``tree`` with the no-op record's key left out: it covers planc's own code, which a
    development checkout may change between two builds of a test."""
    files = tree(folder)
    record = json.loads(files.pop(".planc-site.json"))
    record.pop("key")
    files[".planc-site.json"] = json.dumps(record, sort_keys=True).encode()
    return files


def temporaries(folder: Path) -> list[Path]:
    return [p for p in folder.rglob("*") if is_temporary(p)]


Stamps = dict[str, int]


def mtimes(folder: Path) -> Stamps:
    return {
        p.relative_to(folder).as_posix(): p.stat().st_mtime_ns
        for p in folder.rglob("*")
        if p.is_file() and p.name != LOCK_NAME and not is_temporary(p)
    }


def cli(*args: str, epoch: str | None = None) -> tuple[int, str, str]:
    env = {"SOURCE_DATE_EPOCH": epoch} if epoch else None
    result = CliRunner().invoke(main, list(args), catch_exceptions=False, env=env)
    return result.exit_code, result.stdout, result.stderr


def build(source: Path, out: Path, when: tuple[str, str], *extra: str) -> tuple[int, str, str]:
    today, epoch = when
    return cli("build", str(source), "--out", str(out), "--today", today, *extra, epoch=epoch)


def command(source: Path, out: Path, when: tuple[str, str], jobs: int) -> list[str]:
    today, _ = when
    return [
        sys.executable,
        "-m",
        "compiler",
        "build",
        str(source),
        "--out",
        str(out),
        "--today",
        today,
        "--jobs",
        str(jobs),
        "--quiet",
    ]


def environment(when: tuple[str, str]) -> dict[str, str]:
    return {**os.environ, "SOURCE_DATE_EPOCH": when[1]}


def wait_for(condition: Callable[[], bool], what: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.005)


def assert_whole(out: Path, old: dict[str, bytes], new: dict[str, bytes]) -> tuple[int, int]:
    """Every file is its old bytes or its new bytes, and parses; returns (old, new) counts."""
    now = tree(out)
    assert set(old) <= set(now), f"files lost: {sorted(set(old) - set(now))}"
    assert set(now) <= set(old) | set(new), f"unexpected files: {sorted(set(now) - set(new))}"
    counts = [0, 0]
    for name, data in now.items():
        if data == new.get(name) and data != old.get(name):
            counts[1] += 1
        elif data == old.get(name):
            counts[0] += 1
        else:
            raise AssertionError(f"{name} is neither its old nor its new bytes ({len(data)} bytes)")
        if name.endswith(".ics"):
            assert icalendar.Calendar.from_ical(data).walk("VEVENT"), name
        elif name.endswith((".json", ".planc-input")):
            json.loads(data)
        elif name.endswith(".html"):
            assert data.rstrip().endswith(b"</html>"), name
    assert now[".planc-site.json"] == old[".planc-site.json"], "the no-op record is written last"
    return counts[0], counts[1]


@pytest.fixture(scope="module")
def published(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, Path, Path]]:
    """Athletes, their published build (OLD) and a complete NEW build over a copy of it."""
    root = tmp_path_factory.mktemp("crash")
    source, old, new = root / "athletes", root / "old", root / "new"
    make_athletes(source, ATHLETES)
    code, _, err = build(source, old, OLD, "--jobs", "2")
    assert code == 0, err
    make_athletes(source, ATHLETES, start=NEW_START)
    shutil.copytree(old, new)
    code, _, err = build(source, new, NEW, "--jobs", "2")
    assert code == 0, err
    yield source, old, new


# --------------------------------------------------------------------------- a killed build


@POSIX
def test_a_killed_build_leaves_every_file_old_or_new(
    published: tuple[Path, Path, Path], tmp_path: Path
) -> None:
    source, old_site, new_site = published
    out = tmp_path / "public"
    shutil.copytree(old_site, out)
    old, new = tree(old_site), tree(new_site)
    changing = [name for name in old if old[name] != new[name]]
    assert len(changing) == ATHLETES * 8 + 1, "every athlete's file and the record change"

    # Kill three builds: right after their first new file, and later; one builds with 2 jobs
    # and the whole process group is killed.
    for attempt, (jobs, delay) in enumerate([(1, 0.0), (2, 0.2), (1, 0.4)]):
        before = mtimes(out)
        process = subprocess.Popen(
            command(source, out, NEW, jobs),
            env=environment(NEW),
            start_new_session=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )

        def started(process: subprocess.Popen[bytes] = process, before: Stamps = before) -> bool:
            return process.poll() is not None or any(
                before.get(k) != v for k, v in mtimes(out).items()
            )

        try:
            wait_for(started, "the build's first file")
            time.sleep(delay)
        finally:
            with contextlib.suppress(ProcessLookupError):  # it may have finished already
                os.killpg(process.pid, signal.SIGKILL)
            _, killed_err = process.communicate()
        assert process.returncode in (-signal.SIGKILL, 0), killed_err
        kept, replaced = assert_whole(out, old, new)
        if attempt == 0:
            assert process.returncode == -signal.SIGKILL
            assert kept and replaced, "the first build is killed part way"

    # The no-op fast path does not take the mixed folder for the OLD build it has a record of.
    key = json.loads(old[".planc-site.json"])["key"]
    assert site_cache.unchanged(old_site, key) is not None
    assert site_cache.unchanged(out, key) is None

    # The next build finishes the job: exactly the complete build, nothing left over.
    code, _, err = build(source, out, NEW)
    assert code == 0, err
    assert outputs(out) == outputs(new_site)
    assert temporaries(out) == [] and not (out / LOCK_NAME).exists()


def test_a_build_that_fails_part_way_changes_no_file_it_did_not_finish(
    published: tuple[Path, Path, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The disk fills up while the 13th athlete is written: the athletes before it are new, it
    and those after it are old, no temporary file is left and the lock is given back."""
    source, old_site, new_site = published
    out = tmp_path / "public"
    shutil.copytree(old_site, out)
    old, new = tree(old_site), tree(new_site)
    real_open = os.open

    def open_(path: str, flags: int, mode: int = 0o777, **kwargs: Any) -> int:
        staged = Path(path)  # the writer's temporary files: .planc-tmp-<name>.<pid>-<n>.tmp
        if staged.parent.name == "runner-12" and staged.name.startswith(".planc-tmp-plan.ics."):
            raise OSError(28, "No space left on device")  # its 3rd file
        return real_open(path, flags, mode, **kwargs)

    monkeypatch.setattr(os, "open", open_)
    today, stamp = dt.date.fromisoformat(NEW[0]), dt.datetime.fromtimestamp(int(NEW[1]), dt.UTC)
    with pytest.raises(OSError, match="No space left"):
        build_site([source], out, today=today, stamp=stamp, jobs=1)
    monkeypatch.undo()
    _, replaced = assert_whole(out, old, new)
    assert replaced == 12 * 8 and tree(out / "runner-12") == tree(old_site / "runner-12")
    assert temporaries(out) == [] and not (out / LOCK_NAME).exists()
    code, _, err = build(source, out, NEW)
    assert code == 0, err
    assert outputs(out) == outputs(new_site)


# --------------------------------------------------------------------------- the writer


def test_a_failure_while_staging_replaces_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    names = ["a.txt", "b.txt", "c.txt", "d.txt"]
    write_files(tmp_path, {name: b"old " + name.encode() for name in names})
    real_fsync, calls = os.fsync, [0]

    def fsync(fd: int) -> None:
        calls[0] += 1
        if calls[0] == 3:
            raise OSError(5, "Input/output error")
        real_fsync(fd)

    monkeypatch.setattr(os, "fsync", fsync)
    with pytest.raises(OSError, match="Input/output"):
        write_files(tmp_path, {name: b"new" for name in names}, durable=True)
    for name in names:
        assert (tmp_path / name).read_bytes() == b"old " + name.encode()
    assert sorted(p.name for p in tmp_path.iterdir()) == names


def test_an_interrupt_while_renaming_leaves_each_file_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    names = ["a.txt", "b.txt", "c.txt"]
    write_files(tmp_path, {name: b"old" for name in names})
    real_replace, sources = os.replace, []

    def replace(src: str, dst: str) -> None:
        sources.append(Path(src))
        if len(sources) == 2:
            raise KeyboardInterrupt
        real_replace(src, dst)

    monkeypatch.setattr(os, "replace", replace)
    with pytest.raises(KeyboardInterrupt):
        write_files(tmp_path, {name: b"new" for name in names})
    assert [(tmp_path / name).read_bytes() for name in names] == [b"new", b"old", b"old"]
    assert sorted(p.name for p in tmp_path.iterdir()) == names, "no temporary file is left"
    for src in sources:  # unique hidden names beside their targets
        assert src.parent == tmp_path and src.name.startswith(TEMP_PREFIX)
    assert len(set(sources)) == len(sources)


# --------------------------------------------------------------------------- stray temporaries


def test_stray_temporary_files_are_swept_and_never_published(tmp_path: Path) -> None:
    source, out = tmp_path / "athletes", tmp_path / "public"
    make_athletes(source, 2)
    code, _, err = build(source, out, OLD)
    assert code == 0, err
    clean = tmp_path / "clean"
    shutil.copytree(out, clean)
    stale = [
        out / f"{TEMP_PREFIX}index.html.k1ll3d.tmp",
        out / "runner-00" / f"{TEMP_PREFIX}plan.ics.k1ll3d.tmp",
        out / "runner-01" / f"{TEMP_PREFIX}plan.json.k1ll3d.tmp",
        out / "runner-01" / "workouts" / f"{TEMP_PREFIX}2026-11-30-run.fit.k1ll3d.tmp",
    ]
    for path in stale:
        path.parent.mkdir(exist_ok=True)
        path.write_bytes(b'BEGIN:VCALENDAR\r\n{"trunc')
        os.utime(path, (1_000_000_000, 1_000_000_000))
    hidden = out / ".git" / f"{TEMP_PREFIX}not-ours"  # hidden folders are not planc's
    hidden.parent.mkdir()
    hidden.write_bytes(b"x")
    os.utime(hidden, (1_000_000_000, 1_000_000_000))
    future = out / f"{TEMP_PREFIX}plan.md.later.tmp"  # newer than the lock: not judged
    future.write_bytes(b"x")
    os.utime(future, (time.time() + 3600,) * 2)

    # `planc index` and `planc diff` look past them
    code, _, err = cli("index", str(out))
    assert code == 0, err
    assert (out / "index.html").read_bytes() == (clean / "index.html").read_bytes()
    code, stdout, err = cli("diff", str(clean), str(out))
    assert code == 0, (stdout, err)

    # the next build sweeps them, even one that has nothing else to do
    code, _, err = build(source, out, OLD)
    assert code == 0, err
    assert not any(path.exists() for path in stale)
    assert hidden.exists() and future.exists()
    future.unlink()
    shutil.rmtree(hidden.parent)
    assert outputs(out) == outputs(clean)


# --------------------------------------------------------------------------- the lock

HOLD = """
import sys, time
from pathlib import Path
from compiler.site.lock import acquire
acquire(Path(sys.argv[1]))
print("held", flush=True)
time.sleep(120)
"""


@pytest.fixture
def holder(tmp_path: Path) -> Iterator[tuple[subprocess.Popen[str], Path]]:
    """Another process holding the lock on tmp_path/public."""
    out = tmp_path / "public"
    process = subprocess.Popen(
        [sys.executable, "-c", HOLD, str(out)], stdout=subprocess.PIPE, text=True
    )
    try:
        assert process.stdout is not None and process.stdout.readline() == "held\n"
        yield process, out
    finally:
        process.kill()
        process.wait()


def test_a_second_build_into_a_locked_folder_fails_at_once(
    holder: tuple[subprocess.Popen[str], Path], tmp_path: Path
) -> None:
    process, out = holder
    source = tmp_path / "athletes"
    make_athletes(source, 2)
    # it does not wait: the holder keeps the lock until it is killed, so a build that waited
    # for it would never end (the guard fails it as a hang; no time is asserted)
    with hang_guard("a build into a locked folder"):
        code, stdout, err = build(source, out, OLD, "--format", "json")
    assert code == 2, err
    assert stdout == ""
    assert f"another planc build (pid {process.pid}, started " in err
    assert f"is writing to {out}/; wait for it to finish or use another --out" in err
    assert sorted(p.name for p in out.iterdir()) == [LOCK_NAME], "nothing written"

    # --check writes nothing and needs no lock
    code, _, err = build(source, out, OLD, "--check")
    assert code == 1 and "a build would write" in err, err
    # nor does `planc index` run
    with pytest.raises(OutputLocked, match=f"another planc build \\(pid {process.pid}"):
        index_site(out)

    # the holder dies (kill -9): its lock goes with it, nothing to clean up by hand
    process.kill()
    process.wait()
    code, _, err = build(source, out, OLD, "--jobs", "2")
    assert code == 0, err
    assert not (out / LOCK_NAME).exists()
    assert index_site(out).athletes == 2


@POSIX
def test_two_real_builds_into_one_folder_do_not_interleave(
    published: tuple[Path, Path, Path], tmp_path: Path
) -> None:
    source, old_site, new_site = published
    out = tmp_path / "public"
    shutil.copytree(old_site, out)
    first = subprocess.Popen(
        command(source, out, NEW, 2),
        env=environment(NEW),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        lock = out / LOCK_NAME
        wait_for(
            lambda: (
                first.poll() is not None
                or (lock.exists() and f'"pid": {first.pid}' in lock.read_text("utf-8"))
            ),
            "the first build's lock",
        )
        code, _, err = build(source, out, NEW)
        running = first.poll() is None
    finally:
        _, first_err = first.communicate(timeout=120)
    assert first.returncode == 0, first_err
    assert running, "the first build was still running"
    assert code == 2 and f"(pid {first.pid}, started " in err, err
    assert outputs(out) == outputs(new_site), "the first build's result, untouched by the second"


def test_the_lock_in_one_process(tmp_path: Path) -> None:
    out = tmp_path / "site"
    lock = acquire(out)
    info = json.loads((out / LOCK_NAME).read_text("utf-8"))
    assert info["pid"] == os.getpid() and info["command"] == "build"
    with pytest.raises(OutputLocked, match=f"pid {os.getpid()}.*wait for it to finish$"):
        acquire(out, "index")  # another open file: the same process is locked out too
    release(lock)
    assert not out.exists(), "the folder the lock made is removed again when left empty"
    with locked(out, "index") as again:
        assert again.path == out / LOCK_NAME
        (out / "kept.txt").write_text("x")
    assert sorted(p.name for p in out.iterdir()) == ["kept.txt"]


def test_a_build_that_finds_no_athlete_leaves_no_folder(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    code, _, err = cli("build", str(tmp_path / "empty"), "--out", str(tmp_path / "public"))
    assert code == 2 and "no athlete profiles found" in err
    assert not (tmp_path / "public").exists()


def test_the_holder_is_described_for_people() -> None:
    now = dt.datetime.now().astimezone()
    assert Holder(1234, started=now).describe() == f"pid 1234, started {now:%H:%M:%S}"
    earlier = now - dt.timedelta(days=2)
    assert Holder(7, started=earlier).describe() == f"pid 7, started {earlier:%Y-%m-%d %H:%M:%S}"
    assert Holder(7, host="ci-runner-x").describe() == "pid 7, on ci-runner-x"
    assert Holder().describe() == ""
    message = str(OutputLocked(Path("public"), Holder(), "build"))
    assert message == (
        "another planc build is writing to public/; wait for it to finish or use another --out"
    )


def test_an_output_folder_that_cannot_be_written_is_a_usage_error(tmp_path: Path) -> None:
    (tmp_path / "file").write_text("not a folder")
    out = tmp_path / "file" / "public"
    code, _, err = cli("build", "--out", str(out))
    assert code == 2, err
    assert f"cannot write to {out}/: " in err and "internal error" not in err
