"""The reporter as a user meets it: `planc check` and `planc build` on files with problems, in the
text, JSON and GitHub formats, with and without colors, and the exit codes that follow.

The inputs are real athlete files written into a temporary folder (the working directory, so they
are shown as `ana.yaml`); the expected outputs are spelled out in full."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result
from jsonschema import Draft202012Validator

from compiler.cli import main
from compiler.diagnostics import PlanError, Position, Severity, error, warning
from compiler.report import (
    SHOWN,
    Report,
    escape_data,
    escape_property,
    render,
    render_text,
    token_end,
)
from compiler.resources import schemas_dir

# A copy of examples/half-marathon.yaml without its comments, so that line numbers are fixed here.
ATHLETE = """\
kind: athlete
id: ana
name: Ana Example
timezone: Europe/London
units: km
race:
  name: Spring Half Marathon
  program: half-marathon
  date: 2027-03-07
focus: balanced
start: 2026-11-30
week_start: monday
fitness:
  recent_race:
    distance: 10km
    time: "52:30"
    date: 2026-10-18
  weekly_volume: 30km
  long_run: 12km
injury_prone: false
availability:
  days: [monday, tuesday, thursday, saturday, sunday]
  long_run_day: sunday
strength_per_week: 2
"""

# three problems: an enum typo (line 5), a date that does not exist (line 9), a typo'd key
# (line 23, which also leaves `availability` without its required `long_run_day`, line 21)
BROKEN = (
    ATHLETE.replace("units: km", "units: kms")
    .replace("date: 2027-03-07", "date: 2027-02-30")
    .replace("  long_run_day: sunday", "  long_rn_day: sunday")
)

# a start time on a day that is not available: a warning, not an error
WARNED = ATHLETE.replace(
    "  long_run_day: sunday\n", '  long_run_day: sunday\n  start_times:\n    wednesday: "06:30"\n'
)

TEXT = """\
ana.yaml:5:8: error[bad-value]: 'kms' is not a valid value for 'units'
 5 | units: kms
   |        ^~~
  = hint: did you mean 'km'?

ana.yaml:9:9: error[bad-date]: '2027-02-30' is not a real date
 9 |   date: 2027-02-30
   |         ^~~~~~~~~~
  = hint: write a calendar date as YYYY-MM-DD, e.g. 2027-03-07

ana.yaml:21:1: error[missing-key]: 'availability' is missing the required key 'long_run_day'
 21 | availability:
    | ^~~~~~~~~~~~
  = hint: add `long_run_day:` (The day for the long run; one of `days`.)

ana.yaml:23:3: error[unknown-key]: unknown key 'long_rn_day'
 23 |   long_rn_day: sunday
    |   ^~~~~~~~~~~
  = hint: did you mean 'long_run_day'?

4 errors, 0 warnings in 1 file
"""

GITHUB = """\
::error file=ana.yaml,line=5,col=8,endColumn=10,title=planc bad-value::'kms' is not a valid \
value for 'units' (hint: did you mean 'km'?)
::error file=ana.yaml,line=9,col=9,endColumn=18,title=planc bad-date::'2027-02-30' is not a \
real date (hint: write a calendar date as YYYY-MM-DD, e.g. 2027-03-07)
::error file=ana.yaml,line=21,col=1,endColumn=12,title=planc missing-key::'availability' is \
missing the required key 'long_run_day' (hint: add `long_run_day:` (The day for the long run; \
one of `days`.))
::error file=ana.yaml,line=23,col=3,endColumn=13,title=planc unknown-key::unknown key \
'long_rn_day' (hint: did you mean 'long_run_day'?)
4 errors, 0 warnings in 1 file
"""

ANSI = re.compile(r"\x1b\[[0-9;]*m")
TODAY = ("--today", "2026-11-01")


@pytest.fixture
def here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return tmp_path


def write(folder: Path, text: str, name: str = "ana.yaml") -> str:
    (folder / name).write_text(text, "utf-8")
    return name


def invoke(*args: str, color: bool = False, env: dict[str, str | None] | None = None) -> Result:
    """planc with ``args``; NO_COLOR is unset unless ``env`` sets it; ``color`` plays a terminal."""
    environment: dict[str, str | None] = {"NO_COLOR": None, **(env or {})}
    return CliRunner().invoke(main, list(args), color=color, env=environment)


@pytest.fixture(scope="module")
def validator() -> Draft202012Validator:
    schema = json.loads((schemas_dir() / "diagnostics.schema.json").read_text("utf-8"))
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema)


# --------------------------------------------------------------------------- text


def test_text_shows_each_problem_with_its_line_a_caret_and_the_hint(here: Path) -> None:
    result = invoke("check", write(here, BROKEN), *TODAY)
    assert result.exit_code == 1
    assert result.stderr == TEXT
    assert result.stdout == ""


def test_carets_line_up_under_tabs_and_wide_characters(here: Path) -> None:
    text = ATHLETE.replace("units: km", "units:\tkm")
    result = invoke("check", write(here, text), *TODAY)
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    # the tab after `units:` (column 7) is shown as spaces up to the next multiple of 4
    at = lines.index(" 5 | units:  km")
    assert lines[at - 1].startswith("ana.yaml:5:7: error[yaml-syntax]:")
    assert lines[at + 1] == "   |       ^~"


def test_tabs_expand_to_the_next_multiple_of_four_columns(here: Path) -> None:
    text = ATHLETE.replace("days: [monday, tuesday,", "days: [\tmonday, tuesdy,")
    result = invoke("check", write(here, text), *TODAY)
    assert result.exit_code == 1
    assert (
        "ana.yaml:22:19: error[bad-value]: 'tuesdy' is not a valid value for 'days'\n"
        " 22 |   days: [   monday, tuesdy, thursday, saturday, sunday]\n"
        "    |                     ^~~~~~\n"
    ) in result.stderr


def test_carets_count_wide_characters_as_two_cells(here: Path) -> None:
    text = ATHLETE.replace("days: [monday, tuesday,", "days: [月曜, tuesdy,")
    result = invoke("check", write(here, text), *TODAY)
    assert result.exit_code == 1
    assert (
        "ana.yaml:22:10: error[bad-value]: '月曜' is not a valid value for 'days'\n"
        " 22 |   days: [月曜, tuesdy, thursday, saturday, sunday]\n"
        "    |          ^~~~\n"
    ) in result.stderr
    assert (
        "ana.yaml:22:14: error[bad-value]: 'tuesdy' is not a valid value for 'days'\n"
        " 22 |   days: [月曜, tuesdy, thursday, saturday, sunday]\n"
        "    |                ^~~~~~\n"
        "  = hint: did you mean 'tuesday'?\n"
    ) in result.stderr


def test_a_long_line_is_shown_around_its_token(here: Path) -> None:
    """A line of thousands of characters (a pasted paragraph, a hostile file) is shown as a
    window of SHOWN characters around the token, with the caret still under it."""
    filler = "x" * 3000
    text = ATHLETE.replace("days: [monday, tuesday,", f"days: [monday, {filler}, tuesdy, {filler},")
    result = invoke("check", write(here, text), *TODAY)
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    at = next(i for i, line in enumerate(lines) if "'tuesdy'" in line)
    source, caret = lines[at + 1], lines[at + 2]
    assert source.startswith(" 22 | …") and source.endswith("…")
    assert len(source) <= SHOWN + 10
    start = caret.index("^")
    assert source[start : start + len("tuesdy")] == "tuesdy"
    assert caret[start:].rstrip() == "^~~~~~"  # under the six characters of the token
    assert max(len(line) for line in lines) < 400


def test_problems_are_sorted_by_file_then_line(here: Path) -> None:
    write(here, BROKEN, "b.yaml")
    write(here, BROKEN.replace("id: ana", "id: other"), "a.yaml")
    result = invoke("check", "b.yaml", "a.yaml", *TODAY)
    locations = [line.split(": ")[0] for line in result.stderr.splitlines() if "error[" in line]
    assert locations == [f"{f}.yaml:{n}" for f in "ab" for n in ("5:8", "9:9", "21:1", "23:3")]
    assert result.stderr.endswith("\n8 errors, 0 warnings in 2 files\n")


@pytest.mark.parametrize(
    ("line", "column", "end"),
    [
        ("key: value", 1, 3),  # a key stops at `: `
        ("time: 12:30 # clock", 7, 11),  # a colon not followed by a blank belongs to the token
        ("days: [monday, tuesdy]", 16, 21),  # `]` ends a flow item
        ("days: [monday, tuesdy]", 7, 22),  # a flow collection up to its closing bracket
        ("a: {b: c", 4, 4),  # ... or one character when it is not closed on the line
        ('title: "say \\"hi\\", ok" # c', 8, 23),  # a double-quoted string with escapes
        ("title: 'it''s, fine'", 8, 20),  # a single-quoted string with a doubled quote
        ('title: "not closed  ', 8, 18),  # an open quote runs to the end, blanks dropped
        ("name: value   ", 7, 11),  # trailing blanks are not part of the token
        ("name: a#b # comment", 7, 9),  # `#` starts a comment only after a blank
        ("units:\tkm", 7, 7),  # a token starting with a blank is that one character
        ("short", 9, 9),  # past the end: one column
        ("key:", 4, 4),  # at least one character
    ],
)
def test_the_token_under_the_caret(line: str, column: int, end: int) -> None:
    assert token_end(line, column) == end


def test_diagnostics_without_a_line_or_a_readable_source_show_just_the_first_line() -> None:
    report = Report(
        (
            error("io", "cannot read the file: Permission denied", "x.yaml"),
            warning("ignored-key", "ignored", "y.yaml", Position(3, 1)),  # y.yaml was not read
            error("impossible-value", "no file at all", hint="a hint"),
        ),
        files=2,
        sources={"x.yaml": "a: 1\n"},
    )
    assert render_text(report) == (
        "planc: error[impossible-value]: no file at all\n"
        "  = hint: a hint\n"
        "\n"
        "x.yaml: error[io]: cannot read the file: Permission denied\n"
        "\n"
        "y.yaml:3:1: warning[ignored-key]: ignored\n"
        "\n"
        "2 errors, 1 warning in 2 files\n"
    )


def test_control_characters_cannot_reach_the_terminal() -> None:
    source = 'bad: "\x1b[2J"\n'
    report = Report(
        (error("bad-value", "'\x1b[2J' is\nwrong", "t.yaml", Position(1, 6)),),
        1,
        {"t.yaml": source},
    )
    assert render_text(report) == (
        "t.yaml:1:6: error[bad-value]: '\\u001b[2J' is\\nwrong\n"
        ' 1 | bad: "\ufffd[2J"\n'
        "   |      ^~~~~~\n"
        "\n"
        "1 error, 0 warnings in 1 file\n"
    )


@pytest.mark.parametrize(
    ("errors", "warnings", "files", "line"),
    [
        (0, 0, 1, "no problems in 1 file"),
        (0, 0, 3, "no problems in 3 files"),
        (1, 0, 1, "1 error, 0 warnings in 1 file"),
        (2, 1, 2, "2 errors, 1 warning in 2 files"),
        (0, 2, 1, "0 errors, 2 warnings in 1 file"),
    ],
)
def test_the_summary_line(errors: int, warnings: int, files: int, line: str) -> None:
    diagnostics = [error("bad-value", f"e{i}", "a.yaml", Position(i + 1, 1)) for i in range(errors)]
    diagnostics += [warning("ignored-key", f"w{i}", "a.yaml") for i in range(warnings)]
    report = Report(tuple(diagnostics), files)
    assert (report.errors, report.warnings) == (errors, warnings)
    assert report.summary() == line
    assert render(report).endswith(line + "\n")
    assert render(report, "github").splitlines()[-1] == line


# --------------------------------------------------------------------------- JSON


def test_json_is_the_only_thing_on_stdout_and_is_valid(
    here: Path, validator: Draft202012Validator
) -> None:
    result = invoke("check", write(here, BROKEN), *TODAY, "--format", "json")
    assert result.exit_code == 1
    assert result.stderr == ""
    document = json.loads(result.stdout)
    assert list(validator.iter_errors(document)) == []
    assert list(document) == ["version", "summary", "diagnostics"]
    assert document["version"] == 1
    assert document["summary"] == {"errors": 4, "warnings": 0, "files": 1}
    assert document["diagnostics"][0] == {
        "severity": "error",
        "code": "bad-value",
        "message": "'kms' is not a valid value for 'units'",
        "file": "ana.yaml",
        "line": 5,
        "column": 8,
        "end_column": 10,
        "hint": "did you mean 'km'?",
        "source": "units: kms",
    }
    keys = ["severity", "code", "message", "file", "line", "column", "end_column", "hint"]
    assert all(list(d) == [*keys, "source"] for d in document["diagnostics"])


def test_json_says_what_the_text_says(here: Path) -> None:
    write(here, BROKEN)
    write(here, WARNED.replace("id: ana", "id: warned"), "warned.yaml")
    text = invoke("check", ".", *TODAY).stderr.splitlines()
    document = json.loads(invoke("check", ".", *TODAY, "--format", "json").stdout)
    assert len(document["diagnostics"]) == sum(1 for line in text if "]: " in line) == 5
    for d in document["diagnostics"]:
        head = (
            f"{d['file']}:{d['line']}:{d['column']}: {d['severity']}[{d['code']}]: {d['message']}"
        )
        at = text.index(head)
        gutter = f" {d['line']} | "
        assert text[at + 1] == (gutter + d["source"]).rstrip()
        caret = text[at + 2][len(gutter) :]
        assert caret.index("^") == d["column"] - 1
        assert len(caret.strip()) == d["end_column"] - d["column"] + 1
        assert text[at + 3] == f"  = hint: {d['hint']}"
    summary = document["summary"]
    assert (summary["errors"], summary["warnings"], summary["files"]) == (4, 1, 2)
    assert text[-1] == "4 errors, 1 warning in 2 files"


def test_build_in_json_keeps_its_summary_on_stderr(
    here: Path, validator: Draft202012Validator
) -> None:
    write(here, WARNED)
    write(here, BROKEN.replace("id: ana", "id: broken"), "broken.yaml")
    result = invoke("build", ".", "--out", "out", *TODAY, "--format", "json")
    assert result.exit_code == 1
    document = json.loads(result.stdout)
    assert list(validator.iter_errors(document)) == []
    assert document["summary"] == {"errors": 4, "warnings": 1, "files": 2}
    assert {d["file"] for d in document["diagnostics"]} == {"ana.yaml", "broken.yaml"}
    assert "built 1 athlete into out/" in result.stderr
    assert (here / "out" / "ana" / "plan.json").is_file()


def test_a_clean_check_in_json_is_an_empty_list(
    here: Path, validator: Draft202012Validator
) -> None:
    result = invoke("check", write(here, ATHLETE), *TODAY, "--format", "json")
    assert result.exit_code == 0
    document = json.loads(result.stdout)
    assert list(validator.iter_errors(document)) == []
    assert document == {
        "version": 1,
        "summary": {"errors": 0, "warnings": 0, "files": 1},
        "diagnostics": [],
    }
    assert result.stderr == "ok: 1 athlete ready to build\n"


def test_the_diagnostics_schema_is_a_closed_documented_contract(
    validator: Draft202012Validator,
) -> None:
    schema: Any = validator.schema
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["$id"] == "https://planc.dev/schemas/diagnostics.schema.json"
    build = schema["properties"]["build"]  # only `planc build` reports it: the one optional key
    objects = [schema, schema["properties"]["summary"], schema["$defs"]["diagnostic"], build]
    for sub in objects:
        assert sub["additionalProperties"] is False
        assert set(sub["required"]) == set(sub["properties"]) - (
            {"build"} if sub is schema else set()
        )
        assert all(p.get("description") for p in sub["properties"].values())
    bad = {"version": 1, "summary": {"errors": 0, "warnings": 0, "files": 0}, "diagnostics": []}
    assert validator.is_valid(bad)
    assert not validator.is_valid({**bad, "extra": 1})
    assert not validator.is_valid({**bad, "version": 2})


# --------------------------------------------------------------------------- GitHub


def test_github_annotations(here: Path) -> None:
    result = invoke("check", write(here, BROKEN), *TODAY, "--format", "github")
    assert result.exit_code == 1
    assert result.stdout == GITHUB
    assert result.stderr == ""


def test_github_escapes_messages_and_properties(here: Path) -> None:
    text = ATHLETE.replace("injury_prone: false", '"in%jury,prone:\\nx": false')
    result = invoke("check", write(here, text, "a,b:c.yaml"), *TODAY, "--format", "github")
    assert result.exit_code == 1
    assert result.stdout == (
        "::error file=a%2Cb%3Ac.yaml,line=20,col=1,endColumn=19,title=planc unknown-key::"
        "unknown key 'in%25jury,prone:%0Ax' (hint: did you mean 'injury_prone'?)\n"
        "1 error, 0 warnings in 1 file\n"
    )


def test_github_escaping_rules() -> None:
    assert escape_data("100% done\r\nnext: a, b") == "100%25 done%0D%0Anext: a, b"
    assert escape_property("dir:a,b%\n") == "dir%3Aa%2Cb%25%0A"
    report = Report((warning("ignored-key", "about the run"),), 0)
    assert render(report, "github") == (
        "::warning title=planc ignored-key::about the run\n0 errors, 1 warning in 0 files\n"
    )


# --------------------------------------------------------------------------- colors


def styled(output: str) -> bool:
    return "\x1b[" in output


def test_no_colors_when_not_on_a_terminal(here: Path) -> None:
    assert not styled(invoke("check", write(here, BROKEN), *TODAY).output)


def test_colors_on_a_terminal(here: Path) -> None:
    result = invoke("check", write(here, WARNED), *TODAY, color=True)
    assert result.exit_code == 0
    assert result.stderr.startswith(
        "\x1b[36mana.yaml:25:16\x1b[0m: \x1b[33mwarning[unused-start-time]\x1b[0m: "
    )
    assert "    |                \x1b[1m^~~~~~~\x1b[0m\n" in result.stderr
    assert "\x1b[32m  = hint: add wednesday to `days`" in result.stderr
    result = invoke("check", write(here, BROKEN), *TODAY, color=True)
    assert "\x1b[1;31merror[bad-value]\x1b[0m" in result.stderr
    assert ANSI.sub("", result.stderr) == TEXT  # colors change nothing else


@pytest.mark.parametrize(
    ("args", "terminal", "no_color", "expected"),
    [
        ((), True, "1", False),  # NO_COLOR turns auto off
        ((), True, "", True),  # ... unless it is empty
        (("--color", "always"), False, None, True),
        (("--color", "always"), False, "1", True),  # always wins over NO_COLOR
        (("--color", "never"), True, None, False),
        (("--color", "auto"), False, None, False),
    ],
)
def test_when_colors_are_used(
    here: Path, args: tuple[str, ...], terminal: bool, no_color: str | None, expected: bool
) -> None:
    name = write(here, BROKEN)
    result = invoke("check", name, *TODAY, *args, color=terminal, env={"NO_COLOR": no_color})
    assert result.exit_code == 1
    assert styled(result.stderr) is expected


@pytest.mark.parametrize("fmt", ["json", "github"])
def test_machine_formats_are_never_colored(here: Path, fmt: str) -> None:
    result = invoke("check", write(here, BROKEN), *TODAY, "--format", fmt, "--color", "always")
    assert result.exit_code == 1
    assert not styled(result.output)


# --------------------------------------------------------------------------- exit codes


def test_strict_turns_a_warning_into_a_failure(here: Path) -> None:
    name = write(here, WARNED)
    result = invoke("check", name, *TODAY)
    assert result.exit_code == 0
    assert "warning[unused-start-time]" in result.stderr
    assert result.stderr.endswith("0 errors, 1 warning in 1 file\nok: 1 athlete ready to build\n")
    result = invoke("check", name, *TODAY, "--strict")
    assert result.exit_code == 1
    assert result.stderr.endswith("\n0 errors, 1 warning in 1 file\n")
    result = invoke("build", name, "--out", "out", *TODAY, "--strict", "--format", "github")
    assert result.exit_code == 1
    assert result.stdout.startswith("::warning file=ana.yaml,line=25,col=16,endColumn=22,")


def test_exit_codes(here: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write(here, ATHLETE)
    assert invoke("check", "ana.yaml", *TODAY).exit_code == 0
    assert invoke("check", "ana.yaml", *TODAY, "--strict").exit_code == 0
    assert invoke("check", write(here, BROKEN, "bad.yaml"), *TODAY).exit_code == 1
    for usage in (
        ("check", "missing.yaml"),
        ("check", "--format", "xml"),
        ("check", "--color", "sometimes"),
        ("build", "--strict=yes"),
    ):
        assert invoke(*usage).exit_code == 2, usage

    import compiler.api

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(compiler.api, "load_project", broken)
    for fmt in ("text", "json"):
        result = invoke("check", "--format", fmt)
        assert result.exit_code == 3
        assert "internal error: RuntimeError: boom" in result.stderr
        assert "Traceback" not in result.output
        assert result.stdout == ""
    result = invoke("check", "--debug")
    assert result.exit_code == 3
    assert "Traceback" in result.stderr


def test_a_plan_error_from_any_stage_is_rendered_in_context(
    here: Path, monkeypatch: pytest.MonkeyPatch, validator: Draft202012Validator
) -> None:
    name = write(here, ATHLETE)

    def failing(*args: object, **kwargs: object) -> None:
        raise PlanError([error("impossible-value", "too fast", name, Position(16, 11), "slower")])

    import compiler.api

    monkeypatch.setattr(compiler.api, "load_project", failing)
    result = invoke("check", name)
    assert result.exit_code == 1
    assert result.stderr == (
        "ana.yaml:16:11: error[impossible-value]: too fast\n"
        ' 16 |     time: "52:30"\n'
        "    |           ^~~~~~~\n"
        "  = hint: slower\n"
        "\n"
        "1 error, 0 warnings in 1 file\n"
    )
    document = json.loads(invoke("check", name, "--format", "json").stdout)
    assert list(validator.iter_errors(document)) == []
    assert document["diagnostics"][0]["source"] == '    time: "52:30"'
    assert document["diagnostics"][0]["severity"] == Severity.ERROR.value


def test_version_and_help_do_not_import_the_compiler_stages() -> None:
    code = (
        "import sys\n"
        "from compiler.cli import main\n"
        "for args in (['--version'], ['--help'], ['check', '--help']):\n"
        "    try:\n"
        "        main(args)\n"
        "    except SystemExit:\n"
        "        pass\n"
        "print(sorted(m for m in sys.modules if m.startswith(('compiler.', 'ruamel', 'jinja2',"
        " 'jsonschema'))))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    cli = ["app", "options", "plan_commands", "repo_commands", "running", "site_commands"]
    base = ["compiler.codes", "compiler.diagnostics", "compiler.report"]
    # not compiler.cli.project either: it reads planc.yaml with the sources' loader
    assert result.stdout.splitlines()[-1] == str(
        ["compiler.cli", *(f"compiler.cli.{name}" for name in cli), *base]
    )
