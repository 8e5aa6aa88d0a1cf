"""The expert coach's findings of issue 11 (the long build's race-specific weeks, the speed
focus's long-run ceiling, race-pace tempos under the threshold cap, explain's taper line), as
properties over generated athletes (tests/test_properties.py's ``profiles()``) and the concrete
athletes that showed them."""

from __future__ import annotations

import copy
import json
import re
from functools import cache
from typing import Any

from coach_rules import zone_dist
from hypothesis import assume, given
from test_properties import SETTINGS, TODAY, compile_profile, profiles

from compiler.commands.check import load_project
from compiler.emit import emit_json
from compiler.model import Plan, Program, Week

# the athlete the coach read (a 3:25 marathoner on a 21-week runway: a 14-week build)
MARATHON_BC: dict[str, Any] = {
    "kind": "athlete",
    "id": "r1-marathon-bc",
    "name": "Hana Kovac",
    "timezone": "Europe/Prague",
    "units": "km",
    "races": [
        {
            "name": "Prague Marathon",
            "priority": "A",
            "program": "marathon",
            "date": "2027-05-02",
            "goal": "3:25:00",
        },
        {"name": "Spring Half", "priority": "B", "program": "half-marathon", "date": "2027-03-28"},
        {"name": "Club 10K", "priority": "C", "distance": "10k", "date": "2027-02-20"},
    ],
    "focus": "endurance",
    "start": "2026-12-07",
    "fitness": {
        "recent_race": {"distance": "21.0975km", "time": "1:36:30", "date": "2026-10-18"},
        "weekly_volume": "60km",
        "long_run": "24km",
    },
    "availability": {
        "days": ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"],
        "long_run_day": "sunday",
    },
    "strength_per_week": 1,
}


@cache
def bundled_programs() -> dict[str, Program]:
    """The bundled programs as written (the long-run target before it grows for an athlete)."""
    return dict(load_project([], today=TODAY).templates.programs)


def _runs_of_phases(plan: Plan) -> list[list[Week]]:
    """The plan's weeks in runs of one phase (a build and its cycles are one run)."""
    runs: list[list[Week]] = []
    for week in plan.weeks:
        if runs and runs[-1][0].phase == week.phase:
            runs[-1].append(week)
        else:
            runs.append([week])
    return runs


def _check_labels(case_plan: Plan, phase_titles: dict[str, str]) -> None:
    """Each run of a phase shows its own title numbered from 1, and, when the program's phase
    has `last_weeks` and the run is long enough, its last weeks the block's title numbered
    from 1 again; the phase (what the engine reads) stays the phase's."""
    program = case_plan.program
    for run in _runs_of_phases(case_plan):
        phase = run[0].phase
        entry = next(p for p in program.phases if p.phase == phase)
        block = entry.last_weeks
        labelled = block.weeks if block and len(run) >= block.from_weeks else 0
        own = len(run) - labelled
        title = phase_titles[phase]
        assert [(w.phase_title, w.phase_week) for w in run[:own]] == [
            (title, i) for i in range(1, own + 1)
        ] or phase == "recovery"
        if labelled:
            assert block is not None
            assert [(w.phase_title, w.phase_week) for w in run[own:]] == [
                (block.title, i) for i in range(1, labelled + 1)
            ]


def test_a_long_marathon_build_shows_its_last_8_weeks_as_race_specific() -> None:
    # 26 weeks: a build cycle before the program's build (21 weeks give the base the spare
    # weeks and the build its 10, past which no phase runs: round 19)
    case = compile_profile({**MARATHON_BC, "start": "2026-11-02"})
    titles = [(w.phase, w.phase_title, w.phase_week) for w in case.plan.weeks]
    builds = [t for t in titles if t[0] == "build"]
    assert len(builds) == 16
    assert builds[:8] == [("build", "Build", i) for i in range(1, 9)]
    assert builds[8:] == [("build", "Race-specific", i) for i in range(1, 9)]
    document = json.loads(emit_json(case.plan))
    assert [w["phase_title"] for w in document["weeks"]].count("Race-specific") == 8
    assert {w["phase"] for w in document["weeks"] if w["phase_title"] == "Race-specific"} == {
        "build"
    }


@SETTINGS
@given(profiles())
def test_phase_titles_restart_only_in_a_long_phases_last_weeks(profile: dict[str, Any]) -> None:
    case = compile_profile(profile)
    titles = {name: phase.title for name, phase in case.blueprint.phases.items()}
    _check_labels(case.plan, titles)


def _bound_m(case_plan: Plan, profile_program: str, current_m: float) -> float:
    easy = case_plan.paces.zones["easy"].mid
    cap_s = case_plan.focus.long_run_max_s
    assert cap_s is not None
    written = bundled_programs()[profile_program].rules.long_run_target_m
    return max(cap_s / easy * 1000, written, current_m)


@SETTINGS
@given(profiles())
def test_a_speed_focus_5k_or_10k_long_run_stays_under_the_focus_ceiling(
    profile: dict[str, Any],
) -> None:
    """Speed focus, 5K or 10K: in a week of five runs or more, the long run is at most the
    focus's 100 min at easy pace, or the race's own long-run target, or the athlete's current
    long run when longer (never cut below what they run now); and it still starts from at
    least 75% of the current long run."""
    assume(profile["race"]["program"] in ("5k", "10k"))
    profile = {**profile, "focus": "speed"}
    case = compile_profile(profile)
    current = case.blueprint.athlete.long_run_m
    bound = _bound_m(case.plan, profile["race"]["program"], current) + 100
    longs = [w for w in case.plan.workouts if w.role == "long"]
    assert longs[0].distance_m >= 0.75 * current - 100 or case.plan.weeks[0].target_m < current
    for week in case.plan.weeks:
        runs = [w for w in week.workouts if w.category not in ("strength", "rest", "race")]
        if len(runs) < 5:
            continue  # few runs: the long run holds what the others cannot (it never cuts the week)
        for long in (w for w in runs if w.role == "long"):
            assert long.distance_m <= bound, (week.index, long.title, bound)


def test_the_speed_focus_keeps_a_fit_10k_runners_long_run_near_100_min() -> None:
    """A 10K runner on the speed focus at 70 km a week: long runs of 100 min at easy pace, not
    the 150 min the program allows (the 10K's target grows to 20 km at this volume)."""
    profile = copy.deepcopy(MARATHON_BC)
    profile.update(id="speed-10k", focus="speed", races=None)
    del profile["races"]
    profile["race"] = {"program": "10k", "date": "2027-04-25"}
    profile["fitness"] = {
        "recent_race": {"distance": "10km", "time": "52:00", "date": "2026-10-18"},
        "weekly_volume": "55km",
        "long_run": "14km",
    }
    case = compile_profile(profile)
    easy = case.plan.paces.zones["easy"].mid
    longest = max(w.distance_m for w in case.plan.workouts if w.role == "long")
    assert longest <= max(6000 / easy * 1000, 14000) + 100


def _threshold_and_race_m(workout: dict[str, Any]) -> float:
    dist = zone_dist(workout["steps"])
    return sum(v for z, v in dist.items() if z in ("threshold", "10k", "race"))


@SETTINGS
@given(profiles())
def test_a_half_marathons_race_pace_counts_against_the_threshold_cap(
    profile: dict[str, Any],
) -> None:
    """Half-marathon pace is near threshold: one quality session's running at threshold and at
    race pace together is at most 10% of the week (+0.5 km, the oracle's K6 slack)."""
    assume(profile["race"]["program"] == "half-marathon")
    case = compile_profile(profile)
    document = json.loads(emit_json(case.plan))
    for week in document["weeks"]:
        volume = week["planned_m"] or 1
        for workout in week["workouts"]:
            if workout["role"] != "quality" or workout["intensity"] != "hard":
                continue
            at = _threshold_and_race_m(workout)
            assert at <= 0.10 * volume + 500, (week["index"], workout["title"], at, volume)


def _peak_quoted(rule: str) -> float | None:
    found = re.search(r"of the peak week \(([\d.]+) (km|mi)\)", rule)
    if found is None:
        return None
    return float(found.group(1)) * (1000.0 if found.group(2) == "km" else 1609.344)


@SETTINGS
@given(profiles())
def test_a_taper_weeks_rule_quotes_the_peak_week_it_is_cut_from(profile: dict[str, Any]) -> None:
    """explain's volume line for a taper week (the week's rule) quotes the biggest week the plan
    has the athlete run before it, not a volume cap that week never reached (111.7 km quoted
    for a peak of 99.9 km)."""
    case = compile_profile(profile)
    peak = 0.0
    for week in case.plan.weeks:
        quoted = _peak_quoted(week.rule)
        held = any("of the most run in a week" in note for note in week.notes)
        if week.phase == "taper" and quoted is not None and held:
            # a week held to a share of the peak run (allocate.actual_ceiling): the peak quoted
            # is the one run, to a tenth of the unit
            assert abs(quoted - peak) <= 170, (week.index, week.rule, peak)
        if week.phase not in ("taper", "recovery"):
            peak = max(peak, week.planned_m)


def test_the_marathoners_taper_quotes_the_peak_week() -> None:
    case = compile_profile(MARATHON_BC)
    peak = max(w.planned_m for w in case.plan.weeks if w.phase in ("base", "build"))
    for week in (w for w in case.plan.weeks if w.phase == "taper"):
        quoted = _peak_quoted(week.rule)
        assert quoted is not None and abs(quoted - peak) <= 100, (week.rule, peak)
