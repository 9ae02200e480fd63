"""Importing CMS/CDC release files from the window (File > Import, or files dropped on it): the
import and the search-index rebuild run on the worker; a loaded release that a different file
would replace is shown with both files' counts and replaced only when the coder says so."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget
from sqlalchemy import Engine

from encoder_app.importers.registry import RELEASE_FILE_PATTERNS
from encoder_app.importers.runner import ImportJob, count_difference
from encoder_app.search.engine import SearchEngine
from ui.browser.tabs import TabPlan, plans_or_none
from ui.errors import show_error
from ui.worker import OperationRunner


class ImportActions(QObject):
    #: An import ended (done, failed or refused): the browser tabs' first rows, fetched on the
    #: worker after it (None: plan them on the UI thread).
    done = Signal(object)

    def __init__(self, engine: Engine, search_engine: SearchEngine, runner: OperationRunner,
                 window: QWidget):
        super().__init__(window)
        self.engine, self.search_engine, self.runner, self.window = (
            engine, search_engine, runner, window)

    def import_files(self, paths: list[str] | None = None, replace: bool = False) -> None:
        if paths is None:
            paths, _ = QFileDialog.getOpenFileNames(
                self.window, "Import CMS/CDC release files", str(Path.home()),
                f"Release files ({RELEASE_FILE_PATTERNS});;All files (*)")
        if not paths:
            return
        job = ImportJob(paths, self.engine, replace=replace, who=self.window.user)
        search = self.search_engine

        def work():
            yield from job.run()
            if any(o.status in ("imported", "replaced") for o in job.outcomes):
                yield from search.rebuild()
                search.document_count()
            yield plans_or_none(engine)

        engine = self.engine
        op = self.runner.run("Importing…", work, self.window)
        op.finished.connect(lambda plans: self._imported(job, plans=plans))
        op.failed.connect(lambda message: self._imported(job, message))

    def _imported(self, job: ImportJob, error: str | None = None,
                  plans: list[TabPlan] | None = None) -> None:
        lines = [o.summary() for o in job.outcomes if o.status != "needs_replace"]
        refused = [o for o in job.outcomes if o.status == "needs_replace"]
        if refused and not error:
            self.done.emit(plans)
            self._ask_to_replace(job, refused, lines)
            return
        if error:
            show_error(self.window, "Import stopped",
                       "\n\n".join([*lines, f"Not imported: {error}"]))
        else:
            QMessageBox.information(self.window, "Import finished",
                                    "\n\n".join(lines) or "Nothing new.")
        self.done.emit(plans)

    def _ask_to_replace(self, job: ImportJob, refused: list, lines: list[str]) -> None:
        """A loaded release would be replaced by a different file of the same version: show
        both files' counts and import again, replacing, only when the coder says so."""
        details = "\n\n".join(
            f"{o.label} (from {o.source}):\n    "
            + count_difference(o.old_counts, o.counts).replace("; ", "\n    ")
            for o in refused)
        done = ("\n\n" + "\n\n".join(lines)) if lines else ""
        answer = QMessageBox.question(
            self.window, "Replace a loaded release?",
            f"These releases are already loaded from a different file:\n\n{details}\n\n"
            f"Replace them with the new files? Nothing has been changed yet.{done}",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No)
        if answer == QMessageBox.StandardButton.Yes:
            self.import_files([str(p) for p in job.paths], replace=True)
