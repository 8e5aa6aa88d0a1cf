"""Issue 11 (coach findings): the return after time away (`away:` spans).  After a break the
weeks back are shares of the level before it; the weeks after them climb back to that level at
most `return_from_break.rise` a week over the last week run (per running day), then the plan
ramps on, so the biggest pre-taper week comes after the trip, not before it (a 12-day trip left
Priya's plan creeping up at +7% a week from the return's 75%, never again at the 38 km of week
4: coach_check K4)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from hypothesis import example, given
from hypothesis import strategies as st
from test_coaching_rules import nominal, with_trip
from test_properties import SETTINGS, Case, compile_profile, profiles

from compiler.model import Week

PRIYA: dict[str, Any] = {
    "kind": "athlete",
    "id": "r4-trip-midweek",
    "name": "Priya Nair",
    "timezone": "Asia/Kolkata",
    "units": "km",
    "race": {"name": "City 10K", "program": "10k", "date": "2027-03-14"},
    "focus": "balanced",
    "start": "2026-12-07",
    "fitness": {
        "recent_race": {"distance": "10km", "time": "52:00", "date": "2026-11-08"},
        "weekly_volume": "30km",
        "long_run": "11km",
    },
    "availability": {
        "days": ["monday", "wednesday", "thursday", "saturday", "sunday"],
        "long_run_day": "sunday",
    },
    "away": [{"from": "2027-01-09", "to": "2027-01-20", "note": "work trip"}],
}


def _per_running_day(case: Case, week: Week) -> float:
    """What ``week`` ran, as a full week of its running days (days away left out)."""
    athlete = case.blueprint.athlete
    days = [week.start + dt.timedelta(days=i) for i in range(week.days)]
    running = [d for d in days if d.weekday() in athlete.availability.days]
    had = [d for d in running if not athlete.away_on(d)]
    return week.planned_m * len(running) / len(had) if had else week.planned_m


def _check_return(case: Case, climb: bool = True) -> None:
    """(b) and (c) of the way back from a break (see the module).  (b), ``climb``, does not hold
    yet: a week back at the level after a cutback or the first full week after the weeks back
    still jumps more than `rise` over the last week run (a cap on the jump is still to do)."""
    rules = case.blueprint.program.rules
    injury = case.profile.get("injury_prone", False)
    rise = rules.return_rise_injury_prone if injury else rules.return_rise
    weeks = list(case.plan.weeks)
    plans = {w.index: w for w in nominal(case)}
    back = [i for i, w in enumerate(weeks) if plans[w.index].returning]
    if not back:
        return
    first, last = back[0], back[-1]
    before = [w.planned_m for w in weeks[max(0, first - 6) : first] if w.planned_m > 0]
    level = max(before, default=case.blueprint.athlete.weekly_volume_m)
    # (c) the weeks back follow the curve: the program's levels in order, each at most its
    # share of the level before the break (a partial week less)
    shares = [plans[weeks[i].index].return_share for i in back]
    assert shares == list(rules.return_levels[: len(back)]), shares
    for i in back:
        share = plans[weeks[i].index].return_share
        assert share is not None
        assert weeks[i].planned_m <= share * level + 1000, (weeks[i].index, weeks[i].planned_m)
    # (b) the weeks after them climb back at most `rise` over the last week run (per running
    # day), or the ramp's +1 km in a small week, until they are back at the level
    for prev, week in zip(weeks[last:], weeks[last + 1 :] if climb else [], strict=False):
        plan = plans[week.index]
        if plan.share_of_peak is not None or plan.returning:
            break
        ref = _per_running_day(case, prev)
        if plan.after_break:  # held to the level before by its own rule (left open: a jump)
            continue
        assert week.planned_m <= max((1 + rise) * ref, ref + 1000) + 300, (week.index, ref)
        if week.planned_m >= 0.97 * level:
            break


def _check_peak_late(case: Case, away_to: dt.date) -> None:
    """(a) with the trip over at least 12 weeks before race day, the biggest pre-taper week
    comes after the trip (within 0.3 km), not before it."""
    race = dt.date.fromisoformat(case.profile["race"]["date"])
    if (race - away_to).days < 84:
        return
    building = [w for w in case.plan.weeks if w.phase in ("base", "build")]
    before = [w.planned_m for w in building if w.start + dt.timedelta(days=6) < away_to]
    after = [w.planned_m for w in building if w.start > away_to]
    if before and after:
        assert max(after) >= max(before) - 300, (max(before), max(after))


@pytest.mark.xfail(reason="WIP: (c) misreads two returns in a row and the level; (b) open")
@SETTINGS
@given(profiles(), st.integers(4, 28), st.floats(0.1, 0.5))
@example({**PRIYA, "injury_prone": False}, 12, 0.0).via("issue 11: Priya's 12-day trip")
def test_the_way_back_from_a_trip(profile: dict[str, Any], length: int, at: float) -> None:
    """(a) the biggest pre-taper week comes after a trip that ends 12 weeks or more before
    race day; (b) no week after the weeks back rises more than `return_from_break.rise` over
    the last week run (per running day) on its way back to the level before; (c) the weeks
    back are the program's `return_from_break.levels` of that level."""
    if "away" in profile:  # the regression example: Priya's own trip
        away_to = dt.date.fromisoformat(profile["away"][0]["to"])
    else:
        profile, _away_from, away_to = with_trip(profile, length, at, clear_days=21)
    case = compile_profile(profile)
    _check_return(case, climb=False)  # (b) left open: see _check_return
    _check_peak_late(case, away_to)
