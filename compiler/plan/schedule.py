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
from dataclasses import dataclass, field
from itertools import combinations, pairwise

from ..model import (
    WEEKDAYS,
    Athlete,
    Blueprint,
    FocusPhase,
    Paces,
    PhaseTemplate,
    ScheduledWeek,
    Slot,
    WeekPlan,
)
from ..vocabulary import Category, Intensity, Role, SlotKind
from .capacity import runs_to_hold, runs_volume_fills
from .long_run import FEW_DAYS, holds_block, quality_long
from .minor_races import easy_days_for, place_minor_races
from .periodize import few_days_back, hard_days_apart, light_session_gap, too_soon_back
from .quality_choice import (
    fast_work_stops,
    race_day_of,
    race_pace_long_weeks,
    race_pace_rank,
    slot_sequences,
    turn_place,
    unrepeated,
    varied,
    without_fast_work,
)
from .sessions import (
    RECOVERY_AFTER_HARD,
    STRENGTH_AFTER_QUALITY,
    STRENGTH_ON_EASY_DAY,
    steady_finish_s,
)

DAY = dt.timedelta(days=1)
# running days a week from which race week keeps a shakeout (_shakeout_earlier)
SHAKEOUT_FROM_DAYS = 3


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
    also_from: Iterable[dt.date] = (),
) -> list[dt.date]:
    """The best set of ``count`` days for hard sessions: each at least ``gap`` days from every
    day in ``keep_from`` (hard days and long runs, this week's and its neighbours') and from each
    other; then as far apart as possible, then as far as possible from the days kept from (the
    middle of the week between two long runs, not the first day the gap allows), then later."""
    best: tuple[tuple[int, int, dt.date], list[dt.date]] | None = None
    kept = keep_from | set(also_from)  # ``also_from`` only kept from, never spread from
    for combo in combinations(sorted(candidates), count):
        if any(abs((day - other).days) < gap for day in combo for other in kept):
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
    gap = hard_days_apart(blueprint)
    # a base week's light session: the plain gap for a masters week with no day at theirs
    light_gap = light_session_gap(blueprint)
    race_day = race_day_of(athlete)
    result: list[ScheduledWeek] = []
    # last week's hard days and long run; before week 1, the athlete's own long run on their
    # long-run day (no medium-long run or quality session the day after it)
    previous_keep: set[dt.date] = set()
    if weeks:
        previous_keep.add(athlete.own_long_run_before(weeks[0].start))
    race_pace_long = race_pace_long_weeks(blueprint, weeks)
    places = phase_places(weeks)
    late = fast_work_stops(blueprint, weeks)
    without_fast = without_fast_work(blueprint) if late else blueprint
    # a week back from a break and the first full week after: no race pace in place of fast work
    back_without_fast = without_fast_work(blueprint, race_pace=False) if late else blueprint
    had_quality = False
    for week in weeks:
        cues = WeekCues(
            runs_needed=runs_to_hold(blueprint.program, paces.zones["easy"].mid, week.target_m),
            race_pace_long=week.index in race_pace_long,
            race_pace_long_next=week.index + 1 in race_pace_long,
            quality_long_recent=_quality_long_recent(blueprint, result),
            recent_quality=_recent_quality(result, rules.variety_weeks - 1),
            first_quality=not had_quality,
            place=places[week.index],
            strength_before=frozenset(
                s.date for s in (result[-1].slots if result else ()) if s.slot == SlotKind.STRENGTH
            ),
        )
        back = week.returning or week.after_break
        scheduled, previous_keep = _schedule_week(
            blueprint if week.index not in late else back_without_fast if back else without_fast,
            week,
            previous_keep,
            light_gap if week.raced_quality else gap,
            race_day,
            cues,
        )
        # a raced athlete's light sessions in the base aside: the build's first week still
        # brings its speed work one session at a time
        had_quality = had_quality or (
            not week.raced_quality and any(s.role == Role.QUALITY for s in scheduled.slots)
        )
        result.append(scheduled)
    cleared: list[ScheduledWeek] = []
    for i, scheduled_week in enumerate(result):
        following = result[i + 1] if i + 1 < len(result) else None
        cleared.append(_strength_clear_of(scheduled_week, following, race_day, cleared[-1:]))
    return place_minor_races(blueprint, cleared)


def _quality_long_recent(blueprint: Blueprint, weeks: Sequence[ScheduledWeek]) -> bool:
    """Whether one of the last `quality_long_every` - 1 weeks scheduled had a long run with a
    block (quality_long): then this week's long run is the easy one."""
    every = blueprint.program.rules.quality_long_every
    last = weeks[-(every - 1) :] if every is not None and every > 1 else []
    return any(
        s.role == Role.LONG and quality_long(blueprint.workouts[s.workout])
        for week in last
        for s in week.slots
    )


def _recent_quality(weeks: Sequence[ScheduledWeek], count: int) -> tuple[str, ...]:
    """The quality workouts of the last ``count`` weeks scheduled, one entry a session."""
    last = weeks[-count:] if count > 0 else []
    return tuple(s.workout for w in last for s in w.slots if s.role == Role.QUALITY)


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
    # a long run with a block in the program's `quality_long_every` weeks before
    quality_long_recent: bool = False
    # the quality workouts of the weeks before it, within the program's `variety.weeks`
    recent_quality: tuple[str, ...] = ()


def phase_places(weeks: Sequence[WeekPlan]) -> dict[int, tuple[int, int]]:
    """Each week's place among all the plan's weeks of its phase, 1-based, and their count: a
    long runway's build cycles walk a focus's sequences once, from short intervals to longer
    tempo, instead of starting over from the first session in every cycle.  A week whose
    session is its phase's `quality_sessions_raced` (the base's light session) counts among
    those weeks alone, so the focus's light sessions take turns session by session, not week
    by week (a cutback in an odd week gave a base hills, fartlek, hills, hills, hills)."""
    of = Counter((week.phase, week.raced_quality) for week in weeks)
    seen: Counter[tuple[str, bool]] = Counter()
    places: dict[int, tuple[int, int]] = {}
    for week in weeks:
        key = (week.phase, week.raced_quality)
        seen[key] += 1
        places[week.index] = (seen[key], of[key])
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


@dataclass(frozen=True)
class _WeekFrame:
    """What placing one week's sessions reads and never changes: the athlete's plan, the week,
    its phase and its focus's choice of sessions for it, the spacing of hard days, race day and
    what the plan around the week says (WeekCues)."""

    blueprint: Blueprint
    week: WeekPlan
    previous_keep: set[dt.date]  # last week's hard days and long run as placed
    gap: int  # days between hard days
    race_day: dt.date
    cues: WeekCues

    @property
    def phase(self) -> PhaseTemplate:
        return self.blueprint.phases[self.week.phase]

    @property
    def choice(self) -> FocusPhase:
        return self.blueprint.focus.for_phase(self.week.phase)

    @property
    def days(self) -> list[dt.date]:
        return [self.week.start + DAY * i for i in range(self.week.days)]

    @property
    def usual(self) -> dt.date:
        """The first of the week's last seven days, from its usual first weekday: a first week
        joined to the next has its long run at their end, not days after the first run."""
        return self.week.start + DAY * (self.week.days - 7)

    def intensity(self, name: str) -> Intensity:
        return self.blueprint.workouts[name].intensity

    def blocked(self, day: dt.date) -> str | None:
        """Why nothing can be planned on ``day`` (days away, before the start, after the race,
        rest after it), or None when it is free."""
        reason = _blocked(self.blueprint.athlete, self.week, day)
        if reason is None and _rest_after_race(self.blueprint, day):
            reason = "rest after the race"
        return reason


@dataclass(frozen=True)
class _WeekBoard:
    """The week as its sessions are placed, most important first: its slots, the days that hold
    a run, the days still free to run, the days hard sessions keep their distance from, the
    days kept easy before a race-pace long run, and the week's notes.  The fields are never
    rebound; each placing step fills their lists and sets in place, in the order of
    _schedule_week."""

    slots: list[Slot]
    runs: list[dt.date]
    available: list[dt.date]
    keep: set[dt.date]
    before_hard_long: set[dt.date]
    notes: list[str]
    # the days quality sessions keep from where the days allow (the day before a long run
    # with `easy_days_before_long_from` running days)
    rather_easy: set[dt.date] = field(default_factory=set)

    def place(self, slot: Slot) -> None:
        """A run placed: its slot and its day taken."""
        self.slots.append(slot)
        self.runs.append(slot.date)


def _schedule_week(
    blueprint: Blueprint,
    week: WeekPlan,
    previous_keep: set[dt.date],
    gap: int,
    race_day: dt.date,
    cues: WeekCues,
) -> tuple[ScheduledWeek, set[dt.date]]:
    """One week's sessions on dates, and the days the next week's hard sessions keep from.
    Sessions are placed most important first, each on the days the ones before left: the race
    and the shakeout, the long run, quality, easy runs, then strength."""
    frame = _WeekFrame(blueprint, week, previous_keep, gap, race_day, cues)
    board = _open_board(frame)
    _place_race(frame, board)
    long_day, long_name = _place_long_run(frame, board)
    max_runs = _max_runs(frame)
    running_days = min(len(board.available) + len(board.runs), max_runs)
    easy_before = blueprint.program.rules.easy_days_before_long_from
    if long_day is not None and easy_before is not None and running_days >= easy_before:
        board.rather_easy.add(long_day - DAY)  # two easy days before the long run
    wanted = _wanted_quality(frame, running_days, long_name)
    light = _light_back(frame)
    if light is not None and wanted == 0:
        _place_quality(frame, board, 1, None, ((light,),))
    else:
        _place_quality(frame, board, wanted, _beside_fast_long(frame, long_name))
    hard_days = {
        s.date for s in board.slots if s.intensity == Intensity.HARD and s.slot != SlotKind.STRENGTH
    }
    _place_easy(frame, board, max_runs, running_days, hard_days, long_day)
    # not the day after last week's last strength session: a day between, as within a week
    strength_days = [
        d for d in frame.days if all(abs((d - s).days) > 1 for s in cues.strength_before)
    ]
    _place_strength(
        blueprint,
        week,
        frame.choice.strength,
        strength_days,
        frame.blocked,
        hard_days,
        long_day,
        board.runs,
        board.slots,
        board.notes,
    )
    board.slots.sort(key=_slot_order)
    # what the next week keeps from: the hard days and the long run as placed (not this week's
    # guesses about the next one, which the next week knows better)
    placed = hard_days | ({long_day} if long_day is not None else set())
    return ScheduledWeek(week, tuple(board.slots), tuple(board.notes)), placed


def _open_board(frame: _WeekFrame) -> _WeekBoard:
    """The week before anything is placed: a note for each running day away, the running days
    free, and the days hard sessions keep their distance from: last week's hard days and long
    run, race day (even next week's), and next week's long run (with the day before it when
    that long run holds a race-pace block)."""
    athlete, week, race_day, gap = frame.blueprint.athlete, frame.week, frame.race_day, frame.gap
    notes: list[str] = []
    for day in frame.days:
        reason = frame.blocked(day)
        if reason and day.weekday() in athlete.availability.days and reason.startswith("away"):
            notes.append(f"{WEEKDAYS[day.weekday()].title()} {day}: {reason}, nothing planned")
    available = [
        d for d in frame.days if d.weekday() in athlete.availability.days and not frame.blocked(d)
    ]
    keep: set[dt.date] = {d for d in frame.previous_keep if d >= week.start - DAY * gap}
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
        if frame.cues.race_pace_long_next:
            before_hard_long.add(next_long - DAY)
    return _WeekBoard([], [], available, keep, before_hard_long, notes)


def _place_race(frame: _WeekFrame, board: _WeekBoard) -> None:
    """Race day in race week; and the last two days before the race, whichever week they fall
    in, kept free of other runs: a short shakeout the day before, else rest."""
    program, race_day = frame.blueprint.program, frame.race_day
    if frame.week.race_week:
        race = program.race_workout
        board.place(
            Slot(race_day, SlotKind.RACE, Role.RACE, race, frame.intensity(race), "race day")
        )
        board.available[:] = [d for d in board.available if d != race_day]
    eve = [d for d in board.available if 0 < (race_day - d).days <= 2]
    board.available[:] = [d for d in board.available if d not in eve]
    shakeout = program.rules.shakeout
    why = "a short shakeout before race day; the other day before it is rest"
    if shakeout and not eve and frame.week.race_week:
        eve, why = _shakeout_earlier(frame, board)
        shakeout = program.rules.shakeout_early or shakeout  # the day before is a shakeout
    if shakeout and eve:
        board.place(
            Slot(max(eve), SlotKind.RUN, Role.SHAKEOUT, shakeout, frame.intensity(shakeout), why)
        )


def _shakeout_earlier(frame: _WeekFrame, board: _WeekBoard) -> tuple[list[dt.date], str]:
    """The day for race week's shakeout when the athlete runs on neither of the two days
    before the race: the last listed day within `shakeout_within` days of it, for an athlete
    of 3 or more running days (taken off the days left), so race week keeps a short run in its
    last days (a 3-day beginner ran nothing from Tuesday to Sunday's 5K, review round 20)."""
    rules, athlete = frame.blueprint.program.rules, frame.blueprint.athlete
    if len(athlete.availability.days) < SHAKEOUT_FROM_DAYS:
        return [], ""
    within = [d for d in board.available if 0 < (frame.race_day - d).days <= rules.shakeout_within]
    if not within:
        return [], ""
    board.available[:] = [d for d in board.available if d != max(within)]
    return [max(within)], "a short easy run with strides, the last running day before race day"


def _place_long_run(frame: _WeekFrame, board: _WeekBoard) -> tuple[dt.date | None, str | None]:
    """The week's long run placed when its phase and focus have one and it is not race week:
    its day and workout, or (None, None) with a note saying why there is none."""
    choice = frame.choice
    if not (frame.phase.long_run and choice.long and not frame.week.race_week):
        return None, None
    long_day, why = _long_run_day(frame, board)
    if long_day is None:
        if not board.notes or not board.notes[-1].startswith("no long run"):
            board.notes.append("no day left for the long run this week")
        return None, None
    long_name, why = _long_run_workout(frame, board.keep, long_day, choice.long, why)
    board.place(Slot(long_day, SlotKind.RUN, Role.LONG, long_name, frame.intensity(long_name), why))
    board.available.remove(long_day)
    board.keep.add(long_day)
    if long_name == frame.blueprint.program.rules.race_specific_long:
        board.before_hard_long.add(long_day - DAY)
    return long_day, long_name


def _long_run_day(frame: _WeekFrame, board: _WeekBoard) -> tuple[dt.date | None, str]:
    """The long run's day and why: the long-run day when the athlete can run then; else the
    nearest free day, one that keeps apart from hard days and last week's long run first (a
    moved long run keeps the program's `long_runs_apart` days from last week's: not two in
    three days, but Wednesday's long run before a weekend away, not none: review round 17).
    The quality sessions are placed after it, so they give way to it, not it to them.  None,
    with a note, when the plan starts after the long-run day or no day keeps it apart."""
    athlete, available, gap = frame.blueprint.athlete, board.available, frame.gap
    wanted = _long_day(frame.usual, athlete.availability.long_run_day)
    if wanted in available:
        return wanted, "the long-run day"
    if athlete.start is not None and wanted < athlete.start:
        # the plan starts after this week's long-run day: its first long run is next
        # week's, not one moved to the first days, days before it
        board.notes.append(
            f"no long run this week: the plan starts after {WEEKDAYS[wanted.weekday()]}"
        )
        return None, ""
    if not available:
        return None, ""
    last_long = _long_day(frame.usual - DAY * 7, athlete.availability.long_run_day)
    spaced = [
        d
        for d in available
        if last_long not in frame.previous_keep
        or (d - last_long).days >= frame.blueprint.program.rules.long_runs_apart
    ]
    long_day = min(
        spaced or available,
        key=lambda d: (_too_close(d, board.keep, gap), abs((d - wanted).days), d),
    )
    reason = frame.blocked(wanted) or "not available"
    if not spaced or _too_close(long_day, board.keep, gap):
        board.notes.append(
            f"no long run this week: {WEEKDAYS[wanted.weekday()]} is {reason}, and no other day "
            "keeps it apart from a hard day or last week's long run"
        )
        return None, ""
    return long_day, f"moved from {WEEKDAYS[wanted.weekday()]} ({reason})"


def _long_run_workout(
    frame: _WeekFrame, keep: set[dt.date], long_day: dt.date, planned: str, why: str
) -> tuple[str, str]:
    """The long run's workout and why: the race-specific one in its weeks; the focus's plain
    long run in a lighter week (a faster block in a cutback week or back from a break is no
    rest), in the first full week after a break beside its quality session, or when the long
    run is hard and a hard day is too close."""
    week, rules = frame.week, frame.blueprint.program.rules
    long_name = planned
    if rules.race_specific_long and frame.cues.race_pace_long:
        long_name, why = rules.race_specific_long, why + "; race-specific: a block at race pace"
    plain = frame.blueprint.focus.defaults.long
    if plain and long_name != plain and (week.cutback or week.returning):
        return plain, why + (
            "; the easy long run, back from a break"
            if week.returning
            else "; the easy long run, in a cutback week"
        )
    if plain and long_name != plain and week.after_break and _has_quality(frame):
        # the first full week after a break holds one quality session: the long run beside
        # it is the plain one, not a steady finish (round 18: 13.3 mi with its last 30 min
        # steady beside a race-pace tempo, the second week back from a 7-day trip)
        return plain, why + "; the easy long run, beside a quality session after a break"
    if plain and long_name != plain and _alternates(frame, long_name):
        return plain, why + "; the easy long run: long runs with a block alternate with easy ones"
    if (
        frame.intensity(long_name) == Intensity.HARD
        and _too_close(long_day, keep, frame.gap)
        and plain
    ):
        return plain, why + "; the easier long run, as a hard day is close"  # never two close
    return long_name, why


def _alternates(frame: _WeekFrame, long_name: str) -> bool:
    """Whether the long run ``long_name``, one with a block (a steady finish, a tempo), gives
    way to the easy one: a block in the last `quality_long_every` weeks' long runs, or next
    week's long run is the race-specific one (the race-specific long run itself keeps its
    week).  A steady-finish long run every build week beside the week's sessions held 76-78%
    of a half marathoner's weeks easy; a marathoner's goal-pace long runs alternate with easy
    ones (review round 21)."""
    rules = frame.blueprint.program.rules
    if rules.quality_long_every is None or long_name == rules.race_specific_long:
        return False
    if not quality_long(frame.blueprint.workouts[long_name]):
        return False
    return frame.cues.quality_long_recent or (
        frame.cues.race_pace_long_next and rules.quality_long_every > 1
    )


def _has_quality(frame: _WeekFrame) -> bool:
    """Whether the week's phase asks for a quality session this week."""
    athlete, week = frame.blueprint.athlete, frame.week
    return frame.phase.sessions(athlete.injury_prone, week.raced_quality) > 0


def _max_runs(frame: _WeekFrame) -> int:
    """The most runs the week holds: the focus's, or as many as its volume needs, within the
    phase's rest days; a small week is fewer runs, not more tiny ones (race week aside)."""
    phase, program = frame.phase, frame.blueprint.program
    max_runs = min(
        max(frame.blueprint.focus.max_runs_per_week, frame.cues.runs_needed),
        7 - phase.min_rest_days,
    )
    if not frame.week.race_week:
        max_runs = min(max_runs, runs_volume_fills(program, frame.week.target_m))
    return max_runs


def _wanted_quality(frame: _WeekFrame, running_days: int, long_name: str | None) -> int:
    """How many quality sessions the week asks for: the phase's (its injury-prone count for an
    injury-prone athlete, its `quality_sessions_raced` in a week that takes them), one at most
    with few running days, in a cutback or race week, back from a break (none in the first
    week back), in the first week with quality work, or beside a hard long run (none for an
    injury-prone athlete)."""
    athlete, phase, week = frame.blueprint.athlete, frame.phase, frame.week
    wanted = phase.sessions(athlete.injury_prone, week.raced_quality)
    if running_days <= FEW_DAYS:
        wanted = min(wanted, 1)  # with few days, one quality session at most
    if week.cutback or week.race_week:
        wanted = min(wanted, 1)
    if week.returning:  # back from a break: easy running first, then one session
        wanted = min(wanted, 0 if week.first_back else 1)
    if week.after_break:
        wanted = min(wanted, 1)  # then one session, before two
    if frame.cues.first_quality:
        wanted = min(wanted, 1)  # speed work comes in one session at a time
    if long_name is not None and frame.intensity(long_name) == Intensity.HARD:
        wanted = min(wanted, 0 if athlete.injury_prone else 1)
    return wanted


def _light_back(frame: _WeekFrame) -> str | None:
    """The program's `return_from_break.light_session` for a week that runs easy back from a
    break but starts after its first day back (few_days_back) in a phase with quality work: a
    light fartlek, not threshold work, and no week of nothing but easy running either (round
    20: an injury-prone half marathoner's first full week back held cruise intervals)."""
    bp, week = frame.blueprint, frame.week
    light = bp.program.rules.return_light_session
    if light is None or not week.first_back or not few_days_back(bp, week.start):
        return None
    has_quality = frame.phase.sessions(bp.athlete.injury_prone, week.raced_quality) > 0
    return light if has_quality and light in bp.workouts else None


def _beside_fast_long(frame: _WeekFrame, long_name: str | None) -> int | None:
    """The most quality sessions beside the week's long run when it holds a block faster than
    steady (`quality_beside_fast_long`), else None: that long run is a hard day of its own (two
    threshold sessions beside a marathon-pace long run held 12-14% of a marathoner's week at
    threshold on three hard days, round 16), or a steady finish of `hard_steady_finish` or more
    (a tempo and cruise intervals beside a 25-30 min steady finish held 16% of the week at
    threshold, round 17)."""
    rules = frame.blueprint.program.rules
    beside = rules.quality_beside_fast_long
    if long_name is None or beside is None:
        return None
    template = frame.blueprint.workouts[long_name]
    if holds_block(template.steps):
        return beside
    steady = rules.hard_steady_finish_s
    if steady is not None and steady_finish_s(template, frame.week) >= steady:
        return beside  # a long steady finish is a block of its own (round 17)
    return None


def _place_quality(
    frame: _WeekFrame,
    board: _WeekBoard,
    wanted: int,
    most: int | None = None,
    quality: Sequence[Sequence[str]] | None = None,
) -> None:
    """The week's quality sessions, most important slot first, on days apart from hard days and
    long runs; with fewer days than sessions, the long run carries one when it can
    (_quality_in_long_run), and the week's notes name the sessions dropped.  With ``most``
    (beside a long run with a faster block) the sessions past it are left out, their days found
    as for ``wanted`` first: the first session keeps its day and the next one's becomes an easy
    day, the medium-long run's (Tuesday's session and Thursday's medium-long run before
    Sunday's marathon-pace long run, not one session on Wednesday between easy runs).
    ``quality``: the slots' sequences in place of the focus's (_light_back)."""
    slots, place = frame.choice.quality if quality is None else quality, frame.cues.place
    if quality is None:
        slots = _without_race_pace(frame, board, slots, wanted)
    held = wanted if most is None else min(wanted, most)
    wanted_sequences = slot_sequences(slots, held, place)
    quality_days = _quality_days_of(frame, board, wanted)[: len(wanted_sequences)]
    # the sequences of the sessions the days hold: fewer days than sessions and the slots take
    # turns week by week, as in a week that asks for fewer, so a masters 10K runner whose
    # spacing leaves one day does not lose the focus's threshold slot every week (round 8)
    sequences = slot_sequences(slots, len(quality_days), place)
    chosen: list[str] = []
    turn = turn_place(slots, len(sequences), place)
    for sequence in sequences:
        chosen.append(unrepeated(frame.blueprint.program, sequence, frame.week, turn, chosen))
    specific = frame.blueprint.program.rules.race_specific_quality
    specific_rank = race_pace_rank(frame.blueprint, frame.week, chosen)
    if _race_pace_long_placed(frame, board):
        specific_rank = None  # the long run's race-pace blocks stand in for the tempo
    # the sessions the last weeks wore out rotate; the one the race-specific session takes
    # the place of stays, so it still finds its place
    for rank, sequence in enumerate(sequences, 1):
        if rank != specific_rank:
            others = chosen[: rank - 1] + chosen[rank:]
            recent, phase = frame.cues.recent_quality, frame.week.phase
            chosen[rank - 1] = varied(
                frame.blueprint, chosen[rank - 1], sequence, recent, others, phase
            )
    if quality is not None:  # the sessions asked for, not varied (a light fartlek stays one)
        chosen = [sequence[0] for sequence in sequences]
    for rank, (day, name) in enumerate(zip(quality_days, chosen, strict=False), 1):
        why = f"quality session {rank} of the {frame.week.phase} phase"
        if rank == specific_rank and specific:
            name = specific
            why += "; race-specific: sustained work at race pace"
        board.place(Slot(day, SlotKind.RUN, Role.QUALITY, name, frame.intensity(name), why, rank))
        board.available.remove(day)
        if frame.intensity(name) == Intensity.HARD:
            board.keep.add(day)
    missing = [q for q in wanted_sequences if q not in sequences]
    if missing and not quality_days and _quality_in_long_run(frame, board):
        missing = missing[1:]
    if missing:
        dropped = [s[0] for s in missing]
        board.notes.append(f"dropped {', '.join(dropped)}: no day left that keeps hard days apart")


def _without_race_pace(
    frame: _WeekFrame, board: _WeekBoard, slots: Sequence[Sequence[str]], wanted: int
) -> Sequence[Sequence[str]]:
    """The week's quality slots without the one the race-pace tempo (`race_specific.quality`)
    would take, in the week of the race-specific long run: the long run's blocks are that
    session, and the week keeps the focus's other work beside it (a half's HMP long run with
    its intervals, not with a threshold tempo that the week's threshold share then eases)."""
    if not _race_pace_long_placed(frame, board):
        return slots
    sequences = slot_sequences(slots, wanted, frame.cues.place)
    turn = turn_place(slots, len(sequences), frame.cues.place)
    chosen: list[str] = []
    for sequence in sequences:  # the week's sessions, as _place_quality picks them
        chosen.append(unrepeated(frame.blueprint.program, sequence, frame.week, turn, chosen))
    rank = race_pace_rank(frame.blueprint, frame.week, chosen)
    if rank is None:
        return slots
    return [s for r, s in enumerate(sequences, 1) if r != rank]


def _race_pace_long_placed(frame: _WeekFrame, board: _WeekBoard) -> bool:
    """Whether the week's long run is the program's race-specific one (`race_specific.long`):
    then it is the week's race-pace work, and the race-pace tempo (`race_specific.quality`)
    gives way to the focus's own session, not a second race-pace session beside it (a half's
    HMP long run and its race-pace tempo in one week: round 21)."""
    specific = frame.blueprint.program.rules.race_specific_long
    return specific is not None and any(
        s.role == Role.LONG and s.workout == specific for s in board.slots
    )


def _quality_days_of(frame: _WeekFrame, board: _WeekBoard, wanted: int) -> list[dt.date]:
    """The days for up to ``wanted`` quality sessions (as many as the spacing of hard days
    allows): not in the 2 days before the race, nor on the first day back from a trip (days of
    travel and no running: the first run back is easy), nor fewer than
    `return_from_break.light_after_days` after a break's first day back (too_soon_back); apart
    from the days kept easy where the days allow (``rather_easy``: never a session fewer for
    them)."""
    athlete, race_day = frame.blueprint.athlete, frame.race_day
    candidates = [
        d
        for d in board.available
        if not 0 <= (race_day - d).days < 3
        and not _first_day_back(athlete, d)
        and not too_soon_back(frame.blueprint, d)
    ]
    keep = board.keep | board.before_hard_long
    for count in range(wanted, 0, -1):
        for rather in (board.rather_easy, set()):
            days = _quality_days(candidates, count, keep, frame.gap, rather)
            if days:
                return days
    return []


def _quality_in_long_run(frame: _WeekFrame, board: _WeekBoard) -> bool:
    """Whether the long run carries the week's quality work (the focus's `quality_long`), as no
    day keeps a quality session apart from it: not a race-pace or hard long run already (a
    masters marathoner's goal-pace rehearsals became threshold blocks, round 10), not in a
    lighter week, not close to a hard day nor on the first day back from a trip, not in a
    week cut by days away (the long run moved before an injury-prone athlete's ski trip was 57%
    of the week with a threshold block, round 18; a 61-year-old's first two runs after a 5-day
    conference were an easy run and a long run with 12 min at threshold, round 19: after days
    off the week has no quality at all), and not for a base's light session
    (`quality_sessions_raced`: a tempo long run is no light session)."""
    choice, program, athlete = frame.choice, frame.blueprint.program, frame.blueprint.athlete
    long_slot = next((s for s in board.slots if s.role == Role.LONG), None)
    if (
        long_slot is None
        or not frame.phase.sessions(frame.blueprint.athlete.injury_prone)
        or long_slot.workout == program.rules.race_specific_long
        or long_slot.intensity == Intensity.HARD
        or not choice.quality_long
        or frame.week.cutback
        or frame.week.returning  # a lighter week's long run is easy
        or athlete.days_away(frame.week.start, frame.week.days) > 0
        or _too_close(long_slot.date, board.keep - {long_slot.date}, frame.gap)
        or _first_day_back(athlete, long_slot.date)
    ):
        return False
    name = choice.quality_long
    board.slots[board.slots.index(long_slot)] = Slot(
        long_slot.date,
        SlotKind.RUN,
        Role.LONG,
        name,
        frame.intensity(name),
        f"{long_slot.reason}; the week's quality work is in the long run, as no other "
        "day keeps a hard session apart from it",
    )
    return True


def _place_easy(
    frame: _WeekFrame,
    board: _WeekBoard,
    max_runs: int,
    running_days: int,
    hard_days: set[dt.date],
    long_day: dt.date | None,
) -> None:
    """Easy runs on the running days the focus and the phase's rest days allow, spread apart
    from the runs placed: a recovery run the day after a hard day or long run, the week's
    medium-long run well away from the long run and hard days, else the focus's easy runs in
    turn."""
    choice = frame.choice
    easy_count = max(0, min(len(board.available), max_runs - len(board.runs)))
    if len(board.runs) > max_runs:
        board.notes.append(
            f"{len(board.runs)} sessions but the focus asks for at most {max_runs} runs"
        )
    easy_days = _spread_pick(board.available, board.runs, easy_count)
    after_key = hard_days | ({long_day} if long_day else set()) | frame.previous_keep
    medium_long = _medium_long(frame, running_days)
    rotations = _after_race_rotations(frame)
    turn = [0, 0]  # in each rotation: the race's easy days (or any other week's), and after
    for day in easy_days:
        past = int(bool(rotations[1]) and _past_race_easy_days(frame, day))
        rotation = rotations[past]
        if (day - DAY) in after_key and choice.recovery and not past:
            name, role = choice.recovery, Role.RECOVERY
            why = RECOVERY_AFTER_HARD
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
            name, role = rotation[turn[past] % len(rotation)], Role.EASY
            why = (
                "easy running again, the race's easy days behind you"
                if past
                else "easy running to build the week's volume"
            )
            turn[past] += 1
        board.place(Slot(day, SlotKind.RUN, role, name, frame.intensity(name), why))


def _after_race_rotations(frame: _WeekFrame) -> tuple[list[str], list[str]]:
    """The focus's easy runs for the week, and in weeks after race day (the recovery phase) the
    ones that are not recovery jogs apart: those come back once the race's easy days are over
    (``_past_race_easy_days``); a focus that lists only jogs keeps them all week."""
    easy = list(frame.choice.easy)
    if frame.week.start <= frame.race_day:
        return easy, []
    workouts = frame.blueprint.workouts
    jogs = [n for n in easy if n in workouts and workouts[n].category == Category.RECOVERY]
    rest = [n for n in easy if n not in jogs]
    return (jogs or easy), rest


def _past_race_easy_days(frame: _WeekFrame, day: dt.date) -> bool:
    """Whether ``day`` is past the easy days the race asks after it (Daniels' one easy day per
    3 km raced, `minor_races.km_per_easy_day`: a 5K 2, a 10K 3, a half 7, a marathon 14): a
    10K runner's recovery week was five recovery jogs (review round 16: "a full lost week")."""
    distance = frame.blueprint.program.distance_m
    return (day - frame.race_day).days > easy_days_for(frame.blueprint, distance)


def _medium_long(frame: _WeekFrame, running_days: int) -> str | None:
    """The week's medium-long run: the focus's, else the program's (a marathon asks one of
    every focus); none with few running days, in race week, in a week back from a break (its
    long run is the easy one; round 20: a 14.2 km medium-long run in an injury-prone half
    marathoner's second full week back), or in a week too small for a second long-ish run."""
    rules = frame.blueprint.program.rules
    if running_days <= FEW_DAYS or frame.week.race_week or frame.week.returning:
        return None
    if frame.week.target_m < rules.medium_long_from_m:
        return None
    return frame.choice.medium_long or rules.medium_long


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
        why = STRENGTH_ON_EASY_DAY
        if day in hard:
            why = STRENGTH_AFTER_QUALITY
        slots.append(Slot(day, SlotKind.STRENGTH, Role.STRENGTH, strength, intensity, why))
    if len(picked) < count:
        notes.append(
            f"only {len(picked)} of {count} strength sessions fit: none goes the day before a "
            "hard session or the long run"
        )
