"""The weeks after an A race (the recovery phase) as properties over generated athletes: recovery
jogs for the race's easy days (Daniels' one easy day per 3 km raced, the program's
`minor_races.km_per_easy_day`: a 5K 2, a 10K 3, a half 7, a marathon 14), then the focus's
easy runs with strides back, never a whole week of jogs after a 5K or 10K (review round 16: five
9.7 km recovery jogs after a 10K, "a full lost week"); the speed 10K runner the reviewer
named is pinned."""

from __future__ import annotations

from typing import Any

from hypothesis import example, given
from test_properties import SETTINGS, compile_profile, profiles

from compiler.plan.minor_races import easy_days_for

# review round 16: a 17:50 5K runner's 10K; its recovery week was five recovery jogs of ~9.7 km
SPEED_10K: dict[str, Any] = {
    "kind": "athlete",
    "id": "r16-speed-10k",
    "name": "Lena Vogel",
    "timezone": "Europe/Berlin",
    "units": "km",
    "race": {"name": "Spring 10K", "program": "10k", "date": "2027-03-07"},
    "focus": "speed",
    "start": "2026-12-07",
    "fitness": {
        "recent_race": {"distance": "5km", "time": "17:50", "date": "2026-11-15"},
        "weekly_volume": "60km",
        "long_run": "16km",
    },
    "availability": {
        "days": ["monday", "tuesday", "wednesday", "thursday", "friday", "sunday"],
        "long_run_day": "sunday",
    },
    "strength_per_week": 2,
}


@SETTINGS
@given(profiles())
@example(SPEED_10K)
def test_recovery_jogs_for_the_race_s_easy_days_then_easy_runs(profile: dict[str, Any]) -> None:
    """Each run after race day is a recovery jog within the race's easy days and not one past
    them (the bundled foci list easy runs for the recovery phase after the jog), and no run in
    the easy days holds strides."""
    case = compile_profile(profile)
    race = case.plan.athlete.race
    assert race is not None
    days = easy_days_for(case.blueprint, case.blueprint.program.distance_m)
    after = [
        w
        for w in case.plan.workouts
        if w.date > race.date and w.slot == "run" and w.category != "race"
    ]
    for run in after:
        since = (run.date - race.date).days
        if since <= days:
            assert run.category == "recovery", (since, days, run.title)
        else:
            assert run.category != "recovery", (since, days, run.title)


def test_the_speed_10k_runner_gets_strides_back_on_day_4() -> None:
    case = compile_profile(SPEED_10K)
    race = case.plan.athlete.race
    assert race is not None
    after = sorted(
        (w for w in case.plan.workouts if w.date > race.date and w.slot == "run"),
        key=lambda w: w.date,
    )
    kinds = [((w.date - race.date).days, w.category) for w in after]
    assert [k for k in kinds if k[0] <= 3] == [(d, "recovery") for d, _ in kinds if d <= 3]
    assert (4, "strides") in kinds, kinds
