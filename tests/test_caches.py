"""The compiler's caches never change an answer: a text rendered again with other values, and a
workout checked again after it changed (or under another file name), come out as they would
the first time.  Both caches are keyed by content (compiler/sandbox.py's remembered renders,
compiler/sources/resolve_templates.py's resolved workouts); these tests fail if a key leaves
out something the answer depends on."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from compiler.api import load_project
from compiler.sandbox import Lookup, RenderError, render

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
