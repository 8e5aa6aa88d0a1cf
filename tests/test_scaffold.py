"""`planc init` and `planc schema --out`: compiler/commands/scaffold.py, its package data
(compiler/commands/scaffold_files/), and the pre-commit hook planc offers other repositories.

The scaffolded repository is checked and built through the command line, exactly as its README
and CI workflow tell a coach to."""

from __future__ import annotations

import fnmatch
import json
import os
import re
import shlex
import subprocess
import sys
import zipfile
from pathlib import Path, PurePosixPath
from typing import Any

import pytest
from click.testing import CliRunner
from jsonschema import Draft202012Validator
from ruamel.yaml import YAML

from compiler import __version__
from compiler.cli import main
from compiler.commands import scaffold
from compiler.commands.scaffold import (
    ScaffoldConflict,
    init_repository,
    repository_files,
    schema_files,
    write_schemas,
)
from compiler.diagnostics import EXIT_USAGE, UsageError
from compiler.resources import schemas_dir

ROOT = Path(__file__).resolve().parent.parent
SCAFFOLD_SOURCE = ROOT / "compiler" / "commands" / "scaffold_files"
MODELINE = re.compile(r"^# yaml-language-server: \$schema=(?P<path>\S+)\s*$")
KIND_FOLDERS = {"workouts": "workout", "phases": "phase", "foci": "focus", "programs": "program"}
EXPECTED = {
    ".github/workflows/planc.yml",
    ".gitignore",
    ".pre-commit-config.yaml",
    ".vscode/extensions.json",
    ".vscode/settings.json",
    "README.md",
    "athletes/example-athlete.yaml",
    "planc.yaml",
    "templates/foci/my-focus.yaml",
    "templates/workouts/fartlek.yaml",
} | {f"schemas/{p.name}" for p in schemas_dir().glob("*.schema.json")}

needs_checkout = pytest.mark.skipif(
    not (ROOT / "pyproject.toml").is_file(), reason="needs the source checkout"
)


def load_yaml(path: Path) -> Any:
    return YAML(typ="safe", pure=True).load(path.read_text("utf-8"))


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    return result.exit_code, result.output + (result.stderr if result.stderr_bytes else "")


def tree(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def documents(repo: Path) -> list[Path]:
    """The planc documents of a scaffolded repository."""
    folders = (repo / "athletes", repo / "templates")
    return sorted(p for folder in folders for p in folder.rglob("*.y*ml"))


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    target = tmp_path / "plans"
    init_repository(target)
    return target


# --- what the scaffold writes ----------------------------------------------------------------


def test_init_writes_the_scaffold_and_returns_its_paths(tmp_path: Path) -> None:
    target = tmp_path / "new" / "plans"  # created, parents too
    written = init_repository(target)
    assert written == sorted(written)
    assert {p.relative_to(target).as_posix() for p in written} == EXPECTED
    assert set(tree(target)) == EXPECTED, "exactly the scaffold, and no temporary files"
    assert tree(target) == repository_files()


def test_dot_names_in_the_package_become_dotfiles() -> None:
    sources = {p.relative_to(SCAFFOLD_SOURCE).as_posix() for p in SCAFFOLD_SOURCE.rglob("*")}
    assert "dot-gitignore" in sources
    assert "dot-github/workflows/planc.yml" in sources
    assert not any(part.startswith(".") for s in sources for part in PurePosixPath(s).parts)
    assert {".gitignore", ".github/workflows/planc.yml"} <= set(repository_files())


def test_the_schemas_are_the_bundled_ones(repo: Path) -> None:
    for name, data in schema_files().items():
        assert (repo / "schemas" / name).read_bytes() == data
        assert data == (schemas_dir() / name).read_bytes()


def test_the_scaffold_checks_clean(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(repo)
    for args in (["check"], ["check", "athletes", "templates"]):  # planc.yaml, or the folders
        code, output = run(*args)
        assert code == 0, output
        assert "warning" not in output and "error" not in output, output
        assert "planc: using planc.yaml" in output
        assert "1 athlete ready to build" in output


def test_the_scaffold_builds_and_uses_its_own_templates(
    repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(repo)
    code, output = run("build")  # planc.yaml: athletes/, templates/, into public/
    assert code == 0, output
    site = repo / "public" / "example-athlete"
    for name in ("plan.ics", "busy.ics", "plan.md", "index.html", "plan.json"):
        assert (site / name).stat().st_size > 0
    assert (repo / "public" / "index.html").is_file()
    plan = json.loads((site / "plan.json").read_text("utf-8"))
    assert plan["focus"] == "my-focus"
    assert (plan["start"], plan["race"]["date"]) == ("2027-01-04", "2027-05-23")
    used = {w["template"] for week in plan["weeks"] for w in week["workouts"]}
    assert "fartlek" in used, "the coach's own workout is scheduled"
    assert "tempo-run" in used, "alongside the bundled library"


def test_the_example_race_is_about_twenty_weeks_after_the_start(repo: Path) -> None:
    athlete = load_yaml(repo / "athletes" / "example-athlete.yaml")
    start, race = athlete["start"], athlete["race"]["date"]
    assert str(start) == "2027-01-04"
    assert 16 * 7 <= (race - start).days <= 21 * 7


def test_every_yaml_file_has_a_modeline_to_its_schema_and_validates(repo: Path) -> None:
    found = documents(repo)
    assert len(found) == 3
    for path in [*found, repo / "planc.yaml"]:
        first = path.read_text("utf-8").splitlines()[0]
        match = MODELINE.match(first)
        assert match, f"{path}: the first line is not a modeline"
        assert not match["path"].startswith("/") and "://" not in match["path"]
        schema_path = (path.parent / match["path"]).resolve()
        assert schema_path.is_file(), f"{path}: {match['path']} does not exist"
        data = load_yaml(path)
        kind = "project" if path.name == "planc.yaml" else data["kind"]
        assert schema_path == (repo / "schemas" / f"{kind}.schema.json").resolve()
        if kind != "project":
            assert kind == KIND_FOLDERS.get(path.parent.name, "athlete")
        schema = json.loads(schema_path.read_text("utf-8"))
        plain = json.loads(json.dumps(data, default=str))  # YAML dates as ISO strings
        errors = [e.message for e in Draft202012Validator(schema).iter_errors(plain)]
        assert not errors, f"{path}: {errors}"


def test_vscode_settings_map_every_schema_to_its_folder(repo: Path) -> None:
    settings = json.loads((repo / ".vscode" / "settings.json").read_text("utf-8"))
    mapping: dict[str, list[str]] = settings["yaml.schemas"]
    assert set(mapping) == {
        f"./schemas/{kind}.schema.json"
        for kind in ("athlete", "workout", "phase", "focus", "program", "project")
    }
    for schema in mapping:
        assert (repo / schema).is_file()
    for path in [*documents(repo), repo / "planc.yaml"]:
        relative = path.relative_to(repo).as_posix()
        kind = "project" if relative == "planc.yaml" else load_yaml(path)["kind"]
        matching = {
            schema
            for schema, globs in mapping.items()
            if any(fnmatch.fnmatchcase(relative, glob) for glob in globs)
        }
        assert matching == {f"./schemas/{kind}.schema.json"}, relative
    extensions = json.loads((repo / ".vscode" / "extensions.json").read_text("utf-8"))
    assert "redhat.vscode-yaml" in extensions["recommendations"]


def test_pre_commit_config_runs_the_planc_check_hook(repo: Path) -> None:
    text = (repo / ".pre-commit-config.yaml").read_text("utf-8")
    assert "pre-commit autoupdate" in text, "the comment explains how to pin and move rev"
    config = load_yaml(repo / ".pre-commit-config.yaml")
    (entry,) = config["repos"]
    assert entry["repo"] == "https://github.com/planc-dev/planc"
    assert entry["rev"] == "v0.1.0"
    (hook,) = entry["hooks"]
    assert hook["id"] == "planc-check"
    assert hook["args"] == [], "planc check reads planc.yaml"
    assert hook["pass_filenames"] is False
    files = re.compile(hook["files"])
    for path in (
        "athletes/a.yaml",
        "templates/foci/my-focus.yaml",
        "templates/workouts/x.yml",
        "planc.yaml",
    ):
        assert files.search(path), path
    for path in (
        ".pre-commit-config.yaml",
        ".github/workflows/planc.yml",
        "schemas/a.json",
        "athletes/planc.yaml.bak",
    ):
        assert not files.search(path), path


def test_ci_workflow_checks_everywhere_and_builds_on_main(repo: Path) -> None:
    workflow = load_yaml(repo / ".github" / "workflows" / "planc.yml")
    assert {"push", "pull_request"} <= set(workflow["on"])
    (job,) = workflow["jobs"].values()
    steps: list[dict[str, Any]] = job["steps"]
    uses = [s.get("uses", "") for s in steps]
    assert uses[0].startswith("actions/checkout@")
    setup = next(s for s in steps if s.get("uses", "").startswith("actions/setup-python@"))
    assert str(setup["with"]["python-version"]) == "3.11"
    runs = [(s.get("if"), s.get("run", "")) for s in steps]
    assert (
        None,
        f'pip install "planc @ git+https://github.com/planc-dev/planc@v{__version__}"',
    ) in runs
    assert (None, "planc check --format github") in runs  # planc.yaml says what to check
    on_main = "github.ref == 'refs/heads/main'"
    assert any(cond == on_main and run.rstrip().endswith("\nplanc build") for cond, run in runs)
    project = load_yaml(repo / "planc.yaml")
    assert (project["athletes"], project["templates"], project["out"]) == (
        ["athletes"],
        ["templates"],
        "public",
    ), "the folders the workflow checks, and the site it uploads"
    upload = next(s for s in steps if s.get("uses", "").startswith("actions/upload-artifact@"))
    assert upload["if"] == on_main
    assert upload["with"]["path"].rstrip("/") == "public"
    assert uses.index(upload["uses"]) == len(steps) - 1, "upload after the build"


def test_every_planc_command_of_the_workflow_runs_clean_on_the_scaffold(
    repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The workflow's own command lines, so an option it relies on (`--format github`) cannot
    go missing unnoticed."""
    monkeypatch.chdir(repo)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1798761600")  # the workflow takes the commit's
    workflow = load_yaml(repo / ".github" / "workflows" / "planc.yml")
    commands = [
        shlex.split(line)[1:]
        for (job,) in [workflow["jobs"].values()]
        for step in job["steps"]
        for line in step.get("run", "").splitlines()
        if line.strip().startswith("planc ")
    ]
    assert [c[0] for c in commands] == ["check", "build"]
    for args in commands:
        code, output = run(*args)
        assert code == 0, f"planc {shlex.join(args)}\n{output}"
    assert (repo / "public" / "example-athlete" / "plan.ics").is_file()


def test_gitignore_keeps_the_built_site_out(repo: Path) -> None:
    assert "public/" in (repo / ".gitignore").read_text("utf-8").splitlines()


# --- refusing and forcing ---------------------------------------------------------------------


def test_refuses_when_a_file_exists_and_writes_nothing(tmp_path: Path) -> None:
    (tmp_path / "README.md").write_text("my notes\n", "utf-8")
    (tmp_path / "athletes").mkdir()
    (tmp_path / "athletes" / "example-athlete.yaml").write_text("mine\n", "utf-8")
    before = tree(tmp_path)
    with pytest.raises(FileExistsError) as caught:
        init_repository(tmp_path)
    message = str(caught.value)
    # the first conflict in path order, named in full, and the way out
    assert f"{tmp_path / 'README.md'} already exists (and 1 more file" in message
    assert "--force" in message
    assert tree(tmp_path) == before


def test_force_overwrites_the_scaffold_files_only(tmp_path: Path) -> None:
    (tmp_path / "README.md").write_text("my notes\n", "utf-8")
    (tmp_path / "athletes").mkdir()
    (tmp_path / "athletes" / "ana.yaml").write_text("mine\n", "utf-8")
    written = init_repository(tmp_path, force=True)
    assert {p.relative_to(tmp_path).as_posix() for p in written} == EXPECTED
    assert (tmp_path / "README.md").read_bytes() == repository_files()["README.md"]
    assert (tmp_path / "athletes" / "ana.yaml").read_text("utf-8") == "mine\n"
    assert init_repository(tmp_path, force=True) == written  # again: same files, same bytes
    assert tree(tmp_path) == {**repository_files(), "athletes/ana.yaml": b"mine\n"}


def test_a_file_in_the_way_of_a_folder_is_refused_even_with_force(tmp_path: Path) -> None:
    (tmp_path / "templates").write_text("not a folder\n", "utf-8")
    with pytest.raises(ScaffoldConflict, match="templates is in the way"):
        init_repository(tmp_path, force=True)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["templates"]


def test_never_writes_through_a_symlink_out_of_the_target(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    target = tmp_path / "plans"
    target.mkdir()
    (target / "templates").symlink_to(outside, target_is_directory=True)
    with pytest.raises(ScaffoldConflict, match="outside"):
        init_repository(target, force=True)
    assert list(outside.iterdir()) == []
    assert sorted(p.name for p in target.iterdir()) == ["templates"]


def test_a_symlinked_file_is_not_replaced_even_with_force(tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere.md"
    elsewhere.write_text("keep\n", "utf-8")
    target = tmp_path / "plans"
    target.mkdir()
    (target / "README.md").symlink_to(elsewhere)
    with pytest.raises(ScaffoldConflict, match="symbolic link"):
        init_repository(target, force=True)
    assert elsewhere.read_text("utf-8") == "keep\n"


def test_a_target_that_is_a_file_is_refused(tmp_path: Path) -> None:
    (tmp_path / "plans").write_text("x", "utf-8")
    with pytest.raises(FileExistsError, match="not a folder"):
        init_repository(tmp_path / "plans")


def test_a_conflict_is_a_usage_error_for_the_command_line(tmp_path: Path) -> None:
    (tmp_path / "README.md").write_text("x", "utf-8")
    with pytest.raises(UsageError) as caught:
        init_repository(tmp_path)
    assert caught.value.exit_code == EXIT_USAGE


# --- planc schema --out -----------------------------------------------------------------------


def test_write_schemas_copies_every_bundled_schema(tmp_path: Path) -> None:
    out = tmp_path / "a" / "schemas"
    written = write_schemas(out)
    bundled = sorted(schemas_dir().glob("*.schema.json"))
    assert len(bundled) >= 6
    assert written == [out / p.name for p in bundled]
    assert tree(out) == {p.name: p.read_bytes() for p in bundled}


def test_write_schemas_replaces_old_schemas_atomically(tmp_path: Path) -> None:
    out = tmp_path / "schemas"
    out.mkdir()
    old = out / "athlete.schema.json"
    old.write_text("{}", "utf-8")
    os.link(old, tmp_path / "hardlink")  # a rewrite in place would change the link too
    (out / "mine.json").write_text("{}", "utf-8")
    write_schemas(out)
    assert old.read_bytes() == (schemas_dir() / "athlete.schema.json").read_bytes()
    assert (tmp_path / "hardlink").read_text("utf-8") == "{}", "a new file was renamed in place"
    assert (out / "mine.json").read_text("utf-8") == "{}"
    assert not [p for p in out.iterdir() if p.name.startswith(".")], "no temporary files left"


def test_write_schemas_refuses_a_file_as_the_folder(tmp_path: Path) -> None:
    (tmp_path / "schemas").write_text("x", "utf-8")
    with pytest.raises(FileExistsError):
        write_schemas(tmp_path / "schemas")


# --- the pre-commit hook planc offers ---------------------------------------------------------


@needs_checkout
def test_pre_commit_hooks_offers_planc_check() -> None:
    hooks = load_yaml(ROOT / ".pre-commit-hooks.yaml")
    by_id = {hook["id"]: hook for hook in hooks}
    hook = by_id["planc-check"]
    assert hook["entry"] == "planc check"
    assert hook["language"] == "python"
    assert hook["pass_filenames"] is True
    assert hook["name"]
    files = re.compile(hook["files"])
    assert files.search("athletes/ana.yaml") and files.search("templates/foci/x.yml")
    assert not files.search("schemas/athlete.schema.json")
    assert not files.search("notes.yaml.bak")
    # the scaffold's configuration refers to this hook
    config = load_yaml(SCAFFOLD_SOURCE / "dot-pre-commit-config.yaml")
    assert {h["id"] for repo in config["repos"] for h in repo["hooks"]} <= set(by_id)


# --- the wheel carries the scaffold -----------------------------------------------------------


@needs_checkout
def test_the_wheel_carries_the_scaffold_files(tmp_path: Path) -> None:
    pip_wheel = [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation"]
    subprocess.run(
        [*pip_wheel, "--quiet", "-w", str(tmp_path), str(ROOT)],
        cwd=tmp_path,
        check=True,
        capture_output=True,
    )
    (wheel,) = tmp_path.glob("planc-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    sources = sorted(p for p in SCAFFOLD_SOURCE.rglob("*") if p.is_file())
    assert len(sources) == len(EXPECTED) - len(schema_files())
    for path in sources:
        assert f"compiler/{path.relative_to(ROOT / 'compiler').as_posix()}" in names
    assert "compiler/commands/scaffold.py" in names


def test_an_os_error_while_writing_is_a_usage_error_not_a_crash(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No permission or a full disk is the user's to fix: exit code 2 and a message, not 3."""

    def denied(root: Path, files: object) -> None:
        raise PermissionError(13, "Permission denied", str(root))

    monkeypatch.setattr(scaffold, "write_files", denied)
    with pytest.raises(UsageError, match=r"cannot write into .*Permission denied"):
        init_repository(tmp_path / "plans")
    with pytest.raises(UsageError, match=r"cannot write into .*Permission denied"):
        write_schemas(tmp_path / "schemas")
