"""A smoke test of the benchmark (bench/run.py): it runs and reports every ratio.  Not timed:
the figures themselves are for bench/README.md, never pass/fail in the test suite."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench" / "run.py"
KEYS = (
    "pipeline_vs_icalendar",
    "noop_vs_full",
    "scale_10x_vs_1x",
    "memory_10x_vs_1x",
    "memory_100x_vs_1x",
    "jobs2_speedup",
    "watch_vs_no_watch",
)

pytestmark = pytest.mark.skipif(not BENCH.exists(), reason="needs the source checkout")


def test_quick_benchmark_reports_every_ratio(tmp_path: Path) -> None:
    out = tmp_path / "report.json"
    done = subprocess.run(
        [
            sys.executable,
            str(BENCH),
            "--athletes",
            "2",
            "--quick",
            "--repeats",
            "1",
            "--out",
            str(out),
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    report = json.loads(out.read_text(encoding="utf-8"))
    measures = report["measures"]
    assert set(KEYS) <= set(measures)
    for key in KEYS:
        measure = measures[key]
        assert {"ratio", "target", "met", "status"} <= set(measure)
        if measure["status"] == "measured":
            assert isinstance(measure["ratio"], float) and measure["ratio"] > 0, key
        else:
            assert measure["ratio"] is None and measure["status"] in ("skipped", "not available")
    # --quick skips only the 10x and memory parts
    for key in ("pipeline_vs_icalendar", "noop_vs_full"):
        assert measures[key]["status"] == "measured"
    for key in ("scale_10x_vs_1x", "memory_10x_vs_1x", "memory_100x_vs_1x"):
        assert measures[key]["status"] == "skipped"
    assert isinstance(report["cli_lazy_imports"]["met"], bool)
    for measure in measures.values():
        assert measure["measure"] in done.stdout  # the table names every measure


def test_the_memory_part_reports_10x_and_100x_as_ratios(tmp_path: Path) -> None:
    """The memory part on 1, 10 and 100 athletes: two ratios and the growth per athlete, each
    measured (their values are for bench/README.md; no limit is asserted here)."""
    sys.path.insert(0, str(BENCH.parent))
    try:
        import run as bench
    finally:
        sys.path.remove(str(BENCH.parent))
    measures = bench.memory_scale(1, seed=1, work=tmp_path)
    assert set(measures) == {"memory_10x_vs_1x", "memory_100x_vs_1x"}
    for scale, key in ((10, "memory_10x_vs_1x"), (100, "memory_100x_vs_1x")):
        measure = measures[key]
        assert measure["status"] == "measured" and measure["big_athletes"] == scale
        assert isinstance(measure["ratio"], float) and measure["ratio"] > 0
        assert isinstance(measure["met"], bool) and "kb_per_athlete" in measure


def test_only_runs_the_part_asked_for(tmp_path: Path) -> None:
    """``--only PART`` reports that part alone (here the import check, which builds nothing)."""
    out = tmp_path / "report.json"
    done = subprocess.run(
        [sys.executable, str(BENCH), "--only", "cli_lazy_imports", "--out", str(out)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    report = json.loads(out.read_text(encoding="utf-8"))
    assert report["only"] == "cli_lazy_imports" and report["measures"] == {}
    assert isinstance(report["cli_lazy_imports"]["met"], bool)
    refused = subprocess.run(
        [sys.executable, str(BENCH), "--only", "no_such_part"], capture_output=True, text=True
    )
    assert refused.returncode == 2 and "watch_vs_no_watch" in refused.stderr
