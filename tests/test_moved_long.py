"""Review round 17, defect 2: when the long run's day is taken (days away over the weekend, a
C race on the long-run day), the long run moves to another free day of its week and the
quality session gives way, rather than the week losing its long run; and defect 5: a run's
purpose is true of the plan around it."""

from __future__ import annotations

import datetime as dt
from typing import Any

from hypothesis import example, given
from hypothesis import strategies as st
from test_properties import SETTINGS, Case, compile_profile, profiles

from compiler.model import WEEKDAYS, Week, Workout
from compiler.plan.periodize import is_masters

DAY = dt.timedelta(days=1)


def _gap(case: Case) -> int:
    rules = case.blueprint.program.rules
    return rules.masters_hard_days_apart if is_masters(case.blueprint) else rules.hard_days_apart


def _week_of(case: Case, day: dt.date) -> Week | None:
    return next((week for week in case.plan.weeks if week.holds(day)), None)


def _runs(week: Week) -> list[Workout]:
    return [w for w in week.workouts if w.slot == "run"]


def _demanding(workout: Workout) -> bool:
    return workout.role in ("long", "quality", "medium_long", "race") or workout.intensity == "hard"


def _room_for_the_long_run(case: Case, week: Week, race_day: dt.date) -> bool:
    """Whether the week without the C race leaves a quality session the long run can take: one
    before the race outside its `c_short_before` days, ``hard_days_apart`` from the race and
    from the week's other hard days, and `long_runs_apart` after last week's long run."""
    gap = _gap(case)
    rules = case.blueprint.program.rules
    before = max(gap - 1, rules.minor.c_short_before)
    others = [w.date for w in _runs(week) if _demanding(w)]
    last_long = [w.date for w in case.plan.workouts if w.role == "long" and w.date < week.start]
    return any(
        w.role == "quality"
        and (race_day - w.date).days > before
        and all(abs((w.date - d).days) >= gap for d in others if d not in (w.date, race_day))
        and all((w.date - d).days >= rules.long_runs_apart for d in last_long[-1:])
        for w in _runs(week)
    )


@st.composite
def c_race_on_long_day(draw: st.DrawFn) -> dict[str, Any]:
    """A generated athlete with a C 5K on the long-run day of one of its weeks before the taper
    (a Saturday parkrun on the long-run day)."""
    profile = draw(profiles())
    start = dt.date.fromisoformat(profile["start"])
    a_day = dt.date.fromisoformat(profile["race"]["date"])
    weekday = WEEKDAYS.index(profile["availability"]["long_run_day"])
    first = start + DAY * ((weekday - start.weekday()) % 7)
    weeks = max(0, (a_day - first).days // 7 - 3)
    day = first + DAY * 7 * draw(st.integers(0, weeks))
    away = [
        (dt.date.fromisoformat(s["from"]), dt.date.fromisoformat(s.get("to", s["from"])))
        for s in profile.get("away", [])
    ]
    if not any(first <= day <= last for first, last in away):
        profile["races"] = [
            {"name": "Parkrun", "priority": "C", "distance": "5k", "date": str(day)}
        ]
    return profile


# the review's athletes (built with --today 2026-12-06: the plan starts Monday 2026-12-07)
SEASON_HALF: dict[str, Any] = {
    "kind": "athlete",
    "id": "r17-season-half",
    "name": "Priya Raman",
    "timezone": "Europe/Dublin",
    "units": "km",
    "races": [
        {
            "name": "Dublin Spring Half",
            "priority": "A",
            "program": "half-marathon",
            "date": "2027-03-28",
            "goal": "1:38:00",
        },
        {
            "name": "Club 10K Championship",
            "priority": "B",
            "distance": "10k",
            "date": "2027-02-28",
        },
        {"name": "Parkrun", "priority": "C", "distance": "5k", "date": "2027-01-23"},
    ],
    "focus": "balanced",
    "fitness": {
        "recent_race": {"distance": "10km", "time": "45:10", "date": "2026-11-08"},
        "weekly_volume": "45km",
        "long_run": "16km",
    },
    "availability": {
        "days": ["monday", "tuesday", "wednesday", "friday", "saturday"],
        "long_run_day": "saturday",
    },
    "strength_per_week": 2,
    "start": "2026-12-07",
}
ENDURANCE_10K: dict[str, Any] = {
    "kind": "athlete",
    "id": "r17-endurance-10k-daily",
    "name": "Tomas Novak",
    "timezone": "Europe/Prague",
    "units": "km",
    "race": {
        "name": "Prague 10K",
        "program": "10k",
        "date": "2027-03-21",
        "goal": "36:30",
    },
    "focus": "endurance",
    "age": 41,
    "fitness": {
        "recent_race": {"distance": "10km", "time": "37:45", "date": "2026-11-01"},
        "weekly_volume": "70km",
        "long_run": "20km",
    },
    "availability": {
        "days": ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"],
        "long_run_day": "sunday",
    },
    "away": [
        {
            "from": "2026-12-24",
            "to": "2026-12-27",
            "note": "Christmas at the in-laws, no running",
        }
    ],
    "strength_per_week": 1,
    "start": "2026-12-07",
}


@SETTINGS
@given(c_race_on_long_day())
@example(SEASON_HALF)
def test_a_c_race_on_the_long_run_day_moves_the_long_run(profile: dict[str, Any]) -> None:
    """Round 17: a parkrun on Saturday, the long-run day, left the week with no long run and
    three 14.5 km easy runs.  When the week without the race had a long run on the race's day
    and a quality session it can give way, the week keeps a long run, off the race's day and
    hard days apart from it; its purposes say no run follows a hard day that does not."""
    case = compile_profile(profile)
    plain_profile = {k: v for k, v in profile.items() if k != "races"}
    if "race" not in plain_profile:
        a_race = next(r for r in profile["races"] if r["priority"] == "A")
        plain_profile["race"] = {k: v for k, v in a_race.items() if k != "priority"}
    plain = compile_profile(plain_profile)
    gap = _gap(case)
    for race in case.plan.athlete.other_races:
        if (
            race.priority != "C"
            or race.distance_m >= case.blueprint.program.rules.minor.c_long_from_m
        ):
            continue
        week, plain_week = _week_of(case, race.date), _week_of(plain, race.date)
        if week is None or plain_week is None:
            continue
        planned = [w for w in _runs(plain_week) if w.role == "long" and w.date == race.date]
        if not planned or not _room_for_the_long_run(plain, plain_week, race.date):
            continue
        longs = [w for w in _runs(week) if w.role == "long"]
        assert longs, (race.date, [(w.date, w.title) for w in week.workouts])
        assert all(abs((w.date - race.date).days) >= gap for w in longs)
        _purposes_are_true(case, week)


def _purposes_are_true(case: Case, week: Week) -> None:
    """In the C race's week, a run said to be the easy day after a hard day or long run
    follows one (round 17: after an easy run the race's quality session became)."""
    demanding = {w.date for w in case.plan.workouts if w.slot in ("run", "race") and _demanding(w)}
    for workout in week.workouts:
        if workout.reason.startswith("easy day after a hard day") and workout.date > week.start:
            assert workout.date - DAY in demanding, (workout.date, workout.reason)


@st.composite
def away_over_the_long_run(draw: st.DrawFn) -> dict[str, Any]:
    """An athlete who can run every day, away the long-run day and the three days before it in
    one week of the build (Christmas Thursday to Sunday)."""
    profile = dict(ENDURANCE_10K)
    weekday = draw(st.integers(4, 6))  # a long run on Friday, Saturday or Sunday
    profile["availability"] = {
        "days": list(WEEKDAYS),
        "long_run_day": WEEKDAYS[weekday],
    }
    profile["focus"] = draw(st.sampled_from(["endurance", "balanced", "speed"]))
    profile["age"] = draw(st.sampled_from([30, 41, 55]))
    volume = draw(st.integers(30, 90))
    profile["fitness"] = {**profile["fitness"], "weekly_volume": f"{volume}km"}
    profile["fitness"]["long_run"] = f"{max(8, volume * 28 // 100)}km"
    start = dt.date(2026, 12, 7)
    week = draw(st.integers(1, 8))
    last = start + DAY * (7 * week + weekday)
    profile["away"] = [{"from": str(last - DAY * 3), "to": str(last), "note": "away"}]
    return profile


@SETTINGS
@given(away_over_the_long_run())
@example(ENDURANCE_10K)
def test_days_away_over_the_long_run_day_move_the_long_run(profile: dict[str, Any]) -> None:
    """Round 17: away Thursday to Sunday after last Sunday's long run, the week had no long run
    ("no other day keeps it apart"): Wednesday, three days after last week's long run, holds it
    and the week's quality session gives way."""
    case = compile_profile(profile)
    rules = case.blueprint.program.rules
    last = dt.date.fromisoformat(profile["away"][0]["to"])
    week = _week_of(case, last)
    assert week is not None
    longs = [w for w in _runs(week) if w.role == "long"]
    assert longs, [(w.date, w.title) for w in week.workouts] + list(week.notes)
    before = [w.date for w in case.plan.workouts if w.role == "long" and w.date < week.start]
    assert all((longs[0].date - d).days >= rules.long_runs_apart for d in before[-1:])
