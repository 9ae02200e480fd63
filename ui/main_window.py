"""The main window: search box, codebook browser tabs and the code detail pane."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from PySide6.QtCore import Qt, QTimer, QUrl
from PySide6.QtGui import QAction, QDesktopServices, QDragEnterEvent, QDropEvent, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QInputDialog,
    QLabel,
    QMainWindow,
    QMessageBox,
    QSplitter,
    QStackedWidget,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy import Engine

from encoder_app import app_log, preferences
from encoder_app.codebook.default_build import build_default_codebook, needs_default_build
from encoder_app.codebook.lookup import code_detail
from encoder_app.codebook.pcs_builder import PcsBuilder
from encoder_app.codebook.releases import list_releases
from encoder_app.encounters.unsaved import list_unsaved
from encoder_app.errors import EncoderError
from encoder_app.file_modes import private_folder
from encoder_app.preferences import THEMES
from encoder_app.search import open_search_engine
from encoder_app.users import roles
from encoder_app.users.accounts import database_has_accounts
from encoder_app.users.acting import SignedIn, Who, acting_name, allowed, rights
from ui import window_layout
from ui.browser.detail_pane import DetailPane
from ui.browser.favorites_panel import FavoritesPanel
from ui.browser.pcs_builder import PcsBuilderDialog
from ui.browser.search_panel import SearchPanel
from ui.browser.tabs import TabPlan, add_browser_tabs, plans_or_none
from ui.chart.chart_pane import ChartPane
from ui.chart.encounter_controller import EncounterController
from ui.chart.superbill_actions import SuperbillActions
from ui.errors import show_error
from ui.first_expose import after_first_paint
from ui.icons import app_icon
from ui.import_actions import ImportActions
from ui.practice.forms import make_read_only
from ui.release_banner import ReleaseBanner
from ui.shortcuts import SHORTCUTS, ShortcutsDialog
from ui.sign_in_dialog import SignInDialog
from ui.study.study_controller import StudyController
from ui.window_layout import choose_theme
from ui.worker import OperationRunner


class MainWindow(QMainWindow):
    def __init__(self, engine: Engine, index_dir: Path | None = None):
        super().__init__()
        self.engine = engine
        self.runner = OperationRunner(self)
        self.search_engine = open_search_engine(engine, index_dir)
        self.history: list[tuple[str, str]] = []
        self.pcs_builder: PcsBuilderDialog | None = None  # the open one (Go > Build ...)
        self.history_at = -1
        self._close_after_save = False  # a close waits for the pending save to report
        self._close_unsaved = False  # the coder chose to close though the save failed
        self.date_of_service = dt.date.today()
        self.setWindowTitle("Encoder")
        self.setWindowIcon(app_icon())
        self.resize(window_layout.DEFAULT_SIZE)
        self.setAcceptDrops(True)

        self.search = SearchPanel()
        self.tabs = QTabWidget()
        # ten tabs in the search pane of a 1366-pixel screen: labels short, tabs not padded wide
        self.tabs.tabBar().setExpanding(False)
        self.tabs.setStyleSheet("QTabBar::tab { padding: 3px 6px; } QTabBar::tab:selected "
                                "{ border-bottom: 2px solid palette(highlight); }")
        self.tabs.addTab(self.search, "Search")
        self.detail = DetailPane()
        self.chart = ChartPane(engine, self.runner)
        # Who is working: a signed-in account on a database with accounts (sign_in_if_needed),
        # else the name chosen on this desk.
        self.user: Who = preferences.user_name()
        self.encounters = EncounterController(engine, self.runner, self.chart, self, self.user)
        self.favorites = FavoritesPanel(engine, acting_name(self.user))
        self.superbills = SuperbillActions(engine, self.runner, self.chart, self)
        self.imports = ImportActions(engine, self.search_engine, self.runner, self)
        self.imports.done.connect(self._ready)
        self.tabs.addTab(self.favorites, "Favorites")
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(self.tabs)
        splitter.addWidget(self.detail)
        # The right side holds the chart, or the study pane while a student works.
        self.right = QStackedWidget()
        self.right.addWidget(self.chart)
        splitter.addWidget(self.right)
        splitter.setSizes([660, 360, 600])  # the search's titles need the room most
        self.splitter = splitter
        self.release_banner = ReleaseBanner(engine)
        central = QWidget()
        column = QVBoxLayout(central)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(0)
        column.addWidget(self.release_banner)
        column.addWidget(splitter, 1)
        self.setCentralWidget(central)
        window_layout.restore(self, splitter)  # as it was when it last closed
        self.status = QLabel("Starting…")
        self.statusBar().addWidget(self.status, 1)
        self.user_label = QLabel()
        self.statusBar().addPermanentWidget(self.user_label)
        self._show_user()

        # The detail follows the highlighted result once typing pauses, not on every key.
        self._pending_detail: tuple[str, str] | None = None
        self._detail_timer = QTimer(self, singleShot=True, interval=120)
        self._detail_timer.timeout.connect(self._show_pending_detail)
        self.search.code_selected.connect(self._detail_soon)
        self.search.code_chosen.connect(self.assign_code)
        self.chart.code_opened.connect(self.open_code)
        self.chart.changed.connect(self._follow_date_of_service)
        self.chart.loaded.connect(self._follow_date_of_service)
        self.favorites.code_selected.connect(self.open_code)
        self.favorites.code_chosen.connect(self.assign_code)
        self.encounters.message.connect(self.status.setText)
        self.superbills.message.connect(self.status.setText)
        self.detail.code_link_clicked.connect(self.open_code)
        self.study = StudyController(self)
        self.study.message.connect(self.status.setText)
        self._make_menus()

    # -- start-up --------------------------------------------------------------------------
    def start(self) -> None:
        """Build the default codebook if needed and load the search index, off the UI thread.
        A shown window first paints: loading the index holds the interpreter lock in short
        turns, and the first paint, which needs it a hundred times, took a fifth of a second
        when it had to wait its turn each time."""
        after_first_paint(self, self._start_worker)

    def _start_worker(self) -> None:
        engine, search = self.engine, self.search_engine

        def prepare():
            if needs_default_build(engine):
                yield from build_default_codebook(engine)
            yield from search.ensure_current()
            search.document_count()  # loads the index into memory now, not on the first key
            yield plans_or_none(engine)

        op = self.runner.run("Preparing the codebook (first start builds it once)…", prepare, self)
        op.finished.connect(self._ready)
        op.failed.connect(self._show_error)

    def _ready(self, plans: list[TabPlan] | None = None) -> None:
        self.search.set_engine(self.search_engine)
        add_browser_tabs(self, self.tabs, plans)
        loaded = list_releases(self.engine)
        # On a practice server, say which: a coder must know the encounters are shared.
        url = self.engine.url
        server = (f" · server {url.host or 'local'}/{url.database}"
                  if self.engine.dialect.name != "sqlite" else "")
        self.status.setText(f"{len(loaded)} release{'s' * (len(loaded) != 1)} loaded · "
                            f"{self.search_engine.document_count():,} search entries{server}")
        self.search.box.setFocus()
        self.release_banner.follow(self.chart.date_of_service() or dt.date.today())
        kept = list_unsaved()
        if kept:  # typed while the server could not be reached, in an earlier session
            self.status.setText(f"{len(kept)} encounter{'s' * (len(kept) != 1)} kept on this "
                                f"computer, not saved (the server was unreachable, or the save "
                                f"was refused): File > Reopen an encounter kept on this "
                                f"computer")

    # -- opening codes ---------------------------------------------------------------------
    def open_code(self, system: str, code: str, remember: bool = True) -> None:
        # A code is judged on the date of service of what is being coded: the student's case
        # in study mode, else the encounter.
        self.date_of_service = (self.study.date_of_service() or self.chart.date_of_service()
                                or dt.date.today())
        try:
            detail = code_detail(self.engine, code, system or None, self.date_of_service)
        except EncoderError as exc:
            self.detail.show_message(str(exc))
            return
        self.detail.show_detail(detail)
        if remember and (not self.history or self.history[self.history_at] != (system, code)):
            self.history = self.history[: self.history_at + 1] + [(system, code)]
            self.history_at = len(self.history) - 1

    def _follow_date_of_service(self) -> None:
        """The code shown is judged on the encounter's date of service: when that date changes
        (typed, or another encounter opened), the detail is shown again for the new date."""
        date = self.chart.date_of_service() or dt.date.today()
        shown = self.detail.current
        if date != self.date_of_service:
            self.release_banner.follow(date)
            if shown is not None:  # (open_code notes the new date itself)
                self.open_code(shown.system, shown.code, remember=False)
        self.date_of_service = date

    def _detail_soon(self, system: str, code: str) -> None:
        self._pending_detail = (system, code)
        self._detail_timer.start()

    def _show_pending_detail(self) -> None:
        if self._pending_detail:
            self.open_code(*self._pending_detail)

    def assign_code(self, system: str, code: str, units: int = 1) -> None:
        """Enter on a result: the code goes on the encounter (and stays in the detail pane), or
        into the student's answer in study mode. ``units``: what a dose searched for implies."""
        self.open_code(system, code)
        if self.study.active:
            self.study.add_code(code)
            return
        if self.chart.codes_locked:
            self.status.setText(f"{code} not added: {self.chart.codes_locked}")
            return
        self.chart.add_code(system, code, units)
        self.status.setText(f"Added {code} to the encounter")

    def go(self, step: int) -> None:
        target = self.history_at + step
        if 0 <= target < len(self.history):
            self.history_at = target
            self.open_code(*self.history[target], remember=False)

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:  # noqa: N802 (Qt name)
        if event.mimeData().hasUrls():
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:  # noqa: N802 (Qt name)
        paths = [u.toLocalFile() for u in event.mimeData().urls() if u.isLocalFile()]
        if paths:
            self.imports.import_files(paths)

    # -- menus and errors ------------------------------------------------------------------
    def _action(self, menu, name: str, slot, shortcut: str | None = None) -> QAction:
        action = QAction(name, self)
        if shortcut:
            action.setShortcut(QKeySequence(shortcut))
        action.triggered.connect(slot)
        menu.addAction(action)
        self.addAction(action)
        return action

    def _make_menus(self) -> None:
        bar = self.menuBar()
        file = bar.addMenu("&File")
        self._action(file, "&New encounter", self.encounters.new, SHORTCUTS["New encounter"])
        self._action(file, "&Open encounter…", self.encounters.choose_and_open,
                     SHORTCUTS["Open encounter"])
        self._action(file, "&Save encounter", self.encounters.save, SHORTCUTS["Save encounter"])
        self._action(file, "&Export encounter (JSON)…", lambda: self.encounters.export_json(),
                     SHORTCUTS["Export encounter"])
        self._action(file, "Import encounter (JSON)…", lambda: self.encounters.import_json(),
                     SHORTCUTS["Import encounter"])
        self._action(file, "Audit &trail of this encounter…", self.encounters.show_audit_trail,
                     SHORTCUTS["Audit trail"])
        self._action(file, "Reopen an encounter kept on this computer (not saved)…",
                     self.encounters.reopen_kept)
        file.addSeparator()
        self._action(file, "&Connect to server…", lambda: self.connect_to_server())
        self._action(file, "Switch &user…", lambda: self.switch_user(),
                     SHORTCUTS["Switch user"])
        self.import_action = self._action(file, "&Import release files…",
                                          lambda: self.imports.import_files(),
                                          SHORTCUTS["Import release files"])
        self._action(file, "&Quit", self.close, SHORTCUTS["Quit"])
        go = bar.addMenu("&Go")
        self._action(go, "&Search", self.focus_search, SHORTCUTS["Search"])
        self._action(go, "&Back", lambda: self.go(-1), SHORTCUTS["Back"])
        self._action(go, "&Forward", lambda: self.go(1), SHORTCUTS["Forward"])
        self._action(go, "Star / unstar the code shown", self.toggle_favorite,
                     SHORTCUTS["Star code"])
        self._action(go, "Add the code shown to the encounter", self.assign_shown,
                     SHORTCUTS["Add code shown"])
        self._action(go, "Build an ICD-10-&PCS code…", self.build_pcs_code,
                     SHORTCUTS["Build an ICD-10-PCS code"])
        bills = bar.addMenu("&Superbill")
        self._action(bills, "&Print superbill…", self.superbills.print_superbill,
                     SHORTCUTS["Print superbill"])
        self._action(bills, "&Save superbill as PDF…", lambda: self.superbills.save_superbill(),
                     SHORTCUTS["Save superbill as PDF"])
        self._action(bills, "&Open superbill in PDF viewer", self.superbills.open_superbill,
                     SHORTCUTS["Open superbill in PDF viewer"])
        bills.addSeparator()
        self._action(bills, "&Blank check-off form…", lambda: self.superbills.save_blank_form(),
                     SHORTCUTS["Blank superbill form"])
        self._action(bills, "&Day sheet…", lambda: self.superbills.show_daysheet(),
                     SHORTCUTS["Day sheet"])
        practice = bar.addMenu("&Practice")
        self._action(practice, "Practice &set-up…", lambda: self.open_practice_dialog("practice"),
                     SHORTCUTS["Practice set-up"])
        self._action(practice, "&Fee schedule…", lambda: self.open_practice_dialog("fees"),
                     SHORTCUTS["Fee schedule"])
        self._action(practice, "&Pick lists…", lambda: self.open_practice_dialog("pick_lists"),
                     SHORTCUTS["Pick lists"])
        practice.addSeparator()
        self.accounts_action = self._action(practice, "&Accounts…", self.open_accounts_dialog)
        self.study.add_menu(bar, self._action, SHORTCUTS)
        view = bar.addMenu("&View")
        for name in THEMES:  # light, dark, system: remembered for the next run
            self._action(view, f"&{name.title()} theme",
                         lambda *_, n=name: choose_theme(QApplication.instance(), n))
        help_menu = bar.addMenu("&Help")
        self._action(help_menu, "&Keyboard shortcuts", lambda: ShortcutsDialog(self).exec(),
                     SHORTCUTS["Keyboard shortcuts"])
        self._action(help_menu, "Open &log folder", self.open_log_folder)

    def open_log_folder(self) -> bool:
        """The folder of the log in the desktop's file manager (a local path: no network)."""
        folder = private_folder(app_log.log_folder())
        opened = QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder)))
        if not opened:
            QMessageBox.information(self, "Log folder", f"The log is in {folder}")
        return opened

    def open_practice_dialog(self, which: str):
        """The practice's own set-up: who bills, what they charge, what they check off."""
        if which == "practice":
            from ui.practice.practice_dialog import PracticeDialog as Dialog
        elif which == "fees":
            from ui.practice.fee_schedule_dialog import FeeScheduleDialog as Dialog
        else:
            from ui.practice.pick_list_dialog import PickListDialog as Dialog
        dialog = Dialog(self.engine, self, who=self.user)
        right = roles.CHANGE_FEES if which == "fees" else roles.CHANGE_PRACTICE
        if not allowed(self.engine, self.user, right):
            role = getattr(self.user, "role", None)
            make_read_only(dialog, f"Only an admin can {right}; you are "
                                   + (f"signed in as {acting_name(self.user)} ({role})."
                                      if role else "not signed in."))
        dialog.finished.connect(lambda _r: self.chart.practice_changed())
        dialog.open()
        return dialog

    def connect_to_server(self):
        """File > Connect to server: the dialog; once connected (or back to the desk), the
        window opens again on that database, after this one's encounter is saved here."""
        from ui.connect_dialog import ConnectDialog

        dialog = ConnectDialog(self)
        dialog.chosen.connect(lambda _kind, url: self.reopen_on(url))
        dialog.open()
        return dialog

    def reopen_on(self, url: str):
        """A new window on the database at ``url`` (signed in there, if it has accounts);
        this one closes. Nothing changes when it cannot be opened: said, and this one stays."""
        from encoder_app.codebook.db import engine_for
        from ui.app import open_window

        try:
            engine = engine_for(url)
        except EncoderError as exc:
            show_error(self, "Connect to server", exc)
            return None
        if not self.encounters.may_leave():
            return None
        window = open_window(engine)
        if window is not None:
            window.status.setText(f"Opened {engine.url.render_as_string(hide_password=True)}")
            self.close()
        return window

    def open_accounts_dialog(self):
        """Practice > Accounts: an admin's (or, on a desk without accounts yet, anyone's:
        the first account added must be an admin)."""
        from ui.practice.users_dialog import UsersDialog

        dialog = UsersDialog(self.engine, self, who=self.user)
        if not database_has_accounts(self.engine):
            dialog.status.note("No accounts yet: this desk asks nobody to sign in. Add an "
                               "admin first; from then on everyone signs in.")
        dialog.finished.connect(lambda _r: self._accounts_changed())
        dialog.open()
        return dialog

    def _accounts_changed(self) -> None:
        """The first account makes this a database with accounts: whoever is here signs in."""
        if database_has_accounts(self.engine) and not isinstance(self.user, SignedIn):
            if not self.sign_in_if_needed(""):
                self.close()

    def _show_user(self) -> None:
        who = self.user
        self.user_label.setText(f"Signed in as {who.name} ({who.role})"
                                if isinstance(who, SignedIn) else f"Coding as {who}")

    def sign_in_if_needed(self, name: str | None = None) -> bool:
        """On a database with accounts, nobody works until signed in: the sign-in dialog,
        False when it was cancelled (the window then closes). A single desk asks nothing."""
        if not database_has_accounts(self.engine):
            return True
        url = self.engine.url
        where = (f"Server {url.host or 'local'}/{url.database}"
                 if self.engine.dialect.name != "sqlite" else "")
        dialog = SignInDialog(self.engine, name if name is not None else acting_name(self.user),
                              where, self)
        if dialog.exec() != SignInDialog.DialogCode.Accepted or dialog.signed_in is None:
            return False
        self.act_as(dialog.signed_in)
        return True

    def act_as(self, who: Who) -> None:
        """From now on ``who`` saves, stars and is named in the trails; what their role may
        not change is greyed out (the core refuses it as well)."""
        self.user = who
        self.encounters.user = who
        self.favorites.set_user(acting_name(who))
        may = rights(self.engine, who)  # one read of the role for all three
        self.chart.lock_codes(None if roles.CHANGE_CODES in may else
                              f"{acting_name(who)} ({getattr(who, 'role', '')}) may not "
                              f"{roles.CHANGE_CODES}")
        self.import_action.setEnabled(roles.IMPORT_RELEASES in may)
        self.accounts_action.setEnabled(roles.MANAGE_USERS in may)
        self._show_user()

    def switch_user(self, name: str | None = None) -> None:
        """Another coder takes the desk: their favorites, their name on the audit trail. On a
        database with accounts, whoever takes it signs in."""
        if database_has_accounts(self.engine):
            self.encounters.save()  # the previous user's last edits, under their name
            if self.sign_in_if_needed(name if name is not None else ""):
                self.status.setText(f"Now signed in as {acting_name(self.user)}")
            return
        if name is None:
            name, ok = QInputDialog.getText(self, "Switch user", "Your name or initials:",
                                            text=self.user)
            if not ok:
                return
        # The previous coder's last edits are saved under their name: the save took the name
        # when it was queued, so nothing waits for it to run.
        self.encounters.save()
        try:
            self.user = preferences.set_user_name(name)
        except EncoderError as exc:
            show_error(self, "Switch user", exc)
            return
        self.act_as(self.user)
        self.status.setText(f"Now coding as {self.user}")

    def toggle_favorite(self) -> None:
        shown = self.detail.current
        if shown is None:
            return
        starred = self.favorites.toggle(shown.system, shown.code)
        self.status.setText(f"{shown.code} {'starred' if starred else 'unstarred'}")

    def assign_shown(self) -> None:
        shown = self.detail.current
        if shown is not None and self.study.active:
            self.study.add_code(shown.code)
        elif shown is not None:
            self.chart.add_code(shown.system, shown.code)

    def build_pcs_code(self) -> None:
        """Go > Build an ICD-10-PCS code: the tables are read on the worker, then the builder
        opens, on the PCS code shown when there is one, so it explains that code."""
        engine = self.engine
        day = self.chart.date_of_service() or dt.date.today()
        shown = self.detail.current
        start = shown.code if shown is not None and shown.system == "icd10pcs" else ""
        op = self.runner.run("Reading the ICD-10-PCS Tables…", lambda: PcsBuilder(engine, day),
                             self, dialog=False)
        op.finished.connect(lambda builder: self._open_pcs_builder(builder, start))
        op.failed.connect(lambda text: show_error(self, "ICD-10-PCS builder", text))

    def _open_pcs_builder(self, builder: PcsBuilder, start: str) -> None:
        self.pcs_builder = PcsBuilderDialog(builder, start, self)
        self.pcs_builder.code_added.connect(lambda code: self.assign_code("icd10pcs", code))
        self.pcs_builder.open()

    def focus_search(self) -> None:
        self.tabs.setCurrentWidget(self.search)
        self.search.box.setFocus()
        self.search.box.selectAll()

    def _show_error(self, message: str) -> None:
        self.status.setText("Not ready: " + message)
        show_error(self, "Encoder", message, fatal=True)

    def closeEvent(self, event) -> None:  # noqa: N802 (Qt name)
        """Save, and close once the save has reported: while it runs the window stays open
        and answers (the close is asked again when the save finishes; a failed save asks)."""
        if self._close_after_save:  # already closing once the save reports
            event.ignore()
            return
        if not self._close_unsaved and not self.encounters.may_leave():
            event.ignore()  # nothing typed is lost on close without asking
            return
        pending = None if self._close_unsaved else self.encounters.pending_save()
        if pending is not None:
            event.ignore()
            self._close_after_save = True
            self.status.setText("Saving before closing…")
            pending.finished.connect(self._saved_then_close)
            pending.failed.connect(self._save_failed_on_close)
            return
        window_layout.remember(self, self.splitter)
        super().closeEvent(event)

    def _saved_then_close(self, *_args) -> None:
        self._close_after_save = False
        self.close()  # saves again only what was typed meanwhile, and waits for that too

    def _save_failed_on_close(self, message: str) -> None:
        self._close_after_save = False
        answer = QMessageBox.question(
            self, "Encounter not saved",
            f"The encounter could not be saved:\n\n{message}\n\nClose without saving it?",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No)
        if answer == QMessageBox.StandardButton.Yes:
            self._close_unsaved = True
            self.close()

