"""The small languages inside workout templates: step targets and parameter progressions.

A target is ``<amount> [@ <zone>]`` where amount is a distance (``400m``), a duration (``15min``) or
``fill`` (the distance the plan gives the session).  A parameter is a constant or a progression
``{start, end, step}`` that moves linearly over the weeks of a phase.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

from .model import ZONES, Param
from .units import Amount, UnitError, format_metres_plain, format_seconds_plain, parse_amount
from .units import round_to as _round_to

FILL = "fill"


@dataclass(frozen=True)
class Target:
    amount: Amount | None  # None means fill
    zone: str | None


def is_fill(text: str | None) -> bool:
    """Whether a step target, as written, is `fill` (with or without a zone)."""
    return (text or "").partition("@")[0].strip() == FILL


@functools.lru_cache(maxsize=4096)  # a plan parses the same few hundred targets again and again
def parse_target(text: str) -> Target:
    """'400m @ 5k' -> Target(Amount(distance, 400), '5k'); 'fill @ easy' -> Target(None, 'easy')."""
    amount_text, _, zone_text = str(text).partition("@")
    amount_text, zone = amount_text.strip(), zone_text.strip() or None
    if zone is not None and zone not in ZONES:
        raise UnitError(f"unknown pace zone '{zone}' in '{text}'; zones: {', '.join(ZONES)}")
    if is_fill(amount_text):
        return Target(None, zone)
    return Target(parse_amount(amount_text), zone)


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
    if param.step is not None:
        step_amount = parse_amount(str(param.step))
        if step_amount.dimension != start_amount.dimension:
            raise UnitError(f"step '{param.step}' must be a {start_amount.dimension} as well")
        step_value = step_amount.value
    else:
        step_value = 100.0 if start_amount.dimension == "distance" else 60.0
        if start_amount.dimension == "duration" and max(start_amount.value, end_amount.value) < 120:
            step_value = 5.0
    value = _round_to(value, step_value)
    if start_amount.dimension == "distance":
        return format_metres_plain(value)
    return format_seconds_plain(value)
