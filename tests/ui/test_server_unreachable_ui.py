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
    assert json.loads(kept.read_text(encoding="utf-8"))["diagnoses"] == ["E11.9"]
    assert oct(kept.stat().st_mode & 0o777) == "0o600"  # patient data
    qtbot.waitUntil(lambda: len(list_encounters(window.engine)) == 1, timeout=30000)
    qtbot.waitUntil(lambda: window.encounters.pending_save() is None, timeout=30000)
    assert down["attempts"] == 2 and list_unsaved() == []
    [saved] = list_encounters(window.engine)
    assert load_encounter_record(window.engine, saved.id).snapshot.diagnoses == ("E11.9",)
    window.chart.add_code("icd10cm", "I10")  # and on it goes, on the same encounter
    qtbot.waitUntil(lambda: load_encounter_record(window.engine, saved.id).snapshot.diagnoses
                    == ("E11.9", "I10"), timeout=30000)
    assert len(list_encounters(window.engine)) == 1
