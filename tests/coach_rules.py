"""The coach-grade rules of issue 11 ("Plans a coach signs") as a library: a port of the K-rule
checks of the oracle script ``../shared/tools/coach_check.py`` (rules K1-K9, K12, K14), with the
same thresholds and the same rule ids leading the messages, so a test failure here reads like the
oracle's report and the oracle's figures stay comparable with the tests'.

``violations(profile, plan)`` takes the athlete profile as its YAML reads (a dict; dates may be
``datetime.date`` or ISO strings) and the plan as ``plan.json`` holds it (``json.loads`` of
``compiler.emit.emit_json``: metres, seconds, seconds per km, ISO dates).  It returns one line per
violation, ``"<rule> <athlete id>: <what>"``, empty when the plan is one a coach signs.  A plan
that breaks the plan.json contract (a key missing, a value of the wrong type) gives one ``K0``
line, as the oracle reports it.

Keep this file in step with the oracle: a rule changed there is changed here, the same way.

The rules (the issue's numbers):

- K1 long runs: the first is >= 75% of the athlete's current long run; the longest reaches
  min(max(current, race target), time cap at easy pace, 40% of the peak week) within 5% (and no
  more than 10% a week of growth from the current long run asks)
- K2 race week: running besides the race <= 50% of the peak week; runs in the 2 days before
  <= 40 min; race week incl. the race below the peak week (marathon: running besides the race
  <= 35% of the peak)
- K3 no hard session the day before or after a long run (across weeks), none in the 2 days
  before a race
- K4 peak week >= 95% of current volume (when the cap allows) and <= max(1.8x current, current
  + 25 km); the peak comes in the last 60% of the weeks before the taper
- K5 recovery runs <= 60 min; other easy runs <= 80% of the week's long run and <= 100 min
- K6 per session: threshold distance <= 10% of the week (+0.5 km), interval/5k <= 8% (+0.4 km)
  and <= 10 km, repetition <= 5% (+0.4 km); a quality session has >= 8 min of work at its pace
- K7 >= 80% of running time easy (step level) in base and build weeks; hard sessions per week
  <= 1 with <= 4 running days, <= 2 otherwise
- K8 a week is at most 10% (+1 km) above the highest of the 4 weeks before it (7% injury-prone)
- K9 no strength on race day, the day after, or the 2 days before
- K12 no run of 10+ weeks without a quality session before the taper; an athlete with a recent
  race (<= 12 weeks) running >= 70% of the plan's peak gets quality within the first 5 weeks
- K14 after a half or marathon: the day after is rest or <= 30 min; no hard session within 7
  days
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter, defaultdict
from collections.abc import Callable
from typing import Any

__all__ = ["RULES", "race_kind", "rule_of", "violations"]

Json = dict[str, Any]

RULES = ("K1", "K2", "K3", "K4", "K5", "K6", "K7", "K8", "K9", "K12", "K14")
RACE_TARGET_M = {"5k": 10000, "10k": 14000, "half": 18000, "marathon": 30000}
EASY_ZONES: frozenset[str | None] = frozenset({None, "easy", "recovery"})
T_ZONES = frozenset({"threshold", "10k"})
I_ZONES = frozenset({"interval", "5k", "3k"})
R_ZONES = frozenset({"repetition", "mile", "1500m"})
NOT_RUNS = frozenset({"strength", "rest", "cross", "cross-training", "bike", "swim"})
UNIT_M = {"km": 1000.0, "mi": 1609.344, "m": 1.0}


def rule_of(line: str) -> str:
    """The rule id a violation line starts with: ``"K3"`` of ``"K3 ana: hard session ..."``."""
    return line.split()[0]


def metres(text: object, units: str) -> float:
    """A profile distance ("12km", "7.5mi", "800m", or a bare number in the athlete's units) in
    metres; 0 for anything else."""
    found = re.fullmatch(r"([\d.]+)\s*(km|mi|m)?", str(text).strip())
    if not found:
        return 0.0
    return float(found.group(1)) * UNIT_M[found.group(2) or units]


def race_kind(distance_m: float) -> str:
    if distance_m >= 40000:
        return "marathon"
    if distance_m >= 20000:
        return "half"
    if distance_m >= 9000:
        return "10k"
    return "5k"


def _per_zone(steps: list[Json], acc: Counter[str | None], key: str) -> None:
    """Adds each step's ``key`` (duration_s or distance_m) to its zone, repeats multiplied out."""
    for step in steps:
        if step.get("kind") == "repeat":
            sub: Counter[str | None] = Counter()
            _per_zone(step.get("steps", []), sub, key)
            for zone, amount in sub.items():
                acc[zone] += amount * max(1, step.get("repeat", 1))
        else:
            acc[step.get("zone")] += step.get(key, 0)


def zone_time(steps: list[Json]) -> Counter[str | None]:
    acc: Counter[str | None] = Counter()
    _per_zone(steps, acc, "duration_s")
    return acc


def zone_dist(steps: list[Json]) -> Counter[str | None]:
    acc: Counter[str | None] = Counter()
    _per_zone(steps, acc, "distance_m")
    return acc


def _day(text: object) -> dt.date:
    return dt.date.fromisoformat(str(text))


def violations(profile: Json, plan: Json) -> list[str]:
    """Every coach-grade rule the plan breaks, one line each (see the module's docstring)."""
    found: list[str] = []
    who = str(profile["id"])

    def say(rule: str, msg: str) -> None:
        found.append(f"{rule} {who}: {msg}")

    try:
        _check(profile, plan, say)
    except (KeyError, TypeError, ValueError) as exc:
        say("K0", f"plan.json breaks the contract: {exc!r}")
    return found


def _check(profile: Json, plan: Json, say: Callable[[str, str], None]) -> None:
    units = str(profile.get("units", "km"))
    fit: Json = profile.get("fitness", {})
    cur_week = metres(fit.get("weekly_volume", 0), units)
    cur_long = metres(fit.get("long_run", 0), units)
    cap = metres(profile.get("max_weekly_volume", "0"), units) or float("inf")
    ip = bool(profile.get("injury_prone"))
    race_m = plan["race"]["distance_m"]
    kind = race_kind(race_m)
    race_day = _day(plan["race"]["date"])
    easy_slow = plan["paces"]["easy"]["max_s_per_km"]
    easy_mid = (plan["paces"]["easy"]["min_s_per_km"] + easy_slow) / 2
    weeks: list[Json] = plan["weeks"]
    runs_by_day: defaultdict[dt.date, list[Json]] = defaultdict(list)
    strength_days: list[dt.date] = []
    for w in weeks:
        for x in w["workouts"]:
            d = _day(x["date"])
            if x["category"] in NOT_RUNS:
                if x["category"] == "strength":
                    strength_days.append(d)
                continue
            runs_by_day[d].append(x)
    # The oracle sorts (date, workout) pairs; by date alone here (two long runs on one day would
    # make it compare dicts), which orders every plan the oracle can read the same way.
    longs = sorted(
        ((d, x) for d, xs in runs_by_day.items() for x in xs if x["category"] == "long"),
        key=lambda pair: pair[0],
    )
    hard = sorted(
        d
        for d, xs in runs_by_day.items()
        for x in xs
        if x["intensity"] == "hard" and x["category"] != "race"
    )
    pre = [
        w for w in weeks if w["phase"] not in ("taper", "recovery") and _day(w["start"]) <= race_day
    ]
    pre_vol = [w["planned_m"] for w in pre]
    peak = max(
        (w["planned_m"] for w in weeks if _day(w["start"]) + dt.timedelta(days=6) < race_day),
        default=0,
    )

    # K1 long runs
    if longs and len(weeks) >= 8:
        first = longs[0][1]["distance_m"]
        if cur_long and first < 0.75 * cur_long:
            say("K1", f"first long run {first / 1000:.1f} km vs current {cur_long / 1000:.1f} km")
        time_cap = (180 if kind == "marathon" else 150) * 60 / easy_mid * 1000
        want = min(max(cur_long, RACE_TARGET_M[kind]), time_cap, 0.40 * peak)
        if cur_long:  # the growth rule: at most +10% on the longest run of the previous 30 days
            want = min(want, cur_long * 1.10 ** max(1, len(pre)))
        got = max(x["distance_m"] for _, x in longs)
        if got < 0.95 * want:
            say(
                "K1",
                f"longest long run {got / 1000:.1f} km, want >= {want / 1000:.1f} km "
                f"(current {cur_long / 1000:.1f}, {kind} target "
                f"{RACE_TARGET_M[kind] / 1000:.0f}, cap {time_cap / 1000:.1f}, "
                f"40% of peak {0.4 * peak / 1000:.1f})",
            )
    # K2 race week
    rw = next((w for w in weeks if any(x["category"] == "race" for x in w["workouts"])), None)
    if rw:
        besides = sum(
            x["distance_m"] for x in rw["workouts"] if x["category"] not in NOT_RUNS | {"race"}
        )
        if besides > 0.5 * peak + 500:
            say(
                "K2",
                f"race week runs {besides / 1000:.1f} km besides the race, "
                f"peak week {peak / 1000:.1f} km",
            )
        if kind != "marathon" and rw["planned_m"] >= peak:
            say(
                "K2",
                f"race week {rw['planned_m'] / 1000:.1f} km incl. race >= peak "
                f"{peak / 1000:.1f} km",
            )
        if kind == "marathon" and besides > 0.35 * peak + 500:
            say(
                "K2",
                f"marathon week runs {besides / 1000:.1f} km besides the race, "
                f"peak week {peak / 1000:.1f} km",
            )
        for k in (1, 2):
            for x in runs_by_day.get(race_day - dt.timedelta(days=k), []):
                if x["duration_s"] > 40 * 60 + 30:
                    say(
                        "K2",
                        f"{x['duration_s'] // 60} min run {k} day(s) before the race "
                        f"({x['title']})",
                    )
    # K3 hard next to long, or just before the race
    long_days = {d for d, _ in longs}
    for d in hard:
        if d - dt.timedelta(days=1) in long_days or d + dt.timedelta(days=1) in long_days:
            say("K3", f"hard session on {d} next to a long run")
        if 0 < (race_day - d).days <= 2:
            say("K3", f"hard session on {d}, {(race_day - d).days} day(s) before the race")
    # K4 peak
    if len(weeks) >= 8 and cur_week:
        if peak < 0.95 * min(cur_week, cap):
            say(
                "K4",
                f"peak week {peak / 1000:.1f} km below current volume {cur_week / 1000:.1f} km",
            )
        if peak > max(1.8 * cur_week, cur_week + 25000) + 500:
            say("K4", f"peak week {peak / 1000:.1f} km vs current {cur_week / 1000:.1f} km")
        if pre_vol:
            at = pre_vol.index(max(pre_vol))
            if len(pre_vol) >= 6 and at < 0.4 * len(pre_vol) - 1:
                say("K4", f"highest pre-taper week is week {at + 1} of {len(pre_vol)}")
    # K5 run sizing
    for w in weeks:
        wl = [x for x in w["workouts"] if x["category"] == "long"]
        long_s = max((x["duration_s"] for x in wl), default=0)
        for x in w["workouts"]:
            if x["category"] in NOT_RUNS or x["category"] in ("long", "race"):
                continue
            if x["category"] == "recovery" and x["duration_s"] > 60 * 60 + 30:
                say("K5", f"{x['date']} recovery run {x['duration_s'] // 60} min")
            if (
                x["intensity"] == "easy"
                and x["category"] != "recovery"
                and (
                    x["duration_s"] > 100 * 60 + 30
                    or (long_s and x["duration_s"] > 0.8 * long_s + 60)
                )
            ):
                say(
                    "K5",
                    f"{x['date']} easy run {x['duration_s'] // 60} min "
                    f"(long run {long_s // 60} min)",
                )
    # K6 quality sizing
    for w in weeks:
        vol = w["planned_m"] or 1
        for x in w["workouts"]:
            if x["intensity"] != "hard" or x["category"] in NOT_RUNS | {"race"}:
                continue
            zd = zone_dist(x["steps"])
            zt = zone_time(x["steps"])
            t = sum(v for z, v in zd.items() if z in T_ZONES)
            i = sum(v for z, v in zd.items() if z in I_ZONES)
            r = sum(v for z, v in zd.items() if z in R_ZONES)
            what = f"{x['date']} {x['title']}"
            if t > 0.10 * vol + 500:
                say(
                    "K6",
                    f"{what}: {t / 1000:.1f} km at threshold in a {vol / 1000:.1f} km week",
                )
            if i > min(0.08 * vol + 400, 10000):
                say(
                    "K6",
                    f"{what}: {i / 1000:.1f} km at interval pace in a {vol / 1000:.1f} km week",
                )
            if r > 0.05 * vol + 400:
                say(
                    "K6",
                    f"{what}: {r / 1000:.1f} km at repetition pace in a {vol / 1000:.1f} km week",
                )
            work = sum(v for z, v in zt.items() if z not in EASY_ZONES)
            if work < 8 * 60:
                say("K6", f"{what}: only {work / 60:.0f} min of work")
    # K7 intensity distribution
    for k, w in enumerate(weeks):
        if w["phase"] not in ("base", "build"):
            continue
        runs = [x for x in w["workouts"] if x["category"] not in NOT_RUNS]
        zt = Counter()
        for x in runs:
            zt.update(zone_time(x["steps"]))
        total = sum(zt.values())
        easy = sum(v for z, v in zt.items() if z in EASY_ZONES)
        if total and easy / total < 0.80:
            say("K7", f"week {k + 1}: {easy / total:.0%} of running time easy")
        run_days = len({x["date"] for x in runs})
        nh = sum(1 for x in runs if x["intensity"] == "hard")
        if nh > (1 if run_days <= 4 else 2):
            say("K7", f"week {k + 1}: {nh} hard sessions on {run_days} running days")
    # K8 ramp
    for k, w in enumerate(weeks):
        if k == 0 or w["phase"] not in ("base", "build"):
            continue
        ref = max(x["planned_m"] for x in weeks[max(0, k - 4) : k])
        lim = (1.07 if ip else 1.10) * ref + 1000
        if w["planned_m"] > lim:
            say(
                "K8",
                f"week {k + 1}: {w['planned_m'] / 1000:.1f} km vs highest of the 4 before "
                f"{ref / 1000:.1f} km",
            )
    # K9 strength near the race
    for d in strength_days:
        if -1 <= (d - race_day).days <= 0 or 1 <= (race_day - d).days <= 2:
            say("K9", f"strength on {d}, race on {race_day}")
    # K12 quality arrives
    q_weeks = [
        any(x["intensity"] == "hard" and x["category"] not in NOT_RUNS for x in w["workouts"])
        for w in pre
    ]
    gap = best = 0
    for q in q_weeks:
        gap = 0 if q else gap + 1
        best = max(best, gap)
    if best >= 10:
        say("K12", f"{best} weeks in a row without a quality session before the taper")
    rr: Json = fit.get("recent_race", {})
    start = _day(plan["start"])
    if rr.get("date") and not ip and peak and cur_week >= 0.7 * peak:
        age = (start - _day(rr["date"])).days
        if age <= 84 and not any(q_weeks[:5]):
            say("K12", "fit athlete with a recent race gets no quality in the first 5 weeks")
    # K14 after the race
    if kind in ("half", "marathon"):
        for x in runs_by_day.get(race_day + dt.timedelta(days=1), []):
            if x["duration_s"] > 30 * 60 + 30:
                say("K14", f"{x['duration_s'] // 60} min run the day after the race")
        for d in hard:
            if 0 < (d - race_day).days <= 7:
                say("K14", f"hard session on {d}, {(d - race_day).days} days after the race")
