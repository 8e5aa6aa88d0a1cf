"""Tiny weeks shared well (review round 18, ranked defect 3), as properties over generated
low-volume athletes (8-20 km a week on three or four days).

A beginner at 10 km a week on three days ran two of them in week 1: her Thursday was dropped
as "too small to share out" beside a 4.3 km fartlek and a 5 km long run, the long run then took
the two-run share (5.7 km, 57% of the week, 14% past her current long run, the plan's longest
for weeks), and her race week had only a Thursday shakeout before the 5K.  A week that cannot
give every run `run_floor` (20 min) now shortens them all to `run_floor_min` (15 min) rather
than drop one, a building week may run `tiny_week_over` (1 km) past its target to keep them,
and race week keeps an early jog while its volume gives it `run_floor_min`.

The coach's numbers are written here as the coach gave them, not read from the templates: a
template that lowered them would break the coach's rule, and these tests are to say so."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from hypothesis import example, given, settings
from hypothesis import strategies as st
from test_properties import FIRST_MONDAY, Case, compile_profile

from compiler.model import WEEKDAYS, Week, Workout
from compiler.plan.paces import race_time
from compiler.vocabulary import Role

RUN_FLOOR_MIN_S = 15 * 60.0  # the least easy running a kept run takes in a tiny week
TINY_WEEK_OVER_M = 1000.0  # the most a building week runs past its target to keep its days
K2_SHARE = 0.5  # of the peak week: the most race week runs besides the race (coach_check K2)
DROPPED = "easy run dropped, the week's volume is too small to share out"
EASY_LIKE = ("easy", "recovery", "medium-long")

# round 18 (built the Monday after 2026-12-06): W1 Thu dropped, W1's long run 5.7 km of a 10 km
# week (her current long run 5 km), race week only a Thursday shakeout
BEGINNER_5K: dict[str, Any] = {
    "kind": "athlete",
    "id": "r18-beginner-5k",
    "name": "Priya Nair",
    "timezone": "Europe/London",
    "units": "km",
    "race": {"name": "Spring Parkrun 5K", "program": "5k", "date": "2027-02-13"},
    "focus": "balanced",
    "start": "2026-12-07",
    "fitness": {
        "recent_race": {"distance": "5km", "time": "34:30", "date": "2026-11-21"},
        "weekly_volume": "10km",
        "long_run": "5km",
    },
    "availability": {"days": ["tuesday", "thursday", "saturday"], "long_run_day": "saturday"},
    "strength_per_week": 1,
}

# a few dozen small athletes, derandomized so a run fails the same way each time
TINY = settings(max_examples=25, deadline=None, derandomize=True)


@st.composite
def tiny_profiles(draw: st.DrawFn) -> dict[str, Any]:
    """A low-volume athlete: 8-20 km a week on three or four days, a 5K, 10K or half in 8-16
    weeks, no time away (a comeback week may come out lighter, by its own rule)."""
    program = draw(st.sampled_from(["5k", "10k", "half-marathon"]))
    weeks = draw(st.integers(8, 16))
    start = FIRST_MONDAY + dt.timedelta(weeks=draw(st.integers(0, 4)))
    race = start + dt.timedelta(weeks=weeks - 1, days=draw(st.integers(0, 6)))
    days = draw(st.lists(st.sampled_from(WEEKDAYS), min_size=3, max_size=4, unique=True))
    units = draw(st.sampled_from(["km", "mi"]))
    per_unit = 1.609344 if units == "mi" else 1.0
    volume_km = draw(st.integers(8, 20))
    seconds = round(race_time(draw(st.floats(22, 40)), 5000))
    return {
        "kind": "athlete",
        "id": "generated-tiny",
        "name": "Generated Athlete",
        "timezone": "UTC",
        "units": units,
        "race": {"program": program, "date": race.isoformat()},
        "focus": draw(st.sampled_from(["speed", "endurance", "balanced"])),
        "start": start.isoformat(),
        "fitness": {
            "recent_race": {
                "distance": "5km",
                "time": f"{seconds // 3600}:{seconds % 3600 // 60:02d}:{seconds % 60:02d}",
                "date": (start - dt.timedelta(days=draw(st.integers(7, 60)))).isoformat(),
            },
            "weekly_volume": f"{volume_km / per_unit:.1f}{units}",
            "long_run": f"{volume_km * draw(st.floats(0.3, 0.5)) / per_unit:.1f}{units}",
        },
        "injury_prone": draw(st.booleans()),
        "availability": {"days": days, "long_run_day": draw(st.sampled_from(days))},
        "strength_per_week": draw(st.integers(0, 2)),
    }


def _unit(case: Case) -> float:
    return 1609.344 if case.profile["units"] == "mi" else 1000.0


def _easy_running(workout: Workout) -> float:
    """The run's easy running, in metres: its steps at easy or recovery pace (not its strides)."""
    return sum(s.distance_m for s in workout.steps if str(s.zone) in ("easy", "recovery"))


def _floor_min_m(case: Case) -> float:
    """RUN_FLOOR_MIN_S at easy pace, within `min_easy_run`."""
    easy_m = RUN_FLOOR_MIN_S / case.plan.paces.zones["easy"].mid * 1000
    return min(easy_m, case.blueprint.program.min_easy_run_m)


def _race_week(case: Case) -> Week:
    return next(w for w in case.plan.weeks if any(x.role == Role.RACE for x in w.workouts))


@TINY
@given(tiny_profiles())
@example(BEGINNER_5K)
def test_a_building_week_keeps_its_listed_days(profile: dict[str, Any]) -> None:
    """A base or build week drops a run as too small to share out only when its easy volume,
    TINY_WEEK_OVER_M more included, could not give every run (the dropped ones too)
    RUN_FLOOR_MIN_S: the beginner's Thursday went in a week that held 15 minutes of it.  A run
    the day before or after a long run is left aside: half a tiny long run holds it short."""
    case = compile_profile(profile)
    floor_m = _floor_min_m(case)
    longs = {w.date for week in case.plan.weeks for w in week.workouts if w.role == Role.LONG}
    for week in case.plan.weeks:
        dropped = [
            dt.date.fromisoformat(note.split(":")[0]) for note in week.notes if DROPPED in note
        ]
        # a run beside the long run is held to half of it: a tiny long run leaves it no floor
        drops = sum(all(abs((day - long).days) != 1 for long in longs) for day in dropped)
        if not drops or week.phase not in ("base", "build"):
            continue
        runs = [w for w in week.workouts if w.slot == "run" and w.role in EASY_LIKE]
        given_m = sum(_easy_running(w) for w in runs) + TINY_WEEK_OVER_M
        needed = (len(runs) + drops) * floor_m
        assert given_m < needed + 0.5 * _unit(case), (week.index, week.notes)


@TINY
@given(tiny_profiles())
@example(BEGINNER_5K)
def test_race_week_keeps_an_early_jog(profile: dict[str, Any]) -> None:
    """Race week keeps a run besides the shakeout when the athlete has a listed day in it three
    or more days before the race, and the week holds RUN_FLOOR_MIN_S more within coach_check's
    K2 (running besides the race, its warm-up and cool-down too, at most half of the peak week
    or the program's own share; race week, race included, below the peak): not only a
    Thursday shakeout before a Saturday 5K."""
    case = compile_profile(profile)
    race_week = _race_week(case)
    race_day = next(w.date for w in race_week.workouts if w.role == Role.RACE)
    days = {WEEKDAYS.index(d) for d in profile["availability"]["days"]}
    early = [
        race_week.start + dt.timedelta(days=k)
        for k in range((race_day - race_week.start).days - 2)
        if (race_week.start + dt.timedelta(days=k)).weekday() in days
    ]
    if not early:
        return
    besides = [w for w in race_week.workouts if w.slot == "run" and w.role != Role.RACE]
    before = [w for w in case.plan.weeks if w.start < race_week.start and w.phase != "recovery"]
    peak = max(w.planned_m for w in before)
    # the race's warm-up and cool-down are running besides the race too
    race = sum(w.distance_m for w in race_week.workouts if w.role == Role.RACE)
    around = race - case.blueprint.program.distance_m
    # the program's race-week share of the peak (the half's 45%), within K2's half
    share = re.search(r"(\d+)% of the peak week", race_week.rule)
    held = min(int(share.group(1)) / 100 if share else K2_SHARE, K2_SHARE)
    room = held * peak - sum(w.distance_m for w in besides) - around
    room = min(room, peak - race_week.planned_m)  # and race week, race included, below the peak
    if room < _floor_min_m(case) + 0.5 * _unit(case):
        return
    assert any(w.date <= race_day - dt.timedelta(days=3) for w in besides), (
        [(str(w.date), w.title) for w in besides],
        race_week.notes,
    )


def test_the_beginner_runs_her_three_days_from_her_5_km_long_run() -> None:
    """Review 18: W1 keeps Thursday (about 2 km) beside a 5 km long run, and race week has a
    Tuesday jog of 15 minutes or more, running besides the race within half the peak (K2)."""
    case = compile_profile(BEGINNER_5K)
    weeks = case.plan.weeks
    first = weeks[0]
    days = {w.date.weekday() for w in first.workouts if w.slot == "run"}
    assert days == {1, 3, 5}, first.notes
    (long_run,) = [w for w in first.workouts if w.role == Role.LONG]
    assert long_run.distance_m <= 5000
    race_week = _race_week(case)
    tuesday = [w for w in race_week.workouts if w.slot == "run" and w.date.weekday() == 1]
    assert tuesday and tuesday[0].duration_s >= RUN_FLOOR_MIN_S - 30
    peak = max(w.planned_m for w in weeks[:8])
    besides = sum(w.distance_m for w in race_week.workouts if w.slot == "run" and w.role != "race")
    assert besides <= 0.5 * peak
