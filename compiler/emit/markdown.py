"""The plan as GitHub-flavoured Markdown: summary, paces, weekly volume, then one table a week."""

from __future__ import annotations

import re
from collections.abc import Sequence

from ..model import Plan, Week
from ..units import format_clock, format_distance
from .purpose import week_purpose
from .registry import INTERVALS_JSON, WORKOUTS_ZIP
from .text import (
    PaceCycle,
    block_text,
    day_label,
    distance_text,
    duration_text,
    goal_text,
    layer_text,
    lighter_mark,
    listed_races,
    pace_cycles,
    pace_rows,
    plan_title,
    race_distance_text,
    strength_text,
    week_heading,
    week_mark,
    week_planned_text,
    week_volume_text,
    when_text,
)
from .watch import fit_name, is_run
from .workout_words import PlanWords, plan_words

_NEWLINES = re.compile(r"\s*[\r\n]+\s*")
# Characters that could start Markdown or HTML inline syntax (emphasis, code, links, raw HTML,
# strikethrough, table cells), escaped with a backslash wherever they are.
_SPECIAL = re.compile(r"([\\`*_\[\]<>~|])")
# An ampersand that would start a character reference (&amp; &#60;) stays an ampersand.
_ENTITY = re.compile(r"&(?=#?[A-Za-z0-9]+;)")
# A closing run of # at the end of a heading would be dropped.
_TRAILING_HASHES = re.compile(r"(#+)$")


# Text without any of these needs no escaping at all (most cells: '9.3 km', 'Mon 2027-03-01').
_PLAIN = re.compile(r"[\\`*_\[\]<>~|&#\r\n]")


def inline(text: str) -> str:
    """Coach or athlete text as literal Markdown on one line: newlines become spaces and every
    character that could start Markdown or HTML syntax is escaped (also pipes, for tables)."""
    if _PLAIN.search(text) is None:
        return text.strip()
    one_line = _NEWLINES.sub(" ", text.strip())
    escaped = _ENTITY.sub("\\&", _SPECIAL.sub(r"\\\1", one_line))
    return _TRAILING_HASHES.sub(lambda m: "\\#" * len(m.group(1)), escaped)


_BLOCK_START = re.compile(r"^(\d{1,9}(?=[.)])|[#>+=-])")


def item(text: str) -> str:
    """Like ``inline``, for text that starts a line of its own (list items, quotes): a leading
    '-', '+', '>', '#', '=' or '1.' would start a nested block, so it is escaped too."""
    escaped = inline(text)
    match = _BLOCK_START.match(escaped)
    if match is None:
        return escaped
    marker = match.group(1)
    if marker[0].isdigit():
        return marker + "\\" + escaped[len(marker) :]
    return "\\" + escaped


def cell(text: str) -> str:
    """Text safe inside a table cell: one line, pipes and other syntax escaped."""
    return inline(text)


def table(header: Sequence[str], rows: Sequence[Sequence[str]], align: str = "") -> list[str]:
    """A GFM table; ``align`` holds one of l/r per column (default left)."""
    marks = [("---:" if a == "r" else "---") for a in align.ljust(len(header), "l")]
    lines = ["| " + " | ".join(cell(h) for h in header) + " |", "| " + " | ".join(marks) + " |"]
    for row in rows:
        if len(row) != len(header):
            raise ValueError(f"table row has {len(row)} cells, header has {len(header)}")
        lines.append("| " + " | ".join(cell(c) for c in row) + " |")
    return lines


def _summary(plan: Plan) -> list[str]:
    athlete, race = plan.athlete, plan.athlete.race
    if race is None:  # a training block: no race, no race day
        what = [
            f"- **Block:** {inline(block_text(plan))}, no race",
            f"- **Ends:** {plan.end.isoformat()}",
        ]
    else:
        goal = f" (goal {format_clock(race.goal_s)})" if race.goal_s else ""
        what = [
            f"- **Race:** {inline(race.name)}, {race_distance_text(plan)}{goal}",
            f"- **Date:** {race.date.isoformat()}",
        ]
    what.extend(
        f"- **{race.priority} race:** {inline(race.name)}, "
        f"{format_distance(race.distance_m, athlete.units)}, {race.date.isoformat()}"
        + (f" (goal {format_clock(race.goal_s)})" if race.goal_s else "")
        for race in listed_races(plan)
    )
    strength = strength_text(plan)
    return [
        *what,
        f"- **Program:** {inline(plan.program.title)}",
        f"- **Focus:** {inline(plan.focus.title)}",
        f"- **VDOT:** {plan.paces.vdot:.1f}",
        f"- **Weeks:** {len(plan.weeks)}",
        f"- **Start:** {plan.start.isoformat()}",
        *([f"- **Strength:** {inline(strength)}"] if strength else []),
        f"- **Units:** distances and paces in {athlete.units}, dates and times in "
        f"{inline(athlete.timezone)}",
    ]


def _week_section(plan: Plan, week: Week, said: PlanWords, watch: bool = False) -> list[str]:
    unit = plan.athlete.units
    # The week's purpose for the athlete and what it holds, not the compiler's notes or targets
    # (those stay in plan.json and `planc explain`).
    lines = [
        f"## {inline(week_heading(week, len(plan.weeks)))}",
        "",
        item(week_purpose(plan, week)),
        "",
        f"From {day_label(week.start)}: {week_planned_text(week, unit)}"
        + (f" {mark}" if (mark := week_mark(week)) else ""),
        "",
    ]
    if not week.workouts:
        return [*lines, "Rest week.", "", *_skipped(week)]
    rows = [
        [
            when_text(w),
            w.title,
            distance_text(w.distance_m, unit),
            duration_text(w.duration_s),
            said[w.uid].pace,
        ]
        for w in week.workouts
    ]
    lines += table(["Date", "Session", "Distance", "Duration", "Pace"], rows, "llrrr")
    lines.append("")
    for w in week.workouts:
        lines.append(f"- **{inline(day_label(w.date))}: {inline(w.title)}**")
        lines.extend(f"  - {item(s)}" for s in said[w.uid].steps)
        if w.description.strip():
            lines.append(f"  - _{inline(w.description)}_")
        if watch and is_run(w):
            lines.append(f"  - [Workout for your watch (FIT)]({fit_name(w)})")
        lines.extend(f"  - {item(layer_text(layer))}" for layer in w.layers)
    lines.append("")
    return [*lines, *_skipped(week)]


def _skipped(week: Week) -> list[str]:
    """The week's skipped sessions, struck through, with why (none: nothing)."""
    lines = [
        f"- ~~{inline(day_label(w.date))}: {inline(w.title)}~~ {item(layer_text(w.layers[-1]))}"
        for w in week.skipped
    ]
    return [*lines, ""] if lines else []


def _paces(cycle: PaceCycle, unit: str) -> list[str]:
    """One cycle's paces: its heading in a season of two A races, the fitness's caveat, the
    goal in words, the table."""
    lines = [f"### {inline(cycle.label)}", ""] if cycle.label else []
    if cycle.plan.paces.caveat:
        lines += [inline(cycle.plan.paces.caveat), ""]
    if goal := goal_text(cycle.plan):
        lines += [inline(goal), ""]
    rows = [[r.label, r.pace] for r in pace_rows(cycle.plan)]
    return [*lines, *table(["Zone", f"Pace (per {unit})"], rows), ""]


def emit_markdown(plan: Plan, words: PlanWords | None = None, watch: bool = False) -> bytes:
    """The whole plan as one Markdown document (UTF-8, LF, final newline).  It speaks to the
    athlete: each week's purpose and planned volume, never the solver's targets or notes.
    ``watch``: each run links its FIT file, and the summary the upcoming weeks' zip."""
    said = words if words is not None else plan_words(plan)
    unit = plan.athlete.units
    lines = [f"# {inline(plan_title(plan))}", "", *_summary(plan)]
    if watch:
        zip_, intervals = WORKOUTS_ZIP.name, INTERVALS_JSON.name
        lines.append(
            f"- **Watch:** [{zip_}]({zip_}) (the next weeks' workouts as FIT files), "
            f"[{intervals}]({intervals}) (for intervals.icu)"
        )
    lines.append("")
    lines += ["## Paces", ""]
    for cycle in pace_cycles(plan):
        lines += _paces(cycle, unit)
    lines += ["## Weekly volume", ""]
    lines += table(
        ["Week", "Start", "Phase", "Planned"],
        [
            [
                str(w.index),
                w.start.isoformat(),
                w.phase_title + (f" ({lighter_mark(w)})" if lighter_mark(w) else ""),
                week_volume_text(w, unit),
            ]
            for w in plan.weeks
        ],
        "lllr",
    )
    lines.append("")
    for week in plan.weeks:
        lines += _week_section(plan, week, said, watch)
    text = "\n".join(lines).rstrip("\n") + "\n"
    return text.encode("utf-8")
