"""The fee schedule editor: the practice's charge for each code (and code with modifier) in a
table, filtered as you type, read from and written to CSV. Nothing is stored until Save, and
Save stores nothing while any row is wrong; the error names the row.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy import Engine

from encoder_app.errors import EncoderError
from encoder_app.practice.fee_schedule import (
    FeeScheduleError,
    checked_schedule,
    export_fee_csv,
    load_fee_schedule,
    read_fee_csv,
    save_fee_schedule,
)
from encoder_app.practice.set_up_versions import FEE_SCHEDULE, SetUpConflict, current
from encoder_app.practice.types import FeeEntry, FeeSchedule
from encoder_app.users.acting import Who
from ui.practice.forms import (
    PlaceholderDelegate,
    StatusLine,
    append_row,
    ask_to_save,
    editable_table,
    editor_buttons,
    fill_row,
    filled_rows,
    focus_cell,
    plain_button,
    remove_selected_rows,
    save_over_theirs,
)

COLUMNS = ["Code", "Modifier", "Fee"]
_COLUMN_INDEX = {"code": 0, "modifier": 1, "fee": 2}
_RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter


def _fees(count: int) -> str:
    return f"{count} fee{'' if count == 1 else 's'}"


class FeeScheduleDialog(QDialog):
    saved = Signal()

    def __init__(self, engine: Engine, parent: QWidget | None = None, who: Who = None):
        super().__init__(parent)
        self.who = who  # who saves: checked and named in the practice trail
        self.engine = engine
        self._loading = False
        self.dirty = False
        self.setWindowTitle("Fee schedule")
        self._build()
        # The version opened, read before the fees: a save in between is then a conflict.
        self.version = current(engine, FEE_SCHEDULE).version
        self.load(load_fee_schedule(engine))
        self.resize(580, 640)

    # -- layout ----------------------------------------------------------------------------
    def _build(self) -> None:
        self.filter = QLineEdit(placeholderText="Filter by code or modifier, e.g. 992 or 50")
        self.filter.setClearButtonEnabled(True)
        self.filter.textChanged.connect(self.apply_filter)
        self.filter.returnPressed.connect(self._to_first_shown)
        self.count = QLabel()
        self.table = editable_table(COLUMNS, {0: 130, 1: 100})
        self.table.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.table.horizontalHeaderItem(2).setTextAlignment(_RIGHT)
        self.table.setItemDelegate(PlaceholderDelegate(
            {0: "99213 or J1100", 1: "50, 26, …", 2: "0.00"}, self.table))
        self.table.itemChanged.connect(self._changed)

        button = plain_button
        self.add_button = button("Add fee", self.add_row)
        self.remove_button = button("Remove", self.remove_rows, "Remove the selected fees")
        self.import_button = button("Import CSV…", self.import_csv,
                                    "Replace the table with a CSV file's fees (columns code, "
                                    "modifier, fee); Save keeps them")
        self.export_button = button("Export CSV…", self.export_csv,
                                    "Write the fees in the table to a CSV file")
        side = QVBoxLayout()
        side.addWidget(self.add_button)
        side.addWidget(self.remove_button)
        side.addSpacing(16)
        side.addWidget(self.import_button)
        side.addWidget(self.export_button)
        side.addStretch(1)

        self.status = StatusLine()
        self.buttons, self.save_button = editor_buttons(self)
        self.save_button.clicked.connect(lambda: self.save())

        top = QHBoxLayout()
        top.addWidget(self.filter, 1)
        top.addWidget(self.count)
        middle = QHBoxLayout()
        middle.addWidget(self.table, 1)
        middle.addLayout(side)
        layout = QVBoxLayout(self)
        layout.setSpacing(10)
        layout.addLayout(top)
        layout.addLayout(middle, 1)
        layout.addWidget(self.status)
        layout.addWidget(self.buttons)

    def _changed(self, *_args) -> None:
        if not self._loading:
            self.dirty = True
            self._show_count()

    # -- the table -------------------------------------------------------------------------
    def load(self, schedule: FeeSchedule) -> None:
        self._loading = True
        try:
            self.table.setRowCount(len(schedule.entries))
            for row, e in enumerate(schedule.entries):
                self._fill(row, [e.code, e.modifier, f"{e.fee:.2f}"])
        finally:
            self._loading = False
        self.dirty = False
        self.apply_filter()

    def _fill(self, row: int, values: list[str]) -> None:
        fill_row(self.table, row, values)
        self.table.item(row, 2).setTextAlignment(_RIGHT)

    def add_row(self) -> int:
        self.filter.clear()  # a new row must not be hidden by the filter
        row = append_row(self.table)
        self.table.item(row, 2).setTextAlignment(_RIGHT)
        self.dirty = True
        self._show_count()
        return row

    def remove_rows(self) -> None:
        if remove_selected_rows(self.table):
            self.dirty = True
            self._show_count()

    def apply_filter(self, *_args) -> None:
        text = self.filter.text().strip().upper().replace(".", "")
        for row in range(self.table.rowCount()):
            key = " ".join(self.table.item(row, c).text().upper()
                           for c in (0, 1) if self.table.item(row, c))
            self.table.setRowHidden(row, bool(text) and text not in key)
        self._show_count()

    def _to_first_shown(self) -> None:
        """Enter in the filter goes to the first fee it left, ready to edit."""
        row = next((r for r in range(self.table.rowCount()) if not self.table.isRowHidden(r)),
                   None)
        if row is not None:
            focus_cell(self.table, row, 2)

    def _show_count(self) -> None:
        total = len(filled_rows(self.table))
        shown = sum(1 for row, _ in filled_rows(self.table) if not self.table.isRowHidden(row))
        self.count.setText(_fees(total) if shown == total else f"{shown} of {_fees(total)}")

    def schedule(self) -> FeeSchedule:
        """The fees as typed, checked by the core; FeeScheduleError names the table row."""
        entries: list[FeeEntry] = []
        rows: dict[tuple[str, str], int] = {}
        for row, (code, modifier, fee) in filled_rows(self.table):
            try:
                # The core reads the fee as typed ("$1,200.00"), as it does a CSV cell.
                [entry] = checked_schedule([FeeEntry(code, fee, modifier)]).entries
            except FeeScheduleError as exc:
                raise FeeScheduleError("fee schedule", exc.problem, row + 1, exc.column) from None
            key = (entry.code, entry.modifier)
            if key in rows:
                shown = f"{entry.code}-{entry.modifier}" if entry.modifier else entry.code
                raise FeeScheduleError("fee schedule", f"{shown} already has a fee on row "
                                                       f"{rows[key]}", row + 1, "code")
            rows[key] = row + 1
            entries.append(entry)
        return checked_schedule(entries)

    def _show_error(self, exc: EncoderError | OSError) -> None:
        self.status.problem(exc)
        if isinstance(exc, FeeScheduleError) and exc.row and exc.source == "fee schedule":
            focus_cell(self.table, exc.row - 1, _COLUMN_INDEX.get(exc.column or "", 0))

    # -- actions ---------------------------------------------------------------------------
    def save(self) -> bool:
        """Replace the stored schedule with the table; nothing is stored while a row is wrong."""
        try:
            schedule = self.schedule()
            try:
                self.version = save_fee_schedule(self.engine, schedule, self.who, self.version)
            except SetUpConflict as conflict:
                if not save_over_theirs(self, conflict):
                    raise
                self.version = save_fee_schedule(self.engine, schedule, self.who)
        except EncoderError as exc:
            self._show_error(exc)
            return False
        self.load(load_fee_schedule(self.engine))
        self.status.note(f"Saved {_fees(len(schedule.entries))}.")
        self.saved.emit()
        return True

    def import_csv(self, path: str | Path | None = None) -> bool:
        """Fill the table from a CSV file (Save stores it). A bad file changes nothing; the
        error names the file and its row."""
        if path is None:
            path, _ = QFileDialog.getOpenFileName(self, "Import fee schedule", str(Path.home()),
                                                  "Fee schedule (*.csv *.txt);;All files (*)")
        if not path:
            return False
        try:
            schedule = read_fee_csv(path)
        except (EncoderError, OSError) as exc:
            self.status.problem(f"Nothing imported: {exc}")
            return False
        self.filter.clear()
        self.load(schedule)
        self.dirty = True
        self.status.note(f"Read {_fees(len(schedule.entries))} from {Path(path).name}. Save to "
                         "replace the stored fee schedule with them.")
        return True

    def export_csv(self, path: str | Path | None = None) -> bool:
        """Write the fees in the table (saved or not) to a CSV file Import CSV reads back."""
        try:
            schedule = self.schedule()
        except EncoderError as exc:
            self._show_error(exc)
            return False
        if path is None:
            path, _ = QFileDialog.getSaveFileName(self, "Export fee schedule",
                                                  str(Path.home() / "fee-schedule.csv"),
                                                  "Fee schedule (*.csv)")
        if not path:
            return False
        try:
            count = export_fee_csv(schedule, path)
        except (EncoderError, OSError) as exc:
            self.status.problem(f"Not exported: {exc}")
            return False
        self.status.note(f"Exported {_fees(count)} to {path}.")
        return True

    def reject(self) -> None:
        if self.dirty and self.isVisible():
            answer = ask_to_save(self, "Fee schedule", "the fee schedule")
            if answer == QMessageBox.StandardButton.Cancel:
                return
            if answer == QMessageBox.StandardButton.Save and not self.save():
                return
        super().reject()
