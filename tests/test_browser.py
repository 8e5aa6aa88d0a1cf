"""The plan page in a real browser: headless Chromium driven over the Chrome DevTools Protocol.

At a phone's width (390x844) and a desktop's (1280x900): no console error or uncaught exception,
no horizontal scroll on the phone, every workout of the plan on the page (details and calendar
grid), no request for anything but the page itself.  Screenshots (and a printed PDF) are saved in
``test-artifacts/`` at the repository's root for people to look at.

Chromium is started by the test with a throw-away profile and no network features; the test talks
to it over the websocket of ``--remote-debugging-port`` (``websocket-client``), which, unlike
``--dump-dom`` or ``--screenshot``, reports console messages and exceptions.  Skipped only when no
Chromium or Chrome is installed.
"""

from __future__ import annotations

import base64
import contextlib
import datetime as dt
import json
import os
import shutil
import signal
import subprocess
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import pytest
from plan_factory import make_plan

from compiler.api import compile_plan, load_project
from compiler.emit import SiteEntry, emit_html, emit_site_index
from compiler.emit.html_links import anchor
from compiler.model import Plan
from compiler.resources import examples_dir

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "test-artifacts"
BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
FLAGS = (
    "--headless=new",
    "--no-sandbox",  # the tests may run as root (CI, containers)
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--no-default-browser-check",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-extensions",
    "--disable-default-apps",
    "--hide-scrollbars",
    "--mute-audio",
    "--remote-debugging-address=127.0.0.1",
    "--remote-debugging-port=0",  # Chromium picks a free port and writes it to DevToolsActivePort
)
PHONE = (390, 844)
DESKTOP = (1280, 900)
TODAY = dt.date(2026, 11, 22)
EVIL = "<script>alert('x')</script> \"Q\" | pipe"
MAX_SHOT_HEIGHT = 12000  # px: a full-page screenshot of a 20-week plan is long enough


def find_browser() -> str | None:
    """PLANC_BROWSER, else the first Chromium or Chrome on PATH or in /usr/bin."""
    wanted = os.environ.get("PLANC_BROWSER")
    if wanted:
        return wanted
    for name in BROWSERS:
        found = shutil.which(name) or (
            f"/usr/bin/{name}" if Path(f"/usr/bin/{name}").exists() else None
        )
        if found:
            return found
    return None


BROWSER = find_browser()
pytestmark = pytest.mark.skipif(
    BROWSER is None,
    reason="no Chromium or Chrome installed (looked for "
    + ", ".join(BROWSERS)
    + " on PATH and in /usr/bin; `apt-get install chromium`, or set PLANC_BROWSER)",
)


# --------------------------------------------------------------------------- a tiny CDP client


class CDPError(RuntimeError):
    pass


class Browser:
    """One headless Chromium and one page in it, driven over a single websocket (flat sessions)."""

    def __init__(self, binary: str, workdir: Path) -> None:
        import websocket  # websocket-client, a test dependency

        self.profile = workdir / "profile"
        self.profile.mkdir()
        self.log = (workdir / "chromium.log").open("wb")
        self.process = subprocess.Popen(
            [binary, *FLAGS, f"--user-data-dir={self.profile}", "about:blank"],
            stdin=subprocess.DEVNULL,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its helper processes form one group, ended in close()
        )
        port, path = self._devtools_address()
        self.socket = websocket.create_connection(
            f"ws://127.0.0.1:{port}{path}", timeout=60, suppress_origin=True
        )
        self.next_id = 0
        self.events: list[dict[str, Any]] = []
        target = self.call("Target.createTarget", url="about:blank")["targetId"]
        self.session = self.call("Target.attachToTarget", targetId=target, flatten=True)[
            "sessionId"
        ]
        for domain in ("Page", "Runtime", "Log", "Network"):
            self.call(f"{domain}.enable", session=True)

    def _devtools_address(self) -> tuple[str, str]:
        active = self.profile / "DevToolsActivePort"
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise CDPError(
                    f"chromium exited with {self.process.returncode}; see {self.log.name}"
                )
            with contextlib.suppress(FileNotFoundError):
                lines = active.read_text().split()
                if len(lines) >= 2:
                    return lines[0], lines[1]
            time.sleep(0.05)
        raise CDPError("chromium did not open its DevTools port within 60 s")

    def _receive(self, timeout: float, waiting_for: str) -> dict[str, Any]:
        import websocket

        self.socket.settimeout(timeout)
        try:
            message: dict[str, Any] = json.loads(self.socket.recv())
        except websocket.WebSocketTimeoutException:
            raise CDPError(
                f"no answer from chromium to {waiting_for} within {timeout:.0f} s"
            ) from None
        if "method" in message:
            self.events.append(message)
        return message

    def call(self, method: str, *, session: bool = False, **params: Any) -> dict[str, Any]:
        self.next_id += 1
        message: dict[str, Any] = {"id": self.next_id, "method": method, "params": params}
        if session:
            message["sessionId"] = self.session
        self.socket.send(json.dumps(message))
        while True:
            reply = self._receive(60.0, method)
            if reply.get("id") == self.next_id:
                if "error" in reply:
                    raise CDPError(f"{method}: {reply['error']}")
                result: dict[str, Any] = reply.get("result", {})
                return result

    def wait_for(self, event: str, timeout: float = 30.0) -> dict[str, Any]:
        """The first ``event`` among those received since the events were last cleared."""
        deadline = time.monotonic() + timeout
        while True:
            for message in self.events:
                if message["method"] == event:
                    return message
            if time.monotonic() > deadline:
                raise CDPError(f"no {event} within {timeout:.0f} s")
            self._receive(max(0.1, deadline - time.monotonic()), event)

    def open(self, url: str, size: tuple[int, int], *, dark: bool = False) -> None:
        width, height = size
        self.call(
            "Emulation.setDeviceMetricsOverride",
            session=True,
            width=width,
            height=height,
            deviceScaleFactor=1,
            mobile=width < 600,
        )
        self.call(
            "Emulation.setEmulatedMedia",
            session=True,
            media="",
            features=[{"name": "prefers-color-scheme", "value": "dark" if dark else "light"}],
        )
        self.events.clear()
        self.call("Page.navigate", session=True, url=url)
        self.wait_for("Page.loadEventFired")

    def evaluate(self, expression: str) -> Any:
        result = self.call(
            "Runtime.evaluate", session=True, expression=expression, returnByValue=True
        )
        if "exceptionDetails" in result:
            raise CDPError(f"{expression}: {result['exceptionDetails']}")
        return result["result"].get("value")

    def problems(self) -> list[str]:
        """Console errors, uncaught exceptions, error log entries and dialogs since `open`."""
        found = []
        for message in self.events:
            method, params = message["method"], message.get("params", {})
            if method == "Runtime.consoleAPICalled" and params.get("type") in ("error", "assert"):
                found.append(f"console.{params['type']}: {params.get('args')}")
            elif method == "Runtime.exceptionThrown":
                found.append(f"exception: {params.get('exceptionDetails')}")
            elif method == "Log.entryAdded" and params["entry"].get("level") == "error":
                found.append(f"log: {params['entry'].get('text')} {params['entry'].get('url', '')}")
            elif method == "Page.javascriptDialogOpening":
                found.append(f"dialog: {params.get('message')}")
        return found

    def requests(self) -> list[str]:
        return [
            m["params"]["request"]["url"]
            for m in self.events
            if m["method"] == "Network.requestWillBeSent"
        ]

    def screenshot(self, path: Path, *, full_page: bool = True) -> None:
        params: dict[str, Any] = {"format": "png"}
        if full_page:
            size = self.call("Page.getLayoutMetrics", session=True)["cssContentSize"]
            params["captureBeyondViewport"] = True
            params["clip"] = {
                "x": 0,
                "y": 0,
                "width": size["width"],
                "height": min(size["height"], MAX_SHOT_HEIGHT),
                "scale": 1,
            }
        data = self.call("Page.captureScreenshot", session=True, **params)["data"]
        path.write_bytes(base64.b64decode(data))

    def print_pdf(self, path: Path) -> None:
        data = self.call("Page.printToPDF", session=True, printBackground=True)["data"]
        path.write_bytes(base64.b64decode(data))

    def close(self) -> None:
        with contextlib.suppress(Exception):
            self.call("Browser.close")
        with contextlib.suppress(Exception):
            self.socket.close()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)
        self.log.close()


# --------------------------------------------------------------------------- fixtures


@dataclass(frozen=True)
class Page:
    name: str
    path: Path
    plan: Plan | None  # None for the site index

    @property
    def url(self) -> str:
        return self.path.as_uri()


@pytest.fixture(scope="module")
def workdir() -> Iterator[Path]:
    with tempfile.TemporaryDirectory(prefix="planc-browser-") as folder:
        yield Path(folder)


@pytest.fixture(scope="module")
def browser(workdir: Path) -> Iterator[Browser]:
    assert BROWSER is not None
    instance = Browser(BROWSER, workdir)
    try:
        yield instance
    finally:
        instance.close()


@pytest.fixture(scope="module")
def artifacts() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


def _goal(plan: Plan) -> str:
    """The race's name, or a training block's (the site index's Race column)."""
    race = plan.athlete.race
    return race.name if race is not None else f"{plan.program.title} block"


def _examples() -> dict[str, Plan]:
    project = load_project([examples_dir()], today=TODAY)
    assert project.ok
    return {bp.athlete.id: compile_plan(bp, TODAY) for bp in project.blueprints}


@pytest.fixture(scope="module")
def pages(workdir: Path) -> dict[str, Page]:
    plans: dict[str, tuple[Plan, dt.date | None, str | None]] = {
        "factory-km": (
            make_plan(units="km", athlete_name=EVIL, first_title=EVIL),
            dt.date(2026, 12, 9),
            None,
        ),
        "factory-mi": (make_plan(units="mi"), dt.date(2027, 3, 10), "https://plans.example.org/"),
    }
    for athlete_id, plan in _examples().items():
        plans[athlete_id] = (plan, TODAY + dt.timedelta(days=30), None)
    site = workdir / "site"
    found: dict[str, Page] = {}
    for name, (plan, today, base_url) in plans.items():
        path = site / name / "index.html"
        path.parent.mkdir(parents=True)
        path.write_bytes(emit_html(plan, today=today, base_url=base_url))
        found[name] = Page(name, path, plan)
    entries = [
        SiteEntry(n, p.athlete.name, _goal(p), p.athlete.last_day, p.focus.title)
        for n, (p, _, _) in plans.items()
    ]
    (site / "index.html").write_bytes(emit_site_index(entries))
    found["site-index"] = Page("site-index", site / "index.html", None)
    return found


# --------------------------------------------------------------------------- checks

LAYOUT = """(() => {
  const root = document.documentElement;
  const wide = [...document.querySelectorAll('body *')]
    .filter(e => e.getBoundingClientRect().right > window.innerWidth + 1
      && !e.closest('.table-wrap, .sr-only, .skip'))
    .slice(0, 5).map(e => e.tagName + '.' + e.className + ' ' + (e.textContent || '').slice(0, 40));
  const scrolling = [...document.querySelectorAll('.table-wrap')]
    .filter(e => e.scrollWidth > e.clientWidth + 1).length;
  return {scrollWidth: root.scrollWidth, innerWidth: window.innerWidth, wide: wide,
          scrolling: scrolling,
          h1: document.querySelectorAll('h1').length,
          background: getComputedStyle(document.body).backgroundColor};
})()"""

WORKOUTS = """(() => [...document.querySelectorAll('article.workout')].map(a => ({
  id: a.id,
  title: a.querySelector('h4').innerText,
  date: a.querySelector('time').getAttribute('datetime'),
  visible: a.getBoundingClientRect().width > 0,
})))()"""

# Calendar labels (the short category, the amount, the date) that stick out of their cell or
# wrap: a word broken mid-word, or cut off, on a phone.
BROKEN_LABELS = """[...document.querySelectorAll(
    'table.calendar td .short, table.calendar td .amount, table.calendar td .date')]
  .filter(e => e.getClientRects().length > 0)
  .filter(e => e.getClientRects().length > 1
    || e.getBoundingClientRect().right > e.closest('td').getBoundingClientRect().right + 1)
  .slice(0, 5).map(e => e.textContent)"""

# Where the agenda is: above the calendar, with a line a day.
AGENDA = """(() => {
  const agenda = document.getElementById('agenda'), grid = document.querySelector('table.calendar');
  return agenda && {above: agenda.getBoundingClientRect().top < grid.getBoundingClientRect().top,
    days: agenda.querySelectorAll('li.agenda-day').length};
})()"""

# On a desktop the paces and the weekly volume sit side by side, each wide enough to read: the
# goal's sentence above the paces once took the row and squeezed the chart to a sliver.
OVERVIEW = """(() => {
  const box = id => document.getElementById(id).getBoundingClientRect();
  return {paces: box('paces').width, volume: box('volume').width};
})()"""

SESSIONS = """[...document.querySelectorAll('table.calendar a.session')]
  .map(a => a.getAttribute('href').slice(1))"""


def _check(browser: Browser, page: Page, size: tuple[int, int]) -> dict[str, Any]:
    browser.open(page.url, size)
    assert browser.problems() == [], page.name
    foreign = [u for u in browser.requests() if not u.startswith(("file:", "data:"))]
    assert foreign == [], f"{page.name} requested {foreign}"
    assert browser.requests() == [page.url]  # the page itself, nothing else
    layout: dict[str, Any] = browser.evaluate(LAYOUT)
    assert layout["h1"] == 1
    return layout


@pytest.mark.parametrize(
    "name",
    [
        "factory-km",
        "factory-mi",
        "half-marathon",
        "injury-prone-marathon",
        "speed-5k",
        "base-block",  # a training block with no race
    ],
)
def test_plan_page_on_a_phone_and_a_desktop(
    browser: Browser, pages: dict[str, Page], artifacts: Path, name: str
) -> None:
    page = pages[name]
    assert page.plan is not None
    for label, size in (("phone", PHONE), ("desktop", DESKTOP)):
        layout = _check(browser, page, size)
        if label == "phone":
            assert layout["scrollWidth"] <= layout["innerWidth"], layout
            assert layout["wide"] == [] and layout["scrolling"] == 0, layout
            assert browser.evaluate(BROKEN_LABELS) == []
            assert browser.evaluate(AGENDA) == {"above": True, "days": 14}
        else:
            overview = browser.evaluate(OVERVIEW)
            assert min(overview["paces"], overview["volume"]) >= 250, overview
        workouts = browser.evaluate(WORKOUTS)
        expected = [(anchor(w.uid), w.date.isoformat()) for w in page.plan.workouts]
        assert [(w["id"], w["date"]) for w in workouts] == expected
        for shown, workout in zip(workouts, page.plan.workouts, strict=True):
            assert shown["title"] == " ".join(workout.title.split())
            assert shown["visible"]
        assert sorted(browser.evaluate(SESSIONS)) == sorted(a for a, _ in expected)
        browser.screenshot(artifacts / f"{name}-{label}.png")
        browser.screenshot(artifacts / f"{name}-{label}-top.png", full_page=False)


def test_dark_theme_and_print(browser: Browser, pages: dict[str, Page], artifacts: Path) -> None:
    page = pages["factory-mi"]
    browser.open(page.url, PHONE, dark=True)
    assert browser.problems() == []
    layout = browser.evaluate(LAYOUT)
    assert layout["background"] == "rgb(13, 17, 23)"  # the dark theme's --bg
    assert layout["scrollWidth"] <= layout["innerWidth"]
    browser.screenshot(artifacts / "factory-mi-phone-dark.png", full_page=False)
    browser.open(page.url, DESKTOP)
    assert browser.evaluate(LAYOUT)["background"] == "rgb(255, 255, 255)"
    browser.print_pdf(artifacts / "factory-mi-print.pdf")
    assert (artifacts / "factory-mi-print.pdf").read_bytes().startswith(b"%PDF")


def test_escaped_names_stay_text(browser: Browser, pages: dict[str, Page]) -> None:
    page = pages["factory-km"]
    browser.open(page.url, DESKTOP)
    assert browser.problems() == []  # an alert() would have opened a dialog
    assert browser.evaluate("document.scripts.length") == 0
    assert EVIL in browser.evaluate("document.querySelector('h1').textContent")
    assert EVIL in browser.evaluate("document.title")


def test_site_index(browser: Browser, pages: dict[str, Page], artifacts: Path) -> None:
    page = pages["site-index"]
    for label, size in (("phone", PHONE), ("desktop", DESKTOP)):
        layout = _check(browser, page, size)
        if label == "phone":
            assert layout["scrollWidth"] <= layout["innerWidth"], layout
            assert layout["scrolling"] == 0, layout  # cards, not a table to scroll sideways
        rows = browser.evaluate("document.querySelectorAll('tbody tr').length")
        assert rows == len(pages) - 1
        browser.screenshot(artifacts / f"site-index-{label}.png")


# The page's width on a phone, and what sticks out of it or scrolls inside its own box.
FITS = """(() => ({
  scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth,
  wide: [...document.querySelectorAll('body *')]
    .filter(e => e.getBoundingClientRect().right > window.innerWidth + 1)
    .slice(0, 5).map(e => e.tagName + '.' + e.className),
  scrolling: [...document.querySelectorAll('#planc-serve pre')]
    .filter(e => e.scrollWidth > e.clientWidth + 1).length,
  where: (e => !e ? 0 : Math.round(
    e.getBoundingClientRect().height / parseFloat(getComputedStyle(e).lineHeight)))(
    document.querySelector('#planc-serve .planc-where')),
}))()"""


def test_serve_problems_panel_fits_a_phone(
    browser: Browser, pages: dict[str, Page], workdir: Path, artifacts: Path
) -> None:
    """`planc serve`'s problems panel, on a plan page and on its "nothing built yet" and "not
    found" pages, with a long file path, message, source line and hint: no horizontal scroll at
    390 px; the source line scrolls inside its own box."""
    from test_serve import long_problem_state

    from compiler.commands.serve_page import inject, missing_page

    failed = long_problem_state()
    plan_page = pages["half-marathon"].path.read_bytes()
    shown = {
        "serve-plan": inject(plan_page, failed),
        "serve-nothing-built": missing_page("/", replace(failed, published=False)),
        "serve-not-found": missing_page("/" + "averylongpathsegment" * 10 + ".html", failed),
    }
    for name, content in shown.items():
        path = workdir / f"{name}.html"
        path.write_bytes(content)
        browser.open(path.as_uri(), PHONE)  # its script's polls fail from a file: no problems check
        layout = browser.evaluate(FITS)
        assert layout["innerWidth"] == PHONE[0], (name, layout)  # not zoomed out to fit
        assert layout["scrollWidth"] <= layout["innerWidth"], (name, layout)
        assert layout["wide"] == [], (name, layout)
        assert layout["scrolling"] == 1, (name, layout)  # the source line, in its own box
        assert layout["where"] > 1, (name, layout)  # the long location line wraps, in lines
        browser.screenshot(artifacts / f"{name}-phone.png", full_page=False)
