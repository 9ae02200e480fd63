"""The findings of the edits engine under the chart: one row a finding, coloured by severity,
the whole message and its source below the list, a count of each severity, and the fix button.

The panel only shows findings; the chart pane owns the encounter, so it runs the checks and
applies a fix when the panel asks for one (``fix_requested``)."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QScrollArea,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from encoder_app.edits.finding import Finding

SEVERITY_COLORS = {"error": "#cf222e", "warning": "#9a6700", "info": "#57606a"}


class FindingsPanel(QGroupBox):
    #: The coder asked to apply the fix of the finding selected (Enter, double-click, button).
    fix_requested = Signal(object)

    def __init__(self, parent: QWidget | None = None):
        super().__init__("Findings", parent)
        self.findings: list[Finding] = []
        self.finding_list = QTreeWidget()
        self.finding_list.setHeaderLabels(["Severity", "Codes", "Finding"])
        self.finding_list.setRootIsDecorated(False)
        self.finding_list.setWordWrap(True)
        self.finding_list.header().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.finding_list.currentItemChanged.connect(self._finding_selected)
        self.finding_list.itemActivated.connect(lambda *_: self.request_fix())
        self.fix_button = QPushButton("Apply fix  (Ctrl+Enter)")
        self.fix_button.setEnabled(False)
        self.fix_button.clicked.connect(self.request_fix)
        self.summary = QLabel("")
        # The whole finding, wrapped: the list shows one line of each.
        self.finding_text = QLabel("")
        self.finding_text.setWordWrap(True)
        self.finding_text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        # In a scroll area a few lines high: a long finding and its source scroll rather than
        # being cut off when the panel is short.
        text_area = QScrollArea()
        text_area.setWidget(self.finding_text)
        text_area.setWidgetResizable(True)
        text_area.setFrameShape(QFrame.Shape.NoFrame)
        line = self.fontMetrics().lineSpacing()
        text_area.setMinimumHeight(3 * line + 4)
        text_area.setMaximumHeight(5 * line + 4)
        self.finding_text.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        layout = QVBoxLayout(self)
        layout.addWidget(self.finding_list, 1)
        layout.addWidget(text_area)
        row = QHBoxLayout()
        row.addWidget(self.summary, 1)
        row.addWidget(self.fix_button)
        layout.addLayout(row)

    def show_findings(self, findings: list[Finding]) -> None:
        self.findings = findings
        self.finding_list.clear()
        for finding in findings:
            item = QTreeWidgetItem([finding.severity.upper(), ", ".join(finding.codes),
                                    finding.message + ("  [fix available]" if finding.fix else "")])
            item.setForeground(0, QBrush(QColor(SEVERITY_COLORS.get(finding.severity, "#000"))))
            item.setToolTip(2, f"{finding.message}\n\nSource: {finding.source}")
            item.setData(0, Qt.ItemDataRole.UserRole, finding)
            self.finding_list.addTopLevelItem(item)
        if findings:
            self.finding_list.setCurrentItem(self.finding_list.topLevelItem(0))
        else:
            self.finding_text.setText("")
        counts = {s: sum(f.severity == s for f in findings) for s in SEVERITY_COLORS}
        self.summary.setText(", ".join(
            f"{counts[s]} {word}{'' if counts[s] == 1 else 's'}"
            for s, word in (("error", "error"), ("warning", "warning"), ("info", "note"))))

    def selected(self) -> Finding | None:
        item = self.finding_list.currentItem()
        return item.data(0, Qt.ItemDataRole.UserRole) if item else None

    def request_fix(self) -> None:
        finding = self.selected()
        if finding and finding.fix:
            self.fix_requested.emit(finding)

    def _finding_selected(self, item: QTreeWidgetItem | None, _prev=None) -> None:
        finding = item.data(0, Qt.ItemDataRole.UserRole) if item else None
        self.fix_button.setEnabled(bool(finding and finding.fix))
        self.finding_text.setText(f"{finding.message}\nSource: {finding.source}"
                                  if finding else "")
