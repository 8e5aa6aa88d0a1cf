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

import inspect
import os
import re
import tracemalloc
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from hang_guard import hang_guard
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from jinja2.filters import FILTERS as JINJA_FILTERS

from compiler.render import FILTERS, MAX_OUTPUT, MAX_VALUE, RenderError, render

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
