"""Screenshots of the real window for review, taken under Xvfb.

    ENCODER_APP_DATA=... xvfb-run -a -s "-screen 0 1600x1000x24" python bench/screenshots.py [OUT]

Saves PNGs of: the empty window, a search with its detail, an encounter's findings, a guideline
finding and its fix applied, the index browser, the audit trail, the day sheet, the question
before a loaded release is replaced, the ICD-10-PCS builder, an inpatient stay's MS-DRG panel
and what-if, the dark theme.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from PySide6.QtCore import QCoreApplication, QEventLoop, QTimer  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from encoder_app.codebook.db import default_engine  # noqa: E402
from ui.main_window import MainWindow  # noqa: E402
from ui.theme import apply_theme  # noqa: E402


def pump(seconds: float) -> None:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        QCoreApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 50)
        time.sleep(0.02)


def wait_until(condition, timeout: float = 120) -> None:
    end = time.monotonic() + timeout
    while not condition() and time.monotonic() < end:
        pump(0.1)


def guideline_finding_and_fix(window, out: Path) -> None:
    """The coder's case of issue 12: I10 + N18.31 with type 2 diabetes; the guideline finding
    selected, then its fix applied."""
    chart = window.chart
    chart.load_document({
        "date_of_service": "2026-05-01", "setting": "practitioner",
        "patient": {"name": "Walter Brandt", "sex": "M", "birth_date": "1959-03-14"},
        "provider": {"name": "A. Smith, MD", "npi": "1234567893"},
        "diagnoses": ["E11.22", "I10", "N18.31", "Z79.84"],
        "procedures": [{"code": "99214", "units": 1, "diagnosis_pointers": [1, 2, 3],
                        "charge": 165}]})
    panel = chart.findings_panel
    wait_until(lambda: any(f.rule == "guideline.hypertension_combination"
                           for f in panel.findings), 30)
    row = [f.rule for f in panel.findings].index("guideline.hypertension_combination")
    panel.finding_list.setCurrentItem(panel.finding_list.topLevelItem(row))
    pump(0.5)
    window.grab().save(str(out / "02c-guideline-finding.png"))
    panel.request_fix()
    wait_until(lambda: not any(f.rule == "guideline.hypertension_combination"
                               for f in panel.findings), 30)
    pump(0.5)
    window.grab().save(str(out / "02d-guideline-fix-applied.png"))


def fix_chooser(window, out: Path) -> None:
    """The chooser a header's fix opens (W11: W11.XXXA/D/S with their titles), grabbed while
    it is up, then cancelled."""
    from PySide6.QtWidgets import QApplication, QInputDialog

    chart = window.chart
    chart.load_document({"date_of_service": "2026-05-01", "diagnoses": ["S42.021A", "W11"]})
    panel = chart.findings_panel
    wait_until(lambda: any(f.rule == "code.seventh_character" for f in panel.findings), 30)
    row = [f.rule for f in panel.findings].index("code.seventh_character")
    panel.finding_list.setCurrentItem(panel.finding_list.topLevelItem(row))

    def grab_and_close():
        dialog = next((w for w in QApplication.topLevelWidgets()
                       if isinstance(w, QInputDialog) and w.isVisible()), None)
        if dialog is None:
            QTimer.singleShot(100, grab_and_close)
            return
        dialog.grab().save(str(out / "02e-fix-chooser.png"))
        dialog.reject()

    QTimer.singleShot(300, grab_and_close)
    panel.request_fix()


def replace_question(window, out: Path) -> None:
    """A changed file of a loaded HCPCS release: the question with both files' counts, grabbed
    while it is up, then answered No."""
    import tempfile

    from PySide6.QtWidgets import QMessageBox

    real = ROOT.parent / "shared" / "codebooks" / "hcpcs-2024q3" / "HCPC2024_JUL_ANWEB.csv"
    source = real if real.is_file() else ROOT / "tests" / "fixtures" / "hcpcs" / real.name
    folder = Path(tempfile.mkdtemp(dir=out))
    changed = folder / source.name
    text = source.read_text(encoding="utf-8-sig")
    changed.write_text(text.replace(text.splitlines()[1], text.splitlines()[1] + " ", 1))
    done = []
    original = QMessageBox.information
    QMessageBox.information = lambda *a: done.append(a[2])
    window.imports.import_files([str(source)])
    wait_until(lambda: bool(done) and window.search.box.isEnabled(), 300)
    QMessageBox.information = original

    def grab_and_answer():
        box = next((w for w in QApplication.topLevelWidgets()
                    if isinstance(w, QMessageBox) and w.isVisible()), None)
        if box is None:
            QTimer.singleShot(100, grab_and_answer)
            return
        box.grab().save(str(out / "06-replace-question.png"))
        box.button(QMessageBox.StandardButton.No).click()

    QTimer.singleShot(300, grab_and_answer)
    window.imports.import_files([str(changed)])
    wait_until(lambda: window.search.box.isEnabled(), 300)
    pump(0.5)


def pcs_builder(window, out: Path) -> None:
    """The ICD-10-PCS builder (issue 18) by keyboard: the body part column filtered to
    "append", then the complete 0DTJ4ZZ with its definitions. Skipped without PCS tables."""
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest

    from encoder_app.codebook.releases import list_releases

    if not any(r.system == "icd10pcs" and r.kind == "tables" for r in list_releases(window.engine)):
        print("no ICD-10-PCS tables loaded: the builder was not shot")
        return
    window.build_pcs_code()
    wait_until(lambda: window.pcs_builder is not None and window.pcs_builder.isVisible(), 30)
    dialog = window.pcs_builder
    for char in "0DT":
        QTest.keyClicks(dialog.filter, char)
        QTest.keyClick(dialog.filter, Qt.Key.Key_Return)
    QTest.keyClicks(dialog.filter, "append")
    pump(0.3)
    dialog.grab().save(str(out / "07-pcs-builder-body-part.png"))
    QTest.keyClick(dialog.filter, Qt.Key.Key_Return)
    for char in "4ZZ":
        QTest.keyClicks(dialog.filter, char)
        QTest.keyClick(dialog.filter, Qt.Key.Key_Return)
    pump(0.3)
    dialog.grab().save(str(out / "07b-pcs-builder-complete.png"))
    dialog.reject()


def inpatient_stay(window, out: Path) -> None:
    """The README's inpatient example (issue 18): the stay's fields, the CC/MCC badges, the
    MS-DRG panel, then its What if… dialog."""
    import json

    chart = window.chart
    chart.load_document(json.loads((ROOT / "resources/examples/inpatient-stay.json").read_text()))
    wait_until(lambda: chart.drg_panel.result is not None, 30)
    pump(0.5)
    window.grab().save(str(out / "08-inpatient-drg.png"))
    chart.stay.show_what_if()
    wait_until(lambda: chart.stay.what_if_dialog is not None
               and chart.stay.what_if_dialog.isVisible(), 30)
    pump(0.3)
    chart.stay.what_if_dialog.grab().save(str(out / "08b-what-if.png"))
    chart.stay.what_if_dialog.reject()


def main() -> None:
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "bench" / "out"
    out.mkdir(parents=True, exist_ok=True)
    app = QApplication(sys.argv)
    apply_theme(app, dark=False)
    window = MainWindow(default_engine())
    window.resize(1500, 900)
    window.show()
    window.start()
    wait_until(lambda: window.search.box.isEnabled())
    pump(0.5)
    window.grab().save(str(out / "01-empty.png"))
    window.search.box.setText("dm2 w neuropathy")
    pump(0.5)
    window.grab().save(str(out / "02-search-detail.png"))
    chart = window.chart
    chart.load_document({
        "date_of_service": "2026-05-01", "setting": "practitioner", "place_of_service": "11",
        "patient": {"name": "José Núñez", "sex": "M", "birth_date": "1958-03-14",
                    "member_id": "XQZ123456789"},
        "payer": "Medicare Part B", "amount_paid": 20,
        "provider": {"name": "A. Smith, MD", "npi": "1234567893"},
        "diagnoses": ["E11.9", "E10.9", "M17.11", "W54.0A"],
        "procedures": [{"code": "99213", "units": 1, "diagnosis_pointers": [1, 2], "charge": 120},
                       {"code": "20610", "modifiers": ["RT"], "units": 1,
                        "diagnosis_pointers": [3], "charge": 150},
                       {"code": "J3301", "units": 60, "diagnosis_pointers": [3], "charge": 20}]})
    wait_until(lambda: bool(chart.findings_panel.findings), 30)
    pump(0.5)
    window.grab().save(str(out / "02b-encounter-findings.png"))
    guideline_finding_and_fix(window, out)
    window.search.box.setText("fract fem")
    pump(0.3)
    window.search.results.setCurrentItem(window.search.results.topLevelItem(0))
    pump(0.3)
    window.grab().save(str(out / "03-search-7th.png"))
    for i in range(window.tabs.count()):
        if window.tabs.tabText(i) == "Index":
            window.tabs.setCurrentIndex(i)
    pump(0.5)
    window.grab().save(str(out / "04-index.png"))
    book = window.tabs.currentWidget()
    if hasattr(book, "box") and hasattr(book, "count"):  # the filter box over an Index tab
        book.box.setText("hyperten")
        wait_until(lambda: book.count.text() != "", 10)
        pump(0.3)
        window.grab().save(str(out / "04a-index-filtered.png"))
        book.box.clear()
    window.open_code("icd10cm", "S72.30")  # still needs its 6th character: no 7th buttons
    pump(0.3)
    window.grab().save(str(out / "03b-header-short-of-6th.png"))
    fix_chooser(window, out)
    window.encounters.save()
    window.runner.wait(10000)
    pump(0.3)
    chart.add_code("icd10cm", "I10")
    window.encounters.save()
    window.runner.wait(10000)
    window.encounters.show_audit_trail()  # shown once read on the worker
    wait_until(lambda: window.encounters.audit_dialog is not None, 10)
    dialog = window.encounters.audit_dialog
    if dialog is not None:
        pump(0.3)
        dialog.grab().save(str(out / "04b-audit-trail.png"))
        dialog.close()
    import datetime as dt
    sheet = window.superbills.show_daysheet(dt.date(2026, 5, 1), dt.date(2026, 5, 7))
    pump(0.3)
    sheet.grab().save(str(out / "04c-day-sheet.png"))
    sheet.close()
    replace_question(window, out)
    pcs_builder(window, out)
    inpatient_stay(window, out)
    apply_theme(app, dark=True)
    window.tabs.setCurrentIndex(0)
    window.search.box.setText("E11.9")
    pump(0.5)
    window.grab().save(str(out / "05-dark.png"))
    QTimer.singleShot(0, window.close)
    pump(0.2)
    print("saved to", out)


if __name__ == "__main__":
    main()
