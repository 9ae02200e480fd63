"""The filter box over an index book's tree: what the coder types narrows the book's main terms
to those with a word starting with each word typed, asked of the database on the worker, so a
term never paged in yet ("hyperten" -> Hypertension, 3,600 main terms down) shows too."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QTreeView, QVBoxLayout, QWidget

from ui.worker import OperationRunner

#: Typing pauses this long before the filter is asked for: one query per word, not per key.
FILTER_DELAY_MS = 150

#: What a book's filtered rows are called ("3 main terms"), singular and plural.
ROW_NOUNS = {"neoplasm": ("site", "sites"), "drug": ("substance", "substances")}
_MAIN_TERMS = ("main term", "main terms")


class _FilterBox(QLineEdit):
    """The box itself: Down or Enter moves on to the rows, Escape clears it."""

    def __init__(self, tree: QTreeView, parent: QWidget | None = None):
        super().__init__(parent)
        self.tree = tree

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 (Qt name)
        if event.key() in (Qt.Key.Key_Down, Qt.Key.Key_Return, Qt.Key.Key_Enter):
            model = self.tree.model()
            if model.rowCount() and not self.tree.currentIndex().isValid():
                self.tree.setCurrentIndex(model.index(0, 0))
            self.tree.setFocus()
        elif event.key() == Qt.Key.Key_Escape and self.text():
            self.clear()
        else:
            super().keyPressEvent(event)


class FilteredBook(QWidget):
    """A book's tab: the filter box above its tree (`view`). One filter query runs at a time;
    when it comes back and the box says something else by then, the box's text is asked next
    and the stale rows are never shown."""

    def __init__(self, view: QTreeView, runner: OperationRunner, book: str,
                 parent: QWidget | None = None):
        super().__init__(parent)
        self.view, self.runner = view, runner
        self.nouns = ROW_NOUNS.get(book, _MAIN_TERMS)
        self.box = _FilterBox(view)
        self.box.setPlaceholderText(f"Filter {self.nouns[1]}: type words or their start "
                                    f"(Ctrl+F)")
        self.box.setClearButtonEnabled(True)
        self.box.setToolTip(f"Shows the {self.nouns[1]} with a word starting with each word "
                            f"typed, whether or not the list has reached them; clear it for "
                            f"the whole book")
        self.count = QLabel("")
        self.count.setStyleSheet("color: gray")
        self._timer = QTimer(self, singleShot=True, interval=FILTER_DELAY_MS)
        self._timer.timeout.connect(self._filter)
        self.box.textChanged.connect(self._timer.start)
        self._running: str | None = None  # the filter a query is out for
        self._shown = ""  # the filter the tree shows
        view.model().modelReset.connect(self._model_reset)
        find = QShortcut(QKeySequence("Ctrl+F"), self)
        find.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        find.activated.connect(lambda: (self.box.setFocus(), self.box.selectAll()))

        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.box, 1)
        row.addWidget(self.count)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 4, 0, 0)
        layout.setSpacing(4)
        layout.addLayout(row)
        layout.addWidget(view, 1)

    def wanted(self) -> str:
        """The filter the box asks for now."""
        return " ".join(self.box.text().split())

    def _filter(self) -> None:
        if self._running is not None:
            return  # _arrived asks again if the box changed meanwhile
        text = self.wanted()
        model = self.view.model()
        if text == model.filter_text:
            return
        self._running = text
        op = self.runner.run("Filtering the book", model.filtered_top_job(text), dialog=False)
        op.finished.connect(self._arrived)
        op.failed.connect(self._failed)

    def _arrived(self, rows: list) -> None:
        text, self._running = self._running, None
        if text != self.wanted():  # typed on while the query ran: those rows are stale
            self._filter()
            return
        model = self.view.model()
        self._shown = text
        model.show_filtered(text, rows)
        if not text:
            self.count.setText("")
        elif not rows:
            self.count.setText(f"no {self.nouns[0]} has “{text}”")
        else:
            more = "+" if model.more_at_top() else ""
            self.count.setText(f"{len(rows)}{more} {self.nouns[len(rows) != 1]}")

    def _failed(self, message: str) -> None:
        self._running = None
        self.count.setText(message)

    def _model_reset(self) -> None:
        """A jump to a see reference leaves the filter (LazyTreeModel._leave_filter): the box
        empties to say the whole book is shown."""
        if self._shown and not self.view.model().filter_text:
            self._shown = ""
            self._timer.stop()
            self.box.blockSignals(True)
            self.box.clear()
            self.box.blockSignals(False)
            self.count.setText("")
