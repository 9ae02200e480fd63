"""A Qt tree model whose levels are fetched on demand, a batch at a time, and the item roles the
browser's trees share. Each concrete tree (ui/browser/models.py) says how to fetch a level and
what a column shows."""

from __future__ import annotations

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

from encoder_app.errors import EncoderError
from ui.browser.source import BrowseSource

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
