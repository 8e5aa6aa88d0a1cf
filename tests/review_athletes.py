"""The athletes of the expert reviews that tests pin (review rounds 20-22), each written once:
several tests pin the same reviewer's athlete for different rules (a helper per rule wrote its
own copy, six profiles in up to four files)."""

from __future__ import annotations

from typing import Any

# review round 22 (built with --today 2026-12-06: the plans start on Monday 2026-12-07)
R22_BEGINNER_5K: dict[str, Any] = {
    "kind": "athlete",
    "id": "a1-beginner-5k",
    "name": "Priya Nair",
    "timezone": "Europe/London",
    "units": "km",
    "start": "2026-12-07",
    "race": {"name": "Valentine 5K", "program": "5k", "date": "2027-02-14"},
    "focus": "balanced",
    "fitness": {
        "recent_race": {"distance": "5k", "time": "34:30", "date": "2026-11-15"},
        "weekly_volume": "10km",
        "long_run": "4km",
    },
    "availability": {"days": ["tuesday", "thursday", "sunday"], "long_run_day": "sunday"},
}


# review round 21's a4: an injury-prone marathoner, 55 km a week on 5 days, capped at 75 km;
# a 17.3 km medium-long run beside 27-30 km long runs, two thirds of the week in two runs
R21_INJURY_MARATHON: dict[str, Any] = {
    "kind": "athlete",
    "id": "generated",
    "name": "Generated Athlete",
    "timezone": "Europe/Madrid",
    "units": "km",
    "race": {"program": "marathon", "date": "2027-04-25", "goal": "3:35:00"},
    "focus": "endurance",
    "start": "2026-12-07",
    "age": 45,
    "injury_prone": True,
    "fitness": {
        "recent_race": {"distance": "half", "time": "1:40:30", "date": "2026-11-01"},
        "weekly_volume": "55km",
        "long_run": "21km",
    },
    "max_weekly_volume": "75km",
    "availability": {
        "days": ["tuesday", "wednesday", "thursday", "saturday", "sunday"],
        "long_run_day": "sunday",
    },
}


# review round 21: W8 Tue a 7.1 mi / 70 min easy run the day before a 7-day trip
R21_MASTERS_10K: dict[str, Any] = {
    "kind": "athlete",
    "id": "a2-masters-10k",
    "name": "Gerald Okafor",
    "timezone": "America/Chicago",
    "units": "mi",
    "start": "2026-12-07",
    "race": {"name": "Spring 10K", "program": "10k", "date": "2027-03-21"},
    "focus": "balanced",
    "age": 58,
    "fitness": {
        "recent_race": {"distance": "10km", "time": "48:10", "date": "2026-10-24"},
        "weekly_volume": "25mi",
        "long_run": "9mi",
    },
    "availability": {
        "days": ["monday", "tuesday", "thursday", "friday", "sunday"],
        "long_run_day": "sunday",
    },
    "away": [{"from": "2027-01-28", "to": "2027-02-03", "note": "business trip to Tokyo"}],
    "strength_per_week": 2,
}


# review round 21: W19 (race week) Mon a 7.8 km recovery run, the peak weeks' size
R21_SEASON_HALF: dict[str, Any] = {
    "kind": "athlete",
    "id": "a3-season-half",
    "name": "Lena Fischer",
    "timezone": "Europe/Berlin",
    "units": "km",
    "start": "2026-12-07",
    "races": [
        {
            "name": "Berlin Spring Half",
            "priority": "A",
            "program": "half-marathon",
            "date": "2027-04-18",
            "goal": "1:39:00",
        },
        {"name": "City 10K", "priority": "B", "program": "10k", "date": "2027-03-14"},
        {"name": "Parkrun", "priority": "C", "distance": "5k", "date": "2027-01-30"},
    ],
    "focus": "balanced",
    "age": 41,
    "fitness": {
        "recent_race": {"distance": "half", "time": "1:43:20", "date": "2026-10-11"},
        "weekly_volume": "45km",
        "long_run": "16km",
    },
    "availability": {
        "days": ["monday", "wednesday", "thursday", "saturday", "sunday"],
        "long_run_day": "sunday",
    },
}


# review 21's a1-beginner-5k: 12 km a week on 3 days, threshold sessions at 13-14% of the week
R21_BEGINNER_5K: dict[str, Any] = {
    "kind": "athlete",
    "id": "a1-beginner-5k",
    "name": "Priya Nair",
    "timezone": "Europe/London",
    "units": "km",
    "start": "2026-12-07",
    "race": {"name": "Riverside 5K", "program": "5k", "date": "2027-02-14", "goal": "30:00"},
    "focus": "balanced",
    "age": 34,
    "fitness": {
        "recent_race": {"distance": "5km", "time": "32:40", "date": "2026-11-15"},
        "weekly_volume": "12km",
        "long_run": "5km",
    },
    "availability": {"days": ["tuesday", "thursday", "sunday"], "long_run_day": "sunday"},
    "strength_per_week": 1,
}


# the reviewer's athlete (tests pin it as written for the review, its plan starting Monday)
R20_SPEED_HALF: dict[str, Any] = {
    "kind": "athlete",
    "id": "r20-speed-half",
    "name": "Ben Okafor",
    "timezone": "Europe/Dublin",
    "units": "km",
    "races": [
        {
            "name": "Dublin Spring Half",
            "priority": "A",
            "program": "half-marathon",
            "date": "2027-02-28",
            "goal": "1:24:00",
        },
        {"name": "Club 10K", "priority": "B", "program": "10k", "date": "2027-01-31"},
    ],
    "focus": "speed",
    "start": "2026-12-07",
    "fitness": {
        "recent_race": {"distance": "10km", "time": "39:10", "date": "2026-11-22"},
        "weekly_volume": "60km",
        "long_run": "18km",
    },
    "availability": {
        "days": ["monday", "tuesday", "wednesday", "thursday", "saturday", "sunday"],
        "long_run_day": "sunday",
    },
}


# review 21's a6-elite-5k (built with --today 2026-12-06: the plan starts on Monday 2026-12-07)
R21_ELITE_5K: dict[str, Any] = {
    "kind": "athlete",
    "id": "a6-elite-5k",
    "name": "Kenji Watanabe",
    "timezone": "Asia/Tokyo",
    "units": "km",
    "start": "2026-12-07",
    "race": {"name": "Indoor 5000m", "program": "5k", "date": "2027-03-07", "goal": "14:55"},
    "focus": "speed",
    "age": 24,
    "fitness": {
        "recent_race": {"distance": "5km", "time": "15:20", "date": "2026-11-22"},
        "weekly_volume": "105km",
        "long_run": "22km",
    },
    "max_weekly_volume": "115km",
    "availability": {
        "days": ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"],
        "long_run_day": "sunday",
    },
}
