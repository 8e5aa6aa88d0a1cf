"""`planc explain`: the plan's decisions in plain words, each traced to where it came from."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from compiler.api import Project, explain_athlete, load_project
from compiler.commands.explain import render_explanation
from compiler.diagnostics import UsageError
from compiler.resources import examples_dir, templates_dir

TODAY = dt.date(2026, 11, 22)


@pytest.fixture(scope="module")
def project() -> Project:
    return load_project([examples_dir()], today=TODAY)


def explain(project: Project, athlete: str, **kwargs: object) -> str:
    return render_explanation(explain_athlete(project, athlete, TODAY), **kwargs)  # type: ignore[arg-type]


def test_program_focus_and_phase_lengths_with_reasons(project: Project) -> None:
    text = explain(project, "half-marathon")
    assert "Program: half-marathon" in text
    assert re.search(r"chosen by race\.program at \S*half-marathon\.yaml:\d+", text)
    # Sam's 14 weeks are more than a solid base and the build at its maximum take: the base has
    # the spare weeks, no phase runs past its maximum (round 19)
    assert re.search(r"base +\d+ weeks: the build and the taper have their longest", text)
    assert re.search(r"build +6 weeks, the phase's maximum", text)
    assert "recovery   1 week after race day" in text
    assert "Focus: balanced" in text


def test_every_week_has_its_target_and_the_rule_that_set_it(project: Project) -> None:
    text = explain(project, "half-marathon")
    plan = explain_athlete(project, "half-marathon", TODAY).plan
    for week in plan.weeks:
        assert f"Week {week.index}, from {week.start:%a %Y-%m-%d}" in text
        assert f"  volume: {week.rule}" in text
    assert "cutback week: 25% below the week before" in text
    assert "held: the week that brings quality sessions never raises volume" in text


def test_every_workout_says_why_it_is_on_its_day_and_where_it_comes_from(project: Project) -> None:
    text = explain(project, "half-marathon")
    assert re.search(
        r"Long run .*: the long-run day \[long-run, bundled:workouts/long-run\.yaml:\d+\]", text
    )
    assert "quality session 1 of the build phase" in text
    assert "easy day after a hard day or long run" in text


def test_injury_prone_limits_and_days_away_are_explained(project: Project) -> None:
    text = explain(project, "injury-prone-marathon")
    assert "Injury-prone" in text
    assert "(every 3 weeks when injury-prone)" in text
    assert re.search(r"cut to \d+% of [\d.]+ km: \d of \d running days away", text)
    assert re.search(r"note: \w+ 2026-12-2\d: away", text)


def test_values_a_coach_overrides_say_what_they_override(project: Project) -> None:
    text = explain(project, "riley-trail")
    endurance = r"bundled:foci/endurance\.yaml"
    line = next(
        n
        for n, row in enumerate(
            (templates_dir() / "foci" / "endurance.yaml").read_text().split("\n"), 1
        )
        if row.startswith("max_runs_per_week:")
    )
    assert re.search(
        rf"max_runs_per_week\s+5\s+\(\S*coach-repo/templates/foci/trail\.yaml:\d+, "
        rf"overriding {endurance}:{line}\)",
        text,
    ), text
    assert re.search(rf"long_run_share\s+40%\s+\({endurance}:\d+\)", text)


def test_bundled_templates_are_named_briefly_a_coachs_as_given(
    project: Project, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The bundled library is ``bundled:<folder>/<file>`` wherever planc is installed or run from
    (an installed planc's library sits deep in site-packages); a coach's own template keeps its
    path, relative to the working folder."""
    monkeypatch.chdir(tmp_path)  # the bundled library is not under the working folder
    text = explain(load_project([examples_dir()], today=TODAY), "half-marathon")
    assert "Program: half-marathon (bundled:programs/half-marathon.yaml)" in text
    assert re.search(r"name +balanced +\(bundled:foci/balanced\.yaml:3\)", text), text
    assert str(templates_dir()) not in text and "templates/" not in text
    text = explain(project, "riley-trail")
    assert re.search(
        r"\(examples/coach-repo/templates/foci/trail\.yaml:\d+, overriding bundled:", text
    )


def test_one_week_or_one_day(project: Project) -> None:
    plan = explain_athlete(project, "speed-5k", TODAY).plan
    week = plan.weeks[6]
    text = explain(project, "speed-5k", week=week.index)
    assert text.count("Week ") == 1 and f"Week {week.index}, " in text
    assert "Phase base" not in text  # the template provenance is for the whole-plan view
    workout = week.workouts[0]
    text = explain(project, "speed-5k", day=workout.date)
    assert f"{workout.date:%a %Y-%m-%d}  {workout.title}" in text
    others = [w for w in week.workouts if w.date != workout.date]
    assert all(f"{w.date:%a %Y-%m-%d}  {w.title}" not in text for w in others)


def test_an_unknown_athlete_is_a_usage_error(project: Project) -> None:
    with pytest.raises(UsageError, match="no athlete 'nobody' found"):
        explain_athlete(project, "nobody", TODAY)


def test_a_day_away_names_the_trip(project: Project) -> None:
    """`--date` on a day the athlete is away says so: the trip's dates, its note and where it is
    set, not just that nothing is planned."""
    text = explain(project, "injury-prone-marathon", day=dt.date(2026, 12, 25))
    assert re.search(
        r"Fri 2026-12-25  away \(Christmas with family\), Thu 2026-12-24 to Sun 2026-12-27 "
        r"\(\S*injury-prone-marathon\.yaml:30\): nothing is planned on this day",
        text,
    ), text
    text = explain(project, "injury-prone-marathon", day=dt.date(2026, 12, 31))
    assert "Thu 2026-12-31  away (New Year's Eve), on Thu 2026-12-31 (" in text
    plan = explain_athlete(project, "injury-prone-marathon", TODAY).plan
    busy = {w.date for week in plan.weeks for w in week.workouts}
    rest = next(
        week.start + dt.timedelta(days=n)
        for week in plan.weeks[1:]
        for n in range(7)
        if week.start + dt.timedelta(days=n) not in busy
        and week.start + dt.timedelta(days=n) < dt.date(2026, 12, 20)
    )
    assert f"{rest:%a %Y-%m-%d}  rest: nothing is planned on this day" in explain(
        project, "injury-prone-marathon", day=rest
    )


def test_a_mistyped_athlete_id_gets_the_closest_ids(tmp_path: Path) -> None:
    half = (examples_dir() / "half-marathon.yaml").read_text("utf-8")
    for athlete_id in ("sam-carter", "sam-carver", "ana-lopez"):
        text = half.replace("id: half-marathon", f"id: {athlete_id}")
        (tmp_path / f"{athlete_id}.yaml").write_text(text, "utf-8")
    club = load_project([tmp_path], today=TODAY)
    assert club.ok, club.diagnostics
    with pytest.raises(UsageError) as raised:
        explain_athlete(club, "sam-carterr", TODAY)
    assert str(raised.value) == (
        "no athlete 'sam-carterr' found: did you mean 'sam-carter' or 'sam-carver'?"
    )
    with pytest.raises(UsageError, match=r"did you mean 'ana-lopez'\?$"):
        explain_athlete(club, "ana-lopes.yaml", TODAY)
    with pytest.raises(UsageError, match=r"\(athletes: ana-lopez, sam-carter, sam-carver\)$"):
        explain_athlete(club, "nobody", TODAY)


def test_a_listed_running_day_left_free_says_why(project: Project) -> None:
    """Review 18 (defect 7): a day the athlete listed for running that gets no run is named in
    the week's explanation with its reason (rest before the long run, after it, or the week's
    running fits its other days), not left for the athlete to wonder about."""
    case = explain_athlete(project, "injury-prone-marathon", TODAY)
    listed = case.blueprint.athlete.availability.days
    text = render_explanation(case)
    busy = {w.date for week in case.plan.weeks for w in week.workouts if w.slot in ("run", "race")}
    free = [
        week.start + dt.timedelta(days=n)
        for week in case.plan.weeks
        for n in range(7)
        if (week.start + dt.timedelta(days=n)).weekday() in listed
        and week.start + dt.timedelta(days=n) not in busy
        and case.blueprint.athlete.away_on(week.start + dt.timedelta(days=n)) is None
    ]
    assert free
    for day in free:
        assert re.search(rf"{day:%a %Y-%m-%d}  (rest|a rest day)[^\n]*a listed running day", text)
