"""What the search index holds: one document per code title, inclusion term, Alphabetic Index
path, table row, HCPCS and PCS descriptor, with a prior that ranks billable codes first.

Only the newest release of each system and book is indexed; a date of service is checked
against the database when results are shown.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from sqlalchemy import Engine, select

from encoder_app.codebook.index_models import IndexTerm, TableCell, TableHeading
from encoder_app.codebook.models import Code, Note, Release
from encoder_app.codes import normalize
from encoder_app.search.indexed import CODE_SYSTEMS, HEADINGS, INDEX_BOOKS, indexed_releases
from encoder_app.search.text import words

#: How much a source counts when two documents for different codes match equally.
KIND_PRIOR = {"title": 1.0, "inclusion": 0.9, "index": 1.0, "eindex": 0.85, "neoplasm": 0.9,
              "drug": 0.9, "descriptor": 1.0}


@dataclass(frozen=True)
class SearchDocument:
    system: str
    code: str  # stored form, no dot
    kind: str
    text: str  # the words matched against
    prior: float
    display: str = ""  # what to show as the match when it differs from text (index paths)
    # Nonessential modifiers: words that may be typed but whose absence is no mismatch.
    nemods: str = ""


@dataclass(frozen=True)
class CodeInfo:
    title: str
    billable: bool
    level: str
    needs_seventh: bool


def code_prior(system: str, code: str, info: CodeInfo) -> float:
    """A coder's prior: billable codes first, codes that only add a 7th character next,
    headers last; external-cause and status codes below diagnoses; initial encounter first."""
    if info.billable:
        prior = 1.0
    elif info.needs_seventh:
        prior = 0.75
    else:
        prior = 0.45
    if system == "icd10cm":
        first = code[0]
        if first in "VWXY":
            prior *= 0.6  # external causes are secondary codes, never what a diagnosis means
        elif first == "Z":
            prior *= 0.8
        if info.level == "code" and len(code) == 7 and code[-1] != "A":
            prior *= 0.85  # subsequent encounter and sequela variants follow the initial one
        if "classified elsewhere" in info.title:
            prior *= 0.85
    return prior


def _code_infos(engine: Engine, release_ids: list[int]) -> dict[str, dict[str, CodeInfo]]:
    infos: dict[str, dict[str, CodeInfo]] = {}
    query = select(Code.system, Code.code, Code.title, Code.billable, Code.level,
                   Code.needs_seventh).where(Code.release_id.in_(release_ids),
                                             Code.level.not_in(HEADINGS),
                                             Code.system.in_(CODE_SYSTEMS))
    with engine.connect() as conn:
        for system, code, title, billable, level, needs in conn.execute(query):
            infos.setdefault(system, {})[code] = CodeInfo(title, bool(billable), level, bool(needs))
    return infos


def _nemod_words(path: str, path_key: str) -> str:
    """The words of a path's nonessential modifiers: in the key (which has them), not in the
    path as printed without them."""
    printed = set(words(path))
    return " ".join(w for w in words(path_key) if w not in printed)


def _index_code(raw: str | None) -> str | None:
    """'S72.9-' -> 'S729': the index prints dashes where more characters are needed."""
    if not raw or raw.strip("-") == "":
        return None
    return normalize(raw.rstrip("-").rstrip(".").split()[0])


def iter_documents(engine: Engine) -> tuple[list[SearchDocument], dict[str, dict[str, CodeInfo]]]:
    """Every document to index, and the titles of every indexed code."""
    release_ids = indexed_releases(engine)
    infos = _code_infos(engine, release_ids)
    docs: list[SearchDocument] = []

    def add(system: str, code: str | None, kind: str, text: str, weight: float = 1.0,
            display: str = "", nemods: str = "") -> None:
        info = infos.get(system, {}).get(code or "")
        if info is None or not text.strip():
            return
        docs.append(SearchDocument(system, code, kind, text,
                                   code_prior(system, code, info) * KIND_PRIOR[kind] * weight,
                                   display, nemods))

    for system, codes in infos.items():
        kind = "title" if system == "icd10cm" else "descriptor"
        for code, info in codes.items():
            add(system, code, kind, info.title)
    with engine.connect() as conn:
        for code, text in conn.execute(
                select(Code.code, Note.text).join(Note, Note.code_id == Code.id)
                .where(Code.release_id.in_(release_ids), Code.system == "icd10cm",
                       Note.kind == "inclusion_term")):
            add("icd10cm", code, "inclusion", text)
        for code, short in conn.execute(select(Code.code, Code.short_title).where(
                Code.release_id.in_(release_ids), Code.system == "hcpcs",
                Code.short_title.is_not(None))):
            add("hcpcs", code, "descriptor", short, 0.9)
        books = dict(conn.execute(select(Release.id, Release.kind).where(
            Release.id.in_(release_ids), Release.kind.in_(INDEX_BOOKS))).all())
        for kind, path, path_key, code in _index_rows(conn, books):
            add("icd10cm", _index_code(code), kind, path, display=path,
                nemods=_nemod_words(path, path_key))
        for release_id, path, path_key, col_title, code in _cell_rows(conn, books):
            add("icd10cm", _index_code(code), books[release_id], f"{path} {col_title}",
                display=f"{path}: {col_title}", nemods=_nemod_words(path, path_key))
    return docs, infos


def _index_rows(conn, books: dict[int, str]) -> Iterator[tuple]:
    if not books:
        return iter(())
    query = (select(IndexTerm.release_id, IndexTerm.path, IndexTerm.path_key, IndexTerm.code)
             .where(IndexTerm.release_id.in_(list(books)), IndexTerm.code.is_not(None)))
    return ((books[rid], path, key, code) for rid, path, key, code in conn.execute(query))


def _cell_rows(conn, books: dict[int, str]) -> Iterator[tuple]:
    if not books:
        return iter(())
    query = (select(IndexTerm.release_id, IndexTerm.path, IndexTerm.path_key, TableHeading.title,
                    TableCell.code)
             .join(TableCell, TableCell.term_id == IndexTerm.id)
             .join(TableHeading, (TableHeading.release_id == IndexTerm.release_id)
                   & (TableHeading.col == TableCell.col))
             .where(IndexTerm.release_id.in_(list(books))))
    return iter(conn.execute(query).all())
