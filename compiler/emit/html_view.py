"""The plan page's view data, plain strings and numbers for the templates: the agenda of this
week and the next, the calendar grid, and a card per week and workout.

A long text repeated from session to session (the easy-run paragraph, a strength routine) is
given in full the first time and referred to after.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from ..model import Plan, Week, Workout
from ..vocabulary import Category, Intensity, StepKind
from .html_chart import in_week, phase_classes
from .html_links import anchor
from .purpose import week_purpose
from .text import (
    WEEKDAY_ABBR,
    WEEKDAY_NAMES,
    clock_text,
    day_label,
    distance_text,
    duration_text,
    layer_text,
    lighter_mark,
    race_distance_text,
    week_heading,
    week_mark,
    week_planned_text,
    week_volume_text,
    workout_label,
    workout_short,
)
from .watch import fit_name, is_run
from .workout_words import PlanWords, Words, plan_words

MONTH_ABBR = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_NOT_WORD = re.compile(r"[\W_]+")


def _date_label(day: dt.date, first: bool) -> str:
    """A grid cell's date: the day of the month, with the month on the 1st and the first cell."""
    if first or day.day == 1:
        return f"{MONTH_ABBR[day.month - 1]} {day.day}"
    return str(day.day)


def _distance_shown(workout: Workout, plan: Plan) -> str:
    """A session's distance as the calendar and the agenda show it: the race's own distance on
    race day, not the day's running with its warm-up."""
    if workout.category == Category.RACE:
        return race_distance_text(plan)
    return distance_text(workout.distance_m, plan.athlete.units)


def _session(workout: Workout, plan: Plan, said: Words) -> dict[str, Any]:
    """A session in a grid cell.  Its amount is split so that a phone can show the number alone
    when it is in the plan's unit (the grid's legend names the unit); a duration is left out.
    The race shows the race's distance, not the day's running with its warm-up."""
    unit = plan.athlete.units
    distance = _distance_shown(workout, plan)
    value, _, shown_unit = distance.rpartition(" ")
    return {
        "href": "#" + anchor(workout.uid),
        "long": workout_label(workout),
        "short": workout_short(workout),
        "value": value if shown_unit == unit else distance,
        "unit": f" {unit}" if distance and shown_unit == unit else "",
        "duration": "" if distance else duration_text(workout.duration_s),
        "summary": said.summary,
        "hard": workout.intensity == Intensity.HARD and workout.category != Category.RACE,
    }


def calendar(
    plan: Plan, today: dt.date | None = None, words: PlanWords | None = None
) -> dict[str, Any]:
    """The calendar grid: a row per week (its phase as a coloured band), a cell per day."""
    said = words if words is not None else plan_words(plan)
    unit = plan.athlete.units
    classes = phase_classes(plan.weeks)
    rows: list[dict[str, Any]] = []
    for week in plan.weeks:
        frames = _frames(week)
        for frame in frames:
            cells = [
                {
                    "iso": day.isoformat(),
                    "label": _date_label(day, not rows and offset == 0),
                    "today": day == today,
                    "race": any(day == race.date for race in plan.athlete.a_races),
                    "sessions": [
                        _session(w, plan, said[w.uid]) for w in week.workouts if w.date == day
                    ],
                }
                for offset, day in enumerate(frame)
            ]
            rows.append(
                {
                    "index": week.index,
                    "href": f"#week-{week.index}",
                    "phase": week.phase_title + (f" ({m})" if (m := lighter_mark(week)) else ""),
                    "css": classes[week.phase],
                    "current": in_week(week, today) and today in frame,
                    "total": week_volume_text(week, unit) if frame is frames[-1] else "",
                    "cells": cells,
                }
            )
    days = [day.weekday() for day in _frames(plan.weeks[-1])[-1]]
    return {
        "days": [{"abbr": WEEKDAY_ABBR[d], "name": WEEKDAY_NAMES[d]} for d in days],
        "rows": rows,
        "abbreviations": _abbreviations(plan),
    }


def _frames(week: Week) -> list[list[dt.date]]:
    """The calendar rows of ``week``: seven days each, from the plan's usual first weekday; a
    first week joined to the next (8 to 13 days) takes two, the first with days before the
    plan's start."""
    last = week.start + dt.timedelta(days=week.days - 7)  # the last row's first day
    firsts = [last - dt.timedelta(weeks=1), last] if week.days > 7 else [last]
    return [[first + dt.timedelta(days=i) for i in range(7)] for first in firsts]


def _abbreviations(plan: Plan) -> list[tuple[str, str]]:
    """The short labels a phone's calendar shows, each with what it stands for, in order of
    first use (a label that is already the whole word needs no entry)."""
    pairs = [("Wk", "week")]
    for week in plan.weeks:
        for workout in week.workouts:
            short, long = workout_short(workout), workout_label(workout)
            if short != long and (short, long.lower()) not in pairs:
                pairs.append((short, long.lower()))
    return pairs


def _same_words(a: str, b: str) -> bool:
    return _NOT_WORD.sub("", a).lower() == _NOT_WORD.sub("", b).lower()


@dataclass(frozen=True)
class _Said:
    """Where a long text was first given in full: the workout's anchor and its day."""

    href: str
    label: str


_LONG_TEXT = 120  # characters: a description at least this long is said once


def _exercise_list(workout: Workout) -> bool:
    return bool(workout.steps) and all(s.kind == StepKind.EXERCISE for s in workout.steps)


def _said_before(first: dict[object, _Said], key: object, here: _Said) -> _Said | None:
    """Where the text ``key`` was given in full earlier on the page, or None when ``here`` is
    the first place (which ``first`` then records)."""
    earlier = first.setdefault(key, here)
    return None if earlier is here else earlier


def _workout(
    workout: Workout, plan: Plan, said: Words, first: dict[object, _Said], watch: bool = False
) -> dict[str, Any]:
    """A workout's card.  ``first`` records the long texts already given in full on the page
    (a description, a strength routine's exercises): a repeat refers to the first instead."""
    unit = plan.athlete.units
    summary = said.summary
    here = _Said("#" + anchor(workout.uid), f"{workout_label(workout)}, {day_label(workout.date)}")
    description = workout.description.strip()
    description_ref = None
    if len(description) >= _LONG_TEXT:
        description_ref = _said_before(first, ("description", description), here)
    steps_ref = None
    if _exercise_list(workout):
        steps_ref = _said_before(first, ("steps", workout.title, said.steps), here)
    return {
        "id": anchor(workout.uid),
        "date": day_label(workout.date),
        "iso": workout.date.isoformat(),
        "time": clock_text(workout.start_time),
        "title": workout.title,
        # the calendar event's summary, unless it only repeats the title
        "summary": "" if _same_words(summary, workout.title) else summary,
        "category": workout_label(workout),
        "intensity": workout.intensity,
        "distance": distance_text(workout.distance_m, unit),
        "duration": duration_text(workout.duration_s),
        "pace": said.pace,
        "steps": [] if steps_ref else list(said.steps),
        "steps_ref": steps_ref,
        "description": "" if description_ref else description,
        "description_ref": description_ref,
        "fit": fit_name(workout) if watch and is_run(workout) else "",
        "changes": [layer_text(layer) for layer in workout.layers],
    }


def week_cards(
    plan: Plan, today: dt.date | None, said: PlanWords, watch: bool = False
) -> list[dict[str, Any]]:
    unit = plan.athlete.units
    classes = phase_classes(plan.weeks)
    first: dict[object, _Said] = {}
    return [
        {
            "id": f"week-{week.index}",
            "heading": week_heading(week, len(plan.weeks)),
            "start": day_label(week.start),
            "planned": week_planned_text(week, unit),
            "mark": week_mark(week),
            "css": classes[week.phase],
            "current": in_week(week, today),
            # what the week is for, told to the athlete (the solver's notes stay in plan.json)
            "purpose": week_purpose(plan, week),
            "workouts": [_workout(w, plan, said[w.uid], first, watch) for w in week.workouts],
            "skipped": [
                {"date": day_label(w.date), "title": w.title, "why": layer_text(w.layers[-1])}
                for w in week.skipped
            ],
        }
        for week in plan.weeks
    ]


AGENDA_WEEKS = 2  # this week and the next


def agenda(plan: Plan, today: dt.date | None, said: PlanWords) -> dict[str, Any]:
    """The days of this week and the next, each with its sessions (title; distance, time and
    pace), for reading on a phone before the full calendar.  Before the plan starts (or with
    no ``today``) its first two weeks; after its last week, nothing."""
    index = next((i for i, w in enumerate(plan.weeks) if in_week(w, today)), None)
    if index is None:
        if today is not None and today >= plan.weeks[-1].start + dt.timedelta(days=7):
            return {"heading": "", "weeks": []}
        index = 0
    weeks = plan.weeks[index : index + AGENDA_WEEKS]
    started = today is not None and in_week(plan.weeks[index], today)
    heading = "This week and next" if started else "The first two weeks"
    names = ("This week", "Next week") if started else ("Week 1", "Week 2")
    shown = [
        {
            "name": name,
            "heading": week_heading(week, len(plan.weeks)),
            "id": f"agenda-week-{week.index}",
            "days": [
                _agenda_day(plan, week, week.start + dt.timedelta(days=offset), today, said)
                for offset in range(week.days)
            ],
        }
        for name, week in zip(names, weeks, strict=False)
    ]
    return {"heading": heading, "weeks": shown}


def _agenda_day(
    plan: Plan, week: Week, day: dt.date, today: dt.date | None, said: PlanWords
) -> dict[str, Any]:
    """One day of the agenda: its label and its sessions (title; distance, time and pace)."""
    sessions = []
    for w in (w for w in week.workouts if w.date == day):
        facts = said[w.uid].facts
        if w.category == Category.RACE:
            facts = " · ".join(p for p in (_distance_shown(w, plan), said[w.uid].pace) if p)
        sessions.append(
            {
                "href": "#" + anchor(w.uid),
                "title": w.title,
                "facts": facts,
                "hard": w.intensity == Intensity.HARD and w.category != Category.RACE,
            }
        )
    return {
        "iso": day.isoformat(),
        "label": f"{WEEKDAY_ABBR[day.weekday()]} {day.day} {MONTH_ABBR[day.month - 1]}",
        "today": day == today,
        "past": today is not None and day < today,
        "sessions": sessions,
    }
