"""The window as a coder drives it: type, arrow, Enter, follow links, go back, import."""

import datetime as dt

from PySide6.QtCore import Qt, QUrl

from ui.browser.detail_pane import linked_note
from ui.shortcuts import SHORTCUTS, ShortcutsDialog


def result_codes(win):
    return [win.search.results.topLevelItem(i).text(0)
            for i in range(win.search.results.topLevelItemCount())]


def test_typing_shows_type_ahead_results_with_badges(window, qtbot):
    qtbot.keyClicks(window.search.box, "chest pa")
    assert "R07.9" in result_codes(window)[:5]
    row = window.search.results.topLevelItem(0)
    assert row.text(2) == "billable" and row.text(3) == "CM" and row.text(4)
    assert row.toolTip(3) == "ICD-10-CM"


def test_arrow_keys_and_enter_open_and_assign_a_result(window, qtbot):
    qtbot.keyClicks(window.search.box, "E11.9")
    qtbot.keyClick(window.search.box, Qt.Key.Key_Return)
    assert window.detail.current.code == "E11.9"
    assert "Type 2 diabetes mellitus without complications" in window.detail.toPlainText()
    window.search.box.clear()
    qtbot.keyClicks(window.search.box, "copd")
    first = result_codes(window)[0]
    qtbot.keyClick(window.search.box, Qt.Key.Key_Down)
    qtbot.keyClick(window.search.box, Qt.Key.Key_Return)
    assert window.detail.current.code == result_codes(window)[1] != first


def test_detail_shows_notes_inherited_and_seventh_characters(window):
    window.open_code("icd10cm", "S72.001")
    text = window.detail.toPlainText()
    assert "Not valid" in text and "7th character" in text and "S72.001A" in text
    assert "At Chapter 19" in text


def test_seventh_characters_are_buttons_that_open_the_full_code(window, qtbot):
    window.open_code("icd10cm", "S72.001")
    bar = window.detail.seventh
    assert bar.isVisible()
    labels = [b.text() for b in bar.buttons]
    assert labels[0] == "A  initial closed fx"  # the whole meaning is in the tooltip
    assert bar.buttons[0].toolTip() == "S72.001A: initial encounter for closed fracture"
    assert not any(b.isChecked() for b in bar.buttons)  # a header: nothing chosen yet
    subsequent = next(b for b in bar.buttons if b.text().startswith("D "))
    qtbot.mouseClick(subsequent, Qt.MouseButton.LeftButton)
    assert window.detail.current.code == "S72.001D"
    assert [b.isChecked() for b in window.detail.seventh.buttons].count(True) == 1
    assert next(b for b in window.detail.seventh.buttons if b.isChecked()).text().startswith("D ")
    window.open_code("icd10cm", "E11.9")  # no 7th character: the bar goes away
    assert not window.detail.seventh.isVisible()


def test_seventh_character_of_a_short_code_fills_placeholder_x(window, qtbot):
    window.open_code("icd10cm", "T15.01")  # 5 characters: X pads to the 7th
    codes = [b.toolTip().split(":")[0] for b in window.detail.seventh.buttons]
    assert "T15.01XA" in codes


def test_a_note_link_opens_that_code_and_back_returns(window, qtbot):
    window.open_code("icd10cm", "E11.9")
    window.detail.anchorClicked.emit(QUrl("code:icd10cm:E10"))
    assert window.detail.current.code == "E10"
    qtbot.keyClick(window, Qt.Key.Key_Left, Qt.KeyboardModifier.AltModifier)
    assert window.detail.current.code == "E11.9"
    qtbot.keyClick(window, Qt.Key.Key_Right, Qt.KeyboardModifier.AltModifier)
    assert window.detail.current.code == "E10"


def test_note_text_code_references_become_links():
    html = linked_note("gestational diabetes (O24.4-); newborn (P70-P74)")
    assert 'href="code:icd10cm:O24.4"' in html and 'href="code:icd10cm:P70"' in html


def test_ctrl_k_focuses_the_search_box(window, qtbot):
    window.detail.setFocus()
    qtbot.keyClick(window, Qt.Key.Key_K, Qt.KeyboardModifier.ControlModifier)
    assert window.search.box.hasFocus()


def test_unknown_code_link_shows_a_message_not_a_crash(window):
    window.open_code("icd10cm", "Q99.99")
    assert window.detail.current is None
    assert "Q99.99" in window.detail.toPlainText()


def test_shortcuts_dialog_lists_every_shortcut(window):
    dialog = ShortcutsDialog(window)
    listed = {dialog.table.item(r, 1).text() for r in range(dialog.table.rowCount())}
    assert set(SHORTCUTS.values()) <= listed


def test_import_runs_in_the_background_and_reports(window, qtbot, fixtures, monkeypatch):
    from PySide6.QtWidgets import QMessageBox

    shown = []
    monkeypatch.setattr(QMessageBox, "information", lambda *a: shown.append(a[2]))
    window.imports.import_files([str(fixtures / "hcpcs" / "HCPC2024_JUL_ANWEB.csv")])
    qtbot.waitUntil(lambda: bool(shown), timeout=120000)
    assert "imported HCPCS Level II" in shown[0]
    qtbot.waitUntil(lambda: window.search.box.isEnabled())
    window.search.box.clear()
    qtbot.keyClicks(window.search.box, "test transport")
    assert "A0001" in result_codes(window)
    # A0002 ended 2020-12-31: its badge says terminated, and it comes last
    rows = [window.search.results.topLevelItem(i) for i in range(len(result_codes(window)))]
    assert [r.text(2) for r in rows if r.text(0) == "A0002"] == ["terminated"]
    assert result_codes(window)[-1] == "A0002"
    # a drug searched with its dose goes on the encounter with the units the dose implies
    window.search.box.clear()
    qtbot.keyClicks(window.search.box, "epsilon injection 5 mg")
    qtbot.waitUntil(lambda: result_codes(window)[:1] == ["J0001"])
    assert "5 units" in window.search.results.topLevelItem(0).text(4)
    assert window.search.results.topLevelItem(0).text(2) == "billable \u00d75"
    qtbot.keyClick(window.search.box, Qt.Key.Key_Return)
    lines = window.chart.document_from_widgets()["procedures"]
    assert [(p["code"], p["units"]) for p in lines] == [("J0001", 5)]


def test_failed_import_shows_the_file_and_line(window, qtbot, fixtures, monkeypatch):
    from PySide6.QtWidgets import QMessageBox

    shown = []
    monkeypatch.setattr(QMessageBox, "warning", lambda *a: shown.append(a[2]))
    window.imports.import_files([str(fixtures / "tabular" / "tabular_broken_xml.xml")])
    qtbot.waitUntil(lambda: bool(shown), timeout=60000)
    assert "tabular_broken_xml.xml" in shown[0] and "line 28" in shown[0]


def test_the_detail_follows_the_encounters_date_of_service(window, qtbot):
    window.open_code("icd10cm", "E11.9")
    assert "Valid on " + dt.date.today().isoformat() in window.detail.toPlainText()
    date = window.chart.fields["date_of_service"]
    date.clear()
    qtbot.keyClicks(date, "2016-03-01")  # before any loaded release
    assert "Valid on 2016-03-01" in window.detail.toPlainText()
    # the release caveat is said once, in the banner, not in every code's detail
    assert "before the earliest loaded release" in window.release_banner.text()
    assert "before the earliest" not in window.detail.toPlainText()
    assert window.detail.current.code == "E11.9"
    window.chart.load_document({"date_of_service": "2026-05-01", "diagnoses": []})
    assert "Valid on 2026-05-01" in window.detail.toPlainText()
    assert window.history[-1] == ("icd10cm", "E11.9") and len(window.history) == 1


def test_no_7th_character_buttons_on_a_header_that_still_needs_its_6th(window, qtbot):
    window.open_code("icd10cm", "S72.30")
    assert not window.detail.seventh.isVisible() and window.detail.seventh.buttons == []
    assert "S72.30XA" not in window.detail.toPlainText()
    window.open_code("icd10cm", "S72.301")  # one level down the 7th character comes next
    assert window.detail.seventh.isVisible()
    assert window.detail.seventh.buttons[0].toolTip().startswith("S72.301A:")
    window.open_code("icd10cm", "W11")  # a short category: placeholder X, as the book has it
    codes = [b.toolTip().split(":")[0] for b in window.detail.seventh.buttons]
    assert codes == ["W11.XXXA", "W11.XXXD", "W11.XXXS"]


def test_a_date_past_the_newest_release_is_said_once_in_a_banner(window, qtbot):
    # the default codebook is FY2026 (to 2026-09-30): a date after it shows the banner with
    # what to do, and the detail's validity does not repeat it
    date = window.chart.fields["date_of_service"]
    date.clear()
    qtbot.keyClicks(date, "2027-01-15")
    qtbot.waitUntil(lambda: window.release_banner.isVisible(), timeout=3000)
    assert "after the newest loaded release" in window.release_banner.text()
    assert "File > Import release files" in window.release_banner.text()
    window.open_code("icd10cm", "E11.9")
    assert "Valid on 2027-01-15" in window.detail.toPlainText()
    assert "after the newest" not in window.detail.toPlainText()
    date.clear()
    qtbot.keyClicks(date, "2026-05-01")
    qtbot.waitUntil(lambda: not window.release_banner.isVisible(), timeout=3000)


def test_the_release_label_keeps_its_own_brackets(window):
    window.open_code("icd10cm", "E11.9")
    # "FY2026 Tabular List (April 1, 2026 update)": the closing bracket is the label's own
    assert "(April 1, 2026 update)" in window.detail.toPlainText()


def test_notes_of_one_kind_share_one_heading(window):
    # E11.9's category prints several "Use additional code" notes: one heading over them
    from ui.browser.detail_pane import render_detail

    window.open_code("icd10cm", "E11.9")
    detail = window.detail.current
    kinds = [(n.at, n.kind) for n in detail.notes]
    repeated = {k for k in kinds if kinds.count(k) > 1}
    assert repeated  # the case this test is about
    page = render_detail(detail)
    from encoder_app.codebook.lookup import NOTE_HEADINGS
    for _at, kind in repeated:  # the heading once, its notes as a list below it
        assert f"<i>{NOTE_HEADINGS.get(kind, kind)}:</i><ul>" in page
