"""The chart-entry pane: encounter header, diagnosis list, procedure lines and live findings.

The pane keeps the encounter as its JSON document (the encounter file format); widgets edit it,
the edits engine checks it on the worker a moment after each change, and a finding's fix is
applied to the document by the core (encoder_app.edits.fixes), then shown again.
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QCompleter,
    QGridLayout,
    QGroupBox,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QListWidgetItem,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy import Engine

from encoder_app.codebook.lookup import code_titles
from encoder_app.codes import HCPCS_MODIFIER, ICD10CM
from encoder_app.edits.check import check_encounter
from encoder_app.edits.finding import Finding
from encoder_app.edits.fixes import apply_fix
from encoder_app.encounters.inpatient import diagnosis_code
from encoder_app.encounters.snapshot import EncounterFormatError, parse_encounter
from encoder_app.errors import EncoderError
from encoder_app.money import amount_text, parse_amount
from encoder_app.practice.fee_schedule import load_fee_schedule
from encoder_app.practice.setup import load_practice
from encoder_app.practice.types import FeeSchedule
from ui.chart.diagnosis_list import LABEL_ROLE, DiagnosisList
from ui.chart.findings_panel import FindingsPanel
from ui.chart.inpatient import DrgPanel, InpatientFields, StayGrouping
from ui.errors import field_line, one_line
from ui.worker import OperationRunner

LINE_COLUMNS = ["Code", "Mod 1", "Mod 2", "Mod 3", "Mod 4", "Units", "Charge", "Pointers",
                "Date"]
#: The Date column: the day an inpatient procedure was performed, shown for a stay only.
DATE_COLUMN = LINE_COLUMNS.index("Date")
#: The fields a line's cells show; any other field of a line is kept as it came.
_LINE_KEYS = ("code", "modifiers", "units", "charge", "diagnosis_pointers", "date")
CHECK_DELAY_MS = 200


def empty_document(day: dt.date | None = None) -> dict:
    return {"date_of_service": (day or dt.date.today()).isoformat(), "setting": "practitioner",
            "place_of_service": "11", "patient": {"name": "", "sex": "", "birth_date": ""},
            "provider": {"name": "", "npi": ""}, "diagnoses": [], "procedures": []}


def diagnosis_label(entry, titles: dict[str, str]) -> str:
    """"E11.9  title"; an inpatient diagnosis ({"code", "poa"}) ends with its POA."""
    code = diagnosis_code(entry)
    poa = entry.get("poa") if isinstance(entry, dict) else None
    title = titles.get(code, "(not a code in the loaded releases)")
    return f"{code}  {title}" + (f"  (POA {poa})" if poa else "")


class ChartPane(QWidget):
    code_opened = Signal(str, str)  # system, code: the coder picked a line's code
    changed = Signal()  # the document changed (autosave listens)
    loaded = Signal()  # another document was loaded (not a change to save)

    def __init__(self, engine: Engine, runner: OperationRunner, parent: QWidget | None = None):
        super().__init__(parent)
        self.engine = engine
        self.runner = runner
        self.document = empty_document()
        self._loading = False
        self.check_seq = 0
        self._timer = QTimer(self, singleShot=True, interval=CHECK_DELAY_MS)
        self._timer.timeout.connect(self.run_check)
        self._fees: FeeSchedule | None = None
        # Why the codes are read only for the user signed in (a front desk), else None.
        self.codes_locked: str | None = None
        self._build()
        self.practice_changed()
        self.load_document(self.document)

    # -- layout ----------------------------------------------------------------------------
    def _build(self) -> None:
        self.fields: dict[str, QLineEdit | QComboBox] = {}
        header = QGroupBox("Encounter")
        grid = QGridLayout(header)
        specs = [("patient.name", "Patient", 0, 0), ("patient.sex", "Sex", 0, 2),
                 ("patient.birth_date", "Birth date", 1, 0),
                 ("date_of_service", "Date of service", 1, 2),
                 ("provider.name", "Provider", 2, 0), ("provider.npi", "NPI", 2, 2),
                 ("place_of_service", "Place of service", 3, 0), ("setting", "Setting", 3, 2),
                 ("payer", "Payer", 4, 0), ("patient.member_id", "Member ID", 4, 2),
                 ("amount_paid", "Paid at visit", 5, 2)]
        for key, label, row, col in specs:
            if key == "patient.sex":
                widget = QComboBox()
                widget.addItems(["", "F", "M", "U"])
                widget.currentTextChanged.connect(self._edited)
            elif key == "setting":
                widget = QComboBox()
                widget.addItems(["practitioner", "outpatient_hospital", "inpatient"])
                widget.currentTextChanged.connect(self._edited)
            else:
                widget = QLineEdit()
                if "date" in key:
                    widget.setPlaceholderText("YYYY-MM-DD")
                elif key == "amount_paid":
                    widget.setPlaceholderText("0.00")
                widget.textEdited.connect(self._edited)
            grid.addWidget(QLabel(label), row, col)
            grid.addWidget(widget, row, col + 1)
            self.fields[key] = widget
        grid.setColumnStretch(1, 3)
        grid.setColumnStretch(3, 2)

        self.inpatient = InpatientFields()
        self.inpatient.edited.connect(self._stay_edited)
        self.diagnoses = DiagnosisList()
        self.diagnoses.moved.connect(self.move_diagnosis_to)
        self.diagnoses.poa_typed.connect(self.set_poa)
        self.diagnoses.itemActivated.connect(
            lambda item: self.code_opened.emit(
                "icd10cm", diagnosis_code(item.data(Qt.ItemDataRole.UserRole))))
        dx_box = QGroupBox("Diagnoses (first-listed first; drag or Ctrl+Up/Down to reorder)")
        dx_layout = QVBoxLayout(dx_box)
        dx_layout.addWidget(self.diagnoses)

        self.lines = QTableWidget(0, len(LINE_COLUMNS))
        self.lines.setHorizontalHeaderLabels(LINE_COLUMNS)
        self.lines.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        # A whole date, not "2026-0...", and a whole 7-character PCS code, not "30233...": the
        # date and code columns take their text's width.
        for column in (0, DATE_COLUMN):
            self.lines.horizontalHeader().setSectionResizeMode(
                column, QHeaderView.ResizeMode.ResizeToContents)
        self.lines.verticalHeader().setDefaultSectionSize(24)
        self.lines.itemChanged.connect(self._line_cell_changed)
        self._line_triggers = self.lines.editTriggers()  # Qt's, restored when unlocked
        add_line = QPushButton("Add line")
        add_line.clicked.connect(lambda: self.add_code("", ""))
        self.add_line_button = add_line
        px_box = QGroupBox("Procedure lines")
        px_layout = QVBoxLayout(px_box)
        px_layout.addWidget(self.lines)
        px_layout.addWidget(add_line, alignment=Qt.AlignmentFlag.AlignLeft)

        self.findings_panel = FindingsPanel()
        self.findings_panel.fix_requested.connect(self.apply_fix)

        self.drg_panel = DrgPanel()
        self.stay = StayGrouping(self)
        split = QSplitter(Qt.Orientation.Vertical)
        for box in (dx_box, px_box, self.findings_panel, self.drg_panel):
            split.addWidget(box)
        split.setSizes([220, 200, 260, 90])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(header)
        self.locked_note = QLabel()
        self.locked_note.setWordWrap(True)
        self.locked_note.setStyleSheet("font-weight: 600; padding: 2px 4px")
        self.locked_note.hide()
        layout.addWidget(self.locked_note)
        layout.addWidget(self.inpatient)
        layout.addWidget(split, 1)

        for keys, slot in (("Ctrl+Up", lambda: self.move_diagnosis(-1)),
                           ("Ctrl+Down", lambda: self.move_diagnosis(1)),
                           ("Delete", self.remove_selected),
                           ("Ctrl+Return", self.findings_panel.request_fix)):
            shortcut = QShortcut(QKeySequence(keys), self)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(slot)

    # -- the practice ----------------------------------------------------------------------
    def fee_schedule(self) -> FeeSchedule:
        if self._fees is None:
            self._fees = load_fee_schedule(self.engine)
        return self._fees

    def practice_changed(self) -> None:
        """The practice set-up or fees changed: new default charges, payer and provider names
        offered as the coder types (choosing a provider fills the NPI)."""
        self._fees = None
        practice = load_practice(self.engine)
        self._providers = {p.name: p.npi for p in practice.providers} if practice else {}
        payers = [p.name for p in practice.payers] if practice else []
        self.fields["payer"].setCompleter(QCompleter(payers, self) if payers else None)
        completer = QCompleter(list(self._providers), self) if self._providers else None
        if completer is not None:
            completer.activated.connect(self._provider_chosen)
        self.fields["provider.name"].setCompleter(completer)

    def _provider_chosen(self, name: str) -> None:
        npi = self._providers.get(name)
        if npi:
            self.fields["provider.npi"].setText(npi)
            self._edited()

    # -- document <-> widgets --------------------------------------------------------------
    def load_document(self, document: dict) -> None:
        self._loading = True
        try:
            self.document = document
            for key, widget in self.fields.items():
                value = document
                for part in key.split("."):
                    value = (value or {}).get(part, "") if isinstance(value, dict) else ""
                text = "" if value is None else str(value)
                if key == "amount_paid":
                    text = amount_text(value)  # 25.5 in the file reads 25.50
                if isinstance(widget, QComboBox):
                    widget.setCurrentText(text)
                else:
                    widget.setText(text)
                    widget.setCursorPosition(0)  # show the start of a long name
            self.inpatient.load(document)
            self._show_stay(document.get("setting") == "inpatient")
            if self.inpatient.isVisibleTo(self) and not document.get("date_of_service"):
                self.fields["date_of_service"].setText(str(document.get("discharge_date") or ""))
            self.diagnoses.clear()
            entries = document.get("diagnoses", [])
            titles = self._titles([diagnosis_code(e) for e in entries])
            for row, entry in enumerate(entries):
                label = diagnosis_label(entry, titles)
                item = QListWidgetItem(f"{row + 1}. {label}")
                item.setData(Qt.ItemDataRole.UserRole, entry)
                item.setData(LABEL_ROLE, label)  # the row's words before any CC/MCC badge
                self.diagnoses.addItem(item)
            self.lines.setRowCount(0)
            for line in document.get("procedures", []):
                self._append_line_row(line)
        finally:
            self._loading = False
        self.schedule_check()
        self.loaded.emit()

    def _titles(self, codes: list[str]) -> dict[str, str]:
        """The diagnoses' titles on the date of service, in one query for the whole list."""
        try:
            return code_titles(self.engine, codes, ICD10CM, self._date())
        except EncoderError:
            return {}


    def _append_line_row(self, line: dict) -> None:
        row = self.lines.rowCount()
        self.lines.insertRow(row)
        modifiers = list(line.get("modifiers", [])) + [""] * 4
        charge = line.get("charge")
        values = [line.get("code", ""), *modifiers[:4], str(line.get("units", 1)),
                  amount_text(charge),
                  ",".join(str(p) for p in line.get("diagnosis_pointers", [])),
                  str(line.get("date") or "")]
        for col, value in enumerate(values):
            self.lines.setItem(row, col, QTableWidgetItem(value))
        # The line's other fields (an inpatient procedure's date) ride on its code cell.
        self.lines.item(row, 0).setData(Qt.ItemDataRole.UserRole, {
            k: v for k, v in line.items() if k not in _LINE_KEYS})

    def date_of_service(self) -> dt.date | None:
        return self._date()

    def _date(self) -> dt.date | None:
        """The date codes are judged on: the date of service, which for an inpatient stay is
        its discharge date (a stay's file may give only that)."""
        doc = self.document
        day = doc.get("date_of_service") or (
            doc.get("discharge_date") if doc.get("setting") == "inpatient" else "")
        try:
            return dt.date.fromisoformat(str(day or ""))
        except ValueError:
            return None

    def document_from_widgets(self) -> dict:
        doc = dict(self.document)  # unknown fields stay
        doc["patient"] = dict(doc.get("patient") or {})
        doc["provider"] = dict(doc.get("provider") or {})
        for key, widget in self.fields.items():
            text = widget.currentText() if isinstance(widget, QComboBox) else widget.text()
            target, _, name = key.rpartition(".")
            (doc[target] if target else doc)[name] = text.strip()
        self.inpatient.fill(doc)
        doc["diagnoses"] = [self.diagnoses.item(r).data(Qt.ItemDataRole.UserRole)
                            for r in range(self.diagnoses.count())]
        lines = []
        for row in range(self.lines.rowCount()):
            cell = [(self.lines.item(row, c).text().strip() if self.lines.item(row, c) else "")
                    for c in range(len(LINE_COLUMNS))]
            kept = self.lines.item(row, 0).data(Qt.ItemDataRole.UserRole) \
                if self.lines.item(row, 0) else None
            line = {**(kept or {}), "code": cell[0].upper(),
                    "modifiers": [m.upper() for m in cell[1:5] if m]}
            line["units"] = int(cell[5]) if cell[5].isdigit() else cell[5] or 1
            line["charge"] = cell[6] or None  # read (or named as wrong) by the core
            line["diagnosis_pointers"] = [int(p) if p.strip().isdigit() else p.strip()
                                          for p in cell[7].split(",") if p.strip()]
            if cell[DATE_COLUMN]:  # read (or named as not a date) by the core
                line["date"] = cell[DATE_COLUMN]
            lines.append(line)
        doc["procedures"] = lines
        return doc

    # -- editing ---------------------------------------------------------------------------
    def _edited(self, *_args) -> None:
        if self._loading:
            return
        self.document = self.document_from_widgets()
        self._show_stay(self.document.get("setting") == "inpatient")
        self.changed.emit()
        self.schedule_check()

    def _show_stay(self, inpatient: bool) -> None:
        """The stay's fields, its DRG panel and the procedure Date column, for a stay only."""
        self.inpatient.setVisible(inpatient)
        self.drg_panel.setVisible(inpatient)
        self.lines.setColumnHidden(DATE_COLUMN, not inpatient)

    def _stay_edited(self) -> None:
        """The discharge date is the stay's date of service: the header's date follows it."""
        discharged = self.inpatient.discharge.text().strip()
        if discharged:
            self.fields["date_of_service"].setText(discharged)
        self._edited()

    def set_poa(self, row: int, poa: str) -> None:
        """Y, N, U, W or 1 typed on a diagnosis of an inpatient stay: its present-on-admission
        indicator."""
        if self.codes_locked:
            return
        doc = self.document_from_widgets()
        if doc.get("setting") != "inpatient" or not 0 <= row < len(doc["diagnoses"]):
            return
        doc["diagnoses"][row] = {"code": diagnosis_code(doc["diagnoses"][row]), "poa": poa}
        self.load_document(doc)
        self.diagnoses.setCurrentRow(row)
        self.changed.emit()

    def _line_cell_changed(self, item: QTableWidgetItem) -> None:
        if not self._loading and item.column() <= 4:  # the code or a modifier
            self._reprice(item.row())
        self._edited()

    def _reprice(self, row: int) -> None:
        """The line's charge follows the fee schedule while it is at the schedule's price
        (``FeeSchedule.charge_after_edit``)."""
        before = self.document.get("procedures", [])
        if row >= len(before):
            return
        old = before[row]
        cells = [self.lines.item(row, c).text().strip() if self.lines.item(row, c) else ""
                 for c in range(5)]
        try:
            old_charge = (parse_amount(old["charge"]) if old.get("charge") not in (None, "")
                          else None)
        except ValueError:
            return  # a charge typed wrong stays for the coder to mend
        charge = self.fee_schedule().charge_after_edit(
            old.get("code", ""), old.get("modifiers", []), old_charge,
            cells[0], [m for m in cells[1:5] if m])
        if charge is None:
            return
        self._loading = True
        try:
            self.lines.setItem(row, 6, QTableWidgetItem(f"{charge:.2f}"))
        finally:
            self._loading = False

    def lock_codes(self, reason: str | None) -> None:
        """Codes, lines and fixes read only (``reason`` says why, above them), or editable
        again (None). The patient and visit fields stay editable: the front desk keeps them."""
        self.codes_locked = reason
        self.locked_note.setText(f"Codes are read only: {reason}." if reason else "")
        self.locked_note.setVisible(bool(reason))
        self.lines.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers if reason
                                   else self._line_triggers)
        self.add_line_button.setEnabled(not reason)
        self.diagnoses.setDragEnabled(not reason)

    def add_code(self, system: str, code: str, units: int = 1) -> None:
        """Assign a code: diagnoses for ICD-10-CM, a new procedure line otherwise (with the
        units a searched dose implied)."""
        if self.codes_locked:
            return
        doc = self.document_from_widgets()
        if system == "icd10cm":
            if code not in [diagnosis_code(d) for d in doc["diagnoses"]]:
                doc["diagnoses"].append(code)
        else:
            pointers = list(range(1, min(4, len(doc["diagnoses"])) + 1))
            fee = self.fee_schedule().fee_for(code)  # the practice's own charge, by default
            doc["procedures"].append({"code": code, "modifiers": [], "units": units,
                                      "diagnosis_pointers": pointers,
                                      "charge": None if fee is None else f"{fee:.2f}"})
        self.load_document(doc)
        self.changed.emit()

    def move_diagnosis(self, step: int) -> None:
        row = self.diagnoses.currentRow()
        self.move_diagnosis_to(row, row + step)

    def move_diagnosis_to(self, row: int, target: int) -> None:
        """Resequence: the diagnosis at ``row`` becomes number ``target + 1``; pointers follow."""
        if self.codes_locked:
            return
        if row < 0 or not 0 <= target < self.diagnoses.count() or row == target:
            return
        self.load_document(apply_fix(self.document_from_widgets(),
                                     {"action": "move_diagnosis", "from": row, "to": target}))
        self.diagnoses.setCurrentRow(target)
        self.changed.emit()

    def remove_selected(self) -> None:
        if self.codes_locked:
            return
        doc = self.document_from_widgets()
        if self.diagnoses.hasFocus() and self.diagnoses.currentRow() >= 0:
            doc = apply_fix(doc, {"action": "remove_diagnosis",
                                  "index": self.diagnoses.currentRow()})
        elif self.lines.hasFocus() and self.lines.currentRow() >= 0:
            doc = apply_fix(doc, {"action": "remove_line", "line": self.lines.currentRow() + 1})
        else:
            return
        self.load_document(doc)
        self.changed.emit()

    # -- findings --------------------------------------------------------------------------
    def schedule_check(self) -> None:
        self._timer.start()

    def run_check(self) -> None:
        self.check_seq += 1
        seq, doc, engine = self.check_seq, self.document_from_widgets(), self.engine
        if not doc["diagnoses"] and not doc["procedures"]:
            self._show_findings(seq, [])  # nothing coded yet: nothing to say
            self.findings_panel.summary.setText("Add codes: Enter on a search result")
            return

        def work():
            try:
                return check_encounter(engine, parse_encounter(doc, "this encounter"))
            except EncounterFormatError as exc:
                return [Finding("encounter.field", "error", (), field_line(exc),
                                "Encounter form")]

        if doc.get("setting") == "inpatient":
            self.stay.regroup(seq, doc)
        else:
            self.stay.show_procedure_marks(None)  # a visit's lines have no O.R. marks
        op = self.runner.run("Checking", work, dialog=False)
        op.finished.connect(lambda findings: self._show_findings(seq, findings))
        op.failed.connect(lambda text: self._show_findings(seq, [Finding(
            "encounter.check_failed", "error", (), f"The edits could not run: {text}",
            "Edits engine")]))

    def _show_findings(self, seq: int, findings: list[Finding]) -> None:
        if seq == self.check_seq:  # else a newer check is on its way
            self.findings_panel.show_findings(findings)

    def _choice_labels(self, fix: dict) -> list[str]:
        """A fix's choices as the coder reads them, "W11.XXXA  Fall on and from ladder, initial
        encounter": bare codes are not enough to pick one. The titles come in one query for
        all (a header's fix may offer a hundred codes), a few ms here on the window's thread."""
        choices = fix["choices"]
        system = HCPCS_MODIFIER if fix.get("action") == "add_modifier" else ICD10CM
        try:
            titles = code_titles(self.engine, choices, system, self.date_of_service())
        except EncoderError:
            titles = {}
        return [f"{code}  {titles[code]}" if code in titles else code for code in choices]

    def apply_fix(self, finding: Finding) -> None:
        """Apply a finding's fix to the encounter; where it offers several codes, the coder
        picks one (each shown with its title)."""
        if self.codes_locked:
            self.findings_panel.summary.setText(f"Not applied: {self.codes_locked}")
            return
        choice = None
        choices = finding.fix.get("choices")
        if choices and len(choices) > 1:
            labels = self._choice_labels(finding.fix)
            label, ok = QInputDialog.getItem(self, "Apply fix", finding.message, labels, 0, False)
            if not ok:
                return
            choice = choices[labels.index(label)]  # the code, not the words shown with it
        try:
            doc = apply_fix(self.document_from_widgets(), finding.fix, choice)
        except EncoderError as exc:
            self.findings_panel.summary.setText(one_line(exc))
            return
        self.load_document(doc)
        self.changed.emit()
