"""A student's progress: accuracy over time as a chart, accuracy by chapter and by drill kind,
the weakest areas, and how many missed items are due. The chart is pyqtgraph (MIT, pure Python
over numpy): QtCharts would need the 175 MB PySide6-Addons wheel, and Qt licenses Qt Charts
under the GPL only for open-source use (docs/decisions/progress-chart.md)."""

from __future__ import annotations

import datetime as dt

import pyqtgraph as pg
from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from encoder_app.study.progress import Progress, Tally


def _percent(value: float) -> str:
    return f"{value * 100:.0f}%"


def _table(title: str, tallies: tuple[Tally, ...], first_width: int) -> QTableWidget:
    table = QTableWidget(len(tallies), 3)
    table.setHorizontalHeaderLabels([title, "Attempts", "Accuracy"])
    for row, t in enumerate(sorted(tallies, key=lambda t: t.accuracy)):
        table.setItem(row, 0, QTableWidgetItem(t.name))
        for col, text in ((1, str(t.attempts)), (2, _percent(t.accuracy))):
            cell = QTableWidgetItem(text)
            cell.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            table.setItem(row, col, cell)
    table.horizontalHeader().setStretchLastSection(False)
    table.resizeColumnsToContents()
    table.setColumnWidth(0, max(table.columnWidth(0), first_width))
    table.verticalHeader().setVisible(False)
    table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
    return table


def accuracy_chart(progress: Progress) -> pg.PlotWidget:
    """Accuracy per day as a line with a point per day (a point's size: the attempts that day)."""
    plot = pg.PlotWidget(axisItems={"bottom": pg.DateAxisItem(orientation="bottom")})
    plot.setBackground("w")
    plot.showGrid(x=False, y=True, alpha=0.3)
    plot.setLabel("left", "Accuracy", units="%")
    plot.setYRange(0, 100, padding=0.05)
    plot.setMouseEnabled(x=False, y=False)
    days = [dt.datetime.fromisoformat(t.name) for t in progress.by_day]  # on the day tick
    xs = [d.timestamp() for d in days]
    ys = [t.accuracy * 100 for t in progress.by_day]
    sizes = [min(18, 6 + t.attempts) for t in progress.by_day]
    plot.plot(xs, ys, pen=pg.mkPen("#1f3a5f", width=2), symbol="o", symbolSize=sizes,
              symbolBrush="#1f3a5f")
    if len(xs) == 1:
        plot.setXRange(xs[0] - 3 * 86400, xs[0] + 3 * 86400)
    return plot


class ProgressDialog(QDialog):
    export_requested = Signal()

    def __init__(self, progress: Progress, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(f"Study progress — {progress.user}")
        self.resize(900, 720)
        self.progress = progress
        summary = QLabel(
            f"<b>{progress.attempts}</b> attempts · <b>{_percent(progress.accuracy)}</b> "
            f"accuracy · <b>{progress.due_now}</b> of {progress.cards} missed items due for "
            f"review now" if progress.attempts else "No study attempts yet: start with "
            "Study > Study a set or Drill.")
        self.chart = accuracy_chart(progress)
        self.chart.setMinimumHeight(220)
        weakest = ", ".join(f"{t.name} ({_percent(t.accuracy)})" for t in progress.weakest)
        self.weakest = QLabel(f"<b>Weakest:</b> {weakest}" if weakest else
                              "<b>Weakest:</b> none yet (an area needs 3 attempts)")
        self.weakest.setWordWrap(True)
        self.by_area = _table("Chapter", progress.by_area, 320)
        self.by_kind = _table("Kind", progress.by_kind, 120)
        export = QPushButton("Export attempts as CSV…")
        export.clicked.connect(self.export_requested)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        tables = QHBoxLayout()
        tables.addWidget(self.by_area, 5)
        tables.addWidget(self.by_kind, 2)
        bottom = QHBoxLayout()
        bottom.addWidget(export)
        bottom.addStretch(1)
        bottom.addWidget(buttons)
        layout = QVBoxLayout(self)
        layout.addWidget(summary)
        layout.addWidget(QLabel("Accuracy by day"))
        layout.addWidget(self.chart, 2)
        layout.addWidget(self.weakest)
        layout.addLayout(tables, 2)
        layout.addLayout(bottom)
