"""ICD-10-PCS Definitions (CMS XML, <ICD10PCS.definitions>): what each axis value means.

Per section and axis (3 = root operation or type, 4 = body part, 5 = approach, 6 = device...),
each term has a definition, an explanation and "includes" examples; a coder reads them beside a
PCS table to pick the right value. The Device Aggregation Table at the end (a specific device
and the general 6th-character value it is coded with) is kept too.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator

from encoder_app.codebook.reference_models import PcsDefinition, PcsDeviceAggregate
from encoder_app.codes import ICD10PCS
from encoder_app.errors import BadRecord
from encoder_app.importers.base import ReleaseInfo, ReleaseWriter, SourceFile
from encoder_app.importers.fiscal_year import fiscal_year_dates
from encoder_app.importers.xml_tree import parse_xml
from encoder_app.progress import Progress

FORMAT = "ICD-10-PCS Definitions"
KIND = "definitions"


def sniff(source: SourceFile) -> bool:
    return "<ICD10PCS.definitions" in source.head_text[:2000]


def release_info(source: SourceFile) -> ReleaseInfo:
    match = re.search(r"<version>\s*(\d{4})\s*</version>", source.head_text)
    if not match:
        raise BadRecord("<version>", "the PCS definitions have no <version> year")
    year = int(match.group(1))
    start, end, update = fiscal_year_dates(source, year)
    return ReleaseInfo(ICD10PCS, KIND, f"FY{year}@{start.isoformat()}",
                       f"ICD-10-PCS FY{year} Definitions{update}", start, end)


def _text(el: ET.Element | None) -> str:
    return " ".join("".join(el.itertext()).split()) if el is not None else ""


def _joined(parent: ET.Element, tag: str) -> str | None:
    values = [t for t in (_text(el) for el in parent.findall(tag)) if t]
    return "; ".join(values) or None


def _definitions(root: ET.Element, release_id: int) -> list[dict]:
    rows = []
    for s_number, section in enumerate(root.findall("section"), start=1):
        code = (section.get("code") or "").strip()
        where = f"<section> {code or s_number}"
        if len(code) != 1:
            raise BadRecord(where, f"a <section> has code {section.get('code')!r}, not one "
                            "character")
        section_title = _text(section.find("title"))
        for axis in section.findall("axis"):
            pos = (axis.get("pos") or "").strip()
            if not pos.isdigit() or not 1 <= int(pos) <= 7:
                raise BadRecord(where, f"an <axis> has pos {axis.get('pos')!r}, not 1-7")
            axis_title = _text(axis.find("title"))
            for t_number, terms in enumerate(axis.findall("terms"), start=1):
                term = _text(terms.find("title"))
                if not term:
                    raise BadRecord(f"{where} <axis> {pos} <terms> {t_number}",
                                    "a term has no <title>")
                rows.append(dict(release_id=release_id, section=code,
                                 section_title=section_title, axis_pos=int(pos),
                                 axis_title=axis_title, term=term,
                                 definition=_text(terms.find("definition")) or None,
                                 explanation=_text(terms.find("explanation")) or None,
                                 includes=_joined(terms, "includes")))
    return rows


def _aggregates(root: ET.Element, release_id: int) -> list[dict]:
    rows = []
    for number, agg in enumerate(root.iter("aggregate"), start=1):
        parent = agg.find("parent")
        device = _text(agg.find("device"))
        if not device or parent is None:
            raise BadRecord(f"<deviceAggregation> <aggregate> {number}",
                            "an aggregate needs a <device> and a <parent> value")
        rows.append(dict(release_id=release_id, device=device,
                         operations=_joined(agg, "operation") or "",
                         body_systems=_joined(agg, "bodySys") or "",
                         parent_value=(parent.get("value") or "").strip()[:1],
                         parent_label=_text(parent)))
    return rows


def load(source: SourceFile, writer: ReleaseWriter) -> Iterator[Progress]:
    yield Progress(0, 2, "parsing the PCS definitions")
    with source.open_binary() as stream:
        root = parse_xml(stream)
    if root.tag != "ICD10PCS.definitions":
        raise BadRecord(f"<{root.tag}>", "the root element is not <ICD10PCS.definitions>")
    definitions = _definitions(root, writer.release_id)
    if not definitions:
        raise BadRecord("<ICD10PCS.definitions>", "no <section> <axis> <terms> definitions")
    aggregates = _aggregates(root, writer.release_id)
    yield Progress(1, 2, "writing definitions")
    writer.insert(PcsDefinition.__table__, definitions)
    writer.insert(PcsDeviceAggregate.__table__, aggregates)
    writer.count("definitions", len(definitions))
    writer.count("sections", len({d["section"] for d in definitions}))
    writer.count("device aggregates", len(aggregates))
    yield Progress(2, 2, "done")
