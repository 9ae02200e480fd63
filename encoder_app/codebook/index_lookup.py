"""Looking a term up in the Alphabetic Index the way a coder does: main term first, then subterms.

"fracture femur" and "Fracture, femur" both reach the main terms Fracture, ... and, below them,
the subterms whose path holds "femur". The first word(s) typed pick the main terms (longest
match first, whole words before a word still being typed); the remaining words must each start
a word somewhere on the way down (titles and nonessential modifiers both count). When that finds
nothing, each other word is tried as the main term ("acute abdomen" reaches Abdomen > acute),
and last the words are looked for along every path of the book ("lightning" reaches
Exposure > lightning); the Table of Neoplasms, entered by site, is read that way.

Results come in book order, limited per book: the terms the words reached first, then their
subterms a level at a time, so a short limit still shows every branch the words reach.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

from sqlalchemy import Connection, Engine, Row, and_, select, true

from encoder_app.codebook.index_models import IndexTerm, TableCell, TableHeading, title_key
from encoder_app.codebook.models import Release
from encoder_app.codes import ICD10CM, ICD10PCS, SYSTEM_NAMES
from encoder_app.errors import NoRelease

#: Book (release kind) -> its name as a coder says it, per code system.
BOOK_NAMES = {
    (ICD10CM, "index"): "Alphabetic Index",
    (ICD10CM, "eindex"): "External Cause Index",
    (ICD10CM, "neoplasm"): "Table of Neoplasms",
    (ICD10CM, "drug"): "Table of Drugs and Chemicals",
    (ICD10PCS, "index"): "Index",
}
ALL_CM_BOOKS = ("index", "eindex", "neoplasm", "drug")

# Words a coder types between the words that matter ("fracture of femur"); ignored as filters.
_FILLER = {"a", "an", "and", "at", "by", "for", "in", "of", "on", "or", "the", "to"}
# Largest IN (...) list sent at once; SQLite's limit on bound parameters is well above this.
_CHUNK = 500

_COLUMNS = (IndexTerm.id, IndexTerm.level, IndexTerm.seq, IndexTerm.nemod, IndexTerm.display,
            IndexTerm.path, IndexTerm.code, IndexTerm.manif, IndexTerm.see, IndexTerm.see_also,
            IndexTerm.seecat, IndexTerm.subcat, IndexTerm.use, IndexTerm.tab, IndexTerm.codes)


@dataclass(frozen=True)
class IndexEntry:
    """One line of an index book as the coder reads it, with where it leads."""

    term_id: int
    system: str
    book: str  # index, eindex, neoplasm, drug
    release: str  # the release's label, e.g. "ICD-10-CM FY2025 Index to Diseases and Injuries"
    level: int  # 0 = main term
    path: tuple[str, ...]  # titles from the main term down, nonessential modifiers left out
    nemod: str | None  # this term's nonessential modifiers, "(-astasia) (hysterical)"
    display: str  # this term's title as printed, modifiers in place
    code: str | None  # as printed: "S72.9-" (the dash: more characters needed)
    manif: str | None  # manifestation code the book prints in brackets
    see: str | None
    see_also: str | None
    seecat: str | None  # "see category T71"
    subcat: str | None  # "see subcategory T75.0"
    use: str | None  # ICD-10-PCS: the value to use
    tab: str | None  # ICD-10-PCS: the table, "0QB"
    codes: str | None  # ICD-10-PCS: the first characters of a table row, "0UT9"
    cells: tuple[tuple[str, str], ...] = ()  # Neoplasm/Drug table: (column heading, code)
    has_children: bool = False
    depth: int = 0  # levels below the term the typed words reached (0 = that term)

    @property
    def printed_path(self) -> tuple[str, ...]:
        """The path as `encoder-app index` prints it (and exercise sets quote it): this term's
        own title with its nonessential modifiers in place."""
        return (*self.path[:-1], self.display) if self.display else self.path

    @property
    def cell_map(self) -> dict[str, str]:
        return dict(self.cells)

    def to_json(self) -> dict:
        return {
            "system": self.system, "book": self.book, "release": self.release,
            "term_id": self.term_id, "level": self.level, "path": list(self.path),
            "title": self.display, "nemod": self.nemod, "code": self.code, "manif": self.manif,
            "see": self.see, "see_also": self.see_also, "seecat": self.seecat,
            "subcat": self.subcat, "use": self.use, "tab": self.tab, "codes": self.codes,
            "cells": self.cell_map, "has_children": self.has_children, "depth": self.depth,
        }


@dataclass(frozen=True)
class _Book:
    system: str
    kind: str
    release_id: int
    label: str


# ---- releases ----

def book_name(book: str, system: str = ICD10CM) -> str:
    """"ICD-10-CM Alphabetic Index", "ICD-10-CM Table of Neoplasms", "ICD-10-PCS Index"."""
    return f"{SYSTEM_NAMES.get(system, system)} {BOOK_NAMES.get((system, book), book)}"


def not_loaded_message(book: str, system: str = ICD10CM) -> str:
    """What to tell a coder who looks something up in a book that was never imported."""
    return (f"No {book_name(book, system)} is loaded: import {system}_{book}_YYYY.xml "
            "with `encoder-app import`")


def path_words(path: str) -> str:
    """The words to look a printed index path up by: 'Diabetes, diabetic > type 2 (mellitus)'
    -> 'Diabetes diabetic type 2' (nonessential modifiers, commas and '>' left out)."""
    return " ".join(re.sub(r"\([^)]*\)|[,>]", " ", path).split())


def book_release_id(conn: Connection, book: str, date: dt.date | None,
                    system: str = ICD10CM) -> int | None:
    """The id of the book's release in effect on `date` (see _release); None when the book
    was never imported."""
    found = _release(conn, system, book, date)
    return found.release_id if found else None


def _release(conn: Connection, system: str, book: str, date: dt.date | None) -> _Book | None:
    """The release in effect on `date`: newest that started by then, else the earliest one."""
    q = select(Release.id, Release.label).where(Release.system == system, Release.kind == book)
    newest = (Release.effective_from.desc(), Release.id.desc())
    row = None
    if date is None:
        row = conn.execute(q.order_by(*newest).limit(1)).first()
    else:
        in_effect = q.where(Release.effective_from <= date)
        row = conn.execute(in_effect.order_by(*newest).limit(1)).first()
        if row is None:
            row = conn.execute(q.order_by(Release.effective_from, Release.id).limit(1)).first()
    return _Book(system, book, row.id, row.label) if row else None


def available_books(engine: Engine, books: Iterable[str], system: str = ICD10CM) -> list[str]:
    """The books of `books` that have at least one release loaded."""
    with engine.connect() as conn:
        return [b for b in books if _release(conn, system, b, None) is not None]


# ---- looking up ----

def look_up_index(engine: Engine, term: str, books: Sequence[str] = ("index",),
                  system: str = ICD10CM, date: dt.date | None = None,
                  limit: int | None = 50) -> list[IndexEntry]:
    """Index entries the typed words reach, book by book; at most `limit` from each book.

    Raises NoRelease naming the file to import when a requested book is not loaded.
    """
    words = title_key(term).split()
    found: list[IndexEntry] = []
    with engine.connect() as conn:
        chosen = []
        for kind in books:
            book = _release(conn, system, kind, date)
            if book is None:
                raise NoRelease(not_loaded_message(kind, system))
            chosen.append(book)
        if not words:
            return []
        for book in chosen:
            found.extend(_look_up_in(conn, book, words, limit))
    return found


def _look_up_in(conn: Connection, book: _Book, words: list[str],
                limit: int | None) -> list[IndexEntry]:
    for mains, rest in _ways_in(conn, book, words):
        filters = [w for w in rest if w not in _FILLER]
        if mains is None:
            rows = _matching_in_book(conn, book, filters) if filters else []
        elif filters:
            rows = _matching(conn, [m.id for m in mains], filters)
        else:
            rows = _mains_and_children(conn, mains, limit)
        if rows:
            depths = _depths(rows)
            # The terms the words reached, exact titles first ("lung" before "hilus of lung"),
            # shallow before deep, then their subterms a level at a time.
            typed = " ".join(filters)
            ranked = sorted(rows, key=lambda r: (depths[r.id], r.title_key != typed,
                                                 r.level, r.seq))
            chosen = ranked[:limit] if limit else ranked
            return _entries(conn, book, {r.id: depths[r.id] for r in chosen})
    return []


def _ways_in(conn: Connection, book: _Book,
             words: list[str]) -> Iterator[tuple[list[Row] | None, list[str]]]:
    """(main terms, words left to filter subterms by), most likely reading first.

    Last comes (None, every word): no main term fits, so look along every path of the book.
    That is also how the Table of Neoplasms is read, by site under "Neoplasm, neoplastic".
    """
    for whole_words in (True, False):
        for k in range(len(words), 0, -1):
            mains = _main_terms(conn, book, " ".join(words[:k]), whole_words)
            if mains:
                yield mains, words[k:]
    for i in range(1, len(words)):
        if words[i] not in _FILLER:
            mains = _main_terms(conn, book, words[i], True)
            if mains:
                yield mains, words[:i] + words[i + 1:]
    yield None, words


# Only what the walk needs; the full rows are read for the few terms finally shown.
_WALK = (IndexTerm.id, IndexTerm.parent_id, IndexTerm.level, IndexTerm.seq, IndexTerm.title_key)


def _main_terms(conn: Connection, book: _Book, phrase: str, whole_words: bool) -> list[Row]:
    """Main terms whose title starts with the phrase: as whole words, or as typed so far."""
    key = IndexTerm.title_key
    if whole_words:
        # "fracture" reaches "fracture traumatic" but not "fractured": keys hold no character
        # below " ", so the only ones in [phrase, phrase + "!") are the phrase and phrase + " ...".
        match = and_(key >= phrase, key < phrase + "!")
    elif phrase:
        match = and_(key >= phrase, key < phrase[:-1] + chr(ord(phrase[-1]) + 1))
    else:
        match = true()
    q = (select(*_WALK).where(IndexTerm.release_id == book.release_id, IndexTerm.level == 0)
         .where(match).order_by(IndexTerm.seq))
    return list(conn.execute(q))


def _chunks(ids: list[int]) -> Iterator[list[int]]:
    for start in range(0, len(ids), _CHUNK):
        yield ids[start:start + _CHUNK]


def _path_has(filters: list[str]) -> list:
    """Conditions: the path has a word starting with each filter word."""
    # path_key holds only letters, digits and single spaces, so the words need no escaping.
    return [IndexTerm.path_key.like(f"% {w}%") | IndexTerm.path_key.like(f"{w}%")
            for w in filters]


def _matching_in_book(conn: Connection, book: _Book, filters: list[str]) -> list[Row]:
    return list(conn.execute(select(*_WALK).where(IndexTerm.release_id == book.release_id,
                                                  *_path_has(filters))))


def _matching(conn: Connection, main_ids: list[int], filters: list[str]) -> list[Row]:
    """Terms under these main terms whose path has a word starting with each filter word."""
    words = _path_has(filters)
    rows: list[Row] = []
    for chunk in _chunks(main_ids):
        rows += conn.execute(select(*_WALK).where(IndexTerm.main_term_id.in_(chunk), *words))
    return rows


def _mains_and_children(conn: Connection, mains: list[Row], limit: int | None) -> list[Row]:
    """With nothing left to filter by: the main terms, and their subterms when there is room."""
    if limit and len(mains) >= limit:
        return mains
    rows = list(mains)
    for chunk in _chunks([m.id for m in mains]):
        rows += conn.execute(select(*_WALK).where(IndexTerm.parent_id.in_(chunk)))
    return sorted(rows, key=lambda r: r.seq)


def _depths(rows: list[Row]) -> dict[int, int]:
    """Levels below the first term on each path that the typed words reached (0 = that term).

    In book order a parent comes before its subterms, so one pass suffices.
    """
    depth: dict[int, int] = {}
    for row in sorted(rows, key=lambda r: r.seq):
        depth[row.id] = depth[row.parent_id] + 1 if row.parent_id in depth else 0
    return depth


def _entries(conn: Connection, book: _Book, depths: dict[int, int]) -> list[IndexEntry]:
    """Full entries for the chosen terms, in book order."""
    ids = list(depths)
    rows: list[Row] = []
    for chunk in _chunks(ids):
        rows += conn.execute(select(*_COLUMNS).where(IndexTerm.id.in_(chunk)))
    rows.sort(key=lambda r: r.seq)
    cells = _cells(conn, book, ids)
    parents = _parents_among(conn, ids)
    return [_entry(book, row, cells.get(row.id, ()), row.id in parents, depths[row.id])
            for row in rows]


def _cells(conn: Connection, book: _Book, ids: list[int]) -> dict[int, tuple[tuple[str, str], ...]]:
    headings = dict(conn.execute(select(TableHeading.col, TableHeading.title)
                                 .where(TableHeading.release_id == book.release_id)).all())
    found: dict[int, list[tuple[int, str]]] = {}
    for chunk in _chunks(ids):
        q = select(TableCell.term_id, TableCell.col, TableCell.code)
        for term_id, col, code in conn.execute(q.where(TableCell.term_id.in_(chunk))):
            found.setdefault(term_id, []).append((col, code))
    return {term_id: tuple((headings.get(col, f"column {col}"), code) for col, code in sorted(cols))
            for term_id, cols in found.items()}


def _parents_among(conn: Connection, ids: list[int]) -> set[int]:
    """Which of these terms have subterms (for a tree that expands lazily)."""
    parents: set[int] = set()
    for chunk in _chunks(ids):
        parents.update(conn.execute(select(IndexTerm.parent_id).distinct()
                                    .where(IndexTerm.parent_id.in_(chunk))).scalars())
    return parents


def _entry(book: _Book, row: Row, cells: tuple[tuple[str, str], ...], has_children: bool,
           depth: int) -> IndexEntry:
    return IndexEntry(
        term_id=row.id, system=book.system, book=book.kind, release=book.label,
        level=row.level, path=tuple(row.path.split(" > ")), nemod=row.nemod,
        display=row.display, code=row.code, manif=row.manif, see=row.see,
        see_also=row.see_also, seecat=row.seecat, subcat=row.subcat, use=row.use,
        tab=row.tab, codes=row.codes, cells=cells, has_children=has_children, depth=depth)


# ---- browsing, for the index tree in the window ----

def index_main_terms(engine: Engine, prefix: str = "", book: str = "index",
                     system: str = ICD10CM, date: dt.date | None = None,
                     limit: int | None = 200) -> list[IndexEntry]:
    """Main terms of a book in book order, those starting with `prefix` when one is given."""
    with engine.connect() as conn:
        found = _release(conn, system, book, date)
        if found is None:
            raise NoRelease(not_loaded_message(book, system))
        rows = _main_terms(conn, found, " ".join(title_key(prefix).split()), False)
        rows = rows[:limit] if limit else rows
        return _entries(conn, found, {r.id: 0 for r in rows})


def index_children(engine: Engine, term_id: int) -> list[IndexEntry]:
    """The subterms directly under one index term, in book order (empty for a leaf)."""
    with engine.connect() as conn:
        owner = conn.execute(
            select(Release.system, Release.kind, Release.id, Release.label)
            .join(IndexTerm, IndexTerm.release_id == Release.id)
            .where(IndexTerm.id == term_id)).first()
        if owner is None:
            return []
        book = _Book(owner.system, owner.kind, owner.id, owner.label)
        ids = conn.execute(select(IndexTerm.id).where(IndexTerm.parent_id == term_id)).scalars()
        return _entries(conn, book, {i: 0 for i in ids})
