"""Stage 3, resolve: validated documents -> the typed model.

Templates are looked up along a search path (the coach's folders first, then the bundled library;
the first template of a kind and name wins).  Each document is turned into its frozen dataclass, and
everything that needs more than one document is checked here: references to workouts, phases and
programs, names that must match their files, categories a phase does not allow, Jinja text that
does not render, a long-run day the athlete cannot run on, a race too close to the start.
Every problem is reported at its file, line and column; nothing stops at the first one.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
import zoneinfo
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any, TypeVar

from . import paces as pace_model
from .diagnostics import Diagnostic, Position, choices_hint, error, warning
from .load import Document, Located
from .model import (
    WEEKDAYS,
    ZONES,
    Athlete,
    Availability,
    Away,
    Blueprint,
    Focus,
    FocusPhase,
    Param,
    PhaseTemplate,
    Program,
    ProgramPhase,
    Race,
    RecentRace,
    Source,
    StepTemplate,
    VolumeRule,
    WorkoutTemplate,
)
from .render import RenderError, render, syntax_error, variables
from .steps import param_value, parse_target
from .units import (
    UnitError,
    format_clock,
    format_metres_plain,
    parse_clock,
    parse_distance,
    parse_duration,
    parse_percent,
)

TEMPLATE_KINDS = ("workout", "phase", "focus", "program")
FOLDERS = {"workout": "workouts", "phase": "phases", "focus": "foci", "program": "programs"}
T = TypeVar("T")


@dataclass(frozen=True)
class Library:
    """Template documents by kind and name, in search-path order (first wins)."""

    documents: Mapping[str, Mapping[str, Document]]
    broken: frozenset[tuple[str, str]] = frozenset()  # templates with errors: known, not resolved

    def names(self, kind: str) -> list[str]:
        return sorted(self.documents.get(kind, {}))

    def known(self, kind: str, name: str) -> bool:
        return name in self.documents.get(kind, {}) or (kind, name) in self.broken

    def get(self, kind: str, name: str) -> Document | None:
        return self.documents.get(kind, {}).get(name)


@dataclass(frozen=True)
class Templates:
    workouts: Mapping[str, WorkoutTemplate]
    phases: Mapping[str, PhaseTemplate]
    foci: Mapping[str, Focus]
    programs: Mapping[str, Program]


def build_library(
    layers: Sequence[tuple[Sequence[Document], Sequence[tuple[str, str]]]],
) -> tuple[Library, list[Diagnostic]]:
    """Index template documents.  ``layers`` are (documents, broken names) in search-path order
    (coach folders first, the bundled library last): the first layer that has a kind and name
    wins, even when its template is broken (a coach's broken template must not silently fall back
    to the bundled one).  The same kind and name twice in one layer is an error."""
    documents: dict[str, dict[str, Document]] = {kind: {} for kind in TEMPLATE_KINDS}
    broken: set[tuple[str, str]] = set()
    diagnostics: list[Diagnostic] = []
    for layer, layer_broken in layers:
        claimed = {(kind, name) for kind in documents for name in documents[kind]} | broken
        seen: dict[tuple[str, str], Document] = {}
        for doc in layer:
            kind, name = doc.kind, doc.name
            if kind not in TEMPLATE_KINDS or name is None:
                continue
            if (kind, name) in seen:
                first = seen[(kind, name)]
                diagnostics.append(
                    error(
                        "duplicate-name",
                        f"a {kind} named '{name}' is also defined in {first.path}",
                        doc.path,
                        doc.where(("name",)),
                        "rename one of them; names must be unique within a template folder",
                    )
                )
                continue
            seen[(kind, name)] = doc
            if (kind, name) not in claimed:
                documents[kind][name] = doc
        broken.update(key for key in layer_broken if key not in claimed and key not in seen)
    return Library(documents, frozenset(broken)), diagnostics


def _block_lines(text: Sequence[str], located: Located) -> list[tuple[int, str]]:
    """The source lines (1-based number, text) of a | or > block scalar's content."""
    key_indent = (located.key.column - 1) if located.key else -1
    lines = []
    for number in range(located.value.line + 1, len(text) + 1):
        row = text[number - 1]
        if row.strip() and len(row) - len(row.lstrip()) <= key_indent:
            break
        lines.append((number, row))
    return lines


def _folded_line(block: Sequence[tuple[int, str]], line: int) -> int | None:
    """The source line where line ``line`` of a folded (>) block's text begins: folding joins
    lines with spaces, and each blank line ends a line."""
    current = 1
    for number, row in block:
        if not row.strip():
            current += 1
        elif current == line:
            return number
    return None


class _Reader:
    """Reads one document's values into typed ones, collecting diagnostics at exact positions."""

    def __init__(self, doc: Document) -> None:
        self.doc = doc
        self.diagnostics: list[Diagnostic] = []

    def source(self, path: tuple[str | int, ...] = ()) -> Source:
        file, pos = self.doc.locate(path)
        return Source(file, pos.line, pos.column)

    def get(self, *path: str | int, default: Any = None) -> Any:
        value: Any = self.doc.data
        for part in path:
            if isinstance(value, list) and isinstance(part, int) and 0 <= part < len(value):
                value = value[part]
            elif isinstance(value, dict) and isinstance(part, str) and part in value:
                value = value[part]
            else:
                return default
        return default if value is None else value

    def fail(
        self,
        code: str,
        message: str,
        path: tuple[str | int, ...],
        hint: str | None = None,
        *,
        key: bool = False,
    ) -> None:
        self.diagnostics.append(error(code, message, *self.doc.locate(path, key=key), hint))

    def fail_in_text(
        self,
        code: str,
        message: str,
        path: tuple[str | int, ...],
        line: int | None,
        hint: str | None = None,
        needle: str | None = None,
    ) -> None:
        """A problem inside a text value: in a | or > block, at the line it is on (the first
        Jinja expression naming ``needle``, else Jinja's ``line``) and that line's indentation."""
        located = self.doc.positions.get(path)
        text = self.doc.text.splitlines()
        if located is None or not located.block or located.file or not text:
            self.fail(code, message, path, hint)
            return
        block = _block_lines(text, located)
        found = None
        if needle:
            uses = re.compile(r"(\{\{|\{%)[^}]*\b" + re.escape(needle) + r"\b")
            found = next((n for n, row in block if uses.search(row)), None)
        if found is None and line:
            folded = text[located.value.line - 1][located.value.column - 1 :].startswith(">")
            found = _folded_line(block, line) if folded else located.value.line + line
        if found is None:
            self.fail(code, message, path, hint)
            return
        row = text[found - 1]
        pos = Position(found, len(row) - len(row.lstrip()) + 1)
        self.diagnostics.append(error(code, message, self.doc.path, pos, hint))

    def warn(self, code: str, message: str, path: tuple[str | int, ...], hint: str | None) -> None:
        self.diagnostics.append(warning(code, message, *self.doc.locate(path), hint))

    def convert(self, parse: Callable[[str], T], path: tuple[str | int, ...], default: T) -> T:
        value = self.get(*path)
        if value is None:
            return default
        try:
            return parse(str(value))
        except (UnitError, ValueError) as exc:
            self.fail("bad-value", str(exc), path)
            return default

    def reference(self, kind: str, path: tuple[str | int, ...], library: Library) -> str | None:
        name = self.get(*path)
        if not isinstance(name, str):
            return None
        if not library.known(kind, name):
            self.fail(
                "unknown-reference",
                f"there is no {kind} named '{name}'",
                path,
                choices_hint(name, library.names(kind)),
            )
            return None
        return name

    def check_name(self) -> None:
        file, name = self.doc.file, self.doc.name
        if file is not None and name is not None and file.stem != name:
            self.fail(
                "name-mismatch",
                f"the {self.doc.kind} is named '{name}' but its file is '{file.name}'",
                ("name",),
                f"rename the file to '{name}.yaml' or set `name: {file.stem}`",
            )


# --------------------------------------------------------------------------- workouts


def _params(r: _Reader) -> tuple[Param, ...]:
    result = []
    for name, spec in (r.get("params") or {}).items():
        if isinstance(spec, dict):
            param = Param(name, spec["start"], spec["end"], spec.get("step"))
        else:
            param = Param(name, spec)
        result.append(param)
    return tuple(result)


def _steps(r: _Reader, path: tuple[str | int, ...]) -> tuple[StepTemplate, ...]:
    steps = []
    for index, raw in enumerate(r.get(*path, default=[])):
        here = (*path, index)
        kind = next(k for k in raw if k not in {"steps", "sets", "reps", "hold", "note"})
        if kind == "repeat":
            steps.append(
                StepTemplate(
                    "repeat",
                    repeat=str(raw["repeat"]),
                    steps=_steps(r, (*here, "steps")),
                    note=raw.get("note"),
                    source=r.source(here),
                )
            )
        elif kind == "exercise":
            hold = raw.get("hold")
            steps.append(
                StepTemplate(
                    "exercise",
                    target=str(hold) if hold else None,
                    label=str(raw["exercise"]),
                    note=raw.get("note"),
                    sets=raw.get("sets"),
                    reps=str(raw["reps"]) if raw.get("reps") is not None else None,
                    source=r.source(here),
                )
            )
        else:
            steps.append(
                StepTemplate(
                    kind, target=str(raw[kind]), note=raw.get("note"), source=r.source(here)
                )
            )
    return tuple(steps)


def _sample_context(params: Mapping[str, Any], *, totals: bool) -> dict[str, Any]:
    """The variables a template text sees, with stand-in values, for checking it statically."""
    context: dict[str, Any] = dict(params)
    context.update(
        athlete="Athlete",
        phase="build",
        week=1,
        phase_weeks=4,
        units="km",
        race_distance="10km",
        pace=_sample_pace,
    )
    if totals:
        context.update(distance="10 km", duration="50 min")
    return context


def _sample_pace(zone: str) -> str:
    if zone not in ZONES:
        raise ValueError(f"unknown pace zone '{zone}'; zones: {', '.join(ZONES)}")
    return "4:30/km"


def _check_text(
    r: _Reader,
    text: str | None,
    path: tuple[str | int, ...],
    contexts: Sequence[Mapping[str, Any]],
    parse: Callable[[str], object] | None = None,
) -> None:
    if not text:
        return
    problem = syntax_error(text)
    if problem:
        r.fail_in_text(
            "jinja-syntax", str(problem), path, problem.line, "check the {{ }} and {% %} pairs"
        )
        return
    known = set(contexts[0]) if contexts else set()
    unknown = sorted(variables(text) - known)
    if unknown:  # found statically, even in a branch the sample values do not take
        name = unknown[0]
        called = re.search(rf"\b{re.escape(name)}\s*\(", text) is not None
        candidates = [k for k in known if callable(contexts[0][k]) == called] or sorted(known)
        suggestion = choices_hint(name, sorted(candidates))
        if name in ("distance", "duration"):
            suggestion = "`distance` and `duration` are known in the title and description only"
        r.fail_in_text("jinja-undefined", f"'{name}' is undefined", path, None, suggestion, name)
        return
    for context in contexts:
        try:
            rendered = render(text, context)
            if parse is not None:
                parse(rendered)
        except RenderError as exc:
            code = "jinja-undefined" if "undefined" in str(exc) else "jinja-error"
            hint = exc.hint
            missing = str(exc).split("'")
            needle = None
            if code == "jinja-undefined" and len(missing) >= 2:
                needle = missing[1]
                hint = choices_hint(needle, [k for k in context if k != "pace"] + ["pace"])
            r.fail_in_text(code, str(exc), path, exc.line, hint, needle)
            return
        except (UnitError, ValueError) as exc:
            r.fail("bad-step", str(exc), path)
            return


MAX_STEP_M = 100_000.0  # no single step of a training session is longer than this
MAX_STEP_S = 6 * 3600.0


def _plausible_target(text: str) -> None:
    """A step target that parses and is a size a session could have."""
    target = parse_target(text)
    if target.amount is None:
        return
    amount = target.amount
    if amount.dimension == "distance" and not 0 < amount.value <= MAX_STEP_M:
        raise ValueError(f"'{text.strip()}' is not a distance one step can have (0 to 100 km)")
    if amount.dimension == "duration" and not 0 < amount.value <= MAX_STEP_S:
        raise ValueError(f"'{text.strip()}' is not a duration one step can have (0 to 6 h)")


def _repeat_count(text: str) -> int:
    if not text.strip().isdigit():
        raise ValueError(f"repeat count '{text.strip()}' is not a whole number")
    count = int(text.strip())
    if not 1 <= count <= 100:
        raise ValueError(f"repeat count {count} must be between 1 and 100")
    return count


def _check_steps(
    r: _Reader,
    steps: Sequence[StepTemplate],
    path: tuple[str | int, ...],
    contexts: Sequence[Mapping[str, Any]],
) -> int:
    """Check every step's text; returns how many `fill` steps there are."""
    fills = 0
    for index, step in enumerate(steps):
        here = (*path, index)
        if step.kind == "repeat":
            _check_text(r, step.repeat, (*here, "repeat"), contexts, _repeat_count)
            fills += _check_steps(r, step.steps, (*here, "steps"), contexts)
        elif step.kind == "exercise":
            pass  # name, sets, reps and hold are checked by the schema
        else:
            _check_text(r, step.target, (*here, step.kind), contexts, _plausible_target)
            if step.target and step.target.split("@")[0].strip() == "fill":
                fills += 1
                if fills > 1:
                    r.fail(
                        "bad-step",
                        "a workout may have only one `fill` step",
                        (*here, step.kind),
                        "give the other steps a fixed distance or duration",
                    )
        _check_text(r, step.note, (*here, "note"), contexts)
    return fills


def resolve_workout(doc: Document) -> tuple[WorkoutTemplate, list[Diagnostic]]:
    r = _Reader(doc)
    r.check_name()
    params = _params(r)
    ends: list[dict[str, Any]] = [{}, {}]
    for param in params:
        try:
            ends[0][param.name] = param_value(param, 1, 2)
            ends[1][param.name] = param_value(param, 2, 2)
        except UnitError as exc:
            r.fail("bad-value", str(exc), ("params", param.name))
            for end in ends:  # a stand-in, so its uses are not reported as undefined too
                end[param.name] = param.start
    steps = _steps(r, ("steps",))
    step_contexts = [_sample_context(values, totals=False) for values in ends]
    text_contexts = [_sample_context(values, totals=True) for values in ends]
    _check_steps(r, steps, ("steps",), step_contexts)
    title, description = str(r.get("title", default="")), str(r.get("description", default=""))
    _check_text(r, title, ("title",), text_contexts)
    _check_text(r, description, ("description",), text_contexts)
    category = str(r.get("category"))
    if category == "rest" and steps:
        r.fail("bad-step", "a rest workout has no steps", ("steps",), "remove `steps:`")
    if category not in ("rest", "strength") and not steps:
        r.fail("missing-key", f"a {category} workout needs `steps:`", ("category",))
    workout = WorkoutTemplate(
        name=str(r.get("name")),
        category=category,
        intensity=r.get("intensity"),
        title=title,
        description=description,
        params=params,
        steps=steps,
        duration_s=r.convert(parse_duration, ("duration",), None),
        source=r.source(),
    )
    return workout, r.diagnostics


# --------------------------------------------------------------------------- phases and programs


def _volume_rule(data: Mapping[str, Any]) -> VolumeRule:
    progression = str(data.get("progression", "ramp"))
    default_level = {"taper": (0.75, 0.5), "recover": (0.6, 0.6)}.get(progression, (None, None))

    def percent(key: str, default: float | None) -> float | None:
        return parse_percent(data[key]) if data.get(key) is not None else default

    def every(key: str, default: int) -> int | None:
        value = data.get(key, default)
        return None if value == 0 else int(value)

    start = percent("start", default_level[0])
    return VolumeRule(
        progression=progression,
        max_increase=percent("max_increase", 0.10) or 0.0,
        max_increase_injury_prone=percent("max_increase_injury_prone", 0.05) or 0.0,
        cutback_every=every("cutback_every", 4),
        cutback_every_injury_prone=every("cutback_every_injury_prone", 3),
        cutback=percent("cutback", 0.25) or 0.0,
        start=start,
        end=percent("end", start if data.get("start") is not None else default_level[1]),
        levels=tuple(parse_percent(level) for level in data.get("levels") or ()),
    )


def resolve_phase(doc: Document) -> tuple[PhaseTemplate, list[Diagnostic]]:
    r = _Reader(doc)
    r.check_name()
    week = r.get("week", default={})
    volume = r.get("volume", default={})
    if volume.get("progression") in ("ramp", "hold"):
        for key in ("start", "end"):
            if key in volume:
                r.warn(
                    "ignored-key",
                    f"`{key}` only applies to taper and recover phases",
                    ("volume", key),
                    f"remove `{key}:`",
                )
    quality = int(week.get("quality_sessions", 0))
    phase = PhaseTemplate(
        name=str(r.get("name")),
        title=str(r.get("title", default=str(r.get("name")).replace("-", " ").title())),
        description=str(r.get("description", default="")),
        volume=_volume_rule(volume),
        allowed_categories=frozenset(r.get("allowed_categories", default=[])),
        quality_sessions=quality,
        quality_sessions_injury_prone=int(
            week.get("quality_sessions_injury_prone", min(quality, 1))
        ),
        long_run=bool(week.get("long_run", True)),
        strength=bool(week.get("strength", True)),
        min_rest_days=int(week.get("min_rest_days", 1)),
        source=r.source(),
    )
    return phase, r.diagnostics


def resolve_program(doc: Document, library: Library) -> tuple[Program, list[Diagnostic]]:
    r = _Reader(doc)
    r.check_name()
    phases = []
    seen_after = False
    for index, raw in enumerate(r.get("phases", default=[])):
        here: tuple[str | int, ...] = ("phases", index)
        name = r.reference("phase", (*here, "phase"), library)
        weeks = int(raw["weeks"])
        min_weeks = int(raw.get("min_weeks", weeks))
        max_weeks = raw.get("max_weeks")
        if min_weeks > weeks:
            r.fail(
                "bad-value",
                f"min_weeks {min_weeks} is more than the phase's {weeks} weeks",
                (*here, "min_weeks"),
            )
        if max_weeks is not None and max_weeks < weeks:
            r.fail(
                "bad-value",
                f"max_weeks {max_weeks} is less than the phase's {weeks} weeks",
                (*here, "max_weeks"),
            )
        after = bool(raw.get("after_race", False))
        if seen_after and not after:
            r.fail(
                "bad-value",
                "a phase before race day comes after an `after_race` phase",
                (*here, "phase"),
                "list the after_race phases last",
            )
        seen_after = seen_after or after
        volume = None
        if name is not None:
            base = dict((library.get("phase", name) or doc).data.get("volume", {}))
            override = raw.get("volume")
            if override:
                base.update(override)
                volume = _volume_rule(base)
        phases.append(
            ProgramPhase(
                phase=name or str(raw["phase"]),
                weeks=weeks,
                min_weeks=min_weeks,
                max_weeks=int(max_weeks) if max_weeks is not None else None,
                after_race=after,
                volume=volume,
                source=r.source(here),
            )
        )
    if phases and all(p.after_race for p in phases):
        r.fail(
            "bad-value", "every phase is after the race", ("phases",), "add the phases before it"
        )
    race_workout = (
        r.reference("workout", ("race_workout",), library) if r.get("race_workout") else "race"
    )
    if race_workout == "race" and library.get("workout", "race") is None:
        r.fail(
            "unknown-reference",
            "there is no workout named 'race' for race day",
            ("name",),
            "add a workout named `race` or set `race_workout:`",
        )
    program = Program(
        name=str(r.get("name")),
        title=str(r.get("title", default=str(r.get("name")))),
        distance_m=r.convert(parse_distance, ("distance",), 5000.0),
        phases=tuple(phases),
        peak_volume_m=r.convert(parse_distance, ("peak_volume",), 200_000.0),
        long_run_max_s=r.convert(parse_duration, ("long_run_max",), 150 * 60.0),
        min_easy_run_m=r.convert(parse_distance, ("min_easy_run",), 3000.0),
        race_workout=race_workout or "race",
        source=r.source(),
        long_run_growth=r.convert(parse_percent, ("long_run_growth",), 0.10),
    )
    return program, r.diagnostics


# --------------------------------------------------------------------------- foci


def _focus_phase(r: _Reader, path: tuple[str | int, ...], library: Library) -> FocusPhase:
    data = r.get(*path, default={})
    quality: list[tuple[str, ...]] = []
    for index, slot in enumerate(data.get("quality", [])):
        if isinstance(slot, str):
            names = [r.reference("workout", (*path, "quality", index), library)]
        else:
            names = [
                r.reference("workout", (*path, "quality", index, j), library)
                for j in range(len(slot))
            ]
        quality.append(tuple(n for n in names if n))
    easy = data.get("easy")
    if isinstance(easy, str):
        easy_names = [r.reference("workout", (*path, "easy"), library)]
    else:
        easy_names = [
            r.reference("workout", (*path, "easy", j), library) for j in range(len(easy or []))
        ]
    return FocusPhase(
        quality=tuple(q for q in quality if q),
        long=r.reference("workout", (*path, "long"), library),
        easy=tuple(n for n in easy_names if n),
        recovery=r.reference("workout", (*path, "recovery"), library),
        strength=r.reference("workout", (*path, "strength"), library),
    )


def resolve_focus(
    doc: Document,
    library: Library,
    workouts: Mapping[str, WorkoutTemplate],
    phases: Mapping[str, PhaseTemplate],
) -> tuple[Focus, list[Diagnostic]]:
    r = _Reader(doc)
    r.check_name()
    defaults = _focus_phase(r, ("defaults",), library)
    for role in ("long", "easy"):
        if r.get("defaults", role) is None:
            r.fail(
                "missing-key",
                f"the focus's defaults need {'an' if role[0] in 'aeiou' else 'a'} `{role}` workout",
                ("defaults",),
                f"add `{role}: <workout name>` under `defaults:`",
                key=True,
            )
    per_phase: dict[str, FocusPhase] = {}
    for phase_name in r.get("phases", default={}):
        path: tuple[str | int, ...] = ("phases", phase_name)
        if not library.known("phase", phase_name):
            r.fail(
                "unknown-reference",
                f"there is no phase named '{phase_name}'",
                path,
                choices_hint(phase_name, library.names("phase")),
                key=True,
            )
            continue
        per_phase[phase_name] = _focus_phase(r, path, library)
    focus = Focus(
        name=str(r.get("name")),
        title=str(r.get("title", default=str(r.get("name")).title())),
        description=str(r.get("description", default="")),
        long_run_share=r.convert(parse_percent, ("long_run_share",), 0.25),
        max_runs_per_week=int(r.get("max_runs_per_week", default=6)),
        min_easy_share=r.convert(parse_percent, ("min_easy_share",), 0.80),
        defaults=defaults,
        phases=per_phase,
        source=r.source(),
    )
    # Every workout the focus puts in a phase must be of a category that phase allows.
    refused: dict[tuple[str, tuple[str | int, ...]], list[str]] = {}
    for phase_name, phase in phases.items():
        chosen = focus.for_phase(phase_name)
        roles: list[tuple[str, tuple[str | int, ...]]] = []
        quality = phase.quality_sessions if chosen.quality else 0
        for index, slot in enumerate(chosen.quality[:quality]):
            roles.extend((name, ("phases", phase_name, "quality", index)) for name in slot)
        roles.extend((name, ("phases", phase_name, "easy")) for name in chosen.easy)
        for name, path in roles:
            workout = workouts.get(name)
            if workout and workout.category not in phase.allowed_categories:
                own = r.get(*path[:3]) is not None  # the phase names it, or the defaults do
                where = path if own else ("defaults", *path[2:])
                refused.setdefault((name, where), []).append(phase_name)
    for (name, where), phase_names in refused.items():  # once per place, naming every phase
        workout = workouts[name]
        allowed = {n: ", ".join(sorted(phases[n].allowed_categories)) for n in phase_names}
        r.fail(
            "category-not-allowed",
            f"'{name}' is a {workout.category} workout, which the "
            f"{_listed(phase_names)} phase{'s' * (len(phase_names) > 1)} "
            f"do{'es' * (len(phase_names) == 1)} not allow",
            where,
            "; ".join(f"{n} allows: {a}" for n, a in allowed.items()),
        )
    return focus, r.diagnostics


def _listed(names: Sequence[str]) -> str:
    """'a', 'a and b', 'a, b and c'."""
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


def resolve_templates(library: Library) -> tuple[Templates, list[Diagnostic]]:
    """Every template of the library in its typed form, with every problem found."""
    diagnostics: list[Diagnostic] = []

    def each(kind: str, convert: Callable[[Document], tuple[T, list[Diagnostic]]]) -> dict[str, T]:
        result = {}
        for name, doc in sorted(library.documents[kind].items()):
            value, problems = convert(doc)
            diagnostics.extend(problems)
            if not any(p.severity.value == "error" for p in problems):
                result[name] = value  # a template with errors is known but never compiled
        return result

    workouts = each("workout", resolve_workout)
    phases = each("phase", resolve_phase)
    programs = each("program", lambda doc: resolve_program(doc, library))
    foci = each("focus", lambda doc: resolve_focus(doc, library, workouts, phases))
    return Templates(workouts, phases, foci, programs), diagnostics


# --------------------------------------------------------------------------- athletes


@cache
def _time_zones() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones())


def _timezone_hint(name: str) -> str:
    """'london' -> did you mean 'Europe/London'?  Matches ignore case and may name the city."""
    zones = sorted(_time_zones())
    by_lower = {z.lower(): z for z in zones}
    by_city: dict[str, str] = {}
    for zone in zones:
        by_city.setdefault(zone.rsplit("/", 1)[-1].lower().replace("_", " "), zone)
    wanted = name.strip().lower()
    exact = by_lower.get(wanted) or by_city.get(wanted.replace("_", " "))
    if exact:
        return f"did you mean '{exact}'?"
    close = difflib.get_close_matches(wanted, [*by_lower, *by_city], n=1, cutoff=0.75)
    if close:
        return f"did you mean '{by_lower.get(close[0]) or by_city[close[0]]}'?"
    return "use an IANA time zone name, e.g. Europe/Berlin or America/New_York"


def _date(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


def plan_start(athlete_start: dt.date | None, week_start: int, today: dt.date) -> dt.date:
    """The first day of week 1: the week-start day on or before the athlete's start date, or the
    next week-start day after today when no start date is given."""
    if athlete_start is not None:
        return athlete_start - dt.timedelta(days=(athlete_start.weekday() - week_start) % 7)
    return today + dt.timedelta(days=(week_start - today.weekday() - 1) % 7 + 1)


def week_of(day: dt.date, week_start: int) -> dt.date:
    return day - dt.timedelta(days=(day.weekday() - week_start) % 7)


def _missing_templates(program: Program, focus: Focus, templates: Templates) -> bool:
    """Whether a template the plan would use is missing (it has errors, reported in its file)."""
    phases = [p.phase for p in program.phases]
    if any(name not in templates.phases for name in phases):
        return True
    wanted = {program.race_workout}
    for phase in phases:
        chosen = focus.for_phase(phase)
        wanted.update(name for slot in chosen.quality for name in slot)
        wanted.update(chosen.easy)
        wanted.update(n for n in (chosen.long, chosen.recovery, chosen.strength) if n)
    return any(name not in templates.workouts for name in wanted)


def _check_fitness(
    r: _Reader, distance_m: float, time_s: float, path: tuple[str | int, ...], what: str
) -> None:
    """A race result or goal the pace model can use: positive, and a VDOT within its range."""
    try:
        value = pace_model.vdot(distance_m, time_s)
    except ValueError as exc:
        r.fail(
            "impossible-value",
            f"{what} is not possible: {exc}",
            path,
            "check the distance and the time (mm:ss or h:mm:ss)",
        )
        return
    if not pace_model.VDOT_MIN - 1e-6 <= value <= pace_model.VDOT_MAX + 1e-6:
        low = pace_model.race_time(pace_model.VDOT_MAX, distance_m)
        high = pace_model.race_time(pace_model.VDOT_MIN, distance_m)
        r.fail(
            "impossible-value",
            f"{what} is not possible: {format_metres_plain(distance_m)} in "
            f"{format_clock(time_s)} is VDOT {value:.0f}, outside the "
            f"{pace_model.VDOT_MIN:g}-{pace_model.VDOT_MAX:g} of human runners",
            path,
            f"for {format_metres_plain(distance_m)} planc expects a time between "
            f"{format_clock(low)} and {format_clock(high)} (mm:ss or h:mm:ss)",
        )


def resolve_athlete(
    doc: Document, templates: Templates, library: Library, today: dt.date
) -> tuple[Blueprint | None, list[Diagnostic]]:
    r = _Reader(doc)
    program_name = r.reference("program", ("race", "program"), library)
    focus_name = r.reference("focus", ("focus",), library)
    timezone = str(r.get("timezone"))
    if timezone not in _time_zones():
        r.fail(
            "bad-timezone",
            f"unknown time zone '{timezone}'",
            ("timezone",),
            _timezone_hint(timezone),
        )
    days = tuple(sorted(WEEKDAYS.index(d) for d in r.get("availability", "days", default=[])))
    long_day_name = str(r.get("availability", "long_run_day"))
    long_day = WEEKDAYS.index(long_day_name) if long_day_name in WEEKDAYS else 6
    if long_day not in days:
        r.fail(
            "long-run-day",
            f"the long-run day '{long_day_name}' is not one of the available days",
            ("availability", "long_run_day"),
            f"add {long_day_name} to `days` or pick one of: "
            + ", ".join(WEEKDAYS[d] for d in days),
        )
    start_times = {}
    for day_name, text in r.get("availability", "start_times", default={}).items():
        index = WEEKDAYS.index(day_name)
        if index not in days:
            r.warn(
                "unused-start-time",
                f"a start time is given for {day_name}, which is not an available day",
                ("availability", "start_times", day_name),
                f"add {day_name} to `days` or remove its start time",
            )
        start_times[index] = dt.time.fromisoformat(text)
    away = []
    for index, raw in enumerate(r.get("away", default=[])):
        first = r.convert(_date, ("away", index, "from"), today)
        last = r.convert(_date, ("away", index, "to"), first)
        if last < first:
            r.fail("bad-date", "`to` is before `from`", ("away", index, "to"))
        away.append(Away(first, last, str(raw.get("note", ""))))
    race_date = r.convert(_date, ("race", "date"), today)
    start = r.convert(_date, ("start",), None) if r.get("start") else None
    week_start = WEEKDAYS.index(r.get("week_start", default="monday"))
    distance = r.convert(parse_distance, ("fitness", "recent_race", "distance"), 5000.0)
    time_s = r.convert(parse_clock, ("fitness", "recent_race", "time"), 1500.0)
    _check_fitness(r, distance, time_s, ("fitness", "recent_race", "time"), "the recent race")
    weekly = r.convert(parse_distance, ("fitness", "weekly_volume"), 20_000.0)
    long_run = r.convert(parse_distance, ("fitness", "long_run"), 8000.0)
    if weekly <= 0 or weekly > 350_000:
        r.fail(
            "impossible-value",
            "the weekly volume must be more than 0 and at most 350 km",
            ("fitness", "weekly_volume"),
        )
    if long_run > weekly > 0:
        r.fail(
            "impossible-value",
            "the current long run is longer than the whole weekly volume",
            ("fitness", "long_run"),
        )
    goal = r.convert(parse_clock, ("race", "goal"), None) if r.get("race", "goal") else None
    program_for_goal = templates.programs.get(program_name or "")
    if goal is not None and program_for_goal is not None:
        _check_fitness(r, program_for_goal.distance_m, goal, ("race", "goal"), "the goal time")
    max_weekly = (
        r.convert(parse_distance, ("max_weekly_volume",), None)
        if r.get("max_weekly_volume")
        else None
    )
    if r.diagnostics and any(d.severity.value == "error" for d in r.diagnostics):
        return None, r.diagnostics
    program = templates.programs.get(program_name or "")
    focus = templates.foci.get(focus_name or "")
    if program is None or focus is None or _missing_templates(program, focus, templates):
        return None, r.diagnostics  # a template it uses has errors, reported in its own file
    assert program_name is not None and focus_name is not None
    first_day = plan_start(start, week_start, today)
    weeks = (week_of(race_date, week_start) - first_day).days // 7 + 1
    if race_date < (start or first_day):
        r.fail(
            "race-too-soon",
            f"race day {race_date} is before the plan starts ({start or first_day})",
            ("race", "date"),
        )
    elif weeks < program.min_weeks:
        earliest = first_day + dt.timedelta(weeks=program.min_weeks - 1)
        r.fail(
            "race-too-soon",
            f"the {program.title} program needs at least {program.min_weeks} weeks, "
            f"but race day is in week {weeks} of the plan",
            ("race", "date"),
            f"the earliest race date that works is {earliest} (a plan starting {first_day})",
        )
    if r.diagnostics and any(d.severity.value == "error" for d in r.diagnostics):
        return None, r.diagnostics
    athlete = Athlete(
        id=str(r.get("id")),
        name=str(r.get("name")),
        timezone=timezone,
        units=r.get("units"),
        race=Race(
            name=str(r.get("race", "name", default=program.title)),
            program=program_name,
            date=race_date,
            goal_s=goal,
            recovery=bool(r.get("race", "recovery", default=True)),
        ),
        focus=focus_name,
        start=start,
        week_start=week_start,
        recent_race=RecentRace(distance, time_s),
        weekly_volume_m=weekly,
        long_run_m=long_run,
        injury_prone=bool(r.get("injury_prone", default=False)),
        max_weekly_volume_m=max_weekly,
        availability=Availability(days, long_day, start_times),
        away=tuple(away),
        strength_per_week=int(r.get("strength_per_week", default=2)),
        source=r.source(),
    )
    needed = {p.phase for p in program.phases}
    blueprint = Blueprint(
        athlete=athlete,
        program=program,
        focus=templates.foci[focus_name],
        phases={
            name: templates.phases[name] for name in sorted(needed) if name in templates.phases
        },
        workouts=templates.workouts,
    )
    return blueprint, r.diagnostics
