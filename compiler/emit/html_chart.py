"""The weekly-volume bar chart of the plan page, as geometry (the template draws it in SVG), and
the colour class of each phase the chart, the calendar and the week cards share.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from ..model import Plan, Week
from ..units import Unit
from .text import race_m, volume_text, week_planned_text

PHASE_COLOURS = 6  # CSS classes phase-0 .. phase-5, cycled
CHART_BAR = 28
CHART_GAP = 8
CHART_HEIGHT = 170
CHART_TOP = 10
CHART_BOTTOM = 32


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


def phase_classes(weeks: Sequence[Week]) -> dict[str, str]:
    """A colour class per phase, in order of first appearance (stable for a given plan)."""
    classes: dict[str, str] = {}
    for week in weeks:
        if week.phase not in classes:
            classes[week.phase] = f"phase-{len(classes) % PHASE_COLOURS}"
    return classes


def in_week(week: Week, day: dt.date | None) -> bool:
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
        current = in_week(week, today)
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
