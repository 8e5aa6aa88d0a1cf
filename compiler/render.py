"""Template text: Jinja expressions in titles, notes and step values, rendered in a sandbox.

ImmutableSandboxedEnvironment keeps templates away from Python objects; StrictUndefined turns a
misspelt variable into an error instead of an empty string; output is bounded.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from typing import Any

from jinja2 import StrictUndefined, TemplateSyntaxError, meta
from jinja2.exceptions import SecurityError, TemplateError, UndefinedError
from jinja2.sandbox import ImmutableSandboxedEnvironment

MAX_OUTPUT = 10_000  # characters; a title or note is a line or a paragraph


class RenderError(ValueError):
    """A template text could not be rendered; the message says why in a coach's words."""

    def __init__(self, message: str, line: int | None = None, hint: str | None = None) -> None:
        super().__init__(message)
        self.line = line  # 1-based line within the text, when Jinja knows it
        self.hint = hint


class _Environment(ImmutableSandboxedEnvironment):
    # No attribute access to anything starting with an underscore, on top of the sandbox's rules.
    def is_safe_attribute(self, obj: Any, attr: str, value: Any) -> bool:
        return not attr.startswith("_") and super().is_safe_attribute(obj, attr, value)


@cache
def environment() -> ImmutableSandboxedEnvironment:
    env = _Environment(undefined=StrictUndefined, autoescape=False, keep_trailing_newline=False)
    env.globals.clear()  # no range(), dict(), lipsum(), cycler()...: plans need none of them
    return env


def is_template(text: str) -> bool:
    return "{{" in text or "{%" in text or "{#" in text


@cache
def _compile(text: str) -> Any:
    try:
        return environment().from_string(text)
    except TemplateSyntaxError as exc:
        raise RenderError(f"Jinja syntax error: {exc.message}", exc.lineno) from None


def syntax_error(text: str) -> RenderError | None:
    try:
        _compile(text)
    except RenderError as exc:
        return exc
    return None


def variables(text: str) -> set[str]:
    """The names a text uses that it does not define itself."""
    try:
        ast = environment().parse(text)
    except TemplateSyntaxError:
        return set()
    return set(meta.find_undeclared_variables(ast))


def render(text: str, context: Mapping[str, Any]) -> str:
    """Render ``text`` with ``context``; plain text (no Jinja) comes back unchanged."""
    if not is_template(text):
        return text
    template = _compile(text)
    try:
        result = str(template.render(**context))
    except UndefinedError as exc:
        raise RenderError(
            str(exc.message or "undefined variable"),
            hint=f"variables available here: {', '.join(sorted(context))}",
        ) from None
    except SecurityError as exc:
        raise RenderError(f"not allowed in a template: {exc}") from None
    except (TemplateError, TypeError, ValueError, ArithmeticError) as exc:
        raise RenderError(f"the template failed: {exc}") from None
    if len(result) > MAX_OUTPUT:
        raise RenderError(f"the text renders to more than {MAX_OUTPUT} characters")
    return result
