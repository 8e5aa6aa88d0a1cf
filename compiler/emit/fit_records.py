"""FIT files put together from the records the FIT SDK wrote, as its Encoder puts them together.

A FIT file is a 14-byte header, records, and a CRC.  Each message is a data record, preceded by
a definition record when no definition in the encoder's 16 local slots equals its own (same
global number, same fields by number, size and base type).  The SDK's Encoder assigns a new
definition the next slot in turn (0 to 15, then 0 again) and, for an equal one, reuses the first
slot holding it; a message's data record depends on the message and its definition only.

So a plan's messages can be encoded by the SDK once each, all in one file (``split`` takes that
file apart into each message's definition and data record), and every workout file made from
them by ``assemble``, which follows the Encoder's rules: the same bytes as the SDK writes for the
file (tests/test_watch_fit.py checks every file of generated plans against the SDK's), at a
fraction of the cost (encoding is most of what the watch files cost: issue 16, item 6).

Only the layout planc's messages have is taken apart (little-endian definitions, no developer
fields, no compressed timestamps); anything else raises ``Unexpected`` and the caller lets the
SDK encode the file whole.  Pure: bytes in, bytes out; no import of the SDK.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

HEADER_SIZE = 14  # with its CRC, as the SDK writes it
_DEFINITION, _DEVELOPER, _COMPRESSED = 0x40, 0x20, 0x80  # record header bits
_LOCAL = 0x0F
_SLOTS = 16
_DATA_TYPE = b".FIT"

Signature = tuple[int, int, frozenset[tuple[int, int, int]]]  # global number, count, fields


class Unexpected(ValueError):
    """A file laid out otherwise than planc's messages are: encode it whole with the SDK."""


@dataclass(frozen=True, slots=True)
class Piece:
    """One message as the SDK encoded it: its definition record and its data record, each
    without its header byte (which holds the local slot, known only in a file), and the
    definition's ``signature``, what the SDK compares definitions by."""

    definition: bytes
    record: bytes
    signature: Signature


def split(data: bytes, count: int, *, closed: bool = True) -> tuple[bytes, list[Piece]]:
    """The first four header bytes of ``data`` (size, protocol and profile version: the SDK's)
    and the ``count`` messages it holds, in order, as Pieces.  ``data`` is a file the SDK's
    Encoder wrote; Unexpected when it is not laid out as planc's messages are.  ``closed=False``:
    ``data`` is what the Encoder holds before ``close()``, its header not yet written (zeros:
    the head returned is then too) and no CRC at its end."""
    if closed and (len(data) < HEADER_SIZE + 2 or data[0] != HEADER_SIZE):
        raise Unexpected("not a FIT file with a 14-byte header")
    if closed and data[8:12] != _DATA_TYPE:
        raise Unexpected("not a FIT file")
    if not closed and (len(data) < HEADER_SIZE or any(data[:HEADER_SIZE])):
        raise Unexpected("not an open FIT file: its header written already")
    slots: dict[int, tuple[bytes, int, Signature]] = {}
    pieces: list[Piece] = []
    at, end = HEADER_SIZE, len(data) - 2 if closed else len(data)
    while at < end:
        header = data[at]
        if header & (_COMPRESSED | _DEVELOPER):
            raise Unexpected("a compressed timestamp or developer fields")
        if header & _DEFINITION:
            at, slots[header & _LOCAL] = _definition(data, at)
            continue
        found = slots.get(header & _LOCAL)
        if found is None:
            raise Unexpected("a data record before its definition")
        definition, size, signature = found
        pieces.append(Piece(definition, data[at + 1 : at + 1 + size], signature))
        at += 1 + size
    if at != end or len(pieces) != count:
        raise Unexpected("the records do not add up to the file")
    return data[:4], pieces


def _definition(data: bytes, at: int) -> tuple[int, tuple[bytes, int, Signature]]:
    """The definition record at ``at``: where the next record starts, and its body (after the
    header byte), the size of its data records and its signature."""
    if at + 6 > len(data) or data[at + 2] != 0:
        raise Unexpected("not a little-endian definition")
    count = data[at + 5]
    body = data[at + 1 : at + 6 + 3 * count]
    if len(body) != 5 + 3 * count:
        raise Unexpected("a definition cut short")
    fields = [(body[5 + 3 * i], body[6 + 3 * i], body[7 + 3 * i]) for i in range(count)]
    number = int.from_bytes(body[2:4], "little")
    signature = (number, count, frozenset(fields))
    return at + 6 + 3 * count, (body, sum(size for _, size, _ in fields), signature)


def assemble(head: bytes, pieces: Sequence[Piece], *, crc: bool = True) -> bytes:
    """The FIT file of ``pieces`` (one a message, in order) as the SDK's Encoder writes it: a
    definition record where no slot holds an equal one (in the next slot in turn), the data
    records, the header with ``head`` (``split``'s), the data size and its CRC, and the file's
    CRC (two zero bytes without ``crc``: for a file whose fields are written in afterwards,
    which makes it then).  Unexpected when a slot holds an equal definition written otherwise
    (the Encoder would write the message's fields in that one's order)."""
    slots: list[Piece | None] = [None] * _SLOTS
    turn = 0
    out = bytearray(HEADER_SIZE)
    for piece in pieces:
        local = _slot(slots, piece)
        if local is None:
            local, turn = turn & _LOCAL, turn + 1
            out.append(_DEFINITION | local)
            out += piece.definition
            slots[local] = piece
        out.append(local)
        out += piece.record
    header = head + (len(out) - HEADER_SIZE).to_bytes(4, "little") + _DATA_TYPE
    out[:HEADER_SIZE] = header + crc16(header, len(header)).to_bytes(2, "little")
    out += crc16(out, len(out)).to_bytes(2, "little") if crc else bytes(2)
    return bytes(out)


def _slot(slots: Sequence[Piece | None], piece: Piece) -> int | None:
    """The first slot holding a definition the SDK takes as equal to ``piece``'s."""
    for index, held in enumerate(slots):
        if held is not None and held.signature == piece.signature:
            if held.definition != piece.definition:
                raise Unexpected("an equal definition with its fields in another order")
            return index
    return None


def _crc_table() -> tuple[int, ...]:
    table = []
    for byte in range(256):
        crc = byte
        for _ in range(8):
            crc = (crc >> 1) ^ 0xA001 if crc & 1 else crc >> 1
        table.append(crc)
    return tuple(table)


_CRC_TABLE = _crc_table()


def crc16(data: bytes | bytearray, end: int) -> int:
    """The FIT CRC (CRC-16, polynomial 0x8005 reflected, as the SDK's ``CrcCalculator``) of
    ``data[:end]``, a byte at a time from a table: the SDK's works a nibble at a time."""
    crc = 0
    table = _CRC_TABLE
    for byte in memoryview(data)[:end]:
        crc = (crc >> 8) ^ table[(crc ^ byte) & 0xFF]
    return crc
