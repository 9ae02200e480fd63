"""The audit trail of the open encounter: who changed which code, when, from what to what."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from encoder_app.encounters.store import AuditLine

COLUMNS = ["When", "User", "Where", "Before", "After"]


def _value(text: str | None, missing: str) -> str:
    return missing if text is None else (text or "(blank)")


class AuditTrailDialog(QDialog):
    """Read-only, newest change last, as the trail is written."""

    def __init__(self, title: str, lines: list[AuditLine], parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(f"Audit trail: {title}")
        summary = QLabel(f"{len(lines)} change{'s' if len(lines) != 1 else ''} to the patient, "
                         "the date of service, codes, modifiers, units, pointers and charges."
                         if lines else "Nothing has changed since this encounter was created.")
        self.table = QTableWidget(len(lines), len(COLUMNS))
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.table.verticalHeader().setVisible(False)
        for r, line in enumerate(lines):
            values = [line.at.strftime("%Y-%m-%d %H:%M:%S"), line.user, line.field,
                      _value(line.before, "(none)"), _value(line.after, "(removed)")]
            for c, value in enumerate(values):
                self.table.setItem(r, c, QTableWidgetItem(value))
        self.table.resizeColumnsToContents()
        self.table.horizontalHeader().setStretchLastSection(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(summary)
        layout.addWidget(self.table)
        layout.addWidget(buttons)
        self.resize(720, 420)
