"""Stage 7, expand: each scheduled week becomes concrete workouts.

compiler/plan/sessions.py builds one session (parameters for the week, rendered text,
distances, durations, pace ranges); compiler/plan/allocate.py shares the week's volume out and
compiler/plan/sizing.py keeps it mostly easy.  This module runs them week by week, carrying
what the athlete has actually run so far (the longest runs of the last 30 days, the most run in
a week, whether quality work has begun).
"""

from __future__ import annotations

import datetime as dt
import math
import statistics
from collections.abc import Sequence
from dataclasses import dataclass, replace

from ..model import Athlete, Blueprint, Paces, Plan, ScheduledWeek, Week, WeekPlan, Workout
from ..units import METRES_PER, format_distance
from ..vocabulary import Category, Intensity, RacePriority, Role, SlotKind
from .allocate import actual_ceiling, allocate, week_rule
from .grow import grow_week
from .quality_choice import fast_work_stops, rotated, without_fast_work
from .race_blocks import held_to_last, light, longest_block, race_block_s
from .return_curve import (
    BACK_AT,
    after_minor_light,
    climb_back,
    held_to_jump,
    past_levels,
    per_running_day,
)
from .room import medium_long_for_room, own_long_run_day, run_on_empty_day, run_on_rest_day
from .run_words import reworded
from .sessions import (
    STRENGTH_AFTER_QUALITY,
    STRENGTH_ON_EASY_DAY,
    Draft,
    build_workout,
    draft,
    warmup_trimmed,
)
from .sizing import (
    fast_seconds,
    merged_trims,
    over_week_share,
    oversized,
    promote_recovery,
    resize,
    short_of_easy,
    soften,
    too_many_hard,
)

RAMP_WINDOW = 4  # weeks
MORE_INTENSE = 1.25  # a session with this much more fast running than any before is new work
HEADROOM = 0.93  # of what a capacity-bound base week's runs hold
HELD_SHORT = 0.98  # of its target: a week whose runs hold less is short of room
MAX_ROUNDS = 200  # rounds of sharing out and softening one week, far more than any week takes


def expand(bp: Blueprint, paces: Paces, weeks: Sequence[ScheduledWeek]) -> Plan:
    """The plan's weeks as concrete workouts.  When what the weeks' runs hold puts the biggest
    building week early (an athlete whose days cannot hold the planned ramp: the base weeks
    hold as much as the build), the early weeks are held a little below the later peak and the
    plan is expanded again, so the biggest week comes with the build, not in week 2."""
    plan = _expand_once(bp, paces, weeks)
    held = _peak_late(bp, plan, weeks)
    return plan if held is None else _expand_once(bp, paces, held)


EARLY = 0.5  # of the building weeks: where the biggest week must not fall
BELOW_LATE_PEAK = 0.97  # early weeks are held to this share of the later biggest week


def _peak_late(
    bp: Blueprint, plan: Plan, weeks: Sequence[ScheduledWeek]
) -> list[ScheduledWeek] | None:
    """The weeks with early building weeks held below the later peak, or None when the biggest
    building week already comes late."""
    away = bp.athlete.days_away
    building = [
        i
        for i, week in enumerate(weeks)
        if week.plan.share_of_peak is None
        and not week.plan.race_week
        and not week.plan.after_race
        # a week with days away, or the week back, is short for the trip, not for what the
        # athlete's days hold: it says nothing of where the peak can come
        and not away(week.plan.start, week.plan.days)
        and not away(week.plan.start - dt.timedelta(days=7))
    ]
    early = building[: round(EARLY * len(building))]
    late = building[len(early) :]
    if len(building) < 6 or not early or not late:
        return None
    late_peak = max(plan.weeks[i].planned_m for i in late)
    early_peak = max(plan.weeks[i].planned_m for i in early)
    if early_peak < late_peak:
        return None
    ceiling = BELOW_LATE_PEAK * late_peak
    units = bp.athlete.units
    held = list(weeks)
    for i in early:
        week = weeks[i]
        if week.plan.target_m > ceiling:
            why = (
                f"{week.plan.rule}; held to {format_distance(ceiling, units)}, below the "
                f"biggest week the days hold later ({format_distance(late_peak, units)}), so "
                "the peak comes with the build"
            )
            plan_week = replace(week.plan, target_m=round(ceiling), rule=why)
            held[i] = replace(week, plan=plan_week)
    return held


CURRENT_LONG_RUN_AGO = dt.timedelta(days=7)  # when the profile's current long run counts as run


@dataclass(frozen=True)
class _SoFar:
    """What the athlete has run before the week being built, which the week grows from."""

    # long runs and races (date, metres), for the long run's growth over the last 30 days
    history: tuple[tuple[dt.date, float], ...]
    highest: float  # the most the athlete has actually run in a week
    # what the athlete ran in recent weeks, the profile's current volume RAMP_WINDOW times
    # before the plan: a week grows from the most of the last four, so a lighter stretch is
    # climbed out of gently
    ran: tuple[float, ...]
    # the plan's own full weeks: once the plan has run one, the ramp grows from what it
    # planned, not from the profile (a first week its runs could not fill is climbed out of at
    # the ramp's rate); a week cut by the plan's start or days away does not count
    full_weeks: tuple[float, ...]
    # the plan's whole weeks (no days away, not cut by the start) without the weeks back from a
    # break: the level before a break, which the weeks back are shares of and the way back
    # returns to; a trip's own weeks are no level (a 4-week trip had its weeks back at half
    # and three quarters of the 23 km of the week it began, not of the 40 km run before it)
    before_break: tuple[float, ...]
    had_quality: bool
    most_fast: float  # the most fast running (seconds faster than easy) of one session so far
    # the most run in a full week before the last break, until the athlete has run it again
    # (0: no way back under way), and the last week run, per running day (return_curve)
    level_before: float = 0.0
    last_week: float = 0.0
    # each week's quality workouts as built: a session sized out of its week gives way to one
    # the last weeks have not worn out (the program's `variety`)
    quality: tuple[tuple[str, ...], ...] = ()
    # the last weeks built were a minor race's light weeks (and any cutback right after them):
    # the next full week comes back to the most run (return_curve.after_minor_light)
    after_minor: bool = False
    # each week's easy runs as built (seconds, strides included; recovery jogs, medium-long
    # runs and shakeouts aside): the plan's typical easy run (typical_easy)
    easy_s: tuple[tuple[float, ...], ...] = ()
    # the race-pace block (seconds) last run in each session that has one, by template
    # (race_blocks.held_to_last)
    race_blocks: tuple[tuple[str, float], ...] = ()

    def typical_easy(self, weeks: int) -> float | None:
        """The median easy run of the last ``weeks`` weeks built (`typical_easy_weeks`), by
        time; None before the plan has built one."""
        runs = [s for week in self.easy_s[-weeks:] for s in week]
        return statistics.median(runs) if runs else None

    def recent_quality(self, weeks: int) -> tuple[str, ...]:
        """The quality workouts of the last ``weeks`` weeks built, one entry a session."""
        last = self.quality[-weeks:] if weeks > 0 else ()
        return tuple(name for week in last for name in week)

    @classmethod
    def at_start(cls, athlete: Athlete, weeks: Sequence[ScheduledWeek]) -> _SoFar:
        """Before the plan: the profile's current long run counts as run in the week before
        it (within the 30 days the growth rule looks back), but not as run the day before
        it: the first Monday's jog is not "the day after a long run", capped at half of it
        (a 10 km week of three runs lost its first to that)."""
        first_day = weeks[0].plan.start if weeks else athlete.last_day
        current = athlete.weekly_volume_m
        return cls(
            history=((first_day - CURRENT_LONG_RUN_AGO, athlete.long_run_m),),
            highest=current,
            ran=(current,) * RAMP_WINDOW,
            full_weeks=(),
            before_break=(),
            had_quality=False,
            most_fast=0.0,
            last_week=current,
        )

    def rule(self, bp: Blueprint, week: ScheduledWeek) -> str:
        """The rule that set the week's target (allocate.week_rule), from the same peak the
        target is held to (ceiling)."""
        return week_rule(bp, week, max(self.ran[RAMP_WINDOW:], default=self.highest))

    def ceiling(self, bp: Blueprint, week: ScheduledWeek) -> tuple[float, tuple[str, ...]]:
        """The week's target and why it was held (allocate.actual_ceiling): tapers are shares
        of the most the plan has had the athlete run (their current volume until the plan has
        run a week), a week back from a break a share of what was run before it, and the first
        full week after one no more than the most run in the weeks before it."""
        peak = max(self.ran[RAMP_WINDOW:], default=self.highest)
        recent = self.full_weeks[-RAMP_WINDOW:] or self.ran[-RAMP_WINDOW:]
        if week.plan.returning:
            recent = self.before_break[-RAMP_WINDOW:] or recent
        # the week after the plan's first full week is its first rise (`first_increase`)
        first = len(self.full_weeks) == 1
        target, held = actual_ceiling(bp, week, peak, max(recent), first)
        plan = week.plan
        if plan.returning and self.ran:
            target, held = past_levels(bp, week, target, held, max(self.ran[-RAMP_WINDOW:]))
        if self.level_before and not (plan.returning or plan.cutback or plan.share_of_peak):
            most = max(self.ran[-RAMP_WINDOW:])
            target, held = climb_back(
                bp, week, target, held, self.level_before, self.last_week, most
            )
        before = self.before_break[-RAMP_WINDOW:]
        if week.plan.after_break and before and target > max(before):
            # the first full week after a break comes back to the level before it, no new
            # high (round 12: +42% on the week back, past the weeks before an 8-day trip)
            target = max(before)
            held = (
                *held,
                f"target held to {format_distance(target, bp.athlete.units)}: the first full "
                "week after a break is back at the level before it, no new high",
            )
        if self.level_before and not plan.returning and plan.share_of_peak is None:
            target, held = held_to_jump(bp, week, target, held, self.last_week, self.level_before)
        if self.after_minor and not _lighter(plan):
            target, held = after_minor_light(bp, week, target, held, self.last_week, self.highest)
        return target, held

    def raise_to(self, bp: Blueprint, week: ScheduledWeek) -> float:
        """The most a building week's target may be raised to keep its listed days (allocate,
        `tiny_week_over`): the most run in a week, or one ramp step on the most run in a week
        of the last four, whichever is more; no new high past the ramp (a 10 km 10K runner
        on 4 days went from 10.6 to 12.6 km, +19%).  A taper, recovery or race week: no
        limit here (allocate raises race week only by the race's warm-up and cool-down)."""
        plan = week.plan
        if plan.share_of_peak is not None or plan.race_week:
            return math.inf
        program_phase = next(p for p in bp.program.phases if p.phase == plan.phase)
        rule = bp.volume_rule(program_phase)
        recent = self.full_weeks[-RAMP_WINDOW:] or self.ran[-RAMP_WINDOW:]
        first = len(self.full_weeks) == 1
        return max(self.highest, rule.ramped(max(recent), bp.athlete.injury_prone, first))

    def before_quality(self, bp: Blueprint, week: ScheduledWeek) -> bool:
        """Whether ``week`` is a base week before any quality session: none run yet, none in
        its phase (for this week: a raced athlete's light session counts), and not a taper or
        recovery week."""
        phase = bp.phases[week.plan.phase]
        return (
            not self.had_quality
            and week.plan.share_of_peak is None
            and not phase.sessions(bp.athlete.injury_prone, week.plan.raced_quality)
        )

    def after(
        self, athlete: Athlete, week: ScheduledWeek, built: _Round, aimed: float = 0.0
    ) -> _SoFar:
        """What the athlete has run once ``week`` is run as ``built``: its B and C races count
        as running the next weeks grow from (a week of a B and a C race counted 19 of its 34
        km, and the next was held to 21 km); the A race does not.  A C race's week counts at
        least at what it ``aimed`` at: the race is trained through, and its runs held short
        around it (long_run.c_race_ahead) cost no growth, as a cutback costs none (a C 5K's
        week cut 5 mi short held a half marathoner's peak 7 mi lower, round 19)."""
        workouts = built.workouts
        training = _counted(athlete, built, aimed)
        cut_short = athlete.days_away(week.plan.start, week.plan.days) > 0 or (
            athlete.start is not None and week.plan.start < athlete.start
        )
        full_weeks, before_break = self.full_weeks, self.before_break
        if full_weeks or not cut_short:
            full_weeks = (*full_weeks, training)
        if not (cut_short or week.plan.returning):
            before_break = (*before_break, training)
        level_before = self.level_before
        if week.plan.returning and not level_before:
            level_before = max(self.before_break[-RAMP_WINDOW:], default=self.highest)
        elif training >= BACK_AT * level_before or week.plan.share_of_peak is not None:
            level_before = 0.0
        return _SoFar(
            history=(
                *self.history,
                *(
                    (w.date, w.distance_m)
                    for w in workouts
                    if w.role == Role.LONG or w.category == Category.RACE
                ),
            ),
            highest=max(self.highest, training),
            ran=(*self.ran, training),
            full_weeks=full_weeks,
            before_break=before_break,
            had_quality=self.had_quality or any(w.role == Role.QUALITY for w in workouts),
            most_fast=max(
                [
                    self.most_fast,
                    *(fast_seconds(w) for w in workouts if w.category != Category.RACE),
                ]
            ),
            level_before=level_before,
            last_week=per_running_day(athlete, week, training),
            quality=(*self.quality, tuple(w.template for w in workouts if w.role == Role.QUALITY)),
            after_minor=week.plan.minor_light or (self.after_minor and _lighter(week.plan)),
            race_blocks=_race_blocks_run(self.race_blocks, workouts),
            easy_s=(
                *self.easy_s,
                tuple(
                    w.duration_s
                    for w in workouts
                    if w.role == Role.EASY and w.category == Category.EASY
                ),
            ),
        )


def _counted(athlete: Athlete, built: _Round, aimed: float) -> float:
    """The running a week built as ``built`` counts for the weeks after it (_SoFar.after): its
    training, its B and C races, and at least what it ``aimed`` at when it holds a C race."""
    raced = [
        (w.distance_m, race.priority)
        for w in built.workouts
        if w.category == Category.RACE and (race := athlete.minor_race_on(w.date)) is not None
    ]
    training = built.training + sum(m for m, _ in raced)
    if any(priority == RacePriority.C for _, priority in raced):
        training = max(training, aimed)
    return training


def _lighter(plan: WeekPlan) -> bool:
    """Whether a week is lighter by plan: a minor race's, a cutback, back from a break, or a
    taper or recovery week."""
    return plan.minor_light or plan.cutback or plan.returning or plan.share_of_peak is not None


@dataclass(frozen=True)
class _Round:
    """One round of sharing a week's volume out: the workouts built (each with its draft's
    index), the target allocate left the week at, the drafts it dropped and its notes."""

    built: tuple[tuple[int, Workout], ...]
    target: float
    dropped: frozenset[int]
    notes: tuple[str, ...]

    @property
    def workouts(self) -> list[Workout]:
        return [w for _, w in self.built]

    @property
    def training(self) -> float:
        """The week's running, its races left out."""
        return sum(w.distance_m for w in self.workouts if w.category != Category.RACE)

    @property
    def race(self) -> float:
        return sum(w.distance_m for w in self.workouts if w.category == Category.RACE)


@dataclass(frozen=True)
class _Aim:
    """What a week aims at while it is settled: its target, why the target was held below its
    plan, and whether a base week has already kept headroom below what its runs hold."""

    target: float
    held: tuple[str, ...]
    headroom: bool = False


def _expand_once(bp: Blueprint, paces: Paces, weeks: Sequence[ScheduledWeek]) -> Plan:
    """The weeks built in order, each from what the athlete has run before it, its quality
    sessions rotated first against the sessions the weeks before it were built with (a
    marathon's weeks without fast work rotated among its sustained work only)."""
    so_far = _SoFar.at_start(bp.athlete, weeks)
    late = fast_work_stops(bp, [w.plan for w in weeks])
    without_fast = without_fast_work(bp) if late else bp
    built: list[Week] = []
    rotations: list[ScheduledWeek] = []
    for week in weeks:
        recent = so_far.recent_quality(bp.program.rules.variety_weeks - 1)
        # the late weeks' sessions rotate, and are swapped when too big, among sustained work
        chooser = without_fast if week.plan.index in late else bp
        rotation = rotated(chooser, week, recent)
        made, so_far = _build_week(chooser, paces, rotation, so_far)
        built.append(made)
        rotations.append(rotation)
    worded = reworded(bp, paces, rotations, built)  # words only: true of the finished plan
    return Plan(bp.athlete, bp.program, bp.focus, paces, worded)


def _build_week(
    bp: Blueprint, paces: Paces, week: ScheduledWeek, so_far: _SoFar
) -> tuple[Week, _SoFar]:
    """One week as workouts, and what the athlete has run after it: its sessions drafted,
    grown for a fit athlete (grow_week), then settled round by round (_settle)."""
    drafts = [draft(bp, paces, week, slot) for slot in week.slots]
    target, held = so_far.ceiling(bp, week)
    drafts, grown = grow_week(bp, paces, week, drafts, target)  # sized to a fit athlete
    drafts, grown = _blocks_held(bp, paces, week, drafts, so_far, grown)
    last, aim, softened = _settle(bp, paces, week, drafts, so_far, _Aim(target, held))
    last = _blocks_regrown(bp, paces, drafts, last, dict(so_far.race_blocks), week.plan)
    workouts = last.workouts
    title, phase_week = _shown_as(bp, week)
    made = Week(
        index=week.plan.index,
        start=week.plan.start,
        phase=week.plan.phase,
        phase_title=title,
        phase_week=phase_week,
        target_m=round(last.target),
        planned_m=sum(w.distance_m for w in workouts),
        rule=so_far.rule(bp, week),
        cutback=week.plan.cutback,
        workouts=strength_reasons(strength_after_runs(workouts)),
        notes=merged_trims((*week.notes, *aim.held, *grown, *softened, *last.notes)),
        days=week.plan.days,
    )
    return made, so_far.after(bp.athlete, week, last, target)


def _blocks_held(
    bp: Blueprint,
    paces: Paces,
    week: ScheduledWeek,
    drafts: Sequence[Draft],
    so_far: _SoFar,
    notes: Sequence[str],
) -> tuple[list[Draft], list[str]]:
    """The week's race-pace blocks held to the ones last run (race_blocks.held_to_last)."""
    last = dict(so_far.race_blocks)
    held, said = [], list(notes)
    for session in drafts:
        kept, note = held_to_last(bp, paces, week.plan, session, last)
        held.append(kept)
        said.extend([note] if note else [])
    return held, said


def _blocks_regrown(
    bp: Blueprint,
    paces: Paces,
    drafts: list[Draft],
    last: _Round,
    blocks: dict[str, float],
    week: WeekPlan,
) -> _Round:
    """The settled week with each long run's race-pace block trimmed below the one last run
    grown back, a minute at a time within the same distance, to the longest that still fits
    (sizing.oversized) while the week keeps its easy share, at most to the last one run: the
    trims to fit its half went a tenth at a time on long runs the week was still sharing
    out, and a 2:38 marathoner's block fell 54 -> 52 min in three 30 km long runs (round
    22).  ``drafts`` changed in place."""
    built = list(last.built)
    raced = {race.date for race in bp.athlete.other_races}  # B and C races count as hard
    for place, (i, workout) in enumerate(last.built):
        before = blocks.get(workout.template)
        if workout.role != Role.LONG or before is None or light(week):
            continue
        grown = longest_block(bp, paces, drafts[i], workout, before)
        if grown is None:
            continue
        tried = [*built[:place], (i, grown[1]), *built[place + 1 :]]
        if short_of_easy(bp, [w for _, w in tried], raced):
            continue  # the week keeps its easy share: the trim stands
        drafts[i], built = grown[0], tried
    return replace(last, built=tuple(built))


def _race_blocks_run(
    before: tuple[tuple[str, float], ...], workouts: Sequence[Workout]
) -> tuple[tuple[str, float], ...]:
    """``before`` with the race-pace blocks of ``workouts`` as the last run of their session."""
    blocks = dict(before)
    for w in workouts:
        seconds = race_block_s(w.steps)
        if seconds > 0 and w.category != Category.RACE:
            blocks[w.template] = seconds
    return tuple(blocks.items())


def _warmups_trimmed(
    bp: Blueprint, paces: Paces, drafts: Sequence[Draft], history: Sequence[tuple[dt.date, float]]
) -> Sequence[Draft]:
    """The week's quality sessions no longer than the athlete's last long run (``history``'s
    last, at easy pace): their written warm-ups and cool-downs give way down to
    `quality_warmup_min` (sessions.warmup_trimmed)."""
    if not history:
        return drafts
    most = history[-1][1] * paces.zones["easy"].mid / 1000
    least = bp.program.rules.quality_warmup_min_s
    return [warmup_trimmed(d, paces, most, least) for d in drafts]


def _shown_as(bp: Blueprint, week: ScheduledWeek) -> tuple[str, int]:
    """The phase title and week number the athlete sees (ProgramPhase.shown_as): the phase's,
    or its `last_weeks` block's in a long phase's last weeks; the engine reads the phase."""
    plan = week.plan
    title = bp.phases[plan.phase].title
    entry = next(
        (p for p in bp.program.phases if p.phase == plan.phase and p.after_race == plan.after_race),
        None,
    )
    if entry is None:
        return title, plan.phase_week
    return entry.shown_as(title, plan.phase_week, plan.phase_weeks)


def _settle(
    bp: Blueprint,
    paces: Paces,
    week: ScheduledWeek,
    drafts: list[Draft],
    so_far: _SoFar,
    aim: _Aim,
) -> tuple[_Round, _Aim, list[str]]:
    """The week's volume shared out and its sessions changed (``drafts`` in place) until it
    keeps its rules: the last round, what the week ended up aiming at, and each change made.
    Each round changes one thing (_next_fix); MAX_ROUNDS is a guard, not a budget."""
    softened: list[str] = []
    before_quality = so_far.before_quality(bp, week)
    for _ in range(MAX_ROUNDS):
        shared = _share_out(bp, paces, week, drafts, so_far, aim.target)
        fix = _next_fix(bp, paces, week, drafts, shared, so_far, aim, before_quality)
        if fix is None:
            break
        if isinstance(fix, _Aim):
            aim = fix
        else:
            softened.append(fix)
    return shared, aim, softened


def _share_out(
    bp: Blueprint,
    paces: Paces,
    week: ScheduledWeek,
    drafts: Sequence[Draft],
    so_far: _SoFar,
    target: float,
) -> _Round:
    """One round: the week's volume shared out (allocate) and each draft built with its fill,
    with the week's growth on the last week run (per running day, as return_curve counts it)."""
    last = so_far.last_week / per_running_day(bp.athlete, week, 1.0)
    growth = target / last if last > 0 else 0.0
    on_way_back = bool(so_far.level_before) or so_far.after_minor
    typical = so_far.typical_easy(bp.program.rules.typical_easy_weeks)
    drafts = _warmups_trimmed(bp, paces, drafts, so_far.history)
    allocation = allocate(
        bp,
        paces,
        week,
        drafts,
        so_far.history,
        target,
        growth,
        may_raise=not on_way_back,
        typical_easy_s=typical,
        raise_to=so_far.raise_to(bp, week),
    )
    built = tuple(
        (i, build_workout(bp, paces, draft, allocation.fill.get(i, 0.0)))
        for i, draft in enumerate(drafts)
        if i not in allocation.dropped
    )
    return _Round(built, allocation.target, allocation.dropped, allocation.notes)


def _next_fix(
    bp: Blueprint,
    paces: Paces,
    week: ScheduledWeek,
    drafts: list[Draft],
    shared: _Round,
    so_far: _SoFar,
    aim: _Aim,
    before_quality: bool,
) -> str | _Aim | None:
    """The first thing the round shows must change, by priority: a session too big for its
    week, a recovery run keeping the week short, a base week's headroom, hard days too close,
    too little easy running, then the week's volume (_within_volume).  A change to a session
    (``drafts`` changed in place) is said in words; a new aim is the week's target held; None:
    the week is settled."""
    change = _fit_sessions(bp, paces, week, drafts, shared, so_far, aim.target)
    if change is not None:
        return change
    if shared.target < 0.95 * aim.target and before_quality and not aim.headroom:
        # the week's runs hold less than its target: a base week keeps a little below what
        # they hold, so the plan's biggest week comes later, with the quality sessions
        target = HEADROOM * shared.target
        why = (
            f"target held to {format_distance(target, bp.athlete.units)}: "
            "a little below what the week's runs hold, so the peak comes later"
        )
        return _Aim(target, (*aim.held, why), headroom=True)
    change = too_many_hard(bp, paces, week, drafts, shared.built, so_far.quality)
    raced = {race.date for race in bp.athlete.other_races}  # B and C races count as hard
    if change is None and short_of_easy(bp, shared.workouts, raced):
        keep = _race_made_hard(bp, shared, raced)
        change = soften(
            bp, paces, week, drafts, keep=keep, long_first=_long_alone_too_hard(bp, shared, raced)
        )
    if change is not None:
        return change
    return _within_volume(bp, paces, week, drafts, shared, so_far, aim)


def _long_alone_too_hard(bp: Blueprint, shared: _Round, raced: set[dt.date]) -> bool:
    """Whether the week is short of easy running with its quality sessions made easy runs too:
    its long run's faster block (or a race) is the week's hard running by itself, so easing the
    quality sessions first would lose them and then the block as well (soften's long_first)."""
    quality = {w.uid for w in shared.workouts if w.role == Role.QUALITY}
    return bool(quality) and short_of_easy(bp, shared.workouts, raced, as_easy=quality)


def _race_made_hard(bp: Blueprint, shared: _Round, raced: set[dt.date]) -> frozenset[str]:
    """The B race's sharpener (`b_sharpener`) when the week is short of easy running without
    it too: the race makes the week hard, and a few minutes of pick-ups given up would not
    make it easy (a B half's week lost its sharpener to the 80% rule, issue 11)."""
    sharpener = bp.program.rules.minor.b_sharpener
    others = [w for w in shared.workouts if w.template != sharpener]
    if sharpener is None or not short_of_easy(bp, others, raced):
        return frozenset()
    return frozenset({sharpener})


def _fit_sessions(
    bp: Blueprint,
    paces: Paces,
    week: ScheduledWeek,
    drafts: list[Draft],
    shared: _Round,
    so_far: _SoFar,
    target: float,
) -> str | None:
    """A session too big for the week made smaller (resize), else, when the week's runs hold
    less than HELD_SHORT of its target, the recovery run whose cap keeps it short made an easy
    run (promote_recovery), else, when they hold or plan less, an empty listed running day
    given a run (run_on_empty_day), else one easy run made the week's medium-long run
    (medium_long_for_room), else the rest day given a recovery run (run_on_rest_day); None
    when none applies."""
    planned = sum(w.distance_m for w in shared.workouts)
    too_big = next(((i, why) for i, w in shared.built if (why := oversized(bp, planned, w))), None)
    if too_big is not None:
        recent = so_far.recent_quality(bp.program.rules.variety_weeks - 1)
        change = resize(bp, paces, week, drafts, *too_big, planned, recent)
        if change is not None:
            return change
    too_much = over_week_share(bp, planned, shared.built)
    if too_much is not None:
        change = resize(bp, paces, week, drafts, *too_much, planned, swap=False)
        if change is not None:
            return change
    earlier_long_days = [d for d, _ in so_far.history] + own_long_run_day(bp, week)
    if shared.target < HELD_SHORT * target:
        change = promote_recovery(bp, paces, week, drafts, earlier_long_days)
        if change is not None:
            return change
    held = min(shared.target, planned)  # a week that keeps its target may plan less
    if held < HELD_SHORT * target:
        short = target - held
        return (
            run_on_empty_day(bp, paces, week, drafts, short, earlier_long_days)
            or medium_long_for_room(bp, paces, week, drafts, target, earlier_long_days)
            or run_on_rest_day(bp, paces, week, drafts, short, earlier_long_days)
        )
    return None


def _within_volume(
    bp: Blueprint,
    paces: Paces,
    week: ScheduledWeek,
    drafts: list[Draft],
    shared: _Round,
    so_far: _SoFar,
    aim: _Aim,
) -> str | _Aim | None:
    """The week within its volume: more than it holds leaves an easy run out (the lowest
    priority), and the week that brings quality sessions, or much more fast running than any
    before (MORE_INTENSE), is no new volume high (the few hundred metres that keep its listed
    days, allocate's `tiny_week_over`, aside): its target is held, then its quality sessions
    are made smaller or easy."""
    unit_m = METRES_PER[bp.athlete.units]
    reasons: list[str] = []  # why the week's quality sessions must shrink
    overshoot = shared.training + shared.race - shared.target
    if overshoot > max(0.05 * shared.target, 0.5 * unit_m):
        left_out = _leave_out_easy_run(drafts, shared)
        if left_out is not None:
            return left_out
        reasons.append("the session is too big for the week's volume")
    workouts, highest = shared.workouts, so_far.highest
    # an injury-prone athlete's every-other-week light session (a short base's
    # `quality_every_raced_careful`) does not hold their slow ramp once more
    careful = week.plan.raced_quality and bp.athlete.injury_prone
    brings_quality = (
        not so_far.had_quality and not careful and any(w.role == Role.QUALITY for w in workouts)
    )
    fast = max((fast_seconds(w) for w in workouts if w.category != Category.RACE), default=0)
    more_intense = so_far.had_quality and fast > MORE_INTENSE * so_far.most_fast
    # a building week raised to keep its listed days (allocate, `tiny_week_over`) is no new high
    kept_days = max(shared.target - aim.target, 0.0) if week.plan.share_of_peak is None else 0.0
    if (brings_quality or more_intense) and shared.training > highest + kept_days + 0.1 * unit_m:
        if aim.target > highest:
            why = (
                "the first week with quality sessions is no new high"
                if brings_quality
                else "the week with the most fast running yet is no new high"
            )
            held = f"target held to {format_distance(highest, bp.athlete.units)}: {why}"
            return replace(aim, target=highest, held=(*aim.held, held))
        if brings_quality:
            reasons.append("the week that brings quality sessions is no new high")
    return next(
        (
            c
            for why in reasons
            if (c := soften(bp, paces, week, drafts, quality_only=True, why=why))
        ),
        None,
    )


def _leave_out_easy_run(drafts: list[Draft], shared: _Round) -> str | None:
    """The week's last easy or recovery run left out of ``drafts`` (in place) when the week
    has a quality session to carry its volume; None when it has not."""
    easy = [
        i
        for i, d in enumerate(drafts)
        if d.slot.role in (Role.EASY, Role.RECOVERY) and i not in shared.dropped
    ]
    if not easy or not any(d.slot.role == Role.QUALITY for d in drafts):
        return None
    left_out = drafts.pop(max(easy, key=lambda i: drafts[i].slot.date))
    return (
        f"{left_out.slot.date}: easy run left out: the week's quality session "
        "and long run fill its volume"
    )


AFTER_RUN = dt.timedelta(minutes=15)  # rounding of a strength session's start after a run


def strength_reasons(workouts: Sequence[Workout]) -> tuple[Workout, ...]:
    """The week's workouts with a strength session put after the day's quality session saying
    so no longer when that session became an easy run (a race beside it, the 80%-easy rule):
    round 16 read "strength after the day's quality session" on a day of easy running."""
    hard = {
        w.date
        for w in workouts
        if w.slot != SlotKind.STRENGTH
        and (w.intensity == Intensity.HARD or w.role in (Role.QUALITY, Role.RACE))
    }
    return tuple(
        replace(w, reason=STRENGTH_ON_EASY_DAY)
        if w.slot == SlotKind.STRENGTH and w.reason == STRENGTH_AFTER_QUALITY and w.date not in hard
        else w
        for w in workouts
    )


def strength_after_runs(workouts: Sequence[Workout]) -> tuple[Workout, ...]:
    """The week's workouts with each timed strength session moved after the day's timed run
    (its end, rounded up to the quarter hour), so a calendar never shows the two overlapping;
    when that would pass midnight, the session keeps the day but loses its time."""
    ends: dict[dt.date, dt.datetime] = {}
    for w in workouts:
        if w.slot != SlotKind.STRENGTH and w.start_time is not None:
            end = dt.datetime.combine(w.date, w.start_time) + dt.timedelta(seconds=w.duration_s)
            ends[w.date] = max(end, ends.get(w.date, end))
    moved: list[Workout] = []
    for w in workouts:
        run_end = ends.get(w.date)
        if w.slot == SlotKind.STRENGTH and w.start_time is not None and run_end is not None:
            quarters = -(-(run_end - dt.datetime.min) // AFTER_RUN)  # rounded up
            start = dt.datetime.min + quarters * AFTER_RUN
            w = replace(w, start_time=start.time() if start.date() == w.date else None)
        moved.append(w)
    return tuple(moved)
