"""The registry of diagnostic codes (compiler/codes.py) against everything that names a code.

Four lists must agree: the registry, the codes the compiler's source emits, the table in
docs/diagnostics.md and the codes the case tests in tests/cases/ show.  So a code is registered
when it is emitted (also enforced at run time by ``Diagnostic``), documented when registered,
removed from the registry when no longer emitted, and shown by a case (or named below with the
reason it cannot be).

The emitted codes are found statically: the code argument of every call to a function that takes
one (``error``, ``warning``, ``plan_error``, a reader's ``fail``/``warn``/``fail_in_text``,
``Diagnostic``, and sessions.py's ``_problem``).  A string literal is a code; ``a if x else b``
is both; a local variable is followed to its assignments in the same function; a parameter of
the enclosing function passes a code on (its callers are scanned instead).  Anything else fails
the scan, so a code built in a way the scan cannot read is not silently missed.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Mapping
from pathlib import Path

import pytest

from compiler import codes
from compiler.codes import CODES, Code, Severity, lookup
from compiler.diagnostics import Diagnostic, error, warning

ROOT = Path(__file__).resolve().parent.parent
COMPILER = ROOT / "compiler"
DOCS = ROOT / "docs" / "diagnostics.md"
CASES = ROOT / "tests" / "cases"

# Functions whose argument at this position (or keyword ``code``) is a diagnostic code.
CODE_ARGUMENT = {
    "error": 0,
    "warning": 0,
    "fail": 0,
    "warn": 0,
    "fail_in_text": 0,
    "plan_error": 0,
    "Diagnostic": 1,
    "_diagnostic": 1,
}
# Helpers private to one module that take a code (another module's ``_problem`` does not).
LOCAL_CODE_ARGUMENT = {"compiler/plan/sessions.py": {"_problem": 0}}
CODE = re.compile(r"[a-z]+(?:-[a-z]+)*")
REPORTED = re.compile(r"^\S.*?: (error|warning)\[([a-z-]+)\]: ", re.MULTILINE)
DOC_ROW = re.compile(r"^\| `([a-z-]+)`( \(\*warning\*)?", re.MULTILINE)

# Codes reported with the other severity than the registry's, in some situations (see codes.py).
EITHER_SEVERITY = {"race-in-past"}  # a warning for a season already run (a start before the race)

# Codes no case in tests/cases/ can show, each with the reason and the test that reproduces it.
WITHOUT_A_CASE = {
    # Only `planc build` reports it, about a published feed in the output folder, which
    # `planc check` (the cases' command) never reads; tests/test_republish.py damages a feed.
    "damaged-feed": "test_republish.py",
}


# --------------------------------------------------------------------------- the static scan


class UnreadableCode(Exception):
    """A code argument the scan cannot reduce to string literals."""


def _called(func: ast.expr) -> str | None:
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):
        return func.attr
    return None


def _code_argument(call: ast.Call, emitters: Mapping[str, int]) -> ast.expr | None:
    position = emitters.get(_called(call.func) or "")
    if position is None:
        return None
    for keyword in call.keywords:
        if keyword.arg == "code":
            return keyword.value
    return call.args[position] if len(call.args) > position else None


def _parameters(function: ast.FunctionDef | ast.AsyncFunctionDef) -> set[str]:
    args = function.args
    every = [*args.posonlyargs, *args.args, *args.kwonlyargs, args.vararg, args.kwarg]
    return {a.arg for a in every if a is not None}


def _literals(
    expr: ast.expr, function: ast.FunctionDef | ast.AsyncFunctionDef | None, where: str
) -> set[str]:
    """The codes ``expr`` can be: its string literals, followed through ``if``-expressions and
    local assignments; empty for a parameter passed on (its callers are scanned)."""
    if isinstance(expr, ast.Constant) and isinstance(expr.value, str):
        return {expr.value}
    if isinstance(expr, ast.IfExp):
        return _literals(expr.body, function, where) | _literals(expr.orelse, function, where)
    if isinstance(expr, ast.Name) and function is not None:
        if expr.id in _parameters(function):
            return set()
        values = [
            node.value
            for node in ast.walk(function)
            if isinstance(node, ast.Assign)
            and any(isinstance(t, ast.Name) and t.id == expr.id for t in node.targets)
        ]
        if values:
            return set().union(*(_literals(v, function, where) for v in values))
    raise UnreadableCode(f"{where}: cannot read the code {ast.unparse(expr)!r}")


def codes_in(
    source: str, name: str = "<source>", emitters: Mapping[str, int] = CODE_ARGUMENT
) -> set[str]:
    """Every code the calls in ``source`` pass to ``emitters`` (see the module's docstring)."""
    found: set[str] = set()

    def visit(node: ast.AST, function: ast.FunctionDef | ast.AsyncFunctionDef | None) -> None:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            function = node
        if isinstance(node, ast.Call):
            argument = _code_argument(node, emitters)
            if argument is not None:
                found.update(_literals(argument, function, f"{name}:{node.lineno}"))
        for child in ast.iter_child_nodes(node):
            visit(child, function)

    visit(ast.parse(source, name), None)
    return found


def codes_in_source() -> set[str]:
    found: set[str] = set()
    for path in sorted(COMPILER.rglob("*.py")):
        name = path.relative_to(ROOT).as_posix()
        emitters = {**CODE_ARGUMENT, **LOCAL_CODE_ARGUMENT.get(name, {})}
        found |= codes_in(path.read_text("utf-8"), name, emitters)
    return found


def reported_in_cases() -> set[tuple[Severity, str]]:
    """Every (severity, code) the expected reports in tests/cases/ show."""
    return {
        (Severity(severity), code)
        for out in CASES.rglob("*.out")
        for severity, code in REPORTED.findall(out.read_text("utf-8"))
    }


def codes_in_cases() -> set[str]:
    return {code for _, code in reported_in_cases()}


def documented() -> dict[str, bool]:
    """The codes of the table in docs/diagnostics.md, each with whether it is marked a warning."""
    table = DOCS.read_text("utf-8").split("## Error codes", 1)[1]
    return {m[1]: bool(m[2]) for m in DOC_ROW.finditer(table)}


# --------------------------------------------------------------------------- the scan itself


def test_the_scan_reads_literals_if_expressions_locals_and_parameters() -> None:
    source = """
def f(r, code_in):
    error("a-code", "m")
    r.warn("b-code" if x else "c-code", "m", ())
    code = "d-code" if y else "e-code"
    r.fail_in_text(code, "m", (), None)
    r.fail(code_in, "m", ())
    Diagnostic(Severity.ERROR, "f-code", "m")
    _problem("g-code", "m")
"""
    found = codes_in(source)
    assert found == {"a-code", "b-code", "c-code", "d-code", "e-code", "f-code"}
    assert "g-code" in codes_in(source, emitters={**CODE_ARGUMENT, "_problem": 0})


def test_the_scan_refuses_a_code_it_cannot_read() -> None:
    with pytest.raises(UnreadableCode, match="make_code"):
        codes_in('def f():\n    error(make_code(), "m")\n')


def test_the_scan_finds_the_compilers_codes() -> None:
    """Guards the scan: if the emitters were renamed it would find nothing, and the tests below
    would pass vacuously."""
    found = codes_in_source()
    assert {"unknown-key", "yaml-syntax", "jinja-undefined", "unused-start-time"} <= found
    assert len(found) >= 50, sorted(found)


# --------------------------------------------------------------------------- the registry


def test_each_constant_is_named_after_its_code() -> None:
    constants = {k: v for k, v in vars(codes).items() if isinstance(v, Code)}
    assert {c.name for c in constants.values()} == set(CODES)
    for constant, code in constants.items():
        assert constant == code.name.upper().replace("-", "_"), constant
        assert CODE.fullmatch(code.name), code.name
        assert code.summary and not code.summary.endswith("."), code.name
        assert str(code) == code.name


def test_an_unregistered_code_is_refused_when_the_diagnostic_is_made() -> None:
    with pytest.raises(ValueError, match="'no-such-code' is not registered"):
        error("no-such-code", "a message")
    with pytest.raises(ValueError, match="not registered"):
        warning("Bad-Value", "a message")  # the names are exact, not case-folded
    with pytest.raises(ValueError, match="not registered"):
        Diagnostic(Severity.ERROR, "", "a message")
    assert error("bad-value", "a message").code == "bad-value"
    assert lookup("bad-value") is codes.BAD_VALUE


def test_every_code_the_compiler_emits_is_registered() -> None:
    unregistered = sorted(codes_in_source() - set(CODES))
    assert unregistered == [], f"emitted but not in compiler/codes.py: {unregistered}"


def test_every_registered_code_is_emitted() -> None:
    dead = sorted(set(CODES) - codes_in_source())
    assert dead == [], f"registered in compiler/codes.py but never emitted: {dead}"


# --------------------------------------------------------------------------- docs and cases


def test_every_registered_code_is_documented_and_only_those() -> None:
    table = documented()
    assert sorted(set(CODES) - set(table)) == [], "add a row to docs/diagnostics.md"
    assert sorted(set(table) - set(CODES)) == [], "documented but not registered"


def test_the_docs_mark_the_warnings_the_registry_has() -> None:
    table = documented()
    marked = sorted(name for name, warns in table.items() if warns)
    warnings = sorted(c.name for c in CODES.values() if c.severity is Severity.WARNING)
    assert marked == warnings


def test_every_code_has_a_case_or_a_reason() -> None:
    missing = sorted(set(CODES) - codes_in_cases() - set(WITHOUT_A_CASE))
    assert missing == [], f"codes without a case in tests/cases/diagnostics/: {missing}"


def test_the_codes_without_a_case_are_reproduced_by_their_tests() -> None:
    for code, module in WITHOUT_A_CASE.items():
        assert code in CODES, code
        assert code not in codes_in_cases(), f"{code} has a case now: remove it from the list"
        assert f'"{code}"' in (ROOT / "tests" / module).read_text("utf-8"), (code, module)


def test_the_cases_show_each_code_with_its_registered_severity() -> None:
    """A code reported with another severity than the registry's is a slip in one of them,
    unless the code is known to be reported both ways."""
    other = sorted(
        f"{severity}[{code}]"
        for severity, code in reported_in_cases()
        if code in CODES and severity is not CODES[code].severity and code not in EITHER_SEVERITY
    )
    assert other == []
    for code in EITHER_SEVERITY:  # and the list is no older than the cases
        shown = {severity for severity, name in reported_in_cases() if name == code}
        assert shown == set(Severity), f"{code} is not shown both ways: {sorted(shown)}"
