"""`planc serve`: a live preview of the site for coaches.

:class:`PreviewServer` builds the site with :func:`compiler.api.build_site` into a build folder
(``--out``, else a temporary one), copies each good build into the folder it serves, watches the
athlete files and the template folders (watchfiles, debounced) and rebuilds on every change, one
build at a time.  A build with problems leaves the served copy as it was and shows its diagnostics
in a panel on every page (compiler/commands/serve_page.py); the pages reload themselves when the
served files change.  Until a first good build, whatever a build could make is served, with the
panel.

The pieces a newcomer looks for are in modules of their own, as in mkdocs' livereload: this
module is the server's life cycle and its builds; the HTTP server and its request handler are
in :mod:`.serve_http`, the file watcher in :mod:`.serve_watch`, and the pages' panel and status
in :mod:`.serve_page`.  A build that finds the build folder locked by another planc build is
retried every ``RETRY_S`` seconds until it runs.  Nothing here prints or exits: messages go to
``log``.
"""

from __future__ import annotations

import datetime as dt
import os
import secrets
import shutil
import sys
import tempfile
import threading
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from ..diagnostics import Diagnostic, PlancError, PlanError, UsageError, has_errors
from ..report import Report, files_of, render_text
from ..resources import templates_dir
from ..site.lock import OutputLocked
from .serve_http import PreviewHTTPServer
from .serve_page import BuildState
from .serve_watch import Watched, watch_sources, watched_for

if TYPE_CHECKING:
    from ..site.build import BuildResult

RETRY_S = 1.0  # a build locked out by another planc build is tried again this often


@dataclass(frozen=True)
class ServeOptions:
    """What to build (as for `planc build`) and where to serve it."""

    paths: tuple[Path, ...]
    today: dt.date
    stamp: dt.datetime
    template_dirs: tuple[Path, ...] = ()
    out_dir: Path | None = None  # None: a temporary folder, removed by stop()
    domain: str = "planc.invalid"
    host: str = "127.0.0.1"
    port: int = 8000  # 0: any free port
    jobs: int = 1
    debounce_ms: int = 1600  # the longest a burst of changes is gathered before a rebuild
    step_ms: int = 100  # a burst ends after this long without a change
    long_poll_seconds: float = 25.0
    debug: bool = False  # tracebacks of internal errors in the log


@dataclass(frozen=True)
class _Attempt:
    """What one build came to: its result (None when it failed before there was one), the
    problems and message the pages show, and how many served files it changed."""

    result: BuildResult | None = None
    diagnostics: tuple[Diagnostic, ...] = ()
    message: str | None = None
    changed: int = 0


class PreviewServer:
    """Build, watch, rebuild and serve; ``start()`` returns once the first build is served and
    the watcher is running, ``stop()`` ends everything and removes the temporary folder."""

    def __init__(self, options: ServeOptions, log: Callable[[str], None] | None = None) -> None:
        self.options = options
        self._log = log or (lambda line: print(line, file=sys.stderr, flush=True))
        self._workspace = Path(tempfile.mkdtemp(prefix="planc-serve-")).resolve()
        self.site_dir = self._workspace / "site"  # what is served: the last good build
        self.site_dir.mkdir()
        self.build_dir = (options.out_dir or self._workspace / "build").resolve()
        self._state = BuildState(session=secrets.token_hex(8))
        self._changed = threading.Condition()
        self._build_lock = threading.Lock()
        self._pending: set[str] = set()  # built but not yet copied to the served folder
        self._resync = True  # copy every file at the next publish
        self._stop = threading.Event()
        self._watching = threading.Event()
        self._threads: list[threading.Thread] = []
        self._http: PreviewHTTPServer | None = None
        self._retry: threading.Timer | None = None  # a build to try again: the folder was locked

    # ------------------------------------------------------------------ life cycle

    @property
    def url(self) -> str:
        if self._http is None:
            raise RuntimeError("the server is not started")
        host, port = self._http.server_name, self._http.server_port
        return f"http://{f'[{host}]' if ':' in host else host}:{port}/"

    @property
    def state(self) -> BuildState:
        with self._changed:
            return self._state

    def start(self) -> None:
        """Listen, start watching, build once and serve. UsageError when the address is taken."""
        try:
            self._http = PreviewHTTPServer(
                (self.options.host, self.options.port),
                self,
                stop=self._stop,
                log=self._log,
                long_poll_seconds=self.options.long_poll_seconds,
            )
        except OSError as exc:
            self.stop()
            raise UsageError(
                f"cannot listen on {self.options.host}:{self.options.port}: "
                f"{exc.strerror or exc} (--port 0 picks a free port)"
            ) from None
        self._spawn(self._watch, "planc-watch")
        if not self._watching.wait(10):
            self._log("planc serve: warning: the file watcher is slow to start")
        self.rebuild()
        http = self._http
        self._spawn(lambda: http.serve_forever(poll_interval=0.1), "planc-http")

    def wait(self) -> None:
        """Block until stop() (Ctrl-C raises KeyboardInterrupt here, in the main thread)."""
        while not self._stop.wait(0.5):
            pass

    def stop(self) -> None:
        self._stop.set()
        with self._changed:
            self._changed.notify_all()  # long polls answer now
            if self._retry is not None:
                self._retry.cancel()
        if self._http is not None:
            if any(t.name == "planc-http" for t in self._threads):
                self._http.shutdown()
            self._http.server_close()
        for thread in self._threads:
            thread.join(timeout=10)
        shutil.rmtree(self._workspace, ignore_errors=True)

    def __enter__(self) -> PreviewServer:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def _spawn(self, target: Callable[[], object], name: str) -> None:
        thread = threading.Thread(target=target, name=name, daemon=True)
        self._threads.append(thread)
        thread.start()

    # ------------------------------------------------------------------ building

    def rebuild(self, reason: str = "") -> BuildState:
        """Build now (after any build under way) and publish a good build; never raises."""
        with self._build_lock:
            started = time.perf_counter()
            previous = self.state
            attempt = self._attempt(previous)
            result, diagnostics, changed = attempt.result, attempt.diagnostics, attempt.changed
            ok = result is not None and not result.failed and not has_errors(diagnostics)
            state = replace(
                previous,
                version=previous.version + 1,
                generation=previous.generation + (changed > 0),
                ok=ok,
                published=previous.published or changed > 0,
                diagnostics=diagnostics,
                sources=result.sources if result is not None else {},
                message=attempt.message,
                finished=time.strftime("%H:%M:%S"),
                seconds=time.perf_counter() - started,
            )
            with self._changed:
                self._state = state
                self._changed.notify_all()
        self._report(state, result, reason, changed)
        return state

    def _attempt(self, previous: BuildState) -> _Attempt:
        """One build into the build folder, published when it is good (or nothing was yet);
        every way it can fail becomes diagnostics or a message for the pages."""
        result: BuildResult | None = None
        diagnostics: tuple[Diagnostic, ...] = ()
        message = None
        changed = 0  # files changed in the served folder
        try:
            result = self._build()
            diagnostics = result.diagnostics
            self._pending.update(result.written)
            ok = not result.failed and not has_errors(diagnostics)
            if ok or not previous.published:
                changed = self._publish(result)
        except PlanError as exc:
            diagnostics = tuple(exc.diagnostics)
        except OutputLocked as exc:  # another planc build is writing the folder: wait it out
            message = f"{exc}\nplanc serve will retry every {RETRY_S:g} s until it can build."
            self._retry_later()
        except PlancError as exc:
            message = str(exc)
        except Exception as exc:  # a bug in planc: say so, keep serving
            self._resync = True
            message = (
                f"internal error: {type(exc).__name__}: {exc}\nThis is a bug in planc; "
                "the traceback is in the terminal with --debug."
            )
            if self.options.debug:
                self._log(traceback.format_exc().rstrip())
        return _Attempt(result, diagnostics, message, changed)

    def _build(self) -> BuildResult:
        """Build the sources into the build folder, its index listing only them."""
        from ..site.build import build_site
        from ..site.build_model import IndexScope

        options = self.options
        return build_site(
            list(options.paths),
            self.build_dir,
            template_dirs=options.template_dirs,
            today=options.today,
            stamp=options.stamp,
            domain=options.domain,
            jobs=options.jobs,
            index=IndexScope.BUILD,  # the preview of the sources, not of old folders
        )

    def _retry_later(self) -> None:
        """Build again in ``RETRY_S`` seconds (once: a retry already due is enough).  A build that
        found the folder locked would otherwise wait for the next save, serving stale pages."""

        def retry() -> None:
            with self._changed:
                self._retry = None
            if not self._stop.is_set():
                self.rebuild("retrying: the build folder was locked")

        with self._changed:
            if self._retry is not None or self._stop.is_set():
                return
            self._retry = threading.Timer(RETRY_S, retry)
            self._retry.name = "planc-retry"
            self._retry.daemon = True
            self._retry.start()

    def _publish(self, result: BuildResult) -> int:
        """Make the served folder hold the build's files; how many files changed there."""
        keep = set(result.written) | set(result.unchanged)
        if self._resync:
            copy = keep
        else:
            copy = (self._pending & keep) | {p for p in keep if not (self.site_dir / p).is_file()}
        changed = 0
        for relative in sorted(copy):
            data = (self.build_dir / relative).read_bytes()
            if _read(self.site_dir / relative) != data:
                _put(self.site_dir / relative, data)
                changed += 1
        for folder, _dirs, names in os.walk(self.site_dir, topdown=False):
            for name in names:
                path = Path(folder) / name
                if path.relative_to(self.site_dir).as_posix() not in keep:
                    path.unlink()
                    changed += 1
            if Path(folder) != self.site_dir and not os.listdir(folder):
                os.rmdir(folder)
        self._pending.clear()
        self._resync = False
        return changed

    def _report(
        self, state: BuildState, result: BuildResult | None, reason: str, changed: int
    ) -> None:
        """The terminal's view of a build: its problems, then one line."""
        if state.diagnostics:
            report = Report(state.diagnostics, files_of(state.diagnostics), state.sources)
            self._log(render_text(report).rstrip())
        if state.message:
            self._log(state.message)
        cause = f"{reason}: " if reason else ""
        if state.ok:
            athletes = len(result.athletes) if result is not None else 0
            self._log(
                f"{state.finished} {cause}built in {state.seconds:.2f}s: ok, "
                f"{athletes} athlete{'s' * (athletes != 1)}, "
                f"{changed} file{'s' * (changed != 1)} changed"
            )
        else:
            kept = "still serving the last good build" if state.published else "nothing to serve"
            self._log(f"{state.finished} {cause}build failed in {state.seconds:.2f}s ({kept})")

    def wait_for_build(self, since: int | None, session: str | None, timeout: float) -> BuildState:
        """The state once a build later than ``since`` is done (at once when ``since`` is None
        or from another session), or after ``timeout`` seconds."""
        with self._changed:
            self._changed.wait_for(
                lambda: (
                    since is None
                    or (session is not None and session != self._state.session)
                    or self._state.version != since
                    or self._stop.is_set()
                ),
                timeout,
            )
            return self._state

    # ------------------------------------------------------------------ watching

    def watched(self) -> Watched:
        """What the watcher watches: the template folders, the PATHS and the bundled library."""
        given = [*self.options.template_dirs, *self.options.paths, templates_dir()]
        return watched_for(given, ignored=(self._workspace, self.build_dir))

    def _watch(self) -> None:
        """Rebuild after every burst of changes, until stop() (serve_watch.watch_sources)."""
        watch_sources(
            self.watched,
            self.rebuild,
            stop=self._stop,
            watching=self._watching,
            log=self._log,
            debounce_ms=self.options.debounce_ms,
            step_ms=self.options.step_ms,
        )


def _read(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except OSError:
        return None


def _put(path: Path, data: bytes) -> None:
    """Replace ``path`` atomically: a request never sees half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
    os.chmod(temp, 0o644)
    os.replace(temp, path)
