"""Start-up without a frozen window: the browser tabs' first rows are fetched on the worker, the
worker starts once the window has painted, and a job runs with short interpreter-lock turns."""

import sys
import threading

from PySide6.QtCore import QModelIndex
from PySide6.QtWidgets import QWidget

from encoder_app.importers import import_paths
from ui.browser_models import BrowseSource, IndexTreeModel, TableTreeModel, TabularTreeModel
from ui.browser_tabs import TabPlan, plan_browser_tabs
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


def test_the_window_builds_its_tabs_from_the_workers_plan(window):
    seen = window.browser_views["icd10cm"].model()
    assert seen.rowCount() == 22
    # A plan made elsewhere is what the tabs show: here one whose only tab is the Tabular.
    plan = TabPlan("icd10cm", TabularTreeModel, seen.top_rows(seen.source, "icd10cm", 0, 3))
    window._ready([plan])
    assert list(window.browser_views) == ["icd10cm"]
    assert window.browser_views["icd10cm"].model().rowCount() == 3


def test_the_worker_waits_for_the_first_paint(qtbot):
    widget = QWidget()
    qtbot.addWidget(widget)
    ran = []
    widget.show()
    FirstExpose(widget, lambda: ran.append(widget.windowHandle().isExposed()))
    qtbot.waitUntil(lambda: bool(ran), timeout=FALLBACK_MS * 4)
    assert ran == [True]
    qtbot.wait(FALLBACK_MS + 100)  # the fallback timer does not run it again
    assert ran == [True]


def test_a_window_never_exposed_still_starts_after_the_fallback(qtbot):
    widget = QWidget()
    qtbot.addWidget(widget)
    ran = []
    FirstExpose(widget, lambda: ran.append(True))
    qtbot.wait(FALLBACK_MS // 2)
    assert ran == []
    qtbot.waitUntil(lambda: bool(ran), timeout=FALLBACK_MS * 4)


def test_a_job_runs_with_short_lock_turns_and_restores_them(qtbot):
    before = sys.getswitchinterval()
    runner = OperationRunner()
    op = runner.run("probe", sys.getswitchinterval)
    with qtbot.waitSignal(op.finished) as done:
        pass
    assert done.args == [JOB_SWITCH_INTERVAL] and JOB_SWITCH_INTERVAL < before
    assert runner.wait() and sys.getswitchinterval() == before
