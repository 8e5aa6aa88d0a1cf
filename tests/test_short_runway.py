"""A fit athlete on a short runway (expert review, issue 11): "if you've got a solid base, layer
in speed work" -- the build keeps its weeks before the base keeps the program's minimum."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from compiler.cli import main

ATHLETE = """\
kind: athlete
id: runner
name: Test Runner
timezone: Europe/London
units: km
race: {{name: Summer 10K, program: 10k, date: {race}}}
focus: speed
start: 2027-04-26
fitness:
  recent_race: {{distance: 5km, time: "20:45", date: {raced}}}
  weekly_volume: {volume}km
  long_run: 14km
availability:
  days: [monday, tuesday, wednesday, thursday, saturday, sunday]
  long_run_day: sunday
"""


def _phases(tmp_path: Path, race: str, raced: str, volume: int) -> Counter[str]:
    return Counter(week["phase"] for week in _plan(tmp_path, race, raced, volume)["weeks"])


def _plan(tmp_path: Path, race: str, raced: str, volume: int) -> dict[str, Any]:
    source = tmp_path / "runner.yaml"
    source.write_text(ATHLETE.format(race=race, raced=raced, volume=volume))
    out = tmp_path / "out"
    args = ["build", "--no-project", "-j", "1", "-q", "--out", str(out), str(source)]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    plan: dict[str, Any] = json.loads((out / "runner" / "plan.json").read_text())
    return plan


@pytest.mark.parametrize("race", ["2027-06-13", "2027-06-20"])  # 7 and 8 weeks
def test_a_solid_base_on_a_short_runway_gets_the_build(tmp_path: Path, race: str) -> None:
    phases = _phases(tmp_path, race, raced="2027-04-04", volume=45)
    assert phases["base"] <= 2 and phases["build"] >= 3, phases


@pytest.mark.parametrize(("race", "base"), [("2027-07-25", 5), ("2027-09-12", 7)])  # 13, 20 weeks
def test_a_solid_base_on_a_long_runway_gets_the_weeks_the_build_cannot_take(
    tmp_path: Path, race: str, base: int
) -> None:
    """Rule 8 (review round 11): on a runway 4 weeks or more past the program's own (13 weeks
    for the 10K), once the build (at most 6 weeks) and the taper (2) have their longest, the
    base takes the runway's spare weeks, up to a week short of its maximum (8), before the
    build repeats: a solid base is short only as far as the runway needs.  Short of that,
    quality comes early, but no phase runs past its `max_weeks` (round 19): on 13 weeks the
    build has its 6 and the taper its 2, so the base has 5 (with its light session a week)."""
    phases = _phases(tmp_path, race, raced="2027-04-04", volume=45)
    assert phases["base"] == base, phases


def test_near_the_peak_with_a_recent_race_quality_comes_by_week_5(tmp_path: Path) -> None:
    """Rule 8: an athlete already near the plan's peak with a recent race gets quality within
    the first 5 weeks on a long runway too (20 weeks).  Round 19 gives a long runway's spare
    weeks to the base for them as well: the base's light session a week
    (`quality_sessions_raced`) is that quality."""
    plan = _plan(tmp_path, "2027-09-12", raced="2027-04-04", volume=80)
    hard = [
        w["index"]
        for w in plan["weeks"][:5]
        if any(x["intensity"] == "hard" and x["category"] != "strength" for x in w["workouts"])
    ]
    assert hard, [w["phase"] for w in plan["weeks"]]


def test_without_a_recent_race_the_program_minimum_base_stays(tmp_path: Path) -> None:
    phases = _phases(tmp_path, "2027-06-13", raced="2026-06-01", volume=45)  # a year ago
    assert phases["base"] >= 4, phases
