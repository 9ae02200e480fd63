"""Save, print or open a PDF the core made: superbills, check-off forms, day sheets.

The PDF is made on the worker (a long day sheet must not freeze the window), then saved where
the coder chose, handed to the system printer chosen in the system print dialog, or opened in
the PDF viewer. Writing and spooling are core services (``encoder_app.files``,
``encoder_app.print_spool``); this module only asks and shows.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import QDialog, QFileDialog, QWidget

from encoder_app.errors import EncoderError
from encoder_app.file_modes import write_private
from encoder_app.print_spool import send_to_printer
from encoder_app.settings import data_dir
from ui.errors import show_error
from ui.worker import OperationRunner

MakePdf = Callable[[], bytes]


def printouts_dir() -> Path:
    """Where PDFs made for printing or viewing are kept (the latest copy of each name)."""
    folder = data_dir() / "printouts"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


class PdfActions(QObject):
    """One instance per window; every action reports through ``message``."""

    message = Signal(str)
    written = Signal(str)  # the path of each PDF written (tests and the status bar listen)

    def __init__(self, runner: OperationRunner, parent: QWidget):
        super().__init__(parent)
        self.runner, self.window = runner, parent

    def _make(self, label: str, make: MakePdf, then: Callable[[bytes], None]) -> None:
        op = self.runner.run(label, make, self.window)
        op.finished.connect(then)
        op.failed.connect(lambda text: show_error(self.window, label, text))

    def _write(self, path: Path, data: bytes) -> bool:
        try:
            write_private(path, data)  # 0600: superbills and day sheets are patient data
        except EncoderError as exc:
            show_error(self.window, "Save PDF", exc)
            return False
        self.written.emit(str(path))
        return True

    def save(self, make: MakePdf, suggested: str, path: str | None = None) -> None:
        """Ask where (unless given), then make and write the PDF."""
        if path is None:
            path, _ = QFileDialog.getSaveFileName(self.window, "Save PDF",
                                                  str(Path.home() / suggested), "PDF (*.pdf)")
        if not path:
            return
        target = Path(path if path.lower().endswith(".pdf") else f"{path}.pdf")

        def done(data: bytes) -> None:
            if self._write(target, data):
                self.message.emit(f"Saved {target}")

        self._make("Making the PDF", make, done)

    def open(self, make: MakePdf, name: str) -> None:
        """Make the PDF and open it in the system PDF viewer (to read, or print from there)."""
        target = printouts_dir() / name

        def done(data: bytes) -> None:
            if self._write(target, data):
                QDesktopServices.openUrl(QUrl.fromLocalFile(str(target)))
                self.message.emit(f"Opened {target.name}")

        self._make("Making the PDF", make, done)

    def print(self, make: MakePdf, name: str) -> None:
        """The system print dialog first (printer, copies, or print to a PDF file); then the
        PDF goes to that printer's queue as ReportLab drew it, so paper matches the saved PDF."""
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setDocName(name)
        dialog = QPrintDialog(printer, self.window)
        dialog.setWindowTitle(f"Print {name}")
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        out_name = printer.outputFileName()
        # "Print to file" names a file; a PDF format without one is Qt's stand-in when it
        # knows no printer, so the spooler's default printer gets the job.
        to_file = printer.outputFormat() == QPrinter.OutputFormat.PdfFormat and bool(out_name)
        queue, copies = printer.printerName(), max(1, printer.copyCount())
        target = Path(out_name) if to_file else printouts_dir() / name

        def done(data: bytes) -> None:
            if not self._write(target, data):
                return
            if to_file:
                self.message.emit(f"Printed to {target}")
                return
            try:
                reply = send_to_printer(target, queue or None, copies)
            except EncoderError as exc:
                show_error(self.window, "Print", exc)
                return
            self.message.emit(reply)

        self._make("Making the PDF", make, done)
