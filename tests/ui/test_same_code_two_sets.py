"""A code two code sets share (J1100: ICD-10-CM J11.00, influenza with pneumonia, and HCPCS
J1100, dexamethasone 1 mg): Enter on the typed code asks which one, a row the coder picked is
not asked about, and the detail pane names the other code."""

import datetime as dt

from PySide6.QtCore import Qt

from encoder_app.codebook.lookup import CodeDetail
from encoder_app.search.engine import Hit
from ui.browser.detail_pane import render_detail
from ui.browser.search_panel import SearchPanel

FLU = Hit("J11.00", "icd10cm", "Influenza due to unidentified influenza virus with "
          "unspecified type of pneumonia", True, 9.0, "code")
DEXA = Hit("J1100", "hcpcs", "Injection, dexamethasone sodium phosphate, 1 mg", True, 8.0,
           "code")
OTHER = Hit("J11.08", "icd10cm", "Influenza ... with specified pneumonia", True, 5.0, "code")


def typed(qtbot, text: str, hits: list[Hit]):
    panel = SearchPanel()
    qtbot.addWidget(panel)
    asked, chosen = [], []
    panel.code_chosen.connect(lambda *args: chosen.append(args))
    panel.box.setEnabled(True)
    panel.box.blockSignals(True)  # no engine: the hits are given, not searched
    panel.box.setText(text)
    panel.box.blockSignals(False)
    panel.show_hits(hits)
    return panel, asked, chosen


def test_enter_on_a_code_two_sets_share_asks_which_and_adds_the_answer(qtbot):
    panel, asked, chosen = typed(qtbot, "J1100", [FLU, DEXA, OTHER])

    def answer(parent, text, hits):
        asked.append((text, [(h.system, h.code) for h in hits]))
        return DEXA

    panel.ask_which_code = answer
    qtbot.keyClick(panel.box, Qt.Key.Key_Return)
    assert asked == [("J1100", [("icd10cm", "J11.00"), ("hcpcs", "J1100")])]
    assert chosen == [("hcpcs", "J1100", 1)]


def test_cancelling_the_question_adds_nothing(qtbot):
    panel, _asked, chosen = typed(qtbot, "j1100", [FLU, DEXA])
    panel.ask_which_code = lambda *a: None
    qtbot.keyClick(panel.box, Qt.Key.Key_Return)
    assert chosen == []


def test_a_row_the_coder_moved_to_is_a_choice_not_a_question(qtbot):
    panel, _asked, chosen = typed(qtbot, "J1100", [FLU, DEXA])
    panel.ask_which_code = lambda *a: (_ for _ in ()).throw(AssertionError("asked"))
    qtbot.keyClick(panel.box, Qt.Key.Key_Down)
    qtbot.keyClick(panel.box, Qt.Key.Key_Return)
    assert chosen == [("hcpcs", "J1100", 1)]


def test_words_or_a_code_of_one_set_are_never_asked_about(qtbot):
    for text, hits in (("influenza pneumonia", [FLU, DEXA]), ("J11.00", [FLU, OTHER])):
        panel, _asked, chosen = typed(qtbot, text, hits)
        panel.ask_which_code = lambda *a: (_ for _ in ()).throw(AssertionError("asked"))
        qtbot.keyClick(panel.box, Qt.Key.Key_Return)
        assert chosen == [("icd10cm", "J11.00", 1)]


def test_the_detail_pane_names_the_other_code_with_a_link():
    detail = CodeDetail(code="J11.00", system="icd10cm", title=FLU.title, level="code",
                        billable=True, valid=True, validity="valid for 2026-05-01",
                        date_of_service=dt.date(2026, 5, 1), release="FY2026",
                        parents=[], notes=[], also_in=["hcpcs"])
    shown = render_detail(detail)
    assert "Also HCPCS Level II" in shown and "J1100" in shown
    assert "hcpcs" in shown.split("Also HCPCS Level II")[1].split("</p>")[0]  # the link's system
    alone = render_detail(CodeDetail(**{**detail.__dict__, "also_in": []}))
    assert "Also" not in alone
