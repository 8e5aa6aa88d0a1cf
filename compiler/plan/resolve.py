"""Stage 3, resolve: validated documents -> the typed model.

Templates come from the search path (compiler/sources/library.py) and are resolved and cross-checked
in compiler/sources/resolve_templates.py; this module resolves athletes against them: the program
and focus they choose, their availability, days away and fitness, and the checks only an athlete can
fail (a long-run day they cannot run on, an unknown time zone, an impossible race result, a race too
close to the start, a recent race dated in the future, stale fitness, a goal slower than easy
running; combinations that make no sense together are checked in compiler/plan/plausible.py).
Every problem is reported at its file, line and column; nothing stops at the first.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
import zoneinfo
from functools import cache

from ..diagnostics import Diagnostic
from ..model import (
    WEEKDAYS,
    Athlete,
    Availability,
    Away,
    Block,
    Blueprint,
    Focus,
    Program,
    Race,
    RecentRace,
    SecondCycle,
)
from ..sources.document import Document
from ..sources.library import FOLDERS, TEMPLATE_KINDS, Library, Templates, build_library
from ..sources.reader import Reader
from ..sources.resolve_templates import resolve_templates
from ..units import (
    UnitError,
    format_clock,
    format_distance,
    format_metres_plain,
    format_pace,
    parse_clock,
    parse_distance,
    parse_duration,
    parse_race_distance,
)
from . import paces as pace_model
from .capacity import days_hold, easy_pace, run_sizes
from .plausible import check_max_below_current, check_race_in_past, check_running_days
from .resolve_changes import read_changes
from .resolve_races import (
    SeasonFrame,
    a_race_view,
    check_a_races,
    check_minor_races,
    read_minor_races,
    read_second_a_race,
    with_second_a_race,
)

__all__ = [
    "FOLDERS",
    "TEMPLATE_KINDS",
    "Library",
    "Templates",
    "build_library",
    "first_week",
    "fitness_detraining",
    "parse_time_off",
    "plan_start",
    "resolve_athlete",
    "resolve_templates",
    "week_of",
    "weeks_to",
]


@cache
def _time_zones() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones())


def _timezone_hint(name: str) -> str:
    """'london' -> did you mean 'Europe/London'?  Matches ignore case and may name the city."""
    zones = sorted(_time_zones())
    by_lower = {z.lower(): z for z in zones}
    by_city: dict[str, str] = {}
    for zone in zones:
        by_city.setdefault(zone.rsplit("/", 1)[-1].lower().replace("_", " "), zone)
    wanted = name.strip().lower()
    exact = by_lower.get(wanted) or by_city.get(wanted.replace("_", " "))
    if exact:
        return f"did you mean '{exact}'?"
    close = difflib.get_close_matches(wanted, [*by_lower, *by_city], n=1, cutoff=0.75)
    if close:
        return f"did you mean '{by_lower.get(close[0]) or by_city[close[0]]}'?"
    return "use an IANA time zone name, e.g. Europe/Berlin or America/New_York"


MAX_PLAN_WEEKS = 52  # from the plan's first week to race week: a season, not a career
FIRST_YEAR, LAST_YEAR = 1900, 2999  # plans are dated within these years (date arithmetic is safe)
MIN_WEEKLY_M, MAX_WEEKLY_M = 1_000.0, 350_000.0


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


def fitness_detraining(athlete: Athlete, today: dt.date) -> pace_model.Detraining:
    """How much of the athlete's recent-race fitness is left when their plan starts."""
    first_day = athlete.start or plan_start(athlete.start, athlete.week_start, today)
    return pace_model.detraining(athlete.recent_race.date, athlete.time_off_weeks, first_day)


def _plannable(r: Reader, day: dt.date | None, path: tuple[str | int, ...]) -> None:
    """A race or start date within the years planc plans for."""
    if day is not None and not FIRST_YEAR <= day.year <= LAST_YEAR:
        r.fail(
            "bad-date",
            f"{day} is not a date planc can plan for (years {FIRST_YEAR} to {LAST_YEAR})",
            path,
            "check the year",
        )


def plan_start(athlete_start: dt.date | None, week_start: int, today: dt.date) -> dt.date:
    """The first day of week 1: the week-start day on or before the athlete's start date, or the
    next week-start day after today when no start date is given."""
    if athlete_start is not None:
        return athlete_start - dt.timedelta(days=(athlete_start.weekday() - week_start) % 7)
    return today + dt.timedelta(days=(week_start - today.weekday() - 1) % 7 + 1)


def first_week(
    athlete_start: dt.date | None, week_start: int, today: dt.date, program: Program, race: dt.date
) -> tuple[dt.date, int]:
    """Week 1's first day and its length in days.  A start later in the week leaves week 1
    short (Friday, in weeks from Monday: three days); with fewer than the program's
    ``first_week_min_days`` days it joins the next week, which then starts on the athlete's
    first day and spans 8 to 13 days, so the plan eases in over one week's volume instead of a
    sliver of a week and a full week's jump after it; unless that leaves fewer weeks to
    ``race`` than the program needs.  A longer short week keeps its seven days from the
    week-start day, and the days before the start hold nothing."""
    frame = plan_start(athlete_start, week_start, today)
    if athlete_start is None or athlete_start == frame:
        return frame, 7
    left = 7 - (athlete_start - frame).days
    joined = weeks_to(race, athlete_start, 7 + left, week_start)
    if left < program.rules.first_week_min_days and joined >= program.min_weeks:
        return athlete_start, 7 + left
    return frame, 7


def weeks_to(race_date: dt.date, first: dt.date, days: int, week_start: int) -> int:
    """The plan's week number of race day, week 1 starting ``first`` and spanning ``days``."""
    return (week_of(race_date, week_start) - first - dt.timedelta(days=days - 7)).days // 7 + 1


RACE_EARLY_IN_WEEK = 4  # a race on one of the first days of the athlete's week...


def race_aligned_week_start(week_start: int, race_date: dt.date) -> int:
    """The day the plan's weeks start on: the athlete's ``week_start``, unless the race falls
    on one of the first RACE_EARLY_IN_WEEK days of such a week; then the day after the race's
    weekday, so that race week is the seven days before the race.  A Monday marathon in weeks
    from Monday would leave the last days before it in a taper week, with its long run four
    days out."""
    if (race_date.weekday() - week_start) % 7 < RACE_EARLY_IN_WEEK:
        return (race_date.weekday() + 1) % 7
    return week_start


def week_of(day: dt.date, week_start: int) -> dt.date:
    return day - dt.timedelta(days=(day.weekday() - week_start) % 7)


def _missing_templates(program: Program, focus: Focus, templates: Templates) -> bool:
    """Whether a template the plan would use is missing (it has errors, reported in its file)."""
    phases = [p.phase for p in program.phases]
    if any(name not in templates.phases for name in phases):
        return True
    wanted = set() if program.block else {program.race_workout}
    for phase in phases:
        chosen = focus.for_phase(phase)
        wanted.update(name for slot in chosen.quality for name in slot)
        wanted.update(chosen.easy)
        wanted.update(n for n in (chosen.long, chosen.recovery, chosen.strength) if n)
    return any(name not in templates.workouts for name in wanted)


def _check_fitness(
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


def _check_recent_fitness(
    r: Reader,
    recent: RecentRace,
    time_off_weeks: float,
    today: dt.date,
    first_day: dt.date,
    goal_s: float | None,
    program: Program,
) -> float | None:
    """The recent race against the calendar and the goal against it: a race dated in the future
    (an error), fitness gone stale by age or a break (a warning; the paces are reduced by
    Daniels' time-off table, compiler/plan/paces.py), a goal slower than easy running (a warning).
    Returns the VDOT the paces will use, or None when the race cannot be used."""
    date_path = ("fitness", "recent_race", "date")
    if recent.date is not None and recent.date > max(today, first_day):
        r.fail(
            "recent-race-in-future",
            f"the recent race is dated {recent.date}, in the future: today is {today} and the "
            f"plan starts {first_day}",
            date_path,
            "give the date it was run (check the year), or leave `date` out",
        )
        return None
    race_vdot = pace_model.vdot(recent.distance_m, recent.time_s)
    off = pace_model.detraining(recent.date, time_off_weeks, first_day)
    current = pace_model.reduced_vdot(race_vdot, off.weeks_off)
    if off.cause is not None:
        effect = (
            f"paces use VDOT {current:.1f}, {off.loss:.1%} below the race's {race_vdot:.1f}"
            if off.loss > 0
            else f"its VDOT {race_vdot:.1f} may no longer be current"
        )
        if off.cause == "time-off":
            cause = f"after {pace_model.format_weeks(time_off_weeks)} without running"
            hint = (
                "once back in training, run a time trial or a race and update "
                "fitness.recent_race (and remove `time_off`)"
            )
        else:
            assert off.race_age_weeks is not None
            cause = (
                f"the recent race ({recent.date}) was run {off.race_age_weeks:.0f} weeks before "
                "the plan starts, too long ago to trust"
            )
            if off.loss > 0:
                effect += f" (as after {pace_model.format_weeks(off.weeks_off)} off)"
            hint = "run a time trial or a race and update fitness.recent_race and its `date`"
        r.warn(
            "stale-fitness",
            f"{cause}: {effect}",
            ("fitness", "time_off") if off.cause == "time-off" else date_path,
            hint,
        )
    if goal_s is None:
        return current
    distance = program.distance_m
    easy_slow = pace_model.pace_at(current, pace_model.EASY_SLOW_FRACTION)
    if goal_s * 1000.0 / distance > easy_slow:
        units = r.get("units")
        equivalent = pace_model.race_time(current, distance)
        r.warn(
            "goal-too-slow",
            f"the goal {format_clock(goal_s)} for the "
            f"{r.get('race', 'name', default=program.title)} "
            f"({format_pace(goal_s * 1000.0 / distance, units)}) is slower than your easy pace "
            f"({format_pace(easy_slow, units)} at its slowest)",
            ("race", "goal"),
            f"a goal is a race effort: your fitness (VDOT {current:.1f}) is worth about "
            f"{format_clock(equivalent)}; check the time (h:mm:ss), or leave `goal` out to race "
            "at that pace",
        )
    elif goal_s < (reachable := pace_model.reachable_time(current, distance)):
        units = r.get("units")
        predicted = pace_model.race_time(current, distance)
        # the pace the sessions train at, as the plan works it out (paces.trained_race_pace: an
        # hour's race is also held below threshold), so the warning and plan.md agree
        threshold = pace_model.training_paces(current)["threshold"]
        trained = pace_model.trained_race_pace(current, distance, goal_s, threshold)[0].fast
        r.warn(
            "goal-ambitious",
            f"the goal {format_clock(goal_s)} for the "
            f"{r.get('race', 'name', default=program.title)} "
            f"({format_pace(goal_s * 1000.0 / distance, units, step=1)}) is "
            f"{1 - goal_s / predicted:.0%} faster than your fitness (VDOT {current:.1f}) "
            f"predicts ({format_clock(predicted)}): race-pace sessions at the goal pace would "
            "be run well above the effort they are meant for, so they train at "
            f"{format_pace(trained, units, step=1)}, the fastest reachable pace",
            ("race", "goal"),
            f"aim for {format_clock(reachable)} or slower ({GOAL_REACH_VDOT:g} VDOT points "
            "beyond the fitness, a plan's worth of improvement), or update "
            "fitness.recent_race with a newer race that shows the fitness",
        )
    return current


GOAL_REACH_VDOT = pace_model.GOAL_REACH_VDOT  # how far beyond the fitness a goal may lie


def _implied_long_run(
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


def _check_volume_fits(
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


def _check_max_volume(r: Reader, program: Program, weekly: float, cap: float | None) -> None:
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


def _check_long_run_reach(
    r: Reader, program: Program, long_run: float, weeks: int, first_day: dt.date
) -> None:
    """A race the long run cannot grow toward in time (at the program's growth a week, with
    cutbacks) is a warning: the plan is built, but the coach should know the athlete arrives
    short of endurance, and when a race would leave the time."""
    target = program.rules.long_run_target_m
    if long_run <= 0 or long_run >= UNDERPREPARED * target:
        return

    def reach_in(weeks: int) -> float:
        grown = long_run
        for _ in range(_long_run_growth_weeks(program, weeks)):
            grown = program.grown_long_run(grown)
        return grown

    reach = reach_in(weeks)
    if reach >= UNDERPREPARED * target:
        return
    needed = weeks
    while reach_in(needed) < READY * target:
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


def _program_fits(r: Reader, where: str, program: Program, templates: Templates) -> bool:
    """A race's program is a race program, a block's a block program (`block: true`); when
    not, a `block-program` error says which programs fit."""
    if program.block == (where == "block"):
        return True
    fitting = sorted(n for n, p in templates.programs.items() if p.block == (where == "block"))
    if where == "block":
        message = f"'{program.name}' is a race program; a block needs a block program"
        hint = f"use one of: {', '.join(fitting)} (a program with `block: true`)"
    else:
        message = f"'{program.name}' is a training block with no race, not a race program"
        hint = (
            "put it under `block:` (with `end:` or `weeks:`) instead of `race:`, or choose a "
            f"race program: {', '.join(fitting)}"
        )
    r.fail("block-program", message, (where, "program"), hint)
    return False


def _block_last_day(
    r: Reader,
    start: dt.date | None,
    week_start: int,
    today: dt.date,
    program: Program,
    end: dt.date,
) -> dt.date:
    """A block's last day: the last of the week that holds its `end`, or of its `weeks`-th
    week (a short first week joined to the next counts as one, as for a race)."""
    weeks = r.get("block", "weeks")
    if weeks is None:
        return week_of(end, week_start) + dt.timedelta(days=6)
    far = plan_start(start, week_start, today) + dt.timedelta(weeks=MAX_PLAN_WEEKS)
    week_one, days = first_week(start, week_start, today, program, far)
    return week_one + dt.timedelta(days=days + 7 * (int(weeks) - 1) - 1)


def _check_block_length(
    r: Reader, program: Program, weeks: int, first_day: dt.date, week_two: dt.date
) -> None:
    """A block at least its program's minimum weeks long and at most MAX_PLAN_WEEKS."""
    path = ("block", "weeks") if r.get("block", "weeks") is not None else ("block", "end")
    if weeks < program.min_weeks:
        earliest = week_two + dt.timedelta(weeks=program.min_weeks - 2, days=6)
        r.fail(
            "block-length",
            f"the {program.title} block needs at least {program.min_weeks} weeks, but this one "
            f"has {max(weeks, 0)} (the plan starts {first_day})",
            path,
            f"give `weeks: {program.min_weeks}` or more, or an `end:` on or after {earliest}",
        )
    elif weeks > MAX_PLAN_WEEKS:
        r.fail(
            "block-length",
            f"the block lasts {weeks} weeks; planc plans at most {MAX_PLAN_WEEKS}",
            path,
            "check the year of `end:`, or plan a shorter block and another after it",
        )


def _season_frame(
    r: Reader, program: Program, first: dt.date, last: dt.date, week_start: int, where: str
) -> SeasonFrame:
    """The plan's first and last days and its A race, for checking the B and C races: a race
    plan ends with its recovery weeks (when they follow the race), a block on its last day."""
    if where == "block":
        return SeasonFrame(first, last, None, False, program)
    recovery = bool(r.get("race", "recovery", default=True))
    after = sum(p.weeks for p in program.phases if p.after_race) if recovery else 0
    end = week_of(last, week_start) + dt.timedelta(days=7 * (1 + after) - 1)
    return SeasonFrame(first, end, last, recovery and after > 0, program)


def resolve_athlete(
    doc: Document, templates: Templates, library: Library, today: dt.date
) -> tuple[Blueprint | None, list[Diagnostic]]:
    r = Reader(a_race_view(doc))  # an A race in `races:` is read as `race:`
    check_a_races(r, doc, templates.programs)
    where = "block" if r.get("block") is not None else "race"  # the schema allows one of them
    program_name = r.reference("program", (where, "program"), library)
    focus_name = r.reference("focus", ("focus",), library)
    timezone = str(r.get("timezone"))
    if timezone not in _time_zones():
        r.fail(
            "bad-timezone",
            f"unknown time zone '{timezone}'",
            ("timezone",),
            _timezone_hint(timezone),
        )
    days = tuple(sorted(WEEKDAYS.index(d) for d in r.get("availability", "days", default=[])))
    long_day_name = str(r.get("availability", "long_run_day"))
    long_day = WEEKDAYS.index(long_day_name) if long_day_name in WEEKDAYS else 6
    if long_day not in days:
        r.fail(
            "long-run-day",
            f"the long-run day '{long_day_name}' is not one of the available days",
            ("availability", "long_run_day"),
            f"add {long_day_name} to `days` or pick one of: "
            + ", ".join(WEEKDAYS[d] for d in days),
        )
    start_times = {}
    for day_name, text in r.get("availability", "start_times", default={}).items():
        index = WEEKDAYS.index(day_name)
        if index not in days:
            r.warn(
                "unused-start-time",
                f"a start time is given for {day_name}, which is not an available day",
                ("availability", "start_times", day_name),
                f"add {day_name} to `days` or remove its start time",
            )
        start_times[index] = dt.time.fromisoformat(text)
    away = []
    for index, raw in enumerate(r.get("away", default=[])):
        first = r.convert(_date, ("away", index, "from"), today)
        last = r.convert(_date, ("away", index, "to"), first)
        if last < first:
            r.fail(
                "bad-date",
                "`to` is before `from`",
                ("away", index, "to"),
                "`to` is the last day away, on or after `from`; leave it out for one day",
            )
        away.append(Away(first, last, str(raw.get("note", ""))))
    race_date = r.convert(_date, (where, "date" if where == "race" else "end"), today)
    start = r.convert(_date, ("start",), None) if r.get("start") else None
    week_start = WEEKDAYS.index(r.get("week_start", default="monday"))
    if where == "race":
        week_start = race_aligned_week_start(week_start, race_date)
    distance = r.convert(parse_race_distance, ("fitness", "recent_race", "distance"), 5000.0)
    time_s = r.convert(parse_clock, ("fitness", "recent_race", "time"), 1500.0)
    _check_fitness(r, distance, time_s, ("fitness", "recent_race", "time"), "the recent race")
    recent_path = ("fitness", "recent_race", "date")
    recent_date = r.convert(_date, recent_path, None) if r.get(*recent_path) else None
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
    goal = r.convert(parse_clock, ("race", "goal"), None) if r.get("race", "goal") else None
    program_for_goal = templates.programs.get(program_name or "")
    if goal is not None and program_for_goal is not None:
        _check_fitness(r, program_for_goal.distance_m, goal, ("race", "goal"), "the goal time")
    max_weekly = (
        r.convert(parse_distance, ("max_weekly_volume",), None)
        if r.get("max_weekly_volume")
        else None
    )
    if max_weekly is not None and not MIN_WEEKLY_M <= max_weekly <= MAX_WEEKLY_M:
        r.fail(
            "impossible-value",
            "the maximum weekly volume must be at least 1 km and at most 350 km",
            ("max_weekly_volume",),
            "write the most the athlete may run in a week, e.g. `60km`, or leave it out",
        )
    if where == "race" or r.get("block", "end") is not None:
        _plannable(r, race_date, (where, "date" if where == "race" else "end"))
    _plannable(r, start, ("start",))
    _plannable(r, recent_date, recent_path)
    changes = read_changes(r, templates)
    other_races = read_minor_races(r, templates, library)
    second = read_second_a_race(r, doc, templates, library)
    if r.diagnostics and any(d.severity.value == "error" for d in r.diagnostics):
        return None, r.diagnostics
    program = templates.programs.get(program_name or "")
    focus = templates.foci.get(focus_name or "")
    if program is None or focus is None or _missing_templates(program, focus, templates):
        return None, r.diagnostics  # a template it uses has errors, reported in its own file
    assert program_name is not None and focus_name is not None
    if not _program_fits(r, where, program, templates):
        return None, r.diagnostics
    first_day = plan_start(start, week_start, today)
    if where == "block":  # the block's last day: the end of the week holding `end`, or weeks
        race_date = _block_last_day(r, start, week_start, today, program, race_date)
    week_one, week_one_days = first_week(start, week_start, today, program, race_date)
    weeks = weeks_to(race_date, week_one, week_one_days, week_start)
    week_two = week_one + dt.timedelta(days=week_one_days)  # where the weeks count on from
    if where == "block":
        _check_block_length(r, program, weeks, start or first_day, week_two)
    elif check_race_in_past(r, race_date, today, start):
        pass  # the race date is wrong (or the plan is history), not the plan's length
    elif race_date < (start or first_day):
        r.fail(
            "race-too-soon",
            f"race day {race_date} is before the plan starts ({start or first_day})",
            ("race", "date"),
            "give the date of a race to come"
            + (", or an earlier `start:`" if start else f" (plans start {first_day})"),
        )
    elif weeks > MAX_PLAN_WEEKS:
        latest = week_two + dt.timedelta(weeks=MAX_PLAN_WEEKS - 1, days=-1)
        r.fail(
            "race-too-far",
            f"race day is in week {weeks} of the plan; planc plans at most {MAX_PLAN_WEEKS} "
            "weeks to race day",
            ("race", "date"),
            f"check the year; for a race this far away set `start:` later (the plan starting "
            f"{first_day} can end by {latest})",
        )
    elif weeks < program.min_weeks:
        earliest = week_two + dt.timedelta(weeks=program.min_weeks - 2)
        r.fail(
            "race-too-soon",
            f"the {program.title} program needs at least {program.min_weeks} weeks, "
            f"but race day is in week {weeks} of the plan",
            ("race", "date"),
            f"the earliest race date that works is {earliest} (a plan starting {first_day})",
        )
    vdot_now = _check_recent_fitness(
        r,
        RecentRace(distance, time_s, recent_date),
        time_off,
        today,
        max(first_day, start or first_day),  # the athlete's first day, in a week cut by it
        goal,
        program,
    )
    frame = _season_frame(r, program, start or first_day, race_date, week_start, where)
    second_cycle = None
    if second is not None:  # the first cycle's weeks go on, unless the second race is early in one
        second_cycle = SecondCycle(second[1], race_aligned_week_start(week_start, second[0].date))
        frame = with_second_a_race(frame, *second, second_cycle.week_start)
    check_minor_races(r, other_races, frame)
    few_days = check_running_days(r, weekly, long_run, len(days))
    long_run = _implied_long_run(r, weekly, long_run, len(days), quiet=few_days)
    if program.min_weeks <= weeks <= MAX_PLAN_WEEKS and where == "race":
        _check_long_run_reach(r, program, long_run, weeks, first_day)
    if vdot_now is not None and not few_days:  # the volume does not fit the days: said above
        _check_volume_fits(r, program, weekly, len(days), vdot_now, max_weekly)
    if not check_max_below_current(r, weekly, max_weekly):
        _check_max_volume(r, program, weekly, max_weekly)
    if r.diagnostics and any(d.severity.value == "error" for d in r.diagnostics):
        return None, r.diagnostics
    athlete = Athlete(
        id=str(r.get("id")),
        name=str(r.get("name")),
        timezone=timezone,
        units=r.get("units"),
        race=(
            Race(
                name=str(r.get("race", "name", default=program.title)),
                program=program_name,
                date=race_date,
                goal_s=goal,
                recovery=bool(r.get("race", "recovery", default=True)),
            )
            if where == "race"
            else None
        ),
        block=(
            Block(program_name, race_date, program.title, r.get("block", "weeks"))
            if where == "block"
            else None
        ),
        focus=focus_name,
        start=start,
        week_start=week_start,
        recent_race=RecentRace(distance, time_s, recent_date),
        weekly_volume_m=weekly,
        long_run_m=long_run,
        injury_prone=bool(r.get("injury_prone", default=False)),
        max_weekly_volume_m=max_weekly,
        availability=Availability(days, long_day, start_times),
        away=tuple(away),
        strength_per_week=int(r.get("strength_per_week", default=2)),
        calendar_alarm_s=(
            r.convert(parse_duration, ("calendar", "alarm"), None)
            if r.get("calendar", "alarm") is not None
            else None
        ),
        calendar_color=r.get("calendar", "color"),
        age=int(r.get("age")) if r.get("age") is not None else None,
        time_off_weeks=time_off,
        changes=changes,
        other_races=other_races,
        second_race=second[0] if second is not None else None,
        source=r.source(),
    )
    needed = {p.phase for p in (*program.phases, *(second[1].phases if second else ()))}
    blueprint = Blueprint(
        athlete=athlete,
        program=program,
        focus=templates.foci[focus_name],
        phases={
            name: templates.phases[name] for name in sorted(needed) if name in templates.phases
        },
        workouts=templates.workouts,
        second=second_cycle,
    )
    return blueprint, r.diagnostics
