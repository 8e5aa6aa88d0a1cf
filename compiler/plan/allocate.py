"""A week's volume shared out among its sessions (part of stage 7, expand).

The long run takes the focus's share (never less than the week's average run, within its safety
limits), the other runs share what is left with none longer than the long run, and the week is
kept mostly easy: when it is not, or when a session is too big for the week, intensity is taken
out in order of importance (trim, then ease the long run, then replace).  The rules hold for what
the athlete actually runs, not only for the nominal plan.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Container, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace

from ..model import (
    EASY_ZONES,
    Blueprint,
    Paces,
    ScheduledWeek,
    Slot,
    Step,
    StepTemplate,
    Workout,
)
from ..units import (
    METRES_PER,
    Amount,
    UnitError,
    format_distance,
    parse_amount,
)
from ..vocabulary import Category, Intensity, RacePriority, Role, SlotKind
from .long_run import (
    FEW_DAYS,
    cutback_depth,
    floor_unit,
    size_long_run,
)
from .minor_races import B_EASY_SHORT, B_WEEK_DAYS
from .periodize import race_week_running
from .sessions import Draft, build_steps, build_workout, draft, fixed_and_fill

# How big a session's `fill` is next to an easy run's: a recovery run is shorter, and a quality
# session's easy running comes on top of its fixed work.
FILL_WEIGHTS = {Role.EASY: 1.0, Role.RECOVERY: 0.75, Role.QUALITY: 0.5}


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
) -> tuple[float, list[str], dict[int, float]]:
    """The long run (its fill into ``fill``), what held it, and the other sessions' caps."""
    long_total, long_s, notes = 0.0, 0.0, list[str]()
    if long_index is not None:
        long_draft = drafts[long_index]
        long_total, notes = size_long_run(
            bp, paces, week, long_draft, history, target, runs, beyond_goal
        )
        fill[long_index] = max(long_total - long_draft.fixed_m, 0.0) if long_draft.has_fill else 0
        long_total = long_draft.fixed_m + fill[long_index]
        # how long the long run takes, its faster blocks included
        long_s = long_draft.fixed_s + fill[long_index] * paces.zones["easy"].mid / 1000
    # the last long run before this week (a Sunday long run before a Monday jog): its day and
    # how long it took
    last = (history[-1][0], history[-1][1] * paces.zones["easy"].mid / 1000) if history else None
    caps = _caps(bp, paces, drafts, long_total, long_s, week.plan.race_week, last)
    return long_total, notes, caps


BEFORE_QUALITY = 0.75  # of `easy_run_max`: the most an easy run the day before a quality
# session runs (75 min of 100), so the hard day comes on fresh legs, not after a medium-long run
DAY = dt.timedelta(days=1)
NEXT_TO_LONG = 0.5  # of the long run (by time): the most an easy run the day before or after
# it runs, so two days back to back are a long run and a shorter one, not two long runs


def _caps(
    bp: Blueprint,
    paces: Paces,
    drafts: Sequence[Draft],
    long_total: float,
    long_s: float,
    race_week: bool,
    last_long: tuple[dt.date, float] | None = None,
) -> dict[int, float]:
    """The most each session with a fill may total, in metres: an easy run at most
    `easy_run_max` and `easy_run_max_of_long` of the long run (by time; NEXT_TO_LONG the day
    before or after it, and the day after ``last_long``, the last week's long run: its day and
    seconds), a recovery run at most
    `recovery_run_max`, a medium-long run its share of the long run, a quality session at most
    `quality_fill_max` of easy running beyond its written steps, nothing longer than the long
    run."""
    rules = bp.program.rules
    per_km = paces.zones["easy"].mid
    easy_s = rules.easy_run_max_s
    if race_week:  # short runs to arrive fresh
        easy_s = min(easy_s, rules.recovery_run_max_s)
    if long_total:
        easy_s = min(easy_s, rules.easy_run_max_of_long * long_s)
    by_role = {
        Role.EASY: easy_s,
        Role.RECOVERY: min(easy_s, rules.recovery_run_max_s),
        Role.MEDIUM_LONG: min(easy_s, rules.medium_long_share * long_s),
        Role.QUALITY: easy_s,  # a quality day's easy running makes it no bigger than an easy run
    }
    long_days = [d.slot.date for d in drafts if d.slot.role == Role.LONG]
    quality_days = {d.slot.date for d in drafts if d.slot.role == Role.QUALITY}
    caps: dict[int, float] = {}
    for i, d in enumerate(drafts):
        if not d.has_fill or d.slot.role == Role.LONG:
            continue
        role = Role.RECOVERY if d.template.category == Category.RECOVERY else d.slot.role
        seconds = by_role.get(role)
        beside_long = any(abs((d.slot.date - day).days) == 1 for day in long_days)
        if role == Role.QUALITY and seconds is not None:
            seconds = min(seconds, d.fixed_s + rules.quality_fill_max_s)
        if seconds is not None and long_total and beside_long and role != Role.QUALITY:
            seconds = min(seconds, NEXT_TO_LONG * long_s)
        if seconds is not None and last_long and d.slot.date - last_long[0] == DAY:
            seconds = min(seconds, NEXT_TO_LONG * last_long[1])
        if seconds is not None and role != Role.QUALITY and d.slot.date + DAY in quality_days:
            seconds = min(seconds, BEFORE_QUALITY * rules.easy_run_max_s)
        room = (long_total or float("inf")) - d.fixed_m
        if seconds is not None:  # by time: the session's fixed steps (strides, walks) count
            # a recovery jog runs at recovery pace: its minutes hold fewer metres
            pace = paces.zones["recovery"].mid if role == Role.RECOVERY else per_km
            room = min(room, (seconds - d.fixed_s) / pace * 1000)
        caps[i] = max(room, 0.0)
    return caps


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
        )


def allocate(
    bp: Blueprint,
    paces: Paces,
    week: ScheduledWeek,
    drafts: Sequence[Draft],
    history: Sequence[tuple[dt.date, float]],
    target: float,
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
    )
    fill: dict[int, float] = {}
    long_total, long_notes, caps = _long_run_holding_week(sharing, fill)
    (long_total, long_notes, caps), (shares, dropped, drop_notes) = _shared_out(
        sharing, fill, (long_total, long_notes, caps)
    )
    notes = [*drop_notes, *long_notes]
    fixed_others = sharing.fixed_others - sum(drafts[i].fixed_m for i in dropped)
    planned = _rounded(sharing, fill, shares, caps, long_total + fixed_others)
    planned = _long_run_gives_way(sharing, fill, planned, fixed_others, dropped, notes)
    target = _target_as_planned(sharing, planned, len(runs) - len(dropped), notes)
    return _Allocation(fill, frozenset(dropped), target, tuple(notes))


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
    back from a break, where the long run keeps its comeback share."""
    long_total, _, caps = long_run
    shared = _share_easy(
        sharing.bp,
        sharing.drafts,
        sharing.fillable,
        caps,
        sharing.target - long_total - sharing.fixed_others,
        long_total,
    )
    dropped = shared[1]
    if not dropped or sharing.long_index is None or sharing.week.plan.returning:
        return long_run, shared
    fewer = len(sharing.runs) - len(dropped)
    trial = dict(fill)
    retry = sharing.long_and_caps(trial, fewer)
    most = sharing.target - sharing.fixed_others + 1.0  # never past the week
    if not long_total < retry[0] <= most:
        return long_run, shared
    again = _share_easy(
        sharing.bp,
        sharing.drafts,
        sharing.fillable,
        retry[2],
        sharing.target - retry[0] - sharing.fixed_others,
        retry[0],
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
) -> float:
    """The shares into ``fill``, rounded to half units within their caps; the small error the
    rounding leaves goes to the easy run with the most room.  What the week then plans, with
    the long run and the fixed work (``fixed``)."""
    unit_m = sharing.unit_m
    for i, share in shares.items():
        fill[i] = max(_round_within(min(share, caps[i]), caps[i], unit_m), 0.0)
    planned = fixed + sum(fill[i] for i in shares)
    if shares:
        limit = 0.5 * unit_m * len(shares)
        error_m = max(-limit, min(limit, sharing.target - planned))
        easy = [i for i in shares if sharing.drafts[i].slot.role == Role.EASY] or list(shares)
        roomiest = max(easy, key=lambda i: (caps[i] - fill[i], -i))
        fill[roomiest] = max(
            0.0, min(caps[roomiest], fill[roomiest] + _round_unit(error_m, unit_m, 0.1))
        )
        planned = fixed + sum(fill[i] for i in shares)
    return planned


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
    taper (sharpness before endurance) half of it; a note says so."""
    unit_m, drafts, long_index = sharing.unit_m, sharing.drafts, sharing.long_index
    if not (
        planned > sharing.target + 0.1 * unit_m
        and fixed_others > 0
        and long_index is not None
        and fill.get(long_index)
    ):
        return planned
    least = sharing.bp.program.min_easy_run_m * (0.5 if sharing.week.plan.tapering else 1.0)
    floor = max(least - drafts[long_index].fixed_m, 0.0)
    cut = min(planned - sharing.target, fill[long_index] - floor)
    if cut <= 0:
        return planned
    fill[long_index] = math.floor((fill[long_index] - cut) / (unit_m * 0.1)) * unit_m * 0.1
    planned = sum(drafts[i].fixed_m + fill.get(i, 0.0) for i in sharing.runs if i not in dropped)
    planned += sum(d.fixed_m for d in drafts if d.slot.slot == SlotKind.RACE)
    notes.append("long run shortened: the week's fixed sessions already fill it")
    return planned


def _target_as_planned(sharing: _Sharing, planned: float, running: int, notes: list[str]) -> float:
    """The week's target as its ``running`` runs hold it: raised in a taper that keeps its
    quality session when the session's fixed work passes it (never past the peak the target is
    a share of: then the session is made smaller instead), lowered to what runs of a sensible
    size hold (the rest is left out, not poured into long easy runs); a note says so."""
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
            f"{format_distance(planned, units)}: {running} run{'s' * (running != 1)} of a "
            "sensible size hold no more (the rest is left out, not poured into long easy runs)"
        )
        target = planned
    return target


def _fill_first(draft: Draft) -> bool:
    """Whether a session's easy fill comes before its fast work (a progression run's easy
    start): that fill is its warm-up, never given up to the week's easy runs."""
    first = draft.template.steps[0] if draft.template.steps else None
    return first is not None and (first.target or "").startswith("fill")


TINY_RUN = 0.5  # of the least easy run (the program's `min_easy_run`, or the long run when
# shorter): a run shorter than this is dropped even when the week loses its volume


def _share_easy(
    bp: Blueprint,
    drafts: Sequence[Draft],
    sharing: Sequence[int],
    caps: Mapping[int, float],
    left: float,
    long_total: float,
) -> tuple[dict[int, float], set[int], list[str]]:
    """The other runs' shares of what the long run (``long_total``) and the fixed work leave
    (``left``), none
    above its cap, and the easy runs dropped: one too short to matter goes, but only once the
    quality sessions gave up their easy running (a running day is worth more than a longer
    cool-down).  When the others cannot hold its share, only a tiny run goes (under TINY_RUN
    of the least easy run): a 0.5 km jog is no session, but a week back from a break keeps its
    2.3 km run beside a 4 km long run rather than coming out 37% lighter."""
    wanted = {i: caps[i] for i in sharing if drafts[i].slot.role == Role.MEDIUM_LONG}
    dropped: set[int] = set()
    notes: list[str] = []
    quality_fill = True
    while True:
        active = [i for i in sharing if i not in dropped]
        rest = left + sum(drafts[i].fixed_m for i in dropped)
        weights = {
            i: FILL_WEIGHTS.get(drafts[i].slot.role, 1.0)
            for i in active
            if quality_fill or drafts[i].slot.role != Role.QUALITY or _fill_first(drafts[i])
        }
        shares = _share_out(rest, weights, caps, wanted)
        shares.update({i: 0.0 for i in active if i not in weights})
        least = min(bp.program.min_easy_run_m, long_total or 1e9)
        short = [
            i
            for i in active
            if drafts[i].slot.role in (Role.EASY, Role.RECOVERY, Role.MEDIUM_LONG)
            and shares[i] + drafts[i].fixed_m < least
            and (
                sum(caps[j] for j in active if j != i) >= rest + 1.0
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


def easy_share(workouts: Sequence[Workout], raced: Container[dt.date] = ()) -> float:
    """The share of running time at easy effort (warm-ups, easy running, recovery jogs).  The
    A race's effort is not training and is left out; a B or C race on one of the ``raced``
    days is hard running in a training week, as a session is (a B 10K beside a VO2max
    sharpener left a build week at 79% easy)."""
    total = hard = 0.0
    for workout in workouts:
        for step in _running_steps(workout.steps):
            counted = workout.date in raced
            if workout.category == Category.RACE and step.zone not in EASY_ZONES and not counted:
                continue  # the race effort is not training; its warm-up is easy running
            total += step.duration_s
            if step.kind not in ("recover", "jog") and step.zone not in EASY_ZONES:
                hard += step.duration_s
    return 1.0 if total == 0 else 1 - hard / total


def fast_seconds(workout: Workout) -> float:
    """The running time of ``workout`` faster than easy (its reps, blocks and strides; not the
    jogs and recoveries between them)."""
    return fast_seconds_and_metres(workout.steps)[0]


def fast_seconds_and_metres(steps: Iterable[Step]) -> tuple[float, float]:
    """The running time and distance faster than easy over ``steps`` (as :func:`fast_seconds`)."""
    fast = [
        s
        for s in _running_steps(steps)
        if s.kind not in ("recover", "jog") and s.zone not in EASY_ZONES
    ]
    return sum(s.duration_s for s in fast), sum(s.distance_m for s in fast)


def _running_steps(steps: Iterable[Step]) -> Iterator[Step]:
    for step in steps:
        if step.kind == "repeat":
            for _ in range(step.repeat):
                yield from _running_steps(step.steps)
        elif step.kind not in ("walk", "exercise"):
            yield step


_PARAM_ONLY = re.compile(r"^\s*\{\{\s*([a-z_][a-z0-9_]*)\s*\}\}\s*$")


MIN_REPS = 2


def _repeat_params(steps: Sequence[StepTemplate]) -> Iterator[str]:
    for step in steps:
        if step.kind == "repeat":
            match = _PARAM_ONLY.match(step.repeat or "")
            if match:
                yield match.group(1)
            yield from _repeat_params(step.steps)


_FAST_PARAM = re.compile(r"^\s*\{\{\s*([a-z_][a-z0-9_]*)\s*\}\}\s*@\s*([a-z0-9]+)\s*$")


# the shortest a rep or fast block is trimmed to; the session as a whole keeps its least work
MIN_FAST = {"duration": 120.0, "distance": 200.0}


def _fast_amount_params(steps: Sequence[StepTemplate]) -> Iterator[str]:
    """Parameters that set the size of a step run faster than easy ("{{ tempo }} @ threshold")."""
    for step in steps:
        if step.kind == "repeat":
            yield from _fast_amount_params(step.steps)
            continue
        match = _FAST_PARAM.match(step.target or "")
        if match and match.group(2) != "easy":
            yield match.group(1)


def _trim(paces: Paces, draft: Draft, why: str) -> tuple[Draft, str] | None:
    """The session made smaller, or None when it is down to its minimum: one rep fewer when a
    parameter counts the reps, else a quarter off the longest fast block a parameter sizes
    (a progression run's steady part and its threshold finish shrink in turn, so it stays a
    progression, never 2 min steady before 5 min at threshold)."""
    changed: tuple[str, object, object] | None = None
    for name in _repeat_params(draft.template.steps):
        reps = draft.context.get(name)
        if isinstance(reps, int) and reps > MIN_REPS:
            changed = (name, reps, reps - 1)
            break
    else:
        blocks: list[tuple[str, Amount]] = []
        for name in _fast_amount_params(draft.template.steps):
            try:
                blocks.append((name, parse_amount(str(draft.context.get(name)))))
            except UnitError:
                continue
        if len({amount.dimension for _, amount in blocks}) == 1:
            blocks.sort(key=lambda block: -block[1].value)  # stable: the template's order
        for name, amount in blocks:
            smaller = max(amount.value * 0.75, MIN_FAST[amount.dimension])
            step = 60.0 if amount.dimension == "duration" else 100.0
            smaller = math.ceil(smaller / step) * step
            if smaller < amount.value:
                changed = (name, str(amount), str(Amount(amount.dimension, smaller)))
                break
    if changed is None:
        return None
    name, before, after = changed
    context = {**draft.context, name: after}
    fixed, has_fill, fixed_s = fixed_and_fill(draft.template, context, paces)
    note = (
        f"{draft.slot.date}: {draft.template.name} with {name} {after} instead of {before}: {why}"
    )
    return Draft(draft.slot, draft.template, context, fixed, has_fill, fixed_s), note


T_ZONES = frozenset({"threshold", "10k"})
I_ZONES = frozenset({"interval", "5k"})
R_ZONES = frozenset({"repetition"})


def _work(
    steps: Iterable[Step], race_as: str | None = None
) -> tuple[float, float, float, float, float]:
    """Metres at threshold, interval and repetition pace, seconds of running faster than
    easy, and metres faster than easy, over a session's steps.  ``race_as`` ("threshold" or
    "interval") counts the race zone with those paces (see :func:`_race_zone_as`)."""
    t = i = r = seconds = metres = 0.0
    for step in _running_steps(steps):
        if step.kind in ("recover", "jog") or step.zone in EASY_ZONES:
            continue
        seconds += step.duration_s
        metres += step.distance_m
        race = step.zone == "race"
        t += step.distance_m if step.zone in T_ZONES or (race and race_as == "threshold") else 0
        i += step.distance_m if step.zone in I_ZONES or (race and race_as == "interval") else 0
        r += step.distance_m if step.zone in R_ZONES else 0.0
    return t, i, r, seconds, metres


def _race_zone_as(bp: Blueprint) -> str | None:
    """What race pace is for the limits: 5K pace is interval pace, 10K pace about threshold
    pace; a half's or a marathon's race pace is slower than both, and counts as neither."""
    distance = bp.program.distance_m
    if distance <= RACE_AS_INTERVAL_M:
        return "interval"
    return "threshold" if distance <= RACE_AS_THRESHOLD_M else None


RACE_AS_INTERVAL_M = 6_000.0  # races up to this long are run at about interval (5K) pace
RACE_AS_THRESHOLD_M = 12_000.0  # and up to this long at about threshold (10K) pace


def oversized(bp: Blueprint, week_m: float, workout: Workout) -> str | None:
    """Why a hard session (or a long run's fast block) is too big for a week of ``week_m``,
    or too small to be a session; None when it fits (Daniels' limits, in the program)."""
    limits = bp.program.rules.quality
    race_as = _race_zone_as(bp)
    t, i, r, seconds, metres = _work(workout.steps, race_as)
    if workout.role == Role.LONG and metres > 0.5 * workout.distance_m + 1:
        return "a long run's fast block is at most half of it"
    if workout.category == Category.RACE:
        return None
    if workout.intensity != Intensity.HARD:
        # a moderate session (a race-pace tune-up) is sized like the pace it is run at: at
        # 5K pace, four days before a 5K, 4 x 4 min is a full VO2max session; but one of no
        # more than `min_work` (2 x 4 min) always fits: a small race week keeps its sharpener
        if race_as is None or workout.role != Role.QUALITY or seconds <= limits.min_work_s + 1e-6:
            return None
    elif seconds < limits.min_work_s - 1e-6:
        return f"less than {limits.min_work_s / 60:.0f} min of work is no quality session"
    elif (
        workout.role == Role.QUALITY  # a long run's tempo block is no session: the long run is
        and t > i + r
        and seconds < limits.min_threshold_work_s - 1e-6
        # only where the week's threshold share holds that much: a 13 km week's 8 min at
        # threshold is a session for its runner, not a token
        and limits.threshold * week_m >= t / seconds * limits.min_threshold_work_s
    ):
        least = limits.min_threshold_work_s / 60
        return f"less than {least:.0f} min at threshold is no threshold session"
    checks = (
        (t, limits.threshold * week_m, None, "threshold"),
        (i, limits.interval * week_m, limits.interval_max_m, "interval"),
        (r, limits.repetition * week_m, limits.repetition_max_m, "repetition"),
    )
    # in a small week the share is less than a session's least work: a short session (up to
    # SMALL_SESSION of min_work) may pass it by SMALL_WEEK_SLACK_M, or a beginner's week would
    # have no session at its pace at all (4 x 400 m in a week of 15 km)
    small = seconds <= SMALL_SESSION * limits.min_work_s
    for metres_at, share, ceiling, name in checks:
        most = min(share, ceiling) if ceiling is not None else share
        if small and most == share:  # the week's share binds, not an absolute ceiling
            most = share + SMALL_WEEK_SLACK_M
        # with a few metres to spare: the outputs round every rep to the metre, and eight
        # reps of 251.6 m read back as 2016 m
        if metres_at > most - ROUNDING_SPARE_M:
            return (
                f"running at {name} pace in one session is at most {most / 1000:.1f} km this week"
            )
    return None


ROUNDING_SPARE_M = 10.0  # metres a session keeps below its limit
SMALL_SESSION = 1.5  # of `min_work`: a session this short may pass a small week's share...
SMALL_WEEK_SLACK_M = 400.0  # ...by this much


SIZED_TO_FIT = "sized to fit the week"


def resize(
    bp: Blueprint,
    paces: Paces,
    week: ScheduledWeek,
    drafts: list[Draft],
    index: int,
    why: str,
    week_m: float,
) -> str | None:
    """Make a session that :func:`oversized` refused fit a week of ``week_m``: a rep fewer or a
    shorter block while the session keeps its least work; else another of the phase's quality
    sessions sized to fit (threshold work fits small weeks that intervals do not); else an easy
    run (a plain long run for a long run)."""
    limits = bp.program.rules.quality
    old = drafts[index]
    trimmed = _trim(paces, old, why)
    if trimmed is not None:
        candidate, note = trimmed
        steps = build_steps(bp, paces, candidate)
        if old.slot.role == Role.LONG or _work(steps)[3] >= limits.min_work_s - 1e-6:
            drafts[index] = candidate
            return note
    if old.slot.role == Role.LONG:
        plain = bp.focus.defaults.long
        return (
            _replace(bp, paces, week, drafts, index, str(plain), Role.LONG, why) if plain else None
        )
    choice = bp.focus.for_phase(week.plan.phase)
    substituted = bp.program.rules.substituted  # the program's own sessions, as scheduled
    others = dict.fromkeys(substituted(name) for sequence in choice.quality for name in sequence)
    if SIZED_TO_FIT in old.slot.reason:
        others = {}  # one swap per session: a second refusal makes it easy
    held = {d.template.name for d in drafts}  # never the same session twice in a week
    for name in others:
        if name in held or bp.workouts[name].intensity != Intensity.HARD:
            continue
        fitted = _fitted(bp, paces, week, old.slot, name, week_m)
        if fitted is not None:
            drafts[index] = fitted
            return f"{old.slot.date}: {old.template.name} replaced by {name}, sized to fit: {why}"
    easy = _easy_workout(bp, week, last=True)
    return _replace(bp, paces, week, drafts, index, easy, Role.EASY, why)


def _fitted(
    bp: Blueprint, paces: Paces, week: ScheduledWeek, slot: Slot, name: str, week_m: float
) -> Draft | None:
    """Workout ``name`` in ``slot``, trimmed until it fits a week of ``week_m``; None when it
    cannot keep its least work."""
    candidate: Draft | None = draft(bp, paces, week, replace(slot, workout=name))
    while candidate is not None:
        workout = build_workout(bp, paces, candidate, 0.0)
        why = oversized(bp, week_m, workout)
        if why is None:
            return replace(
                candidate,
                slot=replace(slot, workout=name, reason=f"{slot.reason}; {name}, {SIZED_TO_FIT}"),
            )
        if _work(workout.steps)[3] < bp.program.rules.quality.min_work_s - 1e-6:
            return None
        trimmed = _trim(paces, candidate, why)
        candidate = trimmed[0] if trimmed else None
    return None


def promote_recovery(
    bp: Blueprint,
    paces: Paces,
    week: ScheduledWeek,
    drafts: list[Draft],
    earlier_long_days: Iterable[dt.date] = (),
) -> str | None:
    """When the week's runs cannot hold its volume, a recovery run after a quality session
    (not after the long run or a race, this week's or, on its first day, last week's:
    ``earlier_long_days``) becomes an easy run, which may be longer; never one in a B race's
    mini-taper or just after it, nor the day before a C race.  Says what it did, or None when
    there is none."""
    long_days = {d.slot.date for d in drafts if d.slot.role == Role.LONG}
    long_days.update(earlier_long_days)
    for i, d in enumerate(drafts):
        if d.slot.role != Role.RECOVERY or _near_a_minor_race(bp, d.slot.date):
            continue
        if d.slot.date - dt.timedelta(days=1) not in long_days:
            easy = _easy_workout(bp, week, last=False)
            why = "the week's volume needs a full easy run"
            return _replace(bp, paces, week, drafts, i, easy, Role.EASY, why)
    return None


def _near_a_minor_race(bp: Blueprint, day: dt.date) -> bool:
    """Whether ``day`` is in a B race's last B_WEEK_DAYS (its mini-taper and the sessions
    given way before it) or its B_EASY_SHORT days after it, or the day before a C race: its
    recovery runs stay short, and the volume they cannot hold is dropped, not poured into
    one of them (21.5 km five days before a B half, round 13)."""
    before = {RacePriority.B: B_WEEK_DAYS, RacePriority.C: 1}
    after = {RacePriority.B: B_EASY_SHORT}
    return any(
        -after.get(race.priority, 0) <= (race.date - day).days <= before.get(race.priority, 0)
        and race.date != day
        for race in bp.athlete.other_races
    )


# The running faster than easy that makes a long run a hard day of its own (50 min at marathon
# pace): on one running day more than FEW_DAYS, such a week holds one other hard session.
HARD_LONG_S = 30 * 60


def too_many_hard(
    bp: Blueprint,
    paces: Paces,
    week: ScheduledWeek,
    drafts: list[Draft],
    built: Sequence[tuple[int, Workout]],
) -> str | None:
    """With few running days left (after short runs were dropped), one hard session a week:
    the lowest-priority quality session becomes an easy run (a B or C race counts as a hard
    session).  Five running days count as few
    when the long run holds a long race-pace or steady block (HARD_LONG_S): two quality
    sessions and that long run would leave two easy days.  Says what it did, or None."""
    runs = [(i, w) for i, w in built if w.slot == SlotKind.RUN]
    # a B or C race is the week's hard session as much as a quality session is (a C race week
    # whose small runs were dropped kept race-pace repeats beside the race on three days)
    races = [
        (i, w)
        for i, w in built
        if w.slot == SlotKind.RACE and bp.athlete.minor_race_on(w.date) is not None
    ]
    hard = [(i, w) for i, w in (*runs, *races) if w.intensity == Intensity.HARD]
    days = len({w.date for _, w in (*runs, *races)})
    hard_long = any(w.role == Role.LONG and fast_seconds(w) >= HARD_LONG_S for _, w in runs)
    few = FEW_DAYS + 1 if hard_long else FEW_DAYS
    if days > few or len(hard) <= 1:
        return None
    quality = [i for i, _ in hard if drafts[i].slot.role == Role.QUALITY]
    if not quality:
        return None
    # the sessions take turns, week by week, as the slots of a week with one session do
    # (quality_choice.slot_sequences): the one whose turn it is stays, so the focus's second
    # slot (its threshold work, or the race-specific session) survives every other week
    ranks = sorted({drafts[i].slot.rank for i in quality})
    turn = ranks[(week.plan.phase_week - 1) % len(ranks)]

    def dropped_first(i: int) -> tuple[bool, int]:
        return drafts[i].slot.rank != turn, drafts[i].slot.rank

    victim = max(quality, key=dropped_first)
    easy = _easy_workout(bp, week, last=True)
    why = (
        f"one hard session besides a long run with a long faster block on {few} running days"
        if few > FEW_DAYS
        else f"one hard session a week on {FEW_DAYS} running days or fewer"
    )
    return _replace(bp, paces, week, drafts, victim, easy, Role.EASY, why)


def soften(
    bp: Blueprint,
    paces: Paces,
    week: ScheduledWeek,
    drafts: list[Draft],
    *,
    quality_only: bool = False,
    why: str = "",
) -> str | None:
    """Take some intensity out of the week, the least important first: the plain long run
    instead of one with a faster finish, then a rep fewer (or a shorter block) in the
    lowest-priority quality session while it keeps its least work, then an easy run instead
    of it.  A race-specific long run (the marathon's race-pace block) outranks a quality
    session and gives way last.  Says what it did, or None when nothing is left to soften."""
    why = why or f"at least {bp.focus.min_easy_share:.0%} of the week's running is easy"
    quality = [i for i, d in enumerate(drafts) if d.slot.role == Role.QUALITY]
    victim = max(quality, key=lambda i: drafts[i].slot.rank) if quality else None
    plain_long = bp.focus.defaults.long
    fast_long = next(
        (
            i
            for i, d in enumerate(drafts)
            if d.slot.role == Role.LONG and plain_long and d.template.name != plain_long
        ),
        None,
    )
    specific = bp.program.rules.race_specific_long
    if fast_long is not None and quality_only:
        fast_long = None
    if fast_long is not None and drafts[fast_long].template.name != specific:
        return _replace(bp, paces, week, drafts, fast_long, str(plain_long), Role.LONG, why)
    if victim is not None:
        trimmed = _trim(paces, drafts[victim], why)
        if trimmed is not None:
            steps = build_steps(bp, paces, trimmed[0])
            if _work(steps)[3] >= bp.program.rules.quality.min_work_s - 1e-6:
                drafts[victim], note = trimmed
                return note
        easy = _easy_workout(bp, week, last=False)
        return _replace(bp, paces, week, drafts, victim, easy, Role.EASY, why)
    if fast_long is not None:
        return _replace(bp, paces, week, drafts, fast_long, str(plain_long), Role.LONG, why)
    return None


def _easy_workout(bp: Blueprint, week: ScheduledWeek, *, last: bool) -> str:
    """The phase's easy workout that stands in for a session made easy: its plain easy run,
    or with ``last`` its strides run (Blueprint.easy_workout)."""
    return bp.easy_workout(week.plan.phase, strides=last)


def _replace(
    bp: Blueprint,
    paces: Paces,
    week: ScheduledWeek,
    drafts: list[Draft],
    index: int,
    name: str,
    role: Role,
    why: str,
) -> str | None:
    old = drafts[index]
    if old.template.name == name:
        return None
    slot = Slot(
        old.slot.date,
        old.slot.slot,
        role,
        name,
        bp.workouts[name].intensity,
        f"{old.slot.reason}; made easy ({name} instead of {old.template.name}): {why}",
    )
    drafts[index] = draft(bp, paces, week, slot)
    return f"{old.slot.date}: {old.template.name} replaced by {name}: {why}"


def actual_ceiling(
    bp: Blueprint, week: ScheduledWeek, highest: float, recent: float
) -> tuple[float, tuple[str, ...]]:
    """The week's target, held to the ramp rules applied to what the athlete actually ran:
    a week that could not hold its target (few days, days away) is followed by a week that
    grows from what was run, not from what was planned."""
    target = week.plan.target_m
    units = bp.athlete.units
    share = week.plan.share_of_peak
    if share is not None:  # taper and recovery: a share of the peak actually run
        race = bp.program.distance_m if week.plan.race_week else 0.0
        running = highest * share
        if week.plan.race_week:
            running = race_week_running(highest, share, race, bp.program.rules.race_week_below_peak)
        actual = running + race
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
    increase = rule.max_increase_injury_prone if injury else rule.max_increase
    ceiling = rule.ramped(recent, injury)
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
