"""Someone else saved the encounter while it was open here: what they changed against what was
typed here, side by side, and three ways on that lose nothing: mine as a new encounter, mine
over theirs (theirs kept as a copy), or a merge that takes, field by field, the version the
coder picks in the Keep column."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from encoder_app.encounters import merge
from encoder_app.encounters.serialize import encounter_to_json
from encoder_app.encounters.snapshot import EncounterSnapshot
from encoder_app.encounters.store import EncounterConflict
from ui.practice.forms import StatusLine

#: The two choices, as ``choice`` reports them.
MINE_AS_COPY = "mine_as_copy"
MINE_OVER_THEIRS = "mine_over_theirs"
MERGED = "merged"
KEEP = ("yours", "theirs")  # the Keep column's choices, per field


class ConflictDialog(QDialog):
    """Their version and this one, field by field; ``choice`` is set when a button is used."""

    def __init__(self, conflict: EncounterConflict, mine: EncounterSnapshot,
                 parent: QWidget | None = None):
        super().__init__(parent)
        self.conflict, self.choice = conflict, None
        theirs = conflict.theirs
        who = theirs.updated_by or "another user"
        self.setWindowTitle(f"Encounter #{conflict.encounter_id} was changed by {who}")
        self.resize(760, 380)
        layout = QVBoxLayout(self)
        intro = QLabel(f"{who} saved encounter #{conflict.encounter_id} at "
                       f"{theirs.updated_at:%Y-%m-%d %H:%M} (version {theirs.version}) while "
                       f"you had version {conflict.yours} open. Your changes are not saved "
                       f"yet, and nothing is lost: choose where they go.")
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.theirs_doc = encounter_to_json(theirs.snapshot)
        self.mine_doc = encounter_to_json(mine)
        differences = merge.differences(self.theirs_doc, self.mine_doc)
        self.fields = [field for field, _before, _after in differences]
        self.table = QTableWidget(len(differences), 4)
        self.table.setHorizontalHeaderLabels(["Field", f"Theirs ({who})", "Yours", "Keep"])
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.ResizeToContents)
        self.table.verticalHeader().setVisible(False)
        self.keep: list[QComboBox] = []
        for row, (field, before, after) in enumerate(differences):
            for col, text in enumerate((field, before or "(none)", after or "(none)")):
                self.table.setItem(row, col, QTableWidgetItem(text))
            keep = QComboBox()
            keep.addItems(KEEP)
            self.table.setCellWidget(row, 3, keep)
            self.keep.append(keep)
        layout.addWidget(self.table, 1)
        self.problem = StatusLine()  # why a merge was refused
        layout.addWidget(self.problem)
        buttons = QDialogButtonBox()
        self.copy_button = QPushButton("Save mine as a new encounter")
        self.copy_button.setToolTip(f"#{conflict.encounter_id} keeps {who}'s version")
        self.over_button = QPushButton("Save mine over theirs (theirs kept as a copy)")
        self.merge_button = QPushButton("Save the merge (Keep column)")
        self.merge_button.setToolTip(f"#{conflict.encounter_id} becomes yours, with each field "
                                     f"set to theirs in the Keep column taken from {who}'s")
        for button, choice in ((self.merge_button, MERGED), (self.copy_button, MINE_AS_COPY),
                               (self.over_button, MINE_OVER_THEIRS)):
            buttons.addButton(button, QDialogButtonBox.ButtonRole.AcceptRole)
            button.clicked.connect(lambda _=False, c=choice: self._choose(c))
        layout.addWidget(buttons)

    def take_theirs(self) -> set[str]:
        """The fields whose Keep says theirs."""
        return {field for field, keep in zip(self.fields, self.keep, strict=True)
                if keep.currentText() == "theirs"}

    def keep_field(self, field: str, which: str) -> None:
        self.keep[self.fields.index(field)].setCurrentText(which)

    def _choose(self, choice: str) -> None:
        if choice == MERGED:  # a choice that cannot be merged is said here, the dialog kept
            try:
                merge.merge_documents(self.theirs_doc, self.mine_doc, self.take_theirs())
            except merge.MergeError as exc:
                self.problem.problem(f"Not merged: {exc}")
                return
        self.choice = choice
        self.accept()
