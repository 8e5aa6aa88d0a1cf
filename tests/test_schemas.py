"""The schemas are a contract for editors as much as for planc: draft 2020-12, a stable $id,
closed objects, and a description on every property (hover help in yaml-language-server)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from compiler.resources import schemas_dir

SCHEMAS = sorted(schemas_dir().glob("*.schema.json"))


def subschemas(schema: Any, where: str = "#") -> Iterator[tuple[str, dict[str, Any]]]:
    if isinstance(schema, dict):
        yield where, schema
        for key, value in schema.items():
            if key in ("properties", "$defs", "patternProperties"):
                for name, sub in value.items():
                    yield from subschemas(sub, f"{where}/{key}/{name}")
            elif key in ("items", "additionalProperties", "propertyNames", "not"):
                yield from subschemas(value, f"{where}/{key}")
            elif key in ("anyOf", "oneOf", "allOf"):
                for index, sub in enumerate(value):
                    yield from subschemas(sub, f"{where}/{key}/{index}")


def test_every_schema_is_there() -> None:
    names = {p.name.removesuffix(".schema.json") for p in SCHEMAS}
    documents = {"athlete", "workout", "phase", "focus", "program"}
    assert names == documents | {"plan", "diagnostics", "project"}


@pytest.mark.parametrize("path", SCHEMAS, ids=lambda p: p.name)
def test_draft_2020_12_with_a_stable_id(path: Path) -> None:
    schema = json.loads(path.read_text("utf-8"))
    Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["$id"] == f"https://planc.dev/schemas/{path.name}"


@pytest.mark.parametrize("path", SCHEMAS, ids=lambda p: p.name)
def test_closed_objects_and_a_description_on_every_property(path: Path) -> None:
    schema = json.loads(path.read_text("utf-8"))
    for where, sub in subschemas(schema):
        if "properties" in sub:
            assert sub.get("additionalProperties") is False, f"{where} is open"
            for name, prop in sub["properties"].items():
                assert prop.get("description"), f"{where}/properties/{name} has no description"


@pytest.mark.parametrize("path", SCHEMAS, ids=lambda p: p.name)
def test_no_reference_leaves_the_file(path: Path) -> None:
    """Editors resolve relative $refs against the https $id, which would mean a network fetch."""
    text = path.read_text("utf-8")
    refs = [line for line in text.splitlines() if '"$ref"' in line]
    assert all('"#/' in line for line in refs), refs
