"""Static checks of a template's Jinja text, before any plan is built.

A text must parse and name only what it may use (found statically, even in a branch the sample
values do not take), and render with stand-in values.  A repeat count or a step's size is also
rendered with every value it can come to in any week of any phase (``every_value``), so that
planc check holds it to the limits of one session."""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from .. import doc_link
from ..diagnostics import choices_hint, listed
from ..model import PACE_NAMES, ZONES, Param
from ..sandbox import RenderError, constants, render, syntax_error, variables
from ..units import UnitError, format_metres_plain
from .reader import Reader
from .steps import MAX_STEP_M, param_value


def sample_context(params: Mapping[str, Any], *, totals: bool) -> dict[str, Any]:
    """The variables a template text sees, with stand-in values, for checking it statically."""
    context: dict[str, Any] = dict(params)
    context.update(
        athlete="Athlete",
        phase="build",
        week=1,
        phase_weeks=4,
        units="km",
        race_distance="10km",
        race_priority="A",
        after="hard",
        pace=_sample_pace,
        pace_name=_sample_pace_name,
    )
    if totals:
        context.update(distance="10 km", duration="50 min", minutes=50)
    return context


def _sample_pace(zone: str) -> str:
    if zone not in ZONES:
        raise ValueError(f"unknown pace zone '{zone}'; zones: {', '.join(ZONES)}")
    return "4:30/km"


def _sample_pace_name(zone: str) -> str:
    _sample_pace(zone)
    return PACE_NAMES[zone]


_JINJA_HINT = (
    f"fix the expression; what a text can use is in {doc_link('templates.md')} (Jinja text)"
)


def check_text(
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
        if name in ("distance", "duration", "minutes"):
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


MAX_PHASE_WEEKS = 52  # the longest phase a plan can have (plan/resolve_span.py MAX_PLAN_WEEKS)
MAX_TRIED_CONSTANTS = 8  # strings of a text tried as `phase` or `race_distance`

# What a repeat count and a step's size may use besides the workout's params: values planc check
# can try every one of.  `athlete` and `pace(...)` are known only when a plan is built.
_WEEKS = ("week", "phase_weeks")
COUNT_USES = _WEEKS
TARGET_USES = (*_WEEKS, "units", "phase", "race_distance")
_LONGEST_RACE = format_metres_plain(MAX_STEP_M)  # a program's distance is at most one step


def _single_param(text: str) -> str | None:
    """The param a repeat count names when it is only `{{ name }}`."""
    match = re.fullmatch(r"\s*\{\{\s*([a-z_][a-z0-9_]*)\s*\}\}\s*", text)
    return match.group(1) if match else None


def every_value(
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
    if not _uses_only(r, used, path, params, sample, uses, what):
        return None
    tried = _tried_strings(text, used, sample)
    grown = {p.name: p.grow_to for p in params if p.name in used and p.grow_to is not None}
    found: dict[str, str] = {}
    seen: set[tuple[Any, ...]] = set()
    for week, phase_weeks, at_most in _weeks_to_try(text, used, params, sample):
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


def _uses_only(
    r: Reader,
    used: set[str],
    path: tuple[str | int, ...],
    params: Sequence[Param],
    sample: Mapping[str, Any],
    uses: Sequence[str],
    what: str,
) -> bool:
    """Whether a text using ``used`` uses only the params and ``uses``: the values planc check
    can try every one of (reported here when not)."""
    names = {p.name for p in params}
    others = sorted((used - names - set(uses)) & set(sample))
    if others:
        r.fail(
            "bad-step",
            f"{what} may use the workout's params, {listed([f'`{u}`' for u in uses])}, not "
            f"'{others[0]}': planc check tries every value it can come to, and '{others[0]}' "
            "is known only when a plan is built",
            path,
            'use a param, e.g. `reps: {start: 4, end: 8}` and `"{{ reps }}"`',
        )
        return False
    return True


def _weeks_to_try(
    text: str, used: set[str], params: Sequence[Param], sample: Mapping[str, Any]
) -> list[tuple[int, int, bool]]:
    """The weeks and phase lengths to render a text in, and whether the params are at their
    `grow_to` (the last week once more: a fit athlete's session)."""
    names = {p.name for p in params}
    if not used & (names | set(_WEEKS)):
        weeks = [(int(sample["week"]), int(sample["phase_weeks"]))]
    elif _single_param(text) in names:  # a param moves from start to end
        weeks = [(1, 2), (2, 2)]
    else:  # any other expression: every week of every phase length
        weeks = [(w, n) for n in range(1, MAX_PHASE_WEEKS + 1) for w in range(1, n + 1)]
    return [*((w, n, False) for w, n in weeks), (*weeks[-1], True)]


def _tried_strings(text: str, used: set[str], sample: Mapping[str, Any]) -> dict[str, list[Any]]:
    """The values of `units`, `phase` and `race_distance` to render a text with: the sample
    values, and when the text uses one, the others it can be (the strings it compares it with,
    the longest race)."""
    strings = sorted(constants(text))[:MAX_TRIED_CONSTANTS]
    return {
        "units": ["km", "mi"] if "units" in used else [sample["units"]],
        "phase": [sample["phase"], *strings] if "phase" in used else [sample["phase"]],
        "race_distance": [sample["race_distance"], _LONGEST_RACE, *strings]
        if "race_distance" in used
        else [sample["race_distance"]],
    }


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
