"""`planc diff`: two builds compared through their plan.json files (compiler/commands/diff.py).

The plans compared are the bundled examples as planc compiles them now, and the edits the tests
make pick their workouts from those plans (an easy run, a run that can move a day, a free day):
no uid or date is written here, so the tests follow the engine as it changes and still fail
when diff does."""

from __future__ import annotations

import copy
import datetime as dt
import importlib.util
import json
import shutil
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from compiler.api import build_site, compile_plan, load_project
from compiler.commands.diff import diff_folders, exit_code
from compiler.commands.diff_compare import diff_plans
from compiler.commands.diff_render import render_json, render_text
from compiler.diagnostics import UsageError
from compiler.emit import emit_json
from compiler.resources import examples_dir, templates_dir
from compiler.units import format_distance, format_duration

TODAY = dt.date(2026, 11, 22)
STAMP = dt.datetime(2026, 11, 22, 12, 0, tzinfo=dt.UTC)


@cache
def _compiled() -> dict[str, str]:
    project = load_project([examples_dir()], today=TODAY)
    assert project.ok, [d.format() for d in project.diagnostics]
    return {bp.athlete.id: emit_json(compile_plan(bp, TODAY)).decode() for bp in project.blueprints}


def current(athlete_id: str) -> dict[str, Any]:
    """The plan.json of a bundled example as planc compiles it now (a fresh copy each call).
    The fixtures below pick what they edit from it, so they follow the engine as it changes."""
    data: dict[str, Any] = json.loads(_compiled()[athlete_id])
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


def workout_count(plan: dict[str, Any]) -> int:
    return sum(len(week["workouts"]) for week in plan["weeks"])


def run_uid(plan: dict[str, Any], day: dt.date) -> str:
    """The uid planc gives a run on ``day`` (``<athlete>-<YYYYMMDD>-run``)."""
    return f"{plan['athlete']['id']}-{day:%Y%m%d}-run"


@dataclass(frozen=True)
class Edit:
    """What ``edited_half`` changed in the compiled half-marathon plan: every uid and date is
    picked from that plan, none is written here."""

    week_start: str
    week_index: int
    target: tuple[int, int]  # the week's target_m, old and new
    changed: dict[str, Any]  # the easy run edited in place (old values)
    new_title: str
    removed: dict[str, Any]  # a run left out
    moved: dict[str, Any]  # a run moved a day later (old values)
    moved_to: str  # its new date
    added: dict[str, Any]  # a run added on a free day


def _pick(
    plan: dict[str, Any],
) -> tuple[int, dict[str, Any], dict[str, Any], dict[str, Any], dt.date, dt.date]:
    """A week of ``plan`` with an easy run, two other runs (one of which can move to the next
    day, inside the week, with no run there) and another day free of runs: (week number, the
    easy run, the run to remove, the run to move, the day it moves to, the day to add a run on).
    The first such week whose free day comes before the moved run's new day, so the added
    workouts come out of diff by date and not in the plan's order; else the first such week."""
    found = []
    for number, week in enumerate(plan["weeks"]):
        start = dt.date.fromisoformat(week["start"])
        days = [start + dt.timedelta(days=i) for i in range(7)]
        runs = [w for w in week["workouts"] if w["slot"] == "run"]
        run_days = {dt.date.fromisoformat(w["date"]) for w in runs}
        easy = next((w for w in runs if w["template"] == "easy-run"), None)
        if easy is None:
            continue
        others = [w for w in runs if w is not easy]
        for moved in others:
            to = dt.date.fromisoformat(moved["date"]) + dt.timedelta(days=1)
            removed = next((w for w in others if w is not moved), None)
            if removed is None or to not in days or to in run_days:
                continue
            for free in (d for d in days if d not in run_days and d != to):
                found.append((number, easy, removed, moved, to, free))
    assert found, "no week of the compiled plan has room for every kind of change"
    return next((f for f in found if f[5] < f[4]), found[0])


def edited_half() -> tuple[dict[str, Any], Edit]:
    """The compiled half-marathon plan with one of every kind of change (a week's target, a
    workout edited, one removed, one moved a day later, one added), and what was changed."""
    plan = current("half-marathon")
    number, easy, removed, moved, to, free = _pick(plan)
    week = plan["weeks"][number]
    edit = Edit(
        week_start=week["start"],
        week_index=week["index"],
        target=(week["target_m"], week["target_m"] + 2000),
        changed=copy.deepcopy(easy),
        new_title="Easy run · edited",
        removed=copy.deepcopy(removed),
        moved=copy.deepcopy(moved),
        moved_to=to.isoformat(),
        added=dict(
            copy.deepcopy(easy), uid=run_uid(plan, free), date=free.isoformat(), title="Shakeout"
        ),
    )
    week["target_m"] += 2000
    easy["distance_m"] += 1000
    easy["duration_s"] += 400
    easy["title"] = edit.new_title
    week["workouts"] = [w for w in week["workouts"] if w["uid"] != removed["uid"]]
    moved["uid"], moved["date"] = run_uid(plan, to), edit.moved_to
    week["workouts"].append(edit.added)
    return plan, edit


def _by_date(*workouts: dict[str, Any]) -> list[dict[str, Any]]:
    return sorted(workouts, key=lambda w: (w["date"], w["uid"]))


def test_identical_plans_and_folders_have_no_differences(tmp_path: Path) -> None:
    plan = current("half-marathon")
    same = diff_plans(plan, copy.deepcopy(plan))
    assert same.status == "unchanged"
    assert (same.weeks, same.workouts_added, same.workouts_changed) == ((), (), ())
    plans = {name: current(name) for name in ("half-marathon", "speed-5k")}
    site = diff_folders(write_site(tmp_path / "a", plans), write_site(tmp_path / "b", plans))
    assert exit_code(site) == 0
    assert render_text(site) == "no differences (2 athletes compared)\n"
    data = json.loads(render_json(site))
    assert data["changed"] is False
    assert [a["status"] for a in data["athletes"]] == ["unchanged", "unchanged"]


def test_workouts_added_removed_moved_changed_and_week_targets() -> None:
    new, edit = edited_half()
    result = diff_plans(current("half-marathon"), new)
    assert result.status == "changed"
    assert [(w.start, w.index, w.status) for w in result.weeks] == [
        (edit.week_start, edit.week_index, "changed")
    ]
    assert [(f.name, f.old, f.new) for f in result.weeks[0].fields] == [("target_m", *edit.target)]
    moved = dict(edit.moved, uid=run_uid(new, dt.date.fromisoformat(edit.moved_to)))
    moved["date"] = edit.moved_to
    assert workout(new, moved["uid"])["title"] == edit.moved["title"]
    assert [(c.uid, c.date, c.title) for c in result.workouts_added] == [
        (w["uid"], w["date"], w["title"]) for w in _by_date(moved, edit.added)
    ]
    assert [(c.uid, c.date, c.title) for c in result.workouts_removed] == [
        (w["uid"], w["date"], w["title"]) for w in _by_date(edit.removed, edit.moved)
    ]
    (changed,) = result.workouts_changed
    old = edit.changed
    assert (changed.uid, changed.date, changed.title) == (old["uid"], old["date"], edit.new_title)
    assert [(f.name, f.old, f.new) for f in changed.fields] == [
        ("title", old["title"], edit.new_title),
        ("distance_m", old["distance_m"], old["distance_m"] + 1000),
        ("duration_s", old["duration_s"], old["duration_s"] + 400),
    ]


def test_text_output(tmp_path: Path) -> None:
    new_plan, edit = edited_half()
    old = write_site(tmp_path / "old", {"half-marathon": current("half-marathon")})
    new = write_site(tmp_path / "new", {"half-marathon": new_plan})
    site = diff_folders(old, new)
    assert exit_code(site) == 1
    easy = edit.changed

    def km(metres: float) -> str:
        return format_distance(metres, "km")

    # by date; on one date a removed workout, then a changed one, then an added one
    rows = sorted(
        [
            (
                easy["date"],
                1,
                f"  {easy['date']} {edit.new_title}: title {easy['title']} -> {edit.new_title}; "
                f"distance {km(easy['distance_m'])} -> {km(easy['distance_m'] + 1000)}; "
                f"duration {format_duration(easy['duration_s'])} -> "
                f"{format_duration(easy['duration_s'] + 400)}",
            ),
            (edit.removed["date"], 0, f"  - {edit.removed['date']} {edit.removed['title']}"),
            (edit.moved_to, 2, f"  + {edit.moved_to} {edit.moved['title']}"),
            (edit.moved["date"], 0, f"  - {edit.moved['date']} {edit.moved['title']}"),
            (edit.added["date"], 2, f"  + {edit.added['date']} Shakeout"),
        ]
    )
    assert render_text(site) == "".join(
        [
            "half-marathon: 1 workout changed, 2 added, 2 removed\n",
            f"  week {edit.week_index} ({edit.week_start}): "
            f"target {km(edit.target[0])} -> {km(edit.target[1])}\n",
            *(row + "\n" for _, _, row in rows),
            "athletes: 1 changed, 0 added, 0 removed, 0 unchanged\n",
        ]
    )


def test_json_output_is_stable_and_complete(tmp_path: Path) -> None:
    new_plan, edit = edited_half()
    old = write_site(tmp_path / "old", {"half-marathon": current("half-marathon")})
    new = write_site(tmp_path / "new", {"half-marathon": new_plan})
    text = render_json(diff_folders(old, new))
    assert text == render_json(diff_folders(old, new))
    data = json.loads(text)
    assert list(data) == ["format", "old", "new", "changed", "summary", "problems", "athletes"]
    assert data["format"] == "planc-diff/1"
    assert data["summary"] == {
        "athletes": {"changed": 1, "added": 0, "removed": 0, "unchanged": 0},
        "workouts": {"changed": 1, "added": 2, "removed": 2},
        "files": {"changed": 0, "added": 0, "removed": 0},
        "problems": 0,
    }
    (athlete,) = data["athletes"]
    assert list(athlete) == ["id", "status", "units", "plan", "weeks", "workouts", "files"]
    assert athlete["weeks"] == [
        {
            "start": edit.week_start,
            "index": edit.week_index,
            "status": "changed",
            "changes": [{"field": "target_m", "old": edit.target[0], "new": edit.target[1]}],
        }
    ]
    changed = athlete["workouts"]["changed"][0]
    assert changed["uid"] == edit.changed["uid"]
    distance = edit.changed["distance_m"]
    assert changed["changes"][1] == {"field": "distance_m", "old": distance, "new": distance + 1000}
    assert [w["date"] for w in athlete["workouts"]["added"]] == sorted(
        [edit.moved_to, edit.added["date"]]
    )
    assert [w["uid"] for w in athlete["workouts"]["removed"]] == [
        w["uid"] for w in _by_date(edit.removed, edit.moved)
    ]


def test_athletes_added_and_removed(tmp_path: Path) -> None:
    old = write_site(
        tmp_path / "old",
        {"half-marathon": current("half-marathon"), "speed-5k": current("speed-5k")},
    )
    new = write_site(
        tmp_path / "new",
        {"half-marathon": current("half-marathon"), "riley-trail": current("riley-trail")},
    )
    site = diff_folders(old, new)
    assert [(a.athlete_id, a.status) for a in site.athletes] == [
        ("half-marathon", "unchanged"),
        ("riley-trail", "added"),
        ("speed-5k", "removed"),
    ]
    assert exit_code(site) == 1
    text = render_text(site)
    added, removed = workout_count(current("riley-trail")), workout_count(current("speed-5k"))
    assert added > 1 and removed > 1
    assert f"riley-trail: athlete added ({added} workouts)\n" in text
    assert f"speed-5k: athlete removed ({removed} workouts)\n" in text
    assert "half-marathon" not in text
    assert text.endswith("athletes: 0 changed, 1 added, 1 removed, 1 unchanged\n")


def test_distances_in_the_athletes_units() -> None:
    old = current("riley-trail")  # units: mi
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
    from compiler.commands.diff_model import SiteDiff

    ids = sorted(old.keys() | new.keys())
    return SiteDiff("old", "new", tuple(diff_plans(old.get(i), new.get(i)) for i in ids))


def test_steps_and_start_time_changes() -> None:
    old = current("half-marathon")
    new = copy.deepcopy(old)
    # the first workout with a repeat (strides, intervals) and no start time, as planc built it
    strides = next(
        w
        for week in new["weeks"]
        for w in week["workouts"]
        if w["start_time"] is None and any(s["repeat"] > 1 for s in w["steps"])
    )
    index, step = next((i, s) for i, s in enumerate(strides["steps"]) if s["repeat"] > 1)
    count = step["repeat"]
    strides["steps"][index]["repeat"] = count + 2
    strides["start_time"] = "06:30"
    (changed,) = diff_plans(old, new).workouts_changed
    assert changed.uid == strides["uid"]
    names = [f.name for f in changed.fields]
    assert names == ["start_time", "steps"]
    steps = changed.fields[1]
    assert f"{count} x (" in steps.old and f"{count + 2} x (" in steps.new
    assert f"{count + 2} x (" not in steps.old
    assert "start - -> 06:30" in render_text(diff_folders_of({"h": old}, {"h": new}))


def test_corrupt_and_missing_plans_are_reported(tmp_path: Path) -> None:
    plans = {"half-marathon": current("half-marathon"), "speed-5k": current("speed-5k")}
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
    new = write_site(tmp_path / "new", {"x": current("speed-5k")})
    (problem,) = diff_folders(old, new).problems
    assert problem.message == "not a plan: a workout without a 'uid'"


def test_missing_folder_is_a_usage_error(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="not a folder"):
        diff_folders(tmp_path / "nope", tmp_path)


def test_a_folder_that_is_not_a_build_is_a_usage_error(tmp_path: Path) -> None:
    """Comparing the wrong folder (a typo, an athlete's own folder) must not pass for "no
    differences": it names the folder, and exit code 2."""
    build = write_site(tmp_path / "build", {"speed-5k": current("speed-5k")})
    other = tmp_path / "notes"
    other.mkdir()
    (other / "readme.txt").write_text("hello", "utf-8")
    with pytest.raises(UsageError, match=rf"^{other}: not the output of `planc build` \(no "):
        diff_folders(other, build)
    with pytest.raises(UsageError, match=rf"^{other}: not the output of `planc build`"):
        diff_folders(build, other)
    one = build / "speed-5k"
    with pytest.raises(
        UsageError, match=rf"one athlete's folder: pass the build's output folder, {build}$"
    ):
        diff_folders(one, build)
    # a build of no athletes is still a build: its record says so
    empty = tmp_path / "empty"
    empty.mkdir()
    (empty / ".planc-site.json").write_text("{}", "utf-8")
    assert exit_code(diff_folders(empty, empty)) == 0
    code, output = run_cli("diff", "--no-project", str(other), str(build))
    assert code == 2 and f"{other}: not the output of `planc build`" in output


def run_cli(*args: str) -> tuple[int, str]:
    from click.testing import CliRunner

    from compiler.cli import main

    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.output


def test_figures_that_round_to_the_same_text_are_no_change() -> None:
    """Distances, volumes, durations and VDOT are compared as planc writes them: 5.01 km and
    5.04 km are both '5 km', so a plan whose only changes round away is unchanged."""
    old = current("half-marathon")
    new = copy.deepcopy(old)
    # a run whose figures stay on the same tenth and minute with a little more: well inside both
    week, easy = next(
        (week, w)
        for week in new["weeks"][1:]
        for w in week["workouts"]
        if w["distance_m"] and w["distance_m"] % 100 < 25 and w["duration_s"] % 60 < 25
    )
    easy["distance_m"] += 20  # a tenth of a km is 100 m
    easy["duration_s"] += 10  # to the minute
    week["target_m"] += 30
    new["vdot"] += 0.01
    result = diff_plans(old, new)
    assert result.status == "unchanged", result
    assert render_text(diff_folders_of({"h": old}, {"h": new})) == (
        "no differences (1 athlete compared)\n"
    )
    easy["distance_m"] += 200
    easy["duration_s"] += 120
    (changed,) = diff_plans(old, new).workouts_changed
    assert [f.name for f in changed.fields] == ["distance_m", "duration_s"]


def test_durations_are_written_as_planc_writes_them() -> None:
    old = current("half-marathon")
    new = copy.deepcopy(old)
    long = max(
        (w for week in new["weeks"] for w in week["workouts"]), key=lambda w: w["duration_s"]
    )
    before = long["duration_s"]
    assert before >= 3600  # over an hour: '1 h 05 min', not '1:05'
    long["duration_s"] = before + 300
    text = render_text(diff_folders_of({"h": old}, {"h": new}))
    assert f"duration {format_duration(before)} -> {format_duration(before + 300)}" in text
    assert " h " in text and " min" in text


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
    assert diff_plans(None, current("speed-5k")).athlete_id == "speed-5k"
    assert diff_plans(current("speed-5k"), None).status == "removed"
    assert diff_plans(None, None).status == "unchanged"


HALF = examples_dir() / "half-marathon.yaml"
LATER = STAMP + dt.timedelta(days=3)
needs_sdk = pytest.mark.skipif(
    importlib.util.find_spec("garmin_fit_sdk") is None, reason="needs planc[watch]"
)


def fit_paths(plan: dict[str, Any], keep: Any = lambda workout: True) -> set[str]:
    """The FIT files of ``plan``'s runs that ``keep`` keeps, by path in the athlete's folder."""
    return {
        f"workouts/{w['date']}-{w['slot']}.fit"
        for week in plan["weeks"]
        for w in week["workouts"]
        if w["category"] not in ("strength", "rest") and keep(w)
    }


@needs_sdk
def test_workout_files_are_compared_by_what_they_hold(tmp_path: Path) -> None:
    """Built again at another time (every FIT file's time_created differs): no difference.  A
    file edited or deleted by hand is a changed or removed file, and the athlete has changed
    though its plan has not."""
    old, new = tmp_path / "old", tmp_path / "new"
    build_site([HALF], old, today=TODAY, stamp=STAMP)
    build_site([HALF], new, today=TODAY, stamp=LATER)
    some = sorted((new / "half-marathon").glob("workouts/*.fit"))
    assert some[0].read_bytes() != (old / "half-marathon" / "workouts" / some[0].name).read_bytes()
    assert exit_code(diff_folders(old, new)) == 0
    some[0].write_bytes(some[0].read_bytes()[:-2] + b"\0\0")
    some[1].unlink()
    site = diff_folders(old, new)
    (athlete,) = site.athletes
    assert athlete.status == "changed" and athlete.workouts_changed == ()
    assert athlete.files_changed == (f"workouts/{some[0].name}",)
    assert athlete.files_removed == (f"workouts/{some[1].name}",) and athlete.files_added == ()
    assert exit_code(site) == 1
    text = render_text(site)
    assert "  files: 1 changed, 0 added, 1 removed\n" in text
    assert f"    ~ workouts/{some[0].name}\n" in text and f"    - workouts/{some[1].name}\n" in text
    data = json.loads(render_json(site))
    assert data["summary"]["files"] == {"changed": 1, "added": 0, "removed": 1}
    assert data["athletes"][0]["files"] == {
        "changed": [f"workouts/{some[0].name}"],
        "added": [],
        "removed": [f"workouts/{some[1].name}"],
    }


@needs_sdk
def test_a_plan_change_lists_the_workout_files_it_adds_removes_and_changes(
    tmp_path: Path,
) -> None:
    """The athlete gives up Mondays: the files of runs gone are removed, of new runs added,
    and of the runs that changed (as plan.json says) changed; no other file."""
    source = tmp_path / "athletes" / "half-marathon.yaml"
    source.parent.mkdir()
    source.write_text(HALF.read_text("utf-8"), "utf-8")
    old, new = tmp_path / "old", tmp_path / "new"
    build_site([source], old, today=TODAY, stamp=STAMP)
    text = source.read_text("utf-8")
    source.write_text(text.replace("days: [monday, tuesday,", "days: [tuesday,"), "utf-8")
    build_site([source], new, today=TODAY, stamp=STAMP)
    site = diff_folders(old, new)
    (athlete,) = site.athletes
    before = json.loads((old / "half-marathon" / "plan.json").read_text("utf-8"))
    after = json.loads((new / "half-marathon" / "plan.json").read_text("utf-8"))
    assert set(athlete.files_removed) == fit_paths(before) - fit_paths(after) != set()
    assert set(athlete.files_added) == fit_paths(after) - fit_paths(before)
    changed = {c.uid for c in athlete.workouts_changed}
    assert set(athlete.files_changed) <= fit_paths(after, lambda w: w["uid"] in changed)
    assert athlete.files_changed
