"""A week's purpose, as plan.md and the page tell it to the athlete: worded from the plan (phase,
cutback, taper, race week, recovery, days away, key sessions), never from the solver's trace."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re

import pytest
from plan_factory import make_plan

from compiler.api import compile_plan, load_project
from compiler.emit.purpose import week_purpose
from compiler.model import Away, Plan, Week
from compiler.resources import examples_dir
from compiler.vocabulary import Role

# Words of the compiler's mechanics, which the athlete never reads in a purpose.
MECHANICS = re.compile(
    r"target|\bcap|held|lowered|dropped|replaced|peak|%|ramp|share out|most run", re.IGNORECASE
)


def with_week(plan: Plan, index: int, **changes: object) -> Plan:
    weeks = list(plan.weeks)
    weeks[index - 1] = dataclasses.replace(weeks[index - 1], **changes)  # type: ignore[arg-type]
    return dataclasses.replace(plan, weeks=tuple(weeks))


def purpose(plan: Plan, index: int) -> str:
    text = week_purpose(plan, plan.weeks[index - 1])
    assert not MECHANICS.search(text), text
    return text


def test_the_factory_plans_weeks() -> None:
    plan = make_plan()
    assert purpose(plan, 1) == (
        "Speed work begins, on top of your base: keep the other runs easy. "
        "Key sessions: 6 x 400m at 5K pace (Tue), Long run (Sun)."
    )
    assert purpose(plan, 2) == (
        "Speed work on top of your base: keep the other runs easy so the key sessions count. "
        "Key sessions: Tempo 20 min (Tue), Long run with marathon finish (Sun)."
    )
    assert purpose(plan, 3) == (
        "Race week: easy running so you arrive fresh. Good luck at Riverside Half on Sunday!"
    )


def test_race_week_names_its_sharpener() -> None:
    plan = make_plan()
    sharpener = dataclasses.replace(plan.weeks[2].workouts[0], role=Role.QUALITY, title="2 x 4min")
    plan = with_week(plan, 3, workouts=(sharpener, *plan.weeks[2].workouts[1:]))
    assert purpose(plan, 3) == (
        "Race week: easy running and a sharpener (2 x 4min) so you arrive fresh. "
        "Good luck at Riverside Half on Sunday!"
    )


def test_a_race_week_of_a_sharpener_alone_promises_no_easy_running() -> None:
    """Round 19: a beginner's race week held a sharpener and the race, and its text read "easy
    running and a sharpener"; only the week's runs before the race are told."""
    plan = make_plan()
    race_week = plan.weeks[2]
    before = [w for w in race_week.workouts if w.role != Role.RACE]
    sharpener = dataclasses.replace(before[0], role=Role.QUALITY, title="3 x 3 min")
    race = [w for w in race_week.workouts if w.role == Role.RACE]
    alone = with_week(plan, 3, workouts=(sharpener, *race))
    assert purpose(alone, 3) == (
        "Race week: a sharpener (3 x 3 min), the other days rest, so you arrive fresh. "
        "Good luck at Riverside Half on Sunday!"
    )
    assert purpose(with_week(plan, 3, workouts=tuple(race)), 3).startswith(
        "Race week: rest so you arrive fresh."
    )


def test_a_cutback_week_is_lighter_whatever_its_phase() -> None:
    plan = with_week(make_plan(), 2, cutback=True)
    assert purpose(plan, 2) == (
        "A lighter week to absorb the last weeks' work. "
        "Key sessions: Tempo 20 min (Tue), Long run with marathon finish (Sun)."
    )
    custom = with_week(plan, 2, phase="hill-block", phase_title="Hill block")
    assert purpose(custom, 2).startswith("A lighter week")
    first = with_week(make_plan(), 1, cutback=True)  # the week speed work begins in
    assert purpose(first, 1) == (
        "Speed work begins, in a lighter week: keep the other runs easy. "
        "Key sessions: 6 x 400m at 5K pace (Tue), Long run (Sun)."
    )


def test_a_week_back_from_a_break_says_so_not_that_it_absorbs_work() -> None:
    rule = "back from a break of 7 days or more, week 2: 75% of the level before (40 km)"
    plan = with_week(make_plan(), 2, cutback=True, rule=rule)
    # the week holds a tempo: not "easy running" (round 22), but back from the break still
    assert purpose(plan, 2).startswith("Back from your time away: ease back in, with the other")
    assert "absorb" not in purpose(plan, 2)
    easy_only = tuple(w for w in plan.weeks[1].workouts if w.role not in ("quality", "long"))
    easy = with_week(plan, 2, workouts=easy_only)
    assert purpose(easy, 2).startswith("Back from your time away: easy running to ease back in.")


def test_base_taper_and_a_phase_a_coach_added() -> None:
    plan = make_plan()
    easy_only = tuple(w for w in plan.weeks[1].workouts if w.role != "quality")
    base = with_week(plan, 2, phase="base", phase_title="Base", workouts=easy_only)
    assert purpose(base, 2) == (
        "Build your aerobic base with easy running; no speed work yet. "
        "Key session: Long run with marathon finish (Sun)."
    )
    taper = with_week(plan, 2, phase="taper", phase_title="Taper")
    assert purpose(taper, 2) == (
        "Taper: run less so you arrive fresh at Riverside Half; the key sessions keep you "
        "sharp. Key sessions: Tempo 20 min (Tue), Long run with marathon finish (Sun)."
    )
    custom = with_week(plan, 2, phase="hill-block", phase_title="Hill block")
    assert purpose(custom, 2) == (
        "Hill block, week 2. Key sessions: Tempo 20 min (Tue), Long run with marathon finish (Sun)."
    )
    no_key = with_week(custom, 2, workouts=tuple(w for w in easy_only if w.role != "long"))
    assert purpose(no_key, 2) == "Hill block, week 2. Easy running this week."


def _after_race(plan: Plan, phase_week: int) -> Plan:
    race_week = plan.weeks[2]
    easy = tuple(
        dataclasses.replace(w, date=w.date + dt.timedelta(weeks=1))
        for w in race_week.workouts
        if w.role == "easy"
    )
    recovery = dataclasses.replace(
        race_week,
        index=4,
        start=race_week.start + dt.timedelta(weeks=1),
        phase="recovery",
        phase_title="Recovery",
        phase_week=phase_week,
        workouts=easy,
    )
    return dataclasses.replace(plan, weeks=(*plan.weeks, recovery))


def test_recovery_after_the_race() -> None:
    assert purpose(_after_race(make_plan(), 1), 4) == (
        "Recover from Riverside Half: easy running only, no speed work and no long run."
    )
    assert purpose(_after_race(make_plan(), 2), 4) == (
        "Keep recovering: easy running only, no speed work and no long run."
    )


def _away(plan: Plan, start: dt.date, end: dt.date, note: str) -> Plan:
    athlete = dataclasses.replace(plan.athlete, away=(Away(start, end, note),))
    return dataclasses.replace(plan, athlete=athlete)


def test_days_away() -> None:
    plan = make_plan()
    week: Week = plan.weeks[1]
    tuesday = week.start + dt.timedelta(days=1)
    away = _away(plan, tuesday, tuesday + dt.timedelta(days=1), "Work trip\nto Lyon")
    assert purpose(away, 2) == (
        "A shorter week around your time away (Work trip to Lyon). "
        "Key sessions: Tempo 20 min (Tue), Long run with marathon finish (Sun)."
    )
    # a day away that is not a running day changes nothing
    monday = _away(plan, week.start, week.start, "Dentist")
    assert purpose(monday, 2) == purpose(plan, 2)
    # the whole week away, nothing planned
    gone = with_week(_away(plan, week.start, week.start + dt.timedelta(days=6), ""), 2, workouts=())
    assert purpose(gone, 2) == "Time away: nothing planned this week. Enjoy the break."
    # race week stays race week
    race_week = plan.weeks[2].start
    assert purpose(_away(plan, race_week, race_week + dt.timedelta(days=2), "x"), 3).startswith(
        "Race week"
    )


@pytest.fixture(scope="module")
def examples() -> list[Plan]:
    today = dt.date(2026, 11, 22)
    project = load_project([examples_dir()], today=today)
    assert project.ok
    return [compile_plan(bp, today) for bp in project.blueprints]


def test_every_example_week_has_a_purpose_in_plain_words(examples: list[Plan]) -> None:
    for plan in examples:
        for week in plan.weeks:
            text = purpose(plan, week.index)
            assert text.endswith((".", "!")), text
            assert 1 <= len(re.findall(r"[.!](?:\s|$)", text)) <= 3, text
            for trace in (*week.notes, week.rule):
                assert trace not in text
        race = plan.athlete.race
        if race is None:  # a training block: no race week, a normal last week, no taper
            assert not any("Good luck" in purpose(plan, w.index) for w in plan.weeks)
            assert not any("Taper" in purpose(plan, w.index) for w in plan.weeks)
            if not plan.weeks[-1].cutback:
                assert "last week of your block" in purpose(plan, plan.weeks[-1].index)
            continue
        race_weeks = [
            w for w in plan.weeks if w.start <= race.date < w.start + dt.timedelta(days=7)
        ]
        for week in race_weeks:
            assert f"Good luck at {race.name}" in purpose(plan, week.index)
