"""A small but realistic compiled Plan built by hand, for testing the emit stage on its own.

Two athletes:
- units="km": Ana, Europe/Madrid, no start times (all-day events), a half marathon on 2026-12-20;
- units="mi": Bob, America/New_York, start times on every session, three weeks around the DST change
  of 2027-03-14 (the long run that Sunday is at 07:00 EDT), a half marathon on 2027-03-21.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

from compiler.model import (
    Athlete,
    Availability,
    Focus,
    FocusPhase,
    PaceRange,
    Paces,
    Plan,
    Program,
    ProgramPhase,
    Race,
    RecentRace,
    Source,
    Step,
    Week,
    Workout,
)
from compiler.units import Unit
from compiler.vocabulary import Category, Intensity, Role, SlotKind, StepKind, Zone

SRC = Source("factory.yaml")
HALF_M = 21097.5

PACES = Paces(
    vdot=50.3,
    zones={
        "recovery": PaceRange(335.0, 365.0),
        "easy": PaceRange(310.0, 340.0),
        "steady": PaceRange(270.0, 270.0),
        "marathon": PaceRange(270.0, 270.0),
        "threshold": PaceRange(255.0, 255.0),
        "interval": PaceRange(235.0, 235.0),
        "repetition": PaceRange(220.0, 220.0),
        "5k": PaceRange(237.0, 237.0),
        "10k": PaceRange(246.0, 246.0),
        "half": PaceRange(260.0, 260.0),
        "race": PaceRange(260.0, 260.0),
    },
    race_times={"5k": 1185.0, "10k": 2460.0, "half": 5485.4, "marathon": 11400.0},
)


# --------------------------------------------------------------------------- steps


def by_time(kind: str, seconds: float, zone: str | None) -> Step:
    pace = PACES.zones[zone] if zone else None
    metres = round(seconds / pace.mid * 1000) if pace else 0.0
    return Step(
        kind=StepKind(kind),
        distance_m=float(metres),
        duration_s=seconds,
        zone=Zone(zone) if zone else None,
        pace=pace,
    )


def by_distance(kind: str, metres: float, zone: str) -> Step:
    pace = PACES.zones[zone]
    return Step(
        kind=StepKind(kind),
        distance_m=metres,
        duration_s=metres / 1000 * pace.mid,
        zone=Zone(zone),
        pace=pace,
    )


def repeat(count: int, *steps: Step) -> Step:
    return Step(
        kind=StepKind.REPEAT,
        distance_m=count * sum(s.distance_m for s in steps),
        duration_s=count * sum(s.duration_s for s in steps),
        repeat=count,
        steps=steps,
    )


def exercise(label: str, note: str) -> Step:
    return Step(kind=StepKind.EXERCISE, distance_m=0.0, duration_s=0.0, label=label, note=note)


# --------------------------------------------------------------------------- workouts


def _workout(
    athlete_id: str,
    day: dt.date,
    template: str,
    category: Category,
    title: str,
    steps: tuple[Step, ...],
    *,
    start: dt.time | None,
    slot: SlotKind = SlotKind.RUN,
    intensity: Intensity = Intensity.EASY,
    duration_s: float | None = None,
    description: str = "",
) -> Workout:
    role = {
        Category.LONG: Role.LONG,
        Category.STRENGTH: Role.STRENGTH,
        Category.RACE: Role.RACE,
        Category.EASY: Role.EASY,
        Category.STRIDES: Role.EASY,
    }.get(category, Role.QUALITY)
    return Workout(
        uid=f"{athlete_id}-{day.isoformat()}-{slot}",
        date=day,
        slot=slot,
        role=role,
        template=template,
        category=category,
        intensity=intensity,
        title=title,
        description=description,
        steps=steps,
        distance_m=sum(s.distance_m for s in steps),
        duration_s=duration_s if duration_s is not None else sum(s.duration_s for s in steps),
        start_time=start,
        reason="factory",
    )


def _week_workouts(
    athlete_id: str, monday: dt.date, index: int, times: dict[int, dt.time] | None
) -> tuple[Workout, ...]:
    def at(offset: int) -> tuple[dt.date, dt.time | None]:
        day = monday + dt.timedelta(days=offset)
        return day, (times or {}).get(day.weekday())

    def w(offset: int, *args: Any, **kwargs: Any) -> Workout:
        day, start = at(offset)
        if kwargs.get("slot") == SlotKind.STRENGTH and times:
            start = dt.time(18, 0)
        return _workout(athlete_id, day, *args, start=start, **kwargs)

    easy = (by_distance("run", 8000.0, "easy"),)
    if index == 1:
        return (
            w(
                1,
                "short-intervals",
                Category.INTERVALS,
                "6 x 400m at 5K pace",
                (
                    by_time("warmup", 900.0, "easy"),
                    repeat(6, by_distance("run", 400.0, "interval"), by_time("walk", 90.0, None)),
                    by_time("cooldown", 600.0, "easy"),
                ),
                intensity=Intensity.HARD,
                description="Quick but relaxed; walk the recoveries.",
            ),
            w(
                2,
                "strength-basic",
                Category.STRENGTH,
                "Strength: legs and core",
                (exercise("Squats", "3 x 12"), exercise("Plank", "3 x 45 s")),
                slot=SlotKind.STRENGTH,
                intensity=Intensity.MODERATE,
                duration_s=1800.0,
            ),
            w(3, "easy-run", Category.EASY, "Easy run", easy),
            w(6, "long-run", Category.LONG, "Long run", (by_distance("run", 18000.0, "easy"),)),
        )
    if index == 2:
        return (
            w(
                1,
                "tempo",
                Category.TEMPO,
                "Tempo 20 min",
                (
                    by_time("warmup", 900.0, "easy"),
                    by_time("run", 1200.0, "threshold"),
                    by_time("cooldown", 600.0, "easy"),
                ),
                intensity=Intensity.HARD,
                description="Comfortably hard.\nYou could speak a few words.",
            ),
            w(3, "easy-run", Category.EASY, "Easy run", easy),
            w(
                6,
                "long-run",
                Category.LONG,
                "Long run with marathon finish",
                (
                    by_distance("run", 16000.0, "easy"),
                    by_distance("run", 4000.0, "marathon"),
                ),
                intensity=Intensity.MODERATE,
            ),
        )
    return (
        w(1, "easy-run", Category.EASY, "Easy run", (by_distance("run", 6000.0, "easy"),)),
        w(
            3,
            "strides",
            Category.STRIDES,
            "Easy run + 4 strides",
            (
                by_distance("run", 5000.0, "easy"),
                repeat(4, by_distance("run", 100.0, "repetition"), by_time("walk", 60.0, None)),
            ),
        ),
        w(
            6,
            "race",
            Category.RACE,
            "Race day: Riverside Half",
            (by_distance("run", HALF_M, "race"),),
            slot=SlotKind.RACE,
            intensity=Intensity.HARD,
            description="Start at goal pace, not faster.",
        ),
    )


# --------------------------------------------------------------------------- plan


def _athlete(units: Unit, race_day: dt.date, times: dict[int, dt.time] | None) -> Athlete:
    km = units == "km"
    return Athlete(
        id="ana-km" if km else "bob-mi",
        name="Ana García" if km else "Bob Smith",
        timezone="Europe/Madrid" if km else "America/New_York",
        units=units,
        race=Race(name="Riverside Half", program="half-marathon", date=race_day, goal_s=5485.0),
        focus="speed",
        start=None,
        week_start=0,
        recent_race=RecentRace(distance_m=10000.0, time_s=2460.0),
        weekly_volume_m=40000.0,
        long_run_m=16000.0,
        injury_prone=False,
        max_weekly_volume_m=None,
        availability=Availability(days=(1, 2, 3, 6), long_run_day=6, start_times=times or {}),
        away=(),
        strength_per_week=1,
        source=SRC,
    )


PROGRAM = Program(
    name="half-marathon",
    title="Half marathon",
    distance_m=HALF_M,
    phases=tuple(
        ProgramPhase(
            phase=name,
            weeks=weeks,
            min_weeks=1,
            max_weeks=None,
            after_race=False,
            volume=None,
            source=SRC,
        )
        for name, weeks in (("build", 2), ("taper", 1))
    ),
    peak_volume_m=60000.0,
    long_run_max_s=9000.0,
    min_easy_run_m=5000.0,
    race_workout="race",
    source=SRC,
)

FOCUS = Focus(
    name="speed",
    title="Speed",
    description="More short intervals.",
    long_run_share=0.3,
    max_runs_per_week=5,
    defaults=FocusPhase(long="long-run", easy=("easy-run",), strength="strength-basic"),
    phases={},
    source=SRC,
)


def solver_trace(first_monday: dt.date) -> tuple[list[str], list[tuple[str, ...]]]:
    """Each week's ``rule`` and ``notes`` as the compiler words them: the trace of how the week
    was reached, which plan.json and `planc explain` show and the athlete's outputs do not."""

    def day(week: int, offset: int) -> str:
        return (first_monday + dt.timedelta(weeks=week, days=offset)).isoformat()

    rules = [
        "ramp: at most +10% on the week before",
        "ramp: at most +7% on the week before",
        "taper: 55% of the peak week (46 km), plus the race (21.1 km)",
    ]
    notes = [
        (
            "target held to 42 km (from 44 km): +10% on the most run in a week so far (40 km)",
            "long run held to 18 km (+10% on the longest run of the last 30 days)",
        ),
        (
            f"{day(1, 2)}: easy run dropped, the week's volume is too small to share out",
            f"{day(1, 6)}: long-run-steady-finish replaced by long-run: at least 80% of the "
            "week's running is easy",
            "target lowered from 48 km to 46 km: 3 runs with none longer than the long run "
            "hold no more",
        ),
        ("target 30 km: 55% of the most run in a week (46 km), plus the race",),
    ]
    return rules, notes


def make_plan(**overrides: Any) -> Plan:
    """A three-week plan.  Overrides:

    - ``units``: "km" (Ana, all-day events; the default) or "mi" (Bob, timed events across DST);
    - ``athlete_name``, ``race_name``: replace those names;
    - ``first_title``: replace the title of the plan's first workout;
    - any field of Plan (``athlete``, ``program``, ``focus``, ``paces``, ``weeks``).
    """
    units: Unit = overrides.pop("units", "km")
    if units == "km":
        first_monday, times = dt.date(2026, 11, 30), None
    else:
        first_monday = dt.date(2027, 3, 1)
        times = {1: dt.time(6, 30), 3: dt.time(6, 30), 6: dt.time(7, 0)}
    athlete = _athlete(units, first_monday + dt.timedelta(days=20), times)
    phases = [("build", "Build", 1), ("build", "Build", 2), ("taper", "Taper", 1)]
    rules, notes = solver_trace(first_monday)
    weeks = []
    for index, (phase, phase_title, phase_week) in enumerate(phases, start=1):
        monday = first_monday + dt.timedelta(weeks=index - 1)
        workouts = _week_workouts(athlete.id, monday, index, times)
        weeks.append(
            Week(
                index=index,
                start=monday,
                phase=phase,
                phase_title=phase_title,
                phase_week=phase_week,
                target_m=[42000.0, 46000.0, 30000.0][index - 1],
                planned_m=sum(w.distance_m for w in workouts),
                rule=rules[index - 1],
                cutback=False,
                workouts=workouts,
                notes=notes[index - 1],
            )
        )
    plan = Plan(athlete=athlete, program=PROGRAM, focus=FOCUS, paces=PACES, weeks=tuple(weeks))

    if "athlete_name" in overrides or "race_name" in overrides:
        assert plan.athlete.race is not None, "the factory's athlete races"
        race = dataclasses.replace(
            plan.athlete.race, name=overrides.pop("race_name", plan.athlete.race.name)
        )
        name = overrides.pop("athlete_name", plan.athlete.name)
        plan = dataclasses.replace(
            plan, athlete=dataclasses.replace(plan.athlete, name=name, race=race)
        )
    if "first_title" in overrides:
        first = dataclasses.replace(plan.weeks[0].workouts[0], title=overrides.pop("first_title"))
        week = dataclasses.replace(plan.weeks[0], workouts=(first, *plan.weeks[0].workouts[1:]))
        plan = dataclasses.replace(plan, weeks=(week, *plan.weeks[1:]))
    return dataclasses.replace(plan, **overrides)
