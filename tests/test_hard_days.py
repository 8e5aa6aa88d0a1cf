"""80/20 kept when moderate running stacks up (review round 21, defect 2), as properties over
generated athletes: a long run with a block (a steady finish, race pace, a tempo) is a quality
session of its week, so one other session at most beside it; such long runs come at most every
other week (a marathoner's goal-pace long runs alternate with easy ones); a progression run's
faster part stays within 30 min; an injury-prone or masters marathoner's long run holds at most
60 min at goal pace; at least 78% of a week's running distance is easy, as 80% of its time.

The coach's numbers are written here as the coach gave them, not read from the templates: a
template that raised them would break the coach's rule, and these tests are to say so."""

from __future__ import annotations

from typing import Any

from hypothesis import example, given, settings
from hypothesis import strategies as st
from review_athletes import R21_INJURY_MARATHON as A4_INJURY_MARATHON
from test_coaching_rules import EASY, running_steps
from test_properties import SETTINGS, compile_profile, profiles

from compiler.model import Plan, Step, Workout

QUALITY_BESIDE_BLOCK_LONG = 1  # quality sessions beside a long run with a block
PROGRESSION_FAST_MAX_S = 30 * 60.0  # a progression run's steady and threshold parts together
CAREFUL_MARATHON_BLOCK_MAX_S = 60 * 60.0  # goal pace in a careful marathoner's long run
SLACK_S = 60.0  # a minute for rounding to half units
EASY_DISTANCE_MIN = 0.78  # of the week's running distance, steady and faster not easy
FOCUS_QUALITY_LONG = "long-run-tempo"  # the long run that carries a week's only session

# review round 21, a5: a marathoner of 42 mi on six days, endurance focus; W13 held a Monday
# progression run, a Wednesday tempo and a Saturday steady-finish long run (three hard days,
# 77% easy), W24 a progression run with 45 min steady and fast
A5_LONG_MARATHON: dict[str, Any] = {
    "kind": "athlete",
    "id": "generated",
    "name": "Generated Athlete",
    "timezone": "America/New_York",
    "units": "mi",
    "race": {"program": "marathon", "date": "2027-06-19", "goal": "3:05:00"},
    "focus": "endurance",
    "age": 31,
    "start": "2026-12-07",
    "fitness": {
        "recent_race": {"distance": "half", "time": "1:28:30", "date": "2026-11-08"},
        "weekly_volume": "42mi",
        "long_run": "14mi",
    },
    "max_weekly_volume": "65mi",
    "availability": {
        "days": ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday"],
        "long_run_day": "saturday",
    },
}
# review round 21, a8: a half marathoner of 22 mi on four days; a steady-finish long run every
# build week beside a threshold or race-pace tempo, W11-W12 76-78% easy
A8_TRIP_HALF: dict[str, Any] = {
    "kind": "athlete",
    "id": "generated",
    "name": "Generated Athlete",
    "timezone": "America/Denver",
    "units": "mi",
    "race": {"program": "half-marathon", "date": "2027-03-13"},
    "focus": "endurance",
    "age": 38,
    "start": "2026-12-07",
    "fitness": {
        "recent_race": {"distance": "10km", "time": "52:30", "date": "2026-10-03"},
        "weekly_volume": "22mi",
        "long_run": "8mi",
    },
    "availability": {
        "days": ["tuesday", "wednesday", "friday", "saturday"],
        "long_run_day": "saturday",
    },
    "away": [{"from": "2026-12-23", "to": "2026-12-30"}],
}


def endurance_profiles() -> st.SearchStrategy[dict[str, Any]]:
    """Generated athletes of the endurance focus, whose build long runs finish steady."""
    return profiles().map(lambda p: {**p, "focus": "endurance"})


def careful_marathoners() -> st.SearchStrategy[dict[str, Any]]:
    """Generated injury-prone marathoners of the endurance focus."""
    return (
        profiles()
        .filter(lambda p: p["race"]["program"] == "marathon")
        .map(lambda p: {**p, "focus": "endurance", "injury_prone": True})
    )


def _block_s(workout: Workout) -> float:
    """The running time of ``workout`` at steady pace or faster (not its jogs and walks)."""
    return _fast_s(workout.steps)


def _fast_s(steps: tuple[Step, ...]) -> float:
    total = 0.0
    for step in steps:
        if step.steps:
            total += max(step.repeat, 1) * _fast_s(step.steps)
        elif step.zone not in EASY and step.kind not in ("recover", "jog"):
            total += step.duration_s
    return total


def _block_longs(plan: Plan) -> dict[int, Workout]:
    """Each week's long run when it holds a block, by week index."""
    found: dict[int, Workout] = {}
    for week in plan.weeks:
        for w in week.workouts:
            if w.slot == "run" and w.role == "long" and _block_s(w) > 0:
                found[week.index] = w
    return found


@SETTINGS
@given(endurance_profiles())
@example(A5_LONG_MARATHON)
@example(A8_TRIP_HALF)
def test_a_long_run_with_a_block_is_one_of_the_weeks_sessions(profile: dict[str, Any]) -> None:
    """Beside a long run with a block (a steady finish, race pace) the week holds one other
    quality session at most: three hard days held 75-78% of the week easy (round 21)."""
    plan = compile_profile(profile).plan
    longs = _block_longs(plan)
    for week in plan.weeks:
        if week.index not in longs or longs[week.index].template == FOCUS_QUALITY_LONG:
            continue
        quality = [w.template for w in week.workouts if w.slot == "run" and w.role == "quality"]
        assert len(quality) <= QUALITY_BESIDE_BLOCK_LONG, (week.index, quality)


@SETTINGS
@given(endurance_profiles())
@example(A5_LONG_MARATHON)
@example(A8_TRIP_HALF)
@example(A4_INJURY_MARATHON)
def test_long_runs_with_a_block_alternate_with_easy_ones(profile: dict[str, Any]) -> None:
    """No two weeks in a row have a long run with a block: the half marathoner's steady finish
    every build week and the marathoner's steady finishes between goal-pace long runs stacked
    moderate running up (round 21).  The long run that carries a week's only session, as no
    day keeps one apart (the focus's tempo long run), is that week's session, not held by it."""
    longs = _block_longs(compile_profile(profile).plan)
    for index, workout in longs.items():
        before = longs.get(index - 1)
        carried = before is not None and FOCUS_QUALITY_LONG in (before.template, workout.template)
        assert before is None or carried, (index, before.template, workout.template)


@SETTINGS
@given(endurance_profiles())
@example(A5_LONG_MARATHON)
def test_a_progression_runs_faster_part_stays_within_30_min(profile: dict[str, Any]) -> None:
    """A progression run's steady and threshold parts together take 30 min at most: 45 min on
    a 16 km Monday was a second tempo day (round 21, a5 W24)."""
    for workout in compile_profile(profile).plan.workouts:
        if workout.template == "progression-run":
            fast = _block_s(workout)
            assert fast <= PROGRESSION_FAST_MAX_S + SLACK_S, (str(workout.date), fast)


@settings(SETTINGS, max_examples=min(SETTINGS.max_examples, 20))
@given(careful_marathoners())
@example(A4_INJURY_MARATHON)
def test_a_careful_marathoners_goal_pace_block_is_at_most_an_hour(
    profile: dict[str, Any],
) -> None:
    """An injury-prone marathoner's long run holds at most 60 min faster than easy (about
    12-13 km at goal pace): 16 km at goal pace in a 30 km long run beside threshold intervals
    was the riskiest day of the plan (round 21, a4 W16)."""
    for week_index, workout in _block_longs(compile_profile(profile).plan).items():
        fast = _block_s(workout)
        assert fast <= CAREFUL_MARATHON_BLOCK_MAX_S + SLACK_S, (week_index, workout.title, fast)


def _easy_distance_share(workouts: tuple[Workout, ...]) -> float:
    """Running distance at easy effort, step by step (jogs and recoveries easy); a race's own
    effort is not training (its warm-up is)."""
    steps = [
        s
        for w in workouts
        for s in running_steps(w.steps)
        if w.category != "race" or s.zone in EASY
    ]
    total = sum(s.distance_m for s in steps)
    hard = sum(
        s.distance_m for s in steps if s.kind not in ("recover", "jog") and s.zone not in EASY
    )
    return 1.0 if not total else 1 - hard / total


@SETTINGS
@given(endurance_profiles())
@example(A5_LONG_MARATHON)
@example(A4_INJURY_MARATHON)
@example(A8_TRIP_HALF)
def test_at_least_78_percent_of_running_distance_is_easy(profile: dict[str, Any]) -> None:
    """Faster running covers more ground: a marathon-pace long run beside a tempo, or a 30 min
    steady finish beside a race-pace tempo, held 80-81% of the week's time easy and 75-78% of
    its distance (round 21, a4 W16, a5 W25, a8 W12)."""
    for week in compile_profile(profile).plan.weeks:
        share = _easy_distance_share(week.workouts)
        assert share >= EASY_DISTANCE_MIN - 1e-6, (week.index, round(share, 3), week.notes)
