"""The favorites tab: codes the coder starred, newest first; Enter assigns, selecting shows."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QLabel, QListWidget, QListWidgetItem, QVBoxLayout, QWidget
from sqlalchemy import Engine

from encoder_app.encounters.favorites import (
    add_favorite,
    is_favorite,
    list_favorites,
    remove_favorite,
)


class FavoritesPanel(QWidget):
    code_selected = Signal(str, str)
    code_chosen = Signal(str, str)

    def __init__(self, engine: Engine, user: str = "coder", parent: QWidget | None = None):
        super().__init__(parent)
        self.engine, self.user = engine, user
        self.list = QListWidget()
        self.list.currentItemChanged.connect(self._selected)
        self.list.itemActivated.connect(
            lambda item: self.code_chosen.emit(*item.data(Qt.ItemDataRole.UserRole)))
        hint = QLabel("Star a code with Ctrl+D; Enter adds a favorite to the encounter.")
        hint.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(hint)
        layout.addWidget(self.list)
        self.refresh()

    def _selected(self, item: QListWidgetItem | None, _previous) -> None:
        if item is not None:
            self.code_selected.emit(*item.data(Qt.ItemDataRole.UserRole))

    def refresh(self) -> None:
        self.list.clear()
        for fav in list_favorites(self.engine, self.user):
            item = QListWidgetItem(f"★ {fav.code}  {fav.title or ''}")
            item.setData(Qt.ItemDataRole.UserRole, (fav.system, fav.code))
            self.list.addItem(item)

    def set_user(self, user: str) -> None:
        """Another coder at this desk: their own stars."""
        self.user = user
        self.refresh()

    def toggle(self, system: str, code: str) -> bool:
        """Star or unstar a code; returns whether it is a favorite now."""
        if is_favorite(self.engine, system, code, self.user):
            remove_favorite(self.engine, system, code, self.user)
            starred = False
        else:
            add_favorite(self.engine, system, code, self.user)
            starred = True
        self.refresh()
        return starred
