"""The profile's `races:` (part of stage 3, resolve): the season's races with priorities.

The A race drives the plan exactly as `race:` does: `a_race_view` shows an A race written in
`races:` to the rest of resolve at `race:` (its positions kept, so a problem with it is still
reported at its own line), and the single `race:` keeps working unchanged.  The B and C races
become `Race`s with a priority, a distance and a race-day workout (`read_minor_races`), and
`check_minor_races` reports the ones that fall where racing makes no sense: before the plan,
after it, too close before the A race, two on one day.  Two A races are reported too: two
training cycles in one plan are not supported yet (`second-a-race`).
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
    """The document with the first A race of `races:` also at `race:` (when the profile has no
    `race:`), its positions those of the entry: resolve reads the A race in one place, and a
    problem with it is reported where it is written."""
    first = next(iter(a_race_indexes(doc)), None)
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


@dataclass(frozen=True)
class SeasonFrame:
    """What the B and C races are checked against: the plan's first and last days, the A race
    (None for a block) and the program that lays the plan out."""

    first_day: dt.date
    last_day: dt.date
    a_race: dt.date | None
    a_recovery: bool
    program: Program


def check_a_races(r: Reader, doc: Document, programs: Mapping[str, Program]) -> None:
    """One A race at most: `race:` and an A race in `races:`, or two A races in `races:`, would
    be two training cycles in one plan, which planc does not make yet (or, closer than the
    program's `a_races_apart_weeks`, no time for a second cycle at all).  A profile with
    `races:` and neither `race:` nor `block:` needs an A race."""
    indexes = a_race_indexes(doc)
    has_race = "race" in doc.data
    if not indexes and not has_race and "block" not in doc.data:
        r.fail(
            "no-a-race",
            "`races:` has no A race, and the profile no `block:`: nothing drives the plan",
            ("races",),
            "give the goal race `priority: A` (with its `program:`), or add a `block:` for "
            "training between B and C races",
            key=True,
        )
        return
    firsts = [("race",)] if has_race else []
    paths = [*firsts, *(("races", i) for i in indexes)]
    if len(paths) < 2:
        return
    first_date = r.convert(dt.date.fromisoformat, (*paths[0], "date"), None)
    program = programs.get(str(r.get(*paths[0], "program", default="")))
    apart = program.rules.minor.a_races_apart_weeks if program else 12
    for path in paths[1:]:
        day = r.convert(dt.date.fromisoformat, (*path, "date"), None)
        if first_date is None or day is None:
            continue
        weeks = abs((day - first_date).days) / 7
        if weeks >= apart:
            message = (
                f"a second A race ({day}, {weeks:.0f} weeks from {first_date}) would make a "
                "second training cycle: not supported yet"
            )
            hint = "make one of them B (a mini-taper) or plan the second cycle in its own profile"
        else:
            message = (
                f"two A races {weeks:.0f} weeks apart ({first_date}, {day}): a second A race "
                f"needs about {apart} weeks after the first (recovery, a base and a build again)"
            )
            hint = "make one of them B or C, or choose A races further apart"
        r.fail("second-a-race", message, (*path, "priority"), hint)


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


def _index_of(r: Reader, race: Race) -> int:
    """The entry of `races:` a B or C race was read from (by priority and date)."""
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
    program's `clear_before_a` days before the A race or on its day, or on the day of
    another B or C race."""
    clear = frame.program.rules.minor.clear_before_a
    seen: dict[dt.date, Race] = {}
    for race in races:
        path = ("races", _index_of(r, race), "date")
        what = f"the {race.priority} race {race.name} ({race.date})"
        if race.date < frame.first_day or race.date > frame.last_day:
            _outside(r, race, what, path, frame)
        elif frame.a_race is not None and race.date == frame.a_race:
            r.fail(
                "races-same-day",
                f"{what} is on the A race's day",
                path,
                "one race a day: remove it or give its real date",
            )
        elif frame.a_race is not None and 0 < (frame.a_race - race.date).days <= clear:
            days = (frame.a_race - race.date).days
            r.fail(
                "race-near-a-race",
                f"{what} is {days} days before the A race ({frame.a_race}): the last {clear} "
                "days before it are its taper, and a race in them spoils it",
                path,
                f"race it on or before {frame.a_race - dt.timedelta(days=clear + 1)}, or "
                "leave it out",
            )
        elif race.date in seen:
            r.fail(
                "races-same-day",
                f"{what} is on the day of {seen[race.date].name}",
                path,
                "one race a day: remove one of them",
            )
        seen.setdefault(race.date, race)


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
