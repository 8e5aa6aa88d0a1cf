"""Review round 20: the first full week back from a break held quality work.  r20-injury-half came
back from a 10-day trip on a Thursday (W9: four easy days) and ran 3 x 6 min cruise intervals on
the Tuesday of W10, the fifth day back, then a tempo in W11 (round 20's build had a race-pace
tempo there).  A week starting fewer than the program's `return_from_break.easy_days` (bundled 7)
after the first day back runs easy, as the week the break ends in, but for the program's
`light_session` (bundled: the light fartlek); the week after takes one session, and neither
it nor the first full week after the weeks back is at race pace (no half or marathon pace
block yet).  All athletes, not only the injury-prone.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from hypothesis import example, given, settings
from hypothesis import strategies as st
from test_coaching_rules import nominal, with_trip
from test_properties import SETTINGS, Case, compile_profile, profiles
from test_return_second_week import INJURY_HALF

from compiler.model import Step, Workout
from compiler.plan.periodize import breaks
from compiler.vocabulary import Zone

RACE_PACES = frozenset({Zone.RACE, Zone.HALF, Zone.MARATHON})


def _zones(steps: Iterable[Step]) -> set[Zone]:
    out: set[Zone] = set()
    for step in steps:
        if step.zone is not None:
            out.add(step.zone)
        out |= _zones(step.steps)
    return out


def _hard(workout: Workout) -> bool:
    return workout.slot == "run" and workout.intensity == "hard" and workout.category != "race"


def _check_return(case: Case) -> None:
    """No hard session in a week starting fewer than `easy_days` after a break's first day back
    but its `light_session` (none in the week the first day back lies in); no race-specific
    session (the program's `race_specific.quality`) in the weeks back nor the first full week
    after them."""
    rules = case.blueprint.program.rules
    easy, light = rules.return_easy_days, rules.return_light_session
    backs = [last + dt.timedelta(days=1) for _first, last in breaks(case.blueprint.athlete)]
    plans = {w.index: w for w in nominal(case)}
    for week in case.plan.weeks:
        for back in backs:
            if week.holds(back) or 0 < (week.start - back).days < easy:
                # the light session only in a week starting after the first day back
                hard = [
                    w.title
                    for w in week.workouts
                    if _hard(w) and w.date >= back and (week.holds(back) or w.template != light)
                ]
                assert not hard, (week.index, back, hard)
        plan = plans[week.index]
        if plan.returning or plan.after_break:  # the race-specific session waits
            specific = rules.race_specific_quality
            fast = [w.title for w in week.workouts if _hard(w) and w.template == specific]
            assert not fast, (week.index, fast)


@st.composite
def with_a_break(draw: st.DrawFn) -> dict[str, Any]:
    """Any athlete drawn by ``profiles()`` with one trip of 7-14 days somewhere in the first
    half of the runway, ending at least five weeks before race day."""
    profile = {k: v for k, v in draw(profiles()).items() if k != "away"}
    length = draw(st.integers(7, 14))
    at = draw(st.floats(0.15, 0.5))
    profile, _from, _to = with_trip(profile, length, at, clear_days=35)
    return profile


@settings(SETTINGS, max_examples=min(SETTINGS.max_examples, 40))
@given(with_a_break())
@example(INJURY_HALF).via("review 20: cruise intervals on the fifth day back after ten days off")
def test_the_first_week_back_is_easy(profile: dict[str, Any]) -> None:
    """The first full week back from a break runs easy; the next has no race-pace block."""
    _check_return(compile_profile(profile))


def test_injury_half_first_full_week_back_is_easy() -> None:
    """The reviewer's athlete: W10 (from Mon 2027-02-08, the first full week back) holds no
    quality session but the light fartlek; W11 holds one, at threshold, not at race pace."""
    case = compile_profile(INJURY_HALF)
    weeks = {w.start: w for w in case.plan.weeks}
    first = [w.template for w in weeks[dt.date(2027, 2, 8)].workouts if _hard(w)]
    assert first in ([], ["light-fartlek"], ["light-hills"]), first
    second = [w for w in weeks[dt.date(2027, 2, 15)].workouts if _hard(w)]
    assert len(second) <= 1 and not any(_zones(w.steps) & RACE_PACES for w in second)
