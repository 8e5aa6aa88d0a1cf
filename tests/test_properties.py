"""Domain rules as properties over many generated athletes (hypothesis), over the range of issue 11:
every race distance, 6-40 weeks to race day (at least the program's own minimum), 2-7 available
days, km and mi, injury-prone or not, every focus, 10-120 km a week, ages 18-75 (when the athlete
schema knows `age`), a recent race dated from days to a year before the plan (or undated), and
sometimes a `max_weekly_volume` and days away.

``profiles()`` and ``compile_profile`` are shared: tests/test_coaching_rules.py and
tests/test_coach_grade.py draw their athletes here too."""

from __future__ import annotations

import atexit
import datetime as dt
import itertools
import json
import os
import shutil
import tempfile
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator

from compiler.api import compile_plan, load_project
from compiler.emit import emit_json
from compiler.model import WEEKDAYS, Blueprint, Plan
from compiler.plan.paces import race_time
from compiler.resources import schemas_dir

TODAY = dt.date(2026, 11, 22)
FIRST_MONDAY = dt.date(2026, 11, 30)
# the fewest weeks each program is generated with; the bundled program's own minimum when it asks
# for more (see program_min_weeks)
MIN_WEEKS = {"5k": 6, "10k": 6, "half-marathon": 6, "marathon": 6}
MAX_WEEKS = 40
BASE_CATEGORIES = {"easy", "long", "recovery", "strides", "strength"}
RECENT_RACES_M = (5000, 10000, 21097.5, 42195)


@dataclass(frozen=True)
class Case:
    profile: dict[str, Any]
    blueprint: Blueprint
    plan: Plan


@cache
def program_min_weeks() -> dict[str, int]:
    """The fewest weeks to race day each bundled program accepts (the engine's rule, read from the
    library so the generator follows it), never fewer than MIN_WEEKS."""
    programs = load_project([], today=TODAY).templates.programs
    return {
        name: max(least, programs[name].min_weeks if name in programs else least)
        for name, least in MIN_WEEKS.items()
    }


@cache
def athlete_keys() -> frozenset[str]:
    """The top-level keys the athlete schema accepts now (`age` arrives with issue 11)."""
    schema = json.loads((schemas_dir() / "athlete.schema.json").read_text("utf-8"))
    return frozenset(schema.get("properties", {}))


@st.composite
def profiles(draw: st.DrawFn) -> dict[str, Any]:
    program = draw(st.sampled_from(sorted(MIN_WEEKS)))
    weeks = draw(st.integers(min_value=program_min_weeks()[program], max_value=MAX_WEEKS))
    start = FIRST_MONDAY + dt.timedelta(weeks=draw(st.integers(0, 20)))
    race = start + dt.timedelta(weeks=weeks - 1, days=draw(st.integers(0, 6)))
    days = draw(st.lists(st.sampled_from(WEEKDAYS), min_size=2, max_size=7, unique=True))
    units = draw(st.sampled_from(["km", "mi"]))
    volume_km = draw(st.integers(10, 120))
    vdot = draw(st.floats(30, 65))
    recent_m = draw(st.sampled_from(RECENT_RACES_M))
    seconds = round(race_time(vdot, recent_m))
    per_unit = 1.609344 if units == "mi" else 1.0
    recent_race: dict[str, Any] = {
        "distance": f"{recent_m / 1000:g}km",
        "time": f"{seconds // 3600}:{seconds % 3600 // 60:02d}:{seconds % 60:02d}",
    }
    # days before the plan starts: recent (up to 12 weeks), older (up to a year), or undated
    days_before = draw(st.none() | st.integers(1, 84) | st.integers(85, 365))
    if days_before is not None:
        recent_race["date"] = (start - dt.timedelta(days=days_before)).isoformat()
    profile: dict[str, Any] = {
        "kind": "athlete",
        "id": "generated",
        "name": "Generated Athlete",
        "timezone": draw(st.sampled_from(["Europe/Berlin", "America/New_York", "UTC"])),
        "units": units,
        "race": {"program": program, "date": race.isoformat()},
        "focus": draw(st.sampled_from(["speed", "endurance", "balanced"])),
        "start": start.isoformat(),
        "fitness": {
            "recent_race": recent_race,
            "weekly_volume": f"{volume_km / per_unit:.1f}{units}",
            "long_run": f"{volume_km * draw(st.floats(0.2, 0.4)) / per_unit:.1f}{units}",
        },
        "injury_prone": draw(st.booleans()),
        "availability": {"days": days, "long_run_day": draw(st.sampled_from(days))},
        "strength_per_week": draw(st.integers(0, 3)),
    }
    if "age" in athlete_keys():
        age = draw(st.none() | st.integers(18, 75))
        if age is not None:
            profile["age"] = age
    if draw(st.booleans()):
        cap_km = volume_km * draw(st.floats(0.8, 2.0))
        profile["max_weekly_volume"] = f"{max(cap_km, 10.0) / per_unit:.1f}{units}"
    spans = draw(st.integers(0, 2))
    if spans:
        away = []
        for _ in range(spans):
            away_start = start + dt.timedelta(days=draw(st.integers(0, 7 * weeks - 1)))
            away_end = away_start + dt.timedelta(days=draw(st.integers(0, 6)))
            away.append({"from": away_start.isoformat(), "to": away_end.isoformat()})
        profile["away"] = away
    return profile


BLOCK_PROGRAMS = ("maintenance", "base-building")  # the bundled blocks with no race (issue 15)


@st.composite
def block_profiles(draw: st.DrawFn) -> dict[str, Any]:
    """An athlete drawn as ``profiles()`` draws one, training a block with no race instead:
    a bundled block program for 2-30 weeks, given as `weeks:` or as an `end:` date (any day
    of its last week)."""
    profile = draw(profiles())
    del profile["race"]
    weeks = draw(st.integers(2, 30))
    block: dict[str, Any] = {"program": draw(st.sampled_from(BLOCK_PROGRAMS))}
    if draw(st.booleans()):
        block["weeks"] = weeks
    else:
        start = dt.date.fromisoformat(profile["start"])
        end = start + dt.timedelta(weeks=weeks - 1, days=draw(st.integers(0, 6)))
        block["end"] = end.isoformat()
    profile["block"] = block
    last = dt.date.fromisoformat(profile["start"]) + dt.timedelta(weeks=weeks)
    profile["away"] = [  # the days away within the block
        span for span in profile.get("away", []) if dt.date.fromisoformat(span["from"]) < last
    ]
    if not profile["away"]:
        del profile["away"]
    return profile


MINOR_DISTANCES = ("5k", "10k", "half", "8km", "15km")
MINOR_PROGRAMS = ("5k", "10k", "half-marathon")
CLEAR_BEFORE_A = 10  # the bundled programs' minor_races.clear_before_a


@st.composite
def season_profiles(draw: st.DrawFn) -> dict[str, Any]:
    """An athlete drawn as ``profiles()`` draws one, with 1-3 B and C races besides the A race
    (issue 15, item 1), each on a day of the plan from its start to CLEAR_BEFORE_A + 1 days
    before the A race, none on another's day or a day away, given by `program` or by
    `distance`; the A race sometimes in `races:` too instead of `race:`."""
    profile = draw(profiles())
    start = dt.date.fromisoformat(profile["start"])
    a_day = dt.date.fromisoformat(profile["race"]["date"])
    last = (a_day - start).days - CLEAR_BEFORE_A - 1
    away = {
        dt.date.fromisoformat(s["from"]) + dt.timedelta(days=i)
        for s in profile.get("away", [])
        for i in range((dt.date.fromisoformat(s["to"]) - dt.date.fromisoformat(s["from"])).days + 1)
    }
    offsets = draw(st.lists(st.integers(0, last), min_size=1, max_size=3, unique=True))
    races: list[dict[str, Any]] = []
    for n, offset in enumerate(sorted(offsets)):
        day = start + dt.timedelta(days=offset)
        if day in away:
            continue
        race: dict[str, Any] = {
            "name": f"Race {n + 1}",
            "priority": draw(st.sampled_from(["B", "C"])),
            "date": day.isoformat(),
        }
        if draw(st.booleans()):
            race["program"] = draw(st.sampled_from(MINOR_PROGRAMS))
        else:
            race["distance"] = draw(st.sampled_from(MINOR_DISTANCES))
        races.append(race)
    if not races:  # every drawn day was away: one C race on the first day not away
        day = next(
            start + dt.timedelta(days=i)
            for i in range(last + 1)
            if start + dt.timedelta(days=i) not in away
        )
        races.append({"name": "Race", "priority": "C", "distance": "5k", "date": day.isoformat()})
    if draw(st.booleans()):  # the A race in `races:` too
        races.insert(0, {"priority": "A", **profile.pop("race")})
    profile["races"] = races
    return profile


@cache
def athletes_folder() -> Path:
    """One folder per test process for the generated athletes' files, removed when it ends:
    making and removing a folder for every example took longer (waiting on the disk) than
    loading the athlete did (issue 14).  Nothing depends on the folder's name: it was a new
    random one for every example before."""
    folder = Path(tempfile.mkdtemp(prefix="planc-athletes-"))
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    return folder


def compile_profile(profile: dict[str, Any]) -> Case:
    path = athletes_folder() / "generated.yaml"
    path.write_text(json.dumps(profile), "utf-8")  # JSON is YAML
    project = load_project([path], today=TODAY)
    assert project.ok, [d.format() for d in project.diagnostics]
    (blueprint,) = project.blueprints
    return Case(profile, blueprint, compile_plan(blueprint, TODAY))


def race_day_of(case: Case) -> dt.date:
    """The race day of a case ``profiles()`` drew: those athletes race (a block is
    ``block_profiles()``'s)."""
    race = case.blueprint.athlete.race
    assert race is not None, "profiles() draws athletes with a race"
    return race.date


@cache
def plan_schema() -> Draft202012Validator:
    return Draft202012Validator(json.loads((schemas_dir() / "plan.schema.json").read_text()))


# 60 generated athletes per property in CI; PLANC_PROPERTY_EXAMPLES=1000 for a deeper search
SETTINGS = settings(
    max_examples=int(os.environ.get("PLANC_PROPERTY_EXAMPLES", "60")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)


def blocked(case: Case, day: dt.date) -> bool:
    for span in case.profile.get("away", []):
        if dt.date.fromisoformat(span["from"]) <= day <= dt.date.fromisoformat(span["to"]):
            return True
    return False


# a week starting on Friday (the race's weekday) three days before the athlete's start: the
# run added on a listed day the week left empty (plan/room.py) went on the Friday before it
BEFORE_THE_START: dict[str, Any] = {
    "kind": "athlete",
    "id": "generated",
    "name": "Generated Athlete",
    "timezone": "Europe/Berlin",
    "units": "km",
    "race": {"program": "10k", "date": "2027-01-14"},
    "focus": "speed",
    "start": "2026-11-30",
    "fitness": {
        "recent_race": {"distance": "5km", "time": "0:30:41"},
        "weekly_volume": "10.0km",
        "long_run": "2.2km",
    },
    "injury_prone": False,
    "availability": {
        "days": ["monday", "tuesday", "wednesday", "thursday", "friday"],
        "long_run_day": "monday",
    },
    "strength_per_week": 0,
}


@SETTINGS
@given(profiles())
@example(BEFORE_THE_START)
def test_sessions_only_on_available_days_and_never_away(profile: dict[str, Any]) -> None:
    case = compile_profile(profile)
    available = {WEEKDAYS.index(d) for d in profile["availability"]["days"]}
    race_day = race_day_of(case)
    start = dt.date.fromisoformat(profile["start"])
    for workout in case.plan.workouts:
        assert workout.date >= start
        if workout.category == "race":
            assert workout.date == race_day
            continue
        assert workout.date.weekday() in available, workout
        assert not blocked(case, workout.date), workout
    assert sum(1 for w in case.plan.workouts if w.category == "race") == 1


@SETTINGS
@given(profiles())
def test_the_long_run_is_on_the_long_run_day_unless_that_day_is_away(
    profile: dict[str, Any],
) -> None:
    case = compile_profile(profile)
    long_day = WEEKDAYS.index(profile["availability"]["long_run_day"])
    for week in case.plan.weeks:
        wanted = week.start + dt.timedelta(days=(long_day - week.start.weekday()) % 7)
        for workout in week.workouts:
            if workout.role == "long":
                assert workout.date == wanted or blocked(case, wanted), (workout.date, wanted)


@SETTINGS
@given(profiles())
def test_base_weeks_have_no_speed_work_and_hard_days_are_apart(profile: dict[str, Any]) -> None:
    case = compile_profile(profile)
    hard_days = sorted(w.date for w in case.plan.workouts if w.intensity == "hard")
    for earlier, later in itertools.pairwise(hard_days):
        assert (later - earlier).days > 1, f"hard sessions on {earlier} and {later}"
    limit = 1 if profile["injury_prone"] else 3
    for week in case.plan.weeks:
        hard = [w for w in week.workouts if w.intensity == "hard" and w.category != "race"]
        assert len(hard) <= limit
        if week.phase == "base":  # a raced athlete's light session aside (test_base_quality)
            light = [w for w in week.workouts if w.template in ("light-fartlek", "light-hills")]
            assert {w.category for w in week.workouts if w not in light} <= BASE_CATEGORIES
            assert [w for w in hard if w not in light] == []
            assert len(light) <= 1


def _small_athlete_on_4_days(days: list[str]) -> dict[str, Any]:
    """A 10 km-a-week 10K runner on four days, 12 weeks to race day (the athletes
    test_volume_builds_gradually found, a generated one pinned)."""
    return {
        "kind": "athlete",
        "id": "generated",
        "name": "Generated Athlete",
        "timezone": "UTC",
        "units": "km",
        "race": {"program": "10k", "date": "2027-02-21"},
        "focus": "balanced",
        "start": FIRST_MONDAY.isoformat(),
        "fitness": {
            "recent_race": {"distance": "5km", "time": "0:25:00"},
            "weekly_volume": "10.0km",
            "long_run": "3.0km",
        },
        "injury_prone": False,
        "availability": {"days": days, "long_run_day": days[-1]},
        "strength_per_week": 1,
    }


# its Tuesday, dropped in weeks 1-3 (three runs held the week), came back in week 5 with the
# week raised to keep it (`tiny_week_over`): 10.6 km, a cutback, then 12.6 km (+19%); and week 9,
# the first with quality, was raised past the most run for it
SMALL_ON_4_DAYS = _small_athlete_on_4_days(["monday", "tuesday", "wednesday", "friday"])


@SETTINGS
@given(profiles())
@example(SMALL_ON_4_DAYS)
def test_volume_builds_gradually(profile: dict[str, Any]) -> None:
    """What the athlete runs reaches new highs by at most the ramp (10%, 5% when injury-prone,
    7%/4% in build; a small week the phase's `min_increase`, 1 km, when that is more), and
    the first week with quality sessions is never a new high (but for the program's
    `tiny_week_over`, round 18's run kept on each listed day)."""
    assert_builds_gradually(compile_profile(profile))


@SETTINGS
@given(profiles(), st.integers(10, 14), st.lists(st.sampled_from(WEEKDAYS), min_size=4, max_size=5))
def test_a_small_week_raised_to_keep_its_days_is_no_new_high_past_the_ramp(
    profile: dict[str, Any], volume_km: int, days: list[str]
) -> None:
    """A building week is raised by up to `tiny_week_over` so every listed day keeps a short
    run, but never to a new high past the ramp on what was run, nor past the most run in the
    week that brings quality sessions: a run is dropped instead, as in the weeks before (10 km
    10K runners on 4 days went from 10.6 km to a cutback and then 12.6 km)."""
    assume(profile["race"]["program"] in ("5k", "10k"))
    per_unit = 1.609344 if profile["units"] == "mi" else 1.0
    days = sorted(set(days), key=WEEKDAYS.index)
    profile = {
        **{k: v for k, v in profile.items() if k not in ("max_weekly_volume", "away")},
        "fitness": {
            **profile["fitness"],
            "weekly_volume": f"{volume_km / per_unit:.1f}{profile['units']}",
            "long_run": f"{0.3 * volume_km / per_unit:.1f}{profile['units']}",
        },
        "availability": {"days": days, "long_run_day": days[-1]},
    }
    assert_builds_gradually(compile_profile(profile))


def assert_builds_gradually(case: Case) -> None:
    """test_volume_builds_gradually's rule for one compiled athlete."""
    profile = case.profile
    ramp = 0.05 if profile["injury_prone"] else 0.10
    slack = 0.5 * (1609.344 if profile["units"] == "mi" else 1000.0)  # rounding to half units
    highest = case.blueprint.athlete.weekly_volume_m  # what the athlete already runs
    least_step = max(p.volume.min_increase_m for p in case.blueprint.phases.values())
    had_quality = False
    for week in case.plan.weeks:
        training = sum(w.distance_m for w in week.workouts if w.category != "race")
        has_quality = any(w.role == "quality" for w in week.workouts)
        if training > highest + slack:
            grown = highest + min(max(highest * ramp, least_step), highest)
            assert training <= grown + slack, (week.index, training, highest)
            # but for the `tiny_week_over` that keeps every listed day a run (round 18; the
            # raise is "no new high" for the week that brings quality, docs/templates.md)
            over = case.blueprint.program.rules.tiny_week_over_m
            new_high = training > highest + over + slack
            assert has_quality <= had_quality or not new_high, f"week {week.index}: new quality"
        highest = max(highest, training)
        had_quality = had_quality or has_quality


@SETTINGS
@given(profiles())
def test_plan_json_is_valid_and_agrees_with_the_plan(profile: dict[str, Any]) -> None:
    case = compile_profile(profile)
    data = json.loads(emit_json(case.plan))
    plan_schema().validate(data)
    assert [w["start"] for w in data["weeks"]] == sorted(w["start"] for w in data["weeks"])
    assert sum(len(w["workouts"]) for w in data["weeks"]) == len(case.plan.workouts)
    paces = data["paces"]
    order = ["repetition", "interval", "threshold", "marathon", "easy", "recovery"]
    mids = [(paces[z]["min_s_per_km"] + paces[z]["max_s_per_km"]) / 2 for z in order]
    assert mids == sorted(mids)


@SETTINGS
@given(profiles(), st.lists(st.integers(0, 23 * 4 + 3), min_size=7, max_size=7))
def test_timed_sessions_on_one_day_never_overlap(
    profile: dict[str, Any], quarters: list[int]
) -> None:
    """Issue 13 (6): with start times, a strength session on a run's day starts after the run
    ends (or, past midnight, has no time): a calendar never shows the two on top of each
    other."""
    names = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
    days = profile["availability"]["days"]
    times = {
        d: f"{q // 4:02d}:{q % 4 * 15:02d}"
        for d, q in zip(names, quarters, strict=True)
        if d in days
    }
    profile = {**profile, "availability": {**profile["availability"], "start_times": times}}
    case = compile_profile(profile)
    by_day: dict[dt.date, list[tuple[dt.datetime, dt.datetime]]] = {}
    for w in case.plan.workouts:
        if w.start_time is None:
            continue
        start = dt.datetime.combine(w.date, w.start_time)
        by_day.setdefault(w.date, []).append((start, start + dt.timedelta(seconds=w.duration_s)))
    for spans in by_day.values():
        spans.sort()
        for (_, end), (start, _) in itertools.pairwise(spans):
            assert end <= start, spans
