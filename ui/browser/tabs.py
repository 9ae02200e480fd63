"""The codebook browser tabs: the Tabular trees, the Alphabetic Index books and the Neoplasm
and Drug tables (each book with a filter box over it). Selecting a code shows it; Enter adds it
to the encounter; Enter on a see or see-also reference jumps to the term it names."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QModelIndex, Qt, QTimer
from PySide6.QtGui import QKeyEvent, QMouseEvent
from PySide6.QtWidgets import QHeaderView, QTabWidget, QTreeView
from sqlalchemy import Engine

from encoder_app.codebook import browse
from encoder_app.codes import ICD10CM, SYSTEM_NAMES
from encoder_app.errors import EncoderError
from ui.browser.filter import FilteredBook
from ui.browser.lazy_tree import CodeRole, LazyTreeModel, SeeAlsoRole, SeeRole
from ui.browser.models import IndexTreeModel, TableTreeModel, TabularTreeModel
from ui.browser.source import BrowseSource

# Short tab labels (the full names are the tabs' tooltips): ten tabs must fit the search pane
# of a 1366-pixel screen.
BOOK_TABS = {"index": "Index", "eindex": "Ext. Cause", "neoplasm": "Neoplasm", "drug": "Drug"}
BOOK_NAMES = {"index": "Alphabetic Index", "eindex": "External Cause Index",
              "neoplasm": "Neoplasm Table", "drug": "Table of Drugs and Chemicals"}
TABLE_BOOKS = ("neoplasm", "drug")
SYSTEM_TABS = {"icd10cm": "Tabular", "icd10pcs": "PCS", "hcpcs": "HCPCS", "cpt": "CPT"}


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
        bar = self.verticalScrollBar()
        bar.valueChanged.connect(self._page_if_near_end)
        # Top rows arriving, a reset or a view taller than its rows can leave the view at its
        # end with no scroll to say so; each is checked once the view has laid out again.
        # (Rows under a term change the scroll range, so rangeChanged covers those.)
        bar.rangeChanged.connect(self._page_check_soon)
        model.modelReset.connect(self._page_check_soon)
        model.rowsInserted.connect(self._rows_inserted)

    # ---- a level is fetched before its row opens (see LazyTreeModel.fetch_before_open) ----

    def _before_open(self, index: QModelIndex) -> None:
        if index.isValid() and not self.isExpanded(index.siblingAtColumn(0)):
            self.model().fetch_before_open(index.siblingAtColumn(0))

    def expand(self, index: QModelIndex) -> None:  # jumps and scripts open rows this way
        self._before_open(index)
        super().expand(index)

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802 (Qt name)
        index = self.indexAt(event.position().toPoint())
        if index.isValid() and event.position().x() < self.visualRect(
                index.siblingAtColumn(0)).x():  # on the row's open/close arrow
            self._before_open(index)
        super().mousePressEvent(event)

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:  # noqa: N802 (Qt name)
        self._before_open(self.indexAt(event.position().toPoint()))
        super().mouseDoubleClickEvent(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 (Qt name)
        if event.key() in (Qt.Key.Key_Right, Qt.Key.Key_Plus, Qt.Key.Key_Asterisk):
            self._before_open(self.currentIndex())
        super().keyPressEvent(event)

    def _rows_inserted(self, parent: QModelIndex, *_rows) -> None:
        if not parent.isValid():
            self._page_check_soon()

    def _page_check_soon(self, *_args) -> None:
        QTimer.singleShot(0, self, self._page_if_near_end)

    def _page_if_near_end(self, *_args) -> None:
        """Near the end of what is fetched, the next batch of main terms follows."""
        model = self.model()
        if model is None or not model.more_at_top():
            return
        # The scroll range must count the rows already fetched, or a batch still waiting for
        # its layout would look like the end and a second batch would follow at once.
        self.executeDelayedItemsLayout()
        bar = self.verticalScrollBar()
        if bar.value() >= bar.maximum() - bar.pageStep():
            model.fetch_more_top()

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


@dataclass
class TabPlan:
    """One browser tab to show: its code system or book, and the first batch of its top rows
    (None when that fetch failed: the tree fetches again and says why in the status bar)."""

    key: str
    model: type[LazyTreeModel]
    first: list | None
    headings: list | None = None


def plan_browser_tabs(engine) -> list[TabPlan]:
    """The tabs for what is loaded, with their first rows. Runs on the worker with the rest of
    start-up: fetching them when the tabs appear stalled the window for a fifth of a second."""
    source = BrowseSource(engine)
    plans = []
    keys = [(s, TabularTreeModel) for s in browse.browsable_systems(engine) if s in SYSTEM_TABS]
    keys += [(b, TableTreeModel if b in TABLE_BOOKS else IndexTreeModel)
             for b in browse.browsable_books(engine)]
    for key, model in keys:
        try:
            first = model.top_rows(source, key, 0, model.batch)
            headings = source.table_headings(key) if model is TableTreeModel else None
        except EncoderError:
            first = headings = None
        plans.append(TabPlan(key, model, first, headings))
    return plans


def add_browser_tabs(window, tabs: QTabWidget, plans: list[TabPlan] | None = None) -> None:
    """(Re)build the browser tabs for what is loaded; called when the data is ready, with the
    plan the worker made (or, without one, planned here)."""
    for i in reversed(range(tabs.count())):
        if isinstance(tabs.widget(i), BrowserView | FilteredBook):
            tabs.removeTab(i)
    if plans is None:
        plans = plan_browser_tabs(window.engine)
    source = BrowseSource(window.engine)
    window.browser_views = {}
    for plan in plans:
        if plan.model is TabularTreeModel:
            view = BrowserView(window, TabularTreeModel(source, plan.key, plan.first), plan.key)
            at = tabs.addTab(view, SYSTEM_TABS[plan.key])
            tabs.setTabToolTip(at, f"{SYSTEM_NAMES[plan.key]} codes")
            view.setToolTip(f"{SYSTEM_NAMES[plan.key]} codes")
        else:
            model = (TableTreeModel(source, plan.key, plan.first, plan.headings)
                     if plan.model is TableTreeModel
                     else IndexTreeModel(source, plan.key, first=plan.first))
            view = BrowserView(window, model, ICD10CM)
            # A book's tab has a filter box over its tree (its main terms are too many to
            # scroll to); `view` stays the tree, as browser_views holds it.
            at = tabs.addTab(FilteredBook(view, window.runner, plan.key),
                             BOOK_TABS.get(plan.key, plan.key))
            tabs.setTabToolTip(at, BOOK_NAMES.get(plan.key, plan.key))
        view.model().fetchFailed.connect(window.status.setText)
        window.browser_views[plan.key] = view
    tabs.setTabToolTip(0, "Type-ahead search (Ctrl+K)")


def plans_or_none(engine: Engine) -> list[TabPlan] | None:
    """The browser tabs' first rows, fetched on the worker so the tabs appear without a stall.
    Only a head start: should it fail for any reason, the tabs plan on the UI thread instead
    (as they did before), and the job's finished work is not reported as failed."""
    try:
        return plan_browser_tabs(engine)
    except Exception:  # noqa: BLE001 (see above: never fail a finished job over this)
        return None

