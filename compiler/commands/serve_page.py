"""What `planc serve` adds to the site it serves: the live-reload script and the problems panel
injected into every HTML page (at serve time: the built files are never touched), the page shown
where there is nothing to serve, the status document the script polls, and content types.

Everything here is a pure function of a :class:`BuildState`; every text that comes from the inputs
(messages, hints, source lines, file names) is HTML-escaped, and the script's data is JSON with
``<`` escaped, so nothing a coach writes can become markup or code.
"""

from __future__ import annotations

import html
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Final

from ..diagnostics import Diagnostic, Severity
from ..emit.registry import FAMILIES, OUTPUTS
from ..report import Report, diagnostic_data, files_of, text_parts

STATUS_PATH: Final = "/__planc__/status"

CONTENT_TYPES: Final[Mapping[str, str]] = {
    ".html": "text/html; charset=utf-8",
    ".ics": "text/calendar; charset=utf-8",
    ".json": "application/json; charset=utf-8",
    ".md": "text/markdown; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".txt": "text/plain; charset=utf-8",
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".ico": "image/x-icon",
}


def content_type(name: str) -> str:
    """The Content-Type of a file named ``name``: an output's as the registry declares it
    (compiler/emit/registry.py), or its family's, else by its suffix, case-insensitively."""
    for output in OUTPUTS:
        if output.name == name:
            return output.media_type
    for family in FAMILIES:
        if family.holds(name):
            return family.media_type
    dot = name.rfind(".")
    suffix = name[dot:].lower() if dot >= 0 else ""
    return CONTENT_TYPES.get(suffix, "application/octet-stream")


@dataclass(frozen=True)
class BuildState:
    """The outcome of the latest build, as the page and the status endpoint show it.

    ``version`` counts builds (every build changes it, so the page updates its panel);
    ``generation`` counts changes to the files served (the page reloads when it moves);
    ``published`` says whether any build has been served yet."""

    session: str
    version: int = 0
    generation: int = 0
    ok: bool = False
    published: bool = False
    diagnostics: tuple[Diagnostic, ...] = ()
    sources: Mapping[str, str] = field(default_factory=dict, repr=False, compare=False)
    message: str | None = None  # a problem without diagnostics: a usage or an internal error
    finished: str = ""  # local time of day the build ended, HH:MM:SS
    seconds: float = 0.0

    @property
    def errors(self) -> int:
        return sum(1 for d in self.diagnostics if d.severity is Severity.ERROR)


def _report(state: BuildState) -> Report:
    return Report(state.diagnostics, files_of(state.diagnostics), state.sources)


_PANEL_STYLE: Final = """
#planc-serve{position:fixed;left:0;right:0;bottom:0;z-index:2147483647;max-height:60vh;
overflow:auto;margin:0;font:14px/1.45 system-ui,sans-serif;color:#1b1b1b;background:#fff8e6;
border-top:4px solid #b45309;box-shadow:0 -4px 16px rgba(0,0,0,.25);text-align:left}
#planc-serve.planc-failed{background:#fff1f0;border-top-color:#c0262d}
#planc-serve summary{cursor:pointer;padding:.6em 1em;font-weight:600}
#planc-serve p{margin:0 1em .6em}
#planc-serve p{overflow-wrap:anywhere}
#planc-serve .planc-problem{margin:0 1em 1em;padding:.6em .75em;background:#fff;color:#1b1b1b;
border:1px solid #d8d8d8;font:13px/1.4 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace}
#planc-serve .planc-problem p{margin:0;white-space:pre-wrap}
#planc-serve pre{margin:.3em 0;padding:0;max-width:100%;overflow-x:auto;background:none;
color:inherit;border:0;font:inherit;white-space:pre}
#planc-serve pre.planc-message{margin:0 1em 1em;padding:.6em .75em;background:#fff;
border:1px solid #d8d8d8;white-space:pre-wrap;overflow-wrap:anywhere;
font:13px/1.4 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace}
@media print{#planc-serve{display:none}}
"""


def panel(state: BuildState) -> str:
    """The problems panel (HTML) for ``state``: empty when the build is clean.

    A failed build opens it (red) and says whether the last good build is still shown; warnings
    alone give a closed (amber) panel.  A <details> element: it opens and closes without
    script."""
    if state.ok and not state.diagnostics:
        return ""
    when = f" at {html.escape(state.finished)}" if state.finished else ""
    if state.ok:
        warnings = len(state.diagnostics)
        title = f"planc: built{when} with {warnings} warning{'s' * (warnings != 1)}"
        note = ""
    else:
        problems = state.errors or 1
        title = f"planc: the build failed{when}: {problems} problem{'s' * (problems != 1)}"
        note = (
            "Still showing the last good build. "
            if state.published
            else "Nothing has been built yet. "
        ) + "This page updates by itself when the sources are fixed."
    blocks = [f"<summary>{html.escape(title)}</summary>"]
    if note:
        blocks.append(f"<p>{note}</p>")
    if state.message:
        blocks.append(f'<pre class="planc-message">{html.escape(state.message)}</pre>')
    if state.diagnostics:
        report = _report(state)
        blocks.extend(_problem(d, report.sources) for d in report.diagnostics)
        blocks.append(f"<p>{html.escape(report.summary())}</p>")
    return f"<details{'' if state.ok else ' open'}>{''.join(blocks)}</details>"


def _problem(diagnostic: Diagnostic, sources: Mapping[str, str]) -> str:
    """One diagnostic as the text report writes it, laid out for any screen: the location line
    and the hint wrap (a long file path must not widen a phone's page), the source line and its
    caret scroll sideways in their own box (wrapped, the caret would point elsewhere)."""
    parts = text_parts(diagnostic, sources)
    html_parts = [f'<p class="planc-where">{html.escape(parts.head)}</p>']
    if parts.code:
        html_parts.append(f"<pre>{html.escape(chr(10).join(parts.code))}</pre>")
    if parts.hint:
        html_parts.append(f'<p class="planc-hint">{html.escape(parts.hint)}</p>')
    return f'<div class="planc-problem">{"".join(html_parts)}</div>'


def _panel_class(state: BuildState) -> str:
    return "" if state.ok else "planc-failed"


# The live-reload client: long-polls the status endpoint with the last build it has seen; a new
# session (the server restarted) or a new generation (the served files changed) reloads the page,
# any other new build replaces the panel.  When the server is gone it retries, backing off.
_SCRIPT: Final = """(function () {
  "use strict";
  var state = JSON.parse(document.getElementById("planc-serve-state").textContent);
  var box = document.getElementById("planc-serve");
  var delay = 250;
  function show(status) {
    box.innerHTML = status.panel;
    box.className = status.ok ? "" : "planc-failed";
    box.hidden = status.panel === "";
  }
  function poll() {
    fetch(state.endpoint + "?session=" + encodeURIComponent(state.session) +
          "&since=" + state.version, {cache: "no-store"})
      .then(function (response) {
        if (!response.ok) { throw new Error("status " + response.status); }
        return response.json();
      })
      .then(function (status) {
        delay = 250;
        if (status.session !== state.session || status.generation !== state.generation) {
          location.reload();
          return;
        }
        if (status.version !== state.version) {
          state.version = status.version;
          show(status);
          poll();
        } else {
          setTimeout(poll, 1000);  // answered without waiting (the server was busy): not at once
        }
      })
      .catch(function () {
        setTimeout(poll, delay);
        delay = Math.min(delay * 2, 4000);
      });
  }
  poll();
})();"""


def _json_for_script(data: Mapping[str, Any]) -> str:
    """JSON that is safe inside a <script> element: no ``<``, so no ``</script>``."""
    text = json.dumps(data, ensure_ascii=True, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def snippet(state: BuildState) -> str:
    """The markup injected into every served HTML page: the panel and the reload script."""
    data = {
        "endpoint": STATUS_PATH,
        "session": state.session,
        "version": state.version,
        "generation": state.generation,
    }
    content = panel(state)
    hidden = "" if content else " hidden"
    return (
        f"\n<!-- added by planc serve: live reload and build problems -->\n"
        f"<style>{_PANEL_STYLE}</style>\n"
        f'<div id="planc-serve" class="{_panel_class(state)}" role="status" '
        f'aria-live="polite"{hidden}>{content}</div>\n'
        f'<script type="application/json" id="planc-serve-state">'
        f"{_json_for_script(data)}</script>\n"
        f"<script>{_SCRIPT}</script>\n"
    )


def inject(page: bytes, state: BuildState) -> bytes:
    """``page`` with :func:`snippet` before its last ``</body>`` (else at its end)."""
    added = snippet(state).encode("utf-8")
    at = page.lower().rfind(b"</body>")
    if at < 0:
        return page + added
    return page[:at] + added + page[at:]


def missing_page(path: str, state: BuildState) -> bytes:
    """The page for a path with nothing to serve: not found, or nothing built yet."""
    if state.published:
        title = "Not found"
        text = f'Nothing is served at <code>{html.escape(path)}</code>. <a href="/">Home</a>.'
    else:
        title = "Nothing built yet"
        text = "The first build has not succeeded yet: see the problems below."
    page = (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{title} - planc serve</title>\n"
        "<style>body{overflow-wrap:anywhere}</style>\n</head>\n<body>\n"
        f"<h1>{title}</h1>\n<p>{text}</p>\n</body>\n</html>\n"
    )
    return inject(page.encode("utf-8"), state)


def status_document(state: BuildState) -> dict[str, Any]:
    """What the status endpoint returns: the build's outcome, its diagnostics as in
    schemas/diagnostics.schema.json, and the panel the page shows."""
    report = _report(state)
    return {
        "session": state.session,
        "version": state.version,
        "generation": state.generation,
        "ok": state.ok,
        "published": state.published,
        "finished": state.finished,
        "seconds": round(state.seconds, 3),
        "message": state.message,
        "summary": {"errors": report.errors, "warnings": report.warnings},
        "diagnostics": [diagnostic_data(d, state.sources) for d in report.diagnostics],
        "panel": panel(state),
    }
