"""A season of two A races (issue 15, item 1): two training cycles, one after the other.

The stages from periodize on lay out one cycle: weeks back from one race day, with one program.
A season of two A races is two of them, and this module cuts the athlete into the two and
joins their plans, so periodize, schedule and expand stay single-cycle:

- the first cycle runs from the plan's start to the first A race and its recovery weeks (the
  first program's phases after race day, always kept: the second cycle builds on a recovered
  athlete), with the B and C races up to its last day (``first_cycle``);
- the second starts the day after, with the second race's program and the day its weeks
  start on (``SecondCycle``: the first cycle's, unless the second race falls early in such a
  week; then the second cycle starts on its first week-start day after, and the few days
  between are rest), the B and C races after, and the fitness the first cycle built
  (``carried_fitness``): the weekly volume it held before its taper and the longest long run
  it reached, the recent race dated at the first A race (the fitness held through the first
  cycle: not stale, no time off) (``second_cycle``);
- the plan is the first cycle's weeks then the second's, numbered on, each phase titled with
  its cycle ("Build 1", "Build 2"); ``race`` stays the first A race (the one the athlete
  trains for now, whose program and paces head the plan) and ``second_race`` the second
  (``joined``).  A workout's UID is its athlete, day and slot (sessions.py), and the two
  cycles share no day, so the UIDs stay unique and a rebuild keeps them.

Pure functions; plan/pipeline.py compiles each cycle between them.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Sequence

from ..model import Athlete, Blueprint, Plan, Program, Race, ScheduledWeek, Week
from ..vocabulary import Role, SlotKind

DAY = dt.timedelta(days=1)


def is_season(blueprint: Blueprint) -> bool:
    """Whether the blueprint is a season of two A races (two cycles)."""
    return blueprint.second is not None and blueprint.athlete.second_race is not None


def _races(blueprint: Blueprint) -> tuple[Race, Race]:
    first, second = blueprint.athlete.race, blueprint.athlete.second_race
    assert first is not None and second is not None, "a season has two A races"
    return first, second


def first_cycle_end(blueprint: Blueprint) -> dt.date:
    """The first cycle's last day: the end of the first A race's week (of the athlete's
    weeks) and of the first program's recovery weeks after it."""
    first, _second = _races(blueprint)
    week_end = first.date + DAY * (6 - (first.date.weekday() - blueprint.athlete.week_start) % 7)
    after = sum(p.weeks for p in blueprint.program.phases if p.after_race)
    return week_end + dt.timedelta(weeks=after)


def first_cycle(blueprint: Blueprint) -> Blueprint:
    """The first cycle: the athlete as resolved, racing the first A race with its recovery
    weeks after it, with the B and C races up to the cycle's last day and no second race.
    The athlete's changes are applied over the joined plan, not in a cycle."""
    first, _second = _races(blueprint)
    end = first_cycle_end(blueprint)
    athlete = dataclasses.replace(
        blueprint.athlete,
        race=dataclasses.replace(first, recovery=True),
        second_race=None,
        other_races=tuple(r for r in blueprint.athlete.other_races if r.date <= end),
        changes=(),
    )
    return dataclasses.replace(blueprint, athlete=athlete, second=None)


def carried_fitness(plan: Plan, scheduled: Sequence[ScheduledWeek]) -> tuple[float, float]:
    """The weekly volume and long run the first cycle leaves the athlete with: the running
    (races aside) of its biggest week before the taper, the peak its taper was a share of,
    and its longest long run before the taper; the athlete's own `fitness:` when the first
    cycle built nothing (time away all along).  The second cycle's base starts from there: an
    athlete who built to a half marathon does not start the marathon's base from the volume
    of the season's first week."""
    building = {
        s.plan.index
        for s in scheduled
        if not (s.plan.tapering or s.plan.race_week or s.plan.after_race)
    }
    weeks = [w for w in plan.weeks if w.index in building]
    peak = max((_running(w) for w in weeks), default=0.0)
    longest = max(
        (wo.distance_m for w in weeks for wo in w.workouts if wo.role == Role.LONG), default=0.0
    )
    athlete = plan.athlete
    return (peak or athlete.weekly_volume_m), (longest or athlete.long_run_m)


def recovered(plan: Plan, scheduled: Sequence[ScheduledWeek]) -> float | None:
    """The running of the first cycle's recovery weeks (the most of them), which the second
    cycle's first week rises from by one ramp step at most: after the race the athlete runs
    less for the program's recovery weeks (Daniels, Pfitzinger: a week or two after a half,
    two or three after a marathon), then builds again from there, not straight back to the
    volume before the taper.  None when the first cycle has no recovery week."""
    indices = {s.plan.index for s in scheduled if s.plan.after_race}
    after = [_running(w) for w in plan.weeks if w.index in indices]
    return max(after) if after else None


def first_week_back(
    blueprint: Blueprint, program: Program, returning: float, carried: float
) -> float:
    """The second cycle's first week after the first race's recovery weeks (``returning``):
    the first of its program's return shares of what the first cycle built (``carried``,
    ``minor_races.a_race_return``), or one ramp step on the recovery week when that is more;
    never more than ``carried``."""
    rule = blueprint.volume_rule(program.phases[0])
    back = rule.ramped(returning, blueprint.athlete.injury_prone)
    levels = program.rules.minor.a_race_return
    if levels:
        back = max(back, levels[0] * carried)
    return min(back, carried)


def _running(week: Week) -> float:
    """The week's running, its races aside (a B race is not training volume to build on)."""
    return sum(
        w.distance_m for w in week.workouts if w.slot == SlotKind.RUN and w.role != Role.RACE
    )


def second_cycle(
    blueprint: Blueprint, first: Plan, scheduled: Sequence[ScheduledWeek]
) -> Blueprint:
    """The second cycle: from the first day of its weeks after the first cycle to the second A race
    (and its recovery weeks when it has them), with its program, its week start, the B and C
    races after the first cycle and the fitness the first cycle built (``carried_fitness``),
    climbing back to it from the first race's recovery weeks (``recovered``): its first week
    one ramp step on them (periodize), its long run from the share of that week the program
    gives a long run, not at the longest the first cycle reached (a 16 km long run in a 21 km
    week back was three quarters of it)."""
    assert blueprint.second is not None
    _first, second = _races(blueprint)
    athlete = blueprint.athlete
    after = first.end + DAY  # the first day of the week the second cycle starts on
    start = after + DAY * ((blueprint.second.week_start - after.weekday()) % 7)
    weekly, long_run = carried_fitness(first, scheduled)
    if athlete.max_weekly_volume_m is not None:
        weekly = min(weekly, athlete.max_weekly_volume_m)
    returning = recovered(first, scheduled)
    if returning is not None:  # the long run comes back with the week, not at its longest
        program = blueprint.second.program
        back = first_week_back(blueprint, program, returning, weekly)
        long_run = min(long_run, program.rules.long_run_max_share * back)
    recent = athlete.recent_race
    if recent.date is not None:  # the fitness the first cycle held: current at its race
        recent = dataclasses.replace(recent, date=max(recent.date, _first.date))
    cycle = dataclasses.replace(
        athlete,
        race=second,
        second_race=None,
        start=start,
        week_start=blueprint.second.week_start,
        other_races=tuple(r for r in athlete.other_races if r.date >= start),
        weekly_volume_m=weekly,
        long_run_m=min(long_run, weekly),
        recent_race=recent,
        time_off_weeks=0.0,
        changes=(),
        returning_m=returning,
    )
    return dataclasses.replace(
        blueprint, athlete=cycle, program=blueprint.second.program, second=None
    )


def _renumbered(week: Week, offset: int, cycle: int) -> Week:
    return dataclasses.replace(
        week, index=week.index + offset, phase_title=f"{week.phase_title} {cycle}"
    )


def joined(
    blueprint: Blueprint,
    first: tuple[Plan, Sequence[ScheduledWeek]],
    second: tuple[Plan, Sequence[ScheduledWeek]],
) -> tuple[Plan, list[ScheduledWeek]]:
    """The season's plan: the first cycle's weeks then the second's, numbered on and each
    phase titled with its cycle; its athlete the first cycle's (a pinned start kept, the
    first race with its recovery) with every B and C race, the second A race and the
    athlete's changes back.  The scheduled weeks are joined the same way, for the changes to
    be built in."""
    (plan_one, slots_one), (plan_two, slots_two) = first, second
    offset = len(plan_one.weeks)
    weeks = (
        *(_renumbered(w, 0, 1) for w in plan_one.weeks),
        *(_renumbered(w, offset, 2) for w in plan_two.weeks),
    )
    scheduled = [
        *slots_one,
        *(
            dataclasses.replace(s, plan=dataclasses.replace(s.plan, index=s.plan.index + offset))
            for s in slots_two
        ),
    ]
    athlete: Athlete = dataclasses.replace(
        plan_one.athlete,
        second_race=blueprint.athlete.second_race,
        other_races=blueprint.athlete.other_races,
        changes=blueprint.athlete.changes,
    )
    return dataclasses.replace(plan_one, athlete=athlete, weeks=weeks), scheduled
