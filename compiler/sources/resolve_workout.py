"""Resolve workouts: a workout template in its typed form, with every problem found.

Besides its texts (checked in template_text.py), every repeat count and step size is checked at
every value it can come to in any week of any phase, and the session they make is held to the
limits of one session (MAX_SESSION_* in steps.py) before any plan is built."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from ..diagnostics import Diagnostic
from ..model import Param, StepTemplate, WorkoutTemplate
from ..units import UnitError, parse_duration
from ..vocabulary import Category, Intensity, StepKind
from .document import Document
from .reader import Reader
from .steps import (
    FASTEST_PACE,
    MAX_REPETITIONS,
    MAX_SESSION_M,
    MAX_SESSION_S,
    MAX_SESSION_STEPS,
    SLOWEST_PACE,
    STEP_EXTRAS,
    grown_value,
    is_fill,
    param_value,
    repeat_count,
    step_target,
)
from .template_text import COUNT_USES, TARGET_USES, check_text, every_value, sample_context

MAX_STEPS = 100  # step templates in one workout, nested ones included

_TARGET_HINT = "write `<amount> [@ <zone>]`: 400m, 2km, 15min or fill, then a zone, e.g. `@ 5k`"
_REPEAT_HINT = 'a count is a whole number from 1 to 100, or a param: `repeat: "{{ reps }}"`'


def _params(r: Reader) -> tuple[Param, ...]:
    result = []
    for name, spec in (r.get("params") or {}).items():
        if isinstance(spec, dict):
            param = Param(
                name,
                spec["start"],
                spec.get("end"),
                spec.get("step"),
                spec.get("grow_to"),
                spec.get("careful_max"),
            )
        else:
            param = Param(name, spec)
        result.append(param)
    return tuple(result)


def _steps(r: Reader, path: tuple[str | int, ...]) -> tuple[StepTemplate, ...]:
    steps = []
    for index, raw in enumerate(r.get(*path, default=[])):
        here = (*path, index)
        kind = StepKind(next(k for k in raw if k not in STEP_EXTRAS))
        if kind == StepKind.REPEAT:
            steps.append(
                StepTemplate(
                    StepKind.REPEAT,
                    repeat=str(raw["repeat"]),
                    steps=_steps(r, (*here, "steps")),
                    note=raw.get("note"),
                    source=r.source((*here, "repeat")),
                    note_source=r.source((*here, "note")),
                )
            )
        elif kind == StepKind.EXERCISE:
            hold = raw.get("hold")
            steps.append(
                StepTemplate(
                    StepKind.EXERCISE,
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
    values = every_value(r, text, path, params, sample, COUNT_USES, "a repeat count")
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
    values = every_value(r, text, path, params, sample, TARGET_USES, "a step's size")
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
        if step.kind == StepKind.REPEAT:
            size += _check_repeat(r, step, here, contexts, params, times)
        elif step.kind == StepKind.EXERCISE:
            size += _Size(steps=1)  # name, sets, reps and hold are checked by the schema
        else:
            size += _check_target(r, step, here, contexts, params)
            if is_fill(step.target):
                size += _Size(fills=1)
                if size.fills > 1:
                    r.fail(
                        "bad-step",
                        "a workout may have only one `fill` step",
                        (*here, step.kind),
                        "give the other steps a fixed distance or duration",
                    )
        check_text(r, step.note, (*here, "note"), contexts)
    return size


def _check_repeat(
    r: Reader,
    step: StepTemplate,
    here: tuple[str | int, ...],
    contexts: Sequence[Mapping[str, Any]],
    params: Sequence[Param],
    times: int,
) -> _Size:
    """A repeat's count at every value it can come to, and the steps it repeats; the most they
    come to, done ``times`` times around it."""
    reported = len(r.diagnostics)
    text = step.repeat or "1"
    check_text(r, text, (*here, "repeat"), contexts, repeat_count, _REPEAT_HINT)
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
    return inner.times(count)


def _check_target(
    r: Reader,
    step: StepTemplate,
    here: tuple[str | int, ...],
    contexts: Sequence[Mapping[str, Any]],
    params: Sequence[Param],
) -> _Size:
    """A step's target at every value it can come to: the most metres and seconds it can be,
    each bounded with the fastest and slowest paces planc computes."""
    reported = len(r.diagnostics)
    text = step.target or ""
    check_text(r, text, (*here, step.kind), contexts, step_target, _TARGET_HINT)
    largest = None
    if len(r.diagnostics) == reported:
        largest = _largest_target(r, text, (*here, step.kind), params, contexts[0])
    metres, seconds = largest or (0.0, 0.0)
    if step.kind == StepKind.WALK:  # walking breaks are not running volume
        return _Size(1, 0.0, seconds + metres * SLOWEST_PACE / 1000)
    return _Size(
        1,
        metres + seconds * 1000 / FASTEST_PACE,
        seconds + metres * SLOWEST_PACE / 1000,
    )


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
    ends = _param_ends(r, params)
    steps = _steps(r, ("steps",))
    step_contexts = [sample_context(values, totals=False) for values in ends]
    text_contexts = [sample_context(values, totals=True) for values in ends]
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
    check_text(r, title, ("title",), text_contexts)
    check_text(r, description, ("description",), text_contexts)
    duration_s = _duration(r)
    category = Category(str(r.get("category")))
    _check_category(r, category, steps)
    workout = WorkoutTemplate(
        name=str(r.get("name")),
        category=category,
        intensity=Intensity(str(r.get("intensity"))),
        title=title,
        description=description,
        params=params,
        steps=steps,
        duration_s=duration_s,
        source=r.source(),
        sources=tuple((key, r.source((key,))) for key in ("title", "description", "steps")),
    )
    return workout, r.diagnostics


def _param_ends(r: Reader, params: Sequence[Param]) -> list[dict[str, Any]]:
    """The params' values in the first and the last week of a phase, and at their `grow_to`:
    the values a template's texts are checked with."""
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
    return ends


def _duration(r: Reader) -> float | None:
    """The session's own length (`duration:`), None when it gives none or one no session has
    (reported)."""
    duration_s = r.convert(parse_duration, ("duration",), None)
    if duration_s is not None and not 0 < duration_s <= MAX_SESSION_S:
        r.fail(
            "bad-value",
            f"a session lasts more than 0 and at most {MAX_SESSION_S / 3600:g} h",
            ("duration",),
            "give the session's own length, e.g. `duration: 30min`",
        )
        return None
    return duration_s


def _check_category(r: Reader, category: Category, steps: Sequence[StepTemplate]) -> None:
    """A rest workout has no steps; any other but strength has some."""
    if category == Category.REST and steps:
        r.fail("bad-step", "a rest workout has no steps", ("steps",), "remove `steps:`")
    if category not in (Category.REST, Category.STRENGTH) and not steps:
        r.fail(
            "missing-key",
            f"a {category} workout needs `steps:`",
            ("category",),
            "add `steps:` with at least one step, e.g. `- run: fill @ easy`",
        )
