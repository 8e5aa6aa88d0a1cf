"""The athlete's changes, applied as layers over the compiled plan (the stage after expand).

A profile's ``changes:`` (compiler/plan/resolve_changes.py reads them) move, skip, replace and
swap workouts, move a week's long run and scale a span's easy running, in the order they are
written.  This stage is pure and small: a frozen ``Plan`` in, a frozen ``Plan`` out, the plan as
compiled untouched, so an athlete without changes gets the compiled plan itself and removing
every change gives the plan back byte for byte.  Each workout a change touched carries a
``Layer`` (the change's file and line, its reason and note, what it was), which plan.json,
plan.md, the page and ``planc explain`` show; a skipped workout leaves the week's workouts
(the calendar feeds cancel its event) and is kept in ``Week.skipped`` for the pages.  A moved or
replaced workout keeps its uid, so its calendar event moves or changes in place.

Each change is checked against the plan at the moment it applies, and reported at the value at
fault: no workout on that day, a date outside the plan, a day the athlete is away, a day that
has a run already (a swap is meant), the race (it moves with ``race.date``) are errors; a change
that puts two hard days in a row (the long run counts as hard) is a warning.

After a ``sick`` or ``injured`` skip of the program's ``return_after_illness.after_days`` or more
the plan returns gently (``ReturnRules``): in the ``days`` after it the first hard session
becomes an easy run and the easy running is held to ``easy_share``, each with a layer that says
so.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from ..diagnostics import Diagnostic, Position, error, warning
from ..model import (
    CROSS_TRAINING,
    EASY_RUN,
    WEEKDAYS,
    Blueprint,
    Change,
    Layer,
    Paces,
    Plan,
    ScheduledWeek,
    Slot,
    Source,
    Step,
    Week,
    Workout,
)
from ..vocabulary import (
    Category,
    ChangeAction,
    Intensity,
    LayerAction,
    RacePriority,
    Role,
    SlotKind,
    StepKind,
)
from .expand import strength_after_runs
from .sessions import build_workout, draft

EASY_ROLES = (Role.EASY, Role.RECOVERY, Role.LONG, Role.MEDIUM_LONG)


@dataclass(frozen=True)
class Changed:
    """The plan with the athlete's changes applied, and what checking them found."""

    plan: Plan
    diagnostics: tuple[Diagnostic, ...] = ()


def apply_changes(
    bp: Blueprint, paces: Paces, scheduled: Sequence[ScheduledWeek], plan: Plan
) -> Changed:
    """``plan`` with ``bp.athlete.changes`` applied in order.  A change with an error is left
    out (the error says why) and the rest still apply, so every problem is reported at once;
    the caller decides whether the plan may be used."""
    if not bp.athlete.changes:
        return Changed(plan)
    layering = _Layering(bp, paces, scheduled, plan)
    for change in bp.athlete.changes:
        layering.apply(change)
    return Changed(layering.result(), tuple(layering.diagnostics))


def is_hard(workout: Workout) -> bool:
    """A hard day's session: hard running, the long run or the race (not strength)."""
    if workout.slot == SlotKind.STRENGTH:
        return False
    return workout.intensity == Intensity.HARD or workout.role in (Role.LONG, Role.RACE)


def _at(source: Source | None) -> str:
    """Where a value is written, as the athlete file's own name and line: " (sam.yaml:12)";
    nothing when unknown."""
    if source is None:
        return ""
    return f" ({source.file.replace(chr(92), '/').rsplit('/', 1)[-1]}:{source.line})"


def _day_text(day: dt.date) -> str:
    return f"{WEEKDAYS[day.weekday()].capitalize()} {day.isoformat()}"


class _Layering:
    """The changes' working state: the plan's workouts by uid as the changes so far left them,
    the workouts skipped, the diagnostics.  Local to one ``apply_changes`` call."""

    def __init__(
        self, bp: Blueprint, paces: Paces, scheduled: Sequence[ScheduledWeek], plan: Plan
    ) -> None:
        self.bp, self.paces, self.scheduled, self.plan = bp, paces, scheduled, plan
        self.workouts: dict[str, Workout] = {w.uid: w for w in plan.workouts}
        self.skipped: dict[str, Workout] = {}
        self.diagnostics: list[Diagnostic] = []

    # ------------------------------------------------------------------ reporting

    def fail(self, code: str, change: Change, key: str, message: str, hint: str) -> None:
        at = change.at(key)
        self.diagnostics.append(error(code, message, at.file, Position(at.line, at.column), hint))

    def warn(self, code: str, change: Change, key: str, message: str, hint: str) -> None:
        at = change.at(key)
        self.diagnostics.append(warning(code, message, at.file, Position(at.line, at.column), hint))

    # ------------------------------------------------------------------ looking up

    def week_of(self, day: dt.date) -> Week | None:
        return next((week for week in self.plan.weeks if week.holds(day)), None)

    def on(self, day: dt.date, slot: SlotKind = SlotKind.RUN) -> Workout | None:
        """The day's run (the race included), or its strength session."""
        slots = (SlotKind.RUN, SlotKind.RACE) if slot == SlotKind.RUN else (slot,)
        return next((w for w in self.workouts.values() if w.date == day and w.slot in slots), None)

    def in_plan(self, change: Change, key: str, day: dt.date) -> bool:
        """Whether ``day`` is one of the plan's days (not before the athlete's `start:`, when
        a week begins before it); reported when not."""
        first = max(self.plan.start, self.bp.athlete.start or self.plan.start)
        if self.week_of(day) is not None and day >= first:
            return True
        self.fail(
            "change-outside-plan", change, key,
            f"{_day_text(day)} is outside the plan ({first} to "
            f"{self.plan.weeks[-1].start + dt.timedelta(days=self.plan.weeks[-1].days - 1)})",
            "check the date (and its year)",
        )  # fmt: skip
        return False

    def free_to_run(self, change: Change, key: str, day: dt.date) -> bool:
        """A day a workout may go to: in the plan and not a day away."""
        if not self.in_plan(change, key, day):
            return False
        away = self.bp.athlete.away_on(day)
        if away is None:
            return True
        note = f" ({away.note})" if away.note else ""
        self.fail(
            "change-day-away", change, key,
            f"the athlete is away on {_day_text(day)}{note}",
            "choose another day, or change `away:` if the trip changed",
        )  # fmt: skip
        return False

    def found(
        self, change: Change, key: str, day: dt.date, slot: SlotKind = SlotKind.RUN
    ) -> Workout | None:
        """The workout a change names, or None (reported): no session that day, or the race."""
        if not self.in_plan(change, key, day):
            return None
        workout = self.on(day, slot)
        if workout is None:
            what = "strength session" if slot == SlotKind.STRENGTH else "run"
            self.fail(
                "change-not-found", change, key,
                f"there is no {what} on {_day_text(day)} to {change.action.replace('_', ' ')}",
                self.days_hint(day, slot),
            )  # fmt: skip
            return None
        if workout.category == Category.RACE:
            self.fail(
                "bad-change", change, key,
                f"{_day_text(day)} is race day: the race is not changed by `changes:`",
                self.race_hint(day),
            )  # fmt: skip
            return None
        return workout

    def race_hint(self, day: dt.date) -> str:
        """Where to change the race of ``day`` instead: its `date:` under `races:` for a B or C
        race (or a season's second A race), the A race's `date:` where it is written."""
        athlete = self.bp.athlete
        others = (*athlete.other_races, *((athlete.second_race,) if athlete.second_race else ()))
        race = next((r for r in others if r.date == day), None)
        if race is not None:
            where = _at(race.source)
            return f"change the {race.priority} race's `date:` under `races:`{where} instead"
        return f"change the A race's `date:`{_at(athlete.race_source)} instead"

    def days_hint(self, day: dt.date, slot: SlotKind) -> str:
        """The days of ``day``'s week that hold a session of ``slot``, for a hint."""
        week = self.week_of(day)
        slots = (SlotKind.RUN, SlotKind.RACE) if slot == SlotKind.RUN else (slot,)
        days = sorted(
            w.date
            for w in self.workouts.values()
            if week is not None and week.holds(w.date) and w.slot in slots
        )
        what = "strength sessions" if slot == SlotKind.STRENGTH else "runs"
        if not days:
            return f"that week has no {what}; check the date"
        return f"that week has {what} on " + ", ".join(_day_text(d) for d in days)

    # ------------------------------------------------------------------ changing

    def layer(self, change: Change, action: LayerAction, was: str = "") -> Layer:
        return Layer(action, change.source, change.reason, change.note, was)

    def put(self, workout: Workout, layer: Layer) -> Workout:
        changed = dataclasses.replace(workout, layers=(*workout.layers, layer))
        self.workouts[workout.uid] = changed
        return changed

    def moved(self, workout: Workout, day: dt.date, layer: Layer) -> Workout:
        """``workout`` on ``day``, at the athlete's start time for that day; same uid."""
        start = self.bp.athlete.availability.start_times.get(day.weekday())
        return self.put(dataclasses.replace(workout, date=day, start_time=start), layer)

    def rebuilt(self, workout: Workout, template: str, distance_m: float) -> Workout:
        """``workout`` built again from ``template`` at about ``distance_m``, in the context
        of the week it is in now; its uid, start time and layers kept."""
        scheduled = next(
            s for s in self.scheduled
            if s.plan.start <= workout.date < s.plan.start + dt.timedelta(days=s.plan.days)
        )  # fmt: skip
        bp, paces = self.cycle_on(workout.date)
        chosen = bp.workouts[template]
        slot = Slot(
            workout.date, workout.slot, _role(chosen.category, chosen.intensity, workout.role),
            template, chosen.intensity, workout.reason,
        )  # fmt: skip
        made = draft(bp, paces, scheduled, slot)
        fill = max(round(distance_m, -2) - made.fixed_m, 0.0) if made.has_fill else 0.0
        built = build_workout(bp, paces, made, fill)
        return dataclasses.replace(
            built, uid=workout.uid, start_time=workout.start_time, layers=workout.layers
        )

    def easy_instead(self, workout: Workout, no_longer: bool = False) -> Workout:
        """An easy run as long (in time) as ``workout``, within the program's easy-run cap;
        with ``no_longer`` no longer in distance either (to the 100 m below): an eased
        session in a return that steps back must not make the week grow (a 6.9 km interval
        session's 40 minutes are 8 km at easy pace)."""
        scheduled = self.scheduled_week(workout.date)
        bp, paces = self.cycle_on(workout.date)
        template = bp.easy_workout(scheduled.plan.phase)
        seconds = min(workout.duration_s, bp.program.rules.easy_run_max_s)
        distance = seconds / paces.zones["easy"].mid * 1000
        if no_longer and distance > workout.distance_m:
            distance = math.floor(workout.distance_m / 100) * 100
        eased = self.rebuilt(workout, template, distance)
        if no_longer and eased.distance_m > workout.distance_m:  # a fixed part, a minimum
            return self.rebuilt(workout, template, distance - (eased.distance_m - distance))
        return eased

    def cycle_on(self, day: dt.date) -> tuple[Blueprint, Paces]:
        """The blueprint and paces ``day``'s sessions were compiled with: in a season of two A
        races (plan/season.py), a day of the second cycle has its own program (its race's
        distance and rules) and paces (its race zone and goal), not the first cycle's."""
        cycle = self.plan.second_cycle
        if cycle is None or day < cycle.start:
            return self.bp, self.paces
        return dataclasses.replace(self.bp, program=cycle.program), cycle.paces

    def scheduled_week(self, day: dt.date) -> ScheduledWeek:
        return next(
            s for s in self.scheduled
            if s.plan.start <= day < s.plan.start + dt.timedelta(days=s.plan.days)
        )  # fmt: skip

    # ------------------------------------------------------------------ the actions

    def apply(self, change: Change) -> None:
        action = {
            ChangeAction.MOVE: self.move,
            ChangeAction.SKIP: self.skip,
            ChangeAction.REPLACE: self.replace,
            ChangeAction.SWAP: self.swap,
            ChangeAction.LONG_RUN_DAY: self.long_run_day,
            ChangeAction.VOLUME: self.volume,
        }[change.action]
        action(change)

    def no_effect(self, change: Change, key: str, other: dt.date) -> bool:
        """A warning (and no layer) when a change names the same day twice: a `move` onto its
        own day or a `swap` of a day with itself changes nothing."""
        if other != change.day:
            return False
        self.warn(
            "change-no-effect", change, key,
            f"{_day_text(other)} is the day the {change.action} names already: nothing to "
            f"{change.action}",
            "write the day it goes to, or remove the change",
        )  # fmt: skip
        return True

    def move(self, change: Change) -> None:
        workout = self.found(change, "move", change.day, change.slot)
        assert change.to is not None
        if workout is None or self.no_effect(change, "to", change.to):
            return
        if not self.free_to_run(change, "to", change.to):
            return
        there = self.on(change.to, change.slot)
        if there is not None and there.uid != workout.uid:
            self.fail(
                "change-day-taken", change, "to",
                f"{_day_text(change.to)} has a run already ({there.title})",
                f"to trade the two days use `swap: {change.day}` with `with: {change.to}`",
            )  # fmt: skip
            return
        moved = self.moved(
            workout, change.to, self.layer(change, LayerAction.MOVED, f"from {change.day}")
        )
        self.check_hard(change, "to", [moved])

    def skip(self, change: Change) -> None:
        last = change.to or change.day
        if change.to is None:
            workout = self.found(change, "skip", change.day, change.slot)
            chosen = [] if workout is None else [workout]
        elif self.in_plan(change, "skip", change.day) and self.in_plan(change, "to", last):
            chosen = [
                w for w in self.workouts.values()
                if change.day <= w.date <= last and w.category != Category.RACE
            ]  # fmt: skip
            if not chosen:
                self.fail(
                    "change-not-found", change, "skip",
                    f"there is no session from {_day_text(change.day)} to {_day_text(last)}",
                    "check the dates",
                )  # fmt: skip
        else:
            chosen = []
        for workout in chosen:
            del self.workouts[workout.uid]
            layer = self.layer(change, LayerAction.SKIPPED)
            self.skipped[workout.uid] = dataclasses.replace(
                workout, layers=(*workout.layers, layer)
            )
        days = (last - change.day).days + 1
        ill = change.reason is not None and change.reason.ill
        returning = self.cycle_on(change.day)[0].program.rules.returning
        if chosen and ill and days >= returning.after_days:
            self.return_gently(change, last, days)

    def replace(self, change: Change) -> None:
        workout = self.found(change, "replace", change.day, change.slot)
        if workout is None:
            return
        assert change.replacement is not None
        layer = self.layer(change, LayerAction.REPLACED, f"was {workout.title}")
        if change.replacement == EASY_RUN:
            built = self.easy_instead(workout)
        elif change.replacement == CROSS_TRAINING:
            built = cross_training(workout, change.note)
        else:
            built = self.rebuilt(workout, change.replacement, workout.distance_m)
        why = ", ".join(part for part in (change.reason, change.note) if part)
        reason = f"instead of {workout.title}" + (f" ({why})" if why else "")
        self.put(dataclasses.replace(built, reason=reason), layer)
        self.check_hard(change, "with", [self.workouts[workout.uid]])

    def swap(self, change: Change) -> None:
        assert change.to is not None
        if not self.no_effect(change, "with", change.to):
            self.trade(change, "swap", change.day, "with", change.to)

    def trade(self, change: Change, key: str, day: dt.date, other_key: str, other: dt.date) -> None:
        """The runs of ``day`` and ``other`` trade places (one of them may be a rest day)."""
        if not (self.in_plan(change, key, day) and self.in_plan(change, other_key, other)):
            return
        first, second = self.on(day), self.on(other)
        if first is None and second is None:
            self.found(change, key, day)  # reported: no run on either day
            return
        if any(w is not None and w.category == Category.RACE for w in (first, second)):
            self.found(change, key, day if first and first.category == Category.RACE else other)
            return
        if first is not None and not self.free_to_run(change, other_key, other):
            return
        if second is not None and not self.free_to_run(change, key, day):
            return
        action = LayerAction.SWAPPED if change.action == ChangeAction.SWAP else LayerAction.MOVED
        placed = [
            self.moved(w, to, self.layer(change, action, f"from {frm}"))
            for w, frm, to in ((first, day, other), (second, other, day))
            if w is not None
        ]
        self.check_hard(change, other_key, placed)

    def long_run_day(self, change: Change) -> None:
        if not self.in_plan(change, "week", change.day):
            return
        week = self.week_of(change.day)
        assert week is not None and change.weekday is not None
        long_run = next(
            (w for w in self.workouts.values() if week.holds(w.date) and w.role == Role.LONG), None
        )
        if long_run is None:
            self.fail(
                "change-not-found", change, "week",
                f"the week of {_day_text(week.start)} has no long run to move",
                "check the date: `week` is any day of the week whose long run moves",
            )  # fmt: skip
            return
        days = (week.start + dt.timedelta(days=i) for i in range(week.days))
        target = next(d for d in days if d.weekday() == change.weekday)
        if target != long_run.date:
            self.trade(change, "week", long_run.date, "long_run_day", target)

    def volume(self, change: Change) -> None:
        week = self.week_of(change.day)
        if not self.in_plan(change, "from", change.day) or week is None:
            return
        last = change.to or week.start + dt.timedelta(days=week.days - 1)
        if change.to is not None and not self.in_plan(change, "to", last):
            return
        assert change.factor is not None
        layer = self.layer(change, LayerAction.SCALED, f"to {change.factor:.0%} of the plan")
        scaled = self.scale(change.day, last, change.factor, layer)
        if not scaled:
            self.fail(
                "change-not-found", change, "volume",
                f"there is no easy running from {_day_text(change.day)} to {_day_text(last)}",
                "check the dates; quality sessions and the race keep their size",
            )  # fmt: skip

    def scale(
        self, first: dt.date, last: dt.date, factor: float, layer: Layer, but: str = ""
    ) -> list[Workout]:
        """The easy runs from ``first`` to ``last`` (easy, recovery, medium-long, long; not the
        one whose uid is ``but``) made ``factor`` of their size: their fill scaled, so a long
        run's fast block stays."""
        chosen = [
            w for w in self.workouts.values()
            if first <= w.date <= last and w.slot == SlotKind.RUN and w.role in EASY_ROLES
            and w.template in self.bp.workouts and w.uid != but
        ]  # fmt: skip
        return [self.put(self.rebuilt(w, w.template, w.distance_m * factor), layer) for w in chosen]

    def return_gently(self, change: Change, last: dt.date, days: int) -> None:
        """After ``days`` sick or injured: the first hard session of the program's return days
        made an easy run, and those days' easy running held to its easy share."""
        rules = self.cycle_on(last)[0].program.rules.returning
        first, end = last + dt.timedelta(days=1), last + dt.timedelta(days=rules.days)
        why = f"back gently after {days} days {change.reason}"
        hard = sorted(
            (w for w in self.workouts.values()
             if first <= w.date <= end and w.intensity == Intensity.HARD
             and w.category != Category.RACE),
            key=lambda w: w.date,
        )  # fmt: skip
        if hard:
            layer = self.layer(change, LayerAction.EASED, f"was {hard[0].title}; {why}")
            eased = self.easy_instead(hard[0], no_longer=True)
            reason = f"instead of {hard[0].title} ({why})"
            self.put(dataclasses.replace(eased, reason=reason), layer)
        held = self.layer(
            change, LayerAction.EASED, f"{why}: easy running at {rules.easy_share:.0%}"
        )
        self.scale(first, end, rules.easy_share, held, but=hard[0].uid if hard else "")

    def check_hard(self, change: Change, key: str, placed: Iterable[Workout]) -> None:
        """A warning when a hard session a change placed has a hard day next to it, or a
        quality session (a sharpener too) lands in a B or A race's quiet days."""
        placed = list(placed)
        self.check_quiet(change, key, placed)
        for workout in placed:
            if not is_hard(workout):
                continue
            for step in (-1, 1):
                near = self.on(workout.date + dt.timedelta(days=step))
                if near is not None and near.uid != workout.uid and is_hard(near):
                    self.warn(
                        "change-hard-days", change, key,
                        f"{workout.title} on {_day_text(workout.date)} is the day "
                        f"{'after' if step < 0 else 'before'} {near.title} "
                        f"({_day_text(near.date)}): two hard days in a row",
                        "choose a day with an easy day between hard ones, or replace one of "
                        "them with `easy`",
                    )  # fmt: skip
                    return

    def quiet_races(self) -> list[tuple[dt.date, str]]:
        """The A races and the B races, by date, with what to call them: the races with a
        taper whose last days have no quality session."""
        athlete = self.bp.athlete
        races = [
            (race.date, f"the {race.priority} race {race.name}")
            for race in (athlete.race, athlete.second_race, *athlete.other_races)
            if race is not None and race.priority != RacePriority.C
        ]
        return sorted(races)

    def check_quiet(self, change: Change, key: str, placed: Iterable[Workout]) -> None:
        """A warning when a change put a quality session (a sharpener too: anything not easy)
        in the program's `b_quiet_days` before a B or A race: the days its mini-taper (or
        taper) keeps free of quality, which `changes:` must not undo."""
        for workout in placed:
            if workout.intensity == Intensity.EASY or workout.category == Category.RACE:
                continue
            quiet = self.cycle_on(workout.date)[0].program.rules.minor.b_quiet_days
            for day, name in self.quiet_races():
                if 0 < (day - workout.date).days <= quiet:
                    days = (day - workout.date).days
                    self.warn(
                        "change-before-race", change, key,
                        f"{workout.title} on {_day_text(workout.date)} is {days} "
                        f"day{'s' if days > 1 else ''} before {name} ({day}): the last {quiet} "
                        "days before it have no quality session",
                        "choose a day further from the race, or replace it with `easy`",
                    )  # fmt: skip
                    return

    # ------------------------------------------------------------------ the plan

    def own_time(self, workout: Workout) -> Workout:
        """A strength session at its day's start time again (``strength_after_runs`` then puts
        it after the day's run): the run it followed may have moved."""
        if workout.slot != SlotKind.STRENGTH or workout.start_time is None:
            return workout
        start = self.bp.athlete.availability.start_times.get(workout.date.weekday())
        return dataclasses.replace(workout, start_time=start)

    def result(self) -> Plan:
        weeks = tuple(self.week(week) for week in self.plan.weeks)
        return dataclasses.replace(self.plan, weeks=weeks)

    def week(self, week: Week) -> Week:
        """``week`` as the changes left it: the original, when none touched it."""
        workouts = [w for w in self.workouts.values() if week.holds(w.date)]
        skipped = tuple(
            sorted((w for w in self.skipped.values() if week.holds(w.date)), key=_order)
        )
        if not skipped and tuple(workouts) == week.workouts:
            return week
        ordered = strength_after_runs(sorted(map(self.own_time, workouts), key=_order))
        return dataclasses.replace(
            week, workouts=ordered, skipped=skipped, planned_m=sum(w.distance_m for w in ordered)
        )


CROSS_TRAINING_TEXT = (
    "A session that is not running, about as long as the run it replaces: bike, swim, "
    "elliptical or what you can do. Easy to steady effort; stop if anything hurts."
)


def cross_training(workout: Workout, activity: str) -> Workout:
    """A non-running session in ``workout``'s place, about as long (to 5 minutes, at least 5):
    no running distance, so it counts nothing in the week's running, and no watch file or
    intervals.icu run (compiler/emit/watch.py leaves its category out, as strength's).  Its
    one step is named after ``activity`` (the change's note: "bike", "swim 30 min easy").
    Same uid, date and start time: its calendar event changes in place."""
    seconds = max(300.0, round(workout.duration_s / 300) * 300)
    name = activity or "Cross-training"
    return dataclasses.replace(
        workout,
        role=Role.CROSS_TRAINING,
        template=CROSS_TRAINING,
        category=Category.CROSS_TRAINING,
        intensity=Intensity.EASY,
        title="Cross-training",
        description=CROSS_TRAINING_TEXT,
        steps=(Step(StepKind.EXERCISE, 0.0, seconds, label=name),),
        distance_m=0.0,
        duration_s=seconds,
        reason=f"cross-training instead of {workout.title}",
    )


def _order(workout: Workout) -> tuple[dt.date, bool, str]:
    return (workout.date, workout.slot == SlotKind.STRENGTH, workout.uid)


def _role(category: Category, intensity: Intensity, was: Role) -> Role:
    """The role of a session built in another's place (``was`` its role): a long run is the
    long run; an easy session an easy (or recovery) run; strength stays strength; else
    quality."""
    if was == Role.STRENGTH or category == Category.STRENGTH:
        return Role.STRENGTH
    if category == Category.LONG:
        return Role.LONG
    if intensity == Intensity.EASY:
        return Role.RECOVERY if category == Category.RECOVERY else Role.EASY
    return Role.QUALITY
