"""Batch builds: processes, shards, incremental and reproducible rebuilds, --check, feedback."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from compiler.api import build_site
from compiler.cli import main
from compiler.resources import examples_dir
from compiler.site.build_model import Shard, shard_of

HALF = (examples_dir() / "half-marathon.yaml").read_text("utf-8")
# the bundled example athletes (a block among them), which ``athletes`` copies beside its runners
EXAMPLES = sum(1 for p in examples_dir().rglob("*.yaml") if "kind: athlete" in p.read_text())
TODAY = "2026-11-22"
EPOCH = "1795000000"  # 2026-11-18


def run(*args: str, env: dict[str, str] | None = None) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args), catch_exceptions=False, env=env)
    return result.exit_code, result.stdout, result.stderr


def athletes(folder: Path, count: int) -> list[str]:
    """``count`` copies of the half-marathon example with their own ids, plus the examples."""
    shutil.copytree(examples_dir(), folder)
    ids = [f"runner-{n:02d}" for n in range(count)]
    for athlete_id in ids:
        text = HALF.replace("id: half-marathon", f"id: {athlete_id}")
        (folder / f"{athlete_id}.yaml").write_text(text, "utf-8")
    return ids


def tree(folder: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(folder)): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and p.name != ".planc-site.json"  # the no-op cache, not an output
    }


def mtimes(folder: Path) -> dict[str, int]:
    return {str(p.relative_to(folder)): p.stat().st_mtime_ns for p in folder.rglob("*")}


def build(source: Path, out: Path, *extra: str) -> tuple[int, str, str]:
    args = ("build", str(source), "--out", str(out), "--today", TODAY, *extra)
    return run(*args, env={"SOURCE_DATE_EPOCH": EPOCH})


def test_parallel_builds_give_the_same_bytes_as_one_process(tmp_path: Path) -> None:
    source = tmp_path / "athletes"
    athletes(source, 6)
    env = {"SOURCE_DATE_EPOCH": EPOCH}
    code, _, err = run("build", str(source), "--out", str(tmp_path / "one"), "--jobs", "1", env=env)
    assert code == 0, err
    code, _, err = run("build", str(source), "--out", str(tmp_path / "two"), "--jobs", "2", env=env)
    assert code == 0, err
    one, two = tree(tmp_path / "one"), tree(tmp_path / "two")
    assert one == two
    # 5 outputs, a record, a manifest and intervals.json each; the index; the watch files
    watch = [name for name in one if "workouts" in Path(name).parts or name.endswith(".zip")]
    assert len(one) - len(watch) == (6 + EXAMPLES) * 8 + 1


def test_source_date_epoch_builds_are_byte_identical(tmp_path: Path) -> None:
    source = tmp_path / "athletes"
    athletes(source, 2)
    env = {"SOURCE_DATE_EPOCH": EPOCH}
    for out in ("a", "b"):
        code, _, err = run("build", str(source), "--out", str(tmp_path / out), env=env)
        assert code == 0, err
    assert tree(tmp_path / "a") == tree(tmp_path / "b")


def test_a_failing_athlete_does_not_stop_the_others_in_parallel(tmp_path: Path) -> None:
    source, out = tmp_path / "athletes", tmp_path / "out"
    ids = athletes(source, 4)
    code, _, err = build(source, out, "--jobs", "2")
    assert code == 0, err
    before = tree(out / ids[0])
    broken = HALF.replace("id: half-marathon", f"id: {ids[0]}").replace("units: km", "units: kms")
    (source / f"{ids[0]}.yaml").write_text(broken, "utf-8")
    for other in ids[1:]:  # a change for everyone else: they are rebuilt
        (source / f"{other}.yaml").write_text(
            HALF.replace("id: half-marathon", f"id: {other}").replace("Half", "The Half"), "utf-8"
        )
    code, _, err = build(source, out, "--jobs", "2")
    assert code == 1
    assert f"{ids[0]}.yaml" in err
    assert tree(out / ids[0]) == before, "the failed athlete's outputs are untouched"
    for other in ids[1:]:
        assert (out / other / "plan.json").is_file()


def test_the_api_builds_in_parallel(tmp_path: Path) -> None:
    source, out = tmp_path / "athletes", tmp_path / "out"
    athletes(source, 3)
    result = build_site(
        [source],
        out,
        today=dt.date(2026, 11, 22),
        stamp=dt.datetime(2026, 11, 22, tzinfo=dt.UTC),
        jobs=2,
    )
    assert result.failed == ()
    assert len(result.athletes) == 3 + EXAMPLES


def test_shards_partition_the_athletes_and_index_joins_them(tmp_path: Path) -> None:
    source = tmp_path / "athletes"
    ids = athletes(source, 9)
    code, _, err = build(source, tmp_path / "full")
    assert code == 0, err
    sharded = tmp_path / "sharded"
    built: list[set[str]] = []
    for k in (1, 2, 3):
        out = tmp_path / f"shard{k}"
        code, _, err = build(source, out, "--shard", f"{k}/3")
        assert code == 0, err
        assert not (out / "index.html").exists(), "a shard does not write the site index"
        built.append({p.name for p in out.iterdir() if p.is_dir()})
        shutil.copytree(out, sharded, dirs_exist_ok=True)  # CI gathers the shards' artifacts
    everyone = {p.name for p in (tmp_path / "full").iterdir() if p.is_dir()}
    assert set(ids) <= everyone
    assert set().union(*built) == everyone
    assert sum(len(b) for b in built) == len(everyone), "each athlete in exactly one shard"
    for k, names in enumerate(built, 1):
        assert all(shard_of(name, 3) == k and Shard(k, 3).has(name) for name in names)
    code, _, err = run("index", str(sharded))
    assert code == 0, err
    assert tree(sharded) == tree(tmp_path / "full")


def test_bad_shards_are_usage_errors(tmp_path: Path) -> None:
    for bad in ("0/3", "4/3", "1/0", "x", "1/2/3"):
        code, _, err = build(examples_dir(), tmp_path / "out", "--shard", bad)
        assert code == 2, (bad, err)
    with pytest.raises(ValueError):
        Shard.parse("3/2")


def test_a_rebuild_with_no_change_compiles_and_writes_nothing(tmp_path: Path) -> None:
    source, out = tmp_path / "athletes", tmp_path / "out"
    athletes(source, 3)
    code, first, err = build(source, out, "--format", "json")
    assert code == 0, err
    assert json.loads(first)["build"]["skipped"] == 0
    before = mtimes(out)
    code, again, err = build(source, out, "--format", "json")
    assert code == 0, err
    report = json.loads(again)["build"]
    assert report["skipped"] == report["athletes"] == 3 + EXAMPLES
    assert report["written"] == 0
    assert report["workouts"] == json.loads(first)["build"]["workouts"]
    assert mtimes(out) == before
    # a damaged output is noticed and rebuilt
    (out / "runner-00" / "plan.md").write_text("edited", "utf-8")
    code, again, err = build(source, out, "--format", "json")
    assert json.loads(again)["build"]["skipped"] == 2 + EXAMPLES
    assert (out / "runner-00" / "plan.md").read_text("utf-8") != "edited"


def test_check_lists_what_would_change_and_writes_nothing(tmp_path: Path) -> None:
    source, out, templates = tmp_path / "athletes", tmp_path / "out", tmp_path / "templates"
    athletes(source, 2)
    shutil.copytree(examples_dir().parent / "templates", templates)
    code, _, err = build(source, out, "--templates", str(templates))
    assert code == 0, err
    code, _, err = build(source, out, "--templates", str(templates), "--check")
    assert code == 0, err
    assert "would change nothing" in err
    before, times = tree(out), mtimes(out)
    # a coach edits a workout every plan uses
    easy = next(p for p in (templates / "workouts").glob("*.yaml") if "easy" in p.stem)
    text = easy.read_text("utf-8")
    edited = text.replace("title: ", "title: Gentle ", 1)
    assert edited != text
    easy.write_text(edited, "utf-8")
    code, stdout, err = build(source, out, "--templates", str(templates), "--check")
    assert code == 1, err
    assert "runner-00: " in err and "plan.md" in err
    code, stdout, err = build(
        source, out, "--templates", str(templates), "--check", "--format", "json"
    )
    assert code == 1
    assert "runner-01/plan.md" in json.loads(stdout)["build"]["changes"]
    assert tree(out) == before and mtimes(out) == times, "--check writes nothing"


def test_quiet_prints_only_errors(tmp_path: Path) -> None:
    source, out = tmp_path / "athletes", tmp_path / "out"
    athletes(source, 1)
    code, stdout, err = build(source, out, "--quiet")
    assert code == 0 and stdout == "" and err == ""
    (source / "bad.yaml").write_text(HALF.replace("id: half-marathon", "id: bad") + "oops: 1\n")
    code, stdout, err = build(source, out, "--quiet")
    assert code == 1 and stdout == ""
    assert "bad.yaml" in err and "error[" in err and "built" not in err


def test_summary_and_json_build_object(tmp_path: Path) -> None:
    source, out = tmp_path / "athletes", tmp_path / "out"
    athletes(source, 1)
    code, stdout, err = build(source, out)
    assert code == 0 and stdout == ""
    assert f"built {1 + EXAMPLES} athletes" in err
    assert "workouts/s" in err and "files written" in err
    code, stdout, err = build(source, out, "--format", "json")
    document = json.loads(stdout)
    assert document["summary"]["errors"] == 0 and document["diagnostics"] == []
    assert set(document["build"]) >= {
        "athletes",
        "failed",
        "workouts",
        "written",
        "unchanged",
        "seconds",
        "skipped",
    }
    assert document["build"]["athletes"] == 1 + EXAMPLES and document["build"]["failed"] == 0


def test_index_without_athletes_is_a_usage_error(tmp_path: Path) -> None:
    code, _, err = run("index", str(tmp_path))
    assert code == 2
    assert "no built athletes" in err


def test_the_progress_line_is_updated_in_place_and_cleared(
    capsys: pytest.CaptureFixture[str],
) -> None:
    from compiler.cli.site_commands import _Progress

    progress = _Progress()
    progress(0, 2, "ana")  # too few athletes: nothing shown
    assert capsys.readouterr().err == ""
    progress(3, 12, "bo")
    progress(4, 12, "a-much-longer-id")
    progress.clear()
    err = capsys.readouterr().err
    assert err.startswith("\r[ 3/12] building bo\r[ 4/12] building a-much-longer-id")
    assert err.endswith("\r") and "\n" not in err


def test_loading_in_parallel_gives_the_same_project(tmp_path: Path) -> None:
    """--jobs N parses the athlete files in N processes: the project (blueprints, problems and
    their order, sources) is the one a single process loads."""
    from compiler.api import PARALLEL_LOAD_MIN, load_project

    source = tmp_path / "athletes"
    ids = athletes(source, PARALLEL_LOAD_MIN + 8)
    # problems spread over several chunks: bad YAML, a schema error, a duplicate id
    (source / f"{ids[1]}.yaml").write_text("kind: athlete\nid: [broken\n", "utf-8")
    (source / f"{ids[9]}.yaml").write_text(HALF.replace("units: km", "units: furlongs"), "utf-8")
    (source / "dup.yaml").write_text(HALF.replace("id: half-marathon", f"id: {ids[20]}"), "utf-8")
    today = dt.date.fromisoformat(TODAY)
    one = load_project([source], today=today, jobs=1)
    two = load_project([source], today=today, jobs=2)
    assert len(one.diagnostics) >= 3 and one.diagnostics == two.diagnostics
    assert [b.athlete for b in one.blueprints] == [b.athlete for b in two.blueprints]
    assert one.blueprints == two.blueprints
    assert one.failed_athletes == two.failed_athletes and one.sources == two.sources
