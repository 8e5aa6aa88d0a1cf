"""Stage 5, schedule: place each week's sessions on dates.

Sessions go only on available days that are not days away; the long run goes on the long-run day;
hard sessions are never on consecutive days (across week boundaries too) and keep off the day before
the long run when they can; strength goes on days without hard running.  When there are more
sessions than days, the lowest-priority ones are dropped (easy runs first, then the last quality
slot) and the week's notes say so.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from itertools import combinations, pairwise

from ..model import (
    WEEKDAYS,
    Athlete,
    Blueprint,
    Paces,
    ScheduledWeek,
    Slot,
    WeekPlan,
)
from ..vocabulary import Intensity, Role, SlotKind
from .allocate import FEW_DAYS
from .capacity import runs_to_hold, runs_volume_fills
from .minor_races import place_minor_races
from .periodize import is_masters
from .quality_choice import (
    fast_work_stops,
    race_day_of,
    race_pace_long_weeks,
    race_pace_rank,
    slot_sequences,
    turn_place,
    unrepeated,
    without_fast_work,
)

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
    keep_from: set[dt.date],
    gap: int,
) -> list[dt.date]:
    """The best set of ``count`` days for hard sessions: each at least ``gap`` days from every
    day in ``keep_from`` (hard days and long runs, this week's and its neighbours') and from each
    other; then as far apart as possible, then as far as possible from the days kept from (the
    middle of the week between two long runs, not the first day the gap allows), then later."""
    best: tuple[tuple[int, int, dt.date], list[dt.date]] | None = None
    for combo in combinations(sorted(candidates), count):
        if any(abs((day - other).days) < gap for day in combo for other in keep_from):
            continue
        gaps = [b.toordinal() - a.toordinal() for a, b in pairwise(combo)]
        if any(g < gap for g in gaps):
            continue
        clear = min((abs((day - other).days) for day in combo for other in keep_from), default=7)
        score = (min(gaps, default=7), min(clear, 7), combo[0])
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
    if week.race_week and day > race_day_of(athlete):
        return "after race day"
    return None


def _rest_after_race(blueprint: Blueprint, day: dt.date) -> bool:
    after = (day - race_day_of(blueprint.athlete)).days
    return 0 < after <= blueprint.program.rules.rest_after_race


def _long_day(week_start: dt.date, weekday: int) -> dt.date:
    return week_start + DAY * ((weekday - week_start.weekday()) % 7)


def schedule(blueprint: Blueprint, weeks: Sequence[WeekPlan], paces: Paces) -> list[ScheduledWeek]:
    athlete, program = blueprint.athlete, blueprint.program
    rules = program.rules
    gap = rules.masters_hard_days_apart if is_masters(blueprint) else rules.hard_days_apart
    race_day = race_day_of(athlete)
    result: list[ScheduledWeek] = []
    # last week's hard days and long run; before week 1, the athlete's own long run on their
    # long-run day (no medium-long run or quality session the day after it)
    previous_keep: set[dt.date] = set()
    if weeks:
        first = weeks[0].start
        previous_keep.add(_long_day(first - DAY * 7, athlete.availability.long_run_day))
    race_pace_long = race_pace_long_weeks(blueprint, weeks)
    places = phase_places(weeks)
    late = fast_work_stops(blueprint, weeks)
    without_fast = without_fast_work(blueprint) if late else blueprint
    had_quality = False
    for week in weeks:
        cues = WeekCues(
            runs_needed=runs_to_hold(blueprint.program, paces.zones["easy"].mid, week.target_m),
            race_pace_long=week.index in race_pace_long,
            race_pace_long_next=week.index + 1 in race_pace_long,
            first_quality=not had_quality,
            place=places[week.index],
            strength_before=frozenset(
                s.date for s in (result[-1].slots if result else ()) if s.slot == SlotKind.STRENGTH
            ),
        )
        scheduled, previous_keep = _schedule_week(
            without_fast if week.index in late else blueprint,
            week,
            previous_keep,
            gap,
            race_day,
            cues,
        )
        had_quality = had_quality or any(s.role == Role.QUALITY for s in scheduled.slots)
        result.append(scheduled)
    cleared: list[ScheduledWeek] = []
    for i, scheduled_week in enumerate(result):
        following = result[i + 1] if i + 1 < len(result) else None
        cleared.append(_strength_clear_of(scheduled_week, following, race_day, cleared[-1:]))
    return place_minor_races(blueprint, cleared)


@dataclass(frozen=True)
class WeekCues:
    """What scheduling a week needs to know of the plan around it."""

    runs_needed: int  # how many runs the week's volume needs (capacity.runs_to_hold)
    race_pace_long: bool  # its long run is the race-specific one (race_pace_long_weeks)
    first_quality: bool  # no week before it had a quality session
    place: tuple[int, int]  # its place among the plan's weeks of its phase: (n, of)
    # the days of the week before's strength sessions (none the day after one)
    strength_before: frozenset[dt.date] = frozenset()
    race_pace_long_next: bool = False  # the next week's long run is the race-specific one


def phase_places(weeks: Sequence[WeekPlan]) -> dict[int, tuple[int, int]]:
    """Each week's place among all the plan's weeks of its phase, 1-based, and their count: a
    long runway's build cycles walk a focus's sequences once, from short intervals to longer
    tempo, instead of starting over from the first session in every cycle."""
    of = Counter(week.phase for week in weeks)
    seen: Counter[str] = Counter()
    places: dict[int, tuple[int, int]] = {}
    for week in weeks:
        seen[week.phase] += 1
        places[week.index] = (seen[week.phase], of[week.phase])
    return places


def _slot_order(slot: Slot) -> tuple[dt.date, bool, str]:
    """A day's sessions in order: the run (or the race) first, then strength."""
    return slot.date, slot.slot not in (SlotKind.RUN, SlotKind.RACE), slot.slot


def _near_race(day: dt.date, race_day: dt.date) -> bool:
    """Whether ``day`` is from two days before the race to the day after it: no strength."""
    return -1 <= (race_day - day).days <= 2


def _demanding(week: ScheduledWeek) -> set[dt.date]:
    """The days of a week's hard sessions and long run (race included)."""
    return {
        s.date
        for s in week.slots
        if s.slot != SlotKind.STRENGTH
        and (s.intensity == Intensity.HARD or s.role in (Role.LONG, Role.RACE))
    }


def _strength_clear_of(
    week: ScheduledWeek,
    following: ScheduledWeek | None,
    race_day: dt.date,
    before: Sequence[ScheduledWeek] = (),
) -> ScheduledWeek:
    """A strength session on the day before the next week's first hard day (a Sunday routine
    before Monday's intervals), which the week could not see when it was placed, moves to an
    easy running day of its own week that is clear of hard days, or is left out, with a note.
    The legs come to the hard day fresh, as the routine's own text asks."""
    if following is None:
        return week
    ahead = _demanding(following)
    clashing = [s for s in week.slots if s.slot == SlotKind.STRENGTH and s.date + DAY in ahead]
    if not clashing:
        return week
    demanding = _demanding(week) | ahead
    taken = {s.date for s in week.slots if s.slot == SlotKind.STRENGTH}
    # nor next to the strength sessions of the weeks before and after it
    around = [*before, following]
    near = taken | {s.date for w in around for s in w.slots if s.slot == SlotKind.STRENGTH}
    slots = [s for s in week.slots if s not in clashing]
    notes = list(week.notes)
    for session in clashing:
        free = [
            s.date
            for s in week.slots
            if s.slot == SlotKind.RUN
            and s.date not in demanding
            and s.date + DAY not in demanding
            and all(abs((s.date - t).days) > 1 for t in near - {session.date})
            and not _near_race(s.date, race_day)
        ]
        if free:
            day = max(free, key=lambda d: min((abs((d - t).days) for t in taken), default=7))
            taken.add(day)
            near.add(day)
            slots.append(
                Slot(
                    day,
                    SlotKind.STRENGTH,
                    Role.STRENGTH,
                    session.workout,
                    session.intensity,
                    "strength on a day without hard running, clear of next week's first hard day",
                )
            )
        else:
            notes.append(
                f"{session.date}: strength left out: the next day starts next week with a hard "
                "session or the long run"
            )
    slots.sort(key=_slot_order)
    return ScheduledWeek(week.plan, tuple(slots), tuple(notes))


def _schedule_week(
    blueprint: Blueprint,
    week: WeekPlan,
    previous_keep: set[dt.date],
    gap: int,
    race_day: dt.date,
    cues: WeekCues,
) -> tuple[ScheduledWeek, set[dt.date]]:
    """One week's sessions on dates, and the days the next week's hard sessions keep from."""
    athlete, focus, program = blueprint.athlete, blueprint.focus, blueprint.program
    workouts = blueprint.workouts
    phase = blueprint.phases[week.phase]
    choice = focus.for_phase(week.phase)
    days = [week.start + DAY * i for i in range(week.days)]
    # the week's last seven days, from its usual first weekday: a first week joined to the
    # next has its long run at their end, not days after the athlete's first run
    usual = week.start + DAY * (week.days - 7)
    notes: list[str] = []
    slots: list[Slot] = []

    def intensity(name: str) -> Intensity:
        return workouts[name].intensity

    def blocked(day: dt.date) -> str | None:
        reason = _blocked(athlete, week, day)
        if reason is None and _rest_after_race(blueprint, day):
            reason = "rest after the race"
        return reason

    for day in days:
        reason = blocked(day)
        if reason and day.weekday() in athlete.availability.days and reason.startswith("away"):
            notes.append(f"{WEEKDAYS[day.weekday()].title()} {day}: {reason}, nothing planned")
    available = [d for d in days if d.weekday() in athlete.availability.days and not blocked(d)]
    # the days hard sessions keep their distance from: last week's hard days and long run,
    # race day (even next week's), and next week's long run
    keep: set[dt.date] = {d for d in previous_keep if d >= week.start - DAY * gap}
    if week.start <= race_day < week.start + DAY * (week.days + gap):
        keep.add(race_day)
    next_week = week.start + DAY * week.days
    next_long = _long_day(next_week, athlete.availability.long_run_day)
    next_is_race_week = next_week <= race_day < next_week + DAY * 7
    # a long run with a race-pace block is a big hard day: one more easy day before it, this
    # week's or next week's (VO2max on Friday before Sunday's 60 min at marathon pace)
    before_hard_long: set[dt.date] = set()
    if not next_is_race_week and next_long.weekday() in athlete.availability.days:
        keep.add(next_long)
        if cues.race_pace_long_next:
            before_hard_long.add(next_long - DAY)
    runs: list[dt.date] = []

    if week.race_week:
        slots.append(
            Slot(
                race_day,
                SlotKind.RACE,
                Role.RACE,
                program.race_workout,
                intensity(program.race_workout),
                "race day",
            )
        )
        runs.append(race_day)
        available = [d for d in available if d != race_day]
    # the last two days before the race, whichever week they fall in: a short shakeout the
    # day before, else rest
    eve = [d for d in available if 0 < (race_day - d).days <= 2]
    available = [d for d in available if d not in eve]
    shakeout = program.rules.shakeout
    if shakeout and eve:
        day = max(eve)
        slots.append(
            Slot(
                day,
                SlotKind.RUN,
                Role.SHAKEOUT,
                shakeout,
                intensity(shakeout),
                "a short shakeout before race day; the other day before it is rest",
            )
        )
        runs.append(day)

    # The long run, on the long-run day when the athlete can run then.
    long_day: dt.date | None = None
    long_name: str | None = None
    if phase.long_run and choice.long and not week.race_week:
        wanted = _long_day(usual, athlete.availability.long_run_day)
        why = "the long-run day"
        if wanted in available:
            long_day = wanted
        elif athlete.start is not None and wanted < athlete.start:
            # the plan starts after this week's long-run day: its first long run is next
            # week's, not one moved to the first days, days before it
            notes.append(
                f"no long run this week: the plan starts after {WEEKDAYS[wanted.weekday()]}"
            )
        elif available:
            # the nearest day, one that keeps apart from hard days and last week's long run first;
            # a moved long run keeps LONG_RUNS_APART days from last week's (not two in three days)
            last_long = _long_day(usual - DAY * 7, athlete.availability.long_run_day)
            spaced = [
                d
                for d in available
                if last_long not in previous_keep or (d - last_long).days >= LONG_RUNS_APART
            ]
            long_day = min(
                spaced or available,
                key=lambda d: (_too_close(d, keep, gap), abs((d - wanted).days), d),
            )
            why = f"moved from {WEEKDAYS[wanted.weekday()]} ({blocked(wanted) or 'not available'})"
            if not spaced or _too_close(long_day, keep, gap):
                notes.append(
                    f"no long run this week: {WEEKDAYS[wanted.weekday()]} is "
                    f"{blocked(wanted) or 'not available'}, and no other day keeps it apart "
                    "from a hard day or last week's long run"
                )
                long_day = None
        if long_day is not None:
            long_name = choice.long
            specific = program.rules.race_specific_long
            rested = week.cutback or week.returning  # a lighter week is lighter in its long run
            if specific and cues.race_pace_long:
                long_name, why = specific, why + "; race-specific: a block at race pace"
            plain = focus.defaults.long
            if plain and long_name != plain and rested:
                # a faster block in a cutback week or back from a break is no rest
                long_name = plain
                why += (
                    "; the easy long run, back from a break"
                    if week.returning
                    else "; the easy long run, in a cutback week"
                )
            elif (
                intensity(long_name) == Intensity.HARD and _too_close(long_day, keep, gap) and plain
            ):
                long_name = plain  # never two hard days too close
                why += "; the easier long run, as a hard day is close"
            slots.append(
                Slot(long_day, SlotKind.RUN, Role.LONG, long_name, intensity(long_name), why)
            )
            runs.append(long_day)
            available.remove(long_day)
            keep.add(long_day)
        elif not notes or not notes[-1].startswith("no long run"):
            notes.append("no day left for the long run this week")

    # Quality sessions, most important slot first, apart from hard days and long runs.
    wanted_quality = (
        phase.quality_sessions_injury_prone if athlete.injury_prone else phase.quality_sessions
    )
    max_runs = min(max(focus.max_runs_per_week, cues.runs_needed), 7 - phase.min_rest_days)
    if not week.race_week:  # a small week is fewer runs, not more tiny ones
        max_runs = min(max_runs, runs_volume_fills(program, week.target_m))
    running_days = min(len(available) + len(runs), max_runs)
    if running_days <= FEW_DAYS:
        wanted_quality = min(wanted_quality, 1)  # with few days, one quality session at most
    if week.cutback or week.race_week:
        wanted_quality = min(wanted_quality, 1)
    if week.returning:  # back from a break: easy running first, then one session
        wanted_quality = min(wanted_quality, 0 if week.first_back else 1)
    if week.after_break:
        wanted_quality = min(wanted_quality, 1)  # then one session, before two
    if cues.first_quality:
        wanted_quality = min(wanted_quality, 1)  # speed work comes in one session at a time
    if long_name is not None and intensity(long_name) == Intensity.HARD:
        wanted_quality = min(wanted_quality, 0 if athlete.injury_prone else 1)
    sequences = slot_sequences(choice.quality, wanted_quality, cues.place)
    if long_day is not None and long_name == program.rules.race_specific_long:
        before_hard_long.add(long_day - DAY)
    # not in the 2 days before the race, nor on the first day back from a trip (days of
    # travel and no running: the first run back is easy)
    candidates = [
        d for d in available if not 0 <= (race_day - d).days < 3 and not _first_day_back(athlete, d)
    ]
    quality_days: list[dt.date] = []
    for count in range(len(sequences), 0, -1):
        quality_days = _quality_days(candidates, count, keep | before_hard_long, gap)
        if quality_days:
            break
    # the sequences of the sessions the days hold: fewer days than sessions and the slots take
    # turns week by week, as in a week that asks for fewer, so a masters 10K runner whose
    # spacing leaves one day does not lose the focus's threshold slot every week (round 8)
    wanted_sequences = sequences
    sequences = slot_sequences(choice.quality, len(quality_days), cues.place)
    chosen: list[str] = []
    place = turn_place(choice.quality, len(sequences), cues.place)
    for sequence in sequences:
        chosen.append(unrepeated(program, sequence, week, place, chosen))
    specific_rank = race_pace_rank(blueprint, week, chosen)
    for rank, (day, name) in enumerate(zip(quality_days, chosen, strict=False), 1):
        why = f"quality session {rank} of the {week.phase} phase"
        if rank == specific_rank and program.rules.race_specific_quality:
            name = program.rules.race_specific_quality
            why += "; race-specific: sustained work at race pace"
        slots.append(Slot(day, SlotKind.RUN, Role.QUALITY, name, intensity(name), why, rank))
        runs.append(day)
        available.remove(day)
        if intensity(name) == Intensity.HARD:
            keep.add(day)
    missing = [q for q in wanted_sequences if q not in sequences]
    long_slot = next((s for s in slots if s.role == Role.LONG), None)
    if (
        missing
        and not quality_days
        and long_slot is not None
        # a race-pace long run is the week's quality work already (a masters marathoner's
        # goal-pace rehearsals became threshold blocks, round 10)
        and long_slot.workout != program.rules.race_specific_long
        and long_slot.intensity != Intensity.HARD
        and choice.quality_long
        and not (week.cutback or week.returning)  # a lighter week's long run is easy
        and not _too_close(long_slot.date, keep - {long_slot.date}, gap)
        and not _first_day_back(athlete, long_slot.date)
    ):
        # no day keeps a quality session apart from the long run: the long run carries it
        index = slots.index(long_slot)
        name = choice.quality_long
        slots[index] = Slot(
            long_slot.date,
            SlotKind.RUN,
            Role.LONG,
            name,
            intensity(name),
            f"{long_slot.reason}; the week's quality work is in the long run, as no other "
            "day keeps a hard session apart from it",
        )
        missing = missing[1:]
    if missing:
        dropped = [s[0] for s in missing]
        notes.append(f"dropped {', '.join(dropped)}: no day left that keeps hard days apart")

    # Easy runs fill the running days the focus and the phase's rest days allow.
    easy_count = max(0, min(len(available), max_runs - len(runs)))
    if len(runs) > max_runs:
        notes.append(f"{len(runs)} sessions but the focus asks for at most {max_runs} runs")
    easy_days = _spread_pick(available, runs, easy_count)
    hard_days = {
        s.date for s in slots if s.intensity == Intensity.HARD and s.slot != SlotKind.STRENGTH
    }
    after_key = hard_days | ({long_day} if long_day else set()) | previous_keep
    # the focus's medium-long run, else the program's (a marathon asks one of every focus)
    medium_long = choice.medium_long or program.rules.medium_long
    if running_days <= FEW_DAYS or week.race_week:
        medium_long = None
    if week.target_m < program.rules.medium_long_from_m:
        medium_long = None  # a small week has no room for a second long-ish run
    rotation = list(choice.easy)
    turn = 0
    for day in easy_days:
        if (day - DAY) in after_key and choice.recovery:
            name, role, why = (
                choice.recovery,
                Role.RECOVERY,
                "easy day after a hard day or long run",
            )
        elif (
            medium_long
            and long_day
            and abs((day - long_day).days) >= 3
            and day + DAY not in hard_days  # not the day before a quality session
        ):
            name, role = medium_long, Role.MEDIUM_LONG
            why = "the week's medium-long run, well away from the long run and hard days"
            medium_long = None
        else:
            name, role = rotation[turn % len(rotation)], Role.EASY
            why = "easy running to build the week's volume"
            turn += 1
        slots.append(Slot(day, SlotKind.RUN, role, name, intensity(name), why))
        runs.append(day)

    # not the day after last week's last strength session: a day between, as within a week
    strength_days = [d for d in days if all(abs((d - s).days) > 1 for s in cues.strength_before)]
    _place_strength(
        blueprint,
        week,
        choice.strength,
        strength_days,
        blocked,
        hard_days,
        long_day,
        runs,
        slots,
        notes,
    )
    slots.sort(key=_slot_order)
    # what the next week keeps from: the hard days and the long run as placed (not this week's
    # guesses about the next one, which the next week knows better)
    placed = hard_days | ({long_day} if long_day is not None else set())
    return ScheduledWeek(week, tuple(slots), tuple(notes)), placed


LONG_RUNS_APART = 4  # days between last week's long run and a long run moved by days away


def _too_close(day: dt.date, keep: Iterable[dt.date], gap: int) -> bool:
    """Whether ``day`` is within ``gap`` days of a day hard sessions keep from."""
    return any(abs((day - other).days) < gap for other in keep if other != day)


TRIP_BACK_DAYS = 3  # days away in a row before a day that make it the first day back from a trip


def _first_day_back(athlete: Athlete, day: dt.date) -> bool:
    """Whether ``day`` is the first day back from a trip (TRIP_BACK_DAYS days away or more
    just before it): its run is easy."""
    return all(athlete.away_on(day - DAY * k) for k in range(1, TRIP_BACK_DAYS + 1))


def _apart(days: Sequence[dt.date], count: int) -> list[dt.date]:
    """Up to ``count`` of ``days``, in their order (not sorted), none the day after or before
    another: two strength sessions on consecutive days leave the muscles no day to recover."""
    picked: list[dt.date] = []
    for day in days:
        if len(picked) < count and all(abs((day - d).days) > 1 for d in picked):
            picked.append(day)
    return picked


def _place_strength(
    blueprint: Blueprint,
    week: WeekPlan,
    strength: str | None,
    days: Sequence[dt.date],
    blocked: Callable[[dt.date], str | None],
    hard: set[dt.date],
    long_day: dt.date | None,
    runs: Sequence[dt.date],
    slots: list[Slot],
    notes: list[str],
) -> None:
    """Strength on days without hard running, spread out, never from two days before the race
    to the day after it, and never the day before a hard session or the long run (legs come to
    the hard day fresh).  When too few such days are left, strength goes after a quality
    session (hard days hard, easy days easy); what still does not fit is left out, and the
    week's notes say so."""
    athlete = blueprint.athlete
    phase = blueprint.phases[week.phase]
    count = athlete.strength_per_week if phase.strength and strength else 0
    if week.race_week:
        count = min(count, 1)  # race week keeps the habit, one short session, not the load
    if not count or strength is None:
        return
    race_day = race_day_of(athlete)
    open_days = [
        d
        for d in days
        if blocked(d) is None
        and d.weekday() in athlete.availability.days
        and d != long_day
        and not _near_race(d, race_day)
    ]
    calm = [d for d in open_days if d not in hard]
    # not the day before a hard session or the long run, when another day is free: legs come
    # to the hard day fresh
    demanding = hard | ({long_day} if long_day is not None else set())
    fresh = [d for d in calm if d + DAY not in demanding]
    after_quality = [d for d in open_days if d in hard and d + DAY not in demanding]
    preferred = [d for d in fresh if d in runs] + [d for d in fresh if d not in runs]
    picked = sorted(_apart(_spread_pick(preferred, [], count) + preferred, count))
    if len(picked) < count:
        more = _spread_pick(after_quality, picked, count - len(picked)) + after_quality
        picked = sorted(_apart(picked + more, count))
    intensity = blueprint.workouts[strength].intensity
    for day in picked:
        why = "strength on a day without hard running"
        if day in hard:
            why = "strength after the day's quality session: hard days hard, easy days easy"
        slots.append(Slot(day, SlotKind.STRENGTH, Role.STRENGTH, strength, intensity, why))
    if len(picked) < count:
        notes.append(
            f"only {len(picked)} of {count} strength sessions fit: none goes the day before a "
            "hard session or the long run"
        )
