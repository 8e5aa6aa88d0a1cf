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
from .model import Blueprint, PhaseTemplate, ProgramPhase, VolumeRule, WeekPlan
from .resolve import plan_start, week_of
from .units import format_distance


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


def _rule(phase: PhaseTemplate, program_phase: ProgramPhase) -> VolumeRule:
    return program_phase.volume or phase.volume


def periodize(blueprint: Blueprint, today: dt.date) -> tuple[list[WeekPlan], list[PhaseLength]]:
    athlete, program = blueprint.athlete, blueprint.program
    units = athlete.units
    first = plan_start(athlete.start, athlete.week_start, today)
    race_week = week_of(athlete.race.date, athlete.week_start)
    weeks_to_race = (race_week - first).days // 7 + 1
    try:
        lengths = phase_lengths(program.phases, weeks_to_race)
    except ValueError as exc:
        raise PlanError([error("race-too-soon", str(exc), athlete.source.file, None)]) from None

    injury = athlete.injury_prone
    cap = program.peak_volume_m
    if athlete.max_weekly_volume_m is not None:
        cap = min(cap, athlete.max_weekly_volume_m)
    start_volume = athlete.weekly_volume_m
    if athlete.max_weekly_volume_m is not None:
        start_volume = min(start_volume, athlete.max_weekly_volume_m)
    cap = max(cap, min(start_volume, athlete.max_weekly_volume_m or start_volume))

    def km(metres: float) -> str:
        return format_distance(metres, units)

    weeks: list[WeekPlan] = []
    previous = 0.0
    previous_level = 0.0  # the week before's volume had nobody been away
    peak = 0.0
    before_cutback: float | None = None  # the level to return to after a cutback week
    since_cutback = 0
    previous_quality = 0
    index = 0
    for length, program_phase in zip(lengths, program.phases, strict=True):
        phase = blueprint.phases[program_phase.phase]
        rule = _rule(phase, program_phase)
        quality = phase.quality_sessions_injury_prone if injury else phase.quality_sessions
        next_rules = [
            _rule(blueprint.phases[p.phase], p).progression
            for p in program.phases[program.phases.index(program_phase) + 1 :]
        ]
        for phase_week in range(1, length.weeks + 1):
            index += 1
            # the last week before a taper or recovery is no cutback: the taper is the rest
            before_taper = phase_week == length.weeks and next_rules[:1] in (["taper"], ["recover"])
            cutback = False
            share_of_peak: float | None = None
            if rule.progression in ("taper", "recover"):
                from_race = (
                    length.weeks - phase_week if rule.progression == "taper" else phase_week - 1
                )
                share = rule.level(from_race, length.weeks, phase_week)
                share_of_peak = share
                target = peak * share
                why = f"{rule.progression}: {share:.0%} of the peak week ({km(peak)})"
                if rule.progression == "taper" and target > previous_level:
                    target = previous_level
                    why += f", held at the week before ({km(previous_level)}): a taper never rises"
            elif index == 1:
                target = start_volume
                why = f"the athlete's current weekly volume ({km(start_volume)})"
                if start_volume < athlete.weekly_volume_m:
                    why += ", capped by max_weekly_volume"
            else:
                every = rule.cutback_every_injury_prone if injury else rule.cutback_every
                increase = rule.max_increase_injury_prone if injury else rule.max_increase
                if every and since_cutback + 1 >= every and not before_taper:
                    target = previous * (1 - rule.cutback)
                    before_cutback = previous
                    cutback = True
                    why = (
                        f"cutback week: {rule.cutback:.0%} below the week before "
                        f"(every {every} weeks{' when injury-prone' if injury else ''})"
                    )
                elif before_cutback is not None:
                    target = before_cutback
                    why = f"back to the level before the cutback ({km(before_cutback)})"
                    if quality > 0 and previous_quality == 0:
                        why += (
                            ", not above it: the first week with quality sessions never raises "
                            "volume to a new high"
                        )
                elif quality > 0 and previous_quality == 0:
                    target = previous
                    why = (
                        "held: the first week with quality sessions never raises volume "
                        "to a new high"
                    )
                elif rule.progression == "hold":
                    target = previous
                    why = "hold: volume stays at the week before"
                else:
                    target = min(previous * (1 + increase), max(cap, previous))
                    why = (
                        f"ramp: at most +{increase:.0%} on the week before"
                        f"{' (injury-prone)' if injury else ''}"
                    )
                    if target >= cap and previous * (1 + increase) > cap:
                        why = f"at the peak volume cap ({km(cap)})"
                if not cutback and before_cutback is not None and target == before_cutback:
                    before_cutback = None
            since_cutback = 0 if cutback else since_cutback + 1
            if rule.progression in ("taper", "recover"):
                since_cutback = 0
            level = target  # the week's volume before days away
            away = athlete.days_away(first + dt.timedelta(weeks=index - 1))
            if away:
                running_days = len(athlete.availability.days)
                kept = (running_days - away) / running_days
                if previous and rule.progression not in ("taper", "recover"):
                    level = min(target, before_cutback or previous)  # no ramp in a week away
                    before_cutback = before_cutback or level  # and back to it afterwards
                target = level * kept
                since_cutback = 0
                why = (
                    f"{why}; cut to {kept:.0%} of {km(level)}: {away} of {running_days} "
                    "running days away"
                )
            is_race_week = index == weeks_to_race
            if is_race_week:
                target += program.distance_m
                why += f", plus the race ({km(program.distance_m)})"
            target = round(target, 0)
            weeks.append(
                WeekPlan(
                    index=index,
                    start=first + dt.timedelta(weeks=index - 1),
                    phase=phase.name,
                    phase_week=phase_week,
                    phase_weeks=length.weeks,
                    target_m=target,
                    rule=why,
                    cutback=cutback,
                    race_week=is_race_week,
                    after_race=program_phase.after_race,
                    share_of_peak=share_of_peak,
                )
            )
            previous = target - (program.distance_m if is_race_week else 0.0)
            previous_level = level
            previous_quality = quality
            if not program_phase.after_race:
                peak = max(peak, previous)  # the race itself is not training volume
    return weeks, lengths
