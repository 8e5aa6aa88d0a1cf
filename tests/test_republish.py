"""Re-publishing a feed through `planc build`: the calendar updates in place.

A second build into the same folder reads the feeds it published before: events whose workout
changed get a higher SEQUENCE, workouts that disappeared are cancelled, the rest keep their bytes.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from icalendar import Calendar

from compiler.api import build_site
from compiler.emit.ical_read import read_feed
from compiler.resources import examples_dir

HALF = (examples_dir() / "half-marathon.yaml").read_text("utf-8")
TODAY = dt.date(2026, 11, 22)
UTC = dt.UTC


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


# --------------------------------------------------------------------------- issue 12


def without_start(text: str) -> str:
    return "".join(line for line in text.splitlines(True) if not line.startswith("start:"))


def test_a_weekly_rebuild_keeps_the_current_week(tmp_path: Path) -> None:
    """A plan without `start:` built on Sunday starts on Monday; rebuilt on Wednesday it must not
    move a week on and cancel the week the athlete is running."""
    source, out = tmp_path / "in", tmp_path / "out"
    source.mkdir()
    text = without_start(HALF)
    assert text != HALF
    (source / "half-marathon.yaml").write_text(text, "utf-8")
    feed = out / "half-marathon" / "plan.ics"
    sunday = dt.date(2026, 11, 22)
    first = build_site([source], out, today=sunday, stamp=dt.datetime(2026, 11, 22, 8, tzinfo=UTC))
    assert first.failed == ()
    published = feed.read_bytes()
    monday = sunday + dt.timedelta(days=1)
    week = [monday + dt.timedelta(days=i) for i in range(7)]
    days = {f"{day:%Y%m%d}" for day in week} | {day.isoformat() for day in week}
    this_week = [u for u in events(feed) if any(f"-{day}-" in u for day in days)]
    assert this_week, "the plan starts the Monday after the first build"
    for day, record in (
        (sunday + dt.timedelta(days=3), True),
        (sunday + dt.timedelta(days=5), False),
    ):
        if not record:
            (out / "half-marathon" / ".planc-record.json").unlink()  # a folder built before it
        stamp = dt.datetime.combine(day, dt.time(12), tzinfo=UTC)
        again = build_site([source], out, today=day, stamp=stamp)
        assert again.failed == () and not again.diagnostics
        after = events(feed)
        assert not [u for u, (_, status, _) in after.items() if status == "CANCELLED"], day
        assert feed.read_bytes() == published, "the same plan: the feed is left as it was"


def damage_cases(feed: bytes) -> dict[str, bytes]:
    first = feed.index(b"BEGIN:VEVENT")
    second = feed.index(b"BEGIN:VEVENT", first + 1)
    return {
        "an error page": b"<!doctype html><title>502 Bad Gateway</title>\n",
        "truncated": feed[: len(feed) // 2],
        "a duplicated event": feed.replace(b"END:VCALENDAR", feed[first:second] + b"END:VCALENDAR"),
    }


def test_a_damaged_feed_is_warned_about_and_its_history_rebuilt(tmp_path: Path) -> None:
    source, out = tmp_path / "in", tmp_path / "out"
    source.mkdir()
    first = dt.datetime(2026, 11, 22, 8, tzinfo=UTC)
    build(source, out, HALF, first)
    fewer = HALF.replace("days: [monday, tuesday, thursday, saturday, sunday]",
                         "days: [monday, tuesday, saturday, sunday]")  # fmt: skip
    build(source, out, fewer, first + dt.timedelta(hours=1))  # SEQUENCEs move, events cancelled
    feed = out / "half-marathon" / "plan.ics"
    published, before = feed.read_bytes(), events(feed)
    assert any(seq > 0 for seq, _, _ in before.values())
    for what, damaged in damage_cases(published).items():
        feed.write_bytes(damaged)
        result = build_site([source], out, today=TODAY, stamp=first + dt.timedelta(hours=2))
        assert result.failed == (), what
        warned = [d for d in result.diagnostics if d.code == "damaged-feed"]
        assert len(warned) == 1 and warned[0].severity.value == "warning", what
        assert warned[0].file is not None and warned[0].file.endswith("plan.ics")
        assert "damaged" in warned[0].message and "SEQUENCE" in warned[0].message, what
        assert warned[0].hint and "calendar" in warned[0].hint
        after = events(feed)
        assert set(after) == set(before), f"{what}: every event is still in the feed"
        for uid, (sequence, status, _) in after.items():
            assert sequence >= before[uid][0], f"{what}: {uid} SEQUENCE went down"
            assert status == before[uid][1], f"{what}: {uid}"
        feed.write_bytes(published)  # as it was, for the next case


def test_without_the_record_a_damaged_feed_says_history_was_lost(tmp_path: Path) -> None:
    source, out = tmp_path / "in", tmp_path / "out"
    source.mkdir()
    first = dt.datetime(2026, 11, 22, 8, tzinfo=UTC)
    build(source, out, HALF, first)
    feed = out / "half-marathon" / "plan.ics"
    feed.write_bytes(b"<html>Service Unavailable</html>")
    (out / "half-marathon" / ".planc-record.json").unlink()
    result = build_site([source], out, today=TODAY, stamp=first + dt.timedelta(hours=1))
    (warned,) = [d for d in result.diagnostics if d.code == "damaged-feed"]
    assert "lost" in warned.message and "not a calendar" in warned.message
    assert warned.hint is not None and "re-add the calendar" in warned.hint


def test_a_line_the_end_of_a_cut_feed_splits_is_not_read(tmp_path: Path) -> None:
    """A feed cut in the middle of a UID line kept an event with the UID's first letters (a
    truncated feed half-way through `UID:half-marathon-...` gave an event `ha`): a last line
    with no line break after it is no line."""
    source, out = tmp_path / "in", tmp_path / "out"
    source.mkdir()
    build(source, out, HALF, dt.datetime(2026, 11, 22, 8, tzinfo=UTC))
    feed = (out / "half-marathon" / "plan.ics").read_bytes()
    at = feed.rindex(b"\nUID:") + len(b"\nUID:ha")
    state = read_feed(feed[:at])
    assert state.problems and all(uid.startswith("half-marathon-") for uid in state.events)
    assert "ha" not in state.seen
