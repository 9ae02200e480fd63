"""The worst stall of the UI thread while a coder types in search, expands the Tabular tree,
scrolls the Alphabetic Index and imports release files from the window (File > Import: the
FY2025 Tabular List and Index from ../shared/codebooks, each a fresh copy so every run imports
or replaces it in full). A 5 ms heartbeat timer records the longest gap between its ticks.

    ENCODER_APP_DATA=... QT_QPA_PLATFORM=offscreen python bench/bench_ui_stalls.py [--imports-only]

Prints figures; asserts nothing. Target: no stall over 100 ms.
"""

from __future__ import annotations

import json
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import tempfile  # noqa: E402

from PySide6.QtCore import QCoreApplication, QEventLoop, QTimer  # noqa: E402
from PySide6.QtWidgets import QApplication, QMessageBox, QTreeView  # noqa: E402

from encoder_app.codebook.db import default_engine  # noqa: E402
from ui.main_window import MainWindow  # noqa: E402


class Heartbeat:
    def __init__(self):
        self.gaps: list[float] = []
        self.last = time.perf_counter()
        self.timer = QTimer(interval=5)
        self.timer.timeout.connect(self.tick)

        self.phase = ""  # what the operation said it was doing (its progress label)
        self.worst: tuple[float, str] = (0.0, "")
        self.by_phase: dict[str, float] = {}  # each phase's longest gap

    def tick(self) -> None:
        now = time.perf_counter()
        gap = (now - self.last) * 1000
        self.gaps.append(gap)
        if gap > self.worst[0]:
            self.worst = (gap, self.phase)
        if gap > self.by_phase.get(self.phase, 0.0):
            self.by_phase[self.phase] = gap
        self.last = now

    def start(self) -> None:
        self.gaps.clear()
        self.phase, self.worst = "", (0.0, "")
        self.by_phase = {}
        self.last = time.perf_counter()
        self.timer.start()

    def stop(self) -> list[float]:
        self.timer.stop()
        return list(self.gaps)


def pump(seconds: float) -> None:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        QCoreApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 20)


def report(name: str, gaps: list[float]) -> None:
    if not gaps:
        print(f"{name}: no ticks")
        return
    ordered = sorted(gaps)
    p95 = ordered[int(0.95 * (len(ordered) - 1))]
    p99 = ordered[int(0.99 * (len(ordered) - 1))]
    print(f"{name}: worst stall {max(gaps):.0f} ms, p99 gap {p99:.0f} ms, p95 gap {p95:.0f} ms, "
          f"median gap {statistics.median(gaps):.1f} ms over {len(gaps)} ticks")


SHARED = Path(os.environ.get("ENCODER_SHARED_CODEBOOKS", ROOT.parent / "shared" / "codebooks"))
IMPORTS = [("Tabular List", "icd10cm-2025/icd10cm_tabular_2025.xml"),
           ("Index", "icd10cm-2025/icd10cm_index_2025.xml")]


def gui_imports(window, beat: Heartbeat) -> None:
    """File > Import of each file as a coder does it, with its summary box answered. Each run
    imports a copy with a new comment at its end: a new file, so the release is imported (first
    run) or replaced (later runs) in full, never skipped as already loaded."""
    for name in ("information", "warning"):
        setattr(QMessageBox, name, staticmethod(lambda *_a: QMessageBox.StandardButton.Ok))
    scratch = Path(tempfile.mkdtemp(prefix="bench-import-"))
    for label, relative in IMPORTS:
        source = SHARED / relative
        if not source.is_file():
            print(f"GUI import of the {label}: skipped ({source} not present)")
            continue
        copy = scratch / source.name
        copy.write_bytes(source.read_bytes() + f"<!-- bench {time.time_ns()} -->\n".encode())
        done: list[str] = []
        beat.start()
        started = time.perf_counter()
        window.imports.import_files([str(copy)], replace=True)
        [op] = [op for op in window.runner._live.values() if op.label == "Importing…"][-1:]
        op.progress.connect(lambda _d, _t, text: setattr(beat, "phase", text))
        op.finished.connect(lambda _r, done=done: done.append("finished"))
        op.failed.connect(lambda message, done=done: done.append(f"failed: {message}"))
        while not done:
            pump(0.05)
        pump(0.2)  # the summary and the refreshed tabs
        seconds = time.perf_counter() - started
        gaps = beat.stop()
        report(f"GUI import of the {label} ({done[0]}, {seconds:.1f} s)", gaps)
        worst = sorted(beat.by_phase.items(), key=lambda item: -item[1])[:4]
        print("    worst stalls by phase: " + "; ".join(
            f"{phase or '(before the first progress)'} {gap:.0f} ms" for phase, gap in worst))
        copy.unlink()


def main() -> None:
    app = QApplication(sys.argv)
    window = MainWindow(default_engine())
    window.show()
    beat = Heartbeat()
    beat.start()
    started = time.perf_counter()
    window.start()
    while not window.search.box.isEnabled():
        pump(0.05)
    print(f"window ready after {time.perf_counter() - started:.1f} s")
    report("start-up (build/load on the worker)", beat.stop())
    if "--imports-only" in sys.argv:
        gui_imports(window, beat)
        window.close()
        app.quit()
        return

    queries = [q["query"] for q in json.loads((ROOT / "bench" / "search_devset.json")
                                              .read_text())][:60]
    beat.start()
    for query in queries:
        window.search.box.clear()
        for i in range(1, len(query) + 1):
            window.search.box.setText(query[:i])
            pump(0.005)
    report(f"typing {len(queries)} dev queries letter by letter", beat.stop())

    trees = [(window.tabs.tabText(i), window.tabs.widget(i)) for i in range(window.tabs.count())]
    for name, widget in trees:
        views = ([widget] if isinstance(widget, QTreeView) else widget.findChildren(QTreeView)) \
            if widget else []
        if not views or name in ("Search", "Favorites"):
            continue
        view = views[0]
        window.tabs.setCurrentWidget(widget)
        beat.start()
        model = view.model()
        for row in range(min(model.rowCount(), 40)):
            view.expand(model.index(row, 0))
            pump(0.01)
        for _ in range(200):
            bar = view.verticalScrollBar()
            bar.setValue(min(bar.maximum(), bar.value() + 40))
            pump(0.005)
        report(f"{name} tab: expand 40 top rows, scroll", beat.stop())
    gui_imports(window, beat)
    window.close()
    app.quit()


if __name__ == "__main__":
    main()
