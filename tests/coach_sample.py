"""Grade planc's plans the way a coach would, over a sample of athletes nobody tuned for (issue 11).

    python tests/coach_sample.py OUT_DIR N [--seed S] [--coach-check PATH] [--verbose]

writes N varied, schema-valid athlete profiles into OUT_DIR/athletes/ (the same files for the same
N and seed), builds them with ``planc build OUT_DIR/athletes --out OUT_DIR/public``, runs the
oracle ``coach_check.py`` over the plans (default ``../shared/tools/coach_check.py`` from the
repository's root) and prints its summary: violations per rule, plans per rule, and its last line.
The oracle's whole report is kept in OUT_DIR/coach_check.txt.  Exit status: the oracle's (0 when
no plan breaks a rule, 1 otherwise), 2 when the sample cannot be built or checked at all.

The athletes cover issue 11's range: every program (5k, 10k, half marathon, marathon) and focus
(speed, balanced, endurance), 10-120 km a week, 2-7 running days, 6-40 weeks to race day (at
least what the program accepts), km and mi, injury-prone or not, ages 18-75 (when the athlete
schema knows `age`), a recent race from days to a year before the plan (or undated), sometimes a
goal, a `max_weekly_volume` and trips away.  Every plan starts on START, so the race dates and the
plans do not depend on the day the sample is drawn.

This is the engine owner's measuring tool, not a test: run it before and after a change to the
coaching engine and compare the figures.
"""

from __future__ import annotations

import argparse
import collections
import datetime as dt
import json
import random
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))  # the compiler package of this checkout

from compiler.plan.paces import race_time  # noqa: E402
from compiler.resources import schemas_dir  # noqa: E402

START = dt.date(2026, 11, 30)  # a Monday: the first day of every sample plan
TODAY = dt.date(2026, 11, 22)  # planc build --today
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
PROGRAMS_M = {"5k": 5000.0, "10k": 10000.0, "half-marathon": 21097.5, "marathon": 42195.0}
FALLBACK_MIN_WEEKS = {"5k": 6, "10k": 7, "half-marathon": 7, "marathon": 11}
LEAST_WEEKS, MOST_WEEKS = 6, 40
RECENT_RACES_M = (5000.0, 10000.0, 21097.5, 42195.0)
FOCI = ("speed", "balanced", "endurance")
TIMEZONES = ("Europe/Berlin", "Europe/London", "America/New_York", "America/Denver", "UTC")
MILE_M = 1609.344
YAML_WORDS = {"true", "false", "yes", "no", "on", "off", "null", "y", "n"}
BUILD_HANG_S = 900  # a build of a few hundred athletes takes seconds: longer is a hang
DEFAULT_COACH_CHECK = ROOT.parent / "shared" / "tools" / "coach_check.py"


def program_min_weeks() -> dict[str, int]:
    """The fewest weeks to race day each bundled program takes (never fewer than LEAST_WEEKS)."""
    try:
        from compiler.api import load_project

        programs = load_project([], today=TODAY).templates.programs
        found = {name: programs[name].min_weeks for name in PROGRAMS_M if name in programs}
    except Exception as exc:  # the engine mid-change: the minimums as they were
        print(f"coach_sample: cannot read the programs' minimum weeks ({exc!r})", file=sys.stderr)
        found = {}
    return {
        name: max(LEAST_WEEKS, found.get(name, FALLBACK_MIN_WEEKS[name])) for name in PROGRAMS_M
    }


def athlete_schema() -> dict[str, Any]:
    schema: dict[str, Any] = json.loads((schemas_dir() / "athlete.schema.json").read_text("utf-8"))
    return schema


def clock(seconds: float) -> str:
    s = round(seconds)
    return f"{s // 3600}:{s % 3600 // 60:02d}:{s % 60:02d}"


def distance(metres: float, units: str) -> str:
    per = MILE_M if units == "mi" else 1000.0
    return f"{metres / per:.1f}{units}"


def athlete(
    rng: random.Random, index: int, min_weeks: dict[str, int], ages: bool
) -> dict[str, Any]:
    """One athlete profile (as the YAML reads, dates as ISO text)."""
    program = rng.choice(sorted(PROGRAMS_M))
    weeks = rng.randint(min_weeks[program], MOST_WEEKS)
    race_offset = rng.choice((5, 6, 6, 6)) if rng.random() < 0.8 else rng.randint(0, 6)
    race = START + dt.timedelta(weeks=weeks - 1, days=race_offset)
    units = "mi" if rng.random() < 0.3 else "km"
    volume_m = rng.randint(10, 120) * 1000.0
    long_m = volume_m * rng.uniform(0.2, 0.4)
    count = rng.randint(2, 7)
    days = sorted(rng.sample(WEEKDAYS, count), key=WEEKDAYS.index)
    weekend = [d for d in days if d in ("saturday", "sunday")]
    long_day = rng.choice(weekend) if weekend and rng.random() < 0.8 else rng.choice(days)
    # fitness follows volume loosely: VDOT 30-65
    vdot = min(65.0, max(30.0, 30.0 + (volume_m / 1000 - 10) * 25 / 110 + rng.uniform(-8, 8)))
    recent_m = rng.choice(RECENT_RACES_M)
    recent: dict[str, Any] = {
        "distance": f"{recent_m / 1000:g}km",
        "time": clock(race_time(vdot, recent_m)),
    }
    dated = rng.random()
    if dated < 0.5:
        recent["date"] = (START - dt.timedelta(days=rng.randint(1, 84))).isoformat()
    elif dated < 0.8:
        recent["date"] = (START - dt.timedelta(days=rng.randint(85, 365))).isoformat()
    race_block: dict[str, Any] = {
        "name": f"Sample {program} race",
        "program": program,
        "date": race.isoformat(),
    }
    if rng.random() < 0.3:
        race_block["goal"] = clock(race_time(vdot + rng.uniform(0.0, 2.0), PROGRAMS_M[program]))
    profile: dict[str, Any] = {
        "kind": "athlete",
        "id": f"athlete-{index:03d}",
        "name": f"Sample Athlete {index}",
        "timezone": rng.choice(TIMEZONES),
        "units": units,
        "race": race_block,
        "focus": rng.choice(FOCI),
        "start": START.isoformat(),
        "fitness": {
            "recent_race": recent,
            "weekly_volume": distance(volume_m, units),
            "long_run": distance(long_m, units),
        },
        "injury_prone": rng.random() < 0.3,
        "availability": {"days": days, "long_run_day": long_day},
        "strength_per_week": rng.randint(0, 3),
    }
    if ages and rng.random() < 0.75:
        profile["age"] = rng.randint(18, 75)
    if rng.random() < 0.3:
        cap_m = max(10_000.0, volume_m * rng.uniform(0.8, 2.0))
        profile["max_weekly_volume"] = distance(cap_m, units)
    trips = rng.choice((0, 0, 0, 1, 2))
    away = []
    for trip in range(trips):
        first = START + dt.timedelta(days=rng.randint(0, 7 * weeks - 1))
        last = first + dt.timedelta(days=rng.randint(0, 9))
        away.append({"from": first.isoformat(), "to": last.isoformat(), "note": f"Trip {trip + 1}"})
    if away:
        profile["away"] = away
    return profile


def scalar(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return str(value)
    text = str(value)
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        return text  # a date
    plain = re.fullmatch(r"[A-Za-z0-9][\w./-]*( [\w./-]+)*", text)
    if plain and text.lower() not in YAML_WORDS and not re.fullmatch(r"[\d.eE+-]+", text):
        return text  # plain: athlete, 21.0975km, Europe/Berlin
    return json.dumps(text, ensure_ascii=False)  # a JSON string is a YAML string


def to_yaml(value: Any, indent: int = 0) -> list[str]:
    pad = "  " * indent
    lines: list[str] = []
    if isinstance(value, dict):
        for key, item in value.items():
            if isinstance(item, dict):
                lines.append(f"{pad}{key}:")
                lines.extend(to_yaml(item, indent + 1))
            elif isinstance(item, list) and item and isinstance(item[0], dict):
                lines.append(f"{pad}{key}:")
                for entry in item:
                    inner = to_yaml(entry, indent + 2)
                    lines.append(f"{pad}  - {inner[0].strip()}")
                    lines.extend(inner[1:])
            elif isinstance(item, list):
                lines.append(f"{pad}{key}: [{', '.join(scalar(v) for v in item)}]")
            else:
                lines.append(f"{pad}{key}: {scalar(item)}")
    return lines


def write_athletes(folder: Path, count: int, seed: int) -> list[Path]:
    from jsonschema import Draft202012Validator

    schema = athlete_schema()
    validator = Draft202012Validator(schema)
    ages = "age" in schema.get("properties", {})
    min_weeks = program_min_weeks()
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob("athlete-*.yaml"):
        old.unlink()  # a sample of another size or seed
    paths = []
    for index in range(1, count + 1):
        profile = athlete(rng, index, min_weeks, ages)
        problems = [e.message for e in validator.iter_errors(profile)]
        if problems:
            raise SystemExit(f"coach_sample: athlete {index} is not schema-valid: {problems}")
        path = folder / f"{profile['id']}.yaml"
        text = [
            "# yaml-language-server: $schema=https://planc.dev/schemas/athlete.schema.json",
            f"# coach_sample.py, seed {seed}, athlete {index} of {count}",
            *to_yaml(profile),
        ]
        path.write_text("\n".join(text) + "\n", "utf-8")
        paths.append(path)
    return paths


def planc_command() -> list[str]:
    installed = Path(sys.executable).with_name("planc")
    return [str(installed)] if installed.exists() else [sys.executable, "-m", "compiler"]


def build(athletes: Path, public: Path) -> None:
    command = [
        *planc_command(),
        "build",
        str(athletes),
        "--out",
        str(public),
        "--today",
        TODAY.isoformat(),
        "--color",
        "never",
        "--quiet",
    ]
    try:
        done = subprocess.run(
            command, cwd=ROOT, capture_output=True, text=True, timeout=BUILD_HANG_S
        )
    except subprocess.TimeoutExpired:
        raise SystemExit(
            f"coach_sample: planc build still running after {BUILD_HANG_S} s: the engine hangs "
            "on one of these athletes (build them one by one to find it)"
        ) from None
    if done.returncode not in (0, 1):  # 1: some athletes have problems, the others are built
        sys.stderr.write(done.stderr)
        raise SystemExit(f"coach_sample: planc build exited {done.returncode}")
    if done.returncode == 1:
        print("planc build: some athletes were not built (K0 below):", file=sys.stderr)
        sys.stderr.write(done.stderr)


def summary(report: str) -> list[str]:
    """The oracle's summary lines, with the number of plans each rule catches."""
    lines = report.splitlines()
    plans: dict[str, set[str]] = collections.defaultdict(set)
    for line in lines:
        parts = line.split()
        if len(parts) >= 2 and parts[0][:1] == "K" and parts[0][1:].isdigit():
            plans[parts[0]].add(parts[1].rstrip(":"))
    ordered = sorted(plans, key=lambda rule: int(rule[1:]))
    return [
        *(line for line in lines if line.startswith("per rule:")),
        "plans per rule: " + ", ".join(f"{rule}: {len(plans[rule])}" for rule in ordered),
        *lines[-1:],
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path, help="the folder to write athletes/ and public/ into")
    parser.add_argument("count", type=int, help="how many athletes")
    parser.add_argument("--seed", type=int, default=11, help="the sample's seed (default 11)")
    parser.add_argument(
        "--coach-check",
        type=Path,
        default=DEFAULT_COACH_CHECK,
        help="the oracle script (default ../shared/tools/coach_check.py from the repository)",
    )
    parser.add_argument("--verbose", action="store_true", help="print every violation too")
    parser.add_argument("--clean", action="store_true", help="remove OUT/public before building")
    args = parser.parse_args(argv)
    if args.count < 1:
        parser.error("N must be at least 1")
    if not args.coach_check.is_file():
        parser.error(f"no coach check script at {args.coach_check}")
    athletes, public = args.out / "athletes", args.out / "public"
    profiles = write_athletes(athletes, args.count, args.seed)
    if args.clean and public.exists():
        shutil.rmtree(public)
    build(athletes, public)
    done = subprocess.run(
        [sys.executable, str(args.coach_check), str(public), *map(str, profiles)],
        capture_output=True,
        text=True,
    )
    (args.out / "coach_check.txt").write_text(done.stdout + done.stderr, "utf-8")
    if done.returncode not in (0, 1) or not done.stdout.strip():
        sys.stderr.write(done.stdout + done.stderr)
        print(f"coach_sample: {args.coach_check} exited {done.returncode}", file=sys.stderr)
        return 2
    if args.verbose:
        sys.stdout.write(done.stdout)
    else:
        print("\n".join(summary(done.stdout)))
    print(f"athletes in {athletes}, plans in {public}, report in {args.out / 'coach_check.txt'}")
    return done.returncode


if __name__ == "__main__":
    sys.exit(main())
