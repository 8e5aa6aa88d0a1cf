"""`--shard auto`: the shard from the CI engine's variables (compiler/site/ci_shard.py), and a
build with it builds exactly the shards' athletes, each once."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from compiler.cli import main
from compiler.resources import examples_dir
from compiler.site.build_model import Shard, shard_of
from compiler.site.ci_shard import shard_from_environment


@pytest.mark.parametrize(
    ("text", "env", "expected"),
    [
        ("auto", {"CI_NODE_INDEX": "1", "CI_NODE_TOTAL": "4"}, Shard(1, 4)),
        ("auto", {"CI_NODE_INDEX": "4", "CI_NODE_TOTAL": "4"}, Shard(4, 4)),
        ("auto", {"CIRCLE_NODE_INDEX": "0", "CIRCLE_NODE_TOTAL": "3"}, Shard(1, 3)),
        ("auto", {"BUILDKITE_PARALLEL_JOB": "2", "BUILDKITE_PARALLEL_JOB_COUNT": "3"}, Shard(3, 3)),
        ("auto/5", {"JOB_COMPLETION_INDEX": "0"}, Shard(1, 5)),
        ("auto/5", {"JOB_COMPLETION_INDEX": "4"}, Shard(5, 5)),
        ("auto/2", {"AWS_BATCH_JOB_ARRAY_INDEX": "1"}, Shard(2, 2)),
        ("auto/4", {"CI_NODE_INDEX": "2", "CI_NODE_TOTAL": "4"}, Shard(2, 4)),
    ],
)
def test_each_engine_gives_its_shard(text: str, env: dict[str, str], expected: Shard) -> None:
    shard, _ = shard_from_environment(text, env)
    assert shard == expected


@pytest.mark.parametrize(
    ("text", "env", "says"),
    [
        ("auto", {}, "matrix.shard"),
        ("auto", {"JOB_COMPLETION_INDEX": "0"}, "auto/N"),
        ("auto/3", {"CI_NODE_INDEX": "1", "CI_NODE_TOTAL": "4"}, "CI_NODE_TOTAL=4"),
        ("auto", {"CI_NODE_INDEX": "x", "CI_NODE_TOTAL": "4"}, "not a job index"),
        ("auto/x", {"CI_NODE_INDEX": "1"}, "auto/N"),
        ("auto", {"CI_NODE_INDEX": "5", "CI_NODE_TOTAL": "4"}, "1 <= K <= N"),
        ("auto/2", {"AWS_BATCH_JOB_ARRAY_INDEX": "2"}, "1 <= K <= N"),
    ],
)
def test_what_cannot_be_a_shard_says_what_to_write(
    text: str, env: dict[str, str], says: str
) -> None:
    with pytest.raises(ValueError, match=None) as caught:
        shard_from_environment(text, env)
    assert says in str(caught.value)


def test_parallel_jobs_with_auto_build_every_athlete_once(tmp_path: Path) -> None:
    """Three GitLab jobs of `parallel: 3` share the examples: every athlete in one shard."""
    built: list[str] = []
    for index in (1, 2, 3):
        out = tmp_path / f"job-{index}"
        env = {"CI_NODE_INDEX": str(index), "CI_NODE_TOTAL": "3", "SOURCE_DATE_EPOCH": "0"}
        result = CliRunner().invoke(
            main,
            ["build", str(examples_dir()), "--out", str(out), "--shard", "auto", "--quiet"],
            env=env,
        )
        assert result.exit_code == 0, result.output
        folders = sorted(p.name for p in out.iterdir() if p.is_dir() and p.name[0] != ".")
        assert all(shard_of(name, 3) == index for name in folders)
        built.extend(folders)
    whole = tmp_path / "whole"
    result = CliRunner().invoke(
        main, ["build", str(examples_dir()), "--out", str(whole), "--quiet"], env={}
    )
    assert result.exit_code == 0, result.output
    every = sorted(p.name for p in whole.iterdir() if p.is_dir() and p.name[0] != ".")
    assert sorted(built) == every  # each athlete in exactly one job
    assert len(built) >= 2


def test_auto_outside_a_ci_engine_is_a_usage_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        main,
        ["build", str(examples_dir()), "--out", str(tmp_path / "out"), "--shard", "auto"],
        env={name: "" for name in ("CI_NODE_INDEX", "CIRCLE_NODE_INDEX", "JOB_COMPLETION_INDEX")},
    )
    assert result.exit_code == 2
    assert "no CI engine's job index is set" in result.output
