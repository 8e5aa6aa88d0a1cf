"""Review round 18 (ranked defect 5): the long run of the first full week after a break.

The weeks back from a trip hold the long run to shares of the longest before it; the first
full week after them grew it at once back to that longest (10 to 13.3 mi, +33%) with its last
30 minutes steady, beside a race-pace tempo.  Now that week's long run grows at most
`return_from_break.rise` on the last long run, or as the week grows on the last week run when
that is more, and beside a quality session it is the focus's plain long run.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from hypothesis import example, given
from hypothesis import strategies as st
from test_coaching_rules import nominal, with_trip
from test_properties import SETTINGS, Case, compile_profile, profiles

from compiler.model import Week
from compiler.plan.long_run import FEW_DAYS

SLACK_M = 200.0  # a long run is rounded to a tenth of the athlete's unit

# round 18: a 7-day work trip in the build's last weeks; W12 (the second week back) ran a 10 mi
# long run, W13 (the first full week after) 13.3 mi with a steady finish beside a tempo
HALF_ENDURANCE_MI: dict[str, Any] = {
    "kind": "athlete",
    "id": "r18-half-endurance-mi",
    "name": "Marcus Bell",
    "timezone": "America/New_York",
    "units": "mi",
    "start": "2026-12-07",
    "race": {
        "name": "Shamrock Half",
        "program": "half-marathon",
        "date": "2027-03-28",
        "goal": "1:44:00",
    },
    "focus": "endurance",
    "fitness": {
        "recent_race": {"distance": "10km", "time": "48:20", "date": "2026-10-31"},
        "weekly_volume": "25mi",
        "long_run": "9mi",
    },
    "availability": {
        "days": ["monday", "wednesday", "thursday", "saturday", "sunday"],
        "long_run_day": "sunday",
    },
    "away": [{"from": "2027-02-10", "to": "2027-02-16", "note": "work trip to Singapore"}],
    "strength_per_week": 2,
}


def _full_week(case: Case, week: Week) -> float:
    """What ``week`` ran, as a full week of its running days (as return_curve counts it)."""
    athlete = case.blueprint.athlete
    days = [week.start + dt.timedelta(days=i) for i in range(week.days)]
    running = [d for d in days if d.weekday() in athlete.availability.days]
    first = athlete.start
    had = [d for d in running if not athlete.away_on(d) and (first is None or d >= first)]
    return week.planned_m * len(running) / len(had) if had else week.planned_m


def _check_after_break(case: Case) -> None:
    """In each first full week after a break: the long run at most `return_from_break.rise` on
    the last long run run, or the week's own growth on the last week run when that is more
    (never below the athlete's current long run);
    and beside a quality session it is the focus's plain long run.  An athlete of FEW_DAYS
    running days or fewer is left out: the long run holds their week (beyond its limits)."""
    if len(case.blueprint.athlete.availability.days) <= FEW_DAYS:
        return
    rules = case.blueprint.program.rules
    rise = (
        rules.return_rise_injury_prone if case.blueprint.athlete.injury_prone else rules.return_rise
    )
    plain = case.blueprint.focus.defaults.long
    current = case.blueprint.athlete.long_run_m
    plans = {w.index: w for w in nominal(case)}
    weeks = case.plan.weeks
    for k, week in enumerate(weeks):
        if k == 0 or not plans[week.index].after_break:
            continue
        longs = [w for w in week.workouts if w.role == "long"]
        # a small week back's long run may be placed as an easy run: its workout tells it
        before = [
            w.distance_m
            for v in weeks[:k]
            for w in v.workouts
            if w.role == "long" or (w.slot == "run" and w.template == plain)
        ]
        if not longs or not before:
            continue
        last_week = _full_week(case, weeks[k - 1])
        # the week's growth as the engine counts it on the target it shares out, which the
        # week's runs may lower after (then it is read off the week, at most its `jump`)
        growth = max(week.target_m / last_week if last_week else 0.0, 1 + rules.return_jump)
        # never below the athlete's current long run (a building week's floor)
        most = max(before[-1] * max(1 + rise, growth), current) + SLACK_M
        assert longs[0].distance_m <= most, (week.index, longs[0].distance_m, before[-1])
        if plain and any(w.role == "quality" for w in week.workouts):
            assert longs[0].template == plain, (week.index, longs[0].template)


@SETTINGS
@given(profiles(), st.integers(7, 21), st.floats(0.2, 0.6))
@example(HALF_ENDURANCE_MI, 0, 0.0).via("round 18: 13.3 mi steady finish, W13 after a trip")
def test_the_long_run_after_a_break_grows_gently(
    profile: dict[str, Any], length: int, at: float
) -> None:
    """The first full week after a trip of 7 days or more: its long run grows at most
    `return_from_break.rise` on the last long run (or as the week does), and is the plain
    long run beside the week's quality session."""
    if "away" not in profile:
        profile, _from, _to = with_trip(profile, length, at, clear_days=35)
    _check_after_break(compile_profile(profile))


def test_marcus_runs_an_easy_long_run_the_week_after_his_return() -> None:
    """The reviewer's athlete: W13's long run is the plain one, shorter than the 13.3 mi of
    old, beside the race-pace tempo."""
    case = compile_profile(HALF_ENDURANCE_MI)
    # the first full week after the weeks back (W13; W12 since a 7-day trip comes back at 75%)
    after = next(w.index for w in nominal(case) if w.after_break)
    week = next(w for w in case.plan.weeks if w.index == after)
    long_run = next(w for w in week.workouts if w.role == "long")
    assert long_run.template == "long-run", long_run.template
    assert long_run.distance_m < 13.3 * 1609.344 - 100, long_run.distance_m
