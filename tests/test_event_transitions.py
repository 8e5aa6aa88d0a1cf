"""Transitions around trips and race day (review round 21, defect 5), as properties over
generated athletes:

- a week the athlete's days away cut holds no easy or recovery run longer than the plan's
  typical easy run (the median easy run of the `typical_easy_weeks` before, or `run_floor` and
  its strides): what its days cannot hold at that size is left out, not poured into the run
  before the trip (a 7.1 mi, 70 min easy run the day before a 7-day trip);
- race week's easy and recovery runs besides the race are at most `race_week_run_share` of
  their size in the weeks before (the typical easy run; `recovery_run_max` for a recovery run
  when less): not a peak-sized 7.8 km recovery run on race week's Monday;
- no fast work (intervals, VO2max, hills) in the `b_fast_after` days after a B race of
  `b_fast_after_from` or longer: not VO2max intervals 4 days after a B 10K.

The reviewer's athletes (a2-masters-10k, a3-season-half) are pinned as examples."""

from __future__ import annotations

import datetime as dt
import statistics
from typing import Any

from hypothesis import assume, example, given, settings
from hypothesis import strategies as st
from review_athletes import R21_MASTERS_10K as MASTERS_TRIP_10K
from review_athletes import R21_SEASON_HALF as SEASON_HALF
from test_properties import SETTINGS, Case, compile_profile
from test_typical_easy import MONDAY, SLACK_S, STRIDES_S, seasons

from compiler.model import Week


@st.composite
def travellers(draw: st.DrawFn) -> dict[str, Any]:
    """A season (test_typical_easy.seasons) with a trip of 3-9 days after the first weeks,
    clear of the race days."""
    profile = draw(seasons())
    a_day = dt.date.fromisoformat(profile["races"][0]["date"])
    weeks = (a_day - MONDAY).days // 7 + 1
    start = MONDAY + dt.timedelta(days=draw(st.integers(14, 7 * (weeks - 4))))
    end = start + dt.timedelta(days=draw(st.integers(2, 8)))
    race_days = [dt.date.fromisoformat(r["date"]) for r in profile["races"]]
    assume(not any(start - dt.timedelta(days=3) <= d <= end for d in race_days))
    return {**profile, "away": [{"from": start.isoformat(), "to": end.isoformat()}]}


def _easy_s(week: Week) -> list[float]:
    return [w.duration_s for w in week.workouts if w.role == "easy" and w.category == "easy"]


def _typical_before(case: Case, k: int) -> float | None:
    weeks = case.plan.weeks
    before = weeks[max(k - case.blueprint.program.rules.typical_easy_weeks, 0) : k]
    runs = [s for w in before for s in _easy_s(w)]
    return statistics.median(runs) if runs else None


def _race_week(case: Case, week: Week) -> bool:
    race = case.blueprint.athlete.race
    assert race is not None
    return week.start <= race.date < week.start + dt.timedelta(days=7)


@settings(SETTINGS, max_examples=min(SETTINGS.max_examples, 25))
@given(travellers())
@example(MASTERS_TRIP_10K)
def test_a_week_cut_by_days_away_holds_no_run_above_the_typical_easy_run(
    profile: dict[str, Any],
) -> None:
    """A week with days away: every easy and recovery run (the long-run day's stand-in for the
    long run aside) is at most the plan's typical easy run, or `run_floor` and its strides when
    that is more: the run before a trip does not take the week's leftover volume."""
    case = compile_profile(profile)
    athlete, rules = case.blueprint.athlete, case.blueprint.program.rules
    for k, week in enumerate(case.plan.weeks):
        typical = _typical_before(case, k)
        if typical is None or not athlete.days_away(week.start, 7):
            continue
        most = max(typical, rules.run_floor_s + STRIDES_S) + SLACK_S
        for run in week.workouts:
            # the long-run day holds the long run or its easy stand-in: the long run's rules
            long_day = run.date.weekday() == athlete.availability.long_run_day
            if run.role in ("easy", "recovery", "medium_long") and not long_day:
                assert run.duration_s <= most, (run.date, run.title, run.duration_s, most)


@settings(SETTINGS, max_examples=min(SETTINGS.max_examples, 25))
@given(seasons())
@example(SEASON_HALF)
def test_race_week_runs_are_a_share_of_their_size_before(profile: dict[str, Any]) -> None:
    """Race week's easy and recovery runs besides the race are at most `race_week_run_share`
    of the typical easy run before (a recovery run: of `recovery_run_max` when less), or
    `run_floor` and its strides when that is more."""
    case = compile_profile(profile)
    rules = case.blueprint.program.rules
    for k, week in enumerate(case.plan.weeks):
        typical = _typical_before(case, k)
        if typical is None or not _race_week(case, week):
            continue
        for run in week.workouts:
            if run.role not in ("easy", "recovery") or run.category == "race":
                continue
            size = min(typical, rules.recovery_run_max_s) if run.role == "recovery" else typical
            most = max(size * rules.race_week_run_share, rules.run_floor_s + STRIDES_S)
            assert run.duration_s <= most + SLACK_S, (run.date, run.title, run.duration_s, most)


FAST = ("intervals", "vo2max", "hills")


@st.composite
def b_racers(draw: st.DrawFn) -> dict[str, Any]:
    """A season (test_typical_easy.seasons) of 4-6 running days, Tuesday and Thursday among
    them, with a B 10K on a Sunday 3-5 weeks before the A race."""
    profile = draw(seasons())
    a_day = dt.date.fromisoformat(profile["races"][0]["date"])
    b_day = a_day - dt.timedelta(weeks=draw(st.integers(3, 5)))
    b_race = {"name": "B race", "priority": "B", "distance": "10k", "date": b_day.isoformat()}
    days = sorted({*profile["availability"]["days"], "tuesday", "thursday"})
    volume = draw(st.integers(30, 70))
    fitness = {
        **profile["fitness"],
        "weekly_volume": f"{volume}km",
        "long_run": f"{volume / 3:.1f}km",
    }
    return {
        **profile,
        "races": [profile["races"][0], b_race],
        "fitness": fitness,
        "availability": {"days": days, "long_run_day": "sunday"},
    }


@settings(SETTINGS, max_examples=min(SETTINGS.max_examples, 25))
@given(b_racers())
@example(SEASON_HALF)
def test_no_fast_work_in_the_days_after_a_b_race(profile: dict[str, Any]) -> None:
    """No quality session of fast work in the `b_fast_after` days after a B race of
    `b_fast_after_from` or longer: the first quality after it is threshold or tempo work, or
    fast work from the day after those days."""
    case = compile_profile(profile)
    bp = case.blueprint
    minor = bp.program.rules.minor
    for race in bp.athlete.other_races:
        if race.priority != "B" or race.distance_m < minor.b_fast_after_from_m:
            continue
        for run in case.plan.workouts:
            if run.role == "quality" and run.category in FAST:
                days = (run.date - race.date).days
                assert not 0 < days <= minor.b_fast_after, (race.date, run.date, run.title)
