"""Training blocks with no race (issue 15, item 2) as properties over generated athletes: the
athletes ``profiles()`` draws (every focus, 2-7 days, km and mi, injury-prone or not, 10-120 km,
ages, maxima, days away), each training a bundled block (`maintenance`, `base-building`) for 2-30
weeks instead of racing; then a block built end to end through the command line and its files
parsed back, and the diagnostics of a profile with both a race and a block, or neither."""

from __future__ import annotations

import datetime as dt
import json
from itertools import pairwise
from pathlib import Path
from typing import Any

from click.testing import CliRunner
from hypothesis import given
from icalendar import Calendar
from test_coaching_rules import easy_share, nominal, runs, trip_week
from test_properties import SETTINGS, Case, block_profiles, compile_profile, plan_schema

from compiler.api import compile_plan, load_project
from compiler.cli import main
from compiler.emit import emit_json
from compiler.plan.long_run import KEEP_CURRENT_LONG
from compiler.plan.periodize import CUTBACK_WAITS_FROM, START_BELOW_CAP, athlete_vdot, peak_cap
from compiler.resources import examples_dir
from compiler.vocabulary import Role

TODAY = dt.date(2026, 11, 22)
QUALITY = {"tempo", "threshold", "progression", "intervals", "hills", "vo2max"}


def block_weeks(profile: dict[str, Any]) -> int:
    """The weeks the profile asks for: `weeks`, or to the week that holds `end`."""
    block = profile["block"]
    if "weeks" in block:
        return int(block["weeks"])
    start = dt.date.fromisoformat(profile["start"])
    return (dt.date.fromisoformat(block["end"]) - start).days // 7 + 1


def cap_of(case: Case) -> float:
    return peak_cap(case.blueprint, athlete_vdot(case.blueprint, TODAY))[0]


def full_weeks(case: Case) -> set[int]:
    """The weeks with no day away and not back from a break: the athlete runs all of them."""
    athlete = case.blueprint.athlete
    return {
        w.index
        for w in nominal(case)
        if not athlete.days_away(w.start, w.days) and not w.returning and w.days == 7
    }


@SETTINGS
@given(block_profiles())
def test_a_block_has_no_taper_no_race_and_lasts_the_weeks_asked(profile: dict[str, Any]) -> None:
    case = compile_profile(profile)
    plan = case.plan
    assert plan.athlete.race is None and plan.athlete.block is not None
    assert len(plan.weeks) == block_weeks(profile)
    weeks = nominal(case)
    assert not any(w.race_week or w.after_race or w.share_of_peak is not None for w in weeks)
    assert {w.phase for w in plan.weeks} <= {"base", "maintain"}
    for workout in plan.workouts:
        assert workout.category != "race" and workout.role not in ("race", "shakeout")
        assert not any(s.zone == "race" for s in workout.steps), workout.title
    data = json.loads(emit_json(plan))
    assert data["race"] is None and data["block"]["weeks"] == len(plan.weeks)
    assert not list(plan_schema().iter_errors(data))
    # the last week is a normal week: no taper, its volume what the block's weeks build to
    last = weeks[-1]
    if not last.cutback and last.index in full_weeks(case) and len(weeks) > 1:
        assert last.target_m >= 0.9 * max(w.target_m for w in weeks[:-1] if not w.cutback)


@SETTINGS
@given(block_profiles())
def test_a_block_starts_near_the_current_volume_and_never_passes_its_cap(
    profile: dict[str, Any],
) -> None:
    case = compile_profile(profile)
    athlete, cap = case.blueprint.athlete, cap_of(case)
    weeks = nominal(case)
    # week 1 is what the athlete runs now (a little below the cap when they are at it)
    first = weeks[0]
    if first.index in full_weeks(case) and athlete.start == first.start:
        assert first.target_m == round(min(athlete.weekly_volume_m, START_BELOW_CAP * cap), 0)
    for week in weeks:
        assert week.target_m <= cap + 1, (week.index, week.rule)
    for built in case.plan.weeks:  # what the athlete runs: the cap and the solver's 5% overshoot
        assert built.planned_m <= 1.05 * max(cap, athlete.weekly_volume_m) + 1, built.index
    if case.blueprint.program.name == "maintenance":  # held: never built past the current level
        assert all(w.target_m <= athlete.weekly_volume_m + 1 for w in weeks)


@SETTINGS
@given(block_profiles())
def test_a_block_of_four_weeks_or_more_has_its_cutbacks(profile: dict[str, Any]) -> None:
    case = compile_profile(profile)
    rules = case.blueprint.program.rules
    masters = profile.get("age", 0) >= rules.masters_age
    every = 3 if profile["injury_prone"] or masters else 4
    weeks = nominal(case)
    # the week before a trip of the block's (half its running days and 4 days or more away)
    # needs no cutback: the trip is the rest, as in a race's plan
    athlete = case.blueprint.athlete
    trips = [w.index for w in weeks if trip_week(athlete, w.start)]
    before_trip = {i - 1 for i in trips}
    if every >= CUTBACK_WAITS_FROM and not profile["injury_prone"]:
        before_trip |= {i - 2 for i in trips}  # a cutback due two weeks before waits for it
    lighter = {
        w.index
        for w in weeks
        if w.cutback or w.index == 1 or w.index not in full_weeks(case) or w.index in before_trip
        or (w.index > 1 and w.target_m < weeks[w.index - 2].target_m)
    }  # fmt: skip
    for start in range(len(weeks) - every + 1):
        window = set(range(start + 1, start + every + 1))
        assert lighter & window, f"no lighter week in weeks {sorted(window)}"
    # a block of `every` weeks or more, all of them run whole, has a cutback (a week away is
    # the lighter week otherwise, and the cutbacks count from it)
    if len(weeks) >= every and full_weeks(case) >= set(range(1, len(weeks) + 1)):
        assert any(w.cutback for w in weeks)


@SETTINGS
@given(block_profiles())
def test_a_blocks_long_run_keeps_what_the_athlete_runs_now(profile: dict[str, Any]) -> None:
    """The engine's floor holds in a block: in a week the athlete runs whole, not a cutback,
    the long run is at least KEEP_CURRENT_LONG of the current long run (76%: the floor every
    plan keeps; the first week starts from the long run itself when the week can hold it)."""
    case = compile_profile(profile)
    athlete = case.blueprint.athlete
    plans = {w.index: w for w in nominal(case)}
    # runs are rounded to half units (a 12.08 mi floor is written 12 mi)
    unit = 1609.344 if profile["units"] == "mi" else 1000.0
    slack = 0.25 * unit + 50.0
    # what the profile says the athlete runs now (resolve may take a longer one from a week too
    # big for the days: 65 km on two days has a 32.5 km average run, and warns)
    stated = float(profile["fitness"]["long_run"].rstrip("kmi")) * unit
    now = min(stated, athlete.long_run_m)
    for week in case.plan.weeks:
        long_runs = [w for w in runs(week.workouts) if w.role == "long"]
        if week.cutback or week.index not in full_weeks(case) or plans[week.index].returning:
            continue
        assert long_runs, week.index
        (long_run,) = long_runs
        if long_run.distance_m >= KEEP_CURRENT_LONG * now - slack:
            continue
        # below the floor only when the days cannot hold it (87 km on two days: the week is
        # what two runs of a sane size hold) and the week's other runs are its sessions, not
        # easy running the long run gave way to
        others = [w for w in runs(week.workouts) if w is not long_run]
        assert all(w.role == Role.QUALITY for w in others), week.index


@SETTINGS
@given(block_profiles())
def test_a_block_is_80_percent_easy_with_the_quality_its_program_allows(
    profile: dict[str, Any],
) -> None:
    case = compile_profile(profile)
    base_building = case.blueprint.program.name == "base-building"
    for week in case.plan.weeks:
        assert easy_share(week.workouts) >= 0.80 - 1e-6, (week.index, week.notes)
        quality = [w for w in week.workouts if w.role == "quality" or w.category in QUALITY]
        if base_building:  # strides are the only speed work
            assert not quality, [w.title for w in quality]
        else:  # maintenance: one light session a week
            assert len([w for w in quality if w.role == "quality"]) <= 1
        hard = sorted(w.date for w in week.workouts if w.intensity == "hard" and w.slot == "run")
        assert all((b - a).days >= 2 for a, b in pairwise(hard)), hard


# --------------------------------------------------------------------------- end to end


BLOCK_FILE = examples_dir() / "base-block.yaml"


def test_a_block_builds_through_the_command_line_with_no_race_anywhere(tmp_path: Path) -> None:
    maintenance = tmp_path / "keep.yaml"
    maintenance.write_text(
        BLOCK_FILE.read_text("utf-8")
        .replace("id: base-block", "id: keep")
        .replace("program: base-building\n  weeks: 10", "program: maintenance\n  end: 2027-01-20"),
        "utf-8",
    )
    out = tmp_path / "public"
    result = CliRunner().invoke(
        main,
        ["build", str(BLOCK_FILE), str(maintenance), "--out", str(out), "--today", "2026-11-22"],
        catch_exceptions=False,
    )
    assert result.exit_code == 0, result.output
    for athlete_id, title, weeks, end in (
        ("base-block", "Base-building block, 10 weeks", 10, "2027-02-07"),
        ("keep", "Maintenance block, 8 weeks", 8, "2027-01-24"),
    ):
        folder = out / athlete_id
        plan = json.loads((folder / "plan.json").read_text("utf-8"))
        assert plan["race"] is None
        assert plan["block"] == {
            "program": "base-building" if athlete_id == "base-block" else "maintenance",
            "title": title,
            "weeks": weeks,
            "end": end,
        }
        assert not list(plan_schema().iter_errors(plan))
        assert len(plan["weeks"]) == weeks and plan["end"] == end
        calendar = Calendar.from_ical((folder / "plan.ics").read_bytes())
        name = str(calendar["X-WR-CALNAME"]).replace("\\,", ",")  # TEXT escapes a comma
        assert name == f"Sam Okafor: {title}"
        assert "no race" in str(calendar["X-WR-CALDESC"])
        events = list(calendar.walk("VEVENT"))
        workouts = [w for week in plan["weeks"] for w in week["workouts"]]
        assert len(events) == len(workouts) > 0
        assert not any(w["category"] == "race" for w in workouts)
        last_day = max(e.decoded("DTSTART") for e in events)
        assert str(last_day)[:10] <= end
        markdown = (folder / "plan.md").read_text("utf-8")
        assert markdown.startswith(f"# Sam Okafor: {title}\n")
        assert "**Race:**" not in markdown and "Race (from your fitness)" not in markdown
        page = (folder / "index.html").read_text("utf-8")
        assert f"<h1>Sam Okafor: {title}</h1>" in page
        assert "to race day" not in page and "to the end of the block" in page
    index = (out / "index.html").read_text("utf-8")
    assert "Base-building block" in index and "Maintenance block" in index
    explained = CliRunner().invoke(
        main, ["explain", str(maintenance), "--today", "2026-11-22"], catch_exceptions=False
    )
    assert explained.exit_code == 0, explained.output
    assert "Block: Maintenance block, no race, to Sun 2027-01-24" in explained.output
    assert "chosen by block.program at" in explained.output


# --------------------------------------------------------------------------- diagnostics


def _check(tmp_path: Path, text: str) -> list[tuple[str, int, int]]:
    path = tmp_path / "athlete.yaml"
    path.write_text(text, "utf-8")
    project = load_project([path], today=TODAY)
    return [(d.code, d.line or 0, d.column or 0) for d in project.diagnostics]


def test_a_profile_with_both_a_race_and_a_block_or_neither_is_an_error(tmp_path: Path) -> None:
    text = BLOCK_FILE.read_text("utf-8")
    lines = text.splitlines()
    block_line = lines.index("block:") + 1
    race = "race:\n  program: 10k\n  date: 2027-03-07\n"
    both = text.replace("block:\n", race + "block:\n")
    assert _check(tmp_path, both) == [("one-of-keys", block_line + 3, 1)]
    neither = text.replace("block:\n  program: base-building\n  weeks: 10\n", "")
    first_key = next(i for i, line in enumerate(lines) if line.startswith("kind:")) + 1
    assert _check(tmp_path, neither) == [("one-of-keys", first_key, 1)]
    end_and_weeks = text.replace("  weeks: 10\n", "  weeks: 10\n  end: 2027-02-07\n")
    assert _check(tmp_path, end_and_weeks) == [("one-of-keys", block_line + 3, 3)]
    race_program = text.replace("program: base-building", "program: 10k")
    assert _check(tmp_path, race_program) == [("block-program", block_line + 1, 12)]
    too_short = text.replace("weeks: 10", "weeks: 1")
    assert _check(tmp_path, too_short) == [("block-length", block_line + 2, 10)]


def test_a_rebuild_that_keeps_the_first_day_keeps_the_blocks_weeks(tmp_path: Path) -> None:
    """A block of `weeks:` with no `start:` begins the week after the first build; a rebuild
    weeks later keeps that first day (pinned_start) and so its last day, not N more weeks."""
    text = BLOCK_FILE.read_text("utf-8").replace("start: 2026-11-30\n", "")
    path = tmp_path / "sam.yaml"
    path.write_text(text, "utf-8")
    first = load_project([path], today=TODAY)
    (blueprint,) = first.blueprints
    plan = compile_plan(blueprint, TODAY)
    assert (plan.start, len(plan.weeks)) == (dt.date(2026, 11, 23), 10)
    later = TODAY + dt.timedelta(weeks=3)
    (again,) = load_project([path], today=later).blueprints
    rebuilt = compile_plan(again, later, started=plan.start)
    assert (rebuilt.start, rebuilt.end, len(rebuilt.weeks)) == (plan.start, plan.end, 10)
