"""Where a plan meets the calendar (expert review, issue 11): a race early in the week ends the
plan's weeks on race day, a first week cut by the start holds only its share, and a trip counts
as the days without running it makes.  Built through the CLI and read back from plan.json."""

from __future__ import annotations

import datetime as dt
import itertools
import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from compiler.cli import main

ATHLETE = """\
kind: athlete
id: {id}
name: Test Runner
timezone: America/New_York
units: mi
race: {{name: Spring Marathon, program: marathon, date: {race}}}
focus: balanced
start: {start}
fitness:
  recent_race: {{distance: half, time: "1:38:00", date: 2026-10-04}}
  weekly_volume: 25mi
  long_run: 10mi
availability: {{days: [{days}], long_run_day: saturday}}
{extra}"""
DAYS = "monday, tuesday, wednesday, thursday, saturday, sunday"


def _plan(tmp_path: Path, **fields: Any) -> dict[str, Any]:
    values = {"id": "runner", "start": "2026-10-26", "days": DAYS, "extra": "", **fields}
    source = tmp_path / f"{values['id']}.yaml"
    source.write_text(ATHLETE.format(**values))
    out = tmp_path / "out"
    args = ["build", "--no-project", "-j", "1", "-q", "--out", str(out), str(source)]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    plan: dict[str, Any] = json.loads((out / values["id"] / "plan.json").read_text())
    return plan


def _runs(plan: dict[str, Any]) -> list[dict[str, Any]]:
    return [w for week in plan["weeks"] for w in week["workouts"] if w["distance_m"] > 0]


@pytest.mark.parametrize("race", ["2027-04-19", "2027-04-20", "2027-04-22"])  # Mon, Tue, Thu
def test_a_race_early_in_the_week_ends_the_plans_weeks(tmp_path: Path, race: str) -> None:
    plan = _plan(tmp_path, race=race)
    race_day = dt.date.fromisoformat(race)
    race_week = next(w for w in plan["weeks"] if any(x["role"] == "race" for x in w["workouts"]))
    assert dt.date.fromisoformat(race_week["start"]) == race_day - dt.timedelta(days=6)
    last_days = [
        x for x in _runs(plan) if 0 < (race_day - dt.date.fromisoformat(x["date"])).days <= 7
    ]
    assert last_days and not [x for x in last_days if x["role"] == "long"], last_days


def test_a_sunday_race_keeps_the_athletes_weeks(tmp_path: Path) -> None:
    plan = _plan(tmp_path, race="2027-04-18")
    assert all(dt.date.fromisoformat(w["start"]).weekday() == 0 for w in plan["weeks"])


def test_a_first_week_cut_by_the_start_to_one_day_joins_the_next(tmp_path: Path) -> None:
    plan = _plan(tmp_path, race="2027-04-19")  # weeks Tue-Mon, the plan starts on a Monday
    first, second = plan["weeks"][0], plan["weeks"][1]
    assert first["start"] == "2026-10-26" and first["days"] == 8
    assert second["start"] == "2026-11-03" and second["days"] == 7
    dates = sorted(x["date"] for x in first["workouts"])
    assert dates[0] >= "2026-10-26" and dates[-1] <= "2026-11-02"
    # one week's volume over its eight days, not a sliver and then a full week's jump
    first_total = sum(x["distance_m"] for x in first["workouts"])
    second_total = sum(x["distance_m"] for x in second["workouts"])
    assert 0.8 * second_total <= first_total <= 1.1 * second_total + 1000


def test_days_next_to_a_trip_without_running_make_it_a_break(tmp_path: Path) -> None:
    # away Saturday to Sunday (9 days); no running on the Friday before or the Monday after
    away = "away:\n  - {from: 2027-01-09, to: 2027-01-17, note: Work trip}\n"
    days = "tuesday, wednesday, thursday, saturday, sunday"
    plan = _plan(tmp_path, race="2027-04-18", days=days, extra=away)
    back = [
        x
        for x in _runs(plan)
        if dt.date(2027, 1, 18) <= dt.date.fromisoformat(x["date"]) <= dt.date(2027, 1, 24)
    ]
    assert back and all(x["intensity"] != "hard" for x in back), back
    before = max(
        sum(x["distance_m"] for x in w["workouts"])
        for w in plan["weeks"]
        if w["start"] < "2027-01-04"
    )
    assert sum(x["distance_m"] for x in back) <= 0.8 * before


TRIP_10K = """\
kind: athlete
id: trip-10k
name: Anna Keller
timezone: Europe/Zurich
units: km
race: {name: City 10K, program: 10k, date: 2027-04-25}
focus: balanced
start: 2027-01-04
fitness:
  recent_race: {distance: 10km, time: "48:10", date: 2026-11-15}
  weekly_volume: 40km
  long_run: 14km
availability:
  days: [monday, tuesday, thursday, friday, sunday]
  long_run_day: sunday
away:
  - {from: 2027-02-17, to: 2027-02-28, note: Business trip}
"""


def test_a_long_run_moved_by_a_trip_keeps_days_from_last_weeks(tmp_path: Path) -> None:
    """Expert review: the Sunday long run, then the next week's long run moved by a trip
    (Wednesday on) to the Tuesday: two long runs in three days, the second with a tempo."""
    source = tmp_path / "trip-10k.yaml"
    source.write_text(TRIP_10K)
    out = tmp_path / "out"
    args = ["build", "--no-project", "-j", "1", "-q", "--out", str(out), str(source)]
    assert CliRunner().invoke(main, args).exit_code == 0
    plan = json.loads((out / "trip-10k" / "plan.json").read_text())
    longs = sorted(dt.date.fromisoformat(x["date"]) for x in _runs(plan) if x["role"] == "long")
    gaps = [(b - a).days for a, b in itertools.pairwise(longs)]
    assert min(gaps) >= 4, list(zip(longs, [0, *gaps], strict=True))
