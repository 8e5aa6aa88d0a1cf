"""Stage 4, periodize: lay the program's phases out backwards from race day, scale them to the weeks
available, and give every week its target volume and the rule that set it.

The mechanism lives here; the numbers (ramp, cutback, taper depth, peak) come from the phase and
program templates and the athlete.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from .diagnostics import PlanError, error
from .model import Blueprint, ProgramPhase, VolumeRule, WeekPlan
from .resolve import plan_start, week_of
from .units import Unit, format_distance


@dataclass(frozen=True)
class PhaseLength:
    phase: str
    weeks: int
    reason: str
    after_race: bool = False


def phase_lengths(phases: Sequence[ProgramPhase], weeks: int) -> list[PhaseLength]:
    """Scale the pre-race phases to ``weeks`` in proportion to their default lengths, never below
    a phase's ``min_weeks`` nor above its ``max_weeks``; after-race phases keep their length."""
    before = [p for p in phases if not p.after_race]
    default = sum(p.weeks for p in before)
    minimum = sum(p.min_weeks for p in before)
    if weeks < minimum:
        raise ValueError(f"{weeks} weeks is fewer than the program's minimum of {minimum}")
    targets = [p.weeks * weeks / default for p in before]

    def bounded(index: int, value: int) -> int:
        phase = before[index]
        upper = phase.max_weeks if phase.max_weeks is not None else weeks
        return max(phase.min_weeks, min(upper, value))

    alloc = [bounded(i, round(t)) for i, t in enumerate(targets)]
    while sum(alloc) < weeks:
        growable = [
            i for i, p in enumerate(before) if p.max_weeks is None or alloc[i] < p.max_weeks
        ] or [0]
        grow = max(growable, key=lambda i: (targets[i] - alloc[i], -i))
        alloc[grow] += 1
    while sum(alloc) > weeks:
        shrinkable = [i for i, p in enumerate(before) if alloc[i] > p.min_weeks]
        shrink = max(shrinkable, key=lambda i: (alloc[i] - targets[i], -i))
        alloc[shrink] -= 1
    result = []
    for phase, count in zip(before, alloc, strict=True):
        if weeks == default:
            reason = f"{count} weeks, the program's default"
        elif count == phase.min_weeks and count != phase.weeks:
            reason = f"{count} weeks, the phase's minimum (default {phase.weeks})"
        elif phase.max_weeks is not None and count == phase.max_weeks != phase.weeks:
            reason = f"{count} weeks, the phase's maximum (default {phase.weeks})"
        else:
            reason = f"{count} weeks, scaled from {phase.weeks} to fit {weeks} weeks to race day"
        result.append(PhaseLength(phase.phase, count, reason.replace("1 weeks", "1 week")))
    result.extend(
        PhaseLength(p.phase, p.weeks, f"{p.weeks} week{'s' * (p.weeks != 1)} after race day", True)
        for p in phases
        if p.after_race
    )
    return result


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
    had_quality: bool = False

    def km(self, metres: float) -> str:
        return format_distance(metres, self.units)

    def building(self, rule: VolumeRule, quality: bool) -> tuple[float, str, bool]:
        """A ramp or hold week: its level, why, and whether it is a cutback."""
        if not self.level:
            why = f"the athlete's current weekly volume ({self.km(self.start)})"
            return self.start, why, False
        every = rule.cutback_every_injury_prone if self.injury else rule.cutback_every
        if every and self.since_lighter + 1 >= every:
            self.return_to = max(self.return_to or 0.0, self.level)
            why = (
                f"cutback week: {rule.cutback:.0%} below the week before "
                f"(every {every} weeks{' when injury-prone' if self.injury else ''})"
            )
            return self.level * (1 - rule.cutback), why, True
        first_quality = quality and not self.had_quality
        if self.return_to is not None:
            level, self.return_to = self.return_to, None
            why = f"back to the level before ({self.km(level)})"
            if first_quality:
                why += ", not above it: the week that brings quality sessions is no new high"
            return level, why, False
        if first_quality:
            why = "held: the week that brings quality sessions never raises volume to a new high"
            return self.level, why, False
        if rule.progression == "hold":
            return self.level, "hold: volume stays at the week before", False
        increase = rule.max_increase_injury_prone if self.injury else rule.max_increase
        wanted = self.level * (1 + increase)
        if wanted > self.cap >= self.level:
            return self.cap, f"at the peak volume cap ({self.km(self.cap)})", False
        level = min(wanted, max(self.cap, self.level))
        why = f"ramp: at most +{increase:.0%} on the week before"
        return level, why + (" (injury-prone)" if self.injury else ""), False

    def lighter(self, rule: VolumeRule, from_race: int, weeks: int, week: int) -> tuple[float, str]:
        """A taper or recovery week: a share of the peak; a taper never rises."""
        share = rule.level(from_race, weeks, week)
        level = self.peak * share
        why = f"{rule.progression}: {share:.0%} of the peak week ({self.km(self.peak)})"
        if rule.progression == "taper" and level > self.level:
            level = self.level
            why += f", held at the week before ({self.km(level)}): a taper never rises"
        return level, why

    def away(self, level: float, days: int, running_days: int, building: bool) -> tuple[float, str]:
        """A week with days away: its target shrinks; a building week does not ramp, and the
        week after comes back to its level."""
        if building:
            if self.level:
                level = min(level, self.return_to or self.level)
            self.return_to = level
        kept = (running_days - days) / running_days
        why = f"; cut to {kept:.0%} of {self.km(level)}: {days} of {running_days} running days away"
        return level * kept, why


def periodize(blueprint: Blueprint, today: dt.date) -> tuple[list[WeekPlan], list[PhaseLength]]:
    athlete, program = blueprint.athlete, blueprint.program
    first = plan_start(athlete.start, athlete.week_start, today)
    race_week = week_of(athlete.race.date, athlete.week_start)
    weeks_to_race = (race_week - first).days // 7 + 1
    try:
        lengths = phase_lengths(program.phases, weeks_to_race)
    except ValueError as exc:
        raise PlanError([error("race-too-soon", str(exc), athlete.source.file, None)]) from None
    athlete_max = athlete.max_weekly_volume_m or float("inf")
    volume = _Progression(
        units=athlete.units,
        injury=athlete.injury_prone,
        start=min(athlete.weekly_volume_m, athlete_max),
        cap=min(program.peak_volume_m, athlete_max),
    )
    weeks: list[WeekPlan] = []
    index = 0
    for length, program_phase in zip(lengths, program.phases, strict=True):
        if program_phase.after_race and not athlete.race.recovery:
            continue  # the athlete's plan ends with race week
        phase = blueprint.phases[program_phase.phase]
        rule = blueprint.volume_rule(program_phase)
        injury = athlete.injury_prone
        quality = (phase.quality_sessions_injury_prone if injury else phase.quality_sessions) > 0
        for phase_week in range(1, length.weeks + 1):
            index += 1
            start = first + dt.timedelta(weeks=index - 1)
            cutback, share = False, None
            if rule.progression in ("taper", "recover"):
                taper = rule.progression == "taper"
                from_race = length.weeks - phase_week if taper else phase_week - 1
                share = rule.level(from_race, length.weeks, phase_week)
                level, why = volume.lighter(rule, from_race, length.weeks, phase_week)
            else:
                level, why, cutback = volume.building(rule, quality)
            target = level
            away = athlete.days_away(start)
            if away:
                building = rule.progression not in ("taper", "recover")
                target, note = volume.away(level, away, len(athlete.availability.days), building)
                level = volume.return_to if building and volume.return_to else level
                why += note
            is_race_week = index == weeks_to_race
            if is_race_week:
                target += program.distance_m
                why += f", plus the race ({volume.km(program.distance_m)})"
            lighter = cutback or bool(away) or rule.progression in ("taper", "recover")
            volume.since_lighter = 0 if lighter else volume.since_lighter + 1
            volume.level = level
            volume.had_quality = volume.had_quality or quality
            if not program_phase.after_race:
                volume.peak = max(volume.peak, level)
            weeks.append(
                WeekPlan(
                    index=index,
                    start=start,
                    phase=phase.name,
                    phase_week=phase_week,
                    phase_weeks=length.weeks,
                    target_m=round(target, 0),
                    rule=why,
                    cutback=cutback,
                    race_week=is_race_week,
                    after_race=program_phase.after_race,
                    share_of_peak=share,
                )
            )
    return weeks, lengths
