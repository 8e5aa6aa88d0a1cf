"""Whether the compiled plan gets the athlete ready for the race (after stage 7, expand).

Resolve warns (`race-underprepared`) when the long run cannot grow toward the race's target in
the weeks there are, at the program's growth a week.  That estimate is blind to what the weeks
can hold: an injury-prone newcomer at 18 km a week ramps 4-5% a week, the long run takes at
most 40% of the week, and a trip takes two weeks out, so a half marathon's plan peaked at a
10 km long run and a 22.8 km week with no warning (review round 16 refused it).  This check
reads the plan itself: when its longest long run before the taper falls short of the same
share of the target, and resolve's estimate did not already say so, it warns at the race."""

from __future__ import annotations

from ..diagnostics import Diagnostic, Position, warning
from ..model import Blueprint, Plan
from ..units import format_distance
from ..vocabulary import Role
from .resolve_fitness import UNDERPREPARED, long_run_reach

BUILDING = ("base", "build", "maintain")  # the phases whose long runs build toward the race


def underprepared(blueprint: Blueprint, plan: Plan) -> tuple[Diagnostic, ...]:
    """A `race-underprepared` warning when the plan's longest long run before the taper is
    less than UNDERPREPARED of the program's long-run target, and shorter than the race itself,
    and resolve's estimate of the
    long run's growth did not already warn; none for a block, a plan without building weeks or
    a second cycle's race (its own program's target is another)."""
    athlete, program = plan.athlete, blueprint.program
    race = athlete.race
    if race is None or program.block or athlete.second_race is not None:
        return ()
    target = program.rules.long_run_target_m
    building = [w for w in plan.weeks if w.phase in BUILDING and w.start < race.date]
    longest = max(
        (x.distance_m for w in building for x in w.workouts if x.role == Role.LONG), default=0.0
    )
    if not building or longest >= min(UNDERPREPARED * target, program.distance_m):
        return ()  # a 5K runner whose long runs cover the race is not short of endurance
    weeks = sum(1 for w in plan.weeks if w.start <= race.date)
    if long_run_reach(program, athlete.long_run_m, weeks) < UNDERPREPARED * target:
        return ()  # resolve said so already, with the date that would work
    peak = max(w.planned_m for w in building)
    units = athlete.units
    source = athlete.race_source or athlete.source
    return (
        warning(
            "race-underprepared",
            f"the plan's longest long run before the taper is {format_distance(longest, units)}, "
            f"well short of the {format_distance(target, units)} the {program.title} program "
            f"builds to: its biggest week ({format_distance(peak, units)}) holds no longer one "
            "(the weekly ramp, the long run's share of the week and any time away hold it), "
            "so the athlete would race on too little endurance",
            source.file,
            Position(source.line, source.column),
            "a later race, a shorter race, or more running days gives the long run room to grow",
        ),
    )
