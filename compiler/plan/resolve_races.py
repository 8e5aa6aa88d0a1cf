"""The profile's `races:` (part of stage 3, resolve): the season's races with priorities.

The A race drives the plan exactly as `race:` does: `a_race_view` shows an A race written in
`races:` to the rest of resolve at `race:` (its positions kept, so a problem with it is still
reported at its own line), and the single `race:` keeps working unchanged.  The B and C races
become `Race`s with a priority, a distance and a race-day workout (`read_minor_races`), and
`check_minor_races` reports the ones that fall where racing makes no sense: before the plan,
after it, too close before the A race, two on one day.  A second A race far enough after the
first (the program's `a_races_apart_weeks`) is read by `read_second_a_race`: it ends a second
training cycle (compiler/plan/season.py); closer, or a third A race, is `second-a-race`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

from ..model import Program, Race
from ..sources.document import Document, Located, PathKey
from ..sources.library import Library, Templates
from ..sources.reader import Reader
from ..units import parse_clock, parse_race_distance
from ..vocabulary import RacePriority
from . import paces as pace_model
from .resolve_fitness import Goal, check_fitness, check_goal

SHORT_RACE_M = 10_500.0  # up to a 10K, a race-day workout with the longer warm-up (race-short)
SHORT_RACE_WORKOUT = "race-short"
LONG_RACE_WORKOUT = "race"
MINOR = (RacePriority.B, RacePriority.C)  # the races `read_minor_races` reads


def _entries(doc: Document) -> list[Any]:
    races = doc.data.get("races") if isinstance(doc.data, dict) else None
    return races if isinstance(races, list) else []


def a_race_indexes(doc: Document) -> list[int]:
    """The indexes of the entries of `races:` with priority A, in file order."""
    return [
        i
        for i, e in enumerate(_entries(doc))
        if isinstance(e, dict) and e.get("priority") == RacePriority.A
    ]


def a_race_view(doc: Document) -> Document:
    """The document with the first A race of `races:` (the earliest, when two are given) also
    at `race:` (when the profile has no `race:`), its positions those of the entry: resolve
    reads the A race that drives the first cycle in one place, and a problem with it is
    reported where it is written."""
    first = next(iter(_by_date(doc, a_race_indexes(doc))), None)
    if first is None or "race" in doc.data:
        return doc
    entry = doc.data["races"][first]
    data = {**doc.data, "race": entry}
    prefix: PathKey = ("races", first)
    positions: dict[PathKey, Located] = dict(doc.positions)
    for path, located in doc.positions.items():
        if path[:2] == prefix:
            positions[("race", *path[2:])] = located
    return replace(doc, data=data, positions=positions)


def _by_date(doc: Document, indexes: list[int]) -> list[int]:
    """The entries of `races:` at ``indexes``, earliest first (a date that does not read as
    one last; its own error is reported where it is written)."""

    def day(index: int) -> str:
        text = str(doc.data["races"][index].get("date", ""))
        return text if _is_date(text) else "9999"

    return sorted(indexes, key=day)


def _is_date(text: str) -> bool:
    try:
        dt.date.fromisoformat(text)
    except ValueError:
        return False
    return True


@dataclass(frozen=True)
class SeasonFrame:
    """What the B and C races are checked against: the plan's first and last days, the A race
    (None for a block) and the program that lays the plan out; in a season of two cycles,
    the second A race too (a B or C race must stay clear of its taper as of the first's)."""

    first_day: dt.date
    last_day: dt.date
    a_race: dt.date | None
    a_recovery: bool
    program: Program
    second_a_race: dt.date | None = None
    second_program: Program | None = None


def a_race_paths(doc: Document) -> list[PathKey]:
    """Where the A races are written: `race:` first when the profile has it, then the A races
    of `races:` by date (the first of these is the first cycle's when there is no `race:`)."""
    firsts: list[PathKey] = [("race",)] if "race" in doc.data else []
    return [*firsts, *(("races", i) for i in _by_date(doc, a_race_indexes(doc)))]


def check_a_races(r: Reader, doc: Document, programs: Mapping[str, Program]) -> None:
    """Two A races at most, far enough apart for two training cycles: the first program's
    `a_races_apart_weeks`, and after the first race's recovery weeks at least the second
    program's weeks; closer, a `second-a-race` error that says why.  A profile with `races:`
    and neither `race:` nor `block:` needs an A race."""
    paths = a_race_paths(doc)
    if not paths and "block" not in doc.data:
        r.fail(
            "no-a-race",
            "`races:` has no A race, and the profile no `block:`: nothing drives the plan",
            ("races",),
            "give the goal race `priority: A` (with its `program:`), or add a `block:` for "
            "training between B and C races",
            key=True,
        )
        return
    for path in paths[2:]:
        r.fail(
            "second-a-race",
            f"a third A race ({r.get(*path, 'date')}): planc plans two training cycles at most",
            (*path, "priority"),
            "make it B (a mini-taper) or C, or plan it in the next season's profile",
        )
    if len(paths) >= 2:
        _check_second_a_race(r, paths[0], paths[1], programs)


def _check_second_a_race(
    r: Reader, first: PathKey, second: PathKey, programs: Mapping[str, Program]
) -> None:
    """The second A race after the first, at least the first program's `a_races_apart_weeks`
    later, leaving the second program its weeks after the first race's recovery."""
    first_date = r.convert(dt.date.fromisoformat, (*first, "date"), None)
    day = r.convert(dt.date.fromisoformat, (*second, "date"), None)
    if first_date is None or day is None:
        return
    where = (*second, "priority")
    if day < first_date:  # only with `race:`: the A races of `races:` are taken by date
        r.fail(
            "second-a-race",
            f"the A race in `races:` ({day}) is before the one at `race:` ({first_date}): "
            "`race:` is the season's first A race",
            where,
            "list both under `races:` with `priority: A`",
        )
        return
    program = programs.get(str(r.get(*first, "program", default="")))
    apart = program.rules.minor.a_races_apart_weeks if program else 12
    weeks = (day - first_date).days // 7
    if weeks < apart:
        r.fail(
            "second-a-race",
            f"two A races {weeks} weeks apart ({first_date}, {day}); two cycles need at least "
            f"{apart}: make one of them B",
            where,
            "make one of them B (a mini-taper) or C, or choose A races further apart: after "
            "an A race come its recovery, a base and a build again",
        )
        return
    later = programs.get(str(r.get(*second, "program", default="")))
    if program is None or later is None:
        return
    left = weeks - recovery_weeks(program)
    if left < later.min_weeks:
        r.fail(
            "second-a-race",
            f"after the first A race ({first_date}) and its {recovery_weeks(program)} "
            f"recovery weeks, {left} weeks are left to the second ({day}); the {later.title} "
            f"program needs at least {later.min_weeks}",
            where,
            "choose a later second A race or a shorter program for it, or make it B",
        )


def recovery_weeks(program: Program) -> int:
    """The weeks of the program's phases after race day (its recovery)."""
    return sum(p.weeks for p in program.phases if p.after_race)


def read_second_a_race(
    r: Reader, doc: Document, templates: Templates, library: Library
) -> tuple[Race, Program] | None:
    """The second A race of ``doc`` (the profile as written, not its `a_race_view`), which
    ends the season's second training cycle, with its program (None without one, or when it
    cannot be read: its problem is reported at its line).  Like a B or C race it carries its
    distance and race-day workout, from its program."""
    paths = a_race_paths(doc)
    if len(paths) < 2:
        return None
    path = paths[1]
    name = r.reference("program", (*path, "program"), library)
    program = templates.programs.get(name or "")
    day = r.convert(dt.date.fromisoformat, (*path, "date"), None)
    goal = r.convert(parse_clock, (*path, "goal"), None) if r.get(*path, "goal") else None
    if program is None or name is None or day is None or program.block:
        return None
    race = Race(
        name=str(r.get(*path, "name", default=program.title)),
        program=name,
        date=day,
        goal_s=goal,
        recovery=bool(r.get(*path, "recovery", default=True)),
        priority=RacePriority.A,
        distance_m=program.distance_m,
        workout=program.race_workout,
        source=r.source((*path, "date")),
    )
    return race, program


def with_second_a_race(
    frame: SeasonFrame, race: Race, program: Program, week_start: int
) -> SeasonFrame:
    """The season's frame once a second A race follows the first: it ends with the second
    race's week (of weeks starting on ``week_start``, 0 = Monday) and its recovery weeks, and
    B and C races are checked against both races."""
    week_end = race.date + dt.timedelta(days=6 - (race.date.weekday() - week_start) % 7)
    after = recovery_weeks(program) if race.recovery else 0
    last = week_end + dt.timedelta(weeks=after)
    return replace(
        frame, last_day=last, a_recovery=True, second_a_race=race.date, second_program=program
    )


def read_minor_races(r: Reader, templates: Templates, library: Library) -> tuple[Race, ...]:
    """The B and C races of `races:`, by date: each one's distance and race-day workout from
    its program (its `race_workout`), or from its `distance` (the bundled `race-short` up to a
    10K, `race` beyond)."""
    races: list[Race] = []
    for index, entry in enumerate(_entries(r.doc)):
        if not isinstance(entry, dict) or entry.get("priority") not in MINOR:
            continue
        path = ("races", index)
        priority = RacePriority(entry["priority"])
        date = r.convert(dt.date.fromisoformat, (*path, "date"), None)
        program_name = ""
        distance, workout = 0.0, ""
        if entry.get("program") is not None:
            program_name = r.reference("program", (*path, "program"), library) or ""
            program = templates.programs.get(program_name)
            if program is not None:
                distance, workout = program.distance_m, program.race_workout
        else:
            distance = r.convert(parse_race_distance, (*path, "distance"), 0.0)
            workout = SHORT_RACE_WORKOUT if distance <= SHORT_RACE_M else LONG_RACE_WORKOUT
        goal = r.convert(parse_clock, (*path, "goal"), None) if entry.get("goal") else None
        if date is None or not distance or workout not in templates.workouts:
            continue
        name = str(entry.get("name") or f"{priority} race")
        races.append(Race(name, program_name, date, goal, False, priority, distance, workout))
    return tuple(sorted(races, key=lambda race: race.date))


def check_race_goals(
    r: Reader, races: tuple[Race, ...], first_a: dt.date, now: float, carried: float
) -> None:
    """The goals of the races besides the first A race (a season's second A race, the B and C
    races) through the checks the first A race's goal goes through, each at its own `goal`:
    a time no human could run (`impossible-value`), one slower than easy pace
    (`goal-too-slow`) or, for the second A race (whose race-pace sessions it sets), beyond the
    fitness's reach (`goal-ambitious`).  The fitness a race is
    checked against is the VDOT of the cycle it falls in: ``now`` (the athlete's, as the
    paces use it) up to the first A race, ``carried`` after it (the recent race's, which the
    season's second cycle carries on, not counted as old)."""
    for race in races:
        if race.goal_s is None or not race.distance_m:
            continue
        path = ("races", _index_of(r, race))
        before = len(r.diagnostics)
        check_fitness(r, race.distance_m, race.goal_s, (*path, "goal"), "the goal time")
        if len(r.diagnostics) == before:
            goal = Goal(path, race.name, race.distance_m, race.goal_s)
            current = now if race.date <= first_a else carried
            check_goal(r, goal, current, trained=race.priority == RacePriority.A)


def carried_vdot(distance_m: float, time_s: float) -> float | None:
    """The recent race's VDOT, not reduced for its age: the fitness a season's second cycle
    starts with (plan/season.py dates the recent race at the first A race); None when the
    pace model cannot use it (reported at the recent race)."""
    try:
        return pace_model.vdot(distance_m, time_s)
    except ValueError:
        return None


def _index_of(r: Reader, race: Race) -> int:
    """The entry of `races:` a race was read from (by priority and date): a B or C race, or a
    season's second A race."""
    for index, entry in enumerate(_entries(r.doc)):
        if (
            isinstance(entry, dict)
            and entry.get("priority") == race.priority
            and str(entry.get("date")) == race.date.isoformat()
        ):
            return index
    return 0


def check_minor_races(r: Reader, races: tuple[Race, ...], frame: SeasonFrame) -> None:
    """B and C races where racing makes no sense, each an error at its date: before the plan
    starts or after its last day (after the A race when no recovery follows), in the
    program's `clear_before_a` days before an A race or on its day, or on the day of
    another B or C race, or in an A race's easy days after it (`race-after-a-race`)."""
    clear = frame.program.rules.minor.clear_before_a
    a_races = [day for day in (frame.a_race, frame.second_a_race) if day is not None]
    seen: dict[dt.date, Race] = {}
    for race in races:
        path = ("races", _index_of(r, race), "date")
        what = f"the {race.priority} race {race.name} ({race.date})"
        near = next((a for a in a_races if 0 <= (a - race.date).days <= clear), None)
        if race.date < frame.first_day or race.date > frame.last_day:
            _outside(r, race, what, path, frame)
        elif (after := _after_a_race(race, what, frame)) is not None:
            r.fail("race-after-a-race", after[0], path, after[1])
        elif near is not None and race.date == near:
            r.fail(
                "races-same-day",
                f"{what} is on the A race's day",
                path,
                "one race a day: remove it or give its real date",
            )
        elif near is not None:
            days = (near - race.date).days
            r.fail(
                "race-near-a-race",
                f"{what} is {days} days before the A race ({near}): the last {clear} "
                "days before it are its taper, and a race in them spoils it",
                path,
                f"race it on or before {near - dt.timedelta(days=clear + 1)}, or leave it out",
            )
        elif race.date in seen:
            r.fail(
                "races-same-day",
                f"{what} is on the day of {seen[race.date].name}",
                path,
                "one race a day: remove one of them",
            )
        seen.setdefault(race.date, race)


def a_race_easy_days(program: Program) -> int:
    """The easy days after an A race of ``program``: one per `km_per_easy_day` raced, rounded
    (Daniels: a 10K 3, a half 7, a marathon 14), at least one."""
    per = max(program.rules.minor.km_per_easy_day_m, 1.0)
    return max(1, round(program.distance_m / per))


def _after_a_race(race: Race, what: str, frame: SeasonFrame) -> tuple[str, str] | None:
    """The message and hint when a B or C race falls in an A race's easy days after it (its
    recovery: one easy day per `km_per_easy_day` raced); None when it is clear of them."""
    pairs = ((frame.a_race, frame.program), (frame.second_a_race, frame.second_program))
    for a_race, program in pairs:
        if a_race is None or program is None or not program.distance_m:
            continue
        easy = a_race_easy_days(program)
        days = (race.date - a_race).days
        if 0 < days <= easy:
            per = program.rules.minor.km_per_easy_day_m / 1000
            return (
                f"{what} is {days} days after the A race ({a_race}): the {easy} days after "
                f"it are easy days (one per {per:g} km raced) for the legs to recover, and a "
                "race in them spoils that",
                f"race it on or after {a_race + dt.timedelta(days=easy + 1)}, or leave it out",
            )
    return None


def _outside(r: Reader, race: Race, what: str, path: PathKey, frame: SeasonFrame) -> None:
    """A B or C race before the plan's first day or after its last."""
    if race.date < frame.first_day:
        message = f"{what} is before the plan starts ({frame.first_day})"
        hint = "remove it (the plan cannot make room for it), or set an earlier `start:`"
    elif frame.a_race is not None and not frame.a_recovery:
        message = f"{what} is after the A race ({frame.a_race}), and no recovery follows it"
        hint = "remove it, or let the recovery weeks follow the A race (`recovery: true`)"
    else:
        message = f"{what} is after the plan's last day ({frame.last_day})"
        hint = "remove it, or plan it with the next season"
    r.fail("race-outside-plan", message, path, hint)
