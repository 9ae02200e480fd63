"""Start-up without a frozen window: the browser tabs' first rows are fetched on the worker, the
worker starts once the window has painted, and a job runs with short interpreter-lock turns."""

import sys
import threading
import time

from PySide6.QtCore import QModelIndex
from PySide6.QtWidgets import QWidget

from encoder_app.importers import import_paths
from encoder_app.progress import Progress
from ui.browser.models import IndexTreeModel, TableTreeModel, TabularTreeModel
from ui.browser.source import BrowseSource
from ui.browser.tabs import TabPlan, plan_browser_tabs
from ui.first_expose import FALLBACK_MS, FirstExpose
from ui.worker import JOB_SWITCH_INTERVAL, OperationRunner

TOP = QModelIndex()


class CountingSource(BrowseSource):
    """A BrowseSource that records which thread asked it for the top of a tree."""

    def __init__(self, engine):
        super().__init__(engine)
        self.top_asks: list[str] = []

    def tabular_children(self, system, parent_id, offset=0, limit=None):
        if parent_id is None:
            self.top_asks.append(threading.current_thread().name)
        return super().tabular_children(system, parent_id, offset, limit)

    def index_nodes(self, book, parent_id, offset=0, limit=None, system="icd10cm"):
        if parent_id is None:
            self.top_asks.append(threading.current_thread().name)
        return super().index_nodes(book, parent_id, offset, limit, system)


def test_a_tree_seeded_with_its_first_rows_asks_nothing_for_them(fy2026_engine):
    first = TabularTreeModel.top_rows(BrowseSource(fy2026_engine), "icd10cm", 0, 500)
    source = CountingSource(fy2026_engine)
    model = TabularTreeModel(source, "icd10cm", first)
    assert model.rowCount() == 22 and not model.canFetchMore(TOP)
    assert model.index(3, 0).data() == "Chapter 4"
    chapter4 = model.index(3, 0)
    model.fetchMore(chapter4)  # below the top it fetches as before
    assert model.index(1, 0, chapter4).data() == "E08-E13"
    assert source.top_asks == []


def test_a_seeded_first_batch_of_a_long_level_fetches_on_from_its_end(engine, shared_codebooks):
    import_paths([shared_codebooks / "icd10cm-2025" / "icd10cm_index_2025.xml"], engine)
    first = IndexTreeModel.top_rows(BrowseSource(engine), "index", 0, IndexTreeModel.batch)
    model = IndexTreeModel(BrowseSource(engine), "index", first=first)
    assert model.rowCount() == 500 and model.more_at_top()
    model.fetch_more_top()
    unseeded = IndexTreeModel(BrowseSource(engine), "index")
    unseeded.fetchMore(TOP)
    unseeded.fetch_more_top()
    assert [model.index(r, 0).data() for r in range(495, 505)] == \
        [unseeded.index(r, 0).data() for r in range(495, 505)]


def test_the_plan_names_every_loaded_tab_with_its_first_rows(fy2026_engine, fixtures):
    import_paths([fixtures / "index" / name for name in
                  ("icd10cm_index_mini_2031.xml", "icd10cm_neoplasm_mini_2031.xml")],
                 fy2026_engine)
    plans = {p.key: p for p in plan_browser_tabs(fy2026_engine)}
    assert set(plans) == {"icd10cm", "index", "neoplasm"}
    assert plans["icd10cm"].model is TabularTreeModel
    assert [n.code for n in plans["icd10cm"].first][:2] == ["Chapter 1", "Chapter 2"]
    assert plans["index"].model is IndexTreeModel and plans["index"].first
    neoplasm = plans["neoplasm"]
    assert neoplasm.model is TableTreeModel and neoplasm.first
    model = TableTreeModel(BrowseSource(fy2026_engine), "neoplasm", neoplasm.first,
                           neoplasm.headings)
    assert model.columnCount() == len(neoplasm.headings) > 1


def test_start_up_hands_the_tabs_a_plan_made_on_the_worker(_ui_template, tmp_path, qtbot,
                                                          monkeypatch):
    import shutil

    import ui.browser.tabs as tabs
    import ui.main_window as main_window
    from encoder_app.codebook.db import engine_for

    planned_on, handed = [], []
    real_plan, real_add = tabs.plan_browser_tabs, main_window.add_browser_tabs

    def plan(engine):
        planned_on.append(threading.current_thread() is threading.main_thread())
        return real_plan(engine)

    def add(window, tabs, plans=None):
        handed.append(plans)
        return real_add(window, tabs, plans)

    monkeypatch.setattr(tabs, "plan_browser_tabs", plan)
    monkeypatch.setattr(main_window, "add_browser_tabs", add)
    shutil.copy(_ui_template / "db.sqlite3", tmp_path / "db.sqlite3")
    shutil.copytree(_ui_template / "index", tmp_path / "index")
    win = main_window.MainWindow(engine_for(f"sqlite:///{tmp_path / 'db.sqlite3'}"),
                                 tmp_path / "index")
    qtbot.addWidget(win)
    win.show()
    win.start()
    qtbot.waitUntil(lambda: win.search.box.isEnabled(), timeout=60000)
    assert planned_on == [False]  # planned once, off the window's thread
    assert len(handed) == 1 and [p.key for p in handed[0]] == ["icd10cm"]
    assert win.browser_views["icd10cm"].model().rowCount() == 22


def test_a_failed_plan_is_no_failed_start_the_tabs_plan_themselves(window, monkeypatch):
    import ui.browser.tabs as tabs

    def broken(engine):
        raise RuntimeError("database is locked")

    monkeypatch.setattr(tabs, "plan_browser_tabs", broken)
    assert tabs.plans_or_none(window.engine) is None
    monkeypatch.undo()  # the planning on the UI thread that follows works
    window._ready(None)
    assert window.browser_views["icd10cm"].model().rowCount() == 22


def test_the_window_builds_its_tabs_from_the_plan_it_is_given(window):
    seen = window.browser_views["icd10cm"].model()
    assert seen.rowCount() == 22
    # A plan made elsewhere is what the tabs show: here one whose only tab is the Tabular.
    plan = TabPlan("icd10cm", TabularTreeModel, seen.top_rows(seen.source, "icd10cm", 0, 3))
    window._ready([plan])
    assert list(window.browser_views) == ["icd10cm"]
    assert window.browser_views["icd10cm"].model().rowCount() == 3


def test_the_worker_waits_for_the_first_paint(qtbot, monkeypatch):
    import ui.first_expose

    monkeypatch.setattr(ui.first_expose, "FALLBACK_MS", 60000)  # only the expose may start it
    widget = QWidget()
    qtbot.addWidget(widget)
    ran = []
    widget.show()
    FirstExpose(widget, lambda: ran.append(widget.windowHandle().isExposed()))
    assert ran == []  # not before the window is on screen
    qtbot.waitUntil(lambda: bool(ran), timeout=5000)
    assert ran == [True]
    qtbot.wait(100)
    assert ran == [True]


def test_a_window_never_exposed_still_starts_after_the_fallback(qtbot):
    widget = QWidget()
    qtbot.addWidget(widget)
    ran = []
    # When it ran, not whether it had run after a wait: a wait of half the fallback could last
    # past all of it on a loaded machine. (Qt fires a coarse timer up to 5% early.)
    started = time.monotonic()
    FirstExpose(widget, lambda: ran.append(time.monotonic() - started))
    qtbot.waitUntil(lambda: bool(ran), timeout=30000)
    assert len(ran) == 1 and ran[0] >= 0.9 * FALLBACK_MS / 1000  # not before the fallback


def test_cancel_after_the_last_progress_step_does_not_fail_finished_work(qtbot):
    runner = OperationRunner()
    saved = []
    op_known = threading.Event()  # the job runs at once: let it see `op` only once it exists

    def job():
        op_known.wait(5)
        yield Progress(1, 1, "saving")
        saved.append(True)  # the work is done and kept
        op.cancelled = True  # the coder clicks Cancel while the result is handed over
        yield "plans"

    op = runner.run("probe", job)
    op_known.set()
    with qtbot.waitSignal(op.finished) as done:
        pass
    assert done.args == ["plans"] and saved == [True]
    # The job puts the interpreter's lock turns back after it reports: let it, before the next
    # test reads them (test_a_job_runs_with_short_lock_turns_and_restores_them).
    assert runner.wait()


def test_cancel_at_a_progress_step_still_stops_the_job(qtbot):
    runner = OperationRunner()
    reached = []
    op_known = threading.Event()

    def job():
        op_known.wait(5)
        op.cancelled = True
        yield Progress(0, 2, "first")
        reached.append(True)
        yield Progress(1, 2, "second")

    op = runner.run("probe", job)
    op_known.set()
    with qtbot.waitSignal(op.failed) as failed:
        pass
    assert "Cancelled" in failed.args[0] and reached == []
    assert runner.wait()  # done, its lock turns put back (see above)


def test_a_job_runs_with_short_lock_turns_and_restores_them(qtbot):
    before = sys.getswitchinterval()
    runner = OperationRunner()
    op = runner.run("probe", sys.getswitchinterval)
    with qtbot.waitSignal(op.finished) as done:
        pass
    assert done.args == [JOB_SWITCH_INTERVAL] and JOB_SWITCH_INTERVAL < before
    assert runner.wait() and sys.getswitchinterval() == before


def test_a_tab_that_cannot_fetch_says_why_in_the_status_bar(window):
    model = window.browser_views["icd10cm"].model()
    model.fetchFailed.emit("No ICD-10-CM release in effect on 1990-01-01")
    assert window.status.text() == "No ICD-10-CM release in effect on 1990-01-01"



def test_the_window_starts_without_the_progress_chart_libraries():
    """pyqtgraph and numpy are the study progress chart's alone: imported when it first opens,
    not on every start (0.4 s warm, more from disk after a reboot)."""
    import subprocess

    code = ("import sys, ui.app; "
            "print(sorted(m for m in ('pyqtgraph', 'numpy') if m in sys.modules))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"
