"""Every keyboard shortcut in one table, shown by Help > Keyboard shortcuts."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QTableWidget, QTableWidgetItem, QVBoxLayout

SHORTCUTS = {
    "Search": "Ctrl+K",
    "New encounter": "Ctrl+N",
    "Open encounter": "Ctrl+O",
    "Save encounter": "Ctrl+S",
    "Export encounter": "Ctrl+E",
    "Import encounter": "Ctrl+Shift+O",
    "Audit trail": "Ctrl+Shift+H",
    "Switch user": "Ctrl+Shift+U",
    "Star code": "Ctrl+D",
    "Add code shown": "Ctrl+Shift+A",
    "Build an ICD-10-PCS code": "Ctrl+B",
    "Back": "Alt+Left",
    "Forward": "Alt+Right",
    "Print superbill": "Ctrl+P",
    "Save superbill as PDF": "Ctrl+Shift+P",
    "Open superbill in PDF viewer": "Ctrl+Alt+O",
    "Blank superbill form": "Ctrl+Shift+B",
    "Day sheet": "Ctrl+Shift+Y",
    "Practice set-up": "Ctrl+Alt+P",
    "Fee schedule": "Ctrl+Alt+F",
    "Pick lists": "Ctrl+Alt+L",
    "Import release files": "Ctrl+I",
    "Study": "Ctrl+Alt+S",
    "Exam": "Ctrl+Alt+E",
    "Review missed items": "Ctrl+Alt+R",
    "Study progress": "Ctrl+Alt+G",
    "Keyboard shortcuts": "F1",
    "Quit": "Ctrl+Q",
}
#: Keys that act inside a widget rather than through a menu action.
KEYS = {
    "PCS builder: filter, choose, step back": "type / Enter / Backspace",
    "Move through search results": "Up / Down",
    "Add the highlighted result to the encounter": "Enter",
    "Move the selected diagnosis up / down": "Ctrl+Up / Ctrl+Down",
    "Remove the selected diagnosis or line": "Delete",
    "Apply the selected finding's fix": "Ctrl+Enter",
    "Filter an index book's main terms (in its tab)": "Ctrl+F",
    "Check a study answer (study pane)": "Ctrl+Enter",
    "From the filter box to the rows / clear the filter": "Down or Enter / Esc",
}


class ShortcutsDialog(QDialog):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.setWindowTitle("Keyboard shortcuts")
        rows = {**SHORTCUTS, **KEYS}
        table = QTableWidget(len(rows), 2)
        table.setHorizontalHeaderLabels(["Action", "Keys"])
        for i, (action, keys) in enumerate(rows.items()):
            table.setItem(i, 0, QTableWidgetItem(action))
            table.setItem(i, 1, QTableWidgetItem(keys))
        table.resizeColumnsToContents()
        table.horizontalHeader().setStretchLastSection(True)
        table.verticalHeader().setVisible(False)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(table)
        layout.addWidget(buttons)
        self.resize(420, 320)
        self.table = table
