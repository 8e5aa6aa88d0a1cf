"""A coach's review of single workouts (issue 11 of planc: plans a coach signs), as rules over
generated athletes and over the bundled examples' outputs read back:

- the cool-down is the last step of every session (the easy running that rounds a session off
  to its size goes into it, not after it);
- steps run by effort (`by: effort`, hill repeats) have no pace target on the watch, in
  intervals.icu or on the page, which say the effort instead;
- a steady finish sits between easy and the goal race's pace, never faster than the race."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import re
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from test_properties import SETTINGS, TODAY, compile_profile, profiles

from compiler.api import compile_plan, load_project
from compiler.emit import emit_json
from compiler.emit.intervals_icu import emit_intervals
from compiler.emit.markdown import emit_markdown
from compiler.model import ZONES, Plan, Step
from compiler.plan.paces import race_time, vdot
from compiler.resources import examples_dir
from compiler.units import parse_clock

garmin_fit_sdk = pytest.importorskip("garmin_fit_sdk")

from compiler.emit.fit import encode_workout  # noqa: E402

PROGRAM_M = {"5k": 5000.0, "10k": 10000.0, "half-marathon": 21097.5, "marathon": 42195.0}


def walk(steps: tuple[Step, ...]) -> Iterator[Step]:
    for step in steps:
        yield step
        yield from walk(step.steps)


@cache
def examples() -> dict[str, Plan]:
    project = load_project([examples_dir()], today=TODAY)
    assert project.ok, [d.format() for d in project.diagnostics]
    return {bp.athlete.id: compile_plan(bp, TODAY) for bp in project.blueprints}


# --------------------------------------------------------------------------- the cool-down


def check_cooldown_last(plan: Plan) -> int:
    """Every session with a cool-down ends with it; the number of such sessions."""
    seen = 0
    for workout in plan.workouts:
        kinds = [s.kind for s in workout.steps]
        if "cooldown" in kinds:
            assert kinds[-1] == "cooldown", (workout.date, workout.title, kinds)
            seen += 1
    return seen


@pytest.mark.parametrize("name", ["half-marathon", "injury-prone-marathon", "speed-5k"])
def test_the_examples_sessions_end_with_the_cooldown(name: str) -> None:
    plan = examples()[name]
    assert check_cooldown_last(plan) > 0
    # the round-off is in the cool-down: longer than the template's 10 min, by distance, and
    # the whole session still adds up to its distance
    rounded = [
        w
        for w in plan.workouts
        if w.steps and w.steps[-1].kind == "cooldown" and w.steps[-1].measure == "distance"
    ]
    if name == "speed-5k":  # the others' quality sessions have no room for a round-off
        assert rounded, "no session's cool-down took its round-off"
    for workout in rounded:
        assert workout.steps[-1].duration_s > 600
        assert abs(sum(s.distance_m for s in workout.steps) - workout.distance_m) <= 1
    # and plan.md says so: no step after the cool-down in any session's list
    text = emit_markdown(plan).decode()
    for block in re.split(r"\n- \*\*", text):
        lines = [ln for ln in block.split("\n") if ln.startswith("  - ") and "_" not in ln[4:5]]
        lines = [ln for ln in lines if "[Workout for your watch" not in ln]
        cooldowns = [i for i, ln in enumerate(lines) if ln.startswith("  - cool-down")]
        if cooldowns:
            assert cooldowns[-1] == len(lines) - 1, block[:200]


@SETTINGS
@given(profiles())
def test_every_session_ends_with_its_cooldown(profile: dict[str, Any]) -> None:
    check_cooldown_last(compile_profile(profile).plan)


@SETTINGS
@given(profiles())
def test_a_shrunk_progression_run_stays_a_progression(profile: dict[str, Any]) -> None:
    """Issue 11 (review round 5): a progression run made smaller lost its steady part first
    (3 min steady, then 6 min at threshold) and kept its name.  Its blocks shrink in turn,
    the longest first, so the steady part is never much shorter than the threshold finish."""
    for workout in compile_profile(profile).plan.workouts:
        if workout.template != "progression-run":
            continue
        steady = sum(s.duration_s for s in walk(workout.steps) if s.zone == "steady")
        fast = sum(s.duration_s for s in walk(workout.steps) if s.zone == "threshold")
        assert steady >= 0.75 * fast, (workout.date, workout.title, steady, fast)
        # and it starts easy, with a warm-up however small the week
        first = workout.steps[0]
        assert first.zone == "easy" and first.duration_s >= 5 * 60, (workout.date, first)


# --------------------------------------------------------------------------- by effort


def hill_sessions(plan: Plan) -> list[Any]:
    return [w for w in plan.workouts if any(s.effort for s in walk(w.steps))]


def test_hill_repeats_are_run_by_effort_everywhere() -> None:
    """speed-5k's hill repeats (the bundled `hill-repeats`, whose uphill step says `by: effort`)
    read back with no pace target for the uphill: the FIT file's step is open with the effort
    in its notes, intervals.icu's line has no pace, plan.md and plan.json say so."""
    plan = examples()["speed-5k"]
    hills = hill_sessions(plan)
    # the base's light fartlek (a raced runner's, round 16) runs its surges by effort too
    assert hills and all(
        w.category == "hills" or w.template in ("light-fartlek", "light-hills") for w in hills
    )
    assert any(w.category == "hills" for w in hills)
    unit = plan.athlete.units
    events = {e["external_id"]: e for e in json.loads(emit_intervals(plan))}
    data = json.loads(emit_json(plan))
    planned = {w["uid"]: w for week in data["weeks"] for w in week["workouts"]}
    text = emit_markdown(plan).decode()
    for workout in hills:
        data_bytes = encode_workout(workout, unit, dt.datetime(2026, 1, 1, tzinfo=dt.UTC))
        stream = garmin_fit_sdk.Stream.from_byte_array(bytearray(data_bytes))
        messages, errors = garmin_fit_sdk.Decoder(stream).read()
        assert errors == []
        steps = messages["workout_step_mesgs"]
        uphill = [s for s in steps if "effort" in (s.get("notes") or "")]
        assert uphill, steps
        for step in uphill:
            assert step["target_type"] == "open", step
            assert step.get("custom_target_speed_low") in (None, 0), step
            assert step["notes"].startswith("By feel: 5K effort."), step
        # the warm-up and cool-down keep their easy pace
        assert steps[0]["target_type"] == "speed" and steps[-1]["target_type"] == "speed"
        lines = events[workout.uid]["description"].split("\n")
        effort = [ln for ln in lines if "by effort" in ln]
        assert effort and all("Pace" not in ln for ln in effort), lines
        assert "Pace" in lines[0]  # the warm-up still has its pace
        json_steps = [s for s in _leaves(planned[workout.uid]["steps"]) if s.get("effort")]
        assert json_steps and all(s["zone"] == "5k" for s in json_steps)
        assert f"| {workout.title} |" in text
        row = next(ln for ln in text.split("\n") if ln.startswith("| ") and workout.title in ln)
        assert row.rstrip(" |").endswith("5K effort"), row  # the pace column says the effort
        assert re.search(r"\d+ x \(1 min @ 5K effort, jog", text)


def _leaves(steps: list[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    for step in steps:
        yield step
        yield from _leaves(step["steps"])


def test_by_effort_is_the_templates_word_not_the_category() -> None:
    """Which steps are run by effort is a step's `by:` in YAML: the bundled hill repeats' uphill
    step says it, the base's light fartlek's surges (uphill on a hilly loop) too, a coach's trail
    climbs too, and nothing else in the library does."""
    project = load_project([examples_dir()], today=TODAY)
    workouts = project.templates.workouts

    def effort_steps(name: str) -> list[str]:
        found: list[str] = []

        def visit(steps: Any) -> None:
            for s in steps:
                if s.effort:
                    found.append(s.target or "")
                visit(s.steps)

        visit(workouts[name].steps)
        return found

    assert effort_steps("hill-repeats") == ["{{ hill }} @ 5k"]
    assert effort_steps("trail-climbs") == ["{{ climb }} @ threshold"]
    assert effort_steps("light-fartlek") == ["{{ surge }} @ 5k"]
    assert effort_steps("light-hills") == ["{{ hill }} @ 5k"]
    assert [n for n in workouts if effort_steps(n)] == sorted(
        ["hill-repeats", "light-fartlek", "light-hills", "trail-climbs"]
    )


def test_by_takes_only_pace_or_effort(tmp_path: Path) -> None:
    workout = (
        "kind: workout\nname: hill-feel\ncategory: hills\nintensity: hard\ntitle: Hills\n"
        "description: Hills.\nsteps:\n  - run: 60s @ 5k\n    by: {by}\n"
    )
    (tmp_path / "hill-feel.yaml").write_text(workout.replace("{by}", "effort"), "utf-8")
    assert load_project([tmp_path], today=TODAY).ok
    (tmp_path / "hill-feel.yaml").write_text(workout.replace("{by}", "feel"), "utf-8")
    project = load_project([tmp_path], today=TODAY)
    assert not project.ok
    assert any("feel" in d.message and "'by'" in d.message for d in project.diagnostics)


# --------------------------------------------------------------------------- steady


@st.composite
def with_goals(draw: st.DrawFn) -> dict[str, Any]:
    """A generated athlete with a goal from a little beyond their fitness to well within it
    (a cautious marathoner's goal, slower than what their 10K predicts)."""
    profile = draw(profiles())
    race = profile["fitness"]["recent_race"]
    score = vdot(float(race["distance"].removesuffix("km")) * 1000, parse_clock(race["time"]))
    goal = race_time(score, PROGRAM_M[profile["race"]["program"]]) * draw(st.floats(0.98, 1.12))
    seconds = round(goal)
    profile["race"]["goal"] = f"{seconds // 3600}:{seconds % 3600 // 60:02d}:{seconds % 60:02d}"
    return profile


@SETTINGS
@given(with_goals())
def test_steady_sits_between_easy_and_the_goal_race(profile: dict[str, Any]) -> None:
    plan = compile_profile(profile).plan
    zones = plan.paces.zones
    steady, race, easy = zones["steady"], zones["race"], zones["easy"]
    # seconds per km: no faster than the race, no slower than easy running (a goal may be as
    # slow as easy's slow end, with a warning; steady is then that goal's pace)
    assert race.slow - 1e-6 <= steady.fast <= steady.slow <= max(easy.slow, race.slow) + 1e-6
    assert steady.fast <= easy.fast or steady.fast == race.fast
    for workout in plan.workouts:
        for step in walk(workout.steps):
            if step.zone == "steady" and step.pace is not None:
                assert step.pace.fast >= race.fast - 1e-6, (workout.title, step)


def test_a_cautious_marathoners_steady_finish_is_not_faster_than_the_goal() -> None:
    """The injury-prone marathoner with a goal slower than her fitness predicts: the steady
    finishes of her long runs are at her goal pace, not the faster marathon pace."""
    project = load_project([examples_dir()], today=TODAY)
    (bp,) = [b for b in project.blueprints if b.athlete.id == "injury-prone-marathon"]
    assert bp.athlete.race is not None
    slower = dataclasses.replace(bp.athlete.race, goal_s=4 * 3600 + 15 * 60)
    athlete = dataclasses.replace(bp.athlete, race=slower)
    plan = compile_plan(dataclasses.replace(bp, athlete=athlete), TODAY)
    goal_pace = (4 * 3600 + 15 * 60) / 42.195
    assert plan.paces.zones["marathon"].fast < goal_pace - 10  # her fitness says faster
    finishes = [
        s
        for w in plan.workouts
        if w.template == "long-run-steady-finish"
        for s in walk(w.steps)
        if s.zone not in (None, "easy", "recovery")
    ]
    assert finishes
    assert all(abs(s.pace.fast - goal_pace) < 1 for s in finishes if s.pace)


@SETTINGS
@given(profiles())
def test_a_quality_session_adds_little_easy_running_to_its_cool_down(
    profile: dict[str, Any],
) -> None:
    """Issue 11 (review round 7): a quality session rounds the week off with at most the
    program's `quality_fill_max` (15 min) of easy running beyond its written cool-down (10 min
    in every bundled session): a cool-down run on to 40 min is no cool-down a coach writes;
    the rest of the week's volume goes to the easy runs."""
    case = compile_profile(profile)
    most = 10 * 60 + case.blueprint.program.rules.quality_fill_max_s
    for workout in case.plan.workouts:
        if workout.role != "quality":
            continue
        for step in workout.steps:
            if step.kind == "cooldown":
                assert step.duration_s <= most + 30, (workout.date, workout.title)


def at_zones(steps: tuple[Step, ...], zones: frozenset[str]) -> tuple[float, float]:
    """Seconds and metres of running in ``zones``, repeats written out."""
    seconds = metres = 0.0
    for step in steps:
        if step.kind == "repeat":
            inner = at_zones(step.steps, zones)
            seconds, metres = seconds + step.repeat * inner[0], metres + step.repeat * inner[1]
        elif step.kind == "run" and step.zone in zones:
            seconds, metres = seconds + step.duration_s, metres + step.distance_m
    return seconds, metres


def seconds_at(steps: tuple[Step, ...], zones: frozenset[str]) -> float:
    return at_zones(steps, zones)[0]


@SETTINGS
@given(profiles())
def test_a_threshold_session_is_no_token(profile: dict[str, Any]) -> None:
    """Issue 11 (review round 8): a quality session run mostly at threshold holds at least the
    program's `min_threshold_work` (12 min bundled): 2 x 4 min cruise intervals two days before
    a 35 km run with 65 min at race pace are a token; the week gets an easy run instead."""
    case = compile_profile(profile)
    limits = case.blueprint.program.rules.quality
    least = limits.min_threshold_work_s
    fast = frozenset({"interval", "repetition", "5k", "3k", "mile", "1500m"})
    at_threshold = frozenset({"threshold", "10k"})
    for week in case.plan.weeks:
        for workout in week.workouts:
            if workout.role != "quality" or workout.intensity != "hard":
                continue
            threshold = seconds_at(workout.steps, at_threshold)
            # its work: all its running faster than easy (a progression's steady part counts)
            work = seconds_at(workout.steps, frozenset(ZONES) - {"easy", "recovery"})
            if threshold <= seconds_at(workout.steps, fast) or not work:
                continue
            # a week whose threshold share cannot hold the least keeps a smaller session: 8 min
            # at threshold is a session for a 13 km week's runner
            per_s = at_zones(workout.steps, at_threshold)[1] / threshold
            if limits.threshold * week.planned_m >= per_s * least * 1.05:
                assert work >= least - 1, (workout.date, workout.title)
