"""Grade planc's seasons cycle by cycle, over a sample of athletes nobody tuned for (issue 15).

    python tests/coach_seasons.py OUT_DIR N [--seed S] [--coach-check PATH] [--verbose]

coach_check.py judges one plan against one race: the first race it finds. A season with two A
races is two cycles in one plan, so the oracle alone never sees the second. This tool writes N
season athletes into OUT_DIR/athletes/ (coach_sample's athletes, whose single race becomes a
``races:`` list: the A race, sometimes a second A race 14-30 weeks after it, and B and C races
before them), builds them, and cuts each plan into one view per cycle (OUT_DIR/cycles/): the
cycle's weeks, its A race as ``race`` and a profile whose ``race:`` and ``start`` are the
cycle's. The oracle then judges every cycle as the plan of its own race.

A later cycle's profile keeps the athlete's fitness as written (its volume and long run are the
floor the cycle climbs back to) but drops the recent race's date: the oracle's "a fit athlete
with a recent race gets quality within 5 weeks" is about the first cycle.  B and C races stay in
the weeks where they fall: the oracle takes a cycle's first race of any priority as its race
week, so its K2 and K7 lines in a B or C race's week are its own limits, as in coach_sample.

This is the engine owner's measuring tool, not a test.
"""

from __future__ import annotations

import argparse
import copy
import datetime as dt
import json
import random
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import coach_sample as sample

SECOND_A_GAP_WEEKS = (14, 30)  # the season rules ask 12+ weeks between A races
MINOR_PROGRAMS = ("5k", "10k", "half-marathon")


def season(rng: random.Random, index: int, min_weeks: dict[str, int], ages: bool) -> dict[str, Any]:
    """coach_sample's athlete with a season of races instead of one race."""
    profile = sample.athlete(rng, index, min_weeks, ages)
    profile["id"] = f"season-{index:03d}"
    first = profile.pop("race")
    first_day = dt.date.fromisoformat(first["date"])
    races: list[dict[str, Any]] = [{**first, "name": "First A race", "priority": "A"}]
    last_day = first_day
    if rng.random() < 0.6:
        last_day = first_day + dt.timedelta(weeks=rng.randint(*SECOND_A_GAP_WEEKS))
        program = rng.choice(sorted(sample.PROGRAMS_M))
        races.append(
            {
                "name": "Second A race",
                "priority": "A",
                "program": program,
                "date": last_day.isoformat(),
            }
        )
    for number in range(rng.choice((0, 1, 1, 2, 3))):
        span = (last_day - sample.START).days
        day = sample.START + dt.timedelta(days=rng.randint(14, max(14, span - 14)))
        priority = rng.choice(("B", "C"))
        races.append(
            {
                "name": f"{priority} race {number + 1}",
                "priority": priority,
                "program": rng.choice(MINOR_PROGRAMS),
                "date": day.isoformat(),
            }
        )
    profile["races"] = races
    return profile


def write_seasons(folder: Path, count: int, seed: int) -> list[Path]:
    from jsonschema import Draft202012Validator

    schema = sample.athlete_schema()
    validator = Draft202012Validator(schema)
    ages = "age" in schema.get("properties", {})
    min_weeks = sample.program_min_weeks()
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob("season-*.yaml"):
        old.unlink()
    paths = []
    for index in range(1, count + 1):
        profile = season(rng, index, min_weeks, ages)
        problems = [e.message for e in validator.iter_errors(profile)]
        if problems:
            raise SystemExit(f"coach_seasons: athlete {index} is not schema-valid: {problems}")
        path = folder / f"{profile['id']}.yaml"
        head = f"# coach_seasons.py, seed {seed}, athlete {index} of {count}"
        path.write_text("\n".join([head, *sample.to_yaml(profile)]) + "\n", "utf-8")
        paths.append(path)
    return paths


def cycle_views(
    profile: dict[str, Any], plan: dict[str, Any]
) -> list[tuple[dict[str, Any], dict[str, Any]]]:
    """(profile, plan) for each cycle of a built plan: its weeks, its A race, its start."""
    cycles = plan.get("cycles") or [{"start": plan["start"], "race": plan["race"]["name"]}]
    starts = [c["start"] for c in cycles] + ["9999-12-31"]
    by_name = {r["name"]: r for r in plan.get("races") or [plan["race"]]}
    views = []
    for number, cycle in enumerate(cycles, start=1):
        race = by_name[cycle["race"]]
        weeks = [w for w in plan["weeks"] if starts[number - 1] <= w["start"] < starts[number]]
        view = {**plan, "weeks": weeks, "start": cycle["start"], "race": race}
        who = copy.deepcopy(profile)
        who["id"] = f"{profile['id']}-c{number}"
        entry = next(r for r in profile["races"] if r["name"] == race["name"])
        who["race"] = {k: v for k, v in entry.items() if k != "priority"}
        del who["races"]
        who["start"] = cycle["start"]
        if number > 1:
            who["fitness"]["recent_race"].pop("date", None)
        views.append((who, view))
    return views


def write_views(profiles: list[Path], public: Path, out: Path) -> list[Path]:
    from ruamel.yaml import YAML

    yaml = YAML(typ="safe")
    athletes, plans = out / "athletes", out / "public"
    shutil.rmtree(out, ignore_errors=True)
    athletes.mkdir(parents=True)
    written = []
    for path in profiles:
        profile = yaml.load(path.read_text("utf-8"))
        built = public / profile["id"] / "plan.json"
        if not built.is_file():
            continue  # not built: the build's own report says why
        plan = json.loads(built.read_text("utf-8"))
        for who, view in cycle_views(json.loads(json.dumps(profile, default=str)), plan):
            (plans / who["id"]).mkdir(parents=True)
            (plans / who["id"] / "plan.json").write_text(json.dumps(view), "utf-8")
            target = athletes / f"{who['id']}.yaml"
            target.write_text("\n".join(sample.to_yaml(who)) + "\n", "utf-8")
            written.append(target)
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path, help="the folder to write athletes/, public/, cycles/")
    parser.add_argument("count", type=int, help="how many athletes")
    parser.add_argument("--seed", type=int, default=11, help="the sample's seed (default 11)")
    parser.add_argument("--coach-check", type=Path, default=sample.DEFAULT_COACH_CHECK)
    parser.add_argument("--verbose", action="store_true", help="print every violation too")
    args = parser.parse_args(argv)
    if not args.coach_check.is_file():
        parser.error(f"no coach check script at {args.coach_check}")
    athletes, public = args.out / "athletes", args.out / "public"
    profiles = write_seasons(athletes, args.count, args.seed)
    shutil.rmtree(public, ignore_errors=True)
    sample.build(athletes, public)
    views = write_views(profiles, public, args.out / "cycles")
    done = subprocess.run(
        [
            sys.executable,
            str(args.coach_check),
            str(args.out / "cycles" / "public"),
            *map(str, views),
        ],
        capture_output=True,
        text=True,
    )
    (args.out / "coach_check.txt").write_text(done.stdout + done.stderr, "utf-8")
    if done.returncode not in (0, 1) or not done.stdout.strip():
        sys.stderr.write(done.stdout + done.stderr)
        return 2
    later = [line for line in done.stdout.splitlines() if "-c2:" in line or "-c3:" in line]
    print(f"{len(profiles)} seasons, {len(views)} cycles judged")
    sys.stdout.write(done.stdout if args.verbose else "\n".join(sample.summary(done.stdout)) + "\n")
    print(f"violations in second or later cycles: {len(later)}")
    return done.returncode


if __name__ == "__main__":
    sys.exit(main())
