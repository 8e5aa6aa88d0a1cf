"""Put output files in place: atomically, only inside the output folder, and only when changed."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path, PurePosixPath, PureWindowsPath

DEFAULT_MODE = 0o644


@dataclass(frozen=True)
class WriteReport:
    """Relative paths (as given, sorted) of the files written and of those left as they were."""

    written: tuple[str, ...]
    unchanged: tuple[str, ...]


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
    resolved = target.resolve()
    if resolved != root and root not in resolved.parents:
        raise ValueError(f"output path {relative!r} resolves outside the output folder")
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
    if os.name != "posix":
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _write_atomic(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        mode = path.stat().st_mode & 0o7777
    except FileNotFoundError:
        mode = DEFAULT_MODE
    fd, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temp, mode)
        os.replace(temp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temp)
        raise
    _fsync_dir(path.parent)


def write_files(out_dir: Path, files: Mapping[str, bytes]) -> WriteReport:
    """Write ``files`` (relative path -> bytes) under ``out_dir``.

    Every path is checked before anything is written, so a bad path changes nothing.  Each file is
    written to a temporary file in its own folder, fsynced and renamed over the old one; a file
    whose bytes are already right is not touched (its mtime stays).
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
    for relative, target in targets.items():
        data = files[relative]
        if _same(target, data):
            unchanged.append(relative)
            continue
        _write_atomic(target, data)
        written.append(relative)
    return WriteReport(written=tuple(written), unchanged=tuple(unchanged))
