"""The day sheet: encounters of a date range with their charges, totals per provider and per
day, shown in the window and printed or saved as the same PDF the command line writes."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QDateEdit,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy import Engine

from encoder_app.errors import EncoderError
from encoder_app.reports.daysheet import DaySheet
from encoder_app.reports.daysheet_data import compose_daysheet, daysheet_stamp
from encoder_app.reports.daysheet_layout import render_daysheet
from encoder_app.reports.style import dollars, money
from ui.errors import one_line
from ui.pdf_actions import PdfActions

COLUMNS = ["Date", "Patient", "Provider", "Diagnoses", "Services", "Charges"]


def _qdate(day: dt.date) -> QDate:
    return QDate(day.year, day.month, day.day)


def _date(value: QDate) -> dt.date:
    return dt.date(value.year(), value.month(), value.day())


class DaySheetDialog(QDialog):
    def __init__(self, engine: Engine, pdf: PdfActions, parent: QWidget | None = None,
                 start: dt.date | None = None, end: dt.date | None = None):
        super().__init__(parent)
        self.engine, self.pdf = engine, pdf
        self.sheet: DaySheet | None = None
        self.stamp = None  # what the sheet shown was made from (daysheet_stamp)
        self.setWindowTitle("Day sheet")
        today = dt.date.today()
        self.start = QDateEdit(_qdate(start or today), calendarPopup=True)
        self.end = QDateEdit(_qdate(end or start or today), calendarPopup=True)
        for edit in (self.start, self.end):
            edit.setDisplayFormat("yyyy-MM-dd")
            edit.dateChanged.connect(self.refresh)
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.totals = QLabel()
        self.totals.setWordWrap(True)
        self.totals.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        save = QPushButton("Save PDF…")
        save.clicked.connect(lambda: self.save_pdf())
        print_button = QPushButton("Print…")
        print_button.clicked.connect(self.print_pdf)
        close = QPushButton("Close")
        close.clicked.connect(self.reject)

        top = QHBoxLayout()
        top.addWidget(QLabel("From"))
        top.addWidget(self.start)
        top.addWidget(QLabel("to"))
        top.addWidget(self.end)
        top.addStretch(1)
        bottom = QHBoxLayout()
        bottom.addStretch(1)
        for button in (save, print_button, close):
            bottom.addWidget(button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.totals)
        layout.addLayout(bottom)
        self.resize(900, 520)
        self.refresh()

    def dates(self) -> tuple[dt.date, dt.date]:
        return _date(self.start.date()), _date(self.end.date())

    def refresh(self, *_args) -> None:
        start, end = self.dates()
        try:
            stamp = daysheet_stamp(self.engine, start, end)  # before the sheet: see _current
            sheet = compose_daysheet(self.engine, start, end)
        except EncoderError as exc:  # "from" after "to": say so, keep the last good table
            self.totals.setText(one_line(exc))
            return
        self.sheet, self.stamp = sheet, stamp
        self.table.setRowCount(len(sheet.rows))
        for r, row in enumerate(sheet.rows):
            values = [row.date_of_service.isoformat(), row.patient, row.provider,
                      ", ".join(row.diagnoses), ", ".join(row.services), money(row.charges)]
            for c, value in enumerate(values):
                item = QTableWidgetItem(value)
                if c == len(values) - 1:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight
                                          | Qt.AlignmentFlag.AlignVCenter)
                self.table.setItem(r, c, item)
        if not sheet.rows:
            self.totals.setText(f"No encounters from {start} to {end}.")
            return
        providers = "; ".join(f"{s.label} {dollars(s.charges)} ({s.encounters})"
                              for s in sheet.by_provider)
        days = len(sheet.days)
        unpriced = (f" · {sheet.unpriced_lines} line(s) have no charge or fee"
                    if sheet.unpriced_lines else "")
        self.totals.setText(f"<b>Total {dollars(sheet.grand_total)}</b> · {len(sheet.rows)} "
                            f"encounter(s) on {days} day(s){unpriced}<br>By provider: "
                            f"{providers}")

    def _maker(self):
        sheet = self.sheet  # the sheet shown (checked current first): printed as seen
        return lambda: render_daysheet(sheet).data

    def _name(self) -> str:
        start, end = self.dates()
        return f"daysheet-{start}.pdf" if start == end else f"daysheet-{start}-to-{end}.pdf"

    def _current(self) -> bool:
        """Whether the sheet shown is still what the database holds. When an encounter of
        its range, the fees or the practice were saved since (another workstation), the sheet
        is shown again and nothing is printed: what is printed is what was looked at."""
        start, end = self.dates()
        now = daysheet_stamp(self.engine, start, end)
        if now == self.stamp:
            return True
        self.refresh()
        what = now.last_change or "the fees or the practice"
        self.totals.setText(f"<b>Changed since it was shown ({what}): the sheet now shows the "
                            f"current figures. Check it, then print or save again.</b><br>"
                            f"{self.totals.text()}")
        return False

    def save_pdf(self, path: str | None = None) -> bool:
        if not self._current():
            return False
        self.pdf.save(self._maker(), self._name(), path)
        return True

    def print_pdf(self) -> bool:
        if not self._current():
            return False
        self.pdf.print(self._maker(), self._name())
        return True
