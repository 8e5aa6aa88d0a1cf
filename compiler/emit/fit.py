"""FIT workout files: one workout a file, written with Garmin's FIT SDK (``garmin-fit-sdk``).

The SDK is an optional extra (``pip install 'planc[watch]'``): its licence (the FIT Protocol
License) is not an OSI one, so planc never vendors it and builds without it (the watch files are
then left out, and the build says so once).  ``available()`` says whether it is installed.

A file holds ``file_id`` (type workout), ``workout`` (name, sport running, the coach's
description as its notes) and one ``workout_step`` a step: distance or time, a speed range from
the athlete's paces (``watch.pace_target``), the intent (warm-up, cool-down, recovery, rest,
active) and the step's note.  A repeat is a step after its block that sends the watch back to the
block's first step ("repeat until steps complete"), so nested repeats nest.  The bytes depend on
the workout, the athlete's unit and ``time_created`` only.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import importlib.util
from dataclasses import dataclass
from enum import IntEnum
from typing import Any

from ..model import Step, Workout
from ..units import Unit
from .watch import (
    STEP_NAMES,
    Intent,
    Measure,
    intent,
    measure,
    pace_target,
    step_note,
    target_pace,
)

EXTRA_HINT = "pip install 'planc[watch]'"
MAX_STRING_BYTES = 254  # a FIT field is at most 255 bytes, the terminating NUL included


class DurationType(IntEnum):
    """FIT ``wkt_step_duration`` values planc writes."""

    TIME = 0
    DISTANCE = 1
    REPEAT_UNTIL_STEPS_CMPLT = 6


class TargetType(IntEnum):
    """FIT ``wkt_step_target`` values planc writes."""

    SPEED = 0
    OPEN = 2


INTENSITY = {  # FIT ``intensity`` values
    Intent.ACTIVE: 0,
    Intent.REST: 1,
    Intent.WARMUP: 2,
    Intent.COOLDOWN: 3,
    Intent.RECOVERY: 4,
}
_MESG_FILE_ID, _MESG_WORKOUT, _MESG_WORKOUT_STEP = 0, 26, 27
_FILE_WORKOUT, _SPORT_RUNNING, _MANUFACTURER_DEVELOPMENT = 5, 1, 255


def available() -> bool:
    """Whether the FIT SDK is installed (without importing it)."""
    return importlib.util.find_spec("garmin_fit_sdk") is not None


@dataclass(frozen=True)
class FitStep:
    """One ``workout_step`` message, in raw FIT units: duration in ms (time) or cm (distance),
    or for a repeat the index of the block's first step; speeds in mm/s; ``repeat`` the count."""

    name: str | None
    duration_type: DurationType
    duration_value: int
    target_type: TargetType | None = None
    speed_low: int | None = None
    speed_high: int | None = None
    intensity: int | None = None
    notes: str | None = None
    repeat: int | None = None


def fit_steps(steps: tuple[Step, ...], unit: Unit) -> tuple[FitStep, ...]:
    """The messages of ``steps`` in order: a repeat's block, then the repeat step pointing back
    to the block's first message (its message index)."""
    out: list[FitStep] = []
    _append(steps, unit, out)
    return tuple(out)


def _append(steps: tuple[Step, ...], unit: Unit, out: list[FitStep]) -> None:
    for step in steps:
        if step.kind == "repeat":
            first = len(out)
            _append(step.steps, unit, out)
            if len(out) == first:
                continue  # nothing to repeat
            out.append(
                FitStep(
                    None,
                    DurationType.REPEAT_UNTIL_STEPS_CMPLT,
                    first,
                    repeat=step.repeat,
                    notes=_text(step.note),
                )
            )
            continue
        out.append(_plain(step, unit))


def _plain(step: Step, unit: Unit) -> FitStep:
    if measure(step, unit) is Measure.DISTANCE:
        kind, value = DurationType.DISTANCE, round(step.distance_m * 100)
    else:
        kind, value = DurationType.TIME, round(step.duration_s * 1000)
    low = high = None
    target = TargetType.OPEN
    pace = target_pace(step)
    if pace is not None:
        paces = pace_target(pace, unit)
        target = TargetType.SPEED
        low, high = round(paces.slow_speed * 1000), round(paces.fast_speed * 1000)
    return FitStep(
        _text(STEP_NAMES.get(step.kind, step.kind.capitalize())),
        kind,
        value,
        target,
        low,
        high,
        INTENSITY[intent(step)],
        _text(step_note(step)),
    )


def _text(text: str | None) -> str | None:
    """``text`` as a FIT string can hold it: no NULs, at most MAX_STRING_BYTES of UTF-8 (cut at
    a character), None when empty."""
    if not text:
        return None
    clean = " ".join(text.replace("\x00", " ").split())
    data = clean.encode("utf-8")
    if len(data) > MAX_STRING_BYTES:
        clean = data[: MAX_STRING_BYTES - 3].decode("utf-8", errors="ignore").rstrip() + "..."
    return clean or None


def serial_number(uid: str) -> int:
    """A workout's FIT serial number: from its UID, so the same workout always has the same one
    (1 to 2^32 - 2: a uint32z is never 0)."""
    return int.from_bytes(hashlib.sha256(uid.encode("utf-8")).digest()[:4], "big") % 0xFFFFFFFE + 1


def _messages(workout: Workout, unit: Unit, time_created: dt.datetime) -> list[dict[str, Any]]:
    steps = fit_steps(workout.steps, unit)
    messages: list[dict[str, Any]] = [
        {
            "mesg_num": _MESG_FILE_ID,
            "type": _FILE_WORKOUT,
            "manufacturer": _MANUFACTURER_DEVELOPMENT,
            "product": 0,
            "serial_number": serial_number(workout.uid),
            "time_created": time_created,
        },
        {
            "mesg_num": _MESG_WORKOUT,
            "wkt_name": _text(workout.title) or "Run",
            "sport": _SPORT_RUNNING,
            "num_valid_steps": len(steps),
            "wkt_description": _text(workout.description),
        },
    ]
    for index, step in enumerate(steps):
        messages.append(
            {
                "mesg_num": _MESG_WORKOUT_STEP,
                "message_index": index,
                "wkt_step_name": step.name,
                "duration_type": int(step.duration_type),
                "duration_value": step.duration_value,
                "target_type": None if step.target_type is None else int(step.target_type),
                "target_value": step.repeat if step.repeat is not None else 0,
                "custom_target_value_low": step.speed_low,
                "custom_target_value_high": step.speed_high,
                "intensity": step.intensity,
                "notes": step.notes,
            }
        )
    return messages


def content_key(workout: Workout, unit: Unit) -> str:
    """A digest of everything in ``workout``'s file but its time (and the SDK's version, which
    writes the profile version into the header): equal keys, equal files but for the time."""
    messages = _messages(workout, unit, dt.datetime(1989, 12, 31, tzinfo=dt.UTC))
    return hashlib.sha256(repr(messages).encode("utf-8")).hexdigest()


def encode_workout(workout: Workout, unit: Unit, time_created: dt.datetime) -> bytes:
    """``workout`` as a FIT workout file.  Needs the SDK (``available()``)."""
    from garmin_fit_sdk import Encoder

    encoder = Encoder()
    for message in _messages(workout, unit, time_created):
        encoder.write_mesg(message)
    return bytes(encoder.close())
