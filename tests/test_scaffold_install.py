"""The scaffold installs (issue 13, item 2): planc is not on PyPI, so the scaffold's README, its
CI workflow, the CI recipes and the docs install one release from planc's repository, pinned to
the package's version, with one and the same line.

The line is run as written in a fresh virtual environment, against a local copy of planc's
repository tagged with the release (the address is the only thing replaced), then every step of
the scaffold's workflow runs in a repository the installed planc scaffolds.  Nothing is
downloaded: pip is told to use no index and to build without isolation, and the environment
borrows planc's dependencies (and the build backend, hatchling) from this one through a .pth
file, planc itself left out, so the only planc there is the one the line installs."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import sysconfig
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from ruamel.yaml import YAML

from compiler import __version__

ROOT = Path(__file__).resolve().parent.parent
SCAFFOLD = ROOT / "compiler" / "commands" / "scaffold_files"
WORKFLOW = SCAFFOLD / "dot-github" / "workflows" / "planc.yml"
HOME = "https://github.com/planc-dev/planc"
INSTALL = f'pip install "planc @ git+{HOME}@v{__version__}"'
# Every file that tells someone how to install planc: each must say exactly INSTALL.
INSTALLING = [
    SCAFFOLD / "README.md",
    WORKFLOW,
    *sorted((ROOT / "examples" / "ci").rglob("*.y*ml")),
    ROOT / "examples" / "ci" / "README.md",
    ROOT / "docs" / "editors.md",
]

needs_checkout = pytest.mark.skipif(
    not (ROOT / "pyproject.toml").is_file(), reason="needs the source checkout"
)


def install_lines(path: Path) -> list[str]:
    """The lines of ``path`` that install planc with pip, as a shell would run them."""
    found = []
    for line in path.read_text("utf-8").splitlines():
        text = line.strip().removeprefix("- ").removeprefix("run: ")
        if re.match(r"pip install\b.*\bplanc\b", text) and "--find-links" not in text:
            found.append(text)
    return found


@pytest.mark.parametrize("path", INSTALLING, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_every_install_line_is_the_pinned_release(path: Path) -> None:
    """One line everywhere, pinned to this version (never a bare `pip install planc`, which no
    registry has)."""
    lines = install_lines(path)
    assert lines, f"{path.name} installs no planc"
    assert set(lines) == {INSTALL}


def test_the_pre_commit_hook_runs_the_release_ci_installs() -> None:
    config = YAML(typ="safe").load((SCAFFOLD / "dot-pre-commit-config.yaml").read_text("utf-8"))
    (hooks,) = [r for r in config["repos"] if r["repo"] == HOME]
    assert hooks["rev"] == f"v{__version__}"


def test_the_pin_is_the_package_version() -> None:
    if (ROOT / "pyproject.toml").is_file():
        pyproject = (ROOT / "pyproject.toml").read_text("utf-8")
        assert f'\nversion = "{__version__}"\n' in pyproject
    assert INSTALL.endswith(f'@v{__version__}"')


# --- the line, run ---------------------------------------------------------------------------


def _run(
    args: list[str], cwd: Path, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, check=False)
    assert result.returncode == 0, f"{args}\n{result.stdout}\n{result.stderr}"
    return result


def _borrowed(into: Path) -> Path:
    """This environment's packages but planc, linked into ``into``: the fresh environment's
    dependencies and build backend, without an installed planc that would satisfy the line."""
    into.mkdir()
    ours = Path(sysconfig.get_paths()["purelib"])
    for entry in ours.iterdir():
        name = entry.name.lower()
        if name.endswith(".pth") or name.startswith(("planc", "_editable_impl_planc", "pip")):
            continue
        if name.startswith("__editable__") or name == "compiler":
            continue
        (into / entry.name).symlink_to(entry)
    return into


def _repository(into: Path) -> Path:
    """A git repository of planc's sources, the release tagged as on planc's home."""
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, into / name)
    skip = shutil.ignore_patterns("__pycache__", "*.pyc", "_bundled")
    for name in ("compiler", "templates", "schemas", "examples"):
        shutil.copytree(ROOT / name, into / name, ignore=skip)
    _git(into, "init", "-q")
    _git(into, "add", "-A")
    _git(into, "commit", "-q", "-m", "release")
    _git(into, "tag", f"v{__version__}")
    return into


def _git(cwd: Path, *args: str) -> None:
    identity = ["-c", "user.name=planc test", "-c", "user.email=test@planc.invalid"]
    _run(["git", *identity, "-c", "commit.gpgsign=false", *args], cwd)


def _shell_env(venv: Path, tmp: Path) -> dict[str, str]:
    """What the lines run with: the environment's bin first, no PYTHONPATH to the checkout, and
    pip kept offline (no index; the build backend from the environment, not downloaded)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "PIP_", "VIRTUAL"))}
    env.update(
        PATH=f"{venv / 'bin'}{os.pathsep}/usr/local/bin{os.pathsep}/usr/bin{os.pathsep}/bin",
        PIP_NO_INDEX="1",
        PIP_NO_BUILD_ISOLATION="0",  # pip's spelling of --no-build-isolation
        PIP_DISABLE_PIP_VERSION_CHECK="1",
        PIP_CACHE_DIR=str(tmp / "pip-cache"),
        GIT_CONFIG_GLOBAL=os.devnull,
    )
    return env


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, dict[str, str]]]:
    """A fresh virtual environment in which the README's install line has run."""
    if shutil.which("git") is None:
        pytest.skip("the install line needs git")
    tmp = tmp_path_factory.mktemp("install")
    venv = tmp / "venv"
    made = subprocess.run(
        [sys.executable, "-m", "venv", str(venv)], capture_output=True, text=True, check=False
    )
    if made.returncode != 0:
        pytest.skip(f"cannot create a virtual environment here: {made.stderr.strip()}")
    python = venv / "bin" / "python"
    purelib = _run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"], tmp
    )
    (Path(purelib.stdout.strip()) / "borrowed.pth").write_text(
        f"{_borrowed(tmp / 'borrowed')}\n", "utf-8"
    )
    repository = _repository(Path(tmp_path_factory.mktemp("planc")))
    (line,) = install_lines(SCAFFOLD / "README.md")
    assert HOME in line
    env = _shell_env(venv, tmp)
    # file://localhost/...: the pip of Python 3.11 takes a git URL only with a host
    local = f"file://localhost{repository.as_posix()}"
    _run(["bash", "-c", line.replace(HOME, local)], tmp, env)
    yield venv, env


@needs_checkout
def test_the_install_line_installs_this_release(installed: tuple[Path, dict[str, str]]) -> None:
    venv, env = installed
    elsewhere = venv.parent
    version = _run(["planc", "--version"], elsewhere, env).stdout
    assert __version__ in version
    where = _run(["python", "-c", "import compiler; print(compiler.__file__)"], elsewhere, env)
    assert where.stdout.startswith(str(venv)), "the installed planc is used, not the checkout"


@needs_checkout
def test_the_workflow_runs_on_a_repository_the_installed_planc_scaffolds(
    installed: tuple[Path, dict[str, str]],
) -> None:
    """Every `run:` step of the scaffold's workflow, as written (the build's `if:` taken as on
    the main branch), in a repository `planc init` of the installed planc wrote."""
    venv, env = installed
    work = venv.parent
    _run(["planc", "init", "plans"], work, env)
    repo = work / "plans"
    _git(repo, "init", "-q")
    _git(repo, "add", "-A")
    _git(repo, "commit", "-q", "-m", "plans")  # the build takes SOURCE_DATE_EPOCH from it
    workflow: Any = YAML(typ="safe").load((repo / ".github/workflows/planc.yml").read_text())
    (job,) = workflow["jobs"].values()
    runs = [str(step["run"]) for step in job["steps"] if "run" in step]
    assert runs[0] == INSTALL, "the workflow installs planc first, with the README's line"
    ran = []
    for script in runs[1:]:
        result = _run(["bash", "-e", "-c", script], repo, env)
        ran.append(script)
        assert "::error" not in result.stdout, result.stdout
    assert any(s.startswith("planc check") for s in ran)
    assert (repo / "public" / "example-athlete" / "plan.ics").is_file()
    assert (repo / "public" / "index.html").is_file()
