"""Practice set-up: the name, address, tax id and NPIs printed on every superbill, with the
practice's providers and payers."""

from __future__ import annotations

import re

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy import Engine

from encoder_app.errors import EncoderError
from encoder_app.practice.sample import load_sample_practice, sample_practice
from encoder_app.practice.set_up_versions import PRACTICE, SetUpConflict, current
from encoder_app.practice.setup import PracticeError, load_practice, save_practice
from encoder_app.practice.types import Payer, Practice, PracticeProvider
from encoder_app.users.acting import Who
from ui.practice.forms import (
    PlaceholderDelegate,
    StatusLine,
    append_row,
    ask_to_save,
    editable_table,
    fill_row,
    filled_rows,
    focus_cell,
    remove_selected_rows,
    save_over_theirs,
)

PROVIDER_COLUMNS = ["Name", "Credentials", "NPI"]
PAYER_COLUMNS = ["Name", "Payer ID"]
#: Which row of which table a PracticeError's field names ("provider 2 (Dana Whitfield)").
_ROW_FIELD = re.compile(r"(provider|payer) (\d+)")


# --- the practice -------------------------------------------------------------------------

class PracticeDialog(QDialog):
    """Edits the one practice of the database; Save checks every field in the core first."""

    saved = Signal()

    def __init__(self, engine: Engine, parent: QWidget | None = None, who: Who = None):
        super().__init__(parent)
        self.who = who  # who saves: checked and named in the practice trail
        self.engine = engine
        self._loading = False
        self.dirty = False
        self.setWindowTitle("Practice set-up")
        self._build()
        self.version = current(engine, PRACTICE).version  # as opened: see fee_schedule_dialog
        self.load(load_practice(engine))
        self.resize(820, 640)

    # -- layout ----------------------------------------------------------------------------
    def _build(self) -> None:
        self.name = QLineEdit(placeholderText="Practice name as printed on the superbill")
        self.address = QPlainTextEdit()
        self.address.setPlaceholderText("Street and suite\nCity, ST 12345")
        self.address.setTabChangesFocus(True)
        lines = self.address.fontMetrics().lineSpacing()
        self.address.setFixedHeight(3 * lines + 14)
        self.phone = QLineEdit(placeholderText="(555) 555-0100")
        self.tax_id = QLineEdit(placeholderText="12-3456789")
        self.tax_id.setToolTip("Employer identification number (EIN): NN-NNNNNNN or 9 digits")
        self.group_npi = QLineEdit(placeholderText="10 digits")
        self.group_npi.setToolTip("The organisation's (type 2) NPI; leave blank if the "
                                  "practice bills under its providers' NPIs")
        for edit in (self.phone, self.tax_id, self.group_npi):
            edit.setMinimumWidth(170)

        details = QGroupBox("Practice")
        grid = QGridLayout(details)
        grid.setHorizontalSpacing(10)
        grid.addWidget(self._label("&Name", self.name), 0, 0)
        grid.addWidget(self.name, 0, 1, 1, 3)
        address_label = self._label("&Address", self.address)
        grid.addWidget(address_label, 1, 0, Qt.AlignmentFlag.AlignTop)
        grid.addWidget(self.address, 1, 1, 3, 1)
        for row, (text, edit) in enumerate((("&Phone", self.phone), ("&Tax ID (EIN)", self.tax_id),
                                            ("&Group NPI", self.group_npi)), start=1):
            grid.addWidget(self._label(text, edit), row, 2)
            grid.addWidget(edit, row, 3)
        grid.setColumnStretch(1, 1)
        # Aligns the address label with the text of its first line, not the box's frame.
        address_label.setContentsMargins(0, 4, 0, 0)

        self.providers = editable_table(PROVIDER_COLUMNS, {1: 120, 2: 140})
        self.providers.setItemDelegate(PlaceholderDelegate(
            {0: "First and last name", 1: "MD, DO, NP-C…", 2: "10 digits"}, self.providers))
        self.payers = editable_table(PAYER_COLUMNS, {1: 180})
        self.payers.setItemDelegate(PlaceholderDelegate(
            {0: "Insurer as the coder picks it", 1: "Clearinghouse payer ID, if known"},
            self.payers))

        self.status = StatusLine()
        self.row_buttons: dict[str, tuple[QPushButton, QPushButton]] = {}  # noun: (add, remove)
        self.sample_button = QPushButton("Load sample practice…")
        self.sample_button.setToolTip("A fictional practice, fee schedule and pick list for "
                                      "trying superbills")
        self.sample_button.clicked.connect(lambda: self.load_sample())
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        self.save_button = self.buttons.button(QDialogButtonBox.StandardButton.Save)

        bottom = QHBoxLayout()
        bottom.addWidget(self.sample_button)
        bottom.addStretch(1)
        bottom.addWidget(self.buttons)
        layout = QVBoxLayout(self)
        layout.setSpacing(10)
        layout.addWidget(details)
        layout.addWidget(self._table_group("Providers", self.providers, "provider"), 3)
        layout.addWidget(self._table_group("Payers", self.payers, "payer"), 2)
        layout.addWidget(self.status)
        layout.addLayout(bottom)

        for edit in (self.name, self.phone, self.tax_id, self.group_npi):
            edit.textEdited.connect(self._changed)
        self.address.textChanged.connect(self._changed)
        self.providers.itemChanged.connect(self._changed)
        self.payers.itemChanged.connect(self._changed)

    @staticmethod
    def _label(text: str, buddy: QWidget) -> QLabel:
        label = QLabel(text)
        label.setBuddy(buddy)
        return label

    def _table_group(self, title: str, table: QTableWidget, noun: str) -> QGroupBox:
        group = QGroupBox(title)
        table.verticalHeader().setVisible(False)
        add = QPushButton(f"Add {noun}")
        add.clicked.connect(lambda: append_row(table))
        remove = QPushButton("Remove")
        remove.clicked.connect(lambda: self._remove_rows(table))
        buttons = QVBoxLayout()
        for button in (add, remove):
            # One width in both groups, so the two tables end at the same edge.
            button.setFixedWidth(self.fontMetrics().horizontalAdvance("Add provider") + 40)
            buttons.addWidget(button)
        buttons.addStretch(1)
        self.row_buttons[noun] = (add, remove)
        row = QHBoxLayout(group)
        row.addWidget(table, 1)
        row.addLayout(buttons)
        return group

    def _remove_rows(self, table: QTableWidget) -> None:
        if remove_selected_rows(table):
            self.dirty = True

    def _changed(self, *_args) -> None:
        if not self._loading:
            self.dirty = True

    # -- the practice in the widgets -------------------------------------------------------
    def load(self, practice: Practice | None) -> None:
        """Show the practice (an empty form when None)."""
        self._loading = True
        try:
            practice = practice or Practice("")
            self.name.setText(practice.name)
            self.address.setPlainText("\n".join(practice.address_lines))
            self.phone.setText(practice.phone)
            self.tax_id.setText(practice.tax_id)
            self.group_npi.setText(practice.group_npi)
            self.providers.setRowCount(len(practice.providers))
            for row, p in enumerate(practice.providers):
                fill_row(self.providers, row, [p.name, p.credentials, p.npi])
            self.payers.setRowCount(len(practice.payers))
            for row, p in enumerate(practice.payers):
                fill_row(self.payers, row, [p.name, p.payer_id])
        finally:
            self._loading = False
        self.dirty = False

    def practice(self) -> Practice:
        """The practice as typed, not yet checked; blank table rows are left out."""
        return Practice(
            self.name.text(), tuple(self.address.toPlainText().splitlines()), self.phone.text(),
            self.tax_id.text(), self.group_npi.text(),
            tuple(PracticeProvider(*values) for _, values in filled_rows(self.providers)),
            tuple(Payer(*values) for _, values in filled_rows(self.payers)))

    # -- actions ---------------------------------------------------------------------------
    def save(self) -> bool:
        """Store the practice and close; on a bad field say which, point at it, keep open."""
        try:
            practice = self.practice()
            try:
                self.version = save_practice(self.engine, practice, self.who, self.version)
            except SetUpConflict as conflict:
                if not save_over_theirs(self, conflict):
                    raise
                self.version = save_practice(self.engine, practice, self.who)
        except PracticeError as exc:
            self.status.problem(exc)
            self._focus_field(exc)
            return False
        except EncoderError as exc:  # not this user's to change (an admin's)
            self.status.problem(exc)
            return False
        self.dirty = False
        self.saved.emit()
        self.accept()
        return True

    def _focus_field(self, exc: PracticeError) -> None:
        edits = {"practice name": self.name, "tax id": self.tax_id, "group NPI": self.group_npi}
        if exc.field in edits:
            edits[exc.field].setFocus()
            edits[exc.field].selectAll()
            return
        match = _ROW_FIELD.match(exc.field)
        if not match:
            return
        table = self.providers if match[1] == "provider" else self.payers
        rows = [row for row, _ in filled_rows(table)]  # the core counts the filled rows only
        number = int(match[2])
        if 0 < number <= len(rows):
            column = 2 if match[1] == "provider" and "NPI" in exc.problem else 0
            focus_cell(table, rows[number - 1], column)

    def load_sample(self, confirm: bool = True) -> bool:
        """Save the fictional sample practice, fees and pick list, then show it. The core
        refuses when another practice is set up; its reason is shown."""
        sample = sample_practice()
        if confirm and QMessageBox.question(
                self, "Load sample practice",
                f"Load the fictional sample practice “{sample.name}” with its fee schedule and "
                "pick list?\n\nIts names, NPIs and tax id are made up: use it to try superbills, "
                "not to bill.") != QMessageBox.StandardButton.Yes:
            return False
        try:
            load_sample_practice(self.engine, who=self.who)
        except EncoderError as exc:  # another practice set up, or not this user's to change
            self.status.problem(exc)
            return False
        self.version = current(self.engine, PRACTICE).version
        self.load(load_practice(self.engine))
        self.status.note(f"Loaded the sample practice “{sample.name}”, with its fee schedule "
                         "and pick list.")
        self.saved.emit()
        return True

    def reject(self) -> None:
        if self.dirty and self.isVisible():
            answer = ask_to_save(self, "Practice set-up", "the practice set-up")
            if answer == QMessageBox.StandardButton.Cancel:
                return
            if answer == QMessageBox.StandardButton.Save:
                self.save()  # closes when it saved; a bad field keeps the dialog open
                return
        super().reject()
