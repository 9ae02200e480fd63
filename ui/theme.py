"""Light and dark palettes, following the system's colour scheme unless the user picks one."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication


def system_prefers_dark() -> bool:
    return QGuiApplication.styleHints().colorScheme() == Qt.ColorScheme.Dark


def apply_theme(app: QApplication, dark: bool | None = None) -> bool:
    """Fusion style with a light or dark palette; returns whether the dark one was applied."""
    dark = system_prefers_dark() if dark is None else dark
    app.setStyle("Fusion")
    palette = QPalette()
    if dark:
        colors = {
            QPalette.ColorRole.Window: "#202124", QPalette.ColorRole.WindowText: "#e8eaed",
            QPalette.ColorRole.Base: "#17181a", QPalette.ColorRole.AlternateBase: "#26282b",
            QPalette.ColorRole.Text: "#e8eaed", QPalette.ColorRole.Button: "#2b2d30",
            QPalette.ColorRole.ButtonText: "#e8eaed", QPalette.ColorRole.Highlight: "#3d6fb4",
            QPalette.ColorRole.HighlightedText: "#ffffff", QPalette.ColorRole.Link: "#8ab4f8",
            QPalette.ColorRole.ToolTipBase: "#2b2d30", QPalette.ColorRole.ToolTipText: "#e8eaed",
            QPalette.ColorRole.PlaceholderText: "#9aa0a6",
        }
    else:
        colors = {
            QPalette.ColorRole.Window: "#f5f6f7", QPalette.ColorRole.WindowText: "#1f2328",
            QPalette.ColorRole.Base: "#ffffff", QPalette.ColorRole.AlternateBase: "#f0f3f6",
            QPalette.ColorRole.Text: "#1f2328", QPalette.ColorRole.Button: "#eceef1",
            QPalette.ColorRole.ButtonText: "#1f2328", QPalette.ColorRole.Highlight: "#2f6fcf",
            QPalette.ColorRole.HighlightedText: "#ffffff", QPalette.ColorRole.Link: "#1a5fb4",
            QPalette.ColorRole.PlaceholderText: "#6e7781",
        }
    for role, value in colors.items():
        palette.setColor(role, QColor(value))
    app.setPalette(palette)
    app.setProperty("encoder_dark", dark)
    return dark
