"""The size of a week's long run (part of stage 7, expand): its own progression from the
athlete's current long run toward the race's target, within its growth, time and share caps, cut
back with cutback, taper and comeback weeks, and never far below what the athlete runs now.

allocate (plan/allocate.py) asks it for the long run first and shares the rest of the week out
among the other runs; this module knows nothing of them.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence

from ..model import (
    Athlete,
    Blueprint,
    Paces,
    Race,
    ScheduledWeek,
    StepTemplate,
    WeekPlan,
    WorkoutTemplate,
)
from ..units import METRES_PER, format_distance
from ..vocabulary import RacePriority, Zone
from .periodize import breaks, is_careful, is_masters, weeks_to_peak
from .sessions import Draft

LONG_RUN_WINDOW = dt.timedelta(days=30)


FEW_DAYS = 4  # running days at or below which a week holds one hard session


NEAR_TARGET = 0.9  # of the race's long-run target: a long run this long no longer grows past
# the week's share to reach it
KEEP_CURRENT_LONG = 0.76  # of the athlete's current long run: the least a building week keeps


FIRST_WEEK_HOLDS = 0.75  # of the race's long-run target: a long run this long holds in week 1


def floor_unit(metres: float, unit_m: float) -> float:
    """Down to a tenth of the athlete's unit."""
    return math.floor(metres / (unit_m * 0.1) + 1e-9) * unit_m * 0.1


Limit = tuple[float, str]  # the most a long run may be, and why


def size_long_run(
    bp: Blueprint,
    paces: Paces,
    week: ScheduledWeek,
    draft: Draft,
    history: Sequence[tuple[dt.date, float]],
    target: float,
    runs: int,
    beyond_goal: float = 0.0,
    growth: float = 0.0,
) -> tuple[float, list[str]]:
    """The week's long run, its own progression: from the athlete's current long run toward
    the race's target, at most +10% on the longest run of the last 30 days, within the time
    cap at easy pace and the share of the week the program and the focus allow.  In building
    weeks it never drops far below what the athlete already runs.  ``beyond_goal`` lets it grow
    past the race's target when the week's other runs cannot hold its volume; ``growth`` is the
    week's target over the last week run (0: not counted), as the long run may grow after a
    break."""
    rules = bp.program.rules
    longest = longest_of_window(bp.athlete, history, draft.slot.date)
    week_m = target
    target = _share_of(week, longest, target, runs, rules.long_run_target_m)
    few_runs_share = 1 / (1 + rules.easy_run_max_of_long * (runs - 1))
    share = _long_run_share(bp, target, few_runs_share)
    limits = _standing_limits(bp, paces, longest, share, target, beyond_goal, runs)
    limits += _week_limits(bp, week, history, longest)
    if week.plan.after_break:
        limits += _after_break_rise(bp, history, growth)
    limits += _big_long_run_limits(bp, draft, history)
    if bp.athlete.minor_race_on(draft.slot.date - dt.timedelta(days=1)) is not None:
        # the day after a B or C race (a tune-up race and a long run back to back): the long
        # run of recent weeks, not a new longest (19 km the day after a parkrun, round 12)
        limits.append((longest, "the day after a race: no longer than the last 30 days'"))
    back = week.plan.return_share
    depth = cutback_depth(bp, week) if week.plan.cutback and back is None else 0.0
    # the longest the long run can get: the race's target, or less when the time cap holds it
    reachable = min([rules.long_run_target_m, limits[2][0]] + [m for m, _ in distance_cap(bp)])
    spread = _spread_long_run(bp, week.plan, reachable)
    if spread is not None and week.plan.share_of_peak is None and back is None:
        spread = max(spread, few_runs_share * target)  # never shorter than the others
        limits.append(
            (
                spread + beyond_goal,
                "grows toward its longest over the plan, so the longest come late",
            )
        )
    if depth:
        # a cutback week cuts the long run back with the week (a coach's step-back week is
        # lighter in its longest run too); the next week grows again from the longest run of
        # the last 30 days, so the cutback costs the long run no growth
        limits.append((longest * (1 - depth), f"a cutback week: {depth:.0%} shorter"))
    wanted, why = min(limits, key=lambda limit: limit[0])
    kept = _kept_near_current(bp, week, (wanted, why), limits, depth, target)
    wanted, why = _around_minor_races(bp, week, draft.slot.date, history, kept)
    wanted, why = _moved_by_days_away(bp, week, draft, (wanted, why), longest, week_m, runs)
    total = max(floor_unit(wanted, METRES_PER[bp.athlete.units]), draft.fixed_m)
    return total, [f"long run {format_distance(total, bp.athlete.units)}: {why}"]


def _moved_by_days_away(
    bp: Blueprint,
    week: ScheduledWeek,
    draft: Draft,
    wanted: Limit,
    longest: float,
    week_m: float,
    runs: int,
) -> Limit:
    """A long run moved off its day by days away (schedule: "moved from ...") is at most the
    longest of the last 30 days and `long_run_max_share` of the week it is run in (``week_m``),
    whatever the week's few days ask: a 3:35 marathoner's long run moved before a trip was 15
    mi, 55% of a 27.5 mi week, five days after an 18-miler (round 22).  A week of fewer than
    MOVED_CAPPED_FROM runs keeps its long run: its one or two runs are the week (a share of
    it lowered the week's target, then the long run again, down to a 2.2 km long run)."""
    moved = MOVED_FROM in draft.slot.reason and runs >= MOVED_CAPPED_FROM
    if not moved or not bp.athlete.days_away(week.plan.start, week.plan.days):
        return wanted
    share = long_run_max_share(bp)
    most = min(longest, share * week_m)
    if wanted[0] <= most:
        return wanted
    return most, (
        f"moved off its day by days away: at most {share:.0%} of the week and the longest "
        "of the last 30 days"
    )


MOVED_FROM = "moved from"  # schedule's reason for a long run moved off its day
MOVED_CAPPED_FROM = 3  # runs in the week from which a moved long run is a share of it


def _around_minor_races(
    bp: Blueprint,
    week: ScheduledWeek,
    day: dt.date,
    history: Sequence[tuple[dt.date, float]],
    wanted: Limit,
) -> Limit:
    """The long run on ``day`` (``wanted`` and why) after the floors, held around B and C
    races: back after a B race no longer than before it (_before_b_race), cut back in a C
    race's week before it (`c_long_before`: a long run moved off the race's day was run at full
    length 3 days before a 5K, round 19), and cut well back the day or two after a C race."""
    before_b = _before_b_race(bp, day, history)
    if before_b is not None and before_b[0] <= wanted[0]:  # the race was the peak: it binds
        wanted = before_b
    ahead = c_race_ahead(bp, week.plan, day)
    if ahead is not None:
        share = bp.program.rules.minor.c_long_before
        wanted = (share * wanted[0], f"in the week of the C race {ahead.name}: {share:.0%} of it")
    after = _days_after_c_race(bp, day)
    if after is not None:
        # a tune-up race and a long run back to back, or a day apart: the long run cut well
        # back (31 km the day after a C 10K, issue 11; a new longest two days after a Friday 5K)
        minor = bp.program.rules.minor
        share = minor.c_long_after_careful if is_careful(bp) else minor.c_long_after
        share = share if share > 0 else minor.c_long_after
        when = "the day after" if after == 1 else "two days after"
        wanted = (share * wanted[0], f"{when} a C race: {share:.0%} of the long run")
    return wanted


def c_race_ahead(bp: Blueprint, plan: WeekPlan, day: dt.date) -> Race | None:
    """A C race later in the week of ``plan`` than ``day``, or None: the days of a C race's
    week before it are trained through, their runs no bigger than the week would run without
    the quality session the race took the place of (`c_long_before`, `easy_after_race_max`)."""
    end = plan.start + dt.timedelta(days=plan.days)
    return next(
        (r for r in bp.athlete.other_races if r.priority == RacePriority.C and day < r.date < end),
        None,
    )


def _days_after_c_race(bp: Blueprint, day: dt.date) -> int | None:
    """1 or 2 when a C race was run that many days before ``day`` (the nearest), else None."""
    for days in (1, 2):
        raced = bp.athlete.minor_race_on(day - dt.timedelta(days=days))
        if raced is not None and raced.priority == RacePriority.C:
            return days
    return None


def longest_of_window(
    athlete: Athlete, history: Sequence[tuple[dt.date, float]], on: dt.date
) -> float:
    """The longest long run (or race) of the last LONG_RUN_WINDOW before ``on`` that the
    athlete could run in: the days of a break (periodize.breaks) do not count, so the window
    reaches back past it to the long runs before it.  A break is no new normal: after a
    26-day trip the 30 days held only the first week back's short run, each week back's long
    run was a share of the last, and a week of few runs never came back to its volume (a
    10K runner's second week back, 16.7 of 29.9 km, a 3.9 km long run after 13.6 km).  With
    none in the window, the last one run."""
    spans = breaks(athlete)

    def days_ago(day: dt.date) -> dt.timedelta:
        away = sum(
            max(0, (min(last + dt.timedelta(days=1), on) - max(first, day)).days)
            for first, last in spans
        )
        return on - day - dt.timedelta(days=away)

    recent = [m for day, m in history if days_ago(day) <= LONG_RUN_WINDOW]
    return max(recent) if recent else history[-1][1]


def _share_of(
    week: ScheduledWeek, longest: float, target: float, runs: int, target_long_m: float
) -> float:
    """The week the long run is a share of: ``target``, what the week will run, or in a building
    week with few runs or a long run still growing toward the race's ``target_long_m``, the
    week the plan builds to (its ``target_m``)."""
    growing = longest < NEAR_TARGET * target_long_m
    if week.plan.share_of_peak is None and (runs <= FEW_DAYS or growing):
        # a building week's long run is a share of the week the plan builds to, not of a
        # target held down to what the days hold: those hold as much as the long run lets the
        # others grow, and a long run shrunk with them would shrink the week again, week after
        # week; nor of a week held by the ramp while it still grows toward the race's target
        # (an injury-prone marathoner's long runs stalled at 45% of slowly ramped weeks).  Near
        # its target, with runs enough to hold the week, it is a share of what is run (16.5 km
        # was 42% of an injury-prone 10K runner's week, round 11)
        return max(target, week.plan.target_m)
    return target


def _long_run_share(bp: Blueprint, target: float, few_runs_share: float) -> float:
    """The share of the week (``target``) the long run may take: the focus's, within the most
    the program allows (long_run_max_share); a smaller focus share shortens a long run that
    would pass the race's target, never one that has not reached it; below the race's
    `long_run_floor` an injury-prone or masters share does not hold it either (the program's
    share does); and with few runs, at least ``few_runs_share``, or the others would outgrow
    it."""
    rules = bp.program.rules
    most = long_run_max_share(bp)
    share = min(most, bp.focus.long_run_share)
    if 0 < share * target < rules.long_run_target_m:
        share = min(most, max(share, rules.long_run_target_m / target))
    floor = rules.long_run_floor_m
    if floor is not None and 0 < share * target < floor:
        # the race's floor: a careful (injury-prone, masters) share shortens a long run only
        # past it; below it the program's own share holds
        share = max(share, min(rules.long_run_max_share, floor / target))
    return max(share, few_runs_share)


def _standing_limits(
    bp: Blueprint,
    paces: Paces,
    longest: float,
    share: float,
    target: float,
    beyond_goal: float,
    runs: int,
) -> list[Limit]:
    """The limits every week's long run keeps, in this order (size_long_run reads the second
    and third by place): the race's target, the growth on the longest run of the last 30
    days, the time cap at easy pace, and its share of the week."""
    program, athlete, rules = bp.program, bp.athlete, bp.program.rules
    easy = paces.zones["easy"].mid
    return [
        (
            max(athlete.long_run_m, rules.long_run_target_m) + beyond_goal,
            "the race's long-run target"
            + (", and more to hold the week's volume" if beyond_goal else ""),
        ),
        (
            program.grown_long_run(longest),
            f"+{program.long_run_growth:.0%} on the longest run of the last 30 days"
            f" (+{format_distance(program.long_run_growth_min_m, athlete.units)} at least)",
        ),
        # the focus's cap yields only where few runs cannot hold the week without it
        time_cap(bp, easy, beyond_goal if runs <= FEW_DAYS else 0.0),
        (
            share * target + beyond_goal,
            f"{share:.0%} of the week" + (", and more to hold its volume" if beyond_goal else ""),
        ),
        *distance_cap(bp),
    ]


def distance_cap(bp: Blueprint) -> list[Limit]:
    """The program's `long_run_max_distance`, or none: the longest any long run may be, even
    where the week's volume asks for more (``beyond_goal`` never passes it: the week leaves the
    rest out instead), and whatever its time at easy pace.  An athlete whose current long run is
    longer keeps it: the cap holds a plan's growth, it does not cut what they already run."""
    most = bp.program.rules.long_run_max_m
    if most is None:
        return []
    cap = max(most, bp.athlete.long_run_m)
    return [(cap, f"the program's longest long run, {format_distance(cap, bp.athlete.units)}")]


def _week_limits(
    bp: Blueprint,
    week: ScheduledWeek,
    history: Sequence[tuple[dt.date, float]],
    longest: float,
) -> list[Limit]:
    """The limits of the week's kind: the first week, a taper week, a week back from a break,
    the first full week after one."""
    athlete, program, rules = bp.athlete, bp.program, bp.program.rules
    limits: list[Limit] = []
    if week.plan.index == 1 and athlete.long_run_m >= FIRST_WEEK_HOLDS * rules.long_run_target_m:
        # the first week starts from what the athlete runs now: a long run already near the
        # race's target does not grow in the same week as the volume steps up (a short one
        # grows, or it would not reach the target in time)
        limits.append((athlete.long_run_m, "the first week: the athlete's current long run"))
    taper = week.plan.share_of_peak
    if taper is not None and not week.plan.after_race:
        # a taper shortens the long run with the week: the legs arrive fresh, not a 31 km run
        # seven days before a marathon at 40% of a week that is still 80% of the peak
        limits.append((longest * taper, f"a taper week: {taper:.0%} of the longest long run"))
        peak_share = rules.taper_long_run_share
        raced = {race.date for race in athlete.races}
        runs = [m for day, m in history if day not in raced]
        if peak_share is not None and runs:
            # and a share of the plan's longest: the taper's first long run, 80% of a week
            # still near the peak, was 29.6 km two weeks before a marathon (review round 17);
            # a race is no long run (a B half's 14 mi held a 10K's 10.8 mi peak long run
            # 7 days before the race, review round 20)
            peak = max(runs)
            limits.append(
                (peak * peak_share, f"a taper week: {peak_share:.0%} of the plan's longest")
            )
    back = week.plan.return_share
    if back is not None:  # an easy week back at the full level (a short break): the last level's
        back = min(back, program.rules.return_levels[-1])
    if back is not None:  # back from a break: the long run comes back with the week, but never
        # shorter than a short easy run: half of a 3.5 km long run holds the whole week to 2 km
        comeback = max(longest * back, min(longest, program.min_easy_run_m))
        limits.append(
            (comeback, f"back from a break: {back:.0%} of the longest long run before it")
        )
    if week.plan.after_break:  # the first full week after a break: no new longest run yet
        before = max((m for _day, m in history), default=longest)
        limits.append((before, "the first full week after a break: no longer than before it"))
    return limits


def _after_break_rise(
    bp: Blueprint, history: Sequence[tuple[dt.date, float]], growth: float
) -> list[Limit]:
    """The first full week after a break: its long run at most `return_from_break.rise` (its
    injury-prone value for an injury-prone athlete) on the last long run run (races left
    out), as the weeks climbing back to the level do, or as the week grows on the last week
    run (``growth``) when that is more, so its share of the week does not shrink: the weeks
    back held it to a share of the longest before, and the longest straight after them was
    +33% on the week before, the week +30% (round 18: 10 to 13.3 mi the second week back
    from a trip, beside a race-pace tempo)."""
    rules = bp.program.rules
    raced = {race.date for race in bp.athlete.races}
    runs = [m for day, m in history if day not in raced]
    if not runs:
        return []
    rise = rules.return_rise_for(bp.athlete.injury_prone)
    rise = max(rise, growth - 1)
    why = f"the first full week after a break: +{rise:.0%} on the last long run"
    return [(runs[-1] * (1 + rise), why)]


BIG_APART_DAYS = 10  # days back to the last long run: last week's, whatever its weekday
EASY_ZONES = frozenset({Zone.RECOVERY, Zone.EASY, Zone.STEADY})  # no faster block in a long run


def _big_long_run_limits(
    bp: Blueprint, draft: Draft, history: Sequence[tuple[dt.date, float]]
) -> list[Limit]:
    """A moderate long run (`big_long_runs`' `moderate`) the week after a big one (longer than
    its `from`) and when the long run holds a faster block (race pace, threshold: the block is
    its work, not its distance), so big long runs come at most every other week: a 27-week
    marathoner ran nine of 35-37 km in twelve weeks, three race-pace blocks among them (round
    16; Pfitzinger's 18 weeks hold about five of 32 km or more).  Never below the athlete's
    current long run: one who runs 31 km now keeps it as a moderate one (its floor, below)."""
    rules = bp.program.rules
    if rules.big_long_run_m is None:
        return []
    moderate = max(rules.moderate_long_run_m, bp.athlete.long_run_m)
    limits: list[Limit] = []
    last = [m for day, m in history if (draft.slot.date - day).days <= BIG_APART_DAYS]
    if last and last[-1] > rules.big_long_run_m:
        limits.append((moderate, "the week after a big long run: a moderate one"))
    if holds_block(draft.template.steps):
        limits.append((moderate, "a block at a faster pace: a moderate long run"))
    return limits


def holds_block(steps: Sequence[StepTemplate]) -> bool:
    """Whether a workout's steps (as written) hold a block faster than steady."""
    for step in steps:
        zone = (step.target or "").rpartition("@")[2].strip()
        if "@" in (step.target or "") and zone not in EASY_ZONES:
            return True
        if holds_block(step.steps):
            return True
    return False


def quality_long(template: WorkoutTemplate) -> bool:
    """Whether a long run's workout holds a block at steady pace or faster (a steady finish,
    race pace, a tempo): a quality session of its week, not an easy long run."""
    return _holds_quality(template.steps)


def _holds_quality(steps: Sequence[StepTemplate]) -> bool:
    for step in steps:
        zone = (step.target or "").rpartition("@")[2].strip()
        if "@" in (step.target or "") and zone not in (Zone.RECOVERY, Zone.EASY):
            return True
        if _holds_quality(step.steps):
            return True
    return False


B_LONG_BACK_DAYS = 14  # days after a B race whose long run is held to the long runs before it
LONG_RACE_M = 21_000.0  # a B race this long or longer is recovered from as the A race is


def _before_b_race(
    bp: Blueprint, day: dt.date, history: Sequence[tuple[dt.date, float]]
) -> Limit | None:
    """The most the long run on ``day`` may be after a B race of the B_LONG_BACK_DAYS before
    it (the races in ``history`` left out), and why, or None.  After a B half or longer
    (LONG_RACE_M), in its easy days the last long run before it: a moderate one, not a new
    longest on legs that raced a week ago; past them (one per `km_per_easy_day` raced, at
    least `b_easy_after`) the longest of the LONG_RUN_WINDOW before the race: `big_long_runs`'
    alternation goes on, and the last before the race may have been a moderate one (a
    marathoner's long runs after the B half were all held to 30 km, round 18).  After a
    shorter B race, the first long run after it is no longer than the longest of the
    LONG_RUN_WINDOW before it: no new longest 6 days after a B 10K, made long to hold the
    week's volume (round 19)."""
    raced = {race.date for race in bp.athlete.races}
    minor = bp.program.rules.minor
    for race in bp.athlete.other_races:
        after = (day - race.date).days
        if race.priority != RacePriority.B or not 0 < after <= B_LONG_BACK_DAYS:
            continue
        before = [(d, m) for d, m in history if d < race.date and d not in raced]
        window = [m for d, m in before if race.date - d <= LONG_RUN_WINDOW]
        longest = "no longer than the longest of the 30 days before it"
        if race.distance_m < LONG_RACE_M:
            first = not any(race.date < d < day for d, _ in history)
            if first and window:
                return max(window), f"the first long run after a B race: {longest}"
            continue
        easy = max(round(race.distance_m / max(minor.km_per_easy_day_m, 1.0)), 1)
        if window and after > max(easy, minor.b_easy_after):
            return max(window), f"back after a B race: {longest}"
        if before:
            return before[-1][1], "back after a B race: no longer than the last before it"
        return None
    return None


def _kept_near_current(
    bp: Blueprint,
    week: ScheduledWeek,
    wanted: Limit,
    limits: Sequence[Limit],
    depth: float,
    target: float,
) -> Limit:
    """``wanted``, or in a building week (not a taper, not back from a break) never below
    what the athlete runs now: the current long run itself while it is within the time cap
    (``limits``' third) and at most the program's `current_long_run_share` of the week
    (``target``), even past the share the long run grows by (a beginner already running 5 km
    in a 10 km week started at 4.3 km, a newcomer's 8 km at 7.2 km: a step back, round 16);
    else 80% within the growth and time caps (``limits``' second and third), and never below
    KEEP_CURRENT_LONG of it, even past the time cap (they already run that long).  A cutback
    week's floor is cut back by its ``depth`` too."""
    current = bp.athlete.long_run_m
    floor = max(min(0.8 * current, limits[1][0], limits[2][0]), KEEP_CURRENT_LONG * current)
    why = "kept near the athlete's current long run"
    share = bp.program.rules.current_long_run_share
    if current <= min(limits[2][0], share * target) and current > floor:
        floor, why = current, f"the athlete's current long run, {share:.0%} of the week at most"
    building = week.plan.share_of_peak is None and week.plan.return_share is None
    floor *= 1 - depth
    if building and wanted[0] < floor:
        return floor, why
    return wanted


def time_cap(bp: Blueprint, easy: float, beyond_goal: float = 0.0) -> Limit:
    """The most the long run takes by time at easy pace (``easy`` seconds a km): the program's
    `long_run_max`, or the focus's lower `long_run_max` for races up to its distance (a speed
    focus's 10K runner ran 150 min long runs, issue 11).  The focus's cap never holds the long
    run below the race's long-run target (which targets.for_the_athlete grows no further than
    the cap) nor the athlete's current long run (a 5K runner already going 24 km is not cut to
    17); in a week of few runs (FEW_DAYS) ``beyond_goal``, what the others cannot hold, passes
    it, so a three-day runner's week is not cut (more runs share out the volume instead)."""
    program = bp.program
    most = program.long_run_max_s / easy * 1000
    why = f"{program.long_run_max_s / 60:.0f} min at easy pace"
    cap_s = None if program.block else bp.focus.long_run_cap_s(program.distance_m)
    if cap_s is None or cap_s >= program.long_run_max_s:
        return most, why
    floor = max(program.rules.long_run_target_m, bp.athlete.long_run_m)
    own = max(cap_s / easy * 1000, floor) + beyond_goal
    if own >= most:
        return most, why
    return own, f"{cap_s / 60:.0f} min at easy pace, the {bp.focus.name} focus's cap"


def long_run_max_share(bp: Blueprint) -> float:
    """The most of a week the long run may take: the program's share, or less for an
    injury-prone or a masters athlete (one run of half the week is its biggest single load)."""
    rules = bp.program.rules
    shares = [rules.long_run_max_share]
    if bp.athlete.injury_prone and rules.long_run_max_share_injury_prone is not None:
        shares.append(rules.long_run_max_share_injury_prone)
    if is_masters(bp) and rules.masters_long_run_max_share is not None:
        shares.append(rules.masters_long_run_max_share)
    return min(shares)


def _spread_long_run(bp: Blueprint, week: WeekPlan, reachable: float) -> float | None:
    """On a long runway the long run reaches its longest (``reachable``) when the volume
    reaches its peak (periodize.weeks_to_peak), not in week 4: then it repeats
    for months (nine 3-hour runs for a 61-year-old).  The most it may be this week, or None
    when the athlete already runs that long."""
    current = bp.athlete.long_run_m
    if reachable <= current:
        return None
    to_race = (bp.athlete.last_day - week.start).days // 7
    building = week.index - 1 + max(to_race + 1 - bp.program.taper_weeks, 0)
    peak_at = weeks_to_peak(bp, building)
    return current + (reachable - current) * min(1.0, week.index / peak_at)


def cutback_depth(bp: Blueprint, week: ScheduledWeek) -> float:
    """How far the week's phase cuts a cutback week's volume back."""
    program_phase = next(p for p in bp.program.phases if p.phase == week.plan.phase)
    rule = bp.volume_rule(program_phase)
    return rule.cutback_injury_prone if bp.athlete.injury_prone else rule.cutback
