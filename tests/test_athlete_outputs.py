"""The athlete's outputs (plan.md, the plan page, the calendar feeds) as the athlete reads them,
over the bundled examples, the hand-made factory plans and generated athletes (issue 11):

- every session's pace is the pace of its main work: a tempo at its tempo pace (never the easy
  running around it), a progression from easy to its fast finish, an easy run with strides at
  easy pace (the strides are in its title and steps), intervals at the pace of their reps;
- the outputs speak to the athlete (issue 11, rule 12): none of the solver's words ("target",
  "held to", "lowered from", "sized to fit", ...) and none of its notes, which stay in plan.json
  and ``planc explain``.

Everything is checked on the outputs read back (the Markdown rendered as GitHub would, the page
and the calendar parsed), with the readers of tests/test_outputs_agree.py.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import re
import xml.etree.ElementTree as ET
from functools import cache
from html.parser import HTMLParser
from typing import Any

import icalendar
import pytest
from hypothesis import given
from plan_factory import by_distance, by_time, make_plan, repeat
from test_outputs_agree import from_html, from_markdown, words
from test_properties import SETTINGS, compile_profile, profiles

from compiler.api import compile_plan, load_project
from compiler.emit import emit_busy_ics, emit_html, emit_ics, emit_json, emit_markdown
from compiler.emit.text import CURRENT_FITNESS, pace_text
from compiler.model import Plan, Step, Workout
from compiler.resources import examples_dir
from compiler.units import format_clock
from compiler.vocabulary import Category

TODAY = dt.date(2026, 11, 22)
STAMP = dt.datetime(2026, 11, 22, 8, 0, tzinfo=dt.UTC)
EASY_CATEGORIES = {"easy", "recovery", "strides"}
EASY_ZONES = {None, "easy", "recovery"}
NOT_RUNS = {"strength", "rest"}

# The solver's vocabulary: how a week was reached, which the athlete never reads.
SOLVER_WORDS = re.compile(
    r"\btargets?\b|\bheld\b|\blowered\b|sized to fit|\bcap(?:s|ped)?\b|of the peak|most run"
    r"|headroom|overshoot|replaced by|\bdropped\b|instead of \d|\+\d+(?:\.\d+)?%|\bramp(?:ed)?\b"
    r"|share out|\bcut to\b|poured into|sensible size|the athlete\b|in one session is at most",
    re.IGNORECASE,
)


@cache
def examples() -> dict[str, Plan]:
    project = load_project([examples_dir()], today=TODAY)
    assert project.ok, [d.format() for d in project.diagnostics]
    return {bp.athlete.id: compile_plan(bp, TODAY) for bp in project.blueprints}


PLANS: dict[str, Any] = {
    "factory-km": lambda: make_plan(units="km"),
    "factory-mi": lambda: make_plan(units="mi"),
    **{
        name: (lambda name=name: examples()[name])
        for name in ("half-marathon", "injury-prone-marathon", "riley-trail", "speed-5k")
    },
}


# --------------------------------------------------------------------------- reading back


def pace_table(root: ET.Element, css: str | None = None) -> dict[str, str]:
    """The Paces table of a rendered page, zone label to pace ('Threshold': '5:20/km')."""
    table = next(t for t in root.iter("table") if css is None or css in t.get("class", ""))
    rows = [[words(c) for c in row] for row in table.iter("tr")][1:]
    return {label: pace for label, pace in rows}


def zone_labels(doc: dict[str, Any]) -> dict[str, str]:
    """plan.json's zone keys to the labels of the Paces table, by matching their order."""
    labels = {
        "recovery": "Recovery",
        "easy": "Easy",
        "steady": "Steady",
        "marathon": "Marathon",
        "threshold": "Threshold",
        "interval": "Interval",
        "repetition": "Repetition",
        "5k": "5K race",
        "10k": "10K race",
        "half": "Half marathon race",
        "race": "Goal race" if doc["race"]["goal_s"] is not None else "Race (from your fitness)",
    }
    return {zone: labels.get(zone, zone) for zone in doc["paces"]}


def _runs(steps: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """plan.json's run steps (nested ones too) that have a pace and a zone."""
    found = []
    for step in steps:
        if step["kind"] == "run" and step["pace"] is not None and step["zone"] is not None:
            found.append(step)
        found += _runs(step["steps"])
    return found


def expected_pace(workout: dict[str, Any], table: dict[str, str], labels: dict[str, str]) -> str:
    """The pace a workout of plan.json should show, worked out from its category and the zones
    of its steps, in the words of the Paces table the same output shows (not from planc's own
    choice of step)."""
    if workout["category"] in NOT_RUNS:
        return ""
    runs = _runs(workout["steps"])
    fast = [s for s in runs if s["zone"] not in EASY_ZONES]
    if workout["category"] in EASY_CATEGORIES or workout["intensity"] == "easy" or not fast:
        # easy running at its own zone's pace (a recovery jog slower than easy); faster reps in
        # it (strides) after it, by name
        easy = [s for s in runs if s["zone"] in EASY_ZONES]
        longest = max(easy, key=lambda s: s["distance_m"]) if easy else None
        pace = table[labels[longest["zone"]]] if longest else table[labels["easy"]]
        if not fast:
            return pace
        short = workout["category"] == "strides" or fast[0]["duration_s"] <= 30
        name = "strides" if short else labels[fast[0]["zone"]].lower()
        return f"{pace}, {name} {table[labels[fast[0]['zone']]]}"
    fastest = min(fast, key=lambda s: s["pace"]["min_s_per_km"])
    top = workout["steps"]
    builds = workout["category"] == "progression" or (
        top[0]["kind"] == "run"
        and top[0]["zone"] == "easy"
        and all(s["kind"] != "repeat" for s in top)
    )
    if builds:  # from its first pace (easy, unless a small week left none) to the fast finish
        start, finish = table[labels[runs[0]["zone"]]], table[labels[fastest["zone"]]]
        if runs[0] is fastest:
            return finish
        return f"{start.removesuffix('/' + start.rsplit('/', 1)[1])} → {finish}"
    reps = [s for s in top if s["kind"] == "repeat"]
    if reps:  # intervals: the pace of the reps
        rep = next(s for s in _runs(reps[0]["steps"]) if s["zone"] != "easy")
        if rep.get("effort"):  # run by effort (hills): the effort, no pace
            label = labels[rep["zone"]].removesuffix(f" {CURRENT_FITNESS}")
            words = label.removesuffix(" race") if rep["zone"] != "race" else label
            return f"{words if words[0].isdigit() else words.lower()} effort"
        return table[labels[rep["zone"]]]
    zones = {s["zone"] for s in fast}
    assert len(zones) == 1, ("one pace of work", workout["title"], zones)
    return table[labels[zones.pop()]]


def check_paces(plan: Plan) -> list[tuple[str, str, str]]:
    """(category, title, pace) of every workout, after checking that plan.md and the page show
    each at the pace of its main work."""
    doc = json.loads(emit_json(plan))
    labels = zone_labels(doc)
    md, md_root = from_markdown(plan)
    page, page_root = from_html(plan)
    md_table = pace_table(md_root)
    assert pace_table(page_root, "paces") == md_table
    # the race distance's own row says it is the current fitness's when it differs from the
    # goal race pace ('5K race (current fitness)')
    labels = {
        zone: f"{label} {CURRENT_FITNESS}" if f"{label} {CURRENT_FITNESS}" in md_table else label
        for zone, label in labels.items()
    }
    seen = []
    for week in doc["weeks"]:
        for workout in week["workouts"]:
            want = expected_pace(workout, md_table, labels)
            uid = workout["uid"]
            assert md[uid].pace == want, (workout["title"], md[uid].pace, want)
            assert (page[uid].pace or "") == want, (workout["title"], page[uid].pace, want)
            seen.append((workout["category"], workout["title"], want))
    return seen


# --------------------------------------------------------------------------- paces


@pytest.mark.parametrize("name", sorted(PLANS))
def test_every_session_shows_the_pace_of_its_main_work(name: str) -> None:
    plan: Plan = PLANS[name]()
    seen = check_paces(plan)
    assert seen
    if name.startswith("factory"):
        # the factory's strides run holds 4 x 100 m at repetition pace: shown at easy pace,
        # then the strides at theirs
        (strides,) = [pace for category, _, pace in seen if category == "strides"]
        (easy,) = {pace for category, _, pace in seen if category == "easy"}
        repetition = pace_table(from_markdown(plan)[1])["Repetition"]
        assert strides == f"{easy}, strides {repetition}"


def _tempo_with_fill(plan: Plan) -> Workout:
    """The factory's tempo run with easy running after it that outlasts the tempo block (as the
    bundled tempo-run's ``fill @ easy`` does in a big week)."""
    tempo = next(w for w in plan.workouts if w.category == "tempo")
    steps = (*tempo.steps, by_distance("run", 9000.0, "easy"))
    return dataclasses.replace(tempo, steps=steps, distance_m=sum(s.distance_m for s in steps))


def _progression(plan: Plan) -> Workout:
    base = next(w for w in plan.workouts if w.category == "tempo")
    steps: tuple[Step, ...] = (
        by_distance("run", 6000.0, "easy"),
        by_time("run", 1200.0, "marathon"),
        by_time("run", 600.0, "threshold"),
        by_time("cooldown", 300.0, "easy"),
    )
    return dataclasses.replace(
        base,
        category=Category.PROGRESSION,
        title="Progression run",
        steps=steps,
        distance_m=sum(s.distance_m for s in steps),
        duration_s=sum(s.duration_s for s in steps),
    )


def _shakeout(plan: Plan) -> Workout:
    base = next(w for w in plan.workouts if w.category == "easy")
    steps = (
        by_time("run", 1200.0, "easy"),
        repeat(4, by_time("run", 15.0, "repetition"), by_time("walk", 45.0, None)),
    )
    return dataclasses.replace(base, title="Shakeout", steps=steps)


def _with(plan: Plan, *workouts: Workout) -> Plan:
    """``plan`` with its first week's workouts replaced by ``workouts`` (on their own days)."""
    monday = plan.weeks[0].start
    placed = tuple(
        dataclasses.replace(
            w, date=monday + dt.timedelta(days=i), uid=f"{plan.athlete.id}-made-{i}"
        )
        for i, w in enumerate(workouts)
    )
    week = dataclasses.replace(plan.weeks[0], workouts=placed)
    return dataclasses.replace(plan, weeks=(week, *plan.weeks[1:]))


@pytest.mark.parametrize("units", ["km", "mi"])
def test_tempo_progression_and_strides_read_back_at_their_work(units: str) -> None:
    base = make_plan(units=units)
    plan = _with(base, _tempo_with_fill(base), _progression(base), _shakeout(base))
    check_paces(plan)
    md, _ = from_markdown(plan)
    per = f"/{units}"
    tempo, progression, shakeout = (md[w.uid].pace for w in plan.weeks[0].workouts)
    threshold, easy = ("4:15/km", "5:10-5:40/km") if units == "km" else ("6:50/mi", "8:20-9:05/mi")
    assert tempo == threshold  # the tempo block, not the longer easy running after it
    assert progression == f"{easy.removesuffix(per)} → {threshold}"
    # easy pace, then the strides' pace
    assert shakeout == f"{easy}, strides {'3:40/km' if units == 'km' else '5:54/mi'}"
    summaries = [
        str(e["SUMMARY"])
        for e in icalendar.Calendar.from_ical(emit_ics(plan, stamp=STAMP)).walk("VEVENT")
        if str(e["UID"]).startswith(f"{plan.athlete.id}-made-")
    ]
    assert summaries[0].endswith(f"@ {threshold}")
    assert summaries[1].endswith(f"@ {easy.removesuffix(per)} → {threshold}")
    assert "@" not in summaries[2] and summaries[2].endswith("+ 4x15 s")


@SETTINGS
@given(profiles())
def test_generated_athletes_see_the_pace_of_the_main_work(profile: dict[str, Any]) -> None:
    check_paces(compile_profile(profile).plan)


# --------------------------------------------------------------------------- the athlete's words


class _PageText(HTMLParser):
    """What a reader of the page sees or hears: its text (not the stylesheet) and its tooltips
    and labels."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.said: list[str] = []
        self.hidden = 0  # inside <style> or <script>

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.hidden += tag in ("style", "script")
        self.said += [v or "" for k, v in attrs if k in ("title", "aria-label", "alt")]

    def handle_endtag(self, tag: str) -> None:
        self.hidden -= tag in ("style", "script")

    def handle_data(self, data: str) -> None:
        if not self.hidden:
            self.said.append(data)


def page_text(data: bytes) -> str:
    reader = _PageText()
    reader.feed(data.decode("utf-8"))
    reader.close()
    return " ".join(" ".join(reader.said).split())


def calendar_text(data: bytes) -> str:
    """The words of a calendar feed: its name and every event's and alarm's summary and
    description."""
    said = []
    for component in icalendar.Calendar.from_ical(data).walk():
        for name in ("SUMMARY", "DESCRIPTION", "X-WR-CALNAME", "X-WR-CALDESC", "NAME", "COMMENT"):
            if name in component:
                said.append(str(component[name]))
    return "\n".join(said)


def athlete_outputs(plan: Plan) -> dict[str, str]:
    """The text of every output the athlete reads, by file name."""
    return {
        "plan.md": emit_markdown(plan).decode("utf-8"),
        "index.html": page_text(emit_html(plan, today=TODAY)),
        "plan.ics": calendar_text(emit_ics(plan, stamp=STAMP)),
        "busy.ics": calendar_text(emit_busy_ics(plan, stamp=STAMP)),
    }


def solver_traces(plan: Plan) -> list[str]:
    """The solver's own sentences: each week's rule and notes, each workout's reason."""
    traces = [t for week in plan.weeks for t in (week.rule, *week.notes)]
    return [t for t in traces + [w.reason for w in plan.workouts] if len(t) >= 25]


def check_athlete_words(plan: Plan) -> None:
    for name, text in athlete_outputs(plan).items():
        found = sorted({m.group(0).lower() for m in SOLVER_WORDS.finditer(text)})
        assert not found, (name, found)
        for trace in solver_traces(plan):
            assert trace not in text, (name, trace)


def test_the_solver_words_are_caught() -> None:
    """The vocabulary is the solver's: it catches the trace planc writes into plan.json for the
    examples, and the check fails on an output that holds it."""
    for plan in examples().values():
        doc = json.loads(emit_json(plan))
        trace = " ".join(t for w in doc["weeks"] for t in (w["rule"], *w["notes"]))
        assert SOLVER_WORDS.search(trace), plan.athlete.id
    for word in ("target held to 42 km", "lowered from", "sized to fit", "+10% on", "capped"):
        assert SOLVER_WORDS.search(f"Easy run · {word}"), word
    for fine in ("Tempo · 20min at threshold", "Build your aerobic base", "6 x 400m at 5K pace"):
        assert not SOLVER_WORDS.search(fine), fine
    plan = make_plan()
    leaky = dataclasses.replace(plan.weeks[0].workouts[0], description=plan.weeks[0].notes[0])
    week = dataclasses.replace(plan.weeks[0], workouts=(leaky, *plan.weeks[0].workouts[1:]))
    with pytest.raises(AssertionError):
        check_athlete_words(dataclasses.replace(plan, weeks=(week, *plan.weeks[1:])))


@pytest.mark.parametrize("name", sorted(PLANS))
def test_the_athletes_outputs_hold_no_solver_words(name: str) -> None:
    plan: Plan = PLANS[name]()
    assert solver_traces(plan)  # the plan has a trace to keep out
    check_athlete_words(plan)


@SETTINGS
@given(profiles())
def test_generated_athletes_read_no_solver_words(profile: dict[str, Any]) -> None:
    check_athlete_words(compile_profile(profile).plan)


def _half_with_race_dated(tmp: Any, date: str) -> Plan:
    source = (examples_dir() / "half-marathon.yaml").read_text("utf-8")
    text = re.sub(r"(recent_race:\n(?:    .*\n)*?    date: )\S+", rf"\g<1>{date}", source)
    assert date in text
    path = tmp / "half-marathon.yaml"
    path.write_text(text, "utf-8")
    project = load_project([path], today=TODAY)
    (blueprint,) = project.blueprints
    return compile_plan(blueprint, TODAY)


def test_estimated_paces_say_so_to_the_athlete(tmp_path: Any) -> None:
    """Issue 11 (review round 6): a race ten months old reduced the paces with a warning for
    the coach, but plan.md and the page never told the athlete their paces were an estimate,
    nor asked for a time trial.  Both say it above the paces; a recent race says nothing."""
    stale = _half_with_race_dated(tmp_path, "2025-11-02")
    markdown = emit_markdown(stale).decode()
    paces = markdown.split("## Paces", 1)[1].split("|", 1)[0]
    assert "Estimated: your race was run" in paces and "time trial" in paces
    assert "less fitness than it showed" in paces
    page = emit_html(stale).decode()
    assert re.search(r'<p class="caveat">Estimated: your race was run \d+ weeks', page)
    fresh = _half_with_race_dated(tmp_path, "2026-10-18")
    assert b"Estimated" not in emit_markdown(fresh)
    assert b'class="caveat"' not in emit_html(fresh)


def _half_with_goal(tmp: Any, goal: str | None, units: str = "km") -> Plan:
    source = (examples_dir() / "half-marathon.yaml").read_text("utf-8")
    source = source.replace("\nunits: km\n", f"\nunits: {units}\n")
    text = re.sub(r"(\n  program: half-marathon\n)", rf"\g<1>  goal: '{goal}'\n", source)
    assert goal is None or f"goal: '{goal}'" in text
    path = tmp / "half-marathon.yaml"
    path.write_text(text if goal else source, "utf-8")
    project = load_project([path], today=TODAY)
    assert project.ok, [d.format() for d in project.diagnostics]
    (blueprint,) = project.blueprints
    return compile_plan(blueprint, TODAY)


@pytest.mark.parametrize("units", ["km", "mi"])
@pytest.mark.parametrize(
    ("share", "words"),
    [
        (0.985, "faster than your fitness today predicts"),
        (0.988, "faster than your fitness today predicts"),  # a pace rounding is no reach
        (1.0, "about what your fitness today predicts"),
        (1.06, "slower than your fitness today predicts"),
        (0.90, "more than one plan usually brings"),
        # within reach, but within 1.5% of threshold pace: an hour's race is run below it
        (0.97, "run a little below threshold pace"),
    ],
)
def test_the_goal_is_set_against_the_fitness_in_plain_words(
    tmp_path: Any, share: float, words: str, units: str
) -> None:
    """Issue 11 (review round 7): with a goal, plan.md and the page say plainly what the goal
    asks, what the athlete's fitness predicts today, and what the race-pace sessions train at;
    the pace table alone left an athlete comparing 'Goal race' with 'Half marathon race'.
    Goals are a share of the time the fitness predicts (90%: beyond one plan's reach)."""
    predicted_s = _half_with_goal(tmp_path, None, units).paces.predicted_s
    assert predicted_s is not None
    goal = format_clock(share * predicted_s)
    plan = _half_with_goal(tmp_path, goal, units)
    assert plan.paces.predicted_s is not None
    predicted = format_clock(plan.paces.predicted_s)
    markdown = emit_markdown(plan).decode()
    paces = markdown.split("## Paces", 1)[1].split("|", 1)[0]
    assert f"Your goal, {goal} (" in paces and words in paces, paces
    assert f"predicts: {predicted} (" in paces
    trained = pace_text(plan.paces.zones["race"], plan.athlete.units)
    if "more than one plan" in words or "threshold" in words:  # slower than the goal: for what
        # the time the trained pace runs over the distance, with the pace (round 11)
        trained_s = plan.paces.zones["race"].fast * plan.program.distance_m / 1000
        assert f"train for {format_clock(trained_s)} ({trained})" in paces
    else:
        assert "train at the goal pace" in paces
    page = emit_html(plan).decode()
    assert re.search(rf'<p class="goal-note">Your goal, {re.escape(goal)} \(', page)


def test_without_a_goal_nothing_is_said_of_one(tmp_path: Any) -> None:
    plan = _half_with_goal(tmp_path, None)
    assert b"Your goal" not in emit_markdown(plan)
    assert b"goal-note" not in emit_html(plan)
