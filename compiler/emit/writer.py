"""Put output files in place: atomically, only inside the output folder, and only when changed."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path, PurePosixPath, PureWindowsPath

from ..diagnostics import Diagnostic, error
from ..lock import TEMP_PREFIX

DEFAULT_MODE = 0o644


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


def _target(root: Path, relative: str) -> Path:
    """The file ``relative`` names under ``root``; ValueError if it is absolute or escapes."""
    if not relative or "\x00" in relative:
        raise ValueError(f"invalid output path {relative!r}")
    posix, windows = PurePosixPath(relative), PureWindowsPath(relative)
    if posix.is_absolute() or windows.is_absolute() or windows.drive or windows.root:
        raise ValueError(f"output path {relative!r} is absolute; give a path inside the output")
    if ".." in posix.parts or ".." in windows.parts:
        raise ValueError(f"output path {relative!r} leaves the output folder")
    target = root / posix
    # Symlinks inside the output folder must not lead out of it either.
    resolved = within(root, target)
    if target.name in ("", ".") or resolved == root:
        raise ValueError(f"output path {relative!r} names the output folder, not a file")
    return target


def _same(path: Path, data: bytes) -> bool:
    try:
        if not path.is_file() or path.stat().st_size != len(data):
            return False
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


def _stage(path: Path, data: bytes, durable: bool) -> str:
    """``data`` in a new temporary file beside ``path``, with ``path``'s mode (``durable``: on
    disk before this returns)."""
    try:
        mode = path.stat().st_mode & 0o7777
    except FileNotFoundError:
        mode = DEFAULT_MODE
    fd, temp = tempfile.mkstemp(dir=path.parent, prefix=f"{TEMP_PREFIX}{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            if durable:
                handle.flush()
                os.fsync(handle.fileno())
        os.chmod(temp, mode)
    except BaseException:
        _discard([temp])
        raise
    return temp


def _write_atomic(changed: Mapping[Path, bytes], durable: bool) -> None:
    """Put every file of ``changed`` in place: first each one's bytes into a temporary file in its
    own folder (``durable``: fsynced); then the renames over the old files (``durable``: then one
    fsync of each folder).

    A failure while staging (a full disk) replaces nothing, and no temporary file is left behind;
    a process killed at any point leaves every file old or new, never partly written (and
    perhaps temporary files, which the next build sweeps: compiler/lock.py)."""
    staged: dict[Path, str] = {}
    created: set[Path] = set()
    try:
        for path, data in changed.items():
            for folder in (path.parent, *path.parent.parents):
                if folder.is_dir():
                    break
                created.add(folder.parent)  # a new folder is an entry in its parent
            path.parent.mkdir(parents=True, exist_ok=True)
            staged[path] = _stage(path, data, durable)
        for path, temp in list(staged.items()):
            os.replace(temp, path)
            del staged[path]
    except BaseException:
        _discard(staged.values())
        raise
    if durable:
        for folder in sorted({path.parent for path in changed} | created):
            _fsync_dir(folder)


def write_files(out_dir: Path, files: Mapping[str, bytes], *, durable: bool = False) -> WriteReport:
    """Write ``files`` (relative path -> bytes) under ``out_dir``.

    Every path is checked before anything is written, so a bad path changes nothing.  Each file is
    written to a temporary file (``.planc-tmp-*``) in its own folder; only when all are staged are
    they renamed over the old files.  So a file is always either its old bytes or its new bytes
    to every reader, whatever happens to the process, and a failure before the renames (a full
    disk) changes nothing.  ``durable`` also fsyncs each file before its rename and each folder
    after, so that this holds through a power cut or an operating-system crash too (at a cost: a
    sixth of a build, and parallel workers wait on each other's disk flushes).  A file whose
    bytes are already right is not touched (its mtime stays).
    """
    root = Path(out_dir).resolve()
    targets = {relative: _target(root, relative) for relative in sorted(files)}
    seen: dict[Path, str] = {}
    for relative, target in targets.items():
        resolved = target.resolve()
        if resolved in seen:
            raise ValueError(f"output paths {seen[resolved]!r} and {relative!r} name the same file")
        seen[resolved] = relative
    root.mkdir(parents=True, exist_ok=True)
    written: list[str] = []
    unchanged: list[str] = []
    changed: dict[Path, bytes] = {}
    for relative, target in targets.items():
        data = files[relative]
        if _same(target, data):
            unchanged.append(relative)
        else:
            written.append(relative)
            changed[target] = data
    _write_atomic(changed, durable)
    return WriteReport(written=tuple(written), unchanged=tuple(unchanged))
