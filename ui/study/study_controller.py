"""Study mode in the window: the Study menu, the study pane in place of the chart, and the flow
of a sitting (start, answer, check, move, finish, report). Every database step (loading a set,
generating a drill, grading, storing an attempt, progress) runs on the window's one worker."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import QFileDialog, QWidget

from encoder_app.codebook.index_lookup import path_words
from encoder_app.reports.study_report import render_study_report
from encoder_app.study.code_facts import CodebookFacts
from encoder_app.study.progress import export_attempts, progress
from encoder_app.study.session import EXAM, STUDY, Session
from encoder_app.study.sets import all_sets, import_set
from encoder_app.study.sittings import drill_sitting, record_item, review_sitting, set_sitting
from ui.errors import show_error
from ui.pdf_actions import PdfActions
from ui.study.start_dialog import StartDialog, StudyChoice
from ui.study.study_pane import StudyPane


class StudyController(QObject):
    message = Signal(str)
    graded = Signal(int)  # an item's verdicts are shown (tests wait on it)
    finished = Signal(float)  # the sitting ended with this score
    progress_shown = Signal(object)  # the ProgressDialog

    def __init__(self, window):
        super().__init__(window)
        self.window = window
        self.engine, self.runner = window.engine, window.runner
        self.pane = StudyPane()
        window.right.addWidget(self.pane)
        self.session: Session | None = None
        self.facts = CodebookFacts(self.engine)  # used on the worker only
        self.pdf = PdfActions(self.runner, window)
        self.pdf.message.connect(self.message)
        self._shown_at = dt.datetime.now()
        self._clock = QTimer(self, interval=1000)
        self._clock.timeout.connect(self._tick)
        self.pane.check_requested.connect(self.check)
        self.pane.move_requested.connect(self.move)
        self.pane.finish_requested.connect(self.finish)
        self.pane.leave_requested.connect(self.leave)
        self.pane.code_link_clicked.connect(lambda code: window.open_code("", code))
        self.pane.index_link_clicked.connect(self.open_index_path)

    @property
    def active(self) -> bool:
        return self.session is not None and self.window.right.currentWidget() is self.pane

    def date_of_service(self) -> dt.date | None:
        if not self.active:
            return None
        return self.session.items[self.pane.index].date_of_service

    def add_code(self, code: str) -> None:
        self.pane.add_code(code)
        self.message.emit(f"Added {code} to your answer")

    # -- menu ------------------------------------------------------------------------------
    def add_menu(self, bar, action, shortcuts: dict[str, str]) -> None:
        study = bar.addMenu("S&tudy")
        action(study, "&Study a set or drill…", lambda: self.choose(STUDY),
               shortcuts["Study"])
        action(study, "Start an &exam…", lambda: self.choose(EXAM), shortcuts["Exam"])
        action(study, "&Review missed items", self.review, shortcuts["Review missed items"])
        action(study, "My &progress…", self.show_progress, shortcuts["Study progress"])
        study.addSeparator()
        action(study, "Save score &report as PDF…", lambda: self.save_report())
        action(study, "&Import exercise set…", lambda: self.import_set())
        action(study, "E&xport my attempts (CSV)…", lambda: self.export_csv())
        study.addSeparator()
        action(study, "&Back to the chart", self.leave)

    # -- starting --------------------------------------------------------------------------
    def choose(self, mode: str) -> None:
        op = self.runner.run("Loading the exercise sets", lambda: all_sets(self.engine),
                             self.window)
        op.finished.connect(lambda sets: self._ask(sets, mode))
        op.failed.connect(lambda text: show_error(self.window, "Study", text))

    def _ask(self, sets, mode: str, answer: StudyChoice | None = None) -> None:
        if answer is None:
            dialog = StartDialog(sets, mode == EXAM, self.window)
            if not dialog.exec():
                return
            answer = dialog.choice()
        self.start(answer, mode)

    def start(self, choice: StudyChoice, mode: str) -> None:
        options = {}
        if mode == EXAM:
            options = {"time_limit": dt.timedelta(minutes=choice.minutes or 30),
                       "book_only": choice.book_only}
        engine = self.engine
        if choice.source == "set":
            def make():
                return set_sitting(engine, choice.name, mode, choice.count, choice.seed,
                                   **options)
        else:
            def make():
                return drill_sitting(engine, choice.name, choice.count or 10, choice.seed, mode,
                                     **options)
        self._run_then("Preparing the questions", make, self.begin)

    def review(self) -> None:
        engine, user = self.engine, self.window.user
        self._run_then("Finding the items due", lambda: review_sitting(engine, user),
                       self.begin)

    def begin(self, session: Session) -> None:
        self.session = session
        self.pane.show_session(session)
        self.window.right.setCurrentWidget(self.pane)
        self._book_only(session.book_only)
        self._shown_at = dt.datetime.now()
        if session.time_limit is not None:
            self._clock.start()
            self._tick()
        else:
            self.pane.show_clock("")
        self.message.emit(f"{session.title}: {len(session.items)} items")

    # -- answering -------------------------------------------------------------------------
    def _keep_answer(self) -> None:
        if self.session is None or self.session.finished_at is not None:
            return
        spent = int((dt.datetime.now() - self._shown_at).total_seconds())
        index = self.pane.index
        spent += self.session.seconds.get(index, 0)
        self.session.answer(index, self.pane.entered(), spent)
        self._shown_at = dt.datetime.now()

    def check(self) -> None:
        if self.session is None or self.session.mode == EXAM:
            return
        self._keep_answer()
        session, index, engine, user = self.session, self.pane.index, self.engine, \
            self.window.user
        facts = self.facts

        def grade():
            session.grade(index, facts)
            return record_item(engine, user, session, index)

        def shown(_due):
            if self.session is session and self.pane.index == index:
                self.pane.show_item(index)
            self.graded.emit(index)

        self._run_then("Grading", grade, shown, dialog=False)

    def move(self, step: int) -> None:
        if self.session is None:
            return
        self._keep_answer()
        target = self.pane.index + step
        if 0 <= target < len(self.session.items):
            self.pane.show_item(target)

    def finish(self) -> None:
        if self.session is None or self.session.finished_at is not None:
            return
        self._keep_answer()
        self._clock.stop()
        session, engine, user, facts = self.session, self.engine, self.window.user, self.facts
        already = set(session.results)

        def grade_all():
            score = session.finish(facts)
            for i in range(len(session.items)):
                # A study session stored each checked answer already; an exam stores all now.
                if session.mode == EXAM or (i not in already and session.answers.get(i)):
                    record_item(engine, user, session, i)
            return score

        def done(score: float):
            self.pane.show_item(0)
            self.pane.show_clock(f"Score {score * 100:.0f}%")
            self._book_only(False)
            self.message.emit(f"{session.title}: {score * 100:.0f}% — Study > Save score "
                              "report as PDF keeps the report")
            self.finished.emit(score)

        self._run_then("Grading the exam", grade_all, done)

    def _tick(self) -> None:
        left = self.session.time_left() if self.session else None
        if left is None:
            return
        minutes, seconds = divmod(int(left.total_seconds()), 60)
        self.pane.show_clock(f"{minutes}:{seconds:02d} left")
        if left.total_seconds() <= 0:
            self.message.emit("Time is up: the exam is graded as it stands")
            self.finish()

    def leave(self) -> None:
        self._keep_answer()
        self._book_only(False)
        self.window.right.setCurrentWidget(self.window.chart)

    def _book_only(self, on: bool) -> None:
        """An exam without the search box: the Index and Tabular List only."""
        self.window.search.box.setEnabled(not on)
        self.window.tabs.setTabEnabled(0, not on)
        if on:
            page = self._book_page("index")
            if page is not None:
                self.window.tabs.setCurrentWidget(page)

    # -- links, reports, files -------------------------------------------------------------
    def _book_page(self, book: str) -> QWidget | None:
        view = getattr(self.window, "browser_views", {}).get(book)
        if view is None:
            return None
        page = view.parentWidget()
        while page is not None and self.window.tabs.indexOf(page) < 0:
            page = page.parentWidget()
        return page

    def open_index_path(self, book: str, path: str) -> None:
        """The path's main term in its book's tab, filtered to it, and the path in the bar."""
        page = self._book_page(book)
        if page is None:
            self.message.emit(f"That book is not loaded: {path}")
            return
        self.window.tabs.setCurrentWidget(page)
        view = self.window.browser_views[book]
        # An index book opens down to the term, as a see reference jumps; a table (or a path
        # the jump cannot follow) is filtered to its main term instead.
        if hasattr(view.model(), "index_for_reference") and view.jump(path_words(path)):
            view.setFocus()
        elif hasattr(page, "box"):
            page.box.setText(path_words(path.split(" > ")[0]))
        self.message.emit(f"Index path: {path}")

    def save_report(self, path: str | None = None) -> None:
        if self.session is None:
            self.message.emit("No study session or exam to report yet")
            return
        session, user = self.session, self.window.user
        name = f"study-report-{session.started_at:%Y%m%d-%H%M}.pdf"
        self.pdf.save(lambda: render_study_report(session, user).data, name, path)

    def import_set(self, path: str | None = None) -> None:
        if path is None:
            path, _ = QFileDialog.getOpenFileName(self.window, "Import exercise set",
                                                  str(Path.home()), "Exercise set (*.json)")
        if not path:
            return
        engine, who = self.engine, self.window.user  # the signed-in user, named in the trail
        self._run_then("Checking the exercise set", lambda: import_set(engine, path, who=who),
                       lambda s: self.message.emit(f"Imported {s.title} ({len(s.cases)} "
                                                   "cases)"), title="Import exercise set")

    def export_csv(self, path: str | None = None) -> None:
        if path is None:
            path, _ = QFileDialog.getSaveFileName(self.window, "Export attempts",
                                                  str(Path.home() / "study-attempts.csv"),
                                                  "CSV (*.csv)")
        if not path:
            return
        engine, user = self.engine, self.window.user
        self._run_then("Exporting", lambda: export_attempts(engine, user, path),
                       lambda n: self.message.emit(f"Wrote {n} attempts to {path}"))

    def show_progress(self) -> None:
        engine, user = self.engine, self.window.user

        def shown(figures):
            # Imported when first shown: the chart brings pyqtgraph and numpy, 0.4 s of every
            # start (and more from disk after a reboot) that only this dialog needs.
            from ui.study.progress_view import ProgressDialog

            dialog = ProgressDialog(figures, self.window)
            dialog.export_requested.connect(lambda: self.export_csv())
            self.progress_shown.emit(dialog)
            dialog.open()

        self._run_then("Reading your progress", lambda: progress(engine, user), shown)

    def _run_then(self, label: str, work, then, dialog: bool = True,
                  title: str = "Study") -> None:
        op = self.runner.run(label, work, self.window if dialog else None, dialog=dialog)
        op.finished.connect(then)
        op.failed.connect(lambda text: show_error(self.window, title, text))
