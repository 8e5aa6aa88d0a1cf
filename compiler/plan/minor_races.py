"""The B and C races placed in the scheduled weeks (the end of stage 5, schedule).

The A race shapes the whole plan (periodize, schedule); a B or C race only changes the days
around it, so it is placed over the weeks schedule made, day by day, across week boundaries:

- every race: the race on its day (the day's run gives way to it, its calendar event too), no
  strength from two days before it to the day after, and no other hard day (a quality
  session, the long run) within the program's `hard_days_apart` of it: a race is a hard day;
- every race: easy days after it, one per `km_per_easy_day` raced (Daniels: a 5K 2, a 10K 3, a
  half 7, a marathon 14), with no quality session or medium-long run, nor a long run after a
  race of `c_long_from` or longer (a week after a half, the plain easy long run is back); the
  week after a race whose easy days outlast `b_easy_after` at `b_week_volume` of its volume;
- a B race: a mini-taper, its program's `b_taper_days` lighter days before it (runs become
  recovery runs, the long run an easy run), no quality session in its `b_quiet_days` (a
  shakeout the day before when the program has one), at least `b_easy_after` easy days after
  it, and its week at `b_week_volume` of its planned volume;
- a C race: trained through, in place of its week's quality session (the one nearest to it),
  and of the week's long run too when it is `c_long_from` or longer; its week is not refilled
  (allocate, long_run.c_race_ahead: before the race the long run at `c_long_before`, easy runs
  at most `easy_after_race_max`, no medium-long run);
- every race: a recovery run in its short days (keeps_short) at most `short_run_max`
  (allocate), and after a B race shorter than a half, the first long run no new longest
  (long_run._before_b_race).

The numbers are the A race program's `minor_races:` (model.MinorRaceRules).  What is left of
the engine's rules (80% easy, the week's volume, run sizes) expand keeps as for any week: a
race is a workout of category race, counted in its week's volume as the A race is.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import replace

from ..model import Blueprint, Race, ScheduledWeek, Slot, WeekPlan
from ..vocabulary import Intensity, RacePriority, Role, SlotKind
from .long_run import FEW_DAYS, LONG_RACE_M
from .periodize import hard_days_apart, is_careful
from .quality_choice import FAST_FAMILY
from .run_words import back_from_break
from .sessions import RECOVERY_AFTER_HARD

DAY = dt.timedelta(days=1)
DEMANDING_ROLES = (Role.LONG, Role.QUALITY, Role.MEDIUM_LONG)
# the reason of a recovery run that a race left after an easy day: it becomes an easy run
EASY_AGAIN = "easy running to build the week's volume"


def place_minor_races(bp: Blueprint, weeks: Sequence[ScheduledWeek]) -> list[ScheduledWeek]:
    """The weeks with the athlete's B and C races placed, in date order."""
    placed = list(weeks)
    for race in bp.athlete.other_races:
        holder = next((i for i, w in enumerate(placed) if _holds(w, race.date)), None)
        if holder is None:  # resolve reports a race outside the plan; nothing to place
            continue
        sharpener = _sharpener(bp, race, placed)
        placed = [
            _around_race(bp, race, week, i == holder, sharpener) for i, week in enumerate(placed)
        ]
    return _true_recoveries(bp, placed) if bp.athlete.other_races else placed


def _true_recoveries(bp: Blueprint, weeks: Sequence[ScheduledWeek]) -> list[ScheduledWeek]:
    """The weeks with each recovery run placed after a hard day or long run that a race made
    easy (or moved) said to be what it now is: the phase's easy run, building the week's
    volume, or, where runs around a race stay short, a short run for that race.  Its reason
    read "easy day after a hard day or long run" after an easy day (review round 17): a run's
    purpose is true of the plan around it."""
    demanding = {
        s.date
        for w in weeks
        for s in w.slots
        if s.slot in (SlotKind.RUN, SlotKind.RACE) and (_demanding(s) or s.role == Role.RACE)
    }
    first = weeks[0].plan.start if weeks else None
    result: list[ScheduledWeek] = []
    for week in weeks:
        slots = tuple(
            _true_recovery(bp, week, s)
            if s.reason == RECOVERY_AFTER_HARD
            and first is not None
            and s.date > first
            and s.date - DAY not in demanding
            else s
            for s in week.slots
        )
        result.append(ScheduledWeek(week.plan, slots, week.notes))
    return result


def _true_recovery(bp: Blueprint, week: ScheduledWeek, slot: Slot) -> Slot:
    """A recovery run whose day before is no hard day: kept short, for the race nearest it,
    where runs around a race stay short (keeps_short, in_easy_days); else the phase's easy
    run."""
    if keeps_short(bp, slot.date) or in_easy_days(bp, slot.date):
        race = min(_minor(bp), key=lambda r: abs((r.date - slot.date).days))
        side = "after" if race.date < slot.date else "before"
        why = f"a short easy run {side} the {race.priority} race {race.name}"
        return replace(slot, reason=why)
    easy = bp.easy_workout(week.plan.phase)
    return Slot(slot.date, SlotKind.RUN, Role.EASY, easy, bp.workouts[easy].intensity, EASY_AGAIN)


B_EASY_SHORT = 2  # days after a B race whose runs are short recovery runs, never made longer
B_WEEK_DAYS = 7  # the days before a B race that hold one quality session at most, a sharpener
LONG_BACK_DAYS = 7  # a week after a half, its long run is back (the plain easy long run)
MARATHON_M = 40_000.0  # after a race this long no long run comes back in its easy days


def keeps_short(bp: Blueprint, day: dt.date) -> bool:
    """Whether ``day`` is in a B race's last B_WEEK_DAYS (its mini-taper and the sessions
    given way before it) or its B_EASY_SHORT days after it, or a C race's `c_short_before` days
    before it and the day after: its
    recovery runs stay short (promote_recovery never makes them full easy runs), and the volume
    they cannot hold is dropped, not poured into one of them (21.5 km five days before a B
    half, round 13)."""
    before = {RacePriority.B: B_WEEK_DAYS, RacePriority.C: bp.program.rules.minor.c_short_before}
    after = {RacePriority.B: B_EASY_SHORT, RacePriority.C: 1}
    return any(
        -after.get(race.priority, 0) <= (race.date - day).days <= before.get(race.priority, 0)
        and race.date != day
        for race in bp.athlete.other_races
    )


def in_easy_days(bp: Blueprint, day: dt.date) -> bool:
    """Whether ``day`` is in a B or C race's easy days after it (easy_days_after: 7 after a
    half): no demanding run goes there, a medium-long run made to hold the week's volume
    neither (room; a 12.5 km medium-long run three days after a B 5K)."""
    return any(0 < (day - race.date).days <= easy_days_after(bp, race) for race in _minor(bp))


def near_b_race(bp: Blueprint, day: dt.date) -> bool:
    """Whether ``day`` is in a B race's last B_WEEK_DAYS (its mini-taper and the days given
    way before it) or its easy days after it: its easy runs are no bigger than the plan's
    typical easy run (allocate; a 14.5 km easy run 5 days before a B 10K, review round 20)."""
    return any(
        -easy_days_after(bp, race) <= (race.date - day).days <= B_WEEK_DAYS and race.date != day
        for race in bp.athlete.other_races
        if race.priority == RacePriority.B
    )


def _minor(bp: Blueprint) -> tuple[Race, ...]:
    return tuple(r for r in bp.athlete.other_races if r.priority != RacePriority.A)


def _sharpener(bp: Blueprint, race: Race, weeks: Sequence[ScheduledWeek]) -> dt.date | None:
    """The day of the one quality session a B race's last B_WEEK_DAYS keep, the nearest to it
    outside its quiet days; the others become easy runs (a B race week held intervals on
    Monday, a tempo on Thursday and the race on Sunday).  With the program's `b_sharpener`,
    the last running day before the quiet days within its `b_taper_days` (3-4 days before
    it), whatever that day held: a short sharpener, before a B half too (four recovery jogs
    and no sharpener before a B half, issue 11).  None in a week of few running days
    (FEW_DAYS): the race is its hard session."""
    if race.priority != RacePriority.B:
        return None
    holder = next((w for w in weeks if _holds(w, race.date)), None)
    if holder is not None and len(_run_days(holder)) <= FEW_DAYS:
        return None  # a week of few running days holds one hard session: the race
    minor = bp.program.rules.minor
    quiet = minor.b_quiet_days
    if minor.b_sharpener is not None:
        runs = [
            s.date
            for week in weeks
            for s in week.slots
            if s.slot == SlotKind.RUN
            and quiet < (race.date - s.date).days <= minor.b_taper_days
            and _clear_of_others(bp, race, s.date)
        ]
        return max(runs, default=None)
    if race.distance_m >= LONG_RACE_M:
        return None  # a B half or marathon is effort enough: no full session before it
    days = [
        s.date
        for week in weeks
        for s in week.slots
        if s.slot == SlotKind.RUN
        and s.role == Role.QUALITY
        and quiet < (race.date - s.date).days <= B_WEEK_DAYS
    ]
    return max(days, default=None)


def _clear_of_others(bp: Blueprint, race: Race, day: dt.date) -> bool:
    """Whether a sharpener on ``day`` keeps clear of the season's other races: hard days
    apart from each (a race is a hard day), outside another B race's quiet days and past its
    easy days (two B 5Ks four days apart)."""
    rules = bp.program.rules
    gap = hard_days_apart(bp)
    for other in bp.athlete.races:
        if other.date == race.date:
            continue
        b_race = other.priority == RacePriority.B
        after = easy_days_after(bp, other) if other.priority != RacePriority.A else 0
        quiet = rules.minor.b_quiet_days if b_race else 0
        if -max(gap, quiet + 1) < (day - other.date).days < max(gap, after + 1):
            return False
    return True


def _run_days(week: ScheduledWeek) -> set[dt.date]:
    return {s.date for s in week.slots if s.slot == SlotKind.RUN}


def easy_days_after(bp: Blueprint, race: Race) -> int:
    """Easy days after a B or C race: one per `km_per_easy_day` raced, rounded (Daniels' one
    easy day per 3 km: a 5K 2, a 10K 3, a half 7, a marathon 14), at least one, and at least
    `b_easy_after` after a B race: a 25-min tempo two days after a C half and intervals on
    day 4 (review round 16) are no recovery from 21 km raced."""
    days = easy_days_for(bp, race.distance_m)
    return (
        max(days, bp.program.rules.minor.b_easy_after) if race.priority == RacePriority.B else days
    )


def easy_days_for(bp: Blueprint, distance_m: float) -> int:
    """The easy days a race of ``distance_m`` asks after it: one per `km_per_easy_day`
    raced, rounded, at least one (for an A race, the recovery phase's jogs: schedule)."""
    return max(1, round(distance_m / max(bp.program.rules.minor.km_per_easy_day_m, 1.0)))


def _holds(week: ScheduledWeek, day: dt.date) -> bool:
    return week.plan.start <= day < week.plan.start + DAY * week.plan.days


def _around_race(
    bp: Blueprint, race: Race, week: ScheduledWeek, holds: bool, sharpener: dt.date | None
) -> ScheduledWeek:
    """One week with what ``race`` changes in it: the race itself when the week ``holds`` it,
    and the days around it (which may be in the weeks before or after)."""
    ease = _easer(bp, week)
    slots = [
        changed
        for slot in week.slots
        if (changed := _slot_around(bp, race, slot, week, sharpener, ease)) is not None
    ]
    plan = week.plan
    minor = bp.program.rules.minor
    after = easy_days_after(bp, race)
    first_after = (plan.start - race.date).days
    if after > minor.b_easy_after and 0 < first_after <= after:
        # the week after a raced half or marathon is lighter too, not a full week of long
        # easy runs in place of its long run and sessions, nor one at the volume cap (a C
        # half, then a 47 mi week, round 16)
        when = f"the week after the {race.priority} race {race.name}"
        plan = _lighter(plan, minor.b_week_volume, when)
    if holds:
        if race.priority == RacePriority.C:
            slots = _off_race_day(bp, race, ScheduledWeek(plan, tuple(slots), week.notes))
            slots = _trained_through(bp, race, slots, ease, _took_one(bp, race, week))
        slots.append(_race_slot(bp, race))
        if race.priority == RacePriority.B:
            plan = _lighter(plan, minor.b_week_volume, f"the week of the B race {race.name}")
    eve = race.date - DAY
    if race.priority == RacePriority.B and _holds(week, eve) and eve not in _run_days(week):
        slots.extend(_shakeout_on_empty_eve(bp, race))
    slots.sort(key=lambda s: (s.date, s.slot not in (SlotKind.RUN, SlotKind.RACE), s.slot))
    return ScheduledWeek(plan, tuple(slots), week.notes)


def _shakeout_on_empty_eve(bp: Blueprint, race: Race) -> list[Slot]:
    """The program's shakeout on the day before a B race that holds no run yet, when that day
    is a listed running day, not away, no race's day and not the day after a race (as
    _mini_taper's): the schedule may have left the day empty (the week's runs were enough for
    its volume), but athletes.md promises a shakeout there (review round 15, a Saturday left
    empty before a Sunday B 10K)."""
    athlete, shakeout = bp.athlete, bp.program.rules.shakeout
    eve = race.date - DAY
    raced = {r.date for r in athlete.races}
    if (
        shakeout is None
        or eve.weekday() not in athlete.availability.days
        or athlete.away_on(eve)
        or eve in raced
        or eve - DAY in raced
    ):
        return []
    why = f"a short shakeout the day before the B race {race.name}"
    workout = bp.workouts[shakeout]
    return [Slot(eve, SlotKind.RUN, Role.SHAKEOUT, shakeout, workout.intensity, why)]


def _lighter(plan: WeekPlan, share: float, when: str) -> WeekPlan:
    """``plan`` at ``share`` of its target, its rule saying so and ``when``, marked lighter
    for a minor race (the weeks after come back to what was run, not to this week's level)."""
    return replace(
        plan,
        target_m=round(plan.target_m * share),
        rule=f"{plan.rule}; {share:.0%} of it, {when}",
        minor_light=True,
    )


def _demanding(slot: Slot) -> bool:
    """A hard day: a hard session, the long run, a quality session or a medium-long run."""
    return slot.intensity == Intensity.HARD or slot.role in DEMANDING_ROLES


def _slot_around(
    bp: Blueprint,
    race: Race,
    slot: Slot,
    week: ScheduledWeek,
    sharpener: dt.date | None,
    ease: Easer,
) -> Slot | None:
    """One session of ``week`` with what ``race`` changes in it; None when it gives way (the
    race's own day, strength from two days before it to the day after).  Around any race no
    hard day within the program's `hard_days_apart`; a B race's days (_around_b_race); a long
    run beside a short C race moves (_moved_long); the run the day before a C race is a short
    one (_day_before)."""
    rules = bp.program.rules
    gap = hard_days_apart(bp)
    offset = (slot.date - race.date).days  # negative: before the race
    if offset == 0 and _long_moves_off(bp, race, slot):
        return slot  # _trained_through moves it off the race's day
    if offset == 0 or (slot.slot == SlotKind.STRENGTH and -2 <= offset <= 1):
        return None  # the race takes the day; no strength around it
    if slot.slot != SlotKind.RUN or slot.role == Role.RACE:
        return slot
    if race.priority == RacePriority.B:
        changed = _around_b_race(bp, race, slot, offset, sharpener, ease)
        if changed is not None:
            return changed
    if (
        race.priority == RacePriority.C
        and slot.role == Role.LONG
        and race.distance_m < rules.minor.c_long_from_m
        and abs(offset) < gap
    ):
        slot = _moved_long(bp, race, week, slot, gap, ease)
    elif _demanding(slot) and slot.role != Role.MEDIUM_LONG and abs(offset) < gap:
        slot = ease(slot, f"a hard day is too close to the {race.priority} race {race.name}")
    elif race.priority == RacePriority.C and 0 < offset <= easy_days_after(bp, race):
        slot = _c_easy_day(bp, race, slot, offset, ease)
    days = (slot.date - race.date).days  # the slot's own: a long run may have moved
    before_c = days == -1 or (-rules.minor.c_short_before <= days < 0 and slot.role != Role.LONG)
    if race.priority == RacePriority.C and before_c:
        return _day_before(bp, race, slot)
    after_c = race.priority == RacePriority.C and (slot.date - race.date).days == 1
    # a long run there is cut back (long_run), unless its week is back from a break: there it
    # is no long run but an easy run back (run_words), and the day after a race a recovery
    # run (a 36-min easy run the day after a parkrun, a generated athlete)
    if after_c and (slot.role != Role.LONG or back_from_break(bp, week.plan, slot.date)):
        why = f"a short recovery run the day after the C race {race.name}"
        return _recovery(bp, slot, why, ease)
    return slot


def _around_b_race(
    bp: Blueprint, race: Race, slot: Slot, offset: int, sharpener: dt.date | None, ease: Easer
) -> Slot | None:
    """A run ``offset`` days from a B race: in its mini-taper (_mini_taper, one sharpener
    kept), its quality sessions in its last B_WEEK_DAYS (the sharpener kept), the day after it
    (a recovery run), its easy days after (a week after a B half the long run back,
    _long_back); None when the B race's rules leave the day to the rules of any race."""
    minor = bp.program.rules.minor
    after = easy_days_after(bp, race)
    sharpen = f"one sharpener before the B race {race.name}"
    if offset < 0 and _b_race_between(bp, slot.date, race):
        return None  # one racing block: the first B race's mini-taper holds the days before it
    if -minor.b_taper_days <= offset < 0:
        return _mini_taper(bp, race, slot, offset, ease, slot.date == sharpener)
    if -B_WEEK_DAYS <= offset < 0 and slot.role == Role.QUALITY:
        # a session given way is a short run, not an easy run the week's volume makes long
        # (21.5 km five days before a B half, round 13)
        return slot if slot.date == sharpener else _recovery(bp, slot, sharpen, ease)
    if offset == 1:
        # a recovery run, never the pre-race shakeout with strides (issue 11): allocate holds
        # it to `after_race_run_max`
        why = f"a short recovery run the day after the B race {race.name}"
        return _recovery(bp, slot, why, ease)
    if slot.role == Role.LONG and LONG_BACK_DAYS <= offset <= after and not _marathon(race):
        return _long_back(bp, race, slot, ease)
    if 0 < offset <= B_EASY_SHORT and slot.role not in (Role.RECOVERY, Role.SHAKEOUT):
        # a short recovery run, not an easy run the week's volume makes long (17.6 km two
        # days after a B 5K, round 12)
        return _recovery(bp, slot, f"easy days after the B race {race.name}", ease)
    if 0 < offset <= after and _demanding(slot):
        return ease(slot, f"easy days after the B race {race.name}")
    if _fast_too_soon(bp, race, slot, offset):
        why = f"no fast work in the {minor.b_fast_after} days after the B race {race.name}"
        return ease(slot, why)
    return None


def _b_race_between(bp: Blueprint, day: dt.date, race: Race) -> bool:
    """Whether another B race lies after ``day`` and before ``race``: B races on consecutive
    days (or near ones) are one racing block, one mini-taper before the first and the easy days
    after the last; the second's mini-taper turned the first's shakeout into a recovery run
    (two B races on consecutive days, a generated athlete)."""
    return any(
        r.priority == RacePriority.B and day < r.date < race.date for r in bp.athlete.other_races
    )


def _fast_too_soon(bp: Blueprint, race: Race, slot: Slot, offset: int) -> bool:
    """Whether ``slot`` is fast work (intervals, VO2max, hills) in the `b_fast_after` days
    after a B race of `b_fast_after_from` or longer: the legs that raced 10 km or more are not
    ready for VO2max work on day 4 (review round 21); threshold or tempo work may come."""
    minor = bp.program.rules.minor
    return (
        slot.role == Role.QUALITY
        and 0 < offset <= minor.b_fast_after
        and race.distance_m >= minor.b_fast_after_from_m
        and bp.workouts[slot.workout].category in FAST_FAMILY
    )


def _marathon(race: Race) -> bool:
    return race.distance_m >= MARATHON_M


def _c_easy_day(bp: Blueprint, race: Race, slot: Slot, offset: int, ease: Easer) -> Slot:
    """A run in a C race's easy days (easy_days_after): no quality session or medium-long run
    (an easy run instead); no long run after a race of `c_long_from` or longer, but a week
    after a half the plain easy long run back (_long_back); a long run after a shorter race
    stays (a tune-up race and a long run back to back)."""
    if slot.role == Role.LONG:
        if race.distance_m < bp.program.rules.minor.c_long_from_m:
            return slot
        if offset >= LONG_BACK_DAYS and not _marathon(race):
            return _long_back(bp, race, slot, ease)
    if _demanding(slot):
        return ease(slot, f"easy days after the C race {race.name}")
    return slot


def _long_back(bp: Blueprint, race: Race, slot: Slot, ease: Easer) -> Slot:
    """The long run a week or more after a B or C half: back, as the plain easy long run (the
    week after a B half held three 18 km easy runs and no long run, issue 11); long_run holds
    it to the last long run before the race."""
    plain = bp.focus.defaults.long
    why = f"the easy long run back, a week after the {race.priority} race {race.name}"
    if plain is None:
        return ease(slot, why)
    return Slot(slot.date, SlotKind.RUN, Role.LONG, plain, bp.workouts[plain].intensity, why)


def _day_before(bp: Blueprint, race: Race, slot: Slot) -> Slot:
    """A run in the `c_short_before` days before a C race: a recovery run, not an easy run the
    week's volume makes long (14 km the day before a 5K, round 11; 98 min two days before a
    C race, round 14); a long run there stays."""
    if slot.role in (Role.RECOVERY, Role.SHAKEOUT):
        return slot
    return _recovery(bp, slot, f"a short easy run before the C race {race.name}", None)


def _recovery(
    bp: Blueprint, slot: Slot, why: str, ease: Easer | None, phase: str = "build"
) -> Slot:
    """``slot`` as the focus's recovery run of ``phase``, saying ``why`` (as an easy run with
    ``ease`` when the focus has none, else unchanged)."""
    recovery = bp.focus.for_phase(phase).recovery or bp.focus.defaults.recovery
    if recovery is None:
        return ease(slot, why) if ease is not None else slot
    workout = bp.workouts[recovery]
    return Slot(slot.date, SlotKind.RUN, Role.RECOVERY, recovery, workout.intensity, why)


def _moved_long(
    bp: Blueprint, race: Race, week: ScheduledWeek, slot: Slot, gap: int, ease: Easer
) -> Slot:
    """A long run too close to a short C race moves to the nearest free running day of its
    week that keeps hard days apart, as the plain easy long run (a parkrun on Sunday wiped out
    Monday's long run, 14 days without one mid-build); with no such day, a long run after the
    race stays there as the easy long run, one before it is an easy run."""
    athlete = bp.athlete
    hard = [
        s.date
        for s in week.slots
        if s.slot == SlotKind.RUN
        and s is not slot
        and (s.intensity == Intensity.HARD or s.role == Role.RACE)
    ] + [r.date for r in athlete.races]  # every race is a hard day, one placed already too
    taken = {s.date for s in week.slots if s.slot == SlotKind.RUN and s is not slot}
    taken |= {r.date for r in athlete.races}
    days = (week.plan.start + DAY * i for i in range(week.plan.days))
    free = [
        d
        for d in days
        if d.weekday() in athlete.availability.days
        and not athlete.away_on(d)
        and d not in taken
        and all(abs((d - h).days) >= gap for h in hard)
    ]
    plain = bp.focus.for_phase(week.plan.phase).long or bp.focus.defaults.long
    easiest = bp.focus.defaults.long
    no_long_after = bp.program.rules.minor.c_long_after_careful <= 0
    if is_careful(bp) and no_long_after and slot.date > race.date:
        easiest = None  # older or injury-prone legs: no long run back to back with a race
    if not free and easiest is not None and slot.date > race.date:
        # the day after: a tune-up race and an easy long run back to back, as Pfitzinger's
        # plans have them (a Saturday 5K took Sunday's long run away, round 11)
        when = "the day after" if slot.date - race.date == DAY else "after"
        why = f"the easy long run, {when} the C race {race.name}"
        workout = bp.workouts[easiest]
        return Slot(slot.date, SlotKind.RUN, Role.LONG, easiest, workout.intensity, why)
    if not free or plain is None:
        return ease(slot, f"a hard day is too close to the C race {race.name}")
    day = min(free, key=lambda d: (abs((d - slot.date).days), d))
    why = f"the easy long run, moved from {slot.date:%A}: the C race {race.name} is beside it"
    return Slot(day, SlotKind.RUN, Role.LONG, plain, bp.workouts[plain].intensity, why)


def _long_moves_off(bp: Blueprint, race: Race, slot: Slot) -> bool:
    """Whether ``slot`` is a long run that a C race shorter than `c_long_from` on its day moves
    off (_off_race_day), rather than takes the place of."""
    return (
        slot.slot == SlotKind.RUN
        and slot.role == Role.LONG
        and race.priority == RacePriority.C
        and race.distance_m < bp.program.rules.minor.c_long_from_m
    )


def _off_race_day(bp: Blueprint, race: Race, week: ScheduledWeek) -> list[Slot]:
    """The week's slots with a long run on the day of a short C race moved off it: to the
    nearest free running day that keeps hard days apart (_moved_long), else to the day of its
    quality session nearest before the race that keeps hard days apart and the race's
    `c_short_before` days short (the session gives way to the long run; the race then takes
    the place of another, _trained_through), else it is left out.  A parkrun on Saturday, the
    long-run day, left the week without a long run and three 14.5 km easy runs (review round
    17): a coach moves the long run to Wednesday and lets the quality sessions give way."""
    slots = list(week.slots)
    long_slot = next(
        (s for s in slots if s.date == race.date and _long_moves_off(bp, race, s)), None
    )
    if long_slot is None:
        return slots
    slots.remove(long_slot)
    gap = hard_days_apart(bp)
    rest = ScheduledWeek(week.plan, tuple(slots), week.notes)
    moved = _moved_long(bp, race, rest, long_slot, gap, _easer(bp, week))
    if moved.role == Role.LONG and moved.date != race.date:
        return [*_without_strength(slots, moved.date), moved]
    given = _given_way(bp, race, slots, gap)
    plain = bp.focus.for_phase(week.plan.phase).long or bp.focus.defaults.long
    if given is None or plain is None:
        return slots
    why = (
        f"the easy long run, moved from {long_slot.date:%A}: the C race {race.name} takes "
        f"the day, and the {given.date:%A} quality session gives way to it"
    )
    workout = bp.workouts[plain]
    return [s for s in _without_strength(slots, given.date) if s is not given] + [
        Slot(given.date, SlotKind.RUN, Role.LONG, plain, workout.intensity, why)
    ]


def _without_strength(slots: Sequence[Slot], day: dt.date) -> list[Slot]:
    """``slots`` without a strength session on ``day``, the moved long run's: strength keeps
    off the long run's day (schedule), and its reason said the day was without hard running."""
    return [s for s in slots if not (s.slot == SlotKind.STRENGTH and s.date == day)]


def _given_way(bp: Blueprint, race: Race, slots: Sequence[Slot], gap: int) -> Slot | None:
    """The quality session nearest before a C race that keeps hard days ``gap`` apart (the
    race's and the week's others) and is not in the race's `c_short_before` days: its day is
    the moved long run's."""
    short_before = bp.program.rules.minor.c_short_before
    hard = [s.date for s in slots if s.slot == SlotKind.RUN and _demanding(s)]
    hard += [r.date for r in bp.athlete.races]
    given = [
        s
        for s in slots
        if s.slot == SlotKind.RUN
        and s.role == Role.QUALITY
        and (race.date - s.date).days > max(gap - 1, short_before)
        and all(abs((s.date - h).days) >= gap for h in hard if h != s.date)
    ]
    return max(given, key=lambda s: s.date, default=None)


def _took_place(race: Race) -> str:
    return f"easy running: the C race {race.name} takes the place of this quality session"


def _race_slot(bp: Blueprint, race: Race) -> Slot:
    intensity = bp.workouts[race.workout].intensity
    why = (
        f"B race {race.name}: a mini-taper before it, easy days after"
        if race.priority == RacePriority.B
        else f"C race {race.name}: trained through, in place of a hard session"
    )
    return Slot(race.date, SlotKind.RACE, Role.RACE, race.workout, intensity, why)


Easer = Callable[[Slot, str], Slot]


def _easer(bp: Blueprint, week: ScheduledWeek) -> Easer:
    """A function that makes a run an easy one (the phase's plain easy run), saying why: a
    hard day given way, the long run of a lighter day."""
    easy = bp.easy_workout(week.plan.phase)

    def ease(slot: Slot, why: str) -> Slot:
        if slot.role in (Role.EASY, Role.RECOVERY, Role.SHAKEOUT):
            return slot
        return Slot(slot.date, SlotKind.RUN, Role.EASY, easy, bp.workouts[easy].intensity, why)

    return ease


def _mini_taper(
    bp: Blueprint, race: Race, slot: Slot, offset: int, ease: Easer, sharpener: bool
) -> Slot:
    """A run in a B race's mini-taper: a recovery run (the long run and a quality session in
    the last `b_quiet_days` too), a shakeout the day before when the program has one (not the
    day after another race: two B 5Ks two days apart, a generated athlete); the
    ``sharpener``, a quality session earlier in the mini-taper, stays."""
    minor = bp.program.rules.minor
    shakeout = bp.program.rules.shakeout
    raced = any(r.date == slot.date - DAY for r in bp.athlete.races)
    if offset == -1 and shakeout and not raced:  # the day after a race: a recovery run
        why = f"a short shakeout the day before the B race {race.name}"
        return Slot(
            slot.date, SlotKind.RUN, Role.SHAKEOUT, shakeout, bp.workouts[shakeout].intensity, why
        )
    quiet = -offset <= minor.b_quiet_days
    if sharpener and not quiet and minor.b_sharpener is not None:
        why = f"a short sharpener before the B race {race.name}"
        workout = bp.workouts[minor.b_sharpener]
        name = minor.b_sharpener
        return Slot(slot.date, SlotKind.RUN, Role.QUALITY, name, workout.intensity, why)
    if slot.role == Role.QUALITY and sharpener and not quiet:
        return slot
    # every run of the mini-taper is a short one, a quality day's and the long run's too: an
    # easy run there took the week's leftover volume (17.7 km two days before a B 10K, round 11)
    why = f"the mini-taper before the B race {race.name}"
    return _recovery(bp, slot, why, ease, phase="taper")


def _took_one(bp: Blueprint, race: Race, week: ScheduledWeek) -> bool:
    """Whether the C race's easy days (past the hard days apart, which any race keeps) already
    took one of its week's quality sessions: the race is in its place then, no other goes."""
    gap = hard_days_apart(bp)
    after = easy_days_after(bp, race)
    return any(
        s.role == Role.QUALITY and gap <= (s.date - race.date).days <= after for s in week.slots
    )


def _trained_through(
    bp: Blueprint, race: Race, slots: list[Slot], ease: Easer, took_one: bool = False
) -> list[Slot]:
    """A C race's week: the race takes the place of its quality session nearest to it (none
    when its easy days ``took_one`` already), and of its long run when the race is
    `c_long_from` or longer."""
    quality = [s for s in slots if s.role == Role.QUALITY and s.slot == SlotKind.RUN]
    replaced = None
    if not took_one:
        replaced = min(quality, key=lambda s: abs((s.date - race.date).days), default=None)
    # a week of few running days holds one hard session (long_run.FEW_DAYS): with the race,
    # none besides it, whichever session the week would have kept
    runs = {s.date for s in slots if s.slot == SlotKind.RUN}
    if len(runs) <= FEW_DAYS:
        for slot in quality:
            if slot is not replaced:
                slots = [
                    ease(
                        s,
                        f"easy running: in a week of {len(runs)} running days the C race "
                        f"{race.name} is the one hard session",
                    )
                    if s is slot
                    else s
                    for s in slots
                ]
    is_long = race.distance_m >= bp.program.rules.minor.c_long_from_m
    short_before = bp.program.rules.minor.c_short_before
    result: list[Slot] = []
    for slot in slots:
        if slot is replaced:
            slot = ease(slot, _took_place(race))
        elif is_long and slot.role == Role.LONG:
            slot = ease(slot, f"the C race {race.name} is the week's long run")
        if slot.role == Role.EASY and 0 < (race.date - slot.date).days <= short_before:
            slot = _day_before(bp, race, slot)  # in its last days: a short run
        result.append(slot)
    return result
