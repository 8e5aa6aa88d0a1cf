"""`planc serve`: the live preview, driven in-process on a free port (PreviewServer) and once as
the real command line.

Each test serves a copy of examples in its own folder, edits the files as a coach's editor would
and polls the server (with a deadline) until it serves what the edit should produce.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import http.client
import json
import os
import queue
import shutil
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, TypeVar

import pytest

from compiler.commands.serve import PreviewServer, ServeOptions
from compiler.commands.serve_http import WORKERS, allowed_host, is_loopback, locate
from compiler.diagnostics import UsageError
from compiler.resources import examples_dir

TODAY = dt.date(2026, 11, 22)
STAMP = dt.datetime(2026, 11, 22, 8, 0, tzinfo=dt.UTC)
DEADLINE = 60.0  # seconds: a hang guard for every wait below, never a measure of speed
HALF = "half-marathon"
T = TypeVar("T")


@dataclass(frozen=True)
class Response:
    status: int
    headers: dict[str, str]
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode("utf-8")


def fetch(url: str, method: str = "GET") -> Response:
    request = urllib.request.Request(url, method=method)
    try:
        with urllib.request.urlopen(request, timeout=DEADLINE) as answer:
            return Response(answer.status, dict(answer.headers.items()), answer.read())
    except urllib.error.HTTPError as error:
        return Response(error.code, dict(error.headers.items()), error.read())


def raw_get(server: PreviewServer, path: str) -> int:
    """The status of GET ``path`` sent as is (urllib would normalize ``..`` away)."""
    host, port = server.url.removeprefix("http://").rstrip("/").rsplit(":", 1)
    connection = http.client.HTTPConnection(host, int(port), timeout=DEADLINE)
    try:
        connection.request("GET", path)
        answer = connection.getresponse()
        answer.read()
        return answer.status
    finally:
        connection.close()


def until(probe: Callable[[], T | None], what: str) -> T:
    """``probe()``'s first truthy value, polled until DEADLINE."""
    deadline = time.monotonic() + DEADLINE
    while True:
        value = probe()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"not within {DEADLINE:.0f} s: {what}")
        time.sleep(0.05)


def status(server: PreviewServer) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(fetch(server.url + "__planc__/status").body)
    return data


def until_status(server: PreviewServer, *, ok: bool) -> dict[str, Any]:
    def probe() -> dict[str, Any] | None:
        found = status(server)
        return found if found["ok"] is ok else None

    return until(probe, f"a build with ok={ok}")


def athletes(tmp_path: Path, *names: str) -> Path:
    folder = tmp_path / "athletes"
    folder.mkdir()
    for name in names:
        shutil.copy(examples_dir() / f"{name}.yaml", folder / f"{name}.yaml")
    return folder


def options(*paths: Path, **changes: Any) -> ServeOptions:
    return ServeOptions(
        paths=paths,
        today=TODAY,
        stamp=STAMP,
        port=0,
        debounce_ms=800,
        step_ms=50,
        long_poll_seconds=1.0,
        **changes,
    )


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    return athletes(tmp_path, HALF, "speed-5k")


@pytest.fixture
def server(folder: Path) -> Iterator[PreviewServer]:
    lines: list[str] = []
    with PreviewServer(options(folder), log=lines.append) as running:
        yield running


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text("utf-8")
    assert old in text
    path.write_text(text.replace(old, new), "utf-8")


def test_serves_the_site_with_content_types_and_the_reload_script(server: PreviewServer) -> None:
    index = fetch(server.url)
    assert index.status == 200
    assert index.headers["Content-Type"] == "text/html; charset=utf-8"
    assert index.headers["Cache-Control"] == "no-store"
    assert 'id="planc-serve-state"' in index.text and "/__planc__/status" in index.text
    assert index.text.index('id="planc-serve"') < index.text.rindex("</body>")
    page = fetch(server.url + f"{HALF}/index.html")
    assert page.status == 200 and "Sam Carter" in page.text and "planc-serve-state" in page.text
    assert fetch(server.url + f"{HALF}/").body == page.body
    kinds = {
        "plan.ics": "text/calendar; charset=utf-8",
        "busy.ics": "text/calendar; charset=utf-8",
        "plan.md": "text/markdown; charset=utf-8",
        "plan.json": "application/json; charset=utf-8",
    }
    for name, kind in kinds.items():
        answer = fetch(server.url + f"{HALF}/{name}")
        assert (answer.status, answer.headers["Content-Type"]) == (200, kind), name
        assert answer.body == (server.build_dir / HALF / name).read_bytes(), "served as built"
    assert fetch(server.url + f"{HALF}/plan.ics").body.startswith(b"BEGIN:VCALENDAR")
    head = fetch(server.url + f"{HALF}/plan.ics", method="HEAD")
    assert head.status == 200 and head.body == b"" and int(head.headers["Content-Length"]) > 0
    # the script is added when serving, never written into the built files
    assert b"planc-serve" not in (server.build_dir / HALF / "index.html").read_bytes()
    assert b"planc-serve" not in (server.build_dir / "index.html").read_bytes()
    assert raw_get(server, f"/{HALF}") == 301
    assert fetch(server.url + "no-such-page.html").status == 404


def test_an_edit_is_rebuilt_once_and_served(server: PreviewServer, folder: Path) -> None:
    before = status(server)
    assert before["ok"] and before["diagnostics"] == []
    source = folder / f"{HALF}.yaml"
    text = source.read_text("utf-8")
    for name in ("Sam Carte", "Sam Carter-", "Sam Newname"):  # an editor saving in bursts
        source.write_text(text.replace("Sam Carter", name), "utf-8")
    until(lambda: "Sam Newname" in fetch(server.url + f"{HALF}/").text, "the new name served")
    assert "Sam Newname" in fetch(server.url).text, "the site index is rebuilt too"
    edit(source, "weekly_volume: 30km", "weekly_volume: 35km")
    until(lambda: status(server)["version"] >= before["version"] + 2, "a second rebuild")
    time.sleep(0.3)  # a burst that was split would have rebuilt again by now
    after = status(server)
    assert after["version"] == before["version"] + 2, "one rebuild per burst of saves"
    assert after["generation"] == before["generation"] + 2 and after["ok"]


def test_a_broken_file_shows_its_diagnostic_and_the_last_good_build_stays(
    server: PreviewServer, folder: Path
) -> None:
    source = folder / f"{HALF}.yaml"
    good = source.read_text("utf-8")
    page = fetch(server.url + f"{HALF}/").text
    edit(source, "long_run_day: sunday", "long_rn_day: sunday")
    state = until_status(server, ok=False)
    line = good.splitlines().index("  long_run_day: sunday") + 1
    found = [d for d in state["diagnostics"] if d["code"] == "unknown-key"]
    assert found and found[0]["file"].endswith(f"{HALF}.yaml") and found[0]["line"] == line
    assert found[0]["column"] == 3 and found[0]["hint"] == "did you mean 'long_run_day'?"
    assert state["published"] and "Still showing the last good build" in state["panel"]
    # the athlete's page as last built, with the problems on it
    broken = fetch(server.url + f"{HALF}/")
    assert broken.status == 200 and "Sam Carter" in broken.text
    assert f"{HALF}.yaml:{line}:3: error[unknown-key]" in broken.text
    assert "unknown key &#x27;long_rn_day&#x27;" in broken.text
    marker = "\n<!-- added by planc serve"
    assert broken.text.split(marker)[0] == page.split(marker)[0], "the page as last built"
    index = fetch(server.url).text
    assert f'href="{HALF}/index.html"' in index, "the site index still lists the athlete"
    assert fetch(server.url + f"{HALF}/plan.ics").status == 200
    # fixed: the panel goes and nothing else changes (the page does not need to reload)
    source.write_text(good, "utf-8")
    fixed = until_status(server, ok=True)
    assert fixed["panel"] == "" and fixed["diagnostics"] == []
    assert fixed["generation"] == state["generation"]
    assert 'class="planc-failed"' not in fetch(server.url + f"{HALF}/").text


def test_a_first_build_that_fails_is_shown_escaped_then_recovers(tmp_path: Path) -> None:
    folder = athletes(tmp_path, HALF)
    source = folder / f"{HALF}.yaml"
    good = source.read_text("utf-8")
    source.write_text(good + "<script>alert(1)</script>: 1\n", "utf-8")
    with PreviewServer(options(folder), log=lambda line: None) as server:
        page = fetch(server.url)
        assert page.status == 503 and "Nothing built yet" in page.text
        assert "unknown key &#x27;&lt;script&gt;alert(1)&lt;/script&gt;&#x27;" in page.text
        assert "<script>alert(1)" not in page.text
        assert not status(server)["published"]
        source.write_text(good.replace("name: Sam Carter", "name: Sam <b>Bold</b>"), "utf-8")
        until(lambda: fetch(server.url).status == 200, "the first good build served")
        assert "Sam &lt;b&gt;Bold&lt;/b&gt;" in fetch(server.url + f"{HALF}/").text
        source.write_text("kind: athlete\nid: [unclosed\n", "utf-8")  # not even YAML
        state = until_status(server, ok=False)
        assert any(d["file"].endswith(f"{HALF}.yaml") and d["line"] for d in state["diagnostics"])
        assert fetch(server.url + f"{HALF}/").status == 200


def test_internal_errors_are_shown_and_the_server_goes_on(
    server: PreviewServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    import compiler.site.build

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("boom <b>")

    monkeypatch.setattr(compiler.site.build, "build_site", broken)
    state = server.rebuild("test")
    assert not state.ok and state.message is not None
    assert "internal error: RuntimeError: boom <b>" in state.message
    page = fetch(server.url + f"{HALF}/")
    assert page.status == 200 and "internal error: RuntimeError: boom &lt;b&gt;" in page.text
    monkeypatch.undo()
    assert server.rebuild("test").ok
    assert 'class="planc-failed"' not in fetch(server.url + f"{HALF}/").text


def test_nothing_outside_the_site_is_served(server: PreviewServer, tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("secret", "utf-8")
    (server.site_dir / "leak.txt").symlink_to(secret)
    (server.site_dir / "leak").symlink_to(tmp_path, target_is_directory=True)
    for path in (
        "/../secret.txt",
        "/../../../../etc/passwd",
        "/%2e%2e/secret.txt",
        f"/{HALF}/..%2f..%2fsecret.txt",
        "/..\\secret.txt",
        "/leak.txt",
        "/leak/secret.txt",
    ):
        assert raw_get(server, path) == 403, path
    for path in (f"/{HALF}/.planc-input", "/.planc-site.json", "/__planc__/other", "//etc/passwd"):
        assert raw_get(server, path) == 404, path
    assert locate(server.site_dir, "/index.html") == server.site_dir / "index.html"


def test_the_status_endpoint_waits_for_the_next_build(server: PreviewServer) -> None:
    state = server.state
    query = f"__planc__/status?session={state.session}&since={state.version}"
    answer = json.loads(fetch(server.url + query).body)  # no build comes: answered unchanged
    assert answer["version"] == state.version
    # a build done while the request waits is what it answers (one that answered at once would
    # give the old version; no time is asserted, a slow machine only answers later)
    threading.Timer(0.2, server.rebuild).start()
    answer = json.loads(fetch(server.url + query).body)
    assert answer["version"] == state.version + 1
    other = json.loads(fetch(server.url + f"__planc__/status?session=x&since={state.version}").body)
    assert other["session"] == state.session, "another session's page is answered at once"


def test_a_taken_port_is_a_usage_error(server: PreviewServer, folder: Path) -> None:
    port = int(server.url.rstrip("/").rsplit(":", 1)[1])
    with pytest.raises(UsageError, match="--port 0"):
        PreviewServer(replace(options(folder), port=port)).start()


def test_loopback_hosts() -> None:
    assert all(is_loopback(h) for h in ("127.0.0.1", "127.1.2.3", "::1", "[::1]", "localhost"))
    assert not any(is_loopback(h) for h in ("0.0.0.0", "::", "192.168.1.20", "example.org"))


def test_the_command_line_serves_until_interrupted(tmp_path: Path) -> None:
    folder = athletes(tmp_path, HALF)
    command = ["serve", str(folder), "--port", "0", "--today", TODAY.isoformat()]
    process = subprocess.Popen(
        [sys.executable, "-m", "compiler", *command],
        cwd=tmp_path,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    lines: queue.Queue[str] = queue.Queue()
    assert process.stderr is not None
    stderr = process.stderr

    def read() -> None:
        for line in stderr:
            lines.put(line)

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    seen: list[str] = []
    try:
        deadline = time.monotonic() + DEADLINE
        while not any(line.startswith("serving http://") for line in seen):
            assert time.monotonic() < deadline, f"no URL printed: {seen}"
            with contextlib.suppress(queue.Empty):
                seen.append(lines.get(timeout=0.1))
        url = next(line for line in seen if line.startswith("serving ")).split()[1]
        assert url.startswith("http://127.0.0.1:") and url.endswith("/")
        assert "Sam Carter" in fetch(url + f"{HALF}/").text
        assert any("ok, 1 athlete" in line for line in seen), seen
        process.send_signal(signal.SIGINT)
        assert process.wait(timeout=DEADLINE) == 0
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    reader.join(timeout=DEADLINE)
    while not lines.empty():
        seen.append(lines.get())
    assert "Traceback" not in "".join(seen)
    assert seen[-1].strip() == "planc serve: stopped"
    assert process.stdout is not None and process.stdout.read() == ""


def test_help_and_version_do_not_load_the_server_or_the_compiler() -> None:
    code = (
        "import sys\n"
        "from compiler.cli import main\n"
        "for args in (['--version'], ['--help'], ['serve', '--help']):\n"
        "    try:\n"
        "        main(args, standalone_mode=True)\n"
        "    except SystemExit:\n"
        "        pass\n"
        "heavy = ('compiler.commands.serve', 'watchfiles', 'compiler.plan.periodize',\n"
        "         'compiler.plan.schedule', 'compiler.plan.expand', 'compiler.plan.paces',\n"
        "         'compiler.plan.resolve')\n"
        "print(sorted(m for m in sys.modules if m.startswith(heavy)))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, env=os.environ
    )
    assert result.stdout.strip().splitlines()[-1] == "[]"
    assert "--port" in result.stdout and "0 picks a free one" in result.stdout


def test_an_open_page_reloads_and_shows_problems_in_chromium(
    server: PreviewServer, folder: Path, tmp_path: Path
) -> None:
    """The injected script in a real browser: the page reloads after an edit, shows the panel
    when the build breaks and hides it when fixed, without console errors."""
    from test_browser import BROWSER, Browser, CDPError

    if BROWSER is None:
        pytest.skip("no Chromium or Chrome installed (see tests/test_browser.py)")
    browser = Browser(BROWSER, tmp_path)
    try:
        browser.open(server.url + f"{HALF}/", (1280, 900))

        def shows(expression: str) -> Any:
            def probe() -> Any:
                try:
                    return browser.evaluate(expression)
                except CDPError:  # the page is reloading
                    return None

            return until(probe, expression)

        marker = "window.plancMarker = 1"  # gone once the page has reloaded
        browser.evaluate(marker)
        source = folder / f"{HALF}.yaml"
        edit(source, "Sam Carter", "Sam Reloaded")
        shows("!window.plancMarker && document.body.innerText.includes('Sam Reloaded')")
        edit(source, "long_run_day: sunday", "long_rn_day: sunday")
        panel = shows(
            "(() => { const p = document.getElementById('planc-serve');"
            " return p && !p.hidden && p.innerText.includes('long_rn_day') && p.innerText; })()"
        )
        assert "the build failed" in panel and "Still showing the last good build" in panel
        browser.evaluate(marker)
        edit(source, "long_rn_day: sunday", "long_run_day: sunday")
        shows("document.getElementById('planc-serve').hidden")
        assert browser.evaluate("window.plancMarker") == 1, "fixed without reloading"
        assert browser.problems() == []
    finally:
        browser.close()


# --------------------------------------------------------------------------- a developer's machine


def get_with_host(server: PreviewServer, path: str, host: str | None) -> tuple[int, bytes]:
    """GET ``path`` with the Host header ``host`` (None: none at all), as a page on another site
    would after DNS rebinding pointed its name at this machine."""
    address, port = server.url.removeprefix("http://").rstrip("/").rsplit(":", 1)
    connection = http.client.HTTPConnection(address.strip("[]"), int(port), timeout=DEADLINE)
    try:
        connection.putrequest("GET", path, skip_host=True)
        if host is not None:
            connection.putheader("Host", host)
        connection.endheaders()
        answer = connection.getresponse()
        return answer.status, answer.read()
    finally:
        connection.close()


def test_only_requests_for_the_served_address_are_answered(server: PreviewServer) -> None:
    """DNS rebinding: a page of evil.example whose name now resolves to 127.0.0.1 sends its own
    name as Host; the plans and the diagnostics must not be read through it."""
    port = server.url.rstrip("/").rsplit(":", 1)[1]
    for host in (f"127.0.0.1:{port}", f"localhost:{port}", f"LOCALHOST:{port}"):
        assert get_with_host(server, f"/{HALF}/plan.ics", host)[0] == 200, host
    refused: tuple[str | None, ...] = (
        f"evil.example:{port}",
        "evil.example",
        f"127.0.0.1.evil.example:{port}",
        f"localhost.evil.example:{port}",
        f"127.0.0.1:{int(port) + 1}",  # another port: another origin
        "127.0.0.1",  # port 80 implied
        f"[::1]x:{port}",
        "",
        None,
    )
    for foreign in refused:
        for path in (f"/{HALF}/plan.ics", "/", "/__planc__/status", "/nothing-here"):
            code, body = get_with_host(server, path, foreign)
            assert code in (421, 403), (foreign, path, code)
            assert b"BEGIN:VCALENDAR" not in body and b"diagnostics" not in body, (foreign, path)


def test_allowed_hosts() -> None:
    assert allowed_host("127.0.0.1:8000", "127.0.0.1", 8000)
    assert allowed_host("[::1]:8000", "127.0.0.1", 8000)
    assert allowed_host("plans.lan:8000", "plans.lan", 8000)
    assert allowed_host("localhost", "127.0.0.1", 80)
    # listening everywhere: any address (never a rebound name) and localhost, with the port
    assert allowed_host("192.168.1.20:8000", "0.0.0.0", 8000)
    assert allowed_host("[fe80::1]:8000", "::", 8000)
    assert not allowed_host("evil.example:8000", "0.0.0.0", 8000)
    assert not allowed_host("192.168.1.20:8000", "127.0.0.1", 8000)
    assert not allowed_host("192.168.1.20:8001", "0.0.0.0", 8000)
    for bad in ("", None, "127.0.0.1:8000/x", "user@127.0.0.1:8000", "127.0.0.1:80a", "[::1"):
        assert not allowed_host(bad, "127.0.0.1", 8000), bad


def test_the_host_given_is_the_host_answered(folder: Path) -> None:
    with PreviewServer(options(folder, host="::1"), log=lambda line: None) as running:
        port = running.url.rstrip("/").rsplit(":", 1)[1]
        assert get_with_host(running, "/", f"[::1]:{port}")[0] == 200
        assert get_with_host(running, "/", f"localhost:{port}")[0] == 200
        assert get_with_host(running, "/", f"evil.example:{port}")[0] in (421, 403)


def test_a_long_path_segment_is_not_found_not_an_empty_reply(server: PreviewServer) -> None:
    for path in (
        "/" + "a" * 300,
        f"/{HALF}/" + "b" * 5000,
        "/" + "/".join(["c" * 250] * 40),  # a path longer than the system's limit
        "/" + "%41" * 400,
    ):
        assert raw_get(server, path) == 404, path[:40]
    assert raw_get(server, f"/{HALF}/plan.ics") == 200, "the server is still answering"


def test_two_hundred_concurrent_requests_are_all_answered_by_a_bounded_pool(
    folder: Path,
) -> None:
    """200 requests at once, most of them long polls that would each hold a thread for the whole
    poll: all are answered, by a bounded number of threads, and a page is still served while the
    polls wait."""
    with PreviewServer(
        replace(options(folder), long_poll_seconds=30.0), log=lambda line: None
    ) as running:
        state = running.state
        poll = f"{running.url}__planc__/status?session={state.session}&since={state.version}"
        before = set(threading.enumerate())
        peak = 0
        done = threading.Event()

        def count() -> None:
            nonlocal peak
            while not done.is_set():
                new = [
                    t
                    for t in threading.enumerate()
                    if t not in before and not t.name.startswith("client-")
                ]
                peak = max(peak, len(new))
                time.sleep(0.01)

        answers: queue.Queue[tuple[int, str]] = queue.Queue()

        def client(index: int) -> None:
            url = poll if index % 4 else running.url + f"{HALF}/plan.ics"
            try:
                answers.put((fetch(url).status, url))
            except Exception as exc:  # a refused or dropped connection is a failure below
                answers.put((0, f"{url}: {exc!r}"))

        monitor = threading.Thread(target=count, name="client-monitor", daemon=True)
        monitor.start()
        clients = [
            threading.Thread(target=client, args=(i,), name=f"client-{i}", daemon=True)
            for i in range(200)
        ]
        for thread in clients:
            thread.start()
        # the pages (every fourth request) are answered while the polls wait
        until(lambda: answers.qsize() >= 50, "the 50 page requests answered during the polls")
        running.rebuild("test")  # the waiting polls answer now
        for thread in clients:
            thread.join(DEADLINE)
        done.set()
        monitor.join(DEADLINE)
        got = [answers.get_nowait() for _ in range(answers.qsize())]
        assert len(got) == 200 and all(code == 200 for code, _ in got), [
            g for g in got if g[0] != 200
        ][:5]
        assert peak <= WORKERS + 2, f"{peak} threads answered 200 requests"
        assert running._http is not None
        assert running._http.request_queue_size >= 200


def test_a_build_locked_out_by_another_build_is_retried(folder: Path, tmp_path: Path) -> None:
    """`planc serve --out DIR` while a `planc build --out DIR` runs: the build it could not do is
    done once the other build is over, without waiting for the next save."""
    from compiler.site.lock import acquire, release

    out = tmp_path / "out"
    lock = acquire(out, "build")  # another build holds the folder
    lines: list[str] = []
    try:
        running = PreviewServer(options(folder, out_dir=out), log=lines.append)
        running.start()
    except BaseException:
        release(lock)
        raise
    with contextlib.closing(_Stopper(running)):
        state = running.state
        assert not state.ok and state.message and "another planc build" in state.message
        release(lock)
        until_status(running, ok=True)
        assert fetch(running.url + f"{HALF}/plan.ics").status == 200
        assert any("retry" in line for line in lines), lines


class _Stopper:
    def __init__(self, server: PreviewServer) -> None:
        self.server = server

    def close(self) -> None:
        self.server.stop()


# --------------------------------------------------------------------------- the panel on a phone

LONG_FILE = "athletes/" + "a-club-folder-with-a-long-name/" * 4 + "sam-carter.yaml"
LONG_LINE = "name: " + "x" * 200 + "\n"


def long_problem_state() -> Any:
    """A failed build whose problem has a long file path, a long message, a long source line
    and a long hint: what must fit a phone."""
    from compiler.commands.serve_page import BuildState
    from compiler.diagnostics import Position, error

    problem = error(
        "bad-value", "a long message " * 8, LONG_FILE, Position(1, 7), "a long hint " * 10
    )
    return BuildState(
        "s", 1, ok=False, published=True, diagnostics=(problem,), sources={LONG_FILE: LONG_LINE}
    )


def test_the_panel_wraps_prose_and_scrolls_code_in_its_own_box() -> None:
    """The location, message and hint are prose that wraps (a long path must not widen a phone's
    page); the source line and its caret stay together in a <pre> that scrolls by itself."""
    import re

    from compiler.commands.serve_page import panel, snippet

    html_text = panel(long_problem_state())
    (problem,) = re.findall(r'<div class="planc-problem">(.*?)</div>', html_text, re.S)
    where, code, hint = re.fullmatch(
        r'<p class="planc-where">(.*?)</p><pre>(.*?)</pre><p class="planc-hint">(.*?)</p>',
        problem,
        re.S,
    ).groups()  # type: ignore[union-attr]
    assert where.startswith(f"{LONG_FILE}:1:7: error[bad-value]: a long message")
    lines = code.split("\n")
    assert len(lines) == 2 and lines[0].startswith(" 1 | name: xxx") and "^~" in lines[1]
    assert hint.startswith("  = hint: a long hint")
    assert "<p>1 error, 0 warnings in 1 file</p>" in html_text
    style = snippet(long_problem_state())
    assert "#planc-serve p{overflow-wrap:anywhere}" in style
    pre_rule = re.search(r"#planc-serve pre\{([^}]*)\}", style)
    assert pre_rule and "overflow-x:auto" in pre_rule[1] and "white-space:pre" in pre_rule[1]
