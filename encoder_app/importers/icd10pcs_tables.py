"""ICD-10-PCS Tables (CMS XML, <ICD10PCS.tabular>): every table row expanded into its codes.

A PCS table fixes characters 1-3 (section, body system, root operation) and each of its rows
lists the values allowed for characters 4-7; every combination is a valid code. The codes are
written as rows so "is 0016070 a code?" is one lookup, under a heading tree code -> table ->
body system -> section. The table row keeps the whole grid in extra_json for a browser to draw,
and each code keeps its axis labels so a detail pane can show what each character means.
"""

from __future__ import annotations

import itertools
import json
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator

from encoder_app.codebook.models import Code
from encoder_app.codes import ICD10PCS, PCS_VALUE
from encoder_app.errors import BadRecord
from encoder_app.importers.base import ReleaseInfo, ReleaseWriter, SourceFile
from encoder_app.importers.fiscal_year import fiscal_year_dates
from encoder_app.importers.xml_tree import parse_xml
from encoder_app.progress import Progress

FORMAT = "ICD-10-PCS Tables"
#: What says how big a file of tables is (its first count is the handful of sections).
RECORDS = "codes"
KIND = "tables"

# Placeholder values a title leaves out, as the official long titles do ("... Open Approach",
# not "... Open Approach, No Device, No Qualifier").
OMITTED_LABELS = {"no device", "no qualifier", "none", "no contrast"}
CHUNK = 20000


def sniff(source: SourceFile) -> bool:
    return "<ICD10PCS.tabular" in source.head_text[:2000]


def release_info(source: SourceFile) -> ReleaseInfo:
    match = re.search(r"<version>\s*(\d{4})\s*</version>", source.head_text)
    if not match:
        raise BadRecord("<version>", "the PCS tables have no <version> year")
    year = int(match.group(1))
    start, end, update = fiscal_year_dates(source, year)
    return ReleaseInfo(ICD10PCS, KIND, f"FY{year}@{start.isoformat()}",
                       f"ICD-10-PCS FY{year} Tables{update}", start, end)


def _text(el: ET.Element | None) -> str:
    return " ".join("".join(el.itertext()).split()) if el is not None else ""


def _axis(axis: ET.Element, where: str) -> tuple[int, str, list[tuple[str, str]]]:
    """(position, title, [(value, label)]) of an <axis>, checked."""
    try:
        pos = int(axis.get("pos", ""))
    except ValueError:
        raise BadRecord(where, f"an <axis> has pos {axis.get('pos')!r}, not 1-7") from None
    title = _text(axis.find("title"))
    labels = [((lab.get("code") or "").strip(), _text(lab)) for lab in axis.findall("label")]
    if not labels:
        raise BadRecord(where, f"axis {pos} ({title or 'untitled'}) has no <label> values")
    for value, label in labels:
        if not PCS_VALUE.fullmatch(value):
            raise BadRecord(where, f"axis {pos} has a <label> with code {value!r}, not one "
                            "PCS character (0-9, A-Z without I and O)")
        if not label:
            raise BadRecord(where, f"axis {pos} value {value} has an empty <label>")
    return pos, title, labels


def _title_part(title: str, label: str) -> str:
    """How one of characters 4-7 reads in a code title; '' when it is a placeholder."""
    if label.lower() in OMITTED_LABELS:
        return ""
    if title.lower() == "approach" and not label.lower().endswith("approach"):
        return f"{label} Approach"
    return label


def _json(value: dict) -> str:
    return json.dumps(value, separators=(",", ":"))


class _Builder:
    """Collects heading and code rows with ids assigned, so children point at parents."""

    def __init__(self, writer: ReleaseWriter):
        self.writer = writer
        self.ids = writer.id_counter(Code.__table__)
        self.rows: list[dict] = []
        self.headings: dict[str, int] = {}  # "0", "00", "001" -> id
        self.table_grids: dict[str, dict] = {}
        self.codes_seen: dict[str, str] = {}  # code -> where it was made, to report duplicates
        self.seq = 0

    def add(self, code: str, level: str, title: str, parent_id: int | None,
            extra: dict | None = None, billable: bool = False) -> int:
        code_id = next(self.ids)
        self.seq += 1
        self.rows.append(dict(id=code_id, release_id=self.writer.release_id, system=ICD10PCS,
                              code=code, level=level, title=title, billable=billable,
                              needs_seventh=False, parent_id=parent_id, seq=self.seq,
                              extra_json=_json(extra) if extra is not None else None))
        return code_id

    def heading(self, code: str, level: str, title: str, parent_id: int | None,
                extra: dict | None = None) -> int:
        if code not in self.headings:
            self.headings[code] = self.add(code, level, title, parent_id, extra)
        return self.headings[code]

    def table(self, el: ET.Element, number: int) -> int:
        where = f"<pcsTable> {number}"
        axes = {}
        for axis in el.findall("axis"):
            pos, title, labels = _axis(axis, where)
            if len(labels) != 1:
                raise BadRecord(where, f"table axis {pos} has {len(labels)} values; characters "
                                "1-3 of a table have one each")
            axes[pos] = (title, labels[0], _text(axis.find("definition")))
        if sorted(axes) != [1, 2, 3]:
            raise BadRecord(where, f"the table has axes {sorted(axes)}, not 1, 2 and 3")
        (_, (sec, sec_label), _), (_, (sys_, sys_label), _) = axes[1], axes[2]
        op_title, (op, op_label), definition = axes[3]
        prefix = sec + sys_ + op
        where = f"<pcsTable> {prefix}"
        section_id = self.heading(sec, "section", sec_label, None)
        system_id = self.heading(sec + sys_, "body_system", sys_label, section_id)
        grid = self.table_grids.get(prefix)
        if grid is None:
            grid = {"definition": definition or None,
                    "axes": {str(p): {"title": t, "code": v, "label": lab}
                             for p, (t, (v, lab), _) in sorted(axes.items())},
                    "rows": []}
            self.table_grids[prefix] = grid
            # Its extra_json is written once all rows of the table (possibly split) are read.
            self.heading(prefix, "table", op_label, system_id)
        table_id = self.headings[prefix]
        for row_number, row in enumerate(el.findall("pcsRow"), start=1):
            self.row(row, prefix, op_label, table_id, grid, f"{where} <pcsRow> {row_number}")
        return table_id

    def row(self, el: ET.Element, prefix: str, operation: str, table_id: int, grid: dict,
            where: str) -> None:
        axes = {}
        for axis in el.findall("axis"):
            pos, title, labels = _axis(axis, where)
            axes[pos] = (title, labels)
        if sorted(axes) != [4, 5, 6, 7]:
            raise BadRecord(where, f"the row has axes {sorted(axes)}, not 4, 5, 6 and 7")
        grid["rows"].append({str(p): {"title": t, "values": [[v, lab] for v, lab in labels]}
                             for p, (t, labels) in sorted(axes.items())})
        stated = el.get("codes")
        combinations = 1
        for _, labels in axes.values():
            combinations *= len(labels)
        if stated is not None and stated.strip().isdigit() and int(stated) != combinations:
            raise BadRecord(where, f"the row says codes=\"{stated}\" but its values make "
                            f"{combinations} codes")
        # Per axis: (value, label, title fragment, {pos: [axis title, label]} entry).
        choices = []
        for pos in (4, 5, 6, 7):
            title, labels = axes[pos]
            choices.append([(v, lab, _title_part(title, lab), (title, lab)) for v, lab in labels])
        # The official titles read "Resection Appendix" for a body part or region, and put other
        # 4th characters (a mental health test's qualifier) after a comma.
        body_title = axes[4][0].lower()
        joins_body = "body" in body_title or "site" in body_title
        for body, approach, device, qualifier in itertools.product(*choices):
            code = prefix + body[0] + approach[0] + device[0] + qualifier[0]
            if code in self.codes_seen:
                raise BadRecord(where, f"code {code} is already made by "
                                f"{self.codes_seen[code]}")
            self.codes_seen[code] = where
            parts = [part[2] for part in (body, approach, device, qualifier) if part[2]]
            if parts and body[2] and joins_body:
                parts[0] = f"{operation} {parts[0]}"  # "Bypass Cerebral Ventricle"
            else:
                parts.insert(0, operation)  # "Psychological Tests, Developmental"
            title = ", ".join(parts)
            labels = {"4": body[3], "5": approach[3], "6": device[3], "7": qualifier[3]}
            self.add(code, "code", title, table_id, labels, billable=True)


def load(source: SourceFile, writer: ReleaseWriter) -> Iterator[Progress]:
    yield Progress(0, 0, "parsing the PCS tables")
    with source.open_binary() as stream:
        root = parse_xml(stream)
    if root.tag != "ICD10PCS.tabular":
        raise BadRecord(f"<{root.tag}>", "the root element is not <ICD10PCS.tabular>")
    tables = root.findall("pcsTable")
    if not tables:
        raise BadRecord("<ICD10PCS.tabular>", "no <pcsTable> elements")
    builder = _Builder(writer)
    for number, table in enumerate(tables, start=1):
        builder.table(table, number)
        if number % 100 == 0:
            yield Progress(number, len(tables) * 2, f"expanded {number} tables")
    # Table rows were added before their grids were complete: write the finished grids now.
    by_id = {builder.headings[prefix]: grid for prefix, grid in builder.table_grids.items()}
    for row in builder.rows:
        if row["id"] in by_id:
            row["extra_json"] = _json(by_id[row["id"]])
    done = 0
    for start in range(0, len(builder.rows), CHUNK):
        done += writer.insert(Code.__table__, builder.rows[start:start + CHUNK])
        yield Progress(len(tables) + len(tables) * done // len(builder.rows), len(tables) * 2,
                       "writing codes")
    levels: dict[str, int] = {}
    for row in builder.rows:
        levels[row["level"]] = levels.get(row["level"], 0) + 1
    writer.count("sections", levels.get("section", 0))
    writer.count("body systems", levels.get("body_system", 0))
    writer.count("tables", levels.get("table", 0))
    writer.count("codes", levels.get("code", 0))
    yield Progress(len(tables) * 2, len(tables) * 2, "done")
