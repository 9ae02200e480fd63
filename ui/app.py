"""Starts the desktop window: `encoder-app` with no command."""

from __future__ import annotations

import logging
import sys

from PySide6.QtWidgets import QApplication, QInputDialog, QLineEdit

from encoder_app import app_log, encryption
from encoder_app.codebook.db import default_engine
from encoder_app.errors import EncoderError
from ui.errors import show_error
from ui.icons import app_icon
from ui.main_window import MainWindow
from ui.window_layout import apply_chosen_theme


def _ask_passphrase(prompt: str) -> str | None:
    """The passphrase of an encrypted database, typed into a dialog (never echoed, never kept)."""
    text, ok = QInputDialog.getText(None, "Encrypted database", prompt,
                                    QLineEdit.EchoMode.Password)
    return text if ok and text else None


log = logging.getLogger("encoder_app.window")


def report_crash(kind, exc, tb) -> None:
    """sys.excepthook for the window: an exception no slot caught goes to the log (frames, not
    its message) and a dialog says where, instead of Qt aborting or a silent stderr line."""
    if issubclass(kind, KeyboardInterrupt):
        sys.__excepthook__(kind, exc, tb)
        return
    exc = exc if exc.__traceback__ else exc.with_traceback(tb)
    log.error("the window hit an unexpected failure\n%s", app_log.bug_report(exc))
    where = app_log.log_file()
    show_error(None, "Something went wrong",
               f"An unexpected failure ({kind.__name__}) interrupted what you were "
               f"doing; this is a bug in encoder-app. Saved work is safe.\n\nThe "
               f"details are in the log: {where}\n(Help > Open log folder)", fatal=True)


def main(argv: list[str] | None = None) -> int:
    app = QApplication.instance() or QApplication(argv or sys.argv)
    app.setApplicationName("Encoder")
    # The name of the menu entry installer/linux/install.sh writes (encoder-app.desktop): a
    # Wayland desktop matches the window to it (its icon in the dock and the task switcher).
    app.setDesktopFileName("encoder-app")
    app.setWindowIcon(app_icon())  # dialogs, the taskbar and the window before its own
    apply_chosen_theme(app)  # the theme picked last time (View), else the system's
    app_log.setup(verbose="--verbose" in (argv or sys.argv))
    log.info("the window starts")
    sys.excepthook = report_crash
    # Opened here, on the window's thread, so an encrypted database can ask for its passphrase.
    encryption.set_passphrase_prompt(_ask_passphrase)
    try:
        engine = default_engine()
    except EncoderError as exc:  # a wrong passphrase, a database of another schema
        show_error(None, "Encoder cannot open its database", exc, fatal=True)
        return 1
    if open_window(engine) is None:
        return 0
    return app.exec()


#: The windows open (File > Connect to server opens the next before closing the last): held
#: here, or Python would collect a window no variable names.
_windows: list[MainWindow] = []


def open_window(engine, index_dir=None) -> MainWindow | None:
    """A main window on ``engine``, shown and starting; None when its sign-in was cancelled
    (a database with accounts: nobody works signed out)."""
    window = MainWindow(engine, index_dir)
    if not window.sign_in_if_needed():
        window.deleteLater()
        return None
    _windows[:] = [w for w in _windows if w.isVisible()] + [window]
    window.show()
    window.start()
    return window


if __name__ == "__main__":
    sys.exit(main())
