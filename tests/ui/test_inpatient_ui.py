"""An inpatient stay in the window: the stay's fields appear with the setting, the DRG panel
regroups as the coder codes (DRG 293 -> 292 when a CC is added -> 291 with an MCC), each
diagnosis shows its CC/MCC badge, and POA is typed on a diagnosis row."""

import pytest
from PySide6.QtCore import Qt

pytest.importorskip("msdrg", reason="the MS-DRG grouper package is not installed")

STAY = {"setting": "inpatient", "admission_date": "2026-04-27", "discharge_date": "2026-04-30",
        "date_of_service": "2026-04-30", "discharge_status": "01",
        "patient": {"name": "Walter Brandt", "sex": "M", "birth_date": "1959-03-14"},
        "diagnoses": [{"code": "I11.0", "poa": "Y"}], "procedures": []}


def drg_of(window, qtbot, number: int) -> None:
    panel = window.chart.drg_panel
    qtbot.waitUntil(lambda: panel.result is not None and panel.result.drg == number,
                    timeout=20000)


def rows(window) -> list[str]:
    return [window.chart.diagnoses.item(r).text() for r in range(window.chart.diagnoses.count())]


def test_the_drg_follows_the_coding_and_the_badges_show_cc_and_mcc(window, qtbot):
    chart = window.chart
    chart.load_document(STAY)
    assert chart.inpatient.isVisible() and chart.drg_panel.isVisible()
    drg_of(window, qtbot, 293)  # heart failure and shock without CC/MCC
    assert "Heart Failure and Shock" in chart.drg_panel.drg.text()
    assert "v43.1" in chart.drg_panel.details.text()  # FY2026's April grouper answered
    chart.add_code("icd10cm", "N17.9")  # acute kidney failure: a CC
    drg_of(window, qtbot, 292)
    qtbot.waitUntil(lambda: "[CC, drove the DRG]" in rows(window)[1], timeout=10000)
    chart.add_code("icd10cm", "I50.23")  # acute on chronic systolic heart failure: an MCC
    drg_of(window, qtbot, 291)
    qtbot.waitUntil(lambda: "[MCC, drove the DRG]" in rows(window)[2], timeout=10000)
    assert "[CC]" in rows(window)[1]  # still a CC, no longer the one that counts
    assert "[" not in rows(window)[0]  # the principal carries no badge


def test_poa_is_typed_on_the_diagnosis_row(window, qtbot):
    chart = window.chart
    chart.load_document({**STAY, "diagnoses": [{"code": "I11.0", "poa": "Y"}, "N17.9"]})
    chart.diagnoses.setCurrentRow(1)
    qtbot.keyClick(chart.diagnoses, Qt.Key.Key_N)
    assert chart.document_from_widgets()["diagnoses"][1] == {"code": "N17.9", "poa": "N"}
    assert "(POA N)" in rows(window)[1] and chart.diagnoses.currentRow() == 1


def test_a_stay_without_its_discharge_date_says_what_is_missing(window, qtbot):
    chart = window.chart
    stay = {k: v for k, v in STAY.items() if k not in ("discharge_date", "date_of_service")}
    chart.load_document(stay)
    panel = chart.drg_panel
    qtbot.waitUntil(lambda: "discharge date" in panel.drg.text(), timeout=20000)
    assert panel.result is None


def test_an_office_visit_shows_no_stay_and_gets_no_inpatient_fields(window, qtbot):
    chart = window.chart
    chart.load_document({"date_of_service": "2026-05-01", "diagnoses": ["E11.9"],
                         "procedures": []})
    assert not chart.inpatient.isVisible() and not chart.drg_panel.isVisible()
    doc = chart.document_from_widgets()
    assert not {"admission_date", "discharge_date", "discharge_status"} & set(doc)
    chart.diagnoses.setCurrentRow(0)
    qtbot.keyClick(chart.diagnoses, Qt.Key.Key_Y)  # POA means nothing on an office visit
    assert chart.document_from_widgets()["diagnoses"] == ["E11.9"]


def test_the_discharge_date_typed_is_the_stays_date_of_service(window, qtbot):
    chart = window.chart
    chart.load_document({**STAY, "discharge_date": "", "date_of_service": ""})
    chart.inpatient.discharge.setFocus()
    qtbot.keyClicks(chart.inpatient.discharge, "2026-04-30")
    doc = chart.document_from_widgets()
    assert doc["discharge_date"] == doc["date_of_service"] == "2026-04-30"
    drg_of(window, qtbot, 293)


def test_codes_of_a_stay_are_judged_on_its_discharge_date(window, qtbot):
    import datetime as dt

    chart = window.chart
    chart.load_document({k: v for k, v in STAY.items() if k != "date_of_service"})
    assert chart.date_of_service() == dt.date(2026, 4, 30)
    assert chart.fields["date_of_service"].text() == "2026-04-30"
    window.open_code("icd10cm", "N17.9")
    assert window.detail.current.date_of_service == dt.date(2026, 4, 30)


def test_what_if_shows_which_code_carries_the_drg(window, qtbot):
    import json
    from pathlib import Path

    chart = window.chart
    example = Path(__file__).resolve().parents[2] / "resources/examples/inpatient-stay.json"
    chart.load_document(json.loads(example.read_text()))
    drg_of(window, qtbot, 291)
    assert chart.drg_panel.what_if.isEnabled()
    qtbot.mouseClick(chart.drg_panel.what_if, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: chart.stay.what_if_dialog is not None
                    and chart.stay.what_if_dialog.isVisible(), timeout=20000)
    table = chart.stay.what_if_dialog.table
    shown = {table.item(r, 0).text(): (table.item(r, 1).text(), table.item(r, 3).text())
             for r in range(table.rowCount())}
    assert shown["without I50.23"] == ("292", "different DRG")
    assert shown["without N17.9"] == ("291", "same DRG")
    assert shown["N17.9 as principal"][0] == "682"
    chart.stay.what_if_dialog.reject()


def test_a_procedure_date_is_typed_in_the_date_column_of_a_stay(window, qtbot):
    from ui.chart.chart_pane import DATE_COLUMN

    chart = window.chart
    chart.load_document({**STAY, "diagnoses": [{"code": "K35.80", "poa": "Y"}],
                         "procedures": [{"code": "0DTJ4ZZ", "date": "2026-04-28"}]})
    assert not chart.lines.isColumnHidden(DATE_COLUMN)
    assert chart.lines.item(0, DATE_COLUMN).text() == "2026-04-28"
    drg_of(window, qtbot, 399)  # appendix procedures without CC/MCC (v41 on)
    chart.lines.item(0, DATE_COLUMN).setText("2026-04-29")
    assert chart.document_from_widgets()["procedures"][0]["date"] == "2026-04-29"
    chart.load_document({"date_of_service": "2026-05-01", "diagnoses": ["E11.9"],
                         "procedures": [{"code": "99213", "units": 1}]})
    assert chart.lines.isColumnHidden(DATE_COLUMN)  # an office visit has no procedure dates
    assert "date" not in chart.document_from_widgets()["procedures"][0]


def headers(window) -> list[str]:
    lines = window.chart.lines
    return [lines.verticalHeaderItem(r).text() if lines.verticalHeaderItem(r) else ""
            for r in range(lines.rowCount())]


def test_an_o_r_procedure_is_marked_on_its_line_and_the_mark_goes_with_the_stay(window, qtbot):
    chart = window.chart
    chart.load_document({**STAY, "diagnoses": [{"code": "K35.80", "poa": "Y"}],
                         "procedures": [{"code": "30233N1", "date": "2026-04-28"},
                                        {"code": "0DTJ4ZZ", "date": "2026-04-28"}]})
    drg_of(window, qtbot, 399)
    # The transfusion is no O.R. procedure; the appendectomy is, and it set the DRG.
    qtbot.waitUntil(lambda: headers(window) == ["1", "2 O.R."], timeout=10000)
    assert chart.lines.verticalHeaderItem(1).toolTip() == \
        "an O.R. procedure; it affected the DRG"
    assert chart.lines.verticalHeaderItem(0).toolTip() == \
        "not an O.R. procedure; it did not affect the DRG"
    assert chart.document_from_widgets()["procedures"][1]["code"] == "0DTJ4ZZ"
    chart.fields["setting"].setCurrentText("practitioner")  # no longer a stay: no marks
    qtbot.waitUntil(lambda: headers(window) == ["1", "2"], timeout=10000)


def test_a_stay_then_an_office_visit_then_reopen_both(window, qtbot):
    """New, type a stay (setting, dates, status, two diagnoses, POA by key); new, type an office
    visit; reopen both: the stay keeps its fields, POA and DRG, the visit gets none of them."""
    from encoder_app.encounters.store import list_encounters

    window.activateWindow()  # Ctrl+N reaches the active window only
    qtbot.waitUntil(window.isActiveWindow, timeout=5000)
    chart = window.chart

    def pause():
        qtbot.waitUntil(lambda: not window.encounters._autosave.isActive()
                        and window.encounters.pending_save() is None, timeout=30000)

    def enter_code(query):
        window.search.box.clear()
        qtbot.keyClicks(window.search.box, query)
        qtbot.waitUntil(lambda: window.search.results.topLevelItemCount() > 0, timeout=10000)
        qtbot.keyClick(window.search.box, Qt.Key.Key_Return)

    qtbot.keyClick(window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    pause()
    qtbot.keyClicks(chart.fields["patient.name"], "Walter Brandt")
    chart.fields["patient.sex"].setCurrentText("M")
    qtbot.keyClicks(chart.fields["patient.birth_date"], "1959-03-14")
    chart.fields["setting"].setCurrentText("inpatient")
    assert chart.inpatient.isVisible()
    qtbot.keyClicks(chart.inpatient.admission, "2026-04-27")
    qtbot.keyClicks(chart.inpatient.discharge, "2026-04-30")
    chart.inpatient.status.setCurrentIndex(chart.inpatient.status.findData("01"))
    enter_code("I11.0")
    enter_code("N17.9")
    for row, key in ((0, Qt.Key.Key_Y), (1, Qt.Key.Key_N)):
        chart.diagnoses.setCurrentRow(row)
        qtbot.keyClick(chart.diagnoses, key)
    drg_of(window, qtbot, 292)  # I11.0 with the CC N17.9
    pause()

    qtbot.keyClick(window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    pause()
    assert not chart.inpatient.isVisible() and chart.diagnoses.count() == 0
    qtbot.keyClicks(chart.fields["patient.name"], "Ruth Calloway")
    enter_code("E11.9")
    pause()
    qtbot.keyClick(window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    pause()

    qtbot.waitUntil(lambda: len(list_encounters(window.engine)) == 2, timeout=10000)
    saved = {s.label: s.id for s in list_encounters(window.engine)}
    with qtbot.waitSignal(window.encounters.opened, timeout=30000):
        window.encounters.open(saved["Walter Brandt"])
    stay = chart.document
    assert (stay["setting"], stay["admission_date"], stay["discharge_date"],
            stay["discharge_status"]) == ("inpatient", "2026-04-27", "2026-04-30", "01")
    assert stay["diagnoses"] == [{"code": "I11.0", "poa": "Y"}, {"code": "N17.9", "poa": "N"}]
    assert chart.inpatient.isVisible()
    drg_of(window, qtbot, 292)
    with qtbot.waitSignal(window.encounters.opened, timeout=30000):
        window.encounters.open(saved["Ruth Calloway"])
    visit = chart.document
    assert visit["diagnoses"] == ["E11.9"] and visit.get("setting") != "inpatient"
    assert not {"admission_date", "discharge_date", "discharge_status"} & set(visit)
    assert not chart.inpatient.isVisible() and not chart.drg_panel.isVisible()
