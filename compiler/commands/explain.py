"""`planc explain`: why the plan is what it is, in plain words.

Which program, focus and phase lengths were chosen and why; where every template value came from
(file and line, and what it overrode); each week's target volume and the rule that set it; why each
workout is on its day; what was dropped or moved.  ``explain_athlete`` gathers an Explanation;
``render_explanation`` is a pure function from it to text.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..diagnostics import PlanError, UsageError, did_you_mean
from ..model import ZONES, Blueprint, Plan, RecentRace, Week
from ..plan.paces import detraining, vdot
from ..plan.periodize import periodize
from ..plan.phases import PhaseLength
from ..plan.pipeline import compile_plan
from ..plan.season import first_cycle, is_season
from ..sources.discover import YAML_SUFFIXES
from ..sources.document import Document
from ..sources.library import Library
from ..units import Unit, format_clock, format_distance, format_duration, format_pace_range
from ..vocabulary import Role, SlotKind
from .check import Project


@dataclass(frozen=True)
class Explanation:
    """Everything `planc explain` says about one athlete: the plan and the decisions behind it."""

    blueprint: Blueprint
    plan: Plan
    phase_lengths: tuple[PhaseLength, ...]  # how long each phase is, and why
    library: Library
    athlete_doc: Document


def find_athlete(project: Project, reference: str) -> Blueprint:
    """The athlete named by ``reference``: its id, or the path of its file."""
    for blueprint in project.blueprints:
        athlete = blueprint.athlete
        if reference in (athlete.id, athlete.source.file) or (
            Path(reference).exists()
            and Path(athlete.source.file).resolve() == Path(reference).resolve()
        ):
            return blueprint
    if project.failed_athletes and any(
        reference in (f, Path(f).stem) for f in project.failed_athletes
    ):
        raise PlanError(list(project.diagnostics))
    ids = sorted(b.athlete.id for b in project.blueprints)
    word = Path(reference).stem if reference.endswith(YAML_SUFFIXES) else reference
    close = did_you_mean(word, ids, most=3)
    if close:  # a mistyped id: the closest ids, not a club's whole roster
        raise UsageError(f"no athlete '{reference}' found: {close}")
    listed = ", ".join(ids[:12]) or "none"
    more = "" if len(ids) <= 12 else f" and {len(ids) - 12} more"
    raise UsageError(f"no athlete '{reference}' found (athletes: {listed}{more})")


def explain_athlete(project: Project, reference: str, today: dt.date) -> Explanation:
    blueprint = find_athlete(project, reference)
    # a season of two A races: the phases of its first cycle (the second's follow its own race)
    first = first_cycle(blueprint) if is_season(blueprint) else blueprint
    _weeks, lengths = periodize(first, today)
    documents = [d for d in project.athlete_documents if d.name == blueprint.athlete.id]
    return Explanation(
        blueprint=blueprint,
        plan=compile_plan(blueprint, today),
        phase_lengths=tuple(lengths),
        library=project.library,
        athlete_doc=documents[0],
    )


def _where(doc: Document, path: tuple[str | int, ...]) -> str:
    file, pos = doc.locate(path)
    return f"{file}:{pos.line}"


def _short(value: Any) -> str:
    text = " ".join(str(value).split())
    return text if len(text) <= 48 else text[:45] + "..."


def provenance(doc: Document, indent: str = "    ") -> Iterator[str]:
    """Each plain value of a template with the place it was set, and what it overrode."""
    leaves: list[tuple[tuple[str | int, ...], Any]] = []

    def walk(value: Any, path: tuple[str | int, ...]) -> None:
        if isinstance(value, dict):
            for key, item in value.items():
                if key not in ("kind", "description"):
                    walk(item, (*path, key))
        elif isinstance(value, list) and all(not isinstance(v, dict | list) for v in value):
            leaves.append((path, "[" + ", ".join(map(str, value)) + "]"))
        elif isinstance(value, list):
            for index, item in enumerate(value):
                walk(item, (*path, index))
        else:
            leaves.append((path, value))

    walk(doc.data, ())
    width = max((len(_dotted(p)) for p, _ in leaves), default=0)
    for path, value in leaves:
        line = f"{indent}{_dotted(path):<{width}}  {_short(value)}  ({_where(doc, path)}"
        if path in doc.overrides:
            file, pos = doc.overrides[path]
            line += f", overriding {file}:{pos.line}"
        yield line + ")"


def _dotted(path: tuple[str | int, ...]) -> str:
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else part)
    return text


def _fitness(doc: Document, recent: RecentRace, time_off_weeks: float, start: dt.date) -> str:
    """How stale fitness changed the VDOT, for the Paces line: the race's own VDOT, the
    reduction (Daniels' time-off table, compiler/plan/paces.py) and why; empty when nothing did."""
    off = detraining(recent.date, time_off_weeks, start)
    if off.cause is None:
        return ""
    path = (
        ("fitness", "time_off") if off.cause == "time-off" else ("fitness", "recent_race", "date")
    )
    where = _where(doc, path)
    if off.loss <= 0:
        assert off.race_age_weeks is not None
        return (
            f"; the race was run {off.race_age_weeks:.0f} weeks before the plan starts "
            f"({where}): stale, but not yet counted as time off"
        )
    race_vdot = vdot(recent.distance_m, recent.time_s)
    return (
        f": the race's VDOT {race_vdot:.1f} less {off.loss:.1%} (Daniels' time-off table) for "
        f"{off.reason()} ({where})"
    )


HELD = ("target held to", "target lowered from")  # notes that hold a week below its rule


def _held(week: Week, units: Unit) -> str:
    """What the volume line adds when a note holds the week's target below the level its rule
    names: the target that binds (a B race's week read "back to the level before (77 km)"
    and the week after it "at the peak volume cap", both held far lower, round 18 and 19)."""
    if not any(note.startswith(HELD) for note in week.notes):
        return ""
    return f"; held to {format_distance(week.target_m, units)} (the notes say why)"


def _week_lines(explanation: Explanation, week: Week, day: dt.date | None) -> Iterator[str]:
    plan = explanation.plan
    units = plan.athlete.units
    own = explanation.blueprint.phases[week.phase].title
    of = "the phase" if week.phase_title == own else f"the {own.lower()}'s last weeks"
    yield (
        f"Week {week.index}, from {week.start:%a %Y-%m-%d}: {week.phase_title} "
        f"(week {week.phase_week} of {of}), target {format_distance(week.target_m, units)}, "
        f"planned {format_distance(week.planned_m, units)}"
    )
    yield f"  volume: {week.rule}{_held(week, units)}"
    for workout in week.workouts:
        if day is not None and workout.date != day:
            continue
        known = explanation.blueprint.workouts.get(workout.template)  # not cross-training
        where = f", {known.source.file}:{known.source.line}" if known is not None else ""
        size = (
            format_distance(workout.distance_m, units)
            if workout.distance_m
            else format_duration(workout.duration_s)
        )
        yield (
            f"  {workout.date:%a %Y-%m-%d}  {workout.title} ({size}, {workout.intensity}): "
            f"{workout.reason} [{workout.template}{where}]"
        )
        yield from (f"    {layer.words()}" for layer in workout.layers)
    for skipped in week.skipped:
        if day is None or skipped.date == day:
            yield f"  {skipped.date:%a %Y-%m-%d}  {skipped.title}: {skipped.layers[-1].words()}"
    busy = {w.date for w in week.workouts if w.slot in (SlotKind.RUN, SlotKind.RACE)}
    for free in _listed_free_days(explanation, week, busy) if day is None else ():
        yield f"  {free:%a %Y-%m-%d}  {_free_day(explanation, free)}"
    if day is not None and not any(w.date == day for w in week.workouts):
        yield f"  {day:%a %Y-%m-%d}  {_free_day(explanation, day)}"
    for note in week.notes:
        yield f"  note: {note}"


def _listed_free_days(explanation: Explanation, week: Week, busy: set[dt.date]) -> list[dt.date]:
    """The days of ``week`` the athlete listed for running that hold no run and are not away:
    a 6-day athlete given 5 runs is told which day rests and why (review round 18)."""
    athlete = explanation.blueprint.athlete
    days = [week.start + dt.timedelta(days=n) for n in range(week.days)]
    return [
        d
        for d in days
        if d.weekday() in athlete.availability.days
        and d not in busy
        and athlete.away_on(d) is None
        and explanation.plan.start <= d <= explanation.plan.end
    ]


def _rest_reason(explanation: Explanation, day: dt.date) -> str:
    """Why a day the athlete listed for running holds no run: next to the long run or the
    race, else the week's running fits its other days."""
    after = _run_role_on(explanation, day + dt.timedelta(days=1))
    before = _run_role_on(explanation, day - dt.timedelta(days=1))
    if after == Role.RACE:
        return "rest before the race"
    if after == Role.LONG:
        return "rest before the long run"
    if before in (Role.LONG, Role.RACE):
        return f"rest after the {'long run' if before == Role.LONG else 'race'}"
    return "a rest day: the week's running fits its other days"


def _run_role_on(explanation: Explanation, day: dt.date) -> Role | None:
    """The role of the run on ``day``, from the week that holds it (None: no run)."""
    week = next((w for w in explanation.plan.weeks if w.holds(day)), None)
    runs = [] if week is None else week.workouts
    return next((w.role for w in runs if w.slot == SlotKind.RUN and w.date == day), None)


def _free_day(explanation: Explanation, day: dt.date) -> str:
    """Why nothing is planned on ``day``: the athlete's trip that covers it (its dates, note and
    where it is set), else a rest day, with its reason when the athlete listed it for running."""
    athlete = explanation.blueprint.athlete
    away = athlete.away_on(day)
    if away is None and day.weekday() in athlete.availability.days:
        return f"{_rest_reason(explanation, day)} (a listed running day): nothing is planned"
    if away is None:
        return "rest: nothing is planned on this day"
    dates = (
        f"on {away.start:%a %Y-%m-%d}"
        if away.start == away.end
        else f"{away.start:%a %Y-%m-%d} to {away.end:%a %Y-%m-%d}"
    )
    note = f" ({away.note})" if away.note else ""
    where = _where(explanation.athlete_doc, ("away", athlete.away.index(away)))
    return f"away{note}, {dates} ({where}): nothing is planned on this day"


def render_explanation(
    explanation: Explanation, *, week: int | None = None, day: dt.date | None = None
) -> str:
    """The explanation as text: the athlete's race, program and phase lengths, the focus and
    (for the whole plan) where every template value is set, the paces, then the weeks asked
    for (``week``, the week of ``day`` and that day alone, else all of them)."""
    athlete = explanation.blueprint.athlete
    out: list[str] = [f"{athlete.name} ({athlete.id}), {athlete.source.file}", ""]
    out.extend(_program_lines(explanation))
    out.extend(_template_lines(explanation, detail=week is None and day is None))
    out.extend(_pace_lines(explanation))
    out.append("")
    for item in _chosen_weeks(explanation.plan, week, day):
        out.extend(_week_lines(explanation, item, day))
        out.append("")
    return "\n".join(out).rstrip() + "\n"


def _program_lines(explanation: Explanation) -> Iterator[str]:
    """The race, the program that was chosen and how long each of its phases is, and why."""
    bp, plan, adoc = explanation.blueprint, explanation.plan, explanation.athlete_doc
    athlete, program, race = bp.athlete, bp.program, bp.athlete.race
    if race is None:
        yield f"Block: {program.title} block, no race, to {athlete.last_day:%a %Y-%m-%d}"
    else:
        yield (
            f"Race: {race.name} on {race.date:%a %Y-%m-%d}, "
            f"{format_distance(program.distance_m, athlete.units)}"
            + (f", goal {format_clock(race.goal_s)}" if race.goal_s else "")
        )
    weeks_to_race = sum(p.weeks for p in explanation.phase_lengths if not p.after_race)
    key = "race" if race is not None else "block"
    yield (
        f"Program: {program.name} ({program.source.file}), chosen by {key}.program at "
        f"{_where(adoc, (key, 'program'))}"
    )
    yield (
        f"  {weeks_to_race} weeks from {plan.start:%a %Y-%m-%d} to "
        f"{'race week' if race is not None else 'the end of the block'}; the program's "
        f"default is {program.default_weeks}, its minimum {program.min_weeks}"
        + (
            f" (start date from {_where(adoc, ('start',))})"
            if athlete.start
            else " (no start date: the plan starts the Monday after today)"
        )
    )
    lengths = explanation.phase_lengths
    for at, length in enumerate(lengths):
        skipped = length.after_race and (race is None or not race.recovery)
        reason = "none: the athlete's plan ends with race week" if skipped else length.reason
        yield f"  {length.phase:<10} {reason}"
        yield from _last_weeks_line(lengths[: at + 1], lengths[at + 1 : at + 2])
    yield from _second_cycle_lines(explanation)


def _last_weeks_line(so_far: Sequence[PhaseLength], after: Sequence[PhaseLength]) -> Iterator[str]:
    """After the last of a run of one phase's lengths (a build and its cycles), the weeks its
    `last_weeks` shows as a block of their own, if the run is long enough."""
    last = so_far[-1]
    if after and after[0].phase == last.phase:
        return
    total = 0
    for length in reversed(so_far):
        if length.phase != last.phase:
            break
        total += length.weeks
    block = last.program_phase.last_weeks if last.program_phase else None
    if block is not None and total >= block.from_weeks:
        yield (
            f"  {'':<10} its last {block.weeks} weeks shown as {block.title}, numbered from 1 "
            f"(last_weeks: a phase of {block.from_weeks} weeks or more)"
        )


def _second_cycle_lines(explanation: Explanation) -> Iterator[str]:
    """A season of two A races: the second race, its program, and where its cycle starts
    and what it starts from (plan/season.py)."""
    bp, plan = explanation.blueprint, explanation.plan
    race, second = bp.athlete.second_race, bp.second
    if race is None or second is None:
        return
    units = bp.athlete.units
    yield (
        f"Second A race: {race.name} on {race.date:%a %Y-%m-%d}, "
        f"{format_distance(second.program.distance_m, units)}"
        + (f", goal {format_clock(race.goal_s)}" if race.goal_s else "")
    )
    cycle = [w for w in plan.weeks if w.start > (bp.athlete.race or race).date]
    first = next((w for w in cycle if w.phase != "recovery"), None)
    if first is not None:
        yield (
            f"  a second cycle ({second.program.name}, {second.program.source.file}) from week "
            f"{first.index} ({first.start:%a %Y-%m-%d}), after the first race's recovery, "
            "starting from the weekly volume the first cycle held before its taper and the "
            "longest long run it reached"
        )


def _template_lines(explanation: Explanation, *, detail: bool) -> Iterator[str]:
    """The focus that was chosen; with ``detail``, every value of the focus, phases and program
    with the place it was set."""
    program, focus, library = (
        explanation.blueprint.program,
        explanation.blueprint.focus,
        explanation.library,
    )
    focus_doc = library.get("focus", focus.name)
    chain = f", built on {', '.join(focus_doc.extends)}" if focus_doc and focus_doc.extends else ""
    yield (
        f"Focus: {focus.name} ({focus.source.file}{chain}), chosen by focus at "
        f"{_where(explanation.athlete_doc, ('focus',))}"
    )
    if not detail:
        return
    if focus_doc is not None:
        yield from provenance(focus_doc)
    for name in dict.fromkeys(p.phase for p in program.phases):
        phase_doc = library.get("phase", name)
        if phase_doc is not None:
            yield f"Phase {name} ({phase_doc.path})"
            yield from provenance(phase_doc)
    program_doc = library.get("program", program.name)
    if program_doc is not None:
        yield f"Program {program.name} ({program_doc.path})"
        yield from provenance(program_doc)


def _pace_lines(explanation: Explanation) -> Iterator[str]:
    """The VDOT and where it comes from, the pace of each zone, and whether the athlete is
    injury-prone."""
    athlete, plan, adoc = explanation.blueprint.athlete, explanation.plan, explanation.athlete_doc
    units, recent = athlete.units, athlete.recent_race
    yield (
        f"Paces: VDOT {plan.paces.vdot:.1f} from {format_distance(recent.distance_m, units)} in "
        f"{format_clock(recent.time_s)} ({_where(adoc, ('fitness', 'recent_race'))})"
        + _fitness(adoc, athlete.recent_race, athlete.time_off_weeks, plan.start)
    )
    for zone in ZONES:  # the training zones, slowest first, then the race paces
        pace = plan.paces.zones.get(zone)
        if pace is not None:
            yield f"  {zone:<11} {format_pace_range(pace.fast, pace.slow, units)}"
    if athlete.injury_prone:
        yield (
            f"Injury-prone ({_where(adoc, ('injury_prone',))}): slower ramp, more cutbacks, "
            "fewer quality sessions"
        )


def _chosen_weeks(plan: Plan, week: int | None, day: dt.date | None) -> list[Week]:
    """The weeks to explain: the one holding ``day``, else week ``week``, else all of them."""
    if day is not None:
        return [w for w in plan.weeks if w.start <= day <= w.start + dt.timedelta(days=6)]
    if week is not None:
        return [w for w in plan.weeks if w.index == week]
    return list(plan.weeks)
