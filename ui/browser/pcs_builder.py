"""The ICD-10-PCS builder dialog (Go > Build an ICD-10-PCS code, Ctrl+B).

Column by column, as a coder reads the PCS Tables: the characters chosen so far on the left,
the values the next character may take in the middle (only those the chosen table row allows),
and the PCS definition of the highlighted value on the right. All by keyboard: type to filter
(a value's character, or words of its label), Up/Down to move, Enter to choose, Backspace on an
empty filter to step back one character. Typing or pasting a whole code in the code box fills
every column back in, so the builder explains a code too. Enter on a complete code adds it.
The core (encoder_app.codebook.pcs_builder) reads the tables; this only shows them.
"""

from __future__ import annotations

import html

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QTableWidget,
    QTableWidgetItem,
    QTextBrowser,
    QWidget,
)

from encoder_app.codebook.pcs_builder import PcsBuild, PcsBuilder, PcsValue
from encoder_app.errors import EncoderError

TITLES = ["Section", "Body System", "Operation", "Body Part", "Approach", "Device", "Qualifier"]


class FilterBox(QLineEdit):
    """The filter line: Up/Down move in the values, Enter chooses, Backspace when empty goes
    back one character."""

    moved = Signal(int)
    chosen = Signal()
    back = Signal()

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 (Qt name)
        key = event.key()
        if key in (Qt.Key.Key_Down, Qt.Key.Key_Up):
            self.moved.emit(1 if key == Qt.Key.Key_Down else -1)
        elif key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.chosen.emit()
        elif key == Qt.Key.Key_Backspace and not self.text():
            self.back.emit()
        else:
            super().keyPressEvent(event)


def value_html(value: PcsValue, title: str) -> str:
    parts = [f"<h3>{html.escape(value.value)} {html.escape(value.label)}</h3>",
             f'<p style="color:gray">{html.escape(title)}</p>']
    if value.definition:
        parts.append(f"<p><b>Definition:</b> {html.escape(value.definition)}</p>")
    if value.explanation:
        parts.append(f"<p><b>Explanation:</b> {html.escape(value.explanation)}</p>")
    if value.includes:
        # The Definitions' "includes" is a key for body parts and devices, examples elsewhere.
        key = {"Device": "Device Key, includes", "Body Part": "Body Part Key, includes"}.get(
            title, "Examples")
        items = "".join(f"<li>{html.escape(i.strip())}</li>" for i in value.includes.split(";"))
        parts.append(f"<p><b>{key}:</b></p><ul>{items}</ul>")
    if not (value.definition or value.explanation or value.includes):
        parts.append("<p><i>The PCS Definitions say nothing more of this value.</i></p>")
    return "".join(parts)


class PcsBuilderDialog(QDialog):
    """Builds one ICD-10-PCS code; ``code_added`` carries it when the coder adds it."""

    code_added = Signal(str)

    def __init__(self, builder: PcsBuilder, start: str = "", parent: QWidget | None = None):
        super().__init__(parent)
        self.builder = builder
        self.setWindowTitle(f"Build an ICD-10-PCS code ({builder.release})")
        self.resize(1000, 560)
        self.code_box = QLineEdit()
        self.code_box.setPlaceholderText("Type or paste a code to see it explained (0DTJ4ZZ)")
        self.code_box.setMaxLength(7)
        self.chosen = QTableWidget(7, 3)
        self.chosen.setHorizontalHeaderLabels(["Character", "Value", "Meaning"])
        self.chosen.verticalHeader().setVisible(False)
        self.chosen.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.chosen.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.chosen.horizontalHeader().setStretchLastSection(True)
        self.chosen.setColumnWidth(0, 112)
        self.chosen.setColumnWidth(1, 44)
        self.chosen.setMinimumWidth(340)
        self.chosen.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.chosen.setWordWrap(True)
        self.step_label = QLabel()
        self.filter = FilterBox()
        self.filter.setPlaceholderText("Type to filter: a character or words; Enter chooses, "
                                       "Backspace steps back")
        self.values = QListWidget()
        self.definition = QTextBrowser()
        self.result = QLabel()
        self.result.setWordWrap(True)
        self.caveat = QLabel(builder.caveat)
        self.caveat.setWordWrap(True)
        self.caveat.setStyleSheet("color:#9a6700")
        self.caveat.setVisible(bool(builder.caveat))
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.add_button = self.buttons.addButton("Add to encounter",
                                                 QDialogButtonBox.ButtonRole.AcceptRole)
        self.add_button.setEnabled(False)
        grid = QGridLayout(self)
        grid.addWidget(QLabel("Code:"), 0, 0)
        grid.addWidget(self.code_box, 0, 1, 1, 2)
        grid.addWidget(self.caveat, 1, 0, 1, 3)
        grid.addWidget(self.chosen, 2, 0, 3, 2)
        grid.addWidget(self.step_label, 2, 2)
        grid.addWidget(self.filter, 3, 2)
        grid.addWidget(self.values, 4, 2)
        grid.addWidget(self.definition, 2, 3, 3, 1)
        grid.addWidget(self.result, 5, 0, 1, 4)
        grid.addWidget(self.buttons, 6, 0, 1, 4)
        grid.setColumnStretch(1, 3)
        grid.setColumnStretch(2, 3)
        grid.setColumnStretch(3, 3)
        self.build = PcsBuild()
        self._typed = ""
        self.code_box.textEdited.connect(self._code_typed)
        self.filter.textChanged.connect(self._filter)
        self.filter.moved.connect(self._move)
        self.filter.chosen.connect(self._choose)
        self.filter.back.connect(self.step_back)
        self.values.currentItemChanged.connect(self._show_definition)
        self.values.itemActivated.connect(lambda *_: self._choose())
        self.buttons.accepted.connect(self._add)
        self.buttons.rejected.connect(self.reject)
        self.show_code(start)
        self.filter.setFocus()

    # -- the state -----------------------------------------------------------------------------
    def show_code(self, code: str) -> bool:
        """Fill the columns from a partial or whole code; a wrong character is shown, and the
        columns keep what was right before it."""
        try:
            build = self.builder.build(code)
        except EncoderError as exc:
            self.result.setText(f'<span style="color:#cf222e">{html.escape(str(exc))}</span>')
            return False
        self.build = build
        self._typed = build.code
        if self.code_box.text().upper() != build.code:
            self.code_box.setText(build.code)
        for row, title in enumerate(TITLES):
            chosen = build.chosen[row] if row < len(build.chosen) else None
            cells = [f"{row + 1} {chosen.title if chosen else title}",
                     chosen.value.value if chosen else "", chosen.value.label if chosen else ""]
            for col, text in enumerate(cells):
                self.chosen.setItem(row, col, QTableWidgetItem(text))
        self.chosen.resizeRowsToContents()
        self.filter.clear()
        self._fill_values()
        if build.complete:
            self.result.setText(f"<b>{build.code}</b> {html.escape(self.builder.title(build.code))}"
                                "  (Enter adds it to the encounter)")
        else:
            self.result.setText(f"{len(build.chosen)} of 7 characters chosen")
        self.add_button.setEnabled(build.complete)
        return True

    def step_back(self) -> None:
        if self.build.chosen:
            self.show_code(self.build.code[:-1])

    def _code_typed(self, text: str) -> None:
        self.show_code(text.strip())

    # -- the column of values ------------------------------------------------------------------
    def _fill_values(self) -> None:
        self.values.clear()
        step = self.build.next
        if step is None:
            self.step_label.setText("All 7 characters chosen")
            # What the code says, in the Definitions' words: its root operation and approach
            # (and the body part and device keys), the way a coder checks a code before using it.
            self.definition.setHtml("".join(value_html(c.value, c.title)
                                            for c in self.build.chosen[2:6]
                                            if c.value.definition or c.value.includes))
            return
        self.step_label.setText(f"<b>{step.position}. {step.title}</b>: "
                                f"{len(step.values)} values allowed here")
        for value in step.values:
            item = QListWidgetItem(f"{value.value}   {value.label}")
            item.setData(Qt.ItemDataRole.UserRole, value.value)
            self.values.addItem(item)
        self.values.setCurrentRow(0)

    def _filter(self, text: str) -> None:
        words = text.casefold().split()
        step = self.build.next
        if step is None:
            return
        exact = text.strip().upper() if len(text.strip()) == 1 else None
        first = None
        for row in range(self.values.count()):
            item = self.values.item(row)
            value = item.data(Qt.ItemDataRole.UserRole)
            label = item.text().casefold()
            shown = not words or value == exact or all(w in label for w in words)
            item.setHidden(not shown)
            if shown and (first is None or value == exact):
                first = item if value == exact or first is None else first
        if first is not None:
            self.values.setCurrentItem(first)

    def _move(self, step: int) -> None:
        rows = [r for r in range(self.values.count()) if not self.values.item(r).isHidden()]
        if not rows:
            return
        at = self.values.currentRow()
        here = rows.index(at) if at in rows else -1
        self.values.setCurrentRow(rows[max(0, min(len(rows) - 1, here + step))])

    def _choose(self) -> None:
        if self.build.complete:
            self._add()
            return
        item = self.values.currentItem()
        if item is not None and not item.isHidden():
            self.show_code(self.build.code + item.data(Qt.ItemDataRole.UserRole))

    def _show_definition(self, item: QListWidgetItem | None, _previous=None) -> None:
        step = self.build.next
        if item is None or step is None:
            return
        value = step.value(item.data(Qt.ItemDataRole.UserRole))
        if value is not None:
            self.definition.setHtml(value_html(value, step.title))

    def _add(self) -> None:
        if self.build.complete:
            self.code_added.emit(self.build.code)
            self.accept()
