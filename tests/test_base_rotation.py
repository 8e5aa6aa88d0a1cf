"""The focus shows in the base, and a beginner starts on strides (review round 22, defects 2).

Round 22 found every base's light session the same 8-10 x 1 min fartlek for 6-9 weeks, whatever
the focus (a 10K speed runner, a 2:38 marathoner), and a 10 km-a-week beginner's fartlek in her
first week ("Speed work begins").  The bundled foci's base `quality` now holds two light
sessions, the fartlek and hills (`light-hills`: 8-10 x 1 min uphill at 5K effort), which take
turn by turn, counted among the weeks that hold one (schedule.phase_places); and the base
phase's `quality_small_below` (20km) holds a runner below it to easy running and strides until
week `quality_from_week_small` (3) of the base.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from hypothesis import assume, example, given
from hypothesis import strategies as st
from review_athletes import R22_BEGINNER_5K as BEGINNER_5K
from test_properties import SETTINGS, Case, compile_profile, profiles

LIGHT = frozenset({"light-fartlek", "light-hills"})

# review round 22 (built with --today 2026-12-06: the plans start on Monday 2026-12-07)
SPEED_10K_MI: dict[str, Any] = {
    "kind": "athlete",
    "id": "a2-10k-races-mi",
    "name": "Marcus Webb",
    "timezone": "America/Chicago",
    "units": "mi",
    "start": "2026-12-07",
    "races": [
        {
            "name": "Spring 10K",
            "priority": "A",
            "program": "10k",
            "date": "2027-03-28",
            "goal": "39:30",
        },
        {"name": "Frostbite Half", "priority": "B", "distance": "half", "date": "2027-02-14"},
        {"name": "Parkrun", "priority": "C", "distance": "5k", "date": "2027-01-16"},
    ],
    "focus": "speed",
    "fitness": {
        "recent_race": {"distance": "10km", "time": "41:10", "date": "2026-10-25"},
        "weekly_volume": "28mi",
        "long_run": "9mi",
    },
    "availability": {
        "days": ["monday", "tuesday", "thursday", "saturday", "sunday"],
        "long_run_day": "sunday",
    },
    "strength_per_week": 1,
}
ENDURANCE_5K: dict[str, Any] = {
    "kind": "athlete",
    "id": "a7-5k-endurance",
    "name": "Aisha Bello",
    "timezone": "Africa/Lagos",
    "units": "km",
    "start": "2026-12-07",
    "race": {"name": "Club 5K", "program": "5k", "date": "2027-02-27", "goal": "18:45"},
    "focus": "endurance",
    "fitness": {
        "recent_race": {"distance": "5k", "time": "19:20", "date": "2026-11-28"},
        "weekly_volume": "50km",
        "long_run": "15km",
    },
    "availability": {
        "days": ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday"],
        "long_run_day": "saturday",
    },
}


def _raced(profile: dict[str, Any], days_before: int, volume_km: int) -> dict[str, Any]:
    """``profile`` with a race ``days_before`` its start, ``volume_km`` a week, not
    injury-prone, no cap below its volume and no days away (a trip rests the weeks it is in)."""
    start = dt.date.fromisoformat(profile["start"])
    per_unit = 1.609344 if profile["units"] == "mi" else 1.0
    fitness = profile["fitness"]
    return {
        **{k: v for k, v in profile.items() if k not in ("max_weekly_volume", "away")},
        "injury_prone": False,
        "fitness": {
            **fitness,
            "recent_race": {
                **fitness["recent_race"],
                "date": (start - dt.timedelta(days=days_before)).isoformat(),
            },
            "weekly_volume": f"{volume_km / per_unit:.1f}{profile['units']}",
            "long_run": f"{0.3 * volume_km / per_unit:.1f}{profile['units']}",
        },
    }


def _base_light(case: Case) -> list[tuple[int, str]]:
    """The base weeks' light sessions: (week index, template), in order."""
    return [
        (week.index, w.template)
        for week in case.plan.weeks
        if week.phase == "base"
        for w in week.workouts
        if w.template in LIGHT
    ]


@SETTINGS
@given(profiles(), st.integers(7, 77), st.integers(30, 110))
@example(SPEED_10K_MI, 0, 0).via("review 22: 8 weeks of the same fartlek, speed 10K")
@example(ENDURANCE_5K, 0, 0).via("review 22: the same fartlek, endurance 5K")
def test_the_base_light_sessions_take_turns(
    profile: dict[str, Any], days_before: int, volume_km: int
) -> None:
    """A raced athlete's base with 4 or more light sessions holds more than one kind of them
    (the focus's base `quality` slots take turns); before round 22 all were the one fartlek."""
    if volume_km:
        profile = _raced(profile, days_before, volume_km)
    light = _base_light(compile_profile(profile))
    assume(len(light) >= 4)
    assert len({name for _, name in light}) >= 2, light
    # taking turns: no kind three times running
    names = [name for _, name in light]
    assert all(len(set(names[i : i + 3])) > 1 for i in range(len(names) - 2)), light


@SETTINGS
@given(profiles(), st.integers(7, 77), st.integers(10, 19))
@example(BEGINNER_5K, 0, 0).via("review 22: a 10 km-a-week beginner's fartlek in week 1")
def test_a_beginner_runs_strides_before_her_first_fartlek(
    profile: dict[str, Any], days_before: int, volume_km: int
) -> None:
    """A runner below the base's `quality_small_below` (20 km a week) who raced recently holds
    no hard session in the base's first `quality_from_week_small` - 1 (2) weeks: easy running
    and strides first (Daniels' Phase I); before round 22 her fartlek came in week 1."""
    if volume_km:
        profile = _raced(profile, days_before, volume_km)
    case = compile_profile(profile)
    base = [week for week in case.plan.weeks if week.phase == "base"]
    for week in base[:2]:
        hard = [w.template for w in week.workouts if w.intensity == "hard" and w.category != "race"]
        assert not hard, (week.index, hard)


def test_the_beginner_5k_starts_her_fartlek_in_week_3() -> None:
    """The reviewer's athlete: W1 and W2 easy + strides, the light session from W3, hills and
    the fartlek both before her build."""
    case = compile_profile(BEGINNER_5K)
    light = _base_light(case)
    assert light and light[0][0] == 3, light
    assert {name for _, name in light} == LIGHT, light
