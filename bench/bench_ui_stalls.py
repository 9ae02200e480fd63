"""The worst stall of the UI thread while a coder types in search, expands the Tabular tree and
scrolls the Alphabetic Index. A 5 ms heartbeat timer records the longest gap between its ticks.

    ENCODER_APP_DATA=... QT_QPA_PLATFORM=offscreen python bench/bench_ui_stalls.py

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

from PySide6.QtCore import QCoreApplication, QEventLoop, QTimer  # noqa: E402
from PySide6.QtWidgets import QApplication, QTreeView  # noqa: E402

from encoder_app.codebook.db import default_engine  # noqa: E402
from ui.main_window import MainWindow  # noqa: E402


class Heartbeat:
    def __init__(self):
        self.gaps: list[float] = []
        self.last = time.perf_counter()
        self.timer = QTimer(interval=5)
        self.timer.timeout.connect(self.tick)

    def tick(self) -> None:
        now = time.perf_counter()
        self.gaps.append((now - self.last) * 1000)
        self.last = now

    def start(self) -> None:
        self.gaps.clear()
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
    p99 = ordered[int(0.99 * (len(ordered) - 1))]
    print(f"{name}: worst stall {max(gaps):.0f} ms, p99 gap {p99:.0f} ms, "
          f"median gap {statistics.median(gaps):.1f} ms over {len(gaps)} ticks")


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
    window.close()
    app.quit()


if __name__ == "__main__":
    main()
