"""`encoder-app --smoke-test`: does this install work? For checking a built bundle.

Opens the real main window offscreen on the default database (building it on a first run, as
a user's first start does), waits until search answers, searches for a diagnosis, opens the
code from the results in the detail pane, and exits 0; any step that fails prints what it
expected and what it saw, and exits 1. Each step prints its time since the process started, so
the same run measures a cold start (bench/bench_bundle.py reads the "search answered" line).
"""

from __future__ import annotations

import os
import sys
import time

#: The search typed and the code it must find and open: a billable FY2026 code every release of
#: the bundled Tabular List has.
QUERY = "type 2 diabetes without complications"
EXPECTED = ("icd10cm", "E11.9")
EXPECTED_TITLE = "Type 2 diabetes mellitus without complications"
#: The first start builds the default codebook (about 30 s on a desk PC); a slow machine in CI
#: gets ten times that.
READY_TIMEOUT_S = 300.0
STEP_TIMEOUT_S = 30.0


def _started_at() -> float:
    """When this process started, on the time.time() clock: ENCODER_APP_T0 when a bench set it
    just before starting us (the bundle's own unpacking and imports count), else now."""
    try:
        return float(os.environ["ENCODER_APP_T0"])
    except (KeyError, ValueError):
        return time.time()


class SmokeFailure(Exception):
    """A step of the smoke test did not do what it should."""


def run() -> int:
    t0 = _started_at()
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

    def step(text: str) -> None:
        print(f"{time.time() - t0:7.2f} s  {text}", flush=True)

    try:
        _run(step)
    except SmokeFailure as exc:
        print(f"smoke test FAILED: {exc}", file=sys.stderr, flush=True)
        return 1
    step("smoke test passed")
    return 0


def _run(step) -> None:
    from PySide6.QtCore import QCoreApplication, QEventLoop, Qt, qVersion
    from PySide6.QtWidgets import QApplication

    from encoder_app.codebook.db import default_engine
    from ui.icons import app_icon
    from ui.main_window import MainWindow

    app = QApplication.instance() or QApplication([sys.argv[0]])
    icon = app_icon()
    if icon.isNull():
        raise SmokeFailure("the app icon did not load (resources/icons missing from the install)")
    app.setWindowIcon(icon)
    from PySide6.QtGui import QFontDatabase

    # With no font (a bare system without fontconfig's config or any font package) every word
    # in the window is an empty box, yet nothing else fails: say so here.
    families = QFontDatabase.families()
    if not families:
        raise SmokeFailure("Qt found no fonts: every text would show as boxes. Install a font "
                           "(Debian/Ubuntu: fonts-dejavu-extra, and fontconfig-config)")
    step(f"Qt {qVersion()} started on the '{app.platformName()}' platform; "
         f"{len(families)} font families, {app.font().family()} by default; icon sizes "
         f"{sorted(s.width() for s in icon.availableSizes())}")

    def wait_for(condition, timeout: float, what: str) -> None:
        end = time.monotonic() + timeout
        while not condition():
            if time.monotonic() > end:
                raise SmokeFailure(f"{what} did not happen within {timeout:.0f} s")
            QCoreApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 50)
            time.sleep(0.01)

    errors: list[str] = []
    engine = default_engine()
    window = MainWindow(engine)
    window._show_error = lambda exc, *a: errors.append(str(exc))  # noqa: SLF001 (no dialog)
    window.show()
    window.start()
    step(f"window shown, database {engine.url.render_as_string(hide_password=True)}")
    wait_for(lambda: window.search.box.isEnabled() or errors, READY_TIMEOUT_S,
             "the codebook and search index getting ready")
    if errors:
        raise SmokeFailure(f"start-up failed: {errors[0]}")
    step(f"search ready: {window.status.text()}")
    window.search.box.setText(QUERY)
    results = window.search.results
    wait_for(lambda: results.topLevelItemCount() > 0, STEP_TIMEOUT_S, f"results for {QUERY!r}")
    step(f"search answered: {results.topLevelItemCount()} results for {QUERY!r}")
    rows = [results.topLevelItem(i) for i in range(results.topLevelItemCount())]
    found = [r for r in rows if r.data(0, Qt.ItemDataRole.UserRole) == EXPECTED]
    if not found:
        raise SmokeFailure(f"{EXPECTED[1]} is not among the results for {QUERY!r}: "
                           + ", ".join(r.text(0) for r in rows[:10]))
    results.setCurrentItem(found[0])
    wait_for(lambda: window.detail.current is not None
             and (window.detail.current.system, window.detail.current.code) == EXPECTED,
             STEP_TIMEOUT_S, f"{EXPECTED[1]} opening in the detail pane")
    shown = window.detail.toPlainText()
    if EXPECTED_TITLE not in shown:
        raise SmokeFailure(f"the detail pane of {EXPECTED[1]} does not show its title "
                           f"{EXPECTED_TITLE!r}: {shown[:200]!r}")
    step(f"opened {EXPECTED[1]}: {EXPECTED_TITLE}")
    window.close()
