"""The project file planc.yaml (compiler/cli/project.py): found by walking up from the working
folder, options on the command line over it, a broken one reported at file:line:column, and the
guard that keeps `planc build` from building the bundled examples into a coach's folder that has
none."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from compiler.cli import main
from compiler.cli.project import (
    ProjectFileError,
    coach_folder,
    find_project_file,
    load_project_file,
)
from compiler.commands.scaffold import init_repository
from compiler.resources import examples_dir
from compiler.sources.discover import PROJECT_FILE

TODAY = "2026-11-22"
BUNDLED_IDS = sorted(
    p.stem for p in examples_dir().rglob("*.yaml") if "kind: athlete" in p.read_text("utf-8")
)


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    return result.exit_code, result.output


def run_json(*args: str) -> tuple[int, str]:
    """stdout alone: what a tool reading --format json gets."""
    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    return result.exit_code, result.stdout


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A coach's repository as `planc init` makes it, with a planc.yaml at its root."""
    target = tmp_path / "coach"
    init_repository(target)
    (target / "athletes" / "nested" / "deeper").mkdir(parents=True)
    return target


@pytest.fixture
def bare(repo: Path) -> Path:
    """The same repository without its planc.yaml: what coaches have today."""
    (repo / PROJECT_FILE).unlink()
    return repo


def write_project(repo: Path, text: str) -> Path:
    path = repo / PROJECT_FILE
    path.write_text(text, "utf-8")
    return path


# --- finding and loading ---------------------------------------------------------------------


def test_found_from_a_nested_subfolder_and_paths_resolve_against_its_folder(repo: Path) -> None:
    deeper = repo / "athletes" / "nested" / "deeper"
    assert find_project_file(deeper) == repo / PROJECT_FILE
    project = load_project_file(find_project_file(deeper) or Path())
    assert project.root == repo
    assert project.athletes == (repo / "athletes",)
    assert project.templates == (repo / "templates",)
    assert project.out == repo / "public"
    assert (project.domain, project.base_url) == (None, None)


def test_not_found_without_one(tmp_path: Path) -> None:
    (tmp_path / "a" / "b").mkdir(parents=True)
    assert find_project_file(tmp_path / "a" / "b") is None


def test_base_url_is_normalized_and_absolute_paths_are_kept(repo: Path, tmp_path: Path) -> None:
    elsewhere = tmp_path / "site"
    write_project(
        repo,
        f"athletes: [athletes]\nout: {elsewhere}\ndomain: plans.example.org\n"
        "base_url: HTTPS://example.org/club\n",
    )
    project = load_project_file(repo / PROJECT_FILE)
    assert project.out == elsewhere
    assert project.templates == ()
    assert project.domain == "plans.example.org"
    assert project.base_url == "https://example.org/club/"


def test_the_check_from_a_subfolder_uses_the_project(
    repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(repo / "athletes" / "nested" / "deeper")
    code, output = run("check", "--today", TODAY)
    assert code == 0, output
    assert f"planc: using {repo / PROJECT_FILE}" in output
    assert "1 athlete ready to build" in output, "the coach's athlete, not the bundled four"


def test_building_one_athlete_inside_the_repository_finds_its_templates(
    repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(repo / "athletes")
    code, output = run("build", "example-athlete.yaml", "--today", TODAY)
    assert code == 0, output
    assert "my-focus" not in output, "the coach's own focus resolves"
    plan = json.loads((repo / "public" / "example-athlete" / "plan.json").read_text("utf-8"))
    assert plan["focus"] == "my-focus"
    assert not (repo / "athletes" / "public").exists(), "the site goes where planc.yaml says"
    code, output = run("explain", "example-athlete.yaml", "--week", "1", "--today", TODAY)
    assert code == 0, output
    assert "my-focus" in output


def test_the_build_without_arguments_builds_the_repository(
    repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(repo / "templates")
    code, output = run("build", "--today", TODAY)
    assert code == 0, output
    assert sorted(p.name for p in (repo / "public").iterdir() if p.is_dir()) == ["example-athlete"]


# --- precedence: the command line, then planc.yaml, then the defaults -------------------------


def uids(ics: Path) -> set[str]:
    return {
        line.split("@", 1)[1].strip()
        for line in ics.read_text("utf-8").splitlines()
        if line.startswith("UID:")
    }


def test_options_on_the_command_line_win_over_the_project_file(
    repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_project(
        repo,
        "athletes: [athletes]\ntemplates: [templates]\nout: site\n"
        "domain: plans.example.org\nbase_url: https://example.org/club/\n",
    )
    monkeypatch.chdir(repo)
    code, output = run("build", "--today", TODAY)
    assert code == 0, output
    built = repo / "site" / "example-athlete"
    assert uids(built / "plan.ics") == {"plans.example.org"}
    assert "webcal://example.org/club/example-athlete/plan.ics" in (built / "index.html").read_text(
        "utf-8"
    )

    other = tmp_path / "other"
    code, output = run(
        "build", "--today", TODAY, "--out", str(other),
        "--domain", "coach.example.net", "--base-url", "https://coach.example.net/",
    )  # fmt: skip
    assert code == 0, output
    assert uids(other / "example-athlete" / "plan.ics") == {"coach.example.net"}
    page = (other / "example-athlete" / "index.html").read_text("utf-8")
    assert "webcal://coach.example.net/example-athlete/plan.ics" in page
    assert "example.org/club" not in page


def test_templates_on_the_command_line_replace_the_project_ones(
    repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (repo / "empty").mkdir()
    monkeypatch.chdir(repo)
    code, output = run("check", "--templates", "empty", "--today", TODAY)
    assert code == 1, "without the project's templates, my-focus does not exist"
    assert "there is no focus named 'my-focus'" in output


def test_the_defaults_apply_where_the_project_file_is_silent(
    repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_project(repo, "athletes: [athletes]\ntemplates: [templates]\n")
    monkeypatch.chdir(repo / "athletes")
    code, output = run("build", "--today", TODAY)
    assert code == 0, output
    assert uids(repo / "public" / "example-athlete" / "plan.ics") == {"planc.invalid"}


def test_an_explicit_project_from_outside_and_no_project(
    repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    monkeypatch.chdir(outside)
    code, output = run("check", "--project", str(repo), "--today", TODAY)
    assert code == 0, output
    assert "1 athlete ready to build" in output
    monkeypatch.chdir(repo)
    code, output = run("check", "--no-project", "athletes", "--today", TODAY)
    assert code == 1, "--no-project: the project's templates are not used"
    assert "using" not in output


def test_json_output_stays_clean(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(repo / "athletes")
    code, stdout = run_json("check", "--format", "json", "--today", TODAY)
    assert code == 0
    assert json.loads(stdout)["summary"]["errors"] == 0
    code, stdout = run_json("build", "--format", "json", "--today", TODAY)
    assert code == 0
    assert json.loads(stdout)["build"]["athletes"] == 1


def test_diff_and_index_default_to_the_project_output(
    repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(repo)
    assert run("build", "--today", TODAY)[0] == 0
    assert run("build", "--today", TODAY, "--out", "old")[0] == 0
    code, output = run("diff", "old")
    assert code == 0, output
    assert "no differences (1 athlete compared)" in output
    (repo / "public" / "index.html").unlink()
    code, output = run("index")
    assert code == 0, output
    assert (repo / "public" / "index.html").is_file()


# --- a broken project file --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("athletes: [athletes]\nout: public\not: x\n", "planc.yaml:3:1: error[unknown-key]"),
        ("athletes: athletes\n", "planc.yaml:1:11: error[bad-type]: 'athletes' must be a list"),
        ("templates: [templates]\n", "planc.yaml:1:1: error[missing-key]"),
        ("athletes: [athletes\n", "planc.yaml:2:1: error[yaml-syntax]"),
        ("athletes: [athletes]\ndomain: not a domain\n", "planc.yaml:2:9: error[bad-value]"),
        ("athletes: [athletes]\nbase_url: ftp://x/\n", "planc.yaml:2:11: error[bad-value]"),
        (
            "athletes: [athletes]\ntemplates: [tempaltes]\n",
            "planc.yaml:2:13: error[bad-value]: the folder 'tempaltes' in 'templates' is not there",
        ),
        ("athletes: [athletes]\nout: README.md\n", "planc.yaml:2:6: error[bad-value]"),
        ("", "planc.yaml: error[empty-file]"),
    ],
)
def test_a_bad_project_file_is_a_diagnostic_with_its_place(
    repo: Path, monkeypatch: pytest.MonkeyPatch, text: str, expected: str
) -> None:
    write_project(repo, text)
    monkeypatch.chdir(repo)
    for command in (["check"], ["build"], ["explain", "example-athlete"], ["diff", "public"]):
        code, output = run(*command)
        assert code == 2, (command, output)
        assert expected in output, output
        assert "Traceback" not in output and "internal error" not in output
    assert not (repo / "public").exists(), "nothing built"
    with pytest.raises(ProjectFileError):
        load_project_file(repo / PROJECT_FILE)


def test_a_misspelt_folder_gets_a_did_you_mean(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write_project(repo, "athletes: [athletes]\ntemplates: [tempaltes]\n")
    monkeypatch.chdir(repo)
    code, output = run("check")
    assert code == 2
    assert "did you mean 'templates'?" in output
    code, stdout = run_json("check", "--format", "json")
    assert code == 2
    (problem,) = json.loads(stdout)["diagnostics"]
    assert (problem["file"], problem["line"], problem["column"]) == ("planc.yaml", 2, 13)


# --- no project file ----------------------------------------------------------------------------


def test_no_arguments_in_a_coach_folder_without_a_project_file_is_refused(
    bare: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import compiler.commands.serve

    def never(*args: object, **kwargs: object) -> None:
        raise AssertionError("planc serve started a server on the bundled examples")

    monkeypatch.setattr(
        compiler.commands.serve, "PreviewServer", never
    )  # a regression fails, not hangs
    monkeypatch.chdir(bare)
    code, output = run("build")
    assert code == 2
    assert "looks like a coach's repository" in output
    assert "planc init --project-file-only ." in output
    assert "planc build athletes --templates templates" in output
    assert not (bare / "public").exists(), "the bundled examples were not built into it"
    for command in ("check", "serve"):
        code, output = run(command)
        assert code == 2, command
        assert f"planc {command} athletes --templates templates" in output


def test_the_guard_looks_up_to_the_git_root(bare: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    deeper = bare / "athletes" / "nested" / "deeper"
    assert coach_folder(deeper) is None, "outside git, only the working folder itself"
    (bare / ".git").mkdir()
    assert coach_folder(deeper) == bare
    monkeypatch.chdir(deeper)
    code, output = run("build")
    assert code == 2
    assert "planc init --project-file-only ../../.." in output
    assert not (deeper / "public").exists()


def test_no_project_builds_the_bundled_examples_even_there(
    bare: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(bare)
    code, output = run("build", "--no-project", "--today", TODAY)
    assert code == 0, output
    assert sorted(p.name for p in (bare / "public").iterdir() if p.is_dir()) == BUNDLED_IDS


def test_naming_the_athletes_without_templates_says_why_the_focus_is_missing(
    bare: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(bare)
    code, output = run("build", "athletes", "--today", TODAY)
    assert code == 1
    assert "there is no focus named 'my-focus'" in output
    assert "templates/ is not searched for templates: pass --templates templates" in output
    code, output = run("build", "athletes", "--templates", "templates", "--today", TODAY)
    assert code == 0, output
    assert "not searched" not in output


def test_project_file_only_makes_an_existing_repository_a_project(
    bare: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(bare)
    code, output = run("init", "--project-file-only", ".")
    assert code == 0, output
    assert (bare / PROJECT_FILE).is_file()
    before = {".github", ".gitignore", ".pre-commit-config.yaml", ".vscode", "README.md"}
    before |= {"athletes", "schemas", "templates"}
    assert {p.name for p in bare.iterdir()} == before | {"planc.yaml"}, "planc.yaml alone"
    code, output = run("build", "--today", TODAY)
    assert code == 0, output
    assert (bare / "public" / "example-athlete" / "plan.ics").is_file()
    code, output = run("init", "--project-file-only", ".")
    assert code == 2
    assert "already exists" in output


def test_without_a_coach_folder_the_bundled_build_is_unchanged(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The README's contract: `planc build` with no arguments, anywhere else, builds the
    bundled examples into ./public, and says nothing about project files."""
    (tmp_path / "athletes").mkdir()  # one of the two folders is not a coach's repository
    monkeypatch.chdir(tmp_path)
    code, output = run("build", "--today", TODAY)
    assert code == 0, output
    assert sorted(p.name for p in (tmp_path / "public").iterdir() if p.is_dir()) == BUNDLED_IDS
    assert "planc.yaml" not in output and "planc: " not in output


def test_check_of_a_whole_repository_skips_its_project_file(
    repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(repo.parent)
    code, output = run("check", "coach", "--no-project", "--today", TODAY)
    assert code == 0, output
    assert "no problems in 3 files" in output, "planc.yaml is not read as a plan document"


def test_a_project_file_passed_by_name_is_not_read_as_a_plan(
    repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """pre-commit's default hook passes every changed .yaml file, planc.yaml among them."""
    monkeypatch.chdir(repo)
    code, output = run("check", "planc.yaml", "athletes/example-athlete.yaml", "--today", TODAY)
    assert code == 0, output
    assert "1 athlete ready to build" in output


def test_the_coach_repo_example_checks_from_inside_it(monkeypatch: pytest.MonkeyPatch) -> None:
    """examples/coach-repo has its own planc.yaml: `planc check` there checks its athlete and its
    templates (4 files: the athlete, the trail focus and two workouts), not the bundled examples."""
    monkeypatch.chdir(examples_dir() / "coach-repo" / "athletes")
    code, output = run_json("check", "--today", TODAY, "--format", "json")
    assert code == 0, output
    assert json.loads(output)["summary"] == {"errors": 0, "warnings": 0, "files": 4}
