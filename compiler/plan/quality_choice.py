"""Which quality sessions a week holds: the focus's quality slots walked week by week (the
slots taking turns when the week holds fewer sessions than the focus has), no workout twice in a
week, the race-specific session in place of one of its own family, the weeks whose long run is
the race-specific one and the weeks before the taper that hold no fast work.

Schedule (plan/schedule.py) asks this module which workouts go in a week and places them on
dates; nothing here knows of days.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import replace

from ..model import Athlete, Blueprint, FocusPhase, Program, ScheduledWeek, WeekPlan
from ..vocabulary import Category, Intensity, Role

DAY = dt.timedelta(days=1)


# a block has no race: its "race day" is one no plan reaches, so nothing is placed around a race
# (no shakeout, no rest after it; quality and strength on any day)
NO_RACE_DAY = dt.date.max


def race_day_of(athlete: Athlete) -> dt.date:
    """Race day, or NO_RACE_DAY for a training block."""
    return athlete.race.date if athlete.race is not None else NO_RACE_DAY


def _race_specific(blueprint: Blueprint, week: WeekPlan) -> bool:
    """Whether the week is in a phase that builds with quality work (not the taper)."""
    phase = blueprint.phases[week.phase]
    injury = blueprint.athlete.injury_prone
    quality = phase.quality_sessions_injury_prone if injury else phase.quality_sessions
    return quality > 0 and week.share_of_peak is None and not week.race_week


RACE_PACE_LONG_CLEAR = 14  # days from the last race-pace long run to the race: a taper's
# first week may hold one (a rehearsal two weeks out), the last two weeks keep the legs fresh


def race_pace_long_weeks(blueprint: Blueprint, weeks: Sequence[WeekPlan]) -> frozenset[int]:
    """The indexes of the weeks whose long run is the program's race-specific one (the
    marathon's goal-pace block): every second week that can carry one, counted back from the
    last, so the last rehearsal comes two to three weeks before the race rather than wherever
    the phase's week numbers and its cutbacks happen to leave it, within the program's
    `race_specific.long_weeks` before the taper (the half's late build).  A week carries one
    when it builds with quality work (or is a taper week RACE_PACE_LONG_CLEAR days or more
    before the race), is not lighter (a cutback, back from a break) nor the first full week
    after a break, and holds a long run of at least half the race's long-run target."""
    rules = blueprint.program.rules
    if not rules.race_specific_long or blueprint.program.block:  # a block has no race
        return frozenset()
    race_day = race_day_of(blueprint.athlete)

    def carries(week: WeekPlan) -> bool:
        if week.cutback or week.returning or week.race_week or week.after_race:
            return False
        if week.after_break:  # the first full week back: no goal-pace block yet
            return False
        if week.target_m * rules.long_run_max_share < 0.5 * rules.long_run_target_m:
            return False
        last_day = week.start + DAY * (week.days - 1)
        if (race_day - last_day).days < RACE_PACE_LONG_CLEAR:
            return False  # a build's last week before a one-week taper too (a half's)
        if week.share_of_peak is not None:  # a taper week, far enough from the race
            return True
        return _race_specific(blueprint, week)

    late = _taper_start(blueprint, weeks) - (rules.race_specific_long_weeks or len(weeks))
    eligible = [week.index for week in weeks if carries(week) and week.index >= late]
    return frozenset(eligible[::-1][::2])


def _taper_start(blueprint: Blueprint, weeks: Sequence[WeekPlan]) -> int:
    """The index of the taper's first week (the last phase before the race), or past the
    last week when the plan has none."""
    before = [p for p in blueprint.program.phases if not p.after_race]
    taper = before[-1].phase if len(before) >= 2 else None
    start = next((w.index for w in weeks if w.phase == taper and not w.after_race), None)
    return start if start is not None else len(weeks) + 1


# Families of quality work: a race-specific session takes the place of a session of its own
# family, so the focus's other kind of work stays (a 10K's race-pace repeats replace its
# intervals, not its only tempo run)
FAST_FAMILY = frozenset({Category.INTERVALS, Category.VO2MAX, Category.HILLS})
SUSTAINED_FAMILY = frozenset({Category.TEMPO, Category.THRESHOLD, Category.PROGRESSION})


def _family(category: Category) -> frozenset[Category]:
    return FAST_FAMILY if category in FAST_FAMILY else SUSTAINED_FAMILY


def _family_of(blueprint: Blueprint, name: str) -> frozenset[Category]:
    return _family(blueprint.workouts[name].category)


def fast_work_stops(blueprint: Blueprint, weeks: Sequence[WeekPlan]) -> frozenset[int]:
    """The indexes of the weeks that hold no fast work: the program's last
    `fast_work_until_weeks_out` weeks before its taper (a marathon's last 8 sharpen with
    threshold and marathon pace; round 11 had VO2max every other week up to the taper)."""
    until = blueprint.program.rules.fast_work_until_weeks_out
    before = [p for p in blueprint.program.phases if not p.after_race]
    if not until or blueprint.program.block or len(before) < 2:
        return frozenset()
    taper = before[-1].phase
    start = next((w.index for w in weeks if w.phase == taper and not w.after_race), None)
    if start is None:
        return frozenset()
    return frozenset(w.index for w in weeks if start - until <= w.index < start)


def without_fast_work(blueprint: Blueprint, race_pace: bool = True) -> Blueprint:
    """The blueprint for a week without fast work: in the focus's quality slots, a fast session
    (intervals, VO2max, hills, as the program substitutes it) becomes the nearest threshold or
    tempo session of the same slot, else the program's `fast_work_instead`; with neither, the
    slot keeps it.  Without ``race_pace`` (a week back from a break or the first full week
    after its weeks back: no race pace yet), a slot with no such session takes the first of
    another slot of the phase before `fast_work_instead` (the marathon's marathon-pace tempo
    held the first full week back, round 21).  A phase whose only quality is a raced
    athlete's light session (the base's `quality_sessions_raced`) holds none then: a base week
    is no place for a marathon-pace tempo."""
    rules = blueprint.program.rules

    def fast(name: str) -> bool:
        return blueprint.workouts[rules.substituted(name)].category in FAST_FAMILY

    def sustained(sequence: Sequence[str], other: str | None) -> tuple[str, ...]:
        kept = [i for i, name in enumerate(sequence) if not fast(name)]
        result = []
        for i, name in enumerate(sequence):
            nearest = min(kept, key=lambda k: (abs(k - i), k), default=None)
            if not fast(name):
                result.append(name)
            elif nearest is not None:
                result.append(sequence[nearest])
            else:
                result.append(other or rules.fast_work_instead or name)
        return tuple(result)

    def slots(choice: FocusPhase) -> FocusPhase:
        every = (name for sequence in choice.quality for name in sequence)
        other = None if race_pace else next((n for n in every if not fast(n)), None)
        return replace(choice, quality=tuple(sustained(s, other) for s in choice.quality))

    def light_only(name: str) -> bool:  # a base's light session only (quality_sessions_raced)
        phase = blueprint.phases.get(name)
        return phase is not None and not phase.quality_sessions

    focus = blueprint.focus
    phases = {
        name: replace(choice, quality=()) if light_only(name) else slots(choice)
        for name, choice in focus.phases.items()
    }
    return replace(blueprint, focus=replace(focus, defaults=slots(focus.defaults), phases=phases))


def race_pace_rank(blueprint: Blueprint, week: WeekPlan, planned: Sequence[str]) -> int | None:
    """Which of the week's quality sessions (``planned``, by rank) becomes the program's
    race-specific session, if any: in the second half of the last phase that builds with
    quality work before the taper, in weeks that are not lighter (nor the first full week
    after a break's weeks back: round 20) and whose turn it is (_race_pace_turn), the last
    session of a kind it takes the place of (the program's `in_place_of`, else the
    race-specific session's own family; the last session when none is, unless the program
    names the kinds).  With one session, only in a week whose session is of
    such a kind, or, when the program names none and the week's session is of another family,
    every second week, so the focus's own work stays."""
    rules = blueprint.program.rules
    specific = rules.race_specific_quality
    if blueprint.program.block:  # a block has no race to be specific to
        return None
    if not specific or not planned or not _race_specific(blueprint, week):
        return None
    if week.cutback or week.returning or 2 * week.phase_week <= week.phase_weeks:
        return None
    if week.after_break:  # the first full week after the weeks back: no race pace yet
        return None
    to_race = (race_day_of(blueprint.athlete) - week.start).days // 7
    if to_race - (week.phase_weeks - week.phase_week) > blueprint.program.taper_weeks:
        return None  # a phase that ends before the taper's weeks
    if not _race_pace_turn(blueprint, week, len(planned)):
        return None
    named = rules.race_specific_in_place_of
    kinds = named or _family(blueprint.workouts[specific].category)
    kin = [r for r, n in enumerate(planned, 1) if blueprint.workouts[n].category in kinds]
    if len(planned) > 1:
        return kin[-1] if kin else (None if named else len(planned))
    if kin:
        return 1
    return 1 if not named and week.phase_week % 2 == 1 else None


def _race_pace_turn(blueprint: Blueprint, week: WeekPlan, sessions: int) -> bool:
    """Whether the race-specific session may come this week: every `race_specific.every`
    weeks counted back from the phase's last (the last always), so the session it replaces
    stays in the weeks between (review round 12: a 10K's race-pace repeats took every VO2max
    session of the late build).  With one session a week the focus's slots take turns
    (slot_sequences), so it counts the turns of one slot: every `every` of them."""
    every = blueprint.program.rules.race_specific_every
    slots = len(blueprint.focus.for_phase(week.phase).quality)
    cycle = max(slots, 1) if sessions == 1 else 1
    return (week.phase_weeks - week.phase_week) // cycle % every == 0


def slot_sequences(
    quality: Sequence[Sequence[str]], wanted: int, place: tuple[int, int]
) -> Sequence[Sequence[str]]:
    """The quality slots' sequences a week uses: the first ``wanted``; a week with one session
    where the focus has more takes them in turn, week by week, so an athlete held to one
    session (few days, injury-prone, masters) gets the focus's threshold work too, not only
    its first slot's intervals (review round 7: no threshold in 14 weeks)."""
    if wanted == 1 and len(quality) > 1:
        return [quality[(place[0] - 1) % len(quality)]]
    return quality[:wanted]


def turn_place(
    quality: Sequence[Sequence[str]], wanted: int, place: tuple[int, int]
) -> tuple[int, int]:
    """Where a week stands in its slot's sequence: its ``place`` among the phase's weeks, or,
    when the slots take turns (slot_sequences), its place among the slot's own turns, so each slot
    walks its whole sequence over the turns it gets (taking the phase's every other entry, a
    slot of [hills, hills, tempo, tempo] came to hills at both of its turns)."""
    if wanted != 1 or len(quality) <= 1:
        return place
    slots = len(quality)
    n, of = place
    slot = (n - 1) % slots  # whose turn it is (slot_sequences)
    return (n - 1) // slots + 1, max(1, (of - 1 - slot) // slots + 1)


def _in_sequence(sequence: Sequence[str], week: WeekPlan, place: tuple[int, int]) -> str:
    """The workout of a quality slot's sequence for this week, by its ``place`` among the
    plan's weeks of its phase; race week takes the last (a taper's race-pace tune-up after its
    threshold work, however short the taper)."""
    if week.race_week:
        return sequence[-1]
    n, of = place
    position = (n - 1) * len(sequence) // max(of, 1)
    return sequence[min(position, len(sequence) - 1)]


def unrepeated(
    program: Program,
    sequence: Sequence[str],
    week: WeekPlan,
    place: tuple[int, int],
    chosen: Sequence[str],
) -> str:
    """The slot's workout (the program's substitute for it, if any), or, when an earlier slot
    of the week already holds that workout, the nearest other one of the slot's sequence: the
    marathon's substitute for the 400s gave some weeks the same cruise intervals twice."""
    planned = _in_sequence(sequence, week, place)
    name = program.rules.substituted(planned)
    if name not in chosen:
        return name
    wanted = sequence.index(planned)
    others = sorted(range(len(sequence)), key=lambda i: (abs(i - wanted), i))
    for i in others:
        other = program.rules.substituted(sequence[i])
        if other not in chosen:
            return other
    return name


def varied(
    blueprint: Blueprint,
    name: str,
    sequence: Sequence[str],
    recent: Sequence[str],
    chosen: Sequence[str],
    week_phase: str = "",
) -> str:
    """The slot's workout ``name``, or, when the plan's last weeks (``recent``: the quality
    workouts of the `variety.weeks` - 1 weeks before this one, one entry a session) already
    hold it `variety.most` times, the first of the program's `variety.instead` for it, else the
    nearest other workout of the slot's ``sequence`` (as the program substitutes it), that is
    hard, not in the week yet (``chosen``) and not worn out itself, else the same of the
    phase's other slots (a marathon substitutes VO2max repeats for all of a speed focus's
    first slot); with none, ``name``.
    Review rounds 15-16: 12 x 400 m at 5K pace three times in four weeks as a 10K runner's only
    VO2max work, the same cruise intervals four times: sessions rotate rather than repeat."""
    rules = blueprint.program.rules
    if recent.count(name) < rules.variety_most:
        return name
    if blueprint.workouts[name].intensity != Intensity.HARD:
        return name  # a taper's moderate tune-up is meant to come as it is
    if name == rules.race_specific_quality:
        return name  # it comes as often as `race_specific.every` says
    others = _candidates(blueprint, name, sequence, week_phase)
    for other in others:
        if other == name or other in chosen or other not in blueprint.workouts:
            continue
        fresh = recent.count(other) < rules.variety_most
        if fresh and blueprint.workouts[other].intensity == Intensity.HARD:
            return other
    return name


def _candidates(blueprint: Blueprint, name: str, sequence: Sequence[str], phase: str) -> list[str]:
    """What a worn-out ``name`` may give way to, in order: the program's `variety.instead` for
    it, then the slot's ``sequence`` nearest first and the ``phase``'s other slots (as the
    program substitutes them), those of ``name``'s family first (400s give way to other fast
    work, a tempo run to threshold work)."""
    rules = blueprint.program.rules
    wanted = sequence.index(name) if name in sequence else 0
    nearest = sorted(range(len(sequence)), key=lambda i: (abs(i - wanted), i))
    focus = [rules.substituted(sequence[i]) for i in nearest]
    slots = blueprint.focus.for_phase(phase).quality if phase else ()
    focus += [rules.substituted(n) for slot in slots for n in slot]
    focus = [n for n in dict.fromkeys(focus) if n in blueprint.workouts]
    family = _family_of(blueprint, name)
    return [
        *rules.alternatives(name),
        *sorted(focus, key=lambda n: _family_of(blueprint, n) != family),
    ]


def _sequence_of(blueprint: Blueprint, phase: str, name: str) -> tuple[str, ...]:
    """The focus slot's sequence (as the program substitutes it) that holds ``name`` in
    ``phase``, else all the phase's quality workouts in the focus's order."""
    rules = blueprint.program.rules
    slots = [
        tuple(rules.substituted(n) for n in s) for s in blueprint.focus.for_phase(phase).quality
    ]
    return next((s for s in slots if name in s), tuple(n for s in slots for n in s))


def rotated(blueprint: Blueprint, week: ScheduledWeek, recent: Sequence[str]) -> ScheduledWeek:
    """``week`` with each hard quality session that the weeks before it (``recent``, as built:
    a session sized out of its week counts as what took its place) have worn out given way as
    :func:`varied` says; the slot's reason names the session it replaced."""
    if week.plan.first_back:  # a week back holds its light session, not what variety picks
        return week
    slots, chosen = [], [s.workout for s in week.slots if s.role == Role.QUALITY]
    for slot in week.slots:
        if slot.role != Role.QUALITY or slot.intensity != Intensity.HARD:
            slots.append(slot)
            continue
        others = [n for n in chosen if n != slot.workout]
        sequence = _sequence_of(blueprint, week.plan.phase, slot.workout)
        name = varied(blueprint, slot.workout, sequence, recent, others, week.plan.phase)
        if name != slot.workout:
            why = f"{slot.reason}; {name} in the place of {slot.workout}, which the last weeks held"
            chosen = [name if n == slot.workout else n for n in chosen]
            slot = replace(slot, workout=name, reason=why)
        slots.append(slot)
    return replace(week, slots=tuple(slots))
