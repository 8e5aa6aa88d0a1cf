"""The documented limits hold everywhere (issue 12, items 1 and 2).

- The Jinja sandbox bounds memory for every construct, not only for the operators it intercepts:
  a nested ``str.format`` width, ``~``, ``replace`` of a list's text, and every whitelisted filter
  fuzzed with hostile arguments (hypothesis).  Memory is measured with tracemalloc (bytes
  allocated by Python, deterministic), never with a clock.
- A function is never text: ``{{ pace|string }}`` and its cousins would put a memory address in
  the plan and make builds differ.
- Whatever ``planc check`` accepts, ``planc build`` can build within the limits, and what
  ``planc build`` renders is checked again: the counts, distances and durations a template comes
  to for a real athlete, and the size of the whole session.

Attacks that need the command line (a hang, a crash, memory) are in tests/cases/hostile/ too,
where tests/test_hostile.py runs them in a forked child with bounded memory and a hang guard.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import inspect
import os
import re
import tracemalloc
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from hang_guard import hang_guard
from hypothesis import HealthCheck, assume, event, given, settings
from hypothesis import strategies as st
from jinja2.filters import FILTERS as JINJA_FILTERS

from compiler.api import compile_plan, load_project
from compiler.diagnostics import Diagnostic, PlanError
from compiler.model import Blueprint, Paces, Source, StepTemplate
from compiler.plan import sessions
from compiler.plan.paces import VDOT_MAX, VDOT_MIN, compute_paces, race_pace, training_paces
from compiler.plan.sessions import WALK_PACE
from compiler.sandbox import FILTERS, MAX_OUTPUT, MAX_VALUE, RenderError, render
from compiler.sources.load import load_text
from compiler.sources.resolve_workout import resolve_workout
from compiler.sources.steps import FASTEST_PACE, MAX_STEP_M, SLOWEST_PACE, param_value
from compiler.sources.validate import validate_document
from compiler.units import Unit, format_metres_plain, format_pace
from compiler.vocabulary import StepKind

SETTINGS = settings(
    max_examples=int(os.environ.get("PLANC_PROPERTY_EXAMPLES", "60")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)

# Bytes a text may allocate while it renders: values are at most MAX_VALUE characters (four
# bytes each at worst) and lists MAX_ITEMS items, so a few of them fit many times over.  The
# attacks below allocate tens of megabytes to gigabytes.
MEMORY = 4 << 20

ADDRESS = re.compile(r"0x[0-9a-fA-F]{6,}")


def _pace(zone: str) -> str:
    return {"easy": "5:30/km", "5k": "4:10/km"}.get(zone, "?")


CONTEXT: dict[str, Any] = {
    "athlete": "Sam",
    "reps": 6,
    "week": 2,
    "phase": "build",
    "phase_weeks": 4,
    "units": "km",
    "race_distance": "10km",
    "pace": _pace,
}


@contextmanager
def bounded_memory(what: str, limit: int = MEMORY) -> Iterator[None]:
    """Fails if the block's peak Python allocation passes ``limit`` bytes."""
    tracemalloc.start()
    try:
        yield
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak <= limit, f"{what}: allocated {peak:,} bytes (at most {limit:,})"


def refused(text: str, context: dict[str, Any] | None = None) -> RenderError:
    """The RenderError ``text`` gets, with memory bounded on the way."""
    with hang_guard(f"rendering {text!r}"), bounded_memory(text):
        try:
            result = render(text, {**CONTEXT, **(context or {})})
        except RenderError as exc:
            return exc
    pytest.fail(f"{text!r} rendered to {result[:200]!r}; a RenderError was expected")


# --------------------------------------------------------------------------- str.format


@pytest.mark.parametrize(
    "text",
    [
        "{{ '{0:{1}}'.format('x', '50000000') }}",
        "{{ '{0:{1}}'.format('x', '50000000')|length }}",
        "{{ '{:{}}'.format('x', '50000000') }}",
        "{{ '{0:>{1}}'.format(athlete, '50000000') }}",
        "{{ '{0:{1}{2}}'.format('x', '5000', '0000') }}",
        "{{ '{0:.{1}f}'.format(1.5, '50000000') }}",
        "{{ '{a:{b}}'.format_map({'a': 'x', 'b': '50000000'}) }}",
        "{{ '{0:{1}}'.format(7, '50000000') }}",
    ],
)
def test_a_format_width_from_a_nested_field_is_refused_before_it_is_made(text: str) -> None:
    assert "width or precision" in str(refused(text))


def test_a_format_width_within_the_limit_still_pads() -> None:
    assert render("{{ '[{0:>{1}}]'.format(athlete, '6') }}", CONTEXT) == "[   Sam]"
    assert render("{{ '{0:.{1}f}'.format(1.25, '1') }}", CONTEXT) == "1.2"


# --------------------------------------------------------------------------- functions as text


@pytest.mark.parametrize(
    "text",
    [
        "{{ pace|string }}",
        "{{ pace }}",
        "{{ '{}'.format(pace) }}",
        "{{ '%s'|format(pace) }}",
        "{{ '%s' % pace }}",
        "{{ pace ~ '' }}",
        "{{ [pace]|join }}",
        "{{ pace|replace('a', 'b') }}",
        "{{ pace|wordcount }}",
        "{{ athlete.upper }}",
        "{{ athlete.upper|string }}",
        "{{ athlete['upper'] ~ '' }}",
        "{{ athlete.format }}",
        "{{ (athlete.split, 1)|join(', ') }}",
    ],
)
def test_a_function_is_never_text(text: str) -> None:
    """A function printed is its memory address: refused, so builds stay reproducible."""
    exc = refused(text)
    assert "is a function" in str(exc), str(exc)
    assert not ADDRESS.search(str(exc)), str(exc)


@pytest.mark.parametrize(
    "text",
    ["{{ [pace]|string }}", "{{ '%r' % pace }}", "{{ '{!r}'.format(pace) }}", "{{ {'a': pace} }}"],
)
def test_a_function_seen_in_a_value_is_named_never_addressed(text: str) -> None:
    """A list's text holds its items' reprs: a function's names it, the same in every build."""
    rendered = render(text, CONTEXT)
    assert "<function pace>" in rendered
    assert not ADDRESS.search(rendered)


def test_functions_are_still_called() -> None:
    text = "{{ pace('easy') }} {{ athlete.upper() }} {{ '{}-{}'.format(week, reps) }}"
    assert render(text, CONTEXT) == "5:30/km SAM 2-6"


# --------------------------------------------------------------------------- filters


def test_truncate_with_a_length_shorter_than_its_end_is_a_render_error() -> None:
    """Jinja asserts length >= len(end): an AssertionError was an internal error (exit 3)."""
    assert "truncate" in str(refused("{{ 'Easy running today'|truncate(2) }}"))
    assert "truncate" in str(refused("{{ athlete|truncate(5, end='.....!') }}"))
    assert "truncate" in str(refused("{{ athlete|truncate(9, leeway=-1) }}"))
    assert render("{{ 'Easy running today'|truncate(9, leeway=0) }}", CONTEXT) == "Easy..."


def test_replace_counts_the_text_of_any_value_before_replacing() -> None:
    """A list's text is thousands of characters: replacing each of them was 90 MB."""
    refused("{{ (['x' * 90] * 100)|replace('x', 'y' * 9000) }}")
    refused("{{ (10 ** 70)|replace('1', 'y' * 9000) }}")


def test_joining_with_tilde_is_bounded() -> None:
    """`~` is not an operator Jinja's sandbox intercepts: planc joins it itself."""
    assert "joining" in str(refused("{{ (('x' * 9000) ~ ('x' * 9000))|length }}"))
    many = " ~ ".join(["('x' * 9999)"] * 200)
    refused("{{ (" + many + ")|length }}")
    assert render("{{ athlete ~ ' ' ~ week }}", CONTEXT) == "Sam 2"


def test_output_is_counted_while_it_is_made() -> None:
    text = "{{ 'x' * 9999 }}" * 300
    assert str(MAX_OUTPUT) in str(refused(text))


def test_every_filter_planc_allows_is_a_jinja_filter() -> None:
    assert set(FILTERS) <= set(JINJA_FILTERS)


# Values a hostile text can make: huge and negative numbers, infinities, long and format-laden
# strings, lists and dicts, the pace function and a string's method.
HOSTILE_NUMBERS = [
    0, 1, -1, -7, 2, 3, MAX_VALUE, MAX_VALUE + 1, 10**6, 1_900_000_000, 10**70, 2**255, -(2**255),
    0.5, -0.0, 1e308, float("inf"), float("-inf"), float("nan"),
]  # fmt: skip
HOSTILE_TEXT = [
    "", " ", "x", "...", "{0:{1}}", "{:>1900000000}", "%*d", "%1900000000s", "%s%s%s",
    "1900000000", "ceil", "floor", "common", "upper", "__class__", "a b c", "é" * 40,
    "x" * MAX_VALUE, "x " * 4000,
]  # fmt: skip
atoms = st.one_of(
    st.none(),
    st.booleans(),
    st.sampled_from(HOSTILE_NUMBERS),
    st.integers(min_value=-(2**255), max_value=2**255),
    st.floats(),
    st.sampled_from(HOSTILE_TEXT),
    st.text(max_size=30),
    st.sampled_from(["pace", "method"]),  # replaced by the function itself below
)
values = st.recursive(
    atoms,
    lambda inner: st.lists(inner, max_size=6) | st.dictionaries(st.text(max_size=4), inner),
    max_leaves=12,
)


def _live(value: Any) -> Any:
    """A generated value with the markers for functions made into functions."""
    if value == "pace":
        return _pace
    if value == "method":
        return "Sam".upper
    if isinstance(value, list):
        return [_live(item) for item in value]
    if isinstance(value, dict):
        return {key: _live(item) for key, item in value.items()}
    return value


def _keywords(name: str) -> list[str]:
    """The keyword arguments Jinja's filter ``name`` takes after the value it filters."""
    function: Callable[..., Any] = JINJA_FILTERS[name]
    names = list(inspect.signature(function).parameters)
    skip = 2 if hasattr(function, "jinja_pass_arg") else 1
    return [n for n in names[skip:] if n not in ("args", "kwargs")] or ["x"]


@st.composite
def filter_calls(draw: st.DrawFn) -> tuple[str, dict[str, Any]]:
    name = draw(st.sampled_from(FILTERS))
    positional = draw(st.lists(values, max_size=4))
    keywords = draw(st.dictionaries(st.sampled_from(_keywords(name)), values, max_size=2))
    arguments = [f"a{i}" for i in range(len(positional))]
    arguments += [f"{key}=k_{key}" for key in keywords]
    context = {f"a{i}": _live(v) for i, v in enumerate(positional)}
    context.update({f"k_{key}": _live(v) for key, v in keywords.items()})
    context["v"] = _live(draw(values))
    call = f"({', '.join(arguments)})" if arguments else draw(st.sampled_from(["", "()"]))
    text = draw(st.sampled_from(["{{ v|%s%s }}", "{{ (v|%s%s)|length }}", "{{ [v|%s%s] }}"]))
    return text % (name, call), context


@SETTINGS
@given(filter_calls())
def test_every_filter_with_hostile_arguments_renders_small_or_is_refused(
    call: tuple[str, dict[str, Any]],
) -> None:
    """Any whitelisted filter, any arguments a text can make: a RenderError, or at most
    MAX_OUTPUT characters that hold no memory address and are the same every time; never
    another exception, and never more than MEMORY bytes allocated on the way."""
    text, context = call
    with hang_guard(f"rendering {text!r}"), bounded_memory(text):
        try:
            first = render(text, context)
        except RenderError as exc:
            assert str(exc)
            return
    assert len(first) <= MAX_OUTPUT
    assert not ADDRESS.search(first), first
    assert render(text, context) == first


def test_the_filter_fuzz_reaches_every_filter() -> None:
    """The strategy draws each filter by name, with Jinja's own keyword arguments."""
    for name in FILTERS:
        assert _keywords(name), name


# =========================================================================== item 1: the plans

CORPUS = Path(__file__).parent / "cases" / "hostile"
TODAY = dt.date(2026, 11, 22)
HERE = Source("coach/easy-run.yaml", 9, 13)  # where the tests say a hostile value is written


@pytest.fixture(scope="module")
def blueprint() -> Blueprint:
    """A clean athlete (10 km in 52:30, five days a week, a half marathon in 15 weeks)."""
    project = load_project([CORPUS / "byte-order-mark.yaml"], today=TODAY)
    assert not project.diagnostics
    (found,) = project.blueprints
    return found


def _with_easy_run(bp: Blueprint, steps: tuple[StepTemplate, ...], **changes: Any) -> Blueprint:
    """``bp`` with its easy run made of ``steps``: a template that never went through planc
    check, as if a value had slipped past it."""
    easy = dataclasses.replace(bp.workouts["easy-run"], steps=steps, **changes)
    return dataclasses.replace(bp, workouts={**bp.workouts, "easy-run": easy})


def _run(target: str, **extra: Any) -> StepTemplate:
    return StepTemplate(StepKind.RUN, target=target, source=HERE, **extra)


def _repeat(count: str, *steps: StepTemplate, source: Source = HERE) -> StepTemplate:
    return StepTemplate(StepKind.REPEAT, repeat=count, steps=steps, source=source)


FILL = StepTemplate(
    StepKind.RUN, target="fill @ easy", source=Source("coach/easy-run.yaml", 20, 10)
)


def _refused(bp: Blueprint) -> Diagnostic:
    """The one problem building ``bp`` stops at: at a file, line and column, with a fix."""
    guard = hang_guard("building a plan from a hostile template")
    with guard, pytest.raises(PlanError) as raised:
        compile_plan(bp, TODAY)
    (problem,) = raised.value.diagnostics
    assert problem.file and problem.line and problem.column, problem
    assert problem.hint, problem
    return problem


@pytest.mark.parametrize(
    ("count", "says"),
    [
        ("{{ 10**70 }}", "between 1 and 100"),  # the loop over it never ended
        ("1000000", "between 1 and 100"),  # a 400,000 km easy run
        ("-7", "not a whole number"),  # "Easy run -7x400 m"
        ("0", "between 1 and 100"),
        ("1e6", "not a whole number"),
        ("{{ athlete|length * 20 }}", "between 1 and 100"),  # 200 for Sam Carter
        ("{{ pace('easy') }}", "not a whole number"),
        ("٣", "not a whole number"),  # a digit, but not one planc counts with
    ],
)
def test_a_count_built_outside_the_limits_stops_at_the_template(
    blueprint: Blueprint, count: str, says: str
) -> None:
    problem = _refused(_with_easy_run(blueprint, (_repeat(count, _run("400m @ easy")), FILL)))
    assert (problem.code, problem.file, problem.line, problem.column) == (
        "bad-step",
        HERE.file,
        HERE.line,
        HERE.column,
    )
    assert says in problem.message and "Sam Carter" in problem.message, problem.message


def test_nested_counts_built_past_the_repetitions_stop_before_any_loop(
    blueprint: Blueprint,
) -> None:
    """Four nested repeats of 100: 100,000,000 reps, walked one by one downstream (a hang)."""
    inner = Source("coach/easy-run.yaml", 11, 17)
    steps = _repeat(
        "100", _repeat("100", _repeat("100", _repeat("100", _run("400m"))), source=inner)
    )
    problem = _refused(_with_easy_run(blueprint, (steps, FILL)))
    assert (problem.line, problem.column) == (inner.line, inner.column)
    assert "10000 times" in problem.message


@pytest.mark.parametrize(
    "target",
    [
        "99999999999min @ easy",  # exit 3: a date past any calendar
        "9000000km @ easy",  # DTEND in 2127
        "{{ athlete|length }}00km @ easy",  # 1,000 km for Sam Carter
        "0km @ easy",
        "{{ '6h1s' }} @ easy",
    ],
)
def test_a_step_built_outside_the_limits_stops_at_the_template(
    blueprint: Blueprint, target: str
) -> None:
    problem = _refused(_with_easy_run(blueprint, (_run(target), FILL)))
    assert (problem.code, problem.line, problem.column) == ("bad-step", HERE.line, HERE.column)
    assert "one step can have" in problem.message


@pytest.mark.parametrize(
    ("steps", "says"),
    [
        ((_repeat("10", _repeat("10", _run("100km @ easy"))), FILL), "10,000 km"),
        ((_repeat("100", *[_run("100m @ easy")] * 11), FILL), "1100 steps"),
        ((_repeat("10", _run("6h @ easy")), FILL), "60.0 h"),
    ],
)
def test_a_session_built_past_the_limits_of_one_stops_at_its_steps(
    blueprint: Blueprint, steps: tuple[StepTemplate, ...], says: str
) -> None:
    listed = Source("coach/easy-run.yaml", 7, 1)
    problem = _refused(_with_easy_run(blueprint, steps, sources=(("steps", listed),)))
    assert (problem.code, problem.line, problem.column) == ("bad-step", 7, 1)
    assert says in problem.message, problem.message


def test_text_that_fails_to_render_while_building_names_its_line(blueprint: Blueprint) -> None:
    note = Source("coach/easy-run.yaml", 12, 11)
    step = _run("fill @ easy", note="{{ 'x' * 10**6 }}", note_source=note)
    problem = _refused(_with_easy_run(blueprint, (step,)))
    assert (problem.code, problem.line, problem.column) == ("jinja-error", 12, 11)
    title = Source("coach/easy-run.yaml", 5, 8)
    bp = _with_easy_run(blueprint, (FILL,), title="{{ pace|string }}", sources=(("title", title),))
    problem = _refused(bp)
    assert (problem.code, problem.line, problem.column) == ("jinja-error", 5, 8)


def test_a_session_within_the_limits_is_built(blueprint: Blueprint) -> None:
    steps = (_repeat("{{ week + 1 }}", _run("400m @ 5k"), _run("1min")), FILL)
    with hang_guard("building a plan"):
        plan = compile_plan(_with_easy_run(blueprint, steps), TODAY)
    easy = [w for week in plan.weeks for w in week.workouts if w.template == "easy-run"]
    assert easy and all(w.steps[0].repeat >= 2 for w in easy)


def test_the_paces_planc_computes_are_within_the_paces_check_bounds_with() -> None:
    """planc check bounds a session's time and distance with FASTEST_PACE and SLOWEST_PACE: they
    hold every pace the model gives, from the slowest VDOT to the fastest."""
    for vdot in (VDOT_MIN, VDOT_MAX):
        for zone, pace in training_paces(vdot).items():
            assert FASTEST_PACE <= pace.fast <= pace.slow <= SLOWEST_PACE, (vdot, zone, pace)
    for distance in (1500.0, 5000.0, 42_195.0, MAX_STEP_M):
        for vdot in (VDOT_MIN, VDOT_MAX):
            assert FASTEST_PACE <= race_pace(vdot, distance) <= SLOWEST_PACE
    assert FASTEST_PACE <= WALK_PACE <= SLOWEST_PACE


# --------------------------------------------------------------------------- check, then build

COUNTS = [
    "1", "3", "100", "{{ reps }}", "{{ reps * 3 }}", "{{ 2 if week == 1 else 50 }}",
    "{{ week }}", "{{ phase_weeks * 2 }}", "{{ 2 if week == 1 else -7 }}", "{{ 100 - week }}",
    "{{ 10 if week > 40 else 3 }}", "{{ (reps / 2)|int }}", "{{ [week, 3]|max }}",
    "{{ 4 if phase == 'taper' else 2 }}", "{{ 2 if pace('easy') == '4:30/km' else 1 }}",
]  # fmt: skip
TARGETS = [
    "400m @ 5k", "100km", "6h", "30s", "fill @ easy", "{{ d }} @ threshold",
    "{{ '1km' if week == 1 else '90km' }}", "{{ week }}km @ easy", "{{ week * 7 }}min",
    "{{ '9000km' if phase == 'taper' else '1km' }}", "{{ 5 if units == 'mi' else 8 }}km",
    "{{ race_distance }} @ race", "{{ phase_weeks * 2 }}km", "{{ reps }}min @ interval",
    "{{ '2h' if units == 'mi' else '20h' }}", "{{ athlete|length }}km",
]  # fmt: skip
KINDS = ["run", "jog", "walk", "warmup", "cooldown"]
BUILT_PHASES = ["base", "build", "peak", "taper", "recovery", "race"]
RACES = [5000.0, 10_000.0, 21_097.5, 42_195.0, MAX_STEP_M]
PHASE_LENGTHS = [1, 2, 3, 4, 7, 12, 26, 52]
UNITS: list[Unit] = ["km", "mi"]


def _step_lines(draw: st.DrawFn, depth: int, indent: str) -> list[str]:
    lines = []
    for _ in range(draw(st.integers(1, 3))):
        if depth < 3 and draw(st.booleans()):
            lines.append(f'{indent}- repeat: "{draw(st.sampled_from(COUNTS))}"')
            lines.append(f"{indent}  steps:")
            lines += _step_lines(draw, depth + 1, indent + "    ")
        else:
            kind, target = draw(st.sampled_from(KINDS)), draw(st.sampled_from(TARGETS))
            lines.append(f'{indent}- {kind}: "{target}"')
    return lines


@st.composite
def workouts(draw: st.DrawFn) -> str:
    reps = draw(st.lists(st.sampled_from([1, 2, 6, 20, 100, 150]), min_size=2, max_size=2))
    far = draw(st.sampled_from(["1km", "50km", "120km"]))
    return "\n".join(
        [
            "kind: workout",
            "name: generated",
            "category: intervals",
            "intensity: hard",
            "title: Generated",
            "params:",
            f"  reps: {{start: {reps[0]}, end: {reps[1]}}}",
            f"  d: {{start: 400m, end: {far}}}",
            "steps:",
            *_step_lines(draw, 0, "  "),
            "",
        ]
    )


@cache
def _extreme_paces() -> tuple[Paces, ...]:
    """The slowest and the fastest athlete planc plans for (VDOT near 15 and near 100)."""
    return tuple(compute_paces(5000.0, minutes * 60.0, 21_097.5, None) for minutes in (52.5, 11.5))


@SETTINGS
@given(workouts(), st.sampled_from(BUILT_PHASES), st.sampled_from(UNITS))
def test_what_check_accepts_build_builds_in_every_week_of_every_phase(
    text: str, phase: str, units: Unit
) -> None:
    """A workout planc check passes builds within the limits for any athlete, in any week of a
    phase of any length: no count, step or session that build would refuse."""
    document = load_text(text, "generated.yaml")
    assume(not validate_document(document))
    with hang_guard(f"checking {text}"):
        template, problems = resolve_workout(document)
    if any(p.severity == "error" for p in problems):
        event("refused by check")
        return
    event("accepted by check")
    with hang_guard(f"building {text}"):
        for paces in _extreme_paces():
            for weeks in PHASE_LENGTHS:
                for week in range(1, weeks + 1):
                    context = {p.name: param_value(p, week, weeks) for p in template.params} | {
                        "athlete": "Sam Carter",
                        "phase": phase,
                        "week": week,
                        "phase_weeks": weeks,
                        "units": units,
                        "race_distance": format_metres_plain(RACES[week % len(RACES)]),
                        "pace": lambda zone, paces=paces: format_pace(paces.zones[zone].mid, units),
                    }
                    try:
                        sessions.fixed_and_fill(template, context, paces)
                    except PlanError as exc:
                        pytest.fail(f"check accepted, build refused:\n{text}\n{exc.diagnostics}")
