"""Guideline findings in the window as a coder meets them: the coder's case (type 2 diabetes,
CKD 3a, hypertension coded I10 + N18.31), the finding with its guideline, one click to fix,
and the list quiet afterwards."""

from PySide6.QtCore import Qt


def rules(win):
    return [f.rule for f in win.chart.findings_panel.findings]


def select(win, rule):
    row = rules(win).index(rule)
    win.chart.findings_panel.finding_list.setCurrentItem(win.chart.findings_panel.finding_list.topLevelItem(row))


def test_hypertension_with_ckd_finding_cites_the_guideline_and_its_fix_applies(window, qtbot):
    chart = window.chart
    chart.load_document({"date_of_service": "2026-05-01",
                         "patient": {"name": "Walter Brandt", "sex": "M",
                                     "birth_date": "1959-03-14"},
                         "diagnoses": ["E11.22", "I10", "N18.31", "Z79.84"],
                         "procedures": [{"code": "99214", "diagnosis_pointers": [1, 2, 3]}]})
    qtbot.waitUntil(lambda: "guideline.hypertension_combination" in rules(window), timeout=30000)
    select(window, "guideline.hypertension_combination")
    shown = chart.findings_panel.finding_text.text()
    assert "I12.9" in shown and "ICD-10-CM Official Guidelines FY2026, I.C.9.a.2" in shown
    qtbot.mouseClick(chart.findings_panel.fix_button, Qt.MouseButton.LeftButton)
    assert chart.document["diagnoses"] == ["E11.22", "I12.9", "N18.31", "Z79.84"]
    assert chart.document["procedures"][0]["diagnosis_pointers"] == [1, 2, 3]
    qtbot.waitUntil(lambda: "guideline.hypertension_combination" not in rules(window),
                    timeout=30000)
    assert not [f for f in chart.findings_panel.findings if f.rule.startswith("guideline.")
                and f.severity != "info"]


def test_a_combination_fix_merges_two_lines_and_keeps_the_pointers(window, qtbot):
    chart = window.chart
    chart.load_document({"date_of_service": "2026-05-01",
                         "diagnoses": ["I11.9", "I12.9", "N18.4"],
                         "procedures": [{"code": "99214", "diagnosis_pointers": [2, 3]}]})
    qtbot.waitUntil(lambda: "guideline.hypertension_combination" in rules(window), timeout=30000)
    select(window, "guideline.hypertension_combination")
    qtbot.mouseClick(chart.findings_panel.fix_button, Qt.MouseButton.LeftButton)
    assert chart.document["diagnoses"] == ["I13.10", "N18.4"]
    assert chart.document["procedures"][0]["diagnosis_pointers"] == [1, 2]
