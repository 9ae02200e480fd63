"""Practice set-up, fee schedule and pick list dialogs, driven as a coder uses them: typing into
fields and cells, clicking buttons, reading what the dialog shows and what the database holds."""

import csv
import json
from decimal import Decimal

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFileDialog,
    QInputDialog,
    QLineEdit,
    QMessageBox,
    QTableWidget,
)

from encoder_app.practice.fee_schedule import load_fee_schedule, save_fee_schedule
from encoder_app.practice.pick_lists import get_pick_list, list_pick_lists, sample_pick_list
from encoder_app.practice.sample import load_sample_practice
from encoder_app.practice.setup import load_practice, save_practice
from encoder_app.practice.types import FeeEntry, FeeSchedule, Practice
from ui.practice.fee_schedule_dialog import FeeScheduleDialog
from ui.practice.pick_list_dialog import PickListDialog
from ui.practice.practice_dialog import PracticeDialog

SAMPLE = "Sample family practice"


@pytest.fixture(autouse=True)
def answers(monkeypatch):
    """Every question a dialog asks is recorded and answered as the test says: Yes to yes/no,
    Discard to "save changes?" (so closing a dialog at teardown never waits for a click)."""
    given = {"yes": QMessageBox.StandardButton.Yes, "save": QMessageBox.StandardButton.Discard,
             "name": None, "open": None, "save_as": None, "asked": []}

    def question(_parent, _title, text, buttons=None, *_rest):
        given["asked"].append(text)
        if buttons is not None and buttons & QMessageBox.StandardButton.Discard:
            return given["save"]
        return given["yes"]

    monkeypatch.setattr(QMessageBox, "question", question)
    monkeypatch.setattr(QInputDialog, "getText",
                        lambda *a, **k: (given["name"] or "", given["name"] is not None))
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (given["open"], ""))
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (given["save_as"], ""))
    return given


def shown(qtbot, dialog):
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def type_into(qtbot, editor: QLineEdit, text: str) -> None:
    editor.clear()
    qtbot.keyClicks(editor, text)


def type_cell(qtbot, view, item, column: int, text: str) -> None:
    """Open the cell's editor as a double-click would, type, and press Enter."""
    if view.state() == view.State.EditingState and view.currentItem() is item \
            and view.currentColumn() == column:
        pass  # already editing it, as Add leaves a new row
    elif isinstance(view, QTableWidget):
        view.setCurrentItem(item)
        view.editItem(item)
    else:
        view.setCurrentItem(item, column)
        view.editItem(item, column)
    # A closed editor lingers until deleted later; the open one is the visible one.
    editors = [e for e in view.viewport().findChildren(QLineEdit) if e.isVisible()]
    assert len(editors) == 1, "no cell editor opened"
    editor = editors[0]
    editor.selectAll()
    qtbot.keyClicks(editor, text)
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: item.text(column) == text if not isinstance(view, QTableWidget)
                    else item.text() == text, timeout=2000)  # Qt commits on the next loop


def table_cell(qtbot, table, row: int, column: int, text: str) -> None:
    type_cell(qtbot, table, table.item(row, column), column, text)


def table_rows(table) -> list[list[str]]:
    return [[table.item(r, c).text() for c in range(table.columnCount())]
            for r in range(table.rowCount())]


# --- practice set-up ----------------------------------------------------------------------

def fill_practice(qtbot, dialog: PracticeDialog, npi: str) -> None:
    type_into(qtbot, dialog.name, "Riverbend Pediatrics")
    dialog.address.setPlainText("44 Mill Road\nSpringfield, ST 01234")
    type_into(qtbot, dialog.phone, "(555) 555-0199")
    type_into(qtbot, dialog.tax_id, "987654321")
    add_provider, _remove = dialog.row_buttons["provider"]
    qtbot.mouseClick(add_provider, Qt.MouseButton.LeftButton)
    for column, text in enumerate(["Ana  Ruiz", "MD", npi]):
        table_cell(qtbot, dialog.providers, 0, column, text)
    add_payer, _remove = dialog.row_buttons["payer"]
    qtbot.mouseClick(add_payer, Qt.MouseButton.LeftButton)
    table_cell(qtbot, dialog.payers, 0, 0, "Medicare Part B")
    qtbot.mouseClick(add_payer, Qt.MouseButton.LeftButton)  # left blank: not a payer


def test_practice_typed_in_is_saved_and_shown_again_on_reopening(engine, qtbot):
    dialog = shown(qtbot, PracticeDialog(engine))
    assert dialog.name.text() == "" and dialog.providers.rowCount() == 0
    fill_practice(qtbot, dialog, "1234567893")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert dialog.result() == QDialog.DialogCode.Accepted and not dialog.isVisible()

    again = shown(qtbot, PracticeDialog(engine))
    assert again.name.text() == "Riverbend Pediatrics"
    assert again.address.toPlainText() == "44 Mill Road\nSpringfield, ST 01234"
    assert again.tax_id.text() == "98-7654321"  # the core writes the EIN with its dash
    assert table_rows(again.providers) == [["Ana Ruiz", "MD", "1234567893"]]
    assert table_rows(again.payers) == [["Medicare Part B", ""]]


def test_an_npi_failing_its_check_digit_is_shown_in_red_and_nothing_is_saved(engine, qtbot):
    dialog = shown(qtbot, PracticeDialog(engine))
    fill_practice(qtbot, dialog, "1234567890")  # ...3 passes the check digit, ...0 does not
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert dialog.isVisible() and dialog.result() != QDialog.DialogCode.Accepted
    assert dialog.status.isVisible() and dialog.status.is_problem
    assert "provider 1 (Ana Ruiz)" in dialog.status.text()
    assert "check digit" in dialog.status.text()
    assert (dialog.providers.currentRow(), dialog.providers.currentColumn()) == (0, 2)
    assert load_practice(engine) is None


def test_a_malformed_tax_id_points_at_its_field(engine, qtbot):
    dialog = shown(qtbot, PracticeDialog(engine))
    type_into(qtbot, dialog.name, "Riverbend Pediatrics")
    type_into(qtbot, dialog.tax_id, "12-34")
    assert not dialog.save()
    assert dialog.status.text().startswith("tax id:")
    assert dialog.focusWidget() is dialog.tax_id
    assert load_practice(engine) is None


def test_load_sample_practice_asks_first_then_fills_the_form(engine, qtbot, answers):
    dialog = shown(qtbot, PracticeDialog(engine))
    answers["yes"] = QMessageBox.StandardButton.No
    qtbot.mouseClick(dialog.sample_button, Qt.MouseButton.LeftButton)
    assert len(answers["asked"]) == 1 and load_practice(engine) is None

    answers["yes"] = QMessageBox.StandardButton.Yes
    qtbot.mouseClick(dialog.sample_button, Qt.MouseButton.LeftButton)
    assert dialog.name.text() == "Cedar Hollow Family Medicine"
    assert dialog.providers.rowCount() == 3 and dialog.payers.rowCount() == 3
    assert load_fee_schedule(engine).fee_for("99213") == Decimal("155.00")
    assert not dialog.status.is_problem


def test_the_sample_is_refused_over_another_practice_with_the_cores_reason(engine, qtbot):
    save_practice(engine, Practice("Riverbend Pediatrics"))
    dialog = shown(qtbot, PracticeDialog(engine))
    qtbot.mouseClick(dialog.sample_button, Qt.MouseButton.LeftButton)
    assert dialog.status.is_problem
    assert "set up for Riverbend Pediatrics" in dialog.status.text()
    assert load_practice(engine).name == "Riverbend Pediatrics"
    assert dialog.name.text() == "Riverbend Pediatrics"


# --- fee schedule -------------------------------------------------------------------------

def fee_row(dialog: FeeScheduleDialog, code: str, modifier: str = "") -> int:
    return next(r for r, (c, m, _f) in enumerate(table_rows(dialog.table))
                if (c, m) == (code, modifier))


def test_fee_edits_and_a_new_fee_are_saved_and_shown_on_reopening(engine, qtbot):
    load_sample_practice(engine)
    dialog = shown(qtbot, FeeScheduleDialog(engine))
    assert dialog.count.text() == "44 fees"
    table_cell(qtbot, dialog.table, fee_row(dialog, "99213"), 2, "$160")
    qtbot.mouseClick(dialog.add_button, Qt.MouseButton.LeftButton)
    new = dialog.table.rowCount() - 1
    for column, text in enumerate(["93005", "", "30"]):
        table_cell(qtbot, dialog.table, new, column, text)
    assert dialog.dirty
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert dialog.status.text() == "Saved 45 fees." and not dialog.dirty

    stored = load_fee_schedule(engine)
    assert stored.fee_for("99213") == Decimal("160.00")
    assert stored.fee_for("93005") == Decimal("30.00")
    again = shown(qtbot, FeeScheduleDialog(engine))
    assert table_rows(again.table)[fee_row(again, "99213")] == ["99213", "", "160.00"]
    assert table_rows(again.table)[fee_row(again, "93005")] == ["93005", "", "30.00"]


def test_the_filter_hides_other_codes_and_a_bad_fee_is_named_by_its_row(engine, qtbot):
    load_sample_practice(engine)
    dialog = shown(qtbot, FeeScheduleDialog(engine))
    qtbot.keyClicks(dialog.filter, "6921")
    visible = [r for r in range(dialog.table.rowCount()) if not dialog.table.isRowHidden(r)]
    assert [table_rows(dialog.table)[r][:2] for r in visible] == [["69210", ""],
                                                                  ["69210", "50"]]
    assert dialog.count.text() == "2 of 44 fees"
    table_cell(qtbot, dialog.table, visible[1], 2, "abc")
    assert not dialog.save()
    assert dialog.status.text() == f"fee schedule: row {visible[1] + 1}: fee 'abc' is not " \
                                   "an amount"
    assert (dialog.table.currentRow(), dialog.table.currentColumn()) == (visible[1], 2)
    assert load_fee_schedule(engine).fee_for("69210", ["50"]) == Decimal("142.50")


def test_a_code_priced_twice_names_both_rows(engine, qtbot):
    dialog = shown(qtbot, FeeScheduleDialog(engine))
    for code in ("99213", "99213"):
        qtbot.mouseClick(dialog.add_button, Qt.MouseButton.LeftButton)
        table_cell(qtbot, dialog.table, dialog.table.rowCount() - 1, 0, code)
        table_cell(qtbot, dialog.table, dialog.table.rowCount() - 1, 2, "100")
    assert not dialog.save()
    assert dialog.status.text() == "fee schedule: row 2: 99213 already has a fee on row 1"
    assert load_fee_schedule(engine).entries == ()


def test_importing_a_csv_with_a_bad_row_names_file_and_row_and_keeps_the_fees(
        engine, qtbot, tmp_path, answers):
    save_fee_schedule(engine, FeeSchedule((FeeEntry("99213", Decimal("150")),)))
    bad = tmp_path / "new-fees.csv"
    bad.write_text("CPT,Description,Charge\n99212,Visit,100\n99214,Visit,lots\n",
                   encoding="utf-8")
    dialog = shown(qtbot, FeeScheduleDialog(engine))
    answers["open"] = str(bad)
    qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    assert dialog.status.is_problem
    assert "new-fees.csv: row 3: Charge 'lots' is not an amount" in dialog.status.text()
    assert table_rows(dialog.table) == [["99213", "", "150.00"]] and not dialog.dirty
    assert load_fee_schedule(engine).fee_for("99213") == Decimal("150.00")


def test_exported_csv_imports_into_another_practice_unchanged(engine, qtbot, tmp_path,
                                                              answers):
    from encoder_app.codebook.db import engine_for

    load_sample_practice(engine)
    dialog = shown(qtbot, FeeScheduleDialog(engine))
    answers["save_as"] = str(tmp_path / "fees.csv")
    qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
    rows = list(csv.reader((tmp_path / "fees.csv").open(encoding="utf-8")))
    assert rows[0] == ["code", "modifier", "fee"] and ["69210", "50", "142.50"] in rows

    other = engine_for(f"sqlite:///{tmp_path / 'other.sqlite3'}")
    importer = shown(qtbot, FeeScheduleDialog(other))
    assert importer.import_csv(tmp_path / "fees.csv") and importer.dirty
    assert load_fee_schedule(other).entries == ()  # read into the table; Save stores it
    assert importer.save()
    assert load_fee_schedule(other) == load_fee_schedule(engine)


def test_enter_in_the_filter_box_does_not_save_half_typed_fees(engine, qtbot):
    dialog = shown(qtbot, FeeScheduleDialog(engine))
    qtbot.mouseClick(dialog.add_button, Qt.MouseButton.LeftButton)
    table_cell(qtbot, dialog.table, 0, 0, "99213")  # no fee yet
    qtbot.keyClicks(dialog.filter, "992")
    qtbot.keyClick(dialog.filter, Qt.Key.Key_Return)
    assert dialog.isVisible() and not dialog.status.isVisible() and dialog.dirty
    assert dialog.table.rowCount() == 1  # nor did Enter press Add fee
    assert (dialog.table.currentRow(), dialog.table.currentColumn()) == (0, 2)  # its fee
    with qtbot.waitActive(dialog):  # a window's shortcuts work while it is the active one
        dialog.activateWindow()
    qtbot.keyClick(dialog.filter, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    # A button's shortcut shows the press for a moment before it clicks.
    qtbot.waitUntil(lambda: dialog.status.text() == "fee schedule: row 1: fee is empty",
                    timeout=2000)


def test_closing_with_unsaved_fees_asks_and_cancel_keeps_the_dialog_open(engine, qtbot,
                                                                         answers):
    dialog = shown(qtbot, FeeScheduleDialog(engine))
    qtbot.mouseClick(dialog.add_button, Qt.MouseButton.LeftButton)
    table_cell(qtbot, dialog.table, 0, 0, "99213")
    answers["save"] = QMessageBox.StandardButton.Cancel
    dialog.reject()
    assert dialog.isVisible() and len(answers["asked"]) == 1
    answers["save"] = QMessageBox.StandardButton.Discard
    dialog.reject()
    assert not dialog.isVisible()


# --- pick lists ---------------------------------------------------------------------------

def tree_content(tree) -> list[tuple[str, list[list[str]]]]:
    out = []
    for s in range(tree.topLevelItemCount()):
        top = tree.topLevelItem(s)
        out.append((top.text(0), [[top.child(i).text(c) for c in range(4)]
                                  for i in range(top.childCount())]))
    return out


def names(dialog: PickListDialog) -> list[str]:
    return [dialog.names.item(r).text() for r in range(dialog.names.count())]


def choose(dialog: PickListDialog, name: str) -> None:
    dialog.names.setCurrentRow(names(dialog).index(name))


def test_a_new_list_with_a_section_and_codes_is_saved_and_reopened(engine, qtbot, answers):
    dialog = shown(qtbot, PickListDialog(engine))
    assert names(dialog) == [SAMPLE] and dialog.showing_sample
    answers["name"] = "Urgent care"
    qtbot.mouseClick(dialog.new_button, Qt.MouseButton.LeftButton)
    assert names(dialog) == ["Urgent care", SAMPLE] and dialog.heading.text() == "Urgent care"
    assert dialog.tree.topLevelItemCount() == 0 and not dialog.showing_sample

    qtbot.mouseClick(dialog.add_section_button, Qt.MouseButton.LeftButton)
    type_cell(qtbot, dialog.tree, dialog.tree.topLevelItem(0), 0, "Visits")
    qtbot.mouseClick(dialog.add_item_button, Qt.MouseButton.LeftButton)
    item = dialog.tree.currentItem()
    type_cell(qtbot, dialog.tree, item, 0, "99213")
    type_cell(qtbot, dialog.tree, item, 1, "Office visit, low")
    qtbot.mouseClick(dialog.add_item_button, Qt.MouseButton.LeftButton)
    item = dialog.tree.currentItem()
    type_cell(qtbot, dialog.tree, item, 0, "j069")
    type_cell(qtbot, dialog.tree, item, 1, "URI")
    dialog.tree.setCurrentItem(item, 2)
    dialog.tree.editItem(item, 2)
    [systems] = [b for b in dialog.tree.viewport().findChildren(QComboBox) if b.isVisible()]
    qtbot.keyClick(systems, Qt.Key.Key_I)  # the picker jumps to ICD-10-CM
    qtbot.keyClick(systems, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: item.text(2) == "ICD-10-CM", timeout=2000)
    qtbot.mouseClick(dialog.up_button, Qt.MouseButton.LeftButton)  # the URI goes first
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert dialog.status.text() == "Saved “Urgent care”." and not dialog.dirty

    again = shown(qtbot, PickListDialog(engine))
    choose(again, "Urgent care")
    assert again.heading.text() == "Urgent care"
    assert tree_content(again.tree) == [("Visits", [["J06.9", "URI", "ICD-10-CM", ""],
                                                    ["99213", "Office visit, low", "CPT", ""]])]


def test_a_bad_code_in_a_pick_list_is_named_and_selected_and_nothing_saved(engine, qtbot,
                                                                          answers):
    dialog = shown(qtbot, PickListDialog(engine))
    answers["name"] = "Urgent care"
    dialog.new_list()
    dialog.tree.add_section("Visits")
    item = dialog.tree.add_item(["9921", "Visit", "CPT", ""])
    assert not dialog.save()
    assert dialog.status.text() == "Not saved: section 1 “Visits”, line 1 (9921): '9921' " \
                                   "is not a CPT code"
    assert dialog.tree.currentItem() is item
    assert get_pick_list(engine, "Urgent care").sections == ()


def test_editing_the_sample_saves_a_copy_under_the_name_given(engine, qtbot, answers):
    dialog = shown(qtbot, PickListDialog(engine))
    first = dialog.tree.topLevelItem(0).child(0)
    type_cell(qtbot, dialog.tree, first, 1, "New patient, quick visit")
    answers["name"] = "Our superbill"
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert names(dialog) == ["Our superbill", SAMPLE]
    assert dialog.heading.text() == "Our superbill" and not dialog.showing_sample
    copy = get_pick_list(engine, "Our superbill")
    assert copy.sections[0].items[0].label == "New patient, quick visit"
    assert get_pick_list(engine, SAMPLE) == sample_pick_list()  # the sample stays as shipped


def test_pick_list_json_export_and_import_round_trip(engine, qtbot, tmp_path, answers):
    from encoder_app.codebook.db import engine_for

    dialog = shown(qtbot, PickListDialog(engine))
    answers["save_as"] = str(tmp_path / "sample.json")
    qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
    data = json.loads((tmp_path / "sample.json").read_text(encoding="utf-8"))
    assert data["format"] == "encoder-app-pick-list/1" and data["name"] == SAMPLE
    data["name"] = "Clinic list"
    (tmp_path / "clinic.json").write_text(json.dumps(data), encoding="utf-8")

    other = engine_for(f"sqlite:///{tmp_path / 'other.sqlite3'}")
    importer = shown(qtbot, PickListDialog(other))
    answers["open"] = str(tmp_path / "clinic.json")
    qtbot.mouseClick(importer.import_button, Qt.MouseButton.LeftButton)
    assert list_pick_lists(other) == ["Clinic list", SAMPLE]
    assert importer.heading.text() == "Clinic list"
    assert get_pick_list(other, "Clinic list").sections == sample_pick_list().sections


def test_a_malformed_pick_list_file_names_the_section_line_and_field(engine, qtbot, tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"format": "encoder-app-pick-list/1", "name": "Bad",
                               "sections": [{"title": "A", "items": [{"code": "99213"}]}]}),
                   encoding="utf-8")
    dialog = shown(qtbot, PickListDialog(engine))
    assert not dialog.import_json(bad)
    assert dialog.status.text() == ("Nothing imported: bad.json: section 1, line 1, system: "
                                    "is required: CPT, HCPCS or ICD-10-CM")
    assert list_pick_lists(engine) == [SAMPLE]


def test_deleting_the_sample_is_refused_with_a_message(engine, qtbot, answers):
    dialog = shown(qtbot, PickListDialog(engine))
    qtbot.mouseClick(dialog.delete_button, Qt.MouseButton.LeftButton)
    assert dialog.status.is_problem
    assert "shipped sample" in dialog.status.text() and "cannot be deleted" in dialog.status.text()
    assert answers["asked"] == []  # not asked "delete?" only to be refused
    assert names(dialog) == [SAMPLE]


def test_a_saved_list_is_deleted_after_asking(engine, qtbot, answers):
    dialog = shown(qtbot, PickListDialog(engine))
    answers["name"] = "Urgent care"
    dialog.new_list()
    qtbot.mouseClick(dialog.delete_button, Qt.MouseButton.LeftButton)
    assert answers["asked"] == ["Delete the pick list “Urgent care”?"]
    assert names(dialog) == [SAMPLE] and list_pick_lists(engine) == [SAMPLE]
    assert dialog.heading.text() == SAMPLE


def test_renaming_a_list_keeps_its_codes_and_renaming_the_sample_copies_it(engine, qtbot,
                                                                           answers):
    dialog = shown(qtbot, PickListDialog(engine))
    answers["name"] = "Clinic"
    qtbot.mouseClick(dialog.rename_button, Qt.MouseButton.LeftButton)
    assert dialog.status.text() == "Saved a copy of the sample as “Clinic”."
    assert names(dialog) == ["Clinic", SAMPLE] and dialog.heading.text() == "Clinic"
    answers["name"] = "Walk-in clinic"
    qtbot.mouseClick(dialog.rename_button, Qt.MouseButton.LeftButton)
    assert names(dialog) == ["Walk-in clinic", SAMPLE]
    assert get_pick_list(engine, "Walk-in clinic").sections == sample_pick_list().sections

# --- from the main window -----------------------------------------------------------------

def test_the_practice_menu_opens_each_dialog_and_a_saved_practice_reaches_the_chart(window):
    dialog = window.open_practice_dialog("practice")
    assert isinstance(dialog, PracticeDialog) and dialog.isVisible()
    assert dialog.load_sample(confirm=False) and dialog.save()
    payers = window.chart.fields["payer"].completer()
    assert payers is not None and "Medicare Part B" in payers.model().stringList()
    for which, kind in (("fees", FeeScheduleDialog), ("pick_lists", PickListDialog)):
        opened = window.open_practice_dialog(which)
        assert isinstance(opened, kind) and opened.isVisible()
        opened.reject()
        assert not opened.isVisible()


# --- two workstations on the set-up ---------------------------------------------------------

def test_fees_saved_again_and_again_in_one_dialog_never_conflict_with_themselves(engine,
                                                                                qtbot):
    load_sample_practice(engine)
    dialog = shown(qtbot, FeeScheduleDialog(engine))
    for fee in ("$160", "$161", "$162"):
        table_cell(qtbot, dialog.table, fee_row(dialog, "99213"), 2, fee)
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
        assert dialog.status.text() == "Saved 44 fees.", dialog.status.text()
    assert load_fee_schedule(engine).fee_for("99213") == Decimal("162.00")


def test_fees_another_workstation_saved_meanwhile_are_not_overwritten_unasked(engine, qtbot,
                                                                             answers):
    from encoder_app.practice.fee_schedule import set_fee

    load_sample_practice(engine)
    sample_fee = load_fee_schedule(engine).fee_for("99213")
    dialog = shown(qtbot, FeeScheduleDialog(engine))
    set_fee(engine, "99214", Decimal("199.00"), who="Biller")  # at the front desk, meanwhile
    table_cell(qtbot, dialog.table, fee_row(dialog, "99213"), 2, "$160")
    answers["yes"] = QMessageBox.StandardButton.No  # keep mine here, unsaved
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert "changed by Biller" in answers["asked"][-1]
    assert "changed by Biller" in dialog.status.text() and dialog.dirty
    assert table_rows(dialog.table)[fee_row(dialog, "99213")][2] == "$160"  # still typed
    stored = load_fee_schedule(engine)
    assert (stored.fee_for("99213"), stored.fee_for("99214")) == (sample_fee,
                                                                  Decimal("199.00"))
    answers["yes"] = QMessageBox.StandardButton.Yes  # now: mine over theirs, knowingly
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert dialog.status.text() == "Saved 44 fees." and not dialog.dirty
    assert load_fee_schedule(engine).fee_for("99213") == Decimal("160.00")


def test_a_pick_list_saved_elsewhere_meanwhile_is_a_conflict_and_the_edit_is_kept(engine,
                                                                                 qtbot,
                                                                                 answers):
    from encoder_app.practice.pick_lists import save_pick_list
    from encoder_app.practice.types import PickItem, PickList, PickSection

    answers["name"] = "Urgent care"
    dialog = shown(qtbot, PickListDialog(engine))
    qtbot.mouseClick(dialog.new_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(dialog.add_section_button, Qt.MouseButton.LeftButton)
    type_cell(qtbot, dialog.tree, dialog.tree.topLevelItem(0), 0, "Visits")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert dialog.status.text() == "Saved “Urgent care”."
    save_pick_list(engine, PickList("Urgent care", (PickSection("Theirs", (
        PickItem("99213", "Office visit", "CPT"),)),)), who="Ann")
    qtbot.mouseClick(dialog.add_section_button, Qt.MouseButton.LeftButton)
    type_cell(qtbot, dialog.tree, dialog.tree.topLevelItem(1), 0, "Mine")
    answers["yes"] = QMessageBox.StandardButton.No
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert "changed by Ann" in dialog.status.text()
    assert [s for s, _items in tree_content(dialog.tree)] == ["Visits", "Mine"]  # kept
    assert [s.title for s in get_pick_list(engine, "Urgent care").sections] == ["Theirs"]
