"""The worker's log: a bug in a background job leaves its traceback in the log (never its
message, which may quote a patient), the window is told where to look, and a long job is logged
with its time."""

from __future__ import annotations

import logging

import pytest

import ui.worker as worker
from encoder_app import app_log
from ui.worker import OperationRunner

PATIENT = "Ingrid Oyelaran-Whitcombe"


@pytest.fixture
def log_text(tmp_path, monkeypatch):
    monkeypatch.setenv("ENCODER_APP_DATA", str(tmp_path / "data"))
    path = app_log.setup()
    yield lambda: path.read_text(encoding="utf-8")
    logger = logging.getLogger(app_log.ROOT)
    for handler in list(app_log._handlers):
        logger.removeHandler(handler)
        handler.close()
    app_log._handlers.clear()


def test_a_bug_in_a_job_is_logged_with_its_traceback_but_not_its_message(qtbot, log_text):
    def save_the_visit_of_a_named_patient():
        raise KeyError(f"no such field for {PATIENT}")

    runner = OperationRunner()
    op = runner.run("Saving", save_the_visit_of_a_named_patient)
    with qtbot.waitSignal(op.failed) as failed:
        pass
    assert runner.wait()  # the job is over (its lock turns put back) before the next test
    assert "Unexpected error: KeyError" in failed.args[0]
    assert "Help > Open log folder" in failed.args[0]
    text = log_text()
    assert "Saving failed unexpectedly" in text
    assert "save_the_visit_of_a_named_patient" in text  # the frame that raised
    assert "KeyError (its message is left out" in text
    assert PATIENT not in text


def test_a_long_job_is_logged_with_its_time_a_short_one_is_not(qtbot, log_text, monkeypatch):
    runner = OperationRunner()
    op = runner.run("Checking", lambda: 1)
    with qtbot.waitSignal(op.finished):
        pass
    # A job's time is logged once its result is on its way: finished can arrive before the
    # job has measured and logged it. The pool is done only when the job has.
    assert runner.wait()
    monkeypatch.setattr(worker, "LOG_JOBS_OVER_S", 0.0)  # every job is "long" from here on
    op = runner.run("Importing…", lambda: 2)
    with qtbot.waitSignal(op.finished):
        pass
    assert runner.wait()
    text = log_text()
    assert "Checking" not in text
    assert "encoder_app.window.worker: Importing took 0.0 s" in text


def test_the_progress_dialog_shows_after_half_a_second_without_progress(qtbot):
    """A job that reports no progress (start-up, a check, a PDF) shows its dialog once it has
    run SHOW_AFTER_MS; Qt's own delay would wait 4 s. A quick job never shows one."""
    import threading

    from PySide6.QtWidgets import QProgressDialog, QWidget

    parent = QWidget()
    qtbot.addWidget(parent)
    parent.show()
    runner = OperationRunner()
    release = threading.Event()
    op = runner.run("Printing", lambda: release.wait(30), parent)
    [box] = parent.findChildren(QProgressDialog)
    assert not box.isVisible()
    try:
        qtbot.waitUntil(box.isVisible, timeout=3000)  # well before Qt's 4 s
        assert box.labelText() == "Printing"
    finally:
        release.set()
    with qtbot.waitSignal(op.finished):
        pass
    assert not box.isVisible()

    op = runner.run("Checking", lambda: 1, parent)
    with qtbot.waitSignal(op.finished):
        pass
    qtbot.wait(worker.SHOW_AFTER_MS + 200)
    assert not any(b.isVisible() for b in parent.findChildren(QProgressDialog))
    assert runner.wait()
