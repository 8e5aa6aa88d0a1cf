"""`--shard auto`: the shard a CI job builds, from the variables its engine sets.

A sharded build runs the same command in N parallel jobs; each builds the athletes whose id
hashes to its shard (compiler/site/build_model.py).  Rather than spelling `K/N` out in every
engine's syntax, `--shard auto` reads the job's index and count from the engine that runs it:

- GitLab CI `parallel: N`: CI_NODE_INDEX (1-based) and CI_NODE_TOTAL;
- CircleCI `parallelism`: CIRCLE_NODE_INDEX (0-based) and CIRCLE_NODE_TOTAL;
- Buildkite `parallelism`: BUILDKITE_PARALLEL_JOB (0-based) and BUILDKITE_PARALLEL_JOB_COUNT;
- a Kubernetes Indexed Job: JOB_COMPLETION_INDEX (0-based); the count is the Job's
  `completions`, which Kubernetes does not export: `--shard auto/N`;
- an AWS Batch array job: AWS_BATCH_JOB_ARRAY_INDEX (0-based); the count is the array's size,
  likewise given as `--shard auto/N`.

GitHub Actions exposes no matrix index: a workflow passes its matrix value as usual
(`--shard ${{ matrix.shard }}/4`).  Pure: the environment is an argument.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from .build_model import Shard


@dataclass(frozen=True)
class Engine:
    """Where a CI engine puts a parallel job's index and the number of jobs."""

    name: str
    index: str  # the variable holding the job's index
    first: int  # the index of the first job: 0 or 1
    count: str | None  # the variable holding the number of jobs, when the engine sets one


ENGINES = (
    Engine("GitLab CI (parallel:)", "CI_NODE_INDEX", 1, "CI_NODE_TOTAL"),
    Engine("CircleCI (parallelism)", "CIRCLE_NODE_INDEX", 0, "CIRCLE_NODE_TOTAL"),
    Engine("Buildkite (parallelism)", "BUILDKITE_PARALLEL_JOB", 0, "BUILDKITE_PARALLEL_JOB_COUNT"),
    Engine("a Kubernetes Indexed Job", "JOB_COMPLETION_INDEX", 0, None),
    Engine("an AWS Batch array job", "AWS_BATCH_JOB_ARRAY_INDEX", 0, None),
)


def is_auto(text: str) -> bool:
    return text == "auto" or text.startswith("auto/")


def shard_from_environment(text: str, env: Mapping[str, str]) -> tuple[Shard, str]:
    """The shard ``auto`` or ``auto/N`` means in ``env``, and the engine it came from.

    Raises ValueError saying what was looked for and what to write instead: no engine found,
    an index or count that is not a number, a count the engine does not set and ``auto/N``
    does not give, or an ``N`` that disagrees with the engine's count."""
    given: int | None = None
    if text != "auto":
        count_text = text.removeprefix("auto/")
        if not count_text.strip().isdigit():
            raise ValueError(f"'{text}' is not auto or auto/N (e.g. auto/4)")
        given = int(count_text)
    engine = next((e for e in ENGINES if env.get(e.index, "").strip()), None)
    if engine is None:
        looked = ", ".join(e.index for e in ENGINES)
        raise ValueError(
            f"--shard {text}: no CI engine's job index is set (looked for {looked}); on "
            "GitHub Actions pass the matrix value: --shard ${{ matrix.shard }}/N"
        )
    index = _number(env[engine.index], engine.index) - engine.first + 1
    count = given
    if engine.count is not None and env.get(engine.count, "").strip():
        told = _number(env[engine.count], engine.count)
        if given is not None and given != told:
            raise ValueError(
                f"--shard {text} disagrees with {engine.count}={told} from {engine.name}: "
                "write --shard auto"
            )
        count = told
    if count is None:
        raise ValueError(
            f"--shard auto: {engine.name} gives the job's index ({engine.index}) but not the "
            "number of jobs: write --shard auto/N with N the number of jobs"
        )
    return Shard(index, count), engine.name


def _number(value: str, name: str) -> int:
    if not value.strip().isdigit():
        raise ValueError(f"{name}={value!r} is not a job index or count")
    return int(value)
