"""The one background worker all long work runs on (database writes never come from two
threads), and the progress dialog that appears only when the work lasts over half a second."""

from __future__ import annotations

import traceback
from collections.abc import Callable, Iterator
from typing import Any

from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, QTimer, Signal
from PySide6.QtWidgets import QProgressDialog, QWidget

from encoder_app.errors import EncoderError
from encoder_app.progress import Progress

SHOW_AFTER_MS = 500


class Operation(QObject):
    """One job's signals: progress while it runs, then finished(result) or failed(message)."""

    progress = Signal(int, int, str)
    finished = Signal(object)
    failed = Signal(str)

    def __init__(self, label: str):
        super().__init__()
        self.label = label
        self.cancelled = False


class _Job(QRunnable):
    def __init__(self, operation: Operation, work: Callable[[], Any]):
        super().__init__()
        self.operation = operation
        self.work = work

    def run(self) -> None:
        op = self.operation
        try:
            result = self.work()
            if isinstance(result, Iterator):
                # A generator of Progress: closing it on cancel rolls its transaction back.
                steps, result = result, None
                for step in steps:
                    if op.cancelled:
                        steps.close()
                        op.failed.emit("Cancelled; nothing was changed.")
                        return
                    if isinstance(step, Progress):
                        op.progress.emit(step.done, step.total, step.label)
                    else:
                        result = step
            op.finished.emit(result)
        except EncoderError as exc:
            op.failed.emit(str(exc))
        except Exception as exc:  # a bug: keep the window alive and say what happened
            traceback.print_exc()
            op.failed.emit(f"Unexpected error: {type(exc).__name__}: {exc}")


class OperationRunner(QObject):
    """Runs jobs one at a time off the UI thread."""

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self.pool = QThreadPool(self)
        self.pool.setMaxThreadCount(1)  # serialized: SQLite has one writer
        # Operations are held until they report: a caller's local reference may be gone by then.
        self._live: set[Operation] = set()

    def run(self, label: str, work: Callable[[], Any], parent: QWidget | None = None,
            dialog: bool = True) -> Operation:
        op = Operation(label)
        self._live.add(op)
        # Let go only after every slot has run: dropping the last reference inside the first
        # slot would delete the operation before the caller's own slots are called.
        op.finished.connect(lambda *_: QTimer.singleShot(0, lambda: self._live.discard(op)))
        op.failed.connect(lambda *_: QTimer.singleShot(0, lambda: self._live.discard(op)))
        if dialog and parent is not None:
            _attach_dialog(op, parent)
        self.pool.start(_Job(op, work))
        return op

    def wait(self, msecs: int = 60000) -> bool:
        return self.pool.waitForDone(msecs)


def _attach_dialog(op: Operation, parent: QWidget) -> None:
    box = QProgressDialog(op.label, "Cancel", 0, 0, parent)
    box.setWindowTitle("Working")
    box.setWindowModality(Qt.WindowModality.WindowModal)
    box.setMinimumDuration(SHOW_AFTER_MS)
    box.setAutoClose(True)

    def step(done: int, total: int, label: str) -> None:
        box.setMaximum(max(total, 0))
        box.setValue(min(done, total) if total else 0)
        box.setLabelText(label or op.label)

    def close(*_args) -> None:
        box.reset()
        box.deleteLater()

    box.canceled.connect(lambda: setattr(op, "cancelled", True))
    op.progress.connect(step)
    op.finished.connect(close)
    op.failed.connect(close)
