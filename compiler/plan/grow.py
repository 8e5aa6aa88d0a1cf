"""Hard sessions sized to a fit athlete's week (part of stage 7, expand).

A workout template's params progress from `start` to `end` across a phase: numbers that suit
the athlete the template was written for.  For an athlete whose week is far bigger, 6 x 400 m
is a fraction of what Daniels' limits allow (interval pace at most 8% of the week), and the
rest of the day is easy "round-off" running.  A param with `grow_to` lets such a session grow,
a step at a time, cycling through the params that may grow, while the session still fits the
limits of a week `grow_from` (the phase's first week) to `grow_until` (its last) times the
real one: 6 x 400 m becomes 8 x 600 m, then 8 x 800 m, for a runner of 100 km a week.  The
limits themselves (sizing.oversized) stay the ceiling, and the shares below 100% leave room
for the week's other hard work; the week's running faster than easy, grown sessions and the
long run's race-pace block together, stays within FAST_BUDGET of what the focus's easy share
leaves, so growing one session never forces another to be cut to a stub."""

from __future__ import annotations

from collections.abc import Sequence

from ..model import Blueprint, Paces, Param, ScheduledWeek
from ..sources.steps import grown_value
from ..units import UnitError
from ..vocabulary import Intensity, Role
from .sessions import Draft, build_workout, fixed_and_fill
from .sizing import fast_seconds_and_metres, oversized


def growth_share(bp: Blueprint, week: ScheduledWeek) -> float:
    """The share of the week whose limits a grown session fits, by the week's place in its
    phase: sessions still progress across a phase when every week has room."""
    limits = bp.program.rules.quality
    weeks = week.plan.phase_weeks
    fraction = 0.0 if weeks <= 1 else (week.plan.phase_week - 1) / (weeks - 1)
    return limits.grow_from + (limits.grow_until - limits.grow_from) * fraction


FAST_BUDGET = 0.9  # of the running time the focus's easy share leaves to faster running


def grow_week(
    bp: Blueprint, paces: Paces, week: ScheduledWeek, drafts: Sequence[Draft], week_m: float
) -> tuple[list[Draft], list[str]]:
    """The week's sessions with its hard quality sessions grown (see the module), in the order
    of their priority, and notes saying how.  A taper's sessions do not grow: its intensity
    stays while its volume drops (a marathoner's tempo grew from 15 to 25 min ten days before
    the race); nor do a cutback week's, which is the rest (its progression run grew bigger than
    in the full weeks around it).  But in every week, taper and cutback too, a session short
    of the least work first grows to it (grow_to_least)."""
    grown, notes = [], []
    for session in drafts:
        least, note = grow_to_least(bp, paces, session, week_m)
        grown.append(least)
        notes.extend([note] if note else [])
    if week.plan.tapering or week.plan.cutback:
        return grown, notes
    drafts = list(grown)
    fast = [_fast(bp, paces, d) for d in drafts]
    for i in sorted(range(len(drafts)), key=lambda i: drafts[i].slot.rank):
        others = (sum(s for s, _ in fast) - fast[i][0], sum(m for _, m in fast) - fast[i][1])
        grown[i], note = grow(bp, paces, week, drafts[i], week_m, others)
        if note is not None:
            fast[i] = _fast(bp, paces, grown[i])
            notes.append(note)
    return grown, notes


def _fast(bp: Blueprint, paces: Paces, session: Draft) -> tuple[float, float]:
    """Seconds and metres of running faster than easy in ``session``."""
    steps = build_workout(bp, paces, session, 0.0).steps
    return fast_seconds_and_metres(steps)


def grow(
    bp: Blueprint,
    paces: Paces,
    week: ScheduledWeek,
    session: Draft,
    week_m: float,
    others: tuple[float, float] = (0.0, 0.0),
) -> tuple[Draft, str | None]:
    """``session`` grown to fit a week of ``week_m`` whose other sessions run ``others``
    (seconds, metres) faster than easy (see the module), and a note saying how; the session
    itself and None when it is no hard quality session, has no param that may grow, or has
    no room."""
    growable = [p for p in session.template.params if p.grow_to is not None]
    if (
        session.slot.role != Role.QUALITY
        or session.template.intensity != Intensity.HARD
        or not growable
    ):
        return session, None
    share = growth_share(bp, week)
    room = share * week_m
    easy_share = bp.focus.min_easy_share
    easy_pace = paces.zones["easy"].mid / 1000  # seconds per metre

    def fits(candidate: Draft) -> bool:
        workout = build_workout(bp, paces, candidate, 0.0)
        if oversized(bp, room, workout) is not None:
            return False
        # the week's time: its fast running, and the rest of its metres at easy pace
        fast_s, fast_m = fast_seconds_and_metres(workout.steps)
        fast_s, fast_m = fast_s + others[0], fast_m + others[1]
        easy_s = max(week_m - fast_m, 0.0) * easy_pace
        return fast_s <= FAST_BUDGET * (1 - easy_share) * (easy_s + fast_s)

    if not fits(session):
        return session, None
    grown = session
    while growable:
        for param in list(growable):
            candidate = _one_step(paces, grown, param)
            if candidate is not None and fits(candidate):
                grown = candidate
            else:
                growable.remove(param)
    if grown is session:
        return session, None
    why = f"grown to the week (within the limits of {share:.0%} of it)"
    return grown, _grown_note(session, grown, why)


def grow_to_least(
    bp: Blueprint, paces: Paces, session: Draft, week_m: float
) -> tuple[Draft, str | None]:
    """``session`` grown, a step of each param with `grow_to` in turn, to the first size that
    holds the program's `quality_limits.min_work`, while each step fits the limits of a week
    of ``week_m`` (the real week: the least is no growth); and a note saying how.  The
    session itself and None when it is no hard quality session, already holds the least, or
    cannot reach it within the limits (it is then made easy or swapped, as before).  A
    template's first size suits the athlete it was written for: 6 x 400 m at 5K pace is 7.4
    min of work for a 15:20 5K runner, so his 5K taper lost its intervals to an easy run
    (review round 21; Bosquet 2007: cut the volume, keep the intensity)."""
    growable = [p for p in session.template.params if p.grow_to is not None]
    if (
        session.slot.role != Role.QUALITY
        or session.template.intensity != Intensity.HARD
        or not growable
    ):
        return session, None
    least = bp.program.rules.quality.min_work_s - 1e-6

    def work(candidate: Draft) -> float:
        return fast_seconds_and_metres(build_workout(bp, paces, candidate, 0.0).steps)[0]

    if work(session) >= least:
        return session, None
    grown = session
    while growable and work(grown) < least:
        for param in list(growable):
            candidate = _one_step(paces, grown, param)
            if candidate is None or oversized(
                bp, week_m, build_workout(bp, paces, candidate, 0.0), least=False
            ):
                growable.remove(param)
                continue
            grown = candidate
            if work(grown) >= least:
                break
    if work(grown) < least:
        return session, None
    return grown, _grown_note(session, grown, "grown to the least work of a session")


def _grown_note(session: Draft, grown: Draft, why: str) -> str:
    changes = ", ".join(
        f"{p.name} {grown.context[p.name]} instead of {session.context[p.name]}"
        for p in session.template.params
        if grown.context.get(p.name) != session.context.get(p.name)
    )
    return f"{session.slot.date}: {session.template.name} with {changes}: {why}"


def _one_step(paces: Paces, session: Draft, param: Param) -> Draft | None:
    """``session`` with ``param`` one step bigger, or None when it may grow no further."""
    try:
        value = grown_value(param, session.context[param.name])
    except UnitError:
        return None  # planc check reports a grow_to of another kind
    if value is None:
        return None
    context = {**session.context, param.name: value}
    fixed, has_fill, fixed_s = fixed_and_fill(session.template, context, paces)
    return Draft(session.slot, session.template, context, fixed, has_fill, fixed_s)
