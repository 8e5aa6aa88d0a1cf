"""Review round 19 (ranked defect 1): filler volume piled into one easy day while a listed day
stays empty.

A 6-day 5K runner's Saturday was never used ("rest before the long run") beside 13-13.5 km easy
runs, three quarters of his 18 km long run; a 95-110 km marathoner ran "Easy run 19.1 km" the
day after a 21 km medium-long run.  Now an easy or recovery run holds at most the program's
`easy_run_max_of_long` (65%) of the week's long run, a listed day the week left empty takes the
volume before any run outgrows that (past the focus's `max_runs_per_week`, never one of the
phase's rest days), and an easy run beside the medium-long run is held to NEXT_TO_LONG of the
long run, as beside the long run: no two medium-long-sized runs on consecutive days.

The coach's numbers are written here as the coach gave them, not read from the templates.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from hypothesis import example, given
from hypothesis import strategies as st
from test_coaching_rules import nominal, runs
from test_properties import SETTINGS, Case, compile_profile, profiles

from compiler.model import WEEKDAYS, Week, WeekPlan

EASY_OF_LONG = 0.65  # an easy or recovery run at most this share of the long run (by time)
MEDIUM_SIZED = 0.6  # of the long run (by distance): a run this long is medium-long-sized
SLACK_S = 60.0  # a minute for rounding to half units

# round 19: 7 days listed, 95 km a week (cap 110); Friday's 19.1 km easy run came the day after
# Thursday's 21 km medium-long run, two days before a 30-35 km long run
MARATHON_HIGH_LONG: dict[str, Any] = {
    "kind": "athlete",
    "id": "r19-marathon-high-long",
    "name": "Tomasz Kowalski",
    "timezone": "Europe/Warsaw",
    "units": "km",
    "start": "2026-12-07",
    "race": {
        "name": "Summer Marathon",
        "program": "marathon",
        "date": "2027-06-06",
        "goal": "2:48:00",
    },
    "focus": "endurance",
    "fitness": {
        "recent_race": {"distance": "half", "time": "1:20:30", "date": "2026-10-18"},
        "weekly_volume": "95km",
        "long_run": "28km",
    },
    "max_weekly_volume": "110km",
    "availability": {"days": list(WEEKDAYS), "long_run_day": "sunday"},
    "strength_per_week": 2,
}

# round 19: 6 days listed (no Friday), 60 km a week, speed focus (5 runs at most): Saturday
# stayed empty beside 13.5 km easy runs and an 18 km long run
SPEED_5K_6D: dict[str, Any] = {
    "kind": "athlete",
    "id": "r19-speed-5k-6d",
    "name": "Kenji Sato",
    "timezone": "Asia/Tokyo",
    "units": "km",
    "start": "2026-12-07",
    "race": {"name": "Track 5000", "program": "5k", "date": "2027-03-07", "goal": "17:40"},
    "focus": "speed",
    "fitness": {
        "recent_race": {"distance": "5km", "time": "18:15", "date": "2026-11-22"},
        "weekly_volume": "60km",
        "long_run": "16km",
    },
    "availability": {
        "days": ["monday", "tuesday", "wednesday", "thursday", "saturday", "sunday"],
        "long_run_day": "sunday",
    },
    "strength_per_week": 2,
}


@st.composite
def busy_profiles(draw: st.DrawFn) -> dict[str, Any]:
    """A generated athlete on 5 to 7 listed days with the volume to fill them (40-110 km)."""
    profile = draw(profiles())
    days = draw(st.lists(st.sampled_from(WEEKDAYS), min_size=5, max_size=7, unique=True))
    km = draw(st.integers(40, 110))
    per_unit = 1.609344 if profile["units"] == "mi" else 1.0
    unit = profile["units"]
    fitness = {
        **profile["fitness"],
        "weekly_volume": f"{km / per_unit:.1f}{unit}",
        "long_run": f"{km * draw(st.floats(0.22, 0.35)) / per_unit:.1f}{unit}",
    }
    profile.pop("max_weekly_volume", None)
    availability = {"days": days, "long_run_day": draw(st.sampled_from(days))}
    return {**profile, "fitness": fitness, "availability": availability}


def _full(case: Case, plan: WeekPlan, week: Week) -> bool:
    """A building week the athlete runs whole: no race, taper or recovery, no day away, not
    back from a break or light for a minor race, on or after the athlete's start."""
    athlete = case.blueprint.athlete
    light = plan.race_week or plan.after_race or plan.share_of_peak is not None
    back = plan.returning or plan.after_break or plan.minor_light
    raced = any(w.category == "race" for w in week.workouts)
    started = athlete.start is None or week.start >= athlete.start
    away = athlete.days_away(week.start, week.days) > 0
    return not (light or back or raced or away) and started and week.days == 7


def _free_listed_days(case: Case, week: Week) -> list[dt.date]:
    """The week's listed running days with no run, beyond the phase's rest days."""
    athlete = case.blueprint.athlete
    dates = [week.start + dt.timedelta(days=k) for k in range(week.days)]
    ran = {w.date for w in week.workouts if w.slot in ("run", "race")}
    free = [d for d in dates if d.weekday() in athlete.availability.days and d not in ran]
    rest = case.blueprint.phases[week.phase].min_rest_days
    return free if week.days - len(ran) > rest else []


def _check_days(case: Case) -> None:
    """In every full week: no easy or recovery run past EASY_OF_LONG of the long run while a
    listed day is free, and none of medium-long size (MEDIUM_SIZED of the long run) beside the
    week's medium-long run."""
    plans = {w.index: w for w in nominal(case)}
    for week in case.plan.weeks:
        if not _full(case, plans[week.index], week):
            continue
        ran = runs(week.workouts)
        longs = [w for w in ran if w.role == "long"]
        if not longs:
            continue
        long_run = longs[0]
        big = EASY_OF_LONG * long_run.duration_s + SLACK_S
        over = [w for w in ran if w.role in ("easy", "recovery") and w.duration_s > big]
        assert not over or not _free_listed_days(case, week), (
            week.index,
            [(w.date.isoformat(), w.title) for w in over],
            long_run.title,
            [d.isoformat() for d in _free_listed_days(case, week)],
        )
        # beside the medium-long run, an easy or recovery run of medium-long size (a week of
        # easy runs alone may hold them near one size: the share above holds those)
        medium = {w.date for w in ran if w.role == "medium-long"}
        sized = [
            w
            for w in ran
            if w.role in ("easy", "recovery")
            and w.distance_m >= MEDIUM_SIZED * long_run.distance_m
            and any(abs((w.date - d).days) == 1 for d in medium)
        ]
        assert not sized, (week.index, [w.title for w in sized], long_run.title)


@SETTINGS
@given(busy_profiles())
@example(MARATHON_HIGH_LONG).via("round 19: 19.1 km easy the day after a 21 km medium-long run")
@example(SPEED_5K_6D).via("round 19: Saturday empty beside 13.5 km easy runs")
def test_listed_days_take_the_volume_before_an_easy_run_grows(profile: dict[str, Any]) -> None:
    """Every listed day is used before an easy run outgrows its share of the long run, and no
    medium-long-sized easy run comes the day before or after the medium-long run."""
    _check_days(compile_profile(profile))


def test_the_6_day_5k_runner_runs_on_saturday() -> None:
    """The reviewer's 6-day athlete: Saturday holds a run in every base and build week."""
    case = compile_profile(SPEED_5K_6D)
    for week in case.plan.weeks:
        if week.phase not in ("base", "build"):
            continue
        saturdays = [w for w in runs(week.workouts) if w.date.weekday() == 5]
        assert saturdays, (week.index, [w.title for w in week.workouts])


def test_the_marathoner_runs_no_medium_long_friday_after_thursday() -> None:
    """The reviewer's 7-day marathoner: no run of medium-long size the day after the
    medium-long run (19.1 km of old beside a 30 km long run)."""
    case = compile_profile(MARATHON_HIGH_LONG)
    for week in case.plan.weeks:
        ran = {w.date: w for w in runs(week.workouts)}
        longs = [w.distance_m for w in ran.values() if w.role == "long"]
        for day, workout in ran.items():
            after = ran.get(day + dt.timedelta(days=1))
            if workout.role == "medium-long" and after is not None and longs:
                assert after.distance_m < MEDIUM_SIZED * longs[0], (week.index, after.title)
