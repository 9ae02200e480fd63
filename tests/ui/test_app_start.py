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
    # main() installs the passphrase dialog; put back what was there, or a later test that
    # opens an encrypted database without its key would wait on a dialog no one answers.
    monkeypatch.setattr(encryption, "_prompt", encryption._prompt)
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


def test_a_crash_in_the_window_goes_to_the_log_and_a_dialog_says_where(qapp, monkeypatch):
    from encoder_app import app_log

    shown = []
    monkeypatch.setattr(QMessageBox, "critical", lambda *a: shown.append(a[2]))
    app_log.setup()
    name = "Zoë " + "Quill" + "feather"  # built here: a source line is in the traceback
    try:
        raise ValueError(name)  # a message that may quote a patient
    except ValueError as exc:
        ui.app.report_crash(ValueError, exc, exc.__traceback__)
    text = app_log.log_file().read_text(encoding="utf-8")
    assert "the window hit an unexpected failure" in text and "test_app_start.py" in text
    assert "Quillfeather" not in text
    assert len(shown) == 1 and str(app_log.log_file()) in shown[0]
    assert "Help > Open log folder" in shown[0]


def test_help_opens_the_log_folder(window, monkeypatch):
    from PySide6.QtGui import QDesktopServices

    from encoder_app import app_log

    opened = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: opened.append(url) or True)
    help_menu = next(a.menu() for a in window.menuBar().actions() if a.text() == "&Help")
    [action] = [a for a in help_menu.actions() if a.text() == "Open &log folder"]
    action.trigger()
    assert [u.toLocalFile() for u in opened] == [str(app_log.log_folder())]
    assert app_log.log_folder().is_dir()
