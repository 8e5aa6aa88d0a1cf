"""Review round 22, defect 3: a race-pace block (a long run's goal-pace block, a race-pace
tempo) progresses from the one the athlete last ran in the same session: at most the program's
`race_block_step` more (a 3:35 marathoner's block went 35 -> 65 min in the first full week after
a 10-day trip), and in a full building week no shorter, unless the last size no longer fits the
run (a 2:38 marathoner's went 54 -> 56 -> 52 min in three 30 km long runs)."""

from __future__ import annotations

import datetime as dt
from itertools import pairwise
from typing import Any

import pytest
from hypothesis import example, given
from hypothesis import strategies as st
from test_coaching_rules import nominal
from test_properties import SETTINGS, Case, compile_profile, profiles

from compiler.model import Step, Workout
from compiler.plan.long_run import MOVED_CAPPED_FROM

SLACK_S = 60.0  # the blocks are whole minutes

MARATHONER_238: dict[str, Any] = {  # review round 22, a4
    "kind": "athlete",
    "id": "r22-marathon-high-long",
    "name": "Tomás Ruiz",
    "timezone": "Europe/Madrid",
    "units": "km",
    "start": "2026-12-07",
    "race": {"name": "Summer Marathon", "program": "marathon", "date": "2027-06-06",
             "goal": "2:38:00"},
    "focus": "endurance",
    "fitness": {
        "recent_race": {"distance": "half", "time": "1:15:30", "date": "2026-11-01"},
        "weekly_volume": "95km",
        "long_run": "28km",
    },
    "max_weekly_volume": "110km",
    "availability": {
        "days": ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"],
        "long_run_day": "sunday",
    },
}  # fmt: skip

MARATHONER_AWAY_MI: dict[str, Any] = {  # review round 22, a5: a 10-day trip
    "kind": "athlete",
    "id": "r22-marathon-away-mi",
    "name": "Dana Kowalski",
    "timezone": "America/Denver",
    "units": "mi",
    "start": "2026-12-07",
    "race": {"name": "Spring Marathon", "program": "marathon", "date": "2027-04-11",
             "goal": "3:35:00"},
    "focus": "balanced",
    "fitness": {
        "recent_race": {"distance": "half", "time": "1:42:00", "date": "2026-10-18"},
        "weekly_volume": "35mi",
        "long_run": "13mi",
    },
    "availability": {
        "days": ["monday", "tuesday", "thursday", "friday", "saturday"],
        "long_run_day": "saturday",
    },
    "away": [{"from": "2027-02-05", "to": "2027-02-14", "note": "work trip to Tokyo"}],
}  # fmt: skip


@st.composite
def long_builds(draw: st.DrawFn) -> dict[str, Any]:
    """A generated athlete training for a marathon or a half in 16-26 weeks, its days away
    (trips) as ``profiles()`` draws them."""
    profile = draw(profiles())
    weeks = draw(st.integers(16, 26))
    start = dt.date.fromisoformat(profile["start"])
    race = start + dt.timedelta(weeks=weeks - 1, days=6)
    profile["race"] = {
        "program": draw(st.sampled_from(["marathon", "half-marathon"])),
        "date": race.isoformat(),
    }
    profile.pop("away", None)
    if draw(st.booleans()):  # a trip of 5-14 days in the middle of the plan
        away = start + dt.timedelta(days=draw(st.integers(35, 7 * weeks - 56)))
        days = draw(st.integers(4, 13))
        profile["away"] = [
            {"from": away.isoformat(), "to": (away + dt.timedelta(days=days)).isoformat()}
        ]
    return profile


def race_block_s(steps: tuple[Step, ...]) -> float:
    """Seconds of the top-level steps at race pace (a block, not reps)."""
    return sum(s.duration_s for s in steps if s.kind != "repeat" and s.zone == "race")


def _blocks(case: Case) -> dict[str, list[Workout]]:
    """The sessions with a race-pace block, by template, in date order (races aside)."""
    blocks: dict[str, list[Workout]] = {}
    for w in sorted(case.plan.workouts, key=lambda w: w.date):
        if w.category != "race" and race_block_s(w.steps) > 0:
            blocks.setdefault(w.template, []).append(w)
    return blocks


def _fits(case: Case, workout: Workout, seconds: float) -> bool:
    """Whether a block of ``seconds`` at the workout's race pace fits its long run: at most
    half of it, and at most the program's cap on a long run's faster running."""
    block = [s for s in workout.steps if s.kind != "repeat" and s.zone == "race"]
    speed = sum(s.distance_m for s in block) / sum(s.duration_s for s in block)
    rules = case.blueprint.program.rules
    caps = [c for c in (rules.long_run_fast_max_s, rules.long_run_fast_max_careful_s) if c]
    return seconds * speed <= 0.5 * workout.distance_m + 1 and all(seconds <= c + 1 for c in caps)


@SETTINGS
@given(long_builds())
@example(MARATHONER_238)
@example(MARATHONER_AWAY_MI)
def test_a_race_pace_block_grows_a_step_at_a_time_and_holds(profile: dict[str, Any]) -> None:
    case = compile_profile(profile)
    step = case.blueprint.program.rules.race_block_step_s
    weeks = {w.index: w for w in nominal(case)}
    for template, sessions in _blocks(case).items():
        for before, after in pairwise(sessions):
            was, now = race_block_s(before.steps), race_block_s(after.steps)
            said = (template, before.date, was / 60, after.date, now / 60)
            assert now <= was + step + SLACK_S, said
            week = next(w for w in case.plan.weeks if w.holds(after.date))
            plan = weeks[week.index]
            light = plan.cutback or plan.share_of_peak is not None or plan.returning
            if after.role == "long" and not light and _fits(case, after, was):
                assert now >= was - 1, said


@st.composite
def trips_over_the_long_run(draw: st.DrawFn) -> dict[str, Any]:
    """A generated athlete (any race) away for 2-6 days from a weekday before the long-run day
    in one week of the plan's middle: the long run moves to a day before the trip."""
    profile = draw(profiles())
    start = dt.date.fromisoformat(profile["start"])
    weeks = (dt.date.fromisoformat(profile["race"]["date"]) - start).days // 7
    if weeks < 6:
        profile["race"]["date"] = (start + dt.timedelta(weeks=12, days=6)).isoformat()
        weeks = 12
    week = start + dt.timedelta(weeks=draw(st.integers(3, weeks - 3)))
    away = week + dt.timedelta(days=draw(st.integers(2, 4)))
    back = away + dt.timedelta(days=draw(st.integers(2, 6)))
    profile["away"] = [{"from": away.isoformat(), "to": back.isoformat()}]
    return profile


@SETTINGS
@given(trips_over_the_long_run())
def test_a_long_run_moved_by_a_trip_is_no_bigger_than_the_weeks_before(
    profile: dict[str, Any],
) -> None:
    """A long run moved off its day by days away is at most the longest of the 30 days before
    it and about `long_run_max_share` of its week (the share is of the week's target as the
    long run is sized; the week may settle a little lower)."""
    _check_moved_long_runs(profile)


@pytest.mark.xfail(
    reason="known open (issue 11): once a trip week's easy runs are held to the plan's typical "
    "easy run (fix-events), round 22's a5 week settles at 40.1 km after its 22 km long run was "
    "sized against the week's higher target: 55% of the week, not the 50% asked",
    strict=False,
)
def test_round_22s_trip_marathoners_moved_long_run_is_about_half_his_week() -> None:
    _check_moved_long_runs(MARATHONER_AWAY_MI)


def _check_moved_long_runs(profile: dict[str, Any]) -> None:
    case = compile_profile(profile)
    athlete = case.blueprint.athlete
    longs = sorted(
        (w for w in case.plan.workouts if w.role == "long" or w.category == "race"),
        key=lambda w: w.date,
    )
    unit = 1609.344 if athlete.units == "mi" else 1000.0
    for week in case.plan.weeks:
        for w in week.workouts:
            if w.role != "long" or "moved from" not in w.reason:
                continue
            if not athlete.days_away(week.start, week.days):
                continue
            if sum(x.slot == "run" for x in week.workouts) < MOVED_CAPPED_FROM:
                continue  # with fewer runs, the long run is most of the little week left
            before = [x.distance_m for x in longs if dt.timedelta(0) < w.date - x.date <= MONTH]
            current = athlete.long_run_m if not before else max(before)
            said = (w.date, w.distance_m, current, week.planned_m)
            assert w.distance_m <= max(current, athlete.long_run_m) + unit, said
            assert (
                w.distance_m <= 0.5 * week.planned_m + unit or w.distance_m <= athlete.long_run_m
            ), said


MONTH = dt.timedelta(days=30)
