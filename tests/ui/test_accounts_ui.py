"""The window on a database with practice accounts: signing in, what each role may touch,
and a front desk and a coder working the same encounters one after the other."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QAbstractItemView, QApplication

from encoder_app.encounters.store import audit_trail, list_encounters, load_encounter_record
from encoder_app.users.accounts import add_user, sign_in
from ui.sign_in_dialog import SignInDialog


def accounts(engine):
    add_user(engine, "Ann", "admin", "ann-password")
    ann = sign_in(engine, "ann", "ann-password")
    add_user(engine, "Mary", "coder", "mary-password", ann)
    add_user(engine, "Fred", "front-desk", "fred-password", ann)


def answer_sign_in(qtbot, attempts: list[tuple[str, str]]) -> list[str]:
    """Type each (name, password) into the sign-in dialog once it is up; the problems shown."""
    seen: list[str] = []

    def fill():
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, SignInDialog):
            QTimer.singleShot(20, fill)
            return
        for name, password in attempts:
            dialog.name.setText(name)
            dialog.password.setText(password)
            if not dialog.try_sign_in():
                seen.append(dialog.problem.text())
        if dialog.isVisible():
            dialog.reject()

    QTimer.singleShot(0, fill)
    return seen


def reactivate(window, qtbot):
    """After a modal dialog the offscreen platform leaves no window active, where a desktop's
    window manager hands activation back: do what it does (window shortcuts need it)."""
    with qtbot.waitActive(window):
        window.activateWindow()


def test_the_sign_in_dialog_says_a_wrong_password_without_saying_which(window, qtbot):
    accounts(window.engine)
    problems = answer_sign_in(qtbot, [("mary", "not-her-password"), ("mary", "mary-password")])
    assert window.sign_in_if_needed()
    assert problems == ["Wrong user name or password"]
    assert window.user_label.text() == "Signed in as Mary (coder)"
    answer_sign_in(qtbot, [])  # cancelled: the app does not start signed out
    assert not window.sign_in_if_needed()


def test_a_single_desk_asks_nothing(window):
    assert window.sign_in_if_needed()
    assert window.user_label.text().startswith("Coding as ")


def test_front_desk_opens_encounters_and_the_coder_codes_them(window, qtbot):
    """New, type, new, type as the front desk (codes refused), then the coder signs in,
    reopens both and codes them: each encounter holds its patient and its codes, and the
    trail names who did what."""
    accounts(window.engine)
    answer_sign_in(qtbot, [("fred", "fred-password")])
    assert window.sign_in_if_needed()
    reactivate(window, qtbot)
    assert window.chart.codes_locked and window.chart.locked_note.isVisible()
    assert not window.import_action.isEnabled()

    def pause():
        qtbot.waitUntil(lambda: not window.encounters._autosave.isActive()
                        and window.encounters.pending_save() is None, timeout=30000)

    for name in ("Ann Lee", "Bo Chen"):
        qtbot.keyClick(window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
        pause()
        qtbot.keyClicks(window.chart.fields["patient.name"], name)
        window.assign_code("icd10cm", "E11.9")  # Enter on a search result: refused
        assert "not added" in window.status.text() and "Fred (front-desk)" in window.status.text()
        assert window.chart.document_from_widgets()["diagnoses"] == []
        pause()
    qtbot.keyClick(window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    pause()
    saved = {s.label: s.id for s in list_encounters(window.engine)}
    assert set(saved) == {"Ann Lee", "Bo Chen"}

    answer_sign_in(qtbot, [("mary", "mary-password")])
    window.switch_user()
    reactivate(window, qtbot)
    assert window.user_label.text() == "Signed in as Mary (coder)"
    assert window.chart.codes_locked is None and not window.chart.locked_note.isVisible()
    for name, code in (("Ann Lee", "E11.9"), ("Bo Chen", "I10")):
        with qtbot.waitSignal(window.encounters.opened, timeout=30000):
            window.encounters.open(saved[name])
        window.assign_code("icd10cm", code)
        pause()
    qtbot.keyClick(window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    pause()
    for name, code in (("Ann Lee", "E11.9"), ("Bo Chen", "I10")):
        stored = load_encounter_record(window.engine, saved[name])
        assert stored.snapshot.diagnoses == (code,) and stored.updated_by == "Mary"
        trail = {(a.user, a.field) for a in audit_trail(window.engine, saved[name])}
        assert ("Fred", "patient.name") in trail and ("Mary", "diagnoses[1]") in trail


def test_practice_set_up_is_read_only_for_a_coder_and_open_to_an_admin(window, qtbot):
    accounts(window.engine)
    window.act_as(sign_in(window.engine, "mary", "mary-password"))
    for which in ("practice", "fees", "pick_lists"):
        dialog = window.open_practice_dialog(which)
        assert dialog.read_only and not dialog.save_button.isEnabled()
        note = dialog.status.text()
        assert "Only an admin can" in note and "Mary (coder)" in note
        tables = dialog.findChildren(QAbstractItemView)
        assert tables and all(t.editTriggers() == QAbstractItemView.EditTrigger.NoEditTriggers
                              for t in tables)
        dialog.reject()
    window.act_as(sign_in(window.engine, "ann", "ann-password"))
    dialog = window.open_practice_dialog("fees")
    assert not getattr(dialog, "read_only", False)
    dialog.reject()


def test_an_admin_manages_accounts_in_the_window(window, qtbot):
    from encoder_app.users.accounts import list_users
    from encoder_app.users.trail import practice_trail

    # The first account, from a desk without any: an admin, then whoever is here signs in.
    dialog = window.open_accounts_dialog()
    assert not dialog.add("Mary", "coder", "mary-password")
    assert "first account must be an admin" in dialog.status.text()
    assert dialog.add("Ann", "admin", "ann-password")
    answer_sign_in(qtbot, [("ann", "ann-password")])
    dialog.accept()
    qtbot.waitUntil(lambda: window.user_label.text() == "Signed in as Ann (admin)",
                    timeout=10000)
    dialog = window.open_accounts_dialog()
    assert dialog.add("Mary", "coder", "mary-password")
    assert not dialog.add("mary", "coder", "another-password")  # names ignore case
    assert "already exists" in dialog.status.text()
    dialog.table.selectRow([a.name for a in list_users(window.engine)].index("Mary"))
    assert dialog.change_role("front-desk") and dialog.switch()
    assert dialog.table.item(dialog.table.currentRow(), 2).text() == "switched off"
    dialog.reject()
    assert [(a.name, a.role, a.active) for a in list_users(window.engine)] == [
        ("Ann", "admin", True), ("Mary", "front-desk", False)]
    assert {c.subject for c in practice_trail(window.engine)} >= {
        "user Ann", "user Mary", "user Mary.role", "user Mary.active"}
    window.act_as(sign_in(window.engine, "ann", "ann-password"))
    assert window.accounts_action.isEnabled()
    dialog = window.open_accounts_dialog()
    dialog.table.selectRow(1)
    assert dialog.switch() and dialog.change_role("coder")
    dialog.reject()
    window.act_as(sign_in(window.engine, "mary", "mary-password"))
    assert not window.accounts_action.isEnabled()


def test_a_save_refused_for_a_role_changed_elsewhere_is_kept_not_lost(window, qtbot):
    from encoder_app.encounters.unsaved import list_unsaved
    from encoder_app.users.accounts import set_role

    accounts(window.engine)
    window.act_as(sign_in(window.engine, "mary", "mary-password"))
    window.chart.fields["patient.name"].setText("Ann Lee")
    window.encounters.save()
    qtbot.waitUntil(lambda: window.encounters.encounter_id is not None, timeout=30000)
    # An admin on another workstation makes Mary front desk while she codes.
    set_role(window.engine, "mary", "front-desk", sign_in(window.engine, "ann", "ann-password"))
    window.chart.add_code("icd10cm", "E11.9")  # the window still lets her: the core refuses
    window.encounters.save()
    qtbot.waitUntil(lambda: window.encounters.pending_save() is None, timeout=30000)
    assert "Mary (front-desk) may not change the codes" in window.status.text()
    assert "Kept on this computer" in window.status.text()
    [kept] = list_unsaved()
    assert kept.document["diagnoses"] == ["E11.9"]
    stored = load_encounter_record(window.engine, window.encounters.encounter_id)
    assert stored.snapshot.diagnoses == ()  # nothing written


def test_mine_over_theirs_waits_for_their_copy_and_stops_if_it_is_refused(window, qtbot):
    from encoder_app.encounters.snapshot import parse_encounter
    from encoder_app.encounters.store import save_encounter

    accounts(window.engine)
    mary = sign_in(window.engine, "mary", "mary-password")
    visit = {"date_of_service": "2026-05-04", "patient": {"name": "Ruth Calloway"},
             "diagnoses": ["E11.9"]}
    first = save_encounter(window.engine, parse_encounter(visit), user=mary)
    window.act_as(sign_in(window.engine, "fred", "fred-password"))
    with qtbot.waitSignal(window.encounters.opened, timeout=30000):
        window.encounters.open(first)
    save_encounter(window.engine, parse_encounter({**visit, "diagnoses": ["E11.9", "I10"]}),
                   first, user=mary)
    window.chart.fields["patient.name"].setText("Ruth M. Calloway")  # the front desk's fix
    window.encounters.save()
    qtbot.waitUntil(lambda: window.encounters.conflict_dialog is not None
                    and window.encounters.conflict_dialog.isVisible(), timeout=30000)
    # Their version is kept as a copy first; the front desk may not save a coded copy, so
    # theirs must not be overwritten either.
    window.encounters.conflict_dialog.over_button.click()
    qtbot.waitUntil(lambda: "Not saved over theirs" in window.status.text(), timeout=30000)
    window.encounters.runner.wait(10000)
    assert [s.id for s in list_encounters(window.engine)] == [first]
    stored = load_encounter_record(window.engine, first)
    assert stored.snapshot.diagnoses == ("E11.9", "I10") and stored.updated_by == "Mary"
    assert window.chart.fields["patient.name"].text() == "Ruth M. Calloway"  # still typed
