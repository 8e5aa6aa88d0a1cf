"""An athlete's watch outputs, by path in their folder: ``intervals.json`` always; with the FIT SDK
installed (``planc[watch]``) also ``workouts/<date>-<slot>.fit`` for every run, ``workouts.zip``
(the upcoming weeks' files, for one download) and ``workouts/.planc-fit.json``, the record that
keeps the files' bytes steady.

A FIT file carries the time it was made (``file_id.time_created``).  A workout that is new or
changed gets the build's stamp (SOURCE_DATE_EPOCH when set, else now, as the calendar's
DTSTAMP); one that did not change keeps the time the record holds for it, so its bytes are the
same and the writer leaves the file alone.  The record keeps, per file, a digest of everything
else in it (the content) and that time.  With no record (a first build, a fresh folder) every
file gets the stamp: the same inputs and SOURCE_DATE_EPOCH give the same bytes.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import zipfile
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from ..model import Plan
from . import fit
from .intervals_icu import emit_intervals
from .registry import INTERVALS_JSON, WORKOUT_FILES, WORKOUTS_ZIP
from .watch import fit_name, runs, upcoming

RECORD = WORKOUT_FILES.record_path  # each file's key, time and sha256 (see registry.Family)
_ZIP_TIME = (1980, 1, 1, 0, 0, 0)  # every member's date in the zip: a fixed one, for steady bytes


Entry = tuple[str, int, str]  # content key, time_created (epoch seconds), sha256 of the file


def read_record(data: bytes | None) -> dict[str, Entry]:
    """The record as written by ``watch_files`` (name -> Entry); empty when missing or damaged
    (every file is then encoded again, with the build's stamp)."""
    try:
        raw: Any = json.loads(data or b"{}")
        return {str(k): (str(v["key"]), int(v["created"]), str(v["sha"])) for k, v in raw.items()}
    except (ValueError, TypeError, KeyError, AttributeError):
        return {}


def _record_bytes(entries: Mapping[str, Entry]) -> bytes:
    data = {
        name: {"created": created, "key": key, "sha": sha}
        for name, (key, created, sha) in entries.items()
    }
    return (json.dumps(data, indent=1, sort_keys=True) + "\n").encode("utf-8")


def _kept(folder: Path | None, name: str, entry: Entry) -> bytes | None:
    """The file ``name`` as the last build left it, when its bytes are still the ones recorded."""
    if folder is None:
        return None
    try:
        data = (folder / name).read_bytes()
    except OSError:
        return None
    return data if hashlib.sha256(data).hexdigest() == entry[2] else None


def fit_zip(files: Mapping[str, bytes], names: Iterable[str]) -> bytes:
    """A zip of ``names`` (paths in ``files``), flat, in order, stored (FIT files hardly
    compress), with fixed dates and modes: the same files give the same bytes."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as archive:
        for name in names:
            info = zipfile.ZipInfo(name.rpartition("/")[2], date_time=_ZIP_TIME)
            info.external_attr = 0o644 << 16
            archive.writestr(info, files[name])
    return out.getvalue()


def watch_files(
    plan: Plan,
    *,
    stamp: dt.datetime,
    today: dt.date | None,
    previous_record: bytes | None = None,
    with_fit: bool | None = None,
    folder: Path | None = None,
    memo: fit.Encoded | None = None,
) -> dict[str, bytes]:
    """The athlete's watch outputs by path.  ``previous_record``: the record the last build left
    (``RECORD``); ``with_fit``: whether to write FIT files (default: when the SDK is installed);
    ``folder``: where the last build left them: an unchanged workout's file, still as recorded,
    is taken from there instead of being encoded again (encoding is most of the cost);
    ``memo``: what this build encoded for the athletes before (the same warm-up or recovery
    jog in many athletes' plans is encoded once a worker), kept bounded (``Encoded.trim``);
    without it, a memo of this athlete's files alone.  The bytes are the same either way."""
    files = {INTERVALS_JSON.name: emit_intervals(plan)}
    if not (fit.available() if with_fit is None else with_fit):
        return files
    unit = plan.athlete.units
    before = read_record(previous_record)
    now = int(stamp.timestamp())
    made: dict[str, tuple[fit.WorkoutFile, int, bytes | None]] = {}  # name -> file, time, kept
    for workout in runs(plan):
        name = fit_name(workout)
        file = fit.prepare(workout, unit)
        old = before.get(name)
        if old is not None and old[0] == file.key:  # unchanged: its time, and its file if intact
            made[name] = (file, old[1], _kept(folder, name, old))
        else:
            made[name] = (file, now, None)
    encoded = fit.Encoded() if memo is None else memo  # an easy 8 km on ten days: encoded once
    encoded.trim()
    fit.prime((file for file, _, data in made.values() if data is None), encoded)
    record: dict[str, Entry] = {}
    for name, (file, created, kept) in made.items():
        data = kept
        if data is None:
            data = fit.encode(file, dt.datetime.fromtimestamp(created, dt.UTC), encoded)
        files[name] = data
        record[name] = (file.key, created, hashlib.sha256(data).hexdigest())
    files[WORKOUTS_ZIP.name] = fit_zip(files, [fit_name(w) for w in upcoming(plan, today)])
    files[RECORD] = _record_bytes(record)
    return files
