"""The bundled library: every template and example validates, is named after its file, and only
refers to templates that exist.

Files are found by glob, so a new template or example is covered without touching this file.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from diag_helpers import load_file
from jinja2 import StrictUndefined, meta
from jinja2.sandbox import ImmutableSandboxedEnvironment
from jsonschema import Draft202012Validator
from ruamel.yaml import YAML

from compiler.model import WEEKDAYS, ZONES
from compiler.plan.resolve import FOLDERS
from compiler.sources.compose import merge
from compiler.sources.load import load_text
from compiler.sources.validate import validate_document

ROOT = Path(__file__).resolve().parent.parent
SCHEMAS = ROOT / "schemas"
TEMPLATES = ROOT / "templates"
EXAMPLES = ROOT / "examples"

KINDS = ("workout", "phase", "focus", "program", "athlete")
KIND_DIRS = {"workout": "workouts", "phase": "phases", "focus": "foci", "program": "programs"}
MODELINE = re.compile(r"^# yaml-language-server: \$schema=(?P<path>\S+)\s*$")
STEP_KINDS = ("warmup", "run", "recover", "walk", "jog", "cooldown")
# What Jinja sees besides a workout's params; title and description also see distance/duration.
JINJA_NAMES = (
    "athlete",
    "phase",
    "week",
    "phase_weeks",
    "units",
    "race_distance",
    "race_priority",
    "after",
    "pace",
    "pace_name",
)
SUMMARY_NAMES = ("distance", "duration", "minutes")

FILES = sorted(
    path
    for folder in (TEMPLATES, EXAMPLES)
    for pattern in ("*.yaml", "*.yml")
    for path in folder.rglob(pattern)
    if not path.is_relative_to(EXAMPLES / "ci")  # CI workflow recipes, not planc documents
    and path.name != "planc.yaml"  # a project file (tests/test_project.py), not a document
)

# The bundled library and the top-level examples; examples/coach-repo/ is a coach's repository
# (its own templates, some built with `extends`), checked by compiling it (test_examples.py).
LIBRARY = [p for p in FILES if p.is_relative_to(TEMPLATES) or p.parent == EXAMPLES]


def _rel(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()


def _plain(value: Any) -> Any:
    """YAML dates load as datetime.date; planc keeps dates as ISO strings."""
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_plain(item) for item in value]
    if isinstance(value, dt.date):  # also datetime.datetime
        return value.isoformat()
    return value


@cache
def load(path: Path) -> Any:
    return _plain(YAML(typ="safe").load(path.read_text(encoding="utf-8")))


@cache
def validator(kind: str) -> Draft202012Validator:
    schema = json.loads((SCHEMAS / f"{kind}.schema.json").read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)


def documents(kind: str) -> dict[str, dict[str, Any]]:
    """The library's documents of one kind by name (athletes by id)."""
    found: dict[str, dict[str, Any]] = {}
    for path in LIBRARY:
        try:
            doc = load(path)
        except Exception:  # reported by test_file_is_a_yaml_document_of_a_known_kind
            continue
        if isinstance(doc, dict) and doc.get("kind") == kind:
            found[str(doc.get("id" if kind == "athlete" else "name"))] = doc
    return found


def params(doc: dict[str, Any]) -> dict[str, Any]:
    return doc.get("params") or {}


def walk_steps(steps: list[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    for step in steps:
        yield step
        yield from walk_steps(step.get("steps") or [])


def as_list(value: str | list[str] | None) -> list[str]:
    if value is None:
        return []
    return [value] if isinstance(value, str) else list(value)


def focus_phase(focus: dict[str, Any], phase: str) -> dict[str, Any]:
    """The focus's choices for a phase, each missing one taken from its defaults."""
    own = (focus.get("phases") or {}).get(phase) or {}
    merged = {key: own.get(key, value) for key, value in focus["defaults"].items()}
    merged.update(own)
    if "quality" not in own:
        merged.pop("quality", None)  # quality slots are per phase
    return merged


def program_phases() -> set[str]:
    return {
        entry["phase"] for program in documents("program").values() for entry in program["phases"]
    }


# --------------------------------------------------------------------------- every file


def test_the_library_is_found() -> None:
    kinds = {kind for kind in KINDS if documents(kind)}
    assert set(KINDS) <= kinds, f"missing kinds: {set(KINDS) - kinds}"
    assert any(path.is_relative_to(EXAMPLES) for path in FILES)


@pytest.mark.parametrize("path", FILES, ids=_rel)
def test_file_is_a_yaml_document_of_a_known_kind(path: Path) -> None:
    assert path.suffix == ".yaml", f"{_rel(path)}: name YAML files *.yaml"
    doc = load(path)
    assert isinstance(doc, dict), f"{_rel(path)}: a document is a mapping"
    assert doc.get("kind") in KINDS, f"{_rel(path)}: kind must be one of {KINDS}"


@pytest.mark.parametrize("path", FILES, ids=_rel)
def test_first_line_is_a_modeline_for_the_schema_of_its_kind(path: Path) -> None:
    first = path.read_text(encoding="utf-8").splitlines()[0]
    match = MODELINE.match(first)
    assert match, f"{_rel(path)}: first line must be '# yaml-language-server: $schema=<path>'"
    target = match["path"]
    assert "://" not in target and not target.startswith("/"), f"{target}: use a relative path"
    schema = (path.parent / target).resolve()
    assert schema.is_file(), f"{_rel(path)}: {target} does not exist"
    kind = load(path)["kind"]
    assert schema == SCHEMAS / f"{kind}.schema.json", (
        f"{_rel(path)}: {target} is not the {kind} schema"
    )


@pytest.mark.parametrize("path", FILES, ids=_rel)
def test_file_validates_against_its_schema(path: Path) -> None:
    doc = load(path)
    if "extends" in doc:
        return  # validated once composed with what it extends: `planc check` in test_examples
    errors = sorted(validator(doc["kind"]).iter_errors(doc), key=lambda e: list(e.absolute_path))
    messages = [f"/{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in errors]
    assert not messages, f"{_rel(path)}:\n" + "\n".join(messages)


@pytest.mark.parametrize("path", FILES, ids=_rel)
def test_name_is_the_file_name_and_templates_live_in_their_folder(path: Path) -> None:
    doc = load(path)
    kind = doc["kind"]
    if kind == "athlete":
        assert doc["id"] == path.stem, f"{_rel(path)}: id must be {path.stem!r}"
        return
    assert doc["name"] == path.stem, f"{_rel(path)}: name must be {path.stem!r}"
    assert path.parent.name == KIND_DIRS[kind] and path.parent.parent.name == "templates", (
        f"{_rel(path)}: a {kind} goes in templates/{KIND_DIRS[kind]}/"
    )


@pytest.mark.parametrize(
    "path",
    [p for p in FILES if p.is_relative_to(EXAMPLES) and "templates" not in p.parts],
    ids=_rel,
)
def test_examples_are_athletes(path: Path) -> None:
    assert load(path)["kind"] == "athlete"


# --------------------------------------------------------------------------- references


def test_focus_references_exist() -> None:
    workouts, phases = documents("workout"), documents("phase")
    for name, focus in documents("focus").items():
        choices = [focus["defaults"], *(focus.get("phases") or {}).values()]
        for phase in focus.get("phases") or {}:
            assert phase in phases, f"focus {name}: no phase template {phase!r}"
        for choice in choices:
            for key, value in choice.items():
                names = (
                    [n for slot in value for n in as_list(slot)]
                    if key == "quality"
                    else as_list(value)
                )
                for workout in names:
                    assert workout in workouts, f"focus {name}: {key}: no workout {workout!r}"


def test_program_references_exist() -> None:
    workouts, phases = documents("workout"), documents("phase")
    for name, program in documents("program").items():
        for entry in program["phases"]:
            assert entry["phase"] in phases, f"program {name}: no phase template {entry['phase']!r}"
        race = program.get("race_workout", "race")
        assert race in workouts, f"program {name}: no race workout {race!r}"
        assert workouts[race]["category"] == "race", f"program {name}: {race} is not a race"


def _chosen(athlete: dict[str, Any]) -> dict[str, Any]:
    """What drives the athlete's plan: the race, the A race of ``races:``, or the block."""
    if "race" in athlete:
        return dict(athlete["race"])
    if "races" in athlete:
        return dict(next(r for r in athlete["races"] if r.get("priority") == "A"))
    return dict(athlete["block"])


def test_athlete_references_exist() -> None:
    programs, foci = documents("program"), documents("focus")
    for name, athlete in documents("athlete").items():
        chosen = _chosen(athlete)
        assert chosen["program"] in programs, f"athlete {name}: unknown program"
        # a block's program is a block, a race's is not
        assert bool(programs[chosen["program"]].get("block")) == ("block" in athlete), name
        assert athlete["focus"] in foci, f"athlete {name}: unknown focus"


# --------------------------------------------------------------------------- coaching rules


@pytest.mark.parametrize("focus_name", sorted(documents("focus")))
def test_focus_puts_only_allowed_workouts_in_each_phase(focus_name: str) -> None:
    """Every workout a focus uses in a phase (its own choices or the defaults) has a category the
    phase allows; the long run only counts where the phase has one, strength likewise."""
    focus, workouts, phases = (
        documents("focus")[focus_name],
        documents("workout"),
        documents("phase"),
    )
    for phase_name in sorted(program_phases() | set(focus.get("phases") or {})):
        phase = phases[phase_name]
        week = phase.get("week") or {}
        choice = focus_phase(focus, phase_name)
        used = [n for slot in choice.get("quality", []) for n in as_list(slot)]
        used += as_list(choice.get("easy")) + as_list(choice.get("recovery"))
        if week.get("long_run", True):
            used += as_list(choice.get("long"))
        if week.get("strength", True):
            used += as_list(choice.get("strength"))
        for workout in used:
            category = workouts[workout]["category"]
            assert category in phase["allowed_categories"], (
                f"focus {focus_name}: {workout} ({category}) is not allowed in {phase_name}"
            )


@pytest.mark.parametrize("focus_name", sorted(documents("focus")))
def test_focus_fills_every_quality_session(focus_name: str) -> None:
    focus, phases = documents("focus")[focus_name], documents("phase")
    for phase_name in sorted(program_phases()):
        week = phases[phase_name].get("week") or {}
        wanted = max(
            week.get("quality_sessions", 0),
            week.get("quality_sessions_injury_prone", 0),
            week.get("quality_sessions_raced", 0),
        )
        slots = focus_phase(focus, phase_name).get("quality", [])
        assert len(slots) >= wanted, (
            f"focus {focus_name}: {phase_name} has {wanted} quality sessions, {len(slots)} slots"
        )


def test_base_has_no_speed_work() -> None:
    """The base is volume, no speed work, but for one light session a week of a runner with a
    recent race (`quality_sessions_raced`, intervals: the foci's fartlek), and none for the
    injury-prone."""
    base = documents("phase")["base"]
    assert set(base["allowed_categories"]) <= {
        "easy",
        "long",
        "recovery",
        "strides",
        "intervals",
        "strength",
        "rest",
    }
    assert base["week"]["quality_sessions"] == 0
    assert base["week"]["quality_sessions_injury_prone"] == 0
    assert base["week"]["quality_sessions_raced"] <= 1
    for focus in documents("focus").values():
        # the light sessions take turns, one a week (round 22: the focus shows in the base)
        slots = focus_phase(focus, "base").get("quality", [])
        assert {n for slot in slots for n in slot} <= {"light-fartlek", "light-hills"}


@pytest.mark.parametrize("program_name", sorted(documents("program")))
def test_program_layout(program_name: str) -> None:
    program, phases, workouts = (
        documents("program")[program_name],
        documents("phase"),
        documents("workout"),
    )
    entries = program["phases"]
    after = [bool(entry.get("after_race")) for entry in entries]
    assert after == sorted(after), f"program {program_name}: after_race phases come last"
    assert not all(after), f"program {program_name}: no phase before the race"
    for entry in entries:
        low, high = entry.get("min_weeks", entry["weeks"]), entry.get("max_weeks", entry["weeks"])
        assert low <= entry["weeks"] <= high, f"{program_name}: {entry['phase']}: min/max weeks"
    if program.get("block"):  # a training block: no race, no taper, no phase after a race
        assert not any(after), f"block {program_name}: a phase after a race it does not have"
        assert "distance" not in program and "race_workout" not in program
        assert all(phases[e["phase"]]["volume"]["progression"] in ("ramp", "hold") for e in entries)
        return
    race_phase = [entry["phase"] for entry in entries if not entry.get("after_race")][-1]
    race = workouts[program.get("race_workout", "race")]
    assert race["category"] in phases[race_phase]["allowed_categories"], (
        f"program {program_name}: race day falls in {race_phase}, which does not allow races"
    )


def test_half_marathon_is_the_articles_plan() -> None:
    layout = [
        (entry["phase"], entry["weeks"], bool(entry.get("after_race")))
        for entry in documents("program")["half-marathon"]["phases"]
    ]
    assert layout[:3] == [("base", 8, False), ("build", 4, False), ("taper", 2, False)]
    assert all(after for _, _, after in layout[3:]) and layout[3:], (
        "then lighter weeks after the race"
    )
    assert all(weeks <= 2 for _, weeks, _ in layout[3:])


# --------------------------------------------------------------------------- workouts


def _param_values(doc: dict[str, Any], end: bool) -> dict[str, Any]:
    values = {}
    for name, param in params(doc).items():
        if isinstance(param, dict):
            # a session renders at its end, and at its grow_to for a fit athlete's week
            param = (
                param.get("grow_to", param.get("end", param["start"])) if end else param["start"]
            )
        values[name] = param
    return values


def _context(doc: dict[str, Any], end: bool) -> dict[str, Any]:
    def pace(zone: str) -> str:
        assert zone in ZONES, f"pace({zone!r}): unknown zone"
        return "4:15/km"

    def pace_name(zone: str) -> str:
        assert zone in ZONES, f"pace_name({zone!r}): unknown zone"
        return f"{zone} pace"

    return {
        "athlete": "Test Athlete",
        "phase": "build",
        "week": 4 if end else 1,
        "phase_weeks": 4,
        "units": "km",
        "race_distance": "21.0975km",
        "race_priority": "A",
        "after": "hard" if end else "",
        "pace": pace,
        "pace_name": pace_name,
        **_param_values(doc, end),
    }


WORKOUT_PATHS = [p for p in FILES if p.is_relative_to(TEMPLATES / "workouts")]
TARGET = re.compile(
    json.loads((SCHEMAS / "workout.schema.json").read_text())["$defs"]["target"]["pattern"]
)


@pytest.mark.parametrize("path", WORKOUT_PATHS, ids=_rel)
def test_workout_text_renders(path: Path) -> None:
    """Title, description, notes and step values render with the params of the phase's first and
    last week (StrictUndefined: a misspelt name fails), and the rendered steps are well formed."""
    doc = load(path)
    env = ImmutableSandboxedEnvironment(undefined=StrictUndefined, autoescape=False)
    for name in params(doc):
        assert name not in JINJA_NAMES + SUMMARY_NAMES, f"param {name!r} hides a built-in name"
    for end in (False, True):
        context = _context(doc, end)
        summary = {**context, "distance": "10 km", "duration": "55 min", "minutes": 55}
        env.from_string(doc["title"]).render(summary)
        env.from_string(doc.get("description", "")).render(summary)
        for step in walk_steps(doc.get("steps") or []):
            if "note" in step:
                env.from_string(step["note"]).render(context)
            for kind in STEP_KINDS:
                if kind in step:
                    text = env.from_string(str(step[kind])).render(context)
                    assert "{" not in text and TARGET.match(text), f"{kind}: {text!r}"
            if "repeat" in step:
                count = env.from_string(str(step["repeat"])).render(context)
                assert count.isdigit() and int(count) >= 1, f"repeat: {count!r}"


@pytest.mark.parametrize("path", WORKOUT_PATHS, ids=_rel)
def test_every_param_is_used(path: Path) -> None:
    doc = load(path)
    env = ImmutableSandboxedEnvironment()
    texts = [doc["title"], doc.get("description", "")]
    for step in walk_steps(doc.get("steps") or []):
        texts += [str(step[key]) for key in (*STEP_KINDS, "repeat", "note") if key in step]
    used = set().union(*(meta.find_undeclared_variables(env.parse(text)) for text in texts))
    unused = set(params(doc)) - used
    assert not unused, f"{_rel(path)}: params never used: {sorted(unused)}"


@pytest.mark.parametrize("path", WORKOUT_PATHS, ids=_rel)
def test_workout_shape(path: Path) -> None:
    doc = load(path)
    steps = list(walk_steps(doc.get("steps") or []))
    fills = [
        s for s in steps for k in STEP_KINDS if str(s.get(k, "")).split("@")[0].strip() == "fill"
    ]
    assert len(fills) <= 1, f"{_rel(path)}: at most one fill step"
    exercises = [s for s in steps if "exercise" in s]
    category = doc["category"]
    if category == "strength":
        assert "duration" in doc, f"{_rel(path)}: a strength workout says how long it takes"
        assert steps and len(exercises) == len(steps), f"{_rel(path)}: strength is exercise steps"
    elif category == "rest":
        assert not steps, f"{_rel(path)}: a rest day has no steps"
    else:
        assert steps and not exercises, f"{_rel(path)}: a run has running steps"
    if category == "race":
        assert any(s.get("run") == "{{ race_distance }} @ race" for s in steps)


# --------------------------------------------------------------------------- examples


def _date(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


@pytest.mark.parametrize("athlete_id", sorted(documents("athlete")))
def test_athlete_is_consistent(athlete_id: str) -> None:
    athlete = documents("athlete")[athlete_id]
    chosen = _chosen(athlete)
    program = documents("program")[chosen["program"]]
    days = athlete["availability"]["days"]
    assert athlete["availability"]["long_run_day"] in days
    assert set(athlete["availability"].get("start_times", {})) <= set(days)
    for away in athlete.get("away", []):
        assert _date(away["from"]) <= _date(away.get("to", away["from"]))
    if "block" in athlete:  # no race day: the block's weeks or last day
        race = _date(athlete["block"]["end"]) if "end" in athlete["block"] else None
        if race is None:
            assert athlete["block"]["weeks"] >= program["phases"][0].get("min_weeks", 1)
            return
    else:
        race = _date(str(chosen["date"]))
    if "start" in athlete:
        start = _date(athlete["start"])
        assert WEEKDAYS[start.weekday()] == athlete.get("week_start", "monday")
        weeks = (race - start).days // 7 + 1
        minimum = sum(
            e.get("min_weeks", e["weeks"]) for e in program["phases"] if not e.get("after_race")
        )
        assert weeks >= minimum, (
            f"{athlete_id}: {weeks} weeks to race day, the program needs {minimum}"
        )


def test_half_marathon_example_is_fourteen_weeks_to_a_sunday_race() -> None:
    athlete = documents("athlete")["half-marathon"]
    start, race = _date(athlete["start"]), _date(athlete["race"]["date"])
    assert start.weekday() == 0 and race.weekday() == 6
    assert (race - start).days == 14 * 7 - 1


# --------------------------------------------------------------------------- the reference docs

DOCS = ROOT / "docs" / "templates.md"
YAML_BLOCK = re.compile(r"^```yaml\n(.*?)^```", re.MULTILINE | re.DOTALL)


def _doc_examples() -> list[str]:
    return YAML_BLOCK.findall(DOCS.read_text(encoding="utf-8")) if DOCS.is_file() else []


def _example_id(block: str) -> str:
    lines = [line for line in block.splitlines() if line.strip() and not line.startswith("#")]
    name = next((line for line in lines if line.startswith("name:")), lines[0] if lines else "")
    return name.replace(" ", "")[:40]


@pytest.mark.parametrize("block", _doc_examples(), ids=_example_id)
def test_docs_examples_validate(block: str) -> None:
    """Every YAML example in docs/templates.md is valid: whole documents against their kind's
    schema, fragments of a workout (steps, params, text) inside a minimal workout."""
    doc = _plain(YAML(typ="safe").load(block))
    if doc is None:  # a modeline on its own
        return
    assert isinstance(doc, dict)
    if "kind" not in doc:
        doc = {"kind": "workout", "name": "x", "category": "easy", "intensity": "easy"} | doc
        doc.setdefault("title", "x")
    if "extends" in doc:  # composed with the bundled template it names, then checked whole
        parent = load_file(ROOT / "templates" / FOLDERS[doc["kind"]] / f"{doc['extends']}.yaml")
        merged = merge(parent, load_text(block, "example.yaml"))
        assert validate_document(merged) == []
        return
    errors = [
        f"/{'/'.join(map(str, e.absolute_path))}: {e.message}"
        for e in validator(doc["kind"]).iter_errors(doc)
    ]
    assert not errors, "\n".join(errors)


def test_docs_show_every_schema_key() -> None:
    """The reference names every property of every schema (`key` or key: in an example)."""
    text = DOCS.read_text(encoding="utf-8")
    missing = []
    for kind in KINDS:
        schema = json.loads((SCHEMAS / f"{kind}.schema.json").read_text(encoding="utf-8"))
        stack = [schema]
        while stack:
            node = stack.pop()
            if isinstance(node, dict):
                for key in node.get("properties", {}):
                    if f"`{key}`" not in text and f"{key}:" not in text and f".{key}`" not in text:
                        missing.append(f"{kind}: {key}")
                stack.extend(node.values())
            elif isinstance(node, list):
                stack.extend(node)
    assert not missing, f"docs/templates.md does not mention: {missing}"
