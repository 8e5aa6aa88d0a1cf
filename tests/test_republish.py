"""Re-publishing a feed through `planc build`: the calendar updates in place.

A second build into the same folder reads the feeds it published before: events whose workout
changed get a higher SEQUENCE, workouts that disappeared are cancelled, the rest keep their bytes.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from icalendar import Calendar

from compiler.api import build_site
from compiler.resources import examples_dir

HALF = (examples_dir() / "half-marathon.yaml").read_text("utf-8")
TODAY = dt.date(2026, 11, 22)


def build(folder: Path, out: Path, text: str, stamp: dt.datetime) -> None:
    (folder / "half-marathon.yaml").write_text(text, "utf-8")
    result = build_site([folder], out, today=TODAY, stamp=stamp)
    assert result.failed == ()


STAMPS = ("DTSTAMP", "LAST-MODIFIED", "SEQUENCE")


def events(path: Path) -> dict[str, tuple[int, str, str]]:
    """uid -> (SEQUENCE, STATUS, everything else the athlete sees)."""
    calendar = Calendar.from_ical(path.read_bytes())
    found = {}
    for event in calendar.walk("VEVENT"):
        content = "\n".join(
            line for line in event.to_ical().decode().splitlines() if not line.startswith(STAMPS)
        )
        found[str(event["UID"])] = (
            int(event.get("SEQUENCE", 0)),
            str(event.get("STATUS", "")),
            content,
        )
    return found


def test_a_rebuild_updates_events_in_place(tmp_path: Path) -> None:
    source, out = tmp_path / "in", tmp_path / "out"
    source.mkdir()
    first = dt.datetime(2026, 11, 22, 8, tzinfo=dt.UTC)
    build(source, out, HALF, first)
    before = events(out / "half-marathon" / "plan.ics")
    feed = (out / "half-marathon" / "plan.ics").read_bytes()

    build(source, out, HALF, first + dt.timedelta(days=1))  # nothing changed
    assert (out / "half-marathon" / "plan.ics").read_bytes() == feed, "unchanged: same bytes"

    # one day less a week: Thursday's runs move or disappear, the volume is shared anew
    fewer = HALF.replace("days: [monday, tuesday, thursday, saturday, sunday]",
                         "days: [monday, tuesday, saturday, sunday]")  # fmt: skip
    assert fewer != HALF
    build(source, out, fewer, first + dt.timedelta(days=2))
    after = events(out / "half-marathon" / "plan.ics")
    assert set(before) <= set(after), "no event disappears from a subscribed calendar"
    cancelled = [uid for uid, (_, status, _) in after.items() if status == "CANCELLED"]
    assert cancelled and all(uid in before for uid in cancelled)
    assert all(after[uid][0] == before[uid][0] + 1 for uid in cancelled)
    changed = [u for u in before if u not in cancelled and after[u][2] != before[u][2]]
    assert changed and all(after[u][0] == before[u][0] + 1 for u in changed)
    kept = [u for u in before if u not in cancelled and u not in changed]
    assert all(after[u][0] == before[u][0] for u in kept)
    busy = events(out / "half-marathon" / "busy.ics")
    assert all(
        "SUMMARY:Training" in c or "SUMMARY:Cancelled: Training" in c for *_, c in busy.values()
    )
    assert not any("km" in c for *_, c in busy.values()), "the busy feed has no details"
