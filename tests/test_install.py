"""The wheel carries the bundled templates, schemas and examples: build it, install it in a fresh
virtual environment, and run `planc build` from a folder that is not the checkout.

Nothing is downloaded: the wheel is built without isolation (hatchling comes with the test extras)
and installed without its dependencies, which the fresh environment borrows from this one through
a .pth file, so only the wheel's own `compiler` package can be imported there.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.skipif(
    not (ROOT / "pyproject.toml").is_file(), reason="needs the source checkout"
)


def _run(*args: str | Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    # without PYTHONPATH: a test run pointing it at the checkout would shadow the installed wheel
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    result = subprocess.run(
        [str(a) for a in args], cwd=cwd, env=env, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, f"{args}\n{result.stdout}\n{result.stderr}"
    return result


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    _run(
        sys.executable,
        "-m",
        "pip",
        "wheel",
        "--no-deps",
        "--no-build-isolation",
        "--quiet",
        "-w",
        out,
        ROOT,
        cwd=out,
    )
    (found,) = out.glob("planc-*.whl")
    return found


def test_the_wheel_holds_the_bundled_library(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    for folder in ("templates", "schemas", "examples"):
        here = sorted(p for p in (ROOT / folder).rglob("*") if p.is_file())
        assert here
        for path in here:
            inside = f"compiler/_bundled/{folder}/{path.relative_to(ROOT / folder).as_posix()}"
            assert inside in names
    assert "compiler/emit/templates/plan.html.j2" in names


def test_planc_build_from_an_installed_wheel(wheel: Path, tmp_path: Path) -> None:
    venv = tmp_path / "venv"
    _run(sys.executable, "-m", "venv", venv, cwd=tmp_path)
    python = venv / "bin" / "python"
    _run(python, "-m", "pip", "install", "--quiet", "--no-deps", "--no-index", wheel, cwd=tmp_path)
    purelib = Path(
        _run(
            python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])", cwd=tmp_path
        ).stdout.strip()
    )
    (purelib / "borrowed_dependencies.pth").write_text(
        sysconfig.get_paths()["purelib"] + "\n", "utf-8"
    )
    work = tmp_path / "elsewhere"
    work.mkdir()
    where = _run(python, "-c", "import compiler; print(compiler.__file__)", cwd=work).stdout
    assert str(venv) in where, "the installed wheel is used, not the checkout"
    _run(venv / "bin" / "planc", "build", "--today", "2026-11-22", cwd=work)
    public = work / "public"
    ids = sorted(
        p.stem for p in (ROOT / "examples").rglob("*.yaml") if "kind: athlete" in p.read_text()
    )
    assert sorted(p.name for p in public.iterdir() if p.is_dir()) == ids
    plan = json.loads((public / ids[0] / "plan.json").read_text("utf-8"))
    assert plan["weeks"]
    check = _run(venv / "bin" / "planc", "check", cwd=work)
    assert "ok:" in check.stderr
    # explain names the bundled templates briefly, not by their place in site-packages
    text = _run(
        venv / "bin" / "planc", "explain", "half-marathon", "--today", "2026-11-22", cwd=work
    ).stdout
    assert "Program: half-marathon (bundled:programs/half-marathon.yaml)" in text
    assert "_bundled/templates" not in text and "bundled:foci/balanced.yaml:" in text
