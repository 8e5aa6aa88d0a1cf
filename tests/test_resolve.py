"""Stage 3, resolve, through load_project: the checks that need more than one document.

Each test writes an athlete file (the example half-marathon profile with one thing changed) into
tmp_path/athletes and, for template problems, a coach template folder tmp_path/coach passed as
``template_dirs``.  The working directory is tmp_path, so files show as ``athletes/x.yaml``.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from click.testing import CliRunner
from diag_helpers import HALF, TODAY, at, edit, errors_in, only, project, where

from compiler.api import Project, compile_plan, explain_athlete, load_project
from compiler.cli import main
from compiler.commands.explain import render_explanation
from compiler.diagnostics import Diagnostic, Severity, sorted_diagnostics
from compiler.plan.paces import vdot
from compiler.plan.resolve import parse_time_off
from compiler.resources import examples_dir
from compiler.units import UnitError

ATHLETE = "athletes/half-marathon.yaml"


@pytest.fixture
def root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return tmp_path


def athlete(
    root: Path, old: str, new: str, *, name: str = "half-marathon.yaml"
) -> tuple[str, Project]:
    """The project of one athlete file: the example with ``old`` replaced by ``new``."""
    text = edit(HALF, old, new)
    return text, project(root, {name: text})


# Coach templates written out here, so the tests do not depend on the bundled library's wording.
COACH_EASY = """\
kind: workout
name: easy-run
category: easy
intensity: easy
title: "Coach easy run · {{ distance }}"
description: Easy running at {{ pace('easy') }}.
steps:
  - run: fill @ easy
"""

COACH_HILLS = """\
kind: workout
name: coach-hills
category: hills
intensity: hard
title: "{{ reps }} x {{ hill }} hills"
params:
  reps: {start: 6, end: 10, step: 1}
  hill: 60s
steps:
  - warmup: 15min @ easy
  - repeat: "{{ reps }}"
    steps:
      - run: "{{ hill }} @ 5k"
        note: Drive the arms up the hill.
      - jog: 90s
  - cooldown: 10min @ easy
"""

COACH_FOCUS = """\
kind: focus
name: mine
long_run_share: 25%
defaults:
  long: long-run
  easy: easy-run
  recovery: recovery-run
  strength: strength-routine
"""

COACH_PROGRAM = """\
kind: program
name: quick
title: Quick 10K
distance: 10km
phases:
  - phase: base
    weeks: 4
    min_weeks: 3
  - phase: taper
    weeks: 2
    min_weeks: 1
"""


# --------------------------------------------------------------------------- clean inputs


def test_the_example_yields_no_diagnostics_and_one_blueprint(root: Path) -> None:
    p = project(root, {"half-marathon.yaml": HALF})
    assert p.diagnostics == ()
    assert p.ok
    assert p.failed_athletes == ()
    assert p.files == (ATHLETE,)
    (blueprint,) = p.blueprints
    assert blueprint.athlete.id == "half-marathon"
    assert blueprint.athlete.timezone == "Europe/London"
    assert blueprint.athlete.race is not None
    assert blueprint.athlete.race.date == dt.date(2027, 3, 7)
    assert blueprint.athlete.start == dt.date(2026, 11, 30)
    assert blueprint.athlete.availability.long_run_day == 6  # sunday
    assert blueprint.program.name == "half-marathon"
    assert blueprint.focus.name == "balanced"
    assert set(blueprint.phases) == {p.phase for p in blueprint.program.phases}
    assert blueprint.athlete.source.file == ATHLETE


def test_every_bundled_example_is_clean() -> None:
    examples = [p for p in examples_dir().rglob("*.yaml") if "kind: athlete" in p.read_text()]
    p = load_project([examples_dir()], today=TODAY)
    assert [d.format() for d in p.diagnostics] == []
    assert len(p.blueprints) == len(examples) >= 3


# --------------------------------------------------------------------------- athlete references


def test_an_unknown_program_is_reported_at_the_value_with_did_you_mean(root: Path) -> None:
    text, p = athlete(root, "program: half-marathon", "program: half-marathn")
    d = only(p.diagnostics, "unknown-reference")
    assert where(d) == ("unknown-reference", ATHLETE, *at(text, "program: ^half-marathn"))
    assert d.message == "there is no program named 'half-marathn'"
    assert d.hint == "did you mean 'half-marathon'?"
    assert p.blueprints == ()
    assert p.failed_athletes == (ATHLETE,)


def test_an_unknown_focus_is_reported_at_the_value_with_did_you_mean(root: Path) -> None:
    text, p = athlete(root, "focus: balanced", "focus: balancd")
    d = only(p.diagnostics, "unknown-reference")
    assert where(d) == ("unknown-reference", ATHLETE, *at(text, "focus: ^balancd"))
    assert d.hint == "did you mean 'balanced'?"


def test_an_unknown_focus_with_nothing_close_lists_the_foci(root: Path) -> None:
    _, p = athlete(root, "focus: balanced", "focus: zzz")
    d = only(p.diagnostics, "unknown-reference")
    assert d.hint is not None and d.hint.startswith("valid names: ")
    assert "balanced" in d.hint and "speed" in d.hint


def test_a_program_from_the_coach_folder_can_be_referenced(root: Path) -> None:
    text = edit(HALF, "program: half-marathon", "program: quick")
    p = project(root, {"half-marathon.yaml": text}, {"programs/quick.yaml": COACH_PROGRAM})
    assert p.diagnostics == ()
    assert p.blueprints[0].program.title == "Quick 10K"


# --------------------------------------------------------------------------- athlete values


def test_a_long_run_day_that_is_not_available(root: Path) -> None:
    text, p = athlete(root, "long_run_day: sunday", "long_run_day: friday")
    d = only(p.diagnostics, "long-run-day")
    assert where(d) == ("long-run-day", ATHLETE, *at(text, "long_run_day: ^friday"))
    assert d.message == "the long-run day 'friday' is not one of the available days"
    assert d.hint == (
        "add friday to `days` or pick one of: monday, tuesday, thursday, saturday, sunday"
    )
    assert p.blueprints == ()


def test_a_misspelt_timezone_is_reported_at_the_value_with_did_you_mean(root: Path) -> None:
    text, p = athlete(root, "timezone: Europe/London", "timezone: Europe/Londn")
    d = only(p.diagnostics, "bad-timezone")
    assert where(d) == ("bad-timezone", ATHLETE, *at(text, "timezone: ^Europe/Londn"))
    assert d.message == "unknown time zone 'Europe/Londn'"
    assert d.hint == "did you mean 'Europe/London'?"


def test_a_timezone_abbreviation_is_not_a_timezone(root: Path) -> None:
    text, p = athlete(root, "timezone: Europe/London", "timezone: Mars/Olympus")
    d = only(p.diagnostics, "bad-timezone")
    assert (d.line, d.column) == at(text, "timezone: ^Mars")
    assert d.hint == "use an IANA time zone name, e.g. Europe/Berlin or America/New_York"


def test_a_city_alone_suggests_its_time_zone(root: Path) -> None:
    _, p = athlete(root, "timezone: Europe/London", "timezone: london")
    assert only(p.diagnostics, "bad-timezone").hint == "did you mean 'Europe/London'?"


def test_a_start_time_on_a_day_off_is_a_warning(root: Path) -> None:
    text, p = athlete(
        root,
        "  long_run_day: sunday\n",
        "  long_run_day: sunday\n  start_times:\n    friday: '07:00'\n",
    )
    d = only(p.diagnostics, "unused-start-time")
    assert d.severity is Severity.WARNING
    assert (d.file, d.line, d.column) == (ATHLETE, *at(text, "friday: ^'07:00'"))
    assert p.ok and len(p.blueprints) == 1  # a warning does not stop the athlete


def test_an_away_period_that_ends_before_it_starts(root: Path) -> None:
    text, p = athlete(
        root,
        "strength_per_week: 2\n",
        "strength_per_week: 2\naway:\n  - from: 2027-01-10\n    to: 2027-01-05\n",
    )
    d = only(p.diagnostics, "bad-date")
    assert (d.file, d.line, d.column) == (ATHLETE, *at(text, "to: ^2027-01-05"))
    assert d.message == "`to` is before `from`"


# --------------------------------------------------------------------------- race dates


def test_a_race_before_the_plan_starts(root: Path) -> None:
    text, p = athlete(root, "date: 2027-03-07", "date: 2026-11-15")
    d = only(p.diagnostics, "race-too-soon")
    assert where(d) == ("race-too-soon", ATHLETE, *at(text, "date: ^2026-11-15"))
    assert d.message == "race day 2026-11-15 is before the plan starts (2026-11-30)"


def quick(root: Path, race_date: str) -> tuple[str, Project]:
    text = edit(HALF, "program: half-marathon", "program: quick")
    text = edit(text, "date: 2027-03-07", f"date: {race_date}")
    return text, project(root, {"half-marathon.yaml": text}, {"programs/quick.yaml": COACH_PROGRAM})


def test_a_race_too_soon_for_the_program_says_the_earliest_date(root: Path) -> None:
    # quick needs 3 + 1 weeks before race day; the plan starts on Monday 2026-11-30
    text, p = quick(root, "2026-12-13")
    d = only(p.diagnostics, "race-too-soon")
    assert where(d) == ("race-too-soon", ATHLETE, *at(text, "date: ^2026-12-13"))
    assert d.message == (
        "the Quick 10K program needs at least 4 weeks, but race day is in week 2 of the plan"
    )
    assert d.hint is not None
    assert d.hint.startswith("the earliest race date that works is ")
    assert d.hint.endswith(" (a plan starting 2026-11-30)")
    assert p.blueprints == ()


def test_the_hinted_earliest_race_date_works(root: Path) -> None:
    _, p = quick(root, "2026-12-13")
    hint = only(p.diagnostics, "race-too-soon").hint
    assert hint is not None
    hinted = hint.split(" is ")[1].split()[0]
    _, again = quick(root, hinted)  # the same files, with the hinted race date
    assert again.diagnostics == ()


def test_the_hinted_earliest_race_date_is_the_earliest(root: Path) -> None:
    _, p = quick(root, "2026-12-13")
    assert only(p.diagnostics, "race-too-soon").hint == (
        "the earliest race date that works is 2026-12-21 (a plan starting 2026-11-30)"
    )


def test_a_race_on_the_first_day_of_the_first_week_that_works_is_accepted(root: Path) -> None:
    _, p = quick(root, "2026-12-21")
    assert p.diagnostics == ()
    assert len(p.blueprints) == 1


def test_a_race_in_the_week_before_is_too_soon(root: Path) -> None:
    _, p = quick(root, "2026-12-20")
    assert "week 3 of the plan" in only(p.diagnostics, "race-too-soon").message


# --------------------------------------------------------------------------- impossible fitness


def test_a_recent_race_in_no_time_is_impossible(root: Path) -> None:
    text, p = athlete(root, 'time: "52:30"', 'time: "0:00"')
    d = only(p.diagnostics, "impossible-value")
    assert where(d) == ("impossible-value", ATHLETE, *at(text, 'time: ^"0:00"'))
    assert d.message.startswith("the recent race is not possible: ")
    assert d.hint == "check the distance and the time (mm:ss or h:mm:ss)"
    assert p.blueprints == ()


def test_a_superhuman_recent_race_is_impossible(root: Path) -> None:
    text, p = athlete(root, 'time: "52:30"', 'time: "5:30"')
    d = only(p.diagnostics, "impossible-value")
    assert (d.line, d.column) == at(text, 'time: ^"5:30"')


def test_a_long_run_longer_than_the_week_is_impossible(root: Path) -> None:
    text, p = athlete(root, "weekly_volume: 30km", "weekly_volume: 10km")
    d = only(p.diagnostics, "impossible-value")
    assert (d.file, d.line, d.column) == (ATHLETE, *at(text, "long_run: ^12km"))
    assert d.message == "the current long run is longer than the whole weekly volume"


# --------------------------------------------------------------------------- fitness over time
# The example: a 10 km in 52:30 (VDOT 37.8) on 2026-10-18; the plan starts Monday 2026-11-30.

RACE_DATE = "    date: 2026-10-18\n"


def with_time_off(root: Path, time_off: str) -> tuple[str, Project]:
    return athlete(root, RACE_DATE, f"{RACE_DATE}  time_off: {time_off}\n")


def test_the_profile_reads_the_race_date_time_off_and_age(root: Path) -> None:
    text = edit(HALF, RACE_DATE, f"{RACE_DATE}  time_off: 10days\n")
    text = edit(text, "injury_prone: false\n", "injury_prone: false\nage: 54\n")
    p = project(root, {"half-marathon.yaml": text})
    a = p.blueprints[0].athlete
    assert a.recent_race.date == dt.date(2026, 10, 18)
    assert a.time_off_weeks == pytest.approx(10 / 7)
    assert a.age == 54
    plain = project(root, {"half-marathon.yaml": HALF}).blueprints[0].athlete
    assert (plain.time_off_weeks, plain.age) == (0.0, None)


@pytest.mark.parametrize(
    ("written", "weeks"),
    [("3weeks", 3.0), ("1week", 1.0), ("10days", 10 / 7), ("1day", 1 / 7), ("2 weeks", 2.0),
     ("1.5weeks", 1.5), ("0days", 0.0)],
)  # fmt: skip
def test_time_off_is_days_or_weeks(written: str, weeks: float) -> None:
    assert parse_time_off(written) == pytest.approx(weeks)


@pytest.mark.parametrize(
    "written", ["3", "3w", "3 wks", "weeks", "-2weeks", "1month", "3weeks ago"]
)
def test_time_off_that_is_not_days_or_weeks_is_a_bad_value(root: Path, written: str) -> None:
    text, p = with_time_off(root, f"'{written}'")
    assert [d.code for d in p.diagnostics] in (["bad-value"], ["bad-type"])
    assert (p.diagnostics[0].line, p.diagnostics[0].column) == at(text, f"time_off: ^'{written}'")
    with pytest.raises(UnitError):
        parse_time_off(written)


def test_a_recent_race_within_26_weeks_is_not_stale(root: Path) -> None:
    _, p = athlete(root, RACE_DATE, "    date: 2026-06-01\n")  # 26 weeks before 2026-11-30
    assert p.diagnostics == ()


def test_a_recent_race_older_than_26_weeks_is_stale_fitness(root: Path) -> None:
    text, p = athlete(root, RACE_DATE, "    date: 2025-11-10\n")  # 55 weeks before the start
    d = only(p.diagnostics, "stale-fitness")
    assert d.severity is Severity.WARNING
    assert where(d) == ("stale-fitness", ATHLETE, *at(text, "date: ^2025-11-10"))
    assert d.message == (
        "the recent race (2025-11-10) was run 55 weeks before the plan starts, too long ago to "
        "trust: paces use VDOT 32.6, 13.7% below the race's 37.8 (as after 7.2 weeks off)"
    )
    assert d.hint == "run a time trial or a race and update fitness.recent_race and its `date`"
    assert p.ok and len(p.blueprints) == 1  # a warning: the plan is still built


def test_a_race_just_past_26_weeks_is_stale_but_not_yet_reduced(root: Path) -> None:
    _, p = athlete(root, RACE_DATE, "    date: 2026-05-25\n")  # 27 weeks
    d = only(p.diagnostics, "stale-fitness")
    assert d.message.endswith("too long ago to trust: its VDOT 37.8 may no longer be current")


def test_time_off_reduces_fitness_with_a_warning_at_the_note(root: Path) -> None:
    text, p = with_time_off(root, "4weeks")
    d = only(p.diagnostics, "stale-fitness")
    assert where(d) == ("stale-fitness", ATHLETE, *at(text, "time_off: ^4weeks"))
    assert d.message == (
        "after 4 weeks without running: paces use VDOT 35.2, 6.9% below the race's 37.8"
    )
    assert d.hint is not None and "time trial" in d.hint


def test_five_days_off_cost_nothing_and_say_nothing(root: Path) -> None:
    _, p = with_time_off(root, "5days")
    assert p.diagnostics == ()


def test_stale_fitness_slows_the_plans_paces(root: Path) -> None:
    fresh = compile_plan(project(root, {"half-marathon.yaml": HALF}).blueprints[0], TODAY)
    _, p = with_time_off(root, "6weeks")
    rested = compile_plan(p.blueprints[0], TODAY)
    assert fresh.paces.vdot == 37.8
    assert rested.paces.vdot == round(vdot(10000, 52 * 60 + 30) * 0.889, 1)
    assert rested.paces.zones["easy"].slow > fresh.paces.zones["easy"].slow
    assert rested.paces.zones["threshold"].mid > fresh.paces.zones["threshold"].mid


def test_explain_shows_the_race_vdot_the_reduction_and_why(root: Path) -> None:
    _, p = with_time_off(root, "6weeks")
    text = render_explanation(explain_athlete(p, "half-marathon", TODAY))
    line = next(row for row in text.splitlines() if row.startswith("Paces: "))
    assert line == (
        "Paces: VDOT 33.6 from 10 km in 52:30 (athletes/half-marathon.yaml:19): the race's VDOT "
        "37.8 less 11.1% (Daniels' time-off table) for 6 weeks without running since the race "
        "(athletes/half-marathon.yaml:22)"
    )
    _, p = athlete(root, RACE_DATE, "    date: 2025-11-10\n")
    text = render_explanation(explain_athlete(p, "half-marathon", TODAY))
    assert (
        "less 13.7% (Daniels' time-off table) for a race 55 weeks before the plan starts, " in text
    )
    assert "counted as 7.2 weeks without running (athletes/half-marathon.yaml:21)" in text


def test_explain_says_nothing_of_fresh_fitness(root: Path) -> None:
    p = project(root, {"half-marathon.yaml": HALF})
    text = render_explanation(explain_athlete(p, "half-marathon", TODAY))
    line = next(row for row in text.splitlines() if row.startswith("Paces: "))
    assert line == "Paces: VDOT 37.8 from 10 km in 52:30 (athletes/half-marathon.yaml:19)"


def test_a_recent_race_in_the_future_is_an_error(root: Path) -> None:
    text, p = athlete(root, RACE_DATE, "    date: 2027-10-18\n")
    d = only(p.diagnostics, "recent-race-in-future")
    assert d.severity is Severity.ERROR
    assert where(d) == ("recent-race-in-future", ATHLETE, *at(text, "date: ^2027-10-18"))
    assert d.message == (
        "the recent race is dated 2027-10-18, in the future: today is 2026-11-01 and the plan "
        "starts 2026-11-30"
    )
    assert p.blueprints == ()


def test_a_recent_race_after_today_but_before_the_plan_starts_is_accepted(root: Path) -> None:
    # today is 2026-11-01: a race run before a plan that starts later is fine
    _, p = athlete(root, RACE_DATE, "    date: 2026-11-15\n")
    assert p.diagnostics == ()


def test_a_recent_race_after_the_start_of_a_plan_under_way_is_accepted(root: Path) -> None:
    # the plan started 2026-11-30; on 2027-01-20 the athlete records a race run 2027-01-10
    text = edit(HALF, RACE_DATE, "    date: 2027-01-10\n")
    p = project(root, {"half-marathon.yaml": text}, today=dt.date(2027, 1, 20))
    assert p.diagnostics == ()


def test_a_recent_race_date_outside_the_plannable_years(root: Path) -> None:
    _, p = athlete(root, RACE_DATE, "    date: 1850-10-18\n")
    assert only(p.diagnostics, "bad-date").message.startswith("1850-10-18 is not a date planc")


def test_a_goal_slower_than_easy_pace_is_a_warning(root: Path) -> None:
    text, p = athlete(root, "  date: 2027-03-07\n", '  date: 2027-03-07\n  goal: "2:40:00"\n')
    d = only(p.diagnostics, "goal-too-slow")
    assert d.severity is Severity.WARNING
    assert where(d) == ("goal-too-slow", ATHLETE, *at(text, 'goal: ^"2:40:00"'))
    assert d.message == (
        "the goal 2:40:00 for the Spring Half Marathon (7:35/km) is slower than your easy pace "
        "(6:55/km at its slowest)"
    )
    assert d.hint == (
        "a goal is a race effort: your fitness (VDOT 37.8) is worth about 1:56:25; check the "
        "time (h:mm:ss), or leave `goal` out to race at that pace"
    )
    assert p.ok


def test_a_goal_far_beyond_the_fitness_is_a_warning(root: Path) -> None:
    # VDOT 37.8 predicts 1:56:25 for the half; 1.5 points more would run 1:52:37
    text, p = athlete(root, "  date: 2027-03-07\n", '  date: 2027-03-07\n  goal: "1:52:00"\n')
    d = only(p.diagnostics, "goal-ambitious")
    assert d.severity is Severity.WARNING
    assert where(d) == ("goal-ambitious", ATHLETE, *at(text, 'goal: ^"1:52:00"'))
    # the goal's pace to the second (1:52:00 is 5:18.5/km), not rounded to 5 s as 5:20
    assert "(5:19/km) is 4% faster than your fitness (VDOT 37.8) predicts (1:56:25)" in d.message
    # the pace the plan trains at: the reachable 5:20, held below threshold for an hour race,
    # and the time it runs, which the hint aims for too (round 11: the hint said the
    # reachable 1:52:37 while the sessions trained for 1:54:17)
    assert "so they train for 1:54:17 (5:25/km)" in d.message
    assert d.hint is not None and d.hint.startswith("aim for 1:54:17 or slower")
    _, p = athlete(root, "  date: 2027-03-07\n", '  date: 2027-03-07\n  goal: "1:53:00"\n')
    assert p.diagnostics == ()


def test_a_gentle_goal_within_easy_pace_is_accepted(root: Path) -> None:
    # 2:20:00 is 6:38/km, inside the easy range 6:15-6:55/km: slow for the athlete, not nonsense
    _, p = athlete(root, "  date: 2027-03-07\n", '  date: 2027-03-07\n  goal: "2:20:00"\n')
    assert p.diagnostics == ()


def test_the_goal_is_weighed_against_current_not_past_fitness(root: Path) -> None:
    # 2:28:00 is slower than easy for VDOT 37.8, not for the 30.2 left after 72 days off
    goal = '  date: 2027-03-07\n  goal: "2:28:00"\n'
    text = edit(HALF, "  date: 2027-03-07\n", goal)
    p = project(root, {"half-marathon.yaml": text})
    assert [d.code for d in p.diagnostics] == ["goal-too-slow"]
    p = project(
        root, {"half-marathon.yaml": edit(text, RACE_DATE, f"{RACE_DATE}  time_off: 11weeks\n")}
    )
    assert [d.code for d in p.diagnostics] == ["stale-fitness"]


# --------------------------------------------------------------------------- several athletes


def test_the_same_id_in_two_athlete_files(root: Path) -> None:
    p = project(root, {"a.yaml": HALF, "b.yaml": HALF})
    d = only(p.diagnostics, "duplicate-id")
    assert where(d) == ("duplicate-id", "athletes/b.yaml", *at(HALF, "id: ^half-marathon"))
    assert d.message == "athlete id 'half-marathon' is also used by athletes/a.yaml"
    assert d.hint is not None and "its own id" in d.hint
    assert [b.athlete.source.file for b in p.blueprints] == ["athletes/a.yaml"]
    assert p.failed_athletes == ("athletes/b.yaml",)


def test_several_problems_in_several_files_are_reported_in_one_run_sorted(root: Path) -> None:
    a = edit(
        edit(HALF, "timezone: Europe/London", "timezone: Europe/Londn"),
        "long_run_day: sunday",
        "long_run_day: friday",
    )
    b = edit(edit(HALF, "id: half-marathon", "id: b"), "units: km", "unit: km")
    c = edit(HALF, "units: km\n", "units: km\nunits: mi\n")
    easy = edit(COACH_EASY, "{{ distance }}", "{{ distanse }}")
    # written in an order that is not the sorted one
    p = project(
        root,
        {"c.yaml": c, "a.yaml": a, "b.yaml": b},
        {"workouts/easy-run.yaml": easy},
    )
    found = [(d.code, d.file, d.line, d.column) for d in p.diagnostics]
    assert found == [
        ("bad-timezone", "athletes/a.yaml", *at(a, "timezone: ^Europe/Londn")),
        ("long-run-day", "athletes/a.yaml", *at(a, "long_run_day: ^friday")),
        ("missing-key", "athletes/b.yaml", *at(b, "^kind: athlete")),
        ("unknown-key", "athletes/b.yaml", *at(b, "^unit: km")),
        ("yaml-duplicate-key", "athletes/c.yaml", *at(c, "^units: mi")),
        ("jinja-undefined", "coach/workouts/easy-run.yaml", *at(easy, 'title: ^"Coach')),
    ]
    assert list(p.diagnostics) == sorted_diagnostics(p.diagnostics)
    assert set(p.failed_athletes) == {"athletes/a.yaml", "athletes/b.yaml", "athletes/c.yaml"}
    assert not p.ok


# --------------------------------------------------------------------------- coach templates


def test_a_coach_template_takes_precedence_over_the_bundled_one(root: Path) -> None:
    p = project(root, {"half-marathon.yaml": HALF}, {"workouts/easy-run.yaml": COACH_EASY})
    assert p.diagnostics == ()
    (blueprint,) = p.blueprints
    easy = blueprint.workouts["easy-run"]
    assert easy.title == "Coach easy run · {{ distance }}"
    assert easy.source.file == "coach/workouts/easy-run.yaml"
    document = p.library.get("workout", "easy-run")
    assert document is not None and document.path == "coach/workouts/easy-run.yaml"
    # everything else still comes from the bundled library
    assert blueprint.workouts["long-run"].source.file == "bundled:workouts/long-run.yaml"


def test_a_template_among_the_athlete_paths_takes_precedence_too(root: Path) -> None:
    p = project(root, {"half-marathon.yaml": HALF, "workouts/easy-run.yaml": COACH_EASY})
    assert p.diagnostics == ()
    assert p.blueprints[0].workouts["easy-run"].source.file == "athletes/workouts/easy-run.yaml"


def test_the_first_of_two_coach_folders_wins(root: Path) -> None:
    (root / "athletes").mkdir()
    (root / "athletes" / "half-marathon.yaml").write_text(HALF, "utf-8")
    for folder in ("first", "second"):
        (root / folder).mkdir()
        text = edit(COACH_EASY, "Coach easy run", f"{folder} easy run")
        (root / folder / "easy-run.yaml").write_text(text, "utf-8")
    p = load_project([Path("athletes")], template_dirs=[Path("first"), Path("second")], today=TODAY)
    assert p.diagnostics == ()
    assert p.blueprints[0].workouts["easy-run"].title.startswith("first easy run")


def test_the_same_name_twice_in_one_coach_folder(root: Path) -> None:
    p = project(
        root,
        {"half-marathon.yaml": HALF},
        {"workouts/easy-run.yaml": COACH_EASY, "workouts/more/easy-run.yaml": COACH_EASY},
    )
    d = only(p.diagnostics, "duplicate-name")
    assert where(d) == ("duplicate-name", "coach/workouts/more/easy-run.yaml", 2, 7)
    assert d.message == "a workout named 'easy-run' is also defined in coach/workouts/easy-run.yaml"


def test_an_athlete_is_not_compiled_against_the_bundled_template_its_coach_broke(
    root: Path,
) -> None:
    broken = edit(COACH_EASY, "intensity: easy", "intensity: eazy")
    p = project(root, {"half-marathon.yaml": HALF}, {"workouts/easy-run.yaml": broken})
    only(p.diagnostics, "bad-value")
    assert p.blueprints == ()


def test_an_athlete_whose_focus_uses_a_broken_workout_is_not_compiled(root: Path) -> None:
    broken = edit(
        edit(COACH_EASY, "name: easy-run", "name: my-easy"), "intensity: easy", "intensity: eazy"
    )
    focus = edit(COACH_FOCUS, "easy: easy-run", "easy: my-easy")
    p = project(
        root,
        {"half-marathon.yaml": edit(HALF, "focus: balanced", "focus: mine")},
        {"workouts/my-easy.yaml": broken, "foci/mine.yaml": focus},
    )
    assert [d.file for d in p.diagnostics] == ["coach/workouts/my-easy.yaml"]
    assert p.blueprints == ()


def test_a_template_named_unlike_its_file(root: Path) -> None:
    text = edit(COACH_EASY, "name: easy-run", "name: easy-runn")
    p = project(root, {"half-marathon.yaml": HALF}, {"workouts/easy-run.yaml": text})
    d = only(p.diagnostics, "name-mismatch")
    file = "coach/workouts/easy-run.yaml"
    assert where(d) == ("name-mismatch", file, *at(text, "name: ^easy-runn"))
    assert d.message == "the workout is named 'easy-runn' but its file is 'easy-run.yaml'"
    assert d.hint == "rename the file to 'easy-runn.yaml' or set `name: easy-run`"


def test_jinja_syntax_error_in_a_title(root: Path) -> None:
    text = edit(COACH_EASY, "{{ distance }}", "{{ distance }")
    p = project(root, {"half-marathon.yaml": HALF}, {"workouts/easy-run.yaml": text})
    d = only(p.diagnostics, "jinja-syntax")
    assert where(d) == ("jinja-syntax", "coach/workouts/easy-run.yaml", *at(text, 'title: ^"'))
    assert d.message.startswith("Jinja syntax error: ")
    assert d.hint == "check the {{ }} and {% %} pairs"


def test_jinja_undefined_variable_in_a_title_with_did_you_mean(root: Path) -> None:
    text = edit(COACH_EASY, "{{ distance }}", "{{ distanse }}")
    p = project(root, {"half-marathon.yaml": HALF}, {"workouts/easy-run.yaml": text})
    d = only(p.diagnostics, "jinja-undefined")
    assert where(d) == ("jinja-undefined", "coach/workouts/easy-run.yaml", *at(text, 'title: ^"'))
    assert d.message == "'distanse' is undefined"
    assert d.hint == "did you mean 'distance'?"


def test_jinja_undefined_parameter_in_a_step(root: Path) -> None:
    text = edit(COACH_HILLS, '"{{ hill }} @ 5k"', '"{{ hil }} @ 5k"')
    p = project(root, {"half-marathon.yaml": HALF}, {"workouts/coach-hills.yaml": text})
    d = only(p.diagnostics, "jinja-undefined")
    assert where(d) == ("jinja-undefined", "coach/workouts/coach-hills.yaml", *at(text, "run: ^"))
    assert d.hint == "did you mean 'hill'?"


def test_jinja_undefined_in_a_step_note(root: Path) -> None:
    text = edit(COACH_HILLS, "note: Drive the arms up the hill.", "note: Up {{ hil }} hills.")
    p = project(root, {"half-marathon.yaml": HALF}, {"workouts/coach-hills.yaml": text})
    d = only(p.diagnostics, "jinja-undefined")
    assert (d.line, d.column) == at(text, "note: ^Up")


def test_an_unknown_pace_zone_in_jinja(root: Path) -> None:
    text = edit(COACH_EASY, "pace('easy')", "pace('eazy')")
    p = project(root, {"half-marathon.yaml": HALF}, {"workouts/easy-run.yaml": text})
    d = only(p.diagnostics, "jinja-error")
    assert (d.line, d.column) == at(text, "description: ^Easy")
    assert "unknown pace zone 'eazy'" in d.message


def test_jinja_error_in_a_block_scalar_is_reported_on_its_line(root: Path) -> None:
    text = edit(
        COACH_EASY,
        "description: Easy running at {{ pace('easy') }}.\n",
        "description: |\n  Easy running.\n  Keep it at {{ pace('easy') }.\n",
    )
    p = project(root, {"half-marathon.yaml": HALF}, {"workouts/easy-run.yaml": text})
    d = only(p.diagnostics, "jinja-syntax")
    assert d.line == at(text, "^  Keep it")[0]


def test_a_repeat_count_out_of_range(root: Path) -> None:
    text = edit(COACH_HILLS, 'repeat: "{{ reps }}"', 'repeat: "{{ reps * 100 }}"')
    p = project(root, {"half-marathon.yaml": HALF}, {"workouts/coach-hills.yaml": text})
    d = only(p.diagnostics, "bad-step")
    assert (d.line, d.column) == at(text, "repeat: ^")
    assert d.message == "repeat count 600 must be between 1 and 100"


def test_a_repeat_count_that_is_not_a_number_says_so(root: Path) -> None:
    text = edit(COACH_HILLS, 'repeat: "{{ reps }}"', 'repeat: "{{ hill }}"')
    p = project(root, {"half-marathon.yaml": HALF}, {"workouts/coach-hills.yaml": text})
    d = only(p.diagnostics, "bad-step")
    assert "int()" not in d.message and "60s" in d.message


def test_a_workout_with_two_fill_steps(root: Path) -> None:
    text = edit(COACH_EASY, "  - run: fill @ easy\n", "  - run: fill @ easy\n  - jog: fill\n")
    p = project(root, {"half-marathon.yaml": HALF}, {"workouts/easy-run.yaml": text})
    d = only(p.diagnostics, "bad-step")
    assert where(d) == ("bad-step", "coach/workouts/easy-run.yaml", *at(text, "jog: ^fill"))
    assert d.message == "a workout may have only one `fill` step"
    assert d.hint == "give the other steps a fixed distance or duration"


def test_two_fill_steps_inside_a_repeat(root: Path) -> None:
    text = edit(COACH_HILLS, "      - jog: 90s\n", "      - jog: fill\n")
    text = edit(text, "  - cooldown: 10min @ easy\n", "  - cooldown: fill @ easy\n")
    p = project(root, {"half-marathon.yaml": HALF}, {"workouts/coach-hills.yaml": text})
    d = only(p.diagnostics, "bad-step")
    assert (d.line, d.column) == at(text, "cooldown: ^fill")


def test_a_focus_workout_not_allowed_in_a_phase(root: Path) -> None:
    # the taper has a quality session but no hill work
    focus = COACH_FOCUS + "phases:\n  taper:\n    quality: [coach-hills]\n"
    p = project(
        root,
        {"half-marathon.yaml": edit(HALF, "focus: balanced", "focus: mine")},
        {"workouts/coach-hills.yaml": COACH_HILLS, "foci/mine.yaml": focus},
    )
    d = only(p.diagnostics, "category-not-allowed")
    assert where(d) == ("category-not-allowed", "coach/foci/mine.yaml", *at(focus, "[^coach-hills"))
    assert d.message == "'coach-hills' is a hills workout, which the taper phase does not allow"
    assert d.hint is not None and d.hint.startswith("taper allows: ")
    assert "hills" not in d.hint.split(": ")[1].split(", ")


def default_easy_hills(root: Path) -> tuple[str, list[Diagnostic]]:
    focus = edit(COACH_FOCUS, "  easy: easy-run\n", "  easy: coach-hills\n")
    p = project(
        root,
        {"half-marathon.yaml": HALF},
        {"workouts/coach-hills.yaml": COACH_HILLS, "foci/mine.yaml": focus},
    )
    return focus, [d for d in p.diagnostics if d.code == "category-not-allowed"]


def test_a_default_workout_not_allowed_in_a_phase(root: Path) -> None:
    _, found = default_easy_hills(root)
    assert found, "hills as the easy run must be refused in the base phase at least"
    assert {d.file for d in found} == {"coach/foci/mine.yaml"}
    (d,) = found  # one error for the one place that names it, listing every phase
    assert d.message.startswith("'coach-hills' is a hills workout, which the base, ")
    assert d.message.endswith(" phases do not allow")
    assert "base allows: easy, intervals, long, recovery, rest, strength, strides" in (d.hint or "")


def test_a_default_workout_not_allowed_in_a_phase_is_reported_where_it_is_named(
    root: Path,
) -> None:
    focus, found = default_easy_hills(root)
    assert {(d.line, d.column) for d in found} == {at(focus, "easy: ^coach-hills")}


def test_a_focus_referring_to_an_unknown_workout(root: Path) -> None:
    focus = edit(COACH_FOCUS, "recovery: recovery-run", "recovery: recovery-rn")
    p = project(root, {"half-marathon.yaml": HALF}, {"foci/mine.yaml": focus})
    d = only(p.diagnostics, "unknown-reference")
    assert where(d) == ("unknown-reference", "coach/foci/mine.yaml", *at(focus, "recovery: ^rec"))
    assert d.message == "there is no workout named 'recovery-rn'"
    assert d.hint == "did you mean 'recovery-run'?"


def test_a_misspelt_long_run_workout_is_one_error(root: Path) -> None:
    focus = edit(COACH_FOCUS, "long: long-run", "long: long-runn")
    p = project(root, {"half-marathon.yaml": HALF}, {"foci/mine.yaml": focus})
    assert [d.code for d in errors_in(p, "coach/foci/mine.yaml")] == ["unknown-reference"]


def test_a_focus_naming_an_unknown_phase(root: Path) -> None:
    focus = COACH_FOCUS + "phases:\n  tapr:\n    easy: easy-run\n"
    p = project(root, {"half-marathon.yaml": HALF}, {"foci/mine.yaml": focus})
    d = only(p.diagnostics, "unknown-reference")
    assert where(d) == ("unknown-reference", "coach/foci/mine.yaml", *at(focus, "^tapr"))
    assert d.message == "there is no phase named 'tapr'"
    assert d.hint == "did you mean 'taper'?"


def test_a_program_naming_an_unknown_phase(root: Path) -> None:
    program = edit(COACH_PROGRAM, "phase: taper", "phase: tapre")
    p = project(root, {"half-marathon.yaml": HALF}, {"programs/quick.yaml": program})
    d = only(p.diagnostics, "unknown-reference")
    assert where(d) == ("unknown-reference", "coach/programs/quick.yaml", *at(program, "^tapre"))
    assert d.hint == "did you mean 'taper'?"


def test_a_template_problem_does_not_hide_athlete_problems(root: Path) -> None:
    easy = edit(COACH_EASY, "{{ distance }}", "{{ distance }")
    text = edit(HALF, "long_run_day: sunday", "long_run_day: friday")
    p = project(root, {"half-marathon.yaml": text}, {"workouts/easy-run.yaml": easy})
    assert [d.code for d in p.diagnostics] == ["long-run-day", "jinja-syntax"]


# --------------------------------------------------------------------------- the command line


def run_cli(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    return result.exit_code, result.output


def test_cli_check_reports_a_typo_as_file_line_column_and_exits_1(root: Path) -> None:
    text = edit(HALF, "timezone: Europe/London", "timezon: Europe/London")
    (root / "half-marathon.yaml").write_text(text, "utf-8")
    code, output = run_cli("check", "half-marathon.yaml", "--today", "2026-11-01")
    line, column = at(text, "^timezon:")
    assert code == 1, output
    assert (
        f"half-marathon.yaml:{line}:{column}: error[unknown-key]: unknown key 'timezon'\n"
        f" {line} | timezon: Europe/London\n"
        "   | ^~~~~~~\n"
        "  = hint: did you mean 'timezone'?\n"
    ) in output


def test_cli_check_on_a_missing_path_exits_2(root: Path) -> None:
    code, output = run_cli("check", "no-such-file.yaml")
    assert code == 2, output
    assert "no such file or folder: no-such-file.yaml" in output
    assert "Traceback" not in output


def test_cli_check_on_the_bundled_examples_exits_0() -> None:
    code, output = run_cli("check", str(examples_dir()), "--today", "2026-11-01")
    assert code == 0, output
    assert "error[" not in output and "warning[" not in output
    assert "ok: " in output


def test_cli_check_without_paths_checks_the_bundled_examples() -> None:
    code, output = run_cli("check", "--today", "2026-11-01")
    assert code == 0, output
    count = sum("kind: athlete" in p.read_text() for p in examples_dir().rglob("*.yaml"))
    assert f"{count} athletes" in output


def test_cli_check_with_a_coach_folder(root: Path) -> None:
    (root / "athletes").mkdir()
    (root / "athletes" / "half-marathon.yaml").write_text(HALF, "utf-8")
    (root / "coach").mkdir()
    easy = edit(COACH_EASY, "{{ distance }}", "{{ distanse }}")
    (root / "coach" / "easy-run.yaml").write_text(easy, "utf-8")
    code, output = run_cli("check", "athletes", "--templates", "coach", "--today", "2026-11-01")
    line, column = at(easy, 'title: ^"')
    assert code == 1, output
    assert f"coach/easy-run.yaml:{line}:{column}: error[jinja-undefined]:" in output
    assert "hint: did you mean 'distance'?" in output


def test_an_undefined_variable_in_a_branch_not_taken_is_still_found(root: Path) -> None:
    """Found statically: the sample values at check time never take the `else` branch."""
    text = edit(
        COACH_EASY,
        "description: Easy running at {{ pace('easy') }}.\n",
        "description: \"{% if week > 0 %}Easy{% else %}{{ pase('easy') }}{% endif %}\"\n",
    )
    p = project(root, {"half-marathon.yaml": HALF}, {"workouts/easy-run.yaml": text})
    d = only(p.diagnostics, "jinja-undefined")
    assert d.message == "'pase' is undefined"
    assert d.hint == "did you mean 'pace'?"
    assert (d.line, d.column) == at(text, 'description: ^"{%')


def test_a_step_no_session_could_have_is_impossible(root: Path) -> None:
    text = edit(COACH_EASY, "  - run: fill @ easy\n", "  - run: fill @ easy\n  - jog: 400km\n")
    p = project(root, {"half-marathon.yaml": HALF}, {"workouts/easy-run.yaml": text})
    d = only(p.diagnostics, "bad-step")
    assert d.message == "'400km' is not a distance one step can have (0 to 100 km)"
    assert (d.line, d.column) == at(text, "jog: ^400km")


# ------------------------------------------------------------------ volume the days cannot hold


def test_a_long_run_below_the_average_run_of_the_week_is_raised_with_a_warning(
    root: Path,
) -> None:
    # 30 km on five days has a run of at least 6 km: a 3 km "long run" cannot be right
    text, p = athlete(root, "  long_run: 12km\n", "  long_run: 3km\n")
    d = only(p.diagnostics, "long-run-too-short")
    assert d.severity is Severity.WARNING
    assert where(d) == ("long-run-too-short", ATHLETE, *at(text, "long_run: ^3km"))
    assert "at least 6 km a run" in d.message
    assert p.ok
    assert p.blueprints[0].athlete.long_run_m == pytest.approx(6000)


def test_a_weekly_volume_the_days_cannot_hold_is_a_warning(root: Path) -> None:
    # 100 km on two days would need 50 km runs
    text = edit(HALF, "  weekly_volume: 30km\n", "  weekly_volume: 100km\n")
    text = edit(text, "  long_run: 12km\n", "  long_run: 30km\n")
    text = edit(
        text,
        "  days: [monday, tuesday, thursday, saturday, sunday]\n",
        "  days: [thursday, sunday]\n",
    )
    p = project(root, {"half-marathon.yaml": text})
    d = only(p.diagnostics, "volume-exceeds-days")
    assert d.severity is Severity.WARNING
    assert d.message.startswith("100 km a week does not fit on 2 running days")
    assert where(d)[2] == text.splitlines().index("  days: [thursday, sunday]") + 1
    assert p.ok


def test_a_maximum_above_the_derived_peak_is_a_warning_and_the_default_holds(
    root: Path,
) -> None:
    # 30 km now: planc builds to at most 51 km (170%) by default; 90 km is a coach's call
    text = edit(HALF, "  long_run: 12km\n", "  long_run: 12km\nmax_weekly_volume: 90km\n")
    p = project(root, {"half-marathon.yaml": text})
    d = only(p.diagnostics, "max-volume-above-default")
    assert "(51 km: 170%, or +20 km)" in d.message
    assert p.ok
    plan = compile_plan(p.blueprints[0], TODAY)
    assert max(w.planned_m for w in plan.weeks) <= 51_000 * 1.05


def test_a_race_the_long_run_cannot_reach_is_a_warning_with_an_honest_date(root: Path) -> None:
    """Issue 11: a half marathon five weeks after a plan whose athlete runs 5 km long runs gets
    a warning; the plan it builds indeed stays far short of the target, and a race on the
    hinted date gives no warning."""
    short = edit(HALF, "  date: 2027-03-07\n", "  date: 2027-01-17\n")
    text = edit(short, "long_run: 12km", "long_run: 5km")
    p = project(root, {"half-marathon.yaml": text})
    d = only(p.diagnostics, "race-underprepared")
    assert d.severity is Severity.WARNING and p.ok
    assert where(d) == ("race-underprepared", ATHLETE, *at(text, "  date: ^2027-01-17"))
    blueprint = p.blueprints[0]
    longest = max(w.distance_m for w in compile_plan(blueprint, TODAY).workouts if w.role == "long")
    assert longest < 0.6 * blueprint.program.rules.long_run_target_m
    assert d.hint is not None
    hinted = d.hint.split("on or after ")[1].split(" ")[0]
    later = project(root, {"half-marathon.yaml": text.replace("2027-01-17", hinted)})
    assert not [x for x in later.diagnostics if x.code == "race-underprepared"]


# --------------------------------------------------------------------------- nonsense together


def test_a_race_in_the_past_names_the_date_and_today(root: Path) -> None:
    """A plan whose race is already run and would start after it: an error at the race date
    naming both dates, and no race-too-soon or race-too-far on top of it."""
    text = edit(HALF, "start: 2026-11-30", "start: 2026-12-07")
    text = edit(text, "date: 2027-03-07", "date: 2026-10-04")
    p = project(root, {"half-marathon.yaml": text})
    d = only(p.diagnostics, "race-in-past")
    assert where(d) == ("race-in-past", ATHLETE, *at(text, "date: ^2026-10-04"))
    assert d.severity is Severity.ERROR
    assert d.message == f"race day 2026-10-04 is in the past: today is {TODAY}"
    assert [x.code for x in p.diagnostics if x.severity is Severity.ERROR] == ["race-in-past"]
    assert p.blueprints == ()


def test_a_season_already_run_is_built_as_it_was_with_a_warning(root: Path) -> None:
    """A start date before a race that is past: the season the athlete ran, kept so that their
    page and feed stay as they had them (a club's weekly rebuild must not fail for it)."""
    text = edit(HALF, "start: 2026-11-30", "start: 2026-06-01")
    text = edit(text, "date: 2027-03-07", "date: 2026-10-04")
    p = project(root, {"half-marathon.yaml": text})
    d = only(p.diagnostics, "race-in-past")
    assert d.severity is Severity.WARNING
    assert d.message.startswith(f"race day 2026-10-04 is in the past: today is {TODAY}")
    assert not [x for x in p.diagnostics if x.severity is Severity.ERROR]
    assert len(p.blueprints) == 1


def test_a_race_today_is_not_in_the_past(root: Path) -> None:
    """Today is not the past: a race today is only too soon for a plan starting next week."""
    _, p = athlete(root, "date: 2027-03-07", f"date: {TODAY.isoformat()}")
    assert {d.code for d in p.diagnostics} == {"race-too-soon"}


def test_one_running_day_for_an_athlete_who_runs_five_is_one_warning(root: Path) -> None:
    """50 km with a 12 km long run is at least five runs a week: one day is a slip in `days`.
    The warning is at `days`, and the long-run and volume warnings of the same cause are held
    back."""
    text = edit(HALF, "  weekly_volume: 30km\n", "  weekly_volume: 50km\n")
    text = edit(
        text,
        "  days: [monday, tuesday, thursday, saturday, sunday]\n",
        "  days: [sunday]\n",
    )
    p = project(root, {"half-marathon.yaml": text})
    assert [d.code for d in p.diagnostics] == ["too-few-days"]
    d = p.diagnostics[0]
    assert where(d) == ("too-few-days", ATHLETE, *at(text, "days: ^[sunday]"))
    assert "at least 5 runs" in d.message and "every run would be 50 km" in d.message
    assert d.hint is not None and "they run at least 5 now" in d.hint
    assert p.ok


def test_a_long_run_too_short_for_any_week_blames_the_long_run_not_the_days(
    root: Path,
) -> None:
    """30 km with a 3 km long run would be ten runs a week: the long run is the slip."""
    _, p = athlete(root, "  long_run: 12km\n", "  long_run: 3km\n")
    assert [d.code for d in p.diagnostics] == ["long-run-too-short"]


def test_a_maximum_below_the_current_volume_is_a_warning(root: Path) -> None:
    text, p = athlete(root, "  long_run: 12km\n", "  long_run: 12km\nmax_weekly_volume: 20km\n")
    d = only(p.diagnostics, "max-volume-below-current")
    assert d.severity is Severity.WARNING
    assert where(d) == ("max-volume-below-current", ATHLETE, *at(text, "max_weekly_volume: ^20"))
    assert "below what the athlete runs now (30 km a week)" in d.message
    assert "max-volume-above-default" not in {x.code for x in p.diagnostics}
    plan = compile_plan(p.blueprints[0], TODAY)
    assert plan.weeks[0].planned_m <= 20_000  # cut back from the first week, as it says


def test_grow_to_of_another_kind_is_reported_at_it(root: Path) -> None:
    text = edit(COACH_HILLS, "  hill: 60s\n", "  hill: {start: 60s, grow_to: 400m}\n")
    p = project(root, {"half-marathon.yaml": HALF}, {"workouts/coach-hills.yaml": text})
    d = only(p.diagnostics, "bad-value")
    assert where(d) == ("bad-value", "coach/workouts/coach-hills.yaml", *at(text, "grow_to: ^400m"))
    assert "must be a duration" in d.message
    assert "same kind of value" in (d.hint or "")


def test_a_session_grown_past_what_one_session_holds_is_reported(root: Path) -> None:
    text = edit(COACH_HILLS, "  hill: 60s\n", "  hill: {start: 60s, grow_to: 3h}\n")
    p = project(root, {"half-marathon.yaml": HALF}, {"workouts/coach-hills.yaml": text})
    assert any(
        d.code == "bad-step" and "more than one session holds" in d.message for d in p.diagnostics
    ), [d.message for d in p.diagnostics]


@pytest.mark.parametrize(
    ("name", "written"),
    [
        ("half", "21.0975km"),
        ("5k", "5km"),
        ("10k", "10km"),
        ("half-marathon", "21.0975km"),
    ],
)
def test_a_recent_race_may_be_named_by_its_race(root: Path, name: str, written: str) -> None:
    by_name = project(
        root, {"half-marathon.yaml": edit(HALF, "distance: 10km", f"distance: {name}")}
    )
    by_distance = project(
        root, {"half-marathon.yaml": edit(HALF, "distance: 10km", f"distance: {written}")}
    )
    assert not [d for d in by_name.diagnostics if d.severity is Severity.ERROR]
    assert (
        by_name.blueprints[0].athlete.recent_race == by_distance.blueprints[0].athlete.recent_race
    )


def test_a_recent_race_of_no_known_name_says_what_is_accepted(root: Path) -> None:
    text = edit(HALF, "distance: 10km", "distance: halfmarathon")
    d = only(project(root, {"half-marathon.yaml": text}).diagnostics, "bad-value")
    assert (d.line, d.column) == at(text, "distance: ^halfmarathon")
    assert "half" in (d.hint or "") and "13.1mi" in (d.hint or "")
