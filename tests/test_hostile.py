"""The hostile-input corpus: every case in tests/cases/hostile/ through the real command line.

Adding a case means adding a file.  A case is one of

- ``<name>.yaml``: one input file, checked as ``planc check <name>.yaml`` and built as
  ``planc build <name>.yaml --out out``;
- ``<name>/``: a folder of inputs (an athlete and the templates it uses), checked and built as a
  whole;
- ``<name>.recipe.json``: an input too big (or too silly) to commit, written at run time into a
  temporary folder as ``<name>.yaml`` from ``parts`` (each ``{"text": ..., "times": N}``); its
  ``what`` says what it shows and ``expect`` lists its expectations.

The first line of every input file is a comment saying what the case shows; the comment lines
after it state what planc must do with it, one ``# expect:`` each (a folder's files state them
for themselves, about the file they are in, unless ``in PATH`` names another):

- ``exit N``: the exit code of both commands (exactly one per case);
- ``error CODE [in PATH] [at line N]``: a diagnostic both commands report, naming the file (and
  the line).  Every error reported must be expected: the list is the whole answer;
- ``warning CODE [in PATH] [at line N]``: a warning both report (others may come too);
- ``weeks N``: the plan built has N weeks;
- ``shown "TEXT"`` (a JSON string): text of the input that reaches the outputs: the page shows it
  as text (no element, attribute or script of its making), the calendar carries it in a property
  value (no property or event of its making, every line folded and ended by CRLF), the Markdown
  keeps every table's shape, and plan.json has it exactly;
- ``xfail REASON``: a problem known and owned elsewhere: the case runs as a strict xfail.

For every case and both commands the test asserts: the exit code; no traceback and no internal
error; memory bounded by running the commands in a forked child whose address space is limited to
``MEMORY`` bytes more than the test process's; nothing written outside the output folder; a failed
build leaves no output at all (no half-written files).

Time is not asserted: a wall-clock limit fails at random on a loaded CI machine, and speed is
measured in bench/.  ``KILL_AFTER`` is a hang guard only: a child still running after it has hung
(an alias bomb expanded, an endless loop), and the case fails saying so.
"""

from __future__ import annotations

import contextlib
import inspect
import json
import os
import re
import select
import shutil
import signal
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from compiler.cli import main

CORPUS = Path(__file__).parent / "cases" / "hostile"
TODAY = "2026-11-22"
MEMORY = 1 << 30  # bytes of address space a child may add to the test process's
# seconds: a hang guard, not a speed limit; a child (both commands) still running then has hung
KILL_AFTER = 60.0
HOUSEKEEPING = {".gitattributes"}

pytestmark = [
    pytest.mark.skipif(not CORPUS.is_dir(), reason="needs the source checkout"),
    pytest.mark.skipif(not hasattr(os, "fork"), reason="bounds memory in a forked child (POSIX)"),
]


# --------------------------------------------------------------------------- expectations


@dataclass(frozen=True)
class Expected:
    severity: str  # error or warning
    code: str
    file: str  # relative to the case's working folder
    line: int | None


@dataclass(frozen=True)
class Case:
    name: str
    source: Path  # the .yaml, the folder or the .recipe.json
    exit: int
    diagnostics: tuple[Expected, ...] = ()
    weeks: int | None = None
    shown: tuple[str, ...] = ()
    xfail: str | None = None
    recipe: dict[str, Any] = field(default_factory=dict, compare=False)

    @property
    def target(self) -> str:
        """What the commands are given, relative to the working folder."""
        return self.source.name if self.source.is_dir() else f"{self.name}.yaml"


_EXPECT = re.compile(r"^#\s*expect:\s*(.*?)\s*$")
_DIAGNOSTIC = re.compile(r"^(error|warning) ([a-z]+(?:-[a-z]+)*)(?: in (\S+))?(?: at line (\d+))?$")


def _header(data: bytes) -> list[str]:
    """The expectation lines at the top of an input file (before its first other line)."""
    lines = []
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = data.decode("utf-16")  # a file saved as UTF-16 says what it expects in UTF-16
    else:
        text = data.removeprefix(b"\xef\xbb\xbf").decode("utf-8", errors="replace")
    for line in text.splitlines():
        if not line.startswith("#"):
            break
        found = _EXPECT.match(line)
        if found:
            lines.append(found.group(1))
    return lines


def _parse(name: str, source: Path, lines: list[tuple[str, str]], **extra: Any) -> Case:
    """A case from its expectation lines, each (the file it is about, the line)."""
    exits: list[int] = []
    diagnostics: list[Expected] = []
    weeks: int | None = None
    shown: list[str] = []
    xfail: str | None = None
    for file, line in lines:
        keyword, _, rest = line.partition(" ")
        if keyword == "exit":
            exits.append(int(rest))
        elif keyword in ("error", "warning"):
            found = _DIAGNOSTIC.match(line)
            assert found, f"{name}: cannot read `expect: {line}`"
            severity, code, path, number = found.groups()
            diagnostics.append(
                Expected(severity, code, path or file, int(number) if number else None)
            )
        elif keyword == "weeks":
            weeks = int(rest)
        elif keyword == "shown":
            shown.append(json.loads(rest))
        elif keyword == "xfail":
            xfail = rest
        else:
            raise AssertionError(f"{name}: unknown expectation `{line}`")
    assert len(exits) == 1, f"{name}: say `expect: exit N` once"
    if exits[0] != 0:
        assert any(d.severity == "error" for d in diagnostics), f"{name}: which error?"
    return Case(name, source, exits[0], tuple(diagnostics), weeks, tuple(shown), xfail, **extra)


def load_case(source: Path) -> Case:
    if source.name.endswith(".recipe.json"):
        recipe = json.loads(source.read_text("utf-8"))
        name = source.name.removesuffix(".recipe.json")
        lines = [(f"{name}.yaml", line) for line in recipe["expect"]]
        return _parse(name, source, lines, recipe=recipe)
    if source.is_dir():
        lines = []
        for path in sorted(source.rglob("*.yaml")):
            relative = path.relative_to(source.parent).as_posix()
            lines += [(relative, line) for line in _header(path.read_bytes())]
        return _parse(source.name, source, lines)
    return _parse(source.stem, source, [(source.name, x) for x in _header(source.read_bytes())])


def corpus() -> list[Path]:
    if not CORPUS.is_dir():
        return []
    return sorted(p for p in CORPUS.iterdir() if p.name not in HOUSEKEEPING)


def _materialize(case: Case, work: Path) -> list[Path]:
    """Put the case's inputs into ``work``; returns the files put there."""
    if case.recipe:
        target = work / f"{case.name}.yaml"
        with target.open("wb") as out:
            out.write(f"# {case.recipe['what']}\n".encode())
            for part in case.recipe["parts"]:
                chunk = part["text"].encode("utf-8")
                for _ in range(part.get("times", 1)):
                    out.write(chunk)
        return [target]
    if case.source.is_dir():
        shutil.copytree(case.source, work / case.source.name)
        return [p for p in (work / case.source.name).rglob("*") if p.is_file()]
    shutil.copyfile(case.source, work / case.source.name)
    return [work / case.source.name]


# --------------------------------------------------------------------------- running bounded


def _runner() -> CliRunner:
    if "mix_stderr" in inspect.signature(CliRunner.__init__).parameters:
        legacy: dict[str, Any] = {"mix_stderr": False}
        return CliRunner(**legacy)
    return CliRunner()


def _address_space() -> int:
    """This process's virtual memory size in bytes (0 where /proc is not there)."""
    with contextlib.suppress(OSError):
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmSize:"):
                return int(line.split()[1]) * 1024
    return 0


def _in_child(work: Path, commands: list[list[str]]) -> list[dict[str, Any]]:
    """Run each command with CliRunner in a forked child whose address space may grow by at most
    MEMORY bytes, in ``work``; killed after KILL_AFTER seconds (a hang).  Per command: exit
    code, stdout and stderr."""
    import resource

    limit = _address_space() + MEMORY
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: never returns into pytest
        code = 0
        try:
            os.close(read)
            if limit > MEMORY:
                resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
            os.chdir(work)
            results: list[dict[str, Any]] = []
            for args in commands:
                result = _runner().invoke(main, args, catch_exceptions=True)
                crash = None
                if result.exception is not None and not isinstance(result.exception, SystemExit):
                    crash = f"{type(result.exception).__name__}: {result.exception}"
                results.append(
                    {
                        "args": args,
                        "exit": result.exit_code,
                        "stdout": result.stdout,
                        "stderr": result.stderr,
                        "crash": crash,
                    }
                )
            payload = json.dumps(results).encode("utf-8")
        except BaseException as exc:  # a MemoryError included: reported, not lost
            payload = json.dumps([{"crash": f"{type(exc).__name__}: {exc}"}]).encode()
            code = 1
        with contextlib.suppress(BaseException), os.fdopen(write, "wb") as pipe:
            pipe.write(payload)
        os._exit(code)
    os.close(write)
    chunks: list[bytes] = []
    deadline = time.monotonic() + KILL_AFTER
    with os.fdopen(read, "rb", buffering=0) as pipe:
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                os.kill(pid, signal.SIGKILL)
                os.waitpid(pid, 0)
                pytest.fail(f"planc hangs: still running after {KILL_AFTER:.0f} s: {commands}")
            ready, _, _ = select.select([pipe], [], [], left)
            if not ready:
                continue
            chunk = pipe.read(1 << 16)
            if not chunk:
                break
            chunks.append(chunk)
    _, status = os.waitpid(pid, 0)
    data = b"".join(chunks)
    assert data, f"the child died without a word (status {status}): out of memory? {commands}"
    results = json.loads(data)
    crashed = [r["crash"] for r in results if r.get("crash")]
    assert not crashed, f"planc crashed: {crashed}"
    return results


# --------------------------------------------------------------------------- reading reports

_LOCATION = re.compile(
    r"^(?P<file>[^\s:][^:\n]*?)(?::(?P<line>\d+):(?P<column>\d+))?: "
    r"(?P<severity>error|warning)\[(?P<code>[a-z-]+)\]: ",
    re.MULTILINE,
)


def _text_diagnostics(stderr: str) -> list[tuple[str, str, str, int | None]]:
    """(severity, code, file, line) of every diagnostic in a text report."""
    return [
        (m["severity"], m["code"], m["file"], int(m["line"]) if m["line"] else None)
        for m in _LOCATION.finditer(stderr)
    ]


def _check_reported(
    case: Case, found: Sequence[tuple[str, str, str | None, int | None]], what: str
) -> None:
    for expected in case.diagnostics:
        wanted = (expected.severity, expected.code, expected.file)
        lines = [line for *key, line in found if tuple(key) == wanted]
        assert lines, f"{what}: no {wanted} in {found}"
        if expected.line is not None:
            assert expected.line in lines, f"{what}: {wanted} at {lines}, not {expected.line}"
    errors = {(s, c, f) for s, c, f, _ in found if s == "error"}
    listed = {(d.severity, d.code, d.file) for d in case.diagnostics}
    assert errors <= listed, f"{what}: errors not expected: {sorted(errors - listed)}"


def _plain(results: dict[str, Any]) -> str:
    return str(results["stdout"]) + str(results["stderr"])


# --------------------------------------------------------------------------- the outputs are safe


def _normal(text: str) -> str:
    """Whitespace collapsed (HTML and Markdown show line breaks as spaces)."""
    return " ".join(text.split())


def _check_html(path: Path, shown: tuple[str, ...]) -> None:
    import html5lib

    parser = html5lib.HTMLParser(tree=html5lib.getTreeBuilder("etree"), namespaceHTMLElements=False)
    tree = parser.parse(path.read_bytes())
    tags = {element.tag for element in tree.iter() if isinstance(element.tag, str)}
    assert "script" not in tags, f"{path}: a <script> element"
    assert "img" not in tags, f"{path}: an <img> element"
    for element in tree.iter():
        handlers = [a for a in element.attrib if a.lower().startswith("on")]
        assert not handlers, f"{path}: event handler attributes {handlers}"
        for name, value in element.attrib.items():
            assert "javascript:" not in value.lower(), f"{path}: {name}={value!r}"
    text = _normal(" ".join(tree.itertext()))
    for wanted in shown:
        assert _normal(wanted) in text, f"{path} does not show {wanted!r} as text"


@cache
def _baseline_properties() -> frozenset[str]:
    """Every iCal property name a clean plan's feeds use (a hostile one may add none)."""
    return frozenset(_BASELINE)


_BASELINE: set[str] = set()


def _ics_names(calendar: Any) -> set[str]:
    names: set[str] = set()
    for component in calendar.walk():
        names.update(str(key).upper() for key in component)
    return names


ONCE = ("UID", "SUMMARY", "DESCRIPTION", "DTSTART", "DTEND", "SEQUENCE", "STATUS", "CLASS")


def _lines(text: str) -> str:
    """Line ends as one LF (iCal text holds a line break as an escaped LF)."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _check_ics(path: Path, plan: dict[str, Any], shown: tuple[str, ...]) -> None:
    import icalendar

    raw = path.read_bytes()
    assert raw.endswith(b"\r\n"), f"{path}: the last line does not end with CRLF"
    for number, line in enumerate(raw[:-2].split(b"\r\n"), 1):
        assert b"\r" not in line and b"\n" not in line, f"{path}:{number}: a bare CR or LF"
        assert len(line) <= 75, f"{path}:{number}: {len(line)} octets, not folded"
        assert not any(c < 0x20 and c != 0x09 for c in line), f"{path}:{number}: a control byte"
        try:  # folding splits lines between characters, never inside one
            line.decode("utf-8")
        except UnicodeDecodeError:
            pytest.fail(f"{path}:{number}: folded inside a UTF-8 character: {line!r}")
    calendar = icalendar.Calendar.from_ical(raw)
    workouts = sum(len(week["workouts"]) for week in plan["weeks"])
    events = calendar.walk("VEVENT")
    assert len(events) == workouts, f"{path}: {len(events)} events for {workouts} workouts"
    extra = _ics_names(calendar) - _baseline_properties()
    assert not extra, f"{path}: properties a clean plan does not have: {sorted(extra)}"
    if path.name != "plan.ics":
        return
    summaries = {w["uid"]: w["summary"] for week in plan["weeks"] for w in week["workouts"]}
    for event in events:  # each event is its workout, whole: nothing cut off or added
        twice = [key for key in ONCE if isinstance(event.get(key), list)]
        assert not twice, f"{path}: {twice} more than once in {event.get('UID')}"
        uid = str(event["UID"]).partition("@")[0]
        assert _lines(str(event["SUMMARY"])) == _lines(summaries[uid]), f"{path}: {uid}"
    values = [
        _lines(str(value))
        for component in calendar.walk()
        for value in component.values()
        if isinstance(value, str)
    ]
    for wanted in shown:
        assert any(_lines(wanted) in v for v in values), f"{path} does not carry {wanted!r}"


def _check_markdown(path: Path, plan: dict[str, Any], shown: tuple[str, ...]) -> None:
    from markdown_it import MarkdownIt

    text = path.read_text("utf-8")
    tokens = MarkdownIt("commonmark").enable("table").parse(text)
    raw_html = [t.content for t in tokens if t.type == "html_block"]
    raw_html += [c.content for t in tokens for c in (t.children or []) if c.type == "html_inline"]
    assert not raw_html, f"{path}: raw HTML passed through: {raw_html}"
    tables: list[list[int]] = []  # cells of each row, per table
    for token in tokens:
        if token.type == "table_open":
            tables.append([])
        elif token.type == "tr_open":
            tables[-1].append(0)
        elif token.type in ("th_open", "td_open"):
            tables[-1][-1] += 1
    assert all(len(set(rows)) == 1 for rows in tables), f"{path}: ragged tables {tables}"
    weeks_with_workouts = [w for w in plan["weeks"] if w["workouts"]]
    # the paces table, the weekly volume table, then one table per week with workouts
    assert len(tables) == 2 + len(weeks_with_workouts), f"{path}: {len(tables)} tables"
    assert len(tables[1]) == 1 + len(plan["weeks"]), f"{path}: weekly volume rows"
    for rows, week in zip(tables[2:], weeks_with_workouts, strict=True):
        assert len(rows) == 1 + len(week["workouts"]), f"{path}: week {week['index']} rows"
        assert rows[0] == 5, f"{path}: week {week['index']} has {rows[0]} columns"
    rendered = _normal(
        " ".join(c.content for t in tokens for c in (t.children or []) if c.type == "text")
    )
    for wanted in shown:
        assert _normal(wanted) in rendered, f"{path} does not show {wanted!r}"


def _strings(data: Any) -> Iterator[str]:
    if isinstance(data, str):
        yield data
    elif isinstance(data, dict):
        for value in data.values():
            yield from _strings(value)
    elif isinstance(data, list):
        for value in data:
            yield from _strings(value)


def _check_outputs(case: Case, out: Path) -> None:
    folders = [p for p in out.iterdir() if p.is_dir() and not p.name.startswith(".")]
    assert len(folders) == 1, f"one athlete folder expected in {out}: {folders}"
    folder = folders[0]
    plan = json.loads((folder / "plan.json").read_text("utf-8"))
    if case.weeks is not None:
        assert len(plan["weeks"]) == case.weeks, f"{len(plan['weeks'])} weeks"
    strings = set(_strings(plan))
    for wanted in case.shown:
        assert wanted in strings, f"plan.json does not have {wanted!r} exactly"
    _check_html(folder / "index.html", case.shown)
    _check_html(out / "index.html", case.shown)
    for feed in ("plan.ics", "busy.ics"):
        _check_ics(folder / feed, plan, case.shown)
    _check_markdown(folder / "plan.md", plan, case.shown)


# --------------------------------------------------------------------------- the cases


@pytest.fixture(scope="module", autouse=True)
def warm(tmp_path_factory: pytest.TempPathFactory) -> None:
    """Load planc's bundled library once before forking, and learn which iCal properties a
    clean plan has: each child then measures planc's own work on the case."""
    import icalendar

    work = tmp_path_factory.mktemp("baseline")
    athlete = work / "sam.yaml"
    shutil.copyfile(CORPUS / "byte-order-mark.yaml", athlete)
    result = _runner().invoke(
        main, ["build", str(athlete), "--out", str(work / "out"), "--today", TODAY, "--jobs", "1"]
    )
    assert result.exit_code == 0, result.output
    for feed in (work / "out").rglob("*.ics"):
        _BASELINE.update(_ics_names(icalendar.Calendar.from_ical(feed.read_bytes())))
    assert {"SUMMARY", "UID", "DTSTART"} <= _BASELINE


def _snapshot(root: Path) -> set[Path]:
    return {p for p in root.rglob("*")}


@pytest.mark.parametrize("source", corpus(), ids=lambda p: p.name)
def test_hostile_input(source: Path, tmp_path: Path, request: pytest.FixtureRequest) -> None:
    case = load_case(source)
    if case.xfail:
        request.applymarker(pytest.mark.xfail(reason=case.xfail, strict=True))
    work = tmp_path / "a" / "b" / "work"  # outputs must stay in work/out, even for ids with ../
    work.mkdir(parents=True)
    inputs = set(_materialize(case, work))
    before = _snapshot(tmp_path)
    common = ["--today", TODAY, "--color", "never"]
    check, build = _in_child(
        work,
        [
            ["check", case.target, *common],
            ["build", case.target, "--out", "out", "--jobs", "1", "--format", "json", *common],
        ],
    )
    for result, what in ((check, "check"), (build, "build")):
        output = _plain(result)
        assert "Traceback" not in output, f"{what}: a traceback:\n{output[-3000:]}"
        assert "internal error" not in output, f"{what}: {output[-3000:]}"
        assert result["exit"] == case.exit, f"{what} exited {result['exit']}:\n{output[-3000:]}"

    _check_reported(case, _text_diagnostics(check["stderr"]), "check")
    document = json.loads(build["stdout"])
    reported = document["diagnostics"]
    _check_reported(
        case,
        [(d["severity"], d["code"], d["file"], d["line"]) for d in reported],
        "build",
    )
    for d in reported:  # every problem names its file and line, and says how to fix it
        if d["severity"] == "error":
            assert d["file"] and d["line"], f"build: {d['code']} without a file and line: {d}"
            assert d["hint"], f"build: {d['code']} has no hint: {d}"
            assert len(d["message"]) < 500, f"build: a message of {len(d['message'])} chars"

    after = _snapshot(tmp_path)
    out = work / "out"
    strays = sorted(str(p) for p in after - before - inputs if out not in (p, *p.parents))
    assert not strays, f"written outside the output folder: {strays}"
    if case.exit != 0:
        written = sorted(
            str(p.relative_to(out))
            for p in (out.rglob("*") if out.exists() else ())
            if p.is_file() and not p.name.startswith(".planc-lock")
        )
        assert not written, f"a failed build wrote {written}"
    else:
        assert document["build"]["athletes"] == 1, document["build"]
        _check_outputs(case, out)


# --------------------------------------------------------------------------- the corpus itself


def test_the_corpus_has_at_least_forty_cases() -> None:
    assert len(corpus()) >= 40


@pytest.mark.parametrize("source", corpus(), ids=lambda p: p.name)
def test_every_case_says_what_it_shows_and_what_planc_must_do(source: Path) -> None:
    case = load_case(source)  # asserts one `exit` and an error for every failing case
    files: Iterator[Path] = iter(())
    if source.is_dir():
        files = iter(sorted(source.rglob("*")))
    elif not case.recipe:
        files = iter([source])
    for path in files:
        if path.is_file():
            assert path.suffix == ".yaml", f"{path.name}: inputs are *.yaml"
            data = path.read_bytes()
            text = data.decode("utf-16") if data.startswith(b"\xff\xfe") else data.decode("latin-1")
            first = text.removeprefix("\xef\xbb\xbf").split("\n", 1)[0]
            assert first.startswith("# ") and len(first) > 12, f"{path.name}: {first!r}"
    if case.recipe:
        assert set(case.recipe) == {"what", "expect", "parts"}, sorted(case.recipe)
        assert source.stat().st_size < 4096, "a recipe is small: it makes the big input"


# --------------------------------------------------------------------------- the output folder


def _build_into(work: Path) -> list[dict[str, Any]]:
    shutil.copyfile(CORPUS / "byte-order-mark.yaml", work / "sam.yaml")
    args = ["build", "sam.yaml", "--out", "out", "--jobs", "1", "--today", TODAY]
    return _in_child(work, [[*args, "--color", "never"]])


def test_an_athlete_folder_symlinked_outside_is_not_written_through(tmp_path: Path) -> None:
    work, elsewhere = tmp_path / "work", tmp_path / "elsewhere"
    (work / "out").mkdir(parents=True)
    elsewhere.mkdir()
    (work / "out" / "sam-carter").symlink_to(elsewhere, target_is_directory=True)
    (result,) = _build_into(work)
    assert sorted(elsewhere.iterdir()) == [], "wrote through a symlink out of the output folder"
    assert result["exit"] == 1, _plain(result)


def test_an_output_file_symlinked_outside_is_a_diagnostic(tmp_path: Path) -> None:
    work, elsewhere = tmp_path / "work", tmp_path / "elsewhere"
    (work / "out").mkdir(parents=True)
    elsewhere.mkdir()
    (work / "out" / "index.html").symlink_to(elsewhere / "index.html")
    (result,) = _build_into(work)
    assert sorted(elsewhere.iterdir()) == [], "wrote through a symlink out of the output folder"
    assert "internal error" not in _plain(result)
    assert result["exit"] == 1, _plain(result)
