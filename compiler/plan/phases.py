"""The program's phases fitted to the weeks before race day (part of stage 4, periodize).

Each pre-race phase is scaled to the runway within its ``min_weeks`` and ``max_weeks``; the
taper keeps its default length while the others give way; the base lasts as long as the
athlete's volume needs (short for a solid base), and a runway longer than every phase's maximum
repeats the first build phase.  Every length carries the reason it was chosen, which
``planc explain`` shows.  periodize.py decides the base the athlete needs and lays the weeks
out; this module only fits the lengths.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from ..model import ProgramPhase


@dataclass(frozen=True)
class PhaseLength:
    phase: str
    weeks: int
    reason: str
    after_race: bool = False
    program_phase: ProgramPhase | None = None


def _bounded(phase: ProgramPhase, value: int, ceiling: int) -> int:
    upper = phase.max_weeks if phase.max_weeks is not None else ceiling
    return max(phase.min_weeks, min(upper, value))


def _rest_before_race(before: Sequence[ProgramPhase]) -> int:
    """The fewest weeks ``before`` fits in with its last phase (the one ending on race day, the
    taper) at its default length and the others at their minimum."""
    return sum(p.min_weeks for p in before[:-1]) + max(before[-1].weeks, before[-1].min_weeks)


def _scaled(before: Sequence[ProgramPhase], weeks: int) -> list[int]:
    """Each pre-race phase's weeks, in proportion to its default, within its bounds.  The last
    phase, the one ending on race day (the taper), keeps its default length while the others
    can give way: a short runway shortens the base and the build, not the rest before the race
    (a half marathon's peak week right before race week leaves no taper)."""
    default = sum(p.weeks for p in before)
    targets = [p.weeks * weeks / default for p in before]
    alloc = [_bounded(p, round(t), weeks) for p, t in zip(before, targets, strict=True)]
    last = len(before) - 1
    protected: set[int] = set()
    if last > 0 and _rest_before_race(before) <= weeks:
        alloc[last] = max(alloc[last], _bounded(before[last], before[last].weeks, weeks))
        protected.add(last)
    while sum(alloc) < weeks:
        growable = [
            i for i, p in enumerate(before) if p.max_weeks is None or alloc[i] < p.max_weeks
        ] or [0]
        grow = max(growable, key=lambda i: (targets[i] - alloc[i], -i))
        alloc[grow] += 1
    while sum(alloc) > weeks:
        shrinkable = [
            i for i, p in enumerate(before) if alloc[i] > p.min_weeks and i not in protected
        ] or [i for i, p in enumerate(before) if alloc[i] > p.min_weeks]
        shrink = max(shrinkable, key=lambda i: (alloc[i] - targets[i], -i))
        alloc[shrink] -= 1
    return alloc


SOLID_BASE_WEEKS = 4  # the base of an athlete with a solid base: quality from week 5
SOLID_BASE_MIN = 1  # ...and at least this, when a short runway needs the weeks for the build
RUNWAY_BASE_SHORT = 1  # weeks a base grown by a long runway stays below the phase's maximum


def _fitted(
    before: Sequence[ProgramPhase],
    weeks: int,
    base_weeks: int | None,
    runway_base: bool = True,
    base_grows: bool = True,
) -> list[tuple[ProgramPhase, int]]:
    """The pre-race phases fitted to ``weeks``.  With ``base_weeks`` (the weeks the athlete's
    volume gap needs), the first phase, a base, lasts that long within its bounds and the others
    share the rest; with ``runway_base``, weeks the other phases cannot take go to the base, up
    to its maximum (and past the phases' longest with ``base_grows``: _long_runway); a runway
    longer than every phase's maximum repeats the first build phase
    after the base, so no stretch without quality work is longer than the base's maximum and
    quality, once begun, is not switched off again before the taper."""
    if base_weeks is None or len(before) < 2:
        return list(zip(before, _scaled(before, weeks), strict=True))
    base, rest = before[0], before[1:]
    rest_max = sum(p.max_weeks if p.max_weeks is not None else p.weeks for p in rest)
    base_cap = base.max_weeks if base.max_weeks is not None else base.weeks
    base_min = base.min_weeks
    if base_weeks == 0:
        # an athlete with a solid base gets a short base (speed work by week 5), and on a short
        # runway the build keeps its default length before the base keeps the program's
        # minimum: "if you've got a solid base, layer in speed work"
        base_min = min(base_min, SOLID_BASE_MIN)
        rest_default = sum(p.weeks for p in rest)
        wanted = max(base_min, min(base_cap, SOLID_BASE_WEEKS, weeks - rest_default))
    else:
        wanted = max(base_min, min(base_cap, base_weeks))
    # the base is short only as far as the runway needs: once the build and the taper have
    # their longest, the weeks beyond go to the base, up to its maximum, before the build
    # repeats (rule 8: a 28-week marathon had a 4-week base and 21 weeks of quality)
    if runway_base:  # a week short of its maximum: the build's first weeks may hold no session
        # (a cutback, a trip, a marathon-pace long run), and ten in a row is past rule 8
        wanted = max(wanted, min(base_cap - RUNWAY_BASE_SHORT, weeks - rest_max))
    # a base at most a week longer than the athlete needs (none longer for an athlete with a
    # solid base): spare weeks go to the build or to cycles instead
    base_cap = min(base_cap, wanted + (1 if base_weeks else 0))
    rest_least = sum(p.min_weeks for p in rest)
    if weeks - base_min >= _rest_before_race(rest):
        # the base gives way, down to its minimum, before the taper is cut short
        rest_least = _rest_before_race(rest)
    rest_weeks = min(rest_max, max(weeks - wanted, rest_least))
    base_len = weeks - rest_weeks
    if base_len <= base_cap:
        if base_len < base_min:
            return list(zip(before, _scaled(before, weeks), strict=True))
        return [(base, base_len), *zip(rest, _scaled(rest, rest_weeks), strict=True)]
    spare = base_len - wanted
    return _long_runway(base, rest, (wanted, spare if base_grows else 0), spare, rest_weeks)


def _long_runway(
    base: ProgramPhase,
    rest: Sequence[ProgramPhase],
    grown: tuple[int, int],
    spare: int,
    rest_weeks: int,
) -> list[tuple[ProgramPhase, int]]:
    """A runway longer than the base the athlete needs (``wanted``) and the phases after it at
    their longest (``rest_weeks``): the ``spare`` weeks go to the base first, up to a week short
    of its maximum (RUNWAY_BASE_SHORT; its maximum for a leftover too short for a build cycle),
    then to cycles of the first build phase in front of the program's own build phases, none
    past the phase's `max_weeks` (round 19: a 4-week base and a 13-week build on a 20-week
    marathon runway; a 4-week base and 19 weeks of build on 26).  Once quality has begun it
    stays (the cutback weeks give the rest): a base between two builds would switch it off and
    on again.  A leftover too short for a cycle of the build's `min_weeks` takes weeks from the
    program's build (at its longest) to make one.  ``grown``: the base's weeks and the most of
    the spare weeks it may take (none for an athlete near the peak whose base weeks hold no
    light session: rule 8's quality by week 5)."""
    wanted, may_take = grown
    build = rest[0]
    rest_fitted = list(zip(rest, _scaled(rest, rest_weeks), strict=True))
    base_most = base.max_weeks if base.max_weeks is not None else base.weeks
    to_base = min(may_take, max(0, base_most - RUNWAY_BASE_SHORT - wanted))
    wanted, remaining = wanted + to_base, spare - to_base
    if 0 < remaining < build.min_weeks and wanted + remaining <= base_most and may_take:
        wanted, remaining = wanted + remaining, 0
    most = build.max_weeks if build.max_weeks is not None else build.weeks
    count = 0
    if remaining:  # cycles near the build's default length, none past its max
        count = max(1, round(remaining / build.weeks), -(-remaining // max(most, 1)))
    cycles = [(build, remaining // count + (i < remaining % count)) for i in range(count)]
    if cycles and cycles[-1][1] < build.min_weeks:  # a short cycle takes the build's weeks
        short = build.min_weeks - cycles[-1][1]
        cycles[-1] = (build, build.min_weeks)
        rest_fitted[0] = (build, rest_fitted[0][1] - short)
    return [(base, wanted), *cycles, *rest_fitted]


@dataclass(frozen=True)
class _Fitting:
    """What the reason for a fitted phase's length reads: the pre-race phases, the weeks they
    fill and the program's default total of them, the base's weeks (None: the program's own
    base; 0: a solid base) and the base weeks it needs before spare weeks go to it."""

    before: Sequence[ProgramPhase]
    weeks: int
    default: int
    base_weeks: int | None
    needed: int


def phase_lengths(
    phases: Sequence[ProgramPhase],
    weeks: int,
    base_weeks: int | None = None,
    runway_base: bool = True,
    base_grows: bool = True,
) -> list[PhaseLength]:
    """Fit the pre-race phases to ``weeks`` (see _fitted), never below a phase's ``min_weeks``
    nor above its ``max_weeks``; after-race phases keep their length."""
    before = [p for p in phases if not p.after_race]
    minimum = sum(p.min_weeks for p in before)
    if weeks < minimum:
        raise ValueError(f"{weeks} weeks is fewer than the program's minimum of {minimum}")
    default = sum(p.weeks for p in before)
    fitted = _fitted(before, weeks, base_weeks, runway_base, base_grows)
    needed = SOLID_BASE_WEEKS if base_weeks == 0 else (base_weeks or 0) + 1
    fitting = _Fitting(before, weeks, default, base_weeks, needed)
    seen: set[str] = set()
    result = []
    cycles = range(1, 1 + len(fitted) - len(before))  # the repeated build phases
    for at, (phase, count) in enumerate(fitted):
        if at in cycles:
            reason = (
                f"{count} weeks, build cycle {at} of {len(cycles)}: the runway is longer than "
                "the program, so its build repeats (the cutback weeks give the rest)"
            )
        elif phase.phase in seen and phase is not fitted[-1][0]:
            reason = f"{count} weeks, the program's own {phase.phase} after the build cycles"
        else:
            first_time = phase.phase not in seen
            base = _base_reason(fitting, phase, count) if first_time else None
            reason = base or _fit_reason(fitting, phase, count)
        seen.add(phase.phase)
        result.append(
            PhaseLength(
                phase.phase, count, re.sub(r"\b1 weeks", "1 week", reason), program_phase=phase
            )
        )
    result.extend(
        PhaseLength(
            p.phase, p.weeks, f"{p.weeks} week{'s' * (p.weeks != 1)} after race day", True, p
        )
        for p in phases
        if p.after_race
    )
    return result


def _base_reason(fitting: _Fitting, phase: ProgramPhase, count: int) -> str | None:
    """Why the base (the first pre-race phase, met for the first time) is ``count`` weeks when
    its length was set by the athlete's base weeks: the runway's spare weeks, a solid base, or
    as long as the athlete's volume needs; None when the program's own base is fitted."""
    base_weeks = fitting.base_weeks
    if base_weeks is None or phase is not fitting.before[0]:
        return None
    most = phase.max_weeks if phase.max_weeks is not None else phase.weeks
    if count > max(fitting.needed, phase.min_weeks):
        return (
            f"{count} weeks: the build and the taper have their longest, so the runway's "
            f"spare weeks go to the base before the build repeats (at most {most} weeks)"
        )
    if base_weeks == 0:
        return (
            f"{count} weeks: a recent race and the volume to match show a solid base, so "
            f"speed work starts soon (a base of at most {SOLID_BASE_WEEKS} weeks)"
        )
    return (
        f"{count} weeks: the base lasts as long as the athlete's volume needs "
        f"({base_weeks} weeks of ramp, within {phase.min_weeks}-{most})"
    )


def _fit_reason(fitting: _Fitting, phase: ProgramPhase, count: int) -> str:
    """Why a phase fitted to the runway is ``count`` weeks: the program's default, its minimum
    or maximum, past its maximum, or scaled to fit the weeks to race day."""
    weeks, default, last = fitting.weeks, fitting.default, fitting.before[-1]
    if weeks == default and count == phase.weeks:
        return f"{count} weeks, the program's default"
    if count == phase.weeks and phase is last and weeks > default:
        return f"{count} weeks, the program's default"
    if count == phase.weeks and phase is last and weeks < default:
        return (
            f"{count} weeks, the program's default: a short runway shortens the phases "
            "before it, not the rest before the race"
        )
    if count == phase.min_weeks and count != phase.weeks:
        return f"{count} weeks, the phase's minimum (default {phase.weeks})"
    if phase.max_weeks is not None and count > phase.max_weeks:
        return (
            f"{count} weeks, beyond the phase's maximum ({phase.max_weeks}): the base is as "
            "long as it should be, and the spare weeks are too few for another cycle"
        )
    if phase.max_weeks is not None and count == phase.max_weeks != phase.weeks:
        return f"{count} weeks, the phase's maximum (default {phase.weeks})"
    return f"{count} weeks, scaled from {phase.weeks} to fit {weeks} weeks to race day"
