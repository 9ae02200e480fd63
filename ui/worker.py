"""The one background worker all long work runs on (database writes never come from two
threads), and the progress dialog that appears only when the work lasts over half a second."""

from __future__ import annotations

import logging
import sys
import time
from collections.abc import Callable, Iterator
from typing import Any

from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, QTimer, Signal
from PySide6.QtWidgets import QProgressDialog, QWidget

from encoder_app import app_log
from encoder_app.errors import EncoderError
from encoder_app.progress import Progress

log = logging.getLogger("encoder_app.window.worker")

SHOW_AFTER_MS = 500
JOB_SWITCH_INTERVAL = 0.001  # seconds; Python's default is 0.005
#: A job that runs longer than this is logged with its time (imports, index builds, PDFs); the
#: checks and saves that run on every pause in typing are not.
LOG_JOBS_OVER_S = 1.0


class Operation(QObject):
    """One job's signals, emitted on the UI thread: progress while it runs, then
    finished(result) or failed(message)."""

    progress = Signal(int, int, str)
    finished = Signal(object)
    failed = Signal(str)

    def __init__(self, label: str):
        super().__init__()
        self.label = label
        self.cancelled = False


class _Relay(QObject):
    """The only object the worker thread emits on. It lives as long as the runner, so a
    queued report can never outlive its sender; the runner turns reports into the
    operation's own signals on the UI thread."""

    progress = Signal(int, int, int, str)
    finished = Signal(int, object)
    failed = Signal(int, str)


class _Job(QRunnable):
    def __init__(self, relay: _Relay, op_id: int, operation: Operation, work: Callable[[], Any]):
        super().__init__()
        self.relay, self.op_id, self.operation, self.work = relay, op_id, operation, work

    def run(self) -> None:
        # The window's thread needs the interpreter lock for every Python slot and model call;
        # with the default 5 ms turns, each of those waited up to 5 ms behind this job, and a
        # repaint needing a hundred of them froze for half a second. Shorter turns while a job
        # runs cost the job little.
        turns = sys.getswitchinterval()
        sys.setswitchinterval(JOB_SWITCH_INTERVAL)
        started = time.perf_counter()
        try:
            self._run()
        finally:
            sys.setswitchinterval(turns)
            seconds = time.perf_counter() - started
            if seconds > LOG_JOBS_OVER_S:  # the label names the job, never a patient
                log.info("%s took %.1f s", self.operation.label.rstrip("…"), seconds)

    def _run(self) -> None:
        relay, op_id = self.relay, self.op_id
        try:
            result = self.work()
            if isinstance(result, Iterator):
                # A generator of Progress: closing it on cancel rolls its transaction back.
                steps, result = result, None
                # A progress step is where a job may stop; a result step comes after its
                # work is saved, so a late Cancel does not turn it into a failure.
                for step in steps:
                    if not isinstance(step, Progress):
                        result = step
                        continue
                    if self.operation.cancelled:
                        steps.close()
                        relay.failed.emit(op_id, "Cancelled; nothing was changed.")
                        return
                    relay.progress.emit(op_id, step.done, step.total, step.label)
            relay.finished.emit(op_id, result)
        except EncoderError as exc:
            log.info("%s refused: %s", self.operation.label.rstrip("…"), type(exc).__name__)
            relay.failed.emit(op_id, str(exc))
        except Exception as exc:  # a bug: keep the window alive and say what happened
            log.error("%s failed unexpectedly\n%s", self.operation.label.rstrip("…"),
                      app_log.bug_report(exc))
            relay.failed.emit(op_id, f"Unexpected error: {type(exc).__name__}: {exc} "
                              f"(details in the log: Help > Open log folder)")


class OperationRunner(QObject):
    """Runs jobs one at a time off the UI thread."""

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self.pool = QThreadPool(self)
        self.pool.setMaxThreadCount(1)  # serialized: SQLite has one writer
        self._live: dict[int, Operation] = {}
        self._next_id = 0
        self.relay = _Relay(self)
        self.relay.progress.connect(self._progress)
        self.relay.finished.connect(self._finished)
        self.relay.failed.connect(self._failed)

    def run(self, label: str, work: Callable[[], Any], parent: QWidget | None = None,
            dialog: bool = True) -> Operation:
        self._next_id += 1
        op = Operation(label)
        self._live[self._next_id] = op
        if dialog and parent is not None:
            _attach_dialog(op, parent)
        self.pool.start(_Job(self.relay, self._next_id, op, work))
        return op

    def _progress(self, op_id: int, done: int, total: int, label: str) -> None:
        op = self._live.get(op_id)
        if op is not None:
            op.progress.emit(done, total, label)

    def _finished(self, op_id: int, result: object) -> None:
        op = self._live.pop(op_id, None)
        if op is not None:
            op.finished.emit(result)

    def _failed(self, op_id: int, message: str) -> None:
        op = self._live.pop(op_id, None)
        if op is not None:
            op.failed.emit(message)

    def wait(self, msecs: int = 60000) -> bool:
        return self.pool.waitForDone(msecs)


def _attach_dialog(op: Operation, parent: QWidget) -> None:
    box = QProgressDialog(op.label, "Cancel", 0, 0, parent)
    box.setWindowTitle("Working")
    box.setWindowModality(Qt.WindowModality.WindowModal)
    box.setAutoClose(True)
    # Shown by a timer of our own: QProgressDialog's minimum duration is counted from the
    # first setValue, so a job that reports no progress (start-up, a check, a PDF) showed its
    # dialog only after Qt's default of 4 s.
    show_soon = QTimer(box, singleShot=True, interval=SHOW_AFTER_MS)
    show_soon.timeout.connect(box.show)
    show_soon.start()

    def step(done: int, total: int, label: str) -> None:
        box.setMaximum(max(total, 0))
        box.setValue(min(done, total) if total else 0)
        box.setLabelText(label or op.label)

    def close(*_args) -> None:
        show_soon.stop()  # never shown after the job is over
        box.reset()
        box.deleteLater()

    box.canceled.connect(lambda: setattr(op, "cancelled", True))
    op.progress.connect(step)
    op.finished.connect(close)
    op.failed.connect(close)
