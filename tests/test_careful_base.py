"""An injury-prone runner with a recent race gets light sessions in a short base (round 18, 4).

Round 18's r18-masters-10k-short (63, injury-prone, an 8-week runway, a 10K 7 weeks before) ran
W1-W4 on strides only: half the plan, and two quality sessions before the taper.  The base
phase's `quality_every_raced_careful` (2) gives an injury-prone athlete who raced in the last 12
weeks, in a base of at most `quality_raced_careful_base_weeks` (6) weeks, the raced athlete's
light session every other week (weeks 2, 4, ...), never in a cutback week, one at most.
"""

from __future__ import annotations

import datetime as dt
from itertools import pairwise
from typing import Any

from hypothesis import assume, example, given
from hypothesis import strategies as st
from test_properties import SETTINGS, TODAY, Case, compile_profile, profiles, program_min_weeks

from compiler.plan.periodize import periodize
from compiler.plan.quality_choice import fast_work_stops

# the bundled foci's base quality: the fartlek and hills in turn (round 22)
LIGHT = frozenset({"light-fartlek", "light-hills"})
SHORT_BASE = 6  # the bundled base's quality_raced_careful_base_weeks

# review round 18 (built with --today 2026-12-06: the plan starts on Monday 2026-12-07)
MASTERS_10K_SHORT: dict[str, Any] = {
    "kind": "athlete",
    "id": "r18-masters-10k-short",
    "name": "Ingrid Solberg",
    "timezone": "Europe/Oslo",
    "units": "km",
    "start": "2026-12-07",
    "race": {"name": "Vinterløpet 10K", "program": "10k", "date": "2027-01-31"},
    "focus": "balanced",
    "age": 63,
    "injury_prone": True,
    "fitness": {
        "recent_race": {"distance": "10km", "time": "52:10", "date": "2026-10-18"},
        "weekly_volume": "28km",
        "long_run": "11km",
    },
    "availability": {
        "days": ["tuesday", "thursday", "saturday", "sunday"],
        "long_run_day": "sunday",
    },
    "strength_per_week": 2,
}


def _careful(profile: dict[str, Any], runway: int, raced: int, volume_km: int) -> dict[str, Any]:
    """``profile`` made injury-prone, ``raced`` days after a race, ``volume_km`` a week (no cap
    below it), racing ``runway`` weeks from its start, on Tue, Thu and Sun at least (the long run
    on Sunday), no trips."""
    start = dt.date.fromisoformat(profile["start"])
    runway = max(runway, program_min_weeks()[profile["race"]["program"]])
    per_unit = 1.609344 if profile["units"] == "mi" else 1.0
    fitness = profile["fitness"]
    return {
        **{k: v for k, v in profile.items() if k != "max_weekly_volume"},
        "race": {
            **profile["race"],
            "date": (start + dt.timedelta(weeks=runway - 1, days=6)).isoformat(),
        },
        "away": [],
        "injury_prone": True,
        "fitness": {
            **fitness,
            "recent_race": {
                **fitness["recent_race"],
                "date": (start - dt.timedelta(days=raced)).isoformat(),
            },
            "weekly_volume": f"{volume_km / per_unit:.1f}{profile['units']}",
            "long_run": f"{0.3 * volume_km / per_unit:.1f}{profile['units']}",
        },
        "availability": {
            **profile["availability"],
            "days": sorted(
                set(profile["availability"]["days"]) | {"tuesday", "thursday", "sunday"}
            ),
            # Thursday is a masters athlete's hard days apart (3) from the long run
            "long_run_day": "sunday",
        },
    }


def _light(case: Case, week_index: int) -> int:
    (week,) = [w for w in case.plan.weeks if w.index == week_index]
    return sum(w.template in LIGHT for w in week.workouts)


@SETTINGS
# raced a week or more before the start and within 12 weeks; 30 km a week or more (a smaller
# week makes the fartlek easy strides: the interval share of a base week)
@given(profiles(), st.integers(7, 77), st.integers(30, 90), st.integers(7, 12))
@example(MASTERS_10K_SHORT, 50, 28, 8)
def test_an_injury_prone_runner_who_raced_gets_light_sessions_in_a_short_base(
    profile: dict[str, Any], raced: int, volume_km: int, runway: int
) -> None:
    """A base of 2 to 6 weeks with two non-cutback weeks after its first holds the light
    session, never in a cutback week, never two weeks running, one a week at most, and no other
    hard session; before round 18 an injury-prone athlete's base held none."""
    if profile["id"] == MASTERS_10K_SHORT["id"]:
        case = compile_profile(profile)
    else:
        case = compile_profile(_careful(profile, runway, raced, volume_km))
    base = [week for week in case.plan.weeks if week.phase == "base"]
    late = fast_work_stops(case.blueprint, periodize(case.blueprint, TODAY)[0])
    open_weeks = [w for w in base[1:] if not w.cutback and w.index not in late]
    assume(2 <= len(base) <= SHORT_BASE and len(open_weeks) >= 2)
    with_light = [week.index for week in base if _light(case, week.index)]
    assert with_light, [(week.index, [w.template for w in week.workouts]) for week in base]
    for week in base:
        hard = [w.template for w in week.workouts if w.intensity == "hard"]
        assert len(hard) <= 1 and set(hard) <= LIGHT, (week.index, hard)
        assert not (week.cutback and hard), week.index
    assert all(b - a >= 2 for a, b in pairwise(with_light)), with_light


def test_the_masters_10k_gets_light_sessions_in_w2_and_w4() -> None:
    """Round 18: W1-W4 strides only; the reviewer asked for a light fartlek on W2 and W4 Thu
    (W3 is her cutback)."""
    case = compile_profile(MASTERS_10K_SHORT)
    base = [week for week in case.plan.weeks if week.phase == "base"]
    assert [w.index for w in base] == [1, 2, 3, 4]
    assert [_light(case, i) for i in (1, 2, 3, 4)] == [0, 1, 0, 1]
