"""intervals.json (issue 16), read back with a small parser of intervals.icu's documented workout
text (``- <cue> <time or distance> <pace>/<unit> Pace`` lines; an ``Nx`` line opens a repeat
that runs to the next blank line; ``m`` is minutes, distances are ``km`` or ``mi``) and compared
with plan.json step by step, over generated athletes (km and mi) and the hand-made plans."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

import pytest
from hypothesis import given, settings
from plan_factory import make_plan
from test_properties import SETTINGS, compile_profile, profiles

from compiler.emit import emit_json
from compiler.emit.intervals_icu import emit_intervals, time_text
from compiler.emit.watch import is_run
from compiler.model import Plan
from compiler.units import METRES_PER, Unit

STEP = re.compile(
    r"^- (?P<cue>[A-Za-z]+)(?P<effort> by effort)? (?P<amount>\S+)"
    r"(?: (?P<fast>\d+:\d\d)(?:-(?P<slow>\d+:\d\d))?/(?P<unit>km|mi) Pace)?$"
)
TIME = re.compile(r"^(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$")
DISTANCE = re.compile(r"^(\d+(?:\.\d+)?)(km|mi)$")
REPEAT = re.compile(r"^(\d+)x$")
CUES = {"warmup": "Warmup", "cooldown": "Cooldown", "recover": "Recover", "jog": "Jog"}
CUES |= {"walk": "Walk", "run": "Run"}


@dataclass(frozen=True)
class Parsed:
    cue: str
    effort: bool  # "- Run by effort 1m": run by feel, no pace target
    seconds: float | None
    metres: float | None
    pace: tuple[int, int] | None  # seconds per unit, fast and slow
    unit: str | None


def parse_step(line: str) -> Parsed:
    match = STEP.match(line)
    assert match, line
    amount = match["amount"]
    seconds = metres = None
    if (distance := DISTANCE.match(amount)) is not None:
        metres = float(distance[1]) * METRES_PER[distance[2]]
    else:
        time = TIME.match(amount)
        assert time and any(time.groups()), line
        hours, minutes, secs = (int(g or 0) for g in time.groups())
        seconds = hours * 3600 + minutes * 60 + secs
    pace = None
    if match["fast"]:
        fast = _clock(match["fast"])
        pace = (fast, _clock(match["slow"]) if match["slow"] else fast)
    return Parsed(match["cue"], bool(match["effort"]), seconds, metres, pace, match["unit"])


def _clock(text: str) -> int:
    minutes, seconds = text.split(":")
    return int(minutes) * 60 + int(seconds)


def parse(text: str) -> list[Parsed]:
    """The steps of a workout text as intervals.icu runs them: repeats written out."""
    steps: list[Parsed] = []
    block: list[Parsed] = []
    count = 0
    for line in [*text.split("\n"), ""]:
        if not line.strip():
            steps += block * count
            block, count = [], 0
        elif (repeat := REPEAT.match(line)) is not None:
            assert not block and not count, "a repeat starts after a blank line"
            count = int(repeat[1])
        elif count:
            block.append(parse_step(line))
        else:
            steps.append(parse_step(line))
    return steps


def leaves(steps: list[Mapping[str, Any]]) -> Iterator[Mapping[str, Any]]:
    for step in steps:
        if step["kind"] == "repeat":
            for _ in range(step["repeat"]):
                yield from leaves(step["steps"])
        else:
            yield step


def check_plan(plan: Plan) -> int:
    unit: Unit = plan.athlete.units
    data = json.loads(emit_json(plan))
    planned = {w["uid"]: w for week in data["weeks"] for w in week["workouts"]}
    events = json.loads(emit_intervals(plan))
    assert [e["external_id"] for e in events] == [
        w["uid"] for w in planned.values() if is_run(_workout(plan, w["uid"]))
    ]
    per = METRES_PER[unit] / 1000
    for event in events:
        workout = planned[event["external_id"]]
        assert set(event) == {
            "start_date_local", "category", "type", "name", "external_id", "description"
        }  # fmt: skip
        assert (event["category"], event["type"]) == ("WORKOUT", "Run")
        assert event["name"] == workout["title"]
        start = workout["start_time"] or "00:00"
        assert event["start_date_local"] == f"{workout['date']}T{start}:00"
        steps = parse(event["description"])
        expected = list(leaves(workout["steps"]))
        assert len(steps) == len(expected), event["description"]
        for got, step in zip(steps, expected, strict=True):
            where = f"{got} vs {step}"
            assert got.cue == CUES[step["kind"]], where
            if got.metres is not None:
                assert abs(got.metres - step["distance_m"]) <= 0.0005 * METRES_PER[unit] + 0.5
            else:
                assert got.seconds is not None and abs(got.seconds - step["duration_s"]) <= 1
            assert got.effort == step.get("effort", False), where
            if step["pace"] is None or got.effort:
                assert got.pace is None, where  # a step run by effort has no pace target
                continue
            assert got.unit == unit and got.pace is not None, where
            # the page's rounding (5 s per unit) of the exact pace, which plan.json has to 0.1 s
            for shown, exact in zip(got.pace, step["pace"].values(), strict=True):
                assert shown % 5 == 0 and abs(shown - exact * per) <= 2.5 + 0.05 * per, where
            if step["pace"]["min_s_per_km"] == step["pace"]["max_s_per_km"]:
                assert got.pace[0] == got.pace[1], where
    return len(events)


def _workout(plan: Plan, uid: str) -> Any:
    return next(w for w in plan.workouts if w.uid == uid)


@pytest.mark.parametrize("units", ["km", "mi"])
def test_factory_plans_parse_back_as_planned(units: str) -> None:
    plan = make_plan(units=units)
    assert check_plan(plan) == sum(1 for w in plan.workouts if is_run(w)) > 0


@settings(SETTINGS, max_examples=min(SETTINGS.max_examples, 25))
@given(profiles())
def test_generated_athletes_parse_back_as_planned(profile: dict[str, Any]) -> None:
    assert check_plan(compile_profile(profile).plan) > 0


def test_the_payload_is_deterministic_and_ordered() -> None:
    plan = make_plan(units="mi")
    first = emit_intervals(plan)
    assert first == emit_intervals(plan) and first.endswith(b"]\n")
    dates = [e["start_date_local"] for e in json.loads(first)]
    assert dates == sorted(dates)


@pytest.mark.parametrize(
    ("seconds", "text"), [(900, "15m"), (90, "1m30s"), (20, "20s"), (3900, "1h5m"), (3600, "1h")]
)
def test_times_in_intervals_units(seconds: float, text: str) -> None:
    assert time_text(seconds) == text
