"""No stranded lock (issue 12, item 5): killing only the main process of a ``--jobs 2`` build
(``kill PID``, the OOM killer) leaves no worker holding the output folder's lock or writing into
it, and a later build proceeds.

The attack: a build's workers are forked, and a forked child shares its parent's open lock file;
a worker orphaned by its parent's death went on holding the lock (and, idle, waited for work
forever), so every later build failed with "another planc build is writing".  No time is
asserted: the waits below poll, with a generous deadline that only a hang reaches."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner
from hang_guard import HANG_S

from compiler.cli import main
from compiler.resources import examples_dir
from compiler.site.lock import LOCK_NAME, OutputLocked, acquire, release

PROC = Path("/proc")
LINUX = pytest.mark.skipif(
    not (PROC / "self" / "stat").exists(), reason="needs POSIX signals and /proc to find workers"
)
HALF = (examples_dir() / "half-marathon.yaml").read_text("utf-8")
ATHLETES = 160  # enough that the build is still running when it is killed
EPOCH = "1795300000"


def make_athletes(folder: Path, count: int) -> None:
    folder.mkdir(parents=True)
    for n in range(count):
        text = HALF.replace("id: half-marathon", f"id: runner-{n:03d}")
        (folder / f"runner-{n:03d}.yaml").write_text(text, "utf-8")


def wait_for(condition: Callable[[], bool], what: str) -> None:
    """Poll ``condition``; fail only when it has not held after HANG_S seconds (a hang)."""
    deadline = time.monotonic() + HANG_S
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"still waiting after {HANG_S:.0f} s for {what}: a hang")
        time.sleep(0.01)


def _stat(pid: int) -> tuple[str, int] | None:
    """(state, parent pid) of a process, from /proc; None when it is gone."""
    try:
        text = (PROC / str(pid) / "stat").read_text()
    except OSError:
        return None
    fields = text[text.rindex(")") + 2 :].split()
    return fields[0], int(fields[1])


def children(pid: int) -> set[int]:
    found = set()
    for entry in PROC.iterdir():
        if entry.name.isdigit():
            stat = _stat(int(entry.name))
            if stat is not None and stat[1] == pid:
                found.add(int(entry.name))
    return found


def gone(pid: int) -> bool:
    """Ended: no process, or a zombie that nobody has reaped yet (it holds no file)."""
    stat = _stat(pid)
    return stat is None or stat[0] in ("Z", "X")


def can_lock(out: Path) -> bool:
    try:
        lock = acquire(out)
    except OutputLocked:
        return False
    release(lock)
    return True


@LINUX
@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGTERM], ids=["SIGKILL", "SIGTERM"])
def test_killing_only_the_parent_of_a_parallel_build_strands_no_lock(
    tmp_path: Path, sig: signal.Signals
) -> None:
    source, out = tmp_path / "athletes", tmp_path / "public"
    make_athletes(source, ATHLETES)
    build = [sys.executable, "-m", "compiler", "build", str(source), "--out", str(out)]
    options = ["--today", "2026-11-22", "--jobs", "2", "--quiet"]
    log = tmp_path / "stderr.txt"  # a file, not a pipe: orphaned workers would hold a pipe open
    with log.open("wb") as stderr:
        parent = subprocess.Popen(
            [*build, *options],
            env={**os.environ, "SOURCE_DATE_EPOCH": EPOCH},
            stdout=subprocess.DEVNULL,
            stderr=stderr,
        )
    workers: set[int] = set()
    try:

        def working() -> bool:
            """The workers are writing: a plan is in place and two children are running."""
            workers.update(children(parent.pid))
            return parent.poll() is not None or (
                len(workers) >= 2 and any(out.glob("runner-*/plan.json"))
            )

        wait_for(working, "the build's workers to write a plan")
        assert parent.poll() is None, "the build ended before it could be killed: more athletes"
        assert not can_lock(out), "the build holds the lock while it runs"
        parent.send_signal(sig)  # only the parent: the workers are not signalled
        parent.wait()
    finally:
        with contextlib.suppress(ProcessLookupError):
            parent.kill()
        parent.wait()
    assert parent.returncode == -sig, log.read_text("utf-8")
    assert len(list(out.glob("runner-*/.planc-input"))) < ATHLETES, "killed part way"

    # Nothing holds the lock: a later build gets it, and the workers are gone, not writing.
    wait_for(lambda: can_lock(out), "the lock of the killed build to be free")
    wait_for(lambda: all(gone(pid) for pid in workers), f"the workers {sorted(workers)} to end")

    result = CliRunner().invoke(
        main, [*build[3:], *options], env={"SOURCE_DATE_EPOCH": EPOCH}, catch_exceptions=False
    )
    assert result.exit_code == 0, result.stderr
    assert len(list(out.glob("runner-*/.planc-input"))) == ATHLETES
    assert not (out / LOCK_NAME).exists()
    assert temporary_files(out) == [], "the later build swept what the killed one left"


def temporary_files(out: Path) -> list[Path]:
    return sorted(p for p in out.rglob(".planc-tmp-*"))


FORK_AND_LEAVE = """
import os, sys, time
from pathlib import Path
from compiler.site.lock import acquire
acquire(Path(sys.argv[1]))
child = os.fork()
if child == 0:
    time.sleep(120)
    os._exit(0)
print(child, flush=True)
os._exit(0)  # the holder ends; the child it forked while holding the lock lives on
"""


@LINUX
def test_a_child_forked_while_the_lock_is_held_does_not_hold_it(tmp_path: Path) -> None:
    """The rule itself, without a build: a child forked by a lock holder does not keep the lock
    once the holder is gone, however long the child lives."""
    out = tmp_path / "public"
    holder = subprocess.Popen(
        [sys.executable, "-c", FORK_AND_LEAVE, str(out)],
        stdout=subprocess.PIPE,
        stdin=subprocess.DEVNULL,
        text=True,
    )
    assert holder.stdout is not None
    child = int(holder.stdout.readline())  # (the child keeps the pipe open: no communicate)
    assert holder.wait(timeout=HANG_S) == 0
    holder.stdout.close()
    try:
        assert not gone(child), "the child outlives the holder"
        wait_for(lambda: can_lock(out), "the lock of a holder that has ended")
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.kill(child, signal.SIGKILL)
