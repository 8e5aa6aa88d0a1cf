"""Stage 2, validate: each Document against the JSON Schema of its kind.

Schemas come from the bundled ``schemas/`` folder through a ``referencing`` registry (never the
network).  Every schema error becomes a Diagnostic at the exact key or value it is about, with a
did-you-mean for unknown keys and enum values.  Cross-document checks (references, names) are made
by resolve, which has the whole library at hand.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Sequence
from functools import cache
from typing import Any

from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError
from referencing import Registry, Resource

from ..diagnostics import Diagnostic, Position, choices_hint, did_you_mean, error
from ..model import STEP_EXTRAS, ZONES
from ..resources import schemas_dir
from . import lexical
from .load import Document

KINDS = ("athlete", "workout", "phase", "focus", "program")


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


def _diagnose(
    doc: Document, err: ValidationError, claimed: set[tuple[str | int, ...]]
) -> Iterator[Diagnostic]:
    path = tuple(err.absolute_path)
    key = _key_name(path)
    schema = err.schema if isinstance(err.schema, dict) else {}
    description = schema.get("description")
    at_value = doc.locate(path)
    validator = err.validator
    if "propertyNames" in err.absolute_schema_path and isinstance(err.instance, str):
        # a bad key, checked as a value: point at the key itself
        at_value = doc.locate((*path, err.instance), key=True)
        key = _key_name(path)

    if validator == "additionalProperties":
        known = sorted(schema.get("properties", {}))
        extras = sorted(set(err.instance) - set(known)) if isinstance(err.instance, dict) else []
        for extra in extras:
            hint = did_you_mean(extra, known) or f"allowed keys here: {', '.join(known)}"
            yield error(
                "unknown-key",
                f"unknown key '{_short(extra)}'",
                *doc.locate((*path, extra), key=True),
                hint,
            )
        return
    if validator == "required":
        # jsonschema reports each missing key as its own error: "'name' is a required property"
        match = re.match(r"^'([^']+)' is a required property", err.message)
        if match is None:
            return
        name = match.group(1)
        properties = schema.get("properties") or (
            schema_for(doc.kind).get("properties", {}) if not path and doc.kind else {}
        )
        hint_text = properties.get(name, {}).get("description")
        if path:
            where, at = f"'{key}'", doc.locate(path, key=True)
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
        return
    if validator == "oneOf":
        if path in claimed:
            return  # a more precise error at the same place says it already
        step_keys = [k for k in schema.get("properties", {}) if k not in STEP_EXTRAS]
        present = [k for k in step_keys if isinstance(err.instance, dict) and k in err.instance]
        if present:
            message = f"a step has exactly one action, this one has {', '.join(present)}"
        else:
            message = "a step needs an action"
        yield error("bad-step", message, *at_value, f"use one of: {', '.join(step_keys)}")
        return
    if validator == "enum":
        choices = [str(c) for c in err.validator_value]
        yield error(
            "bad-value",
            f"{_describe(err.instance)} is not a valid value for '{key}'",
            *at_value,
            choices_hint(str(err.instance), choices),
        )
        return
    if validator == "const":
        yield error(
            "bad-value",
            f"'{key}' must be {err.validator_value!r}",
            *at_value,
        )
        return
    if validator == "type":
        expected = err.validator_value
        names = [expected] if isinstance(expected, str) else list(expected)
        wanted = " or ".join(_TYPE_NAMES.get(n, n) for n in names)
        number = isinstance(err.instance, int | float) and not isinstance(err.instance, bool)
        if number and names == ["string"] and "pattern" in schema:
            yield error(  # 30 where 30km is meant: say what is missing
                "bad-type",
                f"{err.instance} has no unit: '{key}' needs one",
                *at_value,
                _with_units(err.instance, str(schema.get("pattern", ""))) or description,
            )
            return
        yield error(
            "bad-type",
            f"'{key}' must be {wanted}, not {_describe(err.instance)}",
            *at_value,
            description,
        )
        return
    if validator == "format":
        yield error(
            "bad-date",
            f"{_describe(err.instance)} is not a real date",
            *at_value,
            "write a calendar date as YYYY-MM-DD, e.g. 2027-03-07",
        )
        return
    if validator in ("pattern", "anyOf"):
        zone = _zone_typo(err.instance)
        yield error(
            "bad-value",
            f"{_describe(err.instance)} is not a valid value for '{key}'"
            + (f": unknown pace zone '{zone}'" if zone else ""),
            *at_value,
            choices_hint(zone, ZONES) if zone else description,
        )
        return
    if validator in ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"):
        yield error(
            "out-of-range",
            f"'{key}' is {err.instance}; {_bound_text(validator, err.validator_value)}",
            *at_value,
            description,
        )
        return
    if validator == "dependentRequired":
        match = re.match(r"^'([^']+)' is a dependency of '([^']+)'", err.message)
        needed, having = match.groups() if match else ("?", "?")
        yield error(
            "bad-step",
            f"a step with `{having}` needs `{needed}` too",
            *doc.locate((*path, having), key=True),
            "`repeat` and `steps` go together; `sets`, `reps` and `hold` go with `exercise`",
        )
        return
    if validator in ("minLength", "maxLength") and isinstance(err.instance, str):
        bound = err.validator_value
        length = len(err.instance)
        if validator == "minLength":
            message = f"'{key}' is empty" if not length else f"'{key}' is too short"
        else:
            message = f"'{key}' is {length} characters long; it may have at most {bound}"
        yield error("bad-value", message, *at_value, description)
        return
    if validator in ("minItems", "maxItems", "uniqueItems"):
        bound = err.validator_value
        message = {
            "minItems": f"'{key}' needs at least {bound} item{'s' * (bound != 1)}",
            "maxItems": f"'{key}' has more than {bound} item{'s' * (bound != 1)}",
            "uniqueItems": f"'{key}' lists the same item twice",
        }[validator]
        yield error("bad-value", message, *at_value, description)
        return
    message = err.message if len(err.message) <= 4 * SHOWN else err.message[: 4 * SHOWN] + "..."
    yield error("bad-value", f"'{key}': {message}", *at_value, description)


def _with_units(number: float, pattern: str) -> str | None:
    """The number written with the units its schema pattern accepts: 'write `30km` or `30mi`'."""
    shown = f"{number:g}"
    for units in (("km", "mi", "m"), ("min", "s", "h"), ("%",)):
        if all(unit in pattern for unit in units):
            written = [f"`{shown}{unit}`" for unit in units]
            return f"write it with its unit: {', '.join(written[:-1])} or {written[-1]}"
    if ":" in pattern:
        return f'write a time as mm:ss or h:mm:ss in quotes, e.g. "{shown}:00"'
    return None


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
