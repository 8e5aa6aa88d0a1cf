"""Sessions sized right around B and C races (review round 19, defect 3, and the "recovery
jog" of defect 5), as properties over generated athletes with a B and a C race:

- a recovery run in a race's short days (minor_races.keeps_short: a B race's last 7 days and
  the 2 after it, a C race's `c_short_before`) is at most `short_run_max`, not a 50-min
  "recovery jog";
- the first long run after a B race shorter than a half is no longer than the longest of the
  30 days before the race: no new longest 6 days after a B 10K, made long to hold the volume;
- in a C race's week, before the race, the long run is no new longest (`c_long_before`), no
  easy run is above `easy_after_race_max` and none is made a medium-long run: the race takes
  the quality session's place and its volume is not poured into one run.

The reviewer's athlete (r19-half-season-mi) is pinned as an example."""

from __future__ import annotations

import datetime as dt
from typing import Any

from hypothesis import example, given, settings
from hypothesis import strategies as st
from test_properties import SETTINGS, Case, compile_profile

from compiler.model import Workout
from compiler.plan.minor_races import keeps_short

DAY = dt.timedelta(days=1)
WINDOW = dt.timedelta(days=30)
MONDAY = dt.date(2026, 12, 7)
SLACK_S = 60.0  # a run is rounded to a tenth of a unit: this much over is the same run
SLACK_M = 170.0  # a tenth of a mile, rounding

# review round 19: a C 5K's week held a 12.8 mi long run 3 days before it and a 9.4 mi easy run
# in the quality session's place; the B 10K's week three 5 mi "recovery jogs"; the first long
# run after it, 15.7 mi, the plan's longest
HALF_SEASON: dict[str, Any] = {
    "kind": "athlete",
    "id": "r19-half-season-mi",
    "name": "Maria Gonzalez",
    "timezone": "America/Denver",
    "units": "mi",
    "start": "2026-12-07",
    "races": [
        {
            "name": "Spring Half",
            "priority": "A",
            "program": "half-marathon",
            "date": "2027-04-04",
            "goal": "1:39:00",
        },
        {"name": "St Paddy 10K", "priority": "B", "distance": "10k", "date": "2027-03-07"},
        {"name": "Winter 5K", "priority": "C", "distance": "5k", "date": "2027-01-16"},
    ],
    "focus": "balanced",
    "fitness": {
        "recent_race": {"distance": "10km", "time": "45:20", "date": "2026-11-08"},
        "weekly_volume": "30mi",
        "long_run": "10mi",
    },
    "availability": {
        "days": ["monday", "tuesday", "wednesday", "friday", "saturday"],
        "long_run_day": "saturday",
    },
    "strength_per_week": 2,
}
WEEKDAYS_OFF_WEEKEND = ["monday", "tuesday", "wednesday", "thursday", "friday"]


@st.composite
def b_and_c_seasons(draw: st.DrawFn) -> dict[str, Any]:
    """A half or 10K runner of 35-70 km a week on 5 days (4 weekdays and the long-run day),
    15-18 weeks out, with a C 5K on a weekend day of weeks 5-8 and a B 5K or 10K on the Sunday
    4-5 weeks before the A race: the week after it has short runs, which held too little of its
    volume, and the long run took the rest (review round 19)."""
    weeks = draw(st.integers(15, 18))
    program = draw(st.sampled_from(["half-marathon", "10k"]))
    a_day = MONDAY + dt.timedelta(weeks=weeks - 1, days=6)
    b_day = a_day - dt.timedelta(weeks=draw(st.integers(4, 5)))
    c_day = MONDAY + dt.timedelta(weeks=draw(st.integers(4, 7)), days=draw(st.sampled_from([5, 6])))
    long_day = draw(st.sampled_from(["saturday", "sunday"]))
    others = st.lists(st.sampled_from(WEEKDAYS_OFF_WEEKEND), min_size=4, max_size=4, unique=True)
    days = [long_day, *draw(others)]
    units = draw(st.sampled_from(["km", "mi"]))
    per_unit = 1.609344 if units == "mi" else 1.0
    volume = draw(st.integers(35, 70))
    minutes = draw(st.integers(38, 52))
    return {
        **HALF_SEASON,
        "id": "generated",
        "units": units,
        "races": [
            {"name": "A race", "priority": "A", "program": program, "date": a_day.isoformat()},
            {
                "name": "B race",
                "priority": "B",
                "distance": draw(st.sampled_from(["5k", "10k"])),
                "date": b_day.isoformat(),
            },
            {"name": "C race", "priority": "C", "distance": "5k", "date": c_day.isoformat()},
        ],
        "focus": draw(st.sampled_from(["speed", "endurance", "balanced"])),
        "fitness": {
            "recent_race": {"distance": "10km", "time": f"{minutes}:00", "date": "2026-11-08"},
            "weekly_volume": f"{volume / per_unit:.1f}{units}",
            "long_run": f"{volume * draw(st.floats(0.25, 0.35)) / per_unit:.1f}{units}",
        },
        "availability": {"days": days, "long_run_day": long_day},
    }


def _runs(case: Case) -> list[Workout]:
    return [w for w in case.plan.workouts if w.slot == "run"]


def _seconds(workout: Workout) -> float:
    return workout.duration_s


def _longest_before(case: Case, day: dt.date) -> float:
    """The longest long run of the 30 days before ``day``, the athlete's current one counted
    (the plan's first weeks grow from it)."""
    runs = [w.distance_m for w in _runs(case) if w.role == "long" and day - WINDOW <= w.date < day]
    return max([*runs, case.blueprint.athlete.long_run_m])


@settings(SETTINGS, max_examples=min(SETTINGS.max_examples, 25))
@given(b_and_c_seasons())
@example(HALF_SEASON)
def test_recovery_runs_around_b_and_c_races_are_short(profile: dict[str, Any]) -> None:
    """Every recovery run in a B or C race's short days is at most `short_run_max`."""
    case = compile_profile(profile)
    most = case.blueprint.program.rules.minor.short_run_max_s
    for run in _runs(case):
        if run.category == "recovery" and keeps_short(case.blueprint, run.date):
            assert _seconds(run) <= most + SLACK_S, (run.date, run.title, _seconds(run))


@settings(SETTINGS, max_examples=min(SETTINGS.max_examples, 25))
@given(b_and_c_seasons())
@example(HALF_SEASON)
def test_no_new_longest_run_after_a_short_b_race(profile: dict[str, Any]) -> None:
    """The first long run after a B race shorter than a half, in the 14 days after it, is no
    longer than the longest long run of the 30 days before the race."""
    case = compile_profile(profile)
    for race in case.plan.athlete.other_races:
        if race.priority != "B" or race.distance_m >= 21_000:
            continue
        after = [w for w in _runs(case) if w.role == "long" and race.date < w.date]
        if not after or (after[0].date - race.date).days > 14:
            continue
        before = _longest_before(case, race.date)
        assert after[0].distance_m <= before + SLACK_M, (after[0].date, after[0].title, before)


@settings(SETTINGS, max_examples=min(SETTINGS.max_examples, 25))
@given(b_and_c_seasons())
@example(HALF_SEASON)
def test_a_c_race_week_is_not_refilled(profile: dict[str, Any]) -> None:
    """Before a C race in its week: a long run no longer than the longest of the 30 days
    before it, no easy run above `easy_after_race_max` and no medium-long run."""
    case = compile_profile(profile)
    minor = case.blueprint.program.rules.minor
    for race in case.plan.athlete.other_races:
        if race.priority != "C":
            continue
        week = next(w for w in case.plan.weeks if w.holds(race.date))
        for run in (w for w in week.workouts if w.slot == "run" and w.date < race.date):
            assert run.role != "medium_long", (run.date, run.title)
            if run.role == "long":
                longest = _longest_before(case, run.date)
                assert run.distance_m <= longest + SLACK_M, (run.date, run.title, longest)
            if run.role == "easy":
                assert _seconds(run) <= minor.easy_after_race_max_s + SLACK_S, (
                    run.date,
                    run.title,
                )
