"""Fuzzing the front end and the compiler (hypothesis): whatever the input, planc answers with a
plan or with its own diagnostics, never with another exception.

- YAML-ish text (keys, colons, indentation, dashes, quotes, anchors and aliases, tags, flow
  collections, block scalars, Jinja, unicode, control characters), and valid documents with
  such text spliced in, go through load -> validate -> resolve (``load_project``, what
  ``planc check`` runs): every problem is a PlanError carrying Diagnostics with a file and a line.
- Athlete profiles valid against ``schemas/athlete.schema.json`` (generated from its
  constraints, with hostile names and extreme dates and sizes) compile to a plan whose outputs can
  all be emitted, or to diagnostics.

60 examples per property by default; ``PLANC_PROPERTY_EXAMPLES=1000`` for a deeper search.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import tempfile
import zoneinfo
from collections.abc import Iterable
from functools import cache
from pathlib import Path
from typing import Any

from hang_guard import hang_guard
from hypothesis import HealthCheck, assume, event, given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator

from compiler.api import compile_plan, load_project, plan_files
from compiler.diagnostics import Diagnostic, PlanError
from compiler.model import WEEKDAYS
from compiler.plan.paces import race_time
from compiler.resources import examples_dir, templates_dir
from compiler.sandbox import MAX_OUTPUT, RenderError, render, syntax_error, variables
from compiler.sources import yaml_compose
from compiler.sources.load import load_text
from compiler.sources.validate import schema_for, validate_document

TODAY = dt.date(2026, 11, 22)
STAMP = dt.datetime(2026, 11, 22, 6, 0, tzinfo=dt.UTC)
WHOLE_FILE = {"empty-file", "io"}  # the codes about a file as a whole: no line

SETTINGS = settings(
    max_examples=int(os.environ.get("PLANC_PROPERTY_EXAMPLES", "60")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)


def assert_located(diagnostics: Iterable[Diagnostic], file: str | None = None) -> None:
    """Every diagnostic names a file and (unless it is about the whole file) a line."""
    found = list(diagnostics)
    assert found, "a PlanError without diagnostics"
    for d in found:
        assert d.file, d
        assert file is None or d.file == file, d
        if d.code not in WHOLE_FILE:
            assert d.line is not None and d.line >= 1, d
            assert d.column is not None and d.column >= 1, d
        assert d.message and len(d.message) < 2000, d


# --------------------------------------------------------------------------- YAML-ish text

KEYS = [
    "kind", "id", "name", "title", "description", "category", "intensity", "steps", "run",
    "repeat", "note", "params", "reps", "start", "end", "step", "race", "program", "date",
    "focus", "fitness", "weekly_volume", "long_run", "availability", "days", "long_run_day",
    "away", "from", "to", "timezone", "units", "defaults", "easy", "long", "quality", "phases",
    "extends", "<<", "?", "x", "", "é", "日本", "\u202e", "a b", "1", "null", "true",
]  # fmt: skip
SCALARS = [
    "athlete", "workout", "focus", "phase", "program", "sam", "easy-run", "half-marathon",
    "balanced", "km", "mi", "monday", "sunday", "Europe/London", "2027-03-07", "2027-02-30",
    "0001-01-01", "9999-12-31", '"52:30"', "30km", "0km", "1e999", ".inf", ".nan", "0x1F",
    "9" * 60, "-1", "3.5", "fill @ easy", "400m @ 5k", "15min", '"{{ reps }}"',
    '"{{ x.__class__ }}"',
    "'{% for a in b %}'", "[a, b]", "{a: 1}", "~", "null", "yes", "''", '""', "'it''s'",
    '"\\x00"', '"\\e"', '"\\ud800"', '"\\ud83c\\udfc3"', "|", ">-", "&a x", "*a", "!!str x",
    "!!python/object:os.system x", "!custom x", "<script>", "a\tb",
]  # fmt: skip
PIECES = [
    ":", ": ", " ", "  ", "\t", "\n", "\r\n", "\r", "- ", "-", "[", "]", "{", "}", ",", "'", '"',
    "#", "&a ", "*a", "*b", "!!", "!", "%YAML 1.2\n", "%TAG ! tag:x,2024:\n", "---\n", "...\n",
    "? ", "|\n", ">\n", "{{", "}}", "{%", "%}", "\\", "\ufeff", "\x00", "\x1b", "\x85", "\u2028",
    "é", "日", "🏃",
]  # fmt: skip


@st.composite
def yaml_lines(draw: st.DrawFn) -> str:
    """Lines that look like YAML: indentation, an optional dash, a key and a value."""
    lines = []
    for _ in range(draw(st.integers(1, 25))):
        indent = " " * draw(st.sampled_from([0, 0, 2, 4, 6, 1, 3]))
        dash = draw(st.sampled_from(["", "", "- "]))
        key = draw(st.sampled_from(KEYS) | st.text(max_size=8))
        value = draw(st.sampled_from(SCALARS) | st.text(max_size=12) | st.just(""))
        anchor = draw(st.sampled_from(["", "", "", "&a ", "&b ", "!!str ", "!x "]))
        sep = draw(st.sampled_from([": ", ": ", ":", " : ", ":\t"]))
        lines.append(f"{indent}{dash}{key}{sep}{anchor}{value}")
    return draw(st.sampled_from(["\n", "\n", "\r\n"])).join(lines) + draw(
        st.sampled_from(["\n", ""])
    )


yaml_soup = st.lists(
    st.sampled_from(PIECES)
    | st.sampled_from(KEYS)
    | st.sampled_from(SCALARS)
    | st.text(max_size=4),
    max_size=60,
).map("".join)
yaml_text = yaml_lines() | yaml_soup | st.text(max_size=200)


@cache
def valid_documents() -> tuple[str, ...]:
    """Real documents to mutate: an athlete, workouts, a focus, a phase, a program."""
    texts = [(examples_dir() / "half-marathon.yaml").read_text("utf-8")]
    for relative in (
        "workouts/short-intervals.yaml",
        "workouts/progression-run.yaml",
        "workouts/strength-routine.yaml",
        "foci/balanced.yaml",
        "phases/build.yaml",
        "programs/10k.yaml",
    ):
        texts.append((templates_dir() / relative).read_text("utf-8"))
    return tuple(texts)


@st.composite
def mutated_documents(draw: st.DrawFn) -> str:
    """A valid document with YAML-ish text spliced in, lines dropped, doubled or swapped."""
    text = draw(st.sampled_from(valid_documents()))
    for _ in range(draw(st.integers(1, 4))):
        action = draw(st.sampled_from(["insert", "delete", "double", "swap", "replace"]))
        lines = text.split("\n")
        index = draw(st.integers(0, max(len(lines) - 1, 0)))
        if action == "insert":
            at = draw(st.integers(0, len(text)))
            text = text[:at] + draw(yaml_soup | st.sampled_from(SCALARS)) + text[at:]
            continue
        if action == "delete" and len(lines) > 1:
            del lines[index]
        elif action == "double":
            lines.insert(index, lines[index])
        elif action == "swap" and len(lines) > 1:
            other = draw(st.integers(0, len(lines) - 1))
            lines[index], lines[other] = lines[other], lines[index]
        elif action == "replace" and ": " in lines[index]:
            key = lines[index].split(": ", 1)[0]
            lines[index] = f"{key}: {draw(st.sampled_from(SCALARS) | yaml_soup)}"
        text = "\n".join(lines)
    return text


def check_text(text: str, name: str = "fuzz.yaml") -> None:
    """load -> validate on the text itself, then load_project (what `planc check` runs) on it as a
    file: planc's diagnostics or nothing, never another exception."""
    try:
        doc = load_text(text, name)
    except PlanError as exc:
        assert_located(exc.diagnostics, name)
    else:
        problems = validate_document(doc)
        if problems:
            assert_located(problems, name)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / name
        path.write_bytes(text.encode("utf-8", errors="surrogatepass"))
        project = load_project([path], today=TODAY)
    if project.diagnostics:
        assert_located(project.diagnostics)
    for blueprint in project.blueprints:
        compile_and_emit(blueprint)


def compile_and_emit(blueprint: Any) -> None:
    try:
        plan = compile_plan(blueprint, TODAY)
    except PlanError as exc:
        assert_located(exc.diagnostics)
        return
    files = plan_files(plan, stamp=STAMP, domain="fuzz.invalid", today=TODAY)
    assert set(files) == {"plan.ics", "busy.ics", "plan.md", "index.html", "plan.json"}
    json.loads(files["plan.json"])


@SETTINGS
@given(yaml_text)
def test_yaml_ish_text_gets_diagnostics_not_exceptions(text: str) -> None:
    check_text(text)


@SETTINGS
@given(mutated_documents())
def test_mutated_documents_get_diagnostics_not_exceptions(text: str) -> None:
    check_text(text)


def _outcome(text: str) -> Any:
    try:
        return load_text(text, "fuzz.yaml")
    except PlanError as exc:
        return exc.diagnostics


def _both_parsers(text: str) -> tuple[Any, Any]:
    """load_text's outcome with libyaml's fast path, and with the pure parser alone."""
    fast = _outcome(text)
    original = yaml_compose._compose_fast
    yaml_compose._compose_fast = lambda text: None
    try:
        pure = _outcome(text)
    finally:
        yaml_compose._compose_fast = original
    return fast, pure


@SETTINGS
@given(yaml_text | mutated_documents())
def test_the_fast_parser_gives_what_the_pure_parser_gives(text: str) -> None:
    """libyaml composes well-formed files, ruamel's pure parser the rest: the same document
    (data and every position) or the same diagnostics either way."""
    fast, pure = _both_parsers(text)
    assert fast == pure


def test_the_fast_parser_agrees_on_every_file_of_the_repository() -> None:
    root = Path(__file__).resolve().parent
    files = [
        *sorted(templates_dir().rglob("*.yaml")),
        *sorted(examples_dir().rglob("*.yaml")),
        *sorted((root / "cases").rglob("*.yaml")),
    ]
    assert len(files) > 200
    used = 0
    for path in files:
        try:
            text = path.read_bytes().decode("utf-8")
        except UnicodeDecodeError:
            continue
        if len(text) > 100_000:
            continue
        used += yaml_compose._compose_fast(text) is not None
        fast, pure = _both_parsers(text)
        assert fast == pure, path
    assert used > 150  # the fast path is what reads well-formed files


@SETTINGS
@given(st.binary(max_size=300))
def test_any_bytes_get_diagnostics_not_exceptions(data: bytes) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "bytes.yaml"
        path.write_bytes(data)
        project = load_project([path], today=TODAY)
    if project.diagnostics:
        assert_located(project.diagnostics)


# --------------------------------------------------------------------------- Jinja text

JINJA = [
    "{{", "}}", "{%", "%}", "{#", "#}", " ", "'x'", '"%s"', "'{0}'", "'{:>99}'", "10", "9", "2",
    "0", "-1", "1.5", "1e308", "*", "**", "+", "-", "/", "//", "%", "~", "(", ")", "[", "]",
    "{", "}", ",", ":", ".", "|", "reps", "athlete", "week", "phase", "pace", "pace('easy')",
    "__class__", "__mro__", "__globals__", "mro", "format", "format_map", "replace", "join",
    "upper", "ljust", "length", "attr", "center", "truncate", "int", "string", "default", "if",
    "else", "elif", "endif", "for", "in", "endfor", "set", "macro", "endmacro", "self", "loop",
    "range", "lipsum", "not", "and", "or", "is", "true", "none", "=", "==", "\n",
]  # fmt: skip
ATOMS = [
    "reps", "athlete", "week", "'x'", "'{0.__class__}'", "'%999999s'", "10", "9", "2", "1.5",
    "-3", "[1, 2]", "('a', 'b')", "{'a': 1}", "pace('easy')", "self", "range", "none",
]  # fmt: skip
OPERATORS = ["*", "**", "+", "%", "~", "//"]
FILTERS = [
    "upper", "length", "string", "int", "attr('__class__')", "replace('x', 'xxxx')",
    "join('yy')", "truncate(5)", "format(1)", "center(9)",
]  # fmt: skip
ATTRIBUTES = [
    "__class__", "upper()", "format(1)", "format_map({})", "replace('x', 'yy')", "ljust(99)",
    "split()", "mro", "items()",
]  # fmt: skip
expressions = st.recursive(
    st.sampled_from(ATOMS),
    lambda inner: st.one_of(
        st.builds("({} {} {})".format, inner, st.sampled_from(OPERATORS), inner),
        st.builds("{}|{}".format, inner, st.sampled_from(FILTERS)),
        st.builds("{}.{}".format, inner, st.sampled_from(ATTRIBUTES)),
        st.builds("{}[{}]".format, inner, inner),
        st.builds("({} if {} else {})".format, inner, inner, inner),
    ),
    max_leaves=12,
)
jinja_text = (
    st.lists(st.sampled_from(JINJA), max_size=40).map(" ".join)
    | st.lists(st.sampled_from(JINJA), max_size=40).map("".join)
    | expressions.map("{{{{ {} }}}}".format)
    | st.builds("{{% if {} %}}{{{{ {} }}}}{{% endif %}}".format, expressions, expressions)
)


@SETTINGS
@given(jinja_text)
def test_jinja_text_renders_or_is_refused_quickly(text: str) -> None:
    """Any text: a Jinja syntax error, a RenderError, or at most MAX_OUTPUT characters, never
    another exception, and never a hang (the sandbox's limits stop runaway loops)."""
    context = {"reps": 6, "athlete": "Sam", "week": 1, "phase": "build", "pace": lambda z: "4:30"}
    with hang_guard(f"rendering {text!r}"):
        syntax_error(text)
        variables(text)
        try:
            rendered = render(text, context)
        except RenderError as exc:
            assert str(exc)
        else:
            assert len(rendered) <= MAX_OUTPUT


# --------------------------------------------------------------------------- schema-valid athletes


@cache
def athlete_validator() -> Draft202012Validator:
    return Draft202012Validator(
        schema_for("athlete"), format_checker=Draft202012Validator.FORMAT_CHECKER
    )


@cache
def time_zones() -> tuple[str, ...]:
    return tuple(sorted(zoneinfo.available_timezones()))


slug = st.from_regex(r"\A[a-z0-9][a-z0-9-]{0,20}\Z")
HOSTILE = [
    "Sam Carter",
    "<script>alert(1)</script>",
    "Sam\r\nATTENDEE:mailto:x@example.com",
    "a;b,c\\d:e",
    "| x | y |",
    "\u202eevil",
    "🏃 李",
    "x" * 100,
    " ",
]
hostile_text = st.sampled_from(HOSTILE) | st.text(min_size=1, max_size=40)


def dates(near: dt.date = TODAY) -> st.SearchStrategy[dt.date]:
    """Mostly near ``near``, sometimes anywhere a date can be."""
    close = st.integers(-60, 400).map(lambda days: near + dt.timedelta(days=days))
    return close | close | st.dates(dt.date(1, 1, 1), dt.date(9999, 12, 31))


def distance() -> st.SearchStrategy[str]:
    number = st.sampled_from([0, 0.5, 1, 5, 10, 21.0975, 30, 42.195, 100, 350, 351, 10**6])
    return st.builds(
        lambda n, unit: f"{n:g}{unit}",
        number | st.floats(0, 1e6, allow_nan=False),
        st.sampled_from(["m", "km", "mi"]),
    )


def clock() -> st.SearchStrategy[str]:
    return st.builds(
        lambda h, m, s: (f"{h}:" if h is not None else "") + f"{m:02d}:{s:02d}",
        st.none() | st.integers(0, 30),
        st.integers(0, 59),
        st.integers(0, 59),
    )


MIN_WEEKS = {"5k": 7, "10k": 8, "half-marathon": 7, "marathon": 11}
FIRST_MONDAY = dt.date(2026, 11, 30)
printable = st.characters(blacklist_categories=("Cc", "Cs")) | st.sampled_from("\t\r\n")
names = st.sampled_from(HOSTILE) | st.text(printable, min_size=1, max_size=40)  # all shown as text


@st.composite
def plausible_profiles(draw: st.DrawFn) -> dict[str, Any]:
    """An athlete a coach could have: a program, a race it fits, days, paces, volumes."""
    program = draw(st.sampled_from(sorted(MIN_WEEKS)))
    start = FIRST_MONDAY + dt.timedelta(weeks=draw(st.integers(0, 8)))
    weeks = draw(st.integers(MIN_WEEKS[program], 52))
    race = start + dt.timedelta(weeks=weeks - 1, days=draw(st.integers(0, 6)))
    days = draw(st.lists(st.sampled_from(WEEKDAYS), min_size=1, max_size=7, unique=True))
    recent_m = draw(st.sampled_from([5000, 10000, 21097.5, 42195]))
    seconds = round(race_time(draw(st.floats(31, 84)), recent_m))
    volume_km = draw(st.integers(5, 150))
    return {
        "kind": "athlete",
        "id": draw(slug),
        "name": draw(names),
        "timezone": draw(st.sampled_from(["Europe/London", "America/New_York", "Asia/Kathmandu"])),
        "units": draw(st.sampled_from(["km", "mi"])),
        "race": {"program": program, "date": race.isoformat(), "name": draw(names)},
        "focus": draw(st.sampled_from(["speed", "endurance", "balanced"])),
        "start": start.isoformat(),
        "fitness": {
            "recent_race": {
                "distance": f"{recent_m / 1000:g}km",
                "time": f"{seconds // 3600}:{seconds % 3600 // 60:02d}:{seconds % 60:02d}",
            },
            "weekly_volume": f"{volume_km}km",
            "long_run": f"{volume_km * draw(st.floats(0.1, 0.6)):.1f}km",
        },
        "availability": {"days": days, "long_run_day": draw(st.sampled_from(days))},
    }


def _twist(draw: st.DrawFn, profile: dict[str, Any]) -> None:
    """One schema-valid but extreme change to a profile."""
    twist = draw(
        st.sampled_from(
            [
                "name", "race-name", "timezone", "race-date", "start", "no-start", "week-start",
                "days", "long-run-day", "start-times", "volume", "long-run", "max-volume",
                "recent-race", "goal", "recovery", "injury", "strength", "away", "calendar",
                "program", "focus",
            ]
        )
    )  # fmt: skip
    fitness, availability = profile["fitness"], profile["availability"]
    if twist == "name":
        profile["name"] = draw(hostile_text)
    elif twist == "race-name":
        profile["race"]["name"] = draw(hostile_text)
    elif twist == "timezone":
        profile["timezone"] = draw(st.sampled_from(time_zones()) | st.just("Mars/Base"))
    elif twist == "race-date":
        profile["race"]["date"] = draw(dates()).isoformat()
    elif twist == "start":
        profile["start"] = draw(dates()).isoformat()
    elif twist == "no-start":
        profile.pop("start", None)
    elif twist == "week-start":
        profile["week_start"] = draw(st.sampled_from(WEEKDAYS))
    elif twist == "days":
        availability["days"] = draw(
            st.lists(st.sampled_from(WEEKDAYS), min_size=1, max_size=7, unique=True)
        )
        availability["long_run_day"] = draw(st.sampled_from(availability["days"]))
    elif twist == "long-run-day":
        availability["long_run_day"] = draw(st.sampled_from(WEEKDAYS))
    elif twist == "start-times":
        chosen = draw(st.lists(st.sampled_from(WEEKDAYS), max_size=7, unique=True))
        availability["start_times"] = {
            day: f"{draw(st.integers(0, 23)):02d}:{draw(st.integers(0, 59)):02d}" for day in chosen
        }
    elif twist == "volume":
        fitness["weekly_volume"] = draw(distance())
    elif twist == "long-run":
        fitness["long_run"] = draw(distance())
    elif twist == "max-volume":
        profile["max_weekly_volume"] = draw(distance())
    elif twist == "recent-race":
        fitness["recent_race"] = {"distance": draw(distance()), "time": draw(clock())}
        if draw(st.booleans()):
            fitness["recent_race"]["date"] = draw(dates()).isoformat()
    elif twist == "goal":
        profile["race"]["goal"] = draw(clock())
    elif twist == "recovery":
        profile["race"]["recovery"] = draw(st.booleans())
    elif twist == "injury":
        profile["injury_prone"] = draw(st.booleans())
    elif twist == "strength":
        profile["strength_per_week"] = draw(st.integers(0, 4))
    elif twist == "away":
        away = []
        for _ in range(draw(st.integers(0, 6))):
            first = draw(dates(dt.date.fromisoformat(profile.get("start", TODAY.isoformat()))))
            entry: dict[str, Any] = {"from": first.isoformat()}
            if draw(st.booleans()):
                entry["to"] = (first + dt.timedelta(days=draw(st.integers(-3, 400)))).isoformat()
            if draw(st.booleans()):
                entry["note"] = draw(hostile_text)
            away.append(entry)
        profile["away"] = away
    elif twist == "calendar":
        calendar: dict[str, Any] = {}
        if draw(st.booleans()):
            calendar["alarm"] = draw(st.sampled_from(["30min", "1h", "0s", "999h", "1.5h 30s"]))
        if draw(st.booleans()):
            calendar["color"] = draw(st.from_regex(r"\A#[0-9A-Fa-f]{6}\Z"))
        profile["calendar"] = calendar
    elif twist == "program":
        profile["race"]["program"] = draw(st.sampled_from(sorted(MIN_WEEKS)) | slug)
    elif twist == "focus":
        profile["focus"] = draw(st.sampled_from(["speed", "endurance", "balanced"]) | slug)


@st.composite
def athlete_profiles(draw: st.DrawFn) -> dict[str, Any]:
    """A plausible athlete with a few extreme (schema-valid) values."""
    profile = draw(plausible_profiles())
    for _ in range(draw(st.integers(0, 3))):
        _twist(draw, profile)
    return profile


@SETTINGS
@given(athlete_profiles())
def test_schema_valid_athletes_compile_or_get_diagnostics(profile: dict[str, Any]) -> None:
    assume(athlete_validator().is_valid(profile))
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "athlete.yaml"
        path.write_text(json.dumps(profile), "utf-8")  # JSON is YAML
        project = load_project([path], today=TODAY)
    if project.diagnostics:
        assert_located(project.diagnostics)
    if not project.ok:
        event("diagnosed: " + ", ".join(sorted({d.code for d in project.diagnostics})))
        assert not project.blueprints
        return
    (blueprint,) = project.blueprints
    event("compiled")
    compile_and_emit(blueprint)
