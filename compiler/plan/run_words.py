"""What a run is called and says once the weeks around it are built (the end of stage 7,
expand): words only, never a size, a day or a pace.

A session's text is rendered as it is built, before the days beside it are settled: a quality
session the day before a recovery run may still be softened into an easy run, and a long run
may come out a few kilometres long in a week back from a trip.  This pass words each run from
the finished plan (review round 12):

- a recovery run says why it is there: the day after a race, a hard session or the long run,
  or else a short easy day (the template's ``after``);
- a long run in a week back from a break (WeekPlan.returning), after the time away, that is
  no long run (shorter than
  LONG_RUN_AT_LEAST_S, or than another run of its week) reads as the easy run it is, and so
  is no key session of its week;
- a medium-long run no longer than an easy run of its week reads as the easy run it is (round
  18: a taper's "Medium-long run · 7 mi" the day before a 7.2 mi easy run)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import replace

from ..model import Blueprint, Paces, ScheduledWeek, Week, WeekPlan, Workout
from ..units import format_distance
from ..vocabulary import Category, Intensity, Role, StepKind, Zone
from .periodize import BREAK_DAYS
from .sessions import describe, zone_pace_text

DAY = dt.timedelta(days=1)
LONG_RUN_AT_LEAST_S = 60 * 60  # a run shorter than this is no long run, whatever its slot
EASY_ZONES: frozenset[Zone | None] = frozenset({Zone.EASY, Zone.RECOVERY, None})
EASED_BACK = (
    "An easy run back from your time away, at an easy, conversational pace ({pace}): not yet "
    "a long run. Ease back in; the long runs return as your running builds again."
)


def reworded(
    bp: Blueprint, paces: Paces, scheduled: Sequence[ScheduledWeek], weeks: Sequence[Week]
) -> tuple[Week, ...]:
    """``weeks`` (built from ``scheduled``, in order) with each run's words made true of the
    finished plan: the long runs first, as a recovery run's words depend on the day before."""
    paired = list(zip(scheduled, weeks, strict=True))
    by_day = _by_day(weeks)
    longs = [
        replace(
            week,
            workouts=tuple(
                _medium_long(bp, paces, plan, _long(bp, paces, plan, w, by_day), week)
                for w in week.workouts
            ),
        )
        for plan, week in paired
    ]
    by_day = _by_day(longs)
    return tuple(
        replace(week, workouts=tuple(_recovery(bp, paces, plan, w, by_day) for w in week.workouts))
        for (plan, _), week in zip(paired, longs, strict=True)
    )


def _by_day(weeks: Sequence[Week]) -> dict[dt.date, list[Workout]]:
    by_day: dict[dt.date, list[Workout]] = {}
    for week in weeks:
        for workout in week.workouts:
            by_day.setdefault(workout.date, []).append(workout)
    return by_day


def _recovery(
    bp: Blueprint,
    paces: Paces,
    week: ScheduledWeek,
    workout: Workout,
    by_day: Mapping[dt.date, Sequence[Workout]],
) -> Workout:
    """A recovery run's description, saying what the day before held."""
    if workout.role != Role.RECOVERY:
        return workout
    after = day_before(by_day.get(workout.date - DAY, ()))
    return replace(workout, description=describe(bp, paces, week, workout, after=after))


def _long(
    bp: Blueprint,
    paces: Paces,
    week: ScheduledWeek,
    workout: Workout,
    by_day: Mapping[dt.date, Sequence[Workout]],
) -> Workout:
    """A long run that is, in words, an easy run back from a break made one."""
    if workout.role != Role.LONG or not _no_long_run_back(bp, week, workout, by_day):
        return workout
    easy = zone_pace_text(paces.zones[Zone.EASY], bp.athlete.units)
    return replace(
        workout,
        role=Role.EASY,
        category=Category.EASY,
        intensity=Intensity.EASY,
        title=f"Easy run · {format_distance(workout.distance_m, bp.athlete.units)}",
        description=EASED_BACK.format(pace=easy),
    )


def _medium_long(
    bp: Blueprint, paces: Paces, plan: ScheduledWeek, workout: Workout, week: Week
) -> Workout:
    """A medium-long run no longer than an easy run of its week made, in words, the easy run
    it is: the week's second-longest run is the role's promise."""
    if workout.role != Role.MEDIUM_LONG:
        return workout
    easy = [w.distance_m for w in week.workouts if w.role == Role.EASY and w is not workout]
    if workout.distance_m > max(easy, default=0.0):
        return workout
    name = bp.easy_workout(plan.plan.phase)
    eased = replace(
        workout,
        role=Role.EASY,
        template=name,
        category=bp.workouts[name].category,
        title=f"Easy run · {format_distance(workout.distance_m, bp.athlete.units)}",
    )
    return replace(eased, description=describe(bp, paces, plan, eased))


def day_before(workouts: Sequence[Workout]) -> str:
    """What a day held, as a recovery run the day after says it: 'race', 'hard' (a hard
    session), 'long' (the long run), else '' (an easy day, a rest day, a day before the plan)."""
    if any(w.role == Role.RACE or w.category == Category.RACE for w in workouts):
        return "race"
    if any(w.intensity == Intensity.HARD for w in workouts):
        return "hard"
    if any(w.role == Role.LONG for w in workouts):
        return "long"
    return ""


def _no_long_run_back(
    bp: Blueprint,
    week: ScheduledWeek,
    workout: Workout,
    by_day: Mapping[dt.date, Sequence[Workout]],
) -> bool:
    """Whether a long run is, in words, an easy run back from a break: after the time away,
    in a week back from one (WeekPlan.returning, or the week a break of BREAK_DAYS ends in and
    the next), all easy running, and shorter than
    LONG_RUN_AT_LEAST_S or than another run of its week."""
    first = week.plan.start
    if not back_from_break(bp, week.plan, workout.date) or not _all_easy(workout):
        return False
    others = [
        w.distance_m
        for d in range(week.plan.days)
        for w in by_day.get(first + DAY * d, ())
        if w is not workout and w.role not in (Role.RACE, Role.STRENGTH)
    ]
    return workout.duration_s < LONG_RUN_AT_LEAST_S or workout.distance_m <= max(others, default=0)


def back_from_break(bp: Blueprint, plan: WeekPlan, day: dt.date) -> bool:
    """Whether ``day`` is after the time away in a week back from a break (WeekPlan.returning,
    or the week a break of BREAK_DAYS ends in and the next): a long run there that is short
    is no long run but an easy run back (_no_long_run_back), and the day after a C race it is
    a recovery run (minor_races)."""
    back = plan.returning and any(a.end < day for a in bp.athlete.away)
    return back or any(
        (a.end - a.start).days + 1 >= BREAK_DAYS
        and a.end < day
        and a.end >= plan.start - 7 * DAY  # it ends in this week or the one before
        for a in bp.athlete.away
    )


def _all_easy(workout: Workout) -> bool:
    steps = [s for s in workout.steps for s in (s.steps if s.kind == StepKind.REPEAT else (s,))]
    return all(s.zone in EASY_ZONES for s in steps)
