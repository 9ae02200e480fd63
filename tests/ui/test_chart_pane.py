"""Chart entry: assign codes from search, reorder, live findings, one-click fixes."""

from PySide6.QtCore import Qt


def findings(win):
    return [f.rule for f in win.chart.findings_panel.findings]


def test_enter_on_a_result_assigns_the_code(window, qtbot):
    qtbot.keyClicks(window.search.box, "I10")
    qtbot.keyClick(window.search.box, Qt.Key.Key_Return)
    assert window.chart.document["diagnoses"] == ["I10"]
    assert window.chart.diagnoses.item(0).text().startswith("1. I10")


def test_a_finding_appears_and_its_fix_applies(window, qtbot):
    window.chart.add_code("icd10cm", "W54.0A")
    qtbot.waitUntil(lambda: "code.placeholder_x" in findings(window), timeout=30000)
    row = findings(window).index("code.placeholder_x")
    window.chart.findings_panel.finding_list.setCurrentItem(window.chart.findings_panel.finding_list.topLevelItem(row))
    assert window.chart.findings_panel.fix_button.isEnabled()
    qtbot.mouseClick(window.chart.findings_panel.fix_button, Qt.MouseButton.LeftButton)
    assert window.chart.document["diagnoses"] == ["W54.0XXA"]
    qtbot.waitUntil(lambda: "code.placeholder_x" not in findings(window), timeout=30000)


def test_the_fix_chooser_shows_each_code_with_its_title_and_applies_the_code(window, qtbot,
                                                                            monkeypatch):
    from PySide6.QtWidgets import QInputDialog

    offered = []

    def choose_second(parent, title, label, items, current, editable):
        offered.extend(items)
        return items[1], True

    monkeypatch.setattr(QInputDialog, "getItem", choose_second)
    window.chart.add_code("icd10cm", "W11")
    qtbot.waitUntil(lambda: "code.seventh_character" in findings(window), timeout=30000)
    row = findings(window).index("code.seventh_character")
    window.chart.findings_panel.finding_list.setCurrentItem(window.chart.findings_panel.finding_list.topLevelItem(row))
    qtbot.mouseClick(window.chart.findings_panel.fix_button, Qt.MouseButton.LeftButton)
    assert offered == ["W11.XXXA  Fall on and from ladder, initial encounter",
                       "W11.XXXD  Fall on and from ladder, subsequent encounter",
                       "W11.XXXS  Fall on and from ladder, sequela"]
    assert window.chart.document["diagnoses"] == ["W11.XXXD"]


def test_excludes1_shows_up_live(window, qtbot):
    window.chart.add_code("icd10cm", "E11.9")
    window.chart.add_code("icd10cm", "E10.9")
    qtbot.waitUntil(lambda: "icd.excludes1" in findings(window), timeout=30000)
    errors = int(window.chart.findings_panel.summary.text().split(" error")[0])
    assert errors >= 1 and "icd.excludes1" in findings(window)


def test_the_summary_counts_in_the_singular_and_plural(window, qtbot):
    window.chart.load_document({"date_of_service": "2026-05-01",
                                "provider": {"name": "A. Smith, MD", "npi": "1234567893"},
                                "diagnoses": ["I10", "N18.31"]})  # one warning: I12.9
    qtbot.waitUntil(lambda: "guideline.hypertension_combination" in findings(window),
                    timeout=30000)
    text = window.chart.findings_panel.summary.text()
    assert text.startswith("0 errors, 1 warning, ") and text.endswith(" notes")


def test_an_empty_encounter_shows_no_findings(window, qtbot):
    window.chart.run_check()
    assert window.chart.findings_panel.findings == []
    assert "Add codes" in window.chart.findings_panel.summary.text()


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
    message = window.chart.findings_panel.findings[0].message
    assert message.startswith("date of service: ") and "$" not in message


def drop_on(widget, mime, pos):
    """What the platform sends while a drag passes over a widget and the button is released."""
    from PySide6.QtCore import QPointF
    from PySide6.QtGui import QDragEnterEvent, QDragMoveEvent, QDropEvent
    from PySide6.QtWidgets import QApplication

    args = (Qt.DropAction.MoveAction, mime, Qt.MouseButton.LeftButton,
            Qt.KeyboardModifier.NoModifier)
    assert QApplication.sendEvent(widget, QDragEnterEvent(pos, *args))
    assert QApplication.sendEvent(widget, QDragMoveEvent(pos, *args))
    assert QApplication.sendEvent(widget, QDropEvent(QPointF(pos), *args))


def test_drag_a_diagnosis_with_the_mouse_to_first_listed(window, qtbot):
    """A mouse drag, as far as an offscreen platform can run one: press on the third diagnosis
    and move past the drag distance (the list starts its drag with the row's own mime data; the
    offscreen platform ends the drag loop at once), then the drop Qt delivers when the button is
    released over the top of row 1. Pointers follow the diagnoses they point at."""
    from PySide6.QtCore import QPoint
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    for code in ("I10", "E78.5", "E11.9"):
        window.chart.add_code("icd10cm", code)
    window.chart.add_code("hcpcs", "G0008")  # points at 1, 2, 3
    dx = window.chart.diagnoses
    view = dx.viewport()
    start = dx.visualItemRect(dx.item(2)).center()
    dragged = []
    dx.startDrag = lambda actions: dragged.append(dx.mimeData([dx.item(2)]))
    QTest.mousePress(view, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, start)
    QTest.mouseMove(view, start - QPoint(0, QApplication.startDragDistance() + 5))
    QTest.mouseMove(view, start - QPoint(0, 2 * QApplication.startDragDistance() + 10))
    QTest.mouseRelease(view, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, start)
    assert dragged, "moving the pressed mouse did not start a drag"
    drop_on(view, dragged[0], dx.visualItemRect(dx.item(0)).topLeft() + QPoint(10, 2))
    assert window.chart.document["diagnoses"] == ["E11.9", "I10", "E78.5"]
    assert dx.item(0).text().startswith("1. E11.9") and dx.count() == 3
    assert window.chart.document["procedures"][0]["diagnosis_pointers"] == [2, 3, 1]
    below_last = dx.visualItemRect(dx.item(2)).bottomLeft() + QPoint(10, 20)
    drop_on(view, dx.mimeData([dx.item(0)]), below_last)
    assert window.chart.document["diagnoses"] == ["I10", "E78.5", "E11.9"]


def test_user_switch_keeps_favorites_apart_and_names_the_audit(window, qtbot, monkeypatch):
    from encoder_app import preferences
    from encoder_app.encounters.store import audit_trail

    monkeypatch.delenv(preferences.USER_ENV, raising=False)
    window.switch_user("Ana")
    window.open_code("icd10cm", "E11.9")
    window.toggle_favorite()
    assert window.favorites.list.count() == 1
    window.chart.add_code("icd10cm", "I10")
    window.encounters.save()
    qtbot.waitUntil(lambda: window.encounters.encounter_id is not None, timeout=30000)
    window.switch_user("Ben")
    assert window.favorites.list.count() == 0 and "Ben" in window.user_label.text()
    window.chart.add_code("icd10cm", "E78.5")
    window.encounters.save()
    window.runner.wait(5000)
    def coded():  # the codes' lines (the date of service is audited too, with the first save)
        return [line for line in audit_trail(window.engine, window.encounters.encounter_id)
                if line.field.startswith("diagnoses")]

    qtbot.waitUntil(lambda: len(coded()) == 2, timeout=30000)
    assert [line.user for line in coded()] == ["Ana", "Ben"]
    with qtbot.waitSignal(window.encounters.audit_shown, timeout=30000) as shown:
        window.encounters.show_audit_trail()
    dialog = shown.args[0]
    rows = [[dialog.table.item(r, c).text() for c in range(1, 5)]
            for r in range(dialog.table.rowCount())]
    assert [row for row in rows if row[1].startswith("diagnoses")] == [
        ["Ana", "diagnoses[1]", "(none)", "I10"], ["Ben", "diagnoses[2]", "(none)", "E78.5"]]
    assert preferences.user_name() == "Ben"


def test_an_inpatient_stay_opens_and_keeps_its_poa_and_procedure_dates(window, qtbot):
    from encoder_app.encounters.serialize import encounter_to_json
    from encoder_app.encounters.snapshot import parse_encounter

    stay = parse_encounter({
        "setting": "inpatient", "admission_date": "2026-04-27",
        "discharge_date": "2026-05-01", "discharge_status": "01",
        "patient": {"name": "Ana Ortega", "sex": "F", "birth_date": "1950-04-28"},
        "diagnoses": [{"code": "K35.80", "poa": "Y"}, "E11.9"],
        "procedures": [{"code": "0DTJ4ZZ", "date": "2026-04-28"}]})
    window.chart.load_document(encounter_to_json(stay))
    assert window.chart.diagnoses.item(0).text().startswith("1. K35.80")
    assert window.chart.diagnoses.item(0).text().endswith("(POA Y)")
    window.chart.add_code("icd10cm", "K35.80")  # already there: not added twice
    window.chart.add_code("icd10cm", "I10")
    doc = window.chart.document_from_widgets()
    assert doc["setting"] == "inpatient"
    assert doc["diagnoses"] == [{"code": "K35.80", "poa": "Y"}, "E11.9", "I10"]
    assert doc["procedures"][0]["date"] == "2026-04-28"
    again = parse_encounter(doc)
    assert (again.discharge_date.isoformat(), again.diagnosis_poa) == ("2026-05-01",
                                                                      ("Y", None, None))
