"""Checks and outputs of the athlete's changes (compiler/plan/changes.py) found by the review of
issue 15: a change that changes nothing leaves no layer, the gentle return after a sick skip
never makes a session longer, and a `volume` layer says its share."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import re
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_properties import TODAY, compile_profile, profiles

from compiler.api import build_site, explain_athlete, load_project
from compiler.commands.explain import render_explanation
from compiler.emit import emit_json, emit_markdown
from compiler.model import Blueprint, Change, Source
from compiler.plan.changes import EASY_ROLES
from compiler.plan.pipeline import compile_checked, compile_plan
from compiler.resources import examples_dir
from compiler.vocabulary import ChangeAction, ChangeReason

SOURCE = Source("/tmp/some/where/generated.yaml", 40, 5)  # a path, as the build was given
SETTINGS = settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _with(blueprint: Blueprint, changes: tuple[Change, ...]) -> Blueprint:
    return dataclasses.replace(
        blueprint, athlete=dataclasses.replace(blueprint.athlete, changes=changes)
    )


@SETTINGS
@given(profiles(), st.data())
def test_a_move_onto_its_own_day_changes_nothing_and_says_so(
    profile: dict[str, Any], data: st.DataObject
) -> None:
    """`move: X` with `to: X` (or a swap of X with X) is a warning and leaves the plan as
    compiled: no session marked "moved"."""
    case = compile_profile(profile)
    runs = [w for w in case.plan.workouts if w.slot == "run" and w.category != "race"]
    workout = data.draw(st.sampled_from(runs))
    action = data.draw(st.sampled_from([ChangeAction.MOVE, ChangeAction.SWAP]))
    change = Change(action, workout.date, SOURCE, to=workout.date, reason=ChangeReason.TRAVEL)
    compiled = compile_checked(_with(case.blueprint, (change,)), TODAY)
    assert not any(w.layers for w in compiled.plan.workouts)
    assert compiled.plan.weeks == case.plan.weeks
    assert "change-no-effect" in [d.code for d in compiled.warnings]


def _sick_before(plan: Any, after_days: int) -> list[tuple[dt.date, dt.date]]:
    """Spans of ``after_days`` sick days that end the day before a hard session and hold a
    session (so the skip is valid and the gentle return eases that hard session)."""
    first = max(plan.start, plan.athlete.start or plan.start)
    spans = []
    for hard in plan.workouts:
        if hard.intensity != "hard" or hard.category == "race":
            continue
        start, end = hard.date - dt.timedelta(days=after_days), hard.date - dt.timedelta(days=1)
        inside = [w for w in plan.workouts if start <= w.date <= end and w.category != "race"]
        if start >= first and inside:
            spans.append((start, end))
    return spans


@SETTINGS
@given(profiles(), st.data())
def test_the_gentle_return_never_makes_a_session_or_a_week_longer(
    profile: dict[str, Any], data: st.DataObject
) -> None:
    """After a sick skip the return steps back: the hard session it eases is no longer (in
    distance) than the session it replaces, the easy runs are held to the return's easy share,
    and no week grows."""
    case = compile_profile(profile)
    returning = case.blueprint.program.rules.returning
    spans = _sick_before(case.plan, returning.after_days)
    if not spans:
        return
    start, end = data.draw(st.sampled_from(spans))
    change = Change(ChangeAction.SKIP, start, SOURCE, to=end, reason=ChangeReason.SICK)
    changed = compile_plan(_with(case.blueprint, (change,)), TODAY)
    was = {w.uid: w for w in case.plan.workouts}
    eased = [w for w in changed.workouts if w.layers and w.layers[-1].action == "eased"]
    assert eased
    for workout in eased:
        assert workout.distance_m <= was[workout.uid].distance_m + 1e-6
        if "easy running at" in workout.layers[-1].was:
            share = returning.easy_share * was[workout.uid].distance_m
            assert workout.distance_m <= share + 500  # to the fill's 100 m and a fixed part
    for before, after in zip(case.plan.weeks, changed.weeks, strict=True):
        assert after.planned_m <= before.planned_m + 1e-6


# the verifier's athlete of issue 15: five days sick (2027-01-25 to 29); the return turned the
# Tuesday's 6.9 km of 400s into an 8 km easy run, and the week grew from 44.5 to 44.7 km
SAM: dict[str, Any] = {
    "kind": "athlete",
    "id": "sam",
    "name": "Sam Runner",
    "timezone": "Europe/London",
    "units": "km",
    "races": [
        {
            "name": "Spring Half",
            "priority": "A",
            "program": "half-marathon",
            "date": "2027-03-21",
            "goal": "1:45:00",
        },
        {"name": "Winter 10K", "priority": "B", "program": "10k", "date": "2027-02-21"},
        {"name": "New Year Parkrun", "priority": "C", "distance": "5k", "date": "2027-01-09"},
    ],
    "focus": "balanced",
    "start": "2026-12-07",
    "fitness": {
        "recent_race": {"distance": "10km", "time": "48:00", "date": "2026-11-01"},
        "weekly_volume": "35km",
        "long_run": "14km",
    },
    "availability": {
        "days": ["monday", "tuesday", "thursday", "saturday", "sunday"],
        "long_run_day": "sunday",
    },
    "strength_per_week": 1,
    "away": [{"from": "2027-01-27", "to": "2027-01-28", "note": "Conference"}],
}


def test_sams_return_after_flu_grows_no_session_and_no_week() -> None:
    """The verifier's Sam: the return after his flu made his 6.9 km session an 8 km easy run
    and his week bigger.  Every session the return touches is no longer than it was, a hard
    one is made easy, and the week is no bigger (which of his sessions is hard moves with
    the engine: the 400s of that Tuesday are an easy run in today's plan)."""
    case = compile_profile(SAM)
    sick = {"skip": "2027-01-25", "to": "2027-01-29", "reason": "sick", "note": "flu"}
    changed = compile_profile({**SAM, "changes": [sick]}).plan
    was = {w.uid: w for w in case.plan.workouts}
    touched = [w for w in changed.workouts if w.layers and w.date > dt.date(2027, 1, 29)]
    assert touched, "the return after the flu touches the days after it"
    for workout in touched:
        before = was[workout.uid]
        assert workout.distance_m <= before.distance_m, (workout.date, workout.title)
        assert before.intensity != "hard" or workout.intensity == "easy", workout.date
    week = next(w for w in changed.weeks if w.start == dt.date(2027, 2, 1))
    assert week.planned_m <= next(w for w in case.plan.weeks if w.start == week.start).planned_m


@SETTINGS
@given(profiles(), st.data())
def test_a_volume_change_scales_the_easy_running_and_says_by_how_much(
    profile: dict[str, Any], data: st.DataObject
) -> None:
    """`volume: N%` over a week scales its easy running (a run's open part: within a
    kilometre of N% of it) and says its share in every output: plan.json's `was` and text,
    plan.md; the layer's `file` is the athlete file's own name, not the path it was read
    from."""
    case = compile_profile(profile)
    easy = [w for w in case.plan.workouts if w.slot == "run" and w.role in EASY_ROLES]
    day = data.draw(st.sampled_from(easy)).date
    share = data.draw(st.sampled_from([0.5, 0.8, 1.1]))
    change = Change(ChangeAction.VOLUME, day, SOURCE, factor=share)
    changed = compile_plan(_with(case.blueprint, (change,)), TODAY)
    was = {w.uid: w for w in case.plan.workouts}
    scaled = [w for w in changed.workouts if w.layers]
    assert scaled
    for workout in scaled:  # between N% and all of it: a fixed part (a fast block) stays
        assert workout.layers[-1].action == "scaled"
        low, high = sorted((share * was[workout.uid].distance_m, was[workout.uid].distance_m))
        assert low - 500 <= workout.distance_m <= high + 500
    words = f"to {share:.0%} of the plan"
    layers = [
        layer
        for week in json.loads(emit_json(changed))["weeks"]
        for w in week["workouts"]
        for layer in w.get("layers", [])
    ]
    assert layers and all(layer["was"] == words and words in layer["text"] for layer in layers)
    assert all(layer["file"] == "generated.yaml" for layer in layers)
    assert f"Scaled ({words})" in emit_markdown(changed).decode()


def test_an_empty_changes_key_is_no_changes() -> None:
    """`changes:` with nothing under it (YAML null) is no changes, not an error."""
    assert compile_profile({**SAM, "changes": None}).plan == compile_profile(SAM).plan


EXPLAINED = """\
changes:
  - move: 2026-12-08
    to: 2026-12-09
    reason: travel
    note: work trip
  - replace: 2026-12-10
    with: cross-training
    reason: injured
    note: bike
  - replace: 2026-12-13
    with: easy
    reason: family
"""


def test_explain_names_each_layer_and_gives_a_replacement_its_own_reason(tmp_path: Path) -> None:
    """explain's line under a changed session names its layer ("moved by ...: travel"); a
    replaced session says what it stands in for and why, not the old session's reason; a
    cross-training session (no template) is explained too."""
    profile = tmp_path / "half-marathon.yaml"
    source = (examples_dir() / "half-marathon.yaml").read_text("utf-8")
    profile.write_text(source + EXPLAINED, "utf-8")
    line = (source + EXPLAINED).splitlines().index("  - move: 2026-12-08") + 1
    project = load_project([profile], today=TODAY)
    assert project.ok, [d.format() for d in project.diagnostics]
    text = render_explanation(explain_athlete(project, "half-marathon", TODAY))
    assert f"    moved by half-marathon.yaml:{line}: travel, work trip (from 2026-12-08)" in text
    crossed = re.search(
        r"^  Thu 2026-12-10  Cross-training \([^)]*\): (.*) \[cross-training\]$", text, re.M
    )
    assert crossed is not None and crossed.group(1).startswith("instead of ")
    assert crossed.group(1).endswith("(injured, bike)")
    replaced = re.search(r"^  Sun 2026-12-13  .*?\([^)]*\): (.*) \[.*\]$", text, re.M)
    assert replaced is not None and replaced.group(1).startswith("instead of ")
    assert replaced.group(1).endswith("(family)")
    assert f"    replaced by half-marathon.yaml:{line + 8}: family (was " in text


PAGE = """\
changes:
  - move: 2026-12-08
    to: 2026-12-09
    reason: travel
    note: work trip
  - skip: 2026-12-10
    reason: work
  - long_run_day: saturday
    week: 2026-12-14
    reason: family
"""


def test_the_page_and_plan_json_mark_moved_skipped_and_long_run_day(tmp_path: Path) -> None:
    """Through build_site: the page marks a moved session (its change under it) and a skipped
    one (struck through, with why); a `long_run_day` change puts that week's long run on the
    day asked and the Saturday's run on the Sunday, both marked "moved" in plan.json and
    plan.md."""
    folder, out = tmp_path / "athletes", tmp_path / "out"
    folder.mkdir()
    source = (examples_dir() / "half-marathon.yaml").read_text("utf-8")
    (folder / "half-marathon.yaml").write_text(source + PAGE, "utf-8")
    stamp = dt.datetime(2026, 11, 22, 12, 0, tzinfo=dt.UTC)
    result = build_site([folder], out, today=TODAY, stamp=stamp, incremental=False)
    assert not any(d.severity.value == "error" for d in result.diagnostics)
    athlete = out / "half-marathon"
    page = (athlete / "index.html").read_text("utf-8")
    assert '<p class="change">Moved (from 2026-12-08): travel, work trip</p>' in page
    assert re.search(
        r"<ul class=\"skipped\">\s*<li><del>Thu 2026-12-10: .*</del> Skipped: work<", page
    )
    plan = json.loads((athlete / "plan.json").read_text("utf-8"))
    week = next(w for w in plan["weeks"] if w["start"] == "2026-12-14")
    (long_run,) = [w for w in week["workouts"] if w["role"] == "long"]
    assert long_run["date"] == "2026-12-19"
    assert [layer["action"] for layer in long_run["layers"]] == ["moved"]
    assert long_run["layers"][0]["was"] == "from 2026-12-20"
    sunday = [w for w in week["workouts"] if w["date"] == "2026-12-20" and w["slot"] == "run"]
    assert all(w["layers"][0]["was"] == "from 2026-12-19" for w in sunday)
    assert "Moved (from 2026-12-20): family" in (athlete / "plan.md").read_text("utf-8")
