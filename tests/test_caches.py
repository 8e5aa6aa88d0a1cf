"""The compiler's caches never change an answer: a text rendered again with other values, and a
workout checked again after it changed (or under another file name), come out as they would
the first time.  Both caches are keyed by content (compiler/sandbox.py's remembered renders,
compiler/sources/resolve_templates.py's resolved workouts); these tests fail if a key leaves
out something the answer depends on."""

from __future__ import annotations

import datetime as dt
import json
import tempfile
from pathlib import Path
from typing import Any
from unittest import mock

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from test_properties import BEFORE_THE_START, profiles

from compiler.api import Project, load_project
from compiler.sandbox import Lookup, RenderError, render
from compiler.sources import gather
from compiler.sources.resolve_templates import resolve_templates

TODAY = dt.date(2026, 11, 22)

# values that are equal in Python (1 == 1.0 == True, 0.0 == -0.0) but render apart
VALUES = [(1, "1"), (1.0, "1.0"), (True, "True"), (0.0, "0.0"), (-0.0, "-0.0"), ("1", "1")]


def test_a_text_rendered_again_tells_equal_values_of_other_types_apart() -> None:
    for _ in range(2):  # the second round comes from memory
        assert [render("{{ n }}", {"n": value}) for value, _ in VALUES] == [s for _, s in VALUES]


def test_a_text_rendered_again_sees_the_values_it_uses_and_only_those() -> None:
    text = "{{ athlete }}: week {{ week }}"
    assert render(text, {"athlete": "Ana", "week": 2, "phase": "base"}) == "Ana: week 2"
    assert render(text, {"athlete": "Bob", "week": 2, "phase": "base"}) == "Bob: week 2"
    assert render(text, {"athlete": "Bob", "week": 3, "phase": "peak"}) == "Bob: week 3"


def test_a_lookup_answers_from_its_own_entries_and_is_never_text() -> None:
    easy = Lookup((("easy", "5:00/km"), ("5k", "4:00/km")), "?")
    slower = Lookup((("easy", "6:00/km"), ("5k", "4:30/km")), "?")
    text = "{{ pace('easy') }} then {{ pace('5k') }}, {{ pace('mile') }}"
    for _ in range(2):
        assert render(text, {"pace": easy}) == "5:00/km then 4:00/km, ?"
        assert render(text, {"pace": slower}) == "6:00/km then 4:30/km, ?"
    with pytest.raises(RenderError, match="is a function"):
        render("{{ pace }}", {"pace": easy})


def test_a_failed_render_is_never_remembered() -> None:
    for _ in range(2):
        with pytest.raises(RenderError, match="undefined"):
            render("{{ week }}", {"athlete": "Ana"})
    assert render("{{ week }}", {"week": 4}) == "4"


WORKOUT = """\
kind: workout
name: coach-strides
category: strides
intensity: easy
title: Strides
params:
  reps: {start: 4, end: REPS}
steps:
  - run: fill @ easy
  - repeat: "{{ reps }}"
    steps:
      - run: 100m @ 5k
      - walk: 60s
"""


def _problems(folder: Path) -> list[str]:
    project = load_project([], template_dirs=[folder], today=TODAY)
    return [f"{d.code} {Path(d.file or '').name}" for d in project.diagnostics]


def test_a_workout_checked_again_after_it_changed_is_checked_as_it_is_now(tmp_path: Path) -> None:
    path = tmp_path / "coach-strides.yaml"
    path.write_text(WORKOUT.replace("REPS", "8"), "utf-8")
    assert _problems(tmp_path) == []
    path.write_text(WORKOUT.replace("REPS", "8000"), "utf-8")  # past the most repetitions
    assert _problems(tmp_path) != []
    path.write_text(WORKOUT.replace("REPS", "8"), "utf-8")
    assert _problems(tmp_path) == []


def test_the_same_workout_under_another_file_name_is_checked_under_that_name(
    tmp_path: Path,
) -> None:
    (tmp_path / "coach-strides.yaml").write_text(WORKOUT.replace("REPS", "8"), "utf-8")
    assert _problems(tmp_path) == []
    (tmp_path / "coach-strides.yaml").rename(tmp_path / "strides-of-mine.yaml")
    assert _problems(tmp_path) == ["name-mismatch strides-of-mine.yaml"]


# An athlete checked again beside the same templates gets the library resolved the first time
# (compiler/sources/gather.py keys it by the templates' paths and texts); a template edited on
# disk is resolved again.  Drawn: the athlete (tests/test_properties.py's profiles()) and the
# repetitions of a coach's own workout; pinned: the athlete whose week started before them.


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(profile=profiles(), reps=st.integers(min_value=2, max_value=12))
@example(profile=BEFORE_THE_START, reps=8)
def test_an_athlete_checked_again_reuses_the_resolved_library_and_sees_an_edit(
    profile: dict[str, Any], reps: int
) -> None:
    with tempfile.TemporaryDirectory() as folder:
        coach, athlete = Path(folder) / "coach", Path(folder) / "generated.yaml"
        coach.mkdir()
        workout = coach / "coach-strides.yaml"
        workout.write_text(WORKOUT.replace("REPS", str(reps)), "utf-8")
        athlete.write_text(json.dumps(profile), "utf-8")  # JSON is YAML

        def check() -> Project:
            return load_project([athlete], template_dirs=[coach], today=TODAY)

        resolving = mock.patch.object(gather, "resolve_templates", wraps=resolve_templates)
        with resolving as resolved:
            first, again = check(), check()
        assert resolved.call_count <= 1  # the second check, at least, reuses the first's
        assert again.library is first.library and again.templates is first.templates
        gather._RESOLVED.clear()  # resolved afresh: the same answer
        fresh = check()
        assert fresh.templates == again.templates and fresh.blueprints == again.blueprints
        assert fresh.diagnostics == again.diagnostics and fresh.ok
        workout.write_text(WORKOUT.replace("REPS", str(reps + 1)), "utf-8")
        edited = check().templates
        assert edited.workouts["coach-strides"] != fresh.templates.workouts["coach-strides"]
        gather._RESOLVED.clear()
        assert check().templates == edited
