"""The JSON plan: valid against schemas/plan.schema.json and saying the Plan's numbers."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator
from plan_factory import make_plan

from compiler.emit import emit_json
from compiler.emit.json_plan import dumps
from compiler.model import ZONES, Plan

SCHEMA_PATH = Path(__file__).resolve().parent.parent / "schemas" / "plan.schema.json"


@pytest.fixture(scope="module")
def validator() -> Draft202012Validator:
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema)


def load(plan: Plan) -> Any:
    return json.loads(emit_json(plan))


@pytest.mark.parametrize("units", ["km", "mi"])
def test_valid_against_schema(validator: Draft202012Validator, units: str) -> None:
    errors = list(validator.iter_errors(load(make_plan(units=units))))
    assert errors == []


def test_schema_is_strict(validator: Draft202012Validator) -> None:
    doc = load(make_plan())
    doc["weeks"][0]["workouts"][0]["steps"][0]["extra"] = 1
    assert not validator.is_valid(doc)
    doc = load(make_plan())
    doc["weeks"][0]["workouts"][0]["distance_m"] = 1.5
    assert not validator.is_valid(doc)
    doc = load(make_plan())
    doc["weeks"][0]["workouts"][0]["steps"][1]["repeat"] = 0
    assert not validator.is_valid(doc)


def _subschemas(node: Any) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    if isinstance(node, dict):
        found.append(node)
        for value in node.values():
            found += _subschemas(value)
    elif isinstance(node, list):
        for value in node:
            found += _subschemas(value)
    return found


def test_schema_describes_every_property_and_closes_every_object() -> None:
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["$id"] == "https://planc.dev/schemas/plan.schema.json"
    for node in _subschemas(schema):
        for name, prop in node.get("properties", {}).items():
            assert prop.get("description"), name
        if node.get("type") == "object" and "properties" in node:
            assert node.get("additionalProperties") is False, node.get("description")


def test_numbers_agree_with_the_plan() -> None:
    plan = make_plan(units="mi")
    doc = load(plan)
    assert doc["schema"] == "https://planc.dev/schemas/plan.schema.json"
    assert doc["athlete"] == {
        "id": "bob-mi",
        "name": "Bob Smith",
        "timezone": "America/New_York",
        "units": "mi",
    }
    assert doc["program"] == "half-marathon" and doc["focus"] == "speed"
    assert doc["vdot"] == 50.3
    assert list(doc["paces"]) == list(ZONES)
    assert doc["paces"]["easy"] == {"min_s_per_km": 310.0, "max_s_per_km": 340.0}
    assert doc["paces"]["interval"] == {"min_s_per_km": 235.0, "max_s_per_km": 235.0}
    assert doc["race"] == {
        "name": "Riverside Half",
        "date": "2027-03-21",
        "distance_m": 21098,
        "goal_s": 5485,
    }
    assert [w["start"] for w in doc["weeks"]] == [w.start.isoformat() for w in plan.weeks]
    for week, data in zip(plan.weeks, doc["weeks"], strict=True):
        assert data["phase"] == week.phase
        assert data["target_m"] == round(week.target_m)
        assert data["planned_m"] == round(week.planned_m)
        assert [w["uid"] for w in data["workouts"]] == [w.uid for w in week.workouts]
        for workout, item in zip(week.workouts, data["workouts"], strict=True):
            assert item["title"] == workout.title
            assert item["distance_m"] == round(workout.distance_m)
            assert item["duration_s"] == round(workout.duration_s)
            start = workout.start_time
            assert item["start_time"] == (start.strftime("%H:%M") if start else None)
            assert item["category"] == workout.category
    intervals = doc["weeks"][0]["workouts"][0]
    repeat = intervals["steps"][1]
    assert repeat["kind"] == "repeat" and repeat["repeat"] == 6
    assert [s["kind"] for s in repeat["steps"]] == ["run", "walk"]
    assert repeat["steps"][0]["distance_m"] == 400
    assert repeat["steps"][1]["pace"] is None
    strength = doc["weeks"][0]["workouts"][1]
    assert [(s["label"], s["note"]) for s in strength["steps"]] == [
        ("Squats", "3 x 12"),
        ("Plank", "3 x 45 s"),
    ]


def test_all_day_workouts_have_null_start_time() -> None:
    doc = load(make_plan(units="km"))
    assert all(w["start_time"] is None for week in doc["weeks"] for w in week["workouts"])


def test_stable_format() -> None:
    data = emit_json(make_plan())
    assert data == emit_json(make_plan())
    assert data.endswith(b"}\n")
    assert data.startswith(b'{\n  "schema": ')
    assert "Ana García".encode() in data  # UTF-8, not \u escapes
    doc = json.loads(data)
    assert (dumps(doc) + "\n").encode() == data
    # indented by two spaces down to the workouts; each workout (steps and all) on a line of its own
    lines = data.decode().splitlines()
    workouts = [w for week in doc["weeks"] for w in week["workouts"]]
    assert workouts
    rows = [line for line in lines if line.lstrip().startswith('{"uid": ')]
    assert [json.loads(row.strip().rstrip(",")) for row in rows] == workouts
    assert lines[1] == '  "schema": "https://planc.dev/schemas/plan.schema.json",'
    assert all(line.startswith("  ") or line in "{}" for line in lines)
