"""Qt item models for the codebook browser: the Tabular tree, an index book as a tree, and the
Neoplasm and Drug tables as grids. Each holds only what has been expanded, fetched a level at a
time (the index's 8,100 main terms in batches) through a BrowseSource."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import (
    QAbstractItemModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    QTimer,
    Signal,
)
from sqlalchemy import Engine

from encoder_app.codebook import browse
from encoder_app.codebook.browse import BrowseNode, IndexNode, TableColumn, TableRow
from encoder_app.codes import ICD10CM
from encoder_app.errors import EncoderError

#: The item's row id in the database (a code, index term or table row); negative for a group.
IdRole = Qt.ItemDataRole.UserRole
#: The code as a coder reads it ("E11.9", "S72.9-"); for a table cell, that cell's code.
CodeRole = Qt.ItemDataRole.UserRole + 1
#: Whether the code can be billed (Tabular only).
BillableRole = Qt.ItemDataRole.UserRole + 2
#: "chapter", "block", "code", ... in the Tabular; the term level (0 = main term) in an index.
LevelRole = Qt.ItemDataRole.UserRole + 3
#: The see and see-also targets of an index term or table row, for links that jump.
SeeRole = Qt.ItemDataRole.UserRole + 4
SeeAlsoRole = Qt.ItemDataRole.UserRole + 5

_Index = QModelIndex | QPersistentModelIndex
_TOP = QModelIndex()  # the invisible root, as a default argument


class BrowseSource:
    """The browse questions a tree asks, for one database and one date of service (None: the
    newest releases). Only calls encoder_app.codebook.browse; a new date means a new source."""

    def __init__(self, engine: Engine, date: dt.date | None = None):
        self.engine = engine
        self.date = date

    def tabular_children(self, system: str, parent_id: int | None, offset: int = 0,
                         limit: int | None = None) -> list[BrowseNode]:
        return browse.tabular_children(self.engine, system, parent_id, self.date, offset, limit)

    def tabular_path(self, code_id: int) -> list[int]:
        return browse.tabular_path(self.engine, code_id)

    def find_code_id(self, system: str, code: str) -> int | None:
        return browse.find_code_id(self.engine, system, code, self.date)

    def index_nodes(self, book: str, parent_id: int | None, offset: int = 0,
                    limit: int | None = None, system: str = ICD10CM,
                    containing: str = "") -> list[IndexNode]:
        return browse.index_nodes(self.engine, book, parent_id, self.date, offset, limit, system,
                                  containing)

    def index_path(self, term_id: int) -> list[int]:
        return browse.index_path(self.engine, term_id)

    def main_term_position(self, term_id: int) -> int | None:
        return browse.main_term_position(self.engine, term_id)

    def see_target(self, book: str, reference: str, system: str = ICD10CM) -> int | None:
        return browse.see_target(self.engine, book, reference, self.date, system)

    def table_headings(self, book: str) -> list[TableColumn]:
        return browse.table_headings(self.engine, book, self.date)

    def table_rows(self, book: str, parent_id: int | None, offset: int = 0,
                   limit: int | None = None, containing: str = "") -> list[TableRow]:
        return browse.table_rows(self.engine, book, parent_id, self.date, offset, limit,
                                 containing=containing)[1]


class _Node:
    """A fetched item and the children fetched under it so far. `key` is its place in the
    model's node table and the internal id of its indexes; `parent` the key of its parent."""

    __slots__ = ("item", "key", "parent", "row", "children", "complete")

    def __init__(self, item: Any, key: int, parent: int, row: int):
        self.item = item
        self.key = key
        self.parent = parent
        self.row = row
        self.children: list[_Node] = []
        self.complete = item is not None and not item.has_children


class LazyTreeModel(QAbstractItemModel):
    """A tree whose levels are fetched on demand: the view asks canFetchMore/fetchMore when a
    node is expanded (or, at the top, scrolled to the end). Subclasses say how to fetch a level
    and what a column shows. `batch` pages every level: an index term or an HCPCS group with a
    thousand rows below it arrives a batch at a time, so expanding it never stalls the window.

    Indexes carry a node's key (an int), not a pointer to the node: PySide does not keep the
    object behind a raw pointer alive, so a view asking about an index while the model is torn
    down would read freed memory; a stale key is at worst a Python error."""

    #: A fetch failed (a book or release not loaded); the message is fit for the coder.
    fetchFailed = Signal(str)

    headers: tuple[str, ...] = ()
    batch: int | None = None
    #: Rows of a level fetched before its row opens (the biggest HCPCS group has 1,941).
    ahead: int | None = 2000
    #: The words the top level is filtered by (typed over a book's tree); "" shows all of it.
    filter_text = ""

    def __init__(self, source: BrowseSource, key: str, first: list | None = None, parent=None):
        super().__init__(parent)
        self.source = source
        self.key = key  # the code system or the book this tree shows
        self._nodes = [_Node(None, 0, -1, 0)]  # key -> node; key 0 is the invisible root
        if first is not None:
            self._seed(first)

    def _seed(self, first: list) -> None:
        """Top rows fetched beforehand (on the worker, see top_rows), so the first view of the
        tree asks the database for nothing on the window's thread."""
        root = self._nodes[0]
        for row, item in enumerate(first):
            child = _Node(item, len(self._nodes), 0, row)
            self._nodes.append(child)
            root.children.append(child)
        root.complete = self.batch is None or len(first) < self.batch

    # ---- what a subclass provides ----

    @classmethod
    def top_rows(cls, source: BrowseSource, key: str, offset: int = 0,
                 limit: int | None = None) -> list:
        """A slice of the top level of the tree for `key`; safe to call on any thread."""
        raise NotImplementedError

    def _children(self, item: Any, offset: int, limit: int | None) -> list:
        raise NotImplementedError

    def _top_options(self, containing: str) -> dict:
        """What else top_rows takes for this tree: a book's system, the filter typed over it
        (a Tabular tree has no filter)."""
        return {}

    def _fetch(self, item: Any | None, offset: int, limit: int | None) -> list:
        if item is None:
            return self.top_rows(self.source, self.key, offset, limit,
                                 **self._top_options(self.filter_text))
        return self._children(item, offset, limit)

    def _data(self, item: Any, column: int, role: int) -> Any:
        raise NotImplementedError

    # ---- the tree ----

    def set_source(self, source: BrowseSource) -> None:
        """Another database or date of service: forget everything fetched."""
        self.beginResetModel()
        self.source = source
        self._nodes = [_Node(None, 0, -1, 0)]
        self._reset_more()
        self.endResetModel()

    def _reset_more(self) -> None:
        """What else a subclass forgets with the source (the table's headings)."""

    # ---- the top level filtered by what the coder types over the tree ----

    def filtered_top_job(self, containing: str) -> Callable[[], list]:
        """A job for the worker: the first batch of the top level filtered by `containing`
        ("" for all of it). It holds the source, not the model, which may go while it runs."""
        top_rows, source, key, batch = self.top_rows, self.source, self.key, self.batch
        options = self._top_options(containing)
        return lambda: top_rows(source, key, 0, batch, **options)

    def show_filtered(self, containing: str, first: list | None) -> None:
        """Show the top level filtered by `containing` ("" all of it) from its first batch,
        fetched on the worker (None: fetched when the view asks); later batches page in as
        the view scrolls, filtered the same way."""
        self.beginResetModel()
        self.filter_text = containing
        self._nodes = [_Node(None, 0, -1, 0)]
        if first is not None:
            self._seed(first)
        self.endResetModel()

    def _leave_filter(self) -> None:
        """A jump shows its term in the whole book: where a term sits is counted among all the
        main terms, and a see reference mostly leads outside the filter anyway."""
        if self.filter_text:
            self.show_filtered("", None)

    def _node(self, index: _Index) -> _Node:
        return self._nodes[index.internalId()] if index.isValid() else self._nodes[0]

    def item(self, index: _Index) -> Any | None:
        """The BrowseNode, IndexNode or TableRow shown at an index."""
        return self._node(index).item if index.isValid() else None

    # index, parent and hasChildren run once per row each time a view lays out a tree with
    # thousands of rows expanded, so they read the node table inline rather than via _node.

    def index(self, row: int, column: int, parent: _Index = _TOP) -> QModelIndex:
        children = self._nodes[parent.internalId() if parent.isValid() else 0].children
        if 0 <= row < len(children) and 0 <= column < len(self.headers):
            return self.createIndex(row, column, children[row].key)
        return QModelIndex()

    def parent(self, index: _Index = _TOP) -> QModelIndex:  # type: ignore[override]
        if not index.isValid():
            return QModelIndex()
        up = self._nodes[index.internalId()].parent
        if up <= 0:
            return QModelIndex()
        return self.createIndex(self._nodes[up].row, 0, up)

    def rowCount(self, parent: _Index = _TOP) -> int:
        if parent.column() > 0:
            return 0
        return len(self._node(parent).children)

    def columnCount(self, parent: _Index = _TOP) -> int:
        return len(self.headers)

    def hasChildren(self, parent: _Index = _TOP) -> bool:
        if parent.isValid() and parent.column() > 0:
            return False
        node = self._nodes[parent.internalId() if parent.isValid() else 0]
        return bool(node.children) or not node.complete

    def canFetchMore(self, parent: _Index) -> bool:
        node = self._node(parent)
        if node.key == 0 and node.children:
            # QTreeView fetches the top on every full relayout, which it does whenever rows
            # arrive under an expanded term: each expansion pulled in 500 more main terms and
            # made every later relayout longer (60 ms and growing). Past the first batch the
            # top grows only when the view scrolls near its end (BrowserView, more_at_top).
            return False
        return parent.column() <= 0 and not node.complete

    def more_at_top(self) -> bool:
        """Whether the top level has rows not fetched yet (the index's main terms)."""
        return not self._nodes[0].complete

    def fetch_more_top(self) -> None:
        """The next batch of the top level; a view calls it as the coder scrolls to the end."""
        self.fetchMore(QModelIndex())

    def fetchMore(self, parent: _Index) -> None:
        node = self._node(parent)
        if self._fetch_into(node, parent, self.batch) and not node.complete and node.key != 0:
            # Below the top the view does not ask again unless that level ends the view, so
            # the rest follows a batch per turn of the event loop: short stalls, none missing.
            QTimer.singleShot(0, lambda n=node: self._fetch_rest(n))

    def fetch_before_open(self, parent: _Index) -> None:
        """Fetch a level (up to `ahead` rows) while its row is still collapsed. Qt takes rows
        under a collapsed row without laying the tree out again; rows arriving under an open
        row make it lay out every row shown, 60-80 ms with thousands of rows open."""
        if parent.isValid():
            self._fetch_into(self._node(parent), parent, self.ahead)

    def _fetch_into(self, node: _Node, parent: _Index, limit: int | None) -> bool:
        """Fetch the next rows of a level; whether any arrived."""
        if node.complete:
            return False
        try:
            items = self._fetch(node.item, len(node.children), limit)
        except EncoderError as exc:
            node.complete = True
            self.fetchFailed.emit(str(exc))
            return False
        node.complete = limit is None or len(items) < limit
        if not items:
            return False
        first = len(node.children)
        self.beginInsertRows(parent, first, first + len(items) - 1)
        for row, item in enumerate(items, start=first):
            child = _Node(item, len(self._nodes), node.key, row)
            self._nodes.append(child)
            node.children.append(child)
        self.endInsertRows()
        return True

    def _fetch_rest(self, node: _Node) -> None:
        if node.key < len(self._nodes) and self._nodes[node.key] is node and not node.complete:
            self.fetchMore(self.createIndex(node.row, 0, node.key))

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        item = self._node(index).item
        if role == IdRole:
            return item.id
        return self._data(item, index.column(), role)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if (orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole
                and 0 <= section < len(self.headers)):
            return self.headers[section]
        return None

    def index_along(self, ids: list[int], top_row: int | None = None) -> QModelIndex:
        """The index of the last id of a path of ids from the top, fetching each level on the
        way; `top_row` says where the first id sits among a paged top level."""
        parent = QModelIndex()
        for depth, wanted in enumerate(ids):
            node = self._node(parent)
            if depth == 0 and top_row is not None:
                while len(node.children) <= top_row and not node.complete:
                    self.fetchMore(parent)
            row = next((c.row for c in node.children if c.item.id == wanted), None)
            while row is None and not node.complete:  # a paged level: fetch on to the row
                seen = len(node.children)
                self.fetchMore(parent)
                row = next((c.row for c in node.children[seen:] if c.item.id == wanted), None)
            if row is None:
                return QModelIndex()
            parent = self.index(row, 0, parent)
        return parent


class TabularTreeModel(LazyTreeModel):
    """A code system's Tabular tree: code and title per row, the children of a row fetched
    when it is expanded. For HCPCS and CPT the top rows are groups of codes (see browse)."""

    headers = ("Code", "Title")
    batch = 500

    def __init__(self, source: BrowseSource, system: str = ICD10CM, first: list | None = None,
                 parent=None):
        super().__init__(source, system, first, parent)
        self.system = system

    @classmethod
    def top_rows(cls, source: BrowseSource, key: str, offset: int = 0,
                 limit: int | None = None) -> list:
        # The top is chapters or code groups, a few dozen rows: fetched whole, sliced here.
        top = source.tabular_children(key, None)
        return top[offset:offset + limit if limit is not None else None]

    def _children(self, item: BrowseNode, offset: int, limit: int | None) -> list:
        return self.source.tabular_children(self.system, item.id, offset, limit)

    def _data(self, item: BrowseNode, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.DisplayRole:
            return item.code if column == 0 else item.title
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"{item.code} {item.title}"
        if role == CodeRole:
            return item.code
        if role == BillableRole:
            return item.billable
        if role == LevelRole:
            return item.level
        return None

    def index_for_code_id(self, code_id: int) -> QModelIndex:
        """The index of a row chosen elsewhere, every level above it fetched (not expanded:
        that is the view's part); invalid when it is not in this tree's release."""
        return self.index_along(self.source.tabular_path(code_id))

    def index_for_code(self, code: str) -> QModelIndex:
        """The index of a code typed as a coder writes it ("E11.9", "Chapter 4")."""
        code_id = self.source.find_code_id(self.system, code)
        return self.index_for_code_id(code_id) if code_id is not None else QModelIndex()


class IndexTreeModel(LazyTreeModel):
    """An index book as a tree: its main terms in batches as the view scrolls, a term's
    subterms when it is expanded. Columns: the term as printed (nonessential modifiers in
    place), its code, and where the book sends the coder (see, see also, use)."""

    headers = ("Term", "Code", "See")
    batch = 500

    def __init__(self, source: BrowseSource, book: str = "index", system: str = ICD10CM,
                 first: list | None = None, parent=None):
        super().__init__(source, book, first, parent)
        self.book = book
        self.system = system

    @classmethod
    def top_rows(cls, source: BrowseSource, key: str, offset: int = 0,
                 limit: int | None = None, system: str = ICD10CM,
                 containing: str = "") -> list:
        return source.index_nodes(key, None, offset, limit, system, containing)

    def _top_options(self, containing: str) -> dict:
        # The book's own system (HCPCS has an index too), at the top as below it.
        return {"system": self.system, "containing": containing}

    def _children(self, item: IndexNode, offset: int, limit: int | None) -> list:
        return self.source.index_nodes(self.book, item.id, offset, limit, self.system)

    def _data(self, item: IndexNode, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.DisplayRole:
            return (item.title, item.shown_code, item.reference)[column]
        if role == Qt.ItemDataRole.ToolTipRole:
            return " ".join(p for p in (item.title, item.shown_code, item.reference) if p)
        if role == CodeRole:
            return item.code
        if role == LevelRole:
            return item.level
        if role == SeeRole:
            return item.see
        if role == SeeAlsoRole:
            return item.see_also
        return None

    def index_for_term(self, term_id: int) -> QModelIndex:
        """The index of a term, fetching main-term batches and subterms down to it."""
        path = self.source.index_path(term_id)
        if not path:
            return QModelIndex()
        self._leave_filter()
        return self.index_along(path, self.source.main_term_position(path[0]))

    def index_for_reference(self, reference: str) -> QModelIndex:
        """Where a see or see-also reference leads ("Fracture, femur, upper end, neck");
        invalid when it names no term of this book ("condition")."""
        term_id = self.source.see_target(self.book, reference, self.system)
        return self.index_for_term(term_id) if term_id is not None else QModelIndex()


class TableTreeModel(LazyTreeModel):
    """The Table of Neoplasms or of Drugs and Chemicals as a grid: one column per heading of
    the book, the row titles under the first; rows nest as the table indents them."""

    batch = 500

    def __init__(self, source: BrowseSource, book: str, first: list | None = None,
                 headings: list[TableColumn] | None = None, parent=None):
        super().__init__(source, book, first, parent)
        self.book = book
        if headings is None:
            self._load_headings()
        else:  # fetched with the first rows
            self._set_columns(headings)

    def _load_headings(self) -> None:
        try:
            self._set_columns(self.source.table_headings(self.book))
        except EncoderError:
            self._set_columns([])  # the first fetch reports the missing book

    def _set_columns(self, columns: list[TableColumn]) -> None:
        self.columns = columns
        self.headers = tuple(c.title for c in columns) or ("Term",)

    def _reset_more(self) -> None:
        self._load_headings()

    @classmethod
    def top_rows(cls, source: BrowseSource, key: str, offset: int = 0,
                 limit: int | None = None, containing: str = "") -> list:
        return source.table_rows(key, None, offset, limit, containing)

    def _top_options(self, containing: str) -> dict:
        return {"containing": containing}

    def _children(self, item: TableRow, offset: int, limit: int | None) -> list:
        return self.source.table_rows(self.book, item.id, offset, limit)

    def _data(self, item: TableRow, column: int, role: int) -> Any:
        if column == 0:
            if role == Qt.ItemDataRole.DisplayRole:
                return f"{item.title} ({item.reference})" if item.reference else item.title
            if role == SeeRole:
                return item.see
            if role == SeeAlsoRole:
                return item.see_also
            if role == LevelRole:
                return item.level
            return None
        if role in (Qt.ItemDataRole.DisplayRole, CodeRole) and column < len(self.columns):
            return item.cells.get(self.columns[column].col, "")
        if role == Qt.ItemDataRole.ToolTipRole and column < len(self.columns):
            code = item.cells.get(self.columns[column].col)
            return f"{item.title}: {self.columns[column].title} {code}" if code else None
        return None

    def index_for_row(self, row_id: int) -> QModelIndex:
        """The index of a table row, fetching batches and nested rows down to it."""
        path = self.source.index_path(row_id)
        if not path:
            return QModelIndex()
        self._leave_filter()
        return self.index_along(path, self.source.main_term_position(path[0]))
