"""The Markdown plan: every workout, tables that stay tables whatever the text holds."""

from __future__ import annotations

import re

import pytest
from plan_factory import make_plan

from compiler.emit import emit_markdown
from compiler.emit.text import step_line
from compiler.model import PaceRange, Plan, Step
from compiler.units import Unit

UNESCAPED_PIPE = re.compile(r"(?<!\\)\|")


def tables(text: str) -> list[list[str]]:
    """Every GFM table in the text: runs of consecutive lines that start with '|'."""
    found: list[list[str]] = []
    current: list[str] = []
    for line in [*text.split("\n"), ""]:
        if line.startswith("|"):
            current.append(line)
        elif current:
            found.append(current)
            current = []
    return found


def cells(row: str) -> list[str]:
    assert row.startswith("| ") and row.endswith(" |"), row
    return [str(c).strip() for c in UNESCAPED_PIPE.split(row[1:-1])]


def render(plan: Plan) -> str:
    return emit_markdown(plan).decode("utf-8")


@pytest.mark.parametrize("units", ["km", "mi"])
def test_every_workout_title_present(units: str) -> None:
    plan = make_plan(units=units)
    text = render(plan)
    for workout in plan.workouts:
        assert f"| {workout.title} |" in text
    assert text.startswith("# ")
    assert len(re.findall(r"^# ", text, flags=re.MULTILINE)) == 1


@pytest.mark.parametrize("units", ["km", "mi"])
def test_tables_have_consistent_columns(units: str) -> None:
    plan = make_plan(units=units)
    found = tables(render(plan))
    # paces, weekly volume, one per week
    assert len(found) == 2 + len(plan.weeks)
    for table in found:
        widths = {len(cells(row)) for row in table}
        assert len(widths) == 1, table
        assert set(cells(table[1])) <= {"---", "---:"}


def test_pipe_and_newline_in_a_title_do_not_break_tables() -> None:
    plan = make_plan(first_title="Hills | flats\nand more")
    text = render(plan)
    week_one = tables(text)[2]
    assert all(len(cells(row)) == 5 for row in week_one)
    assert "| Hills \\| flats and more |" in text
    assert "Hills | flats\nand more" not in text


def test_summary_weekly_volume_and_paces() -> None:
    plan = make_plan()
    text = render(plan)
    assert "# Ana García: Riverside Half" in text
    assert "**Date:** 2026-12-20" in text
    assert "**VDOT:** 50.3" in text
    assert "**Focus:** Speed" in text
    volume = tables(text)[1]
    assert cells(volume[0]) == ["Week", "Start", "Phase", "Target", "Planned"]
    assert cells(volume[2]) == ["1", "2026-11-30", "Build", "42 km", "33 km"]
    assert len(volume) == 2 + len(plan.weeks)
    paces = tables(text)[0]
    assert ["Easy", "5:10-5:40/km"] in [cells(r) for r in paces]
    assert "| Tue 2026-12-01 | 6 x 400m at 5K pace | 7 km | 43 min | 3:55/km |" in text
    assert "6 x (400 m @ 3:55/km, walk 90 s)" in text


def test_miles_athlete_reads_miles_and_start_times() -> None:
    text = render(make_plan(units="mi"))
    assert "| Sun 2027-03-14 07:00 | Long run with marathon finish | 12.4 mi |" in text
    assert "/km" not in text


def test_deterministic_utf8_with_final_newline() -> None:
    data = emit_markdown(make_plan())
    assert data == emit_markdown(make_plan())
    assert data.endswith(b"\n") and not data.endswith(b"\n\n")
    assert b"\r" not in data
    data.decode("utf-8")


EASY = PaceRange(310.0, 340.0)
REP = PaceRange(220.0, 220.0)


@pytest.mark.parametrize(
    ("step", "unit", "text"),
    [
        (Step("run", 400.0, 94.0, "interval", PaceRange(235.0, 235.0)), "km", "400 m @ 3:55/km"),
        (Step("run", 71.53, 20.0, "repetition", REP), "km", "20 s @ 3:40/km"),
        (Step("warmup", 2769.23, 900.0, "easy", EASY), "km", "warm-up 15 min @ 5:10-5:40/km"),
        (
            Step("run", 4828.032, 1303.6, "marathon", PaceRange(270.0, 270.0)),
            "mi",
            "3 mi @ 7:15/mi",
        ),
        (Step("run", 42195.0, 14100.0, "race", PaceRange(334.2, 334.2)), "km", "42.2 km @ 5:35/km"),
        (Step("walk", 0.0, 90.0), "km", "walk 90 s"),
        (Step("exercise", 0.0, 0.0, label="Squats", note="3 x 12"), "km", "Squats: 3 x 12"),
        (
            Step(
                "repeat",
                400.0,
                328.0,
                repeat=4,
                steps=(
                    Step("run", 100.0, 22.0, "repetition", REP, note="Stay tall"),
                    Step("walk", 0.0, 60.0),
                ),
            ),
            "km",
            "4 x (100 m @ 3:40/km, walk 1 min) — Stay tall",
        ),
    ],
)
def test_step_wording(step: Step, unit: Unit, text: str) -> None:
    assert step_line(step, unit) == text
