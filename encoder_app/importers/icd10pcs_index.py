"""ICD-10-PCS Index (CMS XML, <ICD10PCS.index>): main terms and subterms pointing into the tables.

A PCS index term leads to a full code (<code>), the first four characters of a table row
(<codes>), a table (<tab>), another term (<see>) or a value to use (<use> "Peritoneal Cavity").
A <see> or <use> may carry its table or code prefix inside it ("Resection, Uterus<codes>0UT9").
A subterm may have no title at all when it is one of several see/use choices of its parent.
Rows go to the same index_terms table as the ICD-10-CM books.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator

from encoder_app.codes import ICD10PCS
from encoder_app.errors import BadRecord
from encoder_app.importers.base import ReleaseInfo, ReleaseWriter, SourceFile
from encoder_app.importers.fiscal_year import fiscal_year_dates
from encoder_app.importers.icd10cm_index import (
    IndexBuilder,
    check_level,
    free_index,
    read_letters,
    split_title,
    text_of,
    write_terms,
)
from encoder_app.progress import Progress

FORMAT = "ICD-10-PCS Index"

_VERSION = re.compile(r"<version>\s*(\d{4})\s*</version>")
_POINTERS = ("code", "codes", "tab")  # what a term, see or use can lead to in the tables


def sniff(source: SourceFile) -> bool:
    return "<ICD10PCS.index" in source.head_text[:4000]


def release_info(source: SourceFile) -> ReleaseInfo:
    match = _VERSION.search(source.head_text)
    if not match:
        raise BadRecord("<version>", "the ICD-10-PCS Index has no <version> year")
    year = int(match.group(1))
    start, end, update = fiscal_year_dates(source, year)
    return ReleaseInfo(ICD10PCS, "index", f"FY{year}@{start.isoformat()}",
                       f"ICD-10-PCS FY{year} Index{update}", start, end)


def _reference(el: ET.Element | None) -> tuple[str, dict[str, str]]:
    """The words of a <see>/<use> and the table pointers nested in it."""
    if el is None:
        return "", {}
    words = [el.text or ""]
    pointers = {}
    for child in el:
        if child.tag in _POINTERS:
            pointers[child.tag] = text_of(child)
        else:
            words.append(text_of(child))
        words.append(child.tail or "")
    return " ".join("".join(words).split()), pointers


class _Reader:
    def __init__(self, builder: IndexBuilder, lines: dict[ET.Element, int]):
        self.builder = builder
        self.lines = lines

    def where(self, el: ET.Element, label: str) -> str:
        return f"line {self.lines.get(el, '?')}, {label}"

    def term(self, el: ET.Element, parent: dict | None) -> None:
        if parent is None:
            label = "<mainTerm>"
        else:
            label = f"<term level={el.get('level')}> under {parent['path']!r}"
        where = self.where(el, label)
        if parent is not None:
            check_level(el, parent["level"] + 1, where)
        title_el = el.find("title")
        title, nemod, display = split_title(title_el) if title_el is not None else ("", None, "")
        see, see_ptr = _reference(el.find("see"))
        use, use_ptr = _reference(el.find("use"))
        fields = {name: text_of(el.find(name)) for name in _POINTERS}
        for pointers in (see_ptr, use_ptr):
            fields.update({k: v for k, v in pointers.items() if v})
        has_children = el.find("term") is not None
        if not title:
            if parent is None:
                raise BadRecord(where, "has no <title>")
            if not (see or use or any(fields.values()) or has_children):
                raise BadRecord(where, "has no <title> and nothing to see, use or code")
        row = self.builder.add(parent, title, nemod, display, see=see, use=use, **fields)
        for child in el.findall("term"):
            self.term(child, row)


def load(source: SourceFile, writer: ReleaseWriter) -> Iterator[Progress]:
    yield Progress(0, 0, "parsing the ICD-10-PCS Index")
    root, lines, letters = read_letters(source, "ICD10PCS.index")
    builder = IndexBuilder(writer)
    reader = _Reader(builder, lines)
    yield from write_terms(letters, lambda main: reader.term(main, None), builder, writer)
    free_index(root, lines, builder)
    yield Progress(len(letters) + 1, len(letters) + 1, "done")
