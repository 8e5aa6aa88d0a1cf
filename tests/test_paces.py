"""The VDOT model against Daniels' published tables, and its properties."""

from __future__ import annotations

import datetime as dt
import json
import math
from itertools import pairwise

import pytest
from hypothesis import given
from hypothesis import strategies as st
from jsonschema import Draft202012Validator

from compiler.model import TRAINING_ZONES, ZONES
from compiler.plan.paces import (
    EASY_FAST_FRACTION,
    GOAL_REACH_VDOT,
    HALF_MARATHON_M,
    MARATHON_M,
    RACE_BELOW_THRESHOLD,
    RACE_DISTANCES,
    THRESHOLD_RACE_S,
    TIME_OFF_FACTORS,
    VDOT_MIN,
    compute_paces,
    detraining,
    format_weeks,
    oxygen_cost,
    pace_at,
    race_pace,
    race_time,
    reachable_time,
    reduced_vdot,
    stale_weeks_off,
    time_off_factor,
    training_paces,
    vdot,
    velocity_at,
)
from compiler.resources import schemas_dir
from compiler.units import METRES_PER, MILE, Unit, format_pace, parse_clock, whole_pace_up

# Daniels' equivalent performances (Daniels' Running Formula, VDOT table): 1500 m, mile, 3K,
# 2 miles, 5K, 10K, 15K, half marathon, marathon.
TABLE_DISTANCES = (1500.0, MILE, 3000.0, 2 * MILE, 5000.0, 10000.0, 15000.0, 21097.5, 42195.0)
PUBLISHED_RACES = {
    30: ("8:30", "9:11", "17:56", "19:19", "30:40", "1:03:46", "1:38:14", "2:21:04", "4:49:17"),
    35: ("7:25", "8:01", "15:45", "16:58", "27:00", "56:03", "1:26:22", "2:04:13", "4:16:03"),
    40: ("6:35", "7:07", "14:03", "15:09", "24:08", "50:03", "1:17:06", "1:50:59", "3:49:45"),
    45: ("5:56", "6:25", "12:40", "13:40", "21:50", "45:16", "1:09:40", "1:40:20", "3:28:26"),
    50: ("5:24", "5:50", "11:33", "12:28", "19:57", "41:21", "1:03:36", "1:31:35", "3:10:49"),
    55: ("4:57", "5:21", "10:37", "11:28", "18:22", "38:06", "58:33", "1:24:18", "2:56:01"),
    60: ("4:35", "4:57", "9:50", "10:37", "17:03", "35:22", "54:18", "1:18:09", "2:43:25"),
    65: ("4:16", "4:37", "9:09", "9:53", "15:54", "33:01", "50:40", "1:12:53", "2:32:35"),
    70: ("4:00", "4:19", "8:34", "9:16", "14:55", "31:00", "47:32", "1:08:21", "2:23:10"),
    75: ("3:46", "4:04", "8:04", "8:43", "14:03", "29:14", "44:48", "1:04:23", "2:14:55"),
    80: ("3:34.2", "3:51.2", "7:37.5", "8:14.2", "13:17.8", "27:41", "42:25", "1:00:54", "2:07:38"),
    85: ("3:23.5", "3:39.6", "7:14.0", "7:48.8", "12:37.4", "26:19", "40:17", "57:50", "2:01:10"),
}

# Daniels' T and I paces per km (VDOT 30 to 85), and R per 400 m (VDOT 50, 60).
PUBLISHED_THRESHOLD = {
    30: "6:24", 35: "5:40", 40: "5:06", 45: "4:38", 50: "4:15", 55: "3:56",
    60: "3:40", 65: "3:26", 70: "3:14", 75: "3:04", 80: "2:54", 85: "2:46",
}  # fmt: skip
PUBLISHED_INTERVAL = {
    30: "5:52", 35: "5:11", 40: "4:42", 45: "4:16", 50: "3:55", 55: "3:37",
    60: "3:23", 65: "3:10", 70: "2:59", 75: "2:49", 80: "2:41", 85: "2:33",
}  # fmt: skip
PUBLISHED_REPETITION_400 = {50: 88.0, 60: 75.0}

vdots = st.floats(min_value=20.0, max_value=90.0, allow_nan=False)
distances = st.floats(min_value=800.0, max_value=MARATHON_M, allow_nan=False)


# --------------------------------------------------------------------------- published tables


def test_5k_in_20_minutes_is_vdot_49_8() -> None:
    assert round(vdot(5000, 20 * 60), 1) == 49.8
    assert compute_paces(5000, 1200, MARATHON_M, None).vdot == 49.8


@pytest.mark.parametrize(
    ("v", "distance", "published"),
    [
        (v, d, t)
        for v, times in PUBLISHED_RACES.items()
        for d, t in zip(TABLE_DISTANCES, times, strict=True)
    ],
)
def test_race_times_match_daniels_tables(v: int, distance: float, published: str) -> None:
    want = parse_clock(published)
    assert race_time(v, distance) == pytest.approx(want, rel=0.004)


def test_vdot_50_headline_times_to_the_second_or_so() -> None:
    # 5K 19:57, 10K 41:21, half 1:31:35, marathon 3:10:49: within 0.4%, and in fact within 10 s.
    for distance, published in ((5000, "19:57"), (10000, "41:21"), (21097.5, "1:31:35")):
        assert abs(race_time(50, distance) - parse_clock(published)) <= 5
    assert abs(race_time(50, MARATHON_M) - parse_clock("3:10:49")) <= 10


@pytest.mark.parametrize(("v", "published"), sorted(PUBLISHED_THRESHOLD.items()))
def test_threshold_pace_matches_daniels(v: int, published: str) -> None:
    assert training_paces(v)["threshold"].mid == pytest.approx(parse_clock(published), abs=3)


@pytest.mark.parametrize(("v", "published"), sorted(PUBLISHED_INTERVAL.items()))
def test_interval_pace_matches_daniels(v: int, published: str) -> None:
    assert training_paces(v)["interval"].mid == pytest.approx(parse_clock(published), abs=3)


@pytest.mark.parametrize(("v", "per_400"), sorted(PUBLISHED_REPETITION_400.items()))
def test_repetition_pace_matches_daniels(v: int, per_400: float) -> None:
    assert training_paces(v)["repetition"].mid * 0.4 == pytest.approx(per_400, abs=1.0)


def test_vdot_50_training_paces() -> None:
    paces = training_paces(50)
    # E: Daniels gives roughly 5:02-5:32 per km at VDOT 50.
    assert paces["easy"].fast == pytest.approx(parse_clock("5:02"), abs=10)
    assert paces["easy"].slow == pytest.approx(parse_clock("5:32"), abs=10)
    # M: 4:31 per km, the pace of a 3:10:49 marathon.
    assert paces["marathon"].fast == paces["marathon"].slow
    assert paces["marathon"].mid == pytest.approx(parse_clock("4:31"), abs=2)
    # R: 88 s per 400 m is 3:40 per km.
    assert paces["repetition"].mid == pytest.approx(parse_clock("3:40"), abs=3)


# --------------------------------------------------------------------------- the model


def test_velocity_at_solves_the_oxygen_cost() -> None:
    v = velocity_at(50, 0.88)
    assert oxygen_cost(v) == pytest.approx(0.88 * 50, abs=1e-9)
    assert v == pytest.approx(1000 / parse_clock("4:15") * 60, rel=0.005)


@given(v=vdots, fraction=st.floats(min_value=0.3, max_value=1.2))
def test_velocity_at_round_trips(v: float, fraction: float) -> None:
    assert oxygen_cost(velocity_at(v, fraction)) == pytest.approx(fraction * v, abs=1e-9)


@given(v=vdots, distance=distances)
def test_race_time_round_trips(v: float, distance: float) -> None:
    assert abs(vdot(distance, race_time(v, distance)) - v) <= 1e-6


@given(distance=distances, v=vdots, factor=st.floats(min_value=0.5, max_value=0.999))
def test_faster_race_gives_higher_vdot(distance: float, v: float, factor: float) -> None:
    time = race_time(v, distance)
    assert vdot(distance, time * factor) > vdot(distance, time)


@given(v=vdots, distance=distances, gap=st.floats(min_value=0.01, max_value=10.0))
def test_higher_vdot_gives_faster_race(v: float, distance: float, gap: float) -> None:
    assert race_time(min(v + gap, 100.0), distance) < race_time(v, distance)


@given(v=vdots, gap=st.floats(min_value=0.01, max_value=10.0))
def test_higher_vdot_is_faster_in_every_zone(v: float, gap: float) -> None:
    slower = compute_paces(5000, race_time(v, 5000), HALF_MARATHON_M, None)
    faster = compute_paces(5000, race_time(v + gap, 5000), HALF_MARATHON_M, None)
    for zone in ZONES:
        assert faster.zones[zone].fast < slower.zones[zone].fast, zone
        assert faster.zones[zone].slow < slower.zones[zone].slow, zone
    for name in RACE_DISTANCES:
        assert faster.race_times[name] < slower.race_times[name], name


ZONE_ORDER = ("repetition", "interval", "threshold", "marathon", "easy")


@pytest.mark.parametrize("v", range(20, 91))
def test_zones_are_ordered_at_every_vdot(v: int) -> None:
    paces = training_paces(v)
    for faster, slower in pairwise(ZONE_ORDER):
        assert paces[faster].slow < paces[slower].fast, (faster, slower)
    assert all(p.fast <= p.slow for p in paces.values())


@given(v=vdots)
def test_zones_are_ordered_between_integers(v: float) -> None:
    paces = training_paces(v)
    sequence = [x for zone in ZONE_ORDER for x in (paces[zone].fast, paces[zone].slow)]
    assert sequence == sorted(sequence)
    assert paces["easy"].fast < paces["easy"].slow


def test_repetition_is_six_seconds_per_400m_faster_than_interval() -> None:
    for v in (20, 35, 50, 65, 90):
        paces = training_paces(v)
        assert (paces["interval"].mid - paces["repetition"].mid) * 0.4 == pytest.approx(6.0)


# --------------------------------------------------------------------------- compute_paces


def test_compute_paces_has_every_zone_and_race_time() -> None:
    paces = compute_paces(10000, parse_clock("41:21"), MARATHON_M, None)
    assert set(paces.zones) == set(ZONES)
    assert set(TRAINING_ZONES) <= set(paces.zones)
    assert set(paces.race_times) == {
        "1500m",
        "mile",
        "3k",
        "5k",
        "10k",
        "15k",
        "half",
        "marathon",
    }
    assert paces.vdot == 50.0
    assert paces.race_times["10k"] == pytest.approx(parse_clock("41:21"), abs=1e-5)
    assert paces.race_times["marathon"] == pytest.approx(parse_clock("3:10:49"), rel=0.004)
    assert paces.race_times["mile"] == pytest.approx(parse_clock("5:50"), rel=0.004)
    for zone in ZONES:
        assert paces.zones[zone].fast <= paces.zones[zone].slow


def test_race_zones_are_race_equivalent_paces() -> None:
    paces = compute_paces(5000, 1200, MARATHON_M, None)
    assert paces.zones["5k"].mid == pytest.approx(240.0, abs=1e-6)  # 20:00 is 4:00 per km
    assert paces.zones["10k"].mid == pytest.approx(paces.race_times["10k"] / 10)
    assert paces.zones["half"].mid == pytest.approx(paces.race_times["half"] / 21.0975)
    assert paces.zones["race"] == paces.zones["marathon"]  # no goal: marathon-equivalent


def test_race_zone_is_goal_pace_when_a_goal_is_given() -> None:
    paces = compute_paces(5000, 1200, HALF_MARATHON_M, parse_clock("1:32:00"))
    assert paces.zones["race"].fast == paces.zones["race"].slow
    assert paces.zones["race"].mid == pytest.approx(5520 / 21.0975)
    # The goal does not move the VDOT or the other zones.
    assert paces.vdot == 49.8
    assert paces.zones["half"].mid == pytest.approx(race_pace(vdot(5000, 1200), HALF_MARATHON_M))


@given(
    st.floats(min_value=15 * 60, max_value=35 * 60),
    st.sampled_from([HALF_MARATHON_M, MARATHON_M, 15000.0, 10000.0]),
    st.floats(min_value=0.85, max_value=1.1),
)
def test_an_hour_long_race_never_trains_at_threshold_pace(
    five_k_s: float, distance_m: float, ambition: float
) -> None:
    """Issue 11 (review round 5): a goal-capped half-marathon pace came out at 3:58 per km
    against a 4:00 threshold, for 40 minutes of race-pace tempo.  A race the athlete runs for an
    hour or more trains slower than threshold; a shorter race keeps its goal pace."""
    predicted = race_time(vdot(5000, five_k_s), distance_m)
    paces = compute_paces(5000, five_k_s, distance_m, predicted * ambition)
    threshold = paces.zones["threshold"].slow
    if predicted >= THRESHOLD_RACE_S:
        floor = min(threshold * (1 + RACE_BELOW_THRESHOLD), predicted * 1000 / distance_m)
        assert paces.zones["race"].slow >= floor - 1e-9
    else:
        goal_pace = predicted * ambition * 1000 / distance_m
        reachable = reachable_time(vdot(5000, five_k_s), distance_m) * 1000 / distance_m
        # a goal beyond reach trains at the reachable pace, a whole second (rounded up)
        trained = whole_pace_up(reachable, "km") if reachable > goal_pace else goal_pace
        assert paces.zones["race"].slow == pytest.approx(trained)


def test_an_ambitious_goal_trains_at_the_fastest_reachable_pace() -> None:
    """Issue 11 (review): a goal far beyond the fitness (a 20:00 5K runner aiming at 1:20 for
    the half) trains race-pace sessions no faster than GOAL_REACH_VDOT points of fitness more
    would race: for a marathon, still slower than threshold pace."""
    paces = compute_paces(5000, 1200, 10000, parse_clock("37:00"))
    reachable = race_time(vdot(5000, 1200) + GOAL_REACH_VDOT, 10000)
    # the reachable pace rounded up to a whole second: the pace said is the pace trained
    assert paces.zones["race"].mid == pytest.approx(whole_pace_up(reachable / 10, "km"))
    assert reachable / 10 <= paces.zones["race"].mid < reachable / 10 + 1
    assert paces.zones["race"].mid > 2220 / 10  # slower than the goal's pace
    assert reachable < paces.race_times["10k"]  # faster than the fitness predicts
    within = compute_paces(5000, 1200, 10000, reachable + 10)
    assert within.zones["race"].mid == pytest.approx((reachable + 10) / 10)
    # a half (over an hour) is held slower than threshold: 1.5 VDOT more would race it faster
    half = compute_paces(5000, 1200, HALF_MARATHON_M, parse_clock("1:20:00"))
    threshold = half.zones["threshold"].slow
    assert race_time(vdot(5000, 1200) + GOAL_REACH_VDOT, HALF_MARATHON_M) / 21.0975 < threshold
    held = whole_pace_up(threshold * (1 + RACE_BELOW_THRESHOLD), "km")
    assert half.zones["race"].mid == pytest.approx(held)
    marathon = compute_paces(21097.5, 6150, MARATHON_M, parse_clock("3:10:00"))
    assert marathon.zones["race"].mid > marathon.zones["threshold"].slow


def test_race_zone_without_goal_uses_the_goal_distance() -> None:
    paces = compute_paces(5000, 1200, 15000, None)
    assert paces.zones["race"].mid == pytest.approx(paces.race_times["15k"] / 15)


def test_paces_use_the_unrounded_vdot() -> None:
    # 49.806 rounds to 49.8; the paces are those of 49.806, not of 49.8.
    paces = compute_paces(5000, 1200, MARATHON_M, None)
    assert paces.race_times["5k"] == pytest.approx(1200.0, abs=1e-5)
    assert not math.isclose(paces.race_times["5k"], race_time(49.8, 5000), abs_tol=0.1)


# --------------------------------------------------------------------------- impossible input


@pytest.mark.parametrize(
    ("distance", "time", "race_distance", "goal", "message"),
    [
        (5000, 300, MARATHON_M, None, "VDOT 258"),  # a 5K in 5 minutes
        (42195, 20 * 3600, MARATHON_M, None, "outside the 15-100"),  # a 20-hour marathon
        (0, 1200, MARATHON_M, None, "recent race distance"),
        (-5000, 1200, MARATHON_M, None, "recent race distance"),
        (5000, 0, MARATHON_M, None, "recent race time"),
        (5000, -1200, MARATHON_M, None, "recent race time"),
        (5000, math.nan, MARATHON_M, None, "recent race time"),
        (5000, math.inf, MARATHON_M, None, "recent race time"),
        (5000, 1200, 0, None, "goal race distance"),
        (5000, 1200, MARATHON_M, 0, "goal time"),
        (5000, 1200, MARATHON_M, -1, "goal time"),
        (5000, 1200, MARATHON_M, 3600, "the goal"),  # a one-hour marathon
    ],
)
def test_impossible_input_raises(
    distance: float, time: float, race_distance: float, goal: float | None, message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        compute_paces(distance, time, race_distance, goal)


@pytest.mark.parametrize("v", [0.0, 14.9, 100.1, -50.0, math.nan, math.inf])
def test_vdot_out_of_range_raises(v: float) -> None:
    with pytest.raises(ValueError):
        race_time(v, 5000)
    with pytest.raises(ValueError):
        training_paces(v)


def test_non_positive_arguments_raise() -> None:
    with pytest.raises(ValueError):
        vdot(0, 1200)
    with pytest.raises(ValueError):
        vdot(5000, 0)
    with pytest.raises(ValueError):
        race_time(50, 0)
    with pytest.raises(ValueError):
        velocity_at(50, 0)
    with pytest.raises(ValueError):
        velocity_at(-1, 0.9)


@given(v=st.floats(min_value=VDOT_MIN, max_value=100.0), distance=distances)
def test_a_race_is_always_faster_than_its_own_easy_pace(v: float, distance: float) -> None:
    # The model holds a race at 80% of VO2max or more and easy running at 71.5% at most, so a
    # recent race can never be "slower than easy" for the VDOT it gives.
    assert race_pace(v, distance) < pace_at(v, EASY_FAST_FRACTION)


# --------------------------------------------------------------------------- stale fitness

# Daniels' table (FVDOT-1, no cross-training), as cited in compiler/plan/paces.py: days off, factor.
DANIELS_TIME_OFF = {
    5: 1.000, 6: 0.997, 7: 0.994, 10: 0.985, 14: 0.973, 21: 0.952, 28: 0.931,
    35: 0.910, 42: 0.889, 49: 0.868, 56: 0.847, 63: 0.826, 70: 0.805, 72: 0.800,
}  # fmt: skip


@pytest.mark.parametrize(("days", "factor"), DANIELS_TIME_OFF.items())
def test_time_off_factor_is_daniels_table(days: int, factor: float) -> None:
    assert time_off_factor(days / 7) == pytest.approx(factor, abs=1e-12)
    assert (days, factor) in TIME_OFF_FACTORS


@pytest.mark.parametrize("days", [0, 1, 3, 4.5, 5])
def test_no_loss_up_to_five_days(days: float) -> None:
    assert time_off_factor(days / 7) == 1.0
    assert reduced_vdot(50.0, days / 7) == 50.0


@pytest.mark.parametrize("weeks", [72 / 7, 11, 26, 52, 520, 1e9, math.inf])
def test_the_loss_stops_at_20_percent(weeks: float) -> None:
    assert time_off_factor(weeks) == 0.8
    assert reduced_vdot(50.0, weeks) == pytest.approx(40.0)


def test_about_7_percent_after_4_weeks_15_after_8() -> None:
    assert 1 - time_off_factor(4) == pytest.approx(0.069)
    assert 1 - time_off_factor(8) == pytest.approx(0.153)


def test_time_off_interpolates_between_rows() -> None:
    # 17.5 days: halfway between 14 days (0.973) and 21 days (0.952)
    assert time_off_factor(2.5) == pytest.approx((0.973 + 0.952) / 2)


@given(
    a=st.floats(min_value=0.0, max_value=20.0, allow_nan=False),
    b=st.floats(min_value=0.0, max_value=20.0, allow_nan=False),
)
def test_more_time_off_never_leaves_more_fitness(a: float, b: float) -> None:
    shorter, longer = sorted((a, b))
    assert time_off_factor(longer) <= time_off_factor(shorter)
    assert 0.8 <= time_off_factor(longer) <= 1.0


def test_time_off_is_monotone_and_continuous_on_a_fine_grid() -> None:
    factors = [time_off_factor(day / 70) for day in range(0, 1000)]  # tenths of a day
    assert all(b <= a for a, b in pairwise(factors))
    assert max(a - b for a, b in pairwise(factors)) < 0.001  # no jumps


def test_time_off_must_be_a_number() -> None:
    with pytest.raises(ValueError):
        time_off_factor(math.nan)


def test_reduced_vdot_keeps_to_the_models_floor() -> None:
    assert reduced_vdot(17.0, 11) == VDOT_MIN  # 13.6 would be below the model's range
    assert reduced_vdot(40.0, 11) == pytest.approx(40.0 * 0.8)


@pytest.mark.parametrize(
    ("age", "weeks_off"),
    [(0, 0), (10, 0), (26, 0), (27, 0.25), (30, 1), (42, 4), (58, 8), (80, 8), (520, 8)],
)
def test_a_stale_race_counts_a_week_off_per_4_weeks_beyond_26(age: float, weeks_off: float) -> None:
    assert stale_weeks_off(age) == pytest.approx(weeks_off)


START = dt.date(2026, 11, 30)


def test_detraining_of_a_fresh_race_is_nothing() -> None:
    off = detraining(dt.date(2026, 10, 18), 0.0, START)
    assert off.weeks_off == 0 and off.factor == 1.0 and off.cause is None and not off.stale
    assert detraining(None, 0.0, START).cause is None


def test_detraining_of_an_old_race() -> None:
    off = detraining(START - dt.timedelta(weeks=46), 0.0, START)
    assert off.stale and off.cause == "age"
    assert off.weeks_off == pytest.approx(5.0)
    assert off.factor == pytest.approx(0.910)
    assert (
        off.reason() == "a race 46 weeks before the plan starts, counted as 5 weeks without running"
    )


def test_a_slightly_stale_race_is_stale_without_loss() -> None:
    off = detraining(START - dt.timedelta(weeks=27), 0.0, START)
    assert off.stale and off.cause == "age" and off.loss == 0


def test_detraining_from_a_time_off_note() -> None:
    off = detraining(dt.date(2026, 10, 18), 4.0, START)
    assert off.cause == "time-off" and not off.stale
    assert off.loss == pytest.approx(0.069)
    assert off.reason() == "4 weeks without running since the race"
    assert detraining(None, 4.0, START).cause == "time-off"  # no date needed


def test_a_short_break_costs_nothing_and_says_nothing() -> None:
    off = detraining(dt.date(2026, 10, 18), 5 / 7, START)
    assert off.loss == 0 and off.cause is None


def test_the_larger_of_note_and_age_counts_not_both() -> None:
    old = START - dt.timedelta(weeks=46)  # counts as 5 weeks off
    assert detraining(old, 2.0, START).weeks_off == pytest.approx(5.0)
    assert detraining(old, 2.0, START).cause == "age"
    assert detraining(old, 7.0, START).weeks_off == pytest.approx(7.0)
    assert detraining(old, 7.0, START).cause == "time-off"


def test_a_race_after_the_plan_start_is_not_stale() -> None:
    off = detraining(START + dt.timedelta(days=10), 0.0, START)
    assert off.race_age_weeks == 0 and off.cause is None


@pytest.mark.parametrize(
    ("weeks", "text"),
    [(0, "0 weeks"), (1 / 7, "1 day"), (10 / 7, "10 days"), (1, "1 week"), (3, "3 weeks"),
     (4.5, "4.5 weeks"), (7.3, "7.3 weeks")],
)  # fmt: skip
def test_format_weeks(weeks: float, text: str) -> None:
    assert format_weeks(weeks) == text


def test_compute_paces_reduces_the_vdot_for_time_off() -> None:
    fresh = compute_paces(5000, 1200, HALF_MARATHON_M, None)
    rested = compute_paces(5000, 1200, HALF_MARATHON_M, None, weeks_off=4)
    assert rested.vdot == round(vdot(5000, 1200) * 0.931, 1)
    for zone in ZONES:
        assert rested.zones[zone].fast > fresh.zones[zone].fast, zone
    assert rested.race_times["5k"] == pytest.approx(race_time(vdot(5000, 1200) * 0.931, 5000))
    assert compute_paces(5000, 1200, HALF_MARATHON_M, None, weeks_off=0.5) == fresh


def test_time_off_does_not_move_a_reachable_goal_pace() -> None:
    goal = parse_clock("46:00")  # within reach of the fitness left after six weeks off
    rested = compute_paces(5000, 1200, 10000, goal, weeks_off=6)
    assert goal >= reachable_time(reduced_vdot(vdot(5000, 1200), 6), 10000)
    assert rested.zones["race"].mid == pytest.approx(goal / 10)


def test_time_off_holds_a_goal_it_puts_out_of_reach() -> None:
    goal = parse_clock("41:00")  # reachable from the race, not after six weeks off
    fresh = compute_paces(5000, 1200, 10000, goal)
    rested = compute_paces(5000, 1200, 10000, goal, weeks_off=6)
    assert fresh.zones["race"].mid == pytest.approx(goal / 10)
    reachable = reachable_time(reduced_vdot(vdot(5000, 1200), 6), 10000)
    assert reachable > goal
    assert rested.zones["race"].mid == pytest.approx(whole_pace_up(reachable / 10, "km"))


def _clock_validator() -> Draft202012Validator:
    schema = json.loads((schemas_dir() / "athlete.schema.json").read_text("utf-8"))
    return Draft202012Validator(schema["$defs"]["clock"])


@pytest.mark.parametrize(
    ("written", "seconds"),
    [("61:30", 3690.0), ("1:01:30", 3690.0), ("48:30", 2910.0), ("125:00", 7500.0)],
)
def test_a_race_time_past_the_hour_reads_as_minutes(written: str, seconds: float) -> None:
    """Runners write a 61-minute 10K as "61:30": the schema accepts it and it reads as 1:01:30."""
    assert _clock_validator().is_valid(written)
    assert parse_clock(written) == seconds


@pytest.mark.parametrize("written", ["1:61:00", "61:60", "7:5", "1234:00"])
def test_a_race_time_with_minutes_or_seconds_out_of_range_is_refused(written: str) -> None:
    assert not _clock_validator().is_valid(written)
    with pytest.raises(ValueError):
        parse_clock(written)


@given(st.floats(min_value=150, max_value=500), st.sampled_from(["km", "mi"]))
def test_a_held_race_pace_is_a_whole_second_in_the_athlete_s_unit(
    s_per_km: float, unit: Unit
) -> None:
    """Round 11: the 10K sessions trained at 4:51.5/km, said as 4:52/km (48:40 over 10 km), and
    the warning said 48:35.  A pace held short of the goal is a whole second in the athlete's
    unit, never faster than the pace it rounds, so the pace said is the pace trained."""
    held = whole_pace_up(s_per_km, unit)
    per_unit = held * MILE / 1000 if unit == "mi" else held
    assert per_unit == pytest.approx(round(per_unit), abs=1e-6)
    assert s_per_km - 1e-6 <= held < s_per_km + (1000 / MILE if unit == "mi" else 1)
    seconds = round(per_unit)
    assert format_pace(held, unit, step=1) == f"{seconds // 60}:{seconds % 60:02d}/{unit}"


@given(
    st.floats(min_value=15 * 60, max_value=35 * 60),
    st.sampled_from([HALF_MARATHON_M, MARATHON_M, 15000.0, 10000.0, 5000.0]),
    st.floats(min_value=0.9, max_value=1.05),
    st.sampled_from(["km", "mi"]),
)
def test_a_race_pace_is_held_only_when_it_reads_slower_than_the_goal(
    five_k_s: float, distance_m: float, ambition: float, unit: Unit
) -> None:
    """Round 20: an injury-prone half runner's pace table read "Race (held from your goal)
    5:19/km" beside a goal of 5:19/km and a text saying the sessions train at the goal pace:
    the below-threshold floor held the pace by a fraction of a second, then rounded to the
    goal's own second.  A race pace is held (Paces.race_held) exactly when the athlete reads
    it slower than the goal's pace, to the second in their unit."""
    predicted = race_time(vdot(5000, five_k_s), distance_m)
    goal_s = predicted * ambition
    paces = compute_paces(5000, five_k_s, distance_m, goal_s, unit=unit)
    per_unit = METRES_PER[unit] / 1000.0
    reads = round(paces.zones["race"].fast * per_unit)
    goal_reads = round(goal_s * 1000.0 / distance_m * per_unit)
    assert bool(paces.race_held) == (reads != goal_reads)
    if paces.race_held:
        assert reads > goal_reads


def test_round_20s_injury_prone_half_trains_at_its_goal_pace_unheld() -> None:
    """Round 20's athlete: a 51:30 10K, a 1:52:00 half goal (5:18.5/km).  The floor below
    threshold held the pace at a fraction of a second slower, 5:19/km as she reads it: her
    goal's own pace, so not "held from your goal"."""
    goal_s = parse_clock("1:52:00")
    paces = compute_paces(10000, parse_clock("51:30"), HALF_MARATHON_M, goal_s)
    assert paces.race_held == ""
    assert format_pace(paces.zones["race"].fast, "km", step=1) == "5:19/km"
    assert format_pace(goal_s * 1000.0 / HALF_MARATHON_M, "km", step=1) == "5:19/km"
