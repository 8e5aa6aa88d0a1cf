"""A week's volume shared out among its sessions (part of stage 7, expand).

The long run takes the focus's share (never less than the week's average run, within its safety
limits), the other runs share what is left with none longer than the long run, and the week is
kept mostly easy: when it is not, or when a session is too big for the week, intensity is taken
out in order of importance (trim, then ease the long run, then replace: sizing.py).  The rules
hold for what the athlete actually runs, not only for the nominal plan.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Container, Mapping, Sequence
from dataclasses import dataclass, replace

from ..model import Blueprint, Paces, Race, ScheduledWeek, WeekPlan
from ..units import METRES_PER, format_distance
from ..vocabulary import Category, Intensity, RacePriority, Role, SlotKind
from .long_run import c_race_ahead, cutback_depth, floor_unit, size_long_run
from .minor_races import in_easy_days, keeps_short, near_b_race
from .periodize import race_week_running
from .sessions import Draft

# How big a session's `fill` is next to an easy run's: a recovery run is shorter, and a quality
# session's easy running comes on top of its fixed work.
FILL_WEIGHTS = {Role.EASY: 1.0, Role.RECOVERY: 0.75, Role.QUALITY: 0.5}
EASY_LIKE = (Role.EASY, Role.RECOVERY, Role.MEDIUM_LONG)  # the runs with a floor, dropped first


def _round_unit(metres: float, unit_m: float, step: float) -> float:
    return round(metres / (unit_m * step)) * unit_m * step


def _round_within(metres: float, limit: float, unit_m: float) -> float:
    """To half units, which read well, unless that passes ``limit``: then down to a tenth."""
    rounded = _round_unit(metres, unit_m, 0.5)
    return rounded if rounded <= limit + 1e-6 else floor_unit(min(metres, limit), unit_m)


@dataclass(frozen=True)
class _Allocation:
    """How a week's volume is shared out: the fill of each draft, the drafts dropped."""

    fill: Mapping[int, float]
    dropped: frozenset[int]
    target: float  # the week's target, lowered when its runs cannot hold more
    notes: tuple[str, ...]


PAST_TARGET = 0.05  # of the race's long-run target (or the current long run, when longer): how
# far the long run may grow past it when the week's other runs cannot hold its volume (at 10%,
# a 2:49 marathoner had eight long runs of 35-37 km, 2 h 50 at easy pace)
PAST_TARGET_M = 2_000.0  # or this far, when more: a 5K's 10 km target may become 12 km
BEYOND_STEPS = 12  # halvings in the search for the least long run that holds a week


def _long_and_caps(
    bp: Blueprint,
    paces: Paces,
    week: ScheduledWeek,
    drafts: Sequence[Draft],
    long_index: int | None,
    history: Sequence[tuple[dt.date, float]],
    target: float,
    runs: int,
    fill: dict[int, float],
    beyond_goal: float = 0.0,
    growth: float = 0.0,
    typical_easy_s: float | None = None,
) -> tuple[float, list[str], dict[int, float]]:
    """The long run (its fill into ``fill``), what held it, and the other sessions' caps
    (``typical_easy_s``: the plan's typical easy run, _held_to_typical)."""
    long_total, long_s, notes = 0.0, 0.0, list[str]()
    if long_index is not None:
        long_draft = drafts[long_index]
        long_total, notes = size_long_run(
            bp, paces, week, long_draft, history, target, runs, beyond_goal, growth
        )
        fill[long_index] = max(long_total - long_draft.fixed_m, 0.0) if long_draft.has_fill else 0
        long_total = long_draft.fixed_m + fill[long_index]
        # how long the long run takes, its faster blocks included
        long_s = long_draft.fixed_s + fill[long_index] * paces.zones["easy"].mid / 1000
    # the last long run before this week (a Sunday long run before a Monday jog): its day and
    # how long it took
    last = (history[-1][0], history[-1][1] * paces.zones["easy"].mid / 1000) if history else None
    caps = _caps(bp, paces, drafts, long_total, long_s, week.plan, last, target)
    if typical_easy_s is not None:
        caps = _held_to_typical(bp, paces, drafts, week.plan, caps, typical_easy_s)
    return long_total, notes, caps


def _held_to_typical(
    bp: Blueprint,
    paces: Paces,
    drafts: Sequence[Draft],
    plan: WeekPlan,
    caps: dict[int, float],
    typical_s: float,
) -> dict[int, float]:
    """``caps`` with no easy or recovery run in race week, in a B race's last days and its
    easy days after it (near_b_race), or in a week the athlete's days away cut, longer than
    ``typical_s``, the plan's typical easy run (the median of the `typical_easy_weeks`
    before), its strides included, but never below its `run_floor`: those weeks are light on
    purpose, and the volume their runs cannot hold is left out, not poured into the one free
    day (a 14.5 km easy run 5 days before a B 10K; a beginner's longest easy run in race week,
    review round 20; a 7.1 mi easy run the day before a 7-day trip, round 21). In race week a
    run is at most `race_week_run_share` of its size in the weeks before (`recovery_run_max`
    or the typical easy run, the lesser, for a recovery run): a race-week Monday's recovery
    run of 7.8 km was the peak weeks' (round 21)."""
    rules = bp.program.rules
    away = cut_by_days_away(bp, plan)
    held = dict(caps)
    for i, cap in caps.items():
        d = drafts[i]
        if d.slot.role not in EASY_LIKE or not (
            plan.race_week or away or near_b_race(bp, d.slot.date)
        ):
            continue
        recovery = d.slot.role == Role.RECOVERY or d.template.category == Category.RECOVERY
        pace = paces.zones["recovery" if recovery else "easy"].mid
        size = min(typical_s, rules.recovery_run_max_s) if recovery else typical_s
        most = size * rules.race_week_run_share if plan.race_week else typical_s
        seconds = max(most, d.fixed_s + rules.run_floor_s)
        held[i] = min(cap, max((seconds - d.fixed_s) / pace * 1000, 0.0))
    return held


def cut_by_days_away(bp: Blueprint, plan: WeekPlan) -> bool:
    """Whether the athlete is away on one of the week's running days: its target was cut by
    them, and its runs are held to a sensible size (_held_to_typical)."""
    return bp.athlete.days_away(plan.start, plan.days) > 0


BEFORE_QUALITY = 0.83  # of `easy_run_max`: the most an easy run the day before a quality
# session runs (75 min of 90), so the hard day comes on fresh legs, not after a medium-long run
DAY = dt.timedelta(days=1)
NEXT_TO_LONG = 0.5  # of the long run (by time): the most an easy run the day before or after
# it (or the week's medium-long run) runs, so two days back to back are a long run and a shorter
# one, not two long runs (round 19: a 19.1 km easy run the day after a 21 km medium-long run)


def _caps(
    bp: Blueprint,
    paces: Paces,
    drafts: Sequence[Draft],
    long_total: float,
    long_s: float,
    plan: WeekPlan,
    last_long: tuple[dt.date, float] | None = None,
    week_m: float | None = None,
) -> dict[int, float]:
    """The most each session with a fill may total, in metres: an easy run at most
    `easy_run_max` and `easy_run_share_of_long` of the long run (by time; NEXT_TO_LONG of it the
    day before or after it or the week's medium-long run, and the day after ``last_long``, last
    week's long run: day, seconds),
    a recovery run `recovery_run_max`, a medium-long run its share of the long run and
    `medium_long_week_max` of the week (``week_m``, else the plan's target), a quality
    session `quality_fill_max` of easy running beyond its steps, the runs around a B or C race
    held short (_around_minor_race), an easy run in a C race's week before it at most
    `easy_after_race_max` (the race takes the quality session's place, its volume is not
    poured into the easy run left there: 9.4 mi two days before a 5K, round 19), none longer
    than the long run; `run_floor` at least."""
    rules = bp.program.rules
    race_week = plan.race_week
    per_km = paces.zones["easy"].mid
    week_s = (plan.target_m if week_m is None else week_m) / 1000 * per_km  # at easy pace
    by_role = _role_caps(bp, long_total, long_s, race_week, week_s)
    long_days = [d.slot.date for d in drafts if d.slot.role == Role.LONG]
    # the long run, and the week's medium-long run for the easy and recovery runs beside it
    big_days = long_days + [d.slot.date for d in drafts if d.slot.role == Role.MEDIUM_LONG]
    quality_days = {d.slot.date for d in drafts if d.slot.role == Role.QUALITY}
    caps: dict[int, float] = {}
    for i, d in enumerate(drafts):
        if not d.has_fill or d.slot.role == Role.LONG:
            continue
        role = Role.RECOVERY if d.template.category == Category.RECOVERY else d.slot.role
        seconds = by_role.get(role)
        beside_long = _beside(d.slot.date, long_days)
        if role == Role.QUALITY and seconds is not None:
            seconds = min(
                seconds,
                d.fixed_s + rules.quality_fill_max_s,
                _longest_quality(d, long_s, last_long),
            )
        if seconds is not None:
            big = big_days if role in SMALL_BESIDE else long_days
            near = (big if long_total else [], quality_days)
            seconds = _held_by_neighbours(bp, d, role, seconds, near, (long_s, last_long))
        seconds = _around_minor_race(bp, d.slot.date, seconds, role == Role.RECOVERY)
        if seconds is not None and role == Role.EASY and c_race_ahead(bp, plan, d.slot.date):
            seconds = min(seconds, bp.program.rules.minor.easy_after_race_max_s)
        if seconds is not None and role in EASY_LIKE:
            floor_of = long_s if long_total else None
            seconds = _at_least_the_floor(bp, d, seconds, floor_of, beside_long)
        room = (long_total or float("inf")) - d.fixed_m
        if seconds is not None:  # by time: the session's fixed steps (strides, walks) count
            # a recovery jog runs at recovery pace: its minutes hold fewer metres
            pace = paces.zones["recovery"].mid if role == Role.RECOVERY else per_km
            room = min(room, (seconds - d.fixed_s) / pace * 1000)
        caps[i] = max(room, 0.0)
    return _spread(bp, drafts, caps)


def _held_by_neighbours(
    bp: Blueprint,
    d: Draft,
    role: Role,
    seconds: float,
    near: tuple[Sequence[dt.date], Container[dt.date]],
    longs: tuple[float, tuple[dt.date, float] | None],
) -> float:
    """``seconds`` held by the days around ``d``: NEXT_TO_LONG of this week's long run (its
    seconds, ``longs[0]``) the day before or after a big day (``near[0]``: the long run, and for
    an easy or recovery run the medium-long run too) and of last week's long run (``longs[1]``:
    day, seconds) the day after it, and BEFORE_QUALITY of `easy_run_max` the day before a
    quality day (``near[1]``); a quality session's own fill is held elsewhere."""
    big_days, quality_days = near
    long_s, last_long = longs
    if role != Role.QUALITY and _beside(d.slot.date, big_days):
        seconds = min(seconds, NEXT_TO_LONG * long_s)
    if last_long and d.slot.date - last_long[0] == DAY:
        seconds = min(seconds, NEXT_TO_LONG * last_long[1])
    if role != Role.QUALITY and d.slot.date + DAY in quality_days:
        seconds = min(seconds, BEFORE_QUALITY * bp.program.rules.easy_run_max_s)
    return seconds


def _longest_quality(d: Draft, long_s: float, last_long: tuple[dt.date, float] | None) -> float:
    """The most seconds a quality session's easy fill makes it: no longer than this week's
    long run (``long_s``, 0: none) nor the last one before it (``last_long``), its own fixed
    steps aside (a 56-min race-pace session after a 54-min B race, review round 20)."""
    most = [s for s in (long_s, last_long[1] if last_long else 0.0) if s > 0]
    return max(min(most), d.fixed_s) if most else float("inf")


def _role_caps(
    bp: Blueprint, long_total: float, long_s: float, race_week: bool, week_s: float
) -> dict[Role, float]:
    """The most seconds a session of each role may take before the limits of its day (the
    medium-long run `medium_long_week_max` of the week, ``week_s`` at easy pace, too)."""
    rules = bp.program.rules
    easy_s = rules.easy_run_max_s
    if race_week:  # short runs to arrive fresh
        easy_s = min(easy_s, rules.recovery_run_max_s)
    if long_total:
        easy_s = min(easy_s, rules.easy_run_share_of_long * long_s)
    return {
        Role.EASY: easy_s,
        Role.RECOVERY: min(easy_s, rules.recovery_run_max_s),
        # the one easy run allowed past the plain easy run's limits
        Role.MEDIUM_LONG: min(
            rules.recovery_run_max_s if race_week else rules.medium_long_max_s,
            rules.medium_long_share * long_s if long_total else rules.medium_long_max_s,
            rules.medium_long_week_max * week_s,
        ),
        Role.QUALITY: easy_s,  # a quality day's easy running makes it no bigger than an easy run
    }


SMALL_BESIDE = (Role.EASY, Role.RECOVERY)  # the runs held to NEXT_TO_LONG beside a medium-long run


def _beside(day: dt.date, days: Sequence[dt.date]) -> bool:
    """Whether ``day`` is the day before or after one of ``days``."""
    return any(abs((day - other).days) == 1 for other in days)


def _at_least_the_floor(
    bp: Blueprint, d: Draft, seconds: float, long_s: float | None, beside_long: bool
) -> float:
    """An easy or recovery run's most ``seconds``, never below a run worth lacing shoes for
    (`run_floor` beyond its fixed steps), however short the long run beside it (a 1.8 km
    Monday after a 3.6 km long run back from a trip), but within `easy_run_max_of_long` of
    this week's long run (``long_s``), and NEXT_TO_LONG of it the day before or after it (two
    days back to back are a long run and a shorter one)."""
    rules = bp.program.rules
    most = float("inf") if long_s is None else rules.easy_run_max_of_long * long_s
    if long_s is not None and beside_long:
        most = NEXT_TO_LONG * long_s
    return max(seconds, min(d.fixed_s + rules.run_floor_s, most))


def _around_minor_race(
    bp: Blueprint, day: dt.date, seconds: float | None, recovery: bool = False
) -> float | None:
    """``seconds``, the most a run on ``day`` may last, held short around a B or C race: the
    day after it a recovery run of at most `after_race_run_max` (issue 11), its other easy
    days at most `easy_after_race_max` (a 10.1 mi easy run three days after a B 5K, the
    longest in the plan, round 16), the day before it at most `before_race_run_max` (the
    "short easy run" before a C half was the standard 5 mi, round 16), and a ``recovery`` run
    in its short days (keeps_short) at most `short_run_max` (three 50-min "recovery jogs" in
    a B 10K's week, round 19)."""
    if seconds is None:
        return None
    minor, athlete = bp.program.rules.minor, bp.athlete
    if recovery and keeps_short(bp, day):
        seconds = min(seconds, minor.short_run_max_s)
    raced = athlete.minor_race_on(day - DAY)
    if raced is not None:
        seconds = min(seconds, after_race_run_max(bp, raced))
    elif in_easy_days(bp, day):
        seconds = min(seconds, minor.easy_after_race_max_s)
    if athlete.minor_race_on(day + DAY) is not None:
        seconds = min(seconds, minor.before_race_run_max_s)
    return seconds


def after_race_run_max(bp: Blueprint, race: Race) -> float:
    """The most the run the day after the B or C race ``race`` may last: `after_race_run_max`,
    or `after_short_c_run_max` after a C race shorter than `c_long_from` (a 5K, a 10K) for an
    athlete running `after_short_c_from` or more a week: a trained runner's easy run of 35-45
    min, where a beginner, and anyone after a B race or a long C race, keeps the short jog
    (review round 20: 2.8 mi the day after a C 5K at 25 mi a week)."""
    minor = bp.program.rules.minor
    short_c = race.priority == RacePriority.C and race.distance_m < minor.c_long_from_m
    if short_c and bp.athlete.weekly_volume_m >= minor.after_short_c_from_m:
        return minor.after_short_c_run_max_s
    return minor.after_race_run_max_s


def _spread(bp: Blueprint, drafts: Sequence[Draft], caps: dict[int, float]) -> dict[int, float]:
    """``caps`` with no easy run's above `easy_run_spread` of the shortest easy run's (their
    totals, strides included): the week's easy volume is spread over its easy runs, not
    stacked on the one day no other limit holds short (a 100 min Wednesday beside a 74 min
    Thursday and a 9 km Monday).  Recovery runs and the medium-long run are no easy runs here:
    they have sizes of their own."""
    easy = [
        i
        for i in caps
        if drafts[i].slot.role == Role.EASY and drafts[i].template.category != Category.RECOVERY
    ]
    if len(easy) < 2:
        return caps
    least = min(caps[i] + drafts[i].fixed_m for i in easy)
    most = bp.program.rules.easy_run_spread * least
    return {
        i: max(min(cap, most - drafts[i].fixed_m), 0.0) if i in easy else cap
        for i, cap in caps.items()
    }


def _share_out(
    left: float,
    weights: Mapping[int, float],
    caps: Mapping[int, float],
    wanted: Mapping[int, float],
) -> dict[int, float]:
    """``left`` metres shared in proportion to ``weights``, none above its cap; a session with a
    wanted size (a medium-long run) gets that first.  What no session can hold stays unshared."""
    fill = {i: min(wanted[i], caps[i], max(left, 0.0)) for i in wanted if i in weights}
    left -= sum(fill.values())
    open_ = [i for i in weights if i not in fill]
    while open_ and left > 1e-6:
        total = sum(weights[i] for i in open_)
        share = {i: left * weights[i] / total for i in open_}
        full = [i for i in open_ if share[i] >= caps[i] - fill.get(i, 0.0)]
        if not full:
            for i in open_:
                fill[i] = fill.get(i, 0.0) + share[i]
            left = 0.0
            break
        for i in full:
            left -= caps[i] - fill.get(i, 0.0)
            fill[i] = caps[i]
            open_.remove(i)
    return {i: fill.get(i, 0.0) for i in weights}


@dataclass(frozen=True)
class _Sharing:
    """What sharing one week's volume out threads through each of its steps: the week and its
    drafts, the long runs and races it grows from (``history``), its target, its runs and the
    long run among them (draft indexes), the sessions with an easy fill to share (the long run
    aside), and the fixed metres of every session but the long run."""

    bp: Blueprint
    paces: Paces
    week: ScheduledWeek
    drafts: Sequence[Draft]
    history: Sequence[tuple[dt.date, float]]
    target: float
    runs: tuple[int, ...]
    long_index: int | None
    fillable: tuple[int, ...]
    fixed_others: float
    growth: float = 0.0  # the week's target over the last week run (0: not counted)
    # whether the target may rise to keep every listed day (not on the way back from a break
    # or a B race's light weeks, whose targets are held to a jump on the last week run)
    may_raise: bool = True
    typical_easy_s: float | None = None  # the plan's typical easy run so far (None: none yet)
    # the most a raised target may reach: the ramp on what was run, or the most run in a week
    raise_to: float = math.inf

    @property
    def unit_m(self) -> float:
        return METRES_PER[self.bp.athlete.units]

    def long_and_caps(
        self, fill: dict[int, float], runs: int, beyond_goal: float = 0.0
    ) -> tuple[float, list[str], dict[int, float]]:
        """_long_and_caps for this week with ``runs`` runs (its long run's fill into ``fill``)."""
        return _long_and_caps(
            self.bp,
            self.paces,
            self.week,
            self.drafts,
            self.long_index,
            self.history,
            self.target,
            runs,
            fill,
            beyond_goal,
            self.growth,
            self.typical_easy_s,
        )


def allocate(
    bp: Blueprint,
    paces: Paces,
    week: ScheduledWeek,
    drafts: Sequence[Draft],
    history: Sequence[tuple[dt.date, float]],
    target: float,
    growth: float = 0.0,
    may_raise: bool = True,
    typical_easy_s: float | None = None,
    raise_to: float = math.inf,
) -> _Allocation:
    """The week's volume shared out: the long run first (grown past the race's target when the
    other runs cannot hold the week), the other runs' shares of what is left (the easy runs too
    short to matter dropped), rounded to read well; the long run gives way when fixed work
    overshoots the target, and the target follows what the runs hold."""
    runs = tuple(i for i, d in enumerate(drafts) if d.slot.slot == SlotKind.RUN)
    # race week's target counts the race distance; the race workout's warm-up and cool-down
    # come out of the week's other running, so race week, race included, stays its size
    sharing = _Sharing(
        bp,
        paces,
        week,
        drafts,
        history,
        target,
        runs,
        long_index=next((i for i in runs if drafts[i].slot.role == Role.LONG), None),
        fillable=tuple(i for i, d in enumerate(drafts) if d.has_fill and d.slot.role != Role.LONG),
        fixed_others=sum(d.fixed_m for d in drafts if d.slot.role != Role.LONG),
        growth=growth,
        may_raise=may_raise,
        typical_easy_s=typical_easy_s,
        raise_to=raise_to,
    )
    fill: dict[int, float] = {}
    long_total, long_notes, caps = _long_run_holding_week(sharing, fill)
    sharing, raised = _raised_to_keep_days(sharing, long_total, caps)
    (long_total, long_notes, caps), (shares, dropped, drop_notes) = _shared_out(
        sharing, fill, (long_total, long_notes, caps)
    )
    notes = [*raised, *drop_notes, *long_notes]
    fixed_others = sharing.fixed_others - sum(drafts[i].fixed_m for i in dropped)
    floors = run_floors(bp, paces, drafts, long_total)
    if keeps_few_runs(drafts, [i for i in runs if i not in dropped]):
        floors = held_floors(bp, paces, drafts, long_total, shares, caps)
    least = {i: max(m - drafts[i].fixed_m, 0.0) for i, m in floors.items()}
    planned = _rounded(sharing, fill, shares, caps, long_total + fixed_others, least)
    planned = _long_run_gives_way(sharing, fill, planned, fixed_others, dropped, notes)
    target = _target_as_planned(sharing, planned, len(runs) - len(dropped), notes)
    return _Allocation(fill, frozenset(dropped), target, tuple(notes))


def _raised_to_keep_days(
    sharing: _Sharing, long_total: float, caps: Mapping[int, float]
) -> tuple[_Sharing, list[str]]:
    """The week with its target raised, by at most `tiny_week_over`, so that every easy,
    recovery and medium-long run keeps `run_floor_min` of easy running beside the long run
    (``long_total``) and the fixed work, and a note saying so; unchanged in a taper, recovery
    or comeback week (they may come out lighter), nor on the way back from a break or a B
    race's light weeks (``may_raise``: their targets are held to `return_from_break.jump`).
    A beginner on three days at 10 km ran two of them: her Thursday was dropped beside a
    4.3 km fartlek and a 5 km long run, and the long run took 57% of the week (round 18).
    Never to a new high past the ramp on what was run (``raise_to``)."""
    plan, bp = sharing.week.plan, sharing.bp
    most = bp.program.rules.tiny_week_over_m
    shakeout = any(sharing.drafts[i].slot.role == Role.SHAKEOUT for i in sharing.runs)
    lighter = plan.share_of_peak is not None or plan.returning or plan.race_week
    if plan.race_week and shakeout:
        # race week keeps its shakeout and a run beside it (a 3-day beginner ran nothing from
        # Tuesday to Sunday's 5K, round 20): by no more than the race's own warm-up and
        # cool-down, so the runs besides the race stay within the week's share of the peak
        lighter, most = False, min(most, _race_extra(sharing))
    if lighter or not sharing.may_raise or not keeps_few_runs(sharing.drafts, sharing.runs):
        return sharing, []
    least = run_floors(
        bp, sharing.paces, sharing.drafts, long_total, bp.program.rules.run_floor_min_s
    )
    need = sum(
        min(max(least[i] - sharing.drafts[i].fixed_m, 0.0), caps[i])
        for i in sharing.fillable
        if i in least
    )
    short = need - (sharing.target - long_total - sharing.fixed_others)
    # never past the ramp on what was run (``raise_to``): a run dropped instead (a 10 km 10K
    # runner's Tuesday, dropped in weeks 1-3, was kept in week 5 by a raise to +19%)
    if short <= 1.0 or short > most or sharing.target + short > sharing.raise_to + 1.0:
        return sharing, []
    target = sharing.target + short
    units = bp.athlete.units
    note = (
        f"target raised from {format_distance(sharing.target, units)} to "
        f"{format_distance(target, units)}: every listed day keeps a short run "
        "rather than one being dropped"
    )
    return replace(sharing, target=target), [note]


def _race_extra(sharing: _Sharing) -> float:
    """The metres race day's workout runs beyond the race (its warm-up and cool-down), which
    race week's target leaves to its other runs."""
    race = sum(d.fixed_m for d in sharing.drafts if d.slot.role == Role.RACE)
    return max(race - sharing.bp.program.distance_m, 0.0)


def _long_run_holding_week(
    sharing: _Sharing, fill: dict[int, float]
) -> tuple[float, list[str], dict[int, float]]:
    """The long run (its fill into ``fill``), what held it and the other sessions' caps.  In a
    building week whose other runs cannot hold it, the long run grows past the race's target
    and its share of the week (within its growth and time caps), which lets the others grow
    with it: by as little as holds the week, and never more than PAST_TARGET past the target
    (five 39.5 km long runs in a marathon build are a coach's red flag, not volume): a week the
    runs still cannot hold comes out lighter."""
    long_total, long_notes, caps = sharing.long_and_caps(fill, len(sharing.runs))
    building = sharing.week.plan.share_of_peak is None
    capacity = long_total + sharing.fixed_others + sum(caps[i] for i in sharing.fillable)
    if not (
        building
        and sharing.long_index is not None
        and capacity < sharing.target
        and sharing.fillable
    ):
        return long_total, long_notes, caps

    def holds(beyond: float) -> tuple[float, float, list[str], dict[int, float]]:
        total, why, caps_ = sharing.long_and_caps(fill, len(sharing.runs), beyond)
        return (
            total + sharing.fixed_others + sum(caps_[i] for i in sharing.fillable),
            total,
            why,
            caps_,
        )

    rules, target = sharing.bp.program.rules, sharing.target
    base = max(sharing.bp.athlete.long_run_m, rules.long_run_target_m)
    farthest = max(PAST_TARGET * base, PAST_TARGET_M)  # beyond the target, at most
    most = holds(min(target, farthest))[0]
    low, high = 0.0, min(target, farthest)
    for _ in range(BEYOND_STEPS):
        middle = (low + high) / 2
        low, high = (low, middle) if holds(middle)[0] >= min(target, most) - 1.0 else (middle, high)
    _, long_total, long_notes, caps = holds(high)
    return long_total, long_notes, caps


def _shared_out(
    sharing: _Sharing,
    fill: dict[int, float],
    long_run: tuple[float, list[str], dict[int, float]],
) -> tuple[tuple[float, list[str], dict[int, float]], tuple[dict[int, float], set[int], list[str]]]:
    """The other runs' shares (_share_easy) beside the ``long_run`` (its size, notes and the
    others' caps), and the long run as it then stands.  When runs are dropped, the long run
    takes the larger share few runs give it and the others may grow with it, never past the
    week, and only when the runs stay as few as that share was worked out for (a longer long
    run lets a dropped run stay, and three runs with a two-run share are 56% of the week); not
    back from a break, where the long run keeps its comeback share; in week 1 never past the
    athlete's current long run (a beginner's 5.7 km on her 5 km, the plan's longest for
    weeks, review round 18)."""
    long_total, _, caps = long_run
    shared = _share_easy(
        sharing.bp,
        sharing.paces,
        sharing.drafts,
        sharing.fillable,
        caps,
        sharing.target - long_total - sharing.fixed_others,
        long_total,
        sharing.week.plan.race_week,
    )
    dropped = shared[1]
    if not dropped or sharing.long_index is None or sharing.week.plan.returning:
        return long_run, shared
    fewer = len(sharing.runs) - len(dropped)
    trial = dict(fill)
    retry = sharing.long_and_caps(trial, fewer)
    most = sharing.target - sharing.fixed_others + 1.0  # never past the week
    if sharing.week.plan.index == 1:  # nor, in week 1, past the current long run (round 18)
        most = min(most, max(long_total, sharing.bp.athlete.long_run_m))
    if not long_total < retry[0] <= most:
        return long_run, shared
    again = _share_easy(
        sharing.bp,
        sharing.paces,
        sharing.drafts,
        sharing.fillable,
        retry[2],
        sharing.target - retry[0] - sharing.fixed_others,
        retry[0],
        sharing.week.plan.race_week,
    )
    if len(sharing.runs) - len(again[1]) > fewer:
        return long_run, shared
    fill[sharing.long_index] = trial[sharing.long_index]
    return retry, again


def _rounded(
    sharing: _Sharing,
    fill: dict[int, float],
    shares: Mapping[int, float],
    caps: Mapping[int, float],
    fixed: float,
    floors: Mapping[int, float],
) -> float:
    """The shares into ``fill``, rounded to half units within their caps, never rounded
    below a run's floor (``floors``, its fill: run_floors) the share reached; the small error
    the rounding leaves goes to the easy run with the most room, or, when the week came out
    over, comes off its longest easy run (off the one held shortest, it would take the week's
    easy runs apart: a 3.1 km Monday beside 6 km runs).  What the week then plans, with the
    long run and the fixed work (``fixed``)."""
    unit_m = sharing.unit_m
    kept = {  # the floors the shares reached, up to a tenth of a unit, within the caps
        i: min(math.ceil(floors[i] / (unit_m * 0.1) - 1e-9) * unit_m * 0.1, caps[i])
        for i, share in shares.items()
        if i in floors and min(floors[i], caps[i]) <= share + 1e-6
    }
    for i, share in shares.items():
        fill[i] = max(_round_within(min(share, caps[i]), caps[i], unit_m), kept.get(i, 0.0), 0.0)
    planned = fixed + sum(fill[i] for i in shares)
    if shares:
        _settle(sharing, fill, shares, caps, kept, sharing.target - planned)
        planned = fixed + sum(fill[i] for i in shares)
    return planned


def _settle(
    sharing: _Sharing,
    fill: dict[int, float],
    shares: Mapping[int, float],
    caps: Mapping[int, float],
    kept: Mapping[int, float],
    error_m: float,
) -> None:
    """The rounding's error (``error_m``, at most half a unit a run, to a tenth) into
    ``fill``: given to the easy run with the most room, or, when the week came out over, taken
    off its longest easy run, and off the next longest what that one cannot give without
    going below the floor its share reached (``kept``: a 3.6 km recovery jog beside 4.5 km
    ones, 19 minutes)."""
    unit_m, drafts = sharing.unit_m, sharing.drafts
    limit = 0.5 * unit_m * len(shares)
    error_m = _round_unit(max(-limit, min(limit, error_m)), unit_m, 0.1)
    easy = [i for i in shares if drafts[i].slot.role == Role.EASY] or list(shares)
    if error_m >= 0:
        pick = max(easy, key=lambda i: (caps[i] - fill[i], -i))
        fill[pick] = max(0.0, min(caps[pick], fill[pick] + error_m))
        return
    for pick in sorted(easy, key=lambda i: (-(fill[i] + drafts[i].fixed_m), i)):
        before = fill[pick]
        least = min(kept.get(pick, 0.0), before)
        fill[pick] = max(least, min(caps[pick], before + error_m))
        error_m += before - fill[pick]
        if error_m > -1e-6:
            return


def _long_run_gives_way(
    sharing: _Sharing,
    fill: dict[int, float],
    planned: float,
    fixed_others: float,
    dropped: set[int],
    notes: list[str],
) -> float:
    """What the week plans once the long run gives way to fixed work (a quality session's
    reps) that overshoots the target: its fill cut, down to the program's least easy run, in a
    taper (sharpness before endurance) half of it, and never so far that an easy run outgrows
    `easy_run_max_of_long` of it (_beside_easy_runs); a note says so."""
    unit_m, drafts, long_index = sharing.unit_m, sharing.drafts, sharing.long_index
    if not (
        planned > sharing.target + 0.1 * unit_m
        and fixed_others > 0
        and long_index is not None
        and fill.get(long_index)
    ):
        return planned
    least = sharing.bp.program.min_easy_run_m * (0.5 if sharing.week.plan.tapering else 1.0)
    floor = max(least - drafts[long_index].fixed_m, _beside_easy_runs(sharing, fill, dropped))
    cut = min(planned - sharing.target, fill[long_index] - floor)
    if cut <= 0:
        return planned
    fill[long_index] = math.floor((fill[long_index] - cut) / (unit_m * 0.1)) * unit_m * 0.1
    planned = sum(drafts[i].fixed_m + fill.get(i, 0.0) for i in sharing.runs if i not in dropped)
    planned += sum(d.fixed_m for d in drafts if d.slot.slot == SlotKind.RACE)
    notes.append("long run shortened: the week's fixed sessions already fill it")
    return planned


def _beside_easy_runs(sharing: _Sharing, fill: Mapping[int, float], dropped: set[int]) -> float:
    """The least fill the long run keeps so that no easy or recovery run of the week (not
    ``dropped``) takes more than `easy_run_max_of_long` of it by time: a run raised to its
    `run_floor` beside a long run cut for fixed work would be a second long run."""
    drafts, paces, long_index = sharing.drafts, sharing.paces, sharing.long_index
    assert long_index is not None
    easy = paces.zones["easy"].mid
    longest_s = 0.0
    for i in sharing.fillable:
        d = drafts[i]
        if i in dropped or d.slot.role not in (Role.EASY, Role.RECOVERY):
            continue
        pace = paces.zones["recovery"].mid if d.template.category == Category.RECOVERY else easy
        longest_s = max(longest_s, d.fixed_s + fill.get(i, 0.0) * pace / 1000)
    if not longest_s:
        return 0.0
    wanted_s = longest_s / sharing.bp.program.rules.easy_run_max_of_long
    return max((wanted_s - drafts[long_index].fixed_s) / easy * 1000, 0.0)


SHORT_NOTED = 1.0  # units (km or mi): a week this far short of its target says why in a note


def _target_as_planned(sharing: _Sharing, planned: float, running: int, notes: list[str]) -> float:
    """The week's target as its ``running`` runs hold it: raised in a taper that keeps its
    quality session when the session's fixed work passes it (never past the peak the target is
    a share of: then the session is made smaller instead), lowered to what runs of a sensible
    size hold (the rest is left out, not poured into long easy runs); a note says so, as it
    does when the runs hold a little less than the target (SHORT_NOTED or more)."""
    plan, units, target = sharing.week.plan, sharing.bp.athlete.units, sharing.target
    keeps_quality = any(d.slot.role == Role.QUALITY for d in sharing.drafts)
    share = plan.share_of_peak or 1.0
    if (
        plan.tapering
        and not plan.race_week
        and 1.05 * target < planned <= target / share
        and keeps_quality
    ):
        notes.append(
            f"target raised from {format_distance(target, units)} to "
            f"{format_distance(planned, units)}: the taper keeps its quality session"
        )
        target = planned
    if planned < 0.95 * target:
        notes.append(
            f"target lowered from {format_distance(target, units)} to "
            f"{format_distance(planned, units)}: {_why_lowered(sharing, running)} (the rest "
            "is left out, not poured into long easy runs)"
        )
        target = planned
    elif target - planned > SHORT_NOTED * METRES_PER[units]:
        notes.append(
            f"{format_distance(target - planned, units)} of the week's target left out: its "
            "easy runs stay within their limits and near one size (the rest is not poured "
            "into long easy runs)"
        )
    return target


def _why_lowered(sharing: _Sharing, running: int) -> str:
    """Why the week's ``running`` runs hold less than its target, in words: in a B race's
    short days (near_b_race: its mini-taper and the easy days after it) the race's rules keep
    its runs short, however many days the week has (review round 21: a B 10K's week on every
    listed day said "4 runs of a sensible size hold no more" at 37 km of 60), else the runs,
    each of a sensible size, hold no more."""
    runs = f"{running} run{'s' * (running != 1)}"
    held = [
        d
        for d in sharing.drafts
        if d.slot.role in EASY_LIKE and near_b_race(sharing.bp, d.slot.date)
    ]
    if held:
        return (
            f"the B race keeps {len(held)} of its {runs} short, a mini-taper before it and "
            "easy days after it"
        )
    return f"{runs} of a sensible size hold no more"


def _fill_first(draft: Draft) -> bool:
    """Whether a session's easy fill comes before its fast work (a progression run's easy
    start): that fill is its warm-up, never given up to the week's easy runs."""
    first = draft.template.steps[0] if draft.template.steps else None
    return first is not None and (first.target or "").startswith("fill")


TINY_RUN = 0.5  # of the least easy run (the program's `min_easy_run`, or the long run when
# shorter): a run shorter than this is dropped even when the week loses its volume


def run_floors(
    bp: Blueprint,
    paces: Paces,
    drafts: Sequence[Draft],
    long_total: float,
    floor_s: float | None = None,
) -> dict[int, float]:
    """The least each easy, recovery or medium-long run totals (its fixed steps included): its
    fixed steps and the program's `run_floor` (or ``floor_s``: `run_floor_min`) of easy running
    at its own pace (a recovery run at recovery pace), never more than `min_easy_run` nor the
    long run (``long_total``).  A run worth lacing shoes for: "Easy 1.9 km + 6 strides" and
    2.5 km Monday jogs were not (round 16), and a slow runner's 20 minutes are less than
    `min_easy_run`'s distance, so his fourth day is kept where the distance alone dropped it."""
    program = bp.program
    least = min(program.min_easy_run_m, long_total or 1e9)
    seconds = program.rules.run_floor_s if floor_s is None else floor_s
    floors: dict[int, float] = {}
    for i, d in enumerate(drafts):
        if not d.has_fill or d.slot.role not in EASY_LIKE:
            continue
        zone = "recovery" if d.template.category == Category.RECOVERY else "easy"
        easy_m = seconds / paces.zones[zone].mid * 1000
        floors[i] = min(d.fixed_m + easy_m, least)
    return floors


def _both_floors(
    bp: Blueprint, paces: Paces, drafts: Sequence[Draft], long_total: float
) -> tuple[dict[int, float], dict[int, float]]:
    """run_floors at `run_floor` and at `run_floor_min`."""
    least = run_floors(bp, paces, drafts, long_total, bp.program.rules.run_floor_min_s)
    return run_floors(bp, paces, drafts, long_total), least


def held_floors(
    bp: Blueprint,
    paces: Paces,
    drafts: Sequence[Draft],
    long_total: float,
    shares: Mapping[int, float],
    caps: Mapping[int, float],
) -> dict[int, float]:
    """Each run's floor (run_floors, its total) as the week holds it: `run_floor` when its
    share (its fill, ``shares``) reaches it or its cap, else `run_floor_min`: a tiny week
    shortens all its runs a little rather than drop one (review round 18: a beginner ran 2
    days of her 3), and rounding keeps them there."""
    full, least = _both_floors(bp, paces, drafts, long_total)
    return {
        i: m
        if shares.get(i, 0.0) >= min(m - drafts[i].fixed_m, caps.get(i, m)) - 1e-6
        else least[i]
        for i, m in full.items()
    }


def _floored(
    rest: float,
    weights: Mapping[int, float],
    caps: Mapping[int, float],
    wanted: Mapping[int, float],
    floors: Mapping[int, float],
) -> dict[int, float]:
    """_share_out, with every run of ``floors`` (their fill, each within its cap) given at
    least that much when ``rest`` holds them all: a run the shares leave below it is held at
    it, and the others share what is left in proportion.  When ``rest`` does not hold them
    all, the plain shares (a run then goes: _share_easy)."""
    need = {i: min(floors[i], caps[i]) for i in floors if i in weights}
    if sum(need.values()) > rest + 1e-6:
        return _share_out(rest, weights, caps, wanted)
    held: dict[int, float] = {}
    while True:
        others = {i: w for i, w in weights.items() if i not in held}
        shares = _share_out(rest - sum(held.values()), others, caps, wanted)
        shares.update(held)
        low = {i: m for i, m in need.items() if i not in held and shares[i] < m - 1e-6}
        if not low:
            return shares
        held.update(low)


def _before_quality_fill(
    bp: Blueprint,
    paces: Paces,
    drafts: Sequence[Draft],
    floors: Mapping[int, float],
    least: float,
) -> dict[int, float]:
    """The fill each easy or recovery run of ``floors`` holds before a quality session takes
    any: `min_easy_run` (``least``) and `quality_fill_after` of easy running at its own pace
    (a recovery run at recovery pace).  The week's volume goes on its easy days first: an
    8.1 mi R session with a 2.6 mi cool-down beside a 2.7 mi easy run and a 2 mi jog was the
    week upside down (review round 17)."""
    after_s = bp.program.rules.quality_fill_after_s
    wished: dict[int, float] = {}
    for i in floors:
        d = drafts[i]
        zone = "recovery" if d.template.category == Category.RECOVERY else "easy"
        easy_m = max(after_s - d.fixed_s, 0.0) / paces.zones[zone].mid * 1000
        wished[i] = max(least - d.fixed_m, easy_m, floors[i])
    return wished


def _overflow(
    drafts: Sequence[Draft],
    active: Sequence[int],
    weights: Mapping[int, float],
    caps: Mapping[int, float],
    left: float,
) -> dict[int, float]:
    """The fill of the quality sessions left out of ``weights`` (they gave way to the easy
    runs): what the easy runs, all at their caps, leave (``left``), shared among them within
    their caps; none while an easy run can take it."""
    out = [i for i in active if i not in weights]
    if not out or left <= 1e-6:
        return {i: 0.0 for i in out}
    return _share_out(left, {i: FILL_WEIGHTS.get(drafts[i].slot.role, 1.0) for i in out}, caps, {})


def _quality_gives_way(
    drafts: Sequence[Draft],
    weights: Mapping[int, float],
    floors: Mapping[int, float],
    rest: float,
    caps: Mapping[int, float],
    wanted: Mapping[int, float],
) -> bool:
    """Whether the quality sessions give up their easy running (beyond their written warm-up
    and cool-down) for the easy runs: they share in it only once every run's share reaches
    ``floors`` (`min_easy_run`, its fill: a 9.3 km session with a long cool-down beside 3.1 km
    easy runs is the week upside down), as they did before a run was dropped."""
    if not any(drafts[i].slot.role == Role.QUALITY and not _fill_first(drafts[i]) for i in weights):
        return False
    shares = _share_out(rest, weights, caps, wanted)
    return any(shares[i] < min(m, caps[i]) - 1e-6 for i, m in floors.items() if i in weights)


def keeps_few_runs(drafts: Sequence[Draft], active: Sequence[int]) -> bool:
    """Whether a week too small for every run's `run_floor` shortens its runs to
    `run_floor_min` rather than drop one: with at most one hard session among the ``active``
    drafts.  With two, a run dropped leaves few running days and one hard session (sizing),
    where keeping it put two quality sessions beside 2.2 km jogs in a 36 km week."""
    hard = [i for i in active if drafts[i].template.intensity == Intensity.HARD]
    return len(hard) <= 1


def _floors_in_reach(
    bp: Blueprint,
    paces: Paces,
    drafts: Sequence[Draft],
    long_total: float,
    active: Sequence[int],
    caps: Mapping[int, float],
    rest: float,
) -> dict[int, float]:
    """The floors (run_floors, totals) the ``active`` runs are shared out to: `run_floor` when
    ``rest`` gives every one that much (within its cap), else `run_floor_min`: all shortened a
    little rather than one dropped (a run its cap holds below `run_floor` is held at its cap,
    as before).  A week with two hard sessions
    keeps `run_floor` (keeps_few_runs): its dropped run leaves one hard session on few days,
    not two beside 15-minute jogs."""
    if not keeps_few_runs(drafts, active):
        return run_floors(bp, paces, drafts, long_total)
    full, least = _both_floors(bp, paces, drafts, long_total)
    need = sum(min(max(full[i] - drafts[i].fixed_m, 0.0), caps[i]) for i in active if i in full)
    return least if need > rest + 1e-6 else full


def _share_easy(
    bp: Blueprint,
    paces: Paces,
    drafts: Sequence[Draft],
    sharing: Sequence[int],
    caps: Mapping[int, float],
    left: float,
    long_total: float,
    race_week: bool = False,
) -> tuple[dict[int, float], set[int], list[str]]:
    """The other runs' shares of what the long run (``long_total``) and the fixed work leave
    (``left``), none above its cap or below its floor (run_floors) when the week holds them
    all, and the runs dropped: else one below its floor goes.  Quality sessions give up their
    easy running first (a running day of a sensible size is worth more than a cool-down).
    When the others cannot hold its share, only a tiny run goes (under TINY_RUN of the least
    easy run: a week back from a break keeps its 2.3 km run beside a 4 km long run); in
    ``race_week`` a run below its floor goes all the same (a 14-minute 1.6 km run three days
    before a beginner's 5K is a stub, round 17; race week may come out lighter)."""
    wanted = {i: caps[i] for i in sharing if drafts[i].slot.role == Role.MEDIUM_LONG}
    dropped: set[int] = set()
    notes: list[str] = []
    quality_fill = True
    while True:
        active = [i for i in sharing if i not in dropped]
        rest = left + sum(drafts[i].fixed_m for i in dropped)
        totals = _floors_in_reach(bp, paces, drafts, long_total, active, caps, rest)
        weights = {
            i: FILL_WEIGHTS.get(drafts[i].slot.role, 1.0)
            for i in active
            if quality_fill or drafts[i].slot.role != Role.QUALITY or _fill_first(drafts[i])
        }
        floors = {i: max(totals[i] - drafts[i].fixed_m, 0.0) for i in active if i in totals}
        least = min(bp.program.min_easy_run_m, long_total or 1e9)
        wished = _before_quality_fill(bp, paces, drafts, floors, least)
        if quality_fill and _quality_gives_way(drafts, weights, wished, rest, caps, wanted):
            quality_fill = False
            continue
        shares = _floored(rest, weights, caps, wanted, floors)
        shares.update(_overflow(drafts, active, weights, caps, rest - sum(shares.values())))
        short = [
            i
            for i in active
            if i in totals
            and shares[i] + drafts[i].fixed_m < totals[i] - 1.0
            and (
                race_week
                or sum(caps[j] for j in active if j != i) >= rest + 1.0
                or shares[i] + drafts[i].fixed_m < TINY_RUN * least
            )
        ]
        if not short:
            return shares, dropped, notes
        if quality_fill and any(drafts[i].slot.role == Role.QUALITY for i in active):
            quality_fill = False
            continue
        drop = max(short, key=lambda i: (drafts[i].slot.role == Role.RECOVERY, drafts[i].slot.date))
        dropped.add(drop)
        notes.append(
            f"{drafts[drop].slot.date}: easy run dropped, the week's volume is too small "
            "to share out"
        )


def _share_of_peak_run(
    bp: Blueprint, week: ScheduledWeek, share: float, highest: float
) -> tuple[float, float]:
    """A taper or recovery week's volume as ``share`` of ``highest`` (the most run in a
    week), the race included, and the race's distance (0 but in race week)."""
    race = bp.program.distance_m if week.plan.race_week else 0.0
    running = highest * share
    if week.plan.race_week:
        running = race_week_running(highest, share, race, bp.program.rules.race_week_below_peak)
    return running + race, race


def week_rule(bp: Blueprint, week: ScheduledWeek, highest: float) -> str:
    """The rule that set the week's target, in words: periodize's, but for a taper or recovery
    week held to a share of the peak actually run (actual_ceiling), that peak week's volume,
    not the planned peak it was cut from: explain quoted the volume cap (111.7 km) for a peak
    week that held 99.9 km (issue 11)."""
    share = week.plan.share_of_peak
    if share is None:
        return week.plan.rule
    actual, _race = _share_of_peak_run(bp, week, share, highest)
    if actual >= week.plan.target_m:
        return week.plan.rule
    peak = f"of the peak week ({format_distance(highest, bp.athlete.units)})"
    return re.sub(r"of the peak week \([^)]*\)", peak, week.plan.rule, count=1)


def actual_ceiling(
    bp: Blueprint, week: ScheduledWeek, highest: float, recent: float, first: bool = False
) -> tuple[float, tuple[str, ...]]:
    """The week's target, held to the ramp rules applied to what the athlete actually ran:
    a week that could not hold its target (few days, days away) is followed by a week that
    grows from what was run, not from what was planned; the week after the plan's first full
    week (``first``) by the phase's `first_increase`."""
    target = week.plan.target_m
    units = bp.athlete.units
    share = week.plan.share_of_peak
    if share is not None:  # taper and recovery: a share of the peak actually run
        actual, race = _share_of_peak_run(bp, week, share, highest)
        if actual < target:
            return actual, (
                f"target {format_distance(actual, units)}: {share:.0%} of the most run in a "
                f"week ({format_distance(highest, units)})" + (", plus the race" if race else ""),
            )
        return target, ()
    program_phase = next(p for p in bp.program.phases if p.phase == week.plan.phase)
    rule = bp.volume_rule(program_phase)
    if not rule.progression.builds or week.plan.race_week:
        return target, ()
    injury = bp.athlete.injury_prone
    increase = rule.increase(injury, first)
    ceiling = rule.ramped(recent, injury, first)
    why = f"+{increase:.0%} on the most run in a week of the last four"
    if ceiling > recent * (1 + increase) + 1:
        why += f" (+{format_distance(rule.min_increase_m, units)} in a small week)"
    if week.plan.return_share is not None:  # back from a break: a share of what was run
        ceiling = recent * week.plan.return_share
        why = f"{week.plan.return_share:.0%} of the most run in a week before the break"
    elif week.plan.cutback:
        # a cutback week is lighter than what was run, not only than the levels planned: after
        # a trip held the weeks down, a "cutback" above the week before it rests nothing
        depth = cutback_depth(bp, week)
        if recent * (1 - depth) < ceiling:
            ceiling = recent * (1 - depth)
            why = f"a cutback week, {depth:.0%} below the most run in a week of the last four"
    if target <= ceiling:
        return target, ()
    return ceiling, (
        f"target held to {format_distance(ceiling, units)} (from "
        f"{format_distance(target, units)}): {why} ({format_distance(recent, units)})",
    )
