"""The closed vocabularies (compiler/vocabulary.py) and the JSON Schemas agree word for word: a
coach's template is checked against the schema's enum and then read into the enum, so a word one
knows and the other does not is a template that validates and then cannot be read (or a member
no template can ever name).  plan.json's schema lists the words the outputs carry."""

from __future__ import annotations

import json
import re
from enum import StrEnum
from functools import cache
from typing import Any

import pytest

from compiler.emit.text import CATEGORY_LABELS, CATEGORY_SHORT, ZONE_LABELS
from compiler.model import ZONES
from compiler.plan.resolve_changes import NEEDS, TAKES
from compiler.resources import schemas_dir
from compiler.sources.steps import STEP_EXTRAS, parse_target
from compiler.vocabulary import (
    Category,
    ChangeAction,
    ChangeReason,
    Intensity,
    LayerAction,
    Progression,
    RacePriority,
    Role,
    SlotKind,
    StepKind,
    Zone,
)


@cache
def schema(kind: str) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads((schemas_dir() / f"{kind}.schema.json").read_text("utf-8"))
    return loaded


def words(enum: type[StrEnum]) -> list[str]:
    return [member.value for member in enum]


def test_a_member_is_its_word() -> None:
    """What keeps the outputs byte-identical: a member formats, compares and serialises as the
    string it stands for."""
    assert f"{Role.MEDIUM_LONG}" == str(Role.MEDIUM_LONG) == "medium-long"
    assert json.dumps({Category.VO2MAX: [Intensity.HARD]}) == '{"vo2max": ["hard"]}'
    assert Progression("taper") is Progression.TAPER
    assert SlotKind("run") is SlotKind.RUN


def test_a_template_has_every_category_but_the_plans_own() -> None:
    """A workout template or a phase names any category but cross-training, which only a
    change puts in the plan (in a run's place)."""
    in_templates = [c for c in Category if c.in_templates]
    assert Category.CROSS_TRAINING not in in_templates
    for node in (
        schema("workout")["properties"]["category"],
        schema("phase")["properties"]["allowed_categories"]["items"],
    ):
        assert sorted(node["enum"]) == sorted(in_templates)


@pytest.mark.parametrize(
    ("kind", "path", "enum"),
    [
        ("workout", ("properties", "intensity"), Intensity),
        ("phase", ("properties", "volume", "properties", "progression"), Progression),
        ("plan", ("$defs", "workout", "properties", "role"), Role),
        ("plan", ("$defs", "workout", "properties", "category"), Category),
        ("plan", ("$defs", "workout", "properties", "intensity"), Intensity),
        ("athlete", ("properties", "changes", "items", "properties", "reason"), ChangeReason),
        ("plan", ("$defs", "layer", "properties", "action"), LayerAction),
        ("plan", ("$defs", "step", "properties", "kind"), StepKind),
        ("athlete", ("properties", "races", "items", "properties", "priority"), RacePriority),
        ("plan", ("properties", "races", "items", "properties", "priority"), RacePriority),
    ],
)
def test_the_schema_lists_the_enums_words(
    kind: str, path: tuple[str, ...], enum: type[StrEnum]
) -> None:
    node = schema(kind)
    for key in path:
        node = node[key]
    assert sorted(node["enum"]) == sorted(words(enum))


def test_a_programs_volume_override_knows_every_progression() -> None:
    found = []

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            progression = node.get("progression")
            if isinstance(progression, dict) and "enum" in progression:
                found.append(progression["enum"])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(schema("program"))
    assert found
    assert all(sorted(enum) == sorted(words(Progression)) for enum in found)


def test_a_change_names_the_run_or_the_strength_session() -> None:
    """A change's `slot:` is one of the day's sessions it can move: never the race."""
    changes = schema("athlete")["properties"]["changes"]["items"]["properties"]
    assert changes["slot"]["enum"] == [SlotKind.RUN, SlotKind.STRENGTH]


def test_every_category_has_its_labels() -> None:
    """The outputs name a category in words and in a calendar cell's short form: a category
    added to the enum without them would fall back to its bare word."""
    assert set(CATEGORY_LABELS) == set(Category)
    assert set(CATEGORY_SHORT) == set(Category)


def test_a_change_has_one_key_per_action() -> None:
    """A change names its action as its key: the schema knows a key for every action (and
    says so in the change's description), and the reader finds each (resolve_changes.NEEDS)."""
    change = schema("athlete")["properties"]["changes"]["items"]
    assert set(words(ChangeAction)) <= set(change["properties"])
    assert all(f"`{action}`" in change["description"] for action in ChangeAction)
    assert set(NEEDS) == set(TAKES) == set(ChangeAction)


def test_only_sick_and_injured_are_ill() -> None:
    assert {reason for reason in ChangeReason if reason.ill} == {
        ChangeReason.SICK,
        ChangeReason.INJURED,
    }


def test_a_step_is_one_of_the_step_kinds() -> None:
    """A workout's step is written as one key naming its kind (``run: 400m @ 5k``), beside
    the keys every step may have (STEP_EXTRAS): the keys the schema allows are those two."""
    keys = schema("workout")["$defs"]["step"]["properties"]
    assert set(keys) - STEP_EXTRAS == set(words(StepKind))
    assert set(keys) >= STEP_EXTRAS


def test_the_target_pattern_names_every_zone() -> None:
    """The zone after ``@`` in a step's target is checked by the schema's pattern and then read
    into a Zone (steps.parse_target): the pattern lists the same zones, and each is read."""
    pattern = schema("workout")["$defs"]["target"]["pattern"]
    listed = re.search(r"@\\s\*\(([^)]*)\)", pattern)
    assert listed is not None
    assert sorted(listed.group(1).split("|")) == sorted(words(Zone))
    for zone in Zone:
        assert parse_target(f"400m @ {zone.value}").zone is zone


def test_the_zones_run_from_slowest_training_zone_to_the_race() -> None:
    """model.ZONES, the order the outputs list paces in, holds every zone once."""
    assert tuple(Zone) == ZONES
    assert set(ZONE_LABELS) == set(Zone)
