"""The way back to the level run before a break (part of stage 7, expand).

After a break of BREAK_DAYS or more without running, the weeks back are shares of the level
before it (the program's `return_from_break.levels`, Daniels: half the load for the first half
of the return, three quarters for the second; periodize).  The weeks after them come back to
that level, a level the athlete has run, so no new high: each may rise at most
`return_from_break.rise` over the last week run (a week with days away counted per running day
it had, so a partial week back is not taken for a light one), up to the level before the break.
The ramp for new highs (a share on the most run in the last four weeks) would otherwise creep
up from the weeks back and leave the plan's biggest week before the trip.  Once the athlete has
run the level again, the plan ramps from it like any week."""

from __future__ import annotations

import datetime as dt

from ..model import Athlete, Blueprint, ScheduledWeek
from ..units import format_distance

BACK_AT = 0.99  # of the level before the break: a week this big has come back to it


def per_running_day(athlete: Athlete, week: ScheduledWeek, training: float) -> float:
    """What ``training`` in ``week`` is worth as a full week: a week with days away (or days
    before the plan's start) counted by the running days the athlete had, scaled to all of the
    week's running days; a week with none of them left is worth what it ran."""
    plan = week.plan
    days = [plan.start + dt.timedelta(days=i) for i in range(plan.days)]
    running = [d for d in days if d.weekday() in athlete.availability.days]
    had = [
        d
        for d in running
        if not athlete.away_on(d) and (athlete.start is None or d >= athlete.start)
    ]
    if not had or len(had) == len(running):
        return training
    return training * len(running) / len(had)


def climb_back(
    bp: Blueprint,
    week: ScheduledWeek,
    target: float,
    held: tuple[str, ...],
    level_before: float,
    last_week: float,
    recent_most: float,
) -> tuple[float, tuple[str, ...]]:
    """A building week's target on the way back to ``level_before`` (the most run in a full
    week before the break): at least what the ramp held it to (``target``, ``held``), and up to
    `return_from_break.rise` on the last week run (``last_week``, per running day), within the
    level before and the week's own target; nor more than `rise` on the most actually run in
    a week of the last four (``recent_most``, coach_check K8): a week with days away shows its
    runs were light, not that a full week of them was borne (a masters athlete's week of two
    days away, 18 km, read as 22.6 km, was followed by 21.7 km after weeks of 13-18 km)."""
    rules = bp.program.rules
    rise = rules.return_rise_for(bp.athlete.injury_prone)
    back = min(level_before, (1 + rise) * min(last_week, recent_most), week.plan.target_m)
    if back <= target:
        return target, held
    units = bp.athlete.units
    return back, (
        f"target {format_distance(back, units)}: back toward the level before the break "
        f"({format_distance(level_before, units)}), at most +{rise:.0%} on the last week run "
        f"({format_distance(last_week, units)}); a level already run is no new high",
    )


def held_to_jump(
    bp: Blueprint,
    week: ScheduledWeek,
    target: float,
    held: tuple[str, ...],
    last_week: float,
    level_before: float,
) -> tuple[float, tuple[str, ...]]:
    """A week's target on the way back to the level before a break, held to at most
    `return_from_break.jump` over the last week run, both counted per running day (``last_week``
    is; a week with days away of its own is held to its share of the running days).  The ramp
    grows from the most run in the last four full weeks, which after a short trip are the weeks
    before it, and a week after a cutback bounces back to the level: a coach read +32% in the
    first full week after a trip that ended mid-week as the jump the return is meant to avoid.
    Never below the last week back's share of ``level_before``: a week back its runs held below
    its share (a short long run in a small week) is no level to creep up from (a 15 km athlete
    stalled at 4.7 km for weeks, each held to +25% on a week of one run)."""
    rules = bp.program.rules
    jump = rules.return_jump
    floor = rules.return_levels_for(bp.athlete.injury_prone)[-1] * level_before
    cap = max(last_week * (1 + jump), floor) / per_running_day(bp.athlete, week, 1.0)
    if target <= cap:
        return target, held
    units = bp.athlete.units
    return cap, (
        *held,
        f"target held to {format_distance(cap, units)}: on the way back from a break a week "
        f"rises at most +{jump:.0%} on the last week run ({format_distance(last_week, units)} "
        "a full week)",
    )


def after_minor_light(
    bp: Blueprint,
    week: ScheduledWeek,
    target: float,
    held: tuple[str, ...],
    last_week: float,
    highest: float,
) -> tuple[float, tuple[str, ...]]:
    """The first full week after a minor race's light weeks (a B race's week, the week after a
    raced half or marathon, and a cutback right after them): back to the most the athlete has
    actually run in a week (``highest``), not to the level the light weeks were cut from, and
    like a return from a break at most `return_from_break.jump` on the last week run
    (``last_week``, per running day).  A season's 10K went from B-race weeks of 50 and 54 km to
    its highest week, 76.8 km (+43%), two weeks before the A race, "back to" a level of 77 km
    that was only the B week's target (round 18): a new high lands after the athlete is back."""
    jump = bp.program.rules.return_jump
    cap = min(highest, last_week * (1 + jump) / per_running_day(bp.athlete, week, 1.0))
    if target <= cap + 1:
        return target, held
    units = bp.athlete.units
    return cap, (
        *held,
        f"target held to {format_distance(cap, units)}: the first week after a minor race's "
        f"light weeks comes back to the most run ({format_distance(highest, units)}), at most "
        f"+{jump:.0%} on the last week run ({format_distance(last_week, units)}), no new high",
    )


def past_levels(
    bp: Blueprint,
    week: ScheduledWeek,
    target: float,
    held: tuple[str, ...],
    recent_most: float,
) -> tuple[float, tuple[str, ...]]:
    """A week back past the program's `return_from_break.levels` (an injury-prone athlete's
    third week back, `levels_injury_prone`): its share of the level before the break, but at
    most `rise_injury_prone` on the most actually run in a week of the last four
    (``recent_most``, coach_check K8), as the way back after it (climb_back): after two trips
    close together the weeks back were light, and 85% of the level before was +29% on them."""
    rules = bp.program.rules
    share = week.plan.return_share
    if share is None or share <= rules.return_levels[-1]:
        return target, held
    rise = rules.return_rise_for(bp.athlete.injury_prone)
    cap = max((1 + rise) * recent_most, recent_most + 1000)
    if target <= cap:
        return target, held
    units = bp.athlete.units
    return cap, (
        *held,
        f"target held to {format_distance(cap, units)}: a week back rises at most +{rise:.0%} "
        f"on the most run in a week of the last four ({format_distance(recent_most, units)})",
    )
