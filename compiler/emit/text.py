"""Text shared by every output format, so the calendar, the page, the Markdown and the JSON say the
same numbers in the same words.  Everything is rendered in the athlete's units with the helpers of
``compiler.units``; nothing here knows about a file format.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from ..model import EASY_ZONES, ZONES, Layer, PaceRange, Plan, Step, Week, Workout
from ..report import count
from ..units import (
    Unit,
    format_clock,
    format_distance,
    format_duration,
    format_pace_range,
    to_unit,
)

WEEKDAY_ABBR = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
WEEKDAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")

CATEGORY_LABELS = {
    "easy": "Easy run",
    "long": "Long run",
    "recovery": "Recovery run",
    "tempo": "Tempo",
    "threshold": "Threshold",
    "progression": "Progression run",
    "intervals": "Intervals",
    "hills": "Hills",
    "vo2max": "VO2max",
    "strides": "Easy run + strides",
    "strength": "Strength",
    "rest": "Rest",
    "race": "Race",
}

# The calendar grid's labels: short enough for a phone's narrow day column.
CATEGORY_SHORT = {
    "easy": "Easy",
    "long": "Long",
    "recovery": "Recov",
    "tempo": "Tempo",
    "threshold": "Thresh",
    "progression": "Prog",
    "intervals": "Intvl",
    "hills": "Hills",
    "vo2max": "VO2",
    "strides": "Easy+",
    "strength": "S&C",
    "rest": "Rest",
    "race": "Race",
}

ZONE_LABELS = {
    "recovery": "Recovery",
    "easy": "Easy",
    "steady": "Steady",
    "marathon": "Marathon",
    "threshold": "Threshold",
    "interval": "Interval",
    "repetition": "Repetition",
    "5k": "5K race",
    "10k": "10K race",
    "half": "Half marathon race",
    "race": "Goal race",
}

STEP_LABELS = {
    "warmup": "warm-up",
    "cooldown": "cool-down",
    "recover": "recover",
    "walk": "walk",
    "jog": "jog",
    "run": "",
}

# Race distances that are not round numbers of metres: a step this long was written as a distance.
RACE_DISTANCES_M = (21097.5, 42195.0)


@dataclass(frozen=True)
class PaceRow:
    zone: str  # the zone key: easy, marathon, ... 5k, race
    label: str
    pace: str  # in the athlete's units: "5:10-5:40/km"


# --------------------------------------------------------------------------- small pieces


def plan_title(plan: Plan) -> str:
    """'<athlete name>: <race name>', the calendar's and the page's name."""
    return f"{plan.athlete.name}: {plan.athlete.race.name}"


def day_label(day: dt.date) -> str:
    """'Mon 2026-11-30' (English weekday names whatever the locale)."""
    return f"{WEEKDAY_ABBR[day.weekday()]} {day.isoformat()}"


def category_label(category: str) -> str:
    return CATEGORY_LABELS.get(category, category.replace("-", " ").capitalize())


def category_short(category: str) -> str:
    """A category in a word or two ('Intvl', 'S&C'), for the narrow cells of a calendar grid."""
    return CATEGORY_SHORT.get(category, category_label(category))


def zone_label(zone: str) -> str:
    return ZONE_LABELS.get(zone, zone)


def effort_text(zone: str | None) -> str:
    """How a step run by effort (``Step.effort``, hill repeats) is worded instead of a pace:
    '5K effort', 'threshold effort', 'goal race effort'."""
    label = zone_label(zone or "easy")
    if label.endswith(" race") and zone != "race":
        label = label.removesuffix(" race")
    return f"{label if label[:1].isdigit() else label.lower()} effort"


def pace_text(pace: PaceRange, unit: Unit) -> str:
    return format_pace_range(pace.fast, pace.slow, unit)


def distance_text(metres: float, unit: Unit) -> str:
    """A workout's distance, '' when it has none (strength)."""
    return format_distance(metres, unit) if metres > 0 else ""


def duration_text(seconds: float) -> str:
    """A workout's duration, '' when unknown."""
    return format_duration(seconds) if seconds > 0 else ""


def volume_text(metres: float, unit: Unit) -> str:
    """A weekly volume, whole units: '42 km', '26 mi'."""
    if metres <= 0:
        return f"0 {unit}"
    return format_distance(metres, unit, places=0)


def race_m(week: Week) -> float:
    """The metres of a week's race itself, its steps at race pace (the race-day session's
    warm-up is running of the week, not the race), 0 in any other week."""
    total = 0.0
    for workout in week.workouts:
        if workout.category != "race":
            continue
        raced = sum(s.distance_m for s in workout.steps if s.kind == "run" and s.zone == "race")
        total += raced or workout.distance_m
    return total


def race_text(metres: float, unit: Unit) -> str:
    """'the race (42.2 km)': the race's own distance, to a tenth (a half is no '21 km')."""
    return f"the race ({format_distance(metres, unit)})"


def week_volume_text(week: Week, unit: Unit) -> str:
    """A week's planned volume; in race week its training first, then the race apart: '11 km +
    the race (42.2 km)', so race week reads as the light week it is, not as the plan's biggest
    (the race is no training volume; its warm-up is counted with the training)."""
    race = race_m(week)
    training = volume_text(week.planned_m - race, unit)
    return f"{training} + {race_text(race, unit)}" if race else training


def week_planned_text(week: Week, unit: Unit) -> str:
    """'42 km planned'; race week '11 km planned + the race (42.2 km)' (week_volume_text)."""
    race = race_m(week)
    planned = f"{volume_text(week.planned_m - race, unit)} planned"
    return f"{planned} + {race_text(race, unit)}" if race else planned


def clock_text(time: dt.time | None) -> str:
    return time.strftime("%H:%M") if time is not None else ""


def when_text(workout: Workout) -> str:
    """'Tue 2026-12-01', with the start time when there is one: 'Tue 2026-12-01 06:30'."""
    time = clock_text(workout.start_time)
    return f"{day_label(workout.date)} {time}" if time else day_label(workout.date)


def span_text(days: int) -> str:
    """'3 weeks', '2 weeks 3 days', '5 days', '1 week 1 day' (days >= 0)."""
    weeks, rest = divmod(days, 7)
    parts = ([count(weeks, "week")] if weeks else []) + ([count(rest, "day")] if rest else [])
    return " ".join(parts) or "0 days"


def countdown_text(race_day: dt.date, today: dt.date) -> str:
    """How far race day is from ``today``, in weeks: '3 weeks 2 days to race day'."""
    days = (race_day - today).days
    if days > 0:
        return f"{span_text(days)} to race day"
    if days == 0:
        return "Race day is today"
    return f"Race day was {span_text(-days)} ago"


def week_heading(week: Week, weeks: int) -> str:
    """'Week 2 of 12 · Build' (the phase's title)."""
    return f"Week {week.index} of {weeks} · {week.phase_title}"


# --------------------------------------------------------------------------- steps


def _near_multiple(value: float, step: float) -> bool:
    return math.isclose(value / step, round(value / step), abs_tol=1e-6)


def _measured_by_distance(step: Step, unit: Unit) -> bool:
    """Whether the coach wrote the step as a distance ("400m") rather than a time ("15min").

    Compiled steps say so (``Step.measure``).  For a step made without it, guess: the number the
    coach wrote is round and the other, computed from the pace, seldom is; so a multiple of 50 m
    (or of 0.05 in the athlete's unit) or a race distance was written as a distance, a multiple of
    5 s as a time; when both or neither are round, runs are distances and the rest times.
    """
    if step.measure is not None:
        return step.measure == "distance"
    round_distance = (
        _near_multiple(step.distance_m, 50.0)
        or _near_multiple(to_unit(step.distance_m, unit), 0.05)
        or any(math.isclose(step.distance_m, d, abs_tol=1.0) for d in RACE_DISTANCES_M)
    )
    round_duration = _near_multiple(step.duration_s, 5.0)
    if round_distance != round_duration:
        return round_distance
    return step.kind == "run"


def step_amount(step: Step, unit: Unit) -> str:
    """The size of a step as the coach meant it: '400 m', '15 min', '1.5 mi'."""
    if step.distance_m <= 0 and step.duration_s <= 0:
        return ""
    if step.distance_m <= 0:
        return format_duration(step.duration_s)
    if step.duration_s <= 0 or _measured_by_distance(step, unit):
        return format_distance(step.distance_m, unit)
    return format_duration(step.duration_s)


def _notes(steps: Iterable[Step]) -> list[str]:
    return [s.note for s in _walk(steps) if s.note and s.kind != "exercise"]


def step_line(step: Step, unit: Unit) -> str:
    """One step in words: '6 x (400 m @ 3:55/km, walk 90 s)', 'warm-up 15 min @ 5:10-5:40/km',
    'Squats: 3 x 12'.  Notes follow the step after a dash."""
    notes = _notes((step,))  # the step's own note, then those of its nested steps
    return " — ".join([_bare_step(step, unit), *dict.fromkeys(notes)])


def _bare_step(step: Step, unit: Unit) -> str:
    """A step without its notes (nested repeats keep their structure)."""
    if step.kind == "repeat":
        inner = ", ".join(_bare_step(s, unit) for s in step.steps)
        return f"{step.repeat} x ({inner})"
    if step.kind == "exercise":
        name = step.label or "exercise"
        if step.note:
            return f"{name}: {step.note}"
        amount = step_amount(step, unit)
        return f"{name}: {amount}" if amount else name
    parts = [STEP_LABELS.get(step.kind, step.kind), step_amount(step, unit)]
    if step.effort:
        parts.append(f"@ {effort_text(step.zone)}")
    elif step.pace is not None:
        parts.append(f"@ {pace_text(step.pace, unit)}")
    elif step.zone:
        parts.append(f"@ {zone_label(step.zone).lower()}")
    return " ".join(p for p in parts if p)


def step_lines(workout: Workout, unit: Unit) -> tuple[str, ...]:
    return tuple(step_line(s, unit) for s in workout.steps)


def _walk(steps: Iterable[Step]) -> Iterable[Step]:
    for step in steps:
        yield step
        yield from _walk(step.steps)


# Categories run at easy pace whatever faster reps they hold (strides are an accent, not the work).
EASY_CATEGORIES = frozenset({"easy", "recovery", "strides"})


@dataclass(frozen=True)
class MainWork:
    """What a workout is run at: ``step``, the step that names the main work (its amount and
    pace), and for a run that builds from easy into faster running, ``start``, the pace it
    builds from, that of its first run (``step`` is then the fastest part, the finish)."""

    step: Step
    start: PaceRange | None = None


def _paced_runs(steps: Iterable[Step]) -> list[Step]:
    """The run steps (nested ones included) that have a pace, in order: no warm-up, cool-down,
    recovery, walk or jog."""
    return [s for s in _walk(steps) if s.kind == "run" and s.pace is not None]


def _first_rep(workout: Workout, fast: bool) -> Step | None:
    """The first rep of the first repeat holding one: the first paced step of it (``fast``: the
    first paced step faster than easy)."""
    for step in workout.steps:
        if step.kind == "repeat":
            for inner in _walk(step.steps):
                if (inner.pace is not None or inner.zone is not None) and (
                    not fast or inner.zone not in EASY_ZONES
                ):
                    return inner
    return None


def _longest(steps: Iterable[Step]) -> Step | None:
    """The longest of ``steps`` by time; the first of equals (stable)."""
    found = list(steps)
    return max(found, key=lambda s: s.duration_s) if found else None


def _progressive(workout: Workout, fast: Sequence[Step]) -> bool:
    """Whether the workout is one run that builds from easy into faster running: a progression,
    or (whatever its category, e.g. a long run with a steady finish) a workout without repeats
    that starts with an easy run and holds faster running after it."""
    if not fast:
        return False
    if workout.category == "progression":
        return True
    first = workout.steps[0] if workout.steps else None
    return (
        first is not None
        and first.kind == "run"
        and first.zone in EASY_ZONES
        and first.pace is not None
        and not any(s.kind == "repeat" for s in workout.steps)
    )


def main_work(workout: Workout) -> MainWork | None:
    """The pace a workout is run at, as its summary and the pace columns show it.

    - An easy session (easy intensity, or an easy, recovery or strides category), or one with no
      running faster than easy: the longest easy run, so an easy run with strides or a shakeout
      shows easy pace (the strides are in its steps and title).
    - A run that builds from easy into faster running (``_progressive``): its fastest part, the
      finish, starting from the pace of its first run (``MainWork.start``), easy unless the
      week left no room for the easy part.
    - Any other session: its work faster than easy: the first such rep of the first repeat
      holding one (intervals, hills), else the longest such run (the tempo block of a tempo run,
      never the warm-up or the easy running that rounds off the day).
    - A session with no paced run at all: its first rep, else its longest paced step of any kind.
    None when nothing in it has a pace (strength, rest)."""
    runs = _paced_runs(workout.steps)
    fast = [s for s in runs if s.zone not in EASY_ZONES]
    easy = [s for s in runs if s.zone in EASY_ZONES]
    if (workout.intensity == "easy" or workout.category in EASY_CATEGORIES or not fast) and easy:
        step = _longest(easy)
        return MainWork(step) if step is not None else None
    if _progressive(workout, fast):
        finish = min(reversed(fast), key=lambda s: s.pace.fast if s.pace else math.inf)
        start = runs[0].pace  # easy, unless the week left no room for the easy part
        return MainWork(finish, start if runs[0] is not finish else None)
    step = _first_rep(workout, fast=True) or _longest(fast)
    if step is not None:
        return MainWork(step)
    step = _first_rep(workout, fast=False) or _longest(
        s for s in _walk(workout.steps) if s.kind != "repeat" and s.pace is not None
    )
    return MainWork(step) if step is not None else None


def main_step(workout: Workout) -> Step | None:
    """The step that says what the workout is (see ``main_work``)."""
    work = main_work(workout)
    return work.step if work is not None else None


def work_pace_text(work: MainWork, unit: Unit) -> str:
    """The pace of ``work``: '5:20/km'; for a run that builds, from its easy start to the
    finish: '6:15-6:55 → 5:20/km'."""
    if work.step.pace is None:
        return ""
    if work.step.effort:
        return effort_text(work.step.zone)
    finish = pace_text(work.step.pace, unit)
    if work.start is None:
        return finish
    start = pace_text(work.start, unit).removesuffix(f"/{unit}")
    return f"{start} → {finish}"


def main_pace_text(workout: Workout, unit: Unit) -> str:
    """The pace of the workout's main work (``main_work``), '' when it has none."""
    work = main_work(workout)
    return work_pace_text(work, unit) if work is not None else ""


STRIDE_S = 30  # a fast rep this short, in easy running, is a stride


def accent_pace_text(workout: Workout, unit: Unit) -> str:
    """For easy running with faster reps (strides), the reps' pace: 'strides 4:40/km'; '' for
    any other session.  The main pace of such a run is the easy pace, so without this the
    athlete would see no pace for the strides but in the steps."""
    work = main_work(workout)
    if work is None or work.step.zone not in EASY_ZONES:
        return ""
    rep = _first_rep(workout, fast=True)
    if rep is None or rep.pace is None:
        return ""
    strides = workout.category == "strides" or rep.duration_s <= STRIDE_S
    name = "strides" if strides else zone_label(rep.zone or "").lower()
    return f"{name} {effort_text(rep.zone) if rep.effort else pace_text(rep.pace, unit)}"


def _repeat_of(workout: Workout, step: Step) -> Step:
    """The top-level repeat that holds ``step`` (``step`` itself when none does)."""
    return next(
        (s for s in workout.steps if s.kind == "repeat" and any(i is step for i in _walk(s.steps))),
        step,
    )


def workout_summary(workout: Workout, unit: Unit) -> str:
    """A short one-line summary of the workout at its main work's pace (``main_work``): 'Long
    run 18 km', 'Intervals 6x400 m @ 3:55/km', 'Tempo 20 min @ 5:20/km', 'Progression run 9.1 km
    @ 6:15-6:55 → 5:20/km', 'Easy run + strides 4.9 km', 'Easy run 3.2 km + 4x15 s' (easy
    running with faster reps), 'Race day · 21.1 km', 'Strength 25 min'."""
    label = category_label(workout.category)
    work = main_work(workout)
    step = work.step if work is not None else None
    if workout.category == "race":
        amount = step_amount(step, unit) if step is not None else ""
        return f"{workout.title} · {amount}" if amount else workout.title
    if workout.category == "strength":
        duration = duration_text(workout.duration_s)
        return f"{label} {duration}" if duration else label
    if workout.category == "rest":
        return label
    distance = distance_text(workout.distance_m, unit)
    plain = f"{label} {distance}" if distance else label
    if work is None or step is None or step.pace is None:
        return plain
    if step.zone in EASY_ZONES:
        # easy running; faster reps (strides) named after it, unless the label already does
        rep = _first_rep(workout, fast=True)
        if rep is None or workout.category == "strides":
            return plain
        return f"{plain} + {_repeat_of(workout, rep).repeat}x{step_amount(rep, unit)}"
    pace = work_pace_text(work, unit)
    if work.start is not None:
        return f"{plain} @ {pace}"
    repeat = _repeat_of(workout, step)
    if repeat.repeat:
        return f"{label} {repeat.repeat}x{step_amount(step, unit)} @ {pace}"
    return f"{label} {step_amount(step, unit)} @ {pace}"


def workout_facts(workout: Workout, unit: Unit, pace: str | None = None) -> str:
    """'9.3 km · 52 min · 3:55/km': what a table row says about a workout (``pace``: its main
    pace text, when already worked out)."""
    if pace is None:
        pace = main_pace_text(workout, unit)
    parts = [distance_text(workout.distance_m, unit), duration_text(workout.duration_s), pace]
    return " · ".join(p for p in parts if p)


@dataclass(frozen=True)
class Words:
    """What every output says about one workout, worded once per build: the summary line, the
    facts ('9.3 km · 52 min · 3:55/km'), the main pace and a line per step."""

    summary: str
    facts: str
    pace: str
    steps: tuple[str, ...]


def words(workout: Workout, unit: Unit) -> Words:
    pace = ", ".join(
        p for p in (main_pace_text(workout, unit), accent_pace_text(workout, unit)) if p
    )
    return Words(
        summary=workout_summary(workout, unit),
        facts=workout_facts(workout, unit, pace),
        pace=pace,
        steps=step_lines(workout, unit),
    )


PlanWords = Mapping[str, Words]  # by workout uid


def plan_words(plan: Plan) -> PlanWords:
    """The words of every workout of ``plan``, by uid: the emitters share them."""
    unit = plan.athlete.units
    return {w.uid: words(w, unit) for week in plan.weeks for w in week.workouts}


def workout_text(
    workout: Workout,
    unit: Unit,
    week: Week | None = None,
    weeks: int = 0,
    said: Words | None = None,
) -> str:
    """The full plain-text account of a workout (the calendar's DESCRIPTION); ``said``: its
    words, when already worded."""
    said = said or words(workout, unit)
    lines = [workout.title]
    facts = said.facts
    if facts:
        lines.append(facts)
    if workout.start_time is not None:
        lines.append(f"Start: {clock_text(workout.start_time)}")
    steps = said.steps
    if steps:
        lines.append("")
        lines.extend(f"- {s}" for s in steps)
    if workout.description.strip():
        lines.append("")
        lines.append(workout.description.strip())
    if workout.layers:
        lines.append("")
        lines.extend(layer_text(layer) for layer in workout.layers)
    if week is not None:
        lines.append("")
        lines.append(week_heading(week, weeks or week.index))
    return "\n".join(lines)


def layer_text(layer: Layer) -> str:
    """One of the athlete's changes to a session, told to the athlete: "Moved (from
    2026-12-08): travel, work trip".  `planc explain` names the file and line instead."""
    why = ", ".join(part for part in (layer.reason, layer.note) if part)
    head = layer.action.capitalize() + (f" ({layer.was})" if layer.was else "")
    return head + (f": {why}" if why else "")


# --------------------------------------------------------------------------- plan-wide tables


NO_GOAL_RACE_LABEL = "Race (from your fitness)"


def _pace_label(plan: Plan, zone: str) -> str:
    """A zone's row label; the race zone without a goal is the pace the athlete's fitness
    predicts, not a "goal race" pace nobody set (review round 7)."""
    if zone == "race" and plan.athlete.race.goal_s is None:
        return NO_GOAL_RACE_LABEL
    return zone_label(zone)


def pace_rows(plan: Plan) -> tuple[PaceRow, ...]:
    """The athlete's paces: the known zones in their usual order, then any others by name."""
    zones = plan.paces.zones
    order = [z for z in ZONES if z in zones] + sorted(z for z in zones if z not in ZONES)
    return tuple(
        PaceRow(zone=z, label=_pace_label(plan, z), pace=pace_text(zones[z], plan.athlete.units))
        for z in order
    )


def week_totals(week: Week) -> tuple[float, float]:
    """(distance in metres, duration in seconds) of a week's workouts."""
    return (
        sum(w.distance_m for w in week.workouts),
        sum(w.duration_s for w in week.workouts),
    )


GOAL_AS_PREDICTED = 0.01  # a goal within this share of the predicted time is the fitness's own


def goal_text(plan: Plan) -> str:
    """For an athlete with a goal time, in plain words: the goal's pace, what their fitness
    predicts today, and the pace the race-pace sessions train at (the goal's, or the fastest
    within reach when the goal lies beyond it); '' without a goal or a prediction."""
    goal_s, predicted_s = plan.athlete.race.goal_s, plan.paces.predicted_s
    trained = plan.paces.zones.get("race")
    if not goal_s or not predicted_s or trained is None:
        return ""
    unit, distance = plan.athlete.units, plan.program.distance_m

    def timed(seconds: float) -> str:
        per_km = seconds * 1000 / distance
        return f"{format_clock(seconds)} ({pace_text(PaceRange(per_km, per_km), unit)})"

    gap = predicted_s - goal_s
    gap_text = f"{round(gap)} s" if gap < 60 else format_clock(gap)
    said = f"Your goal, {timed(goal_s)}, is"
    today = f"your fitness today predicts: {timed(predicted_s)}"
    if trained.fast > goal_s * 1000 / distance + 0.5:
        return (
            f"{said} {gap_text} faster than {today}, more than one plan usually brings. The "
            f"race-pace sessions train at {pace_text(trained, unit)}, the fastest pace within "
            "reach; a race later in the plan that shows more fitness brings them closer to "
            "the goal."
        )
    if abs(gap) <= GOAL_AS_PREDICTED * predicted_s:
        return f"{said} about what {today}. The race-pace sessions train at the goal pace."
    if gap > 0:
        return (
            f"{said} {gap_text} faster than {today}. The race-pace sessions train at the goal "
            "pace; the build is there to close the gap."
        )
    return (
        f"{said} slower than {today}, a margin in hand. The race-pace sessions train at the "
        "goal pace."
    )


def race_distance_text(plan: Plan) -> str:
    return format_distance(plan.program.distance_m, plan.athlete.units)
