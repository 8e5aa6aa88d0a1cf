"""Whether the compiled plan gets the athlete ready for the race (after stage 7, expand).

Resolve warns (`race-underprepared`) when the long run cannot grow toward the race's target in
the weeks there are, at the program's growth a week.  That estimate is blind to what the weeks
can hold: an injury-prone newcomer at 18 km a week ramps 4-5% a week, the long run takes at
most 40% of the week, and a trip takes two weeks out, so a half marathon's plan peaked at a
10 km long run and a 22.8 km week with no warning (review round 16 refused it).  This check
reads the plan itself: when its longest long run before the taper falls short of the same
share of the target, and resolve's estimate did not already say so, it warns at the race.  In a
season of two A races each cycle is read against its own race and program (resolve estimates
the first cycle only): a 10 km-a-week runner's season peaked at a 7.5 km long run for its half
marathon and warned of nothing."""

from __future__ import annotations

from collections.abc import Sequence

from ..diagnostics import Diagnostic, Position, warning
from ..model import Blueprint, Plan, Program, Race, Source, Week
from ..units import Unit, format_distance
from ..vocabulary import Role
from .resolve_fitness import UNDERPREPARED, long_run_reach

BUILDING = ("base", "build", "maintain")  # the phases whose long runs build toward the race


def underprepared(blueprint: Blueprint, plan: Plan) -> tuple[Diagnostic, ...]:
    """A `race-underprepared` warning for each A race whose cycle's longest long run before
    the taper is less than UNDERPREPARED of its program's long-run target and shorter than the
    race itself; for the first race only when resolve's estimate of the long run's growth did
    not already warn.  None for a block or a plan without building weeks."""
    athlete = plan.athlete
    race, program = athlete.race, blueprint.program
    if race is None or program.block:
        return ()
    first = [w for w in plan.weeks if w.start <= race.date]
    season = athlete.second_race is not None  # then each warning names its race
    found: list[Diagnostic] = []
    if long_run_reach(program, athlete.long_run_m, len(first)) >= UNDERPREPARED * (
        program.rules.long_run_target_m
    ):  # resolve said so already, with the date that would work
        source = athlete.race_source or athlete.source
        found += _short_cycle(race, program, first, source, athlete.units, season)
    second, cycle = athlete.second_race, plan.second_cycle
    if second is not None and cycle is not None:
        weeks = [w for w in plan.weeks if cycle.start <= w.start <= second.date]
        source = second.source or athlete.source
        found += _short_cycle(second, cycle.program, weeks, source, athlete.units, season)
    return tuple(found)


def _short_cycle(
    race: Race,
    program: Program,
    weeks: Sequence[Week],
    source: Source,
    units: Unit,
    named: bool,
) -> list[Diagnostic]:
    """The warning for ``race`` when the building weeks of its cycle (``weeks``, to its race
    week) hold no long run near its program's target (a 5K runner whose long runs cover the
    race is not short of endurance); none otherwise."""
    target = program.rules.long_run_target_m
    building = [w for w in weeks if w.phase in BUILDING and w.start < race.date]
    longest = max(
        (x.distance_m for w in building for x in w.workouts if x.role == Role.LONG), default=0.0
    )
    if not building or longest >= min(UNDERPREPARED * target, program.distance_m):
        return []
    peak = max(w.planned_m for w in building)
    return [
        warning(
            "race-underprepared",
            f"{_for(race) if named else ''}the plan's longest long run before the taper is "
            f"{format_distance(longest, units)}, well short of the "
            f"{format_distance(target, units)} the {program.title} program builds to: its "
            f"biggest week ({format_distance(peak, units)}) holds no longer one (the weekly "
            "ramp, the long run's share of the week and any time away hold it), so the athlete "
            "would race on too little endurance",
            source.file,
            Position(source.line, source.column),
            "a later race, a shorter race, or more running days gives the long run room to grow",
        )
    ]


def _for(race: Race) -> str:
    """ "for Autumn Marathon (2027-09-26): ", in a season, where a warning must say its race."""
    return f"for {race.name} ({race.date.isoformat()}): "
