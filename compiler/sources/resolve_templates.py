"""Stage 3a, resolve templates: workouts, phases, programs and foci in their typed form.

Everything that needs more than one document is checked here: references to workouts and phases,
names that must match their files, categories a phase does not allow, Jinja text that does not
render (statically too, in branches the sample values do not take), step sizes no session could
have.  Every problem is reported; nothing stops at the first one."""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from .. import doc_link
from ..diagnostics import Diagnostic, choices_hint
from ..model import (
    STEP_EXTRAS,
    ZONES,
    Focus,
    FocusPhase,
    Param,
    PhaseTemplate,
    Program,
    ProgramPhase,
    ProgramRules,
    QualityLimits,
    StepTemplate,
    VolumeRule,
    WorkoutTemplate,
)
from ..sandbox import RenderError, constants, render, syntax_error, variables
from ..units import (
    UnitError,
    format_metres_plain,
    parse_distance,
    parse_duration,
    parse_percent,
)
from .library import Library, Templates
from .load import Document
from .reader import Reader, T
from .steps import (
    FASTEST_PACE,
    MAX_REPETITIONS,
    MAX_SESSION_M,
    MAX_SESSION_S,
    MAX_SESSION_STEPS,
    MAX_STEP_M,
    SLOWEST_PACE,
    grown_value,
    is_fill,
    param_value,
    repeat_count,
    step_target,
)


def _params(r: Reader) -> tuple[Param, ...]:
    result = []
    for name, spec in (r.get("params") or {}).items():
        if isinstance(spec, dict):
            param = Param(
                name, spec["start"], spec.get("end"), spec.get("step"), spec.get("grow_to")
            )
        else:
            param = Param(name, spec)
        result.append(param)
    return tuple(result)


def _steps(r: Reader, path: tuple[str | int, ...]) -> tuple[StepTemplate, ...]:
    steps = []
    for index, raw in enumerate(r.get(*path, default=[])):
        here = (*path, index)
        kind = next(k for k in raw if k not in STEP_EXTRAS)
        if kind == "repeat":
            steps.append(
                StepTemplate(
                    "repeat",
                    repeat=str(raw["repeat"]),
                    steps=_steps(r, (*here, "steps")),
                    note=raw.get("note"),
                    source=r.source((*here, "repeat")),
                    note_source=r.source((*here, "note")),
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
                    source=r.source((*here, "exercise")),
                    note_source=r.source((*here, "note")),
                )
            )
        else:
            steps.append(
                StepTemplate(
                    kind,
                    target=str(raw[kind]),
                    note=raw.get("note"),
                    source=r.source((*here, kind)),
                    note_source=r.source((*here, "note")),
                    effort=raw.get("by") == "effort",
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


_JINJA_HINT = (
    f"fix the expression; what a text can use is in {doc_link('templates.md')} (Jinja text)"
)
_TARGET_HINT = "write `<amount> [@ <zone>]`: 400m, 2km, 15min or fill, then a zone, e.g. `@ 5k`"
_REPEAT_HINT = 'a count is a whole number from 1 to 100, or a param: `repeat: "{{ reps }}"`'


def _check_text(
    r: Reader,
    text: str | None,
    path: tuple[str | int, ...],
    contexts: Sequence[Mapping[str, Any]],
    parse: Callable[[str], object] | None = None,
    parse_hint: str | None = None,
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
            hint = exc.hint or _JINJA_HINT
            missing = str(exc).split("'")
            needle = None
            if code == "jinja-undefined" and len(missing) >= 2:
                needle = missing[1]
                hint = choices_hint(needle, [k for k in context if k != "pace"] + ["pace"])
            r.fail_in_text(code, str(exc), path, exc.line, hint, needle)
            return
        except (UnitError, ValueError) as exc:
            r.fail("bad-step", str(exc), path, parse_hint)
            return


MAX_STEPS = 100  # step templates in one workout, nested ones included
MAX_PHASE_WEEKS = 52  # the longest phase a plan can have (compiler/plan/resolve.py MAX_PLAN_WEEKS)
MAX_TRIED_CONSTANTS = 8  # strings of a text tried as `phase` or `race_distance`

# What a repeat count and a step's size may use besides the workout's params: values planc check
# can try every one of.  `athlete` and `pace(...)` are known only when a plan is built.
_COUNT_USES = ("week", "phase_weeks")
_TARGET_USES = ("week", "phase_weeks", "units", "phase", "race_distance")
_WEEKS = ("week", "phase_weeks")
_LONGEST_RACE = format_metres_plain(MAX_STEP_M)  # a program's distance is at most one step


def _single_param(text: str) -> str | None:
    """The param a repeat count names when it is only `{{ name }}`."""
    match = re.fullmatch(r"\s*\{\{\s*([a-z_][a-z0-9_]*)\s*\}\}\s*", text)
    return match.group(1) if match else None


def _listed_names(names: Sequence[str]) -> str:
    quoted = [f"`{name}`" for name in names]
    return ", ".join(quoted[:-1]) + f" and {quoted[-1]}" if len(quoted) > 1 else quoted[0]


def _every_value(
    r: Reader,
    text: str,
    path: tuple[str | int, ...],
    params: Sequence[Param],
    sample: Mapping[str, Any],
    uses: Sequence[str],
    what: str,
) -> list[tuple[str, str]] | None:
    """Every value ``text`` can render to in any week of any phase, each with the words that
    say when (for a message); None, reported here, when it uses a value planc check cannot try
    (`athlete`, `pace(...)`) or fails to render for one of them.

    A param moves linearly from `start` to `end`, so `{{ reps }}` alone is tried at both ends
    (and at its `grow_to`, with the last week's values);
    any other expression of params, `week` or `phase_weeks` in every week of every phase length
    (1 to MAX_PHASE_WEEKS weeks); `units` as km and mi; `phase` and `race_distance` as the
    sample values and the strings the text compares them with, `race_distance` also as the
    longest race a program may have (MAX_STEP_M)."""
    used = variables(text)
    names = {p.name for p in params}
    others = sorted((used - names - set(uses)) & set(sample))
    if others:
        r.fail(
            "bad-step",
            f"{what} may use the workout's params, {_listed_names(uses)}, not "
            f"'{others[0]}': planc check tries every value it can come to, and '{others[0]}' "
            "is known only when a plan is built",
            path,
            'use a param, e.g. `reps: {start: 4, end: 8}` and `"{{ reps }}"`',
        )
        return None
    if not used & (names | set(_WEEKS)):
        weeks = [(int(sample["week"]), int(sample["phase_weeks"]))]
    elif _single_param(text) in names:  # a param moves from start to end
        weeks = [(1, 2), (2, 2)]
    else:  # any other expression: every week of every phase length
        weeks = [(w, n) for n in range(1, MAX_PHASE_WEEKS + 1) for w in range(1, n + 1)]
    strings = sorted(constants(text))[:MAX_TRIED_CONSTANTS]
    tried: dict[str, list[Any]] = {
        "units": ["km", "mi"] if "units" in used else [sample["units"]],
        "phase": [sample["phase"], *strings] if "phase" in used else [sample["phase"]],
        "race_distance": [sample["race_distance"], _LONGEST_RACE, *strings]
        if "race_distance" in used
        else [sample["race_distance"]],
    }
    found: dict[str, str] = {}
    seen: set[tuple[Any, ...]] = set()
    grown = {p.name: p.grow_to for p in params if p.name in used and p.grow_to is not None}
    # the last week once more with the params at their `grow_to` (a fit athlete's session)
    for week, phase_weeks, at_most in [*((w, n, False) for w, n in weeks), (*weeks[-1], True)]:
        try:
            values = {p.name: param_value(p, week, phase_weeks) for p in params if p.name in used}
        except UnitError:
            return None  # reported at the params
        if at_most:
            values.update(grown)
        values.update(week=week, phase_weeks=phase_weeks)
        for units, phase, race_distance in itertools.product(*tried.values()):
            values.update(units=units, phase=phase, race_distance=race_distance)
            key = tuple(value for name, value in sorted(values.items()) if name in used)
            if key in seen:
                continue
            seen.add(key)
            when = _when(used, values)
            try:
                rendered = render(text, {**sample, **values})
            except RenderError as exc:
                r.fail_in_text("jinja-error", f"{exc} ({when})", path, exc.line, exc.hint)
                return None
            found.setdefault(rendered, when)
    return [(value, when) for value, when in found.items()]


def _when(used: set[str], values: Mapping[str, Any]) -> str:
    """When a value is what a text comes to, in words: 'week 3 of a 6-week phase, units mi'."""
    words = []
    if used & set(_WEEKS):
        words.append(f"week {values['week']} of a {values['phase_weeks']}-week phase")
    for name in sorted(used - set(_WEEKS)):
        if name in ("units", "phase", "race_distance"):
            words.append(f"{name} {values[name]!r}")
        elif name in values:
            words.append(f"{name} = {values[name]!r}")
    return ", ".join(words) or "always"


def _most_repeats(
    r: Reader,
    text: str,
    path: tuple[str | int, ...],
    params: Sequence[Param],
    sample: Mapping[str, Any],
) -> int | None:
    """The most times a repeat count can come to in any week of any phase (None, reported,
    when one of them is not a count from 1 to MAX_COUNT).  A count may use the params, `week`
    and `phase_weeks` only, so every value it can take is known here, before any plan is built."""
    if text.strip().isdigit():
        return repeat_count(text)
    values = _every_value(r, text, path, params, sample, _COUNT_USES, "a repeat count")
    if values is None:
        return None
    most = 0
    for value, when in values:
        try:
            most = max(most, repeat_count(value))
        except ValueError as exc:
            r.fail("bad-step", f"{exc} ({when})", path, _REPEAT_HINT)
            return None
    return most


def _largest_target(
    r: Reader,
    text: str,
    path: tuple[str | int, ...],
    params: Sequence[Param],
    sample: Mapping[str, Any],
) -> tuple[float, float] | None:
    """The longest distance and duration (metres, seconds) a step target can come to in any
    week of any phase; None, reported, when one of its values is not a step one session could
    have."""
    values = _every_value(r, text, path, params, sample, _TARGET_USES, "a step's size")
    if values is None:
        return None
    metres = seconds = 0.0
    for value, when in values:
        try:
            amount = step_target(value).amount
        except (UnitError, ValueError) as exc:
            r.fail("bad-step", f"{exc} ({when})", path, _TARGET_HINT)
            return None
        if amount is not None and amount.dimension == "distance":
            metres = max(metres, amount.value)
        elif amount is not None:
            seconds = max(seconds, amount.value)
    return metres, seconds


@dataclass(frozen=True)
class _Size:
    """The most a list of steps can come to, done once: its steps with the repeats written out,
    metres and seconds (each bounded with the fastest and slowest paces planc computes), and how
    many `fill` steps it has."""

    steps: int = 0
    metres: float = 0.0
    seconds: float = 0.0
    fills: int = 0

    def __add__(self, other: _Size) -> _Size:
        return _Size(
            self.steps + other.steps,
            self.metres + other.metres,
            self.seconds + other.seconds,
            self.fills + other.fills,
        )

    def times(self, count: int) -> _Size:
        return _Size(self.steps * count, self.metres * count, self.seconds * count, self.fills)


def _count_steps(steps: Sequence[StepTemplate]) -> int:
    return sum(1 + _count_steps(step.steps) for step in steps)


def _check_steps(
    r: Reader,
    steps: Sequence[StepTemplate],
    path: tuple[str | int, ...],
    contexts: Sequence[Mapping[str, Any]],
    params: Sequence[Param] = (),
    times: int = 1,
) -> _Size:
    """Check every step's text and every value its counts and sizes can come to; returns the
    most the steps can come to, done once.  ``times``: how many times these steps are done in a
    session (the counts of the repeats around them)."""
    size = _Size()
    for index, step in enumerate(steps):
        here = (*path, index)
        reported = len(r.diagnostics)
        if step.kind == "repeat":
            text = step.repeat or "1"
            _check_text(r, text, (*here, "repeat"), contexts, repeat_count, _REPEAT_HINT)
            most = None
            if len(r.diagnostics) == reported:
                most = _most_repeats(r, text, (*here, "repeat"), params, contexts[0])
            if most is not None and times * most > MAX_REPETITIONS:
                r.fail(
                    "bad-step",
                    f"the steps of this repeat are done up to {times * most} times in a session "
                    f"(nested repeats multiply); planc allows {MAX_REPETITIONS}",
                    (*here, "repeat"),
                    "repeat fewer times, or write the sets out one after another",
                )
                most = 0  # said once, here: not again for the repeats inside
            count = 1 if most is None else most
            inner = _check_steps(r, step.steps, (*here, "steps"), contexts, params, times * count)
            size += inner.times(count)
        elif step.kind == "exercise":
            size += _Size(steps=1)  # name, sets, reps and hold are checked by the schema
        else:
            text = step.target or ""
            _check_text(r, text, (*here, step.kind), contexts, step_target, _TARGET_HINT)
            largest = None
            if len(r.diagnostics) == reported:
                largest = _largest_target(r, text, (*here, step.kind), params, contexts[0])
            metres, seconds = largest or (0.0, 0.0)
            if step.kind == "walk":  # walking breaks are not running volume
                size += _Size(1, 0.0, seconds + metres * SLOWEST_PACE / 1000)
            else:
                size += _Size(
                    1,
                    metres + seconds * 1000 / FASTEST_PACE,
                    seconds + metres * SLOWEST_PACE / 1000,
                )
            if is_fill(step.target):
                size += _Size(fills=1)
                if size.fills > 1:
                    r.fail(
                        "bad-step",
                        "a workout may have only one `fill` step",
                        (*here, step.kind),
                        "give the other steps a fixed distance or duration",
                    )
        _check_text(r, step.note, (*here, "note"), contexts)
    return size


def _check_session(r: Reader, size: _Size) -> None:
    """A session's most steps, metres and seconds, within the limits of one session."""
    too_big = []
    if size.steps > MAX_SESSION_STEPS:
        too_big.append(f"{size.steps} steps once its repeats are written out ({MAX_SESSION_STEPS})")
    if size.metres > MAX_SESSION_M:
        too_big.append(f"{size.metres / 1000:,.0f} km of running ({MAX_SESSION_M / 1000:g} km)")
    if size.seconds > MAX_SESSION_S:
        too_big.append(f"{size.seconds / 3600:,.1f} h ({MAX_SESSION_S / 3600:g} h)")
    if too_big:
        r.fail(
            "bad-step",
            "the workout's steps can come to " + "; ".join(too_big) + ", more than one "
            "session holds (at most, in brackets)",
            ("steps",),
            "repeat fewer times or make the steps smaller; a session's fixed steps are "
            f"timed at {SLOWEST_PACE / 60:g} min/km at the slowest and measured at "
            f"{FASTEST_PACE / 60:g} min/km at the fastest",
            key=True,
        )


def _grown_ends(r: Reader, params: Sequence[Param], ends: Mapping[str, Any]) -> dict[str, Any]:
    """The params at their ``grow_to`` (the rest at their end): the biggest a session can grow
    to, so that planc check holds it to the limits of one session too."""
    grown = dict(ends)
    for param in params:
        if param.grow_to is None:
            continue
        try:
            grown_value(param, ends[param.name])  # the same kind of value as the param's
        except UnitError as exc:
            r.fail(
                "bad-value",
                str(exc),
                ("params", param.name, "grow_to"),
                "give `grow_to` the same kind of value as `start`: a number, a distance "
                "(`800m`) or a duration (`10min`)",
            )
            continue
        grown[param.name] = param.grow_to
    return grown


def resolve_workout(doc: Document) -> tuple[WorkoutTemplate, list[Diagnostic]]:
    r = Reader(doc)
    r.check_name()
    params = _params(r)
    ends: list[dict[str, Any]] = [{}, {}]
    for param in params:
        try:
            ends[0][param.name] = param_value(param, 1, 2)
            ends[1][param.name] = param_value(param, 2, 2)
        except UnitError as exc:
            r.fail(
                "bad-value",
                str(exc),
                ("params", param.name),
                "give `start`, `end` and `step` the same kind of value: numbers, distances "
                "(`400m`) or durations (`90s`)",
            )
            for end in ends:  # a stand-in, so its uses are not reported as undefined too
                end[param.name] = param.start
    ends.append(_grown_ends(r, params, ends[1]))
    steps = _steps(r, ("steps",))
    step_contexts = [_sample_context(values, totals=False) for values in ends]
    text_contexts = [_sample_context(values, totals=True) for values in ends]
    if _count_steps(steps) > MAX_STEPS:
        r.fail(
            "bad-step",
            f"the workout has {_count_steps(steps)} steps, nested ones included; planc allows "
            f"{MAX_STEPS}",
            ("steps",),
            "use `repeat` for steps done more than once",
            key=True,
        )
    _check_session(r, _check_steps(r, steps, ("steps",), step_contexts, params))
    title, description = str(r.get("title", default="")), str(r.get("description", default=""))
    _check_text(r, title, ("title",), text_contexts)
    _check_text(r, description, ("description",), text_contexts)
    duration_s = r.convert(parse_duration, ("duration",), None)
    if duration_s is not None and not 0 < duration_s <= MAX_SESSION_S:
        r.fail(
            "bad-value",
            f"a session lasts more than 0 and at most {MAX_SESSION_S / 3600:g} h",
            ("duration",),
            "give the session's own length, e.g. `duration: 30min`",
        )
        duration_s = None
    category = str(r.get("category"))
    if category == "rest" and steps:
        r.fail("bad-step", "a rest workout has no steps", ("steps",), "remove `steps:`")
    if category not in ("rest", "strength") and not steps:
        r.fail(
            "missing-key",
            f"a {category} workout needs `steps:`",
            ("category",),
            "add `steps:` with at least one step, e.g. `- run: fill @ easy`",
        )
    workout = WorkoutTemplate(
        name=str(r.get("name")),
        category=category,
        intensity=r.get("intensity"),
        title=title,
        description=description,
        params=params,
        steps=steps,
        duration_s=duration_s,
        source=r.source(),
        sources=tuple((key, r.source((key,))) for key in ("title", "description", "steps")),
    )
    return workout, r.diagnostics


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
        cutback_injury_prone=percent("cutback_injury_prone", 0.15) or 0.0,
        start=start,
        end=percent("end", start if data.get("start") is not None else default_level[1]),
        levels=tuple(parse_percent(level) for level in data.get("levels") or ()),
    )


def resolve_phase(doc: Document) -> tuple[PhaseTemplate, list[Diagnostic]]:
    r = Reader(doc)
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
    r = Reader(doc)
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
                f"`min_weeks` is the fewest weeks the phase may shrink to: at most {weeks}",
            )
        if max_weeks is not None and max_weeks < weeks:
            r.fail(
                "bad-value",
                f"max_weeks {max_weeks} is less than the phase's {weeks} weeks",
                (*here, "max_weeks"),
                f"`max_weeks` is the most weeks the phase may grow to: at least {weeks}",
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
    distance_m = r.convert(parse_distance, ("distance",), 5000.0)
    if not 0 < distance_m <= MAX_STEP_M:  # race day is one step: `{{ race_distance }} @ race`
        r.fail(
            "bad-value",
            f"a race distance is more than 0 and at most {MAX_STEP_M / 1000:g} km, the longest "
            "step a session can have",
            ("distance",),
            "write the race's distance, e.g. `distance: 21.0975km`",
        )
        distance_m = 5000.0
    program = Program(
        name=str(r.get("name")),
        title=str(r.get("title", default=str(r.get("name")))),
        distance_m=distance_m,
        phases=tuple(phases),
        peak_volume_m=r.convert(parse_distance, ("peak_volume",), 200_000.0),
        long_run_max_s=r.convert(parse_duration, ("long_run_max",), 150 * 60.0),
        min_easy_run_m=r.convert(parse_distance, ("min_easy_run",), 3000.0),
        race_workout=race_workout or "race",
        source=r.source(),
        long_run_growth=r.convert(parse_percent, ("long_run_growth",), 0.10),
        rules=_program_rules(r, library),
    )
    return program, r.diagnostics


def _program_rules(r: Reader, library: Library) -> ProgramRules:
    """The program's coaching numbers; each missing one is the bundled default."""
    d = ProgramRules()
    q = QualityLimits()

    def workout(*path: str) -> str | None:
        return r.reference("workout", path, library) if r.get(*path) else None

    return ProgramRules(
        long_run_target_m=r.convert(parse_distance, ("long_run_target",), d.long_run_target_m),
        long_run_max_share=r.convert(parse_percent, ("long_run_max_share",), d.long_run_max_share),
        peak_from_current=r.convert(parse_percent, ("peak_from_current",), d.peak_from_current),
        peak_min_gain_m=r.convert(parse_distance, ("peak_min_gain",), d.peak_min_gain_m),
        base_until=r.convert(parse_percent, ("base_until",), d.base_until),
        easy_run_max_s=r.convert(parse_duration, ("easy_run_max",), d.easy_run_max_s),
        easy_run_typical_s=r.convert(parse_duration, ("easy_run_typical",), d.easy_run_typical_s),
        easy_run_max_of_long=r.convert(
            parse_percent, ("easy_run_max_of_long",), d.easy_run_max_of_long
        ),
        recovery_run_max_s=r.convert(parse_duration, ("recovery_run_max",), d.recovery_run_max_s),
        medium_long_share=r.convert(parse_percent, ("medium_long_share",), d.medium_long_share),
        medium_long_from_m=r.convert(parse_distance, ("medium_long_from",), d.medium_long_from_m),
        shakeout=workout("shakeout"),
        race_specific_long=workout("race_specific", "long"),
        race_specific_quality=workout("race_specific", "quality"),
        rest_after_race=int(r.get("rest_after_race", default=d.rest_after_race)),
        hard_days_apart=int(r.get("hard_days_apart", default=d.hard_days_apart)),
        masters_age=int(r.get("masters", "age", default=d.masters_age)),
        masters_hard_days_apart=int(
            r.get("masters", "hard_days_apart", default=d.masters_hard_days_apart)
        ),
        masters_cutback_every=int(
            r.get("masters", "cutback_every", default=d.masters_cutback_every)
        ),
        quality=QualityLimits(
            threshold=r.convert(parse_percent, ("quality_limits", "threshold"), q.threshold),
            interval=r.convert(parse_percent, ("quality_limits", "interval"), q.interval),
            repetition=r.convert(parse_percent, ("quality_limits", "repetition"), q.repetition),
            interval_max_m=r.convert(
                parse_distance, ("quality_limits", "interval_max"), q.interval_max_m
            ),
            repetition_max_m=r.convert(
                parse_distance, ("quality_limits", "repetition_max"), q.repetition_max_m
            ),
            min_work_s=r.convert(parse_duration, ("quality_limits", "min_work"), q.min_work_s),
            grow_from=r.convert(parse_percent, ("quality_limits", "grow_from"), q.grow_from),
            grow_until=r.convert(parse_percent, ("quality_limits", "grow_until"), q.grow_until),
        ),
    )


def _focus_phase(r: Reader, path: tuple[str | int, ...], library: Library) -> FocusPhase:
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
        quality_long=r.reference("workout", (*path, "quality_long"), library),
        medium_long=r.reference("workout", (*path, "medium_long"), library),
    )


def resolve_focus(
    doc: Document,
    library: Library,
    workouts: Mapping[str, WorkoutTemplate],
    phases: Mapping[str, PhaseTemplate],
) -> tuple[Focus, list[Diagnostic]]:
    r = Reader(doc)
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
