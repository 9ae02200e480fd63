"""NCCI Medically Unlikely Edits (MUE): the most units of a HCPCS/CPT code per patient per day.

CMS publishes one table per setting; the setting is named in the second header cell
("Practitioner Services MUE Values", "Outpatient Hospital Services MUE Values", "DME Supplier
Services MUE Values"), so it is read from the content, with the file name as a fallback.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from encoder_app.codebook.reference_models import MueLimit
from encoder_app.codes import CPT_SHAPE, HCPCS_SHAPE
from encoder_app.errors import BadRecord
from encoder_app.importers.base import ReleaseInfo, ReleaseWriter, SourceFile
from encoder_app.importers.ncci_common import Header, column, find_header, open_table, quarter_for
from encoder_app.progress import Progress

FORMAT = "NCCI MUE table"
SYSTEM = "ncci"

#: setting -> (release kind, words shown to the coder, words in the header, words in file names)
SETTINGS = {
    "practitioner": ("mue_practitioner", "practitioner", ("practitioner",), ("practitioner",)),
    "outpatient_hospital": ("mue_outpatient_hospital", "outpatient hospital",
                            ("outpatient",), ("outpatient", "hospital")),
    "dme": ("mue_dme", "DME supplier", ("dme",), ("dme",)),
}

_ADJUDICATION = re.compile(r"^\s*([123])\b\s*[-:]?\s*(.*)$")


def _is_header(cells: Header) -> bool:
    return len(cells) >= 3 and column(cells, "mue values") is not None and (
        column(cells, "adjudication") is not None or column(cells, "code") == 0)


def sniff(source: SourceFile) -> bool:
    return find_header(source, _is_header) is not None


def setting_of(source: SourceFile) -> str:
    found = find_header(source, _is_header)
    values_cell = found[1][column(found[1], "mue values")] if found else ""
    for setting, (_, _, header_words, _) in SETTINGS.items():
        if any(w in values_cell for w in header_words):
            return setting
    lower = source.name.lower()
    named = {s for s, (*_, hints) in SETTINGS.items() if any(h in lower for h in hints)}
    if len(named) == 1:
        return named.pop()
    raise BadRecord("row 1", f"the MUE values column {values_cell!r} does not name the setting "
                    "(Practitioner, Outpatient Hospital or DME Supplier Services), nor does the "
                    "file name; rename it to contain 'practitioner', 'outpatient' or 'dme'")


def release_info(source: SourceFile) -> ReleaseInfo:
    kind, words, *_ = SETTINGS[setting_of(source)]
    quarter, version, note = quarter_for(source)
    return ReleaseInfo(SYSTEM, kind, version, f"NCCI MUE {words} {quarter.version}{note}",
                       quarter.start)


def load(source: SourceFile, writer: ReleaseWriter) -> Iterator[Progress]:
    rows = []
    what = "MUE (HCPCS/CPT Code, MUE Values, ...)"
    with open_table(source, _is_header, what) as (reader, header):
        code_i = 0
        units_i = column(header, "mue values")
        adj_i = column(header, "adjudication")
        rat_i = column(header, "rationale")
        if adj_i is None or rat_i is None:
            raise BadRecord("header row", "an MUE table needs MUE Adjudication Indicator and "
                            "MUE Rationale columns")
        width = max(units_i, adj_i, rat_i) + 1
        seen: dict[str, int] = {}
        for row in reader:
            if not any(c.strip() for c in row):
                continue
            where = f"row {reader.line_num}"
            if len(row) < width:
                raise BadRecord(where, f"has {len(row)} columns; an MUE row has {width}")
            code = row[code_i].strip().upper()
            if not (CPT_SHAPE.fullmatch(code) or HCPCS_SHAPE.fullmatch(code)):
                raise BadRecord(where, f"HCPCS/CPT code {row[code_i]!r} is not a CPT or HCPCS "
                                "code")
            if code in seen:
                raise BadRecord(where, f"{code} already has an MUE at row {seen[code]}")
            seen[code] = reader.line_num
            units = row[units_i].strip()
            if not units.isdigit():
                raise BadRecord(where, f"MUE value {units!r} for {code} is not a whole number "
                                "of units")
            m = _ADJUDICATION.match(row[adj_i])
            if not m:
                raise BadRecord(where, f"MUE adjudication indicator {row[adj_i]!r} does not start"
                                " with 1 (line edit), 2 (date of service, policy) or 3 (date of"
                                " service, clinical)")
            rows.append(dict(release_id=writer.release_id, code=code, units=int(units),
                             adjudication=int(m.group(1)),
                             adjudication_text=" ".join(row[adj_i].split()),
                             rationale=" ".join(row[rat_i].split())))
    if not rows:
        raise BadRecord("row 2", "the table has a header but no MUE rows")
    yield Progress(0, len(rows), "writing MUE values")
    writer.insert(MueLimit.__table__, rows)
    writer.count("MUE values", len(rows))
    yield Progress(len(rows), len(rows), "done")
