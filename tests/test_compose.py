"""Composition with `extends:`: the merge rules, the search path, cycles, provenance, and the
diagnostics of a composed template pointing at the file each value came from."""

from __future__ import annotations

from pathlib import Path

import pytest
from diag_helpers import HALF, TODAY, at, edit, only, project, where, write_files

from compiler.api import Project, compile_plan, load_project
from compiler.diagnostics import Position, choices_hint, did_you_mean
from compiler.sources.compose import merge
from compiler.sources.load import load_text

ATHLETE = edit(HALF, "focus: balanced", "focus: trail")

TRAIL = """\
kind: focus
name: trail
extends: endurance
title: Trail endurance
long_run_share: 32%
phases:
  build:
    quality+: [hill-repeats]
"""


@pytest.fixture
def root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_maps_merge_values_replace_and_lists_append(root: Path) -> None:
    p = project(root, {"a.yaml": ATHLETE}, {"foci/trail.yaml": TRAIL})
    assert p.diagnostics == ()
    endurance, trail = p.templates.foci["endurance"], p.templates.foci["trail"]
    assert trail.title == "Trail endurance"
    assert trail.long_run_share == pytest.approx(0.32)
    assert trail.defaults == endurance.defaults  # inherited whole
    assert trail.phases["base"] == endurance.phases["base"]
    build = trail.phases["build"]
    assert build.quality == (*endurance.phases["build"].quality, ("hill-repeats",))
    assert build.long == endurance.phases["build"].long  # the rest of build is merged, not lost
    (blueprint,) = p.blueprints
    plan = compile_plan(blueprint, TODAY)
    assert plan.focus.name == "trail"


def test_null_removes_an_inherited_key(root: Path) -> None:
    trail = TRAIL + "description: null\n"
    p = project(root, {"a.yaml": ATHLETE}, {"foci/trail.yaml": trail})
    assert p.diagnostics == ()
    assert p.templates.foci["trail"].description == ""


def test_a_list_without_plus_replaces(root: Path) -> None:
    trail = edit(TRAIL, "quality+: [hill-repeats]", "quality: [hill-repeats]")
    p = project(root, {"a.yaml": ATHLETE}, {"foci/trail.yaml": trail})
    assert p.templates.foci["trail"].phases["build"].quality == (("hill-repeats",),)


def test_a_chain_of_three(root: Path) -> None:
    steep = "kind: focus\nname: steep\nextends: trail\nlong_run_share: 28%\n"
    athlete = edit(HALF, "focus: balanced", "focus: steep")
    p = project(root, {"a.yaml": athlete}, {"foci/trail.yaml": TRAIL, "foci/steep.yaml": steep})
    assert p.diagnostics == ()
    steep_focus = p.templates.foci["steep"]
    assert steep_focus.long_run_share == pytest.approx(0.28)
    assert steep_focus.title == "Trail endurance"
    assert ("hill-repeats",) in steep_focus.phases["build"].quality


def test_a_coach_template_extends_the_bundled_one_of_the_same_name(root: Path) -> None:
    own = "kind: focus\nname: endurance\nextends: endurance\nlong_run_share: 27%\n"
    athlete = edit(HALF, "focus: balanced", "focus: endurance")
    p = project(root, {"a.yaml": athlete}, {"foci/endurance.yaml": own})
    assert p.diagnostics == ()
    focus = p.templates.foci["endurance"]
    assert focus.long_run_share == pytest.approx(0.27)
    assert focus.source.file == "coach/foci/endurance.yaml"
    assert focus.phases  # the bundled endurance's phases are there


def test_an_unknown_parent_with_did_you_mean(root: Path) -> None:
    trail = edit(TRAIL, "extends: endurance", "extends: endurence")
    p = project(root, {"a.yaml": ATHLETE}, {"foci/trail.yaml": trail})
    d = only(p.diagnostics, "unknown-reference")
    assert where(d) == ("unknown-reference", "coach/foci/trail.yaml", *at(trail, "extends: ^end"))
    assert d.message == "there is no focus named 'endurence' to extend"
    assert d.hint == "did you mean 'endurance'?"
    assert p.blueprints == ()


def test_a_cycle_names_the_chain(root: Path) -> None:
    a = "kind: focus\nname: a\nextends: b\nlong_run_share: 20%\n"
    b = "kind: focus\nname: b\nextends: a\n"
    p = project(root, {"x.yaml": HALF}, {"foci/a.yaml": a, "foci/b.yaml": b})
    d = only(p.diagnostics, "extends-cycle")
    assert d.message == "the focus extends itself: a -> b -> a"
    assert (d.file, d.line, d.column) == ("coach/foci/a.yaml", 3, 10)


def test_errors_in_inherited_values_point_at_the_file_they_come_from(root: Path) -> None:
    """A bad value the child sets is reported in the child; a required key missing from the
    whole chain is reported at the child, which is the one to fix."""
    trail = edit(TRAIL, "long_run_share: 32%", "long_run_share: lots")
    p = project(root, {"a.yaml": ATHLETE}, {"foci/trail.yaml": trail})
    d = only(p.diagnostics, "bad-value")
    assert where(d) == ("bad-value", "coach/foci/trail.yaml", *at(trail, "long_run_share: ^lots"))
    assert p.blueprints == ()


def test_a_child_of_another_kind_is_not_found(root: Path) -> None:
    workout = "kind: workout\nname: my-run\nextends: endurance\n"
    p = project(root, {"a.yaml": HALF}, {"workouts/my-run.yaml": workout})
    d = only(p.diagnostics, "unknown-reference")
    assert d.message == "there is no workout named 'endurance' to extend"


def test_a_derived_workout_keeps_steps_and_changes_params(root: Path) -> None:
    longer = (
        "kind: workout\nname: long-intervals\nextends: short-intervals\n"
        "params:\n  rep_distance: 800m\n"
    )
    p = project(root, {"a.yaml": HALF}, {"workouts/long-intervals.yaml": longer})
    assert p.diagnostics == ()
    short, derived = p.templates.workouts["short-intervals"], p.templates.workouts["long-intervals"]
    assert derived.steps == short.steps
    params = {param.name: param for param in derived.params}
    assert params["rep_distance"].start == "800m"
    assert {q.name for q in short.params} == set(params)


def test_merge_records_where_each_value_came_from() -> None:
    parent = load_text("kind: focus\nname: p\ntitle: Parent\nlong_run_share: 20%\n", "p.yaml")
    child = load_text("kind: focus\nname: c\nextends: p\ntitle: Child\n", "c.yaml")
    merged = merge(parent, child)
    assert merged.data == {"kind": "focus", "name": "c", "title": "Child", "long_run_share": "20%"}
    assert merged.locate(("long_run_share",)) == ("p.yaml", Position(4, 17))
    assert merged.locate(("title",)) == ("c.yaml", Position(4, 8))
    assert merged.overrides[("title",)] == ("p.yaml", Position(3, 8))
    assert merged.extends == ("p.yaml",)


def _paths_and_coach(root: Path, paths: dict[str, str], coach: dict[str, str]) -> Project:
    """Templates among the PATHS (root/plans) and in a --templates folder (root/coach)."""
    write_files(root / "plans", paths)
    (root / "coach").mkdir()
    write_files(root / "coach", coach)
    return load_project([Path("plans")], template_dirs=[Path("coach")], today=TODAY)


CLUB_HILLS = "kind: workout\nname: club-hills\nextends: hill-repeats\ntitle: Club hills\n"


def test_a_template_among_the_paths_extends_one_in_a_templates_folder(root: Path) -> None:
    """--templates folders come before the PATHS on the search path: a template among the PATHS
    still finds what it extends there, as every other reference would (it was once reported as
    "no workout named 'club-hills'", with the hint "did you mean 'club-hills'?")."""
    mine = "kind: workout\nname: my-hills\nextends: club-hills\ntitle: My hills\n"
    p = _paths_and_coach(
        root, {"workouts/my-hills.yaml": mine}, {"workouts/club-hills.yaml": CLUB_HILLS}
    )
    assert p.diagnostics == ()
    derived = p.templates.workouts["my-hills"]
    assert derived.title == "My hills"
    assert derived.steps == p.templates.workouts["hill-repeats"].steps
    assert derived.source.file == "plans/workouts/my-hills.yaml"


def test_extending_its_own_name_among_the_paths_skips_itself(root: Path) -> None:
    """A PATHS hill-repeats extending hill-repeats builds on the next one down the path (the
    bundled one), never on itself: no cycle, no 'no other workout' error."""
    own = "kind: workout\nname: hill-repeats\nextends: hill-repeats\ntitle: Our hills\n"
    p = _paths_and_coach(root, {"workouts/hill-repeats.yaml": own}, {})
    assert p.diagnostics == ()
    hills = p.templates.workouts["hill-repeats"]
    assert hills.title == "Our hills"
    assert hills.steps  # the bundled steps are inherited


def test_did_you_mean_never_suggests_the_name_not_found(root: Path) -> None:
    """The hint is built from names that exist; the one that was not found is never among them,
    even when a template of that name exists only as the template itself."""
    own = "kind: workout\nname: hills\nextends: hills\ntitle: Hills\n"
    p = _paths_and_coach(root, {"workouts/hills.yaml": own}, {})
    d = only(p.diagnostics, "unknown-reference")
    assert d.message == "there is no other workout named 'hills' to extend"
    assert d.hint is not None and "hill-repeats" in d.hint
    assert "'hills'" not in d.hint and " hills," not in d.hint


def test_choices_hint_leaves_out_the_word_itself() -> None:
    assert did_you_mean("hills", ["hills", "hill-repeats"]) is None
    assert choices_hint("hills", ["hills"]) == "valid names: none"
    assert did_you_mean("hils", ["hills"]) == "did you mean 'hills'?"
