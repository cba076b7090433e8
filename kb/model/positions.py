"""Where each value of a record sits in its file, kept compactly.

Reading a file notes the line and column of every key and value in the order the values come
in the data (each mapping's keys in order, each list's items in order, a container before what
it holds). Only those numbers are kept, four to a value in one array of bytes: the path of each
value is not stored, since walking the data in the same order finds it again. A mapping of paths
to positions is built only when asked for as one (``positions[("participants", 0)]``); finding
one position (``where``) walks the data without building it.
"""

from __future__ import annotations

import array
import struct
from collections.abc import Callable, Mapping
from typing import Any

_NOWHERE = (1, 1, 1, 1)


def pack(marks: list[int]) -> bytes:
    """The positions noted while reading, four numbers a value, as bytes: two bytes a number when
    every one fits (a file of fewer than 65,536 lines), else four; the first byte says which."""
    kind = "H" if not marks or max(marks) < 65536 else "I"
    return kind.encode("ascii") + array.array(kind, marks).tobytes()


_ZLIB = ord("z")


def compress(blob: bytes) -> bytes:
    """``pack``'s bytes compressed (about half as many), as a large knowledge base keeps them."""
    import zlib

    return b"z" + zlib.compress(blob, 1) if blob else blob


def _plain(blob: bytes) -> bytes:
    if blob and blob[0] == _ZLIB:
        import zlib

        return zlib.decompress(memoryview(blob)[1:])
    return blob


def _unpack(blob: bytes) -> array.array:
    blob = _plain(blob)
    if not blob:
        return array.array("I")
    numbers = array.array(chr(blob[0]))
    numbers.frombytes(blob[1:])
    return numbers


def _size(value) -> int:
    """How many values ``value`` is, itself included, in the order positions are noted."""
    count = 1
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            count += len(item)
            stack.extend(child for child in item.values() if isinstance(child, (dict, list)))
        elif isinstance(item, list):
            count += len(item)
            stack.extend(child for child in item if isinstance(child, (dict, list)))
    return count


class Positions(Mapping):
    """The positions of the values of ``data`` (as read from one file): path -> (key line, key
    column, value line, value column), all 1-based. ``blob`` is what ``pack`` made of the marks
    noted while ``data`` was read (or ``compress`` of it); ``data`` must be that very data,
    unchanged. Without ``blob``, ``load`` gives it the first time a position is asked for (it is
    kept apart from the data). A record that decodes its data when read is the ``owner`` of its
    positions, which then take the data from it (without keeping it decoded)."""

    __slots__ = ("_blob", "_data", "_load", "_map", "owner")

    def __init__(self, data, blob: bytes | None, load: Callable[[], bytes] | None = None):
        self._data = data
        self._blob = blob
        self._load = load
        self._map: dict | None = None
        self.owner: Any = None

    def _walked(self):
        return self._data if self.owner is None else self.owner.data_unkept()

    @property
    def blob(self) -> bytes:
        if self._blob is None:
            self._blob = self._load() if self._load is not None else b""
            self._load = None
        return self._blob

    def where(self, path: tuple, at_key: bool = False) -> tuple[int, int]:
        """The position of the value at ``path``, or of the closest value above it that exists;
        its key's position when ``at_key``."""
        index, value = 0, self._walked()
        for part in path:
            if isinstance(value, dict) and isinstance(part, str) and part in value:
                index += 1
                for key, child in value.items():
                    if key == part:
                        value = child
                        break
                    index += _size(child)
            elif isinstance(value, list) and type(part) is int and 0 <= part < len(value):
                index += 1
                for child in value[:part]:
                    index += _size(child)
                value = value[part]
            else:
                break
        found = self._at(index)
        return (found[0], found[1]) if at_key else (found[2], found[3])

    def _at(self, index: int) -> tuple[int, int, int, int]:
        blob = _plain(self.blob)
        if not blob:
            return _NOWHERE
        width = 2 if blob[0] == ord("H") else 4
        start = 1 + index * 4 * width
        if start + 4 * width > len(blob):
            return _NOWHERE
        return struct.unpack_from("=4H" if width == 2 else "=4I", blob, start)

    def _decoded(self) -> dict:
        if self._map is None:
            numbers = _unpack(self.blob)
            found: dict = {}
            stack: list = [((), self._walked())]
            index = 0
            while stack and index * 4 + 4 <= len(numbers):
                path, value = stack.pop()
                found[path] = tuple(numbers[index * 4 : index * 4 + 4])
                index += 1
                if isinstance(value, dict):
                    stack.extend(((*path, key), child) for key, child in reversed(value.items()))
                elif isinstance(value, list):
                    stack.extend(((*path, number), child) for number, child in reversed(list(enumerate(value))))
            self._map = found
        return self._map

    def __getitem__(self, path):
        return self._decoded()[path]

    def __contains__(self, path) -> bool:
        return path in self._decoded()

    def get(self, path, default=None):
        return self._decoded().get(path, default)

    def __iter__(self):
        return iter(self._decoded())

    def __len__(self) -> int:
        return len(self._decoded())

    def __reduce__(self):
        return (Positions, (self._walked(), self.blob))


def where(positions: Mapping, path: tuple, at_key: bool = False) -> tuple[int, int]:
    """The closest known position of ``path`` in ``positions`` (a Positions, or a plain mapping of
    paths to positions): the value's, or its key's when ``at_key``."""
    if isinstance(positions, Positions):
        return positions.where(path, at_key)
    while path not in positions and path:
        path = path[:-1]
    kl, kc, vl, vc = positions.get(path, _NOWHERE)
    return (kl, kc) if at_key else (vl, vc)
