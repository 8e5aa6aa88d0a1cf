"""The plan laid out in weeks (part of stage 3, resolve): its first week, race day's week
number, a block's last day, and whether the plan is a length its program can fill.

A plan's weeks start on the athlete's `week_start`, moved to the day after race day's weekday
when the race falls early in such a week (race_aligned_week_start); a first week the athlete's
start leaves short joins the next (first_week).  periodize counts the weeks with the same
functions, so the weeks resolve checks are the weeks the plan has.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from ..model import Program
from ..sources.reader import Reader
from .plausible import check_race_in_past

MAX_PLAN_WEEKS = 52  # from the plan's first week to race week: a season, not a career
FIRST_YEAR, LAST_YEAR = 1900, 2999  # plans are dated within these years (date arithmetic is safe)


def plannable(r: Reader, day: dt.date | None, path: tuple[str | int, ...]) -> None:
    """A race or start date within the years planc plans for."""
    if day is not None and not FIRST_YEAR <= day.year <= LAST_YEAR:
        r.fail(
            "bad-date",
            f"{day} is not a date planc can plan for (years {FIRST_YEAR} to {LAST_YEAR})",
            path,
            "check the year",
        )


def plan_start(athlete_start: dt.date | None, week_start: int, today: dt.date) -> dt.date:
    """The first day of week 1: the week-start day on or before the athlete's start date, or the
    next week-start day after today when no start date is given."""
    if athlete_start is not None:
        return athlete_start - dt.timedelta(days=(athlete_start.weekday() - week_start) % 7)
    return today + dt.timedelta(days=(week_start - today.weekday() - 1) % 7 + 1)


def first_week(
    athlete_start: dt.date | None, week_start: int, today: dt.date, program: Program, race: dt.date
) -> tuple[dt.date, int]:
    """Week 1's first day and its length in days.  A start later in the week leaves week 1
    short (Friday, in weeks from Monday: three days); with fewer than the program's
    ``first_week_min_days`` days it joins the next week, which then starts on the athlete's
    first day and spans 8 to 13 days, so the plan eases in over one week's volume instead of a
    sliver of a week and a full week's jump after it; unless that leaves fewer weeks to
    ``race`` than the program needs.  A longer short week keeps its seven days from the
    week-start day, and the days before the start hold nothing."""
    frame = plan_start(athlete_start, week_start, today)
    if athlete_start is None or athlete_start == frame:
        return frame, 7
    left = 7 - (athlete_start - frame).days
    joined = weeks_to(race, athlete_start, 7 + left, week_start)
    if left < program.rules.first_week_min_days and joined >= program.min_weeks:
        return athlete_start, 7 + left
    return frame, 7


def weeks_to(race_date: dt.date, first: dt.date, days: int, week_start: int) -> int:
    """The plan's week number of race day, week 1 starting ``first`` and spanning ``days``."""
    return (week_of(race_date, week_start) - first - dt.timedelta(days=days - 7)).days // 7 + 1


RACE_EARLY_IN_WEEK = 4  # a race on one of the first days of the athlete's week...


def race_aligned_week_start(week_start: int, race_date: dt.date) -> int:
    """The day the plan's weeks start on: the athlete's ``week_start``, unless the race falls
    on one of the first RACE_EARLY_IN_WEEK days of such a week; then the day after the race's
    weekday, so that race week is the seven days before the race.  A Monday marathon in weeks
    from Monday would leave the last days before it in a taper week, with its long run four
    days out."""
    if (race_date.weekday() - week_start) % 7 < RACE_EARLY_IN_WEEK:
        return (race_date.weekday() + 1) % 7
    return week_start


def week_of(day: dt.date, week_start: int) -> dt.date:
    return day - dt.timedelta(days=(day.weekday() - week_start) % 7)


def block_last_day(
    r: Reader,
    start: dt.date | None,
    week_start: int,
    today: dt.date,
    program: Program,
    end: dt.date,
) -> dt.date:
    """A block's last day: the last of the week that holds its `end`, or of its `weeks`-th
    week (a short first week joined to the next counts as one, as for a race)."""
    weeks = r.get("block", "weeks")
    if weeks is None:
        return week_of(end, week_start) + dt.timedelta(days=6)
    far = plan_start(start, week_start, today) + dt.timedelta(weeks=MAX_PLAN_WEEKS)
    week_one, days = first_week(start, week_start, today, program, far)
    return week_one + dt.timedelta(days=days + 7 * (int(weeks) - 1) - 1)


def check_block_length(
    r: Reader, program: Program, weeks: int, first_day: dt.date, week_two: dt.date
) -> None:
    """A block at least its program's minimum weeks long and at most MAX_PLAN_WEEKS."""
    path = ("block", "weeks") if r.get("block", "weeks") is not None else ("block", "end")
    if weeks < program.min_weeks:
        earliest = week_two + dt.timedelta(weeks=program.min_weeks - 2, days=6)
        r.fail(
            "block-length",
            f"the {program.title} block needs at least {program.min_weeks} weeks, but this one "
            f"has {max(weeks, 0)} (the plan starts {first_day})",
            path,
            f"give `weeks: {program.min_weeks}` or more, or an `end:` on or after {earliest}",
        )
    elif weeks > MAX_PLAN_WEEKS:
        r.fail(
            "block-length",
            f"the block lasts {weeks} weeks; planc plans at most {MAX_PLAN_WEEKS}",
            path,
            "check the year of `end:`, or plan a shorter block and another after it",
        )


@dataclass(frozen=True)
class Span:
    """The plan laid out in weeks: the first day of its first week frame (plan_start), its
    last day (race day, or the block's last day), week 1 (which may join a short first week
    to the next: first_week), race day's week number and where the weeks count on from."""

    first_day: dt.date
    last_day: dt.date
    week_one: dt.date
    week_one_days: int
    weeks: int
    week_two: dt.date


def lay_out(
    r: Reader,
    where: str,
    start: dt.date | None,
    week_start: int,
    last: dt.date,
    program: Program,
    today: dt.date,
) -> Span:
    """The plan's weeks, ``where`` a "race" on ``last`` or a "block" ending ``last`` (its
    `end`): a block's last day is the end of the week holding its `end`, or of its `weeks`-th
    week (block_last_day); a race plan's is race day."""
    first_day = plan_start(start, week_start, today)
    if where == "block":
        last = block_last_day(r, start, week_start, today, program, last)
    week_one, week_one_days = first_week(start, week_start, today, program, last)
    weeks = weeks_to(last, week_one, week_one_days, week_start)
    week_two = week_one + dt.timedelta(days=week_one_days)  # where the weeks count on from
    return Span(first_day, last, week_one, week_one_days, weeks, week_two)


def check_span(
    r: Reader, where: str, start: dt.date | None, program: Program, span: Span, today: dt.date
) -> None:
    """A plan of a length its program can fill: a block from its program's minimum weeks to
    MAX_PLAN_WEEKS; a race to come, after the plan starts, within MAX_PLAN_WEEKS and far
    enough away for the program."""
    first_day, weeks = span.first_day, span.weeks
    if where == "block":
        check_block_length(r, program, weeks, start or first_day, span.week_two)
    elif check_race_in_past(r, span.last_day, today, start):
        pass  # the race date is wrong (or the plan is history), not the plan's length
    elif span.last_day < (start or first_day):
        r.fail(
            "race-too-soon",
            f"race day {span.last_day} is before the plan starts ({start or first_day})",
            ("race", "date"),
            "give the date of a race to come"
            + (", or an earlier `start:`" if start else f" (plans start {first_day})"),
        )
    elif weeks > MAX_PLAN_WEEKS:
        latest = span.week_two + dt.timedelta(weeks=MAX_PLAN_WEEKS - 1, days=-1)
        r.fail(
            "race-too-far",
            f"race day is in week {weeks} of the plan; planc plans at most {MAX_PLAN_WEEKS} "
            "weeks to race day",
            ("race", "date"),
            f"check the year; for a race this far away set `start:` later (the plan starting "
            f"{first_day} can end by {latest})",
        )
    elif weeks < program.min_weeks:
        earliest = span.week_two + dt.timedelta(weeks=program.min_weeks - 2)
        r.fail(
            "race-too-soon",
            f"the {program.title} program needs at least {program.min_weeks} weeks, "
            f"but race day is in week {weeks} of the plan",
            ("race", "date"),
            f"the earliest race date that works is {earliest} (a plan starting {first_day})",
        )
