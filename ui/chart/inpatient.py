"""The inpatient side of the chart pane: the stay's fields and the MS-DRG panel.

Shown when the encounter's setting is "inpatient". The stay's fields (admission date, discharge
date, discharge status) sit under the encounter header; the discharge date is the stay's date of
service, so the header's date follows it. The DRG panel shows what the grouper of the discharge
date makes of the stay as the coder works (regrouped on the worker after each change, like the
findings): the DRG, its title, MDC, severity and the grouper version, or what is missing before
it can group. Each diagnosis row then carries its CC/MCC level (ChartPane.show_levels).
The grouping itself is the core's (encoder_app.grouping); this only shows it.
"""

from __future__ import annotations

import html

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QGroupBox,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from encoder_app.encounters.inpatient import DISCHARGE_STATUSES
from encoder_app.encounters.snapshot import EncounterFormatError, parse_encounter
from encoder_app.errors import EncoderError
from encoder_app.grouping import DrgResult, group_encounter
from encoder_app.grouping.what_if import WhatIf, what_if
from ui.chart.diagnosis_list import LABEL_ROLE
from ui.errors import field_line

FIELDS = ("admission_date", "discharge_date", "discharge_status")


class InpatientFields(QGroupBox):
    """Admission date, discharge date and discharge status of a stay."""

    edited = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__("Inpatient stay", parent)
        grid = QGridLayout(self)
        self.admission = QLineEdit()
        self.discharge = QLineEdit()
        for box in (self.admission, self.discharge):
            box.setPlaceholderText("YYYY-MM-DD")
            box.textEdited.connect(lambda *_: self.edited.emit())
        self.status = QComboBox()
        self.status.addItem("", "")
        for code, meaning in DISCHARGE_STATUSES.items():
            self.status.addItem(f"{code} {meaning}", code)
        self.status.currentIndexChanged.connect(lambda *_: self.edited.emit())
        grid.addWidget(QLabel("Admitted"), 0, 0)
        grid.addWidget(self.admission, 0, 1)
        grid.addWidget(QLabel("Discharged"), 0, 2)
        grid.addWidget(self.discharge, 0, 3)
        grid.addWidget(QLabel("Discharge status"), 1, 0)
        grid.addWidget(self.status, 1, 1, 1, 3)

    def load(self, document: dict) -> None:
        self.admission.setText(str(document.get("admission_date") or ""))
        self.discharge.setText(str(document.get("discharge_date") or ""))
        found = self.status.findData(str(document.get("discharge_status") or ""))
        self.status.setCurrentIndex(max(found, 0))
        self.setVisible(document.get("setting") == "inpatient")

    def fill(self, doc: dict) -> None:
        """The stay's fields into ``doc``: only on an inpatient encounter, and only those given
        (an office visit's file gets no empty inpatient keys)."""
        for key in FIELDS:
            doc.pop(key, None)
        if doc.get("setting") != "inpatient":
            return
        values = {"admission_date": self.admission.text().strip(),
                  "discharge_date": self.discharge.text().strip(),
                  "discharge_status": self.status.currentData() or ""}
        doc.update({k: v for k, v in values.items() if v})
        if values["discharge_date"]:
            doc["date_of_service"] = values["discharge_date"]  # the stay's date of service


class DrgPanel(QGroupBox):
    """The MS-DRG of the stay as it stands."""

    what_if_requested = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__("MS-DRG", parent)
        grid = QGridLayout(self)
        self.drg = QLabel()
        self.drg.setWordWrap(True)
        self.details = QLabel()
        self.details.setWordWrap(True)
        self.what_if = QPushButton("What if…")
        self.what_if.setToolTip("Regroup with each secondary diagnosis as principal and without "
                                "each CC or MCC: which code carries the DRG")
        self.what_if.clicked.connect(self.what_if_requested.emit)
        grid.addWidget(self.drg, 0, 0)
        grid.addWidget(self.what_if, 0, 1)
        grid.addWidget(self.details, 1, 0, 1, 2)
        grid.setColumnStretch(0, 1)
        self.result: DrgResult | None = None
        self.show_message("Add the principal diagnosis, the dates and the discharge status")

    def show_message(self, text: str) -> None:
        self.result = None
        self.what_if.setEnabled(False)
        self.drg.setText(f"<i>{html.escape(text)}</i>")
        self.details.setText("")

    def show_result(self, result: DrgResult) -> None:
        self.result = result
        self.what_if.setEnabled(result.ok and len(result.diagnoses) > 1)
        if not result.ok:
            self.drg.setText(f"<b>DRG {result.drg or 999}</b> ungroupable: "
                             f"{html.escape(result.problem or '')}")
        else:
            self.drg.setText(f"<b>DRG {result.drg:03d}</b> {html.escape(result.title)}")
        severity = {"MCC": "with MCC", "CC": "with CC"}.get(result.severity, "no CC or MCC")
        self.details.setText(
            f"MDC {result.mdc or '-'} {html.escape(result.mdc_title)}<br>"
            f"Severity: {severity}. Grouper and MCE v{result.grouper_version} "
            f"(FY{result.fiscal_year}), age {result.age} at admission")


def level_badge(entry_level: str, excluded: bool, drove: bool) -> str:
    """A diagnosis row's badge: "MCC", "CC" (and whether it drove the DRG or the principal
    excludes it); "" for a code that is neither."""
    if entry_level not in ("MCC", "CC"):
        return ""
    if excluded:
        return f"[{entry_level} excluded by the principal]"
    return f"[{entry_level}{', drove the DRG' if drove else ''}]"


def procedure_mark(operating_room: bool | None, affected_drg: bool) -> tuple[str, str]:
    """A procedure line's row-header mark and its tooltip: "O.R." for an operating-room
    procedure (the grouper's own logic, encoder_app/grouping/operating_room.py)."""
    status = {True: "an O.R. procedure", False: "not an O.R. procedure",
              None: "O.R. status not known (a pre-MDC or unknown code)"}[operating_room]
    drg = "it affected the DRG" if affected_drg else "it did not affect the DRG"
    return ("O.R." if operating_room else ""), f"{status}; {drg}"


class WhatIfDialog(QDialog):
    """The stay regrouped: each secondary diagnosis as principal, each CC/MCC left out."""

    def __init__(self, rows: list[WhatIf], current: DrgResult, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(f"What if: MS-DRG {current.drg:03d} now")
        self.resize(760, 360)
        self.table = QTableWidget(len(rows), 4)
        self.table.setHorizontalHeaderLabels(["If", "MS-DRG", "Title", "Compared with now"])
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        for col in (0, 1, 3):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
        for row, found in enumerate(rows):
            label = (f"{found.code} as principal" if found.kind == "as principal"
                     else f"without {found.code}")
            change = "different DRG" if found.changes(current) else "same DRG"
            cells = [label, f"{found.result.drg:03d}", found.result.title, change]
            for col, text in enumerate(cells):
                self.table.setItem(row, col, QTableWidgetItem(text))
        note = QLabel("The principal diagnosis is the condition established after study to be "
                      "chiefly responsible for the admission (Official Guidelines, Section II): "
                      "this shows what rides on each code, it does not choose.")
        note.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)
        layout.addWidget(note)
        layout.addWidget(buttons)


class StayGrouping(QObject):
    """The chart's stay regrouped on the worker after each change, and shown: the DRG panel,
    each diagnosis's CC/MCC badge, and the What if… dialog."""

    def __init__(self, chart):
        super().__init__(chart)
        self.chart = chart
        self.what_if_dialog: WhatIfDialog | None = None
        self._marked = False  # procedure rows carry grouping marks now
        chart.drg_panel.what_if_requested.connect(self.show_what_if)

    def regroup(self, seq: int, doc: dict) -> None:
        """Group the stay (a fraction of a millisecond, plus the parse); a newer check's
        ``seq`` makes this one's answer stale."""
        def work():
            try:
                # The findings run the MCE, traced to its codes: not again here.
                return group_encounter(parse_encounter(doc, "this encounter"), with_mce=False)
            except EncounterFormatError as exc:
                return field_line(exc)
            except (EncoderError, ValueError) as exc:
                return str(exc)

        op = self.chart.runner.run("Grouping", work, dialog=False)
        op.finished.connect(lambda result: self._show(seq, result))
        op.failed.connect(lambda text: self._show(seq, text))

    def _show(self, seq: int, result: DrgResult | str) -> None:
        if seq != self.chart.check_seq:
            return  # a newer regroup is on its way
        if isinstance(result, str):
            self.chart.drg_panel.show_message(result)
            self.show_levels(None)
        else:
            self.chart.drg_panel.show_result(result)
            self.show_levels(result)
        self.show_procedure_marks(None if isinstance(result, str) else result)

    def show_levels(self, result: DrgResult | None) -> None:
        """Each diagnosis row with its CC/MCC badge from the grouping (none without one)."""
        levels = {d.position - 1: d for d in result.diagnoses} if result else {}
        rows = self.chart.diagnoses
        for row in range(rows.count()):
            item = rows.item(row)
            label = item.data(LABEL_ROLE)  # set when the list was filled: no query per regroup
            found = levels.get(row)
            badge = "" if found is None or found.principal else level_badge(
                found.level, found.excluded, found.drove_drg)
            item.setText(f"{row + 1}. {label}" + (f"  {badge}" if badge else ""))

    def show_procedure_marks(self, result: DrgResult | None) -> None:
        """Each procedure line's row header: its number, and "O.R." for an operating-room
        procedure, with what it did to the DRG as the tooltip (the code cell stays the code)."""
        found = {p.line - 1: p for p in result.procedures} if result else {}
        if not found and not self._marked:
            return  # an office visit checked on every keystroke: nothing to put or take off
        self._marked = bool(found)
        lines = self.chart.lines
        for row in range(lines.rowCount()):
            mark, tip = ("", "")
            if row in found:
                mark, tip = procedure_mark(found[row].operating_room, found[row].affected_drg)
            header = QTableWidgetItem(f"{row + 1} {mark}".strip())
            header.setToolTip(tip)
            lines.setVerticalHeaderItem(row, header)

    def show_what_if(self) -> None:
        """The DRG panel's What if…: the variants regrouped on the worker, then shown."""
        doc, current = self.chart.document_from_widgets(), self.chart.drg_panel.result
        if current is None:
            return
        op = self.chart.runner.run(
            "Regrouping the variants",
            lambda: what_if(parse_encounter(doc, "this encounter"), current), dialog=False)
        op.finished.connect(lambda rows: self._open_what_if(rows, current))
        op.failed.connect(lambda text: self.chart.drg_panel.show_message(text))

    def _open_what_if(self, rows: list[WhatIf], current: DrgResult) -> None:
        self.what_if_dialog = WhatIfDialog(rows, current, self.chart)
        self.what_if_dialog.open()
