"""Recovery after a B or C race scaled to its distance (review round 16, defect 2) as properties
over generated athletes (``season_profiles()``): one easy day per `km_per_easy_day` raced
(Daniels: a 5K 2, a 10K 3, a half 7, a marathon 14) with no quality session, medium-long run or,
after a race of `c_long_from` or longer, long run in them (a week after a half, the plain easy
long run back); their easy runs at most `easy_after_race_max` and the run the day before a B or
C race at most `before_race_run_max`.  The reviewer's athlete is pinned as an example."""

from __future__ import annotations

import datetime as dt
from typing import Any

from hypothesis import example, given
from test_properties import SETTINGS, Case, compile_profile, season_profiles

from compiler.model import Race, Workout
from compiler.plan.minor_races import LONG_BACK_DAYS, MARATHON_M

DAY = dt.timedelta(days=1)
SLACK_S = 60  # a run's minutes are rounded to whole units: a minute over is the same run

# review round 16: a 25-min tempo two days after the C half and 11 x 400 on day 4, in a week at
# the volume cap; a 10.1 mi easy run three days after the B 5K; the standard 5 mi the day before
# the C half
SEASON_10K_MI: dict[str, Any] = {
    "kind": "athlete",
    "id": "r16-season-10k-mi",
    "name": "Marcus Bell",
    "timezone": "America/Chicago",
    "units": "mi",
    "start": "2026-12-07",
    "races": [
        {
            "name": "Lakefront 10K",
            "priority": "A",
            "program": "10k",
            "date": "2027-04-11",
            "goal": "41:30",
        },
        {"name": "Shamrock 5K", "priority": "B", "distance": "5k", "date": "2027-03-13"},
        {"name": "Frosty 4 Parkrun", "priority": "C", "distance": "5k", "date": "2027-01-23"},
        {"name": "February Half", "priority": "C", "distance": "half", "date": "2027-02-14"},
    ],
    "focus": "balanced",
    "fitness": {
        "recent_race": {"distance": "10km", "time": "43:10", "date": "2026-10-31"},
        "weekly_volume": "35mi",
        "long_run": "11mi",
    },
    "age": 38,
    "availability": {
        "days": ["monday", "tuesday", "wednesday", "thursday", "saturday", "sunday"],
        "long_run_day": "sunday",
    },
    "strength_per_week": 2,
}


def easy_days(case: Case, race: Race) -> int:
    """The easy days after ``race`` by the program's numbers, worked out here."""
    minor = case.blueprint.program.rules.minor
    days = max(1, round(race.distance_m / minor.km_per_easy_day_m))
    return max(days, minor.b_easy_after) if race.priority == "B" else days


def runs_after(case: Case, race: Race, first: int, last: int) -> list[Workout]:
    return [
        w
        for w in case.plan.workouts
        if w.slot == "run" and first <= (w.date - race.date).days <= last
    ]


@SETTINGS
@given(season_profiles())
@example(SEASON_10K_MI)
def test_no_hard_running_in_a_minor_race_s_easy_days(profile: dict[str, Any]) -> None:
    """After a B or C race, one easy day per `km_per_easy_day` raced: no quality session or
    medium-long run in them, and after a race of `c_long_from` or longer no long run but the
    plain easy long run back a week after a half (LONG_BACK_DAYS)."""
    case = compile_profile(profile)
    minor = case.blueprint.program.rules.minor
    plain_long = case.blueprint.focus.defaults.long
    for race in case.plan.athlete.other_races:
        after = runs_after(case, race, 1, easy_days(case, race))
        busy = [w for w in after if w.role in ("quality", "medium-long")]
        assert not busy, (race.priority, race.name, [(w.date, w.title) for w in busy])
        if race.distance_m < minor.c_long_from_m:
            continue
        for run in [w for w in after if w.role == "long"]:
            offset = (run.date - race.date).days
            back = offset >= LONG_BACK_DAYS and race.distance_m < MARATHON_M
            assert back and run.template == plain_long, (race.name, run.date, run.title)


@SETTINGS
@given(season_profiles())
@example(SEASON_10K_MI)
def test_runs_around_a_minor_race_keep_normal_sizes(profile: dict[str, Any]) -> None:
    """The easy days after a B or C race hold easy runs of at most `easy_after_race_max` (never
    one the week's volume makes long), the day after it `after_race_run_max`; the run the day
    before it is a short one, at most `before_race_run_max`."""
    case = compile_profile(profile)
    minor = case.blueprint.program.rules.minor
    raced = {r.date for r in case.plan.athlete.races}
    for race in case.plan.athlete.other_races:
        after = runs_after(case, race, 2, easy_days(case, race))
        easy = [w for w in after if w.role in ("easy", "recovery") and w.date not in raced]
        most = minor.easy_after_race_max_s + SLACK_S
        assert all(w.duration_s <= most for w in easy), [(w.date, w.title) for w in easy]
        before = [w for w in runs_after(case, race, -1, -1) if w.date - DAY not in raced]
        most = minor.before_race_run_max_s + SLACK_S
        assert all(w.duration_s <= most for w in before), [(w.date, w.title) for w in before]


def test_the_reviewer_s_season_recovers_from_the_c_half() -> None:
    """Round 16's athlete: the week after the C half holds no quality session and about
    `b_week_volume` of what it had planned, well under the 47 mi cap it was at."""
    case = compile_profile(SEASON_10K_MI)
    half = next(r for r in case.plan.athlete.other_races if r.name == "February Half")
    week = next(w for w in case.plan.weeks if w.holds(half.date + DAY))
    assert not [w for w in week.workouts if w.role == "quality"]
    assert week.target_m < 44 * 1609.344, week.target_m


@SETTINGS
@given(season_profiles())
@example(SEASON_10K_MI)
def test_the_texts_around_a_minor_race_say_what_the_day_is(profile: dict[str, Any]) -> None:
    """Round 16: a C race's description said "the work is done" (of a race trained through),
    and a strength session said it came "after the day's quality session" on a day whose
    session had become an easy run.  Only the A race's text says the work is done; a strength
    session says it follows the quality session only on a day of hard running."""
    case = compile_profile(profile)
    minor = {r.date for r in case.plan.athlete.other_races}
    for workout in case.plan.workouts:
        if workout.role == "race" and workout.date in minor:
            assert "the work is done" not in workout.description, workout.title
    hard = {
        w.date for w in case.plan.workouts if w.intensity == "hard" or w.role in ("quality", "race")
    }
    for workout in case.plan.workouts:
        if workout.slot == "strength" and "after the day's quality session" in workout.reason:
            assert workout.date in hard, (workout.date, workout.reason)
