"""Review round 20: the return from a break for an injury-prone athlete.  The weeks back were
the program's `return_from_break.levels` (50%, 75%), and the second full week back was already
back at the level before the break: 20, 39, then 50 km with a race-pace tempo, a 14.2 km
medium-long run and a 19.2 km long run after a 10-day trip (r20-injury-half).  An injury-prone
athlete's return runs `return_from_break.levels_injury_prone` (bundled 50%, 75%, 85%): the
second full week back is still below the level before, with no medium-long run."""

from __future__ import annotations

import datetime as dt
from typing import Any

from hypothesis import example, given
from hypothesis import strategies as st
from test_coaching_rules import nominal, with_trip
from test_properties import SETTINGS, Case, compile_profile, profiles
from test_return_curve import _returns, _whole

from compiler.model import Week

# the reviewer's athlete (tests pin it as written for the review, its plan starting Monday)
INJURY_HALF: dict[str, Any] = {
    "kind": "athlete",
    "id": "r20-injury-half",
    "name": "Priya Nair",
    "timezone": "Europe/Berlin",
    "units": "km",
    "race": {
        "name": "Spring Half",
        "program": "half-marathon",
        "date": "2027-03-21",
        "goal": "1:52:00",
    },
    "focus": "endurance",
    "start": "2026-12-07",
    "injury_prone": True,
    "max_weekly_volume": "55km",
    "fitness": {
        "recent_race": {"distance": "10km", "time": "51:30", "date": "2026-11-01"},
        "weekly_volume": "45km",
        "long_run": "16km",
    },
    "availability": {
        "days": ["tuesday", "thursday", "saturday", "sunday"],
        "long_run_day": "saturday",
    },
    "away": [{"from": "2027-01-25", "to": "2027-02-03", "note": "work trip, no running"}],
}

HELD_BELOW = 0.9  # of the level before the break: the second full week back stays under it


def _second_whole_week_back(case: Case) -> list[tuple[Week, float]]:
    """For each return from a break, its second whole week from the week with the first days
    back on (a week of the return or the week after it) and the level before the break; none
    when a taper week or another return comes first."""
    plans = {w.index: w for w in nominal(case)}
    weeks = case.plan.weeks
    out: list[tuple[Week, float]] = []
    for first, _last, level in _returns(case):
        whole = [k for k in range(first, len(weeks)) if _whole(case, weeks[k])][:2]
        if len(whole) < 2:
            continue
        stop = range(first + 1, whole[1] + 1)
        if any(plans[weeks[k].index].share_of_peak is not None for k in stop):
            continue
        out.append((weeks[whole[1]], level))
    return out


def _check_second_week(case: Case) -> None:
    """An injury-prone athlete's second whole week back is below the level before the break
    (HELD_BELOW of it, or its long run's own +1 km in a small week) and has no medium-long run."""
    for week, level in _second_whole_week_back(case):
        assert week.planned_m <= max(HELD_BELOW * level, level - 1000) + 300, (
            week.index,
            week.planned_m,
            level,
        )
        roles = {w.role for w in week.workouts}
        assert "medium-long" not in roles, (week.index, sorted(roles))


@st.composite
def injury_prone_with_trip(draw: st.DrawFn) -> dict[str, Any]:
    """An injury-prone athlete drawn by ``profiles()`` with one trip of 7-14 days (a break)
    somewhere in the first half of the runway, at least three weeks before race day."""
    profile = {k: v for k, v in draw(profiles()).items() if k != "away"}
    profile["injury_prone"] = True
    length = draw(st.integers(7, 14))
    at = draw(st.floats(0.15, 0.5))
    profile, _from, _to = with_trip(profile, length, at, clear_days=35)
    return profile


@SETTINGS
@given(injury_prone_with_trip())
@example(INJURY_HALF).via("review 20: 20, 39, then 50 km after a 10-day trip")
@example(
    {
        **INJURY_HALF,
        "id": "generated",
        "race": {"program": "marathon", "date": "2027-01-25"},
        "start": "2026-11-30",
        "fitness": {
            "recent_race": {"distance": "5km", "time": "0:23:08"},
            "weekly_volume": "77km",
            "long_run": "19.2km",
        },
        "max_weekly_volume": "120km",
        "availability": {
            "days": ["monday", "tuesday", "wednesday", "thursday", "friday"],
            "long_run_day": "monday",
        },
        "away": [{"from": "2026-12-14", "to": "2026-12-20"}],
    }
).via("a marathon's scheduled medium-long run in its third week back")
def test_injury_prone_second_week_back_is_held(profile: dict[str, Any]) -> None:
    """The second whole week back from a break of an injury-prone athlete is not back at the
    level before it yet, and has no medium-long run."""
    _check_second_week(compile_profile(profile))


def test_injury_half_is_held_back() -> None:
    """The reviewer's athlete: W11 (the second full week back) at about 44 km, not 50 km: no
    medium-long run, no race-pace tempo, a long run of about 17 km, not 19.2 km."""
    case = compile_profile(INJURY_HALF)
    week = next(w for w in case.plan.weeks if w.start == dt.date(2027, 2, 15))
    assert week.planned_m <= 46_000, week.planned_m
    long_runs = [w.distance_m for w in week.workouts if w.role == "long"]
    assert long_runs and max(long_runs) <= 18_000, long_runs
    assert all(w.role != "medium-long" for w in week.workouts)
    assert not any("race-pace" in w.template for w in week.workouts)
