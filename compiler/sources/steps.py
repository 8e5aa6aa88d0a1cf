"""The small languages inside workout templates: step targets and parameter progressions.

A target is ``<amount> [@ <zone>]`` where amount is a distance (``400m``), a duration (``15min``) or
``fill`` (the distance the plan gives the session).  A parameter is a constant or a progression
``{start, end, step}`` that moves linearly over the weeks of a phase.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

from ..model import ZONES, Param
from ..units import Amount, UnitError, format_metres_plain, format_seconds_plain, parse_amount
from ..units import round_to as _round_to
from ..vocabulary import Zone

FILL = "fill"
# a step's keys besides its action
STEP_EXTRAS = frozenset({"steps", "sets", "reps", "hold", "note", "by"})

# The sizes a session can have.  planc check holds every template to them (for every value a
# count or a step can come to that it can work out), and planc build holds every session it
# renders to them again (docs/security.md, "Plans").
MAX_COUNT = 100  # one repeat count: 1 to this
MAX_REPETITIONS = 100  # times a step is done in one session: nested repeats multiply
MAX_STEP_M = 100_000.0  # one step: no single step of a training session is longer than this
MAX_STEP_S = 6 * 3600.0
MAX_SESSION_STEPS = 1_000  # steps of one session once its repeats are written out
MAX_SESSION_M = 200_000.0  # one session's running distance, its fill included
MAX_SESSION_S = 36 * 3600.0  # how long one session takes: its calendar event ends within 2 days
# Paces bounding every pace planc computes (compiler/plan/paces.py: VDOT 15 to 100; walking breaks
# at 600 s/km), so planc check can bound a session's distance and time without an athlete.
FASTEST_PACE = 100.0  # seconds per km
SLOWEST_PACE = 900.0


@dataclass(frozen=True)
class Target:
    amount: Amount | None  # None means fill
    zone: Zone | None


def is_fill(text: str | None) -> bool:
    """Whether a step target, as written, is `fill` (with or without a zone)."""
    return (text or "").partition("@")[0].strip() == FILL


@functools.lru_cache(maxsize=4096)  # a plan parses the same few hundred targets again and again
def parse_target(text: str) -> Target:
    """'400m @ 5k' -> Target(Amount(distance, 400), '5k'); 'fill @ easy' -> Target(None, 'easy')."""
    amount_text, _, zone_text = str(text).partition("@")
    amount_text, written = amount_text.strip(), zone_text.strip() or None
    if written is not None and written not in ZONES:
        raise UnitError(f"unknown pace zone '{written}' in '{text}'; zones: {', '.join(ZONES)}")
    zone = None if written is None else Zone(written)
    if is_fill(amount_text):
        return Target(None, zone)
    return Target(parse_amount(amount_text), zone)


def repeat_count(text: str) -> int:
    """A repeat count as rendered: a whole number from 1 to MAX_COUNT, else ValueError."""
    written = str(text).strip()
    if not written.isdigit() or not written.isascii():
        raise ValueError(f"repeat count '{written[:40]}' is not a whole number")
    if len(written) > 10 or not 1 <= int(written) <= MAX_COUNT:
        raise ValueError(f"repeat count {written[:40]} must be between 1 and {MAX_COUNT}")
    return int(written)


def step_target(text: str) -> Target:
    """A step target as rendered, of a size one step can have: at most MAX_STEP_M or
    MAX_STEP_S, more than zero.  UnitError when it does not parse, ValueError when it is too
    big or too small."""
    target = parse_target(text)
    amount = target.amount
    if amount is None:
        return target
    if amount.dimension == "distance" and not 0 < amount.value <= MAX_STEP_M:
        raise ValueError(
            f"'{str(text).strip()[:60]}' is not a distance one step can have "
            f"(0 to {MAX_STEP_M / 1000:g} km)"
        )
    if amount.dimension == "duration" and not 0 < amount.value <= MAX_STEP_S:
        raise ValueError(
            f"'{str(text).strip()[:60]}' is not a duration one step can have "
            f"(0 to {MAX_STEP_S / 3600:g} h)"
        )
    return target


def param_value(param: Param, week: int, weeks: int) -> int | float | str:
    """The parameter's value in week ``week`` (1-based) of a phase of ``weeks`` weeks."""
    if not param.progresses:
        return param.start
    end = param.end
    assert end is not None
    fraction = 0.0 if weeks <= 1 else (week - 1) / (weeks - 1)
    if isinstance(param.start, int | float) and isinstance(end, int | float):
        value = param.start + (end - param.start) * fraction
        default_step: float = 1 if isinstance(param.start, int) and isinstance(end, int) else 0
        step = float(param.step) if isinstance(param.step, int | float) else default_step
        rounded = _round_to(value, step) if step else value
        return int(rounded) if float(rounded).is_integer() else round(rounded, 2)
    start_amount, end_amount = parse_amount(str(param.start)), parse_amount(str(end))
    if start_amount.dimension != end_amount.dimension:
        raise UnitError(
            f"start '{param.start}' and end '{end}' must both be distances or both durations"
        )
    value = start_amount.value + (end_amount.value - start_amount.value) * fraction
    step_value = _amount_step(param, start_amount.dimension)
    if step_value is None:
        step_value = 100.0 if start_amount.dimension == "distance" else 60.0
        if start_amount.dimension == "duration" and max(start_amount.value, end_amount.value) < 120:
            step_value = 5.0
    value = _round_to(value, step_value)
    if start_amount.dimension == "distance":
        return format_metres_plain(value)
    return format_seconds_plain(value)


def _amount_step(param: Param, dimension: str) -> float | None:
    """The param's ``step`` as metres or seconds (None without one); UnitError when it is not
    a ``dimension`` like the param's values."""
    if param.step is None:
        return None
    step = parse_amount(str(param.step))
    if step.dimension != dimension:
        raise UnitError(f"step '{param.step}' must be a {dimension} as well")
    return step.value


def grown_value(param: Param, current: int | float | str) -> int | float | str | None:
    """The parameter one ``step`` past ``current`` (1, or 100 m / 1 min without a step), or
    None when that passes its ``grow_to`` (or it has none).  UnitError when ``grow_to`` is not
    the same kind of value as ``current``."""
    if param.grow_to is None:
        return None
    if isinstance(current, int | float) and isinstance(param.grow_to, int | float):
        step = float(param.step) if isinstance(param.step, int | float) else 1.0
        value = current + step
        if value > param.grow_to + 1e-9:
            return None
        return int(value) if float(value).is_integer() else round(value, 2)
    now, most = parse_amount(str(current)), parse_amount(str(param.grow_to))
    if now.dimension != most.dimension:
        raise UnitError(
            f"grow_to '{param.grow_to}' must be a {now.dimension} like the param's values"
        )
    step_value = _amount_step(param, now.dimension)
    if step_value is None:
        step_value = 100.0 if now.dimension == "distance" else 60.0
    value = now.value + step_value
    if value > most.value + 1e-6:
        return None
    if now.dimension == "distance":
        return format_metres_plain(value)
    return format_seconds_plain(value)
