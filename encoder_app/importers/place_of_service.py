"""CMS Place of Service codes (csv: pos_code, pos_type, pos_name, pos_description) as system pos.

Columns are found by name, case-insensitively, with ``_`` or spaces: ``pos_code`` or
``Place of Service Code(s)``, ``pos_name`` or ``Place of Service Name``, and optionally
``pos_type`` (Facility / Non-Facility) and ``pos_description``. The type and description go to
``extra_json``. Codes CMS lists as "Unassigned" are stored (so the coder sees why 97 is refused)
but not billable: a claim may not carry them.

The list has no date of its own; dating follows the modifier list (see hcpcs_modifiers): a
date in the file name, else version "undated", in effect for every date of service until a
dated list replaces it, and ``--effective-from`` overrides.
"""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Iterator

from encoder_app.codebook.models import Code
from encoder_app.codes import POS, POS_SHAPE
from encoder_app.errors import BadRecord
from encoder_app.importers.base import ReleaseInfo, ReleaseWriter, SourceFile, numbered_rows
from encoder_app.importers.hcpcs_modifiers import UNDATED_FROM, date_in_name
from encoder_app.progress import Progress

FORMAT = "Place of Service codes"

UNASSIGNED = "unassigned"


def _key(name: str) -> str:
    """'Place of Service Code(s)' -> 'place of service code'; 'pos_code' -> 'pos code'."""
    key = re.sub(r"[\s_]+", " ", name.strip().lower()).replace("(s)", "")
    return key.replace("place of service ", "pos ")


def _columns(header: list[str]) -> dict[str, int] | None:
    """Where the code, name, type and description are, or None when this is no POS list."""
    keys = [_key(h) for h in header]
    wanted = {"code": "pos code", "name": "pos name", "type": "pos type",
              "description": "pos description"}
    found = {field: keys.index(key) for field, key in wanted.items() if key in keys}
    return found if "code" in found and "name" in found else None


def sniff(source: SourceFile) -> bool:
    lines = source.head_text.splitlines()
    if len(lines) < 2:
        return False
    columns = _columns(next(csv.reader([lines[0]]), []))
    if columns is None:
        return False
    first = next(csv.reader([lines[1]]), [])
    at = columns["code"]
    return len(first) > at and bool(POS_SHAPE.fullmatch(first[at].strip()))


def release_info(source: SourceFile) -> ReleaseInfo:
    dated = date_in_name(source.name)
    if dated is None:
        return ReleaseInfo(POS, "codes", "undated", "Place of Service codes (undated list)",
                           UNDATED_FROM)
    return ReleaseInfo(POS, "codes", f"{dated:%Y-%m}", f"Place of Service codes {dated:%B %Y}",
                       dated)


def load(source: SourceFile, writer: ReleaseWriter) -> Iterator[Progress]:
    yield Progress(0, 0, "reading Place of Service codes")
    rows: list[dict] = []
    seen: dict[str, int] = {}
    with source.open_text() as stream:
        reader = csv.reader(stream)
        columns = _columns(next(reader, []))
        if columns is None:
            raise BadRecord("row 1", "the header has no pos_code and pos_name columns")

        for number, _cells, cell in numbered_rows(reader, columns):
            where = f"row {number}"
            code = cell("code")
            if not code:
                raise BadRecord(where, "has no Place of Service code")
            if len(code) == 1 and code.isdigit():
                code = "0" + code  # a spreadsheet dropped the leading zero of 01-09
            if not POS_SHAPE.fullmatch(code):
                raise BadRecord(where, f"Place of Service code {code!r} is not two digits")
            if code in seen:
                raise BadRecord(where, f"Place of Service {code} is listed twice "
                                       f"(first at row {seen[code]})")
            seen[code] = number
            name = cell("name")
            if not name:
                raise BadRecord(where, f"Place of Service {code} has no name")
            pos_type, description = cell("type"), cell("description")
            extra = {k: v for k, v in (("pos_type", pos_type), ("description", description)) if v}
            unassigned = UNASSIGNED in (name.lower(), pos_type.lower())
            rows.append(dict(release_id=writer.release_id, system=POS, code=code, level="code",
                             title=name, billable=not unassigned, seq=len(rows) + 1,
                             extra_json=json.dumps(extra, ensure_ascii=False) if extra else None))
    if not rows:
        raise BadRecord("row 2", "the file lists no Place of Service codes")
    yield Progress(1, 2, "writing Place of Service codes")
    writer.insert(Code.__table__, rows)
    writer.count("codes", len(rows))
    writer.count("unassigned", sum(1 for r in rows if not r["billable"]))
    yield Progress(2, 2, "done")
