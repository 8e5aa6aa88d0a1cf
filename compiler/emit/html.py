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

This module renders the pages; what they show is made beside it: the links (``html_links``),
the volume chart (``html_chart``) and the agenda, calendar and week cards (``html_view``).
"""

from __future__ import annotations

import datetime as dt
import functools
import io
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2

from .. import __version__
from ..model import Plan, Race
from ..units import format_clock, format_distance
from .html_chart import chart, in_week
from .html_links import (
    BASE_URL_HINT,
    BUSY_FEED,
    FEED,
    athlete_folder,
    feed_links,
    normalize_base_url,
    subscribe_links,
)
from .html_view import agenda, calendar, week_cards
from .registry import INDEX_HTML, INTERVALS_JSON, WORKOUTS_ZIP, listed
from .text import (
    block_countdown_text,
    block_text,
    countdown_text,
    day_label,
    goal_text,
    listed_races,
    pace_cycles,
    pace_rows,
    plan_title,
    race_distance_text,
    strength_text,
)
from .workout_words import PlanWords, plan_words

TEMPLATES = Path(__file__).parent / "templates"


@dataclass(frozen=True)
class SiteEntry:
    """One athlete on the site index."""

    athlete_id: str
    athlete_name: str
    race_name: str
    race_date: dt.date
    focus: str


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
    current = next((w for w in plan.weeks if in_week(w, today)), None)
    said = words if words is not None else plan_words(plan)
    return _render(
        "plan.html.j2",
        title=plan_title(plan),
        athlete=plan.athlete.name,
        race=_race_facts(plan),
        other_races=[_minor_race_facts(race, plan) for race in listed_races(plan)],
        block={"name": block_text(plan), "end": day_label(plan.end), "iso": plan.end.isoformat()}
        if plan.athlete.race is None
        else None,
        countdown=_countdown(plan, today),
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
        pace_cycles=[
            {
                "label": cycle.label,
                "current": cycle.current,
                "caveat": cycle.plan.paces.caveat,
                "goal": goal_text(cycle.plan),
                "rows": pace_rows(cycle.plan),
            }
            for cycle in pace_cycles(plan, today)
        ],
        strength=strength_text(plan),
        chart=chart(plan, today),
        agenda=agenda(plan, today, said),
        calendar=calendar(plan, today, said),
        weeks=week_cards(plan, today, said, watch),
        feeds=subscribe_links(plan.athlete.id, base_url),
        watch={"zip": WORKOUTS_ZIP.name, "intervals": INTERVALS_JSON.name} if watch else None,
        version=__version__,
    )


def _race_facts(plan: Plan) -> dict[str, str] | None:
    """The race as the page's facts show it; None for a training block."""
    race = plan.athlete.race
    if race is None:
        return None
    return {
        "name": race.name,
        "date": day_label(race.date),
        "iso": race.date.isoformat(),
        "distance": race_distance_text(plan),
        "goal": format_clock(race.goal_s) if race.goal_s else "",
    }


def _minor_race_facts(race: Race, plan: Plan) -> dict[str, str]:
    """A race besides the headline one as the page's facts show it ('B race: City 10K, 10 km,
    Sun 7 Feb'; a second A race likewise)."""
    return {
        "priority": race.priority,
        "name": race.name,
        "date": day_label(race.date),
        "iso": race.date.isoformat(),
        "distance": format_distance(race.distance_m, plan.athlete.units),
        "goal": format_clock(race.goal_s) if race.goal_s else "",
    }


def _countdown(plan: Plan, today: dt.date | None) -> str:
    """Weeks to race day, or for a block to its last day ('' without a today)."""
    if today is None:
        return ""
    race = plan.athlete.race
    if race is None:
        return block_countdown_text(plan.end, today)
    return countdown_text(race.date, today)


def emit_site_index(entries: Sequence[SiteEntry], *, base_url: str | None = None) -> bytes:
    """The site's front page: every athlete (sorted by id) with race, date, focus, a link to
    their page and their calendar feed (absolute and with webcal:// and Google Calendar links
    when ``base_url`` is given), and their other files.

    A row's view is made as the page reaches it and the page is encoded as it is rendered:
    for thousands of athletes, the page's bytes are all the memory it takes (issue 12)."""
    root = normalize_base_url(base_url) if base_url is not None else None

    def rows() -> Iterator[dict[str, Any]]:
        for e in sorted(entries, key=lambda e: e.athlete_id):
            folder = athlete_folder(e.athlete_id)
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
