"""More room for a week's volume before its target is cut (part of stage 7, expand; issue 11).

A week whose runs, each within its size, hold less than its target is not cut at once: a coach
first uses the days and the runs the athlete has.  An empty running day the athlete listed gets
an easy run (a recovery run the day after a hard day or the long run), and in a week of at
least the program's `medium_long_from`, one mid-week easy run becomes the week's medium-long run,
which may run past the plain easy run's limits (Pfitzinger's one medium-long run a week).  Only
then is the target lowered to what the runs hold (allocate._target_as_planned).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import replace

from ..model import Blueprint, Paces, ScheduledWeek, Slot
from ..vocabulary import Category, Intensity, Role, SlotKind
from .allocate import TINY_RUN
from .long_run import c_race_ahead
from .minor_races import in_easy_days, keeps_short
from .sessions import Draft, draft
from .sizing import REST_DAY_RUN

DAY = dt.timedelta(days=1)
# the medium-long run of a program and focus that name none: the bundled library's (a fallback
# for the template's `medium_long`; a library without it gets no medium-long run this way)
MEDIUM_LONG_RUN = "medium-long-run"


def own_long_run_day(bp: Blueprint, week: ScheduledWeek) -> list[dt.date]:
    """The athlete's own long run before the plan (Athlete.own_long_run_before, as schedule
    counts it), for week 1; none for a later week, whose long runs before it are the plan's:
    no medium-long run the day after it (issue 11: a 10K runner's plan opened with a 9.3 km
    medium-long run the Monday after their Sunday long run)."""
    if week.plan.index != 1:
        return []
    return [bp.athlete.own_long_run_before(week.plan.start)]


def _hard_days(drafts: Sequence[Draft], earlier_long_days: Iterable[dt.date]) -> set[dt.date]:
    """The week's long run, quality sessions and races, and the long runs before it."""
    days = {
        d.slot.date
        for d in drafts
        if d.slot.role in (Role.LONG, Role.QUALITY, Role.RACE)
        or d.slot.slot == SlotKind.RACE
        or d.slot.intensity == Intensity.HARD
    }
    return days | set(earlier_long_days)


def _quiet(week: ScheduledWeek) -> bool:
    """Whether the week takes no more running than it was given: race week, the weeks after
    the race and the weeks back from a break (their first days are easy and few)."""
    plan = week.plan
    return plan.race_week or plan.after_race or plan.returning


def run_on_empty_day(
    bp: Blueprint,
    paces: Paces,
    week: ScheduledWeek,
    drafts: list[Draft],
    short_m: float,
    earlier_long_days: Iterable[dt.date] = (),
    rest_gives_way: bool = False,
) -> str | None:
    """An easy run (``drafts`` changed in place) on a running day the athlete listed and the
    week left empty, when its runs hold ``short_m`` less than its target, enough for a run
    (TINY_RUN of the program's `min_easy_run`: less would be dropped as too short to
    matter): a day on or after the athlete's `start:`, not away, not in a B race's
    mini-taper (keeps_short), and never one of the phase's rest days (`min_rest_days`), even
    past the focus's `max_runs_per_week`: every listed day is used before the volume is cut
    (round 19: a 6-day 5K runner's Saturday stayed empty beside 13.5 km easy runs); a
    recovery run the day after a hard day or the long run, else the phase's easy run (the
    earliest such day first).  None in a quiet week (_quiet) or when no day is left.
    With ``rest_gives_way`` (run_on_rest_day), the phase keeps only its `rest_days_when_short`
    and the run is a recovery run, its size."""
    if _quiet(week) or short_m < TINY_RUN * bp.program.min_easy_run_m:
        return None
    athlete, plan = bp.athlete, week.plan
    phase = bp.phases[plan.phase]
    dates = [plan.start + DAY * k for k in range(plan.days)]
    running = {d.slot.date for d in drafts if d.slot.slot in (SlotKind.RUN, SlotKind.RACE)}
    if plan.days - len(running) <= phase.rest_days_kept(rest_gives_way):
        return None
    first = athlete.start or plan.start  # a first week may begin before the athlete's start
    empty = [
        day
        for day in dates
        if day.weekday() in athlete.availability.days
        and day >= first
        and day not in running
        and not athlete.away_on(day)
        and not keeps_short(bp, day)
    ]
    hard = _hard_days(drafts, earlier_long_days)
    choice = bp.focus.for_phase(plan.phase)
    easy = _easy_to_add(bp, plan.phase, drafts)
    options: list[tuple[dt.date, str, Role]] = []
    for day in empty:
        if (day - DAY in hard or rest_gives_way) and choice.recovery:
            options.append((day, choice.recovery, Role.RECOVERY))
        else:
            options.append((day, easy, Role.EASY))
    allowed = [
        o
        for o in options
        if o[1] in bp.workouts and bp.workouts[o[1]].category in phase.allowed_categories
    ]
    if not allowed:
        return None
    day, name, role = min(allowed, key=lambda o: (o[2] != Role.EASY, o[0]))
    what = REST_DAY_RUN if rest_gives_way else "a listed running day the week left empty"
    why = f"{what}: its runs could not hold its volume"
    slot = Slot(day, SlotKind.RUN, role, name, bp.workouts[name].intensity, why)
    at = next((i for i, d in enumerate(drafts) if d.slot.date > day), len(drafts))
    drafts.insert(at, draft(bp, paces, week, slot))
    where = REST_DAY_RUN if rest_gives_way else "a listed running day"
    return f"{day}: {name} added on {where}: the week's runs could not hold its volume"


def run_on_rest_day(
    bp: Blueprint,
    paces: Paces,
    week: ScheduledWeek,
    drafts: list[Draft],
    short_m: float,
    earlier_long_days: Iterable[dt.date] = (),
) -> str | None:
    """A recovery run (``drafts`` changed in place) on a listed day the phase keeps as a rest
    day, when the week's runs on its other days, each of a sensible size and one of them the
    medium-long run, hold ``short_m`` less than its target: the phase then keeps only its
    `rest_days_when_short` (bundled building phases: 0).  An athlete who lists seven days and
    runs more than six runs of a sensible size hold runs a short recovery run the day before
    the long run rather than lose a fifth of the volume they run now (review round 21: a
    105 km 5K runner got 84 km on six days, Saturday empty).  Never in a taper or recovery
    week (it sheds volume), a cutback week (it rests) nor a quiet week (_quiet); the run is
    held to `recovery_run_max` and, beside the long run, to half of it (allocate._caps)."""
    if week.plan.share_of_peak is not None or week.plan.cutback:
        return None  # a cutback week is the week to rest: it keeps its rest day
    return run_on_empty_day(bp, paces, week, drafts, short_m, earlier_long_days, True)


def _easy_to_add(bp: Blueprint, phase: str, drafts: Sequence[Draft]) -> str:
    """The easy run added on an empty day: the phase's strides run when the focus lists one
    for the phase and none of the week's easy runs holds strides (a speed marathoner's base week
    on three days, a recovery jog and the long run, got a plain easy run on its empty day and
    no strides: review round 12's rule), else its plain easy run."""
    easy = bp.focus.for_phase(phase).easy or bp.focus.defaults.easy
    listed = any(n in bp.workouts and bp.workouts[n].category == Category.STRIDES for n in easy)
    held = any(d.slot.role == Role.EASY and d.template.category == Category.STRIDES for d in drafts)
    return bp.easy_workout(phase, strides=listed and not held)


def medium_long_for_room(
    bp: Blueprint,
    paces: Paces,
    week: ScheduledWeek,
    drafts: list[Draft],
    target: float,
    earlier_long_days: Iterable[dt.date] = (),
) -> str | None:
    """One mid-week easy run made the week's medium-long run (``drafts`` changed in place) when
    its runs cannot hold its ``target`` of at least the program's `medium_long_from`: the
    focus's `medium_long`, else the program's, else MEDIUM_LONG_RUN, on an easy day not next
    to the long run (this week's, last week's or next week's), a quality session or a race
    (the one farthest from them), nor in a B race's short days or easy days after it
    (minor_races.keeps_short, in_easy_days), nor before a C race in its week (it takes the
    quality session's place: its volume is not poured into one easy run, round 19).  None in a
    quiet week (_quiet), a taper or recovery week (a 5K taper's long run cut to 75% made a
    6.8 mi medium-long run of an easy one), a week that has its medium-long run, or with no
    such day."""
    rules = bp.program.rules
    if _quiet(week) or target < rules.medium_long_from_m or week.plan.share_of_peak is not None:
        return None  # a taper or recovery week sheds volume: none is moved into a bigger run
    if any(d.slot.role == Role.MEDIUM_LONG for d in drafts):
        return None
    name = bp.focus.for_phase(week.plan.phase).medium_long or rules.medium_long or MEDIUM_LONG_RUN
    if name not in bp.workouts:
        return None
    plan = week.plan
    hard = _hard_days(drafts, earlier_long_days)
    # next week's long run too (the day after this week's last day may be the long-run day)
    hard |= {
        day
        for day in (plan.start + DAY * k for k in range(plan.days + 1))
        if day.weekday() == bp.athlete.availability.long_run_day
    }

    def apart(day: dt.date) -> int:
        return min((abs((day - h).days) for h in hard), default=7)

    easy = [
        i
        for i, d in enumerate(drafts)
        if d.slot.slot == SlotKind.RUN
        and d.slot.role == Role.EASY
        and d.template.category != Category.RECOVERY
        and apart(d.slot.date) >= 2
        and not keeps_short(bp, d.slot.date)
        and not in_easy_days(bp, d.slot.date)
        and c_race_ahead(bp, plan, d.slot.date) is None
    ]
    if not easy:
        return None
    i = max(easy, key=lambda j: (apart(drafts[j].slot.date), -j))
    old = drafts[i]
    why = "the week's medium-long run: its easy runs at their limits could not hold its volume"
    slot = Slot(
        old.slot.date, SlotKind.RUN, Role.MEDIUM_LONG, name, bp.workouts[name].intensity, why
    )
    drafts[i] = draft(bp, paces, week, slot)
    _strides_handed_on(bp, paces, week, drafts, old)
    return (
        f"{old.slot.date}: {old.template.name} made the week's medium-long run ({name}): its "
        "easy runs at their limits could not hold its volume"
    )


def _strides_handed_on(
    bp: Blueprint, paces: Paces, week: ScheduledWeek, drafts: list[Draft], old: Draft
) -> None:
    """When the run made the medium-long run (``old``) was the week's strides run, the week's
    first plain easy run takes its strides (``drafts`` changed in place): the focus asks for
    strides in the week (review round 12: a base with no strides at all), and a 50 km runner's
    base week on three days ran its long run, a medium-long run on the one day apart from the
    long runs, the one that held the strides, and a plain easy run."""
    if old.template.category != Category.STRIDES:
        return
    easy = [d for d in drafts if d.slot.slot == SlotKind.RUN and d.slot.role == Role.EASY]
    if any(d.template.category == Category.STRIDES for d in easy):
        return
    plain = [i for i, d in enumerate(drafts) if d in easy and d.template.category == Category.EASY]
    if plain:
        slot = replace(drafts[plain[0]].slot, workout=old.template.name)
        drafts[plain[0]] = draft(bp, paces, week, replace(slot, intensity=old.slot.intensity))
