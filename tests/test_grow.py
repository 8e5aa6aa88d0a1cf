"""Hard sessions grow with a fit athlete's week (compiler/plan/grow.py, `grow_to` in the templates):
params step by step, and real athletes' plans, parsed back from plan.json."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from coach_rules import violations
from ruamel.yaml import YAML

from compiler.cli import main
from compiler.model import Param
from compiler.sources.steps import grown_value
from compiler.units import UnitError, parse_amount


def test_a_count_grows_by_its_step_up_to_grow_to() -> None:
    reps = Param("reps", 6, 10, 1, grow_to=12)
    assert grown_value(reps, 10) == 11
    assert grown_value(reps, 12) is None


def test_a_distance_grows_by_its_step_and_stops_at_grow_to() -> None:
    rep = Param("rep", "400m", None, "200m", grow_to="800m")
    assert grown_value(rep, "400m") == "600m"
    assert grown_value(rep, "600m") == "800m"
    assert grown_value(rep, "800m") is None


def test_a_duration_without_a_step_grows_a_minute_at_a_time() -> None:
    assert grown_value(Param("tempo", "20min", grow_to="22min"), "20min") == "21min"


def test_no_grow_to_never_grows() -> None:
    assert grown_value(Param("reps", 6, 10, 1), 10) is None


def test_grow_to_of_another_kind_is_a_unit_error() -> None:
    with pytest.raises(UnitError):
        grown_value(Param("rep", "400m", grow_to="5min"), "400m")


ATHLETE = """\
kind: athlete
id: {id}
name: Test Runner
timezone: Europe/Berlin
units: km
race: {{name: Autumn Half, program: half-marathon, date: 2027-10-24}}
focus: balanced
start: 2027-07-12
fitness:
  recent_race: {{distance: 10km, time: "{time}", date: 2027-06-13}}
  weekly_volume: {volume}km
  long_run: {long}km
availability:
  days: [monday, tuesday, wednesday, thursday, friday, saturday, sunday]
  long_run_day: sunday
"""


def _build(tmp_path: Path, **athlete: Any) -> tuple[dict[str, Any], dict[str, Any]]:
    source = tmp_path / f"{athlete['id']}.yaml"
    source.write_text(ATHLETE.format(**athlete))
    out = tmp_path / "out"
    result = CliRunner().invoke(
        main, ["build", "--no-project", "-j", "1", "-q", "--out", str(out), str(source)]
    )
    assert result.exit_code == 0, result.output
    plan = json.loads((out / athlete["id"] / "plan.json").read_text())
    return YAML(typ="safe").load(source.read_text()), plan


def _short_interval_reps(plan: dict[str, Any]) -> list[float]:
    """The length of each short-interval rep in the plan, in metres."""
    return [
        parse_amount(workout["title"].split(" x ")[1].split(" ")[0]).value
        for week in plan["weeks"]
        for workout in week["workouts"]
        if workout["template"] == "short-intervals"
    ]


def test_a_fit_athletes_intervals_grow_and_stay_within_the_limits(tmp_path: Path) -> None:
    profile, plan = _build(tmp_path, id="fit", time="36:00", volume=90, long=22)
    reps = _short_interval_reps(plan)
    assert reps and max(reps) >= 600, reps  # not the beginner's 400 m at 90 km a week
    assert not [v for v in violations(profile, plan) if v.startswith("K6")]
    notes = [n for week in plan["weeks"] for n in week["notes"] if "grown to the week" in n]
    assert notes, "explain says which sessions grew and why"


def test_a_beginners_intervals_stay_as_written(tmp_path: Path) -> None:
    _profile, plan = _build(tmp_path, id="new", time="58:00", volume=25, long=9)
    reps = _short_interval_reps(plan)
    assert reps and set(reps) == {400.0}, reps
