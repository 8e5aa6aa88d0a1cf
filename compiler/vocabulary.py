"""The plan's closed vocabularies as types: a session's slot and role, a workout's category and
intensity, a phase's volume progression, a step's kind and pace zone, a race's priority, an
athlete's change (its action and reason) and what it did to a workout.

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
    # a non-running session in a run's place (a change's `replace: ... with: cross-training`)
    CROSS_TRAINING = "cross-training"


class Intensity(StrEnum):
    """How hard a workout is as a whole (a workout template's ``intensity``)."""

    EASY = "easy"
    MODERATE = "moderate"
    HARD = "hard"


class Category(StrEnum):
    """What kind of session a workout is (a workout template's ``category``, a phase's
    ``allowed_categories``).  ``CROSS_TRAINING`` is the plan's only: a change puts it in a
    run's place, and no template is written with it (:attr:`in_templates`)."""

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
    CROSS_TRAINING = "cross-training"

    @property
    def in_templates(self) -> bool:
        """Whether a workout template may have this category (the schemas list these)."""
        return self != Category.CROSS_TRAINING


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


class ChangeAction(StrEnum):
    """What one of the athlete's changes does (a profile's `changes:` item names exactly one
    as its key): the plan's workouts it moves, skips, replaces or scales."""

    MOVE = "move"
    SKIP = "skip"
    REPLACE = "replace"
    SWAP = "swap"
    LONG_RUN_DAY = "long_run_day"
    VOLUME = "volume"


class ChangeReason(StrEnum):
    """Why the athlete made a change (a change's `reason:`)."""

    SICK = "sick"
    INJURED = "injured"
    TRAVEL = "travel"
    WORK = "work"
    FAMILY = "family"
    WEATHER = "weather"
    REST = "rest"
    OTHER = "other"

    @property
    def ill(self) -> bool:
        """Whether the athlete could not train (sick, injured): a span of it is followed by a
        gentle return."""
        return self in (ChangeReason.SICK, ChangeReason.INJURED)


class LayerAction(StrEnum):
    """What a change did to a workout (a plan.json layer's ``action``): ``eased`` is the gentle
    return after a sick or injured span."""

    MOVED = "moved"
    SKIPPED = "skipped"
    REPLACED = "replaced"
    SWAPPED = "swapped"
    SCALED = "scaled"
    EASED = "eased"


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
