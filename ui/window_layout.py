"""The window's size, place and pane widths, and the theme, kept between runs: a coder who
widened the search pane or chose the dark theme finds them so the next morning."""

from __future__ import annotations

from PySide6.QtCore import QByteArray, QRect, QSize
from PySide6.QtWidgets import QApplication, QMainWindow, QSplitter

from encoder_app import preferences
from ui.theme import apply_theme

_DARK = {"light": False, "dark": True, "system": None}


def apply_chosen_theme(app: QApplication) -> None:
    apply_theme(app, _DARK[preferences.theme()])


def choose_theme(app: QApplication, name: str) -> None:
    """View > Light/Dark/System theme: applied now, and remembered."""
    apply_theme(app, _DARK[name])
    preferences.set_theme(name)


#: The first window's size where the screen has room: three panes side by side.
DEFAULT_SIZE = QSize(1400, 860)


def first_geometry(available: QRect, default: QSize = DEFAULT_SIZE) -> QRect | None:
    """Where the first window goes on a screen whose free area is ``available``: the default
    size, centred, where it fits; None (maximized) where it does not, as on a 1366x768 laptop,
    whose taskbar leaves less than 860 pixels."""
    if default.width() > available.width() or default.height() > available.height():
        return None
    rect = QRect(0, 0, default.width(), default.height())
    rect.moveCenter(available.center())
    return rect


def restore(window: QMainWindow, splitter: QSplitter) -> None:
    layout = preferences.window_layout()
    if "geometry" in layout:
        # Qt moves and shrinks it onto the screen when the screen changed (a desk monitor's
        # layout opened on the laptop).
        window.restoreGeometry(QByteArray.fromBase64(layout["geometry"].encode()))
    elif QApplication.platformName() != "offscreen":  # no real screen to fit headless
        screen = window.screen() or QApplication.primaryScreen()
        where = first_geometry(screen.availableGeometry()) if screen else None
        if where is None:
            window.showMaximized()
        else:
            window.setGeometry(where)
    if "panes" in layout:
        splitter.restoreState(QByteArray.fromBase64(layout["panes"].encode()))


def remember(window: QMainWindow, splitter: QSplitter) -> None:
    preferences.set_window_layout({
        "geometry": bytes(window.saveGeometry().toBase64()).decode(),
        "panes": bytes(splitter.saveState().toBase64()).decode()})
