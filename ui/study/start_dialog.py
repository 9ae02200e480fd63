"""Choosing what to study: an exercise set or a drill kind, how many items, and for an exam the
time allowed and whether the search box is off ("book only", as on the certification exams)."""

from __future__ import annotations

import random
from dataclasses import dataclass

from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QRadioButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from encoder_app.study.drills import KINDS
from encoder_app.study.sets import SetSummary

DRILL_WORDS = {"seventh-character": "7th characters", "excludes1": "Excludes1 or Excludes2?",
               "code-first": "Code first / use additional code", "index": "Alphabetic Index paths",
               "title": "Titles to codes"}


@dataclass(frozen=True)
class StudyChoice:
    source: str  # "set" or "drill"
    name: str  # the set's name or the drill kind
    count: int | None  # None: every case of the set
    seed: int
    minutes: int | None = None  # exams only
    book_only: bool = False


class StartDialog(QDialog):
    def __init__(self, sets: list[SetSummary], exam: bool, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("Start an exam" if exam else "Study")
        self.exam = exam
        self.use_set = QRadioButton("Exercise set")
        self.use_drill = QRadioButton("Drill from the codebook")
        group = QButtonGroup(self)
        group.addButton(self.use_set)
        group.addButton(self.use_drill)
        self.sets = QComboBox()
        for s in sets:
            self.sets.addItem(f"{s.title} ({s.cases} cases)", s.name)
        self.kinds = QComboBox()
        for kind in KINDS:
            self.kinds.addItem(DRILL_WORDS[kind], kind)
        self.count = QSpinBox()
        self.count.setRange(0, 200)
        self.count.setSpecialValueText("all cases")
        self.minutes = QSpinBox()
        self.minutes.setRange(1, 240)
        self.minutes.setValue(30)
        self.minutes.setSuffix(" min")
        self.book_only = QCheckBox("Book only: no search box (Index and Tabular List only)")
        self.use_set.toggled.connect(self._follow)
        self.use_set.setChecked(bool(sets))
        self.use_drill.setChecked(not sets)
        self.use_set.setEnabled(bool(sets))

        form = QFormLayout()
        form.addRow(self.use_set, self.sets)
        form.addRow(self.use_drill, self.kinds)
        form.addRow("Items", self.count)
        if exam:
            form.addRow("Time allowed", self.minutes)
            form.addRow("", self.book_only)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(
            "Start exam" if exam else "Start")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(buttons)
        self._follow()

    def _follow(self, *_args) -> None:
        on_set = self.use_set.isChecked()
        self.sets.setEnabled(on_set)
        self.kinds.setEnabled(not on_set)
        self.count.setMinimum(0 if on_set else 1)
        if not on_set and self.count.value() == 0:
            self.count.setValue(10)

    def choice(self) -> StudyChoice:
        on_set = self.use_set.isChecked()
        return StudyChoice("set" if on_set else "drill",
                           self.sets.currentData() if on_set else self.kinds.currentData(),
                           self.count.value() or None, random.randrange(1, 1_000_000),
                           self.minutes.value() if self.exam else None,
                           self.exam and self.book_only.isChecked())
