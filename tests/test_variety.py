"""Quality sessions that fit the race and do not repeat unchanged (review round 16, defect 4;
round 15's sessions repeated week after week): a hard quality workout comes at most
`variety.most` times in any `variety.weeks` weeks while its slot has another to give
(quality_choice.varied), and a 5K or 10K runner's long run finishes fast for at most the
program's `long_run_fast_max` (sizing.oversized)."""

from __future__ import annotations

import json
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from hypothesis import example, given
from test_properties import SETTINGS, TODAY, profiles

from compiler.api import load_project
from compiler.model import Blueprint, Plan
from compiler.plan.pipeline import compile_checked
from compiler.plan.sizing import SIZED_TO_FIT, fast_seconds
from compiler.vocabulary import Intensity

# round 16: a balanced 10K runner whose only VO2max work was 12 x 400 m at 5K pace three times
# in four weeks (W13, W15, W16), with a B 5K, a C parkrun and a C half on the way
SEASON_10K: dict[str, Any] = {
    "kind": "athlete",
    "id": "r16-season-10k-mi",
    "name": "Marcus Bell",
    "timezone": "America/Chicago",
    "units": "mi",
    "start": "2026-12-07",
    "races": [
        {
            "name": "Lakefront 10K",
            "priority": "A",
            "program": "10k",
            "date": "2027-04-11",
            "goal": "41:30",
        },
        {"name": "Shamrock 5K", "priority": "B", "distance": "5k", "date": "2027-03-13"},
        {"name": "Frosty 4 Parkrun", "priority": "C", "distance": "5k", "date": "2027-01-23"},
        {"name": "February Half", "priority": "C", "distance": "half", "date": "2027-02-14"},
    ],
    "focus": "balanced",
    "fitness": {
        "recent_race": {"distance": "10km", "time": "43:10", "date": "2026-10-31"},
        "weekly_volume": "35mi",
        "long_run": "11mi",
    },
    "age": 38,
    "availability": {
        "days": ["monday", "tuesday", "wednesday", "thursday", "saturday", "sunday"],
        "long_run_day": "sunday",
    },
    "strength_per_week": 2,
}

# round 16: a 64-year-old 5K runner whose 5K-specific load was 2 x 6 min at race pace, beside
# 25-30 min steady in the long run
VETERAN_5K: dict[str, Any] = {
    "kind": "athlete",
    "id": "r16-veteran-5k-mi",
    "name": "Walter Greene",
    "timezone": "America/New_York",
    "units": "mi",
    "start": "2026-12-07",
    "race": {
        "name": "Masters 5K Championship",
        "program": "5k",
        "date": "2027-02-13",
        "goal": "22:45",
    },
    "focus": "endurance",
    "fitness": {
        "recent_race": {"distance": "5km", "time": "23:40", "date": "2026-11-14"},
        "weekly_volume": "22mi",
        "long_run": "8mi",
    },
    "age": 64,
    "availability": {
        "days": ["monday", "wednesday", "friday", "saturday"],
        "long_run_day": "saturday",
    },
    "strength_per_week": 2,
}

# round 16: a speed 10K whose build had no R work at all
SPEED_10K: dict[str, Any] = {
    "kind": "athlete",
    "id": "r16-speed-10k",
    "name": "Lucía Ferrer",
    "timezone": "Europe/Madrid",
    "units": "km",
    "start": "2026-12-07",
    "race": {"name": "Cursa 10K", "program": "10k", "date": "2027-03-07", "goal": "36:30"},
    "focus": "speed",
    "fitness": {
        "recent_race": {"distance": "5km", "time": "17:50", "date": "2026-11-15"},
        "weekly_volume": "60km",
        "long_run": "16km",
    },
    "age": 24,
    "availability": {
        "days": ["monday", "tuesday", "wednesday", "thursday", "friday", "sunday"],
        "long_run_day": "sunday",
    },
    "strength_per_week": 2,
}


def _compiled(profile: dict[str, Any]) -> tuple[Blueprint, Plan]:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "athlete.yaml"
        path.write_text(json.dumps(profile), "utf-8")
        project = load_project([path], today=TODAY)
    assert project.ok
    (blueprint,) = project.blueprints
    return blueprint, compile_checked(blueprint, TODAY).plan


def _hard_quality(plan: Plan) -> list[list[tuple[str, bool]]]:
    """Each week's hard quality workouts, by template, and whether each took the place of one
    too big for its week (sizing.resize: in a small week only one kind of session may fit)."""
    return [
        [
            (x.template, SIZED_TO_FIT in x.reason)
            for x in w.workouts
            if x.role == "quality" and x.intensity == Intensity.HARD
        ]
        for w in plan.weeks
    ]


def _other_choices(blueprint: Blueprint, phase: str, name: str) -> set[str]:
    """The hard workouts a worn-out ``name`` of ``phase`` may give way to: the program's
    `variety.instead` for it and the phase's quality workouts as the program substitutes them."""
    rules = blueprint.program.rules
    slots = blueprint.focus.for_phase(phase).quality
    names = {*rules.alternatives(name), *(rules.substituted(n) for s in slots for n in s)}
    hard = {n for n in names if blueprint.workouts[n].intensity == Intensity.HARD}
    return hard - {name}


def _worn_out(blueprint: Blueprint, plan: Plan) -> list[tuple[int, str]]:
    """(week index, workout) where a hard quality workout comes more than `variety.most` times
    in `variety.weeks` weeks though its phase has at least `variety.weeks` other hard workouts
    to give way to (with fewer, a week of several sessions may find them all worn out too),
    and it was not the one session that fitted a small week in the place of another, nor the
    program's race-specific session."""
    rules = blueprint.program.rules
    weekly = _hard_quality(plan)
    found = []
    for i, week in enumerate(plan.weeks):
        window: Sequence[list[tuple[str, bool]]] = weekly[
            max(0, i - rules.variety_weeks + 1) : i + 1
        ]
        for name, sized in weekly[i]:
            if sized or name == rules.race_specific_quality:
                continue  # the race-specific session comes as `race_specific.every` says
            count = sum(n == name for names in window for n, _ in names)
            others = _other_choices(blueprint, week.phase, name)
            if count > rules.variety_most and len(others) >= rules.variety_weeks:
                found.append((week.index, name))
    return found


@SETTINGS
@given(profiles())
@example(SEASON_10K)
@example(VETERAN_5K)
def test_a_quality_session_does_not_repeat_unchanged(profile: dict[str, Any]) -> None:
    """No hard quality workout comes more than `variety.most` times (2) in any
    `variety.weeks` (4) weeks where its phase has other hard workouts to rotate to."""
    blueprint, plan = _compiled(profile)
    assert _worn_out(blueprint, plan) == []


@SETTINGS
@given(profiles())
@example(VETERAN_5K)
def test_a_short_race_long_run_finishes_fast_briefly(profile: dict[str, Any]) -> None:
    """A 5K or 10K runner's long run holds at most `long_run_fast_max` (15 min) faster than
    easy: the week's quality session stays its key one."""
    blueprint, plan = _compiled(profile)
    most = blueprint.program.rules.long_run_fast_max_s
    if most is None:
        return
    for week in plan.weeks:
        for workout in week.workouts:
            if workout.role == "long":
                assert fast_seconds(workout) <= most + 1, (week.index, workout.title)


def test_the_season_10k_gets_kilometre_repeats_at_i_pace() -> None:
    """Round 16's 10K runner: no third session of 400s in four weeks; 1000-1200 m repeats at
    I pace in the race-specific block."""
    blueprint, plan = _compiled(SEASON_10K)
    assert _worn_out(blueprint, plan) == []
    late = [x.template for w in plan.weeks if w.index >= 13 for x in w.workouts]
    assert "long-intervals" in late


def test_the_veteran_5k_runs_kilometres_at_race_pace() -> None:
    """Round 16's 64-year-old: the 5K-specific session is kilometre repeats at race pace, not
    2 x 6 min; the long run's steady finish at most 15 min."""
    _blueprint, plan = _compiled(VETERAN_5K)
    titles = [x.title for w in plan.weeks for x in w.workouts if x.role == "quality"]
    assert any("1000m at race pace" in t for t in titles), titles


def test_the_speed_10k_gets_r_work() -> None:
    """Round 16's speed 10K: the focus's repetitions at R pace reach the 10K."""
    _blueprint, plan = _compiled(SPEED_10K)
    assert any(x.template == "repetitions" for w in plan.weeks for x in w.workouts)
