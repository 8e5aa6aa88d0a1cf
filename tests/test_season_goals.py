"""The goals of a season's other races go through the checks the first A race's goal goes
through (issue 15): a second A race's goal slower than easy pace (`goal-too-slow`) or far beyond
the fitness (`goal-ambitious`), a B or C race's goal slower than easy pace or no human's
(`impossible-value`), each reported at that race's own `goal` (file:line:col).  A property over
generated two-A-race athletes, then concrete B and C races."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import Any

from diag_helpers import at
from hypothesis import given
from hypothesis import strategies as st
from test_properties import SETTINGS, TODAY
from test_two_a_races import two_a_profiles

from compiler.api import load_project
from compiler.diagnostics import Diagnostic
from compiler.plan.paces import EASY_SLOW_FRACTION, VDOT_MIN, pace_at, race_time, vdot
from compiler.units import format_clock, parse_clock, parse_race_distance

PROGRAM_M = {"5k": 5000.0, "10k": 10000.0, "half-marathon": 21097.5, "marathon": 42195.0}
TOO_SLOW = 1.15  # of the slowest easy pace: a goal run slower than any easy run
AMBITIOUS = 0.8  # of the time the fitness is worth: far beyond a plan's 1.5 VDOT points


def diagnostics(profile: dict[str, Any]) -> tuple[str, tuple[Diagnostic, ...]]:
    """The profile as written (JSON, which is YAML, a value a line) and what loading it says."""
    text = json.dumps(profile, indent=2)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "generated.yaml"
        path.write_text(text, "utf-8")
        project = load_project([path], today=TODAY)
    return text, tuple(project.diagnostics)


def goal_for(profile: dict[str, Any], code: str, distance_m: float) -> str:
    """A goal ``code`` must flag, for the recent race's VDOT (not reduced for its age, as the
    second cycle carries it): slower than its easy pace (yet a human's time), or far faster
    than it is worth."""
    recent = profile["fitness"]["recent_race"]
    worth = vdot(parse_race_distance(recent["distance"]), parse_clock(recent["time"]))
    if code == "goal-ambitious":
        return format_clock(AMBITIOUS * race_time(worth, distance_m))
    slow = TOO_SLOW * pace_at(worth, EASY_SLOW_FRACTION) * distance_m / 1000
    return format_clock(min(slow, race_time(VDOT_MIN + 0.5, distance_m)))


@SETTINGS
@given(two_a_profiles(), st.sampled_from(["goal-too-slow", "goal-ambitious"]))
def test_the_second_a_race_s_goal_is_checked_at_its_own_line(
    profile: dict[str, Any], code: str
) -> None:
    second = next(r for r in profile["races"] if r["name"] == "Autumn race")
    goal = goal_for(profile, code, PROGRAM_M[second["program"]])
    second["goal"] = goal
    text, found = diagnostics(profile)
    here = [d for d in found if d.code == code]
    assert len(here) == 1, [d.format() for d in found]
    assert (here[0].line, here[0].column) == at(text, f'"goal": ^"{goal}"')
    assert "Autumn race" in here[0].message


def athlete_with(race: dict[str, Any]) -> dict[str, Any]:
    """The bundled half marathoner's kind of profile with one more race in `races:`."""
    return {
        "kind": "athlete",
        "id": "b-goal",
        "name": "B Goal",
        "timezone": "Europe/Madrid",
        "units": "km",
        "races": [
            {
                "name": "Spring Half",
                "priority": "A",
                "program": "half-marathon",
                "date": "2027-03-14",
            },
            race,
        ],
        "focus": "balanced",
        "start": "2026-11-30",
        "fitness": {
            "recent_race": {"distance": "10km", "time": "49:30", "date": "2026-10-25"},
            "weekly_volume": "32km",
            "long_run": "13km",
        },
        "availability": {
            "days": ["monday", "tuesday", "thursday", "saturday", "sunday"],
            "long_run_day": "sunday",
        },
    }


def test_a_b_race_s_goal_slower_than_easy_pace_is_a_warning_at_its_goal() -> None:
    race = {
        "name": "City 10K",
        "priority": "B",
        "program": "10k",
        "date": "2027-02-07",
        "goal": "1:30:00",
    }
    text, found = diagnostics(athlete_with(race))
    (slow,) = [d for d in found if d.code == "goal-too-slow"]
    assert (slow.line, slow.column) == at(text, '"goal": ^"1:30:00"')
    assert slow.message.startswith("the goal 1:30:00 for the City 10K (9:00/km)")


def test_a_c_race_s_goal_no_human_could_run_is_an_error_at_its_goal() -> None:
    race = {
        "name": "Summer 10K",
        "priority": "C",
        "distance": "10k",
        "date": "2027-02-07",
        "goal": "15:00",
    }
    text, found = diagnostics(athlete_with(race))
    (impossible,) = [d for d in found if d.code == "impossible-value"]
    assert (impossible.line, impossible.column) == at(text, '"goal": ^"15:00"')
    # a B or C race's goal sets no race-pace sessions: no goal-ambitious for it
    race["goal"] = "38:00"
    _, found = diagnostics(athlete_with(race))
    assert not [d for d in found if d.code == "goal-ambitious"]
