"""Stage 4, periodize: lay the program's phases out backwards from race day, scale them to the weeks
available, and give every week its target volume and the rule that set it.

The phases' lengths are fitted in phases.py; the mechanism of the weeks lives here; the numbers
(ramp, cutback, taper depth, peak) come from the phase and program templates and the athlete.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, replace

from ..diagnostics import PlanError, error
from ..model import BACK_FROM_BREAK, BACK_FROM_RACE, Athlete, Away, Blueprint, VolumeRule, WeekPlan
from ..units import Unit, format_distance
from ..vocabulary import Progression, RacePriority
from . import paces as pace_model
from .capacity import BUILD_WEEK_HOLDS, days_hold, easy_pace, recovery_pace
from .phases import PhaseLength, phase_lengths
from .resolve import first_week, fitness_detraining, weeks_to
from .season import first_week_back

LONG_RUNWAY_EXTRA = 4  # weeks past the program's own length that make a runway long


def ramp_weeks(start: float, peak: float, rule: VolumeRule, injury: bool, every: int | None) -> int:
    """How many weeks of ramping (cutbacks included) take weekly volume from ``start`` to
    within 5% of ``peak``."""
    increase = rule.max_increase_injury_prone if injury else rule.max_increase
    if start <= 0 or increase <= 0:
        return 52
    level, weeks, since = start, 0, 0
    while level < 0.95 * peak and weeks < 52:
        weeks += 1
        since += 1
        if every and since >= every:
            since = 0
            continue
        level = rule.ramped(level, injury, first=level <= start)
    return weeks


def race_week_running(peak: float, share: float, race_m: float, below_peak: bool = True) -> float:
    """What race week holds besides the race: its share of the peak, and, where the race leaves
    room and the program asks it (``race_week_below_peak``), little enough that the week with
    the race stays below the peak week."""
    running = peak * share
    room = peak - race_m - 0.05 * peak
    if below_peak and room >= 0.15 * peak:
        running = min(running, room)
    return max(running, 0.0)


@dataclass(frozen=True)
class _Rest:
    """Why a building week may need no cutback, or take it early: the taper follows it
    (``before_taper``), the next week brings the first quality sessions (``quality_next``), the
    athlete is mostly away this week, the next or the one after (``away_now``, ``away_next``,
    ``away_soon``), or the week holds a B race (``b_race_now``: its light week is the rest)."""

    before_taper: bool = False
    quality_next: bool = False
    away_next: bool = False
    away_now: bool = False
    away_soon: bool = False
    b_race_now: bool = False


@dataclass
class _Progression:
    """The weekly volume as it moves through the plan.  Each week has a level, what it would be
    with the athlete at home; ramps, cutbacks and holds work on levels.  Days away scale a week's
    target without touching the level, and the week after returns to it with no ramp on top."""

    units: Unit
    injury: bool
    start: float  # the athlete's current weekly volume (capped by their maximum)
    cap: float  # the peak: the program's and the athlete's
    level: float = 0.0  # last week's level
    peak: float = 0.0  # the highest level before race day
    return_to: float | None = None  # after a cutback or a week away: the level to come back to
    since_lighter: int = 0  # weeks since the last lighter week (cutback, away) or the start
    # this week's level without a ramp: last week's, or the level a week after a cutback comes
    # back to (a week away holds this, it does not ramp)
    unramped: float = 0.0
    after_cutback: bool = False  # the week before was a cutback (not a week away)
    had_quality: bool = False  # a week of a phase with quality sessions of its own
    # a week with a raced athlete's light session (a base's `quality_sessions_raced`): the first
    # is held like the first quality week, the build's first is still held after them
    had_light: bool = False
    since_light: int = 0  # weeks since the last light session (or the start)
    masters_every: int | None = None  # an older athlete's cutback frequency
    weeks_to_peak: int = 1  # the week by which the ramp may reach the cap
    # a second cycle: the first cycle's recovery level it starts back from, and what it built
    returning: float | None = None
    carried: float = 0.0
    # and the shares of ``carried`` its first weeks come back to (the program's a_race_return)
    return_levels: tuple[float, ...] = ()
    regained: int = 0  # the weeks of the second cycle so far

    def cutback_every(self, rule: VolumeRule) -> int | None:
        every = rule.cutback_every_injury_prone if self.injury else rule.cutback_every
        if self.masters_every and every:
            return min(every, self.masters_every)
        return every

    def km(self, metres: float) -> str:
        return format_distance(metres, self.units)

    def building(
        self, rule: VolumeRule, quality: bool, week: int, rest: _Rest | None = None
    ) -> tuple[float, str, bool]:
        """A ramp or hold week: its level, why, and whether it is a cutback (_cutback_due says
        when one is due, ``rest`` when the week needs none); after a cutback or a week away,
        back to the level before (_back_to_level); otherwise the ramp (_ramp)."""
        rest = rest or _Rest()
        if not self.level:
            why = f"the athlete's current weekly volume ({self.km(self.start)})"
            if self.returning is not None and self.start < self.carried:
                why = (
                    f"{BACK_FROM_RACE}: {self.start / self.carried:.0%} of the "
                    f"{self.km(self.carried)} the first cycle built, after its recovery "
                    f"week ({self.km(self.returning)})"
                )
            elif self.start >= START_BELOW_CAP * self.cap - 1:
                why = f"a little below the peak ({self.km(self.cap)}), so the plan still builds"
            return self.start, why, False
        every = self.cutback_every(rule)
        if self._regaining():
            return self._regain(rule, quality)
        if every and self._cutback_due(every, quality, rest):
            self.return_to = max(self.return_to or 0.0, self.level)
            depth = rule.cutback_injury_prone if self.injury else rule.cutback
            who = " when injury-prone" if self.injury else ""
            who += " for a masters athlete" if self.masters_every == every else ""
            why = f"cutback week: {depth:.0%} below the week before (every {every} weeks{who})"
            self.after_cutback = True
            return self.level * (1 - depth), why, True
        after_cutback, self.after_cutback = self.after_cutback, False
        first_quality = quality and not self.had_quality
        self.unramped = self.level
        if self.return_to is not None:
            return self._back_to_level(rule, every, week, first_quality, after_cutback)
        if first_quality:
            why = "held: the week that brings quality sessions never raises volume to a new high"
            return self.level, why, False
        if rule.progression == Progression.HOLD:
            return self.level, "hold: volume stays at the week before", False
        return self._ramp(rule, week)

    def _regaining(self) -> bool:
        """Whether a second cycle is still climbing back from the first race's recovery to
        the volume the first cycle built (``carried``)."""
        return self.returning is not None and self.level < self.carried - 1

    def _regain(self, rule: VolumeRule, quality: bool) -> tuple[float, str, bool]:
        """A week of a second cycle back from the first race's recovery, below the volume the
        first cycle built: the next of the program's return shares of that volume
        (``a_race_return``; a level the athlete ran weeks ago is no new high, so it comes back
        faster than the ramp for new highs), then that volume itself, or one ramp step of the
        phase's rule on the week before when that is more; no cutback (the recovery weeks were
        the rest) and no late-peak spread (the athlete regains, the new load comes after); the
        week that brings quality sessions holds."""
        self.after_cutback = False
        self.unramped = self.level
        self.regained += 1
        if quality and not self.had_quality:
            why = "held: the week that brings quality sessions never raises volume"
            return self.level, why, False
        levels = self.return_levels
        share = levels[self.regained] if self.regained < len(levels) else 1.0
        level = min(max(rule.ramped(self.level, self.injury), share * self.carried), self.carried)
        if level >= self.carried - 1:
            self.returning = None  # regained: the usual ramp and cutbacks from here
        why = (
            f"{BACK_FROM_RACE}: {level / self.carried:.0%} of the "
            f"{self.km(self.carried)} the first cycle built"
        )
        return level, why, False

    def _cutback_due(self, every: int, quality: bool, rest: _Rest) -> bool:
        """Whether this week is a cutback: one is due every ``every`` weeks since the last
        lighter week, a week early before the first quality week (``rest.quality_next``: the
        base ends with the rest and quality starts on rested legs), but never with fewer than
        EARLY_CUTBACK_AFTER building weeks since the last lighter one (an injury-prone
        marathoner's cutbacks fell in weeks 3 and 5).  None the week before a taper, in a
        week mostly away or the week before one (the days away are the rest: a cutback before
        them made three light weeks of a trip), nor in the week that brings the first quality
        sessions; one due two weeks before a week mostly away waits for it when cutbacks come
        every CUTBACK_WAITS_FROM weeks or more (a cutback, a trip and the two weeks back made
        four light weeks in six, round 10): an injury-prone or masters athlete keeps theirs."""
        early = rest.quality_next and not self.had_quality and not quality
        due = self.since_lighter + 1 + (early and self.since_lighter >= EARLY_CUTBACK_AFTER)
        waits = (
            rest.away_soon
            and self.since_lighter + 1 <= every
            and every >= CUTBACK_WAITS_FROM
            and not self.injury
        )
        rested = rest.before_taper or rest.away_next or rest.away_now or waits or rest.b_race_now
        return due >= every and not rested and not (quality and not self.had_quality)

    def _back_to_level(
        self,
        rule: VolumeRule,
        every: int | None,
        week: int,
        first_quality: bool,
        after_cutback: bool,
    ) -> tuple[float, str, bool]:
        """After a cutback or a week away: the level before it, not a new high in the week that
        brings quality, and one ramp step on it after a cutback of frequent cutbacks
        (_step_after_cutback)."""
        assert self.return_to is not None
        level, self.return_to = self.return_to, None
        self.unramped = level
        why = f"back to the level before ({self.km(level)})"
        if first_quality:
            why += ", not above it: the week that brings quality sessions is no new high"
            return level, why, False
        stepped = self._step_after_cutback(rule, level, every, week) if after_cutback else level
        if stepped > level:
            return (
                stepped,
                f"{why}, and one ramp step on it (cutbacks every {every} weeks)",
                False,
            )
        return level, why, False

    def _ramp(self, rule: VolumeRule, week: int) -> tuple[float, str, bool]:
        """A ramp week: the rule's step on last week's level, spread over the weeks before the
        taper so the peak comes late, and never past the cap."""
        # the plan's first rise from the athlete's current volume is `first_increase`
        first = self.level <= self.start + 1
        increase = rule.increase(self.injury, first)
        wanted = rule.ramped(self.level, self.injury, first)
        # the ramp is spread over the weeks before the taper, so the peak comes late
        spread = self.start + (self.cap - self.start) * min(1.0, week / self.weeks_to_peak)
        if wanted > spread > self.level and spread < self.cap:
            why = f"ramp, spread so the peak ({self.km(self.cap)}) comes late in the plan"
            return spread, why, False
        if wanted > self.cap >= self.level:
            return self.cap, f"at the peak volume cap ({self.km(self.cap)})", False
        level = min(wanted, max(self.cap, self.level))
        why = f"ramp: at most +{increase:.0%} on the week before"
        why += " (the plan's first rise)" if increase < rule.increase(self.injury) else ""
        if wanted > self.level * (1 + increase) + 1:
            why += f" (+{self.km(rule.min_increase_m)} in a small week)"
        return level, why + (" (injury-prone)" if self.injury else ""), False

    def _step_after_cutback(
        self, rule: VolumeRule, level: float, every: int | None, week: int
    ) -> float:
        """The week after a cutback when cutbacks come every 3 weeks or more often (injury-prone
        and masters athletes): the level before the cutback and one ramp step on it, so that two
        weeks in three grow rather than one (one in three nets almost no growth over a long
        runway: a first marathoner reached 42 km a week in 27 weeks).  Within the peak, the late
        peak's spread, and RISE_AFTER_CUTBACK of the cutback week."""
        if not every or every > 3 or rule.progression == Progression.HOLD:
            return level
        spread = self.start + (self.cap - self.start) * min(1.0, week / self.weeks_to_peak)
        return max(
            level,
            min(rule.ramped(level, self.injury), spread, self.cap, self.level * RISE_AFTER_CUTBACK),
        )

    def lighter(self, rule: VolumeRule, from_race: int, weeks: int, week: int) -> tuple[float, str]:
        """A taper or recovery week: a share of the peak; a taper never rises."""
        share = rule.level(from_race, weeks, week)
        level = self.peak * share
        why = f"{rule.progression}: {share:.0%} of the peak week ({self.km(self.peak)})"
        if rule.progression == Progression.TAPER and level > self.level:
            level = self.level
            why += f", held at the week before ({self.km(level)}): a taper never rises"
        return level, why

    def away(
        self, level: float, days: int, running_days: int, building: bool, where: str = "away"
    ) -> tuple[float, str]:
        """A week with days away (``where`` the athlete is on them, in words): its target
        shrinks; a building week does not ramp, and the week after comes back to its level (no
        ramp step on it, even when this week is also a cutback: it rises from a week cut
        twice)."""
        self.after_cutback = False
        if building:
            if self.level:
                level = min(level, self.return_to or self.unramped or self.level)
            # the week after comes back to this level, or to the level before a cutback that
            # this week away also is (not to the cutback's)
            self.return_to = max(self.return_to or 0.0, level)
        kept = (running_days - days) / running_days
        why = f"; cut to {kept:.0%} of {self.km(level)}: {days} of {running_days} running days"
        why += f" {where}"
        return level * kept, why


EARLY_CUTBACK_AFTER = 2  # building weeks since the last lighter week before one comes early
RISE_AFTER_CUTBACK = 1.3  # the most a week rises on the cutback week before it
START_BELOW_CAP = 0.97  # an athlete at the peak cap starts this share of it
PEAK_AT = 0.65  # of the weeks before the taper: when the ramp may first reach the peak


def weeks_to_peak(blueprint: Blueprint, building: float) -> float:
    """The week (counted from the first) by which the ramp of a plan with ``building`` weeks
    before its taper may first reach the peak: PEAK_AT of them, and no earlier than the
    program's `peak_weeks_before_taper` before the taper.  On a long runway the spare weeks go
    to a gentler ramp, not to months at the peak (round 19: a 26-week marathoner first reached
    110 km in week 15 and held it over the 9 weeks to the taper)."""
    late = building - blueprint.program.rules.peak_weeks_before_taper
    return max(1.0, PEAK_AT * building, late)


def peak_cap(blueprint: Blueprint, vdot: float | None = None) -> tuple[float, str]:
    """The most weekly volume the plan builds to, and what set it: the program's peak, the
    athlete's maximum, a default derived from what the athlete runs now, and (given the
    athlete's VDOT, for their easy and recovery paces) what their running days hold with runs
    of a sane size (_recovery_after_long: the day after the long run a recovery run)."""
    athlete, rules = blueprint.athlete, blueprint.program.rules
    current = athlete.weekly_volume_m
    share, gain = rules.peak_share(current), rules.peak_min_gain_m
    if is_masters(blueprint):  # older legs absorb a big rise in volume more slowly
        share = min(share, rules.masters_peak_from_current or share)
        gain = min(gain, rules.masters_peak_min_gain_m or gain)
    scaled = current * share
    gained = current + gain
    why = (
        f"{share:.0%} of the current weekly volume"
        if scaled >= gained
        else "the current weekly volume plus " + format_distance(gain, athlete.units)
    )
    # the program's peak never takes an athlete below what they run now
    program_peak = max(blueprint.program.peak_volume_m, current)
    caps = [(max(scaled, gained), why), (program_peak, "the program's peak")]
    if athlete.max_weekly_volume_m:
        caps.append((athlete.max_weekly_volume_m, "the athlete's maximum weekly volume"))
    if vdot is not None:
        runs = min(len(athlete.availability.days), 7 - _least_rest(blueprint))
        recovery = recovery_pace(vdot) if _recovery_after_long(blueprint, runs) else None
        holds = BUILD_WEEK_HOLDS * days_hold(blueprint.program, easy_pace(vdot), runs, recovery)
        caps.append((holds, f"what {runs} running days hold with runs of a sane size"))
    return min(caps, key=lambda c: c[0])


def _least_rest(blueprint: Blueprint) -> int:
    """The fewest rest days a building phase of the program keeps."""
    building = [p.phase for p in blueprint.program.phases if not p.after_race]
    return min((blueprint.phases[p].min_rest_days for p in building), default=1)


def _recovery_after_long(blueprint: Blueprint, runs: int) -> bool:
    """Whether a week of ``runs`` runs has a recovery run the day after the long run, held
    to `recovery_run_max`: the athlete runs every day they list (``runs`` of them; with a day
    more, the schedule may rest the day after the long run, as it does for a Saturday long
    run on seven days), the day after the long run is one of them, and the focus runs a
    recovery run there in a building phase (schedule._place_easy)."""
    days = blueprint.athlete.availability
    if runs < len(days.days) or (days.long_run_day + 1) % 7 not in days.days:
        return False
    building = [p.phase for p in blueprint.program.phases if not p.after_race]
    return any(blueprint.focus.for_phase(p).recovery for p in building)


def athlete_vdot(blueprint: Blueprint, today: dt.date) -> float | None:
    """The athlete's VDOT at the fitness their plan starts with, or None when the recent race
    gives no usable VDOT (resolve reports it)."""
    athlete = blueprint.athlete
    try:
        race_vdot = pace_model.vdot(athlete.recent_race.distance_m, athlete.recent_race.time_s)
    except ValueError:
        return None
    weeks_off = fitness_detraining(athlete, today).weeks_off
    return pace_model.reduced_vdot(race_vdot, weeks_off)


def is_masters(blueprint: Blueprint) -> bool:
    age = blueprint.athlete.age
    return age is not None and age >= blueprint.program.rules.masters_age


def is_careful(blueprint: Blueprint) -> bool:
    """Whether the athlete is masters or injury-prone: a C race and a long run back to back
    are for younger, sturdier legs (`c_long_after_careful`)."""
    return is_masters(blueprint) or blueprint.athlete.injury_prone


def hard_days_apart(blueprint: Blueprint) -> int:
    """The days between hard sessions: the program's `hard_days_apart`, or its
    `masters_hard_days_apart` for a masters athlete."""
    rules = blueprint.program.rules
    return rules.masters_hard_days_apart if is_masters(blueprint) else rules.hard_days_apart


@dataclass(frozen=True)
class _Frame:
    """The plan's calendar: its first day and the days of its first week, the weeks to race
    day (or a block's end), the phases fitted to them and the weeks that build (before the
    taper or the block's end)."""

    first: dt.date
    first_days: int
    weeks_to_race: int
    lengths: tuple[PhaseLength, ...]
    building_weeks: int
    raced: bool = False  # a recent race and no injury: phases' `quality_sessions_raced` apply
    # a recent race and injury-prone: a short base's `quality_every_raced_careful` applies
    careful: bool = False


def periodize(blueprint: Blueprint, today: dt.date) -> tuple[list[WeekPlan], list[PhaseLength]]:
    """The plan's weeks, each with its phase and target volume and why, and the phases'
    lengths: the calendar laid out (_frame), then week by week (_plan_week) from what the
    weeks before it left (_Progression)."""
    frame, volume = _frame(blueprint, today)
    weeks: list[WeekPlan] = []
    index = 0
    for length in frame.lengths:
        program_phase = length.program_phase
        assert program_phase is not None
        race = blueprint.athlete.race
        if program_phase.after_race and (race is None or not race.recovery):
            continue  # the athlete's plan ends with race week
        for phase_week in range(1, length.weeks + 1):
            index += 1
            weeks.append(_plan_week(blueprint, frame, volume, length, phase_week, index, weeks))
    return _cycles_as_one_phase(weeks), list(frame.lengths)


def _frame(blueprint: Blueprint, today: dt.date) -> tuple[_Frame, _Progression]:
    """The plan's calendar and the volume's starting point: the peak cap, the level the plan
    starts from (a little below the cap for an athlete at it), the base the athlete needs and
    the runway gives (rule 8), the phases fitted to the weeks."""
    athlete, program = blueprint.athlete, blueprint.program
    first, first_days = first_week(
        athlete.start, athlete.week_start, today, program, athlete.last_day
    )
    weeks_to_race = weeks_to(athlete.last_day, first, first_days, athlete.week_start)
    cap, _why = peak_cap(blueprint, athlete_vdot(blueprint, today))
    # an athlete already at the cap starts a little below it, so the plan still builds, but
    # never far below what they run now
    start_level = min(athlete.weekly_volume_m, START_BELOW_CAP * cap)
    return_levels = program.rules.minor.a_race_return
    if athlete.returning_m is not None:  # a second cycle starts back from the first's recovery
        back = first_week_back(blueprint, program, athlete.returning_m, athlete.weekly_volume_m)
        start_level = min(start_level, back)
    masters_every = program.rules.masters_cutback_every if is_masters(blueprint) else None
    volume = _Progression(
        units=athlete.units,
        injury=athlete.injury_prone,
        start=start_level,
        cap=cap,
        masters_every=masters_every,
        returning=athlete.returning_m,
        carried=athlete.weekly_volume_m,
        return_levels=return_levels,
    )
    base_weeks = _base_weeks(blueprint, volume, first)
    # a runway well past the program's own gives its spare weeks to the base (rule 8), unless
    # the athlete runs near the peak already and their base weeks hold no light session (round
    # 19: one who has it gets quality by week 5 in a long base too); short of it, a solid base
    # keeps quality early
    default_weeks = sum(p.weeks for p in program.phases if not p.after_race)
    short_base = _near_volume(blueprint, volume, first) and not _hard_day_besides_long(blueprint)
    runway_base = weeks_to_race >= default_weeks + LONG_RUNWAY_EXTRA and not short_base
    try:
        lengths = phase_lengths(
            program.phases, weeks_to_race, base_weeks, runway_base, base_grows=not short_base
        )
    except ValueError as exc:
        raise PlanError([error("race-too-soon", str(exc), athlete.source.file, None)]) from None
    building_weeks = 0
    for length in lengths:
        assert length.program_phase is not None
        if not blueprint.volume_rule(length.program_phase).progression.builds:
            break
        building_weeks += length.weeks
    volume.weeks_to_peak = round(weeks_to_peak(blueprint, building_weeks))
    frame = _Frame(
        first,
        first_days,
        weeks_to_race,
        tuple(lengths),
        building_weeks,
        _raced(blueprint, first),
        _raced(blueprint, first, careful=True),
    )
    return frame, volume


def _plan_week(
    blueprint: Blueprint,
    frame: _Frame,
    volume: _Progression,
    length: PhaseLength,
    phase_week: int,
    index: int,
    weeks: Sequence[WeekPlan],
) -> WeekPlan:
    """Week ``index`` (``phase_week`` of its phase) as planned: its level (_week_level), back
    from a break (_back_from_break), cut by days away or a first week's days before the plan
    (_Progression.away), plus race day; ``volume`` moves on to it."""
    athlete, program = blueprint.athlete, blueprint.program
    program_phase = length.program_phase
    assert program_phase is not None
    rule = blueprint.volume_rule(program_phase)
    start, days = _week_dates(frame.first, frame.first_days, index)
    # a block has no race: its last week is a normal week
    is_race_week = index == frame.weeks_to_race and not program.block
    raced_quality = _raced_quality(blueprint, frame, length, (phase_week, volume.since_light))
    level, why, cutback, share = _week_level(
        blueprint, frame, volume, length, (phase_week, raced_quality), index, is_race_week
    )
    back, back_share = _back_share(blueprint, start, days)
    returning = back_share is not None and rule.progression.builds
    before = reduced = 0.0
    first_back = returning and (back == 0 or few_days_back(blueprint, start))
    if back is not None and back_share is not None and returning:
        level, why, before = _back_from_break(volume, level, (back, first_back), back_share)
        reduced, cutback = level, back_share < 1
    why += _joined_first_week(days)
    away = athlete.days_away(start, days)
    target, level, note = _days_off(athlete, volume, rule, level, start, days)
    why += note
    if returning:  # the next week comes back toward the level before the break
        volume.return_to, level = before, reduced
    if is_race_week:
        target += program.distance_m
        why += f", plus the race ({volume.km(program.distance_m)})"
    # a lighter week (a cutback, back from a break) keeps the base easy: it rests
    raced_quality = raced_quality and not cutback
    rested = cutback or bool(away) or holds_b_race(athlete, start, days)
    _moved_on(blueprint, volume, length, level, rested, raced_quality)
    return WeekPlan(
        index=index,
        start=start,
        phase=blueprint.phases[program_phase.phase].name,
        phase_week=phase_week,
        phase_weeks=length.weeks,
        target_m=round(target, 0),
        rule=why,
        cutback=cutback,
        race_week=is_race_week,
        after_race=program_phase.after_race,
        share_of_peak=share,
        return_share=back_share if returning else None,
        first_back=first_back,
        after_break=not returning and bool(weeks) and weeks[-1].returning,
        days=days,
        raced_quality=raced_quality,
    )


def _raced_quality(
    blueprint: Blueprint, frame: _Frame, length: PhaseLength, week: tuple[int, int]
) -> bool:
    """Whether week ``week`` (its number in ``length`` and the weeks since the last light
    session) takes its phase's `quality_sessions_raced`: the athlete raced in the last 12
    weeks and is not injury-prone (_raced), the phase has more of them than its own sessions,
    and the week is from `quality_from_week_raced` on (and not lighter: _plan_week leaves a
    cutback easy); not in a block (a base-building block is the volume it was chosen for, with
    no race to come).  An injury-prone athlete who raced takes it only in a phase of at most
    `quality_raced_careful_base_weeks` (a short runway), every `quality_every_raced_careful`
    weeks: not half a short plan on strides, and not a hard week after a hard week.  A runner
    below `quality_small_below` a week (a beginner) starts at `quality_from_week_small`, if
    later: easy running and strides first (review round 22)."""
    assert length.program_phase is not None
    phase = blueprint.phases[length.program_phase.phase]
    phase_week, since_light = week
    first = phase.quality_from_week_raced
    if blueprint.athlete.weekly_volume_m < phase.quality_small_below_m:
        first = max(first, phase.quality_from_week_small)
    every = phase.quality_every_raced_careful
    careful = (
        frame.careful
        and every > 0
        and length.weeks <= phase.quality_raced_careful_base_weeks
        and since_light + 1 >= every
    )
    return (
        (careful or (frame.raced and phase_week >= first))
        and not blueprint.program.block
        and not length.after_race
        and phase.quality_sessions_raced > phase.quality_sessions
    )


def _joined_first_week(days: int) -> str:
    """What to add to why for a first week of more than 7 days (resolve.first_week)."""
    if days <= 7:
        return ""
    return (
        f"; {days} days from the athlete's first day: the {days - 7} before the "
        "week's usual first day join it, so it eases in with one week's volume"
    )


def _days_off(
    athlete: Athlete,
    volume: _Progression,
    rule: VolumeRule,
    level: float,
    start: dt.date,
    days: int,
) -> tuple[float, float, str]:
    """The week's target, its level and what to add to why, for its days away and a first
    week's days before the plan starts: the target is cut by the running days they take
    (_Progression.away); a building week's level stays the level to come back to."""
    away = athlete.days_away(start, days)
    not_yet = _running_days_before(athlete, start)
    if not (away or not_yet):
        return level, level, ""
    building = rule.progression.builds
    where = "away"
    if not_yet:
        where = "away or not yet" if away else "before the plan starts"
    target, note = volume.away(
        level, away + not_yet, _running_days(athlete, start, days), building, where
    )
    level = volume.return_to if building and volume.return_to else level
    return target, level, note


def _week_level(
    blueprint: Blueprint,
    frame: _Frame,
    volume: _Progression,
    length: PhaseLength,
    week: tuple[int, bool],
    index: int,
    is_race_week: bool,
) -> tuple[float, str, bool, float | None]:
    """The week's level, why, whether it is a cutback, and a taper or recovery week's share
    of the peak: a phase that does not build is a share of the peak (race week held below the
    peak, race included); one that builds ramps, holds or cuts back (_Progression.building),
    resting before a taper, a trip or the first quality week.  ``week``: the week in its phase
    and whether it takes the phase's `quality_sessions_raced` (_raced_quality)."""
    athlete, program = blueprint.athlete, blueprint.program
    phase_week, raced_quality = week
    program_phase = length.program_phase
    assert program_phase is not None
    rule = blueprint.volume_rule(program_phase)
    if not rule.progression.builds:
        taper = rule.progression == Progression.TAPER
        from_race = length.weeks - phase_week if taper else phase_week - 1
        share = rule.level(from_race, length.weeks, phase_week)
        level, why = volume.lighter(rule, from_race, length.weeks, phase_week)
        if is_race_week:
            running = race_week_running(
                volume.peak, share, program.distance_m, program.rules.race_week_below_peak
            )
            if running < level:
                level = running
                why += (
                    f", held to {volume.km(level)} so race week, race included, "
                    "stays below the peak week"
                )
        return level, why, False, share
    first, first_days, weeks_to_race = frame.first, frame.first_days, frame.weeks_to_race
    rest = _Rest(
        before_taper=index == frame.building_weeks and not program.block,
        quality_next=phase_week == length.weeks
        and _brings_quality(blueprint, frame.lengths, frame.lengths.index(length) + 1),
        # a trip after the last week (a block's end) rests no week of the plan: the block's
        # last week keeps its cutback
        away_next=index < weeks_to_race and _mostly_away(athlete, first, first_days, index + 1),
        away_now=_mostly_away(athlete, first, first_days, index),
        away_soon=index + 1 < weeks_to_race and _mostly_away(athlete, first, first_days, index + 2),
        b_race_now=holds_b_race(athlete, *_week_dates(first, first_days, index)),
    )
    # the phase's own sessions, or the first week with a light session (no new high with it);
    # not an injury-prone athlete's every-other-week one: their slow ramp is not held again
    quality = _brings(blueprint, length) or (raced_quality and frame.raced and not volume.had_light)
    level, why, cutback = volume.building(rule, quality, index, rest)
    return level, why, cutback, None


def _brings(blueprint: Blueprint, length: PhaseLength) -> bool:
    """Whether the phase of ``length`` holds quality sessions of its own (for this athlete;
    a raced athlete's light sessions aside)."""
    assert length.program_phase is not None
    phase = blueprint.phases[length.program_phase.phase]
    return phase.sessions(blueprint.athlete.injury_prone) > 0


def _back_from_break(
    volume: _Progression, level: float, back: tuple[int, bool], share_back: float
) -> tuple[float, str, float]:
    """A week back from a break (``back``: 0 the week with the first days back, 1 the week
    after, ...; and whether it runs easy, WeekPlan.first_back): its level, ``share_back`` of
    the level before the break (the program's `return_from_break.levels`), why, and the level
    the weeks after come back to."""
    # the level before the break, not a ramp step taken on it in the week back
    unramped = min(level, volume.unramped) if volume.unramped else level
    volume.return_to = max(volume.return_to or 0.0, unramped)
    why = (
        f"{BACK_FROM_BREAK} of {BREAK_DAYS} days or more, week {back[0] + 1}: "
        f"{share_back:.0%} of the level before ({volume.km(volume.return_to)}), "
        + (
            "easy running only"
            if back[0] == 0
            else "easy running, a light session at most"
            if back[1]
            else "one quality session"
        )
    )
    return volume.return_to * share_back, why, volume.return_to


def _moved_on(
    blueprint: Blueprint,
    volume: _Progression,
    length: PhaseLength,
    level: float,
    rested: bool,
    raced_quality: bool = False,
) -> None:
    """``volume`` after a week at ``level``: its weeks since a lighter one (a cutback or days
    away, or a phase that does not build, resets them), its quality so far (the phase's own,
    and a raced athlete's light sessions apart) and its peak (before race day)."""
    program_phase = length.program_phase
    assert program_phase is not None
    lighter = rested or not blueprint.volume_rule(program_phase).progression.builds
    volume.since_lighter = 0 if lighter else volume.since_lighter + 1
    volume.level = level
    volume.had_quality = volume.had_quality or _brings(blueprint, length)
    volume.had_light = volume.had_light or raced_quality
    volume.since_light = 0 if raced_quality else volume.since_light + 1
    if not program_phase.after_race:
        volume.peak = max(volume.peak, level)


def _cycles_as_one_phase(weeks: Sequence[WeekPlan]) -> list[WeekPlan]:
    """The weeks with a phase repeated back to back (a long runway's build cycles) numbered as
    one phase: week 6 of 11, not week 1 of 6 again.  A session's params and growth progress
    over the whole build, so the second cycle builds on the first (a masters 10K went from
    9x400 in the first cycle back to 6x400 in the second), and race-specific work falls in
    the second half of the whole build."""
    result: list[WeekPlan] = []
    run: list[WeekPlan] = []
    for week in [*weeks, None]:
        if run and (week is None or week.phase != run[0].phase):
            result += [replace(w, phase_week=i, phase_weeks=len(run)) for i, w in enumerate(run, 1)]
            run = []
        if week is not None:
            run.append(week)
    return result


# cutbacks this far apart, or more, may wait a week for a trip two weeks on (`away_soon`)
CUTBACK_WAITS_FROM = 4
BREAK_DAYS = 7  # days without running in a row: a break the body feels (Daniels: after more
# than 5 days off, the first days back are at reduced load); a whole week away, then a full
# week with new quality sessions, is the jump a coach would not sign
# the most days without running next to a trip that count toward its break, on either side (a
# weekend before or after it; a sparse week's usual gaps between runs are no break)
BREAK_EDGE_DAYS = 2
TRIP_DAYS = 4  # days away in a week that make it a rest of its own (with half its runs gone)


def _week_dates(first: dt.date, first_days: int, index: int) -> tuple[dt.date, int]:
    """The first day and the length in days of week ``index`` (1-based; 0 is the week before
    the plan), week 1 starting ``first`` and spanning ``first_days`` (resolve.first_week)."""
    if index <= 1:
        return first - dt.timedelta(weeks=1 - index), first_days if index == 1 else 7
    return first + dt.timedelta(days=first_days + 7 * (index - 2)), 7


def _running_days(athlete: Athlete, start: dt.date, days: int) -> int:
    """How many of the athlete's running days the week starting ``start`` spans: their count
    in a seven-day week, more in a first week joined to the next."""
    span = (start + dt.timedelta(days=i) for i in range(days))
    return sum(1 for d in span if d.weekday() in athlete.availability.days)


def _running_days_before(athlete: Athlete, week_start: dt.date) -> int:
    """How many of the athlete's running days in the week starting ``week_start`` come before
    the plan's first day (a first week cut short by its start holds only its share)."""
    if athlete.start is None or week_start >= athlete.start:
        return 0
    days = (week_start + dt.timedelta(days=i) for i in range(7))
    return sum(1 for d in days if d < athlete.start and d.weekday() in athlete.availability.days)


def _days_without_running(athlete: Athlete, away: Away) -> tuple[dt.date, dt.date]:
    """The first and last day of the break ``away`` makes: the days away and the days next to
    them the athlete does not run on (their body counts from the last run, not from the day
    they leave: away Saturday to Sunday after a Thursday run is ten days without running)."""
    runs_on = set(athlete.availability.days)
    first, last = away.start, away.end
    for _ in range(BREAK_EDGE_DAYS):
        before = first - dt.timedelta(days=1)
        if before.weekday() in runs_on or (athlete.start is not None and before < athlete.start):
            break
        first = before
    for _ in range(BREAK_EDGE_DAYS):
        if (last + dt.timedelta(days=1)).weekday() in runs_on:
            break
        last += dt.timedelta(days=1)
    return first, last


def _weeks_back(athlete: Athlete, start: dt.date, days: int, weeks_back: int) -> int | None:
    """0 when the week starting ``start`` (of ``days`` days) has the first days back from a
    break of BREAK_DAYS or more days without running, 1 for the week after it, and so on for
    the ``weeks_back`` weeks of the return; None otherwise.  A break in the return from
    another starts the return again: the latest return's week counts."""
    found: list[int] = []
    for back in _first_days_back(athlete):
        if start <= back < start + dt.timedelta(days=days):
            return 0
        since = (start - back).days - 1
        if since >= 0 and since // 7 + 1 < weeks_back:
            found.append(since // 7 + 1)
    return min(found, default=None)


def holds_b_race(athlete: Athlete, start: dt.date, days: int) -> bool:
    """Whether the week starting ``start`` (of ``days`` days) holds a B race: its light week
    (minor_races, `minor_races.b_week_volume`) is the cycle's cutback, and the cutback cycle
    starts again after it (review 21: a cutback right after a B 10K's light week)."""
    end = start + dt.timedelta(days=days)
    return any(
        race.priority == RacePriority.B and start <= race.date < end for race in athlete.other_races
    )


def _back_share(blueprint: Blueprint, start: dt.date, days: int) -> tuple[int | None, float | None]:
    """The week starting ``start`` back from a break (_weeks_back: 0 the week with the first
    days back, ...) and its share of the level before (`return_from_break.levels` for the
    athlete and the break's length); (None, None) for no week back.  A week past the levels
    that starts fewer than `easy_days` after the first day back (short levels, a break ending
    late in its week) is still a week back, at the full level but easy, and no cutback."""
    athlete = blueprint.athlete
    levels = blueprint.program.rules.return_levels_for(
        athlete.injury_prone, _break_days(athlete, start, days)
    )
    back = _weeks_back(athlete, start, days, len(levels) + 1)
    if back is None or (back == len(levels) and not few_days_back(blueprint, start)):
        return None, None
    return back, levels[back] if back < len(levels) else 1.0


def _break_days(athlete: Athlete, start: dt.date, days: int) -> int | None:
    """The days without running of the latest break that ends before the week starting
    ``start`` (of ``days`` days) ends (None: none), which picks its return levels
    (ProgramRules.return_levels_for: a week's trip comes back quicker than a month off)."""
    end = start + dt.timedelta(days=days)
    ended = [(last, (last - first).days + 1) for first, last in breaks(athlete) if last < end]
    return max(ended)[1] if ended else None


def breaks(athlete: Athlete) -> list[tuple[dt.date, dt.date]]:
    """The first and last day of each break of BREAK_DAYS or more days without running (the
    days away and the non-running days next to them: _days_without_running)."""
    spans = (_days_without_running(athlete, away) for away in athlete.away)
    return [(first, last) for first, last in spans if (last - first).days + 1 >= BREAK_DAYS]


def _first_days_back(athlete: Athlete) -> list[dt.date]:
    """The first day back from each break of BREAK_DAYS or more days without running."""
    return [last + dt.timedelta(days=1) for _first, last in breaks(athlete)]


def too_soon_back(blueprint: Blueprint, day: dt.date) -> bool:
    """Whether ``day`` comes fewer than the program's `return_from_break.light_after_days`
    after a break's first day back (that day included): no session then, not even the week
    back's light one (review 21: a fartlek on the third day back, after one run)."""
    after = blueprint.program.rules.return_light_after_days
    return any(0 <= (day - back).days < after for back in _first_days_back(blueprint.athlete))


def few_days_back(blueprint: Blueprint, start: dt.date) -> bool:
    """Whether the week starting ``start`` follows a break's first days back by fewer than the
    program's `return_from_break.easy_days`: the second week back is then easy too, as the
    first (Daniels: the return's first half at half the load; round 13 put 6 x 400 four days
    after eight days off, round 20 cruise intervals five days after ten)."""
    easy = blueprint.program.rules.return_easy_days
    return any(0 < (start - back).days < easy for back in _first_days_back(blueprint.athlete))


def _mostly_away(athlete: Athlete, first: dt.date, first_days: int, index: int) -> bool:
    """Whether week ``index`` is mostly a trip: the athlete is away on at least half of their
    running days and TRIP_DAYS days or more (one Tuesday away of two running days is no rest)."""
    start, days = _week_dates(first, first_days, index)
    running = _running_days(athlete, start, days)
    span = (start + dt.timedelta(days=i) for i in range(days))
    away = sum(1 for day in span if athlete.away_on(day))
    return running > 0 and athlete.days_away(start, days) * 2 >= running and away >= TRIP_DAYS


def _brings_quality(blueprint: Blueprint, lengths: Sequence[PhaseLength], at: int) -> bool:
    """Whether the phase at ``at`` in ``lengths`` (if any, and before the race) has quality."""
    if at >= len(lengths) or lengths[at].after_race:
        return False
    program_phase = lengths[at].program_phase
    assert program_phase is not None
    phase = blueprint.phases[program_phase.phase]
    injury = blueprint.athlete.injury_prone
    return (phase.quality_sessions_injury_prone if injury else phase.quality_sessions) > 0


FRESH_RACE_DAYS = 84  # a race this recent shows the athlete is race-fit
SOLID_BASE_LEAST_M = 20_000.0  # a beginner's 15 km a week is no solid base, however near its cap
# Of the peak cap: a race-fit athlete running this much has the base already.  The cap is at
# most `peak_from_current` (170%) of the current volume, so at 55% of it the athlete runs about
# what the plan's peak weeks will be near; a low-volume athlete, whose cap is their volume plus
# the program's `peak_min_gain`, falls below and gets the base their gap needs.
SOLID_BASE = 0.55


def _raced(blueprint: Blueprint, first: dt.date, careful: bool = False) -> bool:
    """Whether the athlete raced in the FRESH_RACE_DAYS before the plan's first day and is
    not injury-prone: they have a base to build on, so a phase's `quality_sessions_raced`
    (the bundled base's one light session a week from its week 1: Daniels' Phase I-II, Hudson's
    hill sprints) apply; the injury-prone keep the conservative base of easy running (but for
    a short base's `quality_every_raced_careful`: ``careful`` asks whether they raced and are
    injury-prone)."""
    athlete = blueprint.athlete
    raced = athlete.recent_race.date
    return (
        raced is not None
        and 0 <= (first - raced).days <= FRESH_RACE_DAYS
        and athlete.injury_prone == careful
    )


def _solid_base(blueprint: Blueprint, volume: _Progression, first: dt.date) -> bool:
    """Whether the athlete has a solid base already: a race in the last 12 weeks, not
    injury-prone, and running near the plan's peak (SOLID_BASE of the cap; "if you've got a
    solid base, layer in speed work"): their base is the program's shortest."""
    athlete = blueprint.athlete
    raced = athlete.recent_race.date
    return (
        raced is not None
        and 0 <= (first - raced).days <= FRESH_RACE_DAYS
        and not athlete.injury_prone
        and athlete.weekly_volume_m >= max(SOLID_BASE * volume.cap, SOLID_BASE_LEAST_M)
    )


# Of the peak cap: an athlete this near it with a recent race gets quality in the first 5 weeks
# (rule 8): a short base, unless their base weeks hold its light session
NEAR_VOLUME = 0.70


def _near_volume(blueprint: Blueprint, volume: _Progression, first: dt.date) -> bool:
    """Whether the athlete runs near the plan's peak already (NEAR_VOLUME of the cap) with a
    recent race and no injury: rule 8's "gets quality within the first 5 weeks"."""
    athlete = blueprint.athlete
    raced = athlete.recent_race.date
    return (
        raced is not None
        and 0 <= (first - raced).days <= FRESH_RACE_DAYS
        and not athlete.injury_prone
        and athlete.weekly_volume_m >= NEAR_VOLUME * volume.cap
    )


def _days_from_long(blueprint: Blueprint, gap: int) -> bool:
    """Whether the athlete's week has a running day ``gap`` days or more from the long-run day,
    either side."""
    days = blueprint.athlete.availability
    long_day = days.long_run_day
    return any(min((d - long_day) % 7, (long_day - d) % 7) >= gap for d in days.days)


def light_session_gap(blueprint: Blueprint) -> int:
    """The days a raced athlete's light base session (a short fartlek) keeps from the long run
    and other hard days: hard_days_apart; for a masters athlete whose week has no day that far
    from the long run, the program's plain `hard_days_apart` (Daniels and Pfitzinger still give
    a masters runner light quality in the base: a 50-year-old with a Tuesday long run on
    Monday to Thursday and Sunday had none, no day of his being 72 h from the long run)."""
    gap = hard_days_apart(blueprint)
    plain = blueprint.program.rules.hard_days_apart
    return gap if _days_from_long(blueprint, gap) else min(gap, plain)


def _hard_day_besides_long(blueprint: Blueprint) -> bool:
    """Whether the athlete's week has a day for a hard session light_session_gap from the long
    run, either side: a base week can then hold a raced athlete's light session (the schedule
    drops it otherwise: three days in a row), and a long base still brings quality by
    week 5."""
    return _days_from_long(blueprint, light_session_gap(blueprint))


def _base_weeks(blueprint: Blueprint, volume: _Progression, first: dt.date) -> int | None:
    """The weeks of ramping the athlete's volume gap needs, when the program opens with a phase
    that has no quality sessions (a base); None otherwise.  An athlete with a solid base needs
    none (0): the base is the program's shortest."""
    before = [p for p in blueprint.program.phases if not p.after_race]
    if len(before) < 2:
        return None
    phase = blueprint.phases[before[0].phase]
    injury = blueprint.athlete.injury_prone
    if (phase.quality_sessions_injury_prone if injury else phase.quality_sessions) > 0:
        return None
    rule = blueprint.volume_rule(before[0])
    if not rule.progression.builds:
        return None
    if _solid_base(blueprint, volume, first):
        return 0
    # the weeks to close the gap, and one more to hold the level before quality begins
    until = blueprint.program.rules.base_until * volume.cap
    return ramp_weeks(volume.start, until, rule, injury, volume.cutback_every(rule)) + 1
