"""Text shared by every output format, so the calendar, the page, the Markdown and the JSON say the
same numbers in the same words.  Everything is rendered in the athlete's units with the helpers of
``compiler.units``; nothing here knows about a file format.

This module holds the labels, the small pieces (a day, a distance, a week's volume) and the
plan-wide tables; a workout's steps are worded in ``step_text``, the pace it is run at is picked
in ``work_pace`` and the words each workout gets once per build are made in ``workout_words``.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections import Counter
from dataclasses import dataclass

from ..model import (
    BACK_FROM_BREAK,
    ZONES,
    Layer,
    PaceRange,
    Plan,
    Race,
    Week,
    Workout,
    current_fitness_zone,
)
from ..report import count
from ..units import Unit, format_clock, format_distance, format_duration, format_pace_range
from ..vocabulary import Category, Role, StepKind, Zone

WEEKDAY_ABBR = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
WEEKDAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")

CATEGORY_LABELS: dict[str, str] = {
    Category.EASY: "Easy run",
    Category.LONG: "Long run",
    Category.RECOVERY: "Recovery run",
    Category.TEMPO: "Tempo",
    Category.THRESHOLD: "Threshold",
    Category.PROGRESSION: "Progression run",
    Category.INTERVALS: "Intervals",
    Category.HILLS: "Hills",
    Category.VO2MAX: "VO2max",
    Category.STRIDES: "Easy run + strides",
    Category.STRENGTH: "Strength",
    Category.REST: "Rest",
    Category.RACE: "Race",
    Category.CROSS_TRAINING: "Cross-training",
}

# The calendar grid's labels: short enough for a phone's narrow day column.
CATEGORY_SHORT: dict[str, str] = {
    Category.EASY: "Easy",
    Category.LONG: "Long",
    Category.RECOVERY: "Recov",
    Category.TEMPO: "Tempo",
    Category.THRESHOLD: "Thresh",
    Category.PROGRESSION: "Prog",
    Category.INTERVALS: "Intvl",
    Category.HILLS: "Hills",
    Category.VO2MAX: "VO2",
    Category.STRIDES: "Easy+",
    Category.STRENGTH: "S&C",
    Category.REST: "Rest",
    Category.RACE: "Race",
    Category.CROSS_TRAINING: "X-train",
}

ZONE_LABELS: dict[str, str] = {
    Zone.RECOVERY: "Recovery",
    Zone.EASY: "Easy",
    Zone.STEADY: "Steady",
    Zone.MARATHON: "Marathon",
    Zone.THRESHOLD: "Threshold",
    Zone.INTERVAL: "Interval",
    Zone.REPETITION: "Repetition",
    Zone.FIVE_K: "5K race",
    Zone.TEN_K: "10K race",
    Zone.HALF: "Half marathon race",
    Zone.RACE: "Goal race",
}

STEP_LABELS = {
    StepKind.WARMUP: "warm-up",
    StepKind.COOLDOWN: "cool-down",
    StepKind.RECOVER: "recover",
    StepKind.WALK: "walk",
    StepKind.JOG: "jog",
    StepKind.RUN: "",
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
    """'<athlete name>: <race name>', the calendar's and the page's name; for a training
    block, which has no race, '<athlete name>: Base-building block, 10 weeks'."""
    race = plan.athlete.race
    return f"{plan.athlete.name}: {race.name if race is not None else block_text(plan)}"


def listed_races(plan: Plan) -> tuple[Race, ...]:
    """The races a plan lists after its headline race (``athlete.race``), by date: its B and
    C races and, in a season of two A races, the second A race."""
    athlete = plan.athlete
    second = (athlete.second_race,) if athlete.second_race is not None else ()
    return tuple(sorted((*athlete.other_races, *second), key=lambda race: race.date))


def block_text(plan: Plan) -> str:
    """A training block in words, its program and length: 'Base-building block, 10 weeks'."""
    weeks = len(plan.weeks)
    return f"{plan.program.title} block, {weeks} week{'s' * (weeks != 1)}"


def lighter_mark(week: Week) -> str:
    """What a lighter week is, for the label beside its volume: 'back from a break' for the
    weeks back from time away (the engine marks them lighter too, but a coach calls them the
    return, not a cutback: two 'cutback' weeks around a trip read as a mistake, round 15),
    'cutback' for a cutback week, '' for any other."""
    if week.rule.startswith(BACK_FROM_BREAK):
        return "back from a break"
    return "cutback" if week.cutback else ""


def week_mark(week: Week) -> str:
    """The words beside a week's planned volume: '(cutback week)', '(back from a break)' or ''."""
    mark = lighter_mark(week)
    if not mark:
        return ""
    return f"({mark} week)" if mark == "cutback" else f"({mark})"


def day_label(day: dt.date) -> str:
    """'Mon 2026-11-30' (English weekday names whatever the locale)."""
    return f"{WEEKDAY_ABBR[day.weekday()]} {day.isoformat()}"


def category_label(category: str) -> str:
    return CATEGORY_LABELS.get(category, category.replace("-", " ").capitalize())


def category_short(category: str) -> str:
    """A category in a word or two ('Intvl', 'S&C'), for the narrow cells of a calendar grid."""
    return CATEGORY_SHORT.get(category, category_label(category))


def workout_label(workout: Workout) -> str:
    """What kind of run the workout is, in words: its category's label, but a medium-long run
    by its role (an easy run by category, it read "Easy run 16.5 km" in the calendar beside its
    card's "Medium-long run · 16.5 km")."""
    if workout.role == Role.MEDIUM_LONG:
        return "Medium-long run"
    return category_label(workout.category)


def workout_short(workout: Workout) -> str:
    """workout_label in a word or two, for the calendar grid."""
    if workout.role == Role.MEDIUM_LONG:
        return "Med-long"
    return category_short(workout.category)


def zone_label(zone: str) -> str:
    return ZONE_LABELS.get(zone, zone)


def effort_text(zone: str | None) -> str:
    """How a step run by effort (``Step.effort``, hill repeats) is worded instead of a pace:
    '5K effort', 'threshold effort', 'goal race effort'."""
    label = zone_label(zone or Zone.EASY)
    if label.endswith(" race") and zone != Zone.RACE:
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
        if workout.category != Category.RACE:
            continue
        raced = sum(
            s.distance_m for s in workout.steps if s.kind == StepKind.RUN and s.zone == Zone.RACE
        )
        total += raced or workout.distance_m
    return total


def race_text(metres: float, unit: Unit) -> str:
    """'the race (42.2 km)': the race's own distance, to a tenth (a half is no '21 km')."""
    return f"the race ({format_distance(metres, unit)})"


def week_volume_text(week: Week, unit: Unit, label: str = "") -> str:
    """A week's planned volume (then ``label``); in race week its training first, then the race
    apart: '11 km + the race (42.2 km)', so race week reads as the light week it is, not as the
    plan's biggest (the race is no training volume; its warm-up is counted with the
    training)."""
    race = race_m(week)
    training = volume_text(week.planned_m - race, unit) + label
    return f"{training} + {race_text(race, unit)}" if race else training


def week_planned_text(week: Week, unit: Unit) -> str:
    """'42 km planned'; race week '11 km planned + the race (42.2 km)'."""
    return week_volume_text(week, unit, " planned")


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


def block_countdown_text(last_day: dt.date, today: dt.date) -> str:
    """How far a block's last day is from ``today``: '3 weeks 2 days to the end of the
    block' (a block has no race day to count down to)."""
    days = (last_day - today).days
    if days > 0:
        return f"{span_text(days)} to the end of the block"
    if days == 0:
        return "The block ends today"
    return f"The block ended {span_text(-days)} ago"


def week_heading(week: Week, weeks: int) -> str:
    """'Week 2 of 12 · Build' (the phase's title); a week back from a break says so, 'Week 11
    of 16 · Race-specific · back from a break': the heading names what the week is (round 18:
    an all-easy week back from a trip headed only "Race-specific")."""
    back = " · back from a break" if lighter_mark(week) == "back from a break" else ""
    return f"Week {week.index} of {weeks} · {week.phase_title}{back}"


def layer_text(layer: Layer) -> str:
    """One of the athlete's changes to a session, told to the athlete: "Moved (from
    2026-12-08): travel, work trip".  `planc explain` names the file and line instead."""
    why = ", ".join(part for part in (layer.reason, layer.note) if part)
    head = layer.action.capitalize() + (f" ({layer.was})" if layer.was else "")
    return head + (f": {why}" if why else "")


# --------------------------------------------------------------------------- plan-wide tables


NO_GOAL_RACE_LABEL = "Race (from your fitness)"
CURRENT_FITNESS = "(current fitness)"  # beside the goal race's row
HELD_RACE_LABEL = "Race (held from your goal)"  # a goal beyond today's fitness: the pace held


def _pace_label(plan: Plan, zone: str) -> str:
    """A zone's row label; the race zone without a goal is the pace the athlete's fitness
    predicts, not a "goal race" pace nobody set (review round 7); the race distance's own zone,
    when it reads another pace than the goal race's, is the current fitness's, as the sessions
    name it ('current 5K pace' beside 'goal race pace', review round 12)."""
    if zone == Zone.RACE and (plan.athlete.race is None or plan.athlete.race.goal_s is None):
        return NO_GOAL_RACE_LABEL
    if zone == Zone.RACE and plan.paces.race_held:
        return HELD_RACE_LABEL  # held slower than the goal: not the goal's pace (round 15)
    if plan.athlete.race is not None and zone == current_fitness_zone(
        plan.paces, plan.program.distance_m, plan.athlete.units
    ):
        return f"{zone_label(zone)} {CURRENT_FITNESS}"
    return zone_label(zone)


def pace_rows(plan: Plan) -> tuple[PaceRow, ...]:
    """The athlete's paces: the known zones in their usual order, then any others by name."""
    zones = plan.paces.zones
    order = [z for z in ZONES if z in zones] + sorted(z for z in zones if z not in ZONES)
    if plan.athlete.race is None:  # a block has no race, so no race pace to show
        order = [z for z in order if z != Zone.RACE]
    return tuple(
        PaceRow(zone=z, label=_pace_label(plan, z), pace=pace_text(zones[z], plan.athlete.units))
        for z in order
    )


@dataclass(frozen=True)
class PaceCycle:
    """One training cycle's paces as the page and plan.md show them: a heading naming its
    race and weeks ('' for a plan of one cycle), the plan as that cycle's paces and race see
    it (``pace_rows`` and ``goal_text`` read it), and whether ``today`` falls in it."""

    label: str
    plan: Plan
    current: bool = False


def pace_cycles(plan: Plan, today: dt.date | None = None) -> tuple[PaceCycle, ...]:
    """The paces that apply to each cycle: the plan's own for a plan of one cycle; for a season
    of two A races the first cycle's (the plan's headline paces) and the second's, each with
    its own race zone and goal, labelled with its race and weeks, the one ``today`` is in
    marked current."""
    second, race = plan.second_cycle, plan.athlete.second_race
    if second is None or race is None or plan.athlete.race is None:
        return (PaceCycle("", plan),)
    split = next((w.index for w in plan.weeks if w.start >= second.start), len(plan.weeks) + 1)
    athlete = dataclasses.replace(plan.athlete, race=race, second_race=None)
    later = dataclasses.replace(
        plan, athlete=athlete, program=second.program, paces=second.paces, second_cycle=None
    )
    first_now = today is not None and plan.start <= today < second.start
    return (
        PaceCycle(f"For {plan.athlete.race.name}: weeks 1 to {split - 1}", plan, first_now),
        PaceCycle(
            f"For {race.name}: weeks {split} to {len(plan.weeks)}",
            later,
            today is not None and today >= second.start,
        ),
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
    within reach when the goal lies beyond it); '' without a goal or a prediction, and for a
    training block, which has no race and so no goal."""
    race = plan.athlete.race
    if race is None:
        return ""
    goal_s, predicted_s = race.goal_s, plan.paces.predicted_s
    trained = plan.paces.zones.get(Zone.RACE)
    if not goal_s or not predicted_s or trained is None:
        return ""
    unit, distance = plan.athlete.units, plan.program.distance_m

    def at_pace(seconds: float) -> str:
        per_km = seconds * 1000 / distance
        return pace_text(PaceRange(per_km, per_km), unit)

    def timed(seconds: float) -> str:
        return f"{format_clock(seconds)} ({at_pace(seconds)})"

    gap = predicted_s - goal_s
    gap_text = f"{round(gap)} s" if gap < 60 else format_clock(gap)
    said = f"Your goal, {timed(goal_s)}, is"
    today = f"your fitness today predicts: {timed(predicted_s)}"
    # slower than the goal as the athlete reads paces (to the second in their unit), not by a
    # rounding's fraction of a second: then say what held the sessions back
    slower = pace_text(trained, unit) != at_pace(goal_s) and trained.fast > goal_s * 1000 / distance
    # the time the sessions train for: their pace (a whole second in the athlete's unit when
    # held, plan/paces.trained_race_pace) over the distance, as the goal-ambitious warning says
    trained_at = timed(trained.fast * distance / 1000)
    if slower:
        # held at today's fitness (beyond reach, the threshold rule binding): its whole second
        # of pace may read slower than the prediction just said (round 20)
        at_fitness = pace_text(trained, unit) == at_pace(predicted_s) or (
            trained.fast * distance / 1000 > predicted_s
        )
        return f"{said} {gap_text} faster than {today}" + _held_goal_text(
            plan.paces.race_held, at_fitness, trained_at
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


def _held_goal_text(held: str, at_fitness: bool, trained_at: str) -> str:
    """The rest of goal_text's sentence when the race-pace sessions train slower than the
    goal: what holds them (Paces.race_held: the threshold rule, or a goal beyond reach, held
    at the fastest within reach or, for a race of an hour or more, at today's fitness)."""
    if held == "threshold":
        return (
            f". The race-pace sessions train for {trained_at}, a little slower than the goal: "
            "a race of an hour or more is run a little below threshold pace, and the goal's "
            "pace is that close to your threshold today. As the build raises your threshold, "
            "a newer race moves them to the goal."
        )
    if at_fitness:
        return (
            ", more than one plan usually brings. The race-pace sessions train for "
            f"{trained_at}, today's fitness to the whole second of pace: a race of an hour or "
            "more is run a little below threshold pace, and that holds them there, short of "
            "the fastest goal within reach. A race later in the plan that shows more fitness "
            "brings them closer to the goal."
        )
    return (
        ", more than one plan usually brings. The race-pace sessions train for "
        f"{trained_at}, the fastest within reach; a race later in the plan that shows more "
        "fitness brings them closer to the goal."
    )


def strength_text(plan: Plan) -> str:
    """When most of the athlete's full weeks hold fewer strength sessions than they asked for,
    that in plain words, once for the plan ('' otherwise): the count most of those weeks hold.
    A full week has strength, no race and no days away (race week keeps one session, a trip
    takes its days), so what is left out is for the rule that leaves no free day for it: no
    strength session the day before a hard session or the long run (plan/schedule.py)."""
    asked = plan.athlete.strength_per_week
    held = [
        n
        for week in plan.weeks
        if not any(w.category == Category.RACE for w in week.workouts)
        and not plan.athlete.days_away(week.start, week.days)
        and (n := sum(1 for w in week.workouts if w.category == Category.STRENGTH))
    ]
    short = Counter(n for n in held if n < asked)
    if 2 * short.total() <= len(held):
        return ""
    fit = max(short, key=lambda n: (short[n], n))
    sessions = "session" if fit == 1 else "sessions"
    when = "a week" if short.total() == len(held) and len(short) == 1 else "in most weeks"
    return (
        f"{fit} strength {sessions} {when} fit around your running, not the {asked} you asked "
        "for: none goes the day before a hard session or the long run, so you come to those "
        "with fresh legs."
    )


def race_distance_text(plan: Plan) -> str:
    return format_distance(plan.program.distance_m, plan.athlete.units)
