"""Chart entry: assign codes from search, reorder, live findings, one-click fixes."""

from PySide6.QtCore import Qt


def findings(win):
    return [f.rule for f in win.chart.findings]


def wait_for_check(win, qtbot):
    before = win.chart._check_seq
    qtbot.waitUntil(lambda: win.chart._check_seq > before or not win.chart._timer.isActive(),
                    timeout=5000)
    qtbot.waitUntil(lambda: not win.chart._timer.isActive(), timeout=5000)
    qtbot.wait(300)


def test_enter_on_a_result_assigns_the_code(window, qtbot):
    qtbot.keyClicks(window.search.box, "I10")
    qtbot.keyClick(window.search.box, Qt.Key.Key_Return)
    assert window.chart.document["diagnoses"] == ["I10"]
    assert window.chart.diagnoses.item(0).text().startswith("1. I10")


def test_a_finding_appears_and_its_fix_applies(window, qtbot):
    window.chart.add_code("icd10cm", "W54.0A")
    qtbot.waitUntil(lambda: "code.placeholder_x" in findings(window), timeout=30000)
    row = findings(window).index("code.placeholder_x")
    window.chart.finding_list.setCurrentItem(window.chart.finding_list.topLevelItem(row))
    assert window.chart.fix_button.isEnabled()
    qtbot.mouseClick(window.chart.fix_button, Qt.MouseButton.LeftButton)
    assert window.chart.document["diagnoses"] == ["W54.0XXA"]
    qtbot.waitUntil(lambda: "code.placeholder_x" not in findings(window), timeout=30000)


def test_excludes1_shows_up_live(window, qtbot):
    window.chart.add_code("icd10cm", "E11.9")
    window.chart.add_code("icd10cm", "E10.9")
    qtbot.waitUntil(lambda: "icd.excludes1" in findings(window), timeout=30000)
    assert "1 errors" in window.chart.summary.text() or "errors" in window.chart.summary.text()


def test_an_empty_encounter_shows_no_findings(window, qtbot):
    window.chart.run_check()
    assert window.chart.findings == []
    assert "Add codes" in window.chart.summary.text()


def test_reorder_diagnoses_with_the_keyboard(window, qtbot):
    window.chart.add_code("icd10cm", "I10")
    window.chart.add_code("icd10cm", "E11.9")
    window.chart.diagnoses.setFocus()
    window.chart.diagnoses.setCurrentRow(1)
    qtbot.keyClick(window.chart.diagnoses, Qt.Key.Key_Up, Qt.KeyboardModifier.ControlModifier)
    assert window.chart.document["diagnoses"] == ["E11.9", "I10"]


def test_adding_a_procedure_line_points_at_the_diagnoses(window, qtbot):
    window.chart.add_code("icd10cm", "I10")
    window.chart.add_code("hcpcs", "G0008")
    line = window.chart.document["procedures"][0]
    assert line["code"] == "G0008" and line["diagnosis_pointers"] == [1]
    assert window.chart.lines.item(0, 0).text() == "G0008"


def test_typing_a_bad_date_is_reported_with_its_field(window, qtbot):
    window.chart.add_code("icd10cm", "I10")
    field = window.chart.fields["date_of_service"]
    field.clear()
    qtbot.keyClicks(field, "2026-13-01")
    qtbot.waitUntil(lambda: "encounter.field" in findings(window), timeout=30000)
    assert "$.date_of_service" in window.chart.findings[0].message
