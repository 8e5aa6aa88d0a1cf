"""The Markdown plan: every workout, tables that stay tables whatever the text holds."""

from __future__ import annotations

import dataclasses
import re
import xml.etree.ElementTree as ET

import html5lib
import pytest
from markdown_it import MarkdownIt
from plan_factory import make_plan

from compiler.emit import emit_markdown
from compiler.emit.markdown import inline
from compiler.emit.purpose import week_purpose
from compiler.emit.step_text import step_line
from compiler.emit.text import distance_text, duration_text, when_text
from compiler.emit.work_pace import accent_pace_text, main_pace_text
from compiler.model import PaceRange, Plan, Step
from compiler.units import Unit
from compiler.vocabulary import StepKind, Zone

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
    assert cells(volume[0]) == ["Week", "Start", "Phase", "Planned"]
    assert cells(volume[2]) == ["1", "2026-11-30", "Build", "33 km"]  # planned, not the target
    assert "target" not in text.lower()
    assert len(volume) == 2 + len(plan.weeks)
    paces = tables(text)[0]
    assert ["Easy", "5:10-5:40/km"] in [cells(r) for r in paces]
    assert "| Tue 2026-12-01 | 6 x 400m at 5K pace | 7 km | 43 min | 3:55/km |" in text
    assert "6 x (400 m @ 3:55/km, walk 90 s)" in text


def test_race_week_shows_its_training_first_and_the_race_apart() -> None:
    """Race week's volume is its training, the race beside it: with the race counted in, the
    lightest week of the taper read as the biggest of the plan."""
    plan = make_plan()
    text = render(plan)
    volume = [cells(row) for row in tables(text)[1][2:]]
    race_weeks = [w for w in plan.weeks if any(x.category == "race" for x in w.workouts)]
    assert race_weeks
    for week in plan.weeks:
        planned = volume[week.index - 1][3]
        # the race is its steps at race pace, to a tenth (a half is no '21 km'); the race
        # day's warm-up is running of the week, counted with the training
        race = sum(
            s.distance_m
            for x in week.workouts
            if x.category == "race"
            for s in x.steps
            if s.zone == "race"
        )
        if race:
            training = round((week.planned_m - race) / 1000)
            raced = f"{race / 1000:.1f}".rstrip("0").rstrip(".")
            assert planned == f"{training} km + the race ({raced} km)"
            assert training < round(plan.weeks[week.index - 2].planned_m / 1000)  # light week
            assert f"{training} km planned + the race ({raced} km)" in text
        else:
            assert "race" not in planned


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


# --------------------------------------------------------------------------- rendered


def rendered(plan: Plan) -> ET.Element:
    """The Markdown rendered as GitHub would (CommonMark with GFM tables and strikethrough),
    then parsed as HTML."""
    html = MarkdownIt("commonmark").enable(["table", "strikethrough"]).render(render(plan))
    root: ET.Element = html5lib.parse(html, treebuilder="etree", namespaceHTMLElements=False)
    return root


def words(element: ET.Element) -> str:
    return " ".join("".join(element.itertext()).split())


def html_tables(root: ET.Element) -> list[list[list[str]]]:
    """Each <table> as rows of cell texts, the header row first."""
    return [
        [[words(c) for c in row if c.tag in ("th", "td")] for row in table.iter("tr")]
        for table in root.iter("table")
    ]


@pytest.mark.parametrize("units", ["km", "mi"])
def test_rendered_tables_hold_every_workout(units: str) -> None:
    plan = make_plan(units=units)
    unit = plan.athlete.units
    root = rendered(plan)
    found = html_tables(root)
    assert len(found) == 2 + len(plan.weeks)
    paces, volume, *weeks = found
    assert paces[0] == ["Zone", f"Pace (per {unit})"]
    assert len(paces) == 1 + len(plan.paces.zones)
    assert volume[0] == ["Week", "Start", "Phase", "Planned"]
    assert [row[0] for row in volume[1:]] == [str(w.index) for w in plan.weeks]
    for week, table in zip(plan.weeks, weeks, strict=True):
        assert table[0] == ["Date", "Session", "Distance", "Duration", "Pace"]
        assert table[1:] == [
            [
                when_text(w),
                w.title,
                distance_text(w.distance_m, unit),
                duration_text(w.duration_s),
                ", ".join(p for p in (main_pace_text(w, unit), accent_pace_text(w, unit)) if p),
            ]
            for w in week.workouts
        ]
    assert [words(h) for h in root.iter("h1")] == [f"{plan.athlete.name}: Riverside Half"]
    other = "/km" if unit == "mi" else "/mi"
    assert other not in words(root)


NASTY = "Hills | flats <script>alert('x')</script> *not em* _nor_ `code` [link](x) ~~s~~ &amp; #"


def test_rendered_names_stay_literal_text() -> None:
    plan = make_plan(
        first_title=NASTY + "\nsecond line", athlete_name=NASTY, race_name="R&D <b>Half</b> #"
    )
    root = rendered(plan)
    flat = NASTY.replace("\n", " ")
    assert [words(h) for h in root.iter("h1")] == [f"{flat}: R&D <b>Half</b> #"]
    week_one = html_tables(root)[2]
    assert all(len(row) == 5 for row in week_one)
    assert week_one[1][1] == flat + " second line"
    for tag in ("script", "b", "em", "code", "a", "del"):
        inside = [words(e) for e in root.iter(tag)]
        assert all("Hills" not in t and "Half" not in t for t in inside), (tag, inside)
    assert not list(root.iter("script"))
    strong = [words(e) for e in root.iter("strong") if "Hills" in words(e)]
    assert strong == [f"Tue 2026-12-01: {flat} second line"]  # the details list, bold as meant


def purposes(root: ET.Element) -> list[str]:
    """The paragraph under each week's heading, in order (a paragraph, not a list or quote)."""
    body = next(root.iter("body"))
    children = list(body)
    found = []
    for i, child in enumerate(children):
        if child.tag == "h2" and words(child).startswith("Week "):
            assert children[i + 1].tag == "p", (words(child), children[i + 1].tag)
            found.append(words(children[i + 1]))
    return found


# How the compiler words its trace: none of it is for the athlete.
SOLVER_WORDS = re.compile(
    r"held to|lowered from|dropped|replaced by|of the peak|most run in a week|share out|"
    r"ramp:|taper:|at most \+"
)


def test_weeks_show_their_purpose_not_the_solvers_notes() -> None:
    plan = make_plan()
    assert all(week.notes for week in plan.weeks)  # the factory's weeks carry a trace
    text = render(plan)
    root = rendered(plan)
    assert purposes(root) == [week_purpose(plan, week) for week in plan.weeks]
    flat = words(root)
    for week in plan.weeks:
        for trace in (*week.notes, week.rule):
            assert trace not in flat and inline(trace) not in text, trace
    assert not SOLVER_WORDS.search(text), SOLVER_WORDS.search(text)
    assert not list(root.iter("blockquote"))


@pytest.mark.parametrize("title", ["- away: 3 days", "1. first", "# not a heading", "> quoted"])
def test_block_syntax_at_the_start_of_a_purpose_stays_text(title: str) -> None:
    """A phase a coach adds is introduced by its title, which then starts the paragraph."""
    plan = make_plan()
    weeks = list(plan.weeks)
    weeks[1] = dataclasses.replace(weeks[1], phase="hill-block", phase_title=title)
    plan = dataclasses.replace(plan, weeks=tuple(weeks))
    root = rendered(plan)
    assert purposes(root)[1] == week_purpose(plan, plan.weeks[1])
    assert purposes(root)[1].startswith(f"{title}, week 2. Key sessions: Tempo 20 min (Tue)")
    assert len(list(root.iter("h1"))) == 1
    assert not list(root.iter("blockquote"))


EASY = PaceRange(310.0, 340.0)
REP = PaceRange(220.0, 220.0)


@pytest.mark.parametrize(
    ("step", "unit", "text"),
    [
        (
            Step(StepKind.RUN, 400.0, 94.0, Zone.INTERVAL, PaceRange(235.0, 235.0)),
            "km",
            "400 m @ 3:55/km",
        ),
        (Step(StepKind.RUN, 71.53, 20.0, Zone.REPETITION, REP), "km", "20 s @ 3:40/km"),
        (
            Step(StepKind.WARMUP, 2769.23, 900.0, Zone.EASY, EASY),
            "km",
            "warm-up 15 min @ 5:10-5:40/km",
        ),
        (
            Step(StepKind.RUN, 4828.032, 1303.6, Zone.MARATHON, PaceRange(270.0, 270.0)),
            "mi",
            "3 mi @ 7:15/mi",
        ),
        (
            Step(StepKind.RUN, 42195.0, 14100.0, Zone.RACE, PaceRange(334.2, 334.2)),
            "km",
            "42.2 km @ 5:34/km",
        ),
        (Step(StepKind.WALK, 0.0, 90.0), "km", "walk 90 s"),
        (Step(StepKind.EXERCISE, 0.0, 0.0, label="Squats", note="3 x 12"), "km", "Squats: 3 x 12"),
        (
            Step(
                StepKind.REPEAT,
                400.0,
                328.0,
                repeat=4,
                steps=(
                    Step(StepKind.RUN, 100.0, 22.0, Zone.REPETITION, REP, note="Stay tall"),
                    Step(StepKind.WALK, 0.0, 60.0),
                ),
            ),
            "km",
            "4 x (100 m @ 3:40/km, walk 1 min) — Stay tall",
        ),
    ],
)
def test_step_wording(step: Step, unit: Unit, text: str) -> None:
    assert step_line(step, unit) == text
