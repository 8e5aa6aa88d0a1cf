"""Stage 3, resolve: validated documents -> the typed model.

Templates come from the search path (compiler/sources/library.py) and are resolved and cross-checked
in compiler/sources/resolve_templates.py; this module resolves athletes against them, in three
steps: the profile read (``_read_profile``: the program and focus they choose, their time zone,
availability, days away, dates, fitness, goal, changes and B and C races), the plan laid out in
weeks against its program (compiler/plan/resolve_span.py: a race too close to the start or too far
away, a block too short or too long), and the checks that need both (``_check_fitness_in_plan``:
compiler/plan/resolve_fitness.py for a recent race dated in the future, stale fitness, a goal
slower than easy running, a long run that cannot grow in time; combinations that make no sense
together in compiler/plan/plausible.py).  Every problem is reported at its file, line and column;
nothing stops at the first.
"""

from __future__ import annotations

import datetime as dt
import difflib
import zoneinfo
from dataclasses import dataclass
from functools import cache

from ..diagnostics import Diagnostic
from ..model import (
    WEEKDAYS,
    Athlete,
    Availability,
    Away,
    Block,
    Blueprint,
    Change,
    Focus,
    Program,
    Race,
    SecondCycle,
)
from ..sources.document import Document
from ..sources.library import FOLDERS, TEMPLATE_KINDS, Library, Templates, build_library
from ..sources.reader import Reader
from ..sources.resolve_templates import resolve_templates
from ..units import parse_clock, parse_distance, parse_duration
from . import paces as pace_model
from .plausible import check_max_below_current, check_running_days
from .resolve_changes import read_changes
from .resolve_fitness import (
    MAX_WEEKLY_M,
    MIN_WEEKLY_M,
    RECENT_DATE,
    Fitness,
    check_fitness,
    check_long_run_reach,
    check_max_volume,
    check_recent_fitness,
    check_volume_fits,
    implied_long_run,
    parse_time_off,
    read_fitness,
)
from .resolve_races import (
    SeasonFrame,
    a_race_view,
    carried_vdot,
    check_a_races,
    check_minor_races,
    check_race_goals,
    read_minor_races,
    read_second_a_race,
    with_second_a_race,
)
from .resolve_span import (
    MAX_PLAN_WEEKS,
    Span,
    check_span,
    first_week,
    lay_out,
    plan_start,
    plannable,
    race_aligned_week_start,
    week_of,
    weeks_to,
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


def _date(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


def fitness_detraining(athlete: Athlete, today: dt.date) -> pace_model.Detraining:
    """How much of the athlete's recent-race fitness is left when their plan starts."""
    first_day = athlete.start or plan_start(athlete.start, athlete.week_start, today)
    return pace_model.detraining(athlete.recent_race.date, athlete.time_off_weeks, first_day)


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


@dataclass(frozen=True)
class _Profile:
    """What the athlete's profile says, read value by value before any template is looked up
    (each at its default when it cannot be read, the problem reported at it)."""

    where: str  # "race" or "block": what the plan is for (the schema allows one of them)
    program_name: str | None
    focus_name: str | None
    timezone: str
    availability: Availability
    away: tuple[Away, ...]
    last: dt.date  # race day, or the block's `end`
    start: dt.date | None
    week_start: int  # the plan's, aligned to race day (race_aligned_week_start)
    fitness: Fitness
    goal_s: float | None
    max_weekly_m: float | None
    changes: tuple[Change, ...]
    other_races: tuple[Race, ...]
    # a second A race and its program: the season's second training cycle (plan/season.py)
    second: tuple[Race, Program] | None


def resolve_athlete(
    doc: Document, templates: Templates, library: Library, today: dt.date
) -> tuple[Blueprint | None, list[Diagnostic]]:
    """The athlete's Blueprint (None when they have an error) and every problem found: the
    profile read, the plan laid out in weeks against its program, then the checks that need
    both.  A template the athlete uses that has errors stops it quietly: it is reported in the
    template's own file."""
    r = Reader(a_race_view(doc))  # an A race in `races:` is read as `race:`
    check_a_races(r, doc, templates.programs)
    profile = _read_profile(r, doc, templates, library, today)
    if _has_errors(r):
        return None, r.diagnostics
    program = templates.programs.get(profile.program_name or "")
    focus = templates.foci.get(profile.focus_name or "")
    if program is None or focus is None or _missing_templates(program, focus, templates):
        return None, r.diagnostics  # a template it uses has errors, reported in its own file
    if not _program_fits(r, profile.where, program, templates):
        return None, r.diagnostics
    span = lay_out(
        r, profile.where, profile.start, profile.week_start, profile.last, program, today
    )
    check_span(r, profile.where, profile.start, program, span, today)
    second = profile.second
    second_cycle = None
    if second is not None:  # the first cycle's weeks go on, unless the second race is early in one
        second_cycle = SecondCycle(
            second[1], race_aligned_week_start(profile.week_start, second[0].date)
        )
    long_run = _check_fitness_in_plan(r, profile, program, span, today, second_cycle)
    if _has_errors(r):
        return None, r.diagnostics
    needed = {p.phase for p in (*program.phases, *(second[1].phases if second else ()))}
    blueprint = Blueprint(
        athlete=_athlete(r, profile, program, span.last_day, long_run),
        program=program,
        focus=focus,
        phases={
            name: templates.phases[name] for name in sorted(needed) if name in templates.phases
        },
        workouts=templates.workouts,
        second=second_cycle,
    )
    return blueprint, r.diagnostics


def _has_errors(r: Reader) -> bool:
    return bool(r.diagnostics) and any(d.severity.value == "error" for d in r.diagnostics)


def _read_profile(
    r: Reader, doc: Document, templates: Templates, library: Library, today: dt.date
) -> _Profile:
    """Every value of the profile, in file order of its sections (the diagnostics come in that
    order): references, time zone, availability, days away, dates, fitness, goal, maximum,
    changes, the B and C races and a second A race (read from ``doc`` as written)."""
    where = "block" if r.get("block") is not None else "race"  # the schema allows one of them
    program_name = r.reference("program", (where, "program"), library)
    focus_name = r.reference("focus", ("focus",), library)
    timezone = _read_timezone(r)
    availability = _read_availability(r)
    away = _read_away(r, today)
    last_path = (where, "date" if where == "race" else "end")
    last = r.convert(_date, last_path, today)
    start = r.convert(_date, ("start",), None) if r.get("start") else None
    week_start = WEEKDAYS.index(r.get("week_start", default="monday"))
    if where == "race":
        week_start = race_aligned_week_start(week_start, last)
    fitness = read_fitness(r, today)
    goal = _read_goal(r, templates.programs.get(program_name or ""))
    max_weekly = _read_max_weekly(r)
    if where == "race" or r.get("block", "end") is not None:
        plannable(r, last, last_path)
    plannable(r, start, ("start",))
    plannable(r, fitness.recent.date, RECENT_DATE)
    changes = read_changes(r, templates)
    other_races = read_minor_races(r, templates, library)
    second = read_second_a_race(r, doc, templates, library)
    return _Profile(
        where,
        program_name,
        focus_name,
        timezone,
        availability,
        away,
        last,
        start,
        week_start,
        fitness,
        goal,
        max_weekly,
        changes,
        other_races,
        second,
    )


def _read_timezone(r: Reader) -> str:
    """The profile's IANA time zone; an unknown one is an error with a did-you-mean."""
    timezone = str(r.get("timezone"))
    if timezone not in _time_zones():
        r.fail(
            "bad-timezone",
            f"unknown time zone '{timezone}'",
            ("timezone",),
            _timezone_hint(timezone),
        )
    return timezone


def _read_availability(r: Reader) -> Availability:
    """The running days, the long-run day (an error when it is not one of them) and the start
    times (a warning for a day that is not available)."""
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
    return Availability(days, long_day, start_times)


def _read_away(r: Reader, today: dt.date) -> tuple[Away, ...]:
    """The days away, each `from` to `to` (one day without `to`; `to` before `from` is an
    error)."""
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
    return tuple(away)


def _read_goal(r: Reader, program: Program | None) -> float | None:
    """The race's goal time in seconds, checked against the pace model at the program's
    distance (when the program is known)."""
    goal = r.convert(parse_clock, ("race", "goal"), None) if r.get("race", "goal") else None
    if goal is not None and program is not None:
        check_fitness(r, program.distance_m, goal, ("race", "goal"), "the goal time")
    return goal


def _read_max_weekly(r: Reader) -> float | None:
    """The profile's `max_weekly_volume` in metres, from 1 to 350 km, or None."""
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
    return max_weekly


def _check_fitness_in_plan(
    r: Reader,
    profile: _Profile,
    program: Program,
    span: Span,
    today: dt.date,
    second_cycle: SecondCycle | None,
) -> float:
    """The checks that need the fitness, the plan's dates and its program together
    (compiler/plan/resolve_fitness.py, plausible.py, and the B and C races against the
    season); returns the long run the plan starts from (implied_long_run)."""
    fitness, days = profile.fitness, len(profile.availability.days)
    first_day, start = span.first_day, profile.start
    vdot_now = check_recent_fitness(
        r,
        fitness,
        today,
        max(first_day, start or first_day),  # the athlete's first day, in a week cut by it
        profile.goal_s,
        program,
    )
    frame = _season_frame(
        r, program, start or first_day, span.last_day, profile.week_start, profile.where
    )
    if profile.second is not None and second_cycle is not None:
        frame = with_second_a_race(frame, *profile.second, second_cycle.week_start)
    check_minor_races(r, profile.other_races, frame)
    recent = fitness.recent
    carried = carried_vdot(recent.distance_m, recent.time_s)
    if vdot_now is not None and carried is not None:
        races = (*profile.other_races, *((profile.second[0],) if profile.second else ()))
        check_race_goals(r, races, profile.last, vdot_now, carried)
    weekly, max_weekly = fitness.weekly_m, profile.max_weekly_m
    few_days = check_running_days(r, weekly, fitness.long_run_m, days)
    long_run = implied_long_run(r, weekly, fitness.long_run_m, days, quiet=few_days)
    if program.min_weeks <= span.weeks <= MAX_PLAN_WEEKS and profile.where == "race":
        check_long_run_reach(r, program, long_run, span.weeks, first_day)
    if vdot_now is not None and not few_days:  # the volume does not fit the days: said above
        check_volume_fits(r, program, weekly, days, vdot_now, max_weekly)
    if not check_max_below_current(r, weekly, max_weekly):
        check_max_volume(r, program, weekly, max_weekly)
    return long_run


def _athlete(
    r: Reader, profile: _Profile, program: Program, last_day: dt.date, long_run: float
) -> Athlete:
    """The resolved athlete, once the profile has no error: the race or block it plans for
    ending ``last_day``, starting from ``long_run``."""
    fitness = profile.fitness
    return Athlete(
        id=str(r.get("id")),
        name=str(r.get("name")),
        timezone=profile.timezone,
        units=r.get("units"),
        race=_race(r, profile, program, last_day) if profile.where == "race" else None,
        block=_block(r, profile, program, last_day) if profile.where == "block" else None,
        focus=str(profile.focus_name),
        start=profile.start,
        week_start=profile.week_start,
        recent_race=fitness.recent,
        weekly_volume_m=fitness.weekly_m,
        long_run_m=long_run,
        injury_prone=bool(r.get("injury_prone", default=False)),
        max_weekly_volume_m=profile.max_weekly_m,
        availability=profile.availability,
        away=profile.away,
        strength_per_week=int(r.get("strength_per_week", default=2)),
        calendar_alarm_s=(
            r.convert(parse_duration, ("calendar", "alarm"), None)
            if r.get("calendar", "alarm") is not None
            else None
        ),
        calendar_color=r.get("calendar", "color"),
        age=int(r.get("age")) if r.get("age") is not None else None,
        time_off_weeks=fitness.time_off_weeks,
        changes=profile.changes,
        other_races=profile.other_races,
        second_race=profile.second[0] if profile.second is not None else None,
        source=r.source(),
        race_source=r.source(("race", "date")) if profile.where == "race" else None,
    )


def _race(r: Reader, profile: _Profile, program: Program, day: dt.date) -> Race:
    """The A race the plan is built to, on ``day``."""
    assert profile.program_name is not None
    return Race(
        name=str(r.get("race", "name", default=program.title)),
        program=profile.program_name,
        date=day,
        goal_s=profile.goal_s,
        recovery=bool(r.get("race", "recovery", default=True)),
    )


def _block(r: Reader, profile: _Profile, program: Program, last_day: dt.date) -> Block:
    """The training block the plan is, ending ``last_day``."""
    assert profile.program_name is not None
    return Block(profile.program_name, last_day, program.title, r.get("block", "weeks"))
