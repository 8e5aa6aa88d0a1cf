"""docs/templates.md says the bundled library's and the code's numbers: its tables of defaults,
of the bundled programs and of their tapers, and the per-program figures in its prose, are read
back from the Markdown and compared with what planc resolves.  A template or a default that
changes without its documentation fails here, so the reference cannot drift again.

(tests/test_library.py checks the docs' YAML examples against the schemas; this file checks
their numbers.)
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import fields
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from compiler.api import load_project
from compiler.model import MinorRaceRules, PhaseTemplate, Program, ProgramPhase, VolumeRule
from compiler.resources import examples_dir
from compiler.sources.library import Templates
from compiler.units import UnitError, parse_distance, parse_duration, parse_percent

ROOT = Path(__file__).resolve().parent.parent
DOCS = (ROOT / "docs" / "templates.md").read_text(encoding="utf-8")
TODAY = dt.date(2026, 11, 22)
DASH = "\u2013"  # the docs write ranges with an en dash: 3\u20138
PHASES = f"Phases (weeks / min{DASH}max)"
RACE = {"5k": "the 5K", "10k": "the 10K", "half-marathon": "the half", "marathon": "the marathon"}


# --------------------------------------------------------------------------- reading the docs


def tables(*header: str) -> list[list[dict[str, str]]]:
    """The rows of each Markdown table whose header row starts with ``header``, as dicts by
    column name (cells stripped), in the order of the page."""
    lines = DOCS.splitlines()
    found = []
    for index, line in enumerate(lines):
        cells = _cells(line)
        if cells[: len(header)] == list(header):
            rows = []
            for row in lines[index + 2 :]:
                if not row.startswith("|"):
                    break
                rows.append(dict(zip(cells, _cells(row), strict=True)))
            found.append(rows)
    assert found, f"docs/templates.md has no table headed {header}"
    return found


def table(*header: str) -> list[dict[str, str]]:
    """The rows of the one table headed ``header``."""
    (rows,) = tables(*header)
    return rows


def _cells(line: str) -> list[str]:
    if not line.startswith("|"):
        return []
    return [cell.strip() for cell in line.strip().strip("|").split("|")]


def keyed(rows: list[dict[str, str]]) -> dict[str, dict[str, str]]:
    """Rows by their first cell's key: `` `peak_volume` `` -> ``peak_volume``."""
    return {next(iter(row.values())).strip("`"): row for row in rows}


def value(text: str) -> Any:
    """A documented value as planc reads it: a percentage or count as a number, a distance in
    metres, a duration in seconds, anything else as text."""
    text = text.strip().strip("`")
    if text.startswith("[") and text.endswith("]"):  # a list: `[70%, 85%]`
        return tuple(value(item) for item in text[1:-1].split(","))
    if text.endswith("%"):
        return parse_percent(text)
    if text.isdigit():
        return int(text)
    if text in ("true", "false"):
        return text == "true"
    for parse in (parse_distance, parse_duration):
        try:
            return parse(text)
        except UnitError:
            pass
    return text


def backticked(text: str) -> str:
    """The first `value` of a cell (its default, before any remark)."""
    found = re.search(r"`([^`]+)`", text)
    assert found, f"no `value` in {text!r}"
    return found[1]


# --------------------------------------------------------------------------- what planc resolves

BARE = {
    "programs/bare.yaml": "kind: program\nname: bare\ndistance: 5km\n"
    "phases:\n  - {phase: bare-ramp, weeks: 4}\n  - {phase: bare-taper, weeks: 1}\n"
    "  - {phase: bare-recover, weeks: 1, after_race: true}\n",
    "phases/bare-ramp.yaml": "kind: phase\nname: bare-ramp\nvolume: {progression: ramp}\n"
    "allowed_categories: [easy, long, rest]\n",
    "phases/bare-taper.yaml": "kind: phase\nname: bare-taper\nvolume: {progression: taper}\n"
    "allowed_categories: [easy, long, rest, race]\n",
    "phases/bare-recover.yaml": "kind: phase\nname: bare-recover\n"
    "volume: {progression: recover}\nallowed_categories: [easy, rest]\n",
}


@cache
def bundled() -> Templates:
    project = load_project([examples_dir()], today=TODAY)
    assert project.ok, [d.message for d in project.diagnostics]
    return project.templates


@pytest.fixture(scope="module")
def bare(tmp_path_factory: pytest.TempPathFactory) -> Templates:
    """A program and phases that give nothing but what the schemas require: every other value is
    the code's default."""
    folder = tmp_path_factory.mktemp("bare")
    for name, text in BARE.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(text, encoding="utf-8")
    project = load_project([folder], today=TODAY)
    errors = [d.message for d in project.diagnostics if d.severity.value == "error"]
    assert not errors, errors
    return project.templates


def attribute(obj: object, key: str) -> Any:
    """``key`` of a resolved template, named as in YAML: ``peak_volume`` is ``peak_volume_m``,
    ``easy_run_max`` is ``easy_run_max_s``; a program's coaching numbers are in its rules."""
    for owner in (obj, getattr(obj, "rules", None)):
        for name in (key, f"{key}_m", f"{key}_s"):
            if owner is not None and hasattr(owner, name):
                return getattr(owner, name)
    raise AssertionError(f"{type(obj).__name__} has no {key}")


def rule(program: Program, templates: Templates, entry: ProgramPhase) -> VolumeRule:
    return entry.volume or templates.phases[entry.phase].volume


def entry(program: Program, progression: str, templates: Templates) -> ProgramPhase:
    return next(e for e in program.phases if rule(program, templates, e).progression == progression)


def shares(program: Program, progression: str, templates: Templates) -> list[float]:
    """The share of the peak of each week of the program's taper (race week last) or recovery
    (the week after the race first), at the program's default length."""
    phase = entry(program, progression, templates)
    volume = rule(program, templates, phase)
    weeks = range(1, phase.weeks + 1)
    if progression == "taper":
        return [volume.level(phase.weeks - week, phase.weeks, week) for week in weeks]
    return [volume.level(week - 1, phase.weeks, week) for week in weeks]


def percent_list(text: str) -> list[float]:
    return [parse_percent(p) for p in re.findall(r"\d+(?:\.\d+)?%", text)]


# --------------------------------------------------------------------------- defaults


def test_the_program_key_defaults_are_the_codes(bare: Templates) -> None:
    program = bare.programs["bare"]
    rows = keyed(table("Key", "Required", "Default", "Meaning"))
    checked = 0
    for key, row in rows.items():
        if key == "masters":  # `age` (50), `hard_days_apart` (3), `cutback_every` (3)
            for name, number in re.findall(r"`(\w+)` \((\d+)\)", row["Meaning"]):
                assert attribute(program, f"masters_{name}") == int(number), f"masters.{name}"
                checked += 1
        elif row["Default"]:
            assert attribute(program, key) == pytest.approx(value(row["Default"])), key
            checked += 1
    assert checked >= 20, "the program table lost its defaults"


def test_the_quality_limit_defaults_are_the_codes(bare: Templates) -> None:
    limits = bare.programs["bare"].rules.quality
    rows = keyed(table("Key", "Default", "The most in one session"))
    assert len(rows) == 13
    for key, row in rows.items():
        if key == "race_pace":  # by the race's distance (sizing._race_zone_as): no number
            assert limits.race_pace is None and row["Default"] == "by distance"
            continue
        assert attribute(limits, key) == pytest.approx(value(row["Default"])), key


def test_the_phase_volume_defaults_are_the_codes(bare: Templates) -> None:
    ramp, taper, recover = (
        bare.phases[name].volume for name in ("bare-ramp", "bare-taper", "bare-recover")
    )
    volume_table, _week_table = tables("Key", "Default", "Meaning")
    rows = keyed(volume_table)
    for key in (
        "max_increase",
        "max_increase_injury_prone",
        "cutback_every",
        "cutback_every_injury_prone",
        "cutback",
        "cutback_injury_prone",
    ):
        assert attribute(ramp, key) == pytest.approx(value(rows[key]["Default"])), key
    # `start` and `end`: the taper's default, then "(recover `60%`...)"
    for key in ("start", "end"):
        cell = rows[key]["Default"]
        assert attribute(taper, key) == pytest.approx(value(backticked(cell))), f"taper {key}"
        recover_default = re.search(r"recover `([^`]+)`", cell)
        assert recover_default, f"{key}: the recover default is documented"
        assert attribute(recover, key) == pytest.approx(value(recover_default[1])), key


def test_the_phase_week_defaults_are_the_codes(bare: Templates) -> None:
    phase: PhaseTemplate = bare.phases["bare-ramp"]
    _volume_table, week_table = tables("Key", "Default", "Meaning")
    rows = keyed(week_table)
    assert "quality_sessions" in rows
    for key, row in rows.items():
        if row["Default"].startswith("`"):  # not "at most 1", a rule rather than a number
            assert attribute(phase, key) == value(row["Default"]), key


# --------------------------------------------------------------------------- the bundled library


def _weeks(entry: ProgramPhase) -> str:
    """'base 8/3-8' (with an en dash), 'taper 1', 'recovery 2': a phase's length in the docs."""
    if entry.after_race or entry.min_weeks == entry.weeks == entry.max_weeks:
        return f"{entry.phase} {entry.weeks}"
    return f"{entry.phase} {entry.weeks}/{entry.min_weeks}{DASH}{entry.max_weeks}"


def _km(metres: float) -> str:
    return f"{metres / 1000:g} km"


def test_the_bundled_programs_table_is_the_library() -> None:
    templates = bundled()
    rows = keyed(table("Program", PHASES))
    assert set(rows) == {n for n, p in templates.programs.items() if not p.block}
    for name, row in rows.items():
        program = templates.programs[name]
        assert row[PHASES] == ", ".join(_weeks(e) for e in program.phases)
        assert row["Peak"] == _km(program.peak_volume_m), name
        target = f"{_km(program.rules.long_run_target_m)} / {program.long_run_max_s / 60:g} min"
        assert row["Long run target / max"] == target, name
        assert row["Min easy run"] == _km(program.min_easy_run_m), name
        rest = program.rules.rest_after_race
        after = f"{rest} day{'s' if rest > 1 else ''} of rest" if rest else ""
        assert row["After the race"] == after, name
        specific = row["Race-specific"]
        for kind, workout in (
            ("long", program.rules.race_specific_long),
            ("quality", program.rules.race_specific_quality),
        ):
            assert (f"{kind}: `{workout}`" in specific) == (workout is not None), (name, kind)


def test_the_taper_table_is_the_library() -> None:
    templates = bundled()
    rows = table("Program", "Taper, race week last", "Recovery after the race")
    documented = {name.strip(): row for row in rows for name in row["Program"].split(",")}
    assert set(documented) == {n for n, p in templates.programs.items() if not p.block}
    for name, row in documented.items():
        program = templates.programs[name]
        taper, recovery = shares(program, "taper", templates), shares(program, "recover", templates)
        assert percent_list(row["Taper, race week last"]) == pytest.approx(taper), name
        assert row["Taper, race week last"].startswith(f"{len(taper)} week"), name
        assert percent_list(row["Recovery after the race"]) == pytest.approx(recovery), name
        assert row["Recovery after the race"].startswith(f"{len(recovery)} week"), name


def test_the_bundled_phases_table_is_the_library() -> None:
    phases = bundled().phases
    rows = keyed(table("Phase", "Volume", "Allows", "Week"))
    assert set(rows) == set(phases)
    for name in ("base", "build", "maintain"):
        volume, cell = phases[name].volume, rows[name]["Volume"]
        if volume.progression == "hold":  # no ramp: the cutback and its injury-prone depth
            numbers_held = (volume.cutback, volume.cutback_injury_prone)
            assert percent_list(cell) == pytest.approx(list(numbers_held)), name
            every = f"every {volume.cutback_every} ({volume.cutback_every_injury_prone}) weeks"
            assert every in cell and cell.startswith("hold"), name
            continue
        numbers = (
            volume.max_increase,
            volume.max_increase_injury_prone,
            volume.cutback,
            volume.cutback_injury_prone,
        )
        assert percent_list(cell) == pytest.approx(list(numbers)), name
        every = f"every {volume.cutback_every} ({volume.cutback_every_injury_prone}) weeks"
        assert every in cell, name
    taper = list(reversed(phases["taper"].volume.levels))  # race week last, as the table has it
    assert percent_list(rows["taper"]["Volume"]) == pytest.approx(taper)
    assert percent_list(rows["recovery"]["Volume"]) == pytest.approx(
        list(phases["recovery"].volume.levels)
    )


def test_the_bundled_blocks_table_is_the_library() -> None:
    """The blocks (programs with `block: true`) have their own table: no taper, no race."""
    templates = bundled()
    rows = keyed(table("Block", PHASES))
    assert set(rows) == {n for n, p in templates.programs.items() if p.block}
    for name, row in rows.items():
        program = templates.programs[name]
        assert row[PHASES] == ", ".join(_weeks(e) for e in program.phases), name
        rules = program.rules
        cap = f"{rules.peak_from_current:.0%} or +{_km(rules.peak_min_gain_m)}"
        assert row["Volume"].startswith(cap), name
        assert f"at most {_km(program.peak_volume_m)}" in row["Volume"], name
        target = f"{_km(rules.long_run_target_m)} / {program.long_run_max_s / 60:g} min"
        assert row["Long run target / max"] == target, name
        volume = templates.phases[program.phases[0].phase].volume
        if program.phases[0].volume is not None:
            volume = program.phases[0].volume
        assert percent_list(row["Ramp, cutback"]) == pytest.approx(
            [volume.max_increase, volume.cutback]
            if volume.progression == "ramp"
            else [volume.cutback]
        ), name
        assert (
            f"every {volume.cutback_every} ({volume.cutback_every_injury_prone})"
            in row["Ramp, cutback"]
        ), name


def test_the_per_program_figures_in_the_prose_are_the_librarys() -> None:
    """The reference's prose names each program's long-run target, peak gain, peak and race-week
    share; each list is made here from the library and must be in the text as written."""
    templates = bundled()
    programs = {name: templates.programs[name] for name in RACE}
    targets = {n: _km(p.rules.long_run_target_m) for n, p in programs.items()}
    gains = {n: _km(p.rules.peak_min_gain_m) for n, p in programs.items()}
    peaks = {n: _km(p.peak_volume_m) for n, p in programs.items()}
    race_week = {n: f"{shares(p, 'taper', templates)[-1]:.0%}" for n, p in programs.items()}

    def listed(numbers: dict[str, str]) -> str:
        """'10 km for the 5K, 14 km for the 10K, 18 km for the half, 32 km for the marathon'"""
        return ", ".join(f"{text} for {RACE[name]}" for name, text in numbers.items())

    expected = [listed(targets), listed(gains), listed(peaks)]
    text = " ".join(DOCS.split())  # prose wraps anywhere
    for phrase in expected:
        assert phrase in text, f"docs/templates.md does not say: {phrase}"
    assert race_week["5k"] == race_week["10k"]
    share = (
        f"{race_week['5k']} for the 5K and 10K, {race_week['half-marathon']} for the half, "
        f"{race_week['marathon']} for the marathon"
    )
    assert text.count(share) >= 2, f"race week's share, in the rules and in Race week: {share}"


# --------------------------------------------------------------------------- quoting


def test_times_read_the_same_unquoted_as_the_docs_say(tmp_path: Path) -> None:
    """docs/templates.md: race times and start times are quoted by habit, not of necessity
    (planc reads YAML 1.2, where `22:10` is text); a colour must be quoted (`#` starts a
    comment)."""
    text = (examples_dir() / "speed-5k.yaml").read_text(encoding="utf-8")
    assert '"22:10"' in text and '"21:35"' in text and 'monday: "06:00"' in text
    quoted = load_project([examples_dir() / "speed-5k.yaml"], today=TODAY)
    (tmp_path / "speed-5k.yaml").write_text(text.replace('"', ""), encoding="utf-8")
    plain = load_project([tmp_path / "speed-5k.yaml"], today=TODAY)
    assert plain.ok, [d.message for d in plain.diagnostics]
    (before,), (after,) = quoted.blueprints, plain.blueprints
    assert after.athlete.recent_race == before.athlete.recent_race
    assert after.athlete.race is not None and before.athlete.race is not None
    assert after.athlete.race.goal_s == before.athlete.race.goal_s == 21 * 60 + 35
    assert after.athlete.availability == before.athlete.availability
    colour = text.replace('"', "") + "calendar:\n  color: #E4572E\n"
    (tmp_path / "speed-5k.yaml").write_text(colour, encoding="utf-8")
    problems = load_project([tmp_path / "speed-5k.yaml"], today=TODAY).diagnostics
    assert [d.code for d in problems if d.severity.value == "error"] == ["bad-type"]


def test_the_minor_race_defaults_are_the_codes(bare: Templates) -> None:
    """templates.md's `minor_races` table (B and C races) gives the code's defaults."""
    program = bare.programs["bare"]
    (table,) = tables("`minor_races` key", "Default", "Meaning")
    rows = keyed(table)
    names = {f.name.removesuffix("_m").removesuffix("_s") for f in fields(MinorRaceRules)}
    assert set(rows) == names
    for key, row in rows.items():
        if row["Default"].strip() == "none":  # a workout the code does not name (b_sharpener)
            assert attribute(program.rules.minor, key) is None, key
            continue
        assert attribute(program.rules.minor, key) == pytest.approx(value(row["Default"])), key


def test_the_fast_work_weeks_in_the_prose_are_the_librarys() -> None:
    """The reference says how many weeks before its taper each bundled program stops fast work,
    in the prose of `fast_work_until_weeks_out` and in the rules, and names no other program."""
    templates = bundled()
    text = " ".join(DOCS.split())
    stopping = {
        name: p.rules.fast_work_until_weeks_out
        for name, p in templates.programs.items()
        if p.rules.fast_work_until_weeks_out
    }
    assert stopping, "no bundled program stops its fast work: the docs describe one"
    for name, weeks in stopping.items():
        assert f"`fast_work_until_weeks_out: {weeks}`" in text, name
        assert f"{RACE[name].split()[-1]}'s last {weeks} weeks before the taper" in text, name
        instead = templates.programs[name].rules.fast_work_instead
        assert instead is None or f"`fast_work_instead: {instead}`" in text, name
