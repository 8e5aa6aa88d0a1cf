"""Race-specific long runs (review round 21, issue 11 rule 2), as properties over generated
athletes: a half marathoner's build holds long runs with blocks at half-marathon pace, never in
the taper and never in the week of the race-pace tempo (the long run's blocks stand in for it);
a week made easier shortens the goal-pace block to its least before its quality session is made
an easy run.

The coach's numbers are written here as the coach gave them, not read from the templates: a
template that dropped them would break the coach's rule, and these tests are to say so."""

from __future__ import annotations

from typing import Any

from hypothesis import example, given
from hypothesis import strategies as st
from review_athletes import R21_SEASON_HALF as A3_SEASON_HALF
from test_properties import SETTINGS, compile_profile, profiles

from compiler.model import Plan, Step, Workout

RACE_PACE_TEMPO = "race-pace-tempo"  # the half's race-specific quality session
GOAL_PACE_LONG = "long-run-race-pace"  # the marathon's race-specific long run
GOAL_PACE_LEAST_S = 20 * 60.0  # its block's least: a coach shortens it to this first
SLACK_S = 60.0  # a minute for rounding
MADE_EASY = " replaced by easy-run"  # a week's note: a session made an easy run
# ... to keep the week easy enough: 80/20, or trimmed below a threshold session's least
SOFTENED = ("at least", "less than")
CLEAR_DAYS = 14  # the last race-pace long run at least two weeks before the race
FEW_DAYS = 5  # the athletes of these rules run 5 days a week or more
# a build whose weeks reach this carries race pace in a long run; a 10 km runner built to 30 km
# weeks runs 13.5 km long runs, 45% of the week, where any race pace breaks 80/20
WEEK_FROM_M = 40_000.0


def half_marathoners() -> st.SearchStrategy[dict[str, Any]]:
    """Generated half marathoners running 5 days a week or more, with no days away."""
    return (
        profiles()
        .filter(lambda p: p["race"]["program"] == "half-marathon")
        .filter(lambda p: len(p["availability"]["days"]) >= FEW_DAYS)
        .map(lambda p: {k: v for k, v in p.items() if k != "away"})
    )


def _race_s(steps: tuple[Step, ...]) -> float:
    """Seconds of running at race pace in ``steps`` (repeats counted)."""
    total = 0.0
    for step in steps:
        if step.steps:
            total += max(step.repeat, 1) * _race_s(step.steps)
        elif step.zone == "race" and step.kind not in ("recover", "jog"):
            total += step.duration_s
    return total


def _race_pace_longs(plan: Plan) -> dict[int, Workout]:
    """Each week's long run when it holds running at race pace, by week index."""
    return {
        week.index: w
        for week in plan.weeks
        for w in week.workouts
        if w.slot == "run" and w.role == "long" and _race_s(w.steps) > 0
    }


def _tempo_weeks(plan: Plan) -> set[int]:
    """The indexes of the weeks of the build that hold the race-pace tempo."""
    return {
        week.index
        for week in plan.weeks
        if week.phase != "taper"
        and any(w.slot == "run" and w.template == RACE_PACE_TEMPO for w in week.workouts)
    }


@SETTINGS
@given(half_marathoners())
@example(A3_SEASON_HALF)
def test_a_half_build_with_race_pace_work_holds_a_race_pace_long_run(
    profile: dict[str, Any],
) -> None:
    """A half marathoner whose build reaches race-pace work (the race-pace tempo) and weeks of
    WEEK_FROM_M runs blocks at half-marathon pace inside a long run too: a balanced half had none in
    any long run (round 21, a3).  (In smaller weeks the long run is near half the week, and
    any race pace in it breaks 80/20.)"""
    plan = compile_profile(profile).plan
    biggest = max(
        (
            sum(w.distance_m for w in week.workouts if w.slot == "run")
            for week in plan.weeks
            if week.phase == "build"
        ),
        default=0.0,
    )
    assert plan.athlete.race is not None, "half marathoners race"
    race = plan.athlete.race.date
    clear = {  # the weeks whose days are all 14 or more before the race
        week.index
        for week in plan.weeks
        if all((race - w.date).days >= CLEAR_DAYS for w in week.workouts)
    }
    if _tempo_weeks(plan) & clear and biggest >= WEEK_FROM_M:
        assert _race_pace_longs(plan), sorted(_tempo_weeks(plan))


@SETTINGS
@given(half_marathoners())
@example(A3_SEASON_HALF)
def test_the_race_pace_long_run_replaces_the_tempo_and_keeps_out_of_the_taper(
    profile: dict[str, Any],
) -> None:
    """The half's race-pace long run is the week's race-pace session: no race-pace tempo
    beside it, and none in the taper's weeks nor the last 13 days before the race (the legs
    come fresh to the race)."""
    plan = compile_profile(profile).plan
    longs = _race_pace_longs(plan)
    phases = {week.index: week.phase for week in plan.weeks}
    assert not set(longs) & _tempo_weeks(plan), sorted(set(longs) & _tempo_weeks(plan))
    assert all(phases[i] != "taper" for i in longs), [(i, phases[i]) for i in longs]
    assert plan.athlete.race is not None, "half marathoners race"
    race = plan.athlete.race.date
    assert all((race - w.date).days >= CLEAR_DAYS for w in longs.values()), race


# the example season's autumn marathon: weeks 33 and 38 ran an easy run in place of the tempo
# (trimmed 25 -> 9 min, then made easy) beside 60 and 80 min at goal pace
# (examples/two-a-races.yaml)
TWO_A_RACES: dict[str, Any] = {
    "kind": "athlete",
    "id": "generated",
    "name": "Generated Athlete",
    "timezone": "Europe/Madrid",
    "units": "km",
    "races": [
        {
            "name": "Spring Half Marathon",
            "priority": "A",
            "program": "half-marathon",
            "date": "2027-03-14",
            "goal": "1:49:00",
        },
        {"name": "City 10K", "priority": "B", "program": "10k", "date": "2027-02-07"},
        {"name": "Summer 10K", "priority": "C", "distance": "10k", "date": "2027-06-12"},
        {
            "name": "Autumn Marathon",
            "priority": "A",
            "program": "marathon",
            "date": "2027-09-26",
            "goal": "3:50:00",
        },
    ],
    "focus": "balanced",
    "start": "2026-11-30",
    "fitness": {
        "recent_race": {"distance": "10km", "time": "49:30", "date": "2026-10-25"},
        "weekly_volume": "32km",
        "long_run": "13km",
    },
    "availability": {
        "days": ["monday", "tuesday", "thursday", "saturday", "sunday"],
        "long_run_day": "sunday",
    },
    "strength_per_week": 2,
}


def marathoners() -> st.SearchStrategy[dict[str, Any]]:
    """Generated marathoners running 5 days a week or more, with no days away."""
    return (
        profiles()
        .filter(lambda p: p["race"]["program"] == "marathon")
        .filter(lambda p: len(p["availability"]["days"]) >= FEW_DAYS)
        .map(lambda p: {k: v for k, v in p.items() if k != "away"})
    )


def _softened(note: str) -> bool:
    """Whether a week's note makes a session easy to keep the week easy enough."""
    return note.partition(MADE_EASY)[2].lstrip(": ").startswith(SOFTENED)


@SETTINGS
@given(marathoners())
@example(TWO_A_RACES)
def test_the_goal_pace_block_shortens_before_the_session_beside_it_goes(
    profile: dict[str, Any],
) -> None:
    """A week too hard with its goal-pace long run and its quality session shortens the long
    run's goal-pace block to its least (20 min) before the session is made an easy run: 60-80
    min at goal pace beside a tempo trimmed 25 -> 9 min, then eased, left an autumn marathon's
    build weeks with one hard day (round 21, the example season's weeks 33 and 38)."""
    plan = compile_profile(profile).plan
    for week in plan.weeks:
        longs = [w for w in week.workouts if w.slot == "run" and w.template == GOAL_PACE_LONG]
        made_easy = [n for n in week.notes if MADE_EASY in n and _softened(n)]
        if longs and made_easy:
            block = _race_s(longs[0].steps)
            assert block <= GOAL_PACE_LEAST_S + SLACK_S, (week.index, block, made_easy)
