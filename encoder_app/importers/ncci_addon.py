"""NCCI add-on code (AOC) edits: which primary codes an add-on code may be billed with.

Reads the short CSV form (Add-on Code, Primary Code, AOC Edit Type) and the CMS flat file's
wider layout, whose edit effective and deletion dates are kept when present. A primary code of
CCCCC means the Medicare contractor defines the primaries (edit types 2 and 3).
"""

from __future__ import annotations

from collections.abc import Iterator

from encoder_app.codebook.reference_models import AddOnEdit
from encoder_app.errors import BadRecord
from encoder_app.importers.base import ReleaseInfo, ReleaseWriter, SourceFile, parse_yyyymmdd
from encoder_app.importers.ncci_common import Header, find_header, open_table, quarter_for
from encoder_app.progress import Progress

FORMAT = "NCCI add-on code edits"
SYSTEM = "ncci"
KIND = "addon"
CONTRACTOR_DEFINED = "CCCCC"
EDIT_TYPES = {"1": 1, "2": 2, "3": 3}


def _flat(cell: str) -> str:
    return cell.replace("-", " ")


def _find(header: Header, *words: str, without: str = "") -> int | None:
    for i, cell in enumerate(header):
        flat = _flat(cell)
        if all(w in flat for w in words) and not (without and without in flat):
            return i
    return None


def _is_header(cells: Header) -> bool:
    return (_find(cells, "add on code", without="date") is not None
            and _find(cells, "primary code", without="date") is not None)


def sniff(source: SourceFile) -> bool:
    return find_header(source, _is_header) is not None


def release_info(source: SourceFile) -> ReleaseInfo:
    quarter, version, note = quarter_for(source)
    return ReleaseInfo(SYSTEM, KIND, version, f"NCCI add-on code edits {quarter.version}{note}",
                       quarter.start)


def load(source: SourceFile, writer: ReleaseWriter) -> Iterator[Progress]:
    rows = []
    with open_table(source, _is_header, "add-on code (Add-on Code, Primary Code, AOC Edit Type)") \
            as (reader, header):
        addon_i = _find(header, "add on code", without="date")
        primary_i = _find(header, "primary code", without="date")
        type_i = _find(header, "edit type")
        if type_i is None:
            raise BadRecord("header row", "no AOC Edit Type column")
        eff_i = _find(header, "edit effective")
        del_i = _find(header, "edit deletion")
        width = max(i for i in (addon_i, primary_i, type_i, eff_i, del_i) if i is not None) + 1
        for row in reader:
            if not any(c.strip() for c in row):
                continue
            where = f"row {reader.line_num}"
            if len(row) < width:
                raise BadRecord(where, f"has {len(row)} columns; an add-on code row has {width}")
            addon = _code(row[addon_i], "add-on code", where)
            primary = _code(row[primary_i], "primary code", where)
            edit_type = EDIT_TYPES.get(row[type_i].strip())
            if edit_type is None:
                raise BadRecord(where, f"AOC edit type {row[type_i]!r} is not 1, 2 or 3")
            rows.append(dict(
                release_id=writer.release_id, addon=addon, primary_code=primary,
                edit_type=edit_type,
                effective=parse_yyyymmdd(row[eff_i], where, "AOC edit effective date")
                if eff_i is not None else None,
                deletion=parse_yyyymmdd(row[del_i], where, "AOC edit deletion date")
                if del_i is not None else None))
    if not rows:
        raise BadRecord("row 2", "the table has a header but no add-on code edits")
    yield Progress(0, len(rows), "writing add-on code edits")
    writer.insert(AddOnEdit.__table__, rows)
    writer.count("add-on edits", len(rows))
    writer.count("add-on codes", len({r["addon"] for r in rows}))
    yield Progress(len(rows), len(rows), "done")


def _code(value: str, name: str, where: str) -> str:
    code = value.strip().upper()
    if not code:
        raise BadRecord(where, f"the {name} is missing")
    if len(code) != 5 or not code.isalnum():
        raise BadRecord(where, f"{name} {value!r} is not a 5-character CPT/HCPCS code")
    return code
