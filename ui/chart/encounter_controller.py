"""Saving and reopening encounters: the list to reopen, autosave, JSON export and import."""

from __future__ import annotations

import copy
import uuid
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

from encoder_app.data_lock import ServerUnavailable
from encoder_app.encounters.merge import MergeError, merge_documents
from encoder_app.encounters.serialize import encounter_to_json, save_encounter_file
from encoder_app.encounters.snapshot import EncounterFormatError, load_encounter, parse_encounter
from encoder_app.encounters.store import (
    EncounterConflict,
    audit_trail,
    list_encounters,
    load_encounter_record,
    save_encounter,
    save_encounter_version,
)
from encoder_app.encounters.unsaved import (
    KeptEncounter,
    forget_unsaved,
    keep_unsaved,
    list_unsaved,
)
from encoder_app.errors import EncoderError
from encoder_app.users.roles import PermissionDenied
from ui.chart.audit_dialog import AuditTrailDialog
from ui.chart.chart_pane import ChartPane, empty_document
from ui.chart.conflict_dialog import MERGED, MINE_AS_COPY, ConflictDialog
from ui.errors import field_line, show_error
from ui.worker import Operation, OperationRunner

AUTOSAVE_MS = 1500
#: How often a save the server could not take is tried again.
RETRY_MS = 10_000


class ShownEncounter:
    """The encounter the chart pane shows, and its row id once saved.

    Saves run on the one worker, one after another, and each reads and sets the id there: a
    save queued before the first one finished goes to the same row (not a second new one), and
    a save still running for the previous encounter can never hand its id to the next one. New,
    open and import each start a new ShownEncounter."""

    def __init__(self, encounter_id: int | None = None, version: int | None = None,
                 key: str | None = None):
        self.id = encounter_id
        self.version = version  # the saved version the chart's changes are made on
        # A new encounter's own key: its first save, retried after the server went away
        # mid-save, finds the row it may have written instead of writing a second one.
        self.key = key or str(uuid.uuid4())

    def save(self, engine: Engine, snapshot, user: str, document: dict
             ) -> int | EncounterConflict | ServerUnavailable:
        """On the worker: the id saved to; or, returned rather than raised so the window gets
        them whole, the conflict when someone else saved the encounter since this version,
        or the server being unreachable (the document is then kept on this workstation until
        a save goes through). Nothing is written in either case."""
        try:
            saved = save_encounter_version(engine, snapshot, self.id, user,
                                           if_version=self.version,
                                           client_key=None if self.id else self.key)
        except EncounterConflict as conflict:
            conflict.mine = snapshot  # what the dialog sets against theirs
            return conflict
        except ServerUnavailable as unreachable:
            unreachable.kept = keep_unsaved(document, self.key, self.id, self.version)
            return unreachable
        except PermissionDenied as refused:  # not this user's to save (a role changed meanwhile,
            # a front desk importing a coded file): kept here too, for someone who may
            refused.kept = keep_unsaved(document, self.key, self.id, self.version)
            return refused
        self.id, self.version = saved.id, saved.version
        forget_unsaved(self.key)
        return self.id


def _untouched(doc: dict) -> bool:
    """A new encounter nobody has typed in yet: no codes and no patient. (A patient with no
    codes yet is the front desk's encounter, saved for the coder to code.)"""
    patient = doc.get("patient") or {}
    return (not doc.get("diagnoses") and not doc.get("procedures")
            and not any(str(v).strip() for v in patient.values()))


class EncounterController(QObject):
    """Owns which encounter the chart pane shows and keeps it saved."""

    saved = Signal(int)
    opened = Signal(int)  # an encounter chosen to open is in the chart pane
    audit_shown = Signal(object)  # the AuditTrailDialog shown
    message = Signal(str)

    def __init__(self, engine: Engine, runner: OperationRunner, chart: ChartPane,
                 parent: QWidget, user: str = "coder"):
        super().__init__(parent)
        self.engine, self.runner, self.chart, self.window = engine, runner, chart, parent
        self.user = user  # named on every audited change
        self._shown = ShownEncounter()
        self.unsaved_reason = ""
        # Nothing here waits for the worker: what must come after a save (reading the encounter
        # to open, its audit trail) is queued behind it on the same serial runner.
        self._pending: list[Operation] = []  # saves queued and not yet reported, oldest first
        self._queued: tuple[ShownEncounter, dict] | None = None  # the last document queued
        self._request = 0  # New, Open and Import each count one; a late open is dropped
        self.audit_dialog: AuditTrailDialog | None = None
        self.conflict_dialog: ConflictDialog | None = None
        self._autosave = QTimer(self, singleShot=True, interval=AUTOSAVE_MS)
        self._autosave.timeout.connect(self.save)
        self._retry = QTimer(self, singleShot=True, interval=RETRY_MS)
        self._retry.timeout.connect(self.save)
        chart.changed.connect(self._autosave.start)

    @property
    def encounter_id(self) -> int | None:
        """The shown encounter's id; None until its first save has run."""
        return self._shown.id

    def pending_save(self) -> Operation | None:
        """The last save queued that has not reported yet (the runner reports in order, so
        when it reports every earlier save has too), or None."""
        return self._pending[-1] if self._pending else None

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
        self._request += 1
        self._shown = ShownEncounter()
        self.chart.load_document(empty_document())
        self.message.emit("New encounter")

    def save(self) -> bool:
        """Saves on the worker (one writer). False when a malformed field keeps the encounter
        from being saved: the field is reported (``unsaved_reason``) and the widgets keep it."""
        self._autosave.stop()
        self.unsaved_reason = ""
        doc = self.chart.document_from_widgets()
        if self.encounter_id is None and _untouched(doc):
            return True  # an untouched new encounter is not worth a row
        try:
            snapshot = parse_encounter(doc, "this encounter")
        except EncounterFormatError as exc:
            self.unsaved_reason = field_line(exc)
            self.message.emit(f"Not saved yet: {self.unsaved_reason}")
            return False
        engine, shown, user = self.engine, self._shown, self.user
        if self._queued is not None and self._queued[0] is shown and self._queued[1] == doc:
            return True  # already queued as it is (the store would write nothing either)
        kept = copy.deepcopy(doc)  # what this save writes, whatever is typed meanwhile
        self._queued = (shown, kept)
        op = self.runner.run("Saving", lambda: shown.save(engine, snapshot, user, kept),
                             dialog=False)
        self._pending.append(op)
        op.finished.connect(lambda encounter_id: self._saved(op, encounter_id))
        op.failed.connect(lambda text: self._save_failed(op, text))
        return True

    def _saved(self, op: Operation,
               result: int | EncounterConflict | ServerUnavailable | PermissionDenied) -> None:
        self._pending.remove(op)
        if isinstance(result, EncounterConflict):
            self._conflicted(result)
            return
        if isinstance(result, ServerUnavailable):
            # Kept on this workstation; tried again until the server answers.
            self._queued = None
            self.message.emit(f"Not saved: {result}. Kept on this computer ({result.kept}); "
                              f"saving again every {RETRY_MS // 1000} s")
            self._retry.start()
            return
        if isinstance(result, PermissionDenied):
            self._queued = None
            self.message.emit(f"Not saved: {result}. Kept on this computer ({result.kept}): "
                              f"File > Reopen an encounter kept on this computer, signed in "
                              f"as someone who may save it")
            return
        self._retry.stop()
        self.saved.emit(result)
        self.message.emit(f"Saved encounter #{result}")

    def _conflicted(self, conflict: EncounterConflict) -> None:
        """Someone saved this encounter since it was opened here: nothing was written. The
        coder sees both versions and picks where the typed one goes; until then autosave
        waits (the chart keeps everything typed)."""
        self._queued = None
        self._autosave.stop()
        self.message.emit(f"Not saved: {conflict}")
        if self.conflict_dialog is not None and self.conflict_dialog.isVisible():
            return
        # The version whose save was refused (parsed already): the widgets may hold a field
        # typed since that cannot be read yet.
        self.conflict_dialog = ConflictDialog(conflict, conflict.mine, self.window)
        self.conflict_dialog.accepted.connect(lambda: self._resolve(conflict))
        self.conflict_dialog.open()

    def _resolve(self, conflict: EncounterConflict) -> None:
        """Mine as a new encounter (theirs stays as #N), mine over theirs with theirs kept as a
        new encounter (either way both versions are saved), or the merge over theirs (the
        coder chose, field by field, what of theirs to keep)."""
        shown, engine, user = self._shown, self.engine, self.user
        if self.conflict_dialog.choice == MINE_AS_COPY:
            self._shown = ShownEncounter()
            self.save()
            return
        theirs = conflict.theirs
        if self.conflict_dialog.choice == MERGED:
            # The merge is shown, then saved over theirs: what the coder sees is what is saved.
            try:
                merged = merge_documents(encounter_to_json(theirs.snapshot),
                                         self.chart.document_from_widgets(),
                                         self.conflict_dialog.take_theirs())
            except MergeError as exc:  # typed since the view was shown: nothing merged
                self.message.emit(f"Not merged: {exc}; yours is still here, unsaved")
                return
            self.chart.load_document(merged)
            shown.version = theirs.version
            self.save()
            return

        def keep_theirs():  # on the worker; only once it is kept is theirs saved over
            return save_encounter(engine, theirs.snapshot, None, user)

        def kept(copy_id: int) -> None:
            self.message.emit(f"Their version of #{conflict.encounter_id} is kept as "
                              f"encounter #{copy_id}")
            shown.version = theirs.version  # saving over what they saved, knowingly
            self.save()  # queued before the copy stops counting as pending: no gap
            self._pending.remove(op)

        def not_kept(text: str) -> None:
            self._pending.remove(op)
            self.message.emit(f"Not saved over theirs: their version could not be kept as a "
                              f"copy ({text}); yours is still here, unsaved")

        op = self.runner.run("Keeping their version", keep_theirs, dialog=False)
        # Pending like a save until the save over theirs is queued: a close waits for both,
        # and nothing reads "all saved" in between.
        self._pending.append(op)
        op.finished.connect(kept)
        op.failed.connect(not_kept)

    def _save_failed(self, op: Operation, text: str) -> None:
        self._pending.remove(op)
        self._queued = None  # the next save tries again
        self.message.emit(f"Not saved: {text}")

    def open(self, encounter_id: int) -> None:
        """Save the shown encounter, then read the chosen one on the worker, queued behind
        that save (reopening the encounter just left reads what was just saved); ``opened``
        says when it is shown."""
        if not self.may_leave():
            return
        self._request += 1
        request, engine = self._request, self.engine
        op = self.runner.run("Opening the encounter",
                             lambda: load_encounter_record(engine, encounter_id), dialog=False)
        op.finished.connect(lambda stored: self._opened(request, stored))
        op.failed.connect(lambda text: request == self._request and show_error(
            self.window, "Open encounter", text))

    def _opened(self, request: int, stored) -> None:
        if request != self._request:
            return  # New, Open or Import came after: that one is what the coder wants now
        if not self.may_leave():  # typed while it was read: saved to the encounter typed in
            return
        self._request += 1
        self._shown = ShownEncounter(stored.id, stored.version)
        self.chart.load_document(encounter_to_json(stored.snapshot))
        self.message.emit(f"Opened encounter #{stored.id}: {stored.label}")
        self.opened.emit(stored.id)

    def reopen_kept(self) -> bool:
        """Show the oldest encounter kept on this computer while the server could not be
        reached, on the row and version it was typed on (new: with its own key), and save it:
        the kept copy goes once the save goes through, with the usual conflict check. False
        when none is kept."""
        kept: list[KeptEncounter] = list_unsaved()
        if not kept or not self.may_leave():
            return False
        first = kept[0]
        self._request += 1
        self._shown = ShownEncounter(first.encounter_id, first.version, first.key)
        self.chart.load_document(first.document)
        self.message.emit(f"Reopened an encounter kept on this computer ({first.path.name}); "
                          f"saving it")
        self.save()
        return True

    def show_audit_trail(self) -> None:
        """The open encounter's trail, saved first so the last edit is in it: the trail is
        read on the worker behind that save; ``audit_shown`` gives the dialog once shown."""
        self.save()
        engine, shown = self.engine, self._shown
        name = self.chart.document_from_widgets().get("patient", {}).get("name") or "encounter"

        def read():  # on the worker, after the save: the id is set there
            encounter_id = shown.id
            return None if encounter_id is None else (encounter_id,
                                                      audit_trail(engine, encounter_id))

        op = self.runner.run("Reading the audit trail", read, dialog=False)
        op.finished.connect(lambda trail: self._show_trail(trail, name))
        op.failed.connect(lambda text: show_error(self.window, "Audit trail", text))

    def _show_trail(self, trail, name: str) -> None:
        if trail is None:
            self.message.emit("Nothing saved yet: the audit trail starts with the first save")
            return
        encounter_id, lines = trail
        dialog = AuditTrailDialog(f"#{encounter_id} {name}", lines, self.window)
        dialog.open()  # not modal-blocking: tests and the coder can keep the window going
        self.audit_dialog = dialog
        self.audit_shown.emit(dialog)

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
            show_error(self.window, "Export encounter", exc)
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
            show_error(self.window, "Import encounter", exc)
            return
        if not self.may_leave():
            return
        self._request += 1
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
