"""A week's notes (explain and plan.json) say each session's trim once: from its first size to
its last, not a line a rep (review round 21: seven lines of "reps 9 instead of 10", "reps 8
instead of 9", ...)."""

from __future__ import annotations

import collections
from typing import Any

from hypothesis import example, given
from test_long_run_target import SHORT_10K
from test_properties import SETTINGS, compile_profile, profiles

from compiler.plan.sizing import TRIM_NOTE


@SETTINGS
@given(profiles())
@example(SHORT_10K)
def test_a_session_trimmed_in_steps_is_one_note(profile: dict[str, Any]) -> None:
    case = compile_profile(profile)
    for week in case.plan.weeks:
        trims = [m["what"] for m in map(TRIM_NOTE.match, week.notes) if m is not None]
        twice = [what for what, n in collections.Counter(trims).items() if n > 1]
        assert not twice, (week.index, week.notes)


def test_round_21s_interval_session_trimmed_from_six_reps_to_four_is_one_note() -> None:
    case = compile_profile(SHORT_10K)
    notes = [n for week in case.plan.weeks for n in week.notes if "vo2max-intervals with" in n]
    assert any("reps 4 instead of 6" in n for n in notes), notes
