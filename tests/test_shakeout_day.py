"""A run is called a shakeout only the day or two before the race (review 21): race week's
short run on the last running day within `shakeout_within` days of the race, when the athlete
runs on neither of the two days before it, is `shakeout_early`'s workout ("Easy 20 min + 4
strides"): a Thursday "Shakeout" before a Sunday 5K read as a misplaced day."""

from __future__ import annotations

from typing import Any

from hypothesis import example, given
from review_athletes import R21_BEGINNER_5K as BEGINNER_5K
from test_properties import SETTINGS, compile_profile, profiles

SHAKEOUT_DAYS = (1, 2)  # the days before the race a shakeout may be on


@given(profiles())
@example(BEGINNER_5K)
@SETTINGS
def test_a_shakeout_is_the_day_or_two_before_the_race(profile: dict[str, Any]) -> None:
    case = compile_profile(profile)
    race = case.blueprint.athlete.race
    assert race is not None
    shakeout = case.blueprint.program.rules.shakeout
    for week in case.plan.weeks:
        for workout in week.workouts:
            if workout.template == shakeout or workout.title.startswith("Shakeout"):
                assert (race.date - workout.date).days in SHAKEOUT_DAYS, workout.date


def test_the_beginner_runs_easy_with_strides_three_days_out() -> None:
    case = compile_profile(BEGINNER_5K)
    (thursday,) = [
        w for week in case.plan.weeks for w in week.workouts if str(w.date) == "2027-02-11"
    ]
    assert thursday.title == "Easy 20 min + 4 strides", thursday.title
