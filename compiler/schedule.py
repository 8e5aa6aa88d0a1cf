"""Stage 5, schedule: place each week's sessions on dates.

Sessions go only on available days that are not days away; the long run goes on the long-run day;
hard sessions are never on consecutive days (across week boundaries too) and keep off the day before
the long run when they can; strength goes on days without hard running.  When there are more
sessions than days, the lowest-priority ones are dropped (easy runs first, then the last quality
slot) and the week's notes say so.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from itertools import combinations, pairwise

from .model import WEEKDAYS, Athlete, Blueprint, Intensity, ScheduledWeek, Slot, WeekPlan

DAY = dt.timedelta(days=1)


def _spread_pick(
    candidates: Sequence[dt.date], taken: Iterable[dt.date], count: int
) -> list[dt.date]:
    """Pick ``count`` days from ``candidates``, each as far as possible from days taken."""
    chosen: list[dt.date] = []
    busy = list(taken)
    pool = list(candidates)
    while pool and len(chosen) < count:

        def distance(day: dt.date) -> int:
            return min((abs((day - other).days) for other in busy), default=7)

        best = max(pool, key=lambda d: (distance(d), -d.toordinal()))
        chosen.append(best)
        busy.append(best)
        pool.remove(best)
    return sorted(chosen)


def _quality_days(
    candidates: Sequence[dt.date],
    count: int,
    hard: set[dt.date],
    long_day: dt.date | None,
) -> list[dt.date]:
    """The best set of ``count`` days for hard sessions: never next to another hard day; then as
    few as possible next to the long run; then as far apart as possible."""
    best: tuple[tuple[int, int], list[dt.date]] | None = None
    for combo in combinations(sorted(candidates), count):
        days = set(combo) | hard
        if any(day + DAY in days for day in combo) or any(day - DAY in days for day in combo):
            continue
        near_long = sum(
            1 for day in combo if long_day is not None and abs((day - long_day).days) == 1
        )
        gaps = [b.toordinal() - a.toordinal() for a, b in pairwise(combo)]
        score = (-near_long, min(gaps, default=7))
        if best is None or score > best[0]:
            best = (score, list(combo))
    return best[1] if best else []


def _blocked(athlete: Athlete, week: WeekPlan, day: dt.date) -> str | None:
    """Why nothing can be planned on ``day``, or None when it is free."""
    if athlete.start is not None and day < athlete.start:
        return "before the plan starts"
    for away in athlete.away:
        if away.covers(day):
            return f"away{': ' + away.note if away.note else ''}"
    if week.race_week and day > athlete.race.date:
        return "after race day"
    return None


def schedule(blueprint: Blueprint, weeks: Sequence[WeekPlan]) -> list[ScheduledWeek]:
    athlete, focus, program = blueprint.athlete, blueprint.focus, blueprint.program
    workouts = blueprint.workouts
    race_day = athlete.race.date
    result: list[ScheduledWeek] = []
    previous_hard: set[dt.date] = set()

    def intensity(name: str) -> Intensity:
        return workouts[name].intensity

    for week in weeks:
        phase = blueprint.phases[week.phase]
        choice = focus.for_phase(week.phase)
        days = [week.start + DAY * i for i in range(7)]
        notes: list[str] = []
        slots: list[Slot] = []

        def blocked(day: dt.date, week: WeekPlan = week) -> str | None:
            return _blocked(athlete, week, day)

        for day in days:
            reason = blocked(day)
            if reason and day.weekday() in athlete.availability.days and reason.startswith("away"):
                notes.append(f"{WEEKDAYS[day.weekday()].title()} {day}: {reason}, nothing planned")
        available = [
            d for d in days if d.weekday() in athlete.availability.days and blocked(d) is None
        ]
        # hard days this week must keep apart from: last week's, and race day (even next week's)
        hard: set[dt.date] = {d for d in previous_hard if d >= week.start - DAY}
        if week.start <= race_day <= week.start + DAY * 7:
            hard.add(race_day)
        runs: list[dt.date] = []

        if week.race_week:
            slots.append(
                Slot(
                    race_day,
                    "race",
                    "race",
                    program.race_workout,
                    workouts[program.race_workout].intensity,
                    "race day",
                )
            )
            hard.add(race_day)
            runs.append(race_day)
            available = [d for d in available if d != race_day]

        # The long run, on the long-run day when the athlete can run then.
        long_day: dt.date | None = None
        if phase.long_run and choice.long and not week.race_week:
            wanted = week.start + DAY * (
                (athlete.availability.long_run_day - week.start.weekday()) % 7
            )
            if wanted in available:
                long_day, why = wanted, "the long-run day"
            elif available:
                long_day = min(available, key=lambda d: (abs((d - wanted).days), d))
                why = (
                    f"moved from {WEEKDAYS[wanted.weekday()]} "
                    f"({blocked(wanted) or 'not available'})"
                )
            if long_day is not None:
                long_name = choice.long
                next_to_hard = long_day - DAY in hard or long_day + DAY in hard
                if intensity(long_name) == "hard" and next_to_hard and focus.defaults.long:
                    long_name = focus.defaults.long  # never two hard days in a row
                    why += "; the easier long run, as the next day is hard"
                slots.append(Slot(long_day, "run", "long", long_name, intensity(long_name), why))
                runs.append(long_day)
                available.remove(long_day)
                if intensity(long_name) == "hard":
                    hard.add(long_day)
            else:
                notes.append("no day left for the long run this week")

        # Quality sessions, most important slot first.
        wanted_quality = (
            phase.quality_sessions_injury_prone if athlete.injury_prone else phase.quality_sessions
        )
        if week.cutback or week.race_week:
            wanted_quality = min(wanted_quality, 1)
        if athlete.injury_prone and long_day is not None and long_day in hard:
            wanted_quality = 0  # the hard long run is the week's one hard session
        sequences = choice.quality[:wanted_quality]
        candidates = [d for d in available if not (week.race_week and (race_day - d).days < 3)]
        quality_days: list[dt.date] = []
        for count in range(len(sequences), 0, -1):
            quality_days = _quality_days(candidates, count, hard, long_day)
            if quality_days:
                break
        if len(quality_days) < len(sequences):
            dropped = [s[0] for s in sequences[len(quality_days) :]]
            notes.append(f"dropped {', '.join(dropped)}: no day left that keeps hard days apart")
        for rank, (day, sequence) in enumerate(zip(quality_days, sequences, strict=False), 1):
            position = (week.phase_week - 1) * len(sequence) // max(week.phase_weeks, 1)
            name = sequence[min(position, len(sequence) - 1)]
            slots.append(
                Slot(
                    day,
                    "run",
                    "quality",
                    name,
                    intensity(name),
                    f"quality session {rank} of the {week.phase} phase",
                    rank,
                )
            )
            runs.append(day)
            available.remove(day)
            if intensity(name) == "hard":
                hard.add(day)

        # Easy runs fill the running days the focus and the phase's rest days allow.
        max_runs = min(focus.max_runs_per_week, 7 - phase.min_rest_days)
        easy_count = max(0, min(len(available), max_runs - len(runs)))
        if len(runs) > max_runs:
            notes.append(f"{len(runs)} sessions but the focus asks for at most {max_runs} runs")
        easy_days = _spread_pick(available, runs, easy_count)
        rotation = list(choice.easy)
        turn = 0
        for day in easy_days:
            after_key = (day - DAY) in hard or (day - DAY) == long_day
            if after_key and choice.recovery:
                name, role, why = (
                    choice.recovery,
                    "recovery",
                    "easy day after a hard day or long run",
                )
            else:
                name, role = rotation[turn % len(rotation)], "easy"
                why = "easy running to build the week's volume"
                turn += 1
            slots.append(Slot(day, "run", role, name, intensity(name), why))
            runs.append(day)

        # Strength on days without hard running, spread out.
        strength_count = athlete.strength_per_week if phase.strength and choice.strength else 0
        if strength_count and choice.strength:
            calm = [
                d
                for d in days
                if blocked(d) is None
                and d.weekday() in athlete.availability.days
                and d not in hard
                and d != long_day
                and not (week.race_week and (race_day - d).days < 2)
            ]
            preferred = [d for d in calm if d in runs] + [d for d in calm if d not in runs]
            picked = _spread_pick(preferred, [], strength_count)
            for day in picked:
                slots.append(
                    Slot(
                        day,
                        "strength",
                        "strength",
                        choice.strength,
                        intensity(choice.strength),
                        "strength on a day without hard running",
                    )
                )
            if len(picked) < strength_count:
                notes.append(f"only {len(picked)} of {strength_count} strength sessions fit")

        previous_hard = hard
        slots.sort(key=lambda s: (s.date, s.slot != "run" and s.slot != "race", s.slot))
        result.append(ScheduledWeek(week, tuple(slots), tuple(notes)))
    return result
