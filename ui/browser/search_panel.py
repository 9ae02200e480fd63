"""The type-ahead search box and its results: every keystroke is a query."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor, QKeyEvent
from PySide6.QtWidgets import (
    QHeaderView,
    QLineEdit,
    QMessageBox,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from encoder_app.codes import SYSTEM_NAMES, normalize
from encoder_app.search.engine import Hit, SearchEngine

COLUMNS = ["Code", "Title", "Status", "System", "Matched"]
#: The System column's short names (the full name is the cell's tooltip): the title is what a
#: coder reads, and "ICD-10-CM" on every row took its room.
SHORT_SYSTEMS = {"icd10cm": "CM", "icd10pcs": "PCS", "hcpcs": "HCPCS", "cpt": "CPT"}
#: One or two letters match too much to be useful and cost the most; codes start at 3 too.
MIN_QUERY = 3


#: Where a result row keeps the units its dose implies.
UNITS_ROLE = Qt.ItemDataRole.UserRole + 1

def ask_which_code(parent: QWidget, typed: str, hits: list[Hit]) -> Hit | None:
    """A typed code that is a code of more than one code set (J1100: ICD-10-CM J11.00 and HCPCS
    J1100): which one goes on the encounter. None when the coder cancels."""
    box = QMessageBox(QMessageBox.Icon.Question, "Which code?",
                      f"{typed} is a code in {len(hits)} code sets. Which one do you mean?",
                      QMessageBox.StandardButton.Cancel, parent)
    # The titles in the text, where they wrap; the buttons name the code set and code only.
    box.setInformativeText("\n".join(
        f"{SYSTEM_NAMES.get(h.system, h.system)} {h.code}: {h.title}" for h in hits))
    buttons = {}
    for hit in hits:
        button = box.addButton(f"{SYSTEM_NAMES.get(hit.system, hit.system)} {hit.code}",
                               QMessageBox.ButtonRole.AcceptRole)
        buttons[button] = hit
    box.exec()
    return buttons.get(box.clickedButton())


class SearchBox(QLineEdit):
    """Arrow keys move through the results while the cursor stays in the box."""

    moved = Signal(int)
    chosen = Signal()

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 (Qt name)
        if event.key() in (Qt.Key.Key_Down, Qt.Key.Key_Up):
            self.moved.emit(1 if event.key() == Qt.Key.Key_Down else -1)
        elif event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.chosen.emit()
        else:
            super().keyPressEvent(event)


class SearchPanel(QWidget):
    # system, code, units (a drug found with a dose: "Toradol 30 mg" -> J1885 x 2; else 1):
    # Enter or double-click
    code_chosen = Signal(str, str, int)
    code_selected = Signal(str, str)  # system, code: the highlighted result changed

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.engine: SearchEngine | None = None
        self.date = None
        self.hits: list[Hit] = []
        self._picked = False
        #: Asks which code set a typed code means when it is in several (tests replace it).
        self.ask_which_code = ask_which_code
        self.box = SearchBox()
        self.box.setPlaceholderText("Search codes: words, abbreviations (htn, afib), code prefixes "
                                    "(E11.6)   Ctrl+K")
        self.box.setClearButtonEnabled(True)
        self.box.setEnabled(False)
        self.results = QTreeWidget()
        self.results.setHeaderLabels(COLUMNS)
        self.results.setRootIsDecorated(False)
        self.results.setAlternatingRowColors(True)
        self.results.setUniformRowHeights(True)
        header = self.results.header()
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        for col in (0, 2, 3):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(False)
        header.setSectionResizeMode(4, QHeaderView.ResizeMode.Interactive)
        header.resizeSection(4, 90)  # the title is what a coder reads; "matched" is a hint
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.box)
        layout.addWidget(self.results)
        self.box.textChanged.connect(self.run_query)
        self.box.moved.connect(self._move)
        self.box.chosen.connect(self._choose_current)
        self.results.itemActivated.connect(lambda *_: self._choose_current())
        self.results.itemClicked.connect(lambda *_: setattr(self, "_picked", True))
        self.results.currentItemChanged.connect(self._selected)

    def set_engine(self, engine: SearchEngine) -> None:
        self.engine = engine
        self.box.setEnabled(True)
        self.box.setPlaceholderText(self.box.placeholderText())
        if self.box.text():
            self.run_query(self.box.text())

    def run_query(self, text: str) -> None:
        if self.engine is None:
            return
        long_enough = len(text.strip()) >= MIN_QUERY
        hits = self.engine.search(text, limit=50, date=self.date) if long_enough else []
        self.show_hits(hits)

    def show_hits(self, hits: list[Hit]) -> None:
        self.hits = list(hits)
        self._picked = False  # a row the coder moved to or clicked is a choice made
        self.results.clear()
        for hit in hits:
            status = "billable" if hit.billable else "header"
            if hit.valid is False and hit.billable:  # a header is never reportable
                status = "terminated" if hit.terminated else "not valid"
            elif hit.units:  # "Toradol 30 mg": J1885 per 15 mg, 2 units
                status += f" \u00d7{hit.units}"
            item = QTreeWidgetItem([hit.code, hit.title, status,
                                    SHORT_SYSTEMS.get(hit.system, hit.system), hit.matched])
            item.setToolTip(3, SYSTEM_NAMES.get(hit.system, hit.system))
            item.setData(0, Qt.ItemDataRole.UserRole, (hit.system, hit.code))
            item.setData(0, UNITS_ROLE, hit.units or 1)
            item.setToolTip(1, hit.title)
            item.setToolTip(4, hit.matched)
            if hit.units:
                item.setToolTip(2, f"Report {hit.units} unit{'s' * (hit.units != 1)} for the "
                                   "dose searched (Enter puts them on the procedure line)")
            if hit.terminated:
                item.setToolTip(2, f"Terminated {hit.terminated}: not valid on the date of "
                                   "service")
            if hit.variants:  # one row for a header and its codes (search/seventh.py)
                item.setToolTip(0, f"One row for {hit.header}: " + ", ".join(hit.variants) +
                                f"\nOpen {hit.header} to choose another")
            color = "#1a7f37" if hit.billable and hit.valid is not False else "#6e7781"
            item.setForeground(2, QBrush(QColor(color)))
            self.results.addTopLevelItem(item)
        if hits:
            self.results.setCurrentItem(self.results.topLevelItem(0))

    def _move(self, step: int) -> None:
        count = self.results.topLevelItemCount()
        if not count:
            return
        row = self.results.indexOfTopLevelItem(self.results.currentItem()) if \
            self.results.currentItem() else -1
        self.results.setCurrentItem(self.results.topLevelItem(max(0, min(count - 1, row + step))))
        self._picked = True

    def _selected(self, item: QTreeWidgetItem | None, _previous) -> None:
        if item is not None:
            self.code_selected.emit(*item.data(0, Qt.ItemDataRole.UserRole))

    def same_code_in_several_sets(self) -> list[Hit]:
        """The hits that are exactly the typed code, when they come from more than one code set
        (J1100); else []."""
        typed = normalize(self.box.text())
        exact = [h for h in self.hits if normalize(h.code) == typed]
        return exact if len({h.system for h in exact}) > 1 else []

    def _choose_current(self) -> None:
        item = self.results.currentItem()
        if item is None:
            return
        system, code = item.data(0, Qt.ItemDataRole.UserRole)
        units = item.data(0, UNITS_ROLE)
        several = [] if self._picked else self.same_code_in_several_sets()
        if several:  # Enter on a typed code that two code sets share: not a guess, a question
            chosen = self.ask_which_code(self, self.box.text().strip(), several)
            if chosen is None:
                return
            system, code, units = chosen.system, chosen.code, chosen.units or 1
        self.code_chosen.emit(system, code, units)
