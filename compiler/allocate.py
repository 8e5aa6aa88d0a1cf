"""A week's volume shared out among its sessions (part of stage 7, expand).

The long run takes the focus's share (never less than the week's average run, within its safety
limits), the other runs share what is left with none longer than the long run, and the week is
kept mostly easy: when it is not, or when a session is too big for the week, intensity is taken
out in order of importance (trim, then ease the long run, then replace).  The rules hold for what
the athlete actually runs, not only for the nominal plan.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass

from .model import (
    Blueprint,
    Paces,
    ScheduledWeek,
    Slot,
    Step,
    StepTemplate,
    Workout,
)
from .sessions import Draft, draft, fixed_and_fill
from .units import (
    METRES_PER,
    Amount,
    UnitError,
    format_distance,
    parse_amount,
)

# How big a session's `fill` is next to an easy run's: a recovery run is shorter, and a quality
# session's easy running comes on top of its fixed work.
FILL_WEIGHTS = {"easy": 1.0, "recovery": 0.75, "quality": 0.5}


LONG_RUN_WINDOW = dt.timedelta(days=30)


def _round_unit(metres: float, unit_m: float, step: float) -> float:
    return round(metres / (unit_m * step)) * unit_m * step


def _floor_unit(metres: float, unit_m: float) -> float:
    """Down to a tenth of the athlete's unit."""
    return math.floor(metres / (unit_m * 0.1) + 1e-9) * unit_m * 0.1


def _round_within(metres: float, limit: float, unit_m: float) -> float:
    """To half units, which read well, unless that passes ``limit``: then down to a tenth."""
    rounded = _round_unit(metres, unit_m, 0.5)
    return rounded if rounded <= limit + 1e-6 else _floor_unit(min(metres, limit), unit_m)


@dataclass(frozen=True)
class _Allocation:
    """How a week's volume is shared out: the fill of each draft, the drafts dropped."""

    fill: Mapping[int, float]
    dropped: frozenset[int]
    target: float  # the week's target, lowered when its runs cannot hold more
    notes: tuple[str, ...]


def _long_run(
    bp: Blueprint,
    paces: Paces,
    drafts: Sequence[Draft],
    runs: Sequence[int],
    history: Sequence[tuple[dt.date, float]],
    target: float,
    active_runs: int,
    fill: dict[int, float],
) -> tuple[float, list[str]]:
    """Size the week's long run (its fill goes into ``fill``): its total and what held it."""
    program, units = bp.program, bp.athlete.units
    unit_m = METRES_PER[units]
    for i in runs:
        draft = drafts[i]
        if draft.slot.role != "long":
            continue
        recent = [m for day, m in history if draft.slot.date - day <= LONG_RUN_WINDOW]
        longest = max(recent) if recent else history[-1][1]
        wanted = max(bp.focus.long_run_share * target, target / max(active_runs, 1))
        long_cap_m = program.long_run_max_s / paces.zones["easy"].mid * 1000
        limit = min(long_cap_m, longest * (1 + program.long_run_growth))
        total = max(min(wanted, limit), draft.fixed_m)
        notes = []
        if wanted > limit:
            why = (
                f"{program.long_run_max_s / 60:.0f} min at easy pace"
                if limit == long_cap_m
                else f"+{program.long_run_growth:.0%} on the longest run of the last 30 days"
            )
            notes.append(f"long run held to {format_distance(total, units)} ({why})")
        # half units read well; when a safety limit holds the long run, round down finely
        # instead, or rounding would undo the growth the limit allows
        if wanted > limit:  # held by a safety limit: keep all the growth it allows
            total = max(_floor_unit(total, unit_m), draft.fixed_m)
        else:
            total = max(_round_within(total, limit, unit_m), draft.fixed_m)
        fill[i] = max(total - draft.fixed_m, 0.0) if draft.has_fill else 0.0
        return draft.fixed_m + fill[i], notes
    return 0.0, []


def allocate(
    bp: Blueprint,
    paces: Paces,
    week: ScheduledWeek,
    drafts: Sequence[Draft],
    history: Sequence[tuple[dt.date, float]],
    target: float,
) -> _Allocation:
    program, units = bp.program, bp.athlete.units
    unit_m = METRES_PER[units]
    notes: list[str] = []
    fill: dict[int, float] = {}
    runs = [i for i, d in enumerate(drafts) if d.slot.slot == "run"]
    # race week's target counts the race distance; the race workout's warm-up comes on top
    target += sum(d.fixed_m - program.distance_m for d in drafts if d.slot.slot == "race")
    fixed_others = sum(d.fixed_m for d in drafts if d.slot.role != "long")
    sharing = [i for i, d in enumerate(drafts) if d.has_fill and d.slot.role != "long"]
    dropped: set[int] = set()
    while True:
        # 1. the long run: the focus's share of the week, and never shorter than the week's
        #    average run (it is the longest run of the week), within the safety limits
        active_runs = len([i for i in runs if i not in dropped])
        long_total, long_notes = _long_run(
            bp, paces, drafts, runs, history, target, active_runs, fill
        )
        # 2. the other fill steps share what is left; an easy run too short to matter is dropped
        active = [i for i in sharing if i not in dropped]
        left = target - long_total - fixed_others + sum(drafts[i].fixed_m for i in dropped)
        weights = {i: FILL_WEIGHTS.get(drafts[i].slot.role, 1.0) for i in active}
        total_weight = sum(weights.values())
        shares = {i: (left * weights[i] / total_weight if total_weight else 0.0) for i in active}
        short = [
            i
            for i in active
            if drafts[i].slot.role in ("easy", "recovery")
            # the shortest easy run worth doing, but never more than the long run
            and shares[i] + drafts[i].fixed_m < min(program.min_easy_run_m, long_total or 1e9)
        ]
        if not short:
            break
        drop = max(short, key=lambda i: (drafts[i].slot.role == "recovery", drafts[i].slot.date))
        dropped.add(drop)
        notes.append(
            f"{drafts[drop].slot.date}: easy run dropped, the week's volume is too small "
            "to share out"
        )
    notes.extend(long_notes)
    fixed_others -= sum(drafts[i].fixed_m for i in dropped)
    ceiling = long_total or float("inf")  # the long run is the longest run of the week
    for i, share in shares.items():
        room = ceiling - drafts[i].fixed_m  # no session longer than the long run
        fill[i] = max(_round_within(min(share, room), room, unit_m), 0.0)
    # 3. rounding to half units leaves a small error: the largest easy run absorbs it
    planned = long_total + fixed_others + sum(fill[i] for i in shares)
    if shares:
        limit = 0.5 * unit_m * len(shares)
        error_m = max(-limit, min(limit, target - planned))
        easy = [i for i in shares if drafts[i].slot.role == "easy"] or list(shares)
        largest = max(easy, key=lambda i: (fill[i], -i))
        room = ceiling - drafts[largest].fixed_m
        fill[largest] = max(0.0, min(room, fill[largest] + _round_unit(error_m, unit_m, 0.1)))
        planned = long_total + fixed_others + sum(fill[i] for i in shares)
    long_index = next((i for i in runs if drafts[i].slot.role == "long"), None)
    taper = week.plan.share_of_peak is not None and not week.plan.after_race
    if planned > target + 0.1 * unit_m and long_index is not None and fill.get(long_index):
        # fixed work (a quality session's reps) overshoots the target: the long run gives way,
        # in a taper (sharpness before endurance) down to half the usual minimum
        least = program.min_easy_run_m * (0.5 if taper else 1.0)
        floor = max(least - drafts[long_index].fixed_m, 0.0)
        cut = min(planned - target, fill[long_index] - floor)
        if cut > 0:
            fill[long_index] = math.floor((fill[long_index] - cut) / (unit_m * 0.1)) * unit_m * 0.1
            planned = sum(drafts[i].fixed_m + fill.get(i, 0.0) for i in runs if i not in dropped)
            planned += sum(d.fixed_m for d in drafts if d.slot.slot == "race")
            notes.append("long run shortened: the week's fixed sessions already fill it")
    if taper and planned > 1.05 * target and any(d.slot.role == "quality" for d in drafts):
        notes.append(
            f"target raised from {format_distance(target, units)} to "
            f"{format_distance(planned, units)}: the taper keeps its quality session"
        )
        target = planned
    if planned < 0.95 * target:
        running = len(runs) - len(dropped)
        notes.append(
            f"target lowered from {format_distance(target, units)} to "
            f"{format_distance(planned, units)}: {running} run{'s' * (running != 1)} with "
            f"none longer than the long run ({format_distance(long_total, units)}) hold no more"
        )
        target = planned
    return _Allocation(fill, frozenset(dropped), target, tuple(notes))


def easy_share(workouts: Sequence[Workout]) -> float:
    """The share of running time at easy effort (warm-ups, easy running, recovery jogs)."""
    total = hard = 0.0
    for workout in workouts:
        for step in _running_steps(workout.steps):
            if workout.category == "race" and step.zone != "easy":
                continue  # the race effort is not training; its warm-up is easy running
            total += step.duration_s
            if step.kind not in ("recover", "jog") and step.zone not in (None, "easy"):
                hard += step.duration_s
    return 1.0 if total == 0 else 1 - hard / total


def _running_steps(steps: Iterable[Step]) -> Iterator[Step]:
    for step in steps:
        if step.kind == "repeat":
            for _ in range(step.repeat):
                yield from _running_steps(step.steps)
        elif step.kind not in ("walk", "exercise"):
            yield step


_PARAM_ONLY = re.compile(r"^\s*\{\{\s*([a-z_][a-z0-9_]*)\s*\}\}\s*$")


MIN_REPS = 2


def _repeat_params(steps: Sequence[StepTemplate]) -> Iterator[str]:
    for step in steps:
        if step.kind == "repeat":
            match = _PARAM_ONLY.match(step.repeat or "")
            if match:
                yield match.group(1)
            yield from _repeat_params(step.steps)


_FAST_PARAM = re.compile(r"^\s*\{\{\s*([a-z_][a-z0-9_]*)\s*\}\}\s*@\s*([a-z0-9]+)\s*$")


MIN_FAST = {"duration": 300.0, "distance": 1000.0}  # a fast block shorter than this is no session


def _fast_amount_params(steps: Sequence[StepTemplate]) -> Iterator[str]:
    """Parameters that set the size of a step run faster than easy ("{{ tempo }} @ threshold")."""
    for step in steps:
        if step.kind == "repeat":
            yield from _fast_amount_params(step.steps)
            continue
        match = _FAST_PARAM.match(step.target or "")
        if match and match.group(2) != "easy":
            yield match.group(1)


def _trim(paces: Paces, draft: Draft, why: str) -> tuple[Draft, str] | None:
    """The session made smaller, or None when it is down to its minimum: one rep fewer when a
    parameter counts the reps, else a quarter off a fast block a parameter sizes."""
    changed: tuple[str, object, object] | None = None
    for name in _repeat_params(draft.template.steps):
        reps = draft.context.get(name)
        if isinstance(reps, int) and reps > MIN_REPS:
            changed = (name, reps, reps - 1)
            break
    else:
        for name in _fast_amount_params(draft.template.steps):
            try:
                amount = parse_amount(str(draft.context.get(name)))
            except UnitError:
                continue
            smaller = max(amount.value * 0.75, MIN_FAST[amount.dimension])
            step = 60.0 if amount.dimension == "duration" else 100.0
            smaller = math.ceil(smaller / step) * step
            if smaller < amount.value:
                changed = (name, str(amount), str(Amount(amount.dimension, smaller)))
                break
    if changed is None:
        return None
    name, before, after = changed
    context = {**draft.context, name: after}
    fixed, has_fill = fixed_and_fill(draft.template, context, paces)
    note = (
        f"{draft.slot.date}: {draft.template.name} with {name} {after} instead of {before}: {why}"
    )
    return Draft(draft.slot, draft.template, context, fixed, has_fill), note


def soften(
    bp: Blueprint,
    paces: Paces,
    week: ScheduledWeek,
    drafts: list[Draft],
    *,
    quality_only: bool = False,
    why: str = "",
) -> str | None:
    """Take some intensity out of the week, the least important first: a rep fewer in the
    lowest-priority quality session (down to two), then the plain long run instead of one with
    a fast finish, then an easy run instead of the quality session.  Says what it did, or None
    when nothing is left to soften."""
    why = why or f"at least {bp.focus.min_easy_share:.0%} of the week's running is easy"
    quality = [i for i, d in enumerate(drafts) if d.slot.role == "quality"]
    victim = max(quality, key=lambda i: drafts[i].slot.rank) if quality else None
    if victim is not None:
        trimmed = _trim(paces, drafts[victim], why)
        if trimmed is not None:
            drafts[victim], note = trimmed
            return note
    plain_long = bp.focus.defaults.long
    hard_long = next(
        (
            i
            for i, d in enumerate(drafts)
            if d.slot.role == "long" and plain_long and d.template.name != plain_long
        ),
        None,
    )
    if hard_long is not None and not quality_only:
        return _replace(bp, paces, week, drafts, hard_long, str(plain_long), "long", why)
    if victim is not None:
        choice = bp.focus.for_phase(week.plan.phase)
        easy = choice.easy[0] if choice.easy else bp.focus.defaults.easy[0]
        return _replace(bp, paces, week, drafts, victim, easy, "easy", why)
    return None


def _replace(
    bp: Blueprint,
    paces: Paces,
    week: ScheduledWeek,
    drafts: list[Draft],
    index: int,
    name: str,
    role: str,
    why: str,
) -> str | None:
    old = drafts[index]
    if old.template.name == name:
        return None
    slot = Slot(
        old.slot.date,
        old.slot.slot,
        role,
        name,
        bp.workouts[name].intensity,
        f"{old.slot.reason}; made easy ({name} instead of {old.template.name}): {why}",
    )
    drafts[index] = draft(bp, paces, week, slot)
    return f"{old.slot.date}: {old.template.name} replaced by {name}: {why}"


def actual_ceiling(
    bp: Blueprint, week: ScheduledWeek, highest: float
) -> tuple[float, tuple[str, ...]]:
    """The week's target, held to the ramp rules applied to what the athlete actually ran:
    a week that could not hold its target (few days, days away) is followed by a week that
    grows from what was run, not from what was planned."""
    target = week.plan.target_m
    units = bp.athlete.units
    share = week.plan.share_of_peak
    if share is not None:  # taper and recovery: a share of the peak actually run
        race = bp.program.distance_m if week.plan.race_week else 0.0
        actual = highest * share + race
        if actual < target:
            return actual, (
                f"target {format_distance(actual, units)}: {share:.0%} of the most run in a "
                f"week ({format_distance(highest, units)})" + (", plus the race" if race else ""),
            )
        return target, ()
    program_phase = next(p for p in bp.program.phases if p.phase == week.plan.phase)
    rule = bp.volume_rule(program_phase)
    if rule.progression not in ("ramp", "hold") or week.plan.race_week:
        return target, ()
    injury = bp.athlete.injury_prone
    increase = rule.max_increase_injury_prone if injury else rule.max_increase
    ceiling = highest * (1 + increase)
    why = f"+{increase:.0%} on the most run in a week so far"
    if target <= ceiling:
        return target, ()
    return ceiling, (
        f"target held to {format_distance(ceiling, units)} (from "
        f"{format_distance(target, units)}): {why} ({format_distance(highest, units)})",
    )
