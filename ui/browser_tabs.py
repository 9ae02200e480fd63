"""The codebook browser tabs: the Tabular trees, the Alphabetic Index books and the Neoplasm
and Drug tables. Selecting a code shows it; Enter adds it to the encounter; Enter on a see or
see-also reference jumps to the term it names."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex
from PySide6.QtWidgets import QHeaderView, QTabWidget, QTreeView

from encoder_app.codebook import browse
from encoder_app.codes import SYSTEM_NAMES
from ui.browser_models import (
    BrowseSource,
    CodeRole,
    IndexTreeModel,
    SeeAlsoRole,
    SeeRole,
    TableTreeModel,
    TabularTreeModel,
)

BOOK_TABS = {"index": "Index", "eindex": "External Cause", "neoplasm": "Neoplasm Table",
             "drug": "Drug Table"}
SYSTEM_TABS = {"icd10cm": "Tabular", "icd10pcs": "ICD-10-PCS", "hcpcs": "HCPCS", "cpt": "CPT"}


def _bare(code: str | None) -> str:
    """'S72.9-' -> 'S72.9': the index prints a dash where more characters are needed."""
    return (code or "").split()[0].rstrip("-").rstrip(".") if code else ""


class BrowserView(QTreeView):
    def __init__(self, window, model, system: str):
        super().__init__()
        self.window, self.system = window, system
        self.setModel(model)
        self.setUniformRowHeights(True)  # lets long lazy lists lay out fast
        self.setAlternatingRowColors(True)
        self.header().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.header().resizeSection(0, 260)
        self.selectionModel().currentChanged.connect(self._current_changed)
        self.activated.connect(self._activated)

    def _code_at(self, index: QModelIndex) -> str:
        code = index.data(CodeRole)
        if not code and index.column() == 0:
            code = index.siblingAtColumn(1).data(CodeRole)
        return _bare(code) if isinstance(code, str) else ""

    def _current_changed(self, index: QModelIndex, _previous: QModelIndex) -> None:
        code = self._code_at(index)
        if code and not code.startswith("Chapter"):
            self.window.open_code(self.system, code)

    def _activated(self, index: QModelIndex) -> None:
        first = index.siblingAtColumn(0)
        reference = first.data(SeeRole) or first.data(SeeAlsoRole)
        code = self._code_at(index)
        if code:
            self.window.assign_code(self.system, code)
        elif reference and isinstance(self.model(), IndexTreeModel):
            self.jump(reference)

    def jump(self, reference: str) -> bool:
        target = self.model().index_for_reference(reference)
        if not target.isValid():
            self.window.status.setText(f"'{reference}' names no term of this book")
            return False
        self.scrollTo(target)
        self.setCurrentIndex(target)
        return True


def add_browser_tabs(window, tabs: QTabWidget) -> None:
    """(Re)build the browser tabs for what is loaded; called when the data is ready."""
    for i in reversed(range(tabs.count())):
        if isinstance(tabs.widget(i), BrowserView):
            tabs.removeTab(i)
    source = BrowseSource(window.engine)
    window.browser_views = {}
    for system in browse.browsable_systems(window.engine):
        if system in SYSTEM_TABS:
            view = BrowserView(window, TabularTreeModel(source, system), system)
            tabs.addTab(view, SYSTEM_TABS[system])
            view.setToolTip(f"{SYSTEM_NAMES[system]} codes")
            window.browser_views[system] = view
    for book in browse.browsable_books(window.engine):
        model = (TableTreeModel(source, book) if book in ("neoplasm", "drug")
                 else IndexTreeModel(source, book))
        view = BrowserView(window, model, "icd10cm")
        tabs.addTab(view, BOOK_TABS.get(book, book))
        window.browser_views[book] = view
    tabs.setTabToolTip(0, "Type-ahead search (Ctrl+K)")
