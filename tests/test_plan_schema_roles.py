"""plan.json's schema knows every role the engine gives a session (issue 11 brought the shakeout
before race day and the medium-long run): the schema's `role` enum is the Role enum's words, the
plan.json of many generated athletes validates against it, and a role it does not know is
refused, so a role the engine starts to produce without the schema's knowing fails here."""

from __future__ import annotations

import copy
import datetime as dt
import json
import random
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from coach_sample import athlete, program_min_weeks
from hypothesis import given
from test_properties import SETTINGS, compile_profile, plan_schema, profiles

from compiler.api import compile_plan, load_project
from compiler.emit import emit_json
from compiler.resources import examples_dir, schemas_dir
from compiler.vocabulary import Role

TODAY = dt.date(2026, 11, 22)
ROLES = tuple(role.value for role in Role)
SAMPLE = 60  # athletes of coach_sample's generator, seed 11


def roles(doc: dict[str, Any]) -> set[str]:
    return {w["role"] for week in doc["weeks"] for w in week["workouts"]}


@cache
def sample() -> tuple[dict[str, Any], ...]:
    """plan.json of SAMPLE athletes drawn as tests/coach_sample.py draws them (the same ones
    every run), compiled in-process."""
    rng = random.Random(11)
    weeks = program_min_weeks()
    docs = []
    for index in range(1, SAMPLE + 1):
        profile = athlete(rng, index, weeks, ages=True)
        docs.append(json.loads(emit_json(compile_profile(profile).plan)))
    return tuple(docs)


def test_the_schema_lists_the_role_enums_words() -> None:
    schema = json.loads((schemas_dir() / "plan.schema.json").read_text("utf-8"))
    role = schema["$defs"]["workout"]["properties"]["role"]
    assert role["enum"] == list(ROLES)
    for name in ROLES:
        assert name in role["description"] or name.replace("-", " ") in role["description"]


def test_a_sample_of_athletes_validates_with_every_role_the_engine_gives() -> None:
    seen: set[str] = set()
    for doc in sample():
        plan_schema().validate(doc)
        seen |= roles(doc)
    assert seen <= set(ROLES)
    # the sample holds the roles issue 11 brought, so the schema is checked against them
    assert {"shakeout", "medium-long", "quality", "recovery"} <= seen, seen


def test_an_unknown_role_is_refused() -> None:
    project = load_project([examples_dir()], today=TODAY)
    doc = json.loads(emit_json(compile_plan(project.blueprints[0], TODAY)))
    plan_schema().validate(doc)
    wrong = copy.deepcopy(doc)
    wrong["weeks"][0]["workouts"][0]["role"] = "warm-down"
    with pytest.raises(jsonschema.ValidationError, match="warm-down"):
        plan_schema().validate(wrong)


@SETTINGS
@given(profiles())
def test_generated_athletes_plan_json_validates(profile: dict[str, Any]) -> None:
    doc = json.loads(emit_json(compile_profile(profile).plan))
    plan_schema().validate(doc)
    assert roles(doc) <= set(ROLES)


def test_docs_name_every_role() -> None:
    outputs = (Path(__file__).parent.parent / "docs" / "outputs.md").read_text("utf-8")
    line = next(line for line in outputs.splitlines() if line.startswith("| `role` |"))
    assert all(f"`{name}`" in line for name in ROLES), line
