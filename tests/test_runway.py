"""A long runway (review round 19, defect 4): its spare weeks go to a longer base, no phase runs
past its `max_weeks`, and the volume ramp first reaches the peak no earlier than the program's
`peak_weeks_before_taper` before the taper, not half the plan at the cap.

Round 19's 26-week marathoner at 95 km a week (cap 110) had a 4-week base and 19 weeks of
build, first reached 110 km in week 15 and held it for the 9 weeks to the taper; a 20-week
masters marathoner had a 13-week build past the phase's maximum of 10."""

from __future__ import annotations

import datetime as dt
from typing import Any

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from test_properties import Case, compile_profile

from compiler.model import WEEKDAYS, WeekPlan
from compiler.plan.periodize import _hard_day_besides_long, athlete_vdot, peak_cap, periodize
from compiler.plan.phases import RUNWAY_BASE_SHORT, PhaseLength

TODAY = dt.date(2026, 12, 6)
MONDAY = dt.date(2026, 12, 7)
# round 19's marathoner: 26 weeks to a marathon, 95 km a week, a cap of 110 km
R19_MARATHON_HIGH_LONG: dict[str, Any] = {
    "kind": "athlete",
    "id": "r19-marathon-high-long",
    "name": "Tomasz Kowalski",
    "timezone": "Europe/Warsaw",
    "units": "km",
    "race": {"name": "Summer Marathon", "program": "marathon", "date": "2027-06-06",
             "goal": "2:48:00"},
    "focus": "endurance",
    "start": "2026-12-07",  # the Monday after the review's today
    "fitness": {
        "recent_race": {"distance": "half", "time": "1:20:30", "date": "2026-10-18"},
        "weekly_volume": "95km",
        "long_run": "28km",
    },
    "max_weekly_volume": "110km",
    "availability": {"days": list(WEEKDAYS), "long_run_day": "sunday"},
    "strength_per_week": 2,
}  # fmt: skip
# round 19's masters marathoner (her trip left out: the weeks' targets are compared)
R19_MASTERS_MARATHON: dict[str, Any] = {
    "kind": "athlete",
    "id": "r19-masters-marathon-mi",
    "name": "Carol Jensen",
    "timezone": "America/New_York",
    "units": "mi",
    "race": {"name": "Boston Qualifier Marathon", "program": "marathon", "date": "2027-04-25",
             "goal": "3:55:00"},
    "focus": "endurance",
    "start": "2026-12-07",
    "age": 61,
    "fitness": {
        "recent_race": {"distance": "half", "time": "1:53:00", "date": "2026-10-11"},
        "weekly_volume": "32mi",
        "long_run": "13mi",
    },
    "availability": {"days": ["tuesday", "wednesday", "thursday", "saturday", "sunday"],
                     "long_run_day": "sunday"},
    "strength_per_week": 2,
}  # fmt: skip
SETTINGS = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@st.composite
def long_runways(draw: st.DrawFn) -> dict[str, Any]:
    """A marathoner or half marathoner 20-30 weeks from race day, 25-120 km a week, a race in
    the last 12 weeks or none, with or without a cap of their own, injury-prone or not, any
    age; no days away (the weeks' targets are compared)."""
    program = draw(st.sampled_from(["marathon", "half-marathon"]))
    weeks = draw(st.integers(20, 30))
    volume = draw(st.integers(25, 120))
    days = draw(st.lists(st.sampled_from(WEEKDAYS), min_size=4, max_size=7, unique=True))
    fitness: dict[str, Any] = {
        "recent_race": {"distance": "half", "time": draw(st.sampled_from(["1:25:00", "1:50:00"]))},
        "weekly_volume": f"{volume}km",
        "long_run": f"{volume * draw(st.floats(0.2, 0.35)):.1f}km",
    }
    raced = draw(st.none() | st.integers(7, 84))
    if raced is not None:
        fitness["recent_race"]["date"] = (MONDAY - dt.timedelta(days=raced)).isoformat()
    race = MONDAY + dt.timedelta(weeks=weeks - 1, days=6)
    profile: dict[str, Any] = {
        "kind": "athlete",
        "id": "generated",
        "name": "Generated Athlete",
        "timezone": "UTC",
        "units": "km",
        "race": {"program": program, "date": race.isoformat()},
        "focus": draw(st.sampled_from(["speed", "endurance", "balanced"])),
        "start": MONDAY.isoformat(),
        "fitness": fitness,
        "injury_prone": draw(st.booleans()),
        "availability": {"days": days, "long_run_day": draw(st.sampled_from(days))},
    }
    age = draw(st.none() | st.integers(25, 70))
    if age is not None:
        profile["age"] = age
    if draw(st.booleans()):
        profile["max_weekly_volume"] = f"{volume * draw(st.floats(1.0, 1.5)):.1f}km"
    return profile


def _check_runway(
    lengths: list[PhaseLength], weeks: list[WeekPlan], late: int, short_base: bool
) -> None:
    """The long-runway rules on a plan's phases and weeks (``late``: the program's
    `peak_weeks_before_taper`; ``short_base``: rule 8 keeps the base short)."""
    before = [length for length in lengths if not length.after_race]
    for length in before:
        phase = length.program_phase
        assert phase is not None
        most = phase.max_weeks if phase.max_weeks is not None else length.weeks
        assert phase.min_weeks <= length.weeks <= most, [(x.phase, x.weeks) for x in before]
    base = before[0].program_phase
    assert base is not None and base.max_weeks is not None
    # the weeks the phases after the base take at their longest (a build cycle aside)
    after = [p.program_phase for p in before[1:] if p.program_phase is not None]
    rest_most = sum(p.max_weeks or p.weeks for p in dict.fromkeys(after))
    long = sum(x.weeks for x in before) >= rest_most + base.max_weeks - RUNWAY_BASE_SHORT
    if long and not short_base:
        assert before[0].weeks >= base.max_weeks - RUNWAY_BASE_SHORT, [
            (x.phase, x.weeks) for x in before
        ]
    building = [w for w in weeks if w.share_of_peak is None and not w.after_race]
    peak = max(w.target_m for w in building)
    first = next(w.index for w in building if w.target_m >= 0.999 * peak)
    # the peak comes late: first reached no earlier than `late` weeks before the taper
    assert first >= len(building) - late, (first, len(building), [w.target_m for w in building])
    # and the ramp keeps its steps: no week more than the base's +10% (1 km in a small week)
    # over the most of the four before it (a cutback's week after comes back to that)
    for at, week in enumerate(building[1:], 1):
        high = max(w.target_m for w in building[max(0, at - 4) : at])
        assert week.target_m <= max(high * 1.10, high + 1000) + 1, (week.index, week.target_m)


@SETTINGS
@given(long_runways())
@example(R19_MARATHON_HIGH_LONG)  # fails before: base 4, 110 km first in week 15 of 23
@example(R19_MASTERS_MARATHON)  # fails before: a 13-week build past its 10
def test_a_long_runway_builds_a_longer_base_and_a_late_peak(profile: dict[str, Any]) -> None:
    case = compile_profile(profile)
    weeks, lengths = periodize(case.blueprint, TODAY)
    late = case.blueprint.program.rules.peak_weeks_before_taper
    assert late == 6  # the bundled programs' rule is in force
    _check_runway(lengths, weeks, late, _keeps_short_base(case, weeks[0].start))


def _keeps_short_base(case: Case, first: dt.date) -> bool:
    """Rule 8: an athlete near the peak (70% of the cap) with a race in the last 12 weeks,
    not injury-prone, whose week has no day for the base's light session keeps a short base,
    so quality comes by week 5."""
    athlete = case.blueprint.athlete
    cap, _ = peak_cap(case.blueprint, athlete_vdot(case.blueprint, TODAY))
    raced = athlete.recent_race.date
    near = (
        raced is not None
        and 0 <= (first - raced).days <= 84
        and not athlete.injury_prone
        and athlete.weekly_volume_m >= 0.70 * cap
    )
    return near and not _hard_day_besides_long(case.blueprint)


def test_round_19s_marathoner_gets_the_spare_weeks_as_base() -> None:
    """The pinned athlete as the reviewer asked: a base of 7 weeks (W1-W7), no build past its
    10 weeks, and the 110 km peak first in week 17, six weeks before the taper."""
    case = compile_profile(R19_MARATHON_HIGH_LONG)
    weeks, lengths = periodize(case.blueprint, TODAY)
    assert [(x.phase, x.weeks) for x in lengths][:2] == [("base", 7), ("build", 6)]
    peak = max(w.target_m for w in weeks)
    assert next(w.index for w in weeks if w.target_m >= peak) == 17
