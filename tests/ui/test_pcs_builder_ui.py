"""The ICD-10-PCS builder by keyboard alone, over the real FY2023 PCS Tables and Definitions:
0DTJ4ZZ (laparoscopic appendectomy) built character by character and added to the encounter,
Backspace stepping back, a label filter, and a pasted code filled back in."""

import datetime as dt

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from encoder_app.codebook.db import engine_for
from encoder_app.codebook.pcs_builder import PcsBuilder
from encoder_app.importers import import_paths
from ui.browser.pcs_builder import PcsBuilderDialog

pytestmark = pytest.mark.shared_data
PCS_FILES = ("icd10pcs_tables_2023.xml", "icd10pcs_definitions_2023.xml")


@pytest.fixture(scope="module")
def pcs_db(shared_codebooks_dir, tmp_path_factory):
    path = tmp_path_factory.mktemp("pcs") / "pcs.sqlite3"
    engine = engine_for(f"sqlite:///{path}")
    import_paths([shared_codebooks_dir / "icd10pcs-2023" / name for name in PCS_FILES], engine)
    engine.dispose()
    return path


@pytest.fixture
def dialog(pcs_db, qtbot):
    builder = PcsBuilder(engine_for(f"sqlite:///{pcs_db}"), dt.date(2023, 5, 1))
    shown = PcsBuilderDialog(builder)
    qtbot.addWidget(shown)
    shown.show()
    return shown


def type_and_enter(qtbot, dialog, text):
    qtbot.keyClicks(dialog.filter, text)
    qtbot.keyClick(dialog.filter, Qt.Key.Key_Return)


def test_0dtj4zz_is_built_by_keyboard_alone_and_added(dialog, qtbot):
    added = []
    dialog.code_added.connect(added.append)
    for char, title in zip("0DTJ4ZZ", ["Section", "Body System", "Operation", "Body Part",
                                       "Approach", "Device", "Qualifier"], strict=True):
        assert dialog.build.next.title == title
        type_and_enter(qtbot, dialog, char)
    assert dialog.build.complete and dialog.code_box.text() == "0DTJ4ZZ"
    assert "Resection Appendix, Percutaneous Endoscopic Approach" in dialog.result.text()
    assert dialog.chosen.item(3, 2).text() == "Appendix"
    qtbot.keyClick(dialog.filter, Qt.Key.Key_Return)
    assert added == ["0DTJ4ZZ"]


def test_only_the_approaches_of_the_appendix_row_are_offered_with_definitions(dialog, qtbot):
    for char in "0DTJ":
        type_and_enter(qtbot, dialog, char)
    offered = [dialog.values.item(r).data(Qt.ItemDataRole.UserRole)
               for r in range(dialog.values.count())]
    assert offered == ["0", "4", "7", "8"]
    qtbot.keyClicks(dialog.filter, "4")
    assert dialog.values.currentItem().text().startswith("4   Percutaneous Endoscopic")
    assert "Entry, by puncture or minor incision" in dialog.definition.toPlainText()


def test_words_filter_the_column_and_backspace_steps_back(dialog, qtbot):
    for char in "0DT":
        type_and_enter(qtbot, dialog, char)
    qtbot.keyClicks(dialog.filter, "append")
    visible = [dialog.values.item(r).text() for r in range(dialog.values.count())
               if not dialog.values.item(r).isHidden()]
    assert visible == ["J   Appendix"]
    assert "Vermiform appendix" in dialog.definition.toPlainText()  # the Body Part Key
    qtbot.keyClick(dialog.filter, Qt.Key.Key_Return)
    assert dialog.build.code == "0DTJ"
    qtbot.keyClick(dialog.filter, Qt.Key.Key_Backspace)  # the filter is empty: one step back
    assert dialog.build.code == "0DT" and dialog.build.next.title == "Body Part"


def test_a_pasted_code_fills_every_column_and_a_wrong_one_is_named(dialog, qtbot):
    dialog.code_box.setText("")
    qtbot.keyClicks(dialog.code_box, "0dtj4zz")
    assert dialog.build.complete and dialog.chosen.item(4, 2).text() == "Percutaneous Endoscopic"
    dialog.code_box.clear()
    qtbot.keyClicks(dialog.code_box, "0DTJ3")
    assert "3 is not an allowed approach after 0DTJ" in dialog.result.text()
    assert dialog.build.code == "0DTJ" and not dialog.add_button.isEnabled()


def test_the_window_builds_a_code_onto_the_encounter(window, pcs_db, shared_codebooks_dir, qtbot):
    import_paths([shared_codebooks_dir / "icd10pcs-2023" / name for name in PCS_FILES],
                 window.engine)
    action = next(a for a in window.findChildren(type(window.menuBar().actions()[0]))
                  if a.text() == "Build an ICD-10-&PCS code…")
    assert action.shortcut().toString() == "Ctrl+B"
    action.trigger()
    qtbot.waitUntil(lambda: window.pcs_builder is not None and window.pcs_builder.isVisible(),
                    timeout=30000)
    dialog = window.pcs_builder
    for char in "0DTJ4ZZ":
        type_and_enter(qtbot, dialog, char)
    qtbot.keyClick(dialog.filter, Qt.Key.Key_Return)
    codes = [line["code"] for line in window.chart.document_from_widgets()["procedures"]]
    assert codes == ["0DTJ4ZZ"]
    assert not dialog.isVisible()
    QApplication.processEvents()
