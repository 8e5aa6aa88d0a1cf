"""The plan as one self-contained HTML page, and the index page of a site of many athletes.

The Python side prepares plain view data (strings and numbers); the Jinja templates in
``templates/`` only lay it out, with autoescaping on so no athlete or coach text becomes markup.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

import jinja2

from .. import __version__
from ..model import Plan, Week
from ..units import format_clock
from .text import (
    category_label,
    clock_text,
    day_label,
    distance_text,
    duration_text,
    main_pace_text,
    pace_rows,
    plan_title,
    race_distance_text,
    step_lines,
    volume_text,
    week_heading,
    workout_summary,
)

TEMPLATES = Path(__file__).parent / "templates"
PHASE_COLOURS = 6  # CSS classes phase-0 .. phase-5, cycled

CHART_BAR = 28
CHART_GAP = 8
CHART_HEIGHT = 160
CHART_TOP = 10
CHART_BOTTOM = 22


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
    target_y: float
    label: str
    title: str
    css: str


@functools.lru_cache(maxsize=1)
def _environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


def _render(template: str, **context: Any) -> bytes:
    return _environment().get_template(template).render(**context).encode("utf-8")


def phase_classes(weeks: Sequence[Week]) -> dict[str, str]:
    """A colour class per phase, in order of first appearance (stable for a given plan)."""
    classes: dict[str, str] = {}
    for week in weeks:
        if week.phase not in classes:
            classes[week.phase] = f"phase-{len(classes) % PHASE_COLOURS}"
    return classes


def chart(plan: Plan) -> dict[str, Any]:
    """Geometry of the weekly-volume bar chart (planned bars, target ticks)."""
    unit = plan.athlete.units
    classes = phase_classes(plan.weeks)
    peak = max([w.planned_m for w in plan.weeks] + [w.target_m for w in plan.weeks] + [1.0])
    plot = CHART_HEIGHT - CHART_TOP - CHART_BOTTOM
    base = CHART_HEIGHT - CHART_BOTTOM
    bars = []
    for i, week in enumerate(plan.weeks):
        height = round(plot * week.planned_m / peak, 1)
        bars.append(
            Bar(
                x=CHART_GAP + i * (CHART_BAR + CHART_GAP),
                y=round(base - height, 1),
                width=CHART_BAR,
                height=height,
                target_y=round(base - plot * week.target_m / peak, 1),
                label=str(week.index),
                title=(
                    f"Week {week.index} · {week.phase_title}: "
                    f"{volume_text(week.planned_m, unit)} planned, "
                    f"target {volume_text(week.target_m, unit)}"
                ),
                css=classes[week.phase],
            )
        )
    legend = []
    for week in plan.weeks:
        entry = (classes[week.phase], week.phase_title)
        if entry not in legend:
            legend.append(entry)
    return {
        "width": CHART_GAP + len(plan.weeks) * (CHART_BAR + CHART_GAP),
        "height": CHART_HEIGHT,
        "base": base,
        "bars": bars,
        "legend": legend,
        "peak": volume_text(peak, unit),
        "description": "; ".join(b.title for b in bars),
    }


def _weeks(plan: Plan) -> list[dict[str, Any]]:
    unit = plan.athlete.units
    classes = phase_classes(plan.weeks)
    return [
        {
            "id": f"week-{week.index}",
            "heading": week_heading(week, len(plan.weeks)),
            "start": day_label(week.start),
            "planned": volume_text(week.planned_m, unit),
            "target": volume_text(week.target_m, unit),
            "cutback": week.cutback,
            "css": classes[week.phase],
            "notes": list(week.notes),
            "workouts": [
                {
                    "date": day_label(w.date),
                    "iso": w.date.isoformat(),
                    "time": clock_text(w.start_time),
                    "title": w.title,
                    "summary": workout_summary(w, unit),
                    "category": category_label(w.category),
                    "intensity": w.intensity,
                    "distance": distance_text(w.distance_m, unit),
                    "duration": duration_text(w.duration_s),
                    "pace": main_pace_text(w, unit),
                    "steps": list(step_lines(w, unit)),
                    "description": w.description.strip(),
                }
                for w in week.workouts
            ],
        }
        for week in plan.weeks
    ]


def emit_html(plan: Plan) -> bytes:
    """The plan as one page: inline CSS, inline SVG, no scripts, no external requests."""
    race = plan.athlete.race
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
        program=plan.program.title,
        focus=plan.focus.title,
        vdot=f"{plan.paces.vdot:.1f}",
        start=day_label(plan.start),
        weeks_count=len(plan.weeks),
        unit=plan.athlete.units,
        timezone=plan.athlete.timezone,
        paces=pace_rows(plan),
        chart=chart(plan),
        weeks=_weeks(plan),
        version=__version__,
    )


def emit_site_index(entries: Sequence[SiteEntry]) -> bytes:
    """The site's front page: every athlete (sorted by id) with links to their four files."""
    rows = [
        {
            "name": e.athlete_name,
            "race": e.race_name,
            "date": e.race_date.isoformat(),
            "focus": e.focus,
            "base": quote(e.athlete_id, safe="") + "/",
        }
        for e in sorted(entries, key=lambda e: e.athlete_id)
    ]
    return _render("site.html.j2", entries=rows, version=__version__)
