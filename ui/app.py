"""Starts the desktop window: `encoder-app` with no command."""

from __future__ import annotations

import sys

from PySide6.QtWidgets import QApplication

from encoder_app.codebook.db import default_engine
from ui.main_window import MainWindow
from ui.theme import apply_theme


def main(argv: list[str] | None = None) -> int:
    app = QApplication.instance() or QApplication(argv or sys.argv)
    app.setApplicationName("Encoder")
    apply_theme(app)
    window = MainWindow(default_engine())
    window.show()
    window.start()
    return app.exec()


if __name__ == "__main__":
    sys.exit(main())
