"""Starting the window: an encrypted database asks for its passphrase in a dialog, and a
database the app cannot open is a message, not a traceback."""

from PySide6.QtWidgets import QInputDialog, QMessageBox

import ui.app
from encoder_app import encryption
from encoder_app.errors import EncoderError


def test_a_database_that_cannot_be_opened_is_a_message_and_exit_1(qapp, monkeypatch):
    shown = []

    def refuse():
        raise EncoderError("codebook.sqlite3: the database is encrypted and the key does not "
                           "open it")

    monkeypatch.setattr(ui.app, "default_engine", refuse)
    monkeypatch.setattr(QMessageBox, "critical", lambda *a: shown.append(a[2]))
    assert ui.app.main([]) == 1
    assert shown == ["codebook.sqlite3: the database is encrypted and the key does not open it"]


def test_the_passphrase_is_asked_in_a_dialog_on_start(qapp, monkeypatch):
    asked = []

    def typed(parent, title, prompt, echo):
        asked.append((title, prompt, echo))
        return "s3cret", True

    monkeypatch.setattr(QInputDialog, "getText", typed)
    monkeypatch.setattr(ui.app, "default_engine", lambda: (_ for _ in ()).throw(
        EncoderError(f"prompt installed: {encryption._prompt('Passphrase for x: ')}")))
    monkeypatch.setattr(QMessageBox, "critical", lambda *a: None)
    try:
        assert ui.app.main([]) == 1
    finally:
        encryption.set_passphrase_prompt(None)
    assert asked and asked[0][1] == "Passphrase for x: "
    assert asked[0][2] == ui.app.QLineEdit.EchoMode.Password
