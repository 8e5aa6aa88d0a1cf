"""The athlete's `fitness:` (part of stage 3, resolve): read, and checked against the pace
model, the calendar, the goal, the available days and the program.

`read_fitness` reads the recent race, the time off and the current volume, refusing what no
runner can have run (a VDOT outside the pace model's range, a long run longer than the week).
The checks that need the plan's dates and program come after the plan is laid out in
compiler/plan/resolve.py: a recent race dated in the future or gone stale, a goal slower than
easy running or beyond reach, a current long run below what the week implies, a volume the days
cannot hold, a maximum above the default, a long run that cannot grow to the race in time.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from ..model import Program, RecentRace
from ..sources.reader import Reader
from ..units import (
    Unit,
    UnitError,
    format_clock,
    format_distance,
    format_metres_plain,
    format_pace,
    parse_clock,
    parse_distance,
    parse_race_distance,
)
from ..vocabulary import Zone
from . import paces as pace_model
from .capacity import days_hold, easy_pace, run_sizes

MIN_WEEKLY_M, MAX_WEEKLY_M = 1_000.0, 350_000.0
RECENT_DATE = ("fitness", "recent_race", "date")


def _date(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


_TIME_OFF_RE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(days?|weeks?)\s*$")


def parse_time_off(text: str) -> float:
    """fitness.time_off in weeks: '10days' -> 1.43, '3weeks' -> 3.0, '1 week' -> 1.0."""
    match = _TIME_OFF_RE.match(str(text))
    if not match:
        raise UnitError(
            f"'{text}' is not a time off; write a number and `days` or `weeks`: 10days, 3weeks"
        )
    number = float(match.group(1))
    return number if match.group(2).startswith("week") else number / 7.0


@dataclass(frozen=True)
class Fitness:
    """The profile's `fitness:` as read: the recent race (its date when given), the weeks
    without running since (`time_off`), and what the athlete runs in a usual week now."""

    recent: RecentRace
    time_off_weeks: float
    weekly_m: float
    long_run_m: float


def read_fitness(r: Reader, today: dt.date) -> Fitness:
    """The `fitness:` section, each value at its default when it cannot be read (the problem
    is reported at it): a recent race the pace model can use, a weekly volume from 1 to 350 km
    and a long run no longer than the week."""
    distance = r.convert(parse_race_distance, ("fitness", "recent_race", "distance"), 5000.0)
    time_s = r.convert(parse_clock, ("fitness", "recent_race", "time"), 1500.0)
    check_fitness(r, distance, time_s, ("fitness", "recent_race", "time"), "the recent race")
    recent_date = r.convert(_date, RECENT_DATE, None) if r.get(*RECENT_DATE) else None
    time_off = (
        r.convert(parse_time_off, ("fitness", "time_off"), 0.0)
        if r.get("fitness", "time_off") is not None
        else 0.0
    )
    weekly = r.convert(parse_distance, ("fitness", "weekly_volume"), 20_000.0)
    long_run = r.convert(parse_distance, ("fitness", "long_run"), 8000.0)
    if not MIN_WEEKLY_M <= weekly <= MAX_WEEKLY_M:
        r.fail(
            "impossible-value",
            "the weekly volume must be at least 1 km and at most 350 km",
            ("fitness", "weekly_volume"),
            "write what the athlete runs in a usual week now, e.g. `30km`",
        )
    if long_run > weekly > 0:
        r.fail(
            "impossible-value",
            "the current long run is longer than the whole weekly volume",
            ("fitness", "long_run"),
            "write the longest single run of a usual week, at most the weekly volume",
        )
    return Fitness(RecentRace(distance, time_s, recent_date), time_off, weekly, long_run)


def check_fitness(
    r: Reader, distance_m: float, time_s: float, path: tuple[str | int, ...], what: str
) -> None:
    """A race result or goal the pace model can use: positive, and a VDOT within its range."""
    try:
        value = pace_model.vdot(distance_m, time_s)
    except ValueError as exc:
        r.fail(
            "impossible-value",
            f"{what} is not possible: {exc}",
            path,
            "check the distance and the time (mm:ss or h:mm:ss)",
        )
        return
    if not pace_model.VDOT_MIN - 1e-6 <= value <= pace_model.VDOT_MAX + 1e-6:
        low = pace_model.race_time(pace_model.VDOT_MAX, distance_m)
        high = pace_model.race_time(pace_model.VDOT_MIN, distance_m)
        r.fail(
            "impossible-value",
            f"{what} is not possible: {format_metres_plain(distance_m)} in "
            f"{format_clock(time_s)} is VDOT {value:.0f}, outside the "
            f"{pace_model.VDOT_MIN:g}-{pace_model.VDOT_MAX:g} of human runners",
            path,
            f"for {format_metres_plain(distance_m)} planc expects a time between "
            f"{format_clock(low)} and {format_clock(high)} (mm:ss or h:mm:ss)",
        )


def check_recent_fitness(
    r: Reader,
    fitness: Fitness,
    today: dt.date,
    first_day: dt.date,
    goal_s: float | None,
    program: Program,
) -> float | None:
    """The recent race against the calendar and the goal against it: a race dated in the future
    (an error), fitness gone stale by age or a break (a warning; the paces are reduced by
    Daniels' time-off table, compiler/plan/paces.py), a goal slower than easy running or
    beyond reach (warnings).  Returns the VDOT the paces will use, or None when the race cannot
    be used."""
    recent = fitness.recent
    if _recent_race_in_future(r, recent, today, first_day):
        return None
    race_vdot = pace_model.vdot(recent.distance_m, recent.time_s)
    off = pace_model.detraining(recent.date, fitness.time_off_weeks, first_day)
    current = pace_model.reduced_vdot(race_vdot, off.weeks_off)
    if off.cause is not None:
        _warn_stale(r, fitness, off, race_vdot, current)
    if goal_s is not None:
        name = str(r.get("race", "name", default=program.title))
        check_goal(r, Goal(("race",), name, program.distance_m, goal_s), current)
    return current


@dataclass(frozen=True)
class Goal:
    """A race's goal as the plausibility checks read it: where the race is written (its
    `goal` is reported there), its name, its distance and the goal time."""

    path: tuple[str | int, ...]
    name: str
    distance_m: float
    time_s: float


def check_goal(r: Reader, goal: Goal, current: float, trained: bool = True) -> None:
    """A goal slower than easy running (`goal-too-slow`) or, for a race the plan trains for
    (``trained``: an A race, whose race-pace sessions the goal sets), beyond the reach of the
    fitness ``current`` (a VDOT) (`goal-ambitious`): warnings at the race's `goal`.  Every race
    with a goal goes through it: the first A race, a season's second, the B and C races."""
    easy_slow = pace_model.pace_at(current, pace_model.EASY_SLOW_FRACTION)
    if goal.time_s * 1000.0 / goal.distance_m > easy_slow:
        _warn_goal_too_slow(r, goal, current, easy_slow)
    elif trained and goal.time_s < pace_model.reachable_time(current, goal.distance_m):
        _warn_goal_ambitious(r, goal, current)


def _recent_race_in_future(
    r: Reader, recent: RecentRace, today: dt.date, first_day: dt.date
) -> bool:
    """Whether the recent race is dated after today and the plan's first day (an error: its
    fitness cannot be used)."""
    if recent.date is None or recent.date <= max(today, first_day):
        return False
    r.fail(
        "recent-race-in-future",
        f"the recent race is dated {recent.date}, in the future: today is {today} and the "
        f"plan starts {first_day}",
        RECENT_DATE,
        "give the date it was run (check the year), or leave `date` out",
    )
    return True


def _warn_stale(
    r: Reader,
    fitness: Fitness,
    off: pace_model.Detraining,
    race_vdot: float,
    current: float,
) -> None:
    """The `stale-fitness` warning: the recent race's fitness reduced by a break (at
    `time_off`) or by its age (at its date), and by how much."""
    effect = (
        f"paces use VDOT {current:.1f}, {off.loss:.1%} below the race's {race_vdot:.1f}"
        if off.loss > 0
        else f"its VDOT {race_vdot:.1f} may no longer be current"
    )
    if off.cause == "time-off":
        cause = f"after {pace_model.format_weeks(fitness.time_off_weeks)} without running"
        hint = (
            "once back in training, run a time trial or a race and update "
            "fitness.recent_race (and remove `time_off`)"
        )
    else:
        assert off.race_age_weeks is not None
        cause = (
            f"the recent race ({fitness.recent.date}) was run {off.race_age_weeks:.0f} weeks "
            "before the plan starts, too long ago to trust"
        )
        if off.loss > 0:
            effect += f" (as after {pace_model.format_weeks(off.weeks_off)} off)"
        hint = "run a time trial or a race and update fitness.recent_race and its `date`"
    r.warn(
        "stale-fitness",
        f"{cause}: {effect}",
        ("fitness", "time_off") if off.cause == "time-off" else RECENT_DATE,
        hint,
    )


def _warn_goal_too_slow(r: Reader, goal: Goal, current: float, easy_slow: float) -> None:
    """The `goal-too-slow` warning: a goal paced slower than the slowest easy running (likely
    a typo in the time), with what the fitness is worth instead."""
    units = r.get("units")
    goal_s, distance = goal.time_s, goal.distance_m
    equivalent = pace_model.race_time(current, distance)
    r.warn(
        "goal-too-slow",
        f"the goal {format_clock(goal_s)} for the {goal.name} "
        f"({format_pace(goal_s * 1000.0 / distance, units)}) is slower than your easy pace "
        f"({format_pace(easy_slow, units)} at its slowest)",
        (*goal.path, "goal"),
        f"a goal is a race effort: your fitness (VDOT {current:.1f}) is worth about "
        f"{format_clock(equivalent)}; check the time (h:mm:ss), or leave `goal` out to race "
        "at that pace",
    )


def _warn_goal_ambitious(r: Reader, goal: Goal, current: float) -> None:
    """The `goal-ambitious` warning: a goal more than GOAL_REACH_VDOT points beyond the
    fitness, and the pace the race-pace sessions train at instead."""
    units = r.get("units")
    goal_s, distance = goal.time_s, goal.distance_m
    predicted = pace_model.race_time(current, distance)
    # the pace and time the sessions train at, as the plan works them out
    # (paces.trained_race_pace: a whole second in the athlete's unit, an hour's race also held
    # below threshold), so the warning, its hint and plan.md say the same time
    threshold = pace_model.training_paces(current)[Zone.THRESHOLD]
    trained = pace_model.trained_race_pace(current, distance, goal_s, threshold, units)[0]
    trained_s = pace_model.trained_time(trained, distance)
    at_fitness = _at_fitness(trained_s, predicted, distance, units)
    r.warn(
        "goal-ambitious",
        f"the goal {format_clock(goal_s)} for the {goal.name} "
        f"({format_pace(goal_s * 1000.0 / distance, units, step=1)}) is "
        f"{1 - goal_s / predicted:.0%} faster than your fitness (VDOT {current:.1f}) "
        f"predicts ({format_clock(predicted)}): race-pace sessions at the goal pace would "
        "be run well above the effort they are meant for, so they train for "
        f"{format_clock(trained_s)} ({format_pace(trained.fast, units, step=1)}), "
        + (AT_FITNESS if at_fitness else "the fastest within reach"),
        (*goal.path, "goal"),
        f"aim for {format_clock(trained_s)} or slower ("
        + (
            "what your fitness runs today"
            if at_fitness
            else f"{GOAL_REACH_VDOT:g} VDOT points beyond the fitness, a plan's worth of "
            "improvement"
        )
        + "), or update fitness.recent_race with a newer race that shows the fitness",
    )


AT_FITNESS = (
    "today's fitness to the whole second of pace: a race of an hour or more is run a little "
    "below threshold pace"
)


def _at_fitness(trained_s: float, predicted_s: float, distance: float, units: Unit) -> bool:
    """Whether the sessions train at today's fitness rather than the fastest goal within
    reach: a race of an hour or more held below threshold pace, whose whole second of pace may
    read a few seconds slower than the prediction (round 20: "1:26:51, the fastest within
    reach" beside a prediction of 1:26:41).  As emit/text.goal_text tells it."""

    def pace(seconds: float) -> str:
        return format_pace(seconds * 1000.0 / distance, units, step=1)

    return trained_s > predicted_s or pace(trained_s) == pace(predicted_s)


GOAL_REACH_VDOT = pace_model.GOAL_REACH_VDOT  # how far beyond the fitness a goal may lie


def implied_long_run(
    r: Reader, weekly: float, long_run: float, days: int, *, quiet: bool = False
) -> float:
    """The current long run, at least the average run of the weekly volume over the available
    days: a week of 13 km on 3 days has a run of at least 4.3 km, whatever the profile says.
    A profile below that gets a warning (unless ``quiet``: too-few-days said it already, as the
    days are the likelier slip), and the plan starts from the implied run."""
    if days <= 0 or long_run * days >= weekly - 1.0:
        return long_run
    implied = weekly / days
    if quiet:
        return implied
    units = r.get("units")
    r.warn(
        "long-run-too-short",
        f"the current long run ({format_distance(long_run, units)}) is shorter than the average "
        f"run of the weekly volume ({format_distance(weekly, units)} on at most {days} days is "
        f"at least {format_distance(implied, units)} a run): the plan starts its long run from "
        f"{format_distance(implied, units)}",
        ("fitness", "long_run"),
        "write the longest single run of a usual week",
    )
    return implied


def check_volume_fits(
    r: Reader, program: Program, weekly: float, days: int, vdot: float, cap: float | None
) -> None:
    """A weekly volume the available days cannot hold with runs of a sane size (the long run
    within the program's time cap, the others within `easy_run_max`, at easy pace) gets a
    warning: the plan stays within what the days hold, below what the athlete runs now."""
    if days <= 0:
        return
    easy = easy_pace(vdot)
    holds = days_hold(program, easy, days)
    other_s = run_sizes(program, easy)[1] / 1000 * easy
    wanted = min(weekly, cap) if cap else weekly
    if wanted <= 1.05 * holds:
        return
    units = r.get("units")
    r.warn(
        "volume-exceeds-days",
        f"{format_distance(wanted, units)} a week does not fit on {days} running days with runs "
        f"of a sane size (a long run of at most {program.long_run_max_s / 60:.0f} min and "
        f"others of at most {other_s / 60:.0f} min at easy pace hold about "
        f"{format_distance(holds, units)}): the plan stays within what the days hold",
        ("availability", "days"),
        "add running days, or write the volume the athlete runs on these days",
    )


def check_max_volume(r: Reader, program: Program, weekly: float, cap: float | None) -> None:
    """A maximum weekly volume above the default derived from the current volume is a warning:
    the maximum is a ceiling, and the default holds below it (a jump that big is a coach's
    call: raise the current volume as the athlete gets there)."""
    if cap is None:
        return
    rules = program.rules
    derived = rules.default_peak(weekly)
    if cap <= derived * 1.001:
        return
    units = r.get("units")
    r.warn(
        "max-volume-above-default",
        f"max_weekly_volume ({format_distance(cap, units)}) is above the most planc builds to "
        f"from the current {format_distance(weekly, units)} a week by default "
        f"({format_distance(derived, units)}: {rules.peak_share(weekly):.0%}, or "
        f"+{format_distance(rules.peak_min_gain_m, units)}); the plan stays within the default",
        ("max_weekly_volume",),
        "raise fitness.weekly_volume once the athlete runs more, or lower max_weekly_volume",
    )


UNDERPREPARED = 0.6  # of the race's long-run target: a long run that can reach less by race
# week sends the athlete to the start line on too little endurance
READY = 0.8  # of the target: what the earliest race date that works lets the long run reach


def _long_run_growth_weeks(program: Program, weeks: int) -> int:
    """The weeks in ``weeks`` to race day in which the long run can grow: the building weeks
    (the taper's default taken off), less one in four for the cutback weeks, which hold it."""
    building = max(weeks - program.taper_weeks, 0)
    return building - building // 4


def long_run_reach(program: Program, long_run: float, weeks: int) -> float:
    """The longest a long run of ``long_run`` can grow to in ``weeks`` to race day at the
    program's growth (``_long_run_growth_weeks``), blind to what the weeks can hold."""
    grown = long_run
    for _ in range(_long_run_growth_weeks(program, weeks)):
        grown = program.grown_long_run(grown)
    return grown


def check_long_run_reach(
    r: Reader, program: Program, long_run: float, weeks: int, first_day: dt.date
) -> None:
    """A race the long run cannot grow toward in time (at the program's growth a week, with
    cutbacks) is a warning: the plan is built, but the coach should know the athlete arrives
    short of endurance, and when a race would leave the time."""
    target = program.rules.long_run_target_m
    if long_run <= 0 or long_run >= UNDERPREPARED * target:
        return
    reach = long_run_reach(program, long_run, weeks)
    if reach >= UNDERPREPARED * target:
        return
    needed = weeks
    while long_run_reach(program, long_run, needed) < READY * target:
        needed += 1
    earliest = first_day + dt.timedelta(weeks=needed - 1)
    units = r.get("units")
    r.warn(
        "race-underprepared",
        f"the long run can grow from {format_distance(long_run, units)} to about "
        f"{format_distance(reach, units)} by race week (+{program.long_run_growth:.0%} a week, "
        f"{format_distance(program.long_run_growth_min_m, units)} at least, with cutbacks), "
        f"well short of the {format_distance(target, units)} the "
        f"{program.title} program builds to: the athlete would race on too little endurance",
        ("race", "date"),
        f"a race on or after {earliest} gives the long run time to reach "
        f"{format_distance(READY * target, units)}, or choose a shorter race",
    )
