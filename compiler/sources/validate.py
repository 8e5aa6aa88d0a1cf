"""Stage 2, validate: each Document against the JSON Schema of its kind.

Schemas come from the bundled ``schemas/`` folder through a ``referencing`` registry (never the
network).  Every schema error becomes a Diagnostic at the exact key or value it is about, with a
did-you-mean for unknown keys and enum values.  Cross-document checks (references, names) are made
by resolve, which has the whole library at hand.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError
from referencing import Registry, Resource

from ..diagnostics import Diagnostic, Position, choices_hint, did_you_mean, error
from ..model import ZONES
from ..resources import schemas_dir
from . import lexical
from .document import Document
from .library import TEMPLATE_KINDS
from .steps import STEP_EXTRAS

KINDS = ("athlete", *TEMPLATE_KINDS)  # the kinds of document, each with its schema


@cache
def _schemas() -> dict[str, dict[str, Any]]:
    folder = schemas_dir()
    return {kind: json.loads((folder / f"{kind}.schema.json").read_text("utf-8")) for kind in KINDS}


@cache
def _validator(kind: str) -> Draft202012Validator:
    schemas = _schemas()
    registry: Registry[Any] = Registry().with_resources(
        (schema["$id"], Resource.from_contents(schema)) for schema in schemas.values()
    )
    return Draft202012Validator(
        schemas[kind], registry=registry, format_checker=Draft202012Validator.FORMAT_CHECKER
    )


def schema_for(kind: str) -> dict[str, Any]:
    return _schemas()[kind]


def validate_document(doc: Document) -> list[Diagnostic]:
    """All schema problems of one document (empty when it is valid)."""
    kind = doc.data.get("kind")
    if kind is not None and not isinstance(kind, str):
        return [
            error(
                "unknown-kind",
                "`kind` must be a name, not " + _describe(kind),
                *doc.locate(("kind",)),
                f"write one of {', '.join(KINDS)}",
            )
        ]
    if kind is None:
        first = next(iter(doc.data), None)
        return [
            error(
                "missing-kind",
                "the document does not say what it is",
                *(doc.locate((first,), key=True) if first else (doc.path, Position(1, 1))),
                f"add `kind:` with one of {', '.join(KINDS)}",
            )
        ]
    if kind not in KINDS:
        return [
            error(
                "unknown-kind",
                f"unknown kind '{kind}'",
                *doc.locate(("kind",)),
                choices_hint(str(kind), KINDS),
            )
        ]
    return schema_problems(doc, _validator(kind))


def schema_problems(doc: Document, validator: Draft202012Validator) -> list[Diagnostic]:
    """Every problem ``validator`` finds in ``doc``, each at its key or value.  Shared by the
    plan documents and by other files planc reads with a schema of their own (planc.yaml)."""
    errors = list(validator.iter_errors(doc.data))
    claimed = {tuple(e.absolute_path) for e in errors if e.validator != "oneOf"}
    dates = {tuple(e.absolute_path) for e in errors if e.validator == "format"}
    types = {tuple(e.absolute_path) for e in errors if e.validator == "type"}
    long = {tuple(e.absolute_path) for e in errors if e.validator == "maxLength"}
    # one problem, one error: a malformed date fails its format and its pattern, a value of the
    # wrong type (an empty one) fails its enum or pattern too, a value far too long its pattern
    errors = [
        e
        for e in errors
        if not (e.validator == "pattern" and tuple(e.absolute_path) in dates)
        and not (e.validator in ("enum", "pattern", "format") and tuple(e.absolute_path) in types)
        and not (e.validator in ("pattern", "anyOf") and tuple(e.absolute_path) in long)
    ]
    diagnostics: list[Diagnostic] = []
    named: set[tuple[str | int, ...]] = set()
    for err in errors:
        path = tuple(err.absolute_path)
        cause = _odd_character(doc, path, err)
        if cause is not None:  # a curly quote or a pasted space: say so, once, at the character
            if path not in named:
                named.add(path)
                diagnostics.append(cause)
            continue
        diagnostics.extend(_diagnose(doc, err, claimed))
    return diagnostics


def _odd_character(
    doc: Document, path: tuple[str | int, ...], err: ValidationError
) -> Diagnostic | None:
    """The typographic quote or invisible character that made a value fail, if it holds one
    (and is written in this document's own text)."""
    located = doc.positions.get(path)
    if err.validator in ("required", "additionalProperties") or located is None or located.file:
        return None
    return lexical.value_cause(doc.text, doc.path, err.instance, located.value)


def _key_name(path: Sequence[str | int]) -> str:
    for part in reversed(path):
        if isinstance(part, str):
            return part
    return "the document"


SHOWN = 60  # characters of a value or key quoted in a message


def _short(text: str) -> str:
    """``text`` as quoted in a message: long ones cut (a 2 MB value is not worth repeating)."""
    return text if len(text) <= SHOWN else text[: SHOWN - 3] + "..."


def _describe(value: Any) -> str:
    if isinstance(value, str):
        return f"'{_short(value)}'"
    if value is None:
        return "an empty value"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    return repr(value)


_TYPE_NAMES = {
    "string": "text",
    "integer": "a whole number",
    "number": "a number",
    "boolean": "true or false",
    "object": "a mapping of keys to values",
    "array": "a list",
}


@dataclass(frozen=True)
class _Failure:
    """One schema error with what every message about it needs: the key it is about (the last
    name on its path), the schema's description of that key and where to point."""

    doc: Document
    err: ValidationError
    path: tuple[str | int, ...]
    key: str
    schema: Mapping[str, Any]
    at_value: tuple[str, Position]

    @property
    def description(self) -> str | None:
        description = self.schema.get("description")
        return description if isinstance(description, str) else None

    def error(self, code: str, message: str, hint: str | None = None) -> Diagnostic:
        """A diagnostic at the value the error is about."""
        return error(code, message, *self.at_value, hint)


def _diagnose(
    doc: Document, err: ValidationError, claimed: set[tuple[str | int, ...]]
) -> Iterator[Diagnostic]:
    """The diagnostics of one schema error, in words for the coach: each kind of check
    (``err.validator``) has its handler in _HANDLERS, any other gets jsonschema's message."""
    path = tuple(err.absolute_path)
    at_value = doc.locate(path)
    if "propertyNames" in err.absolute_schema_path and isinstance(err.instance, str):
        # a bad key, checked as a value: point at the key itself
        at_value = doc.locate((*path, err.instance), key=True)
    schema = err.schema if isinstance(err.schema, dict) else {}
    failure = _Failure(doc, err, path, _key_name(path), schema, at_value)
    if err.validator == "oneOf" and doc.kind == "athlete":
        yield from _one_of_keys(failure)  # race or block, a block's end or weeks
        return
    if err.validator == "oneOf" and path in claimed:
        return  # a more precise error at the same place says it already
    handler = _HANDLERS.get(str(err.validator), _other)
    yield from handler(failure)


def _unknown_keys(f: _Failure) -> Iterator[Diagnostic]:
    known = sorted(f.schema.get("properties", {}))
    instance = f.err.instance
    for extra in sorted(set(instance) - set(known)) if isinstance(instance, dict) else []:
        hint = did_you_mean(extra, known) or f"allowed keys here: {', '.join(known)}"
        yield error(
            "unknown-key",
            f"unknown key '{_short(extra)}'",
            *f.doc.locate((*f.path, extra), key=True),
            hint,
        )


def _missing_key(f: _Failure) -> Iterator[Diagnostic]:
    # jsonschema reports each missing key as its own error: "'name' is a required property"
    match = re.match(r"^'([^']+)' is a required property", f.err.message)
    if match is None:
        return
    name = match.group(1)
    doc = f.doc
    properties = f.schema.get("properties") or (
        schema_for(doc.kind).get("properties", {}) if not f.path and doc.kind else {}
    )
    hint_text = properties.get(name, {}).get("description")
    if f.path:
        where, at = f"'{f.key}'", doc.locate(f.path, key=True)
    else:  # the document's first key: line 1 is often a comment or the modeline
        first = next(iter(doc.data), None)
        where = "the document"
        at = doc.locate((first,), key=True) if first else (doc.path, Position(1, 1))
    yield error(
        "missing-key",
        f"{where} is missing the required key '{name}'",
        *at,
        f"add `{name}:` ({hint_text})" if hint_text else f"add `{name}:`",
    )


# what each pair of keys that exclude each other is for, in the hint of a `one-of-keys` error
_ONE_OF_WHAT: dict[tuple[str, ...], str] = {
    ("race", "block", "races"): "a goal race (`race:` with `program` and `date`), a training "
    "block with no race (`block:` with `program` and `end` or `weeks`), or the season's races "
    "(`races:`, one with `priority: A`)",
    ("end", "weeks"): "`end:` (the block's last day) or `weeks:` (how many weeks it lasts)",
}


def _one_of_keys(f: _Failure) -> Iterator[Diagnostic]:
    """Exactly one of a few keys (an athlete's `race` or `block`, a block's `end` or `weeks`):
    both given is reported at the second, neither at the mapping's first key."""
    keys = tuple(str(k) for option in f.err.validator_value for k in option.get("required", []))
    instance = f.err.instance if isinstance(f.err.instance, dict) else {}
    present = [k for k in instance if k in keys]
    where = f"'{f.key}'" if f.path else "the profile"
    what = _ONE_OF_WHAT.get(keys, " or ".join(f"`{k}:`" for k in keys))
    if len(present) > 1:
        yield error(
            "one-of-keys",
            f"{where} has both {' and '.join(f'`{k}:`' for k in present)}; it takes one of them",
            *f.doc.locate((*f.path, present[-1]), key=True),
            f"keep one: {what}",
        )
        return
    first = next(iter(instance), None)
    at = f.doc.locate((*f.path, first), key=True) if first is not None else f.at_value
    yield error(
        "one-of-keys",
        f"{where} needs {' or '.join(f'`{k}:`' for k in keys)}",
        *at,
        f"add {what}",
    )


def _step_action(f: _Failure) -> Iterator[Diagnostic]:
    step_keys = [k for k in f.schema.get("properties", {}) if k not in STEP_EXTRAS]
    instance = f.err.instance
    present = [k for k in step_keys if isinstance(instance, dict) and k in instance]
    if present:
        message = f"a step has exactly one action, this one has {', '.join(present)}"
    else:
        message = "a step needs an action"
    yield f.error("bad-step", message, f"use one of: {', '.join(step_keys)}")


def _not_a_choice(f: _Failure) -> Iterator[Diagnostic]:
    choices = [str(c) for c in f.err.validator_value]
    yield f.error(
        "bad-value",
        f"{_describe(f.err.instance)} is not a valid value for '{f.key}'",
        choices_hint(str(f.err.instance), choices),
    )


def _not_the_constant(f: _Failure) -> Iterator[Diagnostic]:
    yield f.error("bad-value", f"'{f.key}' must be {f.err.validator_value!r}")


def _wrong_type(f: _Failure) -> Iterator[Diagnostic]:
    expected, instance = f.err.validator_value, f.err.instance
    names = [expected] if isinstance(expected, str) else list(expected)
    number = isinstance(instance, int | float) and not isinstance(instance, bool)
    if number and names == ["string"] and f.schema.get("format") == "date":
        yield f.error(  # `to: 12` for a date: a unit is not what is missing
            "bad-date",
            f"'{f.key}' needs a date, not the number {instance}",
            "write a calendar date as YYYY-MM-DD, e.g. 2027-03-07",
        )
        return
    if number and names == ["string"] and "pattern" in f.schema:
        yield f.error(  # 30 where 30km is meant: say what is missing
            "bad-type",
            f"{instance} has no unit: '{f.key}' needs one",
            _with_units(instance, str(f.schema.get("pattern", ""))) or f.description,
        )
        return
    wanted = " or ".join(_TYPE_NAMES.get(n, n) for n in names)
    yield f.error(
        "bad-type", f"'{f.key}' must be {wanted}, not {_describe(instance)}", f.description
    )


def _not_a_date(f: _Failure) -> Iterator[Diagnostic]:
    yield f.error(
        "bad-date",
        f"{_describe(f.err.instance)} is not a real date",
        "write a calendar date as YYYY-MM-DD, e.g. 2027-03-07",
    )


def _no_match(f: _Failure) -> Iterator[Diagnostic]:
    zone = _zone_typo(f.err.instance)
    yield f.error(
        "bad-value",
        f"{_describe(f.err.instance)} is not a valid value for '{f.key}'"
        + (f": unknown pace zone '{zone}'" if zone else ""),
        choices_hint(zone, ZONES) if zone else f.description,
    )


def _out_of_range(f: _Failure) -> Iterator[Diagnostic]:
    bound = _bound_text(str(f.err.validator), f.err.validator_value)
    yield f.error("out-of-range", f"'{f.key}' is {f.err.instance}; {bound}", f.description)


def _missing_partner(f: _Failure) -> Iterator[Diagnostic]:
    match = re.match(r"^'([^']+)' is a dependency of '([^']+)'", f.err.message)
    needed, having = match.groups() if match else ("?", "?")
    yield error(
        "bad-step",
        f"a step with `{having}` needs `{needed}` too",
        *f.doc.locate((*f.path, having), key=True),
        "`repeat` and `steps` go together; `sets`, `reps` and `hold` go with `exercise`",
    )


def _bad_length(f: _Failure) -> Iterator[Diagnostic]:
    if not isinstance(f.err.instance, str):
        yield from _other(f)
        return
    bound, length = f.err.validator_value, len(f.err.instance)
    if f.err.validator == "minLength":
        message = f"'{f.key}' is empty" if not length else f"'{f.key}' is too short"
    else:
        message = f"'{f.key}' is {length} characters long; it may have at most {bound}"
    yield f.error("bad-value", message, f.description)


def _bad_items(f: _Failure) -> Iterator[Diagnostic]:
    bound = f.err.validator_value
    message = {
        "minItems": f"'{f.key}' needs at least {bound} item{'s' * (bound != 1)}",
        "maxItems": f"'{f.key}' has more than {bound} item{'s' * (bound != 1)}",
        "uniqueItems": f"'{f.key}' lists the same item twice",
    }[str(f.err.validator)]
    yield f.error("bad-value", message, f.description)


def _other(f: _Failure) -> Iterator[Diagnostic]:
    """Any other check: jsonschema's own message, cut when long."""
    message = f.err.message
    if len(message) > 4 * SHOWN:
        message = message[: 4 * SHOWN] + "..."
    yield f.error("bad-value", f"'{f.key}': {message}", f.description)


_HANDLERS: dict[str, Callable[[_Failure], Iterator[Diagnostic]]] = {
    "additionalProperties": _unknown_keys,
    "required": _missing_key,
    "oneOf": _step_action,
    "enum": _not_a_choice,
    "const": _not_the_constant,
    "type": _wrong_type,
    "format": _not_a_date,
    "pattern": _no_match,
    "anyOf": _no_match,
    "minimum": _out_of_range,
    "maximum": _out_of_range,
    "exclusiveMinimum": _out_of_range,
    "exclusiveMaximum": _out_of_range,
    "dependentRequired": _missing_partner,
    "minLength": _bad_length,
    "maxLength": _bad_length,
    "minItems": _bad_items,
    "maxItems": _bad_items,
    "uniqueItems": _bad_items,
}


def _with_units(number: float, pattern: str) -> str | None:
    """The number written with the units its schema pattern accepts: 'write `30km` or `30mi`'."""
    shown = f"{number:g}"
    for units in (("km", "mi", "m"), ("min", "s", "h"), ("%",)):
        if all(unit in pattern for unit in units):
            return f"write it with its unit: {_one_of([f'`{shown}{unit}`' for unit in units])}"
    if ":" in pattern:
        return f'write a time as mm:ss or h:mm:ss in quotes, e.g. "{shown}:00"'
    return None


def _one_of(examples: list[str]) -> str:
    """The examples as a choice: '`a`, `b` or `c`', and a single one on its own (a unit with one
    spelling, like `%`, is not '  or `30%`' after an empty first example)."""
    if len(examples) == 1:
        return examples[0]
    return f"{', '.join(examples[:-1])} or {examples[-1]}"


def _zone_typo(value: Any) -> str | None:
    """The pace zone of a step target like '20min @ treshold' when it is not a known zone."""
    if not isinstance(value, str) or "@" not in value or "{{" in value:
        return None
    zone = value.rsplit("@", 1)[1].strip()
    return zone if zone and zone not in ZONES else None


def _bound_text(validator: str, bound: Any) -> str:
    return {
        "minimum": f"it must be at least {bound}",
        "maximum": f"it must be at most {bound}",
        "exclusiveMinimum": f"it must be more than {bound}",
        "exclusiveMaximum": f"it must be less than {bound}",
    }[validator]
