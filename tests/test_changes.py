"""The athlete's changes as layers (compiler/plan/changes.py): random changes over generated
plans keep the uids and the days away, and removing them gives the plan's bytes back; through
build_site, the calendar feed follows them (a moved event keeps its UID with SEQUENCE + 1, a
skipped one is cancelled, a replaced one changes in place) and returns when they are removed."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import re
from pathlib import Path
from typing import Any

import icalendar
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_properties import TODAY, blocked, compile_profile, plan_schema, profiles

from compiler.api import build_site, compile_plan, load_project
from compiler.emit import emit_ics, emit_json, emit_markdown
from compiler.emit.watch import is_run
from compiler.model import CROSS_TRAINING, EASY_RUN, Blueprint, Change, Plan, Source
from compiler.plan.changes import EASY_ROLES, is_hard
from compiler.resources import examples_dir
from compiler.vocabulary import Category, ChangeAction, ChangeReason

SOURCE = Source("generated.yaml", 40, 5)
STAMP = dt.datetime(2026, 11, 22, 12, 0, tzinfo=dt.UTC)
SETTINGS = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _with(blueprint: Blueprint, changes: tuple[Change, ...]) -> Blueprint:
    return dataclasses.replace(
        blueprint, athlete=dataclasses.replace(blueprint.athlete, changes=changes)
    )


def _bytes(plan: Plan) -> tuple[bytes, bytes, bytes]:
    return emit_json(plan), emit_markdown(plan), emit_ics(plan, stamp=STAMP)


def _free_days(plan: Plan, profile: dict[str, Any], case: Any) -> list[dt.date]:
    """Days in the plan without a run and not away: where a move may go."""
    runs = {w.date for w in plan.workouts if w.slot != "strength"}
    first = max(plan.start, plan.athlete.start or plan.start)
    days = (first + dt.timedelta(days=i) for i in range((plan.end - first).days))
    return [d for d in days if d not in runs and not blocked(case, d)]


def _week_days(plan: Plan, day: dt.date) -> list[dt.date]:
    week = next(w for w in plan.weeks if w.holds(day))
    return [week.start + dt.timedelta(days=i) for i in range(week.days)]


def _long_run_day(
    draw: st.DrawFn, plan: Plan, case: Any, used: set[dt.date], runs: list[Any]
) -> Change | None:
    """A `long_run_day` change for a week whose long run and chosen day are free to change:
    in the plan, not away, not a race day, touched by no other change."""
    races = {w.date for w in plan.workouts if w.category == "race"}
    first = max(plan.start, plan.athlete.start or plan.start)
    longs = [w for w in runs if w.role == "long" and w.date not in used]
    if not longs:
        return None
    long_run = draw(st.sampled_from(longs))
    days = [
        d for d in _week_days(plan, long_run.date)
        if d >= first and d not in used and d not in races and not blocked(case, d)
        and d != long_run.date
    ]  # fmt: skip
    if not days:
        return None
    day = draw(st.sampled_from(days))
    used.update((long_run.date, day))
    return Change(
        ChangeAction.LONG_RUN_DAY, long_run.date, SOURCE, weekday=day.weekday(),
        reason=ChangeReason.WORK,
    )  # fmt: skip


def _more(
    draw: st.DrawFn, action: str, workout: Any, plan: Plan, used: set[dt.date], targets: list[Any]
) -> Change | None:
    """A swap, a volume change for the rest of a week or a few sick days from ``workout``."""
    if action == "swap":
        other = draw(st.sampled_from(targets))
        used.add(other)
        return Change(ChangeAction.SWAP, workout.date, SOURCE, to=other)
    if action == "volume":
        if workout.role not in EASY_ROLES:
            return None  # a volume change scales easy running
        used.update(d for d in _week_days(plan, workout.date) if d >= workout.date)
        share = draw(st.sampled_from([0.6, 0.8, 1.1]))
        return Change(ChangeAction.VOLUME, workout.date, SOURCE, factor=share)
    last = workout.date + dt.timedelta(days=draw(st.integers(2, 4)))
    if last > plan.end or any(
        w.category == "race" and workout.date <= w.date <= last for w in plan.workouts
    ):
        return None
    used.update(workout.date + dt.timedelta(days=i) for i in range((last - workout.date).days + 1))
    return Change(ChangeAction.SKIP, workout.date, SOURCE, to=last, reason=ChangeReason.SICK)


@st.composite
def changes_for(draw: st.DrawFn, plan: Plan, case: Any) -> tuple[Change, ...]:
    """A few valid changes over ``plan``: each names a run that is there (a move, skip,
    replacement, cross-training, swap, a week's long-run day, a week's volume, sick days)."""
    runs = sorted(
        (w for w in plan.workouts if w.slot == "run" and w.category != "race"),
        key=lambda w: w.date,
    )
    free = _free_days(plan, case.profile, case)
    chosen: list[Change] = []
    used: set[dt.date] = set()
    for _ in range(draw(st.integers(1, 4))):
        kinds = ["move", "skip", "replace", "cross-training", "swap", "long", "volume", "sick"]
        action = draw(st.sampled_from(kinds))
        if action == "long":
            change = _long_run_day(draw, plan, case, used, runs)
            chosen.extend([change] if change is not None else [])
            continue
        workout = draw(st.sampled_from(runs))
        targets = [d for d in free if d not in used]
        if workout.date in used or not targets:
            continue
        used.add(workout.date)
        if action in ("swap", "volume", "sick"):
            change = _more(draw, action, workout, plan, used, targets)
            chosen.extend([change] if change is not None else [])
        elif action == "move":
            to = draw(st.sampled_from(targets))
            used.add(to)
            chosen.append(
                Change(ChangeAction.MOVE, workout.date, SOURCE, to=to, reason=ChangeReason.TRAVEL)
            )
        elif action == "skip":
            reason = draw(st.sampled_from([ChangeReason.SICK, ChangeReason.TRAVEL]))
            chosen.append(Change(ChangeAction.SKIP, workout.date, SOURCE, reason=reason))
        elif action == "replace":
            chosen.append(Change(ChangeAction.REPLACE, workout.date, SOURCE, replacement=EASY_RUN))
        else:
            activity = draw(st.sampled_from(["bike", "swim", ""]))
            change = Change(
                ChangeAction.REPLACE, workout.date, SOURCE, replacement=CROSS_TRAINING,
                reason=ChangeReason.INJURED, note=activity,
            )  # fmt: skip
            chosen.append(change)
    return tuple(chosen)


@SETTINGS
@given(profiles(), st.data())
def test_layers_keep_uids_and_days_away_and_removing_them_restores_the_bytes(
    profile: dict[str, Any], data: st.DataObject
) -> None:
    case = compile_profile(profile)
    original = _bytes(case.plan)
    changes = data.draw(changes_for(case.plan, case))
    changed = compile_plan(_with(case.blueprint, changes), TODAY)
    run_uids = {w.date: w.uid for w in case.plan.workouts if w.slot == "run"}
    uids = [w.uid for w in changed.workouts]
    skipped = {w.uid for week in changed.weeks for w in week.skipped}
    assert len(uids) == len(set(uids))
    assert set(uids) | skipped == {w.uid for w in case.plan.workouts}
    assert not set(uids) & skipped
    assert not any(blocked(case, w.date) for w in changed.workouts if w.layers)
    assert all(week.holds(w.date) for week in changed.weeks for w in week.workouts)
    for week in changed.weeks:
        assert week.planned_m == sum(w.distance_m for w in week.workouts)
    moved = {c.to: c.day for c in changes if c.action == "move"}
    for workout in changed.workouts:
        if (
            workout.date in moved and workout.slot == "run"
        ):  # the moved workout keeps its uid and says where it was
            assert workout.uid == next(w.uid for w in case.plan.workouts if w.date ==
                                       moved[workout.date] and w.slot == "run")  # fmt: skip
            assert workout.layers[-1].action == "moved"
    now = {w.uid: w for w in changed.workouts}
    for change in changes:  # a week's long run on the day asked (unless a later skip took it)
        if change.action == "long_run_day":
            uid = next(
                w.uid for w in case.plan.workouts if w.date == change.day and w.role == "long"
            )
            assert uid not in now or now[uid].date.weekday() == change.weekday
    crossed = {c.day for c in changes if c.replacement == CROSS_TRAINING}
    for workout in changed.workouts:  # cross-training: no running, no watch file, not hard
        if workout.date in crossed and workout.slot == "run":
            assert workout.category == Category.CROSS_TRAINING and workout.distance_m == 0
            assert not is_run(workout) and not is_hard(workout)
            assert workout.duration_s >= 300 and workout.uid == run_uids[workout.date]
    untouched = [w for w in changed.workouts if not w.layers]
    originals = {w.uid: w for w in case.plan.workouts}
    assert all(originals[w.uid] == w for w in untouched)
    plan_schema().validate(json.loads(emit_json(changed)))
    # removing every layer gives the compiled plan back, byte for byte
    restored = compile_plan(_with(case.blueprint, ()), TODAY)
    assert _bytes(restored) == original


def _events(data: bytes) -> dict[str, icalendar.Component]:
    calendar = icalendar.Calendar.from_ical(data)
    return {str(e["UID"]).split("@")[0]: e for e in calendar.walk("VEVENT")}


CHANGES = """\
changes:
  - move: 2026-12-08
    to: 2026-12-09
    reason: travel
    note: work trip
  - skip: 2026-12-10
    reason: work
  - replace: 2026-12-13
    with: easy
"""


def _build(folder: Path, out: Path, changes: str) -> dict[str, bytes]:
    source = (examples_dir() / "half-marathon.yaml").read_text("utf-8")
    (folder / "half-marathon.yaml").write_text(source + changes, "utf-8")
    result = build_site([folder], out, today=TODAY, stamp=STAMP, incremental=False)
    assert not any(d.severity.value == "error" for d in result.diagnostics)
    athlete = out / "half-marathon"
    return {name: (athlete / name).read_bytes() for name in ("plan.ics", "plan.json", "plan.md")}


def test_the_feed_follows_the_changes_and_returns_when_they_are_removed(tmp_path: Path) -> None:
    folder, out = tmp_path / "athletes", tmp_path / "out"
    folder.mkdir()
    before = _build(folder, out, "")
    changed = _build(folder, out, CHANGES)
    events = _events(changed["plan.ics"])
    moved = events["half-marathon-20261208-run"]
    assert moved.decoded("DTSTART") == dt.date(2026, 12, 9) and int(moved.decoded("SEQUENCE")) == 1
    assert "Moved (from 2026-12-08): travel, work trip" in str(moved["DESCRIPTION"])
    skipped = events["half-marathon-20261210-run"]
    assert str(skipped["STATUS"]) == "CANCELLED" and int(skipped.decoded("SEQUENCE")) == 1
    replaced = events["half-marathon-20261213-run"]
    assert replaced.decoded("DTSTART") == dt.date(2026, 12, 13)
    assert int(replaced.decoded("SEQUENCE")) == 1
    assert str(replaced.decoded("CATEGORIES")[0]) == "easy"
    plan = json.loads(changed["plan.json"])
    week = next(w for w in plan["weeks"] if w["start"] == "2026-12-07")
    assert [s["date"] for s in week["skipped"]] == ["2026-12-10"]
    texts = [layer["text"] for w in week["workouts"] for layer in w.get("layers", [])]
    assert "moved by half-marathon.yaml:30: travel, work trip (from 2026-12-08)" in texts
    assert re.search(r"~~.*2026.*~~ Skipped: work", changed["plan.md"].decode())
    restored = _build(folder, out, "")
    assert restored["plan.json"] == before["plan.json"]
    assert restored["plan.md"] == before["plan.md"]
    back = _events(restored["plan.ics"])
    assert back["half-marathon-20261208-run"].decoded("DTSTART") == dt.date(2026, 12, 8)
    assert int(back["half-marathon-20261208-run"].decoded("SEQUENCE")) == 2
    assert str(back["half-marathon-20261210-run"]["STATUS"]) == "CONFIRMED"


def test_a_sick_span_is_followed_by_a_gentle_return(tmp_path: Path) -> None:
    case_plan = _compile(tmp_path, "")
    sick = "changes:\n  - skip: 2027-01-11\n    to: 2027-01-14\n    reason: sick\n"
    plan = _compile(tmp_path, sick)
    after = [w for w in plan.workouts if dt.date(2027, 1, 15) <= w.date <= dt.date(2027, 1, 21)]
    was = {w.uid: w for w in case_plan.workouts}
    hard_before = [w for w in after if is_hard(was[w.uid]) and was[w.uid].intensity == "hard"]
    assert hard_before and hard_before[0].intensity == "easy"
    assert hard_before[0].layers[-1].action == "eased"
    runs = [w for w in after if w.slot == "run"]
    assert sum(w.distance_m for w in runs) < sum(was[w.uid].distance_m for w in runs)


def _compile(folder: Path, changes: str) -> Plan:
    path = folder / "half-marathon.yaml"
    text = (examples_dir() / "half-marathon.yaml").read_text("utf-8")
    path.write_text(text + changes, "utf-8")
    project = load_project([path], today=TODAY)
    assert project.ok, [d.format() for d in project.diagnostics]
    (blueprint,) = project.blueprints
    return compile_plan(blueprint, TODAY)


CAREFUL = """\
kind: program
name: careful-half
extends: half-marathon
return_after_illness:
  after_days: {after_days}
  days: 7
  easy_share: 50%
"""


def _compile_with_program(folder: Path, changes: str, after_days: int) -> Plan:
    """The example athlete on a program that extends the half marathon's with its own
    `return_after_illness`."""
    text = (examples_dir() / "half-marathon.yaml").read_text("utf-8")
    assert "program: half-marathon" in text
    profile = folder / "half-marathon.yaml"
    profile.write_text(text.replace("program: half-marathon", "program: careful-half") + changes)
    program = folder / "careful-half.yaml"
    program.write_text(CAREFUL.format(after_days=after_days), "utf-8")
    project = load_project([folder], today=TODAY)
    assert project.ok, [d.format() for d in project.diagnostics]
    (blueprint,) = project.blueprints
    return compile_plan(blueprint, TODAY)


def test_the_gentle_return_follows_the_programs_numbers(tmp_path: Path) -> None:
    """The program's `return_after_illness` sets when the gentle return comes and how much
    easy running it holds: four days sick return at 50% with `after_days: 3`, and not at all
    with `after_days: 5`."""
    sick = "changes:\n  - skip: 2027-01-11\n    to: 2027-01-14\n    reason: sick\n"
    plain = _compile_with_program(tmp_path, "", 3)
    was = {w.uid: w for w in plain.workouts}
    returning = _compile_with_program(tmp_path, sick, 3)
    after = [
        w for w in returning.workouts if dt.date(2027, 1, 15) <= w.date <= dt.date(2027, 1, 21)
    ]
    held = [w for w in after if w.layers and "easy running at 50%" in w.layers[-1].was]
    assert held
    for workout in held:  # the fill halves; a long run's fixed part (if any) stays
        assert workout.distance_m < 0.75 * was[workout.uid].distance_m
    late = _compile_with_program(tmp_path, sick, 5)
    assert not any(w.layers for w in late.workouts)


CROSS = """\
changes:
  - replace: 2026-12-08
    with: cross-training
    reason: injured
    note: bike
"""


def test_cross_training_replaces_a_run_with_no_running_in_every_output(tmp_path: Path) -> None:
    """A run replaced with cross-training keeps its calendar event (changed in place), is
    about as long, counts no running, and goes to no watch file and no intervals.icu run."""
    folder, out = tmp_path / "athletes", tmp_path / "out"
    folder.mkdir()
    before = _build(folder, out, "")
    uid = "half-marathon-20261208-run"
    was = next(
        w for week in json.loads(before["plan.json"])["weeks"] for w in week["workouts"]
        if w["uid"] == uid
    )  # fmt: skip
    assert (out / "half-marathon" / "workouts" / "2026-12-08-run.fit").is_file()
    changed = _build(folder, out, CROSS)
    plan = json.loads(changed["plan.json"])
    plan_schema().validate(plan)
    week = next(w for w in plan["weeks"] if w["start"] == "2026-12-07")
    old_week = next(
        w for w in json.loads(before["plan.json"])["weeks"] if w["start"] == "2026-12-07"
    )
    cross = next(w for w in week["workouts"] if w["uid"] == uid)
    assert (cross["category"], cross["role"], cross["distance_m"]) == (
        "cross-training", "cross-training", 0
    )  # fmt: skip
    assert abs(cross["duration_s"] - was["duration_s"]) <= 150 and cross["duration_s"] % 300 == 0
    assert cross["steps"][0]["label"] == "bike"
    assert week["planned_m"] == old_week["planned_m"] - was["distance_m"]
    assert [layer["action"] for layer in cross["layers"]] == ["replaced"]
    event = _events(changed["plan.ics"])[uid]
    assert event.decoded("DTSTART") == dt.date(2026, 12, 8)
    assert int(event.decoded("SEQUENCE")) == 1
    assert str(event.decoded("CATEGORIES")[0]) == "cross-training"
    markdown = changed["plan.md"].decode()
    assert "| Tue 2026-12-08 | Cross-training |  | " in markdown
    assert "Replaced (was " in markdown and "injured, bike" in markdown
    athlete = out / "half-marathon"
    assert "Cross-training" in (athlete / "index.html").read_text("utf-8")
    assert not (athlete / "workouts" / "2026-12-08-run.fit").exists()
    intervals = (athlete / "intervals.json").read_text("utf-8")
    assert "2026-12-08" not in intervals and "2026-12-10" in intervals
