"""The program as one athlete runs it: numbers of the program that depend on the athlete's
plan, worked out once before the stages that use them (the race's long-run target grows with
the peak week the plan reaches)."""

from __future__ import annotations

import dataclasses
import datetime as dt

from ..model import Blueprint
from .capacity import easy_pace
from .periodize import athlete_vdot, peak_cap, periodize

SETTLE_ROUNDS = 4  # target, peak reached, target again: it only falls, and settles in two or three


def for_the_athlete(blueprint: Blueprint, today: dt.date) -> Blueprint:
    """``blueprint`` with its program's long-run target set for the athlete's peak week
    (`ProgramRules.long_run_target_at`), growing no further than the focus's `long_run_max`
    allows; the blueprint itself when the target does not grow.
    Every stage after it reads the one target, so the plan and explain agree.

    The peak is the one the plan reaches, not the most it may build to (periodize.peak_cap):
    an 8-week runway from 38 km reaches 42.7 km, and a target grown for the 62 km cap made
    17 km long runs, 40% of the week, for a 10K runner (review round 21).  A shorter target
    leaves the athlete's days holding less, so the peak is worked out again with it until the
    target settles."""
    rules = blueprint.program.rules
    if rules.long_run_target_high_m is None:
        return blueprint
    vdot = athlete_vdot(blueprint, today)
    peak, _why = peak_cap(blueprint, vdot)
    grown = _with_target(blueprint, _target_at(blueprint, vdot, peak))
    for _ in range(SETTLE_ROUNDS):
        if grown is blueprint:
            return blueprint
        weeks, _lengths = periodize(grown, today)
        reached = max((week.target_m for week in weeks if not week.after_race), default=peak)
        target = _target_at(blueprint, vdot, min(peak, reached))
        if target >= grown.program.rules.long_run_target_m:
            break  # settled: the plan reaches the peak its target was grown for
        # a shorter long run leaves the days holding less, so the plan may peak lower still
        grown = _with_target(blueprint, target)
    return grown


def _target_at(blueprint: Blueprint, vdot: float | None, peak: float) -> float:
    """The race's long-run target for a plan peaking at ``peak`` a week, within the focus's
    `long_run_max`."""
    rules = blueprint.program.rules
    easy = None if vdot is None else easy_pace(vdot)
    target = round(rules.long_run_target_at(peak), -2)
    program = blueprint.program
    cap_s = None if program.block else blueprint.focus.long_run_cap_s(program.distance_m)
    if cap_s is not None and easy is not None:
        # the focus's `long_run_max` (a speed focus's 5K or 10K) holds the target's growth, never
        # the program's own target
        target = max(rules.long_run_target_m, min(target, round(cap_s / easy * 1000, -2)))
    return target


def _with_target(blueprint: Blueprint, target: float) -> Blueprint:
    """``blueprint`` with ``target`` as its program's long-run target (itself when equal)."""
    rules = blueprint.program.rules
    if target == rules.long_run_target_m:
        return blueprint
    program = dataclasses.replace(
        blueprint.program, rules=dataclasses.replace(rules, long_run_target_m=target)
    )
    return dataclasses.replace(blueprint, program=program)
