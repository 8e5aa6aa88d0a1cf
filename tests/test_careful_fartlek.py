"""A masters or injury-prone athlete's fartlek (review round 20): r20-masters-10k, 58, ran the
base's light fartlek at 9-10 x 1 min, where a coach gives 6-8.  A numeric workout param may say
`careful_max`, the most it is for a masters or injury-prone athlete; the bundled light fartlek's
reps hold at 8 for them."""

from __future__ import annotations

from typing import Any

from hypothesis import example, given, settings
from hypothesis import strategies as st
from test_careful_c_race import MASTERS_10K
from test_properties import SETTINGS, compile_profile, profiles

from compiler.model import Step, Workout

# the base's light sessions: both hold their reps at `careful_max` (round 22: hills too)
LIGHT = ("light-fartlek", "light-hills")


def _reps(workout: Workout) -> int:
    def walk(steps: tuple[Step, ...]) -> int:
        return max((max(s.repeat, walk(s.steps)) for s in steps), default=0)

    return walk(workout.steps)


@st.composite
def careful_profiles(draw: st.DrawFn) -> dict[str, Any]:
    """An athlete drawn by ``profiles()``, masters (50-75) or injury-prone."""
    profile = dict(draw(profiles()))
    if draw(st.booleans()):
        profile["age"] = draw(st.integers(50, 75))
    else:
        profile["injury_prone"] = True
    return profile


@settings(SETTINGS, max_examples=min(SETTINGS.max_examples, 30))
@given(careful_profiles())
@example(MASTERS_10K).via("review 20: 9-10 x 1 min of fartlek at 58")
def test_a_careful_athletes_fartlek_is_held(profile: dict[str, Any]) -> None:
    """No light fartlek of a masters or injury-prone athlete has more reps than its
    `careful_max`."""
    case = compile_profile(profile)
    for name in LIGHT:
        template = case.blueprint.workouts.get(name)
        if template is None:
            continue
        most = next(p.careful_max for p in template.params if p.name == "reps")
        assert most is not None
        for workout in case.plan.workouts:
            if workout.template == name:
                assert _reps(workout) <= most, (workout.date, workout.title)


def test_masters_fartlek_is_eight_reps() -> None:
    """The reviewer's athlete: every fartlek 8 x 1 min, none 9 or 10."""
    case = compile_profile(MASTERS_10K)
    fartleks = [w for w in case.plan.workouts if w.template in LIGHT]
    assert fartleks and {_reps(w) for w in fartleks} == {8}, [w.title for w in fartleks]
