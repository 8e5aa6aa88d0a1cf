"""A read-only mapping for the typed model that stages pass on (issue 14: boundaries immutable
for real).  A frozen dataclass holding a ``dict`` is frozen only on its surface: a later stage
could still write into a template's phases or an athlete's paces.  FrozenMap has no mutating
method, pickles (builds run in worker processes) and hashes when its values do."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import TypeVar

K = TypeVar("K")
V = TypeVar("V")


class FrozenMap(Mapping[K, V]):
    """An immutable mapping, in the insertion order it was made with."""

    __slots__ = ("_data", "_hash")

    def __init__(self, data: Mapping[K, V] | Iterable[tuple[K, V]] = ()) -> None:
        self._data: dict[K, V] = dict(data)
        self._hash: int | None = None

    def __getitem__(self, key: K) -> V:
        return self._data[key]

    def __iter__(self) -> Iterator[K]:
        return iter(self._data)

    def __len__(self) -> int:
        return len(self._data)

    def __repr__(self) -> str:
        return f"FrozenMap({self._data!r})"

    def __hash__(self) -> int:
        if self._hash is None:
            self._hash = hash(frozenset(self._data.items()))
        return self._hash

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Mapping):
            return self._data == dict(other.items())
        return NotImplemented

    def __reduce__(self) -> tuple[type[FrozenMap[K, V]], tuple[dict[K, V]]]:
        return (FrozenMap, (self._data,))


def frozen_map(data: Mapping[K, V]) -> FrozenMap[K, V]:
    """``data`` as a FrozenMap (itself when it is one already)."""
    return data if isinstance(data, FrozenMap) else FrozenMap(data)
