"""Study mode as a student drives it: answer cases with the search box and the 7th-character
buttons, see the verdicts, move between items without losing answers, sit a short book-only
exam to its report, and see the progress chart."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from pypdf import PdfReader
from PySide6.QtCore import Qt

from encoder_app.study.session import EXAM, STUDY
from ui.study.start_dialog import StudyChoice

SET_FILE = str(Path(__file__).resolve().parents[1] / "study" / "data" / "fracture_set.json")


def start(window, qtbot, mode=STUDY, **choice):
    fields = {"source": "set", "name": SET_FILE, "count": None, "seed": 1, **choice}
    window.study.start(StudyChoice(**fields), mode)
    qtbot.waitUntil(lambda: window.study.active, timeout=30000)


def search_and_enter(window, qtbot, text):
    window.search.box.clear()
    qtbot.keyClicks(window.search.box, text)
    qtbot.waitUntil(lambda: window.search.results.topLevelItemCount() > 0, timeout=10000)
    qtbot.keyClick(window.search.box, Qt.Key.Key_Return)


def check(window, qtbot):
    with qtbot.waitSignal(window.study.graded, timeout=30000):
        qtbot.mouseClick(window.study.pane.check, Qt.MouseButton.LeftButton)
    return window.study.pane.feedback.toPlainText()


def test_answer_with_search_and_seventh_character_buttons_then_see_verdicts(window, qtbot):
    start(window, qtbot)
    pane = window.study.pane
    assert window.right.currentWidget() is pane and "stage 3a CKD" in pane.prompt.toPlainText()
    # Enter on a search result puts the code in the answer, not on the encounter
    search_and_enter(window, qtbot, "E11.22")
    search_and_enter(window, qtbot, "N18.31")
    assert pane.entered() == ["E11.22", "N18.31"]
    assert window.chart.document_from_widgets()["diagnoses"] == []
    feedback = check(window, qtbot)
    assert "Score 100%" in feedback and feedback.count("correct") == 2
    assert "Diabetes, diabetic > type 2 > with > chronic kidney disease" in feedback

    # Next case: the 7th-character buttons give the full code; Add puts it in the answer
    qtbot.mouseClick(pane.next, Qt.MouseButton.LeftButton)
    assert pane.index == 1 and pane.entered() == []
    window.open_code("icd10cm", "S52.521")
    subsequent = next(b for b in window.detail.seventh.buttons if b.text().startswith("A "))
    qtbot.mouseClick(subsequent, Qt.MouseButton.LeftButton)
    assert window.detail.current.code == "S52.521A"
    window.assign_shown()
    qtbot.keyClicks(pane.typed, "W19.XXXD")
    qtbot.keyClick(pane.typed, Qt.Key.Key_Return)
    assert pane.entered() == ["S52.521A", "W19.XXXD"]
    feedback = check(window, qtbot)
    assert "partial" in feedback and "7th character: entered D, the key has A" in feedback
    assert "Score 75%" in feedback

    # Back and forth keeps both answers and their verdicts
    qtbot.mouseClick(pane.previous, Qt.MouseButton.LeftButton)
    assert pane.entered() == ["E11.22", "N18.31"] and "Score 100%" in pane.feedback.toPlainText()
    qtbot.mouseClick(pane.next, Qt.MouseButton.LeftButton)
    assert pane.entered() == ["S52.521A", "W19.XXXD"]

    # A tabular link in the feedback opens the code in the detail pane, judged on the case's day
    pane.code_link_clicked.emit("W19.XXXA")
    assert window.detail.current.code == "W19.XXXA"
    assert window.date_of_service == dt.date(2026, 5, 1)

    # The progress chart shows today's attempts, by chapter
    with qtbot.waitSignal(window.study.progress_shown, timeout=30000) as shown:
        window.study.show_progress()
    dialog = shown.args[0]
    qtbot.addWidget(dialog)
    points = dialog.chart.getPlotItem().listDataItems()[0].getData()
    assert list(points[1]) == [87.5]  # one day: (100% + 75%) / 2
    chapters = [dialog.by_area.item(r, 0).text() for r in range(dialog.by_area.rowCount())]
    assert len(chapters) == 2 and any("Chapter 19" in c for c in chapters)
    dialog.close()

    window.study.leave()
    assert window.right.currentWidget() is window.chart
    search_and_enter(window, qtbot, "I10")  # the chart gets codes again
    assert window.chart.document_from_widgets()["diagnoses"] == ["I10"]


def test_book_only_exam_shows_nothing_until_the_end_then_a_report(window, qtbot, tmp_path):
    start(window, qtbot, EXAM, count=2, seed=3, minutes=5, book_only=True)
    pane = window.study.pane
    assert not window.search.box.isEnabled() and not pane.check.isVisible()
    first = window.study.session.items[0]
    pane.set_answer(first.key)
    qtbot.mouseClick(pane.next, Qt.MouseButton.LeftButton)
    assert "no feedback until the end" in pane.feedback.toPlainText()
    pane.set_answer(["I10"])
    with qtbot.waitSignal(window.study.finished, timeout=30000) as done:
        qtbot.mouseClick(pane.finish, Qt.MouseButton.LeftButton)
    assert done.args[0] == 0.5  # the first right, the second wrong
    assert window.search.box.isEnabled()  # the search box is back after the exam
    assert "Score 100%" in pane.feedback.toPlainText()  # item 1 shown with its verdicts
    target = tmp_path / "report.pdf"
    with qtbot.waitSignal(window.study.pdf.written, timeout=30000):
        window.study.save_report(str(target))
    text = "".join(page.extract_text() for page in PdfReader(target).pages)
    assert "EXAM SCORE REPORT" in text and "Score 50%" in text
    assert "book only" in text and first.key[0] in text and "Extra" in text


def test_an_exam_out_of_time_is_graded_as_it_stands(window, qtbot):
    start(window, qtbot, EXAM, count=1, seed=1, minutes=1)
    window.study.session.started_at -= dt.timedelta(minutes=2)
    with qtbot.waitSignal(window.study.finished, timeout=30000) as done:
        window.study._tick()
    assert done.args[0] == 0.0
    assert window.study.session.finished_at is not None
    assert not window.study.pane.answers.isEnabled()


def test_an_instructor_imports_a_set_in_the_window_and_a_broken_one_is_refused(window, qtbot,
                                                                                tmp_path,
                                                                                monkeypatch):
    from encoder_app.study.sets import all_sets

    errors = []
    monkeypatch.setattr("ui.study.study_controller.show_error",
                        lambda _parent, title, text: errors.append((title, text)))
    document = json.loads(Path(SET_FILE).read_text())
    # This window's codebook is the FY2026 Tabular List alone: the HCPCS case could not be
    # checked, and the import would rightly refuse it.
    document["cases"] = [c for c in document["cases"] if c["id"] != "brace"]
    mine = tmp_path / "week-one.json"
    mine.write_text(json.dumps(document))
    with qtbot.waitSignal(window.study.message, timeout=30000,
                          check_params_cb=lambda text: text.startswith("Imported")):
        window.study.import_set(str(mine))
    assert "week-one" in {s.name for s in all_sets(window.engine)}
    broken = tmp_path / "broken.json"
    document["cases"][0]["answer"]["codes"] = ["E11.2"]
    broken.write_text(json.dumps(document))
    window.study.import_set(str(broken))
    qtbot.waitUntil(lambda: bool(errors), timeout=30000)
    assert errors[0][0] == "Import exercise set"
    assert "broken.json: case ckd: answer.codes[0]: E11.2 is not billable" in errors[0][1]


def test_an_index_link_for_a_book_not_loaded_says_so(window, qtbot):
    start(window, qtbot)
    with qtbot.waitSignal(window.study.message, timeout=5000) as said:
        window.study.pane.index_link_clicked.emit("drug", "Ibuprofen")
    assert said.args[0] == "That book is not loaded: Ibuprofen"


def test_two_sittings_in_a_row_keep_both_students_answers(window, qtbot):
    """As a student repeats it: start, answer, check; start another, answer, check; then open
    the progress and start the first set again. The second sitting must not overwrite the
    first's stored attempt, and a new sitting starts empty."""
    from encoder_app.study.attempts import attempts

    start(window, qtbot)
    pane = window.study.pane
    search_and_enter(window, qtbot, "E11.22")
    check(window, qtbot)
    window.study.start(StudyChoice("drill", "title", 2, 5), STUDY)
    qtbot.waitUntil(lambda: window.study.session.title == "Drill: title", timeout=30000)
    assert pane.entered() == []  # the new sitting does not inherit the last answer
    question = window.study.session.items[0].question
    qtbot.keyClicks(pane.typed, question.answer)
    qtbot.keyClick(pane.typed, Qt.Key.Key_Return)
    assert "Score 100%" in check(window, qtbot)
    stored = attempts(window.engine, window.user)
    assert [(a.kind, a.score) for a in stored] == [("case", 0.5), ("title", 1.0)]
    start(window, qtbot)
    qtbot.waitUntil(lambda: window.study.session.title == "Test set: grading rules",
                    timeout=30000)
    assert pane.index == 0 and pane.entered() == []
    assert "Check answer" in pane.feedback.toPlainText()  # no verdict carried over
    with qtbot.waitSignal(window.study.progress_shown, timeout=30000) as shown:
        window.study.show_progress()
    qtbot.addWidget(shown.args[0])
    kinds = [shown.args[0].by_kind.item(r, 0).text() for r in range(2)]
    assert sorted(kinds) == ["case", "title"]
    shown.args[0].close()
