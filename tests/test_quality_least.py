"""The quality session's least work against the week's share (review 21, defect 4).

A session short of the least work grows to it when the week holds it: a template's first size
suits the athlete it was written for, and 6 x 400 m at 5K pace is 7.4 min of work for a 15:20
5K runner, so his 5K taper lost its intervals to an easy run ("less than 8 min of work is no
quality session").  Bosquet (2007): a taper cuts the volume and keeps the intensity
(compiler/plan/grow.py's grow_to_least).  And the least work never over-sizes a small week's
threshold session past Daniels' 10% (`quality_limits.threshold_slack`, none): a 15 km week
gets 3 x 3 min at threshold, not 3 x 4 min at 13% of it."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from hypothesis import example, given, settings
from hypothesis import strategies as st
from review_athletes import R21_BEGINNER_5K as BEGINNER_5K
from review_athletes import R21_ELITE_5K as ELITE_5K
from test_properties import SETTINGS, Case, compile_profile, profiles, program_min_weeks

from compiler.model import WEEKDAYS, Step
from compiler.plan.sizing import fast_seconds

TOO_SHORT = re.compile(r"^\S+: ([a-z0-9-]+) replaced by [a-z0-9-]+: less than \d+ min of work")
# a step of a rep's distance (400 m to 600 m) may overshoot the least work by half of it
STEP_OVER = 1.5


@st.composite
def fast_profiles(draw: st.DrawFn) -> dict[str, Any]:
    """An athlete drawn as ``profiles()`` draws one, made a fast runner of a big week racing a
    5K or a 10K: the one whose templates' first sizes are short of the least work."""
    profile = draw(profiles())
    program = draw(st.sampled_from(["5k", "10k"]))
    weeks = draw(st.integers(program_min_weeks()[program], 20))
    start = dt.date.fromisoformat(profile["start"])
    race = start + dt.timedelta(weeks=weeks - 1, days=draw(st.integers(0, 6)))
    profile["race"] = {"program": program, "date": race.isoformat()}
    days = draw(st.lists(st.sampled_from(WEEKDAYS), min_size=4, max_size=7, unique=True))
    profile["availability"] = {"days": days, "long_run_day": draw(st.sampled_from(days))}
    profile.pop("away", None)
    profile["focus"] = draw(st.sampled_from(["speed", "balanced"]))
    seconds = draw(st.integers(14 * 60 + 30, 16 * 60 + 30))
    volume = draw(st.integers(60, 115))
    profile["units"] = "km"
    profile["fitness"] = {
        "recent_race": {"distance": "5km", "time": f"{seconds // 60}:{seconds % 60:02d}"},
        "weekly_volume": f"{volume}km",
        "long_run": f"{volume * 0.22:.1f}km",
    }
    profile.pop("max_weekly_volume", None)
    return profile


def _least_m(case: Case) -> float:
    """The metres at 5K pace that make the program's least work."""
    limits = case.blueprint.program.rules.quality
    five_k = case.plan.paces.zones["5k"].mid  # seconds a kilometre
    return limits.min_work_s / five_k * 1000


@given(fast_profiles())
@example(ELITE_5K)
@SETTINGS
def test_a_short_session_grows_to_the_least_work_the_week_holds(profile: dict[str, Any]) -> None:
    """No session that may grow (a param with `grow_to`) is made easy for being short of
    `min_work` in a week whose interval share holds that work with a step to spare."""
    case = compile_profile(profile)
    limits = case.blueprint.program.rules.quality
    for week in case.plan.weeks:
        if limits.interval * week.planned_m < STEP_OVER * _least_m(case):
            continue
        for note in week.notes:
            match = TOO_SHORT.match(note)
            if match is None:
                continue
            template = case.blueprint.workouts[match.group(1)]
            assert not any(p.grow_to is not None for p in template.params), (week.index, note)


def test_the_elite_5k_taper_keeps_its_intervals() -> None:
    """a6-elite-5k's first taper week (two weeks out) keeps a hard interval session of at least
    8 min at 5K pace (it was an easy run with strides)."""
    case = compile_profile(ELITE_5K)
    least = case.blueprint.program.rules.quality.min_work_s
    (taper,) = [w for w in case.plan.weeks if w.phase == "taper" and w.index == 12]
    hard = [w for w in taper.workouts if w.template == "short-intervals"]
    assert hard and fast_seconds(hard[0]) >= least, taper.notes


THRESHOLD_ZONES = ("threshold", "10k")
SPARE_M = 60.0  # the outputs round each rep to the metre; the week's plan moves a little after


@st.composite
def small_profiles(draw: st.DrawFn) -> dict[str, Any]:
    """An athlete drawn as ``profiles()`` draws one, with a small week (10-22 km): where the
    least work of a threshold session is near the week's 10%."""
    profile = draw(profiles())
    per_unit = 1.609344 if profile["units"] == "mi" else 1.0
    volume = draw(st.integers(10, 22))
    profile["fitness"]["weekly_volume"] = f"{volume / per_unit:.1f}{profile['units']}"
    profile["fitness"]["long_run"] = f"{volume * 0.35 / per_unit:.1f}{profile['units']}"
    profile.pop("max_weekly_volume", None)
    return profile


def _threshold_m(steps: tuple[Step, ...], times: int = 1) -> float:
    total = 0.0
    for step in steps:
        if step.kind == "repeat":
            total += _threshold_m(step.steps, times * step.repeat)
        elif step.zone in THRESHOLD_ZONES and step.kind not in ("recover", "jog"):
            total += times * step.distance_m
    return total


@settings(SETTINGS, max_examples=min(SETTINGS.max_examples, 30))
@given(small_profiles())
@example(BEGINNER_5K)
def test_a_threshold_session_keeps_to_its_share_of_a_small_week(profile: dict[str, Any]) -> None:
    """A quality session runs at most `quality_limits.threshold` of its week at threshold pace:
    the least work never over-sizes it (it is swapped or made easy instead)."""
    case = compile_profile(profile)
    share = case.blueprint.program.rules.quality.threshold
    for week in case.plan.weeks:
        for workout in week.workouts:
            if workout.role != "quality" or workout.category == "race":
                continue
            metres = _threshold_m(workout.steps)
            assert metres <= share * week.planned_m + SPARE_M, (
                week.index,
                workout.title,
                round(metres),
                week.planned_m,
            )
