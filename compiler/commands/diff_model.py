"""What `planc diff` finds, as data: a field, workout, week or athlete that differs, a plan.json
that could not be read, and the whole comparison of two builds.

The frozen dataclasses passed between the comparison (:mod:`.diff_compare`), the reading of two
output folders (:mod:`.diff`) and the text and JSON reports (:mod:`.diff_render`); kept apart
so each of those imports them from below, and none imports another to get them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from ..units import Unit

FORMAT = "planc-diff/1"  # the "format" key of render_json's document


Status = Literal["added", "removed", "changed", "unchanged"]


@dataclass(frozen=True)
class FieldChange:
    """One field that differs: its plan.json name and its old and new values (as in plan.json,
    except ``steps``, which is compared whole and reported as a one-line summary)."""

    name: str
    old: Any
    new: Any


@dataclass(frozen=True)
class LayerCause:
    """One of the athlete's changes (a plan.json ``layers`` item) that explains why a workout
    differs: a layer the new build has and the old one had not, or (``undone``) one the old
    build had and the new one has not (the change was removed from the profile)."""

    action: str  # moved, skipped, replaced, swapped, scaled, eased
    file: str
    line: int
    text: str  # plan.json's words: "moved by sam.yaml:31: travel (from 2027-01-13)"
    reason: str | None = None
    note: str | None = None
    undone: bool = False

    @property
    def words(self) -> str:
        """The cause as the text report writes it."""
        return f"undone: {self.text}" if self.undone else self.text


@dataclass(frozen=True)
class WorkoutChange:
    """A workout added, removed or changed (``fields`` is empty for added and removed ones).
    ``date`` and ``title`` are the new ones, or the old ones for a removed workout.
    ``layers``: the athlete's changes that caused the difference (none: a template or
    engine change), so a reviewer tells an athlete's own edits from a template's effect."""

    uid: str
    date: str
    title: str
    fields: tuple[FieldChange, ...] = ()
    layers: tuple[LayerCause, ...] = ()


@dataclass(frozen=True)
class WeekChange:
    """A week (keyed by its start date) added, removed, or with a changed phase, target, planned
    volume or cutback."""

    start: str
    index: int
    status: Status
    fields: tuple[FieldChange, ...] = ()


@dataclass(frozen=True)
class AthleteDiff:
    athlete_id: str
    status: Status
    units: Unit = "km"  # the athlete's units (the new plan's, or the old one's when removed)
    plan: tuple[FieldChange, ...] = ()  # program, focus, race, start, end...
    weeks: tuple[WeekChange, ...] = ()
    workouts_added: tuple[WorkoutChange, ...] = ()
    workouts_removed: tuple[WorkoutChange, ...] = ()
    workouts_changed: tuple[WorkoutChange, ...] = ()
    # the registry's families of files (a FIT file per run), by path in the athlete's folder,
    # compared by what they hold (their family's record), not by when they were made
    files_added: tuple[str, ...] = ()
    files_removed: tuple[str, ...] = ()
    files_changed: tuple[str, ...] = ()


@dataclass(frozen=True)
class Problem:
    """A plan.json that could not be compared: ``side`` is "old" or "new"."""

    athlete_id: str
    side: Literal["old", "new"]
    path: str
    message: str


@dataclass(frozen=True)
class SiteDiff:
    old: str
    new: str
    athletes: tuple[AthleteDiff, ...]  # by id; athletes with a problem are left out
    problems: tuple[Problem, ...] = ()

    @property
    def changed(self) -> bool:
        return any(a.status != "unchanged" for a in self.athletes)
