"""Superbills from the window: the open encounter's filled superbill (print, save, open), the
blank check-off form of a pick list, and the day sheet dialog.

Before a filled superbill leaves the window the encounter is checked once more; if an error
remains the coder is asked first (the PDF prints the open findings in a warning box too), and
if the provider typed is not the name on file for the NPI, which the superbill prints instead,
the coder is told so and asked too (the core's finding, practice/provider_names.py).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QInputDialog, QMessageBox, QWidget
from sqlalchemy import Engine

from encoder_app.edits.check import check_encounter
from encoder_app.edits.finding import Finding
from encoder_app.encounters.snapshot import EncounterFormatError, EncounterSnapshot, parse_encounter
from encoder_app.practice import provider_names
from encoder_app.practice.fee_schedule import load_fee_schedule
from encoder_app.practice.pick_lists import list_pick_lists
from encoder_app.reports.superbill_data import (
    blank_superbill_pdf,
    open_errors,
    priced_from_schedule,
    superbill_document,
)
from ui.chart.chart_pane import ChartPane
from ui.errors import show_error
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
        self.engine, self.runner, self.chart, self.window = engine, runner, chart, parent
        self.pdf = PdfActions(runner, parent)
        self.pdf.message.connect(self.message)

    # -- the open encounter ----------------------------------------------------------------
    def _when_ready(self, then: Callable[[tuple[EncounterSnapshot, list[Finding]]], None]) -> None:
        """Call ``then`` with the encounter as typed and its findings as billed (the fee
        schedule pricing the lines without a charge, as the superbill does), unless a field is
        wrong or the coder chose not to print with errors open (they are told which). The check
        runs on the worker; the PDF prints these same findings: the encounter is checked once."""
        try:
            snapshot = parse_encounter(self.chart.document_from_widgets(), "this encounter")
        except EncounterFormatError as exc:
            show_error(self.window, "Superbill: fix this field first", exc)
            return
        if not snapshot.diagnoses and not snapshot.procedures:
            QMessageBox.information(self.window, "Superbill",
                                    "The encounter has no codes yet: nothing to bill.")
            return
        engine = self.engine

        def check() -> list[Finding]:  # on the worker
            priced = priced_from_schedule(snapshot, load_fee_schedule(engine))
            return check_encounter(engine, priced)

        op = self.runner.run("Checking the encounter", check, self.window)
        op.finished.connect(lambda findings: self._checked(snapshot, findings, then))
        op.failed.connect(lambda text: show_error(
            self.window, "Superbill", f"The encounter could not be checked: {text}"))

    def _checked(self, snapshot: EncounterSnapshot, findings: list[Finding],
                 then: Callable[[tuple[EncounterSnapshot, list[Finding]]], None]) -> None:
        errors = open_errors(findings)
        # The typed provider is not the name on file for the NPI: the superbill prints the
        # name on file, and the coder hears it before, not after, the bill is made.
        provider = next((f for f in findings if f.rule == provider_names.RULE), None)
        also = f"\n\nAlso: {provider.message}" if provider else ""
        if errors:
            shown = "\n".join(f"• {f.message}" for f in errors[:6])
            more = f"\n…and {len(errors) - 6} more" if len(errors) > 6 else ""
            answer = QMessageBox.question(
                self.window, "Errors remain",
                f"{len(errors)} error{'s' if len(errors) != 1 else ''} still open on this "
                f"encounter:\n\n{shown}{more}\n\nThe superbill will list them in a warning "
                f"box.{also}\n\nPrint it anyway?",
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                QMessageBox.StandardButton.No)
            if answer != QMessageBox.StandardButton.Yes:
                self.message.emit("Superbill not made: errors remain on the encounter")
                return
        elif provider:
            answer = QMessageBox.question(
                self.window, "Provider name", f"{provider.message}\n\nMake the superbill "
                "with the name on file?",
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                QMessageBox.StandardButton.Yes)
            if answer != QMessageBox.StandardButton.Yes:
                self.message.emit("Superbill not made: the provider is not the name on file "
                                  "for the NPI")
                return
        then((snapshot, findings))

    def _maker(self, ready: tuple[EncounterSnapshot, list[Finding]]) -> Callable[[], bytes]:
        engine, (snapshot, findings) = self.engine, ready
        return lambda: superbill_document(engine, snapshot, findings)[1].data

    def print_superbill(self) -> None:
        self._when_ready(lambda ready: self.pdf.print(self._maker(ready),
                                                      superbill_file_name(ready[0])))

    def save_superbill(self, path: str | None = None) -> None:
        self._when_ready(lambda ready: self.pdf.save(self._maker(ready),
                                                     superbill_file_name(ready[0]), path))

    def open_superbill(self) -> None:
        self._when_ready(lambda ready: self.pdf.open(self._maker(ready),
                                                     superbill_file_name(ready[0])))

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
        from ui.practice.daysheet_dialog import DaySheetDialog

        dialog = DaySheetDialog(self.engine, self.pdf, self.window, start, end)
        dialog.open()
        return dialog
