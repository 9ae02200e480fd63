"""A user's licensed CPT file (CSV or tab-separated text with a header) into system ``cpt``.

CPT descriptors are the AMA's copyright: the app ships none and only reads the file the user's
licence gives them. See docs/cpt-import.md for the user-facing description.

Accepted columns (header names compared case-insensitively, ``_`` read as a space; other
columns are kept in the code's extra_json under their own names):

* code, one of: ``code``, ``cpt``, ``cpt code``, ``cpt_code``, ``hcpcs``, ``procedure code``
* descriptors, at least one of:
  short: ``short descriptor``, ``short description``, ``short``;
  long: ``long descriptor``, ``long description``, ``description``, ``descriptor``;
  medium (optional): ``medium descriptor``, ``medium description``, ``medium``
* optional dates: ``effective date``, ``termination date``, written YYYY-MM-DD, YYYYMMDD or
  MM/DD/YYYY

The title is the long descriptor, else the medium, else the short one; the short descriptor
is also kept as the short title. Codes must be CPT-shaped: four digits and then a digit
(Category I), F (Category II), T (Category III), U (PLA) or M (MAAA); anything else is
refused with its row number, so an HCPCS Level II file is never loaded as CPT by mistake.

Dating: a year in the file name (``cpt2025.csv``) is the CPT year, in effect from January 1.
Without one the file is taken as this year's CPT from January 1, and the release label says
so; ``--effective-from`` sets the date instead.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
from collections.abc import Iterator

from encoder_app.codebook.models import Code
from encoder_app.codes import CPT, CPT_SHAPE
from encoder_app.errors import BadRecord
from encoder_app.importers.base import ReleaseInfo, ReleaseWriter, SourceFile, numbered_rows
from encoder_app.progress import Progress

FORMAT = "CPT (licensed file)"

CODE_COLUMNS = {"code", "cpt", "cpt code", "hcpcs", "procedure code"}
SHORT_COLUMNS = {"short descriptor", "short description", "short"}
MEDIUM_COLUMNS = {"medium descriptor", "medium description", "medium"}
LONG_COLUMNS = {"long descriptor", "long description", "description", "descriptor"}
EFFECTIVE_COLUMNS = {"effective date"}
TERMINATION_COLUMNS = {"termination date"}

_YEAR = re.compile(r"(?<!\d)(19[89]\d|20\d\d)(?!\d)")
_DATE_FORMATS = ("%Y-%m-%d", "%Y%m%d", "%m/%d/%Y")
_SNIFF_ROWS = 5


def _key(name: str) -> str:
    return " ".join(name.replace("\ufeff", "").replace("_", " ").strip().lower().split())


def _columns(header: list[str]) -> dict[str, int] | None:
    """Where each known column is, or None unless there is a code and a descriptor column."""
    keys = [_key(h) for h in header]
    found: dict[str, int] = {}
    for field, names in (("code", CODE_COLUMNS), ("short", SHORT_COLUMNS),
                         ("medium", MEDIUM_COLUMNS), ("long", LONG_COLUMNS),
                         ("effective", EFFECTIVE_COLUMNS), ("terminated", TERMINATION_COLUMNS)):
        at = next((i for i, k in enumerate(keys) if k in names), None)
        if at is not None:
            found[field] = at
    has_descriptor = any(f in found for f in ("short", "medium", "long"))
    return found if "code" in found and has_descriptor else None


def _delimiter(line: str) -> str:
    return "\t" if line.count("\t") > line.count(",") else ","


def _decode(data: bytes) -> str:
    """UTF-8, else Windows-1252, the two encodings a CPT file saved from Excel arrives in."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252")


def sniff(source: SourceFile) -> bool:
    if source.head[:4] == b"PK\x03\x04" or b"\x00" in source.head[:1024]:
        return False  # a workbook or other binary file
    lines = source.head_text.splitlines()
    if len(lines) < 2:
        return False
    delimiter = _delimiter(lines[0])
    rows = list(csv.reader(lines[:_SNIFF_ROWS + 2], delimiter=delimiter))
    columns = _columns(rows[0])
    if columns is None:
        return False
    codes = [r[columns["code"]].strip().upper() for r in rows[1:_SNIFF_ROWS + 1]
             if len(r) > columns["code"] and any(c.strip() for c in r)]
    return bool(codes) and all(CPT_SHAPE.fullmatch(c) for c in codes)


def release_info(source: SourceFile) -> ReleaseInfo:
    year = _YEAR.search(source.base_name)
    if year:
        cpt_year = int(year.group(1))
        label = f"CPT {cpt_year}"
    else:
        cpt_year = dt.date.today().year
        label = (f"CPT {cpt_year} (no year in the file name: taken as effective January 1, "
                 f"{cpt_year})")
    return ReleaseInfo(CPT, "codes", str(cpt_year), label, dt.date(cpt_year, 1, 1))


def _date(value: str, where: str, column: str) -> dt.date | None:
    value = value.strip()
    if not value:
        return None
    for pattern in _DATE_FORMATS:
        try:
            return dt.datetime.strptime(value, pattern).date()
        except ValueError:
            pass
    raise BadRecord(where, f"{column} {value!r} is not a date (YYYY-MM-DD, YYYYMMDD or MM/DD/YYYY)")


def load(source: SourceFile, writer: ReleaseWriter) -> Iterator[Progress]:
    yield Progress(0, 0, "reading CPT codes")
    with source.open_binary() as stream:
        text = _decode(stream.read())
    reader = csv.reader(io.StringIO(text), delimiter=_delimiter(text.split("\n", 1)[0]))
    header = next(reader, [])
    columns = _columns(header)
    if columns is None:
        raise BadRecord("row 1", "the header needs a code column (code, cpt, cpt code, ...) and "
                                 "a descriptor column (short/long descriptor, description)")
    known = set(columns.values())
    extra_columns = [(h.strip(), i) for i, h in enumerate(header) if i not in known and h.strip()]
    rows: list[dict] = []
    seen: dict[str, int] = {}

    for number, cells, cell in numbered_rows(reader, columns):
        where = f"row {number}"
        code = cell("code").upper()
        if not code:
            raise BadRecord(where, "has no CPT code")
        if not CPT_SHAPE.fullmatch(code):
            raise BadRecord(where, f"{code!r} is not a CPT code (four digits, then a digit or "
                                   f"F, T, U or M)")
        if code in seen:
            raise BadRecord(where, f"CPT {code} is listed twice (first at row {seen[code]})")
        seen[code] = number
        short, medium, long = cell("short"), cell("medium"), cell("long")
        title = long or medium or short
        if not title:
            raise BadRecord(where, f"CPT {code} has no descriptor")
        extra = {name: cells[i].strip() for name, i in extra_columns
                 if i < len(cells) and cells[i].strip()}
        if medium:
            extra["medium descriptor"] = medium
        rows.append(dict(
            release_id=writer.release_id, system=CPT, code=code, level="code", title=title,
            short_title=short or None, billable=True, seq=len(rows) + 1,
            effective_on=_date(cell("effective"), where, "effective date"),
            terminated_on=_date(cell("terminated"), where, "termination date"),
            extra_json=json.dumps(extra, ensure_ascii=False) if extra else None))
    if not rows:
        raise BadRecord("row 2", "the file lists no CPT codes")
    yield Progress(1, 2, "writing CPT codes")
    writer.insert(Code.__table__, rows)
    writer.count("codes", len(rows))
    terminated = sum(1 for r in rows if r["terminated_on"])
    if terminated:
        writer.count("terminated", terminated)
    yield Progress(2, 2, "done")
