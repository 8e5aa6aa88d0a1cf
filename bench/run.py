"""planc's benchmark: ratios, never absolute times, so the figures compare across machines.

    python bench/run.py [--athletes N] [--out report.json] [--quick] [--seed S] [--repeats R]
                        [--memory-athletes M] [--only PART]

Generates N synthetic athletes (deterministic for a seed) as YAML files in a temporary folder and
measures, in one run:

- ``pipeline_vs_icalendar``: the full pipeline (check, compile, every emitter, writing files)
  against serializing the same workouts with the icalendar library alone (target <= 1.5x);
- ``noop_vs_full``: a second build into the same folder with nothing changed, against a full build
  (target <= 5%);
- ``scale_10x_vs_1x``: a build of 10N athletes against N (target <= 10.5x);
- ``memory_10x_vs_1x`` and ``memory_100x_vs_1x``: peak resident memory of the main process of a
  ``jobs=2`` build (as `planc build` runs on two cores) of 10M and 100M athletes against M
  (``--memory-athletes``, default 50: 50, 500 and 5,000), each in a fresh process (target <= 1.3x);
- ``jobs2_speedup``: the time of a build with ``jobs=1`` over one with ``jobs=2``, each in a
  fresh process, on 10N athletes (target >= 1.7x on two cores);
- ``watch_vs_no_watch``: a full build with the watch files (FIT workout files, needing the
  optional ``planc[watch]``) against one without them (target <= 1.25x);
- ``cli_lazy_imports``: ``planc --version`` and ``planc --help`` import none of the compiler
  stages (true/false).

Every timing is repeated (``--repeats``, default 3) and the median kept.  ``--quick`` skips the
10x and memory parts; ``--only PART`` runs one part (a measure's key, ``memory`` for both memory
ratios, or ``cli_lazy_imports``).  See bench/README.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import functools
import inspect
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_EPOCH = 1795219200  # 2026-11-20T00:00:00Z: all plans start after it
STAGES = (
    "compiler.plan.periodize",
    "compiler.plan.schedule",
    "compiler.plan.expand",
    "compiler.plan.paces",
    "compiler.plan.resolve",
)
PLAN_START = dt.date(2026, 11, 30)  # a Monday

PROGRAMS: dict[str, tuple[int, int]] = {  # program -> (fewest, most) weeks to race day
    "5k": (8, 12),
    "10k": (10, 14),
    "half-marathon": (12, 16),
    "marathon": (16, 20),
}
FOCI = ("speed", "endurance", "balanced")
TIMEZONES = ("Europe/London", "Europe/Berlin", "America/New_York", "Asia/Tokyo", "UTC")
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")

Measure = dict[str, Any]


# --------------------------------------------------------------------------- athletes


def _clock(seconds: int) -> str:
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def athlete_yaml(index: int, rng: random.Random) -> str:
    """One synthetic athlete profile, varied in program, focus, units, days, volume and injury."""
    program = rng.choice(sorted(PROGRAMS))
    fewest, most = PROGRAMS[program]
    weeks = rng.randint(fewest, most)
    race = PLAN_START + dt.timedelta(days=7 * weeks - 1)  # a Sunday
    units = rng.choice(("km", "mi"))
    per_mile = 1.609344 if units == "mi" else 1.0
    volume = (
        rng.randint(20, 60) if program in ("half-marathon", "marathon") else rng.randint(15, 45)
    )
    long_run = max(5, round(volume * rng.uniform(0.3, 0.4)))
    day_count = rng.randint(4, 6)
    days = sorted(rng.sample(WEEKDAYS, day_count), key=WEEKDAYS.index)
    long_run_day = "sunday" if "sunday" in days else days[-1]
    ten_k = rng.randint(40 * 60, 62 * 60)  # a recent 10K in 40 to 62 minutes
    injury_prone = rng.random() < 0.3
    lines = [
        "# yaml-language-server: $schema=../schemas/athlete.schema.json",
        "kind: athlete",
        f"id: bench-{index:05d}",
        f"name: Runner {index}",
        f"timezone: {rng.choice(TIMEZONES)}",
        f"units: {units}",
        "race:",
        f"  name: Race {index}",
        f"  program: {program}",
        f"  date: {race.isoformat()}",
        f"focus: {rng.choice(FOCI)}",
        f"start: {PLAN_START.isoformat()}",
        "fitness:",
        "  recent_race:",
        "    distance: 10km",
        f'    time: "{_clock(ten_k)}"',
        "    date: 2026-10-18",
        f"  weekly_volume: {round(volume / per_mile)}{units}",
        f"  long_run: {round(long_run / per_mile)}{units}",
        f"injury_prone: {'true' if injury_prone else 'false'}",
    ]
    if injury_prone:
        lines.append(f"max_weekly_volume: {round(volume * 1.6 / per_mile)}{units}")
    lines += [
        "availability:",
        f"  days: [{', '.join(days)}]",
        f"  long_run_day: {long_run_day}",
    ]
    if rng.random() < 0.4:
        lines.append("  start_times:")
        lines += [
            f'    {day}: "{rng.choice(("06:00", "06:30", "07:00", "18:00"))}"' for day in days
        ]
    lines.append(f"strength_per_week: {rng.randint(0, 2)}")
    return "\n".join(lines) + "\n"


def write_athletes(folder: Path, count: int, seed: int) -> Path:
    """``count`` athlete files in ``folder`` (created), the same for the same seed."""
    folder.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    for index in range(count):
        (folder / f"bench-{index:05d}.yaml").write_text(athlete_yaml(index, rng), encoding="utf-8")
    return folder


# --------------------------------------------------------------------------- timing


def epoch() -> int:
    value = os.environ.get("SOURCE_DATE_EPOCH", "")
    return int(value) if value.strip().isdigit() else DEFAULT_EPOCH


def stamp() -> dt.datetime:
    return dt.datetime.fromtimestamp(epoch(), dt.UTC)


def median_time(
    action: Callable[[], object], repeats: int, setup: Callable[[], object] | None = None
) -> float:
    """The median wall time of ``action`` over ``repeats`` runs (``setup`` runs untimed first)."""
    times = []
    for _ in range(repeats):
        if setup is not None:
            setup()
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def build(paths: list[Path], out: Path, **extra: Any) -> Any:
    from compiler.api import build_site

    result = build_site(paths, out, today=stamp().date(), stamp=stamp(), **extra)
    if result.failed:
        raise SystemExit(f"bench: generated athletes failed to build: {result.failed[:3]}")
    return result


def feed_contents(plan: Any, domain: str = "bench.invalid") -> dict[str, Any]:
    """What the two feeds of ``plan`` say, as plain values (names, texts, times): computed before
    the baseline's clock starts, so the baseline times serialization alone."""
    from zoneinfo import ZoneInfo

    from compiler.emit import ical
    from compiler.emit.text import plan_title
    from compiler.emit.workout_words import workout_summary, workout_text

    athlete = plan.athlete
    zone = ZoneInfo(athlete.timezone)
    events = []
    for workout, week in ical._dated(plan):
        start: Any = workout.date
        end: Any = workout.date + dt.timedelta(days=1)
        if workout.start_time is not None:
            start = dt.datetime.combine(workout.date, workout.start_time, tzinfo=zone)
            end = None
            if workout.duration_s > 0:
                elapsed = dt.timedelta(minutes=max(1, round(workout.duration_s / 60)))
                end = (start.astimezone(dt.UTC) + elapsed).astimezone(zone)
        alarm = None
        if athlete.calendar_alarm_s is not None:
            before = dt.timedelta(seconds=athlete.calendar_alarm_s)
            alarm = -before if workout.start_time is not None else ical.ALL_DAY_ALARM
        events.append(
            {
                "uid": f"{workout.uid}@{domain}",
                "start": start,
                "end": end,
                "timed": workout.start_time is not None,
                "summary": workout_summary(workout, athlete.units),
                "description": workout_text(workout, athlete.units, week, len(plan.weeks)),
                "category": workout.category,
                "alarm": alarm,
            }
        )
    return {
        "timezone": athlete.timezone,
        "color": ical.feed_color(plan),
        "title": plan_title(plan),
        "description": ical._description(plan, "Workouts of"),
        "busy_title": ical.busy_calendar_text(plan)[0],
        "busy_description": ical.busy_calendar_text(plan)[1],
        "events": events,
    }


def icalendar_feeds(contents: dict[str, Any]) -> list[bytes]:
    """The two feeds (plan.ics, busy.ics) as the icalendar library writes them: the same calendar
    properties and the same events, property for property (VALARMs included), with the build's
    stamps; only the VTIMEZONEs, which describe zones rather than events, are left out.
    ``tests/test_ics_lines.py`` checks that these are planc's feeds byte for byte."""
    import icalendar

    from compiler.emit import ical

    when = stamp()
    color = contents["color"]

    def calendar(name: str, description: str) -> Any:
        cal = icalendar.Calendar()
        cal.add("prodid", ical.PRODID)
        cal.add("version", "2.0")
        cal.add("calscale", "GREGORIAN")
        cal.add("method", "PUBLISH")
        cal.add("name", icalendar.vText(name))  # RFC 7986: TEXT, its commas escaped
        cal.add("x-wr-calname", icalendar.vText(name))
        cal.add("description", description)
        cal.add("x-wr-caldesc", icalendar.vText(description))
        cal.add("x-wr-timezone", contents["timezone"])
        cal.add("refresh-interval", ical.REFRESH, parameters={"VALUE": "DURATION"})
        cal.add("x-published-ttl", ical.PUBLISHED_TTL)
        cal.add("color", ical.css_color_name(color))
        cal.add("x-apple-calendar-color", color)
        return cal

    def event(uid: str, content: dict[str, Any]) -> Any:
        item = icalendar.Event()
        item.add("dtstamp", when)
        item.add("last-modified", when)
        item.add("sequence", 0)
        item.add("uid", uid)
        item.add("dtstart", content["start"])
        if content["end"] is not None:
            item.add("dtend", content["end"])
        item.add("transp", "OPAQUE" if content["timed"] else "TRANSPARENT")
        item.add("status", "CONFIRMED")
        return item

    feed = calendar(contents["title"], contents["description"])
    busy = calendar(contents["busy_title"], contents["busy_description"])
    for content in contents["events"]:
        item = event(content["uid"], content)
        item.add("summary", content["summary"])
        item.add("description", content["description"])
        item.add("categories", [content["category"]])
        if content["alarm"] is not None:
            alarm = icalendar.Alarm()
            alarm.add("action", "DISPLAY")
            alarm.add("description", content["summary"])
            alarm.add("trigger", content["alarm"])
            item.add_component(alarm)
        feed.add_component(item)
        if content["category"] != "rest":
            item = event(ical.BUSY_UID_PREFIX + content["uid"], content)
            item.add("summary", ical.BUSY_SUMMARY)
            item.add("class", "PRIVATE")
            busy.add_component(item)
    return [feed.to_ical(), busy.to_ical()]


def icalendar_only(contents: list[dict[str, Any]]) -> int:
    """Serialize the events of every plan's two feeds with the icalendar library alone: the
    baseline of ``pipeline_vs_icalendar``."""
    return sum(len(data) for content in contents for data in icalendar_feeds(content))


def icalendar_minimal(plans: list[Any]) -> int:
    """The lighter baseline of earlier runs, reported beside the first: one event per workout
    with four properties (uid, dtstart, summary: the title, description: the coach's text) and
    the stamp, one feed per athlete."""
    import icalendar

    size = 0
    for plan in plans:
        calendar = icalendar.Calendar()
        calendar.add("prodid", "-//bench//EN")
        calendar.add("version", "2.0")
        for week in plan.weeks:
            for workout in week.workouts:
                event = icalendar.Event()
                event.add("uid", workout.uid)
                event.add("dtstamp", stamp())
                event.add("dtstart", workout.date)
                event.add("summary", workout.title)
                event.add("description", workout.description)
                calendar.add_component(event)
        size += len(calendar.to_ical())
    return size


def compiled_plans(folder: Path) -> list[Any]:
    from compiler.api import compile_plan, load_project

    today = stamp().date()
    project = load_project([folder], today=today)
    return [compile_plan(blueprint, today) for blueprint in project.blueprints]


def stages(folder: Path, repeats: int) -> dict[str, float]:
    """Where the pipeline's time goes: check (load, validate, resolve), compile, emit (in memory,
    no previous feeds, nothing written), each the median over ``repeats``."""
    from compiler.api import compile_plan, load_project, plan_files

    today = stamp().date()
    project = load_project([folder], today=today)
    plans = [compile_plan(blueprint, today) for blueprint in project.blueprints]
    return {
        "check_s": median_time(lambda: load_project([folder], today=today), repeats),
        "compile_s": median_time(
            lambda: [compile_plan(blueprint, today) for blueprint in project.blueprints], repeats
        ),
        "emit_s": median_time(
            lambda: [plan_files(plan, stamp=stamp(), domain="bench.invalid") for plan in plans],
            repeats,
        ),
    }


def _measure(
    name: str, ratio: float | None, target: str, met: bool | None, **detail: Any
) -> Measure:
    status = "measured" if ratio is not None else detail.pop("status", "skipped")
    return {
        "measure": name,
        "ratio": ratio,
        "target": target,
        "met": met,
        "status": status,
        **detail,
    }


# --------------------------------------------------------------------------- child builds

CHILD = """
import json, resource, sys, time, datetime as dt
from pathlib import Path
from compiler.api import build_site
stamp = dt.datetime.fromtimestamp(int(sys.argv[3]), dt.UTC)
jobs = int(sys.argv[4])
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
start = time.perf_counter()
result = build_site(
    [Path(sys.argv[1])], Path(sys.argv[2]), today=stamp.date(), stamp=stamp, jobs=jobs
)
seconds = time.perf_counter() - start
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({
    "seconds": seconds, "maxrss_kb": peak, "before_kb": before, "failed": len(result.failed)
}))
"""


def watch_cost(base: Path, work: Path, repeats: int) -> Measure:
    """A full build with the watch files (FIT workout files) against the same build without
    them (as without ``planc[watch]``), each into an empty folder: every file is encoded.  The
    two builds alternate, so a machine whose load drifts slows both alike."""
    from compiler.emit import fit

    name, target = "full build with FIT files / without", "<= 1.25"
    if not fit.available():
        return _measure(
            name, None, target, None, status="not available",
            reason="garmin-fit-sdk is not installed: pip install 'planc[watch]'",
        )  # fmt: skip
    available = fit.available
    times: dict[bool, list[float]] = {True: [], False: []}
    cpu: dict[bool, list[float]] = {True: [], False: []}  # this process's: the build is jobs=1
    outs: list[Path] = []
    try:
        for n in range(repeats):
            for watch in (True, False):
                # a new empty folder each build, the old ones removed after the last: a build
                # right after deleting the last one's ~700 files measured the file system's
                # recovery from that deletion (ext4 skips just-freed inodes) more than planc
                out = work / f"out-watch-{n}-{'fit' if watch else 'plain'}"
                shutil.rmtree(out, ignore_errors=True)
                outs.append(out)
                fit.available = available if watch else lambda: False
                try:
                    start = time.process_time()
                    times[watch].append(median_time(functools.partial(build, [base], out), 1))
                    cpu[watch].append(time.process_time() - start)
                finally:
                    fit.available = available
    finally:
        for out in outs:
            shutil.rmtree(out, ignore_errors=True)
    with_s, without = statistics.median(times[True]), statistics.median(times[False])
    ratio = with_s / without
    cpu_with, cpu_without = statistics.median(cpu[True]), statistics.median(cpu[False])
    return _measure(
        name, ratio, target, ratio <= 1.25, with_s=with_s, without_s=without,
        cpu_ratio=cpu_with / cpu_without, with_cpu_s=cpu_with, without_cpu_s=cpu_without,
        file_system=file_system(work),
    )  # fmt: skip


def file_system(folder: Path) -> str:
    """The type of the file system ``folder`` is on (``ext4``, ``tmpfs``; ``unknown`` off
    Linux): creating a file costs 3 us on a tmpfs and 20 to 200 us on an ext4 without a journal
    whose inodes were just freed, which moves ``watch_vs_no_watch`` (bench/README.md)."""
    try:
        mounts = Path("/proc/self/mounts").read_text(encoding="utf-8").splitlines()
    except OSError:
        return "unknown"
    best, kind = "", "unknown"
    where = str(folder.resolve())
    for line in mounts:
        fields = line.split()
        inside = len(fields) > 2 and (where + "/").startswith(fields[1].rstrip("/") + "/")
        if inside and len(fields[1]) > len(best):
            best, kind = fields[1], fields[2]
    return kind


def child_build(folder: Path, out: Path, jobs: int = 1) -> dict[str, float]:
    """A build in a fresh Python process, as `planc build` runs: its time (build only), its peak
    resident memory and the peak before the build started (imports)."""
    shutil.rmtree(out, ignore_errors=True)
    done = subprocess.run(
        [sys.executable, "-c", CHILD, str(folder), str(out), str(epoch()), str(jobs)],
        check=True,
        capture_output=True,
        text=True,
    )
    result: dict[str, float] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def _burn(count: int) -> int:
    total = 0
    for i in range(count):
        total += i * i
    return total


def parallel_ceiling(repeats: int, count: int = 5_000_000) -> float:
    """The speed-up two processes get on this machine right now for pure CPU work: what
    ``jobs2_speedup`` should be read against (a loaded or CPU-limited machine gives < 2)."""
    from concurrent.futures import ProcessPoolExecutor

    serial = median_time(lambda: [_burn(count) for _ in range(2)], repeats)

    def parallel() -> None:
        with ProcessPoolExecutor(2) as pool:
            list(pool.map(_burn, [count, count]))

    return serial / median_time(parallel, repeats)


def cli_lazy_imports() -> tuple[bool, list[str]]:
    """Whether `planc --version` and `planc --help` leave every compiler stage unimported."""
    code = (
        "import json, sys\n"
        "from click.testing import CliRunner\n"
        "import compiler.cli as cli\n"
        "for args in (['--version'], ['--help']):\n"
        "    assert CliRunner().invoke(cli.main, args).exit_code == 0, args\n"
        f"print(json.dumps([m for m in {list(STAGES)!r} if m in sys.modules]))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True)
    imported: list[str] = json.loads(done.stdout.strip().splitlines()[-1])
    return not imported, imported


# --------------------------------------------------------------------------- the run


def memory_scale(base: int, seed: int, work: Path) -> dict[str, Measure]:
    """Peak resident memory of the main process of a ``jobs=2`` build of 10x and 100x ``base``
    athletes against ``base``, each in a fresh process, once each (memory does not vary between
    runs as time does).  The workers' memory is their own and not counted: what grows with a club
    is what the main process keeps per athlete until the build ends."""
    runs: dict[int, dict[str, float]] = {}
    for scale in (1, 10, 100):
        folder = write_athletes(work / f"athletes-mem-{scale}x", base * scale, seed)
        runs[scale] = child_build(folder, work / f"out-mem-{scale}x", jobs=2)
        shutil.rmtree(folder, ignore_errors=True)
        shutil.rmtree(work / f"out-mem-{scale}x", ignore_errors=True)
    small = runs[1]["maxrss_kb"]
    measures = {}
    for scale in (10, 100):
        big = runs[scale]["maxrss_kb"]
        ratio = big / small
        growth = (big - small) / (base * (scale - 1))
        measures[f"memory_{scale}x_vs_1x"] = _measure(
            f"{scale}x athletes / 1x (peak memory, 2 jobs)", ratio, "<= 1.3", ratio <= 1.3,
            small_athletes=base, big_athletes=base * scale, small_maxrss_kb=small,
            big_maxrss_kb=big, kb_per_athlete=growth,
            imports_maxrss_kb=runs[1]["before_kb"],
        )  # fmt: skip
    return measures


@dataclass
class Bench:
    """What the parts of a run share: the options, the work folder, the 1x athletes, and the
    full build's time once a part has measured it."""

    athletes: int
    seed: int
    repeats: int
    quick: bool
    work: Path
    memory_athletes: int
    base: Path
    full_s: float | None = None

    def full(self) -> float:
        """The median time of a full build of the 1x athletes into an empty folder."""
        if self.full_s is None:
            out = self.work / "out"
            fresh = lambda: shutil.rmtree(out, ignore_errors=True)  # noqa: E731
            self.full_s = median_time(lambda: build([self.base], out), self.repeats, setup=fresh)
        return self.full_s


def pipeline_part(bench: Bench) -> dict[str, Measure]:
    """The full pipeline against icalendar alone."""
    full = bench.full()
    plans = compiled_plans(bench.base)
    contents = [feed_contents(plan) for plan in plans]
    events = sum(len(plan.workouts) for plan in plans)
    baseline = median_time(lambda: icalendar_only(contents), bench.repeats)
    minimal = median_time(lambda: icalendar_minimal(plans), bench.repeats)
    ratio = full / baseline
    return {"pipeline_vs_icalendar": _measure(
        "full pipeline / icalendar alone", ratio, "<= 1.5", ratio <= 1.5,
        full_s=full, icalendar_s=baseline, events=events, minimal_icalendar_s=minimal,
        ratio_vs_minimal=full / minimal, **stages(bench.base, bench.repeats),
    )}  # fmt: skip


def noop_part(bench: Bench) -> dict[str, Measure]:
    """A no-op rebuild against a full build."""
    full = bench.full()
    out = bench.work / "out"
    build([bench.base], out)
    noop = median_time(lambda: build([bench.base], out), bench.repeats)
    ratio = noop / full
    return {"noop_vs_full": _measure(
        "no-op rebuild / full build", ratio, "<= 0.05", ratio <= 0.05, noop_s=noop, full_s=full
    )}  # fmt: skip


def watch_part(bench: Bench) -> dict[str, Measure]:
    return {"watch_vs_no_watch": watch_cost(bench.base, bench.work, bench.repeats)}


def scale_part(bench: Bench) -> dict[str, Measure]:
    """10x the athletes, time, each build in a fresh process (skipped by --quick)."""
    name = "10x athletes / 1x (time)"
    if bench.quick:
        return {"scale_10x_vs_1x": _measure(name, None, "<= 10.5", None)}
    big = write_athletes(bench.work / "athletes-10x", bench.athletes * 10, bench.seed)
    small_runs = [child_build(bench.base, bench.work / "out-1x") for _ in range(bench.repeats)]
    big_runs = [child_build(big, bench.work / "out-10x") for _ in range(bench.repeats)]
    small_s = statistics.median(r["seconds"] for r in small_runs)
    big_s = statistics.median(r["seconds"] for r in big_runs)
    ratio = big_s / small_s
    return {"scale_10x_vs_1x": _measure(
        name, ratio, "<= 10.5", ratio <= 10.5, small_s=small_s, big_s=big_s,
        small_athletes=bench.athletes, big_athletes=bench.athletes * 10,
    )}  # fmt: skip


def memory_part(bench: Bench) -> dict[str, Measure]:
    """Peak memory at 10x and 100x (skipped by --quick)."""
    if bench.quick:
        return {
            f"memory_{scale}x_vs_1x": _measure(
                f"{scale}x athletes / 1x (peak memory, 2 jobs)", None, "<= 1.3", None
            )
            for scale in (10, 100)
        }
    return memory_scale(bench.memory_athletes, bench.seed, bench.work)


def jobs_part(bench: Bench) -> dict[str, Measure]:
    """2 jobs against 1, on 10x the athletes (unless --quick): a build's fixed costs (loading the
    template library, starting the workers: about 0.2 s) are the same for 1 and 2 jobs, and a
    club's build has hundreds of athletes for them to spread over."""
    from compiler.api import build_site

    name = "1 job / 2 jobs (speed-up)"
    if "jobs" not in inspect.signature(build_site).parameters:
        return {"jobs2_speedup": _measure(
            name, None, ">= 1.7", None, status="not available",
            reason="compiler.api.build_site takes no 'jobs' keyword",
        )}  # fmt: skip
    count = bench.athletes if bench.quick else bench.athletes * 10
    folder = bench.base
    if not bench.quick:
        folder = write_athletes(bench.work / "athletes-10x-jobs", count, bench.seed)
    # each build in a fresh process, as `planc build --jobs N` runs (a long-lived process full
    # of earlier builds' objects would make forking and collecting its heap the story)
    one = statistics.median(
        child_build(folder, bench.work / "j1", jobs=1)["seconds"] for _ in range(bench.repeats)
    )
    two = statistics.median(
        child_build(folder, bench.work / "j2", jobs=2)["seconds"] for _ in range(bench.repeats)
    )
    ratio = one / two
    return {"jobs2_speedup": _measure(
        name, ratio, ">= 1.7", ratio >= 1.7, jobs1_s=one, jobs2_s=two, athletes=count,
        cpus=os.cpu_count(), machine_ceiling=parallel_ceiling(bench.repeats),
    )}  # fmt: skip


# The parts of a run, in order, by the measures they report (``--only`` takes one of these keys)
PARTS: dict[str, Callable[[Bench], dict[str, Measure]]] = {
    "pipeline_vs_icalendar": pipeline_part,
    "noop_vs_full": noop_part,
    "watch_vs_no_watch": watch_part,
    "scale_10x_vs_1x": scale_part,
    "memory": memory_part,
    "jobs2_speedup": jobs_part,
}
ONLY = (*PARTS, "cli_lazy_imports")


def run(
    athletes: int,
    seed: int,
    repeats: int,
    quick: bool,
    work: Path,
    memory_athletes: int = 50,
    only: str | None = None,
) -> dict[str, Any]:
    """Every part of the benchmark, or with ``only`` that one (a key of ``ONLY``)."""
    base = write_athletes(work / "athletes", athletes, seed)
    bench = Bench(athletes, seed, repeats, quick, work, memory_athletes, base)
    if only != "cli_lazy_imports":
        build([base], work / "warm")  # warm the caches of the bundled templates, imports
    measures: dict[str, Measure] = {}
    for key, part in PARTS.items():
        if only is None or only == key:
            measures.update(part(bench))
    report: dict[str, Any] = {
        "athletes": athletes,
        "seed": seed,
        "repeats": repeats,
        "quick": quick,
        "memory_athletes": memory_athletes,
        "source_date_epoch": epoch(),
        "cpus": os.cpu_count(),
        "python": sys.version.split()[0],
        "measures": measures,
    }
    if only in (None, "cli_lazy_imports"):
        lazy, imported = cli_lazy_imports()
        report["cli_lazy_imports"] = {"met": lazy, "stages_imported": imported}
    if only is not None:
        report["only"] = only
    return report


def table(report: dict[str, Any]) -> str:
    rows = [("measure", "ratio", "target", "met?")]
    for measure in report["measures"].values():
        ratio = measure["ratio"]
        shown = f"{ratio:.3f}" if ratio is not None else measure["status"]
        met = {True: "yes", False: "NO", None: "-"}[measure["met"]]
        rows.append((measure["measure"], shown, measure["target"], met))
        if "machine_ceiling" in measure:
            ceiling = f"{measure['machine_ceiling']:.3f}"
            rows.append(("  (2 processes, pure CPU, this machine)", ceiling, "~2", "-"))
    lazy = report.get("cli_lazy_imports")
    if lazy is not None:
        rows.append(("--version/--help import no stage", str(lazy["met"]).lower(), "true",
                     "yes" if lazy["met"] else "NO"))  # fmt: skip
    widths = [max(len(row[i]) for row in rows) for i in range(4)]
    return "\n".join(
        "  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)) for row in rows
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--athletes", type=int, default=10, help="athletes at 1x (default 10)")
    parser.add_argument("--out", type=Path, default=None, help="write the JSON report here")
    parser.add_argument("--quick", action="store_true", help="skip the 10x and memory parts")
    parser.add_argument("--seed", type=int, default=1, help="seed of the synthetic athletes")
    parser.add_argument("--repeats", type=int, default=3, help="runs per timing (median kept)")
    parser.add_argument(
        "--memory-athletes",
        type=int,
        default=50,
        help="athletes at 1x of the memory part, also built at 10x and 100x (default 50)",
    )
    parser.add_argument(
        "--only",
        choices=ONLY,
        default=None,
        help="run one part of the benchmark (memory: both memory ratios)",
    )
    args = parser.parse_args(argv)
    if args.athletes < 1 or args.repeats < 1 or args.memory_athletes < 1:
        parser.error("--athletes, --repeats and --memory-athletes must be at least 1")
    os.environ.setdefault("SOURCE_DATE_EPOCH", str(DEFAULT_EPOCH))
    with tempfile.TemporaryDirectory(prefix="planc-bench-") as tmp:
        report = run(
            args.athletes, args.seed, args.repeats, args.quick, Path(tmp), args.memory_athletes,
            args.only,
        )  # fmt: skip
    print(table(report))
    if args.out is not None:
        args.out.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
        print(f"report written to {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
