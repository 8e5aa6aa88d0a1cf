"""A 5K or 10K taper's long run is at most 75% of the plan's longest (round 20, defect 4).

Round 20's r20-masters-10k ran its 10.8 mi peak long run 7 days before the 10K: the taper's
share of the last 30 days' longest counted a B half's 14 mi as a long run.  The bundled 5K and
10K programs' `taper_long_run_max: 75%` (as the marathon's) holds a taper week's long run to
75% of the plan's longest long run, races not counted: 8.4 mi after an 11.2 mi peak.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from hypothesis import example, given, settings
from hypothesis import strategies as st
from test_careful_c_race import MASTERS_10K
from test_properties import SETTINGS, compile_profile, profiles

TAPER_LONG_RUN_MAX = 0.75  # the bundled 5K and 10K programs' taper_long_run_max
SLACK_M = 50.0


@settings(SETTINGS, max_examples=min(SETTINGS.max_examples, 30))
@given(
    profiles(),
    st.sampled_from(["5k", "10k"]),
    st.integers(10, 18),
    st.integers(25, 90),
    st.floats(0.3, 0.45),
)
@example(MASTERS_10K, "10k", 0, 0, 0.0)
def test_a_taper_long_run_is_at_most_75_percent_of_the_longest(
    profile: dict[str, Any], program: str, runway: int, volume_km: int, long_share: float
) -> None:
    """Each taper week's long run is at most 75% of the longest long run before it (the
    athlete's current one counted, races not)."""
    if profile["id"] != MASTERS_10K["id"]:
        per_unit = 1.609344 if profile["units"] == "mi" else 1.0
        start = dt.date.fromisoformat(profile["start"])
        race_day = start + dt.timedelta(weeks=runway - 1, days=6)
        profile = {
            **{k: v for k, v in profile.items() if k not in ("away",)},
            "race": {"program": program, "date": race_day.isoformat()},
            "fitness": {
                **profile["fitness"],
                "weekly_volume": f"{volume_km / per_unit:.1f}{profile['units']}",
                "long_run": f"{long_share * volume_km / per_unit:.1f}{profile['units']}",
            },
        }
    case = compile_profile(profile)
    longest = case.blueprint.athlete.long_run_m
    for week in case.plan.weeks:
        longs = [w for w in week.workouts if w.role == "long" and w.category != "race"]
        for run in longs:
            if week.phase == "taper":
                assert run.distance_m <= TAPER_LONG_RUN_MAX * longest + SLACK_M, (
                    week.index,
                    run.title,
                    longest,
                )
            longest = max(longest, run.distance_m)
