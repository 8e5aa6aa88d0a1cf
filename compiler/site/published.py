"""What a previous build left in an athlete's output folder, read back for the next one."""

from __future__ import annotations

from pathlib import Path

from ..emit.outputs import RECORD
from ..emit.registry import PLAN_JSON, feeds


def published(folder: Path) -> dict[str, bytes]:
    """The feeds and the record a previous build left in ``folder`` (an athlete's output
    folder), by name; plan.json too where there is no record (a folder built before it)."""
    found = {}
    for name in (*feeds(), RECORD, PLAN_JSON.name):
        if name == PLAN_JSON.name and RECORD in found:
            break
        try:
            found[name] = (folder / name).read_bytes()
        except OSError:
            continue  # first build, or unreadable: carry_over says what that means
    return found
