"""What the NCCI and MCE importers share: reading CMS tables and dating a release by its file name.

Not an importer itself (the registry never sniffs it). CMS publishes the same tables as CSV, as
tab-delimited text with a few lines of copyright preamble above the header, and inside zips whose
names carry the quarter; the edit tables themselves say nothing about when they take effect, so
the quarter comes from the file name, or from --effective-from.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from encoder_app.errors import BadRecord
from encoder_app.importers.base import SourceFile

#: How far down a file the header may sit below a copyright preamble.
MAX_PREAMBLE_LINES = 30

Header = list[str]


def normalized(cell: str) -> str:
    """A header cell compared loosely: lower case, single spaces, no quotes or BOM."""
    return " ".join(cell.replace("\ufeff", "").strip().strip('"').lower().split())


def _split(line: str, delimiter: str) -> list[str]:
    return next(csv.reader([line], delimiter=delimiter), [])


def find_header(source: SourceFile,
                is_header: Callable[[Header], bool]) -> tuple[str, Header] | None:
    """(delimiter, header cells) when a header row sits within the first lines of the file."""
    for line in source.head_text.splitlines()[:MAX_PREAMBLE_LINES]:
        for delimiter in (",", "\t"):
            cells = [normalized(c) for c in _split(line, delimiter)]
            if is_header(cells):
                return delimiter, cells
    return None


@contextmanager
def open_table(source: SourceFile, is_header: Callable[[Header], bool],
               what: str) -> Iterator[tuple[csv.reader, Header]]:
    """A csv reader positioned just after the header row, and the header (normalized).

    Rows keep their physical numbers in ``reader.line_num``, so errors say "row 812" with the
    header of a plain CSV as row 1.
    """
    found = find_header(source, is_header)
    if found is None:
        raise BadRecord("row 1", f"no {what} header row in the first {MAX_PREAMBLE_LINES} lines")
    delimiter, _ = found
    # errors="replace": only a copyright preamble in Windows-1252 (the © sign) is ever non-ASCII.
    with io.TextIOWrapper(source.open_binary(), encoding="utf-8-sig", errors="replace",
                          newline="") as text:
        reader = csv.reader(text, delimiter=delimiter)
        for row in reader:
            cells = [normalized(c) for c in row]
            if is_header(cells):
                yield reader, cells
                return
        raise BadRecord("row 1", f"no {what} header row")  # pragma: no cover - sniffed above


def column(header: Header, *words: str) -> int | None:
    """Index of the first header cell containing all the words, or None."""
    for i, cell in enumerate(header):
        if all(w in cell for w in words):
            return i
    return None


# --- dating a release by its file name --------------------------------------------------------


@dataclass(frozen=True)
class Quarter:
    """An NCCI quarter: the first date of service it applies to, and how versions name it."""

    start: dt.date
    version: str  # "2024Q3"


def quarter_of(day: dt.date) -> Quarter:
    q = (day.month - 1) // 3 + 1
    return Quarter(dt.date(day.year, 3 * q - 2, 1), f"{day.year}Q{q}")


_YEAR_QUARTER = re.compile(r"(?<!\d)(20\d\d)[ _-]?q([1-4])(?![0-9])")
# CMS file names carry the NCCI version: ccipra-v302r0 is version 30.2, the 3rd quarter of 2024
# (version 30 is 2024, 31 is 2025; the digit after it counts quarters from 0).
_NCCI_VERSION = re.compile(r"(?<![a-z0-9])v(\d\d)(\d)r\d+")
# MUE files: MCR_MUE_PractitionerServices_Eff_07-01-2024.csv
_EFFECTIVE_DATE = re.compile(r"eff[ _-]?(\d\d)[-_](\d\d)[-_](\d{4})")
# The four parts CMS splits a PTP quarter into: ccipra-v302r0-f1.txt ... -f4.txt
_PART = re.compile(r"[-_]f(\d)(?=[._-]|$)")


def quarter_from_name(name: str) -> Quarter | None:
    lower = name.lower()
    m = _YEAR_QUARTER.search(lower)
    if m:
        year, q = int(m.group(1)), int(m.group(2))
        return Quarter(dt.date(year, 3 * q - 2, 1), f"{year}Q{q}")
    m = _NCCI_VERSION.search(lower)
    if m and int(m.group(2)) <= 3:
        year, q = 1994 + int(m.group(1)), int(m.group(2)) + 1
        return Quarter(dt.date(year, 3 * q - 2, 1), f"{year}Q{q}")
    m = _EFFECTIVE_DATE.search(lower)
    if m:
        try:
            return quarter_of(dt.date(int(m.group(3)), int(m.group(1)), int(m.group(2))))
        except ValueError:
            return None
    return None


def part_from_name(name: str) -> int | None:
    """The part number of a quarter CMS splits over several files (…-f2.txt -> 2)."""
    m = _PART.search(name.replace("\\", "/").rsplit("/", 1)[-1].lower())
    return int(m.group(1)) if m else None


def quarter_for(source: SourceFile) -> tuple[Quarter, str, str]:
    """(quarter, version, label note) for a quarterly NCCI table.

    Without a quarter in the file name the import still goes ahead, dated to the current
    quarter, and the label says so; --effective-from sets the date. The version then names the
    content so two different unnamed files never replace each other.
    """
    quarter = quarter_from_name(source.name)
    if quarter is not None:
        version = quarter.version
        part = part_from_name(source.name)
        if part is not None:
            version += f"-f{part}"
            return quarter, version, f" (part {part})"
        return quarter, version, ""
    quarter = quarter_of(dt.date.today())
    note = (f" (no quarter such as '2024q3' in the file name: dated {quarter.start:%Y-%m-%d} "
            f"unless imported with --effective-from)")
    return quarter, f"unversioned-{source.sha256[:8]}", note


_UNSEEN = object()


class DateCells:
    """YYYYMMDD cells -> ISO text for raw inserts, memoised: a PTP file has few distinct dates."""

    def __init__(self, column_name: str):
        self.column_name = column_name
        self.seen: dict[str, str | None] = {"": None, "*": None}

    def parse(self, raw: str, where: Callable[[], str]) -> str | None:
        iso = self.seen.get(raw, _UNSEEN)
        if iso is not _UNSEEN:
            return iso
        value = raw.strip()
        if value in self.seen:
            iso = self.seen[raw] = self.seen[value]
            return iso
        try:
            if len(value) != 8 or not value.isdigit():  # strptime would take "2024011"
                raise ValueError(value)
            iso = dt.datetime.strptime(value, "%Y%m%d").date().isoformat()
        except ValueError:
            raise BadRecord(where(), f"{self.column_name} {value!r} is not a date (YYYYMMDD, "
                                     f"or '*' for none)") from None
        self.seen[raw] = self.seen[value] = iso
        return iso
