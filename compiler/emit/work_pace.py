"""What a workout is run at: ``main_work`` picks the step that names a session's main work (the
longest easy run, the first fast rep, a progression's finish) and its pace, which the summary,
the facts and the pace columns of every output show.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from ..model import EASY_ZONES, PaceRange, Step, Workout
from ..units import Unit
from ..vocabulary import Category, Intensity, StepKind
from .step_text import walk_steps
from .text import effort_text, pace_text, zone_label

# Categories run at easy pace whatever faster reps they hold (strides are an accent, not the work).
EASY_CATEGORIES = frozenset({Category.EASY, Category.RECOVERY, Category.STRIDES})


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
    return [s for s in walk_steps(steps) if s.kind == StepKind.RUN and s.pace is not None]


def first_rep(workout: Workout, fast: bool) -> Step | None:
    """The first rep of the first repeat holding one: the first paced step of it (``fast``: the
    first paced step faster than easy)."""
    for step in workout.steps:
        if step.kind == StepKind.REPEAT:
            for inner in walk_steps(step.steps):
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
    if workout.category == Category.PROGRESSION:
        return True
    first = workout.steps[0] if workout.steps else None
    return (
        first is not None
        and first.kind == StepKind.RUN
        and first.zone in EASY_ZONES
        and first.pace is not None
        and not any(s.kind == StepKind.REPEAT for s in workout.steps)
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
    if (
        workout.intensity == Intensity.EASY or workout.category in EASY_CATEGORIES or not fast
    ) and easy:
        step = _longest(easy)
        return MainWork(step) if step is not None else None
    if _progressive(workout, fast):
        finish = min(reversed(fast), key=lambda s: s.pace.fast if s.pace else math.inf)
        start = runs[0].pace  # easy, unless the week left no room for the easy part
        return MainWork(finish, start if runs[0] is not finish else None)
    step = first_rep(workout, fast=True) or _longest(fast)
    if step is not None:
        return MainWork(step)
    step = first_rep(workout, fast=False) or _longest(
        s for s in walk_steps(workout.steps) if s.kind != StepKind.REPEAT and s.pace is not None
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
    rep = first_rep(workout, fast=True)
    if rep is None or rep.pace is None:
        return ""
    strides = workout.category == Category.STRIDES or rep.duration_s <= STRIDE_S
    name = "strides" if strides else zone_label(rep.zone or "").lower()
    return f"{name} {effort_text(rep.zone) if rep.effort else pace_text(rep.pace, unit)}"
