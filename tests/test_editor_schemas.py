"""The schemas in schemas/ must work in editors, not only in planc.

Editors give completion, hover help and error underlines through yaml-language-server (VS Code's
YAML extension, Neovim, Helix, Emacs, JetBrains), which implements a subset of JSON Schema: its
validator is written for draft 07 with some later keywords, and its regular expressions are
JavaScript's.  So:

- every keyword the schemas use is one yaml-language-server understands, or one it ignores
  without complaint (listed separately: planc enforces it, the editor does not);
- every ``pattern`` is valid ECMAScript (yaml-language-server compiles it with ``new
  RegExp(pattern, "u")``), not only Python;
- every ``$ref`` points inside its own file and at something that is there;
- every YAML file under templates/ and examples/ starts with a modeline whose schema exists.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
SCHEMAS = sorted((ROOT / "schemas").glob("*.schema.json"))
YAML_FILES = sorted(
    path
    for folder in (ROOT / "templates", ROOT / "examples")
    for pattern in ("*.yaml", "*.yml")
    for path in folder.rglob(pattern)
    if not path.is_relative_to(ROOT / "examples" / "ci")  # CI workflow recipes
)
MODELINE = re.compile(r"^# yaml-language-server: \$schema=(?P<path>\S+)\s*$")

pytestmark = pytest.mark.skipif(not SCHEMAS, reason="needs the source checkout")

# Keywords yaml-language-server implements (validation, completion or hover), checked against
# its validator (jsonParser07.ts) and completion (yamlCompletion.ts).
SUPPORTED = frozenset(
    {
        # structure and validation
        "type",
        "properties",
        "required",
        "additionalProperties",
        "patternProperties",
        "propertyNames",
        "items",
        "enum",
        "const",
        "pattern",
        "format",  # date, date-time, time, email, uri, color-hex; other formats are ignored
        "minimum",
        "maximum",
        "exclusiveMinimum",  # the number form (draft 06+) and the draft-04 boolean form
        "exclusiveMaximum",
        "multipleOf",
        "minItems",
        "maxItems",
        "uniqueItems",
        "minLength",
        "maxLength",
        "minProperties",
        "maxProperties",
        "anyOf",
        "oneOf",
        "allOf",
        "not",
        "if",
        "then",
        "else",
        # references: "#/$defs/x" is resolved as a JSON pointer, whatever the container's name
        "$ref",
        "$defs",
        "definitions",
        # identification and documentation (hover, completion)
        "$schema",
        "$id",
        "title",
        "description",
        "default",
        "examples",
    }
)
# Keywords yaml-language-server's draft-07 validator skips without an error: the editor does not
# enforce them, planc does.  Keep this list short, and each entry deliberate.
IGNORED_BY_THE_EDITOR = frozenset(
    {
        "dependentRequired",  # draft 2019-09; the editor knows only draft 07's `dependencies`
    }
)
SCHEMA_MAPS = ("properties", "patternProperties", "$defs", "definitions", "dependentSchemas")
SCHEMA_VALUES = ("items", "additionalProperties", "propertyNames", "not", "contains")
SCHEMA_CONDITIONS = ("if", "then", "else")
SCHEMA_LISTS = ("anyOf", "oneOf", "allOf", "prefixItems")


def load(path: Path) -> Any:
    return json.loads(path.read_text("utf-8"))


def schema_objects(schema: Any, where: str = "#") -> Iterator[tuple[str, dict[str, Any]]]:
    """Every (sub)schema, with its JSON pointer.  Values of enum, const, default, examples and
    the like are data, not schemas, and are not entered."""
    if not isinstance(schema, dict):
        return  # a boolean schema
    yield where, schema
    for key, value in schema.items():
        if key in SCHEMA_MAPS and isinstance(value, dict):
            for name, sub in value.items():
                yield from schema_objects(sub, f"{where}/{key}/{name}")
        elif key in SCHEMA_VALUES or key in SCHEMA_CONDITIONS:
            yield from schema_objects(value, f"{where}/{key}")
        elif key in SCHEMA_LISTS and isinstance(value, list):
            for index, sub in enumerate(value):
                yield from schema_objects(sub, f"{where}/{key}/{index}")


def keywords(schema: Any) -> dict[str, str]:
    """Each keyword the schema uses -> the first place it is used."""
    found: dict[str, str] = {}
    for where, sub in schema_objects(schema):
        for key in sub:
            found.setdefault(key, where)
    return found


# --- ECMAScript regular expressions -----------------------------------------------------------

_ES_ESCAPES = set("dDwWsStnvfr0^$\\.*+?()[]{}|/")  # \b and \B are handled on their own
_GROUP_OPENERS = ("?:", "?=", "?!", "?<=", "?<!")
_GROUP_NAME = re.compile(r"\?<[A-Za-z_$][A-Za-z0-9_$]*>")
_UNICODE_ESCAPE = re.compile(r"[0-9A-Fa-f]{4}|\{[0-9A-Fa-f]+\}")


def ecmascript_problems(pattern: str) -> list[str]:
    """Why ``pattern`` is not a valid ECMAScript regular expression in ``u`` mode, as far as
    Python and JavaScript differ (an empty list: no difference found).  Python's own syntax is
    checked separately, by compiling the pattern."""
    problems: list[str] = []
    in_class = False
    i = 0
    previous_was_quantifier = False
    while i < len(pattern):
        char = pattern[i]
        quantifier = False
        if char == "\\":
            escaped = pattern[i + 1 : i + 2]
            if escaped.isdigit() and escaped != "0":
                i += 2  # a back reference (JavaScript checks the group exists)
            elif escaped == "x" and re.match(r"[0-9A-Fa-f]{2}", pattern[i + 2 : i + 4]):
                i += 4
            elif escaped == "u" and (code := _UNICODE_ESCAPE.match(pattern, i + 2)):
                i = code.end()
            elif escaped == "c" and pattern[i + 2 : i + 3].isalpha():
                i += 3
            elif escaped == "k" and (name := _GROUP_NAME.match("?" + pattern[i + 2 :])):
                i += 1 + name.end()
            elif escaped in ("p", "P") and re.match(r"\{[A-Za-z_=]+\}", pattern[i + 2 :]):
                i += 2 + pattern[i + 2 :].index("}") + 1
            elif escaped == "0" and pattern[i + 2 : i + 3].isdigit():
                problems.append(f"octal escape \\0{pattern[i + 2]} at {i}")
                i += 2
            elif (
                escaped == "b" or (escaped == "B" and not in_class) or (escaped == "-" and in_class)
            ):
                i += 2
            elif escaped in _ES_ESCAPES:
                i += 2
            else:
                problems.append(
                    f"escape \\{escaped} at {i} is not ECMAScript (or means another thing)"
                )
                i += 2
        elif in_class:
            if (
                pattern.startswith("[:", i)
                or pattern.startswith("[=", i)
                or pattern.startswith("[.", i)
            ):
                problems.append(f"POSIX class syntax {pattern[i : i + 2]} at {i}")
            if char == "]":
                in_class = False
            i += 1
        elif char == "[":
            in_class = True
            i += 1
            if pattern.startswith("^", i):
                i += 1
            if pattern.startswith("]", i):
                problems.append(f"empty-looking class []...] at {i - 1}: escape the ]")
                i += 1
        elif char == "(":
            rest = pattern[i + 1 :]
            opener = next((o for o in _GROUP_OPENERS if rest.startswith(o)), None)
            name = _GROUP_NAME.match(rest)
            if opener is not None:
                i += 1 + len(opener)
            elif name is not None:
                i += 1 + name.end()
            else:
                if rest.startswith("?"):
                    problems.append(f"group syntax ({rest[:3]} at {i} is not ECMAScript")
                i += 1
        elif char in "*+?":
            if char == "+" and previous_was_quantifier:
                problems.append(f"possessive quantifier at {i}")
            elif char == "?" and previous_was_quantifier:
                pass  # lazy
            quantifier = char != "?" or not previous_was_quantifier
            i += 1
        elif char == "{":
            match = re.match(r"\{(\d+)(,(\d*))?\}", pattern[i:])
            if match is None:
                problems.append(f"lone {{ at {i}: escape it (\\{{) for ECMAScript's u mode")
                i += 1
            else:
                quantifier = True
                i += match.end()
        elif char in "}]":
            problems.append(f"lone {char} at {i}: escape it for ECMAScript's u mode")
            i += 1
        else:
            i += 1
        previous_was_quantifier = quantifier
    if in_class:
        problems.append("unterminated character class")
    return problems


def patterns(schema: Any) -> Iterator[tuple[str, str]]:
    for where, sub in schema_objects(schema):
        if isinstance(sub.get("pattern"), str):
            yield f"{where}/pattern", sub["pattern"]
        for name in sub.get("patternProperties", {}):
            yield f"{where}/patternProperties", name


ALL_PATTERNS = sorted({p for path in SCHEMAS for _, p in patterns(load(path))})


# --- the tests --------------------------------------------------------------------------------


@pytest.mark.parametrize("path", SCHEMAS, ids=lambda p: p.name)
def test_every_keyword_is_one_yaml_language_server_knows(path: Path) -> None:
    used = keywords(load(path))
    unknown = {k: where for k, where in used.items() if k not in SUPPORTED | IGNORED_BY_THE_EDITOR}
    assert not unknown, (
        f"{path.name}: keywords yaml-language-server does not support: {unknown}. Use one of "
        "the supported keywords, or add it to IGNORED_BY_THE_EDITOR if editors may ignore it."
    )


def test_the_keyword_walk_finds_keywords_at_every_depth() -> None:
    """The walk behind the allow-list enters every place a schema can sit."""
    schema = {
        "type": "object",
        "properties": {"a": {"items": {"unevaluatedItems": False}}},
        "$defs": {"b": {"anyOf": [{"not": {"contains": {"$dynamicRef": "#x"}}}]}},
        "enum": [{"notAKeyword": 1}],
        "examples": [{"alsoData": 2}],
    }
    used = keywords(schema)
    assert {"unevaluatedItems", "$dynamicRef", "contains"} <= set(used)
    assert not {"notAKeyword", "alsoData"} & set(used)
    assert used["$dynamicRef"] == "#/$defs/b/anyOf/0/not/contains"


@pytest.mark.parametrize("path", SCHEMAS, ids=lambda p: p.name)
def test_every_ref_points_inside_the_file_at_something_there(path: Path) -> None:
    schema = load(path)
    for where, sub in schema_objects(schema):
        ref = sub.get("$ref")
        if ref is None:
            continue
        assert isinstance(ref, str) and ref.startswith("#/"), f"{where}: $ref {ref!r}"
        node: Any = schema
        for token in ref[2:].split("/"):
            token = token.replace("~1", "/").replace("~0", "~")
            assert isinstance(node, dict) and token in node, f"{where}: $ref {ref} is not there"
            node = node[token]


def test_there_are_patterns_to_check() -> None:
    assert len(ALL_PATTERNS) >= 5


@pytest.mark.parametrize("pattern", ALL_PATTERNS)
def test_every_pattern_compiles_in_python_and_is_ecmascript(pattern: str) -> None:
    re.compile(pattern)
    assert ecmascript_problems(pattern) == [], pattern


@pytest.mark.parametrize(
    ("pattern", "problem"),
    [
        (r"(?P<name>\d+)", "group syntax"),
        (r"(?P=name)", "group syntax"),
        (r"\Aabc\Z", r"escape \A"),
        (r"abc\Z", r"escape \Z"),
        (r"a++", "possessive"),
        (r"a{2,3}+", "possessive"),
        (r"(?>ab)", "group syntax"),
        (r"(?i)abc", "group syntax"),
        (r"(?#comment)a", "group syntax"),
        (r"a{,3}", "lone {"),
        (r"[[:alpha:]]", "POSIX"),
        (r"\N{EM DASH}", r"escape \N"),
        (r"a\-b", r"escape \-"),
        (r"x}", "lone }"),
    ],
)
def test_python_only_syntax_is_caught(pattern: str, problem: str) -> None:
    assert any(problem in p for p in ecmascript_problems(pattern)), ecmascript_problems(pattern)


@pytest.mark.parametrize(
    "pattern",
    [r"^(?<h>\d+):(?:[0-5]\d)$", r"a*?b+?c??", r"[\-\]a-z\b]", r"(?=x)(?!y)(?<=z)(?<!w)", r"\k<h>"],
)
def test_ecmascript_syntax_passes(pattern: str) -> None:
    assert ecmascript_problems(pattern) == []


@pytest.mark.skipif(shutil.which("node") is None, reason="node is not installed")
def test_every_pattern_compiles_in_javascript() -> None:
    """The real thing, where Node.js is at hand: yaml-language-server's `new RegExp(p, "u")`."""
    script = (
        "const ps = JSON.parse(require('fs').readFileSync(0, 'utf8'));"
        "const bad = ps.filter(p => { try { new RegExp(p, 'u'); return false; }"
        " catch (e) { return true; } });"
        "process.stdout.write(JSON.stringify(bad));"
    )
    node = shutil.which("node")
    assert node is not None
    probe = [*ALL_PATTERNS, "(?P<x>a)"]  # the last must fail, or the probe proves nothing
    result = subprocess.run(
        [node, "-e", script], input=json.dumps(probe), capture_output=True, text=True, check=True
    )
    assert json.loads(result.stdout) == ["(?P<x>a)"]


@pytest.mark.parametrize("path", YAML_FILES, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_every_yaml_file_has_a_modeline_to_an_existing_schema(path: Path) -> None:
    lines = path.read_text("utf-8").splitlines()
    match = MODELINE.match(lines[0]) if lines else None
    assert match, f"{path.name}: the first line must be '# yaml-language-server: $schema=<path>'"
    target = match["path"]
    assert "://" not in target and not target.startswith("/"), f"{target}: use a relative path"
    schema = (path.parent / target).resolve()
    assert schema.is_file(), f"{path.name}: {target} does not exist"
    assert schema.parent == (ROOT / "schemas").resolve()
