"""Run sizes that make sense in context (review round 20, defects 1 and 6), as properties over
generated athletes, beginners and B races included:

- in race week, and in a B race's last 7 days and its easy days after it, no easy or recovery
  run is longer than the plan's typical easy run (the median easy run of the
  `typical_easy_weeks` before, or a run worth lacing shoes for, `run_floor` and its strides):
  the volume those light days cannot hold is left out, not poured into the one free day (a
  14.5 km easy run 5 days before a B 10K, the plan's longest easy run in a beginner's race
  week).

The reviewer's athletes (r20-speed-half, r20-beginner-5k) are pinned as examples."""

from __future__ import annotations

import datetime as dt
import statistics
from typing import Any

from hypothesis import example, given, settings
from hypothesis import strategies as st
from review_athletes import R20_SPEED_HALF as SPEED_HALF
from test_properties import SETTINGS, Case, compile_profile

from compiler.model import Blueprint, Week
from compiler.plan.minor_races import easy_days_after

MONDAY = dt.date(2026, 12, 7)
SLACK_S = 90.0  # a run is rounded to a tenth of a unit: this much over is the same run
STRIDES_S = 10 * 60.0  # the most a run's strides and their walks add to its `run_floor`

# review round 20: W9 (race week) Tue 3.6 km + strides, the longest easy run of the plan
BEGINNER_5K: dict[str, Any] = {
    "kind": "athlete",
    "id": "r20-beginner-5k",
    "name": "Tom Beginner",
    "timezone": "Europe/London",
    "units": "km",
    "start": "2026-12-07",
    "race": {"name": "Valentine 5K", "program": "5k", "date": "2027-02-07"},
    "focus": "speed",
    "fitness": {
        "recent_race": {"distance": "5km", "time": "33:30", "date": "2026-11-15"},
        "weekly_volume": "10km",
        "long_run": "5km",
    },
    "availability": {"days": ["tuesday", "thursday", "sunday"], "long_run_day": "sunday"},
    "strength_per_week": 1,
}
# a quality session's fill made it 56 min the week after a 54-min B 5K (found by the property)
AFTER_B_5K: dict[str, Any] = {
    **{k: v for k, v in BEGINNER_5K.items() if k != "race"},
    "id": "generated",
    "races": [
        {"name": "A race", "priority": "A", "program": "10k", "date": "2027-03-14"},
        {"name": "B race", "priority": "B", "distance": "5k", "date": "2027-02-21"},
    ],
    "fitness": {
        "recent_race": {"distance": "5km", "time": "22:00", "date": "2026-11-15"},
        "weekly_volume": "26km",
        "long_run": "6.5km",
    },
    "availability": {"days": ["sunday", "monday", "tuesday", "thursday"], "long_run_day": "sunday"},
    "strength_per_week": 0,
}
WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday"]
WEEKDAYS_ALL = [*WEEKDAYS, "sunday"]
PROGRAMS = {"5k": 5.0, "10k": 10.0, "half-marathon": 21.1}


@st.composite
def seasons(draw: st.DrawFn) -> dict[str, Any]:
    """A 5K, 10K or half runner of 10-70 km a week on 3-6 days (the long run on Sunday), 9-14
    weeks out, with a B 5K or 10K on a Sunday 3-5 weeks before the A race or none."""
    weeks = draw(st.integers(9, 14))
    program = draw(st.sampled_from(sorted(PROGRAMS)))
    a_day = MONDAY + dt.timedelta(weeks=weeks - 1, days=6)
    others = draw(st.lists(st.sampled_from(WEEKDAYS), min_size=2, max_size=5, unique=True))
    volume = draw(st.integers(10, 70))
    minutes = draw(st.integers(20, 34)) if volume < 25 else draw(st.integers(19, 26))
    races: list[dict[str, Any]] = [
        {"name": "A race", "priority": "A", "program": program, "date": a_day.isoformat()}
    ]
    if draw(st.booleans()):
        b_day = a_day - dt.timedelta(weeks=draw(st.integers(3, 5)))
        distance = draw(st.sampled_from(["5k", "10k"]))
        races.append({"name": "B race", "priority": "B", "distance": distance, "date": f"{b_day}"})
    return {
        "kind": "athlete",
        "id": "generated",
        "name": "Generated",
        "timezone": "Europe/London",
        "units": "km",
        "start": MONDAY.isoformat(),
        "races": races,
        "focus": draw(st.sampled_from(["speed", "endurance", "balanced"])),
        "fitness": {
            "recent_race": {"distance": "5km", "time": f"{minutes}:00", "date": "2026-11-15"},
            "weekly_volume": f"{volume}km",
            "long_run": f"{volume * draw(st.floats(0.25, 0.4)):.1f}km",
        },
        "availability": {"days": ["sunday", *others], "long_run_day": "sunday"},
    }


def _easy_s(week: Week) -> list[float]:
    return [w.duration_s for w in week.workouts if w.role == "easy" and w.category == "easy"]


def near_b_race(bp: Blueprint, day: dt.date) -> bool:
    """Whether ``day`` is in a B race's last 7 days or its easy days after it."""
    return any(
        -easy_days_after(bp, race) <= (race.date - day).days <= 7 and race.date != day
        for race in bp.athlete.other_races
        if race.priority == "B"
    )


def _race_week(case: Case, week: Week) -> bool:
    race = case.blueprint.athlete.race
    assert race is not None
    return week.start <= race.date < week.start + dt.timedelta(days=7)


@settings(SETTINGS, max_examples=min(SETTINGS.max_examples, 25))
@given(seasons())
@example(SPEED_HALF)
@example(BEGINNER_5K)
def test_light_days_hold_no_run_above_the_typical_easy_run(profile: dict[str, Any]) -> None:
    """In race week and around a B race, every easy and recovery run is at most the plan's
    typical easy run (the median easy run of the `typical_easy_weeks` before), or a run worth
    lacing shoes for (`run_floor` and its strides) when that is more."""
    case = compile_profile(profile)
    bp = case.blueprint
    rules = bp.program.rules
    weeks = case.plan.weeks
    for k, week in enumerate(weeks):
        before = [s for w in weeks[max(k - rules.typical_easy_weeks, 0) : k] for s in _easy_s(w)]
        if not before:
            continue
        most = max(statistics.median(before), rules.run_floor_s + STRIDES_S) + SLACK_S
        for run in week.workouts:
            if run.role not in ("easy", "recovery", "medium_long"):
                continue
            if _race_week(case, week) or near_b_race(bp, run.date):
                assert run.duration_s <= most, (run.date, run.title, run.duration_s, most)


@settings(SETTINGS, max_examples=min(SETTINGS.max_examples, 25))
@given(seasons())
@example(BEGINNER_5K)
def test_race_week_keeps_a_shakeout_in_its_last_days(profile: dict[str, Any]) -> None:
    """An athlete of 3 or more running days who runs on one of the `shakeout_within` days
    before the race gets a run there (a shakeout), and race week's runs besides the race stay
    within half the peak week (coach_check K2)."""
    case = compile_profile(profile)
    bp = case.blueprint
    race = bp.athlete.race
    assert race is not None
    within = bp.program.rules.shakeout_within
    listed = {WEEKDAYS_ALL.index(d) for d in profile["availability"]["days"]}
    last_days = [race.date - dt.timedelta(days=k) for k in range(1, within + 1)]
    runs = [w for w in case.plan.workouts if w.slot == "run" and w.category != "race"]
    if len(listed) >= 3 and any(d.weekday() in listed for d in last_days):
        assert any(w.date in last_days for w in runs), [(w.date, w.title) for w in runs[-4:]]
    (week,) = [w for w in case.plan.weeks if _race_week(case, w)]
    peak = max(w.planned_m for w in case.plan.weeks)
    besides = sum(w.distance_m for w in week.workouts if w.slot == "run" and w.category != "race")
    assert besides <= 0.5 * peak + 500, (besides, peak)


@settings(SETTINGS, max_examples=min(SETTINGS.max_examples, 25))
@given(seasons())
@example(BEGINNER_5K)
@example(AFTER_B_5K)
def test_a_quality_session_is_no_longer_than_the_last_long_run(profile: dict[str, Any]) -> None:
    """A quality session takes no longer than the athlete's last long run (or race) before
    its week, at easy pace, unless its warm-up and cool-down are already down to
    `quality_warmup_min`: a beginner's hill session is not longer than her long run."""
    case = compile_profile(profile)
    least = case.blueprint.program.rules.quality_warmup_min_s
    easy = case.plan.paces.zones["easy"].mid
    last: float | None = None
    for week in case.plan.weeks:
        for run in week.workouts:
            if run.role != "quality" or last is None:
                continue
            ends = [s for s in run.steps if s.kind in ("warmup", "cooldown")]
            trimmed = all(s.duration_s <= least + 1.0 for s in ends)
            assert run.duration_s <= last + SLACK_S or trimmed, (run.date, run.title, last)
        longs = [w for w in week.workouts if w.role == "long" or w.category == "race"]
        if longs:
            last = longs[-1].distance_m * easy / 1000
