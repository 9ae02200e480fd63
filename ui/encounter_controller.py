"""Saving and reopening encounters: the list to reopen, autosave, JSON export and import."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QLineEdit,
    QMessageBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy import Engine

from encoder_app.encounters.serialize import encounter_to_json, save_encounter_file
from encoder_app.encounters.snapshot import EncounterFormatError, load_encounter, parse_encounter
from encoder_app.encounters.store import (
    audit_trail,
    list_encounters,
    load_encounter_record,
    save_encounter,
)
from encoder_app.errors import EncoderError
from ui.audit_dialog import AuditTrailDialog
from ui.chart_pane import ChartPane, empty_document
from ui.worker import OperationRunner

AUTOSAVE_MS = 1500


class ShownEncounter:
    """The encounter the chart pane shows, and its row id once saved.

    Saves run on the one worker, one after another, and each reads and sets the id there: a
    save queued before the first one finished goes to the same row (not a second new one), and
    a save still running for the previous encounter can never hand its id to the next one. New,
    open and import each start a new ShownEncounter."""

    def __init__(self, encounter_id: int | None = None):
        self.id = encounter_id

    def save(self, engine: Engine, snapshot, user: str) -> int:  # on the worker
        self.id = save_encounter(engine, snapshot, self.id, user)
        return self.id


class EncounterController(QObject):
    """Owns which encounter the chart pane shows and keeps it saved."""

    saved = Signal(int)
    message = Signal(str)

    def __init__(self, engine: Engine, runner: OperationRunner, chart: ChartPane,
                 parent: QWidget, user: str = "coder"):
        super().__init__(parent)
        self.engine, self.runner, self.chart, self.window = engine, runner, chart, parent
        self.user = user  # named on every audited change
        self._shown = ShownEncounter()
        self.unsaved_reason = ""
        self._autosave = QTimer(self, singleShot=True, interval=AUTOSAVE_MS)
        self._autosave.timeout.connect(self.save)
        chart.changed.connect(self._autosave.start)

    @property
    def encounter_id(self) -> int | None:
        """The shown encounter's id; None until its first save has run."""
        return self._shown.id

    def may_leave(self) -> bool:
        """Save before showing another encounter; if a field keeps it from being saved, the
        coder decides whether to leave it (nothing typed disappears without asking)."""
        if self.save():
            return True
        answer = QMessageBox.question(
            self.window, "Encounter not saved",
            f"This encounter cannot be saved until a field is corrected:\n\n"
            f"{self.unsaved_reason}\n\nLeave it without saving?",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No)
        return answer == QMessageBox.StandardButton.Yes

    def new(self) -> None:
        if not self.may_leave():
            return
        self._shown = ShownEncounter()
        self.chart.load_document(empty_document())
        self.message.emit("New encounter")

    def save(self) -> bool:
        """Saves on the worker (one writer). False when a malformed field keeps the encounter
        from being saved: the field is reported (``unsaved_reason``) and the widgets keep it."""
        self._autosave.stop()
        self.unsaved_reason = ""
        doc = self.chart.document_from_widgets()
        if not doc.get("diagnoses") and not doc.get("procedures") and self.encounter_id is None:
            return True  # an untouched new encounter is not worth a row
        try:
            snapshot = parse_encounter(doc, "this encounter")
        except EncounterFormatError as exc:
            self.unsaved_reason = f"{exc.path}: {exc.problem}"
            self.message.emit(f"Not saved yet: {self.unsaved_reason}")
            return False
        engine, shown, user = self.engine, self._shown, self.user
        op = self.runner.run("Saving", lambda: shown.save(engine, snapshot, user), dialog=False)
        op.finished.connect(self._saved)
        op.failed.connect(lambda text: self.message.emit(f"Not saved: {text}"))
        return True

    def _saved(self, encounter_id: int) -> None:
        self.saved.emit(encounter_id)
        self.message.emit(f"Saved encounter #{encounter_id}")

    def open(self, encounter_id: int) -> None:
        if not self.may_leave():
            return
        self.runner.wait(5000)
        try:
            stored = load_encounter_record(self.engine, encounter_id)
        except EncoderError as exc:
            QMessageBox.warning(self.window, "Open encounter", str(exc))
            return
        self._shown = ShownEncounter(stored.id)
        self.chart.load_document(encounter_to_json(stored.snapshot))
        self.message.emit(f"Opened encounter #{stored.id}: {stored.label}")

    def show_audit_trail(self) -> AuditTrailDialog | None:
        """The open encounter's trail, saved first so the last edit is in it."""
        self.save()
        self.runner.wait(5000)
        if self.encounter_id is None:
            self.message.emit("Nothing saved yet: the audit trail starts with the first save")
            return None
        try:
            lines = audit_trail(self.engine, self.encounter_id)
        except EncoderError as exc:
            QMessageBox.warning(self.window, "Audit trail", str(exc))
            return None
        name = self.chart.document_from_widgets().get("patient", {}).get("name") or "encounter"
        dialog = AuditTrailDialog(f"#{self.encounter_id} {name}", lines, self.window)
        dialog.open()  # not modal-blocking: tests and the coder can keep the window going
        return dialog

    def choose_and_open(self) -> None:
        dialog = EncounterListDialog(self.engine, self.window)
        if dialog.exec() == QDialog.DialogCode.Accepted and dialog.chosen:
            self.open(dialog.chosen)

    def export_json(self, path: str | None = None) -> None:
        if path is None:
            path, _ = QFileDialog.getSaveFileName(self.window, "Export encounter",
                                                  str(Path.home() / "encounter.json"),
                                                  "Encounter (*.json)")
        if not path:
            return
        try:
            save_encounter_file(parse_encounter(self.chart.document_from_widgets(), "encounter"),
                                path)
        except EncoderError as exc:
            QMessageBox.warning(self.window, "Export encounter", str(exc))
            return
        self.message.emit(f"Exported to {path}")

    def import_json(self, path: str | None = None) -> None:
        if path is None:
            path, _ = QFileDialog.getOpenFileName(self.window, "Import encounter",
                                                  str(Path.home()), "Encounter (*.json)")
        if not path:
            return
        try:
            snapshot = load_encounter(path)
        except EncoderError as exc:
            QMessageBox.warning(self.window, "Import encounter", str(exc))
            return
        if not self.may_leave():
            return
        self._shown = ShownEncounter()
        self.chart.load_document(encounter_to_json(snapshot))
        self.save()


class EncounterListDialog(QDialog):
    """Saved encounters, newest first, filtered by patient name as you type."""

    def __init__(self, engine: Engine, parent: QWidget | None = None):
        super().__init__(parent)
        self.engine = engine
        self.chosen: int | None = None
        self.setWindowTitle("Open encounter")
        self.filter = QLineEdit(placeholderText="Patient name")
        self.table = QTableWidget(0, 5)
        self.table.setHorizontalHeaderLabels(["#", "Patient", "Date of service", "Codes", "Saved"])
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.itemActivated.connect(lambda *_: self.accept())
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Open
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        for widget in (self.filter, self.table, buttons):
            layout.addWidget(widget)
        self.filter.textChanged.connect(self.refresh)
        self.resize(640, 420)
        self.refresh()

    def refresh(self, text: str = "") -> None:
        rows = list_encounters(self.engine, text or None)
        self.table.setRowCount(len(rows))
        for r, e in enumerate(rows):
            values = [str(e.id), e.label, str(e.date_of_service or ""),
                      f"{e.diagnosis_count} dx, {e.procedure_count} px",
                      e.updated_at.strftime("%Y-%m-%d %H:%M")]
            for c, value in enumerate(values):
                item = QTableWidgetItem(value)
                item.setData(Qt.ItemDataRole.UserRole, e.id)
                self.table.setItem(r, c, item)
        if rows:
            self.table.selectRow(0)

    def accept(self) -> None:
        item = self.table.item(self.table.currentRow(), 0)
        self.chosen = item.data(Qt.ItemDataRole.UserRole) if item else None
        super().accept()
