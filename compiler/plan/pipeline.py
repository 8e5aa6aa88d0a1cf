"""One athlete's Blueprint to its Plan: periodize, paces, schedule, expand, in that order."""

from __future__ import annotations

import dataclasses
import datetime as dt

from ..diagnostics import PlanError, error
from ..model import Blueprint, Plan
from .expand import expand
from .paces import compute_paces
from .periodize import periodize
from .resolve import fitness_detraining
from .schedule import schedule


def compile_plan(blueprint: Blueprint, today: dt.date, started: dt.date | None = None) -> Plan:
    """Run the compiler stages for one athlete: periodize, paces, schedule, expand.

    ``started``: the first day of the plan as last published (``Carried.started``).  A plan
    without ``start:`` begins the week after ``today``; once that plan has begun, a rebuild on a
    later day keeps its first day (``pinned_start``), so the current week and the weeks behind
    it stay the plan the athlete is following instead of the whole plan moving a week on."""
    pinned = pinned_start(blueprint, today, started)
    if pinned is not None:
        athlete = dataclasses.replace(blueprint.athlete, start=pinned)
        try:
            return compile_plan(dataclasses.replace(blueprint, athlete=athlete), today)
        except PlanError:
            pass  # the published start no longer fits the profile (a new race): start afresh
    athlete = blueprint.athlete
    weeks, _lengths = periodize(blueprint, today)
    try:
        paces = compute_paces(
            athlete.recent_race.distance_m,
            athlete.recent_race.time_s,
            blueprint.program.distance_m,
            athlete.race.goal_s,
            weeks_off=fitness_detraining(athlete, today).weeks_off,  # stale fitness
        )
    except ValueError as exc:
        raise PlanError([error("impossible-value", str(exc), athlete.source.file)]) from None
    slots = schedule(blueprint, weeks, paces)
    return expand(blueprint, paces, slots)


def pinned_start(blueprint: Blueprint, today: dt.date, started: dt.date | None) -> dt.date | None:
    """The first day a rebuild keeps: the published plan's, when the athlete gives no
    ``start:``, that plan has begun (on or before ``today``) and its race is still to come;
    otherwise None (the plan starts the week after ``today``, as for a first build)."""
    athlete = blueprint.athlete
    if athlete.start is not None or started is None:
        return None
    if not started <= today <= athlete.race.date or started.weekday() != athlete.week_start:
        return None
    return started
