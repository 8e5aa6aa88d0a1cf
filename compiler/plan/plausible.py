"""Athlete profiles that make no sense together: each value passes its schema, the combination
does not (a race already run, one running day for an athlete who runs five now, a maximum
volume below the current one).  Each check reports at the field to change, with the fix; it
returns whether it did, so resolve can hold back the follow-on warnings of the same cause.
"""

from __future__ import annotations

import datetime as dt
import math

from ..sources.reader import Reader
from ..units import format_distance

FEW_DAYS_SHARE = 0.5  # of the runs the current week takes: availability below it is "far fewer"
DAYS_A_WEEK = 7  # a current week of more runs than this says the long run is the slip, not the days


def check_race_in_past(
    r: Reader, race_date: dt.date, today: dt.date, start: dt.date | None = None
) -> bool:
    """A race day before today.  Without a ``start`` the plan would start today, after its race:
    an error (a plan is for a race to come).  With an explicit ``start`` before the race, the
    plan is a season already run, kept so that its page and feed stay as the athlete had them:
    a warning, so that a club's weekly rebuild does not fail for every finished athlete.
    Returns whether it reported (the race date is then the cause, not the plan's length).  (A
    race between today and the plan's first day is race-too-soon, with the start in the
    message.)"""
    if race_date >= today:
        return False
    message = f"race day {race_date} is in the past: today is {today}"
    if start is not None and start <= race_date:
        r.warn(
            "race-in-past",
            message + "; the plan is built as it was run",
            ("race", "date"),
            "give the date of the athlete's next race (and a new `start:`), or remove the "
            "athlete's file when their season is over",
        )
        return True
    r.fail(
        "race-in-past",
        message,
        ("race", "date"),
        "give the date of the athlete's next race (check the year); a plan is built for a race "
        "to come",
    )
    return True


def runs_now(weekly_m: float, long_run_m: float) -> int:
    """The fewest runs a week the athlete runs now: the weekly volume in runs no longer than
    their current long run (30 km with a 12 km long run is at least 3 runs)."""
    if long_run_m <= 0:
        return 1
    return max(1, math.ceil(weekly_m / long_run_m - 1e-9))


def _days(count: int) -> str:
    return f"{count} running day" + ("" if count == 1 else "s")


def check_running_days(r: Reader, weekly_m: float, long_run_m: float, days: int) -> bool:
    """Far fewer running days than the athlete runs now is a warning at `availability.days`:
    fewer than half the runs their current week takes (the weekly volume in runs no longer than
    their long run).  One day a week for someone who runs five is a slip in `days`, or a
    weekly volume from another season; the plan packs the volume into the days given.  A week
    that would take more than seven runs says the long run is too short, not the days too few:
    that is long-run-too-short's to say."""
    needed = runs_now(weekly_m, long_run_m)
    if days <= 0 or not 2 <= needed <= DAYS_A_WEEK or days >= FEW_DAYS_SHARE * needed:
        return False
    units = r.get("units")
    r.warn(
        "too-few-days",
        f"{_days(days)} a week is far fewer than the athlete runs now: "
        f"{format_distance(weekly_m, units)} a week with a longest run of "
        f"{format_distance(long_run_m, units)} is at least {needed} runs, so on {_days(days)} "
        f"every run would be {format_distance(weekly_m / days, units)}: the plan starts its long "
        "run from that, and builds only as far as those days hold",
        ("availability", "days"),
        f"list every day the athlete can run (they run at least {needed} now), or write the "
        f"weekly volume they run on {_days(days)}",
    )
    return True


def check_max_below_current(r: Reader, weekly_m: float, cap_m: float | None) -> bool:
    """A maximum weekly volume below what the athlete runs now is a warning: the plan cuts them
    back to it from the first week (race week, with the race, aside), which is rarely what a
    coach who wrote both meant."""
    if cap_m is None or cap_m >= weekly_m * 0.999:
        return False
    units = r.get("units")
    r.warn(
        "max-volume-below-current",
        f"max_weekly_volume ({format_distance(cap_m, units)}) is below what the athlete runs "
        f"now ({format_distance(weekly_m, units)} a week): the plan cuts the athlete back to "
        f"{format_distance(cap_m, units)} a week or less from the first week",
        ("max_weekly_volume",),
        "raise max_weekly_volume to at least fitness.weekly_volume, or lower the weekly volume "
        "if the athlete runs less now",
    )
    return True
