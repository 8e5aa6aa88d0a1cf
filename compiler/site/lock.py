"""One writer per output folder: the lock a build (and `planc index`) holds on ``OUT/.planc-lock``.

A second build into the same folder fails at once, naming the process that holds it, instead of
interleaving its files with the first one's.  The lock is an advisory lock on the open file
(``flock`` on POSIX, ``msvcrt.locking`` on Windows), so the operating system releases it when the
holder exits for any reason, ``kill -9`` included: there is never a stale lock to remove by hand.
The file holds the holder's pid, host, command and start time, only to say who it is.

Only the process that starts a build takes the lock, and only that process ever holds it: a
forked child would share the parent's open lock file (``flock`` belongs to the open file, not to a
process), so a worker left running after its parent was killed (``kill PID``, the OOM killer)
would keep every later build out for as long as it lived.  So every child forked while a lock is
held closes its copy at once (``os.register_at_fork``; children started with ``exec`` never get it:
the file is opened non-inheritable), and ``--jobs N`` workers call :func:`die_with_parent`, so
none of them goes on writing into a folder whose lock its parent no longer holds.

Whoever holds the lock also sweeps the temporary files (``.planc-tmp-*``) that a killed build
left behind: they were never published (a file is only ever renamed into place whole), and with
the lock held no live build can own them.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import errno
import json
import os
import shutil
import signal
import socket
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from ..diagnostics import UsageError

LOCK_NAME = ".planc-lock"
TEMP_PREFIX = ".planc-tmp-"  # every temporary file planc writes starts with it (emit/writer.py)

_HELD: set[int] = set()  # the lock files this process holds, by fd: closed in forked children
_PARENT_POLL_S = 0.2  # where the kernel cannot tell a worker its parent died: how often it looks

_ATTEMPTS = 20  # a holder that releases while we open its file: open again (see acquire)
_WINDOWS_OFFSET = 1 << 20  # msvcrt locks a byte range: one far past the text, which stays readable


@dataclass(frozen=True)
class Holder:
    """Who holds a lock, as its lock file says (any field may be unknown)."""

    pid: int | None = None
    host: str | None = None
    command: str = "build"
    started: dt.datetime | None = None

    def describe(self) -> str:
        """``pid 1234, started 12:03:05`` (the date too when it is not today)."""
        parts = []
        if self.pid is not None:
            parts.append(f"pid {self.pid}")
        if self.host and self.host != socket.gethostname():
            parts.append(f"on {self.host}")
        if self.started is not None:
            local = self.started.astimezone()
            today = dt.datetime.now().astimezone().date()
            shown = local.strftime("%H:%M:%S" if local.date() == today else "%Y-%m-%d %H:%M:%S")
            parts.append(f"started {shown}")
        return ", ".join(parts)


class OutputLocked(UsageError):
    """Another planc process is writing to the output folder (exit code 2, as a usage error: the
    inputs are fine, this folder cannot be written now)."""

    def __init__(self, folder: Path, holder: Holder, command: str) -> None:
        self.folder = folder
        self.holder = holder
        who = f"another planc {holder.command}"
        details = holder.describe()
        if details:
            who += f" ({details})"
        advice = "wait for it to finish"
        if command == "build":
            advice += " or use another --out"
        super().__init__(f"{who} is writing to {_shown(folder)}; {advice}")


def _shown(folder: Path) -> str:
    return folder.as_posix().rstrip("/") + "/"


@dataclass(frozen=True)
class OutputLock:
    """A held lock; give it back with :func:`release` (or use :func:`locked`)."""

    folder: Path
    path: Path
    fd: int
    started: float  # time.time() when it was taken
    created_folder: bool  # the folder did not exist before: removed on release if left empty


def _parse(data: bytes) -> Holder:
    try:
        info = json.loads(data.decode("utf-8"))
        pid, host, command = info.get("pid"), info.get("host"), info.get("command")
        started = info.get("started")
        return Holder(
            pid=pid if isinstance(pid, int) else None,
            host=host if isinstance(host, str) else None,
            command=command if isinstance(command, str) and command else "build",
            started=dt.datetime.fromisoformat(started) if isinstance(started, str) else None,
        )
    except (ValueError, AttributeError):
        return Holder()  # empty (the holder is just writing it) or damaged


def _read(fd: int) -> bytes:
    os.lseek(fd, 0, os.SEEK_SET)
    return os.read(fd, 4096)


if sys.platform == "win32":
    import msvcrt

    def _try_lock(fd: int) -> bool:
        os.lseek(fd, _WINDOWS_OFFSET, os.SEEK_SET)
        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True

    def _unlock(fd: int) -> None:
        os.lseek(fd, _WINDOWS_OFFSET, os.SEEK_SET)
        with contextlib.suppress(OSError):
            msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)

else:
    import fcntl

    def _try_lock(fd: int) -> bool:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        except OSError as exc:
            if exc.errno in (errno.ENOLCK, errno.EOPNOTSUPP, errno.ENOSYS):
                return True  # a file system without locks: build unguarded, as before locks
            raise
        return True

    def _unlock(fd: int) -> None:
        with contextlib.suppress(OSError):
            fcntl.flock(fd, fcntl.LOCK_UN)


def _close_in_child() -> None:
    """After a fork, in the child: close every lock file the parent holds, so the lock is the
    parent's alone and goes when the parent goes, however long the child lives."""
    for fd in _HELD:
        with contextlib.suppress(OSError):
            os.close(fd)
    _HELD.clear()


if hasattr(os, "register_at_fork"):  # POSIX: multiprocessing's fork and forkserver call it
    os.register_at_fork(after_in_child=_close_in_child)


def _parent_death_signal(sig: int) -> bool:
    """Ask Linux to send ``sig`` to this process when its parent exits (prctl
    PR_SET_PDEATHSIG); False where that cannot be done."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        return int(libc.prctl(1, sig, 0, 0, 0)) == 0  # 1: PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        return False


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True  # it exists, as another user's process
    return True


def die_with_parent(parent: int) -> None:
    """Make this worker process end (SIGKILL) as soon as ``parent``, the build that started it
    and holds the output folder's lock, ends for any reason: a worker that outlived its build
    would write into a folder that a later build has locked.  Call it first thing in the worker.

    On Linux the kernel does it (PR_SET_PDEATHSIG); elsewhere on POSIX a daemon thread checks
    every 0.2 s whether the worker's parent changed (an orphan is adopted by another process).
    A parent that died before this was called is noticed here.  A worker whose parent is not
    ``parent`` (the forkserver start method) follows its own parent, which itself ends with
    ``parent``.  Nothing on Windows, whose workers are not forked and share no lock."""
    if os.name != "posix":
        return
    if os.getppid() != parent and not _alive(parent):
        os.kill(os.getpid(), signal.SIGKILL)  # too late: the build is gone already
    if _parent_death_signal(signal.SIGKILL):
        if os.getppid() != parent and not _alive(parent):
            os.kill(os.getpid(), signal.SIGKILL)  # it died while we asked
        return
    first = os.getppid()

    def watch() -> None:
        while os.getppid() == first:
            time.sleep(_PARENT_POLL_S)
        os.kill(os.getpid(), signal.SIGKILL)

    threading.Thread(target=watch, name="planc-parent-watch", daemon=True).start()


def _same_file(fd: int, path: Path) -> bool:
    """Whether ``path`` still names the file open as ``fd``: a holder that released the lock has
    removed its file, and a lock taken on a removed file locks nobody out."""
    try:
        named, held = os.stat(path), os.fstat(fd)
    except OSError:
        return False
    return (named.st_dev, named.st_ino) == (held.st_dev, held.st_ino)


def acquire(folder: Path, command: str = "build") -> OutputLock:
    """Take the lock on ``folder`` (created if missing), or raise :class:`OutputLocked` at once."""
    created = not folder.exists()
    path = folder / LOCK_NAME
    for _ in range(_ATTEMPTS):
        try:
            folder.mkdir(parents=True, exist_ok=True)
            fd = os.open(path, os.O_RDWR | os.O_CREAT | getattr(os, "O_BINARY", 0), 0o644)
        except OSError as exc:  # read-only, not a folder, permission denied
            raise UsageError(f"cannot write to {_shown(folder)}: {exc.strerror or exc}") from exc
        try:
            if not _try_lock(fd):
                holder = _parse(_read(fd))
                raise OutputLocked(folder, holder, command)
            if _same_file(fd, path):
                break
        except BaseException:
            os.close(fd)
            raise
        os.close(fd)  # the file was removed as we locked it: its holder is done; open it again
    else:
        raise OutputLocked(folder, Holder(command=command), command)
    started = time.time()
    info = {
        "pid": os.getpid(),
        "host": socket.gethostname(),
        "command": command,
        "started": dt.datetime.fromtimestamp(started, dt.UTC).isoformat(timespec="seconds"),
    }
    os.ftruncate(fd, 0)
    os.lseek(fd, 0, os.SEEK_SET)
    _HELD.add(fd)  # from here on, children forked by this process close it
    with contextlib.suppress(OSError):  # a full disk: the lock holds, undescribed (see _parse)
        os.write(fd, (json.dumps(info) + "\n").encode("utf-8"))
    return OutputLock(folder, path, fd, started, created)


def release(lock: OutputLock) -> None:
    """Give the lock back and remove its file (and the folder, if the lock made it and it is
    empty).  The file goes first, while still locked, so nobody can lock it after we leave."""
    _HELD.discard(lock.fd)
    if sys.platform == "win32":  # an open file cannot be removed there: close first
        _unlock(lock.fd)
        os.close(lock.fd)
        with contextlib.suppress(OSError):  # another process has it open: it is theirs now
            lock.path.unlink()
    else:
        if _same_file(lock.fd, lock.path):  # not if someone removed ours and another took over
            with contextlib.suppress(FileNotFoundError):
                lock.path.unlink()
        _unlock(lock.fd)
        os.close(lock.fd)
    if lock.created_folder:
        with contextlib.suppress(OSError):
            lock.folder.rmdir()  # only when empty: a build that failed before writing anything


def sweep_temporaries(folder: Path, before: float) -> list[Path]:
    """Remove the temporary files and folders (``.planc-tmp-*``: a new folder is staged whole)
    that killed builds left in ``folder`` and in its subfolders at any depth (an athlete's
    ``workouts/`` too; hidden folders and symlinks are not entered), as long as they are older
    than ``before``.  Call it holding the lock.  Returns what
    was removed, sorted."""
    removed: list[Path] = []
    pending = [folder]
    while pending:
        try:
            entries = list(os.scandir(pending.pop()))
        except OSError:
            continue
        for entry in entries:
            try:
                if entry.is_dir(follow_symlinks=False):
                    if entry.name.startswith(TEMP_PREFIX):  # a new folder staged (writer.py)
                        if entry.stat(follow_symlinks=False).st_mtime < before:
                            shutil.rmtree(entry.path)
                            removed.append(Path(entry.path))
                    elif not entry.name.startswith("."):
                        pending.append(Path(entry.path))
                    continue
                ours = entry.name.startswith(TEMP_PREFIX)
                if not ours or not entry.is_file(follow_symlinks=False):
                    continue
                if entry.stat(follow_symlinks=False).st_mtime >= before:
                    continue  # not from before we took the lock: not ours to judge
                os.unlink(entry.path)
            except OSError:
                continue
            removed.append(Path(entry.path))
    return sorted(removed)


@contextlib.contextmanager
def locked(folder: Path, command: str = "build") -> Iterator[OutputLock]:
    """Hold the lock on ``folder`` for the ``with`` block, after sweeping old temporary files."""
    lock = acquire(folder, command)
    try:
        sweep_temporaries(folder, lock.started)
        yield lock
    finally:
        release(lock)
