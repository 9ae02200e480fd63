"""The UI thread never waits for the worker: switching user, closing, opening an encounter and
its audit trail each go on while a (slow) save runs, and still come out right.

Each test holds the save on the worker until the UI thread's own timer has ticked three times
during it, and forbids ``runner.wait``: a window that blocked for the save would fail, not just
be slow (no timed assertion)."""

import threading

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QMessageBox

import ui.chart.encounter_controller as controller
from encoder_app.encounters.store import audit_trail, list_encounters
from encoder_app.errors import EncoderError


class SlowSaves:
    """Saves that run only once the UI thread has ticked ``TICKS`` times while they run."""

    TICKS = 3

    def __init__(self, monkeypatch, fail: bool = False):
        self.gate, self.started = threading.Event(), threading.Event()
        self.gate.set()
        self.ticks_while_saving = 0
        self.fail = fail
        real = controller.save_encounter_version

        def slow(*args, **kwargs):
            self.started.set()
            assert self.gate.wait(30), "the UI thread did not tick while the save ran"
            if self.fail:
                raise EncoderError("the disk is full")
            return real(*args, **kwargs)

        monkeypatch.setattr(controller, "save_encounter_version", slow)
        self.timer = QTimer(interval=10)
        self.timer.timeout.connect(self._tick)
        self.timer.start()

    def hold(self) -> None:
        """The next saves wait for the UI thread's ticks."""
        self.started.clear()
        self.gate.clear()
        self.ticks_while_saving = 0

    def _tick(self) -> None:
        if self.started.is_set() and not self.gate.is_set():
            self.ticks_while_saving += 1
            if self.ticks_while_saving >= self.TICKS:
                self.gate.set()

    @property
    def ticked_during_save(self) -> bool:
        return self.ticks_while_saving >= self.TICKS


@pytest.fixture
def slow(window, monkeypatch):
    def never(*_args):
        raise AssertionError("the UI thread waited for the worker")

    monkeypatch.setattr(window.runner, "wait", never)
    saves = SlowSaves(monkeypatch)
    yield saves
    saves.timer.stop()
    saves.gate.set()


def idle(window, qtbot) -> None:
    """Every job queued has reported (saves, and the reads queued behind them)."""
    qtbot.waitUntil(lambda: window.encounters.pending_save() is None
                    and not window.runner._live, timeout=30000)


def test_switch_user_goes_on_while_the_save_runs(window, qtbot, slow, monkeypatch):
    from encoder_app import preferences

    monkeypatch.delenv(preferences.USER_ENV, raising=False)
    window.switch_user("Ana")
    window.chart.add_code("icd10cm", "I10")
    slow.hold()
    window.switch_user("Ben")  # saves Ana's edit; does not wait for it
    assert "Ben" in window.user_label.text() and window.encounters.pending_save() is not None
    idle(window, qtbot)
    assert slow.ticked_during_save
    lines = [a for a in audit_trail(window.engine, window.encounters.encounter_id)
             if a.field.startswith("diagnoses")]
    assert [(a.user, a.after) for a in lines] == [("Ana", "I10")]


def test_close_waits_for_the_save_by_its_signal_and_keeps_what_was_typed(window, qtbot, slow):
    window.chart.fields["patient.name"].setText("Cleo Park")
    window.chart.add_code("icd10cm", "I10")
    slow.hold()
    window.close()
    assert window.isVisible()  # the close waits for the save to report, the window goes on
    window.close()  # asked again meanwhile: still one pending close
    window.chart.add_code("icd10cm", "E11.9")  # typed while it saves: saved before closing
    qtbot.waitUntil(lambda: not window.isVisible(), timeout=30000)
    assert slow.ticked_during_save and window.encounters.pending_save() is None
    [summary] = list_encounters(window.engine)
    assert summary.label == "Cleo Park" and summary.diagnosis_count == 2


def test_close_after_a_failed_save_asks_before_losing_it(window, qtbot, slow, monkeypatch):
    asked, reply = [], {"answer": QMessageBox.StandardButton.No}
    monkeypatch.setattr(QMessageBox, "question",
                        lambda _p, _t, text, *_a: asked.append(text) or reply["answer"])
    window.chart.add_code("icd10cm", "I10")
    slow.fail = True
    slow.hold()
    window.close()
    qtbot.waitUntil(lambda: bool(asked), timeout=30000)
    assert "disk is full" in asked[0] and window.isVisible() and slow.ticked_during_save
    reply["answer"] = QMessageBox.StandardButton.Yes
    window.close()  # the save is tried again, fails again, and the coder lets it go
    qtbot.waitUntil(lambda: not window.isVisible(), timeout=30000)
    assert len(asked) == 2 and list_encounters(window.engine) == []


def test_new_type_new_type_reopen_while_saves_are_slow(window, qtbot, slow):
    """Reopening reads the encounter behind the saves still queued: the first patient comes
    back with their last edit, and the second patient is their own encounter."""
    window.chart.fields["patient.name"].setText("Ann Lee")
    window.chart.add_code("icd10cm", "E11.9")
    window.encounters.save()
    idle(window, qtbot)
    ann = window.encounters.encounter_id
    window.chart.add_code("icd10cm", "I10")
    slow.hold()
    window.encounters.new()  # Ann's last edit: queued, held
    assert window.chart.document["diagnoses"] == []
    window.chart.fields["patient.name"].setText("Bo Chen")
    window.chart.add_code("icd10cm", "J45.909")
    with qtbot.waitSignal(window.encounters.opened, timeout=30000):
        window.encounters.open(ann)  # saves Bo, then reads Ann: all on the worker, in order
        assert window.chart.fields["patient.name"].text() == "Bo Chen"  # not yet: no wait
    assert slow.ticked_during_save
    assert window.chart.fields["patient.name"].text() == "Ann Lee"
    assert window.chart.document["diagnoses"] == ["E11.9", "I10"]
    assert window.encounters.encounter_id == ann
    idle(window, qtbot)
    counts = {s.label: (s.id, s.diagnosis_count) for s in list_encounters(window.engine)}
    assert counts["Ann Lee"] == (ann, 2) and counts["Bo Chen"][1] == 1
    assert counts["Bo Chen"][0] != ann


def test_new_after_open_wins_over_the_late_read(window, qtbot, slow):
    window.chart.fields["patient.name"].setText("Di Ek")
    window.chart.add_code("icd10cm", "I10")
    window.encounters.save()
    idle(window, qtbot)
    di = window.encounters.encounter_id
    window.encounters.new()
    slow.hold()
    window.chart.add_code("icd10cm", "E78.5")
    window.encounters.open(di)  # saves the new one (held), then would read Di
    window.encounters.new()  # the coder changed their mind before it was read
    idle(window, qtbot)  # the save, and the read queued behind it, have reported
    assert slow.ticked_during_save
    assert window.chart.document["diagnoses"] == [] and window.encounters.encounter_id is None
    assert len(list_encounters(window.engine)) == 2


def test_audit_trail_is_read_behind_the_slow_save(window, qtbot, slow):
    window.chart.fields["patient.name"].setText("Eve Ng")
    window.chart.add_code("icd10cm", "I10")
    slow.hold()
    with qtbot.waitSignal(window.encounters.audit_shown, timeout=30000) as shown:
        window.encounters.show_audit_trail()
        assert window.encounters.audit_dialog is None  # not yet: nothing waited
    assert slow.ticked_during_save
    dialog = shown.args[0]
    fields = [dialog.table.item(r, 2).text() for r in range(dialog.table.rowCount())]
    assert "diagnoses[1]" in fields  # the edit saved just before is in the trail
