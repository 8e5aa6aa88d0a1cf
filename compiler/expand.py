"""Stage 7, expand: each scheduled slot becomes a concrete workout.

Parameters take their value for the week of the phase, Jinja text is rendered in the sandbox, every
step gets a distance, a duration and a pace range from the athlete's paces.  The week's volume is
shared out: fixed steps first, the long run takes the focus's share (capped by the program's
long_run_max and by +10% on the longest run of the previous 30 days), and `fill` steps of the other
runs share what is left.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from .diagnostics import PlanError, error
from .model import (
    Blueprint,
    PaceRange,
    Paces,
    Plan,
    ScheduledWeek,
    Slot,
    Step,
    StepTemplate,
    Week,
    Workout,
    WorkoutTemplate,
)
from .render import RenderError, render
from .steps import param_value, parse_target
from .units import (
    METRES_PER,
    Amount,
    UnitError,
    format_distance,
    format_duration,
    format_metres_plain,
    format_pace,
    parse_amount,
)

WALK_PACE = 600.0  # seconds per km
# How big a session's `fill` is next to an easy run's: a recovery run is shorter, and a quality
# session's easy running comes on top of its fixed work.
FILL_WEIGHTS = {"easy": 1.0, "recovery": 0.75, "quality": 0.5}
LONG_RUN_WINDOW = dt.timedelta(days=30)


@dataclass(frozen=True)
class _Draft:
    """A slot being expanded: its template, context and fixed (non-fill) size."""

    slot: Slot
    template: WorkoutTemplate
    context: Mapping[str, Any]
    fixed_m: float
    has_fill: bool


def _pace(paces: Paces, zone: str | None, kind: str) -> PaceRange | None:
    if kind == "walk":
        return None
    if kind in ("recover", "jog"):
        easy = paces.zones["easy"]
        return PaceRange(easy.slow, easy.slow) if zone is None else paces.zones[zone]
    return paces.zones[zone or "easy"]


def _context(
    bp: Blueprint, paces: Paces, week: ScheduledWeek, template: WorkoutTemplate
) -> dict[str, Any]:
    units = bp.athlete.units
    values: dict[str, Any] = {
        p.name: param_value(p, week.plan.phase_week, week.plan.phase_weeks) for p in template.params
    }
    values.update(
        athlete=bp.athlete.name,
        phase=week.plan.phase,
        week=week.plan.phase_week,
        phase_weeks=week.plan.phase_weeks,
        units=units,
        race_distance=format_metres_plain(bp.program.distance_m),
        pace=lambda zone: format_pace(paces.zones[zone].mid, units) if zone in paces.zones else "?",
    )
    return values


def _render(text: str, context: Mapping[str, Any], template: WorkoutTemplate) -> str:
    try:
        return render(text, context)
    except RenderError as exc:
        raise PlanError(
            [error("jinja-error", f"{template.name}: {exc}", template.source.file, None, exc.hint)]
        ) from None


def _build_steps(
    steps: Sequence[StepTemplate],
    context: Mapping[str, Any],
    template: WorkoutTemplate,
    paces: Paces,
    fill_m: float,
) -> tuple[Step, ...]:
    built: list[Step] = []
    for step in steps:
        if step.kind == "repeat":
            count = int(_render(step.repeat or "1", context, template))
            inner = _build_steps(step.steps, context, template, paces, fill_m)
            built.append(
                Step(
                    "repeat",
                    distance_m=count * sum(s.distance_m for s in inner),
                    duration_s=count * sum(s.duration_s for s in inner),
                    repeat=count,
                    steps=inner,
                    note=_render(step.note, context, template) if step.note else None,
                )
            )
            continue
        if step.kind == "exercise":
            detail = []
            if step.sets:
                detail.append(f"{step.sets} x {step.reps}" if step.reps else f"{step.sets} sets")
            elif step.reps:
                detail.append(str(step.reps))
            if step.target:
                detail.append(f"hold {step.target}")
            if step.note:
                detail.append(_render(step.note, context, template))
            built.append(
                Step("exercise", 0.0, 0.0, label=step.label, note=", ".join(detail) or None)
            )
            continue
        try:
            target = parse_target(_render(step.target or "", context, template))
        except UnitError as exc:
            raise PlanError(
                [error("bad-step", f"{template.name}: {exc}", template.source.file, None)]
            ) from None
        pace = _pace(paces, target.zone, step.kind)
        speed = pace.mid if pace else WALK_PACE
        if target.amount is None:
            distance, duration = fill_m, fill_m * speed / 1000
        elif target.amount.dimension == "distance":
            distance, duration = target.amount.value, target.amount.value * speed / 1000
        else:
            duration = target.amount.value
            distance = duration / speed * 1000
        if step.kind == "walk":
            distance = 0.0  # walking breaks do not count as running volume
        built.append(
            Step(
                step.kind,
                distance_m=distance,
                duration_s=duration,
                zone=target.zone or (None if step.kind == "walk" else "easy"),
                pace=pace,
                measure="distance" if target.amount is None else target.amount.dimension,
                note=_render(step.note, context, template) if step.note else None,
            )
        )
    return tuple(built)


def _fixed_and_fill(
    template: WorkoutTemplate, context: Mapping[str, Any], paces: Paces
) -> tuple[float, bool]:
    steps = _build_steps(template.steps, context, template, paces, 0.0)
    return sum(s.distance_m for s in steps), _has_fill(template.steps)


def _has_fill(steps: Sequence[StepTemplate]) -> bool:
    return any(
        _has_fill(s.steps)
        if s.kind == "repeat"
        else (s.target or "").split("@")[0].strip() == "fill"
        for s in steps
    )


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


def _draft(bp: Blueprint, paces: Paces, week: ScheduledWeek, slot: Slot) -> _Draft:
    template = bp.workouts[slot.workout]
    context = _context(bp, paces, week, template)
    fixed, has_fill = _fixed_and_fill(template, context, paces)
    return _Draft(slot, template, context, fixed, has_fill)


def _long_run(
    bp: Blueprint,
    paces: Paces,
    drafts: Sequence[_Draft],
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


def _allocate(
    bp: Blueprint,
    paces: Paces,
    week: ScheduledWeek,
    drafts: Sequence[_Draft],
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


def _easy_share(workouts: Sequence[Workout]) -> float:
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


def _trim(paces: Paces, draft: _Draft, why: str) -> tuple[_Draft, str] | None:
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
    fixed, has_fill = _fixed_and_fill(draft.template, context, paces)
    note = (
        f"{draft.slot.date}: {draft.template.name} with {name} {after} instead of {before}: {why}"
    )
    return _Draft(draft.slot, draft.template, context, fixed, has_fill), note


def _soften(
    bp: Blueprint,
    paces: Paces,
    week: ScheduledWeek,
    drafts: list[_Draft],
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
    drafts: list[_Draft],
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
    drafts[index] = _draft(bp, paces, week, slot)
    return f"{old.slot.date}: {old.template.name} replaced by {name}: {why}"


def _actual_ceiling(
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
    rule = (
        next((p.volume for p in bp.program.phases if p.phase == week.plan.phase and p.volume), None)
        or bp.phases[week.plan.phase].volume
    )
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


def expand(bp: Blueprint, paces: Paces, weeks: Sequence[ScheduledWeek]) -> Plan:
    athlete = bp.athlete
    # Long-run history: (date, metres); the profile's current long run counts as just done.
    first_day = weeks[0].plan.start if weeks else athlete.race.date
    history: list[tuple[dt.date, float]] = [(first_day - dt.timedelta(days=1), athlete.long_run_m)]
    built_weeks: list[Week] = []
    highest = athlete.weekly_volume_m  # the most the athlete has actually run in a week
    had_quality = False
    for week in weeks:
        drafts = [_draft(bp, paces, week, slot) for slot in week.slots]
        softened: list[str] = []
        target, held = _actual_ceiling(bp, week, highest)
        while True:
            allocation = _allocate(bp, paces, week, drafts, history, target)
            workouts = [
                _workout(bp, paces, draft, allocation.fill.get(i, 0.0))
                for i, draft in enumerate(drafts)
                if i not in allocation.dropped
            ]
            if _easy_share(workouts) < bp.focus.min_easy_share - 1e-9:
                change = _soften(bp, paces, week, drafts)
                if change is not None:
                    softened.append(change)
                    continue
            training = sum(w.distance_m for w in workouts if w.category != "race")
            race = sum(w.distance_m for w in workouts if w.category == "race")
            overshoot = training + race - allocation.target
            if overshoot > max(0.05 * allocation.target, 0.5 * METRES_PER[athlete.units]):
                # more than the week holds: an easy run goes first, it is the lowest priority
                easy = [
                    i
                    for i, d in enumerate(drafts)
                    if d.slot.role in ("easy", "recovery") and i not in allocation.dropped
                ]
                if easy and any(d.slot.role == "quality" for d in drafts):
                    left_out = drafts.pop(max(easy, key=lambda i: drafts[i].slot.date))
                    softened.append(
                        f"{left_out.slot.date}: easy run left out: the week's quality session "
                        "and long run fill its volume"
                    )
                    continue
                # then a quality session too big for the week's volume is made smaller, or easy
                change = _soften(
                    bp,
                    paces,
                    week,
                    drafts,
                    quality_only=True,
                    why="the session is too big for the week's volume",
                )
                if change is not None:
                    softened.append(change)
                    continue
            brings_quality = not had_quality and any(w.role == "quality" for w in workouts)
            if brings_quality and training > highest + 0.1 * METRES_PER[athlete.units]:
                # never a new volume high in the week that brings intense work: hold the target,
                # then make the sessions smaller
                if target > highest:
                    held = (
                        *held,
                        f"target held to {format_distance(highest, athlete.units)}: the first "
                        "week with quality sessions is no new high",
                    )
                    target = highest
                    continue
                change = _soften(
                    bp,
                    paces,
                    week,
                    drafts,
                    quality_only=True,
                    why="the week that brings quality sessions is no new high",
                )
                if change is not None:
                    softened.append(change)
                    continue
            break
        for workout in workouts:
            if workout.role == "long" or workout.category == "race":
                history.append((workout.date, workout.distance_m))
        highest = max(highest, training)
        had_quality = had_quality or any(w.role == "quality" for w in workouts)
        built_weeks.append(
            Week(
                index=week.plan.index,
                start=week.plan.start,
                phase=week.plan.phase,
                phase_title=bp.phases[week.plan.phase].title,
                phase_week=week.plan.phase_week,
                target_m=round(allocation.target),
                planned_m=sum(w.distance_m for w in workouts),
                rule=week.plan.rule,
                cutback=week.plan.cutback,
                workouts=tuple(workouts),
                notes=(*week.notes, *held, *softened, *allocation.notes),
            )
        )
    return Plan(athlete, bp.program, bp.focus, paces, tuple(built_weeks))


def _workout(bp: Blueprint, paces: Paces, draft: _Draft, fill_m: float) -> Workout:
    template, slot = draft.template, draft.slot
    steps = _build_steps(template.steps, draft.context, template, paces, fill_m)
    distance = sum(s.distance_m for s in steps)
    duration = sum(s.duration_s for s in steps)
    if template.duration_s is not None and not distance:
        duration = template.duration_s
    units = bp.athlete.units
    context = dict(draft.context)
    context.update(
        distance=format_distance(distance, units) if distance else "",
        duration=format_duration(duration) if duration else "",
    )
    start_time = bp.athlete.availability.start_times.get(slot.date.weekday())
    athlete_id = bp.athlete.id
    return Workout(
        uid=f"{athlete_id}-{slot.date:%Y%m%d}-{slot.slot}",
        date=slot.date,
        slot=slot.slot,
        role=slot.role,
        template=template.name,
        category=template.category,
        intensity=template.intensity,
        title=_render(template.title, context, template).strip(),
        description=_render(template.description, context, template).strip(),
        steps=steps,
        distance_m=round(distance),
        duration_s=round(duration),
        start_time=start_time,
        reason=slot.reason,
    )
