"""ICD-10-CM Tabular List (CDC XML, <ICD10CM.tabular>): chapters, blocks, codes, notes, 7th chars.

Categories whose codes take a 7th character are expanded here into every valid billable code,
padding with the placeholder X to six characters (W54.0 -> W54.0XXA), so the database answers
"is S72.001A a code?" with a row, and S72.001 is stored as a header that needs a 7th character.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator

from encoder_app.codebook.models import Code, Note, SeventhCharacter
from encoder_app.codes import ICD10CM
from encoder_app.cycle_collection import drop_in_pieces
from encoder_app.errors import BadRecord
from encoder_app.importers.base import ReleaseInfo, ReleaseWriter, SourceFile
from encoder_app.importers.fiscal_year import fiscal_year_dates
from encoder_app.importers.xml_tree import free_tree, parse_xml
from encoder_app.progress import Progress

FORMAT = "ICD-10-CM Tabular List"

# XML element -> the note kind stored and shown to the coder.
NOTE_KINDS = {
    "includes": "includes",
    "inclusionTerm": "inclusion_term",
    "excludes1": "excludes1",
    "excludes2": "excludes2",
    "codeFirst": "code_first",
    "useAdditionalCode": "use_additional_code",
    "codeAlso": "code_also",
    "notes": "notes",
    "sevenChrNote": "seventh_character_note",
}

# "7th characters D and S do not apply to codes in category S06 with 6th character 7 - ...,
# or 8 - ..." The only 7th-character restriction the Tabular states in words; read it from the
# note rather than hard-coding it, so next year's wording of the same rule still applies.
_NOT_APPLY = re.compile(
    r"7th characters? (?P<chars>.+?) do(?:es)? not apply to codes in (?:sub)?category "
    r"(?P<cat>[A-Z][0-9A-Z.]+) with 6th character (?P<sixth>.+)$", re.IGNORECASE)



def sniff(source: SourceFile) -> bool:
    return "<ICD10CM.tabular" in source.head_text[:2000]


def release_info(source: SourceFile) -> ReleaseInfo:
    match = re.search(r"<version>\s*(\d{4})\s*</version>", source.head_text)
    if not match:
        raise BadRecord("<version>", "the Tabular List has no <version> year")
    year = int(match.group(1))
    start, end, update = fiscal_year_dates(source, year)
    return ReleaseInfo(ICD10CM, "tabular", f"FY{year}@{start.isoformat()}",
                       f"ICD-10-CM FY{year} Tabular List{update}", start, end)


def _text(el: ET.Element | None) -> str:
    return " ".join("".join(el.itertext()).split()) if el is not None else ""


def _restrictions(note_texts: list[str]) -> dict[str, tuple[set[str], set[str]]]:
    """{category: (7th chars not allowed, when the 6th character is one of these)}."""
    found = {}
    for text in note_texts:
        m = _NOT_APPLY.search(text)
        if m:
            chars = set(re.findall(r"\b([A-Z])\b", m.group("chars")))
            sixth = set(re.findall(r"(?:^|\bor\s+|,\s*)(\w)\s+-", m.group("sixth")))
            if chars and sixth:
                found[m.group("cat").replace(".", "")] = (chars, sixth)
    return found


class _Builder:
    """Walks the tree once, producing code, note and 7th-character rows with ids assigned."""

    def __init__(self, writer: ReleaseWriter):
        self.writer = writer
        self.code_ids = writer.id_counter(Code.__table__)
        self.codes: list[dict] = []
        self.notes: list[dict] = []
        self.sevenths: list[dict] = []
        self.seq = 0
        self.restrictions: dict[str, tuple[set[str], set[str]]] = {}

    def add(self, code: str, level: str, title: str, parent_id: int | None, *,
            billable=False, needs_seventh=False) -> int:
        code_id = next(self.code_ids)
        self.seq += 1
        self.codes.append(dict(id=code_id, release_id=self.writer.release_id, system=ICD10CM,
                               code=code, level=level, title=title, billable=billable,
                               needs_seventh=needs_seventh, parent_id=parent_id, seq=self.seq))
        return code_id

    def notes_of(self, el: ET.Element, code_id: int, where: str) -> list[str]:
        texts = []
        for child in el:
            kind = NOTE_KINDS.get(child.tag)
            if kind is None:
                continue
            for i, note in enumerate(child.findall("note")):
                text = _text(note)
                if not text:
                    raise BadRecord(where, f"an empty <note> in <{child.tag}>")
                self.notes.append(dict(code_id=code_id, kind=kind, seq=i, text=text))
                texts.append(text)
        return texts

    def chapter(self, el: ET.Element, number: int) -> None:
        name = el.findtext("name") or str(number)
        where = f"chapter {name}"
        chapter_id = self.add(name.strip(), "chapter", _text(el.find("desc")), None)
        self.notes_of(el, chapter_id, where)
        for section in el.findall("section"):
            block = section.get("id")
            if not block:
                raise BadRecord(f"{where} <section>", "a block has no id attribute")
            block_id = self.add(block, "block", _text(section.find("desc")), chapter_id)
            self.notes_of(section, block_id, f"block {block}")
            for diag in section.findall("diag"):
                self.diag(diag, block_id, None)

    def diag(self, el: ET.Element, parent_id: int, seventh: list[tuple[str, str]] | None) -> None:
        raw = el.findtext("name")
        if not raw or not raw.strip():
            raise BadRecord(f"<diag> under code id {parent_id}", "a <diag> has no <name>")
        code = raw.strip().replace(".", "")
        where = f"<diag> {raw.strip()}"
        title = _text(el.find("desc"))
        if not title:
            raise BadRecord(where, "has no <desc> title")
        children = el.findall("diag")
        own_def = el.find("sevenChrDef")
        if own_def is not None:
            seventh = [(e.get("char", "").strip(), _text(e)) for e in own_def.findall("extension")]
            if any(len(c) != 1 for c, _ in seventh):
                raise BadRecord(where, "a <sevenChrDef> <extension> has no single-character char")
        leaf_needs_seventh = not children and bool(seventh)
        level = "category" if len(code) == 3 else "subcategory"
        code_id = self.add(code, level, title, parent_id,
                           billable=not children and not seventh, needs_seventh=leaf_needs_seventh)
        self.restrictions.update(_restrictions(self.notes_of(el, code_id, where)))
        if own_def is not None:
            for char, label in seventh:
                self.sevenths.append(dict(code_id=code_id, char=char, label=label))
        for child in children:
            self.diag(child, code_id, seventh)
        if leaf_needs_seventh:
            self.expand_seventh(code, title, code_id, seventh)

    def expand_seventh(self, code: str, title: str, code_id: int,
                       seventh: list[tuple[str, str]]) -> None:
        padded = code.ljust(6, "X")
        banned: set[str] = set()
        for cat, (chars, sixth) in self.restrictions.items():
            if code.startswith(cat) and len(code) >= 6 and code[5] in sixth:
                banned |= chars
        for char, label in seventh:
            if char not in banned:
                self.add(padded + char, "code", f"{title}, {label}", code_id, billable=True)


def load(source: SourceFile, writer: ReleaseWriter) -> Iterator[Progress]:
    yield Progress(0, 0, "parsing the Tabular List")
    with source.open_binary() as stream:
        root = parse_xml(stream)
    if root.tag != "ICD10CM.tabular":
        raise BadRecord(f"<{root.tag}>", "the root element is not <ICD10CM.tabular>")
    builder = _Builder(writer)
    chapters = root.findall("chapter")
    if not chapters:
        raise BadRecord("<ICD10CM.tabular>", "no <chapter> elements")
    for number, chapter in enumerate(chapters, start=1):
        builder.chapter(chapter, number)
        yield Progress(number, len(chapters) * 2, f"read chapter {number}")
    free_tree(root)  # read: the window gets turns while it goes (see free_tree)
    del root, chapter
    total = len(builder.codes) + len(builder.notes)
    yield Progress(len(chapters), len(chapters) * 2, "writing codes")
    done = 0
    for start in range(0, len(builder.codes), 20000):
        done += writer.insert(Code.__table__, builder.codes[start:start + 20000])
        yield Progress(len(chapters) + len(chapters) * done // total, len(chapters) * 2,
                       "writing codes")
    writer.insert(Note.__table__, builder.notes)
    writer.insert(SeventhCharacter.__table__, builder.sevenths)
    billable = sum(1 for c in builder.codes if c["billable"])
    writer.count("codes", sum(1 for c in builder.codes if c["level"] not in ("chapter", "block")))
    writer.count("billable", billable)
    writer.count("notes", len(builder.notes))
    for rows in (builder.codes, builder.notes, builder.sevenths):
        drop_in_pieces(rows)
    yield Progress(len(chapters) * 2, len(chapters) * 2, "done")
