"""The CI recipes in examples/ci/: every file parses, has the jobs and steps its README promises,
and every `planc ...` command line in it uses only commands and options the CLI accepts (asked
through `planc <command> --help`)."""

from __future__ import annotations

import re
import shlex
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from ruamel.yaml import YAML

from compiler.cli import main

ROOT = Path(__file__).resolve().parent.parent
CI = ROOT / "examples" / "ci"
RECIPES = sorted(p for pattern in ("*.yml", "*.yaml") for p in CI.rglob(pattern))
GITHUB = CI / "github" / ".github" / "workflows"
GITLAB = CI / "gitlab" / ".gitlab-ci.yml"

# Being added to the CLI: a recipe may use them before they exist (the test then xfails, naming
# them); any other unknown command or option is a mistake in the recipe.
PENDING_COMMANDS = {"index"}
PENDING_OPTIONS = {"--shard", "--jobs"}


def _rel(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()


def load(path: Path) -> Any:
    return YAML(typ="safe").load(path.read_text(encoding="utf-8"))


def scripts(document: Any) -> Iterator[str]:
    """Every shell script in a workflow (steps' `run:`) or a GitLab file (`script:` lists)."""
    if isinstance(document, dict):
        for key, value in document.items():
            if key == "run" and isinstance(value, str):
                yield value
            elif key in ("script", "before_script", "after_script"):
                yield from ([value] if isinstance(value, str) else value)
            else:
                yield from scripts(value)
    elif isinstance(document, list):
        for item in document:
            yield from scripts(item)


def planc_lines(path: Path) -> list[list[str]]:
    """The `planc` command lines of a recipe, as words."""
    found = []
    for script in scripts(load(path)):
        for line in script.replace("\\\n", " ").splitlines():
            words = shlex.split(line, comments=True)
            if words and words[0] == "planc":
                found.append(words)
    return found


def test_recipes_exist() -> None:
    names = {_rel(p) for p in RECIPES}
    assert {
        "examples/ci/github/.github/workflows/planc-pages.yml",
        "examples/ci/github/.github/workflows/planc-pages-sharded.yml",
        "examples/ci/gitlab/.gitlab-ci.yml",
    } <= names


@pytest.mark.parametrize("path", RECIPES, ids=_rel)
def test_recipe_parses_and_runs_planc(path: Path) -> None:
    assert isinstance(load(path), dict)
    assert planc_lines(path), f"{_rel(path)} runs no planc command"


def _steps(job: dict[str, Any]) -> list[dict[str, Any]]:
    steps = job.get("steps", [])
    assert isinstance(steps, list)
    return steps


def _uses(job: dict[str, Any]) -> list[str]:
    return [str(step.get("uses", "")).split("@")[0] for step in _steps(job)]


def _runs(job: dict[str, Any]) -> str:
    return "\n".join(str(step.get("run", "")) for step in _steps(job))


@pytest.mark.parametrize("name", ["planc-pages.yml", "planc-pages-sharded.yml"])
def test_github_workflow_checks_pull_requests_and_deploys_main(name: str) -> None:
    workflow = load(GITHUB / name)
    triggers = workflow["on"]
    assert "pull_request" in triggers and triggers["push"]["branches"] == ["main"]
    jobs = workflow["jobs"]
    assert "planc check --format github athletes templates" in _runs(jobs["check"])
    build = jobs["build"]
    assert "refs/heads/main" in build["if"]
    runs = _runs(build)
    assert "SOURCE_DATE_EPOCH=$(git log -1 --format=%ct)" in runs
    assert "--base-url" in runs and "steps.pages.outputs.base_url" in runs
    assert "actions/configure-pages" in _uses(build)
    assert "curl" in runs  # the published feeds, so they update in place
    deploy = jobs["deploy"]
    assert _uses(deploy) == ["actions/deploy-pages"]
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    uploader = jobs.get("site", build)
    assert "actions/upload-pages-artifact" in _uses(uploader)


def test_github_sharded_workflow_gathers_shards_and_indexes() -> None:
    jobs = load(GITHUB / "planc-pages-sharded.yml")["jobs"]
    shards = jobs["build"]["strategy"]["matrix"]["shard"]
    assert len(shards) == int(jobs["build"]["env"]["SHARDS"])
    assert '--shard "${{ matrix.shard }}/$SHARDS"' in _runs(jobs["build"])
    site = jobs["site"]
    assert site["needs"] == "build"
    assert "actions/download-artifact" in _uses(site)
    assert "planc index public" in _runs(site)
    assert jobs["deploy"]["needs"] == "site"


def test_gitlab_pipeline_shards_and_publishes_pages() -> None:
    pipeline = load(GITLAB)
    build = pipeline["build"]
    assert isinstance(build["parallel"], int) and build["parallel"] >= 2
    # GitLab numbers the jobs in CI_NODE_INDEX/CI_NODE_TOTAL: --shard auto reads them
    assert any("--shard auto" in line for line in build["script"])
    pages = pipeline["pages"]
    assert pages["needs"] == ["build"]
    assert pages["artifacts"]["paths"] == ["public/"]
    assert any(line.startswith("planc index public") for line in pages["script"])
    assert "planc check athletes templates" in pipeline["check"]["script"]


def _help(command: str) -> str | None:
    result = CliRunner().invoke(main, [command, "--help"])
    return result.output if result.exit_code == 0 else None


def _option_words(words: list[str]) -> list[str]:
    return [word.split("=")[0] for word in words if word.startswith("--")]


COMMAND_LINES = [
    pytest.param(words, id=f"{_rel(path)}: {' '.join(words[:2])} #{n}")
    for path in RECIPES
    for n, words in enumerate(planc_lines(path))
]


@pytest.mark.parametrize("words", COMMAND_LINES)
def test_planc_command_lines_use_known_options(words: list[str]) -> None:
    command = words[1]
    text = _help(command)
    if text is None:
        assert command in PENDING_COMMANDS, f"`planc {command}` does not exist"
        pytest.xfail(f"`planc {command}` is not in the CLI yet (being added)")
    unknown = [
        option
        for option in _option_words(words[2:])
        if not re.search(rf"(?<![\w-]){re.escape(option)}(?![\w-])", text)
    ]
    assert set(unknown) <= PENDING_OPTIONS, f"`planc {command}` does not accept {unknown}"
    if unknown:
        pytest.xfail(f"`planc {command}` has no {', '.join(unknown)} yet (being added)")
