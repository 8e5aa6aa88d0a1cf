"""Golden plans: the compiled plan.json of every bundled example, committed, compared byte for byte.

A change to the coaching engine or the templates that changes a plan fails here with a diff, so
the change is seen and reviewed; when the new plan is right, regenerate the goldens with

    PLANC_UPDATE_GOLDEN=1 pytest tests/test_golden.py

and commit them with the change that explains why the plans moved.
"""

from __future__ import annotations

import datetime as dt
import difflib
import os
from pathlib import Path

import pytest

from compiler.api import compile_plan, load_project
from compiler.emit import emit_json
from compiler.resources import examples_dir

TODAY = dt.date(2026, 11, 22)
GOLDEN = Path(__file__).parent / "golden"
UPDATE = os.environ.get("PLANC_UPDATE_GOLDEN") == "1"


@pytest.fixture(scope="module")
def plans() -> dict[str, bytes]:
    project = load_project([examples_dir()], today=TODAY)
    assert project.ok
    return {bp.athlete.id: emit_json(compile_plan(bp, TODAY)) for bp in project.blueprints}


def test_every_example_has_a_golden_plan(plans: dict[str, bytes]) -> None:
    if UPDATE:
        for stale in GOLDEN.glob("*.json"):
            if stale.stem not in plans:
                stale.unlink()
    assert sorted(p.stem for p in GOLDEN.glob("*.json")) == sorted(plans) or UPDATE


@pytest.mark.parametrize(
    "athlete_id",
    sorted(p.stem for p in examples_dir().rglob("*.yaml") if "kind: athlete" in p.read_text()),
)
def test_the_plan_matches_its_golden(plans: dict[str, bytes], athlete_id: str) -> None:
    golden = GOLDEN / f"{athlete_id}.json"
    produced = plans[athlete_id]
    if UPDATE:
        golden.write_bytes(produced)
        return
    expected = golden.read_bytes() if golden.exists() else b""
    if produced != expected:
        diff = difflib.unified_diff(
            expected.decode().splitlines(),
            produced.decode().splitlines(),
            f"golden/{athlete_id}.json",
            "compiled",
            lineterm="",
            n=2,
        )
        pytest.fail(
            "the plan changed (PLANC_UPDATE_GOLDEN=1 if it is right):\n"
            + "\n".join(list(diff)[:80])
        )
