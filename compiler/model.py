"""The typed model: frozen dataclasses that join the stages.

Inputs (made by resolve): Athlete, WorkoutTemplate, PhaseTemplate, Focus, Program, gathered in a
Blueprint.  Outputs (made by periodize, schedule, paces, expand): WeekPlan, Slot, Paces and the Plan
of dated Workouts.  Distances are metres, durations seconds, paces seconds per km.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal

from .frozen import FrozenMap, frozen_map
from .units import Unit, format_pace
from .vocabulary import (
    Category,
    ChangeAction,
    ChangeReason,
    Intensity,
    LayerAction,
    Progression,
    RacePriority,
    Role,
    SlotKind,
    StepKind,
    Zone,
)

TRAINING_ZONES = (
    Zone.RECOVERY,
    Zone.EASY,
    Zone.STEADY,
    Zone.MARATHON,
    Zone.THRESHOLD,
    Zone.INTERVAL,
    Zone.REPETITION,
)
# The zones run as easy running (the 80%-easy rule, the fast-running limits): a step with no zone
# is easy too.
EASY_ZONES: frozenset[Zone | None] = frozenset({None, Zone.EASY, Zone.RECOVERY})
RACE_ZONES = (Zone.FIVE_K, Zone.TEN_K, Zone.HALF, Zone.RACE)
ZONES = TRAINING_ZONES + RACE_ZONES
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


@dataclass(frozen=True)
class Source:
    """Where a template value came from: provenance for diagnostics and `explain`."""

    file: str
    line: int = 1
    column: int = 1

    def __str__(self) -> str:
        return f"{self.file}:{self.line}"


# --------------------------------------------------------------------------- templates


@dataclass(frozen=True)
class StepTemplate:
    """One step of a workout as written: the target text may hold Jinja ("{{ reps }}")."""

    kind: StepKind
    target: str | None = None  # "15min @ easy", "fill @ easy", "{{ rep_distance }} @ 5k"
    repeat: str | None = None  # for kind == "repeat": the count, possibly Jinja
    steps: tuple[StepTemplate, ...] = ()
    note: str | None = None
    label: str | None = None  # strength: the exercise's name
    sets: int | None = None
    reps: str | None = None
    source: Source | None = None  # of the value: the target, the repeat count, the exercise
    note_source: Source | None = None
    effort: bool = False  # `by: effort`: run by feel; the zone sizes the step, no pace target


@dataclass(frozen=True)
class Param:
    """A workout parameter: a constant, or a progression from start to end across a phase.
    ``grow_to``: how far a hard session may grow past its week's value for an athlete whose
    week has room (compiler/plan/grow.py), a ``step`` at a time.  ``careful_max``: the most a
    numeric param is for a masters or injury-prone athlete (a 58-year-old's base fartlek of 9-10
    x 1 min, where a coach gives 6-8: review round 20)."""

    name: str
    start: str | int | float
    end: str | int | float | None = None
    step: str | int | float | None = None
    grow_to: str | int | float | None = None
    careful_max: int | float | None = None

    @property
    def progresses(self) -> bool:
        return self.end is not None and self.end != self.start


@dataclass(frozen=True)
class WorkoutTemplate:
    name: str
    category: Category
    intensity: Intensity
    title: str
    description: str
    params: tuple[Param, ...]
    steps: tuple[StepTemplate, ...]
    duration_s: float | None  # for sessions that are not runs (strength), when given
    source: Source
    # where `title`, `description` and `steps` are written, for problems found while building
    sources: tuple[tuple[str, Source], ...] = ()

    def where(self, key: str) -> Source:
        """Where ``key`` is written (the workout's own position when it is not)."""
        return next((source for name, source in self.sources if name == key), self.source)


@dataclass(frozen=True)
class VolumeRule:
    """How weekly volume moves in a phase.  Fractions, not percentages."""

    progression: Progression
    max_increase: float = 0.10
    max_increase_injury_prone: float = 0.05
    # the least a ramp step may add: 10% of a 12 km week is 1.2 km, and a beginner held to that
    # needs most of a year to double; a small absolute step is no risk at that volume
    min_increase_m: float = 0.0
    cutback_every: int | None = 4
    cutback_every_injury_prone: int | None = 3
    cutback: float = 0.25
    cutback_injury_prone: float = 0.15  # shallower, so slower ramps still net growth
    # the largest first rise from the athlete's current volume (None: ``max_increase``): the
    # start of a plan steps up gently, not twice in a row by the full step (Daniels: hold each
    # step 3-4 weeks; review round 20: 60, 66, 72.5 km, +21% in two weeks)
    first_increase: float | None = None
    start: float | None = None  # taper/recover: fraction of peak in the phase's first week
    end: float | None = None  # taper/recover: fraction of peak in its last week
    levels: tuple[float, ...] = ()  # taper/recover: fraction of peak per week, nearest race first

    def increase(self, injury_prone: bool, first: bool = False) -> float:
        """The largest week-over-week increase: ``max_increase`` (injury-prone: its own), and
        for the plan's first rise from the athlete's current volume (``first``) at most
        ``first_increase``."""
        increase = self.max_increase_injury_prone if injury_prone else self.max_increase
        if first and self.first_increase is not None:
            return min(increase, self.first_increase)
        return increase

    def ramped(self, level: float, injury_prone: bool, first: bool = False) -> float:
        """The most one ramp step takes ``level`` to: ``increase`` on it, or
        ``min_increase`` when that is more (small weeks), never more than twice the level."""
        increase = self.increase(injury_prone, first)
        if increase <= 0:
            return level
        return level + min(max(level * increase, self.min_increase_m), level)

    def level(self, distance_from_race: int, weeks: int, week: int) -> float:
        """The share of peak volume for a taper or recovery week: from ``levels`` by distance
        from race day, else linear from ``start`` to ``end`` over the phase."""
        if self.levels:
            return self.levels[min(distance_from_race, len(self.levels) - 1)]
        start = self.start if self.start is not None else 0.6
        end = self.end if self.end is not None else start
        if weeks <= 1:
            return end
        return start + (end - start) * (week - 1) / (weeks - 1)


@dataclass(frozen=True)
class PhaseTemplate:
    name: str
    title: str
    description: str
    volume: VolumeRule
    allowed_categories: frozenset[Category]
    quality_sessions: int
    quality_sessions_injury_prone: int
    long_run: bool
    strength: bool
    min_rest_days: int
    source: Source
    # an athlete with a recent race who is not injury-prone has a base to build on: from the
    # phase's week `quality_from_week_raced` on, its weeks hold this many sessions (the bundled
    # base: one light session from week 1; Daniels' Phase I-II, Hudson's hill sprints)
    quality_sessions_raced: int = 0
    quality_from_week_raced: int = 1
    # a runner below `quality_small_below_m` a week (a beginner) takes the light session from
    # the phase's week `quality_from_week_small` on: easy running and strides first (Daniels'
    # Phase I; review round 22: a 10 km-a-week beginner's fartlek in week 1). 0: no such rule
    quality_from_week_small: int = 1
    quality_small_below_m: float = 0.0
    # an injury-prone or masters athlete with a recent race in a base of at most
    # `quality_raced_careful_base_weeks` weeks: the light session every
    # `quality_every_raced_careful` weeks (the first in that week; 0: none), never in a cutback
    quality_every_raced_careful: int = 0
    quality_raced_careful_base_weeks: int = 0
    # the fewest rest days a week keeps when its other listed days cannot hold its volume: the
    # rest day gives way to a recovery run (room.run_on_rest_day); None: `min_rest_days`
    rest_days_when_short: int | None = None

    def rest_days_kept(self, short: bool) -> int:
        """The rest days a week keeps: `min_rest_days`, or `rest_days_when_short` (never
        more) when its runs on its other days cannot hold its volume (``short``)."""
        if not short or self.rest_days_when_short is None:
            return self.min_rest_days
        return min(self.rest_days_when_short, self.min_rest_days)

    def sessions(self, injury_prone: bool, raced: bool = False) -> int:
        """The quality sessions a week of the phase holds: the injury-prone count for an
        injury-prone athlete, else the phase's own, or its `quality_sessions_raced` when more
        in a week that takes them (WeekPlan.raced_quality: for an injury-prone athlete only a
        short base's every-other-week light session, one at most)."""
        own = self.quality_sessions_injury_prone if injury_prone else self.quality_sessions
        if not raced:
            return own
        raced_count = self.quality_sessions_raced
        return max(own, min(raced_count, 1) if injury_prone else raced_count)


@dataclass(frozen=True)
class FocusPhase:
    """What fills a week's sessions in one phase.  Quality slots are sequences spread over the
    phase's weeks in order (short intervals first, then tempo...)."""

    quality: tuple[tuple[str, ...], ...] = ()
    long: str | None = None
    easy: tuple[str, ...] = ()
    recovery: str | None = None
    strength: str | None = None
    # a hard long run that stands in for the week's quality session when no day can hold one
    # apart from the long run (a weekend-only runner)
    quality_long: str | None = None
    medium_long: str | None = None  # a longer easy run mid-week (marathoners)


@dataclass(frozen=True)
class Focus:
    name: str
    title: str
    description: str
    long_run_share: float
    max_runs_per_week: int
    defaults: FocusPhase
    phases: Mapping[str, FocusPhase]
    source: Source
    min_easy_share: float = 0.80
    # and of its running distance (steady, race pace and faster not easy): faster running
    # covers more ground, so a week 80% easy by time was 75-78% by distance (round 21)
    min_easy_share_distance: float = 0.78
    # `long_run_max`: the long run's most time at easy pace for races up to a distance (None:
    # the program's long_run_max alone)
    long_run_max_s: float | None = None
    long_run_max_races_up_to_m: float = 0.0

    def __post_init__(self) -> None:
        object.__setattr__(self, "phases", frozen_map(self.phases))

    def long_run_cap_s(self, race_m: float) -> float | None:
        """The focus's `long_run_max` for a race of ``race_m`` (None: none for it, or no race)."""
        if self.long_run_max_s is None or not race_m:
            return None
        return self.long_run_max_s if race_m <= self.long_run_max_races_up_to_m + 1e-6 else None

    def for_phase(self, phase: str) -> FocusPhase:
        """The phase's own choices, each missing one taken from the focus's defaults."""
        own = self.phases.get(phase, FocusPhase())
        base = self.defaults
        return FocusPhase(
            quality=own.quality or base.quality,
            long=own.long or base.long,
            easy=own.easy or base.easy,
            recovery=own.recovery or base.recovery,
            strength=own.strength or base.strength,
            quality_long=own.quality_long or base.quality_long,
            medium_long=own.medium_long or base.medium_long,
        )


@dataclass(frozen=True)
class LastWeeks:
    """A long phase's last ``weeks`` shown as a block of their own, ``title`` and numbered
    from 1, when the phase is ``from_weeks`` or longer (`last_weeks:`): presentation only, the
    weeks stay the phase's (a marathon's 14-week build read "Build" week after week, when a
    coach calls its last 8, without fast work, race-specific)."""

    title: str
    weeks: int
    from_weeks: int


@dataclass(frozen=True)
class ProgramPhase:
    phase: str
    weeks: int
    min_weeks: int
    max_weeks: int | None
    after_race: bool
    volume: VolumeRule | None  # the program's override of the phase's volume rule
    source: Source
    last_weeks: LastWeeks | None = None

    def shown_as(self, title: str, week: int, weeks: int) -> tuple[str, int]:
        """The title and number the athlete sees for ``week`` of ``weeks`` of the phase
        (titled ``title``): the phase's own, or in its `last_weeks` the block's, numbered from
        1 where the block starts."""
        last = self.last_weeks
        if last is None or weeks < last.from_weeks or week <= weeks - last.weeks:
            return title, week
        return last.title, week - (weeks - last.weeks)


@dataclass(frozen=True)
class QualityLimits:
    """How big one quality session may be (Daniels): running at a pace as a share of the week's
    volume, with absolute ceilings, and the least work that still makes a session."""

    threshold: float = 0.10
    interval: float = 0.08
    repetition: float = 0.05
    interval_max_m: float = 10_000.0
    repetition_max_m: float = 8_000.0
    min_work_s: float = 8 * 60.0
    # the least work of a session run mostly at threshold: 2 x 4 min cruise intervals are a
    # token, not a threshold session (Daniels' T sessions are about 20 min)
    min_threshold_work_s: float = 8 * 60.0
    # how far a short session may pass a small week's threshold share (interval and
    # repetition: sizing.SMALL_WEEK_SLACK_M): none, Daniels' 10% holds; a 15 km week's
    # threshold session is 3 x 3 min, not 3 x 4 min at 13% of it (review 21)
    threshold_slack_m: float = 0.0
    # a session trimmed to fit keeps this many reps while a shorter rep fits: 3 x 5 min at
    # race pace, not 2 x 6 min (no bigger than the race week's sharpener, round 18); 2: reps go
    # first
    keep_reps: int = 2
    # a hard session whose params may grow (`grow_to`) grows while it fits the limits of a week
    # this share of the real one: from `grow_from` in the phase's first week to `grow_until`
    # in its last, so the sessions of a fit athlete are sized to their week and still progress
    grow_from: float = 0.60
    grow_until: float = 0.85
    # which of the limits above the race's own pace counts against: "threshold", "interval" or
    # "none" (marathon pace: its long-run blocks keep their own rule, half of the long run);
    # None: by the race's distance (sizing._race_zone_as)
    race_pace: str | None = None
    # the week's running at each pace, over its hard sessions and its long run's faster blocks,
    # at most this share of the pace's share above (1.0: Daniels' shares are the week's; two
    # threshold sessions took 13% of a marathoner's week, review round 20); None: per session
    week_share: float | None = 1.0


@dataclass(frozen=True)
class MinorRaceRules:
    """How a plan makes room for the athlete's B and C races (the program's `minor_races:`):
    a B race's mini-taper and the easy days after it, when a C race takes the long run's
    place, and where a B or C race makes no sense (too close before the A race)."""

    b_taper_days: int = 4  # lighter days before a B race
    b_quiet_days: int = 2  # of them, the days with no quality session
    b_easy_after: int = 3  # easy days after a B race
    # days after a B race of `b_fast_after_from` or longer with no fast work (intervals,
    # VO2max, hills): VO2max intervals 4 days after a B 10K (review round 21)
    b_fast_after: int = 5
    b_fast_after_from_m: float = 10_000.0
    b_week_volume: float = 0.85  # a B race's week: this share of its planned volume
    c_long_from_m: float = 15_000.0  # a C race this long takes the place of the week's long run
    clear_before_a: int = 10  # days before the A race no B or C race may fall in
    a_races_apart_weeks: int = 12  # two A races this far apart could make two cycles
    b_sharpener: str | None = None  # the short session 3-4 days before a B race (a workout)
    after_race_run_max_s: float = 30 * 60.0  # the run the day after a B race, at most
    # the day after a C race shorter than `c_long_from` (a 5K, a 10K), for an athlete running
    # `after_short_c_from` or more a week: an easy run of at most this, not a 25-min jog (a
    # 58-year-old's 2.8 mi the day after a C 5K at 25 mi a week, review round 20)
    after_short_c_run_max_s: float = 45 * 60.0
    after_short_c_from_m: float = 30_000.0
    c_long_after: float = 0.75  # the long run the day after a C race: this share of its size
    # the same for a masters or injury-prone athlete; 0: no long run the day after a C race,
    # an easy run (a 58-year-old's 5.5 mi "long run" the day after a C 5K, review round 20)
    c_long_after_careful: float = 0.0
    c_short_before: int = 2  # days before a C race whose runs are short recovery runs
    # one easy day after a B or C race per this much raced (Daniels: 5K 2, 10K 3, half 7,
    # marathon 14): no quality session in them, no long run after a race of `c_long_from`
    km_per_easy_day_m: float = 3000.0
    easy_after_race_max_s: float = 60 * 60.0  # an easy run in those easy days, at most
    before_race_run_max_s: float = 30 * 60.0  # the run the day before a B or C race, at most
    # a recovery run in a race's short days (minor_races.keeps_short: a B race's last 7 days
    # and the 2 after it, a C race's `c_short_before`), at most: a short run, not 50 min
    short_run_max_s: float = 40 * 60.0
    c_long_before: float = 0.85  # a long run in a C race's week, before it: this share of it
    # a second cycle's first weeks after the first A race's recovery: these shares of the volume
    # the first cycle built (a level already run, not a new high), then that volume again
    a_race_return: tuple[float, ...] = (0.7, 0.85)


@dataclass(frozen=True)
class ReturnRules:
    """How the plan returns after the athlete was sick or injured (the program's
    `return_after_illness:`): a `skip` with that reason of `after_days` or more is followed by
    `days` in which the first hard session is an easy run and the easy running is held to
    `easy_share` of the plan."""

    after_days: int = 3  # a sick or injured span this long is followed by a gentle return
    days: int = 7  # the days after it that return gently
    easy_share: float = 0.80  # of the planned easy running in those days


def sliding(at: float, low: tuple[float, float], high: tuple[float, float | None]) -> float:
    """A program number that slides with a weekly volume: ``low``'s value up to ``low``'s
    volume, linearly to ``high``'s at ``high``'s volume and beyond; ``low``'s value alone when
    ``high`` has none (the program does not let it slide)."""
    (from_m, start), (to_m, end) = low, high
    if end is None or at <= from_m:
        return start
    part = min(1.0, (at - from_m) / max(1.0, to_m - from_m))
    return start + (end - start) * part


@dataclass(frozen=True)
class ProgramRules:
    """The program's coaching numbers beyond phase lengths: the long run's goal, the peak,
    race week, run sizes, masters athletes.  Defaults are the bundled library's."""

    long_run_target_m: float = 14_000.0  # the longest long run the race asks for
    # a runner whose plan peaks higher runs longer: from a peak week of `long_run_target_from_m`
    # the target grows linearly to this at `long_run_target_to_m` and more (None: it never grows)
    long_run_target_high_m: float | None = None
    long_run_target_from_m: float = 40_000.0
    long_run_target_to_m: float = 80_000.0
    long_run_max_share: float = 0.40  # of the week's volume
    # a long run longer than this is a big one (None: no such rule): the week after a big one,
    # and a long run with a faster block (race pace, threshold), runs a moderate one of at most
    # `moderate_long_run_m`, so big long runs come at most every other week
    big_long_run_m: float | None = None
    moderate_long_run_m: float = 30_000.0
    # the longest any long run may be, whatever the week's volume asks (None: only the time cap
    # `long_run_max`): a marathoner's 37 km at 4:31-5:00/km passed Pfitzinger's 22 mi (review
    # round 17); an athlete already running longer keeps their current long run
    long_run_max_m: float | None = None
    # a taper week's long run is at most this share of the plan's longest long run so far (None:
    # only the taper's share of the longest of the last 30 days): 29.6 km two weeks before a
    # marathon after 37 km peaks, where Pfitzinger runs 16-17 mi (review round 17)
    taper_long_run_share: float | None = None
    # the most a long run's faster finish or block may take (None: no cap beyond half of the
    # run): a 5K or 10K runner's long run builds endurance, and 25-30 min steady in it competes
    # with the week's key session (review round 16)
    long_run_fast_max_s: float | None = None
    # the same for an injury-prone or masters athlete (None: as `long_run_fast_max_s`): a 30 km
    # long run with 16 km at goal pace was an injury-prone marathoner's riskiest day (round 21)
    long_run_fast_max_careful_s: float | None = None
    # a race-pace block (a long run's goal-pace block, a race-pace tempo) is at most this much
    # longer than the one last run in the same session: 35 -> 65 min at goal pace in the first
    # full week after a trip (review round 22); and in a full week no shorter than it
    race_block_step_s: float = 900.0
    # a building week keeps the athlete's current long run (no step back) while it is at most
    # this share of the week, past `long_run_max_share`, and within `long_run_max`
    current_long_run_share: float = 0.50
    # the same for an injury-prone athlete and for masters (None: as long_run_max_share)
    long_run_max_share_injury_prone: float | None = None
    # the long run a race needs whoever runs it: an injury-prone or masters athlete's smaller
    # share shortens a long run only past it; below it the long run may take the program's
    # `long_run_max_share` (None: no such floor).  Round 18 refused an injury-prone half
    # marathoner's 14.1 km longest run, 40% of her 35 km week: a coach wants 16-17 km
    long_run_floor_m: float | None = None
    masters_long_run_max_share: float | None = None
    # a masters athlete's default peak: at most this share of the current volume, or the
    # current volume plus this gain, whichever is more (None: the program's own numbers)
    masters_peak_from_current: float | None = None
    masters_peak_min_gain_m: float | None = None
    peak_from_current: float = 1.70  # default peak: at most this times the current volume...
    peak_min_gain_m: float = 10_000.0  # ...or the current volume plus this, whichever is more
    # a runner who already runs a lot has less room to grow: from `peak_falls_from_m` a week
    # the share falls linearly to this at `peak_falls_to_m` and more (None: it never falls)
    peak_from_current_high: float | None = None
    peak_falls_from_m: float = 30_000.0
    peak_falls_to_m: float = 80_000.0
    base_until: float = 0.75  # the base lasts until weekly volume reaches this share of the peak
    # the ramp first reaches the peak no earlier than this many weeks before the taper (nor
    # before PEAK_AT of the building weeks): a long runway's spare weeks are no plateau at peak
    peak_weeks_before_taper: int = 6
    easy_run_max_s: float = 100 * 60.0
    # a week gets another of the athlete's days before its easy runs average more than this
    easy_run_typical_s: float = 75 * 60.0
    easy_run_max_of_long: float = 0.80  # of the week's long run (duration)
    # the most an easy or recovery run is given of the week's long run (duration) before a
    # listed day the week left empty takes the volume: past it, a medium-long run in all but name
    easy_run_share_of_long: float = 0.65
    recovery_run_max_s: float = 50 * 60.0
    # the least easy running an easy or recovery run takes, at its own pace (a run worth lacing
    # shoes for): a week's runs are raised to it, and a listed running day is dropped only when
    # the week's volume cannot give every run that much (never above `min_easy_run`)
    run_floor_s: float = 20 * 60.0
    # a week that cannot give every run `run_floor` keeps its runs at this much rather than
    # drop one (2 runs on 3 days, review round 18); below it a run is dropped
    run_floor_min_s: float = 15 * 60.0
    # the most a building week runs over its target to keep every listed day's run at
    # `run_floor_min` (a beginner's third day, review round 18)
    tiny_week_over_m: float = 1_000.0
    # the most easy running a quality session adds to its written warm-up and cool-down to
    # round off the week (a 10 min cool-down run on to 40 min is no cool-down a coach writes)
    quality_fill_max_s: float = 15 * 60.0
    # a quality session's written warm-up and cool-down give way, down to this long each, so
    # the session is no longer than the last long run (sessions.warmup_trimmed)
    quality_warmup_min_s: float = 10 * 60.0
    # the easy running every easy and recovery run of a week holds (at its own pace, within its
    # limits) before a quality session takes any fill: the volume goes on the easy days, not
    # into a cool-down (an 8.1 mi R session beside a 2.7 mi easy run, review round 17)
    quality_fill_after_s: float = 30 * 60.0
    medium_long_share: float = 0.75  # of the week's long run
    # the longest a medium-long run may take: the one easy run of the week allowed past
    # `easy_run_max` (a plain easy run of 100 min beside a 25 km long run is two long runs)
    medium_long_max_s: float = 100 * 60.0
    # and at most this share of the week's target, at easy pace: a 17 km medium-long run beside
    # a 30 km long run was two thirds of an injury-prone marathoner's 75 km week (Pfitzinger's
    # medium-long runs are about a fifth of the week; review round 21)
    medium_long_week_max: float = 0.20
    # the most a week's easy run may be of its shortest easy run (recovery runs and the
    # medium-long run aside): the easy volume is spread, not stacked on one day
    easy_run_spread: float = 1.5
    medium_long_from_m: float = 50_000.0  # weekly volume from which a medium-long run fits
    shakeout: str | None = None  # the workout for the last two days before the race
    # with no running day in those two, race week's shakeout on the last within this many days
    shakeout_within: int = 3
    # that run's workout when it is more than two days out (a shakeout is the day before the
    # race, round 21): None is `shakeout`
    shakeout_early: str | None = None
    # the medium-long run of a focus that names none (a marathoner needs one whatever the focus)
    medium_long: str | None = None
    # race-specific sessions in phases with quality work: a long run with a block at race pace
    # every other week, and the last quality slot in the second half of the phase
    race_specific_long: str | None = None
    race_specific_quality: str | None = None
    # the kinds of session the race-specific quality session may replace (empty: its own kind,
    # fast or sustained), and every how many weeks (or turns, one session a week) it comes
    race_specific_in_place_of: frozenset[Category] = frozenset()
    race_specific_every: int = 1
    # the race-specific long run only in the last this many weeks before the taper (None: any
    # week that can carry one)
    race_specific_long_weeks: int | None = None
    # (focus workout, program workout) pairs: the program's session wherever a focus asks for
    # the other in a quality slot (a marathon's threshold intervals for a focus's 400s at 5K pace)
    substitutes: tuple[tuple[str, str], ...] = ()
    # the last this many weeks before the taper hold no fast work (intervals, VO2max, hills):
    # the focus's sustained work of the same slot takes its place, else `fast_work_instead`
    # (a marathon sharpens with threshold and marathon pace; None: fast work up to the taper)
    fast_work_until_weeks_out: int | None = None
    fast_work_instead: str | None = None
    # a hard quality workout comes at most `variety_most` times in any `variety_weeks` weeks
    # (review rounds 15-16: 12 x 400 m three times in four weeks, the same cruise intervals four
    # times); past that, the first of its `variety_instead` alternatives, then the nearest other
    # workout of its focus slot, that is not worn out too (workout, alternatives) pairs
    variety_most: int = 2
    variety_weeks: int = 4
    variety_instead: tuple[tuple[str, tuple[str, ...]], ...] = ()
    rest_after_race: int = 0  # days
    # race week, the race included, stays below the peak week where the race leaves room; not
    # for the marathon, whose race alone outweighs a modest peak (its race-week level holds it)
    race_week_below_peak: bool = True
    # back from a break of 7 days or more: the weeks back run at these shares of the level
    # before it (Daniels: half, then three quarters), and the weeks after them rise at most
    # `return_rise` a week over the last week run (per running day) back to that level
    return_levels: tuple[float, ...] = (0.5, 0.75)
    # the same for an injury-prone athlete (None: as `return_levels`)
    return_levels_injury_prone: tuple[float, ...] | None = None
    # a break of at most `return_short_break_days` days without running (a week's trip) comes
    # back quicker, at these levels (None: as `return_levels`); not for an injury-prone athlete,
    # who keeps theirs (Daniels: 6-28 days off come back in two steps over as many days, so a
    # week away is back by the end of the week after it; review 21: 8.7 mi, then 21.6 mi as a
    # cutback after a 7-day trip)
    return_levels_short_break: tuple[float, ...] | None = None
    return_short_break_days: int = 10
    return_rise: float = 0.10
    return_rise_injury_prone: float = 0.07
    # and no week after the weeks back rises more than `return_jump` over the last week run
    # (per running day) until it is back at that level: not the ramp's step on the weeks before
    # the break, nor the bounce from a cutback (a coach flagged +32% after a mid-week return)
    return_jump: float = 0.30
    # the days back from a break before a quality session may come: a week starting fewer than
    # this many days after the first day back runs easy (strides at most), as the week the break
    # ends in; the week after it takes one session, not at race pace (round 20: cruise intervals
    # on the fifth day back after ten days off)
    return_easy_days: int = 7
    # the one session such a week after the week the break ends in may hold, a light one (the
    # bundled light fartlek; None: none): strides and short surges, not threshold work
    return_light_session: str | None = None
    # and no session of a week back comes fewer than this many days after the first day back
    # (review 21: a light fartlek on Wednesday after one Monday run back from a week away)
    return_light_after_days: int = 4

    def return_levels_for(
        self, injury_prone: bool, break_days: int | None = None
    ) -> tuple[float, ...]:
        """The weeks back from a break (of ``break_days`` days without running, None: any) as
        shares of the level before it, for this athlete."""
        if injury_prone and self.return_levels_injury_prone is not None:
            return self.return_levels_injury_prone
        short = self.return_levels_short_break
        short_break = break_days is not None and break_days <= self.return_short_break_days
        if short and not injury_prone and short_break:
            return short
        return self.return_levels

    def return_rise_for(self, injury_prone: bool) -> float:
        """The most a week back from a break rises on the weeks run, for this athlete."""
        return self.return_rise_injury_prone if injury_prone else self.return_rise

    def long_run_target_at(self, peak_m: float) -> float:
        """The race's long-run target for a plan peaking at ``peak_m`` a week: the program's
        target up to `long_run_target_from_m`, growing to `long_run_target_high_m` at
        `long_run_target_to_m` (a 1:33 half marathoner peaking at 66 km held to 18 km long
        runs, short of the race itself)."""
        return sliding(
            peak_m,
            (self.long_run_target_from_m, self.long_run_target_m),
            (self.long_run_target_to_m, self.long_run_target_high_m),
        )

    def peak_share(self, current_m: float) -> float:
        """The default peak as a share of ``current_m`` a week: `peak_from_current` up to
        `peak_falls_from_m`, falling linearly to `peak_from_current_high` at
        `peak_falls_to_m` (a 60 km runner built to 170% runs 100 km, a jump no coach signs)."""
        return sliding(
            current_m,
            (self.peak_falls_from_m, self.peak_from_current),
            (self.peak_falls_to_m, self.peak_from_current_high),
        )

    def default_peak(self, current_m: float) -> float:
        """The most a plan builds to from ``current_m`` a week by default: the peak share of
        it, or `peak_min_gain_m` more, whichever is more."""
        return max(current_m * self.peak_share(current_m), current_m + self.peak_min_gain_m)

    def alternatives(self, workout: str) -> tuple[str, ...]:
        """The program's `variety.instead` for a quality workout that came too often."""
        return next((new for old, new in self.variety_instead if old == workout), ())

    def substituted(self, workout: str) -> str:
        """The program's session for a focus's quality session ``workout``."""
        return next((new for old, new in self.substitutes if old == workout), workout)

    hard_days_apart: int = 2  # days between hard days (the long run counts)
    # days between last week's long run and a long run moved off its day (days away, a C race)
    long_runs_apart: int = 3
    # race week's and a B race's short days' easy runs are at most the median easy run of this
    # many weeks before (the plan's typical easy run): the volume they cannot hold is left out
    typical_easy_weeks: int = 4
    # race week's easy and recovery runs are at most this share of their size in the weeks
    # before (the typical easy run; a recovery run's `recovery_run_max` when less)
    race_week_run_share: float = 0.67
    # from this many running days a week, the quality session before the long run leaves two
    # easy days before it where the days allow (None: `hard_days_apart` alone)
    easy_days_before_long_from: int | None = None
    # the most quality sessions in a week whose long run holds a block at race pace or
    # threshold (None: the phase's): that long run is a hard day of its own
    quality_beside_fast_long: int | None = None
    # a long run's steady finish this long or more counts as a faster block for
    # `quality_beside_fast_long` (None: steady never does)
    hard_steady_finish_s: float | None = None
    # a long run with a block (a steady finish, race pace, a tempo) at most every this many
    # weeks: the weeks between run the easy long run (None: every week may)
    quality_long_every: int | None = None
    masters_age: int = 50
    masters_hard_days_apart: int = 3
    masters_cutback_every: int = 3
    # a first week the plan's start leaves with fewer days than this joins the next week (a
    # start on Saturday, weeks from Monday: a nine-day first week), so no week of a day or two
    # holds a sliver of the volume with a full week's jump after it
    first_week_min_days: int = 4
    quality: QualityLimits = field(default_factory=QualityLimits)
    # the athlete's B and C races besides the A race (the program's `minor_races:`)
    minor: MinorRaceRules = field(default_factory=lambda: MinorRaceRules())
    # the gentle return after a sick or injured span (the program's `return_after_illness:`)
    returning: ReturnRules = field(default_factory=lambda: ReturnRules())


@dataclass(frozen=True)
class Program:
    name: str
    title: str
    distance_m: float
    phases: tuple[ProgramPhase, ...]
    peak_volume_m: float
    long_run_max_s: float
    min_easy_run_m: float
    race_workout: str
    source: Source
    long_run_growth: float = 0.10
    # the least a long run may grow past the longest of the last 30 days: 10% of a 3 km long run
    # is a few hundred metres, and a long run that small would hold the whole week down
    long_run_growth_min_m: float = 1000.0
    rules: ProgramRules = field(default_factory=lambda: ProgramRules())
    # a training block (`block: true`): no race, no taper, its phases' build-and-cutback weeks
    # run to the block's last day; ``distance_m`` is 0 and ``race_workout`` unused
    block: bool = False

    @property
    def min_weeks(self) -> int:
        return sum(p.min_weeks for p in self.phases if not p.after_race)

    def grown_long_run(self, longest_m: float) -> float:
        """The most a long run may be, given the longest run of the last 30 days."""
        return max(longest_m * (1 + self.long_run_growth), longest_m + self.long_run_growth_min_m)

    @property
    def default_weeks(self) -> int:
        return sum(p.weeks for p in self.phases if not p.after_race)

    @property
    def taper_weeks(self) -> int:
        """The default weeks of the last phase before the race (the taper); 0 when the
        program has a single phase before it."""
        before = [p for p in self.phases if not p.after_race]
        return before[-1].weeks if len(before) > 1 and not self.block else 0


# --------------------------------------------------------------------------- athlete


@dataclass(frozen=True)
class RecentRace:
    distance_m: float
    time_s: float
    date: dt.date | None = None  # when it was run, when the profile says


@dataclass(frozen=True)
class Race:
    name: str
    program: str  # the A race's program; a B or C race's own program, or "" with a distance
    date: dt.date
    goal_s: float | None
    recovery: bool = True  # the program's after-race phases follow race day
    priority: RacePriority = (
        RacePriority.A
    )  # A drives the plan; B gets a mini-taper; C is trained through
    distance_m: float = 0.0  # B and C races: the race distance
    workout: str = ""  # B and C races: the race-day workout template
    # where its date is written (a season's second A race): a warning on the compiled plan
    # about this race points there; not part of the race's value
    source: Source | None = field(default=None, compare=False)


@dataclass(frozen=True)
class Block:
    """A training block with no race (the profile's `block:`): a block program's weeks from
    the plan's start to ``end``, the last day of the week that holds the day the profile gives
    (or of its ``weeks``-th week)."""

    program: str
    end: dt.date
    title: str  # the program's title, e.g. "Base-building"
    # `weeks:` as the profile gives it (None: it gives `end:`): a rebuild that keeps the plan's
    # first day keeps the block's length too (plan/pipeline.py)
    weeks: int | None = None


@dataclass(frozen=True)
class Availability:
    days: tuple[int, ...]  # 0 = Monday
    long_run_day: int
    start_times: Mapping[int, dt.time] = field(default_factory=FrozenMap)

    def __post_init__(self) -> None:
        object.__setattr__(self, "start_times", frozen_map(self.start_times))


@dataclass(frozen=True)
class Away:
    start: dt.date
    end: dt.date
    note: str = ""

    def covers(self, day: dt.date) -> bool:
        return self.start <= day <= self.end


# The athlete's changes over the compiled plan (the profile's `changes:`, applied in order by
# compiler/plan/changes.py; their actions and reasons are compiler/vocabulary.py's).
# the replacements `replace` knows besides a workout template's name
EASY_RUN = "easy"
# a non-running session as long as the run it replaces (bike, swim...: the change's note says)
CROSS_TRAINING = "cross-training"


@dataclass(frozen=True)
class Change:
    """One change of the athlete's over the compiled plan, as the profile writes it.

    ``day`` is the workout's date (``move``, ``skip``, ``replace``, ``swap``), the first day of
    a span (``skip`` with ``to``, ``volume``) or a day of the week (``long_run_day``); ``to`` the
    move's new date, the span's last day or the swap's other day.  ``where`` holds the position
    of each key's value, so every problem is reported at the value it is about."""

    action: ChangeAction
    day: dt.date
    source: Source  # the action's key: the change's place in the file, named in the outputs
    to: dt.date | None = None
    slot: SlotKind = SlotKind.RUN  # run or strength: which of the day's sessions
    replacement: str | None = None  # `replace`: a workout template's name, or EASY_RUN
    weekday: int | None = None  # `long_run_day`: 0 = Monday
    factor: float | None = None  # `volume`: the share of the planned running, 0.8 for 80%
    reason: ChangeReason | None = None
    note: str = ""
    where: tuple[tuple[str, Source], ...] = ()

    def at(self, key: str) -> Source:
        """Where ``key``'s value is written (the change's own place when it is not)."""
        return next((source for name, source in self.where if name == key), self.source)


@dataclass(frozen=True)
class Layer:
    """What one of the athlete's changes did to a workout: its provenance in the outputs.

    ``action``: moved, skipped, replaced, swapped, scaled or eased (the gentle return after a
    sick or injured span); ``was``: what the workout was before, in words ("from 2027-01-13")."""

    action: LayerAction
    source: Source
    reason: ChangeReason | None = None
    note: str = ""
    was: str = ""

    @property
    def file_name(self) -> str:
        """The athlete file's own name, e.g. ``sam.yaml``: not the path the build was given
        (absolute or relative), so the outputs are the same wherever they are built from."""
        return self.source.file.replace(chr(92), "/").rsplit("/", 1)[-1]

    @property
    def where(self) -> str:
        """The change's file name and line, e.g. ``sam.yaml:31``."""
        return f"{self.file_name}:{self.source.line}"

    def words(self) -> str:
        """The layer in words: "moved by sam.yaml:31: travel (from 2027-01-13)"."""
        text = f"{self.action} by {self.where}"
        why = ", ".join(part for part in (self.reason, self.note) if part)
        if why:
            text += f": {why}"
        return text + (f" ({self.was})" if self.was else "")


@dataclass(frozen=True)
class Athlete:
    id: str
    name: str
    timezone: str
    units: Unit
    race: Race | None  # None for a block (``block``): exactly one of the two is set
    focus: str
    start: dt.date | None
    week_start: int
    recent_race: RecentRace
    weekly_volume_m: float
    long_run_m: float
    injury_prone: bool
    max_weekly_volume_m: float | None
    availability: Availability
    away: tuple[Away, ...]
    strength_per_week: int
    source: Source
    # the profile's optional `calendar` settings, for the calendar feeds
    calendar_alarm_s: float | None = None  # a reminder this long before a timed workout
    calendar_color: str | None = None  # "#RRGGBB"
    age: int | None = None  # years; from the program's masters age, hard days sit further apart
    time_off_weeks: float = 0.0  # weeks without running since the recent race (the profile's note)
    changes: tuple[Change, ...] = ()  # the profile's `changes:`, in file order
    block: Block | None = None  # a training block with no race, instead of ``race``
    # the B and C races (`races:` with priority B or C), by date; ``race`` is the A race
    other_races: tuple[Race, ...] = ()
    # a season of two cycles (compiler/plan/season.py): the second A race, after ``race`` and
    # its recovery; ``race`` stays the first, the one the athlete trains for now
    second_race: Race | None = None
    # a season's second cycle: the first cycle's last week (its recovery), whose level the
    # plan's first week rises from by one ramp step at most (plan/season.py)
    returning_m: float | None = None
    # where the A race's date is written in the profile: a warning on the compiled plan (its
    # long run short of the race) points there
    race_source: Source | None = None

    def minor_race_on(self, day: dt.date) -> Race | None:
        """The B or C race on ``day``, if any."""
        return next((race for race in self.other_races if race.date == day), None)

    @property
    def races(self) -> tuple[Race, ...]:
        """Every race of the season, the A race included, by date."""
        a_races = (self.race, self.second_race)
        every = (*self.other_races, *(race for race in a_races if race is not None))
        return tuple(sorted(every, key=lambda race: race.date))

    @property
    def a_races(self) -> tuple[Race, ...]:
        """The A races by date: none for a block, two in a season of two cycles."""
        return tuple(race for race in (self.race, self.second_race) if race is not None)

    @property
    def last_day(self) -> dt.date:
        """The day the plan is laid out back from: race day, or a block's last day."""
        if self.race is not None:
            return self.race.date
        assert self.block is not None, "an athlete has a race or a block"
        return self.block.end

    def away_on(self, day: dt.date) -> Away | None:
        return next((away for away in self.away if away.covers(day)), None)

    def days_away(self, week_start: dt.date, length: int = 7) -> int:
        """How many of the athlete's running days in the week starting ``week_start`` (of
        ``length`` days: a first week the plan's start leaves short joins the next) are away."""
        days = (week_start + dt.timedelta(days=i) for i in range(length))
        return sum(1 for d in days if d.weekday() in self.availability.days and self.away_on(d))

    def own_long_run_before(self, first_week_start: dt.date) -> dt.date:
        """The day of the athlete's own long run before the plan: their long-run day in the
        week before its first week (schedule and room keep quality and medium-long runs off
        the day after it)."""
        before = first_week_start - dt.timedelta(days=7)
        return before + dt.timedelta(days=(self.availability.long_run_day - before.weekday()) % 7)


@dataclass(frozen=True)
class SecondCycle:
    """What the second cycle of a season of two A races is laid out with besides the athlete
    (whose ``second_race`` it ends in): its program and the day its weeks start on (the first
    cycle's, moved only for a second race early in such a week, as for the first race)."""

    program: Program
    week_start: int


@dataclass(frozen=True)
class Blueprint:
    """Everything one athlete's plan is compiled from: the athlete and the templates it uses."""

    athlete: Athlete
    program: Program
    focus: Focus
    phases: Mapping[str, PhaseTemplate]
    workouts: Mapping[str, WorkoutTemplate]
    second: SecondCycle | None = None  # a season of two A races: the second cycle's program

    def __post_init__(self) -> None:
        object.__setattr__(self, "phases", frozen_map(self.phases))
        object.__setattr__(self, "workouts", frozen_map(self.workouts))

    def volume_rule(self, program_phase: ProgramPhase) -> VolumeRule:
        """How volume moves in a phase of the program: the program's override, else the
        phase template's own rule."""
        return program_phase.volume or self.phases[program_phase.phase].volume

    def easy_workout(self, phase: str, *, strides: bool = False) -> str:
        """The phase's easy run that stands in for a session made easy or replaced: its plain
        easy run, or with ``strides`` its strides run, the first of its kind the focus lists
        for the phase (else the list's first, or last with ``strides``), whatever their order."""
        easy = self.focus.for_phase(phase).easy or self.focus.defaults.easy
        wanted = Category.STRIDES if strides else Category.EASY
        kind = [n for n in easy if n in self.workouts and self.workouts[n].category == wanted]
        return kind[0] if kind else (easy[-1] if strides else easy[0])


# --------------------------------------------------------------------------- compiled plan


@dataclass(frozen=True)
class PaceRange:
    """Seconds per km; fast <= slow (equal for a single pace)."""

    fast: float
    slow: float

    @property
    def mid(self) -> float:
        return (self.fast + self.slow) / 2


@dataclass(frozen=True)
class Paces:
    vdot: float
    zones: Mapping[str, PaceRange]  # easy, marathon, threshold, interval, repetition, 5k, 10k...
    race_times: Mapping[str, float]  # equivalent race times in seconds: 1500m ... marathon
    # for the athlete, when the paces are not simply the recent race's: why they are slower
    # (an old race, a break) and what would make them current again
    caveat: str = ""
    # the time the current fitness predicts for the goal race's distance (None: not worked out)
    predicted_s: float | None = None
    # why the race zone is slower than the goal, when it is: "reach" (the goal lies beyond a
    # plan's worth of fitness) or "threshold" (a race of an hour or more is run below
    # threshold pace); "" when it is the goal's pace or there is no goal
    race_held: str = ""

    def __post_init__(self) -> None:
        object.__setattr__(self, "zones", frozen_map(self.zones))
        object.__setattr__(self, "race_times", frozen_map(self.race_times))


# The zones named by a race distance, with it: what the athlete's fitness is worth over that
# distance today (the marathon's is a training zone too).
DISTANCE_ZONES: Mapping[str, float] = {
    Zone.FIVE_K: 5000.0,
    Zone.TEN_K: 10000.0,
    Zone.HALF: 21097.5,
    Zone.MARATHON: 42195.0,
}


def current_fitness_zone(paces: Paces, distance_m: float, unit: Unit) -> str | None:
    """The zone of the race's own distance (the 5K zone for a 5K) when the athlete reads a
    different pace in it than in the race zone the race-pace sessions train at (a goal faster
    or slower than today's fitness); None when the two read alike or the race has no zone of
    its own.  Then "5K pace" and "race pace" are two paces for one race, and every text that
    names them must say which is the current fitness and which the goal (review round 12)."""
    zone = next((z for z, d in DISTANCE_ZONES.items() if abs(d - distance_m) < 1.0), None)
    race = paces.zones.get(Zone.RACE)
    if zone is None or race is None or zone not in paces.zones:
        return None
    own = paces.zones[zone]
    if format_pace(own.mid, unit, step=1) == format_pace(race.mid, unit, step=1):
        return None
    return zone


# A zone's pace as a text names it (``pace_name(zone)`` in a template), before
# current_fitness_zone tells a race distance's pace from the race pace.
PACE_NAMES: Mapping[str, str] = {
    Zone.RECOVERY: "recovery pace",
    Zone.EASY: "easy pace",
    Zone.STEADY: "steady pace",
    Zone.MARATHON: "marathon pace",
    Zone.THRESHOLD: "threshold pace",
    Zone.INTERVAL: "interval pace",
    Zone.REPETITION: "repetition pace",
    Zone.FIVE_K: "5K pace",
    Zone.TEN_K: "10K pace",
    Zone.HALF: "half marathon pace",
    Zone.RACE: "race pace",
}


def pace_names(paces: Paces, distance_m: float, unit: Unit) -> dict[str, str]:
    """Each zone's pace named for this athlete: 'current 5K pace' when the 5K runner's race
    pace differs from it (current_fitness_zone), else as PACE_NAMES names them.  The race pace
    is the 'goal race pace' only when it is the goal's pace: a race zone held slower than the
    goal (Paces.race_held: beyond the fitness's reach, or below threshold) is just 'race pace',
    so no text calls a pace the athlete's goal when it is not (review round 15)."""
    names = dict(PACE_NAMES)
    current = current_fitness_zone(paces, distance_m, unit)
    if current is not None:
        names[current] = f"current {names[current]}"
        if not paces.race_held:
            names[Zone.RACE] = f"goal {names[Zone.RACE]}"
    return names


# how a week's volume rule begins when the week is one of the two back from a break (the plan
# stage writes it, the athlete outputs word the week from it)
BACK_FROM_BREAK = "back from a break"
# why a second cycle's first weeks climb back from the first race's recovery (plan/season.py)
BACK_FROM_RACE = "back from the race before"


@dataclass(frozen=True)
class WeekPlan:
    """A week as periodize lays it out, before sessions are placed."""

    index: int  # 1-based over the whole plan
    start: dt.date
    phase: str
    phase_week: int  # 1-based within the phase
    phase_weeks: int
    target_m: float
    rule: str  # the rule that set the target, in plain words (for explain)
    cutback: bool
    race_week: bool
    after_race: bool
    share_of_peak: float | None = None  # taper and recovery weeks: their share of the peak week
    # back from a long break (a trip of BREAK_DAYS or more): the week it ends in and the week
    # after run at this share of what the athlete ran before the break
    return_share: float | None = None
    # the week with the first days back (easy running only); the week after it, at the second
    # share, brings one quality session back (Daniels: the second half of a return is at three
    # quarters of the load, intensity included)
    first_back: bool = False
    # the first full week after the weeks back from a break: one quality session at most and
    # no long run longer than before the break (the athlete steps back in, not straight to two
    # sessions and a new longest run)
    after_break: bool = False
    # the days the week spans: 7, or 8 to 13 for a first week that a start late in the
    # athlete's week left short and that joined the next (resolve.first_week)
    days: int = 7
    # a week of a phase with `quality_sessions_raced` for an athlete with a recent race and no
    # injury, from the phase's `quality_from_week_raced` on: it holds those sessions (an
    # injury-prone or masters athlete's short base: every `quality_every_raced_careful` weeks)
    raced_quality: bool = False
    # lighter for a minor race: the week of a B race, or the week after a raced half or
    # marathon (minor_races); the first full week after such weeks comes back to the most
    # actually run, within `return_from_break.jump` (return_curve.after_minor_light)
    minor_light: bool = False

    @property
    def tapering(self) -> bool:
        """Whether the week is a taper week (a share of the peak toward race day), not one of
        the recovery weeks after the race."""
        return self.share_of_peak is not None and not self.after_race

    @property
    def returning(self) -> bool:
        """Whether the week is one of the weeks back from a long break."""
        return self.return_share is not None


@dataclass(frozen=True)
class Slot:
    """A session placed on a date, before it is expanded."""

    date: dt.date
    slot: SlotKind  # with athlete and date, the stable identity
    role: Role
    workout: str  # workout template name
    intensity: Intensity
    reason: str
    rank: int = 0  # quality sessions: 1 for the most important slot, 2 for the next...


@dataclass(frozen=True)
class Step:
    kind: StepKind
    distance_m: float
    duration_s: float
    zone: Zone | None = None
    pace: PaceRange | None = None
    repeat: int = 0
    steps: tuple[Step, ...] = ()
    note: str | None = None
    label: str | None = None  # strength exercise name
    measure: Literal["distance", "duration"] | None = None  # how the coach wrote the step
    # run by effort (`by: effort`, hill repeats): ``pace`` only sized the step; the outputs give
    # the zone's effort and no pace target
    effort: bool = False


@dataclass(frozen=True)
class Workout:
    uid: str
    date: dt.date
    slot: SlotKind
    role: Role
    template: str
    category: Category
    intensity: Intensity
    title: str
    description: str
    steps: tuple[Step, ...]
    distance_m: float
    duration_s: float
    start_time: dt.time | None
    reason: str
    # the athlete's changes that made the workout what it is, oldest first (none: as compiled)
    layers: tuple[Layer, ...] = ()


@dataclass(frozen=True)
class Week:
    index: int
    start: dt.date
    phase: str
    phase_title: str
    phase_week: int
    target_m: float
    planned_m: float
    rule: str
    cutback: bool
    workouts: tuple[Workout, ...]
    notes: tuple[str, ...] = ()
    days: int = 7  # 8 to 13 for a short first week joined to the next (WeekPlan.days)
    # the week's workouts the athlete's changes skipped, each with its layers (the last says why)
    skipped: tuple[Workout, ...] = ()

    def holds(self, day: dt.date) -> bool:
        """Whether ``day`` is one of the week's days."""
        return self.start <= day < self.start + dt.timedelta(days=self.days)


@dataclass(frozen=True)
class CyclePaces:
    """A season's second training cycle as the outputs show it: its first day, its program
    (its race's distance) and the paces its sessions were sized with (its own race zone and
    goal), which the plan's headline ``paces`` (the first cycle's) do not say."""

    start: dt.date
    program: Program
    paces: Paces


@dataclass(frozen=True)
class Plan:
    athlete: Athlete
    program: Program
    focus: Focus
    paces: Paces
    weeks: tuple[Week, ...]
    # a season of two A races: the second cycle's paces (``paces`` are the first cycle's)
    second_cycle: CyclePaces | None = None

    @property
    def workouts(self) -> tuple[Workout, ...]:
        return tuple(w for week in self.weeks for w in week.workouts)

    @property
    def start(self) -> dt.date:
        return self.weeks[0].start

    @property
    def end(self) -> dt.date:
        return self.weeks[-1].start + dt.timedelta(days=6)


@dataclass(frozen=True)
class ScheduledWeek:
    """A week with its sessions placed on dates (schedule's output, expand's input)."""

    plan: WeekPlan
    slots: tuple[Slot, ...]
    notes: tuple[str, ...] = ()
