"""The top end of a high-volume marathoner's plan (review round 16): big long runs come at
most every other week (the program's `big_long_runs`: nine of 35-37 km in twelve weeks for a
95 km/week marathoner on a 27-week runway, three with a marathon-pace block; Pfitzinger's
18-week plans hold about five of 32 km or more), two easy days before the long run with six or
seven running days, and one quality session beside a long run with a faster block."""

from __future__ import annotations

import datetime as dt
from itertools import pairwise
from typing import Any

from hypothesis import example, given
from hypothesis import strategies as st
from test_coaching_rules import running_steps
from test_properties import SETTINGS, Case, compile_profile, profiles

from compiler.model import WEEKDAYS, Workout

EASY_ZONES = ("recovery", "easy", "steady")
APART_DAYS = 10  # the long run of the week before, whatever its weekday

# review round 16's high-volume marathoner: 95 km a week, capped at 110, a 27-week runway
HIGH_MARATHONER: dict[str, Any] = {
    "kind": "athlete",
    "id": "r16-high-marathon",
    "name": "Tomasz Wojcik",
    "timezone": "Europe/Warsaw",
    "units": "km",
    "race": {"program": "marathon", "date": "2027-06-13", "goal": "2:39:00"},
    "focus": "endurance",
    "start": "2026-12-07",
    "fitness": {
        "recent_race": {"distance": "half", "time": "1:16:30", "date": "2026-10-18"},
        "weekly_volume": "95km",
        "long_run": "26km",
    },
    "max_weekly_volume": "110km",
    "age": 29,
    "availability": {"days": list(WEEKDAYS), "long_run_day": "sunday"},
    "strength_per_week": 2,
}


@st.composite
def high_marathoners(draw: st.DrawFn) -> dict[str, Any]:
    """A generated athlete made a marathoner of 70-120 km a week on 5-7 days, 18-30 weeks out:
    the runners whose long runs pass 32 km."""
    profile = draw(profiles())
    per_unit = 1.609344 if profile["units"] == "mi" else 1.0
    volume_km = draw(st.integers(70, 120))
    long_km = draw(st.floats(20, 34))
    weeks = draw(st.integers(18, 30))
    start = dt.date.fromisoformat(profile["start"])
    race = start + dt.timedelta(weeks=weeks - 1, days=draw(st.integers(0, 6)))
    days = draw(st.lists(st.sampled_from(WEEKDAYS), min_size=5, max_size=7, unique=True))
    profile["race"] = {"program": "marathon", "date": race.isoformat()}
    profile["fitness"]["weekly_volume"] = f"{volume_km / per_unit:.1f}{profile['units']}"
    profile["fitness"]["long_run"] = f"{long_km / per_unit:.1f}{profile['units']}"
    profile["availability"] = {"days": days, "long_run_day": draw(st.sampled_from(days))}
    profile.pop("max_weekly_volume", None)
    return profile


def holds_block(workout: Workout) -> bool:
    """Whether a long run holds a block faster than steady (race pace, threshold)."""
    return any(s.zone not in (None, *EASY_ZONES) for s in running_steps(workout.steps))


def long_runs(case: Case) -> list[Workout]:
    return [w for week in case.plan.weeks for w in week.workouts if w.role == "long"]


@SETTINGS
@given(high_marathoners())
@example(profile=HIGH_MARATHONER)
def test_big_long_runs_come_at_most_every_other_week(profile: dict[str, Any]) -> None:
    """A long run over `big_long_runs.from` is followed by a moderate one (at most
    `moderate`, or the athlete's current long run when longer), and a long run with a faster
    block is a moderate one."""
    case = compile_profile(profile)
    rules = case.blueprint.program.rules
    assert rules.big_long_run_m is not None
    current = case.blueprint.athlete.long_run_m  # one who runs more now keeps it (its floor)
    big, moderate = rules.big_long_run_m, max(rules.moderate_long_run_m, current) + 1.0
    runs = long_runs(case)
    for before, after in pairwise(runs):
        if (after.date - before.date).days <= APART_DAYS and before.distance_m > big:
            assert after.distance_m <= moderate, (before.date, before.distance_m, after.date)
    for run in runs:
        if holds_block(run):
            assert run.distance_m <= moderate, (run.date, run.title, run.distance_m)


def test_the_review_marathoner_runs_at_most_six_long_runs_over_32_km() -> None:
    """Round 16's marathoner: nine of 35-37 km before; now at most one in any two weeks, and
    the race-pace long runs keep a block at race pace in a 30 km run."""
    case = compile_profile(HIGH_MARATHONER)
    runs = long_runs(case)
    big = [r for r in runs if r.distance_m > 32_000]
    assert len([r for r in big if r.distance_m >= 35_000]) <= 5, [r.date for r in big]
    race_pace = [r for r in runs if any(s.zone == "race" for s in r.steps)]
    assert race_pace and all(r.distance_m <= 30_000 + 1 for r in race_pace)


@st.composite
def seven_day_marathoners(draw: st.DrawFn) -> dict[str, Any]:
    """A high-volume marathoner running every day, the long run on Sunday, the race on a Sunday
    (weeks from Monday), no trips: the days always allow two easy days before the long run
    (Tuesday and Thursday sessions)."""
    profile = draw(high_marathoners())
    profile["availability"] = {"days": list(WEEKDAYS), "long_run_day": "sunday"}
    profile.pop("away", None)
    race = dt.date.fromisoformat(profile["race"]["date"])
    profile["race"]["date"] = (race + dt.timedelta(days=6 - race.weekday())).isoformat()
    return profile


def quality_sessions(workouts: tuple[Workout, ...]) -> list[Workout]:
    return [w for w in workouts if w.role == "quality" and w.intensity == "hard"]


@SETTINGS
@given(seven_day_marathoners())
@example(profile=HIGH_MARATHONER)
def test_the_quality_session_before_the_long_run_leaves_two_easy_days(
    profile: dict[str, Any],
) -> None:
    """With `easy_days_before_long_from` (marathon: 6) running days or more, no quality session
    two days before the long run (Friday before Sunday's 37 km, round 16)."""
    case = compile_profile(profile)
    most = case.blueprint.program.rules.easy_days_before_long_from
    assert most is not None
    for week in case.plan.weeks:
        runs = [w for w in week.workouts if w.slot == "run"]
        long_days = [w.date for w in runs if w.role == "long"]
        if len({w.date for w in runs}) < most or not long_days:
            continue
        for session in quality_sessions(week.workouts):
            assert (long_days[0] - session.date).days != 2, (week.index, session.title)


@SETTINGS
@given(high_marathoners())
@example(profile=HIGH_MARATHONER)
def test_a_long_run_with_a_faster_block_has_one_quality_session_beside_it(
    profile: dict[str, Any],
) -> None:
    """A week whose long run holds a block at race pace or threshold holds at most
    `quality_beside_fast_long` (marathon: 1) quality sessions: three hard days held 12-14% of
    a marathoner's week at threshold (round 16)."""
    case = compile_profile(profile)
    most = case.blueprint.program.rules.quality_beside_fast_long
    assert most is not None
    for week in case.plan.weeks:
        if any(w.role == "long" and holds_block(w) for w in week.workouts):
            assert len(quality_sessions(week.workouts)) <= most, week.index


def test_the_review_marathoner_runs_a_medium_long_run_beside_a_race_pace_long_run() -> None:
    """Round 16's marathoner: the second session of a race-pace long run's week becomes the
    medium-long run (Tuesday's session, Thursday's medium-long run)."""
    case = compile_profile(HIGH_MARATHONER)
    weeks = [
        week
        for week in case.plan.weeks
        if any(w.role == "long" and any(s.zone == "race" for s in w.steps) for w in week.workouts)
        and len(quality_sessions(week.workouts)) == 1
    ]
    assert len([w for w in weeks if any(r.role == "medium-long" for r in w.workouts)]) >= 5


HALF_KEPT = 0.85  # of half the long run: the least a long run's trimmed fast block keeps


@SETTINGS
@given(high_marathoners())
@example(profile=HIGH_MARATHONER)
def test_a_long_runs_block_trimmed_to_its_half_keeps_most_of_it(profile: dict[str, Any]) -> None:
    """A long run's fast block trimmed to at most half of the long run keeps most of that half:
    a quarter off took 60 min at marathon pace to 45 in a 30 km long run that holds 56
    (round 16), so the race-pace blocks fell back as the moderate long runs came in."""
    case = compile_profile(profile)
    for week in case.plan.weeks:
        for run in (w for w in week.workouts if w.role == "long"):
            trimmed = f"{run.date}: {run.template} with"
            if not any(n.startswith(trimmed) and "at most half of it" in n for n in week.notes):
                continue
            if any(n.startswith(trimmed) and "faster running is at most" in n for n in week.notes):
                continue  # held by the program's time cap (a careful marathoner's hour, round 21)
            block = sum(s.distance_m for s in running_steps(run.steps) if s.zone not in EASY_ZONES)
            assert block >= HALF_KEPT * 0.5 * run.distance_m, (run.date, run.title)
