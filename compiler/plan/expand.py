"""Stage 7, expand: each scheduled week becomes concrete workouts.

compiler/sessions.py builds one session (parameters for the week, rendered text, distances,
durations, pace ranges); compiler/allocate.py shares the week's volume out and keeps it mostly
easy.  This module runs them week by week, carrying what the athlete has actually run so far
(the longest runs of the last 30 days, the most run in a week, whether quality work has begun).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import replace

from ..model import Blueprint, Paces, Plan, ScheduledWeek, Week, Workout
from ..units import METRES_PER, format_distance
from ..vocabulary import Category, Role, SlotKind
from .allocate import (
    actual_ceiling,
    allocate,
    easy_share,
    fast_seconds,
    oversized,
    promote_recovery,
    resize,
    soften,
    too_many_hard,
)
from .grow import grow_week
from .sessions import build_workout, draft

RAMP_WINDOW = 4  # weeks
MORE_INTENSE = 1.25  # a session with this much more fast running than any before is new work
HEADROOM = 0.93  # of what a capacity-bound base week's runs hold
HELD_SHORT = 0.98  # of its target: a week whose runs hold less is short of room
MAX_ROUNDS = 200  # rounds of sharing out and softening one week, far more than any week takes


def expand(bp: Blueprint, paces: Paces, weeks: Sequence[ScheduledWeek]) -> Plan:
    """The plan's weeks as concrete workouts.  When what the weeks' runs hold puts the biggest
    building week early (an athlete whose days cannot hold the planned ramp: the base weeks
    hold as much as the build), the early weeks are held a little below the later peak and the
    plan is expanded again, so the biggest week comes with the build, not in week 2."""
    plan = _expand_once(bp, paces, weeks)
    held = _peak_late(bp, plan, weeks)
    return plan if held is None else _expand_once(bp, paces, held)


EARLY = 0.5  # of the building weeks: where the biggest week must not fall
BELOW_LATE_PEAK = 0.97  # early weeks are held to this share of the later biggest week


def _peak_late(
    bp: Blueprint, plan: Plan, weeks: Sequence[ScheduledWeek]
) -> list[ScheduledWeek] | None:
    """The weeks with early building weeks held below the later peak, or None when the biggest
    building week already comes late."""
    away = bp.athlete.days_away
    building = [
        i
        for i, week in enumerate(weeks)
        if week.plan.share_of_peak is None
        and not week.plan.race_week
        and not week.plan.after_race
        # a week with days away, or the week back, is short for the trip, not for what the
        # athlete's days hold: it says nothing of where the peak can come
        and not away(week.plan.start, week.plan.days)
        and not away(week.plan.start - dt.timedelta(days=7))
    ]
    early = building[: round(EARLY * len(building))]
    late = building[len(early) :]
    if len(building) < 6 or not early or not late:
        return None
    late_peak = max(plan.weeks[i].planned_m for i in late)
    early_peak = max(plan.weeks[i].planned_m for i in early)
    if early_peak < late_peak:
        return None
    ceiling = BELOW_LATE_PEAK * late_peak
    units = bp.athlete.units
    held = list(weeks)
    for i in early:
        week = weeks[i]
        if week.plan.target_m > ceiling:
            why = (
                f"{week.plan.rule}; held to {format_distance(ceiling, units)}, below the "
                f"biggest week the days hold later ({format_distance(late_peak, units)}), so "
                "the peak comes with the build"
            )
            plan_week = replace(week.plan, target_m=round(ceiling), rule=why)
            held[i] = replace(week, plan=plan_week)
    return held


CURRENT_LONG_RUN_AGO = dt.timedelta(days=7)  # when the profile's current long run counts as run


def _expand_once(bp: Blueprint, paces: Paces, weeks: Sequence[ScheduledWeek]) -> Plan:
    athlete = bp.athlete
    # Long-run history: (date, metres); the profile's current long run counts as run in the
    # week before the plan (within the 30 days the growth rule looks back), but not as run
    # the day before it: the first Monday's jog is not "the day after a long run", capped at
    # half of it (a 10 km week of three runs lost its first to that)
    first_day = weeks[0].plan.start if weeks else athlete.last_day
    history: list[tuple[dt.date, float]] = [(first_day - CURRENT_LONG_RUN_AGO, athlete.long_run_m)]
    built_weeks: list[Week] = []
    highest = athlete.weekly_volume_m  # the most the athlete has actually run in a week
    # what the athlete ran in recent weeks, the profile's current volume before the plan: a
    # week grows from the most of the last four, so a lighter stretch is climbed out of gently
    ran: list[float] = [athlete.weekly_volume_m] * RAMP_WINDOW
    # the plan's own full weeks: once the plan has run one, the ramp grows from what it
    # planned, not from the profile (a first week its runs could not fill is climbed out of
    # at the ramp's rate); a week cut by the plan's start or days away does not count
    full_weeks: list[float] = []
    # the same without the weeks back from a break: their share is of the level before it (the
    # weeks after them ramp from the weeks back, as any week ramps from the four before it)
    before_break: list[float] = []
    had_quality = False
    most_fast = 0.0  # the most fast running (seconds faster than easy) of one session so far
    units = athlete.units
    for week in weeks:
        drafts = [draft(bp, paces, week, slot) for slot in week.slots]
        softened: list[str] = []
        phase = bp.phases[week.plan.phase]
        before_quality = (
            not had_quality
            and week.plan.share_of_peak is None
            and not (
                phase.quality_sessions_injury_prone
                if athlete.injury_prone
                else phase.quality_sessions
            )
        )
        headroom = False
        # tapers are shares of the most the plan has had the athlete run (their current volume
        # until the plan has run a week)
        peak = max(ran[RAMP_WINDOW:], default=highest)
        recent = full_weeks[-RAMP_WINDOW:] or ran[-RAMP_WINDOW:]
        if week.plan.returning:  # back from a break: a share of what was run before it
            recent = before_break[-RAMP_WINDOW:] or recent
        target, held = actual_ceiling(bp, week, peak, max(recent))
        drafts, grown = grow_week(bp, paces, week, drafts, target)  # sized to a fit athlete
        softened.extend(grown)
        for _ in range(MAX_ROUNDS):  # each round takes something out; the bound is a guard
            allocation = allocate(bp, paces, week, drafts, history, target)
            built = [
                (i, build_workout(bp, paces, draft, allocation.fill.get(i, 0.0)))
                for i, draft in enumerate(drafts)
                if i not in allocation.dropped
            ]
            workouts = [w for _, w in built]
            planned = sum(w.distance_m for w in workouts)
            too_big = next(((i, why) for i, w in built if (why := oversized(bp, planned, w))), None)
            if too_big is not None:
                change = resize(bp, paces, week, drafts, *too_big, planned)
                if change is not None:
                    softened.append(change)
                    continue
            if allocation.target < HELD_SHORT * target:
                # a recovery run's cap is what keeps the week short: it becomes an easy run
                promoted = promote_recovery(bp, paces, week, drafts, (d for d, _ in history))
                if promoted is not None:
                    softened.append(promoted)
                    continue
            if allocation.target < 0.95 * target and before_quality and not headroom:
                # the week's runs hold less than its target: a base week keeps a little
                # below what they hold, so the plan's biggest week comes later, with the
                # quality sessions
                headroom = True
                target = HEADROOM * allocation.target
                held = (
                    *held,
                    f"target held to {format_distance(target, athlete.units)}: "
                    "a little below what the week's runs hold, so the peak comes later",
                )
                continue
            crowded = too_many_hard(bp, paces, week, drafts, built)
            if crowded is not None:
                softened.append(crowded)
                continue
            if easy_share(workouts) < bp.focus.min_easy_share - 1e-9:
                change = soften(bp, paces, week, drafts)
                if change is not None:
                    softened.append(change)
                    continue
            reasons: list[str] = []  # why the week's quality sessions must shrink
            training = sum(w.distance_m for w in workouts if w.category != Category.RACE)
            race = sum(w.distance_m for w in workouts if w.category == Category.RACE)
            overshoot = training + race - allocation.target
            if overshoot > max(0.05 * allocation.target, 0.5 * METRES_PER[athlete.units]):
                # more than the week holds: an easy run goes first, it is the lowest priority
                easy = [
                    i
                    for i, d in enumerate(drafts)
                    if d.slot.role in (Role.EASY, Role.RECOVERY) and i not in allocation.dropped
                ]
                if easy and any(d.slot.role == Role.QUALITY for d in drafts):
                    left_out = drafts.pop(max(easy, key=lambda i: drafts[i].slot.date))
                    softened.append(
                        f"{left_out.slot.date}: easy run left out: the week's quality session "
                        "and long run fill its volume"
                    )
                    continue
                # then a quality session too big for the week's volume is made smaller, or easy
                reasons.append("the session is too big for the week's volume")
            brings_quality = not had_quality and any(w.role == Role.QUALITY for w in workouts)
            # a session with much more fast running than any before is new intense work too
            fast = max(
                (fast_seconds(w) for w in workouts if w.category != Category.RACE), default=0
            )
            more_intense = had_quality and fast > MORE_INTENSE * most_fast
            new_high = training > highest + 0.1 * METRES_PER[athlete.units]
            if (brings_quality or more_intense) and new_high:
                # never a new volume high in the week that brings intense work: hold the target,
                # then make the first quality sessions smaller
                if target > highest:
                    why = (
                        "the first week with quality sessions is no new high"
                        if brings_quality
                        else "the week with the most fast running yet is no new high"
                    )
                    held = (*held, f"target held to {format_distance(highest, units)}: {why}")
                    target = highest
                    continue
                if brings_quality:
                    reasons.append("the week that brings quality sessions is no new high")
            change = next(
                (
                    c
                    for why in reasons
                    if (c := soften(bp, paces, week, drafts, quality_only=True, why=why))
                ),
                None,
            )
            if change is not None:
                softened.append(change)
                continue
            break
        for workout in workouts:
            if workout.role == Role.LONG or workout.category == Category.RACE:
                history.append((workout.date, workout.distance_m))
        highest = max(highest, training)
        ran.append(training)
        cut_short = athlete.days_away(week.plan.start, week.plan.days) > 0 or (
            athlete.start is not None and week.plan.start < athlete.start
        )
        if full_weeks or not cut_short:
            full_weeks.append(training)
            if not week.plan.returning:
                before_break.append(training)
        had_quality = had_quality or any(w.role == Role.QUALITY for w in workouts)
        most_fast = max(
            [most_fast, *(fast_seconds(w) for w in workouts if w.category != Category.RACE)]
        )
        built_weeks.append(
            Week(
                index=week.plan.index,
                start=week.plan.start,
                phase=week.plan.phase,
                phase_title=bp.phases[week.plan.phase].title,
                phase_week=week.plan.phase_week,
                target_m=round(allocation.target),
                planned_m=sum(w.distance_m for w in workouts),
                rule=week.plan.rule,
                cutback=week.plan.cutback,
                workouts=strength_after_runs(workouts),
                notes=(*week.notes, *held, *softened, *allocation.notes),
                days=week.plan.days,
            )
        )
    return Plan(athlete, bp.program, bp.focus, paces, tuple(built_weeks))


AFTER_RUN = dt.timedelta(minutes=15)  # rounding of a strength session's start after a run


def strength_after_runs(workouts: Sequence[Workout]) -> tuple[Workout, ...]:
    """The week's workouts with each timed strength session moved after the day's timed run
    (its end, rounded up to the quarter hour), so a calendar never shows the two overlapping;
    when that would pass midnight, the session keeps the day but loses its time."""
    ends: dict[dt.date, dt.datetime] = {}
    for w in workouts:
        if w.slot != SlotKind.STRENGTH and w.start_time is not None:
            end = dt.datetime.combine(w.date, w.start_time) + dt.timedelta(seconds=w.duration_s)
            ends[w.date] = max(end, ends.get(w.date, end))
    moved: list[Workout] = []
    for w in workouts:
        run_end = ends.get(w.date)
        if w.slot == SlotKind.STRENGTH and w.start_time is not None and run_end is not None:
            quarters = -(-(run_end - dt.datetime.min) // AFTER_RUN)  # rounded up
            start = dt.datetime.min + quarters * AFTER_RUN
            w = replace(w, start_time=start.time() if start.date() == w.date else None)
        moved.append(w)
    return tuple(moved)
