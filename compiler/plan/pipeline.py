"""One athlete's Blueprint to its Plan: periodize, paces, schedule, expand, then the athlete's
changes (compiler/plan/changes.py), in that order."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from ..diagnostics import Diagnostic, PlanError, error, has_errors
from ..model import Block, Blueprint, CyclePaces, Paces, Plan, ScheduledWeek
from .changes import apply_changes
from .expand import expand
from .paces import caveat, compute_paces
from .periodize import periodize
from .readiness import underprepared
from .resolve import fitness_detraining
from .schedule import schedule
from .season import first_cycle, is_season, joined, second_cycle
from .targets import for_the_athlete


@dataclass(frozen=True)
class Compiled:
    """An athlete's plan and the warnings on it: a long run short of the race
    (readiness.underprepared) and its changes' (two hard days in a row)."""

    plan: Plan
    warnings: tuple[Diagnostic, ...] = ()


def compile_plan(blueprint: Blueprint, today: dt.date, started: dt.date | None = None) -> Plan:
    """The athlete's plan (``compile_checked``'s, without its warnings)."""
    return compile_checked(blueprint, today, started).plan


def compile_checked(
    blueprint: Blueprint, today: dt.date, started: dt.date | None = None
) -> Compiled:
    """The plan as compiled (``compiled_plan``) with the athlete's changes applied over it.
    A change with an error raises ``PlanError`` holding every problem of the changes: a plan
    the athlete asked to change must not be published unchanged."""
    plan, paces, scheduled = compiled_plan(blueprint, today, started)
    changed = apply_changes(blueprint, paces, scheduled, plan)
    if has_errors(changed.diagnostics):
        raise PlanError(list(changed.diagnostics))
    return Compiled(changed.plan, (*underprepared(blueprint, plan), *changed.diagnostics))


def compiled_plan(
    blueprint: Blueprint, today: dt.date, started: dt.date | None = None
) -> tuple[Plan, Paces, Sequence[ScheduledWeek]]:
    """Run the compiler stages for one athlete: periodize, paces, schedule, expand; the plan
    with the paces and the scheduled weeks the changes are built in.

    ``started``: the first day of the plan as last published (``Carried.started``).  A plan
    without ``start:`` begins the week after ``today``; once that plan has begun, a rebuild on a
    later day keeps its first day (``pinned_start``), so the current week and the weeks behind
    it stay the plan the athlete is following instead of the whole plan moving a week on."""
    pinned = pinned_start(blueprint, today, started)
    if pinned is not None:
        athlete = dataclasses.replace(
            blueprint.athlete, start=pinned, block=_pinned_block(blueprint.athlete.block, pinned)
        )
        try:
            return compiled_plan(dataclasses.replace(blueprint, athlete=athlete), today)
        except PlanError:
            pass  # the published start no longer fits the profile (a new race): start afresh
    if is_season(blueprint):
        return _compiled_season(blueprint, today)
    return _compiled_cycle(blueprint, today)


def _compiled_season(
    blueprint: Blueprint, today: dt.date
) -> tuple[Plan, Paces, Sequence[ScheduledWeek]]:
    """A season of two A races (plan/season.py): the first cycle, the second from the fitness
    the first built, joined; the paces are the first cycle's (the plan's headline), while each
    cycle's sessions were sized with its own (the race zone is its own race's), which the
    plan carries as its ``second_cycle`` for the outputs to show."""
    plan_one, paces, slots_one = _compiled_cycle(first_cycle(blueprint), today)
    second = second_cycle(blueprint, plan_one, slots_one)
    plan_two, paces_two, slots_two = _compiled_cycle(second, today)
    plan, slots = joined(blueprint, (plan_one, slots_one), (plan_two, slots_two))
    cycle = CyclePaces(plan_two.start, second.program, paces_two)
    return dataclasses.replace(plan, second_cycle=cycle), paces, slots


def _compiled_cycle(
    blueprint: Blueprint, today: dt.date
) -> tuple[Plan, Paces, Sequence[ScheduledWeek]]:
    """One training cycle: periodize, paces, schedule, expand."""
    blueprint = for_the_athlete(blueprint, today)
    athlete = blueprint.athlete
    weeks, _lengths = periodize(blueprint, today)
    try:
        off = fitness_detraining(athlete, today)  # stale fitness
        paces = compute_paces(
            athlete.recent_race.distance_m,
            athlete.recent_race.time_s,
            race_distance(blueprint),
            athlete.race.goal_s if athlete.race is not None else None,
            weeks_off=off.weeks_off,
            unit=athlete.units,
        )
        paces = dataclasses.replace(paces, caveat=caveat(off))
    except ValueError as exc:
        raise PlanError([error("impossible-value", str(exc), athlete.source.file)]) from None
    slots = schedule(blueprint, weeks, paces)
    return expand(blueprint, paces, slots), paces, slots


def _pinned_block(block: Block | None, start: dt.date) -> Block | None:
    """A block of `weeks:` counts them from the plan's first day: when a rebuild keeps that
    day (``pinned_start``), the block keeps its last day too, instead of ending a week later
    for every week since it began.  A block with an `end:` keeps it."""
    if block is None or block.weeks is None:
        return block
    return dataclasses.replace(block, end=start + dt.timedelta(weeks=block.weeks, days=-1))


def race_distance(blueprint: Blueprint) -> float:
    """The distance the "race" pace zone is worked out at: the program's race, or for a block,
    which has none, the recent race's (its equivalent pace, for a workout that asks for it)."""
    if blueprint.program.block:
        return blueprint.athlete.recent_race.distance_m
    return blueprint.program.distance_m


def pinned_start(blueprint: Blueprint, today: dt.date, started: dt.date | None) -> dt.date | None:
    """The first day a rebuild keeps: the published plan's, when the athlete gives no
    ``start:``, that plan has begun (on or before ``today``) and its race is still to come;
    otherwise None (the plan starts the week after ``today``, as for a first build).  In a
    season of two A races, the race still to come may be the second."""
    athlete = blueprint.athlete
    if athlete.start is not None or started is None:
        return None
    last_race = max((race.date for race in athlete.a_races), default=athlete.last_day)
    if not started <= today <= last_race or started.weekday() != athlete.week_start:
        return None
    return started
