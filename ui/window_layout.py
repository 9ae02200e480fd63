"""The window's size, place and pane widths, and the theme, kept between runs: a coder who
widened the search pane or chose the dark theme finds them so the next morning."""

from __future__ import annotations

from PySide6.QtCore import QByteArray
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


def restore(window: QMainWindow, splitter: QSplitter) -> None:
    layout = preferences.window_layout()
    if "geometry" in layout:
        window.restoreGeometry(QByteArray.fromBase64(layout["geometry"].encode()))
    if "panes" in layout:
        splitter.restoreState(QByteArray.fromBase64(layout["panes"].encode()))


def remember(window: QMainWindow, splitter: QSplitter) -> None:
    preferences.set_window_layout({
        "geometry": bytes(window.saveGeometry().toBase64()).decode(),
        "panes": bytes(splitter.saveState().toBase64()).decode()})
