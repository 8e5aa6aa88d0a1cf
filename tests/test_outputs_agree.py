"""The four outputs of one plan say the same thing: for every workout the same date, start time,
title, distance, duration and pace, worded identically (``compiler.emit.text`` is the one
source of wording), in the athlete's units and time zone.

Each output is read back the way its readers read it: the calendar with icalendar, the Markdown
rendered to HTML (CommonMark + GFM tables), the page parsed as HTML, the JSON loaded.
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from typing import Any

import html5lib
import icalendar
import pytest
from markdown_it import MarkdownIt
from plan_factory import make_plan

from compiler.api import compile_plan, load_project
from compiler.emit import emit_html, emit_ics, emit_json, emit_markdown
from compiler.emit.html_links import anchor
from compiler.emit.purpose import week_purpose
from compiler.model import Plan
from compiler.resources import examples_dir
from compiler.units import METRES_PER, format_pace_range

STAMP = dt.datetime(2026, 11, 22, 8, 0, tzinfo=dt.UTC)
TODAY = dt.date(2026, 11, 22)
DOMAIN = "plans.example.org"
PACE = re.compile(r"\d:\d\d/(km|mi)\b")


@dataclass(frozen=True)
class Shown:
    """What one output says about one workout (None: that output does not say it)."""

    date: str
    start: str | None
    title: str
    distance: str | None = None
    duration: str | None = None
    pace: str | None = None
    summary: str | None = None


def _examples() -> dict[str, Plan]:
    project = load_project([examples_dir()], today=TODAY)
    return {bp.athlete.id: compile_plan(bp, TODAY) for bp in project.blueprints}


PLANS: dict[str, Any] = {
    "factory-km": lambda: make_plan(units="km"),
    "factory-mi-start-times": lambda: make_plan(units="mi"),
    "speed-5k-mi": lambda: _examples()["speed-5k"],
    "half-marathon-km": lambda: _examples()["half-marathon"],
}


@pytest.fixture(scope="module", params=sorted(PLANS))
def plan(request: pytest.FixtureRequest) -> Plan:
    made: Plan = PLANS[request.param]()
    return made


# --------------------------------------------------------------------------- readers


def words(element: ET.Element) -> str:
    return " ".join("".join(element.itertext()).split())


def html_tree(data: bytes | str) -> ET.Element:
    root: ET.Element = html5lib.parse(data, treebuilder="etree", namespaceHTMLElements=False)
    return root


def from_json(plan: Plan) -> tuple[dict[str, Shown], dict[str, Any]]:
    doc = json.loads(emit_json(plan))
    shown = {
        w["uid"]: Shown(
            date=w["date"],
            start=w["start_time"],
            title=w["title"],
            summary=w["summary"],
        )
        for week in doc["weeks"]
        for w in week["workouts"]
    }
    return shown, doc


def from_ics(plan: Plan) -> tuple[dict[str, Shown], dict[str, str]]:
    calendar = icalendar.Calendar.from_ical(emit_ics(plan, stamp=STAMP, domain=DOMAIN))
    shown: dict[str, Shown] = {}
    descriptions: dict[str, str] = {}
    for event in calendar.walk("VEVENT"):
        uid = str(event["UID"]).removesuffix(f"@{DOMAIN}")
        start = event.decoded("DTSTART")
        if isinstance(start, dt.datetime):
            assert getattr(start.tzinfo, "key", str(start.tzinfo)) == plan.athlete.timezone
            day, clock = start.date(), start.strftime("%H:%M")
        else:
            day, clock = start, None
        description = str(event["DESCRIPTION"])
        descriptions[uid] = description
        shown[uid] = Shown(
            date=day.isoformat(),
            start=clock,
            title=description.split("\n", 1)[0],
            summary=str(event["SUMMARY"]),
        )
    return shown, descriptions


def from_markdown(plan: Plan) -> tuple[dict[str, Shown], ET.Element]:
    """The week tables of the rendered Markdown, matched to the plan's workouts in order (a
    week without workouts has no table)."""
    html = MarkdownIt("commonmark").enable("table").render(emit_markdown(plan).decode())
    root = html_tree(html)
    tables = list(root.iter("table"))[2:]
    weeks = [week for week in plan.weeks if week.workouts]  # a week without any has no table
    assert len(tables) == len(weeks)
    shown: dict[str, Shown] = {}
    for week, table in zip(weeks, tables, strict=True):
        rows = [[words(c) for c in row] for row in table.iter("tr")][1:]
        assert len(rows) == len(week.workouts)
        for workout, (when, title, distance, duration, pace) in zip(
            week.workouts, rows, strict=True
        ):
            _weekday, day, *clock = when.split(" ")
            shown[workout.uid] = Shown(
                date=day,
                start=clock[0] if clock else None,
                title=title,
                distance=distance,
                duration=duration,
                pace=pace,
            )
    return shown, root


def from_html(plan: Plan) -> tuple[dict[str, Shown], ET.Element]:
    root = html_tree(emit_html(plan, today=TODAY))
    summaries = {
        a.get("href", "")[1:]: a.get("title", "")
        for a in root.iter("a")
        if "session" in a.get("class", "").split()
    }
    shown: dict[str, Shown] = {}
    for article in root.iter("article"):
        times = list(article.iter("time"))
        numbers = {dd.get("class"): words(dd) for dd in article.iter("dd")}
        uid = next(w.uid for w in plan.workouts if anchor(w.uid) == article.get("id"))
        shown[uid] = Shown(
            date=times[0].get("datetime", ""),
            start=times[1].get("datetime") if len(times) > 1 else None,
            title=words(next(article.iter("h4"))),
            distance=numbers.get("distance", ""),
            duration=numbers.get("duration", ""),
            pace=numbers.get("pace", ""),
            summary=summaries[article.get("id", "")],
        )
    return shown, root


def _only(shown: dict[str, Shown], *fields: str) -> dict[str, tuple[Any, ...]]:
    return {uid: tuple(getattr(s, f) for f in fields) for uid, s in shown.items()}


# --------------------------------------------------------------------------- the checks


def test_every_output_has_every_workout(plan: Plan) -> None:
    uids = {w.uid for w in plan.workouts}
    assert set(from_json(plan)[0]) == uids
    assert set(from_ics(plan)[0]) == uids
    assert set(from_markdown(plan)[0]) == uids
    assert set(from_html(plan)[0]) == uids


def test_dates_start_times_titles_and_summaries_agree(plan: Plan) -> None:
    js, ics = from_json(plan)[0], from_ics(plan)[0]
    md, html = from_markdown(plan)[0], from_html(plan)[0]
    expected = _only(js, "date", "start", "title")
    assert _only(ics, "date", "start", "title") == expected
    assert _only(md, "date", "start", "title") == {
        uid: (d, s, " ".join(t.split())) for uid, (d, s, t) in expected.items()
    }
    assert _only(html, "date", "start", "title") == _only(md, "date", "start", "title")
    assert _only(ics, "summary") == _only(js, "summary") == _only(html, "summary")
    timed = [w for w in plan.workouts if w.start_time is not None]
    assert sum(s.start is not None for s in md.values()) == len(timed)
    assert bool(timed) == (plan.athlete.id in ("bob-mi", "speed-5k"))  # the ones with times


def test_distances_durations_and_paces_worded_alike(plan: Plan) -> None:
    md, html = from_markdown(plan)[0], from_html(plan)[0]
    numbers = ("distance", "duration", "pace")
    assert _only(html, *numbers) == _only(md, *numbers)
    _ics, descriptions = from_ics(plan)
    for uid, shown in md.items():
        for value in (shown.title, shown.distance, shown.duration, shown.pace):
            if value:
                assert value in " ".join(descriptions[uid].split()), (uid, value)


def _metres(text: str) -> float:
    number, unit = text.split(" ")
    return float(number) * METRES_PER[unit]


def _seconds(text: str) -> float:
    parts = dict(zip(text.split(" ")[1::2], map(int, text.split(" ")[0::2]), strict=True))
    return parts.get("h", 0) * 3600 + parts.get("min", 0) * 60 + parts.get("s", 0)


def test_the_words_say_the_jsons_numbers(plan: Plan) -> None:
    """The text rounds (0.1 of the athlete's unit, whole minutes); the JSON keeps metres and
    seconds: they agree to within that rounding."""
    _, doc = from_json(plan)
    md = from_markdown(plan)[0]
    unit = METRES_PER[plan.athlete.units]
    for week in doc["weeks"]:
        for item in week["workouts"]:
            shown = md[item["uid"]]
            if shown.distance:
                assert abs(_metres(shown.distance) - item["distance_m"]) <= 0.05 * unit + 1
            else:
                assert item["distance_m"] == 0
            if shown.duration:
                assert abs(_seconds(shown.duration) - item["duration_s"]) <= 30
    # the paces table, from the JSON's seconds per km
    unit_name = plan.athlete.units
    paces = {
        zone: format_pace_range(p["min_s_per_km"], p["max_s_per_km"], unit_name)
        for zone, p in doc["paces"].items()
    }
    md_root = from_markdown(plan)[1]
    html_root = from_html(plan)[1]
    md_paces = next(md_root.iter("table"))
    md_rows = [[words(c) for c in row] for row in md_paces.iter("tr")][1:]
    html_table = next(t for t in html_root.iter("table") if "paces" in t.get("class", ""))
    html_rows = [[words(c) for c in row] for row in html_table.iter("tr")][1:]
    assert md_rows == html_rows
    assert [pace for _label, pace in md_rows] == list(paces.values())


def test_paces_only_in_the_athletes_unit(plan: Plan) -> None:
    unit = plan.athlete.units
    texts = {
        "json summaries": " ".join(s.summary or "" for s in from_json(plan)[0].values()),
        "ics": " ".join(from_ics(plan)[1].values()),
        "markdown": emit_markdown(plan).decode(),
        "html": words(from_html(plan)[1]),
    }
    for name, text in texts.items():
        units = set(PACE.findall(text))
        assert units == {unit}, (name, units)


def test_weekly_volumes_agree(plan: Plan) -> None:
    md_root = from_markdown(plan)[1]
    volume = [[words(c) for c in row] for row in list(md_root.iter("table"))[1].iter("tr")][1:]
    html_root = from_html(plan)[1]
    grid = next(t for t in html_root.iter("table") if "calendar" in t.get("class", ""))
    totals = [words(td) for td in grid.iter("td") if "total" in td.get("class", "").split()]
    assert totals == [row[3] for row in volume]  # the planned column


def test_the_json_contract_of_docs_outputs(plan: Plan) -> None:
    """What docs/outputs.md promises other tools beyond the schema."""
    _, doc = from_json(plan)
    starts = [dt.date.fromisoformat(w["start"]) for w in doc["weeks"]]
    assert all((b - a).days == 7 for a, b in itertools.pairwise(starts))
    assert doc["start"] == starts[0].isoformat()
    assert doc["end"] == (starts[-1] + dt.timedelta(days=6)).isoformat()
    uids = [w["uid"] for week in doc["weeks"] for w in week["workouts"]]
    assert len(uids) == len(set(uids))
    for week, start in zip(doc["weeks"], starts, strict=True):
        workouts = week["workouts"]
        assert [(w["date"], w["slot"]) for w in workouts] == sorted(
            (w["date"], w["slot"]) for w in workouts
        )
        assert all(0 <= (dt.date.fromisoformat(w["date"]) - start).days < 7 for w in workouts)
        assert abs(week["planned_m"] - sum(w["distance_m"] for w in workouts)) <= len(workouts)
    assert list(doc["paces"])[:7] == [
        "recovery",
        "easy",
        "steady",
        "marathon",
        "threshold",
        "interval",
        "repetition",
    ]


def _md_purposes(root: ET.Element) -> list[str]:
    """The paragraph under each week's heading of the rendered Markdown."""
    children = list(next(root.iter("body")))
    return [
        words(children[i + 1])
        for i, child in enumerate(children)
        if child.tag == "h2" and words(child).startswith("Week ")
    ]


def test_the_athletes_outputs_tell_each_weeks_purpose_not_the_trace(plan: Plan) -> None:
    """plan.md and the page show every week's purpose, the same words in both; the compiler's
    trace (each week's rule and notes) stays in plan.json."""
    expected = [week_purpose(plan, week) for week in plan.weeks]
    md_root, html_root = from_markdown(plan)[1], from_html(plan)[1]
    assert _md_purposes(md_root) == expected
    shown = [words(p) for p in html_root.iter("p") if "purpose" in p.get("class", "").split()]
    assert shown == expected
    md_text, html_text = words(md_root), words(html_root)
    _, doc = from_json(plan)
    for week, js in zip(plan.weeks, doc["weeks"], strict=True):
        assert (js["rule"], js["notes"]) == (week.rule, list(week.notes))
        for trace in (*week.notes, week.rule):
            assert trace not in md_text and trace not in html_text, trace
