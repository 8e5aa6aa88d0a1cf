"""The profile's ``changes:`` read into ``Change``s (part of resolve, the athlete).

The schema (schemas/athlete.schema.json) checks each key's type; this module checks what only
the combination of keys says: one action per change, the keys that action needs, the dates in
order, a replacement that names a known workout, a volume share that makes sense.  Whether a
change fits the compiled plan (a workout on that day, a date in the plan, a day away, two hard
days in a row) is compiler/plan/changes.py's, which needs the plan.  Every problem is reported
at the value it is about, and a change with one is left out, so the others are still checked.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from ..model import CROSS_TRAINING, EASY_RUN, WEEKDAYS, Change, Source
from ..sources.library import Templates
from ..sources.reader import Reader
from ..vocabulary import ChangeAction, ChangeReason, SlotKind

# the keys each action reads besides its own (`reason`, `note` and `slot` go with any)
NEEDS: dict[ChangeAction, tuple[str, ...]] = {
    ChangeAction.MOVE: ("to",),
    ChangeAction.SKIP: (),
    ChangeAction.REPLACE: ("with",),
    ChangeAction.SWAP: ("with",),
    ChangeAction.LONG_RUN_DAY: ("week",),
    ChangeAction.VOLUME: ("from",),
}
TAKES: dict[ChangeAction, frozenset[str]] = {
    ChangeAction.MOVE: frozenset({"to"}),
    ChangeAction.SKIP: frozenset({"to"}),
    ChangeAction.REPLACE: frozenset({"with"}),
    ChangeAction.SWAP: frozenset({"with"}),
    ChangeAction.LONG_RUN_DAY: frozenset({"week"}),
    ChangeAction.VOLUME: frozenset({"from", "to"}),
}
COMMON = frozenset({"reason", "note", "slot"})
_SHARE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*%\s*$")
MIN_SHARE, MAX_SHARE = 0.1, 1.2  # a volume change scales the running to 10%..120% of the plan


def _date(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


def _share(text: str) -> float:
    match = _SHARE.match(text)
    if match is None:
        raise ValueError(f"'{text}' is not a share of the planned volume; write e.g. `80%`")
    return float(match.group(1)) / 100


def _action(r: Reader, index: int) -> ChangeAction | None:
    """The change's one action, or None (reported) when it has none or several."""
    raw = r.get("changes", index, default={})
    present = [action for action in ChangeAction if action in raw]
    if len(present) == 1:
        action = present[0]
        stray = sorted(set(raw) - COMMON - TAKES[action] - {action})
        for key in stray:
            r.fail(
                "bad-change",
                f"`{key}` has no effect on a `{action}` change",
                ("changes", index, key),
                f"a `{action}` change takes "
                + ", ".join(f"`{k}`" for k in sorted(TAKES[action] | COMMON)),
                key=True,
            )
        missing = [key for key in NEEDS[action] if key not in raw]
        for key in missing:
            r.fail(
                "bad-change",
                f"a `{action}` change needs `{key}`",
                ("changes", index, action),
                _NEED_HINT[action],
                key=True,
            )
        return None if stray or missing else action
    message = (
        f"a change has exactly one action, this one has {', '.join(present)}"
        if present
        else "a change needs an action"
    )
    r.fail(
        "bad-change",
        message,
        ("changes", index, present[1]) if present else ("changes", index),
        "use one of: " + ", ".join(ChangeAction),
        key=bool(present),
    )
    return None


_NEED_HINT: dict[ChangeAction, str] = {
    ChangeAction.MOVE: "write the new date as `to: YYYY-MM-DD`",
    ChangeAction.REPLACE: "write `with: easy` or the name of a workout template",
    ChangeAction.SWAP: "write the other day as `with: YYYY-MM-DD`",
    ChangeAction.LONG_RUN_DAY: "write a day of that week as `week: YYYY-MM-DD`",
    ChangeAction.VOLUME: "write the first day as `from: YYYY-MM-DD` (and the last as `to:`)",
}


def _where(r: Reader, index: int) -> tuple[tuple[str, Source], ...]:
    raw = r.get("changes", index, default={})
    return tuple((key, r.source(("changes", index, key))) for key in raw)


def _dates_in_order(r: Reader, index: int, first: dt.date, last: dt.date | None) -> bool:
    if last is None or last >= first:
        return True
    r.fail(
        "bad-date",
        "`to` is before the change's first day",
        ("changes", index, "to"),
        "`to` is the last day, on or after the first",
    )
    return False


def _check_replacement(
    r: Reader, index: int, replacement: str, slot: SlotKind, templates: Templates
) -> None:
    """A `replace` names an easy run, cross-training (in a run's place only) or a template."""
    at = ("changes", index, "with")
    if replacement == CROSS_TRAINING and slot != SlotKind.RUN:
        r.fail(
            "change-cross-training",
            "cross-training takes the place of a run, not of a strength session",
            at,
            "leave `slot:` out to replace the day's run, or `skip` the strength session",
        )
    elif replacement not in (EASY_RUN, CROSS_TRAINING) and replacement not in templates.workouts:
        r.fail(
            "unknown-reference",
            f"there is no workout named '{replacement}'",
            at,
            "write `easy` for an easy run, `cross-training` for a session that is not running, "
            "or the name of a workout template",
        )


def read_change(r: Reader, index: int, templates: Templates) -> Change | None:
    """The profile's change number ``index``, or None when it has a problem (reported)."""
    action = _action(r, index)
    if action is None:
        return None
    path = ("changes", index)
    errors = len(r.diagnostics)
    raw = r.get(*path, default={})
    common: dict[str, Any] = {
        "source": r.source((*path, action)),
        "slot": SlotKind(str(raw.get("slot", SlotKind.RUN))),
        "reason": ChangeReason(raw["reason"]) if "reason" in raw else None,
        "note": str(raw.get("note") or ""),
        "where": _where(r, index),
    }
    today = dt.date(2000, 1, 1)  # a placeholder only read when the date is bad (reported)
    if action == ChangeAction.LONG_RUN_DAY:
        day = r.convert(_date, (*path, "week"), today)
        change = Change(action, day, weekday=WEEKDAYS.index(str(raw[action])), **common)
    elif action == ChangeAction.VOLUME:
        day = r.convert(_date, (*path, "from"), today)
        last = r.convert(_date, (*path, "to"), None) if "to" in raw else None
        share = r.convert(_share, (*path, action), 1.0)
        if not MIN_SHARE <= share <= MAX_SHARE:
            r.fail(
                "bad-change",
                f"a volume of {share:.0%} of the plan makes no sense",
                (*path, action),
                f"write a share from {MIN_SHARE:.0%} to {MAX_SHARE:.0%}, e.g. `80%`",
            )
        _dates_in_order(r, index, day, last)
        change = Change(action, day, to=last, factor=share, **common)
    else:
        day = r.convert(_date, (*path, action), today)
        other = (
            raw.get("to") if action in (ChangeAction.MOVE, ChangeAction.SKIP) else raw.get("with")
        )
        last = None
        replacement = None
        if action == ChangeAction.REPLACE:
            replacement = str(other)
            _check_replacement(r, index, replacement, common["slot"], templates)
        elif other is not None:
            last = r.convert(_date, (*path, "to" if action != ChangeAction.SWAP else "with"), None)
            if action == ChangeAction.SKIP:
                _dates_in_order(r, index, day, last)
        change = Change(action, day, to=last, replacement=replacement, **common)
    return change if len(r.diagnostics) == errors else None


def read_changes(r: Reader, templates: Templates) -> tuple[Change, ...]:
    """Every change of the profile, in file order; those with a problem (reported) left out."""
    changes = (read_change(r, i, templates) for i in range(len(r.get("changes", default=[]))))
    return tuple(change for change in changes if change is not None)
