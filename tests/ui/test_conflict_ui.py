"""Two workstations on one encounter, in the window: the coder opens encounter #1, the biller
saves a change to it from elsewhere, the coder keeps typing. The coder's save is refused, the
conflict view shows both versions field by field, and each way on keeps both versions."""

import pytest

from encoder_app.encounters.snapshot import parse_encounter
from encoder_app.encounters.store import list_encounters, load_encounter_record, save_encounter
from ui.chart.conflict_dialog import MINE_AS_COPY, MINE_OVER_THEIRS

VISIT = {"date_of_service": "2026-05-04", "patient": {"name": "Ruth Calloway"},
         "diagnoses": ["E11.9"], "procedures": []}


def open_then_biller_saves(window, qtbot) -> int:
    first = save_encounter(window.engine, parse_encounter(VISIT), user="front desk")
    with qtbot.waitSignal(window.encounters.opened, timeout=30000):
        window.encounters.open(first)
    # From the biller's workstation, while the coder has version 1 open:
    save_encounter(window.engine, parse_encounter({**VISIT, "diagnoses": ["E11.9", "I10"]}),
                   first, user="biller")
    window.chart.add_code("icd10cm", "Z79.84")  # the coder's change, autosaved
    qtbot.waitUntil(lambda: window.encounters.conflict_dialog is not None
                    and window.encounters.conflict_dialog.isVisible(), timeout=30000)
    return first


@pytest.mark.parametrize("choice", [MINE_AS_COPY, MINE_OVER_THEIRS])
def test_a_refused_save_shows_both_versions_and_loses_neither(window, qtbot, choice):
    first = open_then_biller_saves(window, qtbot)
    dialog = window.encounters.conflict_dialog
    assert "was changed by biller" in dialog.windowTitle()
    table = dialog.table
    rows = [tuple(table.item(r, c).text() for c in range(3)) for r in range(table.rowCount())]
    assert ("diagnoses[2]", "I10", "Z79.84") in rows  # theirs against yours
    assert load_encounter_record(window.engine, first).snapshot.diagnoses == ("E11.9", "I10")
    button = dialog.copy_button if choice == MINE_AS_COPY else dialog.over_button
    button.click()
    qtbot.waitUntil(lambda: len(list_encounters(window.engine)) == 2, timeout=30000)
    qtbot.waitUntil(lambda: window.encounters.pending_save() is None, timeout=30000)
    saved = {s.id: load_encounter_record(window.engine, s.id).snapshot.diagnoses
             for s in list_encounters(window.engine)}
    mine, theirs = ("E11.9", "Z79.84"), ("E11.9", "I10")
    assert sorted(saved.values()) == sorted([mine, theirs])  # both kept, neither twice
    assert saved[first] == (theirs if choice == MINE_AS_COPY else mine)
    shown = window.encounters.encounter_id
    assert (shown != first) if choice == MINE_AS_COPY else (shown == first)
    # The coder goes on typing: saved to the encounter shown, with no second conflict.
    window.encounters.conflict_dialog = None
    window.chart.add_code("icd10cm", "E78.5")
    qtbot.waitUntil(lambda: load_encounter_record(window.engine, shown).snapshot.diagnoses
                    == (*mine, "E78.5"), timeout=30000)
    assert window.encounters.conflict_dialog is None


def test_the_merge_takes_theirs_where_the_coder_says_and_keeps_the_rest_mine(window, qtbot):
    from encoder_app.encounters.store import audit_trail

    first = save_encounter(window.engine, parse_encounter(VISIT), user="front desk")
    with qtbot.waitSignal(window.encounters.opened, timeout=30000):
        window.encounters.open(first)
    save_encounter(window.engine, parse_encounter({**VISIT, "diagnoses": ["E11.9", "I10"]}),
                   first, user="biller")
    window.chart.fields["patient.name"].setText("Ruth M. Calloway")
    window.chart.add_code("icd10cm", "Z79.84")
    qtbot.waitUntil(lambda: window.encounters.conflict_dialog is not None
                    and window.encounters.conflict_dialog.isVisible(), timeout=30000)
    dialog = window.encounters.conflict_dialog
    assert set(dialog.fields) == {"patient.name", "diagnoses[2]"}
    assert dialog.take_theirs() == set()  # yours, until the coder says otherwise
    dialog.keep_field("diagnoses[2]", "theirs")
    dialog.merge_button.click()
    qtbot.waitUntil(lambda: load_encounter_record(window.engine, first).version == 3,
                    timeout=30000)
    stored = load_encounter_record(window.engine, first)
    assert stored.snapshot.diagnoses == ("E11.9", "I10")  # theirs, as chosen
    assert stored.snapshot.patient.name == "Ruth M. Calloway"  # mine
    assert len(list_encounters(window.engine)) == 1  # merged, not copied
    assert window.chart.document_from_widgets()["diagnoses"] == ["E11.9", "I10"]  # as saved
    last = [(a.field, a.before, a.after) for a in audit_trail(window.engine, first)][-1:]
    assert last == [("patient.name", "Ruth Calloway", "Ruth M. Calloway")]
