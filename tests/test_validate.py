"""Stage 2, validate: JSON-Schema problems reported at the exact key or value, with a hint.

Athlete inputs are the example half-marathon profile with one thing changed per test; template
inputs are small workouts, phases, foci and programs written out here.
"""

from __future__ import annotations

import pytest
from diag_helpers import HALF, at, edit, load_ok, only, where

from compiler.diagnostics import Diagnostic, Severity
from compiler.sources.load import load_text
from compiler.sources.validate import KINDS, validate_document

FILE = "half-marathon.yaml"


def check(text: str, display: str = FILE) -> list[Diagnostic]:
    return validate_document(load_text(text, display))


def check_half(old: str, new: str) -> tuple[str, list[Diagnostic]]:
    """Validate the example with one change; returns the changed text and its diagnostics."""
    text = edit(HALF, old, new)
    return text, check(text)


WORKOUT = """\
kind: workout
name: hills
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
        note: Drive the arms.
      - jog: 90s
  - cooldown: 10min @ easy
"""

PHASE = """\
kind: phase
name: base
volume:
  progression: ramp
  max_increase: 10%
allowed_categories: [easy, long, strides]
week:
  quality_sessions: 0
"""

FOCUS = """\
kind: focus
name: mine
long_run_share: 25%
defaults:
  long: long-run
  easy: easy-run
phases:
  build:
    quality: [tempo-run]
"""

PROGRAM = """\
kind: program
name: quick
distance: 10km
phases:
  - phase: base
    weeks: 4
  - phase: taper
    weeks: 1
"""


# --------------------------------------------------------------------------- clean inputs


@pytest.mark.parametrize("text", [HALF, WORKOUT, PHASE, FOCUS, PROGRAM])
def test_valid_documents_have_no_problems(text: str) -> None:
    assert check(text) == []


# --------------------------------------------------------------------------- unknown keys


def test_an_unknown_top_level_key_is_reported_at_the_key_with_did_you_mean() -> None:
    text, found = check_half("timezone: Europe/London", "timezon: Europe/London")
    d = only(found, "unknown-key")
    assert where(d) == ("unknown-key", FILE, *at(text, "^timezon:"))
    assert d.message == "unknown key 'timezon'"
    assert d.hint == "did you mean 'timezone'?"
    assert d.severity is Severity.ERROR


def test_an_unknown_nested_key_is_reported_at_the_key_with_did_you_mean() -> None:
    text, found = check_half("  long_run_day: sunday", "  long_run_dya: sunday")
    d = only(found, "unknown-key")
    assert where(d) == ("unknown-key", FILE, *at(text, "  ^long_run_dya"))
    assert d.hint == "did you mean 'long_run_day'?"


def test_an_unknown_key_with_nothing_close_lists_the_allowed_keys() -> None:
    text, found = check_half("    date: 2026-10-18\n", "    date: 2026-10-18\n    place: 3\n")
    d = only(found, "unknown-key")
    assert where(d) == ("unknown-key", FILE, *at(text, "^place: 3"))
    assert d.hint == "allowed keys here: date, distance, time"


def test_every_unknown_key_is_reported() -> None:
    text = edit(HALF, "injury_prone: false\n", "injury_prone: false\ncolour: red\nshoe: x\n")
    found = [d for d in check(text) if d.code == "unknown-key"]
    assert [(d.message, d.line, d.column) for d in found] == [
        ("unknown key 'colour'", *at(text, "^colour")),
        ("unknown key 'shoe'", *at(text, "^shoe")),
    ]


def test_a_misspelt_step_kind_is_an_unknown_key_with_did_you_mean() -> None:
    text = edit(WORKOUT, "  - cooldown: 10min", "  - cooldwn: 10min")
    found = check(text, "hills.yaml")
    d = only(found, "unknown-key")
    assert where(d) == ("unknown-key", "hills.yaml", *at(text, "^cooldwn"))
    assert d.hint == "did you mean 'cooldown'?"
    assert [x.code for x in found] == ["unknown-key"]  # not also "a step needs an action"


# --------------------------------------------------------------------------- enums


def test_a_misspelt_unit_is_reported_at_the_value_with_did_you_mean() -> None:
    text, found = check_half("units: km", "units: kms")
    d = only(found, "bad-value")
    assert where(d) == ("bad-value", FILE, *at(text, "units: ^kms"))
    assert d.message == "'kms' is not a valid value for 'units'"
    assert d.hint == "did you mean 'km'?"


def test_a_unit_with_nothing_close_lists_the_valid_ones() -> None:
    _, found = check_half("units: km", "units: furlongs")
    assert only(found, "bad-value").hint == "valid names: km, mi"


def test_a_misspelt_weekday_is_reported_at_the_value_with_did_you_mean() -> None:
    text, found = check_half("long_run_day: sunday", "long_run_day: sundy")
    d = only(found, "bad-value")
    assert where(d) == ("bad-value", FILE, *at(text, "long_run_day: ^sundy"))
    assert d.message == "'sundy' is not a valid value for 'long_run_day'"
    assert d.hint == "did you mean 'sunday'?"


def test_a_capitalised_weekday_suggests_the_lowercase_one() -> None:
    _, found = check_half("week_start: monday", "week_start: Monday")
    assert only(found, "bad-value").hint == "did you mean 'monday'?"


def test_a_misspelt_weekday_in_a_list_is_reported_at_the_item() -> None:
    text, found = check_half("days: [monday, tuesday, thursday", "days: [monday, tuesdy, thursday")
    d = only(found, "bad-value")
    assert where(d) == ("bad-value", FILE, *at(text, "^tuesdy"))
    assert d.message == "'tuesdy' is not a valid value for 'days'"
    assert d.hint == "did you mean 'tuesday'?"


def test_a_misspelt_start_time_day_is_reported_with_did_you_mean() -> None:
    text, found = check_half(
        "  long_run_day: sunday\n", "  long_run_day: sunday\n  start_times:\n    mondy: '07:00'\n"
    )
    d = only(found, "bad-value")
    assert where(d) == ("bad-value", FILE, *at(text, "^mondy"))
    assert d.hint == "did you mean 'monday'?"


def test_a_misspelt_second_start_time_day_is_reported_at_its_own_key() -> None:
    text, found = check_half(
        "  long_run_day: sunday\n",
        "  long_run_day: sunday\n  start_times:\n    monday: '07:00'\n    sundy: '08:00'\n",
    )
    d = only(found, "bad-value")
    assert (d.line, d.column) == at(text, "^sundy")


def test_a_misspelt_category_and_intensity_suggest_the_right_ones() -> None:
    text = edit(
        edit(WORKOUT, "category: hills", "category: hill"), "intensity: hard", "intensity: hrd"
    )
    found = check(text, "hills.yaml")
    assert [(d.code, d.line, d.column, d.hint) for d in found] == [
        ("bad-value", *at(text, "category: ^hill"), "did you mean 'hills'?"),
        ("bad-value", *at(text, "intensity: ^hrd"), "did you mean 'hard'?"),
    ]


def test_a_misspelt_progression_in_a_phase() -> None:
    text = edit(PHASE, "progression: ramp", "progression: rmap")
    d = only(check(text, "base.yaml"), "bad-value")
    assert where(d) == ("bad-value", "base.yaml", *at(text, "progression: ^rmap"))
    assert d.hint == "did you mean 'ramp'?"


# --------------------------------------------------------------------------- missing keys


def test_a_missing_nested_key_is_reported_at_the_parent_key() -> None:
    text, found = check_half("  date: 2027-03-07\n", "")
    d = only(found, "missing-key")
    assert where(d) == ("missing-key", FILE, *at(text, "\n^race:"))
    assert d.message == "'race' is missing the required key 'date'"
    assert d.hint == "add `date:` (Race day.)"


def test_a_missing_deeply_nested_key_is_reported_at_its_parent_key() -> None:
    text, found = check_half('    time: "52:30"\n', "")
    d = only(found, "missing-key")
    assert where(d) == ("missing-key", FILE, *at(text, "  ^recent_race:"))
    assert d.message == "'recent_race' is missing the required key 'time'"
    assert d.hint is not None and d.hint.startswith("add `time:`")


def test_a_missing_top_level_key_is_reported_at_the_first_key() -> None:
    """Line 1 of a profile is usually the editor modeline: point at the first key instead."""
    text, found = check_half("name: Sam Carter\n", "")
    d = only(found, "missing-key")
    assert where(d) == ("missing-key", FILE, *at(text, "^kind: athlete"))
    assert d.message == "the document is missing the required key 'name'"
    assert d.hint == "add `name:` (The athlete's name.)"


def test_every_missing_key_is_reported() -> None:
    found = check("kind: workout\nname: x\n", "x.yaml")
    missing = {d.message.split("'")[-2] for d in found if d.code == "missing-key"}
    assert missing == {"category", "intensity", "title"}
    assert {(d.line, d.column) for d in found} == {(1, 1)}


def test_each_missing_key_is_reported_once() -> None:
    found = check("kind: workout\nname: x\n", "x.yaml")
    assert len(found) == 3, "\n".join(d.format() for d in found)


def test_a_repeat_without_steps_is_reported_at_the_step() -> None:
    text = edit(WORKOUT, "  - cooldown: 10min @ easy\n", "  - repeat: 3\n")
    d = only(check(text, "hills.yaml"), "bad-step")
    assert (d.line, d.column) == at(text, "  - ^repeat: 3")
    assert "steps" in d.message and "repeat" in d.message


# --------------------------------------------------------------------------- formats and patterns


def test_an_impossible_date_is_reported_at_the_value() -> None:
    text, found = check_half("date: 2027-03-07", "date: 2027-02-30")
    d = only(found, "bad-date")
    assert where(d) == ("bad-date", FILE, *at(text, "date: ^2027-02-30"))
    assert d.message == "'2027-02-30' is not a real date"
    assert d.hint == "write a calendar date as YYYY-MM-DD, e.g. 2027-03-07"


def test_a_date_in_another_format_is_reported_at_the_value() -> None:
    text, found = check_half("start: 2026-11-30", "start: 30/11/2026")
    assert found, "a date in the wrong format must be an error"
    assert {(d.line, d.column) for d in found} == {at(text, "start: ^30/11/2026")}
    assert "bad-date" in {d.code for d in found}


def test_a_misspelt_distance_unit_is_reported_at_the_value() -> None:
    text, found = check_half("distance: 10km", "distance: 10kmm")
    d = only(found, "bad-value")
    assert where(d) == ("bad-value", FILE, *at(text, "distance: ^10kmm"))
    assert d.message == "'10kmm' is not a valid value for 'distance'"
    assert (
        d.hint
        == "The race distance with its unit (`10km`, `13.1mi`) or the race (`half`, `marathon`)."
    )


def test_a_distance_without_a_unit_is_reported() -> None:
    text, found = check_half("weekly_volume: 30km", "weekly_volume: 30")
    d = only(found, "bad-type")  # a number, where text like `30km` is wanted
    assert (d.line, d.column) == at(text, "weekly_volume: ^30")
    assert d.message == "30 has no unit: 'weekly_volume' needs one"
    assert d.hint is not None and "30km" in d.hint


@pytest.mark.parametrize(
    ("old", "new", "hint"),
    [
        ("long_run_share: 25%", "long_run_share: 25", "write it with its unit: `25%`"),
        ("max_increase: 10%", "max_increase: 10", "write it with its unit: `10%`"),
    ],
)
def test_a_share_without_its_percent_sign_shows_the_one_way_to_write_it(
    old: str, new: str, hint: str
) -> None:
    """A unit with one spelling is shown on its own, not as '  or `25%`' after an empty first
    example (the hint once joined the units before the last one, and there were none)."""
    document = FOCUS if old.startswith("long_run") else PHASE
    d = only(check(edit(document, old, new), "mine.yaml"), "bad-type")
    assert d.hint == hint


def test_a_bad_step_target_is_reported_at_the_value() -> None:
    text = edit(WORKOUT, "cooldown: 10min @ easy", "cooldown: 10min @ esay")
    d = only(check(text, "hills.yaml"), "bad-value")
    assert (d.line, d.column) == at(text, "cooldown: ^10min @ esay")
    assert d.message.endswith(": unknown pace zone 'esay'")
    assert d.hint == "did you mean 'easy'?"


def test_an_id_that_is_not_a_slug() -> None:
    text, found = check_half("id: half-marathon", "id: Half Marathon")
    d = only(found, "bad-value")
    assert (d.line, d.column) == at(text, "id: ^Half")
    assert d.hint is not None and "lowercase letters, digits and hyphens" in d.hint


# --------------------------------------------------------------------------- types and ranges


def test_a_wrong_type_is_reported_at_the_value() -> None:
    text, found = check_half("injury_prone: false", "injury_prone: maybe")
    d = only(found, "bad-type")
    assert where(d) == ("bad-type", FILE, *at(text, "injury_prone: ^maybe"))
    assert d.message == "'injury_prone' must be true or false, not 'maybe'"
    assert d.hint == "Ramp more slowly and do less intensity."


def test_text_where_a_mapping_is_wanted() -> None:
    old = "race:\n  name: Spring Half Marathon\n  program: half-marathon\n  date: 2027-03-07\n"
    text, found = check_half(old, "race: spring half\n")
    d = only(found, "bad-type")
    assert (d.line, d.column) == at(text, "race: ^spring")
    assert d.message == "'race' must be a mapping of keys to values, not 'spring half'"


def test_an_empty_value_is_reported_on_its_own_line() -> None:
    old = "race:\n  name: Spring Half Marathon\n  program: half-marathon\n  date: 2027-03-07\n"
    text, found = check_half(old, "race:\n")
    d = only(found, "bad-type")
    assert d.message == "'race' must be a mapping of keys to values, not an empty value"
    assert d.line == at(text, "\n^race:")[0]


def test_a_word_where_a_whole_number_is_wanted() -> None:
    text, found = check_half("strength_per_week: 2", "strength_per_week: two")
    d = only(found, "bad-type")
    assert (d.line, d.column) == at(text, "strength_per_week: ^two")
    assert d.message == "'strength_per_week' must be a whole number, not 'two'"


@pytest.mark.parametrize(
    ("value", "bound"), [("9", "it must be at most 4"), ("-1", "it must be at least 0")]
)
def test_an_out_of_range_integer_is_reported_at_the_value(value: str, bound: str) -> None:
    text, found = check_half("strength_per_week: 2", f"strength_per_week: {value}")
    d = only(found, "out-of-range")
    assert where(d) == ("out-of-range", FILE, *at(text, f"strength_per_week: ^{value}"))
    assert d.message == f"'strength_per_week' is {value}; {bound}"
    assert d.hint == "Strength sessions per week (default 2)."


def test_an_out_of_range_integer_in_a_template() -> None:
    text = edit(PHASE, "quality_sessions: 0", "quality_sessions: 5")
    d = only(check(text, "base.yaml"), "out-of-range")
    assert (d.line, d.column) == at(text, "quality_sessions: ^5")
    assert d.message == "'quality_sessions' is 5; it must be at most 3"


def test_an_empty_day_list() -> None:
    text, found = check_half("days: [monday, tuesday, thursday, saturday, sunday]", "days: []")
    d = only(found, "bad-value")
    assert (d.line, d.column) == at(text, "days: ^[]")


# --------------------------------------------------------------------------- steps


def test_a_step_with_two_actions_names_both() -> None:
    text = edit(WORKOUT, "  - warmup: 15min @ easy\n", "  - warmup: 15min @ easy\n    run: 1km\n")
    d = only(check(text, "hills.yaml"), "bad-step")
    assert where(d) == ("bad-step", "hills.yaml", *at(text, "  - ^warmup"))
    assert d.message == "a step has exactly one action, this one has warmup, run"
    assert d.hint == "use one of: warmup, run, recover, walk, jog, cooldown, repeat, exercise"


def test_a_nested_step_with_two_actions_is_reported_at_that_step() -> None:
    text = edit(WORKOUT, "      - jog: 90s\n", "      - jog: 90s\n        walk: 1min\n")
    d = only(check(text, "hills.yaml"), "bad-step")
    assert (d.line, d.column) == at(text, "      - ^jog: 90s")
    assert d.message == "a step has exactly one action, this one has walk, jog"


def test_a_step_without_an_action() -> None:
    text = edit(WORKOUT, "  - warmup: 15min @ easy\n", "  - note: just a note\n")
    d = only(check(text, "hills.yaml"), "bad-step")
    assert (d.line, d.column) == at(text, "  - ^note")
    assert d.message == "a step needs an action"


# --------------------------------------------------------------------------- kinds


def test_an_unknown_kind_with_did_you_mean() -> None:
    text, found = check_half("kind: athlete", "kind: athelete")
    assert [where(d) for d in found] == [("unknown-kind", FILE, *at(text, "kind: ^athelete"))]
    assert found[0].message == "unknown kind 'athelete'"
    assert found[0].hint == "did you mean 'athlete'?"


def test_an_unknown_kind_with_nothing_close_lists_the_kinds() -> None:
    _, found = check_half("kind: athlete", "kind: plan")
    d = only(found, "unknown-kind")
    assert d.hint == "valid names: " + ", ".join(sorted(KINDS))


@pytest.mark.parametrize("old", ["kind: athlete\n"])
@pytest.mark.parametrize("new", ["", "kind:\n"])
def test_a_missing_kind_lists_the_kinds(old: str, new: str) -> None:
    text, found = check_half(old, new)
    first_key = next(
        n for n, row in enumerate(text.splitlines(), 1) if row.strip() and not row.startswith("#")
    )
    assert [where(d) for d in found] == [("missing-kind", FILE, first_key, 1)]
    assert found[0].hint == "add `kind:` with one of athlete, workout, phase, focus, program"


def test_the_kind_selects_the_schema() -> None:
    # a valid workout is not a valid athlete: the athlete schema rejects its keys
    text = edit(WORKOUT, "kind: workout", "kind: athlete")
    found = check(text, "hills.yaml")
    assert {d.code for d in found} >= {"unknown-key", "missing-key"}
    assert only([d for d in found if "'category'" in d.message], "unknown-key").line == 3


# --------------------------------------------------------------------------- several problems


def test_several_problems_in_one_file_are_all_reported() -> None:
    text = HALF
    for old, new in [
        ("units: km", "units: kms"),
        ("date: 2027-03-07", "date: 2027-02-30"),
        ("strength_per_week: 2", "strength_per_week: 7"),
        ("injury_prone: false", "injury_prone: maybe"),
    ]:
        text = edit(text, old, new)
    doc = load_ok(text, FILE)
    found = sorted(validate_document(doc), key=lambda d: d.sort_key)
    assert [(d.code, d.line) for d in found] == [
        ("bad-value", at(text, "^units:")[0]),
        ("bad-date", at(text, "date: 2027-02-30")[0]),
        ("bad-type", at(text, "^injury_prone")[0]),
        ("out-of-range", at(text, "^strength_per_week")[0]),
    ]
