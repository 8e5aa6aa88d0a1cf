"""The run the day after a short C race (review round 20): r20-masters-10k (58, 25 mi a week)
ran a 2.8 mi, 30-min recovery jog the day after a C 5K, where the reviewer asked for about 4 mi
easy.  A C race shorter than the program's `minor_races.c_long_from` (a 5K, a 10K) is no big
effort for a trained runner: from `after_short_c_from` a week (bundled 30 km) the run the day
after may last `after_short_c_run_max` (bundled 45 min), not `after_race_run_max` (30 min); a
beginner, and anyone after a B race or a half or marathon, keeps the short jog.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from hypothesis import assume, example, given, settings
from test_careful_c_race import MASTERS_10K, careful_seasons
from test_properties import SETTINGS, Case, compile_profile

TRAINED_FROM_M = 40_000.0  # generated athletes this fit have the week's volume for it
LEAST_S = 33 * 60.0  # more than the old 30-min cap: an easy run, not a jog
SLACK_S = 60.0


def _after_c_runs(case: Case) -> list[tuple[float, bool]]:
    """The duration of each non-long run the day after a C race, and whether the race was short
    (below `c_long_from`)."""
    minor = case.blueprint.program.rules.minor
    races = {
        r.date + dt.timedelta(days=1): r.distance_m < minor.c_long_from_m
        for r in case.blueprint.athlete.other_races
        if r.priority == "C"
    }
    return [
        (w.duration_s, races[w.date])
        for w in case.plan.workouts
        if w.slot == "run" and w.role != "long" and w.date in races
    ]


def _after_c_days(case: Case) -> list[dt.date]:
    """The days of _after_c_runs' runs, in its order."""
    days = {
        r.date + dt.timedelta(days=1)
        for r in case.blueprint.athlete.other_races
        if r.priority == "C"
    }
    return [
        w.date
        for w in case.plan.workouts
        if w.slot == "run" and w.role != "long" and w.date in days
    ]


def _shortest_other_easy(case: Case, day: dt.date) -> float:
    """The shortest easy or recovery run of ``day``'s week but ``day``'s (inf: none)."""
    week = next(w for w in case.plan.weeks if w.start <= day < w.start + dt.timedelta(w.days))
    return min(
        (
            w.duration_s
            for w in week.workouts
            if w.slot == "run" and w.role in ("easy", "recovery") and w.date != day
        ),
        default=float("inf"),
    )


@settings(SETTINGS, max_examples=min(SETTINGS.max_examples, 20))
@given(careful_seasons())
@example(MASTERS_10K).via("review 20: 2.8 mi the day after a C 5K at 25 mi a week")
def test_a_trained_runner_runs_easy_the_day_after_a_short_c_race(profile: dict[str, Any]) -> None:
    """A masters or injury-prone athlete running 40 km a week or more runs more than a 30-min
    jog the day after a 5K or 10K C race, and no more than `after_short_c_run_max`."""
    case = compile_profile(profile)
    assume(case.blueprint.athlete.weekly_volume_m >= TRAINED_FROM_M)
    most = case.blueprint.program.rules.minor.after_short_c_run_max_s
    for day, (seconds, short) in zip(_after_c_days(case), _after_c_runs(case), strict=True):
        assert short
        assert seconds <= most + SLACK_S, seconds
        # an easy run, not a jog: unless the week's volume, spread over its runs, holds no
        # more than that (a masters runner's 34.6 km cutback week, all of it run)
        assert seconds >= min(LEAST_S, _shortest_other_easy(case, day) - SLACK_S), seconds


def test_a_beginner_keeps_the_short_jog() -> None:
    """Below `after_short_c_from` a week, the day after a C 5K stays within
    `after_race_run_max`."""
    profile = {
        **MASTERS_10K,
        "fitness": {
            "recent_race": {"distance": "5km", "time": "32:00", "date": "2026-10-18"},
            "weekly_volume": "12mi",
            "long_run": "5mi",
        },
    }
    case = compile_profile(profile)
    most = case.blueprint.program.rules.minor.after_race_run_max_s
    runs = _after_c_runs(case)
    assert runs and all(seconds <= most + SLACK_S for seconds, _ in runs), runs
