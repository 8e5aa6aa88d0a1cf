"""The 80%-easy rule trims or drops one session of a build week, never all of them (planc issue
11): a marathon build week's tempo was cut 25 -> 9 min, replaced by VO2max cut to 3 reps, made
an easy run, and then the race-pace long run was made a plain long run too, leaving a build
week with no quality at all.  A coach keeps one hard element: the tempo beside a plain long
run, or the race-pace long run beside an easy mid-week run."""

from __future__ import annotations

from typing import Any

from hypothesis import example, given
from test_properties import SETTINGS, compile_profile, profiles

from compiler.model import Week
from compiler.plan.sizing import fast_seconds
from compiler.vocabulary import Category, Role

# review round 15's Dana: injury-prone, 30 mi a week, a marathon on five days (week 14)
R15_INJURY_MARATHON: dict[str, Any] = {
    "kind": "athlete",
    "id": "generated",
    "name": "Generated Athlete",
    "timezone": "America/New_York",
    "units": "mi",
    "race": {"name": "Marathon", "program": "marathon", "date": "2027-04-18", "goal": "3:55:00"},
    "focus": "balanced",
    "start": "2026-12-07",
    "fitness": {
        "recent_race": {"distance": "half", "time": "1:53:00", "date": "2026-10-18"},
        "weekly_volume": "30mi",
        "long_run": "12mi",
    },
    "injury_prone": True,
    "age": 42,
    "availability": {
        "days": ["monday", "wednesday", "thursday", "saturday", "sunday"],
        "long_run_day": "saturday",
    },
    "away": [{"from": "2027-02-10", "to": "2027-02-17", "note": "work trip"}],
    "strength_per_week": 2,
}


def _hard_elements(week: Week) -> list[str]:
    """The week's quality sessions and its long runs with a block faster than easy."""
    return [
        w.template
        for w in week.workouts
        if w.role == Role.QUALITY or (w.role == Role.LONG and fast_seconds(w) > 0)
    ]


def _planned_quality(week: Week) -> bool:
    """Whether the schedule gave the week a quality session (its reason says so, eased or not)."""
    return any("quality session" in w.reason for w in (*week.workouts, *week.skipped))


@SETTINGS
@given(profiles())
@example(profile=R15_INJURY_MARATHON)
def test_a_build_week_with_quality_keeps_one_hard_element(profile: dict[str, Any]) -> None:
    case = compile_profile(profile)
    for week in case.plan.weeks:
        if week.phase != "build" or week.cutback or not _planned_quality(week):
            continue
        if any(w.category == Category.RACE for w in week.workouts):
            continue  # a race week's race is its hard day
        if any("away" in note or "return" in note for note in week.notes):
            continue  # a week back from a break says why it is easy
        assert _hard_elements(week) or _said_why(week), (week.index, week.notes)


EASY_RULE = "of the week's running is easy"


def _said_why(week: Week) -> bool:
    """Whether the notes give the quality session's going a reason besides the 80% rule (too
    little work for a session in a small week, a volume too small to share out, one hard
    session on few running days)."""
    said = [w.reason for w in week.workouts if "made easy" in w.reason]
    said += [n for n in week.notes if "no quality session" in n or "too small to share" in n]
    return any(not text.endswith(EASY_RULE) for text in said)
