"""Diagnostics: the one currency of errors in planc.

Every stage reports problems as :class:`Diagnostic` values, each with a code registered in
:mod:`compiler.codes` (an unregistered code raises ``ValueError`` when the diagnostic is made).
A stage that cannot go on raises :class:`PlanError` carrying the diagnostics; the CLI renders
them and maps the exception to an exit code (0 clean, 1 problems found, 2 usage error, 3 internal
error).
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from .codes import Severity as Severity
from .codes import lookup


@dataclass(frozen=True, order=True)
class Position:
    """A place in a source file; line and column are 1-based."""

    line: int
    column: int


@dataclass(frozen=True)
class Diagnostic:
    severity: Severity
    code: str
    message: str
    file: str | None = None
    line: int | None = None
    column: int | None = None
    hint: str | None = None

    def __post_init__(self) -> None:
        lookup(self.code)  # an unregistered code is a bug: compiler/codes.py lists them all

    @property
    def sort_key(self) -> tuple[str, int, int, str]:
        return (self.file or "", self.line or 0, self.column or 0, self.code)

    def location(self) -> str:
        if self.file is None:
            return "planc"
        if self.line is None:
            return self.file
        return f"{self.file}:{self.line}:{self.column or 1}"

    def format(self) -> str:
        text = f"{self.location()}: {self.severity.value}[{self.code}]: {self.message}"
        if self.hint:
            text += f"\n  hint: {self.hint}"
        return text


def _diagnostic(
    severity: Severity,
    code: str,
    message: str,
    file: str | None,
    pos: Position | None,
    hint: str | None,
) -> Diagnostic:
    line, column = (pos.line, pos.column) if pos else (None, None)
    return Diagnostic(severity, code, message, file, line, column, hint)


def error(
    code: str,
    message: str,
    file: str | None = None,
    pos: Position | None = None,
    hint: str | None = None,
) -> Diagnostic:
    return _diagnostic(Severity.ERROR, code, message, file, pos, hint)


def warning(
    code: str,
    message: str,
    file: str | None = None,
    pos: Position | None = None,
    hint: str | None = None,
) -> Diagnostic:
    return _diagnostic(Severity.WARNING, code, message, file, pos, hint)


def sorted_diagnostics(diags: Iterable[Diagnostic]) -> list[Diagnostic]:
    unique = dict.fromkeys(diags)  # keep first occurrence, drop exact duplicates
    return sorted(unique, key=lambda d: d.sort_key)


def has_errors(diags: Iterable[Diagnostic]) -> bool:
    return any(d.severity is Severity.ERROR for d in diags)


def did_you_mean(word: str, choices: Iterable[str], *, most: int = 1) -> str | None:
    """The closest valid names to ``word`` (up to ``most``, closest first), phrased as a hint,
    or None when nothing is close.  Never ``word`` itself: a name that was not found is no
    suggestion for itself."""
    match = difflib.get_close_matches(word, sorted(set(choices) - {word}), n=most, cutoff=0.6)
    if not match:
        return None
    named = [f"'{name}'" for name in match]
    return f"did you mean {listed(named, 'or')}?"


def listed(words: Sequence[str], last: str = "and") -> str:
    """Words as a message lists them: 'a', 'a and b', 'a, b and c' (``last``: the word before
    the last one, 'and' or 'or')."""
    if len(words) == 1:
        return words[0]
    return f"{', '.join(words[:-1])} {last} {words[-1]}"


def choices_hint(word: str, choices: Sequence[str]) -> str:
    """'did you mean X?' when something is close, else the list of valid names."""
    close = did_you_mean(word, choices)
    if close:
        return close
    others = sorted(set(choices) - {word})
    listed = ", ".join(others[:12]) or "none"
    more = "" if len(others) <= 12 else f" (and {len(others) - 12} more)"
    return f"valid names: {listed}{more}"


# Exit codes, as documented in the README.
EXIT_OK = 0
EXIT_PROBLEMS = 1
EXIT_USAGE = 2
EXIT_INTERNAL = 3


class PlancError(Exception):
    """Base of planc's own exceptions; each maps to an exit code."""

    exit_code = EXIT_INTERNAL


class PlanError(PlancError):
    """The inputs have problems; the diagnostics say which and where."""

    exit_code = EXIT_PROBLEMS

    def __init__(self, diagnostics: Sequence[Diagnostic]) -> None:
        self.diagnostics = sorted_diagnostics(diagnostics)
        super().__init__("\n".join(d.format() for d in self.diagnostics))


def plan_error(
    code: str,
    message: str,
    file: str | None = None,
    pos: Position | None = None,
    hint: str | None = None,
) -> PlanError:
    """A PlanError of one error diagnostic, to raise where a stage cannot go on after a single
    problem: ``raise plan_error(code, message, file, pos, hint)``."""
    return PlanError([error(code, message, file, pos, hint)])


class UsageError(PlancError):
    """The command line asks for something impossible (a missing path, a bad option)."""

    exit_code = EXIT_USAGE
