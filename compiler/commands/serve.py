"""`planc serve`: a live preview of the site for coaches.

:class:`PreviewServer` builds the site with :func:`compiler.api.build_site` into a build folder
(``--out``, else a temporary one), copies each good build into the folder it serves, watches the
athlete files and the template folders (watchfiles, debounced) and rebuilds on every change, one
build at a time.  A build with problems leaves the served copy as it was and shows its diagnostics
in a panel on every page (compiler/commands/serve_page.py); the pages reload themselves when the
served files change.  Until a first good build, whatever a build could make is served, with the
panel.

The HTTP server is the standard library's HTTPServer with a bounded pool of ``WORKERS`` threads
(and a listen backlog of ``BACKLOG``: a burst of requests waits in the kernel, not in threads),
serving only files inside the served folder (no ``..``, no hidden files, no symlink leading out),
with ``Cache-Control: no-store`` so a preview is never stale.  It answers only requests whose
``Host`` names the address it serves (``allowed_host``): a page of another site whose name was
rebound to this machine (DNS rebinding) gets 421 and reads neither plans nor diagnostics.  A build
that finds the build folder locked by another planc build is retried every ``RETRY_S`` seconds
until it runs.  Nothing here prints or exits: messages go to ``log``.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import os
import re
import secrets
import shutil
import socket
import socketserver
import sys
import tempfile
import threading
import time
import traceback
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path, PurePosixPath, PureWindowsPath
from typing import TYPE_CHECKING, Any, cast
from urllib.parse import parse_qs, unquote, urlsplit

from .. import __version__
from ..diagnostics import Diagnostic, PlancError, PlanError, UsageError, has_errors
from ..emit.registry import INDEX_HTML
from ..report import Report, files_of, render_text
from ..site.lock import OutputLocked
from ..sources.discover import YAML_SUFFIXES
from .serve_page import (
    STATUS_PATH,
    BuildState,
    content_type,
    inject,
    missing_page,
    status_document,
)

if TYPE_CHECKING:
    from watchfiles import Change

    from ..site.build import BuildResult

HTML = "text/html; charset=utf-8"
WORKERS = 32  # threads answering requests: a bound, so a burst cannot start a thread each
LONG_POLLS = WORKERS // 2  # status requests that may wait at once; the others answer at once
BACKLOG = 256  # connections the kernel holds while every worker is busy
KEEP_ALIVE_S = 5.0  # an idle keep-alive connection is closed after this: it holds a worker
RETRY_S = 1.0  # a build locked out by another planc build is tried again this often
LOOPBACK_NAMES = frozenset({"127.0.0.1", "localhost", "::1"})
_HOST = re.compile(r"(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.-]+)(?::([0-9]{1,5}))?")  # a Host header


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


def is_loopback(host: str) -> bool:
    """Whether ``host`` only listens to this machine (localhost, 127.0.0.0/8, ::1)."""
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def allowed_host(header: str | None, served: str, port: int) -> bool:
    """Whether a request's ``Host`` header names the address planc serves: 127.0.0.1,
    localhost, [::1] or the ``--host`` given (``served``), with the port it listens on.

    This is what stops DNS rebinding: a page of evil.example whose name is made to resolve to
    this machine can reach the server, but its requests say ``Host: evil.example``, and are
    refused.  When ``served`` is a wildcard (0.0.0.0, ::), any IP address is accepted too: a
    rebound name is never an IP address.  No Host at all is refused (HTTP/1.1 requires one)."""
    match = _HOST.fullmatch(header or "")
    if match is None:
        return False
    name = match.group(1).strip("[]").lower()
    if int(match.group(2) or 80) != port:
        return False
    own = served.strip("[]").lower()
    if name in LOOPBACK_NAMES or name == own:
        return True
    try:
        ip = ipaddress.ip_address(name)
        wildcard = ipaddress.ip_address(own).is_unspecified
    except ValueError:
        return False
    return wildcard and not ip.is_unspecified


def locate(root: Path, url_path: str) -> Path | HTTPStatus:
    """The file or folder under ``root`` (resolved) that ``url_path`` (decoded) names, or why
    not: FORBIDDEN for ``..``, a drive or a symlink leading out of ``root``, NOT_FOUND for a
    hidden name (``.planc-input``...) or a name the file system cannot hold (too long: the
    request is answered, never dropped)."""
    if "\x00" in url_path or "\\" in url_path:
        return HTTPStatus.FORBIDDEN
    parts = [p for p in url_path.split("/") if p not in ("", ".")]
    for part in parts:
        if part == ".." or PureWindowsPath(part).drive or PurePosixPath(part).is_absolute():
            return HTTPStatus.FORBIDDEN
        if part.startswith("."):
            return HTTPStatus.NOT_FOUND
    target = root.joinpath(*parts)
    try:
        resolved = target.resolve()
        if resolved != root and root not in resolved.parents:
            return HTTPStatus.FORBIDDEN
        target.is_dir()  # a name too long for the file system fails here, not later
    except (OSError, RuntimeError):  # ENAMETOOLONG; a symlink loop
        return HTTPStatus.NOT_FOUND
    return target


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
        self._http: _HTTPServer | None = None
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
            self._http = _HTTPServer((self.options.host, self.options.port), self)
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
        from ..site.batch import IndexScope
        from ..site.build import build_site

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
        from ..resources import templates_dir

        given = [*self.options.template_dirs, *self.options.paths, templates_dir()]
        folders = tuple(Path(p).resolve() for p in given if Path(p).is_dir())
        files = frozenset(Path(p).resolve() for p in given if Path(p).is_file())
        roots = {*folders, *(f.parent for f in files)}
        return Watched(
            roots=tuple(sorted(r for r in roots if not any(o in r.parents for o in roots))),
            files=files,
            folders=folders,
            ignored=(self._workspace, self.build_dir),
        )

    def _watch(self) -> None:
        """Rebuild after every burst of changes; watch again when a watched folder comes or goes
        (a checkout of another branch...) or watching fails, with a rebuild for what was missed."""
        import watchfiles

        failure = ""
        watched = self.watched()
        while not self._stop.is_set():
            try:
                for changes in watchfiles.watch(
                    *watched.roots,
                    watch_filter=watched.relevant,
                    debounce=self.options.debounce_ms,
                    step=self.options.step_ms,
                    stop_event=self._stop,
                    rust_timeout=250,  # an empty yield that long after the last: we are watching
                    yield_on_timeout=True,
                    raise_interrupt=False,
                ):
                    self._watching.set()
                    failure = ""
                    if changes:
                        self.rebuild(_describe(path for _change, path in changes))
                    if self.watched() != watched:
                        break
            except Exception as exc:
                if str(exc) != failure:  # say it once, not every second
                    failure = str(exc)
                    self._log(f"planc serve: cannot watch the sources ({failure}); retrying")
                self._watching.set()  # start() need not wait: the problem is said
                self._stop.wait(1.0)
            now = self.watched()
            if now != watched and not self._stop.is_set():
                watched = now
                self.rebuild("the watched folders changed")


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


# ---------------------------------------------------------------------- HTTP


class _HTTPServer(HTTPServer):
    """HTTPServer answering on a bounded pool of ``WORKERS`` threads.

    The accept loop takes a connection only when a worker is free (or about to be): the rest
    wait in the listen backlog (``BACKLOG``), so a burst of requests costs neither a thread nor
    a file descriptor each, and every one is answered in turn.  Long polls are limited to
    ``LONG_POLLS`` at once (see ``_Handler._status``) so they never hold every worker."""

    request_queue_size = BACKLOG

    def __init__(self, address: tuple[str, int], preview: PreviewServer) -> None:
        self.preview = preview
        if ":" in address[0]:
            self.address_family = socket.AF_INET6
        self._pool = ThreadPoolExecutor(max_workers=WORKERS, thread_name_prefix="planc-http")
        # connections handed to the pool and not yet done: at most two per worker
        self._slots = threading.BoundedSemaphore(2 * WORKERS)
        self.long_polls = threading.BoundedSemaphore(LONG_POLLS)
        super().__init__((address[0].strip("[]"), address[1]), _Handler)

    def server_bind(self) -> None:
        # HTTPServer.server_bind looks the host's name up (getfqdn), which can take seconds
        socketserver.TCPServer.server_bind(self)
        host, port = self.server_address[:2]
        self.server_name, self.server_port = str(host), int(port)

    def process_request(self, request: Any, client_address: Any) -> None:
        while not self._slots.acquire(timeout=0.5):
            if self.preview._stop.is_set():  # stopping: leave the connection unanswered
                self.shutdown_request(request)
                return
        try:
            self._pool.submit(self._answer, request, client_address)
        except RuntimeError:  # the pool is shut down: the server is stopping
            self._slots.release()
            self.shutdown_request(request)

    def _answer(self, request: Any, client_address: Any) -> None:
        try:
            self.finish_request(request, client_address)
        except Exception:
            self.handle_error(request, client_address)
        finally:
            self.shutdown_request(request)
            self._slots.release()

    def server_close(self) -> None:
        super().server_close()
        self._pool.shutdown(wait=False, cancel_futures=True)

    def handle_error(self, request: Any, client_address: Any) -> None:
        error = sys.exc_info()[1]
        if isinstance(error, ConnectionError | TimeoutError):
            return  # the browser went away
        self.preview._log(f"planc serve: error answering a request: {error!r}")


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = f"planc/{__version__}"
    sys_version = ""
    timeout = KEEP_ALIVE_S  # idle keep-alive connections are closed: each holds a worker

    @property
    def preview(self) -> PreviewServer:
        return cast(_HTTPServer, self.server).preview

    def do_GET(self) -> None:
        self._answer(head=False)

    def do_HEAD(self) -> None:
        self._answer(head=True)

    def log_message(self, format: str, *args: Any) -> None:
        pass  # no access log: the terminal shows the builds

    def _answer(self, *, head: bool) -> None:
        server = cast(_HTTPServer, self.server)
        if not allowed_host(
            self.headers.get("Host"), self.preview.options.host, server.server_port
        ):
            body = f"planc serve answers requests for {self.preview.url} only\n".encode()
            self._send(HTTPStatus.MISDIRECTED_REQUEST, body, "text/plain; charset=utf-8", head)
            self.close_connection = True
            return
        url = urlsplit(self.path)
        path = unquote(url.path)
        preview = self.preview
        if path == STATUS_PATH:
            self._status(parse_qs(url.query), head)
            return
        state = preview.state
        found = locate(preview.site_dir, path)
        if isinstance(found, HTTPStatus) and found is HTTPStatus.FORBIDDEN:
            self._send(HTTPStatus.FORBIDDEN, b"forbidden\n", "text/plain; charset=utf-8", head)
            return
        if isinstance(found, Path) and found.is_dir():
            if not url.path.endswith("/"):
                location = url.path + "/" + (f"?{url.query}" if url.query else "")
                self._send(HTTPStatus.MOVED_PERMANENTLY, b"", HTML, head, location=location)
                return
            found = found / INDEX_HTML.name
        try:
            if path.startswith("/__planc__/") or not isinstance(found, Path):
                raise FileNotFoundError(path)
            body = found.read_bytes()
        except OSError:
            if path == "/favicon.ico":  # browsers ask for one: no icon, and no error either
                self._send(HTTPStatus.NO_CONTENT, b"", "image/x-icon", head=True)
                return
            code = HTTPStatus.NOT_FOUND if state.published else HTTPStatus.SERVICE_UNAVAILABLE
            self._send(code, missing_page(path, state), HTML, head)
            return
        kind = content_type(found.name)
        if kind == HTML:
            body = inject(body, state)
        self._send(HTTPStatus.OK, body, kind, head)

    def _status(self, query: dict[str, list[str]], head: bool) -> None:
        import json

        since = query.get("since", [""])[0]
        session = query.get("session", [None])[0]
        polls = cast(_HTTPServer, self.server).long_polls
        # a poll waits only while few others do: the rest answer at once (the page polls again)
        waits = not head and polls.acquire(blocking=False)
        try:
            state = self.preview.wait_for_build(
                int(since) if since.isdigit() else None,
                session,
                self.preview.options.long_poll_seconds if waits else 0,
            )
        finally:
            if waits:
                polls.release()
        body = json.dumps(status_document(state), ensure_ascii=False, indent=1).encode("utf-8")
        self._send(HTTPStatus.OK, body, "application/json; charset=utf-8", head)

    def _send(
        self, code: HTTPStatus, body: bytes, kind: str, head: bool, location: str | None = None
    ) -> None:
        self.send_response(code)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.send_header("X-Content-Type-Options", "nosniff")
        if location is not None:
            self.send_header("Location", location)
        self.end_headers()
        if not head:
            self.wfile.write(body)
