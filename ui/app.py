"""Starts the desktop window: `encoder-app` with no command."""

from __future__ import annotations

import sys

from PySide6.QtWidgets import QApplication, QInputDialog, QLineEdit, QMessageBox

from encoder_app import encryption
from encoder_app.codebook.db import default_engine
from encoder_app.errors import EncoderError
from ui.main_window import MainWindow
from ui.theme import apply_theme


def _ask_passphrase(prompt: str) -> str | None:
    """The passphrase of an encrypted database, typed into a dialog (never echoed, never kept)."""
    text, ok = QInputDialog.getText(None, "Encrypted database", prompt,
                                    QLineEdit.EchoMode.Password)
    return text if ok and text else None


def main(argv: list[str] | None = None) -> int:
    app = QApplication.instance() or QApplication(argv or sys.argv)
    app.setApplicationName("Encoder")
    apply_theme(app)
    # Opened here, on the window's thread, so an encrypted database can ask for its passphrase.
    encryption.set_passphrase_prompt(_ask_passphrase)
    try:
        engine = default_engine()
    except EncoderError as exc:  # a wrong passphrase, a database of another schema
        QMessageBox.critical(None, "Encoder cannot open its database", str(exc))
        return 1
    window = MainWindow(engine)
    window.show()
    window.start()
    return app.exec()


if __name__ == "__main__":
    sys.exit(main())
