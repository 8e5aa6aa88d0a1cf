"""The watcher of `planc serve`: which files count as sources (:class:`Watched`) and the loop
that rebuilds after every burst of changes to them (:func:`watch_sources`, on watchfiles,
debounced).  It knows nothing of building or serving: it is handed the rebuild to call.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

import watchfiles
from watchfiles import Change

from ..sources.discover import YAML_SUFFIXES


@dataclass(frozen=True)
class Watched:
    """The folders watched (files are watched through their folder: editors often save by
    replacing a file), and which changes count: a YAML file, not hidden, under a folder given,
    or a file given by path; never anything in the build or served folders."""

    roots: tuple[Path, ...]
    files: frozenset[Path]
    folders: tuple[Path, ...]
    ignored: tuple[Path, ...]

    def relevant(self, change: Change, raw: str) -> bool:
        path = Path(os.path.normpath(raw))
        if any(path == i or i in path.parents for i in self.ignored):
            return False
        if path in self.files:
            return True
        return path.suffix in YAML_SUFFIXES and any(
            folder in path.parents
            and not any(part.startswith(".") for part in path.relative_to(folder).parts)
            for folder in self.folders
        )


def _describe(paths: Iterable[str]) -> str:
    names = sorted({_shown(Path(p)) for p in paths})
    more = f" and {len(names) - 3} more" if len(names) > 3 else ""
    return ", ".join(names[:3]) + more + " changed"


def _shown(path: Path) -> str:
    try:
        return os.path.relpath(path)
    except ValueError:  # another drive
        return str(path)


def watched_for(given: Iterable[Path | str], ignored: tuple[Path, ...]) -> Watched:
    """What to watch for the folders and files ``given``: each folder, each file through its
    folder, and no root inside another; changes under ``ignored`` never count."""
    folders = tuple(Path(p).resolve() for p in given if Path(p).is_dir())
    files = frozenset(Path(p).resolve() for p in given if Path(p).is_file())
    roots = {*folders, *(f.parent for f in files)}
    return Watched(
        roots=tuple(sorted(r for r in roots if not any(o in r.parents for o in roots))),
        files=files,
        folders=folders,
        ignored=ignored,
    )


def watch_sources(
    find: Callable[[], Watched],
    rebuild: Callable[[str], object],
    *,
    stop: threading.Event,
    watching: threading.Event,
    log: Callable[[str], None],
    debounce_ms: int,
    step_ms: int,
) -> None:
    """Call ``rebuild`` (with what changed) after every burst of changes to what ``find``
    says to watch, until ``stop`` is set; ``watching`` is set once the watcher runs.  Watch
    again when a watched folder comes or goes (a checkout of another branch...) or watching
    fails, with a rebuild for what was missed."""
    failure = ""
    watched = find()
    while not stop.is_set():
        try:
            for changes in watchfiles.watch(
                *watched.roots,
                watch_filter=watched.relevant,
                debounce=debounce_ms,
                step=step_ms,
                stop_event=stop,
                rust_timeout=250,  # an empty yield that long after the last: we are watching
                yield_on_timeout=True,
                raise_interrupt=False,
            ):
                watching.set()
                failure = ""
                if changes:
                    rebuild(_describe(path for _change, path in changes))
                if find() != watched:
                    break
        except Exception as exc:
            if str(exc) != failure:  # say it once, not every second
                failure = str(exc)
                log(f"planc serve: cannot watch the sources ({failure}); retrying")
            watching.set()  # start() need not wait: the problem is said
            stop.wait(1.0)
        now = find()
        if now != watched and not stop.is_set():
            watched = now
            rebuild("the watched folders changed")
