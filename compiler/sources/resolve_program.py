"""Resolve phases and programs: their typed form, with every problem found.

A program names its phases (each may override the phase's volume rule), its race day workout
and the coaching numbers of ProgramRules; every number missing is the bundled default."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from ..diagnostics import Diagnostic, choices_hint
from ..model import (
    LastWeeks,
    MinorRaceRules,
    PhaseTemplate,
    Program,
    ProgramPhase,
    ProgramRules,
    QualityLimits,
    ReturnRules,
    VolumeRule,
)
from ..units import parse_distance, parse_duration, parse_percent
from ..vocabulary import Category, Progression
from .document import Document
from .library import Library
from .reader import Reader
from .steps import MAX_STEP_M


def _small_below(week: Mapping[str, Any]) -> float:
    """The phase's `quality_small_below`: the weekly volume under which its light session
    waits for week `quality_from_week_small` (0.0: none)."""
    value = week.get("quality_small_below")
    return parse_distance(str(value)) if value else 0.0


def _volume_rule(data: Mapping[str, Any]) -> VolumeRule:
    progression = Progression(str(data.get("progression", Progression.RAMP)))
    default_level = {Progression.TAPER: (0.75, 0.5), Progression.RECOVER: (0.6, 0.6)}.get(
        progression, (None, None)
    )

    def percent(key: str, default: float | None) -> float | None:
        return parse_percent(data[key]) if data.get(key) is not None else default

    def every(key: str, default: int) -> int | None:
        value = data.get(key, default)
        return None if value == 0 else int(value)

    start = percent("start", default_level[0])
    return VolumeRule(
        progression=progression,
        max_increase=percent("max_increase", 0.10) or 0.0,
        max_increase_injury_prone=percent("max_increase_injury_prone", 0.05) or 0.0,
        min_increase_m=parse_distance(data["min_increase"]) if data.get("min_increase") else 0.0,
        cutback_every=every("cutback_every", 4),
        cutback_every_injury_prone=every("cutback_every_injury_prone", 3),
        cutback=percent("cutback", 0.25) or 0.0,
        cutback_injury_prone=percent("cutback_injury_prone", 0.15) or 0.0,
        first_increase=percent("first_increase", None),
        start=start,
        end=percent("end", start if data.get("start") is not None else default_level[1]),
        levels=tuple(parse_percent(level) for level in data.get("levels") or ()),
    )


def resolve_phase(doc: Document) -> tuple[PhaseTemplate, list[Diagnostic]]:
    r = Reader(doc)
    r.check_name()
    week = r.get("week", default={})
    volume = r.get("volume", default={})
    if Progression(str(volume.get("progression", Progression.RAMP))).builds:
        for key in ("start", "end"):
            if key in volume:
                r.warn(
                    "ignored-key",
                    f"`{key}` only applies to taper and recover phases",
                    ("volume", key),
                    f"remove `{key}:`",
                )
    quality = int(week.get("quality_sessions", 0))
    phase = PhaseTemplate(
        name=str(r.get("name")),
        title=str(r.get("title", default=str(r.get("name")).replace("-", " ").title())),
        description=str(r.get("description", default="")),
        volume=_volume_rule(volume),
        allowed_categories=frozenset(
            Category(str(name)) for name in r.get("allowed_categories", default=[])
        ),
        quality_sessions=quality,
        quality_sessions_injury_prone=int(
            week.get("quality_sessions_injury_prone", min(quality, 1))
        ),
        long_run=bool(week.get("long_run", True)),
        strength=bool(week.get("strength", True)),
        min_rest_days=int(week.get("min_rest_days", 1)),
        source=r.source(),
        quality_sessions_raced=int(week.get("quality_sessions_raced", quality)),
        quality_from_week_raced=int(week.get("quality_from_week_raced", 1)),
        quality_from_week_small=int(week.get("quality_from_week_small", 1)),
        quality_small_below_m=_small_below(week),
        quality_every_raced_careful=int(week.get("quality_every_raced_careful", 0)),
        quality_raced_careful_base_weeks=int(week.get("quality_raced_careful_base_weeks", 0)),
        rest_days_when_short=(
            int(week["rest_days_when_short"]) if "rest_days_when_short" in week else None
        ),
    )
    return phase, r.diagnostics


def resolve_program(doc: Document, library: Library) -> tuple[Program, list[Diagnostic]]:
    r = Reader(doc)
    r.check_name()
    phases: list[ProgramPhase] = []
    for index, raw in enumerate(r.get("phases", default=[])):
        here: tuple[str | int, ...] = ("phases", index)
        phase = _program_phase(r, here, raw, library)
        if any(p.after_race for p in phases) and not phase.after_race:
            r.fail(
                "bad-value",
                "a phase before race day comes after an `after_race` phase",
                (*here, "phase"),
                "list the after_race phases last",
            )
        phases.append(phase)
    block = bool(r.get("block", default=False))
    if phases and all(p.after_race for p in phases) and not block:
        r.fail(
            "bad-value", "every phase is after the race", ("phases",), "add the phases before it"
        )
    if block:
        _check_block(r, phases)
        race_workout: str | None = "race"
        distance_m = 0.0
    else:
        race_workout = _race_workout(r, library)
        distance_m = _race_distance(r)
    program = Program(
        name=str(r.get("name")),
        title=str(r.get("title", default=str(r.get("name")))),
        distance_m=distance_m,
        phases=tuple(phases),
        peak_volume_m=r.convert(parse_distance, ("peak_volume",), 200_000.0),
        long_run_max_s=r.convert(parse_duration, ("long_run_max",), 150 * 60.0),
        min_easy_run_m=r.convert(parse_distance, ("min_easy_run",), 3000.0),
        race_workout=race_workout or "race",
        source=r.source(),
        long_run_growth=r.convert(parse_percent, ("long_run_growth",), 0.10),
        long_run_growth_min_m=r.convert(parse_distance, ("long_run_growth_min",), 1000.0),
        rules=_program_rules(r, library),
        block=block,
    )
    return program, r.diagnostics


# what only a race program has: a block warns that it ignores them
_RACE_ONLY_KEYS = (
    "distance",
    "race_workout",
    "shakeout",
    "shakeout_early",
    "race_specific",
    "rest_after_race",
)


def _check_block(r: Reader, phases: list[ProgramPhase]) -> None:
    """A block program (`block: true`) has no race: no phase after it, and the keys only a
    race program reads are ignored, with a warning each."""
    for index, phase in enumerate(phases):
        if phase.after_race:
            r.fail(
                "bad-value",
                "a block has no race, so no phase comes after it",
                ("phases", index, "after_race"),
                "remove `after_race:` (or the phase)",
            )
    for key in _RACE_ONLY_KEYS:
        if r.get(key) is not None:
            r.warn(
                "ignored-key",
                f"`{key}` is for a race program; a block has no race",
                (key,),
                f"remove `{key}:`, or `block: true` for a race program",
            )


def _program_phase(
    r: Reader, here: tuple[str | int, ...], raw: Mapping[str, Any], library: Library
) -> ProgramPhase:
    """One phase of a program: its weeks (with the fewest and most it may shrink and grow to)
    and the phase's volume rule with the program's overrides, if it has any."""
    name = r.reference("phase", (*here, "phase"), library)
    weeks = int(raw["weeks"])
    min_weeks = int(raw.get("min_weeks", weeks))
    max_weeks = raw.get("max_weeks")
    if min_weeks > weeks:
        r.fail(
            "bad-value",
            f"min_weeks {min_weeks} is more than the phase's {weeks} weeks",
            (*here, "min_weeks"),
            f"`min_weeks` is the fewest weeks the phase may shrink to: at most {weeks}",
        )
    if max_weeks is not None and max_weeks < weeks:
        r.fail(
            "bad-value",
            f"max_weeks {max_weeks} is less than the phase's {weeks} weeks",
            (*here, "max_weeks"),
            f"`max_weeks` is the most weeks the phase may grow to: at least {weeks}",
        )
    volume = None
    if name is not None:
        base = dict((library.get("phase", name) or r.doc).data.get("volume", {}))
        override = raw.get("volume")
        if override:
            base.update(override)
            volume = _volume_rule(base)
    return ProgramPhase(
        phase=name or str(raw["phase"]),
        weeks=weeks,
        min_weeks=min_weeks,
        max_weeks=int(max_weeks) if max_weeks is not None else None,
        after_race=bool(raw.get("after_race", False)),
        volume=volume,
        source=r.source(here),
        last_weeks=_last_weeks(r, here, raw.get("last_weeks")),
    )


def _last_weeks(r: Reader, here: tuple[str | int, ...], raw: Any) -> LastWeeks | None:
    """A phase's `last_weeks:` (LastWeeks), or None; a block that would hold the whole phase
    (`from` not above `weeks`) is refused: the phase would never show its own title."""
    if not isinstance(raw, Mapping):
        return None
    weeks, from_weeks = int(raw["weeks"]), int(raw["from"])
    if from_weeks <= weeks:
        r.fail(
            "bad-value",
            f"last_weeks.from {from_weeks} is not more than its {weeks} weeks",
            (*here, "last_weeks", "from"),
            f"`from` is the shortest phase the block shows in: more than {weeks}, so the "
            "phase keeps weeks of its own title",
        )
    return LastWeeks(str(raw["title"]), weeks, from_weeks)


def _variety_instead(r: Reader, library: Library) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """`variety.instead`: a quality workout -> the program's workouts that take its place when
    it came too often, all workouts the library knows."""
    pairs = []
    for old, news in (r.get("variety", "instead", default={}) or {}).items():
        path = ("variety", "instead", old)
        if not library.known("workout", str(old)):
            r.fail(
                "unknown-reference",
                f"there is no workout named '{old}' to vary",
                path,
                choices_hint(str(old), library.names("workout")),
            )
            continue
        found = (r.reference("workout", (*path, i), library) for i in range(len(news or [])))
        pairs.append((str(old), tuple(name for name in found if name is not None)))
    return tuple(pairs)


def _substitutes(r: Reader, library: Library) -> tuple[tuple[str, str], ...]:
    """`substitute:`, focus workout -> program workout, both workouts the library knows."""
    pairs = []
    for old in r.get("substitute", default={}) or {}:
        if not library.known("workout", str(old)):
            r.fail(
                "unknown-reference",
                f"there is no workout named '{old}' to substitute",
                ("substitute", old),
                choices_hint(str(old), library.names("workout")),
            )
            continue
        new = r.reference("workout", ("substitute", old), library)
        if new is not None:
            pairs.append((str(old), new))
    return tuple(pairs)


def _race_workout(r: Reader, library: Library) -> str | None:
    """The workout of race day: `race_workout:`, else the one named `race` (reported when
    there is none)."""
    race_workout = (
        r.reference("workout", ("race_workout",), library) if r.get("race_workout") else "race"
    )
    if race_workout == "race" and library.get("workout", "race") is None:
        r.fail(
            "unknown-reference",
            "there is no workout named 'race' for race day",
            ("name",),
            "add a workout named `race` or set `race_workout:`",
        )
    return race_workout


def _race_distance(r: Reader) -> float:
    """The race's distance in metres: at most the longest step, for race day is one step
    (`{{ race_distance }} @ race`)."""
    distance_m = r.convert(parse_distance, ("distance",), 5000.0)
    if not 0 < distance_m <= MAX_STEP_M:
        r.fail(
            "bad-value",
            f"a race distance is more than 0 and at most {MAX_STEP_M / 1000:g} km, the longest "
            "step a session can have",
            ("distance",),
            "write the race's distance, e.g. `distance: 21.0975km`",
        )
        return 5000.0
    return distance_m


Parse = Callable[[str], float]

# The numbers a program may set, each read with its parser at its path in the template, the
# bundled default (ProgramRules) when it is not there: (field, parser, path).
PROGRAM_NUMBERS: tuple[tuple[str, Parse, tuple[str, ...]], ...] = (
    ("long_run_target_m", parse_distance, ("long_run_target",)),
    ("long_run_fast_max_s", parse_duration, ("long_run_fast_max",)),
    ("long_run_fast_max_careful_s", parse_duration, ("long_run_fast_max_careful",)),
    ("race_block_step_s", parse_duration, ("race_block_step",)),
    ("hard_steady_finish_s", parse_duration, ("hard_steady_finish",)),
    ("long_run_target_high_m", parse_distance, ("long_run_target_grows", "target")),
    ("long_run_target_from_m", parse_distance, ("long_run_target_grows", "from")),
    ("long_run_target_to_m", parse_distance, ("long_run_target_grows", "to")),
    ("long_run_max_share", parse_percent, ("long_run_max_share",)),
    ("big_long_run_m", parse_distance, ("big_long_runs", "from")),
    ("moderate_long_run_m", parse_distance, ("big_long_runs", "moderate")),
    ("long_run_max_m", parse_distance, ("long_run_max_distance",)),
    ("taper_long_run_share", parse_percent, ("taper_long_run_max",)),
    ("long_run_max_share_injury_prone", parse_percent, ("long_run_max_share_injury_prone",)),
    ("long_run_floor_m", parse_distance, ("long_run_floor",)),
    ("current_long_run_share", parse_percent, ("current_long_run_share",)),
    ("masters_long_run_max_share", parse_percent, ("masters", "long_run_max_share")),
    ("masters_peak_from_current", parse_percent, ("masters", "peak_from_current")),
    ("masters_peak_min_gain_m", parse_distance, ("masters", "peak_min_gain")),
    ("peak_from_current", parse_percent, ("peak_from_current",)),
    ("peak_min_gain_m", parse_distance, ("peak_min_gain",)),
    ("peak_from_current_high", parse_percent, ("peak_from_current_falls", "share")),
    ("peak_falls_from_m", parse_distance, ("peak_from_current_falls", "from")),
    ("peak_falls_to_m", parse_distance, ("peak_from_current_falls", "to")),
    ("base_until", parse_percent, ("base_until",)),
    ("easy_run_max_s", parse_duration, ("easy_run_max",)),
    ("easy_run_typical_s", parse_duration, ("easy_run_typical",)),
    ("easy_run_max_of_long", parse_percent, ("easy_run_max_of_long",)),
    ("easy_run_share_of_long", parse_percent, ("easy_run_share_of_long",)),
    ("recovery_run_max_s", parse_duration, ("recovery_run_max",)),
    ("race_week_run_share", parse_percent, ("race_week_run_share",)),
    ("run_floor_s", parse_duration, ("run_floor",)),
    ("run_floor_min_s", parse_duration, ("run_floor_min",)),
    ("tiny_week_over_m", parse_distance, ("tiny_week_over",)),
    ("quality_fill_max_s", parse_duration, ("quality_fill_max",)),
    ("quality_warmup_min_s", parse_duration, ("quality_warmup_min",)),
    ("quality_fill_after_s", parse_duration, ("quality_fill_after",)),
    ("medium_long_share", parse_percent, ("medium_long_share",)),
    ("medium_long_max_s", parse_duration, ("medium_long_max",)),
    ("medium_long_week_max", parse_percent, ("medium_long_week_max",)),
    ("easy_run_spread", parse_percent, ("easy_run_spread",)),
    ("medium_long_from_m", parse_distance, ("medium_long_from",)),
    ("return_rise", parse_percent, ("return_from_break", "rise")),
    ("return_rise_injury_prone", parse_percent, ("return_from_break", "rise_injury_prone")),
    ("return_jump", parse_percent, ("return_from_break", "jump")),
    ("return_easy_days", int, ("return_from_break", "easy_days")),
    ("return_short_break_days", int, ("return_from_break", "short_break_days")),
    ("return_light_after_days", int, ("return_from_break", "light_after_days")),
)
# The program's `quality_limits:` (QualityLimits): (field, parser, key).
QUALITY_NUMBERS: tuple[tuple[str, Parse, str], ...] = (
    ("threshold", parse_percent, "threshold"),
    ("interval", parse_percent, "interval"),
    ("repetition", parse_percent, "repetition"),
    ("interval_max_m", parse_distance, "interval_max"),
    ("repetition_max_m", parse_distance, "repetition_max"),
    ("min_work_s", parse_duration, "min_work"),
    ("min_threshold_work_s", parse_duration, "min_threshold_work"),
    ("threshold_slack_m", parse_distance, "threshold_slack"),
    ("keep_reps", int, "keep_reps"),
    ("grow_from", parse_percent, "grow_from"),
    ("grow_until", parse_percent, "grow_until"),
    ("week_share", parse_percent, "week_share"),
)


def _count(r: Reader, key: str) -> int | None:
    """A count the program may set (``key``), or None when it does not."""
    value = r.get(key)
    return None if value is None else int(value)


def _fast_work_until(r: Reader) -> int | None:
    """`fast_work_until_weeks_out`: weeks before the taper without fast work (None: none)."""
    weeks = r.get("fast_work_until_weeks_out")
    return None if weeks is None else int(weeks)


def _long_weeks(r: Reader) -> int | None:
    """`race_specific.long_weeks`: the weeks before the taper that may hold the race-specific
    long run (None: any)."""
    weeks = r.get("race_specific", "long_weeks")
    return None if weeks is None else int(weeks)


def _return_levels(r: Reader, key: str = "levels") -> tuple[float, ...] | None:
    """`return_from_break.levels` (or ``key``, `levels_injury_prone`): the weeks back from a
    break as shares of the level before it, the week with the first days back first (the
    schema keeps it a list of one or more)."""
    levels = r.get("return_from_break", key)
    if not isinstance(levels, list) or not levels:
        return None
    path = ("return_from_break", key)
    return tuple(r.convert(parse_percent, (*path, i), 1.0) for i in range(len(levels)))


def _program_rules(r: Reader, library: Library) -> ProgramRules:
    """The program's coaching numbers; each missing one is the bundled default.  Problems are
    reported in the order of PROGRAM_NUMBERS, the workouts, `minor_races:` and
    `quality_limits:`."""
    d = ProgramRules()
    numbers: dict[str, Any] = {
        name: r.convert(parse, path, getattr(d, name)) for name, parse, path in PROGRAM_NUMBERS
    }

    def workout(*path: str) -> str | None:
        return r.reference("workout", path, library) if r.get(*path) else None

    return ProgramRules(
        **numbers,
        shakeout=workout("shakeout"),
        shakeout_within=int(r.get("shakeout_within", default=d.shakeout_within)),
        shakeout_early=workout("shakeout_early"),
        medium_long=workout("medium_long"),
        race_specific_long=workout("race_specific", "long"),
        race_specific_quality=workout("race_specific", "quality"),
        race_specific_in_place_of=frozenset(
            Category(str(c)) for c in r.get("race_specific", "in_place_of", default=[]) or []
        ),
        race_specific_every=int(r.get("race_specific", "every", default=d.race_specific_every)),
        race_specific_long_weeks=_long_weeks(r),
        substitutes=_substitutes(r, library),
        fast_work_until_weeks_out=_fast_work_until(r),
        peak_weeks_before_taper=int(
            r.get("peak_weeks_before_taper", default=d.peak_weeks_before_taper)
        ),
        fast_work_instead=workout("fast_work_instead"),
        return_light_session=workout("return_from_break", "light_session"),
        variety_most=int(r.get("variety", "most", default=d.variety_most)),
        variety_weeks=int(r.get("variety", "weeks", default=d.variety_weeks)),
        variety_instead=_variety_instead(r, library),
        rest_after_race=int(r.get("rest_after_race", default=d.rest_after_race)),
        race_week_below_peak=bool(r.get("race_week_below_peak", default=d.race_week_below_peak)),
        hard_days_apart=int(r.get("hard_days_apart", default=d.hard_days_apart)),
        long_runs_apart=int(r.get("long_runs_apart", default=d.long_runs_apart)),
        typical_easy_weeks=int(r.get("typical_easy_weeks", default=d.typical_easy_weeks)),
        easy_days_before_long_from=_count(r, "easy_days_before_long_from"),
        quality_beside_fast_long=_count(r, "quality_beside_fast_long"),
        quality_long_every=_count(r, "quality_long_every"),
        return_levels=_return_levels(r) or d.return_levels,
        return_levels_injury_prone=_return_levels(r, "levels_injury_prone")
        or d.return_levels_injury_prone,
        return_levels_short_break=_return_levels(r, "levels_short_break")
        or d.return_levels_short_break,
        masters_age=int(r.get("masters", "age", default=d.masters_age)),
        masters_hard_days_apart=int(
            r.get("masters", "hard_days_apart", default=d.masters_hard_days_apart)
        ),
        masters_cutback_every=int(
            r.get("masters", "cutback_every", default=d.masters_cutback_every)
        ),
        first_week_min_days=int(r.get("first_week_min_days", default=d.first_week_min_days)),
        minor=_minor_race_rules(r, workout("minor_races", "b_sharpener")),
        returning=_return_rules(r),
        quality=_quality_limits(r),
    )


def _quality_limits(r: Reader) -> QualityLimits:
    """The program's `quality_limits:`: how big a quality session may be, each missing number
    the bundled default."""
    q = QualityLimits()
    race_pace = r.get("quality_limits", "race_pace")
    return QualityLimits(
        **{
            name: r.convert(parse, ("quality_limits", key), getattr(q, name))
            for name, parse, key in QUALITY_NUMBERS
        },
        race_pace=None if race_pace is None else str(race_pace),
    )


def _return_rules(r: Reader) -> ReturnRules:
    """The program's `return_after_illness:`: the gentle return after a sick or injured span
    (compiler/plan/changes.py)."""
    d = ReturnRules()
    key = "return_after_illness"
    return ReturnRules(
        after_days=int(r.get(key, "after_days", default=d.after_days)),
        days=int(r.get(key, "days", default=d.days)),
        easy_share=r.convert(parse_percent, (key, "easy_share"), d.easy_share),
    )


def _percents(raw: list[str] | None, default: tuple[float, ...]) -> tuple[float, ...]:
    """A list of percentages in a template (the schema checks their form), or the default."""
    return default if raw is None else tuple(parse_percent(level) for level in raw)


def _minor_race_rules(r: Reader, sharpener: str | None) -> MinorRaceRules:
    """The program's `minor_races:`: how a plan makes room for the athlete's B and C races
    (``sharpener``: its `b_sharpener`, the workout resolved)."""
    m = MinorRaceRules()
    key = "minor_races"
    return MinorRaceRules(
        b_taper_days=int(r.get(key, "b_taper_days", default=m.b_taper_days)),
        b_quiet_days=int(r.get(key, "b_quiet_days", default=m.b_quiet_days)),
        b_easy_after=int(r.get(key, "b_easy_after", default=m.b_easy_after)),
        b_fast_after=int(r.get(key, "b_fast_after", default=m.b_fast_after)),
        b_fast_after_from_m=r.convert(
            parse_distance, (key, "b_fast_after_from"), m.b_fast_after_from_m
        ),
        b_week_volume=r.convert(parse_percent, (key, "b_week_volume"), m.b_week_volume),
        c_long_from_m=r.convert(parse_distance, (key, "c_long_from"), m.c_long_from_m),
        clear_before_a=int(r.get(key, "clear_before_a", default=m.clear_before_a)),
        a_races_apart_weeks=int(r.get(key, "a_races_apart_weeks", default=m.a_races_apart_weeks)),
        b_sharpener=sharpener,
        after_race_run_max_s=r.convert(
            parse_duration, (key, "after_race_run_max"), m.after_race_run_max_s
        ),
        after_short_c_run_max_s=r.convert(
            parse_duration, (key, "after_short_c_run_max"), m.after_short_c_run_max_s
        ),
        after_short_c_from_m=r.convert(
            parse_distance, (key, "after_short_c_from"), m.after_short_c_from_m
        ),
        c_long_after=r.convert(parse_percent, (key, "c_long_after"), m.c_long_after),
        c_long_after_careful=r.convert(
            parse_percent, (key, "c_long_after_careful"), m.c_long_after_careful
        ),
        c_short_before=int(r.get(key, "c_short_before", default=m.c_short_before)),
        km_per_easy_day_m=r.convert(parse_distance, (key, "km_per_easy_day"), m.km_per_easy_day_m),
        easy_after_race_max_s=r.convert(
            parse_duration, (key, "easy_after_race_max"), m.easy_after_race_max_s
        ),
        before_race_run_max_s=r.convert(
            parse_duration, (key, "before_race_run_max"), m.before_race_run_max_s
        ),
        short_run_max_s=r.convert(parse_duration, (key, "short_run_max"), m.short_run_max_s),
        c_long_before=r.convert(parse_percent, (key, "c_long_before"), m.c_long_before),
        a_race_return=_percents(r.get(key, "a_race_return"), m.a_race_return),
    )
