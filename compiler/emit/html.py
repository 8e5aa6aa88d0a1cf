"""The plan as one self-contained HTML page, and the index page of a site of many athletes.

The Python side prepares plain view data (strings and numbers); the Jinja templates in
``templates/`` only lay it out, with autoescaping on so no athlete or coach text becomes markup.
The pages have inline CSS and an inline SVG chart, no scripts and no reference to another host
(links aside), so they work offline, without JavaScript, from a file or any static host.

Links to an athlete's files are relative (``plan.ics``) unless a ``base_url`` is given: the public
address of the site's root folder (where the site index is), e.g. ``https://plans.example.org/``.
Subscribing from a calendar app needs an absolute address, so the webcal:// and Google Calendar
links appear only with a ``base_url``; without one the athlete's page offers the calendar file
(how to get the links is for the coach: the site index and docs/publishing.md say it).

A phone shows the athlete first an agenda of this week and the next, then the full calendar with
short labels (each explained in the legend).  A long text repeated from session to session (the
easy-run paragraph, a strength routine) is given in full the first time and referred to after.
"""

from __future__ import annotations

import datetime as dt
import functools
import io
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit, urlunsplit

import jinja2

from .. import __version__
from ..model import Plan, Week, Workout
from ..units import Unit, format_clock
from .purpose import week_purpose
from .registry import BUSY_ICS, INDEX_HTML, INTERVALS_JSON, PLAN_ICS, WORKOUTS_ZIP, listed
from .text import (
    WEEKDAY_ABBR,
    WEEKDAY_NAMES,
    PlanWords,
    Words,
    category_label,
    category_short,
    clock_text,
    countdown_text,
    day_label,
    distance_text,
    duration_text,
    goal_text,
    layer_text,
    pace_rows,
    plan_title,
    plan_words,
    race_distance_text,
    race_m,
    volume_text,
    week_heading,
    week_planned_text,
    week_volume_text,
)
from .watch import fit_name, is_run

TEMPLATES = Path(__file__).parent / "templates"
PHASE_COLOURS = 6  # CSS classes phase-0 .. phase-5, cycled

CHART_BAR = 28
CHART_GAP = 8
CHART_HEIGHT = 170
CHART_TOP = 10
CHART_BOTTOM = 32

FEED = PLAN_ICS.name
BUSY_FEED = BUSY_ICS.name  # the busy-only calendar (for a work calendar), written beside plan.ics
GOOGLE_ADD_BY_URL = "https://calendar.google.com/calendar/r?cid="
BASE_URL_HINT = "planc build --base-url https://…"

MONTH_ABBR = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")

_NOT_ID = re.compile(r"[^A-Za-z0-9_-]+")
_NOT_WORD = re.compile(r"[\W_]+")


@dataclass(frozen=True)
class SiteEntry:
    """One athlete on the site index."""

    athlete_id: str
    athlete_name: str
    race_name: str
    race_date: dt.date
    focus: str


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    label: str
    title: str
    css: str
    current: bool = False
    race_y: float = 0.0  # race week: the race's own part, above the training (y, height)
    race_height: float = 0.0


@dataclass(frozen=True)
class Feed:
    """The links to one calendar file: ``href`` always (relative without a base URL), the
    subscription forms only with one."""

    href: str
    https: str | None = None  # the absolute address to paste into a calendar app
    webcal: str | None = None  # opens the system calendar app's subscribe dialog
    google: str | None = None  # Google Calendar's add-by-URL page


# --------------------------------------------------------------------------- links


def normalize_base_url(base_url: str) -> str:
    """The site's public root address, checked and ending in '/'.

    ValueError unless it is an absolute http:// or https:// address without query or fragment
    (the CLI can call this on ``--base-url`` to report a bad value as a usage error)."""
    text = base_url.strip()
    parts = urlsplit(text)
    if (
        parts.scheme.lower() not in ("http", "https")
        or not parts.hostname
        or parts.query
        or parts.fragment
        or any(c.isspace() or ord(c) < 32 for c in text)
    ):
        raise ValueError(
            f"base URL {base_url!r} is not an absolute http:// or https:// address "
            "without ?query or #fragment, e.g. https://plans.example.org/team/"
        )
    path = parts.path if parts.path.endswith("/") else parts.path + "/"
    return urlunsplit((parts.scheme.lower(), parts.netloc, path, "", ""))


def _athlete_folder(athlete_id: str) -> str:
    return quote(athlete_id, safe="") + "/"


def feed_links(athlete_id: str, name: str, base_url: str | None, *, relative_to: str = "") -> Feed:
    """The links to the calendar file ``name`` of athlete ``athlete_id``.

    Without ``base_url`` the link is relative: ``relative_to`` + name (the athlete's page is in
    the athlete's folder, so ``""``; the site index passes the folder).  With one, all links are
    absolute: https (or http), webcal and Google Calendar's add-by-URL."""
    if base_url is None:
        return Feed(href=relative_to + name)
    absolute = normalize_base_url(base_url) + _athlete_folder(athlete_id) + name
    webcal = "webcal://" + absolute.split("://", 1)[1]
    google = GOOGLE_ADD_BY_URL + quote(webcal, safe=":/")
    return Feed(href=absolute, https=absolute, webcal=webcal, google=google)


def anchor(uid: str) -> str:
    """The HTML id of a workout's details: 'w-' and its uid, made safe for a fragment."""
    return "w-" + _NOT_ID.sub("-", uid)


# --------------------------------------------------------------------------- templates


class _ViewEnvironment(jinja2.Environment):
    """The pages' view data are plain dicts: ``workout.summary`` in a template looks the key up
    directly, without Jinja's default of trying (and failing) an attribute first.  The templates
    call no methods on these dicts, so a key cannot hide one."""

    def getattr(self, obj: Any, attribute: str) -> Any:
        if type(obj) is dict:
            try:
                return obj[attribute]
            except KeyError:
                pass
        return super().getattr(obj, attribute)


@functools.lru_cache(maxsize=1)
def _environment() -> jinja2.Environment:
    return _ViewEnvironment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


def prepare() -> None:
    """Compile the page templates now (they are cached), so that processes forked later share
    the work."""
    for name in ("plan.html.j2", "site.html.j2"):
        _environment().get_template(name)


def _render(template: str, **context: Any) -> bytes:
    return _environment().get_template(template).render(**context).encode("utf-8")


# --------------------------------------------------------------------------- view data


def phase_classes(weeks: Sequence[Week]) -> dict[str, str]:
    """A colour class per phase, in order of first appearance (stable for a given plan)."""
    classes: dict[str, str] = {}
    for week in weeks:
        if week.phase not in classes:
            classes[week.phase] = f"phase-{len(classes) % PHASE_COLOURS}"
    return classes


def _contains(week: Week, day: dt.date | None) -> bool:
    return day is not None and week.holds(day)


def _bar_title(week: Week, unit: Unit, current: bool) -> str:
    """'Week 3 · Build: 42 km planned'; race week: 'Week 12 · Taper: 9 km planned + the race
    (44 km)', so it reads as the light week it is."""
    now = " (this week)" if current else ""
    return f"Week {week.index} · {week.phase_title}: {week_planned_text(week, unit)}{now}"


def chart(plan: Plan, today: dt.date | None = None) -> dict[str, Any]:
    """Geometry of the weekly-volume bar chart (planned bars, today's week).  The solver's
    weekly targets are not drawn: the athlete sees what is planned (targets stay in plan.json).
    Race week's bar is its training, in the phase's colour, with the race itself a separate,
    outlined part on top of it: with the race filled in like training, the lightest week of the
    taper looked like the biggest of the plan."""
    unit = plan.athlete.units
    classes = phase_classes(plan.weeks)
    peak = max([w.planned_m for w in plan.weeks] + [1.0])
    plot = CHART_HEIGHT - CHART_TOP - CHART_BOTTOM
    base = CHART_HEIGHT - CHART_BOTTOM
    bars = []
    for i, week in enumerate(plan.weeks):
        race = race_m(week)
        height = round(plot * (week.planned_m - race) / peak, 1)
        race_height = round(plot * race / peak, 1)
        current = _contains(week, today)
        bars.append(
            Bar(
                x=CHART_GAP + i * (CHART_BAR + CHART_GAP),
                y=round(base - height, 1),
                width=CHART_BAR,
                height=height,
                label=str(week.index),
                title=_bar_title(week, unit, current),
                css=classes[week.phase],
                current=current,
                race_y=round(base - height - race_height, 1),
                race_height=race_height,
            )
        )
    legend = []
    for week in plan.weeks:
        entry = (classes[week.phase], week.phase_title)
        if entry not in legend:
            legend.append(entry)
    return {
        "race_css": next((b.css for b in bars if b.race_height), ""),
        "width": CHART_GAP + len(plan.weeks) * (CHART_BAR + CHART_GAP),
        "height": CHART_HEIGHT,
        "base": base,
        "label_y": base + 14,
        "bars": bars,
        "legend": legend,
        "peak": volume_text(peak, unit),
        "description": "; ".join(b.title for b in bars),
    }


def _date_label(day: dt.date, first: bool) -> str:
    """A grid cell's date: the day of the month, with the month on the 1st and the first cell."""
    if first or day.day == 1:
        return f"{MONTH_ABBR[day.month - 1]} {day.day}"
    return str(day.day)


def _distance_shown(workout: Workout, plan: Plan) -> str:
    """A session's distance as the calendar and the agenda show it: the race's own distance on
    race day, not the day's running with its warm-up."""
    if workout.category == "race":
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
        "long": category_label(workout.category),
        "short": category_short(workout.category),
        "value": value if shown_unit == unit else distance,
        "unit": f" {unit}" if distance and shown_unit == unit else "",
        "duration": "" if distance else duration_text(workout.duration_s),
        "summary": said.summary,
        "hard": workout.intensity == "hard" and workout.category != "race",
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
                    "race": day == plan.athlete.race.date,
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
                    "phase": week.phase_title + (" (cutback)" if week.cutback else ""),
                    "css": classes[week.phase],
                    "current": _contains(week, today) and today in frame,
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
            short, long = category_short(workout.category), category_label(workout.category)
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
    return bool(workout.steps) and all(s.kind == "exercise" for s in workout.steps)


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
    here = _Said(
        "#" + anchor(workout.uid), f"{category_label(workout.category)}, {day_label(workout.date)}"
    )
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
        "category": category_label(workout.category),
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


def _weeks(
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
            "cutback": week.cutback,
            "css": classes[week.phase],
            "current": _contains(week, today),
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


def _subscribe(athlete_id: str, base_url: str | None) -> dict[str, Any]:
    return {
        "plan": feed_links(athlete_id, FEED, base_url),
        "plan_name": FEED,
        "busy_name": BUSY_FEED,
        "busy": feed_links(athlete_id, BUSY_FEED, base_url),
        "files": [{"name": o.name, "label": o.label, "href": o.name} for o in listed()],
        "absolute": base_url is not None,
    }


AGENDA_WEEKS = 2  # this week and the next


def agenda(plan: Plan, today: dt.date | None, said: PlanWords) -> dict[str, Any]:
    """The days of this week and the next, each with its sessions (title; distance, time and
    pace), for reading on a phone before the full calendar.  Before the plan starts (or with
    no ``today``) its first two weeks; after its last week, nothing."""
    index = next((i for i, w in enumerate(plan.weeks) if _contains(w, today)), None)
    if index is None:
        if today is not None and today >= plan.weeks[-1].start + dt.timedelta(days=7):
            return {"heading": "", "weeks": []}
        index = 0
    weeks = plan.weeks[index : index + AGENDA_WEEKS]
    started = today is not None and _contains(plan.weeks[index], today)
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
        if w.category == "race":
            facts = " · ".join(p for p in (_distance_shown(w, plan), said[w.uid].pace) if p)
        sessions.append(
            {
                "href": "#" + anchor(w.uid),
                "title": w.title,
                "facts": facts,
                "hard": w.intensity == "hard" and w.category != "race",
            }
        )
    return {
        "iso": day.isoformat(),
        "label": f"{WEEKDAY_ABBR[day.weekday()]} {day.day} {MONTH_ABBR[day.month - 1]}",
        "today": day == today,
        "past": today is not None and day < today,
        "sessions": sessions,
    }


# --------------------------------------------------------------------------- pages


def emit_html(
    plan: Plan,
    *,
    today: dt.date | None = None,
    base_url: str | None = None,
    words: PlanWords | None = None,
    watch: bool = False,
) -> bytes:
    """The plan as one page: inline CSS, inline SVG, no scripts, no external requests.

    ``watch``: each run links its FIT file and the subscribe section tells how to put the
    workouts on a watch (the build writes those files: compiler/emit/watch_files.py).

    ``today``: the date the countdown counts from and whose week and day are marked in the
    calendar (None: no countdown, no mark).  ``base_url``: the site root's public address
    (see ``normalize_base_url``); with it the feed links are absolute and the webcal:// and
    Google Calendar subscription links appear.  Pure: the same arguments give the same bytes.
    """
    race = plan.athlete.race
    current = next((w for w in plan.weeks if _contains(w, today)), None)
    said = words if words is not None else plan_words(plan)
    return _render(
        "plan.html.j2",
        title=plan_title(plan),
        athlete=plan.athlete.name,
        race={
            "name": race.name,
            "date": day_label(race.date),
            "iso": race.date.isoformat(),
            "distance": race_distance_text(plan),
            "goal": format_clock(race.goal_s) if race.goal_s else "",
        },
        countdown=countdown_text(race.date, today) if today is not None else "",
        today=day_label(today) if today is not None else "",
        today_iso=today.isoformat() if today is not None else "",
        current_week=f"week-{current.index}" if current is not None else "",
        program=plan.program.title,
        focus=plan.focus.title,
        vdot=f"{plan.paces.vdot:.1f}",
        start=day_label(plan.start),
        weeks_count=len(plan.weeks),
        unit=plan.athlete.units,
        timezone=plan.athlete.timezone,
        paces=pace_rows(plan),
        paces_caveat=plan.paces.caveat,
        paces_goal=goal_text(plan),
        chart=chart(plan, today),
        agenda=agenda(plan, today, said),
        calendar=calendar(plan, today, said),
        weeks=_weeks(plan, today, said, watch),
        feeds=_subscribe(plan.athlete.id, base_url),
        watch={"zip": WORKOUTS_ZIP.name, "intervals": INTERVALS_JSON.name} if watch else None,
        version=__version__,
    )


def emit_site_index(entries: Sequence[SiteEntry], *, base_url: str | None = None) -> bytes:
    """The site's front page: every athlete (sorted by id) with race, date, focus, a link to
    their page and their calendar feed (absolute and with webcal:// and Google Calendar links
    when ``base_url`` is given), and their other files.

    A row's view is made as the page reaches it and the page is encoded as it is rendered:
    for thousands of athletes, the page's bytes are all the memory it takes (issue 12)."""
    root = normalize_base_url(base_url) if base_url is not None else None

    def rows() -> Iterator[dict[str, Any]]:
        for e in sorted(entries, key=lambda e: e.athlete_id):
            folder = _athlete_folder(e.athlete_id)
            yield {
                "name": e.athlete_name,
                "race": e.race_name,
                "date": e.race_date.isoformat(),
                "date_label": day_label(e.race_date),
                "focus": e.focus,
                "base": folder,
                "feed": feed_links(e.athlete_id, FEED, root, relative_to=folder),
                "busy": feed_links(e.athlete_id, BUSY_FEED, root, relative_to=folder),
            }

    page = io.BytesIO()
    for piece in (
        _environment()
        .get_template("site.html.j2")
        .generate(
            entries=rows(),
            count=len(entries),
            absolute=root is not None,
            hint=BASE_URL_HINT,
            names={"feed": FEED, "busy": BUSY_FEED, "page": INDEX_HTML.name},
            files=[{"name": o.name, "label": o.label} for o in (INDEX_HTML, *listed())],
            version=__version__,
        )
    ):
        page.write(piece.encode("utf-8"))
    return page.getvalue()
