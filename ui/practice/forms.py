"""Form pieces the practice, fee schedule and pick list dialogs share: the status line,
editable table rows, Save/Close buttons, plain buttons Enter does not press, and the "save
changes?" question."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QStyle,
    QStyledItemDelegate,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

from ui.errors import one_line


def plain_button(text: str, slot, tip: str = "") -> QPushButton:
    """A button Enter never presses (Enter in a filter box or a table cell means something
    else there)."""
    b = QPushButton(text)
    b.setAutoDefault(False)
    b.clicked.connect(lambda: slot())
    b.setToolTip(tip)
    return b


class StatusLine(QLabel):
    """One line under a form: what was saved, or (in red) what stops a save."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWordWrap(True)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.is_problem = False
        self.hide()  # no empty gap above the buttons until there is something to say

    def problem(self, text: str | BaseException) -> None:
        """Shows what stops a save: a message, or an error rendered the window's one way."""
        text = one_line(text)
        dark = bool(QApplication.instance() and QApplication.instance().property("encoder_dark"))
        # The chart pane's error red; a lighter red stays readable on the dark palette.
        self.setStyleSheet(f"color: {'#ff7b72' if dark else '#cf222e'}; font-weight: 600")
        self.setText(text)
        self.setVisible(bool(text))
        self.is_problem = True

    def note(self, text: str) -> None:
        self.setStyleSheet("")
        self.setText(text)
        self.setVisible(bool(text))
        self.is_problem = False


class PlaceholderDelegate(QStyledItemDelegate):
    """Shows a hint ("10 digits") in the cell editor of the columns given."""

    def __init__(self, hints: dict[int, str], parent: QWidget | None = None):
        super().__init__(parent)
        self.hints = hints

    def createEditor(self, parent, option, index):  # noqa: N802 (Qt's name)
        editor = super().createEditor(parent, option, index)
        if isinstance(editor, QLineEdit) and index.column() in self.hints:
            editor.setPlaceholderText(self.hints[index.column()])
        return editor


def editable_table(columns: list[str], widths: dict[int, int]) -> QTableWidget:
    """A table edited in place; the first column stretches, the others keep ``widths``."""
    table = QTableWidget(0, len(columns))
    table.setHorizontalHeaderLabels(columns)
    table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
    table.setEditTriggers(QTableWidget.EditTrigger.DoubleClicked
                          | QTableWidget.EditTrigger.EditKeyPressed
                          | QTableWidget.EditTrigger.AnyKeyPressed)
    table.setAlternatingRowColors(True)
    table.verticalHeader().setDefaultSectionSize(table.fontMetrics().height() + 10)
    header = table.horizontalHeader()
    header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
    for column, width in widths.items():
        header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
        table.setColumnWidth(column, width)
    header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
    return table


def cell_text(table: QTableWidget, row: int, column: int) -> str:
    item = table.item(row, column)
    return item.text().strip() if item else ""


def fill_row(table: QTableWidget, row: int, values: list[str]) -> None:
    for column, value in enumerate(values):
        table.setItem(row, column, QTableWidgetItem(value))


def append_row(table: QTableWidget, values: list[str] | None = None) -> int:
    """Add a row at the end, select it and start editing its first cell."""
    row = table.rowCount()
    table.insertRow(row)
    fill_row(table, row, values or [""] * table.columnCount())
    table.setCurrentCell(row, 0)
    table.scrollToItem(table.item(row, 0))
    table.editItem(table.item(row, 0))
    return row


def remove_selected_rows(table: QTableWidget) -> int:
    rows = sorted({index.row() for index in table.selectedIndexes()}
                  or ({table.currentRow()} if table.currentRow() >= 0 else set()), reverse=True)
    for row in rows:
        table.removeRow(row)
    return len(rows)


def filled_rows(table: QTableWidget) -> list[tuple[int, list[str]]]:
    """(row, cell texts) of each row with anything typed in it: a row added and left blank
    is not an error, just nothing."""
    rows = []
    for row in range(table.rowCount()):
        values = [cell_text(table, row, c) for c in range(table.columnCount())]
        if any(values):
            rows.append((row, values))
    return rows


def focus_cell(table: QTableWidget, row: int, column: int) -> None:
    table.setRowHidden(row, False)
    table.setCurrentCell(row, column)
    table.scrollToItem(table.item(row, column) or table.item(row, 0))
    table.setFocus()


def editor_buttons(dialog: QDialog) -> tuple[QDialogButtonBox, QPushButton]:
    """Save and Close for an editor that stays open after saving. Save is not the default
    button, so Enter in a filter box or a cell never stores half-done edits; Ctrl+S does."""
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
    save = buttons.addButton("Save", QDialogButtonBox.ButtonRole.ApplyRole)
    for button in buttons.buttons():
        # QDialog makes the first auto-default button the default one; here there is none.
        button.setAutoDefault(False)
    save.setShortcut(QKeySequence.StandardKey.Save)
    save.setToolTip(f"Save ({save.shortcut().toString(QKeySequence.SequenceFormat.NativeText)})")
    style = dialog.style()
    if style.styleHint(QStyle.StyleHint.SH_DialogButtonBox_ButtonsHaveIcons):
        save.setIcon(style.standardIcon(QStyle.StandardPixmap.SP_DialogSaveButton))
    buttons.rejected.connect(dialog.reject)
    return buttons, save


def ask_to_save(parent: QWidget, title: str, what: str) -> QMessageBox.StandardButton:
    """Save, Discard or Cancel, asked before unsaved edits would be lost."""
    buttons = (QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Discard
               | QMessageBox.StandardButton.Cancel)
    return QMessageBox.question(parent, title, f"Save the changes to {what}?", buttons,
                                QMessageBox.StandardButton.Save)


#: Per dialog, the buttons that change what the practice shares: greyed out for a user whose
#: role may not (the core refuses the change too; this spares them typing it first).
CHANGING_BUTTONS = {
    "PracticeDialog": ("save_button", "sample_button"),
    "FeeScheduleDialog": ("save_button", "add_button", "remove_button", "import_button"),
    "PickListDialog": ("save_button", "new_button", "rename_button", "delete_button",
                       "import_button", "add_section_button", "add_item_button",
                       "remove_button", "up_button", "down_button"),
}


def make_read_only(dialog: QDialog, reason: str) -> None:
    """Show the dialog for reading: its changing buttons off, its fields and tables taking no
    typing (a filter box still filters), and why, under the form."""
    for name in CHANGING_BUTTONS.get(type(dialog).__name__, ()):
        getattr(dialog, name).setEnabled(False)
    for view in dialog.findChildren(QAbstractItemView):
        view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    for field in dialog.findChildren(QLineEdit) + dialog.findChildren(QPlainTextEdit):
        if field is not getattr(dialog, "filter", None):
            field.setReadOnly(True)
    dialog.read_only = True
    dialog.status.note(reason)


def save_over_theirs(parent: QWidget, conflict: Exception) -> bool:
    """Someone saved this part of the set-up since the editor opened it: save over theirs?
    No keeps everything typed in the editor, unsaved. (Theirs is never lost either way: the
    practice trail holds each of their values.)"""
    answer = QMessageBox.question(
        parent, "Changed by someone else",
        f"{str(conflict)[0].upper()}{str(conflict)[1:]}.\n\nSave yours over theirs? Their "
        f"values stay in the practice trail (encoder-app practice trail). No keeps yours "
        f"here, unsaved.",
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
        QMessageBox.StandardButton.No)
    return answer == QMessageBox.StandardButton.Yes
