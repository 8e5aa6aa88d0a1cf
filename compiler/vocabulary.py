"""The plan's closed vocabularies as types: a session's slot and role, a workout's category and
intensity, a phase's volume progression, a step's kind and pace zone, a race's priority.

Each is a :class:`~enum.StrEnum` (as :class:`~compiler.codes.Severity` is) whose values are the
words the templates, the JSON Schemas and every output use, so a member *is* its word: it
formats, compares and serialises as the string, and plan.json, the calendars and the pages read
the same as before.  Code compares and builds with the members (``Role.QUALITY``), so a mistyped
word is a name error mypy and the tests catch, not a comparison that is silently never true.
Strings become members at the edges, where resolve reads a template the schema has checked.

The schemas (schemas/*.schema.json) list the same words; tests/test_vocabulary.py holds them to
these enums.
"""

from __future__ import annotations

from enum import StrEnum


class SlotKind(StrEnum):
    """Which of a day's sessions a workout is (``Slot.slot``, ``Workout.slot``): with the
    athlete and the date, the workout's stable identity."""

    RUN = "run"
    STRENGTH = "strength"
    RACE = "race"


class Role(StrEnum):
    """A session's role in its week (``Slot.role``, ``Workout.role``, plan.json's ``role``):
    what schedule and expand place it as."""

    LONG = "long"
    QUALITY = "quality"
    EASY = "easy"
    RECOVERY = "recovery"
    MEDIUM_LONG = "medium-long"
    SHAKEOUT = "shakeout"
    STRENGTH = "strength"
    RACE = "race"


class Intensity(StrEnum):
    """How hard a workout is as a whole (a workout template's ``intensity``)."""

    EASY = "easy"
    MODERATE = "moderate"
    HARD = "hard"


class Category(StrEnum):
    """What kind of session a workout is (a workout template's ``category``, a phase's
    ``allowed_categories``)."""

    EASY = "easy"
    LONG = "long"
    RECOVERY = "recovery"
    TEMPO = "tempo"
    THRESHOLD = "threshold"
    PROGRESSION = "progression"
    INTERVALS = "intervals"
    HILLS = "hills"
    VO2MAX = "vo2max"
    STRIDES = "strides"
    STRENGTH = "strength"
    REST = "rest"
    RACE = "race"


class Progression(StrEnum):
    """How weekly volume moves in a phase (a phase's ``volume.progression``): built up, held,
    tapered to a race or recovered after one."""

    RAMP = "ramp"
    HOLD = "hold"
    TAPER = "taper"
    RECOVER = "recover"

    @property
    def builds(self) -> bool:
        """Whether the phase builds or holds volume (ramp, hold), rather than laying it down
        to a share of the peak (taper, recover)."""
        return self in (Progression.RAMP, Progression.HOLD)


class StepKind(StrEnum):
    """What a step of a workout is (a workout template's step keys, ``Step.kind``, plan.json's
    step ``kind``)."""

    WARMUP = "warmup"
    RUN = "run"
    RECOVER = "recover"
    WALK = "walk"
    JOG = "jog"
    COOLDOWN = "cooldown"
    REPEAT = "repeat"
    EXERCISE = "exercise"


class Zone(StrEnum):
    """A pace zone (the zone after ``@`` in a step's target, ``Step.zone``, the keys of
    ``Paces.zones``): the training zones from slowest to fastest, then the race paces."""

    RECOVERY = "recovery"
    EASY = "easy"
    STEADY = "steady"
    MARATHON = "marathon"
    THRESHOLD = "threshold"
    INTERVAL = "interval"
    REPETITION = "repetition"
    FIVE_K = "5k"
    TEN_K = "10k"
    HALF = "half"
    RACE = "race"


class RacePriority(StrEnum):
    """A race's priority (``races:``' ``priority``, ``Race.priority``, plan.json's): the A race
    drives the plan, a B race gets a mini-taper and easy days after, a C race is trained
    through."""

    A = "A"
    B = "B"
    C = "C"
