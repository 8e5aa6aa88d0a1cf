"""Template text: Jinja expressions in titles, notes and step values, rendered in a sandbox.

A coach's text is code that runs on the machine that builds the plans, so it runs with less than
Jinja's own sandbox allows (docs/security.md):

- ImmutableSandboxedEnvironment keeps templates away from Python objects (no attribute or method
  whose name starts with an underscore, no changing lists or dicts), StrictUndefined turns a
  misspelt variable into an error instead of an empty string, and no globals are defined (no
  ``range``, ``lipsum``, ``cycler``, ``namespace``...).
- Only expressions, filters and ``{% if %}``: no loops, macros, includes, imports, template
  inheritance or variables of its own (``{% set %}``, ``{% with %}``), so a text cannot loop,
  recurse, or name a value to use it again and again (a list of lists of lists... of references).
- Every value is bounded while it is made, not after: ``*``, ``**``, ``+`` and ``%`` refuse to
  build a string bigger than MAX_VALUE characters, a list of more than MAX_ITEMS items or a
  number of more than MAX_INT_BITS bits; calls and filters refuse a number argument above
  MAX_VALUE, format strings a width or precision above it; only the filters in FILTERS and the
  plain string methods exist.  Operators that could grow a value are never folded at compile
  time (Jinja's sandbox evaluates constant expressions such as ``"x" * 10**9`` while it compiles
  unless the operator is intercepted).
  ``~`` joins at most MAX_VALUE characters; a ``str.format`` field's width and precision are
  checked once its nested fields are filled in (``"{0:{1}}".format("x", "1900000000")``).
- A function is never text: ``pace`` and a string's methods (``athlete.upper``) can be called,
  but printing one (``{{ pace }}``, ``pace|string``, ``"{}".format(pace)``) is refused, so no
  memory address reaches a plan and two builds of the same inputs are identical.
- A filter's arguments are checked before it runs (``truncate`` with a length shorter than its
  ending is a RenderError, not Jinja's AssertionError).
- A text is at most MAX_SOURCE characters, nests brackets at most MAX_NESTING deep, and renders
  to at most MAX_OUTPUT characters (counted while it renders); plain text (no Jinja) is held to
  MAX_OUTPUT too.
"""

from __future__ import annotations

import re
import types
from collections.abc import Callable, Hashable, Iterator, Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any

from jinja2 import StrictUndefined, TemplateSyntaxError, Undefined, meta, nodes
from jinja2.compiler import CodeGenerator, Frame
from jinja2.exceptions import SecurityError, TemplateError, UndefinedError
from jinja2.filters import FILTERS as JINJA_FILTERS
from jinja2.runtime import Context
from jinja2.sandbox import ImmutableSandboxedEnvironment, SandboxedFormatter

from . import doc_link

MAX_OUTPUT = 2_000  # characters a text renders to; a title or note is a line or a paragraph
MAX_SOURCE = 5_000  # characters of one text as written
MAX_NESTING = 32  # brackets ( [ { inside one text's Jinja
MAX_VALUE = 10_000  # characters of any value made while rendering; also number arguments
MAX_ITEMS = 100  # items of a list, tuple or dict made while rendering
MAX_INT_BITS = 256  # of any whole number made while rendering (a 77-digit number)


class RenderError(ValueError):
    """A template text could not be rendered; the message says why in a coach's words."""

    def __init__(
        self,
        message: str,
        line: int | None = None,
        hint: str | None = None,
        *,
        syntax: bool = False,
    ) -> None:
        super().__init__(message)
        self.line = line  # 1-based line within the text, when Jinja knows it
        self.hint = hint
        self.syntax = syntax  # a Jinja syntax error (unbalanced {{ }}...), not a refused text


# --------------------------------------------------------------------------- bounded values


class _TooBig(SecurityError):
    """A value over the bounds, refused before it is made."""


_CONTAINERS = (list, tuple, dict, set, frozenset)


def _size(value: Any) -> int | None:
    """How big a value is, for the bounds: characters; for a list, its items and the characters
    of the strings in it (a list repeated is a list of references, its text is not); None for
    other values."""
    if isinstance(value, str):
        return len(value)
    if isinstance(value, _CONTAINERS):
        if len(value) > MAX_ITEMS:
            return MAX_VALUE + len(value)
        return len(value) + sum(len(item) for item in value if isinstance(item, str))
    return None


def _check_size(value: Any) -> Any:
    size = _size(value)
    if size is not None and size > MAX_VALUE:
        raise _TooBig(f"a value of {size} characters or items (at most {MAX_VALUE})")
    if _is_int(value) and value.bit_length() > MAX_INT_BITS:
        raise _TooBig(f"a number bigger than {MAX_INT_BITS} bits")
    return value


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _multiply(left: Any, right: Any) -> Any:
    for seq, count in ((left, right), (right, left)):
        size = _size(seq)
        if size is not None and _is_int(count) and size * max(count, 0) > MAX_VALUE:
            raise _TooBig(f"repeating {size} characters or items {count} times")
        if isinstance(seq, _CONTAINERS) and any(isinstance(i, _CONTAINERS) for i in seq):
            raise _TooBig("repeating a list that holds lists")
    if _is_int(left) and _is_int(right) and left.bit_length() + right.bit_length() > MAX_INT_BITS:
        raise _TooBig(f"a number bigger than {MAX_INT_BITS} bits")
    return _check_size(left * right)


def _power(left: Any, right: Any) -> Any:
    whole = _is_int(left) and _is_int(right) and right > 0 and abs(left) > 1
    if whole and (abs(left).bit_length() - 1) * right > MAX_INT_BITS:
        raise _TooBig(f"a number bigger than {MAX_INT_BITS} bits")
    if isinstance(right, int | float) and abs(right) > MAX_VALUE:
        raise _TooBig(f"an exponent above {MAX_VALUE}")
    return _check_size(left**right)


def _add(left: Any, right: Any) -> Any:
    sizes = (_size(left), _size(right))
    if sizes[0] is not None and sizes[1] is not None and sizes[0] + sizes[1] > MAX_VALUE:
        raise _TooBig(f"joining values of {sizes[0] + sizes[1]} characters or items")
    lists = isinstance(left, _CONTAINERS) and isinstance(right, _CONTAINERS)
    if lists and any(isinstance(i, _CONTAINERS) for part in (left, right) for i in part):
        raise _TooBig("joining lists that hold lists")
    return _check_size(left + right)


# A printf conversion: flags, a width and a precision (which may be * or a number).
_PRINTF = re.compile(r"%(?:\([^)]*\))?[-#0 +]*(\*|\d+)?(?:\.(\*|\d+))?")


def _check_printf(text: str) -> None:
    for width, precision in _PRINTF.findall(text):
        for number in (width, precision):
            if number == "*" or (number and int(number) > MAX_VALUE):
                raise _TooBig(f"a % format width or precision above {MAX_VALUE}")


def _modulo(left: Any, right: Any) -> Any:
    if isinstance(left, str):
        _check_printf(left)
    return _check_size(left % right)


def _check_format_spec(spec: str) -> None:
    """A str.format field's spec, its nested fields filled in: no width or precision above
    MAX_VALUE (every run of digits counts, so a digit used as the fill character errs on the
    safe side)."""
    for number in re.findall(r"\d+", spec):
        if len(number) > len(str(MAX_VALUE)) or int(number) > MAX_VALUE:
            raise _TooBig(f"a format width or precision above {MAX_VALUE}")


class _Formatter(SandboxedFormatter):
    """Jinja's sandboxed str.format, checking every field's spec as it is used: after nested
    fields (``{0:{1}}``) are filled in, before the field is made."""

    def format_field(self, value: Any, format_spec: str) -> Any:
        _check_format_spec(format_spec)
        return _check_size(super().format_field(value, format_spec))


class _NotText(SecurityError):
    """A function used as text."""


class _Function:
    """A function a text may call (``pace``, a string's method), which is never text itself:
    printing it would put a memory address in the plan.  Its repr (used in error messages and
    ``%r``) names it, the same in every build."""

    __slots__ = ("function", "name")

    def __init__(self, function: Callable[..., Any], name: str) -> None:
        self.function = function
        self.name = name

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        return self.function(*args, **kwargs)

    def _refuse(self) -> _NotText:
        example = "pace('easy')" if self.name == "pace" else f"{self.name}()"
        return _NotText(f"'{self.name}' is a function, not text: call it, e.g. {example}")

    def __str__(self) -> str:
        raise self._refuse()

    def __format__(self, spec: str) -> str:
        raise self._refuse()

    def __repr__(self) -> str:
        return f"<function {self.name}>"


@dataclass(frozen=True)
class Lookup:
    """A function a text may call that looks its argument up: ``pace('easy')`` is the easy pace
    as the athlete reads it, any other argument ``missing``.  Data, not code: equal lookups
    answer alike, so a text calling one is remembered like a text of plain values (render)."""

    entries: tuple[tuple[str, str], ...]
    missing: str

    def __call__(self, key: Any) -> str:
        return dict(self.entries).get(key, self.missing)


def _as_function(value: Any, name: Any) -> Any:
    """``value`` as a template sees it: a callable (not an Undefined) becomes a _Function."""
    if callable(value) and not isinstance(value, _Function | Undefined | type):
        return _Function(value, str(name))
    return value


def _given(value: Any, name: str) -> Any:
    """A context value as a text sees it: functions in it, at any depth, as _Functions."""
    if isinstance(value, list | tuple):
        return type(value)(_given(item, name) for item in value)
    if isinstance(value, dict):
        return {key: _given(item, f"{name}[{key!r}]") for key, item in value.items()}
    return _as_function(value, name)


def _concat(values: tuple[Any, ...]) -> str:
    """``a ~ b ~ c``: the values as text, joined, refused past MAX_VALUE characters."""
    parts: list[str] = []
    total = 0
    for value in values:
        part = str(value)
        total += len(part)
        if total > MAX_VALUE:
            raise _TooBig(f"joining more than {MAX_VALUE} characters with ~")
        parts.append(part)
    return "".join(parts)


BINOPS: Mapping[str, Callable[[Any, Any], Any]] = {
    "*": _multiply,
    "**": _power,
    "+": _add,
    "%": _modulo,
}


# --------------------------------------------------------------------------- filters


def _bounded_filter(name: str) -> Callable[..., Any]:
    """Jinja's filter ``name``, refusing number arguments above MAX_VALUE and results bigger than
    MAX_VALUE, and checking the products it could make before making them.  An iterator it
    returns (``reverse``) is made a list: values are data, never objects with an address."""
    original: Callable[..., Any] = JINJA_FILTERS[name]

    passes = 1 if hasattr(original, "jinja_pass_arg") else 0  # the environment or context

    def bounded(*args: Any, **kwargs: Any) -> Any:
        values = args[passes:]  # the value filtered, then the filter's arguments
        _check_arguments(values[1:], kwargs)
        if name == "replace" and len(values) >= 3:
            count = values[3] if len(values) > 3 else kwargs.get("count", -1)
            _check_replace(str(values[0]), str(values[1]), str(values[2]), count)
        if name == "join" and values:
            _check_join(values[0], values[1] if len(values) > 1 else kwargs.get("d", ""))
        if name == "truncate":
            _check_truncate(values[1:], kwargs)
        if name == "format" and values and isinstance(values[0], str):
            _check_printf(values[0])
        result = original(*args, **kwargs)
        if isinstance(result, Iterator):  # reverse of a list: an iterator prints its address
            result = list(result)
        return _check_size(result)

    bounded.__name__ = name
    for attribute in ("jinja_pass_arg",):  # context/environment-passing filters keep working
        if hasattr(original, attribute):
            setattr(bounded, attribute, getattr(original, attribute))
    return bounded


def _check_arguments(args: tuple[Any, ...], kwargs: Mapping[str, Any]) -> None:
    for value in (*args, *kwargs.values()):
        number = isinstance(value, int | float) and not isinstance(value, bool)
        if number and abs(value) > MAX_VALUE:
            raise _TooBig(f"a number argument above {MAX_VALUE}")
        _check_size(value)


def _check_replace(text: Any, old: Any, new: Any, count: Any) -> None:
    if not (isinstance(text, str) and isinstance(old, str) and isinstance(new, str)):
        return
    found = text.count(old) if old else len(text) + 1
    if _is_int(count) and count >= 0:
        found = min(found, count)
    if len(text) + found * (len(new) - len(old)) > MAX_VALUE:
        raise _TooBig(f"a replacement that makes more than {MAX_VALUE} characters")


def _check_join(items: Any, separator: Any) -> None:
    if isinstance(items, list | tuple | str):
        total = sum(len(str(item)) for item in items)
        total += len(str(separator)) * max(len(items) - 1, 0)
        if total > MAX_VALUE:
            raise _TooBig(f"a join that makes more than {MAX_VALUE} characters")


class _BadArgument(TemplateError):
    """A filter's argument it cannot work with, said in a coach's words."""


def _check_truncate(args: tuple[Any, ...], kwargs: Mapping[str, Any]) -> None:
    """truncate(length=255, killwords=False, end='...', leeway=None): Jinja asserts what this
    says, and an assertion is not a diagnostic."""
    names = ("length", "killwords", "end", "leeway")
    given = dict(zip(names, args, strict=False)) | dict(kwargs)
    length, end, leeway = given.get("length", 255), given.get("end", "..."), given.get("leeway")
    if not _is_int(length):
        raise _BadArgument(f"truncate's length must be a whole number, not {length!r}")
    if not isinstance(end, str):
        raise _BadArgument(f"truncate's end must be text, not {end!r}")
    if length < len(end):
        raise _BadArgument(
            f"truncate's length ({length}) is shorter than its end {end!r} ({len(end)} "
            "characters): give a length of at least that, or a shorter end"
        )
    if leeway is not None and not (_is_int(leeway) and leeway >= 0):
        raise _BadArgument(f"truncate's leeway must be a whole number from 0, not {leeway!r}")


# Filters a text may use: enough to format values; none that could reach Python objects
# (attr, map, select...), none that is not deterministic (random).
FILTERS = (
    "abs",
    "capitalize",
    "count",
    "d",
    "default",
    "first",
    "float",
    "format",
    "int",
    "join",
    "last",
    "length",
    "lower",
    "max",
    "min",
    "replace",
    "reverse",
    "round",
    "string",
    "sum",
    "title",
    "trim",
    "truncate",
    "upper",
    "wordcount",
)


# --------------------------------------------------------------------------- the environment

_STRING_METHODS = frozenset(
    {
        "capitalize",
        "count",
        "endswith",
        "find",
        "format",
        "format_map",
        "isalnum",
        "isalpha",
        "isdigit",
        "islower",
        "isnumeric",
        "isspace",
        "istitle",
        "isupper",
        "lower",
        "lstrip",
        "removeprefix",
        "removesuffix",
        "replace",
        "rfind",
        "rstrip",
        "split",
        "startswith",
        "strip",
        "swapcase",
        "title",
        "upper",
    }
)


class _CodeGenerator(CodeGenerator):
    """Jinja's code generator, with ``~`` bounded: it joins through ``environment.concat_text``
    (Jinja's own join is not one of the operators a sandbox can intercept)."""

    def visit_Concat(self, node: nodes.Concat, frame: Frame) -> None:
        self.write("environment.concat_text((")
        for arg in node.nodes:
            self.visit(arg, frame)
            self.write(", ")
        self.write("))")


class _Environment(ImmutableSandboxedEnvironment):
    intercepted_binops = frozenset(BINOPS)
    code_generator_class = _CodeGenerator

    @staticmethod
    def concat_text(values: tuple[Any, ...]) -> str:
        return _concat(values)

    def is_safe_attribute(self, obj: Any, attr: str, value: Any) -> bool:
        # No attribute starting with an underscore, and of a string only its plain text methods.
        if attr.startswith("_"):
            return False
        if isinstance(obj, str) and callable(value) and attr not in _STRING_METHODS:
            return False
        return bool(super().is_safe_attribute(obj, attr, value))

    def getattr(self, obj: Any, attribute: str) -> Any:
        return _as_function(super().getattr(obj, attribute), attribute)

    def getitem(self, obj: Any, argument: Any) -> Any:
        return _as_function(super().getitem(obj, argument), argument)

    def call_binop(self, context: Context, operator: str, left: Any, right: Any) -> Any:
        return BINOPS[operator](left, right)

    def wrap_str_format(self, value: Any) -> Callable[..., str] | None:
        method = isinstance(value, types.BuiltinMethodType) and isinstance(value.__self__, str)
        if not method or value.__name__ not in ("format", "format_map"):
            return None
        text: str = value.__self__
        vformat = _Formatter(self).vformat

        def bounded(*args: Any, **kwargs: Any) -> str:
            if value.__name__ == "format_map":
                if kwargs or len(args) != 1:
                    raise TypeError("format_map() takes exactly one argument")
                return str(vformat(text, (), args[0]))
            return str(vformat(text, args, kwargs))

        bounded.__wrapped__ = value  # type: ignore[attr-defined]
        return bounded

    def call(__self, __context: Context, __obj: Any, *args: Any, **kwargs: Any) -> Any:
        _check_arguments(args, kwargs)
        inner = __obj.function if isinstance(__obj, _Function) else __obj
        target = getattr(inner, "__wrapped__", inner)
        owner = getattr(target, "__self__", None)
        if isinstance(owner, str) and getattr(target, "__name__", "") == "replace" and args:
            count = args[2] if len(args) > 2 else kwargs.get("count", -1)
            _check_replace(owner, args[0], args[1] if len(args) > 1 else "", count)
        return _check_size(super().call(__context, __obj, *args, **kwargs))


@cache
def environment() -> ImmutableSandboxedEnvironment:
    env = _Environment(undefined=StrictUndefined, autoescape=False, keep_trailing_newline=False)
    env.globals.clear()  # no range(), dict(), lipsum(), cycler()...: plans need none of them
    env.filters = {name: _bounded_filter(name) for name in FILTERS}
    return env


# Statements a text may not use, and why: each could loop, recurse, read other templates or
# name a value to use it many times over (a list of lists of lists... of references).
_FORBIDDEN: Mapping[type[nodes.Node], str] = {
    nodes.Assign: "variables of its own ({% set %})",
    nodes.AssignBlock: "variables of its own ({% set %})",
    nodes.With: "variables of its own ({% with %})",
    nodes.For: "loops ({% for %})",
    nodes.Macro: "macros ({% macro %})",
    nodes.CallBlock: "call blocks ({% call %})",
    nodes.Include: "includes ({% include %})",
    nodes.Import: "imports ({% import %})",
    nodes.FromImport: "imports ({% from ... import %})",
    nodes.Extends: "template inheritance ({% extends %})",
    nodes.Block: "blocks ({% block %})",
}


def is_template(text: str) -> bool:
    return "{{" in text or "{%" in text or "{#" in text


def _nesting(text: str) -> int:
    depth = deepest = 0
    for char in text:
        if char in "([{":
            depth += 1
            deepest = max(deepest, depth)
        elif char in ")]}":
            depth = max(depth - 1, 0)
    return deepest


def _limits(text: str) -> None:
    """The size limits of a text as written, checked before Jinja parses it."""
    if len(text) > MAX_SOURCE:
        raise RenderError(
            f"the text is {len(text)} characters long; planc allows {MAX_SOURCE}",
            hint="a title, description or note is a line or a paragraph",
        )
    if is_template(text) and _nesting(text) > MAX_NESTING + 2:  # {{ and }} count two
        raise RenderError(
            f"the text nests brackets more than {MAX_NESTING} deep",
            hint="write a simpler expression; check for unclosed ( [ or {",
        )


@cache
def _parse(text: str) -> nodes.Template:
    """The Jinja syntax tree of ``text``; RenderError for syntax errors only."""
    try:
        return environment().parse(text)
    except TemplateSyntaxError as exc:
        raise RenderError(f"Jinja syntax error: {exc.message}", exc.lineno, syntax=True) from None
    except RecursionError:
        raise RenderError(
            "the text's expression is nested too deeply", hint="write a simpler expression"
        ) from None


@cache
def _compile(text: str) -> Any:
    _limits(text)
    tree = _parse(text)
    for kind, what in _FORBIDDEN.items():
        found = tree.find(kind)
        if found is not None:
            raise RenderError(
                f"planc text cannot have {what}",
                found.lineno,
                "write the text out: expressions, filters and {% if %} are what planc text has",
            )
    for used in tree.find_all(nodes.Filter):
        if used.name not in FILTERS:
            raise RenderError(
                f"there is no filter '{used.name}' in planc text",
                used.lineno,
                f"filters planc text may use: {', '.join(FILTERS)}",
            )
    try:
        return environment().from_string(tree)
    except (TemplateError, RecursionError, MemoryError, SyntaxError, ValueError) as exc:
        raise RenderError(
            f"the text cannot be compiled: {exc}", hint="write a simpler expression"
        ) from None


def syntax_error(text: str) -> RenderError | None:
    """The Jinja syntax error of ``text``, if it has one (other problems come from render)."""
    try:
        _limits(text)
    except RenderError:
        return None  # reported by render
    try:
        _parse(text)
    except RenderError as exc:
        return exc if exc.syntax else None
    return None


def variables(text: str) -> set[str]:
    """The names a text uses that it does not define itself."""
    return set(_names(text))


@cache
def _names(text: str) -> tuple[str, ...]:
    """``variables``, sorted, once per text: Jinja finds them by compiling the whole tree, and
    planc check asks for every text many times (compiler/sources/template_text.py)."""
    try:
        _limits(text)
        ast = _parse(text)
        return tuple(sorted(meta.find_undeclared_variables(ast)))
    except (RenderError, TemplateError, RecursionError):
        return ()  # render says what is wrong


def constants(text: str) -> set[str]:
    """The strings written in a text's Jinja (``'peak'`` in ``phase == 'peak'``): values a
    variable it compares with them may be worth trying."""
    try:
        _limits(text)
        tree = _parse(text)
    except RenderError:
        return set()
    return {node.value for node in tree.find_all(nodes.Const) if isinstance(node.value, str)}


def render(text: str, context: Mapping[str, Any]) -> str:
    """Render ``text`` with ``context``; plain text (no Jinja) comes back unchanged."""
    if not is_template(text):
        if len(text) > MAX_OUTPUT:
            raise RenderError(
                f"the text is {len(text)} characters long; planc allows {MAX_OUTPUT}",
                hint="a title, description or note is a line or a paragraph",
            )
        return text
    key = _rendering_key(text, context)
    if key is not None and (known := _RENDERED.get(key)) is not None:
        return known
    result = _render_template(text, context)
    if key is not None:
        if len(_RENDERED) >= RENDERED_KEPT:
            _RENDERED.clear()  # a bound, not a policy: the next texts fill it again
        _RENDERED[key] = result
    return result


# Texts rendered with plain values, remembered: a build renders the same title, count or step
# for week after week and athlete after athlete (most of its renders, and the sizing of a week
# renders its sessions again and again).  A few hundred keys cover a club's build.
RENDERED_KEPT = 4096
_PLAIN = (str, int, float, bool, type(None))
_RENDERED: dict[tuple[Hashable, ...], str] = {}


def _rendering_key(text: str, context: Mapping[str, Any]) -> tuple[Hashable, ...] | None:
    """What rendering ``text`` depends on: the text and the values of the names it uses, each
    with its type (1, 1.0 and true render differently) and a float by its repr.  A text reaches
    no other name (the sandbox has no globals, and no ``{% set %}``), and the filters are pure.
    A ``Lookup`` is data too.  None, not remembered, when a value is neither (a function, a
    list) or a name is missing (an error, never remembered)."""
    key: list[Hashable] = [text]
    for name in _names(text):
        if name not in context:
            return None
        value = context[name]
        kind = type(value)
        if kind not in _PLAIN and kind is not Lookup:
            return None
        key.append((name, kind, repr(value) if kind is float else value))
    return tuple(key)


def _render_template(text: str, context: Mapping[str, Any]) -> str:
    template = _compile(text)
    values = {name: _given(value, name) for name, value in context.items()}
    try:
        result = _bounded_output(template.generate(**values))
    except UndefinedError as exc:
        raise RenderError(
            str(exc.message or "undefined variable"),
            hint=f"variables available here: {', '.join(sorted(context))}",
        ) from None
    except _TooBig as exc:
        raise RenderError(
            f"too big for a template: {exc}",
            hint=f"planc text makes values of at most {MAX_VALUE} characters, lists of at most "
            f"{MAX_ITEMS} items and numbers of at most {MAX_INT_BITS} bits",
        ) from None
    except _NotText as exc:
        raise RenderError(
            str(exc), hint="call it: `pace('easy')` is text, `pace` is the function that makes it"
        ) from None
    except SecurityError as exc:
        raise RenderError(
            f"not allowed in a template: {exc}",
            hint="planc text sees params, athlete, phase, week, phase_weeks, units, "
            "race_distance and pace(zone), not the Python objects behind them",
        ) from None
    except _BadArgument as exc:
        raise RenderError(str(exc), hint=_FILTERS_HINT) from None
    except RecursionError:
        raise RenderError("the template recurses too deeply") from None
    except _Overflow:
        raise RenderError(
            f"the text renders to more than {MAX_OUTPUT} characters",
            hint="a title, description or note is a line or a paragraph",
        ) from None
    except (
        TemplateError,
        TypeError,
        ValueError,
        ArithmeticError,
        LookupError,
        AssertionError,  # a filter's own check of its arguments (Jinja asserts some)
    ) as exc:
        raise RenderError(f"the template failed: {exc}") from None
    return result


_FILTERS_HINT = f"what each filter takes is in {doc_link('templates.md')} (Jinja text)"


class _Overflow(Exception):
    """A text's output past MAX_OUTPUT characters."""


def _bounded_output(pieces: Iterator[str]) -> str:
    """The pieces a template yields, joined, stopping as soon as they pass MAX_OUTPUT."""
    parts: list[str] = []
    total = 0
    for piece in pieces:
        total += len(piece)
        if total > MAX_OUTPUT:
            raise _Overflow
        parts.append(piece)
    return "".join(parts)


__all__ = [
    "FILTERS",
    "MAX_INT_BITS",
    "MAX_ITEMS",
    "MAX_NESTING",
    "MAX_OUTPUT",
    "MAX_SOURCE",
    "MAX_VALUE",
    "Lookup",
    "RenderError",
    "constants",
    "environment",
    "is_template",
    "render",
    "syntax_error",
    "variables",
]
