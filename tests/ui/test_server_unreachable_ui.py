"""The server goes away while the coder types: the window says so, keeps the encounter on this
computer (an encounter file in the data folder's unsaved folder), tries again on its own, and
when the server is back saves it once and drops the kept copy."""

import json

import ui.chart.encounter_controller as controller
from encoder_app.data_lock import ServerUnavailable
from encoder_app.encounters.store import list_encounters, load_encounter_record
from encoder_app.encounters.unsaved import list_unsaved


def test_typed_while_the_server_is_down_is_kept_then_saved_once(window, qtbot, monkeypatch):
    real = controller.save_encounter_version
    down = {"attempts": 0}

    def while_down(*args, **kwargs):
        if down["attempts"] < 2:  # the server is away for two tries
            down["attempts"] += 1
            raise ServerUnavailable("the encounter was not saved: the server "
                                    "db.practice/practice cannot be reached")
        return real(*args, **kwargs)

    monkeypatch.setattr(controller, "save_encounter_version", while_down)
    window.encounters._retry.setInterval(200)
    messages = []
    window.encounters.message.connect(messages.append)
    window.chart.fields["patient.name"].setText("Ruth Calloway")
    window.chart.add_code("icd10cm", "E11.9")
    qtbot.waitUntil(lambda: any("Kept on this computer" in m for m in messages), timeout=30000)
    [kept] = list_unsaved()
    assert json.loads(kept.path.read_text(encoding="utf-8"))["diagnoses"] == ["E11.9"]
    assert oct(kept.path.stat().st_mode & 0o777) == "0o600"  # patient data
    assert kept.encounter_id is None  # a new encounter: saved later with its own key
    qtbot.waitUntil(lambda: len(list_encounters(window.engine)) == 1, timeout=30000)
    qtbot.waitUntil(lambda: window.encounters.pending_save() is None, timeout=30000)
    assert down["attempts"] == 2 and list_unsaved() == []
    [saved] = list_encounters(window.engine)
    assert load_encounter_record(window.engine, saved.id).snapshot.diagnoses == ("E11.9",)
    window.chart.add_code("icd10cm", "I10")  # and on it goes, on the same encounter
    qtbot.waitUntil(lambda: load_encounter_record(window.engine, saved.id).snapshot.diagnoses
                    == ("E11.9", "I10"), timeout=30000)
    assert len(list_encounters(window.engine)) == 1


def test_an_encounter_kept_in_an_earlier_session_is_reopened_onto_its_row(window, qtbot):
    from encoder_app.encounters.snapshot import parse_encounter
    from encoder_app.encounters.store import save_encounter_version
    from encoder_app.encounters.unsaved import keep_unsaved

    visit = {"date_of_service": "2026-05-04", "patient": {"name": "Ruth Calloway"},
             "diagnoses": ["E11.9"], "procedures": []}
    saved = save_encounter_version(window.engine, parse_encounter(visit), user="coder")
    # Last session: the coder added I10 to version 1, the server was down, the window closed.
    keep_unsaved({**visit, "diagnoses": ["E11.9", "I10"]}, "kept-key", saved.id, 1)
    assert window.encounters.reopen_kept()
    qtbot.waitUntil(lambda: load_encounter_record(window.engine, saved.id).snapshot.diagnoses
                    == ("E11.9", "I10"), timeout=30000)
    qtbot.waitUntil(lambda: list_unsaved() == [], timeout=30000)
    assert len(list_encounters(window.engine)) == 1  # onto its row, not a new one
    assert window.encounters.encounter_id == saved.id
    assert not window.encounters.reopen_kept()  # none left
