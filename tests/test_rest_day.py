"""Review round 21 (ranked defect 3): volume fitting dropped the target instead of using the
athlete's listed days.

A 105 km 5K runner listing all seven days ran 84 km in week 1 ("6 runs of a sensible size hold
no more"), never ran on Saturday (the rest day before the long run) and peaked at 100 km, below
what he ran before the plan.  Now a week whose runs on its other days, each of a sensible size
(one of them the medium-long run), cannot hold its volume runs a short recovery run on its rest
day before its target is cut, as the building phases' `rest_days_when_short` (0) allows; a
cutback, taper or recovery week keeps its rest day.

The same review's B 10K week (5 listed days, all used: the race, a sharpener, a shakeout and
two short runs) was cut from 60 km to 37 km with the note "4 runs of a sensible size hold no
more": the B race's mini-taper keeps those runs short, and the note now says so.

The coach's numbers are written here as the coach gave them, not read from the templates.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from hypothesis import example, given
from hypothesis import strategies as st
from review_athletes import R21_ELITE_5K as ELITE_5K
from review_athletes import R21_SEASON_HALF as SEASON_HALF
from test_coaching_rules import nominal, runs
from test_listed_days import _full
from test_properties import SETTINGS, Case, compile_profile, profiles, season_profiles

from compiler.model import WEEKDAYS, Week
from compiler.plan.minor_races import near_b_race

HELD = 0.95  # of the current volume: what a full building week reaches, or it uses every day
FIRST_WEEKS = 2  # the plan's first weeks may start a little below (first_increase, W1's cut)
SLACK_S = 60.0  # a minute for rounding to half units


@st.composite
def high_volume_profiles(draw: st.DrawFn) -> dict[str, Any]:
    """A generated athlete on 6 or 7 listed days (7 more often) who runs 70-130 km a week,
    with no days away and a volume cap, when any, at or above it."""
    profile = draw(profiles())
    days = list(WEEKDAYS)
    if draw(st.sampled_from([6, 7, 7])) == 6:
        days.remove(draw(st.sampled_from(WEEKDAYS)))
    km = draw(st.integers(70, 130))
    per_unit = 1.609344 if profile["units"] == "mi" else 1.0
    unit = profile["units"]
    fitness = {
        **profile["fitness"],
        "weekly_volume": f"{km / per_unit:.1f}{unit}",
        "long_run": f"{km * draw(st.floats(0.18, 0.3)) / per_unit:.1f}{unit}",
    }
    profile.pop("away", None)
    profile.pop("max_weekly_volume", None)
    if draw(st.booleans()):
        profile["max_weekly_volume"] = f"{km * draw(st.floats(1.0, 1.4)) / per_unit:.1f}{unit}"
    availability = {"days": days, "long_run_day": draw(st.sampled_from(days))}
    return {**profile, "fitness": fitness, "availability": availability}


def _free_listed(case: Case, week: Week) -> list[dt.date]:
    """The week's listed days (on or after the athlete's start) with no run."""
    athlete = case.blueprint.athlete
    start = athlete.start or week.start
    ran = {w.date for w in week.workouts if w.slot in ("run", "race")}
    dates = [week.start + dt.timedelta(days=k) for k in range(week.days)]
    return [
        d for d in dates if d >= start and d.weekday() in athlete.availability.days and d not in ran
    ]


def _check_rest_day(case: Case) -> None:
    """Every full building week after the first FIRST_WEEKS, not a cutback, whose target the
    caps let reach the current volume, runs HELD of it or uses every listed day; a run on a
    rest day is a recovery run of at most `recovery_run_max`."""
    current = case.blueprint.athlete.weekly_volume_m
    plans = {w.index: w for w in nominal(case)}
    most_s = case.blueprint.program.rules.recovery_run_max_s + SLACK_S
    for week in case.plan.weeks:
        plan = plans[week.index]
        rest_runs = [n.split(":")[0] for n in week.notes if "added on the rest day" in n]
        for w in runs(week.workouts):
            if w.date.isoformat() in rest_runs:
                assert w.role == "recovery" and w.duration_s <= most_s, (week.index, w.title)
        if not _full(case, plan, week) or plan.cutback or week.index <= FIRST_WEEKS:
            continue
        if plan.target_m < HELD * current:
            continue  # the caps hold the plan below what the athlete runs now
        ran = sum(w.distance_m for w in runs(week.workouts))
        assert ran >= HELD * current or not _free_listed(case, week), (
            week.index,
            round(ran),
            round(current),
            [d.isoformat() for d in _free_listed(case, week)],
            week.notes,
        )


@SETTINGS
@given(high_volume_profiles())
@example(ELITE_5K).via("review round 21: 84 km of 105 on six of seven days, Saturday empty")
def test_full_weeks_reach_the_current_volume_or_use_every_day(profile: dict[str, Any]) -> None:
    """A high-volume athlete's building weeks reach the volume they run now, or every listed
    day runs (the rest day gives way to a short recovery run)."""
    _check_rest_day(compile_profile(profile))


def test_the_elite_5k_runner_runs_saturday_and_his_volume() -> None:
    """The reviewer's athlete: a short recovery run on Saturday in every base and build week
    but the cutbacks, and the plan's peak at least the 105 km he runs now."""
    case = compile_profile(ELITE_5K)
    plans = {w.index: w for w in nominal(case)}
    for week in case.plan.weeks:
        if week.phase not in ("base", "build") or plans[week.index].cutback:
            continue
        saturdays = [w for w in runs(week.workouts) if w.date.weekday() == 5]
        assert saturdays and saturdays[0].role == "recovery", (week.index, week.notes)
    peak = max(sum(w.distance_m for w in runs(week.workouts)) for week in case.plan.weeks)
    assert peak >= 104_500.0  # 105 km, to half a kilometre of rounding


def _check_b_week_notes(case: Case) -> None:
    """A week cut below its target while its easy or recovery runs are in a B race's short
    days (near_b_race) names the B race as the reason, not a lack of runs."""
    for week in case.plan.weeks:
        near = [
            w
            for w in runs(week.workouts)
            if w.role in ("easy", "recovery") and near_b_race(case.blueprint, w.date)
        ]
        lowered = [n for n in week.notes if n.startswith("target lowered")]
        if near and lowered:
            assert all("the B race keeps" in n for n in lowered), (week.index, lowered)


@SETTINGS
@given(season_profiles())
@example(SEASON_HALF).via("review round 21: a B 10K week cut to 37 km, '4 runs ... hold no more'")
def test_a_b_week_cut_says_the_b_race_keeps_its_runs_short(profile: dict[str, Any]) -> None:
    """The note of a B race's week that holds less than its target gives the race's short
    days as the reason."""
    _check_b_week_notes(compile_profile(profile))
