"""The edges of a high-volume marathoner's plan (review round 17): no long run past the
program's `long_run_max_distance` (37 km at 4:31-5:00/km was 2:47-3:05 h, past Daniels' 2.5 h
and Pfitzinger's 22 mi), and the taper's long runs at most `taper_long_run_max` of the plan's
longest (29.6 km two weeks before the marathon, where Pfitzinger runs 16-17 mi), and a long run
finishing with `hard_steady_finish` or more at steady pace is a hard day of its own (a tempo and
cruise intervals beside a 25-30 min steady finish held 16% of the week at threshold)."""

from __future__ import annotations

from typing import Any

from hypothesis import example, given
from hypothesis import strategies as st
from test_coaching_rules import EASY, running_steps
from test_properties import SETTINGS, Case, compile_profile
from test_top_end import high_marathoners, quality_sessions

from compiler.model import Workout

# review round 17's high-volume marathoner: 85 km a week, capped at 110, a 26-week runway
LONG_MARATHONER: dict[str, Any] = {
    "kind": "athlete",
    "id": "r17-high-marathon-long",
    "name": "Sofia Lindqvist",
    "timezone": "Europe/Stockholm",
    "units": "km",
    "race": {
        "name": "Stockholm Marathon",
        "program": "marathon",
        "date": "2027-06-05",
        "goal": "2:48:00",
    },
    "focus": "endurance",
    "start": "2026-12-07",
    "fitness": {
        "recent_race": {"distance": "half", "time": "1:21:30", "date": "2026-10-11"},
        "weekly_volume": "85km",
        "long_run": "26km",
    },
    "max_weekly_volume": "110km",
    "availability": {
        "days": ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday"],
        "long_run_day": "saturday",
    },
    "strength_per_week": 2,
}


def long_runs(case: Case) -> list[tuple[str, Workout]]:
    """The plan's long runs, each with its week's phase."""
    return [(week.phase, w) for week in case.plan.weeks for w in week.workouts if w.role == "long"]


@SETTINGS
@given(high_marathoners())
@example(profile=LONG_MARATHONER)
def test_no_long_run_passes_the_programs_longest(profile: dict[str, Any]) -> None:
    """Every long run is at most `long_run_max_distance` (marathon: 35 km), or the athlete's
    current long run when that is longer, even where the week's volume asks for more."""
    case = compile_profile(profile)
    most = case.blueprint.program.rules.long_run_max_m
    assert most is not None
    cap = max(most, case.blueprint.athlete.long_run_m) + 1.0
    for _phase, run in long_runs(case):
        assert run.distance_m <= cap, (run.date, run.distance_m)


@SETTINGS
@given(high_marathoners())
@example(profile=LONG_MARATHONER)
def test_the_tapers_long_runs_are_a_share_of_the_plans_longest(profile: dict[str, Any]) -> None:
    """A taper week's long run is at most `taper_long_run_max` (marathon: 75%) of the longest
    long run before it (the athlete's current one counted)."""
    case = compile_profile(profile)
    share = case.blueprint.program.rules.taper_long_run_share
    assert share is not None
    longest = case.blueprint.athlete.long_run_m
    for phase, run in long_runs(case):
        if phase == "taper":
            assert run.distance_m <= share * longest + 1.0, (run.date, run.distance_m, longest)
        longest = max(longest, run.distance_m)


def test_the_review_marathoner_peaks_at_35_km_and_tapers_from_26() -> None:
    """Round 17's marathoner: three long runs of 37 km before, now 35 km at most; the taper's
    first long run two weeks out 26 km, not 29.6."""
    case = compile_profile(LONG_MARATHONER)
    runs = long_runs(case)
    assert max(r.distance_m for _p, r in runs) <= 35_000 + 1
    taper = [r for p, r in runs if p == "taper"]
    assert taper and taper[0].distance_m <= 26_300, taper[0].distance_m


@st.composite
def endurance_marathoners(draw: st.DrawFn) -> dict[str, Any]:
    """A high-volume marathoner of the endurance focus, whose long runs finish steady."""
    profile = draw(high_marathoners())
    profile["focus"] = "endurance"
    return profile


def steady_s(run: Workout) -> float:
    return sum(s.duration_s for s in running_steps(run.steps) if s.zone == "steady")


def block_s(run: Workout) -> float:
    """The running time of ``run`` at steady pace or faster."""
    return sum(s.duration_s for s in running_steps(run.steps) if s.zone not in EASY)


@SETTINGS
@given(endurance_marathoners())
@example(profile=LONG_MARATHONER)
def test_a_long_steady_finish_has_one_quality_session_beside_it(profile: dict[str, Any]) -> None:
    """A week whose long run finishes with `hard_steady_finish` (marathon: 20 min) or more at
    steady pace holds at most `quality_beside_fast_long` (marathon: 1) quality sessions."""
    case = compile_profile(profile)
    rules = case.blueprint.program.rules
    most, steady = rules.quality_beside_fast_long, rules.hard_steady_finish_s
    assert most is not None and steady is not None
    for week in case.plan.weeks:
        if any(w.role == "long" and steady_s(w) >= steady for w in week.workouts):
            assert len(quality_sessions(week.workouts)) <= most, week.index


def test_the_review_marathoner_runs_two_hard_days_beside_a_steady_finish() -> None:
    """Round 17's marathoner: W14, W17 and W22 held a tempo, cruise intervals and a 25-30 min
    steady finish; now one session, and a medium-long run takes the other's place.  Since
    round 21 the goal-pace long runs alternate with easy ones (no steady finish between them):
    the weeks of a long run with a block, steady or at goal pace, hold one session."""
    case = compile_profile(LONG_MARATHONER)
    weeks = [
        week
        for week in case.plan.weeks
        if any(w.role == "long" and block_s(w) >= 20 * 60 for w in week.workouts)
    ]
    assert len(weeks) >= 3
    for week in weeks:
        assert len(quality_sessions(week.workouts)) <= 1, week.index
