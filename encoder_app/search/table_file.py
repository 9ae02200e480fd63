"""The search index's document table on disk: one file of columns, each readable on its own.

The window reads every column into lists once, then answers each keystroke from memory. One
search from the command line maps the file and reads only the documents it looks at: reading
the whole table of 324,000 documents took it a second, ten times longer than the search.

Layout: MAGIC, the header's length (8 bytes, little-endian), the header (marshal: column name
-> (kind, type code, count, blocks)), then the blocks. Numbers are arrays, little-endian.
Strings are their UTF-8 bytes, each followed by a NUL, plus an array of where each starts: one
string is a slice, and a run of them is one decode and one split (the window's reading).
A value (a dict) is one marshal record.
"""

from __future__ import annotations

import marshal
import mmap
import sys
import time
from array import array
from collections.abc import Iterable
from pathlib import Path

MAGIC = b"encoder-app search table\n"
#: Strings read at a time when a whole column is loaded: each run holds the interpreter lock,
#: and the window's thread gets it between runs.
RUN = 5000
_NUL = b"\0"
_STARTS = "I"  # where each string starts: a table's strings never reach 4 GB


class Numbers:
    """A column of numbers of one array type code ("B", "I", "d")."""

    def __init__(self, typecode: str, values: Iterable):
        self.typecode, self.values = typecode, values


class Strings:
    def __init__(self, values: list[str]):
        self.values = values


class Value:
    """Anything marshal writes, read whole (a dict of a few thousand entries)."""

    def __init__(self, value):
        self.value = value


def _little_endian(numbers: array) -> bytes:
    if sys.byteorder != "little":
        numbers = array(numbers.typecode, numbers)
        numbers.byteswap()
    return numbers.tobytes()


def write_table(path: Path, columns: dict[str, Numbers | Strings | Value]) -> None:
    header: dict[str, tuple] = {}
    blocks: list[bytes] = []
    offset = 0

    def block(data: bytes) -> tuple[int, int]:
        nonlocal offset
        blocks.append(data)
        offset += len(data)
        return offset - len(data), len(data)

    for name, column in columns.items():
        if isinstance(column, Numbers):
            numbers = array(column.typecode, column.values)
            header[name] = ("numbers", column.typecode, len(numbers),
                            [block(_little_endian(numbers))])
        elif isinstance(column, Strings):
            encoded = [s.encode("utf-8") + _NUL for s in column.values]
            starts = array(_STARTS, [0])
            for item in encoded:
                starts.append(starts[-1] + len(item))
            data = b"".join(encoded)
            # A NUL inside a string (none in any CMS file seen) rules out reading by split.
            split = data.count(_NUL) == len(encoded)
            header[name] = ("strings", "split" if split else "slices", len(encoded),
                            [block(_little_endian(starts)), block(data)])
        else:
            header[name] = ("value", "", 1, [block(marshal.dumps(column.value))])
    head = marshal.dumps(header)
    with open(path, "wb") as out:
        out.write(MAGIC + len(head).to_bytes(8, "little") + head)
        for data in blocks:
            out.write(data)


class StringColumn:
    """The strings of a column read one at a time from the mapped file, as a read-only list:
    ``column[i]`` decodes the i-th string."""

    def __init__(self, starts, data: memoryview, count: int, split: bool):
        self._starts, self._data, self._count, self._split = starts, data, count, split

    def __len__(self) -> int:
        return self._count

    def __getitem__(self, i: int) -> str:
        starts = self._starts
        return str(self._data[starts[i]:starts[i + 1] - 1], "utf-8")

    def tolist(self) -> list[str]:
        """Every string, a run of RUN at a time."""
        if not self._split:
            return [self[i] for i in range(self._count)]
        out: list[str] = []
        starts, data = self._starts, self._data
        for first in range(0, self._count, RUN):
            last = min(first + RUN, self._count)
            out.extend(str(data[starts[first]:starts[last] - 1], "utf-8").split("\0"))
            time.sleep(0)  # let the window's thread run between runs
        return out


class TableFile:
    """A table file mapped into memory: each column read when asked for, no sooner."""

    def __init__(self, path: Path):
        with open(path, "rb") as f:
            # Mapped read-only; a newer build never rewrites this file, it swaps in a new
            # folder (index_files), so what is mapped stays as written.
            self._map = mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ)
        view = memoryview(self._map)
        if bytes(view[:len(MAGIC)]) != MAGIC:
            raise ValueError(f"{path} is not a search table")
        size = int.from_bytes(view[len(MAGIC):len(MAGIC) + 8], "little")
        start = len(MAGIC) + 8
        self._header: dict[str, tuple] = marshal.loads(view[start:start + size])
        self._body = view[start + size:]

    def __contains__(self, name: str) -> bool:
        return name in self._header

    def _block(self, where: tuple[int, int]) -> memoryview:
        offset, length = where
        return self._body[offset:offset + length]

    def _numbers(self, typecode: str, where: tuple[int, int]):
        if sys.byteorder == "little":
            return self._block(where).cast(typecode)
        numbers = array(typecode, self._block(where))
        numbers.byteswap()
        return numbers

    def column(self, name: str):
        """A column as stored: numbers as an array view, strings as a StringColumn (each
        read from the file when indexed), a value read whole."""
        kind, code, count, blocks = self._header[name]
        if kind == "numbers":
            return self._numbers(code, blocks[0])
        if kind == "strings":
            return StringColumn(self._numbers(_STARTS, blocks[0]), self._block(blocks[1]),
                                count, code == "split")
        return marshal.loads(self._block(blocks[0]))

    def load(self, name: str):
        """A column read whole into memory: numbers and strings as lists."""
        column = self.column(name)
        return column.tolist() if isinstance(column, StringColumn | memoryview | array) \
            else column
