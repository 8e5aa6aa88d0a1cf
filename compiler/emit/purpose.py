"""A week's purpose, told to the athlete: what the week is for and which sessions matter.

plan.md and the plan page show this instead of the compiler's trace (``Week.notes`` and
``Week.rule``, which say how the solver arrived at the week and stay in ``planc explain`` and
plan.json).  It is worded from the plan's data alone: the phase, whether the week is a cutback,
holds race day, follows it or has days away, and the week's sessions.  It never speaks of
targets, caps or shares of the peak: the athlete needs the why, not the arithmetic.

Phase names come from templates, and a coach can add a phase called anything: the bundled
phases (base, build, taper, recovery) have their own words; any other phase is named by its
title, followed by the week's key sessions.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from ..model import BACK_FROM_BREAK, Plan, Race, Week, Workout
from ..vocabulary import Category, Intensity, RacePriority, Role, Zone
from .text import WEEKDAY_ABBR, WEEKDAY_NAMES

# The sessions a week is built around, in the order a week lists them.
KEY_ROLES = frozenset({Role.QUALITY, Role.LONG})
# the roles and the categories of sessions that are not runs
NOT_RUN_ROLES = frozenset({Role.STRENGTH, Role.RACE, Role.CROSS_TRAINING})
NOT_RUN_CATEGORIES = frozenset(
    {Category.STRENGTH, Category.RACE, Category.REST, Category.CROSS_TRAINING}
)


def _key_sessions(week: Week) -> list[Workout]:
    return [w for w in week.workouts if w.role in KEY_ROLES]


EASY_ROLES = (Role.EASY, Role.RECOVERY, Role.SHAKEOUT, Role.MEDIUM_LONG)


def _quality(week: Week) -> list[Workout]:
    return [w for w in week.workouts if w.role == Role.QUALITY]


def _has_long(week: Week) -> bool:
    return any(w.role == Role.LONG for w in week.workouts)


EASY_ZONES = frozenset({Zone.RECOVERY, Zone.EASY, Zone.STEADY})


def _fast_long(week: Week) -> bool:
    """Whether the week's long run holds a block faster than steady (race pace, a tempo):
    "easy running" is no word for a week with 50 min at goal pace in it (round 22)."""
    return any(
        step.zone is not None and step.zone not in EASY_ZONES
        for w in week.workouts
        if w.role == Role.LONG
        for step in w.steps
    )


def _light_only(plan: Plan, week: Week) -> bool:
    """Whether the week's quality sessions are all the program's light session (the light
    fartlek): a taste of speed, not "speed work" (round 22: a beginner's first week)."""
    light = plan.program.rules.return_light_session
    quality = _quality(week)
    return bool(quality) and light is not None and all(w.template == light for w in quality)


def _key_text(workouts: Sequence[Workout]) -> str:
    """'Key sessions: 6 x 400m at 5K pace (Tue), Long run · 18 km (Sun).' ('' when none)."""
    if not workouts:
        return ""
    named = ", ".join(f"{w.title.strip()} ({WEEKDAY_ABBR[w.date.weekday()]})" for w in workouts)
    word = "Key session" if len(workouts) == 1 else "Key sessions"
    return f"{word}: {named}."


def _a_race_ahead(plan: Plan, week: Week) -> Race | None:
    """The A race ``week`` leads to: the first on or after its first day (the last A race for
    a week after every race; None for a block).  A season of two A races has two cycles."""
    races = plan.athlete.a_races
    ahead = [r for r in races if r.date >= week.start]
    return ahead[0] if ahead else (races[-1] if races else None)


def _a_race_behind(plan: Plan, week: Week) -> Race | None:
    """The last A race before ``week`` begins (None: none yet)."""
    behind = [r for r in plan.athlete.a_races if r.date < week.start]
    return behind[-1] if behind else None


def _is_race_week(plan: Plan, week: Week) -> bool:
    race = plan.athlete.race
    if race is None:  # a training block has no race week
        return False
    return week.holds(race.date) or any(
        w.role == Role.RACE and plan.athlete.minor_race_on(w.date) is None for w in week.workouts
    )


def _minor_race_week(plan: Plan, week: Week) -> str | None:
    """The purpose of a week holding a B or C race (None: it holds none)."""
    race = next((r for r in plan.athlete.other_races if week.holds(r.date)), None)
    if race is None:
        return None
    day = WEEKDAY_NAMES[race.date.weekday()]
    key = _key_text([w for w in _key_sessions(week) if w.category != Category.RACE])
    if race.priority == RacePriority.B:
        lead = (
            f"Your B race, {race.name}, on {day}: a lighter week, the days before it easy so "
            "you race fresh, and easy days after it. Good luck!"
        )
    else:
        lead = (
            f"Your C race, {race.name}, on {day}, takes the place of a hard session: race it "
            "on the legs you have, as part of training."
        )
    return _sentences(lead, key)


def _away_notes(plan: Plan, week: Week) -> list[str] | None:
    """The athlete's notes for time away that takes running days from this week (None: no
    running day of the week is away; an away period without a note gives no note)."""
    athlete = plan.athlete
    if athlete.days_away(week.start, week.days) == 0:
        return None
    days = [week.start + dt.timedelta(days=i) for i in range(week.days)]
    running = [d for d in days if d.weekday() in athlete.availability.days]
    notes: list[str] = []
    for away in athlete.away:
        if any(away.covers(d) for d in running) and away.note.strip():
            note = " ".join(away.note.split())
            if note not in notes:
                notes.append(note)
    return notes


def _first_quality_week(plan: Plan, week: Week) -> int | None:
    """The index of the first week of ``week``'s cycle (after the A race before it, up to
    the one it leads to, or the block's last day) that holds a quality session."""
    ahead, behind = _a_race_ahead(plan, week), _a_race_behind(plan, week)
    race_day = ahead.date if ahead is not None else plan.athlete.last_day
    for each in plan.weeks:
        if behind is not None and each.start <= behind.date:
            continue
        if each.start > race_day:
            return None
        if _quality(each):
            return each.index
    return None


def _sentences(*parts: str) -> str:
    return " ".join(p for p in parts if p)


def _race_week(plan: Plan, week: Week) -> str:
    race = _a_race_ahead(plan, week)
    assert race is not None, "only a plan with a race has a race week"
    sharpeners = [w for w in _quality(week) if w.date < race.date]
    # "easy running" only when the week has some before the race (round 19: a beginner's race
    # week of a sharpener and the race read "easy running and a sharpener")
    easy = any(w.role in EASY_ROLES and w.date < race.date for w in week.workouts)
    running = "easy running and " if easy else ""
    if sharpeners:
        titles = ", ".join(w.title.strip() for w in sharpeners)
        which = "a sharpener" if len(sharpeners) == 1 else "sharpeners"
        rest = "" if easy else ", the other days rest,"
        lead = f"Race week: {running}{which} ({titles}){rest} so you arrive fresh."
    elif easy:
        lead = "Race week: easy running so you arrive fresh."
    else:
        lead = "Race week: rest so you arrive fresh."
    if week.holds(race.date):
        luck = f"Good luck at {race.name} on {WEEKDAY_NAMES[race.date.weekday()]}!"
    else:
        luck = f"Good luck at {race.name}!"
    return _sentences(lead, luck)


def _recovery(plan: Plan, week: Week) -> str:
    race = _a_race_behind(plan, week)
    without = [
        text
        for text, missing in (
            ("no speed work", not _quality(week)),
            ("no long run", not _has_long(week)),
        )
        if missing
    ]
    runs = [
        w
        for w in week.workouts
        if w.role not in NOT_RUN_ROLES and w.category not in NOT_RUN_CATEGORIES
    ]
    easy_only = bool(runs) and all(w.intensity == Intensity.EASY for w in runs)
    what = "easy running only" if easy_only else "lighter running"
    if without:
        what += ", " + " and ".join(without)
    if race is not None and week.start > race.date and week.phase_week == 1:
        lead = f"Recover from {race.name}: {what}."
    else:
        lead = f"Keep recovering: {what}."
    return _sentences(lead, _key_text(_key_sessions(week)))


def _base(plan: Plan, week: Week) -> str:
    if _quality(week):
        return _sentences("Build your aerobic base.", _key_text(_key_sessions(week)))
    strides = any(w.category == Category.STRIDES for w in week.workouts)
    running = "easy running and a few strides" if strides else "easy running"
    if week.index == 1:
        lead = f"Your first week: {running} to start building your aerobic base; no speed work yet."
    else:
        lead = f"Build your aerobic base with {running}; no speed work yet."
    return _sentences(lead, _key_text(_key_sessions(week)))


def week_purpose(plan: Plan, week: Week) -> str:
    """One or two plain sentences for the athlete: what ``week`` is for and its key sessions.

    In order of precedence: race week, time away, recovery after the race, a cutback week (or
    the lighter week speed work begins in), the taper, the week speed work begins, then the
    phase (base, build, or any other phase by its title).  Pure: worded from ``plan`` and
    ``week`` alone, never from the solver's notes."""
    race = plan.athlete.race
    key = _key_text(_key_sessions(week))
    if _is_race_week(plan, week):
        return _race_week(plan, week)
    minor = _minor_race_week(plan, week)
    if minor is not None:
        return minor
    away = _away_notes(plan, week)
    if away is not None:
        why = f" ({'; '.join(away)})" if away else ""
        if not week.workouts:
            return f"Time away{why}: nothing planned this week. Enjoy the break."
        return _sentences(f"A shorter week around your time away{why}.", key)
    if not week.workouts:
        return "A week of rest."
    if race is None and week is plan.weeks[-1] and not week.cutback:
        return _sentences("The last week of your block: a normal week, no taper and no race.", key)
    if week.phase == "recovery":
        return _recovery(plan, week)
    first_speed = bool(_quality(week)) and week.index == _first_quality_week(plan, week)
    if week.cutback and first_speed:
        if _light_only(plan, week):
            lead = "A first taste of faster running, in a lighter week: keep it relaxed."
            return _sentences(lead, key)
        return _sentences("Speed work begins, in a lighter week: keep the other runs easy.", key)
    if week.rule.startswith(BACK_FROM_BREAK):
        if _quality(week) or _fast_long(week):
            lead = "Back from your time away: ease back in, with the other runs easy."
            return _sentences(lead, key)
        return _sentences("Back from your time away: easy running to ease back in.", key)
    if week.cutback:
        return _sentences("A lighter week to absorb the last weeks' work.", key)
    return _by_phase(plan, week, key, first_speed)


def _by_phase(plan: Plan, week: Week, key: str, first_speed: bool) -> str:
    """week_purpose for a week that no race, trip, recovery or cutback words: by its phase
    (the taper, the week speed work begins, base, build, maintain, or any other by its
    title)."""
    if week.phase == "taper":
        sharp = "; the key sessions keep you sharp" if _quality(week) else ""
        ahead = _a_race_ahead(plan, week)
        goal = ahead.name if ahead is not None else "the end of the block"
        return _sentences(f"Taper: run less so you arrive fresh at {goal}{sharp}.", key)
    if first_speed and _light_only(plan, week):
        lead = "A first taste of faster running, on top of your base: keep it relaxed."
        return _sentences(lead, key)
    if first_speed:
        return _sentences("Speed work begins, on top of your base: keep the other runs easy.", key)
    if week.phase == "base":
        return _base(plan, week)
    if week.phase == "build" and _quality(week):
        return _sentences(
            "Speed work on top of your base: keep the other runs easy so the key sessions count.",
            key,
        )
    if week.phase == "build" and _fast_long(week):
        return _sentences("Keep building your fitness: easy running around the long run.", key)
    if week.phase == "build":
        return _sentences("Keep building your fitness with easy running.", key)
    if week.phase == "maintain":
        return _sentences("Hold your fitness: your usual running with a little speed work.", key)
    title = " ".join(week.phase_title.split()) or week.phase
    return _sentences(f"{title}, week {week.phase_week}.", key or "Easy running this week.")
