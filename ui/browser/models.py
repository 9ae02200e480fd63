"""Qt item models for the codebook browser: the Tabular tree, an index book as a tree, and the
Neoplasm and Drug tables as grids. Each holds only what has been expanded, fetched a level at a
time (the index's 8,100 main terms in batches) through a BrowseSource."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QModelIndex, Qt

from encoder_app.codebook.browse import BrowseNode, IndexNode, TableColumn, TableRow
from encoder_app.codes import ICD10CM
from encoder_app.errors import EncoderError
from ui.browser.lazy_tree import (
    BillableRole,
    CodeRole,
    LazyTreeModel,
    LevelRole,
    SeeAlsoRole,
    SeeRole,
)
from ui.browser.source import BrowseSource


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
