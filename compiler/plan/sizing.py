"""A week's sessions sized to its rules (part of stage 7, expand).

How hard a week is (its easy share, its running faster than easy) and what gives way when it is
too hard or a session is too big for it: a quality session is trimmed (a rep fewer, a shorter
block), swapped for another sized to fit, or made an easy run; a long run with a faster block
becomes the plain long run; with few running days one hard session is kept.  allocate.py shares
the volume out; this module sizes and eases the sessions it is shared among.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Container, Iterable, Iterator, Sequence
from dataclasses import replace

from ..model import (
    EASY_ZONES,
    Blueprint,
    Paces,
    QualityLimits,
    ScheduledWeek,
    Slot,
    Step,
    StepTemplate,
    Workout,
)
from ..units import Amount, UnitError, parse_amount
from ..vocabulary import Category, Intensity, Role, SlotKind
from .long_run import FEW_DAYS
from .minor_races import keeps_short
from .periodize import is_careful
from .quality_choice import FAST_FAMILY
from .sessions import Draft, build_steps, build_workout, draft, fixed_and_fill


def easy_share(
    workouts: Sequence[Workout],
    raced: Container[dt.date] = (),
    as_easy: Container[str] = (),
    by_distance: bool = False,
) -> float:
    """The share of running time (``by_distance``: of running distance) at easy effort
    (warm-ups, easy running, recovery jogs).  A race's effort is not training and is left
    out; a B or C race on one of the ``raced`` days is hard running in a training week, as a
    session is (a B 10K beside a VO2max sharpener left a build week at 79% easy).  The
    workouts whose uid is in ``as_easy`` count as all easy: the share the week would have with
    them made easy runs of the same time."""
    total = hard = 0.0
    for workout in workouts:
        if workout.uid in as_easy:
            total += sum(_amount(step, by_distance) for step in _running_steps(workout.steps))
            continue
        for step in _running_steps(workout.steps):
            counted = workout.date in raced
            if workout.category == Category.RACE and step.zone not in EASY_ZONES and not counted:
                continue  # the race effort is not training; its warm-up is easy running
            total += _amount(step, by_distance)
            if step.kind not in ("recover", "jog") and step.zone not in EASY_ZONES:
                hard += _amount(step, by_distance)
    return 1.0 if total == 0 else 1 - hard / total


def _amount(step: Step, by_distance: bool) -> float:
    return step.distance_m if by_distance else step.duration_s


def short_of_easy(
    bp: Blueprint,
    workouts: Sequence[Workout],
    raced: Container[dt.date] = (),
    as_easy: Container[str] = (),
) -> bool:
    """Whether the week's running is short of easy: less than the focus's `min_easy_share` of
    its time, or `min_easy_share_distance` of its distance (a marathon-pace long run and a
    tempo held 81% of a week's time easy and 78% of its distance, round 21)."""
    focus = bp.focus
    by_time = easy_share(workouts, raced, as_easy)
    by_distance = easy_share(workouts, raced, as_easy, by_distance=True)
    return (
        by_time < focus.min_easy_share - 1e-9 or by_distance < focus.min_easy_share_distance - 1e-9
    )


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


LONG_BLOCK_TRIM = 0.9  # of a long run's fast block: what is left of it each time it is trimmed
SESSION_TRIM = 0.75  # of a quality session's fast block


def _trim(
    paces: Paces, draft: Draft, why: str, keep_reps: int = MIN_REPS
) -> tuple[Draft, str] | None:
    """The session made smaller, or None when it is down to its minimum: one rep fewer when a
    parameter counts more than ``keep_reps`` (the program's `quality_limits.keep_reps`: 3 x 5
    min at race pace, not 2 x 6 min, round 18), else a quarter off the longest fast block a
    parameter sizes (_shorter_block: a progression run's steady part and its threshold finish
    shrink in turn, so it stays a progression; a long run's block a tenth, LONG_BLOCK_TRIM, so
    it keeps what fits its half, round 16), else one rep fewer down to MIN_REPS."""
    changed = _fewer_reps(draft, max(keep_reps, MIN_REPS)) or _shorter_block(draft)
    changed = changed or _fewer_reps(draft, MIN_REPS)
    if changed is None:
        return None
    name, before, after = changed
    context = {**draft.context, name: after}
    fixed, has_fill, fixed_s = fixed_and_fill(draft.template, context, paces)
    note = (
        f"{draft.slot.date}: {draft.template.name} with {name} {after} instead of {before}: {why}"
    )
    return Draft(draft.slot, draft.template, context, fixed, has_fill, fixed_s), note


TRIM_NOTE = re.compile(r"(?P<what>\S+: \S+ with \S+) (?P<after>\S+) instead of (?P<before>\S+): ")


def merged_trims(notes: Iterable[str]) -> tuple[str, ...]:
    """``notes`` with the steps of one session's trim (_trim's notes, one a rep: "reps 9
    instead of 10", "reps 8 instead of 9", ...) as one note, where the first stood: from the
    first size to the last, for the last reason (seven lines of single reps in a week's notes,
    review round 21)."""
    merged: list[str] = []
    first: dict[str, tuple[int, str]] = {}  # session and parameter: its note's place, before
    for note in notes:
        trim = TRIM_NOTE.match(note)
        if trim is None:
            merged.append(note)
            continue
        what = trim["what"]
        if what not in first:
            first[what] = (len(merged), trim["before"])
            merged.append(note)
            continue
        place, before = first[what]
        rest = note[trim.end() :]
        merged[place] = f"{what} {trim['after']} instead of {before}: {rest}"
    return tuple(merged)


def _fewer_reps(draft: Draft, least: int) -> tuple[str, object, object] | None:
    """The first reps parameter above ``least``, one rep fewer (None: none)."""
    for name in _repeat_params(draft.template.steps):
        reps = draft.context.get(name)
        if isinstance(reps, int) and reps > least:
            return (name, reps, reps - 1)
    return None


def _shorter_block(draft: Draft) -> tuple[str, object, object] | None:
    """The longest fast block a parameter sizes, a quarter shorter (a long run's a tenth: it
    keeps what fits its half; a progression run's parts shrink in turn); None when each is
    down to MIN_FAST."""
    blocks: list[tuple[str, Amount]] = []
    for name in _fast_amount_params(draft.template.steps):
        try:
            blocks.append((name, parse_amount(str(draft.context.get(name)))))
        except UnitError:
            continue
    if len({amount.dimension for _, amount in blocks}) == 1:
        blocks.sort(key=lambda block: -block[1].value)  # stable: the template's order
    for name, amount in blocks:
        left = LONG_BLOCK_TRIM if draft.slot.role == Role.LONG else SESSION_TRIM
        smaller = max(amount.value * left, MIN_FAST[amount.dimension])
        step = 60.0 if amount.dimension == "duration" else 100.0
        smaller = math.ceil(smaller / step) * step
        if smaller < amount.value:
            return (name, str(amount), str(Amount(amount.dimension, smaller)))
    return None


T_ZONES = frozenset({"threshold", "10k"})
I_ZONES = frozenset({"interval", "5k"})
R_ZONES = frozenset({"repetition"})


def _work(
    steps: Iterable[Step], race_as: str | None = None, *, by_effort: bool = True
) -> tuple[float, float, float, float, float]:
    """Metres at threshold, interval and repetition pace, seconds of running faster than
    easy, and metres faster than easy, over a session's steps.  ``race_as`` ("threshold" or
    "interval") counts the race zone with those paces (see :func:`_race_zone_as`);
    ``by_effort`` False leaves out the steps run by effort (`by: effort`, hill repeats)."""
    t = i = r = seconds = metres = 0.0
    for step in _running_steps(steps):
        if step.kind in ("recover", "jog") or step.zone in EASY_ZONES:
            continue
        if step.effort and not by_effort:
            continue
        seconds += step.duration_s
        metres += step.distance_m
        race = step.zone == "race"
        t += step.distance_m if step.zone in T_ZONES or (race and race_as == "threshold") else 0
        i += step.distance_m if step.zone in I_ZONES or (race and race_as == "interval") else 0
        r += step.distance_m if step.zone in R_ZONES else 0.0
    return t, i, r, seconds, metres


def _race_zone_as(bp: Blueprint) -> str | None:
    """What race pace is for the limits: the program's `quality_limits.race_pace`, else by the
    race's distance: 5K pace is interval pace; 10K and half-marathon pace are near threshold
    (a half's 35 min race-pace tempo went past the threshold cap uncounted, issue 11); a
    marathon's pace counts as neither (its long-run blocks keep their own rule)."""
    named = bp.program.rules.quality.race_pace
    if named is not None:
        return None if named == "none" else named
    distance = bp.program.distance_m
    if distance <= RACE_AS_INTERVAL_M:
        return "interval"
    return "threshold" if distance <= RACE_AS_THRESHOLD_M else None


def _long_run_fast_max(bp: Blueprint) -> float | None:
    """The most a long run's faster running may take: the program's `long_run_fast_max`, for
    an injury-prone or masters athlete its `long_run_fast_max_careful` when it is less (16 km
    at goal pace in an injury-prone marathoner's 30 km long run, review round 21)."""
    rules = bp.program.rules
    most, careful = rules.long_run_fast_max_s, rules.long_run_fast_max_careful_s
    if careful is None or not is_careful(bp):
        return most
    return careful if most is None else min(most, careful)


RACE_AS_INTERVAL_M = 6_000.0  # races up to this long are run at about interval (5K) pace
RACE_AS_THRESHOLD_M = 25_000.0  # and up to this long (a half) at about threshold pace


def oversized(bp: Blueprint, week_m: float, workout: Workout, *, least: bool = True) -> str | None:
    """Why a hard session (or a long run's fast block) is too big for a week of ``week_m``,
    or (with ``least``) too small to be a session; None when it fits (Daniels' limits, in the
    program).  ``least`` False asks only whether it is too big: a session still growing to
    its least work (grow.grow_to_least) may pass through sizes below it."""
    limits = bp.program.rules.quality
    race_as = _race_zone_as(bp)
    t, i, r, seconds, metres = _work(workout.steps, race_as)
    if workout.role == Role.LONG and metres > 0.5 * workout.distance_m + 1:
        return "a long run's fast block is at most half of it"
    most_fast = _long_run_fast_max(bp)
    if workout.role == Role.LONG and most_fast is not None and seconds > most_fast + 1:
        return f"a long run's faster running is at most {most_fast / 60:.0f} min for this race"
    if workout.category == Category.RACE:
        return None
    if workout.intensity != Intensity.HARD:
        # a moderate session (a race-pace tune-up) is sized like the pace it is run at: at
        # 5K pace, four days before a 5K, 4 x 4 min is a full VO2max session; but one of no
        # more than `min_work` (2 x 4 min) always fits: a small race week keeps its sharpener
        if race_as is None or workout.role != Role.QUALITY or seconds <= limits.min_work_s + 1e-6:
            return None
    elif least and seconds < limits.min_work_s - 1e-6:
        return f"less than {limits.min_work_s / 60:.0f} min of work is no quality session"
    elif (
        workout.role == Role.QUALITY  # a long run's tempo block is no session: the long run is
        and least
        and t > i + r
        and seconds < limits.min_threshold_work_s - 1e-6
        # only where the week's threshold share holds that much: a 13 km week's 8 min at
        # threshold is a session for its runner, not a token
        and limits.threshold * week_m >= t / seconds * limits.min_threshold_work_s
    ):
        minutes = limits.min_threshold_work_s / 60
        return f"less than {minutes:.0f} min at threshold is no threshold session"
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
            most = share + _slack(limits, name, workout.role)
        # with a few metres to spare: the outputs round every rep to the metre, and eight
        # reps of 251.6 m read back as 2016 m
        if metres_at > most - ROUNDING_SPARE_M:
            return (
                f"running at {name} pace in one session is at most {most / 1000:.1f} km this week"
            )
    return None


def over_week_share(
    bp: Blueprint, week_m: float, built: Sequence[tuple[int, Workout]]
) -> tuple[int, str] | None:
    """The week's later hard session (or long run) and why, when the week's running at one pace
    over its hard sessions and its long run's faster blocks passes that pace's share of a week
    of ``week_m`` (`quality_limits.week_share` of it); None when the week keeps each share.
    Daniels' shares are the week's: 6 x 6 min cruise intervals and a 30 min tempo two days
    apart put 13% of a marathoner's week at threshold (review round 20).  One session alone
    is :func:`oversized`'s; a short session may pass a small week's share as there.  Hill
    repeats, run uphill by effort, are strength as much as speed: they count in their own
    session's limit but not in the week's sum (a speed 5K's base lost its hill sessions to
    the week's interval share beside a session of 400s).  The race-specific long run (the
    half's blocks at race pace, counted at threshold) counts first, so the week's other session
    gives way to it: a half's HMP long runs were all made easy beside threshold intervals."""
    limits = bp.program.rules.quality
    if limits.week_share is None:
        return None
    race_as = _race_zone_as(bp)
    specific = bp.program.rules.race_specific_long
    runs = sorted(
        (w.template != specific, w.date, w.role == Role.QUALITY, i, w)
        for i, w in built
        if w.category != Category.RACE
        and (w.role == Role.LONG or (w.role == Role.QUALITY and w.intensity == Intensity.HARD))
    )
    shares = ((limits.threshold, "threshold"), (limits.interval, "interval"))
    for zone, (share, name) in enumerate((*shares, (limits.repetition, "repetition"))):
        at = [(i, w, _work(w.steps, race_as, by_effort=False)[zone]) for *_, i, w in runs]
        at = [(i, w, metres) for i, w, metres in at if metres > 0]
        if len(at) < 2:
            continue
        most = limits.week_share * share * week_m
        index, last, _ = at[-1]
        if fast_seconds(last) <= SMALL_SESSION * limits.min_work_s:
            most += SMALL_WEEK_SLACK_M  # the second of two: one session alone is oversized's
        if sum(metres for _, _, metres in at) > most - ROUNDING_SPARE_M:
            return index, f"running at {name} pace in the week is at most {most / 1000:.1f} km"
    return None


ROUNDING_SPARE_M = 10.0  # metres a session keeps below its limit
SMALL_SESSION = 1.5  # of `min_work`: a session this short may pass a small week's share...
SMALL_WEEK_SLACK_M = 400.0  # ...by this much at interval and repetition pace


def _slack(limits: QualityLimits, pace: str, role: Role) -> float:
    """How far a short session may pass a small week's share at ``pace``: SMALL_WEEK_SLACK_M
    (4 x 400 m in a beginner's 15 km week); a quality session's at threshold the program's
    `quality_limits.threshold_slack` (none: a session that cannot keep its least work within
    Daniels' 10% is made easy or swapped, never over-sized; review 21, 13% of a 15 km week).
    A long run's tempo block keeps SMALL_WEEK_SLACK_M: it is trimmed a minute at a time, not
    made a session, and a 2-day runner's long run may be the only faster running of a plan."""
    if pace == "threshold" and role == Role.QUALITY:
        return limits.threshold_slack_m
    return SMALL_WEEK_SLACK_M


SIZED_TO_FIT = "sized to fit the week"


def resize(
    bp: Blueprint,
    paces: Paces,
    week: ScheduledWeek,
    drafts: list[Draft],
    index: int,
    why: str,
    week_m: float,
    recent: Sequence[str] = (),
    swap: bool = True,
) -> str | None:
    """Make a session that :func:`oversized` refused fit a week of ``week_m``: a rep fewer or a
    shorter block while the session keeps its least work; else (with ``swap``) another of the
    phase's quality sessions sized to fit (threshold work fits small weeks that intervals do
    not), those the last weeks (``recent``, one entry a session) hold least often first, so the
    swap does not wear one session out (the program's `variety`; none in a week that runs
    easy back from a break: its light session is that or easy); else an easy run (a plain
    long run for a long run).  A week already full at a pace (:func:`over_week_share`) swaps
    no session in: it has its hard running."""
    limits = bp.program.rules.quality
    old = drafts[index]
    trimmed = _trim(paces, old, why, limits.keep_reps)
    if trimmed is not None and old.slot.role == Role.LONG:
        trimmed = _longest_fitting(bp, paces, old, trimmed, week_m)
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
    others = dict.fromkeys(sorted(others, key=recent.count))  # stable: the focus's order
    if SIZED_TO_FIT in old.slot.reason or not swap:
        others = {}  # one swap per session: a second refusal makes it easy
    if week.plan.first_back:
        others = {}  # a week back from a break: its light session, else easy (no tempo)
    held = {d.template.name for d in drafts}  # never the same session twice in a week
    for name in others:
        if name in held or bp.workouts[name].intensity != Intensity.HARD:
            continue
        fitted = _fitted(bp, paces, week, old.slot, name, week_m)
        if fitted is not None:
            drafts[index] = fitted
            return f"{old.slot.date}: {old.template.name} replaced by {name}, sized to fit: {why}"
    easy = bp.easy_workout(week.plan.phase, strides=True)
    return _replace(bp, paces, week, drafts, index, easy, Role.EASY, why)


def _longest_fitting(
    bp: Blueprint, paces: Paces, old: Draft, trimmed: tuple[Draft, str], week_m: float
) -> tuple[Draft, str]:
    """A long run's block trimmed (``trimmed``, a tenth off) back up to the longest whole
    minute between it and ``old`` that fits: a tenth off 1h15min, 1h and 1h25min landed on 56,
    54 and 52 min at goal pace in three 30 km long runs whose half holds 56 min (round 22)."""
    candidate, note = trimmed
    changed = [k for k in candidate.context if candidate.context[k] != old.context.get(k)]
    if len(changed) != 1:
        return trimmed
    name = changed[0]
    try:
        low = parse_amount(str(candidate.context[name]))
        high = parse_amount(str(old.context[name]))
    except UnitError:
        return trimmed
    if low.dimension != "duration" or high.dimension != "duration":
        return trimmed
    value = math.ceil(high.value / 60) * 60 - 60
    while value > low.value:
        context = {**candidate.context, name: str(Amount("duration", value))}
        fixed, has_fill, fixed_s = fixed_and_fill(candidate.template, context, paces)
        bigger = Draft(candidate.slot, candidate.template, context, fixed, has_fill, fixed_s)
        if oversized(bp, week_m, build_workout(bp, paces, bigger, 0.0)) is None:
            before = str(old.context[name])
            return bigger, note.replace(
                f"{candidate.context[name]} instead of {before}",
                f"{context[name]} instead of {before}",
                1,
            )
        value -= 60
    return trimmed


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
        trimmed = _trim(paces, candidate, why, bp.program.rules.quality.keep_reps)
        candidate = trimmed[0] if trimmed else None
    return None


# the reason of a recovery run on a day the phase keeps as rest (room.run_on_rest_day)
REST_DAY_RUN = "the rest day"


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
    mini-taper or just after it, nor the day before a C race, nor the recovery run a rest day
    gave way to (REST_DAY_RUN: a short run the size of the week's recovery run).  Says what it
    did, or None when there is none."""
    long_days = {d.slot.date for d in drafts if d.slot.role == Role.LONG}
    long_days.update(earlier_long_days)
    for i, d in enumerate(drafts):
        if d.slot.role != Role.RECOVERY or keeps_short(bp, d.slot.date):
            continue
        if d.slot.reason.startswith(REST_DAY_RUN):  # the rest day's run stays a short one
            continue
        if d.slot.date - dt.timedelta(days=1) not in long_days:
            easy = bp.easy_workout(week.plan.phase)
            why = "the week's volume needs a full easy run"
            return _replace(bp, paces, week, drafts, i, easy, Role.EASY, why)
    return None


# The running faster than easy that makes a long run a hard day of its own (50 min at marathon
# pace): on one running day more than FEW_DAYS, such a week holds one other hard session.
HARD_LONG_S = 30 * 60


def too_many_hard(
    bp: Blueprint,
    paces: Paces,
    week: ScheduledWeek,
    drafts: list[Draft],
    built: Sequence[tuple[int, Workout]],
    earlier: Sequence[Sequence[str]] = (),
) -> str | None:
    """With few running days left (after short runs were dropped), one hard session a week:
    a quality session becomes an easy run as _eased_first says (a B or C race counts as a hard
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
    victim = _eased_first(bp, week, drafts, quality, earlier)
    easy = bp.easy_workout(week.plan.phase, strides=True)
    why = (
        f"one hard session besides a long run with a long faster block on {few} running days"
        if few > FEW_DAYS
        else f"one hard session a week on {FEW_DAYS} running days or fewer"
    )
    return _replace(bp, paces, week, drafts, victim, easy, Role.EASY, why)


def _eased_first(
    bp: Blueprint,
    week: ScheduledWeek,
    drafts: Sequence[Draft],
    quality: Sequence[int],
    earlier: Sequence[Sequence[str]],
) -> int:
    """Which of the week's hard quality sessions (``quality``, indexes into ``drafts``) becomes
    the easy run when the week keeps one: the sessions take turns, as the slots of a week with
    one session do (quality_choice.slot_sequences), by kind of work: the kind the weeks before
    (``earlier``: each week's quality workouts as built) held longest ago stays, the fast
    family, the sustained family (tempo, threshold, progression) and the program's
    race-specific session each a kind of its own; a tie goes to the week's turn by its place
    in the phase, then to the first slot.  The race-specific session takes the place of
    sustained work every `race_specific.every` weeks, and turns by week number alone kept
    the slot it stands in only in its weeks: a 10K build on five days ran threshold work once
    in six quality weeks, the race-pace repeats at every other turn of the threshold slot."""
    specific = bp.program.rules.race_specific_quality

    def kind(name: str) -> str:
        if name == specific:
            return "specific"
        return "fast" if bp.workouts[name].category in FAST_FAMILY else "sustained"

    def last_held(name: str) -> int:
        held = [n for n, names in enumerate(earlier) if any(kind(x) == kind(name) for x in names)]
        return max(held, default=-1)

    ranks = sorted({drafts[i].slot.rank for i in quality})
    turn = ranks[(week.plan.phase_week - 1) % len(ranks)]

    def dropped_first(i: int) -> tuple[int, bool, int]:
        rank = drafts[i].slot.rank
        return last_held(drafts[i].template.name), rank != turn, rank

    return max(quality, key=dropped_first)


def soften(
    bp: Blueprint,
    paces: Paces,
    week: ScheduledWeek,
    drafts: list[Draft],
    *,
    quality_only: bool = False,
    why: str = "",
    keep: Container[str] = (),
    long_first: bool = False,
) -> str | None:
    """Take some intensity out of the week, the least important first: the plain long run
    instead of one with a faster finish, then a rep fewer (or a shorter block) in the
    lowest-priority quality session while it keeps its least work, then the race-specific
    long run's block down to the workout's own least (_trim_within_start), then an easy run
    instead of the session.  A race-specific long run (the marathon's race-pace block)
    outranks a quality session and gives way last, unless ``long_first``: the week is too
    hard with its quality sessions made easy, so the long run's block would go after them
    and leave a build week with no quality at all (a tempo cut 25 -> 9 min, then a VO2max
    session to 3 reps, then both eased, issue 11); it gives way first, whole, and the
    quality session is kept, trimmed to fit.
    A session named in ``keep`` stays.  Says what it did, or None when nothing is left to
    soften."""
    why = why or (
        f"at least {bp.focus.min_easy_share:.0%} of the week's running time is easy "
        f"and {bp.focus.min_easy_share_distance:.0%} of its distance"
    )
    quality = [
        i
        for i, d in enumerate(drafts)
        if d.slot.role == Role.QUALITY and d.template.name not in keep
    ]
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
    is_specific = fast_long is not None and drafts[fast_long].template.name == specific
    if fast_long is not None and (long_first or not is_specific):
        return _replace(bp, paces, week, drafts, fast_long, str(plain_long), Role.LONG, why)
    # with few running days the week keeps one hard session: the block does not shrink for two
    days = {d.slot.date for d in drafts if d.slot.slot == SlotKind.RUN}
    block = fast_long if len(days) > FEW_DAYS else None
    note = _trimmed_session(bp, paces, drafts, victim, block is not None)
    note = note or _shorter_block_of(bp, paces, drafts, block)
    if note:  # the session to its least, then the race-specific long run's block to its own
        return note + why
    if victim is not None:
        easy = bp.easy_workout(week.plan.phase)
        return _replace(bp, paces, week, drafts, victim, easy, Role.EASY, why)
    if fast_long is not None:
        return _replace(bp, paces, week, drafts, fast_long, str(plain_long), Role.LONG, why)
    return None


def _trimmed_session(
    bp: Blueprint, paces: Paces, drafts: list[Draft], index: int | None, beside_specific: bool
) -> str | None:
    """Trims the quality session ``drafts[index]`` (_trim) while it keeps its least work
    (_least_work_s); the note's start, or None when it is at its least (or there is none)."""
    if index is None:
        return None
    trimmed = _trim(paces, drafts[index], "", bp.program.rules.quality.keep_reps)
    if trimmed is None:
        return None
    steps = build_steps(bp, paces, trimmed[0])
    if _work(steps)[3] < _least_work_s(bp, steps, beside_specific) - 1e-6:
        return None
    drafts[index], note = trimmed
    return note


def _shorter_block_of(
    bp: Blueprint, paces: Paces, drafts: list[Draft], index: int | None
) -> str | None:
    """Trims the race-specific long run ``drafts[index]``'s block within the workout's own
    least (_trim_within_start); the note's start, or None when it is at its least."""
    if index is None:
        return None
    trimmed = _trim_within_start(bp, paces, drafts[index], "")
    if trimmed is None:
        return None
    drafts[index], note = trimmed
    return note


def _least_work_s(bp: Blueprint, steps: Sequence[Step], beside_specific: bool) -> float:
    """The least work a quality session is trimmed to (`quality_limits.min_work`): beside the
    race-specific long run, a session mostly at threshold keeps `min_threshold_work`, and the
    long run's block gives way before it goes below (a tempo trimmed 25 -> 9 min, then made
    easy, beside 60 min at goal pace, round 21)."""
    limits = bp.program.rules.quality
    t, i, r, *_ = _work(steps, _race_zone_as(bp))
    if beside_specific and t > i + r:
        return max(limits.min_work_s, limits.min_threshold_work_s)
    return limits.min_work_s


def _trim_within_start(
    bp: Blueprint, paces: Paces, draft: Draft, why: str
) -> tuple[Draft, str] | None:
    """The race-specific long run with its race-pace block trimmed (_trim), or None when that
    would take a parameter below the workout's own `start` (the block's least: the marathon's
    20 min at goal pace, the half's 3 x 10 min): the block gives way a little before the week's
    other session is made easy (a 60-72 min goal-pace block beside a tempo trimmed to nothing,
    round 21), and the long run itself only after it."""
    trimmed = _trim(paces, draft, why, bp.program.rules.quality.keep_reps)
    if trimmed is None:
        return None
    for param in draft.template.params:
        after = trimmed[0].context.get(param.name)
        if after != draft.context.get(param.name) and _below(after, param.start):
            return None
    return trimmed


def _below(value: object, least: str | int | float) -> bool:
    """Whether a parameter's ``value`` is below ``least`` (amounts of one dimension, or counts)."""
    if isinstance(value, int | float) and isinstance(least, int | float):
        return value < least
    try:
        amount, floor = parse_amount(str(value)), parse_amount(str(least))
    except UnitError:
        return False
    return amount.dimension == floor.dimension and amount.value < floor.value - 1e-6


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
