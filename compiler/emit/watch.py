"""What the watch outputs (FIT workout files, intervals.icu events) agree on: which workouts go to
a watch, what their files are called, how a step is measured and which pace range it targets.

Both outputs are made from the compiled Plan, the same one plan.json and the feeds are made from,
so the watch can never disagree with the calendar.  The template language has no "open" (lap
button) step: every step has a size, and a ``fill`` step is sized by the plan (its distance), so
every step is written with its distance or time, never as an open step.  Its target is
open, not a pace, for a step run by effort (``Step.effort``, hill repeats): the effort goes in
the step's notes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from enum import Enum

from ..model import PaceRange, Plan, Step, Workout
from ..units import METRES_PER, Unit, round_pace
from ..vocabulary import Category, StepKind
from .registry import WORKOUT_FILES
from .step_text import measured_by_distance
from .text import effort_text

ZIP_WEEKS = 4  # weeks (from the week holding "today") in the zip
NOT_RUNS = frozenset({Category.STRENGTH, Category.REST, Category.CROSS_TRAINING})
# A single pace (a recovery jog at the easy pace's slow end, or a range that rounds to one pace)
# is a target no runner holds to the second: the watch gets this much either side of it, in
# seconds per unit of the athlete's (5 s/km or 5 s/mi), so it does not beep on every stride.
SINGLE_PACE_MARGIN_S = 5
PACE_STEP_S = 5  # paces are rounded as the page shows them: to 5 s per km or per mile


class Measure(Enum):
    """How a step ends on the watch."""

    DISTANCE = "distance"
    TIME = "time"


class Intent(Enum):
    """What a step is for, as watches show it (FIT's ``intensity``)."""

    ACTIVE = "active"
    REST = "rest"
    WARMUP = "warmup"
    COOLDOWN = "cooldown"
    RECOVERY = "recovery"


_INTENTS = {
    StepKind.WARMUP: Intent.WARMUP,
    StepKind.COOLDOWN: Intent.COOLDOWN,
    StepKind.RECOVER: Intent.RECOVERY,
    StepKind.JOG: Intent.RECOVERY,
    StepKind.WALK: Intent.REST,
}
STEP_NAMES = {
    StepKind.WARMUP: "Warm-up",
    StepKind.COOLDOWN: "Cool-down",
    StepKind.RECOVER: "Recover",
    StepKind.JOG: "Jog",
    StepKind.WALK: "Walk",
    StepKind.RUN: "Run",
}


def intent(step: Step) -> Intent:
    return _INTENTS.get(step.kind, Intent.ACTIVE)


def measure(step: Step, unit: Unit) -> Measure:
    """By distance when the coach wrote a distance (or a fill, sized in metres) and the step has
    one; by time otherwise (a walk, which counts no distance, or "15min @ easy").  A step made
    without saying how it was written is measured as the page words it."""
    if step.distance_m <= 0:
        return Measure.TIME
    if step.duration_s <= 0 or measured_by_distance(step, unit):
        return Measure.DISTANCE
    return Measure.TIME


@dataclass(frozen=True)
class PaceTarget:
    """A pace range in seconds per km, fast <= slow, as the watch gets it: each end rounded to
    PACE_STEP_S in the athlete's unit (as the page shows it), a single pace widened by
    SINGLE_PACE_MARGIN_S either side."""

    fast: float
    slow: float

    @property
    def fast_speed(self) -> float:
        """Metres per second at the fast end."""
        return 1000.0 / self.fast

    @property
    def slow_speed(self) -> float:
        return 1000.0 / self.slow


def pace_target(pace: PaceRange, unit: Unit, widen: bool = True) -> PaceTarget:
    """The watch's target for ``pace``; ``widen=False`` keeps a single pace single (a text
    target, which says "5:30/km" as the page does)."""
    fast = round_pace(min(pace.fast, pace.slow), unit, PACE_STEP_S)
    slow = round_pace(max(pace.fast, pace.slow), unit, PACE_STEP_S)
    if widen and abs(fast - slow) < 1e-9:
        margin = SINGLE_PACE_MARGIN_S * 1000.0 / METRES_PER[unit]
        fast, slow = fast - margin, slow + margin
    return PaceTarget(fast, slow)


def target_pace(step: Step) -> PaceRange | None:
    """The pace a watch holds ``step`` to: none for a step run by effort (hill repeats: the
    pace only sized it; on a hill it would be wrong and beep all the way up)."""
    return None if step.effort else step.pace


def step_note(step: Step) -> str | None:
    """The note a watch shows with ``step``; a step run by effort says its effort first."""
    if not step.effort:
        return step.note
    return " ".join(t for t in (f"By feel: {effort_text(step.zone)}.", step.note) if t)


def is_run(workout: Workout) -> bool:
    """Whether ``workout`` goes to the watch: a run (race day too), not strength, rest or
    cross-training."""
    if workout.category in NOT_RUNS or not workout.steps:
        return False
    return all(step.kind != StepKind.EXERCISE for step in walk(workout.steps))


def walk(steps: tuple[Step, ...]) -> Iterator[Step]:
    """Every step, repeats and the steps inside them (once each, not expanded)."""
    for step in steps:
        yield step
        yield from walk(step.steps)


def runs(plan: Plan) -> tuple[Workout, ...]:
    """The plan's workouts that go to the watch, by date and slot."""
    return tuple(sorted((w for w in plan.workouts if is_run(w)), key=lambda w: (w.date, w.slot)))


def fit_name(workout: Workout) -> str:
    """``workouts/2027-03-01-run.fit``: the date and slot, planc's identity of a workout."""
    return WORKOUT_FILES.name(f"{workout.date.isoformat()}-{workout.slot}")


def upcoming(plan: Plan, today: dt.date | None) -> tuple[Workout, ...]:
    """The runs of the ZIP_WEEKS weeks from the week holding ``today`` (from the plan's first
    week when today is before it or unknown); none once the plan is over."""
    weeks = sorted(plan.weeks, key=lambda w: w.start)
    first = 0
    if today is not None:
        later = [i for i, w in enumerate(weeks) if w.start + dt.timedelta(days=w.days - 1) >= today]
        if not later:
            return ()
        first = later[0]
    chosen = {w.start for w in weeks[first : first + ZIP_WEEKS]}
    starts = {w.uid: week.start for week in weeks for w in week.workouts}
    return tuple(w for w in runs(plan) if starts[w.uid] in chosen)
