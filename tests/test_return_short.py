"""Review round 21 (issue 11): the weeks around breaks and B races.

- a2-masters-10k came back from a 7-day trip to a week at 50% (cut by its days away), then a week
  at 75% labelled a cutback: two soft weeks where a week away was the rest.  A break of at most
  `return_from_break.short_break_days` (bundled 10) comes back at `levels_short_break` (bundled
  [75%]) for an athlete who is not injury-prone, and no cutback falls in the week after the one
  it ends in, nor in the week after that (the cutback cycle starts again after the break).
- A week back's light session came on the third day back, after one run; no session comes on
  the first `return_from_break.light_after_days` (bundled 4) days back.
- The marathon's stand-in for fast work before the taper (`fast_work_instead`, a marathon-pace
  tempo) came in the first full week after the weeks back; no race-pace session there.
- a3-season-half's week after its B 10K's light week was a cutback: the B race's week is the
  cycle's cutback, and the cycle starts again after it.
"""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

from hypothesis import example, given, settings
from hypothesis import strategies as st
from review_athletes import R21_MASTERS_10K as MASTERS_10K
from review_athletes import R21_SEASON_HALF as SEASON_HALF
from test_coaching_rules import nominal, with_trip
from test_properties import SETTINGS, Case, compile_profile, profiles, season_profiles
from test_return_easy_week import RACE_PACES, _hard, _zones

from compiler.plan.periodize import breaks
from compiler.vocabulary import RacePriority

# the same athlete back on a Sunday, the last day of a plan week: the old code put the light
# fartlek on the Tuesday after, the third day back
BACK_ON_SUNDAY: dict[str, Any] = {
    **MASTERS_10K,
    "id": "generated",
    "away": [{"from": "2027-01-23", "to": "2027-01-30"}],
}


# a long marathon runway with the speed focus (hills in place of fast work before the taper
# became the marathon-pace tempo), back from a 7-day trip in mid-April
SPEED_MARATHON: dict[str, Any] = {
    "kind": "athlete",
    "id": "generated",
    "name": "Speed Marathon",
    "timezone": "America/New_York",
    "units": "mi",
    "race": {"name": "Marathon", "program": "marathon", "date": "2027-06-19", "goal": "3:05:00"},
    "focus": "speed",
    "start": "2026-12-07",
    "age": 31,
    "fitness": {
        "recent_race": {"distance": "half", "time": "1:28:30", "date": "2026-11-08"},
        "weekly_volume": "42mi",
        "long_run": "14mi",
    },
    "max_weekly_volume": "65mi",
    "availability": {
        "days": ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday"],
        "long_run_day": "saturday",
    },
    "away": [{"from": "2027-04-14", "to": "2027-04-21"}],
}


def _backs(case: Case) -> list[tuple[dt.date, int]]:
    """Each break's first day back and its length in days without running."""
    spans = breaks(case.blueprint.athlete)
    return [(last + dt.timedelta(days=1), (last - first).days + 1) for first, last in spans]


def _check_weeks_back(case: Case) -> None:
    """No hard session on the first `light_after_days` days back; no race-pace session in a
    building week back nor the first full week after them; after a short break (not
    injury-prone), no cutback in the two weeks after the week the break ends in."""
    rules = case.blueprint.program.rules
    plans = {w.index: w for w in nominal(case)}
    injury = case.blueprint.athlete.injury_prone
    for back, length in _backs(case):
        for week in case.plan.weeks:
            soon = [
                w.title
                for w in week.workouts
                if _hard(w) and 0 <= (w.date - back).days < rules.return_light_after_days
            ]
            assert not soon, (week.index, back, soon)
        ends = next((i for i, p in plans.items() if p.start <= back < p.start + dt.timedelta(7)))
        if not injury and length <= rules.return_short_break_days:
            after = [plans[i] for i in (ends + 1, ends + 2) if i in plans]
            cut = [p.index for p in after if p.cutback and p.phase in ("base", "build")]
            assert not cut, (back, length, cut)
    for week in case.plan.weeks:
        plan = plans[week.index]
        if (plan.returning or plan.after_break) and plan.share_of_peak is None:
            paced = [w.title for w in week.workouts if _hard(w) and _zones(w.steps) & RACE_PACES]
            assert not paced, (week.index, paced)


@st.composite
def with_a_short_break(draw: st.DrawFn) -> dict[str, Any]:
    """Any athlete drawn by ``profiles()`` with one trip of 7-10 days anywhere from a sixth of
    the runway on, ending at least five weeks before race day."""
    profile = {k: v for k, v in draw(profiles()).items() if k != "away"}
    length = draw(st.integers(7, 10))
    at = draw(st.floats(0.15, 0.8))
    profile, _from, _to = with_trip(profile, length, at, clear_days=35)
    return profile


@settings(SETTINGS, max_examples=min(SETTINGS.max_examples, 30))
@given(with_a_short_break())
@example(MASTERS_10K).via("review 21: 8.7 mi, then 21.6 mi as a cutback after a 7-day trip")
@example(BACK_ON_SUNDAY).via("a light fartlek on the third day back, after one run")
@example(SPEED_MARATHON).via("a marathon-pace tempo in the first full week after the weeks back")
def test_the_weeks_after_a_short_break(profile: dict[str, Any]) -> None:
    """The weeks around a break keep its rules (_check_weeks_back)."""
    _check_weeks_back(compile_profile(profile))


def test_masters_10k_second_week_back_is_full_and_no_cutback() -> None:
    """The reviewer's athlete: W10 (from Mon 2027-02-08) is no cutback and near the level
    before the trip (the reviewer: about 26 mi), no longer 75% of it."""
    case = compile_profile(MASTERS_10K)
    plans = {w.start: w for w in nominal(case)}
    before, w10 = plans[dt.date(2027, 1, 18)], plans[dt.date(2027, 2, 8)]
    assert not w10.cutback, w10.rule
    week = next(w for w in case.plan.weeks if w.start == dt.date(2027, 2, 8))
    assert week.planned_m >= 0.8 * before.target_m, (week.planned_m, before.target_m)


def _check_b_race_week_rests(case: Case) -> None:
    """No cutback in the week right after a week that holds a B race (before the taper)."""
    races = [r.date for r in case.blueprint.athlete.other_races if r.priority == RacePriority.B]
    weeks = nominal(case)
    for week, after in itertools.pairwise(weeks):
        held = any(week.start <= day < week.start + dt.timedelta(week.days) for day in races)
        if held and after.phase in ("base", "build"):
            assert not after.cutback, (after.index, after.rule)


@settings(SETTINGS, max_examples=min(SETTINGS.max_examples, 30))
@given(season_profiles())
@example(SEASON_HALF).via("review 21: a cutback right after the B 10K's light week")
def test_a_b_race_week_is_the_cycle_s_cutback(profile: dict[str, Any]) -> None:
    """The B race's light week is the rest: the week after it is no cutback."""
    _check_b_race_week_rests(compile_profile(profile))
