"""Review round 20: the start of a plan rose twice in a row by the base's full +10%: 60, 66,
72.5 km, +21% in two weeks (r20-speed-half; Daniels: hold each step 3-4 weeks).  The phase's
`first_increase` (bundled base and build: 5%) holds the plan's first rise from the athlete's
current volume, so the first two rises together stay near +15%."""

from __future__ import annotations

import datetime as dt
from typing import Any

from hypothesis import example, given
from hypothesis import strategies as st
from review_athletes import R20_SPEED_HALF as SPEED_HALF
from test_coaching_rules import nominal
from test_properties import SETTINGS, Case, compile_profile, profiles

TOLERANCE_M = 500.0  # a week's runs land within this of its target


def _check_first_rises(case: Case) -> None:
    """The plan's first rise from the athlete's current volume is at most the phase's
    `first_increase` (or its +1 km in a small week), and its first two rises together at most
    that and one full `max_increase` step: never twice in a row by the full step."""
    weeks = case.plan.weeks[:3]
    plans = {w.index: w for w in nominal(case)}
    if len(weeks) < 3 or any(plans[w.index].cutback for w in weeks):
        return
    if str(weeks[0].start) != case.profile["start"] or weeks[0].days != 7:
        return  # a first week cut short by the start or joined to the next
    if any(plans[w.index].share_of_peak is not None for w in weeks):
        return
    bp = case.blueprint
    phase = next(p for p in bp.program.phases if p.phase == plans[weeks[1].index].phase)
    rule = bp.volume_rule(phase)
    injury = bp.athlete.injury_prone
    start = weeks[0].planned_m
    first = max(start * rule.increase(injury, first=True), rule.min_increase_m)
    assert weeks[1].planned_m <= start + first + TOLERANCE_M, (start, weeks[1].planned_m)
    both = first + max((start + first) * rule.increase(injury), rule.min_increase_m)
    assert weeks[2].planned_m <= start + both + TOLERANCE_M, (start, weeks[2].planned_m)


@st.composite
def starting_athletes(draw: st.DrawFn) -> dict[str, Any]:
    """An athlete drawn by ``profiles()``, not injury-prone, running 40-90 km a week now on six
    days, for a 10K or a half 10-13 weeks away, with no cap near it and no trip: a plan free to
    ramp from its first week."""
    drop = ("away", "age", "max_weekly_volume")
    profile = {k: v for k, v in draw(profiles()).items() if k not in drop}
    volume = draw(st.integers(40, 90))
    profile["units"] = "km"
    profile["injury_prone"] = False
    profile["fitness"] = {
        **profile["fitness"],
        "weekly_volume": f"{volume}km",
        "long_run": f"{volume * draw(st.floats(0.22, 0.35)):.1f}km",
    }
    # six running days and a runway of 10-13 weeks: room to ramp, and a peak the ramp's spread
    # does not hold back from the first weeks
    days = ["monday", "tuesday", "wednesday", "thursday", "saturday", "sunday"]
    profile["availability"] = {"days": days, "long_run_day": "sunday"}
    start = dt.date.fromisoformat(profile["start"])
    weeks = draw(st.integers(10, 13))
    program = draw(st.sampled_from(["10k", "half-marathon"]))
    race = start + dt.timedelta(weeks=weeks - 1, days=6)
    profile["race"] = {"program": program, "date": race.isoformat()}
    if draw(st.booleans()):
        profile["max_weekly_volume"] = f"{volume * draw(st.floats(1.5, 2.0)):.0f}km"
    return profile


@SETTINGS
@given(starting_athletes())
@example(SPEED_HALF).via("review 20: 60, 66, 72.5 km")
def test_the_start_does_not_rise_twice_by_the_full_step(profile: dict[str, Any]) -> None:
    """No plan starts with two rises in a row by the phase's full `max_increase`."""
    _check_first_rises(compile_profile(profile))


def test_speed_half_starts_gently() -> None:
    """The reviewer's athlete: about 63 km in week 2 (not 66) and at most +15% in two weeks
    (not 72.5 km)."""
    weeks = compile_profile(SPEED_HALF).plan.weeks
    assert weeks[1].planned_m <= 63_500, weeks[1].planned_m
    assert weeks[2].planned_m <= 69_500, weeks[2].planned_m
    assert max(w.planned_m for w in weeks) >= 70_000  # the plan still builds
