"""The command line as a user meets it: exit codes, messages, `planc build` with no arguments."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from compiler.cli import main
from compiler.resources import examples_dir

HALF = (examples_dir() / "half-marathon.yaml").read_text("utf-8")


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    return result.exit_code, result.output + (result.stderr if result.stderr_bytes else "")


def test_build_without_arguments_builds_the_bundled_examples_into_public(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    code, output = run("build", "--today", "2026-11-22")
    assert code == 0, output
    ids = sorted(p.stem for p in examples_dir().rglob("*.yaml") if "kind: athlete" in p.read_text())
    for athlete_id in ids:
        for name in ("plan.ics", "busy.ics", "plan.md", "index.html", "plan.json"):
            assert (tmp_path / "public" / athlete_id / name).stat().st_size > 0
    assert (tmp_path / "public" / "index.html").is_file()
    assert f"built {len(ids)} athletes" in output


def test_a_typo_in_a_key_exits_1_and_names_file_line_and_column(tmp_path: Path) -> None:
    profile = tmp_path / "ana.yaml"
    profile.write_text(HALF.replace("long_run_day:", "long_rn_day:"), "utf-8")
    line = HALF.splitlines().index(next(x for x in HALF.splitlines() if "long_run_day:" in x)) + 1
    code, output = run("check", str(profile))
    assert code == 1
    assert f"ana.yaml:{line}:3: error[unknown-key]: unknown key 'long_rn_day'" in output
    assert "did you mean 'long_run_day'?" in output
    code, output = run("build", str(profile), "--out", str(tmp_path / "out"))
    assert code == 1
    assert f"ana.yaml:{line}:3" in output
    assert not (tmp_path / "out" / "half-marathon").exists(), "no output for a broken profile"


def test_a_bad_date_exits_1_and_names_the_line(tmp_path: Path) -> None:
    profile = tmp_path / "ana.yaml"
    profile.write_text(HALF.replace("date: 2027-03-07", "date: 2027-02-30"), "utf-8")
    line = next(i for i, x in enumerate(HALF.splitlines(), 1) if "date: 2027-03-07" in x)
    code, output = run("check", str(profile))
    assert code == 1
    assert f"ana.yaml:{line}:" in output
    assert "'2027-02-30' is not a real date" in output


def test_one_broken_athlete_does_not_stop_the_others(tmp_path: Path) -> None:
    (tmp_path / "good.yaml").write_text(HALF, "utf-8")
    (tmp_path / "bad.yaml").write_text(
        HALF.replace("id: half-marathon", "id: other").replace("units: km", "units: kms"), "utf-8"
    )
    code, output = run(
        "build", str(tmp_path), "--out", str(tmp_path / "out"), "--today", "2026-11-22"
    )
    assert code == 1
    assert "bad.yaml" in output
    assert (tmp_path / "out" / "half-marathon" / "plan.json").is_file()
    assert not (tmp_path / "out" / "other").exists()


def test_usage_errors_exit_2(tmp_path: Path) -> None:
    code, output = run("check", str(tmp_path / "missing.yaml"))
    assert code == 2
    assert "no such file or folder" in output
    code, _ = run("build", "--no-such-option")
    assert code == 2


def test_no_athletes_is_a_usage_error(tmp_path: Path) -> None:
    code, output = run("build", str(tmp_path), "--out", str(tmp_path / "out"))
    assert code == 2
    assert "no athlete profiles found" in output


def test_check_on_the_bundled_library_is_clean() -> None:
    code, output = run("check")
    assert code == 0, output
    assert "ok:" in output


def test_python_dash_m_compiler_and_version() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "compiler", "--version"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0
    assert result.stdout.startswith("planc, version ")


def test_source_date_epoch_makes_the_calendar_reproducible(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1795000000")
    outputs = []
    for name in ("a", "b"):
        code, output = run("build", "--out", str(tmp_path / name))
        assert code == 0, output
        outputs.append((tmp_path / name / "speed-5k" / "plan.ics").read_bytes())
    assert outputs[0] == outputs[1]
    assert b"DTSTAMP:20261118T110640Z" in outputs[0]


def test_internal_errors_exit_3_without_a_traceback(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import compiler.api

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(compiler.api, "load_project", broken)
    code, output = run("check")
    assert code == 3
    assert "internal error: RuntimeError: boom" in output
    assert "Traceback" not in output


def test_build_writes_json_plans_tools_can_read(tmp_path: Path) -> None:
    code, output = run("build", "--out", str(tmp_path), "--today", "2026-11-22")
    assert code == 0, output
    plan = json.loads((tmp_path / "speed-5k" / "plan.json").read_text("utf-8"))
    assert plan["athlete"]["units"] == "mi"
    assert os.path.exists(tmp_path / "index.html")


def test_explain_one_week_from_the_command_line() -> None:
    code, output = run("explain", "half-marathon", "--week", "9", "--today", "2026-11-22")
    assert code == 0, output
    assert "Week 9, from Mon 2027-01-25: Build (week 3 of the phase)" in output
    assert "Week 8," not in output
    code, output = run("explain", "nobody", "--today", "2026-11-22")
    assert code == 2
    assert "no athlete 'nobody' found" in output


def test_explain_an_athlete_file_with_problems_shows_the_problems(tmp_path: Path) -> None:
    profile = tmp_path / "ana.yaml"
    profile.write_text(HALF.replace("units: km", "units: kms"), "utf-8")
    code, output = run("explain", str(profile))
    assert code == 1
    assert "error[bad-value]" in output


def test_init_scaffolds_a_repository_that_checks_and_refuses_to_overwrite(tmp_path: Path) -> None:
    target = tmp_path / "coach"
    code, output = run("init", str(target))
    assert code == 0, output
    code, output = run("check", str(target))  # hidden .github/ and .pre-commit files are skipped
    assert code == 0, output
    assert "1 athlete ready to build" in output
    code, output = run("init", str(target))
    assert code == 2
    assert "--force" in output


def test_schema_writes_every_schema(tmp_path: Path) -> None:
    code, output = run("schema", "--out", str(tmp_path / "s"))
    assert code == 0, output
    written = sorted(p.name for p in (tmp_path / "s").iterdir())
    assert "athlete.schema.json" in written and "plan.schema.json" in written
    for name in written:
        json.loads((tmp_path / "s" / name).read_text("utf-8"))


def test_base_url_makes_subscribe_links_absolute(tmp_path: Path) -> None:
    code, output = run(
        "build", "--out", str(tmp_path), "--today", "2026-11-22",
        "--base-url", "https://plans.example.org/club",
    )  # fmt: skip
    assert code == 0, output
    page = (tmp_path / "speed-5k" / "index.html").read_text("utf-8")
    assert "webcal://plans.example.org/club/speed-5k/plan.ics" in page
    assert "https://calendar.google.com/calendar/r?cid=webcal" in page
    index = (tmp_path / "index.html").read_text("utf-8")
    assert "https://plans.example.org/club/speed-5k/plan.ics" in index
    code, output = run("build", "--out", str(tmp_path), "--base-url", "plans.example.org")
    assert code == 2
    assert "--base-url" in output


def _one_of_each(text: str) -> list[str]:
    """Counts of one written as plural ('1 files', '1 athletes'): never right."""
    import re

    return re.findall(r"\b1 (?:files|athletes|errors|warnings|workouts|plans|problems)\b", text)


def test_counts_of_one_are_singular(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Every summary line says '1 file', '1 athlete', '1 error', '1 warning', never '1 files'."""
    from compiler.api import BuildResult
    from compiler.cli.site_commands import _changes, _summary
    from compiler.report import Report, count

    assert [count(n, "file") for n in (0, 1, 2)] == ["0 files", "1 file", "2 files"]
    assert Report((), 1).summary() == "no problems in 1 file"
    one = tmp_path / "one"
    one.mkdir()
    (one / "half-marathon.yaml").write_text(HALF, "utf-8")
    out = tmp_path / "out"
    outputs = []
    for args in (
        ("check", str(one), "--no-project"),
        ("build", str(one), "--no-project", "--out", str(out), "--today", "2026-11-22"),
        ("build", str(one), "--no-project", "--out", str(out), "--today", "2026-11-22"),
        ("index", str(out), "--no-project"),
        ("diff", str(out), str(out), "--no-project"),
    ):
        code, output = run(*args)
        assert code == 0, output
        outputs.append(output)
    text = "\n".join(outputs)
    assert "ok: 1 athlete ready to build" in text
    assert "(1 athlete up to date, skipped)" in text
    assert ": 1 athlete\n" in text  # planc index
    assert "no differences (1 athlete compared)" in text
    assert _one_of_each(text) == [], text
    result = BuildResult(("a",), (), 1, ("a/plan.md",), (), 1, (), skipped=("b",))
    capsys.readouterr()
    _summary(result, out)
    _changes(result)
    said = capsys.readouterr().err
    assert "1 workout, 1 file written" in said and "a build would write 1 file:" in said
    assert _one_of_each(said) == [], said


def _help_texts() -> dict[str, str]:
    texts = {"planc": run("--help")[1]}
    for name in sorted(main.commands):
        code, output = run(name, "--help")
        assert code == 0, output
        texts[f"planc {name}"] = output
    return texts


def test_every_doc_link_in_help_resolves_for_an_installed_planc() -> None:
    """The wheel ships no docs/ folder: --help names pages of the documented Documentation URL
    (pyproject.toml [project.urls]), each a page that exists, and never a local docs/ path."""
    import re
    import tomllib

    from compiler import DOCS_URL, doc_link

    root = Path(__file__).resolve().parent.parent
    urls = tomllib.loads((root / "pyproject.toml").read_text("utf-8"))["project"]["urls"]
    assert urls["Documentation"] == DOCS_URL
    prefix = doc_link("")
    links = 0
    for command, text in _help_texts().items():
        assert not re.search(r"(?<![/\w])docs/", text), f"{command}: a local docs/ path\n{text}"
        for url in re.findall(r"https?://\S+", text):
            url = url.rstrip(").,;")
            if "/docs" not in url:
                continue  # an example address, not documentation
            links += 1
            assert url == DOCS_URL or url.startswith(prefix), (command, url)
            if url != DOCS_URL:
                assert (root / "docs" / url.removeprefix(prefix)).is_file(), (command, url)
    assert links >= 2  # the Documentation line, and the --format reports page
