"""The program as one athlete runs it: numbers of the program that depend on the athlete's
plan, worked out once before the stages that use them (the race's long-run target grows with
the peak week the plan builds to)."""

from __future__ import annotations

import dataclasses
import datetime as dt

from ..model import Blueprint
from .capacity import easy_pace
from .periodize import athlete_vdot, peak_cap


def for_the_athlete(blueprint: Blueprint, today: dt.date) -> Blueprint:
    """``blueprint`` with its program's long-run target set for the athlete's peak week
    (`ProgramRules.long_run_target_at`), growing no further than the focus's `long_run_max`
    allows; the blueprint itself when the target does not grow.
    Every stage after it reads the one target, so the plan and explain agree."""
    rules = blueprint.program.rules
    if rules.long_run_target_high_m is None:
        return blueprint
    vdot = athlete_vdot(blueprint, today)
    easy = None if vdot is None else easy_pace(vdot)
    peak, _why = peak_cap(blueprint, vdot)
    target = round(rules.long_run_target_at(peak), -2)
    program = blueprint.program
    cap_s = None if program.block else blueprint.focus.long_run_cap_s(program.distance_m)
    if cap_s is not None and easy is not None:
        # the focus's `long_run_max` (a speed focus's 5K or 10K) holds the target's growth, never
        # the program's own target
        target = max(rules.long_run_target_m, min(target, round(cap_s / easy * 1000, -2)))
    if target == rules.long_run_target_m:
        return blueprint
    program = dataclasses.replace(
        blueprint.program, rules=dataclasses.replace(rules, long_run_target_m=target)
    )
    return dataclasses.replace(blueprint, program=program)
