"""Superbills from the window: the open encounter's filled superbill (print, save, open), the
blank check-off form of a pick list, and the day sheet dialog.

Before a filled superbill leaves the window the encounter is checked once more; if an error
remains the coder is asked first (the PDF prints the open findings in a warning box too).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QInputDialog, QMessageBox, QWidget
from sqlalchemy import Engine

from encoder_app.edits.check import check_encounter
from encoder_app.encounters.pick_lists import list_pick_lists
from encoder_app.encounters.snapshot import EncounterFormatError, EncounterSnapshot, parse_encounter
from encoder_app.reports.superbill_data import blank_superbill_pdf, open_errors, superbill_pdf
from ui.chart_pane import ChartPane
from ui.pdf_actions import PdfActions
from ui.worker import OperationRunner


def superbill_file_name(snapshot: EncounterSnapshot) -> str:
    """superbill-2026-05-01-jose-nunez.pdf: sorts by date in a folder, names who it is for."""
    name = re.sub(r"[^\w]+", "-", snapshot.patient.name.casefold(), flags=re.UNICODE).strip("-")
    day = snapshot.date_of_service.isoformat() if snapshot.date_of_service else "undated"
    return f"superbill-{day}{'-' + name if name else ''}.pdf"


class SuperbillActions(QObject):
    message = Signal(str)

    def __init__(self, engine: Engine, runner: OperationRunner, chart: ChartPane,
                 parent: QWidget):
        super().__init__(parent)
        self.engine, self.chart, self.window = engine, chart, parent
        self.pdf = PdfActions(runner, parent)
        self.pdf.message.connect(self.message)

    # -- the open encounter ----------------------------------------------------------------
    def _ready_snapshot(self) -> EncounterSnapshot | None:
        """The encounter as typed, or None after telling the coder which field is wrong or
        that they chose not to print with errors open."""
        try:
            snapshot = parse_encounter(self.chart.document_from_widgets(), "this encounter")
        except EncounterFormatError as exc:
            QMessageBox.warning(self.window, "Superbill",
                                f"Fix this field first: {exc.path}: {exc.problem}")
            return None
        if not snapshot.diagnoses and not snapshot.procedures:
            QMessageBox.information(self.window, "Superbill",
                                    "The encounter has no codes yet: nothing to bill.")
            return None
        errors = open_errors(check_encounter(self.engine, snapshot))
        if errors:
            shown = "\n".join(f"• {f.message}" for f in errors[:6])
            more = f"\n…and {len(errors) - 6} more" if len(errors) > 6 else ""
            answer = QMessageBox.question(
                self.window, "Errors remain",
                f"{len(errors)} error{'s' if len(errors) != 1 else ''} still open on this "
                f"encounter:\n\n{shown}{more}\n\nThe superbill will list them in a warning "
                "box. Print it anyway?",
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                QMessageBox.StandardButton.No)
            if answer != QMessageBox.StandardButton.Yes:
                self.message.emit("Superbill not made: errors remain on the encounter")
                return None
        return snapshot

    def _maker(self, snapshot: EncounterSnapshot) -> Callable[[], bytes]:
        engine = self.engine
        return lambda: superbill_pdf(engine, snapshot)

    def print_superbill(self) -> None:
        snapshot = self._ready_snapshot()
        if snapshot is not None:
            self.pdf.print(self._maker(snapshot), superbill_file_name(snapshot))

    def save_superbill(self, path: str | None = None) -> None:
        snapshot = self._ready_snapshot()
        if snapshot is not None:
            self.pdf.save(self._maker(snapshot), superbill_file_name(snapshot), path)

    def open_superbill(self) -> None:
        snapshot = self._ready_snapshot()
        if snapshot is not None:
            self.pdf.open(self._maker(snapshot), superbill_file_name(snapshot))

    # -- forms and reports -----------------------------------------------------------------
    def save_blank_form(self, name: str | None = None, path: str | None = None) -> None:
        """The printed check-off form of a pick list, to fill in by hand."""
        if name is None:
            names = list_pick_lists(self.engine)
            name, ok = QInputDialog.getItem(self.window, "Blank superbill",
                                            "Pick list:", names, 0, False)
            if not ok or not name:
                return
        engine = self.engine
        slug = re.sub(r"[^\w]+", "-", name.casefold()).strip("-")
        self.pdf.save(lambda: blank_superbill_pdf(engine, name), f"superbill-form-{slug}.pdf",
                      path)

    def show_daysheet(self, start: dt.date | None = None, end: dt.date | None = None):
        from ui.daysheet_dialog import DaySheetDialog

        dialog = DaySheetDialog(self.engine, self.pdf, self.window, start, end)
        dialog.open()
        return dialog
