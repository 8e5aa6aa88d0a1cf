"""What an athlete's running days can hold with runs of a sane size.

A week's volume lives in its runs, and each run has a size a coach signs: the long run within
the program's time cap at easy pace (`long_run_max`), the others within `easy_run_max` and
`easy_run_max_of_long` of the long run.  Three stages ask the same question of those limits:
resolve warns when the athlete's current volume does not fit their days, periodize builds to
no more than the days hold, and schedule gives a big week the running days it needs.  The
arithmetic lives here once, as pure functions of the program and the athlete's easy pace.
"""

from __future__ import annotations

import math

from ..model import Program
from . import paces as pace_model

SHORT_OF_CAP = 0.9  # of an easy run's cap: what a run holds on average (rounding, recovery days)
BUILD_WEEK_HOLDS = 0.95  # a week with quality sessions holds this share of an all-easy week


def easy_pace(vdot: float) -> float:
    """The middle of the easy range, in seconds per km, at ``vdot``."""
    fast = pace_model.pace_at(vdot, pace_model.EASY_FAST_FRACTION)
    slow = pace_model.pace_at(vdot, pace_model.EASY_SLOW_FRACTION)
    return (fast + slow) / 2


def recovery_pace(vdot: float) -> float:
    """The middle of the recovery range, in seconds per km, at ``vdot``."""
    fast = pace_model.pace_at(vdot, pace_model.RECOVERY_FAST_FRACTION)
    slow = pace_model.pace_at(vdot, pace_model.RECOVERY_SLOW_FRACTION)
    return (fast + slow) / 2


def run_sizes(program: Program, easy_s_per_km: float) -> tuple[float, float]:
    """The longest long run and the longest other run, in metres, by the program's time caps."""
    rules = program.rules
    long_m = program.long_run_max_s / easy_s_per_km * 1000
    other_s = min(rules.easy_run_max_s, rules.easy_run_max_of_long * program.long_run_max_s)
    return long_m, other_s / easy_s_per_km * 1000


FEWEST_RUNS = 2  # a week's runs that volume never takes away: a long run and one more
MEDIUM_LONG_RUNS = 4  # runs from which one of a week's easy runs may be its medium-long run (a long
# run, a quality session and two more: one of them apart from both; three days in a row keep none)


def days_hold(
    program: Program, easy_s_per_km: float, runs: int, recovery_s_per_km: float | None = None
) -> float:
    """The most a week of ``runs`` runs holds: a long run and the others at their caps, one
    of them (with MEDIUM_LONG_RUNS runs or more) the week's medium-long run within
    `medium_long_max` and `medium_long_share` of the long run, when the week is at least
    `medium_long_from`: a week its easy runs cannot hold gets one (room.medium_long_for_room).
    Given ``recovery_s_per_km`` (the athlete's recovery pace: the schedule puts a recovery run
    on the day after the long run), one of the others is that recovery run, at most
    `recovery_run_max` at recovery pace: counted as an easy run, it set peaks the week could
    not hold (a 106.8 km target on six days whose weeks planned 98-104.5 km).  Not in a week
    of FEWEST_RUNS: its long run is often kept near the athlete's current long run, past its
    cap (long_run.py), and a peak counting the recovery run beside it leaves no room for it:
    the week becomes the long run alone."""
    if runs <= 0:
        return 0.0
    long_m, other_m = run_sizes(program, easy_s_per_km)
    holds = long_m + (runs - 1) * other_m
    rules = program.rules
    if recovery_s_per_km is not None and runs > FEWEST_RUNS:
        recovery_m = rules.recovery_run_max_s / recovery_s_per_km * 1000
        holds -= max(other_m - recovery_m, 0.0)
    medium_s = min(rules.medium_long_max_s, rules.medium_long_share * program.long_run_max_s)
    medium_m = medium_s / easy_s_per_km * 1000
    if runs >= MEDIUM_LONG_RUNS and medium_m > other_m and holds >= rules.medium_long_from_m:
        holds += medium_m - other_m
    return holds


def runs_to_hold(program: Program, easy_s_per_km: float, volume_m: float) -> int:
    """How many runs a week of ``volume_m`` needs when the others average no more than the
    program's `easy_run_typical` and none outgrows its sane size (held a little short of it,
    as a week's runs are): a big week is more runs of a usual size, not longer ones."""
    long_m, other_m = run_sizes(program, easy_s_per_km)
    other_m = min(other_m, program.rules.easy_run_typical_s / easy_s_per_km * 1000)
    # the long run as the race asks for it (the cap is for the longest an athlete may run)
    rules = program.rules
    long_m = min(long_m, rules.long_run_max_share * volume_m, rules.long_run_target_m)
    return 1 + math.ceil(max(volume_m - long_m, 0.0) / (SHORT_OF_CAP * other_m))


def runs_volume_fills(program: Program, volume_m: float) -> int:
    """How many runs a week of ``volume_m`` fills with runs of at least about the program's
    `min_easy_run`: a 7.8 km week is three runs of 2.6 km, not five with two 0.5 km jogs
    (however many days the athlete has), and never fewer than FEWEST_RUNS."""
    return max(FEWEST_RUNS, round(volume_m / program.min_easy_run_m))
