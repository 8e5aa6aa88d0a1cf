"""The texts an athlete reads are true of the workout they describe (round 18, defect 6).

Round 18 found four: "on runs of more than 90 minutes, take some fuel" on 35-50 min long runs;
"2 x 600m at race pace" described as "kilometre repeats ... most of the race's distance"; a
"Medium-long run · 7 mi" the day before a 7.2 mi easy run; and a back-from-trip week headed
"Race-specific" only.  The long run's fuel advice now shows from 75 min (its template's
`minutes`), race-pace repeats are described by their size, a medium-long run no longer than an
easy run of its week is worded as the easy run it is (run_words), and a week back from a break
says so in its heading.
"""

from __future__ import annotations

from typing import Any

from hypothesis import example, given
from test_properties import SETTINGS, Case, compile_profile, profiles

from compiler.emit.text import week_heading
from compiler.model import Step, Workout
from compiler.vocabulary import Role

FUEL = "take some fuel"
FUEL_FROM_S = 75 * 60  # the long run's template: fuel advice from 75 min

# review round 18 (built with --today 2026-12-06: the plans start on Monday 2026-12-07)
SPEED_5K_MI: dict[str, Any] = {
    "kind": "athlete",
    "id": "r18-speed-5k-mi",
    "name": "Ashley Carter",
    "timezone": "America/Denver",
    "units": "mi",
    "start": "2026-12-07",
    "race": {"name": "Polar Bear 5K", "program": "5k", "date": "2027-02-27", "goal": "17:15"},
    "focus": "speed",
    "fitness": {
        "recent_race": {"distance": "5km", "time": "17:48", "date": "2026-11-14"},
        "weekly_volume": "43mi",
        "long_run": "11mi",
    },
    "availability": {
        "days": ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday"],
        "long_run_day": "saturday",
    },
    "strength_per_week": 2,
}
BEGINNER_5K: dict[str, Any] = {
    "kind": "athlete",
    "id": "r18-beginner-5k",
    "name": "Beginner",
    "timezone": "Europe/London",
    "units": "km",
    "start": "2026-12-07",
    "race": {"program": "5k", "date": "2027-02-13"},
    "focus": "balanced",
    "fitness": {
        "recent_race": {"distance": "5km", "time": "34:30", "date": "2026-11-21"},
        "weekly_volume": "10km",
        "long_run": "5km",
    },
    "availability": {"days": ["tuesday", "thursday", "saturday"], "long_run_day": "saturday"},
    "strength_per_week": 1,
}


def _texts(workout: Workout) -> str:
    notes: list[str] = []

    def walk(steps: tuple[Step, ...]) -> None:
        for step in steps:
            notes.append(step.note or "")
            walk(step.steps)

    walk(workout.steps)
    return " ".join([workout.title, workout.description, *notes])


def _check(case: Case) -> None:
    weeks = len(case.plan.weeks)
    for week in case.plan.weeks:
        easy = [w.distance_m for w in week.workouts if w.role == Role.EASY]
        for workout in week.workouts:
            where = (week.index, workout.date, workout.title)
            if FUEL in _texts(workout):
                assert round(workout.duration_s / 60) * 60 >= FUEL_FROM_S, where  # whole min
            if workout.role == Role.MEDIUM_LONG or "Medium-long" in workout.title:
                assert workout.distance_m > max(easy, default=0.0), where
            if workout.template == "race-pace-kilometres":
                assert "kilometre" not in workout.description, where
                for step in workout.steps:
                    for run in step.steps:
                        if run.zone == "race":
                            # the rep's size as the title gives it (the template's metres)
                            assert f"{run.distance_m:.0f}m" in workout.description, where
        if "back from a break" in week.rule:
            assert "back from a break" in week_heading(week, weeks), week.index


@SETTINGS
@given(profiles())
@example(SPEED_5K_MI)
@example(BEGINNER_5K)
def test_the_texts_an_athlete_reads_are_true_of_their_workout(profile: dict[str, Any]) -> None:
    """No fuel advice on a run under 75 min, no medium-long run no longer than an easy run of
    its week, race-pace repeats described by their size, and a week back from a break headed
    so."""
    _check(compile_profile(profile))


def test_the_speed_5k_taper_has_no_short_medium_long_run() -> None:
    """Round 18: W11's "Medium-long run · 7 mi" on Monday, shorter than Tuesday's 7.2 mi."""
    case = compile_profile(SPEED_5K_MI)
    (week,) = [w for w in case.plan.weeks if w.index == 11]
    titles = [w.title for w in week.workouts]
    assert not any("Medium-long" in t for t in titles), titles
