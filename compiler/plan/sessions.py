"""One session, concrete: a workout template's steps with this week's parameters, rendered text,
distances, durations and pace ranges from the athlete's paces (part of stage 7, expand).

Every number a template renders here is checked again, for this athlete in this week: each
repeat count (1 to MAX_COUNT, nested repeats at most MAX_REPETITIONS times), each step's size
(MAX_STEP_M, MAX_STEP_S) and the whole session (MAX_SESSION_STEPS once its repeats are written
out, MAX_SESSION_M, MAX_SESSION_S).  planc check holds templates to the same limits for every
value it can work out; what it cannot (a value that slipped past it) stops here as a PlanError
at the template's file, line and column, before anything loops over or is sized from it."""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from .. import doc_link
from ..diagnostics import PlanError, Position, error
from ..frozen import FrozenMap
from ..model import (
    Blueprint,
    PaceRange,
    Paces,
    Race,
    ScheduledWeek,
    Slot,
    Source,
    Step,
    StepTemplate,
    WeekPlan,
    Workout,
    WorkoutTemplate,
    pace_names,
)
from ..sandbox import Lookup, RenderError, render
from ..sources.steps import (
    MAX_REPETITIONS,
    MAX_SESSION_M,
    MAX_SESSION_S,
    MAX_SESSION_STEPS,
    is_fill,
    param_value,
    repeat_count,
    step_target,
)
from ..units import (
    Unit,
    UnitError,
    format_distance,
    format_duration,
    format_metres_plain,
    format_pace,
    parse_amount,
    parse_duration,
    single_pace,
)
from ..vocabulary import Role, SlotKind, StepKind, Zone
from .paces import race_pace
from .periodize import is_careful

WALK_PACE = 600.0  # seconds per km


# why a strength session is on its day (schedule); expand says the first again when the day's
# quality session became an easy run after all (strength_reasons)
STRENGTH_ON_EASY_DAY = "strength on a day without hard running"
# a recovery run's reason the day after a hard day or long run (minor_races rewrites it when a
# race leaves that day easy)
RECOVERY_AFTER_HARD = "easy day after a hard day or long run"
STRENGTH_AFTER_QUALITY = "strength after the day's quality session: hard days hard, easy days easy"


@dataclass(frozen=True)
class Draft:
    """A slot being expanded: its template, context and fixed (non-fill) size."""

    slot: Slot
    template: WorkoutTemplate
    context: Mapping[str, Any]
    fixed_m: float
    has_fill: bool
    fixed_s: float = 0.0  # how long the fixed steps take (walks and strides included)


def _pace(paces: Paces, zone: Zone | None, kind: StepKind) -> PaceRange | None:
    """A step's pace range: none for a walk; a recovery or a jog with no zone at the easy
    pace's slow end; any other step with no zone at the easy pace."""
    if kind == StepKind.WALK:
        return None
    if kind in (StepKind.RECOVER, StepKind.JOG):
        easy = paces.zones[Zone.EASY]
        return PaceRange(easy.slow, easy.slow) if zone is None else paces.zones[zone]
    return paces.zones[zone or Zone.EASY]


def zone_pace_text(zone: PaceRange, units: Unit) -> str:
    """A zone's pace in a description: the middle of a range to 5 s, a single pace (race,
    threshold) to the second (units.format_pace_range)."""
    return format_pace(zone.mid, units, step=1 if single_pace(zone.fast, zone.slow) else 5)


CUTBACK_STEP_BACK = 2  # weeks a cutback week's session params step back


def params_of(template: WorkoutTemplate, week: WeekPlan, careful: bool = False) -> dict[str, Any]:
    """The template's parameters in ``week``.  A taper's sessions keep their first size: its
    intensity stays while its volume drops, so a session does not progress (grow) toward race
    day; a cutback week's step back to where they were two weeks before (the cutback is the
    rest; with sessions taking turns a week, a session last seen two weeks before is no bigger
    in the cutback).  For a ``careful`` athlete (masters or injury-prone) a numeric param is at
    most its `careful_max` (round 20: 9-10 x 1 min of fartlek at 58, where a coach gives 6-8)."""
    at = week.phase_week
    if week.share_of_peak is not None:
        at = 1
    elif week.cutback:
        at = max(1, at - CUTBACK_STEP_BACK)
    values = {p.name: param_value(p, at, week.phase_weeks) for p in template.params}
    if careful:
        for p in template.params:
            value, most = values[p.name], p.careful_max
            if most is not None and isinstance(value, int | float) and value > most:
                values[p.name] = most
    return values


PARAM_RE = re.compile(r"^\{\{\s*(\w+)\s*\}\}$")


def steady_finish_s(template: WorkoutTemplate, week: WeekPlan) -> float:
    """The time a workout's top-level steps run at steady pace in ``week`` as written (a
    literal duration or one parameter, e.g. a long run's `{{ finish }} @ steady`), before any
    trim to the run: a long run's steady finish of 25-30 min is a hard day's work."""
    values = params_of(template, week)
    total = 0.0
    for step in template.steps:
        amount, at, zone = (step.target or "").rpartition("@")
        if not at or zone.strip() != Zone.STEADY:
            continue
        text = amount.strip()
        named = PARAM_RE.match(text)
        if named is not None:
            text = str(values.get(named.group(1), ""))
        try:
            total += parse_duration(text)
        except UnitError:
            continue  # a distance, or more than one parameter: not counted
    return total


def _context(
    bp: Blueprint, paces: Paces, week: ScheduledWeek, template: WorkoutTemplate
) -> dict[str, Any]:
    units = bp.athlete.units
    values: dict[str, Any] = params_of(template, week.plan, is_careful(bp))
    values.update(
        athlete=bp.athlete.name,
        phase=week.plan.phase,
        week=week.plan.phase_week,
        phase_weeks=week.plan.phase_weeks,
        units=units,
        race_distance=format_metres_plain(bp.program.distance_m),
        race_priority="A",  # a B or C race's draft says its own
        after="",  # a recovery run's: what the day before held (run_words.day_before)
        pace=Lookup(tuple((z, zone_pace_text(r, units)) for z, r in paces.zones.items()), "?"),
        pace_name=Lookup(tuple(pace_names(paces, bp.program.distance_m, units).items()), "?"),
    )
    return values


def _spoken(context: Mapping[str, Any], template: WorkoutTemplate) -> dict[str, Any]:
    """``context`` for the text an athlete reads (title, description, notes): each param that is
    a duration said as units.format_duration says every duration ('64 min', not '1h4min'), so
    a title agrees with the table beside it.  Step values and repeats keep the written form,
    which is what they parse."""
    values = dict(context)
    for param in template.params:
        value = values.get(param.name)
        if isinstance(value, str):
            values[param.name] = _said_amount(value)
    return values


def _said_amount(text: str) -> str:
    """A duration written in a template ('30s') as an athlete reads one ('30 s'); anything
    else as written."""
    try:
        amount = parse_amount(text)
    except UnitError:
        return text
    return format_duration(amount.value) if amount.dimension == "duration" else text


def _problem(
    code: str, message: str, template: WorkoutTemplate, source: Source | None, hint: str | None
) -> PlanError:
    """A problem of ``template`` found while building, at ``source`` (else the workout)."""
    where = source or template.source
    pos = Position(where.line, where.column)
    return PlanError([error(code, f"{template.name}: {message}", where.file, pos, hint)])


def _when(context: Mapping[str, Any]) -> str:
    """Which plan a value was rendered for, in words, for a message."""
    return (
        f"for {context.get('athlete')}, week {context.get('week')} of "
        f"{context.get('phase_weeks')} of the {context.get('phase')} phase"
    )


_BUILT_HINT = (
    "planc check tried the values it can work out; a count may use params, `week` and "
    "`phase_weeks`, a step's size also `units`, `phase` and `race_distance`, and no size may "
    f"depend on the athlete ({doc_link('templates.md')})"
)


def _render(
    text: str,
    context: Mapping[str, Any],
    template: WorkoutTemplate,
    source: Source | None = None,
) -> str:
    try:
        return render(text, context)
    except RenderError as exc:
        raise _problem("jinja-error", str(exc), template, source, exc.hint) from None


def _count(step: StepTemplate, context: Mapping[str, Any], template: WorkoutTemplate) -> int:
    rendered = _render(step.repeat or "1", context, template, step.source)
    try:
        return repeat_count(rendered)
    except ValueError as exc:
        raise _problem(
            "bad-step", f"{exc} ({_when(context)})", template, step.source, _BUILT_HINT
        ) from None


def _sized_target(
    step: StepTemplate, context: Mapping[str, Any], template: WorkoutTemplate
) -> tuple[float | None, str | None, Zone | None]:
    """A step's amount (metres or seconds, None for fill), its dimension and its zone."""
    rendered = _render(step.target or "", context, template, step.source)
    try:
        target = step_target(rendered)
    except (UnitError, ValueError) as exc:
        raise _problem(
            "bad-step", f"{exc} ({_when(context)})", template, step.source, _BUILT_HINT
        ) from None
    if target.amount is None:
        return None, None, target.zone
    return target.amount.value, target.amount.dimension, target.zone


def _build_steps(
    steps: Sequence[StepTemplate],
    context: Mapping[str, Any],
    template: WorkoutTemplate,
    paces: Paces,
    fill_m: float,
    times: int = 1,
) -> tuple[Step, ...]:
    """The steps built; ``times``: how often the repeats around them do them.  A fill with
    nothing to fill is left out, and a fill written after the cool-down runs it on."""
    built: list[Step] = []
    for step in steps:
        if step.kind == StepKind.REPEAT:
            built.append(_repeat_step(step, context, template, paces, fill_m, times))
        elif step.kind == StepKind.EXERCISE:
            built.append(_exercise_step(step, context, template))
        elif (made := _running_step(step, steps, context, template, paces, fill_m)) is None:
            continue  # a fill with nothing to fill is left out
        elif made.fill and built and built[-1].kind == StepKind.COOLDOWN:
            built[-1] = _longer_cooldown(built[-1], made.step)
        else:
            built.append(made.step)
    return tuple(built)


def _repeat_step(
    step: StepTemplate,
    context: Mapping[str, Any],
    template: WorkoutTemplate,
    paces: Paces,
    fill_m: float,
    times: int,
) -> Step:
    """A repeat and its steps built, done ``times`` times by the repeats around it: at most
    MAX_REPETITIONS in all, nested repeats multiplied."""
    count = _count(step, context, template)
    if times * count > MAX_REPETITIONS:
        raise _problem(
            "bad-step",
            f"the steps of this repeat are done {times * count} times in a session "
            f"(nested repeats multiply; {_when(context)}); planc allows "
            f"{MAX_REPETITIONS}",
            template,
            step.source,
            "repeat fewer times, or write the sets out one after another",
        )
    inner = _build_steps(step.steps, context, template, paces, fill_m, times * count)
    return Step(
        StepKind.REPEAT,
        distance_m=count * sum(s.distance_m for s in inner),
        duration_s=count * sum(s.duration_s for s in inner),
        repeat=count,
        steps=inner,
        note=_note(step, context, template),
    )


def _exercise_step(
    step: StepTemplate, context: Mapping[str, Any], template: WorkoutTemplate
) -> Step:
    """A strength exercise: no distance or time, its sets, reps, hold and note in words."""
    detail = []
    if step.sets:
        detail.append(f"{step.sets} x {step.reps}" if step.reps else f"{step.sets} sets")
    elif step.reps:
        detail.append(str(step.reps))
    if step.target:
        detail.append(f"hold {_said_amount(step.target)}")
    if step.note:
        detail.append(_note(step, context, template) or "")
    return Step(StepKind.EXERCISE, 0.0, 0.0, label=step.label, note=", ".join(detail) or None)


@dataclass(frozen=True)
class _Running:
    """A running (or walking) step built, and whether it is the session's fill."""

    step: Step
    fill: bool


def _running_step(
    step: StepTemplate,
    steps: Sequence[StepTemplate],
    context: Mapping[str, Any],
    template: WorkoutTemplate,
    paces: Paces,
    fill_m: float,
) -> _Running | None:
    """A step that is run or walked, sized by distance or time at its zone's middle pace (a
    fill takes ``fill_m``); None for a fill with nothing to fill, unless the session is
    nothing but it (``steps``).  A walk counts no running volume."""
    amount, dimension, zone = _sized_target(step, context, template)
    pace = _pace(paces, zone, step.kind)
    speed = pace.mid if pace else WALK_PACE
    if amount is None and fill_m < 1.0 and not _only_fill(steps):
        return None
    if amount is None:
        distance, duration = fill_m, fill_m * speed / 1000
    elif dimension == "distance":
        distance, duration = amount, amount * speed / 1000
    else:
        duration = amount
        distance = duration / speed * 1000
    if step.kind == StepKind.WALK:
        distance = 0.0  # walking breaks do not count as running volume
    made = Step(
        step.kind,
        distance_m=distance,
        duration_s=duration,
        zone=zone or (None if step.kind == StepKind.WALK else Zone.EASY),
        pace=pace,
        measure="duration" if dimension == "duration" else "distance",
        note=_note(step, context, template),
        effort=step.effort and pace is not None,
    )
    return _Running(made, fill=amount is None)


def _longer_cooldown(cooldown: Step, fill: Step) -> Step:
    """``cooldown`` run on by ``fill``, the easy running that rounds a session off to its size
    and was written after it: the cool-down stays the session's last step (nobody runs easy
    volume after cooling down, and a watch would end the workout at the cool-down), at its own
    pace, measured by distance like the fill; the fill's note says what the extra is for."""
    notes = [n for n in (cooldown.note, fill.note) if n]
    return Step(
        StepKind.COOLDOWN,
        distance_m=cooldown.distance_m + fill.distance_m,
        duration_s=cooldown.duration_s + fill.duration_s,
        zone=cooldown.zone,
        pace=cooldown.pace,
        measure="distance",
        note=" ".join(notes) or None,
    )


def _note(step: StepTemplate, context: Mapping[str, Any], template: WorkoutTemplate) -> str | None:
    if not step.note:
        return None
    return _render(step.note, _spoken(context, template), template, step.note_source)


def _expanded(steps: Sequence[Step]) -> int:
    """How many steps a session has once its repeats are written out (never by writing them)."""
    return sum(s.repeat * _expanded(s.steps) if s.kind == StepKind.REPEAT else 1 for s in steps)


def _check_session(
    template: WorkoutTemplate,
    context: Mapping[str, Any],
    steps: Sequence[Step],
    distance: float,
    duration: float,
) -> None:
    """A built session within the limits of one: its steps written out, metres and seconds."""
    too_big = []
    expanded = _expanded(steps)
    if expanded > MAX_SESSION_STEPS:
        too_big.append(f"{expanded} steps once its repeats are written out ({MAX_SESSION_STEPS})")
    if distance > MAX_SESSION_M:
        too_big.append(f"{distance / 1000:,.0f} km ({MAX_SESSION_M / 1000:g} km)")
    if duration > MAX_SESSION_S:
        too_big.append(f"{duration / 3600:,.1f} h ({MAX_SESSION_S / 3600:g} h)")
    if too_big:
        raise _problem(
            "bad-step",
            f"the session comes to {'; '.join(too_big)} {_when(context)}, more than one session "
            "holds (at most, in brackets)",
            template,
            template.where("steps"),
            "make the steps smaller or fewer; " + _BUILT_HINT,
        )


def _session(
    template: WorkoutTemplate, context: Mapping[str, Any], paces: Paces, fill_m: float
) -> tuple[Step, ...]:
    """A session's steps with ``fill_m`` of fill, checked against the limits of one session."""
    steps = _build_steps(template.steps, context, template, paces, fill_m)
    distance = sum(s.distance_m for s in steps)
    _check_session(template, context, steps, distance, sum(s.duration_s for s in steps))
    return steps


def _only_fill(steps: Sequence[StepTemplate]) -> bool:
    """Whether a session is nothing but its fill (an easy run): it keeps its one step."""
    return len(steps) == 1 and steps[0].kind != StepKind.REPEAT and is_fill(steps[0].target)


def fixed_and_fill(
    template: WorkoutTemplate, context: Mapping[str, Any], paces: Paces
) -> tuple[float, bool, float]:
    """A session's fixed metres, whether it has a fill step, and its fixed seconds."""
    steps = _session(template, context, paces, 0.0)
    fixed_m = sum(s.distance_m for s in steps)
    return fixed_m, _has_fill(template.steps), sum(s.duration_s for s in steps)


MINUTES_RE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*min\s*@(.*)$")  # a written "15min @ easy"


def warmup_trimmed(draft: Draft, paces: Paces, most_s: float, least_s: float) -> Draft:
    """A quality session whose fixed steps take longer than ``most_s`` (the athlete's last
    long run) with its written warm-up, then its cool-down, shortened by whole minutes, none
    below ``least_s`` (`quality_warmup_min`): the session is no longer than the long run,
    and the week's volume goes to its easy runs (a beginner's 48-min hill session, 15 min of
    it warm-up, beside a 45-min long run and an 18-min easy run, review round 20)."""
    over = draft.fixed_s - most_s
    if over <= 0 or draft.slot.role != Role.QUALITY:
        return draft
    steps = list(draft.template.steps)
    for kind in (StepKind.WARMUP, StepKind.COOLDOWN):
        for k, step in enumerate(steps):
            written = MINUTES_RE.match(step.target or "") if step.kind == kind else None
            if written is None or over <= 0:
                continue
            minutes = float(written[1])
            cut = min(math.ceil(over / 60), max(math.floor(minutes - least_s / 60), 0))
            if cut > 0:
                steps[k] = replace(step, target=f"{minutes - cut:g}min @{written[2]}")
                over -= cut * 60
    template = replace(draft.template, steps=tuple(steps))
    if template == draft.template:
        return draft
    return replace(draft, template=template, **_sized(template, draft.context, paces))


def _sized(template: WorkoutTemplate, context: Mapping[str, Any], paces: Paces) -> dict[str, Any]:
    fixed_m, has_fill, fixed_s = fixed_and_fill(template, context, paces)
    return {"fixed_m": fixed_m, "has_fill": has_fill, "fixed_s": fixed_s}


def _has_fill(steps: Sequence[StepTemplate]) -> bool:
    return any(
        _has_fill(s.steps) if s.kind == StepKind.REPEAT else is_fill(s.target) for s in steps
    )


def minor_race(bp: Blueprint, slot: Slot) -> Race | None:
    """The B or C race a race slot is for (None: the A race, or not a race)."""
    return bp.athlete.minor_race_on(slot.date) if slot.slot == SlotKind.RACE else None


def paces_for(bp: Blueprint, paces: Paces, slot: Slot) -> Paces:
    """The paces a slot is run at: a B or C race's `race` pace is its own (its goal's, else
    what the athlete's fitness is worth at its distance), not the A race's."""
    race = minor_race(bp, slot)
    if race is None:
        return paces
    pace = (
        race.goal_s * 1000.0 / race.distance_m
        if race.goal_s is not None
        else race_pace(paces.vdot, race.distance_m)
    )
    # a B or C race's pace is its own goal's (or its fitness's), never held: the A race's
    # race_held does not describe it
    zones = FrozenMap({**paces.zones, Zone.RACE: PaceRange(pace, pace)})
    return replace(paces, zones=zones, race_held="")


def draft(bp: Blueprint, paces: Paces, week: ScheduledWeek, slot: Slot) -> Draft:
    template = bp.workouts[slot.workout]
    paces = paces_for(bp, paces, slot)
    context = _context(bp, paces, week, template)
    race = minor_race(bp, slot)
    if race is not None:  # a B or C race: its own distance, its own race pace
        context["race_distance"] = format_metres_plain(race.distance_m)
        context["race_priority"] = str(race.priority)
        names = pace_names(paces, race.distance_m, bp.athlete.units)
        context["pace_name"] = Lookup(tuple(names.items()), "?")
    return Draft(slot, template, context, *fixed_and_fill(template, context, paces))


def build_steps(bp: Blueprint, paces: Paces, draft: Draft, fill_m: float = 0.0) -> tuple[Step, ...]:
    """A draft's steps with ``fill_m`` of fill: its size before the week's volume is shared."""
    return _session(draft.template, draft.context, paces_for(bp, paces, draft.slot), fill_m)


def _title(bp: Blueprint, draft: Draft, context: Mapping[str, Any]) -> str:
    """The workout's title; a B or C race's names it and its priority ('B race: City 10K'),
    so every output marks it."""
    race = minor_race(bp, draft.slot)
    if race is not None:
        return f"{race.priority} race: {race.name}"
    template = draft.template
    return _render(template.title, context, template, template.where("title")).strip()


def build_workout(bp: Blueprint, paces: Paces, draft: Draft, fill_m: float) -> Workout:
    template, slot = draft.template, draft.slot
    paces = paces_for(bp, paces, slot)
    steps = _session(template, draft.context, paces, fill_m)
    distance = sum(s.distance_m for s in steps)
    duration = sum(s.duration_s for s in steps)
    if template.duration_s is not None and not distance:
        duration = template.duration_s
        _check_session(template, draft.context, steps, distance, duration)
    units = bp.athlete.units
    context = _spoken(draft.context, template)
    context.update(
        distance=format_distance(distance, units) if distance else "",
        duration=format_duration(duration) if duration else "",
        minutes=round(duration / 60),  # a number, for text that holds only past a length
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
        title=_title(bp, draft, context),
        description=_render(
            template.description, context, template, template.where("description")
        ).strip(),
        steps=steps,
        distance_m=round(distance),
        duration_s=round(duration),
        start_time=start_time,
        reason=slot.reason,
    )


def describe(
    bp: Blueprint, paces: Paces, week: ScheduledWeek, workout: Workout, **more: str
) -> str:
    """``workout``'s description rendered again from its template, with ``more`` values known
    only once the plan around it is built (run_words: a recovery run's ``after``)."""
    template = bp.workouts[workout.template]
    context = _spoken(_context(bp, paces, week, template), template)
    units = bp.athlete.units
    context.update(
        distance=format_distance(workout.distance_m, units) if workout.distance_m else "",
        duration=format_duration(workout.duration_s) if workout.duration_s else "",
        minutes=round(workout.duration_s / 60),
        **more,
    )
    return _render(template.description, context, template, template.where("description")).strip()
