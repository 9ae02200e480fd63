"""The diagnosis list of the chart pane, reordered by dragging a row with the mouse.

Qt's own InternalMove only shuffles the list's rows; sequencing is coding, and each procedure
line's diagnosis pointers must follow the diagnosis they point at. So the list carries the
dragged row in its own mime type and reports the move as (from, to); the chart pane applies it
to the encounter with the same core fix the keyboard uses (``move_diagnosis``).
"""

from __future__ import annotations

from PySide6.QtCore import QMimeData, QPoint, Qt, Signal
from PySide6.QtGui import QDragEnterEvent, QDragMoveEvent, QDropEvent, QKeyEvent
from PySide6.QtWidgets import QAbstractItemView, QListWidget, QListWidgetItem, QWidget

ROW_MIME = "application/x-encoder-diagnosis-row"
#: Where a row keeps its words ("E11.9  title  (POA Y)") apart from its number and CC/MCC badge.
LABEL_ROLE = Qt.ItemDataRole.UserRole + 1


#: The present-on-admission indicators, typed on a diagnosis row of an inpatient stay.
POA_KEYS = {Qt.Key.Key_Y: "Y", Qt.Key.Key_N: "N", Qt.Key.Key_U: "U", Qt.Key.Key_W: "W",
            Qt.Key.Key_1: "1"}


class DiagnosisList(QListWidget):
    moved = Signal(int, int)  # from row, to row (the dragged diagnosis's new position)
    poa_typed = Signal(int, str)  # row, indicator: Y, N, U, W or 1 typed on a row

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 (Qt name)
        poa = POA_KEYS.get(event.key())
        plain = not (event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
                     & ~Qt.KeyboardModifier.ShiftModifier)
        if poa and plain and self.currentRow() >= 0:
            self.poa_typed.emit(self.currentRow(), poa)  # the pane ignores it outside a stay
            return
        super().keyPressEvent(event)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setDragEnabled(True)
        self.setAcceptDrops(True)
        self.setDropIndicatorShown(True)
        self.setDragDropMode(QAbstractItemView.DragDropMode.DragDrop)
        self.setDefaultDropAction(Qt.DropAction.MoveAction)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)

    def mimeTypes(self) -> list[str]:  # noqa: N802 (Qt name)
        return [ROW_MIME]

    def mimeData(self, items: list[QListWidgetItem]) -> QMimeData:  # noqa: N802 (Qt name)
        data = QMimeData()
        if items:
            data.setData(ROW_MIME, str(self.row(items[0])).encode())
        return data

    def drop_row(self, pos: QPoint) -> int:
        """Where a drop at ``pos`` puts the row: before the row under the upper half of an item,
        after it on the lower half, last below the final item."""
        item = self.itemAt(pos)
        if item is None:
            return self.count()
        row = self.row(item)
        return row + 1 if pos.y() > self.visualItemRect(item).center().y() else row

    def _dragged_row(self, event) -> int | None:
        if not event.mimeData().hasFormat(ROW_MIME):
            return None
        text = bytes(event.mimeData().data(ROW_MIME)).decode(errors="replace")
        return int(text) if text.isdigit() and int(text) < self.count() else None

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:  # noqa: N802 (Qt name)
        if self._dragged_row(event) is None:
            event.ignore()
            return
        super().dragEnterEvent(event)
        event.acceptProposedAction()

    def dragMoveEvent(self, event: QDragMoveEvent) -> None:  # noqa: N802 (Qt name)
        if self._dragged_row(event) is None:
            event.ignore()
            return
        super().dragMoveEvent(event)  # draws the drop indicator
        event.setDropAction(Qt.DropAction.MoveAction)
        event.accept()

    def dropEvent(self, event: QDropEvent) -> None:  # noqa: N802 (Qt name)
        source = self._dragged_row(event)
        if source is None:
            event.ignore()
            return
        target = self.drop_row(event.position().toPoint())
        if target > source:
            target -= 1  # the dragged row leaves its place first
        # Accept as a copy so Qt does not also delete the source row: the pane rebuilds the list.
        event.setDropAction(Qt.DropAction.CopyAction)
        event.accept()
        self.setState(QAbstractItemView.State.NoState)
        self.viewport().update()
        if target != source:
            self.moved.emit(source, target)
