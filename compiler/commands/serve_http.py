"""The HTTP side of `planc serve`: who may ask, which file a URL names, and the server that
answers on a bounded pool of threads.

The server is the standard library's HTTPServer with a bounded pool of ``WORKERS`` threads (and
a listen backlog of ``BACKLOG``: a burst of requests waits in the kernel, not in threads),
serving only files inside the served folder (:func:`locate`: no ``..``, no hidden files, no
symlink leading out), with ``Cache-Control: no-store`` so a preview is never stale.  It answers
only requests whose ``Host`` names the address it serves (:func:`allowed_host`): a page of
another site whose name was rebound to this machine (DNS rebinding) gets 421 and reads neither
plans nor diagnostics.  What it serves and the build state it reports come from a
:class:`Preview` (``serve.PreviewServer``), so this module knows nothing of building.
"""

from __future__ import annotations

import ipaddress
import json
import re
import socket
import socketserver
import sys
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path, PurePosixPath, PureWindowsPath
from typing import Any, Protocol, cast
from urllib.parse import parse_qs, unquote, urlsplit

from .. import __version__
from ..emit.registry import INDEX_HTML
from .serve_page import (
    STATUS_PATH,
    BuildState,
    content_type,
    inject,
    missing_page,
    status_document,
)

HTML = "text/html; charset=utf-8"


WORKERS = 32  # threads answering requests: a bound, so a burst cannot start a thread each


LONG_POLLS = WORKERS // 2  # status requests that may wait at once; the others answer at once


BACKLOG = 256  # connections the kernel holds while every worker is busy


KEEP_ALIVE_S = 5.0  # an idle keep-alive connection is closed after this: it holds a worker


LOOPBACK_NAMES = frozenset({"127.0.0.1", "localhost", "::1"})


_HOST = re.compile(r"(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.-]+)(?::([0-9]{1,5}))?")  # a Host header


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


class Preview(Protocol):
    """What the HTTP server serves and reports: the folder it serves, the build state the pages
    show, and a wait for the next build (the long poll of the pages' status)."""

    @property
    def url(self) -> str: ...

    @property
    def state(self) -> BuildState: ...

    @property
    def site_dir(self) -> Path: ...

    def wait_for_build(
        self, since: int | None, session: str | None, timeout: float
    ) -> BuildState: ...


class PreviewHTTPServer(HTTPServer):
    """HTTPServer answering on a bounded pool of ``WORKERS`` threads.

    The accept loop takes a connection only when a worker is free (or about to be): the rest
    wait in the listen backlog (``BACKLOG``), so a burst of requests costs neither a thread nor
    a file descriptor each, and every one is answered in turn.  Long polls are limited to
    ``LONG_POLLS`` at once (see ``_Handler._status``) so they never hold every worker."""

    request_queue_size = BACKLOG

    def __init__(
        self,
        address: tuple[str, int],
        preview: Preview,
        *,
        stop: threading.Event,
        log: Callable[[str], None],
        long_poll_seconds: float,
    ) -> None:
        self.preview = preview
        self.served_host = address[0]  # as given (--host): what a request's Host must name
        self.stop = stop
        self.log = log
        self.long_poll_seconds = long_poll_seconds
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
            if self.stop.is_set():  # stopping: leave the connection unanswered
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
        self.log(f"planc serve: error answering a request: {error!r}")


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = f"planc/{__version__}"
    sys_version = ""
    timeout = KEEP_ALIVE_S  # idle keep-alive connections are closed: each holds a worker

    @property
    def preview(self) -> Preview:
        return cast(PreviewHTTPServer, self.server).preview

    def do_GET(self) -> None:
        self._answer(head=False)

    def do_HEAD(self) -> None:
        self._answer(head=True)

    def log_message(self, format: str, *args: Any) -> None:
        pass  # no access log: the terminal shows the builds

    def _answer(self, *, head: bool) -> None:
        server = cast(PreviewHTTPServer, self.server)
        if not allowed_host(self.headers.get("Host"), server.served_host, server.server_port):
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
        since = query.get("since", [""])[0]
        session = query.get("session", [None])[0]
        server = cast(PreviewHTTPServer, self.server)
        polls = server.long_polls
        # a poll waits only while few others do: the rest answer at once (the page polls again)
        waits = not head and polls.acquire(blocking=False)
        try:
            state = self.preview.wait_for_build(
                int(since) if since.isdigit() else None,
                session,
                server.long_poll_seconds if waits else 0,
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
