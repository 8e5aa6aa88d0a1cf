"""Put output files in place: atomically, only inside the output folder, and only when changed."""

from __future__ import annotations

import contextlib
import errno
import itertools
import os
import re
import shutil
import stat
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path, PurePosixPath, PureWindowsPath

from ..diagnostics import Diagnostic, UsageError, error
from .lock import TEMP_PREFIX

DEFAULT_MODE = 0o644
NO_SPACE = frozenset({errno.ENOSPC, errno.EDQUOT})  # a full disk, or the user's quota spent
# A temporary file is created new (O_EXCL: never an existing file, nor through a symlink) and
# readable by its owner only until it is whole; the name takes the process id and a count, and
# a name some other process took is skipped (as tempfile.mkstemp does, without its random names
# and its extra system calls: a build stages hundreds of small files).
_STAGE_FLAGS = (
    os.O_WRONLY
    | os.O_CREAT
    | os.O_EXCL
    | getattr(os, "O_NOFOLLOW", 0)
    | getattr(os, "O_CLOEXEC", 0)
    | getattr(os, "O_BINARY", 0)
)
_STAGE_ATTEMPTS = 10_000  # names tried before giving up (tempfile.TMP_MAX)
_staged_names = itertools.count()


def _size(count: int) -> str:
    """``840 bytes``, ``184 KB``, ``3.2 MB``, ``1.5 GB`` (powers of 1024)."""
    if count < 1024:
        return f"{count} bytes"
    value = float(count)
    for unit in ("KB", "MB", "GB", "TB"):
        value /= 1024
        if value < 1024 or unit == "TB":
            break
    return f"{value:.0f} {unit}" if value >= 10 else f"{value:.1f} {unit}"


def free_space(folder: Path) -> int | None:
    """Bytes an unprivileged process can still write on ``folder``'s file system, if known."""
    try:
        stats = os.statvfs(folder)
    except (OSError, AttributeError):  # no statvfs on Windows
        return None
    return stats.f_bavail * stats.f_frsize


class NoSpace(UsageError, OSError):
    """The disk (or the quota) filled up while writing into ``folder``: an I/O error of this
    machine, not a bug in planc, so exit code 2 (a UsageError) with the folder and the space
    needed; and still an OSError (errno ENOSPC or EDQUOT), as callers of ``write_files`` expect.

    ``needed`` is the size of the files the failed write was putting in place (all staged before
    any is renamed, so the least free space that write needs); ``free`` what was free after it
    failed (None: unknown).  The write changed no file (see ``_write_atomic``).  It pickles with
    its fields, so it crosses from a build's worker to the process that reports it."""

    def __init__(self, folder: str, needed: int, free: int | None, code: int = errno.ENOSPC):
        self.folder = folder
        self.needed = needed
        self.free = free
        reason = os.strerror(code)
        shown = folder.rstrip("/\\") + "/"
        available = "" if free is None else f"; {_size(free)} are free"
        self.message = (
            f"cannot write to {shown}: {reason} (these files need {_size(needed)} of free space"
            f"{available}); "
            "free some space or build into another --out. Files already published are as they "
            "were: a file is only replaced once its new bytes are written whole"
        )
        OSError.__init__(self, code, reason)

    def __str__(self) -> str:
        return self.message

    def __reduce__(self) -> tuple[type[NoSpace], tuple[str, int, int | None, int]]:
        return (type(self), (self.folder, self.needed, self.free, self.errno or errno.ENOSPC))


@dataclass(frozen=True)
class WriteReport:
    """Relative paths (as given, sorted) of the files written and of those left as they were."""

    written: tuple[str, ...]
    unchanged: tuple[str, ...]


class UnsafeOutput(ValueError):
    """An output path that would lead out of the output folder (a symlink in it points away)."""

    def __init__(self, path: Path, message: str) -> None:
        super().__init__(f"{path}: {message}")
        self.path = path
        self.message = message


def unsafe(exc: UnsafeOutput) -> Diagnostic:
    """The diagnostic for an output planc refused to write through a symlink."""
    return error(
        "io",
        f"not written: {exc.message}",
        str(exc.path),
        None,
        "remove the symlink (planc writes only inside the output folder), or build into another "
        "--out",
    )


def within(root: Path, path: Path) -> Path:
    """``path`` (a folder or file under ``root``) resolved; UnsafeOutput when symlinks in the
    output folder take it outside ``root``."""
    resolved, top = path.resolve(), root.resolve()
    if resolved != top and top not in resolved.parents:
        raise UnsafeOutput(path, f"is a symlink that leads out of the output folder {root}")
    return resolved


def _target(root: Path, relative: str, folders: dict[str, tuple[Path, Path]]) -> tuple[Path, Path]:
    """The file ``relative`` names under ``root`` and where it resolves to; ValueError if it is
    absolute or escapes.  ``folders``: the folders met so far by their relative path, each with
    where it resolves to (a watch's 70 files share one), so a folder's symlinks are followed
    once, the file's own (if it is one) every time."""
    folder, _, name = relative.rpartition("/")
    if not _PLAIN.fullmatch(relative) or _DOTS.intersection(relative.split("/")):
        _check_path(relative)
        target = root / relative  # "a/./b" is "a/b"
        if target == root or target.name in ("", "."):
            raise ValueError(f"output path {relative!r} names the output folder, not a file")
        folder, name = str(target.parent.relative_to(root)), target.name
    where = folders.get(folder)
    if where is None:
        unresolved = root / folder
        where = folders[folder] = (unresolved, within(root, unresolved))
    # Symlinks inside the output folder must not lead out of it either.
    target, resolved = where[0] / name, where[1] / name
    if os.path.islink(resolved):
        resolved = within(root, resolved)
    if resolved == root:
        raise ValueError(f"output path {relative!r} names the output folder, not a file")
    return target, resolved


_DOTS = frozenset({".", ".."})
# A path of plain names (what planc's outputs are): nothing in it can be absolute or a drive
_PLAIN = re.compile(r"[\w.-]+(?:/[\w.-]+)*", re.ASCII)


def _check_path(relative: str) -> None:
    """ValueError unless ``relative`` is a relative path that stays inside its folder, as a
    POSIX and as a Windows path."""
    if not relative or "\x00" in relative:
        raise ValueError(f"invalid output path {relative!r}")
    posix, windows = PurePosixPath(relative), PureWindowsPath(relative)
    if posix.is_absolute() or windows.is_absolute() or windows.drive or windows.root:
        raise ValueError(f"output path {relative!r} is absolute; give a path inside the output")
    if ".." in posix.parts or ".." in windows.parts:
        raise ValueError(f"output path {relative!r} leaves the output folder")


def _found(path: Path) -> os.stat_result | None:
    """``path``'s status (following a symlink, which ``_target`` checked), None if there is none."""
    try:
        return os.stat(path)
    except OSError:
        return None


def _same(path: Path, found: os.stat_result | None, data: bytes) -> bool:
    """Whether ``path`` (whose status is ``found``) is a regular file holding ``data``."""
    if found is None or not stat.S_ISREG(found.st_mode) or found.st_size != len(data):
        return False
    try:
        return path.read_bytes() == data
    except OSError:
        return False


def _fsync_dir(folder: Path) -> None:
    """Make the renames in ``folder`` durable (POSIX; elsewhere a rename is durable by itself)."""
    if os.name != "posix":
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _discard(temporaries: Iterable[str]) -> None:
    for temp in temporaries:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temp)


def _stage(path: Path, data: bytes, mode: int, durable: bool) -> str:
    """``data`` in a new temporary file beside ``path``, with ``mode`` (``durable``: on disk
    before this returns)."""
    prefix = f"{path.parent}{os.sep}{TEMP_PREFIX}{path.name}.{os.getpid()}-"
    for _ in range(_STAGE_ATTEMPTS):
        temp = f"{prefix}{next(_staged_names)}.tmp"
        try:
            fd = os.open(temp, _STAGE_FLAGS, 0o600)
        except FileExistsError:
            continue  # another process's (or a killed build's) temporary file
        break
    else:
        raise FileExistsError(errno.EEXIST, "no temporary file name left", str(path))
    _fill(fd, temp, data, mode, durable)
    return temp


def _fill(fd: int, name: str, data: bytes, mode: int, durable: bool) -> None:
    """Write ``data`` to ``fd`` (the new file ``name``, removed on failure), give it ``mode``
    and close it."""
    try:
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view) :]
            if durable:
                os.fsync(fd)
            if hasattr(os, "fchmod"):
                os.fchmod(fd, mode)
        finally:
            os.close(fd)
        if not hasattr(os, "fchmod"):  # Windows before Python 3.13
            os.chmod(name, mode)
    except BaseException:
        _discard([name])
        raise


class _NewFolders:
    """Where the files of a folder that does not exist yet are written: straight into a
    temporary folder (``.planc-tmp-<name>.*``) made for the topmost new one, which is renamed
    into place when every file is in.  No reader sees a new folder before all its files are
    whole, as with a temporary file a file, for one rename instead of one a file (a fresh
    build's ``workouts/``: hundreds of files, a third of their cost).  Not for ``durable``
    writes, which fsync each file and folder the usual way."""

    def __init__(self) -> None:
        self.place: dict[Path, Path | None] = {}  # folder -> where its files go (None: itself)
        self.pending: dict[Path, str] = {}  # topmost new folder -> its temporary folder

    def of(self, folder: Path) -> Path | None:
        """Where to write ``folder``'s files under their own names; None when it exists."""
        if folder in self.place:
            return self.place[folder]
        place: Path | None = None
        if not folder.is_dir() and folder.parent != folder:
            parent = self.of(folder.parent)
            if parent is None:
                place = Path(self._make(folder))
                self.pending[folder] = str(place)
            else:
                place = parent / folder.name
                os.mkdir(place)
        self.place[folder] = place
        return place

    @staticmethod
    def _make(folder: Path) -> str:
        prefix = f"{folder.parent}{os.sep}{TEMP_PREFIX}{folder.name}.{os.getpid()}-"
        for _ in range(_STAGE_ATTEMPTS):
            temp = f"{prefix}{next(_staged_names)}.tmp"
            try:
                os.mkdir(temp)
            except FileExistsError:
                continue
            return temp
        raise FileExistsError(errno.EEXIST, "no temporary folder name left", str(folder))

    def rename(self, where: list[Path]) -> None:
        """Put every new folder in place (``where``: what is being put, for a failure's message,
        which names the folder it is in)."""
        for folder, temp in list(self.pending.items()):
            where.append(folder)
            os.rename(temp, folder)
            del self.pending[folder]

    def discard(self) -> None:
        for temp in self.pending.values():
            shutil.rmtree(temp, ignore_errors=True)


def _write_new(path: Path, data: bytes, mode: int) -> None:
    """``data`` as the new file ``path`` (in a temporary folder of ``_NewFolders``)."""
    fd = os.open(path, _STAGE_FLAGS, 0o600)
    _fill(fd, str(path), data, mode, False)


def _write_atomic(changed: Mapping[Path, bytes], modes: Mapping[Path, int], durable: bool) -> None:
    """Put every file of ``changed`` in place: first each one's bytes into a temporary file in its
    own folder, with its mode in ``modes`` (DEFAULT_MODE for a new file; ``durable``: fsynced);
    then the renames over the old files (``durable``: then one fsync of each folder).

    A failure while staging (a full disk) replaces nothing, and no temporary file is left behind;
    a process killed at any point leaves every file old or new, never partly written (and
    perhaps temporary files, which the next build sweeps: compiler/site/lock.py).  A full disk or
    quota raises :class:`NoSpace`, naming the folder and the space the files need."""
    where: list[Path] = []  # the file being put in place when something failed
    try:
        _put_in_place(changed, modes, durable, where)
    except OSError as exc:
        if exc.errno not in NO_SPACE or isinstance(exc, NoSpace) or not changed:
            raise
        folder = where[-1].parent if where else next(iter(changed)).parent
        while not folder.is_dir() and folder.parent != folder:
            folder = folder.parent  # a folder that could not be made: say where it would be
        needed = sum(len(data) for data in changed.values())
        raise NoSpace(str(folder), needed, free_space(folder), exc.errno) from exc


def _put_in_place(
    changed: Mapping[Path, bytes], modes: Mapping[Path, int], durable: bool, where: list[Path]
) -> None:
    staged: dict[Path, str] = {}
    created: set[Path] = set()
    ready: set[Path] = set()  # folders known to be there
    new = _NewFolders()
    try:
        for path, data in changed.items():
            where.append(path)
            mode = modes.get(path, DEFAULT_MODE)
            inside = None if durable else new.of(path.parent)
            if inside is not None:
                _write_new(inside / path.name, data, mode)
                continue
            if path.parent not in ready:
                for folder in (path.parent, *path.parent.parents):
                    if folder.is_dir():
                        break
                    created.add(folder.parent)  # a new folder is an entry in its parent
                path.parent.mkdir(parents=True, exist_ok=True)
                ready.add(path.parent)
            staged[path] = _stage(path, data, mode, durable)
        for path, temp in list(staged.items()):
            where.append(path)
            os.replace(temp, path)
            del staged[path]
        new.rename(where)
    except BaseException:
        _discard(staged.values())
        new.discard()
        raise
    if durable:
        for folder in sorted({path.parent for path in changed} | created):
            _fsync_dir(folder)


def write_files(out_dir: Path, files: Mapping[str, bytes], *, durable: bool = False) -> WriteReport:
    """Write ``files`` (relative path -> bytes) under ``out_dir``.  Every path is checked before
    anything is written, so a bad path changes nothing.  Each file is written to a temporary
    file (``.planc-tmp-*``) in its own folder; only when all are staged are they renamed over
    the old files.  (A folder that does not exist yet is made as a temporary folder holding its
    files, renamed into place after them: ``_NewFolders``.)  So a file is always either its old
    bytes or its new bytes to every reader, whatever happens to the process, and a failure
    before the renames (a full disk) changes nothing.  ``durable`` also fsyncs each file before
    its rename and each folder after, so that this holds through a power cut or an operating-
    system crash too (at a cost: a sixth of a build, and parallel workers wait on each other's
    disk flushes).  A file whose bytes are already right is not touched (its mtime stays).
    """
    root = Path(out_dir).resolve()
    folders: dict[str, tuple[Path, Path]] = {".": (root, root), "": (root, root)}
    located = {relative: _target(root, relative, folders) for relative in sorted(files)}
    targets = {relative: target for relative, (target, _) in located.items()}
    seen: dict[Path, str] = {}
    for relative, (_, resolved) in located.items():
        if resolved in seen:
            raise ValueError(f"output paths {seen[resolved]!r} and {relative!r} name the same file")
        seen[resolved] = relative
    root.mkdir(parents=True, exist_ok=True)
    written: list[str] = []
    unchanged: list[str] = []
    changed: dict[Path, bytes] = {}
    modes: dict[Path, int] = {}  # an existing file's mode, kept by its new bytes
    for relative, target in targets.items():
        data = files[relative]
        found = _found(target)
        if _same(target, found, data):
            unchanged.append(relative)
            continue
        written.append(relative)
        changed[target] = data
        if found is not None:
            modes[target] = found.st_mode & 0o7777
    _write_atomic(changed, modes, durable)
    return WriteReport(written=tuple(written), unchanged=tuple(unchanged))
