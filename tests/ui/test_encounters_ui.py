"""Saving, reopening, autosave, JSON export/import and favorites, as a coder uses them."""

import json

from PySide6.QtCore import Qt

from encoder_app.encounters.store import list_encounters


def test_save_and_reopen_an_encounter(window, qtbot):
    window.chart.fields["patient.name"].setText("Zoë Müller")
    window.chart.add_code("icd10cm", "I10")
    window.encounters.save()
    qtbot.waitUntil(lambda: window.encounters.encounter_id is not None, timeout=30000)
    saved = window.encounters.encounter_id
    window.encounters.new()
    assert window.chart.document["diagnoses"] == []
    with qtbot.waitSignal(window.encounters.opened, timeout=30000):
        window.encounters.open(saved)  # read on the worker, behind any pending save
    assert window.chart.document["diagnoses"] == ["I10"]
    assert window.chart.fields["patient.name"].text() == "Zoë Müller"


def test_changes_are_autosaved(window, qtbot):
    window.chart.add_code("icd10cm", "E11.9")
    qtbot.waitUntil(lambda: bool(list_encounters(window.engine)), timeout=30000)
    [summary] = list_encounters(window.engine)
    assert summary.diagnosis_count == 1


def test_export_and_import_json(window, qtbot, tmp_path):
    window.chart.add_code("icd10cm", "J45.909")
    path = tmp_path / "visit.json"
    window.encounters.export_json(str(path))
    assert json.loads(path.read_text(encoding="utf-8"))["diagnoses"] == ["J45.909"]
    window.encounters.new()
    window.encounters.import_json(str(path))
    assert window.chart.document["diagnoses"] == ["J45.909"]


def test_importing_a_malformed_encounter_names_the_field(window, tmp_path, monkeypatch):
    from PySide6.QtWidgets import QMessageBox

    shown = []
    monkeypatch.setattr(QMessageBox, "warning", lambda *a: shown.append(a[2]))
    bad = tmp_path / "bad.json"
    bad.write_text('{"date_of_service": "yesterday"}')
    window.encounters.import_json(str(bad))
    assert shown and shown[0].startswith("bad.json\ndate of service: ") and "$" not in shown[0]


def test_star_a_code_and_assign_it_from_favorites(window, qtbot):
    window.open_code("icd10cm", "E11.9")
    qtbot.keyClick(window, Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier)
    assert window.favorites.list.count() == 1
    assert "E11.9" in window.favorites.list.item(0).text()
    window.favorites.list.setCurrentRow(0)
    window.favorites.list.itemActivated.emit(window.favorites.list.item(0))
    assert window.chart.document["diagnoses"] == ["E11.9"]
    qtbot.keyClick(window, Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier)
    assert window.favorites.list.count() == 0


def test_three_patients_in_a_row_with_ctrl_n_are_three_encounters(window, qtbot):
    """New, type, new, type, new, type, then reopen each: every patient kept their own codes.
    (Ctrl+N used to start a save and clear the id, and the finished save put the old id back,
    so the next patient was written over the one just finished.)"""
    from encoder_app.encounters.store import audit_trail

    def pause():  # a coder takes seconds between patients: autosave and its reply both land
        qtbot.waitUntil(lambda: not window.encounters._autosave.isActive()
                        and window.encounters.pending_save() is None, timeout=30000)

    patients = [("Ann Lee", "E11.9"), ("Bo Chen", "I10"), ("Cy Diaz", "J45.909")]
    for name, code in patients:
        qtbot.keyClick(window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
        pause()
        assert window.chart.document["diagnoses"] == []
        qtbot.keyClicks(window.chart.fields["patient.name"], name)
        window.search.box.clear()
        qtbot.keyClicks(window.search.box, code)
        qtbot.keyClick(window.search.box, Qt.Key.Key_Return)
        assert window.chart.document["diagnoses"] == [code]
        pause()
    qtbot.keyClick(window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    pause()
    qtbot.waitUntil(lambda: len(list_encounters(window.engine)) == 3, timeout=10000)
    saved = {s.label: s.id for s in list_encounters(window.engine)}
    assert set(saved) == {name for name, _ in patients}
    for name, code in patients:
        with qtbot.waitSignal(window.encounters.opened, timeout=30000):
            window.encounters.open(saved[name])
        assert window.chart.fields["patient.name"].text() == name
        assert window.chart.document["diagnoses"] == [code]
        trail = audit_trail(window.engine, saved[name])
        assert ("patient.name", None, name) in [(a.field, a.before, a.after) for a in trail]
        assert [a.after for a in trail if a.field.startswith("diagnoses")] == [code]


def test_new_type_new_type_then_reopen_each_and_type_again_saves_on_its_version(window,
                                                                                 qtbot):
    """New, type, new, type, reopen the first and add a code, reopen the second and add one,
    reopen both: every save went onto the version the window opened (no conflict from its
    own earlier saves), to its own row, and each encounter holds both of its codes."""
    from encoder_app.encounters.store import load_encounter_record

    def pause():
        qtbot.waitUntil(lambda: not window.encounters._autosave.isActive()
                        and window.encounters.pending_save() is None, timeout=30000)

    def enter(code):
        window.search.box.clear()
        qtbot.keyClicks(window.search.box, code)
        qtbot.keyClick(window.search.box, Qt.Key.Key_Return)
        pause()

    for name, code in (("Ann Lee", "E11.9"), ("Bo Chen", "I10")):
        qtbot.keyClick(window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
        pause()
        qtbot.keyClicks(window.chart.fields["patient.name"], name)
        enter(code)
    qtbot.keyClick(window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    pause()
    saved = {s.label: s.id for s in list_encounters(window.engine)}
    for name, more in (("Ann Lee", "Z79.84"), ("Bo Chen", "E78.5")):
        with qtbot.waitSignal(window.encounters.opened, timeout=30000):
            window.encounters.open(saved[name])
        enter(more)
    qtbot.keyClick(window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    pause()
    assert window.encounters.conflict_dialog is None  # never in conflict with itself
    assert len(list_encounters(window.engine)) == 2
    for name, codes in (("Ann Lee", ["E11.9", "Z79.84"]), ("Bo Chen", ["I10", "E78.5"])):
        with qtbot.waitSignal(window.encounters.opened, timeout=30000):
            window.encounters.open(saved[name])
        assert window.chart.document["diagnoses"] == codes
        stored = load_encounter_record(window.engine, saved[name])
        assert stored.version >= 2 and list(stored.snapshot.diagnoses) == codes


def test_saves_queued_before_the_first_finished_make_one_encounter(window, qtbot):
    """Autosave and Ctrl+S in quick succession on a new encounter: one row, the last version."""
    window.chart.fields["patient.name"].setText("Di Ek")
    window.chart.add_code("icd10cm", "I10")
    window.encounters.save()
    window.chart.add_code("icd10cm", "E11.9")
    window.encounters.save()  # queued while the first save may still be running
    window.encounters.runner.wait(10000)
    qtbot.waitUntil(lambda: window.encounters.encounter_id is not None, timeout=10000)
    [summary] = list_encounters(window.engine)
    assert summary.diagnosis_count == 2 and summary.id == window.encounters.encounter_id


def test_two_patients_given_a_drug_by_dose_keep_their_own_units(window, qtbot, fixtures,
                                                                monkeypatch):
    """New, type a drug with its dose, Enter; new, another dose; reopen both: each line kept
    the units its own dose implied (J0001 is 1 mg a unit)."""
    from PySide6.QtWidgets import QMessageBox

    monkeypatch.setattr(QMessageBox, "information", lambda *a: None)
    with qtbot.waitSignal(window.imports.done, timeout=120000):
        window.imports.import_files([str(fixtures / "hcpcs" / "HCPC2024_JUL_ANWEB.csv")])
    qtbot.waitUntil(lambda: window.search.box.isEnabled(), timeout=60000)
    window.activateWindow()  # Ctrl+N reaches the active window only
    qtbot.waitUntil(window.isActiveWindow, timeout=5000)

    def pause():
        qtbot.waitUntil(lambda: not window.encounters._autosave.isActive()
                        and window.encounters.pending_save() is None, timeout=30000)

    patients = [("Eva Fox", "epsilon injection 5 mg", 5), ("Gus Hall", "epsilon injection 2 mg", 2)]
    for name, query, _units in patients:
        qtbot.keyClick(window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
        pause()
        qtbot.keyClicks(window.chart.fields["patient.name"], name)
        window.search.box.clear()
        qtbot.keyClicks(window.search.box, query)
        qtbot.waitUntil(lambda: window.search.results.topLevelItemCount() > 0, timeout=10000)
        qtbot.keyClick(window.search.box, Qt.Key.Key_Return)
        pause()
    qtbot.keyClick(window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    pause()
    qtbot.waitUntil(lambda: len(list_encounters(window.engine)) == 2, timeout=10000)
    saved = {s.label: s.id for s in list_encounters(window.engine)}
    for name, _query, units in patients:
        with qtbot.waitSignal(window.encounters.opened, timeout=30000):
            window.encounters.open(saved[name])
        lines = window.chart.document["procedures"]
        assert [(p["code"], p["units"]) for p in lines] == [("J0001", units)], name
