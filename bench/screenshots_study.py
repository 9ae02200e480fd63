"""Screenshots of study mode, for review: a case being answered, the graded result, a drill
question, the progress chart, and the first page of an exam score report.

    ENCODER_APP_DATA=/tmp/study-shots xvfb-run -a -s "-screen 0 1600x1000x24" \\
        python bench/screenshots_study.py OUT

Use a scratch data folder with the releases you want shown (the index links need the
Alphabetic Index imported). Attempts are stored there as a student's would be.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from PySide6.QtWidgets import QApplication  # noqa: E402
from screenshots import pump, wait_until  # noqa: E402

from encoder_app.codebook.db import default_engine  # noqa: E402
from encoder_app.settings import data_dir  # noqa: E402
from encoder_app.study.session import EXAM, STUDY  # noqa: E402
from ui.main_window import MainWindow  # noqa: E402
from ui.study.start_dialog import StudyChoice  # noqa: E402
from ui.theme import apply_theme  # noqa: E402


def main() -> None:
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    out = Path(sys.argv[1])
    out.mkdir(parents=True, exist_ok=True)
    app = QApplication(sys.argv[:1])
    apply_theme(app, dark=False)
    win = MainWindow(default_engine(), data_dir() / "search-index")
    win.show()
    win.start()
    wait_until(lambda: win.search.box.isEnabled() and win.tabs.count() > 2)
    study = win.study
    study.start(StudyChoice("set", "diabetes", None, 1), STUDY)
    wait_until(lambda: study.active)
    case = study.session.items[0]
    for code in case.key[:1]:
        win.search.box.setText(code)
        pump(0.6)
        win.assign_code("icd10cm", code)
    win.open_code("icd10cm", case.key[0])
    pump(0.5)
    win.grab().save(str(out / "study-1-answering.png"))
    graded = []
    study.graded.connect(graded.append)
    study.check()
    wait_until(lambda: graded)
    pump(0.5)
    win.grab().save(str(out / "study-2-graded.png"))
    first_path = case.rationale.index[0] if case.rationale.index else None
    if first_path is not None:  # the feedback's index link opens the path's book, filtered
        study.pane.index_link_clicked.emit(first_path.book, " > ".join(first_path.path))
        pump(1.5)
        win.grab().save(str(out / "study-2b-index-link.png"))
    study.start(StudyChoice("drill", "seventh-character", 5, 7), STUDY)
    wait_until(lambda: study.session.title.startswith("Drill"))
    pump(0.5)
    win.grab().save(str(out / "study-3-drill.png"))
    shown = []
    study.progress_shown.connect(shown.append)
    study.show_progress()
    wait_until(lambda: shown)
    pump(0.8)
    shown[0].grab().save(str(out / "study-4-progress.png"))
    shown[0].close()
    study.start(StudyChoice("set", "injuries", 3, 2, minutes=20, book_only=True), EXAM)
    wait_until(lambda: study.session.mode == EXAM)
    study.pane.set_answer(study.session.items[0].key)
    pump(0.3)
    win.grab().save(str(out / "study-5-exam.png"))
    finished = []
    study.finished.connect(finished.append)
    study.finish()
    wait_until(lambda: finished)
    written = []
    study.pdf.written.connect(written.append)
    study.save_report(str(out / "exam-report.pdf"))
    wait_until(lambda: written)
    print("\n".join(str(p) for p in sorted(out.iterdir())))
    win.close()


if __name__ == "__main__":
    main()
