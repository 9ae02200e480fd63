"""ICD-10-CM Alphabetic Index books (CDC XML, <ICD10CM.index>): diseases, external causes, tables.

The four books share one schema: letters hold main terms, main terms hold nested subterms, and
each term may carry a code, a bracketed manifestation code, see / see also references, and (in the
Neoplasm and Drug tables) one code per table column. Which book a file is comes from its content:
an <indexHeading> whose first column is "Neoplasm" or "Substance", or a book <title> naming the
External Cause Index. The tree is parsed with line numbers so a bad term is reported by line.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from typing import IO
from xml.parsers import expat

from encoder_app.codebook.index_models import IndexTerm, TableCell, TableHeading, title_key
from encoder_app.codes import ICD10CM
from encoder_app.cycle_collection import PIECE, drop_in_pieces
from encoder_app.errors import BadRecord
from encoder_app.importers.base import ReleaseInfo, ReleaseWriter, SourceFile
from encoder_app.importers.fiscal_year import fiscal_year_dates
from encoder_app.importers.xml_tree import CHUNK, free_tree
from encoder_app.progress import Progress

FORMAT = "ICD-10-CM Index and Tables"

#: Release kind -> the book's name as a coder knows it.
BOOKS = {
    "index": "Index to Diseases and Injuries",
    "eindex": "External Cause Index",
    "neoplasm": "Table of Neoplasms",
    "drug": "Table of Drugs and Chemicals",
}

_VERSION = re.compile(r"<version>\s*(\d{4})\s*</version>")
_TITLE = re.compile(r"<title>(.*?)</title>", re.S)
_FIRST_HEAD = re.compile(r"<head\s+col\s*=\s*[\"']1[\"']\s*>(.*?)</head>", re.S)
_TAGS = re.compile(r"<[^>]+>")

# Every column of a term row, so each inserted dict has the same keys.
_TERM_FIELDS = ("code", "manif", "see", "see_also", "seecat", "subcat", "use", "tab", "codes")


def sniff(source: SourceFile) -> bool:
    return "<ICD10CM.index" in source.head_text[:4000]


def book_kind(head_text: str, file_name: str = "") -> str:
    """index, eindex, neoplasm or drug, from the book's heading; the file name only breaks a tie."""
    before = head_text.split("<letter", 1)[0]  # a letter's <title> is "A", not the book's
    head = _FIRST_HEAD.search(before)
    if head:
        first = _TAGS.sub("", head.group(1)).lower()
        if "neoplasm" in first:
            return "neoplasm"
        if "substance" in first or "drug" in first:
            return "drug"
    title = _TITLE.search(before)
    if title and "external cause" in _TAGS.sub("", title.group(1)).lower():
        return "eindex"
    name = file_name.lower()
    for kind in ("eindex", "neoplasm", "drug"):
        if kind in name:
            return kind
    if head:
        raise BadRecord("<indexHeading>", f"column 1 is headed {head.group(1).strip()!r}; "
                        "expected 'Neoplasm' (Table of Neoplasms) or 'Substance' (Table of Drugs)")
    return "index"


def release_info(source: SourceFile) -> ReleaseInfo:
    kind = book_kind(source.head_text, source.base_name)
    match = _VERSION.search(source.head_text)
    if not match:
        raise BadRecord("<version>", f"the {BOOKS[kind]} has no <version> year")
    year = int(match.group(1))
    start, end, update = fiscal_year_dates(source, year)
    return ReleaseInfo(ICD10CM, kind, f"FY{year}@{start.isoformat()}",
                       f"ICD-10-CM FY{year} {BOOKS[kind]}{update}", start, end)


# ---- XML with line numbers, shared with the ICD-10-PCS index importer ----

def parse_with_lines(stream: IO[bytes]) -> tuple[ET.Element, dict[ET.Element, int]]:
    """The element tree and the line each element starts on, for error messages a coder can find."""
    builder = ET.TreeBuilder()
    parser = expat.ParserCreate()
    parser.buffer_text = True
    lines: dict[ET.Element, int] = {}

    def start(tag: str, attrs: dict[str, str]) -> None:
        lines[builder.start(tag, attrs)] = parser.CurrentLineNumber

    parser.StartElementHandler = start
    parser.EndElementHandler = builder.end
    parser.CharacterDataHandler = builder.data
    try:
        # Fed a chunk at a time, not ParseFile: ParseFile held the interpreter lock for up to
        # 200 ms at a stretch (the window froze while an index imported on the worker); between
        # chunks the window gets its turn. CHUNK as for the other XML files (xml_tree).
        while chunk := stream.read(CHUNK):
            parser.Parse(chunk, False)
        parser.Parse(b"", True)
    except expat.ExpatError as exc:
        raise BadRecord(f"line {exc.lineno}, column {exc.offset + 1}",
                        f"is not well-formed XML ({expat.ErrorString(exc.code)})") from None
    return builder.close(), lines


def text_of(el: ET.Element | None) -> str:
    """An element's text with whitespace collapsed; addenda <old> text (deleted words) left out."""
    if el is None:
        return ""
    parts = [el.text or ""]
    for child in el:
        if child.tag != "old":
            parts.append(text_of(child))
        parts.append(child.tail or "")
    return " ".join("".join(parts).split())


def split_title(el: ET.Element) -> tuple[str, str | None, str]:
    """(title without nonessential modifiers, the modifiers, title as printed).

    <title>Acid<nemod>(corrosive)</nemod> NEC</title> -> ("Acid NEC", "(corrosive)",
    "Acid (corrosive) NEC"). A title that is only a nemod keeps it as its title.
    """
    plain = [el.text or ""]
    shown = [el.text or ""]
    nemods = []
    for child in el:
        if child.tag == "nemod":
            nemods.append(text_of(child))
            shown.append(f" {text_of(child)} ")
        elif child.tag != "old":  # <new>/<diff> in addenda files are part of the title
            plain.append(f" {text_of(child)} ")
            shown.append(f" {text_of(child)} ")
        plain.append(child.tail or "")
        shown.append(child.tail or "")
    title = _tidy("".join(plain))
    display = _tidy("".join(shown))
    nemod = " ".join(n for n in nemods if n) or None
    if not title and nemod:
        return nemod, None, display
    return title, nemod, display


def _tidy(text: str) -> str:
    return re.sub(r"\s+([,.;:])", r"\1", " ".join(text.split()))


class IndexBuilder:
    """Collects term and cell rows with ids assigned, so children can point at parents."""

    def __init__(self, writer: ReleaseWriter):
        self.writer = writer
        self.ids = writer.id_counter(IndexTerm.__table__)
        self.terms: list[dict] = []
        self.cells: list[dict] = []
        self.seq = 0

    def add(self, parent: dict | None, title: str, nemod: str | None, display: str,
            **fields: str | None) -> dict:
        """A term row under `parent` (None for a main term); returns the row."""
        term_id = next(self.ids)
        self.seq += 1
        if parent is None:
            path, path_key = title, title_key(display)
        else:
            path = f"{parent['path']} > {title}" if title else parent["path"]
            path_key = f"{parent['path_key']} {title_key(display)}".strip()
        row = dict(id=term_id, release_id=self.writer.release_id,
                   parent_id=parent["id"] if parent else None,
                   main_term_id=parent["main_term_id"] if parent else term_id,
                   level=parent["level"] + 1 if parent else 0, seq=self.seq,
                   title=title, nemod=nemod, display=display, title_key=title_key(title),
                   path=path, path_key=path_key)
        for name in _TERM_FIELDS:
            row[name] = fields.get(name) or None
        self.terms.append(row)
        return row

    def write(self) -> None:
        self.writer.insert(IndexTerm.__table__, self.terms)
        self.writer.insert(TableCell.__table__, self.cells)


def check_level(el: ET.Element, depth: int, where: str) -> None:
    """A <term>'s level attribute must be present and agree with how deep it is nested."""
    raw = el.get("level")
    if raw is None or not raw.strip().isdigit():
        raise BadRecord(where, f"has no whole-number level attribute (level={raw!r})")
    if int(raw) != depth:
        raise BadRecord(where, f"says level={raw} but is nested at level {depth}")


# ---- the ICD-10-CM books ----

class _Reader:
    """Walks one ICD-10-CM index book into IndexBuilder rows."""

    def __init__(self, builder: IndexBuilder, lines: dict[ET.Element, int],
                 headings: dict[int, str]):
        self.builder = builder
        self.lines = lines
        self.headings = headings

    def where(self, el: ET.Element, label: str) -> str:
        return f"line {self.lines.get(el, '?')}, {label}"

    def main_term(self, el: ET.Element) -> None:
        title_el = el.find("title")
        if title_el is None:
            title_el = el.find("diff")
        if title_el is None:
            raise BadRecord(self.where(el, "<mainTerm>"), "has no <title>")
        self.term(el, title_el, None, self.where(el, "<mainTerm>"))

    def term(self, el: ET.Element, title_el: ET.Element, parent: dict | None, where: str) -> None:
        title, nemod, display = split_title(title_el)
        if not title:
            raise BadRecord(where, "has an empty <title>")
        manif = text_of(el.find("manif")).strip("[] ") or None
        row = self.builder.add(
            parent, title, nemod, display, code=text_of(el.find("code")), manif=manif,
            see=text_of(el.find("see")), see_also=text_of(el.find("seeAlso")),
            seecat=text_of(el.find("seecat")), subcat=text_of(el.find("subcat")))
        self.cells(el, row)
        for child in el.findall("term"):
            self.subterm(child, row)

    def subterm(self, el: ET.Element, parent: dict) -> None:
        depth = parent["level"] + 1
        label = f"<term level={el.get('level')}>"
        title_el = el.find("title")
        if title_el is None:
            title_el = el.find("diff")
        if title_el is None:
            raise BadRecord(self.where(el, f"{label} under {parent['path']!r}"), "has no <title>")
        where = self.where(el, f"{label} {parent['path'] + ' > ' + text_of(title_el)!r}")
        check_level(el, depth, where)
        self.term(el, title_el, parent, where)

    def cells(self, el: ET.Element, row: dict) -> None:
        for cell in el.findall("cell"):
            raw = (cell.get("col") or "").strip()
            where = self.where(cell, f"<cell col={raw or '?'}> of {row['path']!r}")
            if not raw.isdigit() or not 1 <= int(raw) <= 9:
                raise BadRecord(where, "the col attribute is not a column number 1-9")
            col = int(raw)
            if self.headings and col not in self.headings:
                raise BadRecord(where, f"the <indexHeading> has no <head col=\"{col}\">")
            code = text_of(cell)
            if code:  # an empty cell prints as blank; "-" and "--" are kept as printed
                self.builder.cells.append(dict(term_id=row["id"], col=col, code=code))


def read_headings(root: ET.Element, lines: dict[ET.Element, int]) -> dict[int, str]:
    """{column: heading} from <indexHeading>, empty for the two index books."""
    headings: dict[int, str] = {}
    for head in root.findall("indexHeading/head"):
        raw = (head.get("col") or "").strip()
        if not raw.isdigit():
            raise BadRecord(f"line {lines.get(head, '?')}, <head>", "has no column number (col)")
        headings[int(raw)] = text_of(head)
    return headings


def read_letters(source: SourceFile, root_tag: str) -> tuple[ET.Element, dict, list[ET.Element]]:
    """The parsed index (root, element line numbers) and its <letter> elements, checked."""
    with source.open_binary() as stream:
        root, lines = parse_with_lines(stream)
    if root.tag != root_tag:
        raise BadRecord(f"<{root.tag}>", f"the root element is not <{root_tag}>")
    letters = root.findall("letter")
    if not letters:
        raise BadRecord(f"<{root_tag}>", "no <letter> elements")
    return root, lines, letters


def write_terms(letters: list[ET.Element], read_main_term, builder: IndexBuilder,
                writer: ReleaseWriter) -> Iterator[Progress]:
    """Reads every main term letter by letter, then writes the terms and counts them."""
    for number, letter in enumerate(letters, start=1):
        for main in letter.findall("mainTerm"):
            read_main_term(main)
        yield Progress(number, len(letters) + 1, f"read letter {text_of(letter.find('title'))}")
    yield Progress(len(letters), len(letters) + 1, "writing index terms")
    builder.write()
    mains = sum(1 for t in builder.terms if t["level"] == 0)
    writer.count("main terms", mains)
    writer.count("subterms", len(builder.terms) - mains)


def load(source: SourceFile, writer: ReleaseWriter) -> Iterator[Progress]:
    yield Progress(0, 0, "parsing the index")
    root, lines, letters = read_letters(source, "ICD10CM.index")
    headings = read_headings(root, lines)
    writer.insert(TableHeading.__table__, [
        dict(release_id=writer.release_id, col=col, title=title)
        for col, title in sorted(headings.items())])
    builder = IndexBuilder(writer)
    reader = _Reader(builder, lines, headings)
    yield from write_terms(letters, reader.main_term, builder, writer)
    if headings:
        writer.count("cells", len(builder.cells))
    free_index(root, lines, builder)
    yield Progress(len(letters) + 1, len(letters) + 1, "done")


def free_index(root: ET.Element, lines: dict, builder: IndexBuilder) -> None:
    """The parsed index and the rows built from it, dropped in pieces (see free_tree): the
    line numbers first (while the tree still holds the elements), then the tree, then the
    rows."""
    drop_in_pieces(lines)
    free_tree(root)
    for rows in vars(builder).values():
        if isinstance(rows, list | dict) and len(rows) > PIECE:
            drop_in_pieces(rows)
