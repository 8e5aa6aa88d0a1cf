"""The registry of diagnostic codes: every code planc can report, defined once.

Modelled on mypy's ``errorcodes.py``: each code is a :class:`Code` constant with its name (the
stable kebab-case word shown as ``error[name]`` and in JSON), its usual severity and a one-line
summary.  :class:`~compiler.diagnostics.Diagnostic` refuses a code that is not registered here, so a
new code cannot be emitted without being added to this file; tests/test_codes.py then asks that it
be documented in docs/diagnostics.md, used by the compiler and shown by a case in tests/cases/.

This module is the source of truth for which codes exist; docs/diagnostics.md says what each
means to a coach and how to fix it.  Call sites pass the name as a string
(``error("bad-value", ...)``): the check at construction keeps them in step with the registry.

``severity`` is the code's usual severity.  One code is reported either way: ``race-in-past`` is
an error, and a warning for a season already run (an athlete with a ``start:`` before the race).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from types import MappingProxyType


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True)
class Code:
    """One kind of problem: ``name`` is what the reports show, ``severity`` the usual one."""

    name: str
    severity: Severity
    summary: str

    def __str__(self) -> str:
        return self.name


_REGISTRY: dict[str, Code] = {}


def _code(name: str, severity: Severity, summary: str) -> Code:
    """Define and register a code; a name defined twice is a programming error."""
    if name in _REGISTRY:
        raise ValueError(f"diagnostic code {name!r} is defined twice")
    code = Code(name, severity, summary)
    _REGISTRY[name] = code
    return code


E, W = Severity.ERROR, Severity.WARNING

# Reading a file: bytes, characters, YAML.
ENCODING = _code("encoding", E, "the file is not valid UTF-8")
IO = _code("io", E, "a file cannot be read, or an output would be written through a symlink")
FILE_TOO_BIG = _code("file-too-big", E, "the file is over 512 KiB or 10 000 lines")
EMPTY_FILE = _code("empty-file", E, "the file holds no YAML")
YAML_SYNTAX = _code("yaml-syntax", E, "not valid YAML")
YAML_DEPTH = _code("yaml-depth", E, "YAML nested more than 64 levels")
YAML_DUPLICATE_KEY = _code("yaml-duplicate-key", E, "the same key twice in one mapping")
YAML_KEY = _code("yaml-key", E, "a key that is a list or a mapping")
YAML_MERGE = _code("yaml-merge", E, "a YAML merge key (<<)")
YAML_NUMBER = _code("yaml-number", E, ".inf, .nan or a number too big or too long")
YAML_TAG = _code("yaml-tag", E, "a custom YAML tag")
YAML_TOO_BIG = _code("yaml-too-big", E, "too many keys and values, or aliases that expand too far")
BAD_CHARACTER = _code("bad-character", E, "a control character or half a surrogate pair")
INVISIBLE_CHARACTER = _code(
    "invisible-character", E, "an unusual space or invisible character where it breaks the file"
)
TYPOGRAPHIC_QUOTE = _code("typographic-quote", E, "curly quotes where straight quotes belong")
UNQUOTED_JINJA = _code("unquoted-jinja", E, "a value starting with unquoted Jinja")

# The shape of a document.
NOT_A_MAPPING = _code("not-a-mapping", E, "the document is not a mapping")
MISSING_KIND = _code("missing-kind", E, "the document has no kind:")
UNKNOWN_KIND = _code("unknown-kind", E, "kind is not a known template kind")
UNKNOWN_KEY = _code("unknown-key", E, "a key the schema does not know")
MISSING_KEY = _code("missing-key", E, "a required key is missing")
ONE_OF_KEYS = _code("one-of-keys", E, "both or neither of two keys that exclude each other")
IGNORED_KEY = _code("ignored-key", W, "a key that has no effect here")
BAD_TYPE = _code("bad-type", E, "a value of the wrong type")
BAD_VALUE = _code("bad-value", E, "a value the key does not accept")
OUT_OF_RANGE = _code("out-of-range", E, "a number outside its allowed range")
IMPOSSIBLE_VALUE = _code("impossible-value", E, "a race, goal or volume no human could run")
BAD_DATE = _code("bad-date", E, "not a real date, or dates in the wrong order")
BAD_TIMEZONE = _code("bad-timezone", E, "not an IANA time zone name")

# Templates and references between them.
NAME_MISMATCH = _code("name-mismatch", E, "a template's name is not its file name")
DUPLICATE_NAME = _code("duplicate-name", E, "two templates of one kind and name")
DUPLICATE_ID = _code("duplicate-id", E, "two athlete files with the same id")
UNKNOWN_REFERENCE = _code("unknown-reference", E, "no template of that name")
EXTENDS_CYCLE = _code("extends-cycle", E, "templates extend one another in a circle")
CATEGORY_NOT_ALLOWED = _code(
    "category-not-allowed", E, "a workout in a phase that does not allow its category"
)
BAD_STEP = _code("bad-step", E, "a malformed step or a session too big")
JINJA_SYNTAX = _code("jinja-syntax", E, "Jinja text with unbalanced delimiters")
JINJA_UNDEFINED = _code("jinja-undefined", E, "a name the Jinja text cannot see")
JINJA_ERROR = _code("jinja-error", E, "Jinja text that fails when rendered")

# An athlete's plan.
LONG_RUN_DAY = _code("long-run-day", E, "long_run_day is not one of the available days")
RACE_IN_PAST = _code("race-in-past", E, "race day is before today")
RACE_TOO_FAR = _code("race-too-far", E, "race day is more than 52 weeks away")
RACE_TOO_SOON = _code("race-too-soon", E, "race day is too soon for the program")
NO_A_RACE = _code("no-a-race", E, "`races:` has no A race and the profile no block")
SECOND_A_RACE = _code(
    "second-a-race", E, "two A races too close for two training cycles, or a third A race"
)
RACE_NEAR_A_RACE = _code("race-near-a-race", E, "a B or C race falls in the A race's taper")
RACE_AFTER_A_RACE = _code(
    "race-after-a-race", E, "a B or C race falls in the A race's easy days after it"
)
RACE_OUTSIDE_PLAN = _code("race-outside-plan", E, "a B or C race is before or after the plan")
RACES_SAME_DAY = _code("races-same-day", E, "two races on one day")
RECENT_RACE_IN_FUTURE = _code("recent-race-in-future", E, "the recent race is not yet run")
GOAL_AMBITIOUS = _code("goal-ambitious", W, "the goal is well beyond the current fitness")
GOAL_TOO_SLOW = _code("goal-too-slow", W, "the goal is slower than easy pace")
LONG_RUN_TOO_SHORT = _code("long-run-too-short", W, "the long run is shorter than an average run")
MAX_VOLUME_ABOVE_DEFAULT = _code(
    "max-volume-above-default", W, "max_weekly_volume is above what planc builds to by default"
)
MAX_VOLUME_BELOW_CURRENT = _code(
    "max-volume-below-current", W, "max_weekly_volume is below the current weekly volume"
)
BLOCK_PROGRAM = _code(
    "block-program", E, "a race program under block:, or a block program under race:"
)
BLOCK_LENGTH = _code("block-length", E, "a block shorter than its program or longer than a year")
RACE_UNDERPREPARED = _code("race-underprepared", W, "the long run cannot grow enough by race week")
STALE_FITNESS = _code("stale-fitness", W, "the recent race is old or time off is long")
TOO_FEW_DAYS = _code("too-few-days", W, "far fewer running days than the current week's runs")
UNUSED_START_TIME = _code("unused-start-time", W, "a start time for a day without running")
VOLUME_EXCEEDS_DAYS = _code("volume-exceeds-days", W, "the weekly volume does not fit the days")

# The athlete's changes over the plan (`changes:`).
BAD_CHANGE = _code("bad-change", E, "a change without one action, or with keys it does not take")
CHANGE_NOT_FOUND = _code("change-not-found", E, "no workout on the day a change names")
CHANGE_OUTSIDE_PLAN = _code("change-outside-plan", E, "a change's date is outside the plan")
CHANGE_DAY_AWAY = _code("change-day-away", E, "a change puts a workout on a day away")
CHANGE_DAY_TAKEN = _code("change-day-taken", E, "a move onto a day that has a run already")
CHANGE_CROSS_TRAINING = _code(
    "change-cross-training", E, "cross-training in the place of a session that is not a run"
)
CHANGE_HARD_DAYS = _code("change-hard-days", W, "a change puts two hard days in a row")
CHANGE_NO_EFFECT = _code(
    "change-no-effect", W, "a move onto its own day or a swap of a day with itself"
)
CHANGE_BEFORE_RACE = _code(
    "change-before-race", W, "a change puts a quality session in a B or A race's quiet days"
)

# Building a site.
DAMAGED_FEED = _code("damaged-feed", W, "a published feed cannot be read whole or is gone")

del E, W

CODES: Mapping[str, Code] = MappingProxyType(_REGISTRY)
"""Every registered code by name."""


def lookup(name: str) -> Code:
    """The registered code called ``name``; an unknown name is a programming error (a code used
    without being registered here), so it raises ``ValueError`` at once."""
    try:
        return CODES[name]
    except KeyError:
        raise ValueError(
            f"diagnostic code {name!r} is not registered in compiler/codes.py"
        ) from None
