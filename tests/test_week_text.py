"""Review round 22, defect 6: a week's text (its purpose line in plan.md and on the page) is
true of the sessions planned in it, after sizing and softening: "easy running" is not said of
a week with a tempo or a long run with 50-65 min at goal pace in it (a 3:35 marathoner's week
back from a trip and the week after), nor "speed work" of a beginner's first light fartlek."""

from __future__ import annotations

from typing import Any

from hypothesis import example, given
from review_athletes import R22_BEGINNER_5K as BEGINNER_5K
from test_properties import SETTINGS, compile_profile, profiles
from test_race_blocks import MARATHONER_AWAY_MI

from compiler.emit.purpose import week_purpose
from compiler.model import Week

EASY_ZONES = {"recovery", "easy", "steady", None}


def _hard(week: Week) -> list[str]:
    """The week's quality sessions and long runs with a block faster than steady."""
    return [
        w.title
        for w in week.workouts
        if w.role == "quality"
        or (w.role == "long" and any(s.zone not in EASY_ZONES for s in w.steps))
    ]


@SETTINGS
@given(profiles())
@example(MARATHONER_AWAY_MI)
@example(BEGINNER_5K)
def test_a_week_s_text_is_true_of_its_sessions(profile: dict[str, Any]) -> None:
    case = compile_profile(profile)
    light = case.blueprint.program.rules.return_light_session
    for week in case.plan.weeks:
        text = week_purpose(case.plan, week)
        said = (week.index, text)
        if "easy running to ease back in" in text or "with easy running" in text:
            assert not _hard(week), (*said, _hard(week))
        if "Speed work begins" in text:
            quality = [w.template for w in week.workouts if w.role == "quality"]
            assert any(name != light for name in quality), (*said, quality)
