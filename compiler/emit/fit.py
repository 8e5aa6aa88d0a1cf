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

Encoding is most of what the watch files cost, and a plan repeats itself (the same easy run on
many days, the same warm-up in many runs): the SDK encodes each distinct message of a build's
files once, all in one go (``prime``, which reads the records before the Encoder closes that
file: its CRC, made a nibble at a time in Python, is not needed), and each file is put together
from those records as the SDK's Encoder puts them together (compiler/emit/fit_records.py); the
files that differ only by the file_id's serial number and time are made from the first by
writing those two in and making the CRC again.  The bytes are the SDK's own, file for file
(tests/test_watch_fit.py).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import importlib.util
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from enum import IntEnum
from typing import Any

from ..model import Step, Workout
from ..units import Unit
from ..vocabulary import StepKind
from .fit_records import Piece, Unexpected, assemble, crc16, split
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
_SERIAL_NUMBER, _TIME_CREATED = 3, 4  # file_id's field numbers
_PLACEHOLDER_SERIAL = 1  # in a Template: any valid uint32z (0 is "no value")
FIT_EPOCH = dt.datetime(1989, 12, 31, tzinfo=dt.UTC)  # FIT's time 0


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
        if step.kind == StepKind.REPEAT:
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


def file_messages(workout: Workout, unit: Unit, time_created: dt.datetime) -> list[dict[str, Any]]:
    """The messages of ``workout``'s file, as the SDK's ``Encoder.write_mesg`` takes them."""
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


@dataclass(frozen=True)
class Template:
    """A workout's file as the SDK writes it with a placeholder serial number and time (its
    CRC, made for each file when they are written in, left out), and where those two fields
    are in it (None: not found, the file is encoded whole each time)."""

    data: bytes
    fields: tuple[int, int] | None


MEMO_LIMIT = 4096  # templates and messages' records an Encoded holds before it starts over


@dataclass
class Encoded:
    """What a build has encoded so far, for the files still to make (the athletes' of one
    build worker, in ``watch_files``): each file with a placeholder serial and time by its
    shape, each message's records by its repr (``prime``), and the header's first bytes as the
    SDK writes them.  ``whole``: the SDK laid a file out otherwise than ``fit_records`` takes
    apart, so files are encoded whole from then on.  Mutable: a memo filled as the files are
    made; ``trim`` keeps it bounded, so a worker building thousands of athletes stays flat."""

    templates: dict[str, Template] = field(default_factory=dict)
    pieces: dict[str, Piece] = field(default_factory=dict)
    head: bytes = b""
    whole: bool = False

    def trim(self, limit: int = MEMO_LIMIT) -> None:
        """Start over (forget every template and record) when the memo holds ``limit`` entries
        or more: called before an athlete's files, so the memo holds at most ``limit`` plus
        one athlete's (a few hundred).  What it forgets is encoded again when met again: the
        bytes never depend on what the memo holds."""
        if len(self.templates) + len(self.pieces) >= limit:
            self.templates.clear()
            self.pieces.clear()


@dataclass(frozen=True)
class WorkoutFile:
    """What a workout's file is made from, its messages built once: ``key`` (``content_key``),
    ``shape`` (the messages with a placeholder serial: the key of its Template), ``serial``,
    and ``parts``, each message's repr (the key of its records in ``Encoded.pieces``)."""

    key: str
    shape: str
    serial: int
    messages: tuple[dict[str, Any], ...]
    parts: tuple[str, ...]


def prepare(workout: Workout, unit: Unit) -> WorkoutFile:
    messages = file_messages(workout, unit, FIT_EPOCH)
    serial = messages[0]["serial_number"]
    stamped = repr(messages[0])
    messages[0]["serial_number"] = _PLACEHOLDER_SERIAL
    parts = tuple(repr(message) for message in messages)
    key = "[" + ", ".join((stamped, *parts[1:])) + "]"  # repr(messages), the real serial's
    shape = "[" + ", ".join(parts) + "]"
    digest = hashlib.sha256(key.encode("utf-8")).hexdigest()
    return WorkoutFile(digest, shape, serial, tuple(messages), parts)


def content_key(workout: Workout, unit: Unit) -> str:
    """A digest of everything in ``workout``'s file but its time (and the SDK's version, which
    writes the profile version into the header): equal keys, equal files but for the time."""
    return prepare(workout, unit).key


def encode_workout(
    workout: Workout, unit: Unit, time_created: dt.datetime, encoded: Encoded | None = None
) -> bytes:
    """``workout`` as a FIT workout file.  Needs the SDK (``available()``).  ``encoded``: see
    ``encode``."""
    return encode(prepare(workout, unit), time_created, encoded)


def prime(files: Iterable[WorkoutFile], encoded: Encoded) -> None:
    """Have the SDK encode every message of ``files`` that ``encoded`` has not seen, in one
    file, and keep each message's records: the files are then put together from them."""
    if encoded.whole:
        return
    missing: dict[str, dict[str, Any]] = {}
    for file in files:
        if file.shape in encoded.templates:
            continue
        for part, message in zip(file.parts, file.messages, strict=True):
            if part not in encoded.pieces:
                missing.setdefault(part, message)
    if not missing:
        return
    data, closed = _sdk_records(list(missing.values()))
    try:
        head, pieces = split(data, len(missing), closed=closed)
        encoded.head = head if closed else _sdk_head()
    except Unexpected:
        encoded.whole = True
        return
    encoded.pieces.update(zip(missing, pieces, strict=True))


def encode(file: WorkoutFile, time_created: dt.datetime, encoded: Encoded | None = None) -> bytes:
    """``file`` made at ``time_created``.  Needs the SDK (``available()``).

    ``encoded``: what this build encoded already (``Encoded``).  Many workouts of a plan are
    the same run on other days (an easy 8 km); they differ only in the file_id's serial number
    and time, so each shape is made once and every other file is that one with its serial and
    time written in and the file's CRC made again; a new shape is put together from its
    messages' records (``prime``).  The bytes are the ones the SDK's Encoder writes for the
    workout (tests/test_watch_fit.py), at a fraction of the cost."""
    template = None if encoded is None else encoded.templates.get(file.shape)
    if template is None:
        data = _placeholder_file(file, encoded)
        template = Template(data, _file_id_fields(data))
        if encoded is not None:
            encoded.templates[file.shape] = template
    if template.fields is None:
        messages = [dict(message) for message in file.messages]
        messages[0]["serial_number"], messages[0]["time_created"] = file.serial, time_created
        return _sdk_encode(messages)
    return _stamped(template.data, template.fields, file.serial, _fit_time(time_created))


def _placeholder_file(file: WorkoutFile, encoded: Encoded | None) -> bytes:
    """``file`` with its placeholder serial and time: put together from the records of its
    messages (encoding them first if need be), else as the SDK encodes it whole."""
    if encoded is None or encoded.whole:
        return _sdk_encode(file.messages)
    prime([file], encoded)
    pieces = [encoded.pieces.get(part) for part in file.parts]
    if encoded.whole or any(piece is None for piece in pieces):
        return _sdk_encode(file.messages)
    try:
        found = [piece for piece in pieces if piece is not None]
        return assemble(encoded.head, found, crc=False)  # made when stamped (or encoded whole)
    except Unexpected:
        encoded.whole = True
        return _sdk_encode(file.messages)


def _sdk_encode(messages: Sequence[dict[str, Any]]) -> bytes:
    from garmin_fit_sdk import Encoder

    encoder = Encoder()
    for message in messages:
        encoder.write_mesg(message)
    return bytes(encoder.close())


def _sdk_records(messages: Sequence[dict[str, Any]]) -> tuple[bytes, bool]:
    """``messages`` as the SDK's Encoder writes them, and whether the file was closed.

    What ``prime`` takes from it is each message's records: not the header's fields, which the
    Encoder writes on ``close()``, nor the file's CRC, which ``close()`` works out over every
    byte a nibble at a time in Python (two fifths of the SDK's time for a plan's messages).  So
    the bytes are read from the Encoder's output stream as they stand before ``close()`` (its
    header still zeros); should an SDK keep them elsewhere, the file is closed as usual
    (``split`` refuses any other layout: the files are then encoded whole)."""
    from garmin_fit_sdk import Encoder

    encoder = Encoder()
    for message in messages:
        encoder.write_mesg(message)
    data = getattr(getattr(encoder, "_output_stream", None), "data", None)
    if isinstance(data, bytes):
        return data, False
    return bytes(encoder.close()), True


def _sdk_head() -> bytes:
    """The first four bytes of the SDK's header (its size, protocol and profile version), from
    the empty file its Encoder writes."""
    from garmin_fit_sdk import Encoder

    return bytes(Encoder().close()[:4])


def _fit_time(moment: dt.datetime) -> int:
    """As the SDK writes a date_time: seconds from FIT_EPOCH, as a uint32 holds them."""
    return (int(moment.timestamp()) - int(FIT_EPOCH.timestamp())) & 0xFFFFFFFF


def _file_id_fields(data: bytes) -> tuple[int, int] | None:
    """Where the serial number and time_created are in the file_id record that opens ``data``
    (a definition then its record, as the SDK writes a file's first message), checked by the
    placeholder values they hold; None when the file is laid out otherwise."""
    start = data[0]  # the header's size
    header, arch, number, count = data[start], data[start + 2], data[start + 3], data[start + 5]
    if header & 0xE0 != 0x40 or arch != 0 or number != _MESG_FILE_ID or data[start + 4]:
        return None  # not a plain little-endian definition of file_id
    offset = start + 6 + 3 * count  # its record: a header byte (the same local number), fields
    if data[offset] != header & 0x0F:
        return None
    offset += 1
    where: dict[int, int] = {}
    for index in range(count):
        field, size = data[start + 6 + 3 * index], data[start + 7 + 3 * index]
        where[field] = offset if size == 4 else -1
        offset += size
    serial, created = where.get(_SERIAL_NUMBER, -1), where.get(_TIME_CREATED, -1)
    if min(serial, created) < 0 or offset > len(data) - 2:
        return None
    if _uint32(data, serial) != _PLACEHOLDER_SERIAL or _uint32(data, created) != 0:
        return None
    return serial, created


def _uint32(data: bytes, at: int) -> int:
    return int.from_bytes(data[at : at + 4], "little")


def _stamped(file: bytes, fields: tuple[int, int], serial: int, created: int) -> bytes:
    """``file`` with ``serial`` and ``created`` at ``fields`` and its CRC made again."""
    data = bytearray(file)
    serial_at, created_at = fields
    data[serial_at : serial_at + 4] = serial.to_bytes(4, "little")
    data[created_at : created_at + 4] = created.to_bytes(4, "little")
    end = len(data) - 2
    data[end:] = crc16(data, end).to_bytes(2, "little")
    return bytes(data)
