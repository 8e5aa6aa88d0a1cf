"""A change in a season's second training cycle is built with that cycle's program and paces
(compiler/plan/changes.py ``cycle_on``): replacing a run of the autumn marathon's build with a
race-pace tempo puts its block at the marathon's race pace (its own goal), not the spring half's.
The bundled two-A-race example, compiled with the change, each cycle's paces read from the plan."""

from __future__ import annotations

import datetime as dt

from test_changes import SOURCE, _with
from test_properties import TODAY

from compiler.api import compile_plan, load_project
from compiler.model import Blueprint, Change, Plan, Step, Workout
from compiler.resources import examples_dir
from compiler.vocabulary import ChangeAction, Role, StepKind


def _blueprint() -> Blueprint:
    project = load_project([examples_dir() / "two-a-races.yaml"], today=TODAY)
    (blueprint,) = project.blueprints
    return blueprint


def _second_cycle_easy_run(plan: Plan) -> Workout:
    """An easy run in the second cycle's build, well before its race."""
    assert plan.second_cycle is not None
    start = plan.second_cycle.start + dt.timedelta(weeks=8)
    return next(
        w for w in plan.workouts if w.date >= start and w.role == Role.EASY and w.slot == "run"
    )


def _replaced(blueprint: Blueprint, day: dt.date, template: str) -> Workout:
    change = Change(ChangeAction.REPLACE, day, SOURCE, replacement=template)
    plan = compile_plan(_with(blueprint, (change,)), TODAY)
    return next(w for w in plan.workouts if w.date == day and w.slot == "run")


def _runs(steps: tuple[Step, ...]) -> list[Step]:
    out: list[Step] = []
    for step in steps:
        out.extend(_runs(step.steps) if step.kind == StepKind.REPEAT else [step])
    return out


def test_a_race_pace_tempo_in_the_second_cycle_runs_at_the_second_race_s_pace() -> None:
    blueprint = _blueprint()
    plan = compile_plan(blueprint, TODAY)
    assert plan.second_cycle is not None
    first_race = plan.paces.zones["race"]
    second_race = plan.second_cycle.paces.zones["race"]
    assert second_race != first_race  # a half at 1:49 and a marathon at 3:50
    day = _second_cycle_easy_run(plan).date
    tempo = _replaced(blueprint, day, "race-pace-tempo")
    blocks = [s for s in _runs(tempo.steps) if s.zone == "race"]
    assert blocks, tempo.steps
    assert all(s.pace == second_race for s in blocks), (blocks, second_race, first_race)
