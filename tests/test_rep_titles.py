"""A template's distances read as a coach writes them (round 19: a runner in miles read
"4 x 1.2km at I pace" while the steps said 0.7 mi; coaches write 4 x 1200m)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from compiler.units import TRACK_REPS_UP_TO, format_metres_plain, parse_distance


@given(st.integers(1, 400).map(lambda n: n * 50.0))
def test_a_distance_reads_back_as_itself(metres: float) -> None:
    """Every template distance (whole 50 m up to 20 km) reads back to the same metres, track
    reps that are no whole kilometre in metres, the rest in whole or decimal kilometres."""
    text = format_metres_plain(metres)
    assert parse_distance(text) == metres
    whole_km = (metres / 1000).is_integer()
    if metres < 1000 or (metres < TRACK_REPS_UP_TO and not whole_km):
        assert text == f"{metres:g}m"
    else:
        assert text.endswith("km")


def test_track_reps_in_metres() -> None:
    assert [format_metres_plain(m) for m in (400, 1000, 1200, 1600, 2000, 2500)] == [
        "400m",
        "1km",
        "1200m",
        "1600m",
        "2km",
        "2.5km",
    ]
