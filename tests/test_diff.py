"""`planc diff`: two builds compared through their plan.json files (compiler/diff.py)."""

from __future__ import annotations

import copy
import datetime as dt
import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from compiler.api import build_site
from compiler.diagnostics import UsageError
from compiler.diff import diff_folders, diff_plans, exit_code, render_json, render_text
from compiler.resources import examples_dir, templates_dir

GOLDEN = Path(__file__).parent / "golden"
TODAY = dt.date(2026, 11, 22)
STAMP = dt.datetime(2026, 11, 22, 12, 0, tzinfo=dt.UTC)


def golden(athlete_id: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((GOLDEN / f"{athlete_id}.json").read_text("utf-8"))
    return data


def write_site(root: Path, plans: dict[str, dict[str, Any]]) -> Path:
    for athlete_id, plan in plans.items():
        (root / athlete_id).mkdir(parents=True, exist_ok=True)
        (root / athlete_id / "plan.json").write_text(json.dumps(plan), "utf-8")
    return root


def workout(plan: dict[str, Any], uid: str) -> dict[str, Any]:
    for week in plan["weeks"]:
        for item in week["workouts"]:
            if item["uid"] == uid:
                found: dict[str, Any] = item
                return found
    raise KeyError(uid)


def edited_half() -> dict[str, Any]:
    """The half-marathon golden plan with one of every kind of change."""
    plan = copy.deepcopy(golden("half-marathon"))
    week = plan["weeks"][3]  # starts 2026-12-21
    week["target_m"] += 2000
    easy = workout(plan, "half-marathon-20261226-run")
    easy["distance_m"] = 5400
    easy["duration_s"] = 2147
    easy["title"] = "Easy run · 5.4 km"
    # remove one workout, and move another one a day later (a remove and an add)
    week["workouts"] = [w for w in week["workouts"] if w["uid"] != "half-marathon-20261222-run"]
    moved = workout(plan, "half-marathon-20261224-run")
    moved["uid"], moved["date"] = "half-marathon-20261223-run", "2026-12-23"
    # add one
    week["workouts"].append(
        dict(easy, uid="half-marathon-20261225-run", date="2026-12-25", title="Shakeout")
    )
    return plan


def test_identical_plans_and_folders_have_no_differences(tmp_path: Path) -> None:
    plan = golden("half-marathon")
    same = diff_plans(plan, copy.deepcopy(plan))
    assert same.status == "unchanged"
    assert (same.weeks, same.workouts_added, same.workouts_changed) == ((), (), ())
    plans = {name: golden(name) for name in ("half-marathon", "speed-5k")}
    site = diff_folders(write_site(tmp_path / "a", plans), write_site(tmp_path / "b", plans))
    assert exit_code(site) == 0
    assert render_text(site) == "no differences (2 athletes compared)\n"
    data = json.loads(render_json(site))
    assert data["changed"] is False
    assert [a["status"] for a in data["athletes"]] == ["unchanged", "unchanged"]


def test_workouts_added_removed_moved_changed_and_week_targets() -> None:
    result = diff_plans(golden("half-marathon"), edited_half())
    assert result.status == "changed"
    assert [(w.start, w.index, w.status) for w in result.weeks] == [("2026-12-21", 4, "changed")]
    assert [(f.name, f.old, f.new) for f in result.weeks[0].fields] == [("target_m", 27225, 29225)]
    assert [c.uid for c in result.workouts_added] == [
        "half-marathon-20261223-run",
        "half-marathon-20261225-run",
    ]
    assert [c.uid for c in result.workouts_removed] == [
        "half-marathon-20261222-run",
        "half-marathon-20261224-run",
    ]
    (changed,) = result.workouts_changed
    assert changed.uid == "half-marathon-20261226-run"
    assert [(f.name, f.old, f.new) for f in changed.fields] == [
        ("title", "Easy run · 4.4 km", "Easy run · 5.4 km"),
        ("distance_m", 4400, 5400),
        ("duration_s", 1747, 2147),
    ]


def test_text_output(tmp_path: Path) -> None:
    old = write_site(tmp_path / "old", {"half-marathon": golden("half-marathon")})
    new = write_site(tmp_path / "new", {"half-marathon": edited_half()})
    site = diff_folders(old, new)
    assert exit_code(site) == 1
    moved_title = workout(golden("half-marathon"), "half-marathon-20261224-run")["title"]
    removed_title = workout(golden("half-marathon"), "half-marathon-20261222-run")["title"]
    assert render_text(site) == (
        "half-marathon: 1 workout changed, 2 added, 2 removed\n"
        "  week 4 (2026-12-21): target 27.2 km -> 29.2 km\n"
        "  2026-12-21 Easy run · 5.4 km: title Easy run · 4.4 km -> Easy run · 5.4 km; "
        "distance 4.4 km -> 5.4 km; duration 0:29 -> 0:36\n"
        f"  - 2026-12-22 {removed_title}\n"
        f"  + 2026-12-23 {moved_title}\n"
        f"  - 2026-12-24 {moved_title}\n"
        "  + 2026-12-25 Shakeout\n"
        "athletes: 1 changed, 0 added, 0 removed, 0 unchanged\n"
    )


def test_json_output_is_stable_and_complete(tmp_path: Path) -> None:
    old = write_site(tmp_path / "old", {"half-marathon": golden("half-marathon")})
    new = write_site(tmp_path / "new", {"half-marathon": edited_half()})
    text = render_json(diff_folders(old, new))
    assert text == render_json(diff_folders(old, new))
    data = json.loads(text)
    assert list(data) == ["format", "old", "new", "changed", "summary", "problems", "athletes"]
    assert data["format"] == "planc-diff/1"
    assert data["summary"] == {
        "athletes": {"changed": 1, "added": 0, "removed": 0, "unchanged": 0},
        "workouts": {"changed": 1, "added": 2, "removed": 2},
        "problems": 0,
    }
    (athlete,) = data["athletes"]
    assert list(athlete) == ["id", "status", "units", "plan", "weeks", "workouts"]
    assert athlete["weeks"] == [
        {
            "start": "2026-12-21",
            "index": 4,
            "status": "changed",
            "changes": [{"field": "target_m", "old": 27225, "new": 29225}],
        }
    ]
    changed = athlete["workouts"]["changed"][0]
    assert changed["uid"] == "half-marathon-20261226-run"
    assert changed["changes"][1] == {"field": "distance_m", "old": 4400, "new": 5400}
    assert [w["date"] for w in athlete["workouts"]["added"]] == ["2026-12-23", "2026-12-25"]


def test_athletes_added_and_removed(tmp_path: Path) -> None:
    old = write_site(
        tmp_path / "old", {"half-marathon": golden("half-marathon"), "speed-5k": golden("speed-5k")}
    )
    new = write_site(
        tmp_path / "new",
        {"half-marathon": golden("half-marathon"), "riley-trail": golden("riley-trail")},
    )
    site = diff_folders(old, new)
    assert [(a.athlete_id, a.status) for a in site.athletes] == [
        ("half-marathon", "unchanged"),
        ("riley-trail", "added"),
        ("speed-5k", "removed"),
    ]
    assert exit_code(site) == 1
    text = render_text(site)
    assert "riley-trail: athlete added (89 workouts)\n" in text
    assert "speed-5k: athlete removed (91 workouts)\n" in text
    assert "half-marathon" not in text
    assert text.endswith("athletes: 0 changed, 1 added, 1 removed, 1 unchanged\n")


def test_distances_in_the_athletes_units() -> None:
    old = golden("riley-trail")  # units: mi
    new = copy.deepcopy(old)
    first = new["weeks"][0]["workouts"][0]
    first["distance_m"] += 1609
    site_text = render_text(
        diff_folders_of({"riley-trail": old}, {"riley-trail": new}), units_from_plan=True
    )
    assert " mi -> " in site_text and " km" not in site_text
    km_text = render_text(
        diff_folders_of({"riley-trail": old}, {"riley-trail": new}), units_from_plan=False
    )
    assert " km -> " in km_text


def diff_folders_of(old: dict[str, dict[str, Any]], new: dict[str, dict[str, Any]]) -> Any:
    from compiler.diff import SiteDiff

    ids = sorted(old.keys() | new.keys())
    return SiteDiff("old", "new", tuple(diff_plans(old.get(i), new.get(i)) for i in ids))


def test_steps_and_start_time_changes() -> None:
    old = golden("half-marathon")
    new = copy.deepcopy(old)
    strides = workout(new, "half-marathon-20261222-run")
    strides["steps"][1]["repeat"] = 8
    strides["start_time"] = "06:30"
    (changed,) = diff_plans(old, new).workouts_changed
    names = [f.name for f in changed.fields]
    assert names == ["start_time", "steps"]
    steps = changed.fields[1]
    assert "6 x (" in steps.old and "8 x (" in steps.new
    assert "start - -> 06:30" in render_text(diff_folders_of({"h": old}, {"h": new}))


def test_corrupt_and_missing_plans_are_reported(tmp_path: Path) -> None:
    plans = {"half-marathon": golden("half-marathon"), "speed-5k": golden("speed-5k")}
    old = write_site(tmp_path / "old", plans)
    new = write_site(tmp_path / "new", plans)
    (new / "speed-5k" / "plan.json").write_text('{"weeks": [', "utf-8")
    (old / "riley-trail").mkdir()
    (old / "riley-trail" / "plan.ics").write_text("BEGIN:VCALENDAR", "utf-8")
    site = diff_folders(old, new)
    assert [(p.athlete_id, p.side) for p in site.problems] == [
        ("riley-trail", "old"),
        ("speed-5k", "new"),
    ]
    assert [a.athlete_id for a in site.athletes] == ["half-marathon"]
    assert exit_code(site) == 2
    text = render_text(site)
    assert f"{new / 'speed-5k' / 'plan.json'}: error: not valid JSON: " in text
    assert f"{old / 'riley-trail' / 'plan.json'}: error: missing: " in text
    assert text.endswith("2 plans could not be compared\n")
    assert json.loads(render_json(site))["problems"][1]["side"] == "new"


def test_not_a_plan(tmp_path: Path) -> None:
    old = write_site(tmp_path / "old", {"x": {"weeks": [{"workouts": [{"no": "uid"}]}]}})
    new = write_site(tmp_path / "new", {"x": golden("speed-5k")})
    (problem,) = diff_folders(old, new).problems
    assert problem.message == "not a plan: a workout without a 'uid'"


def test_missing_folder_is_a_usage_error(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="not a folder"):
        diff_folders(tmp_path / "nope", tmp_path)


def test_a_template_change_names_the_athletes_and_workouts_it_affects(tmp_path: Path) -> None:
    """End to end: the bundled examples built twice, the second time with an edited easy-run."""
    old, new = tmp_path / "old", tmp_path / "new"
    build_site([examples_dir()], old, today=TODAY, stamp=STAMP)
    overrides = tmp_path / "templates"
    overrides.mkdir()
    easy = (templates_dir() / "workouts" / "easy-run.yaml").read_text("utf-8")
    assert 'title: "Easy run · {{ distance }}"' in easy
    edited = easy.replace('title: "Easy run · {{ distance }}"', 'title: "Aerobic · {{ distance }}"')
    (overrides / "easy-run.yaml").write_text(edited, "utf-8")
    result = build_site([examples_dir()], new, template_dirs=[overrides], today=TODAY, stamp=STAMP)
    assert result.failed == ()
    site = diff_folders(old, new)
    assert exit_code(site) == 1
    changed = {a.athlete_id: a for a in site.athletes if a.status == "changed"}
    assert changed  # every athlete with a plain easy run is affected
    for athlete in changed.values():
        assert athlete.workouts_added == athlete.workouts_removed == ()
        for change in athlete.workouts_changed:
            assert [f.name for f in change.fields] == ["title"]
            assert change.fields[0].old.startswith("Easy run · ")
            assert change.title.startswith("Aerobic · ")
    text = render_text(site)
    for athlete_id in changed:
        assert f"\n{athlete_id}: " in "\n" + text
    assert ": title Easy run · " in text and " -> Aerobic · " in text
    # and the same build again is no difference
    again = tmp_path / "again"
    shutil.copytree(new, again)
    assert exit_code(diff_folders(new, again)) == 0


def test_single_plan_ids_default_to_the_plan() -> None:
    assert diff_plans(None, golden("speed-5k")).athlete_id == "speed-5k"
    assert diff_plans(golden("speed-5k"), None).status == "removed"
    assert diff_plans(None, None).status == "unchanged"
