"""No long run the day after a C race for a masters or injury-prone athlete (round 20, defect 4).

Round 20's r20-masters-10k (58 years) raced a C 5K on Saturday of a cutback week and ran a
"Long run 5.5 mi" on Sunday: the younger runner's back-to-back tune-up and easy long run
(Pfitzinger) went to older legs the masters spacing is there to protect.  The program's
`minor_races.c_long_after_careful` (default 0%) gives a masters or injury-prone athlete no long
run the day after a C race: it moves to a free day of its week, else the day is a short
recovery run.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from hypothesis import example, given, settings
from hypothesis import strategies as st
from test_properties import SETTINGS, compile_profile

MONDAY = dt.date(2026, 12, 7)
WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]

# round 20: a C 5K on Saturday 2027-01-16, then "Long run 5.5 mi" on Sunday, at 58
MASTERS_10K: dict[str, Any] = {
    "kind": "athlete",
    "id": "r20-masters-10k",
    "name": "Linda Grey",
    "timezone": "America/New_York",
    "units": "mi",
    "start": "2026-12-07",
    "age": 58,
    "races": [
        {"name": "Spring 10K", "priority": "A", "program": "10k", "date": "2027-04-11"},
        {"name": "Winter 5K", "priority": "C", "distance": "5k", "date": "2027-01-16"},
        {"name": "St Patrick half", "priority": "B", "distance": "half", "date": "2027-03-14"},
    ],
    "focus": "balanced",
    "fitness": {
        "recent_race": {"distance": "10km", "time": "48:40", "date": "2026-10-18"},
        "weekly_volume": "25mi",
        "long_run": "9mi",
    },
    "availability": {
        "days": ["monday", "wednesday", "thursday", "saturday", "sunday"],
        "long_run_day": "sunday",
    },
}


@st.composite
def careful_seasons(draw: st.DrawFn) -> dict[str, Any]:
    """A masters or injury-prone athlete with a 5K or 10K C race the day before the long run."""
    weeks = draw(st.integers(14, 20))
    program = draw(st.sampled_from(["10k", "half-marathon", "marathon"]))
    a_day = MONDAY + dt.timedelta(weeks=weeks - 1, days=6)
    long_index = draw(st.sampled_from([5, 6]))  # saturday or sunday
    c_day = MONDAY + dt.timedelta(weeks=draw(st.integers(3, 7)), days=long_index - 1)
    others = [d for d in WEEKDAYS if d not in (WEEKDAYS[long_index], WEEKDAYS[long_index - 1])]
    days = [WEEKDAYS[long_index], WEEKDAYS[long_index - 1], *draw(st.permutations(others))[:3]]
    units = draw(st.sampled_from(["km", "mi"]))
    per_unit = 1.609344 if units == "mi" else 1.0
    volume = draw(st.integers(30, 70))
    masters = draw(st.booleans())
    profile: dict[str, Any] = {
        **{k: v for k, v in MASTERS_10K.items() if k != "age"},
        "id": "generated",
        "units": units,
        "races": [
            {"name": "A race", "priority": "A", "program": program, "date": a_day.isoformat()},
            {
                "name": "C race",
                "priority": "C",
                "distance": draw(st.sampled_from(["5k", "10k"])),
                "date": c_day.isoformat(),
            },
        ],
        "focus": draw(st.sampled_from(["speed", "endurance", "balanced"])),
        "fitness": {
            "recent_race": {"distance": "10km", "time": "46:00", "date": "2026-11-08"},
            "weekly_volume": f"{volume / per_unit:.1f}{units}",
            "long_run": f"{volume * 0.3 / per_unit:.1f}{units}",
        },
        "availability": {"days": days, "long_run_day": WEEKDAYS[long_index]},
    }
    if masters:
        profile["age"] = draw(st.integers(50, 75))
    else:
        profile["injury_prone"] = True
    return profile


@settings(SETTINGS, max_examples=min(SETTINGS.max_examples, 25))
@given(careful_seasons())
@example(MASTERS_10K)
def test_no_long_run_the_day_after_a_c_race_for_careful_legs(profile: dict[str, Any]) -> None:
    """A masters or injury-prone athlete runs no long run the day after a C race."""
    case = compile_profile(profile)
    raced = [r.date for r in case.blueprint.athlete.other_races if r.priority == "C"]
    for workout in case.plan.workouts:
        if workout.slot == "run" and workout.role == "long":
            assert workout.date - dt.timedelta(days=1) not in raced, (workout.date, workout.title)
