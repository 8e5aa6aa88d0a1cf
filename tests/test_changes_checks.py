"""Checks and outputs of the athlete's changes (compiler/plan/changes.py) found by the review of
issue 15: a change that changes nothing leaves no layer, the gentle return after a sick skip
never makes a session longer, and a `volume` layer says its share."""

from __future__ import annotations

import dataclasses
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_properties import TODAY, compile_profile, profiles

from compiler.model import Blueprint, Change, Source
from compiler.plan.pipeline import compile_checked
from compiler.vocabulary import ChangeAction, ChangeReason

SOURCE = Source("generated.yaml", 40, 5)
SETTINGS = settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _with(blueprint: Blueprint, changes: tuple[Change, ...]) -> Blueprint:
    return dataclasses.replace(
        blueprint, athlete=dataclasses.replace(blueprint.athlete, changes=changes)
    )


@SETTINGS
@given(profiles(), st.data())
def test_a_move_onto_its_own_day_changes_nothing_and_says_so(
    profile: dict[str, Any], data: st.DataObject
) -> None:
    """`move: X` with `to: X` (or a swap of X with X) is a warning and leaves the plan as
    compiled: no session marked "moved"."""
    case = compile_profile(profile)
    runs = [w for w in case.plan.workouts if w.slot == "run" and w.category != "race"]
    workout = data.draw(st.sampled_from(runs))
    action = data.draw(st.sampled_from([ChangeAction.MOVE, ChangeAction.SWAP]))
    change = Change(action, workout.date, SOURCE, to=workout.date, reason=ChangeReason.TRAVEL)
    compiled = compile_checked(_with(case.blueprint, (change,)), TODAY)
    assert not any(w.layers for w in compiled.plan.workouts)
    assert compiled.plan.weeks == case.plan.weeks
    assert "change-no-effect" in [d.code for d in compiled.warnings]
