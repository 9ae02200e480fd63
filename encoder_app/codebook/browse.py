"""The codebooks as trees a coder browses: Tabular levels, Index terms and table rows, a level
at a time, each child knowing whether it has children of its own (for trees that load lazily).

Top levels, per code system:

- ICD-10-CM: its chapters; ICD-10-PCS: its sections (both rows with no parent in the release).
- HCPCS Level II and CPT are flat lists, so their top level is made of *groups*: HCPCS by the
  code's first letter (A transportation and supplies, J drugs, ...), CPT by its first digit, or
  by its last character for the codes that end in a letter (Category II "F", Category III "T",
  PLA "U", ...). A group is a BrowseNode of level "group" whose id is negative, ``-ord(key)``,
  so it never collides with a row id, and whose code is the range it spans ("J0120-J9999").
  Passing that id back as the parent gives the group's codes; ``tabular_path`` puts it above
  them.
- Other flat systems (HCPCS modifiers, Place of Service) list their codes at the top.

Every function opens one short connection and returns frozen dataclasses.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from sqlalchemy import (
    Connection,
    Engine,
    and_,
    bindparam,
    case,
    exists,
    func,
    literal_column,
    select,
)
from sqlalchemy.orm import aliased

from encoder_app.codebook.index_lookup import (
    ALL_CM_BOOKS,
    _release,
    available_books,
    look_up_index,
    not_loaded_message,
)
from encoder_app.codebook.index_models import IndexTerm, TableCell, TableHeading, title_key
from encoder_app.codebook.lookup import HEADING_LEVELS
from encoder_app.codebook.models import Code
from encoder_app.codebook.releases import ReleaseSummary, code_timeline, in_effect
from encoder_app.codes import CPT, HCPCS, ICD10CM, ICD10PCS, SYSTEM_NAMES, dotted, normalize
from encoder_app.errors import NoRelease

#: Titles of the HCPCS Level II groups, by first letter, as CMS names its sections.
HCPCS_GROUPS = {
    "A": "Transportation services, medical and surgical supplies, miscellaneous and "
         "investigational",
    "B": "Enteral and parenteral therapy",
    "C": "Outpatient PPS (temporary hospital codes)",
    "D": "Dental procedures",
    "E": "Durable medical equipment",
    "G": "Procedures and professional services (temporary)",
    "H": "Alcohol and drug abuse treatment services, behavioral health",
    "J": "Drugs administered other than oral method, chemotherapy drugs",
    "K": "Temporary codes for durable medical equipment",
    "L": "Orthotic and prosthetic procedures and devices",
    "M": "Medical services, quality measures",
    "P": "Pathology and laboratory services",
    "Q": "Temporary codes",
    "R": "Diagnostic radiology services",
    "S": "Temporary national codes (non-Medicare)",
    "T": "National codes established for state Medicaid agencies",
    "U": "Coronavirus and other laboratory tests",
    "V": "Vision, hearing and speech-language pathology services",
}
#: Titles of the CPT groups: Category I by first digit, the others by their last letter.
CPT_GROUPS = {
    "0": "Anesthesia",
    "1": "Surgery: integumentary system",
    "2": "Surgery: musculoskeletal system",
    "3": "Surgery: respiratory, cardiovascular, hemic and lymphatic, mediastinum, diaphragm",
    "4": "Surgery: digestive system",
    "5": "Surgery: urinary, genital, maternity care, endocrine",
    "6": "Surgery: nervous system, eye, ear",
    "7": "Radiology",
    "8": "Pathology and laboratory",
    "9": "Medicine, evaluation and management",
    "A": "Immunization administration codes",
    "F": "Category II: performance measurement",
    "M": "Multianalyte assays with algorithmic analyses",
    "T": "Category III: emerging technology",
    "U": "Proprietary laboratory analyses",
}
_GROUP_TITLES = {HCPCS: HCPCS_GROUPS, CPT: CPT_GROUPS}
#: Systems whose rows hang under headings, so only a few rows of a release have no parent.
_HEADED_SYSTEMS = (ICD10CM, ICD10PCS)


@dataclass(frozen=True)
class BrowseNode:
    """One line of the Tabular tree: a chapter, block, category, code, PCS table or group."""

    id: int  # the code row's id; negative for a synthetic HCPCS/CPT group
    code: str  # as a coder reads it: "E11.9", "Chapter 4", "E08-E13", a group's range
    title: str
    level: str  # chapter, block, category, subcategory, code, section, ..., group
    billable: bool
    has_children: bool


@dataclass(frozen=True)
class IndexNode:
    """One term of an index book, as printed, with where it sends the coder."""

    id: int
    level: int  # 0 = main term
    title: str  # as printed, nonessential modifiers in place: "Abasia (-astasia) (hysterical)"
    code: str | None  # as printed, dash kept: "S72.9-"
    has_children: bool
    see: str | None = None
    see_also: str | None = None
    manif: str | None = None  # the manifestation code the book prints in brackets
    seecat: str | None = None  # "see category T71"
    subcat: str | None = None  # "see subcategory T75.0"
    use: str | None = None  # ICD-10-PCS: the value to use
    tab: str | None = None  # ICD-10-PCS: the table, "0JH"
    codes: str | None = None  # ICD-10-PCS: the first characters of a table row, "0UT9"

    @property
    def shown_code(self) -> str:
        """The code column as printed: "E11.9 [H36]", or the PCS table or code prefix."""
        code = self.code or self.codes or self.tab or ""
        return f"{code} [{self.manif}]" if self.manif else code

    @property
    def reference(self) -> str:
        """Where the book sends the coder: "see Maltreatment; see also condition"."""
        return _reference(see=self.see, see_category=self.seecat, see_subcategory=self.subcat,
                          see_also=self.see_also, use=self.use)


@dataclass(frozen=True)
class TableColumn:
    col: int  # the column number in the book; column 1 holds the row titles
    title: str  # "Malignant Primary", "Adverse effect"


@dataclass(frozen=True)
class TableRow:
    """A row of the Table of Neoplasms or of Drugs and Chemicals."""

    id: int
    title: str  # as printed, nonessential modifiers in place
    level: int
    has_children: bool
    cells: dict[int, str] = field(default_factory=dict, hash=False)  # col -> code as printed
    see: str | None = None
    see_also: str | None = None

    @property
    def reference(self) -> str:
        """Where the table sends the coder: "see also Neoplasm, bronchus"."""
        return _reference(see=self.see, see_also=self.see_also)


def _reference(**targets: str | None) -> str:
    """"see X; see also Y" from the references a term carries, in the order given."""
    return "; ".join(f"{kind.replace('_', ' ')} {target}"
                     for kind, target in targets.items() if target)


# ---- the Tabular List ----

def shown_code(level: str, code: str, system: str) -> str:
    """A row's code as the book shows it: "Chapter 4", "E08-E13", "E11.9", "0DTJ4ZZ"."""
    if level == "chapter":
        return f"Chapter {code}"
    if level == "block":
        return code
    return dotted(code, system)


def _group_key(system: str):
    """The SQL expression that puts a flat system's code in its group, or None if ungrouped."""
    if system == HCPCS:
        return func.substr(Code.code, 1, 1)
    if system == CPT:
        last = func.substr(Code.code, func.length(Code.code), 1)
        return case((and_(last >= "A", last <= "Z"), last), else_=func.substr(Code.code, 1, 1))
    return None


def _group_of(system: str, code: str) -> str:
    """The group key of one code, the same rule as ``_group_key`` in Python."""
    if system == CPT and code[-1:].isalpha():
        return code[-1]
    return code[:1]


def group_id(key: str) -> int:
    """The synthetic id of a group: negative, so no code row has it."""
    return -ord(key)


_child = aliased(Code)
_HAS_CHILDREN = exists().where(_child.parent_id == Code.id).label("has_children")
_NODE = (Code.id, Code.code, Code.title, Code.level, Code.billable, Code.system, _HAS_CHILDREN)
_CHILDREN = select(*_NODE).where(Code.parent_id == bindparam("pid")).order_by(Code.seq)


def _release_for(conn: Connection, system: str, date: dt.date | None) -> ReleaseSummary:
    timeline = code_timeline(conn, system)
    if not timeline:
        raise NoRelease(f"no {SYSTEM_NAMES.get(system, system)} release is loaded; "
                        "import one with `encoder-app import`")
    if date is None:
        return timeline[-1]
    return in_effect(timeline, date).release


def _nodes(rows) -> list[BrowseNode]:
    # Unpacked by position: reading a Row's fields by name costs more than the query itself
    # for a thousand children.
    return [BrowseNode(id_, shown_code(level, code, system), title, level, bool(billable),
                       bool(has_children))
            for id_, code, title, level, billable, system, has_children in rows]


def browsable_systems(engine: Engine) -> list[str]:
    """The code systems with a release loaded, in the order the app names them."""
    # One indexed EXISTS per system (cached), not a DISTINCT over every code row.
    with engine.connect() as conn:
        return [s for s in SYSTEM_NAMES if code_timeline(conn, s)]


def tabular_children(engine: Engine, system: str, parent_id: int | None,
                     date: dt.date | None = None, offset: int = 0,
                     limit: int | None = None) -> list[BrowseNode]:
    """The rows directly under a node, in book order; None gives the top level (see the module
    doc for each system's top). The release is the one in effect on `date`, newest if None;
    below the top the parent's own release answers. `offset`/`limit` page the rows under a
    node (an HCPCS group holds a thousand codes; a tree fetches them a batch at a time)."""
    with engine.connect() as conn:
        if parent_id is not None and parent_id >= 0:
            return _nodes(conn.execute(_CHILDREN.offset(offset).limit(limit), {"pid": parent_id}))
        release = _release_for(conn, system, date)
        key = _group_key(system)
        in_release = Code.release_id == release.id
        if system in _HEADED_SYSTEMS:
            # "+ 0" keeps SQLite off the release index (a scan of ~100,000 rows) and on the
            # parent index, where the roots of every release are a few dozen headings.
            in_release = (Code.release_id + 0) == release.id
        top = select(*_NODE).where(in_release, Code.system == system, Code.parent_id.is_(None))
        if key is None:
            return _nodes(conn.execute(top.order_by(Code.seq)))
        if parent_id is not None:
            group = chr(-parent_id)
            return _nodes(conn.execute(top.where(key == group).order_by(Code.seq)
                                       .offset(offset).limit(limit)))
        groups = (select(key.label("key"), func.min(Code.code).label("first"),
                         func.max(Code.code).label("last"))
                  .where(Code.release_id == release.id, Code.system == system,
                         Code.parent_id.is_(None))
                  .group_by(key).order_by(func.min(Code.seq)))
        titles = _GROUP_TITLES[system]
        return [BrowseNode(group_id(g.key), g.first if g.first == g.last else f"{g.first}-{g.last}",
                           titles.get(g.key, f"Codes {g.key}"), "group", False, True)
                for g in conn.execute(groups)]


_up = select(Code.id, Code.parent_id, literal_column("0").label("depth")).where(
    Code.id == bindparam("id")).cte("up", recursive=True)
_up = _up.union_all(select(Code.id, Code.parent_id, (_up.c.depth + 1).label("depth"))
                    .join(_up, Code.id == _up.c.parent_id))
_PATH = select(_up.c.id).order_by(_up.c.depth.desc())


def tabular_path(engine: Engine, code_id: int) -> list[int]:
    """Ids from the top of the tree down to the row (itself included), so a tree can expand to
    a code chosen elsewhere; a grouped system's group id comes first. Empty if unknown."""
    with engine.connect() as conn:
        ids = list(conn.execute(_PATH, {"id": code_id}).scalars())
        if not ids:
            return []
        top = conn.execute(select(Code.system, Code.code).where(Code.id == ids[0])).one()
    if _group_key(top.system) is not None:
        return [group_id(_group_of(top.system, top.code)), *ids]
    return ids


_CHAPTER = re.compile(r"chapter\s*(\w+)", re.IGNORECASE)


def find_code_id(engine: Engine, system: str, code: str,
                 date: dt.date | None = None) -> int | None:
    """The row id of a code ("E11.9", "e119", "E08-E13", "Chapter 4") in the release in effect
    on `date` (newest if None); a code is preferred to a heading of the same name."""
    chapter = _CHAPTER.fullmatch(code.strip())
    with engine.connect() as conn:
        release = _release_for(conn, system, date)
        query = select(Code.id).where(Code.release_id == release.id, Code.system == system)
        if chapter:
            query = query.where(Code.level == "chapter", Code.code == chapter.group(1))
        else:
            query = query.where(Code.code == normalize(code))
        heading_last = case((Code.level.in_(HEADING_LEVELS), 1), else_=0)
        return conn.execute(query.order_by(heading_last).limit(1)).scalar()


# ---- the Alphabetic Index and its tables ----

_term_child = aliased(IndexTerm)
_TERM_HAS_CHILDREN = exists().where(_term_child.parent_id == IndexTerm.id).label("has_children")
# In IndexNode's field order, so a row unpacks straight into one.
_TERM = (IndexTerm.id, IndexTerm.level, IndexTerm.display, IndexTerm.code, _TERM_HAS_CHILDREN,
         IndexTerm.see, IndexTerm.see_also, IndexTerm.manif, IndexTerm.seecat, IndexTerm.subcat,
         IndexTerm.use, IndexTerm.tab, IndexTerm.codes)


def _book_release(conn: Connection, book: str, system: str, date: dt.date | None) -> int:
    found = _release(conn, system, book, date)
    if found is None:
        raise NoRelease(not_loaded_message(book, system))
    return found.release_id


def _entry_level(conn: Connection, release_id: int) -> int:
    """The level a coder enters a book at: its main terms, or, in the Table of Neoplasms, whose
    one main term holds every site, the sites below it."""
    mains = conn.execute(select(IndexTerm.id).where(IndexTerm.release_id == release_id,
                                                    IndexTerm.level == 0).limit(2)).all()
    return 1 if len(mains) == 1 else 0


def _filtered(query, conn: Connection, release_id: int, words: list[str]):
    """The book's entry terms whose title has a word starting with each typed word ("hyperten"
    reaches Hypertension and Goldblatt's hypertension), those whose title starts with what was
    typed first ("heart": Heart, Heartburn, then Action, heart), each group in book order."""
    key = IndexTerm.title_key
    # title_key holds only letters, digits and single spaces, so the words need no escaping.
    has_words = [key.like(f"{w}%") | key.like(f"% {w}%") for w in words]
    starts = case((key.like(" ".join(words) + "%"), 0), else_=1)
    return (query.where(IndexTerm.release_id == release_id,
                        IndexTerm.level == _entry_level(conn, release_id), *has_words)
            .order_by(starts, IndexTerm.seq))


def _terms(conn: Connection, book: str, parent_id: int | None, date: dt.date | None,
           offset: int, limit: int | None, system: str, containing: str = ""):
    """Rows of one level: a book's main terms (parent None) or a term's subterms; with
    `containing`, the main terms (entry terms, see _entry_level) that match the words typed."""
    query = select(*_TERM)
    words = title_key(containing).split() if parent_id is None else []
    if parent_id is None:
        release_id = _book_release(conn, book, system, date)
        if words:
            query = _filtered(query, conn, release_id, words)
        else:
            query = query.where(IndexTerm.release_id == release_id, IndexTerm.level == 0)
    else:
        query = query.where(IndexTerm.parent_id == parent_id)
    if not words:
        query = query.order_by(IndexTerm.seq)
    query = query.offset(offset or None)
    return list(conn.execute(query.limit(limit) if limit is not None else query))


def index_nodes(engine: Engine, book: str, parent_id: int | None, date: dt.date | None = None,
                offset: int = 0, limit: int | None = None, system: str = ICD10CM,
                containing: str = "") -> list[IndexNode]:
    """Terms of an index book in book order: its main terms when parent_id is None (a slice of
    them with offset/limit, for a tree that loads 8,100 main terms in batches), else the
    subterms directly under one term. With `containing` (a filter typed over the tree), only
    the main terms with a word starting with each word typed, case aside, the ones that start
    with it first. Raises NoRelease when the book is not loaded."""
    with engine.connect() as conn:
        rows = _terms(conn, book, parent_id, date, offset, limit, system, containing)
    return [IndexNode(id_, level, title, code, bool(has_children), *rest)
            for id_, level, title, code, has_children, *rest in rows]


_term_up = select(IndexTerm.id, IndexTerm.parent_id, literal_column("0").label("depth")).where(
    IndexTerm.id == bindparam("id")).cte("term_up", recursive=True)
_term_up = _term_up.union_all(
    select(IndexTerm.id, IndexTerm.parent_id, (_term_up.c.depth + 1).label("depth"))
    .join(_term_up, IndexTerm.id == _term_up.c.parent_id))
_TERM_PATH = select(_term_up.c.id).order_by(_term_up.c.depth.desc())


def index_path(engine: Engine, term_id: int) -> list[int]:
    """Ids from the main term down to the term (itself included); empty if unknown."""
    with engine.connect() as conn:
        return list(conn.execute(_TERM_PATH, {"id": term_id}).scalars())


def main_term_position(engine: Engine, term_id: int) -> int | None:
    """The row of a main term among its book's main terms (the offset to fetch it at)."""
    with engine.connect() as conn:
        main = conn.execute(select(IndexTerm.release_id, IndexTerm.seq)
                            .where(IndexTerm.id == term_id, IndexTerm.level == 0)).first()
        if main is None:
            return None
        return conn.execute(select(func.count()).where(
            IndexTerm.release_id == main.release_id, IndexTerm.level == 0,
            IndexTerm.seq < main.seq)).scalar()


def see_target(engine: Engine, book: str, reference: str, date: dt.date | None = None,
               system: str = ICD10CM) -> int | None:
    """The term a see or see-also reference leads to ("Fracture, femur, upper end, neck"),
    looked up as a coder would; None when it names no term ("condition")."""
    found = look_up_index(engine, reference, books=(book,), system=system, date=date, limit=1)
    return found[0].term_id if found else None


def browsable_books(engine: Engine, system: str = ICD10CM) -> list[str]:
    """The index books (index, eindex, neoplasm, drug) with a release loaded."""
    books = ALL_CM_BOOKS if system == ICD10CM else ("index",)
    return available_books(engine, books, system)


def table_headings(engine: Engine, book: str, date: dt.date | None = None,
                   system: str = ICD10CM) -> list[TableColumn]:
    """The column headings of the Table of Neoplasms or of Drugs, in column order."""
    with engine.connect() as conn:
        return _headings(conn, _book_release(conn, book, system, date))


def _headings(conn: Connection, release_id: int) -> list[TableColumn]:
    rows = conn.execute(select(TableHeading.col, TableHeading.title)
                        .where(TableHeading.release_id == release_id).order_by(TableHeading.col))
    return [TableColumn(r.col, r.title) for r in rows]


def table_rows(engine: Engine, book: str, parent_id: int | None, date: dt.date | None = None,
               offset: int = 0, limit: int | None = None, system: str = ICD10CM,
               containing: str = "") -> tuple[list[TableColumn], list[TableRow]]:
    """(headings, rows) of the Table of Neoplasms ("neoplasm") or of Drugs and Chemicals
    ("drug"): its main terms when parent_id is None (sliced by offset/limit), else the rows
    directly under one row, each with its cells by column number. `containing` filters the
    top as index_nodes does; in the Table of Neoplasms it filters the sites."""
    with engine.connect() as conn:
        if parent_id is None:
            release_id = _book_release(conn, book, system, date)
        else:  # the parent's own release, whatever the date
            release_id = conn.execute(select(IndexTerm.release_id)
                                      .where(IndexTerm.id == parent_id)).scalar()
        rows = _terms(conn, book, parent_id, date, offset, limit, system, containing)
        cells: dict[int, dict[int, str]] = {r.id: {} for r in rows}
        ids = list(cells)
        for start in range(0, len(ids), 500):
            found = conn.execute(select(TableCell.term_id, TableCell.col, TableCell.code)
                                 .where(TableCell.term_id.in_(ids[start:start + 500])))
            for term_id, col, code in found:
                cells[term_id][col] = code
        headings = _headings(conn, release_id)
    return headings, [TableRow(id_, title, level, bool(has_children), cells[id_], see, see_also)
                      for id_, level, title, _, has_children, see, see_also, *_ in rows]
