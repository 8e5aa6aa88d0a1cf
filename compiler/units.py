"""Units: every number in a template carries one ("400m", "15min", "10%", "4:30/km").

Internally distances are metres, durations seconds and paces seconds per kilometre; they are turned
into the athlete's units (km or mi) only when text is rendered.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

METRES_PER = {"m": 1.0, "km": 1000.0, "mi": 1609.344}
SECONDS_PER = {"s": 1.0, "sec": 1.0, "min": 60.0, "h": 3600.0}
MILE = METRES_PER["mi"]

Unit = Literal["km", "mi"]
Dimension = Literal["distance", "duration"]

_NUMBER = r"\d+(?:\.\d+)?"
DISTANCE_RE = re.compile(rf"^\s*({_NUMBER})\s*(m|km|mi)\s*$")
DURATION_PART_RE = re.compile(rf"({_NUMBER})\s*(h|min|sec|s)")
DURATION_RE = re.compile(rf"^\s*(?:{_NUMBER}\s*(?:h|min|sec|s)\s*)+$")
# h:mm:ss, or mm:ss with any minutes ("61:30" is how many runners write a 10K past the hour)
CLOCK_RE = re.compile(r"^\s*(?:(\d+):([0-5]?\d)|(\d{1,3})):([0-5]\d(?:\.\d+)?)\s*$")
PERCENT_RE = re.compile(rf"^\s*({_NUMBER})\s*%\s*$")


class UnitError(ValueError):
    """A value whose number or unit cannot be read; the message says what is expected."""


@dataclass(frozen=True)
class Amount:
    """A step's size: a distance in metres or a duration in seconds."""

    dimension: Dimension
    value: float

    def __str__(self) -> str:
        if self.dimension == "distance":
            return format_metres_plain(self.value)
        return format_seconds_plain(self.value)


def parse_distance(text: str) -> float:
    """'400m' -> 400.0, '5km' -> 5000.0, '3mi' -> 4828.032."""
    match = DISTANCE_RE.match(str(text))
    if not match:
        raise UnitError(f"'{text}' is not a distance; write a number and a unit: 400m, 5km, 3mi")
    return float(match.group(1)) * METRES_PER[match.group(2)]


# a race's name for its distance, as runners write it in a result ("half: 1:45:10")
RACE_DISTANCES = {
    "5k": 5000.0,
    "10k": 10000.0,
    "half": 21097.5,
    "half-marathon": 21097.5,
    "marathon": 42195.0,
}


def parse_race_distance(text: str) -> float:
    """A race's distance: as `parse_distance`, or a race's name (`5k`, `10k`, `half`,
    `half-marathon`, `marathon`)."""
    named = RACE_DISTANCES.get(str(text).strip().lower())
    if named is not None:
        return named
    try:
        return parse_distance(text)
    except UnitError:
        raise UnitError(
            f"'{text}' is not a distance or a race; write a number and a unit (5km, 3mi) or "
            f"{', '.join(RACE_DISTANCES)}"
        ) from None


def parse_duration(text: str) -> float:
    """'90s' -> 90.0, '15min' -> 900.0, '1h30min' -> 5400.0, also clock form '1:30:00'."""
    text = str(text)
    clock = CLOCK_RE.match(text)
    if clock:
        return parse_clock(text)
    if not DURATION_RE.match(text):
        raise UnitError(
            f"'{text}' is not a duration; write a number and a unit: 90s, 15min, 1h30min"
        )
    return sum(float(n) * SECONDS_PER[u] for n, u in DURATION_PART_RE.findall(text))


def parse_clock(text: str) -> float:
    """A race time: '48:30' or '61:30' (mm:ss) or '1:45:00' (h:mm:ss) -> seconds."""
    match = CLOCK_RE.match(str(text))
    if not match:
        raise UnitError(f"'{text}' is not a time; write mm:ss or h:mm:ss, e.g. 48:30 or 1:45:00")
    hours, minutes, only_minutes, seconds = match.groups()
    return int(hours or 0) * 3600 + int(minutes or only_minutes) * 60 + float(seconds)


def parse_amount(text: str) -> Amount:
    """A distance or a duration, whichever the text is."""
    return _parse_amount(str(text))


@lru_cache(maxsize=1024)
def _parse_amount(text: str) -> Amount:
    """``parse_amount`` once per text: planc check sizes a param's steps in every week of every
    phase length (compiler/sources/template_text.py), the same few texts thousands of times."""
    if DISTANCE_RE.match(text):
        return Amount("distance", parse_distance(text))
    if DURATION_RE.match(text) or CLOCK_RE.match(text):
        return Amount("duration", parse_duration(text))
    raise UnitError(
        f"'{text}' is neither a distance nor a duration; write e.g. 400m, 5km, 2mi, 90s or 15min"
    )


def parse_percent(text: str | float | int) -> float:
    """'10%' -> 0.10."""
    match = PERCENT_RE.match(str(text))
    if not match:
        raise UnitError(f"'{text}' is not a percentage; write e.g. 10%")
    return float(match.group(1)) / 100.0


def to_unit(metres: float, unit: Unit) -> float:
    return metres / METRES_PER[unit]


def format_distance(metres: float, unit: Unit, places: int = 1) -> str:
    """A distance for people, in the athlete's units: '12.5 km', '7.8 mi'; short reps in metres."""
    if metres < 1000 and metres > 0 and float(metres).is_integer():
        return f"{int(metres)} m"
    value = to_unit(metres, unit)
    text = f"{value:.{places}f}".rstrip("0").rstrip(".") if places else f"{value:.0f}"
    return f"{text} {unit}"


def format_metres_plain(metres: float) -> str:
    """A template's distance as its text writes it: '400m', '1200m', '5km'.  A rep below
    TRACK_REPS_UP_TO that is no whole kilometre stays in metres, as a track session names it
    (round 19: a runner in miles read "4 x 1.2km", steps in 0.7 mi; coaches write 4 x 1200m)."""
    if metres < 1000 or (metres < TRACK_REPS_UP_TO and not (metres / 1000).is_integer()):
        return f"{metres:g}m"
    return f"{metres / 1000:g}km"


TRACK_REPS_UP_TO = 2000.0  # metres: shorter reps that are no whole kilometre read in metres


def format_seconds_plain(seconds: float) -> str:
    seconds = round(seconds)
    if seconds < 60:
        return f"{seconds}s"
    minutes, secs = divmod(seconds, 60)
    if secs:
        return f"{minutes}min{secs}s"
    hours, minutes = divmod(minutes, 60)
    if hours:
        return f"{hours}h{minutes}min" if minutes else f"{hours}h"
    return f"{minutes}min"


SPOKEN_MINUTES_BELOW = 100  # durations shorter than this are said in minutes ('64 min')


def format_duration(seconds: float) -> str:
    """A duration for people, the one way every text an athlete reads says it: '90 s' under
    two minutes, whole minutes under SPOKEN_MINUTES_BELOW ('45 min', '64 min', '95 min': two
    digits read at a glance, and how coaches say a block or a run), hours and minutes from
    there ('1 h 45 min', '2 h', '2 h 05 min': three-digit minutes need a sum)."""
    seconds = round(seconds)
    if seconds < 120 and seconds % 60:
        return f"{seconds} s"
    minutes = round(seconds / 60)
    if minutes < SPOKEN_MINUTES_BELOW:
        return f"{minutes} min"
    hours, minutes = divmod(minutes, 60)
    return f"{hours} h {minutes:02d} min" if minutes else f"{hours} h"


def format_clock(seconds: float) -> str:
    """A race time: '19:57', '1:31:35'."""
    total = round(seconds)
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return f"{hours}:{minutes:02d}:{secs:02d}"
    return f"{minutes}:{secs:02d}"


def round_pace(s_per_km: float, unit: Unit, step: int = 5) -> float:
    """Round a pace to ``step`` seconds in the athlete's unit; returns seconds per km."""
    per_unit = s_per_km * METRES_PER[unit] / 1000.0
    rounded = step * round(per_unit / step)
    return rounded * 1000.0 / METRES_PER[unit]


def whole_pace_up(s_per_km: float, unit: Unit) -> float:
    """A pace rounded up (slower) to a whole second in the athlete's unit; returns seconds per
    km.  A pace said to the second is then the pace trained, and the pace times the distance
    the time said beside it (4:51.5/km is '4:52/km', 48:35 for 10 km: a reader makes 48:40)."""
    per_unit = s_per_km * METRES_PER[unit] / 1000.0
    return math.ceil(per_unit - 1e-6) * 1000.0 / METRES_PER[unit]


def format_pace(s_per_km: float, unit: Unit, step: int = 5) -> str:
    """'4:15/km' or '6:50/mi', rounded to ``step`` seconds in the athlete's unit."""
    per_unit = round(round_pace(s_per_km, unit, step) * METRES_PER[unit] / 1000.0)
    minutes, secs = divmod(int(per_unit), 60)
    return f"{minutes}:{secs:02d}/{unit}"


EXACT_PACE_S = 0.5  # s/km: a range narrower than this is one pace, shown to the second


def single_pace(low: float, high: float) -> bool:
    """Whether a pace range (s/km) is one pace (race, threshold), not a range (easy)."""
    return abs(high - low) < EXACT_PACE_S


def format_pace_range(low: float, high: float, unit: Unit) -> str:
    """A pace range, fast end first: '5:00-5:30/km', its ends rounded to 5 s (a range is a
    feel, not a number to hit); a single pace (race, threshold, interval) to the second, as a
    goal pace rounded to 5 s can miss the goal (7:15/mi runs a 10K in 45:03, not under 45)."""
    if single_pace(low, high):
        return format_pace(low, unit, step=1)
    fast, slow = format_pace(min(low, high), unit), format_pace(max(low, high), unit)
    if fast == slow:
        return fast
    return f"{fast.split('/')[0]}-{slow}"


def round_to(value: float, step: float) -> float:
    if step <= 0:
        return value
    return step * math.floor(value / step + 0.5)
