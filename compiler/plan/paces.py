"""Paces: the Daniels/Gilbert VDOT model, solved exactly (no lookup tables).

A recent race gives a VDOT, Daniels' "effective VO2max": the oxygen cost of the race's average
speed divided by the share of VO2max that can be held for the race's duration.  From the VDOT
come equivalent race times at other distances (solving the same equation for the time) and the
training paces (speeds whose oxygen cost is a set fraction of the VDOT).

Units follow the model: distances in metres, times in seconds, paces in seconds per km.  The
Daniels/Gilbert equations themselves work in metres per minute and minutes.

Calibration of the training zones (checked against Daniels' published VDOT tables, see
tests/test_paces.py):

* threshold, interval: fixed fractions of VDOT, 88% and 97.5%; these reproduce the tables' T and
  I paces within 2.5 s per km over VDOT 30-85.
* easy: a range from 71.5% (fast end) to 63% (slow end) of VDOT.  Daniels describes E running as
  59-74% of VO2max, but his tables are narrower: the book's table sits at about 73%-63% and the
  current online calculator at about 70%-62%.  71.5%-63% lies between them, within about 6 s per
  km of either; at VDOT 50 it gives 5:02-5:34 per km (tables: 4:56-5:34 and 5:07-5:38).
* recovery: 65% to 58% of VDOT, the slow half of easy and a little beyond it, for the gentle
  jog the day after a hard session: never faster than the middle of the easy range.
* marathon: the marathon race-equivalent pace itself.
* steady: the pace of a long run's steady finish and a progression's middle part, between easy
  and the goal race's pace: marathon pace, but never faster than the race zone (so a
  marathoner's steady is at most their goal pace, not the faster pace their fitness predicts,
  and a half marathoner's soft goal is not undercut by it).  Marathon pace is faster than easy
  (a race is held at 80% of VO2max or more, easy at most 71.5%) and a goal slower than easy is
  refused (resolve_fitness.py), so steady always lies between easy and the race pace.  It needs the
  race zone, so compute_paces adds it, not training_paces.
* repetition: Daniels' own rule of thumb, I pace less 6 s per 400 m (15 s per km).  It gives
  88 s per 400 m at VDOT 50 and 75 s at VDOT 60, as the tables do.  A fixed fraction of VDOT
  does not fit the rule: the fraction it implies rises from about 1.03 at VDOT 30 to 1.09 at
  VDOT 70.  Subtracting a constant also keeps R faster than I at every VDOT.

A race run at its VDOT is always faster than that VDOT's easy pace: the model lets a race be held
at no less than 80% of VO2max (sustainable_fraction), and easy running is at most 71.5%.  So a
recent race cannot be "slower than easy" for itself; a slow race is caught as a VDOT under
VDOT_MIN, and a goal slower than the athlete's easy pace is checked in
compiler/plan/resolve_fitness.py.

Stale fitness: a race run long ago, or a break since it, leaves the athlete slower than the race
says.  The race's VDOT is then multiplied by Daniels' factor for the weeks off (time_off_factor,
detraining): his table of "VDOT adjustments after time off" from Daniels' Running Formula (3rd
edition), the column for a break without cross-training ("FVDOT-1"), as published by his VDOT O2
(https://news.vdoto2.com/2018/02/vdot-adjustments-time-off/):

    days off   up to 5   6      7      10     14     21     28     35     42
    factor     1.000     0.997  0.994  0.985  0.973  0.952  0.931  0.910  0.889
    days off   49        56     63     70     72 or more
    factor     0.868     0.847  0.826  0.805  0.800

Between rows the factor is interpolated linearly.  A race older than STALE_AFTER_WEEKS (26 weeks,
about 6 months) before the plan starts counts as partial detraining even when the athlete kept
running: every STALE_WEEKS_PER_WEEK_OFF (4) weeks beyond the 26 count as one week off, at most
STALE_MAX_WEEKS_OFF (8) weeks off (a 15.3% loss; the full 20% is kept for a real break of 72
days or more).  This is planc's own choice, not Daniels': fitness from a race a year ago is
uncertain rather than lost, and the warning asks for a new race or time trial.  With both a
time-off note and an old race, the larger of the two counts (they are not added: the break is
part of the race's age).
"""

from __future__ import annotations

import datetime as dt
import itertools
import math
from dataclasses import dataclass
from typing import Final, Literal

from ..model import PaceRange, Paces
from ..units import METRES_PER, MILE, Unit, format_clock, format_metres_plain, whole_pace_up
from ..vocabulary import Zone

MARATHON_M: Final = 42195.0
HALF_MARATHON_M: Final = MARATHON_M / 2

# The distances of Paces.race_times, in metres.
RACE_DISTANCES: Final[dict[str, float]] = {
    "1500m": 1500.0,
    "mile": MILE,
    "3k": 3000.0,
    "5k": 5000.0,
    "10k": 10000.0,
    "15k": 15000.0,
    "half": HALF_MARATHON_M,
    "marathon": MARATHON_M,
}

# The race-pace zones of model.RACE_ZONES (besides "race"), with their distances.
RACE_ZONE_DISTANCES: Final[dict[Zone, float]] = {
    Zone.FIVE_K: 5000.0,
    Zone.TEN_K: 10000.0,
    Zone.HALF: HALF_MARATHON_M,
}

# The VDOTs the model is used for: a 5K in about 11 minutes (beyond world class) to 53 minutes.
VDOT_MIN: Final = 15.0
VDOT_MAX: Final = 100.0

# Training zone calibration (fractions of VDOT); see the module docstring.
EASY_FAST_FRACTION: Final = 0.715
EASY_SLOW_FRACTION: Final = 0.63
RECOVERY_FAST_FRACTION: Final = 0.65
RECOVERY_SLOW_FRACTION: Final = 0.58
THRESHOLD_FRACTION: Final = 0.88
INTERVAL_FRACTION: Final = 0.975
REPETITION_GAIN_S_PER_400M: Final = 6.0

# Oxygen cost of running at v m/min: VO2 = C0 + C1 v + C2 v^2 (ml/kg/min).
_C0: Final = -4.60
_C1: Final = 0.182258
_C2: Final = 0.000104

_TIME_TOLERANCE_S: Final = 1e-7

# Daniels' VDOT adjustment after time off without cross-training: (days off, factor); see the
# module docstring.  Up to the first row there is no loss; from the last on the loss is 20%.
TIME_OFF_FACTORS: Final[tuple[tuple[float, float], ...]] = (
    (5.0, 1.000),
    (6.0, 0.997),
    (7.0, 0.994),
    (10.0, 0.985),
    (14.0, 0.973),
    (21.0, 0.952),
    (28.0, 0.931),
    (35.0, 0.910),
    (42.0, 0.889),
    (49.0, 0.868),
    (56.0, 0.847),
    (63.0, 0.826),
    (70.0, 0.805),
    (72.0, 0.800),
)

# A recent race older than this before the plan starts is stale (about 6 months)...
STALE_AFTER_WEEKS: Final = 26.0
# ...and every this many weeks beyond count as one week off...
STALE_WEEKS_PER_WEEK_OFF: Final = 4.0
# ...up to this many weeks off.
STALE_MAX_WEEKS_OFF: Final = 8.0


# --------------------------------------------------------------------------- the model


def oxygen_cost(velocity_m_min: float) -> float:
    """VO2 (ml/kg/min) of running at ``velocity_m_min`` metres per minute."""
    v = velocity_m_min
    return _C0 + _C1 * v + _C2 * v * v


def sustainable_fraction(minutes: float) -> float:
    """The fraction of VO2max that can be held for a race lasting ``minutes``."""
    return (
        0.8 + 0.1894393 * math.exp(-0.012778 * minutes) + 0.2989558 * math.exp(-0.1932605 * minutes)
    )


def _score(distance_m: float, time_s: float) -> float:
    """VDOT of a race, unchecked."""
    minutes = time_s / 60.0
    return oxygen_cost(distance_m / minutes) / sustainable_fraction(minutes)


def vdot(distance_m: float, time_s: float) -> float:
    """The VDOT of covering ``distance_m`` metres in ``time_s`` seconds (unrounded).

    A 5K in 20:00 gives 49.806.  The value is not range-checked: a very slow "race" can give a
    VDOT near or below zero.
    """
    _check_positive(distance_m, "distance")
    _check_positive(time_s, "time")
    return _score(distance_m, time_s)


def race_time(vdot: float, distance_m: float) -> float:
    """The race time in seconds at ``distance_m`` equivalent to ``vdot``.

    Solves vdot(distance_m, t) == vdot for t by bisection, to within 1e-7 s.  The score falls
    strictly as the time grows (the speed's oxygen cost falls far faster than the sustainable
    fraction it is divided by), so the root is unique.
    """
    _check_vdot(vdot, "VDOT")
    _check_positive(distance_m, "distance")
    # A first guess: the time at the speed held at 90% of VDOT; then widen to a bracket.
    guess = distance_m / velocity_at(vdot, 0.9) * 60.0
    fast, slow = guess, guess
    while _score(distance_m, fast) <= vdot:
        fast /= 2.0
    while _score(distance_m, slow) > vdot:
        slow *= 2.0
    for _ in range(200):
        if slow - fast <= _TIME_TOLERANCE_S:
            break
        mid = 0.5 * (fast + slow)
        if mid in (fast, slow):  # no float between them: as exact as it gets
            break
        if _score(distance_m, mid) > vdot:
            fast = mid
        else:
            slow = mid
    return 0.5 * (fast + slow)


def velocity_at(vdot: float, fraction_of_vo2max: float) -> float:
    """The speed (m/min) whose oxygen cost is ``fraction_of_vo2max`` x ``vdot``.

    The positive root of C2 v^2 + C1 v + C0 = f * vdot, written to avoid cancellation.
    """
    _check_positive(vdot, "VDOT")
    _check_positive(fraction_of_vo2max, "fraction of VO2max")
    excess = fraction_of_vo2max * vdot - _C0
    return 2.0 * excess / (_C1 + math.sqrt(_C1 * _C1 + 4.0 * _C2 * excess))


def pace_at(vdot: float, fraction_of_vo2max: float) -> float:
    """The pace (s/km) whose oxygen cost is ``fraction_of_vo2max`` x ``vdot``."""
    return 60000.0 / velocity_at(vdot, fraction_of_vo2max)


def race_pace(vdot: float, distance_m: float) -> float:
    """The pace (s/km) of the race time at ``distance_m`` equivalent to ``vdot``."""
    return race_time(vdot, distance_m) * 1000.0 / distance_m


# --------------------------------------------------------------------------- paces


def training_paces(vdot: float) -> dict[str, PaceRange]:
    """The training zones of model.TRAINING_ZONES for ``vdot``, in seconds per km, but steady,
    which depends on the goal race too (:func:`steady_pace`, added by :func:`compute_paces`).

    Ordered fastest last to first: repetition < interval < threshold < marathon < easy < recovery.
    """
    _check_vdot(vdot, "VDOT")
    interval = pace_at(vdot, INTERVAL_FRACTION)
    repetition = interval - REPETITION_GAIN_S_PER_400M * 1000.0 / 400.0
    return {
        Zone.RECOVERY: PaceRange(
            fast=pace_at(vdot, RECOVERY_FAST_FRACTION), slow=pace_at(vdot, RECOVERY_SLOW_FRACTION)
        ),
        Zone.EASY: PaceRange(
            fast=pace_at(vdot, EASY_FAST_FRACTION), slow=pace_at(vdot, EASY_SLOW_FRACTION)
        ),
        Zone.MARATHON: _single(race_pace(vdot, MARATHON_M)),
        Zone.THRESHOLD: _single(pace_at(vdot, THRESHOLD_FRACTION)),
        Zone.INTERVAL: _single(interval),
        Zone.REPETITION: _single(repetition),
    }


def compute_paces(
    distance_m: float,
    time_s: float,
    race_distance_m: float,
    goal_s: float | None,
    *,
    weeks_off: float = 0.0,
    unit: Unit = "km",
) -> Paces:
    """Paces from a recent race (``distance_m`` in ``time_s``) for a goal race.

    Zones: the training zones, the race-equivalent paces at 5K, 10K and the half, and "race":
    the goal pace at ``race_distance_m`` when ``goal_s`` is given (never faster than
    :func:`reachable_time`: an ambitious goal trains at the fastest reachable pace), else
    the race-equivalent pace there; a race of an hour or more never trains at threshold pace
    (:func:`_below_threshold`).  Paces.vdot is rounded to 1 decimal; every pace comes from
    the unrounded VDOT.

    ``unit``: the athlete's, in which a held race pace is a whole second
    (:func:`trained_race_pace`).

    ``weeks_off`` (from :func:`detraining`) reduces the race's VDOT by Daniels' time-off table
    before anything else is worked out: Paces.vdot and every pace are the athlete's current
    fitness, not the race's.

    Raises ValueError, with a message for the athlete, when a distance or time is not positive
    or a race implies a VDOT outside VDOT_MIN..VDOT_MAX.
    """
    _check_positive(distance_m, "recent race distance")
    _check_positive(time_s, "recent race time")
    _check_positive(race_distance_m, "goal race distance")
    race_score = _score(distance_m, time_s)
    _check_vdot(
        race_score,
        f"the recent race ({_describe(distance_m, time_s)}) gives VDOT",
        "; check its distance and time",
    )
    score = reduced_vdot(race_score, weeks_off)

    zones = training_paces(score)
    race_times = {name: race_time(score, d) for name, d in RACE_DISTANCES.items()}
    for zone, d in RACE_ZONE_DISTANCES.items():
        zones[zone] = _single(race_times[zone] * 1000.0 / d)
    if goal_s is not None:
        _check_goal(race_distance_m, goal_s)
    zones[Zone.RACE], held = trained_race_pace(
        score, race_distance_m, goal_s, zones[Zone.THRESHOLD], unit
    )
    predicted_s = race_time(score, race_distance_m)
    zones[Zone.STEADY] = steady_pace(zones[Zone.MARATHON], zones[Zone.RACE])
    return Paces(
        vdot=round(score, 1),
        zones=zones,
        race_times=race_times,
        predicted_s=predicted_s,
        race_held=held,
    )


def _check_goal(race_distance_m: float, goal_s: float) -> None:
    """Raises ValueError when the goal time is not positive or implies a VDOT outside
    VDOT_MIN..VDOT_MAX, with a message for the athlete."""
    _check_positive(goal_s, "goal time")
    _check_vdot(
        _score(race_distance_m, goal_s),
        f"the goal ({_describe(race_distance_m, goal_s)}) implies VDOT",
        "; check the goal time",
    )


def trained_race_pace(
    score: float,
    race_distance_m: float,
    goal_s: float | None,
    threshold: PaceRange,
    unit: Unit = "km",
) -> tuple[PaceRange, str]:
    """The pace race-pace sessions train at for a runner of VDOT ``score`` (``threshold`` their
    threshold pace), and what held it slower than the goal: "reach", "threshold" or "".  The
    goal's pace, never faster than a goal within reach (beyond it the sessions would be run
    well above their effort: a marathon goal 5% beyond the fitness is threshold pace, and 60
    min of it inside a long run), else the race-equivalent pace; a race of an hour or more
    never at threshold pace (:func:`_below_threshold`).  A pace held slower than the goal is
    a whole second in the athlete's ``unit`` (rounded up, so still within reach): the pace
    the athlete reads, and times the distance the time said with it (:func:`trained_time`).
    The plan and the goal-ambitious warning both read it, so they give the same pace and
    time."""
    reachable = reachable_time(score, race_distance_m)
    if goal_s is None:
        race = _single(race_pace(score, race_distance_m))
    else:
        race = _single(max(goal_s, reachable) * 1000.0 / race_distance_m)
    held = "reach" if goal_s is not None and reachable > goal_s else ""
    predicted_s = race_time(score, race_distance_m)
    if predicted_s >= THRESHOLD_RACE_S:
        slower = _below_threshold(race, threshold, predicted_s * 1000.0 / race_distance_m)
        if goal_s is not None and not held and slower.fast > race.fast + 1e-9:
            held = "threshold"
        race = slower
    if held:
        race = _single(whole_pace_up(race.fast, unit))
        if goal_s is not None and _reads_as(race.fast, goal_s * 1000.0 / race_distance_m, unit):
            # held by less than the second the athlete reads: the goal's pace as they read
            # it, not a "held" one the pace table and the goal text disagree on (round 20)
            return race, ""
    return race, held


def _reads_as(pace: float, other: float, unit: Unit) -> bool:
    """Whether two paces (s/km) read as the same whole second in the athlete's ``unit``."""
    per_unit = METRES_PER[unit] / 1000.0
    return round(pace * per_unit) == round(other * per_unit)


def trained_time(race: PaceRange, race_distance_m: float) -> float:
    """The race time the race-pace sessions train for: their pace over the distance."""
    return race.fast * race_distance_m / 1000.0


THRESHOLD_RACE_S = 60 * 60  # a race this long or longer is run slower than threshold pace
RACE_BELOW_THRESHOLD = 0.015  # how much slower than threshold such a race's training pace stays


def _below_threshold(race: PaceRange, threshold: PaceRange, predicted: float) -> PaceRange:
    """The race pace of a race the athlete runs for an hour or more: at least
    RACE_BELOW_THRESHOLD slower than threshold, unless the fitness itself predicts a faster
    race (``predicted``, s/km).  An ambitious half-marathon goal within reach otherwise comes
    out at threshold pace, and 40 minutes of it in a race-pace tempo is a threshold run twice
    Daniels' longest."""
    floor = min(threshold.slow * (1 + RACE_BELOW_THRESHOLD), predicted)
    return _single(max(race.slow, floor))


def steady_pace(marathon: PaceRange, race: PaceRange) -> PaceRange:
    """Steady running: marathon pace, but never faster than the goal race's pace ``race`` (see
    the module docstring): steady sits between easy and the race, never beyond it."""
    return _single(max(marathon.slow, race.slow))


GOAL_REACH_VDOT = 1.5  # VDOT points a goal may lie beyond the current fitness: a plan's worth
# of improvement (about 3% of the race time); the race zone is held there


def reachable_time(score: float, distance_m: float) -> float:
    """The fastest goal within reach at ``distance_m`` for a runner of VDOT ``score``: the race
    time GOAL_REACH_VDOT points of fitness more would run."""
    return race_time(min(score + GOAL_REACH_VDOT, VDOT_MAX), distance_m)


# --------------------------------------------------------------------------- stale fitness


def time_off_factor(weeks_off: float) -> float:
    """The share of a VDOT left after ``weeks_off`` weeks without running: Daniels' table,
    interpolated linearly by days (1.0 up to 5 days, 0.8 from 72 days; see the module docstring).
    """
    if math.isnan(weeks_off):
        raise ValueError("the time off must be a number of weeks, not nan")
    days = weeks_off * 7.0
    first_day, first_factor = TIME_OFF_FACTORS[0]
    if days <= first_day:
        return first_factor
    for (day_a, factor_a), (day_b, factor_b) in itertools.pairwise(TIME_OFF_FACTORS):
        if days <= day_b:
            return factor_a + (factor_b - factor_a) * (days - day_a) / (day_b - day_a)
    return TIME_OFF_FACTORS[-1][1]


def reduced_vdot(race_vdot: float, weeks_off: float) -> float:
    """The VDOT after ``weeks_off`` weeks off, never below VDOT_MIN (the model's floor)."""
    factor = time_off_factor(weeks_off)
    return max(VDOT_MIN, race_vdot * factor) if factor < 1.0 else race_vdot


def stale_weeks_off(race_age_weeks: float) -> float:
    """The weeks off an old race counts as: a week for every 4 beyond 26, at most 8."""
    beyond = max(0.0, race_age_weeks - STALE_AFTER_WEEKS)
    return min(STALE_MAX_WEEKS_OFF, beyond / STALE_WEEKS_PER_WEEK_OFF)


@dataclass(frozen=True)
class Detraining:
    """How much of the recent race's fitness is left when the plan starts, and why."""

    race_age_weeks: float | None  # from the race to the plan's start; None without a date
    time_off_weeks: float  # the profile's fitness.time_off
    weeks_off: float  # what the reduction counts: the larger of the note and the stale age's

    @property
    def stale(self) -> bool:
        """Whether the race was run more than 26 weeks before the plan starts."""
        return self.race_age_weeks is not None and self.race_age_weeks > STALE_AFTER_WEEKS

    @property
    def cause(self) -> Literal["time-off", "age"] | None:
        """What makes the race's VDOT doubtful: the time-off note (when it costs fitness and is
        at least the race age's share), else the race's age (when stale), else nothing."""
        if self.loss > 0 and self.time_off_weeks >= self.weeks_off:
            return "time-off"
        if self.stale:
            return "age"
        return None

    @property
    def factor(self) -> float:
        return time_off_factor(self.weeks_off)

    @property
    def loss(self) -> float:
        """The share of the VDOT lost, 0 to 0.2."""
        return 1.0 - self.factor

    def reason(self) -> str:
        """Why, in words: '5 weeks without running' or 'a race 40 weeks before the plan starts,
        counted as 3.5 weeks without running'."""
        if self.cause == "time-off":
            return f"{format_weeks(self.time_off_weeks)} without running since the race"
        if self.cause == "age":
            assert self.race_age_weeks is not None
            return (
                f"a race {self.race_age_weeks:.0f} weeks before the plan starts, counted as "
                f"{format_weeks(self.weeks_off)} without running"
            )
        return "no time off"


def caveat(off: Detraining) -> str:
    """The athlete's note on paces a stale race or a break has slowed: why, by how much, and
    the time trial that would make them current (the build's `stale-fitness` warning is for
    the coach; the athlete reading plan.md or the page needs it too)."""
    if off.cause is None:
        return ""
    why = (
        f"you have had {format_weeks(off.time_off_weeks)} without running since your race"
        if off.cause == "time-off"
        else f"your race was run {off.race_age_weeks or 0:.0f} weeks before the plan starts"
    )
    slower = (
        f"so these paces assume {off.loss:.0%} less fitness than it showed"
        if off.loss > 0
        else "so treat these paces as an estimate"
    )
    return (
        f"Estimated: {why}, {slower}. Run a 5K time trial (or a race) in the first weeks and "
        "send your coach the time: the paces will be updated from it."
    )


def detraining(race_date: dt.date | None, time_off_weeks: float, plan_start: dt.date) -> Detraining:
    """The detraining of a recent race run on ``race_date`` (None: not known) with
    ``time_off_weeks`` off since, for a plan starting ``plan_start``."""
    age = None if race_date is None else max(0, (plan_start - race_date).days) / 7.0
    weeks_off = max(time_off_weeks, stale_weeks_off(age) if age is not None else 0.0)
    return Detraining(age, time_off_weeks, weeks_off)


def format_weeks(weeks: float) -> str:
    """'10 days', '1 week', '3 weeks', '4.5 weeks': days under three weeks, else weeks."""
    days = round(weeks * 7.0)
    if days % 7 == 0:
        return f"{days // 7} week" + ("" if days == 7 else "s")
    if days < 21:
        return f"{days} day" + ("" if days == 1 else "s")
    return f"{weeks:.1f} weeks"


# --------------------------------------------------------------------------- helpers


def _single(pace: float) -> PaceRange:
    return PaceRange(fast=pace, slow=pace)


def _describe(distance_m: float, time_s: float) -> str:
    return f"{format_metres_plain(distance_m)} in {format_clock(time_s)}"


def _check_positive(value: float, what: str) -> None:
    if not (math.isfinite(value) and value > 0):
        raise ValueError(f"the {what} must be a positive number, not {value!r}")


def _check_vdot(value: float, what: str, hint: str = "") -> None:
    # a race time solved for VDOT 100 gives back 100 within floating-point error: allow that
    if not (math.isfinite(value) and VDOT_MIN - 1e-6 <= value <= VDOT_MAX + 1e-6):
        raise ValueError(
            f"{what} {value:.1f}, outside the {VDOT_MIN:g}-{VDOT_MAX:g} the pace model covers"
            f" (a 5K in about 11 to 53 minutes){hint}"
        )
