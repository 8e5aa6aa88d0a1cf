"""Issue 14 item 3: the typed model passed between stages is deeply frozen.  A frozen dataclass
that holds a dict or a list is frozen only on its surface; these tests walk everything a stage
hands on (the resolved templates, each athlete's Blueprint, the compiled Plan) and find no
mutable container and no dataclass that is not frozen."""

from __future__ import annotations

import dataclasses
import datetime as dt
import enum
import pickle
from collections.abc import Iterator
from pathlib import Path

import pytest

from compiler.api import compile_plan, load_project
from compiler.frozen import FrozenMap
from compiler.resources import examples_dir

TODAY = dt.date(2026, 11, 22)
ATOMS = (str, int, float, bool, bytes, type(None), dt.date, dt.time, dt.timedelta, enum.Enum, Path)


def mutable_parts(value: object, where: str, seen: set[int]) -> Iterator[str]:
    """Where, inside ``value``, something could be changed in place: a list, dict or set, an
    object that is not a frozen dataclass, a dataclass that is not frozen."""
    if isinstance(value, ATOMS) or id(value) in seen:
        return
    seen.add(id(value))
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        if not type(value).__dataclass_params__.frozen:  # type: ignore[attr-defined]
            yield f"{where}: {type(value).__name__} is not frozen"
        for f in dataclasses.fields(value):
            yield from mutable_parts(getattr(value, f.name), f"{where}.{f.name}", seen)
    elif isinstance(value, (tuple, frozenset)):
        for i, item in enumerate(value):
            yield from mutable_parts(item, f"{where}[{i}]", seen)
    elif isinstance(value, FrozenMap):
        for key, item in value.items():
            yield from mutable_parts(key, f"{where}.key", seen)
            yield from mutable_parts(item, f"{where}[{key!r}]", seen)
    else:
        yield f"{where}: a {type(value).__name__}"


@pytest.fixture(scope="module")
def project():  # type: ignore[no-untyped-def]
    found = load_project(sorted(examples_dir().glob("*.yaml")), today=TODAY)
    assert found.ok
    return found


def test_the_resolved_templates_are_deeply_frozen(project) -> None:  # type: ignore[no-untyped-def]
    assert list(mutable_parts(project.templates, "templates", set())) == []


def test_each_blueprint_and_plan_is_deeply_frozen(project) -> None:  # type: ignore[no-untyped-def]
    assert project.blueprints
    # a training block (examples/base-block.yaml) is walked too: its Block and the block program
    assert any(b.athlete.block is not None for b in project.blueprints)
    for blueprint in project.blueprints:
        name = blueprint.athlete.id
        assert list(mutable_parts(blueprint, name, set())) == []
        plan = compile_plan(blueprint, TODAY)
        assert list(mutable_parts(plan, f"{name} plan", set())) == []


def test_a_frozen_map_cannot_be_changed_and_survives_a_worker_process() -> None:
    frozen = FrozenMap({"easy": 1.0, "threshold": 2.0})
    with pytest.raises(TypeError):
        frozen["easy"] = 3.0  # type: ignore[index]
    assert not hasattr(frozen, "update") and not hasattr(frozen, "pop")
    again = pickle.loads(pickle.dumps(frozen))
    assert again == frozen == {"easy": 1.0, "threshold": 2.0}
    assert hash(again) == hash(frozen) and list(again) == ["easy", "threshold"]
