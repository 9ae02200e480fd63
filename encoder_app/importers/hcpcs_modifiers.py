"""HCPCS Level II modifiers from a MODIFIER,DESCRIPTION list (csv) into system ``hcpcs_modifier``.

The list carries no date. The release date comes from the file name when it has one
(``level2_modifiers_2024q3.csv`` -> July 1, 2024; ``..._2024_jul...`` -> July 1, 2024;
``..._2024...`` -> January 1, 2024). An undated list is version "undated" and in effect for
every date of service (from ``UNDATED_FROM``) until a dated list takes over; importing
another undated list replaces it. ``--effective-from`` overrides either.

A modifier listed more than once is stored once: a later row may fill in a description an
earlier row left empty, but two different descriptions for one modifier are an error, because
the app cannot tell which one is right. A modifier with no description at all is kept with an
empty title, so the code is still known valid, and counted in the import summary.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
from collections.abc import Iterator

from encoder_app.codebook.models import Code
from encoder_app.codes import HCPCS_MODIFIER, MODIFIER_SHAPE
from encoder_app.errors import BadRecord
from encoder_app.importers.base import ReleaseInfo, ReleaseWriter, SourceFile
from encoder_app.progress import Progress

FORMAT = "HCPCS Level II modifiers"

#: First date of service an undated list applies to: earlier than any chart the app will see.
UNDATED_FROM = dt.date(1990, 1, 1)

_DESCRIPTION_COLUMNS = ("DESCRIPTION", "LONG DESCRIPTION", "SHORT DESCRIPTION")
_MONTHS = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"]
_YEAR_QUARTER = re.compile(r"(?<!\d)(20\d\d)[-_ ]?q([1-4])(?![0-9])", re.IGNORECASE)
_YEAR_MONTH = re.compile(rf"(?<!\d)(20\d\d)[-_ ]?({'|'.join(_MONTHS)})", re.IGNORECASE)
_MONTH_YEAR = re.compile(rf"(?<![a-z])({'|'.join(_MONTHS)})[a-z]*[-_ ]?(20\d\d)(?!\d)",
                         re.IGNORECASE)
_YEAR = re.compile(r"(?<!\d)(20\d\d)(?!\d)")


def _header(line: str) -> list[str]:
    return [c.strip().upper() for c in next(csv.reader([line]), [])]


def sniff(source: SourceFile) -> bool:
    lines = source.head_text.splitlines()
    if len(lines) < 2:
        return False
    header = _header(lines[0])
    if not header or header[0] != "MODIFIER":
        return False
    if not any(c in header for c in _DESCRIPTION_COLUMNS):
        return False
    first = next(csv.reader([lines[1]]), [""])
    return bool(MODIFIER_SHAPE.fullmatch(first[0].strip().upper()))


def date_in_name(name: str) -> dt.date | None:
    """A release date in a file name: 2024q3, 2024_jul, jul-2024, or a year alone (January)."""
    base = name.replace("\\", "/")
    if m := _YEAR_QUARTER.search(base):
        return dt.date(int(m.group(1)), 3 * int(m.group(2)) - 2, 1)
    if m := _YEAR_MONTH.search(base):
        return dt.date(int(m.group(1)), _MONTHS.index(m.group(2).upper()) + 1, 1)
    if m := _MONTH_YEAR.search(base):
        return dt.date(int(m.group(2)), _MONTHS.index(m.group(1).upper()[:3]) + 1, 1)
    if m := _YEAR.search(base):
        return dt.date(int(m.group(1)), 1, 1)
    return None


def release_info(source: SourceFile) -> ReleaseInfo:
    dated = date_in_name(source.name)
    if dated is None:
        return ReleaseInfo(HCPCS_MODIFIER, "modifiers", "undated",
                           "HCPCS Level II modifiers (undated list)", UNDATED_FROM)
    return ReleaseInfo(HCPCS_MODIFIER, "modifiers", f"{dated:%Y-%m}",
                       f"HCPCS Level II modifiers {dated:%B %Y}", dated)


def load(source: SourceFile, writer: ReleaseWriter) -> Iterator[Progress]:
    yield Progress(0, 0, "reading modifiers")
    found: dict[str, dict] = {}
    first_row: dict[str, int] = {}
    rows_read = 0
    with source.open_text() as stream:
        reader = csv.reader(stream)
        header = [c.strip().upper() for c in next(reader, [])]
        described = next((header.index(c) for c in _DESCRIPTION_COLUMNS if c in header), None)
        if not header or header[0] != "MODIFIER" or described is None:
            raise BadRecord("row 1", "the header is not MODIFIER,DESCRIPTION")
        for number, cells in enumerate(reader, start=2):
            if not any(c.strip() for c in cells):
                continue
            rows_read += 1
            where = f"row {number}"
            code = cells[0].strip().upper()
            if not code:
                raise BadRecord(where, "has no MODIFIER")
            if not MODIFIER_SHAPE.fullmatch(code):
                raise BadRecord(where, f"modifier {code!r} is not two letters or digits")
            description = " ".join(cells[described].split()) if described < len(cells) else ""
            known = found.get(code)
            if known is None:
                first_row[code] = number
                found[code] = dict(release_id=writer.release_id, system=HCPCS_MODIFIER,
                                   code=code, level="modifier", title=description, billable=True,
                                   seq=len(found) + 1)
            elif description and known["title"] and description != known["title"]:
                raise BadRecord(where, f"modifier {code} has a different description than at "
                                       f"row {first_row[code]}; keep one")
            elif description:
                known["title"] = description  # an earlier row left it empty
    if not found:
        raise BadRecord("row 2", "the file lists no modifiers")
    yield Progress(1, 2, "writing modifiers")
    writer.insert(Code.__table__, found.values())
    writer.count("modifiers", len(found))
    writer.count("without description", sum(1 for r in found.values() if not r["title"]))
    if rows_read != len(found):
        writer.count("repeated rows merged", rows_read - len(found))
    yield Progress(2, 2, "done")
