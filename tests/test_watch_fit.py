"""FIT workout files (issue 16), read back by two decoders planc does not write: the FIT SDK's own
Decoder (integrity check, no errors) and fitdecode (CRC checked).  The steps are replayed as a
watch runs them (repeats expanded, nested ones too) and compared with plan.json, step by step:
distance or time, the pace range as a speed range, the intent.  Over generated athletes (km and
mi: tests/test_properties.py's profiles) and the hand-made plans of tests/plan_factory.py."""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import json
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import compiler.emit.fit as fit_module
from compiler.emit import emit_json
from compiler.emit.fit import (
    Encoded,
    encode,
    encode_workout,
    file_messages,
    prepare,
    prime,
    serial_number,
)
from compiler.emit.fit_records import Unexpected, crc16, split
from compiler.emit.watch import SINGLE_PACE_MARGIN_S, is_run, runs
from compiler.emit.watch_files import watch_files
from compiler.model import Plan
from compiler.units import METRES_PER, Unit

garmin_fit_sdk = pytest.importorskip("garmin_fit_sdk")
fitdecode = pytest.importorskip("fitdecode")

from plan_factory import by_distance, by_time, make_plan, repeat  # noqa: E402
from test_properties import SETTINGS, compile_profile, profiles  # noqa: E402

CREATED = dt.datetime(2026, 11, 1, 6, 0, tzinfo=dt.UTC)
INTENTS = {"warmup": "warmup", "cooldown": "cooldown", "recover": "recovery", "jog": "recovery"}
INTENTS |= {"walk": "rest", "run": "active"}


def sdk_messages(data: bytes) -> dict[str, Any]:
    """The SDK's reading of a file, after its integrity check; no errors allowed."""
    stream = garmin_fit_sdk.Stream.from_byte_array(bytearray(data))
    decoder = garmin_fit_sdk.Decoder(stream)
    assert decoder.is_fit() and decoder.check_integrity()
    stream = garmin_fit_sdk.Stream.from_byte_array(bytearray(data))
    messages, errors = garmin_fit_sdk.Decoder(stream).read()
    assert errors == []
    read: dict[str, Any] = messages
    return read


def fitdecode_steps(data: bytes) -> list[dict[str, Any]]:
    """The workout steps as fitdecode reads them, with every CRC checked."""
    steps = []
    with fitdecode.FitReader(io.BytesIO(data), check_crc=fitdecode.CrcCheck.ENABLED) as reader:
        for frame in reader:
            if isinstance(frame, fitdecode.FitDataMessage) and frame.name == "workout_step":
                steps.append({f.name: f.value for f in frame.fields})
    return steps


def replay(steps: Sequence[Mapping[str, Any]]) -> Iterator[Mapping[str, Any]]:
    """The steps in the order a watch runs them: a repeat step sends it back to the step it
    names until done (its counter starts again when done, so a nested repeat runs in full on
    every pass of the outer one)."""
    done: dict[int, int] = {}
    index = 0
    while index < len(steps):
        step = steps[index]
        if step["duration_type"] != "repeat_until_steps_cmplt":
            yield step
            index += 1
            continue
        done[index] = done.get(index, 0) + 1
        if done[index] < step["repeat_steps"]:
            index = int(step["duration_step"])
        else:
            done[index] = 0
            index += 1
    assert len(done) == sum(1 for s in steps if s["duration_type"] == "repeat_until_steps_cmplt")


def leaves(steps: Sequence[Mapping[str, Any]]) -> Iterator[Mapping[str, Any]]:
    """plan.json's steps written out: every repeat's steps, as many times as it says."""
    for step in steps:
        if step["kind"] == "repeat":
            for _ in range(step["repeat"]):
                yield from leaves(step["steps"])
        else:
            yield step


def check_paces(fast: float, slow: float, pace: Mapping[str, float], unit: Unit) -> None:
    """The watch's range (seconds per unit) against plan.json's: each end the page's rounding
    (to 5 s per unit) of the exact pace, which plan.json has to 0.1 s; a single pace widened
    SINGLE_PACE_MARGIN_S either side."""
    per = METRES_PER[unit] / 1000
    low, high = pace["min_s_per_km"] * per, pace["max_s_per_km"] * per
    slack = 2.5 + 0.05 * per + 0.5  # rounding, plan.json's 0.1 s, the speed's mm/s
    if abs(slow - fast - 2 * SINGLE_PACE_MARGIN_S) < 0.5 and low == high:
        assert abs((fast + slow) / 2 - low) <= slack, (fast, slow, pace)
        return
    assert abs(fast - low) <= slack and abs(slow - high) <= slack, (fast, slow, pace)
    assert low != high, "a single pace is widened"


def check_step(fit: Mapping[str, Any], planned: Mapping[str, Any], unit: Unit) -> None:
    where = f"{planned} vs {fit}"
    if fit["duration_type"] == "distance":
        assert planned["distance_m"] > 0, where
        assert abs(fit["duration_distance"] - planned["distance_m"]) <= 0.51, where
    else:
        assert fit["duration_type"] == "time", where
        assert abs(fit["duration_time"] - planned["duration_s"]) <= 0.51, where
    assert fit["intensity"] == INTENTS[planned["kind"]], where
    note = " ".join((planned["note"] or "").split())
    if planned.get("effort"):  # run by feel: the effort first in its notes, no pace target
        assert fit["notes"].startswith("By feel: ") and fit["notes"].endswith(note), where
    elif len(note.encode("utf-8")) <= 254:  # longer ones are cut (test_any_note_fits_a_...)
        assert fit.get("notes") == (note or None), where
    if planned["pace"] is None or planned.get("effort"):
        assert fit["target_type"] == "open", where
        return
    assert fit["target_type"] == "speed", where
    per = METRES_PER[unit]
    # the watch's range: low speed is the slow end, high speed the fast end
    slow, fast = per / fit["custom_target_speed_low"], per / fit["custom_target_speed_high"]
    check_paces(fast, slow, planned["pace"], unit)


def check_plan(plan: Plan) -> int:
    """Encode every run of ``plan`` as a build does (each message encoded once, the files put
    together from their records), check each file is byte for byte the one the SDK's Encoder
    writes for it, read it back with both decoders and compare its replayed steps with
    plan.json.  The number of files checked."""
    unit = plan.athlete.units
    data = json.loads(emit_json(plan))
    planned = {w["uid"]: w for week in data["weeks"] for w in week["workouts"]}
    checked = 0
    memo = Encoded()
    files = [prepare(workout, unit) for workout in runs(plan)]
    prime(files, memo)
    for workout, file in zip(runs(plan), files, strict=True):
        encoded = encode(file, CREATED, memo)
        assert encoded == encode_workout(workout, unit, CREATED)  # the SDK's, encoded whole
        assert not memo.whole, "put together from the records, not encoded whole"
        messages = sdk_messages(encoded)
        (file_id,) = messages["file_id_mesgs"]
        assert file_id["type"] == "workout"
        assert file_id["time_created"] == CREATED
        assert file_id["serial_number"] == serial_number(workout.uid)
        (head,) = messages["workout_mesgs"]
        assert head["sport"] == "running"
        assert head["wkt_name"] == workout.title
        steps = messages["workout_step_mesgs"]
        assert head["num_valid_steps"] == len(steps)
        assert [s["message_index"] for s in steps] == list(range(len(steps)))
        other = fitdecode_steps(encoded)
        assert len(other) == len(steps)
        for mine, theirs in zip(steps, other, strict=True):
            for key in ("duration_type", "target_type", "intensity", "repeat_steps"):
                assert mine.get(key) == theirs.get(key), (mine, theirs)
        played = list(replay(steps))
        expected = list(leaves(planned[workout.uid]["steps"]))
        assert len(played) == len(expected), workout.title
        for fit, step in zip(played, expected, strict=True):
            check_step(fit, step, unit)
        checked += 1
    return checked


@pytest.mark.parametrize("units", ["km", "mi"])
def test_factory_plans_read_back_as_planned(units: str) -> None:
    plan = make_plan(units=units)
    assert check_plan(plan) == sum(1 for w in plan.workouts if is_run(w)) > 0


@settings(SETTINGS, max_examples=min(SETTINGS.max_examples, 25))
@given(profiles())
def test_generated_athletes_fit_files_read_back_as_planned(profile: dict[str, Any]) -> None:
    case = compile_profile(profile)
    assert check_plan(case.plan) > 0


def test_nested_repeats_replay_in_full() -> None:
    """A repeat inside a repeat: the watch runs the inner block in full on every outer pass."""
    plan = make_plan()
    inner = repeat(3, by_distance("run", 200.0, "repetition"), by_time("walk", 60.0, None))
    outer = repeat(2, inner, by_time("jog", 180.0, "easy"))
    workout = dataclasses.replace(runs(plan)[0], steps=(by_time("warmup", 600.0, "easy"), outer))
    steps = sdk_messages(encode_workout(workout, "km", CREATED))["workout_step_mesgs"]
    kinds = [
        (s["duration_type"], s.get("duration_distance") or s.get("duration_time")) for s in steps
    ]
    assert len(steps) == 6  # warm-up, 200, walk, repeat x3, jog, repeat x2
    played = [s.get("duration_distance") or s["duration_time"] for s in replay(steps)]
    assert played == [600.0, *([200.0, 60.0] * 3 + [180.0]) * 2], kinds


@given(st.text(max_size=400))
@settings(max_examples=40, deadline=None)
def test_any_note_fits_a_fit_string(note: str) -> None:
    """A coach's note of any length or script is cut to what a FIT string holds, never refused."""
    plan = make_plan()
    workout = runs(plan)[0]
    step = dataclasses.replace(workout.steps[0], note=note)
    data = encode_workout(dataclasses.replace(workout, steps=(step,)), "km", CREATED)
    (decoded,) = sdk_messages(data)["workout_step_mesgs"]
    assert len(decoded.get("notes", "").encode("utf-8")) <= 254


def test_same_workout_same_bytes() -> None:
    plan = make_plan(units="mi")
    for workout in runs(plan):
        assert encode_workout(workout, "mi", CREATED) == encode_workout(workout, "mi", CREATED)


def test_a_file_made_from_an_encoded_twin_is_the_one_the_sdk_writes() -> None:
    """The same run on other days is encoded once (fit.encode_workout's templates): each file
    is then that one with its serial number, time and CRC; byte for byte what the SDK's Encoder
    writes for the workout, whatever the time."""
    plan = make_plan(units="km")
    memo = Encoded()
    later = CREATED + dt.timedelta(days=40, seconds=7)
    workouts = runs(plan)
    for workout in workouts:
        for moment in (CREATED, later):
            encoder = garmin_fit_sdk.Encoder()
            for message in file_messages(workout, "km", moment):
                encoder.write_mesg(message)
            assert encode_workout(workout, "km", moment, memo) == bytes(encoder.close())
    assert 0 < len(memo.templates) < len(workouts)  # some runs are the same run on another day
    assert all(template.fields is not None for template in memo.templates.values())  # stamped


@given(st.binary(max_size=600))
@settings(max_examples=60, deadline=None)
def test_planc_crc_is_the_sdks(data: bytes) -> None:
    assert crc16(data, len(data)) == garmin_fit_sdk.CrcCalculator.calculate_crc(data, 0, len(data))


def test_a_layout_the_records_do_not_know_falls_back_to_the_sdks_whole_file(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Should a future SDK lay a file out otherwise (developer fields, compressed timestamps),
    ``split`` refuses it and every file is encoded whole by the SDK: never a wrong file."""
    plan = make_plan(units="mi")
    workout = runs(plan)[0]
    messages = file_messages(workout, "mi", CREATED)
    data = bytearray(encode_workout(workout, "mi", CREATED))
    data[14] |= 0x20  # the first definition now claims developer fields
    with pytest.raises(Unexpected):
        split(bytes(data), len(messages))

    def refuse(data: bytes, count: int, **kwargs: object) -> tuple[bytes, list[object]]:
        raise Unexpected("a layout of tomorrow's SDK")

    monkeypatch.setattr(fit_module, "split", refuse)
    memo = Encoded()
    files = [prepare(w, "mi") for w in runs(plan)]
    prime(files, memo)
    assert memo.whole
    for run, file in zip(runs(plan), files, strict=True):
        assert encode(file, CREATED, memo) == encode_workout(run, "mi", CREATED)


def test_the_records_read_before_the_encoder_closes_are_those_of_its_closed_file(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """``prime`` reads the SDK's records before ``close()`` (whose CRC over every byte it does
    not need); an SDK that keeps them elsewhere has its file closed as usual: the same records,
    the same header, the same files either way."""
    plan = make_plan(units="km")
    files = [prepare(w, "km") for w in runs(plan)]
    assert fit_module._sdk_records([files[0].messages[1]])[1] is False  # read before close()
    before = Encoded()
    prime(files, before)

    def closed(messages: Sequence[dict[str, Any]]) -> tuple[bytes, bool]:
        return fit_module._sdk_encode(messages), True

    monkeypatch.setattr(fit_module, "_sdk_records", closed)
    after = Encoded()
    prime(files, after)
    assert not before.whole and not after.whole
    assert before.head == after.head and before.pieces == after.pieces
    for run, file in zip(runs(plan), files, strict=True):
        sdk = garmin_fit_sdk.Encoder()
        for message in file_messages(run, "km", CREATED):
            sdk.write_mesg(message)
        assert encode(file, CREATED, before) == bytes(sdk.close())


def test_a_file_of_more_definitions_than_slots_is_the_sdks() -> None:
    """A long workout whose steps need more than the Encoder's 16 local definitions (notes of
    every length make every definition new): put together from the records, its slots wrap
    as the SDK's do, and a step like an earlier one reuses that one's slot while it holds."""
    plan = make_plan(units="km")
    steps = tuple(
        dataclasses.replace(by_distance("run", 200.0 + 100 * i, "interval"), note="x" * i)
        for i in range(1, 22)
    )
    steps += (by_time("jog", 90.0, "easy"), by_time("jog", 90.0, "easy"), steps[-1], steps[2])
    workout = dataclasses.replace(runs(plan)[0], steps=steps)
    memo = Encoded()
    file = prepare(workout, "km")
    prime([file], memo)
    assert encode(file, CREATED, memo) == encode_workout(workout, "km", CREATED)
    assert not memo.whole


def _watch(plan: Plan, memo: Encoded | None) -> dict[str, bytes]:
    return watch_files(plan, stamp=CREATED, today=None, with_fit=True, memo=memo)


def _sdk_messages_encoded(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """How many messages each call of the SDK's Encoder (``prime``'s) encodes."""
    counts: list[int] = []
    real = fit_module._sdk_records

    def counted(messages: Sequence[dict[str, Any]]) -> tuple[bytes, bool]:
        counts.append(len(messages))
        return real(messages)

    monkeypatch.setattr(fit_module, "_sdk_records", counted)
    return counts


@settings(SETTINGS, max_examples=min(SETTINGS.max_examples, 6))
@given(profiles(), profiles(), st.sampled_from([2, 40, fit_module.MEMO_LIMIT]))
def test_a_memo_shared_by_athletes_changes_no_byte(
    first: dict[str, Any], second: dict[str, Any], limit: int
) -> None:
    """A build worker shares one memo between its athletes (the same warm-up or recovery jog
    in many plans is encoded once): an athlete's files are byte for byte the ones made with
    a memo of their own, whatever the memo held before, and trimmed at any limit."""
    one, two = compile_profile(first).plan, compile_profile(second).plan
    memo = Encoded()
    _watch(one, memo)
    held = len(memo.templates) + len(memo.pieces)
    memo.trim(limit)
    assert len(memo.templates) + len(memo.pieces) == (0 if held >= limit else held)
    assert _watch(two, memo) == _watch(two, None)


def test_a_worker_encodes_a_message_two_athletes_share_once(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Pinned: the factory's km and mi athletes share messages (the file's creator, steps
    alike): with the build's memo the second athlete's files ask the SDK for fewer messages
    than alone, and are the same bytes."""
    km, mi = make_plan(units="km"), make_plan(units="mi")
    alone = _watch(mi, None)
    counts = _sdk_messages_encoded(monkeypatch)
    _watch(mi, None)
    memo = Encoded()
    _watch(km, memo)
    before = len(counts)
    assert _watch(mi, memo) == alone
    assert sum(counts[before:]) < counts[0]
